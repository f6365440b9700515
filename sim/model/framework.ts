/**
 * The scheduler side of a framework: the behaviour interface every framework model implements,
 * and the driver through which it talks to the master. Imports model and kernel types only.
 */
import type { SimTime } from '../kernel/time.js';
import type { AgentIx, JobIx, TaskIx } from './ids.js';
import type { TaskTable } from './job.js';
import type { TaskErrorReason } from './log.js';

/** Refuse seconds of a decline or an accept's unused rest when none is given: `Filters.refuse_seconds`'s default (mesos.proto), 5 s. */
export const DEFAULT_REFUSE_SECONDS = 5;

/**
 * Every option of a behaviour with its default, from its options type: the one place a default is
 * written (the behaviour, the scenario schema and the docs read it).
 */
export type OptionDefaults<O> = { readonly [K in keyof O]-?: Exclude<O[K], undefined> };

/**
 * An offer as a scheduler sees it. Read-only; valid until answered or rescinded: the master then
 * reuses the object and its `res` for a later offer, so copy what you keep beyond that.
 */
export interface OfferView {
  /** offer id, unique in the run */
  readonly id: number;
  /** the agent it is on */
  readonly agent: AgentIx;
  /** offered resources, fixed point (do not mutate) */
  readonly res: Float64Array;
  /**
   * the part of `res` reserved for the framework's role or an ancestor, fixed point (zero when
   * none; do not mutate); absent where an offer is built without the master (tests)
   */
  readonly reserved?: Float64Array;
  /**
   * the role of a multi-role framework the offer is allocated to (Mesos
   * `Offer.allocation_info.role`): what is launched on it is allocated to that role; undefined for a
   * framework of one role
   */
  readonly role?: string | undefined;
}

/** The kinds of {@link OfferOperation}. */
export const OfferOperationType = {
  RESERVE: 'reserve',
  UNRESERVE: 'unreserve',
} as const;
/** One of {@link OfferOperationType}. */
export type OfferOperationType = (typeof OfferOperationType)[keyof typeof OfferOperationType];

/**
 * An operation on an offer's resources in an accept (Mesos `Offer.Operation` RESERVE and
 * UNRESERVE), applied in order before the accept's launches, so that its tasks may use what a
 * RESERVE made reserved.
 */
export interface OfferOperation {
  /** 'reserve': unreserved resources of the offer become reserved for `role`; 'unreserve': dynamically reserved resources of the offer become unreserved */
  readonly type: OfferOperationType;
  /** the amounts, fixed point */
  readonly res: Float64Array;
  /** the reservation's role; default the framework's role (the only one it may use) */
  readonly role?: string | undefined;
}

/**
 * One delivery of offers as columns (see {@link FrameworkBehaviour.onOfferBatch}): offer i has id
 * `ids[i]`, is on agent `agents[i]` and offers `res[i * NUM_RESOURCES ...]` (fixed point; do not
 * mutate). Valid during the call only, since its arrays are reused: keep offer ids, or views from
 * {@link view}, never the batch.
 */
export interface OfferBatch {
  readonly length: number;
  readonly ids: Float64Array;
  readonly agents: Int32Array;
  readonly res: Float64Array;
  /** offer i as an {@link OfferView}, valid (as onOffers's views) until the offer is answered or rescinded */
  view(i: number): OfferView;
}

