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
import { DEFAULT_REFUSE_SECONDS, type FrameworkBehaviour, type OfferBatch, type OfferView, type SchedulerDriver } from './framework.js';
import { TaskCode, type TaskTable } from './job.js';
import { TaskErrorReason } from './log.js';
import type { RecordLog } from './record-log.js';
import { OfferTable } from './offer-table.js';
import { RefuseFilters } from './refuse-filters.js';
import { addInto, copyInto, isAllocatable, isEmpty, NUM_RESOURCES, subInto, type MinAllocatable, type ResourceVector } from './resources.js';
import { agentIx, frameworkIx, taskIx, type AgentIx, type FrameworkIx, type TaskIx } from './ids.js';

/** Refuse filters longer than this (365 days) are capped, as in Mesos. */
export const MAX_REFUSE_SECONDS = 31_536_000;

/** A framework as the offer book sees it. */
export interface OfferClient {
  readonly name: string;
  readonly role: string;
  readonly suppressed: boolean;
  /** removed after its failover timeout ran out: told of nothing any more */
  readonly removed: boolean;
  readonly behaviour: FrameworkBehaviour;
  readonly driver: SchedulerDriver;
}

/** What the offer book needs of the master. */
export interface OfferHost {
  /** framework `fw`, or undefined for an unknown index */
  client(fw: FrameworkIx): OfferClient | undefined;
  /** launches task `task` of `fw` on `agent` (its resources already accounted) */
  launch(task: TaskIx, fw: FrameworkIx, agent: AgentIx): void;
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
    return this.filters.countLive();
  }

  // ---------------------------------------------------------------- AllocationContext

  available(agent: AgentIx, out: Float64Array, offset = 0): void {
    this.agents.freeInto(agent, out, offset);
  }

  reservedAvailable(agent: AgentIx, role: string, out: Float64Array): boolean {
    return this.agents.reservedFree(agent, role, out);
  }

  isAllocatable(res: Float64Array, offset = 0): boolean {
    return isAllocatable(this.minAllocatable, res, offset);
  }

  nextTaskDemand(fw: FrameworkIx, out: Float64Array): boolean {
    const b = this.host.client(fw)!.behaviour;
    return b.nextTaskDemand !== undefined && b.nextTaskDemand(out);
  }

  isFiltered(fw: FrameworkIx, agent: AgentIx, res: Float64Array, offset = 0): boolean {
    return this.filters.blocks(fw, agent, res, offset);
  }

  offer(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector): void {
    const f = this.host.client(fw);
    if (f === undefined) throw this.sim.invariant(`allocator offered to unknown framework ${fw}`);
    if (f.suppressed) throw this.sim.invariant(`allocator offered agent ${agent} to suppressed framework ${f.name}`);
    const pool = this.agents.offerOut(agent, res, reserved, f.role, f.name);
    const withReserved = pool >= 0;
    let sum = res;
    if (withReserved) {
      sum = this.offerSum;
      copyInto(sum, 0, res);
      addInto(sum, 0, reserved!);
    }
    const id = this.nextOfferId++;
    const s = this.offers.add(id, fw, agent, sum, 0, this.sim.now);
    if (withReserved) {
      this.offers.pool[s] = pool;
      copyInto(this.offers.reserved[s]!, 0, reserved!);
    }
    if (this.offerTimeout > 0) this.offers.timeout[s] = this.sim.after(this.offerTimeout, Phase.MESSAGE, this.hRescind, id, true);
    const inbox = this.inbox[fw] ?? (this.inbox[fw] = []);
    if (inbox.length === 0) this.touched.push(fw);
    inbox.push(id);
    // `res` is the offer's sum, reserved part included: reports and the fingerprint see no new field.
    this.log.offerSent(this.sim.now, id, fw, agent, sum);
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
  accept(fw: FrameworkIx, offerId: number, taskIds: readonly TaskIx[], refuseSeconds: number | undefined): void {
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
    for (const task of launching) this.host.launch(task, fw, agent);
    const refuse = this.giveBack(fw, agent, unused, refuseSeconds, pool, this.agents.unusedReserved);
    this.log.offerAccepted(this.sim.now, offerId, fw, agent, launching.length, logged, refuse);
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
    const refuse = this.giveBack(fw, agent, this.taken, refuseSeconds, this.takenPool, this.takenReserved);
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

  /** Removes every refuse filter of framework `fw` (revive, disconnect). */
  clearFilters(fw: FrameworkIx): void {
    const filters = this.filters;
    for (let s = filters.firstOf(fw); s >= 0; s = filters.firstOf(fw)) filters.remove(s);
  }

  /** Removes every refuse filter on agent `agent` (it was declared lost). */
  clearAgentFilters(agent: AgentIx): void {
    const f = this.filters;
    for (let s = 0; s < f.fw.length; s++) if (f.installed(s) && f.agent[s] === agent) f.remove(s);
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
    const agent = agentIx(offers.agent[s]!);
    offers.remove(s);
    return agent;
  }

  /**
   * Returns offered resources `res` to the agent's free pools (the part `reserved` to reservation
   * `pool`, when pool >= 0; the rest unreserved) and installs a refuse filter over the whole of
   * `res` (a filter compares sums: it blocks a later offer on the agent whose sum, reserved part
   * included, it contains). Returns the filter length in us.
   */
  private giveBack(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, refuseSeconds: number | undefined, pool: number, reserved: ResourceVector): number {
    if (isEmpty(res)) return 0;
    this.agents.giveBack(agent, res, pool, reserved);
    if (fw === this.answering) {
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
    this.filters.add(fw, agent, res, 0, timeout);
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
    offers.remove(s);
    // A rescinded offer's resources come back with no filter (master.cpp, offer timeout).
    this.giveBack(fw, agent, this.taken, 0, pool, this.takenReserved);
    this.log.record({ kind: 'offer_rescinded', t: this.sim.now, offer: offerId, framework: fw, agent });
    const f = this.host.client(fw)!;
    f.behaviour.onOfferRescinded(offerId, f.driver);
  }
}
