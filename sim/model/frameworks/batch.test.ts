/**
 * Delay scheduling in the batch framework (Zaharia et al. 2010, as in notes §3.2), driven offer by
 * offer through a fake driver so every decision can be worked out by hand, plus remote slowdown
 * and the task_locality record end to end through simulate(). Times in the comments are seconds.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { seconds, type SimTime } from '../../kernel/time.js';
import type { OfferView, SchedulerDriver } from '../framework.js';
import { Locality, TaskCode, TaskTable, type JobSpec, type TaskSpec } from '../job.js';
import { resources } from '../resources.js';
import { simulate } from '../simulation.js';
import { RecordingSink } from '../test-support/scripted.js';
import { BatchFramework, type BatchOptions } from './batch.js';
import { agentIx, taskIx, type JobIx, type TaskIx } from '../ids.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

/** Agents 0 a1 (rack r1), 1 a2 (rack r1), 2 b1 (rack r2). */
const AGENTS = [
  ['a1', 'r1'],
  ['a2', 'r1'],
  ['b1', 'r2'],
] as const;

interface Answer {
  readonly t: number;
  readonly agent: number;
  /** launched task ids; [] for a decline */
  readonly tasks: readonly number[];
  readonly refuse: number | undefined;
}

/** A driver that records answers and marks accepted tasks running, as the master does. */
class FakeDriver implements SchedulerDriver {
  now = 0 as SimTime;
  readonly tasks = new TaskTable();
  readonly answers: Answer[] = [];
  suppressed = false;
  private offerAgent = new Map<number, number>();
  private nextOffer = 0;
  constructor() {
    AGENTS.forEach(([name, rack], a) => this.tasks.registerAgent(a, name, rack));
  }
  rackOf(agent: number): string {
    return AGENTS[agent]![1];
  }
  accept(offer: number, taskIds: readonly number[], refuseSeconds?: number): void {
    for (const t of taskIds) this.tasks.state[t] = TaskCode.RUNNING;
    this.answers.push({ t: this.now / S, agent: this.offerAgent.get(offer)!, tasks: [...taskIds], refuse: refuseSeconds });
  }
  decline(offer: number, refuseSeconds?: number): void {
    this.answers.push({ t: this.now / S, agent: this.offerAgent.get(offer)!, tasks: [], refuse: refuseSeconds });
  }
  suppress(): void {
    this.suppressed = true;
  }
  resubmit(): number {
    throw new Error('the batch framework never resubmits a task');
  }
  kill(): void {
    throw new Error('the batch framework never kills a task');
  }
  restartJob(): JobIx {
    throw new Error('the batch framework never restarts a job');
  }
  revive(): void {
    this.suppressed = false;
  }
  /** timers set with after(), in (time, creation) order when run */
  readonly timers: { at: number; fn: () => void }[] = [];
  readonly log: string[] = [];
  after(delaySeconds: number, fn: () => void): void {
    this.timers.push({ at: this.now + Math.round(delaySeconds * S), fn });
  }
  decided(job: number, start: SimTime, tasks: number): void {
    if (this.now > start) this.log.push(`decision ${job} ${start / S}-${this.now / S} ${tasks}`);
  }
  abandon(job: number, dropped: number, attempts: number): void {
    this.log.push(`abandoned ${job} at ${this.now / S} dropped ${dropped} after ${attempts}`);
  }
  /** Offers `cpus` on `agent` at time `sec` and returns the answer. */
  offer(fw: BatchFramework, sec: number, agent: number, cpus = 1): Answer {
    this.now = seconds(sec);
    const id = this.nextOffer++;
    this.offerAgent.set(id, agent);
    const view: OfferView = { id, agent: agentIx(agent), res: resources({ cpus }) };
    fw.onOffers([view], this);
    return this.answers[this.answers.length - 1]!;
  }
  submit(fw: BatchFramework, sec: number, prefs: readonly (readonly string[] | undefined)[]): JobIx {
    return this.submitRes(fw, sec, 1, prefs);
  }
  /** Submits a job whose tasks need `cpus` each. */
  submitRes(fw: BatchFramework, sec: number, cpus: number, prefs: readonly (readonly string[] | undefined)[]): JobIx {
    this.now = seconds(sec);
    const tasks: TaskSpec[] = prefs.map((p) => ({ res: resources({ cpus }), duration: seconds(10), ...(p === undefined ? {} : { preferredAgents: p }) }));
    const spec: JobSpec = { id: `j${this.tasks.jobs}`, submit: this.now, framework: 'f', tasks };
    const j = this.tasks.addJob(spec, 0);
    fw.onJobSubmitted(j, this);
    return j;
  }
}

