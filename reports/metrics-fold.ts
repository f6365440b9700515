/**
 * The metric fold of DESIGN section 7: one pass over the event log, memory O(frameworks + jobs +
 * live tasks + live offers), never storing the log. Produces the summary, job and framework rows
 * and time-series samples. Imports only the event log types; no I/O, no wall clock.
 */
import type { LogRecord, LogSink, ResTuple, TaskLocality, TaskState } from '../sim/model/log.js';
import { JOB_SIZE_BUCKETS, RESOURCE_NAMES, type ResourceName, type FrameworkRow, type LocalityFractions, type JobRow, type MetricsResult, type PerResource, type Sample, type Summary } from './metrics.js';
import { IntMap } from '../sim/kernel/int-map.js';
import { stats } from './stats.js';

/** Number of resources in a record's tuple (cpus, mem, disk, gpus). */
const NR = RESOURCE_NAMES.length;
/** Slots per framework in the offer-counter array: sent, accepted, declined, rescinded. */
const OFFER_SENT = 0;
const OFFER_ACCEPTED = 1;
const OFFER_DECLINED = 2;
const OFFER_RESCINDED = 3;

/** Default sample interval: 1 s, in us. */
export const DEFAULT_SAMPLE_INTERVAL = 1_000_000;

/** Options of {@link MetricsFold}. */
export interface MetricsFoldOptions {
  /** length of a time-series row's interval, us (a positive integer); default 1_000_000 (1 s) */
  readonly sampleInterval?: number;
  /** called with each row of the time series as soon as its interval is over (streaming); default none */
  readonly onSample?: (sample: Sample) => void;
  /** keep the samples for {@link MetricsFold.finish}'s result; default true */
  readonly keepSamples?: boolean;
  /**
   * resources left out of every dominant share (and so of Jain's index), as the run's allocator
   * leaves them out of fairness (Mesos `--fair_sharing_excluded_resource_names`); default none
   */
  readonly excludedResources?: readonly ResourceName[];
}

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

function growF64(a: Float64Array<ArrayBuffer>, n: number, fill = 0): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Float64Array(Math.max(n, a.length * 2, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
function growI32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, a.length * 2, 16));
  b.set(a);
  return b;
}
function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2, 16));
  b.set(a);
  return b;
}

/**
 * Streaming fold over the event log computing every metric of DESIGN section 7.
 *
 * Definitions and the choices this fold makes (each is what the docs must say):
 * - State is piecewise constant between record times; the time-weighted window is
 *   [first record, run end], where run end is the run_ended record's time (else the last record's).
 *   States that last zero time (several records at one instant) never count.
 * - Allocated = held by tasks in staging or running (DESIGN says "running"; staging tasks already
 *   hold their agent's resources, so they count). A task's holding is the `res` of its latest
 *   staging/running record; a terminal record releases it.
 * - Weighted dominant share = max over resources with cluster total > 0 of allocated / total,
 *   divided by the role weight; cluster total = sum of agent_added resources less agent_removed ones.
 * - Pending = tasks submitted − launches − tasks dropped by job_abandoned (a launch is a task id
 *   entering staging or running from not holding resources). Demand = pending > 0: a framework
 *   whose submitted tasks all run wants nothing more, whatever it holds.
 * - Jain's index over the demanding frameworks' weighted shares: (Σx)²/(n·Σx²), defined only while
 *   n ≥ 2 (fewer cannot be treated unequally), 1 when every x is 0 (nobody is favoured), clamped to
 *   at most 1 against rounding. Its mean and minimum count only intervals where n ≥ 2; the arrival
 *   figures only those inside [first job_submitted, last job_submitted].
 * - Utilisation of a resource is averaged over the time its cluster total is > 0 (NaN if never).
 * - Time series: row k covers [(k−1)Δ, kΔ) and is labelled kΔ; the last row ends at the run end
 *   (shorter when the run end is not a multiple of Δ). Every column is a time-weighted mean over the
 *   part of the row inside the window (Jain over the part where it is defined, whose length the row
 *   carries), so rows weighted by their length give the summary's figures. A row is final (and
 *   passed to onSample) once the fold has advanced to its end.
 * - Offers: held time runs from offer_sent to accept, decline or rescind (offers still held at
 *   the end are counted as outstanding, not in the mean). Declined share per resource =
 *   Σ declined / Σ offered over accepted and declined offers, where an accepted offer's unused
 *   part (offered − used) counts as declined; rescinded offers were never answered and count in
 *   neither. The scalar is the unweighted mean of the per-resource shares over resources that
 *   were offered at all, so no resource dominates by its unit.
 */
