/**
 * The DRF sorter, as Mesos `sorter/drf/sorter.cpp` (notes §1.3): the share sorter with the
 * dominant share, so weighted dominant shares over a client tree, ordered by (share, allocation
 * count, path). Imports only the share sorter and types; no clock, no queue, no I/O.
 */
import { SHARE_FUNCTIONS, ShareSorter } from './share-sorter.js';
import type { SorterOptions } from './sorter.js';

/**
 * Dominant resource fairness over a client tree: a {@link ShareSorter} whose share is always
 * 'dominant', max over resources r with total_r > 0 (and not excluded) of allocation_r / total_r,
 * divided by the weight. `share()` is the client's weighted dominant share.
 */
export class DrfSorter extends ShareSorter {
  /** A DRF sorter; `options.excludedResources` default none. */
  constructor(options: SorterOptions = {}) {
    super({ ...options, share: SHARE_FUNCTIONS.dominant });
  }
}
