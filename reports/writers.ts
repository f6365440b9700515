/**
 * Pure writers turning fold results into the text of summary.json, jobs.csv, frameworks.csv and
 * timeseries.csv (DESIGN section 6): fixed key and column order, fixed precision. They return
 * strings; writing files is the scenarios layer's job. Imports no I/O.
 */
import { stringify } from 'csv-stringify/sync';
import { FRAMEWORK_COLUMNS, JOB_COLUMNS, SERIES_COLUMNS, SUMMARY_METRICS, type Column } from './catalogue.js';
import { fmt, fmtInt, fmtSeconds } from './format.js';
import { RESOURCE_NAMES, type FrameworkRow, type JobRow, type Sample, type Summary } from './metrics.js';

/** A column's cell writer: its value in its format, '' where undefined (NaN, or a null text). */
function cellWriter<R>(c: Column<R>): (r: R) => string {
  switch (c.format) {
    case 'seconds': {
      const v = c.value;
      return (r) => fmtSeconds(v(r));
    }
    case 'decimal': {
      const v = c.value;
      return (r) => fmt(v(r));
    }
    case 'integer': {
      const v = c.value;
      return (r) => fmtInt(v(r));
    }
    case 'text': {
      const v = c.value;
      return (r) => v(r) ?? '';
    }
  }
}

/** A JSON value writer: numbers as a CSV cell writes them (fixed precision) or null; texts as JSON strings or null. */
function jsonWriter(c: Column<Summary>): (s: Summary) => string {
  if (c.format === 'text') {
    const v = c.value;
    return (s) => {
      const x = v(s);
      return x === null ? 'null' : JSON.stringify(x);
    };
  }
  const cell = cellWriter(c);
  return (s) => {
    const text = cell(s);
    return text === '' ? 'null' : text;
  };
}

/** summary.json's keys and value writers, from the catalogue (reports/catalogue.ts), in its order. */
const SUMMARY_FIELDS: readonly (readonly [key: string, value: (s: Summary) => string])[] = SUMMARY_METRICS.map((m) => [m.key, jsonWriter(m)]);

/** The keys of summary.json, in the order they are written. */
export const SUMMARY_KEYS: readonly string[] = SUMMARY_FIELDS.map(([k]) => k);

/**
 * summary.json: one flat object, keys in {@link SUMMARY_KEYS} order, two-space indent, trailing
 * newline. Numbers are written in fixed precision as JSON number literals (e.g. `1.500000`): `_s`
 * keys are seconds with 6 decimals, fractions and ratios 6 decimals, counts integers; undefined
 * metrics are null (each metric's format is its catalogue row's).
 */
