/**
 * Hostile command lines for the fuzz suite: every command with positionals and flags drawn from
 * good values, bad values (seeds, --set paths and values, shards, worker counts) and awkward
 * paths (missing, a directory, under a regular file, an input, the working directory, /proc,
 * /dev/full), in a case directory holding small fixtures (a tiny scenario and sweep, a run, a
 * sweep and its two shards, a baseline, traces). Every path is inside the case directory but
 * /dev/null, /dev/full and /proc ones, which no command can delete. Test-only (excluded from the build).
 */
import fc from 'fast-check';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { ROOT } from './child.js';

/** A scenario that runs in milliseconds: two agents, two inline jobs. */
export const TINY_SCENARIO = `name: tiny
seed: 3
cluster:
  agents:
    - { count: 2, prefix: a-, cpus: 4, mem: 4096 }
frameworks:
  - name: f
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [ { cpus: 1, mem: 512, duration: 5, count: 3 } ] }
        - { submit: 2, tasks: [ { cpus: 2, mem: 1024, duration: 3 } ] }
`;

/** The tiny scenario with a two-point sweep (two allocators, one seed). */
export const TINY_SWEEP = `${TINY_SCENARIO.replace('name: tiny', 'name: tiny-sweep')}sweep:
  matrix:
    allocator: [drf, random]
  seeds: 1
`;

/**
 * The fixtures' files, written into `dir`. The run, sweep, shard and baseline directories are
 * made by commands (see {@link FIXTURE_COMMANDS}) in `dir` afterwards.
 */
export function writeFlagFixtures(dir: string): void {
  mkdirSync(join(dir, 'empty-dir'), { recursive: true });
  mkdirSync(join(dir, 'stranger-dir'), { recursive: true });
  writeFileSync(join(dir, 'stranger-dir', 'notes.txt'), "not offersim's\n");
  writeFileSync(join(dir, 'tiny.yaml'), TINY_SCENARIO);
  writeFileSync(join(dir, 'tiny-sweep.yaml'), TINY_SWEEP);
  writeFileSync(join(dir, 'file.txt'), 'a regular file\n');
  writeFileSync(join(dir, 'garbage.yaml'), Buffer.from([0x00, 0xff, 0xfe, 0x3a, 0x0a, 0x2a, 0x7b, 0x5b, 0x0a]));
  writeFileSync(join(dir, 'notjson.json'), '{ "metrics": ');
  const fx = (f: string): string => join(ROOT, 'workloads', 'trace', 'fixtures', f);
  copyFileSync(fx('small.swf'), join(dir, 'small.swf'));
  writeFileSync(join(dir, 'small.swf.gz'), gzipSync(readFileSync(fx('small.swf'))));
  writeFileSync(join(dir, 'corrupt.gz'), gzipSync(readFileSync(fx('small.swf'))).subarray(0, 40));
  copyFileSync(fx('small-google-task-events.csv'), join(dir, 'google-tasks.csv'));
  copyFileSync(fx('small-google-job-events.csv'), join(dir, 'google-jobs.csv'));
  copyFileSync(fx('swim-fb2009.tsv'), join(dir, 'swim.tsv'));
  copyFileSync(fx('openb-pods.csv'), join(dir, 'pods.csv'));
  copyFileSync(fx('openb-nodes.csv'), join(dir, 'nodes.csv'));
  copyFileSync(fx('machine-meta.csv'), join(dir, 'machines.csv'));
  copyFileSync(fx('small.jsonl'), join(dir, 'small.jsonl'));
}

/** Commands that make the fixtures' output directories, in order, run in the fixture directory. */
export const FIXTURE_COMMANDS: readonly (readonly string[])[] = [
  ['run', 'tiny.yaml', '--out', 'run', '--events'],
  ['run', 'tiny.yaml', '--out', 'broken-run'],
  ['sweep', 'tiny-sweep.yaml', '--out', 'sweep', '--workers', '1'],
  ['sweep', 'tiny-sweep.yaml', '--out', 'shard0', '--workers', '1', '--shard', '0/2'],
  ['sweep', 'tiny-sweep.yaml', '--out', 'shard1', '--workers', '1', '--shard', '1/2'],
  ['check', 'run', '--baseline', 'baseline.json', '--update-baseline'],
];

