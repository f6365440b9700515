/**
 * The CapacityScheduler's proportional preemption (Hadoop's ProportionalCapacityPreemptionPolicy
 * with PreemptableResourceCalculator, TempQueuePerPartition and FifoCandidatesSelector, in
 * resourcemanager's monitor/capacity/; yarn-semantics.md §3.7): each run computes every queue's
 * ideal share, takes back what a queue holds above it, marks containers and kills those still
 * marked after the wait. Inter-queue only (intra-queue preemption is off by default). Imports
 * model types and the calculator only.
 */
import { FIXED_POINT, NUM_RESOURCES, type ResourceVector } from '../../sim/model/resources.js';
import type { ResourceCalculator } from './calculator.js';
import type { CapacityPreemptionOptions } from './capacity-options.js';

/** A container the policy may take, as the scheduler reports it. */
export interface PreemptionVictim {
  readonly id: number;
  readonly res: ResourceVector;
  readonly am: boolean;
}

/** A queue as the policy sees it at one run (a snapshot the scheduler builds). */
export interface PreemptionQueueView {
  readonly path: string;
  readonly children: readonly PreemptionQueueView[];
  /** allocated plus reserved */
  readonly used: ResourceVector;
  readonly guarantee: ResourceVector;
  readonly maxResource: ResourceVector;
  /** leaf: what its active applications still ask, within their users' limits; parents: ignored */
  readonly pending: ResourceVector;
  /** leaf: its containers in the order to take them (newest applications first, each newest first; AMs apart) */
  readonly victims: readonly PreemptionVictim[];
}

/** One queue's working state in a run (TempQueuePerPartition). */
interface Temp {
  readonly view: PreemptionQueueView;
  readonly children: Temp[];
  readonly pending: ResourceVector;
  readonly ideal: ResourceVector;
  readonly toBePreempted: ResourceVector;
  normalizedGuarantee: number;
}

const vec = (): ResourceVector => new Float64Array(NUM_RESOURCES);
const ceilUnits = (x: number): number => Math.ceil(x / FIXED_POINT - 1e-9) * FIXED_POINT;

/** The monitor: called every monitoring interval; remembers when each container was first marked. */
export class PreemptionMonitor {
  /** container id -> when it was first marked (ProportionalCapacityPreemptionPolicy.preemptionCandidates) */
  private readonly marked = new Map<number, number>();

  constructor(
    private readonly o: CapacityPreemptionOptions,
    private readonly calc: ResourceCalculator,
  ) {}

  /** The containers marked now, in marking order (a container marked long enough is killed and leaves). */
  markedContainers(): readonly number[] {
    return [...this.marked.keys()];
  }

  /**
   * ProportionalCapacityPreemptionPolicy.editSchedule at `now`: returns the containers to kill,
   * those selected again whose mark is at least maxWaitBeforeKill old.
   */
  run(now: number, root: PreemptionQueueView, cluster: ResourceVector): number[] {
    const tRoot = this.temp(root);
    tRoot.ideal.set(cluster);
    this.distributeBelow(tRoot, cluster);
    const selected = this.select(tRoot, cluster);
    const kill: number[] = [];
    for (const id of selected) {
      const at = this.marked.get(id);
      if (at === undefined) this.marked.set(id, now);
      else if (at + this.o.maxWaitBeforeKill <= now) {
        kill.push(id);
        this.marked.delete(id);
      }
    }
    // cleanupStaledPreemptionCandidates: marks older than twice the wait are forgotten
    for (const [id, at] of this.marked) if (at + 2 * this.o.maxWaitBeforeKill < now) this.marked.delete(id);
    return kill;
  }

  /** A container left (ended or killed): its mark goes. */
  forget(id: number): void {
    this.marked.delete(id);
  }

  private temp(view: PreemptionQueueView): Temp {
    const children = view.children.map((c) => this.temp(c));
    const pending = vec();
    if (children.length === 0) pending.set(view.pending);
    else for (const c of children) for (let r = 0; r < NUM_RESOURCES; r++) pending[r]! += c.pending[r]!;
    return { view, children, pending, ideal: vec(), toBePreempted: vec(), normalizedGuarantee: 0 };
  }

  /** PreemptableResourceCalculator.recursivelyComputeIdealAssignment. */
  private distributeBelow(q: Temp, cluster: ResourceVector): void {
    if (q.children.length === 0) return;
    this.computeIdealDistribution(q.children, q.ideal, cluster);
    for (const c of q.children) this.distributeBelow(c, cluster);
  }

  /**
   * PreemptableResourceCalculator.computeIdealResourceDistribution: each queue keeps what it uses
   * up to its guarantee; the rest goes to queues wanting more, in proportion to their guarantees,
   * each capped by its maximum and its usage plus pending; then what each holds above its ideal,
   * scaled to at most total_preemption_per_round of the cluster.
   */
  private computeIdealDistribution(queues: readonly Temp[], total: ResourceVector, cluster: ResourceVector): void {
    const unassigned = total.slice();
    const wanting: Temp[] = [];
    const wanted = vec();
    for (const q of queues) {
      const { used, guarantee } = q.view;
      if (this.calc.compare(cluster, used, guarantee) > 0) for (let r = 0; r < NUM_RESOURCES; r++) q.ideal[r] = Math.min(guarantee[r]!, used[r]!);
      else q.ideal.set(used);
      for (let r = 0; r < NUM_RESOURCES; r++) unassigned[r]! -= q.ideal[r]!;
      for (let r = 0; r < NUM_RESOURCES; r++) wanted[r] = used[r]! + q.pending[r]!;
      if (this.calc.compare(cluster, q.ideal, wanted) < 0) wanting.push(q);
    }
    this.fixpoint(wanting, unassigned, cluster);

    const needed = vec();
    for (const q of queues) {
      if (this.calc.compare(cluster, q.view.used, q.ideal) > 0) for (let r = 0; r < NUM_RESOURCES; r++) needed[r]! += q.view.used[r]! - q.ideal[r]!;
    }
    const allowed = vec();
    for (let r = 0; r < NUM_RESOURCES; r++) allowed[r] = cluster[r]! * this.o.totalPreemptionPerRound;
    const scale = this.calc.compare(cluster, needed, allowed) > 0 ? this.calc.ratio(cluster, allowed, needed) : 1;
    for (const q of queues) {
      // TempQueuePerPartition.assignPreemption
      if (this.calc.compare(cluster, q.view.used, q.ideal) > 0) {
        for (let r = 0; r < NUM_RESOURCES; r++) q.toBePreempted[r] = (q.view.used[r]! - q.ideal[r]!) * scale;
      } else q.toBePreempted.fill(0);
    }
  }

