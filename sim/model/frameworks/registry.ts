/**
 * Framework behaviours (scheduler models) by name, with a one-line description for `offersim list`.
 * Imports model modules only.
 */
import type { FrameworkBehaviour } from '../framework.js';
import { BatchFramework, type BatchOptions } from './batch.js';
import { GangFramework, type GangOptions } from './gang.js';
import { ServiceFramework, type ServiceOptions } from './service.js';

/** A registered behaviour. */
export interface BehaviourEntry {
  readonly name: string;
  readonly description: string;
}

/** Every behaviour a scenario can name, sorted by name. */
export const BEHAVIOURS: readonly BehaviourEntry[] = [
  { name: 'batch', description: 'elastic Hadoop/Spark-like jobs of independent tasks, FIFO among its jobs, as many tasks per offer as fit; optional delay scheduling for data locality' },
  { name: 'gang', description: 'rigid MPI-like jobs that start all their tasks at one instant, FIFO; declines partial offers or hoards them (hoard: true); restarts a gang that loses a task; optional decision time' },
  { name: 'service', description: 'long-running tasks that never end, kept at their instance count, at most maxPerAgent per agent, spread over racks; optional decision time' },
];

/** Builds the batch behaviour. */
export function createBatch(options: BatchOptions): FrameworkBehaviour {
  return new BatchFramework(options);
}

/** Builds the gang behaviour. */
export function createGang(options: GangOptions): FrameworkBehaviour {
  return new GangFramework(options);
}

/** Builds the service behaviour. */
export function createService(options: ServiceOptions): FrameworkBehaviour {
  return new ServiceFramework(options);
}
