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
import type { AllocationCost } from './allocation-cost.js';
import type { Architecture } from './architectures/architecture.js';
import { Driver, SchedulerTimers } from './driver.js';
import type { FrameworkBehaviour, OfferOperation, SchedulerDriver } from './framework.js';
import { agentIx, frameworkIx, taskIx, type AgentIx, type FrameworkIx, type JobIx, type TaskIx } from './ids.js';
import { RELEASED_CODE, TaskCode, type JobSpec, TaskTable } from './job.js';
import type { ResTuple } from './log.js';
import type { RecordLog } from './record-log.js';
import { AgentFailures } from './agent-failures.js';
import { AgentPartitions } from './agent-partitions.js';
import { AgentTable } from './agents.js';
import { OfferBook, type OfferHost } from './offer-book.js';
import { TaskLife } from './task-life.js';
import { copyInto, DEFAULT_MIN_ALLOCATABLE, type MinAllocatable, NUM_RESOURCES, type ResourceVector } from './resources.js';

/** A zero vector never written: the reserved part of a container (containers take no reservations). */
const EMPTY_VECTOR = new Float64Array(NUM_RESOURCES);

/** Master options (Mesos flags), each with the Mesos default. */
export interface MasterOptions {
  /** `--allocation_interval`, us; default 1 s */
  readonly allocationInterval?: SimTime;
  /** `--offer_timeout`, us; default none (offers never time out) */
  readonly offerTimeout?: SimTime | undefined;
  /** `--min_allocatable_resources`; default cpus:0.01|mem:32 */
  readonly minAllocatable?: MinAllocatable;
  /**
   * `--filter_gpu_resources`: agents whose total has gpus go only to frameworks with the
   * GPU_RESOURCES capability (offers, and the baselines' direct placement); default true
   */
  readonly filterGpuResources?: boolean | undefined;
  /** the allocator cost model: how long an allocation run takes; default none (runs take no time) */
  readonly allocationCost?: AllocationCost | undefined;
}

/** What a framework declares to the master besides its name and role (Mesos FrameworkInfo). */
export interface FrameworkOptions {
  /** the GPU_RESOURCES capability (see {@link MasterOptions.filterGpuResources}); default false */
  readonly gpuResources?: boolean | undefined;
  /**
   * its own min-allocatable check (Mesos `offer_filters[role].min_allocatable_resources`),
   * replacing the master's for its offers: alternatives (OR), an empty list passing anything
   * non-empty; default none (the master's)
   */
  readonly minAllocatable?: MinAllocatable | undefined;
  /** every role of a multi-role framework, its role first (see {@link Master.addFramework}) */
  readonly roles?: readonly string[] | undefined;
  /** the PARTITION_AWARE capability: its tasks on an unreachable agent go unreachable, not lost; default false */
  readonly partitionAware?: boolean | undefined;
}

export { MAX_REFUSE_SECONDS } from './offer-book.js';
export { AGENT_PING_TIMEOUT, MAX_AGENT_PING_TIMEOUTS } from './agent-failures.js';

interface FrameworkState {
  readonly index: FrameworkIx;
  readonly name: string;
  readonly role: string;
  /** every role of it, `role` first: two or more for a multi-role framework, else just `role` */
  readonly roles: readonly string[];
  /** role weight */
  readonly weight: number;
  readonly behaviour: FrameworkBehaviour;
  readonly driver: SchedulerDriver;
  readonly gpuResources: boolean;
  readonly minAllocatable: MinAllocatable | undefined;
  /** whether every role of it is suppressed (one role: whether it is) */
  suppressed: boolean;
  /** a multi-role framework's suppressed roles, as its driver last asked (empty for one role) */
  readonly suppressedRoles: Set<string>;
  /** false while its scheduler is disconnected (failover); active in the allocator iff connected and not suppressed */
  connected: boolean;
  /** removed after its failover timeout ran out */
  removed: boolean;
  /** the pending failover-timeout event, -1 for none */
  killEvent: number;
  /** declared the PARTITION_AWARE capability: its tasks on an unreachable agent go unreachable, not lost */
  readonly partitionAware: boolean;
}

/** The master. One per simulation; it registers its handlers with the simulator. */
export class Master {
  readonly interval: number;
  /** the allocator cost model, if on (MasterOptions.allocationCost) */
  readonly allocationCost: AllocationCost | undefined;

  /** the agents and their resources */
  private readonly agents: AgentTable;
  /**
   * whether any agent has failed, framework disconnected or task been killed in this run: task end
   * events may then find their task already ended (see finishTask)
   */
  private failuresSeen = false;

