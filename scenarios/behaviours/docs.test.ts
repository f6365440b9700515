/**
 * docs/scenarios.md's behaviour reference is generated, never typed: every registered behaviour
 * has its option table there (between its markers), each equal to what the registry makes, and
 * no table is left for a behaviour that is gone. UPDATE_DOCS=1 rewrites the generated parts.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BEHAVIOURS_DOC, optionMarkers, optionTable, replaceSection, sections, summaryTable } from './docs.js';
import type { BehaviourEntry } from './entry.js';
import { BEHAVIOURS } from './index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILE = join(ROOT, BEHAVIOURS_DOC);

/** What is missing or stale in `text`, one line each; and the text with every generated part up to date. */
function check(text: string, entries: readonly BehaviourEntry[] = BEHAVIOURS): { problems: string[]; updated: string } {
  const problems: string[] = [];
  let updated = text;
  for (const { markers, body } of sections(entries)) {
    const next = replaceSection(updated, markers, body);
    if (next === undefined) problems.push(`no section ${markers.start} ... ${markers.end}`);
    else updated = next;
  }
  const names = new Set(entries.map((e) => e.name));
  for (const m of text.matchAll(/<!-- behaviour-options:([^:]+):start -->/g)) {
    if (!names.has(m[1]!)) problems.push(`a section for "${m[1]}", which is not registered`);
  }
  if (updated !== text) problems.push('a generated section differs from the registry');
  return { problems, updated };
}

describe(BEHAVIOURS_DOC, () => {
  test("holds the registry's behaviour reference (UPDATE_DOCS=1 rewrites it)", () => {
    const text = readFileSync(FILE, 'utf8');
    const { problems, updated } = check(text);
    if (problems.length > 0 && process.env['UPDATE_DOCS'] === '1' && updated !== text) writeFileSync(FILE, updated);
    expect(problems).toEqual([]);
  });

  test('a behaviour without a section, a stale section and a changed option are each caught', () => {
    const text = readFileSync(FILE, 'utf8');
    const batch = BEHAVIOURS[0];
    const renamed = { ...batch, name: 'batch-2' };
    expect(check(text, [...BEHAVIOURS, renamed]).problems).toEqual([
      `no section ${optionMarkers('batch-2').start} ... ${optionMarkers('batch-2').end}`,
      'a generated section differs from the registry',
    ]);
    expect(check(text, BEHAVIOURS.slice(1)).problems).toEqual([
      'a section for "batch", which is not registered',
      'a generated section differs from the registry',
    ]);
    const other = { ...batch, defaults: { ...batch.defaults, refuseSeconds: 7 } };
    expect(check(text, [other, ...BEHAVIOURS.slice(1)]).problems).toEqual(['a generated section differs from the registry']);
  });

  test('an option table lists every option with its default, required options as such', () => {
    // service: instances and task have no default; maxPerAgent 1 and spreadRacks true are its defaults.
    const service = BEHAVIOURS.find((e) => e.name === 'service')!;
    const rows = optionTable(service).split('\n');
    expect(rows[0]).toBe('| field | meaning | default |');
    expect(rows.find((r) => r.startsWith('| `instances` |'))).toMatch(/\| required \|$/);
    expect(rows.find((r) => r.startsWith('| `maxPerAgent` |'))).toMatch(/\| 1 \|$/);
    expect(rows.find((r) => r.startsWith('| `spreadRacks` |'))).toMatch(/\| `true` \|$/);
    expect(rows).toHaveLength(2 + Object.keys(service.options.shape).length - 1);
    expect(
      summaryTable()
        .split('\n')
        .slice(2)
        .map((r) => r.split(' | ').slice(0, 3).join(' | ')),
    ).toEqual(['| `batch` | yes | its `workload`, or a trace', '| `gang` | yes | its `workload`, or a trace', '| `service` | no | its own options']);
  });
});
