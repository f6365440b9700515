/**
 * EventQueue: unit tests and fast-check properties of the (time, phase, seq) order, FIFO ties,
 * tombstone cancel against a sorted-array reference model, and growth.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { EventQueue, type EventHandle } from './event-queue.js';

/** Fixed seed so that CI is reproducible; set FC_SEED to explore other runs. */
const FC = { seed: Number(process.env['FC_SEED'] ?? 20_250_601), numRuns: 300 } as const;

interface Key {
  time: number;
  phase: number;
  seq: number;
}

function compareKeys(a: Key, b: Key): number {
  return a.time - b.time || a.phase - b.phase || a.seq - b.seq;
}

/** Pops everything, copying each record (pop reuses its result object). */
function drain(q: EventQueue): Array<Key & { handler: number; arg: number }> {
  const out: Array<Key & { handler: number; arg: number }> = [];
  for (let ev = q.pop(); ev !== undefined; ev = q.pop()) out.push({ ...ev });
  return out;
}

/** Small ranges so that ties in time and in (time, phase) are common. */
const timeArb = fc.integer({ min: 0, max: 30 });
const phaseArb = fc.integer({ min: 0, max: 5 });

describe('EventQueue basics', () => {
  test('an empty queue pops undefined and peeks Infinity', () => {
    const q = new EventQueue();
    expect(q.pop()).toBeUndefined();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.size).toBe(0);
    expect(q.scheduledCount).toBe(0);
  });

  test('pops by time, then phase, then seq, with handler and arg', () => {
    const q = new EventQueue();
    q.schedule(10, 2, 7, 100);
    q.schedule(5, 4, 8, 101);
    q.schedule(10, 1, 9, 102);
    q.schedule(10, 1, 3, 103);
    expect(q.size).toBe(4);
    expect(q.peekTime()).toBe(5);
    expect(drain(q)).toEqual([
      { time: 5, phase: 4, seq: 1, handler: 8, arg: 101 },
      { time: 10, phase: 1, seq: 2, handler: 9, arg: 102 },
      { time: 10, phase: 1, seq: 3, handler: 3, arg: 103 },
      { time: 10, phase: 2, seq: 0, handler: 7, arg: 100 },
    ]);
    expect(q.size).toBe(0);
    expect(q.scheduledCount).toBe(4);
  });

  test('args keep full float64 precision', () => {
    const q = new EventQueue();
    q.schedule(0, 0, 0, 2 ** 53 - 1);
    q.schedule(1, 0, 0, -0.25);
    expect(q.pop()!.arg).toBe(2 ** 53 - 1);
    expect(q.pop()!.arg).toBe(-0.25);
  });

  test('cancel is a tombstone: peek and pop skip it, size drops at once', () => {
    const q = new EventQueue();
    const a = q.schedule(1, 0, 0, 1, true);
    q.schedule(2, 0, 0, 2);
    expect(q.isPending(a)).toBe(true);
    expect(q.cancel(a)).toBe(true);
    expect(q.isPending(a)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(2);
    expect(q.cancel(a)).toBe(false);
    expect(q.pop()!.arg).toBe(2);
    expect(q.pop()).toBeUndefined();
  });

  test('a popped event cannot be cancelled; handles are seqs, never reused', () => {
    const q = new EventQueue(16);
    const old = q.schedule(1, 0, 0, 1, true);
    expect(q.pop()!.arg).toBe(1);
    expect(q.cancel(old)).toBe(false);
    const fresh = q.schedule(2, 0, 0, 2, true);
    expect(fresh).not.toBe(old);
    expect(q.cancel(old)).toBe(false);
    expect(q.isPending(old)).toBe(false);
    expect(q.isPending(fresh)).toBe(true);
    expect(q.pop()!.arg).toBe(2);
  });

  test('an event scheduled without cancellable has no handle and cannot be cancelled', () => {
    const q = new EventQueue(16);
    expect(q.schedule(1, 0, 0, 1)).toBe(-1);
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(0)).toBe(false); // its seq is not a handle
    expect(q.size).toBe(1);
    expect(q.pop()!.seq).toBe(0);
  });

  test('times, phases and handler ids the packed layout cannot hold are rejected', () => {
    const q = new EventQueue(16);
    expect(() => q.schedule(2 ** 45, 0, 0, 0)).toThrow(RangeError);
    expect(() => q.schedule(-1, 0, 0, 0)).toThrow(RangeError);
    expect(() => q.schedule(1.5, 0, 0, 0)).toThrow(RangeError);
    expect(() => q.schedule(1, 256, 0, 0)).toThrow(RangeError);
    expect(() => q.schedule(1, 0, 64, 0)).toThrow(RangeError);
    expect(() => q.schedule(1, 0, 0.5, 0)).toThrow(RangeError);
    // the largest of each still round-trips exactly
    q.schedule(2 ** 45 - 1, 255, 63, -7);
    expect({ ...q.pop()! }).toEqual({ time: 2 ** 45 - 1, phase: 255, seq: 0, handler: 63, arg: -7 });
  });

  test('an event takes 24 bytes of storage', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 4096; i++) q.schedule(i, 0, 0, i);
    // 4096 events fill a capacity doubled from 16 to exactly 4096
    expect(q.bytesAllocated / q.size).toBe(24);
  });

  test('handles that never existed are rejected', () => {
    const q = new EventQueue(16);
    q.schedule(1, 0, 0, 0);
    for (const h of [-1, 1.5, Number.NaN, 15, 2 ** 24 + 0, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      expect(q.cancel(h)).toBe(false);
      expect(q.isPending(h)).toBe(false);
    }
    expect(q.size).toBe(1);
  });

  test('pop reuses its result object (callers copy what they keep)', () => {
    const q = new EventQueue();
    q.schedule(1, 0, 0, 1);
    q.schedule(2, 0, 0, 2);
    const first = q.pop();
    const second = q.pop();
    expect(second).toBe(first);
    expect(second!.arg).toBe(2);
  });
});

