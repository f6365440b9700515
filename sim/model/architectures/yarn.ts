/**
 * The YARN architecture: Hadoop's ResourceManager, with one ApplicationMaster per job
 * (../shared/notes/yarn-semantics.md §1-2). The scheduler behind the YARN port (yarn-port.ts: the
 * CapacityScheduler, the FairScheduler, the FifoScheduler) decides; this module keeps time:
 * - every NodeManager heartbeats every `nodeHeartbeat` (1 s), from a seeded phase in [0, 1 s)
 *   (stream `yarn/heartbeat`, as Hadoop's simulator starts its NMs); a heartbeat first completes
 *   the node's containers that ended since the last one, then lets the scheduler allocate on
 *   that node (ALLOCATE phase). A container's end also makes its node heartbeat at once, as the
 *   real NodeManager's out-of-band heartbeat does (`outOfBandHeartbeat`, default true; false is
 *   Hadoop's simulator, where ends wait for the next periodic heartbeat);
 * - each job is an application, submitted to its framework's queue. Its ApplicationMaster runs
 *   in a container of `am` resources (priority 0, any node), or outside the cluster when `am`
 *   is null (it registers at submission);
 * - the AM registers when its container is allocated and calls `allocate` every `amHeartbeat`
 *   (1 s) from then on, the first call one interval after registration (MapReduce's
 *   RMCommunicator sleeps, then heartbeats). A call (MESSAGE phase) sends the releases and the
 *   requests changed since the last call, then takes the containers allocated since then and
 *   binds a pending task to each (late binding: a task preferring the container's host, else
 *   its rack, else any, as MapReduce's RMContainerAllocator assigns maps); a container no task
 *   wants is released at the next call;
 * - the requests are totals per (priority, host / rack / any), kept by the AM as MapReduce's
 *   RMContainerRequestor keeps them: a task adds one to each of its preferred hosts, to their
 *   racks and to any, and takes them back when it is bound; only changed totals are sent, so
 *   containers allocated after a call and before the next are asked for again and then released
 *   (YARN's own over-allocation). Tasks of one size share a priority: the job's first size is
 *   priority `taskPriority` (20, MapReduce's maps), the next size 21, and so on;
 * - a task runs in its container and holds the container's resources, as YARN accounts it, on
 *   its agent; under the memory-only calculator a container holds memory alone there (YARN then
 *   schedules no cpus). The job is over when its tasks are; its AM unregisters and its
 *   containers are released.
 * Imports the kernel and model modules, and the YARN port.
 */
import { Phase } from '../../kernel/phases.js';
import type { Rng } from '../../kernel/rng.js';
import type { HandlerId, Simulator } from '../../kernel/simulator.js';
import type { SimTime } from '../../kernel/time.js';
import type { Allocator } from '../allocation-port.js';
import { agentIx, frameworkIx, taskIx, type AgentIx } from '../ids.js';
import type { TaskPrefs, TaskTable } from '../job.js';
import type { ContainerEnd } from '../log.js';
import type { Master } from '../master.js';
import { NUM_RESOURCES, R, type ResourceVector } from '../resources.js';
import { ANY, YARN_FAILURE_DEFAULTS, type ContainerGrant, type ResourceAsk, type YarnAppInfo, type YarnRmOptions, type YarnScheduler } from '../yarn-port.js';
import type { Architecture } from './architecture.js';
import { YarnLog } from './yarn-log.js';
import type { ArchitectureDeps } from './direct.js';

/** The tasks of one size of an application, and the AM's request totals for them. */
interface TaskClass {
  readonly priority: number;
  readonly capability: ResourceVector;
  /** pending tasks preferring each host / rack name, and all of them, in task order (bound ones skipped lazily) */
  readonly byName: Map<string, number[]>;
  readonly heads: Map<string, number>;
  readonly all: number[];
  allHead: number;
  /** the AM's totals per resource name (ANY included), and the names changed since the last call */
  readonly want: Map<string, number>;
  readonly dirty: Set<string>;
}

/** A task lost with its node, or killed (preempted, or with its attempt), to be run again (see submitReruns). */
interface Rerun {
  readonly task: number;
  readonly res: Float64Array;
  readonly duration: number;
  readonly prefs: TaskPrefs | undefined;
}

