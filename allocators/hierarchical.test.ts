/**
 * Hierarchical allocator tests at the allocator level, driven by a fake master: the Mesos
 * golden cases (notes §1.9 U1, U2, U4; §4 G7) with role shares worked out by hand, the stage
 * mechanics (two shuffles, whole-agent offers, filters, suppress), and the offer granularities
 * ('task', 'fair-share'). Quota has its own file, quota.test.ts.
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, addInto, resources } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import type { SorterKind } from './sorter/registry.js';
import { MiniMaster } from './test-support/fake-context.js';
import { masterOf, runOnce } from './test-support/small-cluster.js';
import type { Rng } from '../sim/kernel/rng.js';
import type { OfferGranularity } from '../sim/model/allocation-port.js';
import { agentIx, frameworkIx } from '../sim/model/ids.js';

const drf = () => new HierarchicalAllocator({ name: 'drf', roleSorter: 'drf', frameworkSorter: 'drf' });
const agent = (cpus: number, mem: number) => resources({ cpus, mem, disk: 0 });
const rng = (name: string) => new RandomStream(1, name);

/** Counts draws and delegates to a seeded stream. */
function counting(inner: Rng): Rng & { draws: number } {
  return {
    draws: 0,
    next() {
      this.draws++;
      return inner.next();
    },
  };
}

describe('U1 UnreservedDRF (hierarchical_allocator_tests.cpp)', () => {
  test('each new agent goes whole to the lowest-share role, then the lowest-share framework', () => {
    const m = new MiniMaster(drf(), 5);
    const r = rng('u1');
    const recipients: string[] = [];
    const offerNew = (a: number) => {
      const made = m.run(r, [agentIx(a)]);
      expect(made).toHaveLength(1);
      expect(Array.from(made[0]!.res)).toEqual(Array.from(m.total(a)));
      recipients.push(m.frameworks[made[0]!.fw]!.name);
    };

    // 1. s1 (2, 1024) joins with no framework: nothing to offer.
    const s1 = m.addAgent(agent(2, 1024));
    expect(m.run(r, [s1])).toEqual([]);
    // fw1 (role1) subscribes: a run over all agents gives it s1. role1 = 1.0.
    m.addFramework('fw1', 'role1');
    const first = m.run(r);
    expect(first.map((o) => m.frameworks[o.fw]!.name)).toEqual(['fw1']);
    recipients.push('fw1');

    // 2. fw2 (role2) subscribes: nothing free. s2 (1, 512): total (3, 1536).
    //    role1 = max(2/3, 1024/1536) = .67, role2 = 0: fw2. Then role2 = 1/3 = .33.
    m.addFramework('fw2', 'role2');
    expect(m.run(r)).toEqual([]);
    offerNew(m.addAgent(agent(1, 512)));

    // 3. s3 (3, 2048): total (6, 3584). role1 = max(2/6, 1024/3584) = .33,
    //    role2 = max(1/6, 512/3584) = .17: fw2. Then role2 = max(4/6, 2560/3584) = .71.
    offerNew(m.addAgent(agent(3, 2048)));

    // 4. fw3 (role1) subscribes; s4 (4, 4096): total (10, 7680). role1 = max(2/10, 1024/7680)
    //    = .2 < role2 = max(4/10, 2560/7680) = .4; in role1 fw3 = 0 < fw1 = .2: fw3.
    //    Then role1 = max(6/10, 5120/7680) = .67.
    m.addFramework('fw3', 'role1');
    expect(m.run(r)).toEqual([]);
    offerNew(m.addAgent(agent(4, 4096)));

    // 5. fw4 (role1) subscribes; s5 (1, 512): total (11, 8192). role1 = max(6/11, 5120/8192)
    //    = .63 > role2 = max(4/11, 2560/8192) = .36: fw2, although fw4 holds nothing.
    m.addFramework('fw4', 'role1');
    expect(m.run(r)).toEqual([]);
    offerNew(m.addAgent(agent(1, 512)));

    expect(recipients).toEqual(['fw1', 'fw2', 'fw2', 'fw3', 'fw2']);
  });
});

