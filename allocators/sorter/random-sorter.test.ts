/**
 * Random sorter tests: the key formula on fixed draws, determinism for a given stream, and the
 * distributions of Mesos's RandomSorterTest (src/tests/sorter_tests.cpp) on a seeded stream.
 */
import { RandomStream } from '../../sim/kernel/rng.js';
import { resources } from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import { RandomSorter, weightedShuffle } from './random-sorter.js';

/** A stream that returns the given draws in turn (and fails loudly when they run out). */
function fixedDraws(draws: number[]): Rng & { used: number } {
  return {
    used: 0,
    next() {
      const u = draws[this.used++];
      if (u === undefined) throw new Error('fixedDraws: out of draws');
      return u;
    },
  };
}

function sorterOf(weights: Record<string, number>): RandomSorter {
  const s = new RandomSorter();
  for (const [c, w] of Object.entries(weights)) {
    s.add(c);
    s.activate(c);
    s.updateWeight(c, w);
  }
  return s;
}

describe('weightedShuffle', () => {
  test('sorts ascending by -u^(1/w), one draw per item in input order', () => {
    // equal weights: keys -0.2 (x) and -0.7 (y): y first
    const rng1 = fixedDraws([0.2, 0.7]);
    expect(weightedShuffle(['x', 'y'], [1, 1], rng1)).toEqual(['y', 'x']);
    expect(rng1.used).toBe(2);
    // y's weight 0.1: key -(0.7^10) = -0.028 > -0.2, so x first
    expect(weightedShuffle(['x', 'y'], [1, 0.1], fixedDraws([0.2, 0.7]))).toEqual(['x', 'y']);
    // x's weight 10: key -(0.2^0.1) = -0.851 < -0.7, so x first
    expect(weightedShuffle(['x', 'y'], [10, 1], fixedDraws([0.2, 0.7]))).toEqual(['x', 'y']);
  });

  test('draws nothing for fewer than two items; u = 0 sorts last', () => {
    const rng = fixedDraws([]);
    expect(weightedShuffle(['only'], [1], rng)).toEqual(['only']);
    expect(rng.used).toBe(0);
    expect(weightedShuffle(['x', 'y', 'z'], [1, 1, 1], fixedDraws([0, 0.5, 0]))).toEqual(['y', 'x', 'z']);
  });
});

