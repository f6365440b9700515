/**
 * MetricsFold: hand-worked streams (expected numbers derived in the comments, not copied from a
 * run), sample semantics, streaming, and loud failures on a broken log.
 */
import { describe, expect, test } from '@jest/globals';
import type { LogRecord } from '../sim/model/log.js';
import { LogInvariantError, MetricsFold } from './metrics-fold.js';
import type { MetricsResult, Sample } from './metrics.js';
import { accept, agent, framework, job, allocationRun, jobFinished, offer, res, runEnded, streamA, streamB, task, us } from './test-support/log.js';

function fold(records: readonly LogRecord[], sampleInterval = 1_000_000): MetricsResult {
  const m = new MetricsFold({ sampleInterval });
  for (const r of records) m.record(r);
  return m.finish();
}

const S = 1_000_000; // us per second
const D = 9; // decimal places for float comparisons

/** Element-wise toBeCloseTo (12 decimals), NaN matching NaN. */
function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, k) => {
    if (Number.isNaN(expected[k]!)) expect(a).toBeNaN();
    else expect(a).toBeCloseTo(expected[k]!, 12);
  });
}

/** Time-weighted mean of a column over the rows: each row weighs its interval's length (from the previous row's end, or 0). */
function seriesMean(rows: readonly Sample[], value: (x: Sample) => number): number {
  let sum = 0;
  let prev = 0;
  for (const x of rows) {
    sum += value(x) * (x.t - prev);
    prev = x.t;
  }
  return sum / prev;
}

/*
 * Stream A by hand (see streamA's timeline). Totals: 10 000 milli-cpus, 100 000 000 thousandths of
 * MB; disk and gpus total 0, so they are left out of shares and their utilisation is undefined.
 *
 * alpha (weight 1) holds:  [2,7) 4 cpus + 10 000 MB: max(0.4, 0.1) = 0.4
 *                          [7,8) 2 cpus +  5 000 MB: 0.2;  otherwise 0
 * beta (weight 2) holds:   [5,12) 1 cpu + 40 000 MB: max(0.1, 0.4) / 2 = 0.2;  otherwise 0
 * pending: alpha 2 over [0,2), 0 over [2,9), 1 from job 2 over [9,14]; beta 1 over [0,5), then 0.
 * demand (pending > 0): alpha [0,2) and [9,14]; beta [0,5). Two frameworks have demand only in
 * [0,2), where both shares are 0: Jain 1 there and undefined elsewhere (fewer than two).
 *   -> mean 1, min 1, Jain time 2 s; the arrival window [0, 9] (job 2 is the last submission)
 *      holds the same 2 s: arrival mean 1, min 1, time 2 s.
 *
 * utilisation, cpus used: [2,5) 4, [5,7) 5, [7,8) 3, [8,12) 1 -> 12+10+3+4 = 29 cpu-s / (10 * 14) = 0.207142857...
 *              mem used:  [2,5) 10 000, [5,7) 50 000, [7,8) 45 000, [8,12) 40 000
 *                         -> 30 000+100 000+45 000+160 000 = 335 000 MB-s / (100 000 * 14) = 0.239285714...
 *
 * shares over [0,14]: alpha 0.4*5 + 0.2*1 = 2.2 -> mean 2.2/14 = 0.157142857..., max 0.4
 *                     beta  0.2*7 = 1.4       -> mean 0.1, max 0.2
 *
 * jobs: j0 submit 0, staging 2, running 3, finish 8: queueing 3, completion 8, slowdown 8/4 = 2
 *       j1 submit 0, staging 5, running 6, finish 12: queueing 6, completion 12, slowdown 12/6 = 2
 *       j2 submit 9, never started: unscheduled and unfinished
 * queueing {3, 6}: mean 4.5; nearest rank p50 = rank ceil(0.5*2)=1 -> 3; p95 rank ceil(1.9)=2 -> 6; p99 -> 6
 * completion {8, 12}: mean 10, p50 8, p95 12, p99 12.  slowdown {2, 2}: all 2.
 * makespan = last finish 12 - first submit 0 = 12 s.
 *
 * offers: 0 (alpha) sent 1 accepted 2: held 1 s; 1 (beta) sent 1 declined 3: held 2 s;
 *         2 (beta) sent 4 accepted 5: held 1 s; 3 (alpha) sent 10 rescinded 11: held 1 s
 *   held mean = (1+2+1+1)/4 = 1.25 s
 *   declined share over the answered offers 0, 1, 2:
 *     cpus offered 5+5+5 = 15, declined (5-4) + 5 + (5-1) = 10       -> 2/3
 *     mem  offered 30 000+50 000+50 000 = 130 000,
 *          declined 20 000 + 50 000 + 10 000 = 80 000                -> 8/13
 *     scalar = (2/3 + 8/13) / 2 = (26/39 + 24/39) / 2 = 25/39 = 0.641025641...
 */
