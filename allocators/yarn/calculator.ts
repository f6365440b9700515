/**
 * Hadoop's resource calculators on offersim's vectors (fixed point; yarn-semantics.md §3.5):
 * - 'memory', DefaultResourceCalculator (hadoop-yarn-common .../util/resource/): compares, fits
 *   and divides by memory alone, and a normalised container holds its memory and 1 vcore,
 *   whatever vcores it asked (normalize builds a memory-only resource);
 * - 'dominant', DominantResourceCalculator: every YARN resource counts (memory, vcores, and
 *   gpus when the cluster has any; disk is not a YARN resource type and is never counted);
 *   resources compare by their shares of the cluster, largest share first.
 * Imports model types only.
 */
import { NUM_RESOURCES, R, toFixed, type ResourceVector } from '../../sim/model/resources.js';

/** The resources a calculator looks at, by vector index. */
const MEMORY_ONLY = [R.mem] as const;
const DOMINANT = [R.mem, R.cpus, R.gpus] as const;

/** A resource calculator: 'memory' (Hadoop's default) or 'dominant'. */
export class ResourceCalculator {
  private readonly counted: readonly number[];

  constructor(readonly kind: 'memory' | 'dominant') {
    this.counted = kind === 'memory' ? MEMORY_ONLY : DOMINANT;
  }

  /** Whether `a` fits in `b` (every counted resource of a at most b's). */
  fitsIn(a: ResourceVector, b: ResourceVector, bOff = 0): boolean {
    for (const r of this.counted) if (a[r]! > b[bOff + r]!) return false;
    return true;
  }

  /** Whether every counted resource of `a` is 0 (Hadoop isInvalidDivisor / none). */
  isZero(a: ResourceVector, aOff = 0): boolean {
    for (const r of this.counted) if (a[aOff + r]! !== 0) return false;
    return true;
  }

  /**
   * `a` against `b` relative to `cluster`: negative when a is smaller. 'memory' compares memory;
   * 'dominant' compares the shares of the cluster, largest first, then the next (Hadoop compare).
   */
  compare(cluster: ResourceVector, a: ResourceVector, b: ResourceVector): number {
    if (this.kind === 'memory') return a[R.mem]! - b[R.mem]!;
    const sa = this.shares(cluster, a);
    const sb = this.shares(cluster, b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
    return 0;
  }

  /** The largest share of `cluster` that `a` holds among the counted resources ('memory': its memory share). */
  share(cluster: ResourceVector, a: ResourceVector, aOff = 0): number {
    let s = 0;
    for (const r of this.counted) {
      const total = cluster[r]!;
      if (total > 0) s = Math.max(s, a[aOff + r]! / total);
    }
    return s;
  }

  /**
   * `a` divided by `b` relative to `cluster` (Hadoop Resources.divide): 'memory', a's memory over
   * b's; 'dominant', a's dominant share over b's. 0 over 0 is 0; a positive over 0 is Infinity.
   */
  ratio(cluster: ResourceVector, a: ResourceVector, b: ResourceVector): number {
    const num = this.kind === 'memory' ? a[R.mem]! : this.share(cluster, a);
    const den = this.kind === 'memory' ? b[R.mem]! : this.share(cluster, b);
    if (den === 0) return num === 0 ? 0 : Infinity;
    return num / den;
  }

  /**
   * The container a request of `ask` gets (Hadoop normalize): each counted resource raised to
   * `min`, rounded up to a multiple of `step`, capped at `max`. 'memory' gives 1 vcore and
   * nothing else besides memory; 'dominant' keeps the uncounted resources (disk) at 0 too.
   */
  normalise(ask: ResourceVector, min: ResourceVector, max: ResourceVector, step: ResourceVector): ResourceVector {
    const out = new Float64Array(NUM_RESOURCES);
    for (const r of this.counted) {
      let v = Math.max(ask[r]!, min[r]!);
      const s = step[r]!;
      if (s > 0) v = Math.ceil(v / s) * s;
      out[r] = Math.min(v, max[r]!);
    }
    if (this.kind === 'memory') out[R.cpus] = toFixed(1);
    return out;
  }

  /** How many containers of `each` fit in `room` (Hadoop computeAvailableContainers); Infinity when `each` is zero. */
  containersIn(room: ResourceVector, each: ResourceVector, roomOff = 0): number {
    let n = Infinity;
    for (const r of this.counted) if (each[r]! > 0) n = Math.min(n, Math.floor(room[roomOff + r]! / each[r]!));
    return n;
  }

  /** The counted resources' shares of `cluster` held by `a`, largest first. */
  private shares(cluster: ResourceVector, a: ResourceVector): number[] {
    const s: number[] = [];
    for (const r of this.counted) {
      const total = cluster[r]!;
      s.push(total > 0 ? a[r]! / total : 0);
    }
    return s.sort((x, y) => y - x);
  }
}
