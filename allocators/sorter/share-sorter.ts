/**
 * The fair-share sorter, as Mesos `sorter/drf/sorter.cpp` (notes §1.3) with a choice of share
 * function: weighted shares over a client tree, ordered by (share, allocation count, path). The
 * DRF sorter is this one with the dominant share; a ranking-only policy is this one with its own
 * share function. Imports only the pure resource helpers and types; no clock, no queue, no I/O,
 * no randomness.
 */
import type { Rng } from '../../sim/kernel/rng.js';
import { NUM_RESOURCES, RESOURCE_NAMES, addInto, format, hasNegative, subInto, type ResourceVector } from '../../sim/model/resources.js';
import { ClientTree, NODE_KIND } from './client-tree.js';
import { ListWalk } from './list-walk.js';
import { RankHeap } from './rank-heap.js';
import type { ClientHandle, Sorter, SorterOptions } from './sorter.js';

const INACTIVE = NODE_KIND.inactiveLeaf;
const ACTIVE = NODE_KIND.activeLeaf;
const INTERNAL = NODE_KIND.internal;

const NO_CLIENTS: readonly string[] = Object.freeze([]);

/**
 * Resolves excluded resource names to a mask over the vector: 1 = counts toward the share.
 * Throws a RangeError naming the valid names for an unknown one, so a typo cannot silently
 * change fairness.
 */
export function fairnessMask(excluded: readonly string[] | undefined): Uint8Array {
  const mask = new Uint8Array(NUM_RESOURCES).fill(1);
  for (const name of excluded ?? []) {
    const i = (RESOURCE_NAMES as readonly string[]).indexOf(name);
    if (i < 0) {
      throw new RangeError(`excluded resource '${name}' is not one of ${RESOURCE_NAMES.join(', ')}`);
    }
    mask[i] = 0;
  }
  return mask;
}

/**
 * How a client's share is computed from its allocation a_r and the totals T_r, over the
 * resources r that count (T_r > 0, not excluded), before dividing by the weight:
 * - 'dominant': max_r a_r / T_r (DRF: {@link DrfSorter} is this sorter with this share);
 * - 'asset': sum_r a_r / T_r (asset fairness, DRF paper §2).
 */
export const SHARE_FUNCTIONS = { dominant: 'dominant', asset: 'asset' } as const;
/** One of {@link SHARE_FUNCTIONS}. */
export type ShareFunction = (typeof SHARE_FUNCTIONS)[keyof typeof SHARE_FUNCTIONS];

/**
 * A ranking-only policy's share: a client's share (a finite number >= 0, unitless; lower is served
 * first) from what it holds and the cluster totals, both fixed-point vectors of NUM_RESOURCES with
 * the excluded resources zeroed. The sorter divides it by the client's weight and breaks ties by
 * allocation count, then path, so the order is total whatever the function. It must be a pure
 * function of its arguments (it is called whenever a share may have changed), and must not keep
 * or change them.
 */
export type ShareOf = (allocation: Float64Array, total: Float64Array) => number;

/** Options of a {@link ShareSorter}. */
export interface ShareSorterOptions extends SorterOptions {
  /** The share function, built in or a policy's own; default 'dominant'. */
  readonly share?: ShareFunction | ShareOf;
}

/**
 * Fair sharing over a client tree by a chosen share function.
 *
 * - share(node) = the share function over resources r with total_r > 0 (and not excluded) of
 *   allocation_r / total_r, divided by the node's weight; internal nodes hold their subtree's sum.
 * - Each node's rankable children are kept sorted ascending by (share, allocation count, path),
 *   a total order since sibling paths differ. `allocated()` bubbles the changed nodes into place
 *   (no full re-sort); `unallocated()`, total changes, weights, add/remove and activation mark
 *   the tree dirty and the next `sort()` re-sorts it all, as Mesos does.
 * - `sort()` returns the active leaves in pre-order; the result is cached until the order changes.
 * - A walk of a flat tree (every client a child of the root, as framework names always are)
 *   switches the root's children to a heap ({@link RankHeap}) and searches it best first; a
 *   nested tree is walked down its sorted list. `sort()` leaves heap mode (one re-sort).
 *
 * A sum of fractions is rounded like any float sum: two shares equal only on paper (1/9 + 4/18
 * against 3/9) may compare unequal by an ulp, as they would in Mesos's double arithmetic.
 */
