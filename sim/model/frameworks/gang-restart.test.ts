/**
 * Gang restart after a lost task, end to end through simulate() and the metric fold; times in
 * comments are seconds, each expected number worked out by hand from the failure rules
 * (sim/model/failures.test.ts): an agent failing at f is declared lost 75 s after the first 15 s
 * ping (counted from its registration) at or after f; its tasks go lost then.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { MetricsFold } from '../../../reports/metrics-fold.js';
import { seconds } from '../../kernel/time.js';
import type { JobSpec } from '../job.js';
import { resources } from '../resources.js';
import { simulate, type AgentFailureSpec, type AgentSpec } from '../simulation.js';
import { RecordingSink } from '../test-support/scripted.js';
import { GangFramework, type GangOptions } from './gang.js';

const S = 1_000_000;
const WHOLE = resources({ cpus: 4, mem: 4096 });
const agent = (name: string): AgentSpec => ({ name, rack: 'r0', res: WHOLE });

/** Job `j` of gang framework g: `n` whole-agent tasks of `duration` s, submitted at 0. */
function gangJob(n: number, duration: number): JobSpec {
  return { id: 'j', framework: 'g', submit: seconds(0), tasks: Array.from({ length: n }, () => ({ res: WHOLE, duration: seconds(duration) })) };
}

function run(failures: AgentFailureSpec[], options: GangOptions = {}) {
  const sink = new RecordingSink();
  const fold = new MetricsFold({ sampleInterval: S });
  const gang = new GangFramework(options);
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [agent('a0'), agent('a1')],
    frameworks: [{ name: 'g', role: '*', behaviour: gang }],
    weights: new Map(),
    jobs: [gangJob(2, 100)],
    sinks: [sink, fold],
    failures: { agents: failures },
  });
  const states = sink.of('task_state').map((r) => [r.t / S, r.task, r.agent, r.state]);
  return { sink, result, states, m: fold.finish(), gang };
}

