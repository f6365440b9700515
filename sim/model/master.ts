/**
 * The Mesos master: agents and their free resources, frameworks, offers, refuse filters, suppress
 * and revive, task launch and completion. When allocation runs happen, or how tasks reach agents
 * without offers, is the run's scheduling architecture's (architectures/); who gets which agent
 * is the allocator's, reached through the allocation port. Imports the kernel and model modules.
 */
import { Phase } from '../kernel/phases.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND, type SimTime } from '../kernel/time.js';
import type { AllocationContext, Allocator, Reservation } from './allocation-port.js';
import type { Architecture } from './architectures/architecture.js';
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from './framework.js';
import { Locality, LOCALITY_NAMES, TaskCode, type JobSpec, TaskTable } from './job.js';
import { TaskErrorReason, type LogSink, type ResTuple, type TaskLocality, type TaskState } from './log.js';
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
/** `--agent_ping_timeout`: the master pings each agent this often, us (15 s). */
export const AGENT_PING_TIMEOUT = 15 * MICROS_PER_SECOND;
/** `--max_agent_ping_timeouts`: missed pings after which an agent is declared lost (5). */
export const MAX_AGENT_PING_TIMEOUTS = 5;

interface FrameworkState {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  /** role weight */
  readonly weight: number;
  readonly behaviour: FrameworkBehaviour;
  readonly driver: SchedulerDriver;
  suppressed: boolean;
  /** false while its scheduler is disconnected (failover); active in the allocator iff connected and not suppressed */
  connected: boolean;
  /** removed after its failover timeout ran out */
  removed: boolean;
  /** the pending failover-timeout event, -1 for none */
  killEvent: number;
  /** ids of the offers made in the current run, delivered in the OFFER phase */
  readonly inbox: number[];
}

/** Stride of {@link Master}'s per-agent accounting, and the offsets of its three vectors. */
const ACCT = 3 * NUM_RESOURCES;
const OFFERED = 0;
const ALLOCATED = NUM_RESOURCES;
const TOTAL = 2 * NUM_RESOURCES;

const STATE_NAMES: readonly TaskState[] = ['staging', 'staging', 'running', 'finished', 'failed', 'killed', 'lost'];

/** The master. One per simulation; it registers its handlers with the simulator. */
export class Master implements AllocationContext {
  readonly interval: number;
  private readonly offerTimeout: number;
  private readonly minAllocatable: MinAllocatable;

  // agents, packed
  private agentCap = 64;
  agentCount = 0;
  /** free unreserved resources per agent (stride NUM_RESOURCES) */
  available = new Float64Array(this.agentCap * NUM_RESOURCES);
  /**
   * Per agent (stride ACCT), side by side so that an offer's accounting and check touch two cache
   * lines instead of three: at OFFERED the unreserved resources in outstanding offers, at
   * ALLOCATED those held by staging or running tasks, at TOTAL its total, reservations included.
   */
  private acct = new Float64Array(this.agentCap * ACCT);

  // Static reservations: one pool per (agent, reserving role), packed like the agent arrays. The
  // unreserved pool stays in the arrays above, so runs without reservations touch none of these.
  private poolCap = 0;
  /** reservation pools registered */
  poolCount = 0;
  /** reserved total of each pool (stride NUM_RESOURCES) */
  poolTotal = new Float64Array(0);
  /** free part of each pool (stride NUM_RESOURCES) */
  poolFree = new Float64Array(0);
  /** part of each pool in outstanding offers (stride NUM_RESOURCES) */
  poolOffered = new Float64Array(0);
  /** part of each pool held by staging or running tasks (stride NUM_RESOURCES) */
  poolAllocated = new Float64Array(0);
  private readonly poolRole: string[] = [];
  /** pools of each agent, by agent index; undefined for an agent without reservations */
  private readonly agentPools: (number[] | undefined)[] = [];
  /** per task: 1 + the pool its reserved part came from, 0 for none (grown on demand) */
  private taskPool = new Int32Array(0);
  /** per task: the part of its resources taken from that pool (stride NUM_RESOURCES) */
  private taskReserved = new Float64Array(0);
  private readonly agentNames: string[] = [];
  private readonly agentRacks: string[] = [];
  private readonly activeAgents: number[] = [];
  /** per agent: when it (last) registered, us; its ping schedule starts there */
  private readonly agentRegisteredAt: number[] = [];
  /** per agent: its static reservations, kept for a re-registration */
  private readonly agentReserved: (readonly Reservation[])[] = [];
  /** per agent: 0 up, 1 failed (not answering pings, not yet removed), 2 removed */
  private agentDown = new Uint8Array(this.agentCap);
  /** Running tasks of each agent (any order), so that losing an agent does not scan every task. */
  private readonly runningOn: number[][] = [];
  /** Each running task's index in its agent's {@link runningOn} list. */
  private runningPos = new Int32Array(1024);
  /** agents failed or removed */
  private downAgents = 0;
  /**
   * whether any agent has failed, framework disconnected or task been killed in this run: task end
   * events may then find their task already ended (see finishTask)
   */
  private failuresSeen = false;

  private readonly frameworks: FrameworkState[] = [];
  private activeFrameworks = 0;
  private readonly offers = new OfferTable();
  private nextOfferId = 0;
  private readonly filters: RefuseFilters;
  /** frameworks with offers made since the last {@link sendOffers} */
  private readonly touched: number[] = [];

  private readonly hDeliver: HandlerId;
  private readonly hFinish: HandlerId;
  private readonly hRescind: HandlerId;
  private readonly hLost: HandlerId;
  private readonly hFailover: HandlerId;
  private readonly hTaskErrors: HandlerId;
  private readonly scratch = new Float64Array(NUM_RESOURCES);
  /** what an accept leaves unused */
  private readonly unused = new Float64Array(NUM_RESOURCES);
  /** resources of the offer last taken by {@link takeOffer} */
  private readonly taken = new Float64Array(NUM_RESOURCES);
  /** the reserved part of {@link taken}, and its pool (-1 for none) */
  private readonly takenReserved = new Float64Array(NUM_RESOURCES);
  private takenPool = -1;
  /** the reserved part of what an accept uses, and of what it leaves */
  private readonly usedReserved = new Float64Array(NUM_RESOURCES);
  private readonly unusedReserved = new Float64Array(NUM_RESOURCES);
  /** an offer's sum of unreserved and reserved parts */
  private readonly offerSum = new Float64Array(NUM_RESOURCES);

  /** Called when every task of a job has reached a terminal state. */
  onJobFinished: (job: number) => void = () => {};
  /** How tasks reach agents: offers, or a scheduler that places them itself. */
  private readonly arch: Architecture;
  /** sum of every registered agent's total */
  readonly clusterTotal = new Float64Array(NUM_RESOURCES);

  /**
   * A master for one run; `architecture` builds the run's scheduling architecture on it (called
   * once, at the end of construction).
   */
  constructor(
    private readonly sim: Simulator,
    private readonly allocator: Allocator,
    readonly tasks: TaskTable,
    private readonly log: LogSink,
    options: MasterOptions,
    architecture: (master: Master) => Architecture,
  ) {
    this.filters = new RefuseFilters(sim, Phase.ALLOCATE);
    this.interval = options.allocationInterval ?? MICROS_PER_SECOND;
    if (!(this.interval > 0)) throw new RangeError('allocationInterval must be > 0');
    this.offerTimeout = options.offerTimeout ?? 0;
    this.minAllocatable = options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
    this.hDeliver = sim.register('deliver-offers', (fw) => this.deliver(fw));
    this.hFinish = sim.register('task-finish', (task) => this.finishTask(task));
    this.hRescind = sim.register('offer-timeout', (offer) => this.rescind(offer));
    this.hLost = sim.register('agent-lost', (a) => this.agentLost(a));
    this.hFailover = sim.register('failover-timeout', (fw) => this.removeFramework(fw));
    this.hTimer = sim.register('scheduler-timer', (id) => this.fireTimer(id));
    this.hTaskErrors = sim.register('task-errors', () => this.deliverTaskErrors());
    this.arch = architecture(this);
  }

