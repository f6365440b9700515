/**
 * The batch framework (elastic, Hadoop/Spark-like): jobs of independent tasks, served first in,
 * first out among its own jobs, launching as many pending tasks as fit in each offer, with optional
 * delay scheduling for data locality. Imports model modules and the kernel's time only.
 */
import { MICROS_PER_SECOND, type SimTime } from '../../kernel/time.js';
import type { DecisionTime, FrameworkBehaviour, OfferView, SchedulerDriver } from '../framework.js';
import { Locality, PENDING_CODE, TaskCode, type TaskTable } from '../job.js';
import { contains, copyInto, NUM_RESOURCES, subInto } from '../resources.js';

/** Options of the batch behaviour, as given in the scenario. */
export interface BatchOptions {
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number;
  /** most tasks launched from one offer; default 0 = no limit */
  readonly maxTasksPerOffer?: number;
  /**
   * delay scheduling (Zaharia et al. 2010): seconds a job with preferred-location tasks waits,
   * since its last node-local launch, before it may launch rack-local; default 0
   */
  readonly nodeLocalWait?: number;
  /** further seconds before it may launch anywhere (remote); default 0 */
  readonly rackLocalWait?: number;
  /**
   * delay scheduling counted in skips instead of seconds (the paper's D): offers a job with
   * preferred-location tasks passes over, since its last node-local launch, before it may launch
   * rack-local; default 0. Not together with the waits.
   */
  readonly nodeLocalSkips?: number;
  /** further skips before it may launch anywhere (remote); default 0 */
  readonly rackLocalSkips?: number;
  /**
   * pick node-local tasks first even without waiting (all waits and skips 0): Hadoop's scheduler
   * without delay scheduling, the paper's D = 0; default false (tasks in index order)
   */
  readonly preferLocal?: boolean;
  /** run-time factor of tasks with preferences launched not node-local; default 1 */
  readonly remoteSlowdown?: number;
  /** decision time (Omega's t_job): seconds per scheduling decision (one job); default 0 */
  readonly decisionJob?: number;
  /** decision time per task considered (Omega's t_task), seconds; default 0 */
  readonly decisionTask?: number;
  /** scheduling attempts after which a job not fully placed is abandoned; default 0 = never */
  readonly maxAttempts?: number;
}

/** An offer held while the scheduler decides, with the round it first takes part in. */
interface HeldOffer {
  readonly view: OfferView;
  readonly round: number;
  /** when it arrived, us: a decision only uses offers it could see when it began */
  readonly at: number;
}

interface QueuedJob {
  readonly job: number;
  /** next pending task index */
  next: number;
  /** one past the job's last task */
  readonly end: number;
  /** delay scheduling: time of the job's last node-local launch (its submit time before any), us */
  lastLocal: number;
  /** some task of the job has preferred locations (else delay scheduling leaves it alone) */
  readonly prefs: boolean;
  /** scheduling attempts that left the job with pending tasks (for maxAttempts) */
  attempts: number;
  /** delay scheduling in skips: offers skipped since the job's last node-local launch */
  skips: number;
}

/**
 * Jobs wait in submit order. For each offer, the scheduler walks the jobs in that order and,
 * within a job, launches tasks in index order while the next one fits in what is left of the
 * offer; a job whose next task does not fit is passed over for this offer (no head-of-line
 * blocking across jobs). It suppresses when nothing is pending (never while tasks wait for
 * locality) and revives when a job arrives. With a positive `nodeLocalWait` or `rackLocalWait`
 * it does delay scheduling for tasks with preferred locations (see answerDelay, docs/model.md).
 */
export class BatchFramework implements FrameworkBehaviour {
  readonly kind = 'batch';
  private readonly refuseSeconds: number;
  private readonly maxPerOffer: number;
  private readonly queue: QueuedJob[] = [];
  private pending = 0;
  private suppressed = false;
  /** the task table's resource array, as last seen (it is replaced when the table grows) */
  private tasksRes: Float64Array | undefined;
  private readonly remaining = new Float64Array(NUM_RESOURCES);
  private readonly launch: number[] = [];
  /** node-local wait, us */
  private readonly nodeWait: number;
  /** rack-local wait, us */
  private readonly rackWait: number;
  /** node-local skips (0 when waits are in seconds) */
  private readonly nodeSkips: number;
  /** rack-local skips */
  private readonly rackSkips: number;
  /** delay scheduling counts skips, not seconds */
  private readonly bySkips: boolean;
  /** delay scheduling on: some wait or skip count > 0 (else the plain FIFO walk, exactly as without it) */
  private readonly delay: boolean;
  readonly remoteSlowdown: number;
  /** scratch: 1 for tasks picked for the offer being answered (all 0 between offers) */
  private picked = new Uint8Array(0);
  /** decision time per decision, seconds */
  private readonly tJob: number;
  /** decision time per task considered, seconds */
  private readonly tTask: number;
  /** decision time on: tJob or tTask > 0 (else offers are answered at once, as without it) */
  private readonly slow: boolean;
  private readonly maxAttempts: number;
  /** decision time: offers held, unanswered, in arrival order */
  private readonly held: HeldOffer[] = [];
  /** decision time: a decision is under way */
  private busy = false;
  /** decision time: the current round's number and the queue position of its next decision */
  private round = 0;
  private roundPos = 0;
  /** the decision-time options, for the shared-state baseline's scheduler */
  readonly decisionTime: DecisionTime;
  /** the run's task table, as last seen (the shared-state job hooks read task states) */
  private table: TaskTable | undefined;