describe('gang restart after a lost task', () => {
  // Two agents a0 (id 0) and a1 (id 1) of 4 cpus, job j: 2 whole-agent tasks of 100 s at 0.
  // 0: both agents are offered to g in one run; tasks 0 and 1 start, one per agent (which task
  //    goes where is the seeded shuffle's: task 1 on a1 here).
  // 10: a1 fails (downFor 100). Pings to a1 go at 0, 15, 30, ...: the first at or after 10 is 15,
  //    unanswered; 75 s later, at 90, a1 is declared lost, and task 1 goes lost.
  // 90: g restarts j: copy job j/restart-1 (tasks 2, 3) submitted, job_restarted(j -> copy), task
  //    0 killed at once (a0 free again). g revives; the run at 90 offers a0 alone: the copy needs two
  //    agents, so g declines (5 s filter); the same at 95, 100, 105.
  // 110: a1 registers again (10 + 100 = 110, after the loss at 90); the filter from 105 expires
  //    before the tick at 110, which offers a0 and a1 together: tasks 2 and 3 start at 110, one
  //    per agent, and finish at 210. The run completes at 210.
  // Counted: 1 lost, 1 killed, 2 finished tasks; jobs: j restarted (no job_finished, not
  // unfinished), j/restart-1 finished once: completion 210 - 90 = 120 s.
  test('the other task is killed at the loss and the whole gang starts again at once', () => {
    const { sink, result, states, m, gang } = run([{ agent: 'a1', at: seconds(10), downFor: seconds(100) }]);
    // With seed 1 the shuffle puts task 0 on a0 and task 1 on a1 at 0, and task 2 on a1 and 3 on a0 at 110.
    expect(states).toEqual([
      [0, 0, 0, 'staging'],
      [0, 0, 0, 'running'],
      [0, 1, 1, 'staging'],
      [0, 1, 1, 'running'],
      [90, 1, 1, 'lost'],
      [90, 0, 0, 'killed'],
      [110, 2, 1, 'staging'],
      [110, 2, 1, 'running'],
      [110, 3, 0, 'staging'],
      [110, 3, 0, 'running'],
      [210, 2, 1, 'finished'],
      [210, 3, 0, 'finished'],
    ]);
    expect(sink.of('job_submitted').map((r) => [r.t / S, r.job, r.name, r.tasks])).toEqual([
      [0, 0, 'j', 2],
      [90, 1, 'j/restart-1', 2],
    ]);
    expect(sink.of('job_restarted').map((r) => [r.t / S, r.job, r.copy])).toEqual([[90, 0, 1]]);
    expect(sink.of('job_finished').map((r) => [r.t / S, r.job])).toEqual([[210, 1]]);
    expect(sink.of('offer_declined').map((r) => r.t / S)).toEqual([90, 95, 100, 105]);
    expect(gang.restarts).toBe(1);
    expect(result.reason).toBe('completed');
    expect(result.endTime / S).toBe(210);
    expect(m.summary.tasksLost).toBe(1);
    expect(m.summary.tasksKilled).toBe(1);
    expect(m.summary.tasksFinished).toBe(2);
    expect(m.summary.jobsFinished).toBe(1);
    expect(m.summary.jobsUnfinished).toBe(0);
    expect(m.summary.completion.n).toBe(1);
    expect(m.summary.completion.mean).toBe(120 * S);
    const rows = m.jobs.map((j) => [j.name, j.submit / S, j.firstStart / S, j.finish / S]);
    expect(rows).toEqual([
      ['j', 0, 0, NaN],
      ['j/restart-1', 90, 110, 210],
    ]);
  });

  // Two restarts. a1 fails at 10 (down 100): as above, the copy j/restart-1 (job 1) starts at 110
  // on both agents (to end at 210). a0 fails at 120 (down 50): pings to a0 from its registration
  // at 0; the one at 120 is the first unanswered: lost at 195, the copy's task there lost, job 1
  // restarted as j/restart-2 (job 2; the name counts restarts of j), its task on a1 killed. a0's
  // return falls at max(120 + 50, 195) = 195, after its loss (both message phase, the loss armed
  // first); the revive's run at 195 offers both agents: j/restart-2 runs [195, 295] (which task on
  // which agent is the seeded shuffle's).
  test('a copy that loses a task is restarted again, under the first job name', () => {
    const { sink, result, m } = run([
      { agent: 'a1', at: seconds(10), downFor: seconds(100) },
      { agent: 'a0', at: seconds(120), downFor: seconds(50) },
    ]);
    expect(sink.of('job_submitted').map((r) => [r.t / S, r.job, r.name])).toEqual([
      [0, 0, 'j'],
      [90, 1, 'j/restart-1'],
      [195, 2, 'j/restart-2'],
    ]);
    expect(sink.of('job_restarted').map((r) => [r.t / S, r.job, r.copy])).toEqual([
      [90, 0, 1],
      [195, 1, 2],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state !== 'staging')
        .map((r) => [r.t / S, r.job, r.agent, r.state]),
    ).toEqual([
      [0, 0, 0, 'running'],
      [0, 0, 1, 'running'],
      [90, 0, 1, 'lost'],
      [90, 0, 0, 'killed'],
      [110, 1, 1, 'running'],
      [110, 1, 0, 'running'],
      [195, 1, 0, 'lost'],
      [195, 1, 1, 'killed'],
      [195, 2, 0, 'running'],
      [195, 2, 1, 'running'],
      [295, 2, 0, 'finished'],
      [295, 2, 1, 'finished'],
    ]);
    expect(sink.of('job_finished').map((r) => [r.t / S, r.job])).toEqual([[295, 2]]);
    expect(result.endTime / S).toBe(295);
    expect([m.summary.jobsFinished, m.summary.jobsUnfinished, m.summary.tasksLost, m.summary.tasksKilled]).toEqual([1, 0, 2, 2]);
  });

  // The same failure with hoarding and decision time (tJob 1 + tTask 0.5 x 2 tasks = 2 s a decision).
  // 0: both agents offered and held; decision [0, 2]; both tasks start at 2 (would end at 102).
  // 90: a1 lost (as above), task 1 lost, restart: copy j/restart-1 at the head, task 0 killed;
  //    the revive's run at 90 offers a0 alone (offer 2): held, decision [90, 92] cannot start the
  //    copy (one agent): with hoarding the offer stays held (no decline) and no round starts
  //    until offers arrive.
  // 110: a1 registers again and is offered (offer 3): decision [110, 112] over offers 2 and 3:
  //    both copy tasks start at 112 and end at 212. busyness = (2 + 2 + 2) / 212.
  test('with hoarding and decision time the copy waits, holding, for the agent to return', () => {
    const { sink, result, m } = run([{ agent: 'a1', at: seconds(10), downFor: seconds(100) }], { hoard: true, decisionJob: 1, decisionTask: 0.5 });
    expect(sink.of('decision').map((r) => [r.job, r.start / S, r.t / S])).toEqual([
      [0, 0, 2],
      [1, 90, 92],
      [1, 110, 112],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state !== 'staging')
        .map((r) => [r.t / S, r.task, r.state]),
    ).toEqual([
      [2, 0, 'running'],
      [2, 1, 'running'],
      [90, 1, 'lost'],
      [90, 0, 'killed'],
      [112, 2, 'running'],
      [112, 3, 'running'],
      [212, 2, 'finished'],
      [212, 3, 'finished'],
    ]);
    expect(sink.of('offer_declined')).toEqual([]);
    expect(sink.of('job_restarted').map((r) => [r.t / S, r.job, r.copy])).toEqual([[90, 0, 1]]);
    expect(result.endTime / S).toBe(212);
    expect(m.frameworks[0]!.busyness).toBeCloseTo(6 / 212, 12);
    expect(m.summary.jobsFinished).toBe(1);
  });

  // Both agents fail for good: a1 at 10 (lost at 90, as above), a0 at 20 (the first ping at or
  // after 20 is 30: lost at 105). 90: task 1 lost, g restarts j; task 0 is on a0, which has failed but is not yet removed: the master
  // cannot reach it, so the kill does nothing and task 0 stays "running". 105: a0 lost, task 0 goes lost;
  // g ignores it (j was restarted). No job_finished for j; the copy never starts (no agents):
  // the run stops at its duration, 300.
  test('a task on an agent already failed is not killed but lost with its agent', () => {
    const sink = new RecordingSink();
    const result = simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({}),
      agents: [agent('a0'), agent('a1')],
      frameworks: [{ name: 'g', role: '*', behaviour: new GangFramework() }],
      weights: new Map(),
      jobs: [gangJob(2, 100)],
      duration: seconds(300),
      sinks: [sink],
      failures: {
        agents: [
          { agent: 'a1', at: seconds(10) },
          { agent: 'a0', at: seconds(20) },
        ],
      },
    });
    const ends = sink
      .of('task_state')
      .filter((r) => r.t > 0)
      .map((r) => [r.t / S, r.agent, r.state]);
    expect(ends).toEqual([
      [90, 1, 'lost'],
      [105, 0, 'lost'],
    ]);
    expect(sink.of('job_restarted').map((r) => [r.t / S, r.job, r.copy])).toEqual([[90, 0, 1]]);
    expect(sink.of('job_finished')).toEqual([]);
    expect(result.reason).toBe('duration');
  });

  // A lost task after the other one finished: tasks of 50 s, a1 fails at 60 (after both ended at
  // 50): nothing is lost, no restart; the run completes at 50, before the failure.
  test('a gang that has finished is not restarted', () => {
    const sink = new RecordingSink();
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({}),
      agents: [agent('a0'), agent('a1')],
      frameworks: [{ name: 'g', role: '*', behaviour: new GangFramework() }],
      weights: new Map(),
      jobs: [gangJob(2, 50)],
      sinks: [sink],
      failures: { agents: [{ agent: 'a1', at: seconds(60) }] },
    });
    expect(sink.of('job_restarted')).toEqual([]);
    expect(sink.of('job_finished').map((r) => r.t / S)).toEqual([50]);
  });
});
