/**
 * Static reservations in the hierarchical allocator: Mesos `Reservations` and `ReservedDRF`
 * (hierarchical_allocator_tests.cpp) and quota consumption with reservations, with the numbers
 * worked out by hand in comments, driven through the test-support mini master.
 */
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, addInto, amounts, resources } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { getAllocator } from './registry.js';
import type { SorterKind } from './sorter/registry.js';
import { MiniMaster, type RecordedOffer } from './test-support/fake-context.js';

const res = (cpus: number, mem: number) => resources({ cpus, mem, disk: 0 });
const rng = (name: string) => new RandomStream(1, name);
/** An offer as [framework, agent, cpus, mem, reserved cpus, reserved mem], in scenario units. */
const show = (o: RecordedOffer) => {
  const a = amounts(o.res);
  const r = o.reserved === undefined ? { cpus: 0, mem: 0 } : amounts(o.reserved);
  return [o.fw, o.agent, a.cpus, a.mem, r.cpus, r.mem];
};

function allocator(kind: SorterKind, quota?: unknown): HierarchicalAllocator {
  return new HierarchicalAllocator({
    name: kind,
    roleSorter: kind,
    frameworkSorter: kind,
    params: quota === undefined ? {} : { quota },
  });
}

/** What framework `fw` was offered in `offers`, summed, as [cpus, mem, reserved cpus, reserved mem]. */
function offeredTo(offers: readonly RecordedOffer[], fw: number): number[] {
  const sum = new Float64Array(NUM_RESOURCES);
  const rsv = new Float64Array(NUM_RESOURCES);
  for (const o of offers) {
    if (o.fw !== fw) continue;
    addInto(sum, 0, o.res);
    if (o.reserved !== undefined) addInto(rsv, 0, o.reserved);
  }
  const a = amounts(sum);
  const r = amounts(rsv);
  return [a.cpus ?? 0, a.mem ?? 0, r.cpus ?? 0, r.mem ?? 0];
}

describe.each(['drf', 'random'] as const)('Mesos Reservations (%s sorters)', (kind) => {
  // slave1 = cpus(role1):2;mem(role1):1024, slave2 = cpus(role2):2;mem(role2):1024;cpus:1;mem:1024,
  // slave3 = cpus(role3):1;mem(role3):1024 (role3 has no framework: never offered).
  // framework1 (role1) arrives: a run over all agents gives it slave1 whole (all reserved for
  // role1) and slave2's unreserved cpus 1, mem 1024; slave2's role2 reservation stays put.
  // framework2 (role2) arrives: the next run gives it slave2's reservation, cpus 2, mem 1024.
  // slave3 is offered in neither run. Only one framework can take each part, so the sorter kind
  // does not matter.
  test('reserved resources go only to their role; a role without frameworks keeps its own', () => {
    const m = new MiniMaster(allocator(kind), 3);
    const s1 = m.addAgent(res(2, 1024), [{ role: 'role1', res: res(2, 1024) }]);
    const s2 = m.addAgent(res(3, 2048), [{ role: 'role2', res: res(2, 1024) }]);
    const s3 = m.addAgent(res(1, 1024), [{ role: 'role3', res: res(1, 1024) }]);
    const f1 = m.addFramework('framework1', 'role1');
    const first = m.run(rng('r1')).map(show).sort();
    expect(first).toEqual([
      [f1, s1, 2, 1024, 2, 1024],
      [f1, s2, 1, 1024, 0, 0],
    ]);
    const f2 = m.addFramework('framework2', 'role2');
    expect(m.run(rng('r2')).map(show)).toEqual([[f2, s2, 2, 1024, 2, 1024]]);
    expect(m.run(rng('r3'))).toEqual([]);
    expect(m.ctx.offers.some((o) => o.agent === s3)).toBe(false);
    expect(m.ctx.violations).toEqual([]);
  });
});

