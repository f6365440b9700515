/**
 * The hierarchical allocator's allocation run, written once (Mesos `__generateOffers`,
 * src/master/allocator/mesos/hierarchical.cpp; notes §1.2): two agent shuffles, stage 1 (quota
 * guarantees) and stage 2 (fair share under quota limits and headroom), each a walk of the role
 * sorter and, per role, of its framework sorter, and one place that shapes an offer by the offer
 * granularity. Imports allocator modules and the pure resource helpers; no clock, no queue, no
 * I/O, no ambient randomness (every draw comes from the `rng` it is given).
 */
import { assertNever } from '../sim/kernel/assert.js';
import type { Rng } from '../sim/kernel/rng.js';
import { resized } from '../sim/kernel/packed.js';
import { shuffleInPlace } from '../sim/kernel/shuffle.js';
import type { AllocationContext, OfferGranularity } from '../sim/model/allocation-port.js';
import { NUM_RESOURCES, addInto, contains, copyInto, isEmpty, subInto } from '../sim/model/resources.js';
import type { Clients, QuotaState, RoleState } from './hierarchical-state.js';
import { PendingOffers } from './pending-offers.js';
import { flooredDiff, flooredSub, minOf, shrinkToRemaining } from './quota.js';
import type { ReservationPools } from './reservation-pools.js';
import { NO_CLIENT, type ClientHandle, type Walk } from './sorter/sorter.js';
import { SubsetWalk } from './sorter/subset-walk.js';
import { TaskDemands } from './task-demands.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** What {@link OfferLoop.offerTo} made: no offer, part of the agent, or all of it. */
const NONE = 0;
const PART = 1;
const WHOLE = 2;
type Made = typeof NONE | typeof PART | typeof WHOLE;

/** An order fixed for a whole run ('cluster' granularity), walked like a sorter. */
class FixedOrder implements Walk {
  readonly handles: ClientHandle[] = [];
  private i = 0;

  /** Takes the walk `from` gives now, whole. */
  constructor(from: Walk, rng: Rng) {
    for (let h = from.first(rng); h >= 0; h = from.next()) this.handles.push(h);
  }

  first(_rng: Rng): ClientHandle {
    this.i = 0;
    return this.next();
  }

  next(): ClientHandle {
    return this.i < this.handles.length ? this.handles[this.i++]! : NO_CLIENT;
  }
}

/**
 * One allocation run at a time over the allocator's clients. The walks see the order of an
 * agent's start: what the loop offers on an agent is booked and the sorters are told at the
 * agent's end (a walk ends with any change to its sorter, and a listed order would not change
 * under it either). Offers go to the master at once, unless stage 1 ran: then at the run's end,
 * so that each framework's stage-2 offer on an agent joins its stage-1 offer there.
 */
export class OfferLoop {
  /**
   * The candidate agents' free unreserved resources as this run sees them (stride NUM_RESOURCES,
   * by agent index): read from the context, and shrunk by what the run offers or books. While
   * offers wait every candidate is read at the start, since stage 2 must see what stage 1 booked;
   * otherwise each agent is read when its turn comes.
   */
  private free = new Float64Array(64 * NUM_RESOURCES);
  /** Whether this run's offers wait for its end ({@link pending}). */
  private waiting = false;
  private readonly pending = new PendingOffers();
  private readonly demands = new TaskDemands();
  private readonly requiredHeadroom = new Float64Array(NUM_RESOURCES);
  private readonly availableHeadroom = new Float64Array(NUM_RESOURCES);
  /** availableHeadroom − requiredHeadroom, floored: what an offer may take beyond guarantees. */
  private readonly surplus = new Float64Array(NUM_RESOURCES);
  private holdBack = false;
  /**
   * Whether this stage's offers are whole agents, unshrunk, unless a role's quota limit says
   * otherwise: stage 2, no headroom held back, no reservations, 'agent' or 'cluster' granularity.
   */
  private wholeAgents = false;
  private readonly unsatisfied = new Float64Array(NUM_RESOURCES);
  /** The offer being shaped: the part that serves a guarantee (stage 1) and the rest, unreserved. */
  private readonly guaranteePart = new Float64Array(NUM_RESOURCES);
  private readonly extraPart = new Float64Array(NUM_RESOURCES);
  /** Their sum, the offer's unreserved part; its reserved part; and the offer's sum. */
  private readonly offered = new Float64Array(NUM_RESOURCES);
  private readonly rsvPart = new Float64Array(NUM_RESOURCES);
  private readonly sumPart = new Float64Array(NUM_RESOURCES);
  private readonly tmp = new Float64Array(NUM_RESOURCES);
  private readonly fairCap = new Float64Array(NUM_RESOURCES);
  private readonly zero = new Float64Array(NUM_RESOURCES);
  /** Σ weights of the roles with an active framework, this run ('fair-share'). */
  private activeWeight = 0;
  /** The sorters' bookkeeping of the agent under way: the role, the framework's handle, the resources. */
  private readonly defRole: RoleState[] = [];
  private defHandle = new Int32Array(8);
  private defRes = new Float64Array(8 * NUM_RESOURCES);
  private defCount = 0;
  /**
   * Stage 1 over a keyed role sorter: the roles that may still take something (active, with a
   * guarantee not yet met), walked in the role sorter's order without walking past the others;
   * null when stage 1 walks the role sorter itself.
   */
  private guaranteed: SubsetWalk | null = null;
  private readonly guaranteedWalk = new SubsetWalk();
  /** Roles the walk of the agent under way found met, left out at the agent's end. */
  private readonly metRoles: ClientHandle[] = [];
  /** 'cluster': the run's role order and each role's framework order, taken when first needed. */
  private fixedRoles: FixedOrder | null = null;
  private readonly fixedFws = new Map<RoleState, FixedOrder>();

