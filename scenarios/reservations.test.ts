/**
 * Static reservations in scenario files: the `reserved` field of an agent group, its checks, and
 * a run through the scenario layer.
 */
import { InputError, formatProblem } from './errors.js';
import { buildAgents, buildSimulation } from './build.js';
import { parseScenarioText } from './loader.js';
import { resources } from '../sim/model/resources.js';
import { simulate } from '../sim/model/simulation.js';
import { RecordingSink } from '../sim/model/test-support/scripted.js';

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'bad.yaml');
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}

const scenario = (reserved: string, frameworks = '  - { name: a, role: ads }') => `
cluster:
  agents:
    - { count: 2, cpus: 4, mem: 4096, reserved: ${reserved} }
frameworks:
${frameworks}
`;

describe('agent group reservations', () => {
  test('absent by default: no field, no reservations', () => {
    const { scenario: s } = parseScenarioText(scenario('{}').replace(', reserved: {}', ''), 'ok.yaml');
    expect(s.cluster.agents[0]!.reserved).toBeUndefined();
    expect(buildAgents(s)[0]!.reserved).toBeUndefined();
  });

  test('each agent of the group gets the reservations, sorted by role', () => {
    const { scenario: s } = parseScenarioText(scenario('{ web: { cpus: 1 }, ads: { cpus: 2, mem: 1024 } }'), 'ok.yaml');
    const agents = buildAgents(s);
    expect(agents).toHaveLength(2);
    for (const a of agents) {
      expect(a.reserved).toEqual([
        { role: 'ads', res: resources({ cpus: 2, mem: 1024 }) },
        { role: 'web', res: resources({ cpus: 1 }) },
      ]);
    }
  });

  // cpus: 1 + 1 + 3.5 + 1 + 1 = 7.5 > 4; mem 5000 > 4096; '*' and 'a//b' are not reservable
  // roles; ads/x sits under ads on the same agents.
  test('every problem at once, with its path', () => {
    expect(problems(scenario("{ '*': { cpus: 1 }, 'a//b': { cpus: 1 }, ads: { cpus: 3.5, mem: 5000 }, ads/x: { cpus: 1 }, web: { cpus: 1 } }"))).toEqual([
      "bad.yaml:4:49: cluster.agents[0].reserved: reservations of cpus sum to 7.5, more than the agent's 4",
      "bad.yaml:4:49: cluster.agents[0].reserved: reservations of mem sum to 5000, more than the agent's 4096",
      'bad.yaml:4:56: cluster.agents[0].reserved.*: resources cannot be reserved for role *',
      'bad.yaml:4:77: cluster.agents[0].reserved.a//b: a role is * or names joined by / (each 1 to 100 letters, digits, ".", "_" and "-", not "." or ".." and not starting with "-")',
      'bad.yaml:4:128: cluster.agents[0].reserved.ads/x: role "ads/x" is under "ads", also reserved on these agents; reserve for one of them only',
    ]);
  });

  // Two agents of cpus 4, mem 4096 with cpus(ads):4;mem(ads):4096: wholly reserved. Framework
  // 'other' (role *) has one job of 1 task of 1 cpu: it is never offered anything and the run
  // stops at its duration, 5 s, with the task pending. 'a' (role ads) runs its one task at 0.
  test('a run through the scenario layer', () => {
    const text = `
duration: 5
cluster:
  agents:
    - { count: 2, cpus: 4, mem: 4096, reserved: { ads: { cpus: 4, mem: 4096 } } }
frameworks:
  - name: a
    role: ads
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 1, mem: 1024, duration: 2 }] }] }
  - name: other
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 1, mem: 1024, duration: 2 }] }] }
`;
    const { scenario: s } = parseScenarioText(text, 'run.yaml');
    const sink = new RecordingSink();
    const result = simulate(buildSimulation(s, s.seed, [sink]));
    expect(result.endTime / 1e6).toBe(5);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'finished')
        .map((r) => [r.framework, r.t / 1e6]),
    ).toEqual([[0, 2]]);
    expect(new Set(sink.of('offer_sent').map((o) => o.framework))).toEqual(new Set([0]));
  });
});
