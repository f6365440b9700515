/**
 * What a sweep point runs: the scenario its own overrides make, allocator included. Each point's
 * run directory equals, byte for byte (all but timing.json), a plain `offersim run` of the same
 * file with the same --set and --seed; points that differ only in their allocator differ in
 * their fingerprints; a point directory whose manifest is not that of the point is run again.
 * Sweeps run in child processes of the built CLI (jest's module sandbox slows simulations
 * tenfold); the plain runs go through the CLI's `main` in one child process, one after another.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getAllocator } from '../allocators/registry.js';
import { InvariantError } from '../sim/kernel/errors.js';
import { loadScenario, openScenario } from './loader.js';
import { simulateScenario, stableJson, withoutSweep } from './run.js';
import { pointOpener, sweepPoints } from './sweep-points.js';
import { ENV, ROOT, outputFiles as files, spawnCli } from './test-support/child.js';
import { VERSION } from './version.js';

const MAIN = pathToFileURL(join(ROOT, 'dist', 'scenarios', 'main.js')).href;
const EXAMPLE = join(ROOT, 'scenarios', 'examples', 'sweep.yaml');
const SMALL = join(ROOT, 'scenarios', 'golden', 'small.yaml');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-points-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const cli = (...args: string[]): ReturnType<typeof spawnCli> => spawnCli(args);

/** Runs each argv through the built CLI's `main`, in order, in one child process; the exit codes. */
function cliMany(argvs: readonly (readonly string[])[]): number[] {
  const script = `const { main } = await import(${JSON.stringify(MAIN)});
const codes = [];
for (const argv of JSON.parse(process.argv[1])) codes.push(await main(argv, { out: () => {}, err: (t) => process.stderr.write(t) }));
process.stdout.write(JSON.stringify(codes));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(argvs)], { encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`child failed (${String(r.status)}): ${r.stderr}`);
  return JSON.parse(r.stdout) as number[];
}

interface PointRow {
  readonly index: number;
  readonly hash: string;
  readonly params: Record<string, unknown>;
  readonly seed: number;
}

function sweepJson(dir: string): { points: PointRow[] } {
  return JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { points: PointRow[] };
}

function manifest(dir: string): { fingerprint: string; allocator: { name: string; module: string | null }; resolved: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ReturnType<typeof manifest>;
}

/**
 * Reruns every point of the sweep in `dir` as a plain `offersim run` of `scenario` with the
 * point's overrides (as the sweep writes them: key=<JSON value>) and seed, into `<dir>-plain/`,
 * and expects each run directory to equal the point's, file for file, all but timing.json.
 */
function expectPointsEqualPlainRuns(scenario: string, dir: string, extra: readonly string[] = []): void {
  const points = sweepJson(dir).points;
  const argvs = points.map((p) => [
    'run',
    scenario,
    '--out',
    join(`${dir}-plain`, String(p.index)),
    '--seed',
    String(p.seed),
    ...[...extra, ...Object.entries(p.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].flatMap((o) => ['--set', o]),
  ]);
  expect(cliMany(argvs)).toEqual(points.map(() => 0));
  for (const p of points) {
    expect([p.index, files(join(`${dir}-plain`, String(p.index)))]).toEqual([p.index, files(join(dir, 'points', p.hash))]);
  }
}

describe('the bundled example sweep (scenarios/examples/sweep.yaml)', () => {
  let dir: string;
  beforeAll(() => {
    dir = join(tmp, 'example');
    const r = cli('sweep', EXAMPLE, '--out', dir, '--workers', '1');
    if (r.code !== 0) throw new Error(r.err);
  });

  test('points that differ only in their allocator have different fingerprints, and each manifest names the allocator that ran', () => {
    const points = sweepJson(dir).points;
    // 2 allocators x 2 rates x 3 seeds: each (rate, seed) once under drf and once under random
    expect(points).toHaveLength(12);
    const drf = points.filter((p) => p.params['allocator'] === 'drf');
    expect(drf).toHaveLength(6);
    for (const d of drf) {
      const r = points.find(
        (p) => p.params['allocator'] === 'random' && p.seed === d.seed && p.params['frameworks.0.workload.rate'] === d.params['frameworks.0.workload.rate'],
      )!;
      expect(manifest(join(dir, 'points', r.hash)).fingerprint).not.toBe(manifest(join(dir, 'points', d.hash)).fingerprint);
    }
    for (const p of points) expect(manifest(join(dir, 'points', p.hash)).allocator).toEqual({ name: p.params['allocator'], module: null });
  });

  test('each point equals the plain run with the same --set and --seed, byte for byte', () => {
    expectPointsEqualPlainRuns(EXAMPLE, dir);
  });

  test('a point directory whose manifest is not that of the point is run again, never trusted', () => {
    const stale = join(tmp, 'stale');
    cpSync(dir, stale, { recursive: true });
    const reference = files(stale);
    const points = sweepJson(stale).points;
    const at = (i: number): string => join(stale, 'points', points[i]!.hash);
    // Point 6 (random, rate 0.5, seed 1) holds point 0's results (drf, same rate and seed), with
    // the manifest the code before the fix wrote: the point's scenario, no allocator record.
    rmSync(at(6), { recursive: true });
    cpSync(at(0), at(6), { recursive: true });
    const old = JSON.parse(readFileSync(join(at(6), 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete old['allocator'];
    (old['resolved'] as Record<string, unknown>)['allocator'] = 'random';
    writeFileSync(join(at(6), 'manifest.json'), stableJson(old));
    // Point 1: written by another offersim version; point 2: another seed's run.
    const edit = (i: number, f: (m: Record<string, unknown>) => void): void => {
      const m = JSON.parse(readFileSync(join(at(i), 'manifest.json'), 'utf8')) as Record<string, unknown>;
      f(m);
      writeFileSync(join(at(i), 'manifest.json'), stableJson(m));
    };
    edit(1, (m) => {
      m['offersim'] = '0.0.1';
    });
    edit(2, (m) => {
      m['seed'] = 99;
    });
    const r = cli('sweep', EXAMPLE, '--out', stale, '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/12 of 12 points, 3 run, 9 already done, 0 failed/);
    expect(files(stale)).toEqual(reference);
  });

  test('the point hashes are not those of the code before the fix, whose random points held drf results', async () => {
    // Before the fix, a point's hash was sha256 of {offersim, scenario, seed, module}: a sweep
    // directory written then must not be found under the new hashes.
    const base = await openScenario(EXAMPLE);
    const open = pointOpener(EXAMPLE);
    const points = await sweepPoints(EXAMPLE, [], base, open);
    for (const p of points) {
      const point = await open(Object.entries(p.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`));
      const before = createHash('sha256')
        .update(stableJson({ offersim: VERSION, scenario: withoutSweep(point.scenario), seed: p.seed, module: null }))
        .digest('hex')
        .slice(0, 16);
      expect(p.hash).not.toBe(before);
    }
  });
});

