/**
 * The event log: a closed union of records the model emits, in simulated-time order. Metric folds,
 * the fingerprint and events.jsonl consume it. Imports nothing but types.
 *
 * Conventions: `t` is SimTime (integer microseconds); ids are dense indices in order of first
 * appearance (the `*_added` / `job_submitted` records carry their names); `res` is a resource
 * vector in fixed point (thousandths: cpus in milli-cores, mem and disk in thousandths of a MB),
 * in the order cpus, mem, disk, gpus.
 */

/**
 * Task states, as in Mesos (TASK_STAGING ... TASK_LOST, TASK_UNREACHABLE, TASK_GONE). Only
 * partition-aware frameworks' tasks go unreachable (then running again, or a terminal state) or
 * gone (docs/model.md, "Partitions and partition-aware frameworks").
 */
export const TaskState = {
  STAGING: 'staging',
  RUNNING: 'running',
  FINISHED: 'finished',
  FAILED: 'failed',
  KILLED: 'killed',
  LOST: 'lost',
  UNREACHABLE: 'unreachable',
  GONE: 'gone',
} as const;
/** One of {@link TaskState}. */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** True for the terminal states (finished, failed, killed, lost, gone); unreachable is not one, as in Mesos. */
export function isTerminal(s: TaskState): boolean {
  return s !== TaskState.STAGING && s !== TaskState.RUNNING && s !== TaskState.UNREACHABLE;
}

/** A resource vector in a record: [cpus, mem, disk, gpus] in thousandths. */
export type ResTuple = readonly [number, number, number, number];

/** An agent registered with the master (and the allocator). */
export interface AgentAddedRecord {
  readonly kind: 'agent_added';
  readonly t: number;
  readonly agent: number;
  readonly name: string;
  readonly rack: string;
  readonly res: ResTuple;
}
/**
 * An agent was removed from the cluster (declared lost after missing its health checks): its
 * resources `res` (its total) leave the cluster. It may register again later under the same id
 * (a new `agent_added`). Runs without agent failures never log one.
 */
export interface AgentRemovedRecord {
  readonly kind: 'agent_removed';
  readonly t: number;
  readonly agent: number;
  readonly res: ResTuple;
}
/** A framework subscribed. */
export interface FrameworkAddedRecord {
  readonly kind: 'framework_added';
  readonly t: number;
  readonly framework: number;
  readonly name: string;
  readonly role: string;
  /** role weight (default 1) */
  readonly weight: number;
  /** behaviour name, e.g. 'batch' */
  readonly behaviour: string;
  /** every role of a multi-role framework, `role` first (Mesos `FrameworkInfo.roles`); absent for one role */
  readonly roles?: readonly string[];
}
/** A job reached its framework. */
export interface JobSubmittedRecord {
  readonly kind: 'job_submitted';
  readonly t: number;
  readonly job: number;
  readonly name: string;
  readonly framework: number;
  readonly tasks: number;
  /** longest task duration of the job, us (the slowdown denominator) */
  readonly maxTaskDuration: number;
}
/** All tasks of a job reached a terminal state. */
export interface JobFinishedRecord {
  readonly kind: 'job_finished';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
}
/** The master sent an offer. */
export interface OfferSentRecord {
  readonly kind: 'offer_sent';
  readonly t: number;
  readonly offer: number;
  readonly framework: number;
  readonly agent: number;
  readonly res: ResTuple;
  /** the role of a multi-role framework the offer is allocated to; absent for a framework of one role */
  readonly role?: string;
}
/** A framework accepted an offer, launching `tasks` tasks using `used`; the rest was declined. */
export interface OfferAcceptedRecord {
  readonly kind: 'offer_accepted';
  readonly t: number;
  readonly offer: number;
  readonly framework: number;
  readonly agent: number;
  readonly tasks: number;
  readonly used: ResTuple;
  /** refuse filter installed on the unused rest, us (0: none) */
  readonly refuse: number;
}
/** A framework declined an offer whole. */
export interface OfferDeclinedRecord {
  readonly kind: 'offer_declined';
  readonly t: number;
  readonly offer: number;
  readonly framework: number;
  readonly agent: number;
  /** refuse filter installed, us (0: none) */
  readonly refuse: number;
}
/** The master took an offer back (offer timeout, agent or framework gone). */
export interface OfferRescindedRecord {
  readonly kind: 'offer_rescinded';
  readonly t: number;
  readonly offer: number;
  readonly framework: number;
  readonly agent: number;
}
/** A task changed state. */
export interface TaskStateRecord {
  readonly kind: 'task_state';
  readonly t: number;
  readonly task: number;
  readonly job: number;
  readonly framework: number;
  readonly agent: number;
  readonly state: TaskState;
  readonly res: ResTuple;
}
/** Locality of a launched task with preferred locations (tasks without any have no such record). */
export const TaskLocality = {
  NODE: 'node',
  RACK: 'rack',
  REMOTE: 'remote',
} as const;

