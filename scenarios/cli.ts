#!/usr/bin/env node
/**
 * The `offersim` executable: runs the CLI on the process arguments and exits with its code.
 */
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  tty: process.stderr.isTTY === true,
});
process.exitCode = code;
