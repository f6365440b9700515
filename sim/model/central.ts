/**
 * Non-offer baselines: schedulers that place tasks directly on agents, so that users can measure
 * what the offer mechanism itself costs on the same workload and metrics.
 * Imports the kernel and model modules only.
 *
 * - 'monolithic': one central scheduler with full knowledge of the cluster places task after task
 *   in DRF order (role share, then framework share within the role; both of running tasks, weighted
 *   by the role weight; ties by name), each on the first agent that fits in a seeded shuffle of
 *   the agents. No offers, no filters, no tick: it runs whenever work arrives or resources free up.
 * - 'shared-state' (Omega-style): every framework sees the whole free cluster and places its own
 *   pending tasks, frameworks in registration order at each instant, first fit in its own seeded
 *   shuffle. Commits are optimistic; a placement whose resources are gone by commit time is a
 *   conflict and is retried. With no scheduler decision time (the current model) every commit
 *   happens the instant the framework looked, so conflicts cannot occur yet.
 *
 * Both see static reservations as offers do: a framework may use the unreserved free resources
 * plus the reservation of its role (or an ancestor) on the agent, and a task takes reserved
 * resources first (Master.fitsDirect, Master.placeDirect).
 */
import { Phase } from '../kernel/phases.js';
import { shuffleInPlace, type Rng } from '../kernel/rng.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import type { LogSink } from './log.js';
import type { Master } from './master.js';
import { addInto, NUM_RESOURCES, subInto } from './resources.js';

/** How tasks reach agents: through offers (Mesos) or placed directly by a baseline. */
export const SCHEDULING_MODES = ['offers', 'monolithic', 'shared-state'] as const;
/** One of {@link SCHEDULING_MODES}. */
export type SchedulingMode = (typeof SCHEDULING_MODES)[number];

/** A scheduler that places tasks without offers. */
export class CentralScheduler {
  private readonly hRun: HandlerId;
  private requestedAt = -1;
  /** allocation of running tasks per framework (stride NUM_RESOURCES) */
  private alloc = new Float64Array(16 * NUM_RESOURCES);
  private readonly demand = new Float64Array(NUM_RESOURCES);
  private agents: number[] = [];
  private blocked = new Uint8Array(16);

  constructor(
    private readonly sim: Simulator,
    private readonly master: Master,
    private readonly kind: Exclude<SchedulingMode, 'offers'>,
    /** the seeded stream for agent shuffles: 'central' (monolithic) or per framework (shared-state) */
    private readonly streams: (name: string) => Rng,
    private readonly log: LogSink,
  ) {
    this.hRun = sim.register('central-run', () => this.run());
  }

  /** Asks for a scheduling round now; requests at one instant coalesce into one round. */
  request(): void {
    const at = this.sim.phase <= Phase.ALLOCATE ? this.sim.now : this.sim.now + 1;
    if (this.requestedAt === at) return;
    this.requestedAt = at;
    this.sim.at(at, Phase.ALLOCATE, this.hRun, 0);
  }

  /** A task of `fw` ended and gave back `res`. */
  released(fw: number, res: Float64Array): void {
    subInto(this.alloc, fw * NUM_RESOURCES, res);
  }

  private run(): void {
    this.requestedAt = -1;
    const m = this.master;
    const n = m.frameworkCount;
    if (this.alloc.length < n * NUM_RESOURCES) {
      const a = new Float64Array(Math.max(n, 16) * 2 * NUM_RESOURCES);
      a.set(this.alloc);
      this.alloc = a;
      this.blocked = new Uint8Array(Math.max(n, 16) * 2);
    }
    this.agents = m.agentList.slice();
    if (this.kind === 'monolithic') {
      shuffleInPlace(this.agents, this.streams('central'));
      this.blocked.fill(0);
      for (;;) {
        const fw = this.nextFramework();
        if (fw < 0) break;
        if (!this.placeOne(fw)) this.blocked[fw] = 1;
      }
    } else {
      for (let fw = 0; fw < n; fw++) {
        if (m.frameworkAt(fw).behaviour.pendingTasks() === 0) continue;
        shuffleInPlace(this.agents, this.streams(`shared-state/${m.frameworkAt(fw).name}`));
        while (this.placeOne(fw)) { /* place all that fit */ }
      }
    }
    this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: this.agents.length, offers: 0 });
  }

  /** Places `fw`'s next task on the first agent (in the current shuffle) where it fits. */
  private placeOne(fw: number): boolean {
    const b = this.master.frameworkAt(fw).behaviour;
    if (b.pendingTasks() === 0 || b.nextTaskDemand === undefined || b.takeNextTask === undefined) return false;
    if (!b.nextTaskDemand(this.demand)) return false;
    for (const a of this.agents) {
      if (!this.master.fitsDirect(fw, a, this.demand)) continue;
      const task = b.takeNextTask();
      this.master.placeDirect(fw, task, a);
      addInto(this.alloc, fw * NUM_RESOURCES, this.demand);
      return true;
    }
    return false;
  }

  /**
   * The framework that DRF serves next among those with pending work not blocked this round:
   * lowest role share (sum of its frameworks' running allocation, over the cluster total, divided
   * by the role weight), then lowest framework share within the role, then names.
   */
  private nextFramework(): number {
    const m = this.master;
    const total = m.clusterTotal;
    const n = m.frameworkCount;
    // Role allocation = sum over its frameworks; the share is the max over resources.
    const roleAlloc = new Map<string, Float64Array>();
    for (let fw = 0; fw < n; fw++) {
      const role = m.frameworkAt(fw).role;
      let v = roleAlloc.get(role);
      if (v === undefined) roleAlloc.set(role, (v = new Float64Array(NUM_RESOURCES)));
      addInto(v, 0, this.alloc, fw * NUM_RESOURCES);
    }
    let best = -1;
    let bestRole = Infinity;
    let bestFw = Infinity;
    for (let fw = 0; fw < n; fw++) {
      if (this.blocked[fw] === 1) continue;
      const f = m.frameworkAt(fw);
      if (f.behaviour.pendingTasks() === 0) continue;
      const rs = share(roleAlloc.get(f.role)!, 0, total) / f.weight;
      const fs = share(this.alloc, fw * NUM_RESOURCES, total);
      if (best < 0 || rs < bestRole || (rs === bestRole && (f.role < m.frameworkAt(best).role || (f.role === m.frameworkAt(best).role &&
        (fs < bestFw || (fs === bestFw && f.name < m.frameworkAt(best).name)))))) {
        best = fw;
        bestRole = rs;
        bestFw = fs;
      }
    }
    return best;
  }
}

function share(v: Float64Array, off: number, total: Float64Array): number {
  let s = 0;
  for (let r = 0; r < NUM_RESOURCES; r++) {
    const t = total[r]!;
    if (t > 0) s = Math.max(s, v[off + r]! / t);
  }
  return s;
}
