/**
 * Delay scheduling's index of a job's tasks by where they are local (node, rack, anywhere), so that
 * picking the best task for an offer looks only at the tasks that could be picked there. Used by
 * delay-scheduling.ts. Imports model modules only.
 */
import { Locality, type TaskTable } from '../job.js';

/** A job as {@link pickIndexed} sees it: its pending range and its index (built on first use). */
export interface IndexedJob {
  /** the first task that may still be pending: tasks before it are never picked */
  readonly next: number;
  /** one past the job's last task */
  readonly end: number;
  index?: LocalityIndex;
}

/**
 * The pending task of `job` to launch on `agent`: among the tasks from `job.next` on that are
 * pending, not `picked` for this offer, fit in `rem` and whose locality there is at most `allowed`
 * (NONE always is), the best ranked (node-local, then no preference, then rack-local, then remote),
 * lowest index first within a rank; -1 if none. This is the straightforward scan of the job's
 * pending tasks (by {@link TaskTable.localityOf}) answered from the job's {@link LocalityIndex}.
 */
export function pickIndexed(tasks: TaskTable, job: IndexedJob, agent: number, allowed: number, rem: Float64Array, picked: Uint8Array, pickedFrom = 0): number {
  let index = job.index;
  if (index === undefined) job.index = index = new LocalityIndex(tasks, job.next, job.end);
  return index.pick(tasks, job.next, agent, allowed, rem, picked, pickedFrom);
}

/**
 * Tasks of one job in ascending index order, grouped by resource vector (shape), so that "the
 * first eligible task that fits" costs O(groups) fit checks rather than one per task: tasks of one
 * shape fit or not together. A task is eligible when it is at or after the job's `next`, pending
 * and not picked for the offer being answered. Tasks only ever stop being eligible for good
 * (`next` only grows, a task never becomes pending again), so each group keeps a head before
 * which all its tasks are known ineligible: entries are never deleted, only passed over once.
 * Picked tasks are passed over per query (picks are few per offer).
 */
class TaskSet {
  /** per group: a task of the group's shape (its resources decide fit for all) */
  private readonly reps: number[] = [];
  /** per group: the shape id (see LocalityIndex.shapeOf) */
  private readonly shapes: number[] = [];
  /** per group: its tasks, ascending */
  private readonly lists: number[][] = [];
  /** per group: entries before it are ineligible for good */
  private readonly heads: number[] = [];
  /** shape id -> group, once there are many groups (building only) */
  private byShape: Map<number, number> | undefined;
  /** the task added last (adds are in ascending task order) */
  last = -1;

  add(task: number, shape: number): void {
    this.last = task;
    let g = -1;
    if (this.byShape !== undefined) g = this.byShape.get(shape) ?? -1;
    else
      for (let k = this.shapes.length - 1; k >= 0; k--)
        if (this.shapes[k] === shape) {
          g = k;
          break;
        }
    if (g < 0) {
      g = this.shapes.length;
      this.reps.push(task);
      this.shapes.push(shape);
      this.lists.push([]);
      this.heads.push(0);
      if (this.byShape !== undefined) this.byShape.set(shape, g);
      else if (g >= 8) this.byShape = new Map(this.shapes.map((s, k) => [s, k]));
    }
    this.lists[g]!.push(task);
  }

  /**
   * False when no task of the set fits in `rem`, looking at most `most` shapes (true beyond:
   * a cheap test, exact only when false). Shapes whose tasks are all known ineligible are left
   * out.
   */
  mayFit(tasks: TaskTable, rem: Float64Array, most: number): boolean {
    const n = this.lists.length;
    if (n > most) return true;
    for (let g = 0; g < n; g++) {
      if (this.heads[g]! < this.lists[g]!.length && tasks.fits(this.reps[g]!, rem)) return true;
    }
    return false;
  }

  /** The lowest eligible task that fits in `rem` (task i picked when picked[i - pickedFrom] is 1); -1 if none. */
  first(tasks: TaskTable, next: number, rem: Float64Array, picked: Uint8Array, pickedFrom: number): number {
    let best = -1;
    for (let g = 0; g < this.lists.length; g++) {
      const list = this.lists[g]!;
      let h = this.heads[g]!;
      while (h < list.length && (list[h]! < next || !tasks.isPending(list[h]!))) h++;
      this.heads[g] = h;
      if (h === list.length || (best >= 0 && list[h]! > best)) continue;
      if (!tasks.fits(this.reps[g]!, rem)) continue;
      for (let k = h; k < list.length; k++) {
        const i = list[k]!;
        if (best >= 0 && i > best) break;
        if (picked[i - pickedFrom] !== 1 && tasks.isPending(i)) {
          best = i;
          break;
        }
      }
    }
    return best;
  }
}

