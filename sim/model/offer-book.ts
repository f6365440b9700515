/**
 * The master's offer book (the offers architecture's side of the master): outstanding offers,
 * their delivery, accept with Mesos's validation, decline, rescind, the refuse filters, and the
 * allocation context a policy's run works through. Imports the kernel and model modules.
 */
import { Phase } from '../kernel/phases.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND } from '../kernel/time.js';
import type { AgentTable } from './agents.js';
import type { AllocationContext, Allocator } from './allocation-port.js';
import {
  DEFAULT_REFUSE_SECONDS,
  OfferOperationType,
  type FrameworkBehaviour,
  type OfferBatch,
  type OfferOperation,
  type OfferView,
  type SchedulerDriver,
} from './framework.js';
import { TaskCode, type TaskTable } from './job.js';
import { OperationErrorReason, TaskErrorReason } from './log.js';
import type { RecordLog } from './record-log.js';
import { OfferTable } from './offer-table.js';
import { RefuseFilters } from './refuse-filters.js';
import {
  addInto,
  contains,
  copyInto,
  hasNegative,
  isAllocatable,
  isEmpty,
  NUM_RESOURCES,
  subInto,
  type MinAllocatable,
  type ResourceVector,
} from './resources.js';
import { agentIx, frameworkIx, taskIx, type AgentIx, type FrameworkIx, type TaskIx } from './ids.js';

/** Refuse filters longer than this (365 days) are capped, as in Mesos. */
export const MAX_REFUSE_SECONDS = 31_536_000;

/** A framework as the offer book sees it. */
export interface OfferClient {
  readonly name: string;
  readonly role: string;
  /** every role of a multi-role framework, `role` first; one role: just `role` */
  readonly roles: readonly string[];
  /** whether every role of it is suppressed (one role: whether it is suppressed) */
  readonly suppressed: boolean;
  /** a multi-role framework's suppressed roles (empty for one role) */
  readonly suppressedRoles: ReadonlySet<string>;
  /** removed after its failover timeout ran out: told of nothing any more */
  readonly removed: boolean;
  readonly behaviour: FrameworkBehaviour;
  readonly driver: SchedulerDriver;
  /** whether it has the GPU_RESOURCES capability (see {@link OfferBookOptions.filterGpuResources}) */
  readonly gpuResources: boolean;
  /** its own min-allocatable check (Mesos `offer_filters`), replacing the master's; undefined: the master's */
  readonly minAllocatable: MinAllocatable | undefined;
}

/** What the offer book needs of the master. */
export interface OfferHost {
  /** framework `fw`, or undefined for an unknown index */
  client(fw: FrameworkIx): OfferClient | undefined;
  /** launches task `task` of `fw` on `agent` (its resources already accounted), allocated to `role` of a multi-role framework (undefined for one role) */
  launch(task: TaskIx, fw: FrameworkIx, agent: AgentIx, role: string | undefined): void;
  /** whether job `job` was abandoned or dropped: its pending tasks must never launch */
  jobDropped(job: number): boolean;
}

/** Options of the offer book (Mesos master flags). */
export interface OfferBookOptions {
  /** `--allocation_interval`, us: the shortest refuse filter (MESOS-4302) */
  readonly interval: number;
  /** `--offer_timeout`, us; 0 for none */
  readonly offerTimeout: number;
  /** `--min_allocatable_resources` */
  readonly minAllocatable: MinAllocatable;
  /** `--filter_gpu_resources`: agents with gpus go only to frameworks with GPU_RESOURCES */
  readonly filterGpuResources: boolean;
}

/** A delivery's offers as columns, reused from one delivery to the next. */
class OfferColumns implements OfferBatch {
  length = 0;
  ids = new Float64Array(64);
  agents = new Int32Array(64);
  res = new Float64Array(64 * NUM_RESOURCES);
  private slots = new Int32Array(64);

  constructor(private readonly table: OfferTable) {}

