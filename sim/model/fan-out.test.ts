/** The log fan-out: every sink gets every record, in sink order, whatever the number of sinks. */
import { describe, expect, test } from '@jest/globals';
import type { LogRecord, LogSink } from './log.js';
import { fanOut } from './simulation.js';

describe('fanOut', () => {
  test.each([0, 1, 2, 3, 4, 5, 7])('%i sinks each see every record, in order', (n) => {
    const seen: string[] = [];
    const sinks: LogSink[] = [];
    for (let i = 0; i < n; i++)
      sinks.push({
        record: (r) => {
          seen.push(`${i}:${r.t}`);
        },
      });
    const log = fanOut(sinks);
    for (let t = 0; t < 3; t++) log.record({ kind: 'allocation_run', t, candidates: 0, offers: 0 } satisfies LogRecord);
    const want: string[] = [];
    for (let t = 0; t < 3; t++) for (let i = 0; i < n; i++) want.push(`${i}:${t}`);
    expect(seen).toEqual(want);
  });

  test('a single sink is used as is', () => {
    const sink: LogSink = { record: () => {} };
    expect(fanOut([sink])).toBe(sink);
  });
});