interface App {
  readonly id: number;
  readonly job: number;
  readonly fw: number;
  readonly info: YarnAppInfo;
  /** its jobs not over yet: the job, and the copies its AM submitted to rerun lost or killed tasks */
  readonly jobs: number[];
  /** tasks about to be run again: kept before their end, submitted right after it (see submitReruns) */
  readonly reruns: Rerun[];
  /** the current attempt, 1, 2, ...; and the failed ones that count towards amMaxAttempts */
  attempt: number;
  countedFailures: number;
  /** its attempts are over: the application failed */
  failed: boolean;
  /** it has left the scheduler */
  removed: boolean;
  /** the AM's last allocate call or registration (its liveness ping), us */
  lastPing: number;
  /** the instant of its next allocate call (-1: none, the AM is dead or not registered) */
  nextCall: number;
  /** the instant its AM's liveness expires (-1: not armed) */
  expireAt: number;
  classes: TaskClass[];
  /** the AM's container (-1 until allocated, or none) */
  amContainer: number;
  registered: boolean;
  done: boolean;
  /** containers allocated and not yet taken by the AM, in allocation order */
  granted: number[];
  /** containers the AM will release at its next call */
  releases: number[];
  /** its containers the scheduler still holds (allocated, not yet completed there) */
  live: number;
}

interface Container {
  readonly app: number;
  readonly agent: AgentIx;
  /** what it holds on its agent */
  readonly held: ResourceVector;
  readonly priority: number;
  /** the task running in it; -1 while unbound */
  task: number;
  /** that task's preferences, kept to rerun it */
  prefs: TaskPrefs | undefined;
}

/** The ResourceManager (see the module comment). */
export class YarnResourceManager implements Architecture {
  readonly name = 'yarn';
  readonly placesDirectly = false;
  private readonly sim: Simulator;
  private readonly master: Master;
  private readonly scheduler: YarnScheduler;
  private readonly options: YarnRmOptions;
  private readonly phases: Rng;
  private readonly hNode: HandlerId;
  private readonly hNodeNow: HandlerId;
  private readonly hAm: HandlerId;
  private readonly hUpdate: HandlerId;
  private readonly ylog: YarnLog;
  private readonly hAmExpire: HandlerId;
  private readonly nmExpiry: number;
  private readonly amExpiry: number;
  private readonly amMaxAttempts: number;
  /** per agent: the instant of its next periodic heartbeat (-1: none, it failed) */
  private readonly nextBeat: number[] = [];
  /** per agent: its last heartbeat or registration (the liveness monitor's ping), us */
  private readonly lastBeat: number[] = [];
  /** the application a rerun job being submitted joins (see rerun) */
  private attaching: App | null = null;
  /** tasks whose containers went with a failed attempt while their node was failed: they are lost with it, then run again */
  private readonly orphans = new Map<number, { app: App; prefs: TaskPrefs | undefined }>();
  /** per agent: registered with the scheduler */
  private readonly nodes: boolean[] = [];
  /** per agent: containers ended since its last heartbeat */
  private readonly ended: number[][] = [];
  /** per agent: the instant of its pending out-of-band heartbeat (-1: none) */
  private readonly oobAt: number[] = [];
  private readonly apps: App[] = [];
  /** application by job */
  private readonly appOf = new Map<number, App>();
  private readonly containers = new Map<number, Container>();
  /** the container a running task is in, by task */
  private readonly containerOf = new Map<number, number>();
  private readonly grants: ContainerGrant[] = [];
  /** the application of each container the scheduler holds */
  private readonly appOfContainer = new Map<number, number>();

  constructor(deps: ArchitectureDeps) {
    if (deps.yarn === undefined) throw new Error('the yarn architecture needs a YARN scheduler and its settings');
    this.sim = deps.sim;
    this.master = deps.master;
    this.ylog = new YarnLog(deps.sim, deps.log, deps.yarn.scheduler);
    this.scheduler = this.ylog.scheduler;
    this.options = deps.yarn.options;
    this.phases = deps.streams('yarn/heartbeat');
    this.hNode = this.sim.register('yarn-node-heartbeat', (a) => this.heartbeat(agentIx(a), true));
    this.hNodeNow = this.sim.register('yarn-node-heartbeat-oob', (a) => this.heartbeat(agentIx(a), false));
    this.hAm = this.sim.register('yarn-am-allocate', (app) => this.allocate(this.apps[app]!));
    this.hUpdate = this.sim.register('yarn-scheduler-update', () => this.update());
    this.hAmExpire = this.sim.register('yarn-am-expire', (app) => this.amExpired(this.apps[app]!));
    this.nmExpiry = this.options.nmExpiry ?? YARN_FAILURE_DEFAULTS.nmExpiry;
    this.amExpiry = this.options.amExpiry ?? YARN_FAILURE_DEFAULTS.amExpiry;
    this.amMaxAttempts = this.options.amMaxAttempts ?? YARN_FAILURE_DEFAULTS.amMaxAttempts;
  }

