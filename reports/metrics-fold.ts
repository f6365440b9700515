/**
 * The metric fold of DESIGN section 7: one pass over the event log, memory O(frameworks + jobs +
 * live tasks + live offers), never storing the log. A thin dispatcher: it keeps the run's clock
 * and bounds and hands each record to the small folds of reports/folds/ (cluster, shares and
 * fairness, jobs, tasks, offers, locality, decisions, the time series), then puts their parts
 * together. Imports only the event log types and reports modules; no I/O, no wall clock.
 */
import type { LogBlock, LogRecord, LogSink } from '../sim/model/log.js';
import { ROW_FIELDS, ROW_LOCALITIES, ROW_TASK_STATES, RowKind } from '../sim/model/record-block.js';
import {
  ClusterFold,
  DecisionsFold,
  JobsFold,
  LocalityFold,
  LogInvariantError,
  OffersFold,
  SeriesFold,
  SharesFold,
  TasksFold,
  YarnFold,
} from './folds/index.js';
import type { FrameworkRow, MetricsResult, ResourceName, Sample, Summary } from './metrics.js';
import { assertNever } from '../sim/kernel/assert.js';

export { LogInvariantError } from './folds/index.js';

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
 * Streaming fold over the event log computing every metric of DESIGN section 7.
 *
 * Definitions and the choices this fold makes (each is what the docs must say; each small fold's
 * own are in its file):
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
  private readonly cluster = new ClusterFold();
  private readonly shares: SharesFold;
  private readonly jobs = new JobsFold();
  private readonly tasks: TasksFold;
  private readonly offers = new OffersFold();
  private readonly locality = new LocalityFold();
  private readonly decisions = new DecisionsFold();
  private readonly series: SeriesFold;
  private readonly yarn = new YarnFold(this.cluster);

  private events = 0;
  private first = NaN;
  private now = NaN;
  private runEnd = NaN;
  private endReason: 'completed' | 'duration' | null = null;
  private done = false;

  /** A fold with the given options (sample interval default 1 s, samples kept). */
  constructor(options: MetricsFoldOptions = {}) {
    const interval = options.sampleInterval ?? DEFAULT_SAMPLE_INTERVAL;
    if (!Number.isSafeInteger(interval) || interval <= 0) {
      throw new RangeError(`sampleInterval must be a positive integer of microseconds, got ${interval}`);
    }
    this.shares = new SharesFold(this.cluster, options.excludedResources ?? []);
    this.tasks = new TasksFold(this.cluster, this.shares, this.jobs);
    this.series = new SeriesFold(this.cluster, this.shares, interval, options.keepSamples ?? true, options.onSample);
  }

  /** Folds one record; records must come in non-decreasing time. Throws {@link LogInvariantError} on a broken log. */
  record(r: LogRecord): void {
    const t = r.t;
    this.tick(t, r.kind);
    // The kinds of nearly every record come first; the rest go through rare(), so that the
    // optimiser, which inlines callees into record() only up to a budget, spends it on these.
    switch (r.kind) {
      case 'offer_sent':
        this.offers.sent(r.offer, this.shares.check(r.framework, t, r.kind), r.res, 0, t, r.kind);
        break;
      case 'offer_accepted':
        this.offers.accepted(r.offer, r.framework, r.used, 0, t, r.kind);
        break;
      case 'offer_declined':
        this.offers.declined(r.offer, r.framework, t, r.kind);
        break;
      case 'task_state':
        this.tasks.state(r.task, this.jobs.check(r.job, r.framework, t, r.kind), r.framework, r.state, r.res, 0, t);
        break;
      case 'allocation_run':
        this.offers.allocationRun();
        if (r.busy !== undefined) this.decisions.allocationRun(t, r.busy, r.kind);
        break;
      default:
        this.rare(r);
    }
  }

  /**
   * Folds a block of records (sim/model/record-block.ts): the same as {@link record} for each, in
   * order, reading the column rows without building their objects.
   */
  block(b: LogBlock): void {
    const f = b.f;
    const kinds = b.kind;
    const ts = b.t;
    for (let i = 0; i < b.length; i++) {
      const o = i * ROW_FIELDS;
      const t = ts[i]!;
      switch (kinds[i]) {
        case RowKind.OFFER_SENT:
          this.tick(t, 'offer_sent');
          this.offers.sent(f[o]!, this.shares.check(f[o + 1]!, t, 'offer_sent'), f, o + 3, t, 'offer_sent');
          break;
        case RowKind.OFFER_ACCEPTED:
          this.tick(t, 'offer_accepted');
          this.offers.accepted(f[o]!, f[o + 1]!, f, o + 4, t, 'offer_accepted');
          break;
        case RowKind.OFFER_DECLINED:
          this.tick(t, 'offer_declined');
          this.offers.declined(f[o]!, f[o + 1]!, t, 'offer_declined');
          break;
        case RowKind.TASK_STATE:
          this.tick(t, 'task_state');
          this.tasks.state(f[o]!, this.jobs.check(f[o + 1]!, f[o + 2]!, t, 'task_state'), f[o + 2]!, ROW_TASK_STATES[f[o + 4]!]!, f, o + 5, t);
          break;
        case RowKind.TASK_LOCALITY:
          this.tick(t, 'task_locality');
          this.locality.recorded(this.jobs.check(f[o + 1]!, f[o + 2]!, t, 'task_locality'), f[o + 2]!, ROW_LOCALITIES[f[o + 4]!]!);
          break;
        default:
          this.record(b.objects[f[o]!]!);
      }
    }
  }

  /** Advances the fold's clock to a record of `kind` at `t` and counts it; throws on a record out of time order. */
  private tick(t: number, kind: string): void {
    if (this.done) throw new LogInvariantError('record after finish()', t, kind);
    if (this.events === 0) {
      if (!Number.isSafeInteger(t) || t < 0) throw new LogInvariantError('time is not a non-negative integer', t, kind);
      this.first = t;
      if (this.series.on) this.series.begin(t);
      this.now = t;
    } else if (t !== this.now) {
      if (!Number.isSafeInteger(t) || t < this.now) {
        throw new LogInvariantError(`time is not an integer >= the previous record's ${this.now}`, t, kind);
      }
      if (t > this.runEnd) throw new LogInvariantError(`record after run_ended at ${this.runEnd}`, t, kind);
      this.advance(t);
    }
    this.events++;
  }

  /** The kinds of record {@link record} leaves to this method: registrations, job ends, decisions and the rest. */
  private rare(r: LogRecord): void {
    const t = r.t;
    switch (r.kind) {
      case 'agent_added':
        this.cluster.agentAdded(r.res);
        break;
      case 'agent_removed':
        this.cluster.agentRemoved(r.res);
        break;
      case 'framework_added':
        this.shares.added(r.framework, r.name, r.role, r.weight, r.behaviour, t);
        this.offers.frameworks(this.shares.count);
        break;
      case 'job_submitted': {
        const f = this.shares.check(r.framework, t, r.kind);
        this.jobs.add(r.job, r.name, f, r.tasks, r.maxTaskDuration, t);
        this.shares.jobSubmitted(f, r.tasks);
        break;
      }
      case 'job_finished':
        this.jobs.finished(this.jobs.check(r.job, r.framework, t, r.kind), t, r.kind);
        break;
      case 'offer_rescinded':
        this.offers.rescinded(r.offer, r.framework, t, r.kind);
        break;
      case 'task_locality':
        this.locality.recorded(this.jobs.check(r.job, r.framework, t, r.kind), r.framework, r.locality);
        break;
      case 'suppress':
      case 'revive':
      case 'framework_disconnected':
      case 'framework_reconnected':
      case 'framework_reconnect_refused':
      case 'framework_removed':
      case 'task_error':
      case 'reservation':
      case 'operation_error':
        this.shares.check(r.framework, t, r.kind);
        break;
      case 'decision':
        this.decisions.decision(this.shares.check(r.framework, t, r.kind), r.start, t, this.first, r.kind);
        break;
      case 'job_abandoned':
      case 'job_dropped': {
        const f = this.jobs.abandoned(this.jobs.check(r.job, r.framework, t, r.kind), t, r.kind);
        this.shares.dropPending(f, r.dropped, t);
        break;
      }
      case 'commit':
        this.decisions.commit(this.shares.check(r.framework, t, r.kind), r.placed, r.conflicts, t, r.kind);
        break;
      case 'job_restarted':
        this.jobs.restarted(this.jobs.check(r.job, r.framework, t, r.kind), r.copy, r.framework, t, r.kind);
        break;
      case 'app_submitted':
        this.yarn.appSubmitted(this.jobs.check(r.job, r.framework, t, r.kind), r.framework, r.queue, t, r.kind);
        break;
      case 'am_registered':
        this.yarn.amRegistered(this.jobs.check(r.job, r.framework, t, r.kind));
        break;
      case 'asks_sent':
        this.yarn.asksSent(this.jobs.check(r.job, r.framework, t, r.kind), r.priority, r.containers, t, r.kind);
        break;
      case 'container_allocated':
        this.yarn.allocated(r.container, this.jobs.check(r.job, r.framework, t, r.kind), r.priority, r.am, r.res, r.locality, t, r.kind);
        break;
      case 'container_completed':
        this.jobs.check(r.job, r.framework, t, r.kind);
        this.yarn.completed(r.container, t, r.kind);
        break;
      case 'reserved':
        this.yarn.reservedNow(r.res);
        break;
      case 'agent_reconnected':
        break; // the agent never left the cluster: nothing to fold
      case 'queue_guarantee':
        this.yarn.guarantee(r.queue, r.guarantee);
        break;
      case 'run_ended':
        if (this.endReason !== null) throw new LogInvariantError('second run_ended', t, r.kind);
        this.runEnd = t;
        this.endReason = r.reason;
        break;
      case 'offer_sent':
      case 'offer_accepted':
      case 'offer_declined':
      case 'task_state':
      case 'allocation_run':
        break; // record()'s
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
      this.shares.refresh(this.now);
      // advance() closed every row ending by `now` = end; what is left is the last, shorter row
      if (this.series.on) this.series.end(end);
      this.shares.close(end);
    }
    const span = end - this.first;
    const jobs = this.jobs.finish(
      this.shares.count,
      (f) => this.shares.name(f),
      (j) => ({ ...this.locality.jobRow(j), ...this.yarn.jobRow(j) }),
    );
    const frameworks: FrameworkRow[] = [];
    for (let f = 0; f < this.shares.count; f++) {
      if (!this.shares.registered(f)) continue;
      frameworks.push({
        id: f,
        ...this.shares.frameworkRow(f, span),
        ...jobs.frameworkRow(f),
        ...this.offers.frameworkRow(f),
        locality: this.locality.frameworkRow(f),
        ...this.decisions.frameworkRow(f, span),
        ...this.yarn.frameworkRow(f),
      });
    }
    const summary: Summary = {
      firstEvent: this.first,
      runEnd: end,
      endReason: this.endReason,
      events: this.events,
      ...this.cluster.summary(),
      ...this.shares.summary(),
      ...jobs.summary,
      ...this.tasks.summary(),
      ...this.offers.summary(),
      ...this.locality.summary(this.jobs),
      ...this.decisions.summary(frameworks, span, end),
      ...this.yarn.summary(),
    };
    return { summary, jobs: jobs.rows, frameworks, samples: this.series.kept };
  }

  /**
   * Moves the clock from `now` to `t` > now: settle the state at `now`, integrate it over [now, t)
   * (the run's integrals in one piece, so that they do not depend on the row length), and close
   * the rows that end by t.
   */
  private advance(t: number): void {
    const now = this.now;
    this.shares.refresh(now);
    const dt = t - now;
    this.cluster.integrate(dt);
    this.shares.integrate(dt);
    this.yarn.integrate(dt);
    if (this.series.on) this.series.advance(now, t);
    this.now = t;
  }
}
