/**
 * Hostile scenario files for the fuzz suite: the bundled scenarios (examples, golden, mesos,
 * traces with their trace files cut to their first lines) mutated in their data tree (wrong types,
 * deleted and unknown keys, extreme and non-finite numbers, long strings, special names, grown
 * lists) and in their text (aliases defined and not, alias bombs, tags, deep nesting, duplicate
 * keys, tabs, garbage bytes, truncation, BOM, CRLF, JSON). Each case is a small description
 * rendered deterministically into file bytes. Test-only (excluded from the build).
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ROOT } from './child.js';

/** JSON-like data of a scenario file (numbers may be NaN or infinite: YAML writes .nan and .inf). */
export type Data = null | boolean | number | string | Data[] | { [k: string]: Data };

/** A bundled scenario, ready to mutate. */
export interface Seed {
  /** its path under scenarios/, without .yaml: 'examples/quickstart' */
  readonly name: string;
  readonly data: Data;
}

/** The shared traces beside the repository (docs/traces.md); trace seeds are left out without them. */
export const SHARED_TRACES = resolve(ROOT, '..', 'shared', 'traces');

/** Trace files too large for a fuzz case, by file name: a smaller real file of the same format to cut instead. */
const SMALLER: Readonly<Record<string, string>> = {
  'task_events_part-00000-of-00500.csv.gz': 'task_events_part-00000_first50-jobs-after-t0.csv',
  'job_events_part-00000-of-00500.csv': 'job_events_part-00000_first50-jobs-after-t0.csv',
};

/** Lines kept of a trace file in a seed. */
const TRACE_LINES = 200;

/** The first `n` lines of a (plain or gzip) file, written to `to` (gzip again when `gzip`). */
export function cutTrace(from: string, to: string, n: number, gzip: boolean): void {
  let bytes = readFileSync(from);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const text = bytes.toString('utf8').split('\n').slice(0, n).join('\n') + '\n';
  writeFileSync(to, gzip ? gzipSync(text) : text);
}

/**
 * The seed's trace files (traces[].file and path options, cluster.traces[].file) replaced by
 * short copies in `dir`, by absolute path, so that the mutated file may live anywhere.
 */
function localTraces(data: { [k: string]: Data }, scenarioDir: string, dir: string): void {
  const copy = (path: string): string => {
    const src = resolve(scenarioDir, path);
    const alt = SMALLER[basename(src)];
    const from = alt === undefined ? src : join(dirname(src), alt);
    const to = join(dir, basename(src));
    if (!existsSync(to)) cutTrace(from, to, TRACE_LINES, src.endsWith('.gz'));
    return to;
  };
  const entries = [...asList(data['traces']), ...asList((data['cluster'] as { [k: string]: Data } | undefined)?.['traces'])];
  for (const e of entries) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) continue;
    if (typeof e['file'] === 'string') e['file'] = copy(e['file']);
    const opts = e['options'];
    if (typeof opts === 'object' && opts !== null && !Array.isArray(opts) && typeof opts['jobEvents'] === 'string') opts['jobEvents'] = copy(opts['jobEvents']);
    // A window far into a full trace would hold none of the first lines.
    const w = e['window'];
    if (typeof w === 'object' && w !== null && !Array.isArray(w) && typeof w['from'] === 'number' && w['from'] > 1e6) w['from'] = 0;
  }
}

const asList = (x: Data | undefined): Data[] => (Array.isArray(x) ? x : []);

/**
 * The bundled scenarios as seeds: scenarios/examples, golden, mesos and (when the shared traces
 * are there) traces, with trace files cut to their first lines in `dir`.
 */
export function scenarioSeeds(dir: string): Seed[] {
  mkdirSync(dir, { recursive: true });
  const seeds: Seed[] = [];
  for (const sub of ['examples', 'golden', 'mesos', 'traces']) {
    if (sub === 'traces' && !existsSync(SHARED_TRACES)) continue;
    const folder = join(ROOT, 'scenarios', sub);
    for (const f of readdirSync(folder)
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const data = parseYaml(readFileSync(join(folder, f), 'utf8')) as { [k: string]: Data };
      if (sub === 'traces') localTraces(data, folder, dir);
      seeds.push({ name: `${sub}/${f.replace(/\.yaml$/, '')}`, data });
    }
  }
  return seeds;
}

