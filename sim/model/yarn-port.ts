/**
 * The YARN port: what a YARN scheduler (allocators/yarn/: the CapacityScheduler, the
 * FairScheduler) implements, and what the ResourceManager model (the `yarn` architecture) calls.
 * It plays the part the allocation port (allocation-port.ts) plays for Mesos. The scheduler owns
 * what Hadoop's scheduler owns: each node's allocated and reserved resources, each application's
 * outstanding asks, its containers, the queues and their usage, the locality-delay counters. The
 * ResourceManager owns time: node heartbeats, ApplicationMaster heartbeats, hand-over, launches,
 * ends and failures (../shared/notes/yarn-semantics.md §1-2). The scheduler knows no clock: every
 * call that needs the time is given it, in integer microseconds. Types only; imports nothing but
 * model types.
 *
 * Resources are offersim's vectors in fixed point (resources.ts): YARN's memory-mb is `mem`, its
 * vcores are `cpus`. Hadoop configures memory in MB and time in ms; this port uses MB (inside the
 * vectors, as everywhere in offersim) and microseconds.
 */
import type { ResourceVector } from './resources.js';

/** The resource name of an ask that any node satisfies (Hadoop `ResourceRequest.ANY`). */
export const ANY = '*';

/** The priority of an ApplicationMaster container's request (RMAppAttemptImpl: priority 0, ANY); task requests use 1 and up. */
export const AM_PRIORITY = 0;

/** Where a container went relative to its ask (Hadoop `NodeType`), most local first. */
export const YARN_LOCALITIES = ['node-local', 'rack-local', 'off-switch'] as const;
/** One of {@link YARN_LOCALITIES}. */
export type YarnLocality = (typeof YARN_LOCALITIES)[number];

/** A node as the scheduler sees it. */
export interface YarnNodeInfo {
  /** the node's index (the agent's index in the run), 0, 1, ... in registration order */
  readonly index: number;
  /** its host name: what a node-local ask names */
  readonly host: string;
  /** its rack: what a rack-local ask names */
  readonly rack: string;
  /** what the NodeManager offers the cluster */
  readonly total: ResourceVector;
}

/** An application (one offersim job) as the scheduler sees it. */
export interface YarnAppInfo {
  /** the application's index, 0, 1, ... in submission order (the FIFO tie-break) */
  readonly id: number;
  /** its name, for messages and the FairScheduler's last tie-break */
  readonly name: string;
  /** the leaf queue it was submitted to: a path from the root, e.g. 'root.analytics' */
  readonly queue: string;
  /** its user (user limits count per user) */
  readonly user: string;
  /** its priority (Hadoop application priority; higher first; default 0) */
  readonly priority: number;
  /** when it was submitted, us */
  readonly submitted: number;
}

/**
 * One resource request of an application (Hadoop `ResourceRequest`), as the ApplicationMaster
 * sends it in an allocate call. Requests are keyed by (priority, resourceName); a request
 * replaces the one with the same key, and `numContainers` is the total still wanted there, not
 * an increment (LocalityAppPlacementAllocator). An AM asks, per priority, one request per
 * preferred host, one per rack of those hosts, and one for {@link ANY} with the total.
 */
export interface ResourceAsk {
  /** the request's priority: a lower number is served first (Hadoop `Priority`) */
  readonly priority: number;
  /** a host, a rack, or {@link ANY} */
  readonly resourceName: string;
  /** each container's resources, as asked (the scheduler normalises them) */
  readonly capability: ResourceVector;
  /** how many containers are still wanted at this name (0 withdraws the request) */
  readonly numContainers: number;
  /** whether a container may go less local than this name (default true in Hadoop) */
  readonly relaxLocality: boolean;
}

/** A container the scheduler allocated on a node's heartbeat (Hadoop `RMContainer`, ALLOCATED). */
export interface ContainerGrant {
  /** the container's id: 0, 1, ... in allocation order, unique over the run */
  readonly id: number;
  readonly app: number;
  readonly node: number;
  /** the priority of the request it served; the AM container is priority 0 */
  readonly priority: number;
  /** its resources, normalised (what it holds on the node) */
  readonly res: ResourceVector;
  /** how local it is to the request it served */
  readonly locality: YarnLocality;
  /** whether it is the application's ApplicationMaster container */
  readonly am: boolean;
}

/** Settings every YARN scheduler takes (yarn-default.xml; yarn-semantics.md §3.5). */
export interface YarnCommonOptions {
  /**
   * 'memory' (Hadoop's DefaultResourceCalculator, the CapacityScheduler's default: compares and
   * fits memory only, and a normalised container gets 1 vcore whatever it asked) or 'dominant'
   * (DominantResourceCalculator: every resource counts).
   */
  readonly calculator: 'memory' | 'dominant';
  /** yarn.scheduler.minimum-allocation-{mb,vcores}: 1024 MB, 1 vcore */
  readonly minAllocation: ResourceVector;
  /** yarn.scheduler.maximum-allocation-{mb,vcores}: 8192 MB, 4 vcores; a larger ask is an error of the AM */
  readonly maxAllocation: ResourceVector;
}

/** What one node heartbeat did, besides the containers it granted. */
export interface HeartbeatReport {
  /** whether the heartbeat ended with a new or renewed reservation on the node */
  reserved: boolean;
}

