/**
 * The line splitter: line endings, chunk boundaries (also inside a multi-byte character), and a
 * line over the cap reported by its length while the next line is read as usual.
 */
import fc from 'fast-check';
import { LineSplitter, LongLine, type LineItem } from './lines.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every item of `chunks` through one splitter with cap `max`. */
function split(chunks: readonly Uint8Array[], max?: number): LineItem[] {
  const s = new LineSplitter(max);
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

describe('LineSplitter', () => {
  test('splits at \\n, drops a \\r before it, keeps blank lines, gives a last line without an ending', () => {
    expect(split([bytes('a\r\n\nb\nc')])).toEqual(['a', '', 'b', 'c']);
    // a final line ending ends the last line: no empty line after it
    expect(split([bytes('a\nb\n')])).toEqual(['a', 'b']);
    expect(split([])).toEqual([]);
  });

  test('any chunking gives the same lines, also when a chunk ends inside a character', () => {
    const text = 'é1\r\nñandú 2\n\n€ three\n';
    const whole = split([bytes(text)]);
    expect(whole).toEqual(['é1', 'ñandú 2', '', '€ three']);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 10 }), (cuts) => {
        const b = bytes(text);
        const at = [...new Set(cuts.filter((c) => c < b.length))].sort((x, y) => x - y);
        const chunks = [0, ...at].map((from, i) => b.subarray(from, at[i] ?? b.length));
        expect(split(chunks)).toEqual(whole);
      }),
      { seed: 14 },
    );
  });

  test('a chunk buffer the reader reuses (a Node Buffer, as readSync fills) does not change the lines already cut', () => {
    // The reader reads into one buffer: "ab" of "abc\n" must survive the buffer's next fill.
    const buf = Buffer.alloc(3);
    const s = new LineSplitter();
    const out: LineItem[] = [];
    for (const piece of ['ab', 'c\nd', 'e\n']) {
      buf.write(piece);
      out.push(...s.push(buf.subarray(0, piece.length)));
    }
    expect([...out, ...s.end()]).toEqual(['abc', 'de']);
  });

  test('a line over the cap is its length only, whole or across chunks; the next line is read', () => {
    // cap 8: "12345678" (8 bytes) is kept; "123456789" (9) is not; its \r does not count
    expect(split([bytes('12345678\r\n123456789\nok\n')], 8)).toEqual(['12345678', new LongLine(9), 'ok']);
    // 20 bytes in chunks of 3: dropped as it grows, never joined; then "x" and a last long line
    const b = bytes(`${'y'.repeat(20)}\nx\n${'z'.repeat(9)}`);
    const chunks = Array.from({ length: Math.ceil(b.length / 3) }, (_, i) => b.subarray(i * 3, i * 3 + 3));
    expect(split(chunks, 8)).toEqual([new LongLine(20), 'x', new LongLine(9)]);
  });
});