export class MetricsFold implements LogSink {
  private readonly interval: number;
  private readonly onSample: ((s: Sample) => void) | undefined;
  private readonly keepSamples: boolean;
  /** per resource: 1 if it counts in dominant shares, 0 if excluded */
  private readonly shareMask = new Uint8Array(NR).fill(1);
  /** whether rows are built at all (kept, or passed to onSample) */
  private readonly rows: boolean;
  private readonly samples: Sample[] = [];
  /** end of the current row's interval, us */
  private nextSample = 0;

  private events = 0;
  private first = NaN;
  private now = NaN;
  private runEnd = NaN;
  private endReason: 'completed' | 'duration' | null = null;
  private done = false;

  // cluster
  private readonly total = new Float64Array(NR);
  private readonly used = new Float64Array(NR);
  private agents = 0;
  private totalChanged = false;

  // frameworks, by dense id
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
  private fwOffers = new Float64Array(0); // 4 counters per framework
  private fwLoc = new Float64Array(0); // node, rack, remote launches per framework
  private readonly fwAbandoned: number[] = [];
  private readonly fwDeciding: number[] = [];
  /** shared-state commits: task placements attempted and conflicted, per framework */
  private readonly fwPlaced: number[] = [];
  private readonly fwConflicts: number[] = [];
  private fwDirty = new Uint8Array(0);
  /** frameworks touched since the last refresh: dirty[0..dirtyLen) */
  private dirty = new Int32Array(0);
  private dirtyLen = 0;

  // jobs, by dense id
  private nJobs = 0;
  private jobFw = new Int32Array(0);
  private jobSubmit = new Float64Array(0);
  private jobFirstStaging = new Float64Array(0);
  private jobFirstStart = new Float64Array(0);
  private jobFinish = new Float64Array(0);
  private jobTasks = new Float64Array(0);
  private jobMaxDur = new Float64Array(0);
  private jobLoc = new Float64Array(0); // node, rack, remote launches per job
  private readonly jobName: string[] = [];
  private jobsSubmitted = 0;
  private jobsFinished = 0;
  private jobsAbandoned = 0;
  private tasksSubmitted = 0;
  private firstSubmit = Infinity;
  private lastFinish = -Infinity;

  // live tasks: task id -> slot in the packed arrays
  private readonly liveTasks = new IntMap(256);
  private taskRes = new Float64Array(0);
  private readonly freeTaskSlots: number[] = [];
  private taskSlots = 0;
  private tasksLaunched = 0;
  private tasksFinished = 0;
  private tasksFailed = 0;
  private tasksKilled = 0;
  /** jobs with a job_restarted record (their copies are jobs of their own) */
  private jobsRestarted = 0;
  private tasksLost = 0;

  // live offers: offer id -> slot
  private readonly liveOffers = new IntMap(256);
  private offerSentAt = new Float64Array(0);
  private offerRes = new Float64Array(0);
  private offerFw = new Int32Array(0);
  /** offer slots allocated (the arrays' length); at least twice the live offers */
  private offerSlots = 0;
  /** 1 for an offer slot in use */
  private offerUsed = new Uint8Array(0);
  /**
   * where the search for a free offer slot starts (next fit): a run's offers take slots in the
   * order they were sent, skipping offers still live, so answering them walks the arrays in order
   * instead of at random. Back to 0 when no offer is live.
   */
  private offerCursor = 0;
  private offersSent = 0;
  private offersAccepted = 0;
  private offersDeclined = 0;
  private offersRescinded = 0;
  private heldSum = 0;
  private heldN = 0;
  private readonly answeredOffered = new Float64Array(NR);
  private readonly answeredDeclined = new Float64Array(NR);
  private allocationRuns = 0;

  // time-weighted integrals
  private readonly utilIntegral = new Float64Array(NR);
  private readonly utilTime = new Float64Array(NR);
  /** Jain's index of the current state; NaN while fewer than two frameworks have demand */
  private jainNow = NaN;
  /** frameworks with demand now */
  private demandNow = 0;
  private pendingTotalNow = 0;
  private jainIntegral = 0;
  private jainTime = 0;
  private jainMin = Infinity;
  /** Jain over [first job_submitted, now) (accumulated once a job was submitted) ... */
  private arrivalIntegral = 0;
  private arrivalTime = 0;
  private arrivalMin = Infinity;
  /** ... and as it stood at the last job_submitted: the arrival window's figures */
  private arrivalEndIntegral = 0;
  private arrivalEndTime = 0;
  private arrivalEndMin = Infinity;

  // the current time-series row: integrals over its part of the window
  private rowTime = 0;
  private readonly rowUtil = new Float64Array(NR);
  private readonly rowUtilTime = new Float64Array(NR);
  private rowJain = 0;
  private rowJainTime = 0;
  private rowPending = 0;

