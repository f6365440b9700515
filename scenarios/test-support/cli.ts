/**
 * The command line in-process, for scenario tests: `main` with its output captured.
 * Test-only (excluded from the build); imports the CLI entry point only.
 */
import { main } from '../main.js';

/** What one command did: its exit code and everything it printed to stdout and stderr. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `offersim ...argv` in this process (no exit) and captures what it prints. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}
