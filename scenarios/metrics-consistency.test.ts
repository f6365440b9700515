/**
 * The run's files agree on their definitions: timeseries.csv rows are means over their intervals,
 * so, weighted by those intervals, they give summary.json's utilisation and Jain's index and
 * frameworks.csv's mean shares, to the written precision. Checked on every bundled example and the
 * golden scenario (run through the built CLI) and on random small scenarios (in process, through
 * the same writers). And on the sweep example, Jain's minimum is not one value for every point.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { getAllocator } from '../allocators/registry.js';
import { parseCsv } from '../reports/csv-read.js';
import { frameworksCsv, summaryJson, timeseriesCsv } from '../reports/writers.js';
import type { Sample } from '../reports/metrics.js';
import { parseScenarioText } from './loader.js';
import { simulateScenario } from './run.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-consistency-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function cli(...args: string[]): { code: number; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, err: r.stderr };
}

/** A CSV's rows as objects by column name (cells as text). */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/**
 * Every row and the summary are written with 6 decimals: each is within 5e-7 of its exact value, so
 * a weighted mean of rows and the summary's figure differ by at most 1e-6 (plus float rounding).
 */
const WRITTEN = 1e-6 + 1e-9;

/** The written files of a run, as text. */
interface RunText {
  readonly summary: string;
  readonly frameworks: string;
  readonly timeseries: string;
}

/**
 * Checks that the rows, weighted by their intervals (each from the previous row's end, the first
 * from 0), give the summary's utilisation and frameworks.csv's share_mean; that the rows' Jain,
 * weighted by their Jain time, gives jain_mean, and their Jain times add up to jain_time_s; and that
 * no row's Jain falls below jain_min (a mean cannot be below the smallest value it averages).
 * The runs checked start at 0 (first_event_s 0) with agents from 0, so every row is inside the window.
 */
function expectAgreement(run: RunText): void {
  const summary = JSON.parse(run.summary) as Record<string, number | null>;
  const rows = records(run.timeseries);
  expect(summary['first_event_s']).toBe(0);
  expect(rows.length).toBeGreaterThan(0);
  const t = rows.map((r) => Number(r['t_s']));
  const len = t.map((x, k) => x - (k === 0 ? 0 : t[k - 1]!));
  const span = summary['run_end_s']!;
  const cell = (r: Record<string, string>, c: string): number | null => (r[c] === '' ? null : Number(r[c]));

  for (const res of ['cpus', 'mem', 'disk', 'gpus']) {
    const want = summary[`utilisation_${res}`]!;
    const cells = rows.map((r) => cell(r, `util_${res}`));
    if (want === null) {
      expect(cells.every((c) => c === null)).toBe(true);
      continue;
    }
    const mean = cells.reduce<number>((a, c, k) => a + c! * len[k]!, 0) / span;
    expect(Math.abs(mean - want)).toBeLessThanOrEqual(WRITTEN);
  }

  for (const f of records(run.frameworks)) {
    // empty cells are the rows before the framework registered: share 0 there, as share_mean counts it
    const mean = rows.reduce((a, r, k) => a + (cell(r, `share_${f['framework']}`) ?? 0) * len[k]!, 0) / span;
    expect(Math.abs(mean - Number(f['share_mean']))).toBeLessThanOrEqual(WRITTEN);
  }

  const jainTime = rows.reduce((a, r) => a + Number(r['jain_time_s']), 0);
  expect(jainTime).toBeCloseTo(Number(summary['jain_time_s']), 5);
  const jainMean = summary['jain_mean'];
  if (jainMean === null || jainMean === undefined) {
    expect(rows.every((r) => r['jain'] === '')).toBe(true);
  } else {
    const mean = rows.reduce((a, r) => a + (cell(r, 'jain') ?? 0) * Number(r['jain_time_s']), 0) / jainTime;
    expect(Math.abs(mean - jainMean)).toBeLessThanOrEqual(WRITTEN);
    const lowest = Math.min(...rows.flatMap((r) => (r['jain'] === '' ? [] : [Number(r['jain'])])));
    expect(lowest).toBeGreaterThanOrEqual(summary['jain_min']! - WRITTEN);
  }
  // the rows cover the run: the last ends at the run end
  expect(t[t.length - 1]).toBeCloseTo(span, 6);
}

