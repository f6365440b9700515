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

// A reader that stops early (`offersim list | head -1`) closes the pipe: what was left to say
// to it is dropped, and the command still finishes its work and exits with its own code (its
// outputs are on disk, not in the pipe). The same for stderr.
const closed = { out: false, err: false };
const quietOnEpipe =
  (which: 'out' | 'err') =>
  (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err;
    closed[which] = true;
  };
process.stdout.on('error', quietOnEpipe('out'));
process.stderr.on('error', quietOnEpipe('err'));

removeStaleTemps();
const code = await main(process.argv.slice(2), {
  out: (t) => {
    if (!closed.out) process.stdout.write(t);
  },
  err: (t) => {
    if (!closed.err) process.stderr.write(t);
  },
  env: process.env,
  tty: process.stderr.isTTY === true,
});
process.exitCode = code;
