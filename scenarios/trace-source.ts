/**
 * Trace files read during a run: job traces (canonical or raw, through their importer) become a
 * lazily read job stream with the scenario's mapping (framework, window, time scale, sample,
 * resource scale); cluster traces become agents. The files themselves (paths, checks, gzip copies,
 * reading lines) are trace-files.ts's; a trace larger than memory still runs, as it is read a line
 * at a time. Every problem with a trace met while the run goes (a bad row in strict mode, no job at
 * all) is an InputError naming the file (exit 2). Composition root.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RandomStreams, type Rng } from '../sim/kernel/rng.js';
import { MICROS_PER_SECOND, seconds, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec, TaskSpec } from '../sim/model/job.js';
import { resources } from '../sim/model/resources.js';
import type { AgentSpec } from '../sim/model/simulation.js';
import { placeIndexed, placementIndex, type PlacementAgent } from '../workloads/placement.js';
import { parseCanonicalLine, type CanonicalJob } from '../workloads/trace/canonical.js';
import { CanonicalAgentSchema, type CanonicalAgent, type ClusterImporter } from '../workloads/trace/cluster.js';
import type { ImportCounts, RowProblem, TraceImporter } from '../workloads/trace/importer.js';
import { LineSplitter, LongLine, MAX_CANONICAL_LINE_BYTES, MAX_LINE_BYTES, type LineItem } from '../workloads/trace/lines.js';
import { TRACE_FORMATS, traceFormat } from '../workloads/trace/registry.js';
import { SNIFF_LINES, unusableTrace } from '../workloads/trace/sniff.js';
import { createBehaviour, type Behaviour } from './behaviours/index.js';
import { InputError } from './errors.js';
import { MAX_SPAN_SECONDS, MAX_TIME_SECONDS } from './limits.js';
import type { Scenario } from './schema.js';
import { checkTraceFile, isGzip, readablePath, scenarioBase, syncLines, traceReadError } from './trace-files.js';

/** A job trace entry of the scenario. */
export type TraceEntry = NonNullable<Scenario['traces']>[number];
/** A cluster trace entry of the scenario. */
export type ClusterTraceEntry = NonNullable<Scenario['cluster']['traces']>[number];

/** Why a job trace gave no job at all (the run's and validate's words). */
function noJobReason(format: string, counts: ImportCounts, seen: Reading): string {
  return unusableTrace(format, counts, seen.sample, seen.first, 'scenario') ?? 'the file holds no job';
}

/** What a run read of one job trace: the import's accounting and what the mapping kept. */
export interface TraceCounts {
  readonly name: string;
  readonly file: string;
  readonly format: string;
  /** the importer's accounting (for a canonical file: its lines and bad lines) of what was read */
  readonly read: ImportCounts;
  /** the file was read to its end (false: the run ended first, or the window's end was reached) */
  readonly complete: boolean;
  /** jobs the trace gave, and what became of them: submitted, or skipped by reason */
  readonly jobs: number;
  readonly submitted: number;
  readonly tasksSubmitted: number;
  readonly skipped: Readonly<Record<string, number>>;
  /** task preferences naming an agent or rack not in the cluster, dropped */
  readonly unknownPreferences: number;
}

/** What is kept of a trace as it is read, to say why it gave no job: its first lines and the first problem of each reason. */
interface Reading {
  readonly sample: string[];
  readonly first: Map<string, RowProblem>;
}

/** A new {@link Reading}. */
function reading(): Reading {
  return { sample: [], first: new Map() };
}

/** Keeps `text` as a sample line when it is one of the first non-blank ones (and short: a sample never holds a long line). */
function sampleLine(r: Reading, text: string): void {
  if (r.sample.length < SNIFF_LINES && text.length <= 4096 && text.trim() !== '') r.sample.push(text);
}

/** Keeps `p` when it is the first problem of its reason. */
function firstProblem(r: Reading, p: RowProblem): void {
  if (p.input === undefined && !r.first.has(p.reason)) r.first.set(p.reason, p);
}

