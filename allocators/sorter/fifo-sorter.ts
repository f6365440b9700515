/**
 * The FIFO sorter: active clients in the order they were added, first added first; shares,
 * weights and the path hierarchy play no part. Imports only the pure resource helpers and types;
 * no clock, no queue, no I/O, no randomness.
 */
import { NUM_RESOURCES, addInto, format, hasNegative, subInto, type ResourceVector } from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import type { Sorter, SorterOptions } from './sorter.js';

const NO_CLIENTS: readonly string[] = Object.freeze([]);

/**
 * First come, first served. A client keeps its place for as long as it stays added:
 * deactivating and activating it again (suppress, revive) does not send it to the back; removing
 * and adding it again does. Clients are taken as flat names ('a/b' ranks by when it was added,
 * not under 'a'). Allocations are tracked only so that `allocation()` answers and broken
 * invariants are caught; they never affect the order, so `allocated()` never re-sorts.
 */
export class FifoSorter implements Sorter {
  /** Clients in the order they were added. */
  private readonly clients: string[] = [];
  private readonly index = new Map<string, { active: boolean; readonly alloc: Float64Array }>();
  private readonly total = new Float64Array(NUM_RESOURCES);
  private order: readonly string[] | null = null;

  /** A FIFO sorter; options are accepted for a uniform factory and otherwise unused (shares are ignored). */
  constructor(_options: SorterOptions = {}) {}

  add(client: string): void {
    if (client === '') throw new Error(`sorter: invalid client path '${client}'`);
    if (this.index.has(client)) throw new Error(`sorter: client '${client}' already added`);
    this.index.set(client, { active: false, alloc: new Float64Array(NUM_RESOURCES) });
    this.clients.push(client);
  }

  remove(client: string): void {
    const c = this.entry(client);
    this.index.delete(client);
    this.clients.splice(this.clients.indexOf(client), 1);
    if (c.active) this.order = null;
  }

  contains(client: string): boolean {
    return this.index.has(client);
  }

  count(): number {
    return this.clients.length;
  }

  activate(client: string): void {
    const c = this.entry(client);
    if (c.active) return;
    c.active = true;
    this.order = null;
  }

  deactivate(client: string): void {
    const c = this.entry(client);
    if (!c.active) return;
    c.active = false;
    this.order = null;
  }

  updateWeight(path: string, weight: number): void {
    // Weights do not rank anything here, but a bad one is still the caller's bug.
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new RangeError(`sorter: weight of '${path}' must be finite and > 0, got ${weight}`);
    }
  }

  allocated(client: string, res: Float64Array, offset = 0): void {
    addInto(this.entry(client).alloc, 0, res, offset);
  }

  unallocated(client: string, res: Float64Array, offset = 0): void {
    const a = this.entry(client).alloc;
    subInto(a, 0, res, offset);
    if (hasNegative(a)) {
      throw new Error(`sorter: client '${client}' unallocated ${format(res, offset)}, more than it holds`);
    }
  }

  allocation(client: string): ResourceVector {
    return this.entry(client).alloc.slice();
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

  sort(_rng?: Rng): readonly string[] {
    if (this.order === null) {
      const out = this.clients.filter((c) => this.index.get(c)!.active);
      this.order = out.length === 0 ? NO_CLIENTS : out;
    }
    return this.order;
  }

  private entry(client: string): { active: boolean; readonly alloc: Float64Array } {
    const c = this.index.get(client);
    if (c === undefined) throw new Error(`sorter: unknown client '${client}'`);
    return c;
  }
}