/** What a scheduler may do; the master implements it for each framework. */
export interface SchedulerDriver {
  /** Current simulated time. */
  readonly now: SimTime;
  /**
   * The run's task table (read-only for schedulers): job layout (firstTask, taskCount), task states
   * through TaskTable.stateOf and isPending, task resources through its accessors (TaskTable.fits,
   * takeFrom, resInto), never by the table's stride or its per-slot columns (a job's slots are
   * reused once it is over).
   */
  readonly tasks: TaskTable;
  /** Rack name of an agent. */
  rackOf(agent: AgentIx): string;
  /**
   * Launches `taskIds` (pending tasks of this framework) on the offer's agent and declines the
   * unused rest with a refuse filter of `refuseSeconds` (Mesos accept filters; default 5 s,
   * 0 means none). As Mesos does, the master checks the tasks in order against what is left of
   * the offer: one that does not fit, is not pending (launched already, in this accept or before),
   * is not this framework's or does not exist is refused (TASK_ERROR: a `task_error` record, and
   * {@link FrameworkBehaviour.onTaskError} later in this instant) and the rest launch. An offer
   * that is not outstanding or is another framework's makes the whole accept invalid: every task
   * is refused (reason `invalid_offer`) and the offer, if another framework's, is left alone.
   * `operations` (default none) are RESERVE and UNRESERVE operations, applied in order before the
   * launches (see OfferBook.accept for their validation): an invalid one is dropped (an
   * `operation_error` record; the scheduler is not told, as a Mesos operation without an id) and
   * the rest apply; the resources stay in the offer, so its tasks and its unused rest see them.
   */
  accept(offer: number, taskIds: readonly TaskIx[], refuseSeconds?: number, operations?: readonly OfferOperation[]): void;
  /**
   * Declines the whole offer with a refuse filter of `refuseSeconds` (default 5 s; 0: none).
   * Declining an offer that is not outstanding, or is another framework's, does nothing.
   */
  decline(offer: number, refuseSeconds?: number): void;
  /**
   * The framework's roles, its role first: two or more for a multi-role framework (Mesos
   * `FrameworkInfo.roles`); one, or absent, otherwise.
   */
  readonly roles?: readonly string[] | undefined;
  /**
   * Asks for no more offers (outstanding offers stay). No-op when already suppressed. `roles` (a
   * multi-role framework's): for these of its roles only (Mesos SUPPRESS `roles`); default all.
   */
  suppress(roles?: readonly string[]): void;
  /**
   * Asks for offers again: re-activates the framework, clears its refuse filters and triggers an
   * allocation run over all agents (as Mesos REVIVE does, suppressed or not). `roles` (a multi-role
   * framework's): these of its roles only, whose filters only are cleared; default all.
   */
  revive(roles?: readonly string[]): void;
  /**
   * Submits a copy of terminal task `task` of this framework (same resources and duration) as a
   * new one-task job, pending now; the scheduler hears of it through onJobSubmitted. For schedulers
   * that replace failed, killed or lost tasks (the service behaviour). Call it before the task's job
   * is over (from onTaskEnded of the task, as the built-in behaviours do): once a job is over its
   * tasks' resources and durations are not kept, and a later call is an error.
   */
  resubmit(task: TaskIx): void;
  /**
   * Kills running task `task` of this framework (Mesos KILL, no latency): it goes `killed` at
   * once, its resources are recovered with no refuse filter (offered again at the next periodic
   * allocation run, as for any terminal task), and the scheduler hears of it through onTaskEnded
   * (code KILLED). No-op for a task already terminal, or on a failed agent the master cannot reach
   * (it is lost when the agent is declared lost). Killing a pending task is an error.
   */
  kill(task: TaskIx): void;
  /**
   * Restarts job `job` of this framework as a whole (the gang behaviour, after a lost task): the
   * job is marked restarted, a copy of all its tasks (same resources and durations, no preferred
   * locations) is submitted now as job `<name>/restart-<n>` (the first job's name; n counts its
   * restarts from 1; the scheduler hears of it through onJobSubmitted at once), a `job_restarted`
   * record (job, framework, copy) is logged, and the job's running tasks are killed (see
   * {@link kill}). The restarted job logs no `job_finished` when its last task ends. Returns the
   * copy's job index. Only for behaviours that declare {@link FrameworkBehaviour.restartsJobs}.
   * Call it before the job is over (as {@link resubmit}).
   */
  restartJob(job: JobIx): JobIx;
  /**
   * Calls `fn` `delaySeconds` of simulated time from now (rounded to microseconds), as a
   * MESSAGE-phase event: for schedulers that model decision time. 0 means later in this instant:
   * in the MESSAGE phase, or in the phase the call is made from when that comes later (an answer
   * to offers, made in the OFFER phase).
   */
  after(delaySeconds: number, fn: () => void): void;
  /**
   * Reports a scheduling decision for `job` that ran from `start` to now, having considered
   * `tasks` tasks: logged as a `decision` record when it took time (none when start is now).
   */
  decided(job: JobIx, start: SimTime, tasks: number): void;
  /**
   * Reports that the scheduler gave up on `job` after `attempts` scheduling attempts, dropping its
   * `dropped` pending tasks (they stay pending in the task table and never launch): a
   * `job_abandoned` record.
   */
  abandon(job: JobIx, dropped: number, attempts: number): void;
}

