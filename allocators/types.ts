/**
 * What a registered policy is: its entry (name, description, parameters, factory) and the options
 * its factory receives. The allocation port itself (Allocator, AllocationContext, FrameworkInfo,
 * Reservation, offer granularities) belongs to the model, sim/model/allocation-port.ts, and is
 * re-exported here for user code. Imports types only from sim/model; no clock, no queue, no I/O.
 */
import type { ArchitectureName } from '../sim/model/architectures/architecture.js';
import type { Allocator, OfferGranularity } from '../sim/model/allocation-port.js';

export type { AllocationContext, Allocator, FrameworkInfo, OfferGranularity, Reservation } from '../sim/model/allocation-port.js';
export { OFFER_GRANULARITIES } from '../sim/model/allocation-port.js';

/** Options every allocator factory receives from the scenario (each documented with its default). */
export interface AllocatorOptions {
  /** Resource names left out of fair-share computation (Mesos --fair_sharing_excluded_resource_names); default none. */
  readonly excludedResources?: readonly string[];
  /** How much of an agent one offer carries; default 'agent' (whole agent, as Mesos). */
  readonly granularity?: OfferGranularity;
  /** The policy's parameters from the scenario's `allocator.params`, already checked by the entry's `validate`; default {}. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** One documented parameter of a policy, for docs and `offersim list`. */
export interface ParamDoc {
  readonly name: string;
  /** what it does, with its unit */
  readonly description: string;
  /** its default, as a scenario would write it */
  readonly default: string;
}

/** A problem with a policy's parameters: a path inside `params` and a message. */
export interface ParamProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A registered allocator: a factory plus a one-line description for `offersim list`. */
export interface AllocatorEntry {
  readonly name: string;
  readonly description: string;
  /** its parameters; default none (then any parameter is a problem) */
  readonly params?: readonly ParamDoc[];
  /** every problem with `params`; default: a problem for each name not in {@link params} */
  validate?(params: Readonly<Record<string, unknown>>): readonly ParamProblem[];
  /**
   * The scheduling architecture this name selects: set only on the names that stand for an
   * architecture with drf's order ('monolithic', 'shared-state'; see registry.ts); default
   * 'offers', where the allocator `create` makes offers.
   */
  readonly architecture?: ArchitectureName;
  /**
   * Why this policy may pass over a framework with demand for good while resources are free
   * (serving one framework first for as long as it accepts, strict priority, fixed partitions);
   * default none: the policy is fair, and the contract suite checks that it never starves one.
   */
  readonly starves?: string;
  create(options: AllocatorOptions): Allocator;
}

/** The problems of `params` for an entry: its own check, or unknown names when it has none. */
export function checkParams(entry: AllocatorEntry, params: Readonly<Record<string, unknown>>): readonly ParamProblem[] {
  if (entry.validate !== undefined) return entry.validate(params);
  const known = new Set((entry.params ?? []).map((p) => p.name));
  return Object.keys(params)
    .sort()
    .filter((k) => !known.has(k))
    .map((k) => ({ path: [k], message: `unknown parameter "${k}" of allocator ${entry.name}` }));
}
