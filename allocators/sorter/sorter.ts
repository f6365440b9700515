/**
 * The Sorter seam, mirroring Mesos `sorter/sorter.hpp`: it only answers "in which order do
 * clients get resources". Imports only types (allocator types, resource vectors); no clock,
 * no queue, no I/O, no ambient randomness (random draws come from the stream passed to sort).
 */
import type { ResourceVector } from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';

/**
 * A policy that ranks clients. Clients are '/'-separated paths ('eng', 'eng/batch') forming a
 * tree; a client that is also a parent of other clients competes with its children through a
 * virtual '.' leaf, as in Mesos. Resource arguments are fixed-point vectors read at `offset`
 * (default 0) and copied, never kept.
 *
 * Broken invariants (unknown client, duplicate add, unallocating more than was allocated, a
 * total going negative) throw at once: the caller is the allocator, so they are bugs.
 */
export interface Sorter {
  /** Adds a client, **inactive** as in Mesos: call {@link activate} to rank it. */
  add(client: string): void;
  /** Removes a client (and any internal nodes it alone kept alive); its allocation leaves the tree. */
  remove(client: string): void;
  /** Whether `client` was added and not removed. */
  contains(client: string): boolean;
  /** Number of clients (active and inactive). */
  count(): number;
  /** Makes the client rankable (no-op when already active). */
  activate(client: string): void;
  /** Leaves the client out of {@link sort} (no-op when already inactive); its allocation still counts. */
  deactivate(client: string): void;
  /**
   * Sets the weight of the node at `path` (a client or an internal node; it may not exist yet).
   * Unitless, > 0; default 1. A weight acts against the node's siblings, not its children.
   */
  updateWeight(path: string, weight: number): void;
  /** `res` was offered or allocated to `client`: it counts toward the client's and its ancestors' share. */
  allocated(client: string, res: Float64Array, offset?: number): void;
  /** `res` (previously {@link allocated}) came back from `client`. */
  unallocated(client: string, res: Float64Array, offset?: number): void;
  /** What `client` holds now (a fresh copy, fixed point). */
  allocation(client: string): ResourceVector;
  /** Adds to the cluster totals that shares are relative to (an agent joined). */
  addTotal(res: Float64Array, offset?: number): void;
  /** Subtracts from the cluster totals (an agent left). */
  removeTotal(res: Float64Array, offset?: number): void;
  /**
   * The active clients in allocation order. Randomised sorters draw from `rng`; others ignore
   * it. The array belongs to the sorter and must not be modified; it stays valid (unchanged)
   * after later calls, which build a new array when the order changes.
   */
  sort(rng: Rng): readonly string[];
}

/**
 * The sorter kinds: Mesos's two for `--role_sorter` and `--framework_sorter` ('drf', 'random'),
 * and offersim's own for the classic alternatives: 'asset' (asset fairness: the sum of the
 * per-resource shares instead of DRF's max) and 'fifo' (first added, first served).
 */
export const SORTER_KINDS = { drf: 'drf', random: 'random', asset: 'asset', fifo: 'fifo' } as const;
/** One of {@link SORTER_KINDS}. */
export type SorterKind = (typeof SORTER_KINDS)[keyof typeof SORTER_KINDS];

/** Options every sorter accepts. */
export interface SorterOptions {
  /**
   * Resource names left out of the share (Mesos --fair_sharing_excluded_resource_names), each one
   * of RESOURCE_NAMES; default none. Only the DRF sorter computes shares.
   */
  readonly excludedResources?: readonly string[];
}
