/**
 * Vega-Lite specs of a run's charts (DESIGN.md section 6: charts/*.vl.json), built from the text
 * of the run directory's CSV files. Pure: CSV text in, plain spec objects out, with a fixed key
 * order, data embedded and numbers as the CSV files wrote them (fixed precision), so the same
 * run always gives the same bytes. Imports no I/O.
 *
 * Reading the CSV text (not the fold's in-memory result) keeps `offersim report DIR` and
 * `offersim run --report` on one path: {@link runTablesFromMetrics} formats a fold's result with
 * the run's own writers and parses that back.
 */
import { FRAMEWORK_COLUMNS, JOB_COLUMNS, LOCALITY_LEVELS, SERIES_COLUMNS, SUMMARY_METRICS, known, type LocalityLevel } from './catalogue.js';
import { RESOURCE_NAMES, type MetricsResult } from './metrics.js';
import { CsvFormatError, parseCsv } from './csv-read.js';
import { frameworksCsv, jobsCsv, timeseriesCsv } from './writers.js';

export { CsvFormatError, parseCsv } from './csv-read.js';

/** The Vega-Lite schema every spec names. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A Vega-Lite spec as plain JSON data. */
export type VlSpec = { readonly [key: string]: unknown };

/** One chart of a run: its file stem under charts/, its title and its spec. */
export interface Chart {
  /** file stem: charts/<name>.vl.json, .svg, .png */
  readonly name: string;
  readonly title: string;
  readonly spec: VlSpec;
  /** a sweep's chart: the summary metric it charts (a key of the catalogue's SUMMARY_METRICS) */
  readonly metric?: string;
}

