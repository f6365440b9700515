/**
 * SWIM import through the files and the CLI: the hand-written fixtures, the registry's option
 * checks, and the real Facebook 2009 and 2010 files in ../shared/traces/swim (skipped, saying so,
 * where that folder is absent).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CanonicalJob } from '../workloads/trace/canonical.js';
import { main } from './main.js';
import { importTrace } from './trace-import.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'workloads', 'trace', 'fixtures');
const SWIM = join(ROOT, '..', 'shared', 'traces', 'swim');
const FB2009 = join(SWIM, 'FB-2009_samples_24_times_1hr_0.tsv');
const FB2010 = join(SWIM, 'FB-2010_samples_24_times_1hr_withInputPaths_0.tsv');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-swim-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const sumSkipped = (s: Readonly<Record<string, number>>): number => Object.values(s).reduce((a, b) => a + b, 0);
const readJobs = (file: string): CanonicalJob[] =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as CanonicalJob);

describe('swim import of the fixtures', () => {
  test('the 2010 fixture: canonical file, manifest and problems file (worked out in workloads/trace/swim.test.ts)', async () => {
    const out = join(tmp, 'fixture.jsonl');
    const r = await importTrace('swim', join(FIXTURES, 'swim-fb2010-paths.tsv'), out);
    expect(readJobs(out).map((j) => j.id)).toEqual(['job0', 'job1', 'job2', 'job3', 'job4', 'job9', 'job10']);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as {
      counts: { rows: number; rowsUsed: number; skipped: Record<string, number>; tasks: number };
    };
    expect(m.counts).toMatchObject({ rows: 11, rowsUsed: 7, tasks: 31 });
    expect(m.counts.rowsUsed + sumSkipped(m.counts.skipped)).toBe(m.counts.rows);
    expect(r.problems.map((p) => `${p.line} ${p.reason}`)).toEqual(['6 fields', '7 size', '8 out-of-order', '9 number']);
    expect(readFileSync(`${out}.problems.csv`, 'utf8').trimEnd().split('\n')).toHaveLength(5);
  });

  test('offersim import swim: options by --option, bad and unknown options are bad input (exit 2)', async () => {
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
    const ok = await run(
      'import',
      'swim',
      join(FIXTURES, 'swim-fb2009.tsv'),
      '--out',
      join(tmp, 'cli.jsonl'),
      '--option',
      'maxMapsPerJob=1',
      '--option',
      'jobBlocks=true',
    );
    expect(ok.code).toBe(0);
    // 5 jobs: maps 1 + 1 + 1 + 1 + 1, reduces 0 + 1 + 1 + 4 + 0
    expect(ok.out).toMatch(/12 lines, 11 data rows, 5 jobs and 11 tasks written to/);
    expect(readJobs(join(tmp, 'cli.jsonl'))[0]!.tasks).toEqual([{ cpus: 1, mem: 1024, duration: 18, blocks: ['job0#0'] }]);
    const bad = await run('import', 'swim', join(FIXTURES, 'swim-fb2009.tsv'), '--out', join(tmp, 'bad.jsonl'), '--option', 'blockSizeMB=0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/blockSizeMB/);
    const unknown = await run('import', 'swim', join(FIXTURES, 'swim-fb2009.tsv'), '--out', join(tmp, 'bad.jsonl'), '--option', 'blockSize=64');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown option "blockSize"/);
    expect(existsSync(join(tmp, 'bad.jsonl'))).toBe(false);
  });
});

const haveTraces = existsSync(FB2009) && existsSync(FB2010);
if (!haveTraces) {
  test.skip(`real SWIM files: ${SWIM} is absent (a clone without ../shared); CI has it`, () => undefined);
}
(haveTraces ? describe : describe.skip)('the real SWIM files in ../shared/traces/swim', () => {
  test('FB-2009: all 5,894 jobs import; 406,005 maps and 31,678 reduces uncapped', async () => {
    const r = await importTrace('swim', FB2009, join(tmp, 'fb2009.jsonl'), { options: { maxMapsPerJob: 0 } });
    expect([r.counts.rows, r.counts.rowsUsed, r.counts.jobs, r.counts.skipped]).toEqual([5894, 5894, 5894, {}]);
    expect(r.counts.rowsUsed + sumSkipped(r.counts.skipped)).toBe(r.counts.rows);
    expect(r.counts.notes).toEqual({ 'map-tasks': 406005, 'no-path': 5894, 'no-reduces': 57, 'reduce-tasks': 31678, 'zero-input': 86 });
    expect(r.counts.tasks).toBe(406005 + 31678);
  });

  // Uncapped, FB-2010 gives 17,988,923 maps (a 1.3 GB canonical file, see docs/traces.md); a cap
  // of 100 maps per job keeps this test small and still puts block 0 of every input in every
  // job reading it.
  test('FB-2010: all 25,428 jobs import, and jobs reading the same input path share block ids', async () => {
    const out = join(tmp, 'fb2010.jsonl');
    const r = await importTrace('swim', FB2010, out, { options: { maxMapsPerJob: 100 } });
    expect([r.counts.rows, r.counts.rowsUsed, r.counts.jobs, r.counts.skipped]).toEqual([25428, 25428, 25428, {}]);
    expect(r.counts.rowsUsed + sumSkipped(r.counts.skipped)).toBe(r.counts.rows);
    expect(r.counts.notes['reduce-tasks']).toBe(751908);
    expect(r.counts.notes['no-path']).toBeUndefined();

    // From the source: the distinct input paths, and for each the jobs that read some bytes of it.
    const readers = new Map<string, string[]>();
    for (const row of readFileSync(FB2010, 'utf8').trimEnd().split('\n')) {
      const f = row.split('\t');
      const list = readers.get(f[6]!) ?? [];
      if (Number(f[3]) > 0) list.push(f[0]!);
      readers.set(f[6]!, list);
    }
    expect(readers.size).toBe(17158);
    // From the canonical file: the jobs whose maps read block 0 of each path.
    const firstBlock = new Map<string, string[]>();
    for (const job of readJobs(out)) {
      for (const b of new Set(job.tasks.flatMap((t) => t.blocks ?? []))) {
        const hash = b.lastIndexOf('#');
        if (b.slice(hash + 1) === '0') firstBlock.set(b.slice(0, hash), [...(firstBlock.get(b.slice(0, hash)) ?? []), job.id]);
      }
    }
    const withInput = [...readers.entries()].filter(([, jobs]) => jobs.length > 0);
    expect(firstBlock.size).toBe(withInput.length);
    for (const [path, jobs] of withInput) expect(firstBlock.get(path)).toEqual(jobs);
    const shared = withInput.filter(([, jobs]) => jobs.length > 1);
    expect(shared).toHaveLength(1335);
  }, 120_000);
});
