/**
 * docs/scenario.schema.json: generated from the scenario schema and kept current
 * (UPDATE_SCHEMA=1 rewrites it), and every bundled example points the YAML language server at it.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaModeline, scenarioJsonSchema } from './json-schema.js';
import { ScenarioSchema } from './schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = join(ROOT, 'docs', 'scenario.schema.json');

/** The bundled example scenarios. */
const EXAMPLES = [join(ROOT, 'scenarios', 'examples'), join(ROOT, 'docs', 'examples')].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(d, f)),
);

describe('docs/scenario.schema.json', () => {
  test('is the JSON Schema of a scenario file, as generated (UPDATE_SCHEMA=1 rewrites it)', () => {
    const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(SCHEMA, text);
    expect(readFileSync(SCHEMA, 'utf8')).toBe(text);
  });

  test('has every top-level field of the scenario schema, and no other; only cluster is required', () => {
    const s = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(Object.keys(s.properties).sort()).toEqual(Object.keys(ScenarioSchema.shape).sort());
    expect(s.required).toEqual(['cluster']);
    // a misspelt field is flagged in the editor, as offersim validate refuses it
    expect(s.additionalProperties).toBe(false);
  });

  test('every bundled example points the YAML language server at it on its first line', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(8);
    const wrong = EXAMPLES.filter((f) => readFileSync(f, 'utf8').split('\n')[0] !== schemaModeline(relative(dirname(f), SCHEMA))).map((f) => relative(ROOT, f));
    expect(wrong).toEqual([]);
  });
});