export class ShareSorter extends RankHeap implements Sorter {
  private readonly tree = new ClientTree();
  private readonly total = new Float64Array(NUM_RESOURCES);
  private readonly counted: Uint8Array;
  /** 'asset' sums the per-resource shares where 'dominant' takes the largest. */
  private readonly sum: boolean;
  /** A policy's own share function, or undefined for the built-in ones. */
  private readonly custom: ShareOf | undefined;
  /** Scratch for {@link custom}'s arguments: a node's allocation and the totals, excluded resources zeroed. */
  private readonly customAlloc = new Float64Array(NUM_RESOURCES);
  private readonly customTotal = new Float64Array(NUM_RESOURCES);
  private readonly ranked: boolean;
  private dirty = true;
  /** The active leaves in order, and their clients' paths; null when they must be listed again. */
  private orderIds: number[] | null = null;
  private order: readonly string[] | null = null;
  private readonly cmp = (a: number, b: number): number => this.compare(a, b);
  /**
   * Heap mode (flat trees, entered by a walk): the root's active children hold a binary min-heap
   * ({@link RankHeap}) instead of a sorted run, so that `allocated()` costs O(log n) sift steps
   * instead of a shift across the run. `sort()` and a list walk leave it (one re-sort).
   */
  private heap = false;
  /** Whether the walk under way searches the heap (else it walks {@link orderIds}). */
  private walkingHeap = false;
  private readonly list = new ListWalk();
  /** Whether every client is a child of the root (no '/' in any path); null when not yet known. */
  private flat: boolean | null = true;
  /** Each node's path's rank in code-unit order (see {@link rankPaths}); valid while pathsRanked. */
  private pathRank = new Int32Array(16);
  private pathsRanked = false;

  /**
   * A share sorter; `options.share` default 'dominant', `options.excludedResources` default none,
   * `options.ranked` default true.
   */
  constructor(options: ShareSorterOptions = {}) {
    super();
    this.counted = fairnessMask(options.excludedResources);
    this.ranked = options.ranked ?? true;
    const share = options.share ?? SHARE_FUNCTIONS.dominant;
    if (typeof share === 'function') {
      this.custom = share;
      this.sum = false;
      return;
    }
    this.custom = undefined;
    switch (share) {
      case 'dominant':
        this.sum = false;
        break;
      case 'asset':
        this.sum = true;
        break;
      default:
        throw new RangeError(`unknown share function: ${String(share satisfies never)}`);
    }
  }

  add(client: string): void {
    this.tree.add(client);
    this.flat = null;
    this.pathsRanked = false;
    this.invalidate();
  }

  remove(client: string): void {
    this.tree.remove(client);
    this.flat = null;
    this.pathsRanked = false;
    this.invalidate();
  }

  contains(client: string): boolean {
    return this.tree.clients.has(client);
  }

  count(): number {
    return this.tree.clientCount;
  }

  activate(client: string): void {
    if (this.tree.activate(client)) this.invalidate();
  }

  deactivate(client: string): void {
    // Removing a node from a sorted sequence leaves it sorted: no need to dirty the tree. A heap
    // does not survive the shift, so in heap mode the next walk re-sorts.
    if (this.tree.deactivate(client)) {
      if (this.heap) this.invalidate();
      else this.forgetOrder();
    }
  }

  updateWeight(path: string, weight: number): void {
    this.tree.setWeight(path, weight);
    this.invalidate();
  }

  allocated(client: string, res: Float64Array, offset = 0): void {
    this.allocatedAt(this.tree.leaf(client), res, offset);
  }

  allocatedAt(leaf: number, res: Float64Array, offset = 0): void {
    const t = this.tree;
    if (this.heap && !this.dirty) {
      // Heap mode, keys valid: the tree is flat (adding or removing a client dirties it), so the
      // leaf's one ancestor is the root, which is not ranked.
      t.addAlloc(leaf, res, offset);
      t.allocCount[leaf]! += 1;
      t.addAlloc(t.root, res, offset);
      t.allocCount[t.root]! += 1;
      // With one ranked client nothing compares shares until the ranked set changes, which
      // re-sorts and recomputes every share first: skip the division.
      if (this.heapLen < 2 || t.kind[leaf] === INACTIVE) return;
      t.share[leaf] = this.calculateShare(leaf);
      if (this.sift(t.children[t.root]!, t.pos, leaf)) this.forgetOrder();
      return;
    }
    let moved = false;
    for (let n = leaf; n !== -1; n = t.parent[n]!) {
      t.addAlloc(n, res, offset);
      t.allocCount[n]! += 1;
      // Inactive leaves are not ranked; their share is computed when they are activated.
      if (n !== t.root && !this.dirty && t.kind[n] !== INACTIVE) {
        t.share[n] = this.calculateShare(n);
        if (this.heap ? this.sift(t.children[t.root]!, t.pos, n) : this.bubble(n)) moved = true;
      }
    }
    if (moved) this.forgetOrder();
  }

