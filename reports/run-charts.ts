/**
 * Vega-Lite specs of a run's charts, built from its tables (charts.ts). Pure: plain spec objects
 * with a fixed key order and the data embedded, so the same run always gives the same bytes. A
 * chart that would show nothing is left out, with the line saying why. Imports no I/O.
 */
import { LOCALITY_LEVELS } from './catalogue.js';
import { base, colourScale, dashScale, round6, timeUnitFor, type Chart, type ChartSet, type OmittedChart, type TimeUnit, type VlSpec } from './chart-style.js';
import type { RunTables, Series } from './charts.js';

/** The run charts' titles by file stem, in the order of the report page: each written once, here. */
const TITLES = {
  shares: 'Weighted dominant share per framework',
  utilisation: 'Utilisation per resource',
  pending: 'Pending tasks per framework',
  jain: "Jain's fairness index",
  'completion-cdf': 'Job completion time CDF per framework',
  'completion-cdf-log': 'Job completion time CDF per framework (log time axis)',
  locality: 'Task locality per framework',
  offers: 'Offer outcomes per framework',
} as const;

/** A run chart's file stem. */
export type RunChartName = keyof typeof TITLES;

/** One point of a time series chart; `value` null breaks the line. */
type Point = Record<string, number | string | null>;

/** The field of a time chart's x values, in the unit its axis title names. */
const TIME = 'time';

/**
 * Long-form points of a time series chart. A timeseries.csv row holds means over the interval
 * that ends at its time (from the previous row's time, or 0), so each value is drawn flat over
 * that interval: a point at each end, the segment extended while the value stays the same. An
 * empty cell breaks the line (a point with a null value), so undefined stretches show as gaps,
 * not bridged. The specs draw the points in this order (encoding `order` null), so the breaks
 * stay where they are put. `key` names the series field (none for a single series); times are in
 * `unit`, rounded to 6 decimals.
 */
function intervalPoints(t: readonly number[], unit: TimeUnit, series: readonly Series[], key: string | null, valueKey: string): Point[] {
  const points: Point[] = [];
  const point = (x: number, label: string, v: number | null): Point => ({ [TIME]: x, ...(key === null ? {} : { [key]: label }), [valueKey]: v });
  const at = (k: number): number => (k < 0 ? 0 : unit.seconds === 1 ? t[k]! : round6(t[k]! / unit.seconds));
  for (const s of series) {
    let last: Point | undefined; // the open segment's end, if any
    s.values.forEach((v, k) => {
      if (v === null) {
        if (last !== undefined) points.push(point(at(k), s.label, null));
        last = undefined;
      } else if (last !== undefined && last[valueKey] === v) {
        last[TIME] = at(k);
      } else {
        points.push(point(at(k - 1), s.label, v));
        last = point(at(k), s.label, v);
        points.push(last);
      }
    });
  }
  return points;
}

/**
 * A line chart over time of {@link intervalPoints}, one line per series, coloured by `key` (none:
 * one line). The time axis spans the whole run, [0, last row's time], in the unit its length
 * calls for, in every time chart alike.
 */
function timeLines(
  title: string,
  description: string,
  t: readonly number[],
  series: readonly Series[],
  key: string | null,
  valueKey: string,
  yTitle: string,
  yMax: number | null,
): VlSpec {
  const end = t[t.length - 1];
  const unit = timeUnitFor(end ?? 0);
  const labels = series.map((s) => s.label);
  const dash = key === null ? undefined : dashScale(labels);
  return {
    ...base(title, description, intervalPoints(t, unit, series, key, valueKey)),
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: {
        field: TIME,
        type: 'quantitative',
        title: `simulated time (${unit.label})`,
        ...(end === undefined ? {} : { scale: { domain: [0, round6(end / unit.seconds)] } }),
      },
      y: {
        field: valueKey,
        type: 'quantitative',
        title: yTitle,
        ...(yMax === null ? {} : { scale: { domain: [0, yMax] } }),
      },
      ...(key === null ? {} : { color: { field: key, type: 'nominal', title: key, sort: null, scale: colourScale(labels) } }),
      ...(dash === undefined || key === null ? {} : { strokeDash: { field: key, type: 'nominal', scale: dash, legend: null } }),
      order: { value: null },
    },
  };
}

