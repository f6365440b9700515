/**
 * Lines of a trace from its bytes, a chunk at a time, with a cap on a line's length: a line
 * longer than the cap is never held whole; it is reported by its length and reading goes on at
 * the next line. Lines end at '\n' (a '\r' before it is dropped); bytes are UTF-8. Pure: the I/O
 * layer reads the chunks.
 */

/** The longest line of a raw trace (SWF, Google, SWIM, Alibaba) read, in bytes: 1 MiB, far above any real row (under 1 KB). */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * The longest line of a canonical file read, in bytes: 256 MiB. A canonical job lists its task
 * groups on its one line (an uncapped SWIM job of 300,000 maps with blocks takes about 20 MB), and
 * half of the longest string the JavaScript engine holds (2^29 characters) leaves room to parse it.
 */
export const MAX_CANONICAL_LINE_BYTES = 1 << 28;

/** A line longer than the cap: only its length in bytes (without the line ending) was kept. */
export class LongLine {
  constructor(readonly bytes: number) {}
}

/** One line of input: its text, or a {@link LongLine}. */
export type LineItem = string | LongLine;

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Splits byte chunks into lines (see the module comment); the i-th item given is line i (1-based). */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  /** the start of the current line, from earlier chunks (kept while it is under the cap) */
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  /** bytes of the current line dropped for being over the cap; -1 while the line is kept */
  private dropped = -1;

  constructor(private readonly maxBytes: number = MAX_LINE_BYTES) {}

  /** The lines that `chunk` completes, in order. */
  push(chunk: Uint8Array): LineItem[] {
    const out: LineItem[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      out.push(this.finish(chunk.subarray(start, nl)));
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    return out;
  }

  /** The last line, when the input does not end with a line ending; else nothing. */
  end(): LineItem[] {
    if (this.partBytes === 0 && this.dropped < 0) return [];
    return [this.finish(new Uint8Array(0))];
  }

  /** Adds the bytes of an unfinished line, dropping the line once it is over the cap. */
  private keep(bytes: Uint8Array): void {
    if (this.dropped >= 0) {
      this.dropped += bytes.length;
      return;
    }
    // One byte more than the cap: a line of exactly the cap may end with a '\r' still to drop.
    if (this.partBytes + bytes.length > this.maxBytes + 1) {
      this.dropped = this.partBytes + bytes.length;
      this.parts = [];
      this.partBytes = 0;
      return;
    }
    // A copy (the caller may reuse its chunk buffer); not slice(), which a Node Buffer makes a view.
    this.parts.push(new Uint8Array(bytes));
    this.partBytes += bytes.length;
  }

  /** The line made of the kept bytes and `tail` (the bytes up to its '\n'). */
  private finish(tail: Uint8Array): LineItem {
    if (this.dropped >= 0) {
      const bytes = this.dropped + tail.length;
      this.dropped = -1;
      return new LongLine(bytes);
    }
    const total = this.partBytes + tail.length;
    if (total > this.maxBytes + 1) {
      this.parts = [];
      this.partBytes = 0;
      return new LongLine(total);
    }
    let whole = tail;
    if (this.parts.length > 0) {
      whole = new Uint8Array(total);
      let at = 0;
      for (const p of this.parts) {
        whole.set(p, at);
        at += p.length;
      }
      whole.set(tail, at);
      this.parts = [];
      this.partBytes = 0;
    }
    if (whole.length > 0 && whole[whole.length - 1] === CR) whole = whole.subarray(0, whole.length - 1);
    if (whole.length > this.maxBytes) return new LongLine(whole.length);
    return this.decoder.decode(whole);
  }
}
