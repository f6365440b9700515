/**
 * The monolithic architecture: one central scheduler with full knowledge of the cluster places
 * every task itself, so that users can measure what the offer mechanism costs on the same
 * workload and metrics. Imports the kernel and model modules.
 */
import { Phase } from '../../kernel/phases.js';
import { shuffleInPlace } from '../../kernel/shuffle.js';
import type { HandlerId } from '../../kernel/simulator.js';
import { MICROS_PER_SECOND } from '../../kernel/time.js';
import { hasDecisionTime } from '../framework.js';
import type { AgentIx, FrameworkIx, JobIx, TaskIx } from '../ids.js';
import { DirectScheduler, type ArchitectureDeps } from './direct.js';

/**
 * Task after task, each for the first framework in the allocator's order with a pending task not
 * blocked this round, on the first agent that fits in a seeded shuffle of the agents (stream
 * `central`). No offers, no filters, no tick: a round runs whenever work arrives or resources free
 * up. A framework whose next task fits nowhere is blocked until the next round (no head-of-line
 * skipping within it). Frameworks' decision time is ignored (the one central scheduler decides at
 * once), unless the allocator cost model is on (MasterOptions.allocationCost).
 *
 * With the allocator cost model on, the central scheduler takes the frameworks' decision time as
 * Omega's monolithic scheduler does: one job at a time, serially. In a round, frameworks without
 * decision time are served as above; the first framework in the order with decision time and a
 * head job (FrameworkBehaviour.headJob) gets a decision: the job's pending tasks are placed on the
 * free cluster of that instant, in the round's agent order (the shared-state decision's placement,
 * DirectScheduler.placeOnSnapshot), and launch t_job + t_task x (tasks considered) later, in the
 * MESSAGE phase; a placement that no longer fits then (its agent failed) stays pending. The round
 * ends there (its allocation_run record's `busy` is the decision's length; 0 for a round without
 * one) and no round runs until the decision ends, when a round is asked for at once. A framework
 * whose decision left its job with pending tasks while no round was asked for meanwhile (the
 * cluster did not change) is passed over until one is. There is no abandonment (maxAttempts is
 * shared-state's). A decision that ends with its framework disconnected is lost.
 */
export class MonolithicScheduler extends DirectScheduler {
  readonly name = 'monolithic';
  /** whether the allocator cost model is on: the central scheduler then takes decision time */
  private readonly costed: boolean;
  /** the end of a decision (-1 without the cost model: no handler is registered) */
  private readonly hCommit: HandlerId;
  /** the decision under way: its framework (-1: none), job, placements and the request count when it began */
  private decidingFw = -1;
  private job = -1 as JobIx;
  private readonly tasks: TaskIx[] = [];
  private readonly placedTasks: TaskIx[] = [];
  private readonly placedAgents: AgentIx[] = [];
  private requestsAtStart = 0;
  /** the decision begun by the round just run, us; 0 for none */
  private lastBusy = 0;
  /** per framework: the request count at which it was passed over (see the class comment); -1 none */
  private readonly stuckAt: number[] = [];

  constructor(deps: ArchitectureDeps) {
    super(deps, 'monolithic');
    this.costed = deps.master.allocationCost !== undefined;
    this.hCommit = this.costed ? deps.sim.register('central-commit', () => this.commit()) : (-1 as HandlerId);
  }

  protected round(): void {
    shuffleInPlace(this.agents, this.streams('central'));
    this.lastBusy = 0;
    for (;;) {
      const fw = this.nextFramework();
      if (fw < 0) break;
      const b = this.master.frameworkAt(fw).behaviour;
      if (this.costed && hasDecisionTime(b) && b.headJob !== undefined) {
        if (this.startDecision(fw)) return;
        this.blocked[fw] = 1;
        continue;
      }
      if (!this.placeOne(fw)) this.blocked[fw] = 1;
    }
  }

  protected override deciding(): boolean {
    return this.decidingFw >= 0;
  }

  protected override roundBusy(): number | undefined {
    return this.costed ? this.lastBusy : undefined;
  }

  /** Starts the decision for `fw`'s head job; false when it has none or is passed over. */
  private startDecision(fw: FrameworkIx): boolean {
    if (this.stuckAt[fw] === this.requests) return false;
    const b = this.master.frameworkAt(fw).behaviour;
    const job = b.headJob!(this.tasks);
    if (job < 0) return false;
    this.decidingFw = fw;
    this.job = job;
    this.requestsAtStart = this.requests;
    this.placedTasks.length = 0;
    this.placedAgents.length = 0;
    this.placeOnSnapshot(fw, this.tasks, this.agents, this.placedTasks, this.placedAgents);
    const dt = b.decisionTime!;
    this.lastBusy = Math.max(1, Math.round((dt.job + dt.task * this.tasks.length) * MICROS_PER_SECOND));
    this.sim.after(this.lastBusy, Phase.MESSAGE, this.hCommit, fw);
    return true;
  }

  /** The decision under way ends: its placements launch (if its framework is connected), then a round is asked for. */
  private commit(): void {
    const fw = this.decidingFw as FrameworkIx;
    const m = this.master;
    this.decidingFw = -1;
    if (m.isConnected(fw)) {
      const b = m.frameworkAt(fw).behaviour;
      this.launchDecided(fw, b, this.placedTasks, this.placedAgents);
      const unchanged = this.requests === this.requestsAtStart;
      this.request();
      // Its job kept pending tasks on a cluster nothing changed: a new decision would place no more.
      if (unchanged && b.headJob!(this.tasks) === this.job) this.stuckAt[fw] = this.requests;
      return;
    }
    this.request();
  }
}
