/**
 * One allocation run of the registered 'drf' allocator at Mesos benchmark scale, timed alone:
 * the shape of `HierarchicalAllocator_BENCHMARK_Test.DeclineOffers` (notes/mesos-semantics.md §2),
 * and the same with one role per framework and quota guarantees on half of them (stage 1 runs).
 * The master's side is a minimal AllocationContext over typed arrays. bench/ may read the clock.
 */
import { getAllocator } from '../allocators/registry.js';
import type { AllocationContext, Allocator } from '../allocators/types.js';
import { RandomStream } from '../sim/kernel/rng.js';
import { agentIx, frameworkIx, type AgentIx } from '../sim/model/ids.js';
import { NUM_RESOURCES, R, resources, type ResourceVector } from '../sim/model/resources.js';
import { collectGarbage, median } from './kernel.js';

/** Mesos --min_allocatable_resources default `cpus:0.01|mem:32`, fixed point (milli-cores, thousandths of a MB). */
const MIN_CPUS = 10;
const MIN_MEM = 32_000;

/**
 * The master's side of a run, as little as the allocator needs: free resources per agent, a
 * refuse filter per (framework, agent) as one bit (a decline with `refuse_seconds = INT_MAX`
 * never expires, and the declined resources are what the agent has free again, so the filter
 * always applies), and the offers made, counted per framework.
 */
export class BenchContext implements AllocationContext {
  /** free resources per agent, packed (stride NUM_RESOURCES): the bench's own master-side store */
  readonly free: Float64Array;
  /** bit (agent * frameworks + fw): framework fw declined agent for good */
  private readonly refused: Uint32Array;
  /** when set, agent a may be offered only to framework onlyFor[a] (the setup run) */
  onlyFor: Int32Array | null = null;
  /** offers made since {@link resetCounts}; their receivers, agents and resources in order */
  offers = 0;
  offerFw: Int32Array;
  offerAgent: Int32Array;
  offerRes: Float64Array;
  /** per framework: offers and offered milli-cores since {@link resetCounts} */
  readonly fwOffers: Int32Array;
  readonly fwCpus: Float64Array;

  constructor(
    readonly agents: number,
    readonly frameworks: number,
  ) {
    this.free = new Float64Array(agents * NUM_RESOURCES);
    this.refused = new Uint32Array(Math.ceil((agents * frameworks) / 32));
    // An agent is offered at most once per run (whole-agent offers; quota chops at most in two
    // stages, merged into one offer), but leave room for chopped offers to more frameworks.
    this.offerFw = new Int32Array(agents * 2);
    this.offerAgent = new Int32Array(agents * 2);
    this.offerRes = new Float64Array(agents * 2 * NUM_RESOURCES);
    this.fwOffers = new Int32Array(frameworks);
    this.fwCpus = new Float64Array(frameworks);
  }
  available(agent: AgentIx, out: Float64Array, offset = 0): void {
    for (let r = 0; r < NUM_RESOURCES; r++) out[offset + r] = this.free[agent * NUM_RESOURCES + r]!;
  }

  isAllocatable(res: Float64Array, offset = 0): boolean {
    return res[offset + R.cpus]! >= MIN_CPUS || res[offset + R.mem]! >= MIN_MEM;
  }

