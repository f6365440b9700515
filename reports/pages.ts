/**
 * What the report pages show, as sections (render.ts writes them as HTML): a run's header, its
 * headline metrics, its frameworks, its scenario and its charts; a comparison's table of policies
 * x metrics (a sweep's page and `offersim compare --html` alike) and its charts. Pure: the caller
 * reads the files. Imports the catalogue, the comparison and the chart types.
 */
import { stringify } from 'yaml';
import { FRAMEWORK_COLUMNS, SUMMARY_METRICS, known, type Unit } from './catalogue.js';
import type { ChartSet } from './chart-style.js';
import { parseCsv } from './charts.js';
import { compareGrid, compareTitle, MARK_LEGEND, seedCount, unpairedLines } from './compare-table.js';
import { DEFAULT_COMPARE_METRICS, type Comparison } from './compare.js';
import { displayValue, metricLabel } from './metric-labels.js';
import type { HtmlCell, PageSection } from './page-html.js';

/** The headline metrics a run's page shows first: those `offersim compare` compares by default. */
export const HEADLINE_METRICS: readonly string[] = DEFAULT_COMPARE_METRICS;

/** The frameworks.csv columns of a run page's framework table, in its order; each checked against the catalogue as this module loads. */
export const FRAMEWORK_TABLE_COLUMNS: readonly string[] = [
  'framework',
  'role',
  'weight',
  'jobs',
  'tasks',
  'share_mean',
  'completion_p50_s',
  'completion_p95_s',
  'queueing_delay_p50_s',
  'queueing_delay_p95_s',
  'offers_accepted',
  'offers_declined',
  'node_local',
  'jobs_abandoned',
].map((k) => known(FRAMEWORK_COLUMNS, k));

const SUMMARY_UNIT: ReadonlyMap<string, Unit> = new Map(SUMMARY_METRICS.map((m) => [m.key, m.unit]));
const SUMMARY_DESCRIPTION: ReadonlyMap<string, string> = new Map(SUMMARY_METRICS.map((m) => [m.key, m.description]));
const FRAMEWORK_UNIT: ReadonlyMap<string, Unit> = new Map(FRAMEWORK_COLUMNS.map((c) => [c.key, c.unit]));
const FRAMEWORK_DESCRIPTION: ReadonlyMap<string, string> = new Map(FRAMEWORK_COLUMNS.map((c) => [c.key, c.description]));

/** A numeric cell of a value written as `raw` (a JSON literal or CSV cell; '' or 'null' when undefined), shown by its unit. */
function valueCell(raw: string, unit: Unit | undefined): HtmlCell {
  const n = raw === '' || raw === 'null' ? null : Number(raw);
  if (unit === undefined || unit === 'text' || (n !== null && !Number.isFinite(n))) return { text: raw === 'null' ? '' : raw, value: raw };
  return { text: displayValue(n, unit), value: raw, className: 'num' };
}

/**
 * summary.json's values as written there (the writers' fixed-precision literals, in file order):
 * key to literal, strings unquoted, null as ''. Lines that are no `"key": value` pair are skipped.
 */
export function summaryLiterals(summaryJsonText: string): [string, string][] {
  return summaryJsonText.split('\n').flatMap((line) => {
    const m = /^\s*"([^"]+)":\s*(.*?),?$/.exec(line);
    return m === null ? [] : [[m[1]!, m[2]! === 'null' ? '' : m[2]!.replace(/^"(.*)"$/, '$1')] as [string, string]];
  });
}

/** What a run page is made of: the run directory's files, read by the caller. */
export interface RunPageInput {
  /** summary.json's literals, from {@link summaryLiterals} */
  readonly summary: readonly (readonly [string, string])[];
  /** frameworks.csv's text */
  readonly frameworksCsv: string;
  /** manifest.json's resolved scenario */
  readonly resolved: unknown;
  /**
   * scenario.yaml, the scenario file as written, and whether its sha256 is the manifest's;
   * undefined for a run directory without one (written by an older offersim)
   */
  readonly source?: { readonly text: string; readonly matches: boolean };
  readonly charts: ChartSet;
}

/**
 * A run page's sections: the headline metrics, the frameworks, the scenario as written (when the
 * run directory has it) and resolved (every default filled in), the charts, and every
 * summary.json metric.
 */
