/**
 * The FairScheduler's delay scheduling per application and request priority (Hadoop FSAppAttempt
 * getAllowedLocalityLevel, getAllowedLocalityLevelByTime, resetAllowedLocalityLevel and
 * SchedulerApplicationAttempt's scheduling-opportunity counters): the locality level each priority
 * may be served at now. Imports the port's types only.
 */
import type { YarnLocality } from '../../sim/model/yarn-port.js';

/** How local a container must be, as an index: 0 node-local, 1 rack-local, 2 off-switch (Hadoop NodeType order). */
const LEVEL: Record<YarnLocality, number> = { 'node-local': 0, 'rack-local': 1, 'off-switch': 2 };
const LEVELS: readonly YarnLocality[] = ['node-local', 'rack-local', 'off-switch'];

/** One application's delay-scheduling state, by request priority. */
export class FairLocality {
  /** scheduling opportunities missed per priority since the last relaxation */
  private readonly opportunities = new Map<number, number>();
  /** the level each priority may be served at; absent until first asked (then node-local) */
  private readonly allowed = new Map<number, number>();
  /** per priority, when it was last relaxed (or first asked), us: the time-based variant's clock */
  private readonly lastScheduled = new Map<number, number>();

  /** The node heartbeat offered priority `p` a node it could run on (Hadoop addSchedulingOpportunity). */
  addOpportunity(p: number): void {
    this.opportunities.set(p, (this.opportunities.get(p) ?? 0) + 1);
  }

  /** Opportunities counted for `p` since its last relaxation. */
  opportunitiesOf(p: number): number {
    return this.opportunities.get(p) ?? 0;
  }

  /** Back to 0 opportunities, and the relaxation clock to `now` (Hadoop resetSchedulingOpportunities). */
  resetOpportunities(p: number, now = 0): void {
    this.opportunities.set(p, 0);
    this.lastScheduled.set(p, now);
  }

  /** Sets the allowed level of `p` (Hadoop resetAllowedLocalityLevel); the counter is left alone. */
  resetAllowed(p: number, level: YarnLocality): void {
    this.allowed.set(p, LEVEL[level]);
  }

  /**
   * A container of `p` was allocated at `type`: a more local allocation than allowed raises the
   * allowed level to it, without resetting the counter (Hadoop FSAppAttempt.allocate).
   */
  allocated(p: number, type: YarnLocality): void {
    const a = this.allowed.get(p);
    if (a !== undefined && LEVEL[type] < a) this.allowed.set(p, LEVEL[type]);
  }

  /**
   * The level `p` may be served at, by opportunities counted as fractions of the cluster's
   * `numNodes` (Hadoop getAllowedLocalityLevel): thresholds above 1 count as 1; a negative one
   * turns delay scheduling off (off-switch). The first call leaves `p` node-local; then node-local
   * relaxes to rack-local when the opportunities exceed numNodes x nodeThreshold, and rack-local to
   * off-switch when they exceed numNodes x rackThreshold, each relaxation resetting the counter.
   */
  allowedLevel(p: number, numNodes: number, nodeThreshold: number, rackThreshold: number): YarnLocality {
    const node = Math.min(nodeThreshold, 1);
    const rack = Math.min(rackThreshold, 1);
    if (node < 0 || rack < 0) return 'off-switch';
    const a = this.allowed.get(p);
    if (a === undefined) {
      this.allowed.set(p, 0);
      return 'node-local';
    }
    if (a === 2) return 'off-switch';
    if (this.opportunitiesOf(p) > numNodes * (a === 0 ? node : rack)) {
      this.allowed.set(p, a + 1);
      this.resetOpportunities(p);
    }
    return LEVELS[this.allowed.get(p)!]!;
  }

  /**
   * The time-based variant, used by Hadoop only with continuous scheduling (not modelled; Hadoop
   * getAllowedLocalityLevelByTime): delays in us, negative for off. The first call at `now` starts
   * `p`'s clock, node-local; then a level relaxes when more than its delay has passed since the
   * clock was last reset (or since `appStart` when it never was), and each relaxation resets it.
   */
  allowedLevelByTime(p: number, nodeDelay: number, rackDelay: number, now: number, appStart = 0): YarnLocality {
    if (nodeDelay < 0 || rackDelay < 0) return 'off-switch';
    const a = this.allowed.get(p);
    if (a === undefined) {
      this.lastScheduled.set(p, now);
      this.allowed.set(p, 0);
      return 'node-local';
    }
    if (a === 2) return 'off-switch';
    const waited = now - (this.lastScheduled.get(p) ?? appStart);
    if (waited > (a === 0 ? nodeDelay : rackDelay)) {
      this.allowed.set(p, a + 1);
      this.resetOpportunities(p, now);
    }
    return LEVELS[this.allowed.get(p)!]!;
  }
}