  constructor(
    private readonly clients: Clients,
    private readonly pools: ReservationPools,
    private readonly granularity: OfferGranularity,
    /** whether some role has a guarantee (stage 1 can offer something) */
    private readonly hasGuarantees: boolean,
  ) {}

  /**
   * One run over `order[0..n)`, which it shuffles in place: shuffle, stage 1 (unmet guarantees),
   * shuffle again, stage 2 (fair share), as Mesos does; with no guarantee unmet stage 1 offers
   * nothing and sorts nothing, so the two shuffles are back to back.
   */
  run(ctx: AllocationContext, order: Int32Array, n: number, rng: Rng): void {
    this.begin(ctx, order, n);
    shuffleInPlace(order, rng, n);
    if (this.waiting) this.stage(ctx, order, n, rng, 1);
    shuffleInPlace(order, rng, n);
    this.stage(ctx, order, n, rng, 2);
    if (this.waiting) this.pending.flush(ctx);
  }

  /** Run preparation (Mesos `__generateOffers` before stage 1): views, consumed quota, headroom. */
  private begin(ctx: AllocationContext, order: Int32Array, n: number): void {
    const c = this.clients;
    this.demands.nextRun();
    this.pools.beginRun(ctx);
    const required = this.requiredHeadroom;
    required.fill(0);
    for (const q of c.quotaList) {
      // consumed = reservations of the subtree (used or not) + unreserved offered or allocated
      copyInto(q.consumed, 0, q.reserved);
      addInto(q.consumed, 0, q.offeredOrAllocated);
      if (q.quota.hasGuarantee) {
        flooredDiff(this.tmp, q.quota.guarantee, 0, q.consumed);
        addInto(required, 0, this.tmp);
      }
    }
    // available headroom = total − offered or allocated − unallocated reservations
    flooredDiff(this.availableHeadroom, c.clusterTotal, 0, c.allocatedTotal);
    if (this.pools.any) {
      this.pools.unheld(this.tmp);
      flooredSub(this.availableHeadroom, this.tmp);
    }
    if (this.granularity === 'fair-share') {
      let sum = 0;
      for (const [name, role] of c.roles) if (role.active > 0) sum += c.weightOf(name);
      this.activeWeight = sum;
    }
    this.waiting = this.hasGuarantees && !isEmpty(required);
    let agents = 0;
    for (let i = 0; i < n; i++) if (order[i]! >= agents) agents = order[i]! + 1;
    if (this.free.length < agents * NUM_RESOURCES) this.free = new Float64Array(agents * 2 * NUM_RESOURCES);
    if (this.waiting) {
      for (let i = 0; i < n; i++) ctx.available(order[i]! as AgentIx, this.free, order[i]! * NUM_RESOURCES);
      this.pending.reset(agents);
    }
    this.fixedRoles = null;
    this.fixedFws.clear();
  }

