/**
 * The Sorter seam, mirroring Mesos `sorter/sorter.hpp`: it only answers "in which order do
 * clients get resources". Imports only types (resource vectors, the kernel's random-stream type);
 * no clock, no queue, no I/O, no ambient randomness (random draws come from the stream passed in).
 */
import type { Rng } from '../../sim/kernel/rng.js';
import type { ResourceVector } from '../../sim/model/resources.js';

/**
 * A client's handle in one sorter (see {@link Sorter.handleOf}): a small integer >= 0 at run time,
 * branded so that it is not taken for a framework or agent index (an allocation loop holds both).
 */
export type ClientHandle = number & { readonly __brand: 'ClientHandle' };

/** What a walk answers at its end (and {@link Sorter.first} when no client is active). */
export const NO_CLIENT = -1 as ClientHandle;

/**
 * A policy that ranks clients. Clients are '/'-separated paths ('eng', 'eng/batch') forming a
 * tree; a client that is also a parent of other clients competes with its children through a
 * virtual '.' leaf, as in Mesos. Resource arguments are fixed-point vectors read at `offset`
 * (default 0) and copied, never kept.
 *
 * Two ways to read the order, which always agree: {@link sort} lists it (Mesos `sort()`), and a
 * walk ({@link first}, {@link next}) visits it best first, one client handle at a time, so that an
 * allocation loop that stops at its first taker never pays for the whole order. A sorter that can
 * only list its order walks the list.
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

  // ---- the walk: what an allocation loop uses
  /**
   * The handle of `client`: a small integer >= 0 naming it in a walk, the same from one call to
   * the next until a client is added or removed (then ask again). Throws for an unknown client.
   */
  handleOf(client: string): ClientHandle;
  /** The client a handle stands for. */
  clientOf(handle: ClientHandle): string;
  /**
   * Starts a walk over the active clients in {@link sort}'s order and returns the first one's
   * handle, or {@link NO_CLIENT} when there is none. A randomised sorter draws from `rng` exactly as `sort` does
   * (so a walk and a sort from the same stream give the same order); others ignore it. Any change
   * to the sorter (an allocation included) ends the walk: an allocation loop books what it gives
   * during a walk and tells the sorter after it.
   */
  first(rng: Rng): ClientHandle;
  /** The next client of the walk {@link first} started, as its handle; {@link NO_CLIENT} at the end. */
  next(): ClientHandle;
  /** {@link allocated} by handle, without the name lookup. */
  allocatedAt(handle: ClientHandle, res: Float64Array, offset?: number): void;
  /** {@link unallocated} by handle, without the name lookup. */
  unallocatedAt(handle: ClientHandle, res: Float64Array, offset?: number): void;

  // ---- keyed order (optional): what a walk over some of the clients needs
  /**
   * Whether the walk's order is the order of the active clients by a key of each (a ranked, flat
   * share sorter: share, then allocation count, then path), so that the walk restricted to some
   * clients is their order by {@link compareClients}; it readies the keys for it (a pending
   * re-sort happens now). Draws nothing. The keys stay valid until the sorter changes otherwise
   * than by {@link allocatedAt}, which changes its one client's key. Sorters without it are
   * never keyed.
   */
  keyed?(): boolean;
  /** With {@link keyed}: a three-way comparison of two active clients in walk order (never 0 for two). */
  compareClients?(a: ClientHandle, b: ClientHandle): number;
}

/** What a loop walks: a sorter, or an order taken from one. */
export type Walk = Pick<Sorter, 'first' | 'next'>;

/** Options every sorter accepts. */
export interface SorterOptions {
  /**
   * Resource names left out of the share (Mesos --fair_sharing_excluded_resource_names), each one
   * of RESOURCE_NAMES; default none. Only the sorters that compute shares use it.
   */
  readonly excludedResources?: readonly string[];
  /**
   * Whether a walk of a flat share sorter may search a heap best first instead of listing the
   * whole order; default true. The order is the same (a test compares both); false keeps the
   * straightforward walk. Sorters without shares ignore it.
   */
  readonly ranked?: boolean;
}
