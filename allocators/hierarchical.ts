/**
 * The Mesos hierarchical allocator (`src/master/allocator/mesos/hierarchical.cpp`, notes §1.2):
 * a role sorter, one framework sorter per role, and the two-stage offer loop (stage 1, quota, is
 * not modelled yet). Imports only allocator types, sorters and the pure resource helpers: no
 * clock, no queue, no I/O, no ambient randomness (every draw comes from the `rng` it is given).
 */
import { NUM_RESOURCES, addInto, copyInto, format, hasNegative, isEmpty, subInto } from '../sim/model/resources.js';
import type { ResourceVector } from '../sim/model/resources.js';
import { createSorter } from './sorter/create-sorter.js';
import { fairnessMask } from './sorter/drf-sorter.js';
import type { Sorter, SorterKind, SorterOptions } from './sorter/sorter.js';
import type {
  AllocationContext,
  Allocator,
  AllocatorOptions,
  FrameworkInfo,
  RandomSource,
} from './types.js';

/** How a hierarchical allocator is built. */
export interface HierarchicalOptions extends AllocatorOptions {
  /** Registry name reported by `Allocator.name`, e.g. 'drf'. */
  readonly name: string;
  /** Sorter ranking roles (Mesos --role_sorter); Mesos default 'drf'. */
  readonly roleSorter: SorterKind;
  /** Sorter ranking frameworks within a role (Mesos --framework_sorter); Mesos default 'drf'. */
  readonly frameworkSorter: SorterKind;
}

interface FrameworkState {
  readonly info: FrameworkInfo;
  /** Its role's state: a role lives at least as long as its frameworks. */
  readonly role: RoleState;
  active: boolean;
}

interface RoleState {
  /** Ranks the role's frameworks by name; its totals are the cluster totals. */
  readonly sorter: Sorter;
  /** Frameworks registered under the role. */
  frameworks: number;
  /** Of those, how many are active (not suppressed). */
  active: number;
  /** The sorter's last order, and its framework indices (see {@link HierarchicalAllocator.fwIndices}). */
  order: readonly string[] | null;
  orderIdx: number[];
}

/**
 * Uniform Fisher–Yates shuffle in place, from the last element down (the kernel's
 * `shuffleInPlace` algorithm, repeated here because allocators may not import the kernel).
 */
export function shuffleInPlace(arr: Int32Array, length: number, rng: RandomSource): void {
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
 */
export class HierarchicalAllocator implements Allocator {
  /** Registry name. */
  readonly name: string;
  private readonly options: HierarchicalOptions;
  private readonly roleSorter: Sorter;
  private readonly roles = new Map<string, RoleState>();
  private readonly frameworks: (FrameworkState | undefined)[] = [];
  private readonly byName = new Map<string, number>();
  private readonly clusterTotal = new Float64Array(NUM_RESOURCES);
  /** Scratch for the shuffled agent order; grows, never shrinks. */
  private order = new Int32Array(64);
  /** Scratch for what one offer takes from an agent (the context and sorters copy it). */
  private readonly offered = new Float64Array(NUM_RESOURCES);
  /** The role sorter's last order, and the role states in that order. */
  private roleOrder: readonly string[] | null = null;
  private roleOrderStates: RoleState[] = [];

  /** A hierarchical allocator; `options.excludedResources` default none. */
  constructor(options: HierarchicalOptions) {
    this.name = options.name;
    this.options = options;
    // Validate excluded names whatever the sorters, so a typo fails the same under every policy.
    fairnessMask(options.excludedResources);
    this.roleSorter = createSorter(options.roleSorter, this.sorterOptions());
  }

  setWeight(role: string, weight: number): void {
    this.roleSorter.updateWeight(role, weight);
  }

  addFramework(fw: FrameworkInfo): void {
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
      role = { sorter, frameworks: 0, active: 0, order: null, orderIdx: [] };
      this.roles.set(fw.role, role);
    }
    role.sorter.add(fw.name);
    role.sorter.activate(fw.name);
    role.frameworks++;
    role.active++;
    this.frameworks[fw.index] = { info: fw, role, active: true };
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
    role.frameworks--;
    if (f.active) role.active--;
    if (role.frameworks === 0) {
      this.roleSorter.remove(f.info.role);
      this.roles.delete(f.info.role);
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

  addAgent(_agent: number, total: ResourceVector): void {
    addInto(this.clusterTotal, 0, total);
    this.roleSorter.addTotal(total);
    for (const role of this.roles.values()) role.sorter.addTotal(total);
  }

  removeAgent(agent: number, total: ResourceVector): void {
    subInto(this.clusterTotal, 0, total);
    if (hasNegative(this.clusterTotal)) {
      throw new Error(`allocator: removing agent ${agent} (${format(total)}) makes the cluster total negative`);
    }
    this.roleSorter.removeTotal(total);
    for (const role of this.roles.values()) role.sorter.removeTotal(total);
  }

  recover(fw: number, _agent: number, res: ResourceVector): void {
    const f = this.framework(fw);
    f.role.sorter.unallocated(f.info.name, res);
    this.roleSorter.unallocated(f.info.role, res);
  }

  allocate(ctx: AllocationContext, agents: readonly number[], rng: RandomSource): void {
    const n = agents.length;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, this.order.length * 2));
    const order = this.order;
    for (let i = 0; i < n; i++) order[i] = agents[i]!;
    // Mesos shuffles the agents before stage 1 (quota guarantees) and again before stage 2.
    // Stage 1 is not modelled yet, but its shuffle is kept so that adding quota later leaves
    // every draw of stage 2 (and of random sorters) where it is.
    shuffleInPlace(order, n, rng);
    shuffleInPlace(order, n, rng);

    const available = ctx.available;
    for (let i = 0; i < n; i++) {
      const agent = order[i]!;
      const offset = agent * NUM_RESOURCES;
      // Skipping an exhausted agent before ranking saves the sorts (and a random sorter's draws).
      if (!ctx.isAllocatable(available, offset)) continue;
      this.offerAgent(ctx, agent, offset, rng);
    }
  }

  /**
   * Stage 2 for one agent, without quota: its whole free resources go to the first framework,
   * in role order then framework order, that the agent's refuse filters do not block.
   */
  private offerAgent(ctx: AllocationContext, agent: number, offset: number, rng: RandomSource): void {
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
        // With no quota the offer took everything: the agent is done for this run.
        return;
      }
    }
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