describe('Mesos ReservedDRF', () => {
  // Each agent addition runs over that agent only; a framework addition over all agents.
  // slave1 = cpus:1;mem:512 + cpus(role1):100;mem(role1):1024. framework1 (role1) gets it all:
  //   cpus 101, mem 1536, of which cpus 100, mem 1024 reserved.
  // framework2 (role2); slave2 = cpus:2;mem:512. Totals cpus 103, mem 2048:
  //   role1 = max(101/103, 1536/2048) = .98 (the offered reservation counts), role2 = 0 -> f2.
  // slave3 = cpus:2;mem:512. Totals cpus 105, mem 2560: role1 = max(101/105, 1536/2560) = .96,
  //   role2 = max(2/105, 512/2560) = .2 -> framework2 again.
  // framework3 (role1); slave4 = cpus(role1):2;mem(role1):1024, reserved: only role1 may take it,
  //   and within role1 framework3 (share 0) comes before framework1 (share 101/109 = .93) -> f3.
  test('offered reservations count toward shares; role1 reservations go fairly within role1', () => {
    const m = new MiniMaster(allocator('drf'), 4);
    const s1 = m.addAgent(res(101, 1536), [{ role: 'role1', res: res(100, 1024) }]);
    const f1 = m.addFramework('framework1', 'role1');
    expect(m.run(rng('a')).map(show)).toEqual([[f1, s1, 101, 1536, 100, 1024]]);
    const f2 = m.addFramework('framework2', 'role2');
    expect(m.run(rng('b'))).toEqual([]);
    const s2 = m.addAgent(res(2, 512));
    expect(m.run(rng('c'), [s2]).map(show)).toEqual([[f2, s2, 2, 512, 0, 0]]);
    const s3 = m.addAgent(res(2, 512));
    expect(m.run(rng('d'), [s3]).map(show)).toEqual([[f2, s3, 2, 512, 0, 0]]);
    const f3 = m.addFramework('framework3', 'role1');
    expect(m.run(rng('e'))).toEqual([]);
    const s4 = m.addAgent(res(2, 1024), [{ role: 'role1', res: res(2, 1024) }]);
    expect(m.run(rng('f'), [s4]).map(show)).toEqual([[f3, s4, 2, 1024, 2, 1024]]);
    expect(m.ctx.violations).toEqual([]);
  });

  // agent0 = cpus(r1):8;mem(r1):8192 (all reserved), agent1 = cpus:4;mem:4096. framework a (r1)
  // is filtered on agent0, so r1's reservation stays unallocated. On agent1 both roles have share
  // 0 (an unallocated reservation counts for nothing; if it counted, r1 would be at
  // max(8/12, 8192/12288) = .67 and b would win), so the tie goes by allocation count (0, 0) and
  // then name: r1 < r2, and a gets agent1.
  test('unallocated reservations do not count toward shares (MESOS-8299)', () => {
    const m = new MiniMaster(allocator('drf'), 2);
    const a0 = m.addAgent(res(8, 8192), [{ role: 'r1', res: res(8, 8192) }]);
    const a1 = m.addAgent(res(4, 4096));
    const a = m.addFramework('a', 'r1');
    m.addFramework('b', 'r2');
    m.ctx.filter(a, a0);
    expect(m.run(rng('x')).map(show)).toEqual([[a, a1, 4, 4096, 0, 0]]);
  });
});

