/**
 * The metric catalogue: every row of every file has each of its fields, well formed; keys are
 * unique per file; the rules that tie fields together hold (a `_s` key is seconds, a fraction takes
 * the absolute tolerance); and every row's value is found in a real fold result. A metric added
 * without one of these fails here, whatever the type checker was told.
 */
import { describe, expect, test } from '@jest/globals';
import {
  DIRECTIONS,
  FOLDS,
  FORMATS,
  FRACTION_TOLERANCE,
  FRAMEWORK_COLUMNS,
  JOB_COLUMNS,
  LOCALITY_LEVELS,
  RELATIVE_TOLERANCE,
  SERIES_COLUMNS,
  SUMMARY_METRICS,
  UNITS,
  known,
} from './catalogue.js';
import { SWEEP_METRICS } from './sweep-charts.js';
import { MetricsFold } from './metrics-fold.js';
import type { MetricsResult } from './metrics.js';
import { streamA } from './test-support/log.js';

/** Rows as plain data: what a row is when nothing checked its type. */
type Row = Readonly<Record<string, unknown>>;
const rows = (rs: readonly object[]): readonly Row[] => rs as readonly Row[];

const FILES: readonly (readonly [file: string, rows: readonly Row[]])[] = [
  ['summary.json', rows(SUMMARY_METRICS)],
  ['frameworks.csv', rows(FRAMEWORK_COLUMNS)],
  ['jobs.csv', rows(JOB_COLUMNS)],
  ['timeseries.csv', rows(SERIES_COLUMNS)],
];

/** What is wrong with a row's common fields (key, description, unit, format, fold, value), as messages. */
function rowProblems(r: Row, family: boolean): string[] {
  const out: string[] = [];
  const key = r['key'];
  if (typeof key !== 'string' || !(family ? /^[a-z][a-z0-9_]*_$/ : /^[a-z][a-z0-9_]*[a-z0-9]$/).test(key)) out.push(`key ${JSON.stringify(key)}`);
  const d = r['description'];
  if (typeof d !== 'string' || d.trim() === '' || d.includes('\n') || d.includes('|')) out.push('description (one line, no |)');
  if (typeof r['unit'] !== 'string' || !Object.hasOwn(UNITS, r['unit'])) out.push(`unit ${JSON.stringify(r['unit'])}`);
  if (typeof r['format'] !== 'string' || !Object.hasOwn(FORMATS, r['format'])) out.push(`format ${JSON.stringify(r['format'])}`);
  if (typeof r['fold'] !== 'string' || !Object.hasOwn(FOLDS, r['fold'])) out.push(`fold ${JSON.stringify(r['fold'])}`);
  if (typeof r['value'] !== 'function') out.push('value');
  return out;
}

/** What is wrong with a summary metric's rule (better, tolerance). */
function ruleProblems(r: Row): string[] {
  const out: string[] = [];
  if (!(DIRECTIONS as readonly unknown[]).includes(r['better'])) out.push(`better ${JSON.stringify(r['better'])}`);
  const t = r['tolerance'] as Readonly<Record<string, unknown>> | undefined;
  const ok = (x: unknown): boolean => x === undefined || (typeof x === 'number' && Number.isFinite(x) && x >= 0);
  if (
    typeof t !== 'object' ||
    t === null ||
    (t['abs'] === undefined && t['rel'] === undefined) ||
    !ok(t['abs']) ||
    !ok(t['rel']) ||
    Object.keys(t).some((k) => k !== 'abs' && k !== 'rel')
  ) {
    out.push(`tolerance ${JSON.stringify(t)}`);
  }
  return out;
}

/** Every problem of every row, as `file key: field` lines. */
function problems(files: readonly (readonly [string, readonly Row[]])[]): string[] {
  const out: string[] = [];
  for (const [file, rows] of files) {
    const seen = new Set<unknown>();
    for (const r of rows) {
      const family = file === 'timeseries.csv' && r['per'] !== 'row';
      const all = [...rowProblems(r, family), ...(file === 'summary.json' ? ruleProblems(r) : [])];
      if (seen.has(r['key'])) all.push('key used twice');
      seen.add(r['key']);
      out.push(...all.map((p) => `${file} ${String(r['key'])}: ${p}`));
    }
  }
  return out;
}

function foldA(): MetricsResult {
  const m = new MetricsFold({ sampleInterval: 1_000_000 });
  for (const r of streamA()) m.record(r);
  return m.finish();
}

describe('every row has every field', () => {
  test('the catalogue as committed has no problem', () => {
    expect(problems(FILES)).toEqual([]);
  });

  test('a row that lacks a field, or has a bad one, is named', () => {
    // The check itself must be able to fail: take each field away from a real row in turn.
    const m = rows(SUMMARY_METRICS).find((r) => r['key'] === 'offer_held_mean_s')!;
    for (const field of ['key', 'description', 'unit', 'format', 'fold', 'value', 'better', 'tolerance']) {
      const { [field]: _gone, ...rest } = m;
      expect(problems([['summary.json', [rest]]])).toEqual([expect.stringContaining(`: ${field}`)]);
    }
    expect(problems([['summary.json', [{ ...m, tolerance: {} }]]])).toEqual(['summary.json offer_held_mean_s: tolerance {}']);
    expect(problems([['summary.json', [{ ...m, better: 'up' }]]])).toEqual(['summary.json offer_held_mean_s: better "up"']);
    expect(problems([['summary.json', [{ ...m, description: ' ' }]]])).toEqual(['summary.json offer_held_mean_s: description (one line, no |)']);
    expect(problems([['jobs.csv', rows([JOB_COLUMNS[0]!, JOB_COLUMNS[0]!])]])).toEqual(['jobs.csv job: key used twice']);
  });
});

