/**
 * Sweeps: a scenario's `sweep` block (a matrix of parameter values, or a list of points, times
 * seeds) run point by point, each into its own run directory under a content hash of its
 * resolved scenario, so that a rerun skips what is done and any split of the points (worker
 * threads, shards, Slurm array tasks) gives the same files. `sweep.csv` (a row per point) and
 * `summary.csv` (per parameter combination, the mean and a 95% confidence interval across seeds
 * of every metric) are computed from the point directories alone, in point order. Each point
 * runs the scenario its own overrides make, allocator included (scenarios/run.ts checks that the
 * allocator created is the one named), and a point directory is reused only when its manifest
 * is that of the very point. Composition root: files, worker threads, the wall clock for progress.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, cpSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { fmt } from '../reports/format.js';
import { ExitCode, InputError, OutputError, excerpt, inputErrorOf, formatPath, type Problem } from './errors.js';
import { openScenario, scenarioLocator, type LoadedScenario, type ModuleCache } from './loader.js';
import { checkMergeOut, checkSweepOut, defaultOutDir, sweepDirProblem } from './output-guard.js';
import { makeDirs, onOutput, writeAtomic, writeOutputFile } from './output-files.js';
import { inputFiles, runScenario, scenarioName, stableJson, withoutSweep, type AllocatorRecord } from './run.js';
import type { Scenario } from './schema.js';
import { claimPartial, releaseTemp, removeStalePartialsIn } from './temp-files.js';
import { VERSION } from './version.js';
import { readJsonObject } from './json-file.js';

/**
 * The revision of what a point computes, part of every point's hash: raised whenever a fix
 * changes the results of a point whose scenario, seed and offersim version are unchanged, so
 * that a sweep directory written before the fix is never reused (docs/sweeps.md). Revision 2:
 * each point runs the allocator its own scenario names (before, every point ran the base's).
 */
export const RESULTS_REVISION = 2;

/** One point of a sweep: its overrides (dotted path -> value) and seed. */
export interface SweepPoint {
  /** position in the sweep's full point list (0-based) */
  readonly index: number;
  /** the swept parameters of this point, in the matrix's key order */
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** content hash of the resolved scenario, seed and inputs: the point's directory name */
  readonly hash: string;
}

/** Opens the scenario of one parameter combination from its overrides (see {@link pointOpener}). */
export type PointOpener = (overrides: readonly string[]) => Promise<LoadedScenario>;

/**
 * Opens the points of scenario `file`, each combination once: the file with the point's
 * overrides, validated as `offersim run` validates it, with the allocator it names (a registered
 * policy with its params, or a user module, each distinct module imported once through
 * `modules`), without its sweep block. What a point runs is exactly what `offersim run FILE
 * --set ...` with the same overrides runs.
 */
export function pointOpener(file: string, modules: ModuleCache = new Map()): PointOpener {
  const opened = new Map<string, Promise<LoadedScenario>>();
  return (overrides) => {
    const key = JSON.stringify(overrides);
    let p = opened.get(key);
    if (p === undefined) {
      p = openScenario(file, overrides, modules).then((l) => ({ ...l, scenario: withoutSweep(l.scenario) }));
      opened.set(key, p);
    }
    return p;
  };
}