export function runSections(input: RunPageInput): PageSection[] {
  const summary = new Map(input.summary);
  const headline = HEADLINE_METRICS.filter((k) => summary.has(k)).map((k): HtmlCell[] => [
    { text: metricLabel(k), hint: SUMMARY_DESCRIPTION.get(k) ?? '' },
    valueCell(summary.get(k)!, SUMMARY_UNIT.get(k)),
    { text: k },
  ]);
  const [head, ...rows] = parseCsv(input.frameworksCsv);
  const cols = FRAMEWORK_TABLE_COLUMNS.filter((k) => head?.includes(k));
  const frameworks = rows.map((r) =>
    cols.map((k): HtmlCell => {
      const raw = r[head!.indexOf(k)] ?? '';
      const hint = FRAMEWORK_DESCRIPTION.get(k) ?? '';
      return k === 'framework' || k === 'role' ? { text: raw, hint } : { ...valueCell(raw, FRAMEWORK_UNIT.get(k)), hint };
    }),
  );
  const all = input.summary.map(([k, v]): HtmlCell[] => [
    { text: k, hint: SUMMARY_DESCRIPTION.get(k) ?? '' },
    valueCell(v, SUMMARY_UNIT.get(k)),
    { text: v, className: 'num' },
  ]);
  return [
    {
      kind: 'table',
      id: 'headline',
      heading: 'Headline metrics',
      note: 'Fractions as percentages; hover a metric for its definition (docs/metrics.md).',
      head: ['metric', 'value', 'key'],
      rows: headline,
    },
    {
      kind: 'table',
      id: 'frameworks',
      heading: 'Per framework',
      note: 'Columns of frameworks.csv (docs/metrics.md); hover a value for its definition.',
      head: cols,
      rows: frameworks,
    },
    ...(input.source === undefined
      ? []
      : [
          {
            kind: 'pre' as const,
            id: 'scenario-source',
            heading: 'Scenario as written',
            note: input.source.matches
              ? "scenario.yaml: the file as it was run (its sha256 is the manifest's); the overrides are in the header."
              : "scenario.yaml: its sha256 is NOT the manifest's: the file was changed after the run.",
            text: input.source.text,
          },
        ]),
    {
      kind: 'pre',
      id: 'scenario',
      heading: 'Scenario, resolved',
      note: 'The resolved scenario (manifest.json): the file with every default filled in and the overrides applied.',
      text: stringify(input.resolved, { lineWidth: 100 }),
    },
    { kind: 'charts', heading: 'Charts', charts: input.charts.charts, omitted: input.charts.omitted },
    { kind: 'table', id: 'summary', heading: 'Every summary metric', head: ['key', 'value', 'as written'], rows: all },
  ];
}

/**
 * The sections of a comparison's table: the whole run's, then each framework's, with the legend
 * and the unpaired seeds. `id` prefixes the tables' ids (`<id>`, `<id>-<framework index>`).
 */
export function compareSections(c: Comparison, id: string, heading: string): PageSection[] {
  const table = (framework: string | null, tableId: string, h: string): PageSection[] => {
    const grid = compareGrid(c, framework);
    if (grid.rows.length === 0) return [];
    const rows = grid.rows.map((r) =>
      r.cells.map((cell, i): HtmlCell => {
        if (i === 0) return { text: metricLabel(cell.text), hint: `${r.key}` };
        if (i < 3) return { text: cell.text };
        return { text: cell.text, className: cell.verdict === 'none' ? 'num' : `num ${cell.verdict}` };
      }),
    );
    return [
      {
        kind: 'table',
        id: tableId,
        heading: h,
        note: `${compareTitle(c, seedCount(c))}. ${MARK_LEGEND.replace(/^.*?: /, 'In bold: ')}.`,
        head: grid.head,
        rows,
      },
    ];
  };
  const out = table(null, id, heading);
  c.frameworks.forEach((f, k) => out.push(...table(f, `${id}-${k + 1}`, `${heading}: framework ${f}`)));
  const unpaired = unpairedLines(c);
  if (unpaired.length > 0) out.push({ kind: 'lines', id: `${id}-unpaired`, heading: 'Seeds not paired', lines: unpaired });
  return out;
}