const SCENARIOS = [
  ...readdirSync(join(ROOT, 'scenarios', 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join('examples', f)),
  join('golden', 'small.yaml'),
];

describe('timeseries.csv rows weighted by their intervals give the summary', () => {
  test.each(SCENARIOS)(
    'scenarios/%s',
    (file) => {
      const out = join(tmp, file.replace(/[/\\]/g, '-'));
      const run = cli('run', join(ROOT, 'scenarios', file), '--out', out, '--quiet');
      // A scenario with a sweep block runs its base point, and says so on stderr; nothing else is said.
      expect(run.err.replace(/^offersim: .* has a sweep block: this runs only its base point .*\n/, '')).toBe('');
      expect(run.code).toBe(0);
      const read = (name: string): string => readFileSync(join(out, name), 'utf8');
      expectAgreement({ summary: read('summary.json'), frameworks: read('frameworks.csv'), timeseries: read('timeseries.csv') });
    },
    60_000,
  );

  /** The fold's own rows (unrounded): the same weighted means, to float precision. */
  function expectExactAgreement(samples: readonly Sample[], utilisation: readonly number[], jainMean: number): void {
    let prev = 0;
    const util = [0, 0];
    let jain = 0;
    let jainTime = 0;
    for (const x of samples) {
      for (let i = 0; i < 2; i++) util[i]! += x.utilisation[i]! * (x.t - prev);
      if (x.jainTime > 0) {
        jain += x.jain * x.jainTime;
        jainTime += x.jainTime;
      }
      prev = x.t;
    }
    for (let i = 0; i < 2; i++) expect(util[i]! / prev).toBeCloseTo(utilisation[i]!, 9);
    if (jainTime > 0) expect(jain / jainTime).toBeCloseTo(jainMean, 9);
    else expect(jainMean).toBeNaN();
  }

  /*
   * Random small scenarios: 1-4 agents (some joining late), 2-3 batch frameworks in roles of
   * different weights (some subscribing late), Poisson arrivals for a few seconds, any row length
   * from 0.1 s to 5 s, any registered offer-based policy.
   */
  test('random small scenarios', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1000 }),
          policy: fc.constantFrom('drf', 'random', 'fifo'),
          agents: fc.integer({ min: 1, max: 4 }),
          cpus: fc.integer({ min: 2, max: 8 }),
          lateAgents: fc.integer({ min: 0, max: 2 }),
          interval: fc.constantFrom(0.1, 0.25, 0.7, 1, 2.5, 5),
          frameworks: fc.array(
            fc.record({
              weight: fc.constantFrom(1, 2, 3),
              addAt: fc.constantFrom(0, 0, 1.5, 4),
              rate: fc.double({ min: 0.5, max: 4, noNaN: true }),
              until: fc.integer({ min: 1, max: 15 }),
              maxTasks: fc.integer({ min: 1, max: 6 }),
              cpus: fc.integer({ min: 1, max: 2 }),
              duration: fc.double({ min: 0.2, max: 6, noNaN: true }),
            }),
            { minLength: 2, maxLength: 3 },
          ),
        }),
        (g) => {
          const scenario = {
            name: 'random',
            seed: g.seed,
            allocator: g.policy,
            roles: Object.fromEntries(g.frameworks.map((f, i) => [`r${i}`, { weight: f.weight }])),
            cluster: {
              agents: [
                { count: g.agents, prefix: 'a-', cpus: g.cpus, mem: 8192 },
                ...(g.lateAgents > 0 ? [{ count: g.lateAgents, prefix: 'b-', cpus: g.cpus, mem: 8192, addAt: 3 }] : []),
              ],
            },
            frameworks: g.frameworks.map((f, i) => ({
              name: `f${i}`,
              role: `r${i}`,
              ...(f.addAt > 0 ? { addAt: f.addAt } : {}),
              workload: {
                kind: 'poisson',
                // a framework's jobs may not arrive before it subscribes
                ...(f.addAt > 0 ? { start: f.addAt } : {}),
                rate: f.rate,
                until: f.until,
                tasksPerJob: { uniform: [1, f.maxTasks] },
                task: { cpus: f.cpus, mem: 1024, duration: { exponential: f.duration } },
              },
            })),
            output: { sampleInterval: g.interval },
          };
          const file = 'random.json';
          const { scenario: parsed } = parseScenarioText(JSON.stringify(scenario), file);
          const allocator = { entry: getAllocator(g.policy)!, module: undefined };
          const { metrics } = simulateScenario({ scenario: parsed, file, sha256: '', text: '', overrides: [], allocator });
          const s = metrics.summary;
          expectExactAgreement(metrics.samples, s.utilisation, s.jainMean);
          expectAgreement({
            summary: summaryJson(s),
            frameworks: frameworksCsv(metrics.frameworks),
            timeseries: timeseriesCsv(metrics.samples, metrics.frameworks),
          });
        },
      ),
      { numRuns: 30, seed: 13 },
    );
  }, 120_000);
});

describe("Jain's index on the sweep example", () => {
  /*
   * Counting a framework with one running task and nothing pending as having demand put every
   * point's minimum at the same drain instant value (0.503145: one framework's single task against
   * the other's backlog). Points whose event streams differ now have different minima.
   */
  test('jain_min and jain_arrival_min differ between points that differ', () => {
    const out = join(tmp, 'sweep');
    const r = cli('sweep', join(ROOT, 'scenarios', 'examples', 'sweep.yaml'), '--workers', '1', '--out', out);
    expect(r.code).toBe(0);
    const points = records(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    expect(points).toHaveLength(12);
    const byStream = new Map<string, Record<string, string>>();
    for (const p of points) {
      const m = JSON.parse(readFileSync(join(out, 'points', p['hash']!, 'manifest.json'), 'utf8')) as { fingerprint: string };
      byStream.set(m.fingerprint, p);
    }
    const distinct = [...byStream.values()];
    expect(distinct.length).toBeGreaterThan(1);
    expect(new Set(distinct.map((p) => p['jain_min'])).size).toBeGreaterThan(1);
    expect(new Set(distinct.map((p) => p['jain_arrival_min'])).size).toBeGreaterThan(1);
  }, 120_000);
});
