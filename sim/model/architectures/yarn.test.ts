/**
 * The yarn architecture (yarn.ts) on cases worked out by hand, with the FifoScheduler
 * (allocators/yarn/fifo.ts: no locality delay) so that the times are the protocol's alone: node
 * heartbeats from a seeded phase, the ApplicationMaster's allocate calls one interval apart from
 * its registration, containers taken at the next call, ends reported by out-of-band heartbeats.
 */
import { describe, expect, test } from '@jest/globals';
import { CapacityScheduler } from '../../../allocators/yarn/capacity.js';
import { DEFAULT_CAPACITY_OPTIONS, type CapacityQueueOptions } from '../../../allocators/yarn/capacity-options.js';
import { FairScheduler } from '../../../allocators/yarn/fair.js';
import { seconds } from '../../kernel/time.js';
import type { JobSpec, TaskSpec } from '../job.js';
import { resources } from '../resources.js';
import type { AgentSpec } from '../simulation.js';
import { heartbeatPhases as phases, runYarn, yarnTask as task } from '../test-support/yarn.js';
import type { YarnRmOptions, YarnScheduler } from '../yarn-port.js';

const S = 1_000_000;

function run(agents: AgentSpec[], jobs: JobSpec[], rm: Partial<YarnRmOptions> = {}, scheduler?: YarnScheduler, frameworks = ['f']) {
  return runYarn({ agents, jobs, rm, ...(scheduler === undefined ? {} : { scheduler }), frameworks });
}

const node = (name: string, rack: string, mem: number): AgentSpec => ({ name, rack, res: resources({ cpus: 8, mem }) });

