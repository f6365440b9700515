/**
 * Fingerprint: deterministic, sensitive to every field of every record kind and to order, exact
 * on non-integers. (A hash cannot be worked out by hand, so the golden run files pin its value.)
 */
import { describe, expect, test } from '@jest/globals';
import type { LogRecord } from '../sim/model/log.js';
import { KIND_CODE, Fingerprint } from './fingerprint.js';
import { streamA } from './test-support/log.js';

function digest(records: readonly LogRecord[]): string {
  const f = new Fingerprint();
  for (const r of records) f.record(r);
  return f.digest();
}

/** Every variant of `r` with exactly one field changed (numbers +1 and +0.5, strings, tuple entries). */
function mutations(r: LogRecord): LogRecord[] {
  const out: LogRecord[] = [];
  const fields = r as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'kind') continue;
    const put = (x: unknown): void => {
      out.push({ ...fields, [k]: x } as unknown as LogRecord);
    };
    if (typeof v === 'number') {
      put(v + 1);
      put(v + 0.5);
    } else if (typeof v === 'string') {
      put(v + 'x');
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) put(v.map((e: number, j) => (j === i ? e + 1 : e)));
    } else {
      throw new Error(`field ${k} of ${r.kind} has an unexpected type`);
    }
  }
  return out;
}

/** Stream A with a task_locality record after task 1's running record, so every kind appears. */
function streamWithLocality(): LogRecord[] {
  const a = streamA();
  const i = a.findIndex((r) => r.kind === 'task_state' && r.task === 1 && r.state === 'running');
  const r = a[i]!;
  a.splice(i + 1, 0, { kind: 'task_locality', t: r.t, task: 1, job: 0, framework: 0, agent: 0, locality: 'rack' });
  return a;
}

describe('Fingerprint', () => {
  const base = streamWithLocality();
  const baseDigest = digest(base);

  test('16 hex digits, the same for the same stream, independent of digest() calls midway', () => {
    expect(baseDigest).toMatch(/^[0-9a-f]{16}$/);
    expect(digest(streamWithLocality())).toBe(baseDigest);
    const f = new Fingerprint();
    for (const r of base) {
      f.record(r);
      f.digest();
    }
    expect(f.digest()).toBe(baseDigest);
    expect(f.count).toBe(base.length);
  });

  test('the stream has every record kind', () => {
    expect(new Set(base.map((r) => r.kind)).size).toBe(14);
  });

  test('a task_locality record changes the digest; its locality is hashed', () => {
    expect(digest(streamA())).not.toBe(baseDigest);
    const rec = (l: 'node' | 'rack' | 'remote'): LogRecord => ({ kind: 'task_locality', t: 0, task: 0, job: 0, framework: 0, agent: 0, locality: l });
    expect(new Set([digest([rec('node')]), digest([rec('rack')]), digest([rec('remote')])]).size).toBe(3);
  });

  test('changing any single field of any record changes the digest, each change differently', () => {
    const seen = new Set<string>([baseDigest]);
    let n = 0;
    base.forEach((r, i) => {
      for (const m of mutations(r)) {
        const d = digest([...base.slice(0, i), m, ...base.slice(i + 1)]);
        expect(d).not.toBe(baseDigest);
        seen.add(d);
        n++;
      }
    });
    expect(n).toBeGreaterThan(200);
    expect(seen.size).toBe(n + 1);
  });

  test('record order matters; so do dropped, repeated and added records', () => {
    const swapped = [...base];
    [swapped[7], swapped[8]] = [swapped[8]!, swapped[7]!];
    expect(digest(swapped)).not.toBe(baseDigest);
    expect(digest(base.slice(0, -1))).not.toBe(baseDigest);
    expect(digest([...base, base[base.length - 1]!])).not.toBe(baseDigest);
    expect(digest([])).not.toBe(digest([base[0]!]));
  });

  test('string boundaries are part of the hash', () => {
    const a = (name: string, rack: string): LogRecord => ({ kind: 'agent_added', t: 0, agent: 0, name, rack, res: [0, 0, 0, 0] });
    expect(digest([a('ab', 'c')])).not.toBe(digest([a('a', 'bc')]));
    expect(digest([a('abc', '')])).not.toBe(digest([a('ab', 'c')]));
    expect(digest([a('a\u0000', '')])).not.toBe(digest([a('a', '')]));
  });

  test('numbers are hashed exactly: the smallest double step and huge values differ; -0 is 0', () => {
    const w = (weight: number): LogRecord => ({ kind: 'framework_added', t: 0, framework: 0, name: 'f', role: 'r', weight, behaviour: 'b' });
    expect(digest([w(1)])).not.toBe(digest([w(1 + Number.EPSILON)]));
    expect(digest([w(0.1)])).not.toBe(digest([w(0.1 + 0.2 - 0.2)]));
    expect(digest([w(2 ** 53)])).not.toBe(digest([w(2 ** 53 + 2)]));
    expect(digest([w(4294967296)])).not.toBe(digest([w(0)])); // 2^32: low word 0, like 0's
    expect(digest([w(-0)])).toBe(digest([w(0)]));
    expect(digest([w(NaN)])).toBe(digest([w(-NaN)]));
    expect(digest([w(NaN)])).not.toBe(digest([w(0)]));
  });
});