describe('stream A, two frameworks, by hand', () => {
  const r = fold(streamA());
  const s = r.summary;

  test('run bounds and counts', () => {
    expect(s.firstEvent).toBe(0);
    expect(s.runEnd).toBe(14 * S);
    expect(s.endReason).toBe('duration');
    expect(s.events).toBe(streamA().length);
    expect([s.agents, s.frameworks, s.jobs, s.tasks]).toEqual([2, 2, 3, 4]);
    expect([s.tasksLaunched, s.tasksFinished, s.tasksFailed, s.tasksKilled, s.tasksLost]).toEqual([3, 3, 0, 0, 0]);
    expect([s.jobsFinished, s.jobsUnscheduled, s.jobsUnfinished]).toEqual([2, 1, 1]);
    expect(s.makespan).toBe(12 * S);
    expect(s.allocationRuns).toBe(3);
  });

  test('utilisation: cpus 29/140, mem 335/1400, disk and gpus undefined', () => {
    expect(s.utilisation[0]).toBeCloseTo(29 / 140, D);
    expect(s.utilisation[1]).toBeCloseTo(335_000 / 1_400_000, D);
    expect(s.utilisation[2]).toBeNaN();
    expect(s.utilisation[3]).toBeNaN();
  });

  test("Jain's index: 1 over the 2 s when both frameworks have pending tasks, in the run and in the arrival window", () => {
    expect([s.jainMean, s.jainMin, s.jainTime]).toEqual([1, 1, 2 * S]);
    expect([s.jainArrivalMean, s.jainArrivalMin, s.jainArrivalTime]).toEqual([1, 1, 2 * S]);
  });

  test('framework rows: weighted dominant shares, waits, offers', () => {
    expect(r.frameworks.map((f) => [f.id, f.name, f.role, f.weight, f.behaviour, f.jobs, f.tasks])).toEqual([
      [0, 'alpha', 'a', 1, 'batch', 2, 3],
      [1, 'beta', 'b', 2, 'batch', 1, 1],
    ]);
    const [alpha, beta] = r.frameworks;
    expect(alpha!.shareMean).toBeCloseTo(2.2 / 14, D);
    expect(alpha!.shareMax).toBeCloseTo(0.4, 12);
    expect(beta!.shareMean).toBeCloseTo(0.1, D);
    expect(beta!.shareMax).toBeCloseTo(0.2, 12);
    expect(alpha!.queueingDelay).toEqual({ n: 1, mean: 3 * S, p50: 3 * S, p95: 3 * S, p99: 3 * S });
    expect(alpha!.completion).toEqual({ n: 1, mean: 8 * S, p50: 8 * S, p95: 8 * S, p99: 8 * S });
    expect(beta!.queueingDelay).toEqual({ n: 1, mean: 6 * S, p50: 6 * S, p95: 6 * S, p99: 6 * S });
    expect(beta!.completion).toEqual({ n: 1, mean: 12 * S, p50: 12 * S, p95: 12 * S, p99: 12 * S });
    expect(beta!.slowdown).toEqual({ n: 1, mean: 2, p50: 2, p95: 2, p99: 2 });
    expect([alpha!.offersSent, alpha!.offersAccepted, alpha!.offersDeclined, alpha!.offersRescinded]).toEqual([2, 1, 0, 1]);
    expect([beta!.offersSent, beta!.offersAccepted, beta!.offersDeclined, beta!.offersRescinded]).toEqual([2, 1, 1, 0]);
  });

  // Resources the allocator leaves out of fairness are left out of the shares too. Stream A with
  // cpus excluded: alpha holds [2,7) 10 000 of 100 000 MB = 0.1 and [7,8) 5 000 MB = 0.05:
  // 0.1*5 + 0.05*1 = 0.55 -> mean 0.55/14, max 0.1 (0.4 with cpus). beta's share was its mem
  // already: 40 000/100 000 / 2 = 0.2 over [5,12): unchanged.
  test('excludedResources: the shares leave the excluded resources out', () => {
    const m = new MetricsFold({ excludedResources: ['cpus'] });
    for (const rec of streamA()) m.record(rec);
    const [alpha, beta] = m.finish().frameworks;
    expect(alpha!.shareMean).toBeCloseTo(0.55 / 14, D);
    expect(alpha!.shareMax).toBeCloseTo(0.1, 12);
    expect(beta!.shareMean).toBeCloseTo(0.1, D);
    expect(beta!.shareMax).toBeCloseTo(0.2, 12);
    expect(() => new MetricsFold({ excludedResources: ['ports' as 'cpus'] })).toThrow(/unknown resource "ports"/);
  });

  test('job rows', () => {
    expect(r.jobs.map((j) => [j.name, j.frameworkName, j.submit, j.firstStaging, j.firstStart, j.finish, j.tasks])).toEqual([
      ['j0', 'alpha', 0, 2 * S, 3 * S, 8 * S, 2],
      ['j1', 'beta', 0, 5 * S, 6 * S, 12 * S, 1],
      ['j2', 'alpha', 9 * S, NaN, NaN, NaN, 1],
    ]);
    expect(r.jobs.map((j) => [j.queueingDelay, j.completion, j.slowdown])).toEqual([
      [3 * S, 8 * S, 2],
      [6 * S, 12 * S, 2],
      [NaN, NaN, NaN],
    ]);
  });

  test('overall job statistics (nearest rank)', () => {
    expect(s.queueingDelay).toEqual({ n: 2, mean: 4.5 * S, p50: 3 * S, p95: 6 * S, p99: 6 * S });
    expect(s.completion).toEqual({ n: 2, mean: 10 * S, p50: 8 * S, p95: 12 * S, p99: 12 * S });
    expect(s.slowdown).toEqual({ n: 2, mean: 2, p50: 2, p95: 2, p99: 2 });
  });

  test('offers: counts, held mean 1.25 s, declined share 25/39', () => {
    expect([s.offersSent, s.offersAccepted, s.offersDeclined, s.offersRescinded, s.offersOutstanding]).toEqual([4, 2, 1, 1, 0]);
    expect(s.offerHeldMean).toBe(1.25 * S);
    expect(s.offersDeclinedShareByResource[0]).toBeCloseTo(2 / 3, 12);
    expect(s.offersDeclinedShareByResource[1]).toBeCloseTo(8 / 13, 12);
    expect(s.offersDeclinedShareByResource[2]).toBeNaN();
    expect(s.offersDeclinedShareByResource[3]).toBeNaN();
    expect(s.offersDeclinedShare).toBeCloseTo(25 / 39, 12);
  });

  /*
   * Rows at 1 s: row t covers [t-1, t); every change falls on a whole second, so each row is the
   * state over its second (shares alpha, beta; pending alpha, beta, total; Jain, its time; cpus, mem):
   *   [0,2)   rows 1-2:   (0, 0)      (2, 1) 3   1    1 s   0    0
   *   [2,5)   rows 3-5:   (0.4, 0)    (0, 1) 1   -    0     0.4  0.1   -- staging counts as allocated
   *   [5,7)   rows 6-7:   (0.4, 0.2)  (0, 0) 0   -    0     0.5  0.5
   *   [7,8)   row 8:      (0.2, 0.2)  (0, 0) 0   -    0     0.3  0.45
   *   [8,9)   row 9:      (0, 0.2)    (0, 0) 0   -    0     0.1  0.4
   *   [9,12)  rows 10-12: (0, 0.2)    (1, 0) 1   -    0     0.1  0.4
   *   [12,14) rows 13-14: (0, 0)      (1, 0) 1   -    0     0    0
   * ('-': fewer than two frameworks with demand, Jain undefined)
   */
  test('rows at 1 s: the state over each second', () => {
    expect(r.samples.map((x) => x.t)).toEqual(Array.from({ length: 14 }, (_, i) => (i + 1) * S));
    const row = (t: number): number[] => {
      const x: Sample = r.samples[t - 1]!;
      return [...x.shares, ...x.pending, x.pendingTotal, x.jain, x.jainTime, x.utilisation[0], x.utilisation[1]];
    };
    const expected: [number[], number[]][] = [
      [
        [1, 2],
        [0, 0, 2, 1, 3, 1, S, 0, 0],
      ],
      [
        [3, 4, 5],
        [0.4, 0, 0, 1, 1, NaN, 0, 0.4, 0.1],
      ],
      [
        [6, 7],
        [0.4, 0.2, 0, 0, 0, NaN, 0, 0.5, 0.5],
      ],
      [[8], [0.2, 0.2, 0, 0, 0, NaN, 0, 0.3, 0.45]],
      [[9], [0, 0.2, 0, 0, 0, NaN, 0, 0.1, 0.4]],
      [
        [10, 11, 12],
        [0, 0.2, 1, 0, 1, NaN, 0, 0.1, 0.4],
      ],
      [
        [13, 14],
        [0, 0, 1, 0, 1, NaN, 0, 0, 0],
      ],
    ];
    for (const [rows, values] of expected) for (const t of rows) close(row(t), values);
    expect(r.samples[0]!.utilisation[2]).toBeNaN();
  });

  /*
   * Rows at 2.5 s end at 2.5, 5, 7.5, 10, 12.5 and the run end 14 (the last covers [12.5, 14): 1.5 s).
   *   alpha share: [0,2.5) 0.4*0.5/2.5 = 0.08; [2.5,5) 0.4; [5,7.5) (0.4*2 + 0.2*0.5)/2.5 = 0.36;
   *                [7.5,10) 0.2*0.5/2.5 = 0.04; then 0, 0
   *   beta share:  0, 0, 0.2, 0.2, [10,12.5) 0.2*2/2.5 = 0.16, 0
   *   alpha pending: [0,2.5) 2*2/2.5 = 1.6; 0; 0; [7.5,10) 1*1/2.5 = 0.4; 1; 1
   *   cpus: [0,2.5) 0.4*0.5/2.5 = 0.08; 0.4; (0.5*2 + 0.3*0.5)/2.5 = 0.46; (0.3*0.5 + 0.1*2)/2.5 = 0.14;
   *         0.1*2/2.5 = 0.08; 0
   *   Jain: the first row only, over its 2 s with two frameworks with demand: 1.
   * Weighted by their lengths, the rows give the summary: alpha (0.08+0.4+0.36+0.04)*2.5/14 = 2.2/14,
   * cpus (0.08+0.4+0.46+0.14+0.08)*2.5/14 = 2.9/14 = 29/140.
   */
  test('rows at 2.5 s: means over each interval, the last one shorter', () => {
    const r2 = fold(streamA(), 2_500_000);
    expect(r2.samples.map((x) => x.t)).toEqual([2.5, 5, 7.5, 10, 12.5, 14].map(us));
    close(
      r2.samples.map((x) => x.shares[0]!),
      [0.08, 0.4, 0.36, 0.04, 0, 0],
    );
    close(
      r2.samples.map((x) => x.shares[1]!),
      [0, 0, 0.2, 0.2, 0.16, 0],
    );
    close(
      r2.samples.map((x) => x.pending[0]!),
      [1.6, 0, 0, 0.4, 1, 1],
    );
    close(
      r2.samples.map((x) => x.utilisation[0]),
      [0.08, 0.4, 0.46, 0.14, 0.08, 0],
    );
    close(
      r2.samples.map((x) => x.jain),
      [1, NaN, NaN, NaN, NaN, NaN],
    );
    expect(r2.samples.map((x) => x.jainTime)).toEqual([2 * S, 0, 0, 0, 0, 0]);
    expect(seriesMean(r2.samples, (x) => x.shares[0]!)).toBeCloseTo(r2.frameworks[0]!.shareMean, 12);
    expect(seriesMean(r2.samples, (x) => x.utilisation[0])).toBeCloseTo(29 / 140, 12);
    // the row length changes no summary metric
    expect(r2.summary).toEqual(r.summary);
  });
});

