/**
 * The allocator contract's checks, for the suite in allocators/contract.test.ts and for policy
 * tests that check offers the same way: random clusters and master steps, a fake master built
 * from them, and what every run's offers must satisfy. Test-only (excluded from the build);
 * imports allocator types, the fake master, the pure resource helpers and the seeded stream.
 */
import fc from 'fast-check';
import { RandomStream } from '../../sim/kernel/rng.js';
import { NUM_RESOURCES, isEmpty, resources } from '../../sim/model/resources.js';
import { eligibilityOf } from '../eligibility.js';
import type { Rng } from '../../sim/kernel/rng.js';
import type { AllocatorEntry } from '../types.js';
import { MiniMaster, type RecordedOffer } from './fake-context.js';
import { agentIx, frameworkIx } from '../../sim/model/ids.js';

/** Role paths the random clusters use: the default role, two top-level roles and nested ones. */
export const ROLES = ['*', 'a', 'b', 'a/x', 'a/x/y'] as const;

/** A random cluster: agents, frameworks (role, suppressed), role weights, refuse filters. */
export const clusterArb = fc.record({
  agents: fc.array(fc.record({ cpus: fc.nat(16), mem: fc.nat(8192), disk: fc.nat(1000), gpus: fc.nat(2) }), { minLength: 1, maxLength: 10 }),
  frameworks: fc.array(fc.record({ role: fc.constantFrom(...ROLES), suppressed: fc.boolean() }), {
    maxLength: 6,
  }),
  weights: fc.array(
    fc.tuple(
      fc.constantFrom(...ROLES),
      fc.integer({ min: 1, max: 40 }).map((w) => w / 4),
    ),
  ),
  filters: fc.array(fc.tuple(fc.nat(5), fc.nat(9)), { maxLength: 20 }),
  seed: fc.integer(),
});
/** One value of {@link clusterArb}. */
export type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

