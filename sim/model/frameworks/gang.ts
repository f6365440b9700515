/**
 * The gang framework (rigid, MPI-like): a job starts only when every one of its tasks can start at
 * the same instant. It either declines offers that cannot carry the whole job, or holds them
 * (hoarding) until the held offers together can. A job that loses a task is restarted whole.
 * Imports model modules and the kernel time unit only.
 */
import { DEFAULT_REFUSE_SECONDS, type FrameworkBehaviour, type OfferView, type OptionDefaults, type SchedulerDriver } from '../framework.js';
import type { JobIx, TaskIx } from '../ids.js';
import { MICROS_PER_SECOND, type SimTime } from '../../kernel/time.js';
import { TaskCode } from '../job.js';
import { DECISION_DEFAULTS, DecisionRounds, type DecisionOptions } from './decision-rounds.js';
import { copyInto } from '../resources.js';

/** Options of the gang behaviour, as given in the scenario; each default is in {@link GANG_DEFAULTS}. */
export interface GangOptions extends DecisionOptions {
  /** hold offers while gathering enough for the head job (true) or decline them (false); default false */
  readonly hoard?: boolean | undefined;
  /**
   * with hoarding: release (decline) every held offer once the oldest has been held this long,
   * seconds, checked whenever offers arrive; default 0 = hold without limit (the master's
   * `offerTimeout` is the hard bound: it rescinds held offers on its own timer)
   */
  readonly maxHoldSeconds?: number | undefined;
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number | undefined;
}

/** The default of every gang option. */
export const GANG_DEFAULTS: OptionDefaults<GangOptions> = {
  hoard: false,
  maxHoldSeconds: 0,
  refuseSeconds: DEFAULT_REFUSE_SECONDS,
  ...DECISION_DEFAULTS,
};

/** An offer the scheduler is looking at or holding: its own copy, since the master reuses views. */
interface Held {
  readonly id: number;
  readonly agent: number;
  /** what is left of the offer after the tasks assigned to it so far (fixed point) */
  readonly left: Float64Array;
  /** the offer's resources */
  readonly res: Float64Array;
  /** tasks assigned to it in the current placement */
  readonly tasks: TaskIx[];
  /** when it arrived, us */
  readonly since: number;
  /** decision time: the first round it takes part in */
  readonly round: number;
}

interface QueuedJob {
  readonly job: JobIx;
  readonly first: number;
  readonly end: number;
  /** scheduling attempts that did not start it (for maxAttempts) */
  attempts: number;
}

/**
 * Jobs wait in submit order and start strictly in that order: the head job blocks the ones behind
 * it (a rigid job cannot be shrunk, and letting small jobs pass would starve wide ones). A placement
 * tries the head job's tasks, in index order, first fit over the offers in the order they arrived
 * (several tasks may share an offer; a job may span many agents); when every task has a place, each
 * offer that got tasks is accepted with them at this instant, and the next job is tried on what is
 * left. Without hoarding only the offers of one delivery (one allocation run) count, and the offers
 * left unused are declined with the refuse filter. With hoarding the unused offers are kept (not
 * answered) while jobs are pending, so their resources count toward this framework's share in the
 * allocator, as in Mesos; they are declined when nothing is pending, or all at once when
 * `maxHoldSeconds` runs out. Suppresses when nothing is pending and revives when a job arrives.
 * With decision time each placement is a decision that takes simulated time (see startRound);
 * `maxAttempts` abandons a job that failed to start that many times.
 * First fit can miss a packing that exists; tasks of one job are usually identical, where it cannot.
 */
export class GangFramework implements FrameworkBehaviour {
  readonly kind = 'gang';
  readonly restartsJobs = true;
  private readonly hoard: boolean;
  private readonly maxHold: number;
  private readonly refuseSeconds: number;
  private readonly queue: QueuedJob[] = [];
  private pending = 0;
  private suppressed = false;
  /** offers held (hoarding) or being answered (one delivery), in arrival order */
  private held: Held[] = [];
  /** jobs restarted after losing a task (the later ends of their tasks are ignored) */
  private readonly restarted = new Set<number>();
  /** a restart is submitting its copy */
  private restarting = false;
  /** jobs restarted so far */
  restarts = 0;
  /** decision time: a decision considers the whole gang of the head job */
  private readonly rounds: DecisionRounds;

  constructor(options: GangOptions = {}) {
    this.hoard = options.hoard ?? GANG_DEFAULTS.hoard;
    this.maxHold = Math.round((options.maxHoldSeconds ?? GANG_DEFAULTS.maxHoldSeconds) * MICROS_PER_SECOND);
    this.refuseSeconds = options.refuseSeconds ?? GANG_DEFAULTS.refuseSeconds;
    this.rounds = new DecisionRounds(options);
  }

  pendingTasks(): number {
    return this.pending;
  }

  /** Offers held right now (hoarding), for tests and reports. */
  heldOffers(): number {
    return this.held.length;
  }

