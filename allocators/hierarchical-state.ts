/**
 * The hierarchical allocator's clients as its offer loop sees them: roles with their framework
 * sorters and quota, frameworks, and the read-only face of the allocator the loop works through.
 * Types only; imports allocator and model types; no clock, no queue, no I/O.
 */
import type { FrameworkInfo } from '../sim/model/allocation-port.js';
import type { RoleQuota } from './quota.js';
import type { ClientHandle, Sorter } from './sorter/sorter.js';
import type { FrameworkIx } from '../sim/model/ids.js';

/**
 * A top-level role's quota and what its subtree consumes. Lives from construction on, whether
 * or not the role has frameworks (a role with quota and none still holds headroom).
 */
export interface QuotaState {
  readonly quota: RoleQuota;
  /** Unreserved resources offered to or allocated in the role's subtree, fixed point; kept across runs. */
  readonly offeredOrAllocated: Float64Array;
  /** Reservations (static and dynamic) of the role and its subroles on every agent, used or not, fixed point. */
  readonly reserved: Float64Array;
  /**
   * The run's working copy of consumed quota: reserved + offeredOrAllocated (Mesos
   * `rolesConsumedQuota`).
   */
  readonly consumed: Float64Array;
}

/** A role with at least one framework. */
export interface RoleState {
  /** The role path, e.g. 'eng/batch'. */
  readonly name: string;
  /** Ranks the role's frameworks by name; its totals are the cluster totals. */
  readonly sorter: Sorter;
  /** The quota of the role's top-level role, or null when it has none. */
  readonly quota: QuotaState | null;
  /** What the role holds (offered + allocated), fixed point: the fair-share granularity's measure. */
  readonly alloc: Float64Array;
  /** Its frameworks' indices, in registration order. */
  readonly members: FrameworkIx[];
  /** Of those, how many are active (not suppressed). */
  active: number;
  /** Framework index by its handle in {@link sorter}; null until built (reset on add and remove). */
  fwByHandle: Int32Array | null;
  /** The role's handle in the role sorter; valid while the allocator's role handles are. */
  handle: ClientHandle;
}

/**
 * A framework as a client of one role's framework sorter: a framework of one role has one, a
 * multi-role framework one per role (Mesos: the framework is a client of each of its roles'
 * sorters, with what it holds in that role).
 */
export interface FrameworkState {
  readonly info: FrameworkInfo;
  /** The role this client is ranked in, for a multi-role framework (named in offers and filters); undefined for one role. */
  readonly offerRole: string | undefined;
  /** Its role's state: a role lives at least as long as its frameworks. */
  readonly role: RoleState;
  /** The role whose reservations (and its ancestors') it may be offered; its own role unless a wrapper files it elsewhere. */
  readonly reservationRole: string;
  active: boolean;
  /** Its handle in its role's sorter; valid while the role's `fwByHandle` is built. */
  handle: ClientHandle;
}

/** What the offer loop reads of the allocator: its clients, totals and quota. */
export interface Clients {
  /** Ranks the roles (Mesos --role_sorter). */
  readonly roleSorter: Sorter;
  /** Every role with a framework, by name. */
  readonly roles: ReadonlyMap<string, RoleState>;
  /** Quota of every top-level role that has some, in name order. */
  readonly quotaList: readonly QuotaState[];
  /** Sum of every agent's total, fixed point. */
  readonly clusterTotal: Float64Array;
  /** Everything offered or allocated, all roles, fixed point (for available headroom). */
  readonly allocatedTotal: Float64Array;
  /** The role a role-sorter handle stands for. */
  roleAt(handle: ClientHandle): RoleState;
  /** The role's handle in the role sorter (for telling it of an offer after a walk). */
  roleHandle(role: RoleState): ClientHandle;
  /** Framework indices by the handles of `role`'s sorter. */
  fwByHandle(role: RoleState): Int32Array;
  /** A registered framework (a multi-role framework's client in its first role). */
  framework(fw: FrameworkIx): FrameworkState;
  /** Framework `fw` as a client of `role`'s sorter (a multi-role framework has one per role). */
  clientIn(fw: FrameworkIx, role: RoleState): FrameworkState;
  /** A role's weight; default 1. */
  weightOf(role: string): number;
}
