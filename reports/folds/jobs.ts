/**
 * The jobs fold: each job's submission, first launch, first running task and end, how jobs ended
 * (finished, abandoned or dropped, restarted), and at the run's end the job rows and the
 * statistics of queueing delay, completion time and slowdown, overall and per framework. Imports
 * only reports' helpers and statistics.
 */
import { stats, type Stats } from '../stats.js';
import { grown } from '../../sim/kernel/packed.js';
import { LogInvariantError } from './log-invariant.js';

/** The jobs fold's part of the summary. */
export interface JobsSummary {
  /** jobs submitted */
  readonly jobs: number;
  /** tasks submitted (sum of the jobs' task counts) */
  readonly tasks: number;
  /** jobs with a job_finished record */
  readonly jobsFinished: number;
  /** jobs submitted none of whose tasks ever reached running */
  readonly jobsUnscheduled: number;
  /** jobs submitted with none of job_finished, job_abandoned, job_dropped, job_restarted records (includes the unscheduled ones) */
  readonly jobsUnfinished: number;
  /** jobs their scheduler gave up on (job_abandoned records) or dropped with their removed framework (job_dropped); never in the completion stats */
  readonly jobsAbandoned: number;
  /** last job finish minus first job submit, us; NaN when no job finished */
  readonly makespan: number;
  /** queueing delay (first running task - submit) over jobs that started, us */
  readonly queueingDelay: Stats;
  /** completion time (finish - submit) over finished jobs, us */
  readonly completion: Stats;
  /** slowdown (completion / longest task duration) over finished jobs with a positive longest task */
  readonly slowdown: Stats;
}

/** The jobs fold's part of a framework's row. */
export interface JobsFrameworkRow {
  /** its jobs' queueing delays, us */
  readonly queueingDelay: Stats;
  /** its jobs' completion times, us */
  readonly completion: Stats;
  /** its jobs' slowdowns */
  readonly slowdown: Stats;
  /** its jobs its scheduler gave up on (job_abandoned records) or dropped at its removal (job_dropped) */
  readonly jobsAbandoned: number;
}

/** The jobs fold's part of a job's row. Times are us; NaN where the event did not happen. */
export interface JobsJobRow {
  /** dense job id from the log */
  readonly id: number;
  /** job name from job_submitted */
  readonly name: string;
  /** framework id */
  readonly framework: number;
  /** framework name */
  readonly frameworkName: string;
  /** submit time, us */
  readonly submit: number;
  /** first task entering staging (or running, if it skipped staging), us; NaN if none */
  readonly firstStaging: number;
  /** first task reaching running, us; NaN if none */
  readonly firstStart: number;
  /** job_finished time, us; NaN if unfinished */
  readonly finish: number;
  /** number of tasks */
  readonly tasks: number;
  /** longest task duration, us */
  readonly maxTaskDuration: number;
  /** firstStart - submit, us; NaN if unscheduled */
  readonly queueingDelay: number;
  /** finish - submit, us; NaN if unfinished */
  readonly completion: number;
  /** completion / maxTaskDuration; NaN if unfinished or maxTaskDuration is 0 */
  readonly slowdown: number;
}

/** What {@link JobsFold.finish} gives: the job rows (with `extra` of each), and the rest of the fold's parts. */
export interface JobsResult<X> {
  readonly rows: (JobsJobRow & X)[];
  readonly summary: JobsSummary;
  /** the fold's part of framework f's row */
  readonly frameworkRow: (f: number) => JobsFrameworkRow;
}

/** Jobs by dense id. */
export class JobsFold {
  private nJobs = 0;
  private jobFw = new Int32Array(0);
  private jobSubmit = new Float64Array(0);
  private jobFirstStaging = new Float64Array(0);
  private jobFirstStart = new Float64Array(0);
  private jobFinish = new Float64Array(0);
  private jobTasks = new Float64Array(0);
  private jobMaxDur = new Float64Array(0);
  private readonly jobName: string[] = [];
  private jobsSubmitted = 0;
  private jobsFinished = 0;
  private jobsAbandoned = 0;
  /** jobs with a job_restarted record (their copies are jobs of their own) */
  private jobsRestarted = 0;
  private tasksSubmitted = 0;
  private firstSubmit = Infinity;
  private lastFinish = -Infinity;
  private readonly fwAbandoned: number[] = [];

  /** Job ids seen: 0 to count - 1 (an id never submitted has no row). */
  get count(): number {
    return this.nJobs;
  }

  /** Whether job id `j` was submitted. */
  submitted(j: number): boolean {
    return !Number.isNaN(this.jobSubmit[j]!);
  }

  /** Job `j`'s number of tasks. */
  tasksOf(j: number): number {
    return this.jobTasks[j]!;
  }

  /** `j`, after checking that it is a submitted job of framework `f`. */
  check(j: number, f: number, t: number, kind: string): number {
    if (!(j >= 0 && j < this.nJobs) || Number.isNaN(this.jobSubmit[j]!)) throw new LogInvariantError(`unknown job ${j}`, t, kind);
    if (this.jobFw[j] !== f) throw new LogInvariantError(`job ${j} belongs to framework ${this.jobFw[j]}, not ${f}`, t, kind);
    return j;
  }

