/**
 * What the charts of a run read (DESIGN.md section 6: charts/*.vl.json): the text of the run
 * directory's CSV files parsed into tables. Pure: CSV text in, numbers as the CSV files wrote them
 * (fixed precision) out. Imports no I/O. The chart builders are in run-charts.ts, sweep-charts.ts
 * and compare-charts.ts, their shared frame in chart-style.ts.
 *
 * Reading the CSV text (not the fold's in-memory result) keeps `offersim report DIR` and
 * `offersim run --report` on one path: {@link runTablesFromMetrics} formats a fold's result with
 * the run's own writers and parses that back.
 */
import { FRAMEWORK_COLUMNS, JOB_COLUMNS, LOCALITY_LEVELS, SERIES_COLUMNS, known, type LocalityLevel } from './catalogue.js';
import { RESOURCE_NAMES, type MetricsResult } from './metrics.js';
import { CsvFormatError, parseCsv } from './csv-read.js';
import { frameworksCsv, jobsCsv, timeseriesCsv } from './writers.js';

export { CsvFormatError, parseCsv } from './csv-read.js';

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
  /** pending tasks per framework (pending_<framework> columns; the cluster-wide column left out) */
  readonly pending: readonly Series[];
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
  pending: known(SERIES_COLUMNS, 'pending_'),
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
export function table(file: string, text: string, need: readonly string[]): { header: string[]; rows: string[][]; col: (name: string) => number } {
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
export function num(file: string, cell: string | undefined): number | null {
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
    pending: prefixed(SERIES.pending),
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
