/**
 * The service framework (long-running, Marathon/Aurora-like): tasks that do not end, kept at their
 * count, with placement constraints (at most `maxPerAgent` per agent, spread over racks).
 * Imports model types only.
 */
import {
  DEFAULT_REFUSE_SECONDS,
  OfferOperationType,
  type FrameworkBehaviour,
  type OfferOperation,
  type OfferView,
  type OptionDefaults,
  type SchedulerDriver,
} from '../framework.js';
import { addInto, isEmpty, NUM_RESOURCES, subInto } from '../resources.js';
import type { JobIx, TaskIx } from '../ids.js';
import { TaskCode } from '../job.js';
import { DECISION_DEFAULTS, DecisionRounds, type DecisionOptions } from './decision-rounds.js';

/** Options of the service behaviour, as given in the scenario; each default is in {@link SERVICE_DEFAULTS}. */
export interface ServiceOptions extends Omit<DecisionOptions, 'maxAttempts'> {
  /** most instances on one agent; default 1 */
  readonly maxPerAgent?: number | undefined;
  /** place each instance on the offered rack with the fewest instances; default true */
  readonly spreadRacks?: boolean | undefined;
  /** refuse seconds on declines and on the unused rest of accepts; default 5 (the Mesos default) */
  readonly refuseSeconds?: number | undefined;
  /** reserve, for the framework's role, what each instance launches on (RESERVE in its accept); default false */
  readonly reserve?: boolean | undefined;
  /**
   * when the service gives reservations back: 'never' (Mesos keeps a reservation until someone
   * unreserves it) or 'unused' (the reserved part of an offer that its launches leave unused is
   * unreserved in the answer, within what this service reserved on that agent); default 'never'
   */
  readonly unreserve?: ServiceUnreserve | undefined;
}

/** The service's unreserve policies (see {@link ServiceOptions.unreserve}). */
export const SERVICE_UNRESERVE = ['never', 'unused'] as const;
/** One of {@link SERVICE_UNRESERVE}. */
export type ServiceUnreserve = (typeof SERVICE_UNRESERVE)[number];

/** The default of every service option. */
export const SERVICE_DEFAULTS: OptionDefaults<ServiceOptions> = {
  maxPerAgent: 1,
  spreadRacks: true,
  refuseSeconds: DEFAULT_REFUSE_SECONDS,
  reserve: false,
  unreserve: 'never',
  decisionJob: DECISION_DEFAULTS.decisionJob,
  decisionTask: DECISION_DEFAULTS.decisionTask,
};

/** An offer held while the scheduler decides (decision time). */
interface HeldOffer {
  readonly view: OfferView;
  /** when it arrived, us: a decision only uses offers it could see when it began */
  readonly at: number;
}

interface Candidate {
  readonly offer: OfferView;
  readonly rack: string;
  readonly left: Float64Array;
  /** the offer's reserved part not yet taken by the instances placed on it */
  readonly reservedLeft: Float64Array;
  /** what the instances placed on it need beyond its reserved part: the RESERVE of its accept */
  readonly toReserve: Float64Array;
  readonly tasks: TaskIx[];
  /** no pending task fits here any more (resources or the per-agent limit) */
  full: boolean;
}

/**
 * Pending instances launch in submit order. For each delivery the scheduler places one instance
 * at a time: on the offer whose rack has the fewest instances (running or placed in this round)
 * when spreading, else the first offer in arrival order, skipping offers whose agent already has
 * `maxPerAgent` instances or that lack the resources; ties go to the offer that came first. The
 * offers that got instances are accepted, the rest declined with the refuse filter. Only racks
 * with an offer at hand are compared: the scheduler does not wait for a rack it is not offered.
 * A task that ends failed, killed or lost is replaced by a copy submitted at once (a new one-task
 * job, see {@link SchedulerDriver.resubmit}); one that finishes is not (it chose to stop).
 * Suppresses when nothing is pending and revives when instances are submitted. With decision time
 * the placement waits for a decision that takes simulated time (see decide).
 */