describe('EventQueue properties', () => {
  test('(a) pop order never decreases in (time, phase, seq) when nothing is scheduled before the last pop', () => {
    // Steps: a number >= 0 schedules that far after the last popped time (phase drawn too), -1 pops.
    const step = fc.oneof(fc.record({ delay: fc.integer({ min: 0, max: 5 }), phase: phaseArb }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const q = new EventQueue(16);
        let last: Key = { time: 0, phase: 0, seq: -1 };
        const check = (ev: Key): void => {
          expect(compareKeys(last, ev)).toBeLessThan(0);
          last = { time: ev.time, phase: ev.phase, seq: ev.seq };
        };
        for (const s of steps) {
          if (s === null) {
            const ev = q.pop();
            if (ev !== undefined) check(ev);
          } else {
            const time = last.time + s.delay;
            const phase = s.delay === 0 ? Math.max(s.phase, last.phase) : s.phase;
            q.schedule(time, phase, 0, 0);
          }
        }
        for (const ev of drain(q)) check(ev);
      }),
      FC,
    );
  });

  test('(a) a batch drains in exactly the sorted order of its (time, phase, seq) keys', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(timeArb, phaseArb), { maxLength: 200 }), (keys) => {
        const q = new EventQueue(16);
        keys.forEach(([t, p], i) => q.schedule(t, p, 0, i));
        const expected = keys.map(([time, phase], seq) => ({ time, phase, seq })).sort(compareKeys);
        expect(drain(q).map(({ time, phase, seq }) => ({ time, phase, seq }))).toEqual(expected);
      }),
      FC,
    );
  });

  test('(b) events with equal (time, phase) come out first-in first-out, also when interleaved with pops', () => {
    // Few distinct keys, so that every group is large; null pops one event between schedules.
    const step = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const q = new EventQueue(16);
        const popped: Array<{ time: number; phase: number; arg: number }> = [];
        let n = 0;
        for (const s of steps) {
          if (s === null) {
            const ev = q.pop();
            if (ev !== undefined) popped.push({ time: ev.time, phase: ev.phase, arg: ev.arg });
          } else {
            q.schedule(s[0], s[1], 0, n++);
          }
        }
        popped.push(...drain(q));
        expect(popped).toHaveLength(n);
        const lastArg = new Map<string, number>();
        for (const ev of popped) {
          const group = `${ev.time}/${ev.phase}`;
          expect(ev.arg).toBeGreaterThan(lastArg.get(group) ?? -1);
          lastArg.set(group, ev.arg);
        }
      }),
      FC,
    );
  });

  type Op =
    | { readonly kind: 'schedule'; readonly time: number; readonly phase: number }
    | { readonly kind: 'cancel'; readonly pick: number }
    | { readonly kind: 'pop' }
    | { readonly kind: 'peek' };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('schedule' as const), time: timeArb, phase: phaseArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'pop' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
  );

  /** The reference: every event ever scheduled, with its state; pending ones found by a sort. */
  interface ModelEvent extends Key {
    readonly handle: EventHandle;
    state: 'pending' | 'cancelled' | 'popped';
  }

  function nextPending(model: readonly ModelEvent[]): ModelEvent | undefined {
    return model.filter((e) => e.state === 'pending').sort(compareKeys)[0];
  }

  test('(c) schedule/cancel/pop/peek agree with a sorted-array model; stale handles never cancel', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const q = new EventQueue(16);
        const model: ModelEvent[] = [];
        for (const op of ops) {
          switch (op.kind) {
            case 'schedule': {
              const handle = q.schedule(op.time, op.phase, op.phase, model.length, true);
              expect(model.some((e) => e.handle === handle && e.state === 'pending')).toBe(false);
              model.push({ time: op.time, phase: op.phase, seq: model.length, handle, state: 'pending' });
              break;
            }
            case 'cancel': {
              // any handle ever issued: pending, already cancelled, or already popped (and maybe
              // its slot reused since); only a pending one may be cancelled, and only itself
              if (model.length === 0) break;
              const target = model[op.pick % model.length]!;
              const expected = target.state === 'pending';
              expect(q.isPending(target.handle)).toBe(expected);
              expect(q.cancel(target.handle)).toBe(expected);
              if (expected) target.state = 'cancelled';
              expect(q.isPending(target.handle)).toBe(false);
              break;
            }
            case 'pop': {
              const want = nextPending(model);
              const got = q.pop();
              if (want === undefined) {
                expect(got).toBeUndefined();
              } else {
                expect(got && { time: got.time, phase: got.phase, seq: got.seq, handler: got.handler, arg: got.arg }).toEqual({
                  time: want.time,
                  phase: want.phase,
                  seq: want.seq,
                  handler: want.phase,
                  arg: want.seq,
                });
                want.state = 'popped';
              }
              break;
            }
            case 'peek':
              expect(q.peekTime()).toBe(nextPending(model)?.time ?? Infinity);
              break;
            default: {
              const never: never = op;
              throw new Error(`unknown op ${JSON.stringify(never)}`);
            }
          }
          expect(q.size).toBe(model.filter((e) => e.state === 'pending').length);
        }
        // whatever is left drains in model order; nothing cancelled comes back
        const rest = model.filter((e) => e.state === 'pending').sort(compareKeys);
        expect(drain(q).map((e) => e.seq)).toEqual(rest.map((e) => e.seq));
        for (const e of model) expect(q.cancel(e.handle)).toBe(false);
      }),
      FC,
    );
  });

  test('(d) growth past the initial capacity keeps order, pending cancels and handles', () => {
    // A first batch larger than the initial 16 slots forces one or more doublings mid-heap, after
    // some pops and cancels; then everything drains against the reference.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), phaseArb), { minLength: 17, maxLength: 600 }),
        fc.array(fc.nat(), { maxLength: 50 }),
        fc.nat({ max: 10 }),
        (keys, cancelPicks, earlyPops) => {
          const q = new EventQueue(16);
          const handles: EventHandle[] = [];
          const model = keys.map(([time, phase], seq) => ({ time, phase, seq, gone: false }));
          // schedule the first 8, pop a few, then schedule the rest (growing), cancelling as we go
          const firstBatch = 8;
          for (let i = 0; i < firstBatch; i++) handles.push(q.schedule(model[i]!.time, model[i]!.phase, 0, i, true));
          for (let i = 0; i < earlyPops; i++) {
            const want = model.filter((e) => e.seq < firstBatch && !e.gone).sort(compareKeys)[0];
            const got = q.pop();
            expect(got?.seq).toBe(want?.seq);
            if (want) want.gone = true;
          }
          for (let i = firstBatch; i < model.length; i++) {
            handles.push(q.schedule(model[i]!.time, model[i]!.phase, 0, i, true));
            const pick = cancelPicks[i % Math.max(1, cancelPicks.length)];
            if (pick !== undefined && i % 3 === 0) {
              const j = pick % handles.length;
              expect(q.cancel(handles[j]!)).toBe(!model[j]!.gone);
              model[j]!.gone = true;
            }
          }
          expect(q.size).toBe(model.filter((e) => !e.gone).length);
          for (let j = 0; j < handles.length; j++) expect(q.isPending(handles[j]!)).toBe(!model[j]!.gone);
          const expected = model
            .filter((e) => !e.gone)
            .sort(compareKeys)
            .map((e) => e.seq);
          expect(drain(q).map((e) => e.seq)).toEqual(expected);
        },
      ),
      { ...FC, numRuns: 100 },
    );
  });

  test('(d) a queue grown to 100k events still drains in order', () => {
    const q = new EventQueue(16);
    const n = 100_000;
    // a fixed permutation of times (multiplicative hash mod a prime), two phases
    for (let i = 0; i < n; i++) q.schedule((i * 7919) % 100_003, i & 1, 0, i);
    expect(q.size).toBe(n);
    let prev = -1;
    let count = 0;
    let outOfOrder = 0;
    for (let ev = q.pop(); ev !== undefined; ev = q.pop()) {
      const key = ev.time * 2 + ev.phase;
      if (key < prev) outOfOrder++;
      prev = key;
      count++;
    }
    expect({ count, outOfOrder }).toEqual({ count: n, outOfOrder: 0 });
  });
});

