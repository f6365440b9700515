/**
 * The Mesos hierarchical allocator (`src/master/allocator/mesos/hierarchical.cpp`, notes §1.2):
 * a role sorter, one framework sorter per role, and the two-stage offer loop (stage 1 quota
 * guarantees, stage 2 fair share under quota limits and headroom), plus offersim's offer
 * granularities. Imports only allocator types, sorters, quota and the pure resource helpers: no
 * clock, no queue, no I/O, no ambient randomness (every draw comes from the `rng` it is given).
 */
import {
  NUM_RESOURCES,
  addInto,
  contains,
  copyInto,
  format,
  hasNegative,
  isEmpty,
  subInto,
} from '../sim/model/resources.js';
import type { ResourceVector } from '../sim/model/resources.js';
import {
  QUOTA_PARAM,
  flooredDiff,
  flooredSub,
  minOf,
  parseQuota,
  shrinkToRemaining,
  topLevelRole,
  validateQuota,
  type RoleQuota,
} from './quota.js';
import { createSorter } from './sorter/create-sorter.js';
import { ShareSorter, fairnessMask } from './sorter/share-sorter.js';
import type { Sorter, SorterKind, SorterOptions } from './sorter/sorter.js';
import type { Rng } from '../sim/kernel/rng.js';
import {
  OFFER_GRANULARITIES,
  type AllocationContext,
  type Allocator,
  type FrameworkInfo,
  type OfferGranularity,
  type Reservation,
} from '../sim/model/allocation-port.js';
import type { AllocatorOptions, ParamDoc, ParamProblem } from './types.js';

/** How a hierarchical allocator is built. */
export interface HierarchicalOptions extends AllocatorOptions {
  /** Registry name reported by `Allocator.name`, e.g. 'drf'. */
  readonly name: string;
  /** Sorter ranking roles (Mesos --role_sorter); Mesos default 'drf'. */
  readonly roleSorter: SorterKind;
  /** Sorter ranking frameworks within a role (Mesos --framework_sorter); Mesos default 'drf'. */
  readonly frameworkSorter: SorterKind;
  /**
   * Whether whole-agent runs without quota walk share sorters lazily, best first, instead of
   * listing each sorter's whole order for every agent; default true. The offers are the same
   * (a test compares both on random cluster states); false keeps the straightforward walk.
   */
  readonly ranked?: boolean;
}

/** The parameters the hierarchical policies (drf, random) accept in `allocator.params`. */
export const HIERARCHICAL_PARAMS: readonly ParamDoc[] = [QUOTA_PARAM];

/**
 * Every problem with the `params` of a hierarchical policy named `policy`: unknown names, and
 * the `quota` checks of {@link validateQuota}; paths are relative to `params`.
 */
export function validateHierarchicalParams(
  policy: string,
  params: Readonly<Record<string, unknown>>,
): ParamProblem[] {
  const known = HIERARCHICAL_PARAMS.map((p) => p.name);
  const problems: ParamProblem[] = Object.keys(params)
    .sort()
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: [k], message: `unknown parameter "${k}" of allocator ${policy}; known: ${known.join(', ')}` }));
  if (params['quota'] !== undefined) problems.push(...validateQuota(params['quota']));
  return problems;
}

interface FrameworkState {
  readonly info: FrameworkInfo;
  /** Its role's state: a role lives at least as long as its frameworks. */
  readonly role: RoleState;
  /** The role whose reservations (and its ancestors') it may be offered; its own role unless a wrapper files it elsewhere. */
  readonly reservationRole: string;
  active: boolean;
}

/**
 * A top-level role's quota and what its subtree consumes. Lives from construction on, whether
 * or not the role has frameworks (a role with quota and none still holds headroom).
 */
interface QuotaState {
  readonly quota: RoleQuota;
  /** Unreserved resources offered to or allocated in the role's subtree, fixed point; kept across runs. */
  readonly offeredOrAllocated: Float64Array;
  /** Static reservations of the role and its subroles on every agent, used or not, fixed point. */
  readonly reserved: Float64Array;
  /**
   * The run's working copy of consumed quota: reserved + offeredOrAllocated (Mesos
   * `rolesConsumedQuota`).
   */
  readonly consumed: Float64Array;
}

interface RoleState {
  /** The role path, e.g. 'eng/batch'. */
  readonly name: string;
  /** Ranks the role's frameworks by name; its totals are the cluster totals. */
  readonly sorter: Sorter;
  /** The quota of the role's top-level role, or null when it has none. */
  readonly quota: QuotaState | null;
  /** What the role holds (offered + allocated), fixed point: the fair-share granularity's measure. */
  readonly alloc: Float64Array;
  /** Frameworks registered under the role. */
  frameworks: number;
  /** Of those, how many are active (not suppressed). */
  active: number;
  /** The sorter's last order, and its framework indices (see {@link HierarchicalAllocator.fwIndices}). */
  order: readonly string[] | null;
  orderIdx: number[];
  /** Framework index by the sorter's leaf node, for ranked walks; null until built (reset on add/remove). */
  fwByLeaf: Int32Array | null;
  /** The role's leaf node in the role sorter, for ranked walks; -1 until looked up. */
  leaf: number;
}

const NO_LEAVES = new Int32Array(0);
const NO_NAMES: readonly string[] = [];
const NO_FWS: readonly number[] = [];

/**
 * Uniform Fisher–Yates shuffle in place, from the last element down (the kernel's
 * `shuffleInPlace` algorithm, repeated here because allocators may not import the kernel).
 */
export function shuffleInPlace(arr: Int32Array, length: number, rng: Rng): void {
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = tmp;
  }
}

