/**
 * static allocator tests: partitions worked out by hand (blocks, interleaved, a framework list,
 * a fixed agent count), the Mesos paper's "16 frameworks, each on 1/16 of the nodes" and
 * "4 frameworks on 24 of 96 nodes", re-splitting as frameworks register, no work conservation,
 * and parameter validation.
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, resources } from '../sim/model/resources.js';
import { eligibilityOf } from './eligibility.js';
import { StaticPartitionAllocator, parseStaticParams, validateStaticParams } from './static-partition.js';
import { FakeContext, MiniMaster } from './test-support/fake-context.js';
import { agentIx, frameworkIx } from '../sim/model/ids.js';

const node = () => resources({ cpus: 4, mem: 15 * 1024 });
const rng = (name: string) => new RandomStream(1, name);

/** A cluster of `agents` nodes and `fws` frameworks named f0, f1, ...; returns the master. */
function cluster(params: Record<string, unknown>, agents: number, fws: number): MiniMaster {
  const m = new MiniMaster(new StaticPartitionAllocator({ params }), agents);
  for (let i = 0; i < agents; i++) m.addAgent(node());
  for (let k = 0; k < fws; k++) m.addFramework(`f${k}`, `r${k % 3}`);
  return m;
}

/** The framework each agent was offered to in one run (-1 for none), by agent index. */
function owners(m: MiniMaster, agents: number, seed = 'o'): number[] {
  const got = new Array<number>(agents).fill(-1);
  for (const o of m.run(rng(seed))) got[o.agent] = o.fw;
  return got;
}

describe('static: blocks (the default layout)', () => {
  test('10 agents, 3 frameworks: agent i in partition floor(3i/10): 4, 3 and 3 agents', () => {
    // i = 0..3: 3i/10 < 1 (0, .3, .6, .9); i = 4..6: 1.2, 1.5, 1.8; i = 7..9: 2.1, 2.4, 2.7.
    // So partition k holds i in [10k/3, 10(k+1)/3): [0, 3.33), [3.33, 6.67), [6.67, 10).
    const m = cluster({}, 10, 3);
    expect(owners(m, 10)).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const a = m.allocator as StaticPartitionAllocator;
    expect(a.partitions()).toBe(3);
    expect([0, 1, 2].map((f) => a.partitionOf(frameworkIx(f)))).toEqual([0, 1, 2]);
  });

  test('Mesos paper locality setup: 16 frameworks on 93 nodes, each on a contiguous 1/16 (5 or 6 nodes)', () => {
    // Partition k starts at ceil(93k/16): 0, 6, 12, 18, 24, 30, 35, 41, 47, 53, 59, 64, 70, 76,
    // 82, 88, (93). Sizes: 6 each but 5 for k = 5 (30..34), 10 (59..63) and 15 (88..92).
    const m = cluster({}, 93, 16);
    const got = owners(m, 93);
    const starts = [0, 6, 12, 18, 24, 30, 35, 41, 47, 53, 59, 64, 70, 76, 82, 88, 93];
    const expected: number[] = [];
    for (let k = 0; k < 16; k++) for (let i = starts[k]!; i < starts[k + 1]!; i++) expected.push(k);
    expect(got).toEqual(expected);
    const sizes = Array.from({ length: 16 }, (_, k) => got.filter((f) => f === k).length);
    expect(sizes).toEqual([6, 6, 6, 6, 6, 5, 6, 6, 6, 6, 5, 6, 6, 6, 6, 5]);
  });

  test('Mesos paper macrobenchmark: 4 frameworks, static partitions of 24 of 96 nodes', () => {
    const got = owners(cluster({}, 96, 4), 96);
    for (let k = 0; k < 4; k++) expect(got.slice(24 * k, 24 * (k + 1))).toEqual(new Array(24).fill(k));
  });

  test('agents: a fixed N; agent i >= N counts as i mod N', () => {
    // N = 4, F = 2: i mod 4 = 0, 1 -> partition 0; 2, 3 -> 1. Six agents: 0 0 1 1 0 0.
    expect(owners(cluster({ agents: 4 }, 6, 2), 6)).toEqual([0, 0, 1, 1, 0, 0]);
  });
});

