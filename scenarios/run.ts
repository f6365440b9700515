/**
 * Runs one scenario and writes its run directory (DESIGN.md section 6) atomically: everything is
 * written into a temporary sibling directory that replaces the target only when complete, so a
 * failed run never leaves output that looks finished. The target is replaced only when it is
 * absent, empty or an offersim run directory (scenarios/output-guard.ts). The time series and
 * events.jsonl are written to disk while the run goes, so memory does not grow with the run's
 * length; a file-system failure on any output is an OutputError (exit 2) naming the file, even
 * when it happens inside an event (scenarios/output-files.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InvariantError } from '../sim/kernel/errors.js';
import { toSeconds } from '../sim/kernel/time.js';
import type { JobSpec } from '../sim/model/job.js';
import type { LogRecord, LogSink } from '../sim/model/log.js';
import { simulate, type SimulationResult } from '../sim/model/simulation.js';
import {
  Fingerprint,
  MetricsFold,
  frameworksCsv,
  summaryJson,
  type MetricsFoldOptions,
  type MetricsResult,
  type ResourceName,
  type Sample,
} from '../reports/index.js';
import { TimeseriesLayout, timeseriesDraft, writeJobsCsv } from '../reports/writers.js';
import { seconds } from '../sim/kernel/time.js';
import { buildSimulation } from './build.js';
import { InputError } from './errors.js';
import { scenarioBase, setScenarioBase } from './trace-files.js';
import type { TraceCounts } from './trace-source.js';
import type { LoadedScenario, ResolvedAllocator } from './loader.js';
import { checkRunOut, defaultOutDir } from './output-guard.js';
import { fileLines, makeDirs, onOutput, OutputStream, systemErrorCode, writeOutputFile } from './output-files.js';
import { claimPartial, releaseTemp } from './temp-files.js';
import { allocatorSpec, type Scenario } from './schema.js';
import { resolveModulePath } from './user-allocator.js';
import { VERSION } from './version.js';
import { peakRssBytes } from './peak-rss.js';
import { traceFormat } from '../workloads/trace/registry.js';
import { mergeBySubmit } from '../workloads/poisson.js';
import { RunProgress, type ProgressOptions } from './progress.js';
import { FoldThread, foldWorkerUrl } from './fold-thread.js';

/** Options of one run. */
export interface RunOptions {
  /** output directory; default `runs/<scenario name>` */
  readonly out?: string | undefined;
  /**
   * replace the output directory even when it is not an offersim run directory (everything in it
   * is deleted; never the current directory, an ancestor of it, or a directory holding an input);
   * default false
   */
  readonly force?: boolean | undefined;
  /** seed override; default the scenario's seed */
  readonly seed?: number | undefined;
  /** also write events.jsonl (every log record); default false */
  readonly events?: boolean | undefined;
  /** show progress (stderr) while the run goes; default none. Nothing of it reaches the run directory */
  readonly progress?: Omit<ProgressOptions, 'endSeconds'> | undefined;
  /** fold the metrics in a worker thread (see {@link SimulateOptions.foldThread}); default false. The files are the same */
  readonly foldThread?: boolean | undefined;
}

/** What a run produced. */
export interface RunOutcome {
  /** the run directory written */
  readonly dir: string;
  readonly seed: number;
  readonly fingerprint: string;
  /** log records */
  readonly records: number;
  /** kernel events */
  readonly events: number;
  /** simulated end time, seconds */
  readonly endSeconds: number;
  readonly reason: 'completed' | 'duration';
  readonly wallSeconds: number;
  /** summary.json's metrics, as written */
  readonly summary: Readonly<Record<string, number | string | null>>;
}

/** Writer of events.jsonl: one JSON object a line, written in large chunks as the run goes. */
class JsonlSink implements LogSink {
  constructor(private readonly out: OutputStream) {}
  record(r: LogRecord): void {
    this.out.write(`${JSON.stringify(r)}\n`);
  }
}

