/**
 * An optional face of an allocator: a policy that confines frameworks to some agents (static
 * partitioning) says which, so that callers and the contract suite can tell "not offered by
 * design" from "forgotten". Imports only allocator types; no clock, no queue, no I/O.
 */
import type { Allocator } from '../sim/model/allocation-port.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** Which agents a framework may be offered at all, whatever filters and suppression say. */
export interface AgentEligibility {
  /** Whether framework `fw` may be offered resources of `agent` now (a pure read). */
  isEligible(fw: FrameworkIx, agent: AgentIx): boolean;
}

/** The allocator's eligibility rule, or undefined when every framework may be offered every agent. */
export function eligibilityOf(allocator: Allocator): AgentEligibility | undefined {
  const candidate = allocator as Allocator & Partial<AgentEligibility>;
  return typeof candidate.isEligible === 'function' ? (candidate as Allocator & AgentEligibility) : undefined;
}
