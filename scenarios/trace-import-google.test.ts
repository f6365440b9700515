/**
 * The Google 2011 importer on the real files in ../shared/traces/google-2011 (skipped, saying so,
 * where that folder is absent). The whole of task_events part 0 goes through the built CLI in a
 * child process (jest's module sandbox would slow it tenfold); the first-50-jobs extract goes
 * through importTrace in-process. The expected numbers were cross-checked against an independent
 * pass over the same files (tasks keyed by job id and task index, last run to its end).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCanonicalLine, type CanonicalJob } from '../workloads/trace/canonical.js';
import type { ImportCounts } from '../workloads/trace/importer.js';
import { importTrace } from './trace-import.js';
import { openScenario } from './loader.js';
import { inputFiles } from './run.js';
import { createHash } from 'node:crypto';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');
const GOOGLE = join(ROOT, '..', 'shared', 'traces', 'google-2011');
const PART0 = join(GOOGLE, 'task_events_part-00000-of-00500.csv.gz');
const PART0_JOBS = join(GOOGLE, 'job_events_part-00000-of-00500.csv');
const FIRST50 = join(GOOGLE, 'task_events_part-00000_first50-jobs-after-t0.csv');
const FIRST50_JOBS = join(GOOGLE, 'job_events_part-00000_first50-jobs-after-t0.csv');

const sum = (o: Readonly<Record<string, number>>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Every line of a canonical file, checked: valid, ids unique, submits non-decreasing. */
function readCanonical(file: string): CanonicalJob[] {
  const jobs: CanonicalJob[] = [];
  const ids = new Set<string>();
  for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) {
    const r = parseCanonicalLine(line);
    if ('problem' in r) throw new Error(`${file}: ${r.problem}`);
    if (ids.has(r.job.id)) throw new Error(`${file}: job ${r.job.id} twice`);
    if (jobs.length > 0 && r.job.submit < jobs[jobs.length - 1]!.submit) throw new Error(`${file}: job ${r.job.id} out of submit order`);
    ids.add(r.job.id);
    jobs.push(r.job);
  }
  return jobs;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-google-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const haveTraces = existsSync(PART0) && existsSync(FIRST50);
if (!haveTraces) {
  test.skip(`real Google 2011 files: ${GOOGLE} is absent (a clone without ../shared); CI has it`, () => undefined);
}
(haveTraces ? describe : describe.skip)('the real Google 2011 files in ../shared/traces', () => {
  test('first 50 jobs after time 0: 7,106 rows, 49 jobs of 2,348 tasks, every row accounted for', async () => {
    // 50 jobs, 2,355 tasks, no row at time 0; 7 tasks are still running at the end of the extract
    // (38 rows, 'unfinished'), which empties one job. 16 tasks were resubmitted after a FAIL.
    const r = await importTrace('google-2011', FIRST50, join(tmp, 'first50.jsonl'), { options: { jobEvents: FIRST50_JOBS }, strict: true });
    const c = r.counts;
    expect([c.lines, c.rows, c.rowsUsed, c.jobs, c.tasks]).toEqual([7106, 7106, 7068, 49, 2348]);
    expect(c.skipped).toEqual({ unfinished: 38 });
    expect(c.rowsUsed + sum(c.skipped)).toBe(c.rows);
    expect([c.notes['jobEvents:rows'], c.notes['ended-finish'], c.notes['ended-kill'], c.notes['ended-fail'], c.notes['resubmissions']]).toEqual([
      148, 2144, 199, 5, 16,
    ]);
    expect(c.notes['no-job-events']).toBeUndefined();
    const jobs = readCanonical(join(tmp, 'first50.jsonl'));
    expect(jobs).toHaveLength(49);
    expect(jobs.every((j) => j.attrs?.['name'] !== undefined && j.attrs['user'] !== undefined)).toBe(true);
    expect(jobs[0]).toMatchObject({ id: '6251639646', submit: 604.04628, priority: 9 });
  });

  test('task_events part 0 (gzip) through the CLI, --strict: 450,146 rows, no bad row, the balance exact', () => {
    const out = join(tmp, 'part0.jsonl');
    const r = spawnSync(process.execPath, [CLI, 'import', 'google-2011', PART0, '--option', `jobEvents=${PART0_JOBS}`, '--out', out, '--strict'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/450146 lines, 450146 data rows, 826 jobs and 42450 tasks written to/);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { counts: ImportCounts; problemsFile: string | null };
    const c = m.counts;
    expect(m.problemsFile).toBeNull();
    expect(c.rows).toBe(450146);
    // 144,339 tasks are first seen at time 0 (312,222 rows); 35 rows are new tasks of jobs that
    // span the window start, submitted after the job's in-window tasks had closed.
    expect(c.skipped).toEqual({ 'after-close': 35, 'at-zero': 312222, 'never-ran': 78, unfinished: 8626 });
    expect(c.notes['at-zero-tasks']).toBe(144339);
    expect(c.rowsUsed).toBe(129185);
    expect(c.rowsUsed + sum(c.skipped)).toBe(c.rows);
    const jobs = readCanonical(out);
    expect(jobs).toHaveLength(826);
    expect(jobs.reduce((n, j) => n + j.tasks.length, 0)).toBe(42450);
    // The window opens at 600 s: no job kept here was submitted earlier.
    expect(jobs[0]!.submit).toBeGreaterThanOrEqual(600);
  }, 120_000);

  test("a scenario replaying the first-50 extract names its jobEvents file among the run's inputs, with its hash", async () => {
    // Before, manifest.json `inputs` held the task events alone: a changed job_events file went
    // unnoticed, and a sweep point read from it was never rerun.
    const file = join(tmp, 'first50.yaml');
    writeFileSync(
      file,
      `cluster:\n  agents: [ { count: 4, cpus: 16, mem: 65536 } ]\ntraces:\n  - file: ${FIRST50}\n    format: google-2011\n    options: { jobEvents: ${FIRST50_JOBS}, locality: false }\n    frameworkBy: class\n`,
    );
    const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(inputFiles(await openScenario(file))).toEqual([
      { file: FIRST50, sha256: sha(FIRST50) },
      { file: FIRST50_JOBS, sha256: sha(FIRST50_JOBS) },
    ]);
  });
});
