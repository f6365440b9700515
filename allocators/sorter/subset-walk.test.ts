/**
 * SubsetWalk: a walk over some of a keyed sorter's clients must visit them in the sorter's own
 * order, while the loop allocates to clients (chosen or not), tells the walk, and drops clients.
 * The oracle is independent of any heap: the chosen clients sorted by the sorter's public share,
 * allocation count and path (Mesos's DRF order).
 */
import fc from 'fast-check';
import { resources } from '../../sim/model/resources.js';
import { DrfSorter } from './drf-sorter.js';
import { FifoSorter } from './fifo-sorter.js';
import { ShareSorter } from './share-sorter.js';
import type { ClientHandle, Sorter } from './sorter.js';
import { SubsetWalk } from './subset-walk.js';

/** cpus and mem in scenario units. */
const r = (cpus: number, mem: number) => resources({ cpus, mem });

/** The clients of `s` named in `chosen`, by (share, allocation count, path): the walk's order. */
function expectedOrder(s: ShareSorter, chosen: ReadonlySet<string>): string[] {
  return [...chosen].sort((a, b) => {
    const d = s.share(a) - s.share(b);
    if (d !== 0) return d;
    const c = s.allocationCount(a) - s.allocationCount(b);
    if (c !== 0) return c;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function walked(s: ShareSorter, w: SubsetWalk): string[] {
  const out: string[] = [];
  for (let h = w.first(); h >= 0; h = w.next()) out.push(s.clientOf(h));
  return out;
}

describe('SubsetWalk', () => {
  test('by hand: chosen clients in DRF order, re-placed after an allocation, gone once removed', () => {
    const s = new DrfSorter();
    s.addTotal(r(100, 100));
    for (const c of ['a', 'b', 'c', 'd']) {
      s.add(c);
      s.activate(c);
    }
    // Dominant shares: a 0.30 (cpus), b 0.10, c 0.20 (mem), d 0.05.
    s.allocated('a', r(30, 10));
    s.allocated('b', r(10, 5));
    s.allocated('c', r(5, 20));
    s.allocated('d', r(5, 1));
    expect(s.keyed()).toBe(true);
    const w = new SubsetWalk();
    w.reset(s);
    for (const c of ['a', 'c', 'b']) w.add(s.handleOf(c));
    // d (0.05) is not chosen: b 0.10, c 0.20, a 0.30.
    expect(walked(s, w)).toEqual(['b', 'c', 'a']);
    // b gets cpus 15 more: 0.25, now after c (0.20) and before a (0.30).
    s.allocatedAt(s.handleOf('b'), r(15, 0));
    w.changed(s.handleOf('b'));
    expect(walked(s, w)).toEqual(['c', 'b', 'a']);
    w.remove(s.handleOf('c'));
    expect(w.size).toBe(2);
    expect(w.has(s.handleOf('c'))).toBe(false);
    expect(walked(s, w)).toEqual(['b', 'a']);
    // An allocation to a client that is not chosen changes nothing in the walk.
    s.allocatedAt(s.handleOf('d'), r(90, 0));
    w.changed(s.handleOf('d'));
    expect(walked(s, w)).toEqual(['b', 'a']);
  });

  test('only ranked flat share sorters are keyed', () => {
    const nested = new DrfSorter();
    nested.add('a/x');
    nested.activate('a/x');
    expect(nested.keyed()).toBe(false);
    const straight = new ShareSorter({ ranked: false });
    straight.add('a');
    expect(straight.keyed()).toBe(false);
    const fifo: Sorter = new FifoSorter();
    expect(fifo.keyed).toBeUndefined();
  });

  test('property: the walk is the sorter order restricted to the chosen clients, through allocations and removals', () => {
    const names = Array.from({ length: 24 }, (_, i) => `f${i}`);
    const step = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), who: fc.nat(23), cpus: fc.integer({ min: 0, max: 4 }), mem: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('drop' as const), who: fc.nat(23) }),
      fc.record({ kind: fc.constant('walk' as const), stopAfter: fc.nat(30) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 24, maxLength: 24 }),
        fc.array(step, { maxLength: 60 }),
        (n, pick, start, steps) => {
          const s = new DrfSorter();
          s.addTotal(r(200, 200));
          const clients = names.slice(0, n);
          clients.forEach((c, i) => {
            s.add(c);
            s.activate(c);
            // Small integer amounts: many equal shares, so counts and paths break ties.
            const [cpus, mem] = start[i]!;
            if (cpus + mem > 0) s.allocated(c, r(cpus, mem));
          });
          expect(s.keyed()).toBe(true);
          const w = new SubsetWalk();
          w.reset(s);
          const chosen = new Set(clients.filter((_, i) => pick[i]));
          for (const c of chosen) w.add(s.handleOf(c));
          expect(walked(s, w)).toEqual(expectedOrder(s, chosen));
          for (const st of steps) {
            if (st.kind === 'alloc') {
              const c = clients[st.who % n]!;
              s.allocatedAt(s.handleOf(c), r(st.cpus, st.mem));
              w.changed(s.handleOf(c) as ClientHandle);
            } else if (st.kind === 'drop') {
              const c = clients[st.who % n]!;
              w.remove(s.handleOf(c));
              chosen.delete(c);
            } else {
              // A walk stopped part way leaves nothing behind for the next one.
              let k = 0;
              for (let h = w.first(); h >= 0 && k < st.stopAfter; h = w.next()) k++;
            }
            expect(walked(s, w)).toEqual(expectedOrder(s, chosen));
            expect(w.size).toBe(chosen.size);
          }
        },
      ),
      { seed: 1717, numRuns: 300 },
    );
  });
});
