/**
 * The inputs of `offersim compare`: a sweep directory and the same runs given as run directories
 * give the same runs; policies are labelled by what differs; runs of different workloads, of one
 * policy and seed twice, or directories that are no runs are refused. The runs are made by the
 * built CLI in a child process (jest's module sandbox slows simulations tenfold).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns } from '../reports/compare.js';
import { compareInputs, firstDifference, readRun, runDirectories } from './compare.js';
import { InputError } from './errors.js';
import { spawnCli } from './test-support/child.js';
import { TINY_SWEEP } from './test-support/tiny-sweep.js';

let tmp: string;
let sweep: string;
let other: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-compare-'));
  writeFileSync(join(tmp, 'tiny.yaml'), TINY_SWEEP);
  sweep = join(tmp, 'sweep');
  const s = spawnCli(['sweep', join(tmp, 'tiny.yaml'), '--out', sweep, '--workers', '1']);
  expect(s.code).toBe(0);
  // The base point with a faster arrival rate: another workload.
  other = join(tmp, 'other');
  const r = spawnCli(['run', join(tmp, 'tiny.yaml'), '--seed', '2', '--set', 'frameworks.0.workload.rate=1', '--out', other]);
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('not refused');
};

describe('compare inputs', () => {
  test('a sweep directory is its points, labelled by allocator', () => {
    const runs = compareInputs([sweep]);
    expect(runs.map((r) => `${r.policy}/${r.seed}`)).toEqual(['drf/1', 'drf/2', 'drf/3', 'random/1', 'random/2', 'random/3', 'fifo/1', 'fifo/2', 'fifo/3']);
    // Each run's summary and frameworks are its point's files, as numbers.
    const first = JSON.parse(readFileSync(join(runDirectories([sweep])[0]!, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(runs[0]!.summary['utilisation_cpus']).toBe(first['utilisation_cpus']);
    expect(runs[0]!.summary['end_reason']).toBeNull();
    expect([...runs[0]!.frameworks.keys()]).toEqual(['analytics', 'etl']);
    expect(typeof runs[0]!.frameworks.get('etl')!['completion_p50_s']).toBe('number');
  });

  test('the same runs given as run directories compare the same', () => {
    const points = runDirectories([sweep]);
    const options = { reference: 'drf', metrics: ['utilisation_cpus', 'completion_p95_s', 'offers_declined_share'], frameworks: true };
    const fromSweep = compareRuns(compareInputs([sweep]), options);
    const fromRuns = compareRuns(compareInputs([...points].reverse()), options);
    expect(fromRuns).toEqual(fromSweep);
    // Not vacuous: three policies, three seeds each, paired.
    expect(fromSweep.policies).toEqual(['drf', 'fifo', 'random']);
    expect(fromSweep.rows.filter((r) => r.framework === null).every((r) => r.n === 3)).toBe(true);
  });

  test('runs of different workloads are refused, naming both runs and the first differing field', () => {
    const points = runDirectories([sweep]);
    expect(message(() => compareInputs([points[0]!, other]))).toBe(
      `${other}: ran a different workload from ${points[0]} (their scenarios differ at frameworks.0.workload.rate, which is not a compared field: name it with --by, or pass --allow-different-workloads)`,
    );
    // Named as a compared field, it labels the policies; allowed, the policy is the allocator.
    const by = compareInputs([points[0]!, other], { by: ['frameworks.0.workload.rate'] });
    expect(by.map((r) => r.policy)).toEqual(['0.5', '1']);
    const allowed = compareInputs([points[0]!, other], { allowDifferentWorkloads: true });
    expect(allowed.map((r) => `${r.policy}/${r.seed}`)).toEqual(['drf/1', 'drf/2']);
  });

  test('several varying fields label as field=value', () => {
    const points = runDirectories([sweep]);
    const runs = compareInputs([points[0]!, points[3]!, other], { by: ['frameworks.0.workload.rate'] });
    expect(runs.map((r) => r.policy)).toEqual([
      'allocator=drf frameworks.0.workload.rate=0.5',
      'allocator=random frameworks.0.workload.rate=0.5',
      'allocator=drf frameworks.0.workload.rate=1',
    ]);
  });

  test('offers and yarn under two schedulers: the yarn block is compared, and labelled by what differs inside it', () => {
    // The same workload under offers (drf) and under yarn with the capacity and fair schedulers:
    // the yarn runs' resolved scenarios hold a whole yarn block of defaults, the offers run none.
    const dirs = ['offers', 'capacity', 'fair'].map((name) => join(tmp, `arch-${name}`));
    const sets = [[], ['architecture=yarn', 'yarn.scheduler=capacity'], ['architecture=yarn', 'yarn.scheduler=fair']];
    dirs.forEach((dir, i) => {
      const r = spawnCli(['run', join(tmp, 'tiny.yaml'), '--seed', '1', ...sets[i]!.flatMap((s) => ['--set', s]), '--out', dir]);
      expect(r.code).toBe(0);
    });
    // Only the scheduler differs inside the yarn block, and an offers run (architecture left out: the
    // default) has no yarn.scheduler to show.
    expect(compareInputs(dirs).map((r) => r.policy)).toEqual([
      'architecture=(default)',
      'architecture=yarn yarn.scheduler=capacity',
      'architecture=yarn yarn.scheduler=fair',
    ]);
    // Two yarn runs alone: the scheduler is the one field that differs, so it is the label.
    expect(compareInputs(dirs.slice(1)).map((r) => r.policy)).toEqual(['capacity', 'fair']);
  }, 60_000);

  test('what is no run, a run given twice or an unknown field is refused', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(message(() => compareInputs([empty]))).toBe(`${empty}: not an offersim run or sweep directory (no offersim manifest.json)`);
    const broken = join(tmp, 'broken-sweep');
    mkdirSync(broken);
    writeFileSync(join(broken, 'sweep.json'), JSON.stringify({ offersim: '0.2.0', points: [null] }));
    expect(message(() => compareInputs([broken]))).toBe(`${join(broken, 'sweep.json')}: a point without a hash`);
    writeFileSync(join(broken, 'sweep.json'), JSON.stringify({ offersim: '0.2.0', points: [] }));
    expect(message(() => compareInputs([broken]))).toBe(`${broken}: no finished runs to compare`);
    const p = runDirectories([sweep])[0]!;
    expect(message(() => compareInputs([sweep, p]))).toBe(`${p}: the same policy (drf) and seed (1) as ${p}: give each run once`);
    expect(message(() => compareInputs([sweep], { by: ['master.nothing'] }))).toBe("--by: no run's resolved scenario has a field master.nothing");
    // a near field name beside where the path ends: the whole path suggested
    expect(message(() => compareInputs([sweep], { by: ['master.allocationIntervall'] }))).toBe(
      `--by: no run's resolved scenario has a field master.allocationIntervall; did you mean "master.allocationInterval"?`,
    );
    expect(message(() => compareInputs([sweep], { by: ['sed'] }))).toBe(`--by: no run's resolved scenario has a field sed; did you mean "seed"?`);
    expect(message(() => compareInputs([sweep], { by: ['master.'] }))).toBe(
      '--by: "master." is no field: give a dotted path of the scenario, like master.offerGranularity',
    );
  });

  test('frameworks that share a name are told apart in registration order', () => {
    const copy = join(tmp, 'twins');
    cpSync(runDirectories([sweep])[0]!, copy, { recursive: true });
    const lines = readFileSync(join(copy, 'frameworks.csv'), 'utf8').trimEnd().split('\n');
    // A second "etl" row whose completion median is 1234.
    const etl = lines[2]!.split(',');
    const at = lines[0]!.split(',').indexOf('completion_p50_s');
    etl[at] = '1234.000000';
    writeFileSync(join(copy, 'frameworks.csv'), [...lines, etl.join(',')].join('\n') + '\n');
    const r = readRun(copy);
    expect([...r.frameworks.keys()]).toEqual(['analytics', 'etl', 'etl#2']);
    expect(r.frameworks.get('etl#2')!['completion_p50_s']).toBe(1234);
    expect(r.frameworks.get('etl')!['completion_p50_s']).not.toBe(1234);
  });

  test('firstDifference walks keys in order', () => {
    expect(firstDifference({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toBe('b.c.1');
    expect(firstDifference({ a: 1 }, { a: 1, z: 0 })).toBe('z');
    expect(firstDifference({ a: [1] }, { a: [1] })).toBeUndefined();
  });
});

describe('offersim compare', () => {
  let runs: string[];
  beforeAll(() => {
    // The sweep's nine points, run one by one as `offersim run` runs them: their own run directories.
    runs = [];
    for (const allocator of ['drf', 'random', 'fifo'])
      for (const seed of [1, 2, 3]) {
        const dir = join(tmp, `run-${allocator}-${seed}`);
        expect(spawnCli(['run', join(tmp, 'tiny.yaml'), '--seed', String(seed), '--set', `allocator=${allocator}`, '--out', dir]).code).toBe(0);
        runs.push(dir);
      }
  });

  test('a sweep and the same runs as run directories give the same table and files', () => {
    const a = spawnCli(['compare', sweep, '--frameworks', '--markdown', join(tmp, 'a.md'), '--csv', join(tmp, 'a.csv')]);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    const b = spawnCli(['compare', ...runs, '--frameworks', '--markdown', join(tmp, 'b.md'), '--csv', join(tmp, 'b.csv')]);
    expect(b.code).toBe(0);
    expect(b.out).toBe(a.out);
    expect(readFileSync(join(tmp, 'b.md'), 'utf8')).toBe(readFileSync(join(tmp, 'a.md'), 'utf8'));
    expect(readFileSync(join(tmp, 'b.csv'), 'utf8')).toBe(readFileSync(join(tmp, 'a.csv'), 'utf8'));
    // Not vacuous: 3 policies x 9 headline metrics overall, and per framework the 5 frameworks.csv has, for 2 frameworks.
    const csv = readFileSync(join(tmp, 'a.csv'), 'utf8');
    expect(csv.includes('\r')).toBe(false);
    expect(csv.trimEnd().split('\n')).toHaveLength(1 + 3 * 9 + 2 * 3 * 5);
    expect(a.out).toMatch(/^3 policies, 3 seeds, reference drf;/);
    expect(Math.max(...a.out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    // Again over its own outputs: byte-identical.
    const again = spawnCli(['compare', sweep, '--frameworks', '--markdown', join(tmp, 'a.md'), '--csv', join(tmp, 'a.csv')]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(tmp, 'a.csv'), 'utf8')).toBe(csv);
    // --reference and --metrics choose.
    const r = spawnCli(['compare', sweep, '--reference', 'random', '--metrics', 'utilisation_cpus,makespan_s']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/reference random;/);
    expect(r.out.split('\n').filter((l) => /^(utilisation_cpus|makespan_s) /.test(l))).toHaveLength(4);
  });

  test('--json: the comparison on stdout alone, the same numbers as the tidy CSV', () => {
    // sweep --json: resuming the finished sweep, its one JSON line counts 3 allocators x 3 seeds = 9 points, all done.
    const sj = spawnCli(['sweep', join(tmp, 'tiny.yaml'), '--out', sweep, '--workers', '1', '--json']);
    expect(sj.code).toBe(0);
    expect(JSON.parse(sj.out)).toMatchObject({ dir: sweep, shard: null, points: { total: 9, mine: 9, ran: 0, skipped: 9, failed: [] } });
    const j = spawnCli(['compare', sweep, '--frameworks', '--json']);
    expect(j.code).toBe(0);
    expect(j.out.trimEnd().split('\n')).toHaveLength(1);
    const o = JSON.parse(j.out) as { reference: string; policies: string[]; rows: Record<string, unknown>[] };
    expect([o.reference, o.policies]).toEqual(['drf', ['drf', 'fifo', 'random']]);
    const csv = spawnCli(['compare', sweep, '--frameworks', '--csv', join(tmp, 'j.csv')]);
    expect(csv.code).toBe(0);
    const [head, ...rows] = readFileSync(join(tmp, 'j.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    expect(o.rows).toHaveLength(rows.length);
    // Row by row (same order): policy, framework, metric key, n, and the mean and difference to the CSV's six decimals.
    const col = (name: string): number => head!.indexOf(name);
    const six = (x: unknown): string => (x === null ? '' : (x as number).toFixed(6));
    rows.forEach((r, i) => {
      const x = o.rows[i]!;
      expect([x['policy'], x['framework'] ?? '', x['metric'], String(x['n']), six(x['mean']), six(x['diff'])]).toEqual([
        r[col('policy')],
        r[col('framework')],
        r[col('metric')],
        r[col('n')],
        r[col('mean')],
        r[col('diff')],
      ]);
    });
  });

  test('--where keeps the runs of one workload: the sweep plus a run at another rate compares as the sweep alone', () => {
    // The sweep's points all have frameworks.0.workload.rate 0.5 (tiny-sweep.ts); `other` ran at 1.
    const alone = spawnCli(['compare', sweep]);
    expect(alone.code).toBe(0);
    const mixed = spawnCli(['compare', sweep, other]);
    expect([mixed.code, mixed.err]).toEqual([2, expect.stringContaining('frameworks.0.workload.rate')]);
    const kept = spawnCli(['compare', sweep, other, '--where', 'frameworks.0.workload.rate=0.5']);
    expect([kept.code, kept.out]).toEqual([0, alone.out]);
    // At rate 1 only `other` is left: one policy (drf) and its one seed (2).
    const one = spawnCli(['compare', sweep, other, '--where', 'frameworks.0.workload.rate=1']);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^1 policy, 1 seed, reference drf;/);
    // A value no run has names the values there are; an unknown field suggests the near one.
    const none = spawnCli(['compare', sweep, other, '--where', 'frameworks.0.workload.rate=2']);
    expect([none.code, none.err.trim()]).toEqual([2, "--where: no run has frameworks.0.workload.rate=2 (the runs' values: 0.5, 1)"]);
    const typo = spawnCli(['compare', sweep, '--where', 'frameworks.0.workload.rat=1']);
    expect([typo.code, typo.err]).toEqual([2, expect.stringContaining('did you mean "frameworks.0.workload.rate"?')]);
  });

  test('bad input is one line naming the file or flag, exit 2, and no file written', () => {
    const md = join(tmp, 'refused.md');
    const cases: [string[], string][] = [
      [[runs[0]!, other], `${other}: ran a different workload from ${runs[0]} (their scenarios differ at frameworks.0.workload.rate`],
      [[sweep, '--metrics', 'utilisation_cpus,nope'], '--metrics: "nope" is no numeric metric of summary.json (docs/metrics.md)'],
      [[sweep, '--metrics', 'end_reason'], '--metrics: "end_reason" is no numeric metric of summary.json'],
      [[sweep, '--reference', 'drr'], '--reference: no runs of a policy "drr" (the policies: drf, random, fifo)'],
      [[sweep, '--by', 'master.nothing'], "--by: no run's resolved scenario has a field master.nothing"],
      [[join(tmp, 'tiny.yaml')], `${join(tmp, 'tiny.yaml')}: not an offersim run or sweep directory (not a directory)`],
      [[sweep, '--csv', join(sweep, 'c.csv')], `${join(sweep, 'c.csv')}: --csv names a path inside ${sweep}, a compared directory: write it elsewhere`],
      [[sweep, '--reference', 'drf', '--reference', 'fifo'], '--reference: given 2 times ("drf", "fifo"): give it once'],
      [[sweep, '--colour'], 'offersim: Unknown argument: colour'],
    ];
    for (const [args, message] of cases) {
      const r = spawnCli(['compare', ...args, '--markdown', md]);
      expect([r.code, r.err.split('\n')[0]!.slice(0, message.length)]).toEqual([2, message]);
      expect(r.out).toBe('');
      expect(existsSync(md)).toBe(false);
    }
  });

  test('a file offersim did not write is never overwritten', () => {
    const mine = join(tmp, 'notes.csv');
    writeFileSync(mine, 'my notes\n');
    const r = spawnCli(['compare', sweep, '--csv', mine]);
    expect([r.code, r.err]).toEqual([2, `${mine}: exists and is not a CSV file offersim compare wrote: move it away or name another --csv\n`]);
    expect(readFileSync(mine, 'utf8')).toBe('my notes\n');
  });

  test('--html: one self-contained page, byte-identical when written again, refused over a page it did not write', () => {
    const page = join(tmp, 'compare.html');
    const a = spawnCli(['compare', sweep, '--frameworks', '--html', page]);
    expect([a.code, a.err]).toEqual([0, '']);
    const first = readFileSync(page, 'utf8');
    // the tables (overall and per framework: analytics, etl) and, per metric, a chart of the
    // means and one of the differences, in one vegaEmbed call each; no network
    expect(first.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(first).toContain('<title>offersim compare - offersim report</title>');
    expect(first).toContain('<table class="data" id="compare">');
    expect(first).toContain('<h2>Policies x metrics: framework etl</h2>');
    expect(first).toContain('<th class="num">random - drf (95% CI)</th>');
    expect(first).toMatch(/vegaEmbed\('#c\d+', \{[^\n]*"title":"CPU utilisation by policy"/);
    expect(first).toMatch(/vegaEmbed\('#c\d+', \{[^\n]*"title":"CPU utilisation: difference from drf"/);
    expect(first).not.toMatch(/<script[^>]*\ssrc=/i);
    const again = spawnCli(['compare', sweep, '--frameworks', '--html', page]);
    expect(again.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toBe(first);
    const mine = join(tmp, 'mine.html');
    writeFileSync(mine, '<!DOCTYPE html>\n<title>my page</title>\n');
    const r = spawnCli(['compare', sweep, '--html', mine]);
    expect([r.code, r.err]).toEqual([2, `${mine}: exists and is not an HTML page offersim compare wrote: move it away or name another --html\n`]);
    expect(readFileSync(mine, 'utf8')).toBe('<!DOCTYPE html>\n<title>my page</title>\n');
    const same = spawnCli(['compare', sweep, '--html', page, '--markdown', page]);
    expect([same.code, same.err]).toEqual([2, `${page}: --markdown and --html name the same file\n`]);
  });
});
