/**
 * cpu-share allocator tests: the memory hog that single-resource fairness lets through and DRF
 * stops, worked out by hand; memory never counts; on a cpus-only cluster it is DRF; and (with
 * asset) the drf parameters, quota, work as under drf.
 */
import { RandomStream } from '../sim/kernel/rng.js';
import { resources } from '../sim/model/resources.js';
import { createCpuShareAllocator } from './cpu-share.js';
import { getAllocator } from './registry.js';
import { MiniMaster } from './test-support/fake-context.js';
import { fillTwoUsers } from './test-support/progressive-filling.js';
import { expectSameOffersOnCpusOnlyClusters } from './test-support/same-offers.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import { checkParams } from './types.js';

const GB = 1024;
const vec = (cpus: number, mem: number) => resources({ cpus, mem });

describe('cpu-share', () => {
  test('a memory hog keeps getting agents under cpu-share; DRF stops it', () => {
    // Agent X <1 cpu, 12 GB> goes to the hog (the cpu user is filtered there). Then three agents
    // Y <1 cpu, 0.5 GB> join; total <4 cpus, 13.5 GB>. One run over the Ys:
    // cpu-share: hog = 1/4 (count 1), cpu = 0        -> cpu = 1/4
    //            hog 1/4 = cpu 1/4, counts 1 = 1, role 'c' < 'h' -> cpu = 2/4
    //            hog 1/4 < cpu 2/4                   -> hog
    // drf:       hog = max(1/4, 12/13.5) = .89; cpu 0 -> .25 -> .50 -> .75, each < .89: all three
    const run = (allocator: Allocator) => {
      const m = new MiniMaster(allocator, 4);
      const cpu = m.addFramework('cpu-user', 'c');
      m.addFramework('hog', 'h');
      const x = m.addAgent(vec(1, 12 * GB));
      m.ctx.filter(cpu, x);
      expect(m.run(new RandomStream(1, 'x'), [x]).map((o) => m.frameworks[o.fw]!.name)).toEqual(['hog']);
      const ys = [m.addAgent(vec(1, GB / 2)), m.addAgent(vec(1, GB / 2)), m.addAgent(vec(1, GB / 2))];
      return m.run(new RandomStream(1, 'y'), ys).map((o) => m.frameworks[o.fw]!.name);
    };
    expect(run(createCpuShareAllocator())).toEqual(['cpu-user', 'cpu-user', 'hog']);
    expect(run(getAllocator('drf')!.create({}))).toEqual(['cpu-user', 'cpu-user', 'cpu-user']);
  });

  test('progressive filling <9 cpus, 18 GB>, A <1, 4 GB>, B <3, 1 GB>: cpus alone decide the order', () => {
    // Per task: A = 1/9, B = 3/9 of cpus; memory is ignored.
    //   run 1: 0 = 0, 'a'                -> A 1/9      run 4: A 2/9 < B 3/9    -> A 3/9
    //   run 2: B 0                       -> B 3/9      run 5: 3/9 = 3/9, A count 3 > B 1 -> B 6/9
    //   run 3: A 1/9 < 3/9               -> A 2/9      cpus are full: A 3, B 2; then A and B decline
    // (DRF launches A, B, A, B, A: A's memory, 4/18 a task, makes it dominant.)
    const got = fillTwoUsers(createCpuShareAllocator(), vec(9, 18 * GB), vec(1, 4 * GB), vec(3, GB), new RandomStream(1, 'f'));
    expect(got.launches).toEqual(['A', 'B', 'A', 'A', 'B']);
    expect(got.tasks).toEqual({ A: 3, B: 2 });
  });

  test('excludedResources has no effect (the share is cpus), but a typo is still rejected', () => {
    expect(() => createCpuShareAllocator({ excludedResources: ['gpu'] })).toThrow(/gpu/);
    const names = (excluded: readonly string[]) => {
      const m = new MiniMaster(createCpuShareAllocator({ excludedResources: excluded }), 3);
      m.addFramework('a', 'a');
      m.addFramework('b', 'b');
      m.addAgent(vec(2, 100));
      m.addAgent(vec(1, 4000));
      m.addAgent(vec(1, 4000));
      return m.run(new RandomStream(3, 'e')).map((o) => [o.fw, o.agent]);
    };
    expect(names(['cpus'])).toEqual(names([]));
  });

  test('property: on a cluster with cpus only, cpu-share offers exactly what drf offers', () => {
    expectSameOffersOnCpusOnlyClusters(createCpuShareAllocator, () => getAllocator('drf')!.create({}), 9090);
  });
});

describe.each(['asset', 'cpu-share'])('%s: the drf parameters (quota)', (name) => {
  test('are documented and checked like drf, and a limit chops the offer', () => {
    const entry = getAllocator(name)!;
    expect(entry.params?.map((p) => p.name)).toEqual(getAllocator('drf')!.params?.map((p) => p.name));
    expect(checkParams(entry, { quota: { a: { limit: { cpus: 1 } } } })).toEqual([]);
    expect(checkParams(entry, { quota: { 'a/b': {} } }).map((p) => p.path)).toEqual([['quota', 'a/b']]);
    // Role a may hold 1 cpu. One agent <2 cpus, 1 GB>: a comes first (both 0, 'a' < 'b') and is
    // offered the agent chopped to 1 cpu (memory is not limited); the rest <1 cpu, 0> goes on to b.
    const m = new MiniMaster(entry.create({ params: { quota: { a: { limit: { cpus: 1 } } } } }), 1);
    m.addFramework('A', 'a');
    m.addFramework('B', 'b');
    m.addAgent(vec(2, GB));
    const made = m.run(new RandomStream(1, 'q'));
    expect(made.map((o) => [m.frameworks[o.fw]!.name, Array.from(o.res)])).toEqual([
      ['A', Array.from(vec(1, GB))],
      ['B', Array.from(vec(1, 0))],
    ]);
  });
});
