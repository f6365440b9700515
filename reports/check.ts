/**
 * Regression check of a run's metrics against a baseline: each metric has a good direction
 * (higher Jain's index is better, shorter completion time is better, ...) and a tolerance,
 * absolute or relative; a change in the bad direction beyond the tolerance is a regression.
 * The defaults of both are each metric's catalogue row's. Pure: the caller reads summary.json and
 * the baseline and prints the table.
 */
import { RELATIVE_TOLERANCE, SUMMARY_METRICS, type Direction, type Tolerance } from './catalogue.js';

export type { Direction, Tolerance } from './catalogue.js';

/** A baseline entry: the value and how to compare with it. */
export interface BaselineMetric {
  readonly value: number | null;
  readonly better: Direction;
  readonly tolerance: Tolerance;
}

/** A baseline file. */
export interface Baseline {
  /** free text: what the baseline was made from */
  readonly source: string;
  readonly metrics: Readonly<Record<string, BaselineMetric>>;
}

/** The catalogue's rule of each summary.json metric, by key. */
const RULES: ReadonlyMap<string, { better: Direction; tolerance: Tolerance }> = new Map(
  SUMMARY_METRICS.map((m) => [m.key, { better: m.better, tolerance: m.tolerance }]),
);

/**
 * The default direction and tolerance of a summary.json metric: its catalogue row's
 * (reports/catalogue.ts). A metric the catalogue does not know (a summary written by another
 * version of offersim) has no direction and the relative tolerance.
 */
export function defaultRule(metric: string): { better: Direction; tolerance: Tolerance } {
  return RULES.get(metric) ?? { better: 'none', tolerance: RELATIVE_TOLERANCE };
}

/** A baseline from a run's summary (metric -> number or null), with the default rules. */
export function baselineOf(summary: Readonly<Record<string, unknown>>, source: string): Baseline {
  const metrics: Record<string, BaselineMetric> = {};
  for (const [k, v] of Object.entries(summary)) {
    if (v !== null && typeof v !== 'number') continue;
    metrics[k] = { value: v, ...defaultRule(k) };
  }
  return { source, metrics };
}

/** The verdict on one metric. */
export type Verdict = 'ok' | 'better' | 'worse' | 'changed' | 'missing' | 'new';

/** One row of the comparison. */
export interface CheckRow {
  readonly metric: string;
  readonly baseline: number | null;
  readonly now: number | null;
  /** now - baseline; NaN where either is missing or null */
  readonly change: number;
  readonly verdict: Verdict;
  readonly better: Direction;
}

/**
 * Compares `summary` with `baseline`, metric by metric in the baseline's order (then metrics the
 * baseline lacks, as 'new'). A regression is a 'worse' row (beyond tolerance in the bad direction)
 * or a 'missing' one (the metric is gone, or became null where the baseline had a number).
 */
export function check(summary: Readonly<Record<string, unknown>>, baseline: Baseline): { rows: CheckRow[]; regressions: number } {
  const rows: CheckRow[] = [];
  for (const [metric, b] of Object.entries(baseline.metrics)) {
    const raw = summary[metric];
    const now = typeof raw === 'number' ? raw : null;
    if (b.value === null || now === null) {
      const verdict: Verdict = b.value === null && now === null ? 'ok' : b.value !== null && now === null ? 'missing' : 'changed';
      rows.push({ metric, baseline: b.value, now, change: NaN, verdict, better: b.better });
      continue;
    }
    const change = now - b.value;
    const allowed = Math.max(b.tolerance.abs ?? 0, (b.tolerance.rel ?? 0) * Math.abs(b.value));
    let verdict: Verdict = 'ok';
    if (Math.abs(change) > allowed) {
      if (b.better === 'none') verdict = 'changed';
      else verdict = change > 0 === (b.better === 'higher') ? 'better' : 'worse';
    }
    rows.push({ metric, baseline: b.value, now, change, verdict, better: b.better });
  }
  for (const [metric, v] of Object.entries(summary)) {
    if (metric in baseline.metrics || (v !== null && typeof v !== 'number')) continue;
    rows.push({ metric, baseline: null, now: v, change: NaN, verdict: 'new', better: defaultRule(metric).better });
  }
  return { rows, regressions: rows.filter((r) => r.verdict === 'worse' || r.verdict === 'missing').length };
}

const num = (x: number | null): string => (x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(6));
const delta = (r: CheckRow): string => {
  if (Number.isNaN(r.change)) return '';
  const sign = r.change > 0 ? '+' : '';
  const pct = r.baseline !== null && r.baseline !== 0 ? ` (${sign}${((100 * r.change) / Math.abs(r.baseline)).toFixed(1)}%)` : '';
  return `${sign}${num(r.change)}${pct}`;
};
const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  ok: 'ok',
  better: 'better',
  worse: 'REGRESSION',
  changed: 'changed',
  missing: 'REGRESSION (missing)',
  new: 'new',
};

/** The comparison as a plain-text table; `all` false shows only rows that are not 'ok'. */
export function checkTable(rows: readonly CheckRow[], all = false): string {
  const shown = all ? rows : rows.filter((r) => r.verdict !== 'ok');
  const cells = [
    ['metric', 'baseline', 'now', 'change', 'verdict'],
    ...shown.map((r) => [r.metric, num(r.baseline), num(r.now), delta(r), VERDICT_TEXT[r.verdict]]),
  ];
  const w = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells
    .map((c) =>
      c
        .map((x, i) => (i === 0 || i === 4 ? x.padEnd(w[i]!) : x.padStart(w[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The comparison as a Markdown table (for a pull-request comment). */
export function checkMarkdown(rows: readonly CheckRow[], regressions: number, title: string): string {
  const changed = rows.filter((r) => r.verdict !== 'ok');
  const head = `### ${title}: ${regressions === 0 ? 'no regression' : `${regressions} regression${regressions === 1 ? '' : 's'}`}\n\n`;
  if (changed.length === 0) return `${head}All ${rows.length} metrics within tolerance.\n`;
  const lines = [
    '| metric | baseline | now | change | verdict |',
    '|---|---:|---:|---:|---|',
    ...changed.map(
      (r) =>
        `| \`${r.metric}\` | ${num(r.baseline)} | ${num(r.now)} | ${delta(r)} | ${r.verdict === 'worse' || r.verdict === 'missing' ? `**${VERDICT_TEXT[r.verdict]}**` : VERDICT_TEXT[r.verdict]} |`,
    ),
  ];
  return `${head}${lines.join('\n')}\n\n${rows.length - changed.length} other metrics within tolerance.\n`;
}
