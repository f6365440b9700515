/**
 * A small reader of TypeScript module imports for the layout test (sim/layout.test.ts): it masks
 * comments and literals, finds import/export-from statements (multi-line included), tells type-only
 * imports from runtime ones, and resolves specifiers. Dev tooling: not part of the build.
 */
import { readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';

/**
 * How an import binds at runtime, under the project's `verbatimModuleSyntax`:
 *  - `type`:  `import type ...` / `export type ... from`: erased, no runtime edge;
 *  - `load`:  the module is loaded but nothing is bound: `import 'x'`, `import {} from 'x'`, and
 *             `import { type A } from 'x'`, which TypeScript emits as `import {} from 'x'`;
 *  - `value`: anything else, dynamic `import('x')` and `require('x')` included.
 */
export type ImportKind = 'type' | 'load' | 'value';

/** One import or re-export statement. */
export interface ImportRecord {
  /** the specifier as written, e.g. '../kernel/time.js' */
  readonly specifier: string;
  readonly kind: ImportKind;
  /** 1-based line of the statement's first character */
  readonly line: number;
  /** the statement on one line, whitespace collapsed, for messages */
  readonly text: string;
  /** true when every named binding is written `type X` inline (and there are some) */
  readonly inlineTypesOnly: boolean;
}

/** Source with comments blanked (`code`), and with string, template and regex contents blanked too (`bare`). */
export interface MaskedSource {
  readonly code: string;
  readonly bare: string;
}

const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void', 'yield', 'await', 'delete', 'throw', 'new']);
const WORD_CHAR = /[\w$]/;

/**
 * Blanks comments (and, in `bare`, the insides of strings, templates and regex literals) with
 * spaces, keeping every newline so that offsets and line numbers stay those of the original.
 * Template `${...}` expressions stay code in both. Regex literals are told from division by the
 * previous significant character, which is right for ordinary code.
 */
export function maskSource(src: string): MaskedSource {
  const code = src.split('');
  const bare = src.split('');
  const blank = (arr: string[], from: number, to: number): void => {
    for (let k = from; k < to; k++) if (arr[k] !== '\n') arr[k] = ' ';
  };
  /** brace depth at which each open template `${` returns to its template */
  const templateStack: number[] = [];
  let depth = 0;
  /** the previous non-space character, 'w' for a word character */
  let lastSignificant = '';
  /** the previous word, when lastSignificant is 'w' */
  let word = '';
  let i = 0;
  const n = src.length;
  const scanTemplate = (start: number): number => {
    // from just after a backtick or a closing `}` of `${`; returns the index after the template
    // part, having pushed onto templateStack when it stopped at `${`
    let k = start;
    while (k < n) {
      const c = src[k];
      if (c === '\\') {
        k += 2;
        continue;
      }
      if (c === '`') {
        blank(bare, start, k);
        return k + 1;
      }
      if (c === '$' && src[k + 1] === '{') {
        blank(bare, start, k);
        templateStack.push(depth);
        depth++;
        return k + 2;
      }
      k++;
    }
    blank(bare, start, n);
    return n;
  };
  while (i < n) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      let k = i;
      while (k < n && src[k] !== '\n') k++;
      blank(code, i, k);
      blank(bare, i, k);
      i = k;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const k = end < 0 ? n : end + 2;
      blank(code, i, k);
      blank(bare, i, k);
      i = k;
      continue;
    }
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < n && src[k] !== c && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
      blank(bare, i + 1, k);
      i = k + 1;
      lastSignificant = c;
      continue;
    }
    if (c === '`') {
      i = scanTemplate(i + 1);
      lastSignificant = '`';
      continue;
    }
    if (c === '/' && (REGEX_PRECEDERS.has(lastSignificant) || (lastSignificant === 'w' && REGEX_KEYWORDS.has(word)))) {
      let k = i + 1;
      let inClass = false;
      while (k < n && src[k] !== '\n') {
        const d = src[k];
        if (d === '\\') {
          k += 2;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        k++;
      }
      blank(bare, i + 1, k);
      i = k + 1;
      while (i < n && /[a-z]/i.test(src[i]!)) i++;
      lastSignificant = '/';
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (templateStack.length > 0 && templateStack[templateStack.length - 1] === depth) {
        templateStack.pop();
        i = scanTemplate(i + 1);
        lastSignificant = '`';
        continue;
      }
    }
    if (WORD_CHAR.test(c)) {
      word = lastSignificant === 'w' && WORD_CHAR.test(src[i - 1] ?? '') ? word + c : c;
      lastSignificant = 'w';
    } else if (!/\s/.test(c)) {
      lastSignificant = c;
    }
    i++;
  }
  return { code: code.join(''), bare: bare.join('') };
}

function lineAt(src: string, index: number): number {
  let line = 1;
  for (let k = 0; k < index; k++) if (src.charCodeAt(k) === 10) line++;
  return line;
}