test('a run whose allocator is not the one its scenario names fails before its first event', () => {
  // The mistake sweeps made: the scenario names drf, the allocator handed to the run is random's.
  const loaded = loadScenario(SMALL);
  const wrong = { ...loaded, allocator: { entry: getAllocator('random')!, module: undefined } };
  expect(() => simulateScenario(wrong)).toThrow(InvariantError);
  expect(() => simulateScenario(wrong)).toThrow(/names the allocator "drf", but the run would create the entry "random"/);
  expect(simulateScenario(loaded).result.events).toBeGreaterThan(0);
});

describe('sweeps over allocator parameters, offer granularity, a behaviour option and allocator modules', () => {
  test('every point equals its plain run, on two worker threads; every axis changes the run', () => {
    // The golden scenario (roles batch and prod) under the priority policy; 2 x 2 x 2 points, seed 7.
    const scenario = join(tmp, 'matrix.yaml');
    writeFileSync(
      scenario,
      `${readFileSync(SMALL, 'utf8').replace(/^allocator: drf$/m, 'allocator: { name: priority, params: { priorities: { prod: 0 } } }')}
sweep:
  matrix:
    allocator.params.priorities.prod: [0, 3]
    master.offerGranularity: [agent, task]
    frameworks.1.behaviour.refuseSeconds: [2, 7]
  seeds: [7]
`,
    );
    const dir = join(tmp, 'matrix');
    const r = cli('sweep', scenario, '--out', dir, '--workers', '2');
    expect([r.code, r.err]).toEqual([0, expect.any(String)]);
    expect(r.out).toMatch(/8 of 8 points, 8 run/);
    expectPointsEqualPlainRuns(scenario, dir);
    // Each parameter matters in this scenario: eight different event streams.
    const prints = sweepJson(dir).points.map((p) => manifest(join(dir, 'points', p.hash)).fingerprint);
    expect(new Set(prints).size).toBe(8);
  });

  test('a sweep over allocator.module imports and runs each module at its points', () => {
    // Two user modules: the least-allocated example, and the registered random policy under another name.
    writeFileSync(
      join(tmp, 'least.js'),
      `export { default } from ${JSON.stringify(pathToFileURL(join(ROOT, 'docs', 'examples', 'least-allocated.js')).href)};\n`,
    );
    writeFileSync(
      join(tmp, 'other.js'),
      `import { getAllocator } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'allocators', 'registry.js')).href)};
export default { ...getAllocator('random'), name: 'random-copy', description: 'the random policy, as a module' };
`,
    );
    const scenario = join(tmp, 'modules.yaml');
    writeFileSync(
      scenario,
      `${readFileSync(SMALL, 'utf8').replace(/^allocator: drf$/m, 'allocator: { module: ./least.js }')}
sweep:
  matrix:
    allocator.module: [./least.js, ./other.js]
  seeds: [7, 8]
`,
    );
    const dir = join(tmp, 'modules');
    const r = cli('sweep', scenario, '--out', dir, '--workers', '2');
    expect(r.code).toBe(0);
    const points = sweepJson(dir).points;
    expect(points.map((p) => manifest(join(dir, 'points', p.hash)).allocator)).toEqual([
      { name: 'least-allocated', module: './least.js' },
      { name: 'least-allocated', module: './least.js' },
      { name: 'random-copy', module: './other.js' },
      { name: 'random-copy', module: './other.js' },
    ]);
    // same seed, other module: another run
    expect(manifest(join(dir, 'points', points[0]!.hash)).fingerprint).not.toBe(manifest(join(dir, 'points', points[2]!.hash)).fingerprint);
    expectPointsEqualPlainRuns(scenario, dir);
  });
});
