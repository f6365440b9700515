/**
 * The event list: a binary min-heap over typed arrays, ordered by (time, phase, seq).
 * Knows nothing of Mesos; imports only the kernel's time module (its exact range) and the leaf that
 * grows typed arrays.
 *
 * Order: earlier time first; at equal time, lower phase first; at equal (time, phase), lower seq
 * first. seq is a counter the queue assigns at schedule, so equal keys come out first-in
 * first-out. Cancel leaves a tombstone that pop skips; nothing is reordered.
 */
import { resized } from './packed.js';
import { EXACT_TIME_LIMIT_MICROS } from './time.js';

/**
 * A handle to a cancellable event: its seq. Events scheduled without `cancellable` get -1 and
 * cannot be cancelled.
 */
export type EventHandle = number;

/** Phases are integers in [0, PHASES): an event's key is time * PHASES + phase. */
const PHASES = 256;
/**
 * Times are integer us below 2^45 (about 407 days), so that time * 256 + phase is exact in a
 * double: the exact range of times (sim/kernel/time.ts) divided among the phases.
 */
export const MAX_EVENT_TIME = EXACT_TIME_LIMIT_MICROS / PHASES;
/** Handler ids are below 64: they share a double with the seq (seq * 128 + flag * 64 + handler). */
export const MAX_HANDLERS = 64;
const ORD_MUL = 128;
/** seq * 128 + 127 stays exact in a double below this. */
const MAX_SEQ = 2 ** 46;
const CANCELLABLE = 64;
/** Doubles per event: key (time * 256 + phase), ord (seq * 128 + cancellable * 64 + handler), arg. */
const STRIDE = 3;
/** Tombstones tolerated before a sweep is considered. */
const COMPACT_MIN = 1024;

/** What {@link EventQueue.pop} returns, reused between calls to avoid allocation. */
export interface PoppedEvent {
  time: number;
  phase: number;
  seq: number;
  handler: number;
  arg: number;
}

/**
 * A binary min-heap of events stored in place, three doubles each (24 bytes an event, plus the
 * doubling's spare room): the (time, phase) key, the seq with the handler id, and the argument.
 * No slot table and no free list: an event moves with its key. Cancellable events (few: offer
 * timeouts, failover deadlines) are also kept in a set of pending seqs; cancelling one leaves a
 * tombstone (its seq in another set) that peek and pop skip.
 */
export class EventQueue {
  private cap: number;
  private ev: Float64Array;
  /** ev[0 .. len * STRIDE) holds the heap, tombstones included until popped or swept. */
  private len = 0;
  private nextSeq = 0;
  private live = 0;
  /** seqs of cancellable events still pending */
  private readonly cancellable = new Set<number>();
  /** seqs of cancelled events still in the heap */
  private readonly cancelled = new Set<number>();
  private readonly out: PoppedEvent = { time: 0, phase: 0, seq: 0, handler: 0, arg: 0 };

  /** @param initialCapacity events room is made for up front; grows by doubling. Default 1024. */
  constructor(initialCapacity = 1024) {
    this.cap = Math.max(16, initialCapacity | 0);
    this.ev = new Float64Array(this.cap * STRIDE);
  }

  /** Number of scheduled events not yet popped or cancelled. */
  get size(): number {
    return this.live;
  }

  /** Number of events ever scheduled, and seqs reserved (the next seq). */
  get scheduledCount(): number {
    return this.nextSeq;
  }

  /** Bytes of event storage allocated now (capacity x 24). */
  get bytesAllocated(): number {
    return this.ev.byteLength;
  }

  /**
   * Takes the next seq without scheduling anything: for an event a caller only imagines (a
   * deadline checked lazily), so that it orders against the real events exactly as if it had
   * been scheduled now, and every later event gets the seq it would have had.
   */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /**
   * Schedules an event: `time` an integer in [0, {@link MAX_EVENT_TIME}), `phase` 0..255,
   * `handler` 0..{@link MAX_HANDLERS}-1 (RangeError otherwise). Returns a handle for
   * {@link cancel} when `cancellable`, else -1.
   */
  schedule(time: number, phase: number, handler: number, arg: number, cancellable = false): EventHandle {
    if (!(time >= 0 && time < MAX_EVENT_TIME) || time !== Math.floor(time)) throw new RangeError(`event time ${time} is not an integer in [0, 2^45) us`);
    if (!(phase >= 0 && phase < PHASES) || (phase | 0) !== phase) throw new RangeError(`event phase ${phase} is not an integer in [0, ${PHASES})`);
    if (!(handler >= 0 && handler < MAX_HANDLERS) || (handler | 0) !== handler)
      throw new RangeError(`handler id ${handler} is not an integer in [0, ${MAX_HANDLERS})`);
    if (this.len === this.cap) this.grow();
    const seq = this.nextSeq++;
    if (seq >= MAX_SEQ) throw new RangeError(`more than 2^46 events scheduled`);
    this.siftUp(this.len++, time * PHASES + phase, seq * ORD_MUL + (cancellable ? CANCELLABLE : 0) + handler, arg);
    this.live++;
    if (!cancellable) return -1;
    this.cancellable.add(seq);
    return seq;
  }

