/**
 * The yarn fold: what the YARN records (sim/model/log.ts, logged by the yarn architecture only)
 * say of the ResourceManager: the share of the cluster's memory the ApplicationMasters' containers
 * hold, the time from a job's submission to its first task container, the time from the AM's
 * call that asked for a container to its allocation, the share of memory reserved, and each
 * queue's usage against its guarantee. A run without YARN records (offers, monolithic,
 * shared-state) leaves every figure undefined (NaN). Imports only the log's types, reports'
 * statistics and vocabulary.
 */
import type { ContainerLocality, ResTuple } from '../../sim/model/log.js';
import { stats, type Stats } from '../stats.js';
import { NR } from '../vocabulary.js';
import type { ClusterFold } from './cluster.js';
import { LogInvariantError } from './log-invariant.js';

/** Memory's index in a resource tuple. */
const MEM = 1;

/** The yarn fold's part of the summary; every field NaN (a Stats' n 0) in a run without YARN records. */
export interface YarnSummary {
  /** time-weighted mean of the memory held by AM containers over the cluster's memory, over the time the cluster has memory */
  readonly amShare: number;
  /** time-weighted mean of the memory reserved on nodes over the cluster's memory, over the same time */
  readonly reservedShare: number;
  /** per job with a task container: its first task container's allocation minus its submission (app_submitted), us */
  readonly firstContainer: Stats;
  /**
   * per task container matched to an ask: its allocation minus the AM call that asked for it, us
   * (asks queued per job and priority, first asked first served; see {@link YarnFold})
   */
  readonly askToAllocation: Stats;
}

/** The yarn fold's part of a framework's row. */
export interface YarnFrameworkRow {
  /** the leaf queue its applications went to (its first app_submitted); null without one */
  readonly queue: string | null;
  /**
   * time-weighted mean of its queue's usage against the queue's guarantee (the largest over
   * resources with a guarantee of used / guarantee) over the time the guarantee is above 0; NaN
   * without a queue or such time
   */
  readonly queueUsage: number;
}

/** The yarn fold's part of a job's row. */
export interface YarnJobRow {
  /** when its first task container was allocated, us; NaN if none (or not a YARN run) */
  readonly firstContainer: number;
}

interface Queue {
  readonly guarantee: Float64Array;
  readonly used: Float64Array;
  /** integral of used / guarantee (the largest ratio) over the time the guarantee is > 0, and that time */
  integral: number;
  time: number;
}

interface LiveContainer {
  readonly res: ResTuple;
  readonly queue: Queue;
  readonly am: boolean;
}

/**
 * The YARN records' state and integrals. Definitions (docs/metrics.md, YARN):
 * - a container holds its `res` from container_allocated to container_completed (the scheduler's
 *   accounting: an unbound container counts, a finished task's container counts until its node
 *   reports the end);
 * - ask to allocation: each asks_sent that raises a (job, priority)'s ANY total above the
 *   containers still outstanding there adds the difference as asks stamped with its time, one
 *   lowering it withdraws the newest; a task container allocated at that priority takes the
 *   oldest outstanding ask (the scheduler's count of outstanding containers is exactly the
 *   number of asks in the queue). A registration (am_registered) starts the job afresh. A task
 *   container with no outstanding ask (none in a log of the model) is left out;
 * - shares and usage are time-weighted over the state between records, as every mean.
 */
export class YarnFold {
  private readonly cluster: ClusterFold;
  /** whether any YARN record was seen */
  private seen = false;
  private amMem = 0;
  private readonly reserved = new Float64Array(NR);
  private memTime = 0;
  private amIntegral = 0;
  private reservedIntegral = 0;
  private readonly queues = new Map<string, Queue>();
  private readonly queueOfJob = new Map<number, Queue>();
  private readonly queueNameOfFramework = new Map<number, string>();
  private readonly submitOf = new Map<number, number>();
  private readonly firstOf = new Map<number, number>();
  private readonly live = new Map<number, LiveContainer>();
  /** per job, per priority: the outstanding asks' times, oldest first, from `head` */
  private readonly asks = new Map<number, Map<number, { stamps: number[]; head: number }>>();
  private latencies: number[] = [];

  constructor(cluster: ClusterFold) {
    this.cluster = cluster;
  }

  /** Adds `dt` us of the current state to the integrals. */
  integrate(dt: number): void {
    if (!this.seen) return;
    const mem = this.cluster.totalOf(MEM);
    if (mem > 0) {
      this.memTime += dt;
      this.amIntegral += (this.amMem / mem) * dt;
      this.reservedIntegral += (this.reserved[MEM]! / mem) * dt;
    }
    for (const q of this.queues.values()) {
      let ratio = -1;
      for (let r = 0; r < NR; r++) if (q.guarantee[r]! > 0) ratio = Math.max(ratio, q.used[r]! / q.guarantee[r]!);
      if (ratio >= 0) {
        q.integral += ratio * dt;
        q.time += dt;
      }
    }
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (q === undefined) this.queues.set(name, (q = { guarantee: new Float64Array(NR), used: new Float64Array(NR), integral: 0, time: 0 }));
    return q;
  }

