/**
 * docs/metrics.md's tables of every metric, made from the catalogue (reports/catalogue.ts): one
 * table per file a run writes. Pure: text in, text out; `npm run metrics-table` writes it into the
 * docs (scenarios/metrics-table.ts) and a test checks that the committed tables are up to date.
 */
import { FRAMEWORK_COLUMNS, JOB_COLUMNS, SERIES_COLUMNS, SUMMARY_METRICS, type Column, type Tolerance } from './catalogue.js';

/** A tolerance as the docs say it. */
export function toleranceText(t: Tolerance): string {
  const parts: string[] = [];
  if (t.rel !== undefined) parts.push(`${t.rel * 100}% relative`);
  if (t.abs !== undefined) parts.push(`${t.abs} absolute`);
  return parts.join(', at least ');
}

/** A Markdown table of a file's columns, with the extra cells `more` gives each. */
function table<C extends Column<never> | (typeof SERIES_COLUMNS)[number]>(
  head: readonly string[],
  rows: readonly C[],
  name: (c: C) => string,
  more: (c: C) => readonly string[],
): string[] {
  return [
    `| ${['name', 'what', 'unit', 'format', ...head, 'fold'].join(' | ')} |`,
    `|${['name', 'what', 'unit', 'format', ...head, 'fold'].map(() => '---').join('|')}|`,
    ...rows.map((c) => `| ${[`\`${name(c)}\``, c.description, c.unit, c.format, ...more(c), c.fold].join(' | ')} |`),
  ];
}

/**
 * The Markdown of every metric: summary.json's (with `offersim check`'s default direction and
 * tolerance), then frameworks.csv's, jobs.csv's and timeseries.csv's columns.
 */
export function catalogueMarkdown(): string {
  const key = (c: { readonly key: string }): string => c.key;
  const none = (): readonly string[] => [];
  return [
    '### summary.json',
    '',
    ...table(['better', 'default tolerance'], SUMMARY_METRICS, key, (m) => [m.better, toleranceText(m.tolerance)]),
    '',
    '### frameworks.csv (one row per framework)',
    '',
    ...table([], FRAMEWORK_COLUMNS, key, none),
    '',
    '### jobs.csv (one row per job)',
    '',
    ...table([], JOB_COLUMNS, key, none),
    '',
    '### timeseries.csv (one row per sample interval)',
    '',
    ...table([], SERIES_COLUMNS, (c) => (c.per === 'row' ? c.key : `${c.key}<${c.per}>`), none),
    '',
  ].join('\n');
}
