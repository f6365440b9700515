/**
 * The client tree both sorters share: Mesos's node structure (`sorter/drf/sorter.cpp` add,
 * remove, activate, deactivate) held in typed arrays indexed by node id.
 * Imports only the pure resource helpers; no clock, no queue, no I/O, no randomness.
 */
import { resized } from '../../sim/kernel/packed.js';
import { NUM_RESOURCES, addInto, copyInto, format, subInto } from '../../sim/model/resources.js';

/** Node kinds, as in Mesos. The root is always internal. */
export const NODE_KIND = { activeLeaf: 0, inactiveLeaf: 1, internal: 2 } as const;
/** One of {@link NODE_KIND}. */
export type NodeKind = (typeof NODE_KIND)[keyof typeof NODE_KIND];

const ACTIVE = NODE_KIND.activeLeaf;
const INACTIVE = NODE_KIND.inactiveLeaf;
const INTERNAL = NODE_KIND.internal;

/** The name of the virtual leaf a client gets when it is also a parent. */
export const VIRTUAL_LEAF = '.';

/** Default node weight (Mesos DEFAULT_WEIGHT); unitless. */
export const DEFAULT_WEIGHT = 1;

/** Initial node capacity; arrays double when full. */
const INITIAL_CAPACITY = 16;

/**
 * A tree of clients. Children of every node keep Mesos's two invariants: (1) inactive leaves
 * come last; (2) what comes before them is ordered by the owning sorter (the DRF sorter keeps it
 * sorted; the random sorter only needs it deterministic). `pos[n]` is n's index among its
 * parent's children, kept exact so that a node can be found without a scan.
 */
export class ClientTree {
  /** Kind of each node ({@link NODE_KIND}). */
  kind: Uint8Array;
  /** Parent node id, -1 for the root and for free slots. */
  parent: Int32Array;
  /** Index among the parent's children. */
  pos: Int32Array;
  /** Node weight; unitless, default 1. */
  weight: Float64Array;
  /** Weighted share (owned by the share sorter, DRF's or asset's; unused by others). */
  share: Float64Array;
  /** Number of `allocated` calls on the node's subtree; never decremented (Mesos `allocation.count`). */
  allocCount: Float64Array;
  /** Allocation of the node's subtree, packed with stride NUM_RESOURCES, fixed point. */
  alloc: Float64Array;
  /** Edge label from the parent ('.' for virtual leaves). */
  readonly names: string[] = [];
  /** Full path from the root, including a trailing '/.' for virtual leaves. */
  readonly paths: string[] = [];
  /** Child node ids; empty for leaves. */
  readonly children: number[][] = [];
  /** Client path → its leaf node. */
  readonly clients = new Map<string, number>();
  /** Node path → node, for every non-virtual node (weights apply by path). */
  private readonly byPath = new Map<string, number>();
  /** Weights set by path, including paths that have no node yet. */
  private readonly weights = new Map<string, number>();
  private readonly freeIds: number[] = [];
  private size = 0;
  /** The root node id. */
  readonly root: number;

  constructor() {
    this.kind = new Uint8Array(INITIAL_CAPACITY);
    this.parent = new Int32Array(INITIAL_CAPACITY);
    this.pos = new Int32Array(INITIAL_CAPACITY);
    this.weight = new Float64Array(INITIAL_CAPACITY);
    this.share = new Float64Array(INITIAL_CAPACITY);
    this.allocCount = new Float64Array(INITIAL_CAPACITY);
    this.alloc = new Float64Array(INITIAL_CAPACITY * NUM_RESOURCES);
    this.root = this.newNode('', '', INTERNAL, -1);
  }

  /** The client path a leaf stands for ('a' for the virtual leaf 'a/.'). */
  clientPath(node: number): string {
    return this.names[node] === VIRTUAL_LEAF ? this.paths[this.parent[node]!]! : this.paths[node]!;
  }

  /** Whether the node is an active or inactive leaf. */
  isLeaf(node: number): boolean {
    return this.kind[node] !== INTERNAL;
  }

  /** The leaf of `client`; throws when there is none. */
  leaf(client: string): number {
    const n = this.clients.get(client);
    if (n === undefined) throw new Error(`sorter: unknown client '${client}'`);
    return n;
  }

