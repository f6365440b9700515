/**
 * The metric catalogue: one row per metric a run writes, in the order its file writes them. A row
 * says what the metric is (key, description, unit), how it is written (format), which small fold
 * computes it (fold) and where its value is in the fold's result (value); a summary.json metric
 * also says which way it should move and by how much it may (better, tolerance: `offersim
 * check`'s defaults). summary.json, the CSV files' columns, check's rules, the sweep charts and
 * docs/metrics.md's tables all derive from it. Pure data; imports only the fold's result types.
 */
import type { FrameworkRow, JobRow, Sample, Summary } from './metrics.js';
import type { Stats } from './stats.js';
import { JOB_SIZE_BUCKETS, LOCALITY_LEVELS, RESOURCE_NAMES, type LocalityFractions, type LocalityLevel, type PerResource } from './vocabulary.js';

export { LOCALITY_LEVELS, type LocalityLevel } from './vocabulary.js';

/** Which way a metric should move: `none` for one that describes the workload rather than the policy. */
export type Direction = 'higher' | 'lower' | 'none';
/** Every {@link Direction}. */
export const DIRECTIONS: readonly Direction[] = ['higher', 'lower', 'none'];

/** A tolerance: an absolute difference, or a fraction of the baseline value (or both: the larger). */
export interface Tolerance {
  /** largest absolute change that is no change; default 0 */
  readonly abs?: number;
  /** largest change, as a fraction of the baseline value, that is no change; default 0 */
  readonly rel?: number;
}

/** How a value is written, with what docs/metrics.md says of it. */
export const FORMATS = {
  seconds: 'microseconds written as seconds, 6 decimals',
  decimal: '6 decimals',
  integer: 'an integer',
  text: 'as it is (in JSON a string, or null)',
} as const;
/** One of {@link FORMATS}. */
export type Format = keyof typeof FORMATS;

/** What a value measures, with what docs/metrics.md says of it. */
export const UNITS = {
  s: 'seconds',
  fraction: 'a fraction in [0, 1]',
  ratio: 'a ratio of two times',
  share: 'a weighted dominant share (a fraction divided by the role weight)',
  weight: 'a role weight',
  records: 'log records',
  agents: 'agents',
  frameworks: 'frameworks',
  jobs: 'jobs',
  tasks: 'tasks',
  offers: 'offers',
  runs: 'allocation runs',
  placements: 'task placements',
  containers: 'YARN containers',
  guarantee: "a ratio of a YARN queue's used resources to its guarantee (above 1 beyond the guarantee)",
  text: 'text',
} as const;
/** One of {@link UNITS}. */
export type Unit = keyof typeof UNITS;

/** The small folds of reports/folds/ (and the dispatcher, `run`): which one computes a metric. */
export const FOLDS = {
  run: "the dispatcher (reports/metrics-fold.ts): the run's bounds and record count",
  cluster: "reports/folds/cluster.ts: agents, the cluster's resources, utilisation",
  shares: "reports/folds/shares.ts: frameworks, their shares and pending tasks, Jain's index",
  jobs: 'reports/folds/jobs.ts: jobs, their delays, completion times and slowdowns',
  tasks: 'reports/folds/tasks.ts: task launches and terminal states',
  offers: 'reports/folds/offers.ts: offers and allocation runs',
  locality: 'reports/folds/locality.ts: where tasks with preferred locations ran',
  decisions: 'reports/folds/decisions.ts: decision time and shared-state conflicts',
  yarn: "reports/folds/yarn.ts: the YARN ResourceManager's containers, asks, reservations and queues",
  series: "reports/folds/series.ts: the time series' rows",
} as const;
/** One of {@link FOLDS}. */
export type FoldName = keyof typeof FOLDS;

/** What every row has. */
interface RowBase {
  /** the name in the file: a summary.json key or a CSV column */
  readonly key: string;
  /** one line: what it is */
  readonly description: string;
  readonly unit: Unit;
  /** which fold computes it */
  readonly fold: FoldName;
}

