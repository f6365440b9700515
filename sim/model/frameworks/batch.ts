/**
 * The batch framework (elastic, Hadoop/Spark-like): jobs of independent tasks, served first in,
 * first out among its own jobs, launching as many pending tasks as fit in each offer, with optional
 * delay scheduling for data locality. Imports model modules and the kernel's time only.
 */
import type { SimTime } from '../../kernel/time.js';
import {
  DEFAULT_REFUSE_SECONDS,
  type DecisionTime,
  type FrameworkBehaviour,
  type OptionDefaults,
  type OfferBatch,
  type OfferView,
  type SchedulerDriver,
} from '../framework.js';
import type { AgentIx, JobIx, TaskIx } from '../ids.js';
import { TaskCode, type TaskTable } from '../job.js';
import { copyInto, NUM_RESOURCES, zero } from '../resources.js';
import { DECISION_DEFAULTS, DecisionRounds, type DecisionOptions } from './decision-rounds.js';
import { DELAY_DEFAULTS, DelayScheduling, takeInOrder, type DelayJob, type DelayOptions } from './delay-scheduling.js';

/** Options of the batch behaviour, as given in the scenario; each default is in {@link BATCH_DEFAULTS}. */
export interface BatchOptions extends DelayOptions, DecisionOptions {
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number | undefined;
  /** most tasks launched from one offer; default 0 = no limit */
  readonly maxTasksPerOffer?: number | undefined;
  /** run-time factor of tasks with preferences launched not node-local; default 1 */
  readonly remoteSlowdown?: number | undefined;
}

/** The default of every batch option. */
export const BATCH_DEFAULTS: OptionDefaults<BatchOptions> = {
  refuseSeconds: DEFAULT_REFUSE_SECONDS,
  maxTasksPerOffer: 0,
  ...DELAY_DEFAULTS,
  remoteSlowdown: 1,
  ...DECISION_DEFAULTS,
};

/** An offer held while the scheduler decides, with the round it first takes part in. */
interface HeldOffer {
  readonly view: OfferView;
  readonly round: number;
  /** when it arrived, us: a decision only uses offers it could see when it began */
  readonly at: number;
}

interface QueuedJob extends DelayJob {
  readonly job: JobIx;
  /** the role of a multi-role framework whose offers run it (JobSpec.role); undefined: any */
  readonly role: string | undefined;
  /** scheduling attempts that left the job with pending tasks (for maxAttempts) */
  attempts: number;
}

/**
 * Jobs wait in submit order. For each offer, the scheduler walks the jobs in that order and,
 * within a job, launches tasks in index order while the next one fits in what is left of the
 * offer; a job whose next task does not fit is passed over for this offer (no head-of-line
 * blocking across jobs). It suppresses when nothing is pending (never while tasks wait for
 * locality) and revives when a job arrives. With a positive `nodeLocalWait` or `rackLocalWait`
 * it does delay scheduling for tasks with preferred locations (delay-scheduling.ts, docs/model.md).
 */
export class BatchFramework implements FrameworkBehaviour {
  readonly kind = 'batch';
  private readonly refuseSeconds: number;
  private readonly maxPerOffer: number;
  private readonly queue: QueuedJob[] = [];
  private pending = 0;
  private suppressed = false;
  /** a multi-role framework's roles (SchedulerDriver.roles, two or more), else null */
  private multi: readonly string[] | null = null;
  /** of those, the roles it has suppressed */
  private readonly suppressedRoles = new Set<string>();
  private readonly remaining = zero();
  private readonly launch: TaskIx[] = [];
  private readonly delay: DelayScheduling;
  readonly remoteSlowdown: number;
  /** decision time: a decision considers every pending task of one job */
  private readonly rounds: DecisionRounds;
  /** decision time: offers held, unanswered, in arrival order */
  private readonly held: HeldOffer[] = [];
  /** decision time: the queue position of the round's next decision */
  private roundPos = 0;
  /** the decision-time options, for the shared-state baseline's scheduler */
  readonly decisionTime: DecisionTime;
  /** the run's task table, as last seen (the shared-state job hooks read task states) */
  private table: TaskTable | undefined;