describe('U2 SameShareFairness', () => {
  test('two frameworks with equal shares alternate: 5 and 5 over 10 runs', () => {
    const m = new MiniMaster(drf(), 1);
    m.addFramework('fw1', '*');
    m.addFramework('fw2', '*');
    m.addAgent(agent(2, 1024));
    const r = rng('u2');
    const got: string[] = [];
    for (let i = 0; i < 10; i++) {
      const made = m.run(r);
      expect(made).toHaveLength(1);
      got.push(m.frameworks[made[0]!.fw]!.name);
      m.recover(made[0]!); // declined with no filter: shares are back to 0, counts are not
    }
    // Run 1: both 0 with count 0, 'fw1' < 'fw2'. From then on the holder has the higher count.
    expect(got.filter((n) => n === 'fw1')).toHaveLength(5);
    expect(got.filter((n) => n === 'fw2')).toHaveLength(5);
    expect(got).toEqual(['fw1', 'fw2', 'fw1', 'fw2', 'fw1', 'fw2', 'fw1', 'fw2', 'fw1', 'fw2']);
  });
});

describe('U4 SmallOfferFilterTimeout', () => {
  test('a filtered framework is skipped and does not block the next one', () => {
    const m = new MiniMaster(drf(), 2);
    const fw1 = m.addFramework('fw1', 'role');
    const fw2 = m.addFramework('fw2', 'role');
    const r = rng('u4');
    // agent1 (1, 512) goes to fw1 (both 0, 'fw1' first); fw1 = 1.
    const a1 = m.addAgent(agent(1, 512));
    expect(m.run(r, [a1]).map((o) => o.fw)).toEqual([fw1]);
    // agent2 (1, 512): total (2, 1024), fw1 = .5 > fw2 = 0: fw2.
    const a2 = m.addAgent(agent(1, 512));
    const [o2] = m.run(r, [a2]);
    expect(o2!.fw).toBe(fw2);
    // fw2 declines with a filter still active at the next run: fw1 (.5) gets agent2 over fw2 (0).
    m.recover(o2!);
    m.ctx.filter(fw2, a2);
    const [o3] = m.run(r);
    expect(o3!.fw).toBe(fw1);
    // The filter is gone; fw1 declines without one: fw2 (0) < fw1 (.5) gets it.
    m.ctx.unfilter(fw2, a2);
    m.recover(o3!);
    expect(m.run(r).map((o) => o.fw)).toEqual([fw2]);
  });
});

describe('G7 whole-agent offers', () => {
  test.each([
    ['one role', (_i: number) => 'r'],
    ['a role each', (i: number) => `r${i}`],
  ])('N identical frameworks and N identical agents map one-to-one in one run (%s)', (_label, roleOf) => {
    const n = 7;
    const m = new MiniMaster(drf(), n);
    for (let i = 0; i < n; i++) m.addFramework(`fw${i}`, roleOf(i));
    for (let i = 0; i < n; i++) m.addAgent(agent(4, 4096));
    const made = m.run(rng('g7'));
    // Each offer raises its receiver's share to 1/7 (and its role's), so the next agent goes
    // to one of those still at 0.
    expect(made).toHaveLength(n);
    expect(new Set(made.map((o) => o.fw)).size).toBe(n);
    expect(new Set(made.map((o) => o.agent)).size).toBe(n);
    for (const o of made) expect(Array.from(o.res)).toEqual(Array.from(agent(4, 4096)));
  });
});

describe('role weights', () => {
  test('a role of weight 2 gets two of three identical agents', () => {
    const a = drf();
    a.setWeight('heavy', 2);
    const m = new MiniMaster(a, 3);
    m.addFramework('h', 'heavy');
    m.addFramework('l', 'light');
    for (let i = 0; i < 3; i++) m.addAgent(agent(1, 1024));
    // Total (3, 3072). 1st: both 0, 'heavy' < 'light': heavy = (1/3)/2 = .17.
    // 2nd: light 0 < .17: light = .33. 3rd: heavy .17 < .33: heavy = (2/3)/2 = .33.
    const names = m.run(rng('w')).map((o) => m.frameworks[o.fw]!.name);
    expect(names).toEqual(['h', 'l', 'h']);
  });

  test('hierarchical roles: a subtree competes with its aggregate share', () => {
    const m = new MiniMaster(drf(), 4);
    m.addFramework('batch', 'eng/batch');
    m.addFramework('web', 'eng/web');
    m.addFramework('ops', 'ops');
    for (let i = 0; i < 4; i++) m.addAgent(agent(1, 1024));
    // Total (4, 4096); each agent is 1/4. Root: eng = 0, ops = 0, 'eng' < 'ops': eng, inside
    // it batch (path 'eng/batch' < 'eng/web'). Then eng = .25 > ops = 0: ops. Then eng (.25,
    // count 1) vs ops (.25, count 1): 'eng' first, web (0) before batch (.25). Then eng = .5:
    // ops.
    const names = m.run(rng('h')).map((o) => m.frameworks[o.fw]!.name);
    expect(names).toEqual(['batch', 'ops', 'web', 'ops']);
  });
});

