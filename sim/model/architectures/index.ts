/**
 * The scheduling architectures, one module each: how tasks reach agents. 'offers' (offers.ts:
 * two-level, Mesos), 'monolithic' (monolithic.ts) and 'shared-state' (shared-state.ts, Omega),
 * the last two on the shared machinery of direct.ts; architecture.ts is the seam the master
 * calls. The allocation policy orders clients inside any of them. Imports the kernel and model
 * modules.
 */
import type { FrameworkBehaviour } from '../framework.js';
import type { Architecture, ArchitectureName } from './architecture.js';
import { nextTaskProblem, type ArchitectureDeps } from './direct.js';
import { MonolithicScheduler } from './monolithic.js';
import { OffersArchitecture } from './offers.js';
import { headJobProblem, SharedStateScheduler } from './shared-state.js';
import { YarnResourceManager } from './yarn.js';

export { ARCHITECTURES, type Architecture, type ArchitectureName } from './architecture.js';
export type { ArchitectureDeps } from './direct.js';

/** One architecture: how to build it, and what it needs of a framework's behaviour. */
interface ArchitectureEntry {
  create(deps: ArchitectureDeps): Architecture;
  /** Why framework `name` cannot run under it with `behaviour`, or undefined; default: any runs. */
  behaviourProblem?(name: string, behaviour: FrameworkBehaviour): string | undefined;
}

const ENTRIES: Readonly<Record<ArchitectureName, ArchitectureEntry>> = {
  offers: { create: (deps) => new OffersArchitecture(deps) },
  monolithic: { create: (deps) => new MonolithicScheduler(deps), behaviourProblem: nextTaskProblem },
  'shared-state': {
    create: (deps) => new SharedStateScheduler(deps),
    behaviourProblem: (name, b) => nextTaskProblem(name, b) ?? headJobProblem(name, b),
  },
  yarn: {
    create: (deps) => new YarnResourceManager(deps),
    behaviourProblem: (name, b) =>
      b.takeJobTask === undefined
        ? `framework ${name} (${b.kind}) cannot run under yarn: its behaviour does not let an ApplicationMaster launch its tasks`
        : undefined,
  },
};

/**
 * The architecture `name` of a run, built on `deps`. Throws an Error naming the first of
 * `frameworks` whose behaviour cannot run under it (the scenario layer reports that first).
 */
export function createArchitecture(
  name: ArchitectureName,
  deps: ArchitectureDeps,
  frameworks: readonly { readonly name: string; readonly behaviour: FrameworkBehaviour }[],
): Architecture {
  const entry = ENTRIES[name];
  for (const f of frameworks) {
    const problem = entry.behaviourProblem?.(f.name, f.behaviour);
    if (problem !== undefined) throw new Error(problem);
  }
  return entry.create(deps);
}