/**
 * Delay scheduling's index of one job's tasks (from its `next` when built to its end) by where
 * they are local, so that picking a task for an offer looks only at the tasks that could be
 * picked there: the tasks preferring the offered agent (node-local), the tasks without
 * preferences, then (when the job's level allows) those rack-local in the agent's rack, then
 * (remote) all, each a {@link TaskSet}. First, a fit test per task shape (jobs of up to 4
 * shapes) drops jobs nothing of which fits, the common case (an offer of a busy agent's rest). A
 * job with no pending task preferring the offered agent and none without preferences, at the
 * node-local level, then costs a map look, not a scan.
 *
 * It agrees with {@link TaskTable.localityOf} at all times: node-local sets are keyed by agent
 * name id (as preferences are: agents registering after the job, or never, need nothing), the
 * offered agent's name id and rack come from the table; rack-local sets (preferred racks, and the
 * racks of preferred agents as registered now) are rebuilt when {@link TaskTable.rackEpoch} says
 * a preferred agent got a rack since they were built. Agents failing change no locality.
 *
 * Cost: the node-local and rack-local sets are small for spread-out preferences; the sets of
 * tasks without preferences and of all tasks are grouped by resource vector, so a query costs
 * one fit check per distinct task shape in the job (one for uniform jobs), plus the tasks passed
 * over: for good (no longer pending) once, or picked for this offer. Jobs whose tasks all differ
 * in resources fall back to O(pending) per query, like the straightforward scan. Building is
 * O(tasks x preferred agents) once per job, and the rack-local sets again after each rack epoch
 * change that a rack-level pick sees (agents named in preferences registering late).
 */
export class LocalityIndex {
  /** node-local: agent name id -> the tasks preferring it */
  private readonly node = new Map<number, TaskSet>();
  /** tasks without preferences (NONE everywhere), if any */
  private readonly none: TaskSet | undefined;
  /** every task (the remote level) */
  private readonly all = new TaskSet();
  /** rack id -> tasks preferring the rack or an agent registered in it, as of `epoch` */
  private racks = new Map<number, TaskSet>();
  /** the TaskTable.rackEpoch `racks` was built at (-1: not yet) */
  private epoch = -1;
  /** shape id of each task (by task - from) */
  private readonly shapeOf: Int32Array;

  constructor(
    tasks: TaskTable,
    private readonly from: number,
    private readonly end: number,
  ) {
    this.shapeOf = new Int32Array(Math.max(0, end - from));
    const shapes = new Map<string, number>();
    let none: TaskSet | undefined;
    for (let i = from; i < end; i++) {
      let shape: number;
      if (i > from && tasks.sameRes(i, i - 1)) shape = this.shapeOf[i - 1 - from]!;
      else {
        const key = tasks.resKey(i);
        shape = shapes.get(key) ?? shapes.size;
        if (shape === shapes.size) shapes.set(key, shape);
      }
      this.shapeOf[i - from] = shape;
      this.all.add(i, shape);
      const p = tasks.prefsOf(i);
      if (p === undefined) {
        (none ??= new TaskSet()).add(i, shape);
        continue;
      }
      for (let k = 0; k < p.agents.length; k++) {
        const id = p.agents[k]!;
        let set = this.node.get(id);
        if (set === undefined) this.node.set(id, (set = new TaskSet()));
        if (set.last !== i) set.add(i, shape);
      }
    }
    this.none = none;
  }

  /** {@link pickIndexed} for a job whose next pending task is `next`. */
  pick(tasks: TaskTable, next: number, agent: number, allowed: number, rem: Float64Array, picked: Uint8Array, pickedFrom: number): number {
    // Best rank first: the first set with an eligible task that fits has the answer, since every
    // eligible task of a better rank is in an earlier set (and was not there).
    // Most offers (to a busy agent, or one left with little) fit no task of a job at all: one fit
    // test per shape says so, for jobs of few shapes (most: map and reduce tasks alike).
    if (!this.all.mayFit(tasks, rem, 4)) return -1;
    const id = tasks.agentNameId(agent);
    if (allowed >= Locality.NODE && id >= 0) {
      const set = this.node.get(id);
      if (set !== undefined) {
        const i = set.first(tasks, next, rem, picked, pickedFrom);
        if (i >= 0) return i;
      }
    }
    if (this.none !== undefined) {
      const i = this.none.first(tasks, next, rem, picked, pickedFrom);
      if (i >= 0) return i;
    }
    if (allowed < Locality.RACK) return -1;
    // The rack set holds the rack-local tasks and maybe node-local ones: none of those is eligible
    // and fits (else the node-local set had one), so its first is the best rack-local task.
    const rack = tasks.agentRack(id);
    if (rack >= 0) {
      const set = this.rackSets(tasks).get(rack);
      if (set !== undefined) {
        const i = set.first(tasks, next, rem, picked, pickedFrom);
        if (i >= 0) return i;
      }
    }
    if (allowed < Locality.REMOTE) return -1;
    // Whatever eligible task fits now is remote here (all better ones were looked for above).
    return this.all.first(tasks, next, rem, picked, pickedFrom);
  }

  private rackSets(tasks: TaskTable): Map<number, TaskSet> {
    if (this.epoch === tasks.rackEpoch) return this.racks;
    const racks = new Map<number, TaskSet>();
    const add = (rack: number, i: number): void => {
      let set = racks.get(rack);
      if (set === undefined) racks.set(rack, (set = new TaskSet()));
      if (set.last !== i) set.add(i, this.shapeOf[i - this.from]!);
    };
    for (let i = this.from; i < this.end; i++) {
      const p = tasks.prefsOf(i);
      if (p === undefined) continue;
      for (let k = 0; k < p.racks.length; k++) add(p.racks[k]!, i);
      for (let k = 0; k < p.agents.length; k++) {
        const rack = tasks.agentRack(p.agents[k]!);
        if (rack >= 0) add(rack, i);
      }
    }
    this.racks = racks;
    this.epoch = tasks.rackEpoch;
    return racks;
  }
}
