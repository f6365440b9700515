/**
 * The regression check: each verdict worked out by hand from the direction and tolerance.
 */
import { describe, expect, test } from '@jest/globals';
import { baselineOf, check, checkMarkdown, checkTable, defaultRule, type Baseline } from './check.js';

const BASE: Baseline = {
  source: 'hand-made',
  metrics: {
    jain_mean: { value: 0.8, better: 'higher', tolerance: { abs: 0.01 } },
    completion_mean_s: { value: 100, better: 'lower', tolerance: { rel: 0.02 } },
    jobs: { value: 50, better: 'none', tolerance: { rel: 0.02 } },
    node_local: { value: 0.9, better: 'higher', tolerance: { abs: 0.01 } },
    remote: { value: null, better: 'lower', tolerance: { abs: 0.01 } },
  },
};

describe('check', () => {
  test('directions and tolerances decide the verdicts', () => {
    const { rows, regressions } = check(
      {
        jain_mean: 0.785, // -0.015, beyond 0.01, and lower is worse: REGRESSION
        completion_mean_s: 101.5, // +1.5, within 2% of 100 (2): ok
        jobs: 60, // +10, beyond 2% of 50 (1), no good direction: changed
        node_local: 0.95, // +0.05, higher is better: better
        remote: null, // null as in the baseline: ok
        utilisation_cpus: 0.5, // not in the baseline: new
      },
      BASE,
    );
    expect(rows.map((r) => [r.metric, r.verdict])).toEqual([
      ['jain_mean', 'worse'],
      ['completion_mean_s', 'ok'],
      ['jobs', 'changed'],
      ['node_local', 'better'],
      ['remote', 'ok'],
      ['utilisation_cpus', 'new'],
    ]);
    expect(regressions).toBe(1);
    // a shorter completion time is no regression however large
    expect(check({ ...BASE_VALUES, completion_mean_s: 10 }, BASE).regressions).toBe(0);
    // a longer one beyond 2% is: 102.5 > 100 + 2
    expect(check({ ...BASE_VALUES, completion_mean_s: 102.5 }, BASE).rows[1]!.verdict).toBe('worse');
    // a metric that disappears (or turns null) is a regression
    expect(check({ ...BASE_VALUES, node_local: null }, BASE).rows[3]!.verdict).toBe('missing');
  });

  test("the default rules know each metric's good direction", () => {
    // fairness gates over the arrival window; the whole run's index (drain included) is only shown
    expect(defaultRule('jain_arrival_mean')).toEqual({ better: 'higher', tolerance: { abs: 0.01 } });
    expect(defaultRule('jain_arrival_min')).toEqual({ better: 'higher', tolerance: { abs: 0.01 } });
    expect(defaultRule('jain_mean')).toEqual({ better: 'none', tolerance: { abs: 0.01 } });
    expect(defaultRule('jain_min')).toEqual({ better: 'none', tolerance: { abs: 0.01 } });
    // the times they are averaged over are seconds, not fractions
    expect(defaultRule('jain_time_s')).toEqual({ better: 'none', tolerance: { rel: 0.02, abs: 1e-6 } });
    expect(defaultRule('jain_arrival_time_s')).toEqual({ better: 'none', tolerance: { rel: 0.02, abs: 1e-6 } });
    expect(defaultRule('utilisation_cpus')).toEqual({ better: 'higher', tolerance: { abs: 0.01 } });
    expect(defaultRule('completion_p95_s')).toEqual({ better: 'lower', tolerance: { rel: 0.02, abs: 1e-6 } });
    expect(defaultRule('queueing_delay_mean_s').better).toBe('lower');
    expect(defaultRule('jobs_abandoned').better).toBe('lower');
    expect(defaultRule('events').better).toBe('none');
    expect(Object.keys(baselineOf({ a: 1, end_reason: 'completed', b: null }, 's').metrics)).toEqual(['a', 'b']);
  });

  test('tables: plain text of the rows outside tolerance, and Markdown for a pull request', () => {
    const { rows, regressions } = check({ ...BASE_VALUES, jain_mean: 0.7 }, BASE);
    const text = checkTable(rows);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/jain_mean\s+0\.800000\s+0\.700000\s+-0\.100000 \(-12\.5%\)\s+REGRESSION/);
    const md = checkMarkdown(rows, regressions, 'check');
    expect(md).toMatch(/^### check: 1 regression\n/);
    expect(md).toMatch(/\| `jain_mean` \| 0\.800000 \| 0\.700000 \| -0\.100000 \(-12\.5%\) \| \*\*REGRESSION\*\* \|/);
    expect(checkMarkdown(check(BASE_VALUES, BASE).rows, 0, 'check')).toMatch(/no regression\n\nAll 5 metrics within tolerance/);
  });
});

const BASE_VALUES = { jain_mean: 0.8, completion_mean_s: 100, jobs: 50, node_local: 0.9, remote: null };