  private readonly frameworks: FrameworkState[] = [];
  private activeFrameworks = 0;
  /** `--filter_gpu_resources` */
  private readonly filterGpuResources: boolean;
  /** offers, their answers and the refuse filters */
  private readonly book: OfferBook;

  /** launched tasks, to their end */
  private readonly life: TaskLife;
  /** the schedulers' timers */
  private readonly timers: SchedulerTimers;
  /** agents failing, lost and back */
  private readonly failures: AgentFailures;
  /** agents partitioned, and partition-aware frameworks' unreachable tasks */
  private readonly partitions: AgentPartitions;
  private readonly hFailover: HandlerId;
  /** Called when every task of a job has reached a terminal state. */
  onJobFinished: (job: number) => void = () => {};
  /** How tasks reach agents: offers, or a scheduler that places them itself. */
  private readonly arch: Architecture;

  /**
   * A master for one run; `architecture` builds the run's scheduling architecture on it (called
   * once, at the end of construction).
   */
  constructor(
    private readonly sim: Simulator,
    private readonly allocator: Allocator,
    readonly tasks: TaskTable,
    private readonly log: RecordLog,
    options: MasterOptions,
    architecture: (master: Master) => Architecture,
  ) {
    this.agents = new AgentTable(sim);
    this.interval = options.allocationInterval ?? MICROS_PER_SECOND;
    this.filterGpuResources = options.filterGpuResources ?? true;
    this.allocationCost = options.allocationCost;
    if (!(this.interval > 0)) throw new RangeError('allocationInterval must be > 0');
    const host: OfferHost = {
      client: (fw) => this.frameworks[fw],
      launch: (task, fw, agent, role) => this.life.launch(task, fw, agent, role),
      jobDropped: (job) => (this.abandoned.size > 0 && this.abandoned.has(job)) || (this.dropped.size > 0 && this.dropped.has(job)),
    };
    this.book = new OfferBook(sim, this.agents, allocator, tasks, log, host, {
      interval: this.interval,
      offerTimeout: options.offerTimeout ?? 0,
      minAllocatable: options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE,
      filterGpuResources: this.filterGpuResources,
    });
    this.life = new TaskLife(sim, tasks, this.agents, allocator, log, {
      client: (fw) => this.frameworks[fw]!,
      failuresSeen: () => this.failuresSeen,
      endedUnseen: (task, agent) => this.partitions.endedUnseen(task, agent),
      endsQuietly: (job) => this.abandoned.has(job) || this.restarted.has(job) || this.dropped.has(job),
      changed: (task, agent) => {
        this.arch.taskEnded?.(task, agent);
        this.arch.changed();
      },
      jobFinished: (job) => this.jobOver(job),
    });
    this.failures = new AgentFailures(sim, this.agents, this.book, allocator, log, {
      // An architecture that reruns lost tasks itself keeps them from the behaviours.
      endTask: (task, code) => this.life.end(task, code, this.arch.rerunsLostTasks !== true),
      partitionAware: (task) => this.owner(task).partitionAware,
      unreachable: (task) => {
        this.life.unreachable(task);
        this.partitions.wentUnreachable(task, agentIx(this.tasks.agentOf(taskIx(task))));
      },
      trigger: (a) => this.trigger(a),
      lost: (a) => {
        this.partitions.markedUnreachable(a);
        this.arch.agentLost?.(a);
      },
    });
    this.partitions = new AgentPartitions(sim, this.agents, tasks, this.failures, log, {
      endTask: (task, code, notify) => this.life.end(task, code, notify),
      resume: (task) => this.life.resume(task, this.owner(task).role),
    });
    this.hFailover = sim.register('failover-timeout', (fw) => this.removeFramework(frameworkIx(fw)));
    this.timers = new SchedulerTimers(sim, (fw) => this.frameworks[fw]!.removed);
    this.arch = architecture(this);
  }

  /** The framework of live `task`. */
  private owner(task: number): FrameworkState {
    return this.frameworks[this.tasks.jobFramework[this.tasks.jobOf(taskIx(task))]!]!;
  }

  /**
   * See {@link SchedulerDriver.after}: a MESSAGE-phase event `delay` us from now for framework
   * `fw`'s scheduler (SchedulerTimers).
   */
  after(fw: FrameworkIx, delay: number, fn: () => void): void {
    this.book.settle();
    this.timers.after(fw, delay, fn);
  }

  /** See {@link SchedulerDriver.decided}. */
  decided(fw: FrameworkIx, job: JobIx, start: number, tasks: number): void {
    this.book.settle();
    if (this.sim.now > start) this.log.record({ kind: 'decision', t: this.sim.now, framework: fw, job, start, tasks });
  }

