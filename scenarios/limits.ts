/**
 * Every bound offersim puts on its input, in one place, each derived from the limit of the
 * simulator or of the machine it protects (docs/scenarios.md#limits lists them). Validation
 * rejects what lies beyond them (exit 2), so that whatever `validate` accepts, `run` can run.
 * Composition root: may import anything; imports only constants.
 */
import { MAX_EVENT_TIME } from '../sim/kernel/event-queue.js';
import { EXACT_TIME_LIMIT_SECONDS, MICROS_PER_SECOND } from '../sim/kernel/time.js';

// ---- time

/**
 * The latest instant a scenario may name, seconds (about 202.5 days): agent and framework
 * `addAt`, job `submit`, a Poisson workload's `start` and `until`, failure times, and the end of
 * the run (`duration`, `horizon`). Together with {@link MAX_SPAN_SECONDS} it splits the event
 * list's range (times below 2^45 us, about 407 days: sim/kernel/event-queue.ts): an event runs at
 * or before the end of the run and schedules the next at most one span later, so no event is
 * ever scheduled at 2^45 us or beyond.
 */
export const MAX_TIME_SECONDS = 17_500_000;

/**
 * The longest span a scenario may give, seconds: a task's run time (after `remoteSlowdown`),
 * the intervals, timeouts, waits and decision times, a failure's down time, a reconnection delay,
 * and the largest draw of an exponential distribution or a Poisson gap (see
 * {@link EXPONENTIAL_TAIL}).
 */
export const MAX_SPAN_SECONDS = 17_500_000;

/**
 * Slack left in the event list above MAX_TIME_SECONDS + MAX_SPAN_SECONDS, us (about 51 hours):
 * room for the few fixed delays the model adds after a span (the 75-90 s ping timeout of a failed
 * agent, a 1 us trigger).
 */
export const EVENT_TIME_SLACK = MAX_EVENT_TIME - (MAX_TIME_SECONDS + MAX_SPAN_SECONDS) * MICROS_PER_SECOND;

/**
 * The latest trace time a `traces[].window` may name, whole seconds: the trace's own clock,
 * converted to whole microseconds, which are exact below 2^53 (sim/kernel/time.ts).
 */
export const MAX_TRACE_TIME_SECONDS = Math.floor(EXACT_TIME_LIMIT_SECONDS);

/**
 * The shortest positive interval, seconds (1 us): `allocationInterval` and `sampleInterval` become
 * whole microseconds, and one that rounds to 0 would never advance the clock.
 */
export const MIN_INTERVAL_SECONDS = 0.000001;

/**
 * The largest exponential draw, in means: an exponential is drawn as -mean x ln(1 - u) with u
 * uniform in [0, 1) from a double, so 1 - u >= 2^-53 and the draw is at most 53 ln 2 = 36.7
 * means. A distribution's mean (a task duration, a failure's down time, a Poisson gap 1/rate)
 * times this must fit in a span.
 */
export const EXPONENTIAL_TAIL = 37;

/**
 * The lowest Poisson arrival rate, jobs a second: the gap between arrivals is exponential with
 * mean 1/rate, so at most EXPONENTIAL_TAIL / rate, which must fit in a span: the rate is at least
 * 37 / 17,500,000 = 0.00000211, rounded up here to 0.000003 (a job every 3.9 days on average).
 */
export const MIN_POISSON_RATE = 0.000003;

// ---- resources

/**
 * The largest amount of one resource, in scenario units (cores, MB, devices), for an agent and
 * for the whole cluster: amounts are held in thousandths (sim/model/resources.ts) as integers in
 * doubles, exact below 2^53, and the cluster's total of a resource is a sum of agents' amounts.
 * 2^53 / 1000 is 9,007,199,254,740.99; the limit is the round number below it.
 */
export const MAX_RESOURCE_AMOUNT = 9_000_000_000_000;

/** Role weights lie in [MIN_WEIGHT, MAX_WEIGHT]: shares divided by weights stay finite, and their ratio (at most 10^12) leaves a thousandth of a core distinguishable. */
export const MIN_WEIGHT = 0.000001;
/** See {@link MIN_WEIGHT}. */
export const MAX_WEIGHT = 1_000_000;

