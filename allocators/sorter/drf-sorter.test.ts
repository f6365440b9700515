/**
 * DRF sorter tests: the Mesos order tests (src/tests/sorter_tests.cpp, notes §1.9 U5) with the
 * shares worked out by hand, plus properties of the incremental re-sort.
 */
import fc from 'fast-check';
import { resources, zero } from '../../sim/model/resources.js';
import { DrfSorter } from './drf-sorter.js';

/** cpus and mem in scenario units (the Mesos tests use only these two). */
const r = (cpus: number, mem: number) => resources({ cpus, mem });

/** A sorter over one agent of cpus:100;mem:100, as every Mesos order test starts. */
function sorter100(): DrfSorter {
  const s = new DrfSorter();
  s.addTotal(r(100, 100));
  return s;
}

function addActive(s: DrfSorter, client: string): void {
  s.add(client);
  s.activate(client);
}

describe('DrfSorter: Mesos DRFSorterTest.DRF', () => {
  test('orders by dominant share through removals, unallocations and total changes', () => {
    const s = sorter100();
    expect(s.sort()).toEqual([]);

    addActive(s, 'a');
    s.allocated('a', r(5, 5));
    addActive(s, 'b');
    s.allocated('b', r(6, 6));
    // a = max(5/100, 5/100) = .05, b = .06
    expect(s.sort()).toEqual(['a', 'b']);

    addActive(s, 'c');
    s.allocated('c', r(1, 1));
    addActive(s, 'd');
    s.allocated('d', r(3, 1));
    // c = .01, d = max(3/100, 1/100) = .03, a = .05, b = .06
    expect(s.sort()).toEqual(['c', 'd', 'a', 'b']);

    s.remove('a');
    s.unallocated('b', r(4, 4));
    // b holds (2,2) = .02; c = .01, d = .03
    expect(s.sort()).toEqual(['c', 'b', 'd']);

    addActive(s, 'e');
    s.allocated('e', r(1, 5));
    s.removeTotal(r(100, 100));
    s.addTotal(r(50, 100));
    // total cpus 50, mem 100: b (2,2) = max(2/50, 2/100) = .04; c (1,1) = .02;
    // d (3,1) = .06; e (1,5) = max(1/50, 5/100) = .05
    expect(s.sort()).toEqual(['c', 'b', 'e', 'd']);

    s.removeTotal(r(50, 100));
    s.addTotal(r(50, 200));
    addActive(s, 'f');
    s.allocated('f', r(5, 1));
    s.allocated('c', r(0, 15));
    // total cpus 50, mem 200: b = 2/50 = .04; c (1,16) = max(1/50, 16/200) = .08;
    // d = 3/50 = .06; e = max(1/50, 5/200) = .025; f = max(5/50, 1/200) = .1
    expect(s.sort()).toEqual(['e', 'b', 'd', 'c', 'f']);

    expect(s.contains('b')).toBe(true);
    expect(s.contains('a')).toBe(false);
    expect(s.count()).toBe(5);

    s.deactivate('d');
    expect(s.contains('d')).toBe(true);
    expect(s.sort()).toEqual(['e', 'b', 'c', 'f']);
    expect(s.count()).toBe(5);

    s.activate('d');
    expect(s.sort()).toEqual(['e', 'b', 'd', 'c', 'f']);
  });
});

