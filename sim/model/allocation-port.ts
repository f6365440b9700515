/**
 * The allocation port: what the master gives an allocation policy and what a policy answers. It
 * belongs to the model, as Mesos keeps its allocator interface on the master's side
 * (src/master/allocator/allocator.hpp); allocators/ implements it and the model never imports
 * allocators/. Imports only kernel and resource types, so policies may import its values.
 *
 * The master owns the machinery that is the same for every policy (agents' free resources, offers,
 * refuse filters, suppress and revive, when runs happen). A policy decides, in each run, which
 * framework is offered which agent's resources, and keeps whatever ordering state it needs
 * (sorters) from the lifecycle calls below.
 */
import type { Rng } from '../kernel/rng.js';
import type { AgentIx, FrameworkIx } from './ids.js';
import type { ResourceVector } from './resources.js';

/** A framework as a policy knows it. `index` is dense, in order of registration. */
export interface FrameworkInfo {
  readonly index: FrameworkIx;
  /** unique name, e.g. 'spark-1'; the last DRF tie-break */
  readonly name: string;
  /** role path, e.g. 'analytics' or 'eng/batch'; a multi-role framework's first role */
  readonly role: string;
  /**
   * Every role of a multi-role framework (Mesos `FrameworkInfo.roles` with the MULTI_ROLE
   * capability), `role` first, two or more, distinct; absent for a
   * framework of one role. Each role is a client of its own in that role's framework sorter, with
   * its own holding; an offer goes to one of them (Mesos `Resource.allocation_info.role`), and the
   * calls below that take a `role` name which. Only a policy whose {@link Allocator.multiRole} is
   * true is given such frameworks.
   */
  readonly roles?: readonly string[];
}

/**
 * A static reservation on one agent (Mesos `cpus(role):8`): resources set aside for `role`, offered
 * only to frameworks of that role and of its descendant roles (Mesos `allocatableTo`).
 */
export interface Reservation {
  /** the reserving role path, never '*' */
  readonly role: string;
  /** the reserved amounts, fixed point */
  readonly res: ResourceVector;
}

/**
 * The master's side of one allocation run. An agent's unreserved free resources are read through
 * `available`, its reserved ones through `reservedAvailable`; both shrink as `offer` is called.
 * How the master stores them is its own: a policy reads copies, into vectors of its own.
 */
