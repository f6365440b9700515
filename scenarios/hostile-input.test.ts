/**
 * Hostile scenario and flag input: every case exits 2 with one clear line naming the file, the
 * line and column or the field path (never a JavaScript stack, never exit 3), `validate` and
 * `run` agree on it, and what validates runs. Validation costs linear time in the size of the
 * file and lists at most 50 problems.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from './errors.js';
import { parseScenarioText } from './loader.js';
import { cli, type CliResult } from './test-support/cli.js';
import { spawnCli } from './test-support/child.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-hostile-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Two agents and one framework with one small job: valid as it is. */
const BASE = `cluster:
  agents:
    - { count: 2, cpus: 4, mem: 1024 }
frameworks:
  - name: f1
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 1, mem: 10, duration: 1 } ] } ] }
`;

let files = 0;
/** Writes a scenario file; returns its path. */
function scenario(text: string): string {
  const f = join(tmp, `s${files++}.yaml`);
  writeFileSync(f, text);
  return f;
}

/** Bad input: exit 2, nothing on stdout, no stack and no internal error on stderr. */
function expectBadInput(r: CliResult): string[] {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).not.toMatch(/internal error|\n\s+at |Error:/);
  return r.err.trimEnd().split('\n');
}

/**
 * `validate FILE FLAGS` and `run FILE FLAGS` both exit 2 with the same single line, which matches
 * `line` (with FILE for the file's path); `run` writes nothing.
 */
async function rejects(file: string, flags: readonly string[], line: RegExp | string): Promise<void> {
  const v = expectBadInput(await cli('validate', file, ...flags));
  expect(v).toHaveLength(1);
  if (typeof line === 'string') expect(v[0]).toBe(line.replace('FILE', file));
  else expect(v[0]!.replace(file, 'FILE')).toMatch(line);
  const out = join(tmp, `run-${files++}`);
  const r = expectBadInput(await cli('run', file, ...flags, '--out', out));
  expect(r).toEqual(v);
  expect(existsSync(out)).toBe(false);
}

describe('YAML aliases', () => {
  test('an alias that names no anchor', async () => {
    await rejects(
      scenario('cluster: { agents: [ *nope ] }\nframeworks: [ { name: a } ]\n'),
      [],
      'FILE:1:22: cluster.agents[0]: alias *nope names no anchor before it',
    );
  });

  test('nested aliases that explode ("billion laughs"): 10^9 values from ten lines', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    await rejects(scenario(`${lines.join('\n')}\n${BASE}`), [], /^FILE:1:1: more than 2,000,000 values once YAML aliases are expanded/);
  });

  test('flat aliases that explode: 900 uses of a 10,000-value anchor (9 million values)', async () => {
    const text = `big: &b [${Array.from({ length: 10_000 }, () => '1').join(', ')}]\nmore: [${Array.from({ length: 900 }, () => '*b').join(', ')}]\n${BASE}`;
    await rejects(scenario(text), [], /^FILE:1:1: more than 2,000,000 values once YAML aliases are expanded/);
  });

  test('an alias inside its own anchor', async () => {
    await rejects(
      scenario(`${BASE}sweep: { points: [ { x: &x [1, *x] } ] }\n`),
      [],
      'FILE:7:32: sweep.points[0].x[1]: alias *x is inside its own anchor (it would repeat forever)',
    );
  });
});

