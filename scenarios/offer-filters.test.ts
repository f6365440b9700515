/**
 * The scenario fields of the GPU filter and of a framework's own minAllocatable: what validation
 * refuses, at which path, and that frameworks a trace creates (frameworkBy) take them too.
 * Expected numbers are worked out by hand in the comments.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { buildSimulation } from './build.js';
import { InputError } from './errors.js';
import { loadScenario, parseScenarioText } from './loader.js';
import { problems } from './test-support/problems.js';
import { simulateScenario } from './run.js';

const S = 1_000_000;

const BASE = `
cluster:
  agents:
    - { count: 1, cpus: 4, mem: 4096, gpus: 2 }
`;

describe('validation', () => {
  test('an unknown capability, an unknown resource in minAllocatable and a non-boolean filter are refused at their paths', () => {
    const text = `${BASE}master: { filterGpuResources: yes }
frameworks:
  - { name: a, capabilities: [GPU] }
  - { name: b, minAllocatable: [{ cpu: 4 }] }
`;
    expect(problems(text)).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+:\d+: master\.filterGpuResources: .*boolean/),
      expect.stringMatching(/^bad\.yaml:\d+:\d+: frameworks\[0\]\.capabilities\[0\]: a capability offersim models: GPU_RESOURCES, PARTITION_AWARE$/),
      expect.stringMatching(/^bad\.yaml:\d+:\d+: frameworks\[1\]\.minAllocatable\[0\]\.cpu: unknown field "cpu"; did you mean "cpus"\?/),
    ]);
  });

  test("a trace's capabilities and minAllocatable are for the frameworks it creates", () => {
    const text = `${BASE}frameworks: [{ name: a }]
traces:
  - { file: t.jsonl, framework: a, capabilities: [GPU_RESOURCES], minAllocatable: [] }
`;
    expect(problems(text)).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+:\d+: traces\[0\]\.capabilities: capabilities applies to the frameworks frameworkBy creates/),
      expect.stringMatching(/^bad\.yaml:\d+:\d+: traces\[0\]\.minAllocatable: minAllocatable applies to the frameworks frameworkBy creates/),
    ]);
  });

  test('a task that needs gpus, of a framework without GPU_RESOURCES, is refused while the filter is on', () => {
    const text = `${BASE}frameworks:
  - { name: a, workload: { kind: poisson, rate: 1, until: 10, task: { cpus: 1, mem: 64, gpus: 1, duration: 1 } } }
  - { name: b, workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 1, mem: 64, duration: 1 }, { cpus: 1, mem: 64, gpus: 1, duration: 1 }] }] } }
  - { name: c, capabilities: [GPU_RESOURCES], workload: { kind: poisson, rate: 1, until: 10, task: { cpus: 1, mem: 64, gpus: 1, duration: 1 } } }
`;
    const message = 'this task needs gpus and its framework lacks the GPU_RESOURCES capability';
    expect(problems(text)).toEqual([
      expect.stringMatching(new RegExp(`^bad\\.yaml:\\d+:\\d+: frameworks\\[0\\]\\.workload\\.task\\.gpus: ${message}`)),
      expect.stringMatching(new RegExp(`^bad\\.yaml:\\d+:\\d+: frameworks\\[1\\]\\.workload\\.jobs\\[0\\]\\.tasks\\[1\\]\\.gpus: ${message}`)),
    ]);
    expect(() => parseScenarioText(`${text}master: { filterGpuResources: false }\n`, 'ok.yaml')).not.toThrow();
  });

  test('the new fields are optional: a scenario without them resolves without them (its manifest is unchanged)', () => {
    const { scenario } = parseScenarioText(`${BASE}frameworks: [{ name: a }]\n`, 'ok.yaml');
    expect('filterGpuResources' in scenario.master).toBe(false);
    expect('capabilities' in scenario.frameworks[0]!).toBe(false);
    expect('minAllocatable' in scenario.frameworks[0]!).toBe(false);
  });
});

describe('frameworks a trace creates', () => {
  // The only agent holds 2 gpus. The trace has two jobs of user u1 (framework u1), at 0 and 1 s,
  // each one task of 1 cpu, 1024 MB, 1 gpu, 10 s. With the trace's capabilities [GPU_RESOURCES],
  // u1 is offered the agent: the tasks start at 0 and at the periodic run at 1. Without, the GPU
  // filter keeps the agent from u1 and no task starts in the 30 s run; with master
  // filterGpuResources false they start at 0 and 1 again.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'offersim-gpu-'));
    const line = (id: string, submit: number) => JSON.stringify({ id, submit, attrs: { user: 'u1' }, tasks: [{ cpus: 1, mem: 1024, gpus: 1, duration: 10 }] });
    writeFileSync(join(dir, 't.jsonl'), `${line('j0', 0)}\n${line('j1', 1)}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function starts(trace: string, master = ''): number[] {
    const text = `${BASE}duration: 30\n${master}traces:\n  - { file: t.jsonl, frameworkBy: user${trace} }\n`;
    writeFileSync(join(dir, 's.yaml'), text);
    const sink = new RecordingSink();
    simulateScenario(loadScenario(join(dir, 's.yaml')), { sinks: [sink] });
    return sink
      .of('task_state')
      .filter((r) => r.state === 'running')
      .map((r) => r.t / S);
  }

  test('take capabilities from their trace entry', () => {
    expect(starts(', capabilities: [GPU_RESOURCES]')).toEqual([0, 1]);
    expect(starts('')).toEqual([]);
    expect(starts('', 'master: { filterGpuResources: false }\n')).toEqual([0, 1]);
  });

  // PARTITION_AWARE is a capability like GPU_RESOURCES: a trace entry's reaches the frameworks it
  // creates, and is refused, at the entry's field, outside the offers architecture.
  test('take PARTITION_AWARE from their trace entry; refused outside offers', () => {
    const write = (head: string) => {
      writeFileSync(join(dir, 's.yaml'), `${BASE}${head}duration: 30\ntraces:\n  - { file: t.jsonl, frameworkBy: user, capabilities: [PARTITION_AWARE] }\n`);
      return join(dir, 's.yaml');
    };
    const input = buildSimulation(loadScenario(write('')).scenario, 1, []);
    expect(input.frameworks.map((f) => [f.name, f.options?.partitionAware])).toEqual([['u1', true]]);
    let message = '';
    try {
      loadScenario(write('architecture: monolithic\n'));
    } catch (err) {
      message = err instanceof InputError ? err.problems.map((p) => `${p.path}: ${p.message}`).join('\n') : String(err);
    }
    expect(message).toBe('traces[0].capabilities: partition-aware frameworks are modelled for the offers architecture only, not monolithic');
  });
});