/** After {@link FIXTURE_COMMANDS}: a run directory whose summary.json is cut short. */
export function breakFixtureRun(dir: string): void {
  writeFileSync(join(dir, 'broken-run', 'summary.json'), '{ "jobs": ');
}

const COMMANDS = ['run', 'validate', 'sweep', 'merge', 'check', 'compare', 'report', 'import', 'list', 'verify', 'bogus', '', '--help', '--version'] as const;

/** Paths that name no usable input or output in some way. */
const AWKWARD_PATHS = [
  'missing.yaml',
  'missing-dir',
  'file.txt',
  'file.txt/x',
  'empty-dir',
  'stranger-dir',
  '.',
  '..',
  '',
  '-',
  '--',
  ' ',
  '/dev/null',
  '/proc/self/status',
  `${'x'.repeat(300)}.yaml`,
  'deep/a/b/c',
  'garbage.yaml',
  'notjson.json',
];

/** Positionals by what a command expects, mixed with {@link AWKWARD_PATHS}. */
const POSITIONALS: Readonly<Record<string, readonly string[]>> = {
  scenario: ['tiny.yaml', 'tiny-sweep.yaml'],
  dir: ['run', 'broken-run', 'sweep', 'shard0', 'shard1', 'run/manifest.json'],
  format: ['swf', 'google-2011', 'swim', 'alibaba-openb-pods', 'alibaba-openb-nodes', 'alibaba-2018-machines', 'canonical', 'nope', '__proto__', 'toString'],
  trace: ['small.swf', 'small.swf.gz', 'corrupt.gz', 'google-tasks.csv', 'swim.tsv', 'pods.csv', 'nodes.csv', 'machines.csv', 'small.jsonl'],
  list: ['allocators', 'frameworks', 'formats', 'nope'],
};

/** What each command's positionals are. */
const SHAPES: Readonly<Record<string, readonly (keyof typeof POSITIONALS)[]>> = {
  run: ['scenario'],
  validate: ['scenario'],
  sweep: ['scenario'],
  merge: ['dir', 'dir'],
  check: ['dir'],
  compare: ['dir', 'dir'],
  report: ['dir'],
  import: ['format', 'trace'],
  list: ['list'],
  verify: ['dir'],
};

const NUMBERS = ['0', '1', '2', '-1', '-0', '1.5', '1e3', '0x10', 'abc', '', 'NaN', 'Infinity', ' 7', '4294967295', '4294967296', '9007199254740993', '1e308'];

/** Flags and their values (null: the flag alone). */
const FLAGS: Readonly<Record<string, readonly (string | null)[]>> = {
  '--seed': [...NUMBERS, null],
  '--set': [
    'seed=[1',
    '__proto__.x=1',
    'constructor.prototype.x=1',
    'frameworks.0.__proto__.x=1',
    'frameworks.99.name=x',
    'frameworks.-1.name=x',
    'a..b=1',
    '=1',
    'x',
    'x=',
    'duration=1e308',
    'duration=.nan',
    'duration=10',
    'frameworks.0.workload.jobs.0.submit=1e21',
    'cluster.agents.0.count=35000001',
    'cluster.agents.0.mem=1e21',
    'name=..',
    'name=',
    'output.sampleInterval=1e-300',
    'frameworks=[]',
    'cluster=',
    'seed=!!binary aGk=',
    'seed=*x',
    'seed=&a [*a]',
    'seed=2001-12-14',
    'allocator=nope',
    'allocator=random',
    'frameworks.0.name=.',
    'frameworks.0.role=..',
    'sweep.matrix.seed=[1]',
    'seed.x=1',
    'frameworks.0=',
    null,
  ],
  '--out': [
    'out',
    'run',
    'sweep',
    'shard0',
    'empty-dir',
    'stranger-dir',
    'file.txt',
    'file.txt/out',
    '.',
    '..',
    '',
    'deep/a/b',
    'tiny.yaml',
    'small.swf',
    '/proc/offersim-fuzz/out',
    '/dev/full',
    'x'.repeat(300),
    'out.jsonl',
    'run/manifest.json',
    null,
  ],
  '--workers': [...NUMBERS, null],
  '--shard': ['0/1', '1/2', '2/2', '-1/2', 'a/b', '1/0', '0/99999999999999999999', '0/', '/', '1/1/1', '0.5/2', '', null],
  '--baseline': ['baseline.json', 'missing.json', 'notjson.json', 'garbage.yaml', 'file.txt/x', 'run', 'run/summary.json', null],
  '--markdown': ['md.md', 'file.txt/md', '/dev/full', 'empty-dir', '', null],
  '--csv': ['out.csv', 'md.md', 'file.txt', 'sweep/out.csv', 'run/summary.json', '/dev/full', '', null],
  '--reference': ['drf', 'random', 'nope', '', '__proto__', null],
  '--by': ['master.offerGranularity', 'frameworks.0.workload.rate', 'a..b', '__proto__', 'constructor.prototype', '', null],
  '--metrics': ['utilisation_cpus', 'utilisation_cpus,makespan_s', 'end_reason', 'nope', ',', '', '__proto__', null],
  '--frameworks': [null],
  '--allow-different-workloads': [null],
  '--option': [
    'tasks=gang',
    'tasks=x',
    'cpusPerProcessor=-1',
    'cpusPerProcessor=1e308',
    'jobEvents=google-jobs.csv',
    'jobEvents=missing.csv',
    'jobEvents=empty-dir',
    '=1',
    'x',
    '__proto__=1',
    'constructor=1',
    'maxMapsPerJob=1e308',
    null,
  ],
  '--events': [null, 'true', 'false', 'x'],
  '--report': [null],
  '--force': [null],
  '--strict': [null],
  '--all': [null],
  '--no-png': [null],
  '--update-baseline': [null],
  '--tolerance': ['0.1'],
  '--nope': [null, 'x'],
  '-x': [null],
  '--help': [null],
  '--version': [null],
};

