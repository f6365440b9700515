/**
 * MetricsFold: hand-worked streams (expected numbers derived in the comments, not copied from a
 * run), sample semantics, streaming, and loud failures on a broken log.
 */
import { describe, expect, test } from '@jest/globals';
import type { LogRecord } from '../sim/model/log.js';
import { LogInvariantError, MetricsFold } from './metrics-fold.js';
import type { MetricsResult, Sample } from './metrics.js';
import {
  accept,
  agent,
  framework,
  job,
  jobFinished,
  offer,
  res,
  runEnded,
  streamA,
  streamB,
  task,
  us,
} from './test-support/log.js';

function fold(records: readonly LogRecord[], sampleInterval = 1_000_000): MetricsResult {
  const m = new MetricsFold({ sampleInterval });
  for (const r of records) m.record(r);
  return m.finish();
}

const S = 1_000_000; // us per second
const D = 9; // decimal places for float comparisons

/*
 * Stream A by hand (see streamA's timeline). Totals: 10 000 milli-cpus, 100 000 000 thousandths of
 * MB; disk and gpus total 0, so they are left out of shares and their utilisation is undefined.
 *
 * alpha (weight 1) holds:  [2,7) 4 cpus + 10 000 MB: max(0.4, 0.1) = 0.4
 *                          [7,8) 2 cpus +  5 000 MB: 0.2;  otherwise 0
 * beta (weight 2) holds:   [5,12) 1 cpu + 40 000 MB: max(0.1, 0.4) / 2 = 0.2;  otherwise 0
 * demand: alpha has pending or live tasks in [0,8) and, from job 2, in [9,14]; beta in [0,12).
 *
 * Jain per interval (x = weighted shares of the demanding frameworks):
 *   [0,2)  (0, 0)      all zero -> 1
 *   [2,5)  (0.4, 0)    0.16 / (2 * 0.16)         = 0.5
 *   [5,7)  (0.4, 0.2)  0.36 / (2 * 0.20)         = 0.9
 *   [7,8)  (0.2, 0.2)                            = 1
 *   [8,9)  (0.2)       alpha has no demand, n=1  = 1
 *   [9,12) (0, 0.2)    0.04 / (2 * 0.04)         = 0.5
 *   [12,14] (0)        beta has no demand        -> 1
 * every interval has demand, so demand time = 14 s;
 * integral = 2*1 + 3*0.5 + 2*0.9 + 1 + 1 + 3*0.5 + 2*1 = 10.8 -> mean 10.8/14 = 0.771428571...; min 0.5
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

  test("Jain's index: time-weighted mean 10.8/14, minimum 0.5, demand all 14 s", () => {
    expect(s.jainMean).toBeCloseTo(10.8 / 14, D);
    expect(s.jainMin).toBeCloseTo(0.5, 12);
    expect(s.demandTime).toBe(14 * S);
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
   * Samples at 0, 1, ..., 14 (15 rows), each after every record at or before its time.
   * Expected at the instants where something changed (shares alpha, beta; pending alpha, beta; jain; cpus, mem):
   *   0: (0, 0)      (2, 1)  1    0    0
   *   2: (0.4, 0)    (0, 1)  0.5  0.4  0.1     -- staging counts as allocated
   *   5: (0.4, 0.2)  (0, 0)  0.9  0.5  0.5
   *   7: (0.2, 0.2)  (0, 0)  1    0.3  0.45
   *   8: (0, 0.2)    (0, 0)  1    0.1  0.4     -- alpha has no demand
   *   9: (0, 0.2)    (1, 0)  0.5  0.1  0.4
   *  12: (0, 0)      (1, 0)  1    0    0
   *  14: same as 12.
   */
  test('samples at 1 s', () => {
    expect(r.samples.map((x) => x.t)).toEqual(Array.from({ length: 15 }, (_, i) => i * S));
    const row = (i: number): number[] => {
      const x: Sample = r.samples[i]!;
      return [...x.shares, ...x.pending, x.pendingTotal, x.jain, x.utilisation[0], x.utilisation[1]];
    };
    const close = (actual: number[], expected: number[]): void => {
      expect(actual).toHaveLength(expected.length);
      actual.forEach((a, k) => expect(a).toBeCloseTo(expected[k]!, 12));
    };
    close(row(0), [0, 0, 2, 1, 3, 1, 0, 0]);
    close(row(1), row(0));
    close(row(2), [0.4, 0, 0, 1, 1, 0.5, 0.4, 0.1]);
    close(row(4), row(2));
    close(row(5), [0.4, 0.2, 0, 0, 0, 0.9, 0.5, 0.5]);
    close(row(7), [0.2, 0.2, 0, 0, 0, 1, 0.3, 0.45]);
    close(row(8), [0, 0.2, 0, 0, 0, 1, 0.1, 0.4]);
    close(row(9), [0, 0.2, 1, 0, 1, 0.5, 0.1, 0.4]);
    close(row(11), row(9));
    close(row(12), [0, 0, 1, 0, 1, 1, 0, 0]);
    close(row(14), row(12));
    expect(r.samples[0]!.utilisation[2]).toBeNaN();
  });

  test('samples at 2.5 s fall at 0, 2.5, 5, 7.5, 10, 12.5 and show the state then', () => {
    const r2 = fold(streamA(), 2_500_000);
    expect(r2.samples.map((x) => x.t)).toEqual([0, 2.5, 5, 7.5, 10, 12.5].map(us));
    // 2.5: [2,5) Jain 0.5; 7.5: [7,8) Jain 1 with alpha 0.2; 10: [9,12) Jain 0.5
    expect(r2.samples.map((x) => x.jain)).toEqual([1, 0.5, expect.any(Number), 1, 0.5, 1]);
    expect(r2.samples[3]!.shares[0]).toBeCloseTo(0.2, 12);
    // the sample interval changes no summary metric
    expect(r2.summary).toEqual(r.summary);
  });
});

