/**
 * FIFO by framework registration: each agent goes to the earliest-registered framework that is
 * active and not filtered there; roles, weights and shares are ignored. Imports only allocator
 * modules; no clock, no queue, no I/O.
 */
import { HierarchicalAllocator } from './hierarchical.js';
import { WrappedAllocator } from './wrapped-allocator.js';
import type { FrameworkInfo } from '../sim/model/allocation-port.js';
import type { AllocatorOptions } from './types.js';

/** Registry name of {@link FifoAllocator}. */
export const FIFO = 'fifo';

/** The one role every framework is filed under inside: roles do not rank anything here. */
const ONE_ROLE = 'fifo';

/**
 * The hierarchical allocator with one role and a FIFO framework sorter. The offer loop, filters,
 * suppress and revive, granularity and the agent shuffles (so every draw) are the `drf`
 * allocator's. A framework keeps its place through suppress and revive; one that leaves and
 * registers again queues at the back.
 */
export class FifoAllocator extends WrappedAllocator {
  readonly name = FIFO;
  protected readonly inner: HierarchicalAllocator;

  /** A FIFO allocator; it takes no parameters, and `options.excludedResources` has no effect (names still checked). */
  constructor(options: AllocatorOptions = {}) {
    super();
    const { params: _params, ...rest } = options;
    this.inner = new HierarchicalAllocator({ ...rest, name: FIFO, roleSorter: 'fifo', frameworkSorter: 'fifo' });
  }

  /** Role weights do not rank anything under FIFO: ignored. */
  override setWeight(_role: string, _weight: number): void {}

  override addFramework(fw: FrameworkInfo): void {
    // Ranked under one role, but offered the reservations of its own role (and its ancestors').
    this.inner.addFramework({ index: fw.index, name: fw.name, role: ONE_ROLE }, fw.role);
  }
}