  /**
   * Stage 1 (unmet guarantees) or 2 (fair share within limits and surplus headroom), agents in
   * `order`. For each agent with something allocatable left: roles in the role sorter's order,
   * each role's frameworks in its sorter's order; an offer may take part of the agent (quota,
   * granularity), and the rest goes on to the next framework and role in the same walks.
   */
  private stage(ctx: AllocationContext, order: Int32Array, n: number, rng: Rng, stage: 1 | 2): void {
    const c = this.clients;
    const fixed = stage === 2 && this.granularity === 'cluster';
    this.holdBack = stage === 2 && !isEmpty(this.requiredHeadroom);
    if (this.holdBack) flooredDiff(this.surplus, this.availableHeadroom, 0, this.requiredHeadroom);
    this.wholeAgents = stage === 2 && !this.holdBack && !this.pools.any && (this.granularity === 'agent' || this.granularity === 'cluster');
    const unsat = this.unsatisfied;
    const guaranteed = (this.guaranteed = stage === 1 ? this.guaranteedRoles() : null);
    for (let i = 0; i < n; i++) {
      if (stage === 1 && isEmpty(this.requiredHeadroom)) break; // every guarantee is met
      // No role can take anything in stage 1 (and a keyed walk draws nothing that skipping would save).
      if (guaranteed !== null && guaranteed.size === 0) break;
      const agent = order[i]! as AgentIx;
      const off = agent * NUM_RESOURCES;
      if (!this.waiting) ctx.available(agent, this.free, off);
      // Skipping an exhausted agent before ranking saves the sorts (and a random sorter's draws).
      if (!this.hasFree(ctx, agent, off)) continue;
      const roles: Walk = guaranteed ?? (fixed ? (this.fixedRoles ??= new FixedOrder(c.roleSorter, rng)) : c.roleSorter);
      roles: for (let rh = roles.first(rng); rh >= 0; rh = roles.next()) {
        const role = c.roleAt(rh);
        if (role.active === 0) continue;
        const q = role.quota;
        if (stage === 1) {
          if (q === null || !q.quota.hasGuarantee) continue;
          flooredDiff(unsat, q.quota.guarantee, 0, q.consumed);
          if (isEmpty(unsat)) {
            if (guaranteed !== null) this.metRoles.push(rh);
            continue;
          }
        }
        const fws: Walk = fixed ? this.fixedOrderOf(role, rng) : role.sorter;
        const byHandle = c.fwByHandle(role);
        for (let fh = fws.first(rng); fh >= 0; fh = fws.next()) {
          if (stage === 1 && isEmpty(unsat)) break;
          const made = this.offerTo(ctx, stage, role, byHandle[fh]! as FrameworkIx, fh, agent, off);
          if (made === WHOLE || (made === PART && !this.hasFree(ctx, agent, off))) break roles;
        }
      }
      this.applyBookkeeping();
      if (guaranteed !== null) {
        for (const rh of this.metRoles) guaranteed.remove(rh);
        this.metRoles.length = 0;
      }
    }
    this.guaranteed = null;
  }

  /**
   * Stage 1's walk when the role sorter is keyed: the active roles whose guarantee is not met
   * yet; null when it is not keyed (stage 1 then walks the role sorter and skips the others).
   */
  private guaranteedRoles(): SubsetWalk | null {
    const c = this.clients;
    if (c.roleSorter.keyed?.() !== true) return null;
    const walk = this.guaranteedWalk;
    walk.reset(c.roleSorter);
    for (const role of c.roles.values()) {
      const q = role.quota;
      if (role.active === 0 || q === null || !q.quota.hasGuarantee) continue;
      flooredDiff(this.tmp, q.quota.guarantee, 0, q.consumed);
      if (!isEmpty(this.tmp)) walk.add(c.roleHandle(role));
    }
    return walk;
  }

  /** The role's framework order for this run ('cluster'), taken at its first visit. */
  private fixedOrderOf(role: RoleState, rng: Rng): FixedOrder {
    let o = this.fixedFws.get(role);
    if (o === undefined) this.fixedFws.set(role, (o = new FixedOrder(role.sorter, rng)));
    return o;
  }