/** A stable JSON text: 2-space indent and a final newline. Key order is the objects' own. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A scenario without its sweep block: what one run (`offersim run`, or a sweep's point) runs. */
export function withoutSweep(s: Scenario): Scenario {
  if (s.sweep === undefined) return s;
  const { sweep: _sweep, ...rest } = s;
  const point = rest as Scenario;
  setScenarioBase(point, scenarioBase(s));
  return point;
}

/** The scenario's name: its `name`, else the file name without extension. */
export function scenarioName(loaded: LoadedScenario): string {
  return loaded.scenario.name ?? basename(loaded.file).replace(/\.(ya?ml|json)$/i, '');
}

/** One simulation of a loaded scenario, in memory: what {@link simulateScenario} returns. */
export interface SimulationOutcome {
  readonly seed: number;
  readonly result: SimulationResult;
  readonly metrics: MetricsResult;
  /** the event stream's fingerprint */
  readonly fingerprint: string;
  /** log records */
  readonly records: number;
  /** wall time of the simulation, seconds (never part of a deterministic output) */
  readonly wallSeconds: number;
  /** what the run read of each job trace (empty without traces) */
  readonly traces: readonly TraceCounts[];
  /** the allocator that ran (manifest.json `allocator`) */
  readonly allocator: AllocatorRecord;
  /** whether the metrics were folded in a worker thread ({@link SimulateOptions.foldThread}) */
  readonly foldThread: boolean;
}

/** manifest.json `allocator`: the policy a run created, by its entry's name, and its module (null for a registered policy). */
export interface AllocatorRecord {
  readonly name: string;
  readonly module: string | null;
}

/** Options of {@link simulateScenario}. */
export interface SimulateOptions {
  /** seed override; default the scenario's seed */
  readonly seed?: number | undefined;
  /** more sinks for the log, after the metric fold and the fingerprint; default none */
  readonly sinks?: readonly LogSink[] | undefined;
  /** keep the time-series samples in the metrics; default true */
  readonly keepSamples?: boolean | undefined;
  /** called with each time-series sample as soon as its interval is over; default none */
  readonly onSample?: ((sample: Sample) => void) | undefined;
  /**
   * fold the metrics, the fingerprint and the record count in a worker thread, on another core,
   * with the same results (scenarios/fold-thread.ts); default false. Ignored where the worker's
   * module is not beside this one (the sources run under a test runner).
   */
  readonly foldThread?: boolean | undefined;
  /** jobs besides the scenario's own (in submit order, consumed lazily; ties go to the scenario's): a generated workload no scenario field describes, as the benchmark's month; default none */
  readonly jobs?: Iterable<JobSpec> | undefined;
}

/**
 * What the metric fold of a run of `s` needs from the scenario: the time-series row length and
 * the resources its allocator leaves out of fairness (also left out of the reported shares).
 * A replay of the run's events.jsonl (reports/replay.ts) needs the same options.
 */
export function metricsFoldOptions(s: Scenario): MetricsFoldOptions {
  return { sampleInterval: seconds(s.output.sampleInterval), excludedResources: allocatorSpec(s.allocator).excludedResources as readonly ResourceName[] };
}

/**
 * Simulates a loaded scenario and folds its metrics, writing nothing. A scenario whose allocator
 * is a user module must come from `openScenario` (which imports it).
 */