describe('DrfSorter: Mesos DRFSorterTest.WDRF and UpdateWeight', () => {
  test('divides shares by weights', () => {
    const s = sorter100();
    addActive(s, 'a');
    s.allocated('a', r(5, 5));
    addActive(s, 'b');
    s.updateWeight('b', 2);
    s.allocated('b', r(6, 6));
    // a = .05, b = .06 / 2 = .03
    expect(s.sort()).toEqual(['b', 'a']);

    addActive(s, 'c');
    s.allocated('c', r(4, 4));
    // c = .04
    expect(s.sort()).toEqual(['b', 'c', 'a']);

    addActive(s, 'd');
    s.updateWeight('d', 10);
    s.allocated('d', r(10, 20));
    // d = max(.1, .2) / 10 = .02
    expect(s.sort()).toEqual(['d', 'b', 'c', 'a']);

    s.remove('b');
    expect(s.sort()).toEqual(['d', 'c', 'a']);

    s.allocated('d', r(10, 25));
    // d holds (20,45): .45 / 10 = .045, between c = .04 and a = .05
    expect(s.sort()).toEqual(['c', 'd', 'a']);

    addActive(s, 'e');
    s.updateWeight('e', 0.1);
    s.allocated('e', r(1, 1));
    // e = .01 / .1 = .1: last
    expect(s.sort()).toEqual(['c', 'd', 'a', 'e']);

    s.remove('a');
    expect(s.sort()).toEqual(['c', 'd', 'e']);
  });

  test('a weight change re-sorts (UpdateWeight)', () => {
    const s = sorter100();
    addActive(s, 'a');
    s.allocated('a', r(5, 5));
    addActive(s, 'b');
    s.allocated('b', r(6, 6));
    // a = .05, b = .06
    expect(s.sort()).toEqual(['a', 'b']);
    s.updateWeight('b', 2);
    // b = .03
    expect(s.sort()).toEqual(['b', 'a']);
  });

  test('rejects a weight that is not > 0', () => {
    const s = sorter100();
    expect(() => s.updateWeight('a', 0)).toThrow(RangeError);
    expect(() => s.updateWeight('a', Number.NaN)).toThrow(RangeError);
  });
});

describe('DrfSorter: Mesos DRFSorterTest.AllocationCountTieBreak', () => {
  test('equal shares are ordered by allocation count, which nothing decrements', () => {
    const s = sorter100();
    for (const c of ['a', 'b', 'c', 'd', 'e']) s.add(c);
    for (const c of ['a', 'b', 'c', 'd', 'e']) s.activate(c);
    // Everyone holds (3,3) = .03; c in three allocations, d in two, the others in one.
    s.allocated('a', r(3, 3));
    s.allocated('b', r(3, 3));
    s.allocated('c', r(1, 1));
    s.allocated('c', r(1, 1));
    s.allocated('c', r(1, 1));
    s.allocated('d', r(2, 2));
    s.allocated('d', r(1, 1));
    s.allocated('e', r(3, 3));
    // counts {a,b,e} = 1 (then by path), d = 2, c = 3
    expect(s.sort()).toEqual(['a', 'b', 'e', 'd', 'c']);

    s.unallocated('c', r(3, 3));
    // c = 0 now
    expect(s.sort()).toEqual(['c', 'a', 'b', 'e', 'd']);

    s.allocated('c', r(3, 3));
    // c back to .03 with count 4
    expect(s.sort()).toEqual(['a', 'b', 'e', 'd', 'c']);
    expect(s.allocationCount('c')).toBe(4);

    s.deactivate('c');
    s.activate('c');
    // deactivation keeps the count (4)
    expect(s.sort()).toEqual(['a', 'b', 'e', 'd', 'c']);

    s.unallocated('c', r(3, 3));
    s.allocated('c', r(3, 3));
    // count 5
    expect(s.sort()).toEqual(['a', 'b', 'e', 'd', 'c']);

    s.deactivate('a');
    s.unallocated('a', r(1, 3));
    s.allocated('a', r(1, 3));
    // allocations to an inactive client count too: a = 2
    expect(s.sort()).toEqual(['b', 'e', 'd', 'c']);

    s.activate('a');
    // counts {b,e} = 1, {a,d} = 2, c = 5; all shares .03
    expect(s.sort()).toEqual(['b', 'e', 'a', 'd', 'c']);
  });
});

