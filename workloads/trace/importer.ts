/**
 * What every trace importer implements: a push parser fed one line at a time (so that the I/O
 * layer can stream a file of any size, plain or compressed), emitting canonical jobs and a
 * problem for every row it cannot use. Pure: no I/O.
 */
import type { CanonicalJob } from './canonical.js';

/** A row an importer could not use: where, a short reason code (the manifest counts by it) and what was wrong. */
export interface RowProblem {
  /** the auxiliary input the row is in (its option name, e.g. 'jobEvents'); absent: the main file */
  readonly input?: string;
  /** 1-based line number in the input file */
  readonly line: number;
  /** short, stable reason code, e.g. 'fields', 'unknown-runtime' */
  readonly reason: string;
  /** what was wrong, naming the field */
  readonly message: string;
}

/** Where an importer sends its output. */
export interface ImportSink {
  /** a job, in non-decreasing submit order */
  job(job: CanonicalJob): void;
  /** a row skipped (lenient) or fatal (strict: the caller stops) */
  problem(p: RowProblem): void;
}

/**
 * The accounting of one import: every line of the input is a comment or blank line, or a data
 * row; every data row went into a job or was skipped for a counted reason. An importer states
 * how its rows make jobs (one row a job for SWF; several event rows a job for Google).
 */
export interface ImportCounts {
  /** lines read */
  readonly lines: number;
  /** header, comment and blank lines */
  readonly ignored: number;
  /** data rows (lines - ignored) */
  readonly rows: number;
  /** rows that went into emitted jobs */
  readonly rowsUsed: number;
  /** rows skipped, by reason code; rowsUsed + the sum of these = rows */
  readonly skipped: Readonly<Record<string, number>>;
  /** jobs emitted */
  readonly jobs: number;
  /** tasks emitted (counting copies) */
  readonly tasks: number;
  /** importer-specific tallies worth reporting (e.g. jobs kept with a zero run time) */
  readonly notes: Readonly<Record<string, number>>;
}

/** A push parser for one trace format. */
export interface TraceImporter {
  /** the format name, e.g. 'swf' */
  readonly format: string;
  /**
   * Further input files the format reads before the main one, each named by the option that
   * holds its path (Google 2011: 'jobEvents'); the I/O layer feeds each through auxLine, in this
   * order, when the option is given. Default none.
   */
  readonly auxInputs?: readonly string[];
  /** One line of auxiliary input `input` (1-based line numbers of that file). */
  auxLine?(input: string, text: string, lineNo: number, sink: ImportSink): void;
  /** One line of the main input (without its line ending), 1-based. */
  line(text: string, lineNo: number, sink: ImportSink): void;
  /** The input ended: emit what is still buffered. */
  end(sink: ImportSink): void;
  /** The accounting so far (final after end()). */
  counts(): ImportCounts;
}

/** A mutable tally behind {@link ImportCounts}, shared by the importers. */
export class Tally {
  lines = 0;
  ignored = 0;
  rowsUsed = 0;
  jobs = 0;
  tasks = 0;
  readonly skipped = new Map<string, number>();
  readonly notes = new Map<string, number>();

  /**
   * Counts a line of the main input and returns it trimmed, or undefined for a blank line or one
   * that `ignore` says is a header or comment (counted as ignored).
   */
  row(text: string, ignore?: (trimmed: string) => boolean): string | undefined {
    this.lines++;
    const s = text.trim();
    if (s === '' || (ignore !== undefined && ignore(s))) {
      this.ignored++;
      return undefined;
    }
    return s;
  }

  /** Counts a skipped row of the main input and reports it. */
  skip(sink: ImportSink, line: number, reason: string, message: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
    sink.problem({ line, reason, message });
  }

  /** Reports a bad row of auxiliary input `input` (counted under `<input>:<reason>`, not in rows). */
  skipAux(sink: ImportSink, input: string, line: number, reason: string, message: string): void {
    this.note(`${input}:${reason}`);
    sink.problem({ input, line, reason, message });
  }

  note(key: string, by = 1): void {
    this.notes.set(key, (this.notes.get(key) ?? 0) + by);
  }

  counts(): ImportCounts {
    const sorted = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    return {
      lines: this.lines,
      ignored: this.ignored,
      rows: this.lines - this.ignored,
      rowsUsed: this.rowsUsed,
      skipped: sorted(this.skipped),
      jobs: this.jobs,
      tasks: this.tasks,
      notes: sorted(this.notes),
    };
  }
}
