/**
 * The architectures that place tasks without offers (sim/model/architectures/monolithic.ts,
 * shared-state.ts), on cases worked out by hand.
 */
import { getAllocator } from '../../allocators/registry.js';
import { MetricsFold } from '../../reports/metrics-fold.js';
import { seconds } from '../kernel/time.js';
import type { FrameworkBehaviour } from './framework.js';
import { BatchFramework, type BatchOptions } from './frameworks/batch.js';
import type { JobSpec } from './job.js';
import { resources } from './resources.js';
import { simulate, type AgentSpec, type FrameworkSpec, type SimulationInput } from './simulation.js';
import { probeOrder } from './test-support/held-state.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';
import { taskIx } from './ids.js';

const S = 1_000_000;

function job(id: string, framework: string, submit: number, n: number, cpus: number, mem: number, duration: number): JobSpec {
  const res = resources({ cpus, mem });
  return { id, framework, submit: seconds(submit), tasks: Array.from({ length: n }, () => ({ res, duration: seconds(duration) })) };
}

function run(mode: SimulationInput['mode'], agents: AgentSpec[], frameworks: FrameworkSpec[], jobs: JobSpec[], duration?: number) {
  const sink = new RecordingSink();
  const result = simulate({
    seed: 1,
    mode,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents,
    frameworks,
    weights: new Map(),
    jobs,
    duration: duration === undefined ? undefined : seconds(duration),
    sinks: [sink],
  });
  const running = sink.of('task_state').filter((r) => r.state === 'running');
  return { sink, result, running };
}

const drfAgent: AgentSpec = { name: 's1', rack: 'r', res: resources({ cpus: 9, mem: 18 * 1024 }) };
const drfFrameworks = (): FrameworkSpec[] => [
  { name: 'A', role: '*', behaviour: new BatchFramework() },
  { name: 'B', role: '*', behaviour: new BatchFramework() },
];
const drfJobs = [job('a', 'A', 0, 10, 1, 4 * 1024, 1000), job('b', 'B', 0, 10, 3, 1024, 1000)];

describe('monolithic', () => {
  // Progressive filling in DRF order on <9 cpus, 18 GB>, all at t=0 (no offers, no ticks):
  // A (tie at 0, name order) -> A .22; B (0 < .22) -> B .33; A (.22) -> A .44; B (.33) -> B .67;
  // A (.44) -> A .67; A (tie, name) has no cpu left, nor has B: A = 3 tasks, B = 2 (DRF paper).
  test('the DRF paper example is filled at once, task by task', () => {
    const { running } = run('monolithic', [drfAgent], drfFrameworks(), drfJobs, 30);
    expect(running.map((r) => [r.framework, r.t])).toEqual([
      [0, 0],
      [1, 0],
      [0, 0],
      [1, 0],
      [0, 0],
    ]);
  });

  // One agent of 2 cpus, one job of 4 one-cpu tasks lasting 1.5 s. Monolithic: two start at 0,
  // end at 1.5 and the other two start at once, so the job ends at 3.0. With offers the freed
  // cpus wait for the next periodic run at t=2, so the job ends at 3.5: the offer mechanism's
  // cost here is 0.5 s.
  test('freed resources are used at once, where offers wait for the tick', () => {
    const agents: AgentSpec[] = [{ name: 's1', rack: 'r', res: resources({ cpus: 2, mem: 4096 }) }];
    const fw = (): FrameworkSpec[] => [{ name: 'f', role: '*', behaviour: new BatchFramework() }];
    const jobs = [job('j', 'f', 0, 4, 1, 512, 1.5)];
    const mono = run('monolithic', agents, fw(), jobs);
    expect(mono.running.map((r) => r.t / S)).toEqual([0, 0, 1.5, 1.5]);
    expect(mono.result.endTime / S).toBe(3);
    const offers = run('offers', agents, fw(), jobs);
    expect(offers.running.map((r) => r.t / S)).toEqual([0, 0, 2, 2]);
    expect(offers.result.endTime / S).toBe(3.5);
    expect(mono.sink.of('offer_sent')).toHaveLength(0);
  });
});