const launched = (a: Answer): readonly number[] => a.tasks;

describe('task locality of a launch', () => {
  test('node on a preferred agent, rack on its rack (or a preferred rack), remote elsewhere, none without preferences', () => {
    const d = new FakeDriver();
    d.tasks.addJob(
      {
        id: 'j',
        submit: 0 as SimTime,
        framework: 'f',
        tasks: [
          { res: ONE_CPU, duration: 1 as SimTime, preferredAgents: ['a1'] },
          { res: ONE_CPU, duration: 1 as SimTime, preferredRacks: ['r2'] },
          { res: ONE_CPU, duration: 1 as SimTime },
        ],
      },
      0,
    );
    // task 0 prefers a1 (rack r1): a1 node, a2 rack (same rack as a1), b1 remote
    expect([0, 1, 2].map((a) => d.tasks.localityOf(0, a))).toEqual([Locality.NODE, Locality.RACK, Locality.REMOTE]);
    // task 1 prefers rack r2 only: b1 rack-local, the r1 agents remote; it can never be node-local
    expect([0, 1, 2].map((a) => d.tasks.localityOf(1, a))).toEqual([Locality.REMOTE, Locality.REMOTE, Locality.RACK]);
    expect([0, 1, 2].map((a) => d.tasks.localityOf(2, a))).toEqual([Locality.NONE, Locality.NONE, Locality.NONE]);
  });
});

