/**
 * Decision time (Omega's slow scheduler) and abandonment in the gang and service frameworks, end
 * to end through simulate() and the metric fold, with the meaning the batch framework gives them
 * (decision.test.ts). Times in comments are seconds; expected numbers are worked out by hand.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { MetricsFold } from '../../../reports/metrics-fold.js';
import { seconds, type SimTime } from '../../kernel/time.js';
import type { JobSpec } from '../job.js';
import { resources } from '../resources.js';
import { simulate, type AgentFailureSpec, type AgentSpec } from '../simulation.js';
import type { FrameworkBehaviour } from '../framework.js';
import { RecordingSink } from '../test-support/scripted.js';
import { GangFramework, type GangOptions } from './gang.js';
import { ServiceFramework, type ServiceOptions } from './service.js';

const S = 1_000_000;
const WHOLE = resources({ cpus: 4, mem: 4096 });
const agent = (name: string, addAt = 0): AgentSpec => ({ name, rack: 'r0', res: WHOLE, addAt: seconds(addAt) });

function run(opts: { behaviour: FrameworkBehaviour; agents: AgentSpec[]; jobs: JobSpec[]; duration?: number; failures?: AgentFailureSpec[] }) {
  const sink = new RecordingSink();
  const fold = new MetricsFold({ sampleInterval: S });
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: opts.agents,
    frameworks: [{ name: 'f', role: '*', behaviour: opts.behaviour }],
    weights: new Map(),
    jobs: opts.jobs,
    duration: opts.duration === undefined ? undefined : seconds(opts.duration),
    sinks: [sink, fold],
    failures: opts.failures === undefined ? undefined : { agents: opts.failures },
  });
  const running = sink
    .of('task_state')
    .filter((r) => r.state === 'running')
    .map((r) => [r.task, r.agent, r.t / S]);
  const decisions = sink.of('decision').map((r) => [r.job, r.start / S, r.t / S, r.tasks]);
  return { sink, result, end: result.endTime / S, running, decisions, m: fold.finish() };
}

/** Gang job `id` of `n` whole-agent tasks of `duration` s at `submit`. */
const gangJob = (id: string, n: number, duration: number, submit = 0): JobSpec => ({
  id,
  framework: 'f',
  submit: seconds(submit),
  tasks: Array.from({ length: n }, () => ({ res: WHOLE, duration: seconds(duration) })),
});
const gang = (o: GangOptions) => new GangFramework(o);

