/**
 * The month case's workload: bench/month.yaml (the Google-shaped cluster, the three job bands'
 * frameworks and the services) plus jobs generated lazily from the Google 2011 shape
 * (workloads/google-month.ts), and the `--set` overrides that shorten the run or shrink it for
 * --quick. bench/ may import anything; nothing imports bench/ but the benchmark itself.
 */
import { RandomStreams } from '../sim/kernel/rng.js';
import { MICROS_PER_SECOND, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec } from '../sim/model/job.js';
import type { Scenario } from '../scenarios/schema.js';
import { GOOGLE_2011_SHAPE, expectedTaskRate, googleJobs } from '../workloads/google-month.js';

/** The month: 30 days, simulated seconds. */
export const MONTH_S = 30 * 86_400;

/** The trace's largest machine (normalised 1.0): 32 cpus and 128 GiB, as bench/month.yaml's agents. */
const CPUS_PER_UNIT = 32;
const MEM_PER_UNIT = 131_072;

/** The random stream of the generated jobs (no framework of the scenario is named so). */
const STREAM = 'workload/google-2011-shape';

/**
 * The month's jobs for a run of `s` (bench/month.yaml, maybe shrunk by {@link monthOverrides}):
 * the three bands to the frameworks named after them, arrivals until the run's end, scaled by
 * `scale` (the share of the full cluster the run has: arrivals `scale` times as dense).
 */
export function monthJobs(s: Scenario, scale = 1): Iterable<JobSpec> {
  const until = ((s.duration ?? MONTH_S) * MICROS_PER_SECOND) as SimTime;
  return {
    [Symbol.iterator]: () =>
      googleJobs(
        {
          frameworks: { free: 'free', batch: 'batch', production: 'production' },
          cpusPerUnit: CPUS_PER_UNIT,
          memPerUnit: MEM_PER_UNIT,
          until,
          arrivalScale: scale,
        },
        new RandomStreams(s.seed).stream(STREAM),
      ),
  };
}

/** Tasks the month's jobs bring in `seconds` at `scale`, expected from the shape's tables. */
export function expectedMonthTasks(seconds: number, scale = 1): number {
  return expectedTaskRate(GOOGLE_2011_SHAPE) * seconds * scale;
}

/**
 * `--set` overrides of bench/month.yaml for a run of `seconds` on `scale` of its cluster: every
 * machine group and every service's instances scaled (at least 1 each); jobs arrive `scale` times
 * as dense ({@link monthJobs}), so the load per machine stays the month's.
 */
export function monthOverrides(full: Scenario, seconds: number, scale = 1): string[] {
  const out = [`duration=${seconds}`];
  if (scale === 1) return out;
  full.cluster.agents.forEach((a, i) => out.push(`cluster.agents.${i}.count=${Math.max(1, Math.round(a.count * scale))}`));
  full.frameworks.forEach((f, i) => {
    const b = f.behaviour;
    if (typeof b === 'object' && b.kind === 'service') out.push(`frameworks.${i}.behaviour.instances=${Math.max(1, Math.round(b.instances * scale))}`);
  });
  return out;
}