  /**
   * Adds a client as an inactive leaf, creating internal nodes like `mkdir -p`. Mesos's two
   * phases: walk down while the path exists (turning a leaf on the way into an internal node
   * with a virtual '.' leaf that inherits its allocation), then create the rest.
   * Returns the new leaf.
   */
  add(client: string): number {
    if (this.clients.has(client)) throw new Error(`sorter: client '${client}' already added`);
    const tokens = client.split('/');
    for (const t of tokens) {
      if (t === '' || t === VIRTUAL_LEAF) throw new Error(`sorter: invalid client path '${client}'`);
    }
    let current = this.root;
    let i = 0;
    for (;;) {
      if (i === tokens.length) {
        // The path names an existing internal node: the client becomes its virtual leaf.
        const virt = this.newNode(VIRTUAL_LEAF, `${this.paths[current]!}/${VIRTUAL_LEAF}`, INACTIVE, current);
        this.addChild(current, virt);
        current = virt;
        break;
      }
      if (this.isLeaf(current)) {
        // A leaf gains a child: it turns internal and keeps competing through a virtual leaf.
        const oldKind = this.kind[current]! as NodeKind;
        const p = this.parent[current]!;
        this.removeChild(p, current);
        this.kind[current] = INTERNAL;
        this.addChild(p, current);
        const virt = this.newNode(VIRTUAL_LEAF, `${this.paths[current]!}/${VIRTUAL_LEAF}`, oldKind, current);
        copyInto(this.alloc, virt * NUM_RESOURCES, this.alloc, current * NUM_RESOURCES);
        this.allocCount[virt] = this.allocCount[current]!;
        this.share[virt] = this.share[current]!;
        this.addChild(current, virt);
        this.clients.set(this.paths[current]!, virt);
        break;
      }
      const next = this.childNamed(current, tokens[i]!);
      if (next < 0) break;
      current = next;
      i++;
    }
    for (; i < tokens.length; i++) {
      const kind = i === tokens.length - 1 ? INACTIVE : INTERNAL;
      const path = current === this.root ? tokens[i]! : `${this.paths[current]!}/${tokens[i]!}`;
      const child = this.newNode(tokens[i]!, path, kind, current);
      this.addChild(current, child);
      current = child;
    }
    this.clients.set(client, current);
    return current;
  }

  /**
   * Removes a client: deletes its leaf, subtracts its allocation from every ancestor, deletes
   * ancestors left without children, and folds a parent left with only its virtual leaf back
   * into a leaf (Mesos `remove`).
   */
  remove(client: string): void {
    let current = this.leaf(client);
    this.clients.delete(client);
    const leafAlloc = this.alloc.slice(current * NUM_RESOURCES, (current + 1) * NUM_RESOURCES);
    while (current !== this.root) {
      const p = this.parent[current]!;
      subInto(this.alloc, p * NUM_RESOURCES, leafAlloc);
      const kids = this.children[current]!;
      if (kids.length === 0) {
        this.removeChild(p, current);
        this.freeNode(current);
      } else if (kids.length === 1 && this.names[kids[0]!] === VIRTUAL_LEAF) {
        const virt = kids[0]!;
        this.kind[current] = this.kind[virt]!;
        this.removeChild(current, virt);
        this.freeNode(virt);
        // The kind changed, so the node's place among its siblings must follow invariant (1).
        this.removeChild(p, current);
        this.addChild(p, current);
        this.clients.set(this.paths[current]!, current);
      }
      current = p;
    }
  }

  /** Activates a client; returns whether it was inactive. Moves it to the front, as Mesos does. */
  activate(client: string): boolean {
    const n = this.leaf(client);
    if (this.kind[n] !== INACTIVE) return false;
    const p = this.parent[n]!;
    this.removeChild(p, n);
    this.kind[n] = ACTIVE;
    this.addChild(p, n);
    return true;
  }

  /** Deactivates a client; returns whether it was active. Moves it to the end of its siblings. */
  deactivate(client: string): boolean {
    const n = this.leaf(client);
    if (this.kind[n] !== ACTIVE) return false;
    const p = this.parent[n]!;
    this.removeChild(p, n);
    this.kind[n] = INACTIVE;
    this.addChild(p, n);
    return true;
  }

