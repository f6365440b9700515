/**
 * The cluster fold: the agents registered and the cluster's resources, total and used (held by
 * staging and running tasks), and each resource's utilisation over the run. Imports only the
 * log's types and reports' vocabulary.
 */
import type { ResTuple } from '../../sim/model/log.js';
import { NR, perResource, type PerResource } from '../vocabulary.js';

/** The cluster fold's part of the summary. */
export interface ClusterSummary {
  /** agents registered */
  readonly agents: number;
  /** time-weighted mean of used / total per resource over the time that resource's total is > 0; NaN if never */
  readonly utilisation: PerResource;
}

/**
 * Totals and use of the cluster's resources. The total is the sum of agent_added resources less
 * agent_removed ones; utilisation of a resource is averaged over the time its total is > 0.
 */
export class ClusterFold {
  private readonly total = new Float64Array(NR);
  private readonly used = new Float64Array(NR);
  private agents = 0;
  /** whether the total changed since {@link takeTotalChanged} last asked */
  private totalChanged = false;
  private readonly utilIntegral = new Float64Array(NR);
  private readonly utilTime = new Float64Array(NR);

  /** An agent registered with `res`. */
  agentAdded(res: ResTuple): void {
    for (let i = 0; i < NR; i++) this.total[i]! += res[i]!;
    this.agents++;
    this.totalChanged = true;
  }

  /** An agent with `res` was removed. */
  agentRemoved(res: ResTuple): void {
    for (let i = 0; i < NR; i++) this.total[i]! -= res[i]!;
    this.agents--;
    this.totalChanged = true;
  }

  /** The cluster's total of resource `i`. */
  totalOf(i: number): number {
    return this.total[i]!;
  }

  /** Whether the total changed since the last call (then every share must be computed again). */
  takeTotalChanged(): boolean {
    const changed = this.totalChanged;
    this.totalChanged = false;
    return changed;
  }

  /** A task took `res[from]` to `res[from + NR - 1]`. */
  take(res: ArrayLike<number>, from: number): void {
    for (let i = 0; i < NR; i++) this.used[i]! += res[from + i]!;
  }

  /** A task gave back `res[from]` to `res[from + NR - 1]`. */
  give(res: ArrayLike<number>, from: number): void {
    for (let i = 0; i < NR; i++) this.used[i]! -= res[from + i]!;
  }

  /** Adds `dt` us of the current used / total to `integral`, and `dt` to `time`, for each resource the cluster has. */
  addUtilisation(integral: Float64Array, time: Float64Array, dt: number): void {
    for (let i = 0; i < NR; i++) {
      const tot = this.total[i]!;
      if (tot > 0) {
        integral[i]! += (this.used[i]! / tot) * dt;
        time[i]! += dt;
      }
    }
  }

  /** Adds `dt` us of the current state to the run's utilisation. */
  integrate(dt: number): void {
    this.addUtilisation(this.utilIntegral, this.utilTime, dt);
  }

  /** The cluster's part of the summary. */
  summary(): ClusterSummary {
    return {
      agents: this.agents,
      utilisation: perResource((i) => (this.utilTime[i]! > 0 ? this.utilIntegral[i]! / this.utilTime[i]! : NaN)),
    };
  }
}
