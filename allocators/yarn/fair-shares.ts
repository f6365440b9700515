/**
 * The FairScheduler's fair-share computation (Hadoop ComputeFairShares, in
 * hadoop-yarn-server-resourcemanager/.../scheduler/fair/policies/), as a pure function over one
 * resource type in Hadoop's integer units (MB or vcores). Imports nothing.
 */

/** One schedulable (a queue or an application) as the share computation sees it. */
export interface ShareClient {
  /** its weight (Hadoop `getWeight`); 0 means it gets only its min share */
  readonly weight: number;
  /** its min share of this resource, integer units; 0 for applications */
  readonly minShare: number;
  /** its max share of this resource, integer units; Infinity when unbounded */
  readonly maxShare: number;
  /** whether it has runnable applications (Hadoop `FSQueue.isActive`); applications are always active */
  readonly active: boolean;
}

/** Binary-search steps (Hadoop COMPUTE_FAIR_SHARES_ITERATIONS). */
const ITERATIONS = 25;

/** The share a client gets at weight-to-resource ratio `r` (Hadoop computeShare: clamp, then truncate). */
function shareAt(c: ShareClient, r: number): number {
  return Math.floor(Math.min(Math.max(c.weight * r, c.minShare), c.maxShare));
}

function usedAt(clients: readonly ShareClient[], free: readonly boolean[], r: number): number {
  let used = 0;
  for (let i = 0; i < clients.length; i++) if (free[i]) used += shareAt(clients[i]!, r);
  return used;
}

/**
 * The fair shares of `clients` out of `total` (integer units), written into `out` by index
 * (Hadoop ComputeFairShares.computeSharesInternal). `steady` computes the steady fair share, among
 * all clients, active or not; otherwise the instantaneous fair share, where inactive clients get 0.
 * A client's share is fixed, and taken off the total first, when its max share is 0 (share 0), when
 * it is inactive and `steady` is false (0), or when its weight is 0 (its min share). The others
 * share the rest by a ratio R found by binary search, 25 steps from [0, rMax] where rMax doubles
 * from 1 until the shares at rMax use the total (or every max share): each gets
 * clamp(weight x R, minShare, maxShare) truncated to an integer at the search's upper end. So the
 * shares may sum to a little more than the total (three clients of 10240 get 3414 each), and
 * demand never caps a share.
 * @example computeFairShares([{ weight: 1, minShare: 0, maxShare: Infinity, active: true }], 40, false, out) // out[0] = 40
 */
export function computeFairShares(clients: readonly ShareClient[], total: number, steady: boolean, out: number[]): void {
  const free: boolean[] = [];
  let taken = 0;
  let anyFree = false;
  for (let i = 0; i < clients.length; i++) {
    const c = clients[i]!;
    let fixed = -1;
    if (c.maxShare <= 0) fixed = 0;
    else if (!steady && !c.active) fixed = 0;
    else if (c.weight <= 0) fixed = Math.max(c.minShare, 0);
    free.push(fixed < 0);
    if (fixed >= 0) {
      out[i] = fixed;
      taken += fixed;
    } else anyFree = true;
  }
  if (!anyFree) return;
  let totalMax = 0;
  for (let i = 0; i < clients.length; i++) if (free[i]) totalMax += clients[i]!.maxShare;
  const target = Math.min(totalMax, Math.max(total - taken, 0));
  let rMax = 1;
  while (usedAt(clients, free, rMax) < target) rMax *= 2;
  let left = 0;
  let right = rMax;
  for (let i = 0; i < ITERATIONS; i++) {
    const mid = (left + right) / 2;
    const used = usedAt(clients, free, mid);
    if (used === target) {
      right = mid;
      break;
    }
    if (used < target) left = mid;
    else right = mid;
  }
  for (let i = 0; i < clients.length; i++) if (free[i]) out[i] = shareAt(clients[i]!, right);
}