/** A number (NaN where undefined: written empty, or null in JSON) or a text (null: undefined). */
type Valued<R> =
  | { readonly format: 'seconds' | 'decimal' | 'integer'; readonly value: (r: R) => number }
  | { readonly format: 'text'; readonly value: (r: R) => string | null };

/** A column of a CSV file: its value in a row of the fold's result `R`. */
export type Column<R> = RowBase & Valued<R>;

/** A summary.json metric: a column of the summary, with `offersim check`'s default rule. */
export type Metric = Column<Summary> & {
  /** which way it should move */
  readonly better: Direction;
  /** how far it may move without a verdict */
  readonly tolerance: Tolerance;
};

/**
 * `key`, once checked to name one of `rows`: a module that reads a file's column, or a summary
 * metric, by name states the name with this, so that it fails as it loads, not later, when the
 * catalogue has no such row.
 * @example known(SUMMARY_METRICS, 'jain_arrival_mean') // 'jain_arrival_mean'
 */
export function known(rows: readonly { readonly key: string }[], key: string): string {
  if (!rows.some((r) => r.key === key)) throw new Error(`the metric catalogue has no ${key}`);
  return key;
}

/** The default tolerance of a fraction in [0, 1]: 0.01 absolute. */
export const FRACTION_TOLERANCE: Tolerance = { abs: 0.01 };
/** The default tolerance of anything else: 2% relative, at least 1e-6 absolute. */
export const RELATIVE_TOLERANCE: Tolerance = { rel: 0.02, abs: 1e-6 };

/** The statistics of {@link Stats} a file writes for a metric over jobs, with their key part and description. */
const STATS = [
  ['mean', 'mean'],
  ['p50', 'median (nearest rank)'],
  ['p95', '95th percentile (nearest rank)'],
  ['p99', '99th percentile (nearest rank)'],
] as const satisfies readonly (readonly [keyof Stats, string])[];

/** A metric over jobs whose statistics a file writes: its key prefix, what it is, its unit and where its statistics are. */
interface JobStat<R> {
  readonly prefix: string;
  readonly what: string;
  readonly unit: 's' | 'ratio';
  readonly get: (r: R) => Stats;
}

/** The statistic columns of a metric over jobs: `<prefix>_<stat>` (`_s` after a time), lower is better. */
function statColumns<R>(m: JobStat<R>): Column<R>[] {
  const seconds = m.unit === 's';
  return STATS.map(([stat, what]): Column<R> => ({
    key: `${m.prefix}_${stat}${seconds ? '_s' : ''}`,
    description: `${what} of ${m.what}`,
    unit: m.unit,
    fold: 'jobs',
    format: seconds ? 'seconds' : 'decimal',
    value: (r) => m.get(r)[stat],
  }));
}

/** A summary metric from a column, with its default rule. */
function metric(c: Column<Summary>, better: Direction, tolerance: Tolerance): Metric {
  return { ...c, better, tolerance };
}

/** The summary's statistics of a metric over jobs: their count (no direction), then the statistics (lower is better). */
function statMetrics(m: JobStat<Summary>, counted: string): Metric[] {
  return [
    metric(
      { key: `${m.prefix}_n`, description: `jobs ${counted}`, unit: 'jobs', fold: 'jobs', format: 'integer', value: (s) => m.get(s).n },
      'none',
      RELATIVE_TOLERANCE,
    ),
    ...statColumns(m).map((c) => metric(c, 'lower', RELATIVE_TOLERANCE)),
  ];
}

/** A summary metric per resource: `<prefix>_<resource>`. */
function perResource(prefix: string, what: string, get: (s: Summary) => PerResource, fold: FoldName, better: Direction): Metric[] {
  return RESOURCE_NAMES.map((name, i) =>
    metric(
      { key: `${prefix}_${name}`, description: `${what}, of ${name}`, unit: 'fraction', fold, format: 'decimal', value: (s) => get(s)[i]! },
      better,
      FRACTION_TOLERANCE,
    ),
  );
}

