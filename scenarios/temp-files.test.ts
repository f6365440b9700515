/**
 * Temporary files on every exit path: a run killed half-way (SIGTERM, SIGINT, kill -9) leaves
 * no `.partial-<pid>` directory and nothing in the temp folder, and a rerun into the same place
 * completes; leftovers of processes that no longer exist (as when the reaper was killed too)
 * are removed by the next run, sweep, report or start, and a live process's never. Runs are
 * child processes of the built CLI with a temp folder of their own (TMPDIR).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPartial, isAlive, partialPath, releaseTemp, removeStalePartialsIn } from './temp-files.js';
import { CLI, ENV, ROOT } from './test-support/child.js';
import { quietScenario } from './test-support/quiet.js';

const SMALL = join(ROOT, 'scenarios', 'golden', 'small.yaml');

let tmp: string;
/** A process id that no longer exists (a child that has exited). */
let dead: number;
/** A process id that exists while the tests run: jest's parent process. */
const live = process.ppid;
/** A scenario that runs for seconds: 1,000,000 s at one-second samples, the most time-series cells a run may write (test-support/quiet.ts). */
let long: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-temps-'));
  dead = spawnSync(process.execPath, ['-e', '']).pid;
  long = join(tmp, 'long.yaml');
  writeFileSync(long, quietScenario('long', 1_000_000));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh directory under tmp. */
function fresh(name: string): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** The built CLI in a child process with temp folder `temp`. */
function offersim(args: readonly string[], temp: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...ENV, TMPDIR: temp }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Starts `offersim run long.yaml --out out`, sends `signal` once its temporary directory exists
 * (watched, not polled), and resolves with the signal that ended it once the process and
 * everything holding its stderr are gone: its reaper, which removes the temporary files after
 * the process's end (no JavaScript handler can run while a simulation runs).
 */
function killHalfway(out: string, temp: string, signal: NodeJS.Signals): Promise<NodeJS.Signals | null> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, 'run', long, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...ENV, TMPDIR: temp } });
    const partial = `${out}.partial-${child.pid!}`;
    let ended: NodeJS.Signals | null = null;
    const watcher = watch(join(out, '..'), () => {
      if (!existsSync(partial)) return;
      watcher.close();
      child.kill(signal);
    });
    if (existsSync(partial)) {
      watcher.close();
      child.kill(signal);
    }
    child.stderr!.resume();
    child.on('exit', (_code, s) => {
      ended = s;
      // Ended before its temporary directory was seen (refused, or too fast): stop watching, or
      // the open watcher keeps jest from exiting.
      watcher.close();
    });
    child.on('error', fail);
    child.on('close', () => done(ended));
  });
}

describe('a run killed half-way', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
    test(`${signal}: the run directory, the process's temp folder, everything is removed; a rerun completes`, async () => {
      const dir = fresh(`killed-${signal}`);
      const temp = fresh(`tmp-${signal}`);
      const out = join(dir, 'run');
      expect(await killHalfway(out, temp, signal)).toBe(signal);
      expect(readdirSync(dir)).toEqual([]);
      expect(readdirSync(temp)).toEqual([]);
      const again = offersim(['run', SMALL, '--out', out], temp);
      expect(again.code).toBe(0);
      expect(readdirSync(dir)).toEqual(['run']);
      expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'scenarios', 'golden', 'small.expected', 'summary.json'), 'utf8'));
      expect(readdirSync(temp)).toEqual([]);
    }, 120_000);
  }
});