describe('quota with reservations', () => {
  // agent0 = cpus:4;mem:4096 with cpus(q):2;mem(q):2048 reserved; agent1 = cpus:4;mem:4096.
  // Cluster total cpus 8, mem 8192; role q has no framework; framework o is in role 'other'.
  const cluster = (m: MiniMaster) => {
    m.addAgent(res(4, 4096), [{ role: 'q', res: res(2, 2048) }]);
    m.addAgent(res(4, 4096));
    return m.addFramework('o', 'other');
  };

  // Guarantee q = cpus 2, mem 2048: consumed(q) = its reservation (2, 2048), used or not, so the
  // guarantee is met and nothing is held back: o gets all unreserved, 2 + 4 cpus, 2048 + 4096 mem.
  // (Were the reservation not counted, 2 cpus and 2048 mem would be held back for q as well.)
  test('a reservation counts as consumed quota even when unallocated', () => {
    const m = new MiniMaster(allocator('drf', { q: { guarantee: { cpus: 2, mem: 2048 } } }), 2);
    const o = cluster(m);
    expect(offeredTo(m.run(rng('q1')), o)).toEqual([6, 6144, 0, 0]);
  });

  // Guarantee q = cpus 4, mem 4096: required headroom = (4, 4096) − (2, 2048) = (2, 2048).
  // Available headroom = total (8, 8192) − offered/allocated (0) − unallocated reservations
  // (2, 2048) = (6, 6144); o may take 6 − 2 = 4 cpus and 4096 mem, whatever the agent order.
  test('headroom subtracts unallocated reservations (notes §1.2 step 5)', () => {
    const m = new MiniMaster(allocator('drf', { q: { guarantee: { cpus: 4, mem: 4096 } } }), 2);
    const o = cluster(m);
    expect(offeredTo(m.run(rng('q2')), o)).toEqual([4, 4096, 0, 0]);
  });

  // Limit q = cpus 3, mem 3072 and framework p in q alone (o filtered everywhere): consumed(q)
  // = (2, 2048) from the reservation, so p may take 1 cpu, 1024 mem unreserved on top of its
  // reservation, which is offered whole and never shrunk: 3 cpus, 3072 mem in all, 2 and 2048 of
  // them reserved, whichever agent comes first. The 5 cpus, 5120 mem left stay unoffered.
  test('the limit caps unreserved resources on top of the reservation', () => {
    const m = new MiniMaster(allocator('drf', { q: { limit: { cpus: 3, mem: 3072 } } }), 2);
    const o = cluster(m);
    m.ctx.filter(o, 0);
    m.ctx.filter(o, 1);
    const p = m.addFramework('p', 'q');
    const offers = m.run(rng('q3'));
    expect(offeredTo(offers, p)).toEqual([3, 3072, 2, 2048]);
    expect(offeredTo(offers, o)).toEqual([0, 0, 0, 0]);
    expect(m.ctx.violations).toEqual([]);
  });

  // Stage 1 (notes §1.2): with guarantee q = cpus 3, mem 3072 and the reservation (2, 2048),
  // q's unmet guarantee is (1, 1024); framework p (role q/dev, a subrole, so the ancestor's
  // reservation is allocatable to it) is offered the unmet part plus the reservation whole in
  // stage 1, on whichever agent it gets first; o is held back by the required headroom until q is met.
  test('stage 1 includes the reservations of the role (and of its ancestors)', () => {
    const m = new MiniMaster(allocator('drf', { q: { guarantee: { cpus: 3, mem: 3072 } } }), 2);
    cluster(m);
    const p = m.addFramework('p', 'q/dev');
    const offers = m.run(rng('q4'));
    const got = offeredTo(offers, p);
    expect(got.slice(2)).toEqual([2, 2048]);
    expect(got[0]).toBeGreaterThanOrEqual(3);
    expect(m.ctx.violations).toEqual([]);
  });
});

describe('reservations under every hierarchical policy', () => {
  // One agent, cpus 4, mem 4096 of which cpus(ads):3;mem(ads):3072. A framework in role '*' may
  // only ever be offered the unreserved cpus 1, mem 1024, and only if it comes first; 'ads/x' (a
  // descendant of ads) always gets the reservation, plus the unreserved part when it comes first
  // (Mesos toOffer = reservations + unreserved). Either way the whole agent is offered.
  test.each(['drf', 'random', 'asset', 'cpu-share', 'fifo', 'priority'])('%s', (name) => {
    const m = new MiniMaster(getAllocator(name)!.create({}), 1);
    m.addAgent(res(4, 4096), [{ role: 'ads', res: res(3, 3072) }]);
    const star = m.addFramework('star', '*');
    const ads = m.addFramework('ads-x', 'ads/x');
    const check = (offers: readonly RecordedOffer[]) => {
      const s = offeredTo(offers, star);
      const a = offeredTo(offers, ads);
      expect([
        [1, 1024, 0, 0],
        [0, 0, 0, 0],
      ]).toContainEqual(s);
      expect(a.slice(2)).toEqual([3, 3072]);
      expect([s[0]! + a[0]!, s[1]! + a[1]!]).toEqual([4, 4096]);
    };
    check(m.run(rng(name)));
    expect(m.ctx.violations).toEqual([]);
    // Everything recovered returns to its pool: the next run offers the whole agent again.
    m.recoverAll();
    check(m.run(rng(`${name}-2`)));
    expect(m.ctx.violations).toEqual([]);
  });
});