// ---------------------------------------------------------------- values

/** Numbers at and beyond every edge: zero, signs, the float and safe-integer limits, non-finite, tiny. */
export const EXTREME_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  1e-7,
  1e-300,
  5e-324,
  2 ** 31,
  2 ** 32,
  35_000_001,
  1e15,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  -1e21,
  1e308,
  -1e308,
  NaN,
  Infinity,
  -Infinity,
];

/** Values of the wrong type for most fields. */
export const WRONG_TYPES: readonly Data[] = [true, false, null, 'x', '1', '', '10s', '1e3', [], {}, [1, 2], { a: 1 }];

/** Names that paths, role rules, prototypes, terminals or file systems treat specially. */
export const SPECIAL_NAMES: readonly string[] = [
  '.',
  '..',
  '/',
  '__proto__',
  'constructor',
  'prototype',
  '',
  ' ',
  '-x',
  'a/b',
  '*',
  '\u0000',
  'é',
  '日本',
  '😀',
  '\u202e',
  'a b',
  'a\nb',
  '../../x',
  '%s',
  '${x}',
  '#',
  '&a',
  '*a',
  '!x',
  '? x',
  '"',
  '\\',
  'x'.repeat(300),
];

/** 100,000 characters. */
export const LONG_STRING = 'a'.repeat(100_000);

/** A hostile value for any field. */
export const valueArb: fc.Arbitrary<Data> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(LONG_STRING, 'é'.repeat(50_000)) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

// ---------------------------------------------------------------- tree mutations

/** A change of the data tree; `at` picks a node (modulo the count of candidates). */
export type TreeOp =
  | { readonly op: 'replace'; readonly at: number; readonly value: Data }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'add-key'; readonly at: number; readonly key: string; readonly value: Data }
  | { readonly op: 'rename-key'; readonly at: number; readonly key: string }
  | { readonly op: 'grow'; readonly at: number; readonly times: number }
  /** a number's value replaced by another number: the type is right, the magnitude need not be */
  | { readonly op: 'number'; readonly at: number; readonly value: number }
  /** a string's value replaced by a special name */
  | { readonly op: 'name'; readonly at: number; readonly value: string };

const keyArb = fc.oneof(
  fc.constantFrom(...SPECIAL_NAMES),
  fc.constantFrom('x', 'unknownField', 'seed', 'name', 'kind', 'count', 'duration'),
  fc.string({ maxLength: 6 }),
);

/** A mutation that keeps a leaf's type: a number to an extreme number, a string to a special name. */
export const typedOpArb: fc.Arbitrary<TreeOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('number' as const),
      at: fc.nat(),
      value: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) }, { weight: 1, arbitrary: fc.double() }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('name' as const), at: fc.nat(), value: fc.constantFrom(...SPECIAL_NAMES) }) },
);

/** One tree mutation. */
export const treeOpArb: fc.Arbitrary<TreeOp> = fc.oneof(
  { weight: 4, arbitrary: typedOpArb },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: valueArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add-key' as const), at: fc.nat(), key: keyArb, value: valueArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename-key' as const), at: fc.nat(), key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('grow' as const), at: fc.nat(), times: fc.constantFrom(2, 50, 2000) }) },
);

type Path = readonly (string | number)[];

/** The most characters a 'grow' mutation adds. */
const GROW_LIMIT = 2_000_000;

/** Every node's path, the root's ([]) first, in document order. */
function paths(d: Data, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(d)) d.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (typeof d === 'object' && d !== null) for (const k of Object.keys(d)) out.push(...paths(d[k]!, [...prefix, k]));
  return out;
}

function get(d: Data, p: Path): Data {
  let cur = d;
  for (const k of p) cur = (cur as Record<string | number, Data>)[k]!;
  return cur;
}

/** Sets an own property, even one named __proto__ (plain assignment would change the prototype). */
function put(o: { [k: string]: Data }, k: string, v: Data): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A deep copy that keeps every own key (a key named __proto__ included). */
export function clone(d: Data): Data {
  if (Array.isArray(d)) return d.map(clone);
  if (typeof d !== 'object' || d === null) return d;
  const o: { [k: string]: Data } = {};
  for (const k of Object.keys(d)) put(o, k, clone(d[k]!));
  return o;
}

