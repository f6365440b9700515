/**
 * Progress of one run on stderr (`offersim run`): a log sink that watches the simulated time of
 * the records going by and, from the wall clock, says how far the run is. On a terminal it is one
 * line redrawn in place at most {@link REDRAW_MS} ms apart; otherwise a plain line each time
 * another tenth of a run with a known end (`duration`) is simulated, or every
 * {@link PLAIN_EVERY_MS} ms of wall time for a run to completion. Time left is shown only when the
 * run's end is known (a `duration`): a run to completion ends when its last job finishes, which
 * nothing tells in advance, and no estimate is better than a wrong one. Composition root: the only
 * place a run reads the wall clock besides timing.json, and nothing here reaches a run's files.
 */
import { performance } from 'node:perf_hooks';
import type { LogBlock, LogRecord, LogSink } from '../sim/model/log.js';

/** The least wall time between two redraws of the terminal line. */
export const REDRAW_MS = 250;
/** The wall time between two plain lines of a run to completion. */
export const PLAIN_EVERY_MS = 10_000;
/** Records between two looks at the wall clock (a power of two: a mask). */
const CHECK_EVERY = 4096;

/** Where progress goes and how. */
export interface ProgressOptions {
  /** writes text to stderr */
  readonly write: (text: string) => void;
  /** stderr is a terminal: one line redrawn in place */
  readonly tty: boolean;
  /** the simulated end, seconds, when the run has a fixed one (its `duration`); undefined for a run to completion */
  readonly endSeconds: number | undefined;
}

/**
 * A span of time as people read it, the unit suiting its length: `42 s`, `12.5 min`, `3.2 h`, `4.1 days`.
 * @example humanSeconds(0.25) // '0.3 s'
 * @example humanSeconds(90) // '90 s'
 * @example humanSeconds(9000) // '2.5 h'
 */
export function humanSeconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 2 * 86_400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}

/** The progress sink of one run: add it to the run's sinks, call {@link finish} when the run is over. */
export class RunProgress implements LogSink {
  private readonly t0 = performance.now();
  private records = 0;
  private lastT = 0;
  /** when the last line was shown; a terminal's first line comes at the first look */
  private lastShown: number;
  private tenths = 0;
  private drawn = false;

  constructor(private readonly o: ProgressOptions) {
    this.lastShown = o.tty ? -Infinity : this.t0;
  }

  record(r: LogRecord): void {
    this.lastT = r.t;
    if ((++this.records & (CHECK_EVERY - 1)) !== 0) return;
    this.tick();
  }

  block(b: LogBlock): void {
    if (b.length === 0) return;
    const before = this.records;
    this.records += b.length;
    this.lastT = b.t[b.length - 1]!;
    // As record() would have: a look each time the count passes a multiple of CHECK_EVERY.
    if (Math.floor(this.records / CHECK_EVERY) !== Math.floor(before / CHECK_EVERY)) this.tick();
  }

  private tick(): void {
    const now = performance.now();
    const end = this.o.endSeconds;
    const simSeconds = this.lastT / 1_000_000;
    if (this.o.tty) {
      if (now - this.lastShown < REDRAW_MS) return;
    } else if (end !== undefined && end > 0) {
      const tenths = Math.min(10, Math.floor((10 * simSeconds) / end));
      if (tenths <= this.tenths) return;
      this.tenths = tenths;
    } else if (now - this.lastShown < PLAIN_EVERY_MS) return;
    this.lastShown = now;
    const text = this.line(simSeconds, (now - this.t0) / 1000);
    if (this.o.tty) {
      this.o.write(`\r${text}\x1b[K`);
      this.drawn = true;
    } else this.o.write(`${text}\n`);
  }

  /** The progress text: simulated time, share of the end, records per wall second, time left. */
  line(simSeconds: number, wallSeconds: number): string {
    const end = this.o.endSeconds;
    const parts = [`run: simulated ${humanSeconds(simSeconds)}`];
    const fraction = end !== undefined && end > 0 ? Math.min(1, simSeconds / end) : undefined;
    if (fraction !== undefined) parts[0] += ` of ${humanSeconds(end!)} (${Math.floor(100 * fraction)}%)`;
    if (wallSeconds > 0) parts.push(`${Math.round(this.records / wallSeconds).toLocaleString('en-US')} records/s`);
    // Left: the wall time so far, scaled by what is left of the simulated span (records come at
    // a steady pace in simulated time only roughly: an estimate, said as "about").
    if (fraction !== undefined && fraction >= 0.01 && fraction < 1) parts.push(`about ${humanSeconds((wallSeconds * (1 - fraction)) / fraction)} left`);
    return parts.join(', ');
  }

  /** The run is over: a terminal's line is cleared (what follows is the result). */
  finish(): void {
    if (this.drawn) this.o.write('\r\x1b[K');
  }
}