  /** Records a weight for `path` and applies it to the node at that path if there is one. */
  setWeight(path: string, weight: number): void {
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new RangeError(`sorter: weight of '${path}' must be finite and > 0, got ${weight}`);
    }
    this.weights.set(path, weight);
    // Unlike Mesos, which finds the node through the client map only, internal nodes that are not
    // clients get the new weight too (Mesos caches their weight once and never refreshes it).
    const n = this.byPath.get(path);
    if (n !== undefined) this.weight[n] = weight;
  }

  /** Adds `res` to the node's allocation (no count change, no propagation). */
  addAlloc(node: number, res: Float64Array, offset: number): void {
    addInto(this.alloc, node * NUM_RESOURCES, res, offset);
  }

  /** Subtracts `res` from the allocation of `client` and of every ancestor; throws if any goes negative. */
  unallocate(client: string, res: Float64Array, offset: number): void {
    this.unallocateAt(this.leaf(client), res, offset);
  }

  /** {@link unallocate} by the client's leaf. */
  unallocateAt(leaf: number, res: Float64Array, offset: number): void {
    const alloc = this.alloc;
    for (let n = leaf; n !== -1; n = this.parent[n]!) {
      const o = n * NUM_RESOURCES;
      let negative = false;
      for (let r = 0; r < NUM_RESOURCES; r++) {
        const left = alloc[o + r]! - res[offset + r]!;
        alloc[o + r] = left;
        if (left < 0) negative = true;
      }
      if (negative) {
        throw new Error(`sorter: client '${this.clientPath(leaf)}' unallocated ${format(res, offset)}, more than it holds`);
      }
    }
  }

  /** Number of clients. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Index of the first inactive leaf among `node`'s children (= number of rankable children). */
  activePrefix(node: number): number {
    const kids = this.children[node]!;
    let k = 0;
    while (k < kids.length && this.kind[kids[k]!] !== INACTIVE) k++;
    return k;
  }

  /** Rewrites `pos` for `node`'s children from index `from` on. */
  reindex(node: number, from = 0): void {
    const kids = this.children[node]!;
    for (let i = from; i < kids.length; i++) this.pos[kids[i]!] = i;
  }

  private childNamed(node: number, name: string): number {
    for (const c of this.children[node]!) if (this.names[c] === name) return c;
    return -1;
  }

  /** Inactive leaves go last, everything else first (Mesos `addChild`); the owner re-sorts. */
  private addChild(p: number, child: number): void {
    const kids = this.children[p]!;
    if (this.kind[child] === INACTIVE) {
      this.pos[child] = kids.length;
      kids.push(child);
    } else {
      kids.unshift(child);
      this.reindex(p);
    }
  }

  private removeChild(p: number, child: number): void {
    const kids = this.children[p]!;
    const i = this.pos[child]!;
    if (kids[i] !== child) throw new Error(`sorter: tree corrupt at '${this.paths[child]!}'`);
    kids.splice(i, 1);
    this.reindex(p, i);
  }

  private newNode(name: string, path: string, kind: NodeKind, parent: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.size++;
      if (id >= this.kind.length) this.grow();
      this.names.push(name);
      this.paths.push(path);
      this.children.push([]);
    } else {
      this.names[id] = name;
      this.paths[id] = path;
      this.children[id] = [];
    }
    this.kind[id] = kind;
    this.parent[id] = parent;
    this.pos[id] = -1;
    this.share[id] = 0;
    this.allocCount[id] = 0;
    this.alloc.fill(0, id * NUM_RESOURCES, (id + 1) * NUM_RESOURCES);
    this.weight[id] = this.weights.get(path) ?? DEFAULT_WEIGHT;
    if (name !== VIRTUAL_LEAF) this.byPath.set(path, id);
    return id;
  }

  private freeNode(id: number): void {
    if (this.names[id] !== VIRTUAL_LEAF) this.byPath.delete(this.paths[id]!);
    this.parent[id] = -1;
    this.children[id] = [];
    this.freeIds.push(id);
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    this.kind = resized(this.kind, cap);
    this.parent = resized(this.parent, cap);
    this.pos = resized(this.pos, cap);
    this.weight = resized(this.weight, cap);
    this.share = resized(this.share, cap);
    this.allocCount = resized(this.allocCount, cap);
    this.alloc = resized(this.alloc, cap * NUM_RESOURCES);
  }
}
