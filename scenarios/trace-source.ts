/**
 * Trace files read during a run: job traces (canonical or raw, through their importer) become a
 * lazily read job stream with the scenario's mapping (framework, window, time scale, sample,
 * resource scale); cluster traces become agents. Files are read synchronously in chunks, a line
 * at a time, so a trace larger than memory still runs. Gzip files are decompressed once, as a
 * stream, into a temporary plain file by {@link prepareTraces} (called by openScenario), removed
 * when the process exits. Composition root: this is where trace files are touched.
 */
import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { RandomStreams, type Rng } from '../sim/kernel/rng.js';
import { seconds, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec, TaskSpec } from '../sim/model/job.js';
import { resources } from '../sim/model/resources.js';
import type { AgentSpec } from '../sim/model/simulation.js';
import { placeIndexed, placementIndex, type PlacementAgent } from '../workloads/placement.js';
import { parseCanonicalLine, type CanonicalJob } from '../workloads/trace/canonical.js';
import { CanonicalAgentSchema, type CanonicalAgent, type ClusterImporter } from '../workloads/trace/cluster.js';
import type { ImportCounts, RowProblem, TraceImporter } from '../workloads/trace/importer.js';
import { TRACE_FORMATS, traceFormat } from '../workloads/trace/registry.js';
import { InputError } from './errors.js';
import type { Scenario } from './schema.js';

/** A job trace entry of the scenario. */
export type TraceEntry = NonNullable<Scenario['traces']>[number];
/** A cluster trace entry of the scenario. */
export type ClusterTraceEntry = NonNullable<Scenario['cluster']['traces']>[number];

/** Scenario objects to the directory their relative paths are resolved against (set by the loader). */
const bases = new WeakMap<object, string>();

/** Records that `scenario`'s relative paths (traces, modules) are relative to `dir`. */
export function setScenarioBase(scenario: object, dir: string): void {
  bases.set(scenario, dir);
}

/** The directory relative trace paths of `scenario` resolve against: its file's, else the working directory. */
export function scenarioBase(scenario: object): string {
  return bases.get(scenario) ?? process.cwd();
}

/** Plain copies of gzip traces, by absolute path. */
const plainCopies = new Map<string, string>();
let tmpDir: string | undefined;

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Decompresses every gzip job trace the scenario names into a temporary plain file, as a
 * stream; the synchronous readers then use it. Missing files are reported with the field that
 * names them. (Cluster traces are small and read whole.)
 */
export async function prepareTraces(s: Scenario, scenarioFile: string): Promise<void> {
  const base = dirname(resolve(scenarioFile));
  setScenarioBase(s, base);
  const files: { path: string; field: string }[] = [];
  (s.traces ?? []).forEach((t, i) => {
    files.push({ path: resolve(base, t.file), field: `traces[${i}].file` });
    // Auxiliary inputs are options holding paths (Google 2011's jobEvents).
    const fmt = traceFormat(t.format);
    for (const name of fmt?.kind === 'jobs' ? fmt.auxInputs ?? [] : []) {
      const aux = t.options[name];
      if (typeof aux === 'string') files.push({ path: resolve(base, aux), field: `traces[${i}].options.${name}` });
    }
  });
  for (const f of files) {
    if (!existsSync(f.path)) throw new InputError([{ file: scenarioFile, path: f.field, message: `no such file: ${f.path}` }]);
    if (plainCopies.has(f.path) || !isGzip(f.path)) continue;
    if (tmpDir === undefined) {
      tmpDir = mkdtempSync(join(tmpdir(), 'offersim-traces-'));
      const dir = tmpDir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    const plain = join(tmpDir, `${plainCopies.size}-${basename(f.path).replace(/\.gz$/i, '')}`);
    await pipeline(createReadStream(f.path), createGunzip(), createWriteStream(plain));
    plainCopies.set(f.path, plain);
  }
}

/** The plain file to read for `path` (its decompressed copy for a prepared gzip file). */
function readablePath(path: string, field: string): string {
  const copy = plainCopies.get(path);
  if (copy !== undefined) return copy;
  if (!existsSync(path)) throw new InputError([{ file: path, path: field, message: 'no such file' }]);
  if (isGzip(path)) {
    throw new InputError([{ file: path, path: field, message: 'a gzip trace is decompressed when the scenario is opened: load the scenario with openScenario() (the CLI does)' }]);
  }
  return path;
}

/** Lines of a plain file, read in 1 MB chunks, without line endings (a final empty line is not yielded). */
export function* syncLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      // A multi-byte character split across chunks: decode up to the last newline only.
      const text = rest + chunk.toString('utf8', 0, n);
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        rest = text;
        continue;
      }
      const lines = text.slice(0, cut).split('\n');
      rest = text.slice(cut + 1);
      for (const l of lines) yield l.endsWith('\r') ? l.slice(0, -1) : l;
    }
    if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
  } finally {
    closeSync(fd);
  }
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

