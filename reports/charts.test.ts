/**
 * The run charts' Vega-Lite specs from a small hand-made run: marks, fields, embedded data,
 * deterministic text; and the CSV reader they are built on.
 */
import { describe, expect, test } from '@jest/globals';
import { VEGA_LITE_SCHEMA, specJson } from './chart-style.js';
import { CsvFormatError, runTablesFromCsv } from './charts.js';
import { completionCdfChart, jainChart, localityChart, offersChart, pendingChart, runCharts, sharesChart, utilisationChart } from './run-charts.js';
import { sweepCharts } from './sweep-charts.js';
import { SMALL_RUN } from './test-support/run-csv.js';

type Enc = Record<string, { field?: string; type?: string }>;
const enc = (spec: Record<string, unknown>): Enc => spec['encoding'] as Enc;
const values = (spec: Record<string, unknown>): Record<string, unknown>[] => (spec['data'] as { values: Record<string, unknown>[] }).values;
const markType = (spec: Record<string, unknown>): unknown => (spec['mark'] as { type: string }).type;

describe('runTablesFromCsv', () => {
  const r = runTablesFromCsv(SMALL_RUN);
  test('reads times, utilisation in resource order, shares by framework, Jain, jobs and frameworks', () => {
    expect(r.t).toEqual([2, 4, 6, 8]);
    expect(r.utilisation.map((s) => s.label)).toEqual(['cpus', 'mem', 'disk', 'gpus']);
    expect(r.utilisation[0]!.values).toEqual([0, 0.5, 1, 1]);
    expect(r.utilisation[2]!.values).toEqual([null, null, null, null]);
    expect(r.shares).toEqual([
      { label: 'a', values: [0, 0.5, 0.4, 0.4] },
      { label: 'b', values: [null, 0.25, 0.6, 0.6] },
    ]);
    expect(r.jain).toEqual([null, 0.9, null, 0.961538]);
    expect(r.jobs).toEqual([
      { framework: 'a', completion: 3 },
      { framework: 'b', completion: 1 },
      { framework: 'a', completion: 1 },
      { framework: 'b', completion: null },
    ]);
    expect(r.frameworks[0]).toEqual({
      name: 'a',
      offersAccepted: 4,
      offersDeclined: 5,
      offersRescinded: 1,
      localityTasks: 3,
      node: 0.333333,
      rack: 0,
      remote: 0.666667,
    });
    expect(r.frameworks[1]).toMatchObject({ name: 'b', localityTasks: 0, node: null, rack: null, remote: null });
  });
  test('a missing column or a ragged row is a CsvFormatError naming the file', () => {
    expect(() => runTablesFromCsv({ ...SMALL_RUN, timeseries: 't_s,util_cpus\r\n0,0\r\n' })).toThrow(CsvFormatError);
    expect(() => runTablesFromCsv({ ...SMALL_RUN, timeseries: 't_s,util_cpus\r\n0,0\r\n' })).toThrow(/timeseries\.csv: missing column jain/);
    expect(() => runTablesFromCsv({ ...SMALL_RUN, jobs: 'framework,completion_s\r\na\r\n' })).toThrow(/jobs\.csv: row 2 has 1 cells/);
    expect(() => runTablesFromCsv({ ...SMALL_RUN, jobs: 'framework,completion_s\r\na,x\r\n' })).toThrow(/not a number: "x"/);
    expect(() => runTablesFromCsv({ ...SMALL_RUN, frameworks: '' })).toThrow(/frameworks\.csv: empty file/);
  });
});