describe('the fields agree with one another', () => {
  const all = [...SUMMARY_METRICS, ...FRAMEWORK_COLUMNS, ...JOB_COLUMNS, ...SERIES_COLUMNS];

  test('a key ends in _s exactly when its unit is seconds, and then it is written as seconds', () => {
    for (const r of all) {
      expect([r.key, r.key.endsWith('_s')]).toEqual([r.key, r.unit === 's']);
      expect([r.key, r.format === 'seconds']).toEqual([r.key, r.unit === 's']);
    }
  });

  test('texts are text; counts are integers', () => {
    for (const r of all) expect([r.key, r.format === 'text']).toEqual([r.key, r.unit === 'text']);
    const counted = ['records', 'agents', 'frameworks', 'jobs', 'runs', 'offers', 'placements'];
    for (const r of [...SUMMARY_METRICS, ...FRAMEWORK_COLUMNS, ...JOB_COLUMNS]) {
      if (counted.includes(r.unit)) expect([r.key, r.format]).toEqual([r.key, 'integer']);
    }
  });

  test('a fraction in [0, 1] takes 0.01 absolute, anything else 2% relative (docs/check.md)', () => {
    for (const m of SUMMARY_METRICS) expect([m.key, m.tolerance]).toEqual([m.key, m.unit === 'fraction' ? FRACTION_TOLERANCE : RELATIVE_TOLERANCE]);
  });

  test("the locality levels are spelt once: every file's names come from LOCALITY_LEVELS", () => {
    const keys = (rs: readonly { readonly key: string }[]): string[] => rs.map((r) => r.key);
    for (const l of LOCALITY_LEVELS) {
      expect(keys(SUMMARY_METRICS)).toContain(l.fraction);
      expect(keys(FRAMEWORK_COLUMNS)).toContain(l.fraction);
      expect(keys(JOB_COLUMNS)).toContain(l.count);
    }
  });
});

describe('names other modules read', () => {
  test('known() passes a catalogue key and throws on any other, so a module naming a lost one fails as it loads', () => {
    expect(known(SUMMARY_METRICS, 'jain_arrival_mean')).toBe('jain_arrival_mean');
    expect(() => known(SUMMARY_METRICS, 'jain_arival_mean')).toThrow('the metric catalogue has no jain_arival_mean');
    expect(() => known(FRAMEWORK_COLUMNS, 'utilisation_cpus')).toThrow();
    // the sweep charts' metrics, checked as sweep-charts.ts loaded
    expect(SWEEP_METRICS.every((m) => SUMMARY_METRICS.some((r) => r.key === m))).toBe(true);
  });
});

/** The top-level fields of `row` that `read` reads, through a proxy that records them. */
function fieldsRead<R extends object>(row: R, read: (r: R) => unknown): Set<string> {
  const seen = new Set<string>();
  const proxy = new Proxy(row, {
    get: (target, key, receiver) => {
      if (typeof key === 'string') seen.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  read(proxy);
  return seen;
}

describe('every field the fold computes is written by a row', () => {
  const r = foldA();
  /** The fields of `row` that no row of `columns` reads. */
  const unwritten = <R extends object>(row: R, columns: readonly { readonly value: (r: R) => unknown }[]): string[] => {
    const read = new Set<string>();
    for (const c of columns) for (const k of fieldsRead(row, c.value)) read.add(k);
    return Object.keys(row)
      .filter((k) => !read.has(k))
      .sort();
  };

  test('summary: every field (a metric the fold computes but no file writes is lost)', () => {
    expect(unwritten(r.summary, SUMMARY_METRICS)).toEqual([]);
  });

  test('framework and job rows: every field but the ids and what only other columns derive from', () => {
    expect(unwritten(r.frameworks[0]!, FRAMEWORK_COLUMNS)).toEqual(['id']);
    // maxTaskDuration is written through slowdown; the framework id through its name
    expect(unwritten(r.jobs[0]!, JOB_COLUMNS)).toEqual(['framework', 'id', 'maxTaskDuration']);
  });

  test('time series rows: every field', () => {
    expect(unwritten(r.samples[0]!, SERIES_COLUMNS)).toEqual([]);
  });
});

describe('every value is found in a fold result', () => {
  const r = foldA();
  // Stream A has two frameworks, jobs, offers and rows: every accessor has something to read.
  const kind = (format: string, v: unknown): boolean => (format === 'text' ? v === null || typeof v === 'string' : typeof v === 'number');

  test('summary.json', () => {
    for (const m of SUMMARY_METRICS) expect([m.key, kind(m.format, m.value(r.summary))]).toEqual([m.key, true]);
  });

  test('frameworks.csv and jobs.csv, on every row', () => {
    expect(r.frameworks.length).toBeGreaterThan(1);
    expect(r.jobs.length).toBeGreaterThan(1);
    for (const f of r.frameworks) for (const c of FRAMEWORK_COLUMNS) expect([c.key, kind(c.format, c.value(f))]).toEqual([c.key, true]);
    for (const j of r.jobs) for (const c of JOB_COLUMNS) expect([c.key, kind(c.format, c.value(j))]).toEqual([c.key, true]);
  });

  test('timeseries.csv: a number per row, four per resource family, one per framework id', () => {
    expect(r.samples.length).toBeGreaterThan(1);
    for (const s of r.samples) {
      for (const c of SERIES_COLUMNS) {
        const v = c.value(s);
        if (c.per === 'row') expect([c.key, typeof v]).toEqual([c.key, 'number']);
        else expect([c.key, (v as ArrayLike<number>).length]).toEqual([c.key, c.per === 'resource' ? 4 : s.shares.length]);
      }
    }
  });
});