  readonly rerunsLostTasks = true;

  /** The scheduler's periodic work (the FairScheduler's fair-share update) starts with the run. */
  start(): void {
    this.ylog.start();
    if (this.scheduler.updateInterval > 0) this.sim.at(this.sim.now, Phase.ALLOCATE, this.hUpdate);
  }

  trigger(agent: number): void {
    if (agent < 0 || this.nodes[agent] === true) return;
    const a = agentIx(agent);
    this.nodes[a] = true;
    this.ended[a] = [];
    this.oobAt[a] = -1;
    this.scheduler.addNode({ index: a, host: this.master.agentName(a), rack: this.master.rackOf(a), total: this.accounted(this.master.agentTotal(a)) });
    const phase = Math.floor(this.phases.next() * this.options.nodeHeartbeat);
    this.lastBeat[a] = this.sim.now;
    this.nextBeat[a] = this.sim.now + phase;
    this.sim.after(phase, Phase.ALLOCATE, this.hNode, a);
  }

  changed(): void {}

  jobSubmitted(job: number, fw: number): void {
    const m = this.master;
    const f = m.frameworkAt(frameworkIx(fw));
    const attaching = this.attaching;
    if (attaching !== null) {
      // A copy the AM submitted to rerun a task: the same application asks for it.
      attaching.jobs.push(job);
      this.appOf.set(job, attaching);
      if (attaching.registered) this.addJobTasks(attaching, job);
      return;
    }
    const info: YarnAppInfo = {
      id: this.apps.length,
      name: `${f.name}/${job}`,
      queue: this.options.queueOf(f.name),
      user: f.name,
      priority: 0,
      submitted: this.sim.now,
    };
    const app: App = {
      id: info.id,
      job,
      fw,
      info,
      jobs: [job],
      reruns: [],
      attempt: 1,
      countedFailures: 0,
      failed: false,
      removed: false,
      lastPing: -1,
      nextCall: -1,
      expireAt: -1,
      classes: [],
      amContainer: -1,
      registered: false,
      done: false,
      granted: [],
      releases: [],
      live: 0,
    };
    this.apps.push(app);
    this.appOf.set(job, app);
    this.scheduler.addApp(info, this.options.am, this.sim.now);
    this.ylog.appSubmitted(job, fw, info.queue);
    if (this.options.am === null) this.register(app);
  }

  taskEnded(task: number, agent: number): void {
    const a = agentIx(agent);
    const id = this.containerOf.get(task);
    if (id === undefined) {
      // Its container went with a failed attempt while its node was failed: lost now, run again.
      const o = this.orphans.get(task);
      if (o !== undefined) {
        this.orphans.delete(task);
        if (!o.app.failed) {
          this.keepRerun(o.app, task, o.prefs);
          this.submitReruns(o.app);
        }
      }
      return;
    }
    this.containerOf.delete(task);
    const box = this.containers.get(id)!;
    this.containers.delete(id);
    if (this.master.isAgentDown(a)) {
      // Lost with its node: the container ends ABORTED in the scheduler at once, and the AM,
      // hearing of it at its next allocate call, asks again for the task.
      this.complete(id, 'aborted');
      const app = this.apps[box.app]!;
      if (!app.failed) {
        this.keepRerun(app, task, box.prefs);
        this.submitReruns(app);
      }
      return;
    }
    this.containerEnded(id, a);
  }

  jobOver(job: number): void {
    const app = this.appOf.get(job);
    if (app === undefined) return;
    this.appOf.delete(job);
    app.jobs.splice(app.jobs.indexOf(job), 1);
    // Tasks still to rerun keep the application going (unless it failed).
    if (app.jobs.length > 0 || (app.reruns.length > 0 && !app.failed)) return;
    app.done = true;
    // The AM unregisters: its unused containers and its own go back at once.
    for (const id of [...app.releases, ...app.granted]) this.release(id, 'app_finished');
    app.releases.length = 0;
    app.granted.length = 0;
    if (app.amContainer >= 0) this.release(app.amContainer, 'app_finished');
    this.removeIfDone(app);
  }

