/**
 * Hadoop YARN's CapacityScheduler behind the YARN port: the queue tree with capacities, maximum
 * capacities and user limits, the AM resource limit, the per-heartbeat walk with delay scheduling
 * by missed opportunities, multiple assignments and node reservations (yarn-semantics.md §1.2-1.3,
 * §2.1, §3). Each rule names the Hadoop class and method it follows (resourcemanager's
 * scheduler/capacity/ package unless said). Imports the port, model types and the yarn/ helpers.
 */
import {
  AM_PRIORITY,
  ANY,
  type ContainerGrant,
  type HeartbeatReport,
  type ResourceAsk,
  type YarnAppInfo,
  type YarnLocality,
  type YarnNodeInfo,
  type YarnScheduler,
} from '../../sim/model/yarn-port.js';
import { FIXED_POINT, NUM_RESOURCES, R, type ResourceVector } from '../../sim/model/resources.js';
import { AppAsks } from './asks.js';
import { ResourceCalculator } from './calculator.js';
import {
  DEFAULT_QUEUE_SETTINGS,
  validateCapacityOptions,
  type CapacityOptions,
  type CapacityOrderingPolicy,
  type CapacityQueueOptions,
} from './capacity-options.js';
import { problemList } from '../param-checks.js';
import { PreemptionMonitor, type PreemptionQueueView, type PreemptionVictim } from './capacity-preemption.js';

/** Outcomes of one try, as Hadoop's ContainerAllocation states (AllocationState) and CSAssignment skips. */
const ALLOCATED = 0;
const RESERVED = 1;
const APP_SKIPPED = 2;
const PRIORITY_SKIPPED = 3;
const QUEUE_SKIPPED = 4;
const LOCALITY_SKIPPED = 5;
const NOTHING = 6;
type Outcome = number;

/** A queue of the tree: a parent (children) or a leaf (applications). */
interface Queue {
  readonly path: string;
  readonly parent: Queue | null;
  readonly children: Queue[];
  /** capacity and maximum capacity as fractions of the parent, and of the cluster (absolute) */
  capacity: number;
  maxCapacity: number;
  absCapacity: number;
  absMaxCapacity: number;
  userLimitFactor: number;
  minUserLimitPercent: number;
  policy: CapacityOrderingPolicy;
  maxAmPercent: number;
  /** allocated plus reserved (Hadoop's queue usage counts reservations) */
  readonly used: ResourceVector;
  /** absolute capacity x cluster, and absolute maximum capacity x cluster (whole units) */
  readonly guarantee: ResourceVector;
  readonly maxResource: ResourceVector;
  /** active applications below this queue with something outstanding */
  demanding: number;
  /** leaf only: active applications (fifo: kept in order), pending ones (not yet activated) */
  readonly apps: App[];
  readonly pending: App[];
  readonly amUsed: ResourceVector;
  readonly users: Map<string, User>;
  activeUsers: number;
  /** bumped whenever what the user limit reads changes (usage, active users, cluster, settings) */
  usersVersion: number;
}

/** A user of one leaf queue (UsersManager.User). */
interface User {
  readonly name: string;
  readonly queue: Queue;
  /** allocated plus reserved */
  readonly used: ResourceVector;
  readonly amUsed: ResourceVector;
  /** applications (active or pending) with something outstanding: the user is active when > 0 */
  demandingApps: number;
  apps: number;
  /** the user limit, and the queue's usersVersion it was computed at (UsersManager's cached limit) */
  readonly limit: ResourceVector;
  limitVersion: number;
}

/** An application attempt (FiCaSchedulerApp). */
interface App {
  readonly info: YarnAppInfo;
  readonly queue: Queue;
  readonly user: User;
  readonly asks: AppAsks;
  /** its AM container's resources (normalised; zero when the AM takes no container) */
  readonly amResource: ResourceVector;
  /** the AM container is asked but not yet granted */
  amPending: boolean;
  active: boolean;
  hasDemand: boolean;
  readonly used: ResourceVector;
  readonly reserved: ResourceVector;
  /** per priority: missed scheduling opportunities, re-reservations, reservations held */
  readonly opportunities: Map<number, number>;
  readonly reReservations: Map<number, number>;
  readonly reservedCount: Map<number, number>;
  /** nodes it holds a reservation on, and its live containers in allocation order */
  readonly reservedNodes: Set<number>;
  readonly containers: Set<number>;
}

interface Reservation {
  readonly app: App;
  readonly priority: number;
  readonly res: ResourceVector;
}

interface Node {
  readonly info: YarnNodeInfo;
  readonly allocated: ResourceVector;
  reservation: Reservation | null;
  removed: boolean;
}

/** A live container. */
export interface CapacityContainer {
  readonly id: number;
  readonly app: number;
  readonly node: number;
  readonly priority: number;
  readonly res: ResourceVector;
  readonly am: boolean;
  /** when it was allocated, us */
  readonly allocatedAt: number;
}

interface LiveContainer extends CapacityContainer {
  readonly appRef: App;
  readonly nodeRef: Node;
}

/** Per-queue settings that {@link CapacityScheduler.reconfigureQueue} may change (a queue refresh). */
export type CapacityQueueSettings = Omit<CapacityQueueOptions, 'path' | 'capacity'>;

const zeroVec = (): ResourceVector => new Float64Array(NUM_RESOURCES);
/** Whole units below or above x (Hadoop works in integer MB and vcores). */
const floorUnits = (x: number): number => Math.floor(x / FIXED_POINT + 1e-9) * FIXED_POINT;
const ceilUnits = (x: number): number => Math.ceil(x / FIXED_POINT - 1e-9) * FIXED_POINT;
const roundUpTo = (v: number, step: number): number => (step > 0 ? Math.ceil(v / step - 1e-9) * step : v);
const roundDownTo = (v: number, step: number): number => (step > 0 ? Math.floor(v / step + 1e-9) * step : v);

/** The CapacityScheduler. Deterministic: every order is total (queue path, app id, node index). */
export class CapacityScheduler implements YarnScheduler {
  readonly name = 'capacity';
  readonly updateInterval: number;
  readonly leafQueues: readonly string[];