export function simulateScenario(loaded: LoadedScenario, options: SimulateOptions = {}): SimulationOutcome {
  const s = loaded.scenario;
  const seed = options.seed ?? s.seed;
  const allocator = resolvedAllocator(loaded);
  const foldOptions: MetricsFoldOptions = {
    ...metricsFoldOptions(s),
    keepSamples: options.keepSamples ?? true,
    ...(options.onSample === undefined ? {} : { onSample: options.onSample }),
  };
  const workerUrl = options.foldThread === true ? foldWorkerUrl() : undefined;
  // The folds in a worker thread (same results), or here: the metric fold, the fingerprint, a count.
  const thread = workerUrl === undefined ? undefined : new FoldThread(workerUrl, foldOptions);
  const fold = thread === undefined ? new MetricsFold(foldOptions) : undefined;
  const fingerprint = new Fingerprint();
  let records = 0;
  const counter: LogSink = {
    record: () => {
      records++;
    },
    block: (b) => {
      records += b.length;
    },
  };
  const sinks: LogSink[] = [...(thread === undefined ? [fold!, fingerprint, counter] : [thread]), ...(options.sinks ?? [])];
  const traceCounts: (() => TraceCounts)[] = [];
  checkAllocator(loaded, allocator);
  const built = buildSimulation(s, seed, sinks, allocator.entry, (get) => traceCounts.push(get));
  const extra = options.jobs;
  const input = extra === undefined ? built : { ...built, jobs: { [Symbol.iterator]: () => mergeBySubmit([built.jobs, extra]) } };
  const t0 = performance.now();
  let result: SimulationResult;
  let metrics: MetricsResult;
  let digest: string;
  try {
    result = simulate(input);
    if (thread !== undefined) {
      ({ metrics, digest, records } = thread.finish());
    } else {
      metrics = fold!.finish();
      digest = fingerprint.digest();
    }
  } catch (err) {
    throw environmentCause(err) ?? err;
  } finally {
    thread?.close();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  return {
    seed,
    result,
    metrics,
    fingerprint: digest,
    records,
    wallSeconds,
    traces: traceCounts.map((g) => g()),
    allocator: { name: allocator.entry.name, module: allocator.module?.spec ?? null },
    foldThread: thread?.threaded === true,
  };
}

/**
 * The bad input or environment failure behind an error, if any: an InputError (an OutputError
 * among them) or a failed system call thrown inside an event reaches the caller wrapped in the
 * kernel's InvariantError, but it is no broken invariant: the user must hear about the file or
 * the system, not about a bug (exit 2, not 3).
 */
function environmentCause(err: unknown): unknown {
  let e: unknown = err;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof InputError || systemErrorCode(e) !== undefined) return e;
  }
  return undefined;
}

/**
 * The allocator a run creates must be the one its scenario names: the entry of that name (not a
 * module), or the module at that path. Throws InvariantError (exit 3) otherwise, before any
 * event, so that results can never be recorded under a policy that did not produce them.
 */
function checkAllocator(loaded: LoadedScenario, a: ResolvedAllocator): void {
  const spec = allocatorSpec(loaded.scenario.allocator);
  const runs = a.module === undefined ? `the entry "${a.entry.name}"` : `the module ${a.module.path}`;
  let problem: string | undefined;
  if (spec.module !== undefined) {
    const path = resolveModulePath(spec.module, loaded.file);
    if (a.module?.path !== path) problem = `the scenario names the allocator module ${path}, but the run would create ${runs}`;
  } else if (a.module !== undefined || a.entry.name !== spec.name) {
    problem = `the scenario names the allocator "${String(spec.name)}", but the run would create ${runs}`;
  }
  if (problem !== undefined) throw new InvariantError(problem, 0, '');
}

function resolvedAllocator(loaded: LoadedScenario): ResolvedAllocator {
  if (loaded.allocator !== undefined) return loaded.allocator;
  throw new Error(`${loaded.file}: the allocator is a user module, which loadScenario() does not import: load the scenario with openScenario()`);
}

/** The trace files a scenario reads (auxiliary inputs included): as the scenario gives them, and resolved. */
function traceFiles(loaded: LoadedScenario): { file: string; path: string }[] {
  const s = loaded.scenario;
  const base = dirname(resolve(loaded.file));
  const files = [...(s.cluster.traces ?? []), ...(s.traces ?? [])].map((t) => ({ file: t.file, path: resolve(base, t.file) }));
  // A job trace's auxiliary inputs: options holding paths (Google 2011's jobEvents).
  for (const t of s.traces ?? []) {
    const fmt = traceFormat(t.format);
    for (const name of fmt?.kind === 'jobs' ? (fmt.auxInputs ?? []) : []) {
      const aux = t.options[name];
      if (typeof aux === 'string') files.push({ file: aux, path: resolve(base, aux) });
    }
  }
  return files;
}

