/**
 * Agent failures (notes §1.5, G9) and framework failover (G10), end to end through simulate().
 * Times in the comments are seconds; every expected time is worked out by hand from these rules:
 * - the master pings an agent every 15 s from its registration; a ping at or after the failure goes
 *   unanswered, and each ping timeout (15 s after a ping) that finds it unanswered counts a miss;
 *   the 5th miss declares the agent lost: 75 s after the first unanswered ping, so 75 s (inclusive)
 *   to 90 s (exclusive) after the failure (Mesos SlaveObserver, src/master/master.cpp:204-245);
 * - offers on the agent are rescinded at the failure;
 * - at the loss its tasks go 'lost', it leaves the cluster (agent_removed), and the batch framework
 *   reruns each lost task as a copy job `<framework>/replace-<task>`;
 * - with downFor it registers again at failure + downFor (or at the loss, if later).
 */
import { getAllocator } from '../../allocators/registry.js';
import { MetricsFold } from '../../reports/metrics-fold.js';
import { seconds, type SimTime } from '../kernel/time.js';
import type { FrameworkBehaviour, OfferView } from './framework.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink } from './test-support/scripted.js';
import { BatchFramework } from './frameworks/batch.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

function drf() {
  return getAllocator('drf')!.create({});
}

/** A framework that keeps every offer it gets and never answers (so offers stay outstanding). */
class Holder implements FrameworkBehaviour {
  readonly kind = 'holder';
  readonly held: number[] = [];
  readonly rescinded: number[] = [];
  onJobSubmitted(): void {}
  onOffers(offers: readonly OfferView[]): void {
    for (const o of offers) this.held.push(o.id);
  }
  onOfferRescinded(offer: number): void {
    this.rescinded.push(offer);
  }
  onTaskEnded(): void {}
  pendingTasks(): number {
    return 0;
  }
}