describe('Jain and shares', () => {
  /*
   * Three frameworks on 10 cpus / 10 000 MB from t=0 to t=10; tasks use cpus only.
   * f0 runs 1 cpu, f1 2 cpus, f2 3 cpus over [0,10), each with a second task pending throughout:
   *   x = 0.1, 0.2, 0.3 -> (0.6)^2 / (3 * (0.01+0.04+0.09)) = 0.36 / 0.42 = 6/7 = 0.857142857...
   * f3 is registered but never has a job: no demand, so it is left out (with it, n=4 would give 0.36/0.56).
   */
  test('three demanding frameworks; an idle one is left out', () => {
    const recs: LogRecord[] = [agent(0, 0, res(10, 10_000))];
    for (let f = 0; f < 4; f++) recs.push(framework(0, f, `f${f}`, `r${f}`));
    for (let f = 0; f < 3; f++) {
      recs.push(job(0, f, f, 2, 10));
      recs.push(task(0, f, f, f, 0, 'running', res(f + 1, 0)));
    }
    recs.push(runEnded(10));
    const r = fold(recs);
    expect(r.summary.jainMean).toBeCloseTo(6 / 7, 12);
    expect(r.summary.jainMin).toBeCloseTo(6 / 7, 12);
    [0.1, 0.2, 0.3, 0].forEach((x, f) => expect(r.frameworks[f]!.shareMean).toBeCloseTo(x, 12));
    // queueing delay 0 (started at submit), no finish
    expect(r.summary.queueingDelay.mean).toBe(0);
    expect(r.summary.jobsUnfinished).toBe(3);
  });

  /*
   * The cluster grows: agent 0 (2 cpus) at 0, agent 1 (2 cpus) at 4; one task of 1 cpu runs over [0,8).
   * share: [0,4) 1/2, [4,8) 1/4 -> mean (2 + 1)/8 = 0.375, max 0.5; utilisation the same.
   * A task that goes straight to running counts as launched, with first staging = first start.
   */
  test('shares follow the cluster total; running without staging', () => {
    const r = fold([
      agent(0, 0, res(2, 0)),
      framework(0, 0, 'f', 'r'),
      job(0, 0, 0, 1, 8),
      task(0, 0, 0, 0, 0, 'running', res(1, 0)),
      agent(4, 1, res(2, 0)),
      task(8, 0, 0, 0, 0, 'finished', res(1, 0)),
      jobFinished(8, 0, 0),
      runEnded(8),
    ]);
    expect(r.frameworks[0]!.shareMean).toBe(0.375);
    expect(r.frameworks[0]!.shareMax).toBe(0.5);
    expect(r.summary.utilisation[0]).toBe(0.375);
    expect(r.summary.utilisation[1]).toBeNaN();
    expect(r.jobs[0]!.firstStaging).toBe(0);
    expect(r.summary.tasksLaunched).toBe(1);
    expect(r.summary.slowdown.mean).toBe(1);
  });

  /*
   * A zero-length state never counts: at t=5 a task starts and fails in the same instant.
   * 1 agent of 4 cpus, framework weight 0.5; task 0 (2 cpus) runs [0,10); task 1 (2 cpus) at 5 only.
   * At 10, task 0 finishes and task 2 (4 cpus) starts as the run ends: share (4/4)/0.5 = 2 for no time.
   * weighted share (2/4)/0.5 = 1 over [0,10) -> mean 1, max 1 (neither instant's share 2 counts).
   * Every 1 s row is [k-1, k) within [0,10): share 1, utilisation 0.5; the share 2 of the end
   * instant is in no row. Jain: one framework alone -> never defined.
   */
  test('states of zero duration count for neither mean nor max; weights divide', () => {
    const r = fold([
      agent(0, 0, res(4, 0)),
      framework(0, 0, 'f', 'r', 0.5),
      job(0, 0, 0, 3, 10),
      task(0, 0, 0, 0, 0, 'staging', res(2, 0)),
      task(5, 1, 0, 0, 0, 'staging', res(2, 0)),
      task(5, 1, 0, 0, 0, 'failed', res(2, 0)),
      task(10, 0, 0, 0, 0, 'finished', res(2, 0)),
      task(10, 2, 0, 0, 0, 'staging', res(4, 0)),
      runEnded(10),
    ]);
    expect(r.frameworks[0]!.shareMean).toBe(1);
    expect(r.frameworks[0]!.shareMax).toBe(1);
    expect(r.summary.utilisation[0]).toBe(0.5);
    expect(r.summary.tasksFailed).toBe(1);
    expect(r.summary.tasksLaunched).toBe(3);
    expect([r.summary.jainMean, r.summary.jainTime]).toEqual([NaN, 0]);
    expect(r.samples.map((x) => x.t)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * S));
    expect(r.samples.map((x) => [x.shares[0], x.utilisation[0]])).toEqual(Array.from({ length: 10 }, () => [1, 0.5]));
  });
});

