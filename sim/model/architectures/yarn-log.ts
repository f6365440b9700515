/**
 * The yarn architecture's log records (sim/model/log.ts: app_submitted, am_registered, asks_sent,
 * container_allocated, container_completed, reserved, queue_guarantee), kept out of the
 * ResourceManager's own module so that each point where something happens logs it in one line.
 * The scheduler's reserved resources and its queues' guarantees are read through an observed
 * scheduler: any call that may change them arms one look at the end of the instant (OFFER phase,
 * after every heartbeat and allocate call of the instant), which logs only what changed. A state
 * that lasts no time is never logged, and time-weighted means over the records are exact.
 * Imports the kernel, the log's types and the YARN port.
 */
import { Phase } from '../../kernel/phases.js';
import type { HandlerId, Simulator } from '../../kernel/simulator.js';
import type { ContainerEnd, LogSink, ResTuple } from '../log.js';
import { NUM_RESOURCES, type ResourceVector } from '../resources.js';
import { ANY, type ContainerGrant, type ResourceAsk, type YarnScheduler } from '../yarn-port.js';

/** The records of one ResourceManager (see the module comment). */
export class YarnLog {
  /** the scheduler, observed: use it instead of the one given */
  readonly scheduler: YarnScheduler;
  private readonly sim: Simulator;
  private readonly log: LogSink;
  private readonly inner: YarnScheduler;
  private readonly hLook: HandlerId;
  private armed = false;
  private readonly reserved = new Float64Array(NUM_RESOURCES);
  private readonly lastReserved = new Float64Array(NUM_RESOURCES);
  private readonly used = new Float64Array(NUM_RESOURCES);
  private readonly guarantee = new Float64Array(NUM_RESOURCES);
  /** per leaf queue (the scheduler's order): its last logged guarantee, or null before the first */
  private readonly lastGuarantee: (Float64Array | null)[];
  /** each live container's job, framework and agent */
  private readonly live = new Map<number, readonly [job: number, fw: number, agent: number]>();

  constructor(sim: Simulator, log: LogSink, scheduler: YarnScheduler) {
    this.sim = sim;
    this.log = log;
    this.inner = scheduler;
    this.lastGuarantee = scheduler.leafQueues.map(() => null);
    this.hLook = sim.register('yarn-log-look', () => this.look());
    this.scheduler = observed(scheduler, () => this.touch());
  }

  /** The run starts: every leaf queue's guarantee (and the reservations, if any). */
  start(): void {
    this.look();
  }

  /** Application `job` of framework `fw` was submitted to `queue`. */
  appSubmitted(job: number, fw: number, queue: string): void {
    this.log.record({ kind: 'app_submitted', t: this.sim.now, job, framework: fw, queue });
  }

  /** Job `job`'s AM registered, in `container` on `agent` (both -1 when it takes none). */
  amRegistered(job: number, fw: number, container: number, agent: number): void {
    this.log.record({ kind: 'am_registered', t: this.sim.now, job, framework: fw, container, agent });
  }

  /** Job `job`'s AM sent `asks`: one record per priority whose ANY total is among them. */
  asksSent(job: number, fw: number, asks: readonly ResourceAsk[]): void {
    for (const a of asks)
      if (a.resourceName === ANY)
        this.log.record({ kind: 'asks_sent', t: this.sim.now, job, framework: fw, priority: a.priority, containers: a.numContainers });
  }

  /** Container `g` was allocated to job `job` of framework `fw`. */
  allocated(g: ContainerGrant, job: number, fw: number): void {
    this.live.set(g.id, [job, fw, g.node]);
    this.log.record({
      kind: 'container_allocated',
      t: this.sim.now,
      container: g.id,
      job,
      framework: fw,
      agent: g.node,
      priority: g.priority,
      locality: g.locality,
      am: g.am,
      res: tuple(g.res),
    });
  }

  /** The scheduler completed container `id`, for `reason`. */
  completed(id: number, reason: ContainerEnd): void {
    const [job, fw, agent] = this.live.get(id)!;
    this.live.delete(id);
    this.log.record({ kind: 'container_completed', t: this.sim.now, container: id, job, framework: fw, agent, reason });
  }

  /** The scheduler may have changed: look once at the end of this instant. */
  private touch(): void {
    if (this.armed) return;
    this.armed = true;
    this.sim.at(this.sim.now, Phase.OFFER, this.hLook);
  }

  /** Logs the reserved resources and each leaf queue's guarantee where they changed since last logged. */
  private look(): void {
    this.armed = false;
    const s = this.inner;
    const t = this.sim.now;
    s.reservedInto(this.reserved);
    if (!same(this.reserved, this.lastReserved)) {
      this.lastReserved.set(this.reserved);
      this.log.record({ kind: 'reserved', t, res: tuple(this.reserved) });
    }
    s.leafQueues.forEach((queue, i) => {
      s.queueUsage(queue, this.used, this.guarantee);
      const last = this.lastGuarantee[i]!;
      if (last !== null && same(last, this.guarantee)) return;
      this.lastGuarantee[i] = Float64Array.from(this.guarantee);
      this.log.record({ kind: 'queue_guarantee', t, queue, guarantee: tuple(this.guarantee) });
    });
  }
}

/** `s`, with `touched` called before every call that may change its reservations or queues. */
function observed(s: YarnScheduler, touched: () => void): YarnScheduler {
  const update = s.update;
  return {
    name: s.name,
    updateInterval: s.updateInterval,
    leafQueues: s.leafQueues,
    addNode: (node) => (touched(), s.addNode(node)),
    removeNode: (node) => (touched(), s.removeNode(node)),
    addApp: (app, am, now) => (touched(), s.addApp(app, am, now)),
    removeApp: (app, now) => (touched(), s.removeApp(app, now)),
    updateAsks: (app, asks, now) => (touched(), s.updateAsks(app, asks, now)),
    completeContainer: (id, now) => (touched(), s.completeContainer(id, now)),
    nodeUpdate: (node, now, out) => (touched(), s.nodeUpdate(node, now, out)),
    ...(update === undefined ? {} : { update: (now: number) => (touched(), update.call(s, now)) }),
    reservedInto: (out) => s.reservedInto(out),
    queueUsage: (queue, used, guarantee) => s.queueUsage(queue, used, guarantee),
  };
}

function same(a: ResourceVector, b: ResourceVector): boolean {
  for (let r = 0; r < NUM_RESOURCES; r++) if (a[r] !== b[r]) return false;
  return true;
}

function tuple(v: Float64Array): ResTuple {
  return [v[0]!, v[1]!, v[2]!, v[3]!];
}
