/**
 * Decision time (Omega's slow scheduler, DESIGN section 4) and abandonment in the
 * batch framework, end to end through simulate() and the metric fold. Times in comments are seconds.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { MetricsFold } from '../../../reports/metrics-fold.js';
import { seconds, type SimTime } from '../../kernel/time.js';
import type { LogRecord } from '../log.js';
import { resources } from '../resources.js';
import { simulate } from '../simulation.js';
import { RecordingSink } from '../test-support/scripted.js';
import { BatchFramework, type BatchOptions } from './batch.js';

const S = 1_000_000;
const drf = () => getAllocator('drf')!.create({});
const task = (cpus: number) => ({ res: resources({ cpus }), duration: seconds(10) });

/** One 4-cpu agent; framework slow (role a, `opts`) with `slowTasks`, and fast (role b) with one 1-cpu task at 1 s. */
function run(opts: BatchOptions, slowTasks: number[]) {
  const sink = new RecordingSink();
  const fold = new MetricsFold();
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: drf(),
    agents: [{ name: 'a1', rack: 'r1', res: resources({ cpus: 4 }) }],
    frameworks: [
      { name: 'slow', role: 'a', behaviour: new BatchFramework(opts) },
      { name: 'fast', role: 'b', behaviour: new BatchFramework() },
    ],
    weights: new Map(),
    jobs: [
      { id: 'j0', submit: 0 as SimTime, framework: 'slow', tasks: slowTasks.map(task) },
      { id: 'j1', submit: seconds(1), framework: 'fast', tasks: [task(1)] },
    ],
    sinks: [sink, fold],
  });
  return { sink, metrics: fold.finish(), end: result.endTime / S };
}
const running = (sink: RecordingSink) =>
  sink
    .of('task_state')
    .filter((r) => r.state === 'running')
    .map((r) => [r.framework, r.task, r.t / S]);
const strip = (rs: readonly LogRecord[]) => JSON.stringify(rs.filter((r) => r.kind !== 'decision' && r.kind !== 'job_abandoned'));

describe('decision time', () => {
  // t 0: the agent registers; slow (the only framework with demand at 0; fast has none) gets the
  // whole agent, offer 0 (4 cpus). Its decision for j0 considers 2 tasks: 2 + 0.5 x 2 = 3 s, so
  // offer 0 is held over [0, 3]. fast's job arrives at 1 but the agent's cpus are all in offer 0:
  // it waits. t 3: slow accepts offer 0 launching tasks 0 and 1 (2 cpus); the unused 2 cpus come
  // back, the accept triggers an allocation run at 3, and fast gets them and launches task 2 at
  // once (no decision time). All tasks run 10 s: they end at 13, the run ends at 13.
  // busyness(slow) = 3 / 13 = 0.230769...; fast 0. Without decision time, slow would launch at 0
  // and fast at its first offer after 1 (the tick at 1 offers the free 2 cpus): ends 10 and 11.
  test('delays launches and holds the offer so another framework waits', () => {
    const { sink, metrics, end } = run({ decisionJob: 2, decisionTask: 0.5 }, [1, 1]);
    expect(running(sink)).toEqual([
      [0, 0, 3],
      [0, 1, 3],
      [1, 2, 3],
    ]);
    expect(sink.of('decision').map((r) => [r.framework, r.job, r.start / S, r.t / S, r.tasks])).toEqual([[0, 0, 0, 3, 2]]);
    expect(sink.of('offer_accepted').map((r) => [r.offer, r.framework, r.t / S])).toEqual([
      [0, 0, 3],
      [1, 1, 3],
    ]);
    expect(end).toBe(13);
    const [slow, fast] = metrics.frameworks;
    expect(slow!.busyness).toBeCloseTo(3 / 13, 12);
    expect(fast!.busyness).toBe(0);
    expect(metrics.summary.busynessMean).toBeCloseTo(3 / 13 / 2, 12);
    const plain = run({}, [1, 1]);
    expect(running(plain.sink)).toEqual([
      [0, 0, 0],
      [0, 1, 0],
      [1, 2, 1],
    ]);
    expect(plain.end).toBe(11);
  });

  test('zero decision time (and maxAttempts 0) logs exactly what the default does', () => {
    const a = run({}, [1, 1, 2]);
    const b = run({ decisionJob: 0, decisionTask: 0, maxAttempts: 0 }, [1, 1, 2]);
    expect(JSON.stringify(a.sink.records)).toBe(JSON.stringify(b.sink.records));
    expect(a.sink.of('decision')).toEqual([]);
    expect(a.metrics.frameworks[0]!.busyness).toBe(0);
  });
});

