/**
 * YAML (and JSON) text to plain data, with every problem of the text itself found at once: syntax,
 * duplicate and reserved keys, aliases that are undefined, circular or expand past a limit,
 * non-finite numbers, values nested too deep. Also answers where a field path lies in the text.
 * Composition root (scenarios/): parses text only, reads no file.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { excerpt, formatPath, type Problem } from './errors.js';
import { MAX_DEPTH, MAX_DOCUMENT_VALUES } from './limits.js';

/**
 * Keys that reach an object's prototype chain instead of its own fields: never a scenario field,
 * refused wherever a key or an override path names one.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Line and column (1-based) of a place in the text, when known. */
export interface Place {
  readonly line?: number;
  readonly col?: number;
}

/** What {@link readYaml} found. */
export interface YamlData {
  /** the data: plain objects, arrays, strings, finite numbers, booleans and null (non-finite numbers stay, with a problem) */
  readonly data: unknown;
  /** problems of the text, in text order; the data is not to be trusted where they point */
  readonly problems: readonly Problem[];
  /** field paths of the problems (data paths), so that a schema's complaints about the same values can be left out */
  readonly badPaths: readonly (readonly PropertyKey[])[];
  /** line and column of the deepest node on a field path (of its key, with `atKey`) */
  readonly locate: (path: readonly PropertyKey[], atKey?: boolean) => Place;
}

/** Thrown inside the walk once the values outnumber the limit: the rest is not read. */
class TooManyValues extends Error {}

/**
 * Parses `text` as one YAML document and converts it to plain data. `file` and `prefix` (the path
 * the value sits at, for a `--set` value) only name places in problems.
 */
export function readYaml(text: string, file: string, prefix: readonly PropertyKey[] = []): YamlData {
  const lineCounter = new LineCounter();
  // uniqueKeys off: the library compares each key with every earlier one (quadratic); the walk
  // below finds duplicates with a set. Known 1.1 tags (timestamps, binary, sets) stay unresolved:
  // a scenario is JSON-like data. No merge keys (`<<` is an ordinary, unknown, key).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false, merge: false });
  const place = (offset: number | undefined): Place => {
    if (offset === undefined) return {};
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const problems: Problem[] = [];
  const badPaths: PropertyKey[][] = [];
  const at = (node: unknown, path: readonly PropertyKey[], message: string): void => {
    problems.push({ file, ...place(rangeOf(node)?.[0]), path: formatPath([...prefix, ...path]), message });
    badPaths.push([...path]);
  };
  for (const e of doc.errors) {
    problems.push({ file, ...place(e.pos[0]), path: formatPath(prefix), message: `syntax: ${syntaxMessage(e.message)}` });
  }
  for (const w of doc.warnings) {
    problems.push({ file, ...place(w.pos[0]), path: formatPath(prefix), message: `syntax: ${syntaxMessage(w.message)}` });
  }
  const locate = locator(doc, place);
  if (problems.length > 0) return { data: undefined, problems, badPaths, locate };

  let values = 0;
  // Alias.resolve searches the document for the anchor (a walk of the text up to the alias):
  // remember each alias's target so that an alias met again as an anchor is expanded costs once.
  const targets = new Map<unknown, unknown>();
  const resolve = (alias: { resolve(doc: Document): unknown }): unknown => {
    if (targets.has(alias)) return targets.get(alias);
    const target = alias.resolve(doc);
    targets.set(alias, target);
    return target;
  };
  // Anchors being expanded, innermost last: an alias to one of them would repeat forever.
  const expanding = new Set<unknown>();
  // A value's path is made only when it is needed (a problem, or a list or mapping to enter):
  // most values are scalars without problems.
  const walk = (node: unknown, parent: readonly PropertyKey[], key: PropertyKey | undefined, depth: number): unknown => {
    if (++values > MAX_DOCUMENT_VALUES) throw new TooManyValues();
    const path = (): PropertyKey[] => (key === undefined ? [...parent] : [...parent, key]);
    if (depth > MAX_DEPTH) {
      at(node, path(), `lists and mappings nest more than ${MAX_DEPTH} deep`);
      return null;
    }
    if (node === null || node === undefined) return null;
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) at(node, path(), `must be a finite number, not ${excerpt(node.source ?? String(v))}`);
        return v;
      }
      at(
        node,
        path(),
        `a ${typeof v === 'object' ? (v as object).constructor.name : typeof v} value is not allowed: write a number, a string, true, false or null`,
      );
      return null;
    }
    if (isAlias(node)) {
      const target = resolve(node);
      if (target === undefined) {
        at(node, path(), `alias *${excerpt(node.source)} names no anchor before it`);
        return null;
      }
      if (expanding.has(target)) {
        at(node, path(), `alias *${excerpt(node.source)} is inside its own anchor (it would repeat forever)`);
        return null;
      }
      // The alias counts as a value too: `[*a, *a, ...]` over an empty anchor still costs each.
      return walk(target, parent, key, depth);
    }
    if (isSeq(node) || isMap(node)) {
      // An anchored list or mapping is being expanded while its own items are walked, too.
      const anchored = node.anchor !== undefined && !expanding.has(node);
      if (anchored) expanding.add(node);
      let out: unknown;
      if (isSeq(node)) {
        const here = path();
        const items: unknown[] = [];
        for (let i = 0; i < node.items.length; i++) items.push(walk(node.items[i], here, i, depth + 1));
        out = items;
      } else out = walkPairs(node.items, path(), depth);
      if (anchored) expanding.delete(node);
      return out;
    }
    if (isPair(node)) return walkPairs([node], path(), depth);
    at(node, path(), 'unreadable value');
    return null;
  };
  const walkPairs = (pairs: readonly Pair[], path: readonly PropertyKey[], depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const pair of pairs) {
      const key = keyOf(pair.key, doc);
      if (key === undefined) {
        at(pair.key, path, 'a key must be a plain name or number, not a list or mapping');
        continue;
      }
      if (RESERVED_KEYS.has(key)) {
        at(pair.key, [...path, key], `"${key}" is not allowed as a key`);
        continue;
      }
      if (seen.has(key)) {
        at(pair.key, [...path, key], `duplicate key "${excerpt(key)}"`);
        continue;
      }
      seen.add(key);
      out[key] = walk(pair.value, path, key, depth + 1);
    }
    return out;
  };
  let data: unknown;
  try {
    data = walk(doc.contents, [], undefined, 0);
  } catch (err) {
    if (!(err instanceof TooManyValues)) throw err;
    problems.length = 0;
    badPaths.length = 0;
    problems.push({
      file,
      line: 1,
      col: 1,
      path: formatPath(prefix),
      message: `more than ${MAX_DOCUMENT_VALUES.toLocaleString('en-US')} values once YAML aliases are expanded (an alias repeats its anchor's whole content): put large job lists in a trace file`,
    });
    return { data: undefined, problems, badPaths: [[]], locate };
  }
  return { data, problems, badPaths, locate };
}

