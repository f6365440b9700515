/**
 * Builds a sorter by kind (Mesos --role_sorter / --framework_sorter).
 * Imports only the sorters; no clock, no queue, no I/O.
 */
import { DrfSorter } from './drf-sorter.js';
import { FifoSorter } from './fifo-sorter.js';
import { RandomSorter } from './random-sorter.js';
import { ShareSorter } from './share-sorter.js';
import type { Sorter, SorterKind, SorterOptions } from './sorter.js';

/** A new, empty sorter of the given kind; `options.excludedResources` default none. */
export function createSorter(kind: SorterKind, options: SorterOptions = {}): Sorter {
  switch (kind) {
    case 'drf':
      return new DrfSorter(options);
    case 'random':
      return new RandomSorter(options);
    case 'asset':
      return new ShareSorter({ ...options, share: 'asset' });
    case 'fifo':
      return new FifoSorter(options);
    default:
      return assertNever(kind);
  }
}

function assertNever(x: never): never {
  throw new Error(`unknown sorter kind: ${String(x)}`);
}