  /** Cancels a pending cancellable event. Returns false when it already ran, was cancelled, or never existed. */
  cancel(handle: EventHandle): boolean {
    if (!this.cancellable.delete(handle)) return false;
    this.cancelled.add(handle);
    this.live--;
    // Tombstones cost memory until their time comes; when they outnumber the live events, sweep
    // them out and re-heapify. (time, phase, seq) is a total order, so pop order is unchanged.
    const dead = this.len - this.live;
    if (dead > COMPACT_MIN && dead > this.live) this.compact();
    return true;
  }

  /** Number of cancelled events still held in the heap (tombstones). */
  get tombstones(): number {
    return this.len - this.live;
  }

  /** True when the handle names a cancellable event that is still pending. */
  isPending(handle: EventHandle): boolean {
    return this.cancellable.has(handle);
  }

  /** Time of the next live event, or Infinity when there is none. */
  peekTime(): number {
    this.dropCancelledTop();
    if (this.len === 0) return Infinity;
    const key = this.ev[0]!;
    return (key - (key % PHASES)) / PHASES;
  }

  /**
   * Removes and returns the next live event, or undefined when the queue is empty.
   * The returned object is reused by the next call: copy what you keep.
   */
  pop(): PoppedEvent | undefined {
    const ev = this.ev;
    for (;;) {
      if (this.len === 0) return undefined;
      const key = ev[0]!;
      const ord = ev[1]!;
      const arg = ev[2]!;
      this.removeTop();
      const low = ord % ORD_MUL;
      const seq = (ord - low) / ORD_MUL;
      if (low >= CANCELLABLE) {
        if (this.cancelled.delete(seq)) continue;
        this.cancellable.delete(seq);
      }
      const out = this.out;
      const phase = key % PHASES;
      out.time = (key - phase) / PHASES;
      out.phase = phase;
      out.seq = seq;
      out.handler = low & (CANCELLABLE - 1);
      out.arg = arg;
      this.live--;
      return out;
    }
  }

  private dropCancelledTop(): void {
    const ev = this.ev;
    while (this.len > 0 && this.cancelled.size > 0) {
      const ord = ev[1]!;
      const low = ord % ORD_MUL;
      if (low < CANCELLABLE || !this.cancelled.delete((ord - low) / ORD_MUL)) return;
      this.removeTop();
    }
  }

  private compact(): void {
    const ev = this.ev;
    let w = 0;
    for (let i = 0; i < this.len; i++) {
      const o = i * STRIDE;
      const ord = ev[o + 1]!;
      const low = ord % ORD_MUL;
      if (low >= CANCELLABLE && this.cancelled.delete((ord - low) / ORD_MUL)) continue;
      const d = w * STRIDE;
      ev[d] = ev[o]!;
      ev[d + 1] = ord;
      ev[d + 2] = ev[o + 2]!;
      w++;
    }
    this.len = w;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i, ev[i * STRIDE]!, ev[i * STRIDE + 1]!, ev[i * STRIDE + 2]!);
  }

  private removeTop(): void {
    const n = --this.len;
    if (n > 0) {
      const o = n * STRIDE;
      const ev = this.ev;
      this.siftDown(0, ev[o]!, ev[o + 1]!, ev[o + 2]!);
    }
  }

  /** Places (key, ord, arg) at or above position `pos`, moving larger parents down. */
  private siftUp(pos: number, key: number, ord: number, arg: number): void {
    const ev = this.ev;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const p = parent * STRIDE;
      const pk = ev[p]!;
      if (pk < key || (pk === key && ev[p + 1]! < ord)) break;
      const d = pos * STRIDE;
      ev[d] = pk;
      ev[d + 1] = ev[p + 1]!;
      ev[d + 2] = ev[p + 2]!;
      pos = parent;
    }
    const d = pos * STRIDE;
    ev[d] = key;
    ev[d + 1] = ord;
    ev[d + 2] = arg;
  }

  /** Places (key, ord, arg) at or below position `pos` (of a heap of len events), moving smaller children up. */
  private siftDown(pos: number, key: number, ord: number, arg: number): void {
    const ev = this.ev;
    const n = this.len;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let c = child * STRIDE;
      if (child + 1 < n) {
        const r = c + STRIDE;
        const rk = ev[r]!;
        const ck = ev[c]!;
        if (rk < ck || (rk === ck && ev[r + 1]! < ev[c + 1]!)) {
          child++;
          c = r;
        }
      }
      const ck = ev[c]!;
      if (key < ck || (key === ck && ord < ev[c + 1]!)) break;
      const d = pos * STRIDE;
      ev[d] = ck;
      ev[d + 1] = ev[c + 1]!;
      ev[d + 2] = ev[c + 2]!;
      pos = child;
    }
    const d = pos * STRIDE;
    ev[d] = key;
    ev[d + 1] = ord;
    ev[d + 2] = arg;
  }

  private grow(): void {
    const cap = this.cap * 2;
    this.ev = resized(this.ev, cap * STRIDE);
    this.cap = cap;
  }
}
