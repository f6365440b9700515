/**
 * fifo allocator tests: recipients worked out by hand (registration order, not names, roles,
 * weights or shares), and the property that every agent goes to the earliest-registered active
 * framework not filtered on it.
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, resources } from '../sim/model/resources.js';
import { FifoAllocator } from './fifo.js';
import { getAllocator } from './registry.js';
import { MiniMaster } from './test-support/fake-context.js';
import { masterOf, runOnce } from './test-support/small-cluster.js';

const agent = (cpus: number, mem: number) => resources({ cpus, mem });
const rng = (name: string) => new RandomStream(1, name);

describe('fifo', () => {
  test('every agent goes to the first framework registered, whatever names, roles and weights say', () => {
    const a = new FifoAllocator();
    a.setWeight('r2', 100);
    const m = new MiniMaster(a, 3);
    const zeta = m.addFramework('zeta', 'r1');
    const alpha = m.addFramework('alpha', 'r2');
    m.addFramework('mid', 'r1');
    for (let i = 0; i < 3; i++) m.addAgent(agent(1, 1024));
    // zeta ends up holding the whole cluster: a fair policy would have turned to alpha long ago.
    expect(m.run(rng('a')).map((o) => o.fw)).toEqual([zeta, zeta, zeta]);

    // zeta filtered on agent 2: agent 2 goes to the next in line, alpha.
    m.recoverAll();
    m.ctx.filter(zeta, 2);
    const made = m.run(rng('b')).map((o) => [o.fw, o.agent]);
    expect(made.sort()).toEqual(
      [
        [zeta, 0],
        [zeta, 1],
        [alpha, 2],
      ].sort(),
    );
  });

  test('suppress skips a framework; revive puts it back in its place, not at the back', () => {
    const m = new MiniMaster(new FifoAllocator(), 2);
    const first = m.addFramework('first', 'x');
    const second = m.addFramework('second', 'y');
    m.addAgent(agent(1, 1024));
    m.addAgent(agent(1, 1024));
    m.allocator.deactivateFramework(first);
    expect(m.run(rng('s')).map((o) => o.fw)).toEqual([second, second]);
    m.recoverAll();
    m.allocator.activateFramework(first);
    expect(m.run(rng('s')).map((o) => o.fw)).toEqual([first, first]);
  });

  test('a framework that leaves and registers again queues at the back', () => {
    const m = new MiniMaster(new FifoAllocator(), 1);
    const a = m.addFramework('a', 'r');
    const b = m.addFramework('b', 'r');
    m.addAgent(agent(1, 1024));
    expect(m.run(rng('q')).map((o) => o.fw)).toEqual([a]);
    m.recoverAll();
    m.allocator.removeFramework(a);
    m.addFramework('a', 'r');
    expect(m.run(rng('q')).map((o) => o.fw)).toEqual([b]);
  });

  test('it draws exactly what drf draws: the same agent shuffles', () => {
    // One framework: every agent goes to it, in the order of the run's two shuffles.
    const order = (name: string) => {
      const m = new MiniMaster(getAllocator(name)!.create({}), 6);
      m.addFramework('f', 'r');
      for (let i = 0; i < 6; i++) m.addAgent(agent(1, 1024));
      return m.run(new RandomStream(42, 's')).map((o) => o.agent);
    };
    expect(order('fifo')).toEqual(order('drf'));
  });

  test('property: each offerable agent goes whole to the earliest-registered active, unfiltered framework', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpus: fc.nat(8), mem: fc.nat(4096) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ role: fc.constantFrom('a', 'b', 'a/x'), active: fc.boolean() }), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(5), fc.nat(7)), { maxLength: 16 }),
        fc.integer(),
        (agents, fws, filters, seed) => {
          const m = masterOf(new FifoAllocator(), { agents, fws, filters });
          const { free, made } = runOnce(m, new RandomStream(seed, 'fifo'));
          for (let a = 0; a < agents.length; a++) {
            const o = a * NUM_RESOURCES;
            const first = fws.findIndex((f, i) => f.active && !m.ctx.isBlocked(i, a));
            const offers = made.filter((x) => x.agent === a);
            if (!m.ctx.isAllocatable(free, o) || first < 0) {
              expect(offers).toHaveLength(0);
            } else {
              expect(offers.map((x) => x.fw)).toEqual([first]);
              expect(Array.from(offers[0]!.res)).toEqual(Array.from(free.subarray(o, o + NUM_RESOURCES)));
            }
          }
        },
      ),
      { seed: 1234, numRuns: 200 },
    );
  });
});
