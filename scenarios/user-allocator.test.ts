/**
 * User-written allocator modules (scenario `allocator: { module: ./x.js }`): the example of
 * docs/allocators.md loads as a module, does what its policy says and runs through the CLI (its
 * allocator contract is checked with every policy's, in allocators/contract.test.ts); every bad
 * module is bad input (exit 2) with the module named, never a stack trace; a module that throws
 * while the simulation runs is blamed by name (exit 3).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCluster } from '../allocators/test-support/contract-checks.js';
import { checkParams, type AllocatorEntry } from '../allocators/types.js';
import { RandomStream } from '../sim/kernel/rng.js';
import { InputError } from './errors.js';
import { loadScenario, openScenario } from './loader.js';
import { runScenario, simulateScenario } from './run.js';
import { cli } from './test-support/cli.js';
import { ALLOCATOR_METHODS, guardAllocator, importAllocatorModule } from './user-allocator.js';
import { getAllocator } from '../allocators/registry.js';
import { resources } from '../sim/model/resources.js';
import { agentIx, frameworkIx } from '../sim/model/ids.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE_MODULE = join(ROOT, 'docs', 'examples', 'least-allocated.js');
const EXAMPLE_SCENARIO = join(ROOT, 'docs', 'examples', 'custom-allocator.yaml');
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-user-alloc-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** 1-based number of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

async function exampleEntry(): Promise<AllocatorEntry> {
  const r = await importAllocatorModule(EXAMPLE_MODULE, join(ROOT, 'scenario.yaml'));
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.module.entry;
}

// ------------------------------------------------------------------ the example module

describe('the example module docs/examples/least-allocated.js (its contract: allocators/contract.test.ts)', () => {
  let entry: AllocatorEntry;
  beforeAll(async () => {
    entry = await exampleEntry();
  });

  test('loads as a user module: an entry named least-allocated whose create() gives an allocator with every method', () => {
    expect(entry.name).toBe('least-allocated');
    const a = entry.create({});
    expect(a.name).toBe(entry.name);
    for (const m of ALLOCATOR_METHODS) expect(typeof a[m]).toBe('function');
  });

  test('its own parameter: a list of resources to count', () => {
    expect(checkParams(entry, { resources: ['cpus', 'gpus'] })).toEqual([]);
  });

  test('its policy, worked by hand: each agent goes to the role, then framework, holding the least (sum of fractions / weight)', () => {
    // Cluster: 2 agents of cpus 4, mem 4096 (totals cpus 8, mem 8192). fw0 in role a (weight 2),
    // fw1 in role b (weight 1). Run 1 (both roles hold 0 in 0 allocations: tie, broken by name, a
    // first) gives fw0 the first agent visited; role a then has (4/8 + 4096/8192) / 2 = 0.5 > 0, so
    // fw1 gets the other. After fw1 returns its agent, run 2 compares a 0.5 with b 0: fw1 gets it back.
    const { m } = buildCluster(entry, {
      agents: [
        { cpus: 4, mem: 4096, disk: 0, gpus: 0 },
        { cpus: 4, mem: 4096, disk: 0, gpus: 0 },
      ],
      frameworks: [
        { role: 'a', suppressed: false },
        { role: 'b', suppressed: false },
      ],
      weights: [['a', 2]],
      filters: [],
      seed: 4,
    });
    const rng = new RandomStream(4, 'allocator');
    const first = m.run(rng);
    expect(first.map((o) => o.fw)).toEqual([0, 1]);
    m.recover(first[1]!);
    expect(m.run(rng).map((o) => [o.fw, o.agent])).toEqual([[1, first[1]!.agent]]);
  });
});

// ------------------------------------------------------------------ the example through the CLI

describe('the example scenario docs/examples/custom-allocator.yaml', () => {
  test('validates, runs, and records the module and its hash in manifest.json inputs', async () => {
    expect(await cli('validate', EXAMPLE_SCENARIO)).toEqual({ code: 0, out: `${EXAMPLE_SCENARIO}: ok\n`, err: '' });
    const out = join(tmp, 'custom');
    const r = await cli('run', EXAMPLE_SCENARIO, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/seed 11: completed at t=/);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { inputs: unknown; resolved: { allocator: unknown } };
    const sha256 = createHash('sha256').update(readFileSync(EXAMPLE_MODULE)).digest('hex');
    expect(m.inputs).toEqual([{ file: './least-allocated.js', sha256 }]);
    expect(m.resolved.allocator).toEqual({ module: './least-allocated.js', params: { resources: ['cpus', 'mem'] }, excludedResources: [] });
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { jobs_finished: number; jobs: number };
    expect(s.jobs_finished).toBe(s.jobs);
  });

  test('the same seed gives the same files, and the run differs from drf on the same workload', async () => {
    const a = join(tmp, 'ca');
    const b = join(tmp, 'cb');
    const d = join(tmp, 'cd');
    expect((await cli('run', EXAMPLE_SCENARIO, '--out', a)).code).toBe(0);
    expect((await cli('run', EXAMPLE_SCENARIO, '--out', b)).code).toBe(0);
    expect((await cli('run', EXAMPLE_SCENARIO, '--out', d, '--set', 'allocator=drf')).code).toBe(0);
    const files = (dir: string): Record<string, string> =>
      Object.fromEntries(
        readdirSync(dir)
          .filter((f) => f !== 'timing.json')
          .sort()
          .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
      );
    expect(files(b)).toEqual(files(a));
    const fp = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { fingerprint: string }).fingerprint;
    expect(fp(d)).not.toBe(fp(a));
  });

  test('its parameters are checked by the module, at their line (and an absolute module path works)', async () => {
    const text = readFileSync(EXAMPLE_SCENARIO, 'utf8')
      .replace('./least-allocated.js', EXAMPLE_MODULE)
      .replace('resources: [cpus, mem]', 'resources: [cpus, ram]\n    bogus: 1');
    const file = join(tmp, 'params.yaml');
    writeFileSync(file, text);
    const r = await cli('validate', file);
    expect(r.code).toBe(2);
    const line = lineOf(text, '[cpus, ram]');
    expect(r.err.trimEnd().split('\n')).toEqual([
      `${file}:${line}:23: allocator.params.resources[1]: unknown resource "ram"; one of cpus, mem, disk, gpus`,
      `${file}:${line + 1}:12: allocator.params.bogus: unknown parameter "bogus" of allocator least-allocated`,
    ]);
  });

  test('create(options) refusing the options (offer granularity) is bad input, checked by validate', async () => {
    // A whole policy (create, not share) that offers whole agents only and says so in create.
    const source = [
      'export default { name: "whole", description: "d", create(options) {',
      '  if ((options.granularity ?? "agent") !== "agent") throw new Error(`whole offers whole agents only; master.offerGranularity ${options.granularity} is not supported`);',
      `  return { name: "whole", ${METHODS}, allocate() {} };`,
      '} };',
      '',
    ].join('\n');
    const file = withModule('whole.mjs', source);
    expect(await cli('validate', file)).toEqual({ code: 0, out: `${file}: ok\n`, err: '' });
    const r = await cli('validate', file, '--set', 'master.offerGranularity=task');
    expect(r.code).toBe(2);
    const col = source.split('\n')[1]!.indexOf('new Error') + 1;
    expect(r.err).toBe(
      `${file}:1:22: allocator.module: "./whole.mjs": create(options) threw Error: ` +
        `whole offers whole agents only; master.offerGranularity task is not supported (at whole.mjs:2:${col})\n`,
    );
  });

  test('loadScenario (sync) leaves a module unimported; running it then says to use openScenario', async () => {
    const loaded = loadScenario(EXAMPLE_SCENARIO);
    expect(loaded.allocator).toBeUndefined();
    expect(() => runScenario(loaded, { out: join(tmp, 'never') })).toThrow(/openScenario/);
    const opened = await openScenario(EXAMPLE_SCENARIO);
    expect(opened.allocator?.entry.name).toBe('least-allocated');
    expect(opened.allocator?.module?.spec).toBe('./least-allocated.js');
  });
});

// ------------------------------------------------------------------ bad modules

const SCENARIO_BODY = `cluster: { agents: [ { count: 2, cpus: 4, mem: 4096 } ] }
frameworks:
  - name: a
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 1, mem: 128, duration: 1 } ] } ] }
`;

const METHODS =
  'setWeight() {}, addFramework() {}, removeFramework() {}, activateFramework() {}, deactivateFramework() {}, addAgent() {}, removeAgent() {}, recover() {}';

/** Writes `source` as module `name` and a scenario naming it in a fresh folder; returns the scenario path. */
function withModule(name: string, source: string | undefined, allocatorExtra = ''): string {
  const dir = mkdtempSync(join(tmp, 'mod-'));
  if (source !== undefined) writeFileSync(join(dir, name), source);
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, `allocator: { module: ./${name}${allocatorExtra} }\n${SCENARIO_BODY}`);
  return file;
}

