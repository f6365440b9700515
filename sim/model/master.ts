/**
 * The Mesos master: agents and their free resources, frameworks, offers, refuse filters, suppress
 * and revive, task launch and completion, and when allocation runs happen. The policy (who gets
 * which agent) is the allocator's. Imports the kernel, model modules and allocator types.
 */
import type { AllocationContext, Allocator, RandomSource } from '../../allocators/types.js';
import { Phase } from '../kernel/phases.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND, type SimTime } from '../kernel/time.js';
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from './framework.js';
import { TaskCode, type JobSpec, TaskTable } from './job.js';
import type { LogSink, ResTuple, TaskState } from './log.js';
import type { CentralScheduler } from './central.js';
import { OfferTable } from './offer-table.js';
import { RefuseFilters } from './refuse-filters.js';
import {
  addInto, contains, copyInto, DEFAULT_MIN_ALLOCATABLE, format, hasNegative, isAllocatable, isEmpty,
  type MinAllocatable, NUM_RESOURCES, type ResourceVector, subInto,
} from './resources.js';

/** Master options (Mesos flags), each with the Mesos default. */
export interface MasterOptions {
  /** `--allocation_interval`, us; default 1 s */
  readonly allocationInterval?: SimTime;
  /** `--offer_timeout`, us; default none (offers never time out) */
  readonly offerTimeout?: SimTime | undefined;
  /** `--min_allocatable_resources`; default cpus:0.01|mem:32 */
  readonly minAllocatable?: MinAllocatable;
}

/** Default refuse seconds of `Filters.refuse_seconds` (mesos.proto). */
export const DEFAULT_REFUSE_SECONDS = 5;
/** Refuse filters longer than this (365 days) are capped, as in Mesos. */
export const MAX_REFUSE_SECONDS = 31_536_000;

interface FrameworkState {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  /** role weight */
  readonly weight: number;
  readonly behaviour: FrameworkBehaviour;
  readonly driver: SchedulerDriver;
  suppressed: boolean;
  /** ids of the offers made in the current run, delivered in the OFFER phase */
  readonly inbox: number[];
}

const STATE_NAMES: readonly TaskState[] = ['staging', 'staging', 'running', 'finished', 'failed', 'killed', 'lost'];

/** The master. One per simulation; it registers its handlers with the simulator. */
export class Master implements AllocationContext {
  readonly interval: number;
  private readonly offerTimeout: number;
  private readonly minAllocatable: MinAllocatable;

  // agents, packed
  private agentCap = 64;
  agentCount = 0;
  /** free resources per agent (stride NUM_RESOURCES) */
  available = new Float64Array(this.agentCap * NUM_RESOURCES);
  /** total resources per agent (stride NUM_RESOURCES) */
  totals = new Float64Array(this.agentCap * NUM_RESOURCES);
  /** resources in outstanding offers per agent (stride NUM_RESOURCES) */
  offered = new Float64Array(this.agentCap * NUM_RESOURCES);
  /** resources held by staging or running tasks per agent (stride NUM_RESOURCES) */
  allocated = new Float64Array(this.agentCap * NUM_RESOURCES);
  private readonly agentNames: string[] = [];
  private readonly agentRacks: string[] = [];
  private readonly activeAgents: number[] = [];

  private readonly frameworks: FrameworkState[] = [];
  private activeFrameworks = 0;
  private readonly offers = new OfferTable();
  private nextOfferId = 0;
  private readonly filters = new RefuseFilters();
  private offersThisRun = 0;
  private readonly touched: number[] = [];

  // allocation scheduling
  private nextTickAt = -1;
  private triggeredAt = -1;
  private triggerAll = false;
  private readonly triggerAgents: number[] = [];
  private triggerMark = new Uint8Array(this.agentCap);

  private readonly hAllocate: HandlerId;
  private readonly hExpire: HandlerId;
  private readonly hDeliver: HandlerId;
  private readonly hFinish: HandlerId;
  private readonly hRescind: HandlerId;
  private readonly scratch = new Float64Array(NUM_RESOURCES);
  /** what an accept leaves unused */
  private readonly unused = new Float64Array(NUM_RESOURCES);
  /** resources of the offer last taken by {@link takeOffer} */
  private readonly taken = new Float64Array(NUM_RESOURCES);

