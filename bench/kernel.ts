/**
 * The kernel's hold model (a fixed number of pending events; each pop schedules one more at now +
 * a random delay) over three event lists: a raw typed-array heap (the floor every other case is
 * compared with), the EventQueue, and the Simulator; and the bytes one queued event costs.
 * bench/ may read the wall clock; nothing imports bench/.
 */
import { EventQueue } from '../sim/kernel/event-queue.js';
import { Phase } from '../sim/kernel/phases.js';
import { RandomStream } from '../sim/kernel/rng.js';
import { Simulator } from '../sim/kernel/simulator.js';

/** Delays and phases are drawn up front, so that no variant pays for random draws. */
const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

/** Pre-drawn delays (integer us in [1, 1 s]: many distinct times, some ties) and phases. */
export interface HoldTables {
  readonly delays: Float64Array;
  readonly phases: Uint8Array;
}

let cachedTables: HoldTables | undefined;

/** The hold model's draws, from the stream `bench/hold` of seed 1 (the same in every process). */
export function holdTables(): HoldTables {
  if (cachedTables !== undefined) return cachedTables;
  const rng = new RandomStream(1, 'bench/hold');
  const size = 1 << TABLE_BITS;
  const delays = new Float64Array(size);
  const phases = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    delays[i] = 1 + rng.int(1_000_000);
    phases[i] = rng.int(Phase.END);
  }
  cachedTables = { delays, phases };
  return cachedTables;
}

/** One timed run: wall ns of the n operations, and the sum of popped times (a cross-check between variants). */
export interface Timed {
  readonly ns: number;
  readonly checksum: number;
}

/** A hold-model variant: `n` schedule+pop operations with `hold` events pending throughout. */
export type HoldVariant = (n: number, hold: number, t: HoldTables) => Timed;

/** Runs a full GC when the process has --expose-gc (else does nothing). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The baseline: a binary min-heap over a Float64Array of times with an Int32Array payload, no
 * tie-break, no cancellation, no dispatch. Written inline so that nothing hides its cost.
 */
export const holdRawHeap: HoldVariant = (n, hold, t) => {
  const cap = hold + 1;
  const keys = new Float64Array(cap);
  const vals = new Int32Array(cap);
  let len = 0;
  const push = (key: number, val: number): void => {
    let pos = len++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pk = keys[parent]!;
      if (pk <= key) break;
      keys[pos] = pk;
      vals[pos] = vals[parent]!;
      pos = parent;
    }
    keys[pos] = key;
    vals[pos] = val;
  };
  /** removes the top; the caller read keys[0] before */
  const popTop = (): void => {
    const key = keys[--len]!;
    const val = vals[len]!;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= len) break;
      if (child + 1 < len && keys[child + 1]! < keys[child]!) child++;
      const ck = keys[child]!;
      if (ck >= key) break;
      keys[pos] = ck;
      vals[pos] = vals[child]!;
      pos = child;
    }
    keys[pos] = key;
    vals[pos] = val;
  };
  for (let j = 0; j < hold; j++) push(t.delays[(j + 7919) & TABLE_MASK]!, j);
  collectGarbage();
  let checksum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const now = keys[0]!;
    const val = vals[0]!;
    popTop();
    checksum += now;
    push(now + t.delays[i & TABLE_MASK]!, val);
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns, checksum };
};

/** The kernel's event list alone: schedule and pop, no handler dispatch. */
export const holdEventQueue: HoldVariant = (n, hold, t) => {
  const q = new EventQueue();
  for (let j = 0; j < hold; j++) {
    const k = (j + 7919) & TABLE_MASK;
    q.schedule(t.delays[k]!, t.phases[k]!, 0, j);
  }
  collectGarbage();
  let checksum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const ev = q.pop()!;
    checksum += ev.time;
    const k = i & TABLE_MASK;
    q.schedule(ev.time + t.delays[k]!, t.phases[k]!, ev.handler, ev.arg);
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns, checksum };
};

/** The whole engine: run() pops, dispatches a handler, which schedules one more event. */
export const holdSimulator: HoldVariant = (n, hold, t) => {
  const sim = new Simulator();
  let i = 0;
  let checksum = 0;
  let handler = 0;
  const delays = t.delays;
  const phases = t.phases;
  handler = sim.register('hold', (arg) => {
    checksum += sim.now;
    const k = i & TABLE_MASK;
    if (++i === n) sim.stop();
    sim.after(delays[k]!, phases[k]! as Phase, handler, arg);
  });
  for (let j = 0; j < hold; j++) {
    const k = (j + 7919) & TABLE_MASK;
    sim.at(delays[k]!, phases[k]! as Phase, handler, j);
  }
  collectGarbage();
  const t0 = process.hrtime.bigint();
  sim.run();
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns, checksum };
};

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** What {@link holdBench} measured: wall ns per schedule+pop, median of the repetitions, per variant. */
export interface HoldResult {
  readonly n: number;
  readonly hold: number;
  readonly reps: number;
  /** ns per operation by variant, in the order given */
  readonly ns: readonly number[];
}

