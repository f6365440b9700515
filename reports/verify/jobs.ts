/**
 * The verifier's jobs: dense ids, each task within its job's range, how a job ends (finished at
 * its last task's end, abandoned or dropped with its unlaunched tasks, restarted as a copy), and
 * what a completed run leaves open. Imports only the log's types and this folder's modules.
 */
import { resized } from '../../sim/kernel/packed.js';
import type { LogRecord } from '../../sim/model/log.js';
import type { FrameworkChecks } from './frameworks.js';
import type { Due, Instant } from './instant.js';
import type { Reporter, Site } from './invariants.js';

// Per-job status bits.
export const FINISHED = 1;
export const ABANDONED = 2;
export const DROPPED = 4;
export const RESTARTED = 8;
/** every task ended or dropped */
export const OVER = 16;
/** a task of it reached running */
export const STARTED = 32;

// A task's state within its open job.
export const PENDING = 0;
export const LIVE = 1;
export const ENDED = 2;

/** A job whose tasks have not all ended: what each of its tasks did. */
export interface OpenJob {
  /** per task (from the job's first): PENDING, LIVE or ENDED */
  readonly task: Uint8Array;
  launched: number;
  ended: number;
  live: number;
  /** tasks dropped by its job_abandoned or job_dropped record */
  dropped: number;
}

/** Jobs by dense id: compact for every job, a task table for the open ones. */
export class JobChecks {
  private jobFw = new Int32Array(64);
  private jobFirst = new Float64Array(64);
  private jobTasks = new Float64Array(64);
  private jobMaxDur = new Float64Array(64);
  private jobSubmit = new Float64Array(64);
  private jobStatus = new Uint8Array(64);
  private nJobs = 0;
  private readonly open = new Map<number, OpenJob>();
  private tasksSubmitted = 0;
  /** jobs submitted after their framework's removal, owed a job_dropped in this instant */
  private readonly owedDrop = new Set<number>();
  private jobsFinished = 0;
  private jobsAbandoned = 0;
  private jobsRestarted = 0;
  private jobsOver = 0;
  private firstSubmit = Infinity;
  private lastFinish = -Infinity;

  constructor(
    private readonly report: Reporter,
    private readonly instant: Instant,
    private readonly frameworks: FrameworkChecks,
  ) {}

  /** Job `id`'s index, or -1 (an `ids` violation) when it names no job or the job is another framework's. */
  job(r: LogRecord, line: number, id: number, fw: number): number {
    if (!(Number.isInteger(id) && id >= 0 && id < this.nJobs)) {
      this.report.fail('ids', r, line, `unknown job ${id}`);
      return -1;
    }
    if (this.jobFw[id] !== fw) {
      this.report.fail('ids', r, line, `job ${id} belongs to framework ${this.jobFw[id]}, not ${fw}`);
      return -1;
    }
    return id;
  }

  /** The job owning task `task` (ids are dense per job, in submission order), or -1. */
  jobOfTask(task: number): number {
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

  /** Job j's framework. */
  frameworkOf(j: number): number {
    return this.jobFw[j]!;
  }

  /** Job j's first task id. */
  firstTask(j: number): number {
    return this.jobFirst[j]!;
  }

  /** Job j's number of tasks. */
  tasksOf(j: number): number {
    return this.jobTasks[j]!;
  }

  /** Job j's longest task, us. */
  maxDuration(j: number): number {
    return this.jobMaxDur[j]!;
  }

  /** Job j's status bits. */
  status(j: number): number {
    return this.jobStatus[j]!;
  }

  /** Job j's task table while some of its tasks have not ended, else undefined. */
  openJob(j: number): OpenJob | undefined {
    return this.open.get(j);
  }

  /** A task of job j reached running. */
  started(j: number): void {
    this.jobStatus[j]! |= STARTED;
  }

  /** Marks job `j` over when every task has ended or been dropped; returns whether it is over now. */
  closeIfOver(j: number, o: OpenJob): boolean {
    if (o.ended + o.dropped < this.jobTasks[j]!) return false;
    this.jobStatus[j]! |= OVER;
    this.jobsOver++;
    this.open.delete(j);
    return true;
  }

  submitted(r: Extract<LogRecord, { kind: 'job_submitted' }>, line: number): void {
    if (r.job !== this.nJobs) {
      this.report.fail('ids', r, line, `job ids are dense: expected ${this.nJobs}, got ${r.job}`);
      return;
    }
    const f = this.frameworks.framework(r, line, r.framework);
    if (f === undefined) return;
    if (!Number.isSafeInteger(r.tasks) || r.tasks < 0 || !(r.maxTaskDuration >= 0)) {
      this.report.fail('jobs', r, line, `a job of ${r.tasks} tasks with longest task ${r.maxTaskDuration} us`);
      return;
    }
    const j = this.nJobs++;
    if (j === this.jobFw.length) this.grow();
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
      this.instant.push({ what: 'drop', job: j, line, t: r.t });
    }
  }