describe('DrfSorter: Mesos hierarchy tests', () => {
  test('HierarchicalAllocation: a subtree competes with its aggregate share', () => {
    const s = sorter100();
    s.add('a');
    s.add('b/c');
    s.add('b/d');
    s.activate('a');
    s.activate('b/c');
    s.activate('b/d');
    expect(s.count()).toBe(3);
    expect(s.contains('a')).toBe(true);
    expect(s.contains('b')).toBe(false);
    expect(s.contains('b/c')).toBe(true);
    expect(s.contains('b/d')).toBe(true);

    // all 0, all counts 0: by path (a < b; c < d)
    expect(s.sort()).toEqual(['a', 'b/c', 'b/d']);

    s.allocated('a', r(6, 6));
    // a = .06, b = 0
    expect(s.sort()).toEqual(['b/c', 'b/d', 'a']);

    s.allocated('b/c', r(4, 4));
    s.allocated('b/d', r(3, 3));
    // b = (7,7) = .07 > a = .06; inside b: d = .03 < c = .04
    expect(s.sort()).toEqual(['a', 'b/d', 'b/c']);
    expect(Array.from(s.allocation('a'))).toEqual(Array.from(r(6, 6)));
    expect(Array.from(s.allocation('b/c'))).toEqual(Array.from(r(4, 4)));
    expect(Array.from(s.allocation('b/d'))).toEqual(Array.from(r(3, 3)));

    s.allocated('a', r(2, 2));
    // a = .08 > b = .07
    expect(s.sort()).toEqual(['b/d', 'b/c', 'a']);

    addActive(s, 'b/e/f');
    expect(s.contains('b/e')).toBe(false);
    expect(s.contains('b/e/f')).toBe(true);
    // b/e = 0 sorts first inside b
    expect(s.sort()).toEqual(['b/e/f', 'b/d', 'b/c', 'a']);

    s.allocated('b/e/f', r(3.5, 3.5));
    // b = (10.5,10.5) = .105 > a = .08; inside b: d .03 < e .035 < c .04
    expect(s.sort()).toEqual(['a', 'b/d', 'b/e/f', 'b/c']);

    s.remove('b/e/f');
    expect(s.contains('b/e/f')).toBe(false);
    expect(s.count()).toBe(3);
    // b back to .07 < a = .08
    expect(s.sort()).toEqual(['b/d', 'b/c', 'a']);

    // Mesos `update(b/c, 4 -> 1)`: give back (3,3) without touching the count.
    s.unallocated('b/c', r(3, 3));
    // b/c = .01, b/d = .03, b = .04 < a = .08
    expect(s.sort()).toEqual(['b/c', 'b/d', 'a']);

    addActive(s, 'b/e/f');
    s.allocated('b/e/f', r(3.5, 3.5));
    // b = (7.5,7.5) = .075 < a = .08; inside b: c .01, d .03, e .035
    expect(s.sort()).toEqual(['b/c', 'b/d', 'b/e/f', 'a']);
    expect(s.count()).toBe(4);
  });

  test('HierarchicalIterationOrder: pre-order over sorted children, virtual leaf included', () => {
    const s = sorter100();
    for (const c of ['a/b', 'c', 'd', 'd/e']) s.add(c);
    for (const c of ['a/b', 'c', 'd', 'd/e']) s.activate(c);
    // all 0: root a < c < d; inside d the virtual leaf 'd/.' < 'd/e' ('.' < 'e')
    expect(s.sort()).toEqual(['a/b', 'c', 'd', 'd/e']);

    s.allocated('c', r(8, 8));
    // c = .08 last
    expect(s.sort()).toEqual(['a/b', 'd', 'd/e', 'c']);

    s.allocated('d', r(3, 3));
    s.allocated('d/e', r(2, 2));
    // d subtree .05; inside: d/e .02 < d .03
    expect(s.sort()).toEqual(['a/b', 'd/e', 'd', 'c']);

    s.allocated('a/b', r(6, 6));
    // root: d .05 < a .06 < c .08
    expect(s.sort()).toEqual(['d/e', 'd', 'a/b', 'c']);
  });

  test('AddChildToLeaf: a leaf that gains a child competes through a virtual leaf of weight 1', () => {
    const s = sorter100();
    addActive(s, 'a');
    s.allocated('a', r(10, 10));
    addActive(s, 'b');
    s.allocated('b', r(6, 6));
    expect(s.sort()).toEqual(['b', 'a']);

    addActive(s, 'a/c');
    s.allocated('a/c', r(5, 5));
    // subtree a = .15 > b = .06; inside a: a/c .05 < a .1
    expect(s.sort()).toEqual(['b', 'a/c', 'a']);

    s.remove('a');
    expect(s.contains('a')).toBe(false);
    // subtree a = .05 < b = .06
    expect(s.sort()).toEqual(['a/c', 'b']);

    addActive(s, 'a');
    s.allocated('a', r(10, 10));
    expect(s.contains('a')).toBe(true);
    expect(s.sort()).toEqual(['b', 'a/c', 'a']);

    s.updateWeight('a/c', 0.2);
    // a/c = .05 / .2 = .25 > a = .1
    expect(s.sort()).toEqual(['b', 'a', 'a/c']);

    s.updateWeight('a', 3);
    // subtree a = .15 / 3 = .05 < b = .06; the virtual leaf keeps weight 1
    expect(s.sort()).toEqual(['a', 'a/c', 'b']);

    s.updateWeight('a/c', 1);
    expect(s.sort()).toEqual(['a/c', 'a', 'b']);
  });

  test('AddChildToInternal: a client on an internal path becomes its virtual leaf', () => {
    const s = sorter100();
    addActive(s, 'x/a');
    s.allocated('x/a', r(10, 10));
    addActive(s, 'x/b');
    s.allocated('x/b', r(6, 6));
    expect(s.sort()).toEqual(['x/b', 'x/a']);

    addActive(s, 'x');
    s.allocated('x', r(7, 7));
    // inside x: b .06 < x .07 < a .1
    expect(s.sort()).toEqual(['x/b', 'x', 'x/a']);

    addActive(s, 'z');
    s.allocated('z', r(20, 20));
    // z .2 < subtree x .23
    expect(s.sort()).toEqual(['z', 'x/b', 'x', 'x/a']);

    s.remove('x');
    // subtree x .16 < z .2
    expect(s.sort()).toEqual(['x/b', 'x/a', 'z']);
  });

  test('AddChildToInactiveLeaf and collapse on removal keep the inactive flag', () => {
    const s = sorter100();
    addActive(s, 'a');
    s.allocated('a', r(10, 10));
    addActive(s, 'b');
    s.allocated('b', r(6, 6));
    s.deactivate('a');
    expect(s.sort()).toEqual(['b']);

    addActive(s, 'a/c');
    s.allocated('a/c', r(5, 5));
    // subtree a .15 > b .06; its virtual leaf stays inactive
    expect(s.sort()).toEqual(['b', 'a/c']);

    s.remove('a/c');
    // a folds back into an inactive leaf
    expect(s.sort()).toEqual(['b']);
    s.activate('a');
    expect(s.sort()).toEqual(['b', 'a']);
  });

  test('ChangeWeightOnSubtree: weights set before the nodes exist apply to internal nodes', () => {
    const s = sorter100();
    s.updateWeight('b', 3);
    s.updateWeight('a', 2);
    addActive(s, 'a/x');
    addActive(s, 'b/y');
    expect(s.sort()).toEqual(['a/x', 'b/y']);

    s.allocated('a/x', r(10, 10));
    s.allocated('b/y', r(10, 10));
    // a = .1 / 2 = .05, b = .1 / 3 = .033
    expect(s.sort()).toEqual(['b/y', 'a/x']);

    addActive(s, 'b/z');
    s.allocated('b/z', r(5, 5));
    // b = .15 / 3, which rounds to 0.049999999999999996 in binary64 (as in Mesos), just below
    // a = .05; inside b: z .05 < y .1
    expect(s.sort()).toEqual(['b/z', 'b/y', 'a/x']);

    addActive(s, 'b');
    s.allocated('b', r(4, 4));
    // b = .19 / 3 = .063 > a = .05; inside b: b/. .04 < z .05 < y .1
    expect(s.sort()).toEqual(['a/x', 'b', 'b/z', 'b/y']);

    addActive(s, 'a/zz');
    s.allocated('a/zz', r(2, 2));
    // a = .12 / 2 = .06 < b = .063; inside a: zz .02 < x .1
    expect(s.sort()).toEqual(['a/zz', 'a/x', 'b', 'b/z', 'b/y']);
  });
});

