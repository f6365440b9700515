/**
 * One absurd row costs one row, in every importer: the head of each real trace in
 * ../shared/traces (skipped, saying so, where that folder is absent), with one row added whose
 * value is absurd but well formed (a time of 1e29, a 400-digit byte count, a capacity of 1e300),
 * gives exactly the jobs or agents of the head alone, and one 'range' problem at that line. Before
 * the bounds, a time of 1e29 became the out-of-order watermark (every later row lost) and huge
 * numbers went into the output (a duration of Infinity, an agent of 1e297 cores).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Alibaba2018MachineImporter, OpenbNodeImporter, OpenbPodImporter } from './alibaba.js';
import { Google2011Importer } from './google-2011.js';
import type { RowProblem } from './importer.js';
import { SwfImporter } from './swf.js';
import { SwimImporter } from './swim.js';
import { driveCluster, driveJobs, linesOf } from './test-support/drive.js';

const TRACES = fileURLToPath(new URL('../../../shared/traces/', import.meta.url));

/** The first `n` lines of a real trace. */
function head(file: string, n: number): string[] {
  return linesOf(readFileSync(`${TRACES}${file}`, 'utf8')).slice(0, n);
}

/** `lines` with `row` put in after line `after` (1-based), as one text. */
function withRow(lines: readonly string[], after: number, row: string): string {
  return [...lines.slice(0, after), row, ...lines.slice(after)].join('\n');
}

/** The problems of the mutated text are those of the head, moved down a line after the new one, and the new one. */
function expectOneMore(base: readonly RowProblem[], mutated: readonly RowProblem[], at: number): void {
  const moved = base.map((p) => (p.line > at - 1 ? { ...p, line: p.line + 1 } : p));
  expect(mutated.filter((p) => p.line !== at)).toEqual(moved);
  expect(mutated.filter((p) => p.line === at).map((p) => p.reason)).toEqual(['range']);
}

/** A job trace's head and the head with an absurd row after line `after`: same jobs, one problem more. */
function jobsCase(make: () => Parameters<typeof driveJobs>[0], lines: readonly string[], after: number, row: string): RowProblem {
  const base = driveJobs(make(), lines.join('\n'));
  const mutated = driveJobs(make(), withRow(lines, after, row));
  expect(base.jobs.length).toBeGreaterThan(40);
  expect(mutated.jobs).toEqual(base.jobs);
  expectOneMore(base.problems, mutated.problems, after + 1);
  expect(mutated.counts.skipped).toEqual({ ...base.counts.skipped, range: 1 });
  return mutated.problems.find((p) => p.line === after + 1)!;
}

/** The same for a cluster trace: same agents, one problem more. */
function clusterCase(make: () => Parameters<typeof driveCluster>[0], lines: readonly string[], after: number, row: string): RowProblem {
  const base = driveCluster(make(), lines.join('\n'));
  const mutated = driveCluster(make(), withRow(lines, after, row));
  expect(base.agents.length).toBeGreaterThan(20);
  expect(mutated.agents).toEqual(base.agents);
  expectOneMore(base.problems, mutated.problems, after + 1);
  return mutated.problems.find((p) => p.line === after + 1)!;
}

/** Field `i` (0-based) of a row split by `sep` replaced by `value`. */
function setField(row: string, sep: string | RegExp, i: number, value: string, join = typeof sep === 'string' ? sep : ' '): string {
  const p = row.trim().split(sep);
  p[i] = value;
  return p.join(join);
}

const haveTraces = existsSync(TRACES);
if (!haveTraces) {
  test.skip(`real traces: ${TRACES} is absent (a clone without ../shared); CI has it`, () => undefined);
}

(haveTraces ? describe : describe.skip)('an absurd row in a real trace is a problem of its own', () => {
  test('SWF (NASA iPSC): submit time 1e29', () => {
    // NASA's first 300 lines: 32 header lines, then jobs in submit order. The new row (after
    // line 100) copies line 100 with a submit time of 1e29: it must not become the watermark.
    const lines = head('swf/NASA-iPSC-1993-3.1-cln.swf', 300);
    const p = jobsCase(() => new SwfImporter(), lines, 100, setField(lines[99]!, /\s+/, 1, '1e29'));
    expect(p.message).toBe('field 2 (submit time) 1e29 is beyond 1000000000 s');
  });

  test('SWIM (FB-2009): a 400-digit byte count, and a submit time of 1e29', () => {
    // Before: 9 x 10^399 bytes read as Infinity, a map of "duration": null in the output.
    const lines = head('swim/FB-2009_samples_24_times_1hr_0.tsv', 300);
    const p = jobsCase(() => new SwimImporter(), lines, 150, setField(lines[149]!, '\t', 3, '9'.repeat(400)));
    expect(p.message).toMatch(/^field 4 \(map input bytes\) 9{40}\.\.\. \(400 characters\) is more than 2\^53 bytes$/);
    jobsCase(() => new SwimImporter(), lines, 150, setField(lines[149]!, '\t', 1, '1e29'));
  });

  test('Google 2011 (first 50 jobs): a SUBMIT of a new job at time 10^29 us', () => {
    // The rows are in time order; the new one (a SUBMIT of job 1, task 0, after line 3000)
    // would hold every later row back as out-of-order.
    const lines = head('google-2011/task_events_part-00000_first50-jobs-after-t0.csv', 7106);
    const row = setField(setField(lines[2999]!, ',', 0, `1${'0'.repeat(29)}`), ',', 2, '1');
    const p = jobsCase(() => new Google2011Importer(), lines, 3000, setField(row, ',', 5, '0'));
    expect(p.message).toBe(`field 1 (time) 1${'0'.repeat(29)} us is beyond 1000000000 s`);
  });

  test('Alibaba openb pods: creation_time 1e29 (the file is sorted by it)', () => {
    const lines = head('alibaba-gpu-2023/openb_pod_list_default.csv', 300);
    const row = setField(setField(lines[99]!, ',', 8, '1e29'), ',', 0, 'absurd-pod');
    jobsCase(() => new OpenbPodImporter(), lines, 100, row);
  });

  test('Alibaba openb nodes: cpu_milli 1e300', () => {
    const lines = head('alibaba-gpu-2023/openb_node_list_all_node.csv', 100);
    clusterCase(() => new OpenbNodeImporter(), lines, 50, setField(setField(lines[49]!, ',', 1, '1e300'), ',', 0, 'absurd-node'));
  });

  test('Alibaba v2018 machine_meta: a machine of 1e300 cores between two others', () => {
    // Rows are grouped by machine: line 100 ends a machine's rows or not, so put the new
    // machine where the machine id changes.
    const lines = head('alibaba-2018/machine_meta.csv', 300);
    const at = lines.findIndex((l, i) => i > 100 && l.split(',')[0] !== lines[i - 1]!.split(',')[0]);
    clusterCase(() => new Alibaba2018MachineImporter(), lines, at, setField(setField(lines[at]!, ',', 4, '1e300'), ',', 0, 'm_absurd'));
  });
});