  /** A fold with the given options (sample interval default 1 s, samples kept). */
  constructor(options: MetricsFoldOptions = {}) {
    const interval = options.sampleInterval ?? DEFAULT_SAMPLE_INTERVAL;
    if (!Number.isSafeInteger(interval) || interval <= 0) {
      throw new RangeError(`sampleInterval must be a positive integer of microseconds, got ${interval}`);
    }
    this.interval = interval;
    this.onSample = options.onSample;
    this.keepSamples = options.keepSamples ?? true;
    for (const name of options.excludedResources ?? []) {
      const i = RESOURCE_NAMES.indexOf(name);
      if (i < 0) throw new RangeError(`excludedResources: unknown resource "${String(name)}"`);
      this.shareMask[i] = 0;
    }
    this.rows = this.keepSamples || this.onSample !== undefined;
    this.nextSample = interval;
  }

  /** Folds one record; records must come in non-decreasing time. Throws {@link LogInvariantError} on a broken log. */
  record(r: LogRecord): void {
    const t = r.t;
    if (this.done) throw new LogInvariantError('record after finish()', t, r.kind);
    if (this.events === 0) {
      if (!Number.isSafeInteger(t) || t < 0) throw new LogInvariantError('time is not a non-negative integer', t, r.kind);
      this.first = t;
      if (this.rows) while (this.nextSample <= t) this.emitRow(this.nextSample); // rows wholly before the first record: no time
      this.now = t;
    } else if (t !== this.now) {
      if (!Number.isSafeInteger(t) || t < this.now) {
        throw new LogInvariantError(`time is not an integer >= the previous record's ${this.now}`, t, r.kind);
      }
      if (t > this.runEnd) throw new LogInvariantError(`record after run_ended at ${this.runEnd}`, t, r.kind);
      this.advance(t);
    }
    this.events++;
    switch (r.kind) {
      case 'agent_added':
        for (let i = 0; i < NR; i++) this.total[i]! += r.res[i]!;
        this.agents++;
        this.totalChanged = true;
        break;
      case 'agent_removed':
        for (let i = 0; i < NR; i++) this.total[i]! -= r.res[i]!;
        this.agents--;
        this.totalChanged = true;
        break;
      case 'framework_added':
        this.frameworkAdded(r.framework, r.name, r.role, r.weight, r.behaviour, r.t);
        break;
      case 'job_submitted':
        this.jobSubmitted(r.job, r.name, r.framework, r.tasks, r.maxTaskDuration, r.t);
        break;
      case 'job_finished': {
        const j = this.job(r.job, r.framework, r.t, r.kind);
        if (!Number.isNaN(this.jobFinish[j]!)) throw new LogInvariantError(`job ${j} finished twice`, t, r.kind);
        this.jobFinish[j] = t;
        this.jobsFinished++;
        if (t > this.lastFinish) this.lastFinish = t;
        break;
      }
      case 'offer_sent': {
        const f = this.fw(r.framework, t, r.kind);
        if (!Number.isSafeInteger(r.offer) || r.offer < 0) throw new LogInvariantError(`bad offer id ${r.offer}`, t, r.kind);
        const s = this.offerSlot();
        if (!this.liveOffers.add(r.offer, s)) {
          this.offerUsed[s] = 0;
          throw new LogInvariantError(`offer ${r.offer} sent twice`, t, r.kind);
        }
        this.offerSentAt[s] = t;
        this.offerFw[s] = f;
        for (let i = 0; i < NR; i++) this.offerRes[s * NR + i] = r.res[i]!;
        this.offersSent++;
        this.fwOffers[f * 4 + OFFER_SENT]!++;
        break;
      }
      case 'offer_accepted': {
        const s = this.answer(r.offer, r.framework, t, r.kind);
        const o = s * NR;
        for (let i = 0; i < NR; i++) {
          const offered = this.offerRes[o + i]!;
          const rest = offered - r.used[i]!;
          if (rest < 0) throw new LogInvariantError(`offer ${r.offer} used more ${RESOURCE_NAMES[i]} than offered`, t, r.kind);
          this.answeredOffered[i]! += offered;
          this.answeredDeclined[i]! += rest;
        }
        this.offersAccepted++;
        this.fwOffers[r.framework * 4 + OFFER_ACCEPTED]!++;
        break;
      }
      case 'offer_declined': {
        const s = this.answer(r.offer, r.framework, t, r.kind);
        const o = s * NR;
        for (let i = 0; i < NR; i++) {
          const offered = this.offerRes[o + i]!;
          this.answeredOffered[i]! += offered;
          this.answeredDeclined[i]! += offered;
        }
        this.offersDeclined++;
        this.fwOffers[r.framework * 4 + OFFER_DECLINED]!++;
        break;
      }
      case 'offer_rescinded':
        this.answer(r.offer, r.framework, t, r.kind);
        this.offersRescinded++;
        this.fwOffers[r.framework * 4 + OFFER_RESCINDED]!++;
        break;
      case 'task_state':
        this.taskState(r.task, r.job, r.framework, r.state, r.res, t);
        break;
      case 'task_locality': {
        const j = this.job(r.job, r.framework, t, r.kind);
        const k = localityIndex(r.locality);
        this.jobLoc[j * 3 + k]!++;
        this.fwLoc[r.framework * 3 + k]!++;
        break;
      }
      case 'suppress':
      case 'revive':
      case 'framework_disconnected':
      case 'framework_reconnected':
      case 'framework_reconnect_refused':
      case 'framework_removed':
      case 'task_error':
        this.fw(r.framework, t, r.kind);
        break;
      case 'allocation_run':
        this.allocationRuns++;
        break;
      case 'decision': {
        const f = this.fw(r.framework, t, r.kind);
        if (!Number.isSafeInteger(r.start) || r.start > t || r.start < this.first) throw new LogInvariantError(`bad decision start ${r.start}`, t, r.kind);
        this.fwDeciding[f] = (this.fwDeciding[f] ?? 0) + (t - r.start);
        break;
      }
      case 'job_abandoned':
      case 'job_dropped': {
        // A job dropped with its removed framework never completes either: counted as abandoned.
        const j = this.job(r.job, r.framework, r.t, r.kind);
        if (!Number.isNaN(this.jobFinish[j]!)) throw new LogInvariantError(`job ${j} abandoned after finishing`, t, r.kind);
        this.fwAbandoned[this.jobFw[j]!] = (this.fwAbandoned[this.jobFw[j]!] ?? 0) + 1;
        this.jobsAbandoned++;
        this.dropPending(this.jobFw[j]!, r.dropped, t);
        break;
      }
      case 'commit': {
        const f = this.fw(r.framework, t, r.kind);
        if (!Number.isSafeInteger(r.placed) || !Number.isSafeInteger(r.conflicts) || r.conflicts < 0 || r.conflicts > r.placed) {
          throw new LogInvariantError(`bad commit counts: ${r.conflicts} conflicts of ${r.placed} placements`, t, r.kind);
        }
        this.fwPlaced[f] = (this.fwPlaced[f] ?? 0) + r.placed;
        this.fwConflicts[f] = (this.fwConflicts[f] ?? 0) + r.conflicts;
        break;
      }
      case 'job_restarted': {
        // The job ran again as its copy (a job of its own): it is neither finished nor unfinished.
        const j = this.job(r.job, r.framework, r.t, r.kind);
        if (!Number.isNaN(this.jobFinish[j]!)) throw new LogInvariantError(`job ${j} restarted after finishing`, t, r.kind);
        this.job(r.copy, r.framework, r.t, r.kind);
        this.jobsRestarted++;
        break;
      }
      case 'run_ended':
        if (this.endReason !== null) throw new LogInvariantError('second run_ended', t, r.kind);
        this.runEnd = t;
        this.endReason = r.reason;
        break;
      default:
        assertNever(r);
    }
  }

