/**
 * FIFO by framework registration: each agent goes to the earliest-registered framework that is
 * active and not filtered there; roles, weights and shares are ignored. Imports only allocator
 * modules; no clock, no queue, no I/O.
 */
import type { ResourceVector } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import type { AllocationContext, Allocator, AllocatorOptions, FrameworkInfo, RandomSource, Reservation } from './types.js';

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
export class FifoAllocator implements Allocator {
  readonly name = FIFO;
  private readonly inner: HierarchicalAllocator;

  /** A FIFO allocator; it takes no parameters, and `options.excludedResources` has no effect (names still checked). */
  constructor(options: AllocatorOptions = {}) {
    const { params: _params, ...rest } = options;
    this.inner = new HierarchicalAllocator({ ...rest, name: FIFO, roleSorter: 'fifo', frameworkSorter: 'fifo' });
  }

  /** Role weights do not rank anything under FIFO: ignored. */
  setWeight(_role: string, _weight: number): void {}

  addFramework(fw: FrameworkInfo): void {
    // Ranked under one role, but offered the reservations of its own role (and its ancestors').
    this.inner.addFramework({ index: fw.index, name: fw.name, role: ONE_ROLE }, fw.role);
  }

  removeFramework(fw: number): void {
    this.inner.removeFramework(fw);
  }

  activateFramework(fw: number): void {
    this.inner.activateFramework(fw);
  }

  deactivateFramework(fw: number): void {
    this.inner.deactivateFramework(fw);
  }

  addAgent(agent: number, total: ResourceVector, reserved?: readonly Reservation[]): void {
    this.inner.addAgent(agent, total, reserved);
  }

  removeAgent(agent: number, total: ResourceVector): void {
    this.inner.removeAgent(agent, total);
  }

  recover(fw: number, agent: number, res: ResourceVector, reserved?: ResourceVector): void {
    this.inner.recover(fw, agent, res, reserved);
  }

  allocate(ctx: AllocationContext, agents: readonly number[], rng: RandomSource): void {
    this.inner.allocate(ctx, agents, rng);
  }
}