  private o: CapacityOptions;
  private readonly calc: ResourceCalculator;
  private readonly root: Queue;
  private readonly leaves = new Map<string, Queue>();
  private readonly allQueues: Queue[] = [];
  private readonly nodes: Node[] = [];
  private numNodes = 0;
  private readonly cluster = zeroVec();
  private readonly apps = new Map<number, App>();
  private readonly containers = new Map<number, LiveContainer>();
  private readonly reservedTotal = zeroVec();
  private readonly preemption: PreemptionMonitor | null;
  private nextContainerId = 0;

  // scratch vectors of the walk (no allocation per heartbeat)
  private readonly limits: ResourceVector[] = [];
  private readonly headroom = zeroVec();
  private readonly free = zeroVec();
  private readonly tmpA = zeroVec();
  private readonly tmpB = zeroVec();
  private readonly tmpC = zeroVec();
  private readonly zero = zeroVec();
  /** what the app under consideration must unreserve before allocating, and its user's excess over the user limit */
  private readonly unreserveNeed = zeroVec();
  private readonly userExcess = zeroVec();
  /** scratch of userLimit: queue capacity, active users' usage, consumed, current capacity, the two bounds, the cap */
  private readonly ulScratch = Array.from({ length: 7 }, zeroVec);
  /** the locality of the last container allocated or reserved */
  private lastType: YarnLocality = 'off-switch';
  /** the last walk ended in a reservation (for the heartbeat's report) */
  private reservedThisBeat = false;

  constructor(options: CapacityOptions) {
    const problems = validateCapacityOptions(options);
    if (problems.length > 0) throw new Error(`invalid CapacityScheduler options: ${problemList(problems)}`);
    this.o = options;
    this.calc = new ResourceCalculator(options.calculator);
    this.root = this.makeQueue('root', null);
    this.root.capacity = this.root.maxCapacity = this.root.absCapacity = this.root.absMaxCapacity = 1;
    this.allQueues.push(this.root);
    const byPath = new Map<string, Queue>([['root', this.root]]);
    // parents before children: sort by depth, then keep the options' order
    const ordered = options.queues.map((q, i) => ({ q, i, depth: q.path.split('.').length })).sort((a, b) => a.depth - b.depth || a.i - b.i);
    for (const { q } of ordered) {
      const parent = byPath.get(q.path.slice(0, q.path.lastIndexOf('.')))!;
      const queue = this.makeQueue(q.path, parent);
      queue.capacity = q.capacity / 100;
      this.applySettings(queue, q);
      parent.children.push(queue);
      byPath.set(q.path, queue);
      this.allQueues.push(queue);
    }
    const leafPaths: string[] = [];
    for (const q of options.queues) {
      const queue = byPath.get(q.path)!;
      if (queue.children.length === 0) {
        leafPaths.push(q.path);
        this.leaves.set(q.path, queue);
      }
    }
    this.leafQueues = leafPaths;
    this.computeAbsolute(this.root);
    let depth = 0;
    for (const q of this.allQueues) depth = Math.max(depth, q.path.split('.').length);
    for (let i = 0; i <= depth; i++) this.limits.push(zeroVec());
    this.preemption = options.preemption.enabled ? new PreemptionMonitor(options.preemption, this.calc) : null;
    this.updateInterval = this.preemption === null ? 0 : options.preemption.monitoringInterval;
  }

  // ---- the port ----

  addNode(node: YarnNodeInfo): void {
    if (this.nodes[node.index] !== undefined && !this.nodes[node.index]!.removed) throw new Error(`node ${node.index} (${node.host}) registered twice`);
    this.nodes[node.index] = { info: node, allocated: zeroVec(), reservation: null, removed: false };
    this.numNodes++;
    this.addVec(this.cluster, node.total, 1);
    this.clusterChanged();
  }

  removeNode(index: number): void {
    const node = this.node(index);
    if (node.reservation !== null) this.unreserve(node);
    for (const c of this.containers.values()) {
      if (c.node === index) throw new Error(`node ${index} removed with container ${c.id} still on it`);
    }
    node.removed = true;
    this.numNodes--;
    this.addVec(this.cluster, node.info.total, -1);
    this.clusterChanged();
  }

  addApp(info: YarnAppInfo, am: ResourceVector | null, _now: number): void {
    const queue = this.leaves.get(info.queue);
    if (queue === undefined)
      throw new Error(
        `application ${info.name} submitted to "${info.queue}", which is not a leaf queue of the CapacityScheduler (leaves: ${this.leafQueues.join(', ')})`,
      );
    if (this.apps.has(info.id)) throw new Error(`application ${info.id} submitted twice`);
    let user = queue.users.get(info.user);
    if (user === undefined) {
      user = { name: info.user, queue, used: zeroVec(), amUsed: zeroVec(), demandingApps: 0, apps: 0, limit: zeroVec(), limitVersion: -1 };
      queue.users.set(info.user, user);
    }
    user.apps++;
    const app: App = {
      info,
      queue,
      user,
      asks: new AppAsks(),
      amResource: am === null ? zeroVec() : this.normalise(am),
      amPending: am !== null,
      active: false,
      hasDemand: false,
      used: zeroVec(),
      reserved: zeroVec(),
      opportunities: new Map(),
      reReservations: new Map(),
      reservedCount: new Map(),
      reservedNodes: new Set(),
      containers: new Set(),
    };
    this.apps.set(info.id, app);
    if (am !== null) {
      app.asks.update([{ priority: AM_PRIORITY, resourceName: ANY, capability: am, numContainers: 1, relaxLocality: true }], (v) => this.normalise(v));
    }
    if (am === null) {
      this.activate(app);
    } else {
      insertSorted(queue.pending, app, pendingOrder);
      // AbstractLeafQueue.addApplicationAttempt: activation waits for a non-empty cluster
      if (!this.calc.isZero(this.cluster)) this.activateApplications(queue);
    }
    this.updateDemand(app);
  }