describe('bad allocator modules: bad input (exit 2), the module named, no stack trace', () => {
  const cases: readonly (readonly [string, string, string | undefined, RegExp])[] = [
    ['a missing file', 'nope.js', undefined, /^allocator\.module: cannot find the allocator module "\.\/nope\.js": no file .*[/\\]nope\.js$/],
    [
      'a syntax error',
      'syntax.mjs',
      'export default {\n  name: "x",\n  create( {\n};\n',
      /^allocator\.module: "\.\/syntax\.mjs" does not load: SyntaxError: .*\(at syntax\.mjs:4\)$/,
    ],
    [
      'a throw while loading',
      'throws.mjs',
      'const x = 1;\nthrow new Error("boom at import");\n',
      /^allocator\.module: "\.\/throws\.mjs" does not load: Error: boom at import \(at throws\.mjs:2:7\)$/,
    ],
    [
      'no default export',
      'named.mjs',
      'export const foo = 1;\nexport function bar() {}\n',
      /^allocator\.module: "\.\/named\.mjs" exports no allocator: expected a default export \(or an export named "allocator"\) \{ name, description, create\(options\) \}; it exports bar, foo$/,
    ],
    [
      'a default export that is a function',
      'fn.mjs',
      'export default function () {}\n',
      /^allocator\.module: "\.\/fn\.mjs": its default export is a function; export the entry object/,
    ],
    [
      'an entry without description and create',
      'entry.mjs',
      'export default { name: "m" };\n',
      /^allocator\.module: "\.\/entry\.mjs": its default export lacks description \(a one-line string\), create\(options\) \(a function returning the allocator\)$/,
    ],
    [
      'an allocator missing methods',
      'methods.mjs',
      'export default { name: "m", description: "d", create() { return { name: "m", setWeight() {}, addFramework() {}, allocate() {} }; } };\n',
      /^allocator\.module: "\.\/methods\.mjs": the object create\(options\) returned lacks removeFramework\(\), activateFramework\(\), deactivateFramework\(\), addAgent\(\), removeAgent\(\), recover\(\)$/,
    ],
    [
      'create returning nothing',
      'void.mjs',
      'export default { name: "m", description: "d", create() {} };\n',
      /^allocator\.module: "\.\/void\.mjs": create\(options\) returned undefined, not an allocator object$/,
    ],
    [
      'validate(params) throwing',
      'vthrows.mjs',
      `export default { name: "m", description: "d", validate() { throw new Error("bad validate"); }, create() { return { name: "m", ${METHODS}, allocate() {} }; } };\n`,
      /^allocator\.params: "\.\/vthrows\.mjs": validate\(params\) threw Error: bad validate \(at vthrows\.mjs:1:\d+\)$/,
    ],
    [
      'validate(params) answering nonsense',
      'vjunk.mjs',
      `export default { name: "m", description: "d", validate() { return "fine"; }, create() { return { name: "m", ${METHODS}, allocate() {} }; } };\n`,
      /^allocator\.params: "\.\/vjunk\.mjs": validate\(params\) returned a string, not a list of \{ path, message \} problems$/,
    ],
    [
      'an unknown parameter (no params declared)',
      'ok.mjs',
      `export const allocator = { name: "m", description: "d", create() { return { name: "m", ${METHODS}, allocate() {} }; } };\n`,
      /^allocator\.params\.x: unknown parameter "x" of allocator m$/,
    ],
  ];

  test.each(cases)('%s', async (_what, name, source, expected) => {
    const file = withModule(name, source, name === 'ok.mjs' ? ', params: { x: 1 }' : '');
    const out = join(tmp, `never-${name}`);
    for (const argv of [
      ['validate', file],
      ['run', file, '--out', out],
    ]) {
      const r = await cli(...argv);
      expect([argv[0], r.code, r.out]).toEqual([argv[0], 2, '']);
      const lines = r.err.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.startsWith(`${file}:1:`)).toBe(true);
      expect(lines[0]!.replace(/^.*?:\d+:\d+: /, '')).toMatch(expected);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(readdirSync(tmp).filter((f) => f.startsWith('never-'))).toEqual([]);
  });

  test('a module path that is not a .js or .mjs file is a schema problem', async () => {
    const r = await cli('validate', withModule('alloc.ts', 'export default {}\n'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /:1:22: allocator\.module: an allocator module is an ECMAScript module file ending in \.js or \.mjs \(compile TypeScript first\), got "\.\/alloc\.ts"\n$/,
    );
  });

  test('a directory', async () => {
    const file = withModule('dir.mjs', undefined);
    mkdirSync(join(file, '..', 'dir.mjs'));
    const r = await cli('validate', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/allocator\.module: "\.\/dir\.mjs" is a directory \(.*dir\.mjs\); name the \.js or \.mjs file\n$/);
  });

  test("module problems are reported with the scenario's other problems, all at once", async () => {
    const file = withModule('nope.js', undefined);
    writeFileSync(file, readFileSync(file, 'utf8').replace('count: 2', 'count: 0'));
    const r = await cli('validate', file);
    expect(r.code).toBe(2);
    expect(
      r.err
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(/^.*?:(\d+):\d+: ([^:]+):.*$/, '$1 $2')),
    ).toEqual(['1 allocator.module', '2 cluster.agents[0].count']);
  });

  test('the built CLI in a fresh process: exit 2 and one line naming the module, for a syntax error and a missing method', () => {
    for (const [name, source] of [
      ['syntax.mjs', 'export default {\n  create( {\n};\n'],
      ['methods.mjs', `export default { name: "m", description: "d", create() { return { name: "m", ${METHODS.replace('recover() {}', '')} }; } };\n`],
    ] as const) {
      const file = withModule(name, source);
      let code = 0;
      let stderr = '';
      try {
        execFileSync(process.execPath, [CLI, 'validate', file], { stdio: 'pipe' });
      } catch (err) {
        code = (err as { status: number }).status;
        stderr = String((err as { stderr: Buffer }).stderr);
      }
      expect(code).toBe(2);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`${file}:1:22: allocator.module: "./${name}"`);
      expect(stderr).toMatch(name === 'syntax.mjs' ? /does not load: SyntaxError: .* \(at syntax\.mjs:3\)/ : /lacks recover\(\), allocate\(\)/);
    }
  });
});