// The baselines rank frameworks with the run's allocator (the hierarchical allocator's sorters):
// each case holds running tasks, then every framework submits one probe task (0.001 cpus, too
// small to move a share past another's unless they tie); the result is the order the probes were
// placed in. Each case fails with a DRF of the frameworks' own roles flattened, all resources
// counted and ties broken by name.
describe("monolithic: framework order is the allocator's", () => {
  // Mesos sorter_tests.cpp HierarchicalAllocation (apache/mesos src/tests/sorter_tests.cpp:685-723):
  // on 100 cpus / 100 MB, a holds 6, b/c 4, b/d 3 (cpus and MB): shares a .06, b/c .04, b/d .03,
  // and the internal node b .07, so the sorter order is [a, b/d, b/c] (line 723). The probes: fa's
  // first (a .06 < b .07), then fd (.03 < .04 within b), then fc. Flattened roles would give
  // [fd, fc, fa].
  test('nested roles: a role subtree is ranked by its aggregate share', () => {
    const order = probeOrder(
      'monolithic',
      {
        agents: [{ cpus: 100, mem: 100 }],
        frameworks: [
          { name: 'fa', role: 'a', held: [[{ cpus: 6, mem: 6 }]] },
          { name: 'fc', role: 'b/c', held: [[{ cpus: 4, mem: 4 }]] },
          { name: 'fd', role: 'b/d', held: [[{ cpus: 3, mem: 3 }]] },
        ],
      },
      [0, 1, 2],
    );
    expect(order).toEqual([0, 2, 1]);
  });

  // On 10 cpus / 10 GB / 4 gpus, c holds 2 cpus and 2 GB (share .2), g 1 cpu, 1 GB and all 4 gpus
  // (share 1 with gpus counted, .1 without). With gpus excluded g is first: [g, c]; counted, [c, g].
  test('excludedResources: an excluded resource does not count toward the share', () => {
    const state = (excludedResources?: readonly string[]) => ({
      agents: [{ cpus: 10, mem: 10 * 1024, gpus: 4 }],
      frameworks: [
        { name: 'c', role: '*', held: [[{ cpus: 2, mem: 2 * 1024 }]] },
        { name: 'g', role: '*', held: [[{ cpus: 1, mem: 1024, gpus: 4 }]] },
      ],
      ...(excludedResources === undefined ? {} : { excludedResources }),
    });
    expect(probeOrder('monolithic', state(['gpus']), [0, 1])).toEqual([1, 0]);
    expect(probeOrder('monolithic', state(), [0, 1])).toEqual([0, 1]);
  });

  // On 10 cpus / 10 GB, x holds one job of two tasks of 1 cpu and 1 GB, y one task of 2 cpus and
  // 2 GB: both shares .2. The allocation count counts tasks placed (x 2, y 1; Mesos
  // AllocationCountTieBreak, sorter_tests.cpp:419-452), so y comes first, then x (below y's
  // .2 + probe): [y, x]. Ties by name, or a count per placement round (x 1, y 1), give [x, y].
  test('equal shares: fewer allocations first, one allocation per task placed', () => {
    const order = probeOrder(
      'monolithic',
      {
        agents: [{ cpus: 10, mem: 10 * 1024 }],
        frameworks: [
          {
            name: 'x',
            role: '*',
            held: [
              [
                { cpus: 1, mem: 1024 },
                { cpus: 1, mem: 1024 },
              ],
            ],
          },
          { name: 'y', role: '*', held: [[{ cpus: 2, mem: 2 * 1024 }]] },
        ],
      },
      [0, 1],
    );
    expect(order).toEqual([1, 0]);
  });

  // "Allocated" is running tasks: on 10 cpus / 10 GB, A runs an 8-cpu task from 0 to 4, B a 1-cpu
  // task from 1 on. At 5 both submit a probe: A holds nothing (its task's end gave it back), B .1,
  // so A's probe goes first. Were the ended task still counted (A .8), B's would.
  test("a task's end gives its resources back to the ranking", () => {
    const { running } = run(
      'monolithic',
      [{ name: 's1', rack: 'r', res: resources({ cpus: 10, mem: 10 * 1024 }) }],
      drfFrameworks(),
      [job('a0', 'A', 0, 1, 8, 1024, 4), job('b0', 'B', 1, 1, 1, 1024, 100), job('b1', 'B', 5, 1, 0.001, 0, 100), job('a1', 'A', 5, 1, 0.001, 0, 100)],
      6,
    );
    expect(running.map((r) => [r.framework, r.t / S])).toEqual([
      [0, 0],
      [1, 1],
      [0, 5],
      [1, 5],
    ]);
  });

  // A disconnected framework is not ranked (the allocator deactivated it), as it gets no offers:
  // A disconnects at 1 and reregisters at 5; its task submitted at 2 waits until 5, B's does not.
  test('a disconnected framework places nothing until it reregisters', () => {
    const fws: FrameworkSpec[] = [
      {
        name: 'A',
        role: '*',
        behaviour: new BatchFramework(),
        failover: { disconnectAt: seconds(1), reconnectAfter: seconds(4) },
        failoverTimeout: seconds(100),
      },
      { name: 'B', role: '*', behaviour: new BatchFramework() },
    ];
    const { running } = run('monolithic', [drfAgent], fws, [job('a', 'A', 2, 1, 1, 1024, 10), job('b', 'B', 2, 1, 1, 1024, 10)], 6);
    expect(running.map((r) => [r.framework, r.t / S])).toEqual([
      [1, 2],
      [0, 5],
    ]);
  });
});