  /** See {@link SchedulerDriver.abandon}. */
  abandon(fw: FrameworkIx, job: JobIx, dropped: number, attempts: number): void {
    this.book.settle();
    const t = this.tasks;
    if (t.jobFramework[job] !== fw) throw this.sim.invariant(`framework ${fw} abandoned job ${job} of another framework`);
    this.log.record({ kind: 'job_abandoned', t: this.sim.now, job, framework: fw, dropped, attempts });
    // Its dropped tasks count as done, so the job is over (with no job_finished record) once the
    // tasks it did launch have ended: a run to completion does not wait for it.
    this.abandoned.add(job);
    t.doneCount[job]! += dropped;
    if (t.doneCount[job] === t.taskCount[job]) this.jobOver(job);
  }

  /** Job `job` is over (every task terminal or dropped): its task storage goes back to the table. */
  private jobOver(job: number): void {
    this.arch.jobOver?.(job);
    this.tasks.release(job);
    this.onJobFinished(job);
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
  addAgent(name: string, rack: string, total: ResourceVector, reserved: readonly Reservation[] = []): AgentIx {
    const a = this.agents.add(name, rack, total, reserved);
    if (reserved.length > 0) this.allocator.addAgent(a, total, reserved);
    else this.allocator.addAgent(a, total);
    this.tasks.registerAgent(a, name, rack);
    this.log.record({ kind: 'agent_added', t: this.sim.now, agent: a, name, rack, res: tuple(total) });
    this.trigger(a);
    return a;
  }

  /**
   * Agent `a` fails (AgentFailures.fail): its offers are rescinded at once, and it is declared lost
   * after the ping timeouts. Returns that time, us.
   */
  failAgent(a: AgentIx): number {
    this.failuresSeen = true;
    const at = this.failures.fail(a, this.arch.lostAt?.(a, this.sim.now));
    this.arch.agentFailed?.(a);
    return at;
  }

  /** When an agent that failed at `failedAt` is declared lost (the architecture's rule, else AgentFailures.lostAt). */
  lostAt(a: AgentIx, failedAt: number): number {
    return this.arch.lostAt?.(a, failedAt) ?? this.failures.lostAt(a, failedAt);
  }

  /** Whether agent `a` is failed or removed. */
  isAgentDown(a: AgentIx): boolean {
    return this.agents.isDown(a);
  }

  /**
   * Removed agent `a` comes back (AgentFailures.reregister), empty: partition-aware frameworks'
   * tasks that went unreachable on it are gone (AgentPartitions.reregister).
   */
  reregisterAgent(a: AgentIx): void {
    this.partitions.reregister(a);
  }

  /**
   * Agent `a` is cut off by a network partition (AgentPartitions.partition): it and its tasks keep
   * running; it is marked unreachable after the ping timeouts unless the partition heals first.
   * Offer-based runs only. Returns the time it would be marked unreachable, us.
   */
  partitionAgent(a: AgentIx): number {
    if (this.arch.name !== 'offers') throw this.sim.invariant(`a partition of agent ${this.agents.name(a)} under the ${this.arch.name} architecture`);
    this.failuresSeen = true;
    return this.partitions.partition(a);
  }

  /** The partition of agent `a` heals (AgentPartitions.heal). */
  healAgent(a: AgentIx): void {
    this.partitions.heal(a);
  }

  /**
   * Registers a framework, with its capabilities and offer filters (`options`; default none). Its
   * scheduler may suppress at once (FrameworkBehaviour.onSubscribed): it then subscribes
   * suppressed; otherwise an allocation run over all agents follows at once. `options.roles` (two
   * or more, `role` first): a multi-role framework (Mesos MULTI_ROLE), whose scheduler may
   * suppress and revive each role on its own; the allocator must take such frameworks
   * (Allocator.multiRole). `options.partitionAware` (default false): it declared the PARTITION_AWARE
   * capability.
   */
  addFramework(name: string, role: string, weight: number, behaviour: FrameworkBehaviour, options: FrameworkOptions = {}): FrameworkIx {
    const index = frameworkIx(this.frameworks.length);
    const roles = options.roles;
    const multi = roles !== undefined && roles.length > 1;
    if (multi && (roles[0] !== role || this.allocator.multiRole !== true)) {
      throw this.sim.invariant(`framework ${name}: roles [${roles.join(', ')}] must start with its role ${role}, under an allocator that takes several roles`);
    }
    const all = multi ? [...roles] : [role];
    const partitionAware = options.partitionAware ?? false;
    if (partitionAware && this.arch.name !== 'offers') throw this.sim.invariant(`partition-aware framework ${name} under the ${this.arch.name} architecture`);
    const fs: FrameworkState = {
      index,
      name,
      role,
      roles: all,
      weight,
      behaviour,
      driver: new Driver(this, index, all),
      gpuResources: options.gpuResources ?? false,
      minAllocatable: options.minAllocatable,
      suppressed: false,
      suppressedRoles: new Set(),
      connected: true,
      removed: false,
      killEvent: -1,
      partitionAware,
    };
    this.frameworks.push(fs);
    if (fs.minAllocatable !== undefined) this.book.addOverride(fs.minAllocatable);
    this.activeFrameworks++;
    this.allocator.addFramework(multi ? { index, name, role, roles: all } : { index, name, role });
    this.log.record({
      kind: 'framework_added',
      t: this.sim.now,
      framework: index,
      name,
      role,
      weight,
      behaviour: behaviour.kind,
      ...(multi ? { roles: all } : {}),
    });
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
  disconnectFramework(fw: FrameworkIx, failoverTimeout: number): void {
    const f = this.frameworks[fw]!;
    if (!f.connected || f.removed) throw this.sim.invariant(`framework ${f.name} disconnected while not connected`);
    f.connected = false;
    this.failuresSeen = true;
    this.log.record({ kind: 'framework_disconnected', t: this.sim.now, framework: fw, failoverTimeout: Math.max(0, failoverTimeout) });
    if (!f.suppressed) {
      this.activeFrameworks--;
      this.allocator.deactivateFramework(fw);
    }
    this.book.rescindOf(fw);
    this.book.clearFilters(fw);
    if (failoverTimeout <= 0) this.removeFramework(fw);
    else f.killEvent = this.sim.after(failoverTimeout, Phase.MESSAGE, this.hFailover, fw, true);
  }

  /**
   * Framework `fw`'s scheduler reregisters: within its failover timeout it is reactivated (a
   * `framework_reconnected` record, an allocation run over all agents); after its removal it is
   * refused (a `framework_reconnect_refused` record; Mesos answers "Framework has been removed",
   * src/master/master.cpp:2591-2598) and stays gone.
   */
  reconnectFramework(fw: FrameworkIx): void {
    const f = this.frameworks[fw]!;
    if (f.removed) {
      this.log.record({ kind: 'framework_reconnect_refused', t: this.sim.now, framework: fw });
      return;
    }
    if (f.connected) throw this.sim.invariant(`framework ${f.name} reregistered while connected`);
    if (f.killEvent >= 0) this.sim.cancel(f.killEvent);
    f.killEvent = -1;
    f.connected = true;
    // Its SUBSCRIBE carries the roles its driver holds suppressed (src/sched/sched.cpp:845-846,
    // kept up to date while disconnected: sched.cpp:1444-1460); the master sets them
    // (updateFramework, src/master/allocator/mesos/hierarchical.cpp:955-970) and activates the
    // others only (activateFramework, hierarchical.cpp:850-875). The driver's calls while
    // disconnected are recorded here as they come, so what it holds is what the master holds.
    const multi = f.roles.length > 1;
    if (!f.suppressed) {
      this.activeFrameworks++;
      if (multi)
        this.allocator.activateFramework(
          fw,
          f.roles.filter((r) => !f.suppressedRoles.has(r)),
        );
      else this.allocator.activateFramework(fw);
    }
    if (multi)
      this.log.record({ kind: 'framework_reconnected', t: this.sim.now, framework: fw, suppressedRoles: f.roles.filter((r) => f.suppressedRoles.has(r)) });
    else this.log.record({ kind: 'framework_reconnected', t: this.sim.now, framework: fw });
    this.trigger(-1);
  }

  /** Whether framework `fw` is connected (not in failover, not removed). */
  isConnected(fw: FrameworkIx): boolean {
    const f = this.frameworks[fw]!;
    return f.connected && !f.removed;
  }

  /** Whether framework `fw` has been removed (its failover timeout ran out): gone for good. */
  isRemoved(fw: FrameworkIx): boolean {
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
   * them. Its unreachable tasks are killed as well (their resources left with their agent; Mesos
   * marks them killed, src/master/master.cpp:10466-10490), so their agent's return finds none of
   * them. Jobs abandoned or restarted before keep their record: their running tasks are killed only.
   * Its pending timers never fire, and later jobs of its workload are dropped as they arrive
   * (see {@link submitJob}), so a run to completion still ends.
   */
  private removeFramework(fw: FrameworkIx): void {
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
      for (let i = first; i < first + t.taskCount[j]!; i++) if (isHeld(t.stateOf(i))) running++;
    }
    this.log.record({ kind: 'framework_removed', t: this.sim.now, framework: fw, tasksKilled: running, jobsDropped: dropping });
    for (const j of jobs) {
      const first = t.firstTask[j]!;
      const end = first + t.taskCount[j]!;
      let live = 0;
      if (!this.abandoned.has(j) && !this.restarted.has(j)) {
        let pending = 0;
        for (let i = first; i < end; i++) if (t.stateOf(i) === TaskCode.PENDING) pending++;
        this.dropJob(j, fw, pending);
      }
      for (let i = first; i < end; i++) {
        if (!isHeld(t.stateOf(i))) continue;
        live++;
        this.life.end(i, TaskCode.KILLED, false);
      }
      // With no task left to end, the job is over now (else its last kill ended it).
      if (live === 0 && t.doneCount[j] === t.taskCount[j]) this.jobOver(j);
    }
    this.allocator.removeFramework(fw);
  }

  /**
   * Job `job` of removed framework `fw` is dropped: a `job_dropped` record; its `pending` tasks
   * never launched count as done (they stay pending in the task table), so the job is over once
   * its other tasks have ended, with no job_finished.
   */
  private dropJob(job: number, fw: FrameworkIx, pending: number): void {
    this.dropped.add(job);
    this.log.record({ kind: 'job_dropped', t: this.sim.now, job, framework: fw, dropped: pending });
    this.tasks.doneCount[job]! += pending;
  }
  /** jobs dropped with their removed framework (their end logs no job_finished) */
  private readonly dropped = new Set<number>();

  /**
   * Stores a job's tasks and hands the job to its framework's scheduler. A job of a removed
   * framework has no scheduler to go to: it is logged as submitted and dropped at once (all its
   * tasks never launched), and is over.
   */
  submitJob(spec: JobSpec, fw: FrameworkIx): JobIx {
    const f = this.frameworks[fw];
    if (f === undefined) throw this.sim.invariant(`job ${spec.id} names unknown framework index ${fw}`);
    const j = this.tasks.addJob(spec, fw);
    // Names are kept only where restart copies need them, so long workloads hold none.
    if (f.behaviour.restartsJobs === true) this.jobNames.set(j, spec.id);
    let longest = 0;
    for (const t of spec.tasks) longest = Math.max(longest, t.duration);
    this.log.record({
      kind: 'job_submitted',
      t: this.sim.now,
      job: j,
      name: spec.id,
      framework: fw,
      tasks: spec.tasks.length,
      maxTaskDuration: longest,
    });
    if (f.removed) {
      this.dropJob(j, fw, spec.tasks.length);
      this.jobOver(j);
      return j;
    }
    f.behaviour.onJobSubmitted(j, f.driver);
    this.arch.jobSubmitted?.(j, fw);
    this.arch.changed();
    return j;
  }

  /** Frameworks registered so far: name, role, weight and behaviour, by index. */
  frameworkAt(fw: FrameworkIx): {
    readonly name: string;
    readonly role: string;
    readonly roles: readonly string[];
    readonly weight: number;
    readonly behaviour: FrameworkBehaviour;
  } {
    return this.frameworks[fw]!;
  }

  /** Agents registered, in registration order (read-only). */
  get agentList(): readonly AgentIx[] {
    return this.agents.list;
  }
  /** Agents registered so far (up or not). */
  get agentCount(): number {
    return this.agents.count;
  }
  /** Free (neither offered nor allocated) unreserved resources of every agent, packed (the allocation context's). */

  /**
   * Whether `demand` fits on `agent` for framework `fw` without an offer (the architectures that place tasks directly): in
   * the agent's unreserved free resources plus the free part of the reservation `fw`'s role may
   * draw on there (its own or an ancestor's), if any; never on an agent with gpus that the GPU
   * filter keeps from `fw` (see {@link MasterOptions.filterGpuResources}).
   */
  fitsDirect(fw: FrameworkIx, agent: AgentIx, demand: Float64Array): boolean {
    const f = this.frameworks[fw]!;
    // The master's GPU filter holds here too, so that a framework uses the same agents under every architecture.
    if (this.filterGpuResources && !f.gpuResources && this.agents.hasGpus(agent)) return false;
    return this.agents.fits(agent, f.role, demand);
  }

  /**
   * Launches pending `task` of framework `fw` on `agent` directly, without an offer (the direct
   * architectures only). The task must fit (see {@link fitsDirect}); as with offers, it takes from
   * the reservation its role may draw on first, then unreserved resources. The allocator counts
   * it (Allocator.allocated) until the task's end recovers it, so that it ranks frameworks on
   * their running tasks.
   */
  placeDirect(fw: FrameworkIx, task: TaskIx, agent: AgentIx): void {
    const t = this.tasks;
    if (!this.arch.placesDirectly) throw this.sim.invariant(`placeDirect under the ${this.arch.name} architecture`);
    if (task < 0 || task >= t.size || t.stateOf(task) !== TaskCode.PENDING) throw this.sim.invariant(`task ${task} is not pending`);
    if (t.jobFramework[t.jobOf(task)] !== fw) throw this.sim.invariant(`task ${task} is not framework ${fw}'s`);
    const off = t.resOffset(task);
    const res = t.res.subarray(off, off + NUM_RESOURCES);
    const reserved = this.agents.placeDirect(agent, t, task, this.frameworks[fw]!.role);
    if (reserved === undefined) this.allocator.allocated!(fw, agent, res);
    else this.allocator.allocated!(fw, agent, res, reserved);
    this.life.launch(task, fw, agent);
  }

  // The YARN architecture's containers (architectures/yarn.ts): a container the scheduler
  // allocated holds its resources on its agent (as offered resources do) until a task is launched
  // in it or it is released.

  /** Agent `a`'s total resources, reservations included (a copy). */
  agentTotal(a: AgentIx): ResourceVector {
    return this.agents.total(a).slice();
  }

  /** A container of `res` for framework `fw` was allocated on `agent`: its resources are held there. */
  holdContainer(fw: FrameworkIx, agent: AgentIx, res: ResourceVector): void {
    const f = this.frameworks[fw]!;
    this.agents.offerOut(agent, res, undefined, f.role, f.name);
  }

  /** A held container of `res` on `agent` was released unused (or its ApplicationMaster ended): its resources are free. */
  releaseContainer(agent: AgentIx, res: ResourceVector): void {
    this.agents.giveBack(agent, res, -1, EMPTY_VECTOR);
  }

  /**
   * Launches pending `task` of framework `fw` in a held container of `res` on `agent` (late
   * binding): the task holds its container's resources (what YARN accounts it for) until it ends.
   */
  launchInContainer(fw: FrameworkIx, task: TaskIx, agent: AgentIx, res: ResourceVector): void {
    const t = this.tasks;
    if (task < 0 || task >= t.size || t.stateOf(task) !== TaskCode.PENDING) throw this.sim.invariant(`task ${task} is not pending`);
    if (t.jobFramework[t.jobOf(task)] !== fw) throw this.sim.invariant(`task ${task} is not framework ${fw}'s`);
    copyInto(t.res, t.resOffset(task), res);
    this.launchUsed.set(res);
    this.agents.useOffer(agent, t, [task], this.launchUsed, -1, EMPTY_VECTOR);
    this.life.launch(task, fw, agent);
  }
  private readonly launchUsed = new Float64Array(NUM_RESOURCES);

  /**
   * Running `task`, launched in a container, is killed by the ResourceManager (preempted, or its
   * application attempt is over): it goes `killed` at once, its resources back to its agent; its
   * framework's behaviour is not told (the ApplicationMaster reruns it, or its application is
   * over). A task on a failed agent cannot be reached: it is lost with the agent.
   */
  killContainerTask(task: TaskIx): void {
    const t = this.tasks;
    if (task < 0 || task >= t.size || t.stateOf(task) !== TaskCode.RUNNING) throw this.sim.invariant(`task ${task} killed in its container while not running`);
    if (this.agents.isDown(t.agentOf(task))) return;
    this.failuresSeen = true; // the killed task's own end event still fires: finishTask skips it
    this.life.end(task, TaskCode.KILLED, false);
  }

  /** Current simulated time. */
  get now(): SimTime {
    return this.sim.now;
  }
  /** Name of agent `a`. */
  agentName(a: AgentIx): string {
    return this.agents.name(a);
  }
  /** Rack of agent `a`. */
  rackOf(a: AgentIx): string {
    return this.agents.rack(a);
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
    return this.book.outstanding;
  }
  /** Refuse filters in force. */
  get activeFilters(): number {
    return this.book.activeFilters;
  }
  /** Whether framework `fw` is suppressed. */
  isSuppressed(fw: FrameworkIx): boolean {
    return this.frameworks[fw]!.suppressed;
  }
  /** Frameworks neither suppressed nor disconnected (removed ones included until removal). */
  get activeFrameworkCount(): number {
    return this.activeFrameworks;
  }
  /** Whether some agent is failed or removed. */
  get hasDownAgents(): boolean {
    return this.agents.anyDown;
  }
  /** Offers made so far (ids are 0, 1, ...). */
  get offersMade(): number {
    return this.book.made;
  }

  /** The context the allocator's offer runs work through: the offer book. */
  get allocationContext(): AllocationContext {
    return this.book;
  }

  // ---------------------------------------------------------------- allocation runs

  /**
   * Asks for an allocation run now, over agent `a` (or all agents when a < 0): the architecture
   * decides when (see its trigger).
   */
  private trigger(a: number): void {
    this.arch.trigger(a);
  }

  /** Sends the offers made since the last call (see OfferBook.sendOffers). */
  sendOffers(): void {
    this.book.sendOffers();
  }

  // ---------------------------------------------------------------- scheduler calls

  /** See {@link SchedulerDriver.accept} and OfferBook.accept. */
  accept(fw: FrameworkIx, offerId: number, taskIds: readonly TaskIx[], refuseSeconds: number | undefined, operations?: readonly OfferOperation[]): void {
    this.book.accept(fw, offerId, taskIds, refuseSeconds, operations);
  }

  // Every scheduler call but accept and decline first tells the allocator what the delivery being
  // answered gave back so far (OfferBook.settle), so that it runs against the state one recover
  // per offer would leave.

  /** See {@link SchedulerDriver.decline} and OfferBook.decline. */
  decline(fw: FrameworkIx, offerId: number, refuseSeconds: number | undefined): void {
    this.book.decline(fw, offerId, refuseSeconds);
  }

  /**
   * See {@link SchedulerDriver.suppress}. `roles` (a multi-role framework's): suppress these of its
   * roles only (Mesos SUPPRESS with roles, src/master/allocator/mesos/hierarchical.cpp:1786-1794);
   * default all of them.
   */
  suppress(fw: FrameworkIx, roles?: readonly string[]): void {
    this.book.settle();
    const f = this.frameworks[fw]!;
    if (f.roles.length > 1) {
      this.suppressRoles(f, roles ?? f.roles);
      return;
    }
    if (f.suppressed) return;
    f.suppressed = true;
    if (f.connected) {
      this.activeFrameworks--;
      this.allocator.deactivateFramework(fw);
    }
    this.log.record({ kind: 'suppress', t: this.sim.now, framework: fw });
  }

  /** A multi-role framework suppresses `roles`: those not yet suppressed leave the allocator's runs. */
  private suppressRoles(f: FrameworkState, roles: readonly string[]): void {
    const fresh = this.rolesOf(f, roles).filter((r) => !f.suppressedRoles.has(r));
    if (fresh.length === 0) return;
    for (const r of fresh) f.suppressedRoles.add(r);
    const wasActive = !f.suppressed;
    f.suppressed = f.suppressedRoles.size === f.roles.length;
    if (f.connected) {
      if (wasActive && f.suppressed) this.activeFrameworks--;
      this.allocator.deactivateFramework(f.index, fresh);
    }
    this.log.record({ kind: 'suppress', t: this.sim.now, framework: f.index, roles: fresh });
  }

  /** A multi-role framework revives `roles`: they are active again (if connected), their filters cleared, a run follows. */
  private reviveRoles(f: FrameworkState, roles: readonly string[]): void {
    const named = this.rolesOf(f, roles);
    const back = named.filter((r) => f.suppressedRoles.has(r));
    for (const r of back) f.suppressedRoles.delete(r);
    const wasSuppressed = f.suppressed;
    f.suppressed = false;
    if (f.connected && back.length > 0) {
      if (wasSuppressed) this.activeFrameworks++;
      this.allocator.activateFramework(f.index, back);
    }
    this.book.clearFilters(f.index, named);
    this.log.record({ kind: 'revive', t: this.sim.now, framework: f.index, roles: named });
    this.trigger(-1);
  }

  /** `roles`, each checked to be one of `f`'s, in `f`'s order. */
  private rolesOf(f: FrameworkState, roles: readonly string[]): string[] {
    for (const r of roles)
      if (!f.roles.includes(r)) throw this.sim.invariant(`framework ${f.name} named role ${r}, not one of its roles [${f.roles.join(', ')}]`);
    return f.roles.filter((r) => roles.includes(r));
  }

  /**
   * See {@link SchedulerDriver.revive}. `roles` (a multi-role framework's): revive these of its
   * roles only, clearing their filters only (Mesos REVIVE with roles, hierarchical.cpp:1798-1836);
   * default all of them.
   */
  revive(fw: FrameworkIx, roles?: readonly string[]): void {
    this.book.settle();
    const f = this.frameworks[fw]!;
    if (f.roles.length > 1) {
      this.reviveRoles(f, roles ?? f.roles);
      return;
    }
    if (f.suppressed) {
      f.suppressed = false;
      if (f.connected) {
        this.activeFrameworks++;
        this.allocator.activateFramework(fw);
      }
    }
    this.book.clearFilters(fw);
    this.log.record({ kind: 'revive', t: this.sim.now, framework: fw });
    this.trigger(-1);
  }

  /**
   * See {@link SchedulerDriver.kill}: running `task` of `fw` goes `killed` at once (Mesos KILL with
   * no latency): resources recovered with no filter, the scheduler told. A task on a failed agent
   * cannot be reached: it is left to be lost when the agent is declared lost. Terminal tasks are
   * left alone (the kill raced their end); a pending task is a scheduler bug.
   */
  kill(fw: FrameworkIx, task: TaskIx): void {
    this.book.settle();
    const t = this.tasks;
    if (task < 0 || task >= t.size || t.jobFramework[t.jobOf(task)] !== fw) throw this.sim.invariant(`framework ${fw} killed task ${task}, not its own`);
    const st = t.stateOf(task);
    if (st === TaskCode.PENDING) throw this.sim.invariant(`framework ${fw} killed task ${task}, which has not been launched`);
    if (st !== TaskCode.RUNNING || this.agents.isDown(t.agentOf(task))) return;
    this.failuresSeen = true; // the killed task's own end event still fires: finishTask skips it
    this.life.end(task, TaskCode.KILLED);
  }

  /**
   * See {@link SchedulerDriver.restartJob}: marks `job` restarted (it ends with no `job_finished`),
   * submits the copy `<name>/restart-<n>`, logs `job_restarted`, then kills the job's running
   * tasks. Returns the copy's job index.
   */
  restartJob(fw: FrameworkIx, job: JobIx): JobIx {
    this.book.settle();
    const t = this.tasks;
    if (job < 0 || job >= t.jobs || t.jobFramework[job] !== fw) throw this.sim.invariant(`framework ${fw} restarted job ${job}, not its own`);
    if (this.restarted.has(job) || this.abandoned.has(job)) throw this.sim.invariant(`framework ${fw} restarted job ${job} twice or after abandoning it`);
    this.restarted.add(job);
    const root = this.restartRoot.get(job) ?? job;
    const n = (this.restartCount.get(root) ?? 0) + 1;
    this.restartCount.set(root, n);
    const first = t.firstTask[job]!;
    const count = t.taskCount[job]!;
    if (count > 0 && !t.isLive(first)) throw this.sim.invariant(`framework ${fw} restarted job ${job} after it was over`);
    const tasks = [];
    for (let i = first; i < first + count; i++) {
      const off = t.resOffset(i);
      tasks.push({ res: t.res.slice(off, off + NUM_RESOURCES), duration: t.durationOf(i) as SimTime });
    }
    const name = this.jobNames.get(root);
    if (name === undefined) throw this.sim.invariant(`framework ${fw} restarted job ${job}, but its behaviour does not declare restartsJobs`);
    const spec: JobSpec = { id: `${name}/restart-${n}`, submit: this.sim.now, framework: this.frameworks[fw]!.name, tasks };
    const copy = this.submitJob(spec, fw);
    this.restartRoot.set(copy, root);
    this.log.record({ kind: 'job_restarted', t: this.sim.now, job, framework: fw, copy });
    for (let i = first; i < first + count; i++) this.kill(fw, taskIx(i));
    return copy;
  }
  /** jobs restarted (their end logs no job_finished) */
  private readonly restarted = new Set<number>();
  /** restart copies: the job first submitted (whose name the copies share) */
  private readonly restartRoot = new Map<number, number>();
  /** restarts so far, by original job */
  private readonly restartCount = new Map<number, number>();

  /** See {@link SchedulerDriver.resubmit}: the copy is job `<framework>/replace-<task>`. */
  resubmit(fw: FrameworkIx, task: TaskIx): void {
    this.book.settle();
    const t = this.tasks;
    if (task < 0 || task >= t.size || t.jobFramework[t.jobOf(task)] !== fw) throw this.sim.invariant(`framework ${fw} resubmitted task ${task}, not its own`);
    const st = t.stateOf(task);
    if (st === TaskCode.PENDING || st === TaskCode.STAGING || st === TaskCode.RUNNING)
      throw this.sim.invariant(`framework ${fw} resubmitted task ${task}, which has not ended`);
    if (st === RELEASED_CODE) throw this.sim.invariant(`framework ${fw} resubmitted task ${task} after its job was over`);
    const off = t.resOffset(task);
    const res = t.res.slice(off, off + NUM_RESOURCES);
    const spec: JobSpec = {
      id: `${this.frameworks[fw]!.name}/replace-${task}`,
      submit: this.sim.now,
      framework: this.frameworks[fw]!.name,
      tasks: [{ res, duration: t.durationOf(task) as SimTime }],
    };
    this.submitJob(spec, fw);
  }
}

/**
 * Whether a task in state `code` is killed when its framework is removed: running, or unreachable
 * (Mesos removeFramework marks a framework's unreachable tasks killed, src/master/master.cpp:10466-10490).
 */
function isHeld(code: number): boolean {
  return code === TaskCode.RUNNING || code === TaskCode.UNREACHABLE;
}

function tuple(v: Float64Array): ResTuple {
  return [v[0]!, v[1]!, v[2]!, v[3]!];
}
