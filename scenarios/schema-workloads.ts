/**
 * Where a scenario's jobs and agents come from, as the scenario file gives them: a framework's
 * Poisson or inline workload, job traces the run replays and cluster-definition traces (the
 * trace formats are offersim list formats). Part of the scenario schema (schema.ts); imports zod,
 * the field types, the limits and the behaviour registry.
 */
import { z } from 'zod';
import { JobBehaviourSchema } from './behaviours/index.js';
import {
  EXPONENTIAL_TAIL,
  MAX_AGENTS,
  MAX_BLOCKS_PER_TASK,
  MAX_JOB_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_REPLICATION,
  MAX_SPAN_SECONDS,
  MAX_TASKS,
  MAX_TRACE_TIME_SECONDS,
  MIN_POISSON_RATE,
} from './limits.js';
import {
  DurationSchema,
  FRAMEWORK_OFFER_FIELDS,
  RESOURCE_FIELDS,
  TasksPerJobSchema,
  bounded,
  n,
  name,
  positiveSeconds,
  positiveSpan,
  role,
  seconds,
  taskCount,
} from './schema-fields.js';

/** A task of an inline job. */
export const InlineTaskSchema = z.strictObject({
  ...RESOURCE_FIELDS,
  /** run time, seconds (> 0) */
  duration: positiveSpan,
  /** identical copies of this task; default 1 */
  count: taskCount.default(1),
  /** agent names holding the task's input (node-local there); default none */
  preferredAgents: z.array(z.string().min(1)).optional(),
  /** rack names the task prefers (rack-local there); default none */
  preferredRacks: z.array(z.string().min(1)).optional(),
});

/** Input data of a Poisson workload's tasks, placed HDFS-style (workloads/placement.ts). */
export const LocalitySchema = z.strictObject({
  /** input blocks per task; default 1 */
  blocksPerTask: z
    .number()
    .int()
    .positive()
    .max(MAX_BLOCKS_PER_TASK, { message: `at most ${n(MAX_BLOCKS_PER_TASK)} blocks` })
    .default(1),
  /** replicas per block (capped at the number of agents); default 3 */
  replication: z
    .number()
    .int()
    .positive()
    .max(MAX_REPLICATION, { message: `at most ${MAX_REPLICATION} (HDFS's dfs.replication.max)` })
    .default(3),
});

/** Poisson arrivals for one framework. */
export const PoissonWorkloadSchema = z
  .strictObject({
    kind: z.literal('poisson'),
    /** jobs per second (> 0): the gap between arrivals is exponential with mean 1/rate, and its largest draw must fit in a span */
    rate: z
      .number()
      .finite()
      .min(MIN_POISSON_RATE, {
        message: `at least ${MIN_POISSON_RATE} jobs a second (one every ${(1 / MIN_POISSON_RATE / 86_400).toFixed(1)} days): a gap between arrivals can reach ${EXPONENTIAL_TAIL} times 1/rate, and may be at most ${n(MAX_SPAN_SECONDS)} s`,
      }),
    /** at most this many jobs; default none */
    jobs: z
      .number()
      .int()
      .positive()
      .max(MAX_TASKS, { message: `at most ${n(MAX_TASKS)} jobs (each has a task, and a run holds at most ${n(MAX_TASKS)})` })
      .optional(),
    /** first possible arrival, seconds, at or after the framework's addAt; default the framework's addAt (it subscribes then) */
    start: seconds.optional(),
    /** no arrivals at or after this time, seconds; default none (then `jobs` is required) */
    until: positiveSeconds.optional(),
    /** tasks per job; default 1 */
    tasksPerJob: TasksPerJobSchema.default(1),
    /** resources of every task */
    task: z.strictObject({
      ...RESOURCE_FIELDS,
      /** task duration, seconds */
      duration: DurationSchema,
    }),
    /** give each task input blocks, placed from the random stream `placement/<framework>`; default none */
    locality: LocalitySchema.optional(),
    /**
     * a multi-role framework's roles its jobs are for, each with a relative weight (> 0): each job
     * names one, drawn with those weights from the random stream `workload-roles/<framework>`, and
     * only offers to that role run it; default none (any role's offers run any job)
     */
    roles: z.record(role, z.number().finite().positive()).optional(),
  })
  .refine((w) => w.jobs !== undefined || w.until !== undefined, { message: 'a poisson workload needs jobs or until', path: ['jobs'] });

/** What a job id may be. */
const JOB_ID = new RegExp(`^[A-Za-z0-9._/-]{1,${MAX_JOB_ID_LENGTH}}$`);

/** Jobs listed in the scenario. */
export const InlineWorkloadSchema = z.strictObject({
  kind: z.literal('inline'),
  jobs: z.array(
    z.strictObject({
      /** job name: 1 to 200 letters, digits, ".", "_", "-" and "/"; default `<framework>/<index>` */
      id: z.string().regex(JOB_ID, `a job id is 1 to ${MAX_JOB_ID_LENGTH} letters, digits, ".", "_", "-" and "/"`).optional(),
      /** submit time, seconds */
      submit: seconds,
      /** the role of its multi-role framework whose offers run it; default none (any of its roles) */
      role: role.optional(),
      tasks: z.array(InlineTaskSchema).min(1),
    }),
  ),
});

