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

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean and the half-width of its 95% confidence interval (Student's t, n - 1 df); NaN where undefined. */
export function meanCi95(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, half: NaN };
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / n;
  if (n < 2) return { mean, half: NaN };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const df = n - 1;
  // Beyond 30 df, the Cornish-Fisher expansion around z = 1.959964 (error under 1e-4).
  const z = 1.959964;
  const t = df <= 30 ? T975[df - 1]! : z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  return { mean, half: t * Math.sqrt(ss / df / n) };
}