describe('time-series rows are means over their interval', () => {
  /*
   * One agent of 1 cpu; one task of 1 cpu runs [0.5, 2.5); the run ends at 3; rows of 1 s.
   *   [0,1): busy 0.5 s -> 0.5;  [1,2): busy 1 s -> 1;  [2,3): busy 0.5 s -> 0.5
   * The share is the same (cpus 1/1; the cluster has no mem). Pending: 1 over [0, 0.5) -> 0.5, 0, 0.
   * Utilisation over the run: 2 busy seconds of 3 = 2/3 = the rows' mean (0.5 + 1 + 0.5) / 3.
   * A state taken at the row instants 0, 1, 2, 3 would read 0, 1, 1, 0.
   */
  const oneTask = (end: number): LogRecord[] => [
    agent(0, 0, res(1, 0)),
    framework(0, 0, 'f', 'r'),
    job(0, 0, 0, 1, 2),
    task(0.5, 0, 0, 0, 0, 'running', res(1, 0)),
    task(2.5, 0, 0, 0, 0, 'finished', res(1, 0)),
    jobFinished(2.5, 0, 0),
    runEnded(end),
  ];

  test('a task running [0.5, 2.5) gives rows 0.5, 1, 0.5', () => {
    const r = fold(oneTask(3));
    expect(r.samples.map((x) => x.t)).toEqual([1, 2, 3].map(us));
    expect(r.samples.map((x) => x.utilisation[0])).toEqual([0.5, 1, 0.5]);
    expect(r.samples.map((x) => x.shares[0])).toEqual([0.5, 1, 0.5]);
    expect(r.samples.map((x) => x.pending[0])).toEqual([0.5, 0, 0]);
    expect(r.samples.map((x) => x.pendingTotal)).toEqual([0.5, 0, 0]);
    expect(r.summary.utilisation[0]).toBeCloseTo(2 / 3, 12);
    expect(seriesMean(r.samples, (x) => x.utilisation[0])).toBeCloseTo(2 / 3, 12);
  });

  /*
   * The same task with the run ending at 2.75: the last row is [2, 2.75), busy 0.5 of 0.75 s -> 2/3,
   * labelled 2.75. Weighted by length, (0.5*1 + 1*1 + (2/3)*0.75) / 2.75 = 2/2.75 = the summary's 8/11.
   */
  test('the last row ends at the run end and weighs its shorter length', () => {
    const r = fold(oneTask(2.75));
    expect(r.samples.map((x) => x.t)).toEqual([1, 2, 2.75].map(us));
    close(
      r.samples.map((x) => x.utilisation[0]),
      [0.5, 1, 2 / 3],
    );
    expect(r.summary.utilisation[0]).toBeCloseTo(8 / 11, 12);
    expect(seriesMean(r.samples, (x) => x.utilisation[0])).toBeCloseTo(8 / 11, 12);
  });

  /*
   * The bias of rows taken at allocation instants: tasks of 1 cpu run [k, k + 0.5) for k = 0..3 on
   * one agent of 1 cpu (each launched by the allocation run at k), run end 4. Every 1 s row is busy
   * half its time: 0.5, as is the run (2 s of 4). The state just after each allocation reads 1.
   */
  test('launches at the row instants: every row 0.5, not 1', () => {
    const recs: LogRecord[] = [agent(0, 0, res(1, 0)), framework(0, 0, 'f', 'r'), job(0, 0, 0, 4, 0.5)];
    for (let k = 0; k < 4; k++) {
      recs.push(allocationRun(k, 1, 0));
      recs.push(task(k, k, 0, 0, 0, 'running', res(1, 0)));
      recs.push(task(k + 0.5, k, 0, 0, 0, 'finished', res(1, 0)));
    }
    recs.push(jobFinished(3.5, 0, 0), runEnded(4));
    const r = fold(recs);
    expect(r.samples.map((x) => x.utilisation[0])).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(r.summary.utilisation[0]).toBe(0.5);
  });
});

