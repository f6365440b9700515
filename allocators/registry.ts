/**
 * The allocators offersim knows, by name, for scenarios and `offersim list allocators`: a
 * hierarchical policy for every sorter that is one (sorter/registry.ts), and the policies built
 * otherwise. Imports only allocator modules; no clock, no queue, no I/O.
 */
import { CPU_SHARE, createCpuShareAllocator } from './cpu-share.js';
import { FIFO, FifoAllocator } from './fifo.js';
import { HIERARCHICAL_PARAMS, HierarchicalAllocator, validateHierarchicalParams } from './hierarchical.js';
import { PRIORITY, PRIORITY_PARAMS, PriorityAllocator, validatePriorityParams } from './priority.js';
import { listSorters, type SorterEntry } from './sorter/registry.js';
import { STATIC, STATIC_PARAMS, StaticPartitionAllocator, validateStaticParams } from './static-partition.js';
import type { ArchitectureName } from '../sim/model/architectures/architecture.js';
import type { AllocatorEntry, AllocatorOptions } from './types.js';

/**
 * A sorter that is a policy on its own (SorterEntry.policy): the hierarchical allocator with it
 * for roles and frameworks, taking quota.
 */
function sorterPolicy(sorter: SorterEntry & { readonly policy: string }): AllocatorEntry {
  return {
    name: sorter.name,
    description: sorter.policy,
    params: HIERARCHICAL_PARAMS,
    validate: (params) => validateHierarchicalParams(sorter.name, params),
    create: (options: AllocatorOptions) => new HierarchicalAllocator({ ...options, name: sorter.name, roleSorter: sorter.name, frameworkSorter: sorter.name }),
  };
}

/**
 * A name that selects a scheduling architecture other than offers, with drf ordering the
 * frameworks inside it (sim/model/architectures/): the architecture is the run's, not the
 * policy's, and the policy is drf itself (its ranking port; no allocation run happens). Kept as
 * allocator names so that scenarios, sweeps over `allocator` and the policies table name them.
 */
function architectureName(architecture: Exclude<ArchitectureName, 'offers'>, description: string): AllocatorEntry {
  return {
    name: architecture,
    description,
    architecture,
    create: (options: AllocatorOptions) => new HierarchicalAllocator({ ...options, name: 'drf', roleSorter: 'drf', frameworkSorter: 'drf' }),
  };
}

const ENTRIES: readonly AllocatorEntry[] = [
  ...listSorters().flatMap((s) => (s.policy === undefined ? [] : [sorterPolicy({ ...s, policy: s.policy })])),
  {
    name: PRIORITY,
    description:
      'Strict priority between roles (params.priorities: role -> level, higher first), DRF among the roles of a level and among the frameworks of a role',
    params: PRIORITY_PARAMS,
    validate: validatePriorityParams,
    starves: 'a higher level is served first for as long as it takes',
    create: (options: AllocatorOptions) => new PriorityAllocator(options),
  },
  {
    name: FIFO,
    description: 'FIFO by registration: each agent goes whole to the earliest-registered active, unfiltered framework; roles, weights and shares ignored',
    params: [],
    starves: 'the first framework is served for as long as it accepts',
    create: (options: AllocatorOptions) => new FifoAllocator(options),
  },
  {
    name: CPU_SHARE,
    description: 'Single-resource fair sharing on cpus: as drf, but a share is cpus held / cpus total / weight, memory ignored (what DRF fixes)',
    params: HIERARCHICAL_PARAMS,
    validate: (params) => validateHierarchicalParams(CPU_SHARE, params),
    create: createCpuShareAllocator,
  },
  {
    name: STATIC,
    description:
      'Static partitioning: each framework confined to a fixed block of agents (params: frameworks, layout, agents), offered them whole as under drf',
    params: STATIC_PARAMS,
    validate: validateStaticParams,
    starves: "agents of another framework's partition stay idle",
    create: (options: AllocatorOptions) => new StaticPartitionAllocator(options),
  },
  ...[
    architectureName(
      'monolithic',
      "Non-offer baseline: one central scheduler places each task directly on the first fitting agent, frameworks in the order of drf's sorters (no offers, no filters, no tick)",
    ),
    architectureName(
      'shared-state',
      "Non-offer baseline, Omega-style: every framework sees the whole free cluster and commits its own placements optimistically, taking turns in the order of drf's sorters",
    ),
  ],
];

const BY_NAME: ReadonlyMap<string, AllocatorEntry> = new Map(ENTRIES.map((e) => [e.name, e]));

const SORTED: readonly AllocatorEntry[] = Object.freeze([...ENTRIES].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));

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
