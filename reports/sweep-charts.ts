/**
 * Vega-Lite specs of a sweep's charts, from its summary.csv: each metric's mean across seeds
 * against the swept parameter with its 95% confidence interval; a categorical parameter (a
 * policy, an architecture, any string) as points with error bars, a numeric one as lines with a
 * band. Also the charts of a comparison of policies (`offersim compare --html`). Pure; imports no
 * I/O.
 */
import { SUMMARY_METRICS, known, type Unit } from './catalogue.js';
import { base, colourScale, round6, type Chart, type ChartSet, type OmittedChart } from './chart-style.js';
import { num, table } from './charts.js';
import { summaryMetricInfo, type Comparison } from './compare.js';
import { axisTitle, metricLabel, unitAxis } from './metric-labels.js';

/**
 * Summary metrics a sweep report charts, in the page's order, when the sweep's summary.csv has
 * them (fairness: Jain's index over the arrival window); each a catalogue key, checked as this
 * module loads.
 */
export const SWEEP_METRICS: readonly string[] = [
  'jain_arrival_mean',
  'utilisation_cpus',
  'completion_mean_s',
  'queueing_delay_mean_s',
  'slowdown_mean',
  'node_local',
  'jobs_abandoned',
  'busyness_mean',
].map((key) => known(SUMMARY_METRICS, key));

/** One mean with its 95% interval, at an x value, in a series. */
interface Estimate {
  readonly x: number | string;
  readonly series: string;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/** The unit of summary metric `key` (a catalogue row). */
function unitOf(key: string): Unit {
  return summaryMetricInfo(key)?.unit ?? 'text';
}

/**
 * Means with their intervals against x: categorical x as a point per series with an error bar
 * (series side by side at each x), numeric x as a line per series with a band.
 */
function estimateSpec(
  title: string,
  description: string,
  values: readonly Estimate[],
  x: { title: string; numeric: boolean },
  y: { title: string; unit: Unit },
  seriesTitle: string | null,
): Record<string, unknown> {
  const series = [...new Set(values.map((v) => v.series))];
  const colour = seriesTitle === null ? {} : { color: { field: 'series', type: 'nominal', title: seriesTitle, sort: null, scale: colourScale(series) } };
  const yEnc = { type: 'quantitative', title: y.title, axis: unitAxis(y.unit), scale: { zero: false } };
  if (x.numeric) {
    const xEnc = { field: 'x', type: 'quantitative', title: x.title };
    return {
      ...base(title, description, values),
      layer: [
        { mark: { type: 'errorband' }, encoding: { x: xEnc, y: { field: 'lo', ...yEnc }, y2: { field: 'hi' }, ...colour } },
        { mark: { type: 'line', point: true }, encoding: { x: xEnc, y: { field: 'mean', ...yEnc }, ...colour } },
      ],
    };
  }
  const xEnc = { field: 'x', type: 'nominal', title: x.title, sort: null, axis: { labelAngle: 0 } };
  const offset = series.length > 1 ? { xOffset: { field: 'series', type: 'nominal', sort: null } } : {};
  return {
    ...base(title, description, values),
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: xEnc, ...offset, y: { field: 'lo', ...yEnc }, y2: { field: 'hi' }, ...colour } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x: xEnc, ...offset, y: { field: 'mean', ...yEnc }, ...colour } },
    ],
  };
}

/** A policy's estimate: `value` with an interval of half-width `half` (none when undefined). */
function estimate(policy: string, value: number, half: number): Estimate {
  const h = Number.isFinite(half) ? half : 0;
  return { x: policy, series: policy, mean: round6(value), lo: round6(value - h), hi: round6(value + h) };
}

/** True when every estimate is exactly 0, interval and all: a chart of it would be a flat line at 0. */
function allZero(values: readonly Estimate[]): boolean {
  return values.every((v) => v.mean === 0 && v.lo === 0 && v.hi === 0);
}

/**
 * The charts of a sweep from its summary.csv text and its swept parameter names (in matrix
 * order): for each metric of {@link SWEEP_METRICS} with some value, the mean across seeds against
 * the x parameter (the first swept one that is not `allocator`, else `allocator`) with its 95%
 * interval (mean - ci95 to mean + ci95), a series per value of the other swept parameters. A
 * metric with no value, or 0 everywhere, is left out with a line saying so.
 */