  constructor(options: BatchOptions = {}) {
    this.tJob = options.decisionJob ?? 0;
    this.tTask = options.decisionTask ?? 0;
    if (!(this.tJob >= 0) || !(this.tTask >= 0)) throw new RangeError('decisionJob and decisionTask must be >= 0');
    this.slow = this.tJob > 0 || this.tTask > 0;
    this.maxAttempts = options.maxAttempts ?? 0;
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 0) throw new RangeError('maxAttempts must be a non-negative integer');
    this.decisionTime = { job: this.tJob, task: this.tTask, maxAttempts: this.maxAttempts };
    this.refuseSeconds = options.refuseSeconds ?? 5;
    this.maxPerOffer = options.maxTasksPerOffer ?? 0;
    this.nodeWait = Math.round((options.nodeLocalWait ?? 0) * MICROS_PER_SECOND);
    this.rackWait = Math.round((options.rackLocalWait ?? 0) * MICROS_PER_SECOND);
    this.nodeSkips = options.nodeLocalSkips ?? 0;
    this.rackSkips = options.rackLocalSkips ?? 0;
    for (const [k, v] of [['nodeLocalSkips', this.nodeSkips], ['rackLocalSkips', this.rackSkips]] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer`);
    }
    this.bySkips = this.nodeSkips > 0 || this.rackSkips > 0;
    if (this.bySkips && (this.nodeWait > 0 || this.rackWait > 0)) {
      throw new RangeError('delay scheduling takes waits in seconds or in skips, not both');
    }
    this.delay = this.nodeWait > 0 || this.rackWait > 0 || this.bySkips || options.preferLocal === true;
    this.remoteSlowdown = options.remoteSlowdown ?? 1;
  }

  pendingTasks(): number {
    return this.pending;
  }

  nextTaskDemand(out: Float64Array): boolean {
    const head = this.queue[0];
    if (head === undefined || this.tasksRes === undefined) return false;
    copyInto(out, 0, this.tasksRes, head.next * NUM_RESOURCES);
    return true;
  }

  takeNextTask(): number {
    const head = this.queue[0];
    if (head === undefined) throw new Error('takeNextTask with nothing pending');
    const task = head.next++;
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

  headJob(out: number[]): number {
    out.length = 0;
    const head = this.queue[0];
    const t = this.table;
    if (head === undefined || t === undefined) return -1;
    for (let i = head.next; i < head.end; i++) if (t.state[i] === PENDING_CODE) out.push(i);
    return head.job;
  }

  takeTask(task: number): void {
    const head = this.queue[0];
    const t = this.table;
    if (head === undefined || t === undefined || task < head.next || task >= head.end || t.state[task] !== PENDING_CODE) {
      throw new Error(`takeTask(${task}): not a pending task of the head job`);
    }
    this.pending--;
    if (task !== head.next) return; // an earlier task of the job is still pending
    head.next++;
    while (head.next < head.end && t.state[head.next] !== PENDING_CODE) head.next++;
    if (head.next === head.end) this.queue.shift();
  }

  dropHeadJob(): number {
    const head = this.queue.shift();
    const t = this.table;
    if (head === undefined || t === undefined) return 0;
    let dropped = 0;
    for (let i = head.next; i < head.end; i++) if (t.state[i] === PENDING_CODE) dropped++;
    this.pending -= dropped;
    return dropped;
  }

  onJobSubmitted(job: number, driver: SchedulerDriver): void {
    this.tasksRes = driver.tasks.res;
    this.table = driver.tasks;
    const first = driver.tasks.firstTask[job]!;
    const n = driver.tasks.taskCount[job]!;
    let prefs = false;
    for (let i = first; i < first + n && !prefs; i++) prefs = driver.tasks.prefs[i] !== undefined;
    this.queue.push({ job, next: first, end: first + n, lastLocal: driver.now, prefs, attempts: 0, skips: 0 });
    this.pending += n;
    if (this.suppressed) {
      this.suppressed = false;
      driver.revive();
    }
  }

  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void {
    if (this.slow) {
      for (const view of offers) this.held.push({ view, round: this.round + 1, at: driver.now });
      if (!this.busy) this.startRound(driver);
      return;
    }
    for (const offer of offers) this.answer(offer, driver);
    if (this.maxAttempts > 0) {
      // Without decision time, an attempt is one delivery of offers a job is left pending after.
      let dropped = false;
      for (const job of this.queue) if (job.next < job.end && ++job.attempts >= this.maxAttempts) dropped = this.abandon(job, driver) || dropped;
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
    if (this.pending === 0 && !this.suppressed) {
      this.suppressed = true;
      driver.suppress();
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
    this.round++;
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
    const start = driver.now;
    this.busy = true;
    driver.after(this.tJob + this.tTask * considered, () => this.finishDecision(job, start, considered, driver));
  }

  private finishDecision(job: QueuedJob, start: SimTime, considered: number, driver: SchedulerDriver): void {
    driver.decided(job.job, start, considered);
    const res = driver.tasks.res;
    const rem = this.remaining;
    const limit = this.maxPerOffer > 0 ? this.maxPerOffer : Infinity;
    let w = 0;
    for (const h of this.held) {
      const launch: number[] = [];
      if (job.next < job.end && h.at <= start) {
        copyInto(rem, 0, h.view.res);
        takeInOrder(job, rem, res, launch, limit);
      }
      if (launch.length > 0) {
        this.pending -= launch.length;
        driver.accept(h.view.id, launch, this.refuseSeconds);
      } else this.held[w++] = h;
    }
    this.held.length = w;
    if (job.next < job.end && ++job.attempts >= this.maxAttempts && this.maxAttempts > 0) this.abandon(job, driver);
    this.roundPos++;
    this.nextDecision(driver);
  }

  private endRound(driver: SchedulerDriver): void {
    this.busy = false;
    let w = 0;
    for (const h of this.held) {
      if (h.round <= this.round) driver.decline(h.view.id, this.refuseSeconds);
      else this.held[w++] = h;
    }
    this.held.length = w;
    this.compact();
    this.suppressIfIdle(driver);
    this.startRound(driver);
  }

  onTaskEnded(task: number, code: number, driver: SchedulerDriver): void {
    // A lost task (its agent failed) is rerun as a copy: a one-task job `<framework>/replace-<task>`
    // (SchedulerDriver.resubmit), queued like any job. Finished tasks are done.
    if (code === TaskCode.LOST) driver.resubmit(task);
  }

  private answer(offer: OfferView, driver: SchedulerDriver): void {
    if (this.delay) {
      this.answerDelay(offer, driver);
      return;
    }
    const rem = this.remaining;
    copyInto(rem, 0, offer.res); // a plain loop: TypedArray#set is a builtin call per offer
    const launch = this.launch;
    // Most offers launch nothing: skip the length write (a builtin call) when already empty.
    if (launch.length !== 0) launch.length = 0;
    const res = driver.tasks.res;
    const limit = this.maxPerOffer > 0 ? this.maxPerOffer : Infinity;
    let emptied = false;
    for (let q = 0; q < this.queue.length && launch.length < limit; q++) {
      const job = this.queue[q]!;
      takeInOrder(job, rem, res, launch, limit);
      if (job.next === job.end) emptied = true;
    }
    if (emptied) this.compact();
    this.pending -= launch.length;
    if (launch.length > 0) driver.accept(offer.id, launch, this.refuseSeconds);
    else driver.decline(offer.id, this.refuseSeconds);
  }

  /**
   * Delay scheduling. Jobs in submit order; within a job, repeatedly the best pending task that
   * fits and that the job's locality level allows: node-local first, then tasks without
   * preferences (local to anything), then rack-local if the job has waited at least the node-local
   * wait since its last node-local launch (or submit), then remote if at least node + rack waits.
   * Index order breaks ties. A node-local launch resets the wait. A job with nothing it may launch
   * here is skipped for this offer (the paper's skip). A job none of whose tasks has preferences
   * gets the plain walk. Picking scans the job's pending tasks: O(pending) per launch.
   *
   * With `nodeLocalSkips`/`rackLocalSkips` the levels count skips instead of seconds (Zaharia et
   * al. 2010, Algorithm 1's D): a job skips an offer when it launches nothing on it only because
   * of locality (a pending task would fit if it could run remote); a node-local launch resets the
   * count to 0.
   */
  private answerDelay(offer: OfferView, driver: SchedulerDriver): void {
    const rem = this.remaining;
    copyInto(rem, 0, offer.res);
    const launch = this.launch;
    if (launch.length !== 0) launch.length = 0;
    const tasks = driver.tasks;
    const res = tasks.res;
    const agent = offer.agent;
    const now = driver.now;
    const limit = this.maxPerOffer > 0 ? this.maxPerOffer : Infinity;
    if (this.picked.length < tasks.size) this.picked = new Uint8Array(Math.max(tasks.size, this.picked.length * 2));
    const picked = this.picked;
    let emptied = false;
    for (let q = 0; q < this.queue.length && launch.length < limit; q++) {
      const job = this.queue[q]!;
      if (!job.prefs) {
        // No preferences: the plain walk, tasks in index order while the next one fits.
        takeInOrder(job, rem, res, launch, limit);
        if (job.next === job.end) emptied = true;
        continue;
      }
      const before = launch.length;
      let allowed: number = Locality.NODE;
      while (launch.length < limit) {
        while (job.next < job.end && (tasks.state[job.next] !== PENDING_CODE || picked[job.next] === 1)) job.next++;
        if (job.next === job.end) break;
        // Highest locality code allowed: RACK after the node-local wait (or skips), REMOTE after both.
        if (this.bySkips) {
          allowed = job.skips >= this.nodeSkips + this.rackSkips ? Locality.REMOTE : job.skips >= this.nodeSkips ? Locality.RACK : Locality.NODE;
        } else {
          const waited = now - job.lastLocal;
          allowed = waited >= this.nodeWait + this.rackWait ? Locality.REMOTE : waited >= this.nodeWait ? Locality.RACK : Locality.NODE;
        }
        const task = pickTask(tasks, job, agent, allowed, rem, picked);
        if (task < 0) break;
        subInto(rem, 0, res, task * NUM_RESOURCES);
        launch.push(task);
        picked[task] = 1; // so later picks for this offer skip it
        if (tasks.localityOf(task, agent) === Locality.NODE) {
          job.lastLocal = now;
          job.skips = 0;
        }
      }
      // A skip (the paper's): the job launched nothing here only because of locality, i.e. some
      // pending task would have fitted had it been allowed to run remote.
      if (this.bySkips && launch.length === before && allowed !== Locality.REMOTE && job.next < job.end &&
        pickTask(tasks, job, agent, Locality.REMOTE, rem, picked) >= 0) job.skips++;
      while (job.next < job.end && (tasks.state[job.next] !== PENDING_CODE || picked[job.next] === 1)) job.next++;
      if (job.next === job.end) emptied = true;
    }
    for (const task of launch) picked[task] = 0;
    if (emptied) this.compact();
    this.pending -= launch.length;
    if (launch.length > 0) driver.accept(offer.id, launch, this.refuseSeconds);
    else driver.decline(offer.id, this.refuseSeconds);
  }

  private compact(): void {
    let w = 0;
    for (const job of this.queue) if (job.next < job.end) this.queue[w++] = job;
    this.queue.length = w;
  }
}

/**
 * The plain walk: launches `job`'s pending tasks in index order (onto `launch`, out of `rem`)
 * while the next one fits and fewer than `limit` are launched.
 */
function takeInOrder(job: QueuedJob, rem: Float64Array, res: Float64Array, launch: number[], limit: number): void {
  while (job.next < job.end && launch.length < limit) {
    const off = job.next * NUM_RESOURCES;
    if (!contains(rem, 0, res, off)) break;
    subInto(rem, 0, res, off);
    launch.push(job.next++);
  }
}

/** Preference rank of a locality for picking: node-local, no preference, rack-local, remote. */
const RANK = [1, 0, 2, 3] as const; // by Locality code: NONE 1, NODE 0, RACK 2, REMOTE 3

/**
 * The pending task of `job` to launch on `agent`: the best-ranked (see {@link RANK}) that fits in
 * `rem` and whose locality is at most `allowed` (NONE always is), lowest index first; -1 if none.
 */
function pickTask(tasks: TaskTable, job: QueuedJob, agent: number, allowed: number, rem: Float64Array, picked: Uint8Array): number {
  let best = -1;
  let bestRank = 4;
  for (let i = job.next; i < job.end; i++) {
    if (tasks.state[i] !== PENDING_CODE || picked[i] === 1) continue;
    const loc = tasks.localityOf(i, agent);
    if (loc > allowed) continue;
    const rank = RANK[loc as 0 | 1 | 2 | 3];
    if (rank >= bestRank) continue;
    if (!contains(rem, 0, tasks.res, i * NUM_RESOURCES)) continue;
    best = i;
    bestRank = rank;
    if (rank === 0) break;
  }
  return best;
}
