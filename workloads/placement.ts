/**
 * Input data placement for locality: blocks replicated HDFS-style over the cluster's agents, and
 * tasks given the agents holding their blocks as preferred locations. Draws only from the random
 * stream it is given. Imports kernel rng types and model types.
 */
import type { Rng } from '../sim/kernel/rng.js';
import type { JobSpec, TaskSpec } from '../sim/model/job.js';

/** An agent as placement sees it: its name and rack. */
export interface PlacementAgent {
  readonly name: string;
  readonly rack: string;
}

/** Options of {@link withPlacedBlocks}. */
export interface PlacementOptions {
  /** input blocks per task (>= 1); default 1 */
  readonly blocksPerTask?: number;
  /** replicas per block (>= 1, capped at the number of agents); default 3 */
  readonly replication?: number;
}

/**
 * Agent indices holding the replicas of one block, HDFS's default rack-aware policy: the first
 * replica on a uniformly drawn agent; the second on a uniformly drawn agent of a uniformly drawn
 * other rack and the third on another agent of that same rack; any further replica (or one that
 * has no room there, e.g. a one-agent rack or a one-rack cluster) on a uniformly drawn agent not
 * yet holding the block. Replicas are on distinct agents; `replication` is capped at the number
 * of agents. Draws, in order: one per replica (two for the second: rack, then agent).
 */
export function placeBlock(agents: readonly PlacementAgent[], replication: number, rng: Rng): number[] {
  return placeIndexed(placementIndex(agents), replication, rng);
}

/** The agents grouped by rack, built once for many placements ({@link placeIndexed}). */
export interface PlacementIndex {
  readonly n: number;
  /** rack position of each agent */
  readonly rackOf: Int32Array;
  /** agent indices of each rack, in agent order; racks in order of first appearance */
  readonly members: readonly (readonly number[])[];
}

/** Groups `agents` by rack for {@link placeIndexed}: O(agents), once. */
export function placementIndex(agents: readonly PlacementAgent[]): PlacementIndex {
  const pos = new Map<string, number>();
  const members: number[][] = [];
  const rackOf = new Int32Array(agents.length);
  agents.forEach((a, i) => {
    let p = pos.get(a.rack);
    if (p === undefined) {
      p = members.length;
      pos.set(a.rack, p);
      members.push([]);
    }
    members[p]!.push(i);
    rackOf[i] = p;
  });
  return { n: agents.length, rackOf, members };
}

/**
 * {@link placeBlock} over a prebuilt index, in O(replicas) (plus the rack's size for the third
 * replica): the same draws and the same agents. "Uniformly among the others" draws an index
 * into the list without the excluded entries and maps it past them.
 */
export function placeIndexed(ix: PlacementIndex, replication: number, rng: Rng): number[] {
  const n = ix.n;
  const r = Math.min(replication, n);
  if (r <= 0) return [];
  const first = Math.floor(rng.next() * n);
  const out = [first];
  const firstRack = ix.rackOf[first]!;
  const racks = ix.members.length;
  if (r >= 2 && racks > 1) {
    // the k-th rack other than the first replica's, racks in order of first appearance
    let rack = Math.floor(rng.next() * (racks - 1));
    if (rack >= firstRack) rack++;
    const inRack = ix.members[rack]!;
    const second = inRack[Math.floor(rng.next() * inRack.length)]!;
    out.push(second);
    if (r >= 3 && inRack.length > 1) {
      let j = Math.floor(rng.next() * (inRack.length - 1));
      if (inRack[j]! >= second) j++; // members are ascending: skip the second replica's slot
      out.push(inRack[j]!);
    }
  }
  while (out.length < r) {
    // the j-th agent index not yet holding the block
    let v = Math.floor(rng.next() * (n - out.length));
    for (const e of [...out].sort((a, b) => a - b)) if (e <= v) v++;
    out.push(v);
  }
  return out;
}

/**
 * The jobs of `jobs`, each task given `blocksPerTask` input blocks placed by {@link placeBlock}
 * and the agents holding them (in replica order, without repeats) as its preferred agents. Draws
 * from `rng` only, task by task in job order, so the source's own draws are untouched.
 */
export function* withPlacedBlocks(jobs: Iterable<JobSpec>, agents: readonly PlacementAgent[], options: PlacementOptions, rng: Rng): Generator<JobSpec> {
  const blocks = Math.max(1, Math.round(options.blocksPerTask ?? 1));
  const replication = Math.max(1, Math.round(options.replication ?? 3));
  const index = placementIndex(agents);
  for (const job of jobs) {
    const tasks: TaskSpec[] = job.tasks.map((t) => {
      const names: string[] = [];
      for (let b = 0; b < blocks; b++) {
        for (const i of placeIndexed(index, replication, rng)) {
          const name = agents[i]!.name;
          if (!names.includes(name)) names.push(name);
        }
      }
      return { ...t, preferredAgents: names };
    });
    yield { ...job, tasks };
  }
}
