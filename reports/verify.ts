/**
 * Re-checks a run's event log against the guarantees of the model (sim/model/master.ts) in one
 * streaming pass, and the run's summary.json and manifest.json against counts taken from the log:
 * `offersim verify`. Memory follows the live offers, tasks, agents, frameworks and open jobs, never
 * the log. Pure: the caller reads the files. Imports only the event log types and reports modules.
 */
import type { LogKind, LogRecord, ResTuple, TaskErrorReason, TaskLocality, TaskState } from '../sim/model/log.js';
import { Fingerprint } from './fingerprint.js';
import { fmtSeconds } from './format.js';
import { RESOURCE_NAMES, type Summary } from './metrics.js';

/** The invariants, by name, each with what it asserts (docs/verify.md says the same at length). */
export const INVARIANTS = {
  order: 'records in time order: each t a non-negative integer, never less than the previous record\'s',
  ids: 'every id known: agents, frameworks, jobs and offers numbered densely in order of first appearance, a task within its job\'s range, a job\'s records naming its framework',
  'agent-resources': 'per agent, offered + allocated <= total for every resource and nothing negative; an accept\'s launches come out of its offer',
  'agent-lifecycle': 'offers and launches only on a registered agent; agent_removed only of a registered agent, with its total, after at least 75 s without an offer, launch or finished task on it, with its tasks lost at that instant',
  offers: 'each offer answered exactly once (accepted, declined or rescinded) by its framework, on its agent; an accept uses at most the offer and is the launches just before it; each allocation run counts the offers just before it; offers outstanding at the end only when the run ended by duration',
  tasks: 'each task pending -> staging -> running -> one terminal state, staging and running at one instant, on one agent with one resource vector; no record after the terminal one; a lost task\'s agent removed at that instant; task_error only as the accept validation refuses',
  jobs: 'job_finished exactly once per finished job, at its last task\'s end, every task terminal; abandoned and dropped counts equal the tasks never launched; a completed run leaves no job unfinished',
  frameworks: 'offers only to a registered, connected, unsuppressed framework; no launch after a disconnect or removal; disconnect, reregistration and removal in order, removal at disconnect + failover timeout killing its tasks and dropping its jobs',
  'run-end': 'exactly one run_ended record, the last',
  summary: 'summary.json\'s counts equal those of the events',
  manifest: 'manifest.json\'s record count, fingerprint, end and job counts equal those of the events',
} as const;

/** One of {@link INVARIANTS}' names. */
export type InvariantName = keyof typeof INVARIANTS;

/** A broken invariant: where (file, line, time, record kind) and what. */
export interface Violation {
  readonly invariant: InvariantName;
  /** the file it is about */
  readonly file: 'events.jsonl' | 'summary.json' | 'manifest.json';
  /** the offending record's line in events.jsonl, from 1; 0 when it is about no one record */
  readonly line: number;
  /** the offending record's time, us; NaN when it is about no one record */
  readonly t: number;
  /** the offending record's kind; '' when it is about no one record */
  readonly kind: string;
  readonly message: string;
}

/**
 * A violation as one line: `events.jsonl:12: t=1.500000 s offer_sent: [offers] ...`.
 * @example formatViolation({ invariant: 'summary', file: 'summary.json', line: 0, t: NaN, kind: '', message: 'jobs is 3, the events have 4' })
 * // 'summary.json: [summary] jobs is 3, the events have 4'
 */
export function formatViolation(v: Violation): string {
  const where = v.line > 0 ? `${v.file}:${v.line}` : v.file;
  const what = v.kind === '' ? '' : ` ${Number.isNaN(v.t) ? '' : `t=${fmtSeconds(v.t)} s `}${v.kind}`;
  return `${where}:${what} [${v.invariant}] ${v.message}`;
}

/**
 * What the events count, for summary.json and manifest.json (see {@link summaryViolations}): the
 * summary's counts (same definitions: reports/metrics.ts), counted here independently of the
 * metric fold, and a few more.
 */