describe('the chart specs', () => {
  const r = runTablesFromCsv(SMALL_RUN);

  test('every chart: Vega-Lite v6 schema, title, fixed size, embedded data, in report order', () => {
    const { charts, omitted } = runCharts(r);
    expect(charts.map((c) => c.name)).toEqual(['shares', 'utilisation', 'pending', 'jain', 'completion-cdf', 'completion-cdf-log', 'locality', 'offers']);
    expect(omitted).toEqual([]);
    for (const c of charts) {
      expect(Object.keys(c.spec).slice(0, 7)).toEqual(['$schema', 'description', 'title', 'width', 'height', 'config', 'data']);
      expect(c.spec['$schema']).toBe(VEGA_LITE_SCHEMA);
      expect(c.spec['title']).toBe(c.title);
      expect(Array.isArray(values(c.spec))).toBe(true);
    }
  });

  /*
   * Each row's mean is drawn flat over its interval, from the previous row's time (0 for the
   * first) to its own: a: 0 over [0,2), 0.5 over [2,4), 0.4 over [4,8) (rows 3 and 4 merged);
   * b from its first row on: 0.25 over [2,4), 0.6 over [4,8).
   */
  test('(a) shares: a line per framework, each mean flat over its interval, skipping rows before it registered', () => {
    const s = sharesChart(r);
    expect(markType(s)).toBe('line');
    expect(enc(s)['x']).toMatchObject({ field: 'time', type: 'quantitative', title: 'simulated time (s)' });
    expect(enc(s)['y']).toMatchObject({ field: 'share', type: 'quantitative' });
    expect(enc(s)['color']).toMatchObject({ field: 'framework', type: 'nominal' });
    expect(enc(s)['order']).toEqual({ value: null });
    // the time axis spans the run, from 0 to the last row's time, in every time chart
    expect(enc(s)['x']).toMatchObject({ scale: { domain: [0, 8] } });
    expect(enc(jainChart(r))['x']).toMatchObject({ scale: { domain: [0, 8] } });
    expect(values(s)).toEqual([
      { time: 0, framework: 'a', share: 0 },
      { time: 2, framework: 'a', share: 0 },
      { time: 2, framework: 'a', share: 0.5 },
      { time: 4, framework: 'a', share: 0.5 },
      { time: 4, framework: 'a', share: 0.4 },
      { time: 8, framework: 'a', share: 0.4 },
      { time: 2, framework: 'b', share: 0.25 },
      { time: 4, framework: 'b', share: 0.25 },
      { time: 4, framework: 'b', share: 0.6 },
      { time: 8, framework: 'b', share: 0.6 },
    ]);
  });

  // the same rows 600 times longer (1200 s to 4800 s): minutes, 1200 s = 20 min, ..., 4800 s = 80 min
  test('a run longer than 10 minutes has its time axis in minutes, values converted', () => {
    const long = runTablesFromCsv({
      ...SMALL_RUN,
      timeseries: SMALL_RUN.timeseries.replace(/^([2468])\.000000,/gm, (_, t: string) => `${Number(t) * 600}.000000,`),
    });
    const s = sharesChart(long);
    expect(enc(s)['x']).toMatchObject({ title: 'simulated time (min)', scale: { domain: [0, 80] } });
    expect(
      values(s)
        .filter((v) => v['framework'] === 'a')
        .map((v) => v['time']),
    ).toEqual([0, 20, 20, 40, 40, 80]);
  });

  test('(b) utilisation: a line per resource the cluster has, on [0, 1]', () => {
    const s = utilisationChart(r);
    expect(markType(s)).toBe('line');
    expect(enc(s)['color']).toMatchObject({ field: 'resource' });
    expect(enc(s)['y']).toMatchObject({ field: 'utilisation', scale: { domain: [0, 1] } });
    expect([...new Set(values(s).map((v) => v['resource']))]).toEqual(['cpus', 'mem']);
    // cpus 0 over [0,2), 0.5 over [2,4), 1 over [4,8): two points each
    expect(
      values(s)
        .filter((v) => v['resource'] === 'cpus')
        .map((v) => [v['time'], v['utilisation']]),
    ).toEqual([
      [0, 0],
      [2, 0],
      [2, 0.5],
      [4, 0.5],
      [4, 1],
      [8, 1],
    ]);
  });

  // 0.9 over [2,4); undefined over [4,6): a null point breaks the line there; 0.961538 over [6,8)
  test('(c) Jain: one line, no colour, a gap where it is undefined', () => {
    const s = jainChart(r);
    expect(markType(s)).toBe('line');
    expect(enc(s)['color']).toBeUndefined();
    expect(enc(s)['y']).toMatchObject({ field: 'jain', scale: { domain: [0, 1] } });
    expect(values(s)).toEqual([
      { time: 2, jain: 0.9 },
      { time: 4, jain: 0.9 },
      { time: 6, jain: null },
      { time: 6, jain: 0.961538 },
      { time: 8, jain: 0.961538 },
    ]);
  });

  test('(c) Jain never defined (one framework, say): the chart is left out with a line saying so', () => {
    const lone = runTablesFromCsv({
      ...SMALL_RUN,
      timeseries: SMALL_RUN.timeseries.replace(',0.900000,2.000000', ',,0.000000').replace(',0.961538,1.500000', ',,0.000000'),
    });
    const set = runCharts(lone);
    expect(set.charts.map((c) => c.name)).not.toContain('jain');
    expect(set.omitted).toEqual([
      { name: 'jain', title: "Jain's fairness index", why: "never two frameworks with pending tasks at once: Jain's index is undefined" },
    ]);
  });

  test("(d) completion CDF: each framework's finished jobs sorted, k/n, unfinished jobs left out", () => {
    const s = completionCdfChart(r);
    expect(markType(s)).toBe('line');
    expect(enc(s)['x']).toMatchObject({ field: 'completion_s' });
    expect(enc(s)['y']).toMatchObject({ field: 'fraction' });
    expect(values(s)).toEqual([
      { framework: 'a', completion_s: 1, fraction: 0.5 },
      { framework: 'a', completion_s: 3, fraction: 1 },
      { framework: 'b', completion_s: 1, fraction: 1 },
    ]);
  });

  test('(e) locality: stacked bars of node/rack/remote for frameworks with preferences', () => {
    const s = localityChart(r);
    expect(markType(s)).toBe('bar');
    expect(enc(s)['y']).toMatchObject({ field: 'fraction', stack: 'zero' });
    expect(enc(s)['color']).toMatchObject({ field: 'level' });
    expect(values(s)).toEqual([
      { framework: 'a', level: 'node-local', fraction: 0.333333 },
      { framework: 'a', level: 'rack-local', fraction: 0 },
      { framework: 'a', level: 'remote', fraction: 0.666667 },
    ]);
  });

  test('(e) locality without any task with preferences: left out with a line saying so', () => {
    const none = runTablesFromCsv({ ...SMALL_RUN, frameworks: SMALL_RUN.frameworks.replace(',3,0.333333,0.000000,0.666667,', ',0,,,,') });
    expect(values(localityChart(none))).toEqual([]);
    expect(runCharts(none).omitted).toEqual([{ name: 'locality', title: 'Task locality per framework', why: 'no launched task had preferred locations' }]);
  });

  /*
   * pending_a: 0 over [0,2), 1 over [2,4), 0 over [4,6), 1 over [6,8); pending_b from its first
   * row: 2 over [2,4), 0 over [4,6), 1 over [6,8). The cluster-wide `pending` is not a framework's.
   */
  test('(c) pending: a line per framework, the cluster-wide column left out', () => {
    const s = pendingChart(r);
    expect(enc(s)['y']).toMatchObject({ field: 'pending', title: 'pending tasks' });
    expect([...new Set(values(s).map((v) => v['framework']))]).toEqual(['a', 'b']);
    expect(
      values(s)
        .filter((v) => v['framework'] === 'b')
        .map((v) => [v['time'], v['pending']]),
    ).toEqual([
      [2, 2],
      [4, 2],
      [4, 0],
      [6, 0],
      [6, 1],
      [8, 1],
    ]);
    const idle = runTablesFromCsv({
      ...SMALL_RUN,
      timeseries: SMALL_RUN.timeseries.replace(/,[123]\.000000,([012])\.000000,([012])\.000000,/g, ',0.000000,0.000000,0.000000,'),
    });
    expect(runCharts(idle).omitted.map((o) => [o.name, o.why])).toEqual([['pending', 'no task ever waited to be launched']]);
  });

  test('(d) completion CDF on a log time axis: a second chart, times of 0 left out', () => {
    const s = completionCdfChart(r, true);
    expect(enc(s)['x']).toMatchObject({ field: 'completion_s', scale: { type: 'log' }, title: 'completion time (s, log scale)' });
    expect(values(s)).toEqual(values(completionCdfChart(r)));
    expect(enc(completionCdfChart(r))['x']).not.toHaveProperty('scale');
  });

  test('(e) offers: grouped bars of accepted/declined/rescinded per framework', () => {
    const s = offersChart(r);
    expect(markType(s)).toBe('bar');
    expect(enc(s)['xOffset']).toMatchObject({ field: 'outcome' });
    expect(enc(s)['y']).toMatchObject({ field: 'offers', type: 'quantitative' });
    expect(values(s).filter((v) => v['framework'] === 'a')).toEqual([
      { framework: 'a', outcome: 'accepted', offers: 4 },
      { framework: 'a', outcome: 'declined', offers: 5 },
      { framework: 'a', outcome: 'rescinded', offers: 1 },
    ]);
  });

  test('deterministic text: the same input gives the same bytes, with no timestamp', () => {
    const a = runCharts(runTablesFromCsv(SMALL_RUN)).charts.map((c) => specJson(c.spec));
    const b = runCharts(runTablesFromCsv(SMALL_RUN)).charts.map((c) => specJson(c.spec));
    expect(a).toEqual(b);
    for (const t of a) {
      expect(t.endsWith('}\n')).toBe(true);
      expect(t).not.toMatch(/\d{4}-\d\d-\d\dT/);
    }
  });
});

