/**
 * docs/outputs.md's pandas snippet, taken from the page (so the page cannot drift from what
 * works), run with python3 and pandas (Debian's python3-pandas, installed by
 * scripts/ensure-pandas.sh when missing) on a fresh run and sweep; every number it prints is
 * checked against the files offersim wrote. Skipped, saying why, only where pandas cannot be
 * installed. Runs and sweeps run in child processes of the built CLI (npm run build first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../reports/csv-read.js';
import { ROOT, spawnCli } from './test-support/child.js';

const ensure = spawnSync('bash', [join(ROOT, 'scripts', 'ensure-pandas.sh')], { encoding: 'utf8', timeout: 900_000 });
const python = ensure.status === 0 ? ensure.stdout.trim() : undefined;
if (ensure.status !== 0 && ensure.status !== 77) throw new Error(`scripts/ensure-pandas.sh failed (${String(ensure.status)}): ${ensure.stderr}`);
if (python === undefined) process.stderr.write(`outputs-pandas.test: skipped: ${ensure.stderr.trim()}\n`);

/** The first ```python block after the page's "## pandas" heading. */
function pandasSnippet(): string {
  const page = readFileSync(join(ROOT, 'docs', 'outputs.md'), 'utf8');
  const section = page.slice(page.indexOf('\n## pandas\n'));
  const m = /\n```python\n([\s\S]*?)\n```\n/.exec(section);
  if (m === null) throw new Error('docs/outputs.md: no ```python block in its pandas section');
  return m[1]!;
}

/** A CSV file's rows as objects by column name. */
function records(file: string): Record<string, string>[] {
  const [head = [], ...rows] = parseCsv(readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]!])));
}

const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;

