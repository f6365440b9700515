/**
 * Zod's issues as the loader's problems: unions narrowed to the branch the input had the shape of,
 * unknown fields at their key, absent values "missing"; and the order problems are reported in.
 * Imports zod types and the problem type only.
 */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { excerpt, type Problem } from './errors.js';

/** Problems in file order: line, column, then path and message (a total order). */
export function byPosition(a: Problem, b: Problem): number {
  const la = a.line ?? 0;
  const lb = b.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.col ?? 0;
  const cb = b.col ?? 0;
  if (ca !== cb) return ca - cb;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** One of zod's issues, flattened: where it is and what it says. */
export interface FlatIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** point at the key itself (an unknown field), not at its value */
  readonly atKey?: boolean;
}

/**
 * Zod's issues as problems. Unions report the branch that matched the input's shape, or one line
 * naming the alternatives; a value that is absent "is missing" (zod says "received undefined").
 */
export function flattenIssues(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  prefix: readonly PropertyKey[] = [],
  schema?: z.core.$ZodType,
  unitAt?: (path: readonly PropertyKey[]) => string | undefined,
): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch whose errors lie deepest got furthest: the input had that branch's shape.
      const scored = issue.errors.map((errs) => ({ errs, depth: Math.max(0, ...errs.map((e) => e.path.length)) }));
      scored.sort((a, b) => b.depth - a.depth);
      const best = scored[0]!;
      if (best.depth > 0 && (scored.length === 1 || scored[1]!.depth < best.depth)) {
        out.push(...flattenIssues(best.errs, data, path, schema, unitAt));
        continue;
      }
      const expected = issue.errors.map((errs) => errs[0]?.message ?? '').filter((m) => m !== '');
      out.push({ path, message: `none of the accepted forms matched (${[...new Set(expected)].join('; ')})` });
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const known = schema === undefined ? [] : fieldsAt(schema, path);
      for (const k of issue.keys) out.push({ path: [...path, k], message: `unknown field "${excerpt(k)}"${didYouMean(k, known)}`, atKey: true });
      continue;
    }
    const absent = valueAt(data, path) === undefined;
    if (issue.code === 'invalid_type' && absent) {
      out.push({ path, message: `is missing (expected ${issue.expected})` });
      continue;
    }
    // A quantity of the wrong type: its unit (mem is in MB), and what was given.
    const unit = issue.code === 'invalid_type' && issue.expected === 'number' ? unitAt?.(path) : undefined;
    if (unit !== undefined) {
      out.push({ path, message: `expected a number of ${unit}, got ${excerpt(JSON.stringify(valueAt(data, path)) ?? String(valueAt(data, path)))}` });
      continue;
    }
    if (issue.code === 'invalid_union' && absent && 'discriminator' in issue) {
      const options = (issue as { options?: readonly unknown[] }).options ?? [];
      out.push({ path, message: `is missing (one of ${options.map((o) => JSON.stringify(o)).join(', ')})` });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}

/** The value at a field path of parsed data (own fields only); undefined when the path leads nowhere. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** What a zod schema is made of, as far as {@link fieldsAt} walks it (zod's `_zod.def`). */
interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.core.$ZodType>>;
  readonly element?: z.core.$ZodType;
  readonly items?: readonly z.core.$ZodType[];
  readonly rest?: z.core.$ZodType | null;
  readonly valueType?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly left?: z.core.$ZodType;
  readonly right?: z.core.$ZodType;
  readonly getter?: () => z.core.$ZodType;
}
const defOf = (t: z.core.$ZodType): Def => t._zod.def as unknown as Def;

/** The schemas `t` may be once its wrappers (optional, default, union, pipe...) are looked through. */
function unwrap(t: z.core.$ZodType, out: z.core.$ZodType[], depth = 0): void {
  if (depth > 20) return;
  const d = defOf(t);
  const next = [d.innerType, ...(d.options ?? []), d.in, d.out, d.left, d.right, d.type === 'lazy' ? d.getter?.() : undefined];
  const inner = next.filter((x): x is z.core.$ZodType => x !== undefined && x !== null);
  if (inner.length === 0 || d.type === 'object') out.push(t);
  else for (const x of inner) unwrap(x, out, depth + 1);
}

/**
 * The schemas a value at `path` of data valid for `schema` may be checked by, their wrappers
 * (optional, default, union...) looked through: one per branch of a union. Empty when the path
 * leads to none.
 */
export function schemasAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType[] {
  let here: z.core.$ZodType[] = [];
  unwrap(schema, here);
  for (const seg of path) {
    const next: z.core.$ZodType[] = [];
    for (const t of here) {
      const d = defOf(t);
      const child =
        d.type === 'object'
          ? d.shape?.[String(seg)]
          : d.type === 'array'
            ? d.element
            : d.type === 'tuple'
              ? (d.items?.[Number(seg)] ?? d.rest ?? undefined)
              : d.type === 'record'
                ? d.valueType
                : undefined;
      if (child !== undefined) unwrap(child, next);
    }
    here = next;
  }
  return here;
}

/** The field names a mapping at `path` of data valid for `schema` may have (every branch's). */
export function fieldsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const names = schemasAt(schema, path).flatMap((t) => Object.keys(defOf(t).shape ?? {}));
  return [...new Set(names)];
}