  /**
   * A finished application leaves the scheduler once the scheduler has completed all its
   * containers: the last tasks' ends reach it with their nodes' heartbeats (the AM hears of them
   * only then, and unregisters).
   */
  private removeIfDone(app: App): void {
    if (app.done && app.live === 0 && !app.removed) {
      app.removed = true;
      this.scheduler.removeApp(app.id, this.sim.now);
    }
  }

  /** The scheduler completes container `id` (a node reported its end, or it was released). */
  private complete(id: number, reason: ContainerEnd): void {
    const app = this.apps[this.appOfContainer.get(id)!]!;
    this.ylog.completed(id, reason);
    this.appOfContainer.delete(id);
    this.scheduler.completeContainer(id, this.sim.now);
    app.live--;
    this.removeIfDone(app);
  }

  /** What container resources `res` hold on an agent under the calculator (disk never; cpus and gpus not under 'memory'). */
  private accounted(res: ResourceVector): ResourceVector {
    const v = new Float64Array(NUM_RESOURCES);
    v[R.mem] = res[R.mem]!;
    if (this.options.calculator === 'dominant') {
      v[R.cpus] = res[R.cpus]!;
      v[R.gpus] = res[R.gpus]!;
    }
    return v;
  }

  /** A container's task ended: its node reports it at its next heartbeat, at once with out-of-band heartbeats. */
  private containerEnded(id: number, agent: AgentIx): void {
    this.ended[agent]!.push(id);
    if (this.options.outOfBandHeartbeat && this.oobAt[agent] !== this.sim.now) {
      this.oobAt[agent] = this.sim.now;
      this.sim.at(this.sim.now, Phase.ALLOCATE, this.hNodeNow, agent);
    }
  }

  /** Node `agent` heartbeats: ended containers complete, then the scheduler allocates on it. */
  private heartbeat(agent: AgentIx, periodic: boolean): void {
    const now = this.sim.now;
    if (periodic) {
      // A failed node's heartbeats stop (and a returning one starts a new phase).
      if (this.nextBeat[agent] !== now) return;
      this.nextBeat[agent] = now + this.options.nodeHeartbeat;
      this.sim.after(this.options.nodeHeartbeat, Phase.ALLOCATE, this.hNode, agent);
    } else this.oobAt[agent] = -1;
    if (this.master.isAgentDown(agent)) return;
    this.lastBeat[agent] = now;
    const ended = this.ended[agent]!;
    for (const id of ended) this.complete(id, 'task_ended');
    ended.length = 0;
    const out = this.grants;
    out.length = 0;
    this.scheduler.nodeUpdate(agent, now, out);
    for (const g of out) this.granted(g);
  }

  private granted(g: ContainerGrant): void {
    const app = this.apps[g.app];
    if (app === undefined || app.done) throw this.sim.invariant(`container ${g.id} allocated to application ${g.app}, which is not running`);
    const held = this.accounted(g.res);
    this.master.holdContainer(frameworkIx(app.fw), agentIx(g.node), held);
    this.containers.set(g.id, { app: app.id, agent: agentIx(g.node), held, priority: g.priority, task: -1, prefs: undefined });
    this.appOfContainer.set(g.id, app.id);
    app.live++;
    this.ylog.allocated(g, app.job, app.fw);
    if (g.am) {
      app.amContainer = g.id;
      this.register(app);
    } else app.granted.push(g.id);
  }

  /** The AM registers: its requests for every pending task of its jobs; its first allocate call one interval on. */
  private register(app: App): void {
    app.registered = true;
    this.ylog.amRegistered(app.job, app.fw, app.amContainer, app.amContainer < 0 ? -1 : this.containers.get(app.amContainer)!.agent);
    app.lastPing = this.sim.now;
    if (this.oversized(app)) return;
    for (const job of app.jobs) this.addJobTasks(app, job);
    app.nextCall = this.sim.now + this.options.amHeartbeat;
    this.sim.after(this.options.amHeartbeat, Phase.MESSAGE, this.hAm, app.id);
  }