  /** Closes the run (at run_ended, else at the last record) and returns every metric. Call once. */
  finish(): MetricsResult {
    if (this.done) throw new LogInvariantError('finish() called twice', this.now, 'finish');
    this.done = true;
    const end = Number.isNaN(this.runEnd) ? this.now : this.runEnd;
    if (this.events > 0) {
      this.refresh();
      // advance() closed every row ending by `now` = end; what is left is the last, shorter row
      if (this.rows && this.nextSample - this.interval < end) this.emitRow(end);
      for (let f = 0; f < this.nFw; f++) {
        if (this.fwRegistered[f] === 1) this.closeShare(f, end);
      }
    }
    const span = end - this.first;

    const fwQueue: number[][] = [];
    const fwCompletion: number[][] = [];
    const fwSlowdown: number[][] = [];
    for (let f = 0; f < this.nFw; f++) {
      fwQueue.push([]);
      fwCompletion.push([]);
      fwSlowdown.push([]);
    }
    const queue: number[] = [];
    const completion: number[] = [];
    const slowdown: number[] = [];
    const jobs: JobRow[] = [];
    let unscheduled = 0;
    const allLoc = [0, 0, 0];
    const bucketLoc = JOB_SIZE_BUCKETS.map(() => [0, 0, 0]);
    for (let j = 0; j < this.nJobs; j++) {
      const submit = this.jobSubmit[j]!;
      if (Number.isNaN(submit)) continue; // an id never submitted (ids should be dense)
      const f = this.jobFw[j]!;
      const firstStart = this.jobFirstStart[j]!;
      const finish = this.jobFinish[j]!;
      const maxDur = this.jobMaxDur[j]!;
      const q = firstStart - submit;
      const c = finish - submit;
      const sd = maxDur > 0 ? c / maxDur : NaN;
      if (Number.isNaN(firstStart)) unscheduled++;
      else {
        queue.push(q);
        fwQueue[f]!.push(q);
      }
      if (!Number.isNaN(c)) {
        completion.push(c);
        fwCompletion[f]!.push(c);
      }
      if (!Number.isNaN(sd)) {
        slowdown.push(sd);
        fwSlowdown[f]!.push(sd);
      }
      jobs.push({
        id: j,
        name: this.jobName[j] ?? '',
        framework: f,
        frameworkName: this.fwName[f] ?? '',
        submit,
        firstStaging: this.jobFirstStaging[j]!,
        firstStart,
        finish,
        tasks: this.jobTasks[j]!,
        maxTaskDuration: maxDur,
        queueingDelay: q,
        completion: c,
        slowdown: sd,
        localNode: this.jobLoc[j * 3]!,
        localRack: this.jobLoc[j * 3 + 1]!,
        localRemote: this.jobLoc[j * 3 + 2]!,
      });
      const size = this.jobTasks[j]!;
      const b = JOB_SIZE_BUCKETS.findIndex(([, lo, hi]) => size >= lo && size <= hi);
      for (let k = 0; k < 3; k++) {
        const x = this.jobLoc[j * 3 + k]!;
        allLoc[k]! += x;
        if (b >= 0) bucketLoc[b]![k]! += x;
      }
    }

    const frameworks: FrameworkRow[] = [];
    for (let f = 0; f < this.nFw; f++) {
      if (this.fwRegistered[f] !== 1) continue;
      frameworks.push({
        id: f,
        name: this.fwName[f] ?? '',
        role: this.fwRole[f] ?? '',
        weight: this.fwWeight[f]!,
        behaviour: this.fwBehaviour[f] ?? '',
        jobs: this.fwJobs[f]!,
        tasks: this.fwTasks[f]!,
        shareMean: span > 0 ? this.fwShareIntegral[f]! / span : NaN,
        shareMax: this.fwShareMax[f]!,
        queueingDelay: stats(fwQueue[f]!),
        completion: stats(fwCompletion[f]!),
        slowdown: stats(fwSlowdown[f]!),
        offersSent: this.fwOffers[f * 4 + OFFER_SENT]!,
        offersAccepted: this.fwOffers[f * 4 + OFFER_ACCEPTED]!,
        offersDeclined: this.fwOffers[f * 4 + OFFER_DECLINED]!,
        offersRescinded: this.fwOffers[f * 4 + OFFER_RESCINDED]!,
        locality: fractions(this.fwLoc[f * 3]!, this.fwLoc[f * 3 + 1]!, this.fwLoc[f * 3 + 2]!),
        jobsAbandoned: this.fwAbandoned[f] ?? 0,
        busyness: span > 0 ? (this.fwDeciding[f] ?? 0) / span : NaN,
        conflicts: this.fwConflicts[f] ?? 0,
        conflictFraction: (this.fwPlaced[f] ?? 0) > 0 ? this.fwConflicts[f]! / this.fwPlaced[f]! : NaN,
      });
    }

    const util = perResource((i) => (this.utilTime[i]! > 0 ? this.utilIntegral[i]! / this.utilTime[i]! : NaN));
    const declinedBy = perResource((i) =>
      this.answeredOffered[i]! > 0 ? this.answeredDeclined[i]! / this.answeredOffered[i]! : NaN,
    );
    let declinedSum = 0;
    let declinedN = 0;
    for (const x of declinedBy) {
      if (!Number.isNaN(x)) {
        declinedSum += x;
        declinedN++;
      }
    }

    const summary: Summary = {
      firstEvent: this.first,
      runEnd: end,
      endReason: this.endReason,
      events: this.events,
      agents: this.agents,
      frameworks: this.nRegistered,
      jobs: this.jobsSubmitted,
      tasks: this.tasksSubmitted,
      tasksLaunched: this.tasksLaunched,
      tasksFinished: this.tasksFinished,
      tasksFailed: this.tasksFailed,
      tasksKilled: this.tasksKilled,
      tasksLost: this.tasksLost,
      jobsFinished: this.jobsFinished,
      jobsUnscheduled: unscheduled,
      jobsUnfinished: this.jobsSubmitted - this.jobsFinished - this.jobsAbandoned - this.jobsRestarted,
      jobsAbandoned: this.jobsAbandoned,
      busynessMean: frameworks.length > 0 && span > 0 ? frameworks.reduce((a, f) => a + f.busyness, 0) / frameworks.length : NaN,
      conflicts: sumOf(this.fwConflicts),
      conflictFraction: sumOf(this.fwPlaced) > 0 ? sumOf(this.fwConflicts) / sumOf(this.fwPlaced) : NaN,
      makespan: this.jobsFinished > 0 ? this.lastFinish - this.firstSubmit : NaN,
      utilisation: util,
      jainMean: this.jainTime > 0 ? this.jainIntegral / this.jainTime : NaN,
      jainMin: this.jainTime > 0 ? this.jainMin : NaN,
      jainTime: this.jainTime,
      jainArrivalMean: this.arrivalEndTime > 0 ? this.arrivalEndIntegral / this.arrivalEndTime : NaN,
      jainArrivalMin: this.arrivalEndTime > 0 ? this.arrivalEndMin : NaN,
      jainArrivalTime: this.arrivalEndTime,
      queueingDelay: stats(queue),
      completion: stats(completion),
      slowdown: stats(slowdown),
      offersSent: this.offersSent,
      offersAccepted: this.offersAccepted,
      offersDeclined: this.offersDeclined,
      offersRescinded: this.offersRescinded,
      offersOutstanding: this.liveOffers.size,
      offerHeldMean: this.heldN > 0 ? this.heldSum / this.heldN : NaN,
      offersDeclinedShare: declinedN > 0 ? declinedSum / declinedN : NaN,
      offersDeclinedShareByResource: declinedBy,
      allocationRuns: this.allocationRuns,
      locality: fractions(allLoc[0]!, allLoc[1]!, allLoc[2]!),
      localityByJobSize: bucketLoc.map((l) => fractions(l[0]!, l[1]!, l[2]!)),
    };
    return { summary, jobs, frameworks, samples: this.samples };
  }

