/**
 * Failures and preemption under the yarn architecture (yarn.ts), on cases worked out by hand with
 * the FifoScheduler (no locality delay): node loss at the node liveness monitor's check, lost
 * tasks run again by their ApplicationMaster in the same application, AM attempts, preemption.
 */
import { describe, expect, test } from '@jest/globals';
import { CapacityScheduler } from '../../../allocators/yarn/capacity.js';
import { DEFAULT_CAPACITY_OPTIONS } from '../../../allocators/yarn/capacity-options.js';
import { seconds } from '../../kernel/time.js';
import type { JobSpec } from '../job.js';
import { resources } from '../resources.js';
import type { AgentSpec, FailureSpec } from '../simulation.js';
import { heartbeatPhases as phases, runYarn, yarnTask as task } from '../test-support/yarn.js';
import type { YarnRmOptions, YarnScheduler } from '../yarn-port.js';

const S = 1_000_000;

const node = (name: string, mem: number): AgentSpec => ({ name, rack: 'r1', res: resources({ cpus: 8, mem }) });

function run(
  agents: AgentSpec[],
  jobs: JobSpec[],
  failures: FailureSpec,
  rm: Partial<YarnRmOptions> = {},
  scheduler?: YarnScheduler,
  mode: 'yarn' | 'offers' = 'yarn',
  frameworks = ['f'],
) {
  return runYarn({ agents, jobs, failures, rm, ...(scheduler === undefined ? {} : { scheduler }), mode, frameworks });
}

// Two nodes of 1024 MB (room for one container each) on one rack. Their seeded heartbeat phases
// are 0.954 s (n1) and 0.563 s (n2) (asserted below): n1 heartbeats at 0.954, 1.954, ..., n2 at
// 0.563, 1.563, ...
const nodes = (): AgentSpec[] => [node('n1', 1024), node('n2', 1024)];

test('the phases the cases below are worked from', () => {
  const [p1, p2] = phases(2);
  expect(p1! / S).toBeCloseTo(0.954, 3);
  expect(p2! / S).toBeCloseTo(0.563, 3);
});

describe('node loss under yarn (Y12)', () => {
  // One job of two tasks at 0, no AM container: the AM registers at 0 and calls at 1, 2, ...;
  // n2 (1.563) and n1 (1.954) each get a container; the AM takes both at 2 and binds them in
  // allocation order: task 0 on n2, task 1 on n1. Task 0 runs 500 s (to 502), task 1 2000 s.
  const jobs: JobSpec[] = [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [task(500), task(2000)] }];

  test('silent from its last heartbeat t, n1 is lost at the monitor check in (t + 600, t + 800]; its task is lost and run again by the same application', () => {
    // n1 fails at 100 s: its last heartbeat was t = 99.954 s. The monitor checks every 200 s
    // (600 / 3) from 0; at 600 s, 600 <= t + 600 = 699.954; at 800 s, 800 > 699.954: lost at 800 s,
    // within (t + 600, t + 800]. Task 1 goes lost then; its container ends ABORTED in the
    // scheduler, and the task is submitted again as job f/replace-1 (of the same application:
    // no second AM). The AM hears of it and asks for it at its call at 800 s (after the loss at
    // that instant: the loss was scheduled first). n2, free since 502 s, heartbeats at 800.563 and
    // gets the container; the AM takes it and launches the copy (task 2) at 801 s, until 2801 s.
    const p2 = phases(2)[1]!;
    const { sink, running, lost, finished, result } = run(nodes(), jobs, { agents: [{ agent: 'n1', at: seconds(100) }] });
    expect(running.slice(0, 2)).toEqual([
      [0, 1, 2 * S],
      [1, 0, 2 * S],
    ]);
    expect(sink.of('agent_removed').map((r) => [r.agent, r.t])).toEqual([[0, 800 * S]]);
    expect(lost).toEqual([[1, 0, 800 * S]]);
    expect(sink.of('job_submitted').map((r) => [r.name, r.t])).toEqual([
      ['j', 0],
      ['f/replace-1', 800 * S],
    ]);
    expect(running[2]).toEqual([2, 1, 801 * S]);
    expect(finished.map((r) => r[0])).toEqual([0, 2]);
    expect(result.endTime).toBe(2801 * S);
    // the allocate call after the loss carried the ask: the container came at n2's next heartbeat
    expect(800 * S + p2).toBeLessThan(801 * S);
  });

  test('under offers the same failure is lost 75-90 s after it (Mesos ping timeouts), not 600-800 s after the last heartbeat', () => {
    // Registered at 0, pinged every 15 s: the first unanswered ping is at 105 s, the 5th timeout at 180 s.
    const { sink } = run(nodes(), jobs, { agents: [{ agent: 'n1', at: seconds(100) }] }, {}, undefined, 'offers');
    expect(sink.of('agent_removed').map((r) => r.t)).toEqual([180 * S]);
  });

  test('the expiry is a knob: 60 s checks every 20 s, lost at 160 s', () => {
    // t = 99.954 s; checks at 140, 160: 160 > 159.954.
    const { sink } = run(nodes(), jobs, { agents: [{ agent: 'n1', at: seconds(100) }] }, { nmExpiry: seconds(60) });
    expect(sink.of('agent_removed').map((r) => r.t)).toEqual([160 * S]);
  });
});

