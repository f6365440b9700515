/**
 * The batch framework (elastic, Hadoop/Spark-like): jobs of independent tasks, served first in,
 * first out among its own jobs, launching as many pending tasks as fit in each offer.
 * Imports model types only.
 */
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from '../framework.js';
import { contains, copyInto, NUM_RESOURCES, subInto } from '../resources.js';

/** Options of the batch behaviour, as given in the scenario. */
export interface BatchOptions {
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number;
  /** most tasks launched from one offer; default 0 = no limit */
  readonly maxTasksPerOffer?: number;
}

interface QueuedJob {
  readonly job: number;
  /** next pending task index */
  next: number;
  /** one past the job's last task */
  readonly end: number;
}

/**
 * Jobs wait in submit order. For each offer, the scheduler walks the jobs in that order and,
 * within a job, launches tasks in index order while the next one fits in what is left of the
 * offer; a job whose next task does not fit is passed over for this offer (no head-of-line
 * blocking across jobs). It suppresses when nothing is pending and revives when a job arrives.
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

  constructor(options: BatchOptions = {}) {
    this.refuseSeconds = options.refuseSeconds ?? 5;
    this.maxPerOffer = options.maxTasksPerOffer ?? 0;
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

  onJobSubmitted(job: number, driver: SchedulerDriver): void {
    this.tasksRes = driver.tasks.res;
    const first = driver.tasks.firstTask[job]!;
    const n = driver.tasks.taskCount[job]!;
    this.queue.push({ job, next: first, end: first + n });
    this.pending += n;
    if (this.suppressed) {
      this.suppressed = false;
      driver.revive();
    }
  }

  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void {
    for (const offer of offers) this.answer(offer, driver);
    if (this.pending === 0 && !this.suppressed) {
      this.suppressed = true;
      driver.suppress();
    }
  }

  onOfferRescinded(): void {
    // Offers are answered as soon as they arrive, so none is ever outstanding here.
  }

  onTaskEnded(): void {
    // Batch tasks that end are done; rerunning failed or lost tasks comes with the failure model.
  }

  private answer(offer: OfferView, driver: SchedulerDriver): void {
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
      while (job.next < job.end && launch.length < limit) {
        const off = job.next * NUM_RESOURCES;
        if (!contains(rem, 0, res, off)) break;
        subInto(rem, 0, res, off);
        launch.push(job.next++);
      }
      if (job.next === job.end) emptied = true;
    }
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