/** A job trace's canonical jobs with their line numbers, through its importer or the canonical parser. */
function* canonicalJobs(
  entry: TraceEntry,
  base: string,
  field: string,
  strict: boolean,
  onRead: (get: () => ImportCounts) => void,
  seen: Reading = reading(),
): Generator<{ job: CanonicalJob; line: number }> {
  const path = resolve(base, entry.file);
  const file = readablePath(path, field);
  const fail = (p: RowProblem, input = path): never => {
    throw new InputError([{ file: input, line: p.line, path: '', message: `${p.message} (${p.reason})` }]);
  };
  if (entry.format === 'canonical') {
    let lines = 0;
    let ignored = 0;
    let tasks = 0;
    const bad = new Map<string, number>();
    const skipped = (): number => [...bad.values()].reduce((x, y) => x + y, 0);
    onRead(() => ({
      lines,
      ignored,
      rows: lines - ignored,
      rowsUsed: lines - ignored - skipped(),
      skipped: Object.fromEntries([...bad.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))),
      jobs: lines - ignored - skipped(),
      tasks,
      notes: {},
    }));
    const problem = (p: RowProblem): void => {
      if (strict) fail(p);
      firstProblem(seen, p);
      bad.set(p.reason, (bad.get(p.reason) ?? 0) + 1);
    };
    for (const text of syncLines(file, MAX_CANONICAL_LINE_BYTES, field)) {
      lines++;
      if (text instanceof LongLine) {
        problem({
          line: lines,
          reason: 'line-too-long',
          message: `the line is ${text.bytes} bytes long, more than the ${MAX_CANONICAL_LINE_BYTES / (1 << 20)} MiB a canonical line may have: skipped unread`,
        });
        continue;
      }
      sampleLine(seen, text);
      if (text.trim() === '') {
        ignored++;
        continue;
      }
      const r = parseCanonicalLine(text);
      if ('problem' in r) {
        problem({ line: lines, reason: 'bad-line', message: r.problem });
        continue;
      }
      for (const t of r.job.tasks) tasks += t.count ?? 1;
      yield { job: r.job, line: lines };
    }
    return;
  }
  const fmt = traceFormat(entry.format);
  if (fmt === undefined || fmt.kind !== 'jobs') {
    throw new InputError([
      {
        file: path,
        path: `${field.replace(/\.file$/, '')}.format`,
        message: `unknown job trace format "${entry.format}"; known: canonical, ${TRACE_FORMATS.filter((f) => f.kind === 'jobs')
          .map((f) => f.name)
          .join(', ')}`,
      },
    ]);
  }
  let importer: TraceImporter;
  try {
    importer = fmt.create(entry.options);
  } catch (err) {
    throw new InputError([{ file: path, path: `${field.replace(/\.file$/, '')}.options`, message: (err as Error).message }]);
  }
  const queue: { job: CanonicalJob; line: number }[] = [];
  const imp = importer;
  onRead(() => imp.counts());
  let no = 0;
  let auxPath = '';
  const sink = {
    job: (job: CanonicalJob): void => {
      queue.push({ job, line: no });
    },
    problem: (p: RowProblem): void => {
      if (strict) fail(p, p.input === undefined ? path : auxPath);
      firstProblem(seen, p);
    },
  };
  for (const name of importer.auxInputs ?? []) {
    const aux = entry.options[name];
    if (typeof aux !== 'string') continue;
    // Relative to the scenario file, as the trace's own path.
    auxPath = resolve(base, aux);
    const auxField = `${field.replace(/\.file$/, '')}.options.${name}`;
    let k = 0;
    for (const text of syncLines(readablePath(auxPath, auxField), MAX_LINE_BYTES, auxField)) {
      if (text instanceof LongLine) importer.tooLong(++k, text.bytes, sink, name);
      else importer.auxLine!(name, text, ++k, sink);
    }
  }
  for (const text of syncLines(file, MAX_LINE_BYTES, field)) {
    if (text instanceof LongLine) {
      importer.tooLong(++no, text.bytes, sink);
      continue;
    }
    sampleLine(seen, text);
    importer.line(text, ++no, sink);
    while (queue.length > 0) yield queue.shift()!;
  }
  importer.end(sink);
  while (queue.length > 0) yield queue.shift()!;
}

/** The framework (and role, for created ones) a job goes to, or a skip reason. */
type Route = { readonly framework: string; readonly role: string } | { readonly skip: string };

/** Routes a canonical job to a framework under the entry's mapping. */
function route(entry: TraceEntry, job: CanonicalJob): Route {
  if (entry.framework !== undefined) return { framework: entry.framework, role: '*' };
  if (entry.frameworkBy !== undefined) {
    const v = job.attrs?.[entry.frameworkBy];
    if (v === undefined) return { skip: `no-${entry.frameworkBy}` };
    const r = entry.roleBy === undefined ? undefined : job.attrs?.[entry.roleBy];
    return { framework: `${entry.frameworkPrefix}${v}`, role: r === undefined ? '*' : `${entry.rolePrefix}${r}` };
  }
  if (job.framework !== undefined) return { framework: job.framework, role: '*' };
  return { skip: 'no-framework' };
}

