/**
 * The weighted random sorter, as Mesos `sorter/random/sorter.cpp` and `utils.hpp` (notes §1.3):
 * every sort is a weighted shuffle of the active clients; shares are ignored. Imports only the
 * pure resource helpers and types; no clock, no queue, no I/O; draws only from the stream given.
 */
import { NUM_RESOURCES, addInto, format, hasNegative, subInto, type ResourceVector } from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import { ClientTree, NODE_KIND } from './client-tree.js';
import { ListWalk } from './list-walk.js';
import type { ClientHandle, Sorter, SorterOptions } from './sorter.js';

const ACTIVE = NODE_KIND.activeLeaf;
const INTERNAL = NODE_KIND.internal;

const NO_CLIENTS: readonly string[] = Object.freeze([]);

/**
 * Weighted shuffle (Efraimidis–Spirakis), in place: item i gets the key −u_i^(1/w_i) with one
 * draw u_i per item, in input order, and the items are sorted ascending by key, so P(first) is
 * proportional to weight. We order by log(u_i)/w_i descending, which is the same order but
 * does not underflow to ties for tiny weights; remaining ties (u = 0) keep input order.
 * Draws nothing for fewer than two items. `weights` are > 0; `items` and `weights` are parallel.
 */
export function weightedShuffle<T>(items: T[], weights: ArrayLike<number>, rng: Rng): T[] {
  const n = items.length;
  if (n < 2) return items;
  const keys = new Float64Array(n);
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    keys[i] = Math.log(rng.next()) / weights[i]!;
    idx[i] = i;
  }
  idx.sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    if (ka !== kb) return ka > kb ? -1 : 1;
    return a - b;
  });
  const copy = items.slice();
  for (let i = 0; i < n; i++) items[i] = copy[idx[i]!]!;
  return items;
}

/**
 * Random ordering weighted by relative weight. In a hierarchy, each active leaf's relative
 * weight is the product down its path of weight(node) / sum of the weights of the node and its
 * active siblings (a node is active when its subtree holds an active leaf); one weighted shuffle
 * then runs over all active leaves, as Mesos does. Allocations are tracked only so that
 * `allocation()` answers; they never affect the order.
 */
export class RandomSorter implements Sorter {
  private readonly tree = new ClientTree();
  private readonly total = new Float64Array(NUM_RESOURCES);
  private stale = true;
  /** The active leaves in tree order, and their clients. */
  private leafIds: number[] = [];
  private leaves: string[] = [];
  private relWeights = new Float64Array(0);
  private activeMark = new Uint8Array(0);
  private readonly list = new ListWalk();

  /** A random sorter; options are accepted for a uniform factory and otherwise unused (shares are ignored). */
  constructor(_options: SorterOptions = {}) {}

  add(client: string): void {
    this.tree.add(client);
    this.stale = true;
  }

  remove(client: string): void {
    this.tree.remove(client);
    this.stale = true;
  }

  contains(client: string): boolean {
    return this.tree.clients.has(client);
  }

  count(): number {
    return this.tree.clientCount;
  }

  activate(client: string): void {
    if (this.tree.activate(client)) this.stale = true;
  }

  deactivate(client: string): void {
    if (this.tree.deactivate(client)) this.stale = true;
  }

  updateWeight(path: string, weight: number): void {
    this.tree.setWeight(path, weight);
    this.stale = true;
  }

  allocated(client: string, res: Float64Array, offset = 0): void {
    this.allocatedAt(this.tree.leaf(client), res, offset);
  }

  allocatedAt(leaf: number, res: Float64Array, offset = 0): void {
    const t = this.tree;
    for (let n = leaf; n !== -1; n = t.parent[n]!) {
      t.addAlloc(n, res, offset);
      t.allocCount[n]! += 1;
    }
  }

  /** A client's handle is its leaf node: stable while no client is added or removed. */
  handleOf(client: string): ClientHandle {
    return this.tree.leaf(client) as ClientHandle;
  }

  clientOf(handle: number): string {
    return this.tree.clientPath(handle);
  }

  /** Draws the weighted shuffle {@link sort} would (the same draws, the same order) and walks it. */
  first(rng: Rng): ClientHandle {
    return this.list.start(this.shuffled(rng));
  }

  next(): ClientHandle {
    return this.list.next();
  }

  unallocated(client: string, res: Float64Array, offset = 0): void {
    this.tree.unallocate(client, res, offset);
  }

  unallocatedAt(leaf: number, res: Float64Array, offset = 0): void {
    this.tree.unallocateAt(leaf, res, offset);
  }

  allocation(client: string): ResourceVector {
    const o = this.tree.leaf(client) * NUM_RESOURCES;
    return this.tree.alloc.slice(o, o + NUM_RESOURCES);
  }

  addTotal(res: Float64Array, offset = 0): void {
    addInto(this.total, 0, res, offset);
  }

  removeTotal(res: Float64Array, offset = 0): void {
    subInto(this.total, 0, res, offset);
    if (hasNegative(this.total)) {
      throw new Error(`sorter: removing ${format(res, offset)} makes the total negative`);
    }
  }

  sort(rng: Rng): readonly string[] {
    const ids = this.shuffled(rng);
    if (ids.length === 0) return NO_CLIENTS;
    const t = this.tree;
    return ids.map((n) => t.clientPath(n));
  }

  /** The active leaves in a fresh weighted shuffle (one draw each, none for fewer than two). */
  private shuffled(rng: Rng): number[] {
    if (this.stale) this.updateRelativeWeights();
    return weightedShuffle(this.leafIds.slice(), this.relWeights, rng);
  }

  /** The active clients and their relative weights, in tree order (for tests and reports). */
  relativeWeights(): ReadonlyMap<string, number> {
    if (this.stale) this.updateRelativeWeights();
    return new Map(this.leaves.map((c, i) => [c, this.relWeights[i]!]));
  }

  private updateRelativeWeights(): void {
    const t = this.tree;
    if (this.activeMark.length < t.kind.length) this.activeMark = new Uint8Array(t.kind.length);
    this.activeMark.fill(0);
    this.markActive(t.root);
    const leafIds: number[] = [];
    const weights: number[] = [];
    this.collect(t.root, 1, leafIds, weights);
    this.leafIds = leafIds;
    this.leaves = leafIds.map((n) => t.clientPath(n));
    this.relWeights = Float64Array.from(weights);
    this.stale = false;
  }

  /** Post-order: marks nodes whose subtree holds an active leaf. */
  private markActive(node: number): boolean {
    const t = this.tree;
    const kind = t.kind[node]!;
    if (kind !== INTERNAL) return kind === ACTIVE;
    let any = false;
    for (const c of t.children[node]!) if (this.markActive(c)) any = true;
    if (any) this.activeMark[node] = 1;
    return any;
  }

  /** Pre-order: relative weight of each active leaf, children in tree order. */
  private collect(node: number, rw: number, leaves: number[], weights: number[]): void {
    const t = this.tree;
    const kids = t.children[node]!;
    let sum = 0;
    for (const c of kids) if (this.isActive(c)) sum += t.weight[c]!;
    for (const c of kids) {
      if (!this.isActive(c)) continue;
      const crw = (rw * t.weight[c]!) / sum;
      if (t.kind[c] === ACTIVE) {
        leaves.push(c);
        weights.push(crw);
      } else {
        this.collect(c, crw, leaves, weights);
      }
    }
  }

  private isActive(node: number): boolean {
    const kind = this.tree.kind[node]!;
    return kind === ACTIVE || (kind === INTERNAL && this.activeMark[node] === 1);
  }
}
