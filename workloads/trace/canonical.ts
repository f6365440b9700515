/**
 * The canonical workload format: JSON Lines, one job a line, which every trace importer writes
 * and every trace workload reads. Amounts are in scenario units (cpus in cores, mem and disk in
 * MB, gpus in devices), times in seconds. The schema here is the single definition: the types,
 * the line validation and the published JSON Schema (docs/workload.schema.json) all derive from
 * it. Pure: no I/O (scenarios/ reads and writes the files).
 */
import { z } from 'zod';
import { RESOURCE_NAMES } from '../../sim/model/resources.js';

/**
 * The latest submit time a trace may give, seconds from its start: 1e9 s (31.7 years), longer
 * than any trace spans, so that times stay exact in microseconds (1e15 < 2^53). Unix times are
 * above it (every one since September 2001): a trace in epoch seconds is out of range until its
 * times are made relative (the importers' `timeOrigin` option). A round number below the exact
 * range (sim/kernel/time.ts EXACT_TIME_LIMIT_SECONDS, 9.007e9 s) on purpose, rather than derived
 * from it: the exact range alone would take every Unix time up to the year 2255 for a relative one.
 */
export const MAX_TRACE_SECONDS = 1e9;

/**
 * The longest task duration, seconds: 17,500,000 s (about 202 days), the longest span a scenario
 * may give (scenarios/limits.ts MAX_SPAN_SECONDS: a run's last instant plus one span stays below
 * the event list's 2^45 us): a longer task could never be seen to end.
 */
export const MAX_TASK_SECONDS = 17_500_000;

/**
 * The largest amount of one resource of a task or an agent, in scenario units (cores, MB,
 * devices): 1e9 (a petabyte of memory), far above any machine. In the simulator's fixed point
 * (thousandths) that is 1e12, so sums of thousands of such amounts stay exact below 2^53.
 */
export const MAX_AMOUNT = 1e9;

/** The most tasks one job may have (counting copies): 1,000,000, above the largest jobs of the real traces (about 317,000 maps). */
export const MAX_JOB_TASKS = 1_000_000;

const amount = z
  .number()
  .finite()
  .nonnegative()
  .max(MAX_AMOUNT, { message: `must be at most ${MAX_AMOUNT}` });
const name = z.string().min(1);

/** A group of identical tasks of a job. */
export const CanonicalTaskSchema = z.strictObject({
  /** cores; default 0 */
  cpus: amount.optional().describe('cores; default 0'),
  /** MB; default 0 */
  mem: amount.optional().describe('MB; default 0'),
  /** MB; default 0 */
  disk: amount.optional().describe('MB; default 0'),
  /** devices; default 0 */
  gpus: amount.optional().describe('devices; default 0'),
  /** run time once started, seconds (> 0; the simulator keeps at least 1 microsecond) */
  duration: z
    .number()
    .finite()
    .positive()
    .max(MAX_TASK_SECONDS, { message: `must be at most ${MAX_TASK_SECONDS} s` })
    .describe('run time once started, seconds (> 0)'),
  /** identical copies of this task; default 1 */
  count: z
    .number()
    .int()
    .positive()
    .max(MAX_JOB_TASKS, { message: `must be at most ${MAX_JOB_TASKS}` })
    .optional()
    .describe('identical copies of this task; default 1'),
  /** agents holding the task's input (node-local there); default none */
  preferredAgents: z.array(name).optional().describe('agents holding the input: node-local there'),
  /** racks the task prefers (rack-local there); default none */
  preferredRacks: z.array(name).optional().describe('racks the task prefers: rack-local there'),
  /** input data block ids, placed over the cluster by the run's seeded replica placement; default none */
  blocks: z.array(name).optional().describe("input data block ids, placed by the run's seeded replica placement"),
});