export type EventCounts = Pick<Summary,
  | 'firstEvent' | 'runEnd' | 'endReason' | 'agents' | 'frameworks' | 'jobs' | 'tasks' | 'tasksLaunched' | 'tasksFinished'
  | 'tasksFailed' | 'tasksKilled' | 'tasksLost' | 'jobsFinished' | 'jobsUnscheduled' | 'jobsUnfinished' | 'jobsAbandoned'
  | 'makespan' | 'offersSent' | 'offersAccepted' | 'offersDeclined' | 'offersRescinded' | 'offersOutstanding'
  | 'allocationRuns' | 'conflicts'> & {
  /** log records (the summary's `events`) */
  readonly records: number;
  /** the records' fingerprint (reports/fingerprint.ts) */
  readonly fingerprint: string;
  /** jobs over: every task ended or dropped (finished, abandoned, dropped or restarted jobs) */
  readonly jobsOver: number;
  /** task_locality records (the summary's `locality.tasks`) */
  readonly localityTasks: number;
};

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
 * How long an agent is silent before the master removes it: it is declared lost at the 5th missed
 * ping, 75 s after its first unanswered one (sim/model/master.ts AGENT_PING_TIMEOUT x
 * MAX_AGENT_PING_TIMEOUTS, after Mesos's --agent_ping_timeout and --max_agent_ping_timeouts), us.
 */
export const AGENT_SILENCE_BEFORE_REMOVAL = 75_000_000;

const NR = RESOURCE_NAMES.length;

// Per-job status bits.
const FINISHED = 1;
const ABANDONED = 2;
const DROPPED = 4;
const RESTARTED = 8;
/** every task ended or dropped */
const OVER = 16;
/** a task of it reached running */
const STARTED = 32;

// Per-agent registration.
const NEVER = 0;
const UP = 1;
const REMOVED = 2;

// A task's state within its open job.
const PENDING = 0;
const LIVE = 1;
const ENDED = 2;

interface LiveOffer {
  readonly fw: number;
  readonly agent: number;
  readonly res: ResTuple;
  readonly line: number;
  readonly t: number;
}

interface LiveTask {
  readonly job: number;
  readonly fw: number;
  readonly agent: number;
  readonly res: ResTuple;
  running: boolean;
  /** when it launched, us */
  readonly launchedAt: number;
  readonly line: number;
  /** its task_locality record's level, if any */
  locality: TaskLocality | undefined;
}

/** A job whose tasks have not all ended: what each of its tasks did. */
interface OpenJob {
  /** per task (from the job's first): PENDING, LIVE or ENDED */
  readonly task: Uint8Array;
  launched: number;
  ended: number;
  live: number;
  /** tasks dropped by its job_abandoned or job_dropped record */
  dropped: number;
}

interface FrameworkState {
  suppressed: boolean;
  connected: boolean;
  removed: boolean;
  disconnectedAt: number;
  failoverTimeout: number;
  removedAt: number;
  liveTasks: number;
  liveOffers: number;
}

/** The launches of one accept so far: they must be followed by its offer_accepted. */
interface LaunchGroup {
  readonly fw: number;
  readonly agent: number;
  readonly t: number;
  readonly line: number;
  count: number;
  readonly sum: number[];
  /** the tasks launched */
  readonly tasks: number[];
}

/**
 * A task_error of an accept: the accept of `offer` must not launch `task`, unless `duplicate`
 * (refused as not pending while it was: named again after its launch in the same accept), when it
 * must.
 */
interface Refusal {
  readonly task: number;
  readonly offer: number;
  readonly duplicate: boolean;
  readonly line: number;
  readonly t: number;
}

/** A check due at the end of the instant a record opened (see {@link LogVerifier.settle}). */
type Due =
  | { readonly what: 'lost'; readonly agent: number; readonly line: number; readonly t: number; readonly task: number }
  | { readonly what: 'finish'; readonly job: number; readonly line: number; readonly t: number }
  | { readonly what: 'drop'; readonly job: number; readonly line: number; readonly t: number }
  | { readonly what: 'disconnect'; readonly fw: number; readonly line: number; readonly t: number }
  | { readonly what: 'remove'; readonly fw: number; readonly line: number; readonly t: number; readonly kills: number; readonly drops: number };

/**
 * Streaming check of an event log. Feed every record in order with its line number, then call
 * {@link finish}. Violations go to `onViolation` as they are found; {@link counts} per invariant.
 * The checks and where they come from in the model are listed in docs/verify.md.
 */
export class LogVerifier {
  private readonly direct: boolean;
  private readonly onViolation: (v: Violation) => void;
  private readonly fingerprint = new Fingerprint();
  /** violations found, by invariant */
  readonly counts = new Map<InvariantName, number>();

  private records = 0;
  private now = NaN;
  private first = NaN;
  private ended: { readonly t: number; readonly reason: 'completed' | 'duration' } | undefined;
  private lastLine = 0;
  private done = false;

  // agents, by dense id
  private readonly agentState: number[] = [];
  private readonly agentName: string[] = [];
  private readonly agentRack: string[] = [];
  private readonly agentTotal: number[][] = [];
  private readonly agentOffered: number[][] = [];
  private readonly agentAllocated: number[][] = [];
  private readonly agentLiveTasks: number[] = [];
  private readonly agentLiveOffers: number[] = [];
  /** last offer, launch or finished task on the agent, or its registration, us */
  private readonly agentActive: number[] = [];
  /** when the agent was last removed, us (NaN: never) */
  private readonly agentRemovedAt: number[] = [];
  /** 1 while the agent's accounting is broken (reported once per episode) */
  private readonly agentBroken: number[] = [];
  private agentsUp = 0;

  // frameworks, by dense id
  private readonly fws: FrameworkState[] = [];

  // jobs, by dense id: compact for every job, a task table for the open ones
  private jobFw = new Int32Array(64);
  private jobFirst = new Float64Array(64);
  private jobTasks = new Float64Array(64);
  private jobMaxDur = new Float64Array(64);
  private jobSubmit = new Float64Array(64);
  private jobStatus = new Uint8Array(64);
  private nJobs = 0;
  private readonly open = new Map<number, OpenJob>();
  private tasksSubmitted = 0;

  private readonly offers = new Map<number, LiveOffer>();
  private readonly tasks = new Map<number, LiveTask>();

  /** consecutive offer_sent records not yet counted by an allocation_run: their count and first line */
  private runOffers = 0;
  private runOffersLine = 0;
  private group: LaunchGroup | undefined;
  /** the task errors of the accepts under way, checked against the launches at their offer_accepted */
  private refused: Refusal[] = [];
  private due: Due[] = [];
  /** jobs submitted after their framework's removal, owed a job_dropped in this instant */
  private readonly owedDrop = new Set<number>();
  /** per framework removed in this instant: its kills and drops seen so far */
  private readonly removalKills = new Map<number, number>();
  private readonly removalDrops = new Map<number, number>();

  // counts
  private agentsNet = 0;
  private tasksLaunched = 0;
  private tasksFinished = 0;
  private tasksFailed = 0;
  private tasksKilled = 0;
  private tasksLost = 0;
  private jobsFinished = 0;
  private jobsAbandoned = 0;
  private jobsRestarted = 0;
  private jobsOver = 0;
  private firstSubmit = Infinity;
  private lastFinish = -Infinity;
  private offersSent = 0;
  private offersAccepted = 0;
  private offersDeclined = 0;
  private offersRescinded = 0;
  private allocationRuns = 0;
  private localityTasks = 0;
  private conflicts = 0;

  /** A verifier for a run with offers (default) or, with `direct`, for a non-offer baseline. */
  constructor(options: LogVerifierOptions = {}) {
    this.direct = options.direct ?? false;
    this.onViolation = options.onViolation ?? (() => {});
  }

  /** Checks one record, the log's line `line` (from 1). Records must be well formed ({@link recordProblem}). */
  record(r: LogRecord, line: number): void {
    if (this.done) throw new Error('LogVerifier: record after finish()');
    this.fingerprint.record(r);
    this.records++;
    this.lastLine = line;
    const t = r.t;
    if (!Number.isSafeInteger(t) || t < 0) this.fail('order', r, line, `time ${t} is not a non-negative integer of us`);
    else if (this.records === 1) this.first = t;
    else if (t < this.now) this.fail('order', r, line, `time goes back from ${fmtSeconds(this.now)} s (the previous record's)`);
    if (Number.isSafeInteger(t) && !(t <= this.now)) {
      if (this.records > 1) this.settle();
      this.now = t;
    } else if (t < this.now) {
      // Follow the log's clock back, so that one record out of place is one violation, not one per record after it.
      this.now = t;
    }
    if (this.ended !== undefined) this.fail('run-end', r, line, `a record after run_ended (t=${fmtSeconds(this.ended.t)} s)`);
    if (this.group !== undefined && r.kind !== 'offer_accepted' && !this.continuesGroup(r)) this.openGroupViolation(r, line);
    if (this.runOffers > 0 && r.kind !== 'offer_sent' && r.kind !== 'allocation_run') this.strayOffers();
    if (r.kind !== 'task_error' && r.kind !== 'task_state' && r.kind !== 'task_locality' && r.kind !== 'offer_accepted') this.refused = [];
    this.check(r, line);
  }

  /** Ends the log: the checks due at its end. Returns what the events count. Call once. */
  finish(): EventCounts {
    if (this.done) throw new Error('LogVerifier: finish() called twice');
    this.done = true;
    const end: Site = { line: this.lastLine, t: this.now, kind: 'end of log' };
    if (this.group !== undefined) this.openGroupViolation(undefined, this.lastLine);
    if (this.runOffers > 0) this.strayOffers();
    this.settle();
    if (this.ended === undefined) this.failAt('run-end', end, 'the log has no run_ended record');
    const reason = this.ended?.reason ?? null;
    if (reason !== 'duration') {
      for (const [id, o] of this.offers) {
        this.failAt('offers', { line: o.line, t: o.t, kind: 'offer_sent' }, `offer ${id} is still outstanding at the end of a run that ${reason === null ? 'has no run_ended' : 'completed'} (only a run ended by its duration may leave offers unanswered)`);
      }
    }
    if (reason === 'completed') {
      for (const [j, o] of this.open) {
        if ((this.jobStatus[j]! & OVER) !== 0) continue;
        this.failAt('jobs', end, `job ${j} is not over at the end of a completed run: ${o.launched - o.ended} tasks live, ${this.jobTasks[j]! - o.launched - o.dropped} never launched`);
      }
    }
    let unscheduled = 0;
    for (let j = 0; j < this.nJobs; j++) if ((this.jobStatus[j]! & STARTED) === 0) unscheduled++;
    return {
      records: this.records,
      fingerprint: this.fingerprint.digest(),
      firstEvent: this.first,
      runEnd: this.ended?.t ?? (this.records > 0 ? this.now : NaN),
      endReason: reason,
      agents: this.agentsNet,
      frameworks: this.fws.length,
      jobs: this.nJobs,
      tasks: this.tasksSubmitted,
      tasksLaunched: this.tasksLaunched,
      tasksFinished: this.tasksFinished,
      tasksFailed: this.tasksFailed,
      tasksKilled: this.tasksKilled,
      tasksLost: this.tasksLost,
      jobsFinished: this.jobsFinished,
      jobsUnscheduled: unscheduled,
      jobsUnfinished: this.nJobs - this.jobsFinished - this.jobsAbandoned - this.jobsRestarted,
      jobsAbandoned: this.jobsAbandoned,
      jobsOver: this.jobsOver,
      makespan: this.jobsFinished > 0 ? this.lastFinish - this.firstSubmit : NaN,
      offersSent: this.offersSent,
      offersAccepted: this.offersAccepted,
      offersDeclined: this.offersDeclined,
      offersRescinded: this.offersRescinded,
      offersOutstanding: this.offers.size,
      allocationRuns: this.allocationRuns,
      localityTasks: this.localityTasks,
      conflicts: this.conflicts,
    };
  }

  // ---------------------------------------------------------------- violations

  private fail(invariant: InvariantName, r: LogRecord, line: number, message: string): void {
    this.failAt(invariant, { line, t: r.t, kind: r.kind }, message);
  }

  private failAt(invariant: InvariantName, at: Site, message: string): void {
    this.counts.set(invariant, (this.counts.get(invariant) ?? 0) + 1);
    this.onViolation({ invariant, file: 'events.jsonl', line: at.line, t: at.t, kind: at.kind, message });
  }

  // ---------------------------------------------------------------- the end of an instant

  /** Runs the checks due when an instant is over: what the model does "at that instant" has been done. */
  private settle(): void {
    if (this.due.length === 0) return;
    const due = this.due;
    this.due = [];
    for (const d of due) {
      switch (d.what) {
        case 'lost':
          if (this.agentRemovedAt[d.agent] !== d.t) {
            this.failAt('tasks', { line: d.line, t: d.t, kind: 'task_state' }, `task ${d.task} went lost, but its agent ${d.agent} was not removed at that instant`);
          }
          break;
        case 'finish':
          if ((this.jobStatus[d.job]! & (FINISHED | ABANDONED | DROPPED | RESTARTED)) === 0) {
            this.failAt('jobs', { line: d.line, t: d.t, kind: 'task_state' }, `the last task of job ${d.job} ended here, but no job_finished followed at that instant`);
          }
          break;
        case 'drop':
          if (this.owedDrop.delete(d.job)) {
            this.failAt('frameworks', { line: d.line, t: d.t, kind: 'job_submitted' }, `job ${d.job} of removed framework ${this.jobFw[d.job]} was not dropped at its arrival`);
          }
          break;
        case 'disconnect': {
          const n = this.fws[d.fw]!.liveOffers;
          if (n > 0 && !this.fws[d.fw]!.connected) {
            this.failAt('frameworks', { line: d.line, t: d.t, kind: 'framework_disconnected' }, `framework ${d.fw} disconnected, but ${n} of its offers were not rescinded at that instant`);
          }
          break;
        }
        case 'remove': {
          const f = this.fws[d.fw]!;
          const site: Site = { line: d.line, t: d.t, kind: 'framework_removed' };
          const kills = this.removalKills.get(d.fw) ?? 0;
          const drops = this.removalDrops.get(d.fw) ?? 0;
          this.removalKills.delete(d.fw);
          this.removalDrops.delete(d.fw);
          if (f.liveTasks > 0) this.failAt('frameworks', site, `framework ${d.fw} was removed, but ${f.liveTasks} of its tasks were not killed at that instant`);
          if (kills !== d.kills) this.failAt('frameworks', site, `the record says ${d.kills} tasks killed, the instant killed ${kills}`);
          if (drops !== d.drops) this.failAt('frameworks', site, `the record says ${d.drops} jobs dropped, the instant dropped ${drops}`);
          break;
        }
        default:
          assertNever(d);
      }
    }
  }

  // ---------------------------------------------------------------- records

  private check(r: LogRecord, line: number): void {
    switch (r.kind) {
      case 'agent_added':
        this.agentAdded(r, line);
        break;
      case 'agent_removed':
        this.agentRemoved(r, line);
        break;
      case 'framework_added':
        this.frameworkAdded(r, line);
        break;
      case 'job_submitted':
        this.jobSubmitted(r, line);
        break;
      case 'job_finished':
        this.jobFinished(r, line);
        break;
      case 'offer_sent':
        this.offerSent(r, line);
        break;
      case 'offer_accepted':
      case 'offer_declined':
      case 'offer_rescinded':
        this.offerAnswered(r, line);
        break;
      case 'task_state':
        this.taskState(r, line);
        break;
      case 'task_locality':
        this.taskLocality(r, line);
        break;
      case 'suppress': {
        const f = this.framework(r, line, r.framework);
        if (f === undefined) break;
        if (f.removed) this.fail('frameworks', r, line, `framework ${r.framework} suppressed after its removal`);
        else if (f.suppressed) this.fail('frameworks', r, line, `framework ${r.framework} suppressed while suppressed (the master logs a suppress only when it changes something)`);
        f.suppressed = true;
        break;
      }
      case 'revive': {
        const f = this.framework(r, line, r.framework);
        if (f === undefined) break;
        if (f.removed) this.fail('frameworks', r, line, `framework ${r.framework} revived after its removal`);
        f.suppressed = false;
        break;
      }
      case 'allocation_run':
        this.allocationRun(r, line);
        break;
      case 'decision': {
        if (this.framework(r, line, r.framework) === undefined || this.job(r, line, r.job, r.framework) < 0) break;
        if (!Number.isSafeInteger(r.start) || r.start > r.t || r.start < 0) this.fail('frameworks', r, line, `a decision that began at ${r.start} us, not between 0 and its end`);
        break;
      }
      case 'job_abandoned':
        this.jobDropped(r, line, ABANDONED);
        break;
      case 'job_dropped':
        this.jobDropped(r, line, DROPPED);
        break;
      case 'commit': {
        if (this.framework(r, line, r.framework) === undefined || this.job(r, line, r.job, r.framework) < 0) break;
        if (!Number.isSafeInteger(r.placed) || !Number.isSafeInteger(r.conflicts) || r.conflicts < 0 || r.conflicts > r.placed) {
          this.fail('frameworks', r, line, `${r.conflicts} conflicts of ${r.placed} placements`);
        }
        this.conflicts += r.conflicts;
        break;
      }
      case 'job_restarted':
        this.jobRestarted(r, line);
        break;
      case 'framework_disconnected': {
        const f = this.framework(r, line, r.framework);
        if (f === undefined) break;
        if (f.removed || !f.connected) this.fail('frameworks', r, line, `framework ${r.framework} disconnected while ${f.removed ? 'removed' : 'disconnected'}`);
        if (!Number.isSafeInteger(r.failoverTimeout) || r.failoverTimeout < 0) this.fail('frameworks', r, line, `failover timeout ${r.failoverTimeout} is not a non-negative integer of us`);
        f.connected = false;
        f.disconnectedAt = r.t;
        f.failoverTimeout = r.failoverTimeout;
        this.due.push({ what: 'disconnect', fw: r.framework, line, t: r.t });
        break;
      }
      case 'framework_reconnected': {
        const f = this.framework(r, line, r.framework);
        if (f === undefined) break;
        if (f.removed || f.connected) this.fail('frameworks', r, line, `framework ${r.framework} reregistered while ${f.removed ? 'removed (it must be refused)' : 'connected'}`);
        f.connected = true;
        break;
      }
      case 'framework_reconnect_refused': {
        const f = this.framework(r, line, r.framework);
        if (f !== undefined && !f.removed) this.fail('frameworks', r, line, `framework ${r.framework} refused reregistration, but it has not been removed`);
        break;
      }
      case 'framework_removed':
        this.frameworkRemoved(r, line);
        break;
      case 'task_error':
        this.taskError(r, line);
        break;
      case 'run_ended':
        if (this.ended !== undefined) break; // reported above as a record after run_ended
        this.ended = { t: r.t, reason: r.reason };
        break;
      default:
        assertNever(r);
    }
  }

  // ---------------------------------------------------------------- ids

  /** The framework, or undefined (an `ids` violation) when `id` names none. */
  private framework(r: LogRecord, line: number, id: number): FrameworkState | undefined {
    const f = Number.isInteger(id) && id >= 0 ? this.fws[id] : undefined;
    if (f === undefined) this.fail('ids', r, line, `unknown framework ${id}`);
    return f;
  }

  /** Job `id`'s index, or -1 (an `ids` violation) when it names no job or the job is another framework's. */
  private job(r: LogRecord, line: number, id: number, fw: number): number {
    if (!(Number.isInteger(id) && id >= 0 && id < this.nJobs)) {
      this.fail('ids', r, line, `unknown job ${id}`);
      return -1;
    }
    if (this.jobFw[id] !== fw) {
      this.fail('ids', r, line, `job ${id} belongs to framework ${this.jobFw[id]}, not ${fw}`);
      return -1;
    }
    return id;
  }

  /** Whether agent `id` was ever registered (else an `ids` violation). */
  private agent(r: LogRecord, line: number, id: number): boolean {
    const ok = Number.isInteger(id) && id >= 0 && id < this.agentState.length;
    if (!ok) this.fail('ids', r, line, `unknown agent ${id}`);
    return ok;
  }

  /** The job owning task `task` (ids are dense per job, in submission order), or -1. */
  private jobOfTask(task: number): number {
    if (!Number.isInteger(task) || task < 0 || task >= this.tasksSubmitted) return -1;
    let lo = 0;
    let hi = this.nJobs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.jobFirst[mid]! <= task) lo = mid;
      else hi = mid - 1;
    }
    // Jobs without tasks share their first id with the next job: the first with a task holds it.
    while (this.jobTasks[lo] === 0 && lo > 0) lo--;
    return task < this.jobFirst[lo]! + this.jobTasks[lo]! ? lo : -1;
  }

  // ---------------------------------------------------------------- agents and their resources

  private agentAdded(r: Extract<LogRecord, { kind: 'agent_added' }>, line: number): void {
    const a = r.agent;
    const n = this.agentState.length;
    if (a === n) {
      this.agentState.push(UP);
      this.agentName.push(r.name);
      this.agentRack.push(r.rack);
      this.agentTotal.push([...r.res]);
      this.agentOffered.push(new Array<number>(NR).fill(0));
      this.agentAllocated.push(new Array<number>(NR).fill(0));
      this.agentLiveTasks.push(0);
      this.agentLiveOffers.push(0);
      this.agentActive.push(r.t);
      this.agentRemovedAt.push(NaN);
      this.agentBroken.push(0);
      if (r.res.some((x) => x < 0)) this.fail('agent-resources', r, line, `agent ${a} registered with negative resources ${fmtRes(r.res)}`);
    } else if (Number.isInteger(a) && a >= 0 && a < n) {
      if (this.agentState[a] !== REMOVED) {
        this.fail('agent-lifecycle', r, line, `agent ${a} registered while registered`);
        return;
      }
      // A removed agent may come back: the same agent, with nothing on it.
      if (r.name !== this.agentName[a] || r.rack !== this.agentRack[a] || !sameRes(r.res, this.agentTotal[a]!)) {
        this.fail('agent-lifecycle', r, line, `agent ${a} reregistered as ${r.name} (${r.rack}, ${fmtRes(r.res)}), not as the ${this.agentName[a]} (${this.agentRack[a]}, ${fmtRes(this.agentTotal[a]!)}) it was`);
      }
      this.agentState[a] = UP;
      this.agentActive[a] = r.t;
    } else {
      this.fail('ids', r, line, `agent ids are dense: expected ${n}, got ${a}`);
      return;
    }
    this.agentsUp++;
    this.agentsNet++;
  }

  private agentRemoved(r: Extract<LogRecord, { kind: 'agent_removed' }>, line: number): void {
    const a = r.agent;
    if (!this.agent(r, line, a)) return;
    if (this.agentState[a] !== UP) {
      this.fail('agent-lifecycle', r, line, `agent ${a} removed while not registered`);
      return;
    }
    if (!sameRes(r.res, this.agentTotal[a]!)) this.fail('agent-lifecycle', r, line, `agent ${a} removed with ${fmtRes(r.res)}, not its total ${fmtRes(this.agentTotal[a]!)}`);
    const quiet = r.t - this.agentActive[a]!;
    if (quiet < AGENT_SILENCE_BEFORE_REMOVAL) {
      this.fail('agent-lifecycle', r, line, `agent ${a} removed ${fmtSeconds(quiet)} s after its last offer, launch, finished task or registration: a failed agent is silent for at least 75 s first`);
    }
    if (this.agentLiveTasks[a]! > 0) this.fail('agent-lifecycle', r, line, `agent ${a} removed with ${this.agentLiveTasks[a]} tasks still on it (they go lost first)`);
    if (this.agentLiveOffers[a]! > 0) this.fail('agent-lifecycle', r, line, `agent ${a} removed with ${this.agentLiveOffers[a]} offers of it outstanding (rescinded at its failure)`);
    this.agentState[a] = REMOVED;
    this.agentRemovedAt[a] = r.t;
    this.agentsUp--;
    this.agentsNet--;
  }

  /** Checks agent `a`'s accounting after a change (the accept under way's launches come out of its offer). */
  private conserve(r: LogRecord, line: number, a: number): void {
    const total = this.agentTotal[a]!;
    const offered = this.agentOffered[a]!;
    const allocated = this.agentAllocated[a]!;
    const g = this.group !== undefined && this.group.agent === a ? this.group.sum : undefined;
    let broken = -1;
    for (let i = 0; i < NR && broken < 0; i++) {
      const o = offered[i]!;
      const al = allocated[i]!;
      if (o < 0 || al < 0 || o + al - (g?.[i] ?? 0) > total[i]!) broken = i;
    }
    // One violation per episode: an agent stays broken until its accounting is whole again.
    if (broken >= 0 && this.agentBroken[a] === 0) {
      this.fail('agent-resources', r, line,
        `agent ${a}: offered ${fmtRes(offered)} + allocated ${fmtRes(allocated)}${g === undefined ? '' : ` (less ${fmtRes(g)} launching from an offer)`} ` +
        `exceeds its total ${fmtRes(total)} or is negative (${RESOURCE_NAMES[broken]}); the agent's later changes are not reported until it is whole again`);
    }
    this.agentBroken[a] = broken >= 0 ? 1 : 0;
  }

  // ---------------------------------------------------------------- offers

  private offerSent(r: Extract<LogRecord, { kind: 'offer_sent' }>, line: number): void {
    if (this.runOffers === 0) this.runOffersLine = line;
    this.runOffers++;
    if (r.offer !== this.offersSent) {
      this.fail('ids', r, line, `offer ids are dense: expected ${this.offersSent}, got ${r.offer}`);
      if (this.offers.has(r.offer)) return;
    }
    this.offersSent++;
    const f = this.framework(r, line, r.framework);
    if (f === undefined || !this.agent(r, line, r.agent)) return;
    if (this.direct) this.fail('offers', r, line, 'an offer in a run without offers (a non-offer baseline)');
    if (f.removed || !f.connected || f.suppressed) {
      this.fail('frameworks', r, line, `an offer to framework ${r.framework} while it is ${f.removed ? 'removed' : !f.connected ? 'disconnected' : 'suppressed'}`);
    }
    if (this.agentState[r.agent] !== UP) this.fail('agent-lifecycle', r, line, `an offer of agent ${r.agent}, which is not registered`);
    if (r.res.some((x) => x < 0)) this.fail('agent-resources', r, line, `an offer of negative resources ${fmtRes(r.res)}`);
    else if (r.res.every((x) => x === 0)) this.fail('offers', r, line, 'an empty offer');
    this.offers.set(r.offer, { fw: r.framework, agent: r.agent, res: r.res, line, t: r.t });
    addTo(this.agentOffered[r.agent]!, r.res, 1);
    this.agentLiveOffers[r.agent]!++;
    f.liveOffers++;
    this.agentActive[r.agent] = r.t;
    this.conserve(r, line, r.agent);
  }

  private offerAnswered(r: Extract<LogRecord, { kind: 'offer_accepted' | 'offer_declined' | 'offer_rescinded' }>, line: number): void {
    const o = this.offers.get(r.offer);
    if (o === undefined) {
      if (!(Number.isInteger(r.offer) && r.offer >= 0 && r.offer < this.offersSent)) this.fail('ids', r, line, `offer ${r.offer} was never sent`);
      else this.fail('offers', r, line, `offer ${r.offer} is not outstanding: it was answered before`);
      if (r.kind === 'offer_accepted') this.group = undefined;
      return;
    }
    if (o.fw !== r.framework || o.agent !== r.agent) {
      this.fail('offers', r, line, `offer ${r.offer} was sent to framework ${o.fw} on agent ${o.agent}, not framework ${r.framework} on agent ${r.agent}`);
    }
    this.offers.delete(r.offer);
    addTo(this.agentOffered[o.agent]!, o.res, -1);
    this.agentLiveOffers[o.agent]!--;
    this.fws[o.fw]!.liveOffers--;
    if (r.kind === 'offer_accepted') {
      this.offersAccepted++;
      const g = this.group;
      this.group = undefined;
      this.checkRefusals(r, g?.tasks ?? []);
      if (r.used.some((x, i) => x < 0 || x > o.res[i]!)) this.fail('offers', r, line, `the accept uses ${fmtRes(r.used)}, not within the offer's ${fmtRes(o.res)}`);
      if (r.tasks > 0 && g === undefined) {
        this.fail('offers', r, line, `the accept launched ${r.tasks} tasks, but no launch on agent ${o.agent} precedes it`);
      } else if (g !== undefined && (g.fw !== o.fw || g.agent !== o.agent || g.t !== r.t)) {
        this.fail('offers', r, line, `the launches before it (from line ${g.line}) are framework ${g.fw}'s on agent ${g.agent}, not this offer's`);
      } else {
        const count = g?.count ?? 0;
        const sum = g?.sum ?? [0, 0, 0, 0];
        if (count !== r.tasks || !sameRes(r.used, sum)) {
          this.fail('offers', r, line, `the accept says ${r.tasks} tasks using ${fmtRes(r.used)}; the launches before it are ${count} using ${fmtRes(sum)}`);
        }
      }
    } else if (r.kind === 'offer_declined') {
      this.offersDeclined++;
    } else {
      this.offersRescinded++;
    }
    this.conserve(r, line, o.agent);
  }

  private allocationRun(r: Extract<LogRecord, { kind: 'allocation_run' }>, line: number): void {
    // The non-offer baselines log their scheduling rounds as allocation runs of no offers.
    this.allocationRuns++;
    if (r.offers !== this.runOffers) this.fail('offers', r, line, `the run says ${r.offers} offers; ${this.runOffers} offer_sent records precede it`);
    if (!Number.isSafeInteger(r.candidates) || r.candidates < 0 || r.candidates > this.agentsUp) {
      this.fail('offers', r, line, `the run considered ${r.candidates} agents, with ${this.agentsUp} registered`);
    }
    this.runOffers = 0;
  }

  /** Offers logged outside an allocation run (every offer comes from one, which logs itself after them). */
  private strayOffers(): void {
    this.failAt('offers', { line: this.runOffersLine, t: NaN, kind: 'offer_sent' }, `${this.runOffers} offers from here on are followed by no allocation_run`);
    this.runOffers = 0;
  }

  /** Whether record `r` belongs to the accept under way (its launches' own records). */
  private continuesGroup(r: LogRecord): boolean {
    if (r.kind === 'task_locality') return true;
    return r.kind === 'task_state' && (r.state === 'staging' || r.state === 'running');
  }

  /** Launches that no offer_accepted closed (the record `r`, when given, came in between). */
  private openGroupViolation(r: LogRecord | undefined, line: number): void {
    const g = this.group!;
    this.group = undefined;
    this.failAt('offers', { line: g.line, t: g.t, kind: 'task_state' },
      `${g.count} launches of framework ${g.fw} on agent ${g.agent} from here on are followed by ${r === undefined ? 'no' : `a ${r.kind} (line ${line}), not their`} offer_accepted`);
  }

  // ---------------------------------------------------------------- tasks

  private taskState(r: Extract<LogRecord, { kind: 'task_state' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0 || !this.agent(r, line, r.agent)) return;
    const first = this.jobFirst[j]!;
    if (!(Number.isInteger(r.task) && r.task >= first && r.task < first + this.jobTasks[j]!)) {
      this.fail('ids', r, line, `task ${r.task} is not one of job ${j}'s (${first} to ${first + this.jobTasks[j]! - 1})`);
      return;
    }
    const o = this.open.get(j);
    if (o === undefined) {
      this.fail('tasks', r, line, `task ${r.task} changed state after its job ${j} was over`);
      return;
    }
    const k = r.task - first;
    const state = r.state;
    if (state === 'staging') {
      this.launch(r, line, f, j, o, k);
      return;
    }
    const live = this.tasks.get(r.task);
    if (live === undefined) {
      this.fail('tasks', r, line, o.task[k] === PENDING ? `task ${r.task} ${state} without being launched (staging)` : `task ${r.task} ${state} after it had ended`);
      return;
    }
    if (live.agent !== r.agent || !sameRes(live.res, r.res)) {
      this.fail('tasks', r, line, `task ${r.task} launched on agent ${live.agent} with ${fmtRes(live.res)} (line ${live.line}), now says agent ${r.agent} with ${fmtRes(r.res)}`);
    }
    if (state === 'running') {
      if (live.running) this.fail('tasks', r, line, `task ${r.task} running twice`);
      else if (r.t !== live.launchedAt) this.fail('tasks', r, line, `task ${r.task} running at another instant than its staging (line ${live.line}): executors start at once`);
      live.running = true;
      this.jobStatus[j]! |= STARTED;
      return;
    }
    this.taskEnded(r, line, f, j, o, k, live);
  }

  private launch(r: Extract<LogRecord, { kind: 'task_state' }>, line: number, f: FrameworkState, j: number, o: OpenJob, k: number): void {
    if (o.task[k] !== PENDING) {
      this.fail('tasks', r, line, `task ${r.task} launched again (task ids are never relaunched)`);
      return;
    }
    const status = this.jobStatus[j]!;
    if ((status & (ABANDONED | DROPPED)) !== 0) this.fail('tasks', r, line, `task ${r.task} of ${(status & ABANDONED) !== 0 ? 'abandoned' : 'dropped'} job ${j} launched`);
    if (f.removed || !f.connected) this.fail('frameworks', r, line, `framework ${r.framework} launched a task while ${f.removed ? 'removed' : 'disconnected'}`);
    if (this.agentState[r.agent] !== UP) this.fail('agent-lifecycle', r, line, `task ${r.task} launched on agent ${r.agent}, which is not registered`);
    if (r.res.some((x) => x < 0)) this.fail('agent-resources', r, line, `task ${r.task} holds negative resources ${fmtRes(r.res)}`);
    if (!this.direct) {
      const g = this.group;
      if (g !== undefined && (g.fw !== r.framework || g.agent !== r.agent || g.t !== r.t)) this.openGroupViolation(r, line);
      if (this.group === undefined) this.group = { fw: r.framework, agent: r.agent, t: r.t, line, count: 0, sum: [0, 0, 0, 0], tasks: [] };
      this.group.count++;
      this.group.tasks.push(r.task);
      addTo(this.group.sum, r.res, 1);
    }
    o.task[k] = LIVE;
    o.launched++;
    o.live++;
    f.liveTasks++;
    this.agentLiveTasks[r.agent]!++;
    this.agentActive[r.agent] = r.t;
    addTo(this.agentAllocated[r.agent]!, r.res, 1);
    this.tasks.set(r.task, { job: j, fw: r.framework, agent: r.agent, res: r.res, running: false, launchedAt: r.t, line, locality: undefined });
    this.tasksLaunched++;
    this.conserve(r, line, r.agent);
  }

  private taskEnded(r: Extract<LogRecord, { kind: 'task_state' }>, line: number, f: FrameworkState, j: number, o: OpenJob, k: number, live: LiveTask): void {
    if (!live.running) this.fail('tasks', r, line, `task ${r.task} ${r.state} while staging (a task ends from running)`);
    switch (r.state) {
      case 'finished': {
        this.tasksFinished++;
        this.agentActive[r.agent] = r.t;
        const ran = r.t - live.launchedAt;
        // Only a task with preferences launched off its node may run slower (remoteSlowdown).
        const longest = live.locality === undefined || live.locality === 'node' ? this.jobMaxDur[j]! : Infinity;
        if (ran < 1 || ran > longest) this.fail('tasks', r, line, `task ${r.task} finished ${fmtSeconds(ran)} s after its launch, not within 1 us to its job's longest task ${fmtSeconds(longest)} s`);
        break;
      }
      case 'failed':
        this.tasksFailed++;
        break;
      case 'killed':
        this.tasksKilled++;
        if (f.removed && f.removedAt === r.t) this.removalKills.set(r.framework, (this.removalKills.get(r.framework) ?? 0) + 1);
        break;
      case 'lost':
        this.tasksLost++;
        this.due.push({ what: 'lost', agent: r.agent, line, t: r.t, task: r.task });
        break;
      default:
        break;
    }
    this.tasks.delete(r.task);
    o.task[k] = ENDED;
    o.ended++;
    o.live--;
    f.liveTasks--;
    this.agentLiveTasks[live.agent]!--;
    addTo(this.agentAllocated[live.agent]!, live.res, -1);
    this.conserve(r, line, live.agent);
    if (this.closeIfOver(j, o) && (this.jobStatus[j]! & (ABANDONED | DROPPED | RESTARTED)) === 0) {
      this.due.push({ what: 'finish', job: j, line, t: r.t });
    }
  }

  private taskLocality(r: Extract<LogRecord, { kind: 'task_locality' }>, line: number): void {
    const live = this.tasks.get(r.task);
    if (live === undefined || !live.running || live.launchedAt !== r.t || live.locality !== undefined) {
      this.fail('tasks', r, line, `a locality for task ${r.task}, which did not just launch (its record follows its running one, once)`);
      return;
    }
    if (live.job !== r.job || live.fw !== r.framework || live.agent !== r.agent) {
      this.fail('ids', r, line, `task ${r.task} is job ${live.job}'s of framework ${live.fw} on agent ${live.agent}`);
    }
    live.locality = r.locality;
    this.localityTasks++;
  }

  private taskError(r: Extract<LogRecord, { kind: 'task_error' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (this.direct) this.fail('offers', r, line, 'a task error in a run without offers (errors come from accepts)');
    const o = this.offers.get(r.offer);
    const validOffer = o !== undefined && o.fw === r.framework;
    const j = this.jobOfTask(r.task);
    const own = j >= 0 && this.jobFw[j] === r.framework;
    const oj = own ? this.open.get(j) : undefined;
    const pending = oj !== undefined && oj.task[r.task - this.jobFirst[j]!] === PENDING && (this.jobStatus[j]! & (ABANDONED | DROPPED)) === 0;
    // Refused as not pending while pending: named again after its launch earlier in the same
    // accept, whose launches are logged after its errors; the accept must launch it.
    const duplicate = r.reason === 'task_not_pending' && pending;
    this.refused.push({ task: r.task, offer: r.offer, duplicate, line, t: r.t });
    // The reason the master's validation gives (sim/model/master.ts accept, launchProblem), in its order.
    const expected: TaskErrorReason | 'none' = !validOffer ? 'invalid_offer'
      : j < 0 ? 'unknown_task'
        : !own ? 'other_framework_task'
          : !pending || duplicate ? 'task_not_pending'
            : r.reason === 'insufficient_resources' ? 'insufficient_resources' : 'none';
    if (expected !== r.reason) {
      this.fail('tasks', r, line, `task ${r.task} refused as ${r.reason}, but ${expected === 'none' ? 'it is pending and its offer outstanding: only insufficient_resources could refuse it' : `the log shows ${expected}`}`);
    }
  }

  /** Checks accept `r`'s launches against its task errors. */
  private checkRefusals(r: Extract<LogRecord, { kind: 'offer_accepted' }>, launched: readonly number[]): void {
    for (const e of this.refused) {
      if (e.offer !== r.offer) continue;
      const here = launched.includes(e.task);
      const site: Site = { line: e.line, t: e.t, kind: 'task_error' };
      if (e.duplicate && !here) this.failAt('tasks', site, `task ${e.task} refused as task_not_pending while pending, and its accept (line ${this.lastLine}) did not launch it`);
      if (!e.duplicate && here) this.failAt('tasks', site, `task ${e.task} refused, yet its accept (line ${this.lastLine}) launched it`);
    }
    this.refused = [];
  }

  // ---------------------------------------------------------------- jobs

  /** Marks job `j` over when every task has ended or been dropped; returns whether it is over now. */
  private closeIfOver(j: number, o: OpenJob): boolean {
    if (o.ended + o.dropped < this.jobTasks[j]!) return false;
    this.jobStatus[j]! |= OVER;
    this.jobsOver++;
    this.open.delete(j);
    return true;
  }

  private jobSubmitted(r: Extract<LogRecord, { kind: 'job_submitted' }>, line: number): void {
    if (r.job !== this.nJobs) {
      this.fail('ids', r, line, `job ids are dense: expected ${this.nJobs}, got ${r.job}`);
      return;
    }
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (!Number.isSafeInteger(r.tasks) || r.tasks < 0 || !(r.maxTaskDuration >= 0)) {
      this.fail('jobs', r, line, `a job of ${r.tasks} tasks with longest task ${r.maxTaskDuration} us`);
      return;
    }
    const j = this.nJobs++;
    if (j === this.jobFw.length) this.growJobs();
    this.jobFw[j] = r.framework;
    this.jobFirst[j] = this.tasksSubmitted;
    this.jobTasks[j] = r.tasks;
    this.jobMaxDur[j] = r.maxTaskDuration;
    this.jobSubmit[j] = r.t;
    this.jobStatus[j] = 0;
    this.tasksSubmitted += r.tasks;
    if (r.t < this.firstSubmit) this.firstSubmit = r.t;
    const o: OpenJob = { task: new Uint8Array(r.tasks), launched: 0, ended: 0, live: 0, dropped: 0 };
    this.open.set(j, o);
    this.closeIfOver(j, o);
    if (f.removed) {
      this.owedDrop.add(j);
      this.due.push({ what: 'drop', job: j, line, t: r.t });
    }
  }

  private jobFinished(r: Extract<LogRecord, { kind: 'job_finished' }>, line: number): void {
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0) return;
    const s = this.jobStatus[j]!;
    if ((s & FINISHED) !== 0) {
      this.fail('jobs', r, line, `job ${j} finished twice`);
      return;
    }
    if ((s & (ABANDONED | DROPPED | RESTARTED)) !== 0) this.fail('jobs', r, line, `job ${j} finished after it was ${(s & ABANDONED) !== 0 ? 'abandoned' : (s & DROPPED) !== 0 ? 'dropped' : 'restarted'}`);
    const o = this.open.get(j);
    if (o !== undefined) {
      this.fail('jobs', r, line, `job ${j} finished with ${this.jobTasks[j]! - o.ended} of its ${this.jobTasks[j]} tasks not ended`);
    } else if (this.jobTasks[j]! > 0 && !this.justEnded(j, r.t)) {
      this.fail('jobs', r, line, `job ${j} finished at another instant than its last task's end`);
    }
    this.jobStatus[j]! |= FINISHED;
    this.jobsFinished++;
    if (r.t > this.lastFinish) this.lastFinish = r.t;
  }

  /** Whether job `j`'s last task ended in this instant (a 'finish' check is due for it). */
  private justEnded(j: number, t: number): boolean {
    return this.due.some((d) => d.what === 'finish' && d.job === j && d.t === t);
  }

  /** job_abandoned (`bit` ABANDONED) or job_dropped (DROPPED). */
  private jobDropped(r: Extract<LogRecord, { kind: 'job_abandoned' | 'job_dropped' }>, line: number, bit: number): void {
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0) return;
    const s = this.jobStatus[j]!;
    const what = bit === ABANDONED ? 'abandoned' : 'dropped';
    if ((s & (FINISHED | ABANDONED | DROPPED | RESTARTED)) !== 0) {
      this.fail('jobs', r, line, `job ${j} ${what} after it was ${(s & FINISHED) !== 0 ? 'finished' : (s & ABANDONED) !== 0 ? 'abandoned' : (s & DROPPED) !== 0 ? 'dropped' : 'restarted'}`);
      return;
    }
    const f = this.fws[r.framework]!;
    if (bit === DROPPED) {
      if (!f.removed) this.fail('frameworks', r, line, `job ${j} dropped, but framework ${r.framework} has not been removed`);
      else if (this.owedDrop.delete(j)) { /* a job arriving after the removal */ }
      else if (f.removedAt === r.t) this.removalDrops.set(r.framework, (this.removalDrops.get(r.framework) ?? 0) + 1);
      else this.fail('frameworks', r, line, `job ${j} dropped after its framework's removal instant`);
    } else if (f.removed) {
      this.fail('frameworks', r, line, `job ${j} abandoned after its framework's removal`);
    }
    const o = this.open.get(j);
    const never = o === undefined ? 0 : this.jobTasks[j]! - o.launched;
    if (r.dropped !== never) this.fail('jobs', r, line, `job ${j} ${what} with ${r.dropped} tasks dropped; ${never} of its tasks never launched`);
    this.jobStatus[j]! |= bit;
    this.jobsAbandoned++;
    if (o !== undefined) {
      o.dropped = never;
      this.closeIfOver(j, o);
    }
  }

  private jobRestarted(r: Extract<LogRecord, { kind: 'job_restarted' }>, line: number): void {
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0) return;
    const s = this.jobStatus[j]!;
    if ((s & (FINISHED | ABANDONED | DROPPED | RESTARTED)) !== 0) {
      this.fail('jobs', r, line, `job ${j} restarted after it was finished, abandoned, dropped or restarted`);
    }
    if (r.copy !== this.nJobs - 1 || r.copy === j || this.jobFw[r.copy] !== r.framework || this.jobSubmit[r.copy] !== r.t) {
      this.fail('jobs', r, line, `its copy ${r.copy} is not the job framework ${r.framework} submitted just before`);
    }
    this.jobStatus[j]! |= RESTARTED;
    this.jobsRestarted++;
  }

  // ---------------------------------------------------------------- frameworks

  private frameworkAdded(r: Extract<LogRecord, { kind: 'framework_added' }>, line: number): void {
    const n = this.fws.length;
    if (r.framework !== n) {
      if (Number.isInteger(r.framework) && r.framework >= 0 && r.framework < n) this.fail('frameworks', r, line, `framework ${r.framework} added twice`);
      else this.fail('ids', r, line, `framework ids are dense: expected ${n}, got ${r.framework}`);
      return;
    }
    if (!(r.weight > 0) || !Number.isFinite(r.weight)) this.fail('frameworks', r, line, `weight ${r.weight} is not a positive number`);
    this.fws.push({ suppressed: false, connected: true, removed: false, disconnectedAt: NaN, failoverTimeout: NaN, removedAt: NaN, liveTasks: 0, liveOffers: 0 });
  }

  private frameworkRemoved(r: Extract<LogRecord, { kind: 'framework_removed' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (f.removed || f.connected) {
      this.fail('frameworks', r, line, `framework ${r.framework} removed while ${f.removed ? 'removed' : 'connected (removal follows a disconnect)'}`);
      return;
    }
    if (r.t !== f.disconnectedAt + f.failoverTimeout) {
      this.fail('frameworks', r, line, `framework ${r.framework} removed at another time than its disconnect (${fmtSeconds(f.disconnectedAt)} s) + failover timeout (${fmtSeconds(f.failoverTimeout)} s)`);
    }
    let unfinished = 0;
    for (const [j, o] of this.open) {
      if (this.jobFw[j] === r.framework && (this.jobStatus[j]! & (ABANDONED | RESTARTED)) === 0 && o.ended + o.dropped < this.jobTasks[j]!) unfinished++;
    }
    if (r.tasksKilled !== f.liveTasks) this.fail('frameworks', r, line, `the record says ${r.tasksKilled} tasks to kill; framework ${r.framework} has ${f.liveTasks} live`);
    if (r.jobsDropped !== unfinished) this.fail('frameworks', r, line, `the record says ${r.jobsDropped} jobs to drop; framework ${r.framework} has ${unfinished} unfinished`);
    f.removed = true;
    f.removedAt = r.t;
    this.due.push({ what: 'remove', fw: r.framework, line, t: r.t, kills: r.tasksKilled, drops: r.jobsDropped });
  }

  private growJobs(): void {
    const n = this.jobFw.length * 2;
    const f64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => { const b = new Float64Array(n); b.set(a); return b; };
    const fw = new Int32Array(n); fw.set(this.jobFw); this.jobFw = fw;
    const st = new Uint8Array(n); st.set(this.jobStatus); this.jobStatus = st;
    this.jobFirst = f64(this.jobFirst);
    this.jobTasks = f64(this.jobTasks);
    this.jobMaxDur = f64(this.jobMaxDur);
    this.jobSubmit = f64(this.jobSubmit);
  }
}