  // ---- time ----

  /**
   * Moves the clock from `now` to `t` > now: settle the state at `now`, integrate it over [now, t)
   * (the run's integrals in one piece, so that they do not depend on the row length), and close
   * the rows that end by t.
   */
  private advance(t: number): void {
    this.refresh();
    const dt = t - this.now;
    this.addUtilisation(this.utilIntegral, this.utilTime, dt);
    if (this.demandNow >= 2) {
      const x = this.jainNow;
      this.jainIntegral += x * dt;
      this.jainTime += dt;
      if (x < this.jainMin) this.jainMin = x;
      if (this.jobsSubmitted > 0) {
        this.arrivalIntegral += x * dt;
        this.arrivalTime += dt;
        if (x < this.arrivalMin) this.arrivalMin = x;
      }
    }
    if (this.rows) {
      let from = this.now;
      while (this.nextSample <= t) {
        this.integrateRow(this.nextSample - from);
        from = this.nextSample;
        this.emitRow(from);
      }
      this.integrateRow(t - from);
    }
    this.now = t;
  }

  /** Adds `dt` us of the current used / total to `integral`, and `dt` to `time`, for each resource the cluster has. */
  private addUtilisation(integral: Float64Array, time: Float64Array, dt: number): void {
    for (let i = 0; i < NR; i++) {
      const tot = this.total[i]!;
      if (tot > 0) {
        integral[i]! += (this.used[i]! / tot) * dt;
        time[i]! += dt;
      }
    }
  }