describe('Jain and shares', () => {
  /*
   * Three frameworks on 10 cpus / 10 000 MB from t=0 to t=10; tasks use cpus only.
   * f0 runs 1 cpu, f1 2 cpus, f2 3 cpus over [0,10): x = 0.1, 0.2, 0.3 ->
   *   (0.6)^2 / (3 * (0.01+0.04+0.09)) = 0.36 / 0.42 = 6/7 = 0.857142857...
   * f3 is registered but never has a job: no demand, so it is left out (with it, n=4 would give 0.36/0.56).
   */
  test('three demanding frameworks; an idle one is left out', () => {
    const recs: LogRecord[] = [agent(0, 0, res(10, 10_000))];
    for (let f = 0; f < 4; f++) recs.push(framework(0, f, `f${f}`, `r${f}`));
    for (let f = 0; f < 3; f++) {
      recs.push(job(0, f, f, 1, 10));
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
   * Jain: one demanding framework -> 1 throughout, and the end instant adds nothing.
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
    expect(r.summary.demandTime).toBe(10 * S);
    // the sample at 10 shows the state after every record at 10
    expect(r.samples[10]!.shares[0]).toBe(2);
    expect(r.samples[10]!.utilisation[0]).toBe(1);
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
  test('onSample receives each sample once it is final; keepSamples false keeps none', () => {
    const seen: number[] = [];
    const m = new MetricsFold({ sampleInterval: S, keepSamples: false, onSample: (x) => seen.push(x.t) });
    const recs = streamB();
    // records at 0, 0.5, 0.75: sample 0 is final only when a record after 0 arrives
    for (const rec of recs.slice(0, 5)) m.record(rec);
    expect(seen).toEqual([]);
    m.record(recs[5]!); // t = 0.5
    expect(seen).toEqual([0]);
    for (const rec of recs.slice(6)) m.record(rec);
    expect(seen).toEqual([0, S]); // run_ended at 2 s has not been passed yet
    const r = m.finish();
    expect(seen).toEqual([0, S, 2 * S]);
    expect(r.samples).toEqual([]);
  });

  test('samples before the first record show the empty cluster; frameworks not yet added are NaN', () => {
    const r = fold([
      agent(2, 0, res(1, 1)),
      framework(2, 1, 'g', 'r'),
      framework(3, 0, 'f', 'r'),
      runEnded(3),
    ]);
    expect(r.samples.map((x) => x.t)).toEqual([0, S, 2 * S, 3 * S]);
    expect(r.samples[0]!.utilisation[0]).toBeNaN();
    expect(r.samples[0]!.jain).toBe(1);
    expect([...r.samples[0]!.shares]).toEqual([]);
    expect([...r.samples[2]!.shares]).toEqual([NaN, 0]);
    expect([...r.samples[2]!.pending]).toEqual([NaN, 0]);
    expect([...r.samples[3]!.shares]).toEqual([0, 0]);
    expect(r.summary.firstEvent).toBe(2 * S);
    expect(r.frameworks.map((f) => [f.name, f.shareMean])).toEqual([['f', 0], ['g', 0]]);
  });

  test('without run_ended the run ends at the last record', () => {
    const r = fold(streamB().slice(0, -1));
    expect(r.summary.runEnd).toBe(1.75 * S);
    expect(r.summary.endReason).toBeNull();
    expect(r.samples.map((x) => x.t)).toEqual([0, S]);
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
  test('a task of another framework', () =>
    fails([framework(1, 1, 'g', 'r'), task(1, 0, 0, 1, 0, 'staging', res(1, 1))], /belongs to framework 0/));
  test('more launches than submitted tasks', () =>
    fails([task(1, 0, 0, 0, 0, 'staging', res(1, 1)), task(1, 1, 0, 0, 0, 'staging', res(1, 1))], /no task pending/));
  test('an offer answered twice', () =>
    fails([offer(1, 0, 0, 0, res(1, 1)), accept(2, 0, 0, 0, 0, res(0, 0)), accept(2, 0, 0, 0, 0, res(0, 0))], /not outstanding/));
  test('an accept using more than offered', () =>
    fails([offer(1, 0, 0, 0, res(1, 1)), accept(2, 0, 0, 0, 1, res(2, 1))], /more cpus than offered/));
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
    kind: 'task_locality', t: sec * 1_000_000, task: t, job: j, framework: fw, agent: ag, locality: l,
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
    expect(r.jobs.map((j) => [j.localNode, j.localRack, j.localRemote])).toEqual([[2, 1, 1], [1, 0, 1], [0, 0, 0]]);
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

  test('a locality record of another framework\'s job is a broken log', () => {
    expect(() => fold([agent(0, 0, res(1, 1)), framework(0, 0, 'f', 'r'), framework(0, 1, 'g', 'r'), job(0, 0, 0, 1, 1), loc(1, 0, 0, 1, 0, 'node')]))
      .toThrow(LogInvariantError);
  });
});
