/**
 * The fuzz suite's findings, each reduced by hand to a small input (docs/fuzzing.md): files, the
 * commands that must each end with exit 2 and a message naming the input, and what this revision
 * did instead. Run by scenarios/fuzz-regressions.test.ts. Test-only (excluded from the build).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './child.js';
import { TINY_SCENARIO, TINY_SWEEP } from './fuzz-flags.js';

/** One finding as a regression case. */
export interface Regression {
  /** what the input is, in a few words */
  readonly name: string;
  /** files written into the case directory first, by relative path */
  readonly files: Readonly<Record<string, string | Buffer>>;
  /** commands run first in the case directory, each of which must exit 0; default none */
  readonly setup?: readonly (readonly string[])[];
  /** the commands under test, run in the case directory ({dir} is its absolute path); each must exit 2 */
  readonly commands: readonly (readonly string[])[];
  /** text every message must contain: the file, line, field or flag it blames */
  readonly names: string;
  /** the exit codes a command may end with; default [2] (0 where doing what was asked is as right as refusing it) */
  readonly codes?: readonly number[];
  /** run the commands but validate in a child process (they run simulations or write into the working directory); default in the worker */
  readonly child?: boolean;
  /** the source file where the fix most likely belongs */
  readonly fix: string;
  /** what this revision does: exit code and the first line of stderr */
  readonly found: string;
  /** the fix has not landed on this revision: the case is `test.failing` until it does */
  readonly open: boolean;
}

/** A scenario: two agents (4 cpus, 4096 MB), framework f with one inline job of one task (1 cpu, 512 MB, 5 s). */
const SMALL = `cluster:
  agents:
    - { count: 2, cpus: 4, mem: 4096 }
frameworks:
  - name: f
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [ { cpus: 1, mem: 512, duration: 5 } ] }
`;

/** {@link SMALL} with `from` replaced by `to` (asserted to occur). */
function small(from: string, to: string): string {
  if (!SMALL.includes(from)) throw new Error(`not in the scenario: ${from}`);
  return SMALL.replace(from, to);
}

/** A scenario replaying `file` (format `format`, entry fields `extra`) into framework f. */
const replay = (file: string, format: string, extra = ''): string => `cluster:
  agents:
    - { count: 2, cpus: 8, mem: 4096 }
frameworks: [ { name: f } ]
traces: [ { file: ${file}, format: ${format}, framework: f${extra} } ]
`;

/** A Poisson workload of framework f, with `fields` in its flow mapping. */
const poisson = (fields: string): string => `cluster:
  agents:
    - { count: 2, cpus: 4, mem: 4096 }
frameworks:
  - name: f
    workload: { kind: poisson, ${fields}, task: { cpus: 1, mem: 512, duration: 5 } }
`;

const SWF_FIXTURE = readFileSync(join(ROOT, 'workloads', 'trace', 'fixtures', 'small.swf'));
const SWIM_HEAD = 'job0\t10\t10\t134217728\t0\t0\njob1\t20\t10\t134217728\t0\t0\n';
/** validate (in the worker: by absolute path) and run (in the case directory) of scenario file `f`. */
const validateAndRun = (f: string): string[][] => [
  ['validate', `{dir}/${f}`],
  ['run', f, '--out', 'out'],
];
const LONG_NAME = 'x'.repeat(300);

/**
 * Every finding, by where its fix belongs; first, inputs of the same kinds that this revision
 * already refuses cleanly (they show the check passes on a clean refusal, and keep it so).
 */
