/**
 * Delay scheduling (Zaharia et al. 2010) for the batch behaviour: its options, the locality level a
 * job may launch at (by seconds waited or offers skipped), and the walk that fills one offer from the
 * job queue with the best-placed tasks, picked from each job's LocalityIndex. Imports model modules only.
 */
import type { OptionDefaults } from '../framework.js';
import { Locality, type TaskTable } from '../job.js';
import { MICROS_PER_SECOND } from '../../kernel/time.js';
import type { AgentIx, TaskIx } from '../ids.js';
import { pickIndexed, type LocalityIndex } from './locality-index.js';

/**
 * When delay scheduling's skip count goes back to 0: `node-local`, on a node-local launch only
 * (Zaharia et al. 2010, Algorithm 1); `every-launch`, on any launch (what the locality analysis of
 * their section 3.5 assumes: every task gets D fresh skips).
 */
export const SKIP_RESETS = ['node-local', 'every-launch'] as const;
/** One of {@link SKIP_RESETS}. */
export type SkipReset = (typeof SKIP_RESETS)[number];

/** The delay-scheduling options of the batch behaviour; each default is in {@link DELAY_DEFAULTS}. */
export interface DelayOptions {
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
}

/** The default of every delay-scheduling option: none (tasks in index order, whatever their locality). */
export const DELAY_DEFAULTS: OptionDefaults<DelayOptions> = {
  nodeLocalWait: 0,
  rackLocalWait: 0,
  nodeLocalSkips: 0,
  rackLocalSkips: 0,
  resetSkipsOn: 'node-local',
  preferLocal: false,
};

/** A queued job as delay scheduling sees and updates it. */
export interface DelayJob {
  /** next pending task index */
  next: number;
  /** one past the job's last task */
  readonly end: number;
  /** time of the job's last node-local launch (its submit time before any), us */
  lastLocal: number;
  /** some task of the job has preferred locations (else delay scheduling leaves it alone) */
  readonly prefs: boolean;
  /** delay scheduling in skips: offers skipped since the count was last reset (resetSkipsOn) */
  skips: number;
  /** the job's tasks indexed by locality, built at its first pick */
  index?: LocalityIndex;
}

/**
 * The plain walk: launches `job`'s pending tasks in index order (onto `launch`, out of `rem`)
 * while the next one fits and fewer than `limit` are launched.
 */
export function takeInOrder(job: { next: number; readonly end: number }, rem: Float64Array, tasks: TaskTable, launch: TaskIx[], limit: number): void {
  while (job.next < job.end && launch.length < limit) {
    if (!tasks.fits(job.next, rem)) break;
    tasks.takeFrom(rem, job.next);
    launch.push(job.next++ as TaskIx);
  }
}

/** One batch framework's delay scheduling: its levels and its scratch space. */
export class DelayScheduling {
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
  /** delay scheduling on: some wait or skip count > 0, or preferLocal (else the plain FIFO walk, exactly as without it) */
  readonly on: boolean;
  /** scratch: 1 for tasks of the job in hand picked for the offer being answered, by task - the job's next when it began (all 0 between jobs) */
  private picked = new Uint8Array(0);