describe('delay scheduling', () => {
  const delayed = (o: BatchOptions = {}): BatchFramework => new BatchFramework({ refuseSeconds: 1, nodeLocalWait: 3, rackLocalWait: 2, ...o });

  // One task preferring a1 (rack r1), submitted at 0; node wait 3 s, rack wait 2 s.
  // t=0   b1: waited 0 < 3, only node-local allowed -> decline (refuse 1 s as configured)
  // t=0   a2: same -> decline
  // t=2.9 a2: waited 2.9 < 3 -> decline
  // t=3   b1: waited 3 >= 3 allows rack-local, but b1 is off-rack (needs 3 + 2 = 5) -> decline
  // t=4.9 b1: 4.9 < 5 -> decline
  // t=5   b1: 5 >= 5 -> launched remote
  test('waits the node-local wait, then goes rack-local, then after both waits remote', () => {
    const fw = delayed();
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1']]);
    expect(launched(d.offer(fw, 0, 2))).toEqual([]);
    expect(d.answers[0]!.refuse).toBe(1);
    expect(launched(d.offer(fw, 0, 1))).toEqual([]);
    expect(launched(d.offer(fw, 2.9, 1))).toEqual([]);
    expect(launched(d.offer(fw, 3, 2))).toEqual([]);
    expect(launched(d.offer(fw, 4.9, 2))).toEqual([]);
    // pending tasks wait for locality: the framework must not suppress meanwhile
    expect(d.suppressed).toBe(false);
    expect(fw.pendingTasks()).toBe(1);
    expect(launched(d.offer(fw, 5, 2))).toEqual([0]);
    // nothing pending any more: now it suppresses
    expect(d.suppressed).toBe(true);
  });

  // Same job; at t=3 (waited 3 >= 3) an offer on a2, same rack as a1, launches it rack-local.
  test('a same-rack offer after the node-local wait launches rack-local', () => {
    const fw = delayed();
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1']]);
    expect(launched(d.offer(fw, 1, 1))).toEqual([]);
    expect(launched(d.offer(fw, 3, 1))).toEqual([0]);
  });

  test('a node-local offer launches at once', () => {
    const fw = delayed();
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1']]);
    expect(launched(d.offer(fw, 0, 0))).toEqual([0]);
  });

  // Four tasks (ids 0-3), all preferring a1; node wait 3 s, rack wait 100 s (no remote here).
  // t=0 a1: task 0 node-local; the wait restarts at 0
  // t=2 a2: waited 2 < 3 -> decline
  // t=3 a2: waited 3 -> task 1 rack-local; a rack-local launch does not restart the wait
  // t=4 a1: task 2 node-local; the wait restarts at 4
  // t=5 a2: waited 5 - 4 = 1 < 3 -> decline (without the reset it would have waited 5 >= 3)
  // t=7 a2: waited 3 -> task 3 rack-local
  test('a node-local launch resets the level', () => {
    const fw = delayed({ rackLocalWait: 100 });
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1'], ['a1'], ['a1'], ['a1']]);
    expect(launched(d.offer(fw, 0, 0))).toEqual([0]);
    expect(launched(d.offer(fw, 2, 1))).toEqual([]);
    expect(launched(d.offer(fw, 3, 1))).toEqual([1]);
    expect(launched(d.offer(fw, 4, 0))).toEqual([2]);
    expect(launched(d.offer(fw, 5, 1))).toEqual([]);
    expect(launched(d.offer(fw, 6.9, 1))).toEqual([]);
    expect(launched(d.offer(fw, 7, 1))).toEqual([3]);
  });

  // Tasks 0 (prefers b1), 1 (prefers a1), 2 (no preference); an offer of 2 cpus on a1 at t=0.
  // Delay on: node-local first (task 1), then the task without preference (2); task 0 would be
  //   remote and has to wait.
  // Delay off (both waits 0): index order as today, tasks 0 and 1, whatever their locality.
  test('local tasks first with delay; plain index order with zero waits', () => {
    const d1 = new FakeDriver();
    const on = delayed();
    d1.submit(on, 0, [['b1'], ['a1'], undefined]);
    expect(launched(d1.offer(on, 0, 0, 2))).toEqual([1, 2]);

    const d2 = new FakeDriver();
    const off = new BatchFramework({ refuseSeconds: 1, remoteSlowdown: 2 });
    d2.submit(off, 0, [['b1'], ['a1'], undefined]);
    expect(launched(d2.offer(off, 0, 0, 2))).toEqual([0, 1]);
  });

  // Jobs without any preference get the plain walk even with delay on: same answers as default.
  test('jobs without preferences are not delayed', () => {
    const answers = (fw: BatchFramework): Answer[] => {
      const d = new FakeDriver();
      for (let j = 0; j < 3; j++) d.submit(fw, 0, [undefined, undefined]);
      for (let k = 0; k < 6; k++) d.offer(fw, k, k % 3, 1 + (k % 3));
      return d.answers;
    };
    expect(answers(delayed())).toEqual(answers(new BatchFramework({ refuseSeconds: 1 })));
  });

  // With zero waits, the answers to the same offers are those of a default batch framework,
  // preferences or not: 3 jobs of 2 tasks, offers of 1..3 cpus on rotating agents.
  test('zero waits answer exactly as the default batch framework', () => {
    const prefs = [['b1'], ['a1']] as const;
    const answers = (fw: BatchFramework): Answer[] => {
      const d = new FakeDriver();
      for (let j = 0; j < 3; j++) d.submit(fw, 0, prefs);
      for (let k = 0; k < 6; k++) d.offer(fw, k, k % 3, 1 + (k % 3));
      return d.answers;
    };
    const base = answers(new BatchFramework());
    expect(answers(new BatchFramework({ nodeLocalWait: 0, rackLocalWait: 0 }))).toEqual(base);
    // by hand: t0 a1 1 cpu -> task 0; t1 a2 2 cpus -> 1, 2; t2 b1 3 cpus -> 3, 4, 5; rest declined
    expect(base.map((a) => a.tasks)).toEqual([[0], [1, 2], [3, 4, 5], [], [], []]);
  });
});