export class ServiceFramework implements FrameworkBehaviour {
  readonly kind = 'service';
  private readonly maxPerAgent: number;
  private readonly spread: boolean;
  private readonly refuseSeconds: number;
  /** pending task ids, in submit order */
  private readonly waiting: TaskIx[] = [];
  private suppressed = false;
  /** instances (staging or running) per agent and per rack */
  private readonly perAgent = new Map<number, number>();
  private readonly perRack = new Map<string, number>();
  /** replacement copies submitted so far */
  replaced = 0;
  /** decision time: a decision considers every instance still to place (rounds are not used) */
  private readonly rounds: DecisionRounds;
  /** decision time: offers held, unanswered, in arrival order */
  private held: HeldOffer[] = [];
  private readonly reserve: boolean;
  private readonly unreserveUnused: boolean;
  /** what this service reserved on each agent and has not unreserved (with reserve), fixed point */
  private readonly reservedOn = new Map<number, Float64Array>();
  /** scratch: a task's resources */
  private readonly need = new Float64Array(NUM_RESOURCES);

  constructor(options: ServiceOptions = {}) {
    this.maxPerAgent = options.maxPerAgent ?? SERVICE_DEFAULTS.maxPerAgent;
    this.spread = options.spreadRacks ?? SERVICE_DEFAULTS.spreadRacks;
    this.refuseSeconds = options.refuseSeconds ?? SERVICE_DEFAULTS.refuseSeconds;
    this.rounds = new DecisionRounds(options);
    this.reserve = options.reserve ?? SERVICE_DEFAULTS.reserve;
    this.unreserveUnused = (options.unreserve ?? SERVICE_DEFAULTS.unreserve) === 'unused';
  }

  pendingTasks(): number {
    return this.waiting.length;
  }

  /** Instances running (or staging) right now. */
  running(): number {
    let n = 0;
    for (const c of this.perAgent.values()) n += c;
    return n;
  }

  onJobSubmitted(job: JobIx, driver: SchedulerDriver): void {
    const first = driver.tasks.firstTask[job]!;
    const n = driver.tasks.taskCount[job]!;
    for (let t = first; t < first + n; t++) this.waiting.push(t as TaskIx);
    if (n > 0 && this.suppressed) {
      this.suppressed = false;
      driver.revive();
    }
  }

  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void {
    if (this.rounds.slow) {
      for (const view of offers) this.held.push({ view, at: driver.now });
      if (!this.rounds.busy) this.decide(driver);
      return;
    }
    this.answer(offers, driver);
  }

  /**
   * Decision time: one decision considers every instance still to place (t_job + t_task x
   * instances waiting when it begins); the offers at hand are held meanwhile, and offers arriving
   * during it wait for the next one. At its end the instances are placed, as without decision
   * time, on the offers held when it began and still held (a rescinded one is forgotten); those
   * used are accepted, the others declined. The next decision starts at once if offers arrived
   * meanwhile. With nothing to place, held offers are declined at once (nothing to decide).
   */
  private decide(driver: SchedulerDriver): void {
    if (this.held.length === 0) return;
    const considered = this.waiting.length;
    if (considered === 0) {
      const offers = this.held.map((h) => h.view);
      this.held = [];
      this.answer(offers, driver);
      return;
    }
    const job = driver.tasks.jobOf(this.waiting[0]!);
    this.rounds.decide(driver, job, considered, (start) => {
      this.rounds.busy = false;
      const now: HeldOffer[] = [];
      const later: HeldOffer[] = [];
      for (const h of this.held) (h.at <= start ? now : later).push(h);
      this.held = later;
      this.answer(
        now.map((h) => h.view),
        driver,
      );
      this.decide(driver);
    });
  }

