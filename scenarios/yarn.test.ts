/**
 * `architecture: yarn` from a scenario file: the queues derived from the roles (capacities in
 * proportion to the weights), byte-identical reruns under each scheduler, the same workload under
 * Mesos and YARN, and every bad setting refused with exit 2 at its field.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText } from './loader.js';
import { cli } from './test-support/cli.js';
import { fileURLToPath } from 'node:url';
import { buildYarn } from './yarn-settings.js';
import { yarnScenario } from './build.js';
import { R, resources } from '../sim/model/resources.js';
import { problems } from './test-support/problems.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-yarn-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Two roles of weights 1 and 3, a framework in each, 8 nodes of 8 cpus and 16 GB on 2 racks. */
const BASE = `name: y
seed: 7
architecture: yarn
roles:
  a: { weight: 1 }
  b: { weight: 3 }
cluster:
  agents:
    - { count: 8, prefix: n, racks: 2, cpus: 8, mem: 16384 }
frameworks:
  - name: fa
    role: a
    workload: { kind: poisson, rate: 0.1, until: 120, tasksPerJob: { uniform: [2, 20] }, task: { cpus: 1, mem: 2048, duration: { exponential: 20 } } }
  - name: fb
    role: b
    workload: { kind: poisson, rate: 0.1, until: 120, tasksPerJob: { uniform: [2, 20] }, task: { cpus: 1, mem: 2048, duration: { exponential: 20 } } }
`;

describe('queues from the roles', () => {
  test('capacity: one leaf per role, capacities in proportion to the weights (1:3 is 25% and 75%)', () => {
    const { scenario } = parseScenarioText(BASE, 'y.yaml');
    const { scheduler, options } = buildYarn(scenario);
    expect(scheduler.name).toBe('capacity');
    expect(scheduler.leafQueues).toEqual(['root.a', 'root.b']);
    expect([options.queueOf('fa'), options.queueOf('fb')]).toEqual(['root.a', 'root.b']);
    // 8 nodes of 16 GB: 128 GB. Guarantees 0.25 x 128 = 32 GB and 0.75 x 128 = 96 GB.
    for (let i = 0; i < 8; i++) scheduler.addNode({ index: i, host: `n${i}`, rack: `r${i % 2}`, total: resources({ cpus: 8, mem: 16384 }) });
    const used = new Float64Array(4);
    const guarantee = new Float64Array(4);
    scheduler.queueUsage('root.a', used, guarantee);
    expect(guarantee[R.mem]! / 1000).toBe(32 * 1024);
    scheduler.queueUsage('root.b', used, guarantee);
    expect(guarantee[R.mem]! / 1000).toBe(96 * 1024);
  });

  test("the defaults are Hadoop's: the CapacityScheduler, 1 s heartbeats out of band, a 1536 MB AM, the memory calculator", () => {
    const { scenario } = parseScenarioText(BASE, 'y.yaml');
    const { options } = buildYarn(scenario);
    expect([options.nodeHeartbeat, options.amHeartbeat, options.outOfBandHeartbeat, options.calculator, options.taskPriority]).toEqual([
      1e6,
      1e6,
      true,
      'memory',
      20,
    ]);
    expect(options.am![R.mem]! / 1000).toBe(1536);
  });
});

test("frameworks a trace creates are queues' users too: frameworkBy user, roleBy queue gives a queue per trace queue", async () => {
  // The fixture's jobs in the window: b (user u2, queue q2), e (u3, no queue: role *) and f; the
  // created frameworks' roles are q-q2, q-q1 and * (scenarios/trace-source.test.ts), so the queues
  // are root.q-q1, root.q-q2 and root.default, each of weight 1 (a third each).
  const fixtures = fileURLToPath(new URL('../workloads/trace/fixtures/', import.meta.url));
  const text = `name: yt
architecture: yarn
yarn: { am: null }
cluster:
  agents:
    - { count: 4, prefix: n, cpus: 8, mem: 16384 }
traces:
  - { file: ${join(fixtures, 'small.jsonl')}, frameworkBy: user, roleBy: queue, rolePrefix: q-, window: { from: 5, until: 100 } }
`;
  const { scenario } = parseScenarioText(text, 'yt.yaml');
  const { scheduler, options } = buildYarn(yarnScenario(scenario));
  expect(scheduler.leafQueues).toEqual(['root.default', 'root.q-q1', 'root.q-q2']);
  expect(['u1', 'u2', 'u3'].map((f) => options.queueOf(f))).toEqual(['root.q-q1', 'root.q-q2', 'root.default']);
  const file = join(tmp, 'trace.yaml');
  writeFileSync(file, text);
  const r = await cli('run', file, '--out', join(tmp, 'trace-out'), '--quiet');
  expect(r.code).toBe(0);
  // Listed queues must hold the created frameworks too: checked once the trace is opened, at traces.
  const listed = join(tmp, 'trace-listed.yaml');
  writeFileSync(listed, text.replace('yarn: { am: null }', 'yarn: { am: null, capacity: { queues: [ { path: root.q-q1, capacity: 100 } ] } }'));
  const bad = await cli('run', listed, '--out', join(tmp, 'trace-listed-out'));
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(
    /traces: framework u2's jobs go to queue root\.q-q2 \(its role\), which is not a leaf queue of the capacity scheduler \(root\.q-q1\)/,
  );
});

