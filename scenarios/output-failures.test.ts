/**
 * File-system failures on outputs, injected: node:fs is replaced by a copy whose mkdir, open or
 * write fails with a chosen code on a chosen path, so that the errors no test machine can make
 * at will (a full disk, a quota, a read-only file system, and permissions, which do not bind
 * root) reach run, sweep, report, merge and check exactly as the system would raise them. Each
 * is exit 2 with one line naming the output and the OS reason, never an internal error, and
 * leaves no temporary file. Real failures (a path through a file, /proc, /dev/full, the file
 * size limit) are in output-files.test.ts.
 */
import { jest } from '@jest/globals';
import type { PathLike } from 'node:fs';

const fs = await import('node:fs');

/** The failure to inject: calls of `syscall` on a path matching `match` fail with `code`. */
interface Fault {
  readonly syscall: 'mkdir' | 'open' | 'write';
  readonly match: RegExp;
  readonly code: 'EACCES' | 'ENOSPC' | 'EROFS' | 'EDQUOT';
}
let fault: Fault | undefined;
/** How many calls failed. */
let failures = 0;

/** libuv's texts for the codes injected. */
const TEXT = { EACCES: 'permission denied', ENOSPC: 'no space left on device', EROFS: 'read-only file system', EDQUOT: 'disk quota exceeded' };

/** Throws the injected error, as Node.js raises a failed system call, when `fault` applies. */
function check(syscall: Fault['syscall'], path: PathLike | undefined): void {
  if (fault === undefined || fault.syscall !== syscall || path === undefined || !fault.match.test(String(path))) return;
  failures++;
  const err = new Error(`${fault.code}: ${TEXT[fault.code]}, ${syscall} '${String(path)}'`) as NodeJS.ErrnoException;
  Object.assign(err, { code: fault.code, syscall, path: String(path), errno: -1 });
  throw err;
}

/** The path each open file descriptor was opened with (writeSync gets only the descriptor). */
const opened = new Map<number, string>();

jest.unstable_mockModule('node:fs', () => ({
  ...fs,
  default: fs,
  mkdirSync: (...a: Parameters<typeof fs.mkdirSync>) => {
    check('mkdir', a[0]);
    return fs.mkdirSync(...a);
  },
  openSync: (...a: Parameters<typeof fs.openSync>) => {
    check('open', a[0]);
    const fd = fs.openSync(...a);
    opened.set(fd, String(a[0]));
    return fd;
  },
  writeFileSync: (...a: Parameters<typeof fs.writeFileSync>) => {
    if (typeof a[0] !== 'number') check('open', a[0]);
    return fs.writeFileSync(...a);
  },
  writeSync: (...a: Parameters<typeof fs.writeSync>) => {
    check('write', opened.get(a[0]));
    return (fs.writeSync as (...b: unknown[]) => number)(...a);
  },
}));

const { join } = await import('node:path');
const { tmpdir } = await import('node:os');
const { cli } = await import('./test-support/cli.js');
const { ROOT } = await import('./test-support/child.js');
const { quietScenario } = await import('./test-support/quiet.js');

const SMALL = join(ROOT, 'scenarios', 'golden', 'small.yaml');
const QUICKSTART = join(ROOT, 'scenarios', 'examples', 'quickstart.yaml');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(join(tmpdir(), 'offersim-outfail-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  fault = undefined;
});

/** Runs the CLI with `f` injected; expects the fault to have struck. */
async function withFault(f: Fault, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  fault = f;
  failures = 0;
  const r = await cli(...argv);
  fault = undefined;
  expect(failures).toBeGreaterThan(0);
  return r;
}

/** Exit 2 with exactly one line on stderr: `path: cannot ...: reason (CODE)`. */
function expectOneLine(r: { code: number; err: string }, line: string): void {
  expect(r.code).toBe(2);
  expect(r.err).toBe(`${line}\n`);
}

/** Names in `dir` that are offersim's temporary names. */
function partials(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.(partial|old)-\d+$/.test(f));
}

