/**
 * The canonical job record every workload source produces, and the task table the model keeps.
 * Imports the kernel's time type, the shared leaves and the resource helpers only.
 */
import { resized } from '../kernel/packed.js';
import type { SimTime } from '../kernel/time.js';
import { agentIx, jobIx, type AgentIx, type JobIx, type TaskIx } from './ids.js';
import { contains, copyInto, equals, NUM_RESOURCES, subInto, type ResourceVector } from './resources.js';

/** One task of a job: what it needs and how long it runs once started. */
export interface TaskSpec {
  /** resources the task holds while staging or running (fixed point) */
  readonly res: ResourceVector;
  /** run time once started, us; at least 1 */
  readonly duration: SimTime;
  /**
   * Agents (by name) holding the task's input data; optional. Launching on one of them is
   * node-local, on another agent of their racks rack-local, elsewhere remote.
   */
  readonly preferredAgents?: readonly string[];
  /** Racks (by name) the task prefers; launching on any agent there is rack-local. Optional. */
  readonly preferredRacks?: readonly string[];
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
  /**
   * Each task's resources, packed (stride NUM_RESOURCES): the model's own. Schedulers read them
   * through {@link fits}, {@link takeFrom}, {@link resInto} and {@link sameRes}.
   */
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
  /**
   * Resolved preferences by task (undefined: none): agent and rack name ids (see
   * {@link agentId}/{@link rackId}). Sparse: only tasks with preferences have an entry.
   */
  readonly prefs: (TaskPrefs | undefined)[] = [];
  /**
   * Bumped whenever an agent name seen before gets a rack (registers) or another rack: indexes of
   * preferences by rack ({@link agentRack} of preferred agents) are stale after it. Registrations
   * of names not seen before leave it alone (no preference can name them yet).
   */
  rackEpoch = 0;