  /**
   * Whether a pending task of `app` is larger than the maximum allocation in a resource the
   * calculator counts: then the AM kills its job, as MapReduce's RMContainerAllocator does when a
   * task's capability exceeds the cluster's maximum container ("Killing the Job"). Every job of
   * the application is abandoned with its pending tasks (nothing of it has run), and the AM
   * unregisters.
   */
  private oversized(app: App): boolean {
    const max = this.options.maxAllocation;
    if (max === undefined) return false;
    const t = this.master.tasks;
    const counted = this.options.calculator === 'memory' ? [R.mem] : [R.mem, R.cpus, R.gpus];
    let over = false;
    for (const job of app.jobs) {
      const first = t.firstTask[job]!;
      for (let k = first; k < first + t.taskCount[job]! && !over; k++) {
        if (!t.isPending(k)) continue;
        const off = t.resOffset(k);
        for (const r of counted) if (t.res[off + r]! > max[r]!) over = true;
      }
    }
    if (!over) return false;
    app.failed = true;
    for (const job of [...app.jobs]) {
      const first = t.firstTask[job]!;
      let pending = 0;
      for (let k = first; k < first + t.taskCount[job]!; k++) if (t.isPending(k)) pending++;
      this.master.abandon(frameworkIx(app.fw), job as never, pending, app.attempt);
    }
    return true;
  }

  /** The pending tasks of `job` join the AM's requests. */
  private addJobTasks(app: App, job: number): void {
    const t = this.master.tasks;
    const first = t.firstTask[job]!;
    const n = t.taskCount[job]!;
    for (let task = first; task < first + n; task++) if (t.isPending(task)) this.addTask(app, t, task);
  }

  /** Pending `task` joins its size's class: one more wanted on each of its hosts, their racks and ANY. */
  private addTask(app: App, t: TaskTable, task: number): void {
    const off = t.resOffset(task);
    let c = app.classes.find((k) => sameRes(k.capability, t.res, off));
    if (c === undefined) {
      c = {
        priority: this.options.taskPriority + app.classes.length,
        capability: t.res.slice(off, off + NUM_RESOURCES),
        byName: new Map(),
        heads: new Map(),
        all: [],
        allHead: 0,
        want: new Map(),
        dirty: new Set(),
      };
      app.classes.push(c);
    }
    c.all.push(task);
    for (const name of this.namesOf(t, task)) {
      let list = c.byName.get(name);
      if (list === undefined) c.byName.set(name, (list = []));
      list.push(task);
      bump(c, name, 1);
    }
    bump(c, ANY, 1);
  }

  /** The hosts and racks a task prefers (its preferred agents, their racks, its preferred racks), each once. */
  private namesOf(t: TaskTable, task: number): string[] {
    const p = t.prefsOf(task);
    if (p === undefined) return [];
    const names = new Set<string>();
    for (const id of p.agents) {
      names.add(t.agentNameOf(id));
      const rack = t.agentRack(id);
      if (rack >= 0) names.add(t.rackNameOf(rack));
    }
    for (const r of p.racks) names.add(t.rackNameOf(r));
    return [...names];
  }

  /** The AM's allocate call: releases and changed requests go out, new containers come back and are bound. */
  private allocate(app: App): void {
    const now = this.sim.now;
    // A dead AM calls no more (a later attempt's AM has calls of its own).
    if (app.done || app.nextCall !== now) return;
    app.lastPing = now;
    for (const id of app.releases) this.release(id, 'released');
    app.releases.length = 0;
    const asks: ResourceAsk[] = [];
    for (const c of app.classes) {
      for (const name of c.dirty)
        asks.push({ priority: c.priority, resourceName: name, capability: c.capability, numContainers: c.want.get(name)!, relaxLocality: true });
      c.dirty.clear();
    }
    if (asks.length > 0) this.scheduler.updateAsks(app.id, asks, now);
    this.ylog.asksSent(app.job, app.fw, asks);
    const taken = app.granted;
    app.granted = [];
    for (const id of taken) this.bind(app, id);
    app.nextCall = now + this.options.amHeartbeat;
    this.sim.after(this.options.amHeartbeat, Phase.MESSAGE, this.hAm, app.id);
  }

