/**
 * Failures and preemption under `architecture: yarn` from a scenario file: the failure and
 * preemption settings of the `yarn` block with Hadoop's defaults, every bad value refused at its
 * field, and a run with random agent failures byte-identical on rerun.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText } from './loader.js';
import { cli } from './test-support/cli.js';
import { buildYarn, yarnSettings } from './yarn-settings.js';
import { problemMessages } from './test-support/problems.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-yarn-failures-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** One framework, 6 nodes of 8 cpus and 8 GB on 2 racks, jobs for 20 minutes. */
const BASE = `name: yf
seed: 11
architecture: yarn
cluster:
  agents:
    - { count: 6, prefix: n, racks: 2, cpus: 8, mem: 8192 }
frameworks:
  - name: f
    workload: { kind: poisson, rate: 0.05, until: 900, tasksPerJob: { uniform: [2, 10] }, task: { cpus: 1, mem: 1024, duration: { exponential: 60 } } }
`;

const problems = problemMessages;

describe('the failure and preemption settings', () => {
  test("Hadoop's defaults: 600 s node and AM expiry, 2 attempts; preemption off", () => {
    const { scenario } = parseScenarioText(BASE, 'yf.yaml');
    const { options } = buildYarn(scenario);
    expect([options.nmExpiry, options.amExpiry, options.amMaxAttempts]).toEqual([600_000_000, 600_000_000, 2]);
    const y = yarnSettings(scenario);
    expect(y.capacity.preemption).toEqual({
      enabled: false,
      monitoringInterval: 3,
      maxWaitBeforeKill: 15,
      totalPreemptionPerRound: 0.1,
      maxIgnoredOverCapacity: 0.1,
      naturalTerminationFactor: 0.2,
    });
    expect(y.fair.preemption).toEqual({ enabled: false, utilizationThreshold: 0.8, fairShareThreshold: 0.5, waitBeforeKill: 15 });
  });

  test('the values given reach the ResourceManager, in microseconds', () => {
    const { scenario } = parseScenarioText(`${BASE}yarn: { nmExpiry: 900, amExpiry: 60, amMaxAttempts: 4 }\n`, 'yf.yaml');
    const { options } = buildYarn(scenario);
    expect([options.nmExpiry, options.amExpiry, options.amMaxAttempts]).toEqual([900_000_000, 60_000_000, 4]);
  });

  test.each([
    ['a zero node expiry', 'yarn: { nmExpiry: 0 }', /^yarn\.nmExpiry: at least 0\.000001 s/],
    ['a negative AM expiry', 'yarn: { amExpiry: -5 }', /^yarn\.amExpiry: at least 0\.000001 s/],
    ['zero attempts', 'yarn: { amMaxAttempts: 0 }', /^yarn\.amMaxAttempts: /],
    ['a fractional attempt count', 'yarn: { amMaxAttempts: 1.5 }', /^yarn\.amMaxAttempts: /],
    ['attempts as text', 'yarn: { amMaxAttempts: two }', /^yarn\.amMaxAttempts: /],
    [
      'a per-round share above 1',
      'yarn: { capacity: { preemption: { totalPreemptionPerRound: 2 } } }',
      /^yarn\.capacity\.preemption\.totalPreemptionPerRound: /,
    ],
    ['a zero monitoring interval', 'yarn: { capacity: { preemption: { monitoringInterval: 0 } } }', /^yarn\.capacity\.preemption\.monitoringInterval: /],
    ['enabled as text', 'yarn: { capacity: { preemption: { enabled: yes } } }', /^yarn\.capacity\.preemption\.enabled: /],
    ['an unknown preemption key', 'yarn: { capacity: { preemption: { interval: 3 } } }', /^yarn\.capacity\.preemption\.interval: unknown field "interval"$/],
    [
      'a utilisation threshold above 1',
      'yarn: { scheduler: fair, fair: { preemption: { utilizationThreshold: 1.5 } } }',
      /^yarn\.fair\.preemption\.utilizationThreshold: /,
    ],
    [
      'a negative fair-share timeout',
      'yarn: { scheduler: fair, fair: { preemption: { fairShareTimeout: -1 } } }',
      /^yarn\.fair\.preemption\.fairShareTimeout: /,
    ],
  ])('%s is refused at its field', (_label, block, message) => {
    const found = problems(`${BASE}${block}\n`);
    expect(found.some((p) => message.test(p))).toBe(true);
  });

  test('failures are accepted under yarn', () => {
    expect(() => parseScenarioText(`${BASE}failures: { agents: [ { agent: n0, at: 10 } ] }\n`, 'yf.yaml')).not.toThrow();
  });
});

describe('random agent failures under yarn', () => {
  test('a run is byte-identical on rerun, and loses agents and tasks', async () => {
    // mtbf 900 s over 6 agents for 15 minutes: several failures, each lost 600-800 s after its
    // last heartbeat, with 600 s repairs.
    const file = join(tmp, 'random.yaml');
    writeFileSync(file, `${BASE}failures: { random: { mtbf: 900, mttr: 600, until: 900 } }\n`);
    const a = await cli('run', file, '--out', join(tmp, 'ra'), '--quiet');
    const b = await cli('run', file, '--out', join(tmp, 'rb'), '--quiet');
    expect([a.code, b.code]).toEqual([0, 0]);
    for (const f of ['summary.json', 'jobs.csv', 'frameworks.csv', 'timeseries.csv']) {
      expect(readFileSync(join(tmp, 'rb', f), 'utf8')).toBe(readFileSync(join(tmp, 'ra', f), 'utf8'));
    }
    const summary = JSON.parse(readFileSync(join(tmp, 'ra', 'summary.json'), 'utf8')) as Record<string, unknown>;
    // Agents failed and their tasks were lost, and every job (copies of lost tasks included) finished.
    expect(summary['tasks_lost']).toBeGreaterThan(0);
    expect(summary['jobs_finished']).toBe(summary['jobs']);
  });
});