describe('stage mechanics', () => {
  test.each(['drf', 'random'] as const)('%s: agents are shuffled twice (stage 1 and stage 2)', (kind: SorterKind) => {
    // With only DRF sorters the run draws exactly two Fisher-Yates shuffles: 2 * (n - 1).
    const a = new HierarchicalAllocator({ name: kind, roleSorter: 'drf', frameworkSorter: kind });
    const m = new MiniMaster(a, 6);
    m.addFramework('f', 'r'); // one framework: a random framework sorter draws nothing either
    for (let i = 0; i < 6; i++) m.addAgent(agent(1, 1024));
    const c = counting(rng('draws'));
    m.run(c);
    expect(c.draws).toBe(2 * (6 - 1));
  });

  test('the stage-2 order is the second shuffle of the master order', () => {
    // Replay the two Fisher-Yates shuffles by hand on the same stream; with one framework
    // every agent is offered, in the shuffled order.
    const m = new MiniMaster(drf(), 5);
    m.addFramework('f', 'r');
    for (let i = 0; i < 5; i++) m.addAgent(agent(1, 1024));
    const offered = m.run(new RandomStream(42, 's')).map((o) => o.agent);
    const expected = [0, 1, 2, 3, 4];
    const replay = new RandomStream(42, 's');
    for (let pass = 0; pass < 2; pass++) {
      for (let i = expected.length - 1; i > 0; i--) {
        const j = Math.floor(replay.next() * (i + 1));
        [expected[i], expected[j]] = [expected[j]!, expected[i]!];
      }
    }
    expect(offered).toEqual(expected);
  });

  test('a suppressed framework gets nothing; a role with none active is skipped', () => {
    const m = new MiniMaster(drf(), 2);
    const a = m.addFramework('a', 'ra');
    const b = m.addFramework('b', 'rb');
    m.addAgent(agent(1, 1024));
    m.addAgent(agent(1, 1024));
    m.allocator.deactivateFramework(a);
    expect(m.run(rng('s')).map((o) => o.fw)).toEqual([b, b]);
    m.recoverAll();
    m.allocator.activateFramework(a);
    m.allocator.deactivateFramework(b);
    expect(m.run(rng('s')).map((o) => o.fw)).toEqual([a, a]);
    m.recoverAll();
    m.allocator.deactivateFramework(a);
    expect(m.run(rng('s'))).toEqual([]);
  });

  test('framework names must be unique and free of "/" (they are sorter clients)', () => {
    const m = new MiniMaster(drf(), 1);
    m.addFramework('f', 'r');
    expect(() => m.addFramework('f', 'other')).toThrow(/taken/);
    expect(() => m.allocator.addFramework({ index: frameworkIx(5), name: 'spark/1', role: 'r' })).toThrow(/'\/'/);
    expect(() => m.allocator.addFramework({ index: frameworkIx(0), name: 'g', role: 'r' })).toThrow(/twice/);
  });

  test('an agent with nothing allocatable left is not offered', () => {
    const m = new MiniMaster(drf(), 1);
    m.addFramework('f', 'r');
    // 0.005 cpus and 16 MB: below both cpus:0.01 and mem:32
    m.addAgent(resources({ cpus: 0.005, mem: 16 }));
    expect(m.run(rng('m'))).toEqual([]);
  });

  test('removing a framework that still holds resources is a broken invariant', () => {
    const m = new MiniMaster(drf(), 1);
    const f = m.addFramework('f', 'r');
    m.addAgent(agent(1, 1024));
    m.run(rng('rm'));
    expect(() => m.allocator.removeFramework(f)).toThrow(/recover/);
    m.recoverAll();
    m.allocator.removeFramework(f);
    // the role is gone with its last framework; a new one in it starts afresh
    const g = m.addFramework('g', 'r');
    expect(m.run(rng('rm')).map((o) => o.fw)).toEqual([g]);
  });

  test('removing an agent shrinks the totals the shares are computed against', () => {
    const m = new MiniMaster(drf(), 4);
    const fa = m.addFramework('a', 'ra');
    const fb = m.addFramework('b', 'rb');
    const a0 = m.addAgent(agent(1, 1024));
    const a1 = m.addAgent(agent(3, 512));
    m.ctx.filter(fb, a0);
    m.ctx.filter(fa, a1);
    const r = rng('t');
    const first = m.run(r, [a0, a1]).map((o) => [o.fw, o.agent]);
    expect(first).toHaveLength(2);
    expect(first).toEqual(
      expect.arrayContaining([
        [fa, a0],
        [fb, a1],
      ]),
    );
    const a2 = m.addAgent(resources({ cpus: 10 })); // never offered: it only adds to the totals
    const probe = m.addAgent(agent(1, 512));
    // Total (15, 2048): a = max(1/15, 1024/2048) = .5, b = max(3/15, 512/2048) = .25: b.
    const [o] = m.run(r, [probe]);
    expect(o!.fw).toBe(fb);
    m.recover(o!);
    // Without agent 2 the total is (5, 2048): a = .5, b = max(3/5, .25) = .6: a.
    m.ctx.free.fill(0, a2 * NUM_RESOURCES, (a2 + 1) * NUM_RESOURCES);
    m.allocator.removeAgent(a2, m.total(a2));
    expect(m.run(r, [probe]).map((x) => x.fw)).toEqual([fa]);
    expect(() => m.allocator.removeAgent(a2, agent(100, 100))).toThrow(/negative/);
  });
});

