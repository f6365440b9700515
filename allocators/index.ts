/**
 * The allocators package: the allocation policies behind the model's allocation port
 * (sim/model/allocation-port.ts, re-exported here): the registry (registry.ts), the hierarchical
 * allocator (hierarchical.ts) and its one offer loop (offer-loop.ts, with pending-offers.ts,
 * reservation-pools.ts, task-demands.ts), the sorters (sorter/), ranking-only policies
 * (share-policy.ts) and the policies built otherwise (priority, fifo, cpu-share, static).
 * Imports only allocator modules and the port; no clock, no queue, no I/O.
 */
export type { AllocationContext, Allocator, FrameworkInfo } from '../sim/model/allocation-port.js';
export type { AllocatorEntry, AllocatorOptions } from './types.js';
export { allocatorNames, getAllocator, listAllocators } from './registry.js';
export { HierarchicalAllocator, type HierarchicalOptions, type SorterChoice } from './hierarchical.js';
export { shuffleInPlace } from '../sim/kernel/shuffle.js';
export * from './sorter/index.js';
export { isSharePolicy, policyEntry, sharePolicy, type SharePolicyEntry } from './share-policy.js';
export { CPU_SHARE, createCpuShareAllocator } from './cpu-share.js';
export { FIFO, FifoAllocator } from './fifo.js';
export { DEFAULT_LEVEL, PRIORITY, PRIORITY_PARAMS, PriorityAllocator, parsePriorityParams, validatePriorityParams, type PriorityParams } from './priority.js';
export {
  STATIC,
  STATIC_LAYOUTS,
  STATIC_PARAMS,
  StaticPartitionAllocator,
  parseStaticParams,
  validateStaticParams,
  type StaticLayout,
  type StaticParams,
} from './static-partition.js';
export { eligibilityOf, type AgentEligibility } from './eligibility.js';
