/**
 * The shares and fairness fold: the registered frameworks, what their tasks hold, their pending
 * tasks, their weighted dominant shares over time, and Jain's index over the frameworks with
 * demand, over the run and over the arrival window. Imports only the log's types, reports'
 * vocabulary and the cluster fold (for the totals the shares divide by).
 */
import { NR, RESOURCE_NAMES, type ResourceName } from '../vocabulary.js';
import { grown } from '../../sim/kernel/packed.js';
import type { ClusterFold } from './cluster.js';
import { LogInvariantError } from './log-invariant.js';

/** The shares fold's part of the summary. */
export interface SharesSummary {
  /** frameworks registered */
  readonly frameworks: number;
  /**
   * time-weighted mean of Jain's index over the run's time with at least two frameworks with
   * demand (pending tasks); NaN if there was none
   */
  readonly jainMean: number;
  /** minimum of Jain's index over intervals of positive length with at least two frameworks with demand; NaN if none */
  readonly jainMin: number;
  /** time with at least two frameworks with demand (the jainMean denominator), us */
  readonly jainTime: number;
  /** {@link jainMean} over the arrival window [first, last job_submitted] only; NaN if it had no such time */
  readonly jainArrivalMean: number;
  /** {@link jainMin} over the arrival window only; NaN if it had no such time */
  readonly jainArrivalMin: number;
  /** {@link jainTime} within the arrival window, us */
  readonly jainArrivalTime: number;
}

/** The shares fold's part of a framework's row. */
export interface SharesFrameworkRow {
  /** framework name */
  readonly name: string;
  /** role name */
  readonly role: string;
  /** role weight */
  readonly weight: number;
  /** scheduler behaviour, e.g. 'batch' */
  readonly behaviour: string;
  /** jobs submitted */
  readonly jobs: number;
  /** tasks submitted */
  readonly tasks: number;
  /** time-weighted mean of its weighted dominant share over [first event, run end]; NaN for a zero-length run */
  readonly shareMean: number;
  /** largest weighted dominant share held over an interval of positive length; 0 if none */
  readonly shareMax: number;
}

/**
 * Frameworks by dense id, their holdings and pending tasks, and the shares and Jain's index they
 * give. Shares are settled lazily: a record only marks its framework dirty, and {@link refresh}
 * computes the dirty ones once per distinct time.
 */
export class SharesFold {
  /** per resource: 1 if it counts in dominant shares, 0 if excluded */
  private readonly shareMask = new Uint8Array(NR).fill(1);
  private nFw = 0;
  private nRegistered = 0;
  private fwRegistered = new Uint8Array(0);
  private readonly fwName: string[] = [];
  private readonly fwRole: string[] = [];
  private readonly fwBehaviour: string[] = [];
  private fwWeight = new Float64Array(0);
  private fwAlloc = new Float64Array(0); // NR per framework
  private fwPending = new Float64Array(0);
  private fwJobs = new Float64Array(0);
  private fwTasks = new Float64Array(0);
  private fwShare = new Float64Array(0);
  private fwShareSince = new Float64Array(0);
  private fwShareIntegral = new Float64Array(0);
  private fwShareMax = new Float64Array(0);
  /** pending tasks as of the last refresh (the value over [since, now)) */
  private fwPendingNow = new Float64Array(0);
  /** the current row's integrals of share and pending since fwRowSince, per framework */
  private fwRowShare = new Float64Array(0);
  private fwRowPending = new Float64Array(0);
  private fwRowSince = new Float64Array(0);
  private fwDirty = new Uint8Array(0);
  /** frameworks touched since the last refresh: dirty[0..dirtyLen) */
  private dirty = new Int32Array(0);
  private dirtyLen = 0;

