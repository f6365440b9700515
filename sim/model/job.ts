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
  /**
   * the role of its multi-role framework whose offers run it (see {@link TaskTable.jobRole});
   * absent: any of the framework's roles
   */
  readonly role?: string | undefined;
  readonly tasks: readonly TaskSpec[];
}

/** Options of a {@link TaskTable}. */
export interface TaskTableOptions {
  /**
   * reuse the storage of jobs that are over for later jobs, so that the table holds the live
   * jobs' tasks only; default true. False keeps every task of the run (slot = task id): the
   * reference the storage reuse is compared with.
   */
  readonly reuse?: boolean;
}

/**
 * What {@link TaskTable.stateOf} answers for a task whose job's storage was reused and that had
 * launched: terminal, but which terminal state is no longer kept.
 */
export const RELEASED_CODE = -1;

/** Task ids per page of the id -> slot map (2^10). */
const PAGE_BITS = 10;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/**
 * The tasks of the run's live jobs in packed typed arrays, by slot; the jobs of the whole run by
 * job index.
 *
 * Task and job ids are dense and handed out in submission order for the whole run: job j owns
 * task ids firstTask[j] .. firstTask[j] + taskCount[j] - 1. A job's tasks also sit in consecutive
 * slots of the per-task columns ({@link res}, {@link duration}, {@link job}, {@link agent},
 * {@link state}, {@link prefs}); {@link slotOf} maps a task id to its slot. When a job is over
 * (every task terminal, or dropped with it: {@link release}) its slots are reclaimed at the next
 * {@link addJob}, and its ids keep answering what callers ask of a finished task
 * ({@link isLive}, {@link jobOf}, {@link stateOf}).
 *
 * Reuse is by compaction, not by a free list of ranges: when the next job does not fit after the
 * last slot, the live jobs slide down over the reclaimed slots (in slot order, which is id
 * order), and the columns double until at least half of them is free. A free list would have to
 * find a hole as long as each new job (jobs of 1 to thousands of tasks leave holes no later job
 * fits, and merging neighbours needs an ordered index); compaction leaves no hole, each slot
 * moves at most once per compaction and a compaction is at least half the capacity of new tasks
 * after the previous one (amortised O(1) per task), and the capacity stays within four times the
 * most tasks live at once. The price: a slot is only valid until the next addJob, so nothing
 * outside the table keeps one; side tables key tasks by id.
 *
 * Until a job's storage is reused, the table reads as before (slot = task id when nothing was
 * reclaimed, as in tests that fill a table by hand).
 */
export class TaskTable {
  /** task ids handed out (ids 0 .. size - 1) */
  size = 0;
  /** jobs stored (job ids 0 .. jobs - 1) */
  jobs = 0;
  /**
   * Each task's resources, packed (stride NUM_RESOURCES) by slot: the model's own. Schedulers read
   * them through {@link fits}, {@link takeFrom}, {@link resInto} and {@link sameRes}.
   */
  res: Float64Array;
  /** run time by slot, us */
  duration: Float64Array;
  /** job id by slot */
  job: Int32Array;
  /** agent index by slot (-1 while pending) */
  agent: Int32Array;
  /** index into TASK_STATE_CODES, by slot */
  state: Uint8Array;
  /** first task id, by job (the whole run) */
  firstTask: Int32Array;
  /** tasks, by job (the whole run) */
  taskCount: Int32Array;
  /** tasks of the job in a terminal state (or dropped), by job (the whole run) */
  doneCount: Int32Array;
  /** framework index, by job (the whole run) */
  jobFramework: Int32Array;
  /**
   * Resolved preferences by slot (undefined: none): agent and rack name ids (see
   * {@link agentId}/{@link rackId}). Sparse: only tasks with preferences have an entry.
   */
  readonly prefs: (TaskPrefs | undefined)[] = [];
  /**
   * Bumped whenever an agent name seen before gets a rack (registers) or another rack: indexes of
   * preferences by rack ({@link agentRack} of preferred agents) are stale after it. Registrations
   * of names not seen before leave it alone (no preference can name them yet).
   */
  rackEpoch = 0;
  /** the most slots held at once (by jobs not yet reclaimed) */
  peakHeld = 0;

