/**
 * Static reservations in scenario files: the `reserved` field of an agent group, its checks, and
 * a run through the scenario layer.
 */
import { buildAgents, buildSimulation } from './build.js';
import { parseScenarioText } from './loader.js';
import { resources } from '../sim/model/resources.js';
import { simulate } from '../sim/model/simulation.js';
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { problems } from './test-support/problems.js';

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

describe("the service's reserve and unreserve options", () => {
  const service = (options: string) => `
duration: 5
cluster:
  agents:
    - { count: 1, cpus: 4, mem: 4096 }
frameworks:
  - name: web
    role: web
    behaviour: { kind: service, instances: 2, task: { cpus: 1, mem: 512 }, maxPerAgent: 2${options} }
`;

  test('absent by default: the resolved scenario has neither field', () => {
    const { scenario: s } = parseScenarioText(service(''), 'ok.yaml');
    expect(s.frameworks[0]!.behaviour).not.toHaveProperty('reserve');
    expect(s.frameworks[0]!.behaviour).not.toHaveProperty('unreserve');
  });

  test('bad values and unreserve without reserve are reported with their paths', () => {
    expect(problems(service(', reserve: 1, unreserve: later'))).toEqual([
      expect.stringMatching(/frameworks\[0\]\.behaviour\.reserve: .*boolean/),
      expect.stringMatching(/frameworks\[0\]\.behaviour\.unreserve: .*never.*unused/),
    ]);
    expect(problems(service(', unreserve: unused'))).toEqual([
      expect.stringMatching(/frameworks\[0\]\.behaviour\.unreserve: unreserve: unused gives back what the service reserved: it needs reserve: true$/),
    ]);
  });

  // One agent of cpus 4, mem 4096; two instances of cpus 1, mem 512 placed at t=0 on the one
  // offer (maxPerAgent 2): with reserve, its accept RESERVEs (2, 1024) for role web (one
  // `reservation` record); without it, none.
  test('reserve reaches the framework through the scenario layer', () => {
    const records = (options: string) => {
      const { scenario: s } = parseScenarioText(service(options), 'run.yaml');
      const sink = new RecordingSink();
      simulate(buildSimulation(s, s.seed, [sink]));
      return sink.of('reservation').map((r) => [r.t, r.op, r.role, r.res[0] / 1000, r.res[1] / 1000]);
    };
    expect(records(', reserve: true')).toEqual([[0, 'reserve', 'web', 2, 1024]]);
    expect(records('')).toEqual([]);
  });
});
