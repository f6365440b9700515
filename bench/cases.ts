/**
 * The benchmark's cases, each run in a child process of its own so that its peak
 * resident set is its own: what each measures, at full size and at the reduced size of --quick.
 * bench/ may read the wall clock and import anything; nothing imports bench/.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTrace } from '../scenarios/trace-import.js';
import { peakRssBytes } from '../scenarios/peak-rss.js';
import { allocationBench } from './allocation.js';
import { MONTH_S, expectedMonthTasks, monthJobs, monthOverrides } from './month.js';
import { bytesPerQueuedEvent, holdBench, holdEventQueue, holdRawHeap, holdSimulator, rawHeapNs } from './kernel.js';
import { openCase, repeatedScenarioBench, runScenarioCase, taskTableBytes, type ScenarioCaseResult } from './scenario-cases.js';

/** One line of the table and one entry of results.json. Numbers are null where they do not apply. */
export interface CaseRow {
  /** what was measured, e.g. 'kernel: Simulator, hold 10k' */
  readonly name: string;
  /** simulated (kernel) events, or the operations the row counts */
  readonly events: number | null;
  readonly wall_s: number | null;
  readonly events_per_s: number | null;
  readonly ns_per_event: number | null;
  /** peak resident set of the case's own process (scenarios/peak-rss.ts), bytes */
  readonly peak_rss_bytes: number;
  /** the raw typed-array heap's ns per schedule+pop at the case's queue size, same process, after the case */
  readonly raw_heap_ns: number | null;
  /** ns_per_event / raw_heap_ns */
  readonly ratio: number | null;
  /** a short human note for the table */
  readonly note: string;
  /** case-specific numbers */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What a child process prints: its case and rows, or why it was skipped. */
export interface CaseOutput {
  readonly case: string;
  readonly status: 'ok' | 'skipped';
  readonly note?: string;
  readonly rows: readonly CaseRow[];
}

/** A benchmark case. */
export interface BenchCase {
  readonly name: string;
  /** one line: what it measures */
  readonly description: string;
  /** whether --quick runs it (at its reduced size) */
  readonly quick: boolean;
  /** at full size, whether it runs only when named by --case (a case far longer than the whole bench); default false */
  readonly optIn?: boolean;
  run(quick: boolean): Promise<CaseOutput> | CaseOutput;
}

/** A file of the repository, found from this module whether it runs from bench/ or dist/bench/. */
export function repoFile(rel: string): string {
  for (const up of ['../', '../../']) {
    const p = fileURLToPath(new URL(up + rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`bench: cannot find ${rel} above ${fileURLToPath(import.meta.url)}`);
}

/** ../shared/traces beside the repository, or undefined when it is absent. */
function tracesDir(): string | undefined {
  try {
    return repoFile('../shared/traces');
  } catch {
    return undefined;
  }
}

const peakRss = peakRssBytes;
const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
const k = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);

/** Rows for a whole-run case, with its raw-heap baseline measured now (after the run). */
function scenarioRow(name: string, r: ScenarioCaseResult, note: string, extra: Record<string, unknown> = {}): CaseRow {
  const ns = (r.wallS * 1e9) / r.events;
  const raw = rawHeapNs(r.events, r.holdMean);
  return {
    name,
    events: r.events,
    wall_s: r.wallS,
    events_per_s: r.events / r.wallS,
    ns_per_event: ns,
    peak_rss_bytes: r.peakRssBytes,
    raw_heap_ns: raw,
    ratio: ns / raw,
    note,
    extra: {
      file: r.file.replace(/^.*?((bench|scenarios)\/)/, '$1'),
      overrides: r.overrides,
      records: r.records,
      ns_per_record: (r.wallS * 1e9) / r.records,
      // An offer round trip (made, delivered, answered, filtered, recovered, its records folded and
      // hashed) is what a run's cost follows: wall time per offer sent, and offers per wall second.
      offers: r.offers,
      offers_per_s: r.offers / r.wallS,
      ns_per_offer: r.offers === 0 ? null : (r.wallS * 1e9) / r.offers,
      record_ratio: (r.wallS * 1e9) / r.records / raw,
      simulated_s: r.endTimeS,
      end_reason: r.reason,
      jobs: r.jobs,
      tasks: r.tasks,
      fingerprint: r.fingerprint,
      hold_peak: r.holdPeak,
      hold_mean: Math.round(r.holdMean),
      heap_before_bytes: r.heapBeforeBytes,
      heap_at_end_bytes: r.heapAtEndBytes,
      call_s: r.callS,
      cpu_s: r.cpuS,
      ...extra,
    },
  };
}

/** The day scenario's frameworks' job rate at full size (10,000 agents), jobs/s each. */
const DAY_RATE = 0.028935;

/**
 * `--set` overrides that turn bench/day.yaml into `agents` agents (40 a rack, as at full size)
 * and `duration` simulated seconds, with every framework's job rate scaled with the agents, so
 * the load per agent stays that of the day.
 */
export function dayOverrides(agents: number, duration: number): string[] {
  const rate = (DAY_RATE * agents) / 10_000;
  const out = [`duration=${duration}`, `cluster.agents.0.count=${agents}`, `cluster.agents.0.racks=${Math.max(1, Math.round(agents / 40))}`];
  for (let f = 0; f < 4; f++) out.push(`frameworks.${f}.workload.rate=${rate}`, `frameworks.${f}.workload.until=${duration}`);
  return out;
}

const kernelCase: BenchCase = {
  name: 'kernel',
  description: 'hold model: raw typed-array heap, EventQueue, Simulator at 10k and 1M pending; bytes per queued event',
  quick: true,
  run(quick) {
    const n = quick ? 200_000 : 2_000_000;
    const reps = quick ? 3 : 5;
    const rows: CaseRow[] = [];
    for (const hold of [10_000, 1_000_000]) {
      const r = holdBench([holdRawHeap, holdEventQueue, holdSimulator], n, hold, reps);
      const raw = r.ns[0]!;
      ['raw typed-array heap', 'EventQueue', 'Simulator'].forEach((v, i) => {
        const ns = r.ns[i]!;
        rows.push({
          name: `kernel: ${v}, hold ${k(hold)}`,
          events: n,
          wall_s: (ns * n) / 1e9,
          events_per_s: 1e9 / ns,
          ns_per_event: ns,
          peak_rss_bytes: peakRss(),
          raw_heap_ns: raw,
          ratio: ns / raw,
          note: i === 0 ? 'the floor: time key only, no tie-break, no dispatch' : `median of ${reps}`,
          extra: { hold, reps },
        });
      });
    }
    // At 2^20 pending the doubling array is exactly full (the bytes an event takes); at 1,000,000
    // it carries the last doubling's spare room as well.
    const b = bytesPerQueuedEvent(2 ** 20);
    const b1 = bytesPerQueuedEvent(1_000_000);
    rows.push({
      name: 'kernel: bytes per queued event',
      events: b.events,
      wall_s: null,
      events_per_s: null,
      ns_per_event: null,
      peak_rss_bytes: peakRss(),
      raw_heap_ns: null,
      ratio: null,
      note:
        `Simulator ${b.simulator.toFixed(1)} B, EventQueue ${b.eventQueue.toFixed(1)} B, raw heap ${b.rawHeap.toFixed(1)} B per pending event at 2^20 pending ` +
        `(${b1.simulator.toFixed(1)} B at 1,000,000 with the spare room of the last doubling; target <= 24)`,
      extra: { bytes_simulator: b.simulator, bytes_event_queue: b.eventQueue, bytes_raw_heap: b.rawHeap, bytes_simulator_1m: b1.simulator, target_bytes: 24 },
    });
    return { case: 'kernel', status: 'ok', rows };
  },
};

function allocationCase(name: string, quota: boolean): BenchCase {
  return {
    name,
    description: quota
      ? 'one allocate() at 10,000 agents x 1,000 frameworks, one role each, quota guarantees on half (stage 1 runs)'
      : 'one allocate() at 10,000 agents x 1,000 frameworks in role *, every offer declined (Mesos DeclineOffers/21)',
    quick: true,
    run(q) {
      const shape = q ? { agents: 1_000, frameworks: 100, quota } : { agents: 10_000, frameworks: 1_000, quota };
      const reps = q ? 3 : 7;
      const r = allocationBench(shape, reps);
      const rows = r.rounds.map((round, i): CaseRow => ({
        name: `${name}: round ${i}, ${k(shape.agents)} agents x ${k(shape.frameworks)} fw`,
        events: round.offers,
        wall_s: round.ms / 1e3,
        events_per_s: round.offers / (round.ms / 1e3),
        ns_per_event: (round.ms * 1e6) / Math.max(1, round.offers),
        peak_rss_bytes: peakRss(),
        raw_heap_ns: null,
        ratio: null,
        note:
          `${round.ms.toFixed(1)} ms per run (target < ${quota ? 20 : 2} ms), ${round.offers} offers, checksum ${round.checksum}; ` +
          (i === 0 ? 'no filters' : 'every round-0 offer declined for good'),
        extra: {
          agents: shape.agents,
          frameworks: shape.frameworks,
          quota,
          round: i,
          reps,
          ms: round.ms,
          ms_all: round.msAll,
          offers: round.offers,
          offered_cpus: round.cpus / 1000,
          checksum: round.checksum,
          setup_ms: r.setupMs,
          unit: 'events = offers; ns_per_event = ns per offer',
        },
      }));
      return { case: name, status: 'ok', rows };
    },
  };
}

const quickstartCase: BenchCase = {
  name: 'quickstart',
  description: 'scenarios/examples/quickstart.yaml end to end, median of repetitions, model vs metric folds',
  quick: true,
  async run(quick) {
    const loaded = await openCase(repoFile('scenarios/examples/quickstart.yaml'));
    const reps = quick ? 1 : 5;
    const r = repeatedScenarioBench(loaded, reps);
    // one more run for the queue size and heap (the repetitions above carry no sampler)
    const one = runScenarioCase(loaded);
    const ns = r.fullNs / r.events;
    const raw = rawHeapNs(r.events, one.holdMean);
    return {
      case: 'quickstart',
      status: 'ok',
      rows: [
        {
          name: 'quickstart: end to end',
          events: r.events,
          wall_s: r.fullNs / 1e9,
          events_per_s: r.events / (r.fullNs / 1e9),
          ns_per_event: ns,
          peak_rss_bytes: peakRss(),
          raw_heap_ns: raw,
          ratio: ns / raw,
          note: `median of ${reps}; model alone ${(r.modelNs / 1e6).toFixed(0)} ms, folds ${(((r.fullNs - r.modelNs) / r.fullNs) * 100).toFixed(0)}% of wall; fingerprint ${r.fingerprint}`,
          extra: {
            reps,
            records: r.records,
            ns_per_record: r.fullNs / r.records,
            record_ratio: r.fullNs / r.records / raw,
            fingerprint: r.fingerprint,
            model_s: r.modelNs / 1e9,
            finish_s: r.finishNs / 1e9,
            hold_peak: one.holdPeak,
            hold_mean: Math.round(one.holdMean),
            heap_at_end_bytes: one.heapAtEndBytes,
          },
        },
      ],
    };
  },
};

const dayCase: BenchCase = {
  name: 'day',
  description: 'bench/day.yaml: a simulated day, 10,000 agents, ~1M tasks, DRF, 4 batch frameworks with delay scheduling',
  quick: true,
  async run(quick) {
    const file = repoFile('bench/day.yaml');
    const loaded = await openCase(file, quick ? dayOverrides(1_000, 600) : []);
    const r = runScenarioCase(loaded);
    // Bytes per task, measured on a task table filled with the full day's own jobs (see taskTableBytes).
    const full = await openCase(file);
    const tb = taskTableBytes(full, quick ? 100_000 : 1_000_000);
    const growth = (r.heapAtEndBytes - r.heapBeforeBytes) / Math.max(1, r.tasks);
    const row = scenarioRow(
      `day${quick ? ' (quick: 1k agents, 600 s)' : ''}`,
      r,
      `${r.tasks} tasks; heap at end ${mb(r.heapAtEndBytes)} MB; task table ${tb.bytesPerTask.toFixed(0)} B/live task, ${tb.bytesPerFinishedJob.toFixed(0)} B/finished job (target: < 60 s, < 1 GB)`,
      {
        task_table_bytes_per_task: tb.bytesPerTask,
        task_table_bytes_per_finished_job: tb.bytesPerFinishedJob,
        task_table_tasks: tb.tasks,
        task_table_tasks_with_preferences: tb.withPreferences,
        heap_growth_bytes_per_task: growth,
        bytes_per_task_method:
          "task_table_bytes_per_task: (JS heap + ArrayBuffers after GC) of a TaskTable holding the day's jobs' tasks all live, " +
          'minus before, / tasks; task_table_bytes_per_finished_job: the same for a TaskTable a one-task job passes through a million times, each over before the next, / jobs; heap_growth_bytes_per_task: (heap + ArrayBuffers after GC at run end, model alive) minus before the run, / tasks submitted',
        target_wall_s: 60,
        target_peak_rss_bytes: 2 ** 31,
      },
    );
    return { case: 'day', status: 'ok', rows: [row] };
  },
};

function scaleCase(agents: number, quickAgents: number): BenchCase {
  const name = `scale-${k(agents)}`;
  return {
    name,
    description: `bench/day.yaml at ${k(agents)} agents for 1 simulated hour, job rates scaled with the agents ${quickAgents > 0 ? ` (quick: ${k(quickAgents)} agents, 300 s)` : ' (not in --quick)'}`,
    quick: quickAgents > 0,
    async run(quick) {
      const a = quick ? quickAgents : agents;
      const duration = quick ? 300 : 3600;
      const loaded = await openCase(repoFile('bench/day.yaml'), dayOverrides(a, duration));
      const r = runScenarioCase(loaded);
      const row = scenarioRow(`scale: ${k(a)} agents, ${duration} s`, r, `${r.tasks} tasks, ${(r.events / r.wallS / 1e3).toFixed(0)}k events/s`, {
        agents: a,
        duration_s: duration,
      });
      return { case: name, status: 'ok', rows: [row] };
    },
  };
}

/** The quick month: a fiftieth of the cluster (253 machines, 160 service instances) for a simulated hour. */
const MONTH_QUICK = { scale: 1 / 50, seconds: 3600 };

/**
 * bench/month.yaml with its generated Google-shaped jobs for `seconds` of simulated time: the
 * month itself (30 days; opt-in, hours today) or its first day or week (to extrapolate from).
 * At --quick (the month case only), {@link MONTH_QUICK}.
 */
function monthCase(name: string, seconds: number, quick: boolean): BenchCase {
  const days = seconds / 86_400;
  return {
    name,
    description:
      `bench/month.yaml: ${days === 30 ? 'a Google-sized month' : `the month's first ${days === 1 ? 'day' : `${days} days`}`}, 12,583 agents, Google 2011-shaped jobs ` +
      `(~${(expectedMonthTasks(seconds) / 1e6).toFixed(1)}M tasks), 8 services` +
      (quick ? ` (quick: 1/50 of the cluster, ${MONTH_QUICK.seconds} s)` : ''),
    quick,
    optIn: true,
    async run(q) {
      const file = repoFile('bench/month.yaml');
      const full = (await openCase(file)).scenario;
      const scale = q ? MONTH_QUICK.scale : 1;
      const span = q ? MONTH_QUICK.seconds : seconds;
      const loaded = await openCase(file, monthOverrides(full, span, scale));
      const r = runScenarioCase(loaded, monthJobs(loaded.scenario, scale));
      const growth = (r.heapAtEndBytes - r.heapBeforeBytes) / Math.max(1, r.tasks);
      const agents = loaded.scenario.cluster.agents.reduce((n, a) => n + a.count, 0);
      // the services' instances are tasks too (submitted at the start); the rest are generated
      const services = loaded.scenario.frameworks.reduce(
        (n, f) => n + (typeof f.behaviour === 'object' && f.behaviour.kind === 'service' ? f.behaviour.instances : 0),
        0,
      );
      const row = scenarioRow(
        `${name}${q ? ' (quick: 1/50 of the cluster, 3600 s)' : ''}`,
        r,
        `${r.tasks} tasks (${services} service instances), ${(r.offers / Math.max(1, r.tasks)).toFixed(1)} offers/task, ${((r.wallS * 1e6) / Math.max(1, r.tasks)).toFixed(0)} us/task; heap at end ${mb(r.heapAtEndBytes)} MB (target for the month: < 30 min, < 4 GB)`,
        {
          agents,
          duration_s: span,
          scale,
          service_instances: services,
          generated_tasks: r.tasks - services,
          expected_generated_tasks: Math.round(expectedMonthTasks(span, scale)),
          offers_per_task: r.offers / Math.max(1, r.tasks),
          us_per_task: (r.wallS * 1e6) / Math.max(1, r.tasks),
          heap_growth_bytes_per_task: growth,
          target_wall_s: 1800,
          target_peak_rss_bytes: 4 * 2 ** 30,
        },
      );
      return { case: name, status: 'ok', rows: [row] };
    },
  };
}

/** The bundled trace scenarios run end to end: file under scenarios/traces, and the quick override. */
function traceCase(scenario: string, quick: readonly string[] | null): BenchCase {
  const name = `trace-${scenario}`;
  return {
    name,
    description: `scenarios/traces/${scenario}.yaml end to end (needs ../shared/traces)`,
    quick: quick !== null,
    async run(q) {
      if (tracesDir() === undefined) return { case: name, status: 'skipped', note: '../shared/traces (beside the repository) is absent', rows: [] };
      const loaded = await openCase(repoFile(`scenarios/traces/${scenario}.yaml`), q ? (quick ?? []) : []);
      const r = runScenarioCase(loaded);
      return {
        case: name,
        status: 'ok',
        rows: [scenarioRow(`trace: ${scenario}${q ? ' (quick)' : ''}`, r, `${r.jobs} jobs, ${r.tasks} tasks, ${r.endTimeS.toFixed(0)} s simulated`)],
      };
    },
  };
}

/** The real traces imported by the import cases: format, file under ../shared/traces, options. */
export const IMPORT_CASES: readonly { name: string; format: string; file: string; options: Record<string, unknown>; quick: boolean }[] = [
  { name: 'nasa', format: 'swf', file: 'swf/NASA-iPSC-1993-3.1-cln.swf', options: {}, quick: false },
  { name: 'hpc2n', format: 'swf', file: 'swf/HPC2N-2002-2.2_head-alea.swf', options: {}, quick: true },
  {
    name: 'google',
    format: 'google-2011',
    file: 'google-2011/task_events_part-00000-of-00500.csv.gz',
    options: { jobEvents: 'google-2011/job_events_part-00000-of-00500.csv' },
    quick: false,
  },
  { name: 'swim-2009', format: 'swim', file: 'swim/FB-2009_samples_24_times_1hr_0.tsv', options: {}, quick: false },
  { name: 'swim-2010', format: 'swim', file: 'swim/FB-2010_samples_24_times_1hr_withInputPaths_0.tsv', options: {}, quick: false },
  { name: 'openb-pods', format: 'alibaba-openb-pods', file: 'alibaba-gpu-2023/openb_pod_list_default.csv', options: {}, quick: false },
  { name: 'openb-nodes', format: 'alibaba-openb-nodes', file: 'alibaba-gpu-2023/openb_node_list_all_node.csv', options: {}, quick: false },
  { name: 'alibaba-machines', format: 'alibaba-2018-machines', file: 'alibaba-2018/machine_meta.csv', options: {}, quick: false },
];

function importCase(c: (typeof IMPORT_CASES)[number]): BenchCase {
  const name = `import-${c.name}`;
  return {
    name,
    description: `offersim import ${c.format} of ${c.file}: rows per second and peak memory (needs ../shared/traces)`,
    quick: c.quick,
    async run() {
      const traces = tracesDir();
      if (traces === undefined) return { case: name, status: 'skipped', note: '../shared/traces (beside the repository) is absent', rows: [] };
      const file = join(traces, c.file);
      const options = Object.fromEntries(Object.entries(c.options).map(([key, v]) => [key, typeof v === 'string' ? join(traces, v) : v]));
      const tmp = mkdtempSync(join(tmpdir(), 'offersim-bench-import-'));
      try {
        const t0 = process.hrtime.bigint();
        const r = await importTrace(c.format, file, join(tmp, 'out.jsonl'), { options });
        const wall = Number(process.hrtime.bigint() - t0) / 1e9;
        const agents = c.format.endsWith('nodes') || c.format.endsWith('machines');
        return {
          case: name,
          status: 'ok',
          rows: [
            {
              name: `import: ${c.file.replace(/^.*\//, '')}`,
              events: r.counts.rows,
              wall_s: wall,
              events_per_s: r.counts.rows / wall,
              ns_per_event: (wall * 1e9) / r.counts.rows,
              peak_rss_bytes: peakRss(),
              raw_heap_ns: null,
              ratio: null,
              note: `${c.format}: ${r.counts.rows} rows -> ${r.counts.jobs} ${agents ? 'agents' : `jobs, ${r.counts.tasks} tasks`}; ${mb(statSync(file).size)} MB file`,
              extra: {
                format: c.format,
                file: c.file,
                rows: r.counts.rows,
                jobs: r.counts.jobs,
                tasks: r.counts.tasks,
                file_bytes: statSync(file).size,
                unit: 'events = trace rows',
              },
            },
          ],
        };
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}

/** Every case, in run and print order. */
export const CASES: readonly BenchCase[] = [
  kernelCase,
  allocationCase('alloc', false),
  allocationCase('alloc-quota', true),
  quickstartCase,
  dayCase,
  traceCase('google-2011', null),
  traceCase('nasa-swf', null),
  traceCase('hpc2n-swf', ['duration=86400']),
  scaleCase(1_000, 1_000),
  scaleCase(10_000, 2_000),
  scaleCase(50_000, 0),
  monthCase('google-day', 86_400, false),
  monthCase('google-week', 7 * 86_400, false),
  monthCase('month', MONTH_S, true),
  ...IMPORT_CASES.map(importCase),
];