describe("delay scheduling counted in skips (the paper's D)", () => {
  const skipping = (o: BatchOptions = {}): BatchFramework => new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 2, rackLocalSkips: 1, ...o });

  // One task preferring a1 (rack r1); D = 2 node-local skips, then 1 more before remote.
  // Time plays no part: every offer is at t=100.
  // offer b1: skips 0 < 2, only node-local -> decline, skips 1
  // offer b1: skips 1 < 2 -> decline, skips 2
  // offer b1: skips 2 allows rack-local, b1 is off-rack -> decline, skips 3
  // offer b1: skips 3 >= 2 + 1 -> launched remote
  test('skips, not seconds, open the levels', () => {
    const fw = skipping();
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1']]);
    for (let k = 0; k < 3; k++) expect(launched(d.offer(fw, 100, 2))).toEqual([]);
    expect(launched(d.offer(fw, 100, 2))).toEqual([0]);
  });

  // Same, but the third offer is a2 (rack r1): after 2 skips rack-local is allowed -> launched.
  test('after the node-local skips a same-rack offer launches rack-local', () => {
    const fw = skipping();
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1']]);
    expect(launched(d.offer(fw, 0, 2))).toEqual([]);
    expect(launched(d.offer(fw, 0, 2))).toEqual([]);
    expect(launched(d.offer(fw, 0, 1))).toEqual([0]);
  });

  // Tasks 0-2 prefer a1; D = 1 node-local skip, rack skips 100 (no remote here).
  // b1: decline, skips 1.  a1: task 0 node-local, skips reset to 0.  a2: skips 0 < 1 -> decline,
  // skips 1.  a2: rack-local allowed -> task 1 (a rack-local launch does not reset).  a2: skips
  // still 1 -> task 2 rack-local.
  test('a node-local launch resets the skip count; a rack-local one does not', () => {
    const fw = skipping({ nodeLocalSkips: 1, rackLocalSkips: 100 });
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1'], ['a1'], ['a1']]);
    expect(launched(d.offer(fw, 0, 2))).toEqual([]);
    expect(launched(d.offer(fw, 0, 0))).toEqual([0]);
    expect(launched(d.offer(fw, 0, 1))).toEqual([]);
    expect(launched(d.offer(fw, 0, 1))).toEqual([1]);
    expect(launched(d.offer(fw, 0, 1))).toEqual([2]);
  });

  // An offer too small for any task is not a skip: a 2-cpu task preferring a1 sees three 1-cpu
  // offers on b1 (nothing fits: no skip), then a 2-cpu offer on b1 (skip 1), then with D = 1
  // and rack skips 0 the next 2-cpu b1 offer launches remote.
  test('an offer nothing fits in is not counted as a skip', () => {
    const fw = skipping({ nodeLocalSkips: 1, rackLocalSkips: 0 });
    const d = new FakeDriver();
    d.submitRes(fw, 0, 2, [['a1']]);
    for (let k = 0; k < 3; k++) expect(launched(d.offer(fw, 0, 2, 1))).toEqual([]);
    expect(launched(d.offer(fw, 0, 2, 2))).toEqual([]);
    expect(launched(d.offer(fw, 0, 2, 2))).toEqual([0]);
  });

  // preferLocal with no wait: the node-local task first, then at once anything else (D = 0).
  // Tasks 0 (prefers b1) and 1 (prefers a1); a 1-cpu offer on a1 launches task 1, not task 0 (the
  // plain walk would take task 0); the next 1-cpu offer on a2 launches task 0 remote at once.
  test('preferLocal picks node-local tasks first without waiting', () => {
    const fw = new BatchFramework({ refuseSeconds: 1, preferLocal: true });
    const d = new FakeDriver();
    d.submit(fw, 0, [['b1'], ['a1']]);
    expect(launched(d.offer(fw, 0, 0))).toEqual([1]);
    expect(launched(d.offer(fw, 0, 1))).toEqual([0]);
  });

  test('waits and skips together are rejected', () => {
    expect(() => new BatchFramework({ nodeLocalWait: 1, nodeLocalSkips: 2 })).toThrow(/not both/);
    expect(() => new BatchFramework({ nodeLocalSkips: 1.5 })).toThrow(/nodeLocalSkips/);
  });
});