/** The locality columns of a set of launched tasks with preferences: their count and the fraction at each level. */
function localityColumns<R>(suffix: string, of: string, get: (r: R) => LocalityFractions): Column<R>[] {
  return [
    {
      key: `locality_tasks${suffix}`,
      description: `launched tasks with preferred locations${of}`,
      unit: 'tasks',
      fold: 'locality',
      format: 'integer',
      value: (r) => get(r).tasks,
    },
    ...LOCALITY_LEVELS.map((l): Column<R> => ({
      key: `${l.fraction}${suffix}`,
      description: `fraction of them that ${l.what}`,
      unit: 'fraction',
      fold: 'locality',
      format: 'decimal',
      value: (r) => get(r)[l.level],
    })),
  ];
}

/** The summary's locality metrics: the count has no direction; each level's fraction has its level's. */
function localityMetrics(suffix: string, of: string, get: (s: Summary) => LocalityFractions): Metric[] {
  const [tasks, ...levels] = localityColumns(suffix, of, get);
  return [metric(tasks!, 'none', RELATIVE_TOLERANCE), ...levels.map((c, k) => metric(c, LOCALITY_LEVELS[k]!.better, FRACTION_TOLERANCE))];
}

const QUEUEING: JobStat<{ readonly queueingDelay: Stats }> = {
  prefix: 'queueing_delay',
  what: 'queueing delay (first task running minus submit)',
  unit: 's',
  get: (r) => r.queueingDelay,
};
const COMPLETION: JobStat<{ readonly completion: Stats }> = {
  prefix: 'completion',
  what: 'completion time (finish minus submit)',
  unit: 's',
  get: (r) => r.completion,
};
const SLOWDOWN: JobStat<{ readonly slowdown: Stats }> = {
  prefix: 'slowdown',
  what: 'slowdown (completion time over the longest task)',
  unit: 'ratio',
  get: (r) => r.slowdown,
};

/**
 * The summary's statistics of a YARN time (yarn fold), over `counted` (jobs or containers): their
 * count (no direction), then mean and percentiles in seconds, lower is better; undefined (null)
 * outside yarn runs.
 */
function yarnStats(prefix: string, what: string, unit: 'jobs' | 'containers', counted: string, get: (s: Summary) => Stats): Metric[] {
  return [
    metric({ key: `${prefix}_n`, description: counted, unit, fold: 'yarn', format: 'integer', value: (s) => get(s).n }, 'none', RELATIVE_TOLERANCE),
    ...STATS.map(([stat, label]) =>
      metric(
        { key: `${prefix}_${stat}_s`, description: `${label} of ${what}`, unit: 's', fold: 'yarn', format: 'seconds', value: (s) => get(s)[stat] },
        'lower',
        RELATIVE_TOLERANCE,
      ),
    ),
  ];
}

/** A count of the summary's: no direction unless given, relative tolerance. */
function count(key: string, description: string, unit: Unit, fold: FoldName, value: (s: Summary) => number, better: Direction = 'none'): Metric {
  return metric({ key, description, unit, fold, format: 'integer', value }, better, RELATIVE_TOLERANCE);
}

/** A time of the summary's, in us written as seconds: relative tolerance. */
function time(key: string, description: string, fold: FoldName, value: (s: Summary) => number, better: Direction): Metric {
  return metric({ key, description, unit: 's', fold, format: 'seconds', value }, better, RELATIVE_TOLERANCE);
}

/** A fraction of the summary's: absolute tolerance 0.01. */
function fraction(key: string, description: string, fold: FoldName, value: (s: Summary) => number, better: Direction): Metric {
  return metric({ key, description, unit: 'fraction', fold, format: 'decimal', value }, better, FRACTION_TOLERANCE);
}

/**
 * summary.json's metrics, in the file's order. Fairness gates on Jain's index over the arrival
 * window; over the whole run it also spans the drain after the last submission, which the
 * workload rather than the policy shapes, so it has no direction (docs/check.md).
 */
