/**
 * Ranking-only policies: a policy that only says how to order clients gives a share function, and
 * runs as the hierarchical allocator with a share sorter of that function for roles and for
 * frameworks (the whole offer machinery, quota aside, is drf's). A user module may be one.
 * Imports only allocator modules; no clock, no queue, no I/O.
 */
import { HierarchicalAllocator } from './hierarchical.js';
import { ShareSorter, type ShareOf } from './sorter/share-sorter.js';
import type { SorterOptions } from './sorter/sorter.js';
import type { AllocatorEntry, AllocatorOptions, ParamDoc, ParamProblem } from './types.js';

/** A ranking-only policy as a module exports it: `share` where a whole policy has `create`. */
export interface SharePolicyEntry {
  readonly name: string;
  /** one line */
  readonly description: string;
  /** its parameters; default none (then any parameter is a problem) */
  readonly params?: readonly ParamDoc[];
  /** every problem with `params`; default: a problem for each name not in {@link params} */
  validate?(params: Readonly<Record<string, unknown>>): readonly ParamProblem[];
  /**
   * The policy's share function for one run's options (`options.params` already passed by
   * `validate`); see {@link ShareOf}. Called once per run; it may throw to refuse the options.
   */
  share(options: AllocatorOptions): ShareOf;
}

/**
 * The allocator entry of a ranking-only policy: `create` builds the hierarchical allocator with a
 * share sorter of the policy's function for roles and frameworks, the scenario's granularity and
 * excluded resources (zeroed before the function sees them), and no quota (the parameters are the
 * policy's own).
 */
export function sharePolicy(entry: SharePolicyEntry): AllocatorEntry {
  return {
    name: entry.name,
    description: entry.description,
    ...(entry.params === undefined ? {} : { params: entry.params }),
    ...(entry.validate === undefined ? {} : { validate: (params: Readonly<Record<string, unknown>>) => entry.validate!(params) }),
    create: (options: AllocatorOptions) => {
      const share = entry.share(options);
      const sorter = (o: SorterOptions) => new ShareSorter({ ...o, share });
      const { params: _params, ...rest } = options;
      return new HierarchicalAllocator({ ...rest, name: entry.name, roleSorter: sorter, frameworkSorter: sorter });
    },
  };
}

/** Whether a module's export is a ranking-only policy (it has `share` and no `create`). */
export function isSharePolicy(entry: object): entry is SharePolicyEntry {
  const e = entry as Record<string, unknown>;
  return typeof e['create'] !== 'function' && typeof e['share'] === 'function';
}

/** The allocator entry a module's export stands for: itself, or a ranking-only policy's. */
export function policyEntry(entry: AllocatorEntry | SharePolicyEntry): AllocatorEntry {
  return isSharePolicy(entry) ? sharePolicy(entry) : (entry as AllocatorEntry);
}