/** The largest `remoteSlowdown` factor (a task 1000 times slower when not node-local is far beyond any measured one). */
export const MAX_REMOTE_SLOWDOWN = 1000;

// ---- size of a run (estimated before anything is built: scenarios/build.ts estimateScenario)

/**
 * Agents in the cluster: twice the largest benchmarked cluster (50,000 agents, docs/performance.md);
 * every agent is also materialised when the scenario is checked.
 */
export const MAX_AGENTS = 100_000;

/** Frameworks declared in the scenario (the allocator benchmark runs 1,000). */
export const MAX_FRAMEWORKS = 10_000;

/**
 * Tasks a run submits (expected, from the workloads: rates x windows, job counts, instances),
 * and tasks of one job. The task table holds the tasks of live jobs only (about 500 bytes each
 * with locality preferences, docs/performance.md); one job's tasks must fit in it at once (2.5 GB
 * at 5 million), and a run of this many tasks already takes hours at today's cost per offer.
 */
export const MAX_TASKS = 5_000_000;

/**
 * Periodic allocation runs: the longest the run may last (`duration`, else `horizon`) divided by
 * `allocationInterval`. One run is one kernel event over every agent; 100 million of them on an
 * idle cluster take minutes.
 */
export const MAX_ALLOCATION_RUNS = 100_000_000;

/**
 * Cells of timeseries.csv of a run with a `duration` (duration / `sampleInterval` rows, times
 * 8 + 2 x frameworks columns). The rows are held in memory until the run ends and the file is
 * built as one string: about 180 bytes a cell at the peak (a run of 1,000,000 rows of 10 columns
 * peaked at 1.9 GB), so 10 million cells stay under 2 GB, and the string (at most 9 characters a
 * cell) far below V8's 2^29. A run to completion is not counted: it usually ends long before its
 * horizon.
 */
export const MAX_TIMESERIES_CELLS = 10_000_000;

/** Random agent failures a run may draw (expected: agents x window / (mtbf + mttr)). */
export const MAX_RANDOM_FAILURES = 10_000_000;

/** Input-block replicas of a Poisson workload's tasks (tasks x blocksPerTask x replication), each a preferred agent of its task. */
export const MAX_BLOCK_REPLICAS = 50_000_000;

/** The most replicas of a block: HDFS's own maximum (dfs.replication.max, default 512). */
export const MAX_REPLICATION = 512;

/** Input blocks of one task of a Poisson workload. */
export const MAX_BLOCKS_PER_TASK = 1000;

/**
 * The largest per-task decision time, seconds: a decision considers at most a job's tasks (at
 * most {@link MAX_TASKS}), so tJob (at most half a span) plus tTask x tasks fits in a span.
 */
export const MAX_DECISION_TASK_SECONDS = MAX_SPAN_SECONDS / 2 / MAX_TASKS;

// ---- the scenario file and the command line

/** Bytes of a scenario file: it is read whole (jobs by the thousand belong in a trace, which is streamed). */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/**
 * Values (numbers, strings, lists, mappings) a scenario document holds once its YAML aliases are
 * expanded: an alias repeats its anchor's whole content, so a short file can stand for billions
 * of values ("billion laughs").
 */
export const MAX_DOCUMENT_VALUES = 2_000_000;

/** How deep lists and mappings may nest (a scenario needs 8). */
export const MAX_DEPTH = 64;

/** Characters of a name (framework, role component, agent and rack prefix, trace). */
export const MAX_NAME_LENGTH = 100;

/** Characters of a job id. */
export const MAX_JOB_ID_LENGTH = 200;

/** Points of a sweep (parameter combinations x seeds): each is a run directory. */
export const MAX_SWEEP_POINTS = 10_000;

/** Worker threads of a sweep: each has its own heap of tens of MB. */
export const MAX_WORKERS = 256;

/** Problems printed for one bad input; the rest are counted ("and N more"). */
export const MAX_PROBLEMS_LISTED = 50;

/** Characters of the user's input a message quotes; longer input is cut, with its length. */
export const MAX_ECHO = 60;
