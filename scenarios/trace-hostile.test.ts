/**
 * Hostile trace input, through the command line: every bad trace file or row is exit 2 with one
 * line naming the file (and line), whether `offersim import` reads it or a scenario does, before
 * or while the run goes; an import's memory stays bounded whatever the number of bad rows or the
 * length of a line; a trace that gives nothing is refused with its likely cause (extra fields, Unix
 * times); temporary plain copies of gzip traces never outlive their process. Memory and signals
 * are tested on the built CLI in child processes; the rest in-process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLI, ENV, ROOT } from './test-support/child.js';
import { cli } from './test-support/cli.js';

const FIXTURES = join(ROOT, 'workloads', 'trace', 'fixtures');
const SWF = join(FIXTURES, 'small.swf');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-hostile-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A file in the test's folder with `content`. */
function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

/** A good SWF row: job `id` submitted at `submit` s, 2 processors, 100 s. */
function swfRow(id: number, submit: number | string, extra = ''): string {
  return `${id} ${submit} 0 100 2 -1 -1 2 200 1024 1 7 2 -1 1 1 -1 -1${extra}`;
}

/** A scenario of 4 agents of 8 cores and framework `f`, replaying `trace` (a YAML flow mapping's fields). */
function scenario(name: string, trace: string, cluster = '- { count: 4, prefix: a-, cpus: 8, mem: 65536 }'): string {
  return file(
    `${name}.yaml`,
    `
name: ${name}
seed: 1
cluster:
  agents:
    ${cluster}
frameworks:
  - { name: f }
traces:
  - { ${trace} }
`,
  );
}