describe('a module that fails while the simulation runs is blamed by name (exit 3), and nothing is written', () => {
  test('an exception in allocate()', async () => {
    const file = withModule(
      'throws-late.mjs',
      `export default { name: "m", description: "d", create() { return { name: "m", ${METHODS},\n  allocate() { null.x; } }; } };\n`,
    );
    const out = join(tmp, 'late');
    const r = await cli('run', file, '--out', out);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^offersim: a bug in the allocator module \(see docs\/allocators\.md\): invariant broken at t=0 us in event allocate\(0\)@allocate: allocator module "\.\/throws-late\.mjs": allocate\(\) threw TypeError: .* \(at throws-late\.mjs:2:\d+\)\n$/,
    );
    expect(readdirSync(tmp).filter((f) => f.startsWith('late'))).toEqual([]);
  });

  test('an offer beyond the free resources', async () => {
    const file = withModule(
      'greedy.mjs',
      `export default { name: "m", description: "d", create() { return { name: "m", ${METHODS},\n  allocate(ctx, agents) { ctx.offer(0, agents[0], Float64Array.of(1e9, 0, 0, 0)); } }; } };\n`,
    );
    const r = await cli('run', file, '--out', join(tmp, 'greedy'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^offersim: internal error while running the allocator module "\.\/greedy\.mjs" \(most likely a bug in it: check it against docs\/allocators\.md\): invariant broken at t=0 us in event allocate\(0\)@allocate: allocator offered cpus:1000000;/,
    );
  });

  test('an exception outside any event (setWeight, before the run starts)', async () => {
    const file = withModule(
      'weights.mjs',
      `export default { name: "m", description: "d", create() { return { name: "m", ${METHODS.replace('setWeight() {}', 'setWeight() { throw new RangeError("no weights"); }')}, allocate() {} }; } };\n`,
      '',
    );
    writeFileSync(file, readFileSync(file, 'utf8') + 'roles: { r: { weight: 2 } }\n');
    const r = await cli('run', file, '--out', join(tmp, 'weights'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^offersim: a bug in the allocator module \(see docs\/allocators\.md\): allocator module "\.\/weights\.mjs": setWeight\(\) threw RangeError: no weights \(at weights\.mjs:1:\d+\)\n$/,
    );
  });
});

// ------------------------------------------------------------------ ranking-only modules

describe('a ranking-only module (share instead of create) is the hierarchical allocator with its share', () => {
  /**
   * A small cluster shared by a cpu-heavy role and a memory-heavy one, under the module `name` of
   * `source` written next to it; returns the scenario path.
   */
  function scenarioWith(name: string, source: string): string {
    const dir = mkdtempSync(join(tmp, 'share-'));
    writeFileSync(join(dir, name), source);
    const file = join(dir, 'two-roles.yaml');
    writeFileSync(
      file,
      [
        'seed: 3',
        `allocator: { module: ./${name} }`,
        'roles: { a: { weight: 1 }, b: { weight: 1 } }',
        'cluster: { agents: [ { count: 6, cpus: 8, mem: 16384 } ] }',
        'frameworks:',
        '  - { name: cpu, role: a, workload: { kind: poisson, rate: 0.5, until: 60, tasksPerJob: { uniform: [2, 8] }, task: { cpus: 2, mem: 1024, duration: { exponential: 20 } } } }',
        '  - { name: mem, role: b, workload: { kind: poisson, rate: 0.5, until: 60, tasksPerJob: { uniform: [2, 8] }, task: { cpus: 1, mem: 6144, duration: { exponential: 20 } } } }',
        '',
      ].join('\n'),
    );
    return file;
  }
  test('a share of cpus alone ranks as cpu-share does (same run), not as drf', async () => {
    // cpu-share is drf's sorters counting cpus only: share = cpus held / cpus total / weight, ties
    // by allocation count then name, as every share sorter breaks them. The module's share is
    // cpus held / cpus total (the sorter divides by the weight): the same order, hence the same
    // event stream, which drf's dominant share (the memory-heavy role's is its memory) does not give.
    const file = scenarioWith('cpus.mjs', 'export default { name: "cpus", description: "d", share: () => (a, t) => (t[0] > 0 ? a[0] / t[0] : 0) };\n');
    const module = simulateScenario(await openScenario(file)).fingerprint;
    expect(module).toBe(simulateScenario(loadScenario(file, ['allocator=cpu-share'])).fingerprint);
    expect(module).not.toBe(simulateScenario(loadScenario(file, ['allocator=drf'])).fingerprint);
  });

  test('a share that is not a finite number >= 0 stops the run (exit 3), the module blamed', async () => {
    const file = scenarioWith('nan.mjs', 'export default { name: "nan", description: "d", share: () => () => NaN };\n');
    const r = await cli('run', file, '--out', join(tmp, 'q-nan'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /allocator module "\.\/nan\.mjs": \w+\(\) threw RangeError: the share function returned NaN for client '[^']+'; a share is a finite number >= 0/,
    );
  });

  test('share(options) refusing the options is bad input, checked by validate', async () => {
    const file = scenarioWith(
      'picky.mjs',
      'export default { name: "picky", description: "d", share(options) {\n  if (options.granularity !== undefined && options.granularity !== "agent") throw new Error("agent only");\n  return () => 0;\n} };\n',
    );
    expect((await cli('validate', file)).code).toBe(0);
    const r = await cli('validate', file, '--set', 'master.offerGranularity=task');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/allocator\.module: "\.\/picky\.mjs": create\(options\) threw Error: agent only \(at picky\.mjs:2:\d+\)\n$/);
  });
});