/** Where a violation is: a record's line, time and kind. */
interface Site {
  readonly line: number;
  readonly t: number;
  readonly kind: string;
}

// ---------------------------------------------------------------- summary.json and manifest.json

/** summary.json's keys checked against the events: the count, and whether it is a time in us (written in seconds). */
const SUMMARY_CHECKS: readonly (readonly [key: string, get: (c: EventCounts) => number, seconds: boolean])[] = [
  ['first_event_s', (c) => c.firstEvent, true],
  ['run_end_s', (c) => c.runEnd, true],
  ['events', (c) => c.records, false],
  ['agents', (c) => c.agents, false],
  ['frameworks', (c) => c.frameworks, false],
  ['jobs', (c) => c.jobs, false],
  ['tasks', (c) => c.tasks, false],
  ['tasks_launched', (c) => c.tasksLaunched, false],
  ['tasks_finished', (c) => c.tasksFinished, false],
  ['tasks_failed', (c) => c.tasksFailed, false],
  ['tasks_killed', (c) => c.tasksKilled, false],
  ['tasks_lost', (c) => c.tasksLost, false],
  ['jobs_finished', (c) => c.jobsFinished, false],
  ['jobs_unscheduled', (c) => c.jobsUnscheduled, false],
  ['jobs_unfinished', (c) => c.jobsUnfinished, false],
  ['jobs_abandoned', (c) => c.jobsAbandoned, false],
  ['makespan_s', (c) => c.makespan, true],
  ['offers_sent', (c) => c.offersSent, false],
  ['offers_accepted', (c) => c.offersAccepted, false],
  ['offers_declined', (c) => c.offersDeclined, false],
  ['offers_rescinded', (c) => c.offersRescinded, false],
  ['offers_outstanding', (c) => c.offersOutstanding, false],
  ['allocation_runs', (c) => c.allocationRuns, false],
  ['locality_tasks', (c) => c.localityTasks, false],
  ['conflicts', (c) => c.conflicts, false],
];

