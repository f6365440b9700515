/**
 * Asset-fairness allocator tests: progressive filling with whole tasks, one per offer, worked
 * out by hand (the DRF paper's example, and one where asset fairness and DRF part ways), and the
 * property that on a one-resource cluster asset fairness is DRF.
 */
import { RandomStream } from '../sim/kernel/rng.js';
import { resources } from '../sim/model/resources.js';
import { getAllocator } from './registry.js';
import { MiniMaster } from './test-support/fake-context.js';
import { fillTwoUsers } from './test-support/progressive-filling.js';
import { expectSameOffersOnCpusOnlyClusters } from './test-support/same-offers.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import type { AllocatorOptions } from './types.js';

const GB = 1024;
const vec = (cpus: number, mem: number) => resources({ cpus, mem });
/** The registered `asset` policy: the hierarchical allocator with the asset sorter for roles and frameworks. */
const createAssetAllocator = (options: AllocatorOptions = {}): Allocator => getAllocator('asset')!.create(options);

/** Users A (role 'a') and B (role 'b') on one agent; returns the filling under `allocator`. */
function fill(allocator: Allocator, agent: Float64Array, taskA: Float64Array, taskB: Float64Array) {
  return fillTwoUsers(allocator, agent, taskA, taskB, new RandomStream(1, 'asset'));
}

describe('asset: progressive filling, one task per offer', () => {
  test('DRF paper example <9 cpus, 18 GB>, A <1, 4 GB>, B <3, 1 GB>: A 3 tasks, B 2', () => {
    // Asset share per task: A = 1/9 + 4/18 = 1/3, B = 3/9 + 1/18 = 7/18. Each run offers the
    // agent's free resources to the lower share (ties: allocation count, then role name 'a').
    //   run 1: A 0 = B 0, counts 0, 'a' first  -> A launches; A = 1/3 (.333)
    //   run 2: B 0                              -> B launches; B = 7/18 (.389)
    //   run 3: A .333 < B .389                  -> A; A = 2/3 (.667)
    //   run 4: B .389 < A .667                  -> B; B = 14/18 (.778)
    //   run 5: A .667 < B .778; free <1, 8 GB>  -> A; A = 1; used <9, 14 GB>
    //   run 6: B .778 < 1; free <0, 4 GB> has no cpus for B's task: B declines (filtered)
    //   run 7: A: no cpus for A's task either: declines (filtered); run 8 offers nothing.
    // With divisible tasks asset fairness gives A ~ 2.52 and B ~ 2.16 tasks (notes §3.3); whole
    // tasks end where DRF does (A 3, B 2) because cpus bind and A's last task fits the last cpu.
    const got = fill(createAssetAllocator(), vec(9, 18 * GB), vec(1, 4 * GB), vec(3, 1 * GB));
    expect(got.launches).toEqual(['A', 'B', 'A', 'B', 'A']);
    expect(got.tasks).toEqual({ A: 3, B: 2 });
  });

  test('<6 cpus, 6 GB>, A <1, 1 GB>, B <1 cpu, no memory>: asset gives A 2 and B 4, DRF 3 and 3', () => {
    // Per task, asset: A = 1/6 + 1/6 = 1/3, B = 1/6. DRF: A = max(1/6, 1/6) = 1/6, B = 1/6.
    // Asset:
    //   run 1: 0 = 0, counts 0, 'a'          -> A = 1/3, count 1
    //   run 2: B 0                           -> B = 1/6, count 1
    //   run 3: B 1/6 < A 1/3                 -> B = 1/3, count 2
    //   run 4: A 1/3 = B 1/3, A count 1 < 2  -> A = 2/3, count 2
    //   run 5: B 1/3                         -> B = 1/2
    //   run 6: B 1/2 < 2/3                   -> B = 2/3; cpus full (A 2 + B 4), <0, 4 GB> left
    //   runs 7, 8: A then B decline what has no cpus; then nothing is offered.
    // DRF: equal per-task shares, so the two alternate: A, B, A, B, A, B.
    const asset = fill(createAssetAllocator(), vec(6, 6 * GB), vec(1, 1 * GB), vec(1, 0));
    expect(asset.launches).toEqual(['A', 'B', 'B', 'A', 'B', 'B']);
    expect(asset.tasks).toEqual({ A: 2, B: 4 });
    const drf = fill(getAllocator('drf')!.create({}), vec(6, 6 * GB), vec(1, 1 * GB), vec(1, 0));
    expect(drf.launches).toEqual(['A', 'B', 'A', 'B', 'A', 'B']);
    expect(drf.tasks).toEqual({ A: 3, B: 3 });
  });
});

describe('asset: whole-agent offers', () => {
  test('each agent goes to the lowest asset share; weights divide it', () => {
    // Three agents <1 cpu, 1 GB>, total <3, 3 GB>; one agent is 1/3 + 1/3 = 2/3 of asset share.
    // Role 'h' has weight 2. Agent 1: h 0 = l 0, 'h' first -> h = (2/3)/2 = 1/3. Agent 2: l 0
    // -> l = 2/3. Agent 3: h 1/3 < l 2/3 -> h = 2/3. Whatever the shuffle: h, l, h.
    const a = createAssetAllocator();
    a.setWeight('h', 2);
    const m = new MiniMaster(a, 3);
    m.addFramework('heavy', 'h');
    m.addFramework('light', 'l');
    for (let i = 0; i < 3; i++) m.addAgent(vec(1, 1 * GB));
    expect(m.run(new RandomStream(5, 'w')).map((o) => m.frameworks[o.fw]!.name)).toEqual(['heavy', 'light', 'heavy']);
  });

  test('excluded resources leave the sum: excluding all but cpus makes asset the cpu share', () => {
    // Agent 0 <1 cpu, 7 GB> goes to m (c is filtered there); then three probes <1, 1 GB> join
    // one at a time, each offered alone. Counting every resource (totals <2, 8 GB>, <3, 9 GB>,
    // <4, 10 GB> as the probes join):
    //   probe 1: c 0 < m 1/2 + 7/8 = 1.375                 -> c
    //   probe 2: c 1/3 + 1/9 = .44 < m 1/3 + 7/9 = 1.11     -> c
    //   probe 3: c 2/4 + 2/10 = .70 < m 1/4 + 7/10 = .95    -> c
    // Counting cpus only:
    //   probe 1: c 0 < m 1/2 -> c; probe 2: c 1/3 = m 1/3, counts 1 = 1, 'c' < 'm' -> c;
    //   probe 3: m 1/4 < c 2/4 -> m
    const run = (excluded: readonly string[]) => {
      const m = new MiniMaster(createAssetAllocator({ excludedResources: excluded }), 4);
      const c = m.addFramework('c', 'c');
      m.addFramework('m', 'm');
      const a0 = m.addAgent(vec(1, 7 * GB));
      m.ctx.filter(c, a0);
      m.run(new RandomStream(1, 'x'), [a0]);
      const names: string[] = [];
      for (let i = 0; i < 3; i++) {
        const p = m.addAgent(vec(1, 1 * GB));
        names.push(...m.run(new RandomStream(1, 'x'), [p]).map((o) => m.frameworks[o.fw]!.name));
      }
      return names;
    };
    expect(run([])).toEqual(['c', 'c', 'c']);
    expect(run(['mem', 'disk', 'gpus'])).toEqual(['c', 'c', 'm']);
  });
});

describe('asset: properties', () => {
  test('on a cluster with cpus only, asset offers exactly what drf offers', () => {
    expectSameOffersOnCpusOnlyClusters(createAssetAllocator, () => getAllocator('drf')!.create({}), 8080);
  });
});