describe('the yarn architecture: the protocol, by hand', () => {
  test('no AM container: asks go out at the first allocate call, 1 s after submission; the container comes at the next node heartbeat and runs at the call after', () => {
    // One node of phase p (0 < p < 1 s): it heartbeats at p, 1 + p, 2 + p, ... A job of one 10 s
    // task arrives at 0; its AM registers at once (no container) and calls allocate at 1 s,
    // sending ANY = 1. The node's heartbeat at 1 + p allocates the container; the AM takes it at
    // its call at 2 s and launches the task there; it ends at 12 s.
    const [p] = phases(1);
    expect(p).toBeGreaterThan(0);
    const { running, finished, result } = run([node('n1', 'r1', 8192)], [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [task(10)] }]);
    expect(running).toEqual([[0, 0, 2 * S]]);
    expect(finished).toEqual([[0, 0, 12 * S]]);
    expect(result.jobsFinished).toBe(1);
  });

  test('with an AM container: three waits, the AM container at the node heartbeat, asks one interval later, the task at the call after', () => {
    // The AM (1536 MB, normalised up to 2048 MB) is asked at submission (0); the node's heartbeat
    // at p allocates it and the AM registers at p. Its first call, at 1 + p, asks for the task;
    // the node heartbeats at 1 + p too, after the call (heartbeats run after the AMs' calls at
    // one instant), and allocates the container; the AM takes it at its call at 2 + p.
    const [p] = phases(1);
    const { running, finished } = run([node('n1', 'r1', 8192)], [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [task(10)] }], {
      am: resources({ mem: 1536, cpus: 1 }),
    });
    expect(running).toEqual([[0, 0, 2 * S + p!]]);
    expect(finished).toEqual([[0, 0, 12 * S + p!]]);
  });

  test('out-of-band heartbeats: a freed node is allocated again at the instant of the end; without them, at its next periodic heartbeat', () => {
    // A node with room for one 1024 MB container, a job of two 3.96 s tasks at 0; the node's
    // phase p is 0.954 s with this seed (asserted), so it heartbeats at 0.954, 1.954, ... The
    // first container: allocated at 1.954, taken and launched at the AM's call at 2, ends at
    // 5.96. Out of band, the node heartbeats at 5.96: it completes the container and allocates
    // the second one at once; the AM takes it at its call at 6. Without out-of-band heartbeats
    // the end waits for the periodic heartbeat at 6.954, and the AM takes the container at 7.
    const [p] = phases(1);
    expect(p! / S).toBeCloseTo(0.954, 3);
    const jobs: JobSpec[] = [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [task(3.96), task(3.96)] }];
    const oob = run([node('n1', 'r1', 1024)], jobs);
    expect(oob.running.map((r) => r[2] / S)).toEqual([2, 6]);
    const periodic = run([node('n1', 'r1', 1024)], jobs, { outOfBandHeartbeat: false });
    expect(periodic.running.map((r) => r[2] / S)).toEqual([2, 7]);
  });

  test('late binding: a container goes to the pending task that prefers its host', () => {
    // Two nodes, each with room for one container; task 0 prefers n1 and task 1 prefers n2. The
    // nodes' phases are 0.954 s (n1) and 0.563 s (n2), so after the AM's first call (1 s) n2
    // heartbeats first (1.563) and then n1 (1.954); the FIFO scheduler gives each a node-local
    // container (its host asks 1). The AM takes both at 2, in that order, and binds the one on n2
    // to task 1 and the one on n1 to task 0: both node-local (binding in task order would put
    // task 0 on n2).
    const [p1, p2] = phases(2);
    expect(p2!).toBeLessThan(p1!);
    const { running, sink } = run(
      [node('n1', 'r1', 1024), node('n2', 'r2', 1024)],
      [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [task(5, ['n1']), task(5, ['n2'])] }],
    );
    expect(running).toEqual([
      [1, 1, 2 * S],
      [0, 0, 2 * S],
    ]);
    expect(sink.of('task_locality').map((r) => r.locality)).toEqual(['node', 'node']);
  });

  test('a job with a task larger than the maximum allocation is killed by its AM, and the others run', () => {
    // maxAllocation 8192 MB. Job a's second task asks 10240 MB: at its AM's registration (its
    // container at the node's first heartbeat) the AM kills the job, as MapReduce does: job_abandoned
    // with its 2 tasks dropped, its AM container released, the application gone from the scheduler.
    // Job b (one 1024 MB task) runs: taken at its AM's call one interval after its registration.
    const big: TaskSpec = { res: resources({ cpus: 1, mem: 10240 }), duration: seconds(5) };
    const { sink, running, result } = run(
      [node('n1', 'r1', 16384)],
      [
        { id: 'a', framework: 'f', submit: seconds(0), tasks: [task(5), big] },
        { id: 'b', framework: 'f', submit: seconds(0), tasks: [task(5)] },
      ],
      { am: resources({ mem: 1024, cpus: 1 }), maxAllocation: resources({ mem: 8192, cpus: 4 }) },
    );
    expect(sink.of('job_abandoned').map((r) => [r.job, r.dropped])).toEqual([[0, 2]]);
    expect(running.map((r) => r[0])).toEqual([2]);
    expect(sink.of('job_finished').map((r) => r.job)).toEqual([1]);
    // Both jobs are over, so the run completes.
    expect(result.reason).toBe('completed');
  });

  test('a job larger than the cluster runs in waves beside its AM container', () => {
    // 6 tasks of 1024 MB on two nodes of 2048 MB, the AM asking 512 MB (normalised up to the
    // minimum, 1024 MB): the AM holds one slot, so at most 3 tasks run at once; all 6 finish.
    const tasks = Array.from({ length: 6 }, () => task(2));
    const { running, finished, result } = run([node('n1', 'r1', 2048), node('n2', 'r2', 2048)], [{ id: 'j', framework: 'f', submit: seconds(0), tasks }], {
      am: resources({ mem: 512 }),
    });
    const events = [...running.map((r) => [r[2], 1]), ...finished.map((r) => [r[2], -1])].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let now = 0;
    let most = 0;
    for (const [, d] of events) most = Math.max(most, (now += d!));
    expect(most).toBe(3);
    expect(finished).toHaveLength(6);
    expect(result.jobsFinished).toBe(1);
  });
});

