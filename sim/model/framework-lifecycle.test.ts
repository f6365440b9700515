/**
 * The framework lifecycle in the log, end to end through simulate(): disconnect, reregistration,
 * removal after the failover timeout (Mesos removeFramework: its tasks killed, the framework gone
 * for good), a reregistration refused after removal (Mesos: "Framework has been removed"), and what
 * becomes of the removed framework's jobs. Times in comments are seconds, worked out by hand.
 */
import { getAllocator } from '../../allocators/registry.js';
import { MetricsFold } from '../../reports/metrics-fold.js';
import { seconds } from '../kernel/time.js';
import { BatchFramework } from './frameworks/batch.js';
import type { ArchitectureName } from './architectures/index.js';
import type { JobSpec } from './job.js';
import type { LogRecord } from './log.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

const job = (id: string, submit: number, tasks: number): JobSpec => ({
  id,
  framework: 'f',
  submit: seconds(submit),
  tasks: Array.from({ length: tasks }, () => ({ res: ONE_CPU, duration: seconds(100) })),
});

interface RunOptions {
  /** when it reregisters after the disconnect, s; default never */
  readonly reconnectAfter?: number;
  /** default 'offers' */
  readonly mode?: ArchitectureName;
  /** f's decision time per job, s; default 0 */
  readonly decisionJob?: number;
  /** run length, s; default: to completion */
  readonly duration?: number;
}

/** f (batch) on one 2-cpu agent; its scheduler disconnects at 12. */
function run(jobs: JobSpec[], failoverTimeout: number, opts: RunOptions = {}) {
  const { reconnectAfter, mode, decisionJob = 0, duration } = opts;
  const sink = new RecordingSink();
  const metrics = new MetricsFold({ sampleInterval: S });
  const result = simulate({
    seed: 1,
    ...(mode === undefined ? {} : { mode }),
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [{ name: 'a1', rack: 'r', res: resources({ cpus: 2 }) }],
    frameworks: [
      {
        name: 'f',
        role: '*',
        behaviour: new BatchFramework({ decisionJob }),
        failoverTimeout: seconds(failoverTimeout),
        failover: { disconnectAt: seconds(12), reconnectAfter: reconnectAfter === undefined ? undefined : seconds(reconnectAfter) },
      },
    ],
    weights: new Map(),
    jobs,
    sinks: [sink, metrics],
    horizon: seconds(1000),
    duration: duration === undefined ? undefined : seconds(duration),
  });
  return { sink, result, m: metrics.finish() };
}

/** The lifecycle records and job ends, as [time, kind, details...]. */
function lifecycle(records: readonly LogRecord[]): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const r of records) {
    const t = r.t / S;
    switch (r.kind) {
      case 'framework_disconnected':
        out.push([t, r.kind, r.failoverTimeout / S]);
        break;
      case 'framework_reconnected':
      case 'framework_reconnect_refused':
        out.push([t, r.kind]);
        break;
      case 'framework_removed':
        out.push([t, r.kind, r.tasksKilled, r.jobsDropped]);
        break;
      case 'job_dropped':
        out.push([t, r.kind, r.job, r.dropped]);
        break;
      case 'job_finished':
        out.push([t, r.kind, r.job]);
        break;
      case 'task_state':
        if (r.state === 'killed') out.push([t, 'killed', r.task]);
        break;
      default:
        break;
    }
  }
  return out;
}