/** What the master does between runs. */
export const stepArb = fc.oneof(
  fc.constant({ kind: 'run' as const }),
  fc.record({ kind: fc.constant('recover' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('suppress' as const), fw: fc.nat(5) }),
  fc.record({ kind: fc.constant('revive' as const), fw: fc.nat(5) }),
  fc.record({ kind: fc.constant('filter' as const), fw: fc.nat(5), agent: fc.nat(9) }),
  fc.record({ kind: fc.constant('unfilter' as const), fw: fc.nat(5), agent: fc.nat(9) }),
);
/** One value of {@link stepArb}. */
export type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A fake master running `entry.create({})` over the cluster: weights set, agents and frameworks
 * added in order (framework i is `fw${i}`), suppressed ones deactivated, filters in place.
 * `active[i]` says whether framework i is active.
 */
export function buildCluster(entry: AllocatorEntry, c: Cluster): { m: MiniMaster; active: boolean[] } {
  const allocator = entry.create({});
  for (const [role, w] of c.weights) allocator.setWeight(role, w);
  const m = new MiniMaster(allocator, c.agents.length);
  for (const a of c.agents) m.addAgent(resources(a));
  const active: boolean[] = [];
  c.frameworks.forEach((f, i) => {
    const fw = m.addFramework(`fw${i}`, f.role);
    active.push(!f.suppressed);
    if (f.suppressed) allocator.deactivateFramework(fw);
  });
  for (const [fw, agent] of c.filters) m.ctx.filter(fw, agent);
  return { m, active };
}

/**
 * Checks each offer of one run on its own: within free resources (no violation recorded), to an
 * active framework not filtered on the agent and eligible there (see `eligibilityOf`), not
 * empty, allocatable.
 */
export function checkOffers(m: MiniMaster, made: readonly RecordedOffer[], active: readonly boolean[]): void {
  expect(m.ctx.violations).toEqual([]);
  const rule = eligibilityOf(m.allocator);
  for (const o of made) {
    expect(active[o.fw]).toBe(true);
    expect(m.ctx.isBlocked(o.fw, o.agent)).toBe(false);
    expect(rule === undefined || rule.isEligible(o.fw, o.agent)).toBe(true);
    expect(isEmpty(o.res)).toBe(false);
    expect(m.ctx.isAllocatable(o.res)).toBe(true);
  }
}

/**
 * Checks one run's offers against the contract (no quota): {@link checkOffers}, at most one offer
 * per agent, and something offered when it could be. `free` is the agents' free resources before
 * the run.
 */
export function checkRun(m: MiniMaster, made: readonly RecordedOffer[], free: Float64Array, active: readonly boolean[]): void {
  checkOffers(m, made, active);
  const agents = made.map((o) => o.agent);
  expect(new Set(agents).size).toBe(agents.length);
  // Some agent had allocatable free resources and some active framework eligible there was not
  // blocked there: something must be offered.
  const rule = eligibilityOf(m.allocator);
  const eligible = (fw: number, agent: number) => rule === undefined || rule.isEligible(frameworkIx(fw), agentIx(agent));
  const nAgents = free.length / NUM_RESOURCES;
  let offerable = false;
  for (let a = 0; a < nAgents && !offerable; a++) {
    if (!m.ctx.isAllocatable(free, a * NUM_RESOURCES)) continue;
    offerable = active.some((on, fw) => on && !m.ctx.isBlocked(fw, a) && eligible(fw, a));
  }
  if (offerable) expect(made.length).toBeGreaterThan(0);
}

/**
 * What a fake master does between allocation runs: run, recover one held offer (`pick` modulo
 * the held count), suppress, revive or toggle a framework (`fw` modulo the framework count),
 * filter or unfilter a (framework, agent) pair.
 */
export type MasterStep =
  | { readonly kind: 'run' }
  | { readonly kind: 'recover'; readonly pick: number }
  | { readonly kind: 'suppress' | 'revive' | 'toggle'; readonly fw: number }
  | { readonly kind: 'filter' | 'unfilter'; readonly fw: number; readonly agent: number };

/**
 * Runs once, then plays the steps on `m`, keeping `active` (by framework index) up to date;
 * after every run calls `onRun` with the run's offers and the agents' free resources before it.
 * Returns every run's offers as plain data, for comparison.
 */
export function playSteps(
  m: MiniMaster,
  active: boolean[],
  steps: readonly MasterStep[],
  rng: Rng,
  onRun: (made: readonly RecordedOffer[], free: Float64Array) => void,
): number[][][] {
  const log: number[][][] = [];
  const nf = m.frameworks.length;
  for (const s of [{ kind: 'run' as const }, ...steps]) {
    switch (s.kind) {
      case 'run': {
        const free = Float64Array.from(m.ctx.free);
        const made = m.run(rng);
        onRun(made, free);
        log.push(made.map((o) => [o.fw, o.agent, ...o.res]));
        break;
      }
      case 'recover':
        if (m.held.length > 0) m.recover(m.held[s.pick % m.held.length]!);
        break;
      case 'suppress':
      case 'revive':
      case 'toggle': {
        if (nf === 0) break;
        const f = s.fw % nf;
        const on = s.kind === 'toggle' ? !active[f] : s.kind === 'revive';
        if (on === active[f]) break;
        active[f] = on;
        if (on) m.allocator.activateFramework(frameworkIx(f));
        else m.allocator.deactivateFramework(frameworkIx(f));
        break;
      }
      case 'filter':
        m.ctx.filter(s.fw, s.agent);
        break;
      case 'unfilter':
        m.ctx.unfilter(s.fw, s.agent);
        break;
    }
  }
  return log;
}

/**
 * Builds the cluster, then runs once and plays the steps, checking every run with
 * {@link checkRun}; returns every run's offers as plain data for comparison.
 */
export function playContract(entry: AllocatorEntry, c: Cluster, steps: readonly Step[]): number[][][] {
  const { m, active } = buildCluster(entry, c);
  const rng = new RandomStream(c.seed, 'allocator');
  return playSteps(m, active, steps, rng, (made, free) => checkRun(m, made, free, active));
}
