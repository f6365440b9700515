/**
 * priority allocator tests: recipients worked out by hand (strict levels, DRF inside a level,
 * inherited levels), parameter validation, and properties: with one level it is `drf` draw for
 * draw; with several, no agent ever goes below a level that had a taker for it.
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, resources } from '../sim/model/resources.js';
import { PriorityAllocator, parsePriorityParams, validatePriorityParams } from './priority.js';
import { getAllocator } from './registry.js';
import { MiniMaster } from './test-support/fake-context.js';
import { masterOf } from './test-support/small-cluster.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import { frameworkIx } from '../sim/model/ids.js';

const agent = (cpus: number, mem: number) => resources({ cpus, mem });
const rng = (name: string) => new RandomStream(1, name);
const priority = (priorities: Record<string, unknown>) => new PriorityAllocator({ params: { priorities } });
const names = (m: MiniMaster, offers: readonly { fw: number }[]) => offers.map((o) => m.frameworks[o.fw]!.name);

describe('priority: strict between levels', () => {
  test('the higher level takes every agent it is not filtered on, whatever its share', () => {
    // prod at level 1, dev at 0 (not listed). Three identical agents: prod gets all three even
    // though its share climbs to 1 while dev stays at 0.
    const m = new MiniMaster(priority({ prod: 1 }), 3);
    const p = m.addFramework('p', 'prod');
    m.addFramework('d', 'dev');
    for (let i = 0; i < 3; i++) m.addAgent(agent(1, 1024));
    expect(names(m, m.run(rng('a')))).toEqual(['p', 'p', 'p']);

    // p filtered on agent 1: that agent falls through to dev.
    m.recoverAll();
    m.ctx.filter(p, 1);
    const made = m.run(rng('b'));
    expect(made.map((o) => [m.frameworks[o.fw]!.name, o.agent]).sort()).toEqual([
      ['d', 1],
      ['p', 0],
      ['p', 2],
    ]);

    // p suppressed: everything goes to dev.
    m.recoverAll();
    m.allocator.deactivateFramework(p);
    expect(names(m, m.run(rng('c')))).toEqual(['d', 'd', 'd']);
    // revived: back to p (and the agents p is not filtered on)
    m.recoverAll();
    m.allocator.activateFramework(p);
    expect(names(m, m.run(rng('d'))).sort()).toEqual(['d', 'p', 'p']);
  });

  test('negative levels sit below the default', () => {
    const m = new MiniMaster(priority({ scavenger: -1 }), 2);
    m.addFramework('s', 'scavenger');
    m.addFramework('w', 'web');
    m.addAgent(agent(1, 1024));
    m.addAgent(agent(1, 1024));
    expect(names(m, m.run(rng('n')))).toEqual(['w', 'w']);
  });
});

describe('priority: DRF inside a level', () => {
  test('roles of one level share by DRF; the level below gets nothing', () => {
    // a and b at level 2, c at 0. Four identical agents (each 1/4 of the cluster):
    //   1: a 0 = b 0, counts 0, 'a' < 'b' -> a = .25     3: a .25 = b .25, counts 1 = 1, 'a' -> a
    //   2: b 0 < a .25                   -> b = .25     4: b .25 < a .50 -> b
    const m = new MiniMaster(priority({ a: 2, b: 2 }), 4);
    m.addFramework('fa', 'a');
    m.addFramework('fb', 'b');
    m.addFramework('fc', 'c');
    for (let i = 0; i < 4; i++) m.addAgent(agent(1, 1024));
    expect(names(m, m.run(rng('l')))).toEqual(['fa', 'fb', 'fa', 'fb']);
  });

  test('weights act among the roles of a level', () => {
    // heavy (weight 2) and light at level 1; three agents of 1/3 each:
    //   1: 0 = 0, 'heavy' first -> heavy (1/3)/2 = 1/6;  2: light 0 -> 1/3;  3: heavy 1/6 < 1/3 -> heavy
    const a = priority({ heavy: 1, light: 1 });
    a.setWeight('heavy', 2);
    const m = new MiniMaster(a, 3);
    m.addFramework('h', 'heavy');
    m.addFramework('l', 'light');
    m.addFramework('o', 'other');
    for (let i = 0; i < 3; i++) m.addAgent(agent(1, 1024));
    expect(names(m, m.run(rng('w')))).toEqual(['h', 'l', 'h']);
  });

  test('frameworks inside a role alternate by DRF', () => {
    // role hi (level 1) holds h1 and h2; lo holds l. Four agents of 1/4: h1, h2, h1, h2 (as in
    // the level test, by framework share, count, name).
    const m = new MiniMaster(priority({ hi: 1 }), 4);
    m.addFramework('h1', 'hi');
    m.addFramework('h2', 'hi');
    m.addFramework('l', 'lo');
    for (let i = 0; i < 4; i++) m.addAgent(agent(1, 1024));
    expect(names(m, m.run(rng('f')))).toEqual(['h1', 'h2', 'h1', 'h2']);
  });
});

describe('priority: levels of hierarchical roles', () => {
  test('a role takes its nearest listed ancestor level, else 0', () => {
    const a = priority({ eng: 5, 'eng/web': -1, 'ops/db/x': 9 });
    expect(a.levelOf('eng')).toBe(5);
    expect(a.levelOf('eng/batch')).toBe(5);
    expect(a.levelOf('eng/batch/nightly')).toBe(5);
    expect(a.levelOf('eng/web')).toBe(-1);
    expect(a.levelOf('eng/web/api')).toBe(-1);
    expect(a.levelOf('ops')).toBe(0);
    expect(a.levelOf('ops/db')).toBe(0);
    expect(a.levelOf('engine')).toBe(0); // a prefix of the string is not an ancestor
  });

  test('eng/batch (5) before ops (0) before eng/web (-1)', () => {
    const m = new MiniMaster(priority({ eng: 5, 'eng/web': -1 }), 2);
    const batch = m.addFramework('batch', 'eng/batch');
    const ops = m.addFramework('ops', 'ops');
    m.addFramework('web', 'eng/web');
    m.addAgent(agent(1, 1024));
    m.addAgent(agent(1, 1024));
    expect(names(m, m.run(rng('h')))).toEqual(['batch', 'batch']);
    m.recoverAll();
    m.ctx.filter(batch, 0);
    m.ctx.filter(batch, 1);
    expect(names(m, m.run(rng('h')))).toEqual(['ops', 'ops']);
    m.recoverAll();
    m.allocator.deactivateFramework(ops);
    expect(names(m, m.run(rng('h')))).toEqual(['web', 'web']);
  });
});

describe('priority: bookkeeping', () => {
  test('framework names are unique across levels; unknown frameworks throw', () => {
    const m = new MiniMaster(priority({ a: 1 }), 1);
    m.addFramework('f', 'a');
    expect(() => m.addFramework('f', 'b')).toThrow(/taken/);
    expect(() => m.allocator.addFramework({ index: frameworkIx(0), name: 'g', role: 'b' })).toThrow(/twice/);
    expect(() => m.allocator.activateFramework(frameworkIx(7))).toThrow(/unknown framework/);
  });

  test('a removed framework frees its name; recover goes to its level', () => {
    const m = new MiniMaster(priority({ a: 1 }), 1);
    const f = m.addFramework('f', 'a');
    m.addAgent(agent(1, 1024));
    m.run(rng('r'));
    expect(() => m.allocator.removeFramework(f)).toThrow(/recover/);
    m.recoverAll();
    m.allocator.removeFramework(f);
    const g = m.addFramework('f', 'b');
    expect(m.run(rng('r')).map((o) => o.fw)).toEqual([g]);
  });
});

describe('priority: parameters', () => {
  test('every problem, with its path', () => {
    expect(validatePriorityParams({})).toEqual([]);
    expect(validatePriorityParams({ priorities: { a: 1, 'a/b': -3, '*': 0 } })).toEqual([]);
    expect(validatePriorityParams({ priorities: [1, 2] })).toEqual([
      { path: ['priorities'], message: 'expected a map of role path to integer level, got [1,2]' },
    ]);
    const problems = validatePriorityParams({
      priorities: { ok: 2, half: 1.5, text: 'high', 'a//b': 1, '/x': 1, 'y/.': 2 },
      priority: { a: 1 },
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['priority'],
      ['priorities', '/x'],
      ['priorities', 'a//b'],
      ['priorities', 'half'],
      ['priorities', 'text'],
      ['priorities', 'y/.'],
    ]);
    expect(problems[0]!.message).toMatch(/unknown parameter "priority".*known: priorities/);
    expect(problems[3]!.message).toBe('expected an integer level, got 1.5');
    expect(() => parsePriorityParams({ priorities: { a: 'x' } })).toThrow(/params\.priorities\.a: expected an integer/);
    expect(() => new PriorityAllocator({ params: { priorities: null } })).toThrow(/priorities/);
  });
});

describe('priority: properties', () => {
  const ROLES = ['a', 'b', 'c', 'a/x'] as const;
  const clusterArb = fc.record({
    agents: fc.array(fc.record({ cpus: fc.nat(8), mem: fc.nat(4096) }), { minLength: 1, maxLength: 8 }),
    fws: fc.array(fc.record({ role: fc.constantFrom(...ROLES), active: fc.boolean() }), { maxLength: 6 }),
    filters: fc.array(fc.tuple(fc.nat(5), fc.nat(7)), { maxLength: 12 }),
    weights: fc.array(fc.tuple(fc.constantFrom(...ROLES), fc.integer({ min: 1, max: 8 }))),
    recoveries: fc.array(fc.nat(40), { maxLength: 6 }),
    seed: fc.integer(),
  });
  type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

  /** Plays a cluster: one run, then a recovery and a run per entry of `recoveries`. */
  function play(
    allocator: Allocator,
    c: Cluster,
    check?: (m: MiniMaster, free: Float64Array, made: readonly { fw: number; agent: number }[]) => void,
  ): number[][][] {
    for (const [role, w] of c.weights) allocator.setWeight(role, w);
    const m = masterOf(allocator, c);
    const rng = new RandomStream(c.seed, 'prop');
    const log: number[][][] = [];
    for (let i = 0; i <= c.recoveries.length; i++) {
      if (i > 0 && m.held.length > 0) m.recover(m.held[c.recoveries[i - 1]! % m.held.length]!);
      const free = Float64Array.from(m.ctx.free);
      const made = m.run(rng);
      check?.(m, free, made);
      log.push(made.map((o) => [o.fw, o.agent, ...o.res]));
    }
    return log;
  }

  test('with every role at one level, the offers (and draws) are those of drf', () => {
    fc.assert(
      fc.property(clusterArb, fc.boolean(), (c, listed) => {
        const params = listed ? { priorities: { a: 3, b: 3, c: 3 } } : {};
        expect(play(new PriorityAllocator({ params }), c)).toEqual(play(getAllocator('drf')!.create({}), c));
      }),
      { seed: 606, numRuns: 150 },
    );
  });

  test('strict and work-conserving: each offerable agent goes whole to its highest level with a taker', () => {
    const levels = { a: 2, 'a/x': 0, b: 1 }; // c: 0
    const levelOf = (role: string) => (role === 'a' ? 2 : role === 'b' ? 1 : 0);
    fc.assert(
      fc.property(clusterArb, (c) => {
        play(new PriorityAllocator({ params: { priorities: levels } }), c, (m, free, made) => {
          expect(m.ctx.violations).toEqual([]);
          const active = (i: number) => c.fws[i]!.active;
          for (let a = 0; a < c.agents.length; a++) {
            const o = a * NUM_RESOURCES;
            const takers = c.fws.map((_, i) => i).filter((i) => active(i) && !m.ctx.isBlocked(i, a));
            const offers = made.filter((x) => x.agent === a);
            if (!m.ctx.isAllocatable(free, o) || takers.length === 0) {
              expect(offers).toHaveLength(0);
              continue;
            }
            expect(offers).toHaveLength(1);
            const top = Math.max(...takers.map((i) => levelOf(c.fws[i]!.role)));
            expect(levelOf(c.fws[offers[0]!.fw]!.role)).toBe(top);
          }
        });
      }),
      { seed: 707, numRuns: 200 },
    );
  });
});