  /** Jain's index of the current state; NaN while fewer than two frameworks have demand */
  private jainNow = NaN;
  /** frameworks with demand now */
  private demandNow = 0;
  private pendingTotalNow = 0;
  private jainIntegral = 0;
  private jainTime = 0;
  private jainMin = Infinity;
  /** whether a job was submitted: the arrival window has begun */
  private arriving = false;
  /** Jain over [first job_submitted, now) (accumulated once a job was submitted) ... */
  private arrivalIntegral = 0;
  private arrivalTime = 0;
  private arrivalMin = Infinity;
  /** ... and as it stood at the last job_submitted: the arrival window's figures */
  private arrivalEndIntegral = 0;
  private arrivalEndTime = 0;
  private arrivalEndMin = Infinity;

  /** @param excluded resources left out of every dominant share (and so of Jain's index) */
  constructor(
    private readonly cluster: ClusterFold,
    excluded: readonly ResourceName[],
  ) {
    for (const name of excluded) {
      const i = RESOURCE_NAMES.indexOf(name);
      if (i < 0) throw new RangeError(`excludedResources: unknown resource "${String(name)}"`);
      this.shareMask[i] = 0;
    }
  }

  /** Framework ids seen: 0 to count - 1, registered or not. */
  get count(): number {
    return this.nFw;
  }

  /** Whether framework `f` registered. */
  registered(f: number): boolean {
    return this.fwRegistered[f] === 1;
  }

  /** Framework `f`'s name ('' when it has none). */
  name(f: number): string {
    return this.fwName[f] ?? '';
  }

  /** `f`, after checking that it is a registered framework. */
  check(f: number, t: number, kind: string): number {
    if (!(f >= 0 && f < this.nFw) || this.fwRegistered[f] !== 1) throw new LogInvariantError(`unknown framework ${f}`, t, kind);
    return f;
  }

  /** framework_added: registers framework `f`, or updates it when it registers again (failover). */
  added(f: number, name: string, role: string, weight: number, behaviour: string, t: number): void {
    this.ensure(f, t, 'framework_added');
    if (!Number.isFinite(weight) || weight <= 0) throw new LogInvariantError(`framework ${f} weight ${weight} is not > 0`, t, 'framework_added');
    if (this.fwRegistered[f] === 0) {
      // Re-registration (failover) keeps the framework's state; only the first starts its share clock.
      this.fwRegistered[f] = 1;
      this.nRegistered++;
      this.fwShareSince[f] = t;
      this.fwRowSince[f] = t; // its row counts share 0 before now
    }
    this.fwName[f] = name;
    this.fwRole[f] = role;
    this.fwWeight[f] = weight;
    this.fwBehaviour[f] = behaviour;
    this.markDirty(f);
  }

  /** job_submitted: framework `f`'s `tasks` new pending tasks; the arrival window now ends here. */
  jobSubmitted(f: number, tasks: number): void {
    this.arriving = true;
    // the arrival window ends at the last submission: keep Jain's figures as they stand now
    this.arrivalEndIntegral = this.arrivalIntegral;
    this.arrivalEndTime = this.arrivalTime;
    this.arrivalEndMin = this.arrivalMin;
    this.fwJobs[f]!++;
    this.fwTasks[f]! += tasks;
    this.fwPending[f]! += tasks;
    this.markDirty(f);
  }

  /** A task of framework `f` launched: one pending task fewer. */
  launched(f: number, task: number, t: number): void {
    if (this.fwPending[f]! <= 0) {
      throw new LogInvariantError(`framework ${f} launched task ${task} with no task pending`, t, 'task_state');
    }
    this.fwPending[f]!--;
  }

  /** A job's `dropped` pending tasks will never launch (job_abandoned): they leave the framework's pending count. */
  dropPending(f: number, dropped: number, t: number): void {
    if (!Number.isSafeInteger(dropped) || dropped < 0 || dropped > this.fwPending[f]!) {
      throw new LogInvariantError(`framework ${f} dropped ${dropped} tasks with ${this.fwPending[f]} pending`, t, 'job_abandoned');
    }
    this.fwPending[f]! -= dropped;
    this.markDirty(f);
  }

  /** A task of framework `f` took `res[from]` to `res[from + NR - 1]`. */
  take(f: number, res: ArrayLike<number>, from: number): void {
    const a = f * NR;
    for (let i = 0; i < NR; i++) this.fwAlloc[a + i]! += res[from + i]!;
  }