  /** name id -> agent index in the master (-1 until the agent registers) */
  private readonly nameAgent: number[] = [];
  /** agent name id -> rack id (-1 until the agent registers) */
  private readonly nameRack: number[] = [];
  /** agent index -> agent name id */
  private readonly agentName: number[] = [];
  private readonly agentIds = new Map<string, number>();
  private readonly rackIds = new Map<string, number>();
  /** agent name and rack name by id */
  private readonly agentNames: string[] = [];
  private readonly rackNames: string[] = [];
  private taskCap: number;
  private jobCap: number;
  private readonly reuse: boolean;
  /** slot of each job's first task; -1 once its storage was reclaimed */
  private slotBase: Int32Array;
  /** slots [0, top) are in use or reclaimed-but-not-compacted */
  private top = 0;
  /** slots held by jobs not reclaimed */
  private held = 0;
  /** jobs holding slots, in slot order (reclaimed ones are dropped at the next compaction) */
  private order: number[] = [];
  /** jobs over whose slots the next addJob reclaims */
  private over: number[] = [];
  /** task id -> slot, by pages of 2^PAGE_BITS ids (-1: reclaimed); a page goes when none of its ids holds a slot */
  private readonly pages: (Int32Array | undefined)[] = [];
  /** ids holding a slot, by page */
  private readonly pageHeld: number[] = [];
  /** jobs reclaimed with tasks never launched (dropped or abandoned): 1 for those tasks, by task - firstTask */
  private readonly unlaunched = new Map<number, Uint8Array>();

  constructor(taskCapacity = 1024, jobCapacity = 256, options: TaskTableOptions = {}) {
    this.taskCap = Math.max(16, taskCapacity);
    this.jobCap = Math.max(16, jobCapacity);
    this.reuse = options.reuse ?? true;
    this.res = new Float64Array(this.taskCap * NUM_RESOURCES);
    this.duration = new Float64Array(this.taskCap);
    this.job = new Int32Array(this.taskCap);
    this.agent = new Int32Array(this.taskCap).fill(-1);
    this.state = new Uint8Array(this.taskCap);
    this.firstTask = new Int32Array(this.jobCap);
    this.taskCount = new Int32Array(this.jobCap);
    this.doneCount = new Int32Array(this.jobCap);
    this.jobFramework = new Int32Array(this.jobCap);
    this.slotBase = new Int32Array(this.jobCap);
  }

  /** Slots of the per-task columns. */
  get capacity(): number {
    return this.taskCap;
  }

  /** Slots held by jobs whose storage is not reclaimed yet. */
  get heldSlots(): number {
    return this.held;
  }

  /** the role of each job that names one (JobSpec.role), by job index: few jobs do, so a map */
  private readonly roles = new Map<number, string>();

  /** The role job `job` was submitted for (JobSpec.role), or undefined: any role of its framework. */
  jobRole(job: number): string | undefined {
    return this.roles.size === 0 ? undefined : this.roles.get(job);
  }