  /** Called when every task of a job has reached a terminal state. */
  onJobFinished: (job: number) => void = () => {};
  /**
   * A scheduler that places tasks itself, without offers (the monolithic and shared-state
   * baselines); when set, the master makes no offers and asks it to run instead.
   */
  private central: CentralScheduler | undefined;
  /** sum of every registered agent's total */
  readonly clusterTotal = new Float64Array(NUM_RESOURCES);

  constructor(
    private readonly sim: Simulator,
    private readonly allocator: Allocator,
    private readonly rng: RandomSource,
    readonly tasks: TaskTable,
    private readonly log: LogSink,
    options: MasterOptions = {},
  ) {
    this.interval = options.allocationInterval ?? MICROS_PER_SECOND;
    if (!(this.interval > 0)) throw new RangeError('allocationInterval must be > 0');
    this.offerTimeout = options.offerTimeout ?? 0;
    this.minAllocatable = options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
    this.hAllocate = sim.register('allocate', (periodic) => this.runAllocation(periodic === 1));
    this.hExpire = sim.register('filter-expire', (slot) => this.expireFilter(slot));
    this.hDeliver = sim.register('deliver-offers', (fw) => this.deliver(fw));
    this.hFinish = sim.register('task-finish', (task) => this.finishTask(task));
    this.hRescind = sim.register('offer-timeout', (offer) => this.rescind(offer));
  }

  /** Arms the periodic allocation loop: the first tick one interval after now. */
  start(): void {
    if (this.central !== undefined) return;
    this.nextTickAt = this.sim.now + this.interval;
    this.sim.at(this.nextTickAt, Phase.ALLOCATE, this.hAllocate, 1);
  }

  // ---------------------------------------------------------------- registration

  /** Registers an agent; an allocation run for it follows at once (Mesos addSlave). */
  addAgent(name: string, rack: string, total: ResourceVector): number {
    if (hasNegative(total)) throw this.sim.invariant(`agent ${name} has negative resources ${format(total)}`);
    if (this.agentCount === this.agentCap) this.growAgents();
    const a = this.agentCount++;
    copyInto(this.totals, a * NUM_RESOURCES, total);
    copyInto(this.available, a * NUM_RESOURCES, total);
    addInto(this.clusterTotal, 0, total);
    this.agentNames.push(name);
    this.agentRacks.push(rack);
    this.activeAgents.push(a);
    this.allocator.addAgent(a, total);
    this.log.record({ kind: 'agent_added', t: this.sim.now, agent: a, name, rack, res: tuple(total) });
    this.trigger(a);
    return a;
  }

  /** Registers a framework (active); an allocation run over all agents follows at once. */
  addFramework(name: string, role: string, weight: number, behaviour: FrameworkBehaviour): number {
    const index = this.frameworks.length;
    const fs: FrameworkState = {
      index, name, role, weight, behaviour, driver: new Driver(this, index), suppressed: false, inbox: [],
    };
    this.frameworks.push(fs);
    this.activeFrameworks++;
    this.allocator.addFramework({ index, name, role });
    this.log.record({ kind: 'framework_added', t: this.sim.now, framework: index, name, role, weight, behaviour: behaviour.kind });
    this.trigger(-1);
    return index;
  }

  /** Stores a job's tasks and hands the job to its framework's scheduler. */
  submitJob(spec: JobSpec, fw: number): number {
    const f = this.frameworks[fw];
    if (f === undefined) throw this.sim.invariant(`job ${spec.id} names unknown framework index ${fw}`);
    const j = this.tasks.addJob(spec, fw);
    let longest = 0;
    for (const t of spec.tasks) longest = Math.max(longest, t.duration);
    this.log.record({
      kind: 'job_submitted', t: this.sim.now, job: j, name: spec.id, framework: fw, tasks: spec.tasks.length, maxTaskDuration: longest,
    });
    f.behaviour.onJobSubmitted(j, f.driver);
    this.central?.request();
    return j;
  }

  /** Hands task placement to a central scheduler (see {@link CentralScheduler}); call before {@link start}. */
  useCentralScheduler(c: CentralScheduler): void {
    this.central = c;
  }

  /** Frameworks registered so far: name, role, weight and behaviour, by index. */
  frameworkAt(fw: number): { readonly name: string; readonly role: string; readonly weight: number; readonly behaviour: FrameworkBehaviour } {
    return this.frameworks[fw]!;
  }