export const SUMMARY_METRICS: readonly Metric[] = [
  time('first_event_s', 'time of the first log record', 'run', (s) => s.firstEvent, 'none'),
  time('run_end_s', "run end: the run_ended record's time, else the last record's", 'run', (s) => s.runEnd, 'none'),
  metric(
    {
      key: 'end_reason',
      description: 'why the run ended: completed (every job over) or duration; null without a run_ended record',
      unit: 'text',
      fold: 'run',
      format: 'text',
      value: (s) => s.endReason,
    },
    'none',
    RELATIVE_TOLERANCE,
  ),
  count('events', 'log records folded', 'records', 'run', (s) => s.events),
  count('agents', 'agents registered at the end', 'agents', 'cluster', (s) => s.agents),
  count('frameworks', 'frameworks registered', 'frameworks', 'shares', (s) => s.frameworks),
  count('jobs', 'jobs submitted', 'jobs', 'jobs', (s) => s.jobs),
  count('tasks', "tasks submitted (the jobs' task counts summed)", 'tasks', 'jobs', (s) => s.tasks),
  count('tasks_launched', 'task launches (a task entering staging, or running without staging)', 'tasks', 'tasks', (s) => s.tasksLaunched),
  count('tasks_finished', 'tasks that finished', 'tasks', 'tasks', (s) => s.tasksFinished),
  count('tasks_failed', 'tasks that failed', 'tasks', 'tasks', (s) => s.tasksFailed, 'lower'),
  count('tasks_killed', 'tasks killed', 'tasks', 'tasks', (s) => s.tasksKilled, 'lower'),
  count('tasks_lost', 'tasks lost (their agent failed)', 'tasks', 'tasks', (s) => s.tasksLost, 'lower'),
  count('jobs_finished', 'jobs with a job_finished record', 'jobs', 'jobs', (s) => s.jobsFinished),
  count('jobs_unscheduled', 'jobs none of whose tasks ever ran', 'jobs', 'jobs', (s) => s.jobsUnscheduled, 'lower'),
  count(
    'jobs_unfinished',
    'jobs neither finished, abandoned, dropped nor restarted (the unscheduled ones included)',
    'jobs',
    'jobs',
    (s) => s.jobsUnfinished,
    'lower',
  ),
  time('makespan_s', 'last job finish minus first job submit', 'jobs', (s) => s.makespan, 'lower'),
  ...perResource('utilisation', 'time-weighted mean of used over total while the cluster has some', (s) => s.utilisation, 'cluster', 'higher'),
  fraction(
    'jain_mean',
    "time-weighted mean of Jain's index over the run's time with at least two frameworks with pending tasks",
    'shares',
    (s) => s.jainMean,
    'none',
  ),
  fraction('jain_min', "minimum of Jain's index over that time", 'shares', (s) => s.jainMin, 'none'),
  time('jain_time_s', 'that time: at least two frameworks with pending tasks', 'shares', (s) => s.jainTime, 'none'),
  fraction('jain_arrival_mean', 'jain_mean over the arrival window, from the first to the last job submission', 'shares', (s) => s.jainArrivalMean, 'higher'),
  fraction('jain_arrival_min', 'jain_min over the arrival window', 'shares', (s) => s.jainArrivalMin, 'higher'),
  time('jain_arrival_time_s', 'jain_time_s within the arrival window', 'shares', (s) => s.jainArrivalTime, 'none'),
  ...statMetrics(QUEUEING, 'that started'),
  ...statMetrics(COMPLETION, 'that finished'),
  ...statMetrics(SLOWDOWN, 'that finished, with a longest task of positive length'),
  count('offers_sent', 'offers sent', 'offers', 'offers', (s) => s.offersSent),
  count('offers_accepted', 'offers accepted, in part or whole', 'offers', 'offers', (s) => s.offersAccepted),
  count('offers_declined', 'offers declined whole', 'offers', 'offers', (s) => s.offersDeclined),
  count('offers_rescinded', 'offers rescinded by the master', 'offers', 'offers', (s) => s.offersRescinded),
  count('offers_outstanding', 'offers still unanswered at the end', 'offers', 'offers', (s) => s.offersOutstanding),
  time('offer_held_mean_s', 'mean time from an offer to its accept, decline or rescind, over answered offers', 'offers', (s) => s.offerHeldMean, 'lower'),
  fraction(
    'offers_declined_share',
    'mean over the resources offered at all of the share of offered resources declined',
    'offers',
    (s) => s.offersDeclinedShare,
    'lower',
  ),
  ...perResource(
    'offers_declined_share',
    'declined over offered, over accepted (their unused part) and declined offers',
    (s) => s.offersDeclinedShareByResource,
    'offers',
    'lower',
  ),
  count('allocation_runs', 'allocation runs (allocation_run records)', 'runs', 'offers', (s) => s.allocationRuns),
  ...localityMetrics('', '', (s) => s.locality),
  ...JOB_SIZE_BUCKETS.flatMap(([label, lo, hi], b) =>
    localityMetrics(`_${label}`, ` of jobs of ${hi === Infinity ? `${lo} or more` : `${lo} to ${hi}`} tasks`, (s) => s.localityByJobSize[b]!),
  ),
  count('jobs_abandoned', 'jobs their scheduler gave up on, or dropped with their removed framework', 'jobs', 'jobs', (s) => s.jobsAbandoned, 'lower'),
  fraction('busyness_mean', 'mean over frameworks of the fraction of the run their scheduler spent deciding', 'decisions', (s) => s.busynessMean, 'lower'),
  fraction(
    'allocator_busy',
    'fraction of the run the allocator (offers) or the central scheduler (monolithic) spent in allocation runs, under the allocator cost model; null without it',
    'decisions',
    (s) => s.allocatorBusy,
    'lower',
  ),
  count('conflicts', 'task placements of shared-state decisions that conflicted at commit', 'placements', 'decisions', (s) => s.conflicts, 'lower'),
  fraction('conflict_fraction', 'conflicts over the task placements shared-state decisions attempted', 'decisions', (s) => s.conflictFraction, 'lower'),
  fraction(
    'am_share',
    "time-weighted mean of the memory held by ApplicationMaster containers over the cluster's memory (yarn runs only)",
    'yarn',
    (s) => s.amShare,
    'lower',
  ),
  ...yarnStats(
    'first_container',
    "first task container time (its allocation minus the job's submission)",
    'jobs',
    'jobs that got a task container (yarn runs only)',
    (s) => s.firstContainer,
  ),
  ...yarnStats(
    'ask_to_allocation',
    "ask-to-allocation time (a task container's allocation minus the ApplicationMaster call that asked for it)",
    'containers',
    'task containers matched to the call that asked for them (yarn runs only)',
    (s) => s.askToAllocation,
  ),
  fraction(
    'reserved_share',
    "time-weighted mean of the memory reserved on nodes over the cluster's memory (yarn runs only)",
    'yarn',
    (s) => s.reservedShare,
    'lower',
  ),
];