describe('--set', () => {
  test('a value that is not YAML', async () => {
    await rejects(scenario(BASE), ['--set', 'seed=[1'], '--set: seed: syntax: Flow sequence must end with a ]');
  });

  test('__proto__, constructor and prototype never reach an object prototype', async () => {
    const f = scenario(BASE);
    await rejects(f, ['--set', '__proto__.polluted=1'], '--set: __proto__.polluted: "__proto__" is not allowed in a field path');
    await rejects(
      f,
      ['--set', 'frameworks.0.constructor.prototype.polluted=1'],
      '--set: frameworks.0.constructor.prototype.polluted: "constructor" is not allowed in a field path',
    );
    await rejects(f, ['--set', 'roles.prototype=1'], '--set: roles.prototype: "prototype" is not allowed in a field path');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('empty path parts, an undefined alias, a non-finite number', async () => {
    const f = scenario(BASE);
    await rejects(f, ['--set', 'frameworks..x=1'], '--set: frameworks..x: a field path has no empty parts (a.b.c)');
    await rejects(f, ['--set', 'frameworks.0=*a'], '--set: frameworks.0: alias *a names no anchor before it');
    await rejects(f, ['--set', 'seed=.nan'], '--set: seed: must be a finite number, not .nan');
  });
});

describe('flags', () => {
  test('--seed: decimal digits from 0 to 2^32 - 1, once', async () => {
    const f = scenario(BASE);
    for (const seed of ['', '1e3', '0x10', '-1', '4294967296']) {
      expect(expectBadInput(await cli('run', f, '--seed', seed, '--out', join(tmp, 'seed')))).toEqual([
        `--seed: expected an integer from 0 to 4294967295, got "${seed}"`,
      ]);
    }
    expect(expectBadInput(await cli('run', f, '--seed', '1', '--seed', '2', '--out', join(tmp, 'seed')))).toEqual([
      '--seed: given 2 times ("1", "2"): give it once',
    ]);
    expect(existsSync(join(tmp, 'seed'))).toBe(false);
  });

  test('--workers, --shard and --out, once each and in range', async () => {
    const f = scenario(`${BASE}sweep: { matrix: { seed: [1] } }\n`);
    for (const w of ['0', '257', 'x', '1.5']) {
      expect(expectBadInput(await cli('sweep', f, '--workers', w))).toEqual([`--workers: expected an integer from 1 to 256, got "${w}"`]);
    }
    expect(expectBadInput(await cli('sweep', f, '--shard', '0/1', '--shard', '1/2'))).toEqual(['--shard: given 2 times ("0/1", "1/2"): give it once']);
    expect(expectBadInput(await cli('sweep', f, '--shard', '99999999999999999999/999999999999999999999'))).toEqual([
      '--shard: expected I/N with 0 <= I < N, got "99999999999999999999/999999999999999999999"',
    ]);
    expect(expectBadInput(await cli('run', f, '--out', 'a', '--out', 'b'))).toEqual(['--out: given 2 times ("a", "b"): give it once']);
  });

  test('import --option: a YAML value, a key once, never __proto__', async () => {
    const trace = join(tmp, 'none.swf');
    expect(expectBadInput(await cli('import', 'swf', trace, '--option', 'a=[1'))).toEqual(['--option: a: syntax: Flow sequence must end with a ]']);
    expect(expectBadInput(await cli('import', 'swf', trace, '--option', '__proto__={x: 1}'))).toEqual([
      '--option: __proto__: "__proto__" is not allowed as an option name',
    ]);
    expect(expectBadInput(await cli('import', 'swf', trace, '--option', 'a=1', '--option', 'a=2'))).toEqual(['--option: a: given twice']);
  });
});

describe('names', () => {
  const fw = (name: string, role = '*'): string => BASE.replace('  - name: f1', `  - name: "${name}"\n    role: "${role}"`);
  const NAME = 'a name is 1 to 100 letters, digits, ".", "_" and "-", not "." or ".." and not starting with "-"';
  test('frameworks: not "." (the sorter\'s virtual leaf), "..", or a leading "-"', async () => {
    for (const n of ['.', '..', '-x', 'a b', 'x'.repeat(101)]) await rejects(scenario(fw(n)), [], `FILE:5:11: frameworks[0].name: ${NAME}`);
  });

  test('roles: Mesos rules for each component (src/common/roles.cpp)', async () => {
    for (const r of ['a/./b', 'a/../b', 'eng/-x', '/a', 'a/', 'a//b', 'a b', '*/x']) {
      await rejects(scenario(fw('f1', r)), [], /^FILE:6:11: frameworks\[0\]\.role: a role is \* or names joined by \/ \(each 1 to 100 letters/);
    }
  });

  test('agent and rack prefixes, job ids', async () => {
    await rejects(scenario(BASE.replace('count: 2,', 'count: 2, prefix: "-",')), [], `FILE:3:27: cluster.agents[0].prefix: ${NAME}`);
    await rejects(scenario(BASE.replace('count: 2,', 'count: 2, rackPrefix: "..",')), [], `FILE:3:31: cluster.agents[0].rackPrefix: ${NAME}`);
    await rejects(
      scenario(BASE.replace('{ submit: 0,', '{ id: "a job", submit: 0,')),
      [],
      /^FILE:6:45: frameworks\[0\]\.workload\.jobs\[0\]\.id: a job id is 1 to 200 letters, digits/,
    );
  });
});

describe('magnitudes: validate rejects what run cannot do', () => {
  test('resource amounts: exact in thousandths below 2^53, per agent and for the cluster', async () => {
    const MESSAGE = 'at most 9,000,000,000,000: amounts are exact in thousandths below 2^53';
    await rejects(scenario(BASE.replace('mem: 1024', 'mem: 1e21')), [], `FILE:3:33: cluster.agents[0].mem: ${MESSAGE}`);
    await rejects(scenario(BASE.replace('cpus: 4', 'cpus: 9007199254740992')), [], `FILE:3:25: cluster.agents[0].cpus: ${MESSAGE}`);
    // 3 agents of 4e12 cpus: 1.2e13 in all, each amount within bounds but not their sum
    await rejects(
      scenario(BASE.replace('count: 2, cpus: 4', 'count: 3, cpus: 4000000000000')),
      [],
      "FILE:2:3: cluster: the cluster's agents hold 12,000,000,000,000 cpus in all, more than 9,000,000,000,000 (amounts are exact in thousandths below 2^53)",
    );
  });

  test('times and spans fit in the event list (2^45 us)', async () => {
    await rejects(
      scenario(BASE.replace('duration: 1 }', 'duration: 1e21 }')),
      [],
      'FILE:6:91: frameworks[0].workload.jobs[0].tasks[0].duration: at most 17,500,000 s (about 202 days): the longest span a scenario may give',
    );
    await rejects(
      scenario(`${BASE}output: { sampleInterval: 1e15 }\n`),
      [],
      'FILE:7:27: output.sampleInterval: at most 17,500,000 s (about 202 days): the longest span a scenario may give',
    );
    await rejects(
      scenario(`${BASE}master: { allocationInterval: 0.0000001 }\n`),
      [],
      "FILE:7:31: master.allocationInterval: at least 0.000001 s (1 us, the clock's unit)",
    );
    await rejects(
      scenario(`${BASE}duration: 17500001\n`),
      [],
      'FILE:7:11: duration: at most 17,500,000 s (about 202 days): the latest instant a scenario may name',
    );
    const poisson = (w: string): string => BASE.replace(/workload: .*\n/, `workload: { kind: poisson, ${w}, task: { cpus: 1, duration: 1 } }\n`);
    await rejects(
      scenario(poisson('rate: 1, jobs: 3, until: 1e300')),
      [],
      'FILE:6:57: frameworks[0].workload.until: at most 17,500,000 s (about 202 days): the latest instant a scenario may name',
    );
    // An exponential draw reaches 37 means: 17,500,000 / 37 = 472,972 s at most.
    await rejects(
      scenario(poisson('rate: 1, jobs: 3').replace('duration: 1 }', 'duration: { exponential: 500000 } }')),
      [],
      /^FILE:6:\d+: frameworks\[0\]\.workload\.task\.duration\.exponential: a mean of at most 472,972 s: an exponential draw can reach 37 times its mean/,
    );
  });

  test('a rate of 1e308 would never end: the tasks it would submit are counted first', async () => {
    const text = BASE.replace(/workload: .*\n/, 'workload: { kind: poisson, rate: 1e308, until: 1, task: { cpus: 1, duration: 1 } }\n');
    // rate x (until - start) = 1e308 jobs of 1 task
    await rejects(
      scenario(text),
      [],
      /^FILE:6:15: frameworks\[0\]\.workload: the workloads would submit about 1\.00e\+308 tasks \(this one about 1\.00e\+308\).*more than the 5,000,000 a run may hold/,
    );
  });

  test('35,000,001 agents are refused at once, before any is built', async () => {
    await rejects(
      scenario(BASE.replace('count: 2,', 'count: 35000001,')),
      [],
      'FILE:3:16: cluster.agents[0].count: at most 100,000 agents (the most a cluster may have)',
    );
    const two = BASE.replace(
      '    - { count: 2, cpus: 4, mem: 1024 }',
      '    - { count: 60000, cpus: 4, mem: 1024 }\n    - { count: 60000, prefix: b-, cpus: 4, mem: 1024 }',
    );
    await rejects(scenario(two), [], 'FILE:3:5: cluster.agents: the groups hold 120,000 agents, more than the 100,000 a cluster may have');
  });

  test('a sample interval that would make more time-series cells than the limit', async () => {
    // 1,000,000 s / 0.1 s = 10,000,000 rows of 8 + 2 x 1 columns
    await rejects(
      scenario(`${BASE}duration: 1000000\noutput: { sampleInterval: 0.1 }\n`),
      [],
      /^FILE:8:27: output\.sampleInterval: a run of 1,000,000 s would write 100,000,000 time-series cells/,
    );
  });
});

describe('nothing happens to a framework or agent before it exists', () => {
  test('a job submitted before its framework subscribes', async () => {
    const text = BASE.replace('  - name: f1', '  - name: f1\n    addAt: 5').replace('submit: 0', 'submit: 3');
    await rejects(
      scenario(text),
      [],
      'FILE:7:49: frameworks[0].workload.jobs[0].submit: job f1/0 would arrive at 3 s, before framework "f1" subscribes (addAt 5 s)',
    );
  });

  test('a Poisson workload starts when its framework subscribes unless told otherwise; an earlier start is refused', async () => {
    const text = BASE.replace('  - name: f1', '  - name: f1\n    addAt: 5').replace(
      /workload: .*\n/,
      'workload: { kind: poisson, rate: 1, jobs: 3, task: { cpus: 1, duration: 1 } }\n',
    );
    const f = scenario(text);
    const { scenario: s } = parseScenarioText(text, f);
    expect(s.frameworks[0]!.workload).toMatchObject({ kind: 'poisson', start: 5 });
    // It runs: the three jobs arrive after t = 5 s (before, the first arrival at 0.02 s broke an invariant: exit 3).
    const r = spawnCli(['run', f, '--out', join(tmp, 'poisson-addat')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    await rejects(
      scenario(text.replace('rate: 1,', 'rate: 1, start: 0,')),
      [],
      'FILE:7:48: frameworks[0].workload.start: arrivals would start at 0 s, before framework "f1" subscribes (addAt 5 s): start at or after addAt',
    );
  });

  test('a scheduled agent failure before the agent registers; a failover before the framework subscribes', async () => {
    await rejects(
      scenario(`${BASE.replace('mem: 1024 }', 'mem: 1024, addAt: 10 }')}failures: { agents: [ { agent: agent-0, at: 5 } ] }\n`),
      [],
      'FILE:7:45: failures.agents[0].at: agent agent-0 would fail at 5 s, before it registers (addAt 10 s)',
    );
    await rejects(
      scenario(BASE.replace('  - name: f1', '  - name: f1\n    addAt: 10\n    failover: { disconnectAt: 5 }').replace('submit: 0', 'submit: 10')),
      [],
      'FILE:7:31: frameworks[0].failover.disconnectAt: framework "f1" would disconnect at 5 s, before it subscribes (addAt 10 s)',
    );
  });
});

describe('the sweep block, point by point', () => {
  const SWEEP = `${BASE}sweep:\n  matrix:\n    frameworks.0.workload.jobs.0.tasks.0.cpus: [1, 2]\n`;

  test('a swept value that no point could run is named with its key and value, by validate and sweep alike', async () => {
    const f = scenario(`${SWEEP}    frameworks.0.role: ["eng", "-x"]\n`);
    const line =
      'FILE:10:5: sweep.matrix.frameworks.0.role: frameworks.0.role = "-x": frameworks[0].role: a role is * or names joined by / ' +
      '(each 1 to 100 letters, digits, ".", "_" and "-", not "." or ".." and not starting with "-")';
    const v = expectBadInput(await cli('validate', f));
    expect(v).toEqual([line.replace('FILE', f)]);
    const out = join(tmp, 'sweep-out');
    expect(expectBadInput(await cli('sweep', f, '--out', out, '--workers', '1'))).toEqual(v);
    expect(existsSync(out)).toBe(false);
  });

  test('an unknown path and a negative rate', async () => {
    const f = scenario(`${SWEEP}    frameworks.0.nope: [1]\n`);
    expect(expectBadInput(await cli('validate', f))).toEqual([
      `${f}:10:5: sweep.matrix.frameworks.0.nope: frameworks.0.nope = 1: frameworks[0].nope: unknown field "nope"`,
    ]);
    const rate = BASE.replace(/workload: .*\n/, 'workload: { kind: poisson, rate: 1, jobs: 3, task: { cpus: 1, duration: 1 } }\n');
    const g = scenario(`${rate}sweep: { matrix: { frameworks.0.workload.rate: [1, -1] } }\n`);
    expect(expectBadInput(await cli('validate', g))).toEqual([
      `${g}:7:20: sweep.matrix.frameworks.0.workload.rate: frameworks.0.workload.rate = -1: frameworks[0].workload.rate: ` +
        'at least 0.000003 jobs a second (one every 3.9 days): a gap between arrivals can reach 37 times 1/rate, and may be at most 17,500,000 s',
    ]);
  });

  test('points are counted before they are made: 10^20 combinations are refused at once', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `    a${i}: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]`).join('\n');
    await rejects(
      scenario(`${BASE}sweep:\n  matrix:\n${keys}\n`),
      [],
      'FILE:9:5: sweep.matrix: 100,000,000,000,000,000,000 combinations x 1 seeds make more than the 10,000 points a sweep may have',
    );
  });
});

describe('wording', () => {
  test('non-finite numbers "must be a finite number", absent fields "are missing"', async () => {
    await rejects(
      scenario(BASE.replace('cpus: 1,', 'cpus: .nan,')),
      [],
      'FILE:6:69: frameworks[0].workload.jobs[0].tasks[0].cpus: must be a finite number, not .nan',
    );
    await rejects(scenario(BASE.replace('cpus: 4', 'cpus: -.inf')), [], 'FILE:3:25: cluster.agents[0].cpus: must be a finite number, not -.inf');
    await rejects(
      scenario(BASE.replace(', duration: 1 }', ' }')),
      [],
      'FILE:6:61: frameworks[0].workload.jobs[0].tasks[0].duration: is missing (expected number)',
    );
    await rejects(scenario(BASE.replace('kind: inline, ', '')), [], 'FILE:6:15: frameworks[0].workload.kind: is missing (one of "poisson", "inline")');
  });

  test('a key of 100,000 characters is cut in the message', async () => {
    // JSON: YAML's block keys stop at 1024 characters, flow keys do not.
    const key = 'k'.repeat(100_000);
    const json = { [key]: 1, cluster: { agents: [{ cpus: 1, mem: 64 }] }, frameworks: [{ name: 'a' }] };
    const [line] = expectBadInput(await cli('validate', scenario(JSON.stringify(json))));
    expect(line!.length).toBeLessThan(400);
    expect(line).toMatch(/: k{60}… \(100000 characters\): unknown field "k{60}… \(100000 characters\)"$/);
  });

  test('duplicate keys, values nested too deep', async () => {
    await rejects(scenario(`seed: 1\nseed: 2\n${BASE}`), [], 'FILE:2:1: seed: duplicate key "seed"');
    // 70 nested lists under a field that takes any value (a sweep point's value)
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    await rejects(
      scenario(`${BASE}sweep: { points: [ { x: ${deep} } ] }\n`),
      [],
      /^FILE:7:\d+: sweep\.points\[0\]\.x(\[0\])+: lists and mappings nest more than 64 deep$/,
    );
  });

  test('the scenario file: a directory, a device and a file over 16 MiB are refused before reading', async () => {
    expect(expectBadInput(await cli('validate', tmp))).toEqual([`${tmp}: cannot read scenario: not a regular file`]);
    expect(expectBadInput(await cli('validate', '/dev/zero'))).toEqual(['/dev/zero: cannot read scenario: not a regular file']);
    const text = `${BASE}description: "${'x'.repeat(17 * 1024 * 1024)}"\n`;
    const big = scenario(text);
    expect(expectBadInput(await cli('validate', big))).toEqual([
      `${big}: the scenario file has ${Buffer.byteLength(text)} bytes, more than the 16777216 (16 MiB) a scenario may have: put large job lists in a trace file (docs/traces.md)`,
    ]);
  });
});

describe('cost of validation', () => {
  test('200,000 unknown keys: linear time, 50 problems listed and the rest counted', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `k${i}: 1`).join('\n');
    let err: unknown;
    // A generous bound: the linear pass takes a few seconds on a busy machine; the quadratic one
    // this replaces (a scan of the mapping per key, twice) took minutes.
    const t0 = performance.now();
    try {
      parseScenarioText(`${BASE}${keys}\n`, 'u.yaml');
    } catch (e) {
      err = e;
    }
    expect((performance.now() - t0) / 1000).toBeLessThan(60);
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.problems).toHaveLength(200_000);
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe('u.yaml:7:1: k0: unknown field "k0"');
    expect(lines[50]).toBe('... and 199950 more problems (200000 in all)');
  }, 120_000);
});