  /** Agents registered, in registration order (read-only). */
  get agentList(): readonly number[] {
    return this.activeAgents;
  }

  /**
   * Launches pending `task` of framework `fw` on `agent` directly, without an offer (central
   * schedulers only). The task must fit in the agent's free resources.
   */
  placeDirect(fw: number, task: number, agent: number): void {
    const t = this.tasks;
    if (this.central === undefined) throw this.sim.invariant('placeDirect without a central scheduler');
    if (task < 0 || task >= t.size || t.state[task] !== TaskCode.PENDING) throw this.sim.invariant(`task ${task} is not pending`);
    if (t.jobFramework[t.job[task]!] !== fw) throw this.sim.invariant(`task ${task} is not framework ${fw}'s`);
    const off = agent * NUM_RESOURCES;
    if (!contains(this.available, off, t.res, task * NUM_RESOURCES)) {
      throw this.sim.invariant(`task ${task} (${format(t.res, task * NUM_RESOURCES)}) placed on agent ${this.agentNames[agent]} with ${format(this.available, off)} free`);
    }
    subInto(this.available, off, t.res, task * NUM_RESOURCES);
    addInto(this.allocated, off, t.res, task * NUM_RESOURCES);
    this.checkAgent(agent);
    this.launch(task, fw, agent);
  }

  /** Current simulated time. */
  get now(): SimTime {
    return this.sim.now;
  }
  /** Name of agent `a`. */
  agentName(a: number): string {
    return this.agentNames[a]!;
  }
  /** Rack of agent `a`. */
  rackOf(a: number): string {
    return this.agentRacks[a]!;
  }
  /** Number of frameworks registered. */
  get frameworkCount(): number {
    return this.frameworks.length;
  }
  /** Pending tasks summed over every framework's scheduler. */
  pendingTasks(): number {
    let n = 0;
    for (const f of this.frameworks) n += f.behaviour.pendingTasks();
    return n;
  }
  /** Offers sent and not yet answered. */
  get outstandingOffers(): number {
    return this.offers.size;
  }
  /** Refuse filters in force. */
  get activeFilters(): number {
    return this.filters.size;
  }
  /** Whether framework `fw` is suppressed. */
  isSuppressed(fw: number): boolean {
    return this.frameworks[fw]!.suppressed;
  }

  // ---------------------------------------------------------------- AllocationContext

  isAllocatable(res: Float64Array, offset = 0): boolean {
    return isAllocatable(this.minAllocatable, res, offset);
  }

  nextTaskDemand(fw: number, out: Float64Array): boolean {
    const b = this.frameworks[fw]!.behaviour;
    return b.nextTaskDemand !== undefined && b.nextTaskDemand(out);
  }

  isFiltered(fw: number, agent: number, res: Float64Array, offset = 0): boolean {
    return this.filters.blocks(fw, agent, res, offset);
  }

  offer(fw: number, agent: number, res: ResourceVector): void {
    const f = this.frameworks[fw];
    if (f === undefined) throw this.sim.invariant(`allocator offered to unknown framework ${fw}`);
    if (agent < 0 || agent >= this.agentCount) throw this.sim.invariant(`allocator offered unknown agent ${agent}`);
    if (f.suppressed) throw this.sim.invariant(`allocator offered agent ${agent} to suppressed framework ${f.name}`);
    const off = agent * NUM_RESOURCES;
    if (isEmpty(res) || hasNegative(res) || !contains(this.available, off, res)) {
      throw this.sim.invariant(
        `allocator offered ${format(res)} on agent ${this.agentNames[agent]} to ${f.name}, but only ${format(this.available, off)} is free`,
      );
    }
    subInto(this.available, off, res);
    addInto(this.offered, off, res);
    this.checkAgent(agent);
    const id = this.nextOfferId++;
    const s = this.offers.add(id, fw, agent, res, 0, this.sim.now);
    if (this.offerTimeout > 0) this.offers.timeout[s] = this.sim.after(this.offerTimeout, Phase.MESSAGE, this.hRescind, id);
    if (f.inbox.length === 0) this.touched.push(fw);
    f.inbox.push(id);
    this.offersThisRun++;
    this.log.record({ kind: 'offer_sent', t: this.sim.now, offer: id, framework: fw, agent, res: tuple(res) });
  }

  // ---------------------------------------------------------------- allocation runs