  constructor(options: BatchOptions = {}) {
    this.rounds = new DecisionRounds(options);
    this.decisionTime = this.rounds.time;
    this.refuseSeconds = options.refuseSeconds ?? BATCH_DEFAULTS.refuseSeconds;
    this.maxPerOffer = options.maxTasksPerOffer ?? BATCH_DEFAULTS.maxTasksPerOffer;
    this.delay = new DelayScheduling(options);
    this.remoteSlowdown = options.remoteSlowdown ?? BATCH_DEFAULTS.remoteSlowdown;
  }

  pendingTasks(): number {
    return this.pending;
  }

  nextTaskDemand(out: Float64Array): boolean {
    const head = this.queue[0];
    if (head === undefined || this.table === undefined) return false;
    this.table.resInto(head.next, out);
    return true;
  }

  takeNextTask(): TaskIx {
    const head = this.queue[0];
    if (head === undefined) throw new Error('takeNextTask with nothing pending');
    const task = head.next++ as TaskIx;
    this.pending--;
    if (head.next === head.end) this.queue.shift();
    return task;
  }

  /*
   * The job hooks of the shared-state baseline (FrameworkBehaviour.headJob): its scheduler decides
   * for the head of the queue until every task of it is taken or it is dropped. Tasks may be taken
   * out of index order (the ones that conflicted stay pending), so `next` is the first task still
   * pending in the task table, and the others are skipped by their state.
   */

  headJob(out: TaskIx[]): JobIx {
    out.length = 0;
    const head = this.queue[0];
    const t = this.table;
    if (head === undefined || t === undefined) return -1 as JobIx;
    for (let i = head.next; i < head.end; i++) if (t.isPending(i)) out.push(i as TaskIx);
    return head.job;
  }

  takeTask(task: TaskIx): void {
    const head = this.queue[0];
    const t = this.table;
    if (head === undefined || t === undefined || task < head.next || task >= head.end || !t.isPending(task)) {
      throw new Error(`takeTask(${task}): not a pending task of the head job`);
    }
    this.pending--;
    if (task !== head.next) return; // an earlier task of the job is still pending
    head.next++;
    while (head.next < head.end && !t.isPending(head.next)) head.next++;
    if (head.next === head.end) this.queue.shift();
  }

  takeJobTask(job: JobIx, task: TaskIx): void {
    const q = this.queue.findIndex((e) => e.job === job);
    const e = this.queue[q];
    const t = this.table;
    if (e === undefined || t === undefined || task < e.next || task >= e.end)
      throw new Error(`takeJobTask(${job}, ${task}): not a pending task of a queued job`);
    this.pending--;
    // The task was just launched (not pending any more): skip it and any launched before it.
    while (e.next < e.end && !t.isPending(e.next)) e.next++;
    if (e.next === e.end) this.queue.splice(q, 1);
  }

  dropHeadJob(): number {
    const head = this.queue.shift();
    const t = this.table;
    if (head === undefined || t === undefined) return 0;
    let dropped = 0;
    for (let i = head.next; i < head.end; i++) if (t.isPending(i)) dropped++;
    this.pending -= dropped;
    return dropped;
  }

  /** Nothing to launch yet: it subscribes suppressed, and revives when its first job arrives. */
  onSubscribed(driver: SchedulerDriver): void {
    const roles = driver.roles;
    if (roles !== undefined && roles.length > 1) this.multi = roles;
    this.suppressIfIdle(driver);
  }

