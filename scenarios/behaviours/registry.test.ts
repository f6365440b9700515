/**
 * Every registered behaviour is complete: a name and a one-line description, an options object
 * whose `kind` is its name, a description for every option, and for every option either a default
 * the behaviour applies (the same one the schema fills in) or none because it is required. Runs over
 * the registry: a new behaviour is checked without being named here.
 */
import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { isName } from '../schema-fields.js';
import { BEHAVIOURS, BehaviourSchema, behaviourEntry, createBehaviour, namedAlone, type Behaviour } from './index.js';
import type { BehaviourEntry } from './entry.js';

/** The options of an entry other than `kind`, with their schemas. */
function optionsOf(e: BehaviourEntry): [string, z.ZodType][] {
  return Object.entries(e.options.shape).filter(([k]) => k !== 'kind') as [string, z.ZodType][];
}

/** What is wrong with an entry, one line per problem (none for a complete entry). */
function entryProblems(e: BehaviourEntry): string[] {
  const out: string[] = [];
  if (!isName(e.name)) out.push(`name "${e.name}" is not a name`);
  if (e.description.trim() === '' || e.description.includes('\n')) out.push('description is not one line');
  const kind = e.options.shape['kind'] as z.ZodType | undefined;
  if (kind === undefined || !kind.safeParse(e.name).success || kind.safeParse(`${e.name}-not`).success) out.push('options.kind is not the literal name');
  const keys = new Set<string>();
  for (const [k, schema] of optionsOf(e)) {
    keys.add(k);
    if ((schema.description ?? '').trim() === '') out.push(`option ${k} has no description`);
    const required = !schema.safeParse(undefined).success;
    const has = Object.prototype.hasOwnProperty.call(e.defaults, k);
    if (required && has) out.push(`option ${k} is required but has a default`);
    if (!required && !has) out.push(`option ${k} has no default`);
    // An option the schema fills in must get the default the behaviour applies when it is absent.
    const filled = schema.safeParse(undefined);
    if (filled.success && filled.data !== undefined && !Object.is(filled.data, e.defaults[k])) {
      out.push(`option ${k}: the schema fills in ${JSON.stringify(filled.data)}, the default is ${JSON.stringify(e.defaults[k])}`);
    }
  }
  for (const k of Object.keys(e.defaults)) if (!keys.has(k)) out.push(`default ${k} is not an option`);
  if (!e.options.safeParse(e.example).success) out.push('example does not validate');
  return out;
}

describe('the behaviour registry', () => {
  test('is sorted by name, names unique', () => {
    const names = BEHAVIOURS.map((e) => e.name);
    expect(names).toEqual([...new Set(names)].sort());
  });

  test.each(BEHAVIOURS.map((e) => [e.name, e] as const))('%s is complete', (_name, e) => {
    expect(entryProblems(e)).toEqual([]);
  });

  test.each(BEHAVIOURS.map((e) => [e.name, e] as const))('%s builds a behaviour of its kind from its example', (name, e) => {
    const b = createBehaviour(e.options.parse(e.example) as Behaviour);
    expect(b.kind).toBe(name);
    expect(behaviourEntry(name)).toBe(e);
  });

  test('a behaviour may be named alone exactly when its every option has a default', () => {
    for (const e of BEHAVIOURS) {
      const alone = optionsOf(e).every(([, s]) => s.safeParse(undefined).success);
      expect([e.name, namedAlone().includes(e.name)]).toEqual([e.name, alone]);
      expect([e.name, BehaviourSchema.safeParse(e.name).success]).toEqual([e.name, alone]);
    }
    // batch and gang have defaults for all; service needs instances and task.
    expect(namedAlone()).toEqual(['batch', 'gang']);
  });

  test('the checks catch an incomplete entry', () => {
    const e = BEHAVIOURS[0];
    const first = optionsOf(e)[0]![0];
    const undescribed = { ...e, options: e.options.safeExtend({ [first]: z.number().optional() }) };
    expect(entryProblems(undescribed)).toEqual([`option ${first} has no description`]);
    const { [first]: _dropped, ...rest } = e.defaults;
    expect(entryProblems({ ...e, defaults: rest })).toEqual([
      `option ${first} has no default`,
      `option ${first}: the schema fills in ${JSON.stringify((e.options.parse(e.example) as Record<string, unknown>)[first])}, the default is undefined`,
    ]);
    // batch's first option, refuseSeconds, is filled in by the schema: a default of 6 disagrees with its 5.
    expect(entryProblems({ ...e, defaults: { ...e.defaults, [first]: 6 } })).toEqual([`option ${first}: the schema fills in 5, the default is 6`]);
    expect(entryProblems({ ...e, defaults: { ...e.defaults, extra: 1 } })).toEqual(['default extra is not an option']);
    expect(entryProblems({ ...e, description: '' })).toEqual(['description is not one line']);
  });
});
