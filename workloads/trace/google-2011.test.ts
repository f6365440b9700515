/**
 * The Google 2011 importer on hand-written task_events and job_events fixtures: every row's fate,
 * every job and task and every count worked out by hand below.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalJob } from './canonical.js';
import { Google2011Importer, type Google2011Options } from './google-2011.js';
import type { RowProblem } from './importer.js';
import { traceFormat } from './registry.js';

const TASKS = readFileSync(fileURLToPath(new URL('./fixtures/small-google-task-events.csv', import.meta.url)), 'utf8');
const JOBS = readFileSync(fileURLToPath(new URL('./fixtures/small-google-job-events.csv', import.meta.url)), 'utf8');

function lines(text: string): string[] {
  // As a line reader gives them: split on \n, the last (empty after a final \n) dropped.
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** Imports the fixture; `emittedAt` is the main-input line during which each job was written (0: at end). */
function importFixture(options: Google2011Options = {}, withJobEvents = true) {
  const imp = new Google2011Importer({ ...(withJobEvents ? { jobEvents: 'job_events.csv' } : {}), ...options });
  const jobs: CanonicalJob[] = [];
  const emittedAt: [string, number][] = [];
  const problems: RowProblem[] = [];
  let current = 0;
  const sink = {
    job: (j: CanonicalJob) => {
      jobs.push(j);
      emittedAt.push([j.id, current]);
    },
    problem: (p: RowProblem) => problems.push(p),
  };
  if (withJobEvents) lines(JOBS).forEach((l, i) => imp.auxLine('jobEvents', l, i + 1, sink));
  lines(TASKS).forEach((l, i) => {
    current = i + 1;
    imp.line(l, i + 1, sink);
  });
  current = 0;
  imp.end(sink);
  return { jobs, emittedAt, problems, counts: imp.counts() };
}

const sum = (o: Readonly<Record<string, number>>) => Object.values(o).reduce((a, b) => a + b, 0);

