/**
 * Bad input: every problem found in a scenario, trace or flag, reported at once (exit code 2).
 */

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

/** Formats a problem as `file:line:col: path: message`. */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return `${where}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
}

/** Thrown for bad input; the CLI prints every problem and exits 2. */
export class InputError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
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
