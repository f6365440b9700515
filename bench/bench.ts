/**
 * The benchmark behind `npm run bench`: it records numbers and never fails on time.
 * bench/ may read the wall clock (process.hrtime.bigint) and import anything (the kernel, the
 * scenario loader and builder, reports/); nothing imports it.
 *
 * Output is one aligned table on stdout and nothing else: no files are written (the scenario
 * section reads its scenario file).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Fingerprint, MetricsFold } from '../reports/index.js';
import { seconds } from '../sim/kernel/time.js';
import { EventQueue } from '../sim/kernel/event-queue.js';
import { Phase } from '../sim/kernel/phases.js';
import { RandomStream } from '../sim/kernel/rng.js';
import { Simulator } from '../sim/kernel/simulator.js';
import type { LogSink } from '../sim/model/log.js';
import { simulate } from '../sim/model/simulation.js';
import { buildSimulation } from '../scenarios/build.js';
import { loadScenario, type LoadedScenario } from '../scenarios/loader.js';

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

/** The scenario {@link scenarioBench} runs by default, relative to the repository root. */
export const QUICKSTART = 'scenarios/examples/quickstart.yaml';

/** Timed runs of each scenario variant; the table reports their median. */
const SCENARIO_REPS = 5;

/** What {@link scenarioBench} measured: medians over the repetitions, wall ns. */
export interface ScenarioBenchResult {
  /** the scenario file run */
  readonly file: string;
  /** timed repetitions per variant */
  readonly reps: number;
  /** kernel events of one run */
  readonly events: number;
  /** log records of one run */
  readonly records: number;
  /** the run's fingerprint (the same in every repetition, else the bench throws) */
  readonly fingerprint: string;
  /** simulate() with the sinks scenarios/run.ts wires (metric fold, fingerprint, record counter) */
  readonly fullNs: number;
  /** simulate() with a record counter and two do-nothing sinks: the model alone, records still built */
  readonly modelNs: number;
  /** MetricsFold.finish() plus Fingerprint.digest() after the run */
  readonly finishNs: number;
  /** process peak resident set (process.resourceUsage().maxRSS), bytes, after every run */
  readonly maxRssBytes: number;
  /** heap used after a full run with its fold and fingerprint still referenced, after a forced GC (NaN without --expose-gc), bytes */
  readonly heapAfterBytes: number;
  /** the same, measured before the first run, bytes */
  readonly heapBeforeBytes: number;
}

/** One timed simulate() of a loaded scenario, with or without the report sinks. */
interface ScenarioRun {
  readonly ns: number;
  readonly finishNs: number;
  readonly events: number;
  readonly records: number;
  readonly fingerprint: string;
  /** what a full run keeps alive until it is measured */
  readonly keep: unknown;
}

/** A sink that ignores every record. */
const NULL_SINK: LogSink = { record: () => {} };

function runScenarioOnce(loaded: LoadedScenario, withReports: boolean): ScenarioRun {
  const s = loaded.scenario;
  let records = 0;
  const counter: LogSink = { record: () => { records++; } };
  const fold = withReports ? new MetricsFold({ sampleInterval: seconds(s.output.sampleInterval) }) : undefined;
  const fingerprint = withReports ? new Fingerprint() : undefined;
  // Without reports, two do-nothing sinks keep the fan-out of three, so that records are still
  // built (a lone sink can be inlined and the records optimised away) and only the folds' work is left out.
  const sinks: LogSink[] = fold !== undefined && fingerprint !== undefined ? [fold, fingerprint, counter] : [NULL_SINK, NULL_SINK, counter];
  const input = buildSimulation(s, s.seed, sinks);
  collectGarbage();
  const t0 = process.hrtime.bigint();
  const result = simulate(input);
  const t1 = process.hrtime.bigint();
  const metrics = fold?.finish();
  const digest = fingerprint?.digest() ?? '';
  const t2 = process.hrtime.bigint();
  return {
    ns: Number(t1 - t0), finishNs: Number(t2 - t1), events: result.events, records, fingerprint: digest, keep: [fold, fingerprint, metrics],
  };
}

function heapUsedAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return NaN;
  gc();
  return process.memoryUsage().heapUsed;
}

