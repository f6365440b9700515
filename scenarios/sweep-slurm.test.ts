/**
 * A sweep as a Slurm array job (docs/sweeps.md, "Slurm"), on a single-node Slurm that
 * scripts/slurm-local.sh installs and starts for this run only (its own directory, ports and
 * munged): three shards, each taking its slice from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT,
 * then a merge job that waits for them (afterok); the merged directory must equal a
 * single-process sweep byte for byte (all but timing.json files). The same through
 * docs/examples/slurm-sweep.sbatch, and a failing shard must keep the merge from running.
 * Skipped only when the script says Slurm cannot be installed or started here (exit 77: no root
 * or sudo, no apt, no network); any other failure of the script fails the tests.
 * The Slurm commands talk to real daemons, so this test polls them with a wall-clock deadline.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');
const SCRIPT = join(ROOT, 'scripts', 'slurm-local.sh');
const SCENARIO = join(HERE, 'examples', 'sweep.yaml');
/** The script's exit code for "Slurm cannot be installed or started on this machine". */
const UNAVAILABLE = 77;
/** Array tasks (shards) of the sweep job. */
const SHARDS = 3;
/** How long the jobs of one test may take, in ms (the sweep itself takes a few seconds). */
const JOB_DEADLINE_MS = 80_000;

const run = promisify(execFile);

/** Single-quotes a word for the shell that runs a --wrap command. */
const sh = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Two free TCP ports on localhost, for this run's slurmctld and slurmd. */
async function freePorts(): Promise<[number, number]> {
  const servers = [createServer(), createServer()];
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return [ports[0]!, ports[1]!];
}

// Starting Slurm decides whether the tests are registered at all, so it happens while the file
// loads. The cluster is this run's own (its directory, ports and munged), so test runs side by
// side on one machine, or a Slurm already running here, do not meet it.
const slurmDir = mkdtempSync(join(tmpdir(), 'offersim-slurm-cluster-'));
const [ctldPort, slurmdPort] = await freePorts();
const scriptEnv: NodeJS.ProcessEnv = {
  ...process.env,
  SLURM_DIR: slurmDir,
  SLURMCTLD_PORT: String(ctldPort),
  SLURMD_PORT: String(slurmdPort),
  // The node offers 4 CPUs whatever the cores, so the three shards start together.
  SLURM_CPUS: '4',
};
const started = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 600_000, env: scriptEnv });
const slurmConf = /^export SLURM_CONF=(.+)$/m.exec(started.stdout ?? '')?.[1];
const stderrLines = (started.stderr ?? '')
  .trim()
  .split('\n')
  .filter((l) => l !== '');
/** Why the script failed: its "unavailable" line, else its last lines. */
const why = stderrLines.find((l) => l.includes('unavailable:')) ?? stderrLines.slice(-3).join(' / ');

/** The environment for Slurm's client commands. */
const slurmEnv = (): NodeJS.ProcessEnv => ({ ...process.env, SLURM_CONF: slurmConf });

/** The environment of the single-process sweep: no shard may leak in from a surrounding job. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN', 'JOB_COMPLETION_INDEX', 'OFFERSIM_SHARD_COUNT']) delete env[k];
  return env;
}

async function slurm(cmd: string, args: readonly string[]): Promise<string> {
  return (await run(cmd, args, { env: slurmEnv(), encoding: 'utf8' })).stdout.trim();
}

/** Submits a batch job; returns its id. */
async function sbatch(args: readonly string[]): Promise<string> {
  const id = (await slurm('sbatch', ['--parsable', ...args])).split(';')[0]!;
  expect(id).toMatch(/^\d+$/);
  return id;
}