export const REGRESSIONS: readonly Regression[] = [
  // ---- handled on this revision
  {
    name: 'a seed of the wrong type',
    files: { 'case.yaml': `seed: x\n${SMALL}` },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml:1',
    fix: 'scenarios/schema.ts',
    found: 'exit 2: case.yaml:1:7: seed: Invalid input: expected number, received string',
    open: false,
  },
  {
    name: 'a line indented with a tab',
    files: { 'case.yaml': SMALL.replace('  agents:', '\tagents:') },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml:2',
    fix: 'scenarios/loader.ts',
    found: 'exit 2: case.yaml:2:1: syntax: Tabs are not allowed as indentation',
    open: false,
  },
  {
    name: 'a key written twice',
    files: { 'case.yaml': `seed: 1\nseed: 2\n${SMALL}` },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml:2',
    fix: 'scenarios/loader.ts',
    found: 'exit 2: case.yaml:2:1: syntax: Map keys must be unique',
    open: false,
  },
  {
    name: 'a file cut inside a flow mapping',
    files: { 'case.yaml': SMALL.slice(0, SMALL.indexOf('cpus: 4') + 5) },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml:3',
    fix: 'scenarios/loader.ts',
    found: 'exit 2: case.yaml:3:... syntax: ...',
    open: false,
  },
  {
    name: '--set constructor.prototype.x',
    files: { 'case.yaml': SMALL },
    commands: [['validate', '{dir}/case.yaml', '--set', 'constructor.prototype.x=1']],
    names: '--set',
    fix: 'scenarios/loader.ts',
    found: 'exit 2: --set: constructor.prototype.x: constructor is not a mapping or list',
    open: false,
  },
  {
    name: 'run --seed abc',
    files: { 'case.yaml': SMALL },
    commands: [['run', 'case.yaml', '--seed', 'abc', '--out', 'out']],
    names: '--seed',
    child: true,
    fix: 'scenarios/main.ts',
    found: 'exit 2: --seed: expected an integer from 0 to 4294967295, got abc',
    open: false,
  },
  {
    name: 'run --out /dev/full (an existing file)',
    files: { 'case.yaml': SMALL },
    commands: [['run', 'case.yaml', '--out', '/dev/full', '--force']],
    names: '/dev/full',
    child: true,
    fix: 'scenarios/output-guard.ts',
    found: 'exit 2: /dev/full: --out names an existing file, not a directory',
    open: false,
  },
  {
    name: 'import of a directory',
    files: { 'case.yaml': SMALL },
    commands: [['import', 'swf', '{dir}', '--out', '{dir}/out.jsonl']],
    names: 'is a directory',
    fix: 'scenarios/trace-import.ts',
    found: 'exit 2: <dir>: is a directory, not a trace file',
    open: false,
  },
  // ---- scenario text and --set (scenarios/loader.ts)
  {
    name: 'an alias of no anchor',
    files: { 'case.yaml': `seed: *nope\n${SMALL}` },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml',
    fix: 'scenarios/loader.ts',
    found: 'exit 3: internal error (a bug): ReferenceError: Unresolved alias (the anchor must be set before the alias): nope',
    open: false,
  },
  {
    name: 'an alias bomb (10^4 items from 40 written)',
    files: {
      'case.yaml': `description: [&a [x, x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]]\n${SMALL}`,
    },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml',
    fix: 'scenarios/loader.ts',
    found: 'exit 3: internal error (a bug): ReferenceError: Excessive alias count indicates a resource exhaustion attack',
    open: false,
  },
  {
    name: '--set with a value that is not YAML',
    files: { 'case.yaml': SMALL },
    commands: [['validate', '{dir}/case.yaml', '--set', 'seed=[1']],
    names: '--set',
    fix: 'scenarios/loader.ts (--set values)',
    found: 'exit 3: internal error (a bug): YAMLParseError: Flow sequence must end with a ] at line 1, column 3:',
    open: false,
  },
  {
    name: '--set with an alias of no anchor',
    files: { 'case.yaml': SMALL },
    commands: [['validate', '{dir}/case.yaml', '--set', 'seed=*x']],
    names: '--set',
    fix: 'scenarios/loader.ts (--set values)',
    found: 'exit 3: internal error (a bug): ReferenceError: Unresolved alias (the anchor must be set before the alias): x',
    open: false,
  },
  {
    name: '--set __proto__.x (changes Object.prototype)',
    files: { 'case.yaml': SMALL },
    commands: [['validate', '{dir}/case.yaml', '--set', '__proto__.x=1']],
    names: '--set',
    fix: 'scenarios/loader.ts (setPath)',
    found: "exit 3: internal error (a bug): TypeError: Cannot read properties of undefined (reading 'values'); Object.prototype.x set",
    open: false,
  },
  {
    name: '--set frameworks.0.__proto__.x',
    files: { 'case.yaml': SMALL },
    commands: [['validate', '{dir}/case.yaml', '--set', 'frameworks.0.__proto__.x=1']],
    names: '--set',
    fix: 'scenarios/loader.ts (setPath)',
    found: "exit 3: internal error (a bug): TypeError: Cannot read properties of undefined (reading 'values'); Object.prototype.x set",
    open: false,
  },
  // ---- values validate accepts and run cannot do (scenarios/schema.ts bounds, loader.ts checks)
  {
    name: 'agent mem 1e21 MB (beyond the fixed-point range)',
    files: { 'case.yaml': small('mem: 4096', 'mem: 1e21') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found:
      "validate exit 0; run exit 3: invariant broken at t=5000000 us in event task-finish(0)@release: sorter: client 'f' unallocated cpus:1;mem:512;..., more than it holds",
    open: false,
  },
  {
    name: 'an agent group added at 1e21 s (validate itself fails)',
    files: { 'case.yaml': small('mem: 4096 }', 'mem: 4096, addAt: 1e21 }') },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml',
    fix: 'scenarios/schema.ts',
    found: 'exit 3: internal error (a bug): RangeError: time 1e+21 s is beyond 2^53 microseconds',
    open: false,
  },
  {
    name: 'agent cpus 1e308',
    files: { 'case.yaml': small('cpus: 4,', 'cpus: 1e308,') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found:
      'validate exit 0; run exit 3: invariant broken at t=0 us in event allocate(0)@allocate: agent agent-0: free cpus:NaN;... + offered cpus:Infinity;...',
    open: false,
  },
  {
    name: 'an inline job submitted at 2^31 s (beyond 2^45 us)',
    files: { 'case.yaml': small('submit: 0,', 'submit: 2147483648,') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found:
      'validate exit 0; run exit 3: invariant broken at t=0 us: event time 2147483648000000 us is beyond the 35184372088832 us (about 407 days) the event list holds',
    open: false,
  },
  {
    name: 'a framework added at 2^32 s',
    files: { 'case.yaml': `${SMALL}    addAt: 4294967296\n` },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found:
      'validate exit 0; run exit 3: invariant broken at t=0 us: event time 4294967296000000 us is beyond the 35184372088832 us (about 407 days) the event list holds',
    open: false,
  },
  {
    name: 'output.sampleInterval 1e15 s',
    files: { 'case.yaml': `${SMALL}output: { sampleInterval: 1e15 }\n` },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found: 'validate exit 0; run exit 3: internal error (a bug): RangeError: time 1000000000000000 s is beyond 2^53 microseconds',
    open: false,
  },
  {
    name: 'a task duration of 1e21 s',
    files: { 'case.yaml': small('duration: 5 }', 'duration: 1e21 }') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found: 'validate exit 0; run exit 3: internal error (a bug): RangeError: time 1e+21 s is beyond 2^53 microseconds',
    open: false,
  },
  {
    name: 'a Poisson workload until 1e308 s',
    files: { 'case.yaml': poisson('rate: 1, until: 1e308') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found: 'validate exit 0; run exit 3: internal error (a bug): RangeError: time 1e+308 s is beyond 2^53 microseconds',
    open: false,
  },
  {
    name: 'an exponential task duration of mean 2^53 s',
    files: { 'case.yaml': poisson('rate: 1, until: 10').replace('duration: 5', 'duration: { exponential: 9007199254740994 }') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found:
      'validate exit 0; run exit 3: invariant broken at t=... us in event deliver-offers(0)@offer: event time 1.38...e+22 is not an integer of microseconds',
    open: false,
  },
  {
    name: 'random failures with mtbf 1e-299 s',
    files: { 'case.yaml': `${SMALL}failures: { random: { mtbf: 1e-299 } }\n` },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts',
    found: 'validate exit 0; run exit 3: internal error (a bug): RangeError: mtbf must be > 0 us, got 0',
    open: false,
  },
  {
    name: 'a framework named "."',
    files: { 'case.yaml': small('name: f', 'name: "."') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts (name characters)',
    found: "validate exit 0; run exit 3: invariant broken at t=0 us in event framework-add(0)@arrival: sorter: invalid client path '.'",
    open: false,
  },
  {
    name: 'a job submitted before its framework subscribes',
    files: { 'case.yaml': `${SMALL}    addAt: 5\n` },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/loader.ts (semantic checks) or the model',
    found: 'validate exit 0; run exit 3: invariant broken at t=0 us in event job-arrival(0)@arrival: job f/0 arrived before framework f subscribed',
    open: false,
  },
  {
    // Fixed by taking scaled times to whole microseconds: the second job, scaled past the latest
    // instant, is not read ('after-end' in the manifest's trace counts), as any job after the run.
    name: 'a trace timeScale of 2^32',
    files: { 'small.swf': SWF_FIXTURE, 'case.yaml': replay('small.swf', 'swf', ', timeScale: 4294967296') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    codes: [0, 2],
    fix: 'scenarios/schema.ts',
    found:
      'validate exit 0; run exit 3: invariant broken at t=0 us in event job-arrival(0)@arrival: event time 42949672960000000 is not an integer of microseconds',
    open: false,
  },
  {
    name: 'a trace option the importer refuses',
    files: { 'small.swf': SWF_FIXTURE, 'case.yaml': replay('small.swf', 'swf', ', options: { tasks: nope }') },
    commands: validateAndRun('case.yaml'),
    names: 'traces[0].options',
    child: true,
    fix: 'scenarios/loader.ts (traceChecks)',
    found: 'validate exit 0; run exit 2: <dir>/small.swf: traces[0].options: swf tasks must be one of gang, single',
    open: false,
  },
  {
    name: 'a Poisson rate of 1e308 jobs a second (never ends)',
    files: { 'case.yaml': poisson('rate: 1e308, until: 10') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts or loader.ts (size estimate)',
    found: 'validate exit 0; run still running after 25 s (the brief: grows to 6 GB)',
    open: false,
  },
  {
    name: 'tasksPerJob uniform up to 1e308',
    files: { 'case.yaml': poisson('rate: 1, until: 10, tasksPerJob: { uniform: [1, 1e308] }') },
    commands: validateAndRun('case.yaml'),
    names: 'case.yaml',
    child: true,
    fix: 'scenarios/schema.ts or loader.ts (size estimate)',
    found: 'validate exit 0; run still running after the budget',
    open: false,
  },
  {
    name: '35,000,001 agents (validate never ends)',
    files: { 'case.yaml': small('count: 2,', 'count: 35000001,') },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'case.yaml',
    fix: 'scenarios/loader.ts (size estimate before buildAgents)',
    found: 'validate still running after 25 s',
    open: false,
  },
  // ---- flags (scenarios/main.ts)
  {
    name: 'run --out given twice',
    files: { 'case.yaml': SMALL },
    commands: [['run', 'case.yaml', '--out', 'a', '--out', 'b']],
    names: '--out',
    child: true,
    fix: 'scenarios/main.ts (repeated flags)',
    found: 'exit 3: internal error (a bug): TypeError: dir.trim is not a function',
    open: false,
  },
  {
    name: 'sweep --shard given twice',
    files: { 'sweep.yaml': TINY_SWEEP },
    commands: [['sweep', 'sweep.yaml', '--shard', '0/2', '--shard', '1/2', '--out', 'out']],
    names: '--shard',
    child: true,
    fix: 'scenarios/main.ts (repeated flags)',
    found: 'exit 3: internal error (a bug): TypeError: text.trim is not a function',
    open: false,
  },
  {
    name: 'import --out given twice',
    files: { 'small.swf': SWF_FIXTURE },
    commands: [['import', 'swf', 'small.swf', '--out=a.jsonl', '--out=b.jsonl']],
    names: '--out',
    child: true,
    fix: 'scenarios/main.ts (repeated flags)',
    found: 'exit 3: internal error (a bug): TypeError: out.trim is not a function',
    open: false,
  },
  // ---- output paths (scenarios/run.ts, sweep.ts, main.ts check --markdown)
  {
    name: 'run --out under a regular file',
    files: { 'case.yaml': SMALL, 'file.txt': 'a file\n' },
    commands: [['run', 'case.yaml', '--out', 'file.txt/x']],
    names: 'file.txt/x',
    child: true,
    fix: 'scenarios/run.ts',
    found: "exit 3: internal error (a bug): Error: ENOTDIR: not a directory, unlink '<dir>/file.txt/x.partial-<pid>'",
    open: false,
  },
  {
    name: 'run --out with a 300-character name',
    files: { 'case.yaml': SMALL },
    commands: [['run', 'case.yaml', '--out', LONG_NAME]],
    names: 'xxxxxxxxxx',
    child: true,
    fix: 'scenarios/run.ts',
    found: "exit 3: internal error (a bug): Error: ENAMETOOLONG: name too long, unlink '<dir>/xxx....partial-<pid>'",
    open: false,
  },
  {
    name: 'merge --out with a 300-character name',
    files: { 'sweep.yaml': TINY_SWEEP },
    setup: [
      ['sweep', 'sweep.yaml', '--out', 'shard0', '--workers', '1', '--shard', '0/2'],
      ['sweep', 'sweep.yaml', '--out', 'shard1', '--workers', '1', '--shard', '1/2'],
    ],
    commands: [['merge', 'shard0', 'shard1', '--out', LONG_NAME]],
    names: 'xxxxxxxxxx',
    child: true,
    fix: 'scenarios/sweep.ts (merge)',
    found: "exit 3: internal error (a bug): Error: ENAMETOOLONG: name too long, mkdir 'xxx...'",
    open: false,
  },
  {
    name: 'merge --out under a regular file',
    files: { 'sweep.yaml': TINY_SWEEP, 'file.txt': 'a file\n' },
    setup: [
      ['sweep', 'sweep.yaml', '--out', 'shard0', '--workers', '1', '--shard', '0/2'],
      ['sweep', 'sweep.yaml', '--out', 'shard1', '--workers', '1', '--shard', '1/2'],
    ],
    commands: [['merge', 'shard0', 'shard1', '--out', 'file.txt/m']],
    names: 'file.txt/m',
    child: true,
    fix: 'scenarios/sweep.ts (merge)',
    found: "exit 3: internal error (a bug): Error: ENOTDIR: not a directory, mkdir 'file.txt/m'",
    open: false,
  },
  {
    name: 'import --out under a regular file',
    files: { 'small.swf': SWF_FIXTURE, 'file.txt': 'a file\n' },
    commands: [['import', 'swf', '{dir}/small.swf', '--out', '{dir}/file.txt/x.jsonl']],
    names: 'file.txt/x.jsonl',
    fix: 'scenarios/trace-import.ts',
    found: "exit 3: internal error (a bug): Error: ENOTDIR: not a directory, open '<dir>/file.txt/x.jsonl.partial-<pid>'",
    open: false,
  },
  {
    name: 'import --out in a directory that does not exist',
    files: { 'small.swf': SWF_FIXTURE },
    commands: [['import', 'swf', '{dir}/small.swf', '--out', '{dir}/nodir/x.jsonl']],
    names: 'nodir',
    codes: [0, 2],
    fix: 'scenarios/trace-import.ts',
    found: "exit 3: internal error (a bug): Error: ENOENT: no such file or directory, open '<dir>/nodir/x.jsonl.partial-<pid>'",
    open: false,
  },
  {
    name: 'check --markdown on a full disk (/dev/full)',
    files: { 'case.yaml': TINY_SCENARIO },
    setup: [
      ['run', 'case.yaml', '--out', 'r'],
      ['check', 'r', '--baseline', 'b.json', '--update-baseline'],
    ],
    commands: [['check', 'r', '--baseline', 'b.json', '--markdown', '/dev/full']],
    names: '/dev/full',
    child: true,
    fix: 'scenarios/main.ts (check --markdown) or an output helper',
    found: 'exit 3: internal error (a bug): Error: ENOSPC: no space left on device, write',
    open: false,
  },
  {
    name: 'check of a run whose summary.json is cut short',
    files: { 'br/summary.json': '{ "jobs": ' },
    commands: [
      ['check', 'br', '--baseline', 'b.json', '--update-baseline', '--all'],
      ['check', 'br', '--baseline', 'b.json'],
    ],
    names: 'summary.json: not JSON',
    child: true,
    fix: 'scenarios/check.ts (readRunSummary)',
    found: 'exit 3: internal error (a bug): SyntaxError: Unexpected end of JSON input (check; FC_SEED 7)',
    open: false,
  },
  {
    name: 'check --markdown under a regular file',
    files: { 'case.yaml': TINY_SCENARIO, 'file.txt': 'a file\n' },
    setup: [
      ['run', 'case.yaml', '--out', 'r'],
      ['check', 'r', '--baseline', 'b.json', '--update-baseline'],
    ],
    commands: [['check', 'r', '--baseline', 'b.json', '--markdown', 'file.txt/md']],
    names: 'file.txt/md',
    child: true,
    fix: 'scenarios/main.ts (check --markdown) or an output helper',
    found: "exit 3: internal error (a bug): Error: ENOTDIR: not a directory, open 'file.txt/md'",
    open: false,
  },
  // ---- trace files and rows (scenarios/trace-import.ts, trace-files.ts, trace-source.ts, workloads/trace/*)
  {
    name: 'import of a gzip file cut short',
    files: { 'cut.gz': gzipSync(SWF_FIXTURE).subarray(0, 40) },
    commands: [['import', 'swf', '{dir}/cut.gz', '--out', '{dir}/out.jsonl']],
    names: 'cut.gz',
    fix: 'scenarios/trace-import.ts (fileLines)',
    found: 'exit 3: internal error (a bug): Error: unexpected end of file (in a worker thread: an uncaught stream error)',
    open: false,
  },
  {
    name: 'a scenario job trace that is a directory',
    files: { 'case.yaml': replay('.', 'swf') },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'traces[0].file',
    fix: 'scenarios/loader.ts (traceChecks) or trace-files.ts',
    found: 'exit 3: internal error (a bug): Error: EISDIR: illegal operation on a directory, read',
    open: false,
  },
  {
    name: 'a scenario cluster trace that is a directory',
    files: { 'case.yaml': 'cluster:\n  traces: [ { file: ., format: canonical } ]\nframeworks: [ { name: f } ]\n' },
    commands: [['validate', '{dir}/case.yaml']],
    names: 'cluster.traces[0].file',
    fix: 'scenarios/loader.ts (traceChecks) or trace-files.ts',
    found: 'exit 3: internal error (a bug): Error: EISDIR: illegal operation on a directory, read',
    open: false,
  },
  {
    name: 'a scenario trace that is a gzip file cut short',
    files: { 'cut.gz': gzipSync(SWF_FIXTURE).subarray(0, 40), 'case.yaml': replay('cut.gz', 'swf') },
    commands: validateAndRun('case.yaml'),
    names: 'cut.gz',
    child: true,
    fix: 'scenarios/trace-files.ts (prepareTraces)',
    found: 'exit 3: internal error (a bug): Error: unexpected end of file',
    open: false,
  },
  {
    name: 'a scenario trace that is empty',
    files: { 'empty.txt': '', 'case.yaml': replay('empty.txt', 'alibaba-openb-pods') },
    commands: validateAndRun('case.yaml'),
    names: 'empty.txt: traces[0].file: gives the run no job: has no data rows',
    child: true,
    fix: 'scenarios/trace-files.ts (prepareTraces)',
    found: 'validate exit 0, run exit 2: <dir>/empty.txt: traces[0].file: gives the run no job: has no data rows; ...',
    open: false,
  },
  {
    name: 'a scenario trace of comment lines only',
    files: {
      'head.swf': SWF_FIXTURE.toString('utf8')
        .split('\n')
        .filter((l) => l.startsWith(';'))
        .join('\n'),
      'case.yaml': replay('head.swf', 'swf'),
    },
    commands: validateAndRun('case.yaml'),
    names: 'head.swf: traces[0].file: gives the run no job: has no data rows; the file is swf but no row was usable',
    child: true,
    fix: 'scenarios/trace-files.ts (prepareTraces)',
    found: 'validate exit 0, run exit 2: <dir>/head.swf: traces[0].file: gives the run no job: has no data rows; the file is swf but no row was usable',
    open: false,
  },
  // The same with rows that import but that the scenario's mapping leaves unsubmitted: validate
  // reads each trace as the run starts it, up to its first job (scenarios/build.ts checkTraceStarts).
  {
    name: 'a scenario trace whose window opens after its last job',
    files: { 'small.swf': SWF_FIXTURE, 'case.yaml': replay('small.swf', 'swf', ', window: { from: 2147483648 }') },
    commands: validateAndRun('case.yaml'),
    names: 'small.swf: traces[0].file: gives the run no job: none of its 4 jobs was submitted (before-window 4)',
    child: true,
    fix: 'scenarios/build.ts (checkTraceStarts)',
    found: 'validate exit 0, run exit 2 (the same message)',
    open: false,
  },
  {
    name: 'a scenario trace none of whose jobs fits an agent',
    files: { 'small.swf': SWF_FIXTURE, 'case.yaml': replay('small.swf', 'swf').replace('cpus: 8', 'cpus: 0.5') },
    commands: validateAndRun('case.yaml'),
    names: 'small.swf: traces[0].file: gives the run no job: none of its 4 jobs was submitted (fits-nowhere 4)',
    child: true,
    fix: 'scenarios/build.ts (checkTraceStarts)',
    found: 'validate exit 0, run exit 2 (the same message)',
    open: false,
  },
  {
    name: 'a scenario trace routed by an attribute no job has',
    files: { 'small.swf': SWF_FIXTURE, 'case.yaml': replay('small.swf', 'swf').replace('framework: f', 'frameworkBy: nope') },
    commands: validateAndRun('case.yaml'),
    names: 'small.swf: traces[0].file: gives the run no job: none of its 4 jobs was submitted (no-nope 4)',
    child: true,
    fix: 'scenarios/build.ts (checkTraceStarts)',
    found: 'validate exit 0, run exit 2 (the same message)',
    open: false,
  },
  {
    name: 'a strict scenario trace with a bad row read during the run',
    files: { 'st.tsv': `${SWIM_HEAD}job2\t30\t10\tx\t0\t0\n`, 'case.yaml': replay('st.tsv', 'swim', ', strict: true') },
    commands: [['run', 'case.yaml', '--out', 'out']],
    names: 'st.tsv:3',
    child: true,
    fix: 'scenarios/trace-source.ts',
    found:
      'exit 3: internal error (a bug): invariant broken at t=... us in event job-arrival(0)@arrival: <dir>/st.tsv:3:1: field 4 (map input bytes) is not a number: "x" (number)',
    open: false,
  },
  {
    name: 'import --strict: a SWIM row of 2^64 input bytes (a task of 2199023257 s)',
    files: { 'ab.tsv': `job0\t10\t10\t18446744073709551615\t0\t0\n${SWIM_HEAD.replace(/job/g, 'next')}` },
    commands: [['import', 'swim', '{dir}/ab.tsv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'ab.tsv:1',
    fix: 'workloads/trace/swim.ts',
    found: 'exit 0: the job imports with 1000 tasks of duration 2199023257.552 s',
    open: false,
  },
  {
    name: 'import --strict: a SWIM row of 1e308 shuffle bytes (9.3e298 reduce tasks)',
    files: { 'ab.tsv': `job0\t10\t10\t134217728\t1e308\t0\n${SWIM_HEAD.replace(/job/g, 'next')}` },
    commands: [['import', 'swim', '{dir}/ab.tsv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'ab.tsv:1',
    fix: 'workloads/trace/swim.ts',
    found: 'exit 0: "3 jobs and 9.313225746154785e+298 tasks"; a scenario replaying the row dies of SIGTRAP (exit 133) after 27 s',
    open: false,
  },
  {
    name: 'import --strict: a SWIM row of a 400-digit byte count (duration null)',
    files: { 'ab.tsv': `job0\t10\t10\t${'9'.repeat(400)}\t0\t0\n${SWIM_HEAD.replace(/job/g, 'next')}` },
    commands: [['import', 'swim', '{dir}/ab.tsv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'ab.tsv:1',
    fix: 'workloads/trace/swim.ts',
    found: 'exit 0: the job imports with "duration":null (a later run fails: time must be a finite number)',
    open: false,
  },
  {
    name: 'import --strict: a SWIM submit time of 2^64 s',
    files: { 'ab.tsv': `job0\t18446744073709551615\t10\t134217728\t0\t0\n${SWIM_HEAD.replace(/job/g, 'next')}` },
    commands: [['import', 'swim', '{dir}/ab.tsv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'ab.tsv:1',
    fix: 'workloads/trace/swim.ts',
    found: "exit 2 naming line 2, not line 1: submit time 10 is earlier than the previous job's 18446744073709552000 (out-of-order)",
    open: false,
  },
  {
    name: 'import --strict: a SWF submit time of 1e29 s',
    files: {
      'ab.swf': `${SWF_FIXTURE.toString('utf8').split('\n').slice(0, 5).join('\n')}\n    2     1e29     0      10    1   -1     -1    1    60     -1  1   7   2  -1  1  1 -1 -1\n    3       20     1      10    2   -1     -1    2    60     -1  1   8   2  -1  2  1 -1 -1\n`,
    },
    commands: [['import', 'swf', '{dir}/ab.swf', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'ab.swf:6',
    fix: 'workloads/trace/swf.ts',
    found: "exit 2 naming line 7, not line 6: submit time 20 is earlier than the previous job's 1e+29 (out-of-order)",
    open: false,
  },
  {
    name: 'import --strict: a SWF job on 1e29 processors',
    files: {
      'ab.swf': `${SWF_FIXTURE.toString('utf8').split('\n').slice(0, 4).join('\n')}\n    1        0     5     100 1e29   90   2048    4   200   1024  1   7   2  -1  1  1 -1 -1\n`,
    },
    commands: [['import', 'swf', '{dir}/ab.swf', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'ab.swf:5',
    fix: 'workloads/trace/swf.ts',
    found: 'exit 0: the job imports with "count":1e+29 (above 2^53: the canonical schema itself refuses the line)',
    open: false,
  },
  {
    name: 'import --strict: an Alibaba 2018 machine of 1e29 cores',
    files: { 'mm.csv': 'm_1,0,12,3,1e29,100,USING\nm_2,0,12,3,96,100,USING\n' },
    commands: [['import', 'alibaba-2018-machines', '{dir}/mm.csv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'mm.csv:1',
    fix: 'workloads/trace/alibaba.ts',
    found: 'exit 0: the machine imports with 1e+29 cpus',
    open: false,
  },
  {
    name: 'import --strict: an openb pod deleted at 1e29 s',
    files: {
      'pods.csv':
        'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\np-0,4000,8192,1,1000,,LS,Running,0,1e29,0\np-1,6000,12288,1,460,,BE,Succeeded,10,70,15\n',
    },
    commands: [['import', 'alibaba-openb-pods', '{dir}/pods.csv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'pods.csv:2',
    fix: 'workloads/trace/alibaba.ts',
    found: 'exit 0: the pod imports as a task of duration 1e+29 s',
    open: false,
  },
  {
    name: 'import --strict: an openb node of 1e29 milli-cpus',
    files: { 'nodes.csv': 'sn,cpu_milli,memory_mib,gpu,model\nn-0,1e29,262144,0,\nn-1,96000,393216,8,G2\n' },
    commands: [['import', 'alibaba-openb-nodes', '{dir}/nodes.csv', '--out', '{dir}/out.jsonl', '--strict']],
    names: 'nodes.csv:2',
    fix: 'workloads/trace/alibaba.ts',
    found: 'exit 0: the node imports with 9.999999999999999e+25 cpus',
    open: false,
  },
];