describe('framework lifecycle and task error records', () => {
  // Kinds outside stream A: each is hashed with every field.
  const lifecycle: LogRecord[] = [
    { kind: 'framework_disconnected', t: 12_000_000, framework: 0, failoverTimeout: 30_000_000 },
    { kind: 'framework_reconnected', t: 20_000_000, framework: 0 },
    { kind: 'framework_reconnect_refused', t: 52_000_000, framework: 1 },
    { kind: 'framework_removed', t: 42_000_000, framework: 1, tasksKilled: 2, jobsDropped: 1 },
    { kind: 'job_dropped', t: 42_000_000, job: 3, framework: 1, dropped: 1 },
    { kind: 'task_error', t: 43_000_000, task: 7, framework: 0, offer: 9, reason: 'insufficient_resources' },
  ];

  test('changing any single field changes the digest, each change differently', () => {
    const base = digest(lifecycle);
    const seen = new Set<string>([base]);
    let n = 0;
    lifecycle.forEach((r, i) => {
      for (const m of mutations(r)) {
        seen.add(digest([...lifecycle.slice(0, i), m, ...lifecycle.slice(i + 1)]));
        n++;
      }
    });
    expect(n).toBe(2 * (3 + 2 + 2 + 4 + 4 + 4) + 1);
    expect(seen.size).toBe(n + 1);
  });

  test('kinds with the same fields still differ', () => {
    const again: LogRecord = { kind: 'framework_reconnected', t: 52_000_000, framework: 1 };
    expect(digest([again])).not.toBe(digest([lifecycle[2]!]));
  });
});

describe('kind codes', () => {
  test('every record kind has its own code, so no two kinds can feed the same words', () => {
    const codes = Object.values(KIND_CODE);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("multi-role frameworks' fields", () => {
  const base: LogRecord[] = [
    { kind: 'framework_added', t: 0, framework: 0, name: 'f', role: 'a', weight: 1, behaviour: 'batch', roles: ['a', 'b'] },
    { kind: 'offer_sent', t: 1, offer: 0, framework: 0, agent: 0, res: [1000, 0, 0, 0], role: 'a' },
    { kind: 'suppress', t: 2, framework: 0, roles: ['a'] },
    { kind: 'framework_reconnected', t: 3, framework: 0, suppressedRoles: ['a'] },
  ];
  test('each enters the digest: another role, another digest', () => {
    const d = digest(base);
    const changed: LogRecord[][] = [
      base.map((r) => (r.kind === 'framework_added' ? { ...r, roles: ['a', 'c'] } : r)),
      base.map((r) => (r.kind === 'offer_sent' ? { ...r, role: 'b' } : r)),
      base.map((r) => (r.kind === 'suppress' ? { ...r, roles: ['b'] } : r)),
      base.map((r) => (r.kind === 'framework_reconnected' ? { ...r, suppressedRoles: [] } : r)),
    ];
    for (const c of changed) expect(digest(c)).not.toBe(d);
  });
});
