/**
 * The driver a framework's scheduler holds (Mesos `SchedulerDriver`): each call goes to the master
 * on behalf of that one framework; and the schedulers' timers. Imports the kernel and model types.
 */
import { Phase } from '../kernel/phases.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND, type SimTime } from '../kernel/time.js';
import type { OfferOperation, SchedulerDriver } from './framework.js';
import type { AgentIx, FrameworkIx, JobIx, TaskIx } from './ids.js';
import type { TaskTable } from './job.js';

/** The master's side of the scheduler calls: each takes the calling framework first. */
export interface SchedulerCalls {
  readonly now: SimTime;
  readonly tasks: TaskTable;
  rackOf(agent: AgentIx): string;
  accept(fw: FrameworkIx, offer: number, taskIds: readonly TaskIx[], refuseSeconds: number | undefined, operations?: readonly OfferOperation[]): void;
  decline(fw: FrameworkIx, offer: number, refuseSeconds: number | undefined): void;
  suppress(fw: FrameworkIx, roles?: readonly string[]): void;
  revive(fw: FrameworkIx, roles?: readonly string[]): void;
  resubmit(fw: FrameworkIx, task: TaskIx): void;
  kill(fw: FrameworkIx, task: TaskIx): void;
  restartJob(fw: FrameworkIx, job: JobIx): JobIx;
  /** a MESSAGE-phase event `delay` us from now for `fw`'s scheduler */
  after(fw: FrameworkIx, delay: number, fn: () => void): void;
  decided(fw: FrameworkIx, job: JobIx, start: number, tasks: number): void;
  abandon(fw: FrameworkIx, job: JobIx, dropped: number, attempts: number): void;
}

/** The driver one framework's scheduler uses. */
export class Driver implements SchedulerDriver {
  constructor(
    private readonly master: SchedulerCalls,
    private readonly fw: FrameworkIx,
    /** every role of the framework (see {@link SchedulerDriver.roles}); default none given */
    readonly roles?: readonly string[],
  ) {}
  get now(): SimTime {
    return this.master.now;
  }
  get tasks(): TaskTable {
    return this.master.tasks;
  }
  rackOf(agent: AgentIx): string {
    return this.master.rackOf(agent);
  }
  accept(offer: number, taskIds: readonly TaskIx[], refuseSeconds?: number, operations?: readonly OfferOperation[]): void {
    if (operations === undefined || operations.length === 0) this.master.accept(this.fw, offer, taskIds, refuseSeconds);
    else this.master.accept(this.fw, offer, taskIds, refuseSeconds, operations);
  }
  decline(offer: number, refuseSeconds?: number): void {
    this.master.decline(this.fw, offer, refuseSeconds);
  }
  suppress(roles?: readonly string[]): void {
    if (roles === undefined) this.master.suppress(this.fw);
    else this.master.suppress(this.fw, roles);
  }
  revive(roles?: readonly string[]): void {
    if (roles === undefined) this.master.revive(this.fw);
    else this.master.revive(this.fw, roles);
  }
  resubmit(task: TaskIx): void {
    this.master.resubmit(this.fw, task);
  }
  kill(task: TaskIx): void {
    this.master.kill(this.fw, task);
  }
  restartJob(job: JobIx): JobIx {
    return this.master.restartJob(this.fw, job);
  }
  after(delaySeconds: number, fn: () => void): void {
    this.master.after(this.fw, Math.round(delaySeconds * MICROS_PER_SECOND), fn);
  }
  decided(job: JobIx, start: SimTime, tasks: number): void {
    this.master.decided(this.fw, job, start, tasks);
  }
  abandon(job: JobIx, dropped: number, attempts: number): void {
    this.master.abandon(this.fw, job, dropped, attempts);
  }
}

/** The timers schedulers set through their driver ({@link SchedulerDriver.after}). */
export class SchedulerTimers {
  private readonly hTimer: HandlerId;
  /** pending timers by id: the framework that set it, and what to call */
  private readonly timers = new Map<number, { readonly fw: number; readonly fn: () => void }>();
  private nextTimer = 0;

  /** Timers on `sim`; `removed(fw)` says whether framework `fw` is gone (its timers never fire). */
  constructor(
    private readonly sim: Simulator,
    private readonly removed: (fw: number) => boolean,
  ) {
    this.hTimer = sim.register('scheduler-timer', (id) => this.fire(id));
  }

  /**
   * An event `delay` us from now for framework `fw`'s scheduler, in the MESSAGE phase; with a delay
   * of 0 set from a later phase (an answer to offers, in the OFFER phase), in that phase, so that it
   * still runs later in this instant. It does not fire if the framework has been removed by then
   * (its scheduler is gone).
   */
  after(fw: number, delay: number, fn: () => void): void {
    if (!(delay >= 0) || !Number.isSafeInteger(delay)) throw new RangeError(`timer delay must be a non-negative integer of us, got ${delay}`);
    const id = this.nextTimer++;
    this.timers.set(id, { fw, fn });
    this.sim.after(delay, delay === 0 ? (Math.max(Phase.MESSAGE, this.sim.phase) as Phase) : Phase.MESSAGE, this.hTimer, id);
  }

  private fire(id: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined) throw this.sim.invariant(`timer ${id} fired twice`);
    this.timers.delete(id);
    if (!this.removed(timer.fw)) timer.fn();
  }
}
