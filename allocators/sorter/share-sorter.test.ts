/**
 * ShareSorter tests: asset shares and orders worked out by hand, the DRF tie-breaks, that DrfSorter
 * is this sorter with the 'dominant' share (the Mesos order tests in drf-sorter.test.ts cover
 * that mode), and the property that with 'asset' its incremental order matches a full re-sort.
 */
import fc from 'fast-check';
import { resources, zero } from '../../sim/model/resources.js';
import { DrfSorter } from './drf-sorter.js';
import { ShareSorter } from './share-sorter.js';
import type { Sorter } from './sorter.js';

/** A stream these sorters must never draw from. */
const NO_DRAWS = {
  next(): number {
    throw new Error('a share sorter drew a random number');
  },
};

/** cpus and mem in scenario units. */
const r = (cpus: number, mem: number) => resources({ cpus, mem });

function addActive(s: Sorter, client: string): void {
  s.add(client);
  s.activate(client);
}

function asset100(): ShareSorter {
  const s = new ShareSorter({ share: 'asset' });
  s.addTotal(r(100, 100));
  return s;
}

describe('ShareSorter: asset shares', () => {
  test('the sum of the per-resource shares, where DRF takes the max: the order flips', () => {
    const asset = asset100();
    const dominant = new ShareSorter();
    // DrfSorter is this sorter with the 'dominant' share (the default).
    const drf = new DrfSorter();
    expect(drf).toBeInstanceOf(ShareSorter);
    for (const s of [dominant, drf]) s.addTotal(r(100, 100));
    for (const s of [asset, dominant, drf]) {
      addActive(s, 'a');
      addActive(s, 'b');
      s.allocated('a', r(5, 5));
      s.allocated('b', r(8, 1));
    }
    // asset: a = 5/100 + 5/100 = .10, b = 8/100 + 1/100 = .09: b first.
    // dominant: a = max(.05, .05) = .05, b = max(.08, .01) = .08: a first.
    expect(asset.share('a')).toBeCloseTo(0.1, 12);
    expect(asset.share('b')).toBeCloseTo(0.09, 12);
    expect(asset.sort()).toEqual(['b', 'a']);
    expect(dominant.share('a')).toBeCloseTo(0.05, 12);
    expect(dominant.sort()).toEqual(['a', 'b']);
    expect([drf.share('a'), drf.share('b'), drf.sort()]).toEqual([0.05, 0.08, ['a', 'b']]);
  });

  test('DRF paper example: per task A <1 cpu, 4 GB> = 1/9 + 4/18 = 1/3, B <3 cpus, 1 GB> = 3/9 + 1/18 = 7/18', () => {
    const s = new ShareSorter({ share: 'asset' });
    s.addTotal(r(9, 18 * 1024));
    addActive(s, 'A');
    addActive(s, 'B');
    s.allocated('A', r(1, 4 * 1024));
    s.allocated('B', r(3, 1024));
    expect(s.share('A')).toBeCloseTo(1 / 3, 12);
    expect(s.share('B')).toBeCloseTo(7 / 18, 12);
    expect(s.sort()).toEqual(['A', 'B']);
  });

  test('weights divide the sum; excluded and zero-total resources are left out of it', () => {
    const s = new ShareSorter({ share: 'asset', excludedResources: ['gpus'] });
    s.addTotal(resources({ cpus: 10, mem: 100, gpus: 4 })); // disk total 0
    addActive(s, 'a');
    addActive(s, 'b');
    s.updateWeight('a', 2);
    s.allocated('a', resources({ cpus: 2, mem: 20, gpus: 4, disk: 50 })); // (.2 + .2) / 2 = .2
    s.allocated('b', resources({ cpus: 1, mem: 15 })); // .1 + .15 = .25
    expect(s.share('a')).toBeCloseTo(0.2, 12);
    expect(s.share('b')).toBeCloseTo(0.25, 12);
    expect(s.sort()).toEqual(['a', 'b']);
    // with gpus counted, a = (.2 + .2 + 1) / 2 = .7
    const g = new ShareSorter({ share: 'asset' });
    g.addTotal(resources({ cpus: 10, mem: 100, gpus: 4 }));
    addActive(g, 'a');
    g.updateWeight('a', 2);
    g.allocated('a', resources({ cpus: 2, mem: 20, gpus: 4 }));
    expect(g.share('a')).toBeCloseTo(0.7, 12);
  });

  test('equal shares: fewer allocations first, then the path', () => {
    const s = asset100();
    for (const c of ['c', 'b', 'a']) addActive(s, c);
    s.allocated('a', r(2, 0)); // .02, count 1
    s.allocated('b', r(1, 0));
    s.allocated('b', r(0, 1)); // .02, count 2
    s.allocated('c', r(0, 2)); // .02, count 1
    // a and c: count 1, 'a' < 'c'; b: count 2
    expect(s.sort()).toEqual(['a', 'c', 'b']);
    expect(s.allocationCount('b')).toBe(2);
  });

  test('hierarchy: a subtree competes with the asset share of its sum', () => {
    const s = asset100();
    addActive(s, 'eng/x');
    addActive(s, 'eng/y');
    addActive(s, 'ops');
    s.allocated('eng/x', r(10, 0)); // eng = .10 + .05 = .15 after y
    s.allocated('eng/y', r(0, 5));
    s.allocated('ops', r(6, 6)); // .12
    // root: ops (.12) < eng (.15); inside eng: y (.05) < x (.10)
    expect(s.sort()).toEqual(['ops', 'eng/y', 'eng/x']);
  });

  test("DrfSorter takes no share option: its share is always 'dominant'", () => {
    const s = new DrfSorter({ share: 'asset' } as never);
    s.addTotal(r(100, 100));
    addActive(s, 'b');
    s.allocated('b', r(8, 1)); // max(.08, .01), where asset would be .09
    expect(s.share('b')).toBeCloseTo(0.08, 12);
  });

  test('an unknown share function or excluded resource is rejected', () => {
    expect(() => new ShareSorter({ share: 'sum' as never })).toThrow(/share function/);
    expect(() => new ShareSorter({ share: 'asset', excludedResources: ['gpu'] })).toThrow(/gpu/);
  });
});

