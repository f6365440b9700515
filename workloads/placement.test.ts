/**
 * HDFS-like block placement: rack-aware, distinct agents, deterministic from its stream, and
 * independent of the workload's own draws. Expected replicas are worked out by hand from scripted draws.
 */
import fc from 'fast-check';
import { RandomStreams, type Rng } from '../sim/kernel/rng.js';
import { buildJobs } from '../scenarios/build.js';
import { parseScenarioText } from '../scenarios/loader.js';
import { placeBlock, withPlacedBlocks, type PlacementAgent } from './placement.js';

/** A stream returning the given numbers in turn. */
const scripted = (xs: number[]): Rng => {
  let i = 0;
  return { next: () => xs[i++]! };
};

/** 0 a0, 1 a1 (r0); 2 b0, 3 b1, 4 b2 (r1); 5 c0 (r2). */
const CLUSTER: PlacementAgent[] = [
  { name: 'a0', rack: 'r0' },
  { name: 'a1', rack: 'r0' },
  { name: 'b0', rack: 'r1' },
  { name: 'b1', rack: 'r1' },
  { name: 'b2', rack: 'r1' },
  { name: 'c0', rack: 'r2' },
];

describe('placeBlock', () => {
  // draw 0.1: first = floor(0.1 * 6) = 0 (a0, rack r0); other racks [r1, r2]
  // draw 0.2: rack floor(0.2 * 2) = 0 -> r1, agents [2, 3, 4]
  // draw 0.5: second floor(0.5 * 3) = 1 -> 3 (b1); rest of r1 [2, 4]
  // draw 0.9: third floor(0.9 * 2) = 1 -> 4 (b2)
  test('first replica anywhere, second and third on one other rack', () => {
    expect(placeBlock(CLUSTER, 3, scripted([0.1, 0.2, 0.5, 0.9]))).toEqual([0, 3, 4]);
  });

  // as above, then a fourth replica among the agents not holding it, [1, 2, 5]: floor(0 * 3) = 0 -> 1
  test('replicas beyond three go to any agent not holding the block', () => {
    expect(placeBlock(CLUSTER, 4, scripted([0.1, 0.2, 0.5, 0.9, 0]))).toEqual([0, 3, 4, 1]);
  });

  // first floor(0.95 * 6) = 5 (c0, r2); other racks [r0, r1]; floor(0.6 * 2) = 1 -> r1;
  // second floor(0.1 * 3) = 0 -> 2 (b0); third among [3, 4]: floor(0.5 * 2) = 1 -> 4
  test('the other rack is drawn among the racks but the first one', () => {
    expect(placeBlock(CLUSTER, 3, scripted([0.95, 0.6, 0.1, 0.5]))).toEqual([5, 2, 4]);
  });

  // One rack: no other rack, so replicas 2 and 3 are distinct agents anywhere:
  // first floor(0.5 * 3) = 1; free [0, 2]: floor(0.6 * 2) = 1 -> 2; free [0] -> 0
  test('a one-rack cluster gets distinct agents', () => {
    const one = [
      { name: 'x0', rack: 'r' },
      { name: 'x1', rack: 'r' },
      { name: 'x2', rack: 'r' },
    ];
    expect(placeBlock(one, 3, scripted([0.5, 0.6, 0]))).toEqual([1, 2, 0]);
    // replication is capped at the number of agents
    expect(placeBlock(one.slice(0, 2), 3, scripted([0, 0]))).toEqual([0, 1]);
  });

  test('property: distinct agents, min(R, n) replicas, rack-aware, same seed same placement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (rackSizes, r, seed) => {
          const agents: PlacementAgent[] = [];
          rackSizes.forEach((k, rack) => {
            for (let i = 0; i < k; i++) agents.push({ name: `n${rack}-${i}`, rack: `r${rack}` });
          });
          const a = placeBlock(agents, r, new RandomStreams(seed).stream('placement/f'));
          const b = placeBlock(agents, r, new RandomStreams(seed).stream('placement/f'));
          expect(a).toEqual(b);
          expect(new Set(a).size).toBe(a.length);
          expect(a.length).toBe(Math.min(r, agents.length));
          if (rackSizes.length > 1 && r >= 2) expect(agents[a[1]!]!.rack).not.toBe(agents[a[0]!]!.rack);
          if (rackSizes.length > 1 && r >= 3 && rackSizes[Number(agents[a[1]!]!.rack.slice(1))]! >= 2) {
            expect(agents[a[2]!]!.rack).toBe(agents[a[1]!]!.rack);
          }
        },
      ),
    );
  });
});

