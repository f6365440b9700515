/**
 * Static reservations in the master, end to end through simulate(): who is offered what, how
 * tasks split between a reservation and the unreserved pool, refuse filters on reserved offers,
 * and the per-pool invariant. Expected numbers are worked out by hand in the comments.
 */
import fc from 'fast-check';
import type { AllocationContext, Allocator } from '../../allocators/types.js';
import { getAllocator } from '../../allocators/registry.js';
import { seconds } from '../kernel/time.js';
import { BatchFramework } from './frameworks/batch.js';
import type { JobSpec } from './job.js';
import { resources, toFixed } from './resources.js';
import { simulate, type AgentSpec, type FrameworkSpec } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';
import { agentIx, frameworkIx } from './ids.js';

const S = 1_000_000;

function job(id: string, framework: string, n: number, cpus: number, mem: number, duration: number): JobSpec {
  const res = resources({ cpus, mem });
  return { id, framework, submit: seconds(0), tasks: Array.from({ length: n }, () => ({ res, duration: seconds(duration) })) };
}

/** One agent of cpus 4, mem 4096, of which cpus(ads):2;mem(ads):2048 reserved. */
const agent = (): AgentSpec => ({
  name: 's1',
  rack: 'r',
  res: resources({ cpus: 4, mem: 4096 }),
  reserved: [{ role: 'ads', res: resources({ cpus: 2, mem: 2048 }) }],
});

function run(
  frameworks: FrameworkSpec[],
  jobs: JobSpec[],
  opts: { duration?: number; allocator?: Allocator; agents?: AgentSpec[]; mode?: 'monolithic' | 'shared-state' } = {},
) {
  const sink = new RecordingSink();
  const result = simulate({
    seed: 1,
    ...(opts.mode === undefined ? {} : { mode: opts.mode }),
    master: { allocationInterval: seconds(1) },
    allocator: opts.allocator ?? getAllocator('drf')!.create({}),
    agents: opts.agents ?? [agent()],
    frameworks,
    weights: new Map(),
    jobs,
    duration: opts.duration === undefined ? undefined : seconds(opts.duration),
    sinks: [sink],
  });
  const running = sink.of('task_state').filter((r) => r.state === 'running');
  return { sink, result, running };
}

