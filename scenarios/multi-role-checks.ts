/**
 * The scenario rules of multi-role frameworks (`frameworks[].roles`, Mesos MULTI_ROLE): where they
 * may run, and the roles their workloads name. Composition root (builds the allocator to ask it).
 */
import { getAllocator, listAllocators } from '../allocators/registry.js';
import { allocatorOptions, allocatorSpec, runArchitecture, type Scenario } from './schema.js';

/** Reports a problem at a field path of the scenario. */
type Report = (path: PropertyKey[], message: string) => void;

/**
 * A multi-role framework runs under the offers architecture (the monolithic and shared-state
 * baselines rank one client per framework, YARN has one queue per application) and under a
 * policy that takes several roles (Allocator.multiRole); its `role`, when given, is its first
 * role; a workload's roles are its framework's. A framework of one role names no workload role.
 */
export function multiRoleRules(s: Scenario, report: Report): void {
  s.frameworks.forEach((f, i) => {
    const roles = f.roles;
    const w = f.workload;
    const named: [PropertyKey[], string][] = [];
    if (w?.kind === 'poisson' && w.roles !== undefined) for (const r of Object.keys(w.roles).sort()) named.push([['workload', 'roles', r], r]);
    if (w?.kind === 'inline') w.jobs.forEach((j, k) => j.role !== undefined && named.push([['workload', 'jobs', k, 'role'], j.role]));
    for (const [path, r] of named) {
      if (roles === undefined) report(['frameworks', i, ...path], `role ${r}: only a multi-role framework (frameworks[].roles) names the roles of its jobs`);
      else if (!roles.includes(r)) report(['frameworks', i, ...path], `role ${r} is not one of the framework's roles [${roles.join(', ')}]`);
    }
    if (roles === undefined) return;
    if (f.role !== roles[0]) report(['frameworks', i, 'role'], `a multi-role framework's role is its first role (${roles[0]}): give roles only`);
    const arch = runArchitecture(s);
    if (arch !== 'offers') {
      report(
        ['frameworks', i, 'roles'],
        `multi-role frameworks run under the offers architecture only; the ${arch} architecture ranks one client per framework`,
      );
      return;
    }
    const problem = allocatorProblem(s);
    if (problem !== undefined) report(['frameworks', i, 'roles'], problem);
  });
}

/** Why the scenario's registered allocator cannot take multi-role frameworks, or undefined when it can (or is a user module, checked as it loads). */
function allocatorProblem(s: Scenario): string | undefined {
  const spec = allocatorSpec(s.allocator);
  if (spec.name === undefined) return undefined;
  const entry = getAllocator(spec.name);
  if (entry === undefined) return undefined;
  try {
    if ((entry.create(allocatorOptions(s)) as { multiRole?: boolean }).multiRole === true) return undefined;
  } catch {
    return undefined; // its parameters' problems are reported at allocator.params
  }
  return `allocator "${spec.name}" does not take multi-role frameworks; choose one that does (${multiRolePolicies().join(', ')})`;
}

/** The registered offer policies that take multi-role frameworks. */
function multiRolePolicies(): string[] {
  return listAllocators().flatMap((e) => {
    if (e.architecture !== undefined) return [];
    try {
      return (e.create({ params: {}, excludedResources: [], granularity: 'agent' }) as { multiRole?: boolean }).multiRole === true ? [e.name] : [];
    } catch {
      return [];
    }
  });
}
