/**
 * Pure writers turning fold results into the text of summary.json, jobs.csv, frameworks.csv and
 * timeseries.csv (DESIGN section 6): fixed key and column order, fixed precision. They return
 * strings; writing files is the scenarios layer's job. Imports no I/O.
 */
import { stringify } from 'csv-stringify/sync';
import { fmt, fmtInt, fmtSeconds } from './format.js';
import { JOB_SIZE_BUCKETS, RESOURCE_NAMES, type FrameworkRow, type JobRow, type LocalityFractions, type Sample, type Summary } from './metrics.js';
import type { Stats } from './stats.js';

/** A JSON number in fixed precision, or null where the metric is undefined (NaN). */
function jnum(text: string): string {
  return text === '' ? 'null' : text;
}
const ratio = (x: number): string => jnum(fmt(x));
const secs = (us: number): string => jnum(fmtSeconds(us));
const count = (x: number): string => jnum(fmtInt(x));

type SummaryField = readonly [key: string, value: (s: Summary) => string];

function statFields(prefix: string, get: (s: Summary) => Stats, unit: 's' | ''): SummaryField[] {
  const v = unit === 's' ? secs : ratio;
  const suffix = unit === 's' ? '_s' : '';
  return [
    [`${prefix}_n`, (s) => count(get(s).n)],
    [`${prefix}_mean${suffix}`, (s) => v(get(s).mean)],
    [`${prefix}_p50${suffix}`, (s) => v(get(s).p50)],
    [`${prefix}_p95${suffix}`, (s) => v(get(s).p95)],
    [`${prefix}_p99${suffix}`, (s) => v(get(s).p99)],
  ];
}

/**
 * summary.json's keys in their fixed order, with their formatting: `_s` keys are seconds with 6
 * decimals, ratios (utilisation, Jain, shares, slowdown) have 6 decimals, counts are integers,
 * undefined metrics are null. See {@link Summary} for each metric's definition.
 */
const SUMMARY_FIELDS: readonly SummaryField[] = [
  ['first_event_s', (s) => secs(s.firstEvent)],
  ['run_end_s', (s) => secs(s.runEnd)],
  ['end_reason', (s) => (s.endReason === null ? 'null' : JSON.stringify(s.endReason))],
  ['events', (s) => count(s.events)],
  ['agents', (s) => count(s.agents)],
  ['frameworks', (s) => count(s.frameworks)],
  ['jobs', (s) => count(s.jobs)],
  ['tasks', (s) => count(s.tasks)],
  ['tasks_launched', (s) => count(s.tasksLaunched)],
  ['tasks_finished', (s) => count(s.tasksFinished)],
  ['tasks_failed', (s) => count(s.tasksFailed)],
  ['tasks_killed', (s) => count(s.tasksKilled)],
  ['tasks_lost', (s) => count(s.tasksLost)],
  ['jobs_finished', (s) => count(s.jobsFinished)],
  ['jobs_unscheduled', (s) => count(s.jobsUnscheduled)],
  ['jobs_unfinished', (s) => count(s.jobsUnfinished)],
  ['makespan_s', (s) => secs(s.makespan)],
  ...RESOURCE_NAMES.map((name, i): SummaryField => [`utilisation_${name}`, (s) => ratio(s.utilisation[i]!)]),
  ['jain_mean', (s) => ratio(s.jainMean)],
  ['jain_min', (s) => ratio(s.jainMin)],
  ['jain_time_s', (s) => secs(s.jainTime)],
  ['jain_arrival_mean', (s) => ratio(s.jainArrivalMean)],
  ['jain_arrival_min', (s) => ratio(s.jainArrivalMin)],
  ['jain_arrival_time_s', (s) => secs(s.jainArrivalTime)],
  ...statFields('queueing_delay', (s) => s.queueingDelay, 's'),
  ...statFields('completion', (s) => s.completion, 's'),
  ...statFields('slowdown', (s) => s.slowdown, ''),
  ['offers_sent', (s) => count(s.offersSent)],
  ['offers_accepted', (s) => count(s.offersAccepted)],
  ['offers_declined', (s) => count(s.offersDeclined)],
  ['offers_rescinded', (s) => count(s.offersRescinded)],
  ['offers_outstanding', (s) => count(s.offersOutstanding)],
  ['offer_held_mean_s', (s) => secs(s.offerHeldMean)],
  ['offers_declined_share', (s) => ratio(s.offersDeclinedShare)],
  ...RESOURCE_NAMES.map(
    (name, i): SummaryField => [`offers_declined_share_${name}`, (s) => ratio(s.offersDeclinedShareByResource[i]!)],
  ),
  ['allocation_runs', (s) => count(s.allocationRuns)],
  ...localityFields('', (s) => s.locality),
  ...JOB_SIZE_BUCKETS.flatMap(([label], b) => localityFields(`_${label}`, (s) => s.localityByJobSize[b]!)),
  ['jobs_abandoned', (s) => count(s.jobsAbandoned)],
  ['busyness_mean', (s) => ratio(s.busynessMean)],
  ['conflicts', (s) => count(s.conflicts)],
  ['conflict_fraction', (s) => ratio(s.conflictFraction)],
];