export interface AllocationContext {
  /**
   * Writes the free (neither offered nor allocated) unreserved resources of `agent` into
   * `out[offset..]` (a resource vector, fixed point; `offset` default 0). A copy: later offers do
   * not change what was written.
   */
  available(agent: AgentIx, out: Float64Array, offset?: number): void;
  /**
   * Whether `res[offset..]` passes the master's min-allocatable check, or the own check of some
   * framework that has one: whether some framework could be offered it ({@link isFiltered} says
   * which).
   */
  isAllocatable(res: Float64Array, offset?: number): boolean;
  /**
   * Whether framework `fw` may not be offered `res[offset..]` on `agent`: a refuse filter of `fw`
   * blocks it, the agent has gpus and `fw` lacks GPU_RESOURCES while the master filters gpus, or
   * `fw`'s own min-allocatable check (when it has one) rejects it. `role`: the role of a
   * multi-role framework the offer would go to (its filters are per role, as Mesos keeps
   * `offerFilters[role]`), undefined for a framework of one role.
   */
  isFiltered(fw: FrameworkIx, agent: AgentIx, res: Float64Array, offset?: number, role?: string): boolean;
  /**
   * The resources of framework `fw`'s next pending task, written into `out`; false when it has
   * none or does not say (used by one-task offer granularity).
   */
  nextTaskDemand(fw: FrameworkIx, out: Float64Array): boolean;
  /**
   * The free (neither offered nor allocated) reserved resources on `agent` that a framework of
   * `role` may be offered: the reservation of that role or of one of its ancestors (an agent holds
   * at most one such reservation), written into `out`; false (and `out` zero) when there is none or
   * it is all in use. Policies that never call this never offer reserved resources.
   */
  reservedAvailable(agent: AgentIx, role: string, out: Float64Array): boolean;
  /**
   * Offers `res` on `agent` to framework `fw`, plus `reserved` (default none) from the agent's
   * reservation for the framework's role or an ancestor (see {@link reservedAvailable}). `res` must
   * be within the agent's unreserved available resources and `reserved` within that reservation's
   * free part; the master checks, subtracts both, and creates one offer of their sum (offers are
   * never merged). The vectors are copied, never kept: the caller may reuse them. `role`: the role of
   * a multi-role framework the offer is allocated to (its reservations are that role's); undefined
   * for a framework of one role.
   */
  offer(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void;
}

/** An allocation policy. The master calls the lifecycle methods in simulated-time order. */
export interface Allocator {
  /** Registry name, e.g. 'drf'. */
  readonly name: string;
  /**
   * Whether the policy takes multi-role frameworks ({@link FrameworkInfo.roles}): ranks each of
   * their roles as a client of its own and honours the `role` arguments below. Default false: the
   * scenario layer refuses multi-role frameworks under such a policy.
   */
  readonly multiRole?: boolean;
  /** Sets a role's weight (default 1). Called before the role's first framework is added. */
  setWeight(role: string, weight: number): void;
  /** A framework subscribed; it starts active (not suppressed). */
  addFramework(fw: FrameworkInfo): void;
  /** A framework left; its resources have been recovered already. */
  removeFramework(fw: FrameworkIx): void;
  /**
   * The framework revived (or re-registered): rank it again. `roles` (a multi-role framework's
   * only): rank it again in these of its roles only (Mesos `reviveOffers(framework, roles)`);
   * default every role.
   */
  activateFramework(fw: FrameworkIx, roles?: readonly string[]): void;
  /**
   * The framework suppressed offers (or disconnected): leave it out of runs. `roles` (a multi-role
   * framework's only): in these of its roles only (Mesos `suppressOffers(framework, roles)`);
   * default every role.
   */
  deactivateFramework(fw: FrameworkIx, roles?: readonly string[]): void;
  /**
   * An agent joined with `total` resources (they count in the sorters' totals), of which
   * `reserved` (default none) are static reservations, each part of `total`.
   */
  addAgent(agent: AgentIx, total: ResourceVector, reserved?: readonly Reservation[]): void;
  /** An agent left; resources on it have been recovered already. */
  removeAgent(agent: AgentIx, total: ResourceVector): void;
  /**
   * Resources that framework `fw` held on `agent` (offered or allocated) came back: a decline,
   * a rescind, or a task's end. They stop counting toward its share. `reserved` (default none) is
   * the part of `res` that came from a reservation and goes back to it. `role` (a multi-role
   * framework's only): the role they were allocated to, whose holding they leave.
   */
  recover(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void;
  /**
   * Optional: what several {@link recover} calls of framework `fw` gave back, summed over their
   * agents (`res`, and `reserved` of it from reservations): the master makes this one call for a
   * delivery's declines and unused accept remainders, once the scheduler's answer to the delivery
   * is in, instead of one call per offer. It must leave the policy exactly as those calls would,
   * in any order: implement it only when `recover` does not depend on the agent (amounts are
   * integers in fixed point, so sums are exact). Without it the master calls `recover` per offer.
   */
  recoverSum?(fw: FrameworkIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void;
  /**
   * Optional: framework `fw`, holding an offer on `agent`, reserved `res` of its unreserved part
   * for `role` (a RESERVE operation in an accept, Mesos `updateAllocation` with a conversion
   * from unreserved to reserved: src/master/allocator/mesos/hierarchical.cpp:1289-1416). The
   * amounts the framework holds do not change (so neither does its share); they move into the
   * (agent, role) reservation, created if there was none, which from now on is offered only to
   * `role` and its subroles and counts toward `role`'s consumed quota whether used or not.
   * Without it the master refuses every RESERVE (`operation_error`, reason `not_supported`).
   */
  reserve?(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void;
  /**
   * Optional: the inverse of {@link reserve} (an UNRESERVE operation): `res` of the (agent, role)
   * reservation, held by framework `fw` in an offer, becomes unreserved (still held by `fw`).
   * Present exactly when {@link reserve} is.
   */
  unreserve?(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void;
  /**
   * One allocation run over `agents` (agent indices, in the master's order; the policy shuffles
   * them with `rng` if it wants). Makes offers through `ctx.offer`, counting what it offers
   * toward the receivers' shares at once.
   */
  allocate(ctx: AllocationContext, agents: readonly AgentIx[], rng: Rng): void;
  /**
   * Optional: the roles with a quota guarantee, whose quota stage a run walks on every agent (the
   * allocator cost model's quota term, sim/model/allocation-cost.ts). Absent: none.
   */
  quotaRoles?(): number;

  // The ranking port: what a scheduler that places tasks itself, without offers (the monolithic
  // and shared-state architectures), needs of the policy so that it orders frameworks as the
  // policy would. Optional, but an allocator that orders clients under those architectures
  // implements both.
  /**
   * The active (neither suppressed nor disconnected) frameworks in the order this policy would
   * serve them now (the hierarchical allocator: roles in its role sorter's order, each role's
   * frameworks in its framework sorter's order). A randomised policy draws from `rng`. The array
   * belongs to the policy; it stays valid until the next call.
   */
  frameworkOrder?(rng: Rng): readonly FrameworkIx[];
  /**
   * Framework `fw` was given `res` on `agent` without an offer (a task was placed there directly):
   * it counts toward the framework's holding as an offer would, one allocation, until
   * {@link recover} gives it back. `reserved` (default none) is the part of `res` taken from a
   * reservation. The master makes this call; `recover` is its exact inverse.
   */
  allocated?(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector): void;
}

/**
 * How much of an agent one offer carries (a master option studied in the literature):
 * - 'agent': everything the agent has free (the Mesos default);
 * - 'fair-share': at most what lifts the receiving role to its weighted fair share of the
 *   cluster (the fix the Omega paper suggests);
 * - 'task': one task's worth, the receiver's next pending task (when it says what that is);
 * - 'cluster': whole agents, as 'agent', but the order is fixed at the start of each allocation
 *   run, so the framework furthest below its share gets every free agent it is not filtered on
 *   (the Mesos 0.9 "simple allocator" that the Omega paper modelled: all free resources to one
 *   framework at a time).
 */
export const OFFER_GRANULARITIES = ['agent', 'fair-share', 'task', 'cluster'] as const;
/** One of {@link OFFER_GRANULARITIES}. */
export type OfferGranularity = (typeof OFFER_GRANULARITIES)[number];