/** A point's overrides: the sweep's own, then the point's parameters as `key=<JSON value>`. */
export function pointOverrides(baseOverrides: readonly string[], params: Readonly<Record<string, unknown>>): string[] {
  return [...baseOverrides, ...Object.entries(params).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
}

/** The parameter combinations and seeds of a sweep block, in order. */
function sweepAxes(file: string, s: Scenario): { combos: Record<string, unknown>[]; seeds: number[] } {
  const sw = s.sweep;
  if (sw === undefined) throw new InputError([{ file, path: 'sweep', message: 'the scenario has no sweep block (give sweep.matrix or sweep.points, and sweep.seeds)' }]);
  const combos: Record<string, unknown>[] = sw.points !== undefined ? sw.points.map((p) => ({ ...p })) : cross(sw.matrix ?? {});
  const seeds = typeof sw.seeds === 'number' ? Array.from({ length: sw.seeds }, (_, i) => i + 1) : sw.seeds ?? [s.seed];
  return { combos, seeds };
}

/** How many points the sweep block of `s` has (combinations x seeds). */
export function sweepSize(file: string, s: Scenario): number {
  const { combos, seeds } = sweepAxes(file, s);
  return combos.length * seeds.length;
}

/**
 * The points of a loaded scenario's sweep, in order: matrix (or list) outermost, seeds innermost.
 * Every parameter combination is opened (validated) as its point runs it; throws InputError with
 * the problems of every combination that does not validate, each at the sweep key (and value)
 * it comes from (see {@link sweepProblem}).
 */
export async function sweepPoints(file: string, baseOverrides: readonly string[], loaded: LoadedScenario, open: PointOpener): Promise<SweepPoint[]> {
  const { combos, seeds } = sweepAxes(file, loaded.scenario);
  const points: SweepPoint[] = [];
  const problems = new Map<string, Problem>();
  let where: Locator | undefined;
  for (const [c, params] of combos.entries()) {
    let point: LoadedScenario;
    try {
      point = await open(pointOverrides(baseOverrides, params));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      where ??= scenarioLocator(file);
      for (const inner of err.problems) {
        const p = sweepProblem(file, loaded.scenario, c, params, inner, where);
        problems.set(`${p.path}\n${p.message}`, p);
      }
      continue;
    }
    for (const seed of seeds) {
      points.push({ index: points.length, params, seed, hash: pointHash(point, seed) });
    }
  }
  if (problems.size > 0) throw new InputError([...problems.values()]);
  return points;
}

/** Where a field path lies in the scenario file (see loader.ts scenarioLocator). */
type Locator = (path: readonly PropertyKey[], atKey?: boolean) => { line?: number; col?: number };

/**
 * A problem of one parameter combination, placed at the sweep key whose value caused it: the key
 * whose field path holds the problem's path (or, for a bad key, names it), else the combination
 * as a whole. The message names the key, the value and the point's own problem:
 * `sweep.matrix.frameworks.0.workload.rate: frameworks.0.workload.rate = -1: frameworks[0].workload.rate: Too small...`.
 */
function sweepProblem(file: string, s: Scenario, combo: number, params: Readonly<Record<string, unknown>>, inner: Problem, where: Locator): Problem {
  const byList = s.sweep?.points !== undefined;
  const owner = Object.keys(params).find((k) => {
    const kp = formatPath(k.split('.').map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg)));
    return (inner.file === '--set' && inner.path === k) || inner.path === kp || inner.path.startsWith(`${kp}.`) || inner.path.startsWith(`${kp}[`);
  });
  const at: PropertyKey[] = byList ? ['sweep', 'points', combo] : ['sweep', 'matrix'];
  if (owner !== undefined) at.push(owner);
  const value = (k: string): string => `${k} = ${excerpt(JSON.stringify(params[k]) ?? 'null')}`;
  const what = owner !== undefined ? value(owner) : Object.keys(params).map(value).join(', ');
  // A point's overrides are applied as --set flags; their problems name no other file.
  const detail = `${inner.file === file || inner.file === '--set' ? '' : `${inner.file}: `}${inner.path === '' ? '' : `${inner.path}: `}${inner.message}`;
  return { file, ...where(at, true), path: formatPath(at), message: `${what}: ${detail}` };
}

/** The cross product of a matrix, keys in order, the last key varying fastest. */
function cross(matrix: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, values] of Object.entries(matrix)) {
    const next: Record<string, unknown>[] = [];
    for (const o of out) for (const v of values) next.push({ ...o, [k]: v });
    out = next;
  }
  return out;
}

/**
 * sha256 (16 hex digits) of the offersim version, the results revision, the resolved scenario
 * without its sweep block, the seed, and the allocator module's bytes (if any).
 */