/** The summary.json keys {@link summaryViolations} checks. */
export const SUMMARY_CHECKED_KEYS: readonly string[] = ['end_reason', ...SUMMARY_CHECKS.map(([k]) => k)];

/**
 * Where summary.json (parsed) disagrees with the events' counts: one violation per key (a missing
 * key, or another value; times compare to the microsecond, null stands for an undefined value).
 */
export function summaryViolations(summary: Readonly<Record<string, unknown>>, c: EventCounts): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string): void => { out.push({ invariant: 'summary', file: 'summary.json', line: 0, t: NaN, kind: '', message }); };
  if (summary['end_reason'] !== c.endReason) bad(`end_reason is ${JSON.stringify(summary['end_reason'])}, the events say ${JSON.stringify(c.endReason)}`);
  for (const [key, get, seconds] of SUMMARY_CHECKS) {
    const want = get(c);
    const v = summary[key];
    const shown = seconds ? (Number.isNaN(want) ? 'null' : fmtSeconds(want)) : String(want);
    if (!(key in summary)) bad(`${key} is missing; the events give ${shown}`);
    else if (!sameValue(v, want, seconds)) bad(`${key} is ${JSON.stringify(v)}, the events give ${shown}`);
  }
  return out;
}

/**
 * Where manifest.json (parsed) disagrees with the events: its `records`, `fingerprint`,
 * `endReason`, `endTime` (seconds), `jobsSubmitted` and `jobsFinished` (jobs over, however they
 * ended), one violation each.
 */
