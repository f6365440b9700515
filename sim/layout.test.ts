/**
 * The layout rule of DESIGN.md §1, enforced by reading imports: who may import whom (and whether
 * only types), no import cycles, and §2's ban on the wall clock, unseeded randomness, environment
 * and argv outside scenarios/. Test files (*.test.ts) and test-support/ folders may import anything.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCycles, listTsFiles, maskSource, parseImports, resolveImport, type ImportRecord, type Target } from '../tools/imports.js';

/** The repository root: this file lives in sim/. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The folders of DESIGN.md §1, most specific first where they nest. */
const FOLDERS = ['sim/kernel', 'sim/model', 'allocators', 'workloads', 'reports', 'scenarios'] as const;
type Folder = (typeof FOLDERS)[number];

/** An import a folder's sources may make into another part of the repo. First match wins. */
interface Allow {
  /** a folder ('sim/kernel/') or one file ('sim/model/log.ts') */
  readonly to: string;
  /** only `import type` / `export type`: nothing loaded at runtime */
  readonly typesOnly: boolean;
}

/**
 * The shared leaves: small modules that exist once and that every folder may import, values too
 * (DESIGN.md §1's "may import" cells read as "besides these"). A leaf loads nothing at run time:
 * no module of the repository, no package, no builtin (checked below), so importing one never
 * drags a layer in.
 */
const LEAVES: ReadonlyArray<{ readonly path: string; readonly holds: string }> = [
  { path: 'sim/kernel/assert.ts', holds: "assertNever, the exhaustive switch's default" },
  { path: 'sim/kernel/int-map.ts', holds: 'a hash map of integer ids in typed arrays' },
  { path: 'sim/kernel/packed.ts', holds: 'typed arrays that grow (resized, grown)' },
  { path: 'sim/kernel/shuffle.ts', holds: 'the Fisher–Yates shuffle over any random stream' },
  { path: 'sim/kernel/time.ts', holds: 'SimTime and the time units' },
  { path: 'sim/model/resources.ts', holds: 'the resource names and fixed-point resource vectors' },
  { path: 'sim/model/roles.ts', holds: 'role paths: allocatableTo, parentRole' },
  { path: 'sim/model/record-block.ts', holds: "a block of log records as rows of typed columns, the log's form on its way to sinks" },
  { path: 'sim/model/yarn-port.ts', holds: 'the YARN port: what a YARN scheduler and the ResourceManager share' },
];
const LEAF_PATHS = new Set(LEAVES.map((l) => l.path));

/** What a folder's non-test sources may import. */
interface FolderRule {
  /** the §1 table's "may import" cell, for messages */
  readonly says: string;
  /** other parts of the repo; its own folder is always allowed. 'any' for the composition root */
  readonly repo: readonly Allow[] | 'any';
  /** npm packages: a fixed list, or any runtime dependency declared in package.json */
  readonly packages: readonly string[] | 'dependencies';
  /** Node builtins: none at all, those that do no I/O, or any */
  readonly builtins: 'none' | 'no-io' | 'any';
  /** whether §2's ban on clock, randomness, env and argv applies */
  readonly bans: boolean;
}

/**
 * DESIGN.md §1, read strictly. "Types" means `import type` (or `export type`): under the project's
 * verbatimModuleSyntax, `import { type X } from 'm'` is emitted as `import {} from 'm'` and still
 * loads m at runtime, so it does not count as a type import.
 */
const RULES: Readonly<Record<Folder, FolderRule>> = {
  'sim/kernel': {
    says: 'nothing outside itself (npm seedrandom)',
    repo: [],
    packages: ['seedrandom'],
    builtins: 'none',
    bans: true,
  },
  'sim/model': {
    says: 'sim/kernel only (the allocation port is its own: sim/model/allocation-port.ts)',
    repo: [{ to: 'sim/kernel/', typesOnly: false }],
    packages: [],
    builtins: 'none',
    bans: true,
  },
  allocators: {
    says:
      "the allocation port (sim/model/allocation-port.ts), types from sim/model, the kernel's random-stream type " +
      '(sim/kernel/rng.ts) and the shared leaves; no clock, no queue, no I/O',
    repo: [
      { to: 'sim/model/allocation-port.ts', typesOnly: false },
      { to: 'sim/model/', typesOnly: true },
      { to: 'sim/kernel/rng.ts', typesOnly: true },
    ],
    packages: [],
    builtins: 'none',
    bans: true,
  },
  workloads: {
    says: 'sim/kernel rng types (sim/kernel/rng.ts), model types (sim/model/) and the shared leaves',
    repo: [
      { to: 'sim/kernel/rng.ts', typesOnly: true },
      { to: 'sim/model/', typesOnly: true },
    ],
    packages: 'dependencies',
    builtins: 'no-io',
    bans: true,
  },
  reports: {
    says: 'event log types only (sim/model/log.ts), and the shared leaves',
    repo: [{ to: 'sim/model/log.ts', typesOnly: true }],
    packages: 'dependencies',
    builtins: 'no-io',
    bans: true,
  },
  scenarios: {
    says: 'everything: it is the composition root',
    repo: 'any',
    packages: 'dependencies',
    builtins: 'any',
    bans: false,
  },
};

