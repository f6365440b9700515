/**
 * Quota for the hierarchical allocator (notes §1.2, §1.6): the `params.quota` shape, its checks
 * (every problem with its path), the fixed-point form the allocator works on, and the floored
 * vector arithmetic of Mesos `ResourceQuantities`. Imports only allocator types and the pure
 * resource helpers; no clock, no queue, no I/O.
 */
import { NUM_RESOURCES, RESOURCE_NAMES, resources, toFixed, type ResourceAmounts, type ResourceVector } from '../sim/model/resources.js';
import { isRecord, problemList } from './param-checks.js';
import type { ParamDoc, ParamProblem } from './types.js';

/** One role's quota as a scenario writes it, in scenario units (cores, MB). */
export interface RoleQuotaParam {
  /** resources held back for the role until it consumes them (Mesos guarantees, deprecated but working); default none */
  readonly guarantee?: ResourceAmounts;
  /** hard caps on the role's consumption (Mesos limits, ≥ 1.9); default none (unlimited) */
  readonly limit?: ResourceAmounts;
}

/** One top-level role's quota in fixed point, as the allocator uses it. */
export interface RoleQuota {
  /** the top-level role, e.g. 'analytics' or '*' */
  readonly role: string;
  /** guaranteed amounts, fixed point; 0 where the role has no guarantee */
  readonly guarantee: ResourceVector;
  /** limits, fixed point; `Infinity` where the role has no limit */
  readonly limit: ResourceVector;
  /** whether some guarantee is above 0 (Mesos: non-empty `guarantees`) */
  readonly hasGuarantee: boolean;
  /** whether some resource has a limit (a limit of 0 counts: nothing of it may be consumed) */
  readonly hasLimit: boolean;
}

/** The documentation of `params.quota`, for `offersim list` and the docs. */
export const QUOTA_PARAM: ParamDoc = {
  name: 'quota',
  description:
    'per top-level role, { guarantee, limit } in cores and MB (cpus, mem, disk, gpus): limits cap what the ' +
    "role's subtree may consume (offered + allocated), offers are chopped to fit; guarantees are served " +
    'before fair share and unconsumed guarantees hold resources back from other roles (headroom)',
  default: '{} (no quota)',
};

const QUOTA_FIELDS = ['guarantee', 'limit'] as const;

/** The top-level role of a role path: 'eng/dev' → 'eng'; '*' → '*'. */
export function topLevelRole(role: string): string {
  const slash = role.indexOf('/');
  return slash < 0 ? role : role.slice(0, slash);
}

/**
 * Every problem with a `quota` parameter value, each with its path from the params root
 * (`path` is where the value sits, default ['quota']). Keys are visited in sorted order so the
 * list is the same whatever the file's key order.
 * @example validateQuota({ 'eng/dev': { limit: { cpus: -1 } } })
 * // [{ path: ['quota', 'eng/dev'], message: 'quota is not supported on nested roles ...' },
 * //  { path: ['quota', 'eng/dev', 'limit', 'cpus'], message: 'must be a finite number >= 0, got -1' }]
 */
export function validateQuota(value: unknown, path: readonly (string | number)[] = ['quota']): ParamProblem[] {
  const problems: ParamProblem[] = [];
  if (!isRecord(value)) {
    problems.push({ path, message: 'quota must be a map from top-level role to { guarantee, limit }' });
    return problems;
  }
  for (const role of Object.keys(value).sort()) {
    const at = [...path, role];
    if (role === '') problems.push({ path: at, message: 'role name must not be empty' });
    else if (role === '.' || role === '..' || /\s/.test(role)) {
      problems.push({ path: at, message: `'${role}' is not a valid role name (no '.', '..' or whitespace)` });
    } else if (role.includes('/')) {
      problems.push({
        path: at,
        message: `quota is not supported on nested roles ('${role}'); set it on the top-level role '${topLevelRole(role)}'`,
      });
    }
    const entry = value[role];
    if (!isRecord(entry)) {
      problems.push({ path: at, message: 'must be an object with guarantee and/or limit' });
      continue;
    }
    for (const key of Object.keys(entry).sort()) {
      if (!(QUOTA_FIELDS as readonly string[]).includes(key)) {
        problems.push({ path: [...at, key], message: `unknown field "${key}" (expected ${QUOTA_FIELDS.join(' or ')})` });
      }
    }
    const guarantee = checkAmounts(entry['guarantee'], [...at, 'guarantee'], problems);
    const limit = checkAmounts(entry['limit'], [...at, 'limit'], problems);
    if (guarantee !== null && limit !== null) {
      for (const name of RESOURCE_NAMES) {
        const g = guarantee[name];
        const l = limit[name];
        if (g !== undefined && l !== undefined && toFixed(g) > toFixed(l)) {
          problems.push({ path: [...at, 'guarantee', name], message: `guarantee ${g} exceeds limit ${l}` });
        }
      }
    }
  }
  return problems;
}

