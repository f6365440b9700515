/**
 * Multi-role frameworks end to end through simulate(): the batch behaviour suppresses and revives
 * each role on its own as its jobs' roles come and go, offers carry their role and run only that
 * role's jobs, and a framework that fails over resubscribes with the roles its driver holds
 * suppressed (Mesos SUBSCRIBE `suppressed_roles`). Times in comments are seconds, worked out by hand.
 */
import { getAllocator } from '../../allocators/registry.js';
import { seconds } from '../kernel/time.js';
import { BatchFramework } from './frameworks/batch.js';
import type { JobSpec } from './job.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink } from './test-support/scripted.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

const job = (id: string, submit: number, role: string): JobSpec => ({
  id,
  framework: 'f',
  role,
  submit: seconds(submit),
  tasks: [{ res: ONE_CPU, duration: seconds(100) }],
});

/** f, a batch framework of roles a and b, on one agent of `cpus` cpus. */
function run(jobs: JobSpec[], cpus: number, failover?: { disconnectAt: number; reconnectAfter: number }) {
  const sink = new RecordingSink();
  simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [{ name: 'a1', rack: 'r', res: resources({ cpus }) }],
    frameworks: [
      {
        name: 'f',
        role: 'a',
        roles: ['a', 'b'],
        behaviour: new BatchFramework(),
        ...(failover === undefined
          ? {}
          : { failover: { disconnectAt: seconds(failover.disconnectAt), reconnectAfter: seconds(failover.reconnectAfter) }, failoverTimeout: seconds(60) }),
      },
    ],
    weights: new Map(),
    jobs,
    sinks: [sink],
    horizon: seconds(1000),
    duration: seconds(30),
  });
  return sink;
}

/** Suppress and revive records as [t, kind, roles]. */
const calls = (sink: RecordingSink) =>
  sink.records.flatMap((r) => (r.kind === 'suppress' || r.kind === 'revive' ? [[r.t / S, r.kind, (r.roles ?? ['all']).join(',')]] : []));

test('a role with no work of its own stays suppressed: only role a is offered, and runs a job of role a', () => {
  const sink = run([job('ja', 1, 'a')], 2);
  // 0: nothing pending, both roles suppressed at subscription. 1: ja (role a) arrives: a revived,
  // b left suppressed; the run offers the agent (2 cpus) to f in role a only; ja's task takes 1
  // cpu, the rest is declined; nothing pending: a suppressed again.
  expect(calls(sink)).toEqual([
    [0, 'suppress', 'a,b'],
    [1, 'revive', 'a'],
    [1, 'suppress', 'a'],
  ]);
  const offers = sink.of('offer_sent');
  expect(offers.map((o) => [o.t / S, o.role, o.res[0] / 1000])).toEqual([[1, 'a', 2]]);
  expect(sink.of('offer_accepted').map((o) => [o.t / S, o.tasks])).toEqual([[1, 1]]);
});

test('a framework that fails over resubscribes with its suppressed roles: only the others are offered', () => {
  // Agent of 4 cpus. 1: ja (role a) launches on a's offer (4 cpus: 1 used, 3 declined); a
  // suppressed again. 2: jb (role b): b revived (its filters cleared), offered the 3 free cpus, 1
  // used, 2 declined; b suppressed. 12: f disconnects (its tasks keep running: failover timeout
  // 60). 13: jb2 (role b) arrives while disconnected: the driver revives b (the master records it;
  // nothing is offered). 15: f resubscribes with suppressed_roles [a]: only b is active; the run
  // offers b the 2 free cpus; jb2 takes 1; b suppressed. Had the resubscription revived a as well,
  // a and b would tie (1/4 each, one allocation each) and a, first by name, would get the 2 cpus.
  const sink = run([job('ja', 1, 'a'), job('jb', 2, 'b'), job('jb2', 13, 'b')], 4, { disconnectAt: 12, reconnectAfter: 3 });
  expect(sink.of('framework_reconnected').map((r) => [r.t / S, (r.suppressedRoles ?? ['?']).join(',')])).toEqual([[15, 'a']]);
  expect(sink.of('offer_sent').map((o) => [o.t / S, o.role, o.res[0] / 1000])).toEqual([
    [1, 'a', 4],
    [2, 'b', 3],
    [15, 'b', 2],
  ]);
  expect(calls(sink)).toEqual([
    [0, 'suppress', 'a,b'],
    [1, 'revive', 'a'],
    [1, 'suppress', 'a'],
    [2, 'revive', 'b'],
    [2, 'suppress', 'b'],
    [13, 'revive', 'b'],
    [15, 'suppress', 'b'],
  ]);
});