describe('offersim run', () => {
  test('permission denied creating the run directory (EACCES): exit 2 naming --out; nothing left', async () => {
    const out = join(tmp, 'denied');
    const r = await withFault({ syscall: 'mkdir', match: /denied\.partial-\d+$/, code: 'EACCES' }, 'run', SMALL, '--out', out);
    expectOneLine(r, `${out}: cannot create the run directory: permission denied (EACCES)`);
    expect(fs.existsSync(out)).toBe(false);
    expect(partials(tmp)).toEqual([]);
  });

  test('a read-only file system refusing summary.json (EROFS): exit 2 naming the file as the run directory holds it', async () => {
    const out = join(tmp, 'readonly');
    const r = await withFault({ syscall: 'open', match: /summary\.json$/, code: 'EROFS' }, 'run', SMALL, '--out', out);
    expectOneLine(r, `${join(out, 'summary.json')}: cannot write the file: read-only file system (EROFS)`);
    expect(fs.existsSync(out)).toBe(false);
    expect(partials(tmp)).toEqual([]);
  });

  test('no space left for events.jsonl while the simulation runs (inside an event): exit 2, not an invariant break', async () => {
    // quickstart logs about 660,000 records; the first megabyte of them is written while the
    // run is at its start, from inside the event that logged them.
    const out = join(tmp, 'full');
    const r = await withFault({ syscall: 'write', match: /events\.jsonl$/, code: 'ENOSPC' }, 'run', QUICKSTART, '--events', '--out', out);
    expectOneLine(r, `${join(out, 'events.jsonl')}: cannot write the file: no space left on the device (ENOSPC)`);
    expect(fs.existsSync(out)).toBe(false);
    expect(partials(tmp)).toEqual([]);
  }, 60_000);

  test('a quota reached by the time series while the simulation runs: exit 2 naming timeseries.csv', async () => {
    // 200,000 s sampled every second (test-support/quiet.ts): the rows are written while the
    // run goes (a megabyte is about 14,000 rows, reached inside the first allocation tick at
    // 100,000 s), not at its end.
    const scenario = join(tmp, 'long.yaml');
    fs.writeFileSync(scenario, quietScenario('long', 200_000));
    const out = join(tmp, 'quota');
    const r = await withFault({ syscall: 'write', match: /timeseries\.[a-z]+$/, code: 'EDQUOT' }, 'run', scenario, '--out', out);
    expectOneLine(r, `${join(out, 'timeseries.csv')}: cannot write the file: disk quota exceeded (EDQUOT)`);
    expect(fs.existsSync(out)).toBe(false);
    expect(partials(tmp)).toEqual([]);
  }, 60_000);
});

describe('offersim sweep, merge, report, check', () => {
  let sweepFile: string;
  beforeAll(() => {
    sweepFile = join(tmp, 'sweep.yaml');
    fs.writeFileSync(sweepFile, `${fs.readFileSync(SMALL, 'utf8')}\nsweep: { seeds: [1, 2] }\n`);
  });

  test("sweep: no space for a point's summary.json stops the sweep with exit 2 and one line (not a failed point, exit 3)", async () => {
    const out = join(tmp, 'sweep-full');
    const r = await withFault(
      { syscall: 'open', match: /points\/[0-9a-f]{16}\.partial-\d+\/summary\.json$/, code: 'ENOSPC' },
      'sweep',
      sweepFile,
      '--workers',
      '1',
      '--out',
      out,
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(`^${join(out, 'points')}/[0-9a-f]{16}/summary\\.json: cannot write the file: no space left on the device \\(ENOSPC\\)\\n$`),
    );
    expect(partials(join(out, 'points'))).toEqual([]);
    expect(fs.readdirSync(join(out, 'points')).filter((f) => f.endsWith('.failed.txt'))).toEqual([]);
  }, 60_000);

  test('merge: permission denied creating --out: exit 2 naming it', async () => {
    const shard = join(tmp, 'sweep-ok');
    expect((await cli('sweep', sweepFile, '--workers', '1', '--out', shard)).code).toBe(0);
    const out = join(tmp, 'merged');
    const r = await withFault({ syscall: 'mkdir', match: /merged$/, code: 'EACCES' }, 'merge', shard, '--out', out);
    expectOneLine(r, `${out}: cannot create the sweep directory: permission denied (EACCES)`);
  }, 60_000);

  test('report: no space for a chart: exit 2 naming it as charts/ holds it; the run directory as it was', async () => {
    const run = join(tmp, 'for-report');
    expect((await cli('run', SMALL, '--out', run)).code).toBe(0);
    const before = fs.readdirSync(run).sort();
    const r = await withFault({ syscall: 'open', match: /charts\.partial-\d+\/shares\.svg$/, code: 'ENOSPC' }, 'report', run, '--no-png');
    expectOneLine(r, `${join(run, 'charts', 'shares.svg')}: cannot write the file: no space left on the device (ENOSPC)`);
    expect(fs.readdirSync(run).sort()).toEqual(before);
  }, 120_000);

  test('check --update-baseline: a read-only file system: exit 2 naming the baseline', async () => {
    const run = join(tmp, 'for-check');
    expect((await cli('run', SMALL, '--out', run)).code).toBe(0);
    const baseline = join(tmp, 'baseline.json');
    const r = await withFault(
      { syscall: 'open', match: /baseline\.json\.partial-\d+$/, code: 'EROFS' },
      'check',
      run,
      '--baseline',
      baseline,
      '--update-baseline',
    );
    expectOneLine(r, `${baseline}: cannot write the file: read-only file system (EROFS)`);
    expect(partials(tmp)).toEqual([]);
  }, 60_000);
});
