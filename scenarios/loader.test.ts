/**
 * Scenario validation: every problem at once, each with file, line, column and field path.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatorNames } from '../allocators/registry.js';
import { InputError } from './errors.js';
import { loadScenario, parseScenarioText } from './loader.js';
import { problems } from './test-support/problems.js';

const EXAMPLES = fileURLToPath(new URL('./examples/', import.meta.url));

const MINIMAL = `
cluster:
  agents:
    - { count: 2, cpus: 4, mem: 1024 }
frameworks:
  - name: a
`;

describe('valid scenarios', () => {
  test.each(readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f)))('examples/%s validates', (f) => {
    expect(() => loadScenario(join(EXAMPLES, f))).not.toThrow();
  });

  test('defaults are filled in as documented', () => {
    const { scenario } = parseScenarioText(MINIMAL, 'min.yaml');
    expect(scenario.seed).toBe(1);
    expect(scenario.allocator).toBe('drf');
    expect(scenario.master.allocationInterval).toBe(1);
    expect(scenario.master.offerTimeout).toBeUndefined();
    expect(scenario.master.minAllocatable).toEqual([{ cpus: 0.01 }, { mem: 32 }]);
    expect(scenario.master.offerGranularity).toBe('agent');
    expect(scenario.frameworks[0]!.role).toBe('*');
    expect(scenario.frameworks[0]!.behaviour).toBe('batch');
    expect(scenario.cluster.agents[0]!.racks).toBe(1);
    expect(scenario.output.sampleInterval).toBe(1);
    expect(scenario.duration).toBeUndefined();
    expect(scenario.horizon).toBe(2_592_000);
  });

  test('JSON is accepted too', () => {
    const { scenario } = parseScenarioText(JSON.stringify({ cluster: { agents: [{ cpus: 1, mem: 64 }] }, frameworks: [{ name: 'x' }] }), 's.json');
    expect(scenario.cluster.agents[0]!.count).toBe(1);
  });

  test('--set overrides scalars, list items and nested fields before validation', () => {
    const { scenario } = parseScenarioText(MINIMAL, 'min.yaml', [
      'allocator=random',
      'seed=9',
      'master.allocationInterval=0.25',
      'frameworks.0.role=eng/batch',
      'cluster.agents.0.count=5',
    ]);
    expect(scenario.allocator).toBe('random');
    expect(scenario.seed).toBe(9);
    expect(scenario.master.allocationInterval).toBe(0.25);
    expect(scenario.frameworks[0]!.role).toBe('eng/batch');
    expect(scenario.cluster.agents[0]!.count).toBe(5);
  });

  test('--set on one use of a YAML anchor leaves the other uses alone', () => {
    const text = `
cluster:
  agents:
    - { count: 2, cpus: 4, mem: 1024 }
frameworks:
  - { name: a, behaviour: &b { kind: batch, refuseSeconds: 1 } }
  - { name: b, behaviour: *b }
`;
    const { scenario } = parseScenarioText(text, 'anchors.yaml', ['frameworks.1.behaviour.refuseSeconds=3']);
    expect(scenario.frameworks.map((f) => (f.behaviour as { refuseSeconds: number }).refuseSeconds)).toEqual([1, 3]);
  });

  test('the validation scenarios validate', () => {
    const dir = fileURLToPath(new URL('./validation/', import.meta.url));
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) expect(() => loadScenario(join(dir, f))).not.toThrow();
  });
});

describe('bad scenarios: every problem at once, with where it is', () => {
  test('schema problems are all reported with line:col and path', () => {
    const text = [
      'seed: -1', //                                     line 1
      'allocator: drff', //                              line 2
      'cluster:', //                                     line 3
      '  agents:', //                                    line 4
      '    - count: 0', //                               line 5
      '      cpus: 4', //                                line 6
      '      mem: 16GB', //                              line 7
      'frameworks:', //                                  line 8
      '  - name: a', //                                  line 9
      '    behavior: batch', //                          line 10
      '    workload:', //                                line 11
      '      kind: poisson', //                          line 12
      '      rate: 0', //                                line 13
      '      jobs: 3', //                                line 14
      '      task: { cpus: 1, duration: 1 }', //         line 15
    ].join('\n');
    expect(problems(text)).toEqual([
      'bad.yaml:1:7: seed: Too small: expected number to be >=0',
      `bad.yaml:2:12: allocator: unknown allocator "drff"; registered: ${allocatorNames().join(', ')}; did you mean "drf"?`,
      'bad.yaml:5:14: cluster.agents[0].count: Too small: expected number to be >0',
      'bad.yaml:7:12: cluster.agents[0].mem: expected a number of MB, got "16GB"',
      'bad.yaml:10:5: frameworks[0].behavior: unknown field "behavior"; did you mean "behaviour"?',
      'bad.yaml:13:13: frameworks[0].workload.rate: at least 0.000003 jobs a second (one every 3.9 days): a gap between arrivals can reach 37 times 1/rate, and may be at most 17,500,000 s',
    ]);
  });

  test('duplicate names and tasks that fit nowhere', () => {
    const text = `cluster:
  agents:
    - { count: 2, cpus: 4, mem: 1024 }
frameworks:
  - name: a
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 8, mem: 10, duration: 1 } ] } ] }
  - name: a
`;
    expect(problems(text)).toEqual(['bad.yaml:7:11: frameworks[1].name: duplicate framework name "a" (also frameworks[0])']);
    const once = text.replace(/ {2}- name: a\n$/, '');
    expect(problems(once)).toEqual(['bad.yaml:6:61: frameworks[0].workload.jobs[0].tasks[0]: this task fits on no agent of the cluster']);
  });

  test('preferred agents and racks must be in the cluster', () => {
    const text = `cluster:
  agents:
    - { count: 2, prefix: a-, rackPrefix: r, cpus: 4, mem: 1024 }
frameworks:
  - name: a
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 1, duration: 1, preferredAgents: [a-1, a-7], preferredRacks: [r0, r9] } ] } ] }
`;
    expect(problems(text).map((p) => p.replace(/^bad\.yaml:\d+:\d+: /, ''))).toEqual([
      'frameworks[0].workload.jobs[0].tasks[0].preferredAgents: preferred agent "a-7" is not in the cluster',
      'frameworks[0].workload.jobs[0].tasks[0].preferredRacks: preferred rack "r9" is not in the cluster',
    ]);
  });

  test('YAML syntax errors name the line', () => {
    const [p] = problems('cluster:\n  agents: [ { cpus: 1 }\nframeworks: []\n');
    expect(p).toMatch(/^bad\.yaml:\d+:\d+: syntax: /);
  });

  test('a scenario that is not a mapping', () => {
    expect(problems('- 1\n- 2\n')).toEqual(['bad.yaml:1:1: a scenario is a mapping (YAML or JSON object)']);
  });

  test('bad --set flags are named', () => {
    expect(problems(MINIMAL, ['nonsense', 'frameworks.3.role=x'])).toEqual([
      '--set: nonsense: expected key=value',
      '--set: frameworks.3.role: index 3 is not in the list (length 1)',
    ]);
  });

  test('a poisson workload needs jobs or until; unions name what they accept', () => {
    const text = `cluster: { agents: [ { cpus: 4, mem: 1024 } ] }
frameworks:
  - name: a
    workload: { kind: poisson, rate: 1, tasksPerJob: { normal: 3 }, task: { cpus: 1, duration: 1 } }
`;
    const ps = problems(text);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatch(/^bad\.yaml:4:\d+: frameworks\[0\]\.workload\.tasksPerJob: /);
  });

  test('allocator objects: unknown names and parameters are named', () => {
    const text = `allocator: { name: drf, params: { bogus: 1 }, excludedResources: [gpus] }
cluster: { agents: [ { cpus: 4, mem: 1024 } ] }
frameworks: [ { name: a } ]
`;
    // The policy's own check words the message; the scenario layer adds the place.
    const [p, ...rest] = problems(text);
    expect(rest).toEqual([]);
    expect(p).toMatch(/^bad\.yaml:1:42: allocator\.params\.bogus: unknown parameter "bogus" of allocator drf\b/);
    expect(problems(text.replace('name: drf', 'name: nope'))).toEqual([
      `bad.yaml:1:20: allocator.name: unknown allocator "nope"; registered: ${allocatorNames().join(', ')}`,
    ]);
  });

  test('allocator objects: exactly one of name and module; a module is a .js or .mjs file', () => {
    const body = `cluster: { agents: [ { cpus: 4, mem: 1024 } ] }\nframeworks: [ { name: a } ]\n`;
    expect(problems(`allocator: { params: {} }\n${body}`)).toEqual([
      'bad.yaml:1:12: allocator.name: name a registered policy (name: drf) or a module file (module: ./my-allocator.js)',
    ]);
    expect(problems(`allocator: { name: drf, module: ./x.js }\n${body}`)).toEqual([
      'bad.yaml:1:33: allocator.module: give either name (a registered policy) or module (a file), not both',
    ]);
    expect(problems(`allocator: { module: ./x.ts }\n${body}`)).toEqual([
      'bad.yaml:1:22: allocator.module: an allocator module is an ECMAScript module file ending in .js or .mjs (compile TypeScript first), got "./x.ts"',
    ]);
    // The schema accepts a module path; whether the module exists and conforms is openScenario's
    // check (scenarios/user-allocator.test.ts).
    const { scenario } = parseScenarioText(`allocator: { module: ./x.mjs, params: { a: 1 } }\n${body}`, 'ok.yaml');
    expect(scenario.allocator).toEqual({ module: './x.mjs', params: { a: 1 }, excludedResources: [] });
  });

  test('delay scheduling in seconds and in skips cannot be mixed', () => {
    const text = MINIMAL.replace('  - name: a', '  - { name: a, behaviour: { kind: batch, nodeLocalWait: 2, nodeLocalSkips: 3 } }');
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /^bad\.yaml:\d+:\d+: frameworks\[0\]\.behaviour\.nodeLocalSkips: delay scheduling takes waits in seconds .* or in skips .*, not both$/,
      ),
    ]);
  });

  test("a trace's batch behaviour is held to the same rule, and the rule is reported beside other problems", () => {
    // The rule belongs to the batch options (scenarios/behaviours/batch.ts), wherever they appear: a
    // trace's created frameworks once passed validation with both and the run then stopped (exit 3)
    // building the behaviour. The schema stops at the first broken field, so the trace file need
    // not exist here.
    const text = `${MINIMAL}traces:\n  - { file: t.jsonl, frameworkBy: user, behaviour: { kind: batch, rackLocalWait: 1, rackLocalSkips: 2 } }\n`;
    expect(problems(text)).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+:\d+: traces\[0\]\.behaviour\.rackLocalSkips: delay scheduling takes waits in seconds .* or in skips .*, not both$/),
    ]);
    const two = MINIMAL.replace('  - name: a', '  - { name: a, behaviour: { kind: batch, nodeLocalWait: 2, nodeLocalSkips: 3 } }\n  - { name: b, role: "" }');
    expect(problems(two)).toEqual([
      expect.stringMatching(/frameworks\[0\]\.behaviour\.nodeLocalSkips: delay scheduling takes waits/),
      expect.stringMatching(/frameworks\[1\]\.role: a role is/),
    ]);
  });

  test("a decision time is 0 or at least the clock's unit", () => {
    // 0.0000001 s is 0.1 us: rounded to 0, the decision ended in the offers' own instant, before
    // them, and the run stopped with an internal error (exit 3).
    const with_ = (b: string): string => MINIMAL.replace('  - name: a', `  - { name: a, behaviour: ${b} }`);
    expect(problems(with_('{ kind: batch, decisionJob: 0.0000001 }'))).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+:\d+: frameworks\[0\]\.behaviour\.decisionJob: 0, or at least 0\.000001 s \(1 us, the clock's unit\)$/),
    ]);
    expect(problems(with_('{ kind: gang, decisionTask: 0.0000005 }'))).toEqual([
      expect.stringMatching(/frameworks\[0\]\.behaviour\.decisionTask: 0, or at least 0\.000001 s/),
    ]);
    expect(problems(with_('{ kind: batch, decisionJob: -1 }'))).toEqual([expect.stringMatching(/decisionJob: Too small: expected number to be >=0$/)]);
    for (const ok of ['0', '0.000001', '0.1']) {
      expect(() =>
        parseScenarioText(`duration: 10${with_(`{ kind: service, instances: 1, task: { cpus: 1 }, decisionJob: ${ok} }`)}`, 'ok.yaml'),
      ).not.toThrow();
    }
  });

  test('resetSkipsOn is node-local or every-launch, and only with skips', () => {
    const batch = (b: string): string => MINIMAL.replace('  - name: a', `  - { name: a, behaviour: { kind: batch, ${b} } }`);
    const parsed = parseScenarioText(batch('nodeLocalSkips: 3, resetSkipsOn: every-launch'), 'ok.yaml').scenario.frameworks[0]!.behaviour;
    expect(parsed).toMatchObject({ nodeLocalSkips: 3, resetSkipsOn: 'every-launch' });
    expect(problems(batch('nodeLocalSkips: 3, resetSkipsOn: launch'))).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+:\d+: frameworks\[0\]\.behaviour\.resetSkipsOn: Invalid option: expected one of "node-local"\|"every-launch"$/),
    ]);
    expect(problems(batch('nodeLocalWait: 2, resetSkipsOn: node-local'))).toEqual([
      expect.stringMatching(
        /^bad\.yaml:\d+:\d+: frameworks\[0\]\.behaviour\.resetSkipsOn: resetSkipsOn applies to delay scheduling in skips .*, not to waits in seconds$/,
      ),
    ]);
  });

  test('master.offerGranularity is agent, fair-share, task or cluster', () => {
    for (const g of ['agent', 'fair-share', 'task', 'cluster']) {
      expect(parseScenarioText(MINIMAL, 'min.yaml', [`master.offerGranularity=${g}`]).scenario.master.offerGranularity).toBe(g);
    }
    expect(problems(`master: { offerGranularity: node }${MINIMAL}`)).toEqual([
      'bad.yaml:1:29: master.offerGranularity: Invalid option: expected one of "agent"|"fair-share"|"task"|"cluster"',
    ]);
  });

  test('a missing file is bad input, not a crash', () => {
    expect(() => loadScenario('/nonexistent/x.yaml')).toThrow(InputError);
  });
});
