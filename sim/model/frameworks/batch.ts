/**
 * The batch framework (elastic, Hadoop/Spark-like): jobs of independent tasks, served first in,
 * first out among its own jobs, launching as many pending tasks as fit in each offer, with optional
 * delay scheduling for data locality. Imports model modules and the kernel's time only.
 */
import { MICROS_PER_SECOND, type SimTime } from '../../kernel/time.js';
import { DEFAULT_REFUSE_SECONDS, type DecisionTime, type FrameworkBehaviour, type OptionDefaults, type OfferView, type SchedulerDriver } from '../framework.js';
import { DECISION_DEFAULTS, DecisionRounds, type DecisionOptions } from './decision-rounds.js';
import { Locality, PENDING_CODE, TaskCode, type TaskTable } from '../job.js';
import { contains, copyInto, equals, NUM_RESOURCES, subInto } from '../resources.js';

/**
 * When delay scheduling's skip count goes back to 0: `node-local`, on a node-local launch only
 * (Zaharia et al. 2010, Algorithm 1); `every-launch`, on any launch (what the locality analysis of
 * their section 3.5 assumes: every task gets D fresh skips).
 */
export const SKIP_RESETS = ['node-local', 'every-launch'] as const;
/** One of {@link SKIP_RESETS}. */
export type SkipReset = (typeof SKIP_RESETS)[number];

/** Options of the batch behaviour, as given in the scenario; each default is in {@link BATCH_DEFAULTS}. */
export interface BatchOptions extends DecisionOptions {
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number | undefined;
  /** most tasks launched from one offer; default 0 = no limit */
  readonly maxTasksPerOffer?: number | undefined;
  /**
   * delay scheduling (Zaharia et al. 2010): seconds a job with preferred-location tasks waits,
   * since its last node-local launch, before it may launch rack-local; default 0
   */
  readonly nodeLocalWait?: number | undefined;
  /** further seconds before it may launch anywhere (remote); default 0 */
  readonly rackLocalWait?: number | undefined;
  /**
   * delay scheduling counted in skips instead of seconds (the paper's D): offers a job with
   * preferred-location tasks passes over, since its skip count was last reset (see
   * `resetSkipsOn`), before it may launch rack-local; default 0. Not together with the waits.
   */
  readonly nodeLocalSkips?: number | undefined;
  /** further skips before it may launch anywhere (remote); default 0 */
  readonly rackLocalSkips?: number | undefined;
  /**
   * which launches reset the skip count (see {@link SKIP_RESETS}); default 'node-local' (the
   * paper's Algorithm 1). Skips only: not with the waits in seconds.
   */
  readonly resetSkipsOn?: SkipReset | undefined;
  /**
   * pick node-local tasks first even without waiting (all waits and skips 0): Hadoop's scheduler
   * without delay scheduling, the paper's D = 0; default false (tasks in index order)
   */
  readonly preferLocal?: boolean | undefined;
  /** run-time factor of tasks with preferences launched not node-local; default 1 */
  readonly remoteSlowdown?: number | undefined;
}

