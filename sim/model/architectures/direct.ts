/**
 * What the two architectures that place tasks without offers (monolithic, shared-state) share: a
 * scheduling round whenever work arrives or resources free up (no tick), the frameworks taken in
 * the allocation policy's order (its ranking port), and first-fit placement. Imports the kernel,
 * model modules and the allocation port.
 */
import { Phase } from '../../kernel/phases.js';
import type { Rng } from '../../kernel/rng.js';
import type { HandlerId, Simulator } from '../../kernel/simulator.js';
import type { Allocator } from '../allocation-port.js';
import type { FrameworkBehaviour } from '../framework.js';
import type { AgentIx, FrameworkIx, TaskIx } from '../ids.js';
import type { LogSink } from '../log.js';
import type { Master } from '../master.js';
import { addInto, contains, copyInto, NUM_RESOURCES } from '../resources.js';
import type { YarnDeps } from '../yarn-port.js';
import type { Architecture } from './architecture.js';

/** What an architecture is built from. */
export interface ArchitectureDeps {
  readonly sim: Simulator;
  readonly master: Master;
  /** the run's allocation policy: it offers (offers) or orders the frameworks (the others) */
  readonly allocator: Allocator;
  /** the run's seeded stream of `name` */
  readonly streams: (name: string) => Rng;
  readonly log: LogSink;
  /** the YARN scheduler and the ResourceManager's settings (the yarn architecture only) */
  readonly yarn?: YarnDeps | undefined;
}

/** Why framework `name` cannot be placed without offers: its behaviour does not say its next task. */
export function nextTaskProblem(name: string, b: FrameworkBehaviour): string | undefined {
  return b.nextTaskDemand === undefined || b.takeNextTask === undefined
    ? `framework ${name} (${b.kind}) cannot run without offers: its behaviour does not expose its next task`
    : undefined;
}

/**
 * A scheduler that places tasks without offers, ordering frameworks as the run's allocator would
 * (its ranking port, Allocator.frameworkOrder: for the hierarchical allocator, roles by its role
 * sorter, frameworks by each role's framework sorter, with its weights, excluded resources and
 * allocation-count tie-break), so that a comparison with offers differs only in the
 * architecture. The allocator holds the running tasks: the master tells it of each placement
 * (Allocator.allocated, one allocation per task) and of each task's end (Allocator.recover).
 * Static reservations are seen as offers see them: a framework may use the unreserved free
 * resources plus the reservation of its role (or an ancestor) on the agent, and a task takes
 * reserved resources first (Master.fitsDirect, Master.placeDirect).
 */
export abstract class DirectScheduler implements Architecture {
  abstract readonly name: 'monolithic' | 'shared-state';
  readonly placesDirectly = true;
  protected readonly sim: Simulator;
  protected readonly master: Master;
  protected readonly streams: (name: string) => Rng;
  protected readonly log: LogSink;
  private readonly hRun: HandlerId;
  private requestedAt = -1;
  /** scheduling rounds requested so far (see SharedStateScheduler's deciders) */
  protected requests = 0;
  /** the agents of the round under way, in the round's order */
  protected agents: AgentIx[] = [];
  /** per framework: done for this round (monolithic: its next task fits nowhere; shared-state: it had its turn) */
  protected blocked = new Uint8Array(16);
  protected readonly demand = new Float64Array(NUM_RESOURCES);
  /** the allocator's ranking port, checked present */
  private readonly frameworkOrder: (rng: Rng) => readonly FrameworkIx[];
  /** the draws of a randomised ranking: the allocator's stream, which no offer run uses here */
  private readonly rankRng: Rng;

  constructor(deps: ArchitectureDeps, kind: 'monolithic' | 'shared-state') {
    this.sim = deps.sim;
    this.master = deps.master;
    this.streams = deps.streams;
    this.log = deps.log;
    const allocator = deps.allocator;
    const order = allocator.frameworkOrder;
    if (order === undefined || allocator.allocated === undefined) {
      throw new Error(`allocator ${allocator.name} cannot drive the ${kind} baseline: it does not rank frameworks (Allocator.frameworkOrder and allocated)`);
    }
    this.frameworkOrder = (rng) => order.call(allocator, rng);
    this.rankRng = deps.streams('allocator');
    this.hRun = deps.sim.register('central-run', () => this.run());
  }

  /** No periodic tick: rounds happen when asked for. */
  start(): void {}

  trigger(_agent: number): void {
    this.request();
  }

  changed(): void {
    this.request();
  }

  /** Asks for a scheduling round now; requests at one instant coalesce into one round. */
  request(): void {
    this.requests++;
    const at = this.sim.phase <= Phase.ALLOCATE ? this.sim.now : this.sim.now + 1;
    if (this.requestedAt === at) return;
    this.requestedAt = at;
    this.sim.at(at, Phase.ALLOCATE, this.hRun, 0);
  }