describe('ApplicationMaster attempts', () => {
  // The AM container (1024 MB) goes to the first node to heartbeat, n2 at 0.563; the AM registers
  // then and calls at 1.563, 2.563, ...; its first call asks for the two 1000 s tasks; n1
  // heartbeats at 1.954 and gets one container, taken at 2.563: task 0 runs on n1 from 2.563.
  // n2 holds the AM, so task 1 waits.
  const jobs: JobSpec[] = [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [task(1000), task(1000)] }];
  const am = resources({ mem: 1024, cpus: 1 });
  const p2 = phases(2)[1]!;

  test('an AM lost with its node fails its attempt uncounted (ABORTED): a new attempt starts, even with amMaxAttempts 1', () => {
    // n2 fails at 100 s (last heartbeat and last AM call at 99.563): lost at 800 s; the AM
    // liveness monitor would expire the AM at 800 s too, but the node's loss comes first at that
    // instant, so the exit is ABORTED and does not count. The attempt's other container is
    // killed (MapReduce keeps none across attempts): task 0 killed at 800 s and submitted again
    // (job f/replace-0). n2 comes back at 800 s (down 50 s, but not before its loss) with a new
    // phase, 0.437 s (the stream's third draw): it heartbeats at 800.437, before n1 (800.954), and
    // the second attempt's AM container goes to it; the AM registers there and asks for task 1
    // and for the copy; one runs on n1 and then the other; both finish.
    const { sink, killed, finished, result } = run(
      nodes(),
      jobs,
      { agents: [{ agent: 'n2', at: seconds(100), downFor: seconds(50) }] },
      { am, amMaxAttempts: 1 },
    );
    expect(sink.of('agent_removed').map((r) => r.t)).toEqual([800 * S]);
    expect(killed).toEqual([[0, 0, 800 * S]]);
    expect(sink.of('job_submitted').map((r) => [r.name, r.t])).toEqual([
      ['j', 0],
      ['f/replace-0', 800 * S],
    ]);
    expect(phases(3)[2]! / S).toBeCloseTo(0.437, 3);
    expect(sink.of('job_abandoned')).toEqual([]);
    expect(finished.map((r) => r[0]).sort()).toEqual([1, 2]);
    expect(result.jobsFinished).toBe(2);
    expect(2 * S + p2).toBeLessThan(3 * S);
  });

  test('an AM lost twice, each time expired before its node is lost, fails the application at the second: both jobs abandoned after 2 attempts', () => {
    // nmExpiry 900 s (checks every 300 s), amExpiry 600 s (every 200 s). n2 fails at 100 s: the
    // AM's last call was 99.563, so it expires at 800 s (800 > 699.563), before n2 is lost at
    // 1200 s (1200 > 999.563): a counted failure (1 of 2). Task 0 on n1 is killed at 800 s; the
    // second AM container goes to n1 at 800.954 (n2 is failed, not lost: its AM container, on the
    // silent node, is gone from the scheduler with the attempt). n1 fails at 900 s; that AM's last
    // call was at 899.954 (calls every second from 800.954), so it expires at 1600 s
    // (1600 > 1499.954), before n1 is lost at 1800 s (1800 > 1799.954): the second counted
    // failure, the application fails at 1600 s. Its jobs are abandoned: j with task 1 never
    // launched (dropped 1), and f/replace-0 (the copy of task 0, submitted at its kill, never
    // launched: dropped 1), each with attempts 2; no job_finished. The run is over at 1600 s.
    const { sink, killed, result } = run(
      nodes(),
      jobs,
      {
        agents: [
          { agent: 'n2', at: seconds(100) },
          { agent: 'n1', at: seconds(900) },
        ],
      },
      { am, nmExpiry: seconds(900), amExpiry: seconds(600), amMaxAttempts: 2 },
    );
    expect(killed).toEqual([[0, 0, 800 * S]]);
    expect(sink.of('job_submitted').map((r) => [r.name, r.t])).toEqual([
      ['j', 0],
      ['f/replace-0', 800 * S],
    ]);
    expect(sink.of('job_abandoned').map((r) => [r.job, r.t, r.dropped, r.attempts])).toEqual([
      [0, 1600 * S, 1, 2],
      [1, 1600 * S, 1, 2],
    ]);
    expect(sink.of('job_finished')).toEqual([]);
    expect(sink.of('agent_removed').map((r) => [r.agent, r.t])).toEqual([[1, 1200 * S]]);
    expect(result.endTime).toBe(1600 * S);
  });
});

