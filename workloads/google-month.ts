/**
 * A synthetic workload shaped like the Google cluster-data 2011-2 trace: job arrivals, job sizes,
 * task requests and task durations drawn from empirical distributions measured on the shared
 * sample of the trace (part 0 of task_events and job_events) by bench/google-shape.ts, whose
 * output and the choices made here are in docs/workloads.md. Jobs are generated lazily from one
 * named stream, so a month of about 25 million tasks is never held at once. Imports the kernel's
 * rng type, the shared time and resource leaves, model types and ./empirical.
 */
import type { Rng } from '../sim/kernel/rng.js';
import { MICROS_PER_SECOND, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec, TaskSpec } from '../sim/model/job.js';
import { resources } from '../sim/model/resources.js';
import { Categorical, EmpiricalQuantiles } from './empirical.js';

/** A priority band of the trace, whose jobs go to one framework. */
export interface GoogleBand {
  /** 'free' (priorities 0-1), 'batch' (2-8), 'production' (9-11) */
  readonly band: string;
  /** share of arriving jobs */
  readonly jobs: number;
  /** tasks per job (drawn, then rounded to an integer >= 1) */
  readonly tasksPerJob: EmpiricalQuantiles;
}

/** Every distribution of the shape, as measured (docs/workloads.md, "Google 2011 shape"). */
export interface GoogleShape {
  /** gap between job arrivals, seconds */
  readonly gap: EmpiricalQuantiles;
  readonly bands: readonly GoogleBand[];
  /** a job's cpu request, normalised to the largest machine (every task of a job asks the same) */
  readonly cpu: EmpiricalQuantiles;
  /** a job's memory request, normalised to the largest machine */
  readonly mem: EmpiricalQuantiles;
  /** Spearman rank correlation of a job's cpu and memory requests (>= 0) */
  readonly cpuMemRankCorrelation: number;
  /** a task's run time, seconds */
  readonly duration: EmpiricalQuantiles;
}

const q = (knots: readonly (readonly [number, number])[]): EmpiricalQuantiles => new EmpiricalQuantiles(knots);

/**
 * The shape measured on part 0 of the trace (600 s to 5,611 s of trace time: 914 jobs submitted,
 * 46,570 tasks, 12,492 machines seen). Knots are nearest-rank quantiles printed by
 * bench/google-shape.ts; the duration's tail beyond the sample's 4,800 s is log-uniform up to the
 * bound that gives the mean task duration Little's law asks for (76,929 non-production tasks live
 * at the trace's start, 9.324 tasks arriving a second: 8,251 s).
 */
export const GOOGLE_2011_SHAPE: GoogleShape = {
  gap: q([
    [0, 0.000001],
    [0.1, 0.002356],
    [0.2, 0.005221],
    [0.3, 0.031311],
    [0.35, 0.773732],
    [0.4, 1.22114],
    [0.5, 1.989457],
    [0.6, 3.221123],
    [0.7, 5.905004],
    [0.8, 9.773927],
    [0.9, 13.943412],
    [0.95, 23.299317],
    [0.99, 41.306611],
    [1, 79.271125],
  ]),
  bands: [
    {
      band: 'free',
      jobs: 369 / 914,
      tasksPerJob: q([
        [0, 1],
        [0.911, 1],
        [0.94, 4],
        [0.95, 29],
        [0.96, 38],
        [0.98, 198],
        [0.99, 489],
        [1, 1200],
      ]),
    },
    {
      band: 'batch',
      jobs: 455 / 914,
      tasksPerJob: q([
        [0, 1],
        [0.719, 1],
        [0.8, 11],
        [0.85, 30],
        [0.9, 70],
        [0.92, 198],
        [0.94, 1050],
        [0.99, 1050],
        [1, 2100],
      ]),
    },
    {
      band: 'production',
      jobs: 90 / 914,
      tasksPerJob: q([
        [0, 1],
        [0.911, 1],
        [0.94, 3],
        [0.95, 10],
        [0.96, 10],
        [0.98, 40],
        [0.99, 128],
        [1, 128],
      ]),
    },
  ],
  cpu: q([
    [0, 0],
    [0.1, 0],
    [0.2, 0.006248],
    [0.3, 0.006248],
    [0.4, 0.00769],
    [0.5, 0.0125],
    [0.6, 0.02499],
    [0.7, 0.03125],
    [0.8, 0.0625],
    [0.95, 0.0625],
    [0.99, 0.125],
    [1, 0.2407],
  ]),
  mem: q([
    [0, 0.00006199],
    [0.1, 0.0001554],
    [0.2, 0.001972],
    [0.3, 0.003109],
    [0.4, 0.004662],
    [0.5, 0.007767],
    [0.6, 0.01244],
    [0.7, 0.0159],
    [0.8, 0.02545],
    [0.9, 0.04773],
    [0.95, 0.04773],
    [0.99, 0.09546],
    [1, 0.1335],
  ]),
  cpuMemRankCorrelation: 0.566,
  duration: q([
    [0, 0.000029],
    [0.01, 40.522645],
    [0.05, 121.12747],
    [0.1, 143.56763],
    [0.2, 178.44151],
    [0.3, 222.054682],
    [0.4, 331.96814],
    [0.5, 401.388141],
    [0.6, 491.004056],
    [0.7, 620.094322],
    [0.8, 877.776502],
    [0.85, 1629.002668],
    [0.9, 1705.307102],
    [0.95, 2818.3807],
    [0.97, 3057.237992],
    [0.9762, 4800],
    [1, 1925096],
  ]),
};

