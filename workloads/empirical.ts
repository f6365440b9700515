/**
 * Empirical distributions for synthetic workloads shaped like a trace: a quantile function given
 * by knots (probability, value), drawn by inversion, and a categorical choice by weights. Imports
 * the kernel's rng type only.
 */
import type { Rng } from '../sim/kernel/rng.js';

/**
 * A distribution given by its quantile function at knots `[p, x]`: p from 0 to 1, both
 * non-decreasing. Between two knots the quantile runs geometrically when both values are
 * positive (log-linear: a heavy tail between 100 and 10,000 is not mostly near 5,000) and
 * linearly otherwise; two knots with the same value are an atom of their probability gap.
 */
export class EmpiricalQuantiles {
  private readonly p: Float64Array;
  private readonly x: Float64Array;

  constructor(knots: readonly (readonly [number, number])[]) {
    if (knots.length < 2) throw new RangeError('an empirical distribution needs at least two knots');
    this.p = Float64Array.from(knots, (k) => k[0]);
    this.x = Float64Array.from(knots, (k) => k[1]);
    const n = knots.length;
    if (this.p[0] !== 0 || this.p[n - 1] !== 1) throw new RangeError('knot probabilities must run from 0 to 1');
    for (let i = 1; i < n; i++) {
      if (!(this.p[i]! >= this.p[i - 1]!) || !(this.x[i]! >= this.x[i - 1]!)) {
        throw new RangeError(`knot ${i} ([${knots[i]![0]}, ${knots[i]![1]}]) goes below knot ${i - 1}: both must be non-decreasing`);
      }
    }
    if (!(this.x[0]! >= 0) || !Number.isFinite(this.x[n - 1]!)) throw new RangeError('knot values must be finite and non-negative');
  }

  /** The value at probability u in [0, 1]. */
  quantile(u: number): number {
    const { p, x } = this;
    // the last knot with p <= u (binary search; the knots are few, but draws are many)
    let lo = 0;
    let hi = p.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (p[mid]! <= u) lo = mid;
      else hi = mid;
    }
    const p0 = p[lo]!;
    const p1 = p[hi]!;
    const a = x[lo]!;
    const b = x[hi]!;
    if (p1 <= p0 || a === b) return u >= p1 ? b : a;
    const f = Math.min(1, Math.max(0, (u - p0) / (p1 - p0)));
    return a > 0 ? a * (b / a) ** f : a + (b - a) * f;
  }

  /** One draw by inversion: one number of the stream. */
  draw(rng: Rng): number {
    return this.quantile(rng.next());
  }

  /** The exact mean: each segment's mean (geometric or linear) times its probability. */
  mean(): number {
    const { p, x } = this;
    let m = 0;
    for (let i = 1; i < p.length; i++) {
      const a = x[i - 1]!;
      const b = x[i]!;
      const w = p[i]! - p[i - 1]!;
      m += w * (a === b ? a : a > 0 ? (b - a) / Math.log(b / a) : (a + b) / 2);
    }
    return m;
  }
}

/** A choice among `weights.length` outcomes with the given non-negative weights, drawn by one number of the stream. */
export class Categorical {
  private readonly cum: Float64Array;

  constructor(weights: readonly number[]) {
    let s = 0;
    this.cum = Float64Array.from(weights, (w) => {
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights must be finite and non-negative, got ${w}`);
      return (s += w);
    });
    if (!(s > 0)) throw new RangeError('weights must not all be 0');
  }

  /** The outcome whose cumulative weight interval holds u x (total weight), u in [0, 1). */
  pick(u: number): number {
    const c = this.cum;
    const t = u * c[c.length - 1]!;
    let i = 0;
    while (i < c.length - 1 && c[i]! <= t) i++;
    return i;
  }

  draw(rng: Rng): number {
    return this.pick(rng.next());
  }
}