  /** Late binding: a pending task of the container's size preferring its host, else its rack, else any; none: released next call. */
  private bind(app: App, id: number): void {
    const box = this.containers.get(id)!;
    const c = app.classes.find((k) => k.priority === box.priority);
    const t = this.master.tasks;
    const m = this.master;
    const task = c === undefined ? -1 : this.pick(c, t, m.agentName(box.agent), m.rackOf(box.agent));
    if (task < 0) {
      app.releases.push(id);
      return;
    }
    for (const name of this.namesOf(t, task)) bump(c!, name, -1);
    bump(c!, ANY, -1);
    box.task = task;
    box.prefs = t.prefsOf(task);
    this.containerOf.set(task, id);
    const fw = frameworkIx(app.fw);
    const b = m.frameworkAt(fw).behaviour;
    if (b.takeJobTask !== undefined) b.takeJobTask(t.jobOf(taskIx(task)), taskIx(task));
    m.launchInContainer(fw, taskIx(task), box.agent, box.held);
  }

  /** The first pending task of `c` in the list of `host`, then of `rack`, then of all: -1 when none is pending. */
  private pick(c: TaskClass, t: TaskTable, host: string, rack: string): number {
    for (const name of [host, rack]) {
      const list = c.byName.get(name);
      if (list === undefined) continue;
      let h = c.heads.get(name) ?? 0;
      while (h < list.length && !t.isPending(list[h]!)) h++;
      c.heads.set(name, h);
      if (h < list.length) return list[h]!;
    }
    while (c.allHead < c.all.length && !t.isPending(c.all[c.allHead]!)) c.allHead++;
    return c.allHead < c.all.length ? c.all[c.allHead]! : -1;
  }

  /** Container `id`, unbound or the AM's, goes back: the scheduler frees it at once, and so does its agent. */
  private release(id: number, reason: ContainerEnd): void {
    const box = this.containers.get(id);
    if (box === undefined) throw this.sim.invariant(`container ${id} released twice`);
    if (box.task >= 0) throw this.sim.invariant(`container ${id} released while task ${box.task} runs in it`);
    this.containers.delete(id);
    this.master.releaseContainer(box.agent, box.held);
    this.complete(id, reason);
  }

  /** The scheduler's periodic work (fair shares, preemption): preempted containers' tasks are killed. */
  private update(): void {
    this.sim.after(this.scheduler.updateInterval, Phase.ALLOCATE, this.hUpdate);
    const victims = this.scheduler.update?.(this.sim.now) ?? [];
    for (const id of victims) this.preempt(id);
  }

  // ---------------------------------------------------------------- failures and preemption

  /**
   * When failed agent `agent` is declared lost: the RM's node liveness monitor checks every third
   * of `nmExpiry` from the start of the run and expires a node when now > its last heartbeat +
   * `nmExpiry` (NMLivelinessMonitor, AbstractLivelinessMonitor.PingChecker): 600 to 800 s after the
   * last heartbeat by default. A check at exactly last + expiry does not expire it.
   */
  lostAt(agent: number, _failedAt: number): number {
    return nextCheck(this.lastBeat[agent]!, this.nmExpiry);
  }

  /**
   * Agent `agent` failed: its NodeManager stops heartbeating, and an ApplicationMaster running on
   * it stops calling; the AM liveness monitor will expire it (see amExpired) unless its node is
   * declared lost first.
   */
  agentFailed(agent: number): void {
    this.nextBeat[agent] = -1;
    for (const app of this.apps) {
      if (app.done || app.amContainer < 0 || app.expireAt >= 0) continue;
      if (this.containers.get(app.amContainer)?.agent !== agent) continue;
      app.nextCall = -1;
      app.expireAt = nextCheck(app.lastPing, this.amExpiry);
      this.sim.at(app.expireAt, Phase.MESSAGE, this.hAmExpire, app.id);
    }
  }

  /**
   * Failed agent `agent` was declared lost (its running tasks are lost already, their containers
   * aborted): every other container on it ends ABORTED too (ends it never reported, unbound
   * containers, ApplicationMaster containers, whose attempts fail, uncounted), and the node leaves
   * the scheduler. It registers again as a new node, with a new heartbeat phase.
   */
  agentLost(agent: number): void {
    const a = agentIx(agent);
    const ended = this.ended[a]!;
    for (const id of ended) this.complete(id, 'aborted');
    ended.length = 0;
    const amsLost: App[] = [];
    for (const [id, box] of [...this.containers]) {
      if (box.agent !== a) continue;
      const app = this.apps[box.app]!;
      if (app.amContainer === id) amsLost.push(app);
      else this.dropContainer(id, 'aborted');
    }
    for (const app of amsLost) this.attemptFailed(app, false);
    this.scheduler.removeNode(a);
    this.nodes[a] = false;
    this.nextBeat[a] = -1;
    this.oobAt[a] = -1;
  }

