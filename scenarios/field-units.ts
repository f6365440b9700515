/**
 * The units of a scenario's quantity fields, for messages (`mem: expected a number of MB, got
 * "4GB"`): one table, keyed by the field types of schema-fields.ts (a field of type `span` is in
 * seconds wherever it is) and, for a resource amount, by the resource's name.
 */
import type { z } from 'zod';
import { amount, interval, positiveSeconds, positiveSpan, runSeconds, seconds, span } from './schema-fields.js';
import { schemasAt } from './schema-issues.js';

/** The unit of each field type that has one. */
const TYPE_UNITS: ReadonlyMap<z.core.$ZodType, string> = new Map<z.core.$ZodType, string>([
  [seconds, 'seconds'],
  [positiveSeconds, 'seconds'],
  [runSeconds, 'seconds'],
  [span, 'seconds'],
  [positiveSpan, 'seconds'],
  [interval, 'seconds'],
]);

/** A resource amount's unit, by the resource (scenario units: cores, MB, devices). */
const AMOUNT_UNITS: Readonly<Record<string, string>> = { cpus: 'cores', mem: 'MB', disk: 'MB', gpus: 'devices' };

/** The unit of the field at `path` of a document valid for `schema`, when it is a quantity with one. */
export function fieldUnitAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string | undefined {
  for (const t of schemasAt(schema, path)) {
    const unit = t === amount ? AMOUNT_UNITS[String(path.at(-1))] : TYPE_UNITS.get(t);
    if (unit !== undefined) return unit;
  }
  return undefined;
}
