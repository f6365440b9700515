/**
 * The Mesos hierarchical allocator (`src/master/allocator/mesos/hierarchical.cpp`, notes §1.2):
 * a role sorter, one framework sorter per role, quota and reservations, around the offer
 * loop of offer-loop.ts. Imports only allocator modules, the port and the pure resource helpers:
 * no clock, no queue, no I/O, no ambient randomness (every draw comes from the `rng` it is given).
 */
import type { Rng } from '../sim/kernel/rng.js';
import {
  OFFER_GRANULARITIES,
  type AllocationContext,
  type Allocator,
  type FrameworkInfo,
  type OfferGranularity,
  type Reservation,
} from '../sim/model/allocation-port.js';
import { NUM_RESOURCES, addInto, format, hasNegative, isEmpty, subInto, type ResourceVector } from '../sim/model/resources.js';
import type { Clients, FrameworkState, QuotaState, RoleState } from './hierarchical-state.js';
import { OfferLoop } from './offer-loop.js';
import { QUOTA_PARAM, parseQuota, topLevelRole, validateQuota } from './quota.js';
import { ReservationPools } from './reservation-pools.js';
import { createSorter, type SorterKind } from './sorter/registry.js';
import { fairnessMask } from './sorter/share-sorter.js';
import { NO_CLIENT, type ClientHandle, type Sorter, type SorterOptions } from './sorter/sorter.js';
import type { AllocatorOptions, ParamDoc, ParamProblem } from './types.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** A sorter by registered name, or a factory of the caller's own (a ranking-only policy's). */
export type SorterChoice = SorterKind | ((options: SorterOptions) => Sorter);

/** How a hierarchical allocator is built. */
export interface HierarchicalOptions extends AllocatorOptions {
  /** Registry name reported by `Allocator.name`, e.g. 'drf'. */
  readonly name: string;
  /** Sorter ranking roles (Mesos --role_sorter); Mesos default 'drf'. */
  readonly roleSorter: SorterChoice;
  /** Sorter ranking frameworks within a role (Mesos --framework_sorter); Mesos default 'drf'. */
  readonly frameworkSorter: SorterChoice;
  /**
   * Whether walks of flat share sorters search a heap best first instead of listing each
   * sorter's whole order for every agent; default true. The offers are the same (a test compares
   * both on random cluster states); false keeps the straightforward walk.
   */
  readonly ranked?: boolean;
}

/** The parameters the hierarchical policies (drf, random, asset, cpu-share) accept in `allocator.params`. */
export const HIERARCHICAL_PARAMS: readonly ParamDoc[] = [QUOTA_PARAM];

/**
 * Every problem with the `params` of a hierarchical policy named `policy`: unknown names, and
 * the `quota` checks of {@link validateQuota}; paths are relative to `params`.
 */
export function validateHierarchicalParams(policy: string, params: Readonly<Record<string, unknown>>): ParamProblem[] {
  const known = HIERARCHICAL_PARAMS.map((p) => p.name);
  const problems: ParamProblem[] = Object.keys(params)
    .sort()
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: [k], message: `unknown parameter "${k}" of allocator ${policy}; known: ${known.join(', ')}` }));
  if (params['quota'] !== undefined) problems.push(...validateQuota(params['quota']));
  return problems;
}