describe('static reservations end to end', () => {
  // Role ads has no framework: only the unreserved cpus 2, mem 2048 are ever offered. 'other'
  // runs 4 tasks of 1 cpu, 1024 mem, 10.5 s: two start at 0, end at 10.5, and the freed cpus
  // go out at the next periodic run, t = 11; the last two end at 21.5.
  test('a reservation of a role without frameworks is never offered', () => {
    const { sink, result, running } = run([{ name: 'other', role: '*', behaviour: new BatchFramework() }], [job('j', 'other', 4, 1, 1024, 10.5)]);
    expect(running.map((r) => r.t / S)).toEqual([0, 0, 11, 11]);
    expect(result.endTime / S).toBe(21.5);
    const offers = sink.of('offer_sent');
    expect(offers.length).toBeGreaterThan(0);
    for (const o of offers) expect(o.res[0]).toBeLessThanOrEqual(toFixed(2));
  });

  // 'other' (role *) has 4 tasks, 'ads-fw' (role ads) 3, each of 1 cpu, 1024 mem, 10.5 s.
  // t=0: both roles at share 0, count 0: '*' < 'ads' by name, so other gets the unreserved
  //   cpus 2, mem 2048 (the reservation is not allocatable to '*'); then ads-fw gets its
  //   reservation, cpus 2, mem 2048. Each launches 2 tasks. Offers: [other, 2], [ads-fw, 2].
  // t=10.5: all four end. t=11: shares 0 again, counts 1 and 1, so '*' first again: other gets
  //   the unreserved 2 cpus and launches its last 2 tasks; ads-fw gets its reservation and
  //   launches its last task. Everything ends at 21.5.
  test('a role gets its reservation, others the unreserved rest', () => {
    const { sink, result, running } = run(
      [
        { name: 'other', role: '*', behaviour: new BatchFramework() },
        { name: 'ads-fw', role: 'ads', behaviour: new BatchFramework() },
      ],
      [job('o', 'other', 4, 1, 1024, 10.5), job('a', 'ads-fw', 3, 1, 1024, 10.5)],
    );
    expect(running.map((r) => [r.framework, r.t / S])).toEqual([
      [0, 0],
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 11],
      [0, 11],
      [1, 11],
    ]);
    expect(result.endTime / S).toBe(21.5);
    expect(
      sink
        .of('offer_sent')
        .filter((o) => o.t === 0)
        .map((o) => [o.framework, o.res[0]! / toFixed(1)]),
    ).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  // ads-fw (role ads/batch: the ads reservation is allocatable to a descendant) is alone at t=0
  // and is offered the whole agent, 4 cpus of which 2 reserved. It launches one task of 1 cpu,
  // 1024 mem, which takes the reserved part first, and gives the rest back with no filter.
  // 'other' registers at 0.5, which runs the allocator at once: role '*' (share 0) comes before
  // ads/batch (which holds 1 of 4 cpus) and is offered all the unreserved cpus, 2 (had the task
  // used unreserved resources, only 1 would be left); ads-fw then gets the reserved cpu left, 1.
  test('tasks use reserved resources first', () => {
    const ads = new ScriptedFramework((o, d, self) =>
      self.seen.length === 1 ? { kind: 'accept', tasks: [d.tasks.firstTask[0]!], refuseSeconds: 0 } : { kind: 'hold' },
    );
    const other = new ScriptedFramework(() => ({ kind: 'hold' }));
    const { sink } = run(
      [
        { name: 'ads-fw', role: 'ads/batch', behaviour: ads },
        { name: 'other', role: '*', behaviour: other, addAt: seconds(0.5) },
      ],
      [job('a', 'ads-fw', 1, 1, 1024, 100)],
      { duration: 3 },
    );
    expect(ads.seen.map((s) => [s.t / S, s.cpus / toFixed(1)])).toEqual([
      [0, 4],
      [0.5, 1],
    ]);
    expect(other.seen.map((s) => [s.t / S, s.cpus / toFixed(1)])).toEqual([[0.5, 2]]);
    expect(sink.of('offer_sent').map((o) => o.framework)).toEqual([0, 1, 0]);
  });

  // A fully reserved agent (cpus 2, mem 2048, all for ads). ads-fw declines with refuse 10 s:
  // the filter covers the offer's sum, so the reserved resources are not offered again until
  // it expires at t=10 (before that instant's periodic run), then again at 20.
  test('a refuse filter blocks a reserved offer like any other', () => {
    const fw = new ScriptedFramework(() => ({ kind: 'decline', refuseSeconds: 10 }));
    const full: AgentSpec = {
      name: 's1',
      rack: 'r',
      res: resources({ cpus: 2, mem: 2048 }),
      reserved: [{ role: 'ads', res: resources({ cpus: 2, mem: 2048 }) }],
    };
    run([{ name: 'ads-fw', role: 'ads', behaviour: fw }], [], { duration: 25, agents: [full] });
    expect(fw.seen.map((s) => s.t / S)).toEqual([0, 10, 20]);
  });
});

describe.each(['monolithic', 'shared-state'] as const)('static reservations under %s', (mode) => {
  // No offers and no tick. Tasks are 1 cpu, 1024 mem, 10.5 s. 'other' (role *) can only use the
  // unreserved cpus 2, mem 2048; 'ads-fw' (role ads) takes its reservation (cpus 2, mem 2048)
  // first. At t=0, in DRF order (monolithic: ads-fw < other by name, then alternating) or
  // registration order (shared-state: other fills the unreserved pool, then ads-fw the
  // reservation), each places 2 tasks; ads-fw's third fits nowhere. At 10.5 all four end and the
  // rest are placed at once: other's last 2, ads-fw's last 1. Everything ends at 21. Had ads-fw's
  // tasks taken unreserved resources first, under monolithic other would have got only one slot.
  test("each framework uses the unreserved pool plus its own role's reservation, reserved first", () => {
    const { result, running } = run(
      [
        { name: 'other', role: '*', behaviour: new BatchFramework() },
        { name: 'ads-fw', role: 'ads', behaviour: new BatchFramework() },
      ],
      [job('o', 'other', 4, 1, 1024, 10.5), job('a', 'ads-fw', 3, 1, 1024, 10.5)],
      { mode },
    );
    const at = (fw: number) => running.filter((r) => r.framework === fw).map((r) => r.t / S);
    expect(at(0)).toEqual([0, 0, 10.5, 10.5]);
    expect(at(1)).toEqual([0, 0, 10.5]);
    expect(result.endTime / S).toBe(21);
  });
});

/** An allocator that makes one scripted offer per run through `offer`, to test the master's checks. */
function rogue(offer: (ctx: AllocationContext) => void): Allocator {
  const base = getAllocator('drf')!.create({});
  return {
    ...base,
    name: 'rogue',
    setWeight: () => {},
    addFramework: () => {},
    removeFramework: () => {},
    activateFramework: () => {},
    deactivateFramework: () => {},
    addAgent: () => {},
    removeAgent: () => {},
    recover: () => {},
    allocate: (ctx) => offer(ctx),
  };
}

describe('the master checks reserved offers', () => {
  const two = resources({ cpus: 2, mem: 2048 });
  const fws = (role: string): FrameworkSpec[] => [{ name: 'f', role, behaviour: new ScriptedFramework(() => ({ kind: 'hold' })) }];

  test('reserved resources offered to a role that may not have them', () => {
    expect(() => run(fws('*'), [], { duration: 1, allocator: rogue((ctx) => ctx.offer(frameworkIx(0), agentIx(0), resources({}), two)) })).toThrow(
      /no reservation there is allocatable/,
    );
    expect(() => run(fws('adsx'), [], { duration: 1, allocator: rogue((ctx) => ctx.offer(frameworkIx(0), agentIx(0), resources({}), two)) })).toThrow(
      /no reservation there is allocatable/,
    );
  });

  test('more reserved resources than are free', () => {
    expect(() =>
      run(fws('ads'), [], { duration: 1, allocator: rogue((ctx) => ctx.offer(frameworkIx(0), agentIx(0), resources({}), resources({ cpus: 3 }))) }),
    ).toThrow(/of it is free/);
  });

  test("the context reads a role's (or an ancestor's) free reservation", () => {
    const seen: (number | boolean)[] = [];
    const out = new Float64Array(4);
    run(fws('ads'), [], {
      duration: 1,
      allocator: rogue((ctx) => {
        seen.push(
          ctx.reservedAvailable(agentIx(0), 'ads/x', out),
          out[0]! / toFixed(1),
          ctx.reservedAvailable(agentIx(0), '*', out),
          ctx.reservedAvailable(agentIx(0), 'adsx', out),
        );
      }),
    });
    expect(seen.slice(0, 4)).toEqual([true, 2, false, false]);
  });

  test('reservations beyond the agent total', () => {
    const bad: AgentSpec = { name: 's1', rack: 'r', res: resources({ cpus: 1, mem: 2048 }), reserved: [{ role: 'ads', res: two }] };
    expect(() => run(fws('ads'), [], { duration: 1, agents: [bad] })).toThrow(/reservations exceed its total/);
  });

  test('nested reserving roles on one agent', () => {
    const bad: AgentSpec = {
      name: 's1',
      rack: 'r',
      res: resources({ cpus: 4, mem: 4096 }),
      reserved: [
        { role: 'ads', res: resources({ cpus: 1 }) },
        { role: 'ads/x', res: resources({ cpus: 1 }) },
      ],
    };
    expect(() => run(fws('ads'), [], { duration: 1, agents: [bad] })).toThrow(/overlap/);
  });
});

describe('property: random clusters with reservations keep every pool consistent', () => {
  // The master checks free + offered + allocated = total for the unreserved pool and every
  // reservation on every change and throws on a break; every task fits somewhere (1 cpu, 512 MB
  // on agents of at least 2 cpus, 2048 MB unreserved), so every job finishes.
  const ROLES = ['*', 'a', 'a/x', 'b'];
  const POLICIES = ['drf', 'random', 'fifo', 'asset', 'monolithic', 'shared-state'];
  test('no invariant breaks and every job finishes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpus: fc.integer({ min: 2, max: 8 }), rcpus: fc.integer({ min: 0, max: 6 }), owner: fc.constantFrom('a', 'b', 'a/x') }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.record({ role: fc.constantFrom(...ROLES), tasks: fc.integer({ min: 1, max: 6 }), duration: fc.integer({ min: 1, max: 5 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom(...POLICIES),
        fc.integer({ min: 0, max: 1000 }),
        (agentDefs, fwDefs, policy, seed) => {
          const agents: AgentSpec[] = agentDefs.map((d, i) => {
            const r = Math.min(d.rcpus, d.cpus);
            return {
              name: `s${i}`,
              rack: 'r',
              res: resources({ cpus: d.cpus + 2, mem: 4096 }),
              ...(r > 0 ? { reserved: [{ role: d.owner, res: resources({ cpus: r, mem: 2048 }) }] } : {}),
            };
          });
          const frameworks: FrameworkSpec[] = fwDefs.map((d, i) => ({ name: `f${i}`, role: d.role, behaviour: new BatchFramework() }));
          const jobs = fwDefs.map((d, i) => job(`j${i}`, `f${i}`, d.tasks, 1, 512, d.duration));
          const entry = getAllocator(policy)!;
          const sink = new RecordingSink();
          simulate({
            seed,
            ...(entry.architecture === undefined ? {} : { mode: entry.architecture }),
            master: { allocationInterval: seconds(1) },
            allocator: entry.create({}),
            agents,
            frameworks,
            weights: new Map(),
            jobs,
            duration: undefined,
            sinks: [sink],
          });
          expect(sink.of('job_finished')).toHaveLength(fwDefs.length);
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