describe('RandomSorter', () => {
  test('is deterministic for a given stream and differs across seeds', () => {
    const weights = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    const run = (seed: number) => {
      const s = sorterOf(weights);
      const rng = new RandomStream(seed, 'random-sorter');
      return Array.from({ length: 50 }, () => s.sort(rng).join(','));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  test('shares and allocations never change the order (same draws, same result)', () => {
    const s1 = sorterOf({ a: 1, b: 1, c: 1 });
    const s2 = sorterOf({ a: 1, b: 1, c: 1 });
    s2.addTotal(resources({ cpus: 10, mem: 10 }));
    s2.allocated('a', resources({ cpus: 9, mem: 9 }));
    const r1 = new RandomStream(3, 'x');
    const r2 = new RandomStream(3, 'x');
    for (let i = 0; i < 20; i++) expect(s2.sort(r2)).toEqual(s1.sort(r1));
    expect(Array.from(s2.allocation('a'))).toEqual(Array.from(resources({ cpus: 9, mem: 9 })));
  });

  test('inactive clients are left out', () => {
    const s = sorterOf({ a: 1, b: 1, c: 1 });
    s.deactivate('b');
    const rng = new RandomStream(1, 'x');
    for (let i = 0; i < 20; i++) expect([...s.sort(rng)].sort()).toEqual(['a', 'c']);
  });

  test('P(first) is proportional to weight (RandomSorterTest.ProbabilityDistribution)', () => {
    // Weights 1..5 sum to 15: P(first = i) = w_i / 15 = .067, .133, .2, .267, .333.
    // 20000 sorts: the standard error of each frequency is at most sqrt(.333 * .667 / 20000)
    // = .0033, so a tolerance of .015 is more than 4 standard errors.
    const s = sorterOf({ 0: 1, 1: 2, 2: 3, 3: 4, 4: 5 });
    const rng = new RandomStream(20240823, 'random-sorter-first');
    const runs = 20000;
    const counts = [
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ];
    for (let k = 0; k < runs; k++) {
      s.sort(rng).forEach((c, pos) => counts[Number(c)]![pos]!++);
    }
    for (let i = 0; i < 5; i++) expect(Math.abs(counts[i]![0]! / runs - (i + 1) / 15)).toBeLessThan(0.015);
    // Mesos's whole position table (each cell +-.05 in the Mesos test; kept here).
    const expected = [
      [0.07, 0.08, 0.12, 0.2, 0.54],
      [0.13, 0.16, 0.2, 0.28, 0.23],
      [0.2, 0.22, 0.24, 0.22, 0.12],
      [0.27, 0.26, 0.23, 0.17, 0.07],
      [0.33, 0.28, 0.21, 0.13, 0.04],
    ];
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) expect(Math.abs(counts[i]![j]! / runs - expected[i]![j]!)).toBeLessThan(0.05);
    }
  });

  test('hierarchy: relative weights multiply down the tree (RandomSorterTest.HierarchicalProbabilityDistribution)', () => {
    // Tree (weight): a (1) with a/. (1) and a/b (2); c (2) with c/d (1) and c/e (2).
    // Rw(a) = 1/3, Rw(c) = 2/3; Rw(a/.) = 1/3 * 1/3 = 1/9, Rw(a/b) = 1/3 * 2/3 = 2/9,
    // Rw(c/d) = 2/3 * 1/3 = 2/9, Rw(c/e) = 2/3 * 2/3 = 4/9.
    const s = new RandomSorter();
    for (const c of ['a', 'a/b', 'c/d', 'c/e']) {
      s.add(c);
      s.activate(c);
    }
    for (const [p, w] of [
      ['a', 1],
      ['a/b', 2],
      ['c', 2],
      ['c/d', 1],
      ['c/e', 2],
    ] as const)
      s.updateWeight(p, w);
    const rw = s.relativeWeights();
    expect(rw.get('a')).toBeCloseTo(1 / 9, 12);
    expect(rw.get('a/b')).toBeCloseTo(2 / 9, 12);
    expect(rw.get('c/d')).toBeCloseTo(2 / 9, 12);
    expect(rw.get('c/e')).toBeCloseTo(4 / 9, 12);

    // One weighted shuffle over all leaves (not one per level): Mesos's table, +-.05 over
    // 10000 sorts. A per-level shuffle would put 'a' last with probability
    // P(c subtree first) * P(a/b before a/.) = 2/3 * 2/3 = .44, outside .51 +- .05.
    const index: Record<string, number> = { a: 0, 'a/b': 1, 'c/d': 2, 'c/e': 3 };
    const counts = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    const rng = new RandomStream(20240823, 'random-sorter-hierarchy');
    const runs = 10000;
    for (let k = 0; k < runs; k++) s.sort(rng).forEach((c, pos) => counts[index[c]!]![pos]!++);
    const expected = [
      [0.11, 0.15, 0.23, 0.51],
      [0.22, 0.27, 0.3, 0.21],
      [0.22, 0.27, 0.3, 0.21],
      [0.44, 0.31, 0.18, 0.07],
    ];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) expect(Math.abs(counts[i]![j]! / runs - expected[i]![j]!)).toBeLessThan(0.05);
    }
  });

  test('relative weights count active siblings only', () => {
    const s = new RandomSorter();
    for (const c of ['a', 'a/b', 'c/d', 'c/e']) {
      s.add(c);
      s.activate(c);
    }
    for (const [p, w] of [
      ['a', 1],
      ['a/b', 2],
      ['c', 2],
      ['c/d', 1],
      ['c/e', 2],
    ] as const)
      s.updateWeight(p, w);
    s.deactivate('c/e');
    // c keeps 2/3 and c/d is its only active child: 2/3
    expect(s.relativeWeights().get('c/d')).toBeCloseTo(2 / 3, 12);
    s.deactivate('c/d');
    // c has no active leaf: a alone, a/. = 1/3, a/b = 2/3
    const rw = s.relativeWeights();
    expect([...rw.keys()].sort()).toEqual(['a', 'a/b']);
    expect(rw.get('a')).toBeCloseTo(1 / 3, 12);
    expect(rw.get('a/b')).toBeCloseTo(2 / 3, 12);
  });
});