/** Waits until none of `jobs` is pending or running. */
async function settle(jobs: readonly string[]): Promise<void> {
  const deadline = Date.now() + JOB_DEADLINE_MS;
  for (;;) {
    const r = spawnSync('squeue', ['-h', '-o', '%i %T', '-j', jobs.join(',')], { env: slurmEnv(), encoding: 'utf8' });
    // squeue fails once the jobs are gone from the controller altogether: settled as well.
    if (r.status !== 0 || r.stdout.trim() === '') return;
    if (Date.now() > deadline) throw new Error(`Slurm jobs not done after ${JOB_DEADLINE_MS / 1000} s:\n${r.stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Job state and exit code of a job, or of every task of an array job, by task id ('' for a plain job). */
async function states(job: string): Promise<Map<string, { state: string; exit: string }>> {
  const out = await slurm('scontrol', ['show', 'job', '-o', job]);
  const m = new Map<string, { state: string; exit: string }>();
  for (const line of out.split('\n')) {
    const field = (k: string): string => new RegExp(`(?:^| )${k}=(\\S*)`).exec(line)?.[1] ?? '';
    m.set(field('ArrayTaskId'), { state: field('JobState'), exit: field('ExitCode') });
  }
  return m;
}

/** Every file under `dir` but timing.json files, by path relative to `dir`, sorted. */
function files(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => {
      const p = join(d, f);
      return statSync(p).isDirectory() ? walk(p) : f === 'timing.json' ? [] : [relative(dir, p)];
    });
  return walk(dir).sort();
}

/** The job logs, for failure messages. */
function logs(dir: string): string {
  if (!existsSync(dir)) return '(no logs)';
  return readdirSync(dir)
    .sort()
    .map((f) => `--- ${f}\n${readFileSync(join(dir, f), 'utf8')}`)
    .join('\n');
}

let tmp: string;

let singleSweep: Promise<string> | undefined;
/** The single-process sweep of SCENARIO (run once, on first use); its directory. */
function single(): Promise<string> {
  singleSweep ??= (async () => {
    const dir = join(tmp, 'single');
    await run(process.execPath, [CLI, 'sweep', SCENARIO, '--out', dir], { env: plainEnv() });
    return dir;
  })();
  return singleSweep;
}

/** Expects `got` to hold the files of `want`, byte for byte, all but timing.json files. */
function expectSameFiles(got: string, want: string): void {
  const names = files(want);
  expect(names).toContain('sweep.csv');
  expect(names).toContain('summary.csv');
  expect(files(got)).toEqual(names);
  const differing = names.filter((f) => !readFileSync(join(got, f)).equals(readFileSync(join(want, f))));
  expect(differing).toEqual([]);
}

if (started.status === UNAVAILABLE) {
  rmSync(slurmDir, { recursive: true, force: true });
  console.warn(`sweep-slurm.test.ts skipped: ${why}`);
  describe.skip(`sweeps as Slurm array jobs (skipped: ${why})`, () => {
    test('an array job of shards, merged, equals the single-process sweep', () => undefined);
  });
} else {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'offersim-slurm-'));
  });
  afterAll(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
    // stop stops only the daemons start recorded, so it is safe even after a half-done start.
    const stopped = spawnSync('bash', [SCRIPT, 'stop'], { encoding: 'utf8', env: scriptEnv });
    if (stopped.status !== 0) throw new Error(`slurm-local.sh stop failed: ${stopped.stderr}`);
    rmSync(slurmDir, { recursive: true, force: true });
  });

  describe('sweeps as Slurm array jobs', () => {
    test('scripts/slurm-local.sh starts a single-node Slurm', () => {
      expect({ status: started.status, stderr: started.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      expect(slurmConf).toBeDefined();
    });

    test(`${SHARDS} shards from SLURM_ARRAY_TASK_ID, merged after them, equal the single-process sweep byte for byte`, async () => {
      if (started.status !== 0) throw new Error(`Slurm did not start: ${why}`);
      const logDir = join(tmp, 'logs');
      const shardDirs = Array.from({ length: SHARDS }, (_, i) => join(tmp, `shard-${i}`));
      const merged = join(tmp, 'merged');
      const node = sh(process.execPath);
      // Slurm creates no directories: a task whose output file cannot be opened fails (signal 53).
      // Each task is given one CPU, so each shard runs on one worker thread.
      mkdirSync(logDir);
      const array = await sbatch([
        `--array=0-${SHARDS - 1}`,
        '-J',
        'offersim-sweep',
        '-D',
        tmp,
        '-o',
        join(logDir, 'shard-%a.out'),
        '--wrap',
        `${node} ${sh(CLI)} sweep ${sh(SCENARIO)} --out ${sh(join(tmp, 'shard-'))}$SLURM_ARRAY_TASK_ID --workers 1`,
      ]);
      const merge = await sbatch([
        `--dependency=afterok:${array}`,
        '-J',
        'offersim-merge',
        '-D',
        tmp,
        '-o',
        join(logDir, 'merge.out'),
        '--wrap',
        `${node} ${sh(CLI)} merge ${shardDirs.map(sh).join(' ')} --out ${sh(merged)}`,
      ]);
      // The single-process sweep runs meanwhile.
      const want = await single();
      await settle([array, merge]);

      const shardStates = await states(array);
      const mergeState = (await states(merge)).get('');
      const context = `array ${array}: ${JSON.stringify([...shardStates])}; merge ${merge}: ${JSON.stringify(mergeState)}\n${logs(logDir)}`;
      expect({ context, ok: [...shardStates.values()].every((s) => s.state === 'COMPLETED') && shardStates.size === SHARDS }).toEqual({ context, ok: true });
      expect({ context, merge: mergeState?.state }).toEqual({ context, merge: 'COMPLETED' });

      // Each shard ran a slice: the shards' point directories are disjoint and make up the sweep.
      const pointsOf = (d: string): string[] => readdirSync(join(d, 'points')).sort();
      const slices = shardDirs.map(pointsOf);
      const all = pointsOf(want);
      for (const s of slices) {
        expect(s.length).toBeGreaterThan(0);
        expect(s.length).toBeLessThan(all.length);
      }
      expect(slices.flat().sort()).toEqual(all);

      expectSameFiles(merged, want);
    }, 120_000);

    test('docs/examples/slurm-sweep.sbatch submits shards and a merge that equal the single-process sweep', async () => {
      if (started.status !== 0) throw new Error(`Slurm did not start: ${why}`);
      const out = join(tmp, 'example');
      const submitted = await run('bash', [join(ROOT, 'docs', 'examples', 'slurm-sweep.sbatch')], {
        env: { ...slurmEnv(), OFFERSIM: `${process.execPath} ${CLI}`, SCENARIO, OUT: out, SHARDS: '2', CPUS: '1' },
        encoding: 'utf8',
      });
      const ids = /job (\d+) .*job (\d+)/.exec(submitted.stdout);
      expect(ids).not.toBeNull();
      const want = await single();
      await settle([ids![1]!, ids![2]!]);
      const mergeState = (await states(ids![2]!)).get('');
      const context = `${submitted.stdout}merge: ${JSON.stringify(mergeState)}\n${logs(join(out, 'logs'))}`;
      expect({ context, merge: mergeState?.state }).toEqual({ context, merge: 'COMPLETED' });
      expectSameFiles(join(out, 'merged'), want);
    }, 120_000);

    test('a failing shard keeps the dependent merge job from running', async () => {
      if (started.status !== 0) throw new Error(`Slurm did not start: ${why}`);
      const marker = join(tmp, 'merge-ran');
      const array = await sbatch([
        `--array=0-${SHARDS - 1}`,
        '-J',
        'offersim-fail',
        '-D',
        tmp,
        '-o',
        '/dev/null',
        '--wrap',
        'test "$SLURM_ARRAY_TASK_ID" != 1 || exit 3',
      ]);
      const merge = await sbatch([
        `--dependency=afterok:${array}`,
        '-J',
        'offersim-merge-never',
        '-D',
        tmp,
        '-o',
        '/dev/null',
        '--wrap',
        `touch ${sh(marker)}`,
      ]);
      await settle([array, merge]);
      const shards = await states(array);
      expect(shards.get('1')).toEqual({ state: 'FAILED', exit: '3:0' });
      expect(shards.get('0')?.state).toBe('COMPLETED');
      expect((await states(merge)).get('')?.state).toBe('CANCELLED');
      expect(existsSync(marker)).toBe(false);
    }, 60_000);
  });
}
