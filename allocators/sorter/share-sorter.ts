/**
 * The fair-share sorter, as Mesos `sorter/drf/sorter.cpp` (notes §1.3) with a choice of share
 * function: weighted shares over a client tree, ordered by (share, allocation count, path). The
 * DRF sorter is this one with the dominant share. Imports only the pure resource helpers and
 * types; no clock, no queue, no I/O, no randomness.
 */
import {
  NUM_RESOURCES,
  RESOURCE_NAMES,
  addInto,
  format,
  hasNegative,
  subInto,
  type ResourceVector,
} from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import { ClientTree, NODE_KIND } from './client-tree.js';
import type { Sorter, SorterOptions } from './sorter.js';

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
      throw new RangeError(
        `excluded resource '${name}' is not one of ${RESOURCE_NAMES.join(', ')}`,
      );
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

/** Options of a {@link ShareSorter}. */
export interface ShareSorterOptions extends SorterOptions {
  /** The share function; default 'dominant'. */
  readonly share?: ShareFunction;
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
 *
 * A sum of fractions is rounded like any float sum: two shares equal only on paper (1/9 + 4/18
 * against 3/9) may compare unequal by an ulp, as they would in Mesos's double arithmetic.
 */
export class ShareSorter implements Sorter {
  private readonly tree = new ClientTree();
  private readonly total = new Float64Array(NUM_RESOURCES);
  private readonly counted: Uint8Array;
  private readonly sum: boolean;
  private dirty = true;
  private order: readonly string[] | null = null;
  private readonly cmp = (a: number, b: number): number => this.compare(a, b);
  /**
   * Heap mode (flat trees, entered by {@link rankFirst}): the root's active children hold a binary
   * min-heap by (share, allocation count, path) instead of a sorted run, so that `allocated()`
   * costs O(log n) sift steps instead of a shift across the run. `sort()` leaves it (one re-sort).
   */
  private heap = false;
  /** Active children of the root while in heap mode. */
  private heapLen = 0;
  /** The walk's frontier: positions in the root's children, itself a min-heap by the same order. */
  private cand = new Int32Array(16);
  private candLen = 0;
  /** Heap position of the walk's last client, whose children are not yet on the frontier; -1 when none. */
  private walkLast = -1;
  /** Whether every client is a child of the root (no '/' in any path); null when not yet known. */
  private flat: boolean | null = true;
  /** Each node's path's rank in code-unit order (see {@link rankPaths}); valid while pathsRanked. */
  private pathRank = new Int32Array(16);
  private pathsRanked = false;

  /** A share sorter; `options.share` default 'dominant', `options.excludedResources` default none. */
  constructor(options: ShareSorterOptions = {}) {
    this.counted = fairnessMask(options.excludedResources);
    const share = options.share ?? SHARE_FUNCTIONS.dominant;
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
      else this.order = null;
    }
  }

  updateWeight(path: string, weight: number): void {
    this.tree.setWeight(path, weight);
    this.invalidate();
  }

  allocated(client: string, res: Float64Array, offset = 0): void {
    this.allocatedLeaf(this.tree.leaf(client), res, offset);
  }

  /** {@link allocated} by the client's leaf node ({@link leafOf}), without the name lookup. */
  allocatedLeaf(leaf: number, res: Float64Array, offset = 0): void {
    const t = this.tree;
    let moved = false;
    for (let n = leaf; n !== -1; n = t.parent[n]!) {
      t.addAlloc(n, res, offset);
      t.allocCount[n]! += 1;
      // Inactive leaves are not ranked; their share is computed when they are activated.
      if (n !== t.root && !this.dirty && t.kind[n] !== INACTIVE) {
        t.share[n] = this.calculateShare(n);
        if (this.heap ? this.sift(n) : this.bubble(n)) moved = true;
      }
    }
    if (moved) this.order = null;
  }

  /** The leaf node of `client`: stable while the client stays and the tree stays flat. */
  leafOf(client: string): number {
    return this.tree.leaf(client);
  }

  /** The client a leaf node stands for. */
  clientOf(leaf: number): string {
    return this.tree.clientPath(leaf);
  }

  /** Whether every client is a child of the root, so that {@link rankFirst} may be used. */
  isFlat(): boolean {
    if (this.flat === null) {
      const t = this.tree;
      this.flat = t.children[t.root]!.every((c) => t.kind[c] !== INTERNAL);
    }
    return this.flat;
  }