export function summaryJson(summary: Summary): string {
  const lines = SUMMARY_FIELDS.map(([k, v]) => `  ${JSON.stringify(k)}: ${v(summary)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/**
 * CSV as pandas, R and Unix tools read it without cleaning: LF line ends (RFC 4180's CRLF shows as
 * a stray `\r` or `^M` in Unix tools), a field quoted when it holds a comma, a quote,
 * CR or LF, a quote inside doubled.
 */
export function csv(rows: readonly (readonly string[])[]): string {
  // csv-stringify quotes a bare CR only when it is part of the record delimiter, so quote CR and LF explicitly.
  return stringify(rows as string[][], { record_delimiter: 'unix', quoted_match: /[\r\n]/ });
}

/** jobs.csv columns, in order (the catalogue's JOB_COLUMNS); the last three count the job's launched tasks with preferences by locality. */
export const JOBS_COLUMNS: readonly string[] = JOB_COLUMNS.map((c) => c.key);
const JOB_CELLS = JOB_COLUMNS.map(cellWriter);

/** Rows of jobs.csv formatted per piece: the text stays small whatever the number of jobs. */
const ROWS_PER_PIECE = 10_000;

/** jobs.csv: a header, then one row per job in the given order; empty cells where undefined. */
export function jobsCsv(jobs: readonly JobRow[]): string {
  const pieces: string[] = [];
  writeJobsCsv(jobs, (text) => pieces.push(text));
  return pieces.join('');
}

/**
 * jobs.csv in pieces: the header, then at most `rowsPerPiece` rows (default 10,000) at a time,
 * each passed to `emit` as soon as it is made; together exactly the text of {@link jobsCsv},
 * which is never built whole.
 */
export function writeJobsCsv(jobs: readonly JobRow[], emit: (text: string) => void, rowsPerPiece = ROWS_PER_PIECE): void {
  emit(csv([[...JOBS_COLUMNS]]));
  for (let from = 0; from < jobs.length; from += rowsPerPiece) {
    const rows: string[][] = [];
    for (const j of jobs.slice(from, from + rowsPerPiece)) rows.push(jobCells(j));
    emit(csv(rows));
  }
}

function jobCells(j: JobRow): string[] {
  return JOB_CELLS.map((cell) => cell(j));
}

/** frameworks.csv columns, in order (the catalogue's FRAMEWORK_COLUMNS). */
export const FRAMEWORKS_COLUMNS: readonly string[] = FRAMEWORK_COLUMNS.map((c) => c.key);
const FRAMEWORK_CELLS = FRAMEWORK_COLUMNS.map(cellWriter);

/** frameworks.csv: a header, then one row per framework in the given order. */
export function frameworksCsv(frameworks: readonly FrameworkRow[]): string {
  const rows: string[][] = [[...FRAMEWORKS_COLUMNS]];
  for (const f of frameworks) rows.push(FRAMEWORK_CELLS.map((cell) => cell(f)));
  return csv(rows);
}

/**
 * Column labels for frameworks: the name, or `name#id` when several frameworks share a name, so
 * that every column header is unique (again `#id` while two labels are still the same, as names
 * `a`, `a` and `a#1` would give).
 */
export function frameworkLabels(frameworks: readonly FrameworkRow[]): string[] {
  const labels = frameworks.map((f) => f.name);
  for (;;) {
    const seen = new Map<string, number>();
    for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
    if (labels.every((l) => seen.get(l) === 1)) return labels;
    labels.forEach((l, i) => {
      if (seen.get(l)! > 1) labels[i] = `${l}#${frameworks[i]!.id}`;
    });
  }
}

/**
 * timeseries.csv: a header, then one row per interval (see {@link Sample}), with the catalogue's
 * SERIES_COLUMNS: `t_s` (the interval's end), then means over the interval: `util_<resource>` for
 * each resource, `share_<framework>` for each framework, `pending`, `pending_<framework>`
 * for each framework, `jain`; and `jain_time_s`, the seconds of the interval `jain` is the mean
 * over. Every mean is written with 6 decimals; undefined ones (a framework not registered by the
 * interval's end, a resource whose cluster total is 0, no time with two frameworks with demand)
 * are empty cells.
 */
export function timeseriesCsv(samples: readonly Sample[], frameworks: readonly FrameworkRow[]): string {
  const layout = new TimeseriesLayout(frameworks);
  const pieces = [layout.header];
  for (const s of samples) pieces.push(layout.row(timeseriesDraft(s)));
  return pieces.join('');
}

/**
 * A row of timeseries.csv as the run streams it, before its frameworks are all known: the
 * sample's cells, without a line end, with a cell of each per-framework column for every
 * framework id the sample has (0 to n - 1, registered or not), in the file's column order.
 * {@link TimeseriesLayout.row} makes it the file's row once the frameworks are known.
 */
export function timeseriesDraft(s: Sample): string {
  const cells: string[] = [];
  for (const c of SERIES_COLUMNS) {
    if (c.per === 'row') cells.push(c.format === 'seconds' ? fmtSeconds(c.value(s)) : fmt(c.value(s)));
    else for (const x of c.value(s)) cells.push(fmt(x));
  }
  return cells.join(',');
}

/** Cells of a draft row besides the per-framework ones, and the number of per-framework columns. */
const FIXED_CELLS = SERIES_COLUMNS.reduce((n, c) => n + (c.per === 'row' ? 1 : c.per === 'resource' ? RESOURCE_NAMES.length : 0), 0);
const PER_FRAMEWORK = SERIES_COLUMNS.filter((c) => c.per === 'framework').length;

/** timeseries-long.csv's columns. */
export const TIMESERIES_LONG_COLUMNS = ['time_s', 'framework', 'metric', 'value'] as const;

/**
 * timeseries-long.csv: the numbers of timeseries.csv, one per row (a tidy table): `time_s` (the
 * interval's end, timeseries.csv's `t_s`), `framework` (its label in timeseries.csv's column
 * names; empty, NA to pandas and R, for a cluster-wide metric), `metric` (the column name without
 * the framework: `util_cpus`, ..., `pending`, `jain`, `jain_time_s`; per framework `share` and
 * `pending`), `value` (the cell, empty where timeseries.csv's is). Rows by interval, then the
 * cluster's metrics in timeseries.csv's column order, then each framework in frameworks.csv's
 * order with its metrics in that order.
 */
export function timeseriesLongCsv(samples: readonly Sample[], frameworks: readonly FrameworkRow[]): string {
  const layout = new TimeseriesLayout(frameworks);
  const pieces = [layout.longHeader];
  for (const s of samples) pieces.push(layout.longRows(timeseriesDraft(s)));
  return pieces.join('');
}

/**
 * The columns of timeseries.csv for a run's frameworks (registered ones, by id): its header, and
 * the file's row for a draft row ({@link timeseriesDraft}); the same for timeseries-long.csv.
 * Numeric cells never need quoting, so a row is its cells joined by commas and an LF, as
 * csv-stringify writes it.
 */
export class TimeseriesLayout {
  /** the header row, with its LF */
  readonly header: string;
  /** timeseries-long.csv's header row, with its LF */
  readonly longHeader: string = csv([[...TIMESERIES_LONG_COLUMNS]]);
  private readonly ids: readonly number[];
  /** the wide row's cell of `t_s` */
  private readonly timeCell: number;
  /** per long row of a sample: the wide row's cell it holds, and its `framework,metric,` cells */
  private readonly long: readonly (readonly [cell: number, text: string])[];

  constructor(frameworks: readonly FrameworkRow[]) {
    const labels = frameworkLabels(frameworks);
    this.ids = frameworks.map((f) => f.id);
    // Every column of the wide file: its name, and the framework (index into labels) and metric it holds.
    const columns = SERIES_COLUMNS.flatMap((c) => {
      if (c.per === 'row') return [{ name: c.key, fw: -1, metric: c.key }];
      if (c.per === 'resource') return RESOURCE_NAMES.map((r) => ({ name: `${c.key}${r}`, fw: -1, metric: `${c.key}${r}` }));
      return labels.map((l, fw) => ({ name: `${c.key}${l}`, fw, metric: c.key.replace(/_$/, '') }));
    });
    this.header = csv([columns.map((c) => c.name)]);
    this.timeCell = columns.findIndex((c) => c.name === 't_s');
    const quoted = labels.map((l) => csv([[l]]).slice(0, -1));
    const cells = columns.map((c, cell) => ({ ...c, cell })).filter((c) => c.cell !== this.timeCell);
    this.long = [-1, ...labels.keys()].flatMap((fw) =>
      cells.filter((c) => c.fw === fw).map((c) => [c.cell, `${fw < 0 ? '' : quoted[fw]!},${c.metric},`] as const),
    );
  }

  /**
   * Whether the draft of a sample with `n` framework ids is already the file's row (without its
   * LF): the frameworks are exactly ids 0 to n - 1, all registered.
   */
  verbatim(n: number): boolean {
    return this.ids.length === n && this.ids.every((id, i) => id === i);
  }

  /** The file's row, with its LF, for a draft row: each framework's cells by its id, empty where the sample has none. */
  row(draft: string): string {
    return `${this.cells(draft).join(',')}\n`;
  }

  /** timeseries-long.csv's rows, each with its LF, for a draft row: one per cell of the wide row but `t_s`. */
  longRows(draft: string): string {
    const c = this.cells(draft);
    const t = c[this.timeCell]!;
    let out = '';
    for (const [cell, text] of this.long) out += `${t},${text}${c[cell]!}\n`;
    return out;
  }

  /** The cells of the file's row for a draft row. */
  private cells(draft: string): string[] {
    const c = draft.split(',');
    const n = (c.length - FIXED_CELLS) / PER_FRAMEWORK;
    const out: string[] = [];
    let k = 0;
    for (const col of SERIES_COLUMNS) {
      if (col.per === 'framework') {
        for (const id of this.ids) out.push(id < n ? c[k + id]! : '');
        k += n;
      } else {
        const cells = col.per === 'row' ? 1 : RESOURCE_NAMES.length;
        for (let i = 0; i < cells; i++) out.push(c[k++]!);
      }
    }
    return out;
  }
}
