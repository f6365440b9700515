/**
 * Replay: events.jsonl text folds into the metrics the records themselves fold into, and a line
 * that is not a record is reported by its number.
 */
import { describe, expect, test } from '@jest/globals';
import type { LogRecord } from '../sim/model/log.js';
import { MetricsFold } from './metrics-fold.js';
import { EventLineError, foldEventLines, parseEventLine } from './replay.js';
import { streamA, streamB } from './test-support/log.js';
import { frameworksCsv, jobsCsv, summaryJson, timeseriesCsv } from './writers.js';

/** events.jsonl as the runner writes it: one JSON object a line, a final newline. */
const jsonl = (records: readonly LogRecord[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('foldEventLines', () => {
  test.each([
    ['A', streamA()],
    ['B', streamB()],
  ] as const)('stream %s read back gives the files its records give', (_, records) => {
    const direct = new MetricsFold({ sampleInterval: 500_000 });
    for (const r of records) direct.record(r);
    const want = direct.finish();
    const got = foldEventLines(jsonl(records).split('\n'), { sampleInterval: 500_000 });
    expect(summaryJson(got.summary)).toBe(summaryJson(want.summary));
    expect(jobsCsv(got.jobs)).toBe(jobsCsv(want.jobs));
    expect(frameworksCsv(got.frameworks)).toBe(frameworksCsv(want.frameworks));
    expect(timeseriesCsv(got.samples, got.frameworks)).toBe(timeseriesCsv(want.samples, want.frameworks));
  });

  test('stream B read back: one job of 1.75 s over a run of 2 s (worked out in writers.test.ts)', () => {
    const s = foldEventLines(jsonl(streamB()).split('\n')).summary;
    expect([s.jobs, s.jobsFinished, s.runEnd, s.makespan]).toEqual([1, 1, 2_000_000, 1_750_000]);
  });

  test('a bad line is named by its number, counting empty lines', () => {
    const lines = jsonl(streamB()).split('\n');
    lines.splice(2, 0, '', '{"kind":"suppress"');
    expect(() => foldEventLines(lines)).toThrow(new EventLineError('not JSON: ' + jsonError('{"kind":"suppress"'), 4));
  });
});

describe('parseEventLine', () => {
  test('a record', () => {
    expect(parseEventLine('{"kind":"run_ended","t":5,"reason":"completed"}', 1)).toEqual({ kind: 'run_ended', t: 5, reason: 'completed' });
  });

  test.each([
    ['[1,2]', 'events.jsonl:7: not a JSON object'],
    ['null', 'events.jsonl:7: not a JSON object'],
    ['{"t":5}', 'events.jsonl:7: a record needs a string "kind" and a number "t"'],
    ['{"kind":"suppress","t":"5"}', 'events.jsonl:7: a record needs a string "kind" and a number "t"'],
  ])('%s', (line, message) => {
    expect(() => parseEventLine(line, 7)).toThrow(message);
  });
});

/** The message JSON.parse gives for `text`. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} is JSON`);
}
