/**
 * Golden scenarios that pin Mesos master and allocator behaviour end to end (notes/mesos-semantics.md
 * sections 1.9 and 4). Each expected number is worked out in the comment above its test.
 */
import { getAllocator } from '../../allocators/registry.js';
import { seconds, type SimTime } from '../kernel/time.js';
import { BatchFramework } from './frameworks/batch.js';
import type { FrameworkBehaviour } from './framework.js';
import type { JobSpec } from './job.js';
import { resources } from './resources.js';
import { simulate, type AgentSpec, type FrameworkSpec } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';

const S = 1_000_000;

function drf() {
  return getAllocator('drf')!.create({});
}

function agent(name: string, cpus: number, mem: number, addAt = 0): AgentSpec {
  return { name, rack: 'r0', res: resources({ cpus, mem }), addAt: seconds(addAt) };
}

function fw(name: string, behaviour: FrameworkBehaviour, role = '*', addAt = 0): FrameworkSpec {
  return { name, role, behaviour, addAt: seconds(addAt) };
}

function job(id: string, framework: string, submit: number, n: number, cpus: number, mem: number, duration: number): JobSpec {
  const res = resources({ cpus, mem });
  return { id, framework, submit: seconds(submit), tasks: Array.from({ length: n }, () => ({ res, duration: seconds(duration) })) };
}

function run(opts: { agents: AgentSpec[]; frameworks: FrameworkSpec[]; jobs?: JobSpec[]; duration?: number; interval?: number; seed?: number }) {
  const sink = new RecordingSink();
  const result = simulate({
    seed: opts.seed ?? 1,
    master: { allocationInterval: seconds(opts.interval ?? 1) },
    allocator: drf(),
    agents: opts.agents,
    frameworks: opts.frameworks,
    weights: new Map(),
    jobs: opts.jobs ?? [],
    duration: opts.duration === undefined ? undefined : (seconds(opts.duration) as SimTime),
    sinks: [sink],
  });
  return { sink, result };
}

describe('G1: the DRF paper example through offers', () => {
  // One agent of <9 cpus, 18 GB>. A's tasks need <1 cpu, 4 GB>, B's <3 cpus, 1 GB>; each framework
  // launches one task per offer and declines the rest with the default 5 s filter.
  // t=0: shares tie at 0 with count 0, so name order offers the agent to A: A runs 1 task, the rest
  //      <8, 14 GB> is declined and filtered for A until t=5.
  // t=1: A's share max(1/9, 4/18)=0.22 > B's 0: B gets <8, 14>, runs 1 task, filters <5, 13> until t=6.
  // t=2..4: both filtered (the free <5, 13> is within both refused sets): no offer.
  // t=5: A's filter expired (created before the t=5 tick was armed): A (0.22 < B's 1/3) runs a 2nd task.
  // t=6: B's filter expired; B (1/3 < A's 8/18=0.44) runs a 2nd task: B holds <6, 2 GB>, share 2/3.
  // t=10: A (0.44 < 0.67) runs a 3rd task: A holds <3, 12 GB>, share 12/18 = 2/3. Free: <0, 4 GB>.
  // After that no task fits (no cpu left): A = 3 tasks, B = 2 tasks; 9 cpus and 14 GB used.
  test('A ends with 3 running tasks and B with 2', () => {
    const one = { maxTasksPerOffer: 1 };
    const { sink } = run({
      agents: [agent('s1', 9, 18 * 1024)],
      frameworks: [fw('A', new BatchFramework(one)), fw('B', new BatchFramework(one))],
      jobs: [job('a', 'A', 0, 10, 1, 4 * 1024, 1000), job('b', 'B', 0, 10, 3, 1024, 1000)],
      duration: 60,
    });
    const running = sink.of('task_state').filter((r) => r.state === 'running');
    const byFw = [0, 0];
    for (const r of running) byFw[r.framework]!++;
    expect(byFw).toEqual([3, 2]);
    // The launch times of the hand trace: A at 0, 5, 10; B at 1, 6.
    expect(running.filter((r) => r.framework === 0).map((r) => r.t / S)).toEqual([0, 5, 10]);
    expect(running.filter((r) => r.framework === 1).map((r) => r.t / S)).toEqual([1, 6]);
  });
});