  /** Empties the columns, with room for n offers. */
  clear(n: number): void {
    this.length = 0;
    if (n > this.ids.length) {
      const cap = Math.max(n, this.ids.length * 2);
      this.ids = new Float64Array(cap);
      this.agents = new Int32Array(cap);
      this.res = new Float64Array(cap * NUM_RESOURCES);
      this.slots = new Int32Array(cap);
    }
  }

  /** Appends the offer in slot `s` of the table. */
  push(s: number): void {
    const i = this.length++;
    const v = this.table.view(s);
    this.ids[i] = v.id;
    this.agents[i] = v.agent;
    copyInto(this.res, i * NUM_RESOURCES, v.res);
    this.slots[i] = s;
  }

  view(i: number): OfferView {
    if (i < 0 || i >= this.length) throw new RangeError(`offer ${i} of a batch of ${this.length}`);
    return this.table.view(this.slots[i]!);
  }
}

/** Every offer of the run, from the allocator's `offer` call to its answer. */
export class OfferBook implements AllocationContext {
  private readonly offers = new OfferTable();
  private nextOfferId = 0;
  private readonly filters: RefuseFilters;
  /** multi-role frameworks' refuse filters, per role they were installed for (Mesos `offerFilters[role]`) */
  private readonly roleFilters = new Map<string, RefuseFilters>();
  /** the role of the offer last taken by {@link takeOffer} (a multi-role framework's), or undefined */
  private takenRole: string | undefined = undefined;
  /** per framework: ids of the offers made since the last {@link sendOffers} */
  private readonly inbox: number[][] = [];
  /**
   * per framework: the deliveries sent and not yet made, oldest first, each the ids of its offers
   * (under the allocator cost model a run's offers may be made before the last run's go out)
   */
  private readonly outbox: number[][][] = [];
  /** emptied id lists, for reuse as inboxes */
  private readonly spare: number[][] = [];
  /** frameworks with offers made since the last {@link sendOffers} */
  private readonly touched: number[] = [];
  private readonly hDeliver: HandlerId;
  private readonly hRescind: HandlerId;
  private readonly hTaskErrors: HandlerId;
  private readonly interval: number;
  private readonly offerTimeout: number;
  private readonly minAllocatable: MinAllocatable;
  private readonly filterGpuResources: boolean;
  /** the distinct min-allocatable checks of the frameworks that have their own */
  private readonly overrides: MinAllocatable[] = [];
  private readonly overrideKeys = new Set<string>();
  private readonly scratch = new Float64Array(NUM_RESOURCES);
  /** what an accept uses, as its record reports it */
  private readonly acceptUsed = new Float64Array(NUM_RESOURCES);
  /** what an accept leaves unused */
  private readonly unused = new Float64Array(NUM_RESOURCES);
  /** resources of the offer last taken by {@link takeOffer} */
  private readonly taken = new Float64Array(NUM_RESOURCES);
  /** the reserved part of {@link taken}, and its pool (-1 for none) */
  private readonly takenReserved = new Float64Array(NUM_RESOURCES);
  private takenPool = -1;
  /** an offer's sum of unreserved and reserved parts */
  private readonly offerSum = new Float64Array(NUM_RESOURCES);

  constructor(
    private readonly sim: Simulator,
    private readonly agents: AgentTable,
    private readonly allocator: Allocator,
    private readonly tasks: TaskTable,
    private readonly log: RecordLog,
    private readonly host: OfferHost,
    options: OfferBookOptions,
  ) {
    this.interval = options.interval;
    this.offerTimeout = options.offerTimeout;
    this.minAllocatable = options.minAllocatable;
    this.filterGpuResources = options.filterGpuResources;
    this.sums = allocator.recoverSum !== undefined;
    this.filters = new RefuseFilters(sim.lazyExpiry(Phase.ALLOCATE));
    this.hDeliver = sim.register('deliver-offers', (fw) => this.deliver(frameworkIx(fw)));
    this.hRescind = sim.register('offer-timeout', (offer) => this.rescind(offer));
    this.hTaskErrors = sim.register('task-errors', () => this.deliverTaskErrors());
  }

