/**
 * Re-checks a run's event log against the guarantees of the model (sim/model/master.ts) in one
 * streaming pass, and the run's summary.json and manifest.json against counts taken from the log:
 * `offersim verify`. Memory follows the live offers, tasks, agents, frameworks and open jobs, never
 * the log. A thin dispatcher over the checkers of reports/verify/ (agents and their resources,
 * frameworks, jobs, offers and accepts, tasks), which report to one reporter; the record shapes
 * and the summary recomputation are there too. Pure: the caller reads the files. Imports only the
 * event log types and reports modules.
 */
import type { LogRecord } from '../sim/model/log.js';
import { Fingerprint } from './fingerprint.js';
import { fmtSeconds } from './format.js';
import { assertNever } from '../sim/kernel/assert.js';
import { AgentChecks } from './verify/agents.js';
import { FrameworkChecks } from './verify/frameworks.js';
import { Instant } from './verify/instant.js';
import { Reporter, type InvariantName, type Site, type Violation } from './verify/invariants.js';
import { ABANDONED, DROPPED, JobChecks } from './verify/jobs.js';
import { OfferChecks } from './verify/offers.js';
import type { EventCounts } from './verify/summary.js';
import { TaskChecks } from './verify/tasks.js';

export { AGENT_SILENCE_BEFORE_REMOVAL } from './verify/agents.js';
export { INVARIANTS, formatViolation, type InvariantName, type Violation } from './verify/invariants.js';
export { recordProblem } from './verify/records.js';
export { SUMMARY_CHECKED_KEYS, manifestViolations, summaryViolations, type EventCounts } from './verify/summary.js';

/** Options of {@link LogVerifier}. */
export interface LogVerifierOptions {
  /**
   * the run placed tasks without offers (the monolithic and shared-state baselines): a launch then
   * takes an agent's free resources directly, and an offer is a violation; default false
   */
  readonly direct?: boolean;
  /** called with each violation as it is found (they are also counted); default none */
  readonly onViolation?: (v: Violation) => void;
}

/**
 * Streaming check of an event log. Feed every record in order with its line number, then call
 * {@link finish}. Violations go to `onViolation` as they are found; {@link counts} per invariant.
 * The checks and where they come from in the model are listed in docs/verify.md.
 */
export class LogVerifier {
  /** violations found, by invariant */
  readonly counts: Map<InvariantName, number>;
  private readonly report: Reporter;
  private readonly fingerprint = new Fingerprint();
  private readonly instant = new Instant();
  private readonly agents: AgentChecks;
  private readonly frameworks: FrameworkChecks;
  private readonly jobs: JobChecks;
  private readonly offers: OfferChecks;
  private readonly tasks: TaskChecks;

  private records = 0;
  private now = NaN;
  private first = NaN;
  private ended: { readonly t: number; readonly reason: 'completed' | 'duration' } | undefined;
  private lastLine = 0;
  private done = false;
  private conflicts = 0;

  /** A verifier for a run with offers (default) or, with `direct`, for a non-offer baseline. */
  constructor(options: LogVerifierOptions = {}) {
    this.report = new Reporter(options.onViolation ?? (() => {}));
    this.counts = this.report.counts;
    this.agents = new AgentChecks(this.report);
    this.frameworks = new FrameworkChecks(this.report, this.instant);
    this.jobs = new JobChecks(this.report, this.instant, this.frameworks);
    this.offers = new OfferChecks(this.report, this.agents, this.frameworks, this.jobs, options.direct ?? false);
    this.tasks = new TaskChecks(this.report, this.instant, this.agents, this.frameworks, this.jobs, this.offers);
  }

  /** Checks one record, the log's line `line` (from 1). Records must be well formed ({@link recordProblem}). */
  record(r: LogRecord, line: number): void {
    if (this.done) throw new Error('LogVerifier: record after finish()');
    this.fingerprint.record(r);
    this.records++;
    this.lastLine = line;
    const t = r.t;
    if (!Number.isSafeInteger(t) || t < 0) this.report.fail('order', r, line, `time ${t} is not a non-negative integer of us`);
    else if (this.records === 1) this.first = t;
    else if (t < this.now) this.report.fail('order', r, line, `time goes back from ${fmtSeconds(this.now)} s (the previous record's)`);
    if (Number.isSafeInteger(t) && !(t <= this.now)) {
      if (this.records > 1) this.settle();
      this.now = t;
    } else if (t < this.now) {
      // Follow the log's clock back, so that one record out of place is one violation, not one per record after it.
      this.now = t;
    }
    if (this.ended !== undefined) this.report.fail('run-end', r, line, `a record after run_ended (t=${fmtSeconds(this.ended.t)} s)`);
    this.offers.before(r, line);
    this.check(r, line);
  }