describe("Jain's index: who has demand, when it is defined, the arrival window", () => {
  const jainOf = (r: MetricsResult): number[] => [r.summary.jainMean, r.summary.jainMin, r.summary.jainTime];
  const arrivalOf = (r: MetricsResult): number[] => [r.summary.jainArrivalMean, r.summary.jainArrivalMin, r.summary.jainArrivalTime];
  /** One agent of 10 cpus (no mem: shares are cpus / 10) and frameworks A (id 0) and B (id 1), weight 1, at 0. */
  const twoOnTen = (): LogRecord[] => [agent(0, 0, res(10, 0)), framework(0, 0, 'A', 'a'), framework(0, 1, 'B', 'b')];

  /*
   * A framework whose tasks all run is satisfied, not starved. 10 cpus, [0, 10):
   *   A runs 1 cpu and has nothing pending (0.1, no demand);
   *   B runs 6 cpus with 1 task pending (0.6); C runs 3 cpus with 1 task pending (0.3).
   * Jain over B and C: (0.9)^2 / (2 * (0.36 + 0.09)) = 0.81 / 0.9 = 0.9 throughout.
   * (Counting A as well would give 1 / (3 * 0.46) = 0.7246...)
   * Every job arrives at 0: the arrival window has no length, its figures are undefined.
   */
  test('a framework with nothing pending is left out, whatever it holds', () => {
    const r = fold([
      ...twoOnTen(),
      framework(0, 2, 'C', 'c'),
      job(0, 0, 0, 1, 10),
      job(0, 1, 1, 2, 10),
      job(0, 2, 2, 2, 10),
      task(0, 0, 0, 0, 0, 'running', res(1, 0)),
      task(0, 1, 1, 1, 0, 'running', res(6, 0)),
      task(0, 2, 2, 2, 0, 'running', res(3, 0)),
      runEnded(10),
    ]);
    close(jainOf(r), [0.9, 0.9, 10 * S]);
    expect(arrivalOf(r)).toEqual([NaN, NaN, 0]);
  });

  /*
   * Fewer than two frameworks with demand: the index is undefined, so the drain does not raise it.
   * 10 cpus. A: job of 2 tasks at 0, task 0 runs 5 cpus [0,4), task 2 runs 5 cpus [4,6).
   * B: job of 1 task at 0, runs 5 cpus [2,10). Pending: A over [0,4), B over [0,2).
   *   [0,2)  A 0.5 and B 0 both pending: 0.25 / (2 * 0.25) = 0.5
   *   [2,10) at most one framework with demand: undefined
   * -> mean 0.5, min 0.5 over 2 s. (Counting running tasks as demand and lone frameworks as 1 would
   *    give (2*0.5 + 8*1) / 10 = 0.9.) Rows of 1 s: 0.5, 0.5, then undefined with no Jain time.
   */
  test('one framework alone does not count; a drain with one framework left adds nothing', () => {
    const r = fold([
      ...twoOnTen(),
      job(0, 0, 0, 2, 2),
      job(0, 1, 1, 1, 8),
      task(0, 0, 0, 0, 0, 'running', res(5, 0)),
      task(2, 1, 1, 1, 0, 'running', res(5, 0)),
      task(4, 0, 0, 0, 0, 'finished', res(5, 0)),
      task(4, 2, 0, 0, 0, 'running', res(5, 0)),
      task(6, 2, 0, 0, 0, 'finished', res(5, 0)),
      jobFinished(6, 0, 0),
      task(10, 1, 1, 1, 0, 'finished', res(5, 0)),
      jobFinished(10, 1, 1),
      runEnded(10),
    ]);
    expect(jainOf(r)).toEqual([0.5, 0.5, 2 * S]);
    close(
      r.samples.map((x) => x.jain),
      [0.5, 0.5, ...Array<number>(8).fill(NaN)],
    );
    expect(r.samples.map((x) => x.jainTime)).toEqual([S, S, ...Array<number>(8).fill(0)]);
  });

  /*
   * The arrival window runs from the first to the last job submission. 10 cpus, both frameworks
   * pending throughout [0, 10); job 2 (A) at 4 is the last submission.
   *   [0,4)  A 0.2, B 0.6: 0.64 / (2 * 0.4) = 0.8
   *   [4,10) A 0.1, B 0.9: 1 / (2 * 0.82) = 1/1.64 = 0.609756...
   * run:     mean (4*0.8 + 6/1.64) / 10 = 0.685853658..., min 1/1.64, 10 s
   * arrival: mean 0.8, min 0.8, 4 s
   * Rows of 3 s end at 3, 6, 9, 10: 0.8; (0.8 + 2/1.64) / 3 = 0.673170731...; 1/1.64; 1/1.64,
   * each over its whole length; weighted by those lengths they give the run's mean.
   */
  test('arrival figures cover [first, last submission]; rows carry their Jain time', () => {
    const r = fold(
      [
        ...twoOnTen(),
        job(0, 0, 0, 10, 10),
        job(0, 1, 1, 10, 10),
        task(0, 0, 0, 0, 0, 'running', res(2, 0)),
        task(0, 1, 1, 1, 0, 'running', res(6, 0)),
        job(4, 2, 0, 1, 10),
        task(4, 0, 0, 0, 0, 'finished', res(2, 0)),
        task(4, 1, 1, 1, 0, 'finished', res(6, 0)),
        task(4, 2, 0, 0, 0, 'running', res(1, 0)),
        task(4, 3, 1, 1, 0, 'running', res(9, 0)),
        runEnded(10),
      ],
      3 * S,
    );
    close(jainOf(r), [(3.2 + 6 / 1.64) / 10, 1 / 1.64, 10 * S]);
    close(arrivalOf(r), [0.8, 0.8, 4 * S]);
    expect(r.samples.map((x) => x.t)).toEqual([3, 6, 9, 10].map(us));
    close(
      r.samples.map((x) => x.jain),
      [0.8, (0.8 + 2 / 1.64) / 3, 1 / 1.64, 1 / 1.64],
    );
    expect(r.samples.map((x) => x.jainTime)).toEqual([3, 3, 3, 1].map(us));
    const weighted = r.samples.reduce((a, x) => a + x.jain * x.jainTime, 0) / (10 * S);
    expect(weighted).toBeCloseTo(r.summary.jainMean, 12);
  });

  /*
   * An abandoned job's dropped tasks are no longer pending. 10 cpus. A: job 0 of 2 tasks, task 0
   * runs 5 cpus over [0,10), the other is dropped at 2 (job_abandoned). B: job 1 of 2 tasks, task 1
   * runs 2 cpus, the other pending throughout.
   *   [0,2)  A 0.5, B 0.2: 0.49 / (2 * 0.29) = 0.844827...;  [2,10) only B has demand: undefined
   * A's pending tasks in rows of 1 s: 1, 1, then 0.
   */
  test("an abandoned job's dropped tasks leave the pending count and the demand", () => {
    const r = fold([
      ...twoOnTen(),
      job(0, 0, 0, 2, 10),
      job(0, 1, 1, 2, 10),
      task(0, 0, 0, 0, 0, 'running', res(5, 0)),
      task(0, 1, 1, 1, 0, 'running', res(2, 0)),
      { kind: 'job_abandoned', t: us(2), job: 0, framework: 0, dropped: 1, attempts: 3 },
      runEnded(10),
    ]);
    close(jainOf(r), [0.49 / 0.58, 0.49 / 0.58, 2 * S]);
    expect(r.samples.map((x) => x.pending[0])).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.summary.jobsAbandoned).toBe(1);
  });
});