  /**
   * Asks for an allocation run now, over agent `a` (or all agents when a < 0). Triggers at one
   * instant coalesce into one run, and join the periodic tick when it falls on that instant. A
   * trigger raised after this instant's runs (offer or end phase) runs at the next microsecond.
   */
  private trigger(a: number): void {
    if (this.central !== undefined) {
      this.central.request();
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
    if (a < 0) this.triggerAll = true;
    else if (this.triggerMark[a] === 0) {
      this.triggerMark[a] = 1;
      this.triggerAgents.push(a);
    }
  }

  private clearTriggers(): void {
    for (const a of this.triggerAgents) this.triggerMark[a] = 0;
    this.triggerAgents.length = 0;
    this.triggerAll = false;
  }

  private runAllocation(periodic: boolean): void {
    let agents: readonly number[];
    if (periodic) {
      this.nextTickAt = this.sim.now + this.interval;
      this.sim.at(this.nextTickAt, Phase.ALLOCATE, this.hAllocate, 1);
      agents = this.activeAgents;
    } else {
      if (this.triggeredAt !== this.sim.now) throw this.sim.invariant('triggered allocation run at an unexpected time');
      agents = this.triggerAll ? this.activeAgents : this.triggerAgents.slice().sort((x, y) => x - y);
      this.clearTriggers();
      this.triggeredAt = -1;
    }
    // With every framework suppressed nothing can be offered: skip the run (and its shuffle draws).
    if (this.activeFrameworks === 0 || agents.length === 0) return;
    this.offersThisRun = 0;
    this.allocator.allocate(this, agents, this.rng);
    this.log.record({ kind: 'allocation_run', t: this.sim.now, candidates: agents.length, offers: this.offersThisRun });
    if (this.touched.length > 0) {
      // Mesos sends each framework its offers of a run in one message; in framework order here.
      this.touched.sort((x, y) => x - y);
      for (const fw of this.touched) this.sim.at(this.sim.now, Phase.OFFER, this.hDeliver, fw);
      this.touched.length = 0;
    }
  }

  private deliver(fw: number): void {
    const f = this.frameworks[fw]!;
    const views: OfferView[] = [];
    for (const id of f.inbox) {
      const s = this.offers.slotOf(id);
      if (s >= 0) views.push(this.offers.view(s));
    }
    f.inbox.length = 0;
    if (views.length > 0) f.behaviour.onOffers(views, f.driver);
  }

  // ---------------------------------------------------------------- scheduler calls

  /** See {@link SchedulerDriver.accept}. */
  accept(fw: number, offerId: number, taskIds: readonly number[], refuseSeconds: number | undefined): void {
    const agent = this.takeOffer(fw, offerId, 'accept');
    const offered = this.taken;
    const used = this.scratch;
    used.fill(0);
    const t = this.tasks;
    for (const task of taskIds) {
      if (task < 0 || task >= t.size) throw this.sim.invariant(`framework ${fw} launched unknown task ${task}`);
      if (t.state[task] !== TaskCode.PENDING) throw this.sim.invariant(`framework ${fw} launched task ${task} twice`);
      if (t.jobFramework[t.job[task]!] !== fw) throw this.sim.invariant(`framework ${fw} launched task ${task} of another framework`);
      addInto(used, 0, t.res, task * NUM_RESOURCES);
    }
    if (!contains(offered, 0, used)) {
      throw this.sim.invariant(`framework ${this.frameworks[fw]!.name} launched ${format(used)} on offer ${offerId} of ${format(offered)}`);
    }
    const usedTuple = tuple(used);
    subInto(this.offered, agent * NUM_RESOURCES, used);
    addInto(this.allocated, agent * NUM_RESOURCES, used);
    for (const task of taskIds) this.launch(task, fw, agent);
    const unused = this.unused;
    copyInto(unused, 0, offered);
    subInto(unused, 0, used);
    const refuse = this.giveBack(fw, agent, unused, refuseSeconds);
    this.log.record({
      kind: 'offer_accepted', t: this.sim.now, offer: offerId, framework: fw, agent, tasks: taskIds.length, used: usedTuple, refuse,
    });
  }

  /** See {@link SchedulerDriver.decline}. */
  decline(fw: number, offerId: number, refuseSeconds: number | undefined): void {
    const agent = this.takeOffer(fw, offerId, 'decline');
    const refuse = this.giveBack(fw, agent, this.taken, refuseSeconds);
    this.log.record({ kind: 'offer_declined', t: this.sim.now, offer: offerId, framework: fw, agent, refuse });
  }

  /** See {@link SchedulerDriver.suppress}. */
  suppress(fw: number): void {
    const f = this.frameworks[fw]!;
    if (f.suppressed) return;
    f.suppressed = true;
    this.activeFrameworks--;
    this.allocator.deactivateFramework(fw);
    this.log.record({ kind: 'suppress', t: this.sim.now, framework: fw });
  }

  /** See {@link SchedulerDriver.revive}. */
  revive(fw: number): void {
    const f = this.frameworks[fw]!;
    if (f.suppressed) {
      f.suppressed = false;
      this.activeFrameworks++;
      this.allocator.activateFramework(fw);
    }
    const filters = this.filters;
    for (let s = filters.firstOf(fw); s >= 0; s = filters.firstOf(fw)) {
      this.sim.cancel(filters.expiry[s]!);
      filters.remove(s);
    }
    this.log.record({ kind: 'revive', t: this.sim.now, framework: fw });
    this.trigger(-1);
  }

  /** Removes outstanding offer `offerId` of `fw`; returns its agent and leaves its resources in {@link taken}. */
  private takeOffer(fw: number, offerId: number, what: string): number {
    const offers = this.offers;
    const s = offers.slotOf(offerId);
    if (s < 0) throw this.sim.invariant(`framework ${fw} tried to ${what} offer ${offerId}, which is not outstanding`);
    if (offers.fw[s] !== fw) throw this.sim.invariant(`framework ${fw} tried to ${what} offer ${offerId} of framework ${offers.fw[s]}`);
    const timeout = offers.timeout[s]!;
    if (timeout >= 0) this.sim.cancel(timeout);
    copyInto(this.taken, 0, offers.res[s]!);
    const agent = offers.agent[s]!;
    offers.remove(s);
    return agent;
  }

  /** Returns resources to the agent's free pool and installs a refuse filter; returns the filter length in us. */
  private giveBack(fw: number, agent: number, res: ResourceVector, refuseSeconds: number | undefined): number {
    if (isEmpty(res)) return 0;
    addInto(this.available, agent * NUM_RESOURCES, res);
    subInto(this.offered, agent * NUM_RESOURCES, res);
    this.checkAgent(agent);
    this.allocator.recover(fw, agent, res);
    let secs = refuseSeconds === undefined || refuseSeconds < 0 || Number.isNaN(refuseSeconds) ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
    if (secs > MAX_REFUSE_SECONDS) secs = MAX_REFUSE_SECONDS;
    const refuse = Math.round(secs * MICROS_PER_SECOND);
    if (refuse === 0) return 0;
    // MESOS-4302: a filter lasts at least one allocation interval, so that the next run sees it.
    const timeout = Math.max(refuse, this.interval);
    // The filter's slot is its expiry event's argument: a slot is freed only by that event or by
    // revive, which cancels the event first, so the event always finds its own filter.
    const s = this.filters.add(fw, agent, res, 0, -1);
    this.filters.expiry[s] = this.sim.after(timeout, Phase.ALLOCATE, this.hExpire, s);
    return refuse;
  }

  private expireFilter(slot: number): void {
    if (!this.filters.installed(slot)) throw this.sim.invariant(`filter ${slot} expired but is not installed`);
    this.filters.remove(slot);
  }

  private rescind(offerId: number): void {
    const offers = this.offers;
    const s = offers.slotOf(offerId);
    if (s < 0) throw this.sim.invariant(`offer ${offerId} timed out but is not outstanding`);
    const fw = offers.fw[s]!;
    const agent = offers.agent[s]!;
    copyInto(this.taken, 0, offers.res[s]!);
    offers.remove(s);
    // A rescinded offer's resources come back with no filter (master.cpp, offer timeout).
    this.giveBack(fw, agent, this.taken, 0);
    this.log.record({ kind: 'offer_rescinded', t: this.sim.now, offer: offerId, framework: fw, agent });
    const f = this.frameworks[fw]!;
    f.behaviour.onOfferRescinded(offerId, f.driver);
  }

  // ---------------------------------------------------------------- tasks

  private launch(task: number, fw: number, agent: number): void {
    const t = this.tasks;
    t.agent[task] = agent;
    t.state[task] = TaskCode.STAGING;
    this.logTask(task, fw);
    // Executors start at once: staging and running fall on the launch instant.
    t.state[task] = TaskCode.RUNNING;
    this.logTask(task, fw);
    this.sim.after(t.duration[task]!, Phase.RELEASE, this.hFinish, task);
  }

  private finishTask(task: number): void {
    const t = this.tasks;
    if (t.state[task] !== TaskCode.RUNNING) throw this.sim.invariant(`task ${task} finished while not running`);
    const j = t.job[task]!;
    const fw = t.jobFramework[j]!;
    const agent = t.agent[task]!;
    t.state[task] = TaskCode.FINISHED;
    const res = t.res.subarray(task * NUM_RESOURCES, task * NUM_RESOURCES + NUM_RESOURCES);
    addInto(this.available, agent * NUM_RESOURCES, res);
    subInto(this.allocated, agent * NUM_RESOURCES, res);
    this.checkAgent(agent);
    this.logTask(task, fw);
    if (this.central !== undefined) {
      // Central schedulers place tasks as soon as resources free up: no tick to wait for.
      this.central.released(fw, res);
      this.central.request();
    } else {
      // Terminal tasks recover with no filter; they wait for the next periodic run (MESOS-3078).
      this.allocator.recover(fw, agent, res);
    }
    const f = this.frameworks[fw]!;
    f.behaviour.onTaskEnded(task, TaskCode.FINISHED, f.driver);
    const done = ++t.doneCount[j]!;
    if (done === t.taskCount[j]) {
      this.log.record({ kind: 'job_finished', t: this.sim.now, job: j, framework: fw });
      this.onJobFinished(j);
    }
  }

  private logTask(task: number, fw: number): void {
    const t = this.tasks;
    const off = task * NUM_RESOURCES;
    this.log.record({
      kind: 'task_state', t: this.sim.now, task, job: t.job[task]!, framework: fw, agent: t.agent[task]!,
      state: STATE_NAMES[t.state[task]!]!, res: [t.res[off]!, t.res[off + 1]!, t.res[off + 2]!, t.res[off + 3]!],
    });
  }

  /** Free + offered + allocated must equal the agent's total, with nothing negative. */
  private checkAgent(agent: number): void {
    const off = agent * NUM_RESOURCES;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const free = this.available[off + r]!;
      const offered = this.offered[off + r]!;
      const allocated = this.allocated[off + r]!;
      if (free < 0 || offered < 0 || allocated < 0 || free + offered + allocated !== this.totals[off + r]) {
        throw this.sim.invariant(
          `agent ${this.agentNames[agent]}: free ${format(this.available, off)} + offered ${format(this.offered, off)} + ` +
          `allocated ${format(this.allocated, off)} is not its total ${format(this.totals, off)}`,
        );
      }
    }
  }