/** A job trace's canonical jobs with their line numbers, through its importer or the canonical parser. */
function* canonicalJobs(entry: TraceEntry, base: string, field: string, strict: boolean, onRead: (get: () => ImportCounts) => void): Generator<{ job: CanonicalJob; line: number }> {
  const path = resolve(base, entry.file);
  const file = readablePath(path, field);
  const fail = (p: RowProblem): never => {
    throw new InputError([{ file: path, line: p.line, path: '', message: `${p.message} (${p.reason})` }]);
  };
  if (entry.format === 'canonical') {
    let lines = 0;
    let ignored = 0;
    let bad = 0;
    let no = 0;
    let tasks = 0;
    onRead(() => ({ lines, ignored, rows: lines - ignored, rowsUsed: lines - ignored - bad, skipped: bad > 0 ? { 'bad-line': bad } : {}, jobs: lines - ignored - bad, tasks, notes: {} }));
    for (const text of syncLines(file)) {
      no++;
      lines++;
      if (text.trim() === '') {
        ignored++;
        continue;
      }
      const r = parseCanonicalLine(text);
      if ('problem' in r) {
        if (strict) fail({ line: no, reason: 'bad-line', message: r.problem });
        bad++;
        continue;
      }
      for (const t of r.job.tasks) tasks += t.count ?? 1;
      yield { job: r.job, line: no };
    }
    return;
  }
  const fmt = traceFormat(entry.format);
  if (fmt === undefined || fmt.kind !== 'jobs') {
    throw new InputError([{ file: path, path: `${field.replace(/\.file$/, '')}.format`, message: `unknown job trace format "${entry.format}"; known: canonical, ${TRACE_FORMATS.filter((f) => f.kind === 'jobs').map((f) => f.name).join(', ')}` }]);
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
  const sink = {
    job: (job: CanonicalJob): void => { queue.push({ job, line: no }); },
    problem: (p: RowProblem): void => { if (strict) fail(p); },
  };
  for (const name of importer.auxInputs ?? []) {
    const aux = entry.options[name];
    if (typeof aux !== 'string') continue;
    // Relative to the scenario file, as the trace's own path.
    const auxPath = resolve(base, aux);
    let k = 0;
    for (const text of syncLines(readablePath(auxPath, `${field.replace(/\.file$/, '')}.options.${name}`))) importer.auxLine!(name, text, ++k, sink);
  }
  for (const text of syncLines(file)) {
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
  readonly frameworks: ReadonlySet<string>;
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
  const path = resolve(scenarioBase(s), entry.file);
  const field = `traces[${index}].file`;
  return {
    [Symbol.iterator]: () => mapped(entry, name, scenarioBase(s), field, index, ctx, counts),
  };
}

function* mapped(entry: TraceEntry, name: string, base: string, field: string, index: number, ctx: TraceContext, report: (get: () => TraceCounts) => void): Generator<JobSpec> {
  const path = resolve(base, entry.file);
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
    name, file: entry.file, format: entry.format, read: read(), complete, jobs, submitted, tasksSubmitted,
    skipped: Object.fromEntries([...skipped.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))), unknownPreferences,
  }));
  const skip = (reason: string, line: number, message: string): void => {
    if (entry.strict) throw new InputError([{ file: path, line, path: '', message: `${message} (${reason})` }]);
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const { from, until } = entry.window;
  const sc = entry.scale;
  for (const { job, line } of canonicalJobs(entry, base, field, entry.strict, (get) => { read = get; })) {
    jobs++;
    if (job.submit < from) {
      skipped.set('before-window', (skipped.get('before-window') ?? 0) + 1);
      continue;
    }
    if (until !== undefined && job.submit >= until) {
      // Traces are in submit order: nothing later is in the window; the rest is not read.
      skipped.set('after-window', 1);
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
    for (const t of job.tasks) {
      const res = resources({ cpus: (t.cpus ?? 0) * sc.cpus, mem: (t.mem ?? 0) * sc.mem, disk: (t.disk ?? 0) * sc.disk, gpus: (t.gpus ?? 0) * sc.gpus });
      if (!shapes.some((a) => a.every((v, k) => v >= res[k]!))) {
        fits = false;
        break;
      }
      const duration = Math.max(1, seconds(t.duration)) as SimTime;
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
        res, duration,
        ...(prefAgents.length > 0 ? { preferredAgents: [...new Set(prefAgents)] } : {}),
        ...(racks.length > 0 ? { preferredRacks: racks } : {}),
      };
      for (let c = 0; c < (t.count ?? 1); c++) tasks.push(spec);
    }
    if (!fits) {
      skip('fits-nowhere', line, `job ${job.id} has a task that fits on no agent of the cluster`);
      continue;
    }
    last = job.submit;
    submitted++;
    tasksSubmitted += tasks.length;
      yield { id: `${name}/${job.id}`, submit: Math.round((job.submit - from) * entry.timeScale * 1e6) as SimTime, framework: r.framework, tasks };
  }
  complete = true;
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
  if (!existsSync(path)) throw new InputError([{ file: path, path: `${field}.file`, message: 'no such file' }]);
  // A cluster definition is held in memory anyway: a gzip one is decompressed whole.
  const lines = (): Iterable<string> => (isGzip(path) ? gunzipSync(readFileSync(path)).toString('utf8').split(/\r?\n/) : syncLines(path));
  const out: CanonicalAgent[] = [];
  const fail = (p: RowProblem): never => {
    throw new InputError([{ file: path, line: p.line, path: '', message: `${p.message} (${p.reason})` }]);
  };
  if (entry.format === 'canonical') {
    let no = 0;
    for (const text of lines()) {
      no++;
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
      throw new InputError([{ file: path, path: `${field}.format`, message: `unknown cluster trace format "${entry.format}"; known: canonical, ${TRACE_FORMATS.filter((f) => f.kind === 'cluster').map((f) => f.name).join(', ')}` }]);
    }
    let importer: ClusterImporter;
    try {
      importer = fmt.create(entry.options);
    } catch (err) {
      throw new InputError([{ file: path, path: `${field}.options`, message: (err as Error).message }]);
    }
    // Bad rows of a cluster definition are skipped and counted by the importer (its counts), as
    // for jobs; the run cannot go on with an agent half read, so there is no partial agent.
    const sink = { agent: (a: CanonicalAgent): void => { out.push(a); }, problem: (): void => undefined };
    let no = 0;
    for (const text of lines()) importer.line(text, ++no, sink);
    importer.end(sink);
  }
  const limited = entry.limit === undefined ? out : out.slice(0, entry.limit);
  const sc = entry.scale;
  return limited.map((a) => ({
    name: a.name,
    rack: a.rack ?? '',
    res: resources({ cpus: a.cpus * sc.cpus, mem: a.mem * sc.mem, disk: (a.disk ?? 0) * sc.disk, gpus: (a.gpus ?? 0) * sc.gpus }),
  }));
}