/**
 * The hierarchical allocator with pluggable sorters.
 *
 * Roles enter the role sorter (active) with their first framework and leave it with their last,
 * as in Mesos `trackFrameworkUnderRole`; a role whose frameworks are all suppressed stays ranked
 * and is skipped. Frameworks enter their role's sorter by name, active; suppress and revive
 * deactivate and activate them there. Every sorter's totals are the sum of the agents added. A
 * multi-role framework (`FrameworkInfo.roles`) enters each of its roles' sorters: one client per
 * role, with that role's holding, quota, reservations and suppression; its offers name the role.
 *
 * **Quota** (`params.quota`, top-level roles only; notes §1.2, §1.6). Each run:
 * - consumed(role) = reservations of the role's subtree (used or not) + unreserved
 *   resources offered or allocated in the subtree; the allocator counts offered resources, as
 *   Mesos does;
 * - requiredHeadroom = Σ over quota roles of max(0, guarantee − consumed), per resource, whether or
 *   not the role has frameworks; availableHeadroom = cluster total − everything offered or
 *   allocated − unallocated reservations;
 * - stage 1 (agents in the first shuffle's order; roles re-sorted for every agent): roles whose
 *   guarantee is not yet met, in role-sorter order, offer each framework in order the agent's free
 *   resources shrunk to the unmet guarantee (skipped if that is empty), plus the rest shrunk to
 *   limit − consumed − that part and to availableHeadroom − requiredHeadroom;
 * - stage 2 (second shuffle): every role in order, each framework in order, is offered the free
 *   resources shrunk to limit − consumed and to availableHeadroom − requiredHeadroom (the rest is
 *   "held back" for unmet guarantees).
 * Offers can be partial (chopped): after one, what is left of the agent goes on to the next
 * framework and role in the same orders (not re-sorted), as long as it is allocatable. What one
 * framework gets on one agent in both stages is merged into one offer, as Mesos merges
 * `offerable[framework][role][agent]`.
 *
 * Deviations, each deliberate:
 * - Quota covers the top-level role's whole subtree (consumption, limit and guarantee); Mesos,
 *   which does not support quota on nested roles, looks up only the receiving role's own quota,
 *   so its limit would not cap a framework in 'eng/dev' under quota on 'eng'. Here limits stay
 *   hard caps whatever the framework's role.
 * - An agent with nothing allocatable left is skipped before the roles are sorted, and stage 1
 *   stops once no guarantee is unmet: Mesos sorts anyway. Offers are the same; only the number of
 *   sorts (and of a random sorter's draws) differs. Stage 1 does no sorting at all without
 *   guarantees, so runs without quota draw exactly what they drew before quota existed.
 *
 * **Reservations**, static (from `addAgent`) and dynamic (from {@link reserve} and
 * {@link unreserve}, which change the pools between runs; notes §1.2, §1.6): in both stages a framework's offer
 * is the reservation on the agent that its role may use (its own or an ancestor's, at most one),
 * offered whole, plus the unreserved part shaped as above (quota, headroom and granularity shrink
 * only the unreserved part; with 'task' granularity stage 1 adds no reservation and stage 2
 * takes the task from the reservation first). Reservations of other roles stay on the agent for
 * their frameworks later in the loop. Offered or allocated reservations count toward shares like
 * anything else; unallocated ones count for nothing (MESOS-8299).
 *
 * **Offer granularity** (`options.granularity`, default 'agent'): see {@link OFFER_GRANULARITIES}
 * and {@link HierarchicalAllocator.allocate}.
 */
export class HierarchicalAllocator implements Allocator, Clients {
  /** Registry name. */
  readonly name: string;
  /** Multi-role frameworks: each role a client of its own (see {@link addFramework}). */
  readonly multiRole = true;
  private readonly options: HierarchicalOptions;
  readonly roleSorter: Sorter;
  readonly roles = new Map<string, RoleState>();
  /** Every framework, by index: a multi-role framework's client in its first role. */
  private readonly frameworks: (FrameworkState | undefined)[] = [];
  /** Multi-role frameworks' clients, one per role in the order of `FrameworkInfo.roles`. */
  private readonly multi = new Map<FrameworkIx, FrameworkState[]>();
  private readonly byName = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  readonly clusterTotal = new Float64Array(NUM_RESOURCES);
  readonly allocatedTotal = new Float64Array(NUM_RESOURCES);
  /** Quota by top-level role, in name order. */
  private readonly quotas: ReadonlyMap<string, QuotaState>;
  readonly quotaList: readonly QuotaState[];
  private readonly pools = new ReservationPools();
  private readonly loop: OfferLoop;
  /** Role state by the role sorter's handle; null until built (reset when a role comes or goes). */
  private roleByHandle: (RoleState | undefined)[] | null = null;
  /** Scratch for the shuffled agent order; grows, never shrinks. */
  private order = new Int32Array(64);
  /** The ranking port's last order (see {@link frameworkOrder}); reused. */
  private readonly rankOut: FrameworkIx[] = [];

