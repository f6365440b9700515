/**
 * Outputs the file system refuses, for real: a path through a regular file, /proc and /sys
 * (special file systems: Node's recursive mkdir never returns under /proc), /dev/full (a device
 * whose every write fails with ENOSPC), the file size limit (ulimit -f) reached while the
 * simulation runs, and a directory without write permission (where permissions bind: not for
 * root; output-failures.test.ts injects EACCES for every user). Each is exit 2 with one line
 * naming the output and the OS reason. Commands run in child processes of the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputError } from './errors.js';
import { fileLines, makeDirs, OutputStream, systemReason, writeAtomic } from './output-files.js';
import { CLI, ENV, ROOT } from './test-support/child.js';

const SMALL = join(ROOT, 'scenarios', 'golden', 'small.yaml');
const QUICKSTART = join(ROOT, 'scenarios', 'examples', 'quickstart.yaml');

let tmp: string;
let file: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-outfiles-'));
  file = join(tmp, 'a-file');
  writeFileSync(file, 'not a directory\n');
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The built CLI in a child process, given up after `timeout` ms (a command that never returns fails). */
function offersim(args: readonly string[], timeout = 60_000): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: ENV, timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same under a file size limit of `blocks` 512-byte blocks (sh's ulimit -f). */
function offersimLimited(blocks: number, args: readonly string[]): { code: number | null; err: string } {
  const r = spawnSync('/bin/sh', ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, CLI, ...args], {
    encoding: 'utf8',
    env: ENV,
    timeout: 120_000,
  });
  return { code: r.status, err: r.stderr };
}

/** Exit 2 with exactly `line` on stderr. */
function expectRefused(r: { code: number | null; err: string }, line: string | RegExp): void {
  expect(r.code).toBe(2);
  if (typeof line === 'string') expect(r.err).toBe(`${line}\n`);
  else {
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(line);
  }
}

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('nothing thrown');
}

