/**
 * Sweeps: the points of a matrix in order, identical files for any worker count or sharding
 * (merged), resumable after an interruption (kill -9 included), failed points reported and
 * retried, and the statistics of summary.csv worked out by hand. Sweeps run in child processes of
 * the built CLI (jest's module sandbox slows simulations tenfold).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from './errors.js';
import { openScenario, parseScenarioText } from './loader.js';
import { parseShard, pointOpener, shardFromEnv, sweepPoints } from './sweep-points.js';
import { meanCi95 } from './sweep-results.js';
import { CLI, ENV, ROOT, outputFiles as files, spawnCli } from './test-support/child.js';

const EXAMPLE = join(ROOT, 'scenarios', 'examples', 'sweep.yaml');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-sweep-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const cli = (...args: string[]): ReturnType<typeof spawnCli> => spawnCli(args);

describe('the points of a sweep', () => {
  test('matrix keys outermost in their order, the last varying fastest, seeds innermost', async () => {
    const base = await openScenario(EXAMPLE);
    const points = await sweepPoints(EXAMPLE, [], base, pointOpener(EXAMPLE));
    // 2 allocators x 2 rates x seeds 1..3 = 12
    expect(points.map((p) => [p.params['allocator'], p.params['frameworks.0.workload.rate'], p.seed])).toEqual([
      ['drf', 0.5, 1],
      ['drf', 0.5, 2],
      ['drf', 0.5, 3],
      ['drf', 1, 1],
      ['drf', 1, 2],
      ['drf', 1, 3],
      ['random', 0.5, 1],
      ['random', 0.5, 2],
      ['random', 0.5, 3],
      ['random', 1, 1],
      ['random', 1, 2],
      ['random', 1, 3],
    ]);
    expect(new Set(points.map((p) => p.hash)).size).toBe(12);
    // the hash covers the resolved scenario and seed, not the sweep block: the same point in
    // another sweep (here, one with more seeds) has the same directory
    const more = await openScenario(EXAMPLE, ['sweep.seeds=5']);
    expect((await sweepPoints(EXAMPLE, ['sweep.seeds=5'], more, pointOpener(EXAMPLE)))[0]!.hash).toBe(points[0]!.hash);
  });

  test('a sweep block is checked: matrix or points, never the seed', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(() => parseScenarioText(text, 's.yaml', ['sweep.points=[{allocator: fifo}]'])).toThrow(/matrix \(a cross product\) or points/);
    expect(() => parseScenarioText(text, 's.yaml', ['sweep.matrix.seed=[1, 2]'])).toThrow(/"seed" cannot be swept/);
  });

  test('shards: I/N from the flag, Slurm array variables or a Kubernetes completion index', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('3/3')).toThrow(InputError);
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '5' })).toEqual({ index: 4, count: 5 });
    // an array numbered from 1 (--array=1-5): task 1 is shard 0
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '5', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ index: 0, count: 5 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', OFFERSIM_SHARD_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '2' })).toThrow(/OFFERSIM_SHARD_COUNT/);
    expect(shardFromEnv({})).toBeUndefined();
  });

  test('mean and 95% confidence interval by hand', () => {
    // [1, 2, 3]: mean 2, sample sd 1, standard error 1/sqrt(3) = 0.57735; t(0.975, 2 df) = 4.303
    // half-width 4.303 x 0.57735 = 2.48434
    const r = meanCi95([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.half).toBeCloseTo(2.48434, 4);
    // one value: no interval; 41 values of 0 and 1 alternating: t(40 df) = 2.021 (tables)
    expect(Number.isNaN(meanCi95([5]).half)).toBe(true);
    const xs = Array.from({ length: 41 }, (_, i) => i % 2);
    const m = xs.reduce((a, b) => a + b, 0) / 41;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / 40);
    expect(meanCi95(xs).half).toBeCloseTo((2.021 * sd) / Math.sqrt(41), 3);
  });
});

describe('a list of points that set different parameters', () => {
  test('every parameter any point sets is a column; a point that does not set one has an empty cell and is its own combination', () => {
    // Offers with drf, and yarn under two schedulers: yarn.scheduler is set at the yarn points
    // only (a yarn block under offers is refused). Before, the columns were the first point's
    // keys alone, so summary.csv pooled the capacity and fair points into one "yarn" row of 4 seeds.
    const scenario = join(tmp, 'mixed.yaml');
    writeFileSync(
      scenario,
      `cluster:
  agents:
    - { count: 4, racks: 2, cpus: 4, mem: 8192 }
frameworks:
  - name: f
    workload: { kind: poisson, rate: 0.2, until: 30, tasksPerJob: 3, task: { cpus: 1, mem: 1024, duration: 5 } }
sweep:
  points:
    - { architecture: offers, allocator: drf }
    - { architecture: yarn, yarn.scheduler: capacity }
    - { architecture: yarn, yarn.scheduler: fair }
  seeds: 2
`,
    );
    const dir = join(tmp, 'mixed-out');
    const r = cli('sweep', scenario, '--out', dir, '--workers', '1');
    expect(r.code).toBe(0);
    const table = (name: string, width: number): string[] =>
      readFileSync(join(dir, name), 'utf8')
        .trimEnd()
        .split('\n')
        .map((row) => row.split(',').slice(0, width).join(' '));
    // summary.csv: the three combinations, 2 seeds each, the unset parameters empty
    expect(table('summary.csv', 4)).toEqual(['architecture allocator yarn.scheduler seeds', 'offers drf  2', 'yarn  capacity 2', 'yarn  fair 2']);
    // sweep.csv and sweep-frameworks.csv: the same columns at every point (point, hash, parameters, seed)
    const perPoint = (name: string): string[] =>
      table(name, 6).map((row) =>
        row
          .split(' ')
          .filter((_, i) => i !== 1)
          .join(' '),
      );
    const expected = [
      'point architecture allocator yarn.scheduler seed',
      '0 offers drf  1',
      '1 offers drf  2',
      '2 yarn  capacity 1',
      '3 yarn  capacity 2',
      '4 yarn  fair 1',
      '5 yarn  fair 2',
    ];
    expect(perPoint('sweep.csv')).toEqual(expected);
    expect(perPoint('sweep-frameworks.csv')).toEqual(expected);
  }, 60_000);
});

describe('the same files however the sweep is split', () => {
  test('one worker, two workers, and three shards merged give byte-identical directories', () => {
    const one = join(tmp, 'one');
    const two = join(tmp, 'two');
    expect(cli('sweep', EXAMPLE, '--out', one, '--workers', '1').code).toBe(0);
    expect(cli('sweep', EXAMPLE, '--out', two, '--workers', '2').code).toBe(0);
    for (let i = 0; i < 3; i++) expect(cli('sweep', EXAMPLE, '--out', join(tmp, `shard-${i}`), '--shard', `${i}/3`, '--workers', '1').code).toBe(0);
    const merged = join(tmp, 'merged');
    const m = cli('merge', join(tmp, 'shard-0'), join(tmp, 'shard-1'), join(tmp, 'shard-2'), '--out', merged);
    expect(m.code).toBe(0);
    const reference = files(one);
    // 12 points x 7 files (timing.json left out) + sweep.json, sweep.csv, summary.csv, sweep-frameworks.csv
    expect(Object.keys(reference)).toHaveLength(12 * 7 + 4);
    expect(Object.keys(reference)).toContain('sweep-frameworks.csv');
    expect(files(two)).toEqual(reference);
    expect(files(merged)).toEqual(reference);
    // sweep.csv: a header and a row per point, all ok; summary.csv: a row per (policy, rate)
    const rows = reference['sweep.csv']!.trimEnd().split('\n');
    expect(rows).toHaveLength(13);
    expect(rows.slice(1).every((r) => r.split(',')[5] === 'ok')).toBe(true);
    expect(
      reference['summary.csv']!.trimEnd()
        .split('\n')
        .map((r) => r.split(',').slice(0, 3).join(',')),
    ).toEqual(['allocator,frameworks.0.workload.rate,seeds', 'drf,0.5,3', 'drf,1,3', 'random,0.5,3', 'random,1,3']);
    // a merge missing a shard says so (exit 2) and marks the points missing
    const partial = cli('merge', join(tmp, 'shard-0'), '--out', join(tmp, 'partial'));
    expect(partial.code).toBe(2);
    expect(partial.err).toMatch(/8 points are in none of the directories/);
  });

  test('Slurm array variables choose the shard when --shard is absent', () => {
    const out = join(tmp, 'slurm-env');
    const r = spawnSync(process.execPath, [CLI, 'sweep', EXAMPLE, '--out', out, '--workers', '1'], {
      encoding: 'utf8',
      env: { ...ENV, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' },
    });
    expect(r.status).toBe(0);
    // shard 1/4: points 1, 5, 9
    expect(r.stdout).toMatch(/\(shard 1\/4\): 3 of 12 points, 3 run/);
  });
});

describe('resumable', () => {
  test('a rerun skips finished points; a half-written point never counts', () => {
    const dir = join(tmp, 'resume');
    expect(cli('sweep', EXAMPLE, '--out', dir, '--workers', '1').code).toBe(0);
    const before = files(dir);
    const points = readdirSync(join(dir, 'points'));
    // One point lost, another left half-written (as a killed run leaves it).
    rmSync(join(dir, 'points', points[0]!), { recursive: true });
    mkdirSync(join(dir, 'points', `${points[1]!}.partial-999`));
    writeFileSync(join(dir, 'points', `${points[1]!}.partial-999`, 'summary.json'), '{');
    const r = cli('sweep', EXAMPLE, '--out', dir, '--workers', '1');
    expect(r.out).toMatch(/12 of 12 points, 1 run, 11 already done, 0 failed/);
    expect(files(dir)).toEqual(before);
  });

  test('kill -9 in the middle of a sweep loses nothing: the rerun completes it, identical to an uninterrupted one', async () => {
    const dir = join(tmp, 'killed');
    const child = spawn(process.execPath, [CLI, 'sweep', EXAMPLE, '--out', dir, '--workers', '1'], { stdio: 'ignore', env: ENV });
    // Wait for some points to be finished, then kill it without warning.
    const pointsDone = (): number =>
      existsSync(join(dir, 'points')) ? readdirSync(join(dir, 'points')).filter((f) => existsSync(join(dir, 'points', f, 'manifest.json'))).length : 0;
    await new Promise<void>((res) => {
      const poll = setInterval(() => {
        if (pointsDone() >= 3 || child.exitCode !== null) {
          clearInterval(poll);
          res();
        }
      }, 5);
    });
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const r = cli('sweep', EXAMPLE, '--out', dir, '--workers', '1');
    expect(r.code).toBe(0);
    const reference = join(tmp, 'uninterrupted');
    execFileSync(process.execPath, [CLI, 'sweep', EXAMPLE, '--out', reference, '--workers', '1'], { stdio: 'ignore', env: ENV });
    expect(files(dir)).toEqual(files(reference));
    // three sweeps of child processes: on a busy machine they take longer than jest's 5 s default
  }, 120_000);
});

describe('failed points', () => {
  test('are reported with their error, do not stop the others, exit 3, and are retried by a rerun', () => {
    // A user module that fails in its first allocation run when its parameter says so.
    const module = join(tmp, 'flaky.js');
    writeFileSync(
      module,
      `import example from ${JSON.stringify(pathToFileURL(join(ROOT, 'docs', 'examples', 'least-allocated.js')).href)};
import { policyEntry } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'allocators', 'share-policy.js')).href)};
const base = policyEntry(example);
export default {
  ...base,
  name: 'flaky',
  params: [{ name: 'fail', description: 'fail in the first allocation run', default: 'false' }],
  validate: () => [],
  create(options) {
    const a = base.create({ ...options, params: {} });
    if (options.params?.fail === true) a.allocate = () => { throw new Error('flaky: asked to fail'); };
    return a;
  },
};
`,
    );
    const scenario = join(tmp, 'flaky.yaml');
    writeFileSync(
      scenario,
      `${readFileSync(EXAMPLE, 'utf8').replace(/^sweep:[\s\S]*$/m, '')}
allocator: { module: ./flaky.js, params: { fail: false } }
sweep:
  matrix:
    allocator.params.fail: [false, true]
  seeds: 2
`,
    );
    const dir = join(tmp, 'flaky-out');
    const r = cli('sweep', scenario, '--out', dir, '--workers', '2');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/4 of 4 points, 2 run, 0 already done, 2 failed/);
    expect(r.err.match(/failed: .*flaky: asked to fail/g)).toHaveLength(2);
    const rows = readFileSync(join(dir, 'sweep.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((row) => row.split(',').slice(2, 5).join(' '));
    expect(rows).toEqual(['false 1 ok', 'false 2 ok', 'true 1 failed', 'true 2 failed']);
    // A rerun retries only the failed points.
    const again = cli('sweep', scenario, '--out', dir, '--workers', '1');
    expect(again.out).toMatch(/4 of 4 points, 0 run, 2 already done, 2 failed/);
  });

  test("that bad input failed (a strict trace's bad row read during the run) exit 2 naming the row, in the main thread and in workers", () => {
    // Row 3 of the trace has a map input size of "x": a non-strict run skips it (and runs two
    // jobs), a strict one stops there. Only the strict points fail, and for the input alone.
    writeFileSync(join(tmp, 'bad-row.tsv'), 'job0\t10\t10\t134217728\t0\t0\njob1\t20\t10\t134217728\t0\t0\njob2\t30\t10\tx\t0\t0\n');
    const scenario = join(tmp, 'bad-row.yaml');
    writeFileSync(
      scenario,
      `cluster:
  agents:
    - { count: 2, cpus: 8, mem: 4096 }
frameworks: [ { name: f } ]
traces: [ { file: bad-row.tsv, format: swim, framework: f } ]
sweep:
  matrix:
    traces.0.strict: [false, true]
`,
    );
    for (const workers of ['1', '2']) {
      const dir = join(tmp, `bad-row-out-${workers}`);
      const r = cli('sweep', scenario, '--out', dir, '--workers', workers);
      expect({ workers, code: r.code }).toEqual({ workers, code: 2 });
      expect(r.out).toMatch(/2 of 2 points, 1 run, 0 already done, 1 failed/);
      // The bad input's own message (file:line), not a broken invariant around it.
      expect(r.err).toMatch(/point 1 \(.*\) failed: .*bad-row\.tsv:3:1: field 4 \(map input bytes\) is not a number/);
      expect(r.err).not.toMatch(/invariant|internal error/);
    }
  }, 60_000);
});