  /**
   * Shapes framework `fw`'s offer on `agent` in `stage` and makes it: {@link NONE} when it gets
   * none (nothing it may take is allocatable, or a refuse filter blocks it), {@link WHOLE} when it
   * took everything the agent had, else {@link PART}. Quota and headroom shrink only the
   * unreserved part: the reservation the framework may draw on there is offered whole, except as
   * the granularity says.
   */
  private offerTo(ctx: AllocationContext, stage: 1 | 2, role: RoleState, fw: FrameworkIx, fh: ClientHandle, agent: AgentIx, off: number): Made {
    const free = this.free;
    const g = this.guaranteePart;
    const extra = this.extraPart;
    const q = role.quota;
    // The client: a multi-role framework is one per role, with its own filters and reservations.
    const client = this.clients.clientIn(fw, role);
    const offerRole = client.offerRole;
    if (stage === 2 && this.wholeAgents && (q === null || !q.quota.hasLimit)) {
      // The common case: the offer is the agent's whole free view, unshrunk, so it is allocatable
      // (the loop checked the agent) and leaves nothing behind; ask the filters before shaping.
      if (offerRole === undefined ? ctx.isFiltered(fw, agent, free, off) : ctx.isFiltered(fw, agent, free, off, offerRole)) return NONE;
      copyInto(extra, 0, free, off);
      this.commit(ctx, fw, fh, role, offerRole, agent, extra, null, extra, -1, stage, true);
      return WHOLE;
    }
    if (stage === 1) {
      // The part that serves the guarantee; a framework that cannot make progress is skipped.
      minOf(g, free, off, this.unsatisfied);
      if (isEmpty(g)) return NONE;
      // The rest of the agent, within the limit (after g) and the surplus headroom.
      copyInto(extra, 0, free, off);
      subInto(extra, 0, g);
      if (q!.quota.hasLimit) {
        copyInto(this.tmp, 0, q!.consumed);
        addInto(this.tmp, 0, g);
        shrinkToRemaining(extra, q!.quota.limit, this.tmp);
      }
      const required = this.requiredHeadroom;
      if (!isEmpty(required) && !isEmpty(extra)) shrinkToRemaining(extra, this.availableHeadroom, required);
    } else {
      copyInto(extra, 0, free, off);
      const limited = q !== null && q.quota.hasLimit;
      if (limited) shrinkToRemaining(extra, q.quota.limit, q.consumed);
      if (this.holdBack) shrinkToRemaining(extra, this.surplus, this.zero);
      g.fill(0);
    }
    // Stage 1 adds the role's reservations on the agent whole (Mesos toOffer), except with 'task'
    // granularity, whose one task is served from unreserved resources there.
    const pool = !this.pools.any || (stage === 1 && this.granularity === 'task') ? -1 : this.pools.poolOf(agent, client.reservationRole);
    let rv = pool < 0 ? null : this.pools.part(pool, this.rsvPart);
    switch (this.granularity) {
      case 'agent':
      case 'cluster':
        break;
      case 'task': {
        if (!this.demands.read(ctx, fw)) return NONE;
        const d = this.demands.demands;
        const dOff = fw * NUM_RESOURCES;
        // What it may be offered: the guarantee part, the rest and the reservation, reserved first.
        const may = this.tmp;
        copyInto(may, 0, extra);
        addInto(may, 0, g);
        if (rv !== null) addInto(may, 0, rv);
        if (!contains(may, 0, d, dOff)) return NONE;
        // One task per framework per agent per run, even across the two stages (stage 1 runs
        // only when offers wait for the run's end).
        if (this.waiting && this.pending.stage1Slot(fw, agent, offerRole) >= 0) return NONE;
        for (let x = 0; x < NUM_RESOURCES; x++) {
          const dx = d[dOff + x]!;
          if (g[x]! > dx) g[x] = dx;
          extra[x] = dx - g[x]!;
        }
        if (stage === 1 && isEmpty(g)) return NONE; // the task does not help the guarantee: stage 2's business
        if (rv !== null) {
          for (let x = 0; x < NUM_RESOURCES; x++) {
            const take = Math.min(rv[x]!, extra[x]!);
            rv[x] = take;
            extra[x] = extra[x]! - take;
          }
          if (isEmpty(rv)) rv = null;
        }
        break;
      }
      case 'fair-share':
        this.fairShareCap(role);
        subInto(this.fairCap, 0, g);
        shrinkToRemaining(extra, this.fairCap, this.zero);
        break;
      default:
        assertNever(this.granularity, 'offer granularity');
    }
    // The unreserved part: the guarantee part and the rest (stage 2 has no guarantee part).
    let v = extra;
    if (stage === 1) {
      v = this.offered;
      copyInto(v, 0, g);
      addInto(v, 0, extra);
    }
    const sum = rv === null ? v : this.sumOf(v, rv);
    if (!ctx.isAllocatable(sum) || (offerRole === undefined ? ctx.isFiltered(fw, agent, sum) : ctx.isFiltered(fw, agent, sum, 0, offerRole))) return NONE;
    this.commit(ctx, fw, fh, role, offerRole, agent, v, rv, sum, pool, stage, false);
    if (stage === 1) {
      // Reservations count as consumed already: only the unreserved part meets the guarantee.
      flooredSub(this.unsatisfied, v);
      flooredSub(this.requiredHeadroom, g);
      flooredSub(this.availableHeadroom, v);
    } else if (this.holdBack) {
      flooredSub(this.availableHeadroom, v);
      flooredSub(this.surplus, v);
    }
    return PART;
  }