describe('the yarn architecture under the Capacity and Fair schedulers', () => {
  // Eight nodes of 8 GB (64 GB); two frameworks, each one job of 100 tasks of 1 GB and 100 s,
  // submitted at 0 (queues root.a and root.b, one per framework); no AM container.
  const nodes = Array.from({ length: 8 }, (_, i) => node(`n${i}`, `r${i % 2}`, 8192));
  const big = (fw: string): JobSpec => ({ id: fw, framework: fw, submit: seconds(0), tasks: Array.from({ length: 100 }, () => task(100)) });
  const queueOf = (fw: string): string => `root.${fw}`;

  test('capacity 25/75 with user-limit-factor 1: each queue stops at its guarantee, 16 and 48 containers', () => {
    // Guarantees 0.25 x 64 = 16 GB and 0.75 x 64 = 48 GB. Each queue has one user, and with
    // user-limit-factor 1 a user may hold at most its queue's guarantee (UsersManager): 16 + 48
    // fill the cluster, so both queues sit exactly at their guarantees at 50 s.
    const queues: CapacityQueueOptions[] = [
      { path: 'root.a', capacity: 25 },
      { path: 'root.b', capacity: 75 },
    ];
    const cs = new CapacityScheduler({ ...DEFAULT_CAPACITY_OPTIONS, queues });
    const r = run(nodes, [big('a'), big('b')], { queueOf }, cs, ['a', 'b']);
    expect(r.runningAt(50 * S)).toEqual([16, 48]);
  });

  test('capacity: alone in the cluster, a queue stops one container past its guarantee with user-limit-factor 1, and fills the cluster with 4', () => {
    // Only framework a submits. Factor 1: a's one user's limit is its queue's guarantee, 16 GB,
    // although 48 GB are idle (the elasticity trap of Hadoop's default); a user is refused only
    // once its usage is above the limit (AbstractLeafQueue canAssignToUser: used > limit), so at
    // 16 GB it gets one more container and stops at 17. Factor 4: the limit is 4 x 16 = 64 GB,
    // the whole cluster (maximum-capacity 100%), and the cluster fills.
    const queues = (factor: number): CapacityQueueOptions[] => [
      { path: 'root.a', capacity: 25, userLimitFactor: factor },
      { path: 'root.b', capacity: 75 },
    ];
    const one = run(nodes, [big('a')], { queueOf }, new CapacityScheduler({ ...DEFAULT_CAPACITY_OPTIONS, queues: queues(1) }), ['a', 'b']);
    expect(one.runningAt(50 * S)).toEqual([17, 0]);
    const four = run(nodes, [big('a')], { queueOf }, new CapacityScheduler({ ...DEFAULT_CAPACITY_OPTIONS, queues: queues(4) }), ['a', 'b']);
    expect(four.runningAt(50 * S)).toEqual([64, 0]);
  });

  test('fair with weights 1 and 3: one container per heartbeat to the queue lowest in usage / weight, 16 and 48 once the cluster is full', () => {
    // FairSharePolicy: with no min shares, the queue with the lower usage / weight goes first
    // (ties: the earlier start, then the name: root.a). The fill goes a, b, b, b, a, b, b, b, ...
    // (a at u/1, b at u/3), so every 4 containers split 1:3 and the 64 split 16:48.
    const fs = new FairScheduler({
      queues: [
        { path: 'root.a', weight: 1 },
        { path: 'root.b', weight: 3 },
      ],
    });
    const r = run(nodes, [big('a'), big('b')], { queueOf, calculator: 'dominant' }, fs, ['a', 'b']);
    expect(r.runningAt(50 * S)).toEqual([16, 48]);
  });
});
