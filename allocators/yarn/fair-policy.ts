/**
 * The FairScheduler's three policies (Hadoop FairSharePolicy, DominantResourceFairnessPolicy,
 * FifoPolicy in .../scheduler/fair/policies/): the order in which a parent's children or a leaf's
 * applications are offered a node, and how a share is split among them. Imports model types,
 * resources.ts and fair-shares.ts only.
 */
import { R, type ResourceVector } from '../../sim/model/resources.js';
import { computeFairShares, type ShareClient } from './fair-shares.js';
import type { FairPolicy } from './fair-options.js';

/** A queue or an application as a policy sees it (Hadoop Schedulable). */
export interface Schedulable {
  /** resources it holds now */
  readonly usage: ResourceVector;
  /** what it holds plus what it asks, as of the last update (Hadoop getDemand) */
  readonly demand: ResourceVector;
  /** queues: minResources; applications: none */
  readonly minShare: ResourceVector;
  /** queues: maxResources (Infinity where unlimited); applications: unlimited */
  readonly maxShare: ResourceVector;
  /** queues: weight; applications: 1 (Hadoop getAppWeight, app priority fixed at 1) */
  readonly weight: number;
  /** queues: 0; applications: when added, us */
  readonly start: number;
  /** the last tie-break: queues by path order, applications by id (Hadoop compares names) */
  readonly rank: number;
  /** its instantaneous fair share, written by {@link computeShares} */
  readonly fairShare: ResourceVector;
  /** whether it has runnable applications (applications: always) */
  isActive(): boolean;
}

/** Hadoop integer units of a fixed-point amount (MB or vcores), Infinity kept. */
function units(fixed: number): number {
  return fixed === Infinity ? Infinity : Math.floor(fixed / 1000);
}

function signum(x: number): number {
  return Number.isNaN(x) ? 0 : Math.sign(x);
}

function tieBreak(a: Schedulable, b: Schedulable): number {
  return signum(a.start - b.start) || a.rank - b.rank;
}

/**
 * Hadoop FairSharePolicy's comparator, on memory only: one with demand before one without; then
 * one below its min share (capped by demand) before one that is not, two below by usage over
 * min share; then usage over weight (a zero weight after a positive one; two zero weights by
 * usage); then start time, then rank.
 */
export function compareFair(a: Schedulable, b: Schedulable): number {
  const da = a.demand[R.mem]!;
  const db = b.demand[R.mem]!;
  if (da === 0 && db > 0) return 1;
  if (db === 0 && da > 0) return -1;
  const ua = a.usage[R.mem]!;
  const ub = b.usage[R.mem]!;
  const minA = Math.min(a.minShare[R.mem]!, da);
  const minB = Math.min(b.minShare[R.mem]!, db);
  const needyA = ua < minA;
  const needyB = ub < minB;
  let res: number;
  if (needyA && !needyB) res = -1;
  else if (needyB && !needyA) res = 1;
  else if (needyA && needyB) res = signum(ua / Math.max(minA, 1000) - ub / Math.max(minB, 1000));
  else {
    const wa = a.weight;
    const wb = b.weight;
    if (wa > 0 && wb > 0) res = signum(ua / wa - ub / wb);
    else if (wa === wb) res = signum(ua - ub);
    else res = signum(-wa - -wb);
  }
  return res || tieBreak(a, b);
}

/** Shares of `pool` per resource into `out` (0 memory, 1 vcores); returns the dominant index (memory on a tie). */
function sharesOf(v: ResourceVector, pool: ResourceVector, out: number[]): 0 | 1 {
  out[0] = v[R.mem]! / pool[R.mem]!;
  out[1] = v[R.cpus]! / pool[R.cpus]!;
  return out[1]! > out[0]! ? 1 : 0;
}

const sa = [0, 0];
const sb = [0, 0];
const INDEX: readonly [number, number] = [R.mem, R.cpus];

/**
 * Hadoop DominantResourceFairnessPolicy.DominantResourceFairnessComparator2 (memory and vcores):
 * each side's dominant resource is the larger of its usage's shares of the cluster (memory on a
 * tie); one whose usage of its dominant resource is below its min share of it comes first; two
 * such compare usage over min share, dominant then the other; two others compare cluster shares
 * divided by weight, dominant then the other; then start time, then rank.
 */
export function compareDrf(cluster: ResourceVector, a: Schedulable, b: Schedulable): number {
  const da = sharesOf(a.usage, cluster, sa);
  const db = sharesOf(b.usage, cluster, sb);
  const needyA = a.usage[INDEX[da]]! < a.minShare[INDEX[da]]!;
  const needyB = b.usage[INDEX[db]]! < b.minShare[INDEX[db]]!;
  let res: number;
  if (!needyA && !needyB) {
    for (let i = 0; i < 2; i++) {
      sa[i] = sa[i]! / a.weight;
      sb[i] = sb[i]! / b.weight;
    }
    res = signum(sa[da]! - sb[db]!) || signum(sa[1 - da]! - sb[1 - db]!);
  } else if (needyA && !needyB) res = -1;
  else if (needyB && !needyA) res = 1;
  else {
    sharesOf(a.usage, a.minShare, sa);
    sharesOf(b.usage, b.minShare, sb);
    res = signum(sa[da]! - sb[db]!) || signum(sa[1 - da]! - sb[1 - db]!);
  }
  return res || tieBreak(a, b);
}

/** Hadoop FifoPolicy's comparator: application priority (all 1 in the FairScheduler), start time, then rank. */
export function compareFifo(a: Schedulable, b: Schedulable): number {
  return tieBreak(a, b);
}

/** The comparator of `policy` (DRF against `cluster`). */
export function comparatorOf(policy: FairPolicy, cluster: ResourceVector): (a: Schedulable, b: Schedulable) => number {
  switch (policy) {
    case 'fair':
      return compareFair;
    case 'drf':
      return (a, b) => compareDrf(cluster, a, b);
    case 'fifo':
      return compareFifo;
  }
}

/**
 * Splits `total` among `clients` as `policy` does, writing each one's share through `target`
 * (its fair share, or a queue's steady fair share): 'fair' on memory only (Hadoop
 * FairSharePolicy.computeShares: the other resources are left as they are), 'drf' on memory and
 * vcores, each by {@link computeFairShares}; 'fifo' gives all of `total` to the earliest started
 * (Hadoop FifoPolicy.computeShares) and, unlike Hadoop, 0 to the others.
 */
export function computeShares(
  policy: FairPolicy,
  clients: readonly Schedulable[],
  total: ResourceVector,
  steady: boolean,
  target: (s: Schedulable) => ResourceVector,
): void {
  if (clients.length === 0) return;
  if (policy === 'fifo') {
    let earliest = clients[0]!;
    for (const c of clients) if (c.start < earliest.start) earliest = c;
    for (const c of clients) {
      if (c === earliest) target(c).set(total);
      else target(c).fill(0);
    }
    return;
  }
  const types = policy === 'drf' ? [R.mem, R.cpus] : [R.mem];
  const out: number[] = [];
  for (const r of types) {
    const sc: ShareClient[] = clients.map((c) => ({
      weight: c.weight,
      minShare: units(c.minShare[r]!),
      maxShare: units(c.maxShare[r]!),
      active: c.isActive(),
    }));
    computeFairShares(sc, units(total[r]!), steady, out);
    clients.forEach((c, i) => {
      target(c)[r] = out[i]! * 1000;
    });
  }
}