/** Factors on each resource (a trace's tasks or agents); default 1 each. */
const ResourceScaleSchema = z
  .strictObject({
    cpus: z.number().finite().positive().default(1),
    mem: z.number().finite().positive().default(1),
    disk: z.number().finite().positive().default(1),
    gpus: z.number().finite().positive().default(1),
  })
  .prefault({});

/** Trace time, seconds (the trace's own clock). */
const TRACE_TIME_MESSAGE = `at most ${n(MAX_TRACE_TIME_SECONDS)} s (2^53 us)`;
/** A prefix of created framework names: what a name may hold, or nothing. */
const PREFIX = new RegExp(`^[A-Za-z0-9._-]{0,${MAX_NAME_LENGTH}}$`);
const PREFIX_MESSAGE = `at most ${MAX_NAME_LENGTH} letters, digits, ".", "_" and "-"`;
/** A prefix of created role names: a role path's characters ("/" too). */
const ROLE_PREFIX = new RegExp(`^[A-Za-z0-9._/-]{0,${MAX_NAME_LENGTH}}$`);
const ROLE_PREFIX_MESSAGE = `at most ${MAX_NAME_LENGTH} letters, digits, ".", "_", "-" and "/"`;

/** A trace file of jobs the run replays: a canonical workload or a raw trace with its format. */
export const TraceWorkloadSchema = z
  .strictObject({
    /** the file, relative to the scenario file; plain or gzip */
    file: z.string().min(1),
    /** 'canonical' (offersim's JSON Lines, docs/traces.md) or a trace format (offersim list formats); default canonical */
    format: z.string().min(1).default('canonical'),
    /** the format's importer options (docs/traces.md); default {} */
    options: z.record(z.string(), z.unknown()).default({}),
    /** a name for the jobs' ids (`<name>/<trace job id>`) and messages; default `trace-<index>` */
    name: name.optional(),
    /** every job goes to this framework (declared in frameworks); default: frameworkBy, else the line's own framework */
    framework: name.optional(),
    /** a job attribute (attrs.<field>: user, group, queue, class, qos, ...) naming the job's framework, `<frameworkPrefix><value>`; frameworks not declared are created; default none */
    frameworkBy: z.string().min(1).max(MAX_NAME_LENGTH).optional(),
    /** prefix of the framework names made by frameworkBy; default '' */
    frameworkPrefix: z.string().regex(PREFIX, PREFIX_MESSAGE).default(''),
    /** for frameworks created by frameworkBy: a job attribute naming their role, `<rolePrefix><value>` (from the first job seen); default none: role * */
    roleBy: z.string().min(1).max(MAX_NAME_LENGTH).optional(),
    /** prefix of the role names made by roleBy; default '' */
    rolePrefix: z.string().regex(ROLE_PREFIX, ROLE_PREFIX_MESSAGE).default(''),
    /** behaviour of frameworks created by frameworkBy: one that takes jobs (batch, gang), by name or as an object as in frameworks[]; default batch */
    behaviour: JobBehaviourSchema,
    /** for frameworks created by frameworkBy: their capabilities and own minAllocatable, as in frameworks[]; default none */
    ...FRAMEWORK_OFFER_FIELDS,
    /** only jobs submitted in [from, until) of trace time, seconds; default the whole trace */
    window: z
      .strictObject({
        from: bounded(MAX_TRACE_TIME_SECONDS, TRACE_TIME_MESSAGE).default(0),
        until: bounded(MAX_TRACE_TIME_SECONDS, TRACE_TIME_MESSAGE, true).optional(),
      })
      .prefault({}),
    /** submit times, counted from window.from, are multiplied by this (0.5: arrivals twice as dense); default 1 */
    timeScale: z.number().finite().positive().default(1),
    /** fraction of the jobs kept, each drawn from the random stream trace/<index>; default 1 (all) */
    sample: z.number().finite().positive().max(1).default(1),
    /** resource factors applied to every task; default 1 each */
    scale: ResourceScaleSchema,
    /** stop the run (exit 2) at the first bad row or job that fits nowhere, instead of skipping and counting it; default false */
    strict: z.boolean().default(false),
  })
  .superRefine((t, ctx) => {
    if (t.framework !== undefined && t.frameworkBy !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['frameworkBy'], message: 'give framework (all jobs to one) or frameworkBy (by a job attribute), not both' });
    }
    for (const k of ['capabilities', 'minAllocatable'] as const) {
      if (t[k] !== undefined && t.frameworkBy === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `${k} applies to the frameworks frameworkBy creates: give it in frameworks[] for a declared framework`,
        });
    }
    if (t.window.until !== undefined && t.window.until <= t.window.from)
      ctx.addIssue({ code: 'custom', path: ['window', 'until'], message: 'until must be after from' });
  });

/** Agents from a cluster-definition trace (offersim list formats: the cluster ones). */
export const ClusterTraceSchema = z.strictObject({
  /** the file, relative to the scenario file; plain or gzip */
  file: z.string().min(1),
  /** a cluster format, or 'canonical' (JSON Lines of agents, docs/traces.md) */
  format: z.string().min(1),
  /** the format's options; default {} */
  options: z.record(z.string(), z.unknown()).default({}),
  /** only the first this many agents (in file order); default all */
  limit: z
    .number()
    .int()
    .positive()
    .max(MAX_AGENTS, { message: `at most ${n(MAX_AGENTS)} agents (the most a cluster may have)` })
    .optional(),
  /** resource factors applied to every agent; default 1 each */
  scale: ResourceScaleSchema,
});
