/**
 * Analysis-ready outputs of a run and a sweep, as pandas and R read them: LF line ends in every
 * file, counts as integers, column names that frameworks named like fixed columns cannot
 * collide with, timeseries-long.csv holding exactly timeseries.csv's numbers, and
 * sweep-frameworks.csv holding exactly each point's frameworks.csv. Runs and sweeps run in child
 * processes of the built CLI (npm run build first).
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRAMEWORK_COLUMNS, JOB_COLUMNS, SUMMARY_METRICS } from '../reports/catalogue.js';
import { parseCsv } from '../reports/csv-read.js';
import { ROOT, outputFiles, spawnCli } from './test-support/child.js';

const SMALL = readFileSync(join(ROOT, 'scenarios', 'golden', 'small.yaml'), 'utf8');

/**
 * The golden scenario with frameworks named like timeseries.csv's fixed columns and its
 * prefixes' remainders: `total` (the old `pending_total`), `all`, `cpus` (as in `util_cpus`) and
 * `t_s`.
 */
const CLASHING = SMALL.replace('name: small', 'name: clashing')
  .replace('- name: cpu\n', '- name: total\n')
  .replace('- name: mem\n', '- name: all\n')
  .replace('- name: fixed\n', '- name: cpus\n')
  .replace(
    'output:',
    [
      '  - name: t_s',
      '    role: prod',
      '    workload:',
      '      kind: inline',
      '      jobs: [ { submit: 3, tasks: [ { cpus: 1, mem: 256, duration: 4, count: 3 } ] } ]',
      'output:',
    ].join('\n'),
  );

/** The golden scenario swept over two policies and two seeds: four points. */
const SWEEP = `${SMALL.replace('name: small', 'name: small-sweep')}sweep:\n  matrix:\n    allocator: [drf, random]\n  seeds: 2\n`;

let tmp: string;
let run: Record<string, string>;
let sweep: Record<string, string>;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-outputs-'));
  writeFileSync(join(tmp, 'clashing.yaml'), CLASHING);
  writeFileSync(join(tmp, 'sweep.yaml'), SWEEP);
  const r = spawnCli(['run', join(tmp, 'clashing.yaml'), '--out', join(tmp, 'run')]);
  if (r.code !== 0) throw new Error(r.err);
  const s = spawnCli(['sweep', join(tmp, 'sweep.yaml'), '--out', join(tmp, 'sweep'), '--workers', '1']);
  if (s.code !== 0) throw new Error(s.err);
  run = outputFiles(join(tmp, 'run'));
  sweep = outputFiles(join(tmp, 'sweep'));
}, 120_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A CSV file as a header and rows. */
function table(text: string): { head: string[]; rows: string[][] } {
  const [head = [], ...rows] = parseCsv(text);
  return { head, rows };
}

test('LF line ends: no CR in any file of a run or a sweep (its points included), timing.json too', () => {
  const timing = readFileSync(join(tmp, 'run', 'timing.json'), 'utf8');
  const all = { ...run, 'timing.json': timing, ...Object.fromEntries(Object.entries(sweep).map(([f, t]) => [`sweep/${f}`, t])) };
  // a run: 7 files and timing.json; the sweep: 4 points of 7 files, sweep.json, sweep.csv, summary.csv, sweep-frameworks.csv
  // (scenario.yaml is the scenario file's bytes as written: the test's has LF line ends)
  expect(Object.keys(all)).toHaveLength(8 + 4 * 7 + 4);
  expect(
    Object.entries(all)
      .filter(([, t]) => t.includes('\r'))
      .map(([f]) => f),
  ).toEqual([]);
  expect(Object.values(all).every((t) => t.endsWith('\n'))).toBe(true);
});

describe('counts are integers, everywhere a run or a sweep writes one', () => {
  const INTEGER = /^-?\d+$/;
  const SIX_DECIMALS = /^-?\d+\.\d{6}$/;
  const counts = SUMMARY_METRICS.filter((m) => m.format === 'integer').map((m) => m.key);

  test("summary.json, frameworks.csv and jobs.csv: the catalogue's integer columns have no decimals", () => {
    // e.g. "jobs": 52 (as many as jobs.csv has rows), never 52.000000
    const json = run['summary.json']!;
    for (const k of counts) expect(json).toMatch(new RegExp(`"${k}": \\d+,?\\n`));
    expect(json).toContain(`"jobs": ${table(run['jobs.csv']!).rows.length},\n`);
    for (const [file, columns] of [
      ['frameworks.csv', FRAMEWORK_COLUMNS],
      ['jobs.csv', JOB_COLUMNS],
    ] as const) {
      const { head, rows } = table(run[file]!);
      for (const c of columns.filter((x) => x.format === 'integer')) {
        const cells = rows.map((r) => r[head.indexOf(c.key)]!).filter((x) => x !== '');
        expect(cells.length).toBeGreaterThan(0);
        expect(cells.filter((x) => !INTEGER.test(x))).toEqual([]);
      }
    }
  });

  test('sweep.csv: counts as integers, other metrics with 6 decimals; summary.csv: seeds an integer, means with decimals', () => {
    const { head, rows } = table(sweep['sweep.csv']!);
    expect(rows).toHaveLength(4);
    for (const k of counts) expect(rows.map((r) => r[head.indexOf(k)]).filter((x) => !INTEGER.test(x!))).toEqual([]);
    // a fraction is not a count: 6 decimals
    expect(rows.map((r) => r[head.indexOf('utilisation_cpus')]).every((x) => SIX_DECIMALS.test(x!))).toBe(true);
    const summary = table(sweep['summary.csv']!);
    expect(summary.rows.map((r) => r[summary.head.indexOf('seeds')])).toEqual(['2', '2']);
    // a mean over seeds is not a count: jobs_mean keeps its decimals
    expect(summary.rows.every((r) => SIX_DECIMALS.test(r[summary.head.indexOf('jobs_mean')]!))).toBe(true);
  });
});