  /** Places waiting instances on `offers` and answers each: accepted with its instances, or declined. */
  private answer(offers: readonly OfferView[], driver: SchedulerDriver): void {
    const cands: Candidate[] = offers.map((offer) => ({
      offer,
      rack: driver.rackOf(offer.agent),
      left: Float64Array.from(offer.res),
      reservedLeft: offer.reserved === undefined ? new Float64Array(NUM_RESOURCES) : Float64Array.from(offer.reserved),
      toReserve: new Float64Array(NUM_RESOURCES),
      tasks: [],
      full: false,
    }));
    const tasks = driver.tasks;
    let next = 0;
    while (next < this.waiting.length) {
      const task = this.waiting[next]!;
      let best: Candidate | undefined;
      for (const c of cands) {
        if (c.full) continue;
        if ((this.perAgent.get(c.offer.agent) ?? 0) + c.tasks.length >= this.maxPerAgent || !tasks.fits(task, c.left)) {
          c.full = true; // instances of one service are alike: what does not fit now never will this round
          continue;
        }
        if (best === undefined) best = c;
        else if (this.reserve) {
          // A reservation kept for an instance comes first: a replacement goes back to it.
          const kept = tasks.fits(task, c.reservedLeft);
          if (kept !== tasks.fits(task, best.reservedLeft)) {
            if (kept) best = c;
            continue;
          }
        }
        if (!this.spread) {
          if (this.reserve) continue; // the first offer wins ties, but a kept reservation may come later
          break;
        }
        if ((this.perRack.get(c.rack) ?? 0) < (this.perRack.get(best.rack) ?? 0)) best = c;
      }
      if (best === undefined) break;
      tasks.takeFrom(best.left, task);
      if (this.reserve) this.reservePart(best, task, tasks);
      best.tasks.push(task);
      this.perRack.set(best.rack, (this.perRack.get(best.rack) ?? 0) + 1);
      next++;
    }
    this.waiting.splice(0, next);
    for (const c of cands) {
      const ops = this.reserve || this.unreserveUnused ? this.operations(c) : undefined;
      if (c.tasks.length === 0 && ops === undefined) {
        driver.decline(c.offer.id, this.refuseSeconds);
        continue;
      }
      if (c.tasks.length > 0) this.perAgent.set(c.offer.agent, (this.perAgent.get(c.offer.agent) ?? 0) + c.tasks.length);
      if (ops === undefined) driver.accept(c.offer.id, c.tasks, this.refuseSeconds);
      else driver.accept(c.offer.id, c.tasks, this.refuseSeconds, ops);
    }
    if (this.waiting.length === 0 && !this.suppressed) {
      this.suppressed = true;
      driver.suppress();
    }
  }

  /**
   * Instance `task` placed on candidate `c` takes what it can of the offer's reserved part, per
   * resource (as the master does, AgentTable.useOffer); the rest is what to reserve for it.
   */
  private reservePart(c: Candidate, task: TaskIx, tasks: SchedulerDriver['tasks']): void {
    const need = this.need;
    tasks.resInto(task, need);
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const take = Math.min(need[r]!, c.reservedLeft[r]!);
      c.reservedLeft[r] = c.reservedLeft[r]! - take;
      c.toReserve[r] = c.toReserve[r]! + need[r]! - take;
    }
  }

  /**
   * The operations of candidate `c`'s answer, or undefined for none: RESERVE of what its instances
   * need beyond its reserved part; with unreserve 'unused', UNRESERVE of the reserved part they
   * leave, within what this service reserved on the agent (a static reservation, or another
   * framework's, is not its to give back). Updates {@link reservedOn}.
   */
  private operations(c: Candidate): OfferOperation[] | undefined {
    const ops: OfferOperation[] = [];
    const agent = c.offer.agent;
    let mine = this.reservedOn.get(agent);
    if (this.reserve && !isEmpty(c.toReserve)) {
      ops.push({ type: OfferOperationType.RESERVE, res: c.toReserve });
      if (mine === undefined) this.reservedOn.set(agent, (mine = new Float64Array(NUM_RESOURCES)));
      addInto(mine, 0, c.toReserve);
    }
    if (this.unreserveUnused && mine !== undefined) {
      const back = new Float64Array(NUM_RESOURCES);
      for (let r = 0; r < NUM_RESOURCES; r++) back[r] = Math.min(c.reservedLeft[r]!, mine[r]!);
      if (!isEmpty(back)) {
        ops.push({ type: OfferOperationType.UNRESERVE, res: back });
        subInto(mine, 0, back);
      }
    }
    return ops.length === 0 ? undefined : ops;
  }

  onOfferRescinded(offer: number): void {
    // Only held offers (decision time) can be rescinded: forget it, the decision goes on without it.
    const i = this.held.findIndex((h) => h.view.id === offer);
    if (i >= 0) this.held.splice(i, 1);
  }

  onTaskEnded(task: TaskIx, code: number, driver: SchedulerDriver): void {
    const agent = driver.tasks.agentOf(task);
    const rack = driver.rackOf(agent);
    this.perAgent.set(agent, (this.perAgent.get(agent) ?? 1) - 1);
    this.perRack.set(rack, (this.perRack.get(rack) ?? 1) - 1);
    if (code === TaskCode.FAILED || code === TaskCode.KILLED || code === TaskCode.LOST || code === TaskCode.GONE) {
      this.replaced++;
      driver.resubmit(task);
    }
  }
}
