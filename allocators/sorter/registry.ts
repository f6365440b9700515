/**
 * The sorters offersim knows, by name (Mesos --role_sorter / --framework_sorter): one row each,
 * from which `createSorter`, the hierarchical policies of the allocator registry and the common
 * sorter test suite all derive. Imports only the sorters; no clock, no queue, no I/O.
 */
import { DrfSorter } from './drf-sorter.js';
import { FifoSorter } from './fifo-sorter.js';
import { RandomSorter } from './random-sorter.js';
import { ShareSorter } from './share-sorter.js';
import type { Sorter, SorterOptions } from './sorter.js';

/** A registered sorter. */
export interface SorterEntry {
  /** Its name, e.g. 'drf' (Mesos --role_sorter=drf). */
  readonly name: string;
  /** One line: how it orders clients. */
  readonly description: string;
  /**
   * The one-line description of the allocation policy of the same name: the hierarchical
   * allocator with this sorter for roles and for frameworks, and quota (`params.quota`). Absent
   * when the sorter is not a policy on its own (fifo's policy is built differently).
   */
  readonly policy?: string;
  /** A new, empty sorter; `options.excludedResources` default none. */
  create(options: SorterOptions): Sorter;
}

const ENTRIES: readonly SorterEntry[] = [
  {
    name: 'drf',
    description: 'dominant resource fairness: lowest weighted dominant share first, then fewest allocations, then path (Mesos default)',
    policy: 'Mesos default: hierarchical allocator, DRF role sorter and DRF framework sorters; quota guarantees and limits (params.quota)',
    create: (options) => new DrfSorter(options),
  },
  {
    name: 'random',
    description: 'a fresh weighted random order for every sort, shares ignored (Mesos --role_sorter=random)',
    policy: 'Hierarchical allocator with weighted random role and framework sorters (Mesos --role_sorter=random --framework_sorter=random); quota as drf',
    create: (options) => new RandomSorter(options),
  },
  {
    name: 'asset',
    description: 'asset fairness: as drf, but a share is the sum over resources of allocation/total instead of the max',
    policy: 'Asset fairness: as drf, but a share is the sum over resources of allocation/total (divided by weight) instead of the max',
    create: (options) => new ShareSorter({ ...options, share: 'asset' }),
  },
  {
    name: 'fifo',
    description: 'first added, first served: shares, weights and the path hierarchy play no part',
    create: (options) => new FifoSorter(options),
  },
];

const BY_NAME: ReadonlyMap<string, SorterEntry> = new Map(ENTRIES.map((e) => [e.name, e]));

/** A registered sorter's name, e.g. 'drf'. */
export type SorterKind = string;

/** The sorter registered under `name`, or undefined. */
export function getSorter(name: string): SorterEntry | undefined {
  return BY_NAME.get(name);
}

/** Every registered sorter, in registration order. */
export function listSorters(): readonly SorterEntry[] {
  return ENTRIES;
}

/**
 * A new, empty sorter: a registered kind by name, or a factory of the caller's own;
 * `options.excludedResources` default none. Throws a RangeError for an unknown name.
 */
export function createSorter(kind: SorterKind | ((options: SorterOptions) => Sorter), options: SorterOptions = {}): Sorter {
  if (typeof kind === 'function') return kind(options);
  const entry = BY_NAME.get(kind);
  if (entry === undefined) {
    throw new RangeError(`unknown sorter '${kind}'; registered: ${ENTRIES.map((e) => e.name).join(', ')}`);
  }
  return entry.create(options);
}
