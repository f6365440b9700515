/**
 * Hadoop's FifoScheduler (hadoop-yarn-server-resourcemanager .../scheduler/fifo/FifoScheduler.java,
 * assignContainers and assignContainersOnNode): one queue, applications in submission order. On
 * a node's heartbeat each application in turn, for each of its priorities in order (lowest number
 * first) that still asks for containers, takes what fits on the node: node-local containers (as
 * many as the host's request, the rack's and ANY's allow), then rack-local, then off-switch, with
 * no locality delay; a priority that gets nothing ends the application's turn (priorities are
 * served in order). The walk stops once the node has less free than the minimum allocation.
 * Imports the port, model types and the YARN helpers.
 */
import { addInto, NUM_RESOURCES, subInto, type ResourceVector } from '../../sim/model/resources.js';
import {
  AM_PRIORITY,
  ANY,
  type ContainerGrant,
  type HeartbeatReport,
  type ResourceAsk,
  type YarnAppInfo,
  type YarnCommonOptions,
  type YarnLocality,
  type YarnNodeInfo,
  type YarnScheduler,
} from '../../sim/model/yarn-port.js';
import { AppAsks } from './asks.js';
import { ResourceCalculator } from './calculator.js';

/** The one queue of the FIFO scheduler. */
export const FIFO_QUEUE = 'root.default';

interface Node {
  readonly info: YarnNodeInfo;
  /** free resources now */
  readonly free: Float64Array;
}
interface App {
  readonly info: YarnAppInfo;
  readonly asks: AppAsks;
}
interface Container {
  readonly app: number;
  readonly node: number;
  readonly res: ResourceVector;
}

/** The FIFO scheduler (see the module comment). */
export class FifoScheduler implements YarnScheduler {
  readonly name = 'fifo';
  readonly updateInterval = 0;
  readonly leafQueues = [FIFO_QUEUE] as const;
  private readonly calc: ResourceCalculator;
  private readonly nodes: (Node | undefined)[] = [];
  /** applications by id (ids grow with submission: the FIFO order) */
  private readonly apps = new Map<number, App>();
  private readonly containers = new Map<number, Container>();
  private nextContainer = 0;
  private readonly cluster = new Float64Array(NUM_RESOURCES);
  private readonly used = new Float64Array(NUM_RESOURCES);

  constructor(private readonly options: YarnCommonOptions) {
    this.calc = new ResourceCalculator(options.calculator);
  }

  addNode(node: YarnNodeInfo): void {
    this.nodes[node.index] = { info: node, free: node.total.slice() };
    addInto(this.cluster, 0, node.total);
  }

  removeNode(node: number): void {
    const n = this.nodes[node];
    if (n === undefined) return;
    subInto(this.cluster, 0, n.info.total);
    this.nodes[node] = undefined;
  }

  addApp(app: YarnAppInfo, am: ResourceVector | null, _now: number): void {
    if (app.queue !== FIFO_QUEUE) throw new Error(`the fifo scheduler has one queue, ${FIFO_QUEUE}: no queue ${app.queue}`);
    const a: App = { info: app, asks: new AppAsks() };
    this.apps.set(app.id, a);
    if (am !== null)
      a.asks.update([{ priority: AM_PRIORITY, resourceName: ANY, capability: am, numContainers: 1, relaxLocality: true }], (v) => this.normalise(v));
  }

  removeApp(app: number, _now: number): void {
    this.apps.delete(app);
  }

  updateAsks(app: number, asks: readonly ResourceAsk[], _now: number): void {
    const a = this.apps.get(app);
    if (a === undefined) throw new Error(`asks of unknown application ${app}`);
    a.asks.update(asks, (v) => this.normalise(v));
  }

  completeContainer(id: number, _now: number): void {
    const c = this.containers.get(id);
    if (c === undefined) throw new Error(`container ${id} completed twice or never allocated`);
    this.containers.delete(id);
    const n = this.nodes[c.node];
    if (n !== undefined) addInto(n.free, 0, c.res);
    subInto(this.used, 0, c.res);
  }

  nodeUpdate(node: number, _now: number, out: ContainerGrant[]): HeartbeatReport {
    const n = this.nodes[node];
    if (n === undefined) throw new Error(`heartbeat of unknown node ${node}`);
    const min = this.options.minAllocation;
    if (!this.calc.fitsIn(min, n.free)) return { reserved: false };
    for (const a of this.apps.values()) {
      for (const p of [...a.asks.priorities()]) {
        if (a.asks.outstanding(p) === 0) continue;
        const got = this.assign(n, a, p, 'node-local', out) + this.assign(n, a, p, 'rack-local', out) + this.assign(n, a, p, 'off-switch', out);
        if (got === 0) break;
      }
      if (!this.calc.fitsIn(min, n.free)) break;
    }
    return { reserved: false };
  }

  reservedInto(out: ResourceVector): void {
    out.fill(0);
  }

  queueUsage(queue: string, used: ResourceVector, guarantee: ResourceVector): void {
    if (queue !== FIFO_QUEUE) throw new Error(`no queue ${queue}`);
    used.set(this.used);
    guarantee.set(this.cluster);
  }

  /** Containers of `a` at `priority` and locality `type` on `n`: as many as asked there and fit. */
  private assign(n: Node, a: App, priority: number, type: YarnLocality, out: ContainerGrant[]): number {
    const { host, rack } = n.info;
    const name = type === 'node-local' ? host : type === 'rack-local' ? rack : ANY;
    const req = a.asks.get(priority, name);
    if (req === undefined) return 0;
    let k = 0;
    while (a.asks.canAllocate(priority, type, host, rack) && this.calc.fitsIn(req.capability, n.free)) {
      a.asks.allocate(priority, type, host, rack);
      const res = req.capability.slice();
      subInto(n.free, 0, res);
      addInto(this.used, 0, res);
      const id = this.nextContainer++;
      this.containers.set(id, { app: a.info.id, node: n.info.index, res });
      out.push({ id, app: a.info.id, node: n.info.index, priority, res, locality: type, am: priority === AM_PRIORITY });
      k++;
    }
    return k;
  }

  private normalise(ask: ResourceVector): ResourceVector {
    const o = this.options;
    return this.calc.normalise(ask, o.minAllocation, o.maxAllocation, o.minAllocation);
  }
}