  /** A task of framework `f` gave back `res[from]` to `res[from + NR - 1]`. */
  give(f: number, res: ArrayLike<number>, from: number): void {
    const a = f * NR;
    for (let i = 0; i < NR; i++) this.fwAlloc[a + i]! -= res[from + i]!;
  }

  /** Framework `f`'s share or pending tasks changed: its share is computed again at the next {@link refresh}. */
  markDirty(f: number): void {
    if (this.fwDirty[f] === 0) {
      this.fwDirty[f] = 1;
      this.dirty[this.dirtyLen++] = f;
    }
  }

  /**
   * Settles the state at `now`: recomputes the shares of the frameworks touched since the last
   * refresh (all of them when the cluster's total changed) and then Jain's index:
   * O(touched + frameworks) once per distinct time, not per record.
   */
  refresh(now: number): void {
    if (this.cluster.takeTotalChanged()) {
      for (let f = 0; f < this.nFw; f++) if (this.fwRegistered[f] === 1) this.markDirty(f);
    }
    const dirty = this.dirty;
    const n0 = this.dirtyLen;
    if (n0 === 0) return;
    for (let k = 0; k < n0; k++) {
      const f = dirty[k]!;
      this.closeShare(f, now);
      this.fwShare[f] = this.computeShare(f);
      this.fwPendingNow[f] = this.fwPending[f]!;
      this.fwDirty[f] = 0;
    }
    this.dirtyLen = 0;
    let n = 0;
    let sx = 0;
    let sxx = 0;
    let pending = 0;
    for (let f = 0; f < this.nFw; f++) {
      if (this.fwRegistered[f] !== 1) continue;
      const p = this.fwPending[f]!;
      if (p === 0) continue;
      pending += p;
      const x = this.fwShare[f]!;
      n++;
      sx += x;
      sxx += x * x;
    }
    this.demandNow = n;
    this.pendingTotalNow = pending;
    this.jainNow = n < 2 ? NaN : sxx === 0 ? 1 : Math.min(1, (sx * sx) / (n * sxx));
  }

  /** Adds `dt` us of the settled state to the run's Jain figures (and the arrival window's, once it began). */
  integrate(dt: number): void {
    if (this.demandNow >= 2) {
      const x = this.jainNow;
      this.jainIntegral += x * dt;
      this.jainTime += dt;
      if (x < this.jainMin) this.jainMin = x;
      if (this.arriving) {
        this.arrivalIntegral += x * dt;
        this.arrivalTime += dt;
        if (x < this.arrivalMin) this.arrivalMin = x;
      }
    }
  }

  /** Frameworks with demand (pending tasks) in the settled state: Jain's index is defined from 2. */
  get demand(): number {
    return this.demandNow;
  }

  /** Jain's index of the settled state; NaN while fewer than two frameworks have demand. */
  get jain(): number {
    return this.jainNow;
  }

  /** Pending tasks of all registered frameworks in the settled state. */
  get pendingTotal(): number {
    return this.pendingTotalNow;
  }

  /**
   * Closes the time series row that ends at `end` for every framework id, into `shares` and
   * `pending` (means over the row's `time` us in the window; NaN for an id not registered, or a row
   * of no time), and starts the next row.
   */
  rowMeans(end: number, time: number, shares: Float64Array, pending: Float64Array): void {
    for (let f = 0; f < this.nFw; f++) {
      if (this.fwRegistered[f] === 1 && time > 0) {
        this.closeRow(f, end);
        shares[f] = this.fwRowShare[f]! / time;
        pending[f] = this.fwRowPending[f]! / time;
      } else {
        shares[f] = NaN;
        pending[f] = NaN;
      }
      this.fwRowShare[f] = 0;
      this.fwRowPending[f] = 0;
      this.fwRowSince[f] = end;
    }
  }

  /** Closes every registered framework's share interval at the run end. */
  close(end: number): void {
    for (let f = 0; f < this.nFw; f++) {
      if (this.fwRegistered[f] === 1) this.closeShare(f, end);
    }
  }