(python === undefined ? describe.skip : describe)("docs/outputs.md's pandas snippet", () => {
  let tmp: string;
  /** What the snippet printed: each heading line with its indented `name value...` lines. */
  let sections: Map<string, Map<string, string[]>>;
  let run: string;
  let sweep: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'offersim-pandas-'));
    const small = readFileSync(join(ROOT, 'scenarios', 'golden', 'small.yaml'), 'utf8');
    // two parameters (a policy and a rate) x two seeds: eight points of the golden scenario
    const sweepYaml = `${small.replace('name: small', 'name: small-sweep')}sweep:\n  matrix:\n    allocator: [drf, random]\n    frameworks.0.workload.rate: [0.5, 1]\n  seeds: 2\n`;
    writeFileSync(join(tmp, 'sweep.yaml'), sweepYaml);
    run = join(tmp, 'run');
    sweep = join(tmp, 'sweep');
    const r = spawnCli(['run', join(ROOT, 'scenarios', 'golden', 'small.yaml'), '--out', run]);
    if (r.code !== 0) throw new Error(r.err);
    const s = spawnCli(['sweep', join(tmp, 'sweep.yaml'), '--out', sweep, '--workers', '1']);
    if (s.code !== 0) throw new Error(s.err);
    writeFileSync(join(tmp, 'analyse.py'), pandasSnippet());
    const py = spawnSync(python!, [join(tmp, 'analyse.py'), run, sweep], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`the pandas snippet failed (${String(py.status)}): ${py.stderr}`);
    sections = new Map();
    let current = new Map<string, string[]>();
    for (const line of py.stdout.trimEnd().split('\n')) {
      if (line.startsWith('  ')) {
        const [name, ...values] = line.trim().split(' ');
        current.set(name!, values);
      } else {
        current = new Map();
        sections.set(line, current);
      }
    }
  }, 300_000);
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const section = (title: string): Map<string, string[]> => {
    const s = sections.get(title);
    if (s === undefined) throw new Error(`the snippet printed no "${title}": ${[...sections.keys()].join(' | ')}`);
    return s;
  };
  /** A section's values (its first number per name), by name. */
  const numbers = (title: string): Record<string, number> => Object.fromEntries([...section(title)].map(([k, v]) => [k, Number(v[0])]));
  /** Each value printed with 6 decimals is within rounding (one cell's 0.5e-6 and the print's 0.5e-6) of the expected. */
  const close = (got: Record<string, number>, want: Record<string, number>): void => {
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expect([k, Math.abs(got[k]! - want[k]!) <= 1e-6]).toEqual([k, true]);
  };

  test("a run: Jain's index from summary.json, completion by framework from jobs.csv, jobs from frameworks.csv, peak pending from timeseries-long.csv", () => {
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as Record<string, number>;
    const jain = [...sections.keys()].find((k) => k.startsWith("run: Jain's index over the arrival window "));
    expect(jain).toBe(`run: Jain's index over the arrival window ${summary['jain_arrival_mean']!.toFixed(6)}`);
    const frameworks = records(join(run, 'frameworks.csv'));
    // the mean of jobs.csv's completion_s per framework is frameworks.csv's completion_mean_s
    close(
      numbers('run: mean completion time by framework (s), from jobs.csv'),
      Object.fromEntries(frameworks.map((f) => [f['framework']!, Number(f['completion_mean_s'])])),
    );
    // counts read as integers: pandas prints 34, not 34.0
    expect([...section('run: jobs by framework, from frameworks.csv')].map(([k, v]) => `${k} ${v.join(' ')}`)).toEqual(
      frameworks.map((f) => `${f['framework']} ${f['jobs']}`),
    );
    // the peak of each pending_<framework> column of the wide file
    const wide = records(join(run, 'timeseries.csv'));
    const peaks = Object.fromEntries(frameworks.map((f) => [f['framework']!, Math.max(...wide.map((r) => Number(r[`pending_${f['framework']}`] || 0)))]));
    expect(Object.values(peaks).some((p) => p > 1)).toBe(true);
    close(numbers('run: peak pending tasks by framework, from timeseries-long.csv'), peaks);
  });

  test("a sweep: Jain's index by allocator from sweep.csv, by combination from summary.csv, completion by allocator and framework from sweep-frameworks.csv", () => {
    const points = records(join(sweep, 'sweep.csv'));
    expect(points.map((p) => p['status'])).toEqual(Array(8).fill('ok'));
    const allocators = ['drf', 'random'];
    close(
      numbers("sweep: mean Jain's index over the arrival window by allocator, over seeds and parameters"),
      Object.fromEntries(allocators.map((a) => [a, mean(points.filter((p) => p['allocator'] === a).map((p) => Number(p['jain_arrival_mean'])))])),
    );
    // summary.csv's cells, printed as they are: allocator/rate mean ci95 (pandas reads the rates 0.5
    // and 1 as floats, which Python prints 0.5 and 1.0)
    expect([...section("sweep: Jain's index by parameter combination, mean and 95% CI half-width over seeds")].map(([k, v]) => [k, ...v])).toEqual(
      records(join(sweep, 'summary.csv')).map((c) => [
        `${c['allocator']}/${Number(c['frameworks.0.workload.rate']).toFixed(1)}`,
        c['jain_arrival_mean_mean'],
        c['jain_arrival_mean_ci95'],
      ]),
    );
    // from each point's own frameworks.csv: the mean over its seeds and rates of completion_mean_s
    const want: Record<string, number[]> = {};
    for (const p of points) {
      for (const f of records(join(sweep, 'points', p['hash']!, 'frameworks.csv'))) {
        (want[`${p['allocator']}/${f['framework']}`] ??= []).push(Number(f['completion_mean_s']));
      }
    }
    // 2 allocators x 3 frameworks, each over 4 points
    expect(Object.values(want).map((xs) => xs.length)).toEqual(Array(6).fill(4));
    close(
      numbers('sweep: mean completion time by allocator and framework (s), over seeds and parameters'),
      Object.fromEntries(Object.entries(want).map(([k, xs]) => [k, mean(xs)])),
    );
  });
});