  /** app_submitted: (checked) job `job` of framework `fw` went to `queue`. */
  appSubmitted(job: number, fw: number, queue: string, t: number, kind: string): void {
    this.seen = true;
    if (this.submitOf.has(job)) throw new LogInvariantError(`job ${job} submitted to a queue twice`, t, kind);
    this.queueOfJob.set(job, this.queue(queue));
    if (!this.queueNameOfFramework.has(fw)) this.queueNameOfFramework.set(fw, queue);
    this.submitOf.set(job, t);
  }

  /** am_registered: job `job` starts an attempt; its asks start from nothing. */
  amRegistered(job: number): void {
    this.seen = true;
    this.asks.delete(job);
  }

  /** asks_sent: job `job`'s ANY total at `priority` is now `n`. */
  asksSent(job: number, priority: number, n: number, t: number, kind: string): void {
    this.seen = true;
    if (!Number.isSafeInteger(n) || n < 0) throw new LogInvariantError(`bad ask total ${n}`, t, kind);
    let byPriority = this.asks.get(job);
    if (byPriority === undefined) this.asks.set(job, (byPriority = new Map()));
    let q = byPriority.get(priority);
    if (q === undefined) byPriority.set(priority, (q = { stamps: [], head: 0 }));
    const outstanding = q.stamps.length - q.head;
    for (let k = outstanding; k < n; k++) q.stamps.push(t);
    if (n < outstanding) q.stamps.length -= outstanding - n;
    if (q.head === q.stamps.length) {
      q.stamps.length = 0;
      q.head = 0;
    }
  }

  /** container_allocated. */
  allocated(id: number, job: number, priority: number, am: boolean, res: ResTuple, _locality: ContainerLocality, t: number, kind: string): void {
    this.seen = true;
    const queue = this.queueOfJob.get(job);
    if (queue === undefined) throw new LogInvariantError(`container ${id} of job ${job}, which was submitted to no queue`, t, kind);
    if (this.live.has(id)) throw new LogInvariantError(`container ${id} allocated twice`, t, kind);
    this.live.set(id, { res, queue, am });
    for (let r = 0; r < NR; r++) queue.used[r]! += res[r]!;
    if (am) {
      this.amMem += res[MEM]!;
      return;
    }
    if (!this.firstOf.has(job)) this.firstOf.set(job, t);
    const q = this.asks.get(job)?.get(priority);
    if (q !== undefined && q.head < q.stamps.length) {
      this.latencies.push(t - q.stamps[q.head++]!);
      if (q.head === q.stamps.length) {
        q.stamps.length = 0;
        q.head = 0;
      }
    }
  }

  /** container_completed. */
  completed(id: number, t: number, kind: string): void {
    this.seen = true;
    const c = this.live.get(id);
    if (c === undefined) throw new LogInvariantError(`container ${id} completed while not allocated`, t, kind);
    this.live.delete(id);
    for (let r = 0; r < NR; r++) c.queue.used[r]! -= c.res[r]!;
    if (c.am) this.amMem -= c.res[MEM]!;
  }

  /** reserved: the cluster's reserved resources are now `res`. */
  reservedNow(res: ResTuple): void {
    this.seen = true;
    for (let r = 0; r < NR; r++) this.reserved[r] = res[r]!;
  }

  /** queue_guarantee. */
  guarantee(queue: string, res: ResTuple): void {
    this.seen = true;
    const q = this.queue(queue);
    for (let r = 0; r < NR; r++) q.guarantee[r] = res[r]!;
  }

  /** The yarn fold's part of job `job`'s row. */
  jobRow(job: number): YarnJobRow {
    return { firstContainer: this.firstOf.get(job) ?? NaN };
  }

  /** The yarn fold's part of framework `f`'s row. */
  frameworkRow(f: number): YarnFrameworkRow {
    const name = this.queueNameOfFramework.get(f);
    const q = name === undefined ? undefined : this.queues.get(name)!;
    return { queue: name ?? null, queueUsage: q !== undefined && q.time > 0 ? q.integral / q.time : NaN };
  }

  /** The yarn fold's part of the summary. */
  summary(): YarnSummary {
    const firsts: number[] = [];
    for (const [job, t] of [...this.firstOf.entries()].sort((a, b) => a[0] - b[0])) firsts.push(t - this.submitOf.get(job)!);
    const on = this.seen && this.memTime > 0;
    return {
      amShare: on ? this.amIntegral / this.memTime : NaN,
      reservedShare: on ? this.reservedIntegral / this.memTime : NaN,
      firstContainer: stats(firsts),
      askToAllocation: stats(this.latencies),
    };
  }
}