/** Frameworks a trace's frameworkBy creates: name and role, in order of first appearance. */
export function traceFrameworks(s: Scenario, index: number): { name: string; role: string }[] {
  const entry = (s.traces ?? [])[index]!;
  if (entry.frameworkBy === undefined) return [];
  const base = scenarioBase(s);
  const seen = new Map<string, string>();
  const from = entry.window.from;
  for (const { job } of canonicalJobs(entry, base, `traces[${index}].file`, false, () => undefined)) {
    if (job.submit < from) continue;
    if (entry.window.until !== undefined && job.submit >= entry.window.until) break;
    const r = route(entry, job);
    if ('framework' in r && !seen.has(r.framework)) seen.set(r.framework, r.role);
  }
  return [...seen.entries()].map(([name, role]) => ({ name, role }));
}

/** What the job stream of a trace needs from the rest of the run. */
export interface TraceContext {
  readonly agents: readonly AgentSpec[];
  /** the frameworks a job may be routed to (only `has` is asked) */
  readonly frameworks: Pick<ReadonlySet<string>, 'has'>;
  readonly streams: RandomStreams;
}

/**
 * The job stream of job trace `index`, lazily read; `counts` is updated as it is read (the run
 * manifest reports it). Jobs outside the window, sampled out, routed to no framework or with a
 * task that fits on no agent are skipped and counted (strict: an InputError at the first).
 */
export function traceJobStream(s: Scenario, index: number, ctx: TraceContext, counts: (get: () => TraceCounts) => void): Iterable<JobSpec> {
  const entry = (s.traces ?? [])[index]!;
  const name = entry.name ?? `trace-${index}`;
  const field = `traces[${index}].file`;
  return {
    [Symbol.iterator]: () =>
      mapped(entry, name, scenarioBase(s), field, index, ctx, counts, new Map(s.frameworks.map((f) => [f.name, slowdownOf(f.behaviour)]))),
  };
}

/** A behaviour's `remoteSlowdown` (default 1): a task may run that many times its duration. */
function slowdownOf(behaviour: Behaviour): number {
  return createBehaviour(behaviour).remoteSlowdown ?? 1;
}