export function manifestViolations(manifest: Readonly<Record<string, unknown>>, c: EventCounts): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string): void => { out.push({ invariant: 'manifest', file: 'manifest.json', line: 0, t: NaN, kind: '', message }); };
  const count = (key: string, want: number): void => {
    if (manifest[key] !== want) bad(`${key} is ${JSON.stringify(manifest[key])}, the events give ${want}`);
  };
  count('records', c.records);
  if (manifest['fingerprint'] !== c.fingerprint) bad(`fingerprint is ${JSON.stringify(manifest['fingerprint'])}, the events hash to ${c.fingerprint}`);
  if (manifest['endReason'] !== c.endReason) bad(`endReason is ${JSON.stringify(manifest['endReason'])}, the events say ${JSON.stringify(c.endReason)}`);
  if (!sameValue(manifest['endTime'], c.runEnd, true)) bad(`endTime is ${JSON.stringify(manifest['endTime'])}, the events end at ${fmtSeconds(c.runEnd)}`);
  count('jobsSubmitted', c.jobs);
  count('jobsFinished', c.jobsOver);
  return out;
}

/** Whether a JSON value equals a count, or a time in us written in seconds (null for NaN). */
function sameValue(v: unknown, want: number, seconds: boolean): boolean {
  if (Number.isNaN(want)) return v === null;
  if (typeof v !== 'number') return false;
  return seconds ? Math.round(v * 1_000_000) === want : v === want;
}

