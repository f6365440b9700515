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
  format,
  hasNegative,
  isAllocatable,
  subInto,
  type MinAllocatable,
  type ResourceVector,
} from '../../sim/model/resources.js';
import type { AllocationContext, Allocator, FrameworkInfo, RandomSource } from '../types.js';

/** One offer as the fake master saw it. */
export interface RecordedOffer {
  readonly fw: number;
  readonly agent: number;
  /** A copy of what was offered, fixed point. */
  readonly res: ResourceVector;
}

/**
 * A fake master side of a run. Offers beyond an agent's free resources are recorded in
 * `violations` (and not applied), so that tests can assert on them instead of crashing mid-run.
 */
export class FakeContext implements AllocationContext {
  readonly available: Float64Array;
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
    this.available = new Float64Array(agents * NUM_RESOURCES);
    this.min = min;
  }

  isAllocatable(res: Float64Array, offset = 0): boolean {
    return isAllocatable(this.min, res, offset);
  }

  /** Next-task demand per framework, for one-task granularity (none unless a test sets it). */
  readonly demands = new Map<number, ResourceVector>();

  nextTaskDemand(fw: number, out: Float64Array): boolean {
    const d = this.demands.get(fw);
    if (d === undefined) return false;
    out.set(d);
    return true;
  }

  isFiltered(fw: number, agent: number, _res: Float64Array, _offset = 0): boolean {
    this.filterQueries++;
    return this.filters.has(key(fw, agent));
  }

  offer(fw: number, agent: number, res: ResourceVector): void {
    const o = agent * NUM_RESOURCES;
    if (res.length !== NUM_RESOURCES || hasNegative(res) || !contains(this.available, o, res)) {
      this.violations.push(
        `offer to fw ${fw} of ${format(res)} on agent ${agent} with only ${format(this.available, o)} free`,
      );
      return;
    }
    subInto(this.available, o, res);
    this.offers.push({ fw, agent, res: res.slice() });
  }

  /** Blocks everything of `fw` on `agent`. */
  filter(fw: number, agent: number): void {
    this.filters.add(key(fw, agent));
  }

  /** Lifts the block of `fw` on `agent`. */
  unfilter(fw: number, agent: number): void {
    this.filters.delete(key(fw, agent));
  }

  /** Whether (fw, agent) is blocked. */
  isBlocked(fw: number, agent: number): boolean {
    return this.filters.has(key(fw, agent));
  }
}

function key(fw: number, agent: number): string {
  return `${fw}:${agent}`;
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

  /** Adds an agent with `total` free; returns its index. */
  addAgent(total: ResourceVector): number {
    const a = this.agentCount++;
    this.totals.push(total.slice());
    addInto(this.ctx.available, a * NUM_RESOURCES, total);
    this.allocator.addAgent(a, total);
    return a;
  }

  /** Registers a framework; returns its index. */
  addFramework(name: string, role: string): number {
    const fw: FrameworkInfo = { index: this.frameworks.length, name, role };
    this.frameworks.push(fw);
    this.allocator.addFramework(fw);
    return fw.index;
  }

  /** Every agent index added so far, in order. */
  agents(): number[] {
    return Array.from({ length: this.agentCount }, (_, i) => i);
  }

  /** One allocation run over `agents` (default all); returns the offers it made. */
  run(rng: RandomSource, agents: readonly number[] = this.agents()): RecordedOffer[] {
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
    addInto(this.ctx.available, offer.agent * NUM_RESOURCES, offer.res);
    this.allocator.recover(offer.fw, offer.agent, offer.res);
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