/** (a) Each framework's weighted dominant share over time. */
export function sharesChart(r: RunTables): VlSpec {
  return timeLines(
    TITLES.shares,
    "Each framework's dominant share (largest allocated/total over resources) divided by its role weight: its mean over each sample interval.",
    r.t,
    r.shares,
    'framework',
    'share',
    'weighted dominant share',
    null,
  );
}

/** (b) Utilisation per resource over time (resources with a total > 0 only). */
export function utilisationChart(r: RunTables): VlSpec {
  return timeLines(
    TITLES.utilisation,
    'Used over total per resource: its mean over each sample interval; a resource the cluster does not have is left out.',
    r.t,
    r.utilisation.filter((s) => s.values.some((v) => v !== null)),
    'resource',
    'utilisation',
    'used / total',
    1,
  );
}

/** (c) Each framework's pending tasks over time. */
export function pendingChart(r: RunTables): VlSpec {
  return timeLines(
    TITLES.pending,
    "Each framework's tasks submitted and not yet launched: their mean number over each sample interval.",
    r.t,
    r.pending,
    'framework',
    'pending',
    'pending tasks',
    null,
  );
}

/** (d) Jain's index over time; gaps where fewer than two frameworks had demand. */
export function jainChart(r: RunTables): VlSpec {
  return timeLines(
    TITLES.jain,
    "Jain's index over the weighted dominant shares of the frameworks with pending tasks: its mean over each sample interval's time with at least two of them; a gap where there was none.",
    r.t,
    [{ label: 'jain', values: r.jain }],
    null,
    'jain',
    "Jain's index",
    1,
  );
}

/** Each framework's finished jobs' completion times, ascending, in frameworks.csv order (then any other framework of jobs.csv). */
function completionTimes(r: RunTables): Map<string, number[]> {
  const byFramework = new Map<string, number[]>();
  // frameworks.csv order first, so that colours follow the same order as in the other charts
  for (const f of r.frameworks) if (!byFramework.has(f.name)) byFramework.set(f.name, []);
  for (const j of r.jobs) {
    if (!byFramework.has(j.framework)) byFramework.set(j.framework, []);
    if (j.completion !== null) byFramework.get(j.framework)!.push(j.completion);
  }
  for (const times of byFramework.values()) times.sort((a, b) => a - b);
  return byFramework;
}

/**
 * (e) Completion-time CDF per framework: its finished jobs' completion times in ascending order,
 * the k-th of n at fraction k/n (fractions rounded to 6 decimals); `log`: on a log time axis
 * (times of 0 left out, as a log scale has no place for them), which spreads the short jobs.
 */
export function completionCdfChart(r: RunTables, log = false): VlSpec {
  const byFramework = completionTimes(r);
  const rows: { framework: string; completion_s: number; fraction: number }[] = [];
  for (const [framework, times] of byFramework) {
    times.forEach((c, k) => {
      if (!log || c > 0) rows.push({ framework, completion_s: c, fraction: round6((k + 1) / times.length) });
    });
  }
  const names = [...byFramework.keys()];
  const dash = dashScale(names);
  return {
    ...base(
      TITLES[log ? 'completion-cdf-log' : 'completion-cdf'],
      "Fraction of each framework's finished jobs that completed (finish - submit) within a time.",
      rows,
    ),
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, point: false },
    encoding: {
      x: { field: 'completion_s', type: 'quantitative', title: `completion time (s${log ? ', log scale' : ''})`, ...(log ? { scale: { type: 'log' } } : {}) },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of finished jobs', scale: { domain: [0, 1] } },
      color: { field: 'framework', type: 'nominal', title: 'framework', sort: null, scale: colourScale(names) },
      ...(dash === undefined ? {} : { strokeDash: { field: 'framework', type: 'nominal', scale: dash, legend: null } }),
    },
  };
}

