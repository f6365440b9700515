/**
 * The record log: every sink sees every record, in order, as the object the model would have
 * built, whether it reads blocks or records, whatever the block size; blocks reach sinks at the
 * end of each kernel event.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Phase } from '../kernel/phases.js';
import { Simulator } from '../kernel/simulator.js';
import type { LogRecord, LogSink } from './log.js';
import { RecordBlock } from './record-block.js';
import { RecordLog } from './record-log.js';
import { writeRecord as write } from './test-support/replay.js';

/** One record of each hot kind (every field distinct, so that a field read from the wrong column shows) and two others. */
const SAMPLES: readonly LogRecord[] = [
  { kind: 'offer_sent', t: 5, offer: 11, framework: 2, agent: 7, res: [1000, 2048000, 3000, 0] },
  { kind: 'offer_accepted', t: 5, offer: 11, framework: 2, agent: 7, tasks: 3, used: [500, 1024000, 0, 1], refuse: 5_000_000 },
  { kind: 'offer_declined', t: 6, offer: 12, framework: 3, agent: 8, refuse: 1_000_000 },
  { kind: 'task_state', t: 6, task: 40, job: 4, framework: 2, agent: 7, state: 'running', res: [250, 512000, 10, 0] },
  { kind: 'task_locality', t: 6, task: 40, job: 4, framework: 2, agent: 7, locality: 'rack' },
  { kind: 'allocation_run', t: 7, candidates: 9, offers: 2 },
  { kind: 'run_ended', t: 9, reason: 'duration' },
];

/** A sink that reads records one at a time, and one that reads blocks and turns each row back into its record. */
function sinks(): { plain: LogSink & { seen: LogRecord[] }; blocks: LogSink & { seen: LogRecord[]; calls: number } } {
  const plain = {
    seen: [] as LogRecord[],
    record(r: LogRecord) {
      plain.seen.push(r);
    },
  };
  const blocks = {
    seen: [] as LogRecord[],
    calls: 0,
    record(): void {
      throw new Error('a block sink is never called record by record');
    },
    block(b: RecordBlock) {
      blocks.calls++;
      for (let i = 0; i < b.length; i++) blocks.seen.push(b.record(i));
    },
  };
  return { plain, blocks };
}

describe('RecordLog', () => {
  test('each hot kind comes back as the object the model built, with its keys in the same order (events.jsonl bytes)', () => {
    const { plain, blocks } = sinks();
    const log = new RecordLog([plain, blocks]);
    for (const r of SAMPLES) write(log, r);
    expect(plain.seen).toEqual([]); // nothing before the flush
    log.flush();
    expect(plain.seen.map((r) => JSON.stringify(r))).toEqual(SAMPLES.map((r) => JSON.stringify(r)));
    expect(blocks.seen.map((r) => JSON.stringify(r))).toEqual(SAMPLES.map((r) => JSON.stringify(r)));
    expect(blocks.calls).toBe(1);
  });

  test('any mix of records, any block size: every sink sees all of them in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: SAMPLES.length - 1 }), { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (picks, capacity) => {
        const { plain, blocks } = sinks();
        const log = new RecordLog([blocks, plain], capacity);
        const want = picks.map((k, i) => ({ ...SAMPLES[k]!, t: i }));
        for (const r of want) write(log, r);
        // A full block goes out at once: at most capacity - 1 records wait for the flush.
        expect(log.buffered).toBe(want.length % capacity);
        log.flush();
        expect(plain.seen).toEqual(want);
        expect(blocks.seen).toEqual(want);
        expect(blocks.calls).toBe(Math.ceil(want.length / capacity));
      }),
    );
  });

  test('the simulation hands a block to the sinks at the end of each event, inside it', () => {
    const sim = new Simulator();
    const { plain } = sinks();
    const log = new RecordLog([plain]);
    sim.onEventEnd(() => log.flush());
    const seenAtStart: number[] = [];
    const h = sim.register('two-records', (i) => {
      seenAtStart.push(plain.seen.length);
      log.record({ kind: 'suppress', t: sim.now, framework: i });
      log.offerDeclined(sim.now, i, i, 0, 0);
    });
    sim.at(1, Phase.ARRIVAL, h, 0);
    sim.at(2, Phase.ARRIVAL, h, 1);
    sim.run();
    // Each event starts with the previous event's records delivered: 0, then 2.
    expect(seenAtStart).toEqual([0, 2]);
    expect(plain.seen.map((r) => `${r.t}:${r.kind}`)).toEqual(['1:suppress', '1:offer_declined', '2:suppress', '2:offer_declined']);
  });

  test("what a sink throws at an event's end is stamped with that event", () => {
    const sim = new Simulator();
    const log = new RecordLog([
      {
        record: (r) => {
          if (r.t === 3) throw new Error('bad record');
        },
      },
    ]);
    sim.onEventEnd(() => log.flush());
    const h = sim.register('declines', () => log.offerDeclined(sim.now, 0, 0, 0, 0));
    sim.at(2, Phase.ARRIVAL, h, 0);
    sim.at(3, Phase.ARRIVAL, h, 0);
    expect(() => sim.run()).toThrow(/bad record/);
    expect(sim.now).toBe(3);
  });
});

describe('RecordBlock', () => {
  test('a fresh block is empty and holds its capacity of rows', () => {
    const b = new RecordBlock(4);
    expect(b.length).toBe(0);
    expect(b.kind).toHaveLength(4);
    expect(b.f).toHaveLength(4 * 9);
  });
});