describe('DrfSorter: totals and excluded resources', () => {
  test('UpdateTotal: a new total changes the dominant resource', () => {
    const s = new DrfSorter();
    addActive(s, 'a');
    addActive(s, 'b');
    s.addTotal(r(10, 100));
    s.allocated('a', r(2, 1)); // .2 (cpus)
    s.allocated('b', r(1, 2)); // .1 (cpus)
    expect(s.sort()).toEqual(['b', 'a']);
    s.removeTotal(r(10, 100));
    s.addTotal(r(100, 10));
    // a = .1 (mem), b = .2 (mem)
    expect(s.sort()).toEqual(['a', 'b']);
  });

  test('resources with a zero total do not count; excluded resources do not either', () => {
    const total = resources({ cpus: 100, mem: 100, gpus: 10 });
    const a = resources({ cpus: 1, mem: 1, gpus: 5 }); // .5 with gpus, .01 without
    const b = r(10, 10); // .1
    const withGpus = new DrfSorter();
    const without = new DrfSorter({ excludedResources: ['gpus'] });
    for (const s of [withGpus, without]) {
      s.addTotal(total);
      addActive(s, 'a');
      addActive(s, 'b');
      s.allocated('a', a);
      s.allocated('b', b);
    }
    expect(withGpus.sort()).toEqual(['b', 'a']);
    expect(without.sort()).toEqual(['a', 'b']);
    expect(withGpus.share('a')).toBeCloseTo(0.5, 12);
    expect(without.share('a')).toBeCloseTo(0.01, 12);
    // disk has total 0 here: a client holding only disk has share 0
    const d = new DrfSorter();
    d.addTotal(r(100, 100));
    addActive(d, 'x');
    d.allocated('x', resources({ disk: 50 }));
    expect(d.share('x')).toBe(0);
  });

  test('unknown excluded resource names are rejected', () => {
    expect(() => new DrfSorter({ excludedResources: ['gpu'] })).toThrow(/gpu/);
  });
});