  /** One scheduling round over the agents registered now; {@link round} does the placing. */
  private run(): void {
    this.requestedAt = -1;
    if (this.deciding()) return;
    const n = this.master.frameworkCount;
    if (this.blocked.length < n) this.blocked = new Uint8Array(n * 2);
    this.blocked.fill(0);
    this.agents = this.master.agentList.slice();
    this.round();
    const busy = this.roundBusy();
    if (busy === undefined) this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: this.agents.length, offers: 0 });
    else this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: this.agents.length, offers: 0, busy });
  }

  /** The architecture's placements of one round, on {@link agents} (its order is the round's to set). */
  protected abstract round(): void;

  /** Whether the one scheduler is deciding (a round now would do nothing: it asks for one when done); default never. */
  protected deciding(): boolean {
    return false;
  }

  /** The simulated time the round just run began to take (its allocation_run's `busy`), us; default none (no field). */
  protected roundBusy(): number | undefined {
    return undefined;
  }

  /** Places `fw`'s next task on the first agent (in the current order) where it fits. */
  protected placeOne(fw: FrameworkIx): boolean {
    const b = this.master.frameworkAt(fw).behaviour;
    if (b.pendingTasks() === 0 || b.nextTaskDemand === undefined || b.takeNextTask === undefined) return false;
    if (!b.nextTaskDemand(this.demand)) return false;
    for (const a of this.agents) {
      if (!this.master.fitsDirect(fw, a, this.demand)) continue;
      this.master.placeDirect(fw, b.takeNextTask(), a);
      return true;
    }
    return false;
  }

  /**
   * The placements of a decision (Omega's model of a scheduler with decision time): each of
   * `tasks` (pending, in order) on the first of `agents` where it fits in the free resources of
   * this instant less the decision's earlier placements (its snapshot); a task that fits nowhere
   * is skipped. Appends the placed tasks and their agents to `outTasks` and `outAgents`; places
   * nothing yet ({@link launchDecided} does, when the decision ends).
   */
  protected placeOnSnapshot(fw: FrameworkIx, tasks: readonly TaskIx[], agents: readonly AgentIx[], outTasks: TaskIx[], outAgents: AgentIx[]): void {
    const m = this.master;
    if (this.snap.length < m.agentCount * NUM_RESOURCES) this.snap = new Float64Array(m.agentCount * 2 * NUM_RESOURCES);
    const snap = this.snap;
    const res = m.tasks.res;
    const want = this.demand;
    const first = outAgents.length;
    let unfit = false;
    for (const task of tasks) {
      const off = m.tasks.resOffset(task);
      // The snapshot only shrinks as tasks are placed: a demand at least one that fitted nowhere fits nowhere.
      if (unfit && contains(res, off, this.unfit)) continue;
      let placed = false;
      for (const a of agents) {
        copyInto(want, 0, snap, a * NUM_RESOURCES);
        addInto(want, 0, res, off);
        if (!m.fitsDirect(fw, a, want)) continue;
        copyInto(snap, a * NUM_RESOURCES, want);
        outTasks.push(task);
        outAgents.push(a);
        placed = true;
        break;
      }
      if (!placed) {
        copyInto(this.unfit, 0, res, off);
        unfit = true;
      }
    }
    for (let i = first; i < outAgents.length; i++) {
      const a = outAgents[i]!;
      snap.fill(0, a * NUM_RESOURCES, a * NUM_RESOURCES + NUM_RESOURCES);
    }
  }
  /** scratch: per agent, what the decision under construction has placed on it (stride NUM_RESOURCES) */
  private snap = new Float64Array(0);
  /** scratch: a demand that fitted nowhere in the decision under construction */
  private readonly unfit = new Float64Array(NUM_RESOURCES);

  /**
   * A decision of `fw` ends: each of its placements (`tasks` on `agents`, from
   * {@link placeOnSnapshot}) that still fits (Master.fitsDirect, agent not failed) launches; the
   * others are conflicts and stay pending. Returns the conflicts.
   */
  protected launchDecided(fw: FrameworkIx, b: FrameworkBehaviour, tasks: readonly TaskIx[], agents: readonly AgentIx[]): number {
    const m = this.master;
    const demand = this.demand;
    let conflicts = 0;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i]!;
      const a = agents[i]!;
      m.tasks.resInto(task, demand);
      if (m.isAgentDown(a) || !m.fitsDirect(fw, a, demand)) {
        conflicts++;
        continue;
      }
      b.takeTask!(task);
      m.placeDirect(fw, task, a);
    }
    return conflicts;
  }

  /**
   * The framework served next: the first in the allocator's order now (active frameworks only:
   * neither suppressed nor disconnected) with pending work and not blocked this round; -1 when
   * none. The order is asked anew each time, as the last placement may have changed it.
   */
  protected nextFramework(): FrameworkIx {
    const m = this.master;
    for (const fw of this.frameworkOrder(this.rankRng)) {
      if (this.blocked[fw] === 0 && m.frameworkAt(fw).behaviour.pendingTasks() > 0) return fw;
    }
    return -1 as FrameworkIx;
  }
}
