/**
 * The checks due at the end of the instant a record opened: what the model does "at that
 * instant" (a lost task's agent removed, a finished job's job_finished, ...) is checked once the
 * log has moved past it. A leaf.
 */

/** A check due at the end of the instant a record opened. */
export type Due =
  | { readonly what: 'lost'; readonly agent: number; readonly line: number; readonly t: number; readonly task: number }
  | { readonly what: 'finish'; readonly job: number; readonly line: number; readonly t: number }
  | { readonly what: 'drop'; readonly job: number; readonly line: number; readonly t: number }
  | { readonly what: 'disconnect'; readonly fw: number; readonly line: number; readonly t: number }
  | { readonly what: 'remove'; readonly fw: number; readonly line: number; readonly t: number; readonly kills: number; readonly drops: number };

/** The checks due, in the order the records that owe them came. */
export class Instant {
  private due: Due[] = [];

  /** A check due at the end of this instant. */
  push(d: Due): void {
    this.due.push(d);
  }

  /** The checks due, emptied. */
  take(): Due[] {
    const due = this.due;
    this.due = [];
    return due;
  }

  /** Whether job `j`'s last task ended in this instant, at `t` (a 'finish' check is due for it). */
  finishes(j: number, t: number): boolean {
    return this.due.some((d) => d.what === 'finish' && d.job === j && d.t === t);
  }
}