/** A clause between `import`/`export` and `from`: names, braces, commas, `*`, `as`, `type`; no other statement. */
const CLAUSE = String.raw`((?:(?!\b(?:import|export|from)\b)[\w$\s{},*])*?)`;
const STATIC = new RegExp(String.raw`\b(import|export)(\s+type\b)?\s*` + CLAUSE + String.raw`\s*\bfrom\s*(['"])([^'"\n]+)\4`, 'g');
const SIDE_EFFECT = /\bimport\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC = /(?<![\w$.])(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

function classify(isType: boolean, clause: string): { kind: ImportKind; inlineTypesOnly: boolean } {
  if (isType) return { kind: 'type', inlineTypesOnly: false };
  const braces = /\{([^}]*)\}/.exec(clause);
  const outside = clause.replace(/\{[^}]*\}/, '').replace(/[\s,]/g, '');
  if (braces === null || outside !== '') return { kind: 'value', inlineTypesOnly: false };
  const names = braces[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) return { kind: 'load', inlineTypesOnly: false };
  const allTyped = names.every((s) => /^type\s+[\w$]/.test(s));
  return allTyped ? { kind: 'load', inlineTypesOnly: true } : { kind: 'value', inlineTypesOnly: false };
}

/**
 * Every import, re-export-from, side-effect import, dynamic `import('x')` and `require('x')` of a
 * TypeScript source, in order of position. Commented-out imports and ones inside strings are ignored.
 */
export function parseImports(src: string): ImportRecord[] {
  const { code, bare } = maskSource(src);
  const found: Array<ImportRecord & { at: number }> = [];
  const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
  // a match counts only if its keyword is code, not inside a string or template
  const isCode = (at: number): boolean => bare[at] === code[at];
  for (const m of code.matchAll(STATIC)) {
    if (!isCode(m.index)) continue;
    const { kind, inlineTypesOnly } = classify(m[2] !== undefined, m[3]!);
    found.push({ at: m.index, specifier: m[5]!, kind, inlineTypesOnly, line: lineAt(src, m.index), text: oneLine(m[0]) });
  }
  for (const m of code.matchAll(SIDE_EFFECT)) {
    if (!isCode(m.index)) continue;
    found.push({ at: m.index, specifier: m[2]!, kind: 'load', inlineTypesOnly: false, line: lineAt(src, m.index), text: oneLine(m[0]) });
  }
  for (const m of code.matchAll(DYNAMIC)) {
    if (!isCode(m.index)) continue;
    found.push({ at: m.index, specifier: m[2]!, kind: 'value', inlineTypesOnly: false, line: lineAt(src, m.index), text: oneLine(m[0]) });
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...r }) => r);
}

/** Where a specifier leads: a repo file (path relative to the root, '/'-separated), a package, a Node builtin, or nowhere. */
export type Target =
  | { readonly kind: 'repo'; readonly path: string }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'unresolved'; readonly tried: string };

const BUILTINS = new Set(builtinModules);

/**
 * Resolves `specifier` imported from `fromFile` (both '/'-separated, relative to the repo root;
 * `exists` answers for such paths). Relative specifiers follow nodenext as the sources write
 * them: `./x.js` is `./x.ts`; a folder or a missing extension does not resolve.
 */
export function resolveImport(fromFile: string, specifier: string, exists: (relPath: string) => boolean): Target {
  if (specifier.startsWith('.')) {
    const joined = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
    const candidates = [joined.replace(/\.js$/, '.ts'), joined.replace(/\.mjs$/, '.mts'), joined];
    for (const c of candidates) if (exists(c)) return { kind: 'repo', path: c };
    return { kind: 'unresolved', tried: candidates[0]! };
  }
  if (specifier.startsWith('node:')) return { kind: 'builtin', name: specifier.slice(5) };
  const parts = specifier.split('/');
  const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (BUILTINS.has(specifier) || BUILTINS.has(pkg)) return { kind: 'builtin', name: specifier };
  return { kind: 'package', name: pkg };
}

/** Every `.ts` file under `root/folder`, as '/'-separated paths relative to `root`, sorted. */
export function listTsFiles(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  const start = join(root, folder);
  try {
    if (!statSync(start).isDirectory()) return out;
  } catch {
    return out;
  }
  walk(start);
  return out;
}

/**
 * The cycles of a directed graph, one per strongly connected component with more than one node
 * (or a self-loop), each as a closed path [a, b, ..., a]. Nodes and edges are visited in sorted
 * order, so the answer is deterministic.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  let counter = 0;
  const succ = (v: string): string[] => [...new Set(graph.get(v) ?? [])].sort();
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of succ(v)) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      sccs.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  const cycles: string[][] = [];
  for (const comp of sccs) {
    const inComp = new Set(comp);
    const start = comp[0]!;
    if (comp.length === 1 && !succ(start).includes(start)) continue;
    // shortest path back to start inside the component (BFS), for a readable message
    const prev = new Map<string, string>();
    const queue = [start];
    let found = false;
    for (let q = 0; q < queue.length && !found; q++) {
      const v = queue[q]!;
      for (const w of succ(v)) {
        if (!inComp.has(w)) continue;
        if (w === start) {
          prev.set(start, v);
          found = true;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = prev.get(start)!; v !== start; v = prev.get(v)!) path.push(v);
    path.push(start);
    cycles.push([path[0]!, ...path.slice(1, -1).reverse(), start]);
  }
  return cycles;
}