/** One job: a line of a canonical workload file. */
export const CanonicalJobSchema = z
  .strictObject({
    /** unique within the file */
    id: name.describe('unique within the file'),
    /** submit time, seconds from the start of the workload (lines are in non-decreasing submit order) */
    submit: z
      .number()
      .finite()
      .nonnegative()
      .max(MAX_TRACE_SECONDS, { message: `must be at most ${MAX_TRACE_SECONDS} s (seconds from the start of the workload, not a Unix time)` })
      .describe('submit time, seconds (non-decreasing over the file)'),
    /** the framework that runs it; absent: the scenario's mapping decides */
    framework: name.optional().describe('framework that runs it; absent: the scenario maps it'),
    /** trace fields a scenario may map to frameworks or roles (user, group, queue, class, qos, ...) */
    attrs: z.record(z.string(), z.string()).optional().describe('trace fields the scenario may map to frameworks (user, queue, class, qos, ...)'),
    tasks: z.array(CanonicalTaskSchema).min(1).describe('task groups'),
    /** all tasks must start together (a rigid, MPI-like job); default false */
    gang: z.boolean().optional().describe('all tasks start together; default false'),
    /** the trace's priority, higher first where a policy uses it; default 0 */
    priority: z.number().int().optional().describe("the trace's priority; default 0"),
  })
  .refine((j) => j.tasks.reduce((n, t) => n + (t.count ?? 1), 0) <= MAX_JOB_TASKS, {
    message: `more than ${MAX_JOB_TASKS} tasks (counting copies)`,
    path: ['tasks'],
  });

/** A task group of a canonical job. */
export type CanonicalTask = z.infer<typeof CanonicalTaskSchema>;
/** A canonical job (one line). */
export type CanonicalJob = z.infer<typeof CanonicalJobSchema>;

/** The JSON Schema of one line, for docs/workload.schema.json. */
export function canonicalJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(CanonicalJobSchema, { target: 'draft-2020-12' }),
    $id: 'https://offersim.dev/schema/workload-line.json',
    title: 'offersim canonical workload: one job (one line of a JSON Lines file)',
  };
}

/**
 * What puts a job an importer built out of the canonical range ({@link MAX_TRACE_SECONDS},
 * {@link MAX_TASK_SECONDS}, {@link MAX_AMOUNT}, {@link MAX_JOB_TASKS}, finite numbers), naming
 * the field; undefined when it is in range. The same bounds as the schema, checked without it
 * (importers check every job they write).
 */
export function jobRangeProblem(job: CanonicalJob): string | undefined {
  if (!(job.submit >= 0 && job.submit <= MAX_TRACE_SECONDS)) return `submit time ${job.submit} s is not in [0, ${MAX_TRACE_SECONDS}] s`;
  let n = 0;
  for (let i = 0; i < job.tasks.length; i++) {
    const t = job.tasks[i]!;
    for (const k of RESOURCE_NAMES) {
      const v = t[k];
      if (v !== undefined && !(v >= 0 && v <= MAX_AMOUNT)) return `task ${k} ${v} is not in [0, ${MAX_AMOUNT}]`;
    }
    if (!(t.duration > 0 && t.duration <= MAX_TASK_SECONDS)) return `task duration ${t.duration} s is not in (0, ${MAX_TASK_SECONDS}] s`;
    n += t.count ?? 1;
  }
  return n > MAX_JOB_TASKS ? `${n} tasks, more than ${MAX_JOB_TASKS} a job` : undefined;
}

/** Tasks in a job, counting each group's copies. */
export function taskCount(job: CanonicalJob): number {
  let n = 0;
  for (const t of job.tasks) n += t.count ?? 1;
  return n;
}

/**
 * One line of a canonical file, written with a fixed key order and number format (JSON's
 * shortest round-trip form), so the same jobs give the same bytes.
 */
export function formatCanonicalJob(job: CanonicalJob): string {
  const tasks = job.tasks.map((t) => ordered(t, [...RESOURCE_NAMES, 'duration', 'count', 'preferredAgents', 'preferredRacks', 'blocks']));
  const attrs =
    job.attrs === undefined
      ? undefined
      : Object.fromEntries(
          Object.keys(job.attrs)
            .sort()
            .map((k) => [k, job.attrs![k]!]),
        );
  return JSON.stringify(ordered({ ...job, attrs, tasks }, ['id', 'submit', 'framework', 'attrs', 'tasks', 'gang', 'priority']));
}

function ordered(o: object, keys: readonly string[]): Record<string, unknown> {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

/** What is wrong with a line: a message naming the field, or undefined when the line is a valid job. */
export type LineResult = { readonly job: CanonicalJob } | { readonly problem: string };

/** Parses and validates one line of a canonical file. */
export function parseCanonicalLine(text: string): LineResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})` };
  }
  const r = CanonicalJobSchema.safeParse(data);
  if (r.success) return { job: r.data };
  const first = r.error.issues[0]!;
  const path = first.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  return { problem: `${path === '' ? 'line' : path}: ${first.message}${more}` };
}