  removeApp(id: number, _now: number): void {
    const app = this.app(id);
    for (const cid of [...app.containers]) this.release(this.containers.get(cid)!);
    for (const n of [...app.reservedNodes]) this.unreserve(this.nodes[n]!);
    if (app.hasDemand) {
      app.hasDemand = false;
      this.userDemand(app.user, -1);
      if (app.active) this.queueDemand(app.queue, -1);
    }
    const q = app.queue;
    if (app.active) {
      q.apps.splice(q.apps.indexOf(app), 1);
      this.addVec(q.amUsed, app.amResource, -1);
      this.addVec(app.user.amUsed, app.amResource, -1);
    } else {
      q.pending.splice(q.pending.indexOf(app), 1);
    }
    app.user.apps--;
    q.usersVersion++;
    if (app.user.apps === 0) q.users.delete(app.user.name);
    this.apps.delete(id);
    // AbstractLeafQueue.removeApplicationAttempt: room may have opened for a pending application
    this.activateApplications(q);
  }

  updateAsks(id: number, asks: readonly ResourceAsk[], _now: number): void {
    const app = this.app(id);
    for (const a of asks) {
      if (!this.calc.fitsIn(a.capability, this.o.maxAllocation)) {
        throw new Error(`application ${app.info.name} asks containers larger than the maximum allocation at priority ${a.priority} (${a.resourceName})`);
      }
    }
    app.asks.update(asks, (v) => this.normalise(v));
    this.updateDemand(app);
  }

  completeContainer(id: number, _now: number): void {
    const c = this.containers.get(id);
    if (c === undefined) throw new Error(`container ${id} completed but the CapacityScheduler holds no such container`);
    this.release(c);
    this.preemption?.forget(id);
  }

  nodeUpdate(index: number, now: number, out: ContainerGrant[]): HeartbeatReport {
    const node = this.node(index);
    this.reservedThisBeat = false;
    // CapacityScheduler.allocateContainersToNode and canAllocateMore: repeat while the last walk
    // assigned a container that is not a reservation, under the off-switch and count caps
    let offswitch = 0;
    let assigned = 0;
    const maxOff = Math.max(1, this.o.maxOffswitchAssignments);
    for (;;) {
      const r = this.allocateOnce(node, now, out);
      if (r !== ALLOCATED) break;
      assigned++;
      if (this.lastType === 'off-switch') offswitch++;
      if (!this.o.multipleAssignments || offswitch >= maxOff) break;
      if (this.o.maxAssignments !== -1 && assigned >= this.o.maxAssignments) break;
    }
    return { reserved: this.reservedThisBeat };
  }

  /** The preemption monitor's run (when enabled): the containers to kill now. */
  update(now: number): readonly number[] {
    if (this.preemption === null) return [];
    return this.preemption.run(now, this.preemptionView(this.root), this.cluster);
  }

  reservedInto(out: ResourceVector): void {
    out.set(this.reservedTotal);
  }

  queueUsage(queue: string, used: ResourceVector, guarantee: ResourceVector): void {
    const q = this.leaves.get(queue);
    if (q === undefined) throw new Error(`"${queue}" is not a leaf queue of the CapacityScheduler`);
    used.set(q.used);
    guarantee.set(q.guarantee);
  }

  // ---- beyond the port: inspection and refresh ----

  /** Missed scheduling opportunities of `app` at `priority` (SchedulerApplicationAttempt.getSchedulingOpportunities). */
  schedulingOpportunities(app: number, priority: number): number {
    return this.app(app).opportunities.get(priority) ?? 0;
  }

  /** Sets them back to 0 (SchedulerApplicationAttempt.resetSchedulingOpportunities). */
  resetSchedulingOpportunities(app: number, priority: number): void {
    this.app(app).opportunities.set(priority, 0);
  }

  /** Containers `app` still wants at `priority` (its ANY request). */
  outstanding(app: number, priority: number): number {
    return this.app(app).asks.outstanding(priority);
  }

  /** What `app`'s containers hold (not its reservations), written into `out`. */
  appUsed(app: number, out: ResourceVector): void {
    out.set(this.app(app).used);
  }

  /** What `app` holds reserved on nodes, written into `out`. */
  appReserved(app: number, out: ResourceVector): void {
    out.set(this.app(app).reserved);
  }

  /** Whether `app` was activated (its queue's AM limit let it start). */
  isActive(app: number): boolean {
    return this.app(app).active;
  }

  /** What node `index`'s containers hold (not its reservation), written into `out`. */
  nodeAllocated(index: number, out: ResourceVector): void {
    out.set(this.node(index).allocated);
  }

  /** The application holding a reservation on node `index`, or -1. */
  nodeReservedBy(index: number): number {
    return this.node(index).reservation?.app.info.id ?? -1;
  }

  /** The live containers, in allocation order. */
  liveContainers(): readonly CapacityContainer[] {
    return [...this.containers.values()];
  }

  /**
   * Changes a queue's settings besides its capacity (Hadoop's queue refresh, as the unit tests'
   * setUserLimit, setUserLimitFactor and setMaxCapacity); limits are recomputed, pending
   * applications reconsidered.
   */
  reconfigureQueue(path: string, settings: CapacityQueueSettings): void {
    const q = this.allQueues.find((x) => x.path === path);
    if (q === undefined || q === this.root) throw new Error(`no queue "${path}" to reconfigure`);
    const problems = validateCapacityOptions({ ...this.o, queues: this.o.queues.map((x) => (x.path === path ? { ...x, ...settings } : x)) });
    if (problems.length > 0) throw new Error(`invalid settings for queue ${path}: ${problemList(problems)}`);
    this.applySettings(q, settings);
    this.computeAbsolute(this.root);
    this.clusterChanged();
  }

  /** Changes the delay-scheduling settings (a refresh of node-locality-delay and the rack settings). */
  reconfigure(settings: Partial<Pick<CapacityOptions, 'nodeLocalityDelay' | 'rackLocalityAdditionalDelay' | 'rackLocalityFullReset'>>): void {
    const next = { ...this.o, ...settings };
    const problems = validateCapacityOptions(next);
    if (problems.length > 0) throw new Error(`invalid CapacityScheduler settings: ${problemList(problems)}`);
    this.o = next;
  }

  /** Leaf `queue`'s AM resource limit now, written into `out`. */
  amResourceLimit(queue: string, out: ResourceVector): void {
    const q = this.leaves.get(queue);
    if (q === undefined) throw new Error(`"${queue}" is not a leaf queue of the CapacityScheduler`);
    this.computeAmLimit(q, out);
  }