/** Builtins that touch files, processes, the network, the host, timers or the wall clock (§1: only scenarios/). */
const IO_BUILTINS = new Set([
  'fs',
  'child_process',
  'worker_threads',
  'cluster',
  'net',
  'http',
  'http2',
  'https',
  'dgram',
  'dns',
  'tls',
  'os',
  'process',
  'inspector',
  'perf_hooks',
  'v8',
  'vm',
  'repl',
  'tty',
  'readline',
  'module',
  'trace_events',
  'timers',
]);

/** §2: banned outside scenarios/ (and bench/), in non-test sources. Names, not just calls: passing Math.random along is as bad. */
const BANNED: ReadonlyArray<{ readonly re: RegExp; readonly what: string }> = [
  { re: /(?<![\w$.])Date\s*\.\s*now\b/, what: 'Date.now (wall clock)' },
  { re: /\bnew\s+Date\b/, what: 'new Date (wall clock)' },
  { re: /(?<!\bnew\s+)(?<![\w$.])Date\s*\(/, what: 'Date() (wall clock)' },
  { re: /\bperformance\s*\.\s*now\b/, what: 'performance.now (wall clock)' },
  { re: /\bprocess\s*\.\s*hrtime\b/, what: 'process.hrtime (wall clock)' },
  { re: /\bMath\s*\.\s*random\b/, what: 'Math.random (unseeded randomness)' },
  { re: /\brandomUUID\b/, what: 'randomUUID (unseeded randomness)' },
  { re: /\b(?:randomBytes|getRandomValues)\b/, what: 'crypto randomness (unseeded)' },
  { re: /\bprocess\s*\.\s*env\b/, what: 'process.env (environment)' },
  { re: /\bprocess\s*\.\s*argv\b/, what: 'process.argv (command line)' },
];

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const DEPENDENCIES = new Set(Object.keys(pkg.dependencies ?? {}));
const DEV_DEPENDENCIES = new Set(Object.keys(pkg.devDependencies ?? {}));

function folderOf(path: string): Folder | undefined {
  return FOLDERS.find((f) => path.startsWith(`${f}/`));
}

/** Test files and test-support folders may import anything, and nothing but tests may import them. */
function isTestFile(path: string): boolean {
  return path.endsWith('.test.ts') || path.split('/').includes('test-support');
}

const exists = (relPath: string): boolean => existsSync(join(ROOT, relPath));

/** One broken rule, as `file:line: statement -- why`. */
function violation(file: string, imp: ImportRecord, why: string): string {
  return `${file}:${imp.line}: ${imp.text} -- ${why}`;
}

function typeHint(imp: ImportRecord): string {
  return imp.inlineTypesOnly
    ? " (`import { type X }` is emitted as `import {} from '...'` under verbatimModuleSyntax and loads the module: write `import type { X }`)"
    : '';
}

/** The layout violations of one non-test file's imports. */
function checkImports(file: string, imports: readonly ImportRecord[], resolve: (spec: string) => Target): string[] {
  const from = folderOf(file);
  if (from === undefined || isTestFile(file)) return [];
  const rule = RULES[from];
  const out: string[] = [];
  for (const imp of imports) {
    const target = resolve(imp.specifier);
    switch (target.kind) {
      case 'unresolved':
        break; // reported by its own test
      case 'repo': {
        if (isTestFile(target.path)) {
          out.push(violation(file, imp, `${target.path} is test code; only tests may import it`));
          break;
        }
        if (target.path.startsWith(`${from}/`) || rule.repo === 'any' || LEAF_PATHS.has(target.path)) break;
        const allow = rule.repo.find((a) => (a.to.endsWith('/') ? target.path.startsWith(a.to) : target.path === a.to));
        if (allow === undefined) {
          out.push(violation(file, imp, `${from}/ may not import ${target.path}; it may import ${rule.says}`));
        } else if (allow.typesOnly && imp.kind !== 'type') {
          out.push(violation(file, imp, `${from}/ may import only types from ${allow.to}: use \`import type\`${typeHint(imp)}`));
        }
        break;
      }
      case 'package': {
        const ok =
          rule.packages === 'dependencies'
            ? DEPENDENCIES.has(target.name) || (imp.kind === 'type' && DEV_DEPENDENCIES.has(target.name))
            : rule.packages.includes(target.name);
        if (!ok) {
          out.push(
            violation(
              file,
              imp,
              rule.packages === 'dependencies'
                ? `package ${target.name} is not a runtime dependency in package.json`
                : `${from}/ may not import package ${target.name}; it may import ${rule.says}`,
            ),
          );
        }
        break;
      }
      case 'builtin': {
        const base = target.name.replace(/^node:/, '').split('/')[0]!;
        if (rule.builtins === 'none') {
          out.push(violation(file, imp, `${from}/ may not import Node builtins; it may import ${rule.says}`));
        } else if (rule.builtins === 'no-io' && IO_BUILTINS.has(base)) {
          out.push(violation(file, imp, `only scenarios/ touches files, processes, the host or the clock (${target.name})`));
        }
        break;
      }
      default: {
        const never: never = target;
        throw new Error(`unknown target ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}

/** §2's ban list over one non-test file: code only, not comments or string contents. */
function checkBans(file: string, src: string): string[] {
  const from = folderOf(file);
  if (from === undefined || isTestFile(file) || !RULES[from].bans) return [];
  const lines = maskSource(src).bare.split('\n');
  const original = src.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    for (const ban of BANNED) {
      if (ban.re.test(line)) out.push(`${file}:${i + 1}: ${original[i]!.trim()} -- ${ban.what} is banned outside scenarios/ (DESIGN.md §2)`);
    }
  });
  return out;
}

interface RepoFile {
  readonly path: string;
  readonly src: string;
  readonly imports: readonly ImportRecord[];
}

function readRepo(): RepoFile[] {
  return FOLDERS.flatMap((f) => listTsFiles(ROOT, f)).map((path) => {
    const src = readFileSync(join(ROOT, path), 'utf8');
    return { path, src, imports: parseImports(src) };
  });
}

describe('layout (DESIGN.md §1, §2) over the repository', () => {
  const files = readRepo();
  const resolverFor = (file: string) => (spec: string) => resolveImport(file, spec, exists);

  test('finds the sources (guards against a wrong root passing vacuously)', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('sim/kernel/simulator.ts');
    expect(paths).toContain('sim/kernel/event-queue.ts');
  });

  test('every relative import resolves to a .ts file in the repository', () => {
    const out: string[] = [];
    for (const f of files) {
      for (const imp of f.imports) {
        const t = resolveImport(f.path, imp.specifier, exists);
        if (t.kind === 'unresolved') out.push(violation(f.path, imp, `no file ${t.tried} (write './x.js' for './x.ts')`));
      }
    }
    expect(out).toEqual([]);
  });

  test('imports follow the table of §1', () => {
    const out = files.flatMap((f) => checkImports(f.path, f.imports, resolverFor(f.path)));
    expect(out).toEqual([]);
  });

  test('no import cycles among the modules, type-only imports included', () => {
    // A type-only import is erased at runtime, but it is still a dependency of the design: a cycle
    // through one (the port importing what implements it) means two modules that cannot be
    // understood, changed or tested apart, so every edge counts.
    const graph = new Map<string, string[]>();
    const edgeLine = new Map<string, ImportRecord>();
    for (const f of files) {
      const succ: string[] = [];
      for (const imp of f.imports) {
        const t = resolveImport(f.path, imp.specifier, exists);
        if (t.kind !== 'repo') continue;
        succ.push(t.path);
        if (!edgeLine.has(`${f.path}>${t.path}`)) edgeLine.set(`${f.path}>${t.path}`, imp);
      }
      graph.set(f.path, succ);
    }
    const out = findCycles(graph).map((cycle) =>
      cycle
        .slice(0, -1)
        .map((from, i) => {
          const imp = edgeLine.get(`${from}>${cycle[i + 1]!}`)!;
          return `${from}:${imp.line}: ${imp.text}`;
        })
        .join('  ->  '),
    );
    expect(out).toEqual([]);
  });

  test('no wall clock, unseeded randomness, environment or argv outside scenarios/', () => {
    const out = files.flatMap((f) => checkBans(f.path, f.src));
    expect(out).toEqual([]);
  });

  test('every shared leaf exists and loads nothing at run time (type imports only)', () => {
    const out: string[] = [];
    for (const leaf of LEAVES) {
      const f = files.find((x) => x.path === leaf.path);
      if (f === undefined) {
        out.push(`${leaf.path}: no such file (${leaf.holds})`);
        continue;
      }
      for (const imp of f.imports) {
        if (imp.kind !== 'type') out.push(violation(f.path, imp, 'a shared leaf loads nothing: it may import only types'));
      }
    }
    expect(out).toEqual([]);
  });
});

describe('the layout rules catch what they should (synthetic files)', () => {
  const known = new Set([
    'sim/kernel/time.ts',
    'sim/kernel/rng.ts',
    'sim/kernel/simulator.ts',
    'sim/model/master.ts',
    'sim/model/log.ts',
    'sim/model/resources.ts',
    'sim/model/test-support/scripted.ts',
    'sim/model/allocation-port.ts',
    'allocators/types.ts',
    'allocators/drf.ts',
    'reports/metrics.ts',
    'scenarios/run.ts',
  ]);
  const check = (file: string, src: string): string[] => checkImports(file, parseImports(src), (spec) => resolveImport(file, spec, (p) => known.has(p)));

  test('kernel: nothing outside itself but seedrandom', () => {
    expect(check('sim/kernel/x.ts', "import seedrandom from 'seedrandom';\nimport { t } from './time.js';")).toEqual([]);
    expect(check('sim/kernel/x.ts', "import type { LogRecord } from '../model/log.js';")).toEqual([
      "sim/kernel/x.ts:1: import type { LogRecord } from '../model/log.js' -- sim/kernel/ may not import sim/model/log.ts; it may import nothing outside itself (npm seedrandom)",
    ]);
    expect(check('sim/kernel/x.ts', "import { readFileSync } from 'node:fs';\nimport yaml from 'yaml';")).toHaveLength(2);
  });

  test("model: kernel values, nothing of allocators/, not even types (the port is the model's)", () => {
    expect(check('sim/model/x.ts', "import { seconds } from '../kernel/time.js';\nimport type { Allocator } from './allocation-port.js';")).toEqual([]);
    expect(check('sim/model/x.ts', "import { getAllocator } from '../../allocators/drf.js';")).toHaveLength(1);
    expect(check('sim/model/x.ts', "import type { Allocator } from '../../allocators/types.js';")).toEqual([
      "sim/model/x.ts:1: import type { Allocator } from '../../allocators/types.js' -- sim/model/ may not import allocators/types.ts; it may import sim/kernel only (the allocation port is its own: sim/model/allocation-port.ts)",
    ]);
  });

  test("allocators: the port, model types, resources values, the kernel's random-stream type; no I/O", () => {
    expect(check('allocators/x.ts', "import { addInto } from '../sim/model/resources.js';\nimport type { LogRecord } from '../sim/model/log.js';")).toEqual([]);
    expect(check('allocators/x.ts', "import { OFFER_GRANULARITIES, type Allocator } from '../sim/model/allocation-port.js';")).toEqual([]);
    expect(check('allocators/x.ts', "import { Master } from '../sim/model/master.js';")).toHaveLength(1);
    expect(check('allocators/x.ts', "import type { Rng } from '../sim/kernel/rng.js';")).toEqual([]);
    expect(check('allocators/x.ts', "import { RandomStream } from '../sim/kernel/rng.js';")).toHaveLength(1);
    expect(check('allocators/x.ts', "import type { Simulator } from '../sim/kernel/simulator.js';")).toHaveLength(1);
    const [inline] = check('allocators/x.ts', "import {\n  type LogRecord,\n} from '../sim/model/log.js';");
    expect(inline).toMatch(
      /^allocators\/x\.ts:1: import \{ type LogRecord, \} from '..\/sim\/model\/log\.js' -- allocators\/ may import only types from sim\/model\/: use `import type`/,
    );
    expect(inline).toMatch(/loads the module: write `import type \{ X \}`/);
    expect(check('allocators/x.ts', "import { writeFileSync } from 'fs';")).toHaveLength(1);
    // tests and test-support may import anything
    expect(check('allocators/x.test.ts', "import { RandomStream } from '../sim/kernel/rng.js';")).toEqual([]);
    expect(check('allocators/test-support/y.ts', "import { RandomStream } from '../../sim/kernel/rng.js';")).toEqual([]);
  });

  test('workloads: rng and model types; reports: log types; neither does I/O', () => {
    expect(check('workloads/x.ts', "import type { Rng } from '../sim/kernel/rng.js';\nimport type { JobSpec } from '../sim/model/master.js';")).toEqual([]);
    expect(check('workloads/x.ts', "import { seconds } from '../sim/kernel/time.js';")).toEqual([]);
    expect(check('workloads/x.ts', "import { Simulator } from '../sim/kernel/simulator.js';")).toHaveLength(1);
    expect(check('reports/x.ts', "import type { LogRecord } from '../sim/model/log.js';\nimport { stringify } from 'csv-stringify/sync';")).toEqual([]);
    expect(check('reports/x.ts', "import { isTerminal } from '../sim/model/log.js';")).toHaveLength(1);
    expect(check('reports/x.ts', "import { writeFile } from 'node:fs/promises';")).toHaveLength(1);
    expect(check('reports/x.ts', "import { createHash } from 'node:crypto';")).toEqual([]);
    expect(check('reports/x.ts', "import fc from 'fast-check';")).toEqual([
      "reports/x.ts:1: import fc from 'fast-check' -- package fast-check is not a runtime dependency in package.json",
    ]);
  });

  test('shared leaves: any folder may import their values; a module beside them may not', () => {
    const leafKnown = new Set([...known, ...LEAF_PATHS, 'sim/kernel/event-queue.ts']);
    const checkLeaf = (file: string, src: string): string[] =>
      checkImports(file, parseImports(src), (spec) => resolveImport(file, spec, (p) => leafKnown.has(p)));
    expect(checkLeaf('reports/x.ts', "import { RESOURCE_NAMES } from '../sim/model/resources.js';\nimport { grown } from '../sim/kernel/packed.js';")).toEqual(
      [],
    );
    expect(checkLeaf('workloads/x.ts', "import { assertNever } from '../sim/kernel/assert.js';\nimport { seconds } from '../sim/kernel/time.js';")).toEqual([]);
    expect(
      checkLeaf('allocators/x.ts', "import { shuffleInPlace } from '../sim/kernel/shuffle.js';\nimport { allocatableTo } from '../sim/model/roles.js';"),
    ).toEqual([]);
    expect(checkLeaf('reports/x.ts', "import { EventQueue } from '../sim/kernel/event-queue.js';")).toEqual([
      "reports/x.ts:1: import { EventQueue } from '../sim/kernel/event-queue.js' -- reports/ may not import sim/kernel/event-queue.ts; it may import event log types only (sim/model/log.ts), and the shared leaves",
    ]);
  });

  test('scenarios: anything but test code', () => {
    expect(check('scenarios/x.ts', "import { Master } from '../sim/model/master.js';\nimport { readFileSync } from 'node:fs';")).toEqual([]);
    expect(check('scenarios/x.ts', "import { ScriptedFramework } from '../sim/model/test-support/scripted.js';")).toHaveLength(1);
  });

  test('the ban list reads code, not comments or strings', () => {
    const src = [
      '// Date.now() would be wrong here',
      "const msg = 'never call Math.random()';",
      'const t = Date.now();',
      'const r = `${process.env.HOME}`;',
      'const d = new Date(0);',
      'const e = Date();',
      'const ok = myDate.now() + performance2.now;',
    ].join('\n');
    expect(checkBans('sim/model/x.ts', src).map((v) => v.split(' -- ')[1])).toEqual([
      'Date.now (wall clock) is banned outside scenarios/ (DESIGN.md §2)',
      'process.env (environment) is banned outside scenarios/ (DESIGN.md §2)',
      'new Date (wall clock) is banned outside scenarios/ (DESIGN.md §2)',
      'Date() (wall clock) is banned outside scenarios/ (DESIGN.md §2)',
    ]);
    expect(checkBans('sim/model/x.ts', src)[0]).toBe(
      'sim/model/x.ts:3: const t = Date.now(); -- Date.now (wall clock) is banned outside scenarios/ (DESIGN.md §2)',
    );
    expect(checkBans('scenarios/x.ts', src)).toEqual([]);
    expect(checkBans('sim/model/x.test.ts', src)).toEqual([]);
  });
});

describe('the import reader', () => {
  const brief = (src: string) => parseImports(src).map((r) => `${r.line}:${r.kind}:${r.specifier}`);

  test('kinds: type, load (side effect, empty, inline-only types) and value', () => {
    const src = [
      "import type { A } from './a.js';",
      "import { type B, type C } from './b.js';",
      "import { type D, e } from './d.js';",
      "import {} from './empty.js';",
      "import './side.js';",
      "import def, { f } from './f.js';",
      "import * as ns from './ns.js';",
      "export * from './star.js';",
      "export * as all from './all.js';",
      "export { g } from './g.js';",
      "export type { H } from './h.js';",
      "export { type I } from './i.js';",
      "const m = await import('./dyn.js');",
      'const u = import.meta.url;',
    ].join('\n');
    expect(brief(src)).toEqual([
      '1:type:./a.js',
      '2:load:./b.js',
      '3:value:./d.js',
      '4:load:./empty.js',
      '5:load:./side.js',
      '6:value:./f.js',
      '7:value:./ns.js',
      '8:value:./star.js',
      '9:value:./all.js',
      '10:value:./g.js',
      '11:type:./h.js',
      '12:load:./i.js',
      '13:value:./dyn.js',
    ]);
    expect(parseImports(src)[1]!.inlineTypesOnly).toBe(true);
  });

  test('multi-line statements, reported at their first line, as one line', () => {
    const src = '\n\nimport type {\n  A,\n  B,\n} from \'../x.js\';\nexport {\n  c,\n  type D,\n} from "./y.js";\n';
    const recs = parseImports(src);
    expect(recs.map((r) => [r.line, r.kind, r.text])).toEqual([
      [3, 'type', "import type { A, B, } from '../x.js'"],
      [7, 'value', 'export { c, type D, } from "./y.js"'],
    ]);
  });

  test('ignores imports in comments and strings; survives regex literals and templates', () => {
    const src = [
      "// import a from './commented.js';",
      "/* import b from './block.js';",
      "   export * from './block2.js'; */",
      'const s = "import c from \'./in-string.js\'";',
      "const t = `import d from './in-template.js' ${x / 2} and ${`nested ${y}`}`;",
      'const r = /[\'"`]/g; const q = a / b / c;',
      "import e from './real.js';",
      'export const k = 1',
      'export { k2 }',
      "import f from './real2.js'",
    ].join('\n');
    expect(brief(src)).toEqual(['7:value:./real.js', '10:value:./real2.js']);
  });

  test('masking keeps every line and blanks only comments (code) or literals too (bare)', () => {
    const src = "a = 'x'; // c\nb = `t ${process.env.X} u`; /* d\n e */ f";
    const { code, bare } = maskSource(src);
    expect(code.split('\n')).toHaveLength(3);
    expect(code).toBe("a = 'x';     \nb = `t ${process.env.X} u`;     \n      f");
    expect(bare).toBe("a = ' ';     \nb = `  ${process.env.X}  `;     \n      f");
  });

  test('resolves .js to .ts, tells packages from builtins', () => {
    const has = (p: string) => p === 'sim/kernel/time.ts';
    expect(resolveImport('sim/model/m.ts', '../kernel/time.js', has)).toEqual({ kind: 'repo', path: 'sim/kernel/time.ts' });
    expect(resolveImport('sim/model/m.ts', '../kernel/time', has)).toEqual({ kind: 'unresolved', tried: 'sim/kernel/time' });
    expect(resolveImport('x.ts', 'node:fs/promises', has)).toEqual({ kind: 'builtin', name: 'fs/promises' });
    expect(resolveImport('x.ts', 'fs', has)).toEqual({ kind: 'builtin', name: 'fs' });
    expect(resolveImport('x.ts', '@jest/globals', has)).toEqual({ kind: 'package', name: '@jest/globals' });
    expect(resolveImport('x.ts', 'csv-stringify/sync', has)).toEqual({ kind: 'package', name: 'csv-stringify' });
  });

  test('finds cycles, self-loops included, and nothing in a DAG', () => {
    const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
    expect(findCycles(g({ a: ['b'], b: ['c'], c: [] }))).toEqual([]);
    expect(findCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(g({ a: ['a'] }))).toEqual([['a', 'a']]);
    expect(findCycles(g({ a: ['b', 'c'], b: ['a'], c: ['d'], d: ['c'] }))).toEqual([
      ['c', 'd', 'c'],
      ['a', 'b', 'a'],
    ]);
  });
});
