/**
 * The FairScheduler's state: its queues, applications, containers and nodes (Hadoop FSQueue,
 * FSAppAttempt, RMContainer, FSSchedulerNode), shared by fair.ts and fair-preemption.ts. Imports
 * model types, resources.ts and its yarn/ siblings only.
 */
import { NUM_RESOURCES, zero, type ResourceVector } from '../../sim/model/resources.js';
import type { YarnAppInfo, YarnNodeInfo } from '../../sim/model/yarn-port.js';
import { AppAsks } from './asks.js';
import { FairLocality } from './fair-locality.js';
import type { FairPolicy } from './fair-options.js';
import type { Schedulable } from './fair-policy.js';

const UNLIMITED = (): ResourceVector => new Float64Array(NUM_RESOURCES).fill(Infinity);

/** A queue of the tree (Hadoop FSQueue: FSParentQueue or FSLeafQueue). */
export class FairQueue implements Schedulable {
  readonly children: FairQueue[] = [];
  /** leaf only: its applications in the order they were added */
  readonly apps: FairApp[] = [];
  readonly usage = zero();
  readonly demand = zero();
  readonly fairShare = zero();
  readonly steadyFairShare = zero();
  /** leaf only: resources of its running AM containers (Hadoop amResourceUsage) */
  readonly amUsage = zero();
  /** applications in this queue and below (Hadoop getNumRunnableApps) */
  runnable = 0;
  readonly start = 0;
  rank = 0;
  /** preemption: when the queue was last not starved for its min share, us */
  lastTimeAtMinShare = 0;
  /** reusable scratch for sorting children or applications on a heartbeat */
  readonly scratch: Schedulable[] = [];

  constructor(
    readonly path: string,
    readonly parent: FairQueue | null,
    readonly weight: number,
    readonly minShare: ResourceVector,
    readonly maxShare: ResourceVector,
    readonly policy: FairPolicy,
    readonly maxAMShare: number,
  ) {}

  get leaf(): boolean {
    return this.children.length === 0;
  }

  isActive(): boolean {
    return this.runnable > 0;
  }
}

/** An application (Hadoop FSAppAttempt). */
export class FairApp implements Schedulable {
  readonly asks = new AppAsks();
  readonly locality = new FairLocality();
  readonly usage = zero();
  readonly demand = zero();
  readonly fairShare = zero();
  readonly minShare = zero();
  readonly maxShare = UNLIMITED();
  readonly weight = 1;
  readonly rank: number;
  /** its AM container's resources, normalised; null when the AM takes no container */
  readonly am: ResourceVector | null;
  amRunning = false;
  readonly containers = new Set<number>();
  /** preemption: when its usage was last at its fair-share threshold, us */
  lastTimeAtFairShare: number;
  /** preemption: its fair-share and min-share starvation at the last update */
  readonly fairshareStarvation = zero();
  readonly minshareStarvation = zero();
  /** preemption: resources of its containers chosen to be preempted */
  readonly toBePreempted = zero();
  /** preemption: not checked for starvation before this time, us */
  nextStarvationCheck = 0;
  /** nodes it holds a reservation on (Hadoop FSAppAttempt.reservations) */
  readonly reservedNodes = new Set<number>();

  constructor(
    readonly info: YarnAppInfo,
    readonly queue: FairQueue,
    am: ResourceVector | null,
    readonly start: number,
  ) {
    this.rank = info.id;
    this.am = am;
    this.lastTimeAtFairShare = start;
  }

  isActive(): boolean {
    return true;
  }
}

/** A container the scheduler placed. */
export interface FairContainer {
  readonly id: number;
  readonly app: FairApp;
  readonly node: number;
  readonly priority: number;
  readonly res: ResourceVector;
  readonly am: boolean;
}

/** A node (Hadoop FSSchedulerNode). */
export interface FairNode {
  readonly info: YarnNodeInfo;
  readonly unallocated: ResourceVector;
  /** containers on the node in allocation order, for preemption's victim search */
  readonly containers: Set<number>;
  /** containers chosen for preemption on it */
  readonly forPreemption: Set<number>;
  /** per starved application, the resources preemption is freeing for it here (served first at each heartbeat) */
  readonly preemptedFor: Map<FairApp, ResourceVector>;
  /** the container reserved on the node, if any (Hadoop getReservedContainer) */
  reserved: FairReservation | null;
}

/** A container reserved on a node for an application that it did not fit (Hadoop FSAppAttempt.reserve). */
export interface FairReservation {
  readonly app: FairApp;
  readonly priority: number;
  readonly res: ResourceVector;
}