describe('abandonment', () => {
  // j0 is one 8-cpu task: it never fits the 4-cpu agent. maxAttempts 2, decisionJob 1:
  // t 0: offer 0 (4 cpus) to slow; decision [0, 1] places nothing: attempt 1; the round ends and
  // offer 0 is declined with the 5 s refuse filter (until 6). fast's job arrives at 1 and gets the
  // 4 cpus at the tick at 1 (launch at 1, ends 11). t 6: the filter has expired; the agent's 3
  // free cpus go to slow at the tick at 6; decision [6, 7] fails again: attempt 2 = maxAttempts,
  // j0 is abandoned at 7 with 1 task dropped; slow has nothing pending. The run ends when fast's
  // task ends at 11. busyness(slow) = (1 + 1) / 11.
  test('a job that cannot be placed is dropped after maxAttempts attempts and counted', () => {
    const { sink, metrics, end } = run({ decisionJob: 1, maxAttempts: 2 }, [8]);
    expect(sink.of('decision').map((r) => [r.start / S, r.t / S])).toEqual([
      [0, 1],
      [6, 7],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.job, r.framework, r.t / S, r.dropped, r.attempts])).toEqual([[0, 0, 7, 1, 2]]);
    expect(running(sink)).toEqual([[1, 1, 1]]);
    expect(end).toBe(11);
    expect(metrics.summary.jobsAbandoned).toBe(1);
    expect(metrics.summary.jobsUnfinished).toBe(0);
    expect(metrics.summary.completion.n).toBe(1);
    expect(metrics.frameworks[0]!.jobsAbandoned).toBe(1);
    expect(metrics.frameworks[0]!.busyness).toBeCloseTo(2 / 11, 12);
  });

  // Without decision time an attempt is one delivery of offers after which the job still has
  // pending tasks. t 0: offer 0 (4 cpus) to slow, declined at once (attempt 1), filter until 5.
  // t 1: fast gets offer 1 (4 cpus) and launches its task. t 5: the filter expires before the tick
  // at 5, slow gets offer 2 (the 3 free cpus), declines it: attempt 2, j0 abandoned at 5. The run
  // ends when fast's task ends at 11, with no decision records.
  test('without decision time, attempts are offer deliveries', () => {
    const { sink, metrics, end } = run({ maxAttempts: 2 }, [8]);
    expect(sink.of('offer_sent').map((r) => [r.offer, r.framework, r.t / S])).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [2, 0, 5],
    ]);
    expect(sink.of('offer_declined').map((r) => [r.offer, r.t / S])).toEqual([
      [0, 0],
      [2, 5],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.job, r.t / S, r.dropped, r.attempts])).toEqual([[0, 5, 1, 2]]);
    expect(sink.of('decision')).toEqual([]);
    expect(end).toBe(11);
    expect(metrics.frameworks[0]!.busyness).toBe(0);
    expect(strip(sink.records)).toBe(strip(sink.records.filter((r) => r.kind !== 'job_abandoned')));
  });
});

describe('offers rescinded while held', () => {
  // offerTimeout 1 < decisionJob 2, maxAttempts 2, one 1-cpu task. A decision uses only offers
  // held when it began. t 0: offer 0 (4 cpus), decision [0, 2]. t 1: offer 0 times out and is
  // rescinded (slow forgets it); the tick at 1 re-offers the cpus as offer 1 (arrived after the
  // decision began). t 2 (MESSAGE phase, decision timer armed before offer 1's timeout): the
  // decision ends with nothing usable: attempt 1; offer 1 starts the next round, decision [2, 4];
  // offer 1 then times out at 2 and offer 2 (t 2) and offer 3 (t 3) follow, each rescinded a
  // second later. t 4: the decision ends first (its timer is older than offer 3's timeout), offer 3
  // arrived at 3 > 2: attempt 2, j0 abandoned, and with every job done the run stops at once (offer
  // 3 is never rescinded), nothing launched: a scheduler slower than the offer timeout starves.
  test('a decision goes on without rescinded offers; slower than the offer timeout, it starves', () => {
    const sink = new RecordingSink();
    const result = simulate({
      seed: 1,
      master: { allocationInterval: seconds(1), offerTimeout: seconds(1) },
      allocator: drf(),
      agents: [{ name: 'a1', rack: 'r1', res: resources({ cpus: 4 }) }],
      frameworks: [{ name: 'slow', role: 'a', behaviour: new BatchFramework({ decisionJob: 2, maxAttempts: 2 }) }],
      weights: new Map(),
      jobs: [{ id: 'j0', submit: 0 as SimTime, framework: 'slow', tasks: [task(1)] }],
      sinks: [sink],
    });
    expect(sink.of('offer_rescinded').map((r) => [r.offer, r.t / S])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(sink.of('decision').map((r) => [r.start / S, r.t / S])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.t / S, r.attempts])).toEqual([[4, 2]]);
    expect(sink.of('offer_accepted')).toEqual([]);
    expect(result.endTime / S).toBe(4);
  });
});
