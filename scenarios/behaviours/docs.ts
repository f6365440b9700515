/**
 * The behaviour reference of docs/scenarios.md, made from the registry: a table of the behaviours
 * and, for each, a table of its options (description, default). The generated parts sit between
 * marker lines; scenarios/behaviours/docs.test.ts checks the committed file against them and
 * rewrites them with UPDATE_DOCS=1. Pure: no I/O.
 */
import type { z } from 'zod';
import type { BehaviourEntry } from './entry.js';
import { BEHAVIOURS, namedAlone, takesJobs } from './index.js';

/** The file the reference lives in, relative to the repository root. */
export const BEHAVIOURS_DOC = 'docs/scenarios.md';

/** The lines around a generated part. */
export interface Markers {
  readonly start: string;
  readonly end: string;
}

/** Around the table of every behaviour. */
export const SUMMARY_MARKERS: Markers = { start: '<!-- behaviours:start -->', end: '<!-- behaviours:end -->' };

/** Around behaviour `name`'s option table. */
export function optionMarkers(name: string): Markers {
  return { start: `<!-- behaviour-options:${name}:start -->`, end: `<!-- behaviour-options:${name}:end -->` };
}

/** A table cell: one line, `|` escaped. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** A default as the docs show it: numbers plain, anything else as code. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** The table of every registered behaviour. */
export function summaryTable(entries: readonly BehaviourEntry[] = BEHAVIOURS): string {
  const alone = new Set(namedAlone());
  const rows = entries.map(
    (e) =>
      `| \`${e.name}\` | ${alone.has(e.name) ? 'yes' : 'no'} | ${takesJobs(e) ? 'its `workload`, or a trace' : 'its own options'} | ${cell(e.description)} |`,
  );
  return ['| behaviour | by name alone | its tasks come from | what it is |', '|---|---|---|---|', ...rows].join('\n');
}

/** Behaviour `e`'s options: field, meaning, default (`required` for an option without one). */
export function optionTable(e: BehaviourEntry): string {
  const rows: string[] = [];
  for (const [key, schema] of Object.entries(e.options.shape) as [string, z.ZodType][]) {
    if (key === 'kind') continue;
    const has = Object.prototype.hasOwnProperty.call(e.defaults, key);
    rows.push(`| \`${key}\` | ${cell(schema.description ?? '')} | ${has ? shown(e.defaults[key]) : 'required'} |`);
  }
  return ['| field | meaning | default |', '|---|---|---|', ...rows].join('\n');
}

/** `text` with the part between `m`'s lines replaced by `body`; undefined when the markers are not there once each, in order. */
export function replaceSection(text: string, m: Markers, body: string): string | undefined {
  const i = text.indexOf(m.start);
  const j = text.indexOf(m.end);
  if (i < 0 || j < i || text.indexOf(m.start, i + 1) >= 0 || text.indexOf(m.end, j + 1) >= 0) return undefined;
  return `${text.slice(0, i + m.start.length)}\n${body}\n${text.slice(j)}`;
}

/** Every generated part of the docs: markers and body. */
export function sections(entries: readonly BehaviourEntry[] = BEHAVIOURS): { readonly markers: Markers; readonly body: string }[] {
  return [{ markers: SUMMARY_MARKERS, body: summaryTable(entries) }, ...entries.map((e) => ({ markers: optionMarkers(e.name), body: optionTable(e) }))];
}