  /** name id -> agent index in the master (-1 until the agent registers) */
  private readonly nameAgent: number[] = [];
  /** agent name id -> rack id (-1 until the agent registers) */
  private readonly nameRack: number[] = [];
  /** agent index -> agent name id */
  private readonly agentName: number[] = [];
  private readonly agentIds = new Map<string, number>();
  private readonly rackIds = new Map<string, number>();
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
  addJob(spec: JobSpec, framework: number): JobIx {
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
      const pa = t.preferredAgents;
      const pr = t.preferredRacks;
      if ((pa !== undefined && pa.length > 0) || (pr !== undefined && pr.length > 0)) {
        this.prefs[i] = {
          agents: Int32Array.from(pa ?? [], (n) => this.agentId(n)),
          racks: Int32Array.from(pr ?? [], (n) => this.rackId(n)),
        };
      }
    }
    return jobIx(j);
  }

  /** Whether task `task`'s resources fit in `rem` (a resource vector holding at least them). */
  fits(task: number, rem: Float64Array): boolean {
    return contains(rem, 0, this.res, task * NUM_RESOURCES);
  }

  /** Takes task `task`'s resources out of `rem`. */
  takeFrom(rem: Float64Array, task: number): void {
    subInto(rem, 0, this.res, task * NUM_RESOURCES);
  }

  /** Copies task `task`'s resources into `out` (a resource vector). */
  resInto(task: number, out: Float64Array): void {
    copyInto(out, 0, this.res, task * NUM_RESOURCES);
  }

  /** Whether tasks `a` and `b` need the same resources. */
  sameRes(a: number, b: number): boolean {
    return equals(this.res, a * NUM_RESOURCES, this.res, b * NUM_RESOURCES);
  }

  /** A string naming task `task`'s resources: equal for tasks that need the same. */
  resKey(task: number): string {
    const off = task * NUM_RESOURCES;
    let key = '';
    for (let r = 0; r < NUM_RESOURCES; r++) key += `${this.res[off + r]!},`;
    return key;
  }

  /** The job task `task` belongs to. */
  jobOf(task: TaskIx): JobIx {
    return jobIx(this.job[task]!);
  }

  /** The agent task `task` was launched on (-1 while it is pending). */
  agentOf(task: TaskIx): AgentIx {
    return agentIx(this.agent[task]!);
  }

  /**
   * Registers the master's agent `agent` with its name and rack (the master calls this once per
   * agent), so preferences naming it resolve to it. Names may be seen in preferences first.
   */
  registerAgent(agent: number, name: string, rack: string): void {
    const known = this.agentIds.has(name);
    const id = this.agentId(name);
    const r = this.rackId(rack);
    // Only a name already seen (in preferences) can change a rack-local relation already indexed.
    if (known && this.nameRack[id] !== r) this.rackEpoch++;
    this.nameAgent[id] = agent;
    this.nameRack[id] = r;
    this.agentName[agent] = id;
  }

  /** The name id of agent `agent` (see {@link agentId}); -1 if it has not registered. */
  agentNameId(agent: number): number {
    return this.agentName[agent] ?? -1;
  }

  /** The rack id of agent name id `id`; -1 until an agent of that name registers. */
  agentRack(id: number): number {
    return id >= 0 ? (this.nameRack[id] ?? -1) : -1;
  }

  /** The dense id of an agent name, assigned on first sight (registration or preference). */
  agentId(name: string): number {
    let id = this.agentIds.get(name);
    if (id === undefined) {
      id = this.nameAgent.length;
      this.agentIds.set(name, id);
      this.nameAgent.push(-1);
      this.nameRack.push(-1);
    }
    return id;
  }

  /** The dense id of a rack name, assigned on first sight. */
  rackId(name: string): number {
    let id = this.rackIds.get(name);
    if (id === undefined) {
      id = this.rackIds.size;
      this.rackIds.set(name, id);
    }
    return id;
  }

  /**
   * Locality of running `task` on registered agent `agent` ({@link Locality}): NONE when the task
   * has no preference; NODE on a preferred agent; RACK on another agent of a preferred rack or of
   * a preferred agent's rack; REMOTE elsewhere.
   */
  localityOf(task: number, agent: number): number {
    const p = this.prefs[task];
    if (p === undefined) return Locality.NONE;
    const id = this.agentName[agent] ?? -1;
    const rack = id >= 0 ? this.nameRack[id]! : -1;
    for (let k = 0; k < p.agents.length; k++) if (p.agents[k] === id) return Locality.NODE;
    if (rack < 0) return Locality.REMOTE;
    for (let k = 0; k < p.racks.length; k++) if (p.racks[k] === rack) return Locality.RACK;
    for (let k = 0; k < p.agents.length; k++) if (this.nameRack[p.agents[k]!] === rack) return Locality.RACK;
    return Locality.REMOTE;
  }

  private growTasks(): void {
    const cap = this.taskCap * 2;
    this.res = resized(this.res, cap * NUM_RESOURCES);
    this.duration = resized(this.duration, cap);
    this.job = resized(this.job, cap);
    this.agent = resized(this.agent, cap, -1);
    this.state = resized(this.state, cap);
    this.taskCap = cap;
  }

  private growJobs(): void {
    const cap = this.jobCap * 2;
    this.firstTask = resized(this.firstTask, cap);
    this.taskCount = resized(this.taskCount, cap);
    this.doneCount = resized(this.doneCount, cap);
    this.jobFramework = resized(this.jobFramework, cap);
    this.jobCap = cap;
  }
}

/** A task's resolved preferences: agent name ids and rack ids (see {@link TaskTable.prefs}). */
export interface TaskPrefs {
  readonly agents: Int32Array;
  readonly racks: Int32Array;
}

/** Locality levels of a launch, as {@link TaskTable.localityOf} returns them. */
export const Locality = { NONE: 0, NODE: 1, RACK: 2, REMOTE: 3 } as const;

/** Names of the {@link Locality} codes, as logged ('none' is never logged). */
export const LOCALITY_NAMES = ['none', 'node', 'rack', 'remote'] as const;

/** State code of a task not yet launched. */
export const PENDING_CODE = 0; // TaskCode.PENDING

/** Task state codes stored in {@link TaskTable.state}: 0 pending, then the Mesos states. */
export const TaskCode = { PENDING: 0, STAGING: 1, RUNNING: 2, FINISHED: 3, FAILED: 4, KILLED: 5, LOST: 6 } as const;
