/**
 * Accept validation, end to end through simulate() with scripted schedulers: as Mesos `_accept`
 * does (src/master/master.cpp:4877-4940), each task of an accept is checked in order against what
 * is left of the offer; an offending task gets TASK_ERROR (a `task_error` record, the scheduler
 * told through onTaskError after its call returns) and is not launched, the rest launch. A task
 * refused stays pending, so the scheduler may launch it again. Times in comments are seconds.
 */
import { getAllocator } from '../../allocators/registry.js';
import { MetricsFold } from '../../reports/metrics-fold.js';
import { seconds, type SimTime } from '../kernel/time.js';
import type { JobSpec } from './job.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';
import { jobIx, taskIx } from './ids.js';

const S = 1_000_000;
const cpus = (n: number) => resources({ cpus: n });

function job(id: string, framework: string, sizes: number[]): JobSpec {
  return { id, framework, submit: 0 as SimTime, tasks: sizes.map((n) => ({ res: cpus(n), duration: seconds(10) })) };
}

function run(frameworks: { name: string; behaviour: ScriptedFramework }[], jobs: JobSpec[], agents: number[]) {
  const sink = new RecordingSink();
  const metrics = new MetricsFold({ sampleInterval: S });
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: agents.map((n, i) => ({ name: `a${i}`, rack: 'r', res: cpus(n) })),
    frameworks: frameworks.map((f) => ({ name: f.name, role: '*', behaviour: f.behaviour })),
    weights: new Map(),
    jobs,
    sinks: [sink, metrics],
    horizon: seconds(1000),
  });
  return { sink, result, m: metrics.finish() };
}