/** One of {@link TaskLocality}. */
export type TaskLocality = (typeof TaskLocality)[keyof typeof TaskLocality];

/**
 * A task with preferred locations was launched (right after its 'running' record): where it ran
 * relative to its preferences. Tasks without preferences get none, so runs without locality log
 * exactly what they did before this record existed.
 */
export interface TaskLocalityRecord {
  readonly kind: 'task_locality';
  readonly t: number;
  readonly task: number;
  readonly job: number;
  readonly framework: number;
  readonly agent: number;
  readonly locality: TaskLocality;
}

/** A framework asked for no more offers. */
export interface SuppressRecord {
  readonly kind: 'suppress';
  readonly t: number;
  readonly framework: number;
  /** a multi-role framework's roles it suppressed; absent for a framework of one role (or all of them) */
  readonly roles?: readonly string[];
}
/** A framework asked for offers again (clears its filters). */
export interface ReviveRecord {
  readonly kind: 'revive';
  readonly t: number;
  readonly framework: number;
  /** a multi-role framework's roles it revived; absent for a framework of one role (or all of them) */
  readonly roles?: readonly string[];
}
/** One allocation run: how many agents it considered and how many offers it made. */
export interface AllocationRunRecord {
  readonly kind: 'allocation_run';
  readonly t: number;
  readonly candidates: number;
  readonly offers: number;
  /**
   * the run's simulated duration, us (the allocator cost model, MasterOptions.allocationCost):
   * present only when the model is on; its offers go out at t + busy
   */
  readonly busy?: number;
}
/**
 * A scheduler spent simulated time deciding for a job (decision time, the Omega model): from
 * `start` to `t`, having considered `tasks` tasks. Emitted only when t > start, so runs without
 * decision time log nothing new.
 */
export interface DecisionRecord {
  readonly kind: 'decision';
  readonly t: number;
  readonly framework: number;
  readonly job: number;
  /** when the decision began, us */
  readonly start: number;
  readonly tasks: number;
}
/** A scheduler gave up on a job after `attempts` attempts; its `dropped` pending tasks never run. */
export interface JobAbandonedRecord {
  readonly kind: 'job_abandoned';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
  readonly dropped: number;
  readonly attempts: number;
}
/**
 * The shared-state baseline committed a decision of a framework with decision time (Omega's
 * optimistic transaction): of the `placed` placements it made for `job` on its snapshot of the
 * cluster, `conflicts` no longer fitted and were not launched (the others were). Emitted only in
 * shared-state runs with decision time, so other runs log nothing new.
 */
export interface CommitRecord {
  readonly kind: 'commit';
  readonly t: number;
  readonly framework: number;
  readonly job: number;
  /** task placements the decision made (attempted) */
  readonly placed: number;
  /** of those, the ones that conflicted */
  readonly conflicts: number;
}
/**
 * A scheduler restarted a job as a whole (the gang behaviour, after one of its tasks was lost or
 * killed): its running tasks are killed and its tasks run again as the new job `copy`. The job
 * itself logs no `job_finished`. Runs without gang restarts never log one.
 */
export interface JobRestartedRecord {
  readonly kind: 'job_restarted';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
  /** the copy's job id (its job_submitted comes just before this record) */
  readonly copy: number;
}
/**
 * A framework's scheduler disconnected (a scheduler failover): the framework is deactivated (its
 * offers rescinded, its filters cleared) and is removed unless it reregisters within its failover
 * timeout. Runs without failovers never log one.
 */
export interface FrameworkDisconnectedRecord {
  readonly kind: 'framework_disconnected';
  readonly t: number;
  readonly framework: number;
  /** its failover timeout, us (0: removed in this same instant) */
  readonly failoverTimeout: number;
}
/**
 * A partitioned agent answered the master's pings again before it was declared unreachable: it is
 * back in allocation runs with its tasks (those whose end fell during the partition report it now).
 */