describe('runs', () => {
  test.each(['capacity', 'fair', 'fifo'])('%s: a rerun is byte-identical, and every job finishes', async (scheduler) => {
    const file = join(tmp, `${scheduler}.yaml`);
    writeFileSync(file, `${BASE}yarn: { scheduler: ${scheduler} }\n`);
    const a = await cli('run', file, '--out', join(tmp, `${scheduler}-1`), '--quiet');
    const b = await cli('run', file, '--out', join(tmp, `${scheduler}-2`), '--quiet');
    expect([a.code, b.code]).toEqual([0, 0]);
    for (const f of ['summary.json', 'jobs.csv', 'frameworks.csv', 'timeseries.csv']) {
      expect(readFileSync(join(tmp, `${scheduler}-2`, f), 'utf8')).toBe(readFileSync(join(tmp, `${scheduler}-1`, f), 'utf8'));
    }
    const summary = JSON.parse(readFileSync(join(tmp, `${scheduler}-1`, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary['jobs_finished']).toBe(summary['jobs']);
    expect(summary['jobs_unfinished']).toBe(0);
  });

  test('the same workload under offers and yarn: the same jobs, and no offers under yarn', async () => {
    const yarn = join(tmp, 'cmp-yarn.yaml');
    const offers = join(tmp, 'cmp-offers.yaml');
    writeFileSync(yarn, BASE);
    writeFileSync(offers, BASE.replace('architecture: yarn\n', ''));
    expect((await cli('run', yarn, '--out', join(tmp, 'cmp-y'), '--quiet')).code).toBe(0);
    expect((await cli('run', offers, '--out', join(tmp, 'cmp-o'), '--quiet')).code).toBe(0);
    const col = (dir: string, name: string): string[] => {
      const [head, ...rows] = readFileSync(join(tmp, dir, 'jobs.csv'), 'utf8')
        .trim()
        .split('\n');
      const k = head!.split(',').indexOf(name);
      return rows.map((r) => r.split(',')[k]!);
    };
    // The workload is drawn from the seed alone: the same jobs, submitted at the same times.
    expect(col('cmp-y', 'submit_s')).toEqual(col('cmp-o', 'submit_s'));
    const sy = JSON.parse(readFileSync(join(tmp, 'cmp-y', 'summary.json'), 'utf8')) as Record<string, unknown>;
    const so = JSON.parse(readFileSync(join(tmp, 'cmp-o', 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(sy['offers_sent']).toBe(0);
    expect(so['offers_sent']).toBeGreaterThan(0);
  });
});

describe('bad settings are refused at their field', () => {
  test.each([
    [
      'yarn settings without the architecture',
      BASE.replace('architecture: yarn\n', '') + 'yarn: { scheduler: fair }\n',
      /^yarn: the yarn settings apply only with architecture: yarn$/,
    ],
    [
      'capacities that do not sum to 100',
      `${BASE}yarn:\n  capacity:\n    queues:\n      - { path: root.a, capacity: 30 }\n      - { path: root.b, capacity: 60 }\n`,
      /^yarn\.capacity\.queues: the capacities of the children of "root" sum to 90, not 100$/,
    ],
    [
      'a framework whose role is not a leaf queue',
      `${BASE}yarn:\n  capacity:\n    queues:\n      - { path: root.a, capacity: 100 }\n`,
      /^frameworks\[1\]\.role: framework fb's jobs go to queue root\.b \(its role\), which is not a leaf queue of the capacity scheduler \(root\.a\)$/,
    ],
    ['an unknown scheduler', `${BASE}yarn: { scheduler: drf }\n`, /^yarn\.scheduler: /],
  ])('%s', (_label, text, message) => {
    const found = problems(text);
    expect(found.some((p) => message.test(p.replace(/^[^:]*:\d+:\d+: /, '')))).toBe(true);
  });

  test('a behaviour the ApplicationMaster cannot drive (gang) is refused under yarn', () => {
    const text = BASE.replace('  - name: fb\n    role: b\n', '  - name: fb\n    role: b\n    behaviour: { kind: gang }\n');
    expect(problems(text).map((p) => p.replace(/^[^:]*:\d+:\d+: /, ''))).toContain(
      'frameworks[1].behaviour: the gang behaviour cannot run under yarn: only the batch behaviour lets an ApplicationMaster launch its tasks',
    );
  });

  test('the CLI exits 2 with the message and writes nothing', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, `${BASE}yarn: { capacity: { queues: [ { path: root.a, capacity: 100 } ] } }\n`);
    const r = await cli('run', file, '--out', join(tmp, 'bad-out'));
    expect(r.code).toBe(2);
    expect(existsSync(join(tmp, 'bad-out'))).toBe(false);
    expect(r.err).toMatch(/frameworks\[1\]\.role: framework fb's jobs go to queue root\.b/);
  });
});