  /** Users of leaf `queue` with something outstanding (UsersManager.getNumActiveUsers). */
  activeUsers(queue: string): number {
    const q = this.leaves.get(queue);
    if (q === undefined) throw new Error(`"${queue}" is not a leaf queue of the CapacityScheduler`);
    return q.activeUsers;
  }

  /** The containers the preemption monitor has marked and not yet killed, in marking order. */
  markedContainers(): readonly number[] {
    return this.preemption === null ? [] : this.preemption.markedContainers();
  }

  // ---- one heartbeat ----

  /** CapacityScheduler.allocateContainerOnSingleNode: the reservation first, then a walk from the root. */
  private allocateOnce(node: Node, now: number, out: ContainerGrant[]): Outcome {
    if (node.reservation !== null) {
      this.serveReservation(node, now, out);
      // a reserved node serves nothing else
      if (node.reservation !== null) return NOTHING;
    }
    this.free.set(node.info.total);
    this.addVec(this.free, node.allocated, -1);
    if (this.calc.containersIn(this.free, this.o.minAllocation) <= 0) return NOTHING;
    this.limits[0]!.set(this.cluster);
    const r = this.assignQueue(this.root, 0, node, now, out);
    if (r === RESERVED) this.reservedThisBeat = true;
    return r;
  }

  /** ParentQueue.assignContainers (one container) or the leaf's. */
  private assignQueue(q: Queue, depth: number, node: Node, now: number, out: ContainerGrant[]): Outcome {
    if (q.demanding === 0) return NOTHING;
    if (q.children.length === 0) return this.assignLeaf(q, depth, node, now, out);
    const limit = this.limits[depth]!;
    // AbstractCSQueue.canAssignToThisQueue: nothing once usage reaches min(limit, maximum)
    const cur = this.minByCalc(limit, q.maxResource);
    if (this.calc.compare(this.cluster, q.used, cur) >= 0) return NOTHING;
    // PriorityUtilizationQueueOrderingPolicy: least used against guarantee first, then larger capacity
    q.children.sort((a, b) => this.queueOrder(a, b));
    const childLimit = this.limits[depth + 1]!;
    for (const child of q.children) {
      if (child.demanding === 0) continue;
      this.childLimit(q, limit, child, childLimit);
      const r = this.assignQueue(child, depth + 1, node, now, out);
      if (r === ALLOCATED || r === RESERVED) return r;
    }
    return NOTHING;
  }

  /**
   * AbstractParentQueue.getResourceLimitsOfChild: what the parent has left plus what the child
   * holds, at most the child's maximum, rounded down to the minimum allocation.
   */
  private childLimit(parent: Queue, parentLimit: ResourceVector, child: Queue, out: ResourceVector): void {
    for (let r = 0; r < NUM_RESOURCES; r++) this.tmpA[r] = parentLimit[r]! - parent.used[r]! + child.used[r]!;
    out.set(this.minByCalc(this.tmpA, child.maxResource));
    for (let r = 0; r < NUM_RESOURCES; r++) out[r] = roundDownTo(out[r]!, this.o.minAllocation[r]!);
  }

  private queueOrder(a: Queue, b: Queue): number {
    const ua = this.calc.ratio(this.cluster, a.used, a.guarantee);
    const ub = this.calc.ratio(this.cluster, b.used, b.guarantee);
    if (ua !== ub) return ua < ub ? -1 : 1;
    if (a.absCapacity !== b.absCapacity) return b.absCapacity - a.absCapacity;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  }

  /** AbstractLeafQueue.assignContainers: applications in order, each under the queue's and its user's limits. */
  private assignLeaf(q: Queue, depth: number, node: Node, now: number, out: ContainerGrant[]): Outcome {
    // the queue's limit: min(parent's, maximum capacity rounded down) (updateCurrentResourceLimits)
    const limit = this.leafLimit(q, this.limits[depth]!);
    const atLimit = this.calc.compare(this.cluster, q.used, limit) >= 0;
    for (let r = 0; r < NUM_RESOURCES; r++) this.headroom[r] = limit[r]! - q.used[r]!;
    if (q.policy === 'fair') q.apps.sort(fairOrder);
    let checkQueue = true;
    for (const app of q.apps) {
      // canAssignToThisQueue, asked with each app in order until one holds no reservation: a queue
      // at its limit may still serve an app that could drop a reservation (continue-looking)
      if (checkQueue) {
        if (atLimit) {
          for (let r = 0; r < NUM_RESOURCES; r++) this.tmpA[r] = q.used[r]! - app.reserved[r]!;
          if (isAllZero(app.reserved) || this.calc.compare(this.cluster, this.tmpA, limit) >= 0) return NOTHING;
        }
        if (isAllZero(app.reserved)) checkQueue = false;
      }
      if (!app.hasDemand) continue;
      // canAssignToUser: refused only when the user already holds more than the limit, unless
      // dropping the app's reservations would bring it within (then that much must be unreserved)
      const userLimit = this.userLimit(q, app.user);
      this.userExcess.fill(0);
      if (this.calc.compare(this.cluster, app.user.used, userLimit) > 0) {
        for (let r = 0; r < NUM_RESOURCES; r++) this.tmpA[r] = app.user.used[r]! - app.reserved[r]!;
        if (this.calc.compare(this.cluster, this.tmpA, userLimit) > 0) continue;
        for (let r = 0; r < NUM_RESOURCES; r++) this.userExcess[r] = app.user.used[r]! - userLimit[r]!;
      }
      const r = this.assignApp(app, node, now, out);
      if (r === ALLOCATED || r === RESERVED) return r;
      // QUEUE_SKIPPED (no headroom) ends the queue's turn; a skipped app lets the next one try
      if (r === QUEUE_SKIPPED) return NOTHING;
    }
    return NOTHING;
  }

  /** min(parent's limit, the queue's maximum rounded down to the minimum allocation), in tmpC. */
  private leafLimit(q: Queue, parentLimit: ResourceVector): ResourceVector {
    for (let r = 0; r < NUM_RESOURCES; r++) this.tmpB[r] = roundDownTo(q.maxResource[r]!, this.o.minAllocation[r]!);
    this.tmpC.set(this.minByCalc(parentLimit, this.tmpB));
    return this.tmpC;
  }