  /** Offers made so far (ids are 0, 1, ...). */
  get made(): number {
    return this.nextOfferId;
  }
  /** Offers sent and not yet answered. */
  get outstanding(): number {
    return this.offers.size;
  }
  /** Refuse filters in force. */
  get activeFilters(): number {
    let n = this.filters.countLive();
    for (const f of this.roleFilters.values()) n += f.countLive();
    return n;
  }

  /** The refuse filters of `role` of multi-role frameworks (made on first use); the shared ones for undefined. */
  private filtersOf(role: string | undefined): RefuseFilters {
    if (role === undefined) return this.filters;
    let f = this.roleFilters.get(role);
    if (f === undefined) this.roleFilters.set(role, (f = new RefuseFilters(this.sim.lazyExpiry(Phase.ALLOCATE))));
    return f;
  }

  // ---------------------------------------------------------------- AllocationContext

  available(agent: AgentIx, out: Float64Array, offset = 0): void {
    this.agents.freeInto(agent, out, offset);
  }

  reservedAvailable(agent: AgentIx, role: string, out: Float64Array): boolean {
    return this.agents.reservedFree(agent, role, out);
  }

  /**
   * Whether `res` passes the master's min-allocatable check or the override of some framework
   * (see {@link addOverride}): what some framework could be offered. {@link isFiltered} applies
   * each framework's own check; without overrides the two are the master's check.
   */
  isAllocatable(res: Float64Array, offset = 0): boolean {
    if (isAllocatable(this.minAllocatable, res, offset)) return true;
    for (const min of this.overrides) if (isAllocatable(min, res, offset)) return true;
    return false;
  }

  /**
   * A framework with its own min-allocatable check subscribed (see {@link isAllocatable}). Each
   * distinct check is kept once (the frameworks a trace creates share theirs), and for the rest of
   * the run: a check of a framework gone only makes an agent worth ranking, never an offer.
   */
  addOverride(min: MinAllocatable): void {
    const key = min.map((v) => v.join(',')).join(';');
    if (this.overrideKeys.has(key)) return;
    this.overrideKeys.add(key);
    this.overrides.push(min);
  }

  nextTaskDemand(fw: FrameworkIx, out: Float64Array): boolean {
    const b = this.host.client(fw)!.behaviour;
    return b.nextTaskDemand !== undefined && b.nextTaskDemand(out);
  }

  /**
   * Whether framework `fw` may not be offered `res[offset..]` on `agent`: the agent has gpus and
   * `fw` lacks GPU_RESOURCES while the master filters them (Mesos `isCapableOfReceivingAgent`,
   * hierarchical.cpp:3095-3113), its own min-allocatable check rejects `res` (Mesos
   * `allocatable`, hierarchical.cpp:2812-2846), or a refuse filter blocks it (a multi-role
   * framework's filters are per `role`).
   */
  isFiltered(fw: FrameworkIx, agent: AgentIx, res: Float64Array, offset = 0, role?: string): boolean {
    if (this.filterGpuResources && this.agents.hasGpus(agent) && !this.host.client(fw)!.gpuResources) return true;
    if (this.overrides.length > 0 && !isAllocatable(this.host.client(fw)!.minAllocatable ?? this.minAllocatable, res, offset)) return true;
    if (role === undefined) return this.filters.blocks(fw, agent, res, offset);
    const f = this.roleFilters.get(role);
    return f !== undefined && f.blocks(fw, agent, res, offset);
  }