  /**
   * PreemptableResourceCalculator.computeFixpointAllocation: the most underserved queues (lowest
   * ideal / guarantee) are offered their normalised-guarantee share of what is unassigned; a queue
   * that took something stays in the running.
   */
  private fixpoint(wanting: Temp[], unassigned: ResourceVector, cluster: ResourceVector): void {
    // TQComparator: ideal / guarantee, lowest first; equal needs are served together
    const need = (q: Temp): number => this.calc.ratio(cluster, q.ideal, q.view.guarantee);
    const byPath = (a: Temp, b: Temp): number => (a.view.path < b.view.path ? -1 : a.view.path > b.view.path ? 1 : 0);
    const avail = vec();
    const room = vec();
    const want = vec();
    const assigned = vec();
    while (wanting.length > 0 && !this.calc.isZero(unassigned) && this.calc.compare(cluster, unassigned, vec()) > 0) {
      this.resetCapacity(wanting, cluster);
      wanting.sort((a, b) => need(a) - need(b) || byPath(a, b));
      const lowest = need(wanting[0]!);
      let n = 1;
      while (n < wanting.length && need(wanting[n]!) === lowest) n++;
      // getMostUnderservedQueues: every queue at the lowest need, in path order
      const underserved = wanting.splice(0, n);
      assigned.fill(0);
      for (const q of underserved) {
        for (let r = 0; r < NUM_RESOURCES; r++) {
          avail[r] = ceilUnits(unassigned[r]! * q.normalizedGuarantee);
          room[r] = Math.max(0, q.view.maxResource[r]! - q.ideal[r]!);
          want[r] = Math.max(0, q.view.used[r]! + q.pending[r]! - q.ideal[r]!);
        }
        // TempQueuePerPartition.offer: min(room below the maximum, min(offered, still wanted))
        const accepted = this.minByCalc(cluster, room, this.minByCalc(cluster, avail, want));
        for (let r = 0; r < NUM_RESOURCES; r++) {
          q.ideal[r]! += accepted[r]!;
          assigned[r]! += accepted[r]!;
        }
        if (this.calc.compare(cluster, accepted, vec()) > 0) wanting.push(q);
      }
      for (let r = 0; r < NUM_RESOURCES; r++) unassigned[r]! -= assigned[r]!;
    }
  }

  /** PreemptableResourceCalculator.resetCapacity: guarantees normalised over the queues still wanting. */
  private resetCapacity(queues: readonly Temp[], cluster: ResourceVector): void {
    const active = vec();
    for (const q of queues) for (let r = 0; r < NUM_RESOURCES; r++) active[r]! += q.view.guarantee[r]!;
    const ignoreGuarantee = this.calc.isZero(active);
    for (const q of queues) q.normalizedGuarantee = ignoreGuarantee ? 1 / queues.length : this.calc.ratio(cluster, q.view.guarantee, active);
  }

  /**
   * calculateResToObtainByPartitionForLeafQueues and FifoCandidatesSelector: a leaf above
   * guarantee x (1 + max_ignored_over_capacity) gives back natural_termination_factor of its excess,
   * from its victims in order, non-AM containers first, AM containers last.
   */
  private select(root: Temp, cluster: ResourceVector): number[] {
    const leaves: Temp[] = [];
    const collect = (q: Temp): void => {
      if (q.children.length === 0) leaves.push(q);
      else for (const c of q.children) collect(c);
    };
    collect(root);
    leaves.sort((a, b) => (a.view.path < b.view.path ? -1 : a.view.path > b.view.path ? 1 : 0));
    const selected: number[] = [];
    const deadZone = vec();
    const toObtain = vec();
    for (const q of leaves) {
      for (let r = 0; r < NUM_RESOURCES; r++) deadZone[r] = q.view.guarantee[r]! * (1 + this.o.maxIgnoredOverCapacity);
      if (this.calc.compare(cluster, q.view.used, deadZone) <= 0) continue;
      for (let r = 0; r < NUM_RESOURCES; r++) toObtain[r] = ceilUnits(q.toBePreempted[r]! * this.o.naturalTerminationFactor);
      for (const pass of [false, true]) {
        for (const v of q.view.victims) {
          if (v.am !== pass) continue;
          if (this.calc.compare(cluster, toObtain, vec()) <= 0) break;
          selected.push(v.id);
          for (let r = 0; r < NUM_RESOURCES; r++) toObtain[r]! -= v.res[r]!;
        }
      }
    }
    return selected;
  }

  private minByCalc(cluster: ResourceVector, a: ResourceVector, b: ResourceVector): ResourceVector {
    return this.calc.compare(cluster, a, b) <= 0 ? a : b;
  }
}