  finished(r: Extract<LogRecord, { kind: 'job_finished' }>, line: number): void {
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0) return;
    const s = this.jobStatus[j]!;
    if ((s & FINISHED) !== 0) {
      this.report.fail('jobs', r, line, `job ${j} finished twice`);
      return;
    }
    if ((s & (ABANDONED | DROPPED | RESTARTED)) !== 0)
      this.report.fail(
        'jobs',
        r,
        line,
        `job ${j} finished after it was ${(s & ABANDONED) !== 0 ? 'abandoned' : (s & DROPPED) !== 0 ? 'dropped' : 'restarted'}`,
      );
    const o = this.open.get(j);
    if (o !== undefined) {
      this.report.fail('jobs', r, line, `job ${j} finished with ${this.jobTasks[j]! - o.ended} of its ${this.jobTasks[j]} tasks not ended`);
    } else if (this.jobTasks[j]! > 0 && !this.instant.finishes(j, r.t)) {
      this.report.fail('jobs', r, line, `job ${j} finished at another instant than its last task's end`);
    }
    this.jobStatus[j]! |= FINISHED;
    this.jobsFinished++;
    if (r.t > this.lastFinish) this.lastFinish = r.t;
  }

  /** job_abandoned (`bit` ABANDONED) or job_dropped (DROPPED). */
  dropped(r: Extract<LogRecord, { kind: 'job_abandoned' | 'job_dropped' }>, line: number, bit: number): void {
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0) return;
    const s = this.jobStatus[j]!;
    const what = bit === ABANDONED ? 'abandoned' : 'dropped';
    if ((s & (FINISHED | ABANDONED | DROPPED | RESTARTED)) !== 0) {
      this.report.fail(
        'jobs',
        r,
        line,
        `job ${j} ${what} after it was ${(s & FINISHED) !== 0 ? 'finished' : (s & ABANDONED) !== 0 ? 'abandoned' : (s & DROPPED) !== 0 ? 'dropped' : 'restarted'}`,
      );
      return;
    }
    const f = this.frameworks.get(r.framework);
    if (bit === DROPPED) {
      if (!f.removed) this.report.fail('frameworks', r, line, `job ${j} dropped, but framework ${r.framework} has not been removed`);
      else if (this.owedDrop.delete(j)) {
        /* a job arriving after the removal */
      } else if (f.removedAt === r.t) this.frameworks.dropped(r.framework);
      else this.report.fail('frameworks', r, line, `job ${j} dropped after its framework's removal instant`);
    } else if (f.removed) {
      this.report.fail('frameworks', r, line, `job ${j} abandoned after its framework's removal`);
    }
    const o = this.open.get(j);
    const never = o === undefined ? 0 : this.jobTasks[j]! - o.launched;
    if (r.dropped !== never) this.report.fail('jobs', r, line, `job ${j} ${what} with ${r.dropped} tasks dropped; ${never} of its tasks never launched`);
    this.jobStatus[j]! |= bit;
    this.jobsAbandoned++;
    if (o !== undefined) {
      o.dropped = never;
      this.closeIfOver(j, o);
    }
  }

  restarted(r: Extract<LogRecord, { kind: 'job_restarted' }>, line: number): void {
    const j = this.job(r, line, r.job, r.framework);
    if (j < 0) return;
    const s = this.jobStatus[j]!;
    if ((s & (FINISHED | ABANDONED | DROPPED | RESTARTED)) !== 0) {
      this.report.fail('jobs', r, line, `job ${j} restarted after it was finished, abandoned, dropped or restarted`);
    }
    if (r.copy !== this.nJobs - 1 || r.copy === j || this.jobFw[r.copy] !== r.framework || this.jobSubmit[r.copy] !== r.t) {
      this.report.fail('jobs', r, line, `its copy ${r.copy} is not the job framework ${r.framework} submitted just before`);
    }
    this.jobStatus[j]! |= RESTARTED;
    this.jobsRestarted++;
  }

  /** Framework fw's jobs whose tasks have not all ended, neither abandoned nor restarted: what its removal drops. */
  unfinishedOf(fw: number): number {
    let unfinished = 0;
    for (const [j, o] of this.open) {
      if (this.jobFw[j] === fw && (this.jobStatus[j]! & (ABANDONED | RESTARTED)) === 0 && o.ended + o.dropped < this.jobTasks[j]!) unfinished++;
    }
    return unfinished;
  }

  /** The end of the instant a job's last task ended in: its job_finished came (unless it ended otherwise). */
  settleFinish(d: Extract<Due, { what: 'finish' }>): void {
    if ((this.jobStatus[d.job]! & (FINISHED | ABANDONED | DROPPED | RESTARTED)) === 0) {
      this.report.failAt(
        'jobs',
        { line: d.line, t: d.t, kind: 'task_state' },
        `the last task of job ${d.job} ended here, but no job_finished followed at that instant`,
      );
    }
  }

  /** The end of the instant a job of a removed framework arrived in: it was dropped. */
  settleDrop(d: Extract<Due, { what: 'drop' }>): void {
    if (this.owedDrop.delete(d.job)) {
      this.report.failAt(
        'frameworks',
        { line: d.line, t: d.t, kind: 'job_submitted' },
        `job ${d.job} of removed framework ${this.jobFw[d.job]} was not dropped at its arrival`,
      );
    }
  }

  /** At the end of a completed run: every job is over. */
  checkCompleted(end: Site): void {
    for (const [j, o] of this.open) {
      if ((this.jobStatus[j]! & OVER) !== 0) continue;
      this.report.failAt(
        'jobs',
        end,
        `job ${j} is not over at the end of a completed run: ${o.launched - o.ended} tasks live, ${this.jobTasks[j]! - o.launched - o.dropped} never launched`,
      );
    }
  }

  /** What the jobs count, for the summary. */
  counts(): {
    jobs: number;
    tasks: number;
    jobsFinished: number;
    jobsUnscheduled: number;
    jobsUnfinished: number;
    jobsAbandoned: number;
    jobsOver: number;
    makespan: number;
  } {
    let unscheduled = 0;
    for (let j = 0; j < this.nJobs; j++) if ((this.jobStatus[j]! & STARTED) === 0) unscheduled++;
    return {
      jobs: this.nJobs,
      tasks: this.tasksSubmitted,
      jobsFinished: this.jobsFinished,
      jobsUnscheduled: unscheduled,
      jobsUnfinished: this.nJobs - this.jobsFinished - this.jobsAbandoned - this.jobsRestarted,
      jobsAbandoned: this.jobsAbandoned,
      jobsOver: this.jobsOver,
      makespan: this.jobsFinished > 0 ? this.lastFinish - this.firstSubmit : NaN,
    };
  }

  private grow(): void {
    const n = this.jobFw.length * 2;
    this.jobFw = resized(this.jobFw, n);
    this.jobStatus = resized(this.jobStatus, n);
    this.jobFirst = resized(this.jobFirst, n);
    this.jobTasks = resized(this.jobTasks, n);
    this.jobMaxDur = resized(this.jobMaxDur, n);
    this.jobSubmit = resized(this.jobSubmit, n);
  }
}
