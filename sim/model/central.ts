/**
 * Non-offer baselines: schedulers that place tasks directly on agents, so that users can measure
 * what the offer mechanism itself costs on the same workload and metrics.
 * Imports the kernel and model modules only.
 *
 * - 'monolithic': one central scheduler with full knowledge of the cluster places task after task
 *   in DRF order (role share, then framework share within the role; both of running tasks, weighted
 *   by the role weight; ties by name), each on the first agent that fits in a seeded shuffle of
 *   the agents. No offers, no filters, no tick: it runs whenever work arrives or resources free up.
 *   Frameworks' decision time is ignored (the one central scheduler decides at once).
 * - 'shared-state' (Omega-style): every framework sees the whole free cluster and places its own
 *   pending tasks, first fit in its own seeded shuffle. A framework without decision time does so
 *   at once, frameworks in registration order at each instant, so it never conflicts. A framework
 *   with decision time (FrameworkBehaviour.decisionTime) decides job by job, in parallel with the
 *   others: a decision places the head job's pending tasks on a snapshot of the free cluster taken
 *   when it starts and commits t_job + t_task x tasks later; placements that no longer fit then are
 *   conflicts (not launched), the rest launch (Omega's incremental transactions). See
 *   {@link CentralScheduler} for the retry and abandonment rules, docs/model.md for why.
 *
 * Both see static reservations as offers do: a framework may use the unreserved free resources
 * plus the reservation of its role (or an ancestor) on the agent, and a task takes reserved
 * resources first (Master.fitsDirect, Master.placeDirect).
 */
import { Phase } from '../kernel/phases.js';
import { shuffleInPlace, type Rng } from '../kernel/rng.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND, type SimTime } from '../kernel/time.js';
import { hasDecisionTime, type DecisionTime, type FrameworkBehaviour } from './framework.js';
import type { LogSink } from './log.js';
import type { Master } from './master.js';
import { addInto, contains, copyInto, NUM_RESOURCES, subInto } from './resources.js';

/** How tasks reach agents: through offers (Mesos) or placed directly by a baseline. */
export const SCHEDULING_MODES = ['offers', 'monolithic', 'shared-state'] as const;
/** One of {@link SCHEDULING_MODES}. */
export type SchedulingMode = (typeof SCHEDULING_MODES)[number];

/** A shared-state framework with decision time: its decision under way, if any, and its attempts. */
interface Decider {
  /** a decision is under way (its commit event is pending) */
  busy: boolean;
  /** the job it decides for */
  job: number;
  /** when it began, us */
  start: SimTime;
  /** the job's pending tasks it considers (all of them) */
  considered: number;
  /** its placements on the snapshot, in task index order: task ids, and their agents */
  readonly tasks: number[];
  readonly agents: number[];
  /** {@link CentralScheduler.requests} when it began: a later count means the cluster may have changed */
  requests: number;
  /** the job {@link attempts} counts for (-1: none yet) */
  attemptsJob: number;
  /** decisions for that job so far */
  attempts: number;
}

/**
 * A scheduler that places tasks without offers.
 *
 * Shared-state decision time: a framework with decision time has one scheduler, working on one
 * job at a time, independently of the others. When idle with pending work it starts a decision
 * in the next scheduling round (a round is requested whenever work arrives or resources free up).
 * A decision for the head job J (FrameworkBehaviour.headJob) places J's pending tasks, in index
 * order, each on the first agent of a fresh seeded shuffle (stream `shared-state/<framework>`)
 * where it fits in the free resources of that instant less the decision's earlier placements
 * (its snapshot; a task that fits nowhere is skipped). It commits `max(1 us, t_job + t_task x
 * considered)` later, in the MESSAGE phase (after that instant's releases and arrivals, before
 * its round): each placement that still fits (Master.fitsDirect, agent not failed) launches,
 * each that does not is a conflict and stays pending; a `commit` record counts both. Commits at
 * one instant run in the order their decisions began (registration order for decisions begun in
 * one round). Then, if J still has pending tasks, the decision counts as one attempt: after
 * `maxAttempts` (> 0) attempts J is abandoned (driver `abandon` path); otherwise J stays the head
 * and is decided again at once if the decision had a conflict or a scheduling round was requested
 * while it ran (something may have freed), else the framework waits, idle, for the next round:
 * a retry on an unchanged cluster could place nothing more. Without J pending left, the next job's
 * decision starts at once. Every decision without a launch needs a conflict (another framework
 * launched) or a request (a release or an arrival), so a run whose jobs can never fit ends.
 */
