/**
 * The master's refuse filters (decline and accept filters, Mesos `OfferFilter`), in slots of typed
 * arrays linked into one list per (framework, agent) and one per framework: installing, expiring
 * and checking a filter allocate nothing once the table has grown. Imports the resource helpers
 * and the kernel's lazy deadlines.
 */
import { STAMP_SIZE, type LazyExpiry } from '../kernel/lazy-expiry.js';
import { resized } from '../kernel/packed.js';
import { contains, copyInto, NUM_RESOURCES } from './resources.js';

const NONE = -1;

/**
 * Installed filters. A filter of framework f on agent a refuses any resource set it contains
 * (the same or smaller). {@link blocks} walks only the (f, a) list; clearing a framework's filters
 * walks only its own list.
 *
 * A filter expires at a deadline stamped when it was added (a {@link LazyExpiry}): the place its
 * expiry event would have had in the event order. No event is scheduled: a filter past its expiry
 * is ignored, and removed, by whatever walks over it next ({@link blocks}, {@link add} on the same
 * pair, {@link countLive}), which gives the same answers as removing it by an event at that place,
 * and saves an event per decline.
 */
export class RefuseFilters {
  private cap = 0;
  private count = 0;
  /** framework of each slot, -1 when free */
  fw = new Int32Array(0);
  /** agent of each slot */
  agent = new Int32Array(0);
  /** each slot's expiry as the deadlines stamp it (stride STAMP_SIZE; see the class comment) */
  private expiry = new Float64Array(0);
  /** refused resources, stride NUM_RESOURCES, fixed point */
  private res = new Float64Array(0);
  // doubly linked list per (framework, agent)
  private nextA = new Int32Array(0);
  private prevA = new Int32Array(0);
  // doubly linked list per framework
  private nextF = new Int32Array(0);
  private prevF = new Int32Array(0);
  /** per framework: first slot of each agent's list (grown on demand; absent or -1: none) */
  private readonly headA: Int32Array[] = [];
  /** per framework: first slot of its list, -1: none */
  private readonly headF: number[] = [];
  private free = new Int32Array(0);
  private freeLen = 0;

  /**
   * Filters that expire lazily at deadlines of `deadlines`; without them they never expire by
   * themselves (remove them).
   */
  constructor(private readonly deadlines: LazyExpiry | null = null) {}

  /** Filters installed, expired ones not yet removed included (see {@link countLive}). */
  get size(): number {
    return this.count;
  }

  /** Whether slot `s`'s filter is past its expiry. */
  expired(s: number): boolean {
    return this.deadlines !== null && this.deadlines.passed(this.expiry, s * STAMP_SIZE);
  }

  /** Filters in force now: removes every expired one, then counts. O(slots). */
  countLive(): number {
    for (let s = 0; s < this.cap; s++) if (this.fw[s] !== NONE && this.expired(s)) this.remove(s);
    return this.count;
  }

  /**
   * Installs a filter of `fw` on `agent` refusing `res[offset..]` for `timeout` us from now (an
   * integer; default Infinity, never: the only timeout without deadlines); returns its slot.
   * Expired filters of the same pair go first.
   */
  add(fw: number, agent: number, res: Float64Array, offset: number, timeout = Infinity): number {
    this.dropExpired(fw, agent);
    if (this.freeLen === 0) this.grow();
    const s = this.free[--this.freeLen]!;
    this.fw[s] = fw;
    this.agent[s] = agent;
    if (this.deadlines !== null) this.deadlines.stamp(timeout, this.expiry, s * STAMP_SIZE);
    else if (timeout !== Infinity) throw new RangeError('a refuse filter with a timeout needs deadlines to expire at');
    copyInto(this.res, s * NUM_RESOURCES, res, offset);
    while (this.headF.length <= fw) this.headF.push(NONE);
    while (this.headA.length <= fw) this.headA.push(new Int32Array(0));
    let heads = this.headA[fw]!;
    if (agent >= heads.length) {
      this.headA[fw] = heads = resized(heads, Math.max(16, agent + 1, heads.length * 2), NONE);
    }
    const a = heads[agent]!;
    this.prevA[s] = NONE;
    this.nextA[s] = a;
    if (a !== NONE) this.prevA[a] = s;
    heads[agent] = s;
    const f = this.headF[fw]!;
    this.prevF[s] = NONE;
    this.nextF[s] = f;
    if (f !== NONE) this.prevF[f] = s;
    this.headF[fw] = s;
    this.count++;
    return s;
  }

  /** Whether slot `s` holds an installed filter. */
  installed(s: number): boolean {
    return s >= 0 && s < this.cap && this.fw[s] !== NONE;
  }

  /** Removes the filter in slot `s`. */
  remove(s: number): void {
    const fw = this.fw[s]!;
    const pa = this.prevA[s]!;
    const na = this.nextA[s]!;
    if (pa === NONE) this.headA[fw]![this.agent[s]!] = na;
    else this.nextA[pa] = na;
    if (na !== NONE) this.prevA[na] = pa;
    const pf = this.prevF[s]!;
    const nf = this.nextF[s]!;
    if (pf === NONE) this.headF[fw] = nf;
    else this.nextF[pf] = nf;
    if (nf !== NONE) this.prevF[nf] = pf;
    this.fw[s] = NONE;
    this.free[this.freeLen++] = s;
    this.count--;
  }

  /** Some filter of `fw`, or -1 when it has none: remove them one by one with {@link remove}. */
  firstOf(fw: number): number {
    return this.headF[fw] ?? NONE;
  }

  /** Whether a filter of `fw` on `agent` refuses `res[offset..]` (contains it). */
  blocks(fw: number, agent: number, res: Float64Array, offset: number): boolean {
    const heads = this.headA[fw];
    if (heads === undefined || agent >= heads.length) return false;
    for (let s = heads[agent]!; s !== NONE;) {
      const next = this.nextA[s]!;
      if (this.expired(s)) this.remove(s);
      else if (contains(this.res, s * NUM_RESOURCES, res, offset)) return true;
      s = next;
    }
    return false;
  }

  /** Removes the expired filters of (fw, agent). */
  private dropExpired(fw: number, agent: number): void {
    const heads = this.headA[fw];
    if (heads === undefined || agent >= heads.length) return;
    for (let s = heads[agent]!; s !== NONE;) {
      const next = this.nextA[s]!;
      if (this.expired(s)) this.remove(s);
      s = next;
    }
  }

  private grow(): void {
    const old = this.cap;
    const cap = Math.max(16, old * 2);
    this.fw = resized(this.fw, cap, NONE);
    this.agent = resized(this.agent, cap);
    this.expiry = resized(this.expiry, cap * STAMP_SIZE);
    this.res = resized(this.res, cap * NUM_RESOURCES);
    this.nextA = resized(this.nextA, cap);
    this.prevA = resized(this.prevA, cap);
    this.nextF = resized(this.nextF, cap);
    this.prevF = resized(this.prevF, cap);
    const free = resized(this.free.subarray(0, this.freeLen), cap);
    for (let s = cap - 1; s >= old; s--) free[this.freeLen++] = s;
    this.free = free;
    this.cap = cap;
  }
}
