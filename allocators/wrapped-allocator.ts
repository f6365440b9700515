/**
 * A policy built on the hierarchical allocator: every lifecycle call goes to the inner allocator
 * unless the policy overrides it. Imports only allocator modules; no clock, no queue, no I/O.
 */
import type { ResourceVector } from '../sim/model/resources.js';
import type { HierarchicalAllocator } from './hierarchical.js';
import type { Rng } from '../sim/kernel/rng.js';
import type { AllocationContext, Allocator, FrameworkInfo, Reservation } from '../sim/model/allocation-port.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** Forwards every Allocator call to `inner`; subclasses override what their policy changes. */
export abstract class WrappedAllocator implements Allocator {
  abstract readonly name: string;
  /** the allocator doing the work: offers, filters, suppress and revive, shuffles */
  protected abstract readonly inner: HierarchicalAllocator;

  setWeight(role: string, weight: number): void {
    this.inner.setWeight(role, weight);
  }
  addFramework(fw: FrameworkInfo): void {
    this.inner.addFramework(fw);
  }
  removeFramework(fw: FrameworkIx): void {
    this.inner.removeFramework(fw);
  }
  activateFramework(fw: FrameworkIx): void {
    this.inner.activateFramework(fw);
  }
  deactivateFramework(fw: FrameworkIx): void {
    this.inner.deactivateFramework(fw);
  }
  addAgent(agent: AgentIx, total: ResourceVector, reserved?: readonly Reservation[]): void {
    this.inner.addAgent(agent, total, reserved);
  }
  removeAgent(agent: AgentIx, total: ResourceVector): void {
    this.inner.removeAgent(agent, total);
  }
  recover(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector): void {
    this.inner.recover(fw, agent, res, reserved);
  }
  recoverSum(fw: FrameworkIx, res: ResourceVector, reserved?: ResourceVector): void {
    this.inner.recoverSum(fw, res, reserved);
  }
  reserve(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void {
    this.inner.reserve(fw, agent, role, res);
  }
  unreserve(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void {
    this.inner.unreserve(fw, agent, role, res);
  }
  allocate(ctx: AllocationContext, agents: readonly AgentIx[], rng: Rng): void {
    this.inner.allocate(ctx, agents, rng);
  }
  quotaRoles(): number {
    return this.inner.quotaRoles();
  }
}
