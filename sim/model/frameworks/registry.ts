/**
 * Framework behaviours (scheduler models) by name, with a one-line description for `offersim list`.
 * Imports model modules only.
 */
import type { FrameworkBehaviour } from '../framework.js';
import { BatchFramework, type BatchOptions } from './batch.js';

/** A registered behaviour. */
export interface BehaviourEntry {
  readonly name: string;
  readonly description: string;
}

/** Every behaviour a scenario can name, sorted by name. */
export const BEHAVIOURS: readonly BehaviourEntry[] = [
  { name: 'batch', description: 'elastic Hadoop/Spark-like jobs of independent tasks, FIFO among its jobs, as many tasks per offer as fit' },
];

/** Builds the batch behaviour. */
export function createBatch(options: BatchOptions): FrameworkBehaviour {
  return new BatchFramework(options);
}
