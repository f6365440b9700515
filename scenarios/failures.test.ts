/**
 * The `failures` block and `frameworks[].failover` in scenario files: parsed, built and run.
 * Times in seconds. Hand-worked expectations in sim/model/failures.test.ts; here only the wiring.
 */
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { simulate } from '../sim/model/simulation.js';
import { buildAgents, buildSimulation } from './build.js';
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
    const probe = parseScenarioText(TEXT('x'), 'f.yaml').scenario;
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
