/**
 * Public API of reports/: the metric catalogue (a row per metric), the metric fold and
 * fingerprint over the event log, the pure writers of the run's summary and CSV files, and the
 * charts' Vega-Lite specs. Imports only the event log types (no kernel, no allocators, no
 * scenarios) and does no I/O.
 */
export { DEFAULT_SAMPLE_INTERVAL, LogInvariantError, MetricsFold, type MetricsFoldOptions } from './metrics-fold.js';
export {
  RESOURCE_NAMES,
  type FrameworkRow,
  type JobRow,
  type MetricsResult,
  type PerResource,
  type ResourceName,
  type Sample,
  type Summary,
} from './metrics.js';
export {
  FRAMEWORK_COLUMNS,
  JOB_COLUMNS,
  LOCALITY_LEVELS,
  SERIES_COLUMNS,
  SUMMARY_METRICS,
  type Column,
  type Direction,
  type Metric,
  type SeriesColumn,
  type Tolerance,
} from './catalogue.js';
export { Fingerprint } from './fingerprint.js';
export { FRAMEWORKS_COLUMNS, JOBS_COLUMNS, SUMMARY_KEYS, frameworksCsv, jobsCsv, summaryJson, timeseriesCsv, timeseriesLongCsv } from './writers.js';
export { CsvFormatError, parseCsv } from './csv-read.js';
export { EventLineError, foldEventLines, parseEventLine } from './replay.js';
export { DIGITS, fmt, fmtInt, fmtSeconds } from './format.js';
export { runTablesFromCsv, runTablesFromMetrics, type RunCsvText, type RunTables } from './charts.js';
export { VEGA_LITE_SCHEMA, specJson, type Chart, type ChartSet, type OmittedChart, type VlSpec } from './chart-style.js';
export { runCharts } from './run-charts.js';
// render.ts (vega, vega-lite, resvg) is not re-exported: importing it takes a while, and only
// `offersim report` and `run --report` need it (import it from './render.js').
export { nearestRank, stats, type Stats } from './stats.js';