/** frameworks.csv's columns, in the file's order: one row per registered framework. */
export const FRAMEWORK_COLUMNS: readonly Column<FrameworkRow>[] = [
  { key: 'framework', description: 'framework name', unit: 'text', fold: 'shares', format: 'text', value: (f) => f.name },
  { key: 'role', description: 'its role', unit: 'text', fold: 'shares', format: 'text', value: (f) => f.role },
  { key: 'weight', description: "its role's weight", unit: 'weight', fold: 'shares', format: 'decimal', value: (f) => f.weight },
  { key: 'behaviour', description: 'its scheduler behaviour', unit: 'text', fold: 'shares', format: 'text', value: (f) => f.behaviour },
  { key: 'jobs', description: 'jobs it submitted', unit: 'jobs', fold: 'shares', format: 'integer', value: (f) => f.jobs },
  { key: 'tasks', description: 'tasks it submitted', unit: 'tasks', fold: 'shares', format: 'integer', value: (f) => f.tasks },
  {
    key: 'share_mean',
    description: 'time-weighted mean of its weighted dominant share over the run (0 before it registered)',
    unit: 'share',
    fold: 'shares',
    format: 'decimal',
    value: (f) => f.shareMean,
  },
  {
    key: 'share_max',
    description: 'largest weighted dominant share it held over an interval of positive length',
    unit: 'share',
    fold: 'shares',
    format: 'decimal',
    value: (f) => f.shareMax,
  },
  ...statColumns(QUEUEING),
  ...statColumns(COMPLETION),
  ...statColumns(SLOWDOWN),
  { key: 'offers_sent', description: 'offers sent to it', unit: 'offers', fold: 'offers', format: 'integer', value: (f) => f.offersSent },
  {
    key: 'offers_accepted',
    description: 'offers it accepted, in part or whole',
    unit: 'offers',
    fold: 'offers',
    format: 'integer',
    value: (f) => f.offersAccepted,
  },
  { key: 'offers_declined', description: 'offers it declined whole', unit: 'offers', fold: 'offers', format: 'integer', value: (f) => f.offersDeclined },
  {
    key: 'offers_rescinded',
    description: 'its offers the master rescinded',
    unit: 'offers',
    fold: 'offers',
    format: 'integer',
    value: (f) => f.offersRescinded,
  },
  ...localityColumns<FrameworkRow>('', ' of its', (f) => f.locality),
  {
    key: 'jobs_abandoned',
    description: 'its jobs its scheduler gave up on, or dropped at its removal',
    unit: 'jobs',
    fold: 'jobs',
    format: 'integer',
    value: (f) => f.jobsAbandoned,
  },
  {
    key: 'busyness',
    description: 'fraction of the run its scheduler spent deciding',
    unit: 'fraction',
    fold: 'decisions',
    format: 'decimal',
    value: (f) => f.busyness,
  },
  {
    key: 'conflicts',
    description: 'its shared-state task placements that conflicted at commit',
    unit: 'placements',
    fold: 'decisions',
    format: 'integer',
    value: (f) => f.conflicts,
  },
  {
    key: 'conflict_fraction',
    description: 'its conflicts over the placements its shared-state decisions attempted',
    unit: 'fraction',
    fold: 'decisions',
    format: 'decimal',
    value: (f) => f.conflictFraction,
  },
  { key: 'queue', description: 'the YARN leaf queue its jobs went to (yarn runs only)', unit: 'text', fold: 'yarn', format: 'text', value: (f) => f.queue },
  {
    key: 'queue_usage_mean',
    description: "time-weighted mean of its queue's used resources over its guarantee (the largest ratio over resources), while the guarantee is above 0",
    unit: 'guarantee',
    fold: 'yarn',
    format: 'decimal',
    value: (f) => f.queueUsage,
  },
];