describe('leftovers of processes that no longer exist', () => {
  test('isAlive: this process and its parent are; an exited child is not', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(live)).toBe(true);
    expect(isAlive(dead)).toBe(false);
  });

  test("claimPartial removes the temporary names of the path by dead processes only, and this process's own", () => {
    const dir = fresh('claim');
    const out = join(dir, 'x');
    for (const f of [`x.partial-${dead}`, `x.old-${dead}`, `x.partial-${live}`, `x.partial-${process.pid}`, `y.partial-${dead}`, `x.partial-${dead}.txt`])
      mkdirSync(join(dir, f));
    const tmpName = claimPartial(out);
    expect(tmpName).toBe(partialPath(out));
    releaseTemp(tmpName);
    // left: the live process's, another name's, and a name that is not a temporary one
    expect(readdirSync(dir).sort()).toEqual([`x.partial-${dead}.txt`, `x.partial-${live}`, `y.partial-${dead}`].sort());
    removeStalePartialsIn(dir);
    expect(readdirSync(dir).sort()).toEqual([`x.partial-${dead}.txt`, `x.partial-${live}`].sort());
  });

  test("run: a dead process's partial directory beside --out goes, a live one's stays, the result is complete", () => {
    const dir = fresh('rerun');
    const temp = fresh('tmp-rerun');
    for (const p of [dead, live]) {
      mkdirSync(join(dir, `run.partial-${p}`));
      writeFileSync(join(dir, `run.partial-${p}`, 'events.jsonl'), '{"half":\n');
    }
    expect(offersim(['run', SMALL, '--out', join(dir, 'run')], temp).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['run', `run.partial-${live}`]);
    expect(readdirSync(join(dir, 'run')).sort()).toEqual([
      'frameworks.csv',
      'jobs.csv',
      'manifest.json',
      'scenario.yaml',
      'summary.json',
      'timeseries-long.csv',
      'timeseries.csv',
      'timing.json',
    ]);
  });

  test("sweep: a dead process's half-written point goes, a live process's point in progress stays", () => {
    const temp = fresh('tmp-sweep');
    const sweep = join(tmp, 'sweep.yaml');
    writeFileSync(sweep, `${readFileSync(SMALL, 'utf8')}\nsweep: { seeds: [1] }\n`);
    const out = join(tmp, 'sweep-out');
    expect(offersim(['sweep', sweep, '--workers', '1', '--out', out], temp).code).toBe(0);
    const points = join(out, 'points');
    const [hash] = readdirSync(points);
    mkdirSync(join(points, `${hash!}.partial-${dead}`));
    mkdirSync(join(points, `${hash!}.partial-${live}`));
    expect(offersim(['sweep', sweep, '--workers', '1', '--out', out], temp).code).toBe(0);
    expect(readdirSync(points).sort()).toEqual([hash!, `${hash!}.partial-${live}`].sort());
  });

  test("report: a dead process's charts and page leftovers go, a live one's stay", () => {
    const temp = fresh('tmp-report');
    const run = join(tmp, 'report-run');
    expect(offersim(['run', SMALL, '--out', run], temp).code).toBe(0);
    for (const f of [`charts.partial-${dead}`, `charts.old-${dead}`, `charts.partial-${live}`]) mkdirSync(join(run, f));
    writeFileSync(join(run, `report.html.partial-${dead}`), '<html>');
    expect(offersim(['report', run, '--no-png'], temp).code).toBe(0);
    expect(readdirSync(run).filter((f) => f.startsWith('charts') || f.startsWith('report'))).toEqual(['charts', `charts.partial-${live}`, 'report.html']);
  }, 120_000);

  test("at start: the temp folder's private directories of dead offersim processes, with the partials they list, go", () => {
    const temp = fresh('tmp-start');
    const outs = fresh('outs');
    const deadDir = join(temp, `offersim-${dead}-AbC123`);
    const liveDir = join(temp, `offersim-${live}-AbC123`);
    mkdirSync(join(deadDir, 'traces-x1Y2z3'), { recursive: true });
    mkdirSync(liveDir);
    mkdirSync(join(outs, `z.partial-${dead}`));
    writeFileSync(join(outs, 'keep.txt'), 'mine\n');
    // The registry lists the dead process's partial, and a path that is none of its temporary names.
    writeFileSync(join(deadDir, 'partials'), [join(outs, `z.partial-${dead}`), join(outs, 'keep.txt')].join('\0'));
    expect(offersim(['list', 'formats'], temp).code).toBe(0);
    expect(readdirSync(temp)).toEqual([`offersim-${live}-AbC123`]);
    expect(readdirSync(outs)).toEqual(['keep.txt']);
  });
});
