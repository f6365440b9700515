/**
 * Trace import through the files: plain and gzip input, the canonical output renamed into place
 * only when complete, the manifest's counts, the problems file, strict mode, and the real SWF
 * logs in ../shared/traces (skipped, saying so, where that folder is absent).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { InputError } from './errors.js';
import { loadScenario } from './loader.js';
import { main } from './main.js';
import { importTrace } from './trace-import.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'workloads', 'trace', 'fixtures', 'small.swf');
const TRACES = join(ROOT, '..', 'shared', 'traces');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-import-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('importTrace', () => {
  test('plain and gzip input give the same canonical file; the manifest counts add up', async () => {
    const gz = join(tmp, 'small.swf.gz');
    writeFileSync(gz, gzipSync(readFileSync(FIXTURE)));
    const a = await importTrace('swf', FIXTURE, join(tmp, 'a.jsonl'));
    const b = await importTrace('swf', gz, join(tmp, 'b.jsonl'));
    expect(readFileSync(join(tmp, 'b.jsonl'), 'utf8')).toBe(readFileSync(join(tmp, 'a.jsonl'), 'utf8'));
    expect(a.sha256).toBe(b.sha256);
    // fixtures/small.swf: 4 jobs, 5 bad rows (worked out in workloads/trace/swf.test.ts)
    expect(readFileSync(join(tmp, 'a.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(4);
    const m = JSON.parse(readFileSync(join(tmp, 'a.jsonl.manifest.json'), 'utf8')) as {
      counts: { rows: number; rowsUsed: number; skipped: Record<string, number> };
    };
    expect(m.counts.rowsUsed + Object.values(m.counts.skipped).reduce((x, y) => x + y, 0)).toBe(m.counts.rows);
    const problems = readFileSync(join(tmp, 'a.jsonl.problems.csv'), 'utf8').trimEnd().split('\n');
    expect(problems[0]).toBe('input,line,reason,message');
    expect(problems.slice(1).map((l) => l.split(',').slice(1, 3).join(' '))).toEqual([
      '7 unknown-runtime',
      '9 fields',
      '10 number',
      '11 out-of-order',
      '12 unknown-processors',
    ]);
  });

  test('strict mode stops at the first bad row with its file and line, leaving nothing behind', async () => {
    const out = join(tmp, 'strict.jsonl');
    await expect(importTrace('swf', FIXTURE, out, { strict: true })).rejects.toThrow(InputError);
    await expect(importTrace('swf', FIXTURE, out, { strict: true })).rejects.toThrow(/small\.swf:7:.*run time/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.manifest.json`)).toBe(false);
  });

  test('unknown formats, missing files and bad options are bad input', async () => {
    await expect(importTrace('csv', FIXTURE, join(tmp, 'x.jsonl'))).rejects.toThrow(/unknown trace format "csv"; known: swf/);
    await expect(importTrace('swf', join(tmp, 'nope.swf'), join(tmp, 'x.jsonl'))).rejects.toThrow(/no such file/);
    await expect(importTrace('swf', FIXTURE, join(tmp, 'x.jsonl'), { options: { tasks: 'pairs' } })).rejects.toThrow(/tasks/);
    await expect(importTrace('swf', FIXTURE, join(tmp, 'x.jsonl'), { options: { colour: 1 } })).rejects.toThrow(/unknown option "colour"/);
  });
});

describe('a file of another format', () => {
  const FIXTURES = join(ROOT, 'workloads', 'trace', 'fixtures');
  // Each fixture, with its format and what the sniffer calls it (workloads/trace/sniff.ts).
  const FILES: [string, string | undefined, RegExp][] = [
    ['small.swf', 'swf', /it looks like swf, Standard Workload Format/],
    ['small-google-task-events.csv', 'google-2011', /it looks like google-2011, Google cluster-data 2011 task_events/],
    ['small-google-job-events.csv', undefined, /it looks like Google cluster-data 2011 job_events .*--option jobEvents=FILE/],
    ['swim-fb2009.tsv', 'swim', /it looks like swim, SWIM/],
    ['swim-fb2010-paths.tsv', 'swim', /it looks like swim, SWIM/],
    ['openb-pods.csv', 'alibaba-openb-pods', /it looks like alibaba-openb-pods, Alibaba openb pod list/],
    ['openb-nodes.csv', 'alibaba-openb-nodes', /it looks like alibaba-openb-nodes, Alibaba openb node list/],
    ['machine-meta.csv', 'alibaba-2018-machines', /it looks like alibaba-2018-machines, Alibaba cluster-trace-v2018/],
    ['small.jsonl', undefined, /it looks like offersim canonical workload .*format canonical/],
    ['cluster.jsonl', undefined, /it looks like offersim canonical cluster .*format canonical/],
  ];
  const FORMATS = ['swf', 'google-2011', 'swim', 'alibaba-openb-pods', 'alibaba-openb-nodes', 'alibaba-2018-machines'];
  const cases = FORMATS.flatMap((format) => FILES.filter(([, own]) => own !== format).map(([file, own, like]) => [format, file, own, like] as const));

  test.each(cases)('import %s of %s: exit 2 naming the format it looks like, nothing written', async (format, file, own, like) => {
    const out = join(tmp, `other-${format}-${file}.jsonl`);
    const r = await main(['import', format, join(FIXTURES, file), '--out', out], { out: () => undefined, err: () => undefined });
    expect(r).toBe(2);
    const err = await importTrace(format, join(FIXTURES, file), out).then(
      () => '',
      (e: unknown) => (e as Error).message,
    );
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(file);
    expect(err).toMatch(like);
    if (own !== undefined) expect(err).toContain(`offersim import ${own} FILE`);
    expect(readdirSync(tmp).filter((f) => f.startsWith(`other-${format}-${file}`))).toEqual([]);
  });

  test('a file that is its format but where no row can be used: exit 2 with the skip reasons; an empty file too', async () => {
    const swf = join(tmp, 'all-bad.swf');
    // two rows of 17 fields: both skipped for their field count
    writeFileSync(swf, `; a comment\n${'1 '.repeat(17)}\n${'2 '.repeat(17)}\n`);
    await expect(importTrace('swf', swf, join(tmp, 'all-bad.jsonl'))).rejects.toThrow(/has no row swf could use \(2 data rows skipped: fields 2\)/);
    const empty = join(tmp, 'empty.swf');
    writeFileSync(empty, '');
    await expect(importTrace('swf', empty, join(tmp, 'empty.jsonl'))).rejects.toThrow(/has no data rows; it looks like none of the known formats/);
    expect(readdirSync(tmp).filter((f) => f.startsWith('all-bad.jsonl') || f.startsWith('empty.jsonl'))).toEqual([]);
  });
});

describe('offersim import', () => {
  const run = async (...argv: string[]) => {
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
  };

  test('writes the file and says what it counted; each bad row is named on stderr', async () => {
    const r = await run('import', 'swf', FIXTURE, '--out', join(tmp, 'cli.jsonl'), '--option', 'tasks=single');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/14 lines, 9 data rows, 4 jobs and 4 tasks written to/);
    expect(r.out).toMatch(/skipped rows: fields 1, number 1, out-of-order 1, unknown-processors 1, unknown-runtime 1/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(5);
    expect(r.err).toMatch(/small\.swf:10: field 4 \(run time\) is not a number: "5x" \(number\)/);
  });

  test('--strict exits 2 at the first bad row', async () => {
    const r = await run('import', 'swf', FIXTURE, '--out', join(tmp, 'cli2.jsonl'), '--strict');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/small\.swf:7/);
  });
});

const haveTraces = existsSync(join(TRACES, 'swf'));
if (!haveTraces) {
  test.skip(`real SWF logs: ${TRACES} is absent (a clone without ../shared); CI has it`, () => undefined);
}
(haveTraces ? describe : describe.skip)('the real SWF logs in ../shared/traces', () => {
  test('NASA iPSC: all 18,239 jobs import (173 of them with run time 0, kept)', async () => {
    const r = await importTrace('swf', join(TRACES, 'swf', 'NASA-iPSC-1993-3.1-cln.swf'), join(tmp, 'nasa.jsonl'));
    expect([r.counts.rows, r.counts.jobs, r.counts.notes['zero-runtime']]).toEqual([18239, 18239, 173]);
  });

  test('every bundled trace scenario validates', () => {
    const dir = join(ROOT, 'scenarios', 'traces');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) expect(() => loadScenario(join(dir, f))).not.toThrow();
  });

  // Child processes of the built CLI (jest's sandbox slows simulations tenfold), under DRF and
  // another policy. The SWIM and Alibaba scenarios (10 to 50 s each) are only validated above.
  test.each([
    ['nasa-swf', 'drf'],
    ['nasa-swf', 'random'],
    ['hpc2n-swf', 'drf'],
    ['hpc2n-swf', 'random'],
    ['google-2011', 'drf'],
    ['google-2011', 'fifo'],
  ])(
    'scenarios/traces/%s.yaml runs under %s: every job read is submitted or counted, and the submitted ones finish',
    (name, allocator) => {
      const out = join(tmp, `${name}-${allocator}-run`);
      execFileSync(
        process.execPath,
        [join(ROOT, 'dist', 'scenarios', 'cli.js'), 'run', join(ROOT, 'scenarios', 'traces', `${name}.yaml`), '--out', out, '--set', `allocator=${allocator}`],
        { encoding: 'utf8' },
      );
      const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
        jobsFinished: number;
        endReason: string;
        traces: {
          jobs: number;
          submitted: number;
          skipped: Record<string, number>;
          read: { rows: number; rowsUsed: number; skipped: Record<string, number> };
        }[];
      };
      const t = m.traces[0]!;
      expect(t.read.rowsUsed + Object.values(t.read.skipped).reduce((a, b) => a + b, 0)).toBe(t.read.rows);
      expect(t.submitted + Object.values(t.skipped).reduce((a, b) => a + b, 0)).toBe(t.jobs);
      expect(t.submitted).toBeGreaterThan(0);
      // nothing is skipped for want of a fitting agent or a framework in these scenarios
      expect(Object.keys(t.skipped).filter((k) => k !== 'after-window')).toEqual([]);
      expect([m.endReason, m.jobsFinished]).toEqual(['completed', t.submitted]);
    },
    120_000,
  );

  test('HPC2N head: 3,170 jobs, of which the 25 with run time -1 are skipped and counted', async () => {
    const r = await importTrace('swf', join(TRACES, 'swf', 'HPC2N-2002-2.2_head-alea.swf'), join(tmp, 'hpc2n.jsonl'));
    expect([r.counts.rows, r.counts.jobs, r.counts.skipped]).toEqual([3170, 3145, { 'unknown-runtime': 25 }]);
  });
});

describe('docs/workload.schema.json', () => {
  test('is the JSON Schema of the canonical line, as generated (UPDATE_SCHEMA=1 rewrites it)', async () => {
    const { canonicalJsonSchema } = await import('../workloads/trace/canonical.js');
    const file = join(ROOT, 'docs', 'workload.schema.json');
    const text = `${JSON.stringify(canonicalJsonSchema(), null, 2)}\n`;
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
