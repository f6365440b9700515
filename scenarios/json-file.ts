/**
 * JSON and CSV files offersim wrote and reads back (a run's summary.json, manifest.json and
 * frameworks.csv, a sweep point's summary): one edited, cut short or replaced by something else
 * is bad input naming the file (exit 2), never a parser's stack. Composition root: reads files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CsvFormatError, parseCsv } from '../reports/csv-read.js';
import { InputError } from './errors.js';

/** The rows of CSV file `file` (reports/csv-read.ts), or an InputError naming it (and the line); `missing` says what its absence means. */
export function readCsvRows(file: string, missing: string): string[][] {
  if (!existsSync(file)) throw new InputError([{ file, path: '', message: missing }]);
  return asInputError(
    () => parseCsv(readFileSync(file, 'utf8'), file),
    (name) => name,
  );
}

/**
 * `read()`, with a CSV file that is not as offersim wrote it ({@link CsvFormatError}) turned into
 * bad input (InputError, exit 2) naming the file at `path(err.file)`.
 */
export function asInputError<T>(read: () => T, path: (file: string) => string): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof CsvFormatError) throw new InputError([{ file: path(err.file), path: '', message: err.detail }]);
    throw err;
  }
}

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