  /** RegularContainerAllocator.assignContainers: the priorities in order. */
  private assignApp(app: App, node: Node, now: number, out: ContainerGrant[]): Outcome {
    for (const p of app.asks.priorities()) {
      const any = app.asks.get(p, ANY)!;
      // preCheckForNodeCandidateSet / checkHeadroom: the queue's headroom plus what the app could
      // unreserve (reservations-continue-looking, on by default) must hold one container
      for (let r = 0; r < NUM_RESOURCES; r++) this.tmpA[r] = this.headroom[r]! + app.reserved[r]!;
      if (this.calc.compare(this.cluster, this.tmpA, any.capability) < 0) return QUEUE_SKIPPED;
      // RegularContainerAllocator.assignContainer: what must be unreserved first is
      // max(container - headroom, the user's excess)
      for (let r = 0; r < NUM_RESOURCES; r++) this.tmpB[r] = any.capability[r]! - this.headroom[r]!;
      this.unreserveNeed.set(this.maxByCalc(this.tmpB, this.userExcess));
      const needUnreserve = this.calc.compare(this.cluster, this.unreserveNeed, this.zero) > 0;
      // tryAllocateOnNode: the node is an opportunity, unless the priority is skipped outright
      app.opportunities.set(p, (app.opportunities.get(p) ?? 0) + 1);
      const r = this.assignOnNode(app, p, node, needUnreserve, null, now, out);
      if (r === PRIORITY_SKIPPED) {
        app.opportunities.set(p, app.opportunities.get(p)! - 1);
        continue;
      }
      return r;
    }
    return PRIORITY_SKIPPED;
  }

  /**
   * RegularContainerAllocator.assignContainersOnNode: node-local, then rack-local, then
   * off-switch, each when canAssign lets it (the delay of §3.4). `reservation` is the node's own
   * reservation being served, if any.
   */
  private assignOnNode(app: App, p: number, node: Node, needUnreserve: boolean, reservation: Reservation | null, now: number, out: ContainerGrant[]): Outcome {
    const { host, rack } = node.info;
    const asks = app.asks;
    const rackCount = asks.get(p, rack)?.numContainers ?? 0;
    if ((asks.get(p, host)?.numContainers ?? 0) > 0 && rackCount > 0) {
      const r = this.assignContainer(app, p, node, 'node-local', needUnreserve, reservation, now, out);
      if (r === ALLOCATED || r === RESERVED) return r;
    }
    if (rackCount > 0) {
      if (!asks.canDelayTo(p, rack)) return PRIORITY_SKIPPED;
      // rack-local once the missed opportunities pass min(N, node-locality-delay)
      if ((app.opportunities.get(p) ?? 0) > Math.min(this.numNodes, this.o.nodeLocalityDelay)) {
        const r = this.assignContainer(app, p, node, 'rack-local', needUnreserve, reservation, now, out);
        if (r === ALLOCATED || r === RESERVED) return r;
      }
    }
    if (!asks.canDelayTo(p, ANY)) return PRIORITY_SKIPPED;
    if (reservation === null && !this.canAssignOffSwitch(app, p)) return APP_SKIPPED;
    const r = this.assignContainer(app, p, node, 'off-switch', needUnreserve, reservation, now, out);
    return r === LOCALITY_SKIPPED ? APP_SKIPPED : r;
  }

  /** RegularContainerAllocator.canAssign for OFF_SWITCH (and getLocalityWaitFactor). */
  private canAssignOffSwitch(app: App, p: number): boolean {
    const n = this.numNodes;
    if (n === 0) return false;
    const locations = app.asks.uniqueLocationAsks(p);
    // a request for ANY alone is never delayed
    if (locations === 1) return true;
    const missed = app.opportunities.get(p) ?? 0;
    if (this.o.rackLocalityAdditionalDelay > -1) return missed > Math.min(n, this.o.nodeLocalityDelay + this.o.rackLocalityAdditionalDelay);
    // Hadoop computes the factor and the product in float
    const factor = Math.min(Math.fround(Math.max(locations - 1, 0) / n), 1);
    return Math.min(n, Math.fround(app.asks.outstanding(p) * factor)) < missed;
  }

  /**
   * RegularContainerAllocator.assignContainer and doAllocation: allocate when the node has room,
   * else reserve it when the request fits the node's total and shouldAllocOrReserveNewContainer
   * lets it; when serving the node's reservation, fulfil it or re-reserve.
   */
  private assignContainer(
    app: App,
    p: number,
    node: Node,
    type: YarnLocality,
    needUnreserve: boolean,
    reservation: Reservation | null,
    now: number,
    out: ContainerGrant[],
  ): Outcome {
    const cap = app.asks.get(p, ANY)!.capability;
    if (!this.calc.fitsIn(cap, node.info.total)) return LOCALITY_SKIPPED;
    this.free.set(node.info.total);
    this.addVec(this.free, node.allocated, -1);
    const available = this.calc.containersIn(this.free, cap) > 0;
    if (reservation !== null) {
      if (available) {
        // the reserved amount moves from the reservation to the container
        this.unreserve(node);
        this.allocate(app, p, node, type, cap, now, out, false);
        return ALLOCATED;
      }
      app.reReservations.set(p, (app.reReservations.get(p) ?? 0) + 1);
      this.lastType = type;
      return RESERVED;
    }
    const should = this.shouldAllocOrReserve(app, p, cap);
    if (available) {
      if (!should || needUnreserve) {
        // reservations-continue-looking: take this node and drop a reservation held elsewhere
        const other = this.findReservationToDrop(app, p, node, needUnreserve ? this.unreserveNeed : cap);
        if (other === null) return LOCALITY_SKIPPED;
        this.unreserve(other);
      }
      this.allocate(app, p, node, type, cap, now, out, true);
      return ALLOCATED;
    }
    if (!should || needUnreserve) return LOCALITY_SKIPPED;
    this.reserve(app, p, node, cap);
    this.afterFirstAssignment(app, p, type);
    this.lastType = type;
    return RESERVED;
  }

