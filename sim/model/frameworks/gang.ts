/**
 * The gang framework (rigid, MPI-like): a job starts only when every one of its tasks can start at
 * the same instant. It either declines offers that cannot carry the whole job, or holds them
 * (hoarding) until the held offers together can. Imports model types and the kernel time unit only.
 */
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from '../framework.js';
import { MICROS_PER_SECOND } from '../../kernel/time.js';
import { contains, copyInto, NUM_RESOURCES, subInto } from '../resources.js';

/** Options of the gang behaviour, as given in the scenario. */
export interface GangOptions {
  /** hold offers while gathering enough for the head job (true) or decline them (false); default false */
  readonly hoard?: boolean;
  /**
   * with hoarding: release (decline) every held offer once the oldest has been held this long,
   * seconds, checked whenever offers arrive; default 0 = hold without limit (the master's
   * `offerTimeout` is the hard bound: it rescinds held offers on its own timer)
   */
  readonly maxHoldSeconds?: number;
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number;
}

/** An offer the scheduler is looking at or holding: its own copy, since the master reuses views. */
interface Held {
  readonly id: number;
  readonly agent: number;
  /** what is left of the offer after the tasks assigned to it so far (fixed point) */
  readonly left: Float64Array;
  /** the offer's resources */
  readonly res: Float64Array;
  /** tasks assigned to it in the current placement */
  readonly tasks: number[];
  /** when it arrived, us */
  readonly since: number;
}

interface QueuedJob {
  readonly first: number;
  readonly end: number;
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
 * First fit can miss a packing that exists; tasks of one job are usually identical, where it cannot.
 */
export class GangFramework implements FrameworkBehaviour {
  readonly kind = 'gang';
  private readonly hoard: boolean;
  private readonly maxHold: number;
  private readonly refuseSeconds: number;
  private readonly queue: QueuedJob[] = [];
  private pending = 0;
  private suppressed = false;
  /** offers held (hoarding) or being answered (one delivery), in arrival order */
  private held: Held[] = [];

  constructor(options: GangOptions = {}) {
    this.hoard = options.hoard ?? false;
    this.maxHold = Math.round((options.maxHoldSeconds ?? 0) * MICROS_PER_SECOND);
    this.refuseSeconds = options.refuseSeconds ?? 5;
  }

  pendingTasks(): number {
    return this.pending;
  }

  /** Offers held right now (hoarding), for tests and reports. */
  heldOffers(): number {
    return this.held.length;
  }

  onJobSubmitted(job: number, driver: SchedulerDriver): void {
    const first = driver.tasks.firstTask[job]!;
    const n = driver.tasks.taskCount[job]!;
    if (n === 0) return;
    this.queue.push({ first, end: first + n });
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
        id: o.id, agent: o.agent, left: Float64Array.from(o.res), res: Float64Array.from(o.res), tasks: [], since: now,
      });
    }
    this.place(driver);
    if (this.hoard && this.pending > 0) this.consolidate(driver);
    if (this.hoard && this.pending > 0 && this.maxHold > 0 && this.held.length > 0 && now - this.held[0]!.since >= this.maxHold) {
      this.releaseAll(driver);
    }
    if (!this.hoard || this.pending === 0) this.releaseAll(driver);
    if (this.pending === 0 && !this.suppressed) {
      this.suppressed = true;
      driver.suppress();
    }
  }

  onOfferRescinded(offer: number): void {
    // Only a held offer can be rescinded (offer timeout): forget it.
    const i = this.held.findIndex((h) => h.id === offer);
    if (i >= 0) this.held.splice(i, 1);
  }

  onTaskEnded(): void {
    // Gang tasks that end are done; restarting a gang after a failure comes with the failure model.
  }

  /** Starts jobs from the head of the queue while the offers at hand fit all of a job's tasks. */
  private place(driver: SchedulerDriver): void {
    const res = driver.tasks.res;
    let launched = false;
    while (this.queue.length > 0) {
      const job = this.queue[0]!;
      let ok = true;
      for (let t = job.first; t < job.end && ok; t++) {
        const off = t * NUM_RESOURCES;
        ok = false;
        for (const h of this.held) {
          if (contains(h.left, 0, res, off)) {
            subInto(h.left, 0, res, off);
            h.tasks.push(t);
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
          for (const t of h.tasks) subInto(h.left, 0, res, t * NUM_RESOURCES);
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