describe('ShareSorter: properties', () => {
  const paths = ['a', 'b', 'c', 'a/x', 'a/y', 'b/z', 'b/z/w', 'c/v'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), client: fc.nat(7), cpus: fc.nat(20), mem: fc.nat(20) }),
    fc.record({ kind: fc.constant('unalloc' as const), client: fc.nat(7) }),
    fc.record({ kind: fc.constant('toggle' as const), client: fc.nat(7) }),
    fc.record({ kind: fc.constant('sort' as const) }),
    fc.record({ kind: fc.constant('weight' as const), client: fc.nat(7), w: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('total' as const), cpus: fc.integer({ min: 1, max: 50 }), mem: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('remove' as const), client: fc.nat(7) }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  /** Applies the ops to every sorter alike; returns the order each gave after every op. */
  function play(sorters: readonly Sorter[], clients: readonly string[], ops: readonly Op[]): string[][][] {
    for (const s of sorters) {
      s.addTotal(r(100, 100));
      for (const c of clients) addActive(s, c);
    }
    const present = new Set(clients);
    const active = new Set(clients);
    const held = new Map<string, Float64Array[]>();
    const orders: string[][][] = [];
    for (const o of ops) {
      const c = clients[('client' in o ? o.client : 0) % clients.length]!;
      const known = present.has(c);
      for (const s of sorters) {
        switch (o.kind) {
          case 'alloc':
            if (known) s.allocated(c, r(o.cpus / 10, o.mem / 10));
            break;
          case 'unalloc': {
            const h = held.get(c);
            if (known && h !== undefined && h.length > 0) s.unallocated(c, h[h.length - 1]!);
            break;
          }
          case 'toggle':
            if (known) {
              if (active.has(c)) s.deactivate(c);
              else s.activate(c);
            }
            break;
          case 'sort':
            break;
          case 'weight':
            s.updateWeight(c, o.w);
            break;
          case 'total':
            s.addTotal(r(o.cpus, o.mem));
            break;
          case 'remove':
            if (known) s.remove(c);
            else addActive(s, c);
            break;
        }
      }
      // the model of what each client holds, after every sorter saw the op
      switch (o.kind) {
        case 'alloc':
          if (known) held.set(c, [...(held.get(c) ?? []), r(o.cpus / 10, o.mem / 10)]);
          break;
        case 'unalloc':
          if (known) held.get(c)?.pop();
          break;
        case 'toggle':
          if (known && !active.delete(c)) active.add(c);
          break;
        case 'remove':
          if (known) {
            present.delete(c);
            active.delete(c);
            held.delete(c);
          } else {
            present.add(c);
            active.add(c);
          }
          break;
        default:
          break;
      }
      orders.push(sorters.map((s) => [...s.sort(NO_DRAWS)]));
    }
    return orders;
  }

  test("'asset': the incremental re-sort matches a full re-sort", () => {
    fc.assert(
      fc.property(fc.subarray(paths, { minLength: 1 }), fc.array(op, { maxLength: 60 }), (clients, ops) => {
        const s = new ShareSorter({ share: 'asset' });
        play([s], clients, ops);
        const incremental = [...s.sort()];
        s.addTotal(zero()); // marks the tree dirty: the next sort is a full one
        expect(s.sort()).toEqual(incremental);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  test("'asset' on one resource is DRF: with only cpus in the totals the orders agree", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 30 })), { maxLength: 40 }), (allocs) => {
        const a = new ShareSorter({ share: 'asset' });
        const d = new DrfSorter();
        for (const s of [a, d]) {
          s.addTotal(resources({ cpus: 100 }));
          for (const c of ['w', 'x', 'y', 'z']) addActive(s, c);
        }
        for (const [c, cpus] of allocs) {
          const client = ['w', 'x', 'y', 'z'][c]!;
          a.allocated(client, resources({ cpus, mem: 7 })); // mem has total 0: it never counts
          d.allocated(client, resources({ cpus, mem: 7 }));
          expect(a.sort()).toEqual(d.sort());
        }
      }),
      { seed: 99, numRuns: 200 },
    );
  });
});