  /**
   * RegularContainerAllocator.shouldAllocOrReserveNewContainer: while reservations are held at
   * `p`, re-reservations count as starvation, biased against large containers.
   */
  private shouldAllocOrReserve(app: App, p: number, cap: ResourceVector): boolean {
    const required = app.asks.outstanding(p);
    const reserved = app.reservedCount.get(p) ?? 0;
    let starvation = 0;
    if (reserved > 0) {
      const nodeFactor = this.calc.ratio(this.cluster, cap, this.o.maxAllocation);
      for (let r = 0; r < NUM_RESOURCES; r++) this.tmpB[r] = this.o.maxAllocation[r]! - this.o.minAllocation[r]!;
      const minAllocFactor = this.calc.ratio(this.cluster, this.tmpB, this.o.maxAllocation);
      starvation = Math.trunc(Math.fround(((app.reReservations.get(p) ?? 0) / reserved) * (1 - Math.min(nodeFactor, minAllocFactor))));
    }
    return starvation + required - reserved > 0;
  }

  /** FiCaSchedulerApp.findNodeToUnreserve: the app's reservation at `p` on another node, of at least `amount`. */
  private findReservationToDrop(app: App, p: number, except: Node, amount: ResourceVector): Node | null {
    const ids = [...app.reservedNodes].sort((a, b) => a - b);
    for (const i of ids) {
      const n = this.nodes[i]!;
      if (n === except || n.reservation === null || n.reservation.priority !== p) continue;
      if (this.calc.fitsIn(amount, n.reservation.res)) return n;
    }
    return null;
  }

  /** Serving node.reservation (AbstractLeafQueue.allocateFromReservedContainer). */
  private serveReservation(node: Node, now: number, out: ContainerGrant[]): void {
    const res = node.reservation!;
    const app = res.app;
    if (app.asks.outstanding(res.priority) === 0) {
      // RegularContainerAllocator.allocate: nothing left to reserve for: release it
      this.unreserve(node);
      return;
    }
    app.opportunities.set(res.priority, (app.opportunities.get(res.priority) ?? 0) + 1);
    const r = this.assignOnNode(app, res.priority, node, false, res, now, out);
    if (r === RESERVED) this.reservedThisBeat = true;
  }

  /** Only a first allocation or reservation resets the missed opportunities; off-switch never (doAllocation). */
  private afterFirstAssignment(app: App, p: number, type: YarnLocality): void {
    if (type === 'node-local' || (type === 'rack-local' && this.o.rackLocalityFullReset)) app.opportunities.set(p, 0);
  }

  /** A container of `app` at `p` on `node`; `first` when not from a reservation (then the opportunities may reset). */
  private allocate(app: App, p: number, node: Node, type: YarnLocality, cap: ResourceVector, now: number, out: ContainerGrant[], first: boolean): void {
    const res = cap.slice();
    const am = app.amPending && p === AM_PRIORITY;
    if (am) app.amPending = false;
    app.asks.allocate(p, type, node.info.host, node.info.rack);
    const id = this.nextContainerId++;
    const c: LiveContainer = { id, app: app.info.id, node: node.info.index, priority: p, res, am, allocatedAt: now, appRef: app, nodeRef: node };
    this.containers.set(id, c);
    app.containers.add(id);
    this.addVec(node.allocated, res, 1);
    this.addVec(app.used, res, 1);
    this.addVec(app.user.used, res, 1);
    this.addUsage(app.queue, res, 1);
    if (first) this.afterFirstAssignment(app, p, type);
    this.lastType = type;
    this.updateDemand(app);
    out.push({ id, app: app.info.id, node: node.info.index, priority: p, res, locality: type, am });
  }

  private release(c: LiveContainer): void {
    this.containers.delete(c.id);
    c.appRef.containers.delete(c.id);
    this.addVec(c.nodeRef.allocated, c.res, -1);
    this.addVec(c.appRef.used, c.res, -1);
    this.addVec(c.appRef.user.used, c.res, -1);
    this.addUsage(c.appRef.queue, c.res, -1);
  }

  private reserve(app: App, p: number, node: Node, cap: ResourceVector): void {
    const res = cap.slice();
    node.reservation = { app, priority: p, res };
    app.reservedNodes.add(node.info.index);
    app.reservedCount.set(p, (app.reservedCount.get(p) ?? 0) + 1);
    this.addVec(app.reserved, res, 1);
    this.addVec(app.user.used, res, 1);
    this.addUsage(app.queue, res, 1);
    this.addVec(this.reservedTotal, res, 1);
  }

  /** Drops node's reservation (fulfilled or cancelled); a fulfilled one's usage moves to the container. */
  private unreserve(node: Node): void {
    const { app, priority, res } = node.reservation!;
    node.reservation = null;
    app.reservedNodes.delete(node.info.index);
    app.reservedCount.set(priority, app.reservedCount.get(priority)! - 1);
    app.reReservations.set(priority, 0);
    this.addVec(app.reserved, res, -1);
    this.addVec(app.user.used, res, -1);
    this.addUsage(app.queue, res, -1);
    this.addVec(this.reservedTotal, res, -1);
  }

  // ---- preemption's snapshot ----

  /** A queue with its usage, and for a leaf its pending demand and its containers in preemption order. */
  private preemptionView(q: Queue): PreemptionQueueView {
    const pending = zeroVec();
    const victims: PreemptionVictim[] = [];
    if (q.children.length === 0) {
      if (q.policy === 'fair') q.apps.sort(fairOrder);
      this.leafPending(q, pending);
      // FifoCandidatesSelector: applications in reverse order; in each, lower priorities first,
      // then the newest container first (AM containers are set apart by the monitor)
      for (let i = q.apps.length - 1; i >= 0; i--) {
        const app = q.apps[i]!;
        const cs = [...app.containers].map((id) => this.containers.get(id)!);
        cs.sort((a, b) => b.priority - a.priority || b.id - a.id);
        for (const c of cs) victims.push({ id: c.id, res: c.res, am: c.am });
      }
    }
    return {
      path: q.path,
      children: q.children.map((c) => this.preemptionView(c)),
      used: q.used,
      guarantee: q.guarantee,
      maxResource: q.maxResource,
      pending,
      victims,
    };
  }