describe('work conservation (both sorter kinds)', () => {
  const kinds: readonly SorterKind[] = ['drf', 'random'];
  test.each(kinds)('%s: each agent with allocatable free resources and an unblocked active framework gets exactly one whole-agent offer', (kind) => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpus: fc.nat(8), mem: fc.nat(4096) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ role: fc.constantFrom('a', 'b', 'a/x'), active: fc.boolean() }), { maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(4), fc.nat(7)), { maxLength: 12 }),
        fc.integer(),
        (agents, fws, filters, seed) => {
          const allocator = new HierarchicalAllocator({ name: kind, roleSorter: kind, frameworkSorter: kind });
          const m = masterOf(allocator, { agents, fws, filters });
          const { free, made } = runOnce(m, new RandomStream(seed, 'wc'));
          for (let a = 0; a < agents.length; a++) {
            const o = a * NUM_RESOURCES;
            const eligible = m.ctx.isAllocatable(free, o) && fws.some((f, i) => f.active && !m.ctx.isBlocked(i, a));
            const offers = made.filter((x) => x.agent === a);
            expect(offers).toHaveLength(eligible ? 1 : 0);
            if (eligible) expect(Array.from(offers[0]!.res)).toEqual(Array.from(free.subarray(o, o + NUM_RESOURCES)));
          }
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('options', () => {
  test.each(['drf', 'random'] as const)('%s: unknown excluded resource names are rejected', (kind) => {
    expect(() => new HierarchicalAllocator({ name: kind, roleSorter: kind, frameworkSorter: kind, excludedResources: ['gpu'] })).toThrow(/gpu/);
  });

  test('excluding gpus changes who is served first', () => {
    // Total (2 agents) cpus 20, mem 20480, gpus 4. fw g holds agent 0 (1 cpu, 1024 MB, 4 gpus):
    // with gpus its share is 4/4 = 1; without, max(1/20, 1024/20480) = .05. fw c holds
    // agent 1 (9, 9216): .45. The next agent goes to the lower share: c with gpus, g without.
    const run = (excluded: readonly string[]) => {
      const a = new HierarchicalAllocator({ name: 'drf', roleSorter: 'drf', frameworkSorter: 'drf', excludedResources: excluded });
      const m = new MiniMaster(a, 3);
      const g = m.addFramework('g', 'rg');
      const c = m.addFramework('c', 'rc');
      const a0 = m.addAgent(resources({ cpus: 1, mem: 1024, gpus: 4 }));
      const a1 = m.addAgent(resources({ cpus: 9, mem: 9216 }));
      m.ctx.filter(c, a0);
      m.ctx.filter(g, a1);
      m.run(rng('x'), [a0, a1]);
      const probe = m.addAgent(resources({ cpus: 10, mem: 10240 }));
      return m.run(rng('x'), [probe]).map((o) => m.frameworks[o.fw]!.name);
    };
    // the probe (10, 10240) enlarges the totals to (20, 20480, gpus 4) before the run
    expect(run([])).toEqual(['c']);
    expect(run(['gpus'])).toEqual(['g']);
  });
});

describe('offer granularity', () => {
  const make = (granularity: OfferGranularity, kind: SorterKind = 'drf', params: Record<string, unknown> = {}) =>
    new HierarchicalAllocator({ name: kind, roleSorter: kind, frameworkSorter: kind, granularity, params });
  const arr = (v: Float64Array) => Array.from(v);

  test('an unknown granularity is rejected; "agent" is the default', () => {
    expect(() => make('slice' as OfferGranularity)).toThrow(/slice/);
    const run = (a: HierarchicalAllocator) => {
      const m = new MiniMaster(a, 3);
      m.addFramework('x', 'r1');
      m.addFramework('y', 'r2');
      for (let i = 0; i < 3; i++) m.addAgent(agent(2, 2048));
      return m.run(rng('def')).map((o) => [o.fw, o.agent, ...o.res]);
    };
    expect(run(make('agent'))).toEqual(run(drf()));
  });

  test('cluster: one framework, the furthest below its share, gets every free agent of a run', () => {
    // Four agents (2, 2048) and frameworks x (role r1) and y (role r2), both at share 0: name
    // order puts r1 first. With 'agent' each offer raises x's share, so the agents alternate
    // x, y, x, y (two each). With 'cluster' the order is fixed at the start of the run: all
    // four go to x. In the next run x holds everything (share 1), so y is first: nothing is free.
    const offers = (g: OfferGranularity) => {
      const m = new MiniMaster(make(g), 4);
      m.addFramework('x', 'r1');
      m.addFramework('y', 'r2');
      for (let i = 0; i < 4; i++) m.addAgent(agent(2, 2048));
      return { m, made: m.run(rng('cl')).map((o) => o.fw) };
    };
    expect(offers('agent').made.sort()).toEqual([0, 0, 1, 1]);
    const { m, made } = offers('cluster');
    expect(made).toEqual([0, 0, 0, 0]);
    expect(m.run(rng('cl'))).toEqual([]);
  });

  test('cluster: an agent filtered for the first framework goes to the next in the fixed order', () => {
    // As above, x filtered on agent 2: agents 0, 1, 3 to x, agent 2 to y.
    const m = new MiniMaster(make('cluster'), 4);
    const x = m.addFramework('x', 'r1');
    const y = m.addFramework('y', 'r2');
    for (let i = 0; i < 4; i++) m.addAgent(agent(2, 2048));
    m.ctx.filter(x, 2);
    const made = m
      .run(rng('cf'))
      .map((o) => [o.agent, o.fw])
      .sort((a, b) => a[0]! - b[0]!);
    expect(made).toEqual([
      [0, x],
      [1, x],
      [2, y],
      [3, x],
    ]);
  });

  test('task: one agent is split among several frameworks in one run, each offered its next task', () => {
    // Agent (8, 8192); roles r0, r1, r2 (one framework each) at share 0, count 0: name order.
    // Next tasks: f0 (1, 1024), f1 (2, 2048), f2 (4, 4096). Run 1: r0 → f0 (1, 1024), rest
    // (7, 7168); r1 → f1 (2, 2048), rest (5, 5120); r2 → f2 (4, 4096), rest (1, 1024), left
    // for the next run (one offer per framework per agent per run).
    const m = new MiniMaster(make('task'), 1);
    const f = ['r0', 'r1', 'r2'].map((r, i) => m.addFramework(`f${i}`, r));
    m.ctx.demands.set(f[0]!, agent(1, 1024));
    m.ctx.demands.set(f[1]!, agent(2, 2048));
    m.ctx.demands.set(f[2]!, agent(4, 4096));
    m.addAgent(agent(8, 8192));
    expect(m.run(rng('task')).map((o) => [o.fw, arr(o.res)])).toEqual([
      [f[0], arr(agent(1, 1024))],
      [f[1], arr(agent(2, 2048))],
      [f[2], arr(agent(4, 4096))],
    ]);
    expect(arr(m.ctx.free)).toEqual(arr(agent(1, 1024)));
    // Run 2: shares r0 = 1/8 = .125 < r1 = .25 < r2 = .5: f0's next task (1, 1024) takes the rest.
    expect(m.run(rng('task')).map((o) => [o.fw, arr(o.res)])).toEqual([[f[0], arr(agent(1, 1024))]]);
    expect(m.run(rng('task'))).toEqual([]);
  });

  test('task: a framework without a hint, or whose task does not fit, is skipped for that agent', () => {
    // Agent (4, 4096). f0 gives no hint, f1's task (8, 1024) does not fit, f2's (1, 512) does.
    const m = new MiniMaster(make('task'), 1);
    m.addFramework('f0', 'r0');
    const f1 = m.addFramework('f1', 'r1');
    const f2 = m.addFramework('f2', 'r2');
    m.ctx.demands.set(f1, agent(8, 1024));
    m.ctx.demands.set(f2, agent(1, 512));
    m.addAgent(agent(4, 4096));
    expect(m.run(rng('skip')).map((o) => [o.fw, arr(o.res)])).toEqual([[f2, arr(agent(1, 512))]]);
  });

  test('task: a framework gets one task-sized offer on each agent of a run', () => {
    // One framework, task (1, 1024), three agents (2, 2048): three offers, one per agent, and
    // (1, 1024) left on each.
    const m = new MiniMaster(make('task'), 3);
    const f = m.addFramework('f', 'r');
    m.ctx.demands.set(f, agent(1, 1024));
    for (let i = 0; i < 3; i++) m.addAgent(agent(2, 2048));
    const made = m.run(rng('each'));
    expect(made.map((o) => o.agent).sort()).toEqual([0, 1, 2]);
    for (const o of made) expect(arr(o.res)).toEqual(arr(agent(1, 1024)));
  });

  test('task with a quota limit: the task must fit what the limit leaves', () => {
    // Limit cpus 2, task (1, 512), agent (8, 8192): one task per run until 2 cpus are held.
    const m = new MiniMaster(make('task', 'drf', { quota: { r: { limit: { cpus: 2 } } } }), 1);
    const f = m.addFramework('f', 'r');
    m.ctx.demands.set(f, agent(1, 512));
    m.addAgent(agent(8, 8192));
    expect(m.run(rng('tl'))).toHaveLength(1);
    expect(m.run(rng('tl'))).toHaveLength(1);
    expect(m.run(rng('tl'))).toEqual([]);
  });

  test('fair-share: each role is offered up to its weighted fair share of the cluster', () => {
    // Weights a 1, b 3; one agent (8, 8192). Fair shares: a = (8, 8192) / 4 = (2, 2048),
    // b = 3/4 = (6, 6144). Both at share 0, 'a' first: (2, 2048); the rest (6, 6144) to b.
    const al = make('fair-share');
    al.setWeight('a', 1);
    al.setWeight('b', 3);
    const m = new MiniMaster(al, 1);
    const fa = m.addFramework('fa', 'a');
    const fb = m.addFramework('fb', 'b');
    m.addAgent(agent(8, 8192));
    expect(m.run(rng('fs')).map((o) => [o.fw, arr(o.res)])).toEqual([
      [fa, arr(agent(2, 2048))],
      [fb, arr(agent(6, 6144))],
    ]);
    // With b suppressed only a has an active framework: its fair share is the whole cluster.
    m.recoverAll();
    m.allocator.deactivateFramework(fb);
    expect(m.run(rng('fs')).map((o) => [o.fw, arr(o.res)])).toEqual([[fa, arr(agent(8, 8192))]]);
  });

  test('fair-share: shares are floored to whole thousandths; what they leave stays free', () => {
    // Weights 1 and 2, agent (1, 1000): a = floor(1000 m-cpus / 3) = 333 (0.333 cpus),
    // floor(1,000,000 thousandths of a MB / 3) = 333333 (333.333 MB); b = floor(2/3 of it) =
    // (0.666, 666.666). Left: (0.001, 0.001), not allocatable.
    const al = make('fair-share');
    al.setWeight('b', 2);
    const m = new MiniMaster(al, 1);
    m.addFramework('fa', 'a');
    m.addFramework('fb', 'b');
    m.addAgent(agent(1, 1000));
    expect(m.run(rng('floor')).map((o) => arr(o.res))).toEqual([
      [333, 333_333, 0, 0],
      [666, 666_666, 0, 0],
    ]);
    expect(arr(m.ctx.free)).toEqual([1, 1, 0, 0]);
  });

  test('fair-share: what a role already holds counts against its share', () => {
    // Agents A0 (4, 1024), A1 (4, 7168): total (8, 8192); weights 1: fair share (4, 4096) each.
    // Run 1 (b filtered on A0, a on A1): a gets A0 (4, 1024); b gets A1 shrunk to (4, 4096).
    // Run 2 (filters gone): A1 has (0, 3072). Shares a = max(4/8, 1024/8192) = .5, b = .5, counts
    // 1 and 1: 'a' first, capped at (4 − 4, 4096 − 1024) = (0, 3072): the memory only.
    const m = new MiniMaster(make('fair-share'), 2);
    const fa = m.addFramework('fa', 'a');
    const fb = m.addFramework('fb', 'b');
    const a0 = m.addAgent(agent(4, 1024));
    const a1 = m.addAgent(agent(4, 7168));
    m.ctx.filter(fb, a0);
    m.ctx.filter(fa, a1);
    const first = m.run(rng('held')).map((o) => [o.fw, o.agent, arr(o.res)]);
    expect(first).toEqual(
      expect.arrayContaining([
        [fa, a0, arr(agent(4, 1024))],
        [fb, a1, arr(agent(4, 4096))],
      ]),
    );
    expect(first).toHaveLength(2);
    m.ctx.unfilter(fb, a0);
    m.ctx.unfilter(fa, a1);
    expect(m.run(rng('held')).map((o) => [o.fw, o.agent, arr(o.res)])).toEqual([[fa, a1, arr(agent(0, 3072))]]);
  });

  test('task in stage 1: the guarantee is served one task at a time, and the framework gets one task per agent', () => {
    // Role q: guarantee (2, 2048); role o: none; both frameworks' next task (1, 1024); agent
    // (4, 4096). Stage 1 (q has the unmet guarantee, although 'o' < 'q'): guarantee part
    // (2, 2048), rest (2, 2048) within the surplus (4,4096) − (2,2048): the task fits and is
    // offered; its guarantee part (1, 1024) lowers required headroom to (1, 1024). Stage 2: free
    // (3, 3072), surplus (3,3072) − (1,1024) = (2, 2048); o (share 0) first: its task fits. q is
    // skipped: it already has a task on this agent this run. (2, 2048) stays free.
    const m = new MiniMaster(make('task', 'drf', { quota: { q: { guarantee: { cpus: 2, mem: 2048 } } } }), 1);
    const fq = m.addFramework('fq', 'q');
    const fo = m.addFramework('fo', 'o');
    m.ctx.demands.set(fq, agent(1, 1024));
    m.ctx.demands.set(fo, agent(1, 1024));
    m.addAgent(agent(4, 4096));
    expect(m.run(rng('t1')).map((o) => [o.fw, arr(o.res)])).toEqual([
      [fq, arr(agent(1, 1024))],
      [fo, arr(agent(1, 1024))],
    ]);
    expect(arr(m.ctx.free)).toEqual(arr(agent(2, 2048)));
  });

  test('fair-share in stage 1: an unmet guarantee is offered whole, above the fair share; only the rest is capped', () => {
    // Roles q (guarantee (6, 6144)) and o, weight 1 each: fair share (4, 4096) each of (8, 8192).
    // Stage 1: guarantee part (6, 6144); the rest (2, 2048) fits the surplus but the fair-share
    // cap (4,4096) − (6,6144) is negative: q gets (6, 6144). Stage 2: guarantee met, o (0) gets
    // the rest (2, 2048), within its fair share.
    const m = new MiniMaster(make('fair-share', 'drf', { quota: { q: { guarantee: { cpus: 6, mem: 6144 } } } }), 1);
    const fq = m.addFramework('fq', 'q');
    const fo = m.addFramework('fo', 'o');
    m.addAgent(agent(8, 8192));
    expect(m.run(rng('f1')).map((o) => [o.fw, arr(o.res)])).toEqual([
      [fq, arr(agent(6, 6144))],
      [fo, arr(agent(2, 2048))],
    ]);
  });

  const kinds: readonly SorterKind[] = ['drf', 'random'];
  const clusterArb = fc.record({
    agents: fc.array(fc.record({ cpus: fc.nat(8), mem: fc.nat(4096) }), { minLength: 1, maxLength: 6 }),
    fws: fc.array(
      fc.record({
        role: fc.constantFrom('a', 'b', 'c', 'a/x'),
        demand: fc.option(fc.record({ cpus: fc.integer({ min: 0, max: 8 }).map((x) => x / 2), mem: fc.nat(2048) })),
      }),
      { maxLength: 5 },
    ),
    weights: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'a/x'), fc.integer({ min: 1, max: 8 }))),
    steps: fc.array(fc.oneof(fc.constant(-1), fc.nat(20)), { maxLength: 10 }),
    seed: fc.integer(),
  });

  test.each(kinds)("%s: task offers are exactly the receiver's next task, one per framework and agent a run", (kind) => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const m = new MiniMaster(make('task', kind), c.agents.length);
        c.agents.forEach((a) => m.addAgent(agent(a.cpus, a.mem)));
        c.fws.forEach((f, i) => {
          m.addFramework(`f${i}`, f.role);
          if (f.demand !== null) m.ctx.demands.set(i, agent(f.demand.cpus, f.demand.mem));
        });
        const r = new RandomStream(c.seed, 'tp');
        for (const s of [-1, ...c.steps]) {
          if (s >= 0) {
            if (m.held.length > 0) m.recover(m.held[s % m.held.length]!);
            continue;
          }
          const made = m.run(r);
          expect(m.ctx.violations).toEqual([]);
          const pairs = new Set(made.map((o) => `${o.fw}:${o.agent}`));
          expect(pairs.size).toBe(made.length);
          for (const o of made) expect(arr(o.res)).toEqual(arr(m.ctx.demands.get(o.fw)!));
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  test.each(kinds)('%s: fair-share offers never lift a role above its weighted fair share', (kind) => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const al = make('fair-share', kind);
        const weights = new Map<string, number>();
        for (const [role, w] of c.weights) {
          al.setWeight(role, w);
          weights.set(role, w);
        }
        const m = new MiniMaster(al, c.agents.length);
        c.agents.forEach((a) => m.addAgent(agent(a.cpus, a.mem)));
        c.fws.forEach((f, i) => m.addFramework(`f${i}`, f.role));
        const total = new Float64Array(NUM_RESOURCES);
        c.agents.forEach((a) => addInto(total, 0, agent(a.cpus, a.mem)));
        const roles = [...new Set(c.fws.map((f) => f.role))];
        const sumW = roles.reduce((s, role) => s + (weights.get(role) ?? 1), 0);
        const held = (role: string) => {
          const v = new Float64Array(NUM_RESOURCES);
          for (const o of m.held) if (m.frameworks[o.fw]!.role === role) addInto(v, 0, o.res);
          return v;
        };
        const r = new RandomStream(c.seed, 'fp');
        for (const s of [-1, ...c.steps]) {
          if (s >= 0) {
            if (m.held.length > 0) m.recover(m.held[s % m.held.length]!);
            continue;
          }
          const before = new Map(roles.map((role) => [role, held(role)]));
          m.run(r);
          expect(m.ctx.violations).toEqual([]);
          for (const role of roles) {
            const after = held(role);
            for (let x = 0; x < NUM_RESOURCES; x++) {
              const fair = Math.floor((total[x]! * (weights.get(role) ?? 1)) / sumW);
              expect(after[x]!).toBeLessThanOrEqual(Math.max(before.get(role)![x]!, fair));
            }
          }
        }
      }),
      { seed: 12, numRuns: 200 },
    );
  });
});