  offer(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void {
    const f = this.host.client(fw);
    if (f === undefined) throw this.sim.invariant(`allocator offered to unknown framework ${fw}`);
    if (role === undefined ? f.suppressed || f.roles.length > 1 : f.roles.length < 2 || !f.roles.includes(role) || f.suppressedRoles.has(role)) {
      const what = role === undefined ? '' : ` in role ${role}`;
      throw this.sim.invariant(`allocator offered agent ${agent} to framework ${f.name}${what}, which is suppressed there or has no such role`);
    }
    const pool = this.agents.offerOut(agent, res, reserved, role ?? f.role, f.name);
    const withReserved = pool >= 0;
    let sum = res;
    if (withReserved) {
      sum = this.offerSum;
      copyInto(sum, 0, res);
      addInto(sum, 0, reserved!);
    }
    const id = this.nextOfferId++;
    const s = this.offers.add(id, fw, agent, sum, 0, this.sim.now, role);
    if (withReserved) {
      this.offers.pool[s] = pool;
      copyInto(this.offers.reserved[s]!, 0, reserved!);
    }
    if (this.offerTimeout > 0) this.offers.timeout[s] = this.sim.after(this.offerTimeout, Phase.MESSAGE, this.hRescind, id, true);
    const inbox = this.inbox[fw] ?? (this.inbox[fw] = []);
    if (inbox.length === 0) this.touched.push(fw);
    inbox.push(id);
    // `res` is the offer's sum, reserved part included: reports and the fingerprint see no new field.
    if (role === undefined) this.log.offerSent(this.sim.now, id, fw, agent, sum);
    else this.log.record({ kind: 'offer_sent', t: this.sim.now, offer: id, framework: fw, agent, res: [sum[0]!, sum[1]!, sum[2]!, sum[3]!], role });
  }

  /**
   * Sends the offers made since the last call: each framework's in one delivery, as Mesos sends a
   * run's offers in one message, in framework order, in the OFFER phase of this instant.
   */
  sendOffers(): void {
    if (this.touched.length === 0) return;
    this.touched.sort((x, y) => x - y);
    for (const fw of this.touched) {
      (this.outbox[fw] ?? (this.outbox[fw] = [])).push(this.inbox[fw]!);
      this.inbox[fw] = this.spare.pop() ?? [];
      this.sim.at(this.sim.now, Phase.OFFER, this.hDeliver, fw);
    }
    this.touched.length = 0;
  }

  /**
   * Delivers framework `fw`'s offers and takes its answer: while its scheduler answers, what its
   * declines and accepts give back goes to the allocator summed, in one call once the answer is
   * in (see {@link settle}), when the allocator takes sums.
   */
  private deliver(fw: FrameworkIx): void {
    const f = this.host.client(fw)!;
    const inbox = this.outbox[fw]!.shift()!;
    const offers = this.offers;
    const b = f.behaviour;
    if (this.sums) this.answering = fw;
    if (b.onOfferBatch !== undefined) {
      const batch = this.batch;
      batch.clear(inbox.length);
      for (let i = 0; i < inbox.length; i++) {
        const s = offers.slotOf(inbox[i]!);
        if (s >= 0) batch.push(s);
      }
      inbox.length = 0;
      if (batch.length > 0) b.onOfferBatch(batch, f.driver);
    } else {
      const views: OfferView[] = [];
      for (let i = 0; i < inbox.length; i++) {
        const s = offers.slotOf(inbox[i]!);
        if (s >= 0) views.push(offers.view(s));
      }
      inbox.length = 0;
      if (views.length > 0) b.onOffers(views, f.driver);
    }
    this.spare.push(inbox);
    this.settle();
    this.answering = -1;
  }

  /** whether the allocator takes a delivery's recovers summed (Allocator.recoverSum) */
  private readonly sums: boolean;
  /** the framework whose answer to a delivery is under way, whose recovers wait in {@link owed}; -1 for none */
  private answering = -1;
  /** what the answer under way gave back so far, not yet told to the allocator, and the reserved part of it */
  private readonly owed = new Float64Array(NUM_RESOURCES);
  private readonly owedReserved = new Float64Array(NUM_RESOURCES);
  private owing = false;
  private owingReserved = false;

  /**
   * Tells the allocator what the answer under way has given back so far, in one call. The master
   * calls this before any scheduler call other than accept and decline, and the delivery at its
   * end, so the allocator never sees a state these sums leave out: every recover is a sum of
   * integers (fixed point), so one call of the sum leaves it exactly as one call per offer would.
   */
  settle(): void {
    if (!this.owing) return;
    const fw = frameworkIx(this.answering);
    if (this.owingReserved) this.allocator.recoverSum!(fw, this.owed, this.owedReserved);
    else this.allocator.recoverSum!(fw, this.owed);
    this.owed.fill(0);
    this.owing = false;
    if (this.owingReserved) {
      this.owedReserved.fill(0);
      this.owingReserved = false;
    }
  }
  /** the columns of the delivery under way (a behaviour answers its offers before the next delivery's columns are written) */
  private readonly batch = new OfferColumns(this.offers);

  // ---------------------------------------------------------------- scheduler calls

  /**
   * See {@link SchedulerDriver.accept}. Validated as Mesos does: first the offer (one that is not
   * outstanding or is another framework's makes the whole accept invalid: src/master/master.cpp
   * 3936-4025, where Mesos answers each task TASK_LOST and would also discard another framework's
   * offer, which is left alone here), then each task in order against what the offer has left
   * (`_accept`, master.cpp:4877-4940: TASK_ERROR for each offending task, the rest launch).
   */
  accept(fw: FrameworkIx, offerId: number, taskIds: readonly TaskIx[], refuseSeconds: number | undefined, operations?: readonly OfferOperation[]): void {
    const s = this.offers.slotOf(offerId);
    if (s < 0 || this.offers.fw[s] !== fw) {
      if (operations !== undefined)
        for (let i = 0; i < operations.length; i++) this.dropOperation(fw, offerId, i, operations[i]!, OperationErrorReason.INVALID_OFFER);
      for (const task of taskIds) this.refuseTask(fw, offerId, task, TaskErrorReason.INVALID_OFFER);
      return;
    }
    const agent = this.takeOffer(fw, offerId, 'accept');
    const role = this.takenRole;
    if (operations !== undefined) for (let i = 0; i < operations.length; i++) this.applyOperation(fw, offerId, agent, i, operations[i]!);
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
      addInto(used, 0, t.res, t.resOffset(task));
      // Marked at once, so that the same task named again in this accept is not pending.
      t.setState(task, TaskCode.STAGING);
      launching.push(task);
    }
    // What the record reports: AgentTable.useOffer below takes the reserved part out of `used`.
    const logged = this.acceptUsed;
    copyInto(logged, 0, used);
    const pool = this.takenPool;
    const unused = this.unused;
    copyInto(unused, 0, offered);
    subInto(unused, 0, used);
    // Tasks take reserved resources first (see AgentTable.useOffer); only the rest is unreserved.
    this.agents.useOffer(agent, t, launching, used, pool, this.takenReserved);
    for (const task of launching) this.host.launch(task, fw, agent, role);
    const refuse = this.giveBack(fw, agent, unused, refuseSeconds, pool, this.agents.unusedReserved, role);
    this.log.offerAccepted(this.sim.now, offerId, fw, agent, launching.length, logged, refuse);
  }
  /**
   * Applies RESERVE or UNRESERVE `op` (number `index` of an accept of `fw` on offer `offerId`, on
   * `agent`) to the offer taken ({@link taken}, its reserved part and pool), as Mesos `_accept`
   * applies each operation to the offer's remaining resources in order (master.cpp:4546-4640), or
   * drops it (see OperationErrorReason). The offer's sum does not change: a RESERVE moves
   * resources from its unreserved part into the (agent, role) reservation, offered to `fw` (so
   * the accept's tasks take them first, AgentTable.useOffer, and the unused rest goes back to the
   * reservation), and tells the allocator (Mesos `updateAllocation`, master.cpp:5307-5313).
   */
  private applyOperation(fw: FrameworkIx, offerId: number, agent: AgentIx, index: number, op: OfferOperation): void {
    const f = this.host.client(fw)!;
    // The role the offer was allocated to: a multi-role framework's offer is one role's.
    const offerRole = this.takenRole ?? f.role;
    const role = op.role ?? offerRole;
    const res = op.res;
    const drop = (reason: OperationErrorReason): void => this.dropOperation(fw, offerId, index, op, reason);
    if (res.length !== NUM_RESOURCES || hasNegative(res) || isEmpty(res) || res.some((x) => !Number.isInteger(x)))
      return drop(OperationErrorReason.INVALID_RESOURCES);
    if (this.allocator.reserve === undefined || this.allocator.unreserve === undefined) return drop(OperationErrorReason.NOT_SUPPORTED);
    const reserved = this.takenReserved;
    const part = this.scratch;
    if (op.type === OfferOperationType.RESERVE) {
      // validation.cpp:2609-2645: the reservation's role must be the role the offer was made to;
      // nothing can be reserved for '*' (2486-2490).
      if (role !== offerRole || role === '*') return drop(OperationErrorReason.ROLE_NOT_ALLOWED);
      // The unreserved part of the offer (its sum less the reserved part) must contain `res`.
      copyInto(part, 0, this.taken);
      if (this.takenPool >= 0) subInto(part, 0, reserved);
      if (!contains(part, 0, res)) return drop(OperationErrorReason.INSUFFICIENT_RESOURCES);
      if (!this.agents.canReserve(agent, role)) return drop(OperationErrorReason.OVERLAPPING_RESERVATION);
      if (this.takenPool < 0) reserved.fill(0);
      this.takenPool = this.agents.reserveOffered(agent, role, res);
      addInto(reserved, 0, res);
      this.allocator.reserve(fw, agent, role, res);
    } else {
      const pool = this.takenPool;
      if (pool < 0 || this.agents.poolRoleOf(pool) !== role || role !== offerRole) return drop(OperationErrorReason.ROLE_NOT_ALLOWED);
      if (!contains(reserved, 0, res)) return drop(OperationErrorReason.INSUFFICIENT_RESOURCES);
      if (!contains(this.agents.dynamicPart(pool), 0, res)) return drop(OperationErrorReason.STATIC_RESERVATION);
      this.agents.unreserveOffered(agent, pool, res);
      subInto(reserved, 0, res);
      this.allocator.unreserve(fw, agent, role, res);
    }
    this.log.record({
      kind: 'reservation',
      t: this.sim.now,
      framework: fw,
      offer: offerId,
      agent,
      role,
      op: op.type,
      res: [res[0]!, res[1]!, res[2]!, res[3]!],
    });
  }

