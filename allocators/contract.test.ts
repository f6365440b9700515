/**
 * The allocator contract: one suite run against every registered allocator and against the
 * example user allocator of docs/allocators.md, with a fake master; every list of policies here
 * comes from the registries, so a policy registered tomorrow is checked without a line changed. Whatever the policy, offers
 * stay within free resources, an agent is offered at most once per run (no quota), suppressed or
 * filtered frameworks get nothing, runs are deterministic for a seeded stream, and free resources
 * with a willing framework get offered. A policy that confines frameworks to some agents (static
 * partitioning) says so through `eligibilityOf`: its offers must respect that, and only eligible
 * frameworks count as willing. The checks themselves are in test-support/contract-checks.ts.
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, resources } from '../sim/model/resources.js';
import { allocatorNames, getAllocator, listAllocators } from './registry.js';
import { policyEntry, type SharePolicyEntry } from './share-policy.js';
import { listSorters } from './sorter/registry.js';
import { buildCluster, clusterArb, playContract, stepArb } from './test-support/contract-checks.js';
import { MiniMaster } from './test-support/fake-context.js';
import { checkParams, type AllocatorEntry } from './types.js';

/**
 * The example user allocator (docs/examples/least-allocated.js), imported by file URL as offersim
 * imports a user module: its default export is the entry.
 */
const EXAMPLE_MODULE = new URL('../docs/examples/least-allocated.js', import.meta.url);
const example = policyEntry(((await import(EXAMPLE_MODULE.href)) as { default: AllocatorEntry | SharePolicyEntry }).default);

/** Every policy the contract covers: the registry's, then the example user allocator. */
const POLICIES: readonly (readonly [string, AllocatorEntry])[] = [
  ...listAllocators()
    .filter((e) => (e.architecture ?? 'offers') === 'offers')
    .map((e) => [e.name, e] as const),
  [`${example.name} (docs/examples/least-allocated.js)`, example],
];

test('the registry lists every allocator once, sorted by name, a policy for each sorter that is one', () => {
  const names = allocatorNames();
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual(names);
  expect(listAllocators().map((e) => e.name)).toEqual(names);
  for (const s of listSorters()) {
    if (s.policy === undefined) continue;
    const e = getAllocator(s.name);
    expect(e?.description).toBe(s.policy);
    // the hierarchical allocator with the sorter for roles and frameworks, quota as a parameter
    expect(e?.params?.map((p) => p.name)).toEqual(['quota']);
  }
  for (const e of listAllocators()) expect(getAllocator(e.name)).toBe(e);
  expect(getAllocator('nope')).toBeUndefined();
  expect(getAllocator('constructor')).toBeUndefined();
});