/** Options of a Google-shaped job stream. */
export interface GoogleJobsOptions {
  /** the framework of each band, by band name; a band without one is not generated (its draws still are) */
  readonly frameworks: Readonly<Record<string, string>>;
  /** cpus of the largest machine (normalised 1.0) */
  readonly cpusPerUnit: number;
  /** MB of memory of the largest machine (normalised 1.0) */
  readonly memPerUnit: number;
  /** first possible arrival, us; default 0 */
  readonly start?: SimTime;
  /** no arrival at or after this time, us */
  readonly until: SimTime;
  /** arrivals this many times as dense (every gap divided by it), for a cluster this share of the trace's; default 1 */
  readonly arrivalScale?: number;
  /** the shape; default {@link GOOGLE_2011_SHAPE} */
  readonly shape?: GoogleShape;
}

/** Expected tasks per second of a shape: the band-weighted mean tasks per job over the mean gap. */
export function expectedTaskRate(shape: GoogleShape = GOOGLE_2011_SHAPE): number {
  let total = 0;
  let perJob = 0;
  for (const b of shape.bands) {
    total += b.jobs;
    perJob += b.jobs * b.tasksPerJob.mean();
  }
  return perJob / total / shape.gap.mean();
}

/**
 * Lazily generates the jobs of a Google-shaped stream in submit order, ids `<framework>/<n>` (n
 * counts every job of the stream). The draws per job are, in order: the gap since the previous
 * arrival, the band, the task count, the cpu quantile, the copula's choice and the memory
 * quantile (memory follows cpu's quantile with probability `cpuMemRankCorrelation`, a mixture of
 * the comonotone and the independent copula, whose Spearman correlation is exactly that), then
 * one duration per task. Every task of a job asks the same resources (99.7% of the sample's tasks
 * do).
 */
export function* googleJobs(o: GoogleJobsOptions, rng: Rng): Generator<JobSpec> {
  const shape = o.shape ?? GOOGLE_2011_SHAPE;
  const bands = new Categorical(shape.bands.map((b) => b.jobs));
  const rho = shape.cpuMemRankCorrelation;
  if (!(rho >= 0 && rho <= 1)) throw new RangeError('cpuMemRankCorrelation must be in [0, 1]');
  const perSecond = MICROS_PER_SECOND / (o.arrivalScale ?? 1);
  if (!(perSecond > 0 && Number.isFinite(perSecond))) throw new RangeError('arrivalScale must be > 0');
  let t = o.start ?? 0;
  for (let n = 0; ; n++) {
    t += Math.round(shape.gap.draw(rng) * perSecond);
    if (t >= o.until) return;
    const band = shape.bands[bands.draw(rng)]!;
    const k = Math.max(1, Math.round(band.tasksPerJob.draw(rng)));
    const uCpu = rng.next();
    const together = rng.next() < rho;
    const uMem = rng.next();
    const res = resources({ cpus: shape.cpu.quantile(uCpu) * o.cpusPerUnit, mem: shape.mem.quantile(together ? uCpu : uMem) * o.memPerUnit });
    const tasks: TaskSpec[] = new Array<TaskSpec>(k);
    for (let i = 0; i < k; i++) tasks[i] = { res, duration: Math.max(1, Math.round(shape.duration.draw(rng) * MICROS_PER_SECOND)) as SimTime };
    const framework = o.frameworks[band.band];
    if (framework !== undefined) yield { id: `${framework}/${n}`, submit: t as SimTime, framework, tasks };
  }
}