/** A YAML library message without its multi-line excerpt of the text (the place is given apart). */
function syntaxMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The parser catches its own stack overflow on deeply nested text.
  if (first.startsWith('Maximum call stack size exceeded')) return `lists and mappings nest too deep (at most ${MAX_DEPTH})`;
  return excerpt(first, 200);
}

/** A mapping key as a string: scalars (and aliases of scalars) only. */
function keyOf(key: unknown, doc: Document): string | undefined {
  const k = isAlias(key) ? key.resolve(doc) : key;
  if (k === null || k === undefined) return '';
  if (!isScalar(k)) return undefined;
  const v = k.value;
  if (v === null) return '';
  if (typeof v === 'object') return undefined;
  return String(v);
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range ?? undefined;
}

/**
 * Where field paths lie in the document: the deepest node on the path that exists (through
 * aliases). Each mapping's keys are indexed on first use, so that a path costs its depth, and N
 * problems cost N paths, not N times the size of a mapping.
 */
function locator(doc: Document, place: (offset: number | undefined) => Place): (path: readonly PropertyKey[], atKey?: boolean) => Place {
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairsOf = (m: YAMLMap): Map<string, Pair> => {
    let keys = index.get(m);
    if (keys === undefined) {
      keys = new Map();
      for (const pair of m.items) {
        const k = keyOf(pair.key, doc);
        if (k !== undefined && !keys.has(k)) keys.set(k, pair);
      }
      index.set(m, keys);
    }
    return keys;
  };
  return (path, atKey = false) => {
    let node: unknown = doc.contents;
    let best: Place = place(rangeOf(node)?.[0]);
    const mark = (n: unknown): void => {
      const r = rangeOf(n);
      if (r !== undefined) best = place(r[0]);
    };
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = (node as { resolve(d: Document): YamlNode | undefined }).resolve(doc);
      const seg = path[i];
      if (isMap(node)) {
        const pair = pairsOf(node).get(String(seg));
        if (pair === undefined) break;
        mark(pair.key);
        node = pair.value;
        if (atKey && i === path.length - 1) break;
        if (node !== null && node !== undefined) mark(node);
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (node === undefined) break;
        mark(node);
      } else break;
    }
    return best;
  };
}
