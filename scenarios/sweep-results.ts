/**
 * A sweep's results: sweep.json (offersim's version, the scenario, the shard, every point),
 * sweep.csv (a row per point), summary.csv (per parameter combination, the mean and a 95%
 * confidence interval across seeds of every metric) and sweep-frameworks.csv (a row per point
 * and framework: the point's frameworks.csv rows), computed from the point directories alone,
 * in point order, so that any split of the points gives the same files; and the merge of shard
 * directories into one sweep. Composition root: files.
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SUMMARY_METRICS } from '../reports/catalogue.js';
import { fmt, fmtInt } from '../reports/format.js';
import { meanCi95 } from '../reports/stats.js';
import { FRAMEWORKS_COLUMNS, csv } from '../reports/writers.js';
import { InputError } from './errors.js';
import type { LoadedScenario } from './loader.js';
import { checkMergeOut, sweepDirProblem } from './output-guard.js';
import { makeDirs, onOutput, writeAtomic } from './output-files.js';
import { scenarioName, stableJson } from './run.js';
import type { Scenario } from './schema.js';
import { sweepKeys, type Shard, type SweepPoint } from './sweep-points.js';
import { claimPartial, releaseTemp, removeStalePartialsIn } from './temp-files.js';
import { VERSION } from './version.js';
import { readCsvRows, readJsonObject } from './json-file.js';

export { meanCi95 } from '../reports/stats.js';

/** Writes sweep.json: offersim's version, the scenario, the shard, every point. */
export function writeManifest(dir: string, base: LoadedScenario, points: readonly SweepPoint[], shard: Shard | undefined): void {
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
  const keys = sweepKeys(points);
  const summaries = mine.map((p) => ({ p, s: readSummary(dir, p) }));
  const metricKeys = firstMetricKeys(summaries.map((x) => x.s));
  const rows: string[][] = [['point', 'hash', ...keys, 'seed', 'status', ...metricKeys]];
  for (const { p, s } of summaries) {
    rows.push([
      String(p.index),
      p.hash,
      ...keys.map((k) => param(p.params, k)),
      String(p.seed),
      s === undefined ? (existsSync(join(dir, 'points', `${p.hash}.failed.txt`)) ? 'failed' : 'missing') : 'ok',
      ...metricKeys.map((k) => (s === undefined ? '' : numberCell(k, s[k]))),
    ]);
  }
  writeAtomic(join(dir, 'sweep.csv'), csv(rows));
  writeAtomic(join(dir, 'sweep-frameworks.csv'), csv(sweepFrameworkRows(dir, keys, mine)));
  // Per parameter combination (everything but the seed): mean and 95% CI half-width across seeds.
  const groups = new Map<string, { params: Record<string, unknown>; runs: Record<string, unknown>[] }>();
  for (const { p, s } of summaries) {
    // A parameter a point does not set is told apart from every value it could be set to.
    const key = JSON.stringify(keys.map((k) => (Object.hasOwn(p.params, k) ? [p.params[k]] : [])));
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { params: p.params as Record<string, unknown>, runs: [] }));
    if (s !== undefined) g.runs.push(s);
  }
  const head = [...keys, 'seeds'];
  for (const m of metricKeys) head.push(`${m}_mean`, `${m}_ci95`);
  const srows: string[][] = [head];
  for (const g of groups.values()) {
    const row = [...keys.map((k) => param(g.params, k)), String(g.runs.length)];
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

/** A point's value of swept parameter `k` as a cell; empty when the point does not set it. */
function param(params: Readonly<Record<string, unknown>>, k: string): string {
  return Object.hasOwn(params, k) ? cell(params[k]) : '';
}

/** The summary metrics written as integers (counts), by key. */
const INTEGER_METRICS = new Set(SUMMARY_METRICS.filter((m) => m.format === 'integer').map((m) => m.key));

/** A point's metric as its summary.json writes it: a count as an integer, anything else with 6 decimals; '' when not a number. */
function numberCell(key: string, v: unknown): string {
  if (typeof v !== 'number') return '';
  return INTEGER_METRICS.has(key) ? fmtInt(v) : fmt(v);
}

/**
 * sweep-frameworks.csv's rows: a header (`point`, `hash`, the parameters, `seed`, then
 * frameworks.csv's columns), then for each point with a run, in point order, its frameworks.csv
 * rows, their cells as the point wrote them. Points without a run (failed, missing) have no rows:
 * sweep.csv gives their status.
 */
function sweepFrameworkRows(dir: string, keys: readonly string[], points: readonly SweepPoint[]): string[][] {
  const rows: string[][] = [['point', 'hash', ...keys, 'seed', ...FRAMEWORKS_COLUMNS]];
  for (const p of points) {
    const file = join(dir, 'points', p.hash, 'frameworks.csv');
    if (!existsSync(join(dir, 'points', p.hash, 'summary.json'))) continue;
    const [head = [], ...body] = readCsvRows(file, 'missing: the point has a summary.json but no frameworks.csv');
    const at = FRAMEWORKS_COLUMNS.map((c) => head.indexOf(c));
    const lacking = FRAMEWORKS_COLUMNS.filter((_, i) => at[i]! < 0);
    if (lacking.length > 0) throw new InputError([{ file, path: '', message: `not a frameworks.csv of this offersim (no column ${lacking.join(', ')})` }]);
    const point = [String(p.index), p.hash, ...keys.map((k) => param(p.params, k)), String(p.seed)];
    for (const r of body) rows.push([...point, ...at.map((i) => r[i] ?? '')]);
  }
  return rows;
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
  type Manifest = {
    offersim: string;
    scenario: { name: string; file: string; sha256: string; overrides: string[] };
    points: { index: number; hash: string; params: Record<string, unknown>; seed: number }[];
  };
  const manifests = dirs.map((d) => {
    const why = sweepDirProblem(d);
    if (why !== undefined) throw new InputError([{ file: d, path: '', message: `not a sweep directory (${why})` }]);
    return JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')) as Manifest;
  });
  checkMergeOut(out, dirs);
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    if (
      m.offersim !== first.offersim ||
      m.scenario.sha256 !== first.scenario.sha256 ||
      JSON.stringify(m.scenario.overrides) !== JSON.stringify(first.scenario.overrides) ||
      JSON.stringify(m.points) !== JSON.stringify(first.points)
    ) {
      throw new InputError([
        {
          file: join(dirs[i]!, 'sweep.json'),
          path: '',
          message: `a different sweep from ${join(dirs[0]!, 'sweep.json')} (scenario, overrides, version or points differ)`,
        },
      ]);
    }
  });
  // Only the scenario's name is known (and needed) of the base scenario.
  const base: LoadedScenario = {
    scenario: { name: first.scenario.name } as unknown as Scenario,
    file: first.scenario.file,
    sha256: first.scenario.sha256,
    text: '',
    overrides: first.scenario.overrides,
    allocator: undefined,
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

/** The point has a finished run directory (whatever its contents): what a merge counts. */
export function hasRun(dir: string, p: SweepPoint): boolean {
  return existsSync(join(dir, 'points', p.hash, 'manifest.json'));
}