/** The one line of stderr of a failed command (and that it is one line, with no stack). */
function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('trace files that cannot be read: exit 2, one line naming the file', () => {
  test('a truncated gzip trace, imported or in a scenario (before: exit 3 and a zlib stack naming no file)', async () => {
    const whole = gzipSync(readFileSync(SWF));
    const gz = file('cut.swf.gz', whole.subarray(0, whole.length - 20));
    const imp = await cli('import', 'swf', gz, '--out', join(tmp, 'cut.jsonl'));
    expect(imp.code).toBe(2);
    expect(oneLine(imp.err)).toMatch(/cut\.swf\.gz: is not a whole gzip file \(unexpected end of file\): truncated or corrupt/);
    expect(existsSync(join(tmp, 'cut.jsonl'))).toBe(false);
    const run = await cli('validate', scenario('cut-gz', `file: ${gz}, format: swf, framework: f`));
    expect(run.code).toBe(2);
    expect(oneLine(run.err)).toMatch(/cut\.swf\.gz: traces\[0\]\.file: is not a whole gzip file/);
  });

  test('corrupt gzip data (the magic bytes, then garbage)', async () => {
    const gz = file('garbage.swf.gz', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not deflate data at all')]));
    const imp = await cli('import', 'swf', gz, '--out', join(tmp, 'garbage.jsonl'));
    expect(imp.code).toBe(2);
    expect(oneLine(imp.err)).toMatch(/garbage\.swf\.gz: is not a whole gzip file \(.+\): truncated or corrupt/);
  });

  test('a directory named as a job trace or a cluster trace (before: exit 3, EISDIR)', async () => {
    const dir = join(tmp, 'a-dir.swf');
    mkdirSync(dir);
    const jobs = await cli('validate', scenario('dir-trace', `file: ${dir}, format: swf, framework: f`));
    expect(jobs.code).toBe(2);
    expect(oneLine(jobs.err)).toMatch(/dir-trace\.yaml: traces\[0\]\.file: is a directory, not a trace file: .*a-dir\.swf/);
    const cluster = await cli(
      'validate',
      file(
        'dir-cluster.yaml',
        `
seed: 1
cluster:
  traces:
    - { file: ${dir}, format: canonical }
frameworks:
  - { name: f }
`,
      ),
    );
    expect(cluster.code).toBe(2);
    expect(cluster.err).toMatch(/a-dir\.swf: cluster\.traces\[0\]\.file: is a directory, not a trace file/);
    expect(cluster.err).not.toMatch(/\n\s+at /);
  });
});

test('an import output that cannot be written (a missing folder, /proc): exit 2 naming it (before: exit 3, ENOENT with a stack)', async () => {
  for (const out of [join(tmp, 'no-such-folder', 'x.jsonl'), '/proc/offersim-x.jsonl']) {
    const r = await cli('import', 'swf', SWF, '--out', out);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(new RegExp(`^${out.replace(/[.]/g, '\\.')}: cannot be written \\(ENOENT: no such file or directory`));
  }
});

test("the import manifest's sha256 is of the file's bytes, also with CRLF endings and no final line ending (before: of its lines joined by \\n)", async () => {
  const bytes = `${swfRow(1, 0)}\r\n${swfRow(2, 10)}`;
  const f = file('crlf.swf', bytes);
  const r = await cli('import', 'swf', f, '--out', join(tmp, 'crlf.jsonl'));
  expect(r.code).toBe(0);
  const m = JSON.parse(readFileSync(join(tmp, 'crlf.jsonl.manifest.json'), 'utf8')) as { source: { sha256: string } };
  expect(m.source.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
});

describe('a trace that gives nothing is refused with its likely cause', () => {
  test('a non-standard SWF of 21 fields in Unix time: import exit 2 naming the extra fields (before: exit 0, 0 jobs)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => swfRow(i + 1, 1_200_000_000 + 60 * i, ' 0 0 0'));
    const f = file('wide.swf', `; UnixStartTime: 1200000000\n${rows.join('\n')}\n`);
    const r = await cli('import', 'swf', f, '--out', join(tmp, 'wide.jsonl'));
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(
      /wide\.swf: has no row swf could use \(30 data rows skipped: fields 30\); the first, line 2: expected 18 fields, found 21 \(more than the standard's 18: a non-standard SWF with extra fields\?\)/,
    );
    expect(existsSync(join(tmp, 'wide.jsonl'))).toBe(false);
  });

  test('an SWF in Unix time: refused naming the option; with timeOrigin=first it starts at 0, with a warning', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => swfRow(i + 1, 1_200_000_000 + 60 * i));
    const f = file('epoch.swf', `${rows.join('\n')}\n`);
    const refused = await cli('import', 'swf', f, '--out', join(tmp, 'epoch.jsonl'));
    expect(refused.code).toBe(2);
    expect(oneLine(refused.err)).toMatch(
      /has no row swf could use \(30 data rows skipped: range 30\); the first, line 1: field 2 \(submit time\) 1200000000 is beyond 1000000000 s: it looks like a Unix time .*set the option timeOrigin to "first"/,
    );
    const ok = await cli('import', 'swf', f, '--out', join(tmp, 'epoch.jsonl'), '--option', 'timeOrigin=first');
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/^offersim: warning: .*epoch\.swf: submit times are relative to the time origin 1200000000 s/);
    // row i at 1.2e9 + 60 i: 0, 60, 120, ... from the origin
    const submits = readFileSync(join(tmp, 'epoch.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { submit: number }).submit);
    expect(submits.slice(0, 3)).toEqual([0, 60, 120]);
    expect(submits).toHaveLength(30);
    // the same file in a scenario: refused as a trace that gives the run no job, or run with the option
    const bad = await cli('run', scenario('epoch', `file: ${f}, format: swf, framework: f`), '--out', join(tmp, 'epoch-run'));
    expect(bad.code).toBe(2);
    expect(oneLine(bad.err)).toMatch(/epoch\.swf: traces\[0\]\.file: gives the run no job: has no row swf could use .*Unix time/);
    expect(existsSync(join(tmp, 'epoch-run'))).toBe(false);
    const good = await cli(
      'run',
      scenario('epoch-first', `file: ${f}, format: swf, framework: f, options: { timeOrigin: first }`),
      '--out',
      join(tmp, 'epoch-first-run'),
    );
    expect(good.code).toBe(0);
    const m = JSON.parse(readFileSync(join(tmp, 'epoch-first-run', 'manifest.json'), 'utf8')) as {
      traces: { submitted: number; read: { notes: Record<string, number> } }[];
    };
    expect([m.traces[0]!.submitted, m.traces[0]!.read.notes['time-origin-s']]).toEqual([30, 1_200_000_000]);
  });

  test('SWF memory that looks like bytes: a warning, and memoryUnit=B reads it so', async () => {
    // 2 GiB per processor written in bytes (2147483648) reads, as KB, 2 TiB per processor
    const f = file('bytes.swf', `${swfRow(1, 0).replace(' 1024 ', ' 2147483648 ')}\n`);
    const kb = await cli('import', 'swf', f, '--out', join(tmp, 'bytes-kb.jsonl'));
    expect(kb.code).toBe(0);
    expect(kb.err).toMatch(
      /warning: .*bytes\.swf: 1 jobs ask for more than 1 TiB of memory per processor: SWF gives KB per processor; if this log gives bytes, use the option memoryUnit=B/,
    );
    const b = await cli('import', 'swf', f, '--out', join(tmp, 'bytes-b.jsonl'), '--option', 'memoryUnit=B');
    expect(b.code).toBe(0);
    expect(b.err).toBe('');
    // 2147483648 B = 2048 MB per task
    expect((JSON.parse(readFileSync(join(tmp, 'bytes-b.jsonl'), 'utf8')) as { tasks: { mem: number }[] }).tasks[0]!.mem).toBe(2048);
  });

  test('a scenario trace that gives no job: exit 2 naming the file, not an empty run (before: exit 0, 0 jobs at t=0)', async () => {
    const f = file('all-bad.swf', `${'1 '.repeat(17)}\n${'2 '.repeat(17)}\n`);
    const r = await cli('run', scenario('no-job', `file: ${f}, format: swf, framework: f`), '--out', join(tmp, 'no-job-run'));
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(
      /all-bad\.swf: traces\[0\]\.file: gives the run no job: has no row swf could use \(2 data rows skipped: fields 2\); the first, line 1: expected 18 fields, found 17/,
    );
    expect(existsSync(join(tmp, 'no-job-run'))).toBe(false);
    // jobs read but none submitted: the window is after them all
    const late = await cli('run', scenario('late', `file: ${SWF}, format: swf, framework: f, window: { from: 1000 }`), '--out', join(tmp, 'late-run'));
    expect(late.code).toBe(2);
    expect(oneLine(late.err)).toMatch(/small\.swf: traces\[0\]\.file: gives the run no job: none of its 4 jobs was submitted \(before-window 4\)/);
  });

  test('bad importer options of a trace entry: validate exits 2 as run does (before: validate ok)', async () => {
    const r = await cli('validate', scenario('bad-option', `file: ${SWF}, format: swf, framework: f, options: { tasks: pairs }`));
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/bad-option\.yaml: traces\[0\]\.options: swf tasks must be one of gang, single$/);
  });

  test('a trace of another format than its entry says: validate exits 2 naming it (before: validate ok, the run empty)', async () => {
    const r = await cli('validate', scenario('swim-as-swf', `file: ${join(FIXTURES, 'swim-fb2009.tsv')}, format: swf, framework: f`));
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(
      /swim-fb2009\.tsv: traces\[0\]\.format: is not swf: it looks like SWIM MapReduce workload .*: its trace entry needs format swim/,
    );
    // a cluster file as a job trace, both canonical
    const c = await cli('validate', scenario('cluster-as-jobs', `file: ${join(FIXTURES, 'cluster.jsonl')}, format: canonical, framework: f`));
    expect(c.code).toBe(2);
    expect(oneLine(c.err)).toMatch(
      /cluster\.jsonl: traces\[0\]\.format: holds agents, not jobs: it looks like offersim canonical cluster .*; name it in cluster\.traces with format canonical$/,
    );
  });
});