  /** Stores a job and its tasks (state pending); returns the job index. */
  addJob(spec: JobSpec, framework: number): JobIx {
    if (this.over.length > 0) this.reclaim();
    const n = spec.tasks.length;
    if (this.top + n > this.taskCap) this.makeRoom(n);
    if (this.jobs === this.jobCap) this.growJobs();
    const j = this.jobs++;
    const first = this.size;
    const base = this.top;
    this.firstTask[j] = first;
    this.taskCount[j] = n;
    this.doneCount[j] = 0;
    this.jobFramework[j] = framework;
    if (spec.role !== undefined) this.roles.set(j, spec.role);
    this.slotBase[j] = base;
    this.order.push(j);
    this.size += n;
    this.top += n;
    this.held += n;
    if (this.held > this.peakHeld) this.peakHeld = this.held;
    this.mapIds(first, n, base);
    for (let k = 0; k < n; k++) {
      const t = spec.tasks[k]!;
      const i = base + k;
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
      } else if (this.prefs[i] !== undefined) this.prefs[i] = undefined;
    }
    return jobIx(j);
  }

  /**
   * Job `job` is over: every task terminal or dropped with it. Its slots are reclaimed at the next
   * {@link addJob} (so that whoever ended it may still read it until then); its ids keep
   * answering {@link isLive}, {@link jobOf} and {@link stateOf}. Without reuse, nothing happens.
   */
  release(job: number): void {
    if (this.reuse) this.over.push(job);
  }

  /** The slot of live task `task` (see {@link isLive}): valid until the next {@link addJob}. */
  slotOf(task: number): number {
    return this.pages[task >> PAGE_BITS]![task & PAGE_MASK]!;
  }

  /** Whether task id `task` (0 <= task < size) still holds a slot: its job's storage is not reclaimed. */
  isLive(task: number): boolean {
    const page = this.pages[task >> PAGE_BITS];
    return page !== undefined && page[task & PAGE_MASK]! >= 0;
  }

  /** The job task `task` (0 <= task < size) belongs to. */
  jobOf(task: TaskIx): JobIx {
    if (this.isLive(task)) return jobIx(this.job[this.slotOf(task)]!);
    // Reclaimed: the last job whose first task is at most `task` (firstTask ascends).
    let lo = 0;
    let hi = this.jobs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstTask[mid]! <= task) lo = mid;
      else hi = mid - 1;
    }
    return jobIx(lo);
  }

  /**
   * The state code of task `task` (0 <= task < size): its {@link TaskCode} while it holds a slot;
   * once its job's storage is reclaimed, PENDING for a task that never launched (its job was
   * dropped or abandoned) and {@link RELEASED_CODE} for one that did (it is terminal).
   */
  stateOf(task: number): number {
    if (this.isLive(task)) return this.state[this.slotOf(task)]!;
    const j = this.jobOf(task as TaskIx);
    return this.unlaunched.get(j)?.[task - this.firstTask[j]!] === 1 ? PENDING_CODE : RELEASED_CODE;
  }

  /**
   * Live task `task` reached a terminal state: with reuse, its preferences (most of a task's
   * bytes) go at once, since nothing asks where a task that has ended would be local; its slot
   * goes with its job's (a job lives until its last task ends, many times one task's run time).
   */
  ended(task: number): void {
    if (this.reuse) this.prefs[this.slotOf(task)] = undefined;
  }

  /** Whether live task `task` is pending (not launched). */
  isPending(task: number): boolean {
    return this.state[this.slotOf(task)] === PENDING_CODE;
  }

  /** Sets live task `task`'s state code. */
  setState(task: number, code: number): void {
    this.state[this.slotOf(task)] = code;
  }

  /** The agent live task `task` was launched on (-1 while it is pending). */
  agentOf(task: TaskIx): AgentIx {
    return agentIx(this.agent[this.slotOf(task)]!);
  }

  /** Live task `task`'s run time, us. */
  durationOf(task: number): number {
    return this.duration[this.slotOf(task)]!;
  }

  /** Live task `task`'s preferences (undefined: none). */
  prefsOf(task: number): TaskPrefs | undefined {
    return this.prefs[this.slotOf(task)];
  }

  /** Where live task `task`'s resources start in {@link res}: valid until the next {@link addJob}. */
  resOffset(task: number): number {
    return this.slotOf(task) * NUM_RESOURCES;
  }

  /** Whether live task `task`'s resources fit in `rem` (a resource vector holding at least them). */
  fits(task: number, rem: Float64Array): boolean {
    return contains(rem, 0, this.res, this.slotOf(task) * NUM_RESOURCES);
  }

  /** Takes live task `task`'s resources out of `rem`. */
  takeFrom(rem: Float64Array, task: number): void {
    subInto(rem, 0, this.res, this.slotOf(task) * NUM_RESOURCES);
  }

  /** Copies live task `task`'s resources into `out` (a resource vector). */
  resInto(task: number, out: Float64Array): void {
    copyInto(out, 0, this.res, this.slotOf(task) * NUM_RESOURCES);
  }

  /** Whether live tasks `a` and `b` need the same resources. */
  sameRes(a: number, b: number): boolean {
    return equals(this.res, this.slotOf(a) * NUM_RESOURCES, this.res, this.slotOf(b) * NUM_RESOURCES);
  }

  /** A string naming live task `task`'s resources: equal for tasks that need the same. */
  resKey(task: number): string {
    const off = this.slotOf(task) * NUM_RESOURCES;
    let key = '';
    for (let r = 0; r < NUM_RESOURCES; r++) key += `${this.res[off + r]!},`;
    return key;
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
      this.agentNames.push(name);
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
      this.rackNames.push(name);
    }
    return id;
  }

  /** The agent name of name id `id` (see {@link agentId}). */
  agentNameOf(id: number): string {
    return this.agentNames[id]!;
  }

  /** The rack name of rack id `id` (see {@link rackId}). */
  rackNameOf(id: number): string {
    return this.rackNames[id]!;
  }

  /**
   * Locality of running live `task` on registered agent `agent` ({@link Locality}): NONE when the
   * task has no preference; NODE on a preferred agent; RACK on another agent of a preferred rack
   * or of a preferred agent's rack; REMOTE elsewhere.
   */
  localityOf(task: number, agent: number): number {
    const p = this.prefs[this.slotOf(task)];
    if (p === undefined) return Locality.NONE;
    const id = this.agentName[agent] ?? -1;
    const rack = id >= 0 ? this.nameRack[id]! : -1;
    for (let k = 0; k < p.agents.length; k++) if (p.agents[k] === id) return Locality.NODE;
    if (rack < 0) return Locality.REMOTE;
    for (let k = 0; k < p.racks.length; k++) if (p.racks[k] === rack) return Locality.RACK;
    for (let k = 0; k < p.agents.length; k++) if (this.nameRack[p.agents[k]!] === rack) return Locality.RACK;
    return Locality.REMOTE;
  }

  /** Points task ids first .. first + n - 1 at slots base .. base + n - 1. */
  private mapIds(first: number, n: number, base: number): void {
    for (let k = 0; k < n; k++) {
      const id = first + k;
      const p = id >> PAGE_BITS;
      let page = this.pages[p];
      if (page === undefined) {
        this.pages[p] = page = new Int32Array(PAGE_MASK + 1).fill(-1);
        this.pageHeld[p] = 0;
      }
      if (page[id & PAGE_MASK]! < 0) this.pageHeld[p]!++;
      page[id & PAGE_MASK] = base + k;
    }
  }

  /** Gives back the slots of the jobs that are over (see {@link release}). */
  private reclaim(): void {
    for (const j of this.over) {
      const base = this.slotBase[j]!;
      if (base < 0) continue; // released twice
      const n = this.taskCount[j]!;
      const first = this.firstTask[j]!;
      let never: Uint8Array | undefined;
      for (let k = 0; k < n; k++) {
        if (this.state[base + k] === PENDING_CODE) (never ??= new Uint8Array(n))[k] = 1;
        if (this.prefs[base + k] !== undefined) this.prefs[base + k] = undefined;
        const id = first + k;
        const p = id >> PAGE_BITS;
        this.pages[p]![id & PAGE_MASK] = -1;
        if (--this.pageHeld[p]! === 0) this.pages[p] = undefined;
      }
      if (never !== undefined) this.unlaunched.set(j, never);
      this.slotBase[j] = -1;
      this.held -= n;
    }
    this.over.length = 0;
  }

  /** Room for `n` more tasks after the last slot: compaction (with reuse), then doubling. */
  private makeRoom(n: number): void {
    if (this.reuse) this.compact();
    // With reuse, at least half the columns stay free after a compaction, so that the next one
    // comes after at least as many new tasks as this one moved (amortised O(1) per task).
    const need = this.reuse ? 2 * (this.top + n) : this.top + n;
    let cap = this.taskCap;
    while (cap < need) cap *= 2;
    if (cap !== this.taskCap) this.growTasks(cap);
  }

  /** Slides the live jobs down over reclaimed slots, in slot order. */
  private compact(): void {
    const oldTop = this.top;
    let w = 0;
    let kept = 0;
    const order = this.order;
    for (let q = 0; q < order.length; q++) {
      const j = order[q]!;
      const base = this.slotBase[j]!;
      if (base < 0) continue;
      order[kept++] = j;
      const n = this.taskCount[j]!;
      if (base !== w) {
        this.res.copyWithin(w * NUM_RESOURCES, base * NUM_RESOURCES, (base + n) * NUM_RESOURCES);
        this.duration.copyWithin(w, base, base + n);
        this.job.copyWithin(w, base, base + n);
        this.agent.copyWithin(w, base, base + n);
        this.state.copyWithin(w, base, base + n);
        for (let k = 0; k < n; k++) this.prefs[w + k] = this.prefs[base + k];
        this.slotBase[j] = w;
        this.mapIds(this.firstTask[j]!, n, w);
      }
      w += n;
    }
    order.length = kept;
    for (let i = w; i < oldTop; i++) if (this.prefs[i] !== undefined) this.prefs[i] = undefined;
    this.top = w;
  }

  private growTasks(cap: number): void {
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
    this.slotBase = resized(this.slotBase, cap);
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

/**
 * Task state codes stored in {@link TaskTable.state}: 0 pending, then the Mesos states. UNREACHABLE
 * (a partition-aware framework's task on an agent marked unreachable) is not terminal; GONE is.
 */
export const TaskCode = { PENDING: 0, STAGING: 1, RUNNING: 2, FINISHED: 3, FAILED: 4, KILLED: 5, LOST: 6, UNREACHABLE: 7, GONE: 8 } as const;