/** The default of every batch option. */
export const BATCH_DEFAULTS: OptionDefaults<BatchOptions> = {
  refuseSeconds: DEFAULT_REFUSE_SECONDS,
  maxTasksPerOffer: 0,
  nodeLocalWait: 0,
  rackLocalWait: 0,
  nodeLocalSkips: 0,
  rackLocalSkips: 0,
  resetSkipsOn: 'node-local',
  preferLocal: false,
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
  /** delay scheduling in skips: offers skipped since the count was last reset (resetSkipsOn) */
  skips: number;
  /** delay scheduling: the job's tasks indexed by locality, built at its first pick */
  index?: LocalityIndex;
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
  /** skips: every launch resets the count, not only a node-local one */
  private readonly resetOnEveryLaunch: boolean;
  /** delay scheduling on: some wait or skip count > 0 (else the plain FIFO walk, exactly as without it) */
  private readonly delay: boolean;
  readonly remoteSlowdown: number;
  /** scratch: 1 for tasks picked for the offer being answered (all 0 between offers) */
  private picked = new Uint8Array(0);
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
    this.nodeWait = Math.round((options.nodeLocalWait ?? BATCH_DEFAULTS.nodeLocalWait) * MICROS_PER_SECOND);
    this.rackWait = Math.round((options.rackLocalWait ?? BATCH_DEFAULTS.rackLocalWait) * MICROS_PER_SECOND);
    this.nodeSkips = options.nodeLocalSkips ?? BATCH_DEFAULTS.nodeLocalSkips;
    this.rackSkips = options.rackLocalSkips ?? BATCH_DEFAULTS.rackLocalSkips;
    for (const [k, v] of [['nodeLocalSkips', this.nodeSkips], ['rackLocalSkips', this.rackSkips]] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer`);
    }
    this.bySkips = this.nodeSkips > 0 || this.rackSkips > 0;
    if (this.bySkips && (this.nodeWait > 0 || this.rackWait > 0)) {
      throw new RangeError('delay scheduling takes waits in seconds or in skips, not both');
    }
    const reset = options.resetSkipsOn ?? BATCH_DEFAULTS.resetSkipsOn;
    if (!SKIP_RESETS.includes(reset)) throw new RangeError(`resetSkipsOn must be one of ${SKIP_RESETS.join(', ')}`);
    if (options.resetSkipsOn !== undefined && (this.nodeWait > 0 || this.rackWait > 0)) {
      throw new RangeError('resetSkipsOn applies to skips, not to waits in seconds');
    }
    this.resetOnEveryLaunch = reset === 'every-launch';
    this.delay = this.nodeWait > 0 || this.rackWait > 0 || this.bySkips || (options.preferLocal ?? BATCH_DEFAULTS.preferLocal);
    this.remoteSlowdown = options.remoteSlowdown ?? BATCH_DEFAULTS.remoteSlowdown;
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

  /** Nothing to launch yet: it subscribes suppressed, and revives when its first job arrives. */
  onSubscribed(driver: SchedulerDriver): void {
    this.suppressIfIdle(driver);
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
    if (this.rounds.slow) {
      for (const view of offers) this.held.push({ view, round: this.rounds.next, at: driver.now });
      if (!this.rounds.busy) this.startRound(driver);
      return;
    }
    for (const offer of offers) this.answer(offer, driver);
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
   * gets the plain walk. Picks come from the job's {@link LocalityIndex}, not a scan of its pending
   * tasks: a job nothing of which fits, or with nothing it may launch on the offered agent at the
   * node-local level, is passed over in O(1) (O(shapes) for jobs of many task shapes), and a
   * rack-local pick looks at the rack's tasks only. So is the skip test below (whether any
   * pending task fits at all): one fit test per task shape.
   *
   * With `nodeLocalSkips`/`rackLocalSkips` the levels count skips instead of seconds (Zaharia et
   * al. 2010, Algorithm 1's D): a job skips an offer when it launches nothing on it only because
   * of locality (a pending task would fit if it could run remote); a node-local launch resets the
   * count to 0, and with `resetSkipsOn: 'every-launch'` any launch does (the level then goes back
   * to node-local for the rest of the offer too).
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
        const task = pickIndexed(tasks, job, agent, allowed, rem, picked);
        if (task < 0) break;
        subInto(rem, 0, res, task * NUM_RESOURCES);
        launch.push(task);
        picked[task] = 1; // so later picks for this offer skip it
        if (tasks.localityOf(task, agent) === Locality.NODE) {
          job.lastLocal = now;
          job.skips = 0;
        } else if (this.resetOnEveryLaunch) job.skips = 0;
      }
      // A skip (the paper's): the job launched nothing here only because of locality, i.e. some
      // pending task would have fitted had it been allowed to run remote.
      if (this.bySkips && launch.length === before && allowed !== Locality.REMOTE && job.next < job.end &&
        pickIndexed(tasks, job, agent, Locality.REMOTE, rem, picked) >= 0) job.skips++;
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

/** A job as {@link pickIndexed} sees it: its pending range and its index (built on first use). */
export interface IndexedJob {
  /** the first task that may still be pending: tasks before it are never picked */
  readonly next: number;
  /** one past the job's last task */
  readonly end: number;
  index?: LocalityIndex;
}

/**
 * The pending task of `job` to launch on `agent`: among the tasks from `job.next` on that are
 * pending, not `picked` for this offer, fit in `rem` and whose locality there is at most `allowed`
 * (NONE always is), the best ranked (node-local, then no preference, then rack-local, then remote),
 * lowest index first within a rank; -1 if none. This is the straightforward scan of the job's
 * pending tasks (by {@link TaskTable.localityOf}) answered from the job's {@link LocalityIndex}.
 */
export function pickIndexed(tasks: TaskTable, job: IndexedJob, agent: number, allowed: number, rem: Float64Array, picked: Uint8Array): number {
  let index = job.index;
  if (index === undefined) job.index = index = new LocalityIndex(tasks, job.next, job.end);
  return index.pick(tasks, job.next, agent, allowed, rem, picked);
}

/**
 * Tasks of one job in ascending index order, grouped by resource vector (shape), so that "the
 * first eligible task that fits" costs O(groups) fit checks rather than one per task: tasks of one
 * shape fit or not together. A task is eligible when it is at or after the job's `next`, pending
 * and not picked for the offer being answered. Tasks only ever stop being eligible for good
 * (`next` only grows, a task never becomes pending again), so each group keeps a head before
 * which all its tasks are known ineligible: entries are never deleted, only passed over once.
 * Picked tasks are passed over per query (picks are few per offer).
 */
class TaskSet {
  /** per group: a task of the group's shape (its resources decide fit for all) */
  private readonly reps: number[] = [];
  /** per group: the shape id (see LocalityIndex.shapeOf) */
  private readonly shapes: number[] = [];
  /** per group: its tasks, ascending */
  private readonly lists: number[][] = [];
  /** per group: entries before it are ineligible for good */
  private readonly heads: number[] = [];
  /** shape id -> group, once there are many groups (building only) */
  private byShape: Map<number, number> | undefined;
  /** the task added last (adds are in ascending task order) */
  last = -1;

  add(task: number, shape: number): void {
    this.last = task;
    let g = -1;
    if (this.byShape !== undefined) g = this.byShape.get(shape) ?? -1;
    else for (let k = this.shapes.length - 1; k >= 0; k--) if (this.shapes[k] === shape) { g = k; break; }
    if (g < 0) {
      g = this.shapes.length;
      this.reps.push(task);
      this.shapes.push(shape);
      this.lists.push([]);
      this.heads.push(0);
      if (this.byShape !== undefined) this.byShape.set(shape, g);
      else if (g >= 8) this.byShape = new Map(this.shapes.map((s, k) => [s, k]));
    }
    this.lists[g]!.push(task);
  }

  /**
   * False when no task of the set fits in `rem`, looking at most `most` shapes (true beyond:
   * a cheap test, exact only when false). Shapes whose tasks are all known ineligible are left
   * out.
   */
  mayFit(res: Float64Array, rem: Float64Array, most: number): boolean {
    const n = this.lists.length;
    if (n > most) return true;
    for (let g = 0; g < n; g++) {
      if (this.heads[g]! < this.lists[g]!.length && contains(rem, 0, res, this.reps[g]! * NUM_RESOURCES)) return true;
    }
    return false;
  }

  /** The lowest eligible task that fits in `rem`; -1 if none. */
  first(tasks: TaskTable, next: number, rem: Float64Array, picked: Uint8Array): number {
    const state = tasks.state;
    const res = tasks.res;
    let best = -1;
    for (let g = 0; g < this.lists.length; g++) {
      const list = this.lists[g]!;
      let h = this.heads[g]!;
      while (h < list.length && (list[h]! < next || state[list[h]!] !== PENDING_CODE)) h++;
      this.heads[g] = h;
      if (h === list.length || (best >= 0 && list[h]! > best)) continue;
      if (!contains(rem, 0, res, this.reps[g]! * NUM_RESOURCES)) continue;
      for (let k = h; k < list.length; k++) {
        const i = list[k]!;
        if (best >= 0 && i > best) break;
        if (state[i] === PENDING_CODE && picked[i] !== 1) {
          best = i;
          break;
        }
      }
    }
    return best;
  }
}

/**
 * Delay scheduling's index of one job's tasks (from its `next` when built to its end) by where
 * they are local, so that picking a task for an offer looks only at the tasks that could be
 * picked there: the tasks preferring the offered agent (node-local), the tasks without
 * preferences, then (when the job's level allows) those rack-local in the agent's rack, then
 * (remote) all, each a {@link TaskSet}. First, a fit test per task shape (jobs of up to 4
 * shapes) drops jobs nothing of which fits, the common case (an offer of a busy agent's rest). A
 * job with no pending task preferring the offered agent and none without preferences, at the
 * node-local level, then costs a map look, not a scan.
 *
 * It agrees with {@link TaskTable.localityOf} at all times: node-local sets are keyed by agent
 * name id (as preferences are: agents registering after the job, or never, need nothing), the
 * offered agent's name id and rack come from the table; rack-local sets (preferred racks, and the
 * racks of preferred agents as registered now) are rebuilt when {@link TaskTable.rackEpoch} says
 * a preferred agent got a rack since they were built. Agents failing change no locality.
 *
 * Cost: the node-local and rack-local sets are small for spread-out preferences; the sets of
 * tasks without preferences and of all tasks are grouped by resource vector, so a query costs
 * one fit check per distinct task shape in the job (one for uniform jobs), plus the tasks passed
 * over: for good (no longer pending) once, or picked for this offer. Jobs whose tasks all differ
 * in resources fall back to O(pending) per query, like the straightforward scan. Building is
 * O(tasks x preferred agents) once per job, and the rack-local sets again after each rack epoch
 * change that a rack-level pick sees (agents named in preferences registering late).
 */
export class LocalityIndex {
  /** node-local: agent name id -> the tasks preferring it */
  private readonly node = new Map<number, TaskSet>();
  /** tasks without preferences (NONE everywhere), if any */
  private readonly none: TaskSet | undefined;
  /** every task (the remote level) */
  private readonly all = new TaskSet();
  /** rack id -> tasks preferring the rack or an agent registered in it, as of `epoch` */
  private racks = new Map<number, TaskSet>();
  /** the TaskTable.rackEpoch `racks` was built at (-1: not yet) */
  private epoch = -1;
  /** shape id of each task (by task - from) */
  private readonly shapeOf: Int32Array;

  constructor(tasks: TaskTable, private readonly from: number, private readonly end: number) {
    const res = tasks.res;
    this.shapeOf = new Int32Array(Math.max(0, end - from));
    const shapes = new Map<string, number>();
    let none: TaskSet | undefined;
    for (let i = from; i < end; i++) {
      const off = i * NUM_RESOURCES;
      let shape: number;
      if (i > from && equals(res, off, res, off - NUM_RESOURCES)) shape = this.shapeOf[i - 1 - from]!;
      else {
        let key = '';
        for (let r = 0; r < NUM_RESOURCES; r++) key += `${res[off + r]!},`;
        shape = shapes.get(key) ?? shapes.size;
        if (shape === shapes.size) shapes.set(key, shape);
      }
      this.shapeOf[i - from] = shape;
      this.all.add(i, shape);
      const p = tasks.prefs[i];
      if (p === undefined) {
        (none ??= new TaskSet()).add(i, shape);
        continue;
      }
      for (let k = 0; k < p.agents.length; k++) {
        const id = p.agents[k]!;
        let set = this.node.get(id);
        if (set === undefined) this.node.set(id, set = new TaskSet());
        if (set.last !== i) set.add(i, shape);
      }
    }
    this.none = none;
  }

  /** {@link pickIndexed} for a job whose next pending task is `next`. */
  pick(tasks: TaskTable, next: number, agent: number, allowed: number, rem: Float64Array, picked: Uint8Array): number {
    // Best rank first: the first set with an eligible task that fits has the answer, since every
    // eligible task of a better rank is in an earlier set (and was not there).
    // Most offers (to a busy agent, or one left with little) fit no task of a job at all: one fit
    // test per shape says so, for jobs of few shapes (most: map and reduce tasks alike).
    if (!this.all.mayFit(tasks.res, rem, 4)) return -1;
    const id = tasks.agentNameId(agent);
    if (allowed >= Locality.NODE && id >= 0) {
      const set = this.node.get(id);
      if (set !== undefined) {
        const i = set.first(tasks, next, rem, picked);
        if (i >= 0) return i;
      }
    }
    if (this.none !== undefined) {
      const i = this.none.first(tasks, next, rem, picked);
      if (i >= 0) return i;
    }
    if (allowed < Locality.RACK) return -1;
    // The rack set holds the rack-local tasks and maybe node-local ones: none of those is eligible
    // and fits (else the node-local set had one), so its first is the best rack-local task.
    const rack = tasks.agentRack(id);
    if (rack >= 0) {
      const set = this.rackSets(tasks).get(rack);
      if (set !== undefined) {
        const i = set.first(tasks, next, rem, picked);
        if (i >= 0) return i;
      }
    }
    if (allowed < Locality.REMOTE) return -1;
    // Whatever eligible task fits now is remote here (all better ones were looked for above).
    return this.all.first(tasks, next, rem, picked);
  }

  private rackSets(tasks: TaskTable): Map<number, TaskSet> {
    if (this.epoch === tasks.rackEpoch) return this.racks;
    const racks = new Map<number, TaskSet>();
    const add = (rack: number, i: number): void => {
      let set = racks.get(rack);
      if (set === undefined) racks.set(rack, set = new TaskSet());
      if (set.last !== i) set.add(i, this.shapeOf[i - this.from]!);
    };
    for (let i = this.from; i < this.end; i++) {
      const p = tasks.prefs[i];
      if (p === undefined) continue;
      for (let k = 0; k < p.racks.length; k++) add(p.racks[k]!, i);
      for (let k = 0; k < p.agents.length; k++) {
        const rack = tasks.agentRack(p.agents[k]!);
        if (rack >= 0) add(rack, i);
      }
    }
    this.racks = racks;
    this.epoch = tasks.rackEpoch;
    return racks;
  }
}
