/**
 * Whole simulations as benchmark cases: a scenario run end to end with the sinks `offersim run`
 * wires (metric fold, fingerprint, record counter: scenarios/run.ts simulateScenario), its
 * pending-event count sampled, its heap measured at the end, and the quickstart's split of model
 * and report cost. bench/ may read the wall clock; nothing imports bench/.
 */
import { Fingerprint, MetricsFold } from '../reports/index.js';
import { seconds, type SimTime } from '../sim/kernel/time.js';
import { Simulator } from '../sim/kernel/simulator.js';
import { TaskCode, TaskTable, type JobSpec } from '../sim/model/job.js';
import type { LogBlock, LogRecord, LogSink } from '../sim/model/log.js';
import { simulate } from '../sim/model/simulation.js';
import { buildJobs, buildSimulation } from '../scenarios/build.js';
import { openScenario, type LoadedScenario } from '../scenarios/loader.js';
import { simulateScenario } from '../scenarios/run.js';
import { peakRssBytes as peakRss } from '../scenarios/peak-rss.js';
import { collectGarbage, heapAndBuffers, median } from './kernel.js';

/**
 * The Simulator that simulate() builds is local to it. To read its pending-event count without
 * changing sim/, Simulator.prototype.run (called once per simulation, outside the per-event path)
 * is wrapped here, in the bench's own process only, to note the instance that runs.
 */
let running: Simulator | undefined;
let wrapped = false;
function watchSimulators(): void {
  if (wrapped) return;
  wrapped = true;
  const run = Simulator.prototype.run;
  Simulator.prototype.run = function (this: Simulator, until?: number): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the queue sampler reads the simulator that is running
    running = this;
    run.call(this, until);
  };
}

/**
 * A sink that samples the running simulator's pending events at every log record (records come
 * with most events, so this is a fine sample of the queue size without an event of its own that
 * would change the run), counts the tasks submitted, and measures the heap (after a GC) when the
 * run ends, while the model (task table, master, folds) is still alive.
 */
export class QueueSampler implements LogSink {
  peak = 0;
  sum = 0;
  samples = 0;
  jobs = 0;
  tasks = 0;
  /** heap + ArrayBuffers after a GC at run_ended, bytes (NaN without --expose-gc) */
  heapAtEnd = NaN;
  /** wall ns that measurement took (inside simulate(): the case subtracts it) */
  measureNs = 0;
  record(r: LogRecord): void {
    const sim = running;
    if (sim !== undefined) {
      const p = sim.pending;
      if (p > this.peak) this.peak = p;
      this.sum += p;
      this.samples++;
    }
    this.count(r);
  }

  /** Counts a job's tasks, or measures the heap at the run's end. */
  private count(r: LogRecord): void {
    if (r.kind === 'job_submitted') {
      this.jobs++;
      this.tasks += r.tasks;
    } else if (r.kind === 'run_ended' && (globalThis as { gc?: unknown }).gc !== undefined) {
      const t0 = process.hrtime.bigint();
      this.heapAtEnd = heapAndBuffers();
      this.measureNs = Number(process.hrtime.bigint() - t0);
    }
  }
  /** A block of records: the pending count at its event's end counts once per record, as record() would sample it. */
  block(b: LogBlock): void {
    const sim = running;
    if (sim !== undefined && b.length > 0) {
      const p = sim.pending;
      if (p > this.peak) this.peak = p;
      this.sum += p * b.length;
      this.samples += b.length;
    }
    for (const r of b.objects) {
      if (r.kind === 'job_submitted' || r.kind === 'run_ended') this.count(r);
    }
  }

  /** mean sampled pending events (0 when none was sampled) */
  get mean(): number {
    return this.samples === 0 ? 0 : this.sum / this.samples;
  }
}