  /**
   * AbstractLeafQueue.getTotalPendingResourcesConsideringUserLimit: each active application's
   * outstanding containers, within what its user may still take under the user limit.
   */
  private leafPending(q: Queue, out: ResourceVector): void {
    const headroom = new Map<User, ResourceVector>();
    const want = zeroVec();
    for (const app of q.apps) {
      if (!app.hasDemand) continue;
      let room = headroom.get(app.user);
      if (room === undefined) {
        const limit = this.userLimit(q, app.user);
        room = zeroVec();
        for (let r = 0; r < NUM_RESOURCES; r++) room[r] = Math.max(0, limit[r]! - app.user.used[r]!);
        headroom.set(app.user, room);
      }
      want.fill(0);
      for (const p of app.asks.priorities()) {
        const any = app.asks.get(p, ANY)!;
        for (let r = 0; r < NUM_RESOURCES; r++) want[r]! += any.numContainers * any.capability[r]!;
      }
      const take = this.minByCalc(want, room).slice();
      this.addVec(out, take, 1);
      this.addVec(room, take, -1);
    }
  }

  // ---- limits ----

  /**
   * UsersManager.computeUserLimit, for an active user:
   * max(ceil((active users' usage + minAlloc) / active users), currentCapacity x min-user-limit-%),
   * capped at max(guarantee, minAlloc) x user-limit-factor, rounded up to the minimum allocation.
   * currentCapacity is the guarantee while the queue's users consume less, else consumed + minAlloc.
   */
  private userLimit(q: Queue, user: User): ResourceVector {
    if (user.limitVersion === q.usersVersion) return user.limit;
    const min = this.o.minAllocation;
    const [queueCap, activeUsed, consumed, current, byUsers, byPercent, maxLimit] = this.ulScratch;
    queueCap!.set(this.maxByCalc(q.guarantee, min));
    let ratio = 0;
    activeUsed!.set(min);
    for (const u of q.users.values()) {
      ratio += this.calc.share(this.cluster, u.used);
      if (u.demandingApps > 0) this.addVec(activeUsed!, u.used, 1);
    }
    for (let r = 0; r < NUM_RESOURCES; r++) consumed![r] = roundUpTo(ceilUnits(this.cluster[r]! * ratio), min[r]!);
    if (this.calc.compare(this.cluster, consumed!, queueCap!) < 0) current!.set(queueCap!);
    else for (let r = 0; r < NUM_RESOURCES; r++) current![r] = consumed![r]! + min[r]!;
    const n = Math.max(1, q.activeUsers);
    for (let r = 0; r < NUM_RESOURCES; r++) {
      byUsers![r] = ceilUnits(activeUsed![r]! / n);
      byPercent![r] = ceilUnits(floorUnits(current![r]! * q.minUserLimitPercent) / 100);
      maxLimit![r] = q.userLimitFactor === -1 ? q.maxResource[r]! : floorUnits(queueCap![r]! * q.userLimitFactor);
    }
    const capped = this.minByCalc(this.maxByCalc(byUsers!, byPercent!), maxLimit!);
    for (let r = 0; r < NUM_RESOURCES; r++) user.limit[r] = roundUpTo(capped[r]!, min[r]!);
    user.limitVersion = q.usersVersion;
    return user.limit;
  }

  /**
   * AbstractLeafQueue.activateApplications: pending applications in order start while the queue's
   * AM usage plus theirs stays within the AM limit (and the user's AM limit); the queue's first
   * application always starts.
   */
  private activateApplications(q: Queue): void {
    if (q.pending.length === 0) return;
    const min = this.o.minAllocation;
    const amLimit = zeroVec();
    this.computeAmLimit(q, amLimit);
    // getUserAMResourceLimitPerPartition (user weights 1)
    const effUserLimit = Math.min(Math.max(q.minUserLimitPercent / 100, 1 / Math.max(q.activeUsers, 1)), 1);
    const share = q.userLimitFactor === -1 ? q.maxAmPercent : q.maxAmPercent * effUserLimit * q.userLimitFactor;
    const userAmLimit = zeroVec();
    for (let r = 0; r < NUM_RESOURCES; r++) userAmLimit[r] = roundUpTo(ceilUnits(q.guarantee[r]! * share), min[r]!);
    userAmLimit.set(this.minByCalc(userAmLimit, amLimit));
    const ifStarted = zeroVec();
    for (const app of [...q.pending]) {
      const exempt = q.apps.length < 1 || this.calc.compare(this.cluster, q.amUsed, this.zero) <= 0;
      for (let r = 0; r < NUM_RESOURCES; r++) ifStarted[r] = app.amResource[r]! + q.amUsed[r]!;
      if (!this.calc.fitsIn(ifStarted, amLimit) && !exempt) continue;
      for (let r = 0; r < NUM_RESOURCES; r++) ifStarted[r] = app.amResource[r]! + app.user.amUsed[r]!;
      if (!this.calc.fitsIn(ifStarted, userAmLimit) && !exempt) continue;
      q.pending.splice(q.pending.indexOf(app), 1);
      this.activate(app);
    }
  }

  /**
   * AbstractLeafQueue.calculateAndGetAMResourceLimitPerPartition: max-am-percent of the queue's
   * current limit, or of its guarantee when that does not fit in it, rounded up to the minimum
   * allocation.
   */
  private computeAmLimit(q: Queue, out: ResourceVector): void {
    const limit = this.currentLimit(q);
    const usable = this.calc.fitsIn(q.guarantee, limit) ? limit : q.guarantee;
    for (let r = 0; r < NUM_RESOURCES; r++) out[r] = roundUpTo(ceilUnits(usable[r]! * q.maxAmPercent), this.o.minAllocation[r]!);
  }

  private activate(app: App): void {
    const q = app.queue;
    app.active = true;
    if (q.policy === 'fifo') insertSorted(q.apps, app, fifoOrder);
    else q.apps.push(app);
    this.addVec(q.amUsed, app.amResource, 1);
    this.addVec(app.user.amUsed, app.amResource, 1);
    if (app.hasDemand) this.queueDemand(q, 1);
  }

