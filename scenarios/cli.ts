#!/usr/bin/env node
/**
 * The `offersim` executable: runs the CLI on the process arguments and exits with its code.
 * Whatever escapes `main` (an error thrown from a stream callback) still ends with offersim's
 * codes, never Node's 1 (which means "a check found a regression"); temporary files are removed
 * on every exit path, and those of dead offersim processes at start (scenarios/temp-files.ts).
 */
import { ExitCode } from './errors.js';
import { main } from './main.js';
import { environmentLine } from './output-files.js';
import { removeStaleTemps } from './temp-files.js';

process.on('uncaughtException', (err) => {
  const system = environmentLine(err);
  if (system !== undefined) {
    process.stderr.write(`${system}\n`);
    process.exit(ExitCode.BAD_INPUT);
  }
  process.stderr.write(`offersim: internal error (a bug): ${err.stack ?? err.message}\n`);
  process.exit(ExitCode.INTERNAL);
});

removeStaleTemps();
const code = await main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  tty: process.stderr.isTTY === true,
});
process.exitCode = code;
