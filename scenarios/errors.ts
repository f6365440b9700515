/**
 * Bad input: every problem found in a scenario, trace or flag, reported at once (exit code 2).
 */
import { MAX_ECHO, MAX_PROBLEMS_LISTED } from './limits.js';

/** One problem with the input: where (file, line, column, field path) and what. */
export interface Problem {
  readonly file: string;
  /** 1-based line, when known */
  readonly line?: number | undefined;
  /** 1-based column, when known */
  readonly col?: number | undefined;
  /** field path like `frameworks[0].workload.rate`; '' for the whole file */
  readonly path: string;
  readonly message: string;
}

/** Characters of a field path, and of a message, in a formatted problem: a safety net under {@link excerpt}. */
const PATH_CHARS = 300;
const MESSAGE_CHARS = 1000;

/**
 * `text` as a message quotes it: whole when short, else its first characters, an ellipsis and its
 * length, so that a 100,000-character key makes a line, not a page.
 * @example excerpt('k'.repeat(100), 3) // 'kkk… (100 characters)'
 */
export function excerpt(text: string, max = MAX_ECHO): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length} characters)`;
}

/** Path segments to a printable field path: `frameworks[0].workload.rate`; long keys are cut ({@link excerpt}). */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? excerpt(String(seg)) : `.${excerpt(String(seg))}`;
  }
  return s;
}

/** Formats a problem as `file:line:col: path: message`; an over-long path or message is cut. */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return `${where}: ${p.path === '' ? '' : `${excerpt(p.path, PATH_CHARS)}: `}${excerpt(p.message, MESSAGE_CHARS)}`;
}

/**
 * Problems as the CLI prints them, a line each: the first {@link MAX_PROBLEMS_LISTED} and a count
 * of the rest, so that a file with 200,000 unknown keys costs a screenful.
 */
export function formatProblems(problems: readonly Problem[]): string {
  const lines = problems.slice(0, MAX_PROBLEMS_LISTED).map(formatProblem);
  const more = problems.length - MAX_PROBLEMS_LISTED;
  if (more > 0) lines.push(`... and ${more} more problem${more === 1 ? '' : 's'} (${problems.length} in all)`);
  return lines.join('\n');
}

/** Thrown for bad input; the CLI prints its problems (at most 50, and a count of the rest) and exits 2. */
export class InputError extends Error {
  /** every problem found, in order */
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/**
 * The environment refused an output: a file-system error (no space, a quota, no permission, a
 * read-only or special file system such as /proc, a path through a regular file) on a path
 * offersim writes. Exit 2 like bad input, never an internal error: the message names the path
 * and the OS reason (scenarios/output-files.ts).
 */
export class OutputError extends InputError {
  /** the system error code, e.g. 'ENOSPC' */
  readonly code: string;
  constructor(path: string, message: string, code: string, cause?: unknown) {
    super([{ file: path, path: '', message }]);
    this.name = 'OutputError';
    this.code = code;
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * The bad input behind `err`: `err` itself, or the InputError that a simulation wrapped as the
 * cause of a broken invariant (a trace row read by a job arrival, a strict trace's bad row).
 * Undefined for anything else.
 */
export function inputErrorOf(err: unknown): InputError | undefined {
  if (err instanceof InputError) return err;
  const cause = (err as { cause?: unknown } | null | undefined)?.cause;
  return err instanceof Error && cause instanceof InputError ? cause : undefined;
}

/** Exit codes of the CLI (DESIGN.md section 8). */
export const ExitCode = { OK: 0, REGRESSION: 1, BAD_INPUT: 2, INTERNAL: 3 } as const;

/**
 * A user-written allocator module (scenario `allocator.module`) threw from one of its methods:
 * a bug in that module, not in offersim. Thrown inside an event, the kernel wraps it in an
 * InvariantError (with the simulated time and event) whose `cause` is this error.
 */
export class UserAllocatorError extends Error {
  /** the module as the scenario names it */
  readonly module: string;
  /** the method that threw, e.g. 'allocate' */
  readonly method: string;
  constructor(module: string, method: string, detail: string, cause: unknown) {
    super(`allocator module "${module}": ${method}() threw ${detail}`, { cause });
    this.name = 'UserAllocatorError';
    this.module = module;
    this.method = method;
  }
}