  onJobSubmitted(job: JobIx, driver: SchedulerDriver): void {
    this.table = driver.tasks;
    const first = driver.tasks.firstTask[job]!;
    const n = driver.tasks.taskCount[job]!;
    let prefs = false;
    for (let i = first; i < first + n && !prefs; i++) prefs = driver.tasks.prefsOf(i) !== undefined;
    const role = this.multi === null ? undefined : driver.tasks.jobRole(job);
    this.queue.push({ job, role, next: first, end: first + n, lastLocal: driver.now, prefs, attempts: 0, skips: 0 });
    this.pending += n;
    if (this.multi !== null) this.updateRoles(this.multi, driver);
    else if (this.suppressed) {
      this.suppressed = false;
      driver.revive();
    }
  }

  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void {
    if (this.rounds.slow) {
      for (const view of offers) this.held.push({ view, round: this.rounds.next, at: driver.now });
      if (!this.rounds.busy) this.startRound(driver);
      return;
    }
    for (const offer of offers) this.answer(offer.id, offer.agent, offer.res, 0, driver, offer.role);
    this.afterOffers(driver);
  }

  onOfferBatch(offers: OfferBatch, driver: SchedulerDriver): void {
    if (this.rounds.slow) {
      for (let i = 0; i < offers.length; i++) this.held.push({ view: offers.view(i), round: this.rounds.next, at: driver.now });
      if (!this.rounds.busy) this.startRound(driver);
      return;
    }
    const multi = this.multi !== null;
    for (let i = 0; i < offers.length; i++) {
      this.answer(offers.ids[i]!, offers.agents[i]! as AgentIx, offers.res, i * NUM_RESOURCES, driver, multi ? offers.view(i).role : undefined);
    }
    this.afterOffers(driver);
  }

  /** After a delivery answered at once: jobs out of attempts are abandoned, and an idle scheduler suppresses. */
  private afterOffers(driver: SchedulerDriver): void {
    if (this.rounds.time.maxAttempts > 0) {
      // Without decision time, an attempt is one delivery of offers a job is left pending after.
      let dropped = false;
      for (const job of this.queue) if (job.next < job.end && this.rounds.failed(job)) dropped = this.abandon(job, driver) || dropped;
      if (dropped) this.compact();
    }
    this.suppressIfIdle(driver);
  }

  onOfferRescinded(offer: number): void {
    // Only held offers (decision time) can be rescinded: forget it, the decision goes on without it.
    const i = this.held.findIndex((h) => h.view.id === offer);
    if (i >= 0) this.held.splice(i, 1);
  }

  private suppressIfIdle(driver: SchedulerDriver): void {
    if (this.multi !== null) {
      this.updateRoles(this.multi, driver);
      return;
    }
    if (this.pending === 0 && !this.suppressed) {
      this.suppressed = true;
      driver.suppress();
    }
  }

  /**
   * A multi-role framework suppresses each role with no pending work it may run (no pending job
   * of that role, nor one of no role) and revives each suppressed role that has some (Mesos
   * SUPPRESS and REVIVE with `roles`).
   */
  private updateRoles(roles: readonly string[], driver: SchedulerDriver): void {
    const busy = new Set<string>();
    for (const job of this.queue) {
      if (job.next === job.end) continue;
      if (job.role === undefined) {
        for (const r of roles) busy.add(r);
        break;
      }
      busy.add(job.role);
    }
    const idle = roles.filter((r) => !busy.has(r) && !this.suppressedRoles.has(r));
    const back = roles.filter((r) => busy.has(r) && this.suppressedRoles.has(r));
    if (idle.length > 0) {
      for (const r of idle) this.suppressedRoles.add(r);
      driver.suppress(idle);
    }
    if (back.length > 0) {
      for (const r of back) this.suppressedRoles.delete(r);
      driver.revive(back);
    }
  }

  /** Drops the pending tasks of `job` (left in the queue: compact afterwards); returns true. */
  private abandon(job: QueuedJob, driver: SchedulerDriver): boolean {
    const dropped = job.end - job.next;
    this.pending -= dropped;
    job.next = job.end;
    driver.abandon(job.job, dropped, job.attempts);
    return true;
  }

  /**
   * Decision time: a round takes each job with pending tasks once, in submit order, one decision
   * at a time, over the offers held. Offers that arrive during a round join it (later decisions
   * see them; a decision uses only the offers held when it began, as a snapshot) and belong to the
   * next round too; at the end of a round the offers it started with
   * that are still unused are declined, and a new round starts if offers are left.
   */
  private startRound(driver: SchedulerDriver): void {
    if (this.held.length === 0) return;
    this.rounds.begin();
    this.roundPos = 0;
    this.nextDecision(driver);
  }

