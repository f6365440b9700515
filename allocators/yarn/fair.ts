/**
 * Hadoop YARN's FairScheduler (hadoop-yarn-server-resourcemanager/.../scheduler/fair/) behind the
 * YARN port: a queue tree with weights, min and max resources and fair / drf / fifo policies,
 * fair shares recomputed by update(), the per-heartbeat walk from the root, delay scheduling by
 * locality thresholds, assign-multiple, the AM share limit, reservations for starved applications
 * and preemption (yarn-semantics.md §1.2-1.3, §2.1, §4). Imports the port, resources.ts and its
 * own yarn/ modules only.
 */
import { R, NUM_RESOURCES, addInto, subInto, zero, type ResourceVector } from '../../sim/model/resources.js';
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
import type { HeldAsk } from './asks.js';
import { ResourceCalculator } from './calculator.js';
import { DEFAULT_FAIR_OPTIONS, parentPath, validateFairOptions, type FairOptions } from './fair-options.js';
import { comparatorOf, computeShares } from './fair-policy.js';
import { FairPreemption, type PreemptionHost } from './fair-preemption.js';
import { FairApp, FairQueue, type FairContainer, type FairNode } from './fair-state.js';

export { FairApp, FairQueue, type FairContainer, type FairNode } from './fair-state.js';

export { DEFAULT_FAIR_OPTIONS, validateFairOptions, type FairOptions } from './fair-options.js';

const ZERO = zero();
/** What a walk step returns: a container, a reservation made (Hadoop CONTAINER_RESERVED), or nothing. */
const RESERVED = 'reserved';
type Assignment = ContainerGrant | typeof RESERVED | null;
const MEMORY_AND_VCORES = [R.mem, R.cpus] as const;
const UNLIMITED = (): ResourceVector => new Float64Array(NUM_RESOURCES).fill(Infinity);

/** Whether every entry of `a` is at most the matching entry of `b` (Hadoop Resources.fitsIn). */
function fitsIn(a: ResourceVector, b: ResourceVector): boolean {
  for (let i = 0; i < NUM_RESOURCES; i++) if (a[i]! > b[i]!) return false;
  return true;
}

/** The FairScheduler. */
export class FairScheduler implements YarnScheduler, PreemptionHost {
  readonly name = 'fair';
  readonly updateInterval: number;
  readonly leafQueues: readonly string[];
  readonly options: FairOptions;
  private readonly root: FairQueue;
  private readonly queues = new Map<string, FairQueue>();
  private readonly apps = new Map<number, FairApp>();
  private readonly nodes: (FairNode | undefined)[] = [];
  readonly nodeList: readonly (FairNode | undefined)[] = this.nodes;
  private numNodes = 0;
  /** nodes per rack, for the reservable-nodes limit */
  private readonly rackNodes = new Map<string, number>();
  private readonly containers = new Map<number, FairContainer>();
  readonly liveContainers: ReadonlyMap<number, FairContainer> = this.containers;
  private nextContainer = 0;
  readonly cluster = zero();
  /** FairScheduler normalises with the dominant calculator and the increment (yarn-semantics.md §4.2) */
  private readonly drc = new ResourceCalculator('dominant');
  private readonly memory = new ResourceCalculator('memory');
  private readonly normalise: (ask: ResourceVector) => ResourceVector;
  private readonly maxToAssign = zero();
  private readonly assigned = zero();
  private readonly scratch = zero();
  private readonly preemption: FairPreemption;