  /** The shares fold's part of registered framework `f`'s row; `span` is the run's length, us. */
  frameworkRow(f: number, span: number): SharesFrameworkRow {
    return {
      name: this.fwName[f] ?? '',
      role: this.fwRole[f] ?? '',
      weight: this.fwWeight[f]!,
      behaviour: this.fwBehaviour[f] ?? '',
      jobs: this.fwJobs[f]!,
      tasks: this.fwTasks[f]!,
      shareMean: span > 0 ? this.fwShareIntegral[f]! / span : NaN,
      shareMax: this.fwShareMax[f]!,
    };
  }

  /** The shares fold's part of the summary. */
  summary(): SharesSummary {
    return {
      frameworks: this.nRegistered,
      jainMean: this.jainTime > 0 ? this.jainIntegral / this.jainTime : NaN,
      jainMin: this.jainTime > 0 ? this.jainMin : NaN,
      jainTime: this.jainTime,
      jainArrivalMean: this.arrivalEndTime > 0 ? this.arrivalEndIntegral / this.arrivalEndTime : NaN,
      jainArrivalMin: this.arrivalEndTime > 0 ? this.arrivalEndMin : NaN,
      jainArrivalTime: this.arrivalEndTime,
    };
  }

  /** Integrates framework f's current share (and pending tasks, for its row) up to `t` and restarts its interval there. */
  private closeShare(f: number, t: number): void {
    const since = this.fwShareSince[f]!;
    const x = this.fwShare[f]!;
    if (t > since) {
      this.fwShareIntegral[f]! += x * (t - since);
      if (x > this.fwShareMax[f]!) this.fwShareMax[f] = x;
    }
    this.fwShareSince[f] = t;
    this.closeRow(f, t);
  }

  /** Adds framework f's current share and pending tasks over [its row mark, t) to its row integrals. */
  private closeRow(f: number, t: number): void {
    const dt = t - this.fwRowSince[f]!;
    if (dt > 0) {
      this.fwRowShare[f]! += this.fwShare[f]! * dt;
      this.fwRowPending[f]! += this.fwPendingNow[f]! * dt;
    }
    this.fwRowSince[f] = t;
  }

  /** Framework f's weighted dominant share: the largest allocated / total over counted resources the cluster has, over its weight. */
  private computeShare(f: number): number {
    let m = 0;
    const o = f * NR;
    for (let i = 0; i < NR; i++) {
      const tot = this.cluster.totalOf(i);
      if (tot > 0 && this.shareMask[i] === 1) {
        const s = this.fwAlloc[o + i]! / tot;
        if (s > m) m = s;
      }
    }
    return m / this.fwWeight[f]!;
  }

  /** Makes room for framework id `f`. */
  private ensure(f: number, t: number, kind: string): void {
    if (!Number.isSafeInteger(f) || f < 0) throw new LogInvariantError(`bad framework id ${f}`, t, kind);
    if (f < this.nFw) return;
    const n = f + 1;
    this.fwRegistered = grown(this.fwRegistered, n);
    this.fwWeight = grown(this.fwWeight, n);
    this.fwAlloc = grown(this.fwAlloc, n * NR);
    this.fwPending = grown(this.fwPending, n);
    this.fwJobs = grown(this.fwJobs, n);
    this.fwTasks = grown(this.fwTasks, n);
    this.fwShare = grown(this.fwShare, n);
    this.fwShareSince = grown(this.fwShareSince, n);
    this.fwShareIntegral = grown(this.fwShareIntegral, n);
    this.fwShareMax = grown(this.fwShareMax, n);
    this.fwPendingNow = grown(this.fwPendingNow, n);
    this.fwRowShare = grown(this.fwRowShare, n);
    this.fwRowPending = grown(this.fwRowPending, n);
    this.fwRowSince = grown(this.fwRowSince, n);
    this.fwDirty = grown(this.fwDirty, n);
    this.dirty = grown(this.dirty, n);
    this.nFw = n;
  }
}