  /**
   * A hierarchical allocator; `options.excludedResources` default none, `options.granularity`
   * default 'agent', `options.params.quota` default none. Throws a RangeError for an unknown
   * granularity or sorter, or invalid quota (the scenario layer validates them first).
   */
  constructor(options: HierarchicalOptions) {
    this.name = options.name;
    this.options = options;
    // Validate excluded names whatever the sorters, so a typo fails the same under every policy.
    fairnessMask(options.excludedResources);
    this.roleSorter = createSorter(options.roleSorter, this.sorterOptions());
    const granularity: OfferGranularity = options.granularity ?? 'agent';
    if (!(OFFER_GRANULARITIES as readonly string[]).includes(granularity)) {
      throw new RangeError(`offer granularity '${String(granularity)}' is not one of ${OFFER_GRANULARITIES.join(', ')}`);
    }
    const quotas = new Map<string, QuotaState>();
    for (const q of parseQuota(options.params?.['quota']).values()) {
      if (!q.hasGuarantee && !q.hasLimit) continue; // Mesos DEFAULT_QUOTA: no effect at all
      quotas.set(q.role, {
        quota: q,
        offeredOrAllocated: new Float64Array(NUM_RESOURCES),
        reserved: new Float64Array(NUM_RESOURCES),
        consumed: new Float64Array(NUM_RESOURCES),
      });
    }
    this.quotas = quotas;
    this.quotaList = [...quotas.values()];
    const hasGuarantees = this.quotaList.some((q) => q.quota.hasGuarantee);
    this.loop = new OfferLoop(this, this.pools, granularity, hasGuarantees);
  }

  setWeight(role: string, weight: number): void {
    this.weights.set(role, weight);
    this.roleSorter.updateWeight(role, weight);
  }

  /**
   * Adds a framework, ranked under `fw.role`; `reservationRole` (default `fw.role`) is the role
   * whose reservations it may be offered, for wrappers that rank frameworks under another role
   * (fifo files every framework under one role). A multi-role framework (`fw.roles`) is a client
   * of each of its roles' sorters (Mesos addFramework tracks it under each role,
   * src/master/allocator/mesos/hierarchical.cpp:758-770), each with its own reservations.
   */
  addFramework(fw: FrameworkInfo, reservationRole: string = fw.role): void {
    if (this.frameworks[fw.index] !== undefined) {
      throw new Error(`allocator: framework ${fw.index} ('${fw.name}') added twice`);
    }
    if (this.byName.has(fw.name)) throw new Error(`allocator: framework name '${fw.name}' is taken`);
    // Framework names are the framework sorter's clients, where '/' would nest them (Mesos uses
    // framework ids, which have none); the scenario layer must reject such names.
    if (fw.name.includes('/') || fw.name === '') {
      throw new Error(`allocator: framework name '${fw.name}' must be non-empty and contain no '/'`);
    }
    const multi = fw.roles !== undefined && fw.roles.length > 1;
    const names = multi ? fw.roles! : [fw.role];
    if (multi && (names[0] !== fw.role || new Set(names).size !== names.length)) {
      throw new Error(`allocator: framework '${fw.name}' roles [${names.join(', ')}] must be distinct and start with its role '${fw.role}'`);
    }
    const states = names.map((name) => this.track(fw, name, multi ? name : reservationRole, multi ? name : undefined));
    this.frameworks[fw.index] = states[0]!;
    if (multi) this.multi.set(fw.index, states);
    this.byName.set(fw.name, fw.index);
  }

  /** Framework `fw` as a client of role `name`'s sorter, active (Mesos trackFrameworkUnderRole, hierarchical.cpp:2956). */
  private track(fw: FrameworkInfo, name: string, reservationRole: string, offerRole: string | undefined): FrameworkState {
    let role = this.roles.get(name);
    if (role === undefined) {
      this.roleSorter.add(name);
      this.roleSorter.activate(name);
      const sorter = createSorter(this.options.frameworkSorter, this.sorterOptions());
      sorter.addTotal(this.clusterTotal);
      role = {
        name,
        sorter,
        quota: this.quotas.get(topLevelRole(name)) ?? null,
        alloc: new Float64Array(NUM_RESOURCES),
        members: [],
        active: 0,
        fwByHandle: null,
        handle: NO_CLIENT,
      };
      this.roleByHandle = null;
      this.roles.set(name, role);
    }
    role.sorter.add(fw.name);
    role.sorter.activate(fw.name);
    role.fwByHandle = null;
    role.members.push(fw.index);
    role.active++;
    return { info: fw, offerRole, role, reservationRole, active: true, handle: NO_CLIENT };
  }

