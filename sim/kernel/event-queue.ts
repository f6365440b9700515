/**
 * The event list: a binary min-heap over typed arrays, ordered by (time, phase, seq).
 * Knows nothing of Mesos; imports only the kernel's own time type.
 *
 * Order: earlier time first; at equal time, lower phase first; at equal (time, phase), lower seq
 * first. seq is a counter the queue assigns at schedule, so equal keys come out first-in
 * first-out. Cancel marks the event's slot (a tombstone) and pop skips it; nothing is reordered.
 */

/** An opaque handle to a scheduled event: generation * 2^24 + slot. */
export type EventHandle = number;

const SLOT_BITS = 24;
const SLOT_LIMIT = 1 << SLOT_BITS;
/**
 * Generations wrap below 2^29 so that a handle stays below 2^53 and exact. The free list is a
 * stack, so in a small queue one slot is reused on nearly every event: a long run reaches 2^29.
 */
const GEN_MASK = 2 ** (53 - SLOT_BITS) - 1;
/** Tombstones tolerated before a sweep is considered. */
const COMPACT_MIN = 1024;
const FREE = 0;
const PENDING = 1;
const CANCELLED = 2;

/** What {@link EventQueue.pop} returns, reused between calls to avoid allocation. */
export interface PoppedEvent {
  time: number;
  phase: number;
  seq: number;
  handler: number;
  arg: number;
}

/** A typed-array event heap with tombstone cancellation. */
export class EventQueue {
  private cap: number;
  private times: Float64Array;
  private seqs: Float64Array;
  private args: Float64Array;
  private handlers: Int32Array;
  private phases: Uint8Array;
  private states: Uint8Array;
  private gens: Uint32Array;
  /** heap[0..heapLen) holds slot indices, cancelled ones included until popped. */
  private heap: Int32Array;
  private heapLen = 0;
  /** stack of free slots */
  private freeSlots: Int32Array;
  private freeLen = 0;
  private nextSeq = 0;
  private live = 0;
  private readonly out: PoppedEvent = { time: 0, phase: 0, seq: 0, handler: 0, arg: 0 };

