/**
 * Network partitions and partition-aware frameworks, end to end through simulate(), in the shapes
 * of Mesos src/tests/partition_tests.cpp. Times in the comments are seconds, worked out by hand:
 * - pings every 15 s from the agent's registration; the 5th unanswered ping's timeout marks the
 *   agent unreachable, 75 s after its first unanswered ping (SlaveObserver, master.cpp:204-245);
 * - a partition that heals before that: the agent answers again (agent_reconnected), nothing of
 *   its tasks changes, and tasks whose end fell during the partition report it at the heal;
 * - at the unreachable instant: partition-aware frameworks' tasks go 'unreachable' (their job
 *   waits), other frameworks' tasks go 'lost' (rerun as copies by the batch framework);
 * - a heal after it: the agent reregisters; unreachable tasks still running go 'running' again
 *   and end at their original end; lost tasks are killed unseen (no record);
 * - a crashed agent comes back empty: its unreachable tasks are 'gone' (rerun as copies).
 * Every log here is also checked by the log verifier (no violation).
 */
import { getAllocator } from '../../allocators/registry.js';
import { MetricsFold } from '../../reports/metrics-fold.js';
import { formatViolation, LogVerifier } from '../../reports/verify.js';
import { seconds, type SimTime } from '../kernel/time.js';
import { REGISTRY_GC_INTERVAL, REGISTRY_MAX_AGENT_AGE } from './agent-partitions.js';
import { BatchFramework } from './frameworks/batch.js';
import { resources } from './resources.js';
import { simulate, type AgentFailureSpec, type FrameworkSpec, type SimulationResult } from './simulation.js';
import { RecordingSink } from './test-support/scripted.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

interface Run {
  readonly sink: RecordingSink;
  readonly result: SimulationResult;
  readonly metrics: ReturnType<MetricsFold['finish']>;
  /** task_state records as [t s, task, agent, state] */
  readonly states: (string | number)[][];
}

/**
 * a1 (1 cpu) registers at 0, a2 (1 cpu) at 10; framework f (batch, partition-aware or not) gets
 * job j at 0: one 1-cpu task of `duration` s. At 0 the triggered run offers a1 to f: task 0 runs
 * on a1 from 0. At 10 a2 is offered and declined (nothing pending). `failure` hits a1. Periodic
 * allocation runs every `interval` s (default 1); `framework` adds to f's spec.
 */
function run(duration: number, partitionAware: boolean, failure: Omit<AgentFailureSpec, 'agent'>, interval = 1, framework: Partial<FrameworkSpec> = {}): Run {
  const sink = new RecordingSink();
  const fold = new MetricsFold({ sampleInterval: interval * S });
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(interval) },
    allocator: getAllocator('drf')!.create({}),
    agents: [
      { name: 'a1', rack: 'r', res: ONE_CPU },
      { name: 'a2', rack: 'r', res: ONE_CPU, addAt: seconds(10) },
    ],
    frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework(), partitionAware, ...framework }],
    weights: new Map(),
    jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'f', tasks: [{ res: ONE_CPU, duration: seconds(duration) }] }],
    sinks: [sink, fold],
    failures: { agents: [{ agent: 'a1', ...failure }] },
  });
  const violations: string[] = [];
  const v = new LogVerifier({ onViolation: (x) => violations.push(formatViolation(x)) });
  sink.records.forEach((r, i) => v.record(r, i + 1));
  v.finish();
  expect(violations).toEqual([]);
  const states = sink.of('task_state').map((r) => [r.t / S, r.task, r.agent, r.state]);
  return { sink, result, metrics: fold.finish(), states };
}

const at = (s: number): SimTime => seconds(s);