  private growAgents(): void {
    const cap = this.agentCap * 2;
    const a = new Float64Array(cap * NUM_RESOURCES); a.set(this.available); this.available = a;
    const t = new Float64Array(cap * NUM_RESOURCES); t.set(this.totals); this.totals = t;
    const o = new Float64Array(cap * NUM_RESOURCES); o.set(this.offered); this.offered = o;
    const l = new Float64Array(cap * NUM_RESOURCES); l.set(this.allocated); this.allocated = l;
    const m = new Uint8Array(cap); m.set(this.triggerMark); this.triggerMark = m;
    this.agentCap = cap;
  }
}

/** The driver one framework's scheduler uses. */
class Driver implements SchedulerDriver {
  constructor(private readonly master: Master, private readonly fw: number) {}
  get now(): SimTime {
    return this.master.now;
  }
  get tasks(): TaskTable {
    return this.master.tasks;
  }
  rackOf(agent: number): string {
    return this.master.rackOf(agent);
  }
  accept(offer: number, taskIds: readonly number[], refuseSeconds?: number): void {
    this.master.accept(this.fw, offer, taskIds, refuseSeconds);
  }
  decline(offer: number, refuseSeconds?: number): void {
    this.master.decline(this.fw, offer, refuseSeconds);
  }
  suppress(): void {
    this.master.suppress(this.fw);
  }
  revive(): void {
    this.master.revive(this.fw);
  }
}

function tuple(v: Float64Array): ResTuple {
  return [v[0]!, v[1]!, v[2]!, v[3]!];
}