export class CentralScheduler {
  private readonly hRun: HandlerId;
  private readonly hCommit: HandlerId;
  private requestedAt = -1;
  /** scheduling rounds requested so far (see Decider.requests) */
  private requests = 0;
  /** shared-state frameworks with decision time, by index; undefined for the others */
  private readonly deciders: (Decider | undefined)[] = [];
  /** scratch: the head job's pending tasks */
  private readonly headTasks: number[] = [];
  /** scratch: per agent, what the decision under construction has placed on it (stride NUM_RESOURCES) */
  private snap = new Float64Array(0);
  /** scratch: a demand that fitted nowhere in the decision under construction */
  private readonly unfit = new Float64Array(NUM_RESOURCES);
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
    this.hCommit = sim.register('shared-state-commit', (fw) => this.commit(fw));
  }

  /** Asks for a scheduling round now; requests at one instant coalesce into one round. */
  request(): void {
    this.requests++;
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
        if (m.isRemoved(fw)) continue;
        const b = m.frameworkAt(fw).behaviour;
        if (hasDecisionTime(b)) {
          const d = this.decider(fw);
          if (!d.busy) this.startDecision(fw, d, b);
          continue;
        }
        if (b.pendingTasks() === 0) continue;
        shuffleInPlace(this.agents, this.streams(`shared-state/${m.frameworkAt(fw).name}`));
        while (this.placeOne(fw)) { /* place all that fit */ }
      }
    }
    this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: this.agents.length, offers: 0 });
  }

  private decider(fw: number): Decider {
    let d = this.deciders[fw];
    if (d === undefined) {
      d = { busy: false, job: -1, start: 0 as SimTime, considered: 0, tasks: [], agents: [], requests: 0, attemptsJob: -1, attempts: 0 };
      this.deciders[fw] = d;
    }
    return d;
  }

  /** Starts a decision of `fw` (idle, with decision time) for its head job, if it has one. */
  private startDecision(fw: number, d: Decider, b: FrameworkBehaviour): void {
    const m = this.master;
    const tasks = this.headTasks;
    const job = b.headJob!(tasks);
    if (job < 0) return;
    if (d.attemptsJob !== job) {
      d.attemptsJob = job;
      d.attempts = 0;
    }
    d.busy = true;
    d.job = job;
    d.start = this.sim.now;
    d.considered = tasks.length;
    d.requests = this.requests;
    d.tasks.length = 0;
    d.agents.length = 0;
    // Placing now, on the cluster of this instant, gives what placing on a snapshot taken now would:
    // the result is held back until the commit.
    const agents = m.agentList.slice();
    shuffleInPlace(agents, this.streams(`shared-state/${m.frameworkAt(fw).name}`));
    if (this.snap.length < m.agentCount * NUM_RESOURCES) this.snap = new Float64Array(m.agentCount * 2 * NUM_RESOURCES);
    const snap = this.snap;
    const res = m.tasks.res;
    const want = this.demand;
    let unfit = false;
    for (const task of tasks) {
      const off = task * NUM_RESOURCES;
      // The snapshot only shrinks as tasks are placed: a demand at least one that fitted nowhere fits nowhere.
      if (unfit && contains(res, off, this.unfit)) continue;
      let placed = false;
      for (const a of agents) {
        copyInto(want, 0, snap, a * NUM_RESOURCES);
        addInto(want, 0, res, off);
        if (!m.fitsDirect(fw, a, want)) continue;
        copyInto(snap, a * NUM_RESOURCES, want);
        d.tasks.push(task);
        d.agents.push(a);
        placed = true;
        break;
      }
      if (!placed) {
        copyInto(this.unfit, 0, res, off);
        unfit = true;
      }
    }
    for (const a of d.agents) snap.fill(0, a * NUM_RESOURCES, a * NUM_RESOURCES + NUM_RESOURCES);
    const dt: DecisionTime = b.decisionTime!;
    const delay = Math.max(1, Math.round((dt.job + dt.task * d.considered) * MICROS_PER_SECOND));
    this.sim.after(delay, Phase.MESSAGE, this.hCommit, fw);
  }

  /** The decision of `fw` under way ends: commit its placements, then retry, abandon, go on or wait. */
  private commit(fw: number): void {
    const d = this.deciders[fw];
    if (d === undefined || !d.busy) throw this.sim.invariant(`framework ${fw} committed without a decision under way`);
    const m = this.master;
    if (m.isRemoved(fw)) {
      d.busy = false; // its scheduler is gone, and its jobs with it
      return;
    }
    const b = m.frameworkAt(fw).behaviour;
    m.decided(fw, d.job, d.start, d.considered);
    const res = m.tasks.res;
    const demand = this.demand;
    let conflicts = 0;
    for (let i = 0; i < d.tasks.length; i++) {
      const task = d.tasks[i]!;
      const a = d.agents[i]!;
      copyInto(demand, 0, res, task * NUM_RESOURCES);
      if (m.isAgentDown(a) || !m.fitsDirect(fw, a, demand)) {
        conflicts++;
        continue;
      }
      b.takeTask!(task);
      m.placeDirect(fw, task, a);
      addInto(this.alloc, fw * NUM_RESOURCES, demand);
    }
    this.log.record({ kind: 'commit', t: this.sim.now, framework: fw, job: d.job, placed: d.tasks.length, conflicts });
    d.busy = false;
    if (b.headJob!(this.headTasks) === d.job) {
      d.attempts++;
      const max = b.decisionTime!.maxAttempts;
      if (max > 0 && d.attempts >= max) m.abandon(fw, d.job, b.dropHeadJob!(), d.attempts);
      else if (conflicts === 0 && this.requests === d.requests) return; // unchanged: wait for the next round
    }
    this.startDecision(fw, d, b);
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
      if (this.blocked[fw] === 1 || m.isRemoved(fw)) continue;
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