export interface AgentReconnectedRecord {
  readonly kind: 'agent_reconnected';
  readonly t: number;
  readonly agent: number;
}
/** A disconnected framework's scheduler reregistered within its failover timeout: reactivated. */
export interface FrameworkReconnectedRecord {
  readonly kind: 'framework_reconnected';
  readonly t: number;
  readonly framework: number;
  /** a multi-role framework's roles it resubscribed with suppressed (SUBSCRIBE `suppressed_roles`); absent for one role */
  readonly suppressedRoles?: readonly string[];
}
/**
 * A removed framework's scheduler tried to reregister: refused (Mesos answers "Framework has been
 * removed"); the framework stays gone.
 */
export interface FrameworkReconnectRefusedRecord {
  readonly kind: 'framework_reconnect_refused';
  readonly t: number;
  readonly framework: number;
}
/**
 * A framework was removed: its failover timeout ran out. Its `tasksKilled` running tasks are killed
 * and its `jobsDropped` unfinished jobs dropped (their `killed` task_state and `job_dropped`
 * records follow, in job order, at the same instant). It is gone for good.
 */
export interface FrameworkRemovedRecord {
  readonly kind: 'framework_removed';
  readonly t: number;
  readonly framework: number;
  readonly tasksKilled: number;
  readonly jobsDropped: number;
}
/**
 * A job of a removed framework will never complete: it was unfinished when the framework was
 * removed (its running tasks are killed right after this record), or it was submitted after the
 * removal. Its `dropped` tasks that never launched never will. It logs no job_finished.
 */
export interface JobDroppedRecord {
  readonly kind: 'job_dropped';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
  /** its tasks that never launched */
  readonly dropped: number;
}
/**
 * Why the master refused to launch a task of an accept (see {@link TaskErrorRecord}):
 * - `insufficient_resources`: it does not fit what the offer has left after the accept's earlier
 *   tasks (Mesos TASK_ERROR, REASON_TASK_INVALID);
 * - `task_not_pending`: it has been launched already (in this accept or before), has ended, or was
 *   dropped with its job (Mesos: a duplicate task id);
 * - `other_framework_task`: it belongs to another framework;
 * - `unknown_task`: no such task;
 * - `invalid_offer`: the offer is not outstanding (answered, rescinded, never made) or is another
 *   framework's, so the whole accept is invalid and none of its tasks launches (Mesos answers each
 *   TASK_LOST, REASON_INVALID_OFFERS).
 */
export const TaskErrorReason = {
  INSUFFICIENT_RESOURCES: 'insufficient_resources',
  TASK_NOT_PENDING: 'task_not_pending',
  OTHER_FRAMEWORK_TASK: 'other_framework_task',
  UNKNOWN_TASK: 'unknown_task',
  INVALID_OFFER: 'invalid_offer',
} as const;
/** One of {@link TaskErrorReason}. */
export type TaskErrorReason = (typeof TaskErrorReason)[keyof typeof TaskErrorReason];

/**
 * The master refused to launch task `task` named in framework `framework`'s accept of offer
 * `offer` (Mesos TASK_ERROR): it was not launched, and a pending task stays pending. Logged in the
 * accept's instant, before its launches; runs whose schedulers launch only what fits never log one.
 */
export interface TaskErrorRecord {
  readonly kind: 'task_error';
  readonly t: number;
  readonly task: number;
  readonly framework: number;
  readonly offer: number;
  readonly reason: TaskErrorReason;
}
/**
 * A RESERVE or UNRESERVE operation in framework `framework`'s accept of offer `offer` applied:
 * `res` on agent `agent` became reserved for role `role` (op 'reserve') or, reserved for it,
 * became unreserved (op 'unreserve'). Logged in the accept's instant, before its
 * `offer_accepted`; runs whose schedulers never reserve never log one.
 */
export interface ReservationRecord {
  readonly kind: 'reservation';
  readonly t: number;
  readonly framework: number;
  readonly offer: number;
  readonly agent: number;
  readonly role: string;
  readonly op: 'reserve' | 'unreserve';
  readonly res: ResTuple;
}
/**
 * Why the master dropped an operation of an accept (see {@link OperationErrorRecord}):
 * - `invalid_offer`: the offer is not outstanding or is another framework's (the whole accept is invalid);
 * - `invalid_resources`: the amounts are empty or negative;
 * - `role_not_allowed`: a RESERVE for a role that is not the framework's (src/master/validation.cpp:2609-2645) or for '*',
 *   or an UNRESERVE of resources not reserved for its role;
 * - `insufficient_resources`: a RESERVE of more than the offer's unreserved part, or an UNRESERVE of
 *   more than its reserved part (master.cpp:4575-4579, 4620-4624: `remainingResources.apply` fails);
 * - `static_reservation`: an UNRESERVE of more than the dynamically reserved part (static
 *   reservations cannot be unreserved, validation.cpp:2697-2700);
 * - `overlapping_reservation`: the agent holds a reservation for an ancestor or a descendant of
 *   the role (offersim keeps at most one pool per role and agent that a framework may draw on);
 * - `not_supported`: the allocator cannot learn of reservations (it lacks Allocator.reserve).
 */
