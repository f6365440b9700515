/**
 * The command line: commands, exit codes (0 ok, 2 bad input or usage), and what is printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './test-support/cli.js';
import { DEFAULT_COMPARE_METRICS } from '../reports/compare.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SMALL = join(HERE, 'golden', 'small.yaml');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('offersim list', () => {
  test('lists allocators, framework behaviours and workload formats, a line each', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    // Names are padded to the longest registered one; other policies may sit between these.
    expect(r.out).toMatch(/^allocators:\n {2}[a-z]/m);
    expect(r.out).toMatch(/^ {2}drf +Mesos default/m);
    expect(r.out).toMatch(/^ {2}random +Hierarchical allocator with weighted random/m);
    expect(r.out).toMatch(/^frameworks:\n {2}batch {2}/m);
    expect(r.out).toMatch(/^formats:\n {2}inline {3}.*\n {2}poisson {2}/m);
  });
  test('one list', async () => {
    const r = await cli('list', 'allocators');
    expect(r.out.startsWith('allocators:')).toBe(true);
    expect(r.out).not.toMatch(/frameworks:/);
  });
  test('an unknown list is a usage error (exit 2)', async () => {
    const r = await cli('list', 'nonsense');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Invalid values/);
  });
});

describe('offersim validate', () => {
  test('a good scenario', async () => {
    const r = await cli('validate', SMALL);
    expect(r).toEqual({ code: 0, out: `${SMALL}: ok\n`, err: '' });
  });
  test('a bad scenario prints every problem and exits 2', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'seed: x\ncluster: { agents: [] }\nframeworks: [ { name: a, role: "" } ]\n');
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toEqual([
      `${bad}:1:7: seed: Invalid input: expected number, received string`,
      `${bad}:2:20: cluster.agents: a cluster needs agents (groups) or traces`,
      `${bad}:3:32: frameworks[0].role: a role is * or names joined by / (each 1 to 100 letters, digits, ".", "_" and "-", not "." or ".." and not starting with "-")`,
    ]);
  });
  test('--set problems are named', async () => {
    const r = await cli('validate', SMALL, '--set', 'master.allocationInterval=-1');
    expect(r.code).toBe(2);
    // named by the override, not by a line of the file (the value is not the file's)
    expect(r.err).toBe("--set master.allocationInterval=-1: at least 0.000001 s (1 us, the clock's unit)\n");
  });
  test('--set problems: the path of a field below the one set, named by the last override that wrote it', async () => {
    const r = await cli('validate', SMALL, '--set', 'master.allocationInterval=2', '--set', 'master={allocationInterval: abc, bogus: 1}');
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toEqual([
      '--set master={allocationInterval: abc, bogus: 1}: master.allocationInterval: expected a number of seconds, got "abc"',
      '--set master={allocationInterval: abc, bogus: 1}: master.bogus: unknown field "bogus"',
    ]);
    // a problem in a field no override wrote keeps its line in the file
    const bad = join(tmp, 'mixed.yaml');
    writeFileSync(bad, readFileSync(SMALL, 'utf8').replace(/^seed: 7$/m, 'seed: -7'));
    const m = await cli('validate', bad, '--set', 'allocator=drff');
    expect(m.err).toMatch(/^--set allocator=drff: unknown allocator "drff"; [^\n]*\n[^\n]*mixed\.yaml:\d+:7: seed: Too small/);
  });
});

describe('offersim run', () => {
  test('writes the run directory and says where', async () => {
    const out = join(tmp, 'run1');
    const r = await cli('run', SMALL, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/seed 7: completed at t=[\d.]+ s/);
    expect(r.out).toMatch(/^fingerprint [0-9a-f]{16}$/m);
    expect(r.out).toContain(`results in ${out}`);
    expect(readdirSync(out).sort()).toEqual([
      'frameworks.csv',
      'jobs.csv',
      'manifest.json',
      'scenario.yaml',
      'summary.json',
      'timeseries-long.csv',
      'timeseries.csv',
      'timing.json',
    ]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(m)).toEqual([
      'offersim',
      'scenario',
      'seed',
      'allocator',
      'inputs',
      'records',
      'events',
      'endTime',
      'endReason',
      'jobsSubmitted',
      'jobsFinished',
      'fingerprint',
      'resolved',
    ]);
    expect(m['scenario']).toMatchObject({ name: 'small', file: 'small.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // what ran: the registered policy the scenario names
    expect(m['allocator']).toEqual({ name: 'drf', module: null });
  });
  test('ends with a table of the headline metrics, from summary.json, with units and good directions', async () => {
    const out = join(tmp, 'run-table');
    const r = await cli('run', SMALL, '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, number | null>;
    const table = r.out
      .slice(r.out.indexOf('\nmetric') + 1)
      .trimEnd()
      .split('\n');
    // a header and the nine metrics compare shows by default, in its order
    expect(table.map((l) => l.split(/ +/)[0])).toEqual(['metric', ...DEFAULT_COMPARE_METRICS]);
    expect(table[0]).toMatch(/^metric +unit +better +value$/);
    // utilisation_cpus: a fraction, higher is better, its value to four significant digits
    expect(table[1]).toMatch(new RegExp(`^utilisation_cpus +fraction +higher +${summary['utilisation_cpus']!.toPrecision(4)}$`));
    expect(table[4]).toMatch(/^completion_p50_s +s +lower +[\d.]+$/);
    // node_local: no locality data in this scenario (null in summary.json): '-'
    expect(summary['node_local']).toBeNull();
    expect(table[8]).toMatch(/^node_local +fraction +higher +-$/);
    // every line the same width before the value column ends: aligned
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });
  test('--json: one JSON object on stdout and nothing else, the rest on stderr', async () => {
    const out = join(tmp, 'run-json');
    const r = await cli('run', SMALL, '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(r.out.endsWith('}\n')).toBe(true);
    expect(r.out.trimEnd().split('\n')).toHaveLength(1);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['offersim', 'scenario', 'dir', 'seed', 'fingerprint', 'endTime', 'endReason', 'events', 'summary']);
    expect(j).toMatchObject({
      scenario: SMALL,
      dir: out,
      seed: 7,
      fingerprint: manifest['fingerprint'],
      endTime: manifest['endTime'],
      endReason: 'completed',
      events: manifest['events'],
    });
    expect(j['summary']).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(r.err).toContain(`results in ${out}`);
  });
  test('--seed and --set change the run and are recorded', async () => {
    const out = join(tmp, 'run2');
    const r = await cli('run', SMALL, '--out', out, '--seed', '3', '--set', 'allocator=random');
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      seed: number;
      scenario: { overrides: string[] };
      resolved: { allocator: string };
    };
    expect(m.seed).toBe(3);
    expect(m.scenario.overrides).toEqual(['allocator=random']);
    expect(m.resolved.allocator).toBe('random');
  });
  test('a scenario with a sweep block: the base point only, said on stderr in one line, no sweep block in the manifest', async () => {
    const out = join(tmp, 'run-sweep');
    const r = await cli('run', SMALL, '--out', out, '--set', 'sweep.matrix.allocator=[drf, random]', '--set', 'sweep.seeds=3');
    expect(r.code).toBe(0);
    // 2 allocators x 3 seeds
    expect(r.err).toBe(
      `offersim: ${SMALL} has a sweep block: this runs only its base point (the scenario without the sweep, seed 7); offersim sweep ${SMALL} runs its 6 points\n`,
    );
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { resolved: Record<string, unknown> };
    expect('sweep' in m.resolved).toBe(false);
    // the same run as without the sweep block
    const plain = join(tmp, 'run-no-sweep');
    expect((await cli('run', SMALL, '--out', plain)).code).toBe(0);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(readFileSync(join(plain, 'summary.json'), 'utf8'));
  });
  test('bad flags, a missing file and a bad seed are bad input (exit 2), and nothing is written', async () => {
    const out = join(tmp, 'never');
    for (const argv of [
      ['run', SMALL, '--out', out, '--bogus'],
      ['run', join(tmp, 'missing.yaml'), '--out', out],
      ['run', SMALL, '--out', out, '--seed', '-4'],
      ['run'],
      [],
      ['sweep', SMALL],
    ]) {
      const r = await cli(...argv);
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.err).not.toBe('');
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  });
});

describe('did you mean', () => {
  test('a mistyped scenario field, allocator or trace format: the near name ends the line', async () => {
    const bad = join(tmp, 'typos.yaml');
    writeFileSync(
      bad,
      [
        'seed: 1',
        'allocator: drff', // 1 edit from drf
        'master: { allocationIntervall: 2 }', // 1 edit from allocationInterval
        'cluster: { agents: [ { count: 1, cpus: 1, mem: 1 } ] }',
        'traces: [ { file: x.jsonl, fromat: canonical } ]', // a swap from format
        'frameworks: [ { name: a, role: r, workload: { kind: inline, jobs: [] } } ]',
      ].join('\n'),
    );
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/allocator: unknown allocator "drff"; registered: [^\n]*; did you mean "drf"\?\n/);
    expect(r.err).toContain('master.allocationIntervall: unknown field "allocationIntervall"; did you mean "allocationInterval"?\n');
    expect(r.err).toContain('traces[0].fromat: unknown field "fromat"; did you mean "format"?\n');
  });
  test('no suggestion when nothing is near', async () => {
    const bad = join(tmp, 'far.yaml');
    writeFileSync(bad, 'seed: 1\nallocator: zzzzzz\nqqqqqq: 1\n');
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown allocator "zzzzzz"; registered: [a-z, -]*\n/);
    expect(r.err).toContain('qqqqqq: unknown field "qqqqqq"\n');
  });
  test('a mistyped command or flag', async () => {
    expect((await cli('rn', SMALL)).err).toBe('offersim: Unknown arguments: rn, ' + SMALL + '; did you mean "run"?\nRun offersim --help for usage.\n');
    const flag = await cli('run', SMALL, '--sede', '3');
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/^offersim: Unknown arguments?: sede[^\n]*; did you mean "--seed"\?\n/);
    // a dashed flag is suggested dashed, not in camel case
    expect((await cli('check', SMALL, '--baseline', 'b.json', '--update-baselin')).err).toMatch(/; did you mean "--update-baseline"\?\n/);
    expect((await cli('run', SMALL, '--colour')).err).toBe('offersim: Unknown argument: colour\nRun offersim --help for usage.\n');
  });
  test('compare: a mistyped metric', async () => {
    const r = await cli('compare', tmp, '--metrics', 'utilisation_cpu');
    expect(r.code).toBe(2);
    expect(r.err).toBe('--metrics: "utilisation_cpu" is no numeric metric of summary.json (docs/metrics.md); did you mean "utilisation_cpus"?\n');
  });
  test('import: a mistyped trace format', async () => {
    const r = await cli('import', 'swim2', join(tmp, 'none.tsv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown trace format "swim2"; known: [^\n]*; did you mean "swim"\?\n/);
  });
});

/** `offersim ...argv` as a process: yargs prints help to the process's stdout. */
function spawnHelp(...argv: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(HERE, '..', 'dist', 'scenarios', 'cli.js'), ...argv], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

