/**
 * The allocators offersim knows, by name, for scenarios and `offersim list allocators`.
 * Imports only allocator modules; no clock, no queue, no I/O.
 */
import { HierarchicalAllocator } from './hierarchical.js';
import type { AllocatorEntry, AllocatorOptions } from './types.js';

const ENTRIES: readonly AllocatorEntry[] = [
  {
    name: 'drf',
    description:
      'Mesos default: hierarchical allocator, DRF role sorter and DRF framework sorters (whole-agent offers, no quota)',
    create: (options: AllocatorOptions) =>
      new HierarchicalAllocator({ ...options, name: 'drf', roleSorter: 'drf', frameworkSorter: 'drf' }),
  },
  {
    name: 'random',
    description:
      'Hierarchical allocator with weighted random role and framework sorters (Mesos --role_sorter=random --framework_sorter=random)',
    create: (options: AllocatorOptions) =>
      new HierarchicalAllocator({ ...options, name: 'random', roleSorter: 'random', frameworkSorter: 'random' }),
  },
];

const BY_NAME: ReadonlyMap<string, AllocatorEntry> = new Map(ENTRIES.map((e) => [e.name, e]));

const SORTED: readonly AllocatorEntry[] = Object.freeze(
  [...ENTRIES].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
);

/** The entry registered under `name`, or undefined (the caller reports an unknown name). */
export function getAllocator(name: string): AllocatorEntry | undefined {
  return BY_NAME.get(name);
}

/** Every registered entry, sorted by name. */
export function listAllocators(): readonly AllocatorEntry[] {
  return SORTED;
}

/** The registered names, sorted. */
export function allocatorNames(): readonly string[] {
  return SORTED.map((e) => e.name);
}
