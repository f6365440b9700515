/**
 * What every trace importer implements: a push parser fed one line at a time (so that the I/O
 * layer can stream a file of any size, plain or compressed), emitting canonical jobs and a
 * problem for every row it cannot use. Pure: no I/O.
 */
import { EXACT_TIME_LIMIT_SECONDS } from '../../sim/kernel/time.js';
import { MAX_TRACE_SECONDS, jobRangeProblem, type CanonicalJob } from './canonical.js';
import { MAX_LINE_BYTES } from './lines.js';

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
  /**
   * A line of the main input (or of auxiliary input `input`) longer than the I/O layer reads
   * (workloads/trace/lines.ts): only its length is known. It is a problem row ('line-too-long').
   */
  tooLong(lineNo: number, bytes: number, sink: ImportSink, input?: string): void;
  /** The input ended: emit what is still buffered. */
  end(sink: ImportSink): void;
  /** The accounting so far (final after end()). */
  counts(): ImportCounts;
  /** What the user should know about the result (an assumption that may not hold), one sentence each; default none. */
  warnings?(): readonly string[];
}

/** Where a problem row goes (an import sink or a cluster sink). */
export interface ProblemSink {
  problem(p: RowProblem): void;
}

/** At most this many characters of a trace field are quoted in a message. */
const QUOTE_CHARS = 40;

/** A trace field for a message, cut to {@link QUOTE_CHARS} characters (a field can be a megabyte long). */
export function clip(field: string): string {
  return field.length <= QUOTE_CHARS ? field : `${field.slice(0, QUOTE_CHARS)}... (${field.length} characters)`;
}

/** A trace field for a message, quoted and cut as by {@link clip}. */
export function quote(field: string): string {
  return field.length <= QUOTE_CHARS ? `"${field}"` : `"${field.slice(0, QUOTE_CHARS)}..." (${field.length} characters)`;
}

/** Unix times (seconds) from September 2001 to 2100: a submit time there is taken for one. */
const EPOCH_FROM = 1e9;
const EPOCH_UNTIL = 4.1e9;

/** The largest time origin, seconds: 2^53 microseconds (times below it are exact in microseconds). */
const MAX_ORIGIN = EXACT_TIME_LIMIT_SECONDS;

/** A problem of one row: a reason code and a message naming the field. */
export interface RowCheck {
  readonly reason: string;
  readonly message: string;
}

/**
 * The `timeOrigin` option of the importers whose trace gives submit times in seconds: the time
 * that becomes 0. A number (seconds, default 0: times as given) or 'first', the submit time of the
 * first data row that gets as far as its time check. Submit times become relative to it and must
 * then lie in [0, {@link MAX_TRACE_SECONDS}]: an earlier one is a 'submit' problem, a later one a
 * 'range' problem of its row only (it moves no out-of-order watermark), and one that looks like a
 * Unix time while the origin is 0 says to set the option.
 */
export class TimeOrigin {
  private origin: number | undefined;

  constructor(
    format: string,
    option: unknown,
    private readonly tally: Tally,
  ) {
    if (option === undefined) {
      this.origin = 0;
    } else if (option === 'first') {
      this.origin = undefined;
    } else if (typeof option === 'number' && option >= 0 && option <= MAX_ORIGIN) {
      this.origin = option;
      if (option > 0) tally.note('time-origin-s', option);
    } else {
      throw new RangeError(`${format} timeOrigin must be "first" or a number of seconds in [0, ${MAX_ORIGIN}]`);
    }
  }

  /** The origin in force (seconds), or undefined while 'first' has seen no row. */
  get value(): number | undefined {
    return this.origin;
  }

  /** `t` (seconds, as field `field` of the row gives it in `text`) from the origin, or its problem. */
  relative(t: number, field: string, text: string): number | RowCheck {
    if (this.origin === undefined && t >= 0 && t <= MAX_ORIGIN) {
      this.origin = t;
      if (t > 0) this.tally.note('time-origin-s', t);
    }
    const origin = this.origin ?? 0;
    const rel = t - origin;
    if (!(rel >= 0)) {
      return { reason: 'submit', message: origin > 0 ? `${field} ${clip(text)} is before the time origin ${origin} s` : `${field} is negative: ${clip(text)}` };
    }
    if (rel > MAX_TRACE_SECONDS) {
      const epoch =
        origin === 0 && t >= EPOCH_FROM && t < EPOCH_UNTIL
          ? ': it looks like a Unix time (seconds since 1970); set the option timeOrigin to "first" (or to the log\'s start) to make times relative'
          : '';
      return {
        reason: 'range',
        message: `${field} ${clip(text)} is ${origin > 0 ? `${rel} s after the time origin, ` : ''}beyond ${MAX_TRACE_SECONDS} s${epoch}`,
      };
    }
    return rel;
  }

  /** The warning when times were shifted, else none. */
  warnings(): string[] {
    return this.origin !== undefined && this.origin > 0
      ? [`submit times are relative to the time origin ${this.origin} s (option timeOrigin): the trace's times minus ${this.origin}`]
      : [];
  }
}

/** The line cap of raw traces, for messages. */
const MAX_LINE_BYTES_TEXT = `${MAX_LINE_BYTES / (1 << 20)} MiB`;

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
  skip(sink: ProblemSink, line: number, reason: string, message: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
    sink.problem({ line, reason, message });
  }

  /** Reports a bad row of auxiliary input `input` (counted under `<input>:<reason>`, not in rows). */
  skipAux(sink: ProblemSink, input: string, line: number, reason: string, message: string): void {
    this.note(`${input}:${reason}`);
    sink.problem({ input, line, reason, message });
  }

  /** Counts a line too long to read (of the main input, or of auxiliary input `input`) and reports it: reason 'line-too-long'. */
  tooLong(sink: ProblemSink, line: number, bytes: number, input?: string): void {
    const message = `the line is ${bytes} bytes long, more than the ${MAX_LINE_BYTES_TEXT} a line may have: skipped unread`;
    if (input !== undefined) {
      this.skipAux(sink, input, line, 'line-too-long', message);
      return;
    }
    this.lines++;
    this.skip(sink, line, 'line-too-long', message);
  }

  /**
   * Reports `job` as a 'range' problem of its row when it is out of the canonical range
   * (canonical.ts: a value derived from the row's fields is absurd); true when it is in range.
   */
  inRange(sink: ProblemSink, line: number, job: CanonicalJob, from: string): boolean {
    const why = jobRangeProblem(job);
    if (why === undefined) return true;
    this.skip(sink, line, 'range', `${from}: ${why}`);
    return false;
  }

  note(key: string, by = 1): void {
    this.notes.set(key, (this.notes.get(key) ?? 0) + by);
  }

  counts(): ImportCounts {
    const sorted = (m: Map<string, number>): Record<string, number> =>
      Object.fromEntries([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
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

/**
 * What the importers whose every data row is one job (or one problem row) share: the tally behind
 * {@link TraceImporter.counts}, a line too long to read as a problem row, and nothing buffered at
 * the end. A subclass reads its rows in `line` and says what the user should know in `warnings`.
 */
export abstract class RowPerJobImporter implements TraceImporter {
  abstract readonly format: string;
  protected readonly tally = new Tally();

  abstract line(text: string, lineNo: number, sink: ImportSink): void;

  tooLong(lineNo: number, bytes: number, sink: ImportSink): void {
    this.tally.tooLong(sink, lineNo, bytes);
  }

  end(_sink: ImportSink): void {
    // One row a job: nothing is buffered.
  }

  counts(): ImportCounts {
    return this.tally.counts();
  }
}