  /** Adds `dt` us of the current state to the current row's integrals. */
  private integrateRow(dt: number): void {
    if (dt <= 0) return;
    this.rowTime += dt;
    this.addUtilisation(this.rowUtil, this.rowUtilTime, dt);
    if (this.demandNow >= 2) {
      this.rowJain += this.jainNow * dt;
      this.rowJainTime += dt;
    }
    this.rowPending += this.pendingTotalNow * dt;
  }

  /**
   * Recomputes the shares of the frameworks touched since the last refresh (all of them when the
   * cluster grew) and then Jain's index: O(touched + frameworks) once per distinct time, not per record.
   */
  private refresh(): void {
    if (this.totalChanged) {
      this.totalChanged = false;
      for (let f = 0; f < this.nFw; f++) if (this.fwRegistered[f] === 1) this.markDirty(f);
    }
    const dirty = this.dirty;
    const n0 = this.dirtyLen;
    if (n0 === 0) return;
    const now = this.now;
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

  private computeShare(f: number): number {
    let m = 0;
    const o = f * NR;
    for (let i = 0; i < NR; i++) {
      const tot = this.total[i]!;
      if (tot > 0 && this.shareMask[i] === 1) {
        const s = this.fwAlloc[o + i]! / tot;
        if (s > m) m = s;
      }
    }
    return m / this.fwWeight[f]!;
  }

  private markDirty(f: number): void {
    if (this.fwDirty[f] === 0) {
      this.fwDirty[f] = 1;
      this.dirty[this.dirtyLen++] = f;
    }
  }

  // ---- samples ----

  /**
   * Closes the current row at `end` (its integrals are complete up to there: the state is
   * settled) and starts the next one: the row holds its means over its part of the window.
   */
  private emitRow(end: number): void {
    this.nextSample = end + this.interval - (end % this.interval);
    const n = this.nFw;
    const time = this.rowTime;
    const shares = new Float64Array(n);
    const pending = new Float64Array(n);
    for (let f = 0; f < n; f++) {
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
    if (this.keepSamples) this.samples.push(sample);
    this.onSample?.(sample);
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

  // ---- records ----

  private frameworkAdded(f: number, name: string, role: string, weight: number, behaviour: string, t: number): void {
    this.ensureFw(f, t, 'framework_added');
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

  private jobSubmitted(j: number, name: string, fwId: number, tasks: number, maxDur: number, t: number): void {
    const f = this.fw(fwId, t, 'job_submitted');
    if (!Number.isSafeInteger(j) || j < 0) throw new LogInvariantError(`bad job id ${j}`, t, 'job_submitted');
    if (j >= this.nJobs) {
      const n = j + 1;
      this.jobFw = growI32(this.jobFw, n);
      this.jobSubmit = growF64(this.jobSubmit, n, NaN);
      this.jobFirstStaging = growF64(this.jobFirstStaging, n, NaN);
      this.jobFirstStart = growF64(this.jobFirstStart, n, NaN);
      this.jobFinish = growF64(this.jobFinish, n, NaN);
      this.jobTasks = growF64(this.jobTasks, n);
      this.jobMaxDur = growF64(this.jobMaxDur, n);
      this.jobLoc = growF64(this.jobLoc, n * 3);
      this.nJobs = n;
    }
    if (!Number.isNaN(this.jobSubmit[j]!)) throw new LogInvariantError(`job ${j} submitted twice`, t, 'job_submitted');
    this.jobFw[j] = f;
    this.jobSubmit[j] = t;
    this.jobTasks[j] = tasks;
    this.jobMaxDur[j] = maxDur;
    this.jobName[j] = name;
    this.jobsSubmitted++;
    this.tasksSubmitted += tasks;
    if (t < this.firstSubmit) this.firstSubmit = t;
    // the arrival window ends at the last submission: keep Jain's figures as they stand now
    this.arrivalEndIntegral = this.arrivalIntegral;
    this.arrivalEndTime = this.arrivalTime;
    this.arrivalEndMin = this.arrivalMin;
    this.fwJobs[f]!++;
    this.fwTasks[f]! += tasks;
    this.fwPending[f]! += tasks;
    this.markDirty(f);
  }

  /** A job's `dropped` pending tasks will never launch (job_abandoned): they leave the framework's pending count. */
  private dropPending(f: number, dropped: number, t: number): void {
    if (!Number.isSafeInteger(dropped) || dropped < 0 || dropped > this.fwPending[f]!) {
      throw new LogInvariantError(`framework ${f} dropped ${dropped} tasks with ${this.fwPending[f]} pending`, t, 'job_abandoned');
    }
    this.fwPending[f]! -= dropped;
    this.markDirty(f);
  }

  private taskState(task: number, jobId: number, fwId: number, state: TaskState, res: ResTuple, t: number): void {
    const j = this.job(jobId, fwId, t, 'task_state');
    const f = fwId;
    const slot = this.liveTasks.get(task); // -1: not holding resources
    switch (state) {
      case 'staging':
      case 'running': {
        let s: number;
        if (slot < 0) {
          if (!Number.isSafeInteger(task) || task < 0) throw new LogInvariantError(`bad task id ${task}`, t, 'task_state');
          if (this.fwPending[f]! <= 0) {
            throw new LogInvariantError(`framework ${f} launched task ${task} with no task pending`, t, 'task_state');
          }
          s = this.taskSlot();
          this.liveTasks.set(task, s);
          this.fwPending[f]!--;
          this.tasksLaunched++;
          if (Number.isNaN(this.jobFirstStaging[j]!)) this.jobFirstStaging[j] = t;
        } else {
          s = slot;
          this.release(s, f);
        }
        const o = s * NR;
        const a = f * NR;
        for (let i = 0; i < NR; i++) {
          const x = res[i]!;
          this.taskRes[o + i] = x;
          this.fwAlloc[a + i]! += x;
          this.used[i]! += x;
        }
        if (state === 'running' && Number.isNaN(this.jobFirstStart[j]!)) this.jobFirstStart[j] = t;
        this.markDirty(f);
        break;
      }
      case 'finished':
      case 'failed':
      case 'killed':
      case 'lost':
        if (state === 'finished') this.tasksFinished++;
        else if (state === 'failed') this.tasksFailed++;
        else if (state === 'killed') this.tasksKilled++;
        else this.tasksLost++;
        if (slot >= 0) {
          this.release(slot, f);
          this.liveTasks.delete(task);
          this.freeTaskSlots.push(slot);
          this.markDirty(f);
        }
        break;
      default:
        assertNever(state);
    }
  }

  /** Subtracts the resources in task slot s from framework f and the cluster. */
  private release(s: number, f: number): void {
    const o = s * NR;
    const a = f * NR;
    for (let i = 0; i < NR; i++) {
      const x = this.taskRes[o + i]!;
      this.fwAlloc[a + i]! -= x;
      this.used[i]! -= x;
    }
  }

  /** Closes an offer answered (or rescinded) at t; returns its slot, already freed for reuse. */
  private answer(offer: number, fwId: number, t: number, kind: string): number {
    const s = this.liveOffers.take(offer);
    if (s < 0) throw new LogInvariantError(`offer ${offer} is not outstanding`, t, kind);
    if (this.offerFw[s] !== fwId) {
      this.liveOffers.set(offer, s);
      throw new LogInvariantError(`offer ${offer} was sent to framework ${this.offerFw[s]}, not ${fwId}`, t, kind);
    }
    this.heldSum += t - this.offerSentAt[s]!;
    this.heldN++;
    this.offerUsed[s] = 0;
    if (this.liveOffers.size === 0) this.offerCursor = 0;
    return s;
  }

  // ---- ids and storage ----

  private fw(f: number, t: number, kind: string): number {
    if (!(f >= 0 && f < this.nFw) || this.fwRegistered[f] !== 1) throw new LogInvariantError(`unknown framework ${f}`, t, kind);
    return f;
  }

  private job(j: number, f: number, t: number, kind: string): number {
    if (!(j >= 0 && j < this.nJobs) || Number.isNaN(this.jobSubmit[j]!)) throw new LogInvariantError(`unknown job ${j}`, t, kind);
    if (this.jobFw[j] !== f) throw new LogInvariantError(`job ${j} belongs to framework ${this.jobFw[j]}, not ${f}`, t, kind);
    return j;
  }

  private ensureFw(f: number, t: number, kind: string): void {
    if (!Number.isSafeInteger(f) || f < 0) throw new LogInvariantError(`bad framework id ${f}`, t, kind);
    if (f < this.nFw) return;
    const n = f + 1;
    this.fwRegistered = growU8(this.fwRegistered, n);
    this.fwWeight = growF64(this.fwWeight, n);
    this.fwAlloc = growF64(this.fwAlloc, n * NR);
    this.fwPending = growF64(this.fwPending, n);
    this.fwJobs = growF64(this.fwJobs, n);
    this.fwTasks = growF64(this.fwTasks, n);
    this.fwShare = growF64(this.fwShare, n);
    this.fwShareSince = growF64(this.fwShareSince, n);
    this.fwShareIntegral = growF64(this.fwShareIntegral, n);
    this.fwShareMax = growF64(this.fwShareMax, n);
    this.fwPendingNow = growF64(this.fwPendingNow, n);
    this.fwRowShare = growF64(this.fwRowShare, n);
    this.fwRowPending = growF64(this.fwRowPending, n);
    this.fwRowSince = growF64(this.fwRowSince, n);
    this.fwOffers = growF64(this.fwOffers, n * 4);
    this.fwLoc = growF64(this.fwLoc, n * 3);
    this.fwDirty = growU8(this.fwDirty, n);
    this.dirty = growI32(this.dirty, n);
    this.nFw = n;
  }

  private taskSlot(): number {
    const free = this.freeTaskSlots.pop();
    if (free !== undefined) return free;
    const s = this.taskSlots++;
    this.taskRes = growF64(this.taskRes, this.taskSlots * NR);
    return s;
  }

  private offerSlot(): number {
    if ((this.liveOffers.size + 1) * 2 > this.offerSlots) {
      const n = Math.max(16, this.offerSlots * 2);
      this.offerSentAt = growF64(this.offerSentAt, n);
      this.offerRes = growF64(this.offerRes, n * NR);
      this.offerFw = growI32(this.offerFw, n);
      this.offerUsed = growU8(this.offerUsed, n);
      this.offerSlots = n;
    }
    const used = this.offerUsed;
    const last = this.offerSlots - 1;
    let s = this.offerCursor;
    while (used[s] !== 0) s = s === last ? 0 : s + 1;
    used[s] = 1;
    this.offerCursor = s === last ? 0 : s + 1;
    return s;
  }
}

/** Slot of a locality in the per-job and per-framework counters: node 0, rack 1, remote 2. */
function localityIndex(l: TaskLocality): number {
  switch (l) {
    case 'node':
      return 0;
    case 'rack':
      return 1;
    case 'remote':
      return 2;
    default:
      return assertNever(l);
  }
}

/** Locality fractions from node-local, rack-local and remote launch counts. */
function fractions(node: number, rack: number, remote: number): LocalityFractions {
  const n = node + rack + remote;
  return n > 0 ? { tasks: n, node: node / n, rack: rack / n, remote: remote / n } : { tasks: 0, node: NaN, rack: NaN, remote: NaN };
}

function perResource(f: (i: number) => number): PerResource {
  return [f(0), f(1), f(2), f(3)];
}

/** Local copy of the log's assertNever: reports imports nothing but the log's types. */
function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}

/** Sum of a sparse per-framework counter array (holes count 0). */
function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) if (x !== undefined) s += x;
  return s;
}