  /** Throws RangeError for skips that are not non-negative integers, or waits and skips together. */
  constructor(options: DelayOptions) {
    this.nodeWait = Math.round((options.nodeLocalWait ?? DELAY_DEFAULTS.nodeLocalWait) * MICROS_PER_SECOND);
    this.rackWait = Math.round((options.rackLocalWait ?? DELAY_DEFAULTS.rackLocalWait) * MICROS_PER_SECOND);
    this.nodeSkips = options.nodeLocalSkips ?? DELAY_DEFAULTS.nodeLocalSkips;
    this.rackSkips = options.rackLocalSkips ?? DELAY_DEFAULTS.rackLocalSkips;
    for (const [k, v] of [
      ['nodeLocalSkips', this.nodeSkips],
      ['rackLocalSkips', this.rackSkips],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer`);
    }
    this.bySkips = this.nodeSkips > 0 || this.rackSkips > 0;
    if (this.bySkips && (this.nodeWait > 0 || this.rackWait > 0)) {
      throw new RangeError('delay scheduling takes waits in seconds or in skips, not both');
    }
    const reset = options.resetSkipsOn ?? DELAY_DEFAULTS.resetSkipsOn;
    if (!SKIP_RESETS.includes(reset)) throw new RangeError(`resetSkipsOn must be one of ${SKIP_RESETS.join(', ')}`);
    if (options.resetSkipsOn !== undefined && (this.nodeWait > 0 || this.rackWait > 0)) {
      throw new RangeError('resetSkipsOn applies to skips, not to waits in seconds');
    }
    this.resetOnEveryLaunch = reset === 'every-launch';
    this.on = this.nodeWait > 0 || this.rackWait > 0 || this.bySkips || (options.preferLocal ?? DELAY_DEFAULTS.preferLocal);
  }

  /**
   * Fills an offer of `agent` at `now` (what is left of it in `rem`) with tasks from `queue` onto
   * `launch`, at most `limit`; returns whether some job has no pending task left (compact the queue).
   *
   * Jobs in submit order; within a job, repeatedly the best pending task that fits and that the
   * job's locality level allows: node-local first, then tasks without
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
  fill(queue: readonly DelayJob[], tasks: TaskTable, agent: AgentIx, now: number, rem: Float64Array, launch: TaskIx[], limit: number): boolean {
    let emptied = false;
    for (let q = 0; q < queue.length && launch.length < limit; q++) {
      const job = queue[q]!;
      if (!job.prefs) {
        // No preferences: the plain walk, tasks in index order while the next one fits.
        takeInOrder(job, rem, tasks, launch, limit);
        if (job.next === job.end) emptied = true;
        continue;
      }
      // Picks for this offer by task - from: only this job's tasks from its next on can be picked.
      const from = job.next;
      if (this.picked.length < job.end - from) this.picked = new Uint8Array(Math.max(job.end - from, this.picked.length * 2));
      const picked = this.picked;
      const before = launch.length;
      let allowed: number = Locality.NODE;
      while (launch.length < limit) {
        while (job.next < job.end && (!tasks.isPending(job.next) || picked[job.next - from] === 1)) job.next++;
        if (job.next === job.end) break;
        // Highest locality code allowed: RACK after the node-local wait (or skips), REMOTE after both.
        if (this.bySkips) {
          allowed = job.skips >= this.nodeSkips + this.rackSkips ? Locality.REMOTE : job.skips >= this.nodeSkips ? Locality.RACK : Locality.NODE;
        } else {
          const waited = now - job.lastLocal;
          allowed = waited >= this.nodeWait + this.rackWait ? Locality.REMOTE : waited >= this.nodeWait ? Locality.RACK : Locality.NODE;
        }
        const task = pickIndexed(tasks, job, agent, allowed, rem, picked, from);
        if (task < 0) break;
        tasks.takeFrom(rem, task);
        launch.push(task as TaskIx);
        picked[task - from] = 1; // so later picks for this offer skip it
        if (tasks.localityOf(task, agent) === Locality.NODE) {
          job.lastLocal = now;
          job.skips = 0;
        } else if (this.resetOnEveryLaunch) job.skips = 0;
      }
      // A skip (the paper's): the job launched nothing here only because of locality, i.e. some
      // pending task would have fitted had it been allowed to run remote.
      if (
        this.bySkips &&
        launch.length === before &&
        allowed !== Locality.REMOTE &&
        job.next < job.end &&
        pickIndexed(tasks, job, agent, Locality.REMOTE, rem, picked, from) >= 0
      )
        job.skips++;
      while (job.next < job.end && (!tasks.isPending(job.next) || picked[job.next - from] === 1)) job.next++;
      for (let k = before; k < launch.length; k++) picked[launch[k]! - from] = 0;
      if (job.next === job.end) emptied = true;
    }
    return emptied;
  }
}
