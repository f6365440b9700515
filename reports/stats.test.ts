/** nearestRank and stats: exact nearest-rank percentiles, worked out by hand. */
import { describe, expect, test } from '@jest/globals';
import { nearestRank, stats } from './stats.js';

const range = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);

describe('nearestRank', () => {
  test('rank ceil(p n / 100), at least 1', () => {
    // n = 10: p50 rank 5; p95 rank ceil(9.5) = 10; p99 rank ceil(9.9) = 10
    expect([50, 95, 99].map((p) => nearestRank(range(10), p))).toEqual([5, 10, 10]);
    // n = 20: p95 rank 19. n = 60: p95 rank 57 exactly (ceil(95 * 0.01 * 60) in floating point gives 58)
    expect(nearestRank(range(20), 95)).toBe(19);
    expect(nearestRank(range(60), 95)).toBe(57);
    // n = 100: p99 rank 99, p50 rank 50
    expect(nearestRank(range(100), 99)).toBe(99);
    expect(nearestRank(range(100), 50)).toBe(50);
    // n = 1: every percentile is the value
    expect(nearestRank(Float64Array.of(7), 1)).toBe(7);
    expect(nearestRank(range(3), 100)).toBe(3);
    expect(nearestRank([], 50)).toBeNaN();
  });
  test('p must be an integer percent in (0, 100]', () => {
    expect(() => nearestRank(range(3), 0)).toThrow(RangeError);
    expect(() => nearestRank(range(3), 99.9)).toThrow(RangeError);
    expect(() => nearestRank(range(3), 101)).toThrow(RangeError);
  });
});

describe('stats', () => {
  test('mean and percentiles of an unsorted sample, input untouched', () => {
    const v = [9, 1, 5, 3];
    // sorted 1 3 5 9: mean 18/4 = 4.5; p50 rank 2 -> 3; p95 rank ceil(3.8) = 4 -> 9; p99 -> 9
    expect(stats(v)).toEqual({ n: 4, mean: 4.5, p50: 3, p95: 9, p99: 9 });
    expect(v).toEqual([9, 1, 5, 3]);
  });
  test('sorts numerically, not as strings', () => {
    // sorted 2 10 100: p50 rank 2 -> 10
    expect(stats([10, 100, 2]).p50).toBe(10);
  });
  test('empty', () => {
    expect(stats([])).toEqual({ n: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN });
  });
});