/** `o` with its key `from` renamed `to`, in place of it. */
function renamed(o: { [k: string]: Data }, from: string, to: string): { [k: string]: Data } {
  const r: { [k: string]: Data } = {};
  for (const k of Object.keys(o)) put(r, k === from ? to : k, o[k]!);
  return r;
}

const show = (p: Path): string => (p.length === 0 ? '<root>' : p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join(''));

/** A value shown in a title: short, with non-finite numbers and long strings named. */
export function showValue(v: Data): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string' && v.length > 40) return `<${v.length} x "${v[0]}">`;
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}...` : s;
}

/** Applies a tree mutation to `d` (a copy it may change); returns the new data and what it did. */
export function applyTreeOp(d: Data, m: TreeOp): { data: Data; title: string } {
  const all = paths(d);
  const p = all[m.at % all.length]!;
  const parentPath = p.slice(0, -1);
  const last = p[p.length - 1];
  const setAt = (v: Data): Data => {
    if (p.length === 0) return v;
    const parent = get(d, parentPath) as Data[] | { [k: string]: Data };
    if (Array.isArray(parent)) parent[last as number] = v;
    else put(parent, last as string, v);
    return d;
  };
  switch (m.op) {
    case 'replace':
      return { data: setAt(m.value), title: `${show(p)} := ${showValue(m.value)}` };
    case 'number':
    case 'name': {
      const leaves = all.filter((q) => typeof get(d, q) === (m.op === 'number' ? 'number' : 'string'));
      if (leaves.length === 0) return { data: d, title: `no ${m.op === 'number' ? 'number' : 'string'} to change` };
      const q = leaves[m.at % leaves.length]!;
      return applyTreeOp(d, { op: 'replace', at: all.indexOf(q), value: m.value });
    }
    case 'delete': {
      if (p.length === 0) return { data: null, title: 'the whole document deleted' };
      const parent = get(d, parentPath) as Data[] | { [k: string]: Data };
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last as string];
      return { data: d, title: `${show(p)} deleted` };
    }
    case 'add-key': {
      // The nearest mapping at or above the node.
      for (let n = p.length; n >= 0; n--) {
        const target = get(d, p.slice(0, n));
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
          put(target, m.key, m.value);
          return { data: d, title: `${show([...p.slice(0, n), m.key])} added := ${showValue(m.value)}` };
        }
      }
      return { data: d, title: 'no mapping to add a key to' };
    }
    case 'rename-key': {
      if (typeof last !== 'string') return { data: d, title: `${show(p)} is not a key: unchanged` };
      const parent = get(d, parentPath) as { [k: string]: Data };
      const r = renamed(parent, last, m.key);
      if (parentPath.length === 0) return { data: r, title: `key ${show(p)} renamed ${JSON.stringify(m.key)}` };
      const grand = get(d, parentPath.slice(0, -1)) as Data[] | { [k: string]: Data };
      const pk = parentPath[parentPath.length - 1]!;
      if (Array.isArray(grand)) grand[pk as number] = r;
      else put(grand, pk as string, r);
      return { data: d, title: `key ${show(p)} renamed ${showValue(m.key)}` };
    }
    case 'grow': {
      // The nearest list at or above the node: its first item repeated, while the copies stay
      // under a few MB (a larger file is slow to read for its size alone, not a finding).
      for (let n = p.length; n >= 0; n--) {
        const target = get(d, p.slice(0, n));
        if (Array.isArray(target) && target.length > 0) {
          const first = target[0]!;
          if ((JSON.stringify(first)?.length ?? 0) * m.times > GROW_LIMIT)
            return { data: d, title: `${show(p.slice(0, n))} not grown: ${m.times} copies would pass ${GROW_LIMIT} characters` };
          for (let i = 0; i < m.times; i++) target.push(clone(first));
          return { data: d, title: `${show(p.slice(0, n))} grown by ${m.times} copies of its first item` };
        }
      }
      return { data: d, title: 'no list to grow' };
    }
  }
}

// ---------------------------------------------------------------- text mutations

/** A change of the rendered text (or bytes); `at` picks a line or byte (modulo their count). */
export type TextOp =
  | { readonly op: 'undefined-alias'; readonly at: number }
  | { readonly op: 'alias'; readonly at: number; readonly to: number }
  | { readonly op: 'alias-bomb'; readonly at: number; readonly depth: number }
  | { readonly op: 'tag'; readonly at: number; readonly tagged: string }
  | { readonly op: 'nesting'; readonly at: number; readonly depth: number }
  | { readonly op: 'duplicate-line'; readonly at: number }
  | { readonly op: 'tab'; readonly at: number }
  | { readonly op: 'garbage'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'bom' | 'crlf' | 'json' | 'empty' };

/** Scalars with YAML tags or YAML 1.1 forms: binary, timestamps, sets, custom and wrong tags, hex, octal. */
export const TAGGED: readonly string[] = [
  '!!binary aGVsbG8=',
  '!!timestamp 2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '!!set { a, b }',
  '!!omap [ a: 1 ]',
  '!foo bar',
  '!!int 1.5',
  '!!float abc',
  '!!str 5',
  '!!null',
  '!!map []',
  '0x1F',
  '0o17',
  '1_000',
  '.NaN',
  '-.inf',
  '~',
  '<<: *x',
  '? complex',
  '|\n  block',
  '"\\ud800"',
];

/** One text mutation. */
export const textOpArb: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ op: fc.constant('undefined-alias' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('alias' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('alias-bomb' as const), at: fc.nat(), depth: fc.constantFrom(3, 6, 9) }),
  fc.record({ op: fc.constant('tag' as const), at: fc.nat(), tagged: fc.constantFrom(...TAGGED) }),
  fc.record({ op: fc.constant('nesting' as const), at: fc.nat(), depth: fc.constantFrom(100, 20_000) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('tab' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('garbage' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constantFrom('bom' as const, 'crlf' as const, 'json' as const, 'empty' as const) }),
);

/** A block-style `key: scalar` line (or `- key: scalar`) of stringified YAML: its head and its value. */
const KEY_LINE = /^(\s*(?:- )?[^\s#:'"][^:#]*:) (\S.*)$/;

/** `n` copies of `x` joined by ', '. */
const times = (x: string, n: number): string => Array.from({ length: n }, () => x).join(', ');

/** Applies a text mutation to the rendered YAML of `data`. */
export function applyTextOp(data: Data, m: TextOp): { bytes: Buffer; title: string } {
  const yaml = render(data);
  const lines = yaml.split('\n');
  const keyed = lines.map((l, i) => ({ l, i })).filter((x) => KEY_LINE.test(x.l));
  const pick = (at: number): { l: string; i: number } | undefined => keyed[at % Math.max(1, keyed.length)];
  const setValue = (at: number, value: (old: string) => string): string => {
    const k = pick(at);
    if (k === undefined) return yaml;
    const [, head, old] = KEY_LINE.exec(k.l)!;
    const copy = [...lines];
    copy[k.i] = `${head} ${value(old!)}`;
    return copy.join('\n');
  };
  const text = (t: string, title: string): { bytes: Buffer; title: string } => ({ bytes: Buffer.from(t, 'utf8'), title });
  const line = (at: number): string => `line ${(pick(at)?.i ?? 0) + 1}`;
  switch (m.op) {
    case 'undefined-alias':
      return text(
        setValue(m.at, () => '*nope'),
        `${line(m.at)}: value := *nope (an alias of no anchor)`,
      );
    case 'alias': {
      const from = pick(m.at);
      const to = pick(m.to);
      if (from === undefined || to === undefined || from.i === to.i) return text(yaml, 'alias: no two keyed lines');
      const copy = [...lines];
      const [, h1, v1] = KEY_LINE.exec(from.l)!;
      const [, h2] = KEY_LINE.exec(to.l)!;
      copy[from.i] = `${h1} &a ${v1!}`;
      copy[to.i] = `${h2} *a`;
      return text(copy.join('\n'), `line ${to.i + 1}: value := *a, the anchor &a on line ${from.i + 1}`);
    }
    case 'alias-bomb': {
      const levels = [`&l0 [${times('lol', 10)}]`];
      for (let d = 1; d <= m.depth; d++) levels.push(`&l${d} [${times(`*l${d - 1}`, 10)}]`);
      return text(
        setValue(m.at, () => `[${levels.join(', ')}]`),
        `${line(m.at)}: value := an alias bomb of depth ${m.depth} (10^${m.depth} items)`,
      );
    }
    case 'tag':
      return text(
        setValue(m.at, () => m.tagged),
        `${line(m.at)}: value := ${JSON.stringify(m.tagged)}`,
      );
    case 'nesting':
      return text(
        setValue(m.at, () => '['.repeat(m.depth) + ']'.repeat(m.depth)),
        `${line(m.at)}: value := lists nested ${m.depth} deep`,
      );
    case 'duplicate-line': {
      const k = pick(m.at);
      if (k === undefined) return text(yaml, 'duplicate-line: no keyed line');
      const copy = [...lines];
      copy.splice(k.i, 0, k.l);
      return text(copy.join('\n'), `line ${k.i + 1} written twice`);
    }
    case 'tab': {
      const k = pick(m.at);
      if (k === undefined) return text(yaml, 'tab: no keyed line');
      const copy = [...lines];
      copy[k.i] = k.l.replace(/^ +/, '\t');
      return text(copy.join('\n'), `line ${k.i + 1} indented with a tab`);
    }
    case 'garbage': {
      const b = Buffer.from(yaml, 'utf8');
      const at = m.at % (b.length + 1);
      return { bytes: Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]), title: `bytes [${m.bytes.join(' ')}] inserted at byte ${at}` };
    }
    case 'truncate': {
      const b = Buffer.from(yaml, 'utf8');
      const at = m.at % Math.max(1, b.length);
      return { bytes: b.subarray(0, at), title: `cut at byte ${at} of ${b.length}` };
    }
    case 'bom':
      return text(`\ufeff${yaml}`, 'a byte order mark first');
    case 'crlf':
      return text(yaml.replace(/\n/g, '\r\n'), 'CRLF line ends');
    case 'json':
      return text(JSON.stringify(data, null, 2) ?? '', 'written as JSON (NaN and infinities become null)');
    case 'empty':
      return text('', 'an empty file');
  }
}

/** The data as block YAML (the way the bundled files are read back). */
export function render(d: Data): string {
  return stringifyYaml(d, { lineWidth: 0 });
}

/** A scenario fuzz case: a seed, tree mutations, maybe a text mutation. */
export interface ScenarioCase {
  readonly seed: number;
  readonly tree: readonly TreeOp[];
  readonly text: TextOp | null;
}

/**
 * Scenario cases over `seeds` (picked by index): up to three tree mutations and, one time in
 * four, a text mutation; or, `typed`, one or two mutations that keep the leaves' types (cases
 * likelier to pass validation, to be run).
 */
export function scenarioCaseArb(seeds: number, typed = false): fc.Arbitrary<ScenarioCase> {
  return fc.record({
    seed: fc.nat({ max: seeds - 1 }),
    tree: typed ? fc.array(typedOpArb, { minLength: 1, maxLength: 2 }) : fc.array(treeOpArb, { minLength: 0, maxLength: 3 }),
    text: typed ? fc.constant(null) : fc.option(textOpArb, { freq: 4 }),
  });
}

/** The file bytes of a case and a one-line title of what it changed. */
export function renderCase(seeds: readonly Seed[], c: ScenarioCase): { bytes: Buffer; title: string } {
  const seed = seeds[c.seed]!;
  let data = clone(seed.data);
  const titles: string[] = [];
  for (const m of c.tree) {
    const r = applyTreeOp(data, m);
    data = r.data;
    titles.push(r.title);
  }
  if (c.text === null) {
    return { bytes: Buffer.from(render(data), 'utf8'), title: `${seed.name}: ${titles.join('; ') || 'unchanged'}` };
  }
  const t = applyTextOp(data, c.text);
  return { bytes: t.bytes, title: `${seed.name}: ${[...titles, t.title].join('; ')}` };
}