  // ---------------------------------------------------------------- scheduler timers

  private readonly hTimer: HandlerId;
  /** pending scheduler timers by id: the framework that set it, and what to call */
  private readonly timers = new Map<number, { readonly fw: number; readonly fn: () => void }>();
  private nextTimer = 0;

  /**
   * See {@link SchedulerDriver.after}: a MESSAGE-phase event `delay` us from now for framework
   * `fw`'s scheduler. It does not fire if the framework has been removed by then (its scheduler is
   * gone).
   */
  after(fw: number, delay: number, fn: () => void): void {
    if (!(delay >= 0) || !Number.isSafeInteger(delay)) throw new RangeError(`timer delay must be a non-negative integer of us, got ${delay}`);
    const id = this.nextTimer++;
    this.timers.set(id, { fw, fn });
    this.sim.after(delay, Phase.MESSAGE, this.hTimer, id);
  }

  private fireTimer(id: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined) throw this.sim.invariant(`timer ${id} fired twice`);
    this.timers.delete(id);
    if (!this.frameworks[timer.fw]!.removed) timer.fn();
  }

  /** See {@link SchedulerDriver.decided}. */
  decided(fw: number, job: number, start: number, tasks: number): void {
    if (this.sim.now > start) this.log.record({ kind: 'decision', t: this.sim.now, framework: fw, job, start, tasks });
  }

  /** See {@link SchedulerDriver.abandon}. */
  abandon(fw: number, job: number, dropped: number, attempts: number): void {
    const t = this.tasks;
    if (t.jobFramework[job] !== fw) throw this.sim.invariant(`framework ${fw} abandoned job ${job} of another framework`);
    this.log.record({ kind: 'job_abandoned', t: this.sim.now, job, framework: fw, dropped, attempts });
    // Its dropped tasks count as done, so the job is over (with no job_finished record) once the
    // tasks it did launch have ended: a run to completion does not wait for it.
    this.abandoned.add(job);
    t.doneCount[job]! += dropped;
    if (t.doneCount[job] === t.taskCount[job]) this.onJobFinished(job);
  }
  private readonly abandoned = new Set<number>();
  /** job names by index, as submitted, for frameworks that restart jobs (FrameworkBehaviour.restartsJobs) */
  private readonly jobNames = new Map<number, string>();

  /** The run starts: the architecture arms whatever runs periodically (the allocation tick). */
  start(): void {
    this.arch.start();
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers an agent with `total` resources, of which `reserved` (default none) are static
   * reservations (each part of `total`; no reserving role may be another's ancestor on one agent,
   * so a role can draw on at most one reservation per agent). An allocation run for it follows at
   * once (Mesos addSlave).
   */
  addAgent(name: string, rack: string, total: ResourceVector, reserved: readonly Reservation[] = []): number {
    if (hasNegative(total)) throw this.sim.invariant(`agent ${name} has negative resources ${format(total)}`);
    if (this.agentCount === this.agentCap) this.growAgents();
    const a = this.agentCount++;
    copyInto(this.acct, a * ACCT + TOTAL, total);
    copyInto(this.available, a * NUM_RESOURCES, total);
    addInto(this.clusterTotal, 0, total);
    this.agentNames.push(name);
    this.agentRacks.push(rack);
    this.activeAgents.push(a);
    this.agentRegisteredAt.push(this.sim.now);
    this.agentReserved.push(reserved);
    this.agentPools[a] = undefined;
    if (reserved.length > 0) this.addPools(a, name, reserved);
    if (reserved.length > 0) this.allocator.addAgent(a, total, reserved);
    else this.allocator.addAgent(a, total);
    this.tasks.registerAgent(a, name, rack);
    this.log.record({ kind: 'agent_added', t: this.sim.now, agent: a, name, rack, res: tuple(total) });
    this.trigger(a);
    return a;
  }

  /**
   * Agent `a` fails: it stops answering the master's pings. Its outstanding offers are rescinded at
   * once (offersim's master notices the broken connection; Mesos rescinds at deactivation, which
   * an agent that exits or whose socket breaks reaches at once) and it takes no further part in
   * allocation runs. Tasks on it whose end would fall before it is removed never report it. It is
   * declared lost after MAX_AGENT_PING_TIMEOUTS missed pings (see {@link lostAt}); then
   * {@link agentLost} runs. Returns that time, us.
   */
  failAgent(a: number): number {
    if (a < 0 || a >= this.agentCount) throw this.sim.invariant(`unknown agent ${a} failed`);
    if (this.agentDown[a] !== 0) throw this.sim.invariant(`agent ${this.agentNames[a]} failed while down`);
    this.agentDown[a] = 1;
    this.downAgents++;
    this.failuresSeen = true;
    const i = this.activeAgents.indexOf(a);
    if (i >= 0) this.activeAgents.splice(i, 1);
    const ids: number[] = [];
    for (let id = 0; id < this.nextOfferId; id++) {
      const s = this.offers.slotOf(id);
      if (s >= 0 && this.offers.agent[s] === a) ids.push(id);
    }
    for (const id of ids) {
      const s = this.offers.slotOf(id);
      const timeout = this.offers.timeout[s]!;
      if (timeout >= 0) this.sim.cancel(timeout);
      this.rescind(id);
    }
    const at = this.lostAt(a, this.sim.now);
    this.sim.at(at, Phase.MESSAGE, this.hLost, a);
    return at;
  }

  /**
   * When an agent that failed at `failedAt` is declared lost. Pings go out every AGENT_PING_TIMEOUT
   * from its registration, and a ping at or after the failure goes unanswered. Each ping's timeout,
   * AGENT_PING_TIMEOUT later (when the next ping goes out), counts a miss if it went unanswered, and
   * the MAX_AGENT_PING_TIMEOUTS-th miss declares the agent lost (Mesos SlaveObserver::ping and
   * ::timeout, src/master/master.cpp:204-245). That is MAX_AGENT_PING_TIMEOUTS x 15 s = 75 s after
   * the first unanswered ping: between 75 s (inclusive) and 90 s (exclusive) after the failure.
   */
  lostAt(a: number, failedAt: number): number {
    const r = this.agentRegisteredAt[a]!;
    const p = AGENT_PING_TIMEOUT;
    const firstUnanswered = r + Math.ceil((failedAt - r) / p) * p;
    return firstUnanswered + MAX_AGENT_PING_TIMEOUTS * p;
  }

  /** Whether agent `a` is failed or removed. */
  isAgentDown(a: number): boolean {
    return this.agentDown[a] !== 0;
  }

  /**
   * Failed agent `a` is declared lost: its running tasks go TASK_LOST (resources recovered, their
   * schedulers told), filters on it are cleared, and it leaves the cluster (the allocator removes
   * it; the cluster total shrinks; an `agent_removed` record).
   */
  private agentLost(a: number): void {
    // Its running tasks in task order, as a scan of every task would find them.
    const running = (this.runningOn[a] ?? []).slice().sort((x, y) => x - y);
    for (const task of running) this.endTask(task, TaskCode.LOST);
    const f = this.filters;
    for (let s = 0; s < f.fw.length; s++) if (f.installed(s) && f.agent[s] === a) f.remove(s);
    const total = this.acct.subarray(a * ACCT + TOTAL, a * ACCT + TOTAL + NUM_RESOURCES);
    subInto(this.clusterTotal, 0, total);
    this.allocator.removeAgent(a, total);
    this.agentDown[a] = 2;
    this.log.record({ kind: 'agent_removed', t: this.sim.now, agent: a, res: tuple(total) });
  }

  /**
   * Removed agent `a` comes back: a new registration of the same agent (same id, name, rack and
   * resources, nothing running on it), with an allocation run for it at once (Mesos addSlave).
   */
  reregisterAgent(a: number): void {
    if (this.agentDown[a] !== 2) throw this.sim.invariant(`agent ${this.agentNames[a]} reregistered while not removed`);
    this.agentDown[a] = 0;
    this.downAgents--;
    const total = this.acct.subarray(a * ACCT + TOTAL, a * ACCT + TOTAL + NUM_RESOURCES);
    this.checkAgent(a);
    addInto(this.clusterTotal, 0, total);
    const reserved = this.agentReserved[a]!;
    if (reserved.length > 0) this.allocator.addAgent(a, total, reserved);
    else this.allocator.addAgent(a, total);
    this.agentRegisteredAt[a] = this.sim.now;
    // Keep the agent list in registration-index order, as before the failure.
    let i = this.activeAgents.length;
    while (i > 0 && this.activeAgents[i - 1]! > a) i--;
    this.activeAgents.splice(i, 0, a);
    this.log.record({
      kind: 'agent_added', t: this.sim.now, agent: a, name: this.agentNames[a]!, rack: this.agentRacks[a]!, res: tuple(total),
    });
    this.trigger(a);
  }

  /**
   * Registers a framework. Its scheduler may suppress at once (FrameworkBehaviour.onSubscribed):
   * it then subscribes suppressed; otherwise an allocation run over all agents follows at once.
   */
  addFramework(name: string, role: string, weight: number, behaviour: FrameworkBehaviour): number {
    const index = this.frameworks.length;
    const fs: FrameworkState = {
      index, name, role, weight, behaviour, driver: new Driver(this, index), suppressed: false,
      connected: true, removed: false, killEvent: -1, inbox: [],
    };
    this.frameworks.push(fs);
    this.activeFrameworks++;
    this.allocator.addFramework({ index, name, role });
    this.log.record({ kind: 'framework_added', t: this.sim.now, framework: index, name, role, weight, behaviour: behaviour.kind });
    behaviour.onSubscribed?.(fs.driver);
    // Mesos addFramework allocates only for a framework that subscribed active (hierarchical.cpp:792).
    if (!fs.suppressed) this.trigger(-1);
    return index;
  }

  /**
   * Framework `fw`'s scheduler disconnects (Mesos failover, notes §1.5): a `framework_disconnected`
   * record; the framework is deactivated at once (its outstanding offers rescinded, its refuse
   * filters cleared, no more offers). If it does not reregister within `failoverTimeout` us (0: at
   * once) it is removed (see {@link removeFramework}).
   */
  disconnectFramework(fw: number, failoverTimeout: number): void {
    const f = this.frameworks[fw]!;
    if (!f.connected || f.removed) throw this.sim.invariant(`framework ${f.name} disconnected while not connected`);
    f.connected = false;
    this.failuresSeen = true;
    this.log.record({ kind: 'framework_disconnected', t: this.sim.now, framework: fw, failoverTimeout: Math.max(0, failoverTimeout) });
    if (!f.suppressed) {
      this.activeFrameworks--;
      this.allocator.deactivateFramework(fw);
    }
    const ids: number[] = [];
    for (let id = 0; id < this.nextOfferId; id++) {
      const s = this.offers.slotOf(id);
      if (s >= 0 && this.offers.fw[s] === fw) ids.push(id);
    }
    for (const id of ids) {
      const timeout = this.offers.timeout[this.offers.slotOf(id)]!;
      if (timeout >= 0) this.sim.cancel(timeout);
      this.rescind(id);
    }
    this.clearFilters(fw);
    if (failoverTimeout <= 0) this.removeFramework(fw);
    else f.killEvent = this.sim.after(failoverTimeout, Phase.MESSAGE, this.hFailover, fw, true);
  }

  /**
   * Framework `fw`'s scheduler reregisters: within its failover timeout it is reactivated (a
   * `framework_reconnected` record, an allocation run over all agents); after its removal it is
   * refused (a `framework_reconnect_refused` record; Mesos answers "Framework has been removed",
   * src/master/master.cpp:2591-2598) and stays gone.
   */
  reconnectFramework(fw: number): void {
    const f = this.frameworks[fw]!;
    if (f.removed) {
      this.log.record({ kind: 'framework_reconnect_refused', t: this.sim.now, framework: fw });
      return;
    }
    if (f.connected) throw this.sim.invariant(`framework ${f.name} reregistered while connected`);
    if (f.killEvent >= 0) this.sim.cancel(f.killEvent);
    f.killEvent = -1;
    f.connected = true;
    if (!f.suppressed) {
      this.activeFrameworks++;
      this.allocator.activateFramework(fw);
    }
    this.log.record({ kind: 'framework_reconnected', t: this.sim.now, framework: fw });
    this.trigger(-1);
  }

  /** Whether framework `fw` is connected (not in failover, not removed). */
  isConnected(fw: number): boolean {
    const f = this.frameworks[fw]!;
    return f.connected && !f.removed;
  }

  /** Whether framework `fw` has been removed (its failover timeout ran out): gone for good. */
  isRemoved(fw: number): boolean {
    return this.frameworks[fw]!.removed;
  }

  /**
   * Framework `fw`'s failover timeout ran out: it is removed for good, as Mesos removeFramework
   * does (src/master/master.cpp:10397-10465). A `framework_removed` record (tasks killed, jobs
   * dropped), then, job by job in order, each of its unfinished jobs is dropped (a `job_dropped`
   * record with its tasks never launched, which never will; no job_finished) and its running tasks
   * are killed (TASK_KILLED, not reported to the gone scheduler; resources recovered with no
   * filter). Tasks on a failed agent not yet declared lost are killed too, as Mesos kills every
   * task on a registered agent, connected or not, so a later loss of that agent finds none of
   * them. Jobs abandoned or restarted before keep their record: their running tasks are killed only.
   * Its pending timers never fire, and later jobs of its workload are dropped as they arrive
   * (see {@link submitJob}), so a run to completion still ends.
   */
  private removeFramework(fw: number): void {
    const f = this.frameworks[fw]!;
    f.killEvent = -1;
    f.removed = true;
    const t = this.tasks;
    const jobs: number[] = [];
    let running = 0;
    let dropping = 0;
    for (let j = 0; j < t.jobs; j++) {
      if (t.jobFramework[j] !== fw || t.doneCount[j] === t.taskCount[j]) continue;
      jobs.push(j);
      if (!this.abandoned.has(j) && !this.restarted.has(j)) dropping++;
      const first = t.firstTask[j]!;
      for (let i = first; i < first + t.taskCount[j]!; i++) if (t.state[i] === TaskCode.RUNNING) running++;
    }
    this.log.record({ kind: 'framework_removed', t: this.sim.now, framework: fw, tasksKilled: running, jobsDropped: dropping });
    for (const j of jobs) {
      const first = t.firstTask[j]!;
      const end = first + t.taskCount[j]!;
      let live = 0;
      if (!this.abandoned.has(j) && !this.restarted.has(j)) {
        let pending = 0;
        for (let i = first; i < end; i++) if (t.state[i] === TaskCode.PENDING) pending++;
        this.dropJob(j, fw, pending);
      }
      for (let i = first; i < end; i++) {
        if (t.state[i] !== TaskCode.RUNNING) continue;
        live++;
        this.endTask(i, TaskCode.KILLED, false);
      }
      // With no task left to end, the job is over now (else its last kill ended it).
      if (live === 0 && t.doneCount[j] === t.taskCount[j]) this.onJobFinished(j);
    }
    this.allocator.removeFramework(fw);
  }

  /**
   * Job `job` of removed framework `fw` is dropped: a `job_dropped` record; its `pending` tasks
   * never launched count as done (they stay pending in the task table), so the job is over once
   * its other tasks have ended, with no job_finished.
   */
  private dropJob(job: number, fw: number, pending: number): void {
    this.dropped.add(job);
    this.log.record({ kind: 'job_dropped', t: this.sim.now, job, framework: fw, dropped: pending });
    this.tasks.doneCount[job]! += pending;
  }
  /** jobs dropped with their removed framework (their end logs no job_finished) */
  private readonly dropped = new Set<number>();

  private clearFilters(fw: number): void {
    const filters = this.filters;
    for (let s = filters.firstOf(fw); s >= 0; s = filters.firstOf(fw)) filters.remove(s);
  }

  /**
   * Stores a job's tasks and hands the job to its framework's scheduler. A job of a removed
   * framework has no scheduler to go to: it is logged as submitted and dropped at once (all its
   * tasks never launched), and is over.
   */
  submitJob(spec: JobSpec, fw: number): number {
    const f = this.frameworks[fw];
    if (f === undefined) throw this.sim.invariant(`job ${spec.id} names unknown framework index ${fw}`);
    const j = this.tasks.addJob(spec, fw);
    // Names are kept only where restart copies need them, so long workloads hold none.
    if (f.behaviour.restartsJobs === true) this.jobNames.set(j, spec.id);
    let longest = 0;
    for (const t of spec.tasks) longest = Math.max(longest, t.duration);
    this.log.record({
      kind: 'job_submitted', t: this.sim.now, job: j, name: spec.id, framework: fw, tasks: spec.tasks.length, maxTaskDuration: longest,
    });
    if (f.removed) {
      this.dropJob(j, fw, spec.tasks.length);
      this.onJobFinished(j);
      return j;
    }
    f.behaviour.onJobSubmitted(j, f.driver);
    this.arch.changed();
    return j;
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
   * Whether `demand` fits on `agent` for framework `fw` without an offer (the architectures that place tasks directly): in
   * the agent's unreserved free resources plus the free part of the reservation `fw`'s role may
   * draw on there (its own or an ancestor's), if any.
   */
  fitsDirect(fw: number, agent: number, demand: Float64Array): boolean {
    const off = agent * NUM_RESOURCES;
    if (this.agentPools[agent] === undefined) return contains(this.available, off, demand);
    const p = this.poolFor(agent, this.frameworks[fw]!.role);
    if (p < 0) return contains(this.available, off, demand);
    for (let r = 0; r < NUM_RESOURCES; r++) {
      if (this.available[off + r]! + this.poolFree[p * NUM_RESOURCES + r]! < demand[r]!) return false;
    }
    return true;
  }

  /**
   * Launches pending `task` of framework `fw` on `agent` directly, without an offer (the direct
   * architectures only). The task must fit (see {@link fitsDirect}); as with offers, it takes from
   * the reservation its role may draw on first, then unreserved resources. The allocator counts
   * it (Allocator.allocated) until the task's end recovers it, so that it ranks frameworks on
   * their running tasks.
   */
  placeDirect(fw: number, task: number, agent: number): void {
    const t = this.tasks;
    if (!this.arch.placesDirectly) throw this.sim.invariant(`placeDirect under the ${this.arch.name} architecture`);
    if (task < 0 || task >= t.size || t.state[task] !== TaskCode.PENDING) throw this.sim.invariant(`task ${task} is not pending`);
    if (t.jobFramework[t.job[task]!] !== fw) throw this.sim.invariant(`task ${task} is not framework ${fw}'s`);
    const off = agent * NUM_RESOURCES;
    const pool = this.agentPools[agent] === undefined ? -1 : this.poolFor(agent, this.frameworks[fw]!.role);
    const res = t.res.subarray(task * NUM_RESOURCES, task * NUM_RESOURCES + NUM_RESOURCES);
    if (pool >= 0) {
      this.placeReserved(task, agent, pool);
      if (this.taskPool[task] === 0) this.allocator.allocated!(fw, agent, res);
      else this.allocator.allocated!(fw, agent, res, this.taskReserved.subarray(task * NUM_RESOURCES, task * NUM_RESOURCES + NUM_RESOURCES));
      this.launch(task, fw, agent);
      return;
    }
    if (!contains(this.available, off, t.res, task * NUM_RESOURCES)) {
      throw this.sim.invariant(`task ${task} (${format(t.res, task * NUM_RESOURCES)}) placed on agent ${this.agentNames[agent]} with ${format(this.available, off)} free`);
    }
    subInto(this.available, off, t.res, task * NUM_RESOURCES);
    addInto(this.acct, agent * ACCT + ALLOCATED, t.res, task * NUM_RESOURCES);
    this.checkAgent(agent);
    this.allocator.allocated!(fw, agent, res);
    this.launch(task, fw, agent);
  }

  /** {@link placeDirect} on an agent with a reservation pool `fw` may draw on: reserved first. */
  private placeReserved(task: number, agent: number, pool: number): void {
    const t = this.tasks;
    const off = agent * NUM_RESOURCES;
    const tOff = task * NUM_RESOURCES;
    const pOff = pool * NUM_RESOURCES;
    if (this.taskPool.length < t.size) this.growTaskPools(t.size);
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const need = t.res[tOff + r]!;
      const take = Math.min(need, this.poolFree[pOff + r]!);
      if (need - take > this.available[off + r]!) {
        throw this.sim.invariant(`task ${task} (${format(t.res, tOff)}) placed on agent ${this.agentNames[agent]} with ` +
          `${format(this.available, off)} free and ${format(this.poolFree, pOff)} reserved for ${this.poolRole[pool]}`);
      }
      this.taskReserved[tOff + r] = take;
    }
    const reserved = this.taskReserved.subarray(tOff, tOff + NUM_RESOURCES);
    subInto(this.available, off, t.res, tOff);
    addInto(this.acct, agent * ACCT + ALLOCATED, t.res, tOff);
    addInto(this.available, off, reserved);
    subInto(this.acct, agent * ACCT + ALLOCATED, reserved);
    subInto(this.poolFree, pOff, reserved);
    addInto(this.poolAllocated, pOff, reserved);
    this.taskPool[task] = isEmpty(reserved) ? 0 : pool + 1;
    this.checkPool(agent, pool);
    this.checkAgent(agent);
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
  /** Pending tasks summed over every framework's scheduler (a removed framework has none). */
  pendingTasks(): number {
    let n = 0;
    for (const f of this.frameworks) if (!f.removed) n += f.behaviour.pendingTasks();
    return n;
  }
  /** Offers sent and not yet answered. */
  get outstandingOffers(): number {
    return this.offers.size;
  }
  /** Refuse filters in force. */
  get activeFilters(): number {
    return this.filters.countLive();
  }
  /** Whether framework `fw` is suppressed. */
  isSuppressed(fw: number): boolean {
    return this.frameworks[fw]!.suppressed;
  }
  /** Frameworks neither suppressed nor disconnected (removed ones included until removal). */
  get activeFrameworkCount(): number {
    return this.activeFrameworks;
  }
  /** Whether some agent is failed or removed. */
  get hasDownAgents(): boolean {
    return this.downAgents > 0;
  }
  /** Offers made so far (ids are 0, 1, ...). */
  get offersMade(): number {
    return this.nextOfferId;
  }

  /** Sets up agent `a`'s reservation pools, taking them out of its unreserved free pool. */
  private addPools(a: number, name: string, reserved: readonly Reservation[]): void {
    const pools: number[] = [];
    for (const r of reserved) {
      if (r.role === '*' || r.role === '' || hasNegative(r.res)) throw this.sim.invariant(`agent ${name}: invalid reservation for role '${r.role}'`);
      for (const p of pools) {
        const other = this.poolRole[p]!;
        if (allocatableTo(other, r.role) || allocatableTo(r.role, other)) {
          throw this.sim.invariant(`agent ${name}: reservations for '${other}' and '${r.role}' overlap (one role is the other's ancestor)`);
        }
      }
      if (this.poolCount === this.poolCap) this.growPools();
      const p = this.poolCount++;
      this.poolRole.push(r.role);
      copyInto(this.poolTotal, p * NUM_RESOURCES, r.res);
      copyInto(this.poolFree, p * NUM_RESOURCES, r.res);
      subInto(this.available, a * NUM_RESOURCES, r.res);
      pools.push(p);
    }
    this.agentPools[a] = pools;
    if (hasNegative(this.available, a * NUM_RESOURCES)) {
      throw this.sim.invariant(`agent ${name}: reservations exceed its total ${format(this.acct, a * ACCT + TOTAL)}`);
    }
  }

  /** The pool on `agent` that a framework of `role` may draw on, or -1. */
  private poolFor(agent: number, role: string): number {
    const pools = this.agentPools[agent];
    if (pools === undefined) return -1;
    for (const p of pools) if (allocatableTo(this.poolRole[p]!, role)) return p;
    return -1;
  }

  // ---------------------------------------------------------------- AllocationContext

  reservedAvailable(agent: number, role: string, out: Float64Array): boolean {
    out.fill(0);
    const p = this.poolFor(agent, role);
    if (p < 0) return false;
    copyInto(out, 0, this.poolFree, p * NUM_RESOURCES);
    return !isEmpty(out);
  }

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

  offer(fw: number, agent: number, res: ResourceVector, reserved?: ResourceVector): void {
    const f = this.frameworks[fw];
    if (f === undefined) throw this.sim.invariant(`allocator offered to unknown framework ${fw}`);
    if (agent < 0 || agent >= this.agentCount) throw this.sim.invariant(`allocator offered unknown agent ${agent}`);
    if (f.suppressed) throw this.sim.invariant(`allocator offered agent ${agent} to suppressed framework ${f.name}`);
    const off = agent * NUM_RESOURCES;
    const withReserved = reserved !== undefined && !isEmpty(reserved);
    // One pass for: not empty (unless reserved), no negative amount, all of it free.
    const available = this.available;
    let empty = true;
    let bad = false;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const x = res[r]!;
      if (x !== 0) empty = false;
      if (x < 0 || available[off + r]! < x) bad = true;
    }
    if ((empty && !withReserved) || bad) {
      throw this.sim.invariant(
        `allocator offered ${format(res)} on agent ${this.agentNames[agent]} to ${f.name}, but only ${format(this.available, off)} is free`,
      );
    }
    let pool = -1;
    let sum = res;
    if (withReserved) {
      pool = this.poolFor(agent, f.role);
      if (pool < 0 || hasNegative(reserved) || !contains(this.poolFree, pool * NUM_RESOURCES, reserved)) {
        throw this.sim.invariant(
          `allocator offered reserved ${format(reserved)} on agent ${this.agentNames[agent]} to ${f.name} (role ${f.role}), but ` +
          (pool < 0 ? 'no reservation there is allocatable to that role' : `only ${format(this.poolFree, pool * NUM_RESOURCES)} of it is free`),
        );
      }
      subInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      addInto(this.poolOffered, pool * NUM_RESOURCES, reserved);
      sum = this.offerSum;
      copyInto(sum, 0, res);
      addInto(sum, 0, reserved);
    }
    subInto(this.available, off, res);
    addInto(this.acct, agent * ACCT + OFFERED, res);
    this.checkAgent(agent);
    const id = this.nextOfferId++;
    const s = this.offers.add(id, fw, agent, sum, 0, this.sim.now);
    if (withReserved) {
      this.offers.pool[s] = pool;
      copyInto(this.offers.reserved[s]!, 0, reserved);
    }
    if (this.offerTimeout > 0) this.offers.timeout[s] = this.sim.after(this.offerTimeout, Phase.MESSAGE, this.hRescind, id, true);
    if (f.inbox.length === 0) this.touched.push(fw);
    f.inbox.push(id);
    // `res` is the offer's sum, reserved part included: reports and the fingerprint see no new field.
    this.log.record({ kind: 'offer_sent', t: this.sim.now, offer: id, framework: fw, agent, res: tuple(sum) });
  }

  // ---------------------------------------------------------------- allocation runs

  /**
   * Asks for an allocation run now, over agent `a` (or all agents when a < 0): the architecture
   * decides when (see its trigger).
   */
  private trigger(a: number): void {
    this.arch.trigger(a);
  }

  /**
   * Sends the offers made since the last call: each framework's in one delivery, as Mesos sends a
   * run's offers in one message, in framework order, in the OFFER phase of this instant.
   */
  sendOffers(): void {
    if (this.touched.length === 0) return;
    this.touched.sort((x, y) => x - y);
    for (const fw of this.touched) this.sim.at(this.sim.now, Phase.OFFER, this.hDeliver, fw);
    this.touched.length = 0;
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

  /**
   * See {@link SchedulerDriver.accept}. Validated as Mesos does: first the offer (one that is not
   * outstanding or is another framework's makes the whole accept invalid: src/master/master.cpp
   * 3936-4025, where Mesos answers each task TASK_LOST and would also discard another framework's
   * offer, which is left alone here), then each task in order against what the offer has left
   * (`_accept`, master.cpp:4877-4940: TASK_ERROR for each offending task, the rest launch).
   */
  accept(fw: number, offerId: number, taskIds: readonly number[], refuseSeconds: number | undefined): void {
    const s = this.offers.slotOf(offerId);
    if (s < 0 || this.offers.fw[s] !== fw) {
      for (const task of taskIds) this.refuseTask(fw, offerId, task, TaskErrorReason.INVALID_OFFER);
      return;
    }
    const agent = this.takeOffer(fw, offerId, 'accept');
    const offered = this.taken;
    const used = this.scratch;
    used.fill(0);
    const t = this.tasks;
    const launching = this.launching;
    launching.length = 0;
    for (const task of taskIds) {
      const problem = this.launchProblem(fw, task, offered, used);
      if (problem !== null) {
        this.refuseTask(fw, offerId, task, problem);
        continue;
      }
      addInto(used, 0, t.res, task * NUM_RESOURCES);
      // Marked at once, so that the same task named again in this accept is not pending.
      t.state[task] = TaskCode.STAGING;
      launching.push(task);
    }
    const usedTuple = tuple(used);
    const pool = this.takenPool;
    const unused = this.unused;
    copyInto(unused, 0, offered);
    subInto(unused, 0, used);
    if (pool >= 0) {
      // Tasks take reserved resources first (see takeReserved); only the rest is unreserved.
      this.takeReserved(launching, pool);
      subInto(used, 0, this.usedReserved);
      copyInto(this.unusedReserved, 0, this.takenReserved);
      subInto(this.unusedReserved, 0, this.usedReserved);
    }
    subInto(this.acct, agent * ACCT + OFFERED, used);
    addInto(this.acct, agent * ACCT + ALLOCATED, used);
    if (pool >= 0) this.checkPool(agent, pool);
    for (const task of launching) this.launch(task, fw, agent);
    const refuse = this.giveBack(fw, agent, unused, refuseSeconds, pool, this.unusedReserved);
    this.log.record({
      kind: 'offer_accepted', t: this.sim.now, offer: offerId, framework: fw, agent, tasks: launching.length, used: usedTuple, refuse,
    });
  }
  /** the tasks of the accept under way that pass validation, in order */
  private readonly launching: number[] = [];

  /**
   * Why task `task`, named in an accept of `fw`, may not launch on an offer of `offered` of which
   * the accept's earlier tasks use `used`; null when it may.
   */
  private launchProblem(fw: number, task: number, offered: Float64Array, used: Float64Array): TaskErrorReason | null {
    const t = this.tasks;
    if (!Number.isInteger(task) || task < 0 || task >= t.size) return TaskErrorReason.UNKNOWN_TASK;
    const job = t.job[task]!;
    if (t.jobFramework[job] !== fw) return TaskErrorReason.OTHER_FRAMEWORK_TASK;
    if (t.state[task] !== TaskCode.PENDING) return TaskErrorReason.TASK_NOT_PENDING;
    // A pending task of an abandoned or dropped job was dropped: it must never launch.
    if ((this.abandoned.size > 0 && this.abandoned.has(job)) || (this.dropped.size > 0 && this.dropped.has(job))) {
      return TaskErrorReason.TASK_NOT_PENDING;
    }
    const off = task * NUM_RESOURCES;
    for (let r = 0; r < NUM_RESOURCES; r++) if (used[r]! + t.res[off + r]! > offered[r]!) return TaskErrorReason.INSUFFICIENT_RESOURCES;
    return null;
  }

  /**
   * Refuses task `task` of an accept of `fw` on offer `offerId` (TASK_ERROR): a `task_error`
   * record now; the scheduler hears of it through onTaskError after its call returns, in an event
   * later in this instant (as Mesos sends a status update), so it never reenters its own call.
   */
  private refuseTask(fw: number, offerId: number, task: number, reason: TaskErrorReason): void {
    this.log.record({ kind: 'task_error', t: this.sim.now, task, framework: fw, offer: offerId, reason });
    // Schedulers call in the arrival, message or offer phase: deliver in the message phase, or in
    // the offer phase when called there, after the current event.
    if (this.errorFw.length === 0) this.sim.at(this.sim.now, this.sim.phase <= Phase.MESSAGE ? Phase.MESSAGE : Phase.OFFER, this.hTaskErrors, 0);
    this.errorFw.push(fw);
    this.errorTask.push(task);
    this.errorReason.push(reason);
  }
  /** task errors logged and not yet delivered to their schedulers, in order */
  private errorFw: number[] = [];
  private errorTask: number[] = [];
  private errorReason: TaskErrorReason[] = [];

  /** Tells each scheduler of its refused tasks, in the order they were refused (see {@link refuseTask}). */
  private deliverTaskErrors(): void {
    const fws = this.errorFw;
    const tasks = this.errorTask;
    const reasons = this.errorReason;
    // A scheduler may accept again while it is told: those errors go to a later delivery.
    this.errorFw = [];
    this.errorTask = [];
    this.errorReason = [];
    for (let i = 0; i < fws.length; i++) {
      const f = this.frameworks[fws[i]!]!;
      if (!f.removed && f.behaviour.onTaskError !== undefined) f.behaviour.onTaskError(tasks[i]!, reasons[i]!, f.driver);
    }
  }

  /**
   * Splits the launched tasks' resources between the offer's reservation `pool` and the unreserved
   * pool: each task, in launch order, takes what it can from the offer's reserved part, per
   * resource, and the rest unreserved (Mesos lets the framework choose; offersim's schedulers ask
   * for amounts only, so reserved first keeps unreserved resources for everyone else). What each
   * task took is remembered so its end returns it to the pool. Leaves the total in {@link usedReserved}.
   */
  private takeReserved(taskIds: readonly number[], pool: number): void {
    const t = this.tasks;
    if (this.taskPool.length < t.size) this.growTaskPools(t.size);
    const left = this.unusedReserved;
    copyInto(left, 0, this.takenReserved);
    const used = this.usedReserved;
    used.fill(0);
    for (const task of taskIds) {
      const off = task * NUM_RESOURCES;
      for (let r = 0; r < NUM_RESOURCES; r++) {
        const take = Math.min(t.res[off + r]!, left[r]!);
        this.taskReserved[off + r] = take;
        left[r] = left[r]! - take;
        used[r] = used[r]! + take;
      }
      this.taskPool[task] = isEmpty(this.taskReserved, off) ? 0 : pool + 1;
    }
    subInto(this.poolOffered, pool * NUM_RESOURCES, used);
    addInto(this.poolAllocated, pool * NUM_RESOURCES, used);
  }

  private growTaskPools(size: number): void {
    const cap = Math.max(size, this.taskPool.length * 2, 64);
    const p = new Int32Array(cap); p.set(this.taskPool); this.taskPool = p;
    const r = new Float64Array(cap * NUM_RESOURCES); r.set(this.taskReserved); this.taskReserved = r;
  }

  /**
   * See {@link SchedulerDriver.decline}. An offer that is not outstanding is ignored, as Mesos
   * ignores a decline of an offer no longer valid (src/master/master.cpp:5443-5456); so is another
   * framework's (Mesos would discard it).
   */
  decline(fw: number, offerId: number, refuseSeconds: number | undefined): void {
    const s = this.offers.slotOf(offerId);
    if (s < 0 || this.offers.fw[s] !== fw) return;
    const agent = this.takeOffer(fw, offerId, 'decline');
    const refuse = this.giveBack(fw, agent, this.taken, refuseSeconds, this.takenPool, this.takenReserved);
    this.log.record({ kind: 'offer_declined', t: this.sim.now, offer: offerId, framework: fw, agent, refuse });
  }

  /** See {@link SchedulerDriver.suppress}. */
  suppress(fw: number): void {
    const f = this.frameworks[fw]!;
    if (f.suppressed) return;
    f.suppressed = true;
    if (f.connected) {
      this.activeFrameworks--;
      this.allocator.deactivateFramework(fw);
    }
    this.log.record({ kind: 'suppress', t: this.sim.now, framework: fw });
  }

  /** See {@link SchedulerDriver.revive}. */
  revive(fw: number): void {
    const f = this.frameworks[fw]!;
    if (f.suppressed) {
      f.suppressed = false;
      if (f.connected) {
        this.activeFrameworks++;
        this.allocator.activateFramework(fw);
      }
    }
    this.clearFilters(fw);
    this.log.record({ kind: 'revive', t: this.sim.now, framework: fw });
    this.trigger(-1);
  }

  /**
   * See {@link SchedulerDriver.kill}: running `task` of `fw` goes `killed` at once (Mesos KILL with
   * no latency): resources recovered with no filter, the scheduler told. A task on a failed agent
   * cannot be reached: it is left to be lost when the agent is declared lost. Terminal tasks are
   * left alone (the kill raced their end); a pending task is a scheduler bug.
   */
  kill(fw: number, task: number): void {
    const t = this.tasks;
    if (task < 0 || task >= t.size || t.jobFramework[t.job[task]!] !== fw) throw this.sim.invariant(`framework ${fw} killed task ${task}, not its own`);
    const st = t.state[task]!;
    if (st === TaskCode.PENDING) throw this.sim.invariant(`framework ${fw} killed task ${task}, which has not been launched`);
    if (st !== TaskCode.RUNNING || this.agentDown[t.agent[task]!] !== 0) return;
    this.failuresSeen = true; // the killed task's own end event still fires: finishTask skips it
    this.endTask(task, TaskCode.KILLED);
  }

  /**
   * See {@link SchedulerDriver.restartJob}: marks `job` restarted (it ends with no `job_finished`),
   * submits the copy `<name>/restart-<n>`, logs `job_restarted`, then kills the job's running
   * tasks. Returns the copy's job index.
   */
  restartJob(fw: number, job: number): number {
    const t = this.tasks;
    if (job < 0 || job >= t.jobs || t.jobFramework[job] !== fw) throw this.sim.invariant(`framework ${fw} restarted job ${job}, not its own`);
    if (this.restarted.has(job) || this.abandoned.has(job)) throw this.sim.invariant(`framework ${fw} restarted job ${job} twice or after abandoning it`);
    this.restarted.add(job);
    const root = this.restartRoot.get(job) ?? job;
    const n = (this.restartCount.get(root) ?? 0) + 1;
    this.restartCount.set(root, n);
    const first = t.firstTask[job]!;
    const count = t.taskCount[job]!;
    const tasks = [];
    for (let i = first; i < first + count; i++) {
      tasks.push({ res: t.res.slice(i * NUM_RESOURCES, (i + 1) * NUM_RESOURCES), duration: t.duration[i]! as SimTime });
    }
    const name = this.jobNames.get(root);
    if (name === undefined) throw this.sim.invariant(`framework ${fw} restarted job ${job}, but its behaviour does not declare restartsJobs`);
    const spec: JobSpec = { id: `${name}/restart-${n}`, submit: this.sim.now, framework: this.frameworks[fw]!.name, tasks };
    const copy = this.submitJob(spec, fw);
    this.restartRoot.set(copy, root);
    this.log.record({ kind: 'job_restarted', t: this.sim.now, job, framework: fw, copy });
    for (let i = first; i < first + count; i++) this.kill(fw, i);
    return copy;
  }
  /** jobs restarted (their end logs no job_finished) */
  private readonly restarted = new Set<number>();
  /** restart copies: the job first submitted (whose name the copies share) */
  private readonly restartRoot = new Map<number, number>();
  /** restarts so far, by original job */
  private readonly restartCount = new Map<number, number>();

  /** See {@link SchedulerDriver.resubmit}: the copy is job `<framework>/replace-<task>`. */
  resubmit(fw: number, task: number): void {
    const t = this.tasks;
    if (task < 0 || task >= t.size || t.jobFramework[t.job[task]!] !== fw) throw this.sim.invariant(`framework ${fw} resubmitted task ${task}, not its own`);
    if (t.state[task]! < TaskCode.FINISHED) throw this.sim.invariant(`framework ${fw} resubmitted task ${task}, which has not ended`);
    const res = t.res.slice(task * NUM_RESOURCES, task * NUM_RESOURCES + NUM_RESOURCES);
    const spec: JobSpec = {
      id: `${this.frameworks[fw]!.name}/replace-${task}`, submit: this.sim.now, framework: this.frameworks[fw]!.name,
      tasks: [{ res, duration: t.duration[task]! as SimTime }],
    };
    this.submitJob(spec, fw);
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
    this.takenPool = offers.pool[s]!;
    if (this.takenPool >= 0) copyInto(this.takenReserved, 0, offers.reserved[s]!);
    const agent = offers.agent[s]!;
    offers.remove(s);
    return agent;
  }

  /**
   * Returns offered resources `res` to the agent's free pools (the part `reserved` to reservation
   * `pool`, when pool >= 0; the rest unreserved) and installs a refuse filter over the whole of
   * `res` (a filter compares sums: it blocks a later offer on the agent whose sum, reserved part
   * included, it contains). Returns the filter length in us.
   */
  private giveBack(
    fw: number, agent: number, res: ResourceVector, refuseSeconds: number | undefined, pool: number, reserved: ResourceVector,
  ): number {
    if (isEmpty(res)) return 0;
    addInto(this.available, agent * NUM_RESOURCES, res);
    subInto(this.acct, agent * ACCT + OFFERED, res);
    if (pool >= 0) {
      subInto(this.available, agent * NUM_RESOURCES, reserved);
      addInto(this.acct, agent * ACCT + OFFERED, reserved);
      addInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      subInto(this.poolOffered, pool * NUM_RESOURCES, reserved);
      this.checkPool(agent, pool);
      this.checkAgent(agent);
      this.allocator.recover(fw, agent, res, reserved);
    } else {
      this.checkAgent(agent);
      this.allocator.recover(fw, agent, res);
    }
    let secs = refuseSeconds === undefined || refuseSeconds < 0 || Number.isNaN(refuseSeconds) ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
    if (secs > MAX_REFUSE_SECONDS) secs = MAX_REFUSE_SECONDS;
    const refuse = Math.round(secs * MICROS_PER_SECOND);
    if (refuse === 0) return 0;
    // MESOS-4302: a filter lasts at least one allocation interval, so that the next run sees it.
    const timeout = Math.max(refuse, this.interval);
    // The filter expires where an ALLOCATE-phase event scheduled now for now + timeout would run
    // (Mesos expires it by a timer); it is checked lazily instead (RefuseFilters), so a decline
    // schedules no event.
    this.filters.add(fw, agent, res, 0, this.sim.now + timeout, this.sim.reserveSeq());
    return refuse;
  }

  private rescind(offerId: number): void {
    const offers = this.offers;
    const s = offers.slotOf(offerId);
    if (s < 0) throw this.sim.invariant(`offer ${offerId} timed out but is not outstanding`);
    const fw = offers.fw[s]!;
    const agent = offers.agent[s]!;
    copyInto(this.taken, 0, offers.res[s]!);
    const pool = offers.pool[s]!;
    if (pool >= 0) copyInto(this.takenReserved, 0, offers.reserved[s]!);
    offers.remove(s);
    // A rescinded offer's resources come back with no filter (master.cpp, offer timeout).
    this.giveBack(fw, agent, this.taken, 0, pool, this.takenReserved);
    this.log.record({ kind: 'offer_rescinded', t: this.sim.now, offer: offerId, framework: fw, agent });
    const f = this.frameworks[fw]!;
    f.behaviour.onOfferRescinded(offerId, f.driver);
  }

  // ---------------------------------------------------------------- tasks

  private launch(task: number, fw: number, agent: number): void {
    const t = this.tasks;
    t.agent[task] = agent;
    const on = this.runningOn[agent] ?? (this.runningOn[agent] = []);
    if (task >= this.runningPos.length) {
      const p = new Int32Array(Math.max(task + 1, this.runningPos.length * 2));
      p.set(this.runningPos);
      this.runningPos = p;
    }
    this.runningPos[task] = on.length;
    on.push(task);
    t.state[task] = TaskCode.STAGING;
    this.logTask(task, fw);
    // Executors start at once: staging and running fall on the launch instant.
    t.state[task] = TaskCode.RUNNING;
    this.logTask(task, fw);
    let duration = t.duration[task]!;
    if (t.prefs[task] !== undefined) {
      // Only tasks with preferences have a locality: runs without any log no extra record.
      const loc = t.localityOf(task, agent);
      this.log.record({ kind: 'task_locality', t: this.sim.now, task, job: t.job[task]!, framework: fw, agent, locality: LOCALITY_NAMES[loc] as TaskLocality });
      const slow = this.frameworks[fw]!.behaviour.remoteSlowdown ?? 1;
      if (loc !== Locality.NODE && slow !== 1) duration = Math.max(1, Math.round(duration * slow));
    }
    this.sim.after(duration, Phase.RELEASE, this.hFinish, task);
  }

  private finishTask(task: number): void {
    if (this.downAgents > 0 || this.failuresSeen) {
      // A task on a failed agent ends unseen: the master hears nothing until it declares it lost.
      // A lost task's own end event still fires later: it has nothing left to do (task ids are
      // never relaunched; schedulers rerun lost work as copies, see SchedulerDriver.resubmit).
      // The same holds for a task killed when its framework's failover timeout ran out, or by its
      // scheduler (SchedulerDriver.kill).
      const st = this.tasks.state[task];
      if (st === TaskCode.LOST || st === TaskCode.KILLED || this.agentDown[this.tasks.agent[task]!] !== 0) return;
    }
    this.endTask(task, TaskCode.FINISHED);
  }

  /** Task `task` reaches terminal state `code` (FINISHED, or LOST with its agent): resources back, scheduler told. */
  private endTask(task: number, code: number, notify = true): void {
    const t = this.tasks;
    if (t.state[task] !== TaskCode.RUNNING) throw this.sim.invariant(`task ${task} ended while not running`);
    const j = t.job[task]!;
    const fw = t.jobFramework[j]!;
    const agent = t.agent[task]!;
    t.state[task] = code;
    // Off its agent's running list (swap with the last).
    const on = this.runningOn[agent]!;
    const at = this.runningPos[task]!;
    const last = on.pop()!;
    if (last !== task) {
      on[at] = last;
      this.runningPos[last] = at;
    }
    const res = t.res.subarray(task * NUM_RESOURCES, task * NUM_RESOURCES + NUM_RESOURCES);
    const pool = task < this.taskPool.length ? this.taskPool[task]! - 1 : -1;
    let reserved: Float64Array | undefined;
    addInto(this.available, agent * NUM_RESOURCES, res);
    subInto(this.acct, agent * ACCT + ALLOCATED, res);
    if (pool >= 0) {
      // The part the task took from its reservation goes back there (see takeReserved).
      reserved = this.taskReserved.subarray(task * NUM_RESOURCES, task * NUM_RESOURCES + NUM_RESOURCES);
      subInto(this.available, agent * NUM_RESOURCES, reserved);
      addInto(this.acct, agent * ACCT + ALLOCATED, reserved);
      addInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      subInto(this.poolAllocated, pool * NUM_RESOURCES, reserved);
      this.taskPool[task] = 0;
      this.checkPool(agent, pool);
    }
    this.checkAgent(agent);
    this.logTask(task, fw);
    // Terminal tasks recover with no filter; they wait for the next periodic run (MESOS-3078).
    if (reserved !== undefined) this.allocator.recover(fw, agent, res, reserved);
    else this.allocator.recover(fw, agent, res);
    // A scheduler that places tasks itself does so as soon as resources free up: no tick to wait for.
    this.arch.changed();
    const f = this.frameworks[fw]!;
    if (notify && !f.removed) f.behaviour.onTaskEnded(task, code, f.driver);
    const done = ++t.doneCount[j]!;
    if (done === t.taskCount[j]) {
      if (!this.abandoned.has(j) && !this.restarted.has(j) && !this.dropped.has(j)) this.log.record({ kind: 'job_finished', t: this.sim.now, job: j, framework: fw });
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

  /**
   * Free + offered + allocated of the unreserved pool must equal the agent's total less its
   * reservations, with nothing negative (each reservation pool is checked by {@link checkPool}).
   */
  private checkAgent(agent: number): void {
    const off = agent * NUM_RESOURCES;
    const pools = this.agentPools[agent];
    const available = this.available;
    const acct = this.acct;
    const o = agent * ACCT;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const free = available[off + r]!;
      const offered = acct[o + OFFERED + r]!;
      const allocated = acct[o + ALLOCATED + r]!;
      let total = acct[o + TOTAL + r]!;
      if (pools !== undefined) for (const p of pools) total -= this.poolTotal[p * NUM_RESOURCES + r]!;
      if (free < 0 || offered < 0 || allocated < 0 || free + offered + allocated !== total) this.agentBroken(agent);
    }
  }

  /** Throws the broken-accounting invariant of {@link checkAgent} (kept out of its hot loop). */
  private agentBroken(agent: number): never {
    const off = agent * NUM_RESOURCES;
    const o = agent * ACCT;
    throw this.sim.invariant(
      `agent ${this.agentNames[agent]}: free ${format(this.available, off)} + offered ${format(this.acct, o + OFFERED)} + ` +
      `allocated ${format(this.acct, o + ALLOCATED)} is not its total ${format(this.acct, o + TOTAL)}`,
    );
  }

  /** Free + offered + allocated of reservation pool `pool` must equal its total, with nothing negative. */
  private checkPool(agent: number, pool: number): void {
    const off = pool * NUM_RESOURCES;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const free = this.poolFree[off + r]!;
      const offered = this.poolOffered[off + r]!;
      const allocated = this.poolAllocated[off + r]!;
      if (free < 0 || offered < 0 || allocated < 0 || free + offered + allocated !== this.poolTotal[off + r]) {
        throw this.sim.invariant(
          `agent ${this.agentNames[agent]}, reservation for ${this.poolRole[pool]}: free ${format(this.poolFree, off)} + ` +
          `offered ${format(this.poolOffered, off)} + allocated ${format(this.poolAllocated, off)} is not its total ${format(this.poolTotal, off)}`,
        );
      }
    }
  }

  private growPools(): void {
    const cap = Math.max(16, this.poolCap * 2);
    const grow = (x: Float64Array) => { const y = new Float64Array(cap * NUM_RESOURCES); y.set(x); return y; };
    this.poolTotal = grow(this.poolTotal);
    this.poolFree = grow(this.poolFree);
    this.poolOffered = grow(this.poolOffered);
    this.poolAllocated = grow(this.poolAllocated);
    this.poolCap = cap;
  }

  private growAgents(): void {
    const cap = this.agentCap * 2;
    const a = new Float64Array(cap * NUM_RESOURCES); a.set(this.available); this.available = a;
    const c = new Float64Array(cap * ACCT); c.set(this.acct); this.acct = c;
    const d = new Uint8Array(cap); d.set(this.agentDown); this.agentDown = d;
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
  resubmit(task: number): void {
    this.master.resubmit(this.fw, task);
  }
  kill(task: number): void {
    this.master.kill(this.fw, task);
  }
  restartJob(job: number): number {
    return this.master.restartJob(this.fw, job);
  }
  after(delaySeconds: number, fn: () => void): void {
    this.master.after(this.fw, Math.round(delaySeconds * MICROS_PER_SECOND), fn);
  }
  decided(job: number, start: SimTime, tasks: number): void {
    this.master.decided(this.fw, job, start, tasks);
  }
  abandon(job: number, dropped: number, attempts: number): void {
    this.master.abandon(this.fw, job, dropped, attempts);
  }
}

/**
 * Whether a reservation for `owner` may be offered to a framework of `role`: the same role or a
 * descendant (Mesos `Resources::isAllocatableTo`).
 */
export function allocatableTo(owner: string, role: string): boolean {
  return role === owner || (role.length > owner.length && role.startsWith(owner) && role.charCodeAt(owner.length) === 47);
}

function tuple(v: Float64Array): ResTuple {
  return [v[0]!, v[1]!, v[2]!, v[3]!];
}