describe('preemption under yarn', () => {
  test('capacity: a queue over its share loses containers to a starved one, one per run at the default rates, each killed 15 s after it is marked', () => {
    // One node of 8192 MB (eight 1024 MB containers), queues root.a and root.b at 50 % each
    // (guarantee 4096 MB), user-limit-factor 2 (a queue may fill the node), no AM containers,
    // preemption on with Hadoop's defaults (every 3 s from 0; wait 15 s; 0.1 of the cluster per
    // round; dead zone 0.1; natural termination 0.2).
    // Framework a submits 8 tasks of 1000 s at 0: asked at 1 s, allocated at the node's heartbeat
    // at 1.954 (containers 0-7), launched at 2 s (task k in container k).
    // Framework b submits 4 tasks of 1000 s at 10 s: asked at its first call, 11 s.
    // The run at 12 s sees b pending 4096: ideal shares a 4096, b 4096 (b, below its guarantee,
    // is offered half the 4096 unassigned, then half the rest, ... up to what it wants); a holds
    // 4096 above its ideal, scaled to the per-round cap: 0.1 x 8192 = 819.2 MB; a is above its
    // dead zone (4096 x 1.1 = 4505.6), so it gives back 0.2 x 819.2 = 163.84, rounded up to
    // 164 MB: one container, a's newest (container 7, task 7), marked at 12 s. Still selected at
    // each run, it is killed at the first run at least 15 s later: 27 s. Its task goes killed and
    // is submitted again (a/replace-7); the node heartbeats out of band at 27 s and the free
    // container goes to b (used / guarantee 0 < a's); b's AM launches task 8 at its call at 28 s.
    // The run at 30 s marks container 6 (a holds 7168: the same one container per run), killed
    // at 45; then container 5, marked at 48, killed at 63; container 4, marked at 66, killed at
    // 81. a then holds 4096, within its dead zone: nothing more is taken, and b runs its 4 tasks.
    const cs = new CapacityScheduler({
      ...DEFAULT_CAPACITY_OPTIONS,
      queues: [
        { path: 'root.a', capacity: 50, userLimitFactor: 2 },
        { path: 'root.b', capacity: 50, userLimitFactor: 2 },
      ],
      preemption: { ...DEFAULT_CAPACITY_OPTIONS.preemption, enabled: true },
    });
    const jobs: JobSpec[] = [
      { id: 'ja', framework: 'a', submit: seconds(0), tasks: Array.from({ length: 8 }, () => task(1000)) },
      { id: 'jb', framework: 'b', submit: seconds(10), tasks: Array.from({ length: 4 }, () => task(1000)) },
    ];
    const { sink, killed, running } = run([node('n1', 8192)], jobs, {}, { queueOf: (fw) => `root.${fw}` }, cs, 'yarn', ['a', 'b']);
    expect(killed).toEqual([
      [7, 0, 27 * S],
      [6, 0, 45 * S],
      [5, 0, 63 * S],
      [4, 0, 81 * S],
    ]);
    expect(running.filter((r) => r[0] >= 8 && r[0] < 12).map((r) => r[2])).toEqual([28 * S, 46 * S, 64 * S, 82 * S]);
    expect(
      sink
        .of('job_submitted')
        .map((r) => [r.name, r.t])
        .slice(2),
    ).toEqual([
      ['a/replace-7', 27 * S],
      ['a/replace-6', 45 * S],
      ['a/replace-5', 63 * S],
      ['a/replace-4', 81 * S],
    ]);
  });
});
