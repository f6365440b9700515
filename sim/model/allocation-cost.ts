/**
 * The allocator cost model: how long an allocation run takes, in simulated time, as a function of
 * the work it does (agents visited, frameworks ranked per agent, quota roles per agent, offers
 * made). Off by default (runs are instantaneous). Imports the kernel's time only.
 */
import { MICROS_PER_SECOND } from '../kernel/time.js';

/** The coefficients of {@link allocationRunCost}, each in microseconds (decimals allowed). */
export interface AllocationCost {
  /** per run */
  readonly perRun: number;
  /** per agent visited (a candidate agent of the run) */
  readonly perAgent: number;
  /** per (agent visited, active framework): the sorters rank every active framework on each agent */
  readonly perAgentFramework: number;
  /** per (agent visited, role with a quota guarantee): the quota stage walks them on each agent */
  readonly perAgentQuotaRole: number;
  /** per offer made */
  readonly perOffer: number;
}

/** What one allocation run did: the inputs of {@link allocationRunCost}. */
export interface AllocationWork {
  /** candidate agents the run visited */
  readonly agents: number;
  /** active frameworks (neither suppressed nor disconnected): the clients the run's sorters rank */
  readonly frameworks: number;
  /** roles with a quota guarantee */
  readonly quotaRoles: number;
  /** offers the run made */
  readonly offers: number;
}

/**
 * The named presets. `mesos-2019` is fitted to the allocator benchmark timings published in
 * apache/mesos commit messages in 2018-2019 (notes/mesos-semantics.md section 2 and G15): timings
 * on developer machines, of unstated hardware, so order-of-magnitude anchors only.
 *
 * - perAgent, perAgentFramework: `HierarchicalAllocator_BENCHMARK_Test.DeclineOffers`
 *   (src/tests/hierarchical_allocator_tests.cpp), every framework in role `*`, one offer per
 *   agent: 10,000 agents x 1,000 frameworks took 1.06 s per run (commit 86653356, 2018) and
 *   10,000 x 3,000 took 2.47 s (median, commit 6abe32f0, 2019). Per agent a + b x F:
 *   b = (2.47 - 1.06) s / (10,000 x 2,000) = 70.5 ns; a = 1.06 s / 10,000 - 1,000 x 70.5 ns
 *   = 106 us - 70.5 us = 35.5 us. Both anchors make one offer per agent, so the cost of an offer
 *   is inside a: perOffer is 0.
 * - perAgentQuotaRole: `HierarchicalAllocator_BENCHMARK_Test.LargeAndSmallQuota/2`
 *   (src/tests/hierarchical_allocator_benchmarks.cpp), 3,000 agents, 3,000 frameworks, 3,000
 *   roles with quota: a cycle making 0 allocations took 13.72 s (commit 73033130, 2019); less
 *   the DeclineOffers terms (3,000 x 35.5 us + 9e6 x 70.5 ns = 0.74 s) over 3,000 x 3,000
 *   (agent, quota role) pairs: 1.44 us.
 * - perRun: a small test master's `allocator/mesos/allocation_run_ms` p50 of 0.147 ms
 *   (influxdata/telegraf PR #5719), taken whole as the fixed cost of a run (an upper bound: the
 *   size of that master is not stated).
 */
export const ALLOCATION_COST_PRESETS = {
  'mesos-2019': { perRun: 147, perAgent: 35.5, perAgentFramework: 0.0705, perAgentQuotaRole: 1.44, perOffer: 0 },
} as const satisfies Readonly<Record<string, AllocationCost>>;

/** One of the names of {@link ALLOCATION_COST_PRESETS}. */
export type AllocationCostPreset = keyof typeof ALLOCATION_COST_PRESETS;

/** Coefficients given in seconds (the scenario's unit; absent = 0) as an {@link AllocationCost} in microseconds. */
export function allocationCostFromSeconds(c: { readonly [K in keyof AllocationCost]?: number | undefined }): AllocationCost {
  const us = (s: number | undefined): number => (s ?? 0) * MICROS_PER_SECOND;
  return {
    perRun: us(c.perRun),
    perAgent: us(c.perAgent),
    perAgentFramework: us(c.perAgentFramework),
    perAgentQuotaRole: us(c.perAgentQuotaRole),
    perOffer: us(c.perOffer),
  };
}

/**
 * A run's simulated duration, integer microseconds (rounded to the nearest, halves up):
 * perRun + agents x (perAgent + frameworks x perAgentFramework + quotaRoles x perAgentQuotaRole)
 * + offers x perOffer.
 * @example allocationRunCost(ALLOCATION_COST_PRESETS['mesos-2019'], { agents: 10_000, frameworks: 1_000, quotaRoles: 0, offers: 10_000 }) // 1060147
 */
export function allocationRunCost(c: AllocationCost, w: AllocationWork): number {
  const perAgent = c.perAgent + w.frameworks * c.perAgentFramework + w.quotaRoles * c.perAgentQuotaRole;
  return Math.round(c.perRun + w.agents * perAgent + w.offers * c.perOffer);
}
