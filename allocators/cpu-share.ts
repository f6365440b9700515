/**
 * Single-resource fair sharing on cpus: the hierarchical allocator with DRF sorters that count
 * cpus alone, so the share is cpus held / cpus total / weight and memory never counts: the
 * slot-style fairness DRF was designed to fix. Imports only allocator modules and the pure
 * resource helpers; no clock, no queue, no I/O.
 */
import { RESOURCE_NAMES } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { fairnessMask } from './sorter/share-sorter.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import type { AllocatorOptions } from './types.js';

/** Registry name of {@link createCpuShareAllocator}. */
export const CPU_SHARE = 'cpu-share';

/** Every resource but cpus: a dominant share over cpus alone is the cpus share. */
const ALL_BUT_CPUS: readonly string[] = Object.freeze(RESOURCE_NAMES.filter((n) => n !== 'cpus'));

/**
 * A cpu-share allocator. Everything but the share is the `drf` allocator's, parameters (quota)
 * included. The share is fixed to cpus, so `options.excludedResources` has no effect; its names
 * are still checked, so that a typo fails the same under every policy.
 */
export function createCpuShareAllocator(options: AllocatorOptions = {}): Allocator {
  fairnessMask(options.excludedResources);
  const { excludedResources: _excluded, ...rest } = options;
  return new HierarchicalAllocator({
    ...rest,
    name: CPU_SHARE,
    roleSorter: 'drf',
    frameworkSorter: 'drf',
    excludedResources: ALL_BUT_CPUS,
  });
}