/**
 * manifest.json `inputs`: every file the run read besides the scenario, with its hash (paths as
 * the scenario gives them). `hashes` (absolute path to sha256) spares hashing a file twice.
 */
export function inputFiles(loaded: LoadedScenario, hashes?: Map<string, string>): { file: string; sha256: string }[] {
  const m = loaded.allocator?.module;
  const hash = (path: string): string => {
    let h = hashes?.get(path);
    if (h === undefined) {
      h = fileSha256(path);
      hashes?.set(path, h);
    }
    return h;
  };
  const traces = traceFiles(loaded).map((t) => ({ file: t.file, sha256: hash(t.path) }));
  return [...(m === undefined ? [] : [{ file: m.spec, sha256: m.sha256 }]), ...traces];
}

/** Every file a run reads: the scenario, its allocator module, its traces (absolute paths). */
function inputPaths(loaded: LoadedScenario): string[] {
  const m = loaded.allocator?.module;
  return [resolve(loaded.file), ...(m === undefined ? [] : [m.path]), ...traceFiles(loaded).map((t) => t.path)];
}

/** sha256 of a file's bytes, read in chunks. */
function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** The draft of timeseries.csv in the temporary directory: its rows as the run streams them ({@link writeTimeseries}). */
const TIMESERIES_DRAFT = 'timeseries.draft';

/**
 * Runs a loaded scenario (without its sweep block) and writes its run directory. Throws
 * InputError (exit 2) when the directory may not be replaced (see {@link checkRunOut}), before
 * anything is written; OutputError (an InputError) when the file system refuses an output;
 * InvariantError (exit 3) on a bug.
 */