  constructor(options: Partial<FairOptions> = {}) {
    const o: FairOptions = { ...DEFAULT_FAIR_OPTIONS, ...options };
    const problems = validateFairOptions(o);
    if (problems.length > 0) {
      throw new Error(`fair scheduler options: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
    }
    this.options = o;
    this.updateInterval = o.updateInterval;
    this.normalise = (ask) => this.drc.normalise(ask, o.minAllocation, o.maxAllocation, o.increment);
    this.root = this.buildTree();
    const leaves: string[] = [];
    for (const q of this.queues.values()) if (q.leaf) leaves.push(q.path);
    this.leafQueues = leaves.sort();
    this.preemption = new FairPreemption(o.preemption);
  }

  private buildTree(): FairQueue {
    const o = this.options;
    const byPath = new Map(o.queues.map((q) => [q.path, q]));
    const paths = new Set<string>(['root']);
    for (const q of o.queues) for (let p: string | undefined = q.path; p !== undefined; p = parentPath(p)) paths.add(p);
    // Hadoop QueueManager.initialize always makes root.default; here only when no queue is listed below the root.
    if (paths.size === 1) paths.add('root.default');
    const sorted = [...paths].sort((a, b) => a.split('.').length - b.split('.').length || (a < b ? -1 : a > b ? 1 : 0));
    let root: FairQueue | undefined;
    for (const path of sorted) {
      const c = byPath.get(path);
      const parentName = parentPath(path);
      const parent = parentName === undefined ? null : this.queues.get(parentName)!;
      const q = new FairQueue(
        path,
        parent,
        c?.weight ?? 1,
        c?.minResources?.slice() ?? zero(),
        c?.maxResources?.slice() ?? UNLIMITED(),
        c?.schedulingPolicy ?? 'fair',
        c?.maxAMShare ?? 0.5,
      );
      this.queues.set(path, q);
      if (parent === null) root = q;
      else parent.children.push(q);
    }
    [...this.queues.keys()].sort().forEach((p, i) => {
      this.queues.get(p)!.rank = i;
    });
    for (const q of this.queues.values()) q.children.sort((a, b) => a.rank - b.rank);
    return root!;
  }

  addNode(node: YarnNodeInfo): void {
    if (this.nodes[node.index] !== undefined) throw new Error(`fair scheduler: node ${node.index} (${node.host}) added twice`);
    this.nodes[node.index] = {
      info: node,
      unallocated: node.total.slice(),
      containers: new Set(),
      forPreemption: new Set(),
      preemptedFor: new Map(),
      reserved: null,
    };
    this.numNodes++;
    this.rackNodes.set(node.rack, (this.rackNodes.get(node.rack) ?? 0) + 1);
    addInto(this.cluster, 0, node.total);
    this.recomputeSteadyShares();
  }

  removeNode(index: number): void {
    const n = this.nodes[index];
    if (n === undefined) throw new Error(`fair scheduler: node ${index} removed but not present`);
    if (n.containers.size > 0) throw new Error(`fair scheduler: node ${index} removed with ${n.containers.size} containers still on it`);
    this.unreserve(n);
    this.nodes[index] = undefined;
    this.numNodes--;
    this.rackNodes.set(n.info.rack, this.rackNodes.get(n.info.rack)! - 1);
    subInto(this.cluster, 0, n.info.total);
    this.recomputeSteadyShares();
  }

  addApp(app: YarnAppInfo, am: ResourceVector | null, now: number): void {
    const q = this.queues.get(app.queue);
    if (q === undefined || !q.leaf)
      throw new Error(`fair scheduler: application ${app.name} submitted to "${app.queue}", which is not a leaf queue (${this.leafQueues.join(', ')})`);
    if (this.apps.has(app.id)) throw new Error(`fair scheduler: application ${app.id} added twice`);
    const a = new FairApp(app, q, am === null ? null : this.normalise(am), now);
    // The AM container is asked at priority 0 on ANY (RMAppAttemptImpl); the first container is it.
    if (am !== null) a.asks.update([{ priority: AM_PRIORITY, resourceName: ANY, capability: am, numContainers: 1, relaxLocality: true }], this.normalise);
    this.apps.set(app.id, a);
    q.apps.push(a);
    for (let p: FairQueue | null = q; p !== null; p = p.parent) p.runnable++;
  }

  removeApp(id: number, _now: number): void {
    const a = this.app(id);
    if (a.containers.size > 0) throw new Error(`fair scheduler: application ${id} removed with ${a.containers.size} containers not completed`);
    for (const i of [...a.reservedNodes]) this.unreserve(this.nodes[i]!);
    const q = a.queue;
    q.apps.splice(q.apps.indexOf(a), 1);
    for (let p: FairQueue | null = q; p !== null; p = p.parent) p.runnable--;
    // Hadoop FSLeafQueue.removeApp: the AM's resources leave the queue's AM usage only now.
    if (a.amRunning && a.am !== null) subInto(q.amUsage, 0, a.am);
    this.apps.delete(id);
  }

  updateAsks(id: number, asks: readonly ResourceAsk[], _now: number): void {
    this.app(id).asks.update(asks, this.normalise);
  }

  completeContainer(id: number, _now: number): void {
    const c = this.containers.get(id);
    if (c === undefined) throw new Error(`fair scheduler: container ${id} completed but not live`);
    this.containers.delete(id);
    const n = this.nodes[c.node];
    this.preemption.forget(c, n);
    if (n !== undefined) {
      addInto(n.unallocated, 0, c.res);
      n.containers.delete(id);
    }
    c.app.containers.delete(id);
    subInto(c.app.usage, 0, c.res);
    for (let q: FairQueue | null = c.app.queue; q !== null; q = q.parent) subInto(q.usage, 0, c.res);
  }

  /**
   * One node heartbeat (Hadoop FairScheduler.attemptScheduling): first the space preemption freed
   * here for starved applications, then the node's reservation if it is still valid (nothing else
   * then), else walks from the root for one container at a time, a reservation ending the walk;
   * with assignMultiple, continues while the
   * resources assigned so far fit in half the node's unallocated resources at the start
   * (dynamicMaxAssign, so one more container slips through) or while fewer than maxAssign
   * containers were assigned (maxAssign <= 0: no limit).
   */
  nodeUpdate(index: number, now: number, out: ContainerGrant[]): HeartbeatReport {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`fair scheduler: heartbeat at ${now} us of node ${index}, which is not present`);
    const o = this.options;
    this.assignPreempted(node, out);
    if (node.reserved !== null && this.assignReserved(node, out)) return { reserved: node.reserved !== null };
    for (let i = 0; i < NUM_RESOURCES; i++) this.maxToAssign[i] = Math.floor((node.unallocated[i]! / 1000) * 0.5) * 1000;
    this.assigned.fill(0);
    let count = 0;
    while (node.reserved === null) {
      const g = this.assignQueue(this.root, node, out);
      if (g === null) break;
      count++;
      if (g === RESERVED) continue;
      addInto(this.assigned, 0, g.res);
      if (!o.assignMultiple) break;
      if (o.dynamicMaxAssign ? !fitsIn(this.assigned, this.maxToAssign) : o.maxAssign > 0 && count >= o.maxAssign) break;
    }
    return { reserved: node.reserved !== null };
  }

  /**
   * Hadoop FSAppAttempt.assignReservedContainer: a reservation its application can no longer use
   * (the priority cannot run on the node, or the AM limit) is dropped (false: the walk follows);
   * else, if the reserved container now fits, it is allocated at the reserved priority (true).
   */
  private assignReserved(node: FairNode, out: ContainerGrant[]): boolean {
    const r = node.reserved!;
    const a = r.app;
    if (!this.hasContainerForNode(a, r.priority, node) || (a.am !== null && !a.amRunning && !this.canRunAppAM(a.queue, a.am))) {
      this.unreserve(node);
      return false;
    }
    if (fitsIn(r.res, node.unallocated)) this.assignApp(a, node, out, r.priority);
    return true;
  }

  private unreserve(node: FairNode): void {
    node.reserved?.app.reservedNodes.delete(node.info.index);
    node.reserved = null;
  }

  /**
   * Hadoop FairScheduler.assignPreemptedContainers and FSSchedulerNode.allocateContainer: the
   * applications preemption freed resources for on this node are served first, each until what
   * was freed for it is taken or it gets nothing.
   */
  private assignPreempted(node: FairNode, out: ContainerGrant[]): void {
    for (const a of node.preemptedFor.keys()) {
      if (this.apps.get(a.info.id) !== a) {
        node.preemptedFor.delete(a);
        continue;
      }
      while (node.preemptedFor.has(a)) {
        const g = this.assignApp(a, node, out);
        if (g === null || g === RESERVED) break;
      }
    }
  }

  /** The leaf queues, for preemption. */
  *leaves(): Iterable<FairQueue> {
    for (const p of this.leafQueues) yield this.queues.get(p)!;
  }

  /** Hadoop FSParentQueue / FSLeafQueue.assignContainer: the first child or application to take the node wins. */
  private assignQueue(q: FairQueue, node: FairNode, out: ContainerGrant[]): Assignment {
    // Hadoop FSQueue.assignContainerPreCheck: no reservation on the node, usage within maxResources (at it still passes).
    if (node.reserved !== null || !fitsIn(q.usage, q.maxShare)) return null;
    const order = q.scratch;
    order.length = 0;
    if (q.leaf) {
      for (const a of q.apps) if (this.hasPendingDemand(a)) order.push(a);
    } else for (const c of q.children) order.push(c);
    order.sort(comparatorOf(q.policy, this.cluster));
    for (const s of order) {
      const g: Assignment = q.leaf ? this.assignApp(s as FairApp, node, out) : this.assignQueue(s as FairQueue, node, out);
      if (g !== null) {
        order.length = 0;
        return g;
      }
    }
    order.length = 0;
    return null;
  }

  /** Hadoop getPendingDemand is not none: demand (as of the last update) minus usage has a non-zero entry. */
  hasPendingDemand(a: FairApp): boolean {
    for (let i = 0; i < NUM_RESOURCES; i++) if (a.demand[i] !== a.usage[i]) return true;
    return false;
  }

  /**
   * Hadoop FSAppAttempt.assignContainer(node): the AM share check, then each priority, lowest
   * number first, that could run on the node if it were empty: one scheduling opportunity, the
   * allowed locality level, then node-local when the host and its rack ask, rack-local when the
   * rack asks and the level allows it, off-switch when ANY asks and the priority has no other
   * location ask or the level allows it. The first priority that gets that far decides: if its
   * container does not fit the node's free resources nothing is assigned.
   */
  private assignApp(a: FairApp, node: FairNode, out: ContainerGrant[], reservedKey?: number): Assignment {
    const reserved = reservedKey !== undefined;
    if (!reserved && a.am !== null && !a.amRunning && !this.canRunAppAM(a.queue, a.am)) return null;
    const { host, rack } = node.info;
    const o = this.options;
    for (const p of reserved ? [reservedKey] : a.asks.priorities()) {
      if (!reserved && !this.hasContainerForNode(a, p, node)) continue;
      a.locality.addOpportunity(p);
      const rackReq = a.asks.get(p, rack);
      const hostReq = a.asks.get(p, host);
      const allowed = a.locality.allowedLevel(p, this.numNodes, o.localityThresholdNode, o.localityThresholdRack);
      if (rackReq !== undefined && rackReq.numContainers !== 0 && hostReq !== undefined && hostReq.numContainers !== 0) {
        return this.allocate(a, node, p, hostReq, 'node-local', out);
      }
      if (!a.asks.canDelayTo(p, rack)) continue;
      if (rackReq !== undefined && rackReq.numContainers !== 0 && allowed !== 'node-local') {
        return this.allocate(a, node, p, rackReq, 'rack-local', out);
      }
      const anyReq = a.asks.get(p, ANY);
      if (!a.asks.canDelayTo(p, ANY)) continue;
      if (anyReq !== undefined && anyReq.numContainers !== 0 && (a.asks.uniqueLocationAsks(p) <= 1 || allowed === 'off-switch')) {
        return this.allocate(a, node, p, anyReq, 'off-switch', out);
      }
    }
    return null;
  }

  /**
   * Hadoop FSAppAttempt.hasContainerForNode: ANY asks at `p`; relaxation off at ANY needs a rack
   * ask here, off at the rack a host ask; the container's memory fits the node's total (memory
   * only, DefaultResourceCalculator); and it fits under maxResources of the queue and its parents.
   */
  private hasContainerForNode(a: FairApp, p: number, node: FairNode): boolean {
    const any = a.asks.get(p, ANY);
    if (any === undefined || any.numContainers <= 0) return false;
    const rackAsks = (a.asks.get(p, node.info.rack)?.numContainers ?? 0) > 0;
    const hostAsks = (a.asks.get(p, node.info.host)?.numContainers ?? 0) > 0;
    if (!a.asks.canDelayTo(p, ANY) && !rackAsks) return false;
    if (rackAsks && !a.asks.canDelayTo(p, node.info.rack) && !hostAsks) return false;
    if (any.capability[R.mem]! > node.info.total[R.mem]!) return false;
    return this.fitsInMaxShare(a.queue, any.capability);
  }

  /** Hadoop FSQueue.fitsInMaxShare: usage plus `extra` within maxResources, up to the root. */
  private fitsInMaxShare(q: FairQueue, extra: ResourceVector): boolean {
    for (let p: FairQueue | null = q; p !== null; p = p.parent) {
      this.scratch.set(p.usage);
      addInto(this.scratch, 0, extra);
      if (!fitsIn(this.scratch, p.maxShare)) return false;
    }
    return true;
  }

  /**
   * Hadoop FSLeafQueue.canRunAppAM: off at maxAMShare -1; else the queue's AM usage plus this AM
   * within maxAMShare x its fair share, rounded up, where a fair share of 0 in memory or vcores is
   * replaced by min(the cluster's unallocated, maxResources) (computeMaxAMResource).
   */
  private canRunAppAM(q: FairQueue, am: ResourceVector): boolean {
    if (q.maxAMShare === -1) return true;
    for (const r of MEMORY_AND_VCORES) {
      let base = q.fairShare[r]!;
      if (base === 0) base = Math.min(this.cluster[r]! - this.root.usage[r]!, q.maxShare[r]!);
      const limit = Math.ceil(Math.floor(base / 1000) * q.maxAMShare) * 1000;
      if (q.amUsage[r]! + am[r]! > limit) return false;
    }
    return true;
  }

  /**
   * Hadoop FSAppAttempt.assignContainer(node, request, type) and allocate: the container goes to
   * the node if it fits its unallocated resources (else nothing: reservations are not modelled);
   * a more local allocation raises the allowed level; the asks are decremented; the first
   * container of an application with an AM is its AM.
   */
  private allocate(a: FairApp, node: FairNode, p: number, req: HeldAsk, type: YarnLocality, out: ContainerGrant[]): Assignment {
    if (!fitsIn(req.capability, node.unallocated)) return this.reserve(a, node, p, req.capability.slice(), type) ? RESERVED : null;
    const res = req.capability.slice();
    if (node.reserved?.app === a) this.unreserve(node);
    a.locality.allocated(p, type);
    a.asks.allocate(p, type, node.info.host, node.info.rack);
    const am = a.am !== null && !a.amRunning;
    if (am) {
      a.amRunning = true;
      addInto(a.queue.amUsage, 0, res);
    }
    const id = this.nextContainer++;
    const c: FairContainer = { id, app: a, node: node.info.index, priority: p, res, am };
    this.containers.set(id, c);
    node.containers.add(id);
    a.containers.add(id);
    subInto(node.unallocated, 0, res);
    addInto(a.usage, 0, res);
    for (let q: FairQueue | null = a.queue; q !== null; q = q.parent) addInto(q.usage, 0, res);
    const freed = node.preemptedFor.get(a);
    if (freed !== undefined) {
      for (let i = 0; i < NUM_RESOURCES; i++) freed[i] = Math.max(freed[i]! - res[i]!, 0);
      if (fitsIn(freed, ZERO)) node.preemptedFor.delete(a);
    }
    const g: ContainerGrant = { id, app: a.info.id, node: node.info.index, priority: p, res, locality: type, am };
    out.push(g);
    return g;
  }

  /**
   * Hadoop FSAppAttempt.isReservable and reserve: a container that does not fit is reserved on
   * the node only when the application is starved (usage below its fair share, or a min-share
   * starvation attributed to it), the container is at least reservationThresholdIncrementMultiple
   * increments, the node holds no other application's reservation, and, unless node-local, the
   * application holds fewer than ceil(reservableNodes x the rack's or the cluster's nodes).
   */
  private reserve(a: FairApp, node: FairNode, p: number, res: ResourceVector, type: YarnLocality): boolean {
    const o = this.options;
    const calc = a.queue.policy === 'drf' ? this.drc : this.memory;
    const starved = calc.compare(this.cluster, a.usage, a.fairShare) < 0 || a.minshareStarvation.some((v) => v !== 0);
    if (!starved) return false;
    for (let i = 0; i < NUM_RESOURCES; i++) this.scratch[i] = o.increment[i]! * o.reservationThresholdIncrementMultiple;
    if (calc.compare(this.cluster, res, this.scratch) < 0) return false;
    if (node.reserved !== null && node.reserved.app !== a) return false;
    // Hadoop: no reservation where preemption is already freeing space for this application.
    if (node.preemptedFor.has(a)) return false;
    if (type !== 'node-local' && !a.reservedNodes.has(node.info.index)) {
      let existing = 0;
      for (const i of a.reservedNodes) if (type === 'off-switch' || this.nodes[i]?.info.rack === node.info.rack) existing++;
      const nodesThere = type === 'off-switch' ? this.numNodes : this.rackNodes.get(node.info.rack)!;
      if (existing >= Math.ceil(nodesThere * o.reservableNodes)) return false;
    }
    node.reserved = { app: a, priority: p, res };
    a.reservedNodes.add(node.info.index);
    return true;
  }

  /**
   * The periodic update (Hadoop FairScheduler.update, every updateInterval): demands from the
   * leaves up (an application's usage plus its outstanding ANY asks; a queue's capped at its
   * maxResources), then fair shares from the root (the whole cluster) down, among active children
   * and among a leaf's applications; then preemption, which returns the containers to kill now.
   */
  update(now: number): readonly number[] {
    this.updateDemand(this.root);
    this.root.fairShare.set(this.cluster);
    this.recomputeShares(this.root);
    return this.preemption.run(now, this, this.root.usage);
  }

  private updateDemand(q: FairQueue): void {
    q.demand.fill(0);
    if (q.leaf) {
      for (const a of q.apps) {
        a.demand.set(a.usage);
        for (const p of a.asks.priorities()) {
          const any = a.asks.get(p, ANY)!;
          for (let i = 0; i < NUM_RESOURCES; i++) a.demand[i]! += any.capability[i]! * any.numContainers;
        }
        addInto(q.demand, 0, a.demand);
      }
    } else {
      for (const c of q.children) {
        this.updateDemand(c);
        addInto(q.demand, 0, c.demand);
      }
    }
    for (let i = 0; i < NUM_RESOURCES; i++) q.demand[i] = Math.min(q.demand[i]!, q.maxShare[i]!);
  }

  private recomputeShares(q: FairQueue): void {
    if (q.leaf) {
      computeShares(q.policy, q.apps, q.fairShare, false, (s) => s.fairShare);
      return;
    }
    computeShares(q.policy, q.children, q.fairShare, false, (s) => s.fairShare);
    for (const c of q.children) this.recomputeShares(c);
  }

  private recomputeSteadyShares(): void {
    this.root.steadyFairShare.set(this.cluster);
    const walk = (q: FairQueue): void => {
      computeShares(q.policy, q.children, q.steadyFairShare, true, (s) => (s as FairQueue).steadyFairShare);
      for (const c of q.children) if (!c.leaf) walk(c);
    };
    if (!this.root.leaf) walk(this.root);
  }

  reservedInto(out: ResourceVector): void {
    out.fill(0);
    for (const n of this.nodes) if (n?.reserved) addInto(out, 0, n.reserved.res);
  }

  queueUsage(queue: string, used: ResourceVector, guarantee: ResourceVector): void {
    const q = this.queue(queue);
    used.set(q.usage);
    guarantee.set(q.fairShare);
  }

  /** Queue `path` (any queue, leaf or parent), for metrics and tests. */
  queue(path: string): FairQueue {
    const q = this.queues.get(path);
    if (q === undefined) throw new Error(`fair scheduler: no queue "${path}"`);
    return q;
  }

  /** Application `id`, for tests. */
  app(id: number): FairApp {
    const a = this.apps.get(id);
    if (a === undefined) throw new Error(`fair scheduler: no application ${id}`);
    return a;
  }
}