/** A job row's count of launched tasks with preferences at each locality level. */
const JOB_LOCALITY: Readonly<Record<LocalityLevel, (j: JobRow) => number>> = {
  node: (j) => j.localNode,
  rack: (j) => j.localRack,
  remote: (j) => j.localRemote,
};

/** jobs.csv's columns, in the file's order: one row per job. */
export const JOB_COLUMNS: readonly Column<JobRow>[] = [
  { key: 'job', description: 'job name', unit: 'text', fold: 'jobs', format: 'text', value: (j) => j.name },
  { key: 'framework', description: "its framework's name", unit: 'text', fold: 'jobs', format: 'text', value: (j) => j.frameworkName },
  { key: 'submit_s', description: 'when it was submitted', unit: 's', fold: 'jobs', format: 'seconds', value: (j) => j.submit },
  {
    key: 'first_staging_s',
    description: 'when its first task launched (entered staging, or running without staging)',
    unit: 's',
    fold: 'jobs',
    format: 'seconds',
    value: (j) => j.firstStaging,
  },
  { key: 'first_start_s', description: 'when its first task reached running', unit: 's', fold: 'jobs', format: 'seconds', value: (j) => j.firstStart },
  { key: 'finish_s', description: 'its job_finished time', unit: 's', fold: 'jobs', format: 'seconds', value: (j) => j.finish },
  { key: 'tasks', description: 'its tasks', unit: 'tasks', fold: 'jobs', format: 'integer', value: (j) => j.tasks },
  { key: 'queueing_delay_s', description: 'first_start_s minus submit_s', unit: 's', fold: 'jobs', format: 'seconds', value: (j) => j.queueingDelay },
  { key: 'completion_s', description: 'finish_s minus submit_s', unit: 's', fold: 'jobs', format: 'seconds', value: (j) => j.completion },
  { key: 'slowdown', description: "completion_s over its longest task's duration", unit: 'ratio', fold: 'jobs', format: 'decimal', value: (j) => j.slowdown },
  ...LOCALITY_LEVELS.map((l): Column<JobRow> => ({
    key: l.count,
    description: `its launched tasks with preferred locations that ${l.what}`,
    unit: 'tasks',
    fold: 'locality',
    format: 'integer',
    value: JOB_LOCALITY[l.level],
  })),
  {
    key: 'first_container_s',
    description: 'when its first task container was allocated (yarn runs only)',
    unit: 's',
    fold: 'yarn',
    format: 'seconds',
    value: (j) => j.firstContainer,
  },
];