  removeFramework(fw: FrameworkIx): void {
    const states = this.clientsOf(fw);
    for (const f of states) {
      if (!isEmpty(f.role.sorter.allocation(f.info.name))) {
        throw new Error(
          `allocator: framework '${f.info.name}' removed while holding ` +
            `${format(f.role.sorter.allocation(f.info.name))}${f.offerRole === undefined ? '' : ` in role '${f.offerRole}'`}; recover its resources first`,
        );
      }
    }
    for (const f of states) {
      const role = f.role;
      role.sorter.remove(f.info.name);
      role.fwByHandle = null;
      role.members.splice(role.members.indexOf(fw), 1);
      if (f.active) role.active--;
      if (role.members.length === 0) {
        this.roleSorter.remove(role.name);
        this.roles.delete(role.name);
        this.roleByHandle = null;
      }
    }
    this.byName.delete(states[0]!.info.name);
    this.frameworks[fw] = undefined;
    this.multi.delete(fw);
  }

  activateFramework(fw: FrameworkIx, roles?: readonly string[]): void {
    for (const f of this.clientsOf(fw, roles)) {
      if (f.active) continue;
      f.active = true;
      f.role.active++;
      f.role.sorter.activate(f.info.name);
    }
  }

  deactivateFramework(fw: FrameworkIx, roles?: readonly string[]): void {
    for (const f of this.clientsOf(fw, roles)) {
      if (!f.active) continue;
      f.active = false;
      f.role.active--;
      f.role.sorter.deactivate(f.info.name);
    }
  }

  addAgent(agent: AgentIx, total: ResourceVector, reserved?: readonly Reservation[]): void {
    // Reservations are part of the total, so they count in every share's denominator (as Mesos).
    addInto(this.clusterTotal, 0, total);
    this.roleSorter.addTotal(total);
    for (const role of this.roles.values()) role.sorter.addTotal(total);
    if (reserved === undefined || reserved.length === 0) return;
    this.pools.add(agent, reserved);
    for (const r of reserved) {
      // Consumed quota counts the reservations of the role's subtree even when unused (notes §1.6).
      const q = this.quotas.get(topLevelRole(r.role));
      if (q !== undefined) addInto(q.reserved, 0, r.res);
    }
  }

  /**
   * Removes an agent's resources from every total and, as Mesos removeSlave untracks the agent's
   * reservations (src/master/allocator/mesos/hierarchical.cpp:1094), its reservations from the
   * reserved total and from their roles' consumed quota: a lost agent's reservations no longer
   * count, and its re-registration (addAgent) counts them once again.
   */
  removeAgent(agent: AgentIx, total: ResourceVector): void {
    subInto(this.clusterTotal, 0, total);
    if (hasNegative(this.clusterTotal)) {
      throw new Error(`allocator: removing agent ${agent} (${format(total)}) makes the cluster total negative`);
    }
    this.roleSorter.removeTotal(total);
    for (const role of this.roles.values()) role.sorter.removeTotal(total);
    this.pools.remove(agent, (role, res) => {
      const q = this.quotas.get(topLevelRole(role));
      if (q !== undefined) subInto(q.reserved, 0, res);
    });
  }