describe('tombstone sweep', () => {
  // 5000 events; cancelling 4000 of them leaves more tombstones than live events (and more than
  // the 1024 tolerated), so the queue sweeps them out; the 1000 survivors still pop in
  // (time, phase, seq) order, old handles stay dead, and new events mix in correctly.
  test('cancelled events are swept once they outnumber live ones, without changing pop order', () => {
    const q = new EventQueue(16);
    const handles: number[] = [];
    const keys: [number, number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const t = (i * 7919) % 1000;
      const ph = i % 3;
      handles.push(q.schedule(t, ph, 0, i, true));
      keys.push([t, ph, i]);
    }
    const cancelled = new Set<number>();
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0) cancelled.add(i);
    for (const i of cancelled) expect(q.cancel(handles[i]!)).toBe(true);
    expect(q.size).toBe(1000);
    expect(q.tombstones).toBeLessThanOrEqual(1024);
    for (const i of cancelled) expect(q.cancel(handles[i]!)).toBe(false);
    q.schedule(500, 0, 1, 9999);
    keys.push([500, 0, 5000]);
    const expected = keys
      .filter(([, , i]) => !cancelled.has(i))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])
      .map(([t, ph, i]) => `${t}/${ph}/${i === 5000 ? 9999 : i}`);
    const got: string[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) got.push(`${e.time}/${e.phase}/${e.arg}`);
    expect(got).toEqual(expected);
  });
});
