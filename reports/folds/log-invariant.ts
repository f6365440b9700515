/**
 * The error of a log that broke a contract the metric fold relies on. A leaf: imports nothing.
 */

/**
 * The log broke a contract the fold relies on (time going back, an unknown id, an offer answered
 * twice, more launches than submitted tasks): a simulator bug, never bad input.
 */
export class LogInvariantError extends Error {
  /** simulated time of the offending record, us */
  readonly time: number;
  /** the offending record's kind */
  readonly event: string;
  constructor(message: string, time: number, event: string) {
    super(`metrics: invariant broken at t=${time} us in ${event}: ${message}`);
    this.name = 'LogInvariantError';
    this.time = time;
    this.event = event;
  }
}