export function pointHash(point: LoadedScenario, seed: number): string {
  const text = stableJson({
    offersim: VERSION, revision: RESULTS_REVISION, scenario: withoutSweep(point.scenario), seed, module: point.allocator?.module?.sha256 ?? null,
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A slice of the points: shard I of N takes the points whose index is I modulo N. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `I/N` (0 <= I < N, decimal integers below 2^53). */
export function parseShard(text: string, what = '--shard'): Shard {
  const m = /^(\d{1,15})\/(\d{1,15})$/.exec(text.trim());
  const i = m === null ? NaN : Number(m[1]);
  const n = m === null ? NaN : Number(m[2]);
  if (!(n >= 1) || !(i >= 0) || i >= n) throw new InputError([{ file: what, path: '', message: `expected I/N with 0 <= I < N, got "${excerpt(text)}"` }]);
  return { index: i, count: n };
}

/**
 * The shard from the environment when --shard is absent: Slurm array jobs
 * (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, task ids 0..N-1 as with --array=0-(N-1)), or a
 * Kubernetes indexed Job (JOB_COMPLETION_INDEX with OFFERSIM_SHARD_COUNT). Undefined when none is set.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const id = env['SLURM_ARRAY_TASK_ID'];
  const count = env['SLURM_ARRAY_TASK_COUNT'];
  if (id !== undefined && count !== undefined) {
    const min = env['SLURM_ARRAY_TASK_MIN'] ?? '0';
    return parseShard(`${Number(id) - Number(min)}/${count}`, 'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT');
  }
  const k = env['JOB_COMPLETION_INDEX'];
  if (k !== undefined) {
    const n = env['OFFERSIM_SHARD_COUNT'];
    if (n === undefined) throw new InputError([{ file: 'JOB_COMPLETION_INDEX', path: '', message: 'set OFFERSIM_SHARD_COUNT to the number of completions (the shard count)' }]);
    return parseShard(`${k}/${n}`, 'JOB_COMPLETION_INDEX/OFFERSIM_SHARD_COUNT');
  }
  return undefined;
}

/** What a sweep run did. */
export interface SweepOutcome {
  readonly dir: string;
  readonly total: number;
  /** points of this shard */
  readonly mine: number;
  readonly ran: number;
  readonly skipped: number;
  /** points that failed, with their error; `input` when bad input (not a bug) made it fail */
  readonly failed: readonly SweepFailure[];
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  readonly out?: string | undefined;
  readonly shard?: Shard | undefined;
  /** worker threads; default 1 (in this thread) */
  readonly workers?: number | undefined;
  /** progress text (stderr); default none */
  readonly progress?: ((text: string) => void) | undefined;
  /** stderr is a terminal: one updating line instead of a line per point */
  readonly tty?: boolean | undefined;
}

/** Runs the sweep of scenario `file` (with `overrides`) and writes its directory. */
export async function runSweep(file: string, overrides: readonly string[], o: SweepOptions = {}): Promise<SweepOutcome> {
  const modules: ModuleCache = new Map();
  const base = await openScenario(file, overrides, modules);
  const open = pointOpener(file, modules);
  const points = await sweepPoints(file, overrides, base, open);
  const given = o.out ?? defaultOutDir(`${scenarioName(base)}-sweep`);
  checkSweepOut(given);
  const dir = resolve(given);
  const shard = o.shard;
  // sweep.json first: from here on the directory is recognisably a sweep's (output-guard.ts).
  makeDirs(dir, dir, 'create the sweep directory');
  writeManifest(dir, base, points, shard);
  makeDirs(join(dir, 'points'));
  // Leftovers of killed runs (half-written points never count), but never a live process's.
  onOutput(join(dir, 'points'), 'remove the leftovers of interrupted runs', () => removeStalePartialsIn(join(dir, 'points')));
  const mine = points.filter((p) => shard === undefined || p.index % shard.count === shard.index);
  const hashes = new Map<string, string>();
  const todo: SweepPoint[] = [];
  for (const p of mine) if (!pointDone(dir, p, await open(pointOverrides(overrides, p.params)), hashes)) todo.push(p);
  const failed: SweepFailure[] = [];
  const t0 = Date.now();
  let done = 0;
  const report = (): void => {
    if (o.progress === undefined) return;
    const elapsed = (Date.now() - t0) / 1000;
    const left = done > 0 ? (elapsed / done) * (todo.length - done) : NaN;
    const text = `sweep: ${done}/${todo.length} points run (${mine.length - todo.length} already done), ${failed.length} failed` +
      `${Number.isNaN(left) ? '' : `, about ${Math.ceil(left)} s left`}`;
    if (o.tty === true) {
      // One line, redrawn: a bar of the points of this run, then the counts.
      const width = 30;
      const filled = todo.length === 0 ? width : Math.round((width * done) / todo.length);
      o.progress(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`);
    } else o.progress(`${text}\n`);
  };
  const runOne = async (p: SweepPoint): Promise<void> => {
    try {
      runScenario(await open(pointOverrides(overrides, p.params)), { out: join(dir, 'points', p.hash), seed: p.seed });
      onOutput(join(dir, 'points', `${p.hash}.failed.txt`), 'remove the file', () => rmSync(join(dir, 'points', `${p.hash}.failed.txt`), { force: true }));
    } catch (err) {
      // The file system refusing an output fails every point alike: stop, exit 2.
      if (err instanceof OutputError) throw err;
      const input = inputErrorOf(err);
      const message = input !== undefined ? input.message : err instanceof Error ? err.message : String(err);
      failed.push({ point: p, error: message, input: input !== undefined });
      writeOutputFile(join(dir, 'points', `${p.hash}.failed.txt`), `${message}\n`);
    }
    done++;
    report();
  };
  if ((o.workers ?? 1) <= 1) {
    for (const p of todo) await runOne(p);
  } else {
    await runInWorkers(file, overrides, dir, todo, o.workers ?? 1, (p, error, input) => {
      if (error !== undefined) {
        failed.push({ point: p, error, input });
        writeOutputFile(join(dir, 'points', `${p.hash}.failed.txt`), `${error}\n`);
      }
      done++;
      report();
    });
  }
  if (o.tty === true && o.progress !== undefined) o.progress('\n');
  writeResults(dir, base, points, shard);
  return { dir, total: points.length, mine: mine.length, ran: todo.length - failed.length, skipped: mine.length - todo.length, failed };
}

/** The manifest.json `allocator` record a run of `point` writes. */
function allocatorRecord(point: LoadedScenario): AllocatorRecord {
  return { name: point.allocator?.entry.name ?? '', module: point.allocator?.module?.spec ?? null };
}

/**
 * A point is done when its directory holds a run of that very point: summary.json, and a
 * manifest.json of this offersim version with the point's seed, its resolved scenario, the
 * allocator it names, and its input files with the hashes they have now (`hashes` memoises
 * them). Anything else under the point's hash (a run of an older offersim or of another
 * scenario, a directory someone edited) is never trusted: the point runs again.
 */
export function pointDone(dir: string, p: SweepPoint, point: LoadedScenario, hashes: Map<string, string>): boolean {
  const pdir = join(dir, 'points', p.hash);
  let m: Record<string, unknown>;
  try {
    // A summary or manifest edited or cut short is not a finished point: it runs again.
    readJsonObject(join(pdir, 'summary.json'), 'missing');
    m = readJsonObject(join(pdir, 'manifest.json'), 'missing');
  } catch {
    return false;
  }
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  return m['offersim'] === VERSION && m['seed'] === p.seed && typeof m['fingerprint'] === 'string' &&
    same(m['resolved'], point.scenario) && same(m['allocator'], allocatorRecord(point)) && same(m['inputs'], inputFiles(point, hashes));
}

/** The point has a finished run directory (whatever its contents): what a merge counts. */
function hasRun(dir: string, p: SweepPoint): boolean {
  return existsSync(join(dir, 'points', p.hash, 'manifest.json'));
}

/** A sweep point that failed. */
export interface SweepFailure {
  readonly point: SweepPoint;
  /** its error message (of the bad input itself when `input`) */
  readonly error: string;
  /** bad input made it fail (a trace row, a strict trace), not a bug: exit 2 rather than 3 when every failure is */
  readonly input: boolean;
}

/** What the main thread sends a sweep worker: one point to run. */
export interface PointMessage {
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** the point's hash as the main thread computed it; the worker checks its own against it */
  readonly hash: string;
}

/** What a sweep worker answers for a point: nothing when it ran, its error when it failed. */
export interface PointAnswer {
  /** the point failed: its error message */
  readonly error?: string;
  /** the point failed on bad input (an InputError, or one a broken invariant wraps), not a bug */
  readonly input?: boolean;
  /** the file system refused an output (an OutputError): the whole sweep stops with it */
  readonly output?: { readonly path: string; readonly message: string; readonly code: string };
}

/**
 * Runs `todo` on `n` worker threads, a point at a time each, reporting each as it ends. An output
 * the file system refuses stops every worker after its point and rejects with that OutputError.
 */
async function runInWorkers(file: string, overrides: readonly string[], dir: string, todo: readonly SweepPoint[], n: number, ended: (p: SweepPoint, error: string | undefined, input: boolean) => void): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const url = new URL('./sweep-worker.js', import.meta.url);
  let next = 0;
  let refused: OutputError | undefined;
  const one = (): Promise<void> => new Promise((resolveAll, reject) => {
    const w = new Worker(url, { workerData: { file, overrides, dir } });
    const feed = (): void => {
      if (refused !== undefined || next >= todo.length) {
        const why = refused;
        void w.terminate().then(() => (why === undefined ? resolveAll() : reject(why)));
        return;
      }
      const p = todo[next++]!;
      w.once('message', (m: PointAnswer) => {
        if (m.output !== undefined) refused ??= new OutputError(m.output.path, m.output.message, m.output.code);
        else ended(p, m.error, m.input === true);
        feed();
      });
      w.postMessage({ params: p.params, seed: p.seed, hash: p.hash } satisfies PointMessage);
    };
    w.once('online', feed);
    w.once('error', reject);
  });
  await Promise.all(Array.from({ length: Math.min(n, todo.length) }, one));
}

// ---- results: sweep.json, sweep.csv, summary.csv

/** Writes sweep.json: offersim's version, the scenario, the shard, every point. */
function writeManifest(dir: string, base: LoadedScenario, points: readonly SweepPoint[], shard: Shard | undefined): void {
  const manifest = {
    offersim: VERSION,
    scenario: { name: scenarioName(base), file: basename(base.file), sha256: base.sha256, overrides: base.overrides },
    ...(shard === undefined ? {} : { shard: `${shard.index}/${shard.count}` }),
    points: points.map((p) => ({ index: p.index, hash: p.hash, params: p.params, seed: p.seed })),
  };
  writeAtomic(join(dir, 'sweep.json'), stableJson(manifest));
}

/** Writes the sweep's manifest and tables from the point directories present, in point order. */
export function writeResults(dir: string, base: LoadedScenario, points: readonly SweepPoint[], shard: Shard | undefined): void {
  const mine = points.filter((p) => shard === undefined || p.index % shard.count === shard.index);
  writeManifest(dir, base, points, shard);
  const keys = Object.keys(points[0]?.params ?? {});
  const summaries = mine.map((p) => ({ p, s: readSummary(dir, p) }));
  const metricKeys = firstMetricKeys(summaries.map((x) => x.s));
  const rows: string[][] = [['point', 'hash', ...keys, 'seed', 'status', ...metricKeys]];
  for (const { p, s } of summaries) {
    rows.push([String(p.index), p.hash, ...keys.map((k) => cell(p.params[k])), String(p.seed), s === undefined ? (existsSync(join(dir, 'points', `${p.hash}.failed.txt`)) ? 'failed' : 'missing') : 'ok',
      ...metricKeys.map((k) => (s === undefined ? '' : numberCell(s[k])))]);
  }
  writeAtomic(join(dir, 'sweep.csv'), csv(rows));
  // Per parameter combination (everything but the seed): mean and 95% CI half-width across seeds.
  const groups = new Map<string, { params: Record<string, unknown>; runs: Record<string, unknown>[] }>();
  for (const { p, s } of summaries) {
    const key = JSON.stringify(keys.map((k) => p.params[k]));
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { params: p.params as Record<string, unknown>, runs: [] }));
    if (s !== undefined) g.runs.push(s);
  }
  const head = [...keys, 'seeds'];
  for (const m of metricKeys) head.push(`${m}_mean`, `${m}_ci95`);
  const srows: string[][] = [head];
  for (const g of groups.values()) {
    const row = [...keys.map((k) => cell(g.params[k])), String(g.runs.length)];
    for (const m of metricKeys) {
      const xs = g.runs.map((r) => r[m]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      const { mean, half } = meanCi95(xs);
      row.push(fmt(mean), fmt(half));
    }
    srows.push(row);
  }
  writeAtomic(join(dir, 'summary.csv'), csv(srows));
}

function readSummary(dir: string, p: SweepPoint): Record<string, unknown> | undefined {
  const f = join(dir, 'points', p.hash, 'summary.json');
  return existsSync(f) ? readJsonObject(f, '') : undefined;
}

/** The numeric (or null) keys of the first summary present, in its order. */
function firstMetricKeys(summaries: readonly (Record<string, unknown> | undefined)[]): string[] {
  const s = summaries.find((x) => x !== undefined);
  if (s === undefined) return [];
  return Object.keys(s).filter((k) => s[k] === null || typeof s[k] === 'number');
}

function cell(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function numberCell(v: unknown): string {
  return typeof v === 'number' ? fmt(v) : '';
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and the half-width of its 95% confidence interval (Student's t, n - 1 df); NaN where undefined. */
export function meanCi95(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, half: NaN };
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / n;
  if (n < 2) return { mean, half: NaN };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const df = n - 1;
  // Beyond 30 df, the Cornish-Fisher expansion around z = 1.959964 (error under 1e-4).
  const z = 1.959964;
  const t = df <= 30 ? T975[df - 1]! : z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  return { mean, half: t * Math.sqrt(ss / df / n) };
}

function csv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

// ---- merge

/**
 * Joins shard directories into `out`: every point directory of the sweep (those sweep.json lists;
 * identical copies where shards overlap), then the manifest and tables as a single process
 * writes them. `out` must be absent, empty or a sweep directory, and apart from the shards
 * (output-guard.ts `checkMergeOut`). The shards must come
 * from the same scenario file, overrides and offersim version. Points missing from every shard
 * are reported (exit 1 from the CLI would hide them: they are listed, and sweep.csv marks them).
 */
export function mergeSweeps(dirs: readonly string[], out: string): { points: number; missing: number } {
  if (dirs.length === 0) throw new InputError([{ file: 'merge', path: '', message: 'name at least one sweep directory' }]);
  type Manifest = { offersim: string; scenario: { name: string; file: string; sha256: string; overrides: string[] }; points: { index: number; hash: string; params: Record<string, unknown>; seed: number }[] };
  const manifests = dirs.map((d) => {
    const why = sweepDirProblem(d);
    if (why !== undefined) throw new InputError([{ file: d, path: '', message: `not a sweep directory (${why})` }]);
    return JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')) as Manifest;
  });
  checkMergeOut(out, dirs);
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    if (m.offersim !== first.offersim || m.scenario.sha256 !== first.scenario.sha256 || JSON.stringify(m.scenario.overrides) !== JSON.stringify(first.scenario.overrides) ||
      JSON.stringify(m.points) !== JSON.stringify(first.points)) {
      throw new InputError([{ file: join(dirs[i]!, 'sweep.json'), path: '', message: `a different sweep from ${join(dirs[0]!, 'sweep.json')} (scenario, overrides, version or points differ)` }]);
    }
  });
  // Only the scenario's name is known (and needed) of the base scenario.
  const base: LoadedScenario = {
    scenario: { name: first.scenario.name } as unknown as Scenario, file: first.scenario.file, sha256: first.scenario.sha256, overrides: first.scenario.overrides, allocator: undefined,
  };
  const points: SweepPoint[] = first.points.map((p) => ({ index: p.index, hash: p.hash, params: p.params, seed: p.seed }));
  makeDirs(out, out, 'create the sweep directory');
  writeManifest(out, base, points, undefined);
  makeDirs(join(out, 'points'));
  onOutput(join(out, 'points'), 'remove the leftovers of interrupted merges', () => removeStalePartialsIn(join(out, 'points')));
  // The sweep's own points only: whatever else a shard's points/ holds is not this sweep's.
  for (const p of points) {
    const dst = join(out, 'points', p.hash);
    if (existsSync(join(dst, 'manifest.json'))) continue;
    const src = dirs.map((d) => join(d, 'points', p.hash)).find((s) => existsSync(join(s, 'manifest.json')));
    if (src !== undefined) {
      onOutput(dst, 'copy the point into it', () => {
        const tmp = claimPartial(dst);
        cpSync(src, tmp, { recursive: true });
        renameSync(tmp, dst);
        releaseTemp(tmp);
        // A failure another shard got past is no failure.
        rmSync(`${dst}.failed.txt`, { force: true });
      });
      continue;
    }
    const failed = dirs.map((d) => join(d, 'points', `${p.hash}.failed.txt`)).find((f) => existsSync(f));
    if (failed !== undefined) onOutput(`${dst}.failed.txt`, 'copy the file', () => cpSync(failed, `${dst}.failed.txt`));
  }
  writeResults(out, base, points, undefined);
  const missing = points.filter((p) => !hasRun(out, p)).length;
  return { points: points.length, missing };
}

export { ExitCode };