describe('offers', () => {
  /*
   * An offer still held at the end is outstanding: not in the held mean. Offer 0 sent 0, declined
   * at 3 (held 3 s); offer 1 sent 4, never answered. Declined share: cpus 2/2 = 1, mem 100/100 = 1.
   */
  test('outstanding offers are counted apart', () => {
    const r = fold([
      agent(0, 0, res(2, 100)),
      framework(0, 0, 'f', 'r'),
      offer(0, 0, 0, 0, res(2, 100)),
      { kind: 'offer_declined', t: us(3), offer: 0, framework: 0, agent: 0, refuse: 0 },
      offer(4, 1, 0, 0, res(2, 100)),
      runEnded(6),
    ]);
    expect(r.summary.offersOutstanding).toBe(1);
    expect(r.summary.offerHeldMean).toBe(3 * S);
    expect(r.summary.offersDeclinedShare).toBe(1);
    expect(r.summary.jainMean).toBeNaN(); // no demand ever
    expect(r.summary.jainMin).toBeNaN();
    expect(r.summary.makespan).toBeNaN();
  });
});

describe('sampling and streaming', () => {
  test('onSample receives each row once the fold has passed its end; keepSamples false keeps none', () => {
    const seen: number[] = [];
    const m = new MetricsFold({ sampleInterval: S, keepSamples: false, onSample: (x) => seen.push(x.t) });
    const recs = streamB();
    // records at 0, 0.5, 0.75: the row [0, 1) is not over yet
    for (const rec of recs.slice(0, 8)) m.record(rec);
    expect(seen).toEqual([]);
    m.record(recs[8]!); // t = 1.75
    expect(seen).toEqual([S]);
    m.record(recs[9]!);
    m.record(recs[10]!); // run_ended at 2 closes the row [1, 2)
    expect(seen).toEqual([S, 2 * S]);
    const r = m.finish();
    expect(seen).toEqual([S, 2 * S]);
    expect(r.samples).toEqual([]);
  });

  /*
   * First record at 2: the rows [0,1) and [1,2) cover no time (every mean undefined, no framework
   * known yet). The row [2,3) covers 1 s: g (registered at 2) share 0; f registers at 3, the row's
   * end, so it is undefined there.
   */
  test('rows before the first record are empty; a framework added at a row end is not in it', () => {
    const r = fold([agent(2, 0, res(1, 1)), framework(2, 1, 'g', 'r'), framework(3, 0, 'f', 'r'), runEnded(3)]);
    expect(r.samples.map((x) => x.t)).toEqual([S, 2 * S, 3 * S]);
    for (const x of r.samples.slice(0, 2)) {
      expect([x.utilisation[0], x.pendingTotal, x.jain, x.jainTime]).toEqual([NaN, NaN, NaN, 0]);
      expect([...x.shares]).toEqual([]);
    }
    const last = r.samples[2]!;
    expect([last.utilisation[0], last.pendingTotal, last.jain, last.jainTime]).toEqual([0, 0, NaN, 0]);
    expect([...last.shares]).toEqual([NaN, 0]);
    expect([...last.pending]).toEqual([NaN, 0]);
    expect(r.summary.firstEvent).toBe(2 * S);
    expect(r.frameworks.map((f) => [f.name, f.shareMean])).toEqual([
      ['f', 0],
      ['g', 0],
    ]);
  });

  /*
   * A framework registered inside a row counts 0 before it did: 1 agent of 2 cpus from 0; f joins at
   * 0.5 with a task of 1 cpu (share 0.5) running at once; run end 1. Row [0,1): 0.5 * 0.5 / 1 = 0.25,
   * which is also its share_mean over [0, 1].
   */
  test('a framework registered within a row counts 0 before it', () => {
    const r = fold([agent(0, 0, res(2, 0)), framework(0.5, 0, 'f', 'r'), job(0.5, 0, 0, 1, 1), task(0.5, 0, 0, 0, 0, 'running', res(1, 0)), runEnded(1)]);
    expect(r.samples.map((x) => x.shares[0])).toEqual([0.25]);
    expect(r.frameworks[0]!.shareMean).toBe(0.25);
  });

  test('without run_ended the run ends at the last record, and so does the last row', () => {
    const r = fold(streamB().slice(0, -1));
    expect(r.summary.runEnd).toBe(1.75 * S);
    expect(r.summary.endReason).toBeNull();
    expect(r.samples.map((x) => x.t)).toEqual([S, 1.75 * S]);
  });

  test('an empty log gives undefined metrics and no samples', () => {
    const r = new MetricsFold().finish();
    expect(r.samples).toEqual([]);
    expect(r.summary.runEnd).toBeNaN();
    expect(r.summary.events).toBe(0);
    expect(r.summary.queueingDelay.n).toBe(0);
  });

  test('the same stream gives the same result', () => {
    expect(fold(streamA())).toEqual(fold(streamA()));
  });

  test('sampleInterval must be a positive integer of us', () => {
    expect(() => new MetricsFold({ sampleInterval: 0 })).toThrow(RangeError);
    expect(() => new MetricsFold({ sampleInterval: 0.5 })).toThrow(RangeError);
  });
});

