/**
 * The error a broken invariant throws: it carries the simulated time and the event being run.
 * Imports nothing.
 */

/** A broken invariant inside the simulation: a bug, never bad input. */
export class InvariantError extends Error {
  /** Simulated time (us) at which it broke. */
  readonly time: number;
  /** The event being handled, as `name(arg)@phase`, or '' outside any event. */
  readonly event: string;
  constructor(message: string, time: number, event: string) {
    super(`invariant broken at t=${time} us${event ? ` in event ${event}` : ''}: ${message}`);
    this.name = 'InvariantError';
    this.time = time;
    this.event = event;
  }
}
