/**
 * The SWIM importer on two hand-written fixtures, the 2009 layout (6 fields) and the 2010
 * withInputPaths layout (path and two empty fields), every kind of bad row and every derived
 * number (maps, reduces, durations, blocks) worked out by hand below.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalJob } from './canonical.js';
import { SwimImporter, type SwimOptions } from './swim.js';
import { driveJobs } from './test-support/drive.js';

const FB2009 = readFileSync(fileURLToPath(new URL('./fixtures/swim-fb2009.tsv', import.meta.url)), 'utf8');
const FB2010 = readFileSync(fileURLToPath(new URL('./fixtures/swim-fb2010-paths.tsv', import.meta.url)), 'utf8');

function importText(text: string, options: SwimOptions = {}) {
  return driveJobs(new SwimImporter(options), text);
}

const sumSkipped = (s: Readonly<Record<string, number>>): number => Object.values(s).reduce((a, b) => a + b, 0);

// Defaults: block 64 MB, 1024 MB per reduce, maps read 8 MB/s, reduces handle 4 MB/s, 2 s
// overhead, 1 core and 1024 MB per task (MB = 2^20 bytes). A full 64 MB map: 64/8 + 2 = 10 s;
// a 1024 MB reduce: 1024/4 + 2 = 258 s.
const M = (duration: number, extra: object = {}) => ({ cpus: 1, mem: 1024, duration, ...extra });

describe('SWIM importer, 2009 layout (fixtures/swim-fb2009.tsv)', () => {
  // Line 8 blank: 1 ignored, 11 data rows.
  // 1: job0, input 128 MB: 2 blocks, 2 maps of 64 MB = 10 s; no shuffle or output: no reduces
  // 2: job1, input 96 MB: ceil(1.5) = 2 maps of 48 MB = 48/8 + 2 = 8 s;
  //    shuffle + output 512 + 512 MB: 1 reduce, 1024/4 + 2 = 258 s
  // 3: job2, input 0: one map of the overhead, 2 s; output 1000 B: 1 reduce,
  //    2 + 1000 / 4194304 = 2.000238418... -> 2.000238 s (microseconds)
  // 4: job3, input "12x"                      -> skipped: number
  // 5: job4, 5 fields                         -> skipped: fields
  // 6: job5, submit 15 after job2's 20        -> skipped: out-of-order
  // 7: job6, input -5                         -> skipped: size
  // 9: job7, submit -3                        -> skipped: submit
  // 10: job8, input 64 MB + 1 B: 2 blocks, 2 maps of 33554432.5 B = 4.0000000596 + 2 s -> 6 s;
  //    shuffle 3 GB + output 1 GB: 4 reduces of 1 GB = 258 s
  // 11: job9, input field empty               -> skipped: number
  // 12: job10, input 1 MB, a trailing tab (dropped): 1 map, 1/8 + 2 = 2.125 s; no reduces
  test('jobs and tasks as worked out by hand; no path, no blocks', () => {
    const { jobs } = importText(FB2009);
    expect(jobs).toEqual([
      { id: 'job0', submit: 10, attrs: { name: 'job0' }, tasks: [M(10, { count: 2 })] },
      { id: 'job1', submit: 20, attrs: { name: 'job1' }, tasks: [M(8, { count: 2 }), M(258)] },
      { id: 'job2', submit: 20, attrs: { name: 'job2' }, tasks: [M(2), M(2.000238)] },
      { id: 'job8', submit: 50, attrs: { name: 'job8' }, tasks: [M(6, { count: 2 }), M(258, { count: 4 })] },
      { id: 'job10', submit: 70, attrs: { name: 'job10' }, tasks: [M(2.125)] },
    ]);
  });

  test('every bad row is reported with its line and reason, and the counts add up', () => {
    const { problems, counts } = importText(FB2009);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [4, 'number'],
      [5, 'fields'],
      [6, 'out-of-order'],
      [7, 'size'],
      [9, 'submit'],
      [11, 'number'],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'field 4 (map input bytes) is not a number: "12x"',
      'expected 6 tab-separated fields, or 7 with the input path, found 5',
      "submit time 15 is earlier than the previous job's 20",
      'field 4 (map input bytes) is negative: -5',
      'field 2 (submit time) is negative: -3',
      'field 4 (map input bytes) is not a number: ""',
    ]);
    expect(counts).toEqual({
      lines: 12,
      ignored: 1,
      rows: 11,
      rowsUsed: 5,
      skipped: { fields: 1, number: 2, 'out-of-order': 1, size: 1, submit: 1 },
      jobs: 5,
      tasks: 2 + (2 + 1) + (1 + 1) + (2 + 4) + 1,
      // maps 2 + 2 + 1 + 2 + 1 = 8, reduces 0 + 1 + 1 + 4 + 0 = 6; no reduces: job0, job10
      notes: { 'map-tasks': 8, 'no-path': 5, 'no-reduces': 2, 'reduce-tasks': 6, 'zero-input': 1 },
    });
    expect(counts.rowsUsed + sumSkipped(counts.skipped)).toBe(counts.rows);
  });

  test('jobBlocks: maps without a path read per-job blocks <job>#<k>; a job without input has none', () => {
    const { jobs, counts } = importText(FB2009, { jobBlocks: true });
    expect(jobs.map((j) => j.tasks)).toEqual([
      [M(10, { blocks: ['job0#0'] }), M(10, { blocks: ['job0#1'] })],
      [M(8, { blocks: ['job1#0'] }), M(8, { blocks: ['job1#1'] }), M(258)],
      [M(2), M(2.000238)],
      [M(6, { blocks: ['job8#0'] }), M(6, { blocks: ['job8#1'] }), M(258, { count: 4 })],
      [M(2.125, { blocks: ['job10#0'] })],
    ]);
    expect(counts.tasks).toBe(14);
  });

  test('caps merge maps (and reduces) into fewer, longer ones, keeping every byte', () => {
    // maxMapsPerJob 1: job0 one map of 128 MB = 16 + 2 = 18 s; job1 96 MB = 12 + 2 = 14 s;
    // job8 64 MB + 1 B = 8.0000001 + 2 -> 10 s. maxReducesPerJob 2: job8 2 reduces of 2 GB =
    // 2048/4 + 2 = 514 s.
    const { jobs, counts } = importText(FB2009, { maxMapsPerJob: 1, maxReducesPerJob: 2 });
    expect(jobs.map((j) => j.tasks)).toEqual([[M(18)], [M(14), M(258)], [M(2), M(2.000238)], [M(10), M(514, { count: 2 })], [M(2.125)]]);
    expect(counts.tasks).toBe(1 + 2 + 2 + 3 + 1);
    expect(counts.notes).toMatchObject({ 'maps-capped': 3, 'reduces-capped': 1, 'map-tasks': 5, 'reduce-tasks': 4 });
  });

  test('sizes, rates, overhead and resources are options', () => {
    // job1 with 32 MB blocks, 512 MB per reduce, 16 MB/s maps, 8 MB/s reduces, no overhead:
    // 96/32 = 3 maps of 32 MB = 2 s; 1024/512 = 2 reduces of 512 MB = 64 s.
    // job2 (no input) has a map of 0 s, kept as one microsecond; its reduce 1000 B / 8 MB/s =
    // 0.000119209... -> 0.000119 s.
    const { jobs } = importText(FB2009, {
      blockSizeMB: 32,
      reduceInputMB: 512,
      mapRateMBps: 16,
      reduceRateMBps: 8,
      taskOverhead: 0,
      cpusPerMap: 0.5,
      cpusPerReduce: 2,
      memPerMap: 512,
      memPerReduce: 4096,
    });
    expect(jobs[1]!.tasks).toEqual([
      { cpus: 0.5, mem: 512, duration: 2, count: 3 },
      { cpus: 2, mem: 4096, duration: 64, count: 2 },
    ]);
    expect(jobs[2]!.tasks).toEqual([
      { cpus: 0.5, mem: 512, duration: 1e-6 },
      { cpus: 2, mem: 4096, duration: 0.000119 },
    ]);
  });

  test('bad options are refused, naming the option', () => {
    expect(() => new SwimImporter({ blockSizeMB: 0 })).toThrow(/blockSizeMB/);
    expect(() => new SwimImporter({ reduceInputMB: -1 })).toThrow(/reduceInputMB/);
    expect(() => new SwimImporter({ mapRateMBps: Infinity })).toThrow(/mapRateMBps/);
    expect(() => new SwimImporter({ reduceRateMBps: '4' as unknown as number })).toThrow(/reduceRateMBps/);
    expect(() => new SwimImporter({ taskOverhead: -1 })).toThrow(/taskOverhead/);
    expect(() => new SwimImporter({ cpusPerMap: 0 })).toThrow(/cpusPerMap/);
    expect(() => new SwimImporter({ cpusPerReduce: NaN })).toThrow(/cpusPerReduce/);
    expect(() => new SwimImporter({ memPerMap: -5 })).toThrow(/memPerMap/);
    expect(() => new SwimImporter({ memPerReduce: -5 })).toThrow(/memPerReduce/);
    expect(() => new SwimImporter({ maxMapsPerJob: 1.5 })).toThrow(/maxMapsPerJob/);
    expect(() => new SwimImporter({ maxReducesPerJob: -1 })).toThrow(/maxReducesPerJob/);
    expect(() => new SwimImporter({ jobBlocks: 'yes' as unknown as boolean })).toThrow(/jobBlocks/);
    expect(() => new SwimImporter({ maxMapsPerJob: 0, taskOverhead: 0 })).not.toThrow();
  });
});

describe('SWIM importer, 2010 withInputPaths layout (fixtures/swim-fb2010-paths.tsv)', () => {
  // No blank lines: 11 data rows. Map k of a job with input path p reads block p#k.
  // 1: job0, inputPath1, 192 MB: 3 maps of 10 s, blocks inputPath1#0, #1, #2; no reduces
  // 2: job1, inputPath2, 64 MB: 1 map of 10 s, block inputPath2#0; 1 + 1 GB: 2 reduces of 258 s
  // 3: job2, inputPath1 again, 128 MB: 2 maps of 10 s, blocks inputPath1#0, #1 (job0's)
  // 4: job3, inputPath3, no input: 1 map of 2 s without blocks; no reduces
  // 5: job4, inputPath4, 7 fields (no empty ones), 1 MB: 1 map of 2.125 s, block inputPath4#0
  // 6: job5, fields 8-9 not empty ("x", "y"): 9 fields   -> skipped: fields
  // 7: job6, shuffle -1                                  -> skipped: size
  // 8: job7, submit 3 after job4's 8                     -> skipped: out-of-order
  // 9: job8, shuffle "abc"                               -> skipped: number
  // 10: job9, inputPath1, 1280 MB: 20 maps of 10 s, blocks inputPath1#0..#19
  // 11: job10, 6 fields (no path), 1 MB: 1 map of 2.125 s, no blocks
  const onePerMap = (path: string, n: number, duration: number) => Array.from({ length: n }, (_, k) => M(duration, { blocks: [`${path}#${k}`] }));

  test('jobs reading the same input path share block ids', () => {
    const { jobs } = importText(FB2010);
    expect(jobs).toEqual([
      { id: 'job0', submit: 0, attrs: { name: 'job0' }, tasks: onePerMap('inputPath1', 3, 10) },
      { id: 'job1', submit: 5, attrs: { name: 'job1' }, tasks: [M(10, { blocks: ['inputPath2#0'] }), M(258, { count: 2 })] },
      { id: 'job2', submit: 5, attrs: { name: 'job2' }, tasks: onePerMap('inputPath1', 2, 10) },
      { id: 'job3', submit: 7, attrs: { name: 'job3' }, tasks: [M(2)] },
      { id: 'job4', submit: 8, attrs: { name: 'job4' }, tasks: [M(2.125, { blocks: ['inputPath4#0'] })] },
      { id: 'job9', submit: 20, attrs: { name: 'job9' }, tasks: onePerMap('inputPath1', 20, 10) },
      { id: 'job10', submit: 21, attrs: { name: 'job10' }, tasks: [M(2.125)] },
    ]);
    const blocksOf = (j: CanonicalJob) => new Set(j.tasks.flatMap((t) => t.blocks ?? []));
    const [b0, , b2, , , b9] = jobs.map(blocksOf);
    expect([...b2!].every((b) => b0!.has(b) && b9!.has(b))).toBe(true);
  });

  test('every bad row is reported with its line and reason, and the counts add up', () => {
    const { problems, counts } = importText(FB2010);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [6, 'fields'],
      [7, 'size'],
      [8, 'out-of-order'],
      [9, 'number'],
    ]);
    expect(problems[0]!.message).toBe('expected 6 tab-separated fields, or 7 with the input path, found 9');
    expect(problems[1]!.message).toBe('field 5 (shuffle bytes) is negative: -1');
    expect(counts).toEqual({
      lines: 11,
      ignored: 0,
      rows: 11,
      rowsUsed: 7,
      skipped: { fields: 1, number: 1, 'out-of-order': 1, size: 1 },
      jobs: 7,
      tasks: 3 + (1 + 2) + 2 + 1 + 1 + 20 + 1,
      // maps 3 + 1 + 2 + 1 + 1 + 20 + 1 = 29; reduces only job1's 2
      notes: { 'map-tasks': 29, 'no-path': 1, 'no-reduces': 6, 'reduce-tasks': 2, 'zero-input': 1 },
    });
    expect(counts.rowsUsed + sumSkipped(counts.skipped)).toBe(counts.rows);
  });

  test('with a cap, a merged map reads the first block of its range', () => {
    // job9: 20 blocks into 8 maps of 1280/8 = 160 MB = 20 + 2 = 22 s; map k starts at block
    // floor(20k/8): 0, 2, 5, 7, 10, 12, 15, 17. job0 (3 maps) is under the cap.
    const { jobs, counts } = importText(FB2010, { maxMapsPerJob: 8 });
    expect(jobs[5]!.tasks).toEqual([0, 2, 5, 7, 10, 12, 15, 17].map((b) => M(22, { blocks: [`inputPath1#${b}`] })));
    expect(jobs[0]!.tasks).toEqual(onePerMap('inputPath1', 3, 10));
    expect(counts.notes['maps-capped']).toBe(1);
    expect(counts.tasks).toBe(31 - 20 + 8);
  });

  test('CRLF line endings read the same', () => {
    const crlf = importText(FB2010.replace(/\n/g, '\r\n'));
    expect(crlf.jobs).toEqual(importText(FB2010).jobs);
    expect(crlf.counts).toEqual(importText(FB2010).counts);
  });
});
