/**
 * The JSON Schema of a scenario file (docs/scenario.schema.json), generated from the zod schema
 * that validates scenario files, so that an editor (the YAML language server) completes and
 * checks fields as they are typed. It describes the input: fields with defaults are optional.
 * Rules beyond the schema's shape (cross-field checks, a cluster big enough for a gang job) are
 * offersim validate's, not the editor's. Pure.
 */
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

/** The first line of a bundled example: the YAML language server's pointer to the schema, by a path relative to the file. */
export function schemaModeline(relativePath: string): string {
  return `# yaml-language-server: $schema=${relativePath}`;
}

/** The JSON Schema of a scenario file (draft 2020-12). */
export function scenarioJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(ScenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
    title: 'offersim scenario file',
    description:
      'A scenario: the cluster, the frameworks and their workloads, the allocator and the master options (docs/scenarios.md). offersim validate checks what a schema cannot.',
  };
}