describe('a broken log fails loudly', () => {
  const base = (): LogRecord[] => [agent(0, 0, res(1, 1)), framework(0, 0, 'f', 'r'), job(1, 0, 0, 1, 1)];
  const fails = (extra: LogRecord[], pattern: RegExp): void => {
    const m = new MetricsFold();
    expect(() => {
      for (const r of [...base(), ...extra]) m.record(r);
    }).toThrow(pattern);
  };

  test('time going back', () => fails([agent(0.5, 1, res(1, 1))], /t=500000 us in agent_added/));
  test('a record after run_ended', () => fails([runEnded(2), agent(3, 1, res(1, 1))], /after run_ended/));
  test('an unknown framework', () => fails([offer(1, 0, 7, 0, res(1, 1))], /unknown framework 7/));
  test('an unknown job', () => fails([task(1, 0, 5, 0, 0, 'staging', res(1, 1))], /unknown job 5/));
  test('a task of another framework', () => fails([framework(1, 1, 'g', 'r'), task(1, 0, 0, 1, 0, 'staging', res(1, 1))], /belongs to framework 0/));
  test('more launches than submitted tasks', () =>
    fails([task(1, 0, 0, 0, 0, 'staging', res(1, 1)), task(1, 1, 0, 0, 0, 'staging', res(1, 1))], /no task pending/));
  test('an offer answered twice', () =>
    fails([offer(1, 0, 0, 0, res(1, 1)), accept(2, 0, 0, 0, 0, res(0, 0)), accept(2, 0, 0, 0, 0, res(0, 0))], /not outstanding/));
  test('an abandoned job dropping more tasks than pending', () =>
    fails([{ kind: 'job_abandoned', t: us(1), job: 0, framework: 0, dropped: 2, attempts: 1 }], /dropped 2 tasks with 1 pending/));
  test('an accept using more than offered', () => fails([offer(1, 0, 0, 0, res(1, 1)), accept(2, 0, 0, 0, 1, res(2, 1))], /more cpus than offered/));
  test('the error carries time and kind', () => {
    const m = new MetricsFold();
    m.record(agent(1, 0, res(1, 1)));
    try {
      m.record(agent(0, 1, res(1, 1)));
      throw new Error('did not throw');
    } catch (e) {
      expect(e).toBeInstanceOf(LogInvariantError);
      expect((e as LogInvariantError).time).toBe(0);
      expect((e as LogInvariantError).event).toBe('agent_added');
    }
  });
  test('finish twice, record after finish', () => {
    const m = new MetricsFold();
    m.finish();
    expect(() => m.finish()).toThrow(LogInvariantError);
    expect(() => m.record(agent(0, 0, res(1, 1)))).toThrow(/after finish/);
  });
});