  /** @param initialCapacity slots allocated up front; grows by doubling. Default 1024. */
  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity | 0);
    this.cap = cap;
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.args = new Float64Array(cap);
    this.handlers = new Int32Array(cap);
    this.phases = new Uint8Array(cap);
    this.states = new Uint8Array(cap);
    this.gens = new Uint32Array(cap);
    this.heap = new Int32Array(cap);
    this.freeSlots = new Int32Array(cap);
    for (let i = cap - 1; i >= 0; i--) this.freeSlots[this.freeLen++] = i;
  }

  /** Number of scheduled events not yet popped or cancelled. */
  get size(): number {
    return this.live;
  }

  /** Number of events ever scheduled (the next seq). */
  get scheduledCount(): number {
    return this.nextSeq;
  }

  /**
   * Takes the next seq without scheduling anything: for an event a caller only imagines (a
   * deadline checked lazily), so that it orders against the real events exactly as if it had
   * been scheduled now, and every later event gets the seq it would have had.
   */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /** Schedules an event; returns a handle for {@link cancel}. `time` must be an integer >= 0, `phase` 0..255. */
  schedule(time: number, phase: number, handler: number, arg: number): EventHandle {
    if (this.freeLen === 0) this.grow();
    const slot = this.freeSlots[--this.freeLen]!;
    this.times[slot] = time;
    this.phases[slot] = phase;
    this.seqs[slot] = this.nextSeq++;
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    this.states[slot] = PENDING;
    this.live++;
    this.siftUp(this.heapLen++, slot);
    return this.gens[slot]! * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event. Returns false when it already ran, was cancelled, or never existed. */
  cancel(handle: EventHandle): boolean {
    const slot = handle % SLOT_LIMIT;
    const gen = Math.floor(handle / SLOT_LIMIT);
    if (slot >= this.cap || this.gens[slot] !== gen || this.states[slot] !== PENDING) return false;
    this.states[slot] = CANCELLED;
    this.live--;
    // Tombstones cost memory until their time comes; when they outnumber the live events, sweep
    // them out and re-heapify. (time, phase, seq) is a total order, so pop order is unchanged.
    if (this.heapLen - this.live > COMPACT_MIN && this.heapLen - this.live > this.live) this.compact();
    return true;
  }

  /** Number of cancelled events still held in the heap (tombstones). */
  get tombstones(): number {
    return this.heapLen - this.live;
  }

  private compact(): void {
    const heap = this.heap;
    let w = 0;
    for (let i = 0; i < this.heapLen; i++) {
      const slot = heap[i]!;
      if (this.states[slot] === CANCELLED) this.release(slot);
      else heap[w++] = slot;
    }
    this.heapLen = w;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i, heap[i]!);
  }

  /** True when the handle names an event that is still pending. */
  isPending(handle: EventHandle): boolean {
    const slot = handle % SLOT_LIMIT;
    return slot < this.cap && this.gens[slot] === Math.floor(handle / SLOT_LIMIT) && this.states[slot] === PENDING;
  }

  /** Time of the next live event, or Infinity when there is none. */
  peekTime(): number {
    this.dropCancelledTop();
    return this.heapLen === 0 ? Infinity : this.times[this.heap[0]!]!;
  }

  /**
   * Removes and returns the next live event, or undefined when the queue is empty.
   * The returned object is reused by the next call: copy what you keep.
   */
  pop(): PoppedEvent | undefined {
    this.dropCancelledTop();
    if (this.heapLen === 0) return undefined;
    const slot = this.removeTop();
    const out = this.out;
    out.time = this.times[slot]!;
    out.phase = this.phases[slot]!;
    out.seq = this.seqs[slot]!;
    out.handler = this.handlers[slot]!;
    out.arg = this.args[slot]!;
    this.release(slot);
    this.live--;
    return out;
  }

  private dropCancelledTop(): void {
    while (this.heapLen > 0 && this.states[this.heap[0]!] === CANCELLED) this.release(this.removeTop());
  }

  private release(slot: number): void {
    this.states[slot] = FREE;
    this.gens[slot] = (this.gens[slot]! + 1) & GEN_MASK;
    this.freeSlots[this.freeLen++] = slot;
  }

  private removeTop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.heapLen]!;
    if (this.heapLen > 0) this.siftDown(0, last);
    return top;
  }

  /** a before b in (time, phase, seq) order */
  private less(a: number, b: number): boolean {
    const ta = this.times[a]!;
    const tb = this.times[b]!;
    if (ta !== tb) return ta < tb;
    const pa = this.phases[a]!;
    const pb = this.phases[b]!;
    if (pa !== pb) return pa < pb;
    return this.seqs[a]! < this.seqs[b]!;
  }

  private siftUp(pos: number, slot: number): void {
    const heap = this.heap;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const p = heap[parent]!;
      if (!this.less(slot, p)) break;
      heap[pos] = p;
      pos = parent;
    }
    heap[pos] = slot;
  }

  private siftDown(pos: number, slot: number): void {
    const heap = this.heap;
    const n = this.heapLen;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right]!, heap[child]!)) child = right;
      const c = heap[child]!;
      if (!this.less(c, slot)) break;
      heap[pos] = c;
      pos = child;
    }
    heap[pos] = slot;
  }

  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    if (cap > SLOT_LIMIT) throw new RangeError(`event queue exceeds ${SLOT_LIMIT} pending events`);
    const f64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    this.times = f64(this.times);
    this.seqs = f64(this.seqs);
    this.args = f64(this.args);
    const h = new Int32Array(cap); h.set(this.handlers); this.handlers = h;
    const p = new Uint8Array(cap); p.set(this.phases); this.phases = p;
    const s = new Uint8Array(cap); s.set(this.states); this.states = s;
    const g = new Uint32Array(cap); g.set(this.gens); this.gens = g;
    const heap = new Int32Array(cap); heap.set(this.heap); this.heap = heap;
    const free = new Int32Array(cap); free.set(this.freeSlots.subarray(0, this.freeLen));
    for (let i = cap - 1; i >= old; i--) free[this.freeLen++] = i;
    this.freeSlots = free;
    this.cap = cap;
  }
}
