/**
 * The `failures` block and `frameworks[].failover` in scenario files: parsed, built and run.
 * Times in seconds. Hand-worked expectations in sim/model/failures.test.ts; here only the wiring.
 */
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { simulate } from '../sim/model/simulation.js';
import { buildAgents, buildSimulation } from './build.js';
import { InputError, formatProblem } from './errors.js';
import { parseScenarioText } from './loader.js';

const S = 1_000_000;

const TEXT = (agent: string) => `
cluster:
  agents:
    - { count: 2, cpus: 1, mem: 1024 }
failures:
  agents:
    - { agent: ${agent}, at: 100, downFor: 200 }
frameworks:
  - name: f
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [{ cpus: 1, mem: 512, duration: 200, count: 1 }] }
  - name: g
    failover: { disconnectAt: 10 }
    failoverTimeout: 30
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [{ cpus: 1, mem: 512, duration: 200, count: 1 }] }
`;

describe('failure scenarios', () => {
  test('agent failure and framework failover run from a scenario file', () => {
    // Agent names come from the cluster: a probe without the failures block (a name not in the cluster is rejected).
    const probe = parseScenarioText(TEXT('x').replace(/failures:\n.*\n.*\n/, ''), 'f.yaml').scenario;
    const first = buildAgents(probe)[0]!.name;
    const { scenario } = parseScenarioText(TEXT(first), 'f.yaml');
    expect(scenario.failures).toEqual({ agents: [{ agent: first, at: 100, downFor: 200 }] });
    expect(scenario.frameworks[1]!.failover).toEqual({ disconnectAt: 10 });
    expect(scenario.frameworks[0]!.failover).toBeUndefined();
    const sink = new RecordingSink();
    simulate(buildSimulation(scenario, 1, [sink]));
    // g's task is killed at 10 + 30 = 40; the agent failing at 100 is lost by 175 and back at 300.
    expect(sink.of('task_state').filter((r) => r.state === 'killed').map((r) => r.t / S)).toEqual([40]);
    const removed = sink.of('agent_removed').map((r) => r.t / S);
    expect(removed.length).toBe(1);
    expect(removed[0]).toBeGreaterThanOrEqual(160);
    expect(removed[0]).toBeLessThan(175);
    expect(sink.of('agent_added').filter((r) => r.t === 300 * S).length).toBe(1);
  });
});

describe('random failure scenarios', () => {
  const BASE = `
cluster:
  agents:
    - { count: 4, prefix: a-, cpus: 1, mem: 1024 }
frameworks:
  - name: f
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 1, duration: 10 } ] } ] }
`;
  function problems(block: string): string[] {
    try {
      parseScenarioText(`${BASE}failures:\n${block}`, 'bad.yaml');
    } catch (err) {
      if (err instanceof InputError) return err.problems.map((p) => formatProblem(p).replace(/^bad\.yaml:\d+:\d+: /, ''));
      throw err;
    }
    throw new Error('expected the scenario to be rejected');
  }

  test('the block is parsed with its defaults and built in microseconds', () => {
    const { scenario } = parseScenarioText(`${BASE}failures:\n  random: { mtbf: 3600, mttr: 600.5 }\n`, 'f.yaml');
    expect(scenario.failures).toEqual({ agents: [], random: { mtbf: 3600, mttr: 600.5, agents: 'all', from: 0 } });
    expect(buildSimulation(scenario, 1, []).failures).toEqual({
      agents: [], random: { mtbf: 3600 * S, mttr: 600.5 * S, agents: undefined, fraction: undefined, from: 0, until: undefined },
    });
    const frac = parseScenarioText(`${BASE}failures:\n  random: { mtbf: 10, agents: 0.5, from: 5, until: 20 }\n`, 'f.yaml').scenario;
    expect(buildSimulation(frac, 1, []).failures!.random).toEqual({
      mtbf: 10 * S, mttr: undefined, agents: undefined, fraction: 0.5, from: 5 * S, until: 20 * S,
    });
    const list = parseScenarioText(`${BASE}failures:\n  random: { mtbf: 10, agents: [a-1, a-3] }\n`, 'f.yaml').scenario;
    expect(buildSimulation(list, 1, []).failures!.random!.agents).toEqual(['a-1', 'a-3']);
  });

  test('a run with random failures from a scenario file completes, the same for the same seed', () => {
    const { scenario } = parseScenarioText(`${BASE}failures:\n  random: { mtbf: 5, mttr: 5 }\n`, 'f.yaml');
    const once = () => {
      const sink = new RecordingSink();
      const r = simulate(buildSimulation(scenario, 1, [sink]));
      return { r, removed: sink.of('agent_removed').map((x) => [x.agent, x.t]) };
    };
    const a = once();
    expect(a.r.reason).toBe('completed');
    expect(once()).toEqual(a);
  });

  test('bad values name the field', () => {
    expect(problems('  random: { mtbf: 0 }\n')).toEqual(['failures.random.mtbf: Too small: expected number to be >0']);
    expect(problems('  random: { mtbf: -3, mttr: -1 }\n')).toEqual([
      'failures.random.mtbf: Too small: expected number to be >0',
      'failures.random.mttr: Too small: expected number to be >0',
    ]);
    expect(problems('  random: { mtbf: 10, from: 50, until: 20 }\n')).toEqual(['failures.random.until: until must be after from']);
    expect(problems('  random: { mtbf: 10, agents: [a-1, zz, a-1] }\n')).toEqual([
      'failures.random.agents[1]: agent "zz" is not in the cluster',
      'failures.random.agents[2]: agent "a-1" is listed twice',
    ]);
    const [frac, ...rest] = problems('  random: { mtbf: 10, agents: 1.5 }\n');
    expect(rest).toEqual([]);
    expect(frac).toMatch(/^failures\.random\.agents: /);
    expect(problems('  random: { mtbf: 10, mtbf_: 1 }\n')).toEqual(['failures.random.mtbf_: unknown field "mtbf_"']);
    expect(problems('  agents: [ { agent: zz, at: 1 } ]\n')).toEqual(['failures.agents[0].agent: agent "zz" is not in the cluster']);
  });
});
