/**
 * The trace sniffer: every fixture and every real trace in ../shared/traces (where present) is
 * recognised as its own format; files of no known shape, and a minority of matching lines, are
 * recognised as nothing.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gunzipSync } from 'node:zlib';
import { sniffTrace } from './sniff.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const TRACES = join(HERE, '..', '..', '..', 'shared', 'traces');

/** The first lines of a file (its first 64 KB, decompressed for .gz: a truncated stream is fine). */
function firstLines(path: string, n = 200): string[] {
  const head = Buffer.alloc(1 << 16);
  const fd = openSync(path, 'r');
  let got: number;
  try {
    got = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, got);
  const text = path.endsWith('.gz') ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8') : bytes.toString('utf8');
  return text.split('\n').slice(0, n);
}

test.each([
  ['small.swf', 'swf'],
  ['small-google-task-events.csv', 'google-2011'],
  ['swim-fb2009.tsv', 'swim'],
  ['swim-fb2010-paths.tsv', 'swim'],
  ['openb-pods.csv', 'alibaba-openb-pods'],
  ['openb-nodes.csv', 'alibaba-openb-nodes'],
  ['machine-meta.csv', 'alibaba-2018-machines'],
])('fixture %s looks like %s (bad rows and all)', (file, format) => {
  expect(sniffTrace(firstLines(join(FIXTURES, file)))?.format).toBe(format);
});

test.each([
  ['small-google-job-events.csv', /job_events .*jobEvents=FILE/],
  ['small.jsonl', /canonical workload/],
  ['cluster.jsonl', /canonical cluster/],
])('fixture %s is a known shape that is not imported on its own', (file, description) => {
  const s = sniffTrace(firstLines(join(FIXTURES, file)));
  expect(s?.format).toBeUndefined();
  expect(s?.description).toMatch(description);
});

test('no lines, prose, and a minority of matching lines are nothing', () => {
  expect(sniffTrace([])).toBeUndefined();
  expect(sniffTrace(['', '  '])).toBeUndefined();
  expect(sniffTrace(['Dear reader,', 'this is a letter.'])).toBeUndefined();
  // one SWF line among three of prose: 1 of 4, not a majority
  const swf = Array.from({ length: 18 }, (_, i) => String(i + 1)).join(' ');
  expect(sniffTrace([swf, 'a', 'b', 'c'])).toBeUndefined();
  expect(sniffTrace([swf, swf, swf, 'c'])?.format).toBe('swf');
});

const REAL: [string, string][] = [
  ['swf/NASA-iPSC-1993-3.1-cln.swf', 'swf'],
  ['swf/HPC2N-2002-2.2_head-alea.swf', 'swf'],
  ['google-2011/task_events_part-00000-of-00500.csv.gz', 'google-2011'],
  ['google-2011/task_events_part-00000_first50-jobs-after-t0.csv', 'google-2011'],
  ['swim/FB-2009_samples_24_times_1hr_0.tsv', 'swim'],
  ['swim/FB-2010_samples_24_times_1hr_withInputPaths_0.tsv', 'swim'],
  ['alibaba-gpu-2023/openb_pod_list_default.csv', 'alibaba-openb-pods'],
  ['alibaba-gpu-2023/openb_node_list_all_node.csv', 'alibaba-openb-nodes'],
  ['alibaba-2018/machine_meta.csv', 'alibaba-2018-machines'],
];
const haveTraces = existsSync(TRACES);
if (!haveTraces) test.skip(`real traces: ${TRACES} is absent (a clone without ../shared); CI has it`, () => undefined);
(haveTraces ? test.each(REAL) : test.skip.each(REAL))('real trace %s looks like %s', (file, format) => {
  expect(sniffTrace(firstLines(join(TRACES, file)))?.format).toBe(format);
});