describe('agent failures (G9)', () => {
  // a1 (1 cpu) registers at 0, a2 (1 cpu) at 10. Job j: one 1-cpu task of 200 s, submitted at 0.
  // 0: the triggered run offers a1 to f, which launches task 0 there (would end at 200).
  // 10: a2 registers; offered to f, which has nothing pending: declined (5 s filter, gone by 15).
  // 100: a1 fails. Pings to a1 at 0, 15, ..., 90 were answered; the one at 105 is not: the
  //   timeouts at 120, 135, 150, 165 and 180 count misses 1 to 5, so it is lost at 180 (= 105 + 75),
  //   80 s after the failure.
  // 180: task 0 'lost' on agent 0, agent_removed (1 cpu), job j finished (its only task ended);
  //   f resubmits it as job f/replace-0 (task 1), pending.
  // 180: the loss is handled in the message phase, before the instant's periodic run (ticks every
  //   1 s), which offers a2 to f: task 1 runs on agent 1, 180 .. 380.
  // 380: task 1 finishes, job f/replace-0 finishes, the run completes.
  test('tasks are lost 80 s after a failure 10 s past a ping; the batch framework reruns them', () => {
    const sink = new RecordingSink();
    const metrics = new MetricsFold({ sampleInterval: S });
    const result = simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: [
        { name: 'a1', rack: 'r', res: ONE_CPU },
        { name: 'a2', rack: 'r', res: ONE_CPU, addAt: seconds(10) },
      ],
      frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework() }],
      weights: new Map(),
      jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'f', tasks: [{ res: ONE_CPU, duration: seconds(200) }] }],
      sinks: [sink, metrics],
      failures: { agents: [{ agent: 'a1', at: seconds(100) }] },
    });
    const states = sink.of('task_state').map((r) => [r.t / S, r.task, r.agent, r.state]);
    expect(states).toEqual([
      [0, 0, 0, 'staging'],
      [0, 0, 0, 'running'],
      [180, 0, 0, 'lost'],
      [180, 1, 1, 'staging'],
      [180, 1, 1, 'running'],
      [380, 1, 1, 'finished'],
    ]);
    expect(sink.of('agent_removed').map((r) => [r.t / S, r.agent, r.res[0]])).toEqual([[180, 0, 1000]]);
    expect(sink.of('job_submitted').map((r) => [r.t / S, r.name])).toEqual([
      [0, 'j'],
      [180, 'f/replace-0'],
    ]);
    expect(sink.of('job_finished').map((r) => [r.t / S, r.job])).toEqual([
      [180, 0],
      [380, 1],
    ]);
    // a1 takes no part in allocation after its failure: no offer on agent 0 after 100
    expect(sink.of('offer_sent').filter((r) => r.agent === 0 && r.t >= 100 * S)).toEqual([]);
    expect(result.reason).toBe('completed');
    expect(result.endTime / S).toBe(380);
    expect(result.jobsFinished).toBe(2);
    const m = metrics.finish();
    expect(m.summary.tasksLost).toBe(1);
    expect(m.summary.tasksFinished).toBe(1);
    expect(m.summary.agents).toBe(1);
  });

  // a1 registers at 0 and is offered at once to h, which holds the offer (offer 0).
  // 30: a1 fails. The offer is rescinded at once (at disconnect), h is told. 30 is a ping time and
  //   goes unanswered (the last answer was at 15): misses at the timeouts 45, 60, 75, 90 and 105,
  //   so lost at 105, exactly 75 s after the failure (90 s after the last answered ping at 15).
  // 105: agent_removed. downFor 100: it registers again at 130, as agent 0, and the run triggered
  //   by that registration offers it to h at 130 (offer 1). No offer on it between 30 and 130.
  test('offers are rescinded at the failure; lost 75 s later when it falls on a ping; the agent comes back', () => {
    const sink = new RecordingSink();
    const h = new Holder();
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: [{ name: 'a1', rack: 'r', res: ONE_CPU }],
      frameworks: [{ name: 'h', role: '*', behaviour: h }],
      weights: new Map(),
      jobs: [],
      duration: seconds(200),
      sinks: [sink],
      failures: { agents: [{ agent: 'a1', at: seconds(30), downFor: seconds(100) }] },
    });
    expect(sink.of('offer_rescinded').map((r) => [r.t / S, r.offer, r.agent])).toEqual([[30, 0, 0]]);
    expect(h.rescinded).toEqual([0]);
    expect(sink.of('agent_removed').map((r) => r.t / S)).toEqual([105]);
    expect(sink.of('agent_added').map((r) => [r.t / S, r.agent, r.name])).toEqual([
      [0, 0, 'a1'],
      [130, 0, 'a1'],
    ]);
    expect(sink.of('offer_sent').map((r) => [r.t / S, r.offer])).toEqual([
      [0, 0],
      [130, 1],
    ]);
  });

  // The shape of Mesos PartitionTest.PartitionedSlave (src/tests/partition_tests.cpp:90-160): the
  // agent's pongs stop, the master's pings go on every 15 s, and the agent is lost one timeout
  // after the 5th unanswered ping. Here each agent fails at a different phase of its own ping
  // schedule (pings every 15 s from its registration r). With P the first ping at or after the
  // failure F, the timeouts at P+15 .. P+75 count misses 1 .. 5 and the loss falls at P + 75:
  //   agent  r   F           pings (answered | unanswered)   P    lost   lost - F
  //   p0     0   0           - | 0, 15, ..., 60              0    75     75          (PartitionedSlave: no pong ever)
  //   p1     0   15          0 | 15, 30, ...                 15   90     75          (on a ping: the least)
  //   p2     0   20          0, 15 | 30, ...                 30   105    85
  //   p3     0   29.999999   0, 15 | 30, ...                 30   105    75.000001   (just before a ping)
  //   p4     0   30.000001   0, 15, 30 | 45, ...             45   120    89.999999   (just after: nearly the most)
  //   p5     7   50          7, 22, 37 | 52, ...             52   127    77          (schedule from its own registration)
  test('agents are lost 75 s after their first unanswered ping, at every phase of the ping schedule', () => {
    const sink = new RecordingSink();
    const cases: [string, number, string][] = [
      ['p0', 0, '0'],
      ['p1', 0, '15'],
      ['p2', 0, '20'],
      ['p3', 0, '29.999999'],
      ['p4', 0, '30.000001'],
      ['p5', 7, '50'],
    ];
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: cases.map(([name, r]) => ({ name, rack: 'r', res: ONE_CPU, addAt: seconds(r) })),
      frameworks: [],
      weights: new Map(),
      jobs: [],
      duration: seconds(200),
      sinks: [sink],
      failures: { agents: cases.map(([agent, , at]) => ({ agent, at: seconds(Number(at)) })) },
    });
    const lost = sink.of('agent_removed').map((r) => [sink.of('agent_added').find((a) => a.agent === r.agent)!.name, r.t / S]);
    expect(lost).toEqual([
      ['p0', 75],
      ['p1', 90],
      ['p2', 105],
      ['p3', 105],
      ['p4', 120],
      ['p5', 127],
    ]);
  });

  test('an unknown agent in failures is an error', () => {
    expect(() =>
      simulate({
        seed: 1,
        master: {},
        allocator: drf(),
        agents: [{ name: 'a1', rack: 'r', res: ONE_CPU }],
        frameworks: [{ name: 'h', role: '*', behaviour: new Holder() }],
        weights: new Map(),
        jobs: [],
        duration: seconds(10),
        sinks: [],
        failures: { agents: [{ agent: 'zz', at: seconds(1) }] },
      }),
    ).toThrow(/unknown agent zz/);
  });
});

