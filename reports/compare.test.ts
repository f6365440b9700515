import { describe, expect, it } from '@jest/globals';
import { compareRuns, frameworkMetricInfo, summaryMetricInfo, type CompareRow } from './compare.js';
import { METRICS, RUNS } from './test-support/compare-runs.js';

function row(rows: readonly CompareRow[], policy: string, metric: string, framework: string | null = null): CompareRow {
  const r = rows.find((x) => x.policy === policy && x.metric.key === metric && x.framework === framework);
  if (r === undefined) throw new Error(`no row ${policy} ${metric} ${framework}`);
  return r;
}

describe('compareRuns', () => {
  const c = compareRuns(RUNS, { reference: 'drf', metrics: METRICS, frameworks: true });

  it('orders the policies: the reference first, then by label', () => {
    expect(c.policies).toEqual(['drf', 'fifo', 'random']);
    expect(c.rows.filter((r) => r.framework === null).map((r) => `${r.policy}:${r.metric.key}`)).toEqual(
      ['drf', 'fifo', 'random'].flatMap((p) => METRICS.map((m) => `${p}:${m}`)),
    );
  });

  it('gives the mean across seeds and no difference for the reference', () => {
    // drf utilisation_cpus: (0.5 + 0.6 + 0.7) / 3 = 0.6
    const r = row(c.rows, 'drf', 'utilisation_cpus');
    expect(r.n).toBe(3);
    expect(r.mean).toBeCloseTo(0.6, 12);
    expect(r.pairs).toBe(0);
    expect(r.significant).toBe(false);
    expect(r.verdict).toBe('none');
  });

  it('pairs by seed: a difference whose CI spans zero is not significant', () => {
    // random - drf per seed: 0.1, 0.2, 0.0; mean 0.1; deviations 0, 0.1, -0.1: ss 0.02, s^2 0.01, s 0.1;
    // standard error 0.1 / sqrt(3) = 0.0577350; half-width 4.303 x 0.0577350 = 0.248434 > 0.1.
    const r = row(c.rows, 'random', 'utilisation_cpus');
    expect(r.mean).toBeCloseTo(0.7, 12);
    expect(r.pairs).toBe(3);
    expect(r.diff).toBeCloseTo(0.1, 12);
    expect(r.diffCi95).toBeCloseTo(0.248434, 6);
    expect(r.significant).toBe(false);
    expect(r.verdict).toBe('none');
  });

  it('marks a significant difference in the good direction as better (lower is better)', () => {
    // random - drf: 7 - 10, 9 - 12, 10 - 14 = -3, -3, -4; mean -10/3 = -3.333333; deviations 1/3, 1/3,
    // -2/3: ss 6/9, s^2 1/3; standard error sqrt(1/9) = 1/3; half-width 4.303 / 3 = 1.434333 < 3.333.
    const r = row(c.rows, 'random', 'completion_p50_s');
    expect(r.diff).toBeCloseTo(-10 / 3, 12);
    expect(r.diffCi95).toBeCloseTo(1.434333, 6);
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe('better');
    expect(r.metric).toEqual({
      key: 'completion_p50_s',
      description: 'median (nearest rank) of completion time (finish minus submit)',
      unit: 's',
      better: 'lower',
    });
  });

  it('marks a constant difference in the bad direction as worse (higher is better)', () => {
    // random - drf: 0.8 - 0.9 on every seed: mean -0.1, no spread, so the interval is the point -0.1.
    const r = row(c.rows, 'random', 'jain_arrival_mean');
    expect(r.diff).toBeCloseTo(-0.1, 12);
    expect(r.diffCi95).toBeCloseTo(0, 12);
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe('worse');
  });

  it('says "changed" of a significant difference of a metric with no good direction', () => {
    // random - drf: 0.2, 0.2, 0.3; mean 0.233333; deviations -1/30, -1/30, 2/30: ss 6/900, s^2 1/300;
    // standard error sqrt(1/900) = 1/30; half-width 4.303 / 30 = 0.143433 < 0.2333.
    const r = row(c.rows, 'random', 'jain_mean');
    expect(r.diff).toBeCloseTo(0.7 / 3, 12);
    expect(r.diffCi95).toBeCloseTo(0.143433, 6);
    expect(r.verdict).toBe('changed');
    expect(r.metric.better).toBe('none');
  });

  it('pairs only the seeds both ran, and reports the others', () => {
    // fifo ran seeds 1, 2, 4: utilisation 0.5, 0.6, 0.9 (mean 2/3); paired with drf on 1 and 2: 0, 0.
    const r = row(c.rows, 'fifo', 'utilisation_cpus');
    expect(r.n).toBe(3);
    expect(r.mean).toBeCloseTo(2 / 3, 12);
    expect(r.pairs).toBe(2);
    expect(r.diff).toBe(0);
    expect(r.diffCi95).toBe(0);
    expect(r.significant).toBe(false);
    // A null value counts neither as a seed nor as a pair: fifo's completion on seed 2 (12 - 12) alone.
    const q = row(c.rows, 'fifo', 'completion_p50_s');
    expect([q.n, q.pairs, q.diff]).toEqual([2, 1, 0]);
    expect(Number.isNaN(q.diffCi95)).toBe(true);
    expect(q.significant).toBe(false);
    expect(c.unpaired).toEqual([{ policy: 'fifo', missing: [3], extra: [4] }]);
  });

  it('compares per framework the metrics frameworks.csv has, with the summary direction', () => {
    expect(c.frameworks).toEqual(['etl']);
    // utilisation and Jain's index are no frameworks.csv columns; the completion median is.
    expect(c.rows.filter((r) => r.framework === 'etl' && r.policy === 'drf').map((r) => r.metric.key)).toEqual(['completion_p50_s']);
    const none = compareRuns(RUNS, { reference: 'drf', metrics: ['queueing_delay_p50_s'], frameworks: true });
    // random - drf for etl: 5 - 4, 7 - 6 (seed 3 is empty): 1, 1; mean 1, half-width 12.706 x 0 = 0.
    const r = row(none.rows, 'random', 'queueing_delay_p50_s', 'etl');
    expect([r.n, r.pairs, r.diff, r.diffCi95, r.verdict]).toEqual([2, 2, 1, 0, 'worse']);
    expect(frameworkMetricInfo('queueing_delay_p50_s')?.better).toBe('lower');
    expect(frameworkMetricInfo('offers_declined')?.better).toBe('none');
  });

  it('does not depend on the order of the runs', () => {
    const reversed = compareRuns([...RUNS].reverse(), { reference: 'drf', metrics: METRICS, frameworks: true });
    expect(reversed).toEqual(c);
  });

  it('refuses what the caller must have checked', () => {
    expect(() => compareRuns(RUNS, { reference: 'drr', metrics: METRICS })).toThrow('no runs of the reference policy drr');
    expect(() => compareRuns(RUNS, { reference: 'drf', metrics: ['end_reason'] })).toThrow('no numeric summary metric end_reason');
    expect(() => compareRuns([...RUNS, RUNS[0]!], { reference: 'drf', metrics: METRICS })).toThrow('two runs of policy drf with seed 1');
    expect(summaryMetricInfo('utilisation_cpus')?.unit).toBe('fraction');
  });
});
