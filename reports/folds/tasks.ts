/**
 * The tasks fold: live tasks and what they hold, launches and terminal states. A launch or a
 * change of holding moves resources in the cluster and shares folds and marks the job's first
 * launch and first running task in the jobs fold. Imports only the log's types, the kernel's
 * IntMap and the folds it feeds.
 */
import { IntMap } from '../../sim/kernel/int-map.js';
import type { TaskState } from '../../sim/model/log.js';
import { NR } from '../vocabulary.js';
import { assertNever } from '../../sim/kernel/assert.js';
import { grown } from '../../sim/kernel/packed.js';
import type { ClusterFold } from './cluster.js';
import type { JobsFold } from './jobs.js';
import { LogInvariantError } from './log-invariant.js';
import type { SharesFold } from './shares.js';

/** The tasks fold's part of the summary. */
export interface TasksSummary {
  /** task launches (a task entering staging, or running without staging) */
  readonly tasksLaunched: number;
  /** task_state records with state finished */
  readonly tasksFinished: number;
  /** task_state records with state failed */
  readonly tasksFailed: number;
  /** task_state records with state killed */
  readonly tasksKilled: number;
  /** task_state records with state lost or gone (work lost with an agent) */
  readonly tasksLost: number;
}

/**
 * Live tasks by id, each in a slot of a packed resource array. A task holds the `res` of its
 * latest staging or running record (allocated = held by staging and running tasks); a terminal
 * record releases it, and so does unreachable (the task's agent left the cluster). A launch is a
 * task id entering staging or running from not holding resources, unless it was unreachable (then
 * it is running again on its reregistered agent).
 */
export class TasksFold {
  /** task id -> slot in taskRes */
  private readonly liveTasks = new IntMap(256);
  private taskRes = new Float64Array(0);
  private readonly freeTaskSlots: number[] = [];
  private taskSlots = 0;
  private tasksLaunched = 0;
  private tasksFinished = 0;
  private tasksFailed = 0;
  private tasksKilled = 0;
  private tasksLost = 0;
  /** unreachable task ids (holding nothing; a running record brings one back) */
  private readonly unreachable = new Set<number>();

  constructor(
    private readonly cluster: ClusterFold,
    private readonly shares: SharesFold,
    private readonly jobs: JobsFold,
  ) {}

  /** task_state of `task`, of (checked) job `j` of framework `f`, holding res[ro..ro+NR). */
  state(task: number, j: number, f: number, state: TaskState, res: ArrayLike<number>, ro: number, t: number): void {
    const slot = this.liveTasks.get(task); // -1: not holding resources
    switch (state) {
      case 'staging':
      case 'running': {
        let s: number;
        if (slot < 0 && this.unreachable.size > 0 && this.unreachable.delete(task)) {
          s = this.taskSlot();
          this.liveTasks.set(task, s);
        } else if (slot < 0) {
          if (!Number.isSafeInteger(task) || task < 0) throw new LogInvariantError(`bad task id ${task}`, t, 'task_state');
          this.shares.launched(f, task, t);
          s = this.taskSlot();
          this.liveTasks.set(task, s);
          this.tasksLaunched++;
          this.jobs.launched(j, t);
        } else {
          s = slot;
          this.release(s, f);
        }
        const o = s * NR;
        for (let i = 0; i < NR; i++) this.taskRes[o + i] = res[ro + i]!;
        this.shares.take(f, res, ro);
        this.cluster.take(res, ro);
        if (state === 'running') this.jobs.running(j, t);
        this.shares.markDirty(f);
        break;
      }
      case 'unreachable':
        if (slot < 0) throw new LogInvariantError(`task ${task} unreachable while not running`, t, 'task_state');
        this.release(slot, f);
        this.liveTasks.delete(task);
        this.freeTaskSlots.push(slot);
        this.shares.markDirty(f);
        this.unreachable.add(task);
        break;
      case 'finished':
      case 'failed':
      case 'killed':
      case 'lost':
      case 'gone':
        if (state === 'finished') this.tasksFinished++;
        else if (state === 'failed') this.tasksFailed++;
        else if (state === 'killed') this.tasksKilled++;
        else this.tasksLost++;
        if (this.unreachable.size > 0) this.unreachable.delete(task);
        if (slot >= 0) {
          this.release(slot, f);
          this.liveTasks.delete(task);
          this.freeTaskSlots.push(slot);
          this.shares.markDirty(f);
        }
        break;
      default:
        assertNever(state);
    }
  }

  /** The tasks fold's part of the summary. */
  summary(): TasksSummary {
    return {
      tasksLaunched: this.tasksLaunched,
      tasksFinished: this.tasksFinished,
      tasksFailed: this.tasksFailed,
      tasksKilled: this.tasksKilled,
      tasksLost: this.tasksLost,
    };
  }

  /** Gives the resources in task slot s back from framework f and the cluster. */
  private release(s: number, f: number): void {
    const o = s * NR;
    this.shares.give(f, this.taskRes, o);
    this.cluster.give(this.taskRes, o);
  }

  private taskSlot(): number {
    const free = this.freeTaskSlots.pop();
    if (free !== undefined) return free;
    const s = this.taskSlots++;
    this.taskRes = grown(this.taskRes, this.taskSlots * NR);
    return s;
  }
}