/** The flags each command takes; others are drawn now and then from {@link FLAGS}. */
const OWN_FLAGS: Readonly<Record<string, readonly string[]>> = {
  run: ['--seed', '--set', '--out', '--force', '--events', '--report'],
  validate: ['--set'],
  sweep: ['--out', '--workers', '--shard', '--set'],
  merge: ['--out'],
  check: ['--baseline', '--update-baseline', '--markdown', '--all'],
  compare: ['--reference', '--by', '--metrics', '--frameworks', '--markdown', '--csv', '--allow-different-workloads'],
  report: ['--no-png'],
  import: ['--out', '--force', '--option', '--strict'],
};

/** One flag out of `names`: its value (or none), written `--flag value` or `--flag=value`. */
const flagArb = (names: readonly string[]): fc.Arbitrary<string[]> =>
  fc
    .constantFrom(...names)
    .chain((name) =>
      fc.tuple(fc.constantFrom(...FLAGS[name]!), fc.boolean()).map(([v, joined]) => (v === null ? [name] : joined ? [`${name}=${v}`] : [name, v])),
    );

/** A positional of `kind`: mostly a sensible one, sometimes an awkward path. */
const positionalArb = (kind: keyof typeof POSITIONALS): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...POSITIONALS[kind]!) }, { weight: 1, arbitrary: fc.constantFrom(...AWKWARD_PATHS) });

/**
 * A command line: a command (mostly a real one), its positionals (one more or fewer at times),
 * and up to four flags, mostly the command's own.
 */
export const argvArb: fc.Arbitrary<string[]> = fc
  .oneof({ weight: 6, arbitrary: fc.constantFrom(...Object.keys(OWN_FLAGS)) }, { weight: 1, arbitrary: fc.constantFrom(...COMMANDS) })
  .chain((cmd) => {
    const shape = SHAPES[cmd] ?? [];
    const own = OWN_FLAGS[cmd] ?? [];
    const flag =
      own.length === 0 ? flagArb(Object.keys(FLAGS)) : fc.oneof({ weight: 5, arbitrary: flagArb(own) }, { weight: 1, arbitrary: flagArb(Object.keys(FLAGS)) });
    return fc
      .tuple(
        fc.tuple(...shape.map(positionalArb)) as fc.Arbitrary<string[]>,
        fc.constantFrom(0, 0, 0, 1, -1),
        fc.array(flag, { maxLength: 4 }),
        fc.constantFrom(...AWKWARD_PATHS),
      )
      .map(([pos, extra, flags, more]) => {
        const p = extra > 0 ? [...pos, more] : extra < 0 ? pos.slice(0, -1) : pos;
        return [...(cmd === '' ? [] : [cmd]), ...p, ...flags.flat()];
      });
  });
