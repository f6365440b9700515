/**
 * The simulation engine: a clock, the event queue and named handlers. Knows nothing of Mesos.
 * Imports only the kernel's own modules.
 *
 * Handlers are registered once by name and scheduled with one numeric argument, so that the hot
 * path allocates no closure per event.
 */
import { EventQueue, MAX_EVENT_TIME, MAX_HANDLERS, type EventHandle } from './event-queue.js';
import { InvariantError } from './errors.js';
import { QueueExpiry, type LazyExpiry } from './lazy-expiry.js';
import { PHASE_NAMES, type Phase } from './phases.js';
import { type SimTime, ZERO } from './time.js';

/** A registered event handler; `arg` is whatever was scheduled with it. */
export type Handler = (arg: number) => void;

/** Index of a registered handler. */
export type HandlerId = number;

/** A clock plus an event list: schedule, step, peek, run. */
export class Simulator {
  private readonly queue: EventQueue;
  private readonly handlerFns: Handler[] = [];
  private readonly handlerNames: string[] = [];
  private _now = 0;
  private _phase = 0;
  private _seq = -1;
  private _eventsRun = 0;
  private stopRequested = false;
  /** handler and arg of the event being run (-1: none); its name is built only when asked for */
  private curHandler = -1;
  /** called after every event's handler, inside the event (see {@link onEventEnd}) */
  private eventEnd: (() => void) | null = null;
  private curArg = 0;

  /** @param initialCapacity event slots allocated up front (default 1024). */
  constructor(initialCapacity = 1024) {
    this.queue = new EventQueue(initialCapacity);
  }

  /** Current simulated time. */
  get now(): SimTime {
    return this._now as SimTime;
  }
  /** Phase of the event being run (or of the last one). */
  get phase(): number {
    return this._phase;
  }
  /** Seq of the event being run (its place among events of equal time and phase); -1 outside one. */
  get seq(): number {
    return this._seq;
  }
  /**
   * Deadlines in `phase` checked lazily ({@link LazyExpiry}): imagined events at now + delay,
   * never scheduled, that order against the real ones exactly as if they had been.
   */
  lazyExpiry(phase: Phase): LazyExpiry {
    return new QueueExpiry(this.queue, this, phase);
  }
  /** Events run so far. */
  get eventsRun(): number {
    return this._eventsRun;
  }
  /** Events pending. */
  get pending(): number {
    return this.queue.size;
  }
  /** What is running now, as `name(arg)@phase`, for error messages; '' outside any event. */
  get currentEvent(): string {
    const h = this.curHandler;
    return h < 0 ? '' : `${this.handlerNames[h]}(${this.curArg})@${PHASE_NAMES[this._phase]}`;
  }

  /** Registers a handler under a unique name. */
  register(name: string, fn: Handler): HandlerId {
    if (this.handlerNames.includes(name)) throw new Error(`handler '${name}' registered twice`);
    if (this.handlerFns.length === MAX_HANDLERS) throw new Error(`cannot register handler '${name}': at most ${MAX_HANDLERS} handlers`);
    this.handlerFns.push(fn);
    this.handlerNames.push(name);
    return this.handlerFns.length - 1;
  }

  /**
   * Schedules `handler(arg)` at absolute `time` in `phase`. Scheduling before the current
   * (time, phase) is a bug and throws: pop order never goes back. Returns a handle for
   * {@link cancel} when `cancellable` (default false), else -1.
   */
  at(time: number, phase: Phase, handler: HandlerId, arg = 0, cancellable = false): EventHandle {
    if (!Number.isSafeInteger(time)) throw this.invariant(`event time ${time} is not an integer of microseconds`);
    if (time >= MAX_EVENT_TIME) throw this.invariant(`event time ${time} us is beyond the ${MAX_EVENT_TIME} us (about 407 days) the event list holds`);
    // the queue stores phases in a byte: an unknown phase would wrap and reorder silently
    if (PHASE_NAMES[phase] === undefined) throw this.invariant(`unknown phase ${phase}`);
    if (time < this._now || (time === this._now && phase < this._phase)) {
      throw this.invariant(
        `cannot schedule ${this.handlerNames[handler] ?? handler} at t=${time} phase ${PHASE_NAMES[phase]}: before now (t=${this._now}, phase ${PHASE_NAMES[this._phase]})`,
      );
    }
    // also rejects a fractional id, which the queue would fold into another handler
    if (this.handlerFns[handler] === undefined) throw this.invariant(`unknown handler ${handler}`);
    return this.queue.schedule(time, phase, handler, arg, cancellable);
  }

  /** Schedules `handler(arg)` after `delay` microseconds (>= 0); see {@link at}. */
  after(delay: number, phase: Phase, handler: HandlerId, arg = 0, cancellable = false): EventHandle {
    if (delay < 0) throw this.invariant(`negative delay ${delay}`);
    return this.at(this._now + delay, phase, handler, arg, cancellable);
  }

  /** Cancels a pending event (tombstone). Returns false when it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  /** True when the event is still pending. */
  isPending(handle: EventHandle): boolean {
    return this.queue.isPending(handle);
  }

  /** Time of the next pending event, or Infinity. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Runs one event. Returns false when there was none. */
  step(): boolean {
    const ev = this.queue.pop();
    if (ev === undefined) return false;
    this._now = ev.time;
    this._phase = ev.phase;
    this._seq = ev.seq;
    const handler = ev.handler;
    const arg = ev.arg;
    this.curHandler = handler;
    this.curArg = arg;
    this._eventsRun++;
    try {
      this.handlerFns[handler]!(arg);
      if (this.eventEnd !== null) this.eventEnd();
    } catch (err) {
      if (err instanceof InvariantError) throw err;
      const e = new InvariantError(err instanceof Error ? err.message : String(err), this._now, this.currentEvent);
      (e as { cause?: unknown }).cause = err;
      throw e;
    } finally {
      this.curHandler = -1;
    }
    return true;
  }

  /**
   * Runs events until the queue is empty, {@link stop} is called, or the next event is at or
   * after `until` (events at `until` are not run; the clock then reads `until`).
   */
  run(until: number = Infinity): void {
    // a fractional or NaN bound would put a non-integer in the clock, or run everything
    if (until !== Infinity && !Number.isSafeInteger(until)) throw this.invariant(`run until ${until}: not an integer of microseconds`);
    this.stopRequested = false;
    while (!this.stopRequested) {
      const next = this.queue.peekTime();
      if (next === Infinity || next >= until) {
        if (until !== Infinity && until > this._now) {
          this._now = until;
          this._phase = 0;
          this._seq = -1;
        }
        break;
      }
      this.step();
    }
  }

  /**
   * Calls `fn` at the end of every event, after its handler, as part of the event: what it throws
   * is stamped with the event like the handler's own errors. One function; a second call replaces it.
   */
  onEventEnd(fn: () => void): void {
    this.eventEnd = fn;
  }

  /** Asks {@link run} to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** An {@link InvariantError} stamped with the current time and event, to throw. */
  invariant(message: string): InvariantError {
    return new InvariantError(message, this._now, this.currentEvent);
  }
}

export { ZERO };