  recover(fw: FrameworkIx, _agent: AgentIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void {
    this.recoverSum(fw, res, reserved, role);
  }

  /**
   * See Allocator.recoverSum: {@link recover} reads no agent, and every update below is a sum. A
   * multi-role framework's resources leave the holding of the role they were allocated to.
   */
  recoverSum(fw: FrameworkIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void {
    const f = role === undefined ? this.framework(fw) : this.clientNamed(fw, role);
    f.role.sorter.unallocatedAt(this.handleOf(f), res);
    this.roleSorter.unallocatedAt(this.roleHandle(f.role), res);
    subInto(f.role.alloc, 0, res);
    subInto(this.allocatedTotal, 0, res);
    if (reserved !== undefined) subInto(this.pools.held, 0, reserved);
    if (f.role.quota !== null) {
      // Only the unreserved part leaves offeredOrAllocated: reservations count as consumed anyway.
      subInto(f.role.quota.offeredOrAllocated, 0, res);
      if (reserved !== undefined) addInto(f.role.quota.offeredOrAllocated, 0, reserved);
    }
  }

  /** Roles with a quota guarantee (see Allocator.quotaRoles). */
  quotaRoles(): number {
    let n = 0;
    for (const q of this.quotaList) if (q.quota.hasGuarantee) n++;
    return n;
  }

  /**
   * See Allocator.reserve: `res`, held by `fw` in an offer on `agent`, joins the (agent, role)
   * reservation. The sorters see no change (the framework holds the same amounts, MESOS-8299:
   * offered reservations count toward the share as before, idle ones will not); the quota of
   * `role`'s top-level role now counts `res` as reserved instead of offered-or-allocated.
   */
  reserve(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void {
    this.changeReservation(fw, agent, role, res, 1);
  }

  /** See Allocator.unreserve: the inverse of {@link reserve}. */
  unreserve(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void {
    this.changeReservation(fw, agent, role, res, -1);
  }

  /**
   * The (agent, role) reservation grows by `res` (`sign` 1) or shrinks by it (-1); `fw` (undefined:
   * another allocator's framework, see the priority policy) holds it in an offer. Consumed quota
   * is reservations + unreserved offered or allocated (hierarchical.cpp:2024-2043), so `res`
   * moves between those two terms of the reserving role's top-level role.
   */
  changeReservation(fw: FrameworkIx | undefined, agent: AgentIx, role: string, res: ResourceVector, sign: 1 | -1): void {
    this.pools.change(agent, role, res, sign, fw !== undefined);
    const q = this.quotas.get(topLevelRole(role));
    if (q !== undefined) {
      if (sign > 0) addInto(q.reserved, 0, res);
      else subInto(q.reserved, 0, res);
    }
    if (fw === undefined) return;
    // The client that holds it: a multi-role framework's client of the reserving role.
    const holder = this.multi.get(fw)?.find((c) => c.offerRole === role) ?? this.framework(fw);
    const held = holder.role.quota;
    if (held !== null) {
      if (sign > 0) subInto(held.offeredOrAllocated, 0, res);
      else addInto(held.offeredOrAllocated, 0, res);
    }
  }

  /**
   * The ranking port (see Allocator.frameworkOrder): roles in the role sorter's order, each
   * role's active frameworks in its framework sorter's order, as a whole-agent run visits them
   * for an agent no framework is filtered on. Quota plays no part: it shapes offers, not the order.
   */
  frameworkOrder(rng: Rng): readonly FrameworkIx[] {
    const out = this.rankOut;
    out.length = 0;
    const roles = this.roleSorter;
    for (let rh = roles.first(rng); rh >= 0; rh = roles.next()) {
      const role = this.roleAt(rh);
      if (role.active === 0) continue;
      const byHandle = this.fwByHandle(role);
      for (let fh = role.sorter.first(rng); fh >= 0; fh = role.sorter.next()) out.push(byHandle[fh]! as FrameworkIx);
    }
    return out;
  }

  /**
   * The ranking port (see Allocator.allocated): `res` counts toward `fw`'s shares (one
   * allocation in each sorter, as an offer) and every holding {@link recover} takes it from.
   */
  allocated(fw: FrameworkIx, _agent: AgentIx, res: ResourceVector, reserved?: ResourceVector): void {
    const f = this.framework(fw);
    this.roleSorter.allocatedAt(this.roleHandle(f.role), res);
    f.role.sorter.allocatedAt(this.handleOf(f), res);
    addInto(f.role.alloc, 0, res);
    addInto(this.allocatedTotal, 0, res);
    if (reserved !== undefined) addInto(this.pools.held, 0, reserved);
    if (f.role.quota !== null) {
      addInto(f.role.quota.offeredOrAllocated, 0, res);
      if (reserved !== undefined) subInto(f.role.quota.offeredOrAllocated, 0, reserved);
    }
  }

  /**
   * One run: shuffle the agents, stage 1 (quota guarantees), shuffle again, stage 2 (fair share).
   *
   * Offer granularity (`options.granularity`) shapes each offer after quota has shrunk it:
   * - 'agent' (default, Mesos): everything the agent has free (within quota).
   * - 'task': exactly the receiving framework's next pending task (`ctx.nextTaskDemand`). A
   *   framework with no hint, or whose task does not fit what it may be offered, is skipped for
   *   that agent. As in Mesos, a framework gets at most one offer per agent per run: the rest of
   *   the agent goes on to the next frameworks and roles in order, and what nobody takes waits for
   *   the next run. The hint is read once per framework per run (no scheduler callback runs inside
   *   a run, so it cannot change), hence a framework may get one offer of that size on each of
   *   several agents in one run.
   * - 'fair-share': at most what lifts the receiving role to its weighted fair share of the
   *   cluster, per resource: floor(total × w(role) / Σ w over roles with an active framework) −
   *   what the role holds (offered + allocated). Weights are the roles' own (flat: an ancestor's
   *   weight is not applied). Skipped when that is not allocatable; a role at its fair share gets
   *   nothing even if nobody else wants the rest (not work-conserving, by design: it keeps one
   *   slow framework from holding the whole cluster, as the Omega paper suggests). In stage 1 the
   *   unmet guarantee is offered whole and only the part beyond it is capped.
   * - 'cluster': whole agents as 'agent', but stage 2 ranks roles and frameworks once, at its
   *   start, and keeps that order for every agent of the run (offers made during the run do not
   *   move anyone down): each agent goes to the first framework in that order not filtered on it,
   *   so one framework gets the whole free cluster (Mesos 0.9's simple allocator, as the Omega
   *   paper modelled it). Stage 1 (quota guarantees) is as with 'agent'.
   */
  allocate(ctx: AllocationContext, agents: readonly AgentIx[], rng: Rng): void {
    const n = agents.length;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, this.order.length * 2));
    const order = this.order;
    for (let i = 0; i < n; i++) order[i] = agents[i]!;
    this.loop.run(ctx, order, n, rng);
  }

  roleAt(handle: ClientHandle): RoleState {
    return (this.roleByHandle ?? this.buildRoleByHandle())[handle]!;
  }

  roleHandle(role: RoleState): ClientHandle {
    if (this.roleByHandle === null) this.buildRoleByHandle();
    return role.handle;
  }

  fwByHandle(role: RoleState): Int32Array {
    let byHandle = role.fwByHandle;
    if (byHandle === null) {
      let max = 0;
      const handles = role.members.map((fw) => {
        const h = role.sorter.handleOf(this.frameworks[fw]!.info.name); // one name in every role
        if (h > max) max = h;
        return h;
      });
      byHandle = new Int32Array(max + 1).fill(-1);
      role.members.forEach((fw, i) => {
        byHandle![handles[i]!] = fw;
        this.clientIn(fw, role).handle = handles[i]! as ClientHandle;
      });
      role.fwByHandle = byHandle;
    }
    return byHandle;
  }

  clientIn(fw: FrameworkIx, role: RoleState): FrameworkState {
    const f = this.framework(fw);
    if (f.role === role) return f;
    const c = this.multi.get(fw)?.find((s) => s.role === role);
    if (c === undefined) throw new Error(`allocator: framework '${f.info.name}' is not in role '${role.name}'`);
    return c;
  }

  /** Framework `fw` as a client of the role named `role`. */
  private clientNamed(fw: FrameworkIx, role: string): FrameworkState {
    const f = this.framework(fw);
    if (f.role.name === role) return f;
    const c = this.multi.get(fw)?.find((s) => s.role.name === role);
    if (c === undefined) throw new Error(`allocator: framework '${f.info.name}' is not in role '${role}'`);
    return c;
  }

  /** Framework `fw`'s clients: every role's, or those of `roles` (a multi-role framework's roles). */
  private clientsOf(fw: FrameworkIx, roles?: readonly string[]): readonly FrameworkState[] {
    const all = this.multi.get(fw) ?? [this.framework(fw)];
    return roles === undefined ? all : roles.map((r) => this.clientNamed(fw, r));
  }

  /** The framework's handle in its role's sorter (rebuilt with the role's {@link fwByHandle}). */
  private handleOf(f: FrameworkState): ClientHandle {
    if (f.role.fwByHandle === null) this.fwByHandle(f.role);
    return f.handle;
  }

  framework(fw: FrameworkIx): FrameworkState {
    const f = this.frameworks[fw];
    if (f === undefined) throw new Error(`allocator: unknown framework ${fw}`);
    return f;
  }

  weightOf(role: string): number {
    return this.weights.get(role) ?? 1;
  }

  /** Every role's handle in the role sorter, which changes as roles come and go (a nested tree reshapes). */
  private buildRoleByHandle(): (RoleState | undefined)[] {
    const byHandle: (RoleState | undefined)[] = [];
    for (const role of this.roles.values()) {
      role.handle = this.roleSorter.handleOf(role.name);
      byHandle[role.handle] = role;
    }
    this.roleByHandle = byHandle;
    return byHandle;
  }

  private sorterOptions(): SorterOptions {
    const ranked = this.options.ranked;
    const excluded = this.options.excludedResources;
    return {
      ...(excluded === undefined ? {} : { excludedResources: excluded }),
      ...(ranked === undefined ? {} : { ranked }),
    };
  }
}