// ---------------------------------------------------------------- record shapes

type Field = 'number' | 'string' | 'res' | Readonly<Record<string, true>>;

const TASK_STATES: Readonly<Record<TaskState, true>> = { staging: true, running: true, finished: true, failed: true, killed: true, lost: true };
const LOCALITIES: Readonly<Record<TaskLocality, true>> = { node: true, rack: true, remote: true };
const ERROR_REASONS: Readonly<Record<TaskErrorReason, true>> = {
  insufficient_resources: true, task_not_pending: true, other_framework_task: true, unknown_task: true, invalid_offer: true,
};
const END_REASONS: Readonly<Record<'completed' | 'duration', true>> = { completed: true, duration: true };

/** Every record kind's fields besides `kind` and `t`, with their types (sim/model/log.ts). */
const FIELDS: Readonly<Record<LogKind, Readonly<Record<string, Field>>>> = {
  agent_added: { agent: 'number', name: 'string', rack: 'string', res: 'res' },
  agent_removed: { agent: 'number', res: 'res' },
  framework_added: { framework: 'number', name: 'string', role: 'string', weight: 'number', behaviour: 'string' },
  job_submitted: { job: 'number', name: 'string', framework: 'number', tasks: 'number', maxTaskDuration: 'number' },
  job_finished: { job: 'number', framework: 'number' },
  offer_sent: { offer: 'number', framework: 'number', agent: 'number', res: 'res' },
  offer_accepted: { offer: 'number', framework: 'number', agent: 'number', tasks: 'number', used: 'res', refuse: 'number' },
  offer_declined: { offer: 'number', framework: 'number', agent: 'number', refuse: 'number' },
  offer_rescinded: { offer: 'number', framework: 'number', agent: 'number' },
  task_state: { task: 'number', job: 'number', framework: 'number', agent: 'number', state: TASK_STATES, res: 'res' },
  task_locality: { task: 'number', job: 'number', framework: 'number', agent: 'number', locality: LOCALITIES },
  suppress: { framework: 'number' },
  revive: { framework: 'number' },
  allocation_run: { candidates: 'number', offers: 'number' },
  decision: { framework: 'number', job: 'number', start: 'number', tasks: 'number' },
  job_abandoned: { job: 'number', framework: 'number', dropped: 'number', attempts: 'number' },
  commit: { framework: 'number', job: 'number', placed: 'number', conflicts: 'number' },
  job_restarted: { job: 'number', framework: 'number', copy: 'number' },
  framework_disconnected: { framework: 'number', failoverTimeout: 'number' },
  framework_reconnected: { framework: 'number' },
  framework_reconnect_refused: { framework: 'number' },
  framework_removed: { framework: 'number', tasksKilled: 'number', jobsDropped: 'number' },
  job_dropped: { job: 'number', framework: 'number', dropped: 'number' },
  task_error: { task: 'number', framework: 'number', offer: 'number', reason: ERROR_REASONS },
  run_ended: { reason: END_REASONS },
};

