/**
 * The words every metric module shares: the resources of a log record's tuple, values per
 * resource, the locality levels and their fractions, the job-size buckets. Imports only the shared
 * leaf that names the resources.
 */
import { RESOURCE_NAMES } from '../sim/model/resources.js';

/** Resource names in the order of a log record's resource tuple: the model's (a shared leaf). */
export { RESOURCE_NAMES, type ResourceName } from '../sim/model/resources.js';
/** Number of resources in a record's tuple. */
export const NR = RESOURCE_NAMES.length;
/** A value per resource, in {@link RESOURCE_NAMES} order. */
export type PerResource = readonly [number, number, number, number];

/** A value per resource from `f(i)`, i in {@link RESOURCE_NAMES} order. */
export function perResource(f: (i: number) => number): PerResource {
  return [f(0), f(1), f(2), f(3)];
}

/**
 * The locality levels of a launched task with preferred locations, in the order of the folds'
 * counters, with the names each file gives them: one place, so that the spellings cannot drift
 * apart. `fraction` names the summary.json and frameworks.csv fraction, `count` the jobs.csv
 * count, `label` the charts' legend; `better` is `offersim check`'s direction of the fraction.
 */
export const LOCALITY_LEVELS = [
  { level: 'node', fraction: 'node_local', count: 'local_node', label: 'node-local', better: 'higher', what: 'ran on an agent they prefer' },
  {
    level: 'rack',
    fraction: 'rack_local',
    count: 'local_rack',
    label: 'rack-local',
    better: 'none',
    what: 'ran in a rack they prefer, not on a preferred agent',
  },
  { level: 'remote', fraction: 'remote', count: 'local_remote', label: 'remote', better: 'lower', what: 'ran elsewhere' },
] as const satisfies readonly {
  readonly level: string;
  readonly fraction: string;
  readonly count: string;
  readonly label: string;
  readonly better: 'higher' | 'lower' | 'none';
  readonly what: string;
}[];
/** A locality level: node, rack or remote (the log's task_locality values). */
export type LocalityLevel = (typeof LOCALITY_LEVELS)[number]['level'];

/** Locality of a set of launched tasks with preferences: their count and the fraction at each level. */
export interface LocalityFractions {
  /** launched tasks with preferred locations */
  readonly tasks: number;
  /** node-local / tasks; NaN when tasks is 0 */
  readonly node: number;
  /** rack-local / tasks; NaN when tasks is 0 */
  readonly rack: number;
  /** remote / tasks; NaN when tasks is 0 */
  readonly remote: number;
}

/**
 * Job-size buckets of the locality metrics: [label, smallest, largest] task counts of a job
 * (all its tasks, with preferences or not).
 */
export const JOB_SIZE_BUCKETS: readonly (readonly [string, number, number])[] = [
  ['1_10', 1, 10],
  ['11_50', 11, 50],
  ['51_plus', 51, Infinity],
];