export const OperationErrorReason = {
  INVALID_OFFER: 'invalid_offer',
  INVALID_RESOURCES: 'invalid_resources',
  ROLE_NOT_ALLOWED: 'role_not_allowed',
  INSUFFICIENT_RESOURCES: 'insufficient_resources',
  STATIC_RESERVATION: 'static_reservation',
  OVERLAPPING_RESERVATION: 'overlapping_reservation',
  NOT_SUPPORTED: 'not_supported',
} as const;
/** One of {@link OperationErrorReason}. */
export type OperationErrorReason = (typeof OperationErrorReason)[keyof typeof OperationErrorReason];
/**
 * The master dropped operation `op` (number `index` in its list, from 0) of framework
 * `framework`'s accept of offer `offer` (Mesos `Master::drop`, master.cpp:2281-2317, OPERATION_ERROR): nothing changed
 * and the accept's other operations and tasks go on. Runs whose schedulers never reserve never log one.
 */
export interface OperationErrorRecord {
  readonly kind: 'operation_error';
  readonly t: number;
  readonly framework: number;
  readonly offer: number;
  readonly index: number;
  readonly op: 'reserve' | 'unreserve';
  readonly reason: OperationErrorReason;
}

/**
 * Where a YARN container went relative to the request it served (Hadoop `NodeType`): on a host
 * it asked for, on a rack it asked for, or anywhere.
 */
export const ContainerLocality = {
  NODE_LOCAL: 'node-local',
  RACK_LOCAL: 'rack-local',
  OFF_SWITCH: 'off-switch',
} as const;
/** One of {@link ContainerLocality}. */
export type ContainerLocality = (typeof ContainerLocality)[keyof typeof ContainerLocality];

/**
 * The YARN records below are logged by the yarn architecture only (sim/model/architectures/yarn.ts),
 * so every other run logs exactly what it did before they existed.
 *
 * Application `job` (one job is one YARN application) was submitted to leaf queue `queue`, its
 * framework's.
 */
export interface AppSubmittedRecord {
  readonly kind: 'app_submitted';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
  readonly queue: string;
}
/**
 * Job `job`'s ApplicationMaster registered: at once when it takes no container (container and
 * agent -1), else when its container was allocated. A registration starts a new attempt: the
 * requests it sends start from nothing.
 */
export interface AmRegisteredRecord {
  readonly kind: 'am_registered';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
  /** its container, or -1 when it takes none */
  readonly container: number;
  /** its container's agent, or -1 */
  readonly agent: number;
}
/**
 * Job `job`'s ApplicationMaster sent, in an allocate call, a new total `containers` for its
 * request of `priority` at any place (Hadoop `ResourceRequest.ANY`): the containers it still
 * wants at that priority. Logged only when the total changed since the AM's last call (its
 * host and rack requests go out in the same call and are not logged).
 */
export interface AsksSentRecord {
  readonly kind: 'asks_sent';
  readonly t: number;
  readonly job: number;
  readonly framework: number;
  readonly priority: number;
  readonly containers: number;
}
/**
 * The YARN scheduler allocated container `container` to job `job` on agent `agent` at a node
 * heartbeat: its ApplicationMaster's own (`am`, priority 0) or one for a task, `res` the
 * normalised container the scheduler accounts (under the memory-only calculator, the memory
 * and 1 vcore as cpus).
 */
export interface ContainerAllocatedRecord {
  readonly kind: 'container_allocated';
  readonly t: number;
  readonly container: number;
  readonly job: number;
  readonly framework: number;
  readonly agent: number;
  /** the priority of the request it served (0: the AM's) */
  readonly priority: number;
  readonly locality: ContainerLocality;
  readonly am: boolean;
  readonly res: ResTuple;
}
/**
 * Why the scheduler completed a container:
 * - `task_ended`: the task bound to it ended (its node reported it at a heartbeat);
 * - `released`: its ApplicationMaster released it unused (no pending task wanted it);
 * - `app_finished`: the application was over: its AM's own container, and those it had not
 *   taken or bound yet, went back as the AM unregistered;
 * - `aborted`: its node was lost (Hadoop's ABORTED exit);
 * - `preempted`: the scheduler preempted it (its task, if any, was killed);
 * - `attempt_failed`: it went with its application's failed AM attempt (the AM's own container,
 *   its unbound ones, and its tasks' when the application failed).
 */
