/**
 * The common sorter suite: what every registered sorter must do, whatever its order, run over
 * `listSorters()` so that a sorter registered tomorrow is checked with no line changed here (as
 * Mesos runs its typed CommonSorterTest over every sorter: src/tests/sorter_tests.cpp:231-236,
 * `TYPED_TEST_CASE(CommonSorterTest, SorterTypes)`). Orders themselves are each sorter's own
 * tests (drf-sorter, share-sorter, random-sorter, fifo-sorter).
 */
import fc from 'fast-check';
import { RandomStream } from '../../sim/kernel/rng.js';
import { NUM_RESOURCES, resources } from '../../sim/model/resources.js';
import { listSorters, type SorterEntry } from './registry.js';
import type { Sorter } from './sorter.js';

/** cpus and mem in scenario units (the Mesos tests use only these two). */
const r = (cpus: number, mem: number) => resources({ cpus, mem });

/** A stream named after the test, seeded 1: two of them give the same draws. */
const stream = (name: string) => new RandomStream(1, name);

function addActive(s: Sorter, client: string): void {
  s.add(client);
  s.activate(client);
}

/** The clients of `s` in walk order, from a walk started with `rng`. */
function walked(s: Sorter, rng: RandomStream): string[] {
  const out: string[] = [];
  for (let h = s.first(rng); h >= 0; h = s.next()) out.push(s.clientOf(h));
  return out;
}

const SORTERS: readonly (readonly [string, SorterEntry])[] = listSorters().map((e) => [e.name, e] as const);

test('the sorter registry: unique names, one-line descriptions, a fresh empty sorter from every create', () => {
  expect(SORTERS.length).toBeGreaterThan(0);
  expect(new Set(SORTERS.map(([n]) => n)).size).toBe(SORTERS.length);
  for (const [name, e] of SORTERS) {
    expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(typeof e.description).toBe('string');
    expect(e.description).toMatch(/^[^\n]+$/);
    if (e.policy !== undefined) expect(e.policy).toMatch(/^[^\n]+$/);
    const a = e.create({});
    const b = e.create({});
    expect(a).not.toBe(b);
    expect(a.count()).toBe(0);
    expect(a.sort(stream('empty'))).toEqual([]);
    expect(a.first(stream('empty'))).toBe(-1);
  }
});