describe('which launches reset the skip count (resetSkipsOn)', () => {
  // Three tasks preferring a1; D = 2 node-local skips, then remote at once (rackLocalSkips 0).
  // Six 1-cpu offers on b1 (rack r2: remote for every task), all at t=0.
  //   offer:                 1        2        3            4             5             6
  //   node-local (Alg. 1):   skip→1   skip→2   task 0 (2)   task 1 (2)    task 2 (2)    -
  //   every-launch:          skip→1   skip→2   task 0 →0    skip→1        skip→2        task 1 →0
  // (the skip count after the offer in brackets or after the arrow). Under Algorithm 1 a remote
  // launch leaves the count at D, so every later offer launches remote at once; when every
  // launch resets it, each task waits its own D skips, as the paper's section 3.5 assumes.
  const remoteOffers = (fw: BatchFramework): (readonly number[])[] => {
    const d = new FakeDriver();
    d.submit(fw, 0, [['a1'], ['a1'], ['a1']]);
    return Array.from({ length: 6 }, () => launched(d.offer(fw, 0, 2)));
  };

  test('node-local (the default, Algorithm 1): a remote launch does not reset the count', () => {
    const expected = [[], [], [0], [1], [2], []];
    expect(remoteOffers(new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 2 }))).toEqual(expected);
    expect(remoteOffers(new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 2, resetSkipsOn: 'node-local' }))).toEqual(expected);
  });

  test('every-launch: each launch, remote too, starts the count again', () => {
    expect(remoteOffers(new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 2, resetSkipsOn: 'every-launch' }))).toEqual([[], [], [0], [], [], [1]]);
  });

  // Tasks 0-2 prefer a1; D = 1 node-local skip, rack skips 100 (no remote here). Offers a2
  // (rack r1: rack-local for every task), 1 cpu each:
  //   node-local:    skip→1, task 0 rack-local (1), task 1 (1), task 2 (1)
  //   every-launch:  skip→1, task 0 rack-local →0, skip→1, task 1 →0
  test('every-launch resets on a rack-local launch too', () => {
    const rackOffers = (o: BatchOptions): (readonly number[])[] => {
      const fw = new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 1, rackLocalSkips: 100, ...o });
      const d = new FakeDriver();
      d.submit(fw, 0, [['a1'], ['a1'], ['a1']]);
      return Array.from({ length: 4 }, () => launched(d.offer(fw, 0, 1)));
    };
    expect(rackOffers({})).toEqual([[], [0], [1], [2]]);
    expect(rackOffers({ resetSkipsOn: 'every-launch' })).toEqual([[], [0], [], [1]]);
  });

  // One offer of 2 cpus on b1 after D = 1 skip, two tasks preferring a1: under Algorithm 1 both
  // launch remote from it; when every launch resets the count, the level is back to node-local
  // after the first, so the second waits (the rest of the offer is left unused).
  test('every-launch: one remote launch per offer, the level is node-local again for the rest of it', () => {
    const big = (o: BatchOptions): (readonly number[])[] => {
      const fw = new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 1, ...o });
      const d = new FakeDriver();
      d.submit(fw, 0, [['a1'], ['a1']]);
      return [launched(d.offer(fw, 0, 2, 2)), launched(d.offer(fw, 0, 2, 2))];
    };
    expect(big({})).toEqual([[], [0, 1]]);
    expect(big({ resetSkipsOn: 'every-launch' })).toEqual([[], [0]]);
  });

  // A node-local launch resets under both rules: tasks 0-1 prefer a1, D = 1, remote at once.
  // b1: skip→1.  a1: task 0 node-local →0.  b1: skip→1.  b1: task 1 remote.
  test('a node-local launch resets the count under both rules', () => {
    for (const resetSkipsOn of ['node-local', 'every-launch'] as const) {
      const fw = new BatchFramework({ refuseSeconds: 1, nodeLocalSkips: 1, resetSkipsOn });
      const d = new FakeDriver();
      d.submit(fw, 0, [['a1'], ['a1']]);
      expect([2, 0, 2, 2].map((agent) => launched(d.offer(fw, 0, agent)))).toEqual([[], [0], [], [1]]);
    }
  });

  test('an unknown rule, or a rule with waits in seconds, is rejected', () => {
    expect(() => new BatchFramework({ nodeLocalSkips: 1, resetSkipsOn: 'never' as 'node-local' })).toThrow(
      /resetSkipsOn must be one of node-local, every-launch/,
    );
    expect(() => new BatchFramework({ nodeLocalWait: 1, resetSkipsOn: 'every-launch' })).toThrow(/resetSkipsOn applies to skips/);
  });
});