describe('timeseries.csv with frameworks named total, all, cpus and t_s', () => {
  test('no duplicate header; every framework found by name; pending is the sum of pending_<framework>', () => {
    const { head, rows } = table(run['timeseries.csv']!);
    expect(new Set(head).size).toBe(head.length);
    // frameworks.csv's order, that of registration: total, all, t_s, then cpus (added at 5 s)
    expect(head).toEqual([
      't_s',
      'util_cpus',
      'util_mem',
      'util_disk',
      'util_gpus',
      'share_total',
      'share_all',
      'share_t_s',
      'share_cpus',
      'pending',
      'pending_total',
      'pending_all',
      'pending_t_s',
      'pending_cpus',
      'jain',
      'jain_time_s',
    ]);
    const col = (name: string): number[] => rows.map((r) => Number(r[head.indexOf(name)] || 0));
    const names = ['total', 'all', 't_s', 'cpus'];
    const sum = rows.map((_, i) => names.reduce((a, n) => a + col(`pending_${n}`)[i]!, 0));
    // each cell is rounded to 6 decimals: the sum of four is within 4 x 0.5e-6 of the total's cell
    col('pending').forEach((p, i) => expect(Math.abs(p - sum[i]!)).toBeLessThanOrEqual(2.5e-6));
    // and pending is not always 0, so the check says something
    expect(col('pending').some((p) => p > 1)).toBe(true);
  });

  test('timeseries-long.csv holds exactly the numbers of timeseries.csv, one per row, in the documented order', () => {
    const wide = table(run['timeseries.csv']!);
    const long = table(run['timeseries-long.csv']!);
    expect(long.head).toEqual(['time_s', 'framework', 'metric', 'value']);
    // one row per cell of the wide file but t_s: a row per sample x 15 cells
    expect(wide.rows.length).toBeGreaterThan(10);
    expect(long.rows).toHaveLength(wide.rows.length * (wide.head.length - 1));
    // the wide file's cells keyed by (time, framework, metric), as the long file names them
    const key = (t: string, fw: string, metric: string): string => JSON.stringify([t, fw, metric]);
    const fromWide = new Map<string, string>();
    for (const r of wide.rows) {
      wide.head.forEach((h, c) => {
        if (h === 't_s') return;
        const m = /^(share|pending)_(.+)$/.exec(h);
        fromWide.set(m === null ? key(r[0]!, '', h) : key(r[0]!, m[2]!, m[1]!), r[c]!);
      });
    }
    const fromLong = new Map(long.rows.map((r) => [key(r[0]!, r[1]!, r[2]!), r[3]!]));
    expect(fromLong.size).toBe(long.rows.length);
    expect(fromLong).toEqual(fromWide);
    // the first sample's rows: the cluster's metrics, then each framework's share and pending
    expect(long.rows.slice(0, 15).map((r) => `${r[1]}:${r[2]}`)).toEqual([
      ':util_cpus',
      ':util_mem',
      ':util_disk',
      ':util_gpus',
      ':pending',
      ':jain',
      ':jain_time_s',
      'total:share',
      'total:pending',
      'all:share',
      'all:pending',
      't_s:share',
      't_s:pending',
      'cpus:share',
      'cpus:pending',
    ]);
    // times never go back
    const times = long.rows.map((r) => Number(r[0]));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
  });
});

test("sweep-frameworks.csv: each point's frameworks.csv rows, after the point's index, hash, parameters and seed", () => {
  const manifest = JSON.parse(sweep['sweep.json']!) as { points: { index: number; hash: string; params: { allocator: string }; seed: number }[] };
  const { head, rows } = table(sweep['sweep-frameworks.csv']!);
  const expected: string[][] = [];
  let fwHead: string[] = [];
  for (const p of manifest.points) {
    const own = table(sweep[join('points', p.hash, 'frameworks.csv')]!);
    fwHead = own.head;
    for (const r of own.rows) expected.push([String(p.index), p.hash, p.params.allocator, String(p.seed), ...r]);
  }
  expect(head).toEqual(['point', 'hash', 'allocator', 'seed', ...fwHead]);
  // 4 points x 3 frameworks
  expect(rows).toHaveLength(12);
  expect(rows).toEqual(expected);
  expect(rows.map((r) => `${r[2]}/${r[3]}/${r[4]}`).slice(0, 4)).toEqual(['drf/1/cpu', 'drf/1/mem', 'drf/1/fixed', 'drf/2/cpu']);
});