describe('G3: two frameworks passing one agent back and forth', () => {
  // Both frameworks in '*', one agent; the holder declines with no filter (refuse 0) at once.
  // The DRF count tie-break alternates equal shares: over 10 runs each gets exactly 5 offers
  // (Mesos test SameShareFairness).
  test('5 and 5 offers over 10 runs', () => {
    const decline = () => ({ kind: 'decline', refuseSeconds: 0 }) as const;
    const f1 = new ScriptedFramework(decline);
    const f2 = new ScriptedFramework(decline);
    // t=0 is the triggered run; ticks at 1..9 make 10 runs in [0, 10).
    run({ agents: [agent('s1', 2, 1024)], frameworks: [fw('f1', f1), fw('f2', f2)], duration: 10 });
    expect(f1.seen.length + f2.seen.length).toBe(10);
    expect(f1.seen.length).toBe(5);
    expect(f2.seen.length).toBe(5);
  });
});

describe('G4: filter timing against the allocation interval', () => {
  // Interval 1 s; the framework declines every offer with refuse 2 s. The offer at t=0 is
  // declined; the filter lasts max(2, 1) = 2 s. Tick t=1 is filtered (no offer); at t=2 the
  // filter (created at t=0, before the t=2 tick was armed at t=1) expires first, so t=2 offers.
  // Mesos test OfferFilter. Offers therefore come every 2 s: 0, 2, 4, 6, 8.
  test('refuse 2 s with a 1 s interval: no offer at +1 s, an offer at +2 s', () => {
    const f = new ScriptedFramework(() => ({ kind: 'decline', refuseSeconds: 2 }));
    run({ agents: [agent('s1', 1, 512)], frameworks: [fw('f', f)], duration: 9 });
    expect(f.seen.map((o) => o.t / S)).toEqual([0, 2, 4, 6, 8]);
  });

  // Interval 60 s, refuse 1 s: the filter lasts max(1, 60) = 60 s and the t=60 tick was armed
  // at t=0 before the decline, so that tick still sees the filter (MESOS-4302, Mesos test
  // SmallOfferFilterTimeout). Offers: 0, then 120, then 240.
  test('refuse 1 s with a 60 s interval: the filter still applies at the next tick', () => {
    const f = new ScriptedFramework(() => ({ kind: 'decline', refuseSeconds: 1 }));
    run({ agents: [agent('s1', 1, 512)], frameworks: [fw('f', f)], duration: 300, interval: 60 });
    expect(f.seen.map((o) => o.t / S)).toEqual([0, 120, 240]);
  });
});

describe('G5 and G6: default decline, tick-bound recovery, agents offered at once', () => {
  // One agent of 4 cpus. At t=0 the framework launches one 2-cpu task lasting 2.5 s and the
  // unused 2 cpus are declined with the default 5 s filter (Mesos accept filters).
  // t=1, t=2: free is the same 2 cpus, within the refused set: no offer.
  // t=2.5: the task ends; its 2 cpus come back but no run happens then (MESOS-3078).
  // t=3: the next periodic run sees 4 free cpus, more than the refused 2: offered at once.
  // That offer is declined with the default filter (4 cpus until t=8): nothing at 4..7, an offer at 8.
  // Meanwhile agent s2 registers at t=1.5 and is offered at t=1.5 by the run addSlave triggers.
  test('a finished task waits for the tick; a larger free set beats a filter; a new agent is offered at once', () => {
    let launched = false;
    const f = new ScriptedFramework((o, d) => {
      if (!launched && o.agent === 0) {
        launched = true;
        return { kind: 'accept', tasks: [d.tasks.firstTask[0]!] };
      }
      return { kind: 'decline' };
    });
    run({
      agents: [agent('s1', 4, 4096), agent('s2', 1, 1024, 1.5)],
      frameworks: [fw('f', f)],
      jobs: [job('j', 'f', 0, 1, 2, 1024, 2.5)],
      duration: 9,
    });
    const s1 = f.seen.filter((o) => o.agent === 0).map((o) => [o.t / S, o.cpus / 1000]);
    expect(s1).toEqual([
      [0, 4],
      [3, 4],
      [8, 4],
    ]);
    const s2 = f.seen.filter((o) => o.agent === 1).map((o) => o.t / S);
    // s2 at 1.5 (declined with 5 s, so filtered until 6.5; tick 7 offers it again).
    expect(s2).toEqual([1.5, 7]);
  });
});