/**
 * The hierarchical allocator with pluggable sorters.
 *
 * Roles enter the role sorter (active) with their first framework and leave it with their last,
 * as in Mesos `trackFrameworkUnderRole`; a role whose frameworks are all suppressed stays ranked
 * and is skipped. Frameworks enter their role's sorter by name, active; suppress and revive
 * deactivate and activate them there. Every sorter's totals are the sum of the agents added.
 *
 * **Quota** (`params.quota`, top-level roles only; notes §1.2, §1.6). Each run:
 * - consumed(role) = static reservations of the role's subtree (used or not) + unreserved
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
 * **Static reservations** (from `addAgent`; notes §1.2, §1.6): in both stages a framework's offer
 * is the reservation on the agent that its role may use (its own or an ancestor's, at most one),
 * offered whole, plus the unreserved part shaped as above (quota, headroom and granularity shrink
 * only the unreserved part; with 'task' granularity stage 1 adds no reservation and stage 2
 * takes the task from the reservation first). Reservations of other roles stay on the agent for
 * their frameworks later in the loop. Offered or allocated reservations count toward shares like
 * anything else; unallocated ones count for nothing (MESOS-8299). With reservations every run
 * takes the general path (same shuffles, so the same draws as the plain path).
 *
 * **Offer granularity** (`options.granularity`, default 'agent'): see {@link OFFER_GRANULARITIES}
 * and {@link HierarchicalAllocator.allocate}.
 */
export class HierarchicalAllocator implements Allocator {
  /** Registry name. */
  readonly name: string;
  private readonly options: HierarchicalOptions;
  private readonly granularity: OfferGranularity;
  private readonly roleSorter: Sorter;
  private readonly roles = new Map<string, RoleState>();
  private readonly frameworks: (FrameworkState | undefined)[] = [];
  private readonly byName = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  private readonly clusterTotal = new Float64Array(NUM_RESOURCES);
  /** Everything offered or allocated, all roles, fixed point (for available headroom). */
  private readonly allocatedTotal = new Float64Array(NUM_RESOURCES);
  /** Quota by top-level role, in name order. */
  private readonly quotas: ReadonlyMap<string, QuotaState>;
  private readonly quotaList: readonly QuotaState[];
  /** Whether some role has a guarantee (stage 1 can offer something). */
  private readonly hasGuarantees: boolean;
  /** No quota and whole-agent offers: the original single-stage loop, with no bookkeeping. */
  private readonly plain: boolean;
  /** Whether {@link commit} defers the sorters' bookkeeping to the agent's end (ranked stage 2). */
  private deferred = false;
  /** Deferred sorter bookkeeping: the role, the framework's leaf, and the resources, by slot. */
  private readonly defRole: RoleState[] = [];
  private defLeaf = new Int32Array(8);
  private defRes = new Float64Array(8 * NUM_RESOURCES);
  private defCount = 0;
  /** Whether runs may walk share sorters lazily (see {@link HierarchicalOptions.ranked}). */
  private readonly ranked: boolean;
  /** Role state by the role sorter's leaf node, for ranked walks; null until built. */
  private roleByLeaf: (RoleState | undefined)[] | null = null;

  /** Scratch for the shuffled agent order; grows, never shrinks. */
  private order = new Int32Array(64);
  /** Scratch for what one offer takes from an agent (the context and sorters copy it). */
  private readonly offered = new Float64Array(NUM_RESOURCES);
  /** The ranking port's last order (see {@link frameworkOrder}); reused. */
  private readonly rankOut: number[] = [];
  /** The role sorter's last order, and the role states in that order. */
  private roleOrder: readonly string[] | null = null;
  private roleOrderStates: RoleState[] = [];

  // Run state of the general (quota / granularity) path; all reused, never reallocated per run.
  /** The agents' free resources as this run sees them (the master's, minus this run's offers). */
  private free = new Float64Array(64 * NUM_RESOURCES);
  private readonly requiredHeadroom = new Float64Array(NUM_RESOURCES);
  private readonly availableHeadroom = new Float64Array(NUM_RESOURCES);
  /** availableHeadroom − requiredHeadroom, floored: what an offer may take beyond guarantees. */
  private readonly surplus = new Float64Array(NUM_RESOURCES);
  private readonly unsatisfied = new Float64Array(NUM_RESOURCES);
  private readonly guaranteePart = new Float64Array(NUM_RESOURCES);
  private readonly extraPart = new Float64Array(NUM_RESOURCES);
  private readonly tmp = new Float64Array(NUM_RESOURCES);
  private readonly fairCap = new Float64Array(NUM_RESOURCES);
  private readonly zero = new Float64Array(NUM_RESOURCES);
  /** Σ weights of the roles with an active framework, this run ('fair-share'). */
  private activeWeight = 0;
  /** Offers of this run, made through the context at its end, in booking order. */
  private pendFw = new Int32Array(16);
  private pendAgent = new Int32Array(16);
  private pendRes = new Float64Array(16 * NUM_RESOURCES);
  private pendCount = 0;
  /**
   * Stage-1 offers by agent, for merging stage-2 offers into them: a linked list per agent
   * (head slot, -1 when none; next slot, -1 at the end), reset through `stage1Agents`.
   */
  private stage1Head = new Int32Array(64).fill(-1);
  private stage1Next = new Int32Array(16);
  private readonly stage1Agents: number[] = [];
  /** Per-framework cache of the next-task hint, valid for the run numbered in `demandRun`. */
  private runId = 0;
  private demandRun = new Float64Array(16);
  private demandHas = new Uint8Array(16);
  private demands = new Float64Array(16 * NUM_RESOURCES);
  private readonly demandOut = new Float64Array(NUM_RESOURCES);

  // Static reservations, one pool per (agent, reserving role), as the agents were added.
  /** pools of each agent, by agent index; undefined for one without reservations (or removed) */
  private readonly agentPools: (number[] | undefined)[] = [];
  private readonly poolRole: string[] = [];
  /** each pool's agent; -1 for a pool whose agent was removed (free for reuse, see {@link freePools}) */
  private readonly poolAgent: number[] = [];
  /** each pool's reserved amounts, fixed point */
  private readonly poolRes: ResourceVector[] = [];
  /** pools of removed agents, reused by later registrations so re-registering agents add none */
  private readonly freePools: number[] = [];
  /** the run's view of each pool's free part, fixed point (stride NUM_RESOURCES) */
  private poolFree = new Float64Array(0);
  /** every reservation in the cluster, used or not */
  private readonly reservedTotal = new Float64Array(NUM_RESOURCES);
  /** the reserved resources offered or allocated (all roles) */
  private readonly reservedHeld = new Float64Array(NUM_RESOURCES);
  /** the reserved part of this run's offers (stride NUM_RESOURCES, by pending slot) */
  private pendRsv = new Float64Array(16 * NUM_RESOURCES);
  /** reserved part of the offer being built, and the offer's sum */
  private readonly rsvPart = new Float64Array(NUM_RESOURCES);
  private readonly sumPart = new Float64Array(NUM_RESOURCES);
  private readonly unresPart = new Float64Array(NUM_RESOURCES);