  /**
   * Starts a walk over the active clients in {@link sort}'s order and returns the first one's
   * leaf node (-1 when none); {@link rankNext} gives the next. Flat trees only ({@link isFlat}).
   * The walk is a best-first search of the heap, O(log k) per client visited for k visited, so a
   * caller that stops early never pays for the whole order. `allocated()` and every other change
   * end the walk (start a new one after them).
   */
  rankFirst(): number {
    const t = this.tree;
    if (!this.isFlat()) throw new Error('sorter: rankFirst needs a flat tree (no nested clients)');
    if (this.dirty) {
      // A sorted run is a valid heap.
      this.sortTree(t.root);
      this.dirty = false;
      this.order = null;
      this.heapLen = t.activePrefix(t.root);
    } else if (!this.heap) {
      this.heapLen = t.activePrefix(t.root);
    }
    this.heap = true;
    this.walkLast = -1;
    if (this.heapLen === 0) {
      this.candLen = 0;
      return -1;
    }
    this.candLen = 0;
    this.walkLast = 0;
    return t.children[t.root]![0]!;
  }

  /** The next client of the walk {@link rankFirst} started, as its leaf node; -1 at the end. */
  rankNext(): number {
    const t = this.tree;
    const kids = t.children[t.root]!;
    // The last client returned is followed by its two heap children: pushed only now, so that a
    // walk stopped at its first client never compares them.
    const last = this.walkLast;
    if (last >= 0) {
      const l = 2 * last + 1;
      if (l < this.heapLen) {
        this.candPush(l, kids);
        if (l + 1 < this.heapLen) this.candPush(l + 1, kids);
      }
    }
    const len = this.candLen;
    if (len === 0) {
      this.walkLast = -1;
      return -1;
    }
    const cand = this.cand;
    const top = cand[0]!;
    this.candLen = len - 1;
    if (len > 1) this.candDown(cand[len - 1]!, kids);
    this.walkLast = top;
    return kids[top]!;
  }

  private candPush(p: number, kids: readonly number[]): void {
    if (this.candLen === this.cand.length) {
      const c = new Int32Array(this.cand.length * 2);
      c.set(this.cand);
      this.cand = c;
    }
    const cand = this.cand;
    let i = this.candLen++;
    const node = kids[p]!;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.compare(kids[cand[up]!]!, node) <= 0) break;
      cand[i] = cand[up]!;
      i = up;
    }
    cand[i] = p;
  }

  /** Puts position `p` at the frontier's root and sifts it down (the frontier has candLen entries). */
  private candDown(p: number, kids: readonly number[]): void {
    const cand = this.cand;
    const n = this.candLen;
    const node = kids[p]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.compare(kids[cand[c + 1]!]!, kids[cand[c]!]!) < 0) c++;
      if (this.compare(kids[cand[c]!]!, node) >= 0) break;
      cand[i] = cand[c]!;
      i = c;
    }
    cand[i] = p;
  }

  /** Restores the heap after `n`'s key changed (heap mode); true if it moved. */
  private sift(n: number): boolean {
    const t = this.tree;
    const kids = t.children[t.root]!;
    const len = this.heapLen;
    const pos = t.pos;
    const start = pos[n]!;
    let i = start;
    while (i > 0) {
      const up = (i - 1) >> 1;
      const m = kids[up]!;
      if (this.compare(m, n) <= 0) break;
      kids[i] = m;
      pos[m] = i;
      i = up;
    }
    if (i === start) {
      for (;;) {
        let c = 2 * i + 1;
        if (c >= len) break;
        if (c + 1 < len && this.compare(kids[c + 1]!, kids[c]!) < 0) c++;
        const m = kids[c]!;
        if (this.compare(m, n) >= 0) break;
        kids[i] = m;
        pos[m] = i;
        i = c;
      }
    }
    kids[i] = n;
    pos[n] = i;
    return i !== start;
  }

  unallocated(client: string, res: Float64Array, offset = 0): void {
    this.tree.unallocate(client, res, offset);
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
    if (this.heap) {
      // Leave heap mode: one full re-sort (shares recomputed to the same values).
      this.heap = false;
      this.invalidate();
    }
    if (this.dirty) {
      this.sortTree(this.tree.root);
      this.dirty = false;
      this.order = null;
    }
    if (this.order === null) {
      if (this.tree.clientCount === 0) {
        this.order = NO_CLIENTS;
      } else {
        const out: string[] = [];
        this.listActive(this.tree.root, out);
        this.order = out;
      }
    }
    return this.order;
  }

  private invalidate(): void {
    this.dirty = true;
    this.order = null;
  }

  private calculateShare(node: number): number {
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

  /** Mesos `compareDRF` as a three-way comparator: share, then allocation count, then path. */
  private compare(a: number, b: number): number {
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
  private listActive(node: number, out: string[]): void {
    const t = this.tree;
    for (const c of t.children[node]!) {
      const kind = t.kind[c]!;
      if (kind === ACTIVE) out.push(t.clientPath(c));
      else if (kind === INACTIVE) return;
      else this.listActive(c, out);
    }
  }
}
