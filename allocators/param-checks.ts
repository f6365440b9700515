/**
 * Small checks shared by the policies' `validate` functions: every problem is collected with its
 * path inside `params`, never thrown. Imports only allocator types; no clock, no queue, no I/O.
 */
import type { ParamProblem } from './types.js';

/** Whether `v` is a plain object usable as a string-keyed map (not null, not an array). */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A problem for each key of `params` that is not in `known`, in sorted key order. */
export function unknownParams(params: Readonly<Record<string, unknown>>, known: readonly string[], policy: string): ParamProblem[] {
  return Object.keys(params)
    .sort()
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: [k], message: `unknown parameter "${k}" of allocator ${policy}; known: ${known.join(', ')}` }));
}

/**
 * Why `role` is not a valid role path, or undefined when it is: non-empty '/'-separated tokens,
 * none of them '.' or '..', no whitespace (the sorters' client rules, a subset of Mesos's).
 */
export function rolePathProblem(role: string): string | undefined {
  if (role === '') return 'a role path must not be empty';
  if (/\s/.test(role)) return `role path "${role}" contains whitespace`;
  for (const t of role.split('/')) {
    if (t === '') return `role path "${role}" has an empty segment (leading, trailing or double "/")`;
    if (t === '.' || t === '..') return `role path "${role}" has a "${t}" segment`;
  }
  return undefined;
}

/** Problems on one line, for an exception: `a.b: message; c: message`, each path after `prefix`. */
export function problemList(problems: readonly ParamProblem[], prefix = ''): string {
  return problems.map((p) => `${prefix}${p.path.join('.')}: ${p.message}`).join('; ');
}

/**
 * The value a policy's parameter parser found, when it found no problem; else throws a RangeError
 * naming the policy and every problem (`allocator static: params.layout: ...`). The scenario layer
 * validates first, so the throw means a bug or a direct construction.
 */
export function parsedOrThrow<T>(policy: string, parsed: { readonly value: T; readonly problems: readonly ParamProblem[] }): T {
  if (parsed.problems.length > 0) {
    throw new RangeError(`allocator ${policy}: ${problemList(parsed.problems, 'params.')}`);
  }
  return parsed.value;
}

/** Human form of a value for messages: JSON where it can, else its type. */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}