  /**
   * A hierarchical allocator; `options.excludedResources` default none, `options.granularity`
   * default 'agent', `options.params.quota` default none. Throws a RangeError for an unknown
   * granularity or invalid quota (the scenario layer validates them first).
   */
  constructor(options: HierarchicalOptions) {
    this.name = options.name;
    this.options = options;
    // Validate excluded names whatever the sorters, so a typo fails the same under every policy.
    fairnessMask(options.excludedResources);
    this.roleSorter = createSorter(options.roleSorter, this.sorterOptions());
    const granularity = options.granularity ?? 'agent';
    if (!(OFFER_GRANULARITIES as readonly string[]).includes(granularity)) {
      throw new RangeError(`offer granularity '${String(granularity)}' is not one of ${OFFER_GRANULARITIES.join(', ')}`);
    }
    this.granularity = granularity;
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
    this.hasGuarantees = this.quotaList.some((q) => q.quota.hasGuarantee);
    this.plain = quotas.size === 0 && this.granularity === 'agent';
    this.ranked = options.ranked ?? true;
  }

  /** Whether any agent has reservations (then every run takes the general path). */
  private get hasReservations(): boolean {
    return this.poolRole.length > 0;
  }

  setWeight(role: string, weight: number): void {
    this.weights.set(role, weight);
    this.roleSorter.updateWeight(role, weight);
  }

  /**
   * Adds a framework, ranked under `fw.role`; `reservationRole` (default `fw.role`) is the role
   * whose reservations it may be offered, for wrappers that rank frameworks under another role
   * (fifo files every framework under one role).
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
    let role = this.roles.get(fw.role);
    if (role === undefined) {
      this.roleSorter.add(fw.role);
      this.roleSorter.activate(fw.role);
      const sorter = createSorter(this.options.frameworkSorter, this.sorterOptions());
      sorter.addTotal(this.clusterTotal);
      role = {
        name: fw.role,
        sorter,
        quota: this.quotas.get(topLevelRole(fw.role)) ?? null,
        alloc: new Float64Array(NUM_RESOURCES),
        frameworks: 0,
        active: 0,
        order: null,
        orderIdx: [],
        fwByLeaf: null,
        leaf: -1,
      };
      this.roleByLeaf = null;
      this.roles.set(fw.role, role);
    }
    role.sorter.add(fw.name);
    role.sorter.activate(fw.name);
    role.fwByLeaf = null;
    role.frameworks++;
    role.active++;
    this.frameworks[fw.index] = { info: fw, role, reservationRole, active: true };
    this.byName.set(fw.name, fw.index);
  }

  removeFramework(fw: number): void {
    const f = this.framework(fw);
    const role = this.role(f.info.role);
    if (!isEmpty(role.sorter.allocation(f.info.name))) {
      throw new Error(
        `allocator: framework '${f.info.name}' removed while holding ` +
          `${format(role.sorter.allocation(f.info.name))}; recover its resources first`,
      );
    }
    role.sorter.remove(f.info.name);
    role.fwByLeaf = null;
    role.frameworks--;
    if (f.active) role.active--;
    if (role.frameworks === 0) {
      this.roleSorter.remove(f.info.role);
      this.roles.delete(f.info.role);
      this.roleByLeaf = null;
      for (const r of this.roles.values()) r.leaf = -1;
    }
    this.frameworks[fw] = undefined;
    this.byName.delete(f.info.name);
  }

  activateFramework(fw: number): void {
    const f = this.framework(fw);
    if (f.active) return;
    f.active = true;
    const role = this.role(f.info.role);
    role.active++;
    role.sorter.activate(f.info.name);
  }

  deactivateFramework(fw: number): void {
    const f = this.framework(fw);
    if (!f.active) return;
    f.active = false;
    const role = this.role(f.info.role);
    role.active--;
    role.sorter.deactivate(f.info.name);
  }

  addAgent(agent: number, total: ResourceVector, reserved?: readonly Reservation[]): void {
    // Reservations are part of the total, so they count in every share's denominator (as Mesos).
    addInto(this.clusterTotal, 0, total);
    this.roleSorter.addTotal(total);
    for (const role of this.roles.values()) role.sorter.addTotal(total);
    if (reserved === undefined || reserved.length === 0) return;
    const pools: number[] = [];
    for (const r of reserved) {
      const p = this.freePools.pop() ?? this.poolRole.length;
      this.poolRole[p] = r.role;
      this.poolAgent[p] = agent;
      this.poolRes[p] = r.res.slice();
      pools.push(p);
      addInto(this.reservedTotal, 0, r.res);
      // Consumed quota counts the reservations of the role's subtree even when unused (notes §1.6).
      const q = this.quotas.get(topLevelRole(r.role));
      if (q !== undefined) addInto(q.reserved, 0, r.res);
    }
    this.agentPools[agent] = pools;
  }

  /**
   * Removes an agent's resources from every total and, as Mesos removeSlave untracks the agent's
   * reservations (src/master/allocator/mesos/hierarchical.cpp:1094), its reservations from the
   * reserved total and from their roles' consumed quota: a lost agent's reservations no longer
   * count, and its re-registration (addAgent) counts them once again.
   */
  removeAgent(agent: number, total: ResourceVector): void {
    subInto(this.clusterTotal, 0, total);
    if (hasNegative(this.clusterTotal)) {
      throw new Error(`allocator: removing agent ${agent} (${format(total)}) makes the cluster total negative`);
    }
    this.roleSorter.removeTotal(total);
    for (const role of this.roles.values()) role.sorter.removeTotal(total);
    const pools = this.agentPools[agent];
    if (pools === undefined) return;
    for (const p of pools) {
      const res = this.poolRes[p]!;
      subInto(this.reservedTotal, 0, res);
      const q = this.quotas.get(topLevelRole(this.poolRole[p]!));
      if (q !== undefined) subInto(q.reserved, 0, res);
      this.poolAgent[p] = -1;
      this.freePools.push(p);
    }
    this.agentPools[agent] = undefined;
  }