describe('framework failover (G10)', () => {
  // a1 has 2 cpus. Job j: one 1-cpu task of 100 s at 0. At 0 the triggered run offers a1 to f,
  // which launches task 0 and declines the other cpu (5 s filter). f's scheduler disconnects at 12.
  const TWO_CPUS = resources({ cpus: 2 });
  function run(failoverTimeout: number | undefined, reconnectAfter?: number) {
    const sink = new RecordingSink();
    const metrics = new MetricsFold({ sampleInterval: S });
    const result = simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: [{ name: 'a1', rack: 'r', res: TWO_CPUS }],
      frameworks: [
        {
          name: 'f',
          role: '*',
          behaviour: new BatchFramework(),
          failover: { disconnectAt: seconds(12), reconnectAfter: reconnectAfter === undefined ? undefined : seconds(reconnectAfter) },
          failoverTimeout: failoverTimeout === undefined ? undefined : seconds(failoverTimeout),
        },
      ],
      weights: new Map(),
      jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'f', tasks: [{ res: ONE_CPU, duration: seconds(100) }] }],
      sinks: [sink, metrics],
    });
    const states = sink.of('task_state').map((r) => [r.t / S, r.task, r.state]);
    return { sink, result, states, m: metrics.finish() };
  }

  // timeout 0 (the default): removed at the disconnect, 12: task 0 killed, job j dropped with it
  // (no job_finished: it never completed; none of its tasks was still pending), and the run ends.
  test('failover_timeout 0: tasks are killed as soon as the scheduler disconnects', () => {
    const { sink, result, states, m } = run(undefined);
    expect(states).toEqual([
      [0, 0, 'staging'],
      [0, 0, 'running'],
      [12, 0, 'killed'],
    ]);
    expect(sink.of('job_finished')).toEqual([]);
    expect(sink.of('job_dropped').map((r) => [r.t / S, r.job, r.dropped])).toEqual([[12, 0, 0]]);
    expect(result.endTime / S).toBe(12);
    expect(result.reason).toBe('completed');
    expect(m.summary.tasksKilled).toBe(1);
    expect(m.summary.jobsFinished).toBe(0);
    expect(m.summary.jobsAbandoned).toBe(1);
  });

  // timeout 30, never back: deactivated at 12 (no offers from then on), killed at 12 + 30 = 42.
  test('failover_timeout X: tasks are killed X after the disconnect; no offers meanwhile', () => {
    const { sink, result, states } = run(30);
    expect(states).toEqual([
      [0, 0, 'staging'],
      [0, 0, 'running'],
      [42, 0, 'killed'],
    ]);
    expect(sink.of('offer_sent').filter((r) => r.t > 12 * S)).toEqual([]);
    expect(result.endTime / S).toBe(42);
  });

  // timeout 30, back after 20 (at 32 < 42): reactivated, task 0 kept; it ends at 100. f suppressed
  // itself at 0 once nothing was pending, so it gets no offer after 0 either way (the reactivation
  // with offers is the Holder test below).
  test('reregistering within the timeout keeps the tasks and reactivates the framework', () => {
    const { sink, result, states } = run(30, 20);
    expect(states).toEqual([
      [0, 0, 'staging'],
      [0, 0, 'running'],
      [100, 0, 'finished'],
    ]);
    expect(sink.of('offer_sent').map((r) => r.t / S)).toEqual([0]);
    expect(result.endTime / S).toBe(100);
  });

  // Removal while a task sits on a failed agent not yet declared lost. a1 (1 cpu) registers at 0,
  // a2 (1 cpu) at 10; f's job j (one 1-cpu task, 200 s) runs task 0 on a1 from 0.
  // 100: a1 fails (first unanswered ping 105: lost at 180).
  // 110: f disconnects, failover timeout 30.
  // 140: the timeout runs out while a1 is failed: f is removed, and, as Mesos removeFramework does
  //   for every task on a registered agent, disconnected or not (src/master/master.cpp:10397-10465),
  //   task 0 is killed on a1 (its cpu goes back to a1's free pool and out of f's allocation). Job
  //   j, the only one, is over.
  // 180: a1 is declared lost: agent_removed, but no task of f is lost (task 0 ended at 140).
  // To completion the run ends at 140, with job j; with a duration it goes on to 180.
  test('a framework removed while its task is on a failed agent: the task is killed, the later loss finds nothing', () => {
    const once = (duration?: number) => {
      const sink = new RecordingSink();
      const metrics = new MetricsFold({ sampleInterval: S });
      const result = simulate({
        seed: 1,
        master: { allocationInterval: seconds(1) },
        allocator: drf(),
        agents: [
          { name: 'a1', rack: 'r', res: ONE_CPU },
          { name: 'a2', rack: 'r', res: ONE_CPU, addAt: seconds(10) },
        ],
        frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework(), failover: { disconnectAt: seconds(110) }, failoverTimeout: seconds(30) }],
        weights: new Map(),
        jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'f', tasks: [{ res: ONE_CPU, duration: seconds(200) }] }],
        sinks: [sink, metrics],
        duration: duration === undefined ? undefined : seconds(duration),
        failures: { agents: [{ agent: 'a1', at: seconds(100) }] },
      });
      return { sink, result, m: metrics.finish() };
    };
    const { sink, result, m } = once(300);
    expect(sink.of('task_state').map((r) => [r.t / S, r.task, r.agent, r.state])).toEqual([
      [0, 0, 0, 'staging'],
      [0, 0, 0, 'running'],
      [140, 0, 0, 'killed'],
    ]);
    expect(sink.of('agent_removed').map((r) => [r.t / S, r.agent])).toEqual([[180, 0]]);
    expect(result.reason).toBe('duration');
    expect(m.summary.tasksKilled).toBe(1);
    expect(m.summary.tasksLost).toBe(0);
    const done = once();
    expect(done.result.reason).toBe('completed');
    expect(done.result.endTime / S).toBe(140);
  });

  // h holds offer 0 (a1, made at 0). Disconnect at 5 (timeout 10): offer 0 rescinded at 5.
  // Back at 5 + 3 = 8: the triggered run offers a1 again (offer 1 at 8).
  test('outstanding offers are rescinded at the disconnect', () => {
    const sink = new RecordingSink();
    const h = new Holder();
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: [{ name: 'a1', rack: 'r', res: ONE_CPU }],
      frameworks: [{ name: 'h', role: '*', behaviour: h, failover: { disconnectAt: seconds(5), reconnectAfter: seconds(3) }, failoverTimeout: seconds(10) }],
      weights: new Map(),
      jobs: [],
      duration: seconds(20),
      sinks: [sink],
    });
    expect(sink.of('offer_rescinded').map((r) => [r.t / S, r.offer])).toEqual([[5, 0]]);
    expect(h.rescinded).toEqual([0]);
    expect(sink.of('offer_sent').map((r) => [r.t / S, r.offer])).toEqual([
      [0, 0],
      [8, 1],
    ]);
  });
});
