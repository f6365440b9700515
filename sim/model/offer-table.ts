/**
 * The master's outstanding offers, in slots of typed arrays found by offer id: sending, answering
 * and rescinding an offer allocate nothing once the table has grown to twice the most offers ever
 * outstanding at once. Imports the shared leaves (IntMap, typed-array growth, the resource helpers) and the offer view type.
 */
import { IntMap } from '../kernel/int-map.js';
import { resized } from '../kernel/packed.js';
import type { OfferView } from './framework.js';
import { copyInto, NUM_RESOURCES } from './resources.js';
import type { AgentIx } from './ids.js';

/** A slot's view, handed to schedulers; rewritten when the slot holds a new offer. */
interface SlotView {
  id: number;
  agent: AgentIx;
  readonly res: Float64Array;
  readonly reserved: Float64Array;
  role: string | undefined;
}

/**
 * Offers sent and not yet accepted, declined or rescinded. A slot's resource vector and its
 * {@link OfferView} are allocated once and reused by later offers in that slot, which is why an
 * OfferView is valid only until its offer is answered or rescinded.
 */
export class OfferTable {
  private cap = 0;
  /** framework of the offer in each slot */
  fw = new Int32Array(0);
  /** agent of the offer in each slot */
  agent = new Int32Array(0);
  /** when the offer was sent, us */
  sentAt = new Float64Array(0);
  /** its offer-timeout event handle, -1 for none */
  timeout = new Float64Array(0);
  /** offered resources of each slot (fixed point), reserved part included; one vector per slot, reused */
  readonly res: Float64Array[] = [];
  /** the part of `res` taken from a reservation (fixed point, zero when none); reused like `res` */
  readonly reserved: Float64Array[] = [];
  /** the master's reservation pool the reserved part came from, -1 for none */
  pool = new Int32Array(0);
  private readonly views: SlotView[] = [];
  /** 1 for a slot holding an outstanding offer */
  private used = new Uint8Array(0);
  /**
   * where the search for a free slot starts (next fit): new offers take the free slots after the
   * last one taken, skipping offers still held, so a run's offers sit in slots in the order they
   * were made and answering them walks the arrays in order instead of at random. Back to 0 when
   * the table empties. The table keeps at least half its slots free, so the search is short.
   */
  private cursor = 0;
  private readonly byId = new IntMap(64);

  /** Offers outstanding. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * Stores an offer (to `role` of a multi-role framework, or undefined); copies `res[offset..]`.
   * Returns its slot. The id must not be outstanding.
   */
  add(id: number, fw: number, agent: number, res: Float64Array, offset: number, sentAt: number, role?: string): number {
    if ((this.byId.size + 1) * 2 > this.cap) this.grow();
    const used = this.used;
    const last = this.cap - 1;
    let s = this.cursor;
    while (used[s] !== 0) s = s === last ? 0 : s + 1;
    used[s] = 1;
    this.cursor = s === last ? 0 : s + 1;
    this.fw[s] = fw;
    this.agent[s] = agent;
    this.sentAt[s] = sentAt;
    this.timeout[s] = -1;
    // A slot's reserved part is non-zero only after an offer with a pool (TypedArray#fill costs
    // a builtin call, so a slot is cleared only when that offer may have left something).
    if (this.pool[s] !== -1) {
      this.pool[s] = -1;
      const r = this.reserved[s]!;
      for (let i = 0; i < NUM_RESOURCES; i++) r[i] = 0;
    }
    copyInto(this.res[s]!, 0, res, offset);
    const v = this.views[s]!;
    v.id = id;
    v.agent = agent as AgentIx;
    v.role = role;
    this.byId.set(id, s);
    return s;
  }

  /** The slot of outstanding offer `id`, or -1. */
  slotOf(id: number): number {
    return this.byId.get(id);
  }

  /** The role of the offer in slot `s` (a multi-role framework's), or undefined. */
  roleOf(s: number): string | undefined {
    return this.views[s]!.role;
  }

  /** The scheduler's view of the offer in slot `s`. */
  view(s: number): OfferView {
    return this.views[s]!;
  }

  /** Removes the offer in slot `s` (its vector and view stay readable until the slot is reused). */
  remove(s: number): void {
    this.byId.delete(this.views[s]!.id);
    this.used[s] = 0;
    if (this.byId.size === 0) this.cursor = 0;
  }

  private grow(): void {
    const old = this.cap;
    const cap = Math.max(16, old * 2);
    this.fw = resized(this.fw, cap);
    this.agent = resized(this.agent, cap);
    this.pool = resized(this.pool, cap, -1);
    this.sentAt = resized(this.sentAt, cap);
    this.timeout = resized(this.timeout, cap);
    this.used = resized(this.used, cap);
    for (let s = old; s < cap; s++) {
      const res = new Float64Array(NUM_RESOURCES);
      const reserved = new Float64Array(NUM_RESOURCES);
      this.res.push(res);
      this.reserved.push(reserved);
      this.views.push({ id: -1, agent: -1 as AgentIx, res, reserved, role: undefined });
    }
    this.cap = cap;
  }
}