/** A file of the repository, found from this module whether it runs from bench/ or dist/bench/. */
function repoFile(rel: string): string {
  for (const up of ['../', '../../']) {
    const p = fileURLToPath(new URL(up + rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`bench: cannot find ${rel} above ${fileURLToPath(import.meta.url)}`);
}

/**
 * End-to-end benchmark of one scenario: the whole simulation wired as `offersim run` wires it
 * (metric fold, fingerprint, record counter as sinks), then the same with the fold and fingerprint
 * replaced by do-nothing sinks, to split the model's cost from the folds'. One warm-up run, then
 * {@link SCENARIO_REPS} interleaved timed repetitions of each; medians. Output files are not
 * written, so this times simulate() with its sinks: what `timing.json` reports as wall time.
 * Throws only if repetitions disagree on the fingerprint or the counts, which would be a
 * determinism bug, never because of speed.
 * @param file scenario file (default {@link QUICKSTART}, from the repository root)
 */
export function scenarioBench(file: string = repoFile(QUICKSTART)): ScenarioBenchResult {
  const loaded = loadScenario(file);
  const heapBeforeBytes = heapUsedAfterGc();
  runScenarioOnce(loaded, true); // warm-up: compile the hot path before timing it
  const full: number[] = [];
  const model: number[] = [];
  const finish: number[] = [];
  const seen = new Set<string>();
  let last: ScenarioRun | undefined;
  for (let r = 0; r < SCENARIO_REPS; r++) {
    const m = runScenarioOnce(loaded, false);
    model.push(m.ns);
    seen.add(`${m.events}/${m.records}`);
    last = undefined; // let the previous full run go before the next one, so heaps do not stack up
    const f = runScenarioOnce(loaded, true);
    full.push(f.ns);
    finish.push(f.finishNs);
    seen.add(`${f.events}/${f.records}/${f.fingerprint}`);
    last = f;
  }
  if (seen.size !== 2) throw new Error(`bench: repeated runs of ${file} disagree (${[...seen].join(', ')}): determinism bug`);
  // `last` (a full run's fold and fingerprint) is still referenced here, so it counts.
  const heapAfterBytes = heapUsedAfterGc();
  const run = last!;
  return {
    file: loaded.file,
    reps: SCENARIO_REPS,
    events: run.events,
    records: run.records,
    fingerprint: run.fingerprint,
    fullNs: median(full),
    modelNs: median(model),
    finishNs: median(finish),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapAfterBytes,
    heapBeforeBytes,
  };
}

function scenarioSection(): BenchRow[] {
  const r = scenarioBench();
  const s = r.fullNs / 1e9;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const reports = r.fullNs - r.modelNs;
  const name = QUICKSTART.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  return [
    { measurement: `${name}: wall`, value: s.toFixed(3), unit: 's', note: `simulate() with fold + fingerprint sinks, median of ${r.reps}; fingerprint ${r.fingerprint}` },
    { measurement: `${name}: kernel events`, value: (r.events / s / 1e3).toFixed(1), unit: 'k events/s', note: `${r.events} events` },
    { measurement: `${name}: log records`, value: (r.records / s / 1e3).toFixed(1), unit: 'k records/s', note: `${r.records} records` },
    { measurement: `${name}: model alone`, value: (r.modelNs / 1e9).toFixed(3), unit: 's', note: 'simulate() with a record counter and two no-op sinks (records built, not folded)' },
    { measurement: `${name}: fold + fingerprint`, value: (reports / 1e9).toFixed(3), unit: 's', note: `wall minus model alone (${((100 * reports) / r.fullNs).toFixed(0)}% of wall)` },
    { measurement: `${name}: finish + digest`, value: (r.finishNs / 1e6).toFixed(1), unit: 'ms', note: 'MetricsFold.finish() and Fingerprint.digest() after the run' },
    { measurement: `${name}: peak RSS`, value: mb(r.maxRssBytes), unit: 'MB', note: 'process.resourceUsage().maxRSS, whole bench process so far' },
    {
      measurement: `${name}: heap after run`,
      value: mb(r.heapAfterBytes),
      unit: 'MB',
      note: Number.isNaN(r.heapAfterBytes) ? 'run with --expose-gc to measure' : `after gc(), fold still referenced; ${mb(r.heapBeforeBytes)} MB before the first run`,
    },
  ];
}

/** The real traces imported by {@link importSection}: format, file under ../shared/traces, options. */
export const IMPORT_CASES: readonly { format: string; file: string; options: Record<string, unknown> }[] = [
  { format: 'swf', file: 'swf/NASA-iPSC-1993-3.1-cln.swf', options: {} },
  { format: 'swf', file: 'swf/HPC2N-2002-2.2_head-alea.swf', options: {} },
  { format: 'google-2011', file: 'google-2011/task_events_part-00000-of-00500.csv.gz', options: { jobEvents: 'google-2011/job_events_part-00000-of-00500.csv' } },
  { format: 'swim', file: 'swim/FB-2009_samples_24_times_1hr_0.tsv', options: {} },
  { format: 'swim', file: 'swim/FB-2010_samples_24_times_1hr_withInputPaths_0.tsv', options: {} },
  { format: 'alibaba-openb-pods', file: 'alibaba-gpu-2023/openb_pod_list_default.csv', options: {} },
  { format: 'alibaba-openb-nodes', file: 'alibaba-gpu-2023/openb_node_list_all_node.csv', options: {} },
  { format: 'alibaba-2018-machines', file: 'alibaba-2018/machine_meta.csv', options: {} },
];

/**
 * Imports each real trace in a fresh child process (so that its peak RSS is the import's own):
 * wall time, rows per second and peak memory beside the file's size. Skipped, saying so, where
 * ../shared/traces is absent.
 */
function importSection(): BenchRow[] {
  let traces: string;
  try {
    traces = repoFile('../shared/traces');
  } catch {
    return [{ measurement: 'trace import', value: '-', unit: '', note: 'skipped: ../shared/traces (beside the repository) is absent' }];
  }
  const tmp = mkdtempSync(join(tmpdir(), 'offersim-bench-import-'));
  const module = pathToFileURL(repoFile('dist/scenarios/trace-import.js')).href;
  const rows: BenchRow[] = [];
  try {
    for (const c of IMPORT_CASES) {
      const file = join(traces, c.file);
      const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, typeof v === 'string' ? join(traces, v) : v]));
      const code = `const { importTrace } = await import(${JSON.stringify(module)});
const t0 = performance.now();
const r = await importTrace(${JSON.stringify(c.format)}, ${JSON.stringify(file)}, ${JSON.stringify(join(tmp, 'out.jsonl'))}, { options: ${JSON.stringify(options)} });
console.log(JSON.stringify({ wall: (performance.now() - t0) / 1000, rss: process.resourceUsage().maxRSS * 1024, rows: r.counts.rows, jobs: r.counts.jobs, tasks: r.counts.tasks }));`;
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
      const name = c.file.replace(/^.*\//, '');
      if (out.status !== 0) {
        rows.push({ measurement: `import ${name}`, value: '-', unit: '', note: `failed: ${out.stderr.trim().split('\n').pop() ?? ''}` });
        continue;
      }
      const r = JSON.parse(out.stdout) as { wall: number; rss: number; rows: number; jobs: number; tasks: number };
      const mb = (b: number) => (b / 2 ** 20).toFixed(1);
      rows.push({
        measurement: `import ${name}`,
        value: r.wall.toFixed(2),
        unit: 's',
        note: `${c.format}: ${r.rows} rows -> ${r.jobs} ${c.format.endsWith('nodes') || c.format.endsWith('machines') ? 'agents' : `jobs, ${r.tasks} tasks`}; ` +
          `${(r.rows / r.wall / 1e3).toFixed(0)}k rows/s; peak RSS ${mb(r.rss)} MB for a ${mb(statSync(file).size)} MB file`,
      });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

/** The sections, in print order: the kernel hold model, the quickstart scenario end to end, trace imports. */
export const SECTIONS: readonly BenchSection[] = [kernelSection, scenarioSection, importSection];

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
    `offersim bench: node ${process.version}; kernel: N = ${n} schedule+pop per measurement, ${HOLD} pending, median of ${REPS}\n` +
      `${formatTable(rows)}\n`,
  );
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main(process.argv.slice(2));
}
