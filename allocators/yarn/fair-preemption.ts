/**
 * The FairScheduler's preemption (Hadoop FSPreemptionThread, FSAppAttempt.fairShareStarvation,
 * FSLeafQueue.minShareStarvation; off by default, yarn-semantics.md §4.4). Imports the port's
 * and model types only.
 */
import type { ResourceVector } from '../../sim/model/resources.js';
import type { FairPreemptionOptions } from './fair-options.js';

/** What preemption needs of a queue (the scheduler's FairQueue). */
export interface PreemptionQueue {
  readonly children: readonly PreemptionQueue[];
}

/** Preemption state: containers chosen and when. */
export class FairPreemption {
  constructor(readonly options: FairPreemptionOptions) {}

  /** Container `id` is over; it is no longer a victim. */
  forget(_id: number): void {}

  /** The containers to kill at `now`; none while preemption is off. */
  run(_now: number, _root: PreemptionQueue, _cluster: ResourceVector, _containers: ReadonlyMap<number, unknown>): readonly number[] {
    return [];
  }
}