describe('ShareSorter: walks in heap mode', () => {
  /** The clients in walk order. */
  const walk = (s: ShareSorter): string[] => {
    const out: string[] = [];
    for (let h = s.first(NO_DRAWS); h >= 0; h = s.next()) out.push(s.clientOf(h));
    return out;
  };

  test('allocations to the only ranked client count once others are ranked again', () => {
    const s = new DrfSorter();
    s.addTotal(r(100, 100));
    addActive(s, 'a');
    s.add('b');
    s.allocated('b', r(10, 0));
    expect(walk(s)).toEqual(['a']);
    // Alone in the heap, a takes 30 cpus by handle (as an allocation run does): share 0.30.
    s.allocatedAt(s.handleOf('a'), r(30, 0));
    s.allocatedAt(s.handleOf('a'), r(0, 5));
    // b (0.10) is ranked again and goes first; a holds 0.30 cpus and was allocated 2 times.
    s.activate('b');
    expect(walk(s)).toEqual(['b', 'a']);
    expect(s.share('a')).toBeCloseTo(0.3, 12);
    expect(s.allocationCount('a')).toBe(2);
    // b takes 25 more cpus by handle: 0.35 > 0.30, so a leads.
    s.allocatedAt(s.handleOf('b'), r(25, 0));
    expect(walk(s)).toEqual(['a', 'b']);
    expect(s.sort(NO_DRAWS)).toEqual(['a', 'b']);
  });
});
