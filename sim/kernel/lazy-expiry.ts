/**
 * Deadlines checked lazily: an imagined event, never scheduled, at `now + delay` in one phase,
 * which keeps the place in the event order the real event would have had, and answers whether it
 * "has run" by now. The simulator builds one per phase (Simulator.lazyExpiry). Imports only the
 * kernel's event list and phase type.
 *
 * A stamp is two numbers the caller keeps in an array of its own (so stamping allocates nothing):
 * the deadline's time and the seq it took from the event list, so that it orders against real
 * events exactly as the scheduled event would, and every later event gets the seq it would have had.
 */
import type { EventQueue } from './event-queue.js';
import type { Phase } from './phases.js';

/** Numbers a stamp takes in the caller's array. */
export const STAMP_SIZE = 2;

/** Deadlines in one phase, stamped and checked against the current event. */
export interface LazyExpiry {
  /**
   * Stamps a deadline `delay` us (an integer >= 0) from now into `out[at]` and `out[at + 1]`;
   * Infinity stamps one that never passes (and takes no seq).
   */
  stamp(delay: number, out: Float64Array, at: number): void;
  /** Whether the deadline stamped at `stamp[at..]` would already have run by the current event. */
  passed(stamp: Float64Array, at: number): boolean;
}

/** Where the run stands: the current event's place in the order (the Simulator). */
export interface EventPosition {
  readonly now: number;
  readonly phase: number;
  readonly seq: number;
}

/** {@link LazyExpiry} over an event list and the run's position; see Simulator.lazyExpiry. */
export class QueueExpiry implements LazyExpiry {
  constructor(
    private readonly queue: Pick<EventQueue, 'reserveSeq'>,
    private readonly position: EventPosition,
    private readonly phase: Phase,
  ) {}

  stamp(delay: number, out: Float64Array, at: number): void {
    if (delay === Infinity) {
      out[at] = Infinity;
      out[at + 1] = 0;
      return;
    }
    out[at] = this.position.now + delay;
    out[at + 1] = this.queue.reserveSeq();
  }

  passed(stamp: Float64Array, at: number): boolean {
    const time = stamp[at]!;
    const p = this.position;
    if (time !== p.now) return time < p.now;
    if (this.phase !== p.phase) return this.phase < p.phase;
    return stamp[at + 1]! < p.seq;
  }
}
