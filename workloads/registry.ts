/**
 * The workload sources offersim knows, by name, with a one-line description for `offersim list`.
 * Imports nothing.
 */

/** A workload format or generator. */
export interface WorkloadFormat {
  readonly name: string;
  readonly description: string;
}

/** Every workload source a scenario can name, sorted by name. */
export const WORKLOAD_FORMATS: readonly WorkloadFormat[] = [
  { name: 'inline', description: 'jobs listed in the scenario file itself (submit time, tasks, resources, durations)' },
  { name: 'poisson', description: 'synthetic Poisson arrivals: jobs per second, tasks per job, task shape and duration distributions' },
];