/**
 * A timeseries.csv column (`per: 'row'`), or a family of columns: one per resource, `<key><resource>`
 * in RESOURCE_NAMES order, or one per framework, `<key><framework>` in frameworks.csv's order
 * (a framework's cells are empty in rows that end before it registered).
 */
export type SeriesColumn = RowBase &
  (
    | { readonly per: 'row'; readonly format: 'seconds' | 'decimal'; readonly value: (s: Sample) => number }
    | { readonly per: 'resource'; readonly format: 'decimal'; readonly value: (s: Sample) => PerResource }
    | { readonly per: 'framework'; readonly format: 'decimal'; readonly value: (s: Sample) => Float64Array }
  );

/**
 * timeseries.csv's columns, in the file's order. Every value but `t_s` and `jain_time_s` is a
 * time-weighted mean over the row's interval, [t_s minus the sample interval, t_s), the last row's
 * ending at the run end (docs/metrics.md, Time series).
 */
export const SERIES_COLUMNS: readonly SeriesColumn[] = [
  { key: 't_s', per: 'row', description: "end of the row's interval", unit: 's', fold: 'series', format: 'seconds', value: (s) => s.t },
  {
    key: 'util_',
    per: 'resource',
    description: "used over total, over the interval's time with a total above 0; empty when the cluster has none",
    unit: 'fraction',
    fold: 'cluster',
    format: 'decimal',
    value: (s) => s.utilisation,
  },
  {
    key: 'share_',
    per: 'framework',
    description: "the framework's weighted dominant share, 0 before it registered; empty when it registered at or after the interval's end",
    unit: 'share',
    fold: 'shares',
    format: 'decimal',
    value: (s) => s.shares,
  },
  {
    key: 'pending',
    per: 'row',
    description: 'pending tasks of all frameworks',
    unit: 'tasks',
    fold: 'shares',
    format: 'decimal',
    value: (s) => s.pendingTotal,
  },
  {
    key: 'pending_',
    per: 'framework',
    description: "the framework's pending tasks",
    unit: 'tasks',
    fold: 'shares',
    format: 'decimal',
    value: (s) => s.pending,
  },
  {
    key: 'jain',
    per: 'row',
    description: "Jain's index, over the part of the interval with at least two frameworks with pending tasks; empty when there is none",
    unit: 'fraction',
    fold: 'shares',
    format: 'decimal',
    value: (s) => s.jain,
  },
  {
    key: 'jain_time_s',
    per: 'row',
    description: 'the length of that part (not a mean: the weight of jain)',
    unit: 's',
    fold: 'shares',
    format: 'seconds',
    value: (s) => s.jainTime,
  },
];