describe('shared-state', () => {
  // Each framework fills the free cluster with its own tasks, in registration order, with no
  // arbitration: A places 4 tasks (4 cpus, 16 GB; a fifth needs 4 GB, 2 GB are left), then B one
  // (3 cpus, 1 GB; a second needs 3 cpus, 2 are left). A = 4, B = 1: no fairness.
  test('frameworks take what they see, first come first served', () => {
    const { running } = run('shared-state', [drfAgent], drfFrameworks(), drfJobs, 30);
    expect(running.map((r) => r.framework)).toEqual([0, 0, 0, 0, 1]);
  });
  // Frameworks without decision time take their turns in the allocator's order, not by
  // registration. One agent of 4 cpus, 4 GB; P (registered first) runs a 2-cpu task from 0; at 1
  // P and Q each submit a 2-cpu task, and only one fits: Q's (share 0 < P's .5). In registration
  // order P's would.
  test("frameworks take their turns in the allocator's order", () => {
    const agent: AgentSpec = { name: 's1', rack: 'r', res: resources({ cpus: 4, mem: 4096 }) };
    const fws: FrameworkSpec[] = [
      { name: 'P', role: '*', behaviour: new BatchFramework() },
      { name: 'Q', role: '*', behaviour: new BatchFramework() },
    ];
    const { running } = run(
      'shared-state',
      [agent],
      fws,
      [job('p0', 'P', 0, 1, 2, 1024, 100), job('p1', 'P', 1, 1, 2, 1024, 100), job('q', 'Q', 1, 1, 2, 1024, 100)],
      2,
    );
    expect(running.map((r) => [r.framework, r.t / S])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});

test('a behaviour that does not expose its next task cannot run without offers', () => {
  const f = new ScriptedFramework(() => ({ kind: 'hold' }));
  expect(() => run('monolithic', [drfAgent], [{ name: 'x', role: '*', behaviour: f }], [], 1)).toThrow(/framework x \(scripted\) cannot run without offers/);
});

describe('shared-state with decision time (Omega)', () => {
  const cpuTask = (cpus: number, duration: number) => ({ res: resources({ cpus }), duration: seconds(duration) });
  const oneAgent: AgentSpec[] = [{ name: 'a1', rack: 'r', res: resources({ cpus: 4 }) }];
  function runSS(frameworks: FrameworkSpec[], jobs: JobSpec[], agents = oneAgent, horizon?: number) {
    const sink = new RecordingSink();
    const fold = new MetricsFold();
    const result = simulate({
      seed: 1,
      mode: 'shared-state',
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({}),
      agents,
      frameworks,
      weights: new Map(),
      jobs,
      sinks: [sink, fold],
      horizon: horizon === undefined ? undefined : seconds(horizon),
    });
    const running = sink
      .of('task_state')
      .filter((r) => r.state === 'running')
      .map((r) => [r.framework, r.task, r.t / S]);
    const decisions = sink.of('decision').map((r) => [r.framework, r.start / S, r.t / S]);
    const commits = sink.of('commit').map((r) => [r.framework, r.job, r.t / S, r.placed, r.conflicts]);
    return { sink, result, metrics: fold.finish(), running, decisions, commits };
  }

  // One 4-cpu agent; A and B (t_job 1 s each) each submit at 0 a job of one 4-cpu, 5 s task.
  // t 0: the round starts both decisions, A's first (registration order); each snapshot has the
  //   whole agent free, so both place their task there. Both commit at 1, A first (its decision
  //   began first: commits at one instant go in the order their decisions began).
  // t 1: A's placement still fits: task 0 launches (ends 6). B's does not: a conflict; its job
  //   goes back (attempt 1) and, having conflicted, is decided again at once: [1, 2], on a full
  //   snapshot, placing nothing. t 2: nothing changed during it (no round requested): B waits.
  // t 6: task 0 ends; the round it requests starts B's decision [6, 7], which places task 1;
  //   t 7: it launches (ends 12). The run ends at 12.
  // Busyness: A 1 / 12; B (1 + 1 + 1) / 12 = 0.25. Placements attempted: A 1, B 1 + 0 + 1 = 2;
  // conflicts A 0, B 1: fractions 0 and 1/2; overall 1 conflict of 3 placements.
  test('two decisions on one agent: the first commit wins, the other conflicts and retries', () => {
    const slow = () => new BatchFramework({ decisionJob: 1 });
    const { running, decisions, commits, metrics, result } = runSS(
      [
        { name: 'A', role: '*', behaviour: slow() },
        { name: 'B', role: '*', behaviour: slow() },
      ],
      [
        { id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(4, 5)] },
        { id: 'b', framework: 'B', submit: seconds(0), tasks: [cpuTask(4, 5)] },
      ],
    );
    expect(decisions).toEqual([
      [0, 0, 1],
      [1, 0, 1],
      [1, 1, 2],
      [1, 6, 7],
    ]);
    expect(commits).toEqual([
      [0, 0, 1, 1, 0],
      [1, 1, 1, 1, 1],
      [1, 1, 2, 0, 0],
      [1, 1, 7, 1, 0],
    ]);
    expect(running).toEqual([
      [0, 0, 1],
      [1, 1, 7],
    ]);
    expect(result.endTime / S).toBe(12);
    expect(result.reason).toBe('completed');
    const [a, b] = metrics.frameworks;
    expect(a!.busyness).toBeCloseTo(1 / 12, 12);
    expect(b!.busyness).toBeCloseTo(3 / 12, 12);
    expect([a!.conflicts, a!.conflictFraction, b!.conflicts, b!.conflictFraction]).toEqual([0, 0, 1, 0.5]);
    expect(metrics.summary.conflicts).toBe(1);
    expect(metrics.summary.conflictFraction).toBeCloseTo(1 / 3, 12);
    expect(metrics.summary.busynessMean).toBeCloseTo((1 / 12 + 3 / 12) / 2, 12);
  });

  // One 4-cpu agent. A (t_job 1) submits one 2-cpu task, B (t_job 2, t_task 0.5) two 1-cpu tasks,
  // all at 0, lasting 10 s. Both snapshots at 0 place everything on the agent, and together they
  // need 4 cpus: A commits at 1 (task 0), B at 2 + 0.5 x 2 = 3 (tasks 1 and 2), both without a
  // conflict. The run ends at 13. Busyness A 1 / 13, B 3 / 13; conflict fractions 0.
  test('decisions that do not compete for resources never conflict', () => {
    const { running, decisions, metrics, result } = runSS(
      [
        { name: 'A', role: '*', behaviour: new BatchFramework({ decisionJob: 1 }) },
        { name: 'B', role: '*', behaviour: new BatchFramework({ decisionJob: 2, decisionTask: 0.5 }) },
      ],
      [
        { id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(2, 10)] },
        { id: 'b', framework: 'B', submit: seconds(0), tasks: [cpuTask(1, 10), cpuTask(1, 10)] },
      ],
    );
    expect(decisions).toEqual([
      [0, 0, 1],
      [1, 0, 3],
    ]);
    expect(running).toEqual([
      [0, 0, 1],
      [1, 1, 3],
      [1, 2, 3],
    ]);
    expect(result.endTime / S).toBe(13);
    const [a, b] = metrics.frameworks;
    expect([a!.busyness * 13, b!.busyness * 13].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 3]);
    expect([a!.conflicts, a!.conflictFraction, b!.conflicts, b!.conflictFraction]).toEqual([0, 0, 0, 0]);
    expect(metrics.summary.conflictFraction).toBe(0);
  });

  // One 4-cpu agent. A (t_job 1, maxAttempts 2) submits at 0 a job of one 8-cpu task, which never
  // fits; B (no decision time) submits a 1-cpu, 10 s task at 1.
  // t 0: A's decision [0, 1] places nothing. t 1: B's job arrives (arrival phase) and requests a
  //   round; A commits (message phase): attempt 1, and a round was requested while it ran, so it
  //   decides again at once, [1, 2]. The round at 1 places B's task (no decision time).
  // t 2: attempt 2 = maxAttempts: the job is abandoned (1 task dropped, 2 attempts) and A has
  //   nothing left. t 11: B's task ends, every job is done (the abandoned one counts): end 11.
  // Busyness A 2 / 11. No placement was attempted: conflict fractions undefined (NaN).
  test('a job not placed after maxAttempts decisions is abandoned', () => {
    const { running, decisions, sink, metrics, result } = runSS(
      [
        { name: 'A', role: '*', behaviour: new BatchFramework({ decisionJob: 1, maxAttempts: 2 }) },
        { name: 'B', role: '*', behaviour: new BatchFramework() },
      ],
      [
        { id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(8, 10)] },
        { id: 'b', framework: 'B', submit: seconds(1), tasks: [cpuTask(1, 10)] },
      ],
    );
    expect(decisions).toEqual([
      [0, 0, 1],
      [0, 1, 2],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.job, r.framework, r.t / S, r.dropped, r.attempts])).toEqual([[0, 0, 2, 1, 2]]);
    expect(running).toEqual([[1, 1, 1]]);
    expect(result.endTime / S).toBe(11);
    expect(result.reason).toBe('completed');
    expect(metrics.summary.jobsAbandoned).toBe(1);
    expect(metrics.frameworks[0]!.jobsAbandoned).toBe(1);
    expect(metrics.frameworks[0]!.busyness).toBeCloseTo(2 / 11, 12);
    expect(metrics.frameworks[0]!.conflictFraction).toBeNaN();
    expect(metrics.summary.conflictFraction).toBeNaN();
  });

  // As above but maxAttempts 0 (never abandon) and B's task at 0. t 0: A's decision [0, 1]
  // places nothing; the round at 0 places B's task (ends 10). t 1: nothing was requested while A
  // decided: it waits. t 10: B's task ends; its round starts A's decision [10, 11], which places
  // nothing again, and nothing follows: the event queue runs dry after 11 (a stuck run to
  // completion then ends at its horizon, 100 s here, not completed) instead of deciding again and
  // again: 2 decisions, and few events.
  test('a job that can never fit does not keep its scheduler busy: the run ends', () => {
    const { running, decisions, metrics, result } = runSS(
      [
        { name: 'A', role: '*', behaviour: new BatchFramework({ decisionJob: 1 }) },
        { name: 'B', role: '*', behaviour: new BatchFramework() },
      ],
      [
        { id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(8, 10)] },
        { id: 'b', framework: 'B', submit: seconds(0), tasks: [cpuTask(1, 10)] },
      ],
      oneAgent,
      100,
    );
    expect(decisions).toEqual([
      [0, 0, 1],
      [0, 10, 11],
    ]);
    expect(running).toEqual([[1, 1, 0]]);
    expect(result.events).toBeLessThan(20);
    expect(result.endTime / S).toBe(100);
    expect(result.reason).toBe('duration');
    expect(metrics.summary.jobsUnfinished).toBe(1);
  });

  // A conflicted task is tried elsewhere at once. Agent a1 (4 cpus) registers at 0, a2 (4 cpus) at
  // 0.5. A and B (t_job 1) each submit a 4-cpu, 5 s task at 0: both snapshots hold only a1, so both
  // place there; a2's registration at 0.5 requests a round, which finds both busy. t 1: A commits
  // first and launches on a1; B's placement conflicts and its retry [1, 2] sees a1 full and a2
  // free: B's task launches on a2 at 2. One conflict of B's two placements.
  test('a conflicted placement is retried on the current state at once', () => {
    const agents: AgentSpec[] = [
      { name: 'a1', rack: 'r', res: resources({ cpus: 4 }) },
      { name: 'a2', rack: 'r', res: resources({ cpus: 4 }), addAt: seconds(0.5) },
    ];
    const slow = () => new BatchFramework({ decisionJob: 1 });
    const { sink, decisions, commits, metrics } = runSS(
      [
        { name: 'A', role: '*', behaviour: slow() },
        { name: 'B', role: '*', behaviour: slow() },
      ],
      [
        { id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(4, 5)] },
        { id: 'b', framework: 'B', submit: seconds(0), tasks: [cpuTask(4, 5)] },
      ],
      agents,
    );
    expect(decisions).toEqual([
      [0, 0, 1],
      [1, 0, 1],
      [1, 1, 2],
    ]);
    expect(commits).toEqual([
      [0, 0, 1, 1, 0],
      [1, 1, 1, 1, 1],
      [1, 1, 2, 1, 0],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => [r.task, r.agent, r.t / S]),
    ).toEqual([
      [0, 0, 1],
      [1, 1, 2],
    ]);
    expect(metrics.frameworks[1]!.conflictFraction).toBe(0.5);
  });

  // Incremental commit: the placements that still fit launch, the conflicted ones stay pending,
  // and tasks may launch out of index order. One 4-cpu agent. A (t_job 1) submits task 0 (2 cpus,
  // 3 s); B (t_job 2) tasks 1, 2, 3 (1, 3, 1 cpus; 10 s), all at 0.
  // t 0: A places task 0; B places 1 and 2 (4 cpus), 3 fits nowhere. t 1: A launches 0 (ends 4).
  // t 2: B's commit launches 1; 2 conflicts (1 cpu free): retry [2, 4] on 1 free cpu places 3.
  // t 4: task 0 ends (release phase, a round requested) before B's commit, which launches 3; 2 is
  //   still pending and the cluster changed during the decision: retry [4, 6], 2 free, places
  //   nothing. t 6: nothing changed since 4: B waits.
  // t 12: task 1 ends; the round starts [12, 14] on 3 free cpus: task 2 placed, launched at 14
  //   (task 3 ended at 14 too), ends 24. B: 4 decisions, 2 s each, 1 conflict of 4 placements.
  test('a partly conflicted decision launches what still fits; tasks may launch out of order', () => {
    const { running, decisions, commits, metrics, result } = runSS(
      [
        { name: 'A', role: '*', behaviour: new BatchFramework({ decisionJob: 1 }) },
        { name: 'B', role: '*', behaviour: new BatchFramework({ decisionJob: 2 }) },
      ],
      [
        { id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(2, 3)] },
        { id: 'b', framework: 'B', submit: seconds(0), tasks: [cpuTask(1, 10), cpuTask(3, 10), cpuTask(1, 10)] },
      ],
    );
    expect(decisions.filter(([f]) => f === 1)).toEqual([
      [1, 0, 2],
      [1, 2, 4],
      [1, 4, 6],
      [1, 12, 14],
    ]);
    expect(commits.filter(([f]) => f === 1)).toEqual([
      [1, 1, 2, 2, 1],
      [1, 1, 4, 1, 0],
      [1, 1, 6, 0, 0],
      [1, 1, 14, 1, 0],
    ]);
    expect(running).toEqual([
      [0, 0, 1],
      [1, 1, 2],
      [1, 3, 4],
      [1, 2, 14],
    ]);
    expect(result.endTime / S).toBe(24);
    expect(metrics.frameworks[1]!.busyness).toBeCloseTo(8 / 24, 12);
    expect(metrics.frameworks[1]!.conflictFraction).toBe(0.25);
  });

  // A (t_job 2) submits one 1-cpu, 5 s task at 0; its decision [0, 2] places it. Its scheduler
  // disconnects at 1: the decision is lost at 2 (no launch, no commit record, its busyness still
  // counts). With failoverTimeout 100 it reregisters at 4, is ranked again, decides [4, 6] and
  // launches at 6. With failoverTimeout 0 it is removed at 1: its only job is dropped with it, so
  // the run is complete at 1, before the decision would end; nothing launches (before, the lost
  // decision launched at 2).
  test('a decision that ends while its framework is disconnected is lost', () => {
    const fw = (failoverTimeout: number): FrameworkSpec[] => [
      {
        name: 'A',
        role: '*',
        behaviour: new BatchFramework({ decisionJob: 2 }),
        failover: { disconnectAt: seconds(1), reconnectAfter: seconds(3) },
        failoverTimeout: seconds(failoverTimeout),
      },
    ];
    const jobs = () => [{ id: 'a', framework: 'A', submit: seconds(0), tasks: [cpuTask(1, 5)] }];
    const back = runSS(fw(100), jobs(), oneAgent, 20);
    expect(back.decisions).toEqual([
      [0, 0, 2],
      [0, 4, 6],
    ]);
    expect(back.commits).toEqual([[0, 0, 6, 1, 0]]);
    expect(back.running).toEqual([[0, 0, 6]]);
    const gone = runSS(fw(0), jobs(), oneAgent, 20);
    expect(gone.decisions).toEqual([]);
    expect(gone.running).toEqual([]);
    expect(gone.result.endTime / S).toBe(1);
  });

  test('zero decision time places at once, exactly as without the options', () => {
    const jobs = () => [job('a', 'A', 0, 10, 1, 4 * 1024, 1000), job('b', 'B', 0, 10, 3, 1024, 1000)];
    const fws = (o: BatchOptions) => [
      { name: 'A', role: '*', behaviour: new BatchFramework(o) },
      { name: 'B', role: '*', behaviour: new BatchFramework(o) },
    ];
    const plain = run('shared-state', [drfAgent], fws({}), jobs(), 30);
    const zero = run('shared-state', [drfAgent], fws({ decisionJob: 0, decisionTask: 0, maxAttempts: 3 }), jobs(), 30);
    expect(JSON.stringify(zero.sink.records)).toBe(JSON.stringify(plain.sink.records));
    expect(plain.sink.of('commit')).toEqual([]);
  });

  test('a behaviour with decision time but no job hooks is refused under shared-state', () => {
    const b: FrameworkBehaviour = {
      kind: 'custom',
      decisionTime: { job: 1, task: 0, maxAttempts: 0 },
      onJobSubmitted() {},
      onOffers() {},
      onOfferRescinded() {},
      onTaskEnded() {},
      pendingTasks: () => 0,
      nextTaskDemand: () => false,
      takeNextTask: () => taskIx(0),
    };
    expect(() => runSS([{ name: 'x', role: '*', behaviour: b }], [])).toThrow(/framework x \(custom\) has decision time but cannot decide job by job/);
  });
});
