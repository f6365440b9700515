/**
 * Reading CSV: the one parser offersim reads its own CSV outputs with (csv-parse, RFC 4180), and
 * the error a CSV file that cannot be read as offersim wrote it gives. Imports no I/O.
 */
import { CsvError, parse } from 'csv-parse/sync';

/** A CSV file that is not valid CSV, or does not have the columns its reader needs. */
export class CsvFormatError extends Error {
  constructor(
    readonly file: string,
    /** what is wrong, without the file's name */
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CsvFormatError';
  }
}

/**
 * Parses RFC 4180 CSV (CRLF or LF line ends, even mixed; quoted fields with commas, doubled
 * quotes and line breaks) into rows of strings. A final line end does not start an empty row;
 * rows may differ in length (the caller checks them against the header). Text that is not CSV
 * (an unclosed quote, a quote inside an unquoted field) throws a {@link CsvFormatError} naming
 * `file` and the line.
 * @example parseCsv('a,b\n"x,1","say ""hi"""\n') // [['a', 'b'], ['x,1', 'say "hi"']]
 */
export function parseCsv(text: string, file = 'CSV'): string[][] {
  try {
    return parse(text, { relax_column_count: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) throw new CsvFormatError(file, `line ${err.lines}: not valid CSV (${err.message.replace(/:.*$/s, '').toLowerCase()})`);
    throw err;
  }
}