/** What one end-to-end run of a scenario measured. */
export interface ScenarioCaseResult {
  readonly file: string;
  readonly overrides: readonly string[];
  readonly events: number;
  readonly records: number;
  /** offers sent (summary.json `offers_sent`): the model's unit of cost */
  readonly offers: number;
  /** simulate() wall seconds, without the end-of-run heap measurement */
  readonly wallS: number;
  /** metric fold finish + fingerprint digest are inside scenarios' simulateScenario: wall seconds of the whole call */
  readonly callS: number;
  /** CPU seconds (user + system) of the process during the whole call: steadier than wall on a shared machine */
  readonly cpuS: number;
  readonly endTimeS: number;
  readonly reason: string;
  readonly jobs: number;
  readonly tasks: number;
  readonly fingerprint: string;
  readonly holdPeak: number;
  readonly holdMean: number;
  /** peak resident set of the process right after the run, bytes */
  readonly peakRssBytes: number;
  /** heap + ArrayBuffers before the run and at its end (model alive), bytes */
  readonly heapBeforeBytes: number;
  readonly heapAtEndBytes: number;
}

/** Opens a scenario (traces prepared, as `offersim run` does) with `--set`-style overrides. */
export async function openCase(file: string, overrides: readonly string[] = []): Promise<LoadedScenario> {
  return openScenario(file, overrides);
}

/** Runs a loaded scenario once, end to end, as `offersim run` does but writing nothing; `jobs` besides its own (the month's). */
export function runScenarioCase(loaded: LoadedScenario, jobs?: Iterable<JobSpec>): ScenarioCaseResult {
  watchSimulators();
  const sampler = new QueueSampler();
  const heapBeforeBytes = heapAndBuffers();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  // As `offersim run` on two or more cores: the metric fold and the fingerprint in a second thread.
  const out = simulateScenario(loaded, { sinks: [sampler], jobs, foldThread: true });
  const callNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const peakRssBytes = peakRss();
  running = undefined;
  return {
    file: loaded.file,
    overrides: loaded.overrides,
    events: out.result.events,
    records: out.records,
    offers: out.metrics.summary.offersSent,
    wallS: out.wallSeconds - sampler.measureNs / 1e9,
    callS: (callNs - sampler.measureNs) / 1e9,
    cpuS: (cpu.user + cpu.system) / 1e6 - sampler.measureNs / 1e9,
    endTimeS: out.result.endTime / 1e6,
    reason: out.result.reason,
    jobs: sampler.jobs,
    tasks: sampler.tasks,
    fingerprint: out.fingerprint,
    holdPeak: sampler.peak,
    holdMean: sampler.mean,
    peakRssBytes,
    heapBeforeBytes,
    heapAtEndBytes: sampler.heapAtEnd,
  };
}

/** What {@link taskTableBytes} measured. */
export interface TaskBytes {
  readonly tasks: number;
  readonly jobs: number;
  /** tasks with preferred locations (each holds two small typed arrays) */
  readonly withPreferences: number;
  /** bytes per live task: (heap + ArrayBuffers) growth of a table holding every task / tasks */
  readonly bytesPerTask: number;
  /** bytes per job over: growth of a table through which the same jobs passed one at a time / jobs */
  readonly bytesPerFinishedJob: number;
}

/**
 * Bytes per task and per finished job of the model's task table, from the scenario's own jobs
 * (up to `maxTasks` tasks, whole jobs), as (JS heap + ArrayBuffers after a GC) with the table
 * filled minus before. Per live task: a table holding all of them at once (its columns grow by
 * doubling, so the figure includes that slack). Per finished job: a table through which a
 * one-task job passes a million times, each finished and released before the next arrives: what
 * the table keeps of a job for the whole run (its per-job columns, with their doubling slack).
 * The job specs are generated lazily and dropped as they are added.
 */
export function taskTableBytes(loaded: LoadedScenario, maxTasks: number): TaskBytes {
  const s = loaded.scenario;
  const table = new TaskTable();
  const before = heapAndBuffers();
  let withPreferences = 0;
  for (const job of buildJobs(s, s.seed)) {
    if (table.size + job.tasks.length > maxTasks) break;
    table.addJob(job, 0);
  }
  for (let i = 0; i < table.size; i++) if (table.prefsOf(i) !== undefined) withPreferences++;
  const after = heapAndBuffers();
  // Per finished job: one small job (the scenario's first task) a million times, each over before
  // the next arrives; what the table keeps of a job does not depend on its tasks.
  const done = new TaskTable();
  const first = buildJobs(s, s.seed)[Symbol.iterator]().next();
  const one: JobSpec = { id: 'one', submit: 0 as SimTime, framework: '', tasks: first.done === true ? [] : first.value.tasks.slice(0, 1) };
  const passes = 1_000_000;
  const beforeDone = heapAndBuffers();
  for (let k = 0; k < passes; k++) {
    const j = done.addJob(one, 0);
    for (let i = done.firstTask[j]!; i < done.firstTask[j]! + done.taskCount[j]!; i++) done.setState(i, TaskCode.FINISHED);
    done.release(j);
  }
  const afterDone = heapAndBuffers();
  return {
    tasks: table.size,
    jobs: table.jobs,
    withPreferences,
    bytesPerTask: (after - before) / Math.max(1, table.size),
    bytesPerFinishedJob: (afterDone - beforeDone) / done.jobs,
  };
}