/**
 * Times each variant `reps` times (interleaved, so drift in machine load spreads over all of
 * them) after one warm-up of n/10, and returns the medians. Throws if the variants popped
 * different times, which would be a kernel bug, never because of speed.
 */
export function holdBench(variants: readonly HoldVariant[], n: number, hold: number, reps: number): HoldResult {
  const tables = holdTables();
  for (const v of variants) v(Math.max(1, Math.floor(n / 10)), hold, tables);
  const ns: number[][] = variants.map(() => []);
  const sums = new Set<number>();
  for (let r = 0; r < reps; r++) {
    variants.forEach((v, idx) => {
      const res = v(n, hold, tables);
      ns[idx]!.push(res.ns / n);
      sums.add(res.checksum);
    });
  }
  if (sums.size !== 1) throw new Error(`bench: hold variants popped different times (checksums ${[...sums].join(', ')}): kernel bug`);
  return { n, hold, reps, ns: ns.map((xs) => median(xs)) };
}

/** Most operations a case's raw-heap baseline runs (its ns per event hardly moves past this). */
export const RAW_HEAP_MAX_N = 5_000_000;

/**
 * The raw heap's ns per schedule+pop at `hold` pending events over `n` operations (capped at
 * {@link RAW_HEAP_MAX_N}), median of 3 after a warm-up: the baseline a case's ns per event is
 * divided by. Run in the case's own process, after the case.
 */
export function rawHeapNs(n: number, hold: number): number {
  const m = Math.max(100_000, Math.min(RAW_HEAP_MAX_N, Math.round(n)));
  return holdBench([holdRawHeap], m, Math.max(1, Math.round(hold)), 3).ns[0]!;
}

/** Bytes the process holds in its JS heap and in ArrayBuffers (typed arrays live outside the heap), after a GC. */
export function heapAndBuffers(): number {
  // Freed ArrayBuffers are swept concurrently after a GC; a second GC finishes that sweep first,
  // so that buffers dropped just before (a queue's arrays before it doubled) are not counted.
  collectGarbage();
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** What {@link bytesPerQueuedEvent} measured. */
export interface QueuedBytes {
  /** events scheduled and left pending */
  readonly events: number;
  /** (heap + ArrayBuffers) growth / events, Simulator (default capacity, grown by doubling) */
  readonly simulator: number;
  /** the same for a bare EventQueue */
  readonly eventQueue: number;
  /** the same for the raw heap's two typed arrays, sized exactly */
  readonly rawHeap: number;
}

/**
 * Bytes per pending event: (JS heap + ArrayBuffers, after a GC) with `events` events pending
 * minus the same before, divided by `events`. NaN without --expose-gc (the numbers would be noise).
 * The queues grow by doubling, so the figure includes the slack of the last doubling.
 */
export function bytesPerQueuedEvent(events = 1_000_000): QueuedBytes {
  if ((globalThis as { gc?: unknown }).gc === undefined) return { events, simulator: NaN, eventQueue: NaN, rawHeap: NaN };
  const t = holdTables();
  // Every filled structure stays referenced until all three are measured: a freed ArrayBuffer is
  // returned lazily, and its release landing inside the next measurement would cancel that one out.
  const kept: unknown[] = [];
  const measure = (fill: () => unknown): number => {
    const before = heapAndBuffers();
    kept.push(fill());
    const after = heapAndBuffers();
    return (after - before) / events;
  };
  const simulator = measure(() => {
    const sim = new Simulator();
    const h = sim.register('noop', () => {});
    for (let j = 0; j < events; j++) sim.at(t.delays[j & TABLE_MASK]!, Phase.MESSAGE, h, j);
    return sim;
  });
  const eventQueue = measure(() => {
    const q = new EventQueue();
    for (let j = 0; j < events; j++) q.schedule(t.delays[j & TABLE_MASK]!, Phase.MESSAGE, 0, j);
    return q;
  });
  const rawHeap = measure(() => [new Float64Array(events), new Int32Array(events)]);
  if (kept.length !== 3) throw new Error('unreachable');
  return { events, simulator, eventQueue, rawHeap };
}