  /** Drops operation `op` of an accept (an `operation_error` record; the scheduler is not told). */
  private dropOperation(fw: FrameworkIx, offerId: number, index: number, op: OfferOperation, reason: OperationErrorReason): void {
    this.log.record({ kind: 'operation_error', t: this.sim.now, framework: fw, offer: offerId, index, op: op.type, reason });
  }

  /** the tasks of the accept under way that pass validation, in order */
  private readonly launching: TaskIx[] = [];

  /**
   * Why task `task`, named in an accept of `fw`, may not launch on an offer of `offered` of which
   * the accept's earlier tasks use `used`; null when it may.
   */
  private launchProblem(fw: FrameworkIx, task: number, offered: Float64Array, used: Float64Array): TaskErrorReason | null {
    const t = this.tasks;
    if (!Number.isInteger(task) || task < 0 || task >= t.size) return TaskErrorReason.UNKNOWN_TASK;
    const job = t.jobOf(taskIx(task));
    if (t.jobFramework[job] !== fw) return TaskErrorReason.OTHER_FRAMEWORK_TASK;
    if (t.stateOf(task) !== TaskCode.PENDING) return TaskErrorReason.TASK_NOT_PENDING;
    // A pending task of an abandoned or dropped job was dropped: it must never launch.
    if (this.host.jobDropped(job)) {
      return TaskErrorReason.TASK_NOT_PENDING;
    }
    const off = t.resOffset(task);
    for (let r = 0; r < NUM_RESOURCES; r++) if (used[r]! + t.res[off + r]! > offered[r]!) return TaskErrorReason.INSUFFICIENT_RESOURCES;
    return null;
  }

