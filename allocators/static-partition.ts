/**
 * Static partitioning, the baseline of the Mesos paper's experiments: each framework is confined
 * to a fixed set of agents and gets them whole, as under `drf`, but never anything outside.
 * Imports only allocator modules; no clock, no queue, no I/O, no ambient randomness.
 */
import { resized } from '../sim/kernel/packed.js';
import type { ResourceVector } from '../sim/model/resources.js';
import type { AgentEligibility } from './eligibility.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { WrappedAllocator } from './wrapped-allocator.js';
import { parsedOrThrow, show, unknownParams } from './param-checks.js';
import type { Rng } from '../sim/kernel/rng.js';
import type { AllocationContext, FrameworkInfo, Reservation } from '../sim/model/allocation-port.js';
import type { AllocatorOptions, ParamDoc, ParamProblem } from './types.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** Registry name of {@link StaticPartitionAllocator}. */
export const STATIC = 'static';

/**
 * How agents map to partitions, with agents numbered i = 0, 1, ... in the order they first
 * register and F partitions:
 * - 'blocks': contiguous blocks, agent i in partition floor(i·F/N), that is partition k holds the
 *   agents with i in [k·N/F, (k+1)·N/F): ⌊N/F⌋ or ⌈N/F⌉ agents each;
 * - 'interleaved': round robin, agent i in partition i mod F.
 */
export const STATIC_LAYOUTS = { blocks: 'blocks', interleaved: 'interleaved' } as const;
/** One of {@link STATIC_LAYOUTS}. */
export type StaticLayout = (typeof STATIC_LAYOUTS)[keyof typeof STATIC_LAYOUTS];

/** The parameters of `static`, for docs and `offersim list`. */
export const STATIC_PARAMS: readonly ParamDoc[] = [
  {
    name: 'frameworks',
    description:
      'framework names, one partition each, in partition order (F = the list length). A framework not listed is ' +
      'offered nothing; a listed name that never registers leaves its partition idle',
    default: 'none: every framework gets a partition when it registers, in registration order, F = frameworks registered so far',
  },
  {
    name: 'layout',
    description:
      '"blocks": agent i (numbered 0, 1, ... as agents register) goes to partition floor(i*F/N), contiguous blocks; ' + '"interleaved": to partition i mod F',
    default: '"blocks"',
  },
  {
    name: 'agents',
    description: 'N of the blocks layout, a number of agents (integer >= 1); an agent numbered i >= N counts as i mod N. ' + 'Unused by "interleaved"',
    default: 'the number of agents registered so far',
  },
];

/** The parsed parameters of `static`. */
export interface StaticParams {
  /** Partition order by framework name; default undefined: registration order. */
  readonly frameworks: readonly string[] | undefined;
  /** Default 'blocks'. */
  readonly layout: StaticLayout;
  /** N of the blocks layout; default undefined: agents registered so far. */
  readonly agents: number | undefined;
}

/** Every problem with `static`'s parameters, each with its path inside `params`. */
export function validateStaticParams(params: Readonly<Record<string, unknown>>): ParamProblem[] {
  return parse(params).problems;
}

/** The parameters of `static`, checked; throws a RangeError listing every problem. */
export function parseStaticParams(params: Readonly<Record<string, unknown>> = {}): StaticParams {
  return parsedOrThrow(STATIC, parse(params));
}