describe('locality metrics', () => {
  const loc = (sec: number, t: number, j: number, fw: number, ag: number, l: 'node' | 'rack' | 'remote'): LogRecord => ({
    kind: 'task_locality',
    t: sec * 1_000_000,
    task: t,
    job: j,
    framework: fw,
    agent: ag,
    locality: l,
  });
  // Framework 0 has job 0 (4 tasks, size bucket 1-10) with localities node, node, rack, remote,
  // and job 1 (12 tasks, bucket 11-50) with node, remote (its other tasks have no preference).
  // Framework 1 has job 2 (1 task) without preferences: no locality at all.
  //   overall: 6 tasks with preferences: node 3/6 = 0.5, rack 1/6, remote 2/6
  //   1-10: 4 tasks: 2/4 = 0.5, 1/4 = 0.25, 1/4 = 0.25; 11-50: 2 tasks: 0.5, 0, 0.5; 51+: none (NaN)
  //   framework 0 = overall; framework 1: 0 tasks, NaN fractions
  const r = fold([
    agent(0, 0, res(16, 1000)),
    framework(0, 0, 'f', 'r'),
    framework(0, 1, 'g', 'r'),
    job(0, 0, 0, 4, 1),
    job(0, 1, 0, 12, 1),
    job(0, 2, 1, 1, 1),
    loc(1, 0, 0, 0, 0, 'node'),
    loc(1, 1, 0, 0, 0, 'node'),
    loc(1, 2, 0, 0, 0, 'rack'),
    loc(1, 3, 0, 0, 0, 'remote'),
    loc(2, 4, 1, 0, 0, 'node'),
    loc(2, 5, 1, 0, 0, 'remote'),
    runEnded(3),
  ]);

  test('job counts', () => {
    expect(r.jobs.map((j) => [j.localNode, j.localRack, j.localRemote])).toEqual([
      [2, 1, 1],
      [1, 0, 1],
      [0, 0, 0],
    ]);
  });

  test('run fractions, overall and by job size', () => {
    expect(r.summary.locality).toEqual({ tasks: 6, node: 0.5, rack: 1 / 6, remote: 2 / 6 });
    expect(r.summary.localityByJobSize).toEqual([
      { tasks: 4, node: 0.5, rack: 0.25, remote: 0.25 },
      { tasks: 2, node: 0.5, rack: 0, remote: 0.5 },
      { tasks: 0, node: NaN, rack: NaN, remote: NaN },
    ]);
  });

  test('framework fractions', () => {
    expect(r.frameworks.map((f) => f.locality)).toEqual([
      { tasks: 6, node: 0.5, rack: 1 / 6, remote: 2 / 6 },
      { tasks: 0, node: NaN, rack: NaN, remote: NaN },
    ]);
  });

  test("a locality record of another framework's job is a broken log", () => {
    expect(() => fold([agent(0, 0, res(1, 1)), framework(0, 0, 'f', 'r'), framework(0, 1, 'g', 'r'), job(0, 0, 0, 1, 1), loc(1, 0, 0, 1, 0, 'node')])).toThrow(
      LogInvariantError,
    );
  });
});
