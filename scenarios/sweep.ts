/**
 * Sweeps: a scenario's `sweep` block (a matrix of parameter values, or a list of points, times
 * seeds) run point by point, each into its own run directory under a content hash of its
 * resolved scenario, so that a rerun skips what is done and any split of the points (worker
 * threads, shards, Slurm array tasks) gives the same files. The points and shards are
 * sweep-points.ts's; the tables, computed from the point directories alone, and `merge` are
 * sweep-results.ts's; this module runs the points, in this thread or in workers. Each point
 * runs the scenario its own overrides make, allocator included (scenarios/run.ts checks that the
 * allocator created is the one named), and a point directory is reused only when its manifest
 * is that of the very point. Composition root: files, worker threads, the wall clock for progress.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, OutputError, inputErrorOf } from './errors.js';
import { openScenario, type LoadedScenario, type ModuleCache } from './loader.js';
import { checkSweepOut, defaultOutDir } from './output-guard.js';
import { makeDirs, onOutput, writeOutputFile } from './output-files.js';
import { inputFiles, runScenario, scenarioName, type AllocatorRecord } from './run.js';
import { removeStalePartialsIn } from './temp-files.js';
import { VERSION } from './version.js';
import { readJsonObject } from './json-file.js';
import { pointOpener, pointOverrides, sweepPoints, type Shard, type SweepPoint } from './sweep-points.js';
import { writeManifest, writeResults } from './sweep-results.js';

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
    const text =
      `sweep: ${done}/${todo.length} points run (${mine.length - todo.length} already done), ${failed.length} failed` +
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
  return (
    m['offersim'] === VERSION &&
    m['seed'] === p.seed &&
    typeof m['fingerprint'] === 'string' &&
    same(m['resolved'], point.scenario) &&
    same(m['allocator'], allocatorRecord(point)) &&
    same(m['inputs'], inputFiles(point, hashes))
  );
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
async function runInWorkers(
  file: string,
  overrides: readonly string[],
  dir: string,
  todo: readonly SweepPoint[],
  n: number,
  ended: (p: SweepPoint, error: string | undefined, input: boolean) => void,
): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const url = new URL('./sweep-worker.js', import.meta.url);
  let next = 0;
  let refused: OutputError | undefined;
  const one = (): Promise<void> =>
    new Promise((resolveAll, reject) => {
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

export { ExitCode };
