/**
 * The FairScheduler's preemption (off by default; yarn-semantics.md §4.4): which applications are
 * starved (Hadoop FSLeafQueue.updateStarvedApps, FSAppAttempt.fairShareStarvation,
 * FSLeafQueue.minShareStarvation) and which containers to take for them (FSPreemptionThread,
 * FSAppAttempt.canContainerBePreempted), run at each update instead of in a thread. Imports model
 * types, resources.ts and its yarn/ siblings only (the scheduler's types as types).
 */
import { NUM_RESOURCES, R, addInto, subInto, zero, type ResourceVector } from '../../sim/model/resources.js';
import { ANY } from '../../sim/model/yarn-port.js';
import { ResourceCalculator } from './calculator.js';
import type { FairPreemptionOptions } from './fair-options.js';
import { comparatorOf } from './fair-policy.js';
import type { FairApp, FairContainer, FairNode, FairQueue } from './fair-state.js';

const MEMORY = new ResourceCalculator('memory');
const DOMINANT = new ResourceCalculator('dominant');

/** Whether every entry is 0 (Hadoop Resources.isNone). */
function isNone(v: ResourceVector): boolean {
  for (let i = 0; i < NUM_RESOURCES; i++) if (v[i] !== 0) return false;
  return true;
}

/** `a -= b`, each entry kept at 0 or more (Hadoop subtractFromNonNegative). */
function subNonNegative(a: ResourceVector, b: ResourceVector): void {
  for (let i = 0; i < NUM_RESOURCES; i++) a[i] = Math.max(a[i]! - b[i]!, 0);
}

/** What preemption needs of the scheduler. */
export interface PreemptionHost {
  readonly cluster: ResourceVector;
  /** nodes in index order (undefined where removed) */
  readonly nodeList: readonly (FairNode | undefined)[];
  readonly liveContainers: ReadonlyMap<number, FairContainer>;
  leaves(): Iterable<FairQueue>;
  /** whether the application still has pending demand (Hadoop getPendingDemand is not none) */
  hasPendingDemand(a: FairApp): boolean;
}

/** Starvation, victims and kill times. */
export class FairPreemption {
  /** chosen containers and when to kill them, us, in the order chosen */
  private readonly victims = new Map<number, number>();

  constructor(readonly options: FairPreemptionOptions) {}

  /** Container `id` is over (killed or ended): no longer a victim, and its node's bookkeeping is updated. */
  forget(c: FairContainer, node: FairNode | undefined): void {
    if (!this.victims.delete(c.id)) return;
    subInto(c.app.toBePreempted, 0, c.res);
    node?.forPreemption.delete(c.id);
  }

  /**
   * Hadoop FairScheduler.update's preemption part and the preemption thread, at `now`: when
   * preemption is on and the cluster is used above the utilisation threshold (the larger of the
   * memory and vcores shares), each leaf's starved applications are found and containers are
   * chosen for them; returns the chosen containers whose wait before kill has passed, to kill now.
   */
  run(now: number, host: PreemptionHost, rootUsage: ResourceVector): readonly number[] {
    const o = this.options;
    if (o.enabled && this.overUtilisation(host.cluster, rootUsage)) {
      for (const q of host.leaves()) {
        for (const app of this.updateStarvedApps(q, now, host)) this.preemptFor(app, now, host);
      }
    }
    const kill: number[] = [];
    for (const [id, at] of this.victims) if (at <= now && host.liveContainers.has(id)) kill.push(id);
    return kill;
  }

  private overUtilisation(cluster: ResourceVector, used: ResourceVector): boolean {
    const mem = cluster[R.mem]! > 0 ? used[R.mem]! / cluster[R.mem]! : 0;
    const cpus = cluster[R.cpus]! > 0 ? used[R.cpus]! / cluster[R.cpus]! : 0;
    return this.options.utilizationThreshold < Math.max(mem, cpus);
  }

  /**
   * Hadoop FSLeafQueue.updateStarvedApps: the queue's applications with pending demand whose next
   * starvation check is due, in the policy's order; each starved for its fair share (usage below
   * min(threshold x fair share, demand) for longer than the timeout) is starved by that much, the
   * walk stopping at the first that is not; then the queue's min-share starvation not covered by
   * those goes to the applications in order, up to each one's pending demand.
   */
  private updateStarvedApps(q: FairQueue, now: number, host: PreemptionHost): FairApp[] {
    const apps = q.apps.filter((a) => host.hasPendingDemand(a) && now >= a.nextStarvationCheck).sort(comparatorOf(q.policy, host.cluster));
    const starved: FairApp[] = [];
    const fairStarvation = zero();
    let walking = true;
    for (const a of apps) {
      a.fairshareStarvation.fill(0);
      if (!walking) continue;
      this.fairShareStarvation(a, q, now, host.cluster);
      if (isNone(a.fairshareStarvation)) walking = false;
      else {
        starved.push(a);
        addInto(fairStarvation, 0, a.fairshareStarvation);
      }
    }
    const pending = this.minShareStarvation(q, now);
    subNonNegative(pending, fairStarvation);
    const calc = q.policy === 'drf' ? DOMINANT : MEMORY;
    for (const a of apps) {
      if (isNone(pending)) {
        a.minshareStarvation.fill(0);
        continue;
      }
      const share = a.demand.slice();
      subInto(share, 0, a.usage);
      subNonNegative(share, a.fairshareStarvation);
      if (calc.compare(host.cluster, share, pending) > 0) {
        subNonNegative(share, pending);
        pending.fill(0);
      } else subNonNegative(pending, share);
      a.minshareStarvation.set(share);
      if (!starved.includes(a)) starved.push(a);
    }
    return starved;
  }