export const ContainerEnd = {
  TASK_ENDED: 'task_ended',
  RELEASED: 'released',
  APP_FINISHED: 'app_finished',
  ABORTED: 'aborted',
  PREEMPTED: 'preempted',
  ATTEMPT_FAILED: 'attempt_failed',
} as const;
/** One of {@link ContainerEnd}. */
export type ContainerEnd = (typeof ContainerEnd)[keyof typeof ContainerEnd];

/** The YARN scheduler completed container `container`: its resources stop counting for its queue. */
export interface ContainerCompletedRecord {
  readonly kind: 'container_completed';
  readonly t: number;
  readonly container: number;
  readonly job: number;
  readonly framework: number;
  readonly agent: number;
  readonly reason: ContainerEnd;
}
/**
 * The resources reserved on the YARN cluster's nodes (containers that fit a node's total but not
 * its free space wait there) changed to `res`, the sum over nodes. Logged at the end of an
 * instant in which they changed; 0 until the first record.
 */
export interface ReservedRecord {
  readonly kind: 'reserved';
  readonly t: number;
  readonly res: ResTuple;
}
/**
 * YARN leaf queue `queue`'s guarantee changed to `guarantee`: under the CapacityScheduler its
 * capacity's share of the cluster, under the FairScheduler its current fair share, under the
 * FifoScheduler the whole cluster. Logged for every leaf queue as the run starts, and then at the
 * end of an instant in which it changed.
 */
export interface QueueGuaranteeRecord {
  readonly kind: 'queue_guarantee';
  readonly t: number;
  readonly queue: string;
  readonly guarantee: ResTuple;
}

/** The run ended. */
export interface RunEndedRecord {
  readonly kind: 'run_ended';
  readonly t: number;
  /** 'completed': no work left; 'duration': the scenario's duration elapsed */
  readonly reason: 'completed' | 'duration';
}

/** Every record the model emits. */
export type LogRecord =
  | AgentAddedRecord
  | AgentRemovedRecord
  | FrameworkAddedRecord
  | JobSubmittedRecord
  | JobFinishedRecord
  | OfferSentRecord
  | OfferAcceptedRecord
  | OfferDeclinedRecord
  | OfferRescindedRecord
  | TaskStateRecord
  | TaskLocalityRecord
  | SuppressRecord
  | ReviveRecord
  | AllocationRunRecord
  | DecisionRecord
  | JobAbandonedRecord
  | CommitRecord
  | JobRestartedRecord
  | FrameworkDisconnectedRecord
  | AgentReconnectedRecord
  | FrameworkReconnectedRecord
  | FrameworkReconnectRefusedRecord
  | FrameworkRemovedRecord
  | JobDroppedRecord
  | TaskErrorRecord
  | ReservationRecord
  | OperationErrorRecord
  | AppSubmittedRecord
  | AmRegisteredRecord
  | AsksSentRecord
  | ContainerAllocatedRecord
  | ContainerCompletedRecord
  | ReservedRecord
  | QueueGuaranteeRecord
  | RunEndedRecord;

/** Record kinds, for exhaustive switches. */
export type LogKind = LogRecord['kind'];

/**
 * Something that consumes the log, in order: one record at a time through {@link record}, or, if
 * it has {@link block}, a block of consecutive records at a time (the run then never calls its
 * `record`). Both see the same records in the same order.
 */
export interface LogSink {
  record(r: LogRecord): void;
  /**
   * Optional: the next records of the log as rows of typed columns, read during the call only (the
   * block is reused). Saves building an object per record.
   */
  block?(b: LogBlock): void;
}

/**
 * Consecutive records of the log as rows of typed columns: row i has kind code `kind[i]`, time
 * `t[i]` and numbers `f[i * 9 ...]`, whose meaning by kind code sim/model/record-block.ts defines
 * (RowKind, ROW_FIELDS); {@link record} turns a row back into its record.
 */
export interface LogBlock {
  /** rows */
  readonly length: number;
  readonly kind: Uint8Array;
  readonly t: Float64Array;
  readonly f: Float64Array;
  /** the records kept whole (rows of kind OBJECT point into it) */
  readonly objects: readonly LogRecord[];
  /** row i as its record */
  record(i: number): LogRecord;
}