/** A series of (time, value) points; null where the CSV cell is empty. */
export interface Series {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/** What the charts read of a run directory. */
export interface RunTables {
  /** timeseries.csv: each row's time, seconds: the end of the interval its means are over */
  readonly t: readonly number[];
  /** utilisation per resource (util_<resource> columns), in RESOURCE_NAMES order */
  readonly utilisation: readonly Series[];
  /** weighted dominant share per framework (share_<framework> columns) */
  readonly shares: readonly Series[];
  /** Jain's index per row (its mean over the row's time with two frameworks with demand); null where undefined */
  readonly jain: readonly (number | null)[];
  /** jobs.csv: framework and completion time (s; null when unfinished) of each job */
  readonly jobs: readonly { readonly framework: string; readonly completion: number | null }[];
  /** frameworks.csv: offers and locality per framework */
  readonly frameworks: readonly FrameworkTable[];
}

/**
 * The frameworks.csv columns the charts use. Each locality level's fraction is under the level's
 * name (node, rack, remote): null when localityTasks is 0.
 */
export interface FrameworkTable extends Readonly<Record<LocalityLevel, number | null>> {
  readonly name: string;
  readonly offersAccepted: number;
  readonly offersDeclined: number;
  readonly offersRescinded: number;
  /** launched tasks with preferred locations */
  readonly localityTasks: number;
}

/** The columns the charts read, by their catalogue names (checked as this module loads). */
const SERIES = {
  t: known(SERIES_COLUMNS, 't_s'),
  utilisation: known(SERIES_COLUMNS, 'util_'),
  shares: known(SERIES_COLUMNS, 'share_'),
  jain: known(SERIES_COLUMNS, 'jain'),
};
const JOBS = { framework: known(JOB_COLUMNS, 'framework'), completion: known(JOB_COLUMNS, 'completion_s') };
const FRAMEWORKS = {
  name: known(FRAMEWORK_COLUMNS, 'framework'),
  accepted: known(FRAMEWORK_COLUMNS, 'offers_accepted'),
  declined: known(FRAMEWORK_COLUMNS, 'offers_declined'),
  rescinded: known(FRAMEWORK_COLUMNS, 'offers_rescinded'),
  localityTasks: known(FRAMEWORK_COLUMNS, 'locality_tasks'),
};

/** The three CSV files of a run directory, as text. */
export interface RunCsvText {
  readonly timeseries: string;
  readonly jobs: string;
  readonly frameworks: string;
}

/** A CSV as a header and rows of cells by column name. */
function table(file: string, text: string, need: readonly string[]): { header: string[]; rows: string[][]; col: (name: string) => number } {
  const all = parseCsv(text, file);
  const header = all[0];
  if (header === undefined) throw new CsvFormatError(file, 'empty file (expected a header row)');
  const col = (name: string): number => header.indexOf(name);
  const missing = need.filter((c) => col(c) < 0);
  if (missing.length > 0) throw new CsvFormatError(file, `missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  const rows = all.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== header.length) throw new CsvFormatError(file, `row ${k + 2} has ${r.length} cells, the header ${header.length}`);
  });
  return { header, rows, col };
}

/** A numeric cell: null when empty; an error when not a finite number. */
function num(file: string, cell: string | undefined): number | null {
  if (cell === undefined || cell === '') return null;
  const x = Number(cell);
  if (!Number.isFinite(x)) throw new CsvFormatError(file, `not a number: ${JSON.stringify(cell)}`);
  return x;
}

/** A numeric cell that must be present. */
function req(file: string, cell: string | undefined): number {
  const x = num(file, cell);
  if (x === null) throw new CsvFormatError(file, 'an empty cell where a number is required');
  return x;
}

/** Reads the charts' inputs from the text of timeseries.csv, jobs.csv and frameworks.csv. */
export function runTablesFromCsv(csv: RunCsvText): RunTables {
  const ts = table('timeseries.csv', csv.timeseries, [SERIES.t, SERIES.jain]);
  const column = (c: number): (number | null)[] => ts.rows.map((r) => num('timeseries.csv', r[c]));
  const prefixed = (prefix: string): Series[] =>
    ts.header.flatMap((h, c) => (h.startsWith(prefix) ? [{ label: h.slice(prefix.length), values: column(c) }] : []));
  const utilisation = prefixed(SERIES.utilisation).sort((a, b) => resourceOrder(a.label) - resourceOrder(b.label));
  const jobs = table('jobs.csv', csv.jobs, [JOBS.framework, JOBS.completion]);
  const fw = table('frameworks.csv', csv.frameworks, [
    FRAMEWORKS.name,
    FRAMEWORKS.accepted,
    FRAMEWORKS.declined,
    FRAMEWORKS.rescinded,
    FRAMEWORKS.localityTasks,
    ...LOCALITY_LEVELS.map((l) => l.fraction),
  ]);
  const f = 'frameworks.csv';
  return {
    t: ts.rows.map((r) => req('timeseries.csv', r[ts.col(SERIES.t)])),
    utilisation,
    shares: prefixed(SERIES.shares),
    jain: column(ts.col(SERIES.jain)),
    jobs: jobs.rows.map((r) => ({ framework: r[jobs.col(JOBS.framework)]!, completion: num('jobs.csv', r[jobs.col(JOBS.completion)]) })),
    frameworks: fw.rows.map((r) => ({
      name: r[fw.col(FRAMEWORKS.name)]!,
      offersAccepted: req(f, r[fw.col(FRAMEWORKS.accepted)]),
      offersDeclined: req(f, r[fw.col(FRAMEWORKS.declined)]),
      offersRescinded: req(f, r[fw.col(FRAMEWORKS.rescinded)]),
      localityTasks: req(f, r[fw.col(FRAMEWORKS.localityTasks)]),
      // Every level's key is set: the entries are LOCALITY_LEVELS'.
      ...(Object.fromEntries(LOCALITY_LEVELS.map((l) => [l.level, num(f, r[fw.col(l.fraction)])])) as Record<LocalityLevel, number | null>),
    })),
  };
}

function resourceOrder(label: string): number {
  const i = (RESOURCE_NAMES as readonly string[]).indexOf(label);
  return i < 0 ? RESOURCE_NAMES.length : i;
}

/** The charts' inputs from a fold's result, through the run's own CSV writers (so identical to reading the files). */
export function runTablesFromMetrics(m: MetricsResult): RunTables {
  return runTablesFromCsv({
    timeseries: timeseriesCsv(m.samples, m.frameworks),
    jobs: jobsCsv(m.jobs),
    frameworks: frameworksCsv(m.frameworks),
  });
}

/** Chart size in pixels (the plotting area). */
const WIDTH = 600;
const HEIGHT = 240;

/** Shared look: fixed fonts (the PNG renderer is given DejaVu Sans), white background. */
const CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  view: { stroke: null },
} as const;

/** The run charts' titles by file stem, in the order of the report page: each written once, here. */
const TITLES = {
  shares: 'Weighted dominant share per framework',
  utilisation: 'Utilisation per resource',
  jain: "Jain's fairness index",
  'completion-cdf': 'Job completion time CDF per framework',
  locality: 'Task locality per framework',
  offers: 'Offer outcomes per framework',
} as const;

/** One point of a time series chart; `value` null breaks the line. */
type Point = Record<string, number | string | null>;

/**
 * Long-form points of a time series chart. A timeseries.csv row holds means over the interval
 * that ends at its time (from the previous row's time, or 0), so each value is drawn flat over
 * that interval: a point at each end, the segment extended while the value stays the same. An
 * empty cell breaks the line (a point with a null value), so undefined stretches show as gaps,
 * not bridged. The specs draw the points in this order (encoding `order` null), so the breaks
 * stay where they are put. `key` names the series field (none for a single series).
 */
function intervalPoints(t: readonly number[], series: readonly Series[], key: string | null, valueKey: string): Point[] {
  const points: Point[] = [];
  const point = (x: number, label: string, v: number | null): Point => ({ t_s: x, ...(key === null ? {} : { [key]: label }), [valueKey]: v });
  for (const s of series) {
    let last: Point | undefined; // the open segment's end, if any
    s.values.forEach((v, k) => {
      const end = t[k]!;
      if (v === null) {
        if (last !== undefined) points.push(point(end, s.label, null));
        last = undefined;
      } else if (last !== undefined && last[valueKey] === v) {
        last['t_s'] = end;
      } else {
        points.push(point(k === 0 ? 0 : t[k - 1]!, s.label, v));
        last = point(end, s.label, v);
        points.push(last);
      }
    });
  }
  return points;
}

function base(title: string, description: string, values: readonly unknown[]): Record<string, unknown> {
  return {
    $schema: VEGA_LITE_SCHEMA,
    description,
    title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
  };
}

/**
 * A line chart over time of {@link intervalPoints}, one line per series, coloured by `key` (none:
 * one line). The time axis spans the whole run, [0, last row's time], in every time chart alike.
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
  return {
    ...base(title, description, intervalPoints(t, series, key, valueKey)),
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't_s', type: 'quantitative', title: 'simulated time (s)', ...(end === undefined ? {} : { scale: { domain: [0, end] } }) },
      y: {
        field: valueKey,
        type: 'quantitative',
        title: yTitle,
        ...(yMax === null ? {} : { scale: { domain: [0, yMax] } }),
      },
      ...(key === null ? {} : { color: { field: key, type: 'nominal', title: key, sort: null } }),
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
    r.utilisation,
    'resource',
    'utilisation',
    'used / total',
    1,
  );
}

/** (c) Jain's index over time; gaps where fewer than two frameworks had demand. */
export function jainChart(r: RunTables): VlSpec {
  const title = TITLES.jain;
  const spec = timeLines(
    title,
    "Jain's index over the weighted dominant shares of the frameworks with pending tasks: its mean over each sample interval's time with at least two of them; a gap where there was none.",
    r.t,
    [{ label: 'jain', values: r.jain }],
    null,
    'jain',
    "Jain's index",
    1,
  );
  // An empty chart says why rather than looking broken.
  return r.jain.some((v) => v !== null)
    ? spec
    : { ...spec, title: { text: title, subtitle: 'never two frameworks with pending tasks at once: the index is undefined' } };
}

/**
 * (d) Completion-time CDF per framework: its finished jobs' completion times in ascending order,
 * the k-th of n at fraction k/n (fractions rounded to 6 decimals).
 */
export function completionCdfChart(r: RunTables): VlSpec {
  const byFramework = new Map<string, number[]>();
  // frameworks.csv order first, so that colours follow the same order as in the other charts
  for (const f of r.frameworks) if (!byFramework.has(f.name)) byFramework.set(f.name, []);
  for (const j of r.jobs) {
    if (!byFramework.has(j.framework)) byFramework.set(j.framework, []);
    if (j.completion !== null) byFramework.get(j.framework)!.push(j.completion);
  }
  const rows: { framework: string; completion_s: number; fraction: number }[] = [];
  for (const [framework, times] of byFramework) {
    times.sort((a, b) => a - b);
    times.forEach((c, k) => rows.push({ framework, completion_s: c, fraction: round6((k + 1) / times.length) }));
  }
  return {
    ...base(TITLES['completion-cdf'], "Fraction of each framework's finished jobs that completed (finish - submit) within a time.", rows),
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, point: false },
    encoding: {
      x: { field: 'completion_s', type: 'quantitative', title: 'completion time (s)' },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of finished jobs', scale: { domain: [0, 1] } },
      color: { field: 'framework', type: 'nominal', title: 'framework', sort: null },
    },
  };
}

/** x rounded to 6 decimals, as the CSV files write ratios. */
function round6(x: number): number {
  return Number(x.toFixed(6));
}

/** (e) Locality: node-local, rack-local and remote fractions per framework, as stacked bars (frameworks with preferences only). */
export function localityChart(r: RunTables): VlSpec {
  const rows = r.frameworks.flatMap((f) =>
    f.localityTasks > 0 ? LOCALITY_LEVELS.map((l) => ({ framework: f.name, level: l.label, fraction: f[l.level] ?? 0 })) : [],
  );
  const title = TITLES.locality;
  return {
    ...base(title, "Of each framework's launched tasks with preferred locations, the fraction that ran node-local, rack-local and remote.", rows),
    // An empty chart says why rather than looking broken.
    ...(rows.length === 0 ? { title: { text: title, subtitle: 'no launched task had preferred locations' } } : {}),
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'framework', type: 'nominal', title: 'framework', sort: null, axis: { labelAngle: 0 } },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of tasks with preferences', stack: 'zero', scale: { domain: [0, 1] } },
      color: { field: 'level', type: 'nominal', title: 'locality', sort: LOCALITY_LEVELS.map((l) => l.label) },
      order: { field: 'level', sort: 'ascending' },
    },
  };
}

/** (e) Offer outcomes per framework: accepted, declined and rescinded offers as grouped bars. */
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

/** The builder of each run chart, by file stem. */
const BUILDERS: Readonly<Record<keyof typeof TITLES, (r: RunTables) => VlSpec>> = {
  shares: sharesChart,
  utilisation: utilisationChart,
  jain: jainChart,
  'completion-cdf': completionCdfChart,
  locality: localityChart,
  offers: offersChart,
};

/** Every chart of a run, in the order of the report page. */
export function runCharts(r: RunTables): Chart[] {
  return (Object.keys(TITLES) as (keyof typeof TITLES)[]).map((name) => ({ name, title: TITLES[name], spec: BUILDERS[name](r) }));
}

/** A spec's file text: two-space JSON with a final newline (keys in the order the builders set them). */
export function specJson(spec: VlSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

// ---- sweeps: each metric against the swept parameter, a line per policy, with its 95% band

/**
 * Summary metrics a sweep report charts, in the page's order, when the sweep's summary.csv has
 * them (fairness: Jain's index over the arrival window); each a catalogue key, checked as this
 * module loads, and each chart titled by it.
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

/**
 * The charts of a sweep from its summary.csv text and its swept parameter names (in matrix
 * order): for each metric of {@link SWEEP_METRICS} with some value, the mean across seeds against
 * the x parameter (the first swept one that is not `allocator`, else `allocator`), a line per
 * series (the allocator and any other swept parameters), and a band from mean - ci95 to
 * mean + ci95. Numeric x values are quantitative, others nominal.
 */
export function sweepCharts(summaryCsv: string, params: readonly string[]): Chart[] {
  const t = table('summary.csv', summaryCsv, [...params, 'seeds']);
  const x = params.find((p) => p !== 'allocator') ?? params[0] ?? 'allocator';
  const seriesKeys = params.filter((p) => p !== x);
  const numericX = t.rows.every((r) => Number.isFinite(Number(r[t.col(x)])));
  const charts: Chart[] = [];
  for (const m of SWEEP_METRICS) {
    if (!t.header.includes(`${m}_mean`)) continue;
    const values = t.rows.flatMap((r) => {
      const mean = num('summary.csv', r[t.col(`${m}_mean`)]);
      if (mean === null) return [];
      const half = num('summary.csv', r[t.col(`${m}_ci95`)]) ?? 0;
      const series = seriesKeys.length === 0 ? 'all' : seriesKeys.map((k) => (seriesKeys.length === 1 ? r[t.col(k)]! : `${k}=${r[t.col(k)]!}`)).join(', ');
      return [{ x: numericX ? Number(r[t.col(x)]) : r[t.col(x)]!, series, mean, lo: round6(mean - half), hi: round6(mean + half) }];
    });
    if (values.length === 0) continue;
    const xEnc = { field: 'x', type: numericX ? 'quantitative' : 'nominal', title: x, ...(numericX ? {} : { sort: null }) };
    const color = { field: 'series', type: 'nominal', title: seriesKeys.join(', ') || 'series', sort: null };
    charts.push({
      name: `sweep-${m.replace(/_/g, '-')}`,
      title: `${m} against ${x}`,
      metric: m,
      spec: {
        ...base(`${m} against ${x}`, `Mean across seeds with its 95% confidence band, a line per ${seriesKeys.join(', ') || 'sweep'}.`, values),
        layer: [
          { mark: { type: 'errorband' }, encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', title: m }, y2: { field: 'hi' }, color } },
          { mark: { type: 'line', point: true }, encoding: { x: xEnc, y: { field: 'mean', type: 'quantitative', title: m }, color } },
        ],
      },
    });
  }
  return charts;
}