describe('framework lifecycle records', () => {
  // Job j0 (0): tasks 0..2 of 1 cpu, 100 s; tasks 0 and 1 run from 0 on the 2 cpus, task 2 waits.
  // 12: f disconnects (failover timeout 30). 20 + 12 = 32 < 42: back in time, reactivated.
  // 100: tasks 0 and 1 finish; the periodic run of that instant offers the 2 cpus: task 2 runs
  //   100 .. 200.
  test('a disconnect and a reregistration in time are logged; nothing is killed', () => {
    const { sink, result } = run([job('j0', 0, 3)], 30, { reconnectAfter: 20 });
    expect(lifecycle(sink.records)).toEqual([
      [12, 'framework_disconnected', 30],
      [32, 'framework_reconnected'],
      [200, 'job_finished', 0],
    ]);
    expect(result.endTime / S).toBe(200);
  });

  // 12: f disconnects (timeout 30). 42: removed: job j0 is dropped (task 2 never launched:
  //   dropped 1), its running tasks 0 and 1 killed (no job_finished: it never completed).
  // 52 (12 + 40): the reregistration comes too late: refused, and logged.
  // 60: job j1 (1 task) arrives for the removed framework: submitted and dropped at once (dropped 1).
  // Every job is over at 60: the run completes there instead of waiting for the horizon.
  // Metrics: both jobs abandoned (dropped), none finished or unfinished; 2 tasks killed.
  // The non-offer baselines place tasks themselves (at 0, the same two), and place nothing of the
  // removed framework: task 2 never runs there either, though the cpus free up at 42.
  test.each([['offers'], ['monolithic'], ['shared-state']] as const)(
    '%s: removal kills the tasks and drops the jobs; a late reregistration and later jobs are refused visibly',
    (mode) => {
      const { sink, result, m } = run([job('j0', 0, 3), job('j1', 60, 1)], 30, { reconnectAfter: 40, mode });
      expect(
        sink
          .of('task_state')
          .filter((r) => r.state === 'running')
          .map((r) => [r.t / S, r.task]),
      ).toEqual([
        [0, 0],
        [0, 1],
      ]);
      expect(lifecycle(sink.records)).toEqual([
        [12, 'framework_disconnected', 30],
        [42, 'framework_removed', 2, 1],
        [42, 'job_dropped', 0, 1],
        [42, 'killed', 0],
        [42, 'killed', 1],
        [52, 'framework_reconnect_refused'],
        [60, 'job_dropped', 1, 1],
      ]);
      expect(sink.of('job_submitted').map((r) => [r.t / S, r.name])).toEqual([
        [0, 'j0'],
        [60, 'j1'],
      ]);
      expect(result.reason).toBe('completed');
      expect(result.endTime / S).toBe(60);
      expect(m.summary.jobsAbandoned).toBe(2);
      expect(m.summary.jobsFinished).toBe(0);
      expect(m.summary.jobsUnfinished).toBe(0);
      expect(m.summary.tasksKilled).toBe(2);
      expect(m.frameworks[0]!.jobsAbandoned).toBe(2);
    },
  );

  // failover timeout 0 (the Mesos default): disconnected and removed in the same instant, 12.
  test('with failover timeout 0 the framework is removed at its disconnect', () => {
    const { sink, result } = run([job('j0', 0, 2)], 0);
    expect(lifecycle(sink.records)).toEqual([
      [12, 'framework_disconnected', 0],
      [12, 'framework_removed', 2, 1],
      [12, 'job_dropped', 0, 0],
      [12, 'killed', 0],
      [12, 'killed', 1],
    ]);
    expect(result.endTime / S).toBe(12);
  });

  // Decision time 20 s per job: the decision for j0 (3 tasks) runs [0, 20], holding its offer (in
  // shared-state, its placements wait for the commit at 20). f is removed at 12 (timeout 0) with
  // the decision under way: its offer is rescinded, j0 dropped whole (3 tasks never launched),
  // and the decision's end at 20 does nothing (its scheduler is gone): no launch, though the cpus
  // are free. (Run for 30 s, past the decision's end; to completion it would stop at 12.)
  test.each([['offers'], ['shared-state']] as const)('%s: a decision under way when the framework is removed never lands', (mode) => {
    const { sink, result } = run([job('j0', 0, 3)], 0, { mode, decisionJob: 20, duration: 30 });
    expect(lifecycle(sink.records)).toEqual([
      [12, 'framework_disconnected', 0],
      [12, 'framework_removed', 0, 1],
      [12, 'job_dropped', 0, 3],
    ]);
    expect(sink.of('task_state')).toEqual([]);
    expect(sink.of('task_error')).toEqual([]);
    expect(result.endTime / S).toBe(30);
  });

  // A scheduler timer set before the removal: h holds its first offer (at 0) and asks to suppress
  // 20 s later. Removed at 12 (timeout 0): at 20 its scheduler is gone, so the timer does not fire
  // (no suppress record; to completion the run would have stopped at 12, so it runs 30 s).
  test("a removed framework's timers never fire", () => {
    const sink = new RecordingSink();
    const h = new ScriptedFramework((_o, d, self) => {
      if (self.seen.length === 1) d.after(20, () => d.suppress());
      return { kind: 'hold' };
    });
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({}),
      agents: [{ name: 'a1', rack: 'r', res: ONE_CPU }],
      frameworks: [{ name: 'h', role: '*', behaviour: h, failover: { disconnectAt: seconds(12) } }],
      weights: new Map(),
      jobs: [],
      duration: seconds(30),
      sinks: [sink],
    });
    expect(sink.of('framework_removed').map((r) => r.t / S)).toEqual([12]);
    expect(sink.of('suppress')).toEqual([]);
  });
});