  /** Nothing to launch yet: it subscribes suppressed, and revives when its first job arrives. */
  onSubscribed(driver: SchedulerDriver): void {
    this.suppressIfIdle(driver);
  }

  private suppressIfIdle(driver: SchedulerDriver): void {
    if (this.pending === 0 && !this.suppressed) {
      this.suppressed = true;
      driver.suppress();
    }
  }

  onJobSubmitted(job: JobIx, driver: SchedulerDriver): void {
    const first = driver.tasks.firstTask[job]!;
    const n = driver.tasks.taskCount[job]!;
    if (n === 0) return;
    // A restart's copy (submitted from onTaskEnded) goes first: it had started before the others.
    const entry: QueuedJob = { job, first, end: first + n, attempts: 0 };
    if (this.restarting) this.queue.unshift(entry);
    else this.queue.push(entry);
    this.pending += n;
    if (this.suppressed) {
      this.suppressed = false;
      driver.revive();
    }
  }

  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void {
    const now = driver.now;
    for (const o of offers) {
      this.held.push({
        id: o.id,
        agent: o.agent,
        left: Float64Array.from(o.res),
        res: Float64Array.from(o.res),
        tasks: [],
        since: now,
        round: this.rounds.next,
      });
    }
    if (this.rounds.slow) {
      if (!this.rounds.busy) this.startRound(driver);
      return;
    }
    this.place(driver);
    if (this.rounds.time.maxAttempts > 0) {
      // Without decision time, an attempt is one delivery of offers after which the head job has
      // not started; abandoning it lets the next job try the same offers (one attempt for it too).
      while (this.queue.length > 0 && this.rounds.failed(this.queue[0]!)) {
        this.abandon(this.queue[0]!, driver);
        this.place(driver);
      }
    }
    this.settle(driver);
  }

  /**
   * After placing: with hoarding and jobs pending, keep the offers not used (consolidated, and all
   * released once the oldest is maxHoldSeconds old); else decline them. Suppress when idle.
   */
  private settle(driver: SchedulerDriver): void {
    const now = driver.now;
    if (this.hoard && this.pending > 0) this.consolidate(driver);
    if (this.hoard && this.pending > 0 && this.maxHold > 0 && this.held.length > 0 && now - this.held[0]!.since >= this.maxHold) {
      this.releaseAll(driver);
    }
    if (!this.hoard || this.pending === 0) this.releaseAll(driver);
    this.suppressIfIdle(driver);
  }

  /** Drops queued `job` (none of its tasks started): counted done by the master, no job_finished. */
  private abandon(job: QueuedJob, driver: SchedulerDriver): void {
    const i = this.queue.indexOf(job);
    if (i < 0) throw new Error(`gang job ${job.job} abandoned but not queued`);
    this.queue.splice(i, 1);
    const n = job.end - job.first;
    this.pending -= n;
    driver.abandon(job.job, n, job.attempts);
  }

  /**
   * Decision time: a round decides for the head job, one decision at a time, each considering the
   * whole gang (t_job + t_task x its tasks); offers are held meanwhile. A decision places the job
   * (all tasks at once, first fit) on the offers held when it began and still held at its end; if
   * it starts, the round goes on with the next head job; if not, that is an attempt (maxAttempts
   * may abandon it, and the round goes on with the next job), and the round ends. At the end of a
   * round, without hoarding the offers it began with are declined (with hoarding they stay held
   * while jobs are pending, as without decision time); offers that arrived during it start the
   * next round at once. With hoarding, a new round starts only when offers arrive.
   */
  private startRound(driver: SchedulerDriver): void {
    if (this.held.length === 0) return;
    this.rounds.begin();
    this.nextDecision(driver);
  }

  private nextDecision(driver: SchedulerDriver): void {
    const job = this.queue[0];
    if (job === undefined || this.held.length === 0) {
      this.endRound(driver);
      return;
    }
    this.rounds.decide(driver, job.job, job.end - job.first, (start) => this.finishDecision(job, start, driver));
  }

  private finishDecision(job: QueuedJob, start: SimTime, driver: SchedulerDriver): void {
    // A restart's copy may have gone ahead of the job meanwhile: the decision was for this one.
    if (this.placeJob(job, start, driver)) {
      this.nextDecision(driver);
      return;
    }
    if (this.rounds.failed(job)) {
      this.abandon(job, driver);
      this.nextDecision(driver);
      return;
    }
    this.endRound(driver);
  }

  private endRound(driver: SchedulerDriver): void {
    this.rounds.busy = false;
    if (!this.hoard || this.pending === 0) {
      const keep: Held[] = [];
      for (const h of this.held) {
        if (this.rounds.isDoneWith(h.round)) driver.decline(h.id, this.refuseSeconds);
        else keep.push(h);
      }
      this.held = keep;
    } else {
      this.consolidate(driver);
      if (this.maxHold > 0 && this.held.length > 0 && driver.now - this.held[0]!.since >= this.maxHold) this.releaseAll(driver);
    }
    this.suppressIfIdle(driver);
    if (this.held.some((h) => !this.rounds.isDoneWith(h.round))) this.startRound(driver);
  }