  /** Hadoop FSAppAttempt.fairShareStarvation, written into `a.fairshareStarvation`. */
  private fairShareStarvation(a: FairApp, q: FairQueue, now: number, cluster: ResourceVector): void {
    const fairDemand = a.fairShare.slice();
    for (let i = 0; i < NUM_RESOURCES; i++)
      fairDemand[i] = Math.min(Math.floor((fairDemand[i]! / 1000) * this.options.fairShareThreshold) * 1000, a.demand[i]!);
    const calc = q.policy === 'drf' ? DOMINANT : MEMORY;
    const starved = calc.compare(cluster, a.usage, fairDemand) < 0;
    if (!starved) a.lastTimeAtFairShare = now;
    if (!starved || now - a.lastTimeAtFairShare < this.options.fairShareTimeout) a.fairshareStarvation.fill(0);
    else {
      a.fairshareStarvation.set(fairDemand);
      subNonNegative(a.fairshareStarvation, a.usage);
    }
  }

  /** Hadoop FSLeafQueue.minShareStarvation: min(minResources, demand) minus usage, once starved longer than the timeout. */
  private minShareStarvation(q: FairQueue, now: number): ResourceVector {
    const s = zero();
    for (let i = 0; i < NUM_RESOURCES; i++) s[i] = Math.min(q.minShare[i]!, q.demand[i]!);
    subNonNegative(s, q.usage);
    if (isNone(s)) q.lastTimeAtMinShare = now;
    if (now - q.lastTimeAtMinShare < this.options.minShareTimeout) s.fill(0);
    return s;
  }

  /**
   * Hadoop FSPreemptionThread for one starved application: its ANY requests, lowest priority
   * number first, as many containers of each as fit in its starvation (by memory); for each
   * container, the node where enough can be freed with the fewest AM containers (nodes in index
   * order, running containers with AMs last; a container is preemptable when its application
   * stays at or above its fair share without it); the chosen containers are marked, their
   * resources set aside on the node for the starved application, and killed after waitBeforeKill.
   * The application is not checked again for waitBeforeKill + 4 node heartbeats + 10 s.
   */
  private preemptFor(app: FairApp, now: number, host: PreemptionHost): void {
    const pending = app.fairshareStarvation.slice();
    addInto(pending, 0, app.minshareStarvation);
    for (const p of app.asks.priorities()) {
      if (isNone(pending)) break;
      const rr = app.asks.get(p, ANY)!;
      const fit = Math.floor(MEMORY.ratio(host.cluster, pending, rr.capability));
      const n = Math.min(fit, rr.numContainers);
      if (n === 0) continue;
      for (let k = 0; k < n; k++) {
        const best = this.bestOnOneNode(rr.capability, host);
        if (best === null || best.containers.length === 0) continue;
        const node = host.nodeList[best.node]!;
        const freed = node.preemptedFor.get(app) ?? zero();
        for (const c of best.containers) {
          this.victims.set(c.id, now + this.options.waitBeforeKill);
          addInto(c.app.toBePreempted, 0, c.res);
          node.forPreemption.add(c.id);
          addInto(freed, 0, c.res);
        }
        node.preemptedFor.set(app, freed);
      }
      for (let i = 0; i < NUM_RESOURCES; i++) pending[i] = Math.max(pending[i]! - rr.capability[i]! * n, 0);
    }
    app.nextStarvationCheck = now + this.options.waitBeforeKill + 4 * this.options.nodeHeartbeatInterval + this.options.waitBeforeNextStarvationCheck;
  }

  private bestOnOneNode(request: ResourceVector, host: PreemptionHost): { node: number; containers: FairContainer[] } | null {
    let best: { node: number; containers: FairContainer[] } | null = null;
    let maxAM = Infinity;
    for (const node of host.nodeList) {
      if (node === undefined) continue;
      const found = this.onNode(request, node, maxAM, host);
      if (found === null) continue;
      best = { node: node.info.index, containers: found.containers };
      maxAM = found.am;
      if (maxAM === 0) break;
    }
    return best;
  }

  /** Hadoop identifyContainersToPreemptOnNode: a set freeing `request` with fewer than `maxAM` AM containers, or null. */
  private onNode(request: ResourceVector, node: FairNode, maxAM: number, host: PreemptionHost): { containers: FairContainer[]; am: number } | null {
    const check: FairContainer[] = [];
    const ams: FairContainer[] = [];
    for (const id of node.containers) {
      if (node.forPreemption.has(id)) continue;
      const c = host.liveContainers.get(id)!;
      (c.am ? ams : check).push(c);
    }
    check.push(...ams);
    const potential = node.unallocated.slice();
    const chosen: FairContainer[] = [];
    const considering = new Map<FairApp, ResourceVector>();
    let am = 0;
    for (const c of check) {
      const already = considering.get(c.app) ?? zero();
      if (this.canBePreempted(c, already, host.cluster)) {
        if (c.am && ++am >= maxAM) return null;
        chosen.push(c);
        addInto(already, 0, c.res);
        considering.set(c.app, already);
        addInto(potential, 0, c.res);
      }
      if (request.every((v, i) => v <= potential[i]!)) return { containers: chosen, am };
    }
    return null;
  }

  /** Hadoop FSAppAttempt.canContainerBePreempted: the application stays at or above its fair share without it. */
  private canBePreempted(c: FairContainer, already: ResourceVector, cluster: ResourceVector): boolean {
    if (this.victims.has(c.id)) return false;
    const after = c.app.usage.slice();
    subInto(after, 0, c.app.toBePreempted);
    subInto(after, 0, c.res);
    subInto(after, 0, already);
    const calc = c.app.queue.policy === 'drf' ? DOMINANT : MEMORY;
    return !(calc.compare(cluster, after, c.app.fairShare) < 0);
  }
}
