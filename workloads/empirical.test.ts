/**
 * Empirical quantile functions and categorical choices: quantiles and means worked out by hand,
 * the mean of many draws against the exact mean, and the knots refused.
 */
import { RandomStream, type Rng } from '../sim/kernel/rng.js';
import { Categorical, EmpiricalQuantiles } from './empirical.js';

/** A stream returning the given numbers in turn. */
const scripted = (xs: number[]): Rng => {
  let i = 0;
  return { next: () => xs[i++]! };
};

// A linear start from 0, an atom at 4 of probability 0.2, then two geometric segments.
const KNOTS: [number, number][] = [
  [0, 0],
  [0.4, 4],
  [0.6, 4],
  [0.8, 16],
  [1, 64],
];

describe('EmpiricalQuantiles', () => {
  const d = new EmpiricalQuantiles(KNOTS);

  test('quantiles: linear from 0, the atom, geometric between positive knots', () => {
    expect(d.quantile(0)).toBe(0);
    // [0, 0.4] runs linearly 0 -> 4: u = 0.2 is halfway, 2
    expect(d.quantile(0.2)).toBeCloseTo(2, 12);
    // [0.4, 0.6] is the atom 4
    expect(d.quantile(0.4)).toBe(4);
    expect(d.quantile(0.5)).toBe(4);
    // [0.6, 0.8] runs geometrically 4 -> 16: halfway is sqrt(4 x 16) = 8 (linear would give 10)
    expect(d.quantile(0.7)).toBeCloseTo(8, 12);
    // [0.8, 1] 16 -> 64: a quarter of the way, 16 x 4^0.25 = 16 x sqrt(2) = 22.627...
    expect(d.quantile(0.85)).toBeCloseTo(16 * Math.SQRT2, 10);
    expect(d.quantile(1)).toBe(64);
  });

  test('draw inverts one number of the stream', () => {
    const r = scripted([0.7, 0.2]);
    expect(d.draw(r)).toBeCloseTo(8, 12);
    expect(d.draw(r)).toBeCloseTo(2, 12);
  });

  test('the exact mean, and the mean of 200,000 draws within 2% of it', () => {
    // segments: 0.4 x (0 + 4) / 2 = 0.8; atom 0.2 x 4 = 0.8; geometric 4 -> 16: 0.2 x (16 - 4) / ln 4;
    // 16 -> 64: 0.2 x (64 - 16) / ln 4. Sum 1.6 + 0.2 x 60 / ln 4 = 1.6 + 12 / 1.386294 = 10.256170
    expect(d.mean()).toBeCloseTo(1.6 + 12 / Math.log(4), 10);
    expect(d.mean()).toBeCloseTo(10.25617, 4);
    const rng = new RandomStream(1, 'empirical');
    let s = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) s += d.draw(rng);
    // the standard deviation is about 16, so the sample mean's standard error is about 0.036 (0.35%)
    expect(Math.abs(s / n / d.mean() - 1)).toBeLessThan(0.02);
  });

  test('knots that do not run from 0 to 1 or go down are refused', () => {
    expect(() => new EmpiricalQuantiles([[0, 1]])).toThrow('at least two knots');
    expect(
      () =>
        new EmpiricalQuantiles([
          [0.1, 1],
          [1, 2],
        ]),
    ).toThrow('from 0 to 1');
    expect(
      () =>
        new EmpiricalQuantiles([
          [0, 1],
          [0.5, 3],
          [1, 2],
        ]),
    ).toThrow('knot 2 ([1, 2]) goes below knot 1');
    expect(
      () =>
        new EmpiricalQuantiles([
          [0, 1],
          [0.6, 2],
          [0.5, 3],
          [1, 4],
        ]),
    ).toThrow('knot 2');
    expect(
      () =>
        new EmpiricalQuantiles([
          [0, -1],
          [1, 2],
        ]),
    ).toThrow('non-negative');
  });
});

describe('Categorical', () => {
  // weights 1, 0, 3: cumulative 1, 1, 4; u x 4 below 1 picks 0, from 1 on picks 2, never 1
  const c = new Categorical([1, 0, 3]);
  test('picks by cumulative weight and never an outcome of weight 0', () => {
    expect(c.pick(0)).toBe(0);
    expect(c.pick(0.24)).toBe(0);
    expect(c.pick(0.25)).toBe(2);
    expect(c.pick(0.999)).toBe(2);
    expect(c.draw(scripted([0.1]))).toBe(0);
  });
  test('weights that are negative or all 0 are refused', () => {
    expect(() => new Categorical([1, -1])).toThrow('non-negative');
    expect(() => new Categorical([0, 0])).toThrow('not all be 0');
  });
});
