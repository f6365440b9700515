/**
 * The canonical workload format: JSON Lines, one job a line, which every trace importer writes
 * and every trace workload reads. Amounts are in scenario units (cpus in cores, mem and disk in
 * MB, gpus in devices), times in seconds. The schema here is the single definition: the types,
 * the line validation and the published JSON Schema (docs/workload.schema.json) all derive from
 * it. Pure: no I/O (scenarios/ reads and writes the files).
 */
import { z } from 'zod';

const amount = z.number().finite().nonnegative();
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
  duration: z.number().finite().positive().describe('run time once started, seconds (> 0)'),
  /** identical copies of this task; default 1 */
  count: z.number().int().positive().optional().describe('identical copies of this task; default 1'),
  /** agents holding the task's input (node-local there); default none */
  preferredAgents: z.array(name).optional().describe('agents holding the input: node-local there'),
  /** racks the task prefers (rack-local there); default none */
  preferredRacks: z.array(name).optional().describe('racks the task prefers: rack-local there'),
  /** input data block ids, placed over the cluster by the run's seeded replica placement; default none */
  blocks: z.array(name).optional().describe('input data block ids, placed by the run\'s seeded replica placement'),
});

/** One job: a line of a canonical workload file. */
export const CanonicalJobSchema = z.strictObject({
  /** unique within the file */
  id: name.describe('unique within the file'),
  /** submit time, seconds from the start of the workload (lines are in non-decreasing submit order) */
  submit: z.number().finite().nonnegative().describe('submit time, seconds (non-decreasing over the file)'),
  /** the framework that runs it; absent: the scenario's mapping decides */
  framework: name.optional().describe('framework that runs it; absent: the scenario maps it'),
  /** trace fields a scenario may map to frameworks or roles (user, group, queue, class, qos, ...) */
  attrs: z.record(z.string(), z.string()).optional().describe('trace fields the scenario may map to frameworks (user, queue, class, qos, ...)'),
  tasks: z.array(CanonicalTaskSchema).min(1).describe('task groups'),
  /** all tasks must start together (a rigid, MPI-like job); default false */
  gang: z.boolean().optional().describe('all tasks start together; default false'),
  /** the trace's priority, higher first where a policy uses it; default 0 */
  priority: z.number().int().optional().describe('the trace\'s priority; default 0'),
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
  const tasks = job.tasks.map((t) => ordered(t, ['cpus', 'mem', 'disk', 'gpus', 'duration', 'count', 'preferredAgents', 'preferredRacks', 'blocks']));
  const attrs = job.attrs === undefined ? undefined : Object.fromEntries(Object.keys(job.attrs).sort().map((k) => [k, job.attrs![k]!]));
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
  const path = first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  return { problem: `${path === '' ? 'line' : path}: ${first.message}${more}` };
}