  /** job_submitted of job `j` by (registered) framework `f`. */
  add(j: number, name: string, f: number, tasks: number, maxDur: number, t: number): void {
    if (!Number.isSafeInteger(j) || j < 0) throw new LogInvariantError(`bad job id ${j}`, t, 'job_submitted');
    if (j >= this.nJobs) {
      const n = j + 1;
      this.jobFw = grown(this.jobFw, n);
      this.jobSubmit = grown(this.jobSubmit, n, NaN);
      this.jobFirstStaging = grown(this.jobFirstStaging, n, NaN);
      this.jobFirstStart = grown(this.jobFirstStart, n, NaN);
      this.jobFinish = grown(this.jobFinish, n, NaN);
      this.jobTasks = grown(this.jobTasks, n);
      this.jobMaxDur = grown(this.jobMaxDur, n);
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
  }

  /** A task of (checked) job `j` launched at `t`. */
  launched(j: number, t: number): void {
    if (Number.isNaN(this.jobFirstStaging[j]!)) this.jobFirstStaging[j] = t;
  }

  /** A task of (checked) job `j` reached running at `t`. */
  running(j: number, t: number): void {
    if (Number.isNaN(this.jobFirstStart[j]!)) this.jobFirstStart[j] = t;
  }

  /** job_finished of (checked) job `j`. */
  finished(j: number, t: number, kind: string): void {
    if (!Number.isNaN(this.jobFinish[j]!)) throw new LogInvariantError(`job ${j} finished twice`, t, kind);
    this.jobFinish[j] = t;
    this.jobsFinished++;
    if (t > this.lastFinish) this.lastFinish = t;
  }

  /** job_abandoned or job_dropped of (checked) job `j`: counted as abandoned. Returns its framework. */
  abandoned(j: number, t: number, kind: string): number {
    // A job dropped with its removed framework never completes either: counted as abandoned.
    if (!Number.isNaN(this.jobFinish[j]!)) throw new LogInvariantError(`job ${j} abandoned after finishing`, t, kind);
    const f = this.jobFw[j]!;
    this.fwAbandoned[f] = (this.fwAbandoned[f] ?? 0) + 1;
    this.jobsAbandoned++;
    return f;
  }

  /** job_restarted of (checked) job `j` of framework `f`, whose copy is a job of its own: it is neither finished nor unfinished. */
  restarted(j: number, copy: number, f: number, t: number, kind: string): void {
    if (!Number.isNaN(this.jobFinish[j]!)) throw new LogInvariantError(`job ${j} restarted after finishing`, t, kind);
    this.check(copy, f, t, kind);
    this.jobsRestarted++;
  }

  /**
   * The job rows, each with `extra(j)` of other folds (in job id order, ids never submitted left
   * out), the summary part and the framework rows' part, for `frameworks` framework ids named by
   * `name`.
   */
  finish<X>(frameworks: number, name: (f: number) => string, extra: (j: number) => X): JobsResult<X> {
    const fwQueue: number[][] = [];
    const fwCompletion: number[][] = [];
    const fwSlowdown: number[][] = [];
    for (let f = 0; f < frameworks; f++) {
      fwQueue.push([]);
      fwCompletion.push([]);
      fwSlowdown.push([]);
    }
    const queue: number[] = [];
    const completion: number[] = [];
    const slowdown: number[] = [];
    const rows: (JobsJobRow & X)[] = [];
    let unscheduled = 0;
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
      rows.push({
        id: j,
        name: this.jobName[j] ?? '',
        framework: f,
        frameworkName: name(f),
        submit,
        firstStaging: this.jobFirstStaging[j]!,
        firstStart,
        finish,
        tasks: this.jobTasks[j]!,
        maxTaskDuration: maxDur,
        queueingDelay: q,
        completion: c,
        slowdown: sd,
        ...extra(j),
      });
    }
    return {
      rows,
      summary: {
        jobs: this.jobsSubmitted,
        tasks: this.tasksSubmitted,
        jobsFinished: this.jobsFinished,
        jobsUnscheduled: unscheduled,
        jobsUnfinished: this.jobsSubmitted - this.jobsFinished - this.jobsAbandoned - this.jobsRestarted,
        jobsAbandoned: this.jobsAbandoned,
        makespan: this.jobsFinished > 0 ? this.lastFinish - this.firstSubmit : NaN,
        queueingDelay: stats(queue),
        completion: stats(completion),
        slowdown: stats(slowdown),
      },
      frameworkRow: (f) => ({
        queueingDelay: stats(fwQueue[f]!),
        completion: stats(fwCompletion[f]!),
        slowdown: stats(fwSlowdown[f]!),
        jobsAbandoned: this.fwAbandoned[f] ?? 0,
      }),
    };
  }
}