  /** An ApplicationMaster silent for `amExpiry` is expired: its attempt fails, and the failure counts. */
  private amExpired(app: App): void {
    if (app.expireAt !== this.sim.now || app.done) return;
    this.attemptFailed(app, true);
  }

  /**
   * The scheduler preempts container `id`: the task in it is killed (offersim's KILLED: Hadoop's
   * PREEMPTED exit) and its AM asks again for it; an unbound container goes back; an AM container
   * fails its attempt, uncounted. The scheduler completes the container at once; its node, where
   * the container ended, heartbeats out of band.
   */
  private preempt(id: number): void {
    const box = this.containers.get(id);
    if (box === undefined) {
      // Its task has ended and the end waits for the node's next heartbeat: completed now.
      if (!this.appOfContainer.has(id)) throw this.sim.invariant(`the scheduler preempted container ${id}, which it does not hold`);
      for (const list of this.ended) {
        const k = list === undefined ? -1 : list.indexOf(id);
        if (k >= 0) list.splice(k, 1);
      }
      this.complete(id, 'preempted');
      return;
    }
    const app = this.apps[box.app]!;
    if (app.amContainer === id) {
      this.attemptFailed(app, false);
      return;
    }
    if (box.task < 0) {
      this.dropContainer(id, 'preempted');
      return;
    }
    this.killInContainer(app, id, box, true, 'preempted');
    this.nudge(box.agent);
  }

  /** Running task of container `id` is killed by the RM; `rerun`: its AM asks for it again. */
  private killInContainer(app: App, id: number, box: Container, rerun: boolean, reason: ContainerEnd): void {
    const task = box.task;
    this.containerOf.delete(task);
    this.containers.delete(id);
    if (this.master.isAgentDown(box.agent)) {
      // Out of reach: it is lost with its node, and run again then.
      if (rerun) this.orphans.set(task, { app, prefs: box.prefs });
    } else {
      // Kept before the kill: the kill may end the job, which must see the rerun pending.
      if (rerun) this.keepRerun(app, task, box.prefs);
      this.master.killContainerTask(taskIx(task));
      this.submitReruns(app);
    }
    this.complete(id, reason);
  }

  /** An unbound or AM container `id` ends: off the AM's lists, its resources back on its agent, completed in the scheduler. */
  private dropContainer(id: number, reason: ContainerEnd): void {
    const box = this.containers.get(id)!;
    const app = this.apps[box.app]!;
    for (const list of [app.granted, app.releases]) {
      const k = list.indexOf(id);
      if (k >= 0) list.splice(k, 1);
    }
    if (app.amContainer === id) app.amContainer = -1;
    this.containers.delete(id);
    this.master.releaseContainer(box.agent, box.held);
    this.complete(id, reason);
  }

  /** A container ended on `agent` outside a task's own end: the node heartbeats out of band, as for any end. */
  private nudge(agent: AgentIx): void {
    if (this.options.outOfBandHeartbeat && this.oobAt[agent] !== this.sim.now) {
      this.oobAt[agent] = this.sim.now;
      this.sim.at(this.sim.now, Phase.ALLOCATE, this.hNodeNow, agent);
    }
  }

  /** Task `task` (its slot still live) is to run again: its resources, duration and preferences are kept. */
  private keepRerun(app: App, task: number, prefs: TaskPrefs | undefined): void {
    const t = this.master.tasks;
    const off = t.resOffset(task);
    app.reruns.push({ task, res: t.res.slice(off, off + NUM_RESOURCES), duration: t.durationOf(task), prefs });
  }

