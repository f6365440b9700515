/**
 * Small clusters for allocator properties: a fake master set up from plain data that
 * fast-check generates. Test-only (excluded from the build); imports the fake master, allocator
 * types and the pure resource helpers.
 */
import { resources } from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import type { Allocator } from '../../sim/model/allocation-port.js';
import { MiniMaster, type RecordedOffer } from './fake-context.js';

/** A cluster as plain data. */
export interface SmallCluster {
  /** Agents in order, in cores and MB. */
  readonly agents: readonly { readonly cpus: number; readonly mem: number }[];
  /** Frameworks in order: framework i is `fw${i}` in `role`, suppressed unless `active`. */
  readonly fws: readonly { readonly role: string; readonly active: boolean }[];
  /** Refuse filters as (framework, agent) pairs: each blocks everything of it there. */
  readonly filters: readonly (readonly [number, number])[];
}

/** A fake master over `allocator` with the cluster's agents, frameworks and filters, in that order. */
export function masterOf(allocator: Allocator, c: SmallCluster): MiniMaster {
  const m = new MiniMaster(allocator, c.agents.length);
  for (const a of c.agents) m.addAgent(resources({ cpus: a.cpus, mem: a.mem }));
  c.fws.forEach((f, i) => {
    const fw = m.addFramework(`fw${i}`, f.role);
    if (!f.active) allocator.deactivateFramework(fw);
  });
  for (const [f, a] of c.filters) m.ctx.filter(f, a);
  return m;
}

/**
 * One allocation run over every agent, which must stay within the free resources (no violation);
 * returns the offers and the agents' free resources before the run.
 */
export function runOnce(m: MiniMaster, rng: Rng): { free: Float64Array; made: RecordedOffer[] } {
  const free = Float64Array.from(m.ctx.free);
  const made = m.run(rng);
  expect(m.ctx.violations).toEqual([]);
  return { free, made };
}
