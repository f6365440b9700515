/** Runs for the tests of the comparison of policies (reports/compare.ts), with hand-worked results in reports/compare.test.ts. */
import type { CompareRun } from '../compare.js';

const run = (policy: string, seed: number, summary: CompareRun['summary'], frameworks: CompareRun['frameworks'] = new Map()): CompareRun => ({
  policy,
  seed,
  summary,
  frameworks,
});

// Three seeds of a reference policy "drf" and of "random"; "fifo" ran seeds 1, 2 and 4.
export const RUNS: CompareRun[] = [
  run('drf', 1, { utilisation_cpus: 0.5, completion_p50_s: 10, jain_arrival_mean: 0.9, jain_mean: 0.5 }, new Map([['etl', { queueing_delay_p50_s: 4 }]])),
  run('drf', 2, { utilisation_cpus: 0.6, completion_p50_s: 12, jain_arrival_mean: 0.9, jain_mean: 0.5 }, new Map([['etl', { queueing_delay_p50_s: 6 }]])),
  run('drf', 3, { utilisation_cpus: 0.7, completion_p50_s: 14, jain_arrival_mean: 0.9, jain_mean: 0.5 }, new Map([['etl', { queueing_delay_p50_s: 8 }]])),
  run('random', 1, { utilisation_cpus: 0.6, completion_p50_s: 7, jain_arrival_mean: 0.8, jain_mean: 0.7 }, new Map([['etl', { queueing_delay_p50_s: 5 }]])),
  run('random', 2, { utilisation_cpus: 0.8, completion_p50_s: 9, jain_arrival_mean: 0.8, jain_mean: 0.7 }, new Map([['etl', { queueing_delay_p50_s: 7 }]])),
  run('random', 3, { utilisation_cpus: 0.7, completion_p50_s: 10, jain_arrival_mean: 0.8, jain_mean: 0.8 }, new Map([['etl', { queueing_delay_p50_s: null }]])),
  run('fifo', 1, { utilisation_cpus: 0.5, completion_p50_s: null, jain_arrival_mean: 0.9, jain_mean: 0.5 }),
  run('fifo', 2, { utilisation_cpus: 0.6, completion_p50_s: 12, jain_arrival_mean: 0.9, jain_mean: 0.5 }),
  run('fifo', 4, { utilisation_cpus: 0.9, completion_p50_s: 30, jain_arrival_mean: 0.9, jain_mean: 0.5 }),
];
/** The metrics the tests compare: two with a good direction each way, one with none. */
export const METRICS = ['utilisation_cpus', 'completion_p50_s', 'jain_arrival_mean', 'jain_mean'];
