/**
 * The built CLI in child processes, for scenario tests whose simulations would crawl in jest's
 * module sandbox: spawn it (in a chosen directory), and read back the files a run or sweep wrote.
 * Test-only (excluded from the build).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built CLI (npm run build writes it). */
export const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');

/** The environment without shard variables (a test run inside a Slurm job must not pick them up). */
export const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_ARRAY_') && k !== 'JOB_COMPLETION_INDEX'));

/** Runs `offersim ...args` in a child process, in directory `cwd` (default this process's). */
export function spawnCli(args: readonly string[], cwd?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: ENV, ...(cwd === undefined ? {} : { cwd }) });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Every file under `dir` but timing.json (the one file allowed to differ), by relative path, with its text. */
export function outputFiles(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(join(dir, rel)).sort()) {
    const p = join(rel, f);
    if (statSync(join(dir, p)).isDirectory()) Object.assign(out, outputFiles(dir, p));
    else if (f !== 'timing.json') out[p] = readFileSync(join(dir, p), 'utf8');
  }
  return out;
}