describe('help', () => {
  test.each(['run', 'report', 'validate', 'sweep', 'merge', 'check', 'compare', 'verify', 'import', 'list'])(
    '%s --help: 1 to 3 examples of that command, within 100 columns',
    (command) => {
      const r = spawnHelp(command, '--help');
      expect(r.code).toBe(0);
      const examples = r.out
        .slice(r.out.indexOf('\nExamples:\n') + 1)
        .trimEnd()
        .split('\n')
        .slice(1);
      expect(r.out).toContain('\nExamples:\n');
      // an example starts at 2 spaces; a wrapped part of one starts there too, but not with "offersim"
      const starts = examples.filter((l) => l.startsWith(`  offersim ${command}`));
      expect(starts.length).toBeGreaterThanOrEqual(1);
      expect(starts.length).toBeLessThanOrEqual(3);
      for (const l of r.out.split('\n')) expect(l.length).toBeLessThanOrEqual(100);
    },
  );
  test('--seed and --workers are numbers, and what is no integer is refused naming the flag', async () => {
    expect(spawnHelp('run', '--help').out).toMatch(/--seed +seed override[^\n]*\[number\]/);
    expect(spawnHelp('sweep', '--help').out).toMatch(/--workers +worker threads[^\n]*\[number\]/);
    // yargs would read 1e3 as 1000, 0x10 as 16 and drop a flag without a value: each is refused
    for (const [flag, value, shown] of [
      ['--seed', '1e3', '1e3'],
      ['--seed', '0x10', '0x10'],
      ['--seed', 'abc', 'abc'],
      ['--seed', '--quiet', ''],
    ]) {
      const r = await cli('run', SMALL, '--out', join(tmp, 'never-seed'), flag!, value!);
      expect([flag, value, r.code, r.err]).toEqual([flag, value, 2, `--seed: expected an integer from 0 to 4294967295, got "${shown}"\n`]);
    }
    const w = await cli('sweep', SMALL, '--workers', '2.5');
    expect([w.code, w.err]).toEqual([2, '--workers: expected an integer from 1 to 256, got "2.5"\n']);
    expect(existsSync(join(tmp, 'never-seed'))).toBe(false);
  });
});
