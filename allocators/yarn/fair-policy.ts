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

/** Shares of `pool` per resource (memory, vcores), each divided by `weight`; index 0 memory, 1 vcores. */
function sharesOf(v: ResourceVector, pool: ResourceVector, weight: number, out: number[]): void {
  out[0] = v[R.mem]! / (pool[R.mem]! * weight);
  out[1] = v[R.cpus]! / (pool[R.cpus]! * weight);
}

const sa = [0, 0];
const sb = [0, 0];
const ma = [0, 0];
const mb = [0, 0];

function compareOrdered(x: number[], y: number[], ox: number, oy: number): number {
  return signum(x[ox]! - y[oy]!) || signum(x[1 - ox]! - y[1 - oy]!);
}

/**
 * Hadoop DominantResourceFairnessComparator, on memory and vcores: each side's usage as shares of
 * the cluster divided by its weight, largest first; one whose dominant resource is below its min
 * share comes first; two such compare their shares of their min shares; two others their
 * cluster shares, dominant first; then start time, then rank.
 */
export function compareDrf(cluster: ResourceVector, a: Schedulable, b: Schedulable): number {
  sharesOf(a.usage, cluster, a.weight, sa);
  sharesOf(b.usage, cluster, b.weight, sb);
  sharesOf(a.usage, a.minShare, 1, ma);
  sharesOf(b.usage, b.minShare, 1, mb);
  const oa = sa[0]! > sa[1]! ? 0 : 1;
  const ob = sb[0]! > sb[1]! ? 0 : 1;
  const needyA = ma[oa]! < 1;
  const needyB = mb[ob]! < 1;
  let res: number;
  if (!needyA && !needyB) res = compareOrdered(sa, sb, oa, ob);
  else if (needyA && !needyB) res = -1;
  else if (needyB && !needyA) res = 1;
  else res = compareOrdered(ma, mb, oa, ob);
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