/** A framework's scheduler model. The master calls it in simulated-time order. */
export interface FrameworkBehaviour {
  /** Behaviour name as registered, e.g. 'batch'. */
  readonly kind: string;
  /** A job of this framework was submitted; its tasks are pending in the task table. */
  onJobSubmitted(job: JobIx, driver: SchedulerDriver): void;
  /** Offers from one allocation run (never merged; possibly several). Answer each, now or later. */
  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void;
  /**
   * Optional: the same offers as {@link onOffers}, as columns, without an object or an array built
   * per delivery; when present the master calls it instead of onOffers. Answer each, now or later.
   */
  onOfferBatch?(offers: OfferBatch, driver: SchedulerDriver): void;
  /** The master took an offer back; it must not be used any more. */
  onOfferRescinded(offer: number, driver: SchedulerDriver): void;
  /** A task of this framework reached a terminal state (code from TaskCode). */
  onTaskEnded(task: TaskIx, code: number, driver: SchedulerDriver): void;
  /**
   * The master refused to launch `task`, named in an accept of this framework (Mesos TASK_ERROR;
   * `reason` says why, see TaskErrorReason). It was not launched: if it was pending it still is,
   * and the scheduler may launch it again, as a Mesos framework relaunches a task that got
   * TASK_ERROR. Called after the accept returned, later in the same instant, once per refused
   * task in order. Optional; default: the scheduler is not told (a task it believes launched then
   * stays pending, and its job never completes).
   */
  onTaskError?(task: TaskIx, reason: TaskErrorReason, driver: SchedulerDriver): void;
  /**
   * The framework subscribes (its `framework_added` record is logged), before any offer reaches it.
   * A scheduler with nothing to launch may call `driver.suppress()` here: it then subscribes with
   * its role suppressed (Mesos SUBSCRIBE's `suppressed_roles`, as the framework development guide
   * advises an idle scheduler to do), gets no offers and triggers no allocation run until it
   * revives. Optional; default: it subscribes active (an allocation run over all agents follows).
   */
  onSubscribed?(driver: SchedulerDriver): void;
  /** Tasks waiting to be launched. */
  pendingTasks(): number;
  /**
   * Whether it restarts jobs (SchedulerDriver.restartJob): the master then keeps its jobs' names
   * for the copies' names. Optional; default false.
   */
  readonly restartsJobs?: boolean;
  /**
   * Factor on the run time of a task with preferred locations launched anywhere but node-local
   * (rack-local or remote): its input is read over the network. Optional; default 1.
   */
  readonly remoteSlowdown?: number;
  /**
   * Writes the resources of the task it would launch next into `out` and returns true; false
   * when nothing is pending. Optional: a behaviour without it never gets one-task offers.
   */
  nextTaskDemand?(out: Float64Array): boolean;
  /**
   * Takes the task {@link nextTaskDemand} described off the pending list and returns its id, for a
   * scheduler that places it directly (the non-offer baselines). Optional: a behaviour without it
   * cannot run under those baselines.
   */
  takeNextTask?(): TaskIx;
  /**
   * Takes pending `task` of job `job` off the pending list: the yarn architecture's
   * ApplicationMaster launched it in a container (in any order, any of the jobs it has pending).
   * Optional: a behaviour without it cannot run under yarn.
   */
  takeJobTask?(job: JobIx, task: TaskIx): void;
  /**
   * The scheduler's decision time (Omega's slow-scheduler model). Optional; absent, or with `job`
   * and `task` both 0, it decides at once. Used by the shared-state baseline, whose scheduler
   * then decides job by job through {@link headJob}, {@link takeTask} and {@link dropHeadJob}
   * (a behaviour with decision time but without them cannot run there).
   */
  readonly decisionTime?: DecisionTime;
  /**
   * The job it schedules next (its oldest job with pending tasks) and, written into `out` (cleared
   * first), that job's pending task ids in index order; -1, with `out` empty, when nothing is
   * pending. Optional: for the shared-state baseline with decision time. The job stays the head
   * until all its tasks are taken or it is dropped.
   */
  headJob?(out: TaskIx[]): JobIx;
  /**
   * Takes pending task `task` of the head job (one {@link headJob} listed) off the pending list,
   * for a scheduler that launches it directly at once (before asking for the head job again).
   * Optional: with {@link headJob}.
   */
  takeTask?(task: TaskIx): void;
  /**
   * Gives up on the head job: drops its pending tasks (they never launch; the caller reports the
   * abandonment through the driver's `abandon`) and returns how many it dropped; 0 when nothing is
   * pending. Optional: with {@link headJob}.
   */
  dropHeadJob?(): number;
}

/** A scheduler's decision time, as the Omega paper models it: `job + task x tasks` per decision. */
export interface DecisionTime {
  /** seconds per decision, for one job (Omega's t_job); default 0 */
  readonly job: number;
  /** further seconds per task the decision considers (Omega's t_task); default 0 */
  readonly task: number;
  /** decisions (attempts) after which a job not fully placed is abandoned; default 0 = never */
  readonly maxAttempts: number;
}

/** Whether `b` models decision time (some positive part). */
export function hasDecisionTime(b: FrameworkBehaviour): boolean {
  const d = b.decisionTime;
  return d !== undefined && (d.job > 0 || d.task > 0);
}
