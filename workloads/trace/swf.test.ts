/**
 * The SWF importer on a hand-written fixture (every kind of bad row, worked out line by line
 * below) and the canonical line format it feeds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalJsonSchema, formatCanonicalJob, parseCanonicalLine, type CanonicalJob } from './canonical.js';
import { SwfImporter, type SwfOptions } from './swf.js';
import { driveJobs } from './test-support/drive.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/small.swf', import.meta.url));

function importText(text: string, options: SwfOptions = {}) {
  return driveJobs(new SwfImporter(options), text);
}

describe('SWF importer on fixtures/small.swf', () => {
  // Lines 1-3 comments, 4 and 14 blank: 5 ignored, 9 data rows (5-13).
  // 5: job 1, 4 procs, 100 s, requested 1024 KB/proc = 1 MB       -> gang of 4 x (1 cpu, 1 MB)
  // 6: job 2, 1 proc, run time 0 (kept as 1 us), no memory known   -> 1 task, not a gang
  // 7: job 3, run time -1                                           -> skipped: unknown-runtime
  // 8: job 4, allocated -1, requested 2                             -> gang of 2, no memory
  // 9: 7 fields                                                     -> skipped: fields
  // 10: run time "5x"                                               -> skipped: number
  // 11: submit 25 after job 4's 30                                  -> skipped: out-of-order
  // 12: allocated and requested -1                                  -> skipped: unknown-processors
  // 13: job 9, 8 procs, 12.5 s, 2048 KB = 2 MB, partition 2         -> gang of 8
  const text = readFileSync(FIXTURE, 'utf8');

  test('jobs, tasks and attributes as worked out by hand', () => {
    const { jobs } = importText(text);
    expect(jobs).toEqual([
      {
        id: '1',
        submit: 0,
        attrs: { status: '1', user: '7', group: '2', queue: '1', partition: '1' },
        tasks: [{ cpus: 1, mem: 1, duration: 100, count: 4 }],
        gang: true,
      },
      { id: '2', submit: 10, attrs: { status: '1', user: '7', group: '2', queue: '1', partition: '1' }, tasks: [{ cpus: 1, duration: 1e-6, count: 1 }] },
      {
        id: '4',
        submit: 30,
        attrs: { status: '1', user: '8', group: '2', queue: '2', partition: '1' },
        tasks: [{ cpus: 1, duration: 50, count: 2 }],
        gang: true,
      },
      {
        id: '9',
        submit: 70,
        attrs: { status: '1', user: '9', group: '3', queue: '1', partition: '2' },
        tasks: [{ cpus: 1, mem: 2, duration: 12.5, count: 8 }],
        gang: true,
      },
    ]);
  });

  test('every bad row is reported with its line and reason, and the counts add up', () => {
    const { problems, counts } = importText(text);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [7, 'unknown-runtime'],
      [9, 'fields'],
      [10, 'number'],
      [11, 'out-of-order'],
      [12, 'unknown-processors'],
    ]);
    expect(problems[2]!.message).toBe('field 4 (run time) is not a number: "5x"');
    expect(counts).toEqual({
      lines: 14,
      ignored: 5,
      rows: 9,
      rowsUsed: 4,
      skipped: { fields: 1, number: 1, 'out-of-order': 1, 'unknown-processors': 1, 'unknown-runtime': 1 },
      jobs: 4,
      tasks: 4 + 1 + 2 + 8,
      notes: { 'no-memory': 2, 'zero-runtime': 1 },
    });
    expect(counts.rowsUsed + Object.values(counts.skipped).reduce((a, b) => a + b, 0)).toBe(counts.rows);
  });

  test("tasks: 'single' makes one task of P processors per job", () => {
    const { jobs, counts } = importText(text, { tasks: 'single', cpusPerProcessor: 2 });
    expect(jobs[0]!.tasks).toEqual([{ cpus: 8, mem: 4, duration: 100 }]);
    expect(jobs.every((j) => j.gang === undefined)).toBe(true);
    expect(counts.tasks).toBe(4);
  });

  test('bad options are refused', () => {
    expect(() => new SwfImporter({ tasks: 'pairs' as 'gang' })).toThrow(/gang, single/);
    expect(() => new SwfImporter({ cpusPerProcessor: 0 })).toThrow(/cpusPerProcessor/);
  });
});

describe('canonical lines', () => {
  test('a job written and read back is the same job, with a fixed key order', () => {
    const job: CanonicalJob = {
      tasks: [{ duration: 3, cpus: 1, count: 2, blocks: ['b1'] }],
      submit: 1.5,
      id: 'j',
      attrs: { user: 'u', queue: 'q' },
      gang: true,
    };
    const line = formatCanonicalJob(job);
    expect(line).toBe('{"id":"j","submit":1.5,"attrs":{"queue":"q","user":"u"},"tasks":[{"cpus":1,"duration":3,"count":2,"blocks":["b1"]}],"gang":true}');
    expect(parseCanonicalLine(line)).toEqual({ job: { ...job, attrs: { queue: 'q', user: 'u' } } });
  });

  test('bad lines say what is wrong, naming the field', () => {
    expect(parseCanonicalLine('{"id":"j"')).toEqual({ problem: expect.stringMatching(/^not JSON/) });
    expect(parseCanonicalLine('{"id":"j","submit":0,"tasks":[{"duration":0}]}')).toEqual({ problem: expect.stringMatching(/^tasks\[0\]\.duration: /) });
    expect(parseCanonicalLine('{"id":"j","submit":0,"tasks":[]}')).toEqual({ problem: expect.stringMatching(/^tasks: /) });
    expect(parseCanonicalLine('{"id":"j","submit":0,"tasks":[{"duration":1}],"colour":"red"}')).toEqual({ problem: expect.stringMatching(/colour/) });
  });

  test('the JSON Schema of a line names every field', () => {
    const schema = canonicalJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['id', 'submit', 'framework', 'attrs', 'tasks', 'gang', 'priority']);
    expect(schema.required).toEqual(['id', 'submit', 'tasks']);
  });
});
