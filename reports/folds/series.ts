/**
 * The time series fold: rows of time-weighted means over fixed intervals (utilisation, each
 * framework's share and pending tasks, Jain's index), each final, and passed on, once the fold
 * has advanced to its end. Reads the state of the cluster and shares folds; imports only them and
 * reports' vocabulary.
 */
import { NR, perResource, type PerResource } from '../vocabulary.js';
import type { ClusterFold } from './cluster.js';
import type { SharesFold } from './shares.js';

/**
 * One row of the time series: time-weighted means over the interval [t - sample interval, t)
 * (the last row's interval ends at the run end, so it may be shorter), taken over the part of it
 * inside the run's window [first record, run end]. Per-framework arrays are indexed by framework id
 * and are as long as the number of ids seen by the row's end; an id not registered by then holds
 * NaN, and one that registered within the interval counts 0 before it did.
 */
export interface Sample {
  /** end of the row's interval, us */
  readonly t: number;
  /** mean of used / total per resource over the interval's time with a total > 0; NaN if none */
  readonly utilisation: PerResource;
  /** mean weighted dominant share per framework id */
  readonly shares: Float64Array;
  /** mean number of pending tasks per framework id */
  readonly pending: Float64Array;
  /** mean number of pending tasks over all frameworks; NaN when the interval is outside the window */
  readonly pendingTotal: number;
  /** mean of Jain's index over {@link jainTime}; NaN when that is 0 */
  readonly jain: number;
  /** time of the interval with at least two frameworks with demand, us: the weight of {@link jain} */
  readonly jainTime: number;
}

/**
 * Row k covers [(k - 1) interval, k interval) and is labelled with its end; the last row ends at
 * the run end. Every column is a time-weighted mean over the part of the row inside the window
 * (Jain over the part where it is defined, whose length the row carries), so rows weighted by
 * their length give the summary's figures.
 */
export class SeriesFold {
  /** whether rows are built at all (kept, or passed to onSample) */
  readonly on: boolean;
  private readonly samples: Sample[] = [];
  /** end of the current row's interval, us */
  private nextSample: number;
  // the current row: integrals over its part of the window
  private rowTime = 0;
  private readonly rowUtil = new Float64Array(NR);
  private readonly rowUtilTime = new Float64Array(NR);
  private rowJain = 0;
  private rowJainTime = 0;
  private rowPending = 0;

  /**
   * @param interval a row's length, us (a positive integer)
   * @param keep whether {@link kept} holds the rows
   * @param onSample called with each row once final
   */
  constructor(
    private readonly cluster: ClusterFold,
    private readonly shares: SharesFold,
    private readonly interval: number,
    private readonly keep: boolean,
    private readonly onSample: ((s: Sample) => void) | undefined,
  ) {
    this.on = keep || onSample !== undefined;
    this.nextSample = interval;
  }

  /** The rows kept so far (none unless keeping). */
  get kept(): readonly Sample[] {
    return this.samples;
  }

  /** The first record came at `t`: the rows wholly before it are empty (no time of the window). */
  begin(t: number): void {
    while (this.nextSample <= t) this.emitRow(this.nextSample);
  }

  /** The settled state held over [from, t): integrates it into the rows, closing those that end by t. */
  advance(from: number, t: number): void {
    while (this.nextSample <= t) {
      this.integrateRow(this.nextSample - from);
      from = this.nextSample;
      this.emitRow(from);
    }
    this.integrateRow(t - from);
  }

  /** The run ended at `end`, up to which every row is integrated: closes the last, shorter row. */
  end(end: number): void {
    if (this.nextSample - this.interval < end) this.emitRow(end);
  }

  /** Adds `dt` us of the current state to the current row's integrals. */
  private integrateRow(dt: number): void {
    if (dt <= 0) return;
    this.rowTime += dt;
    this.cluster.addUtilisation(this.rowUtil, this.rowUtilTime, dt);
    if (this.shares.demand >= 2) {
      this.rowJain += this.shares.jain * dt;
      this.rowJainTime += dt;
    }
    this.rowPending += this.shares.pendingTotal * dt;
  }

  /**
   * Closes the current row at `end` (its integrals are complete up to there: the state is
   * settled) and starts the next one: the row holds its means over its part of the window.
   */
  private emitRow(end: number): void {
    this.nextSample = end + this.interval - (end % this.interval);
    const n = this.shares.count;
    const time = this.rowTime;
    const shares = new Float64Array(n);
    const pending = new Float64Array(n);
    this.shares.rowMeans(end, time, shares, pending);
    const sample: Sample = {
      t: end,
      utilisation: perResource((i) => (this.rowUtilTime[i]! > 0 ? this.rowUtil[i]! / this.rowUtilTime[i]! : NaN)),
      shares,
      pending,
      pendingTotal: time > 0 ? this.rowPending / time : NaN,
      jain: this.rowJainTime > 0 ? this.rowJain / this.rowJainTime : NaN,
      jainTime: this.rowJainTime,
    };
    this.rowTime = 0;
    this.rowUtil.fill(0);
    this.rowUtilTime.fill(0);
    this.rowJain = 0;
    this.rowJainTime = 0;
    this.rowPending = 0;
    if (this.keep) this.samples.push(sample);
    this.onSample?.(sample);
  }
}