function parse(params: Readonly<Record<string, unknown>>): { value: StaticParams; problems: ParamProblem[] } {
  const problems = unknownParams(
    params,
    STATIC_PARAMS.map((p) => p.name),
    STATIC,
  );

  let frameworks: string[] | undefined;
  const fws = params['frameworks'];
  if (fws !== undefined) {
    if (!Array.isArray(fws) || fws.length === 0) {
      problems.push({ path: ['frameworks'], message: `expected a non-empty list of framework names, got ${show(fws)}` });
    } else {
      frameworks = [];
      const seen = new Map<string, number>();
      fws.forEach((name: unknown, i) => {
        if (typeof name !== 'string' || name === '' || name.includes('/')) {
          problems.push({ path: ['frameworks', i], message: `expected a framework name (non-empty, no "/"), got ${show(name)}` });
          return;
        }
        const prev = seen.get(name);
        if (prev !== undefined) {
          problems.push({ path: ['frameworks', i], message: `"${name}" is listed twice (also frameworks[${prev}])` });
          return;
        }
        seen.set(name, i);
        frameworks!.push(name);
      });
    }
  }

  let layout: StaticLayout = STATIC_LAYOUTS.blocks;
  const l = params['layout'];
  if (l !== undefined) {
    if (l === STATIC_LAYOUTS.blocks || l === STATIC_LAYOUTS.interleaved) layout = l;
    else problems.push({ path: ['layout'], message: `expected "blocks" or "interleaved", got ${show(l)}` });
  }

  let agents: number | undefined;
  const n = params['agents'];
  if (n !== undefined) {
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) agents = n;
    else problems.push({ path: ['agents'], message: `expected an integer >= 1, got ${show(n)}` });
  }

  return { value: { frameworks, layout, agents }, problems };
}

/**
 * The run's context as the inner allocator sees it: an agent outside a framework's partition
 * looks filtered for it. One instance, re-aimed at each run's context, so a run allocates nothing.
 */
class PartitionedContext implements AllocationContext {
  ctx: AllocationContext | undefined;

  constructor(private readonly rule: AgentEligibility) {}

  available(agent: AgentIx, out: Float64Array, offset?: number): void {
    this.target().available(agent, out, offset);
  }

  isAllocatable(res: Float64Array, offset?: number): boolean {
    return this.target().isAllocatable(res, offset);
  }

  isFiltered(fw: FrameworkIx, agent: AgentIx, res: Float64Array, offset?: number): boolean {
    return !this.rule.isEligible(fw, agent) || this.target().isFiltered(fw, agent, res, offset);
  }

  nextTaskDemand(fw: FrameworkIx, out: Float64Array): boolean {
    return this.target().nextTaskDemand(fw, out);
  }

  reservedAvailable(agent: AgentIx, role: string, out: Float64Array): boolean {
    return this.target().reservedAvailable(agent, role, out);
  }

  offer(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector): void {
    if (!this.rule.isEligible(fw, agent)) {
      throw new Error(`allocator ${STATIC}: offer to framework ${fw} of agent ${agent}, outside its partition`);
    }
    if (reserved === undefined) this.target().offer(fw, agent, res);
    else this.target().offer(fw, agent, res, reserved);
  }

  private target(): AllocationContext {
    if (this.ctx === undefined) throw new Error(`allocator ${STATIC}: context used outside a run`);
    return this.ctx;
  }
}

/**
 * Static partitioning over a `drf` allocator.
 *
 * Agents are numbered 0, 1, ... in the order they first register (an agent that leaves and comes
 * back keeps its number); partitions are numbered 0 .. F-1, one per framework (by the
 * `frameworks` list, else by registration order). Which partition owns agent i follows from
 * (i, N, F) and the layout alone, so it is deterministic; with the defaults N and F are the
 * counts registered so far, so a framework or agent registering later re-splits the cluster (offers
 * already made stand). Frameworks that register at the same instant as the agents are all known
 * before that instant's allocation run, so "16 frameworks on 93 agents" gives each framework a
 * block of 5 or 6 agents from the first run on.
 *
 * Inside its partition a framework is treated exactly as under `drf` (whole-agent offers or the
 * chosen granularity, filters, suppress and revive, the same agent shuffles and so the same
 * draws): the partition only hides the other agents, as if filtered. An agent whose owner is
 * suppressed, filtered or absent stays unoffered: static partitioning is not work-conserving.
 */