  /**
   * Refuses task `task` of an accept of `fw` on offer `offerId` (TASK_ERROR): a `task_error`
   * record now; the scheduler hears of it through onTaskError after its call returns, in an event
   * later in this instant (as Mesos sends a status update), so it never reenters its own call.
   */
  private refuseTask(fw: FrameworkIx, offerId: number, task: number, reason: TaskErrorReason): void {
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
      const f = this.host.client(frameworkIx(fws[i]!))!;
      if (!f.removed && f.behaviour.onTaskError !== undefined) f.behaviour.onTaskError(taskIx(tasks[i]!), reasons[i]!, f.driver);
    }
  }

  /**
   * See {@link SchedulerDriver.decline}. An offer that is not outstanding is ignored, as Mesos
   * ignores a decline of an offer no longer valid (src/master/master.cpp:5443-5456); so is another
   * framework's (Mesos would discard it).
   */
  decline(fw: FrameworkIx, offerId: number, refuseSeconds: number | undefined): void {
    const s = this.offers.slotOf(offerId);
    if (s < 0 || this.offers.fw[s] !== fw) return;
    const agent = this.takeOffer(fw, offerId, 'decline');
    const refuse = this.giveBack(fw, agent, this.taken, refuseSeconds, this.takenPool, this.takenReserved, this.takenRole);
    this.log.offerDeclined(this.sim.now, offerId, fw, agent, refuse);
  }

  /** Rescinds every outstanding offer on agent `agent` (it failed), in id order. */
  rescindOnAgent(agent: AgentIx): void {
    this.rescindWhere((s) => this.offers.agent[s] === agent);
  }

  /** Rescinds every outstanding offer of framework `fw` (it disconnected), in id order. */
  rescindOf(fw: FrameworkIx): void {
    this.rescindWhere((s) => this.offers.fw[s] === fw);
  }

  private rescindWhere(pick: (slot: number) => boolean): void {
    const ids: number[] = [];
    for (let id = 0; id < this.nextOfferId; id++) {
      const s = this.offers.slotOf(id);
      if (s >= 0 && pick(s)) ids.push(id);
    }
    for (const id of ids) {
      const timeout = this.offers.timeout[this.offers.slotOf(id)]!;
      if (timeout >= 0) this.sim.cancel(timeout);
      this.rescind(id);
    }
  }

  /**
   * Removes every refuse filter of framework `fw` (revive, disconnect); `roles`: those of these
   * roles of a multi-role framework only (Mesos reviveRoles erases `offerFilters[role]`,
   * src/master/allocator/mesos/hierarchical.cpp:1808-1810).
   */
  clearFilters(fw: FrameworkIx, roles?: readonly string[]): void {
    const lists = roles === undefined ? [this.filters, ...this.roleFilters.values()] : roles.flatMap((r) => this.roleFilters.get(r) ?? []);
    for (const filters of lists) for (let s = filters.firstOf(fw); s >= 0; s = filters.firstOf(fw)) filters.remove(s);
  }

  /** Removes every refuse filter on agent `agent` (it was declared lost). */
  clearAgentFilters(agent: AgentIx): void {
    for (const f of [this.filters, ...this.roleFilters.values()]) {
      for (let s = 0; s < f.fw.length; s++) if (f.installed(s) && f.agent[s] === agent) f.remove(s);
    }
  }

  /** Removes outstanding offer `offerId` of `fw`; returns its agent and leaves its resources in {@link taken}. */
  private takeOffer(fw: FrameworkIx, offerId: number, what: string): AgentIx {
    const offers = this.offers;
    const s = offers.slotOf(offerId);
    if (s < 0) throw this.sim.invariant(`framework ${fw} tried to ${what} offer ${offerId}, which is not outstanding`);
    if (offers.fw[s] !== fw) throw this.sim.invariant(`framework ${fw} tried to ${what} offer ${offerId} of framework ${offers.fw[s]}`);
    const timeout = offers.timeout[s]!;
    if (timeout >= 0) this.sim.cancel(timeout);
    copyInto(this.taken, 0, offers.res[s]!);
    this.takenPool = offers.pool[s]!;
    if (this.takenPool >= 0) copyInto(this.takenReserved, 0, offers.reserved[s]!);
    this.takenRole = offers.roleOf(s);
    const agent = agentIx(offers.agent[s]!);
    offers.remove(s);
    return agent;
  }

  /**
   * Returns offered resources `res` to the agent's free pools (the part `reserved` to reservation
   * `pool`, when pool >= 0; the rest unreserved) and installs a refuse filter over the whole of
   * `res` (a filter compares sums: it blocks a later offer on the agent whose sum, reserved part
   * included, it contains). Returns the filter length in us. `role`: the role of a multi-role
   * framework the offer was allocated to, whose holding and filters these are (undefined for one role).
   */
  private giveBack(
    fw: FrameworkIx,
    agent: AgentIx,
    res: ResourceVector,
    refuseSeconds: number | undefined,
    pool: number,
    reserved: ResourceVector,
    role?: string,
  ): number {
    if (isEmpty(res)) return 0;
    this.agents.giveBack(agent, res, pool, reserved);
    if (role !== undefined) {
      // A multi-role framework's recovers go to their roles one by one (the sums are per framework).
      this.allocator.recover(fw, agent, res, pool >= 0 ? reserved : undefined, role);
    } else if (fw === this.answering) {
      addInto(this.owed, 0, res);
      this.owing = true;
      if (pool >= 0) {
        addInto(this.owedReserved, 0, reserved);
        this.owingReserved = true;
      }
    } else if (pool >= 0) this.allocator.recover(fw, agent, res, reserved);
    else this.allocator.recover(fw, agent, res);
    let secs = refuseSeconds === undefined || refuseSeconds < 0 || Number.isNaN(refuseSeconds) ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
    if (secs > MAX_REFUSE_SECONDS) secs = MAX_REFUSE_SECONDS;
    const refuse = Math.round(secs * MICROS_PER_SECOND);
    if (refuse === 0) return 0;
    // MESOS-4302: a filter lasts at least one allocation interval, so that the next run sees it.
    const timeout = Math.max(refuse, this.interval);
    // The filter expires where an ALLOCATE-phase event scheduled now for now + timeout would run
    // (Mesos expires it by a timer); it is checked lazily instead (RefuseFilters over the kernel's
    // LazyExpiry), so a decline schedules no event.
    this.filtersOf(role).add(fw, agent, res, 0, timeout);
    return refuse;
  }

  private rescind(offerId: number): void {
    const offers = this.offers;
    const s = offers.slotOf(offerId);
    if (s < 0) throw this.sim.invariant(`offer ${offerId} timed out but is not outstanding`);
    const fw = frameworkIx(offers.fw[s]!);
    const agent = agentIx(offers.agent[s]!);
    copyInto(this.taken, 0, offers.res[s]!);
    const pool = offers.pool[s]!;
    if (pool >= 0) copyInto(this.takenReserved, 0, offers.reserved[s]!);
    const role = offers.roleOf(s);
    offers.remove(s);
    // A rescinded offer's resources come back with no filter (master.cpp, offer timeout).
    this.giveBack(fw, agent, this.taken, 0, pool, this.takenReserved, role);
    this.log.record({ kind: 'offer_rescinded', t: this.sim.now, offer: offerId, framework: fw, agent });
    const f = this.host.client(fw)!;
    f.behaviour.onOfferRescinded(offerId, f.driver);
  }
}