describe.each(POLICIES)('allocator contract: %s', (_name, entry) => {
  test('its entry has a one-line description, and create() an allocator of the same name', () => {
    expect(typeof entry.description).toBe('string');
    expect(entry.description.length).toBeGreaterThan(0);
    expect(entry.description).not.toMatch(/\n/);
    if (entry.starves !== undefined) expect(entry.starves).toMatch(/^[^\n]+$/);
    expect(entry.create({}).name).toBe(entry.name);
  });

  test('parameters: none is valid; an unknown one is a problem at its path; each documented one has a default', () => {
    expect(checkParams(entry, {})).toEqual([]);
    const problems = checkParams(entry, { noSuchParameter: 1 });
    expect(problems.map((p) => p.path)).toEqual([['noSuchParameter']]);
    for (const p of entry.params ?? []) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.description.length).toBeGreaterThan(0);
      expect(p.default.length).toBeGreaterThan(0);
    }
  });

  test('one framework, one agent: the free resources are offered to it', () => {
    const { m } = buildCluster(entry, {
      agents: [{ cpus: 2, mem: 1024, disk: 0, gpus: 0 }],
      frameworks: [{ role: '*', suppressed: false }],
      weights: [],
      filters: [],
      seed: 1,
    });
    const made = m.run(new RandomStream(1, 'allocator'));
    expect(made.map((o) => [o.fw, o.agent])).toEqual([[0, 0]]);
    expect(m.ctx.violations).toEqual([]);
  });

  test('no offer to a suppressed framework, nor where a filter blocks it', () => {
    const { m } = buildCluster(entry, {
      agents: [
        { cpus: 2, mem: 1024, disk: 0, gpus: 0 },
        { cpus: 2, mem: 1024, disk: 0, gpus: 0 },
      ],
      frameworks: [
        { role: 'a', suppressed: true },
        { role: 'b', suppressed: false },
      ],
      weights: [],
      filters: [[1, 0]],
      seed: 2,
    });
    const made = m.run(new RandomStream(2, 'allocator'));
    expect(made.map((o) => [o.fw, o.agent])).toEqual([[1, 1]]);
    // agent 0 stays free: fw 0 is suppressed and fw 1 is filtered there
    expect(Array.from(m.ctx.free.subarray(0, NUM_RESOURCES))).toEqual(Array.from(resources({ cpus: 2, mem: 1024 })));
  });

  test('nothing is offered with no framework, or with nothing allocatable free', () => {
    const none = buildCluster(entry, { agents: [{ cpus: 4, mem: 4096, disk: 0, gpus: 0 }], frameworks: [], weights: [], filters: [], seed: 3 });
    expect(none.m.run(new RandomStream(3, 'allocator'))).toEqual([]);
    const tiny = buildCluster(entry, {
      agents: [{ cpus: 0, mem: 31, disk: 100, gpus: 0 }],
      frameworks: [{ role: '*', suppressed: false }],
      weights: [],
      filters: [],
      seed: 3,
    });
    expect(tiny.m.run(new RandomStream(3, 'allocator'))).toEqual([]);
  });

  test('property: every run keeps the contract, over random clusters and master steps', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 25 }), (c, steps) => {
        playContract(entry, c, steps);
      }),
      { seed: 424242, numRuns: 150 },
    );
  });

  test('property: same inputs and the same seeded stream give identical offers', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 25 }), (c, steps) => {
        expect(playContract(entry, c, steps)).toEqual(playContract(entry, c, steps));
      }),
      { seed: 171717, numRuns: 100 },
    );
  });
});

/**
 * Fair policies: a framework with demand is not starved forever while resources are free. A
 * policy unfair by design says why in its entry (`starves`: fifo serves the first framework for as
 * long as it accepts, priority lets a higher level starve lower ones, static partitioning leaves
 * agents of other partitions idle) and is left out.
 */
const FAIR = POLICIES.filter(([, e]) => e.starves === undefined);

/** Most consecutive runs a framework holding nothing may be passed over while an agent had something allocatable free. */
const PASSED_OVER_BOUND = 60;

describe.each(FAIR)('fair policy %s: no starvation while resources are free', (_name, entry) => {
  // Every framework always wants more (it accepts every offer) and holds each offer for 1 to 4
  // runs before giving it back with no filter. Whenever a framework holds nothing and some agent
  // has allocatable free resources at the start of a run, it counts as passed over if it gets
  // nothing in that run. DRF-like orders serve a framework at share 0 within a few runs (lowest
  // share, then fewest allocations); the random sorter does so with overwhelming probability; the
  // bound is loose on purpose, the property is that the wait is finite.
  test('property: no framework is passed over without end', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpus: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 64, max: 8192 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom('*', 'a', 'b', 'a/x'), { minLength: 2, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
        fc.integer(),
        (agents, roles, holds, seed) => {
          const m = new MiniMaster(entry.create({}), agents.length);
          for (const a of agents) m.addAgent(resources(a));
          roles.forEach((role, i) => m.addFramework(`f${i}`, role));
          const rng = new RandomStream(seed, 'allocator');
          const release: { at: number; offer: (typeof m.held)[number] }[] = [];
          const passedOver = new Array<number>(roles.length).fill(0);
          let k = 0;
          for (let run = 0; run < 200; run++) {
            for (const r of release.filter((x) => x.at === run)) m.recover(r.offer);
            const somethingFree = m.agents().some((a) => m.ctx.isAllocatable(m.ctx.free, a * NUM_RESOURCES));
            const idle = roles.map((_, fw) => !m.held.some((o) => o.fw === fw));
            const made = m.run(rng);
            for (const o of made) release.push({ at: run + holds[k++ % holds.length]!, offer: o });
            roles.forEach((_, fw) => {
              if (made.some((o) => o.fw === fw)) passedOver[fw] = 0;
              else if (idle[fw] && somethingFree) passedOver[fw]!++;
              expect(passedOver[fw]).toBeLessThanOrEqual(PASSED_OVER_BOUND);
            });
          }
        },
      ),
      { seed: 909090, numRuns: 60 },
    );
  });
});