export function runScenario(loaded: LoadedScenario, options: RunOptions = {}): RunOutcome {
  const s = withoutSweep(loaded.scenario);
  const run: LoadedScenario = s === loaded.scenario ? loaded : { ...loaded, scenario: s };
  resolvedAllocator(run);
  const given = options.out ?? defaultOutDir(scenarioName(run));
  const guard = { force: options.force, inputs: inputPaths(run) };
  onOutput(given, 'use it as the run directory', () => checkRunOut(given, guard));
  const dir = resolve(given);
  // Leftovers of runs into the same place by processes that no longer exist go first.
  const tmp = onOutput(dir, 'create the run directory', () => claimPartial(dir));
  // Files being written, given up (closed) if the run fails.
  const open: OutputStream[] = [];
  const stream = (name: string, shown = name): OutputStream => {
    const s = new OutputStream(join(tmp, name), join(dir, shown));
    open.push(s);
    return s;
  };
  try {
    makeDirs(tmp, dir, 'create the run directory');
    const events = options.events === true ? stream('events.jsonl') : undefined;
    // timeseries.csv's rows as they come, before its columns (the frameworks) are known.
    const series = stream(TIMESERIES_DRAFT, 'timeseries.csv');
    const ids = { min: Infinity, max: -1 };
    const onSample = (x: Sample): void => {
      ids.min = Math.min(ids.min, x.shares.length);
      ids.max = Math.max(ids.max, x.shares.length);
      series.write(`${timeseriesDraft(x)}\n`);
    };
    const progress = options.progress === undefined ? undefined : new RunProgress({ ...options.progress, endSeconds: s.duration });
    const sinks: LogSink[] = [...(events === undefined ? [] : [new JsonlSink(events)]), ...(progress === undefined ? [] : [progress])];
    let sim: SimulationOutcome;
    try {
      sim = simulateScenario(run, { seed: options.seed, sinks, keepSamples: false, onSample, foldThread: options.foldThread });
    } finally {
      progress?.finish();
    }
    const { seed, result, metrics, records } = sim;
    const wall = sim.wallSeconds;
    const digest = sim.fingerprint;
    events?.close();
    series.close();
    const summaryText = summaryJson(metrics.summary);
    writeOutputFile(join(tmp, 'summary.json'), summaryText, join(dir, 'summary.json'));
    const jobs = stream('jobs.csv');
    writeJobsCsv(metrics.jobs, (text) => jobs.write(text));
    jobs.close();
    writeOutputFile(join(tmp, 'frameworks.csv'), frameworksCsv(metrics.frameworks), join(dir, 'frameworks.csv'));
    writeTimeseries(tmp, dir, new TimeseriesLayout(metrics.frameworks), ids);
    const manifest = {
      offersim: VERSION,
      scenario: { name: scenarioName(run), file: basename(run.file), sha256: run.sha256, overrides: run.overrides },
      seed,
      allocator: sim.allocator,
      inputs: inputFiles(run),
      records,
      events: result.events,
      endTime: toSeconds(result.endTime),
      endReason: result.reason,
      jobsSubmitted: result.jobsSubmitted,
      jobsFinished: result.jobsFinished,
      ...(sim.traces.length > 0 ? { traces: sim.traces } : {}),
      fingerprint: digest,
      resolved: s,
    };
    // The scenario file as the user wrote it (its sha256 is the manifest's): YAML reads JSON too.
    writeOutputFile(join(tmp, 'scenario.yaml'), run.text, join(dir, 'scenario.yaml'));
    writeOutputFile(join(tmp, 'manifest.json'), stableJson(manifest), join(dir, 'manifest.json'));
    const mem = process.memoryUsage();
    writeOutputFile(
      join(tmp, 'timing.json'),
      stableJson({
        wallSeconds: wall,
        eventsPerSecond: wall > 0 ? result.events / wall : null,
        recordsPerSecond: wall > 0 ? records / wall : null,
        peakRssBytes: peakRssBytes(),
        heapUsedBytes: mem.heapUsed,
        foldThread: sim.foldThread,
        node: process.version,
      }),
      join(dir, 'timing.json'),
    );
    onOutput(dir, 'replace the run directory', () => {
      // Again, now: the directory may have changed while the simulation ran.
      checkRunOut(dir, guard);
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      makeDirs(dirname(dir), dir);
      renameSync(tmp, dir);
    });
    releaseTemp(tmp);
    return {
      dir,
      seed,
      fingerprint: digest,
      records,
      events: result.events,
      endSeconds: toSeconds(result.endTime),
      reason: result.reason,
      wallSeconds: wall,
      summary: JSON.parse(summaryText) as Record<string, number | string | null>,
    };
  } catch (err) {
    for (const s of open) s.abandon();
    try {
      rmSync(tmp, { recursive: true, force: true });
      releaseTemp(tmp);
    } catch {
      // left for the exit hook, or the next run into the same place
    }
    throw err;
  }
}

/**
 * Writes timeseries.csv and timeseries-long.csv from the draft: the headers, then each row with
 * the run's framework columns, and its cells one per row. When every row already has them (the
 * frameworks are ids 0 to n - 1 and every sample had n), the draft is copied as it is; otherwise
 * each row is laid out again. Either way in chunks, never as one string; the draft is removed.
 */
function writeTimeseries(tmp: string, dir: string, layout: TimeseriesLayout, ids: { readonly min: number; readonly max: number }): void {
  const draft = join(tmp, TIMESERIES_DRAFT);
  const out = new OutputStream(join(tmp, 'timeseries.csv'), join(dir, 'timeseries.csv'));
  const long = new OutputStream(join(tmp, 'timeseries-long.csv'), join(dir, 'timeseries-long.csv'));
  try {
    out.write(layout.header);
    long.write(layout.longHeader);
    const verbatim = ids.max < 0 || (ids.min === ids.max && layout.verbatim(ids.max));
    if (verbatim) out.copyFrom(draft);
    for (const line of fileLines(draft, join(dir, 'timeseries.csv'))) {
      if (!verbatim) out.write(layout.row(line));
      long.write(layout.longRows(line));
    }
    out.close();
    long.close();
  } finally {
    out.abandon();
    long.abandon();
  }
  onOutput(join(dir, 'timeseries.csv'), 'remove its draft', () => rmSync(draft));
}