export class StaticPartitionAllocator extends WrappedAllocator implements AgentEligibility {
  readonly name = STATIC;
  private readonly params: StaticParams;
  protected readonly inner: HierarchicalAllocator;
  private readonly view: PartitionedContext;
  /** Partition of each listed framework name; undefined without a `frameworks` list. */
  private readonly listed: ReadonlyMap<string, number> | undefined;
  /** Partition of each registered framework by index, -1 for none. */
  private slot: Int32Array = new Int32Array(16).fill(-1);
  /** Without a list: frameworks registered so far (highest index + 1); each keeps its partition. */
  private registered = 0;
  /** Number of each agent by index, -1 before it registers. */
  private rank: Int32Array = new Int32Array(64).fill(-1);
  private agentsSeen = 0;

  /** A static-partition allocator; `options.params` see {@link STATIC_PARAMS} (all optional). */
  constructor(options: AllocatorOptions = {}) {
    super();
    const { params, ...rest } = options;
    this.params = parseStaticParams(params);
    this.listed = this.params.frameworks === undefined ? undefined : new Map(this.params.frameworks.map((name, k) => [name, k]));
    this.inner = new HierarchicalAllocator({ ...rest, name: STATIC, roleSorter: 'drf', frameworkSorter: 'drf' });
    this.view = new PartitionedContext(this);
  }

  /** Number of partitions F now. */
  partitions(): number {
    return this.listed === undefined ? this.registered : this.listed.size;
  }

  /** The partition that owns `agent` now, or -1 (not registered, or no partitions yet). */
  ownerOf(agent: AgentIx): number {
    const i = agent < this.rank.length ? this.rank[agent]! : -1;
    const f = this.partitions();
    if (i < 0 || f === 0) return -1;
    if (this.params.layout === STATIC_LAYOUTS.interleaved) return i % f;
    const n = this.params.agents ?? this.agentsSeen;
    return Math.floor(((i % n) * f) / n);
  }

  /** The partition of framework `fw`, or -1 (unknown, or not listed). */
  partitionOf(fw: FrameworkIx): number {
    return fw < this.slot.length ? this.slot[fw]! : -1;
  }

  isEligible(fw: FrameworkIx, agent: AgentIx): boolean {
    const s = this.partitionOf(fw);
    return s >= 0 && s === this.ownerOf(agent);
  }

  override addFramework(fw: FrameworkInfo): void {
    this.inner.addFramework(fw);
    if (fw.index >= this.slot.length) this.slot = resized(this.slot, Math.max(fw.index + 1, this.slot.length * 2), -1);
    if (this.listed === undefined) {
      this.slot[fw.index] = fw.index;
      this.registered = Math.max(this.registered, fw.index + 1);
    } else {
      this.slot[fw.index] = this.listed.get(fw.name) ?? -1;
    }
  }

  override removeFramework(fw: FrameworkIx): void {
    this.inner.removeFramework(fw);
    // Without a list the partition stays with the index (idle), so that no other moves.
    this.slot[fw] = -1;
  }

  override addAgent(agent: AgentIx, total: ResourceVector, reserved?: readonly Reservation[]): void {
    this.inner.addAgent(agent, total, reserved);
    if (agent >= this.rank.length) this.rank = resized(this.rank, Math.max(agent + 1, this.rank.length * 2), -1);
    if (this.rank[agent] === -1) this.rank[agent] = this.agentsSeen++;
  }

  override removeAgent(agent: AgentIx, total: ResourceVector): void {
    // The agent keeps its number: if it comes back it is in the same partition.
    this.inner.removeAgent(agent, total);
  }

  override allocate(ctx: AllocationContext, agents: readonly AgentIx[], rng: Rng): void {
    this.view.ctx = ctx;
    try {
      this.inner.allocate(this.view, agents, rng);
    } finally {
      this.view.ctx = undefined;
    }
  }
}