  /** A client's handle is its leaf node: stable while no client is added or removed. */
  handleOf(client: string): ClientHandle {
    return this.tree.leaf(client) as ClientHandle;
  }

  clientOf(handle: number): string {
    return this.tree.clientPath(handle);
  }

  first(_rng?: Rng): ClientHandle {
    const t = this.tree;
    if (!this.keyed()) {
      this.walkingHeap = false;
      return this.list.start(this.activeIds());
    }
    this.walkingHeap = true;
    return this.heapFirst(t.children[t.root]!) as ClientHandle;
  }

  /** Keyed when ranked and flat: the walk searches the heap by (share, allocation count, path). */
  keyed(): boolean {
    if (!this.ranked || !this.isFlat()) return false;
    const t = this.tree;
    if (this.dirty) {
      // A sorted run is a valid heap.
      this.sortTree(t.root);
      this.dirty = false;
      this.forgetOrder();
      this.heapLen = t.activePrefix(t.root);
    } else if (!this.heap) {
      this.heapLen = t.activePrefix(t.root);
    }
    this.heap = true;
    return true;
  }

  compareClients(a: ClientHandle, b: ClientHandle): number {
    return this.compare(a, b);
  }

  next(): ClientHandle {
    return this.walkingHeap ? (this.heapNext(this.tree.children[this.tree.root]!) as ClientHandle) : this.list.next();
  }

  unallocated(client: string, res: Float64Array, offset = 0): void {
    this.unallocatedAt(this.tree.leaf(client), res, offset);
  }

  unallocatedAt(leaf: number, res: Float64Array, offset = 0): void {
    this.tree.unallocateAt(leaf, res, offset);
    this.invalidate();
  }

  allocation(client: string): ResourceVector {
    const o = this.tree.leaf(client) * NUM_RESOURCES;
    return this.tree.alloc.slice(o, o + NUM_RESOURCES);
  }

  /**
   * The client's weighted share now (unitless, >= 0: the dominant share under 'dominant'; an
   * asset share can exceed 1); for reports and tests.
   */
  share(client: string): number {
    return this.calculateShare(this.tree.leaf(client));
  }

  /** How many times `allocated()` was called on the client (never decremented). */
  allocationCount(client: string): number {
    return this.tree.allocCount[this.tree.leaf(client)]!;
  }

  addTotal(res: Float64Array, offset = 0): void {
    addInto(this.total, 0, res, offset);
    this.invalidate();
  }

  removeTotal(res: Float64Array, offset = 0): void {
    subInto(this.total, 0, res, offset);
    if (hasNegative(this.total)) {
      throw new Error(`sorter: removing ${format(res, offset)} makes the total negative`);
    }
    this.invalidate();
  }

  sort(_rng?: Rng): readonly string[] {
    // A heap's arrangement is not the order: leaving heap mode re-sorts (see activeIds).
    if (this.heap || this.order === null) {
      const ids = this.activeIds();
      if (this.tree.clientCount === 0) {
        this.order = NO_CLIENTS;
      } else {
        const t = this.tree;
        this.order = ids.map((n) => t.clientPath(n));
      }
    }
    return this.order;
  }

  /** Whether every client is a child of the root, so that a walk may search the heap. */
  private isFlat(): boolean {
    if (this.flat === null) {
      const t = this.tree;
      this.flat = t.children[t.root]!.every((c) => t.kind[c] !== INTERNAL);
    }
    return this.flat;
  }

  /** The active leaves in order, leaving heap mode and re-sorting first if need be. */
  private activeIds(): number[] {
    if (this.heap) {
      // Leave heap mode: one full re-sort (shares recomputed to the same values).
      this.heap = false;
      this.invalidate();
    }
    if (this.dirty) {
      this.sortTree(this.tree.root);
      this.dirty = false;
      this.forgetOrder();
    }
    if (this.orderIds === null) {
      const out: number[] = [];
      this.listActive(this.tree.root, out);
      this.orderIds = out;
    }
    return this.orderIds;
  }

  private invalidate(): void {
    this.dirty = true;
    this.forgetOrder();
  }

