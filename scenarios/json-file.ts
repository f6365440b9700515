/**
 * JSON files offersim wrote and reads back (a run's summary.json and manifest.json, a sweep
 * point's summary): one edited, cut short or replaced by something else is bad input naming the
 * file (exit 2), never a parser's stack. Composition root: reads files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from './errors.js';

/** The JSON object in `file`, or an InputError naming it; `missing` says what its absence means. */
export function readJsonObject(file: string, missing: string): Record<string, unknown> {
  if (!existsSync(file)) throw new InputError([{ file, path: '', message: missing }]);
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError([{ file, path: '', message: `not JSON: ${(err as Error).message}` }]);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError([{ file, path: '', message: 'not a JSON object' }]);
  return v as Record<string, unknown>;
}
