/**
 * Synthetic workloads: Poisson job arrivals with configurable job sizes, task shapes and task
 * durations, drawn from a named random stream. Imports the kernel's rng type, the shared time leaf, model types.
 */
import type { Rng } from '../sim/kernel/rng.js';
import { MICROS_PER_SECOND, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec, TaskSpec } from '../sim/model/job.js';
import type { ResourceVector } from '../sim/model/resources.js';

/** A number drawn per job or per task: a constant, uniform in [min, max], or exponential with a mean. */
export type Distribution =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'exponential'; readonly mean: number };

/** Options of a Poisson arrival stream for one framework. */
export interface PoissonOptions {
  /** framework that receives the jobs */
  readonly framework: string;
  /** mean arrival rate, jobs per second (> 0) */
  readonly rate: number;
  /** first possible arrival, us; default 0 */
  readonly start?: SimTime;
  /** no arrival at or after this time, us; default none */
  readonly until?: SimTime | undefined;
  /** at most this many jobs; default none (then `until` is required) */
  readonly count?: number | undefined;
  /** tasks per job (rounded to an integer >= 1) */
  readonly tasksPerJob: Distribution;
  /** resources of each task, fixed point */
  readonly taskRes: ResourceVector;
  /** task duration in seconds (rounded to the microsecond, at least 1 us) */
  readonly duration: Distribution;
}

/** One draw from a distribution. */
export function draw(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'exponential':
      return -d.mean * Math.log(1 - rng.next());
  }
}

/**
 * Lazily generates the jobs of one Poisson stream, in submit order, with ids `<framework>/<n>`.
 * The draws per job are, in order: inter-arrival gap, task count, then one duration per task.
 * @example [...poissonJobs({ framework: 'a', rate: 1, count: 3, ... }, rng)].length // 3
 */
export function* poissonJobs(o: PoissonOptions, rng: Rng): Generator<JobSpec> {
  if (!(o.rate > 0)) throw new RangeError('rate must be > 0');
  if (o.count === undefined && o.until === undefined) throw new RangeError('a Poisson stream needs count or until');
  let t = o.start ?? 0;
  for (let n = 0; o.count === undefined || n < o.count; n++) {
    t += Math.round((-Math.log(1 - rng.next()) / o.rate) * MICROS_PER_SECOND);
    if (o.until !== undefined && t >= o.until) return;
    const k = Math.max(1, Math.round(draw(o.tasksPerJob, rng)));
    const tasks: TaskSpec[] = [];
    for (let i = 0; i < k; i++) {
      const d = Math.max(1, Math.round(draw(o.duration, rng) * MICROS_PER_SECOND));
      tasks.push({ res: o.taskRes, duration: d as SimTime });
    }
    yield { id: `${o.framework}/${n}`, submit: t as SimTime, framework: o.framework, tasks };
  }
}

/**
 * Merges job streams by submit time; equal times keep the order of the sources, then each
 * source's own order, so the merge is a total order.
 */
export function* mergeBySubmit(sources: readonly Iterable<JobSpec>[]): Generator<JobSpec> {
  const its = sources.map((s) => s[Symbol.iterator]());
  const heads: (JobSpec | undefined)[] = its.map((it) => {
    const r = it.next();
    return r.done === true ? undefined : r.value;
  });
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && (best < 0 || h.submit < heads[best]!.submit)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const r = its[best]!.next();
    heads[best] = r.done === true ? undefined : r.value;
  }
}