describe('the output layer', () => {
  test('a directory under a regular file: OutputError ENOTDIR naming the path shown', () => {
    const err = thrown(() => makeDirs(join(file, 'x', 'y'), '/shown'));
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).code).toBe('ENOTDIR');
    // The first level missing is x, under the file: its parent level fails.
    expect((err as OutputError).message).toBe(
      `/shown: cannot create its parent directory ${join(file, 'x')}: a part of the path is a file, not a directory (ENOTDIR)`,
    );
  });

  test("a directory under /proc: an OutputError at once (Node's recursive mkdir spins there forever)", () => {
    const err = thrown(() => makeDirs('/proc/offersim-test/x'));
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).message).toBe(
      '/proc/offersim-test/x: cannot create its parent directory /proc/offersim-test: the file system of /proc does not allow a new directory there (ENOENT)',
    );
  });

  test('/dev/full: the first chunk written fails with ENOSPC; every later write throws the same error', () => {
    const out = new OutputStream('/dev/full', 'full.csv');
    out.write('x'.repeat(100)); // buffered: nothing written yet
    const err = thrown(() => out.write('y'.repeat(1 << 20)));
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).message).toBe('full.csv: cannot write the file: no space left on the device (ENOSPC)');
    expect(thrown(() => out.write('z'))).toBe(err);
    expect(thrown(() => out.close())).toBe(err);
    out.abandon();
  });

  test('writeAtomic through a file: ENOTDIR, and no temporary name left', () => {
    const err = thrown(() => writeAtomic(join(file, 'b.json'), '{}\n'));
    expect((err as OutputError).message).toBe(`${join(file, 'b.json')}: cannot write the file: a part of the path is a file, not a directory (ENOTDIR)`);
    expect(readdirSync(tmp).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  test("a code without words of its own: libuv's text", () => {
    const e = Object.assign(new Error("ENOLINK: link has been severed, open '/x'"), { code: 'ENOLINK', syscall: 'open' });
    expect(systemReason(e)).toBe('link has been severed (ENOLINK)');
  });

  test('fileLines: CRLF and LF ends, a two-byte character across the 1 MiB chunk boundary kept whole', () => {
    const f = join(tmp, 'lines.txt');
    // 'é' is two bytes in UTF-8, at offsets 2^20 - 1 and 2^20: the first chunk ends inside it.
    const first = `${'a'.repeat((1 << 20) - 1)}é`;
    writeFileSync(f, `${first}\r\nsecond\nthird`);
    expect([...fileLines(f)]).toEqual([first, 'second', 'third']);
  });
});

describe('offersim run, check, sweep: outputs refused by the system', () => {
  test('run --out under a regular file: exit 2 naming it (ENOTDIR)', () => {
    const out = join(file, 'run');
    expectRefused(offersim(['run', SMALL, '--out', out]), `${out}: cannot create the run directory: a part of the path is a file, not a directory (ENOTDIR)`);
  });

  test('run --out in /proc: exit 2 at once, not a process that never ends', () => {
    expectRefused(
      offersim(['run', SMALL, '--out', '/proc/offersim-run']),
      '/proc/offersim-run: cannot create the run directory: the file system of /proc does not allow a new directory there (ENOENT)',
    );
  });

  test('run --out in /sys: exit 2 naming it', () => {
    // root: "operation not permitted" (EPERM); another user: "permission denied" (EACCES)
    expectRefused(
      offersim(['run', SMALL, '--out', '/sys/offersim-run']),
      /^\/sys\/offersim-run: cannot create the run directory: (operation not permitted \(EPERM\)|permission denied \(EACCES\))\n$/,
    );
  });

  const root = process.getuid?.() === 0;
  (root ? test.skip : test)('run --out in a directory without write permission (chmod 0500): exit 2, EACCES', () => {
    const locked = join(tmp, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const out = join(locked, 'run');
      expectRefused(offersim(['run', SMALL, '--out', out]), `${out}: cannot create the run directory: permission denied (EACCES)`);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  test('the file size limit reached by events.jsonl while the simulation runs: exit 2 naming it, not an invariant break', () => {
    // 2048 blocks of 512 bytes = 1 MiB; quickstart's events.jsonl is about 100 MB, and its
    // first megabyte is written from inside an event early in the run.
    const out = join(tmp, 'limited');
    const r = offersimLimited(2048, ['run', QUICKSTART, '--events', '--out', out]);
    expectRefused(r, `${join(out, 'events.jsonl')}: cannot write the file: file too large for the file size limit (ulimit -f) (EFBIG)`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('limited.partial-'))).toEqual([]);
  });

  test('check --markdown /dev/full: exit 2, no space left (ENOSPC)', () => {
    const run = join(tmp, 'run');
    expect(offersim(['run', SMALL, '--out', run]).code).toBe(0);
    const baseline = join(tmp, 'baseline.json');
    expect(offersim(['check', run, '--baseline', baseline, '--update-baseline']).code).toBe(0);
    expect(readFileSync(baseline, 'utf8')).toContain('"metrics"');
    expectRefused(
      offersim(['check', run, '--baseline', baseline, '--markdown', '/dev/full']),
      '/dev/full: cannot write the file: no space left on the device (ENOSPC)',
    );
  });

  test('sweep --out under a regular file: exit 2 naming it', () => {
    const sweep = join(tmp, 'sweep.yaml');
    writeFileSync(sweep, `${readFileSync(SMALL, 'utf8')}\nsweep: { seeds: [1, 2] }\n`);
    const out = join(file, 'sweep');
    expectRefused(
      offersim(['sweep', sweep, '--workers', '1', '--out', out]),
      `${out}: cannot create the sweep directory: a part of the path is a file, not a directory (ENOTDIR)`,
    );
  });
});

describe("the executable: an error that escapes main (thrown from a callback, as a stream's)", () => {
  /**
   * `offersim list allocators` with a preloaded module that makes the first write to stdout
   * schedule `throw <error>` for after main has run: an uncaught exception in the executable.
   */
  function escaping(error: string): { code: number | null; err: string } {
    const preload =
      'data:text/javascript,const w = process.stdout.write.bind(process.stdout); ' +
      `process.stdout.write = (...a) => { setImmediate(() => { throw ${error}; }); return w(...a); };`;
    const r = spawnSync(process.execPath, ['--import', preload, CLI, 'list', 'allocators'], { encoding: 'utf8', env: ENV, timeout: 60_000 });
    return { code: r.status, err: r.stderr };
  }

  test("text longer than a string holds: exit 2 and one line, not Node's exit 1 (the regression code)", () => {
    expectRefused(
      escaping('new RangeError("Invalid string length")'),
      'offersim: a line or a file too large to hold as one string (at most 512 MiB): Invalid string length',
    );
  });

  test('a failed system call: exit 2 naming the path and the reason', () => {
    expectRefused(
      escaping('Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write", path: "/x/y" })'),
      'offersim: /x/y: no space left on the device (ENOSPC)',
    );
  });

  test('a reader that closes the pipe early (`| true`): the run still completes, writes its outputs and exits 0', () => {
    // Before, the write of the run's summary line to a closed stdout (EPIPE) escaped as a failed
    // system call: exit 2 after a complete run, and a message about a pipe nobody reads.
    const out = join(tmp, 'closed-pipe');
    const r = spawnSync(
      '/bin/bash',
      [
        '-c',
        '"$0" "$@" | true; echo "status ${PIPESTATUS[0]}"',
        process.execPath,
        CLI,
        'run',
        join(ROOT, 'scenarios', 'examples', 'quickstart.yaml'),
        '--out',
        out,
      ],
      { encoding: 'utf8', env: ENV, timeout: 120_000 },
    );
    expect(r.stdout).toBe('status 0\n');
    expect(r.stderr).toBe('');
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  }, 120_000);

  test('anything else: exit 3, an internal error', () => {
    const r = escaping('new Error("boom")');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^offersim: internal error \(a bug\): Error: boom\n/);
  });
});