test('InputError is what openScenario throws for a bad module (for library users)', async () => {
  await expect(openScenario(withModule('nope.js', undefined))).rejects.toBeInstanceOf(InputError);
});

describe('a module allocator and dynamic reservations', () => {
  const source = { spec: 'm.js', path: '/m.js', sha256: '' };
  test('reserve and unreserve reach the module when it has both (the master drops every RESERVE otherwise)', () => {
    const inner = getAllocator('drf')!.create({});
    const calls: string[] = [];
    const spy = Object.assign(Object.create(inner) as typeof inner, {
      reserve: (...args: unknown[]) => calls.push(`reserve ${String(args[2])}`),
      unreserve: (...args: unknown[]) => calls.push(`unreserve ${String(args[2])}`),
    });
    const guarded = guardAllocator(spy, source);
    guarded.reserve!(frameworkIx(0), agentIx(0), 'web', resources({ cpus: 1 }));
    guarded.unreserve!(frameworkIx(0), agentIx(0), 'web', resources({ cpus: 1 }));
    expect(calls).toEqual(['reserve web', 'unreserve web']);
    const without = Object.assign(Object.create(inner) as typeof inner, { reserve: undefined, unreserve: undefined });
    expect(guardAllocator(without, source).reserve).toBeUndefined();
  });
});
