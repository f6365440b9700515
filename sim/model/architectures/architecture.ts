/**
 * The seam between the master and a scheduling architecture: how the tasks of frameworks reach
 * agents (Mesos offers, a monolithic scheduler, Omega's shared state). One module per
 * architecture, as Google's cluster-scheduler-simulator keeps one file per architecture; the
 * allocation policy orders clients inside any of them. Types and names only; imports nothing.
 */

/**
 * The architectures: 'offers' (two-level, Mesos: the allocator offers, frameworks accept or
 * decline), 'monolithic' (one central scheduler places every task), 'shared-state' (every
 * framework places its own tasks on the whole free cluster, optimistically, as in Omega) and
 * 'yarn' (Hadoop YARN: per-job ApplicationMasters ask a ResourceManager, whose scheduler places
 * containers on node heartbeats).
 */
export const ARCHITECTURES = ['offers', 'monolithic', 'shared-state', 'yarn'] as const;
/** One of {@link ARCHITECTURES}. */
export type ArchitectureName = (typeof ARCHITECTURES)[number];

/** What the master tells its architecture; every call comes in simulated-time order. */
export interface Architecture {
  readonly name: ArchitectureName;
  /** Whether tasks are placed directly (Master.placeDirect), without offers. */
  readonly placesDirectly: boolean;
  /** The run starts: arm whatever runs periodically (the allocation interval's tick). */
  start(): void;
  /**
   * Something Mesos answers with an allocation run at once happened: agent `agent` registered,
   * or (agent < 0) a framework subscribed active, revived or reregistered.
   */
  trigger(agent: number): void;
  /**
   * A job arrived, or a task ended and its resources came back. A scheduler that places tasks
   * itself does so at once; offers wait for the next periodic run (MESOS-3078).
   */
  changed(): void;
  /** Job `job` of framework `fw` was submitted (after its scheduler was told). Optional. */
  jobSubmitted?(job: number, fw: number): void;
  /** Running task `task` on agent `agent` reached a terminal state (before its scheduler is told). Optional. */
  taskEnded?(task: number, agent: number): void;
  /** Job `job` is over (every task terminal or dropped), just before its storage is reclaimed. Optional. */
  jobOver?(job: number): void;
  /**
   * When agent `agent`, failed at `failedAt` us, is declared lost, us: the architecture's own
   * liveness rule (YARN's node expiry). Optional: absent, Mesos's ping timeouts decide.
   */
  lostAt?(agent: number, failedAt: number): number;
  /** Agent `agent` failed (it stops answering; it is declared lost later). Optional. */
  agentFailed?(agent: number): void;
  /** Failed agent `agent` was declared lost: its running tasks are lost already; it leaves the cluster next. Optional. */
  agentLost?(agent: number): void;
  /**
   * Whether the architecture reruns its lost tasks itself (YARN's ApplicationMasters): the
   * frameworks' behaviours are then not told of tasks lost with their agents. Optional; default false.
   */
  readonly rerunsLostTasks?: boolean;
}