export function sweepCharts(summaryCsv: string, params: readonly string[]): ChartSet {
  const t = table('summary.csv', summaryCsv, [...params, 'seeds']);
  const x = params.find((p) => p !== 'allocator') ?? params[0] ?? 'allocator';
  const seriesKeys = params.filter((p) => p !== x);
  const numericX = t.rows.every((r) => r[t.col(x)] !== '' && Number.isFinite(Number(r[t.col(x)])));
  const charts: Chart[] = [];
  const omitted: OmittedChart[] = [];
  for (const m of SWEEP_METRICS) {
    if (!t.header.includes(`${m}_mean`)) continue;
    const values = t.rows.flatMap((r): Estimate[] => {
      const mean = num('summary.csv', r[t.col(`${m}_mean`)]);
      if (mean === null) return [];
      const half = num('summary.csv', r[t.col(`${m}_ci95`)]) ?? 0;
      const series = seriesKeys.length === 0 ? 'all' : seriesKeys.map((k) => (seriesKeys.length === 1 ? r[t.col(k)]! : `${k}=${r[t.col(k)]!}`)).join(', ');
      return [{ x: numericX ? Number(r[t.col(x)]) : r[t.col(x)]!, series, mean, lo: round6(mean - half), hi: round6(mean + half) }];
    });
    const name = `sweep-${m.replace(/_/g, '-')}`;
    const title = `${metricLabel(m)} by ${x}`;
    if (values.length === 0 || allZero(values)) {
      omitted.push({ name, title, why: values.length === 0 ? `${m} is undefined in every run` : `${m} is 0 in every run` });
      continue;
    }
    const spec = estimateSpec(
      title,
      `Mean across seeds of ${m} with its 95% confidence interval${seriesKeys.length === 0 ? '' : `, by ${seriesKeys.join(', ')}`}.`,
      values,
      { title: x, numeric: numericX },
      { title: axisTitle(m, unitOf(m)), unit: unitOf(m) },
      seriesKeys.length === 0 ? null : seriesKeys.join(', '),
    );
    charts.push({ name, title, metric: m, spec });
  }
  return { charts, omitted };
}

/**
 * The charts of a comparison: per metric of the whole run, each policy's mean across seeds with
 * its 95% interval, and each other policy's mean paired difference from the reference with its
 * interval and a rule at zero. A metric undefined everywhere, or 0 in every run, is left out with
 * a line saying so.
 */
export function compareCharts(c: Comparison): ChartSet {
  const charts: Chart[] = [];
  const omitted: OmittedChart[] = [];
  for (const m of c.metrics) {
    const stem = m.key.replace(/_/g, '-');
    const label = metricLabel(m.key);
    const overall = c.rows.filter((r) => r.framework === null && r.metric.key === m.key);
    const values = overall.flatMap((r): Estimate[] => (Number.isFinite(r.mean) ? [estimate(r.policy, r.mean, r.meanCi95)] : []));
    if (values.length === 0 || allZero(values)) {
      omitted.push({ name: `compare-${stem}`, title: label, why: values.length === 0 ? `${m.key} is undefined in every run` : `${m.key} is 0 in every run` });
      continue;
    }
    const y = { title: axisTitle(m.key, m.unit), unit: m.unit };
    charts.push({
      name: `compare-${stem}`,
      title: `${label} by policy`,
      metric: m.key,
      spec: estimateSpec(
        `${label} by policy`,
        `Mean across seeds of ${m.key} per policy with its 95% confidence interval.`,
        values,
        { title: 'policy', numeric: false },
        y,
        null,
      ),
    });
    const diffs = overall.flatMap((r): Estimate[] => (r.policy !== c.reference && Number.isFinite(r.diff) ? [estimate(r.policy, r.diff, r.diffCi95)] : []));
    if (diffs.length === 0) continue;
    const title = `${label}: difference from ${c.reference}`;
    const spec = estimateSpec(
      title,
      `Mean over seeds of (policy - ${c.reference}) in ${m.key}, paired by seed, with its 95% confidence interval; an interval clear of the zero rule is a real difference.`,
      diffs,
      { title: 'policy', numeric: false },
      { title: `${axisTitle(m.key, m.unit)}, minus ${c.reference}`, unit: m.unit },
      null,
    );
    charts.push({
      name: `compare-${stem}-diff`,
      title,
      metric: m.key,
      spec: {
        ...spec,
        layer: [
          {
            data: { values: [{ zero: 0 }] },
            mark: { type: 'rule', color: '#888', strokeDash: [4, 3] },
            encoding: { y: { field: 'zero', type: 'quantitative' } },
          },
          ...(spec['layer'] as unknown[]),
        ],
      },
    });
  }
  return { charts, omitted };
}