/** Checks one amounts object; returns its valid entries (null when absent or not an object). */
function checkAmounts(v: unknown, at: readonly (string | number)[], problems: ParamProblem[]): Partial<Record<(typeof RESOURCE_NAMES)[number], number>> | null {
  if (v === undefined) return null;
  if (!isRecord(v)) {
    problems.push({ path: at, message: `must be an object of amounts (${RESOURCE_NAMES.join(', ')})` });
    return null;
  }
  const out: Partial<Record<(typeof RESOURCE_NAMES)[number], number>> = {};
  for (const key of Object.keys(v).sort()) {
    if (!(RESOURCE_NAMES as readonly string[]).includes(key)) {
      problems.push({ path: [...at, key], message: `unknown resource "${key}" (expected one of ${RESOURCE_NAMES.join(', ')})` });
      continue;
    }
    const x = v[key];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      problems.push({ path: [...at, key], message: `must be a finite number >= 0, got ${JSON.stringify(x) ?? String(x)}` });
      continue;
    }
    out[key as (typeof RESOURCE_NAMES)[number]] = x;
  }
  return out;
}

/**
 * The fixed-point quota of every configured role, by top-level role. Throws a RangeError naming
 * every problem when `value` does not pass {@link validateQuota} (the scenario layer validates
 * first, so reaching it is a bug or a direct construction). `undefined` means no quota.
 */
export function parseQuota(value: unknown): ReadonlyMap<string, RoleQuota> {
  const out = new Map<string, RoleQuota>();
  if (value === undefined) return out;
  const problems = validateQuota(value);
  if (problems.length > 0) {
    throw new RangeError(`invalid quota: ${problemList(problems)}`);
  }
  const map = value as Record<string, RoleQuotaParam>;
  for (const role of Object.keys(map).sort()) {
    const q = map[role]!;
    const guarantee = resources(q.guarantee ?? {});
    const limit = new Float64Array(NUM_RESOURCES).fill(Infinity);
    let hasLimit = false;
    if (q.limit !== undefined) {
      RESOURCE_NAMES.forEach((name, i) => {
        const l = q.limit![name];
        if (l !== undefined) {
          limit[i] = toFixed(l);
          hasLimit = true;
        }
      });
    }
    out.set(role, { role, guarantee, limit, hasGuarantee: guarantee.some((g) => g > 0), hasLimit });
  }
  return out;
}

// ------------------------------------------------------------------ floored vector arithmetic
// Mesos `ResourceQuantities` subtraction drops entries that would be <= 0, and `shrinkResources`
// never grows a resource: these helpers do the same on fixed-point vectors, in place, with no
// allocation (they run inside allocation runs).

/** `dst = max(0, a - b)` per resource. */
export function flooredDiff(dst: Float64Array, a: Float64Array, aOff: number, b: Float64Array, bOff = 0): void {
  for (let i = 0; i < NUM_RESOURCES; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    dst[i] = d > 0 ? d : 0;
  }
}

/** `dst = max(0, dst - b)` per resource. */
export function flooredSub(dst: Float64Array, b: Float64Array, bOff = 0): void {
  for (let i = 0; i < NUM_RESOURCES; i++) {
    const d = dst[i]! - b[bOff + i]!;
    dst[i] = d > 0 ? d : 0;
  }
}

/** `dst = min(dst, max(0, a - b))` per resource: shrinks `dst` to what is left of cap `a` after `b`. */
export function shrinkToRemaining(dst: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < NUM_RESOURCES; i++) {
    const d = a[i]! - b[i]!;
    const cap = d > 0 ? d : 0;
    if (dst[i]! > cap) dst[i] = cap;
  }
}

/** `dst = min(a[aOff..], b)` per resource. */
export function minOf(dst: Float64Array, a: Float64Array, aOff: number, b: Float64Array): void {
  for (let i = 0; i < NUM_RESOURCES; i++) {
    const x = a[aOff + i]!;
    const y = b[i]!;
    dst[i] = x < y ? x : y;
  }
}