  /**
   * Decision time: places every task of `job`, first fit over the offers held since `start` or
   * before, in arrival order; if all fit, accepts the offers used (the job leaves the queue) and
   * returns true; else changes nothing and returns false.
   */
  private placeJob(job: QueuedJob, start: number, driver: SchedulerDriver): boolean {
    const tasks = driver.tasks;
    const usable = this.held.filter((h) => h.since <= start);
    for (let t = job.first; t < job.end; t++) {
      const h = usable.find((u) => tasks.fits(t, u.left));
      if (h === undefined) {
        for (const u of usable) {
          u.tasks.length = 0;
          copyInto(u.left, 0, u.res);
        }
        return false;
      }
      tasks.takeFrom(h.left, t);
      h.tasks.push(t as TaskIx);
    }
    const keep: Held[] = [];
    for (const h of this.held) {
      if (h.tasks.length > 0) driver.accept(h.id, h.tasks, this.refuseSeconds);
      else keep.push(h);
    }
    this.held = keep;
    const i = this.queue.indexOf(job);
    if (i < 0) throw new Error(`gang job ${job.job} placed but not queued`);
    this.queue.splice(i, 1);
    this.pending -= job.end - job.first;
    return true;
  }

  onOfferRescinded(offer: number): void {
    // Only a held offer can be rescinded (offer timeout): forget it.
    const i = this.held.findIndex((h) => h.id === offer);
    if (i >= 0) this.held.splice(i, 1);
  }

  /**
   * A gang cannot go on without one of its tasks: when a task of a running job ends lost, killed
   * or failed, the job is restarted whole (SchedulerDriver.restartJob: its other running tasks are
   * killed and a copy `<name>/restart-<n>` goes to the head of the queue, since it had started
   * before every job queued). Ends of tasks of a job already restarted (the kills, or a task lost
   * later on another failed agent) are ignored. A task that finishes is done.
   */
  onTaskEnded(task: TaskIx, code: number, driver: SchedulerDriver): void {
    if (code === TaskCode.FINISHED) return;
    const job = driver.tasks.jobOf(task);
    if (this.restarted.has(job)) return;
    this.restarted.add(job);
    this.restarts++;
    this.restarting = true;
    try {
      driver.restartJob(job);
    } finally {
      this.restarting = false;
    }
  }

  /** Starts jobs from the head of the queue while the offers at hand fit all of a job's tasks. */
  private place(driver: SchedulerDriver): void {
    const tasks = driver.tasks;
    let launched = false;
    while (this.queue.length > 0) {
      const job = this.queue[0]!;
      let ok = true;
      for (let t = job.first; t < job.end && ok; t++) {
        ok = false;
        for (const h of this.held) {
          if (tasks.fits(t, h.left)) {
            tasks.takeFrom(h.left, t);
            h.tasks.push(t as TaskIx);
            ok = true;
            break;
          }
        }
      }
      if (!ok) {
        // Undo this job's tentative places: the tasks of earlier jobs stay.
        for (const h of this.held) {
          while (h.tasks.length > 0 && h.tasks[h.tasks.length - 1]! >= job.first) h.tasks.pop();
          copyInto(h.left, 0, h.res);
          for (const t of h.tasks) tasks.takeFrom(h.left, t);
        }
        break;
      }
      this.queue.shift();
      this.pending -= job.end - job.first;
      launched = true;
    }
    if (!launched) return;
    // Every task placed above launches now, each on its offer; the offers used leave the hand.
    const keep: Held[] = [];
    for (const h of this.held) {
      if (h.tasks.length > 0) driver.accept(h.id, h.tasks, this.refuseSeconds);
      else keep.push(h);
    }
    this.held = keep;
  }

  /**
   * A task must fit in one offer (offersim's accept takes one offer; Mesos can accept several of
   * one agent together). Held offers of one agent are therefore declined together with no filter,
   * so that the next allocation run offers the agent's free resources as one offer, to whichever
   * framework the allocator picks. Without this, fragments freed on an agent at different times
   * would be held apart for ever, none large enough for a task.
   */
  private consolidate(driver: SchedulerDriver): void {
    const count = new Map<number, number>();
    for (const h of this.held) count.set(h.agent, (count.get(h.agent) ?? 0) + 1);
    if (count.size === this.held.length) return;
    const keep: Held[] = [];
    for (const h of this.held) {
      if (count.get(h.agent)! > 1) driver.decline(h.id, 0);
      else keep.push(h);
    }
    this.held = keep;
  }

  private releaseAll(driver: SchedulerDriver): void {
    for (const h of this.held) driver.decline(h.id, this.refuseSeconds);
    this.held = [];
  }
}