describe('gang decision time', () => {
  // Agents a0 and a1 (4 cpus each); job j: 2 whole-agent tasks of 10 s at 0; tJob 1, tTask 0.5.
  // 0: the run offers both agents to f in one delivery; both are held. The decision considers the
  //    whole gang: 1 + 0.5 x 2 = 2 s, [0, 2].
  // 2: both tasks start together (one per offer); they end at 12, and the run with them.
  // busyness = 2 / 12. Without decision time they would start at 0 and the run end at 10.
  test('a decision takes tJob + tTask x the gang, then the whole gang starts at once', () => {
    const { running, decisions, end, m, sink } = run({
      behaviour: gang({ decisionJob: 1, decisionTask: 0.5 }),
      agents: [agent('a0'), agent('a1')],
      jobs: [gangJob('j', 2, 10)],
    });
    expect(running.map((r) => [r[0], r[2]])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(new Set(running.map((r) => r[1]))).toEqual(new Set([0, 1]));
    expect(decisions).toEqual([[0, 0, 2, 2]]);
    expect(sink.of('offer_accepted').map((r) => [r.offer, r.t / S])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(end).toBe(12);
    expect(m.frameworks[0]!.busyness).toBeCloseTo(2 / 12, 12);
    const plain = run({ behaviour: gang({}), agents: [agent('a0'), agent('a1')], jobs: [gangJob('j', 2, 10)] });
    expect(plain.running.map((r) => r[2])).toEqual([0, 0]);
    expect(plain.end).toBe(10);
  });

  // One agent a0: the 2-agent job j never fits. tJob 1, maxAttempts 2, no hoarding.
  // 0: offer 0 (a0) held, decision [0, 1]. 1: j does not fit: attempt 1; the round ends and offer
  //    0 is declined with the 5 s filter (until 6).
  // 6: the filter (made at 1, before the tick at 6 was armed) expires first; the tick offers a0
  //    (offer 1), decision [6, 7]. 7: attempt 2 = maxAttempts: j abandoned (2 tasks dropped);
  //    nothing pending: offer 1 declined, f suppresses; every job is done: the run ends at 7.
  // busyness = (1 + 1) / 7.
  test('maxAttempts abandons a gang that never fits', () => {
    const { decisions, end, m, sink } = run({ behaviour: gang({ decisionJob: 1, maxAttempts: 2 }), agents: [agent('a0')], jobs: [gangJob('j', 2, 10)] });
    expect(decisions).toEqual([
      [0, 0, 1, 2],
      [0, 6, 7, 2],
    ]);
    expect(sink.of('offer_declined').map((r) => [r.offer, r.t / S])).toEqual([
      [0, 1],
      [1, 7],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.job, r.t / S, r.dropped, r.attempts])).toEqual([[0, 7, 2, 2]]);
    expect(end).toBe(7);
    expect(m.summary.jobsAbandoned).toBe(1);
    expect(m.summary.jobsUnfinished).toBe(0);
    expect(m.frameworks[0]!.busyness).toBeCloseTo(2 / 7, 12);
  });

  // Without decision time an attempt is one delivery after which the head job has not started.
  // 0: offer 0 (a0) declined at once: attempt 1, filter until 5. 5: offer 1, declined: attempt 2,
  // j abandoned at 5; then job k (one task of 10 s, queued behind j) is tried on the same offer and
  // starts at 5, ending at 15. No decision records.
  test('without decision time, attempts are offer deliveries, and the next job tries the same offers', () => {
    const { decisions, end, sink, running } = run({
      behaviour: gang({ maxAttempts: 2 }),
      agents: [agent('a0')],
      jobs: [gangJob('j', 2, 10), gangJob('k', 1, 10)],
    });
    expect(sink.of('offer_sent').map((r) => [r.offer, r.t / S])).toEqual([
      [0, 0],
      [1, 5],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.job, r.t / S, r.dropped, r.attempts])).toEqual([[0, 5, 2, 2]]);
    expect(running).toEqual([[2, 0, 5]]);
    expect(decisions).toEqual([]);
    expect(end).toBe(15);
  });

  // Hoarding with decision time: a0 registers at 0, a1 at 5. tJob 1, tTask 0.5: 2 s a decision.
  // 0: offer 0 (a0) held, decision [0, 2]: j needs both agents, attempt fails; with hoarding the
  //    offer stays held and no new round starts until offers arrive.
  // 5: a1 registers; its triggered run offers it (offer 1): decision [5, 7] over offers 0 and 1.
  // 7: both tasks start, one per offer; they end at 17. busyness = (2 + 2) / 17.
  test('with hoarding, a failed decision keeps its offers and the next delivery decides again', () => {
    const { decisions, end, running, m, sink } = run({
      behaviour: gang({ hoard: true, decisionJob: 1, decisionTask: 0.5 }),
      agents: [agent('a0'), agent('a1', 5)],
      jobs: [gangJob('j', 2, 10)],
    });
    expect(decisions).toEqual([
      [0, 0, 2, 2],
      [0, 5, 7, 2],
    ]);
    expect(running).toEqual([
      [0, 0, 7],
      [1, 1, 7],
    ]);
    expect(sink.of('offer_declined')).toEqual([]);
    expect(end).toBe(17);
    expect(m.frameworks[0]!.busyness).toBeCloseTo(4 / 17, 12);
  });

  test('zero decision time and maxAttempts 0 log exactly what the defaults do', () => {
    const jobs = [gangJob('j', 2, 10), gangJob('k', 1, 3, 1)];
    for (const hoard of [false, true]) {
      const a = run({ behaviour: gang({ hoard }), agents: [agent('a0'), agent('a1')], jobs });
      const b = run({ behaviour: gang({ hoard, decisionJob: 0, decisionTask: 0, maxAttempts: 0 }), agents: [agent('a0'), agent('a1')], jobs });
      expect(JSON.stringify(b.sink.records)).toBe(JSON.stringify(a.sink.records));
    }
  });
});

