/**
 * The hierarchical allocator's ranking port (Allocator.frameworkOrder and allocated), which the
 * non-offer baselines use: the order is the sorters', and a placement counts as an offer would,
 * until recover takes it back. The baselines' side is in sim/model/central*.test.ts.
 */
import { RandomStream } from '../sim/kernel/rng.js';
import { resources } from '../sim/model/resources.js';
import { getAllocator } from './registry.js';
import { MiniMaster } from './test-support/fake-context.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import { agentIx, frameworkIx } from '../sim/model/ids.js';

const rng = new RandomStream(1, 'test');

/** A 'monolithic' allocator over one agent of `total`, with frameworks named `names` in `roles`. */
function ranked(names: readonly string[], roles: readonly string[], total = resources({ cpus: 100, mem: 100 }), params = {}): Allocator {
  const a = getAllocator('monolithic')!.create({ params });
  a.addAgent(agentIx(0), total);
  names.forEach((name, index) => a.addFramework({ index: frameworkIx(index), name, role: roles[index]! }));
  return a;
}

describe('frameworkOrder', () => {
  // Mesos sorter_tests.cpp HierarchicalAllocation (apache/mesos src/tests/sorter_tests.cpp:685-723):
  // on 100 cpus / 100 mem, a holds 6, b/c 4, b/d 3: b's subtree (.07) ranks after a (.06), and
  // b/d (.03) before b/c (.04) within it: [a, b/d, b/c] (line 723).
  test('roles by the role sorter (nested), frameworks within each', () => {
    const a = ranked(['fa', 'fc', 'fd'], ['a', 'b/c', 'b/d']);
    a.allocated!(frameworkIx(0), agentIx(0), resources({ cpus: 6, mem: 6 }));
    a.allocated!(frameworkIx(1), agentIx(0), resources({ cpus: 4, mem: 4 }));
    a.allocated!(frameworkIx(2), agentIx(0), resources({ cpus: 3, mem: 3 }));
    expect(a.frameworkOrder!(rng)).toEqual([0, 2, 1]);
  });

  // Mesos sorter_tests.cpp AllocationCountTieBreak (lines 419-452): five clients hold 3 cpus and
  // 3 mem each; c in three allocations, d in two, the others in one: [a, b, e, d, c]. Here they are
  // five frameworks of one role, ranked by its framework sorter; a suppressed one is left out.
  test('equal shares: fewer allocations first, then names; only active frameworks', () => {
    const a = ranked(['a', 'b', 'c', 'd', 'e'], ['*', '*', '*', '*', '*']);
    const one = resources({ cpus: 1, mem: 1 });
    for (const [fw, parts] of [
      [0, [3]],
      [1, [3]],
      [2, [1, 1, 1]],
      [3, [2, 1]],
      [4, [3]],
    ] as const) {
      for (const n of parts) a.allocated!(frameworkIx(fw), agentIx(0), resources({ cpus: n, mem: n }));
    }
    expect(a.frameworkOrder!(rng)).toEqual([0, 1, 4, 3, 2]);
    a.deactivateFramework(frameworkIx(4));
    expect(a.frameworkOrder!(rng)).toEqual([0, 1, 3, 2]);
    // Counts survive recovery (sorter_tests.cpp:455-463): c back to 0 comes first, then to 3 again, last.
    a.recover(frameworkIx(2), agentIx(0), resources({ cpus: 3, mem: 3 }));
    expect(a.frameworkOrder!(rng)[0]).toBe(2);
    a.allocated!(frameworkIx(2), agentIx(0), one);
    a.allocated!(frameworkIx(2), agentIx(0), resources({ cpus: 2, mem: 2 }));
    expect(a.frameworkOrder!(rng)).toEqual([0, 1, 3, 2]);
  });
});

describe('allocated', () => {
  // Quota limit 4 cpus on role q, one 8-cpu agent: a placement of 3 cpus leaves 1 cpu to offer
  // (the limit counts it as consumed, as an offer); once recovered, 4 again.
  test('counts toward quota consumption as an offer would; recover undoes it', () => {
    const a = getAllocator('drf')!.create({ params: { quota: { q: { limit: { cpus: 4 } } } } });
    const m = new MiniMaster(a, 1);
    m.addAgent(resources({ cpus: 8, mem: 8192 }));
    m.addFramework('f', 'q');
    const placed = resources({ cpus: 3, mem: 1024 });
    a.allocated!(frameworkIx(0), agentIx(0), placed);
    m.ctx.free.set(resources({ cpus: 5, mem: 7168 }), 0);
    expect(m.run(rng).map((o) => o.res[0])).toEqual([1000]);
    m.recoverAll();
    a.recover(frameworkIx(0), agentIx(0), placed);
    m.ctx.free.set(resources({ cpus: 8, mem: 8192 }), 0);
    expect(m.run(rng).map((o) => o.res[0])).toEqual([4000]);
    m.recoverAll();
    a.removeFramework(frameworkIx(0)); // throws if anything were still held
  });

  // A reservation counts toward its role's quota whether used or not (notes §1.6), so a placement
  // on it must not count twice: role q, limit 4 cpus, 2 cpus reserved for q on agent 1. Placing a
  // 2-cpu task on the reservation leaves consumption at 2: agent 0's offer is chopped to 2 cpus.
  test('the reserved part of a placement is not counted twice toward quota', () => {
    const a = getAllocator('drf')!.create({ params: { quota: { q: { limit: { cpus: 4 } } } } });
    const m = new MiniMaster(a, 2);
    m.addAgent(resources({ cpus: 8, mem: 8192 }));
    m.addAgent(resources({ cpus: 2, mem: 1024 }), [{ role: 'q', res: resources({ cpus: 2, mem: 1024 }) }]);
    m.addFramework('f', 'q');
    const task = resources({ cpus: 2, mem: 1024 });
    a.allocated!(frameworkIx(0), agentIx(1), task, task);
    m.ctx.pools[0]!.free.fill(0);
    expect(m.run(rng, [agentIx(0)]).map((o) => o.res[0])).toEqual([2000]);
  });
});
