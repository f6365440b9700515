/**
 * Quota consumption across an agent's loss and return, end to end through simulate() with the
 * drf policy and a quota limit. Mesos counts a role's reservations in its consumed quota while
 * their agent is registered, and stops when the agent is removed (hierarchical.cpp removeSlave
 * untracks them: src/master/allocator/mesos/hierarchical.cpp:1068-1100); a re-registered agent
 * counts them once again (addSlave, hierarchical.cpp:974-1003). Times in comments are seconds.
 */
import { getAllocator } from '../../allocators/registry.js';
import { seconds } from '../kernel/time.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';

const S = 1_000_000;

describe('quota consumption when an agent with reservations fails', () => {
  // Role q has a quota limit of 4 cpus. Agent A: 4 cpus, 2 of them reserved for q; agent B: 4
  // cpus unreserved. Framework fq (role q) declines every offer with no filter, so every periodic
  // run (each second) offers it what quota allows, and nothing stays offered or allocated between
  // runs: consumed(q) = q's reservations at the start of each run.
  // In a run, a reservation is offered whole; unreserved resources are offered up to
  // limit - consumed, and an offer's unreserved part raises consumed (agents in any order).
  // So the cpus offered to fq in one run sum to: the reservations of the agents in the run +
  // (4 - consumed at the start of the run) of unreserved ones, while B has that much.
  // - 0 .. 10: A and B up; consumed 2 (A's reservation): 2 reserved + 2 unreserved = 4.
  // - 10: A fails (out of allocation; its first unanswered ping is at 15, so it is lost at 90).
  //   10 .. 90: A still registered, its reservation still counts: consumed 2, B offers 4 - 2 = 2.
  // - 90: A removed: its reservation leaves consumption: consumed 0, B offers all its 4.
  // - 120: A registers again (downFor 110): consumed 2 again (once, not twice): 4 per run.
  test("a lost agent's reservations stop counting toward its role's quota, and count once when it returns", () => {
    const sink = new RecordingSink();
    const fq = new ScriptedFramework(() => ({ kind: 'decline', refuseSeconds: 0 }));
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({ params: { quota: { q: { limit: { cpus: 4 } } } } }),
      agents: [
        { name: 'A', rack: 'r', res: resources({ cpus: 4 }), reserved: [{ role: 'q', res: resources({ cpus: 2 }) }] },
        { name: 'B', rack: 'r', res: resources({ cpus: 4 }) },
      ],
      frameworks: [{ name: 'fq', role: 'q', behaviour: fq }],
      weights: new Map(),
      jobs: [],
      duration: seconds(200),
      sinks: [sink],
      failures: { agents: [{ agent: 'A', at: seconds(10), downFor: seconds(110) }] },
    });
    const offered = (t: number) =>
      sink
        .of('offer_sent')
        .filter((r) => r.t === t * S)
        .reduce((a, r) => a + r.res[0], 0) / 1000;
    expect(sink.of('agent_removed').map((r) => r.t / S)).toEqual([90]);
    expect([5, 50, 100, 150].map(offered)).toEqual([4, 2, 4, 4]);
  });
});