describe('service decision time', () => {
  const service = (o: ServiceOptions) => new ServiceFramework(o);
  /** The service's instances as one job at 0 that outlives the run. */
  const instances = (n: number): JobSpec[] => [
    {
      id: 'f/service',
      framework: 'f',
      submit: 0 as SimTime,
      tasks: Array.from({ length: n }, () => ({ res: resources({ cpus: 1 }), duration: seconds(1000) })),
    },
  ];

  // Agents a0, a1; 2 instances (at most 1 per agent); tJob 1, tTask 0.5; a 50 s run.
  // 0: both agents offered, held; the decision considers the 2 instances still to place:
  //    1 + 0.5 x 2 = 2 s. 2: one instance on each agent. busyness = 2 / 50.
  test('a decision considers the instances still to place', () => {
    const { running, decisions, m } = run({
      behaviour: service({ decisionJob: 1, decisionTask: 0.5 }),
      agents: [agent('a0'), agent('a1')],
      jobs: instances(2),
      duration: 50,
    });
    expect(running.map((r) => [r[0], r[2]])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(new Set(running.map((r) => r[1]))).toEqual(new Set([0, 1]));
    expect(decisions).toEqual([[0, 0, 2, 2]]);
    expect(m.frameworks[0]!.busyness).toBeCloseTo(2 / 50, 12);
  });

  // 1 instance; tJob 1, tTask 0.5; a 200 s run; the agent running it fails at 10.
  // 0: a0 and a1 offered; decision [0, 1.5] (1 instance). 1.5: the instance starts on the first
  //    offer in arrival order (a0 with seed 1's shuffle), the other offer is declined (5 s filter
  //    until 6.5); f suppresses.
  // 10: a0 fails; its first unanswered ping is at 15, so it is lost 75 s later, at 90. The instance
  //    goes lost; f resubmits it (job f/replace-0) and revives (filters cleared, a run at 90 offers
  //    a1): decision [90, 91.5] for 1 instance; it starts on a1 at 91.5. busyness = (1.5 + 1.5) / 200.
  test('a lost instance is replaced after a decision of its own', () => {
    const { running, decisions, m } = run({
      behaviour: service({ decisionJob: 1, decisionTask: 0.5 }),
      agents: [agent('a0'), agent('a1')],
      jobs: instances(1),
      duration: 200,
      failures: [{ agent: 'a0', at: seconds(10) }],
    });
    expect(running).toEqual([
      [0, 0, 1.5],
      [1, 1, 91.5],
    ]);
    expect(decisions).toEqual([
      [0, 0, 1.5, 1],
      [1, 90, 91.5, 1],
    ]);
    expect(m.frameworks[0]!.busyness).toBeCloseTo(3 / 200, 12);
  });

  test('zero decision time logs exactly what the default does', () => {
    const a = run({ behaviour: service({}), agents: [agent('a0'), agent('a1')], jobs: instances(3), duration: 50 });
    const b = run({ behaviour: service({ decisionJob: 0, decisionTask: 0 }), agents: [agent('a0'), agent('a1')], jobs: instances(3), duration: 50 });
    expect(JSON.stringify(b.sink.records)).toBe(JSON.stringify(a.sink.records));
  });
});
