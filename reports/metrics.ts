/**
 * The results of the metric fold (DESIGN section 7): the run summary, one row per job, one row
 * per framework, and time-series samples. Plain data; times are SimTime microseconds, ratios
 * in [0, 1]. Each type is the union of the small folds' parts (reports/folds/), and each field is
 * a metric of the catalogue (reports/catalogue.ts), which describes it. Imports only types.
 */
import type {
  ClusterSummary,
  DecisionsFrameworkRow,
  DecisionsSummary,
  JobsFrameworkRow,
  JobsJobRow,
  JobsSummary,
  LocalityJobRow,
  LocalitySummary,
  OffersFrameworkRow,
  OffersSummary,
  Sample,
  SharesFrameworkRow,
  SharesSummary,
  TasksSummary,
  YarnFrameworkRow,
  YarnJobRow,
  YarnSummary,
} from './folds/index.js';
import type { LocalityFractions } from './vocabulary.js';

export { JOB_SIZE_BUCKETS, RESOURCE_NAMES, type LocalityFractions, type PerResource, type ResourceName } from './vocabulary.js';
export type { Sample } from './folds/index.js';

/** The run's bounds and size: the dispatcher's own part of the summary (reports/metrics-fold.ts). */
export interface RunSummary {
  /** time of the first record, us; NaN for an empty log */
  readonly firstEvent: number;
  /** run end, us: the run_ended record's time, else the last record's; NaN for an empty log */
  readonly runEnd: number;
  /** the run_ended record's reason; null when the log had none */
  readonly endReason: 'completed' | 'duration' | null;
  /** number of log records folded */
  readonly events: number;
}

/** Every scalar metric of the run. NaN means "undefined for this run" (written as null / empty). */
export type Summary = RunSummary &
  ClusterSummary &
  SharesSummary &
  JobsSummary &
  TasksSummary &
  OffersSummary &
  LocalitySummary &
  DecisionsSummary &
  YarnSummary;

/** One job. Times are us; NaN where the event did not happen. */
export type JobRow = JobsJobRow & LocalityJobRow & YarnJobRow;

/** One registered framework. */
export type FrameworkRow = {
  /** dense framework id from the log */
  readonly id: number;
  /** locality of its launched tasks with preferences */
  readonly locality: LocalityFractions;
} & SharesFrameworkRow &
  JobsFrameworkRow &
  OffersFrameworkRow &
  DecisionsFrameworkRow &
  YarnFrameworkRow;

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
