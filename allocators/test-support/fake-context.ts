/**
 * Test doubles for allocator tests: a fake AllocationContext that records offers and checks
 * them, and a tiny master that wires an allocator to it. Test-only (excluded from the build);
 * imports allocator types and the pure resource helpers only.
 */
import {
  DEFAULT_MIN_ALLOCATABLE,
  NUM_RESOURCES,
  addInto,
  contains,
  copyInto,
  format,
  hasNegative,
  isAllocatable,
  isEmpty,
  subInto,
  type MinAllocatable,
  type ResourceVector,
} from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import type { AllocationContext, Allocator, FrameworkInfo, Reservation } from '../../sim/model/allocation-port.js';
import { allocatableTo } from '../../sim/model/roles.js';
import { agentIx, frameworkIx, type AgentIx, type FrameworkIx } from '../../sim/model/ids.js';

/** One offer as the fake master saw it. */
export interface RecordedOffer {
  readonly fw: FrameworkIx;
  readonly agent: AgentIx;
  /** A copy of what was offered, fixed point: the sum, reserved part included. */
  readonly res: ResourceVector;
  /** The part of `res` from a reservation; absent when none. */
  readonly reserved?: ResourceVector;
  /** The role of a multi-role framework the offer was allocated to; absent for one role. */
  readonly role?: string;
}

/** One reservation on one agent, as the fake master keeps it. */
export interface FakePool {
  readonly agent: number;
  readonly role: string;
  /** its free part, fixed point */
  readonly free: ResourceVector;
}

/**
 * A fake master side of a run. Offers beyond an agent's free resources are recorded in
 * `violations` (and not applied), so that tests can assert on them instead of crashing mid-run.
 */
export class FakeContext implements AllocationContext {
  /** Free unreserved resources per agent, packed (stride NUM_RESOURCES): the fake master's own store, which tests set directly. */
  readonly free: Float64Array;
  /** Every offer made, in call order. */
  readonly offers: RecordedOffer[] = [];
  /** Messages about offers that broke the contract. */
  readonly violations: string[] = [];
  /** Blocked (framework, agent) pairs: a filter that refuses anything on that agent. */
  readonly filters = new Set<string>();
  /** How many times isFiltered was asked (to check that filtered frameworks are consulted). */
  filterQueries = 0;
  private readonly min: MinAllocatable;

  /** `agents` agents with nothing free; `min` default DEFAULT_MIN_ALLOCATABLE. */
  constructor(agents: number, min: MinAllocatable = DEFAULT_MIN_ALLOCATABLE) {
    this.free = new Float64Array(agents * NUM_RESOURCES);
    this.min = min;
  }

  available(agent: AgentIx, out: Float64Array, offset = 0): void {
    copyInto(out, offset, this.free, agent * NUM_RESOURCES);
  }

  isAllocatable(res: Float64Array, offset = 0): boolean {
    return isAllocatable(this.min, res, offset);
  }

  /** Next-task demand per framework, for one-task granularity (none unless a test sets it). */
  readonly demands = new Map<number, ResourceVector>();

  nextTaskDemand(fw: FrameworkIx, out: Float64Array): boolean {
    const d = this.demands.get(fw);
    if (d === undefined) return false;
    out.set(d);
    return true;
  }

  isFiltered(fw: FrameworkIx, agent: AgentIx, _res: Float64Array, _offset = 0, role?: string): boolean {
    this.filterQueries++;
    return this.filters.has(key(fw, agent, role));
  }

  /** Reservations, in the order added (see {@link MiniMaster.addAgent}). */
  readonly pools: FakePool[] = [];
  /** Role of each framework by index, for reserved offers (set by {@link MiniMaster.addFramework}). */
  readonly roles: string[] = [];

  /** The pool on `agent` a framework of `role` may draw on (its role's or an ancestor's). */
  poolFor(agent: number, role: string): FakePool | undefined {
    return this.pools.find((p) => p.agent === agent && allocatableTo(p.role, role));
  }

  reservedAvailable(agent: AgentIx, role: string, out: Float64Array): boolean {
    out.fill(0);
    const p = this.poolFor(agent, role);
    if (p === undefined) return false;
    out.set(p.free);
    return !isEmpty(out);
  }

  offer(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector, role?: string): void {
    const o = agent * NUM_RESOURCES;
    const inRole = role === undefined ? {} : { role };
    if (reserved !== undefined && !isEmpty(reserved)) {
      const p = this.poolFor(agent, role ?? this.roles[fw] ?? '*');
      if (p === undefined || hasNegative(reserved) || !contains(p.free, 0, reserved) || hasNegative(res) || !contains(this.free, o, res)) {
        this.violations.push(`offer to fw ${fw} of ${format(res)} + reserved ${format(reserved)} on agent ${agent}, beyond what is free`);
        return;
      }
      subInto(p.free, 0, reserved);
      subInto(this.free, o, res);
      const sum = res.slice();
      addInto(sum, 0, reserved);
      this.offers.push({ fw, agent, res: sum, reserved: reserved.slice(), ...inRole });
      return;
    }
    if (res.length !== NUM_RESOURCES || hasNegative(res) || !contains(this.free, o, res)) {
      this.violations.push(`offer to fw ${fw} of ${format(res)} on agent ${agent} with only ${format(this.free, o)} free`);
      return;
    }
    subInto(this.free, o, res);
    this.offers.push({ fw, agent, res: res.slice(), ...inRole });
  }