  isFiltered(fw: number, agent: number): boolean {
    const only = this.onlyFor;
    if (only !== null && only[agent] !== fw) return true;
    const bit = agent * this.frameworks + fw;
    return (this.refused[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /** Installs a refuse filter that never expires. */
  refuse(fw: number, agent: number): void {
    const bit = agent * this.frameworks + fw;
    this.refused[bit >>> 5]! |= 1 << (bit & 31);
  }

  nextTaskDemand(): boolean {
    return false;
  }

  reservedAvailable(_agent: number, _role: string, out: Float64Array): boolean {
    out.fill(0);
    return false;
  }

  offer(fw: number, agent: number, res: ResourceVector): void {
    const off = agent * NUM_RESOURCES;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const left = this.free[off + r]! - res[r]!;
      if (left < 0) throw new Error(`bench context: offer to ${fw} on agent ${agent} exceeds its free resources`);
      this.free[off + r] = left;
    }
    if (this.offers === this.offerFw.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.offerFw = grow(this.offerFw, (n) => new Int32Array(n));
      this.offerAgent = grow(this.offerAgent, (n) => new Int32Array(n));
      this.offerRes = grow(this.offerRes, (n) => new Float64Array(n));
    }
    const i = this.offers++;
    this.offerFw[i] = fw;
    this.offerAgent[i] = agent;
    // A copy by element: `set(res.subarray(...))` would allocate a view per offer, garbage that
    // the master's side does not make and that would be charged to the allocator's time.
    for (let r = 0; r < NUM_RESOURCES; r++) this.offerRes[i * NUM_RESOURCES + r] = res[r]!;
    this.fwOffers[fw]!++;
    this.fwCpus[fw]! += res[R.cpus]!;
  }

  /** Forgets the offers counted so far (the offers themselves stand). */
  resetCounts(): void {
    this.offers = 0;
    this.fwOffers.fill(0);
    this.fwCpus.fill(0);
  }

  /**
   * A hash of the offers counted since {@link resetCounts}, independent of the order they were
   * made in: the sum (mod 2^32) of a hash of each offer's (framework, agent, cpus, mem, disk), as
   * 8 hex digits. Two allocators that make the same offers have the same checksum.
   */
  checksum(): string {
    let sum = 0;
    for (let i = 0; i < this.offers; i++) {
      let h = 0x811c9dc5;
      const mix = (x: number): void => {
        h = Math.imul(h ^ (x >>> 0), 0x01000193) >>> 0;
        h = Math.imul(h ^ Math.floor(x / 2 ** 32), 0x01000193) >>> 0;
      };
      mix(this.offerFw[i]!);
      mix(this.offerAgent[i]!);
      for (let r = 0; r < NUM_RESOURCES; r++) mix(this.offerRes[i * NUM_RESOURCES + r]!);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d) >>> 0;
      h ^= h >>> 12;
      sum = (sum + h) >>> 0;
    }
    return sum.toString(16).padStart(8, '0');
  }
}

/** The shape of one allocation benchmark. */
export interface AllocationShape {
  readonly agents: number;
  readonly frameworks: number;
  /** one role per framework (r0, r1, ...) with a quota guarantee on the even ones; default: all in '*' */
  readonly quota?: boolean;
}

/** DeclineOffers' agent: `cpus:24;mem:4096;disk:4096` (offersim has no ports). */
export const AGENT_TOTAL = resources({ cpus: 24, mem: 4096, disk: 4096 });
/** What each agent already runs for framework `agent % frameworks`: `cpus:16;mem:2014;disk:1024`. */
export const AGENT_USED = resources({ cpus: 16, mem: 2014, disk: 1024 });
/**
 * The quota variant's guarantee. Each framework already holds 10 agents' tasks (160 cpus, 20,140
 * MB at 10,000 x 1,000), so a guarantee below that (say cpus 8, mem 1024) would be met before the
 * first run and stage 1 would do nothing; this one leaves 40 cpus and 4,436 MB unmet per quota
 * role, 20,000 cpus in all out of the 80,000 free: stage 1 has work on about a quarter of the agents.
 */
export const QUOTA_GUARANTEE = { cpus: 200, mem: 24_576 };

/** A built allocator and its context, set up as the benchmark starts; nothing timed yet. */
export interface AllocationSetup {
  readonly allocator: Allocator;
  readonly ctx: BenchContext;
  /** agent indices in order 0..n-1 (the allocator shuffles them) */
  readonly agentList: readonly AgentIx[];
}

/**
 * Builds the 'drf' allocator through the registry with the shape's frameworks and agents and
 * tells it about the tasks already running. The Allocator interface learns of allocations only
 * through offers (an offer counts toward the receiver's share at once and until `recover`, and a
 * launched task's resources simply stay allocated), so the running tasks are one setup run: the
 * context's free resources are just the used part of each agent, and agent a may go to framework
 * a % F only. That run must offer every agent's used part whole to its owner (checked); those
 * offers are never recovered, so they count in the sorters' shares from then on exactly as
 * Mesos's `addSlave(..., used)` does. Then the free resources become total - used.
 */
export function setupAllocation(shape: AllocationShape): AllocationSetup {
  const { agents, frameworks } = shape;
  const entry = getAllocator('drf');
  if (entry === undefined) throw new Error('bench: allocator drf is not registered');
  const quota: Record<string, unknown> = {};
  if (shape.quota === true) for (let f = 0; f < frameworks; f += 2) quota[`r${f}`] = { guarantee: QUOTA_GUARANTEE };
  const allocator = entry.create({ params: shape.quota === true ? { quota } : {} });
  for (let f = 0; f < frameworks; f++) {
    allocator.addFramework({ index: frameworkIx(f), name: `fw${f}`, role: shape.quota === true ? `r${f}` : '*' });
  }
  for (let a = 0; a < agents; a++) allocator.addAgent(agentIx(a), AGENT_TOTAL);
  const ctx = new BenchContext(agents, frameworks);
  const agentList = Array.from({ length: agents }, (_, a) => agentIx(a));
  const owner = new Int32Array(agents);
  for (let a = 0; a < agents; a++) {
    owner[a] = a % frameworks;
    ctx.free.set(AGENT_USED, a * NUM_RESOURCES);
  }
  ctx.onlyFor = owner;
  allocator.allocate(ctx, agentList, new RandomStream(1, 'bench/allocation/setup'));
  ctx.onlyFor = null;
  if (ctx.offers !== agents || ctx.free.some((x) => x !== 0)) {
    throw new Error(`bench: the setup run offered ${ctx.offers} of ${agents} agents' running tasks, or not whole`);
  }
  for (let i = 0; i < agents; i++) {
    if (ctx.offerFw[i] !== owner[ctx.offerAgent[i]!]) throw new Error('bench: a setup offer went to another framework than the agent owner');
  }
  for (let a = 0; a < agents; a++) {
    for (let r = 0; r < NUM_RESOURCES; r++) ctx.free[a * NUM_RESOURCES + r] = AGENT_TOTAL[r]! - AGENT_USED[r]!;
  }
  ctx.resetCounts();
  return { allocator, ctx, agentList };
}

/** Every offer counted in `ctx` is declined with a filter that never expires, and recovered. */
export function declineAll(s: AllocationSetup): void {
  const { ctx, allocator } = s;
  const res = new Float64Array(NUM_RESOURCES);
  for (let i = 0; i < ctx.offers; i++) {
    const fw = frameworkIx(ctx.offerFw[i]!);
    const agent = agentIx(ctx.offerAgent[i]!);
    for (let r = 0; r < NUM_RESOURCES; r++) res[r] = ctx.offerRes[i * NUM_RESOURCES + r]!;
    ctx.refuse(fw, agent);
    allocator.recover(fw, agent, res);
    for (let r = 0; r < NUM_RESOURCES; r++) ctx.free[agent * NUM_RESOURCES + r]! += res[r]!;
  }
  ctx.resetCounts();
}

/** One timed round. */
export interface RoundResult {
  /** wall ms of allocate() */
  readonly ms: number;
  readonly offers: number;
  /** offered milli-cores in all */
  readonly cpus: number;
  readonly checksum: string;
}

/** Times one allocate() on `s` with the stream for `round` (the same draws in every repetition). */
export function timeRound(s: AllocationSetup, round: number): RoundResult {
  const rng = new RandomStream(1, `bench/allocation/round-${round}`);
  collectGarbage();
  const t0 = process.hrtime.bigint();
  s.allocator.allocate(s.ctx, s.agentList, rng);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let cpus = 0;
  for (let f = 0; f < s.ctx.frameworks; f++) cpus += s.ctx.fwCpus[f]!;
  return { ms, offers: s.ctx.offers, cpus, checksum: s.ctx.checksum() };
}

/** Median times of rounds 0 and 1 over the repetitions, with their (repetition-invariant) offers and checksums. */
export interface AllocationResult {
  readonly shape: AllocationShape;
  readonly reps: number;
  /** median setup (build + running tasks) time, ms: not part of the rounds */
  readonly setupMs: number;
  readonly rounds: readonly (RoundResult & { readonly msAll: readonly number[] })[];
}

/**
 * Round 0 (no filters) and round 1 (every round-0 offer declined for good and recovered), each
 * `reps` times on a freshly built allocator; the build is not timed. Throws if repetitions
 * disagree on the offers, which would be a determinism bug.
 */
export function allocationBench(shape: AllocationShape, reps: number): AllocationResult {
  const times: number[][] = [[], []];
  const setups: number[] = [];
  let first: RoundResult[] | undefined;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    const s = setupAllocation(shape);
    setups.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const r0 = timeRound(s, 0);
    declineAll(s);
    const r1 = timeRound(s, 1);
    const got = [r0, r1];
    if (first === undefined) first = got;
    got.forEach((g, i) => {
      times[i]!.push(g.ms);
      if (g.checksum !== first![i]!.checksum || g.offers !== first![i]!.offers) {
        throw new Error(`bench: allocation round ${i} differs between repetitions: determinism bug`);
      }
    });
  }
  return {
    shape,
    reps,
    setupMs: median(setups),
    rounds: first!.map((g, i) => ({ ...g, ms: median(times[i]!), msAll: times[i]! })),
  };
}