describe('static: other layouts and orders', () => {
  test('interleaved: agent i in partition i mod F', () => {
    expect(owners(cluster({ layout: 'interleaved' }, 7, 3), 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  test('a framework list fixes the partition order; unlisted frameworks get nothing, missing ones leave idle agents', () => {
    // frameworks [f2, f0, ghost]: F = 3 over 6 agents, blocks of 2: f2 gets 0-1, f0 gets 2-3,
    // ghost (never registers) owns 4-5, which stay free; f1 is not listed: nothing.
    const m = cluster({ frameworks: ['f2', 'f0', 'ghost'] }, 6, 3);
    expect(owners(m, 6)).toEqual([2, 2, 0, 0, -1, -1]);
    expect((m.allocator as StaticPartitionAllocator).partitionOf(frameworkIx(1))).toBe(-1);
  });
});

describe('static: over time', () => {
  test('by default F is the number of frameworks registered so far: a newcomer re-splits the agents', () => {
    const m = cluster({}, 4, 1);
    expect(owners(m, 4)).toEqual([0, 0, 0, 0]);
    m.recoverAll();
    m.addFramework('late', 'r');
    // F = 2: floor(2i/4) = 0, 0, 1, 1
    expect(owners(m, 4)).toEqual([0, 0, 1, 1]);
    // N grows with the agents: a fifth agent makes N = 5, floor(2i/5) = 0 0 0 1 1 for i = 0..4
    m.recoverAll();
    m.addAgent(node());
    expect(owners(m, 5)).toEqual([0, 0, 0, 1, 1]);
  });

  test('agents are numbered as they first register, whatever their index, and keep their number', () => {
    const a = new StaticPartitionAllocator({ params: { layout: 'interleaved' } });
    a.addFramework({ index: frameworkIx(0), name: 'x', role: 'r' });
    a.addFramework({ index: frameworkIx(1), name: 'y', role: 'r' });
    a.addAgent(agentIx(7), node()); // number 0
    a.addAgent(agentIx(3), node()); // number 1
    a.addAgent(agentIx(5), node()); // number 2
    expect([7, 3, 5].map((i) => a.ownerOf(agentIx(i)))).toEqual([0, 1, 0]);
    a.removeAgent(agentIx(3), node());
    a.addAgent(agentIx(3), node());
    expect(a.ownerOf(agentIx(3))).toBe(1);
    expect(a.ownerOf(agentIx(4))).toBe(-1); // never registered
  });
});

describe('static: not work-conserving', () => {
  test('an agent whose owner is suppressed or filtered stays free, though others would take it', () => {
    const m = cluster({}, 4, 2); // f0: agents 0, 1; f1: agents 2, 3
    m.allocator.deactivateFramework(frameworkIx(0));
    m.ctx.filter(1, 3);
    expect(owners(m, 4)).toEqual([-1, -1, 1, -1]);
    expect(Array.from(m.ctx.free.subarray(0, NUM_RESOURCES))).toEqual(Array.from(node()));
    const rule = eligibilityOf(m.allocator)!;
    expect([0, 1, 2, 3].map((a) => rule.isEligible(frameworkIx(1), agentIx(a)))).toEqual([false, false, true, true]);
  });

  test('inside its partition a framework is offered as under drf (one-task granularity honoured)', () => {
    // Granularity 'task': f0 is offered one task's worth on each of its agents, and what is left
    // stays free: f1 may not have it.
    const a = new StaticPartitionAllocator({ granularity: 'task' });
    const ctx = new FakeContext(2);
    ctx.free.set(node(), 0);
    ctx.free.set(node(), NUM_RESOURCES);
    a.addAgent(agentIx(0), node());
    a.addAgent(agentIx(1), node());
    a.addFramework({ index: frameworkIx(0), name: 'f0', role: 'r' });
    a.addFramework({ index: frameworkIx(1), name: 'f1', role: 'r' });
    ctx.demands.set(0, resources({ cpus: 1, mem: 1024 }));
    ctx.demands.set(1, resources({ cpus: 1, mem: 1024 }));
    a.allocate(ctx, [agentIx(0), agentIx(1)], rng('t'));
    expect(ctx.violations).toEqual([]);
    expect(ctx.offers.map((o) => [o.fw, o.agent]).sort()).toEqual([
      [0, 0],
      [1, 1],
    ]);
    for (const o of ctx.offers) expect(Array.from(o.res)).toEqual(Array.from(resources({ cpus: 1, mem: 1024 })));
  });

  test('property: every offer is inside the receiver partition, and each owned free agent with a taker is offered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(5), fc.nat(11)), { maxLength: 12 }),
        fc.constantFrom('blocks', 'interleaved'),
        fc.integer(),
        (n, active, filters, layout, seed) => {
          const m = new MiniMaster(new StaticPartitionAllocator({ params: { layout } }), n);
          for (let i = 0; i < n; i++) m.addAgent(node());
          active.forEach((on, k) => {
            m.addFramework(`f${k}`, 'r');
            if (!on) m.allocator.deactivateFramework(frameworkIx(k));
          });
          for (const [f, a] of filters) m.ctx.filter(f, a);
          const made = m.run(new RandomStream(seed, 'static'));
          expect(m.ctx.violations).toEqual([]);
          const f = active.length;
          for (let a = 0; a < n; a++) {
            const owner = f === 0 ? -1 : layout === 'blocks' ? Math.floor((a * f) / n) : a % f;
            const offers = made.filter((o) => o.agent === a).map((o) => o.fw);
            const taker = owner >= 0 && active[owner] === true && !m.ctx.isBlocked(owner, a);
            expect(offers).toEqual(taker ? [owner] : []);
          }
        },
      ),
      { seed: 5150, numRuns: 200 },
    );
  });
});

describe('static: parameters', () => {
  test('defaults', () => {
    expect(parseStaticParams({})).toEqual({ frameworks: undefined, layout: 'blocks', agents: undefined });
  });

  test('every problem, with its path', () => {
    expect(validateStaticParams({ frameworks: ['a', 'b'], layout: 'interleaved', agents: 16 })).toEqual([]);
    const problems = validateStaticParams({
      frameworks: ['a', '', 'a', 'x/y', 3],
      layout: 'racks',
      agents: 0,
      partitions: 4,
    });
    expect(problems).toEqual([
      { path: ['partitions'], message: expect.stringMatching(/unknown parameter "partitions" of allocator static; known: frameworks, layout, agents/) },
      { path: ['frameworks', 1], message: 'expected a framework name (non-empty, no "/"), got ""' },
      { path: ['frameworks', 2], message: '"a" is listed twice (also frameworks[0])' },
      { path: ['frameworks', 3], message: 'expected a framework name (non-empty, no "/"), got "x/y"' },
      { path: ['frameworks', 4], message: 'expected a framework name (non-empty, no "/"), got 3' },
      { path: ['layout'], message: 'expected "blocks" or "interleaved", got "racks"' },
      { path: ['agents'], message: 'expected an integer >= 1, got 0' },
    ]);
    expect(validateStaticParams({ frameworks: [] })).toEqual([{ path: ['frameworks'], message: 'expected a non-empty list of framework names, got []' }]);
    expect(() => new StaticPartitionAllocator({ params: { agents: 2.5 } })).toThrow(/params\.agents: expected an integer/);
  });
});