/** Locality keys: launched tasks with preferences and their node-local, rack-local, remote fractions. */
function localityFields(suffix: string, get: (s: Summary) => LocalityFractions): SummaryField[] {
  return [
    [`locality_tasks${suffix}`, (s) => count(get(s).tasks)],
    [`node_local${suffix}`, (s) => ratio(get(s).node)],
    [`rack_local${suffix}`, (s) => ratio(get(s).rack)],
    [`remote${suffix}`, (s) => ratio(get(s).remote)],
  ];
}

/** The keys of summary.json, in the order they are written. */
export const SUMMARY_KEYS: readonly string[] = SUMMARY_FIELDS.map(([k]) => k);

/**
 * summary.json: one flat object, keys in {@link SUMMARY_KEYS} order, two-space indent, trailing
 * newline. Numbers are written in fixed precision as JSON number literals (e.g. `1.500000`).
 */
export function summaryJson(summary: Summary): string {
  const lines = SUMMARY_FIELDS.map(([k, v]) => `  ${JSON.stringify(k)}: ${v(summary)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF. */
function csv(rows: readonly (readonly string[])[]): string {
  // csv-stringify quotes a bare LF only when it is the record delimiter, so quote CR and LF explicitly.
  return stringify(rows as string[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** jobs.csv columns, in order; the last three count the job's launched tasks with preferences by locality. */
export const JOBS_COLUMNS = [
  'job',
  'framework',
  'submit_s',
  'first_staging_s',
  'first_start_s',
  'finish_s',
  'tasks',
  'queueing_delay_s',
  'completion_s',
  'slowdown',
  'local_node',
  'local_rack',
  'local_remote',
] as const;

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
  return [
    j.name,
    j.frameworkName,
    fmtSeconds(j.submit),
    fmtSeconds(j.firstStaging),
    fmtSeconds(j.firstStart),
    fmtSeconds(j.finish),
    fmtInt(j.tasks),
    fmtSeconds(j.queueingDelay),
    fmtSeconds(j.completion),
    fmt(j.slowdown),
    fmtInt(j.localNode),
    fmtInt(j.localRack),
    fmtInt(j.localRemote),
  ];
}

function statColumns(prefix: string, suffix: string): string[] {
  return ['mean', 'p50', 'p95', 'p99'].map((p) => `${prefix}_${p}${suffix}`);
}

/** frameworks.csv columns, in order. */
export const FRAMEWORKS_COLUMNS: readonly string[] = [
  'framework',
  'role',
  'weight',
  'behaviour',
  'jobs',
  'tasks',
  'share_mean',
  'share_max',
  ...statColumns('queueing_delay', '_s'),
  ...statColumns('completion', '_s'),
  ...statColumns('slowdown', ''),
  'offers_sent',
  'offers_accepted',
  'offers_declined',
  'offers_rescinded',
  'locality_tasks',
  'node_local',
  'rack_local',
  'remote',
  'jobs_abandoned',
  'busyness',
  'conflicts',
  'conflict_fraction',
];

/** frameworks.csv: a header, then one row per framework in the given order. */
export function frameworksCsv(frameworks: readonly FrameworkRow[]): string {
  const rows: string[][] = [[...FRAMEWORKS_COLUMNS]];
  for (const f of frameworks) {
    const q = f.queueingDelay;
    const c = f.completion;
    const sd = f.slowdown;
    rows.push([
      f.name,
      f.role,
      fmt(f.weight),
      f.behaviour,
      fmtInt(f.jobs),
      fmtInt(f.tasks),
      fmt(f.shareMean),
      fmt(f.shareMax),
      fmtSeconds(q.mean),
      fmtSeconds(q.p50),
      fmtSeconds(q.p95),
      fmtSeconds(q.p99),
      fmtSeconds(c.mean),
      fmtSeconds(c.p50),
      fmtSeconds(c.p95),
      fmtSeconds(c.p99),
      fmt(sd.mean),
      fmt(sd.p50),
      fmt(sd.p95),
      fmt(sd.p99),
      fmtInt(f.offersSent),
      fmtInt(f.offersAccepted),
      fmtInt(f.offersDeclined),
      fmtInt(f.offersRescinded),
      fmtInt(f.locality.tasks),
      fmt(f.locality.node),
      fmt(f.locality.rack),
      fmt(f.locality.remote),
      fmtInt(f.jobsAbandoned),
      fmt(f.busyness),
      fmtInt(f.conflicts),
      fmt(f.conflictFraction),
    ]);
  }
  return csv(rows);
}

/**
 * Column labels for frameworks: the name, or `name#id` when several frameworks share a name, so
 * that every column header is unique.
 */
function frameworkLabels(frameworks: readonly FrameworkRow[]): string[] {
  const seen = new Map<string, number>();
  for (const f of frameworks) seen.set(f.name, (seen.get(f.name) ?? 0) + 1);
  return frameworks.map((f) => ((seen.get(f.name) ?? 0) > 1 ? `${f.name}#${f.id}` : f.name));
}

/**
 * timeseries.csv: a header, then one row per interval (see {@link Sample}): `t_s` (the interval's
 * end), then means over the interval: `util_<resource>` for each resource, `share_<framework>` for
 * each framework, `pending_total`, `pending_<framework>` for each framework, `jain`; and
 * `jain_time_s`, the seconds of the interval `jain` is the mean over. Every mean is a ratio with 6
 * decimals; undefined ones (a framework not registered by the interval's end, a resource whose
 * cluster total is 0, no time with two frameworks with demand) are empty cells.
 */
export function timeseriesCsv(samples: readonly Sample[], frameworks: readonly FrameworkRow[]): string {
  const layout = new TimeseriesLayout(frameworks);
  const pieces = [layout.header];
  for (const s of samples) pieces.push(layout.row(timeseriesDraft(s)));
  return pieces.join('');
}

/**
 * A row of timeseries.csv as the run streams it, before its frameworks are all known: the
 * sample's cells, without a line end, with a share and a pending cell for every framework id the
 * sample has (0 to n - 1, registered or not), in the file's column order: `t_s`, the `util_`
 * cells, n shares, `pending_total`, n pendings, `jain`, `jain_time_s`.
 * {@link TimeseriesLayout.row} makes it the file's row once the frameworks are known.
 */
export function timeseriesDraft(s: Sample): string {
  const cells: string[] = [fmtSeconds(s.t)];
  for (const u of s.utilisation) cells.push(fmt(u));
  for (const x of s.shares) cells.push(fmt(x));
  cells.push(fmt(s.pendingTotal));
  for (const x of s.pending) cells.push(fmt(x));
  cells.push(fmt(s.jain), fmtSeconds(s.jainTime));
  return cells.join(',');
}

/** Cells of a draft row besides the per-framework ones: t_s, utilisation, pending_total, jain, jain_time_s. */
const FIXED_CELLS = 1 + RESOURCE_NAMES.length + 3;

/**
 * The columns of timeseries.csv for a run's frameworks (registered ones, by id): its header, and
 * the file's row for a draft row ({@link timeseriesDraft}). Numeric cells never need quoting, so
 * a row is its cells joined by commas and a CRLF, as csv-stringify writes it.
 */
export class TimeseriesLayout {
  /** the header row, with its CRLF */
  readonly header: string;
  private readonly ids: readonly number[];

  constructor(frameworks: readonly FrameworkRow[]) {
    const labels = frameworkLabels(frameworks);
    this.ids = frameworks.map((f) => f.id);
    this.header = csv([[
      't_s',
      ...RESOURCE_NAMES.map((r) => `util_${r}`),
      ...labels.map((l) => `share_${l}`),
      'pending_total',
      ...labels.map((l) => `pending_${l}`),
      'jain',
      'jain_time_s',
    ]]);
  }

  /**
   * Whether the draft of a sample with `n` framework ids is already the file's row (without its
   * CRLF): the frameworks are exactly ids 0 to n - 1, all registered.
   */
  verbatim(n: number): boolean {
    return this.ids.length === n && this.ids.every((id, i) => id === i);
  }

  /** The file's row, with its CRLF, for a draft row: each framework's cells by its id, empty where the sample has none. */
  row(draft: string): string {
    const c = draft.split(',');
    const n = (c.length - FIXED_CELLS) / 2;
    const r = RESOURCE_NAMES.length;
    const out = c.slice(0, 1 + r);
    for (const id of this.ids) out.push(id < n ? c[1 + r + id]! : '');
    out.push(c[1 + r + n]!);
    for (const id of this.ids) out.push(id < n ? c[2 + r + n + id]! : '');
    out.push(c[2 + r + 2 * n]!, c[3 + r + 2 * n]!);
    return `${out.join(',')}\r\n`;
  }
}
