/**
 * The `failures` block and `frameworks[].failover` in scenario files: parsed, built and run.
 * Times in seconds. Hand-worked expectations in sim/model/failures.test.ts; here only the wiring.
 */
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { simulate } from '../sim/model/simulation.js';
import { buildAgents, buildSimulation } from './build.js';
import { parseScenarioText } from './loader.js';
import { problemMessages } from './test-support/problems.js';

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
    // g's task is killed at 10 + 30 = 40. The agent failing at 100 (registered at 0: pings at 0,
    // 15, ..., the first unanswered at 105) is lost 75 s after that ping, at 180, and back at 300.
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'killed')
        .map((r) => r.t / S),
    ).toEqual([40]);
    expect(sink.of('agent_removed').map((r) => r.t / S)).toEqual([180]);
    expect(sink.of('agent_added').filter((r) => r.t === 300 * S).length).toBe(1);
  });
});

describe('ping timing from a scenario file', () => {
  // The hand-worked cases of sim/model/failures.test.ts (Mesos PartitionedSlave's shape), from a
  // scenario's `failures.agents`. Agents a-0 .. a-3 register at 0, late-0 at 7; pings every 15 s
  // from registration. Lost 75 s after the first ping at or after the failure:
  //   a-0 fails 0 (pinged at 0: lost 75), a-1 fails 15 (on a ping: lost 90), a-2 fails 20 (next ping
  //   30: lost 105), a-3 fails 30.000001 (next ping 45: lost 120), late-0 fails 50 (pings 7, 22, 37,
  //   52: lost 127).
  test('each agent is declared lost 75 s after its first unanswered ping', () => {
    const { scenario } = parseScenarioText(
      `
duration: 200
cluster:
  agents:
    - { count: 4, prefix: a-, cpus: 1, mem: 1024 }
    - { count: 1, prefix: late-, cpus: 1, mem: 1024, addAt: 7 }
failures:
  agents:
    - { agent: a-0, at: 0 }
    - { agent: a-1, at: 15 }
    - { agent: a-2, at: 20 }
    - { agent: a-3, at: 30.000001 }
    - { agent: late-0, at: 50 }
frameworks:
  - name: f
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 1, duration: 1 } ] } ] }
`,
      'ping.yaml',
    );
    const sink = new RecordingSink();
    simulate(buildSimulation(scenario, 1, [sink]));
    const names = new Map(sink.of('agent_added').map((r) => [r.agent, r.name]));
    expect(sink.of('agent_removed').map((r) => [names.get(r.agent), r.t / S])).toEqual([
      ['a-0', 75],
      ['a-1', 90],
      ['a-2', 105],
      ['a-3', 120],
      ['late-0', 127],
    ]);
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
  const problems = (block: string): string[] => problemMessages(`${BASE}failures:\n${block}`);

  test('the block is parsed with its defaults and built in microseconds', () => {
    const { scenario } = parseScenarioText(`${BASE}failures:\n  random: { mtbf: 3600, mttr: 600.5 }\n`, 'f.yaml');
    expect(scenario.failures).toEqual({ agents: [], random: { mtbf: 3600, mttr: 600.5, agents: 'all', from: 0 } });
    // Without until, failures end with the run: here its horizon, the default 30 days.
    expect(buildSimulation(scenario, 1, []).failures).toEqual({
      agents: [],
      random: { mtbf: 3600 * S, mttr: 600.5 * S, agents: undefined, fraction: undefined, from: 0, until: 2_592_000 * S },
    });
    const frac = parseScenarioText(`${BASE}failures:\n  random: { mtbf: 10, agents: 0.5, from: 5, until: 20 }\n`, 'f.yaml').scenario;
    expect(buildSimulation(frac, 1, []).failures!.random).toEqual({
      mtbf: 10 * S,
      mttr: undefined,
      agents: undefined,
      fraction: 0.5,
      from: 5 * S,
      until: 20 * S,
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
    // Means are whole microseconds once read: below 1 us, one would round to 0.
    const tooSmall = "at least 0.000001 s (1 us, the clock's unit)";
    expect(problems('  random: { mtbf: 0 }\n')).toEqual([`failures.random.mtbf: ${tooSmall}`]);
    expect(problems('  random: { mtbf: -3, mttr: -1 }\n')).toEqual([`failures.random.mtbf: ${tooSmall}`, `failures.random.mttr: ${tooSmall}`]);
    expect(problems('  random: { mtbf: 4e-7, mttr: 1e-299 }\n')).toEqual([`failures.random.mtbf: ${tooSmall}`, `failures.random.mttr: ${tooSmall}`]);
    expect(problems('  random: { mtbf: 10, from: 50, until: 20 }\n')).toEqual(['failures.random.until: until must be after from']);
    expect(problems('  random: { mtbf: 10, agents: [a-1, zz, a-1] }\n')).toEqual([
      'failures.random.agents[1]: agent "zz" is not in the cluster',
      'failures.random.agents[2]: agent "a-1" is listed twice',
    ]);
    const [frac, ...rest] = problems('  random: { mtbf: 10, agents: 1.5 }\n');
    expect(rest).toEqual([]);
    expect(frac).toMatch(/^failures\.random\.agents: /);
    expect(problems('  random: { mtbf: 10, mtbf_: 1 }\n')).toEqual(['failures.random.mtbf_: unknown field "mtbf_"; did you mean "mtbf"?']);
    expect(problems('  agents: [ { agent: zz, at: 1 } ]\n')).toEqual(['failures.agents[0].agent: agent "zz" is not in the cluster']);
  });
});

describe('partitions from a scenario file', () => {
  const PARTITION = (aware: string, failure: string) => `
cluster:
  agents:
    - { count: 1, prefix: a-, cpus: 1, mem: 1024 }
failures:
  agents: [ ${failure} ]
frameworks:
  - name: f${aware}
    workload: { kind: inline, jobs: [ { submit: 0, tasks: [ { cpus: 1, duration: 400 } ] } ] }
`;
  const problems = problemMessages;

  // The wiring of kind and the PARTITION_AWARE capability, on sim/model/partitions.test.ts's first case: task 0
  // on a-0 from 0; a-0 cut off at 100, marked unreachable at 180 (5th miss after the ping at 105),
  // back at 250 with task 0, which ends at 400. Without the capability it is lost at 180 instead.
  test('kind: partition and PARTITION_AWARE reach the run', () => {
    const states = (aware: string) => {
      const { scenario } = parseScenarioText(PARTITION(aware, '{ agent: a-0, at: 100, downFor: 150, kind: partition }'), 'f.yaml');
      const sink = new RecordingSink();
      simulate(buildSimulation(scenario, 1, [sink]));
      return sink.of('task_state').map((r) => [r.t / S, r.state]);
    };
    expect(states('\n    capabilities: [PARTITION_AWARE]')).toEqual([
      [0, 'staging'],
      [0, 'running'],
      [180, 'unreachable'],
      [250, 'running'],
      [400, 'finished'],
    ]);
    expect(states('').slice(2, 3)).toEqual([[180, 'lost']]);
  });

  test('the resolved scenario lists no new field unless given (runs without them are unchanged)', () => {
    const { scenario } = parseScenarioText(PARTITION('', '{ agent: a-0, at: 100 }'), 'f.yaml');
    expect(scenario.failures!.agents[0]).toEqual({ agent: 'a-0', at: 100 });
    expect('capabilities' in scenario.frameworks[0]!).toBe(false);
  });

  // Random partitions with a mean down time of 1 s: a down time reaches the 75 s before an agent
  // can be marked unreachable with probability e^-75 (about 3e-33), so every partition heals in
  // time: agents reconnect, none is removed, nothing is lost. The same draws as crashes (the
  // default kind) remove agents at the ping timeout, and the tasks on them are lost.
  test('random partitions heal; the same draws as crashes lose agents', () => {
    const text = (kind: string) =>
      PARTITION('', '{ agent: a-0, at: 1 }')
        .replace('count: 1,', 'count: 4,')
        .replace(/ {2}agents: \[ .* \]\n/, `  random: { mtbf: 200, mttr: 1, until: 2000${kind} }\n`)
        .replace('duration: 400 } ]', 'duration: 100, count: 4 } ]');
    const counts = (kind: string) => {
      const { scenario } = parseScenarioText(text(kind), 'f.yaml');
      const sink = new RecordingSink();
      simulate(buildSimulation(scenario, 3, [sink]));
      const states = sink.of('task_state').map((r) => r.state);
      return { reconnected: sink.of('agent_reconnected').length, removed: sink.of('agent_removed').length, lost: states.filter((x) => x === 'lost').length };
    };
    const p = counts(', kind: partition');
    expect(p.reconnected).toBeGreaterThan(0);
    expect([p.removed, p.lost]).toEqual([0, 0]);
    const c = counts('');
    expect(c.reconnected).toBe(0);
    expect(c.removed).toBeGreaterThan(0);
  });

  test('bad values name the field', () => {
    expect(problems(PARTITION('', '{ agent: a-0, at: 100, kind: partition }'))).toEqual([
      'failures.agents[0].downFor: a partition must heal: give downFor (an agent cut off for good is a crash)',
    ]);
    expect(problems(PARTITION('', '{ agent: a-0, at: 100, downFor: 5, kind: split }'))[0]).toMatch(/^failures\.agents\[0\]\.kind: /);
    expect(problems(PARTITION('\n    capabilities: [PARTITION_AWAR]', '{ agent: a-0, at: 1 }'))[0]).toMatch(/^frameworks\[0\]\.capabilities\[0\]: /);
    const random = PARTITION('', '{ agent: a-0, at: 1 }').replace(/ {2}agents: \[ .* \]\n/, '  random: { mtbf: 60, kind: partition }\n');
    expect(problems(random)).toEqual(['failures.random.mttr: random partitions must heal: give mttr']);
    const underMonolithic = `architecture: monolithic\n${PARTITION('', '{ agent: a-0, at: 1, downFor: 5, kind: partition }')}`;
    expect(problems(underMonolithic)).toEqual(['failures.agents[0].kind: partitions are modelled for the offers architecture only, not monolithic']);
    const awareUnderYarn = `architecture: yarn\n${PARTITION('\n    capabilities: [PARTITION_AWARE]', '{ agent: a-0, at: 1 }')}`;
    expect(problems(awareUnderYarn)).toEqual([
      'frameworks[0].capabilities: partition-aware frameworks are modelled for the offers architecture only, not yarn',
    ]);
  });
});
