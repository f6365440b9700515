/**
 * The offers architecture (two-level, Mesos): allocation runs every allocation interval and at
 * once on the events Mesos allocates for, in which the allocation policy offers agents' free
 * resources to frameworks, which accept or decline them (the master's offer book). Imports the
 * kernel and model modules.
 */
import { resized } from '../../kernel/packed.js';
import { Phase } from '../../kernel/phases.js';
import type { Rng } from '../../kernel/rng.js';
import type { HandlerId, Simulator } from '../../kernel/simulator.js';
import { allocationRunCost, type AllocationCost } from '../allocation-cost.js';
import type { Allocator } from '../allocation-port.js';
import type { LogSink } from '../log.js';
import type { Master } from '../master.js';
import type { Architecture } from './architecture.js';
import type { ArchitectureDeps } from './direct.js';
import { agentIx, type AgentIx } from '../ids.js';

/**
 * When allocation runs happen, and over which agents (Mesos `HierarchicalAllocatorProcess`:
 * `allocate()` on its batch timer and on addFramework, addSlave, reviveOffers). The first
 * periodic run is one interval after the start and each arms the next. A trigger asks for a run
 * now over its agent (or all): triggers at one instant coalesce into one run over the union of
 * their agents, and join the periodic run when it falls on that instant; one raised after this
 * instant's runs (offer or end phase) runs at the next microsecond. Resources freed by a task's
 * end, a decline or a rescind wait for the next periodic run (MESOS-3078). Under the allocator
 * cost model (MasterOptions.allocationCost) a run takes simulated time: see {@link costedEvent}.
 */
export class OffersArchitecture implements Architecture {
  readonly name = 'offers';
  readonly placesDirectly = false;
  private readonly sim: Simulator;
  private readonly master: Master;
  private readonly allocator: Allocator;
  /** the allocator's draws: the run's `allocator` stream */
  private readonly rng: Rng;
  private readonly log: LogSink;
  private readonly hAllocate: HandlerId;
  private nextTickAt = -1;
  private triggeredAt = -1;
  private triggerAll = false;
  private readonly triggerAgents: AgentIx[] = [];
  private triggerMark = new Uint8Array(64);
  /** the allocator cost model (in us), if on */
  private readonly cost: AllocationCost | undefined;
  /** the end of a costed run (-1 without the cost model: no handler is registered) */
  private readonly hRunEnd: HandlerId;
  /** cost model: a run is under way (its end event is pending) */
  private running = false;
  /** cost model: the run under way serves the periodic tick */
  private runPeriodic = false;
  /** cost model: a run is queued behind the one under way (over the triggers' agents) */
  private queued = false;
  /** cost model: the queued run serves the periodic tick (it covers every agent) */
  private queuedPeriodic = false;

  constructor(deps: ArchitectureDeps) {
    this.sim = deps.sim;
    this.master = deps.master;
    this.allocator = deps.allocator;
    this.rng = deps.streams('allocator');
    this.log = deps.log;
    this.hAllocate = deps.sim.register('allocate', (periodic) => this.run(periodic === 1));
    this.cost = deps.master.allocationCost;
    this.hRunEnd = this.cost === undefined ? (-1 as HandlerId) : deps.sim.register('allocation-run-end', () => this.runEnd());
  }

  /** Arms the periodic allocation loop: the first tick one interval after now. */
  start(): void {
    this.armTick();
  }

  trigger(a: number): void {
    if (this.running) {
      // Under the cost model a run is under way: join the run queued behind it.
      this.queued = true;
      this.addTrigger(a);
      return;
    }
    const now = this.sim.now;
    const at = this.sim.phase <= Phase.ALLOCATE ? now : now + 1;
    if (at === this.nextTickAt) return;
    if (this.triggeredAt !== at) {
      this.clearTriggers();
      this.triggeredAt = at;
      this.sim.at(at, Phase.ALLOCATE, this.hAllocate, 0);
    }
    this.addTrigger(a);
  }

  /** Adds agent `a` (all agents when a < 0) to the triggered run's. */
  private addTrigger(a: number): void {
    if (a < 0) this.triggerAll = true;
    else {
      if (a >= this.triggerMark.length) {
        this.triggerMark = resized(this.triggerMark, Math.max(a + 1, this.triggerMark.length * 2));
      }
      if (this.triggerMark[a] === 0) {
        this.triggerMark[a] = 1;
        this.triggerAgents.push(agentIx(a));
      }
    }
  }

  /** Freed resources and new jobs wait for the next periodic run, as in Mesos (MESOS-3078). */
  changed(): void {}

