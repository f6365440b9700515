/**
 * Reservations as the hierarchical allocator keeps them (notes §1.2, §1.6): one pool per
 * (agent, reserving role), static ones as the agents were added and dynamic ones as frameworks
 * reserve and unreserve, and each run's view of their free parts.
 * Imports the pure resource helpers and the port's types; no clock, no queue, no I/O.
 */
import type { AllocationContext, Reservation } from '../sim/model/allocation-port.js';
import { NUM_RESOURCES, addInto, copyInto, format, hasNegative, isEmpty, subInto, type ResourceVector } from '../sim/model/resources.js';
import { allocatableTo } from '../sim/model/roles.js';
import type { AgentIx } from '../sim/model/ids.js';

/** Every reservation of the cluster, by pool. */
export class ReservationPools {
  /** pools of each agent, by agent index; undefined for one without reservations (or removed) */
  private readonly agentPools: (number[] | undefined)[] = [];
  private readonly poolRole: string[] = [];
  /** each pool's agent; -1 for a pool whose agent was removed (free for reuse, see {@link freePools}) */
  private readonly poolAgent: number[] = [];
  /** each pool's reserved amounts, fixed point (dynamic reservations change them in place) */
  private readonly poolRes: ResourceVector[] = [];
  /** pools of removed agents, reused by later registrations so re-registering agents add none */
  private readonly freePools: number[] = [];
  /** the run's view of each pool's free part, fixed point (stride NUM_RESOURCES) */
  private free = new Float64Array(0);
  /** every reservation in the cluster, used or not */
  readonly total = new Float64Array(NUM_RESOURCES);
  /** the reserved resources offered or allocated (all roles) */
  readonly held = new Float64Array(NUM_RESOURCES);
  private readonly scratch = new Float64Array(NUM_RESOURCES);

  /** Whether any agent ever had reservations. */
  get any(): boolean {
    return this.poolRole.length > 0;
  }

  /** Files the reservations of a joining `agent` (none is fine). */
  add(agent: AgentIx, reserved: readonly Reservation[]): void {
    if (reserved.length === 0) return;
    const pools: number[] = [];
    for (const r of reserved) {
      const p = this.freePools.pop() ?? this.poolRole.length;
      this.poolRole[p] = r.role;
      this.poolAgent[p] = agent;
      this.poolRes[p] = r.res.slice();
      pools.push(p);
      addInto(this.total, 0, r.res);
    }
    this.agentPools[agent] = pools;
  }

  /**
   * `res` on `agent` becomes reserved for `role` (`sign` 1, a RESERVE) or unreserved (`sign` -1,
   * an UNRESERVE), in the pool of exactly that role there (created, empty, when missing; an
   * emptied pool stays, empty, until its agent leaves). `held`: the resources are in an offer of
   * this allocator's framework, so they are held reserved ones (a RESERVE) or no longer (an
   * UNRESERVE). Returns the pool.
   */
  change(agent: AgentIx, role: string, res: ResourceVector, sign: 1 | -1, held: boolean): number {
    let pools = this.agentPools[agent];
    let p = -1;
    if (pools !== undefined) for (const q of pools) if (this.poolRole[q] === role) p = q;
    if (p < 0) {
      if (sign < 0) throw new Error(`allocator: unreserve on agent ${agent} for role '${role}', which holds no reservation there`);
      p = this.freePools.pop() ?? this.poolRole.length;
      this.poolRole[p] = role;
      this.poolAgent[p] = agent;
      this.poolRes[p] = new Float64Array(NUM_RESOURCES);
      if (pools === undefined) pools = this.agentPools[agent] = [];
      pools.push(p);
    }
    const pool = this.poolRes[p]! as Float64Array;
    if (sign > 0) {
      addInto(pool, 0, res);
      addInto(this.total, 0, res);
      if (held) addInto(this.held, 0, res);
    } else {
      subInto(pool, 0, res);
      subInto(this.total, 0, res);
      if (held) subInto(this.held, 0, res);
      if (hasNegative(pool)) throw new Error(`allocator: unreserve of ${format(res)} on agent ${agent} exceeds the reservation for role '${role}'`);
    }
    return p;
  }

  /** Forgets the reservations of a leaving `agent`; calls `each` with every one of them first. */
  remove(agent: AgentIx, each: (role: string, res: ResourceVector) => void): void {
    const pools = this.agentPools[agent];
    if (pools === undefined) return;
    for (const p of pools) {
      const res = this.poolRes[p]!;
      subInto(this.total, 0, res);
      each(this.poolRole[p]!, res);
      this.poolAgent[p] = -1;
      this.freePools.push(p);
    }
    this.agentPools[agent] = undefined;
  }

  /** The pool on `agent` a framework filed for reservations under `role` may draw on (that role's or an ancestor's), or -1. */
  poolOf(agent: AgentIx, role: string): number {
    if (this.poolRole.length === 0) return -1;
    const pools = this.agentPools[agent];
    if (pools === undefined) return -1;
    for (const p of pools) {
      const owner = this.poolRole[p]!;
      if (allocatableTo(owner, role)) return p;
    }
    return -1;
  }

  /** Reads every pool's free part from the master, for a run (Mesos `__generateOffers`). */
  beginRun(ctx: AllocationContext): void {
    const pools = this.poolRole.length;
    if (pools === 0) return;
    if (this.free.length < pools * NUM_RESOURCES) this.free = new Float64Array(pools * NUM_RESOURCES * 2);
    const out = this.scratch;
    for (let p = 0; p < pools; p++) {
      const agent = this.poolAgent[p]! as AgentIx;
      if (agent < 0) continue; // a removed agent's pool: no agent to read
      // No reserving role is another's ancestor on one agent, so this reads exactly pool p.
      ctx.reservedAvailable(agent, this.poolRole[p]!, out);
      copyInto(this.free, p * NUM_RESOURCES, out);
    }
  }

  /** The run's free part of `pool` copied into `out`, or null when pool < 0 or it is empty. */
  part(pool: number, out: Float64Array): Float64Array | null {
    if (pool < 0 || isEmpty(this.free, pool * NUM_RESOURCES)) return null;
    copyInto(out, 0, this.free, pool * NUM_RESOURCES);
    return out;
  }

  /** `res` of `pool` was offered in this run. */
  take(pool: number, res: Float64Array): void {
    subInto(this.free, pool * NUM_RESOURCES, res);
    addInto(this.held, 0, res);
  }

  /** Whether some pool on `agent` has something allocatable left in this run. */
  hasAllocatable(ctx: AllocationContext, agent: AgentIx): boolean {
    if (this.poolRole.length === 0) return false;
    const pools = this.agentPools[agent];
    if (pools === undefined) return false;
    for (const p of pools) if (ctx.isAllocatable(this.free, p * NUM_RESOURCES)) return true;
    return false;
  }

  /** Writes into `out` the reservations no one holds: total - held. */
  unheld(out: Float64Array): void {
    copyInto(out, 0, this.total);
    subInto(out, 0, this.held);
  }
}