  /** Blocks everything of `fw` (in `role`, for a multi-role framework) on `agent`. */
  filter(fw: number, agent: number, role?: string): void {
    this.filters.add(key(fw, agent, role));
  }

  /** Lifts the block of `fw` (in `role`, for a multi-role framework) on `agent`. */
  unfilter(fw: number, agent: number, role?: string): void {
    this.filters.delete(key(fw, agent, role));
  }

  /** Whether (fw, agent) is blocked. */
  isBlocked(fw: number, agent: number): boolean {
    return this.filters.has(key(fw, agent));
  }
}

function key(fw: number, agent: number, role?: string): string {
  return role === undefined ? `${fw}:${agent}` : `${fw}:${agent}:${role}`;
}

/**
 * A minimal master: agents with totals, frameworks, allocation runs and recovery, enough to
 * drive an allocator through the Mesos unit scenarios. Held offers count as allocated.
 */
export class MiniMaster {
  readonly ctx: FakeContext;
  /** Frameworks by index. */
  readonly frameworks: FrameworkInfo[] = [];
  /** Offers not yet recovered. */
  readonly held: RecordedOffer[] = [];
  private agentCount = 0;
  private readonly totals: ResourceVector[] = [];

  constructor(
    readonly allocator: Allocator,
    maxAgents: number,
    min: MinAllocatable = DEFAULT_MIN_ALLOCATABLE,
  ) {
    this.ctx = new FakeContext(maxAgents, min);
  }

  /** Adds an agent with `total` free, of which `reserved` (default none) is reserved; returns its index. */
  addAgent(total: ResourceVector, reserved: readonly Reservation[] = []): AgentIx {
    const a = agentIx(this.agentCount++);
    this.totals.push(total.slice());
    addInto(this.ctx.free, a * NUM_RESOURCES, total);
    for (const r of reserved) {
      subInto(this.ctx.free, a * NUM_RESOURCES, r.res);
      this.ctx.pools.push({ agent: a, role: r.role, free: r.res.slice() });
    }
    if (reserved.length > 0) this.allocator.addAgent(a, total, reserved);
    else this.allocator.addAgent(a, total);
    return a;
  }

  /** Registers a framework (of several roles when `roles` has two or more, `role` first); returns its index. */
  addFramework(name: string, role: string, roles?: readonly string[]): FrameworkIx {
    const fw: FrameworkInfo = { index: frameworkIx(this.frameworks.length), name, role, ...(roles === undefined ? {} : { roles }) };
    this.frameworks.push(fw);
    this.ctx.roles[fw.index] = role;
    this.allocator.addFramework(fw);
    return fw.index;
  }

  /** Every agent index added so far, in order. */
  agents(): AgentIx[] {
    return Array.from({ length: this.agentCount }, (_, i) => agentIx(i));
  }

  /** One allocation run over `agents` (default all); returns the offers it made. */
  run(rng: Rng, agents: readonly AgentIx[] = this.agents()): RecordedOffer[] {
    const before = this.ctx.offers.length;
    this.allocator.allocate(this.ctx, agents, rng);
    const made = this.ctx.offers.slice(before);
    this.held.push(...made);
    return made;
  }

  /** The framework declines (or a task ends): the offer's resources go back, no filter. */
  recover(offer: RecordedOffer): void {
    const i = this.held.indexOf(offer);
    if (i < 0) throw new Error('recover: offer not held');
    this.held.splice(i, 1);
    addInto(this.ctx.free, offer.agent * NUM_RESOURCES, offer.res);
    if (offer.reserved === undefined) {
      if (offer.role === undefined) this.allocator.recover(offer.fw, offer.agent, offer.res);
      else this.allocator.recover(offer.fw, offer.agent, offer.res, undefined, offer.role);
      return;
    }
    subInto(this.ctx.free, offer.agent * NUM_RESOURCES, offer.reserved);
    addInto(this.ctx.poolFor(offer.agent, offer.role ?? this.frameworks[offer.fw]!.role)!.free, 0, offer.reserved);
    this.allocator.recover(offer.fw, offer.agent, offer.res, offer.reserved, offer.role);
  }

  /** Recovers every held offer. */
  recoverAll(): void {
    for (const o of [...this.held]) this.recover(o);
  }

  /** Total of agent `a`. */
  total(a: number): ResourceVector {
    return this.totals[a]!;
  }
}
