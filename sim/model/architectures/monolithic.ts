/**
 * The monolithic architecture: one central scheduler with full knowledge of the cluster places
 * every task itself, so that users can measure what the offer mechanism costs on the same
 * workload and metrics. Imports the kernel and model modules.
 */
import { shuffleInPlace } from '../../kernel/shuffle.js';
import { DirectScheduler, type ArchitectureDeps } from './direct.js';

/**
 * Task after task, each for the first framework in the allocator's order with a pending task not
 * blocked this round, on the first agent that fits in a seeded shuffle of the agents (stream
 * `central`). No offers, no filters, no tick: a round runs whenever work arrives or resources free
 * up. A framework whose next task fits nowhere is blocked until the next round (no head-of-line
 * skipping within it). Frameworks' decision time is ignored (the one central scheduler decides at
 * once).
 */
export class MonolithicScheduler extends DirectScheduler {
  readonly name = 'monolithic';

  constructor(deps: ArchitectureDeps) {
    super(deps, 'monolithic');
  }

  protected round(): void {
    shuffleInPlace(this.agents, this.streams('central'));
    for (;;) {
      const fw = this.nextFramework();
      if (fw < 0) break;
      if (!this.placeOne(fw)) this.blocked[fw] = 1;
    }
  }
}
