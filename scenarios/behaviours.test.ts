/**
 * The gang and service behaviours in scenario files: their fields and defaults, the checks that
 * reject bad scenarios with field paths, and a small run through buildSimulation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { simulate } from '../sim/model/simulation.js';
import { buildSimulation } from './build.js';
import { parseScenarioText } from './loader.js';
import { cli } from './test-support/cli.js';
import { problems } from './test-support/problems.js';

const CLUSTER = `
cluster:
  agents:
    - { count: 4, racks: 2, cpus: 4, mem: 4096 }
`;

const SERVICE = `${CLUSTER}
duration: 30
frameworks:
  - name: web
    behaviour: { kind: service, instances: 3, task: { cpus: 1, mem: 512 } }
  - name: mpi
    behaviour: { kind: gang, hoard: true }
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [{ cpus: 4, mem: 2048, duration: 10, count: 2 }] }
`;

describe('gang and service fields', () => {
  test('defaults are filled in as documented', () => {
    const { scenario } = parseScenarioText(SERVICE, 's.yaml');
    expect(scenario.frameworks[0]!.behaviour).toEqual({
      kind: 'service',
      instances: 3,
      task: { cpus: 1, mem: 512, disk: 0, gpus: 0 },
      maxPerAgent: 1,
      spreadRacks: true,
      refuseSeconds: 5,
    });
    expect(scenario.frameworks[1]!.behaviour).toEqual({ kind: 'gang', hoard: true, maxHoldSeconds: 0, refuseSeconds: 5 });
    const bare = parseScenarioText(`${CLUSTER}\nframeworks:\n  - { name: g, behaviour: gang }\n`, 'g.yaml');
    expect(bare.scenario.frameworks[0]!.behaviour).toBe('gang');
  });

  test('a service needs a run duration, no workload, and a task that fits', () => {
    const text = `${CLUSTER}
frameworks:
  - name: web
    behaviour: { kind: service, instances: 3, task: { cpus: 8 } }
    workload: { kind: inline, jobs: [] }
`;
    const p = problems(text);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/duration: framework "web" is a service, whose tasks never end: give the run a duration$/),
        expect.stringMatching(/frameworks\[0\]\.workload: a service takes its tasks from behaviour\.instances/),
        expect.stringMatching(/frameworks\[0\]\.behaviour\.task: this task fits on no agent of the cluster$/),
      ]),
    );
    expect(p).toHaveLength(3);
  });

  test('bad behaviour fields are reported with their paths', () => {
    const text = `${CLUSTER}
duration: 10
frameworks:
  - name: web
    behaviour: { kind: service, task: { cpus: 1 }, maxPerAgent: 0 }
  - name: mpi
    behaviour: { kind: gang, hoard: 3, holdSeconds: 2 }
`;
    const p = problems(text).join('\n');
    expect(p).toMatch(/frameworks\[0\]\.behaviour\.instances: /);
    expect(p).toMatch(/frameworks\[0\]\.behaviour\.maxPerAgent: /);
    expect(p).toMatch(/frameworks\[1\]\.behaviour\.hoard: /);
    expect(p).toMatch(/frameworks\[1\]\.behaviour\.holdSeconds: unknown field "holdSeconds"/);
  });

  test('a gang job larger than the cluster is rejected', () => {
    const text = `${CLUSTER}
frameworks:
  - name: mpi
    behaviour: gang
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 4, mem: 1024, duration: 1, count: 5 }] }] }
`;
    // 5 tasks of 4 cpus = 20 cpus; the cluster has 4 agents of 4 = 16.
    expect(problems(text)).toEqual([
      expect.stringMatching(/frameworks\[0\]\.workload\.jobs\[0\]: this gang job needs 20 cpus at once, more than the cluster's 16: it could never start$/),
    ]);
  });

  test('the non-offer baselines reject gang and service frameworks', () => {
    const p = problems(`${SERVICE}\nallocator: monolithic\n`);
    expect(p).toEqual([
      expect.stringMatching(/frameworks\[0\]\.behaviour: the service behaviour needs offers; allocator "monolithic" places tasks without them \(monolithic\)$/),
      expect.stringMatching(/frameworks\[1\]\.behaviour: the gang behaviour needs offers/),
    ]);
  });

  test('offersim validate exits 2 for a service without a duration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offersim-behaviours-'));
    try {
      const file = join(dir, 'svc.yaml');
      writeFileSync(file, SERVICE.replace('duration: 30\n', ''));
      const r = await cli('validate', file);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/svc\.yaml:\d+:\d+: duration: framework "web" is a service/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a scenario with a service and a hoarding gang', () => {
  // Four agents of <4 cpus, 4 GB>, two racks (agent-0, agent-1 on rack-0; agent-2, agent-3 on
  // rack-1). At t=0 web (3 instances of <1, 512>) and mpi (a job of 2 tasks of <4, 2048>) share
  // the first run: DRF hands each agent whole to the framework with the lower share (ties: name,
  // mpi < web), so each gets two agents: mpi can place its 2 tasks at once (one per offer) and
  // starts them both at t=0; web has only 2 agents for 3 instances at one per agent: 2 start at
  // t=0, the third waits for an agent with none. mpi's tasks end at t=10 and their agents are
  // offered to web at the t=10 tick (mpi is suppressed): the third instance starts there, at
  // t=10, on a third agent. The run stops at its 30 s duration with 3 instances running.
  test('each behaviour keeps its rule', () => {
    const { scenario } = parseScenarioText(SERVICE, 's.yaml');
    const sink = new RecordingSink();
    const result = simulate(buildSimulation(scenario, 1, [sink]));
    const running = sink.of('task_state').filter((r) => r.state === 'running');
    const mpi = running.filter((r) => r.framework === 1);
    expect(mpi.map((r) => r.t / 1e6)).toEqual([0, 0]);
    const web = running.filter((r) => r.framework === 0);
    expect(web.map((r) => r.t / 1e6)).toEqual([0, 0, 10]);
    expect(new Set(web.map((r) => r.agent)).size).toBe(3);
    expect(result.reason).toBe('duration');
    expect(result.jobsFinished).toBe(1);
  });
});

describe('batch decision time in scenario files', () => {
  // One 4-cpu agent, one job of two 1-cpu 10 s tasks at 0. decisionJob 1 + decisionTask 0.5 x 2
  // tasks = 2 s: the offer made at 0 is held until 2, both tasks run [2, 12].
  const TEXT = `
cluster:
  agents:
    - { count: 1, cpus: 4, mem: 4096 }
frameworks:
  - name: slow
    behaviour: { kind: batch, decisionJob: 1, decisionTask: 0.5, maxAttempts: 3 }
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [{ cpus: 1, mem: 1, duration: 10, count: 2 }] }
`;
  test('decisionJob, decisionTask and maxAttempts reach the framework', () => {
    const { scenario } = parseScenarioText(TEXT, 'd.yaml');
    const sink = new RecordingSink();
    simulate(buildSimulation(scenario, 1, [sink]));
    expect(sink.of('decision').map((r) => [r.start / 1e6, r.t / 1e6, r.tasks])).toEqual([[0, 2, 2]]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => r.t / 1e6),
    ).toEqual([2, 2]);
  });
  test('negative decision time and fractional maxAttempts are rejected', () => {
    expect(problems(TEXT.replace('decisionJob: 1', 'decisionJob: -1')).join('\n')).toMatch(/decisionJob/);
    expect(problems(TEXT.replace('maxAttempts: 3', 'maxAttempts: 1.5')).join('\n')).toMatch(/maxAttempts/);
  });
});

describe('batch decision time under the shared-state baseline', () => {
  // The first case of sim/model/central.test.ts from a scenario file, through `offersim run`: one
  // 4-cpu agent; a and b (decisionJob 1) each submit one 4-cpu, 5 s task at 0. a commits first at
  // 1; b conflicts, decides again [1, 2] on a full agent, waits, and decides [6, 7] after a's task
  // ends at 6: its task runs [7, 12]. Busyness a 1/12, b 3/12; conflicts a 0 of 1 placement, b 1
  // of 2; overall 1 of 3.
  const TEXT = `
allocator: shared-state
cluster:
  agents:
    - { count: 1, cpus: 4, mem: 4096 }
frameworks:
  - name: a
    behaviour: { kind: batch, decisionJob: 1 }
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 4, mem: 1, duration: 5 }] }] }
  - name: b
    behaviour: { kind: batch, decisionJob: 1 }
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 4, mem: 1, duration: 5 }] }] }
`;
  test('conflicts and busyness reach frameworks.csv and summary.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offersim-shared-state-'));
    try {
      const file = join(dir, 'ss.yaml');
      writeFileSync(file, TEXT);
      const r = await cli('run', file, '--out', join(dir, 'out'));
      expect(r.code).toBe(0);
      const csv = readFileSync(join(dir, 'out', 'frameworks.csv'), 'utf8').split('\n');
      const header = csv[0]!.split(',');
      const col = (row: number, name: string): string => csv[row]!.split(',')[header.indexOf(name)]!;
      expect([1, 2].map((i) => [col(i, 'framework'), col(i, 'busyness'), col(i, 'conflicts'), col(i, 'conflict_fraction')])).toEqual([
        ['a', '0.083333', '0', '0.000000'],
        ['b', '0.250000', '1', '0.500000'],
      ]);
      const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as Record<string, unknown>;
      expect([summary['conflicts'], summary['conflict_fraction'], summary['run_end_s']]).toEqual([1, 0.333333, 12]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gang and service decision time in scenario files', () => {
  // Two 4-cpu agents. mpi (gang): one job of two 4-cpu 10 s tasks at 0; decisionJob 1 +
  // decisionTask 0.5 x 2 = 2 s: both tasks run [2, 12]. web (service, subscribing at 20, after the
  // gang is done): 2 instances, decisionJob 1 + decisionTask 0.25 x 2 = 1.5 s: both start at 21.5.
  const TEXT = `
duration: 40
cluster:
  agents:
    - { count: 2, cpus: 4, mem: 4096 }
frameworks:
  - name: mpi
    behaviour: { kind: gang, decisionJob: 1, decisionTask: 0.5, maxAttempts: 3 }
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [{ cpus: 4, mem: 1, duration: 10, count: 2 }] }
  - name: web
    addAt: 20
    behaviour: { kind: service, instances: 2, task: { cpus: 1, mem: 1 }, decisionJob: 1, decisionTask: 0.25 }
`;
  test('the fields are accepted and reach the frameworks', () => {
    const { scenario } = parseScenarioText(TEXT, 'd.yaml');
    expect(scenario.frameworks[0]!.behaviour).toMatchObject({ decisionJob: 1, decisionTask: 0.5, maxAttempts: 3 });
    expect(scenario.frameworks[1]!.behaviour).toMatchObject({ decisionJob: 1, decisionTask: 0.25 });
    const sink = new RecordingSink();
    simulate(buildSimulation(scenario, 1, [sink]));
    expect(sink.of('decision').map((r) => [r.framework, r.start / 1e6, r.t / 1e6, r.tasks])).toEqual([
      [0, 0, 2, 2],
      [1, 20, 21.5, 2],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => [r.framework, r.t / 1e6]),
    ).toEqual([
      [0, 2],
      [0, 2],
      [1, 21.5],
      [1, 21.5],
    ]);
  });
  test('bad values are rejected with their paths; a service has no maxAttempts', () => {
    expect(problems(TEXT.replace('decisionJob: 1, decisionTask: 0.5', 'decisionJob: -1, decisionTask: 0.5'))).toEqual([
      expect.stringMatching(/frameworks\[0\]\.behaviour\.decisionJob: Too small/),
    ]);
    expect(problems(TEXT.replace('decisionTask: 0.25', 'decisionTask: 0.25, maxAttempts: 2'))).toEqual([
      expect.stringMatching(/frameworks\[1\]\.behaviour\.maxAttempts: unknown field "maxAttempts"/),
    ]);
  });
});
