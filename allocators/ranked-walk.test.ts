/**
 * The ranked walk (best-first walks of heap-ordered share sorters, HierarchicalOptions.ranked,
 * passed to the sorters as SorterOptions.ranked) against the straightforward walk (each sorter's
 * whole order listed for every agent, as listed sorters walk it): on random
 * cluster states they must make exactly the same offers, run after run, from the same seeded
 * stream. The states mix what the walk must get right: equal shares (ties broken by allocation
 * count, then path), weights, refuse filters, suppressed and revived frameworks, frameworks that
 * arrive and leave between runs, quota limits and guarantees (stage 2 walks with deferred sorter
 * bookkeeping), offer granularities, and nested roles (which take the straightforward walk).
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { resources } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { MiniMaster, type RecordedOffer } from './test-support/fake-context.js';
import type { OfferGranularity } from '../sim/model/allocation-port.js';
import type { FrameworkIx } from '../sim/model/ids.js';

/** One step between runs. */
type Step =
  | { kind: 'recover'; pick: number }
  | { kind: 'filter'; fw: number; agent: number }
  | { kind: 'unfilter'; fw: number; agent: number }
  | { kind: 'suppress'; fw: number }
  | { kind: 'revive'; fw: number }
  | { kind: 'join'; role: number }
  | { kind: 'leave'; fw: number }
  | { kind: 'run' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('recover' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('filter' as const), fw: fc.nat(40), agent: fc.nat(40) }),
  fc.record({ kind: fc.constant('unfilter' as const), fw: fc.nat(40), agent: fc.nat(40) }),
  fc.record({ kind: fc.constant('suppress' as const), fw: fc.nat(40) }),
  fc.record({ kind: fc.constant('revive' as const), fw: fc.nat(40) }),
  fc.record({ kind: fc.constant('join' as const), role: fc.nat(10) }),
  fc.record({ kind: fc.constant('leave' as const), fw: fc.nat(40) }),
  fc.record({ kind: fc.constant('run' as const) }),
);

interface Case {
  readonly agents: readonly { cpus: number; mem: number }[];
  readonly roles: readonly string[];
  readonly frameworks: readonly number[];
  readonly weights: readonly number[];
  readonly quota: 'none' | 'limit' | 'guarantee';
  readonly granularity: OfferGranularity;
  readonly steps: readonly Step[];
  readonly seed: number;
}

/** Plays a case on one allocator; returns every run's offers as comparable tuples. */
function play(c: Case, ranked: boolean): number[][][] {
  const quota: Record<string, unknown> = {};
  if (c.quota !== 'none') {
    c.roles.forEach((role, i) => {
      const top = role.split('/')[0]!;
      if (i % 2 === 0 && quota[top] === undefined) {
        quota[top] = c.quota === 'limit' ? { limit: { cpus: 6 } } : { guarantee: { cpus: 4, mem: 4096 } };
      }
    });
  }
  const allocator = new HierarchicalAllocator({
    name: 'drf',
    roleSorter: 'drf',
    frameworkSorter: 'drf',
    granularity: c.granularity,
    params: { quota },
    ranked,
  });
  c.roles.forEach((role, i) => allocator.setWeight(role, c.weights[i % c.weights.length]!));
  const m = new MiniMaster(allocator, c.agents.length);
  let names = 0;
  const live: FrameworkIx[] = [];
  const join = (role: number) => {
    const fw = m.addFramework(`f${names++}`, c.roles[role % c.roles.length]!);
    live.push(fw);
    // Every framework asks for the same small task under 'task' granularity.
    m.ctx.demands.set(fw, resources({ cpus: 1, mem: 512 }));
  };
  for (const r of c.frameworks) join(r);
  for (const a of c.agents) m.addAgent(resources({ cpus: a.cpus, mem: a.mem }));
  const rng = new RandomStream(c.seed, 'ranked-walk');
  const tuple = (o: RecordedOffer) => [o.fw, o.agent, ...Array.from(o.res)];
  const log = [m.run(rng).map(tuple)];
  const suppressed = new Set<number>();
  for (const s of c.steps) {
    switch (s.kind) {
      case 'recover':
        if (m.held.length > 0) m.recover(m.held[s.pick % m.held.length]!);
        break;
      case 'filter':
        m.ctx.filter(s.fw % Math.max(1, m.frameworks.length), s.agent % c.agents.length);
        break;
      case 'unfilter':
        m.ctx.unfilter(s.fw % Math.max(1, m.frameworks.length), s.agent % c.agents.length);
        break;
      case 'suppress': {
        if (live.length === 0) break;
        const fw = live[s.fw % live.length]!;
        allocator.deactivateFramework(fw);
        suppressed.add(fw);
        break;
      }
      case 'revive': {
        if (live.length === 0) break;
        const fw = live[s.fw % live.length]!;
        allocator.activateFramework(fw);
        suppressed.delete(fw);
        break;
      }
      case 'join':
        join(s.role);
        break;
      case 'leave': {
        if (live.length <= 1) break;
        const i = s.fw % live.length;
        const fw = live[i]!;
        for (const o of m.held.filter((h) => h.fw === fw)) m.recover(o);
        allocator.removeFramework(fw);
        live.splice(i, 1);
        break;
      }
      case 'run':
        log.push(m.run(rng).map(tuple));
        break;
    }
  }
  log.push(m.run(rng).map(tuple));
  expect(m.ctx.violations).toEqual([]);
  return log;
}

