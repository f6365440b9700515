/**
 * The FIFO sorter: active clients in the order they were added, first added first; shares,
 * weights and the path hierarchy play no part. Imports only the pure resource helpers and types;
 * no clock, no queue, no I/O, no randomness.
 */
import type { Rng } from '../../sim/kernel/rng.js';
import { NUM_RESOURCES, addInto, format, hasNegative, subInto, type ResourceVector } from '../../sim/model/resources.js';
import { ListWalk } from './list-walk.js';
import type { ClientHandle, Sorter, SorterOptions } from './sorter.js';

const NO_CLIENTS: readonly string[] = Object.freeze([]);

/** One client: its handle, whether it is ranked, and what it holds (fixed point). */
interface Client {
  readonly name: string;
  readonly handle: number;
  active: boolean;
  readonly alloc: Float64Array;
}

/**
 * First come, first served. A client keeps its place for as long as it stays added:
 * deactivating and activating it again (suppress, revive) does not send it to the back; removing
 * and adding it again does. Clients are taken as flat names ('a/b' ranks by when it was added,
 * not under 'a'). Allocations are tracked only so that `allocation()` answers and broken
 * invariants are caught; they never affect the order, so `allocated()` never re-sorts.
 */
export class FifoSorter implements Sorter {
  /** Clients in the order they were added. */
  private readonly clients: Client[] = [];
  private readonly index = new Map<string, Client>();
  /** Clients by handle; a removed client's handle is reused by a later one. */
  private readonly byHandle: (Client | undefined)[] = [];
  private readonly freeHandles: number[] = [];
  private readonly total = new Float64Array(NUM_RESOURCES);
  /** The active clients' handles in order, and their names; null when they must be listed again. */
  private orderIds: number[] | null = null;
  private order: readonly string[] | null = null;
  private readonly list = new ListWalk();

  /** A FIFO sorter; options are accepted for a uniform factory and otherwise unused (shares are ignored). */
  constructor(_options: SorterOptions = {}) {}

  add(client: string): void {
    if (client === '') throw new Error(`sorter: invalid client path '${client}'`);
    if (this.index.has(client)) throw new Error(`sorter: client '${client}' already added`);
    const handle = this.freeHandles.pop() ?? this.byHandle.length;
    const c: Client = { name: client, handle, active: false, alloc: new Float64Array(NUM_RESOURCES) };
    this.index.set(client, c);
    this.byHandle[handle] = c;
    this.clients.push(c);
  }

  remove(client: string): void {
    const c = this.entry(client);
    this.index.delete(client);
    this.clients.splice(this.clients.indexOf(c), 1);
    this.byHandle[c.handle] = undefined;
    this.freeHandles.push(c.handle);
    if (c.active) this.forgetOrder();
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
    this.forgetOrder();
  }

  deactivate(client: string): void {
    const c = this.entry(client);
    if (!c.active) return;
    c.active = false;
    this.forgetOrder();
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

  allocatedAt(handle: number, res: Float64Array, offset = 0): void {
    addInto(this.at(handle).alloc, 0, res, offset);
  }

  unallocated(client: string, res: Float64Array, offset = 0): void {
    this.take(this.entry(client), res, offset);
  }

  unallocatedAt(handle: number, res: Float64Array, offset = 0): void {
    this.take(this.at(handle), res, offset);
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
      const ids = this.activeIds();
      this.order = ids.length === 0 ? NO_CLIENTS : ids.map((h) => this.at(h).name);
    }
    return this.order;
  }

  /** A client's handle: stable for as long as it stays added. */
  handleOf(client: string): ClientHandle {
    return this.entry(client).handle as ClientHandle;
  }

  clientOf(handle: number): string {
    return this.at(handle).name;
  }

  first(_rng?: Rng): ClientHandle {
    return this.list.start(this.activeIds());
  }

  next(): ClientHandle {
    return this.list.next();
  }

  private activeIds(): number[] {
    if (this.orderIds === null) this.orderIds = this.clients.filter((c) => c.active).map((c) => c.handle);
    return this.orderIds;
  }

  /** Takes `res` back from what `c` holds; throws if that goes negative. */
  private take(c: Client, res: Float64Array, offset: number): void {
    subInto(c.alloc, 0, res, offset);
    if (hasNegative(c.alloc)) {
      throw new Error(`sorter: client '${c.name}' unallocated ${format(res, offset)}, more than it holds`);
    }
  }

  private forgetOrder(): void {
    this.order = null;
    this.orderIds = null;
  }

  private entry(client: string): Client {
    const c = this.index.get(client);
    if (c === undefined) throw new Error(`sorter: unknown client '${client}'`);
    return c;
  }

  private at(handle: number): Client {
    const c = this.byHandle[handle];
    if (c === undefined) throw new Error(`sorter: unknown client handle ${handle}`);
    return c;
  }
}
