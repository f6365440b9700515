/**
 * The allocators package: the policy interface, the registry, the hierarchical allocator and
 * its sorters. Imports only allocator modules; no clock, no queue, no I/O.
 */
export type {
  AllocationContext,
  Allocator,
  AllocatorEntry,
  AllocatorOptions,
  FrameworkInfo,
  RandomSource,
} from './types.js';
export { allocatorNames, getAllocator, listAllocators } from './registry.js';
export { HierarchicalAllocator, shuffleInPlace, type HierarchicalOptions } from './hierarchical.js';
export { SORTER_KINDS, type Sorter, type SorterKind, type SorterOptions } from './sorter/sorter.js';
export { createSorter } from './sorter/create-sorter.js';
export { DrfSorter, fairnessMask } from './sorter/drf-sorter.js';
export { RandomSorter, weightedShuffle } from './sorter/random-sorter.js';
