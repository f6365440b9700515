/**
 * The allocators package: the policy interface, the registry, the hierarchical allocator and
 * its sorters. Imports only allocator modules; no clock, no queue, no I/O.
 */
export type { AllocationContext, Allocator, FrameworkInfo } from '../sim/model/allocation-port.js';
export type { AllocatorEntry, AllocatorOptions } from './types.js';
export { allocatorNames, getAllocator, listAllocators } from './registry.js';
export { HierarchicalAllocator, type HierarchicalOptions, type SorterChoice } from './hierarchical.js';
export { shuffleInPlace } from './offer-loop.js';
export type { Sorter, SorterOptions, Walk } from './sorter/sorter.js';
export { createSorter, getSorter, listSorters, type SorterEntry, type SorterKind } from './sorter/registry.js';
export { DrfSorter } from './sorter/drf-sorter.js';
export { RandomSorter, weightedShuffle } from './sorter/random-sorter.js';
export { FifoSorter } from './sorter/fifo-sorter.js';
export {
  SHARE_FUNCTIONS,
  ShareSorter,
  fairnessMask,
  type ShareFunction,
  type ShareOf,
  type ShareSorterOptions,
} from './sorter/share-sorter.js';
export { isSharePolicy, policyEntry, sharePolicy, type SharePolicyEntry } from './share-policy.js';
export { CPU_SHARE, createCpuShareAllocator } from './cpu-share.js';
export { FIFO, FifoAllocator } from './fifo.js';
export {
  DEFAULT_LEVEL,
  PRIORITY,
  PRIORITY_PARAMS,
  PriorityAllocator,
  parsePriorityParams,
  validatePriorityParams,
  type PriorityParams,
} from './priority.js';
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