/** One timed simulate() of a loaded scenario, with or without the report sinks. */
interface QuickRun {
  readonly ns: number;
  readonly finishNs: number;
  readonly events: number;
  readonly records: number;
  readonly fingerprint: string;
}

/** A sink that ignores every record (and every block of them). */
const NULL_SINK: LogSink = { record: () => {}, block: () => {} };

function runOnce(loaded: LoadedScenario, withReports: boolean): QuickRun {
  const s = loaded.scenario;
  let records = 0;
  const counter: LogSink = {
    record: () => {
      records++;
    },
    block: (b) => {
      records += b.length;
    },
  };
  const fold = withReports ? new MetricsFold({ sampleInterval: seconds(s.output.sampleInterval) }) : undefined;
  const fingerprint = withReports ? new Fingerprint() : undefined;
  // Without reports, two do-nothing sinks keep three sinks, so that the log's blocks are still
  // written and handed over, and only the folds' work is left out.
  const sinks: LogSink[] = fold !== undefined && fingerprint !== undefined ? [fold, fingerprint, counter] : [NULL_SINK, NULL_SINK, counter];
  const input = buildSimulation(s, s.seed, sinks);
  collectGarbage();
  const t0 = process.hrtime.bigint();
  const result = simulate(input);
  const t1 = process.hrtime.bigint();
  fold?.finish();
  const digest = fingerprint?.digest() ?? '';
  const t2 = process.hrtime.bigint();
  return { ns: Number(t1 - t0), finishNs: Number(t2 - t1), events: result.events, records, fingerprint: digest };
}

/** What {@link repeatedScenarioBench} measured: medians over the repetitions, wall ns. */
export interface RepeatedResult {
  readonly reps: number;
  readonly events: number;
  readonly records: number;
  readonly fingerprint: string;
  /** simulate() with the metric fold, fingerprint and counter sinks */
  readonly fullNs: number;
  /** simulate() with a record counter and two do-nothing sinks: the model alone, records still built */
  readonly modelNs: number;
  /** MetricsFold.finish() plus Fingerprint.digest() after the run */
  readonly finishNs: number;
}

/**
 * A short scenario timed `reps` times with its report sinks and `reps` times without (interleaved,
 * after one warm-up), to split the model's cost from the folds'. Throws if repetitions disagree on
 * the fingerprint or counts, which would be a determinism bug, never because of speed.
 */
export function repeatedScenarioBench(loaded: LoadedScenario, reps: number): RepeatedResult {
  runOnce(loaded, true);
  const full: number[] = [];
  const model: number[] = [];
  const finish: number[] = [];
  const seen = new Set<string>();
  let last: QuickRun | undefined;
  for (let r = 0; r < reps; r++) {
    const m = runOnce(loaded, false);
    model.push(m.ns);
    seen.add(`${m.events}/${m.records}`);
    const f = runOnce(loaded, true);
    full.push(f.ns);
    finish.push(f.finishNs);
    seen.add(`${f.events}/${f.records}/${f.fingerprint}`);
    last = f;
  }
  if (seen.size !== 2) throw new Error(`bench: repeated runs of ${loaded.file} disagree (${[...seen].join(', ')}): determinism bug`);
  return {
    reps,
    events: last!.events,
    records: last!.records,
    fingerprint: last!.fingerprint,
    fullNs: median(full),
    modelNs: median(model),
    finishNs: median(finish),
  };
}
