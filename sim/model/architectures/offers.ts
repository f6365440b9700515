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
 * end, a decline or a rescind wait for the next periodic run (MESOS-3078).
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

  constructor(deps: ArchitectureDeps) {
    this.sim = deps.sim;
    this.master = deps.master;
    this.allocator = deps.allocator;
    this.rng = deps.streams('allocator');
    this.log = deps.log;
    this.hAllocate = deps.sim.register('allocate', (periodic) => this.run(periodic === 1));
  }

  /** Arms the periodic allocation loop: the first tick one interval after now. */
  start(): void {
    this.nextTickAt = this.sim.now + this.master.interval;
    this.sim.at(this.nextTickAt, Phase.ALLOCATE, this.hAllocate, 1);
  }

  trigger(a: number): void {
    const now = this.sim.now;
    const at = this.sim.phase <= Phase.ALLOCATE ? now : now + 1;
    if (at === this.nextTickAt) return;
    if (this.triggeredAt !== at) {
      this.clearTriggers();
      this.triggeredAt = at;
      this.sim.at(at, Phase.ALLOCATE, this.hAllocate, 0);
    }
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
    const m = this.master;
    let agents: readonly AgentIx[];
    if (periodic) {
      this.nextTickAt = this.sim.now + m.interval;
      this.sim.at(this.nextTickAt, Phase.ALLOCATE, this.hAllocate, 1);
      agents = m.agentList;
    } else {
      if (this.triggeredAt !== this.sim.now) throw this.sim.invariant('triggered allocation run at an unexpected time');
      agents = this.triggerAll ? m.agentList : this.triggerAgents.slice().sort((x, y) => x - y);
      if (m.hasDownAgents && !this.triggerAll) agents = agents.filter((x) => !m.isAgentDown(x));
      this.clearTriggers();
      this.triggeredAt = -1;
    }
    // With every framework suppressed nothing can be offered: skip the run (and its shuffle draws).
    if (m.activeFrameworkCount === 0 || agents.length === 0) return;
    const before = m.offersMade;
    this.allocator.allocate(m.allocationContext, agents, this.rng);
    this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: agents.length, offers: m.offersMade - before });
    m.sendOffers();
  }
}