describe('remote slowdown and task_locality records, end to end', () => {
  // Agents a1 (r1) and b1 (r2), 1 cpu each; framework with remoteSlowdown 1.5 and no waits.
  // Job: task 0 prefers a1, task 1 prefers a1, both 10 s. At t=0 DRF offers both agents; the
  // framework takes tasks in index order, one per offer: one lands on a1 (node-local, 10 s), the
  // other on b1 (remote: 10 * 1.5 = 15 s). The run ends at 15 s.
  test('non-local tasks run remoteSlowdown times longer; each task with preferences gets a record', () => {
    const sink = new RecordingSink();
    const tasks: TaskSpec[] = [0, 1].map(() => ({ res: ONE_CPU, duration: seconds(10), preferredAgents: ['a1'] }));
    const result = simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: [
        { name: 'a1', rack: 'r1', res: ONE_CPU },
        { name: 'b1', rack: 'r2', res: ONE_CPU },
      ],
      frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework({ remoteSlowdown: 1.5 }) }],
      weights: new Map(),
      jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'f', tasks }],
      sinks: [sink],
    });
    const loc = sink
      .of('task_locality')
      .map((r) => [r.agent, r.locality])
      .sort();
    expect(loc).toEqual([
      [0, 'node'],
      [1, 'remote'],
    ]);
    const ends = sink
      .of('task_state')
      .filter((r) => r.state === 'finished')
      .map((r) => [r.agent, r.t / S])
      .sort();
    expect(ends).toEqual([
      [0, 10],
      [1, 15],
    ]);
    expect(result.endTime / S).toBe(15);
  });

  test('tasks without preferences log no task_locality record', () => {
    const sink = new RecordingSink();
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: drf(),
      agents: [{ name: 'a1', rack: 'r1', res: ONE_CPU }],
      frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework({ remoteSlowdown: 3 }) }],
      weights: new Map(),
      jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'f', tasks: [{ res: ONE_CPU, duration: seconds(2) }] }],
      sinks: [sink],
    });
    expect(sink.of('task_locality')).toEqual([]);
    // no preference: no slowdown either
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'finished')
        .map((r) => r.t / S),
    ).toEqual([2]);
  });
});

function drf() {
  return getAllocator('drf')!.create({});
}

describe('job hooks of the shared-state baseline', () => {
  // Jobs 0 (tasks 0, 1, 2) and 1 (task 3). The head is job 0 until all its tasks are taken, in any
  // order (the caller launches each taken task at once, as the master does here by hand).
  test("headJob lists the head job's pending tasks; takeTask and dropHeadJob move the queue on", () => {
    const d = new FakeDriver();
    const fw = new BatchFramework({ decisionJob: 1, maxAttempts: 2 });
    expect(fw.decisionTime).toEqual({ job: 1, task: 0, maxAttempts: 2 });
    const out: TaskIx[] = [taskIx(7)];
    expect(fw.headJob(out)).toBe(-1);
    expect(out).toEqual([]);
    d.submit(fw, 0, [undefined, undefined, undefined]);
    d.submit(fw, 0, [undefined]);
    const take = (task: number): void => {
      fw.takeTask(taskIx(task));
      d.tasks.state[task] = TaskCode.RUNNING;
    };
    expect([fw.headJob(out), out]).toEqual([0, [0, 1, 2]]);
    take(1);
    expect([fw.headJob(out), out, fw.pendingTasks()]).toEqual([0, [0, 2], 3]);
    expect(() => fw.takeTask(taskIx(3))).toThrow(/not a pending task of the head job/);
    take(0);
    expect([fw.headJob(out), out]).toEqual([0, [2]]);
    take(2);
    expect([fw.headJob(out), out, fw.pendingTasks()]).toEqual([1, [3], 1]);
    expect(fw.dropHeadJob()).toBe(1);
    expect([fw.headJob(out), fw.pendingTasks(), fw.dropHeadJob()]).toEqual([-1, 0, 0]);
  });
});