  private clearTriggers(): void {
    for (const a of this.triggerAgents) this.triggerMark[a] = 0;
    this.triggerAgents.length = 0;
    this.triggerAll = false;
  }

  /** One allocation run: the policy offers through the master's offer book (the AllocationContext), then the offers go out. */
  private run(periodic: boolean): void {
    if (this.cost !== undefined) {
      this.costedEvent(periodic);
      return;
    }
    const m = this.master;
    let agents: readonly AgentIx[];
    if (periodic) {
      this.armTick();
      agents = m.agentList;
    } else {
      if (this.triggeredAt !== this.sim.now) throw this.sim.invariant('triggered allocation run at an unexpected time');
      agents = this.triggeredAgents();
      this.triggeredAt = -1;
    }
    // With every framework suppressed nothing can be offered: skip the run (and its shuffle draws).
    if (m.activeFrameworkCount === 0 || agents.length === 0) return;
    const before = m.offersMade;
    this.allocator.allocate(m.allocationContext, agents, this.rng);
    this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: agents.length, offers: m.offersMade - before });
    m.sendOffers();
  }

  /** The agents the triggers asked for (all, or theirs in index order, less the down ones); clears the triggers. */
  private triggeredAgents(): readonly AgentIx[] {
    const m = this.master;
    let agents: readonly AgentIx[] = this.triggerAll ? m.agentList : this.triggerAgents.slice().sort((x, y) => x - y);
    if (m.hasDownAgents && !this.triggerAll) agents = agents.filter((x) => !m.isAgentDown(x));
    this.clearTriggers();
    return agents;
  }

  // The allocator cost model (MasterOptions.allocationCost): a run takes simulated time. Its
  // offers are made (and held) when it starts, on the state it finds, and delivered when it ends;
  // meanwhile the allocator is busy: a trigger or the periodic tick joins one queued run, over the
  // union of their agents, that starts when the run under way ends; the next tick is armed one
  // interval after the end of the run that served the last one (Mesos's loop waits for the run's
  // future, hierarchical.cpp `initialize`).

  /** An allocation event (the tick, or a trigger's) under the cost model: a run now, or queued behind the one under way. */
  private costedEvent(periodic: boolean): void {
    if (this.running) {
      // Only the tick can fire while a run is under way: triggers then queue without an event.
      if (!periodic) throw this.sim.invariant('triggered allocation run while one is under way');
      this.queued = true;
      this.queuedPeriodic = true;
      return;
    }
    if (!periodic) {
      if (this.triggeredAt !== this.sim.now) throw this.sim.invariant('triggered allocation run at an unexpected time');
      this.triggeredAt = -1;
    }
    this.costedRun(periodic, periodic ? this.master.agentList : this.triggeredAgents());
  }

  /** Starts a costed run over `agents` (periodic: it serves the tick), or skips it as {@link run} does. */
  private costedRun(periodic: boolean, agents: readonly AgentIx[]): void {
    const m = this.master;
    if (m.activeFrameworkCount === 0 || agents.length === 0) {
      if (periodic) this.armTick();
      return;
    }
    const before = m.offersMade;
    const frameworks = m.activeFrameworkCount;
    this.allocator.allocate(m.allocationContext, agents, this.rng);
    const offers = m.offersMade - before;
    const busy = allocationRunCost(this.cost!, { agents: agents.length, frameworks, quotaRoles: this.allocator.quotaRoles?.() ?? 0, offers });
    this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: agents.length, offers, busy });
    if (busy === 0) {
      m.sendOffers();
      if (periodic) this.armTick();
      return;
    }
    this.running = true;
    this.runPeriodic = periodic;
    this.sim.after(busy, Phase.ALLOCATE, this.hRunEnd, 0);
  }

  /** The costed run under way ends: its offers go out, the tick is re-armed if it served it, and a queued run starts. */
  private runEnd(): void {
    this.running = false;
    this.master.sendOffers();
    if (this.runPeriodic) this.armTick();
    if (!this.queued) return;
    const periodic = this.queuedPeriodic;
    this.queued = false;
    this.queuedPeriodic = false;
    let agents: readonly AgentIx[];
    if (periodic) {
      this.clearTriggers();
      agents = this.master.agentList;
    } else agents = this.triggeredAgents();
    this.costedRun(periodic, agents);
  }

  /** Arms the next periodic run one interval from now. */
  private armTick(): void {
    this.nextTickAt = this.sim.now + this.master.interval;
    this.sim.at(this.nextTickAt, Phase.ALLOCATE, this.hAllocate, 1);
  }
}
