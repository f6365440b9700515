/**
 * The baselines serve frameworks in the hierarchical allocator's order. On random small cluster
 * states (nested roles and a role that is also a parent, weights on leaves and internal nodes,
 * gpus excluded or not, running tasks with equal shares and different allocation counts), the
 * order in which the monolithic and shared-state baselines serve frameworks (observed through
 * their placements) equals the order in which the registered 'drf' allocator, driven through
 * offers on a fake master, offers an agent to them (observed through its offers).
 */
import fc from 'fast-check';
import { getAllocator } from '../../allocators/registry.js';
import { MiniMaster } from '../../allocators/test-support/fake-context.js';
import { RandomStream } from '../kernel/rng.js';
import { NUM_RESOURCES, resources, type ResourceAmounts } from './resources.js';
import { heldJobs, probeOrder, type HeldState } from './test-support/held-state.js';
import { agentIx } from './ids.js';

/** Role paths: 'b' is also the parent of 'b/c' and 'b/d'; 'e' exists only as an internal node. */
const ROLES = ['a', 'b', 'b/c', 'b/d', 'e/f'] as const;
/** Weighted nodes: the roles and the internal node 'e'. */
const WEIGHTED = ['a', 'b', 'b/c', 'b/d', 'e', 'e/f'] as const;
/** Task shapes: 2 x the first has the second's share; the third's share hinges on gpus. */
const TASKS: readonly ResourceAmounts[] = [
  { cpus: 1, mem: 1024 },
  { cpus: 2, mem: 2048 },
  { cpus: 1, mem: 1024, gpus: 1 },
  { cpus: 1, mem: 4096 },
];
const EXTRA_AGENTS: readonly ResourceAmounts[] = [
  { cpus: 8, mem: 8192, gpus: 2 },
  { cpus: 16, mem: 4096 },
  { cpus: 4, mem: 32768, gpus: 4 },
];

const stateArb: fc.Arbitrary<HeldState> = fc
  .record({
    fws: fc.array(
      fc.record({
        role: fc.constantFrom(...ROLES),
        held: fc.array(fc.array(fc.constantFrom(...TASKS), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    weights: fc.array(fc.constantFrom(1, 1, 2, 0.5), { minLength: WEIGHTED.length, maxLength: WEIGHTED.length }),
    excluded: fc.boolean(),
    extra: fc.array(fc.constantFrom(...EXTRA_AGENTS), { maxLength: 2 }),
  })
  .map(({ fws, weights, excluded, extra }) => {
    // The first agent fits every held task and probe, wherever the others went.
    const sum = { cpus: 1, mem: 0, gpus: 0 };
    for (const f of fws)
      for (const j of f.held)
        for (const t of j) {
          sum.cpus += t.cpus ?? 0;
          sum.mem += t.mem ?? 0;
          sum.gpus += t.gpus ?? 0;
        }
    return {
      agents: [sum, ...extra],
      frameworks: fws.map((f, i) => ({ name: `f${i}`, role: f.role, held: f.held })),
      weights: new Map(WEIGHTED.map((r, i) => [r, weights[i]!])),
      ...(excluded ? { excludedResources: ['gpus'] } : {}),
    };
  });

/** The baseline's order: the framework whose probe it places first, among those not yet found. */
function baselineOrder(mode: 'monolithic' | 'shared-state', s: HeldState): number[] {
  const found: number[] = [];
  while (found.length < s.frameworks.length) {
    const rest = s.frameworks.map((_, i) => i).filter((i) => !found.includes(i));
    found.push(probeOrder(mode, s, rest)[0]!);
  }
  return found;
}

/**
 * The 'drf' allocator's order: a fresh allocator gets every held task as one offer of it (others
 * filtered), in arrival order, as the baselines place them; then one agent's worth is offered
 * with the frameworks already found filtered, and whoever is offered it comes next.
 */
function offerOrder(s: HeldState): number[] {
  const found: number[] = [];
  while (found.length < s.frameworks.length) {
    const allocator = getAllocator('drf')!.create(s.excludedResources === undefined ? {} : { excludedResources: s.excludedResources });
    for (const [role, w] of [...s.weights!].sort((x, y) => (x[0] < y[0] ? -1 : 1))) allocator.setWeight(role, w);
    const m = new MiniMaster(allocator, s.agents.length);
    for (const a of s.agents) m.addAgent(resources(a));
    for (const f of s.frameworks) m.addFramework(f.name, f.role);
    const rng = new RandomStream(1, 'offers');
    const offerTo = (res: Float64Array, filtered: (other: number) => boolean): number[] => {
      m.ctx.free.set(res, 0);
      s.frameworks.forEach((_, o) => (filtered(o) ? m.ctx.filter(o, 0) : m.ctx.unfilter(o, 0)));
      const made = m.run(rng, [agentIx(0)]);
      m.ctx.free.fill(0, 0, NUM_RESOURCES);
      return made.map((o) => o.fw);
    };
    for (const { fw, tasks } of heldJobs(s)) {
      for (const t of tasks) expect(offerTo(resources(t), (o) => o !== fw)).toEqual([fw]);
    }
    const [next] = offerTo(resources({ cpus: 1, mem: 1024 }), (o) => found.includes(o));
    found.push(next!);
  }
  return found;
}

describe("the baselines serve frameworks in the hierarchical allocator's order", () => {
  test('monolithic', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        expect(baselineOrder('monolithic', s)).toEqual(offerOrder(s));
      }),
      { seed: 1306, numRuns: 60 },
    );
  });

  test('shared-state (frameworks without decision time)', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        expect(baselineOrder('shared-state', s)).toEqual(offerOrder(s));
      }),
      { seed: 1307, numRuns: 60 },
    );
  });
});