  private forgetOrder(): void {
    this.order = null;
    this.orderIds = null;
  }

  private calculateShare(node: number): number {
    if (this.custom !== undefined) return this.customShare(node) / this.tree.weight[node]!;
    const alloc = this.tree.alloc;
    const o = node * NUM_RESOURCES;
    let share = 0;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const total = this.total[r]!;
      if (this.counted[r] === 1 && total > 0) {
        const s = alloc[o + r]! / total;
        if (this.sum) share += s;
        else if (s > share) share = s;
      }
    }
    return share / this.tree.weight[node]!;
  }

  /** The policy's own share of `node`, checked: a share that is not a finite number >= 0 would break the order. */
  private customShare(node: number): number {
    const a = this.customAlloc;
    const t = this.customTotal;
    const alloc = this.tree.alloc;
    const o = node * NUM_RESOURCES;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const counts = this.counted[r] === 1;
      a[r] = counts ? alloc[o + r]! : 0;
      t[r] = counts ? this.total[r]! : 0;
    }
    const s: unknown = this.custom!(a, t);
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      throw new RangeError(`the share function returned ${String(s)} for client '${this.tree.clientPath(node)}'; a share is a finite number >= 0`);
    }
    return s;
  }

  /** Mesos `compareDRF` as a three-way comparator: share, then allocation count, then path. */
  protected compare(a: number, b: number): number {
    const t = this.tree;
    const sa = t.share[a]!;
    const sb = t.share[b]!;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ca = t.allocCount[a]!;
    const cb = t.allocCount[b]!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    // Path order (code units, as std::string compares bytes), precomputed as ranks.
    const ra = this.pathRank[a]!;
    const rb = this.pathRank[b]!;
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  }

  /**
   * Ranks every node's path in code-unit order (never locale-dependent), so that ties on share
   * and count compare two numbers instead of two strings. Paths change only on add and remove,
   * which dirty the tree, and every comparison runs in or after the re-sort that follows.
   */
  private rankPaths(): void {
    const t = this.tree;
    const ids: number[] = [];
    for (let n = 0; n < t.paths.length; n++) if (n === t.root || t.parent[n] !== -1) ids.push(n);
    ids.sort((a, b) => {
      const pa = t.paths[a]!;
      const pb = t.paths[b]!;
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    });
    if (this.pathRank.length < t.paths.length) this.pathRank = new Int32Array(Math.max(16, t.paths.length * 2));
    for (let i = 0; i < ids.length; i++) this.pathRank[ids[i]!] = i;
    this.pathsRanked = true;
  }

  /** Moves `n` to its sorted place among its siblings (stopping at inactive leaves); true if it moved. */
  private bubble(n: number): boolean {
    const t = this.tree;
    const kids = t.children[t.parent[n]!]!;
    const start = t.pos[n]!;
    let i = start;
    while (i > 0 && this.compare(n, kids[i - 1]!) < 0) {
      const m = kids[i - 1]!;
      kids[i] = m;
      t.pos[m] = i;
      i--;
    }
    if (i === start) {
      while (i + 1 < kids.length && t.kind[kids[i + 1]!] !== INACTIVE && this.compare(kids[i + 1]!, n) < 0) {
        const m = kids[i + 1]!;
        kids[i] = m;
        t.pos[m] = i;
        i++;
      }
    }
    kids[i] = n;
    t.pos[n] = i;
    return i !== start;
  }

  /** Recomputes shares and sorts the rankable prefix of every node's children (Mesos `sortTree`). */
  private sortTree(node: number): void {
    const t = this.tree;
    if (!this.pathsRanked) this.rankPaths();
    const kids = t.children[node]!;
    const k = t.activePrefix(node);
    for (let i = 0; i < k; i++) t.share[kids[i]!] = this.calculateShare(kids[i]!);
    if (k > 1) {
      const sorted = kids.slice(0, k).sort(this.cmp);
      for (let i = 0; i < k; i++) kids[i] = sorted[i]!;
      t.reindex(node);
    }
    for (let i = 0; i < k; i++) {
      if (t.kind[kids[i]!] === INTERNAL) this.sortTree(kids[i]!);
    }
  }

  /** Active leaves in pre-order; a node's children stop at the first inactive leaf. */
  private listActive(node: number, out: number[]): void {
    const t = this.tree;
    for (const c of t.children[node]!) {
      const kind = t.kind[c]!;
      if (kind === ACTIVE) out.push(c);
      else if (kind === INACTIVE) return;
      else this.listActive(c, out);
    }
  }
}
