/**
 * A sweep's points: the `sweep` block's matrix or list of points times its seeds, each point the
 * scenario with its own overrides, named by a content hash of its resolved scenario and seed (so
 * that a rerun skips what is done), and the shards a sweep may be split into (--shard, Slurm and
 * Kubernetes indexed jobs). Composition root: it opens scenario files and reads the environment.
 */
import { createHash } from 'node:crypto';
import { InputError, excerpt, formatPath, type Problem } from './errors.js';
import { openScenario, scenarioLocator, type LoadedScenario, type ModuleCache } from './loader.js';
import { stableJson, withoutSweep } from './run.js';
import type { Scenario } from './schema.js';
import { VERSION } from './version.js';

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
      p = openScenario(file, overrides, modules, false).then((l) => ({ ...l, scenario: withoutSweep(l.scenario) }));
      opened.set(key, p);
    }
    return p;
  };
}

/** A point's overrides: the sweep's own, then the point's parameters as `key=<JSON value>`. */
export function pointOverrides(baseOverrides: readonly string[], params: Readonly<Record<string, unknown>>): string[] {
  return [...baseOverrides, ...Object.entries(params).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
}

/**
 * The swept parameters of a sweep's points, as the columns of its tables: every key any point
 * sets, in the order first met (a matrix's keys in order; with a list of points, the first
 * point's keys, then each later point's new ones). Points of a list may set different keys (an
 * architecture's own settings at its points only); a point that does not set a key has an empty
 * cell there, and counts as its own combination.
 */
export function sweepKeys(points: readonly { readonly params: Readonly<Record<string, unknown>> }[]): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.params)) keys.add(k);
  return [...keys];
}

/** The parameter combinations and seeds of a sweep block, in order. */
function sweepAxes(file: string, s: Scenario): { combos: Record<string, unknown>[]; seeds: number[] } {
  const sw = s.sweep;
  if (sw === undefined)
    throw new InputError([{ file, path: 'sweep', message: 'the scenario has no sweep block (give sweep.matrix or sweep.points, and sweep.seeds)' }]);
  const combos: Record<string, unknown>[] = sw.points !== undefined ? sw.points.map((p) => ({ ...p })) : cross(sw.matrix ?? {});
  const seeds = typeof sw.seeds === 'number' ? Array.from({ length: sw.seeds }, (_, i) => i + 1) : (sw.seeds ?? [s.seed]);
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
    offersim: VERSION,
    revision: RESULTS_REVISION,
    scenario: withoutSweep(point.scenario),
    seed,
    module: point.allocator?.module?.sha256 ?? null,
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
    if (n === undefined)
      throw new InputError([{ file: 'JOB_COMPLETION_INDEX', path: '', message: 'set OFFERSIM_SHARD_COUNT to the number of completions (the shard count)' }]);
    return parseShard(`${k}/${n}`, 'JOB_COMPLETION_INDEX/OFFERSIM_SHARD_COUNT');
  }
  return undefined;
}
