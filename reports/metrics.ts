/**
 * The results of the metric fold (DESIGN section 7): the run summary, one row per job, one row
 * per framework, and time-series samples. Plain data; times are SimTime microseconds, ratios
 * in [0, 1]. Imports only {@link Stats}.
 */
import type { Stats } from './stats.js';

/**
 * Resource names in the order of a log record's resource tuple. A copy of sim/model/resources.ts's
 * list, because reports may import nothing from the model but the log's types.
 */
export const RESOURCE_NAMES = ['cpus', 'mem', 'disk', 'gpus'] as const;
/** One of {@link RESOURCE_NAMES}. */
export type ResourceName = (typeof RESOURCE_NAMES)[number];
/** A value per resource, in {@link RESOURCE_NAMES} order. */
export type PerResource = readonly [number, number, number, number];

/** Every scalar metric of the run. NaN means "undefined for this run" (written as null / empty). */
export interface Summary {
  /** time of the first record, us; NaN for an empty log */
  readonly firstEvent: number;
  /** run end, us: the run_ended record's time, else the last record's; NaN for an empty log */
  readonly runEnd: number;
  /** the run_ended record's reason; null when the log had none */
  readonly endReason: 'completed' | 'duration' | null;
  /** number of log records folded */
  readonly events: number;
  /** agents registered */
  readonly agents: number;
  /** frameworks registered */
  readonly frameworks: number;
  /** jobs submitted */
  readonly jobs: number;
  /** tasks submitted (sum of the jobs' task counts) */
  readonly tasks: number;
  /** task launches (a task entering staging, or running without staging) */
  readonly tasksLaunched: number;
  /** task_state records with state finished */
  readonly tasksFinished: number;
  /** task_state records with state failed */
  readonly tasksFailed: number;
  /** task_state records with state killed */
  readonly tasksKilled: number;
  /** task_state records with state lost */
  readonly tasksLost: number;
  /** jobs with a job_finished record */
  readonly jobsFinished: number;
  /** jobs submitted none of whose tasks ever reached running */
  readonly jobsUnscheduled: number;
  /** jobs submitted with none of job_finished, job_abandoned, job_dropped, job_restarted records (includes the unscheduled ones) */
  readonly jobsUnfinished: number;
  /** jobs their scheduler gave up on (job_abandoned records) or dropped with their removed framework (job_dropped); never in the completion stats */
  readonly jobsAbandoned: number;
  /** mean over frameworks of their busyness (fraction of the run spent deciding); NaN without frameworks or for a zero-length run */
  readonly busynessMean: number;
  /** task placements of shared-state decisions that conflicted at commit (commit records); 0 without */
  readonly conflicts: number;
  /** conflicts over the task placements those decisions attempted; NaN when none were attempted */
  readonly conflictFraction: number;
  /** last job finish minus first job submit, us; NaN when no job finished */
  readonly makespan: number;
  /** time-weighted mean of used / total per resource over the time that resource's total is > 0; NaN if never */
  readonly utilisation: PerResource;
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
  /** queueing delay (first running task - submit) over jobs that started, us */
  readonly queueingDelay: Stats;
  /** completion time (finish - submit) over finished jobs, us */
  readonly completion: Stats;
  /** slowdown (completion / longest task duration) over finished jobs with a positive longest task */
  readonly slowdown: Stats;
  /** offers sent */
  readonly offersSent: number;
  /** offers accepted (in part or whole) */
  readonly offersAccepted: number;
  /** offers declined whole */
  readonly offersDeclined: number;
  /** offers rescinded by the master */
  readonly offersRescinded: number;
  /** offers still unanswered at the end of the log */
  readonly offersOutstanding: number;
  /** mean time from offer_sent to its accept, decline or rescind, us; NaN when none was answered */
  readonly offerHeldMean: number;
  /** mean over resources with offered > 0 of {@link offersDeclinedShareByResource}; NaN if none */
  readonly offersDeclinedShare: number;
  /** per resource: declined / offered, summed over accepted and declined offers; NaN where nothing was offered */
  readonly offersDeclinedShareByResource: PerResource;
  /** allocation_run records */
  readonly allocationRuns: number;
  /** locality of the launched tasks with preferred locations (task_locality records) */
  readonly locality: LocalityFractions;
  /** the same by job size, one entry per {@link JOB_SIZE_BUCKETS} bucket, in that order */
  readonly localityByJobSize: readonly LocalityFractions[];
}

/**
 * Job-size buckets of the locality metrics: [label, smallest, largest] task counts of a job
 * (all its tasks, with preferences or not).
 */
export const JOB_SIZE_BUCKETS: readonly (readonly [string, number, number])[] = [
  ['1_10', 1, 10],
  ['11_50', 11, 50],
  ['51_plus', 51, Infinity],
];

/** Locality of a set of launched tasks with preferences: their count and the fraction at each level. */
export interface LocalityFractions {
  /** launched tasks with preferred locations */
  readonly tasks: number;
  /** node-local / tasks; NaN when tasks is 0 */
  readonly node: number;
  /** rack-local / tasks; NaN when tasks is 0 */
  readonly rack: number;
  /** remote / tasks; NaN when tasks is 0 */
  readonly remote: number;
}

/** One job. Times are us; NaN where the event did not happen. */
export interface JobRow {
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
  /** its launched tasks with preferences that ran node-local */
  readonly localNode: number;
  /** ... rack-local */
  readonly localRack: number;
  /** ... remote */
  readonly localRemote: number;
}

/** One framework. */
export interface FrameworkRow {
  /** dense framework id from the log */
  readonly id: number;
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
  /** its jobs' queueing delays, us */
  readonly queueingDelay: Stats;
  /** its jobs' completion times, us */
  readonly completion: Stats;
  /** its jobs' slowdowns */
  readonly slowdown: Stats;
  /** offers sent to it */
  readonly offersSent: number;
  /** offers it accepted */
  readonly offersAccepted: number;
  /** offers it declined whole */
  readonly offersDeclined: number;
  /** its offers the master rescinded */
  readonly offersRescinded: number;
  /** locality of its launched tasks with preferences */
  readonly locality: LocalityFractions;
  /** its jobs its scheduler gave up on (job_abandoned records) or dropped at its removal (job_dropped) */
  readonly jobsAbandoned: number;
  /**
   * fraction of [first event, run end] its scheduler spent deciding (sum of its decision records'
   * t - start over the span); 0 without decision time, NaN for a zero-length run
   */
  readonly busyness: number;
  /** its shared-state task placements that conflicted at commit (commit records); 0 without decision time there */
  readonly conflicts: number;
  /** its conflicts over the placements its shared-state decisions attempted; NaN when it attempted none */
  readonly conflictFraction: number;
}

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

/** Everything the fold produces. */
export interface MetricsResult {
  /** run-level scalars */
  readonly summary: Summary;
  /** one row per job, by job id */
  readonly jobs: readonly JobRow[];
  /** one row per registered framework, by framework id */
  readonly frameworks: readonly FrameworkRow[];
  /** the samples, in time order; empty when the fold was built with keepSamples: false */
  readonly samples: readonly Sample[];
}