describe('DrfSorter: broken invariants throw', () => {
  test('unknown client, duplicate add, over-unallocation, negative total, bad path', () => {
    const s = sorter100();
    addActive(s, 'a');
    s.allocated('a', r(1, 1));
    expect(() => s.add('a')).toThrow(/already/);
    expect(() => s.allocated('nope', r(1, 1))).toThrow(/unknown/);
    expect(() => s.unallocated('a', r(2, 2))).toThrow(/more than it holds/);
    expect(() => s.removeTotal(r(200, 1))).toThrow(/negative/);
    expect(() => s.add('x//y')).toThrow(/invalid/);
    expect(() => s.add('x/.')).toThrow(/invalid/);
  });
});

describe('DrfSorter: the incremental re-sort matches a full re-sort', () => {
  const paths = ['a', 'b', 'c', 'a/x', 'a/y', 'b/z', 'b/z/w', 'c/v'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), client: fc.nat(paths.length - 1), cpus: fc.nat(20), mem: fc.nat(20) }),
    fc.record({ kind: fc.constant('toggle' as const), client: fc.nat(paths.length - 1) }),
    fc.record({ kind: fc.constant('sort' as const) }),
    fc.record({ kind: fc.constant('weight' as const), client: fc.nat(paths.length - 1), w: fc.integer({ min: 1, max: 4 }) }),
  );

  test('after any sequence of allocations, toggles, weights and sorts', () => {
    fc.assert(
      fc.property(fc.subarray(paths, { minLength: 1 }), fc.array(op, { maxLength: 60 }), (clients, ops) => {
        const s = sorter100();
        for (const c of clients) addActive(s, c);
        const active = new Set(clients);
        for (const o of ops) {
          const c = clients[('client' in o ? o.client : 0) % clients.length]!;
          switch (o.kind) {
            case 'alloc':
              s.allocated(c, r(o.cpus / 10, o.mem / 10));
              break;
            case 'toggle':
              if (active.delete(c)) s.deactivate(c);
              else {
                active.add(c);
                s.activate(c);
              }
              break;
            case 'sort':
              s.sort();
              break;
            case 'weight':
              s.updateWeight(c, o.w);
              break;
          }
        }
        const incremental = [...s.sort()];
        s.addTotal(zero()); // marks the tree dirty: the next sort is a full one
        expect(s.sort()).toEqual(incremental);
        expect(new Set(incremental)).toEqual(active);
      }),
      { seed: 20240823, numRuns: 300 },
    );
  });
});
