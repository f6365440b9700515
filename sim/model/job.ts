/**
 * The canonical job record every workload source produces, and the task table the model keeps.
 * Imports the kernel's time type and the resource helpers only.
 */
import type { SimTime } from '../kernel/time.js';
import { copyInto, NUM_RESOURCES, type ResourceVector } from './resources.js';

/** One task of a job: what it needs and how long it runs once started. */
export interface TaskSpec {
  /** resources the task holds while staging or running (fixed point) */
  readonly res: ResourceVector;
  /** run time once started, us; at least 1 */
  readonly duration: SimTime;
}

/** A job: a set of independent tasks submitted together to one framework. */
export interface JobSpec {
  /** unique name within the run, e.g. 'fw-a/17' */
  readonly id: string;
  /** submit time, us */
  readonly submit: SimTime;
  /** name of the framework that runs it */
  readonly framework: string;
  readonly tasks: readonly TaskSpec[];
}

/**
 * Every task of the run in packed typed arrays; a job's tasks are contiguous
 * (job j owns tasks firstTask[j] .. firstTask[j] + taskCount[j] - 1).
 */
export class TaskTable {
  /** tasks stored */
  size = 0;
  /** jobs stored */
  jobs = 0;
  res: Float64Array;
  duration: Float64Array;
  job: Int32Array;
  agent: Int32Array;
  /** index into TASK_STATE_CODES */
  state: Uint8Array;
  firstTask: Int32Array;
  taskCount: Int32Array;
  /** tasks of the job in a terminal state */
  doneCount: Int32Array;
  jobFramework: Int32Array;
  private taskCap: number;
  private jobCap: number;

  constructor(taskCapacity = 1024, jobCapacity = 256) {
    this.taskCap = Math.max(16, taskCapacity);
    this.jobCap = Math.max(16, jobCapacity);
    this.res = new Float64Array(this.taskCap * NUM_RESOURCES);
    this.duration = new Float64Array(this.taskCap);
    this.job = new Int32Array(this.taskCap);
    this.agent = new Int32Array(this.taskCap).fill(-1);
    this.state = new Uint8Array(this.taskCap);
    this.firstTask = new Int32Array(this.jobCap);
    this.taskCount = new Int32Array(this.jobCap);
    this.doneCount = new Int32Array(this.jobCap);
    this.jobFramework = new Int32Array(this.jobCap);
  }

  /** Stores a job and its tasks (state pending); returns the job index. */
  addJob(spec: JobSpec, framework: number): number {
    const n = spec.tasks.length;
    while (this.size + n > this.taskCap) this.growTasks();
    if (this.jobs === this.jobCap) this.growJobs();
    const j = this.jobs++;
    this.firstTask[j] = this.size;
    this.taskCount[j] = n;
    this.doneCount[j] = 0;
    this.jobFramework[j] = framework;
    for (const t of spec.tasks) {
      const i = this.size++;
      copyInto(this.res, i * NUM_RESOURCES, t.res);
      this.duration[i] = t.duration;
      this.job[i] = j;
      this.agent[i] = -1;
      this.state[i] = PENDING_CODE;
    }
    return j;
  }

  private growTasks(): void {
    const cap = this.taskCap * 2;
    this.res = grow(this.res, cap * NUM_RESOURCES);
    this.duration = grow(this.duration, cap);
    this.job = grow(this.job, cap);
    const agent = new Int32Array(cap).fill(-1);
    agent.set(this.agent);
    this.agent = agent;
    this.state = grow(this.state, cap);
    this.taskCap = cap;
  }

  private growJobs(): void {
    const cap = this.jobCap * 2;
    this.firstTask = grow(this.firstTask, cap);
    this.taskCount = grow(this.taskCount, cap);
    this.doneCount = grow(this.doneCount, cap);
    this.jobFramework = grow(this.jobFramework, cap);
    this.jobCap = cap;
  }
}

/** State code of a task not yet launched. */
export const PENDING_CODE = 0; // TaskCode.PENDING

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/** Task state codes stored in {@link TaskTable.state}: 0 pending, then the Mesos states. */
export const TaskCode = { PENDING: 0, STAGING: 1, RUNNING: 2, FINISHED: 3, FAILED: 4, KILLED: 5, LOST: 6 } as const;
