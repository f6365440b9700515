/**
 * The benchmark behind `npm run bench`: it records numbers and never fails on time.
 * bench/ may read the wall clock (process.hrtime.bigint); it imports the kernel and, later, the
 * scenario runner, and nothing imports it.
 *
 * Output is one aligned table on stdout and nothing else: no files are written.
 */
import { pathToFileURL } from 'node:url';
import { EventQueue } from '../sim/kernel/event-queue.js';
import { Phase } from '../sim/kernel/phases.js';
import { RandomStream } from '../sim/kernel/rng.js';
import { Simulator } from '../sim/kernel/simulator.js';

/** Pending events kept in the hold model. */
export const HOLD = 10_000;

/** Default schedule+pop operations per measurement (sized for ~10 s in all on 2 cores). */
export const DEFAULT_N = 2_000_000;

/** Timed repetitions of each variant; the table reports their median. */
const REPS = 5;

/** Delays and phases are drawn up front, so that no variant pays for random draws. */
const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

/** What {@link kernelBench} measured: wall nanoseconds per schedule+pop, median of the repetitions. */
export interface KernelBenchResult {
  /** schedule+pop operations per measurement */
  readonly n: number;
  /** pending events held throughout */
  readonly hold: number;
  /** timed repetitions per variant */
  readonly reps: number;
  /** minimal typed-array binary heap keyed by time alone (the floor) */
  readonly rawHeapNs: number;
  /** EventQueue.schedule + EventQueue.pop, no handler dispatch */
  readonly eventQueueNs: number;
  /** Simulator.run dispatching a handler that calls Simulator.after once */
  readonly simulatorNs: number;
}

interface Tables {
  readonly delays: Float64Array;
  readonly phases: Uint8Array;
}

function makeTables(): Tables {
  const rng = new RandomStream(1, 'bench/hold');
  const size = 1 << TABLE_BITS;
  const delays = new Float64Array(size);
  const phases = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    // integer microseconds in [1, 1 s]: many distinct times, some ties
    delays[i] = 1 + rng.int(1_000_000);
    phases[i] = rng.int(Phase.END);
  }
  return { delays, phases };
}

/** Result of one timed run: wall ns and the sum of popped times (a cross-check between variants). */
interface Timed {
  readonly ns: number;
  readonly checksum: number;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The baseline: a binary min-heap over a Float64Array of times with an Int32Array payload,
 * no tie-break, no cancellation, no dispatch. Written inline so that nothing hides its cost.
 */
function holdRawHeap(n: number, t: Tables): Timed {
  const cap = HOLD + 1;
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
  for (let j = 0; j < HOLD; j++) push(t.delays[(j + 7919) & TABLE_MASK]!, j);
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
}

/** The kernel's event list alone: schedule and pop, no handler dispatch. */
function holdEventQueue(n: number, t: Tables): Timed {
  const q = new EventQueue();
  for (let j = 0; j < HOLD; j++) {
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
}

/** The whole engine: run() pops, dispatches a no-op-ish handler, which schedules one more event. */
function holdSimulator(n: number, t: Tables): Timed {
  const sim = new Simulator();
  let i = 0;
  let checksum = 0;
  let hold = 0;
  const delays = t.delays;
  const phases = t.phases;
  hold = sim.register('hold', (arg) => {
    checksum += sim.now;
    const k = i & TABLE_MASK;
    if (++i === n) sim.stop();
    sim.after(delays[k]!, phases[k]! as Phase, hold, arg);
  });
  for (let j = 0; j < HOLD; j++) {
    const k = (j + 7919) & TABLE_MASK;
    sim.at(delays[k]!, phases[k]! as Phase, hold, j);
  }
  collectGarbage();
  const t0 = process.hrtime.bigint();
  sim.run();
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns, checksum };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Hold-model benchmark of the kernel: ~{@link HOLD} events pending, each pop schedules one more at
 * now + a random delay. Returns wall ns per schedule+pop (median of the repetitions) for a raw
 * typed-array heap, the EventQueue, and the Simulator. Throws only if the variants disagree on the
 * popped times, which would be a kernel bug, never because of speed.
 * @param n schedule+pop operations per measurement (default {@link DEFAULT_N})
 */
export function kernelBench(n: number = DEFAULT_N): KernelBenchResult {
  const tables = makeTables();
  const variants = [holdRawHeap, holdEventQueue, holdSimulator] as const;
  // warm-up, so that the timed runs measure optimised code
  for (const v of variants) v(Math.max(1, Math.floor(n / 10)), tables);
  const ns: number[][] = variants.map(() => []);
  const sums = new Set<number>();
  for (let r = 0; r < REPS; r++) {
    // interleaved, so that drift in machine load spreads over all variants
    variants.forEach((v, idx) => {
      const res = v(n, tables);
      ns[idx]!.push(res.ns / n);
      sums.add(res.checksum);
    });
  }
  if (sums.size !== 1) throw new Error(`bench variants popped different times (checksums ${[...sums].join(', ')}): kernel bug`);
  return {
    n,
    hold: HOLD,
    reps: REPS,
    rawHeapNs: median(ns[0]!),
    eventQueueNs: median(ns[1]!),
    simulatorNs: median(ns[2]!),
  };
}

/** One line of the printed table. */
export interface BenchRow {
  readonly measurement: string;
  readonly value: string;
  readonly unit: string;
  readonly note: string;
}

/** A group of measurements; each section runs once, in order, and returns its rows. */
export type BenchSection = (n: number) => BenchRow[] | Promise<BenchRow[]>;

function kernelSection(n: number): BenchRow[] {
  const r = kernelBench(n);
  const row = (measurement: string, v: number, note: string): BenchRow => ({
    measurement,
    value: v.toFixed(1),
    unit: 'ns/event',
    note: `${(v / r.rawHeapNs).toFixed(2)}x raw heap${note}`,
  });
  return [
    row('kernel: raw Float64Array heap', r.rawHeapNs, ' (baseline: time key only)'),
    row('kernel: EventQueue', r.eventQueueNs, ''),
    row('kernel: Simulator', r.simulatorNs, ` (${(1000 / r.simulatorNs).toFixed(1)} M events/s)`),
  ];
}

/**
 * The sections, in print order. The scenario measurement (events/s and peak memory of a full
 * quickstart run) goes here as one more section once the runner exists.
 */
export const SECTIONS: readonly BenchSection[] = [kernelSection];

function formatTable(rows: readonly BenchRow[]): string {
  const head: BenchRow = { measurement: 'measurement', value: 'value', unit: 'unit', note: 'note' };
  const all = [head, ...rows];
  const w = (k: keyof BenchRow) => Math.max(...all.map((r) => r[k].length));
  const wm = w('measurement');
  const wv = w('value');
  const wu = w('unit');
  return all
    .map((r) => `${r.measurement.padEnd(wm)}  ${r.value.padStart(wv)}  ${r.unit.padEnd(wu)}  ${r.note}`.trimEnd())
    .join('\n');
}

/** Runs every section and prints one table. `node dist/bench/bench.js [N]` overrides N. */
export async function main(argv: readonly string[]): Promise<void> {
  const n = argv[0] === undefined ? DEFAULT_N : Number(argv[0]);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`N must be a positive integer, got ${argv[0]}`);
  const rows: BenchRow[] = [];
  for (const section of SECTIONS) rows.push(...(await section(n)));
  process.stdout.write(
    `offersim bench: node ${process.version}, N = ${n} schedule+pop per measurement, ${HOLD} pending, median of ${REPS}\n` +
      `${formatTable(rows)}\n`,
  );
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main(process.argv.slice(2));
}
