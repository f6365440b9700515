/**
 * The folds read blocks of records as they read records: the fingerprint's digest and every metric
 * are the same whether a log arrives record by record or in blocks of any size (differential, on
 * real runs and on random records).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { LogRecord } from '../sim/model/log.js';
import { RecordLog } from '../sim/model/record-log.js';
import { replay } from '../sim/model/test-support/replay.js';
import { loadScenario } from '../scenarios/loader.js';
import { simulateScenario } from '../scenarios/run.js';
import { Fingerprint } from './fingerprint.js';
import { MetricsFold } from './metrics-fold.js';

/** Every record of a run of `file`, as objects (a sink without `block` gets them one at a time). */
function logOf(file: string, overrides: readonly string[] = []): { records: LogRecord[]; fingerprint: string } {
  const records: LogRecord[] = [];
  const o = simulateScenario(loadScenario(file, overrides), { sinks: [{ record: (r) => void records.push(r) }] });
  return { records, fingerprint: o.fingerprint };
}

// Runs with every hot kind: locality (task_locality), failures (rescinds, lost tasks), gang restarts.
const RUNS = ['scenarios/golden/small.yaml', 'scenarios/examples/locality.yaml', 'scenarios/examples/failures.yaml', 'scenarios/examples/gang-service.yaml'];

describe('folds over blocks', () => {
  test.each(RUNS)('%s: the run fingerprint (folded from blocks) equals the one folded record by record', (file) => {
    const { records, fingerprint } = logOf(file);
    const kinds = new Set(records.map((r) => r.kind));
    expect(kinds.has('offer_sent') && kinds.has('task_state')).toBe(true);
    const byRecord = new Fingerprint();
    for (const r of records) byRecord.record(r);
    expect(byRecord.digest()).toBe(fingerprint);
    expect(byRecord.count).toBe(records.length);
  });

  test.each(RUNS)('%s: every metric is the same from blocks of any size as from records', (file) => {
    const { records } = logOf(file);
    const byRecord = new MetricsFold();
    for (const r of records) byRecord.record(r);
    const want = JSON.stringify(byRecord.finish());
    for (const capacity of [1, 7, 4096]) {
      const byBlock = new MetricsFold();
      replay(new RecordLog([byBlock], capacity), records);
      expect(JSON.stringify(byBlock.finish())).toBe(want);
    }
  });

  test('the locality run logs task_locality rows, so the comparison above covers them', () => {
    expect(logOf('scenarios/examples/locality.yaml').records.some((r) => r.kind === 'task_locality')).toBe(true);
  });

  test('random hot records: the block digest equals the record digest, and a changed field changes it', () => {
    const num = fc.integer({ min: 0, max: 2 ** 40 });
    const res = fc.tuple(num, num, num, num);
    const record: fc.Arbitrary<LogRecord> = fc.oneof(
      fc.record({ kind: fc.constant('offer_sent' as const), t: num, offer: num, framework: num, agent: num, res }),
      fc.record({ kind: fc.constant('offer_accepted' as const), t: num, offer: num, framework: num, agent: num, tasks: num, used: res, refuse: num }),
      fc.record({ kind: fc.constant('offer_declined' as const), t: num, offer: num, framework: num, agent: num, refuse: num }),
      fc.record({
        kind: fc.constant('task_state' as const),
        t: num,
        task: num,
        job: num,
        framework: num,
        agent: num,
        state: fc.constantFrom('staging' as const, 'running' as const, 'finished' as const, 'lost' as const),
        res,
      }),
      fc.record({
        kind: fc.constant('task_locality' as const),
        t: num,
        task: num,
        job: num,
        framework: num,
        agent: num,
        locality: fc.constantFrom('node' as const, 'rack' as const, 'remote' as const),
      }),
      fc.record({ kind: fc.constant('revive' as const), t: num, framework: num }),
    );
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (records, capacity, pick) => {
        const byRecord = new Fingerprint();
        for (const r of records) byRecord.record(r);
        const byBlock = new Fingerprint();
        replay(new RecordLog([byBlock], capacity), records);
        expect(byBlock.digest()).toBe(byRecord.digest());
        expect(byBlock.count).toBe(records.length);
        // One number of one record one larger (any field, a resource entry included): another digest,
        // so every field is hashed from its column.
        const i = pick % records.length;
        const r = records[i]! as unknown as Record<string, unknown>;
        const fields = Object.keys(r).flatMap((k) =>
          typeof r[k] === 'number' ? [[k, -1] as const] : Array.isArray(r[k]) ? [0, 1, 2, 3].map((j) => [k, j] as const) : [],
        );
        const [key, at] = fields[Math.floor(pick / records.length) % fields.length]!;
        const changed = { ...r } as Record<string, unknown>;
        if (at < 0) changed[key] = (r[key] as number) + 1;
        else changed[key] = (r[key] as number[]).map((x, j) => (j === at ? x + 1 : x));
        const other = new Fingerprint();
        replay(
          new RecordLog([other], capacity),
          records.map((x, k) => (k === i ? (changed as unknown as LogRecord) : x)),
        );
        expect(other.digest()).not.toBe(byRecord.digest());
      }),
    );
  });
});