  /** Sets {@link fairCap} to the role's fair share minus what it holds (may be negative). */
  private fairShareCap(role: RoleState): void {
    const c = this.clients;
    const w = c.weightOf(role.name) / this.activeWeight;
    for (let x = 0; x < NUM_RESOURCES; x++) {
      this.fairCap[x] = Math.floor(c.clusterTotal[x]! * w) - role.alloc[x]!;
    }
  }

  /**
   * Makes (or books) an offer of `res` plus `reserved` (their sum `sum`) on `agent` to `fw` (in
   * `offerRole`, for a multi-role framework; undefined for one role): the
   * run's free view shrinks, quota and the role's holding count it at once (as Mesos
   * `trackAllocatedResources` does), and the sorters at the agent's end, or now when the offer
   * takes the `whole` agent (the walks stop there).
   */
  private commit(
    ctx: AllocationContext,
    fw: FrameworkIx,
    fh: ClientHandle,
    role: RoleState,
    offerRole: string | undefined,
    agent: AgentIx,
    res: Float64Array,
    reserved: Float64Array | null,
    sum: Float64Array,
    pool: number,
    stage: 1 | 2,
    whole: boolean,
  ): void {
    subInto(this.free, agent * NUM_RESOURCES, res);
    if (this.waiting) {
      this.pending.book(fw, agent, sum, reserved, stage, offerRole);
    } else if (offerRole !== undefined) {
      ctx.offer(fw, agent, res, reserved ?? undefined, offerRole);
    } else if (reserved === null) {
      ctx.offer(fw, agent, res);
    } else {
      ctx.offer(fw, agent, res, reserved);
    }
    // Offered reservations count toward shares like anything offered; unoffered ones do not.
    if (reserved !== null) this.pools.take(pool, reserved);
    if (whole) {
      this.applyBookkeeping();
      const c = this.clients;
      c.roleSorter.allocatedAt(c.roleHandle(role), sum);
      role.sorter.allocatedAt(fh, sum);
    } else {
      this.book(role, fh, sum);
    }
    addInto(role.alloc, 0, sum);
    addInto(this.clients.allocatedTotal, 0, sum);
    const q: QuotaState | null = role.quota;
    if (q !== null) {
      addInto(q.offeredOrAllocated, 0, res);
      addInto(q.consumed, 0, res);
    }
  }

  /** Books the sorters' share of an offer for the agent's end. */
  private book(role: RoleState, fh: ClientHandle, sum: Float64Array): void {
    const d = this.defCount++;
    if (d === this.defHandle.length) {
      this.defRes = resized(this.defRes, this.defRes.length * 2);
      this.defHandle = resized(this.defHandle, this.defHandle.length * 2);
    }
    this.defRole[d] = role;
    this.defHandle[d] = fh;
    copyInto(this.defRes, d * NUM_RESOURCES, sum);
  }

  /** Tells the sorters of the agent's offers, in booking order. */
  private applyBookkeeping(): void {
    const c = this.clients;
    const guaranteed = this.guaranteed;
    for (let d = 0; d < this.defCount; d++) {
      const role = this.defRole[d]!;
      const rh = c.roleHandle(role);
      c.roleSorter.allocatedAt(rh, this.defRes, d * NUM_RESOURCES);
      role.sorter.allocatedAt(this.defHandle[d]! as ClientHandle, this.defRes, d * NUM_RESOURCES);
      if (guaranteed !== null && guaranteed.has(rh)) {
        // The role's key changed; once its guarantee is met it can take nothing more in stage 1.
        flooredDiff(this.tmp, role.quota!.quota.guarantee, 0, role.quota!.consumed);
        if (isEmpty(this.tmp)) guaranteed.remove(rh);
        else guaranteed.changed(rh);
      }
    }
    this.defCount = 0;
  }

  /** The sum of `res` and `reserved` in {@link sumPart}. */
  private sumOf(res: Float64Array, reserved: Float64Array): Float64Array {
    copyInto(this.sumPart, 0, res);
    addInto(this.sumPart, 0, reserved);
    return this.sumPart;
  }

  /** Whether the run's view of `agent` has anything allocatable left, unreserved or in one reservation. */
  private hasFree(ctx: AllocationContext, agent: AgentIx, off: number): boolean {
    return ctx.isAllocatable(this.free, off) || this.pools.hasAllocatable(ctx, agent);
  }
}
