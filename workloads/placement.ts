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
  const n = agents.length;
  const r = Math.min(replication, n);
  if (r <= 0) return [];
  const first = Math.floor(rng.next() * n);
  const out = [first];
  const firstRack = agents[first]!.rack;
  const otherRacks: string[] = [];
  for (const a of agents) if (a.rack !== firstRack && !otherRacks.includes(a.rack)) otherRacks.push(a.rack);
  if (r >= 2 && otherRacks.length > 0) {
    const rack = otherRacks[Math.floor(rng.next() * otherRacks.length)]!;
    const inRack: number[] = [];
    for (let i = 0; i < n; i++) if (agents[i]!.rack === rack) inRack.push(i);
    const second = inRack[Math.floor(rng.next() * inRack.length)]!;
    out.push(second);
    if (r >= 3 && inRack.length > 1) {
      const rest = inRack.filter((i) => i !== second);
      out.push(rest[Math.floor(rng.next() * rest.length)]!);
    }
  }
  while (out.length < r) {
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (!out.includes(i)) free.push(i);
    out.push(free[Math.floor(rng.next() * free.length)]!);
  }
  return out;
}

/**
 * The jobs of `jobs`, each task given `blocksPerTask` input blocks placed by {@link placeBlock}
 * and the agents holding them (in replica order, without repeats) as its preferred agents. Draws
 * from `rng` only, task by task in job order, so the source's own draws are untouched.
 */
export function* withPlacedBlocks(
  jobs: Iterable<JobSpec>,
  agents: readonly PlacementAgent[],
  options: PlacementOptions,
  rng: Rng,
): Generator<JobSpec> {
  const blocks = Math.max(1, Math.round(options.blocksPerTask ?? 1));
  const replication = Math.max(1, Math.round(options.replication ?? 3));
  for (const job of jobs) {
    const tasks: TaskSpec[] = job.tasks.map((t) => {
      const names: string[] = [];
      for (let b = 0; b < blocks; b++) {
        for (const i of placeBlock(agents, replication, rng)) {
          const name = agents[i]!.name;
          if (!names.includes(name)) names.push(name);
        }
      }
      return { ...t, preferredAgents: names };
    });
    yield { ...job, tasks };
  }
}