describe('bad trace rows in a scenario', () => {
  test('a strict trace whose bad row is read while the run goes: exit 2 naming file and line (before: exit 3, an invariant break)', async () => {
    // small.jsonl: a at 0 s, b at 5 s, then c (line 3) fits on no agent of 4 cores. c is read
    // when b arrives, inside the simulation.
    const s = scenario('strict', `file: ${join(FIXTURES, 'small.jsonl')}, framework: f, strict: true`, '- { count: 2, prefix: a-, cpus: 4, mem: 4096 }');
    const r = await cli('run', s, '--out', join(tmp, 'strict-run'));
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/small\.jsonl:3:1: job c has a task that fits on no agent of the cluster \(fits-nowhere\)$/);
    expect(existsSync(join(tmp, 'strict-run'))).toBe(false);
  });

  test('a canonical line submitted at 1e29 s is a bad line of its own (before: exit 3, an event time beyond the event list)', async () => {
    const job = (id: string, submit: number | string) => `{"id":"${id}","submit":${submit},"tasks":[{"cpus":1,"duration":10}]}`;
    const f = file('absurd.jsonl', [job('a', 0), job('b', 5), job('c', '1e29'), job('d', 9)].join('\n'));
    const r = await cli('run', scenario('absurd-canonical', `file: ${f}, framework: f`), '--out', join(tmp, 'absurd-run'));
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(tmp, 'absurd-run', 'manifest.json'), 'utf8')) as {
      traces: { submitted: number; read: { skipped: Record<string, number> } }[];
    };
    expect([m.traces[0]!.submitted, m.traces[0]!.read.skipped]).toEqual([3, { 'bad-line': 1 }]);
  });

  // The latest instant a run may reach is 17,500,000 s and the longest a task may run is
  // 17,500,000 s (scenarios/limits.ts: together below the event list's 2^45 us = 35,184,372 s).
  // Job b's 10,000,000 s task in a framework with remoteSlowdown 2 may run 20,000,000 s: a range
  // problem of its own. Job d arrives at 17,500,001 s, after the latest instant: it and anything
  // after it are not read (after-end). a and c run: the run ends at c's end, 20 + 100 s.
  test('a trace task that could run longer than a span, or a job after the latest instant, is skipped', async () => {
    const job = (id: string, submit: number, duration: number) => `{"id":"${id}","submit":${submit},"tasks":[{"cpus":1,"duration":${duration}}]}`;
    const f = file('spans.jsonl', [job('a', 0, 10), job('b', 5, 10_000_000), job('c', 20, 100), job('d', 17_500_001, 10)].join('\n'));
    const yaml = file(
      'spans.yaml',
      `
name: spans
seed: 1
cluster:
  agents:
    - { count: 2, prefix: a-, cpus: 8, mem: 65536 }
frameworks:
  - { name: f, behaviour: { kind: batch, remoteSlowdown: 2 } }
traces:
  - { file: ${f}, framework: f }
`,
    );
    const r = await cli('run', yaml, '--out', join(tmp, 'spans-run'));
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(tmp, 'spans-run', 'manifest.json'), 'utf8')) as {
      endTime: number;
      traces: { submitted: number; skipped: Record<string, number> }[];
    };
    expect([m.traces[0]!.submitted, m.traces[0]!.skipped]).toEqual([2, { 'after-end': 1, range: 1 }]);
    expect(m.endTime).toBe(120);
  });

  test('a SWIM row with a 400-digit byte count is skipped; the run completes (before: exit 3, "time must be a finite number ... got Infinity")', async () => {
    const rows = readFileSync(join(FIXTURES, 'swim-fb2009.tsv'), 'utf8');
    const f = file('huge.tsv', `${rows}job9\t80\t1\t${'9'.repeat(400)}\t0\t0\n`);
    const r = await cli('run', scenario('huge-swim', `file: ${f}, format: swim, framework: f`), '--out', join(tmp, 'huge-run'));
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(tmp, 'huge-run', 'manifest.json'), 'utf8')) as { traces: { read: { skipped: Record<string, number> } }[] };
    expect(m.traces[0]!.read.skipped['range']).toBe(1);
  });
});