describe('accept validation (TASK_ERROR)', () => {
  // One 4-cpu agent; job j of tasks 0..3 needing 2, 3, 1 and 1 cpus, 10 s each.
  // 0: offer 0 (4 cpus). f accepts [0, 1, 2, 3]; in order: task 0 takes 2 (2 left); task 1 needs
  //   3 > 2: TASK_ERROR, not launched; task 2 takes 1 (1 left); task 3 takes 1 (0 left). The accept
  //   launches 3 tasks using 4 cpus (nothing unused, so no refuse filter). f hears of task 1's error
  //   after its onOffers returned (none during the call), at 0; task 1 is still pending.
  // 10: tasks 0, 2, 3 finish; the periodic run at 10 offers the 4 cpus (offer 1); f accepts [1],
  //   which runs 10 .. 20. Job j finishes at 20, and so does the run.
  test('tasks are checked in order against what is left of the offer; the offending one is refused and launched later', () => {
    let errorsDuringCall = -1;
    const f = new ScriptedFramework((o, d, self) => {
      if (self.seen.length === 1) {
        d.accept(o.id, [0, 1, 2, 3].map(taskIx));
        errorsDuringCall = self.errors.length;
        return { kind: 'hold' };
      }
      const pending = self.pendingList();
      return pending.length > 0 ? { kind: 'accept', tasks: pending } : { kind: 'decline' };
    });
    const { sink, result, m } = run([{ name: 'f', behaviour: f }], [job('j', 'f', [2, 3, 1, 1])], [4]);
    expect(sink.of('task_error').map((r) => [r.t / S, r.task, r.offer, r.reason])).toEqual([[0, 1, 0, 'insufficient_resources']]);
    expect(errorsDuringCall).toBe(0);
    expect(f.errors).toEqual([{ t: 0, task: 1, reason: 'insufficient_resources' }]);
    expect(sink.of('offer_accepted').map((r) => [r.t / S, r.offer, r.tasks, r.used[0], r.refuse])).toEqual([
      [0, 0, 3, 4000, 0],
      [10, 1, 1, 3000, 5 * S],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => [r.t / S, r.task]),
    ).toEqual([
      [0, 0],
      [0, 2],
      [0, 3],
      [10, 1],
    ]);
    expect(sink.of('job_finished').map((r) => r.t / S)).toEqual([20]);
    expect(result.reason).toBe('completed');
    expect(result.endTime / S).toBe(20);
    expect(m.summary.tasksLaunched).toBe(4);
  });

  // Two 4-cpu agents; f's job jf has tasks 0 and 1, g's job jg task 2, 1 cpu each, 10 s.
  // 0: one run offers each framework one agent: F to f, G to g (ids 0 and 1 in some order). f's
  //   answer to F, in this order:
  //   - accept(F, [2, 0, 0, 99]): task 2 is g's (TASK_ERROR), task 0 launches, task 0 again is no
  //     longer pending (Mesos: duplicate task id), task 99 does not exist; F is used up (3 cpus
  //     declined with the default 5 s filter);
  //   - accept(F, [1]): F is no longer outstanding: the whole accept is invalid (Mesos answers its
  //     tasks TASK_LOST, REASON_INVALID_OFFERS; here a task_error 'invalid_offer'); task 1 stays pending;
  //   - accept(G, [1]) and decline(G): G is g's: invalid / ignored, and G is left alone;
  //   - decline(F): F is gone: ignored (Mesos ignores a decline of an offer no longer valid).
  //   g then accepts G whole for task 2 (G intact: 4 cpus offered, 1 used).
  // 1: the periodic run: F's agent has 3 free, filtered for f (its accept declined those 3), G's
  //   agent 3 free, filtered for g: f gets G's agent and launches task 1 (1 .. 11).
  test('invalid accepts are refused task by task or as a whole; other offers are untouched', () => {
    let F = -1;
    const f = new ScriptedFramework((o, d, self) => {
      if (self.seen.length > 1) return self.pendingTasks() > 0 ? { kind: 'accept', tasks: self.pendingList() } : { kind: 'decline' };
      F = o.id;
      const G = 1 - F;
      d.accept(F, [2, 0, 0, 99].map(taskIx));
      d.accept(F, [taskIx(1)]);
      d.accept(G, [taskIx(1)]);
      d.decline(G);
      d.decline(F);
      return { kind: 'hold' };
    });
    const g = new ScriptedFramework((o, _d, self) => (self.seen.length === 1 ? { kind: 'accept', tasks: [2] } : { kind: 'decline' }));
    const { sink, result } = run(
      [
        { name: 'f', behaviour: f },
        { name: 'g', behaviour: g },
      ],
      [job('jf', 'f', [1, 1]), job('jg', 'g', [1])],
      [4, 4],
    );
    const G = 1 - F;
    expect(sink.of('task_error').map((r) => [r.framework, r.task, r.offer, r.reason])).toEqual([
      [0, 2, F, 'other_framework_task'],
      [0, 0, F, 'task_not_pending'],
      [0, 99, F, 'unknown_task'],
      [0, 1, F, 'invalid_offer'],
      [0, 1, G, 'invalid_offer'],
    ]);
    expect(f.errors.map((e) => [e.t, e.task, e.reason])).toEqual([
      [0, 2, 'other_framework_task'],
      [0, 0, 'task_not_pending'],
      [0, 99, 'unknown_task'],
      [0, 1, 'invalid_offer'],
      [0, 1, 'invalid_offer'],
    ]);
    expect(g.errors).toEqual([]);
    expect(sink.of('offer_declined').filter((r) => r.t === 0)).toEqual([]);
    expect(
      sink
        .of('offer_accepted')
        .filter((r) => r.t === 0)
        .map((r) => [r.framework, r.offer, r.tasks, r.used[0]]),
    ).toEqual([
      [0, F, 1, 1000],
      [1, G, 1, 1000],
    ]);
    const gAgent = sink.of('offer_sent').find((r) => r.offer === G)!.agent;
    expect(sink.of('offer_sent').find((r) => r.offer === G)!.res[0]).toBe(4000);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => [r.t / S, r.task, r.framework]),
    ).toEqual([
      [0, 0, 0],
      [0, 2, 1],
      [1, 1, 0],
    ]);
    expect(sink.of('task_state').find((r) => r.task === 1)!.agent).toBe(gAgent);
    expect(result.reason).toBe('completed');
    expect(result.endTime / S).toBe(11);
  });

  // A job's pending tasks are dropped when its scheduler abandons it (they stay pending in the
  // task table): f abandons job j (2 tasks, both pending: dropped 2), then accepts both. Neither
  // may launch (task_not_pending); the job was over at the abandonment, and so is the run, at 0.
  test('a task dropped with its abandoned job is refused', () => {
    const f = new ScriptedFramework((o, d, self) => {
      if (self.seen.length === 1) d.abandon(jobIx(0), 2, 1);
      return { kind: 'accept', tasks: [0, 1] };
    });
    const { sink, result } = run([{ name: 'f', behaviour: f }], [job('j', 'f', [1, 1])], [2]);
    expect(sink.of('task_error').map((r) => [r.t / S, r.task, r.reason])).toEqual([
      [0, 0, 'task_not_pending'],
      [0, 1, 'task_not_pending'],
    ]);
    expect(sink.of('task_state')).toEqual([]);
    expect(result.endTime / S).toBe(0);
  });
});
