/**
 * Asset fairness (DRF paper §2): the hierarchical allocator with 'asset' role and framework
 * sorters, which rank by the sum over resources of allocation / total (divided by weight)
 * instead of DRF's max. Imports only allocator modules; no clock, no queue, no I/O.
 */
import { HierarchicalAllocator } from './hierarchical.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import type { AllocatorOptions } from './types.js';

/** Registry name of {@link createAssetAllocator}. */
export const ASSET = 'asset';

/**
 * An asset-fairness allocator. Everything but the share is the `drf` allocator's: whole-agent
 * offers (or the chosen granularity), filters, suppress and revive, tie-breaks by allocation
 * count then name, and the `drf` parameters (quota). `options.excludedResources` (default none)
 * leave resources out of the sum.
 */
export function createAssetAllocator(options: AllocatorOptions = {}): Allocator {
  return new HierarchicalAllocator({ ...options, name: ASSET, roleSorter: 'asset', frameworkSorter: 'asset' });
}