  recover(fw: number, _agent: number, res: ResourceVector, reserved?: ResourceVector): void {
    const f = this.framework(fw);
    f.role.sorter.unallocated(f.info.name, res);
    this.roleSorter.unallocated(f.info.role, res);
    subInto(f.role.alloc, 0, res);
    subInto(this.allocatedTotal, 0, res);
    if (reserved !== undefined) subInto(this.reservedHeld, 0, reserved);
    if (f.role.quota !== null) {
      // Only the unreserved part leaves offeredOrAllocated: reservations count as consumed anyway.
      subInto(f.role.quota.offeredOrAllocated, 0, res);
      if (reserved !== undefined) addInto(f.role.quota.offeredOrAllocated, 0, reserved);
    }
  }

  /**
   * The ranking port (see Allocator.frameworkOrder): roles in the role sorter's order, each
   * role's active frameworks in its framework sorter's order, as a whole-agent run visits them
   * for an agent no framework is filtered on. Quota plays no part: it shapes offers, not the order.
   */
  frameworkOrder(rng: Rng): readonly number[] {
    const out = this.rankOut;
    out.length = 0;
    const roleNames = this.roleSorter.sort(rng);
    const roles = this.roleStates(roleNames);
    for (let r = 0; r < roleNames.length; r++) {
      const role = roles[r]!;
      if (role.active === 0) continue;
      for (const fw of this.fwIndices(role, role.sorter.sort(rng))) out.push(fw);
    }
    return out;
  }

  /**
   * The ranking port (see Allocator.allocated): `res` counts toward `fw`'s shares (one
   * allocation in each sorter, as an offer) and every holding {@link recover} takes it from.
   */
  allocated(fw: number, _agent: number, res: ResourceVector, reserved?: ResourceVector): void {
    const f = this.framework(fw);
    this.roleSorter.allocated(f.info.role, res);
    f.role.sorter.allocated(f.info.name, res);
    addInto(f.role.alloc, 0, res);
    addInto(this.allocatedTotal, 0, res);
    if (reserved !== undefined) addInto(this.reservedHeld, 0, reserved);
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
  allocate(ctx: AllocationContext, agents: readonly number[], rng: Rng): void {
    const n = agents.length;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, this.order.length * 2));
    const order = this.order;
    for (let i = 0; i < n; i++) order[i] = agents[i]!;

    if (this.plain && !this.hasReservations) {
      // Mesos shuffles the agents before stage 1 and again before stage 2; with no guarantee
      // stage 1 offers nothing (and sorts nothing here), so the two shuffles are back to back.
      shuffleInPlace(order, n, rng);
      shuffleInPlace(order, n, rng);
      const available = ctx.available;
      const walk = this.rankedWalkable();
      for (let i = 0; i < n; i++) {
        const agent = order[i]!;
        const offset = agent * NUM_RESOURCES;
        // Skipping an exhausted agent before ranking saves the sorts (and a random sorter's draws).
        if (!ctx.isAllocatable(available, offset)) continue;
        if (walk) this.offerWholeAgentRanked(ctx, agent, offset);
        else this.offerWholeAgent(ctx, agent, offset, rng);
      }
      return;
    }