describe.each(SORTERS)('common sorter suite: %s', (_name, entry) => {
  /** A sorter of this kind over one agent of cpus:100;mem:100, as the Mesos tests start. */
  const make = (): Sorter => {
    const s = entry.create({});
    s.addTotal(r(100, 100));
    return s;
  };

  /** The start of both collapse tests: a (10), b (6) and a/c (5) on cpus:100;mem:100, all active. */
  const collapseCase = (): Sorter => {
    const s = make();
    for (const [c, n] of [
      ['a', 10],
      ['b', 6],
      ['a/c', 5],
    ] as const) {
      addActive(s, c);
      s.allocated(c, r(n, n));
    }
    return s;
  };

  // Mesos CommonSorterTest.RemoveLeafCollapseParent (sorter_tests.cpp:994-1033): a, b and a/c
  // are ranked (in some order); once a/c is removed, a and b. Compared as sets, as there.
  test('RemoveLeafCollapseParent: the ranked clients, before and after a child leaves', () => {
    const s = collapseCase();
    expect([...s.sort(stream('x'))].sort()).toEqual(['a', 'a/c', 'b']);
    s.remove('a/c');
    expect([...s.sort(stream('x'))].sort()).toEqual(['a', 'b']);
    expect(s.count()).toBe(2);
  });

  // Mesos CommonSorterTest.RemoveLeafCollapseParentInactive (sorter_tests.cpp:1039-1078): an
  // inactive 'a' stays out when its child leaves.
  test('RemoveLeafCollapseParentInactive: an inactive client stays out of the order', () => {
    const s = collapseCase();
    s.deactivate('a');
    expect([...s.sort(stream('x'))].sort()).toEqual(['a/c', 'b']);
    s.remove('a/c');
    expect(s.sort(stream('x'))).toEqual(['b']);
  });

  // Mesos CommonSorterTest.AllocationForInactiveClient (sorter_tests.cpp:1278-1318): a client
  // left inactive still holds what it was allocated.
  test('AllocationForInactiveClient: what an inactive client holds is kept', () => {
    const s = make();
    s.add('a');
    s.add('b');
    s.activate('b');
    s.allocated('a', r(2, 2));
    s.allocated('b', r(3, 3));
    expect(Array.from(s.allocation('a'))).toEqual(Array.from(r(2, 2)));
    expect(Array.from(s.allocation('b'))).toEqual(Array.from(r(3, 3)));
    expect(s.sort(stream('x'))).toEqual(['b']);
  });

  // Mesos CommonSorterTest.MultipleSlaves (sorter_tests.cpp:1325-1361): allocations on two agents
  // add up; offersim keeps quantities, not per-agent resources, so the sum is what is checked.
  test('MultipleSlaves: allocations from several agents add up, and come back', () => {
    const s = entry.create({});
    const agent = resources({ cpus: 2, mem: 512 });
    s.addTotal(agent);
    s.addTotal(agent);
    addActive(s, 'framework');
    s.allocated('framework', agent);
    s.allocated('framework', agent);
    expect(Array.from(s.allocation('framework'))).toEqual(Array.from(resources({ cpus: 4, mem: 1024 })));
    s.unallocated('framework', agent);
    expect(Array.from(s.allocation('framework'))).toEqual(Array.from(agent));
  });

  test('added clients are inactive until activated; deactivated ones leave the order and the walk', () => {
    const s = make();
    s.add('x');
    s.add('y');
    expect(s.sort(stream('x'))).toEqual([]);
    expect(s.first(stream('x'))).toBe(-1);
    s.activate('y');
    expect(walked(s, stream('x'))).toEqual(['y']);
    s.activate('x');
    expect([...walked(s, stream('x'))].sort()).toEqual(['x', 'y']);
    s.deactivate('y');
    expect(walked(s, stream('x'))).toEqual(['x']);
    expect(s.contains('y')).toBe(true);
    expect(s.contains('z')).toBe(false);
  });

  test('handles name clients both ways; allocatedAt is allocated by handle', () => {
    const s = make();
    for (const c of ['p', 'q', 'q/r']) addActive(s, c);
    for (const c of ['p', 'q', 'q/r']) expect(s.clientOf(s.handleOf(c))).toBe(c);
    s.allocatedAt(s.handleOf('q/r'), r(7, 1));
    s.allocated('p', r(3, 3));
    expect(Array.from(s.allocation('q/r'))).toEqual(Array.from(r(7, 1)));
    expect(Array.from(s.allocation('p'))).toEqual(Array.from(r(3, 3)));
    expect(() => s.handleOf('nope')).toThrow(/unknown client/);
  });

  test('unallocatedAt is unallocated by handle, client by client, and refuses to go negative', () => {
    const s = make();
    for (const c of ['p', 'q', 'q/r']) addActive(s, c);
    s.allocated('q/r', r(7, 4));
    s.allocated('q', r(2, 2));
    s.unallocatedAt(s.handleOf('q/r'), r(5, 1));
    // q/r: 7-5 = 2 cpus, 4-1 = 3 mem; q keeps its own 2, 2.
    expect(Array.from(s.allocation('q/r'))).toEqual(Array.from(r(2, 3)));
    expect(Array.from(s.allocation('q'))).toEqual(Array.from(r(2, 2)));
    s.unallocatedAt(s.handleOf('q'), r(2, 2));
    expect(Array.from(s.allocation('q'))).toEqual(Array.from(r(0, 0)));
    expect(() => s.unallocatedAt(s.handleOf('q/r'), r(3, 0))).toThrow(/'q\/r' unallocated .* more than it holds/);
  });

  test('broken invariants throw: unknown client, duplicate add, over-unallocation, negative total', () => {
    const s = make();
    addActive(s, 'a');
    expect(() => s.add('a')).toThrow(/already added/);
    expect(() => s.allocated('nope', r(1, 1))).toThrow(/unknown client/);
    expect(() => s.remove('nope')).toThrow(/unknown client/);
    s.allocated('a', r(1, 1));
    expect(() => s.unallocated('a', r(2, 1))).toThrow(/more than it holds/);
    expect(() => s.removeTotal(r(101, 0))).toThrow(/negative/);
    expect(() => s.updateWeight('a', 0)).toThrow(/> 0/);
  });

  /** Flat clients (as frameworks are: a share sorter walks them by its heap) and nested ones (roles: by its list). */
  const PATHS = { flat: ['a', 'b', 'c', 'd', 'e', 'f'], nested: ['a', 'b', 'c', 'a/x', 'a/y', 'b/z'] } as const;
  const op = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), client: fc.nat(5), cpus: fc.nat(20), mem: fc.nat(20) }),
    fc.record({ kind: fc.constant('unalloc' as const), client: fc.nat(5) }),
    fc.record({ kind: fc.constant('toggle' as const), client: fc.nat(5) }),
    fc.record({ kind: fc.constant('weight' as const), client: fc.nat(5), w: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('total' as const), cpus: fc.integer({ min: 1, max: 50 }), mem: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('readd' as const), client: fc.nat(5) }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  /**
   * Plays `ops` on a fresh sorter (allocations by handle when `byHandle`); after every op, the
   * order listed by `sort` and the one a walk gives, each from its own copy of one seeded stream.
   */
  function play(paths: readonly string[], ops: readonly Op[], seed: number, byHandle: boolean): { sorted: string[][]; walked: string[][] } {
    const s = make();
    const held = new Map<string, Float64Array[]>();
    const active = new Set<string>();
    for (const c of paths) {
      addActive(s, c);
      active.add(c);
    }
    const sorted: string[][] = [];
    const walks: string[][] = [];
    ops.forEach((o, i) => {
      const c = paths['client' in o ? o.client : 0]!;
      switch (o.kind) {
        case 'alloc': {
          const res = r(o.cpus / 10, o.mem / 10);
          if (byHandle) s.allocatedAt(s.handleOf(c), res);
          else s.allocated(c, res);
          held.set(c, [...(held.get(c) ?? []), res]);
          break;
        }
        case 'unalloc': {
          const h = held.get(c);
          if (h !== undefined && h.length > 0) s.unallocated(c, h.pop()!);
          break;
        }
        case 'toggle':
          if (active.delete(c)) s.deactivate(c);
          else {
            s.activate(c);
            active.add(c);
          }
          break;
        case 'weight':
          s.updateWeight(c, o.w);
          break;
        case 'total':
          s.addTotal(r(o.cpus, o.mem));
          break;
        case 'readd':
          // a client that gives everything back leaves and joins again, active, at the back
          for (const res of held.get(c) ?? []) s.unallocated(c, res);
          held.delete(c);
          s.remove(c);
          addActive(s, c);
          active.add(c);
          break;
      }
      sorted.push([...s.sort(new RandomStream(seed, `op-${i}`))]);
      walks.push(walked(s, new RandomStream(seed, `op-${i}`)));
    });
    return { sorted, walked: walks };
  }

  test.each(['flat', 'nested'] as const)('property (%s clients): a walk visits the active clients in sort order, drawing as sort draws', (kind) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer(), (ops, seed) => {
        const { sorted, walked: walks } = play(PATHS[kind], ops, seed, false);
        expect(walks).toEqual(sorted);
        // and exactly the active clients, each once
        for (const w of walks) expect(new Set(w).size).toBe(w.length);
      }),
      { seed: 6160, numRuns: 150 },
    );
  });

  test.each(['flat', 'nested'] as const)(
    'property (%s clients): allocations by handle rank exactly as by name; the same inputs give the same orders',
    (kind) => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 40 }), fc.integer(), (ops, seed) => {
          const byName = play(PATHS[kind], ops, seed, false);
          expect(play(PATHS[kind], ops, seed, true)).toEqual(byName);
          expect(play(PATHS[kind], ops, seed, false)).toEqual(byName);
        }),
        { seed: 6161, numRuns: 100 },
      );
    },
  );

  test('property: what a client holds is the sum of what it was allocated less what came back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(30), fc.boolean()), { maxLength: 40 }), (steps) => {
        const s = make();
        const paths = PATHS.nested;
        for (const c of paths) addActive(s, c);
        const model = new Map(paths.map((c) => [c, new Float64Array(NUM_RESOURCES)]));
        for (const [k, cpus, give] of steps) {
          const c = paths[k]!;
          const m = model.get(c)!;
          const res = r(cpus / 10, 1);
          if (give && m[0]! >= res[0]! && m[1]! >= res[1]!) {
            s.unallocated(c, res);
            for (let x = 0; x < NUM_RESOURCES; x++) m[x] = m[x]! - res[x]!;
          } else if (!give) {
            s.allocated(c, res);
            for (let x = 0; x < NUM_RESOURCES; x++) m[x] = m[x]! + res[x]!;
          }
        }
        for (const c of paths) expect(Array.from(s.allocation(c))).toEqual(Array.from(model.get(c)!));
      }),
      { seed: 6162, numRuns: 100 },
    );
  });
});