  private nextDecision(driver: SchedulerDriver): void {
    while (this.roundPos < this.queue.length && this.queue[this.roundPos]!.next === this.queue[this.roundPos]!.end) this.roundPos++;
    const job = this.queue[this.roundPos];
    if (job === undefined || this.held.length === 0) {
      this.endRound(driver);
      return;
    }
    // The decision considers every pending task of the job (Omega: t_job + t_task x tasks per job).
    const considered = job.end - job.next;
    this.rounds.decide(driver, job.job, considered, (start) => this.finishDecision(job, start, driver));
  }

  private finishDecision(job: QueuedJob, start: SimTime, driver: SchedulerDriver): void {
    const rem = this.remaining;
    const limit = this.maxPerOffer > 0 ? this.maxPerOffer : Infinity;
    let w = 0;
    for (const h of this.held) {
      const launch: TaskIx[] = [];
      if (job.next < job.end && h.at <= start && (job.role === undefined || h.view.role === undefined || job.role === h.view.role)) {
        copyInto(rem, 0, h.view.res);
        takeInOrder(job, rem, driver.tasks, launch, limit);
      }
      if (launch.length > 0) {
        this.pending -= launch.length;
        driver.accept(h.view.id, launch, this.refuseSeconds);
      } else this.held[w++] = h;
    }
    this.held.length = w;
    if (job.next < job.end && this.rounds.failed(job)) this.abandon(job, driver);
    this.roundPos++;
    this.nextDecision(driver);
  }

  private endRound(driver: SchedulerDriver): void {
    this.rounds.busy = false;
    let w = 0;
    for (const h of this.held) {
      if (this.rounds.isDoneWith(h.round)) driver.decline(h.view.id, this.refuseSeconds);
      else this.held[w++] = h;
    }
    this.held.length = w;
    this.compact();
    this.suppressIfIdle(driver);
    this.startRound(driver);
  }

  onTaskEnded(task: TaskIx, code: number, driver: SchedulerDriver): void {
    // A lost or gone task (its agent failed) is rerun as a copy: a one-task job
    // `<framework>/replace-<task>` (SchedulerDriver.resubmit), queued like any job. Finished tasks
    // are done. A partition-aware framework is not told of an unreachable task: it waits for it.
    if (code === TaskCode.LOST || code === TaskCode.GONE) driver.resubmit(task);
  }

  /**
   * Fills offer `id` on `agent` of res[off..] from the queue (the plain walk, or delay scheduling)
   * and answers it at once; an offer to `role` of a multi-role framework runs only jobs of that
   * role or of none.
   */
  private answer(id: number, agent: AgentIx, res: Float64Array, off: number, driver: SchedulerDriver, role?: string): void {
    const rem = this.remaining;
    copyInto(rem, 0, res, off); // a plain loop: TypedArray#set is a builtin call per offer
    const launch = this.launch;
    // Most offers launch nothing: skip the length write (a builtin call) when already empty.
    if (launch.length !== 0) launch.length = 0;
    const limit = this.maxPerOffer > 0 ? this.maxPerOffer : Infinity;
    let emptied = false;
    const queue = role === undefined ? this.queue : this.queue.filter((j) => j.role === undefined || j.role === role);
    if (this.delay.on) emptied = this.delay.fill(queue, driver.tasks, agent, driver.now, rem, launch, limit);
    else {
      for (let q = 0; q < queue.length && launch.length < limit; q++) {
        const job = queue[q]!;
        takeInOrder(job, rem, driver.tasks, launch, limit);
        if (job.next === job.end) emptied = true;
      }
    }
    if (emptied) this.compact();
    this.pending -= launch.length;
    if (launch.length > 0) driver.accept(id, launch, this.refuseSeconds);
    else driver.decline(id, this.refuseSeconds);
  }

  private compact(): void {
    let w = 0;
    for (const job of this.queue) if (job.next < job.end) this.queue[w++] = job;
    this.queue.length = w;
  }
}