/** {@link FIELDS} as lists, so that checking a record allocates nothing. */
const FIELD_LISTS: Readonly<Record<string, readonly (readonly [string, Field])[]>> = Object.fromEntries(Object.entries(FIELDS).map(([k, v]) => [k, Object.entries(v)]));

/**
 * Why a parsed line (an object with a string `kind` and a number `t`, reports/replay.ts
 * parseEventLine) is not a well-formed log record: an unknown kind, a field missing, extra or of
 * the wrong type; undefined when it is one. Numbers must be finite.
 * @example recordProblem({ kind: 'suppress', t: 0 }) // 'suppress needs a number "framework"'
 */
export function recordProblem(record: { readonly kind: string; readonly t: number }): string | undefined {
  // Parsed JSON: any field may be anything.
  const r = record as unknown as Readonly<Record<string, unknown>> & { readonly kind: string };
  const fields = Object.hasOwn(FIELD_LISTS, r.kind) ? FIELD_LISTS[r.kind] : undefined;
  if (fields === undefined) return `unknown record kind ${JSON.stringify(r.kind)}`;
  if (!Number.isFinite(r['t'])) return `${r.kind} needs a finite number "t"`;
  for (const [name, type] of fields) {
    const v = r[name];
    if (type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${r.kind} needs a number "${name}"`;
    } else if (type === 'string') {
      if (typeof v !== 'string') return `${r.kind} needs a string "${name}"`;
    } else if (type === 'res') {
      if (!Array.isArray(v) || v.length !== NR || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return `${r.kind} needs "${name}" as [cpus, mem, disk, gpus] numbers`;
      }
    } else if (typeof v !== 'string' || !Object.hasOwn(type, v)) {
      return `${r.kind} needs "${name}" to be one of ${Object.keys(type).join(', ')}`;
    }
  }
  let keys = 0;
  for (const _ in r) keys++;
  if (keys !== fields.length + 2) {
    const extra = Object.keys(r).find((k) => k !== 'kind' && k !== 't' && !Object.hasOwn(FIELDS[r.kind as LogKind], k));
    return `${r.kind} has no field "${extra}"`;
  }
  return undefined;
}

// ---------------------------------------------------------------- helpers

/** A resource vector in whole units: `cpus 8, mem 16384, disk 0, gpus 0`. */
function fmtRes(v: readonly number[]): string {
  return RESOURCE_NAMES.map((n, i) => `${n} ${(v[i] ?? NaN) / 1000}`).join(', ');
}

function sameRes(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < NR; i++) if (a[i] !== b[i]) return false;
  return true;
}

function addTo(into: number[], v: readonly number[], sign: 1 | -1): void {
  for (let i = 0; i < NR; i++) into[i] = into[i]! + sign * v[i]!;
}

/** Local copy of the log's assertNever: reports imports nothing but the log's types. */
function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