describe('withPlacedBlocks', () => {
  // 2 blocks of 1 replica each: draws 0.1 -> a0, 0.1 again -> a0 (no repeat), so [a0]; the
  // second task: 0.5 -> b1, 0.99 -> c0.
  test('preferred agents are the union of the blocks replicas, in order', () => {
    const jobs = [
      {
        id: 'j',
        submit: 0,
        framework: 'f',
        tasks: [
          { res: new Float64Array(4), duration: 1 },
          { res: new Float64Array(4), duration: 1 },
        ],
      },
    ];
    const out = [...withPlacedBlocks(jobs as never, CLUSTER, { blocksPerTask: 2, replication: 1 }, scripted([0.1, 0.1, 0.5, 0.99]))];
    expect(out[0]!.tasks.map((t) => t.preferredAgents)).toEqual([['a0'], ['b1', 'c0']]);
  });

  const scenario = (locality: string): string => `
name: t
seed: 3
cluster:
  agents:
    - { count: 6, prefix: a-, racks: 2, cpus: 4, mem: 4096 }
frameworks:
  - name: f
    workload:
      kind: poisson
      rate: 1
      jobs: 20
      tasksPerJob: { uniform: [1, 8] }
      task: { cpus: 1, mem: 512, duration: { exponential: 5 } }
      ${locality}
`;

  test('asking for locality leaves the workload draws unchanged (placement has its own stream)', () => {
    const plain = [...buildJobs(parseScenarioText(scenario(''), 't.yaml').scenario, 3)];
    const local = [...buildJobs(parseScenarioText(scenario('locality: { replication: 3 }'), 't.yaml').scenario, 3)];
    expect(local.map((j) => [j.submit, j.tasks.map((t) => t.duration)])).toEqual(plain.map((j) => [j.submit, j.tasks.map((t) => t.duration)]));
    expect(plain.every((j) => j.tasks.every((t) => t.preferredAgents === undefined))).toBe(true);
    // racks a-0..2 on rack0, a-3..5 on rack1: every block has 3 replicas on both racks
    for (const j of local) {
      for (const t of j.tasks) {
        expect(t.preferredAgents).toHaveLength(3);
        const racks = new Set(t.preferredAgents!.map((n) => (Number(n.slice(2)) < 3 ? 0 : 1)));
        expect(racks.size).toBe(2);
      }
    }
    // deterministic
    const again = [...buildJobs(parseScenarioText(scenario('locality: { replication: 3 }'), 't.yaml').scenario, 3)];
    expect(again).toEqual(local);
  });
});

describe('the indexed placement equals the straightforward one', () => {
  /** The rule as first written: scan the agents for every list, filter the excluded out. */
  function naive(agents: readonly PlacementAgent[], replication: number, rng: { next(): number }): number[] {
    const n = agents.length;
    const r = Math.min(replication, n);
    if (r <= 0) return [];
    const first = Math.floor(rng.next() * n);
    const out = [first];
    const otherRacks: string[] = [];
    for (const a of agents) if (a.rack !== agents[first]!.rack && !otherRacks.includes(a.rack)) otherRacks.push(a.rack);
    if (r >= 2 && otherRacks.length > 0) {
      const rack = otherRacks[Math.floor(rng.next() * otherRacks.length)]!;
      const inRack = agents.map((_, i) => i).filter((i) => agents[i]!.rack === rack);
      const second = inRack[Math.floor(rng.next() * inRack.length)]!;
      out.push(second);
      if (r >= 3 && inRack.length > 1) {
        const rest = inRack.filter((i) => i !== second);
        out.push(rest[Math.floor(rng.next() * rest.length)]!);
      }
    }
    while (out.length < r) {
      const free = agents.map((_, i) => i).filter((i) => !out.includes(i));
      out.push(free[Math.floor(rng.next() * free.length)]!);
    }
    return out;
  }

  test('on random clusters (racks interleaved, of every size) and replication 1 to 6', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const shape = new RandomStreams(seed).stream('shape');
      const n = 1 + Math.floor(shape.next() * 40);
      const racks = 1 + Math.floor(shape.next() * 8);
      const agents = Array.from({ length: n }, (_, i) => ({ name: `a${i}`, rack: `r${Math.floor(shape.next() * racks)}` }));
      const r = 1 + (seed % 6);
      for (let k = 0; k < 5; k++) {
        const a = placeBlock(agents, r, new RandomStreams(seed).stream(`p${k}`));
        const b = naive(agents, r, new RandomStreams(seed).stream(`p${k}`));
        expect(a).toEqual(b);
      }
    }
  });
});