const caseArb = (roles: fc.Arbitrary<string[]>): fc.Arbitrary<Case> =>
  fc.record({
    agents: fc.array(fc.record({ cpus: fc.integer({ min: 1, max: 8 }), mem: fc.constantFrom(1024, 2048, 4096, 8192) }), { minLength: 1, maxLength: 12 }),
    roles,
    frameworks: fc.array(fc.nat(10), { minLength: 1, maxLength: 14 }),
    weights: fc.array(fc.constantFrom(1, 1, 2, 0.5, 3), { minLength: 1, maxLength: 4 }),
    quota: fc.constantFrom('none' as const, 'none' as const, 'limit' as const, 'guarantee' as const),
    granularity: fc.constantFrom<OfferGranularity>('agent', 'agent', 'agent', 'task', 'fair-share', 'cluster'),
    steps: fc.array(stepArb, { maxLength: 40 }),
    seed: fc.integer(),
  });

describe('ranked walk = straightforward walk', () => {
  test('flat roles (the ranked path): same offers on random cluster states', () => {
    const roles = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '*', 'x-1', 'x-10', 'x-2'), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(caseArb(roles), (c) => {
        expect(play(c, true)).toEqual(play(c, false));
      }),
      { seed: 8101, numRuns: 300 },
    );
  });

  test('nested roles (the straightforward path taken by both): same offers', () => {
    const roles = fc.array(fc.constantFrom('a', 'a/x', 'a/y', 'b', 'b/x/z'), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(caseArb(roles), (c) => {
        expect(play(c, true)).toEqual(play(c, false));
      }),
      { seed: 8102, numRuns: 100 },
    );
  });

  test('many frameworks with equal shares: ties broken by allocation count, then path, as in the full sort', () => {
    // 200 frameworks in one role on 600 identical agents: after the first run every framework
    // holds three agents, so each later run starts from all-equal shares and counts.
    const c: Case = {
      agents: Array.from({ length: 600 }, () => ({ cpus: 4, mem: 4096 })),
      roles: ['*'],
      frameworks: Array.from({ length: 200 }, () => 0),
      weights: [1],
      quota: 'none',
      granularity: 'agent',
      steps: [
        ...Array.from({ length: 300 }, (_, i) => ({ kind: 'recover' as const, pick: i * 7 })),
        { kind: 'run' as const },
        ...Array.from({ length: 50 }, (_, i) => ({ kind: 'filter' as const, fw: i, agent: i * 3 })),
        ...Array.from({ length: 200 }, (_, i) => ({ kind: 'recover' as const, pick: i * 13 })),
        { kind: 'run' as const },
      ],
      seed: 7,
    };
    const ranked = play(c, true);
    expect(ranked).toEqual(play(c, false));
    // The first run offers every agent (600 offers); the later ones re-offer what came back.
    expect(ranked[0]).toHaveLength(600);
    expect(ranked[1]).toHaveLength(300);
  });
});