describe('partitions and partition-aware frameworks', () => {
  // PartitionTest.ReregisterSlavePartitionAware (partition_tests.cpp:496-858). Task 0: 0 .. 400.
  // 100: a1 partitioned; pings at 0 .. 90 answered, 105 not: misses at 120, 135, 150, 165, 180.
  // 180: a1 marked unreachable: task 0 'unreachable' (its job waits, no copy), agent_removed.
  // 250 (= 100 + 150): the partition heals; a1 reregisters (agent_added) with task 0, 'running'
  //   again at 250; it ends at its original end, 400. Job j finishes at 400; the run completes.
  test('a partition-aware task on an unreachable agent goes unreachable and runs on when the agent returns', () => {
    const r = run(400, true, { at: at(100), downFor: at(150), kind: 'partition' });
    expect(r.states).toEqual([
      [0, 0, 0, 'staging'],
      [0, 0, 0, 'running'],
      [180, 0, 0, 'unreachable'],
      [250, 0, 0, 'running'],
      [400, 0, 0, 'finished'],
    ]);
    expect(r.sink.of('agent_removed').map((x) => x.t / S)).toEqual([180]);
    expect(r.sink.of('agent_added').map((x) => [x.t / S, x.agent])).toEqual([
      [0, 0],
      [10, 1],
      [250, 0],
    ]);
    expect(r.sink.of('job_submitted').map((x) => x.name)).toEqual(['j']);
    expect(r.sink.of('job_finished').map((x) => [x.t / S, x.job])).toEqual([[400, 0]]);
    expect(r.result.endTime / S).toBe(400);
    expect(r.metrics.summary.tasksLost).toBe(0);
    expect(r.metrics.summary.tasksFinished).toBe(1);
    expect(r.metrics.summary.tasksLaunched).toBe(1);
    // The fold: task 0's cpu is used except while it is unreachable (its agent out of the cluster).
    // used / total over time: 0-10 1/1, 10-180 1/2, 180-250 0/1 (a2 only), 250-400 1/2:
    // (10 x 1 + 170 x 0.5 + 70 x 0 + 150 x 0.5) / 400 = 170 / 400 = 0.425.
    expect(r.metrics.summary.utilisation[0]).toBeCloseTo(0.425, 9); // cpus
  });

  // PartitionTest.ReregisterSlaveNotPartitionAware (partition_tests.cpp:860-1145), the same run
  // with f not partition-aware. 180: task 0 'lost', agent_removed, job j finished; f reruns it as
  // job f/replace-0 (task 1), which the run at 180 places on a2: 180 .. 580. 250: a1 reregisters;
  // task 0, still running there, is killed (no record: it ended already). 580: the run completes.
  // (Mesos 1.11 lets task 0 run on and reports it running again: a difference, docs/model.md.)
  test('a task of a framework that is not partition-aware is lost and rerun; the returning agent brings nothing back', () => {
    const r = run(400, false, { at: at(100), downFor: at(150), kind: 'partition' });
    expect(r.states).toEqual([
      [0, 0, 0, 'staging'],
      [0, 0, 0, 'running'],
      [180, 0, 0, 'lost'],
      [180, 1, 1, 'staging'],
      [180, 1, 1, 'running'],
      [580, 1, 1, 'finished'],
    ]);
    expect(r.sink.of('agent_added').map((x) => [x.t / S, x.agent])).toEqual([
      [0, 0],
      [10, 1],
      [250, 0],
    ]);
    expect(r.result.endTime / S).toBe(580);
    expect(r.metrics.summary.tasksLost).toBe(1);
  });

  // A short partition: 100 .. 160, healed before the 5th miss (180). No agent_removed: a1 answers
  // at 160 (agent_reconnected) with task 0 untouched; task 0 (0 .. 120) ended during the partition,
  // so a1 reports it at 160: 'finished' at 160 (job j finishes then). Partition-aware or not alike.
  test('a partition that heals before the ping timeout loses nothing; ends during it are reported at the heal', () => {
    for (const aware of [false, true]) {
      const r = run(120, aware, { at: at(100), downFor: at(60), kind: 'partition' });
      expect(r.states).toEqual([
        [0, 0, 0, 'staging'],
        [0, 0, 0, 'running'],
        [160, 0, 0, 'finished'],
      ]);
      expect(r.sink.of('agent_removed')).toEqual([]);
      expect(r.sink.of('agent_reconnected').map((x) => [x.t / S, x.agent])).toEqual([[160, 0]]);
      expect(r.result.endTime / S).toBe(160);
    }
  });

  // The same short partition with a 200 s task (0 .. 200): nothing changes at the heal (160), and
  // task 0 finishes at 200 as if nothing happened. A crash at 100 instead loses it at 180; a1 is
  // back at once (160 is before the loss), and the run its registration triggers places the copy
  // (task 1) on a1: 180 .. 380.
  test('a task outliving a short partition ends on time; a crash loses it', () => {
    const p = run(200, false, { at: at(100), downFor: at(60), kind: 'partition' });
    expect(p.states.slice(2)).toEqual([[200, 0, 0, 'finished']]);
    expect(p.result.endTime / S).toBe(200);
    const c = run(200, false, { at: at(100), downFor: at(60) });
    expect(c.states.slice(2)).toEqual([
      [180, 0, 0, 'lost'],
      [180, 1, 0, 'staging'],
      [180, 1, 0, 'running'],
      [380, 1, 0, 'finished'],
    ]);
  });

  // A heal at the very instant of the 5th miss (100 + 80 = 180) is too late: the transition to
  // unreachable was scheduled first, so task 0 goes 'unreachable' at 180, then a1 reregisters at
  // 180 and task 0 is 'running' again at 180, ending at 400.
  test('a heal at the instant the agent is marked unreachable is a reregistration', () => {
    const r = run(400, true, { at: at(100), downFor: at(80), kind: 'partition' });
    expect(r.states.slice(2)).toEqual([
      [180, 0, 0, 'unreachable'],
      [180, 0, 0, 'running'],
      [400, 0, 0, 'finished'],
    ]);
    expect(r.sink.of('agent_reconnected')).toEqual([]);
  });

  // Unreachable, and its end (0 .. 200) falls while the agent is away (180 .. 250): a1 reports it
  // when it reregisters, 'finished' at 250 (PartitionTest.PartitionAwareTaskCompletedOnPartitionedAgent).
  test('an unreachable task that ended while away is reported finished at the reregistration', () => {
    const r = run(200, true, { at: at(100), downFor: at(150), kind: 'partition' });
    expect(r.states.slice(2)).toEqual([
      [180, 0, 0, 'unreachable'],
      [250, 0, 0, 'finished'],
    ]);
    expect(r.result.endTime / S).toBe(250);
  });

  // A crash (the default kind) of a1 at 100, back at 250, with f partition-aware: task 0 goes
  // 'unreachable' at 180 (the master cannot tell a crash from a partition); a1 comes back empty at
  // 250, so task 0 is 'gone' then, and f reruns it as job f/replace-0 (task 1) at 250: placed by
  // the run a1's registration triggers, on a1 (a2 is free too, but that run covers a1 only):
  // 250 .. 650.
  test('a crashed agent comes back without its unreachable tasks: they are gone and rerun', () => {
    const r = run(400, true, { at: at(100), downFor: at(150) });
    expect(r.states.slice(2)).toEqual([
      [180, 0, 0, 'unreachable'],
      [250, 0, 0, 'gone'],
      [250, 1, 0, 'staging'],
      [250, 1, 0, 'running'],
      [650, 1, 0, 'finished'],
    ]);
    expect(r.metrics.summary.tasksLost).toBe(1);
    expect(r.result.endTime / S).toBe(650);
  });

  // A crash for good: task 0 stays unreachable until the registry forgets a1. Unreachable at 180;
  // pruned at the first registry GC (every 900 s from 0) more than 2 weeks (1,209,600 s) later:
  // 180 + 1,209,600 = 1,209,780; 1,209,780 / 900 = 1344.2, so the GC at 1345 x 900 = 1,210,500.
  // Task 0 is 'gone' then; the copy (task 1) runs on a2 from 1,210,500 to 1,210,900. (Allocation
  // runs every 900 s here, to keep the two weeks short to simulate: 1,210,500 is a tick, and the
  // copy, submitted in the message phase, is placed by that tick's run.)
  test('an unreachable task whose agent never returns is gone at the registry GC two weeks later', () => {
    expect(REGISTRY_GC_INTERVAL).toBe(900 * S);
    expect(REGISTRY_MAX_AGENT_AGE).toBe(1_209_600 * S);
    const r = run(400, true, { at: at(100) }, 900);
    expect(r.states.slice(2)).toEqual([
      [180, 0, 0, 'unreachable'],
      [1_210_500, 0, 0, 'gone'],
      [1_210_500, 1, 1, 'staging'],
      [1_210_500, 1, 1, 'running'],
      [1_210_900, 1, 1, 'finished'],
    ]);
  });

  // f removed while task 0 is unreachable: its scheduler disconnects at 200 with failover timeout
  // 0, so it is removed at 200 (framework_removed: 1 task killed, 1 job dropped). Task 0,
  // unreachable since 180, is killed at 200 (Mesos removeFramework, master.cpp:10466-10490), which
  // ends job j, and the run. a1's return at 250 would find nothing of f's.
  test("a removed framework's unreachable tasks are killed at its removal", () => {
    const r = run(400, true, { at: at(100), downFor: at(150), kind: 'partition' }, 1, { failover: { disconnectAt: at(200) } });
    expect(r.states.slice(2)).toEqual([
      [180, 0, 0, 'unreachable'],
      [200, 0, 0, 'killed'],
    ]);
    expect(r.sink.of('framework_removed').map((x) => [x.t / S, x.tasksKilled, x.jobsDropped])).toEqual([[200, 1, 1]]);
    expect(r.result.endTime / S).toBe(200);
  });

  test('a partition that never heals is an error', () => {
    expect(() => run(400, true, { at: at(100), kind: 'partition' })).toThrow(/downFor is required/);
  });
});