function* mapped(
  entry: TraceEntry,
  name: string,
  base: string,
  field: string,
  index: number,
  ctx: TraceContext,
  report: (get: () => TraceCounts) => void,
  declared: ReadonlyMap<string, number>,
): Generator<JobSpec> {
  const path = resolve(base, entry.file);
  // The longest a task may take once started (its duration times its framework's remote
  // slowdown) is a span: a longer one would end beyond the latest time the event list holds.
  const createdSlowdown = slowdownOf(entry.behaviour);
  const maxSpan = MAX_SPAN_SECONDS * MICROS_PER_SECOND;
  const sample: Rng = ctx.streams.stream(`trace/${index}`);
  const placement: Rng = ctx.streams.stream(`placement/trace-${index}`);
  const agentNames = new Set(ctx.agents.map((a) => a.name));
  const rackNames = new Set(ctx.agents.map((a) => a.rack));
  const placementAgents: PlacementAgent[] = ctx.agents.map((a) => ({ name: a.name, rack: a.rack }));
  const placementIx = placementIndex(placementAgents);
  const blocks = new Map<string, readonly string[]>();
  const shapes = distinctShapes(ctx.agents);
  let read: () => ImportCounts = () => ({ lines: 0, ignored: 0, rows: 0, rowsUsed: 0, skipped: {}, jobs: 0, tasks: 0, notes: {} });
  let jobs = 0;
  let submitted = 0;
  let tasksSubmitted = 0;
  let unknownPreferences = 0;
  let complete = false;
  let last = -Infinity;
  const skipped = new Map<string, number>();
  report(() => ({
    name,
    file: entry.file,
    format: entry.format,
    read: read(),
    complete,
    jobs,
    submitted,
    tasksSubmitted,
    skipped: Object.fromEntries([...skipped.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    unknownPreferences,
  }));
  const skip = (reason: string, line: number, message: string): void => {
    if (entry.strict) throw new InputError([{ file: path, line, path: '', message: `${message} (${reason})` }]);
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const seen = reading();
  // A trace that gives the run no job is bad input, not a silent empty run: say why.
  const noJob = (): InputError => {
    const why =
      jobs === 0
        ? noJobReason(entry.format, read(), seen)
        : `none of its ${jobs} jobs was submitted (${[...skipped.entries()]
            .sort((a, b) => (a[0] < b[0] ? -1 : 1))
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`;
    return new InputError([{ file: path, path: field, message: `gives the run no job: ${why}` }]);
  };
  const { from, until } = entry.window;
  const sc = entry.scale;
  for (const { job, line } of canonicalJobs(
    entry,
    base,
    field,
    entry.strict,
    (get) => {
      read = get;
    },
    seen,
  )) {
    jobs++;
    if (job.submit < from) {
      skipped.set('before-window', (skipped.get('before-window') ?? 0) + 1);
      continue;
    }
    if (until !== undefined && job.submit >= until) {
      // Traces are in submit order: nothing later is in the window; the rest is not read.
      skipped.set('after-window', 1);
      if (submitted === 0) throw noJob();
      return;
    }
    const submit = Math.round((job.submit - from) * entry.timeScale * 1e6);
    if (!(submit <= MAX_TIME_SECONDS * MICROS_PER_SECOND)) {
      // Beyond the latest instant a run may reach (scenarios/limits.ts), so beyond the end of any
      // run: nothing later can arrive either (submit order); the rest is not read.
      skipped.set('after-end', 1);
      if (submitted === 0) throw noJob();
      return;
    }
    if (job.submit < last) {
      skip('out-of-order', line, `job ${job.id} was submitted at ${job.submit} s, before the previous job (${last} s)`);
      continue;
    }
    if (entry.sample < 1 && !(sample.next() < entry.sample)) {
      skipped.set('sampled-out', (skipped.get('sampled-out') ?? 0) + 1);
      continue;
    }
    const r = route(entry, job);
    if ('skip' in r) {
      skip(r.skip, line, `job ${job.id} names no framework (${r.skip})`);
      continue;
    }
    if (!ctx.frameworks.has(r.framework)) {
      skip('unknown-framework', line, `job ${job.id} goes to framework "${r.framework}", which the scenario does not declare`);
      continue;
    }
    const tasks: TaskSpec[] = [];
    let fits = true;
    let tooLong = 0;
    const slowdown = declared.get(r.framework) ?? createdSlowdown;
    for (const t of job.tasks) {
      const res = resources({ cpus: (t.cpus ?? 0) * sc.cpus, mem: (t.mem ?? 0) * sc.mem, disk: (t.disk ?? 0) * sc.disk, gpus: (t.gpus ?? 0) * sc.gpus });
      if (!shapes.some((a) => a.every((v, k) => v >= res[k]!))) {
        fits = false;
        break;
      }
      const duration = Math.max(1, seconds(t.duration)) as SimTime;
      if (duration * slowdown > maxSpan) {
        tooLong = t.duration;
        break;
      }
      let prefAgents: string[] = [];
      for (const a of t.preferredAgents ?? []) {
        if (agentNames.has(a)) prefAgents.push(a);
        else unknownPreferences++;
      }
      for (const b of t.blocks ?? []) {
        let where = blocks.get(b);
        if (where === undefined) {
          where = placeIndexed(placementIx, 3, placement).map((i) => placementAgents[i]!.name);
          blocks.set(b, where);
        }
        prefAgents = prefAgents.concat(where);
      }
      const racks: string[] = [];
      for (const rk of t.preferredRacks ?? []) {
        if (rackNames.has(rk)) racks.push(rk);
        else unknownPreferences++;
      }
      const spec: TaskSpec = {
        res,
        duration,
        ...(prefAgents.length > 0 ? { preferredAgents: [...new Set(prefAgents)] } : {}),
        ...(racks.length > 0 ? { preferredRacks: racks } : {}),
      };
      for (let c = 0; c < (t.count ?? 1); c++) tasks.push(spec);
    }
    if (tooLong > 0) {
      skip(
        'range',
        line,
        `job ${job.id} has a task of ${tooLong} s${slowdown === 1 ? '' : ` (${slowdown} times that when not node-local)`}, longer than the ${MAX_SPAN_SECONDS} s a task may run`,
      );
      continue;
    }
    if (!fits) {
      skip('fits-nowhere', line, `job ${job.id} has a task that fits on no agent of the cluster`);
      continue;
    }
    last = job.submit;
    submitted++;
    tasksSubmitted += tasks.length;
    yield { id: `${name}/${job.id}`, submit: submit as SimTime, framework: r.framework, tasks };
  }
  complete = true;
  if (submitted === 0) throw noJob();
}

/** The distinct resource vectors of the agents (a task fits on the cluster if it fits one). */
function distinctShapes(agents: readonly AgentSpec[]): Float64Array[] {
  const seen = new Map<string, Float64Array>();
  for (const a of agents) seen.set(Array.from(a.res).join(','), a.res as Float64Array);
  return [...seen.values()];
}

/** Agents of cluster trace `index` of the scenario, in file order, with its scale and limit applied. */
export function traceAgents(s: Scenario, index: number): AgentSpec[] {
  const entry = (s.cluster.traces ?? [])[index]!;
  const path = resolve(scenarioBase(s), entry.file);
  const field = `cluster.traces[${index}]`;
  checkTraceFile(path, `${field}.file`);
  // A cluster definition is held in memory anyway: a gzip one is decompressed whole.
  const lines = (): Iterable<LineItem> => {
    if (!isGzip(path, `${field}.file`)) return syncLines(path, MAX_LINE_BYTES, `${field}.file`);
    let bytes: Buffer;
    try {
      bytes = gunzipSync(readFileSync(path));
    } catch (err) {
      throw traceReadError(path, err, `${field}.file`);
    }
    const splitter = new LineSplitter(MAX_LINE_BYTES);
    return [...splitter.push(bytes), ...splitter.end()];
  };
  const out: CanonicalAgent[] = [];
  const fail = (p: RowProblem): never => {
    throw new InputError([{ file: path, line: p.line, path: '', message: `${p.message} (${p.reason})` }]);
  };
  const seen = reading();
  let counts: ImportCounts | undefined;
  if (entry.format === 'canonical') {
    let no = 0;
    for (const text of lines()) {
      no++;
      if (text instanceof LongLine)
        return fail({
          line: no,
          reason: 'line-too-long',
          message: `the line is ${text.bytes} bytes long, more than the ${MAX_LINE_BYTES / (1 << 20)} MiB a line may have`,
        });
      if (text.trim() === '') continue;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        fail({ line: no, reason: 'bad-line', message: `not JSON (${(err as Error).message})` });
      }
      const r = CanonicalAgentSchema.safeParse(data);
      if (!r.success) fail({ line: no, reason: 'bad-line', message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      else out.push(r.data);
    }
  } else {
    const fmt = traceFormat(entry.format);
    if (fmt === undefined || fmt.kind !== 'cluster') {
      throw new InputError([
        {
          file: path,
          path: `${field}.format`,
          message: `unknown cluster trace format "${entry.format}"; known: canonical, ${TRACE_FORMATS.filter((f) => f.kind === 'cluster')
            .map((f) => f.name)
            .join(', ')}`,
        },
      ]);
    }
    let importer: ClusterImporter;
    try {
      importer = fmt.create(entry.options);
    } catch (err) {
      throw new InputError([{ file: path, path: `${field}.options`, message: (err as Error).message }]);
    }
    // Bad rows of a cluster definition are skipped and counted by the importer (its counts), as
    // for jobs; the run cannot go on with an agent half read, so there is no partial agent.
    const sink = {
      agent: (a: CanonicalAgent): void => {
        out.push(a);
      },
      problem: (p: RowProblem): void => firstProblem(seen, p),
    };
    let no = 0;
    for (const text of lines()) {
      if (text instanceof LongLine) {
        importer.tooLong(++no, text.bytes, sink);
        continue;
      }
      sampleLine(seen, text);
      importer.line(text, ++no, sink);
    }
    importer.end(sink);
    counts = importer.counts();
  }
  if (out.length === 0) {
    const why =
      counts === undefined
        ? 'the file holds no agent'
        : (unusableTrace(entry.format, counts, seen.sample, seen.first, 'scenario') ?? 'the file holds no agent');
    throw new InputError([{ file: path, path: `${field}.file`, message: `gives the cluster no agent: ${why}` }]);
  }
  const limited = entry.limit === undefined ? out : out.slice(0, entry.limit);
  const sc = entry.scale;
  return limited.map((a) => ({
    name: a.name,
    rack: a.rack ?? '',
    res: resources({ cpus: a.cpus * sc.cpus, mem: a.mem * sc.mem, disk: (a.disk ?? 0) * sc.disk, gpus: (a.gpus ?? 0) * sc.gpus }),
  }));
}