/** `offersim ...args` in a child with at most `heapMB` of heap; stderr's last line is the child's peak resident memory in KB. */
function boundedCli(heapMB: number, args: readonly string[]): { code: number | null; err: string; maxRssKB: number } {
  // VmHWM, the child's own peak: resourceUsage().maxRSS would include jest's resident set at the fork (scenarios/peak-rss.ts).
  const report =
    'data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("maxRSS "+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))';
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMB}`, '--import', report, CLI, ...args], { encoding: 'utf8', env: ENV });
  const m = /maxRSS (\d+)\n$/.exec(r.stderr);
  return { code: r.status, err: r.stderr, maxRssKB: m === null ? NaN : Number(m[1]) };
}

describe('import memory is bounded by neither bad rows nor line length (child processes, 64 MB of heap)', () => {
  test('200,000 bad rows: every one in the problems file, none kept (before: heap exhausted, exit 134)', () => {
    // ~600 bytes a kept problem (1.1 GB was measured for 1.88 M before) would need ~120 MB of heap.
    const n = 200_000;
    const f = file('many-bad.swf', `${swfRow(1, 0)}\n${`${'x '.repeat(17)}\n`.repeat(n)}`);
    const out = join(tmp, 'many-bad.jsonl');
    const r = boundedCli(64, ['import', 'swf', f, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`\\.\\.\\. and ${n - 10} more: every one is in .*many-bad\\.jsonl\\.problems\\.csv`));
    // measured about 110 MB resident (Node itself about 45 MB)
    expect(r.maxRssKB).toBeLessThan(200 * 1024);
    const problems = readFileSync(`${out}.problems.csv`, 'utf8').trimEnd().split('\n');
    expect(problems).toHaveLength(n + 1);
    expect(problems[n]).toBe(`main,${n + 1},fields,"expected 18 fields, found 17"`);
  }, 60_000);

  test('a 50 MB line is one problem, never held; the rows around it import (before: heap exhausted, exit 134)', () => {
    const f = file('long-line.swf', Buffer.concat([Buffer.from(`${swfRow(1, 0)}\n`), Buffer.alloc(50 << 20, 0x61), Buffer.from(`\n${swfRow(2, 10)}\n`)]));
    const out = join(tmp, 'long-line.jsonl');
    const r = boundedCli(64, ['import', 'swf', f, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/long-line\.swf:2: the line is 52428800 bytes long, more than the 1 MiB a line may have: skipped unread \(line-too-long\)/);
    // measured about 82 MB resident, busy machine or not (one reused read buffer)
    expect(r.maxRssKB).toBeLessThan(200 * 1024);
    expect(
      readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(['1', '2']);
  }, 60_000);
});

describe('temporary plain copies of gzip traces', () => {
  /** A scenario replaying small.swf gzipped. */
  const gzScenario = (): string => scenario('gz', `file: ${file('small.swf.gz', gzipSync(readFileSync(SWF)))}, format: swf, framework: f`);
  /** The copies' folders in `dir`. */
  const copies = (dir: string): string[] =>
    readdirSync(dir)
      .filter((n) => n.startsWith('offersim-traces-'))
      .sort();
  /** A child that opens `scenario` (decompressing its gzip trace), says "ready", and waits on stdin. */
  const opener = (scenarioFile: string, dir: string) =>
    spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
    const { openScenario } = await import(${JSON.stringify(join(ROOT, 'dist', 'scenarios', 'loader.js'))});
    await openScenario(${JSON.stringify(scenarioFile)});
    process.stdout.write('ready\\n');
    process.stdin.resume();
  `,
      ],
      { env: { ...ENV, TMPDIR: dir }, stdio: ['pipe', 'pipe', 'inherit'] },
    );

  test('a process stopped by SIGTERM removes its copy and still ends by the signal (before: the copy stayed)', async () => {
    const dir = mkdtempSync(join(tmp, 'sigterm-'));
    const child = opener(gzScenario(), dir);
    const exit = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    try {
      await new Promise<void>((ready) =>
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) ready();
        }),
      );
      expect(copies(dir)).toEqual([expect.stringMatching(new RegExp(`^offersim-traces-${child.pid}-`))]);
      child.kill('SIGTERM');
      expect(await exit).toBe('SIGTERM');
      expect(copies(dir)).toEqual([]);
    } finally {
      // A failed expectation must not leave the child waiting (nor jest with it).
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test("a sweep's worker threads' copies go with the process (before: one folder a worker stayed)", () => {
    const dir = mkdtempSync(join(tmp, 'sweep-'));
    const s = file('gz-sweep.yaml', `${readFileSync(gzScenario(), 'utf8')}\nsweep:\n  matrix:\n    allocator: [drf, random]\n`);
    const r = spawnSync(process.execPath, [CLI, 'sweep', s, '--workers', '2', '--out', join(tmp, 'gz-sweep-out')], {
      encoding: 'utf8',
      env: { ...ENV, TMPDIR: dir },
    });
    expect(r.status).toBe(0);
    expect(copies(dir)).toEqual([]);
  }, 60_000);

  test("copies of dead processes are removed when the next one starts; a live process's and strangers' are not", async () => {
    const dir = mkdtempSync(join(tmp, 'stale-'));
    // a process that has ended: its id names no live process
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const name of [`offersim-traces-${dead}-AbC123`, `offersim-traces-${process.pid}-DeF456`, 'offersim-traces-GhI789']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, '0-small.swf'), 'x');
    }
    const child = opener(gzScenario(), dir);
    const exit = new Promise<void>((done) => child.on('exit', () => done()));
    await new Promise<void>((ready) =>
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) ready();
      }),
    );
    const mine = copies(dir).filter((n) => n.startsWith(`offersim-traces-${child.pid}-`));
    child.stdin.end();
    await exit;
    expect(mine).toHaveLength(1);
    // the dead process's copy went when the child started, the child's own when it exited
    expect(copies(dir)).toEqual([`offersim-traces-${process.pid}-DeF456`, 'offersim-traces-GhI789']);
  });
});