    this.beginRun(ctx);
    shuffleInPlace(order, n, rng);
    if (this.hasGuarantees && !isEmpty(this.requiredHeadroom)) this.stage1(ctx, order, n, rng);
    shuffleInPlace(order, n, rng);
    this.stage2(ctx, order, n, rng);
    this.flush(ctx);
  }

  /**
   * Stage 2 for one agent, without quota: its whole free resources go to the first framework,
   * in role order then framework order, that the agent's refuse filters do not block.
   */
  private offerWholeAgent(ctx: AllocationContext, agent: number, offset: number, rng: Rng): void {
    const available = ctx.available;
    const roleNames = this.roleSorter.sort(rng);
    const roles = this.roleStates(roleNames);
    for (let r = 0; r < roleNames.length; r++) {
      const role = roles[r]!;
      if (role.active === 0) continue;
      const fwNames = role.sorter.sort(rng);
      const fws = this.fwIndices(role, fwNames);
      for (let k = 0; k < fwNames.length; k++) {
        const fw = fws[k]!;
        if (ctx.isFiltered(fw, agent, available, offset)) continue;
        const res = this.offered;
        copyInto(res, 0, available, offset);
        ctx.offer(fw, agent, res);
        this.roleSorter.allocated(roleNames[r]!, res);
        role.sorter.allocated(fwNames[k]!, res);
        addInto(role.alloc, 0, res);
        addInto(this.allocatedTotal, 0, res);
        // With no quota the offer took everything: the agent is done for this run.
        return;
      }
    }
  }

  /**
   * Whether this run may use {@link offerWholeAgentRanked}: ranked walks allowed, and the role
   * sorter and every role's framework sorter are flat share sorters (framework names never nest;
   * roles do when a role path has a '/').
   */
  private rankedWalkable(): boolean {
    if (!this.ranked) return false;
    if (!(this.roleSorter instanceof ShareSorter) || !this.roleSorter.isFlat()) return false;
    for (const role of this.roles.values()) {
      if (!(role.sorter instanceof ShareSorter) || !role.sorter.isFlat()) return false;
    }
    return true;
  }

  /**
   * {@link offerWholeAgent} by best-first walks of the share sorters: the same first unfiltered
   * framework in role order then framework order, found without listing either order.
   */
  private offerWholeAgentRanked(ctx: AllocationContext, agent: number, offset: number): void {
    const available = ctx.available;
    const roleSorter = this.roleSorter as ShareSorter;
    const roleByLeaf = this.roleByLeaf ?? this.buildRoleByLeaf(roleSorter);
    for (let rl = roleSorter.rankFirst(); rl >= 0; rl = roleSorter.rankNext()) {
      const role = roleByLeaf[rl]!;
      if (role.active === 0) continue;
      const sorter = role.sorter as ShareSorter;
      const fwByLeaf = role.fwByLeaf ?? this.buildFwByLeaf(role, sorter);
      for (let fl = sorter.rankFirst(); fl >= 0; fl = sorter.rankNext()) {
        const fw = fwByLeaf[fl]!;
        if (ctx.isFiltered(fw, agent, available, offset)) continue;
        const res = this.offered;
        copyInto(res, 0, available, offset);
        ctx.offer(fw, agent, res);
        roleSorter.allocatedLeaf(rl, res);
        sorter.allocatedLeaf(fl, res);
        addInto(role.alloc, 0, res);
        addInto(this.allocatedTotal, 0, res);
        return;
      }
    }
  }

  private buildRoleByLeaf(sorter: ShareSorter): (RoleState | undefined)[] {
    const byLeaf: (RoleState | undefined)[] = [];
    for (const role of this.roles.values()) {
      role.leaf = sorter.leafOf(role.name);
      byLeaf[role.leaf] = role;
    }
    this.roleByLeaf = byLeaf;
    return byLeaf;
  }

  private buildFwByLeaf(role: RoleState, sorter: ShareSorter): Int32Array {
    let max = 0;
    const leaves: [number, number][] = [];
    for (const [name, fw] of this.byName) {
      if (this.frameworks[fw]!.role !== role) continue;
      const leaf = sorter.leafOf(name);
      leaves.push([leaf, fw]);
      if (leaf > max) max = leaf;
    }
    const byLeaf = new Int32Array(max + 1).fill(-1);
    for (const [leaf, fw] of leaves) byLeaf[leaf] = fw;
    role.fwByLeaf = byLeaf;
    return byLeaf;
  }

  /** Run preparation of the general path (Mesos `__generateOffers` before stage 1). */
  private beginRun(ctx: AllocationContext): void {
    this.runId++;
    const avail = ctx.available;
    if (this.free.length < avail.length) this.free = new Float64Array(avail.length);
    this.free.set(avail);
    this.pendCount = 0;
    for (const a of this.stage1Agents) this.stage1Head[a] = -1;
    this.stage1Agents.length = 0;
    if (this.stage1Head.length * NUM_RESOURCES < avail.length) {
      this.stage1Head = new Int32Array(avail.length / NUM_RESOURCES).fill(-1);
    }

    const pools = this.poolRole.length;
    if (pools > 0) {
      if (this.poolFree.length < pools * NUM_RESOURCES) this.poolFree = new Float64Array(pools * NUM_RESOURCES * 2);
      const out = this.tmp;
      for (let p = 0; p < pools; p++) {
        const agent = this.poolAgent[p]!;
        if (agent < 0) continue; // a removed agent's pool: no agent to read
        // No reserving role is another's ancestor on one agent, so this reads exactly pool p.
        ctx.reservedAvailable(agent, this.poolRole[p]!, out);
        copyInto(this.poolFree, p * NUM_RESOURCES, out);
      }
    }

    const required = this.requiredHeadroom;
    required.fill(0);
    for (const q of this.quotaList) {
      // consumed = reservations of the subtree (used or not) + unreserved offered or allocated
      copyInto(q.consumed, 0, q.reserved);
      addInto(q.consumed, 0, q.offeredOrAllocated);
      if (q.quota.hasGuarantee) {
        flooredDiff(this.tmp, q.quota.guarantee, 0, q.consumed);
        addInto(required, 0, this.tmp);
      }
    }
    // available headroom = total − offered or allocated − unallocated reservations
    flooredDiff(this.availableHeadroom, this.clusterTotal, 0, this.allocatedTotal);
    if (pools > 0) {
      copyInto(this.tmp, 0, this.reservedTotal);
      subInto(this.tmp, 0, this.reservedHeld);
      flooredSub(this.availableHeadroom, this.tmp);
    }

    if (this.granularity === 'fair-share') {
      let sum = 0;
      for (const [name, role] of this.roles) if (role.active > 0) sum += this.weights.get(name) ?? 1;
      this.activeWeight = sum;
    }
  }

  /** Stage 1: unmet quota guarantees, agents in the first shuffle's order. */
  private stage1(ctx: AllocationContext, order: Int32Array, n: number, rng: Rng): void {
    const free = this.free;
    const required = this.requiredHeadroom;
    const unsat = this.unsatisfied;
    const g = this.guaranteePart;
    const extra = this.extraPart;
    const v = this.offered;
    // Ranked walks as in stage 2 (see there), the sorters told of an agent's offers at its end.
    const walk = this.rankedWalkable();
    const roleSorter = this.roleSorter as ShareSorter;
    const roleByLeaf = walk ? (this.roleByLeaf ?? this.buildRoleByLeaf(roleSorter)) : [];
    let fwByLeaf: Int32Array = NO_LEAVES;
    let roleNames: readonly string[] = NO_NAMES;
    let roles: RoleState[] = [];
    this.deferred = walk;
    for (let i = 0; i < n; i++) {
      if (isEmpty(required)) break; // every guarantee is met: stage 1 has nothing left to give
      const agent = order[i]!;
      const off = agent * NUM_RESOURCES;
      if (!this.hasFree(ctx, agent, off)) continue;
      if (!walk) {
        roleNames = this.roleSorter.sort(rng);
        roles = this.roleStates(roleNames);
      }
      roles: for (let r = 0, rl = walk ? roleSorter.rankFirst() : -1; walk ? rl >= 0 : r < roleNames.length; r++, rl = walk ? roleSorter.rankNext() : -1) {
        const role = walk ? roleByLeaf[rl]! : roles[r]!;
        const q = role.quota;
        if (q === null || !q.quota.hasGuarantee || role.active === 0) continue;
        flooredDiff(unsat, q.quota.guarantee, 0, q.consumed);
        if (isEmpty(unsat)) continue;
        const fwSorter = role.sorter as ShareSorter;
        let fws: readonly number[] = NO_FWS;
        if (walk) fwByLeaf = role.fwByLeaf ?? this.buildFwByLeaf(role, fwSorter);
        else fws = this.fwIndices(role, role.sorter.sort(rng));
        for (let k = 0, fl = walk ? fwSorter.rankFirst() : -1; walk ? fl >= 0 : k < fws.length; k++, fl = walk ? fwSorter.rankNext() : -1) {
          if (isEmpty(unsat)) break;
          const fw = walk ? fwByLeaf[fl]! : fws[k]!;
          // The part that serves the guarantee; a framework that cannot make progress is skipped.
          minOf(g, free, off, unsat);
          if (isEmpty(g)) continue;
          // The rest of the agent, within the limit (after g) and the surplus headroom.
          copyInto(extra, 0, free, off);
          subInto(extra, 0, g);
          if (q.quota.hasLimit) {
            copyInto(this.tmp, 0, q.consumed);
            addInto(this.tmp, 0, g);
            shrinkToRemaining(extra, q.quota.limit, this.tmp);
          }
          if (!isEmpty(required) && !isEmpty(extra)) shrinkToRemaining(extra, this.availableHeadroom, required);
          switch (this.granularity) {
            case 'agent':
            case 'cluster':
              break;
            case 'task': {
              if (!this.taskDemand(ctx, fw)) continue;
              const d = this.demands;
              const dOff = fw * NUM_RESOURCES;
              addInto(extra, 0, g); // what it may be offered
              if (!contains(extra, 0, d, dOff)) continue;
              for (let x = 0; x < NUM_RESOURCES; x++) {
                const dx = d[dOff + x]!;
                if (g[x]! > dx) g[x] = dx;
                extra[x] = dx - g[x]!;
              }
              if (isEmpty(g)) continue; // the task does not help the guarantee: stage 2's business
              break;
            }
            case 'fair-share':
              this.fairShareCap(role);
              subInto(this.fairCap, 0, g);
              shrinkToRemaining(extra, this.fairCap, this.zero);
              break;
            default:
              assertNever(this.granularity);
          }
          copyInto(v, 0, g);
          addInto(v, 0, extra);
          // Stage 1 adds the role's reservations on the agent whole (Mesos toOffer), except with
          // 'task' granularity, whose one task is served from unreserved resources here.
          const pool = this.granularity === 'task' ? -1 : this.fwPool(agent, fw);
          const rv = this.reservedPart(pool);
          const sum = this.sumOf(v, rv);
          if (!ctx.isAllocatable(sum) || ctx.isFiltered(fw, agent, sum)) continue;
          this.commit(fw, role, agent, v, rv, pool, 1, fl);
          // Reservations count as consumed already: only the unreserved part meets the guarantee.
          flooredSub(unsat, v);
          flooredSub(required, g);
          flooredSub(this.availableHeadroom, v);
          if (!this.hasFree(ctx, agent, off)) break roles;
        }
      }
      if (walk) this.applyDeferred();
    }
    this.deferred = false;
  }

  /** Stage 2: fair share within limits and surplus headroom, agents in the second shuffle's order. */
  private stage2(ctx: AllocationContext, order: Int32Array, n: number, rng: Rng): void {
    const free = this.free;
    const v = this.offered;
    const holdBack = !isEmpty(this.requiredHeadroom);
    if (holdBack) flooredDiff(this.surplus, this.availableHeadroom, 0, this.requiredHeadroom);
    // 'cluster': one ranking for the whole run (roles once, each role's frameworks once).
    const fixed = this.granularity === 'cluster';
    let roleNames: readonly string[] = [];
    let roles: RoleState[] = [];
    let ranked = false;
    const fwRank = fixed ? new Map<RoleState, { names: readonly string[]; fws: readonly number[] }>() : undefined;
    // Best-first walks of flat share sorters instead of whole orders; the sorters then learn of
    // an agent's offers after its loop, so that both walks see the order of the agent's start,
    // as the listed orders do.
    const walk = !fixed && this.rankedWalkable();
    const roleSorter = this.roleSorter as ShareSorter;
    const roleByLeaf = walk ? (this.roleByLeaf ?? this.buildRoleByLeaf(roleSorter)) : [];
    let fwByLeaf: Int32Array = NO_LEAVES;
    this.deferred = walk;
    for (let i = 0; i < n; i++) {
      const agent = order[i]!;
      const off = agent * NUM_RESOURCES;
      if (!this.hasFree(ctx, agent, off)) continue;
      if (!walk && (!fixed || !ranked)) {
        roleNames = this.roleSorter.sort(rng);
        roles = this.roleStates(roleNames).slice();
        ranked = true;
      }
      roles: for (let r = 0, rl = walk ? roleSorter.rankFirst() : -1; walk ? rl >= 0 : r < roleNames.length; r++, rl = walk ? roleSorter.rankNext() : -1) {
        const role = walk ? roleByLeaf[rl]! : roles[r]!;
        if (role.active === 0) continue;
        let fwNames: readonly string[] = NO_NAMES;
        let fws: readonly number[] = NO_FWS;
        const fwSorter = role.sorter as ShareSorter;
        if (walk) {
          fwByLeaf = role.fwByLeaf ?? this.buildFwByLeaf(role, fwSorter);
        } else if (fwRank === undefined) {
          fwNames = role.sorter.sort(rng);
          fws = this.fwIndices(role, fwNames);
        } else {
          let rank = fwRank.get(role);
          if (rank === undefined) {
            const names = role.sorter.sort(rng).slice();
            fwRank.set(role, (rank = { names, fws: this.fwIndices(role, names).slice() }));
          }
          fwNames = rank.names;
          fws = rank.fws;
        }
        const q = role.quota;
        for (let k = 0, fl = walk ? fwSorter.rankFirst() : -1; walk ? fl >= 0 : k < fws.length; k++, fl = walk ? fwSorter.rankNext() : -1) {
          const fw = walk ? fwByLeaf[fl]! : fws[k]!;
          // The reservation on the agent the framework may draw on (its role's or an ancestor's), or
          // -1; other roles' reservations stay for their frameworks later in this loop.
          const pool = this.fwPool(agent, fw);
          copyInto(v, 0, free, off);
          // Quota and headroom shrink only the unreserved part: reservations are offered whole.
          if (q !== null && q.quota.hasLimit) shrinkToRemaining(v, q.quota.limit, q.consumed);
          if (holdBack) shrinkToRemaining(v, this.surplus, this.zero);
          let rv = this.reservedPart(pool);
          switch (this.granularity) {
            case 'agent':
            case 'cluster':
              break;
            case 'task': {
              if (!this.taskDemand(ctx, fw)) continue;
              const d = this.demands;
              const dOff = fw * NUM_RESOURCES;
              if (rv === null) {
                if (!contains(v, 0, d, dOff)) continue;
              } else {
                // The task may use the reservation and the unreserved rest together, reserved first.
                copyInto(this.tmp, 0, v);
                addInto(this.tmp, 0, rv);
                if (!contains(this.tmp, 0, d, dOff)) continue;
              }
              // One task per framework per agent per run, even across the two stages.
              if (this.stage1Slot(fw, agent) >= 0) continue;
              copyInto(v, 0, d, dOff);
              if (rv !== null) {
                for (let x = 0; x < NUM_RESOURCES; x++) {
                  const take = Math.min(rv[x]!, v[x]!);
                  rv[x] = take;
                  v[x] = v[x]! - take;
                }
                if (isEmpty(rv)) rv = null;
              }
              break;
            }
            case 'fair-share':
              this.fairShareCap(role);
              shrinkToRemaining(v, this.fairCap, this.zero);
              break;
            default:
              assertNever(this.granularity);
          }
          const sum = this.sumOf(v, rv);
          if (!ctx.isAllocatable(sum) || ctx.isFiltered(fw, agent, sum)) continue;
          this.commit(fw, role, agent, v, rv, pool, 2, fl);
          if (holdBack) {
            flooredSub(this.availableHeadroom, v);
            flooredSub(this.surplus, v);
          }
          if (!this.hasFree(ctx, agent, off)) break roles;
        }
      }
      if (walk) this.applyDeferred();
    }
    this.deferred = false;
  }

  /** Tells the sorters of the offers {@link commit} deferred, in booking order. */
  private applyDeferred(): void {
    const roleSorter = this.roleSorter as ShareSorter;
    for (let d = 0; d < this.defCount; d++) {
      const role = this.defRole[d]!;
      if (role.leaf < 0) role.leaf = roleSorter.leafOf(role.name);
      roleSorter.allocatedLeaf(role.leaf, this.defRes, d * NUM_RESOURCES);
      (role.sorter as ShareSorter).allocatedLeaf(this.defLeaf[d]!, this.defRes, d * NUM_RESOURCES);
    }
    this.defCount = 0;
  }

  /** Sets {@link fairCap} to the role's fair share minus what it holds (may be negative). */
  private fairShareCap(role: RoleState): void {
    const w = (this.weights.get(role.name) ?? 1) / this.activeWeight;
    for (let x = 0; x < NUM_RESOURCES; x++) {
      this.fairCap[x] = Math.floor(this.clusterTotal[x]! * w) - role.alloc[x]!;
    }
  }

  /**
   * Books an offer of `res` on `agent` to `fw` in stage `stage` of the run: the run's free view
   * shrinks, the sorters and quota count it at once (as Mesos `trackAllocatedResources` does),
   * and a stage-2 offer joins the framework's stage-1 offer on that agent, if any (in a stage a
   * framework is offered an agent at most once).
   */
  private commit(
    fw: number,
    role: RoleState,
    agent: number,
    res: Float64Array,
    reserved: Float64Array | null,
    pool: number,
    stage: 1 | 2,
    fwLeaf: number,
  ): void {
    subInto(this.free, agent * NUM_RESOURCES, res);
    // Offered reservations count toward shares like anything offered; unoffered ones do not.
    let sum = res;
    if (reserved !== null) {
      subInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      addInto(this.reservedHeld, 0, reserved);
      sum = this.sumOf(res, reserved);
    }
    if (this.deferred) {
      const d = this.defCount++;
      if (d === this.defLeaf.length) {
        const r = new Float64Array(this.defRes.length * 2); r.set(this.defRes); this.defRes = r;
        const l = new Int32Array(this.defLeaf.length * 2); l.set(this.defLeaf); this.defLeaf = l;
      }
      this.defRole[d] = role;
      this.defLeaf[d] = fwLeaf;
      copyInto(this.defRes, d * NUM_RESOURCES, sum);
    } else {
      this.roleSorter.allocated(role.name, sum);
      role.sorter.allocated(this.frameworks[fw]!.info.name, sum);
    }
    addInto(role.alloc, 0, sum);
    addInto(this.allocatedTotal, 0, sum);
    const q = role.quota;
    if (q !== null) {
      addInto(q.offeredOrAllocated, 0, res);
      addInto(q.consumed, 0, res);
    }
    if (stage === 2) {
      const merge = this.stage1Slot(fw, agent);
      if (merge >= 0) {
        addInto(this.pendRes, merge * NUM_RESOURCES, sum);
        if (reserved !== null) addInto(this.pendRsv, merge * NUM_RESOURCES, reserved);
        return;
      }
    }
    const s = this.pendCount++;
    if (s === this.pendFw.length) this.growPending();
    this.pendFw[s] = fw;
    this.pendAgent[s] = agent;
    copyInto(this.pendRes, s * NUM_RESOURCES, sum);
    if (reserved !== null) copyInto(this.pendRsv, s * NUM_RESOURCES, reserved);
    else this.pendRsv.fill(0, s * NUM_RESOURCES, s * NUM_RESOURCES + NUM_RESOURCES);
    if (stage === 1) {
      if (this.stage1Head[agent] === -1) this.stage1Agents.push(agent);
      this.stage1Next[s] = this.stage1Head[agent]!;
      this.stage1Head[agent] = s;
    }
  }

  /** The slot of `fw`'s stage-1 offer on `agent` this run, or -1. */
  private stage1Slot(fw: number, agent: number): number {
    for (let s = this.stage1Head[agent]!; s >= 0; s = this.stage1Next[s]!) if (this.pendFw[s] === fw) return s;
    return -1;
  }

  /** Makes the run's offers through the context, in the order they were first booked. */
  private flush(ctx: AllocationContext): void {
    const res = this.offered;
    const rsv = this.rsvPart;
    for (let s = 0; s < this.pendCount; s++) {
      copyInto(res, 0, this.pendRes, s * NUM_RESOURCES);
      if (isEmpty(this.pendRsv, s * NUM_RESOURCES)) {
        ctx.offer(this.pendFw[s]!, this.pendAgent[s]!, res);
      } else {
        copyInto(rsv, 0, this.pendRsv, s * NUM_RESOURCES);
        subInto(res, 0, rsv);
        ctx.offer(this.pendFw[s]!, this.pendAgent[s]!, res, rsv);
      }
    }
    this.pendCount = 0;
  }

  /** The pool on `agent` framework `fw` may draw on (its reservation role's or an ancestor's), or -1. */
  private fwPool(agent: number, fw: number): number {
    const pools = this.agentPools[agent];
    if (pools === undefined) return -1;
    const role = this.frameworks[fw]!.reservationRole;
    for (const p of pools) {
      const owner = this.poolRole[p]!;
      if (role === owner || (role.startsWith(owner) && role.charCodeAt(owner.length) === 47)) return p;
    }
    return -1;
  }

  /** The run's free part of `pool` copied into {@link rsvPart}, or null when pool < 0 or it is empty. */
  private reservedPart(pool: number): Float64Array | null {
    if (pool < 0 || isEmpty(this.poolFree, pool * NUM_RESOURCES)) return null;
    copyInto(this.rsvPart, 0, this.poolFree, pool * NUM_RESOURCES);
    return this.rsvPart;
  }

  /** `res` itself when `reserved` is null, else their sum in {@link sumPart}. */
  private sumOf(res: Float64Array, reserved: Float64Array | null): Float64Array {
    if (reserved === null) return res;
    copyInto(this.sumPart, 0, res);
    addInto(this.sumPart, 0, reserved);
    return this.sumPart;
  }

  /** Whether the run's view of `agent` has anything allocatable left, unreserved or in one reservation. */
  private hasFree(ctx: AllocationContext, agent: number, off: number): boolean {
    if (ctx.isAllocatable(this.free, off)) return true;
    const pools = this.agentPools[agent];
    if (pools === undefined) return false;
    for (const p of pools) if (ctx.isAllocatable(this.poolFree, p * NUM_RESOURCES)) return true;
    return false;
  }

  private growPending(): void {
    const cap = this.pendFw.length * 2;
    const f = new Int32Array(cap); f.set(this.pendFw); this.pendFw = f;
    const a = new Int32Array(cap); a.set(this.pendAgent); this.pendAgent = a;
    const r = new Float64Array(cap * NUM_RESOURCES); r.set(this.pendRes); this.pendRes = r;
    const v = new Float64Array(cap * NUM_RESOURCES); v.set(this.pendRsv); this.pendRsv = v;
    const n = new Int32Array(cap); n.set(this.stage1Next); this.stage1Next = n;
  }

  /** Whether `fw` has a next-task hint this run; it is left in {@link demands} at fw's slot. */
  private taskDemand(ctx: AllocationContext, fw: number): boolean {
    if (fw >= this.demandRun.length) {
      const cap = Math.max(fw + 1, this.demandRun.length * 2);
      const run = new Float64Array(cap); run.set(this.demandRun); this.demandRun = run;
      const has = new Uint8Array(cap); has.set(this.demandHas); this.demandHas = has;
      const d = new Float64Array(cap * NUM_RESOURCES); d.set(this.demands); this.demands = d;
    }
    if (this.demandRun[fw] !== this.runId) {
      this.demandRun[fw] = this.runId;
      const out = this.demandOut;
      out.fill(0);
      const has = ctx.nextTaskDemand(fw, out);
      this.demandHas[fw] = has ? 1 : 0;
      copyInto(this.demands, fw * NUM_RESOURCES, out);
    }
    return this.demandHas[fw] === 1;
  }

  /**
   * The states of the roles in `names`, the role sorter's current order. A sorter keeps returning
   * the same array until its order changes, so the lookups are redone only when it does.
   */
  private roleStates(names: readonly string[]): RoleState[] {
    if (names !== this.roleOrder) {
      this.roleOrderStates = names.map((n) => this.role(n));
      this.roleOrder = names;
    }
    return this.roleOrderStates;
  }

  /** The framework indices of `names`, the role's sorter's current order; cached as {@link roleStates}. */
  private fwIndices(role: RoleState, names: readonly string[]): number[] {
    if (names !== role.order) {
      role.orderIdx = names.map((n) => this.byName.get(n)!);
      role.order = names;
    }
    return role.orderIdx;
  }

  private sorterOptions(): SorterOptions {
    return this.options.excludedResources === undefined
      ? {}
      : { excludedResources: this.options.excludedResources };
  }

  private framework(fw: number): FrameworkState {
    const f = this.frameworks[fw];
    if (f === undefined) throw new Error(`allocator: unknown framework ${fw}`);
    return f;
  }

  private role(name: string): RoleState {
    const r = this.roles.get(name);
    if (r === undefined) throw new Error(`allocator: unknown role '${name}'`);
    return r;
  }
}

function assertNever(x: never): never {
  throw new Error(`unknown offer granularity: ${String(x)}`);
}
