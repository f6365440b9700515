/**
 * Summary statistics over a finite sample: mean and nearest-rank percentiles, exact and
 * deterministic (no interpolation, no floating rank arithmetic). Imports nothing.
 */

/** Mean and percentiles of one metric over a set of jobs; every field is NaN when `n` is 0. */
export interface Stats {
  /** number of values; 0 when none */
  readonly n: number;
  /** arithmetic mean, summed in input order; NaN when n = 0 */
  readonly mean: number;
  /** 50th percentile (nearest rank); NaN when n = 0 */
  readonly p50: number;
  /** 95th percentile (nearest rank); NaN when n = 0 */
  readonly p95: number;
  /** 99th percentile (nearest rank); NaN when n = 0 */
  readonly p99: number;
}

/**
 * Nearest-rank percentile of an ascending sample: the value at 1-based rank `ceil(p * n / 100)`
 * (at least 1). `p` is an integer percent in (0, 100], so `p * n` is an exact integer and the
 * rank never suffers floating rounding. NaN for an empty sample.
 * @example nearestRank(Float64Array.of(1, 2, 3, 4), 50) // 2
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (!Number.isInteger(p) || p <= 0 || p > 100) throw new RangeError(`percentile must be an integer in (0, 100], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  return sorted[rank - 1]!;
}

/** {@link Stats} of `values` (not mutated); the mean sums in the given order, so equal inputs give equal bits. */
export function stats(values: ArrayLike<number>): Stats {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const sorted = Float64Array.from(values).sort();
  return {
    n,
    mean: sum / n,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
  };
}