  /** The queue's limit as its parents would hand it now (getResourceLimitsOfChild from the root down). */
  private currentLimit(q: Queue): ResourceVector {
    const chain: Queue[] = [];
    for (let x: Queue | null = q; x !== null; x = x.parent) chain.unshift(x);
    const limit = this.cluster.slice();
    const next = zeroVec();
    for (let i = 1; i < chain.length; i++) {
      this.childLimit(chain[i - 1]!, limit, chain[i]!, next);
      limit.set(next);
    }
    return this.leafLimit(q, limit).slice();
  }

  // ---- bookkeeping ----

  private updateDemand(app: App): void {
    const has = app.asks.totalOutstanding() > 0;
    if (has === app.hasDemand) return;
    app.hasDemand = has;
    this.userDemand(app.user, has ? 1 : -1);
    if (app.active) this.queueDemand(app.queue, has ? 1 : -1);
  }

  /** A user is active while one of its applications has something outstanding (UsersManager.activateApplication). */
  private userDemand(user: User, d: number): void {
    const was = user.demandingApps > 0;
    user.demandingApps += d;
    const is = user.demandingApps > 0;
    if (was !== is) {
      user.queue.activeUsers += is ? 1 : -1;
      user.queue.usersVersion++;
    }
  }

  private queueDemand(q: Queue, d: number): void {
    for (let x: Queue | null = q; x !== null; x = x.parent) x.demanding += d;
  }

  private addUsage(q: Queue, res: ResourceVector, sign: number): void {
    q.usersVersion++;
    for (let x: Queue | null = q; x !== null; x = x.parent) this.addVec(x.used, res, sign);
  }

  private addVec(dst: ResourceVector, src: ResourceVector, sign: number): void {
    for (let r = 0; r < NUM_RESOURCES; r++) dst[r]! += sign * src[r]!;
  }

  private minByCalc(a: ResourceVector, b: ResourceVector): ResourceVector {
    return this.calc.compare(this.cluster, a, b) <= 0 ? a : b;
  }

  private maxByCalc(a: ResourceVector, b: ResourceVector): ResourceVector {
    return this.calc.compare(this.cluster, a, b) >= 0 ? a : b;
  }

  private normalise(v: ResourceVector): ResourceVector {
    return this.calc.normalise(v, this.o.minAllocation, this.o.maxAllocation, this.o.minAllocation);
  }

  private clusterChanged(): void {
    for (const q of this.allQueues) {
      q.usersVersion++;
      for (let r = 0; r < NUM_RESOURCES; r++) {
        q.guarantee[r] = floorUnits(this.cluster[r]! * q.absCapacity);
        q.maxResource[r] = floorUnits(this.cluster[r]! * q.absMaxCapacity);
      }
    }
    if (this.calc.isZero(this.cluster)) return;
    for (const q of this.leaves.values()) this.activateApplications(q);
  }

  private computeAbsolute(q: Queue): void {
    for (const c of q.children) {
      c.absCapacity = q.absCapacity * c.capacity;
      c.absMaxCapacity = q.absMaxCapacity * c.maxCapacity;
      this.computeAbsolute(c);
    }
  }

  private applySettings(q: Queue, s: CapacityQueueSettings): void {
    q.maxCapacity = (s.maximumCapacity ?? DEFAULT_QUEUE_SETTINGS.maximumCapacity) / 100;
    q.userLimitFactor = s.userLimitFactor ?? DEFAULT_QUEUE_SETTINGS.userLimitFactor;
    q.minUserLimitPercent = s.minimumUserLimitPercent ?? DEFAULT_QUEUE_SETTINGS.minimumUserLimitPercent;
    q.policy = s.orderingPolicy ?? DEFAULT_QUEUE_SETTINGS.orderingPolicy;
    q.maxAmPercent = s.maximumAmResourcePercent ?? DEFAULT_QUEUE_SETTINGS.maximumAmResourcePercent;
  }

  private makeQueue(path: string, parent: Queue | null): Queue {
    return {
      path,
      parent,
      children: [],
      capacity: 0,
      maxCapacity: 1,
      absCapacity: 0,
      absMaxCapacity: 1,
      userLimitFactor: DEFAULT_QUEUE_SETTINGS.userLimitFactor,
      minUserLimitPercent: DEFAULT_QUEUE_SETTINGS.minimumUserLimitPercent,
      policy: DEFAULT_QUEUE_SETTINGS.orderingPolicy,
      maxAmPercent: DEFAULT_QUEUE_SETTINGS.maximumAmResourcePercent,
      used: zeroVec(),
      guarantee: zeroVec(),
      maxResource: zeroVec(),
      demanding: 0,
      apps: [],
      pending: [],
      amUsed: zeroVec(),
      users: new Map(),
      activeUsers: 0,
      usersVersion: 0,
    };
  }

  private app(id: number): App {
    const a = this.apps.get(id);
    if (a === undefined) throw new Error(`no application ${id} in the CapacityScheduler`);
    return a;
  }

  private node(index: number): Node {
    const n = this.nodes[index];
    if (n === undefined || n.removed) throw new Error(`no node ${index} in the CapacityScheduler`);
    return n;
  }
}

/** FifoComparator: higher application priority first, then submission order. */
function fifoOrder(a: App, b: App): number {
  return b.info.priority - a.info.priority || a.info.id - b.info.id;
}

/** The pending applications' order (FifoOrderingPolicyForPendingApps): priority, then submission. */
const pendingOrder = fifoOrder;

/** FairOrderingPolicy without size-based weight: less memory held first, then earlier submission, then id. */
function fairOrder(a: App, b: App): number {
  return a.used[R.mem]! - b.used[R.mem]! || a.info.submitted - b.info.submitted || a.info.id - b.info.id;
}

function isAllZero(v: ResourceVector): boolean {
  for (let r = 0; r < NUM_RESOURCES; r++) if (v[r] !== 0) return false;
  return true;
}

function insertSorted<T>(list: T[], x: T, cmp: (a: T, b: T) => number): void {
  let i = list.length;
  while (i > 0 && cmp(list[i - 1]!, x) > 0) i--;
  list.splice(i, 0, x);
}
