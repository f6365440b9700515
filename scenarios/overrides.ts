/**
 * `key=value` overrides of parsed scenario data (`--set`, a sweep's points): the key a dotted
 * field path, the value read as YAML, each problem naming the flag and the key. Composition root.
 */
import { excerpt, type Problem } from './errors.js';
import { RESERVED_KEYS, readYaml } from './yaml-input.js';

/**
 * Applies one `key=value` flag (`--set`, a sweep point) to `root`: the key a dotted path, the
 * value read as YAML. Returns its problems (none when applied), named by `flag`.
 */
export function applyOverride(root: Record<string, unknown>, text: string, flag: string): Problem[] {
  const eq = text.indexOf('=');
  if (eq <= 0) return [{ file: flag, path: excerpt(text), message: 'expected key=value' }];
  const key = text.slice(0, eq);
  const keys = key.split('.');
  for (const k of keys) {
    if (k === '') return [{ file: flag, path: key, message: 'a field path has no empty parts (a.b.c)' }];
    if (RESERVED_KEYS.has(k)) return [{ file: flag, path: key, message: `"${k}" is not allowed in a field path` }];
  }
  const value = readFlagValue(text.slice(eq + 1), flag, key);
  if (!value.ok) return value.problems;
  const err = setPath(root, keys, value.value);
  return err === undefined ? [] : [{ file: flag, path: key, message: err }];
}

/**
 * A flag's value (`--set k=VALUE`, `--option k=VALUE`) read as YAML: plain data, or the problems
 * of the text (syntax, an undefined alias, a non-finite number...), each naming the flag and key.
 */
export function readFlagValue(text: string, flag: string, key: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  const y = readYaml(text, flag);
  if (y.problems.length === 0) return { ok: true, value: y.data };
  return { ok: false, problems: y.problems.map((p) => ({ file: flag, path: key, message: p.path === '' ? p.message : `${p.path}: ${p.message}` })) };
}

/**
 * Sets a dotted path inside parsed data (own fields only: a path never reaches a prototype);
 * returns an error message or undefined. Missing mappings and lists on the way are created.
 */
function setPath(root: Record<string, unknown>, keys: readonly string[], value: unknown): string | undefined {
  let cur: unknown = root;
  const fresh = (nextKey: string): unknown => (/^\d+$/.test(nextKey) ? [] : {});
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    let next: unknown;
    if (Array.isArray(cur)) {
      const idx = listIndex(k);
      if (idx === undefined || idx >= cur.length) return `index ${excerpt(k)} is not in the list (length ${cur.length})`;
      next = cur[idx];
      if (next === undefined || next === null) cur[idx] = next = fresh(keys[i + 1]!);
    } else {
      const obj = cur as Record<string, unknown>;
      next = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
      if (next === undefined || next === null) obj[k] = next = fresh(keys[i + 1]!);
    }
    if (typeof next !== 'object') return `${keys.slice(0, i + 1).join('.')} is not a mapping or list`;
    cur = next;
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(cur)) {
    // One past the end appends.
    const idx = listIndex(last);
    if (idx === undefined || idx > cur.length) return `index ${excerpt(last)} is not in the list (length ${cur.length})`;
    cur[idx] = value;
  } else (cur as Record<string, unknown>)[last] = value;
  return undefined;
}

/** A list index written as decimal digits. */
function listIndex(k: string): number | undefined {
  return /^\d{1,9}$/.test(k) ? Number(k) : undefined;
}