describe('G7: whole-agent offers count toward shares at once', () => {
  // N identical frameworks and N identical agents, all registered at t=0: the first run offers
  // each agent whole to the lowest-share framework, whose share then rises above the others',
  // so the N offers go to N different frameworks.
  test.each([2, 5, 16])('%i frameworks and as many agents map one to one in one run', (n) => {
    const fws = Array.from({ length: n }, () => new ScriptedFramework(() => ({ kind: 'hold' })));
    const { sink } = run({
      agents: Array.from({ length: n }, (_, i) => agent(`s${i}`, 4, 4096)),
      frameworks: fws.map((b, i) => fw(`f${String(i).padStart(2, '0')}`, b)),
      duration: 0.5,
    });
    const offers = sink.of('offer_sent');
    expect(offers).toHaveLength(n);
    expect(new Set(offers.map((o) => o.framework)).size).toBe(n);
    expect(new Set(offers.map((o) => o.agent)).size).toBe(n);
    expect(sink.of('allocation_run')).toHaveLength(1);
  });
});

describe('suppress and revive', () => {
  // A batch framework with no work declines its first offer and suppresses; its job arriving at
  // t=3.3 revives it, which clears its filters and triggers a run at once: the launch is at 3.3,
  // not at the next tick.
  test('a job arriving at a suppressed framework is offered at once', () => {
    const { sink, result } = run({
      agents: [agent('s1', 4, 4096)],
      frameworks: [fw('f', new BatchFramework())],
      jobs: [job('j', 'f', 3.3, 2, 1, 512, 1)],
    });
    expect(sink.of('suppress').map((r) => r.t / S)).toEqual([0, 3.3]);
    expect(sink.of('revive').map((r) => r.t / S)).toEqual([3.3]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => r.t / S),
    ).toEqual([3.3, 3.3]);
    // Run to completion: both 1 s tasks end at 4.3.
    expect(result.reason).toBe('completed');
    expect(result.endTime / S).toBeCloseTo(4.3, 9);
  });
});

describe('offer timeout', () => {
  // --offer_timeout 2.5 s, interval 1 s; the framework holds every offer without answering.
  // The offer made at t=0 is rescinded at t=2.5 (message phase) with no filter, so the t=3 tick
  // offers the agent again; that one is rescinded at 5.5 and re-offered at 6.
  test('held offers are rescinded and their resources re-offered at the next tick, unfiltered', () => {
    const f = new ScriptedFramework(() => ({ kind: 'hold' }));
    const sink = new RecordingSink();
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1), offerTimeout: seconds(2.5) },
      allocator: drf(),
      agents: [agent('s1', 2, 1024)],
      frameworks: [fw('f', f)],
      weights: new Map(),
      jobs: [],
      duration: seconds(7),
      sinks: [sink],
    });
    expect(f.seen.map((o) => o.t / S)).toEqual([0, 3, 6]);
    expect(sink.of('offer_rescinded').map((r) => r.t / S)).toEqual([2.5, 5.5]);
    expect(f.rescinded).toEqual([f.seen[0]!.offer, f.seen[1]!.offer]);
  });
});

describe('a scheduler launching beyond its offers', () => {
  // Launching more than an offer holds is the scheduler's error, not the master's: the tasks that
  // do not fit are refused (task_error) and the run goes on (accept validation, docs/model.md).
  // One agent <1 cpu, 1 GB>; job j (at 2): tasks 0 and 1 of <1 cpu, 512 MB>, 1 s. greedy accepts
  // [0, 1] on every offer once the job is there.
  // t=2: offer <1, 1024>: task 0 fits and runs 2..3; task 1 needs 1 cpu of the 0 left: refused.
  // t=3: task 0 is not pending any more (refused); task 1 runs 3..4.
  // t=4: both refused (neither pending); the whole offer is declined with the 5 s filter, which
  //      outlasts the run (5 s).
  test('launching beyond an offer refuses the tasks that do not fit; the run goes on', () => {
    const greedy = new ScriptedFramework((_o, d) => (d.tasks.jobs === 0 ? { kind: 'decline', refuseSeconds: 0 } : { kind: 'accept', tasks: [0, 1] }));
    const { sink, result } = run({
      agents: [agent('s1', 1, 1024)],
      frameworks: [fw('f', greedy)],
      jobs: [job('j', 'f', 2, 2, 1, 512, 1)],
      duration: 5,
    });
    expect(sink.of('task_error').map((r) => [r.t / S, r.task, r.reason])).toEqual([
      [2, 1, 'insufficient_resources'],
      [3, 0, 'task_not_pending'],
      [4, 0, 'task_not_pending'],
      [4, 1, 'task_not_pending'],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => [r.t / S, r.task]),
    ).toEqual([
      [2, 0],
      [3, 1],
    ]);
    expect(result.reason).toBe('duration');
  });
});