describe('sweep charts', () => {
  // summary.csv of a 2 x 2 sweep: allocator x rate, two seeds each; jain_arrival_mean and its CI
  // (jain_mean, the whole run's, is in every summary.csv but is not charted)
  const CSV =
    [
      'allocator,frameworks.0.workload.rate,seeds,jain_mean_mean,jain_mean_ci95,jain_arrival_mean_mean,jain_arrival_mean_ci95,completion_mean_s_mean,completion_mean_s_ci95',
      'drf,0.5,2,0.5,0.1,0.900000,0.010000,10.000000,1.000000',
      'drf,1,2,0.5,0.1,0.800000,0.020000,20.000000,2.000000',
      'random,0.5,2,0.5,0.1,0.700000,0.030000,11.000000,',
      'random,1,2,0.5,0.1,0.600000,0.040000,,',
    ].join('\r\n') + '\r\n';

  test('each metric against the non-policy parameter, a line per policy, a band of mean +- ci95', () => {
    const { charts } = sweepCharts(CSV, ['allocator', 'frameworks.0.workload.rate']);
    expect(charts.map((c) => c.name)).toEqual(['sweep-jain-arrival-mean', 'sweep-completion-mean-s']);
    const jain = charts[0]!.spec as { data: { values: unknown[] }; layer: { mark: { type: string } }[] };
    // band: 0.9 +- 0.01 = [0.89, 0.91], ...
    expect(jain.data.values).toEqual([
      { x: 0.5, series: 'drf', mean: 0.9, lo: 0.89, hi: 0.91 },
      { x: 1, series: 'drf', mean: 0.8, lo: 0.78, hi: 0.82 },
      { x: 0.5, series: 'random', mean: 0.7, lo: 0.67, hi: 0.73 },
      { x: 1, series: 'random', mean: 0.6, lo: 0.56, hi: 0.64 },
    ]);
    expect(jain.layer.map((l) => l.mark.type)).toEqual(['errorband', 'line']);
    // an empty mean is left out; an empty ci95 is a zero-width band
    const completion = charts[1]!.spec as { data: { values: { x: number; series: string; lo: number; hi: number }[] } };
    expect(completion.data.values.map((v) => [v.x, v.series, v.lo, v.hi])).toEqual([
      [0.5, 'drf', 9, 11],
      [1, 'drf', 18, 22],
      [0.5, 'random', 11, 11],
    ]);
  });

  test('with only the policy swept, it is the x axis', () => {
    const csv = 'allocator,seeds,jain_arrival_mean_mean,jain_arrival_mean_ci95\r\ndrf,3,0.9,0.1\r\nfifo,3,0.5,0.1\r\n';
    const spec = sweepCharts(csv, ['allocator']).charts[0]!.spec as {
      data: { values: { x: unknown; series: string }[] };
      layer: { encoding: { x: { type: string } } }[];
    };
    expect(spec.data.values.map((v) => [v.x, v.series])).toEqual([
      ['drf', 'all'],
      ['fifo', 'all'],
    ]);
    expect(spec.layer[0]!.encoding.x.type).toBe('nominal');
    // a policy is a category: a point with an error bar (a rule from lo to hi), never a line
    expect((spec.layer as unknown as { mark: { type: string } }[]).map((l) => l.mark.type)).toEqual(['rule', 'point']);
  });

  test('a metric 0 in every run, or undefined in every run, is left out with a line saying so', () => {
    const csv =
      'allocator,seeds,jain_arrival_mean_mean,jain_arrival_mean_ci95,node_local_mean,node_local_ci95,jobs_abandoned_mean,jobs_abandoned_ci95\r\ndrf,3,0.9,0.1,,,0.000000,0.000000\r\nfifo,3,0.5,0.1,,,0.000000,0.000000\r\n';
    const set = sweepCharts(csv, ['allocator']);
    expect(set.charts.map((c) => c.name)).toEqual(['sweep-jain-arrival-mean']);
    expect(set.omitted.map((o) => o.why)).toEqual(['node_local is undefined in every run', 'jobs_abandoned is 0 in every run']);
    // readable title and axis: the metric's name and unit, the parameter's name
    expect(set.charts[0]!.title).toBe("Jain's fairness index (arrival window) by allocator");
  });
});