  /**
   * The AM runs its lost and killed tasks again (MapReduce starts a new attempt of the task): each
   * as a copy, a one-task job `<framework>/replace-<task>` as under offers (task ids never run
   * twice), with the task's preferences, which joins this application: no new ApplicationMaster.
   * The copy is submitted at the instant of the end (so that the run does not end before it);
   * the AM asks for it at its next allocate call, when it hears of the end, or at the next
   * attempt's registration.
   */
  private submitReruns(app: App): void {
    if (app.reruns.length === 0) return;
    const m = this.master;
    const t = m.tasks;
    const fw = frameworkIx(app.fw);
    const name = m.frameworkAt(fw).name;
    const list = app.reruns.splice(0);
    this.attaching = app;
    for (const r of list) {
      const agents = r.prefs === undefined ? [] : Array.from(r.prefs.agents, (id) => t.agentNameOf(id));
      const racks = r.prefs === undefined ? [] : Array.from(r.prefs.racks, (id) => t.rackNameOf(id));
      m.submitJob(
        {
          id: `${name}/replace-${r.task}`,
          submit: this.sim.now,
          framework: name,
          tasks: [
            {
              res: r.res,
              duration: r.duration as SimTime,
              ...(agents.length > 0 ? { preferredAgents: agents } : {}),
              ...(racks.length > 0 ? { preferredRacks: racks } : {}),
            },
          ],
        },
        fw,
      );
    }
    this.attaching = null;
  }

  /**
   * The application's current attempt failed (its AM container lost with its node or preempted:
   * not counted; its AM expired: counted). MapReduce keeps no containers across attempts: the
   * attempt's other containers are killed, their tasks to run again. Below `amMaxAttempts` counted
   * failures a new attempt starts (a new AM container asked, the AM's requests made afresh at its
   * registration); at it, the application fails: each of its jobs is abandoned (a job_abandoned
   * record whose attempts are the AM attempts, its pending tasks dropped) and its running tasks
   * are killed.
   */
  private attemptFailed(app: App, counted: boolean): void {
    if (counted) app.countedFailures++;
    const failing = app.countedFailures >= this.amMaxAttempts;
    app.registered = false;
    app.nextCall = -1;
    app.expireAt = -1;
    if (failing) {
      app.failed = true;
      app.reruns.length = 0;
      const t = this.master.tasks;
      for (const job of [...app.jobs]) {
        const first = t.firstTask[job]!;
        let pending = 0;
        for (let k = first; k < first + t.taskCount[job]!; k++) if (t.isPending(k)) pending++;
        this.master.abandon(frameworkIx(app.fw), job as never, pending, app.attempt);
      }
    }
    for (const [id, box] of [...this.containers]) {
      // (an application over meanwhile has released its unbound containers already)
      if (box.app !== app.id || !this.containers.has(id)) continue;
      if (box.task >= 0) this.killInContainer(app, id, box, !failing, 'attempt_failed');
      else this.dropContainer(id, 'attempt_failed');
    }
    app.classes = [];
    if (failing || app.done) return;
    // Ends its nodes have not reported yet are the old attempt's: completed with it.
    for (const list of this.ended) {
      if (list === undefined) continue;
      for (let k = list.length - 1; k >= 0; k--) {
        const id = list[k]!;
        if (this.appOfContainer.get(id) !== app.id) continue;
        list.splice(k, 1);
        this.complete(id, 'attempt_failed');
      }
    }
    // The next attempt: the scheduler forgets the old one (its asks) and grants a new AM container.
    app.attempt++;
    this.scheduler.removeApp(app.id, this.sim.now);
    this.scheduler.addApp(app.info, this.options.am, this.sim.now);
    if (this.options.am === null) this.register(app);
  }
}

/** The first check of a liveness monitor (every third of `expiry` from the run's start) strictly later than `last` + `expiry`, us. */
function nextCheck(last: number, expiry: number): number {
  const every = Math.max(1, Math.floor(expiry / 3));
  return (Math.floor((last + expiry) / every) + 1) * every;
}

/** Adds `d` to the AM's total for `name` in class `c`, and marks it to be sent. */
function bump(c: TaskClass, name: string, d: number): void {
  c.want.set(name, (c.want.get(name) ?? 0) + d);
  c.dirty.add(name);
}

function sameRes(a: ResourceVector, b: Float64Array, off: number): boolean {
  for (let r = 0; r < NUM_RESOURCES; r++) if (a[r] !== b[off + r]) return false;
  return true;
}

/**
 * The allocation policy the master holds under the yarn architecture: none. The YARN scheduler
 * decides; the master's Mesos allocator is told nothing that matters.
 */
export class NoAllocator implements Allocator {
  readonly name = 'none';
  setWeight(): void {}
  addFramework(): void {}
  removeFramework(): void {}
  activateFramework(): void {}
  deactivateFramework(): void {}
  addAgent(): void {}
  removeAgent(): void {}
  recover(): void {}
  allocate(): void {}
}
