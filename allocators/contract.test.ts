/**
 * The allocator contract: one suite run against every registered allocator, with a fake
 * master. Whatever the policy, offers stay within free resources, an agent is offered at most
 * once per run (no quota), suppressed or filtered frameworks get nothing, runs are
 * deterministic for a seeded stream, and free resources with a willing framework get offered.
 * A policy that confines frameworks to some agents (static partitioning) says so through
 * `eligibilityOf`: its offers must respect that, and only eligible frameworks count as willing.
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, isEmpty, resources } from '../sim/model/resources.js';
import { eligibilityOf } from './eligibility.js';
import { allocatorNames, getAllocator, listAllocators } from './registry.js';
import { MiniMaster, type RecordedOffer } from './test-support/fake-context.js';
import { checkParams, type AllocatorEntry } from './types.js';

const ROLES = ['*', 'a', 'b', 'a/x', 'a/x/y'] as const;

/** A random cluster: agents, frameworks (role, suppressed), role weights, refuse filters. */
const clusterArb = fc.record({
  agents: fc.array(
    fc.record({ cpus: fc.nat(16), mem: fc.nat(8192), disk: fc.nat(1000), gpus: fc.nat(2) }),
    { minLength: 1, maxLength: 10 },
  ),
  frameworks: fc.array(fc.record({ role: fc.constantFrom(...ROLES), suppressed: fc.boolean() }), {
    maxLength: 6,
  }),
  weights: fc.array(fc.tuple(fc.constantFrom(...ROLES), fc.integer({ min: 1, max: 40 }).map((w) => w / 4))),
  filters: fc.array(fc.tuple(fc.nat(5), fc.nat(9)), { maxLength: 20 }),
  seed: fc.integer(),
});
type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

/** What the master does between runs. */
const stepArb = fc.oneof(
  fc.constant({ kind: 'run' as const }),
  fc.record({ kind: fc.constant('recover' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('suppress' as const), fw: fc.nat(5) }),
  fc.record({ kind: fc.constant('revive' as const), fw: fc.nat(5) }),
  fc.record({ kind: fc.constant('filter' as const), fw: fc.nat(5), agent: fc.nat(9) }),
  fc.record({ kind: fc.constant('unfilter' as const), fw: fc.nat(5), agent: fc.nat(9) }),
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function build(entry: AllocatorEntry, c: Cluster): { m: MiniMaster; active: boolean[] } {
  const allocator = entry.create({});
  for (const [role, w] of c.weights) allocator.setWeight(role, w);
  const m = new MiniMaster(allocator, c.agents.length);
  for (const a of c.agents) m.addAgent(resources(a));
  const active: boolean[] = [];
  c.frameworks.forEach((f, i) => {
    m.addFramework(`fw${i}`, f.role);
    active.push(!f.suppressed);
    if (f.suppressed) allocator.deactivateFramework(i);
  });
  for (const [fw, agent] of c.filters) m.ctx.filter(fw, agent);
  return { m, active };
}

/** Checks one run's offers against the contract; `free` is the agents' free resources before it. */
function checkRun(m: MiniMaster, made: readonly RecordedOffer[], free: Float64Array, active: readonly boolean[]): void {
  expect(m.ctx.violations).toEqual([]);
  const agents = made.map((o) => o.agent);
  expect(new Set(agents).size).toBe(agents.length);
  const rule = eligibilityOf(m.allocator);
  const eligible = (fw: number, agent: number) => rule === undefined || rule.isEligible(fw, agent);
  for (const o of made) {
    expect(active[o.fw]).toBe(true);
    expect(m.ctx.isBlocked(o.fw, o.agent)).toBe(false);
    expect(eligible(o.fw, o.agent)).toBe(true);
    expect(isEmpty(o.res)).toBe(false);
    expect(m.ctx.isAllocatable(o.res)).toBe(true);
  }
  // Some agent had allocatable free resources and some active framework eligible there was not
  // blocked there: something must be offered.
  const nAgents = free.length / NUM_RESOURCES;
  let offerable = false;
  for (let a = 0; a < nAgents && !offerable; a++) {
    if (!m.ctx.isAllocatable(free, a * NUM_RESOURCES)) continue;
    offerable = active.some((on, fw) => on && !m.ctx.isBlocked(fw, a) && eligible(fw, a));
  }
  if (offerable) expect(made.length).toBeGreaterThan(0);
}

/** Plays the steps; returns every run's offers as plain data for comparison. */
function play(entry: AllocatorEntry, c: Cluster, steps: readonly Step[]): number[][][] {
  const { m, active } = build(entry, c);
  const rng = new RandomStream(c.seed, 'allocator');
  const log: number[][][] = [];
  const nf = c.frameworks.length;
  for (const s of [{ kind: 'run' as const }, ...steps]) {
    switch (s.kind) {
      case 'run': {
        const free = Float64Array.from(m.ctx.available);
        const made = m.run(rng);
        checkRun(m, made, free, active);
        log.push(made.map((o) => [o.fw, o.agent, ...o.res]));
        break;
      }
      case 'recover':
        if (m.held.length > 0) m.recover(m.held[s.pick % m.held.length]!);
        break;
      case 'suppress':
        if (nf > 0 && active[s.fw % nf]) {
          active[s.fw % nf] = false;
          m.allocator.deactivateFramework(s.fw % nf);
        }
        break;
      case 'revive':
        if (nf > 0 && !active[s.fw % nf]) {
          active[s.fw % nf] = true;
          m.allocator.activateFramework(s.fw % nf);
        }
        break;
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

test('the registry lists every allocator once, sorted by name, with a description', () => {
  const names = allocatorNames();
  expect(names).toEqual(['asset', 'cpu-share', 'drf', 'fifo', 'priority', 'random', 'static']);
  expect(listAllocators().map((e) => e.name)).toEqual(names);
  for (const e of listAllocators()) {
    expect(getAllocator(e.name)).toBe(e);
    expect(e.description.length).toBeGreaterThan(0);
    expect(e.description).not.toMatch(/\n/);
    expect(e.create({}).name).toBe(e.name);
  }
  expect(getAllocator('nope')).toBeUndefined();
  expect(getAllocator('constructor')).toBeUndefined();
});

describe.each(listAllocators().map((e) => [e.name, e] as const))('allocator contract: %s', (_name, entry) => {
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
    const { m } = build(entry, {
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
    const { m } = build(entry, {
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
    expect(Array.from(m.ctx.available.subarray(0, NUM_RESOURCES))).toEqual(
      Array.from(resources({ cpus: 2, mem: 1024 })),
    );
  });

  test('nothing is offered with no framework, or with nothing allocatable free', () => {
    const none = build(entry, { agents: [{ cpus: 4, mem: 4096, disk: 0, gpus: 0 }], frameworks: [], weights: [], filters: [], seed: 3 });
    expect(none.m.run(new RandomStream(3, 'allocator'))).toEqual([]);
    const tiny = build(entry, {
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
        play(entry, c, steps);
      }),
      { seed: 424242, numRuns: 150 },
    );
  });

  test('property: same inputs and the same seeded stream give identical offers', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 25 }), (c, steps) => {
        expect(play(entry, c, steps)).toEqual(play(entry, c, steps));
      }),
      { seed: 171717, numRuns: 100 },
    );
  });
});