/** (f) Locality: node-local, rack-local and remote fractions per framework, as stacked bars (frameworks with preferences only). */
export function localityChart(r: RunTables): VlSpec {
  const rows = r.frameworks.flatMap((f) =>
    f.localityTasks > 0 ? LOCALITY_LEVELS.map((l) => ({ framework: f.name, level: l.label, fraction: f[l.level] ?? 0 })) : [],
  );
  return {
    ...base(TITLES.locality, "Of each framework's launched tasks with preferred locations, the fraction that ran node-local, rack-local and remote.", rows),
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'framework', type: 'nominal', title: 'framework', sort: null, axis: { labelAngle: 0 } },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of tasks with preferences', stack: 'zero', scale: { domain: [0, 1] } },
      color: { field: 'level', type: 'nominal', title: 'locality', sort: LOCALITY_LEVELS.map((l) => l.label) },
      order: { field: 'level', sort: 'ascending' },
    },
  };
}

/** (g) Offer outcomes per framework: accepted, declined and rescinded offers as grouped bars. */
export function offersChart(r: RunTables): VlSpec {
  const outcomes = ['accepted', 'declined', 'rescinded'] as const;
  const rows = r.frameworks.flatMap((f) => [
    { framework: f.name, outcome: outcomes[0], offers: f.offersAccepted },
    { framework: f.name, outcome: outcomes[1], offers: f.offersDeclined },
    { framework: f.name, outcome: outcomes[2], offers: f.offersRescinded },
  ]);
  return {
    ...base(TITLES.offers, 'Offers each framework accepted (in part or whole), declined whole, and had rescinded by the master.', rows),
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'framework', type: 'nominal', title: 'framework', sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'outcome', type: 'nominal', sort: [...outcomes] },
      y: { field: 'offers', type: 'quantitative', title: 'offers' },
      color: { field: 'outcome', type: 'nominal', title: 'outcome', sort: [...outcomes] },
    },
  };
}

/** Each run chart: its builder, and why it would show nothing (undefined: it shows something). */
const CHARTS: Readonly<Record<RunChartName, { build: (r: RunTables) => VlSpec; empty: (r: RunTables) => string | undefined }>> = {
  shares: { build: sharesChart, empty: (r) => (r.shares.length === 0 ? 'no framework registered' : undefined) },
  utilisation: {
    build: utilisationChart,
    empty: (r) => (r.utilisation.some((s) => s.values.some((v) => v !== null)) ? undefined : 'the cluster had no resources'),
  },
  pending: {
    build: pendingChart,
    empty: (r) => (r.pending.some((s) => s.values.some((v) => v !== null && v > 0)) ? undefined : 'no task ever waited to be launched'),
  },
  jain: {
    build: jainChart,
    empty: (r) => (r.jain.some((v) => v !== null) ? undefined : "never two frameworks with pending tasks at once: Jain's index is undefined"),
  },
  'completion-cdf': { build: (r) => completionCdfChart(r), empty: (r) => (r.jobs.some((j) => j.completion !== null) ? undefined : 'no job finished') },
  'completion-cdf-log': {
    build: (r) => completionCdfChart(r, true),
    empty: (r) => (r.jobs.some((j) => j.completion !== null && j.completion > 0) ? undefined : 'no job finished after a time above 0'),
  },
  locality: { build: localityChart, empty: (r) => (r.frameworks.some((f) => f.localityTasks > 0) ? undefined : 'no launched task had preferred locations') },
  offers: { build: offersChart, empty: (r) => (r.frameworks.length === 0 ? 'no framework registered' : undefined) },
};

/** Every chart of a run that shows something, in the order of the report page, and those left out with why. */
export function runCharts(r: RunTables): ChartSet {
  const charts: Chart[] = [];
  const omitted: OmittedChart[] = [];
  for (const name of Object.keys(TITLES) as RunChartName[]) {
    const why = CHARTS[name].empty(r);
    if (why === undefined) charts.push({ name, title: TITLES[name], spec: CHARTS[name].build(r) });
    else omitted.push({ name, title: TITLES[name], why });
  }
  return { charts, omitted };
}
