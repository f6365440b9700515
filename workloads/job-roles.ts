/**
 * Roles for the jobs of a multi-role framework: each job of a stream names one of the framework's
 * roles, drawn with given weights. Draws only from the random stream it is given. Imports kernel
 * rng types and model types.
 */
import type { Rng } from '../sim/kernel/rng.js';
import type { JobSpec } from '../sim/model/job.js';

/**
 * The jobs of `jobs`, each given a role of `weights` (role -> relative weight > 0): one draw per
 * job, u in [0, 1) times the sum of the weights, picks the first role, in name order, whose running
 * sum of weights exceeds it. Name order, not the object's key order, so that how the weights were
 * written does not change the draws' meaning.
 *
 * @example [...withRoles([{ id: 'j', submit: 0, framework: 'f', tasks: [] }], { a: 1 }, rng)][0].role // 'a'
 */
export function* withRoles(jobs: Iterable<JobSpec>, weights: Readonly<Record<string, number>>, rng: Rng): Generator<JobSpec> {
  const roles = Object.keys(weights).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (roles.length === 0) throw new RangeError('withRoles: no roles');
  let total = 0;
  for (const r of roles) {
    const w = weights[r]!;
    if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`withRoles: weight of ${r} must be a finite number > 0`);
    total += w;
  }
  for (const job of jobs) {
    const u = rng.next() * total;
    let acc = 0;
    let role = roles[roles.length - 1]!;
    for (const r of roles) {
      acc += weights[r]!;
      if (u < acc) {
        role = r;
        break;
      }
    }
    yield { ...job, role };
  }
}
