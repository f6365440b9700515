/** parseCsv: RFC 4180 as csv-parse reads it, and the error of text that is not CSV. */
import { describe, expect, test } from '@jest/globals';
import { CsvFormatError, parseCsv } from './csv-read.js';
import { csv } from './writers.js';

describe('parseCsv', () => {
  test('a quoted field with a comma, one with a doubled quote, one with a line break; CRLF, LF and mixed ends; no empty last row', () => {
    // `"x,1"` is one field x,1; `"say ""hi"""` is say "hi"; `"two\nlines"` keeps its LF.
    expect(parseCsv('a,b\r\n"x,1","say ""hi"""\r\n"two\nlines",\n')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"'],
      ['two\nlines', ''],
    ]);
    expect(parseCsv('a\r\nb\nc')).toEqual([['a'], ['b'], ['c']]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    // rows of other lengths are the caller's to refuse
    expect(parseCsv('a,b\n1\n')).toEqual([['a', 'b'], ['1']]);
  });

  test('reads back what the CSV writer writes, whatever the cells', () => {
    const rows = [
      ['framework', 'share_mean'],
      ['a,b', '0.5'],
      ['say "hi"', ''],
      ['two\r\nlines', '1'],
      [' padded ', '-0.000001'],
    ];
    expect(parseCsv(csv(rows))).toEqual(rows);
  });

  test('text that is not CSV: a CsvFormatError naming the file and the line', () => {
    expect(() => parseCsv('a,b\n"open,1\n', 'runs/x/frameworks.csv')).toThrow(CsvFormatError);
    // the quote opens on line 2 and is still open at the end
    expect(() => parseCsv('a,b\n"open,1\n', 'runs/x/frameworks.csv')).toThrow(/^runs\/x\/frameworks\.csv: line \d+: not valid CSV \(quote not closed\)$/);
    expect(() => parseCsv('a,b\nx"y",1\n', 'f.csv')).toThrow(/^f\.csv: line 2: not valid CSV \(invalid opening quote\)$/);
  });
});