  /** Ends the log: the checks due at its end. Returns what the events count. Call once. */
  finish(): EventCounts {
    if (this.done) throw new Error('LogVerifier: finish() called twice');
    this.done = true;
    const end: Site = { line: this.lastLine, t: this.now, kind: 'end of log' };
    this.offers.atEnd(this.lastLine);
    this.settle();
    if (this.ended === undefined) this.report.failAt('run-end', end, 'the log has no run_ended record');
    const reason = this.ended?.reason ?? null;
    if (reason !== 'duration') this.offers.checkAnswered(reason, this.now);
    if (reason === 'completed') this.jobs.checkCompleted(end);
    const { localityTasks, ...tasks } = this.tasks.counts();
    const { jobsOver, ...jobs } = this.jobs.counts();
    return {
      records: this.records,
      fingerprint: this.fingerprint.digest(),
      firstEvent: this.first,
      runEnd: this.ended?.t ?? (this.records > 0 ? this.now : NaN),
      endReason: reason,
      agents: this.agents.net,
      frameworks: this.frameworks.count,
      ...jobs,
      ...tasks,
      jobsOver,
      ...this.offers.counts(),
      localityTasks,
      conflicts: this.conflicts,
    };
  }

  /** Runs the checks due when an instant is over: what the model does "at that instant" has been done. */
  private settle(): void {
    for (const d of this.instant.take()) {
      switch (d.what) {
        case 'lost':
          this.tasks.settleLost(d);
          break;
        case 'finish':
          this.jobs.settleFinish(d);
          break;
        case 'drop':
          this.jobs.settleDrop(d);
          break;
        case 'disconnect':
          this.frameworks.settleDisconnect(d);
          break;
        case 'remove':
          this.frameworks.settleRemove(d);
          break;
        default:
          assertNever(d);
      }
    }
  }

  private check(r: LogRecord, line: number): void {
    switch (r.kind) {
      case 'agent_added':
        this.agents.added(r, line);
        break;
      case 'agent_removed':
        this.agents.removed(r, line);
        break;
      case 'agent_reconnected':
        this.agents.reconnected(r, line);
        break;
      case 'framework_added':
        this.frameworks.added(r, line);
        break;
      case 'job_submitted':
        this.jobs.submitted(r, line);
        break;
      case 'job_finished':
        this.jobs.finished(r, line);
        break;
      case 'offer_sent':
        this.offers.sent(r, line);
        break;
      case 'offer_accepted':
      case 'offer_declined':
      case 'offer_rescinded':
        this.offers.answered(r, line);
        break;
      case 'task_state':
        this.tasks.state(r, line);
        break;
      case 'task_locality':
        this.tasks.locality(r, line);
        break;
      case 'suppress':
        this.frameworks.suppress(r, line);
        break;
      case 'revive':
        this.frameworks.revive(r, line);
        break;
      case 'allocation_run':
        this.offers.allocationRun(r, line);
        break;
      case 'decision': {
        if (this.frameworks.framework(r, line, r.framework) === undefined || this.jobs.job(r, line, r.job, r.framework) < 0) break;
        if (!Number.isSafeInteger(r.start) || r.start > r.t || r.start < 0)
          this.report.fail('frameworks', r, line, `a decision that began at ${r.start} us, not between 0 and its end`);
        break;
      }
      case 'job_abandoned':
        this.jobs.dropped(r, line, ABANDONED);
        break;
      case 'job_dropped':
        this.jobs.dropped(r, line, DROPPED);
        break;
      case 'commit': {
        if (this.frameworks.framework(r, line, r.framework) === undefined || this.jobs.job(r, line, r.job, r.framework) < 0) break;
        if (!Number.isSafeInteger(r.placed) || !Number.isSafeInteger(r.conflicts) || r.conflicts < 0 || r.conflicts > r.placed) {
          this.report.fail('frameworks', r, line, `${r.conflicts} conflicts of ${r.placed} placements`);
        }
        this.conflicts += r.conflicts;
        break;
      }
      case 'job_restarted':
        this.jobs.restarted(r, line);
        break;
      case 'framework_disconnected':
        this.frameworks.disconnected(r, line);
        break;
      case 'framework_reconnected':
        this.frameworks.reconnected(r, line);
        break;
      case 'framework_reconnect_refused':
        this.frameworks.reconnectRefused(r, line);
        break;
      case 'framework_removed':
        this.frameworks.removed(r, line, (fw) => this.jobs.unfinishedOf(fw));
        break;
      case 'task_error':
        this.offers.taskError(r, line);
        break;
      case 'reservation':
        this.offers.reservation(r, line);
        break;
      case 'operation_error':
        this.offers.operationError(r, line);
        break;
      case 'app_submitted':
      case 'am_registered':
      case 'asks_sent':
      case 'container_allocated':
      case 'container_completed':
        this.jobs.job(r, line, r.job, r.framework);
        break;
      case 'reserved':
      case 'queue_guarantee':
        break;
      case 'run_ended':
        if (this.ended !== undefined) break; // reported above as a record after run_ended
        this.ended = { t: r.t, reason: r.reason };
        break;
      default:
        assertNever(r);
    }
  }
}