// Units by default: 1 CPU unit = 32 cores, 1 memory unit = 131072 MB, 1 disk unit = 1048576 MB.
//
// task_events fixture, line by line (times in seconds; job/task):
//  1  0    100/0 SUBMIT  at time 0                  -> at-zero (task 100/0 left out)
//  2  0    100/0 SCHEDULE m7                        -> at-zero
//  3  600  200/0 SUBMIT  (job 200 opens, submit 600)
//  4  600.5 200/1 SUBMIT
//  5  601  200/0 SCHEDULE m11
//  6  601  200/1 SCHEDULE m13
//  7  605  300/0 SUBMIT  (job 300 opens, submit 605), disk empty
//  8  605  300/1 SUBMIT
//  9  606  300/0 SCHEDULE m14
// 10  607  300/0 UPDATE_RUNNING, CPU 0.0625 -> 0.25   (note update-rows)
// 11  job id "abc"                                  -> bad: number
// 12  event type 9                                  -> bad: event-type
// 13  12 fields                                     -> bad: fields
// 14  priority 12                                   -> bad: priority
// 15  CPU request 1.5                               -> bad: normalised
// 16  610  200/0 EVICT   (run 601-610 ends, 9 s)
// 17  610  200/0 SUBMIT  again                      (note resubmissions)
// 18  609.5 earlier than line 17                    -> bad: out-of-order
// 19  612  200/0 SCHEDULE m12 (second run)
// 20  620  300/1 KILL while pending                 (300/1 never ran)
// 21  630  300/1 FINISH of a task already ended     -> bad: sequence
// 22  642  200/0 FINISH: last run 612-642 = 30 s on m12
// 23  650  300/0 KILL while running: run 606-650 = 44 s on m14 (kept); job 300 has no live task
// 24  661  200/1 FINISH: run 601-661 = 60 s on m13; job 200 has no live task
// 25  700  100/0 FINISH                             -> at-zero
// 26  700  400/0 SUBMIT  (job 400 opens, submit 700)
// 27  700  400/1 SUBMIT  (missing-info 2, memory and disk empty)
// 28  701  400/0 SCHEDULE m15
// 29  702  400/1 SCHEDULE m16
// 30  715  500/0 SCHEDULE without a SUBMIT          -> no-submit (task 500/0 left out)
//          715 > 650 + 60: job 300 closes, but waits behind job 200 (submitted first, still open)
// 31  blank                                         -> ignored
// 32  722  500/0 FINISH                             -> no-submit
//          722 > 661 + 60: job 200 closes; jobs 200 and 300 are written now, in submit order
// 33  800  200/2 SUBMIT for closed job 200          -> after-close
// 34  800  400/1 FINISH: run 702-800 = 98 s on m16
// 35  2^63-1 400/0 FINISH "after the end"           (note after-end; 400/0 stays running)
// end: job 400 written with task 1 only; 400/0 (rows 26, 28, 35) -> unfinished
//
// 35 lines, 1 ignored, 34 rows = 7 bad + 3 at-zero + 2 no-submit + 1 after-close
//   + 2 never-ran (300/1: rows 8, 20) + 3 unfinished (400/0) + 16 used
//   (200/0: 3 5 16 17 19 22; 200/1: 4 6 24; 300/0: 7 9 10 23; 400/1: 27 29 34).
//
// job_events fixture: 1 job 200 (name200, logical200); 2 job 300 (name300, no logical name);
// 3 job 300 again, fills logical300; 4 seven fields -> jobEvents:fields; 5 job id "xyz" ->
// jobEvents:number. 3 rows read; job 400 has none (note no-job-events).
describe('Google 2011 importer on fixtures/small-google-*.csv', () => {
  test('jobs, tasks and attributes as worked out by hand, written in submit order', () => {
    const { jobs, emittedAt } = importFixture();
    expect(jobs).toEqual([
      {
        id: '200',
        submit: 600,
        attrs: { user: 'u2', class: '1', name: 'name200', logicalName: 'logical200' },
        tasks: [
          // 0.125 x 32 = 4 cores, 0.0625 x 131072 = 8192 MB, 0.0001 x 1048576 = 104.8576 -> 104.858 MB
          { cpus: 4, mem: 8192, disk: 104.858, duration: 30, preferredAgents: ['12'] },
          { cpus: 4, mem: 8192, disk: 104.858, duration: 60, preferredAgents: ['13'] },
        ],
        priority: 4,
      },
      {
        id: '300',
        submit: 605,
        attrs: { user: 'u3', class: '0', name: 'name300', logicalName: 'logical300' },
        // the CPU request as updated on line 10: 0.25 x 32 = 8; 0.03125 x 131072 = 4096 MB; no disk
        tasks: [{ cpus: 8, mem: 4096, duration: 44, preferredAgents: ['14'] }],
        priority: 2,
      },
      {
        id: '400',
        submit: 700,
        attrs: { user: 'u4', class: '3' },
        tasks: [{ cpus: 16, duration: 98, preferredAgents: ['16'] }],
        priority: 11,
      },
    ]);
    // Bounded buffering: 300 closed at line 30 but waited for 200, closed at line 32.
    expect(emittedAt).toEqual([
      ['200', 32],
      ['300', 32],
      ['400', 0],
    ]);
  });

  test('every bad row is reported with its line and reason, and the counts add up', () => {
    const { problems, counts } = importFixture();
    expect(problems.map((p) => [p.input ?? 'main', p.line, p.reason])).toEqual([
      ['jobEvents', 4, 'fields'],
      ['jobEvents', 5, 'number'],
      ['main', 11, 'number'],
      ['main', 12, 'event-type'],
      ['main', 13, 'fields'],
      ['main', 14, 'priority'],
      ['main', 15, 'normalised'],
      ['main', 18, 'out-of-order'],
      ['main', 21, 'sequence'],
    ]);
    expect(problems[2]!.message).toBe('field 3 (job id) is not a number: "abc"');
    expect(problems[6]!.message).toBe('field 10 (CPU request) is not a number in [0, 1]: "1.5"');
    expect(problems[8]!.message).toBe('event 4 (finish) does not fit task 300,1, ended');
    expect(counts).toEqual({
      lines: 35,
      ignored: 1,
      rows: 34,
      rowsUsed: 16,
      skipped: {
        'after-close': 1,
        'at-zero': 3,
        'event-type': 1,
        fields: 1,
        'never-ran': 2,
        'no-submit': 2,
        normalised: 1,
        number: 1,
        'out-of-order': 1,
        priority: 1,
        sequence: 1,
        unfinished: 3,
      },
      jobs: 3,
      tasks: 4,
      notes: {
        'after-end': 1,
        'at-zero-tasks': 1,
        'ended-finish': 3,
        'ended-kill': 1,
        'jobEvents:fields': 1,
        'jobEvents:number': 1,
        'jobEvents:rows': 3,
        'no-job-events': 1,
        'no-submit-tasks': 1,
        'peak-buffered-jobs': 3,
        'rerun-tasks': 1,
        resubmissions: 1,
        'update-rows': 1,
      },
    });
    expect(counts.rowsUsed + sum(counts.skipped)).toBe(counts.rows);
  });

  test("atZero 'start': task 100/0 runs 0-700 s and, open until line 33, holds the later jobs back", () => {
    // Job 100 has no live task from 700 s; the first row after 760 s is line 33 (800 s).
    const { jobs, emittedAt, counts } = importFixture({ atZero: 'start' });
    expect(jobs[0]).toEqual({
      id: '100',
      submit: 0,
      attrs: { user: 'u0', class: '2' },
      tasks: [{ cpus: 16, mem: 32768, disk: 1048.576, duration: 700, preferredAgents: ['7'] }],
      priority: 9,
    });
    expect(emittedAt).toEqual([
      ['100', 33],
      ['200', 33],
      ['300', 33],
      ['400', 0],
    ]);
    // The 3 at-zero rows are now used: 16 + 3.
    expect([counts.rowsUsed, counts.skipped['at-zero'], counts.notes['at-zero-started'], counts.notes['no-job-events']]).toEqual([19, undefined, 1, 2]);
    expect(counts.rowsUsed + sum(counts.skipped)).toBe(counts.rows);
  });

  test('closeAfter: a job still within it takes a new task (line 33), which then never runs', () => {
    // With 1000 s, job 200 never closes before the end; 200/2 is submitted at 800 s and is pending
    // at the end of the file (1 unfinished row); jobs are all written at the end.
    const { jobs, emittedAt, counts } = importFixture({ closeAfter: 1000 });
    expect(jobs.map((j) => j.tasks.length)).toEqual([2, 1, 1]);
    expect(emittedAt).toEqual([
      ['200', 0],
      ['300', 0],
      ['400', 0],
    ]);
    expect([counts.skipped['after-close'], counts.skipped['unfinished']]).toEqual([undefined, 4]);
    expect(counts.rowsUsed + sum(counts.skipped)).toBe(counts.rows);
  });

  test('without job_events there are no name attributes; locality false drops the machine hints; units scale', () => {
    const { jobs, counts } = importFixture({ locality: false, cpusPerUnit: 2, memPerUnit: 1024, diskPerUnit: 1000 }, false);
    expect(jobs[0]!.attrs).toEqual({ user: 'u2', class: '1' });
    expect(jobs[0]!.tasks[0]).toEqual({ cpus: 0.25, mem: 64, disk: 0.1, duration: 30 });
    expect(counts.notes['no-job-events']).toBeUndefined();
    expect(counts.notes['jobEvents:rows']).toBeUndefined();
  });

  test('a task killed while pending after an evicted run keeps that run and its request; a 0 us run is 1 us', () => {
    const imp = new Google2011Importer();
    const jobs: CanonicalJob[] = [];
    const problems: RowProblem[] = [];
    const sink = { job: (j: CanonicalJob) => jobs.push(j), problem: (p: RowProblem) => problems.push(p) };
    [
      '100000000,,1,0,,0,u,0,1,0.5,0.5,0,0', //    1/0 SUBMIT at 100 s
      '101000000,,1,0,5,1,u,0,1,0.5,0.5,0,0', //   1/0 SCHEDULE on m5
      '111000000,,1,0,5,2,u,0,1,0.5,0.5,0,0', //   EVICT: run 101-111 = 10 s with 0.5 CPU, 0.5 memory
      '111000000,,1,0,,0,u,0,1,0.25,0.25,0,0', //  resubmitted asking less
      '120000000,,1,0,,5,u,0,1,0.25,0.25,0,0', //  KILL while pending: the evicted run is its last run
      '120000000,,1,1,,0,u,0,1,0.125,0,0,0', //    1/1 SUBMIT
      '121000000,,1,1,6,1,u,0,1,0.125,0,0,0', //   SCHEDULE on m6
      '121000000,,1,1,6,4,u,0,1,0.125,0,0,0', //   FINISH at once: 0 us, kept as 1 us
    ].forEach((l, i) => imp.line(l, i + 1, sink));
    imp.end(sink);
    expect(problems).toEqual([]);
    expect(jobs).toEqual([
      {
        id: '1',
        submit: 100,
        attrs: { user: 'u', class: '0' },
        priority: 1,
        tasks: [
          { cpus: 16, mem: 65536, disk: 0, duration: 10, preferredAgents: ['5'] },
          { cpus: 4, mem: 0, disk: 0, duration: 1e-6, preferredAgents: ['6'] },
        ],
      },
    ]);
    const c = imp.counts();
    expect([c.rowsUsed, c.rows, c.tasks]).toEqual([8, 8, 2]);
    expect(c.notes).toEqual({ 'ended-evict': 1, 'ended-finish': 1, 'peak-buffered-jobs': 1, resubmissions: 1, 'zero-duration': 1 });
  });

  test('bad options are refused, naming the option', () => {
    expect(() => new Google2011Importer({ atZero: 'later' as 'skip' })).toThrow(/atZero.*skip, start/);
    expect(() => new Google2011Importer({ cpusPerUnit: 0 })).toThrow(/cpusPerUnit/);
    expect(() => new Google2011Importer({ memPerUnit: -1 })).toThrow(/memPerUnit/);
    expect(() => new Google2011Importer({ diskPerUnit: Number.NaN })).toThrow(/diskPerUnit/);
    expect(() => new Google2011Importer({ closeAfter: -1 })).toThrow(/closeAfter/);
    expect(() => new Google2011Importer({ locality: 'yes' as unknown as boolean })).toThrow(/locality/);
    const fmt = traceFormat('google-2011')!;
    expect(() => fmt.create({ colour: 1 })).toThrow(/unknown option "colour"/);
    expect(fmt.create({ jobEvents: 'x.csv', atZero: 'start' }).format).toBe('google-2011');
  });
});
