/**
 * The scenario rules of multi-role frameworks: refused (exit 2, field named) where they cannot run,
 * workload roles checked against the framework's roles, and the Poisson roles drawn as weighted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJobs } from './build.js';
import { InputError, formatProblem } from './errors.js';
import { openScenario, parseScenarioText } from './loader.js';
import { problemMessages } from './test-support/problems.js';

const scenario = (allocator: string, framework: string) => `allocator: ${allocator}
cluster:
  agents:
    - { count: 2, prefix: a-, cpus: 4, mem: 8192 }
frameworks:
  - name: f
${framework}`;

const MULTI = `    roles: [a, b]
    workload: { kind: poisson, rate: 1, jobs: 400, task: { cpus: 1, duration: 5 }, roles: { a: 3, b: 1 } }
`;

const problems = problemMessages;

test('a multi-role framework takes its first role as role, and runs under drf', () => {
  const { scenario: s } = parseScenarioText(scenario('drf', MULTI), 'ok.yaml');
  expect(s.frameworks[0]!.role).toBe('a');
  // 400 jobs, roles drawn with weights 3:1: about 300 a and 100 b (binomial sd ~8.7).
  const roles = [...buildJobs(s, 1)].map((j) => j.role);
  const a = roles.filter((r) => r === 'a').length;
  expect(roles.length).toBe(400);
  expect(a).toBeGreaterThan(300 - 4 * 9);
  expect(a).toBeLessThan(300 + 4 * 9);
  expect(roles.every((r) => r === 'a' || r === 'b')).toBe(true);
});

test('refused under a policy or architecture that ranks one client per framework', () => {
  expect(problems(scenario('fifo', MULTI))).toEqual([
    'frameworks[0].roles: allocator "fifo" does not take multi-role frameworks; choose one that does (asset, cpu-share, drf, random)',
  ]);
  expect(problems(scenario('monolithic', MULTI))).toEqual([
    'frameworks[0].roles: multi-role frameworks run under the offers architecture only; the monolithic architecture ranks one client per framework',
  ]);
});

test('workload roles must be the framework roles, and role and roles go together only as roles[0]', () => {
  expect(problems(scenario('drf', MULTI.replace('b: 1', 'c: 1')))).toEqual([
    "frameworks[0].workload.roles.c: role c is not one of the framework's roles [a, b]",
  ]);
  expect(problems(scenario('drf', `    role: b\n${MULTI}`))).toEqual([
    "frameworks[0].role: a multi-role framework's role is its first role (a): give roles only",
  ]);
  expect(problems(scenario('drf', `    roles: [a]\n`))).toEqual(['frameworks[0].roles: a multi-role framework has two roles or more (give role for one)']);
  expect(problems(scenario('drf', `    workload: { kind: inline, jobs: [ { submit: 0, role: a, tasks: [ { cpus: 1, duration: 1 } ] } ] }\n`))).toEqual([
    'frameworks[0].workload.jobs[0].role: role a: only a multi-role framework (frameworks[].roles) names the roles of its jobs',
  ]);
});

test('refused under a user module allocator, whose guard passes no multi-role calls', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'offersim-multi-role-'));
  try {
    const module = fileURLToPath(new URL('../docs/examples/least-allocated.js', import.meta.url));
    const file = join(dir, 's.yaml');
    writeFileSync(file, scenario(`{ module: ${module} }`, MULTI));
    const err = await openScenario(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems.map((p) => formatProblem(p).replace(/^.*s\.yaml:\d+:\d+: /, ''))).toEqual([
      `frameworks[0].roles: the module "${module}" is given no multi-role frameworks: choose a registered policy that takes them (drf, random, asset, cpu-share)`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