/**
 * A YARN scheduler. The ResourceManager calls it in simulated-time order; at one instant, in the
 * order of yarn-semantics.md §8 (releases, then AM allocate calls, then node heartbeats).
 */
export interface YarnScheduler {
  /** 'capacity' or 'fair' (or a user's) */
  readonly name: string;
  /** A NodeManager registered. */
  addNode(node: YarnNodeInfo): void;
  /**
   * Node `node` was lost (expired) or left: its reservation is dropped; every container on it
   * has already been completed through {@link completeContainer}.
   */
  removeNode(node: number): void;
  /**
   * Application `app` was submitted at `now` to its queue. `am` is its ApplicationMaster
   * container's resources, asked at priority 0 on {@link ANY} (the scheduler grants it subject to
   * the queue's AM limit); null when the AM takes no container (the apples-to-apples setting:
   * the application is running at once). Throws an Error naming the queue when it is not a leaf
   * queue of this scheduler.
   */
  addApp(app: YarnAppInfo, am: ResourceVector | null, now: number): void;
  /** Application `app` finished or failed: its containers are completed already; its asks go. */
  removeApp(app: number, now: number): void;
  /**
   * The AM's allocate call at `now`: each ask replaces the one of its (priority, resourceName).
   * Asks of a priority the scheduler has not seen add that priority.
   */
  updateAsks(app: number, asks: readonly ResourceAsk[], now: number): void;
  /**
   * Container `id` is over (its task ended, the AM released it, it was preempted or its node
   * lost): its resources go back to its node and stop counting for its app, user and queue.
   */
  completeContainer(id: number, now: number): void;
  /**
   * Node `node` heartbeats at `now` (after its finished containers were completed): the scheduler
   * allocates on it, appending each container to `out` in allocation order.
   */
  nodeUpdate(node: number, now: number, out: ContainerGrant[]): HeartbeatReport;
  /**
   * The scheduler's periodic work at `now`, when {@link updateInterval} > 0 (the FairScheduler's
   * fair-share update, 0.5 s; the preemption monitor, 3 s): returns the containers to kill now
   * (preempted), in the order to kill them.
   */
  update?(now: number): readonly number[];
  /** the period of {@link update} in us, or 0 for none */
  readonly updateInterval: number;
  /** resources reserved on nodes now (a metric), written into `out` */
  reservedInto(out: ResourceVector): void;
  /** what leaf queue `queue` holds now and its guarantee (for CS its capacity share of the cluster; for FS its fair share), written into the two vectors */
  queueUsage(queue: string, used: ResourceVector, guarantee: ResourceVector): void;
  /** the leaf queues, as paths from the root, in a fixed order */
  readonly leafQueues: readonly string[];
}

/** The ResourceManager's and the ApplicationMasters' settings (yarn-semantics.md §8). */
export interface YarnRmOptions {
  /** NodeManager heartbeat interval, us (yarn.resourcemanager.nodemanagers.heartbeat-interval-ms: 1000 ms) */
  readonly nodeHeartbeat: number;
  /** a container's end makes its node heartbeat at once (the NodeManager's out-of-band heartbeat); false: at its next periodic heartbeat */
  readonly outOfBandHeartbeat: boolean;
  /** ApplicationMaster allocate interval, us (yarn.app.mapreduce.am.scheduler.heartbeat.interval-ms: 1000 ms) */
  readonly amHeartbeat: number;
  /** the AM container's resources (MapReduce: 1536 MB, 1 vcore), or null: the AM takes no container */
  readonly am: ResourceVector | null;
  /** the priority of a job's tasks of its first size (MapReduce maps: 20); later sizes take the next numbers */
  readonly taskPriority: number;
  /** the scheduler's calculator: what a container holds on its agent ('memory': memory alone) */
  readonly calculator: 'memory' | 'dominant';
  /** the leaf queue a framework's jobs go to */
  queueOf(framework: string): string;
  /**
   * yarn.scheduler.maximum-allocation: an AM whose job has a task larger than this (in the
   * resources the calculator counts) kills the job at its registration, as MapReduce's
   * RMContainerAllocator does; default none (no check)
   */
  readonly maxAllocation?: ResourceVector | undefined;
  /** yarn.nm.liveness-monitor.expiry-interval-ms, us: a node silent this long is lost at the monitor's next check (every third of it); default 600 s */
  readonly nmExpiry?: number;
  /** yarn.am.liveness-monitor.expiry-interval-ms, us: an ApplicationMaster silent this long fails its attempt, checked likewise; default 600 s */
  readonly amExpiry?: number;
  /** yarn.resourcemanager.am.max-attempts: attempts an application may fail (lost-node and preemption exits not counted) before it fails; default 2 */
  readonly amMaxAttempts?: number;
}

/** Hadoop's defaults of the failure settings of {@link YarnRmOptions} (yarn-default.xml). */
export const YARN_FAILURE_DEFAULTS = { nmExpiry: 600_000_000, amExpiry: 600_000_000, amMaxAttempts: 2 } as const;

/** What the YARN architecture is built from, besides the common dependencies. */
export interface YarnDeps {
  readonly scheduler: YarnScheduler;
  readonly options: YarnRmOptions;
}
