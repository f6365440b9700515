/**
 * The month case's machinery (never the timed run): the opt-in cases stay out of a full bench,
 * the quick overrides shrink bench/month.yaml as worked out by hand, and a run takes the generated
 * jobs besides the scenario's own services.
 */
import { describe, expect, test } from '@jest/globals';
import { loadScenario } from '../scenarios/loader.js';
import { simulateScenario } from '../scenarios/run.js';
import { parseArgs, selectCases } from './bench.js';
import { repoFile } from './cases.js';
import { monthJobs, monthOverrides } from './month.js';

const MONTH = ['google-day', 'google-week', 'month'];

describe('the month cases', () => {
  test('a full bench leaves them out; --quick runs the month at its quick size; --case names one', () => {
    expect(selectCases(parseArgs([])).filter((c) => MONTH.includes(c.name))).toEqual([]);
    expect(
      selectCases(parseArgs(['--quick']))
        .filter((c) => MONTH.includes(c.name))
        .map((c) => c.name),
    ).toEqual(['month']);
    expect(selectCases(parseArgs(['--case', 'month'])).map((c) => c.name)).toEqual(['month']);
    expect(selectCases(parseArgs(['--case', 'google'])).map((c) => c.name)).toEqual(['google-day', 'google-week']);
  });

  test('the quick overrides: a fiftieth of every machine group and service, at least one', () => {
    const full = loadScenario(repoFile('bench/month.yaml')).scenario;
    expect(full.cluster.agents.reduce((n, a) => n + a.count, 0)).toBe(12_583);
    expect(full.duration).toBe(30 * 86_400);
    // 6732/50 = 134.64 -> 135, 3863/50 = 77.26 -> 77, 1001/50 = 20.02 -> 20, 795/50 = 15.9 -> 16,
    // 126/50 = 2.52 -> 3, 52/50 = 1.04 -> 1, then 5, 5, 3, 1 machines -> 0 -> at least 1 each;
    // services 7007/50 = 140.14 -> 140
    const small = loadScenario(repoFile('bench/month.yaml'), monthOverrides(full, 3600, 1 / 50)).scenario;
    expect(small.duration).toBe(3600);
    expect(small.cluster.agents.map((a) => a.count)).toEqual([135, 77, 20, 16, 3, 1, 1, 1, 1, 1]);
    const instances = small.frameworks.map((f) => (typeof f.behaviour === 'object' && f.behaviour.kind === 'service' ? f.behaviour.instances : 0));
    expect(instances).toEqual([0, 0, 0, ...Array<number>(8).fill(140)]);
    expect(monthOverrides(full, 86_400)).toEqual(['duration=86400']);
  });

  test('a run submits the generated jobs besides the services', () => {
    const full = loadScenario(repoFile('bench/month.yaml')).scenario;
    // a hundredth of the cluster for two hours: arrivals 100 times sparser than the month's
    const loaded = loadScenario(repoFile('bench/month.yaml'), monthOverrides(full, 7200, 1 / 100));
    const generated = [...monthJobs(loaded.scenario, 1 / 100)];
    expect(generated.length).toBeGreaterThan(0);
    const tasks = generated.reduce((n, j) => n + j.tasks.length, 0);
    const out = simulateScenario(loaded, { jobs: monthJobs(loaded.scenario, 1 / 100) });
    // 8 services of round(7007 / 100) = 70 instances each: 8 jobs, 560 tasks, plus the generated ones
    expect(out.metrics.summary.jobs).toBe(8 + generated.length);
    expect(out.metrics.summary.tasks).toBe(560 + tasks);
    // without them, the services alone
    expect(simulateScenario(loaded).metrics.summary.jobs).toBe(8);
  });
});
