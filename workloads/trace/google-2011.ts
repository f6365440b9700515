/**
 * Google cluster-data 2011-2 (Google, CC-BY 4.0): task_events as the main input, job_events as the
 * optional auxiliary input `jobEvents`. Event rows of many tasks become one canonical job per job
 * id, written in submit order; a job is held only while it is open or queued behind an earlier
 * open one (docs/traces.md states the bound). Pure: no I/O.
 *
 * task_events fields (1-based): 1 time (us), 2 missing-info, 3 job id, 4 task index, 5 machine id,
 * 6 event type, 7 user, 8 scheduling class, 9 priority (0-11), 10 CPU, 11 memory, 12 disk request
 * (normalised 0..1 to the largest machine), 13 different-machine constraint.
 * job_events fields: 1 time, 2 missing-info, 3 job id, 4 event type, 5 user, 6 scheduling class,
 * 7 job name, 8 logical job name.
 */
import { MICROS_PER_SECOND } from '../../sim/kernel/time.js';
import { MAX_AMOUNT, MAX_JOB_TASKS, MAX_TASK_SECONDS, MAX_TRACE_SECONDS, type CanonicalJob, type CanonicalTask } from './canonical.js';
import { Tally, clip, quote, type ImportSink, type TraceImporter } from './importer.js';

/** What to do with tasks first seen at time 0 (work already there when the trace window opened). */
export const GOOGLE_AT_ZERO_MODES = ['skip', 'start'] as const;
/** One of {@link GOOGLE_AT_ZERO_MODES}. */
export type GoogleAtZeroMode = (typeof GOOGLE_AT_ZERO_MODES)[number];

/** Options of the Google 2011 importer. */
export interface Google2011Options {
  /** the job_events file (read by the I/O layer, fed through auxLine); default none: no name attrs */
  readonly jobEvents?: string;
  /** 'skip' (default): leave out tasks first seen at time 0, counted; 'start': submit them at 0 */
  readonly atZero?: GoogleAtZeroMode;
  /** cores of one normalised CPU unit (the largest machine); default 32 */
  readonly cpusPerUnit?: number;
  /** MB of one normalised memory unit (the largest machine); default 131072 (128 GiB) */
  readonly memPerUnit?: number;
  /** MB of one normalised disk unit (the largest machine); default 1048576 (1 TiB) */
  readonly diskPerUnit?: number;
  /** seconds a job whose tasks have all ended must stay quiet before it is closed; default 60 */
  readonly closeAfter?: number;
  /** the machine a task ran on as its preferred agent; default true */
  readonly locality?: boolean;
}

/** Defaults of {@link Google2011Options}. */
export const GOOGLE_2011_DEFAULTS = {
  atZero: 'skip',
  cpusPerUnit: 32,
  memPerUnit: 131072,
  diskPerUnit: 1048576,
  closeAfter: 60,
  locality: true,
} as const;

/** Event types of task_events and job_events. */
const EVENT = { SUBMIT: 0, SCHEDULE: 1, EVICT: 2, FAIL: 3, FINISH: 4, KILL: 5, LOST: 6, UPDATE_PENDING: 7, UPDATE_RUNNING: 8 } as const;
const EVENT_NAMES = ['submit', 'schedule', 'evict', 'fail', 'finish', 'kill', 'lost', 'update-pending', 'update-running'] as const;

/** The trace's "after the end of the window" time, 2^63-1 us: kept as text (it is not exact as a double). */
const AFTER_END = '9223372036854775807';
const TASK_FIELDS = 13;
const JOB_FIELDS = 8;
/** The shortest run kept, s: a run seen to last 0 us becomes one microsecond. */
const MIN_DURATION = 1e-6;
const UINT = /^\d+$/;
/** The latest time of a row, us (MAX_TRACE_SECONDS); the after-the-end time is above it and read apart. */
const MAX_TIME_US = MAX_TRACE_SECONDS * MICROS_PER_SECOND;

/** Where a task is in its lifecycle: DEAD before its first SUBMIT and after a run or wait ends. */
const STATE = { PENDING: 0, RUNNING: 1, DEAD: 2 } as const;
type TaskState = (typeof STATE)[keyof typeof STATE];
const STATE_NAMES = ['pending', 'running', 'ended'] as const;
const { PENDING, RUNNING, DEAD } = STATE;

/** What an event did to a task. */
const MOVE = { REJECTED: 0, MOVED: 1, RUN_ENDED: 2 } as const;
type Moved = (typeof MOVE)[keyof typeof MOVE];
const { REJECTED, MOVED, RUN_ENDED } = MOVE;

/** One task, keyed by (job id, task index) across resubmissions. */
interface Task {
  readonly index: number;
  state: TaskState;
  /** data rows of the task so far, used or skipped together when the task is settled */
  rows: number;
  /** runs started (SCHEDULE rows that began one) */
  runs: number;
  /** the current run's start, us (RUNNING) */
  runStart: number;
  runMachine: string;
  /** the last run that ended: start, end (us), how it ended, where; lastEnd < 0: none yet */
  lastStart: number;
  lastEnd: number;
  lastHow: number;
  lastMachine: string;
  /** the last request given on the task's rows (normalised; NaN: never given) */
  cpu: number;
  mem: number;
  disk: number;
  /** the request in force when the last run ended */
  lastCpu: number;
  lastMem: number;
  lastDisk: number;
  /** the last priority given; -1: never */
  priority: number;
}

/** One job while it is open or waiting for its turn to be written. */
interface Job {
  readonly id: string;
  /** the first SUBMIT of a task of the job, us */
  readonly submit: number;
  user: string;
  cls: string;
  readonly tasks: Map<number, Task>;
  /** tasks pending or running */
  live: number;
  /** the time of the row that left the job with no live task, us; -1 while some task lives */
  deadAt: number;
  closed: boolean;
}

/** What job_events says of a job. */
interface JobInfo {
  user: string;
  cls: string;
  name: string;
  logicalName: string;
}

/**
 * Google 2011 importer. Every data row of task_events either went into an emitted job (counted
 * in rowsUsed when its task is emitted) or is skipped under one reason:
 * - bad rows, each reported with its line: 'fields' (not 13 fields), 'number' (time, job id,
 *   task index, machine id, missing-info, scheduling class or constraint not a number),
 *   'event-type' (not 0-8), 'priority' (not 0-11), 'normalised' (a request outside [0, 1]),
 *   'out-of-order' (earlier than the previous row), 'sequence' (an event that does not fit the
 *   task's state, e.g. FINISH of a task not running);
 * - rows of tasks the model leaves out, counted but not reported one by one (the trace window,
 *   not the row, is at fault): 'at-zero' (task first seen at time 0, atZero 'skip'), 'no-submit'
 *   (first row of the task is not a SUBMIT: submitted before this file), 'never-ran' (the task
 *   ended without running), 'unfinished' (pending or running at the end of the file),
 *   'after-close' (a row for a job already closed).
 */
export class Google2011Importer implements TraceImporter {
  readonly format = 'google-2011';
  readonly auxInputs = ['jobEvents'] as const;
  private readonly atZero: GoogleAtZeroMode;
  private readonly cpusPerUnit: number;
  private readonly memPerUnit: number;
  private readonly diskPerUnit: number;
  private readonly closeAfterUs: number;
  private readonly locality: boolean;
  private readonly withJobEvents: boolean;
  private readonly tally = new Tally();
  private readonly info = new Map<string, JobInfo>();
  private readonly open = new Map<string, Job>();
  /** jobs in submit order (rows come in time order, so creation order is submit order) */
  private queue: Job[] = [];
  private head = 0;
  /** jobs that lost their last live task, in the order it happened (so in deadAt order) */
  private quiet: { job: Job; at: number }[] = [];
  private quietHead = 0;
  /** ids of jobs closed (written or dropped): their later rows are 'after-close' */
  private readonly closedIds = new Set<string>();
  /** tasks left out whole, by "job,index": their later rows go to the same reason */
  private readonly skippedTasks = new Map<string, string>();
  private lastTime = 0;
  private peak = 0;

  constructor(options: Google2011Options = {}) {
    this.atZero = options.atZero ?? GOOGLE_2011_DEFAULTS.atZero;
    if (!(GOOGLE_AT_ZERO_MODES as readonly string[]).includes(this.atZero)) {
      throw new RangeError(`google-2011 atZero must be one of ${GOOGLE_AT_ZERO_MODES.join(', ')}`);
    }
    this.cpusPerUnit = positive('cpusPerUnit', options.cpusPerUnit ?? GOOGLE_2011_DEFAULTS.cpusPerUnit);
    this.memPerUnit = positive('memPerUnit', options.memPerUnit ?? GOOGLE_2011_DEFAULTS.memPerUnit);
    this.diskPerUnit = positive('diskPerUnit', options.diskPerUnit ?? GOOGLE_2011_DEFAULTS.diskPerUnit);
    const closeAfter = options.closeAfter ?? GOOGLE_2011_DEFAULTS.closeAfter;
    if (typeof closeAfter !== 'number' || !(closeAfter >= 0 && closeAfter <= MAX_TRACE_SECONDS))
      throw new RangeError(`google-2011 closeAfter must be a number of seconds in [0, ${MAX_TRACE_SECONDS}]`);
    this.closeAfterUs = Math.round(closeAfter * 1e6);
    this.locality = options.locality ?? GOOGLE_2011_DEFAULTS.locality;
    if (typeof this.locality !== 'boolean') throw new RangeError('google-2011 locality must be true or false');
    if (options.jobEvents !== undefined && typeof options.jobEvents !== 'string') throw new RangeError('google-2011 jobEvents must be a file path');
    this.withJobEvents = options.jobEvents !== undefined;
  }

  auxLine(input: string, text: string, lineNo: number, sink: ImportSink): void {
    const t = this.tally;
    const s = text.trim();
    if (s === '') return;
    const p = s.split(',');
    if (p.length !== JOB_FIELDS) {
      t.skipAux(sink, input, lineNo, 'fields', `expected ${JOB_FIELDS} fields, found ${p.length}`);
      return;
    }
    const [time, missing, jobId, type, user, cls, name, logicalName] = p as [string, string, string, string, string, string, string, string];
    if (!UINT.test(time)) return t.skipAux(sink, input, lineNo, 'number', `field 1 (time) is not a number of microseconds: ${quote(time)}`);
    if (missing !== '' && !UINT.test(missing)) return t.skipAux(sink, input, lineNo, 'number', `field 2 (missing-info) is not a number: ${quote(missing)}`);
    if (!UINT.test(jobId)) return t.skipAux(sink, input, lineNo, 'number', `field 3 (job id) is not a number: ${quote(jobId)}`);
    if (!UINT.test(type) || Number(type) > 8) return t.skipAux(sink, input, lineNo, 'event-type', `field 4 (event type) is not 0-8: ${quote(type)}`);
    if (cls !== '' && !UINT.test(cls)) return t.skipAux(sink, input, lineNo, 'number', `field 6 (scheduling class) is not a number: ${quote(cls)}`);
    t.note(`${input}:rows`);
    const known = this.info.get(jobId);
    if (known === undefined) {
      this.info.set(jobId, { user, cls, name, logicalName });
    } else {
      // Later rows fill what earlier ones left empty (missing-info rows have gaps).
      if (known.user === '') known.user = user;
      if (known.cls === '') known.cls = cls;
      if (known.name === '') known.name = name;
      if (known.logicalName === '') known.logicalName = logicalName;
    }
  }

  line(text: string, lineNo: number, sink: ImportSink): void {
    const t = this.tally;
    const s = t.row(text);
    if (s === undefined) return;
    const p = s.split(',');
    if (p.length !== TASK_FIELDS) return t.skip(sink, lineNo, 'fields', `expected ${TASK_FIELDS} fields, found ${p.length}`);
    const [time, missing, jobId, index, machine, type, user, cls, prio, cpu, mem, disk, constraint] = p as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const afterEnd = time === AFTER_END;
    if (!UINT.test(time)) return t.skip(sink, lineNo, 'number', `field 1 (time) is not a number of microseconds: ${quote(time)}`);
    if (missing !== '' && !UINT.test(missing)) return t.skip(sink, lineNo, 'number', `field 2 (missing-info) is not a number: ${quote(missing)}`);
    if (!UINT.test(jobId)) return t.skip(sink, lineNo, 'number', `field 3 (job id) is not a number: ${quote(jobId)}`);
    if (!UINT.test(index)) return t.skip(sink, lineNo, 'number', `field 4 (task index) is not a number: ${quote(index)}`);
    if (machine !== '' && !UINT.test(machine)) return t.skip(sink, lineNo, 'number', `field 5 (machine id) is not a number: ${quote(machine)}`);
    if (!UINT.test(type) || Number(type) > 8) return t.skip(sink, lineNo, 'event-type', `field 6 (event type) is not 0-8: ${quote(type)}`);
    if (cls !== '' && !UINT.test(cls)) return t.skip(sink, lineNo, 'number', `field 8 (scheduling class) is not a number: ${quote(cls)}`);
    if (prio !== '' && (!UINT.test(prio) || Number(prio) > 11)) return t.skip(sink, lineNo, 'priority', `field 9 (priority) is not 0-11: ${quote(prio)}`);
    const req: number[] = [];
    for (const [i, v, what] of [
      [10, cpu, 'CPU request'],
      [11, mem, 'memory request'],
      [12, disk, 'disk request'],
    ] as const) {
      const x = v === '' ? NaN : Number(v);
      if (v !== '' && !(x >= 0 && x <= 1)) return t.skip(sink, lineNo, 'normalised', `field ${i} (${what}) is not a number in [0, 1]: ${quote(v)}`);
      req.push(x);
    }
    if (constraint !== '' && !UINT.test(constraint))
      return t.skip(sink, lineNo, 'number', `field 13 (different-machine constraint) is not a number: ${quote(constraint)}`);
    // Bounds before order: an absurd row is a problem of its own and moves no watermark.
    if (!afterEnd && !(Number(time) <= MAX_TIME_US)) return t.skip(sink, lineNo, 'range', `field 1 (time) ${clip(time)} us is beyond ${MAX_TRACE_SECONDS} s`);
    if (!(Number(index) <= Number.MAX_SAFE_INTEGER)) return t.skip(sink, lineNo, 'range', `field 4 (task index) ${clip(index)} is beyond 2^53`);
    const now = afterEnd ? Infinity : Number(time);
    if (!afterEnd && now < this.lastTime) {
      return t.skip(sink, lineNo, 'out-of-order', `time ${time} is earlier than the previous row's ${this.lastTime}`);
    }
    const ev = Number(type);

    if (!afterEnd) {
      this.lastTime = now;
      this.closeQuiet(now);
      this.emitReady(sink);
    }
    const key = `${jobId},${index}`;
    const skippedAs = this.skippedTasks.get(key);
    if (skippedAs !== undefined) return this.skipQuietly(skippedAs);
    let job = this.open.get(jobId);
    if (job?.closed === true || this.closedIds.has(jobId)) return this.skipQuietly('after-close');

    const idx = Number(index);
    let task = job?.tasks.get(idx);
    if (task === undefined) {
      if (ev !== EVENT.SUBMIT || afterEnd) return this.skipTask(key, 'no-submit');
      if (now === 0 && this.atZero === 'skip') return this.skipTask(key, 'at-zero');
      if (job === undefined) {
        job = { id: jobId, submit: now, user, cls, tasks: new Map(), live: 0, deadAt: -1, closed: false };
        this.open.set(jobId, job);
        this.queue.push(job);
        this.peak = Math.max(this.peak, this.queue.length - this.head);
      }
      task = {
        index: idx,
        state: DEAD,
        rows: 0,
        runs: 0,
        runStart: 0,
        runMachine: '',
        lastStart: 0,
        lastEnd: -1,
        lastHow: 0,
        lastMachine: '',
        cpu: NaN,
        mem: NaN,
        disk: NaN,
        lastCpu: NaN,
        lastMem: NaN,
        lastDisk: NaN,
        priority: -1,
      };
      job.tasks.set(idx, task);
      if (now === 0) t.note('at-zero-started');
    }
    if (job === undefined) throw new Error(`google-2011: task ${key} without its job`);
    if (afterEnd) {
      // Happens after the window: the task has not got there within the file.
      t.note('after-end');
      task.rows++;
      return;
    }
    const moved = this.apply(job, task, ev, now, machine);
    if (moved === REJECTED) {
      return t.skip(sink, lineNo, 'sequence', `event ${type} (${EVENT_NAMES[ev]}) does not fit task ${key}, ${STATE_NAMES[task.state]}`);
    }
    task.rows++;
    if (job.user === '') job.user = user;
    if (job.cls === '') job.cls = cls;
    if (!Number.isNaN(req[0]!)) task.cpu = req[0]!;
    if (!Number.isNaN(req[1]!)) task.mem = req[1]!;
    if (!Number.isNaN(req[2]!)) task.disk = req[2]!;
    if (prio !== '') task.priority = Number(prio);
    if (moved === RUN_ENDED) {
      task.lastCpu = task.cpu;
      task.lastMem = task.mem;
      task.lastDisk = task.disk;
    }
    if (ev === EVENT.UPDATE_PENDING || ev === EVENT.UPDATE_RUNNING) t.note('update-rows');
  }

  tooLong(lineNo: number, bytes: number, sink: ImportSink, input?: string): void {
    this.tally.tooLong(sink, lineNo, bytes, input);
  }

  end(sink: ImportSink): void {
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.closed = true;
    this.emitReady(sink);
    this.tally.note('peak-buffered-jobs', this.peak);
  }

  counts() {
    return this.tally.counts();
  }

  /** Moves `task` by event `ev` at `now`: REJECTED when the event does not fit its state. */
  private apply(job: Job, task: Task, ev: number, now: number, machine: string): Moved {
    switch (ev) {
      case EVENT.SUBMIT:
        if (task.state !== DEAD) return REJECTED;
        if (task.rows > 0) this.tally.note('resubmissions');
        task.state = PENDING;
        job.live++;
        job.deadAt = -1;
        return MOVED;
      case EVENT.SCHEDULE:
        if (task.state !== PENDING) return REJECTED;
        task.state = RUNNING;
        task.runs++;
        task.runStart = now;
        task.runMachine = machine;
        return MOVED;
      case EVENT.EVICT:
      case EVENT.FAIL:
      case EVENT.KILL:
      case EVENT.LOST:
      case EVENT.FINISH: {
        if (task.state === DEAD || (ev === EVENT.FINISH && task.state !== RUNNING)) return REJECTED;
        const ran = task.state === RUNNING;
        if (ran) {
          task.lastStart = task.runStart;
          task.lastEnd = now;
          task.lastHow = ev;
          task.lastMachine = task.runMachine;
        }
        task.state = DEAD;
        job.live--;
        if (job.live === 0) {
          job.deadAt = now;
          this.quiet.push({ job, at: now });
        }
        return ran ? RUN_ENDED : MOVED;
      }
      case EVENT.UPDATE_PENDING:
        return task.state === PENDING ? MOVED : REJECTED;
      case EVENT.UPDATE_RUNNING:
        return task.state === RUNNING ? MOVED : REJECTED;
      default:
        return REJECTED;
    }
  }

  /** Closes the jobs that have had no live task for longer than closeAfter before `now`. */
  private closeQuiet(now: number): void {
    while (this.quietHead < this.quiet.length) {
      const q = this.quiet[this.quietHead]!;
      if (!(q.at + this.closeAfterUs < now)) break;
      this.quietHead++;
      if (q.job.live === 0 && q.job.deadAt === q.at) q.job.closed = true;
    }
    if (this.quietHead > 4096 && this.quietHead * 2 > this.quiet.length) {
      this.quiet = this.quiet.slice(this.quietHead);
      this.quietHead = 0;
    }
  }

  /** Writes (or drops) closed jobs from the front of the submit-ordered queue. */
  private emitReady(sink: ImportSink): void {
    while (this.head < this.queue.length && this.queue[this.head]!.closed) {
      const job = this.queue[this.head]!;
      this.queue[this.head] = undefined as unknown as Job;
      this.head++;
      this.settle(job, sink);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** A closed job: its tasks with an ended run become canonical tasks; the rest are skipped by reason. */
  private settle(job: Job, sink: ImportSink): void {
    const t = this.tally;
    this.open.delete(job.id);
    this.closedIds.add(job.id);
    const info = this.info.get(job.id);
    this.info.delete(job.id);
    const tasks: CanonicalTask[] = [];
    let rows = 0;
    let priority = -1;
    for (const task of [...job.tasks.values()].sort((a, b) => a.index - b.index)) {
      if (task.state !== DEAD) {
        this.skipQuietly('unfinished', task.rows);
        continue;
      }
      if (task.lastEnd < 0) {
        this.skipQuietly('never-ran', task.rows);
        continue;
      }
      // Times are bounded, but a run may still outlast any simulated run (a task at the end of
      // a 31-year file): its rows are out of range, counted with the job's other left-out rows.
      if ((task.lastEnd - task.lastStart) / 1e6 > MAX_TASK_SECONDS || tasks.length >= MAX_JOB_TASKS) {
        this.skipQuietly('range', task.rows);
        t.note('range-tasks');
        continue;
      }
      rows += task.rows;
      priority = Math.max(priority, task.priority);
      t.note(`ended-${EVENT_NAMES[task.lastHow]}`);
      if (task.runs > 1) t.note('rerun-tasks');
      if (Number.isNaN(task.lastCpu) && Number.isNaN(task.lastMem)) t.note('no-request');
      const us = task.lastEnd - task.lastStart;
      if (us === 0) t.note('zero-duration');
      const ct: CanonicalTask = {
        ...(Number.isNaN(task.lastCpu) ? {} : { cpus: milli(task.lastCpu * this.cpusPerUnit) }),
        ...(Number.isNaN(task.lastMem) ? {} : { mem: milli(task.lastMem * this.memPerUnit) }),
        ...(Number.isNaN(task.lastDisk) ? {} : { disk: milli(task.lastDisk * this.diskPerUnit) }),
        duration: Math.max(us / 1e6, MIN_DURATION),
        ...(this.locality && task.lastMachine !== '' ? { preferredAgents: [task.lastMachine] } : {}),
      };
      tasks.push(ct);
    }
    if (tasks.length === 0) return;
    const attrs: Record<string, string> = {};
    const user = job.user !== '' ? job.user : (info?.user ?? '');
    const cls = job.cls !== '' ? job.cls : (info?.cls ?? '');
    if (user !== '') attrs['user'] = user;
    if (cls !== '') attrs['class'] = cls;
    if (info !== undefined && info.name !== '') attrs['name'] = info.name;
    if (info !== undefined && info.logicalName !== '') attrs['logicalName'] = info.logicalName;
    if (this.withJobEvents && info === undefined) t.note('no-job-events');
    const out: CanonicalJob = {
      id: job.id,
      submit: job.submit / 1e6,
      attrs,
      tasks,
      ...(priority >= 0 ? { priority } : {}),
    };
    t.rowsUsed += rows;
    t.jobs++;
    t.tasks += tasks.length;
    sink.job(out);
  }

  /** Leaves out task `key` whole under `reason`, counting this row. */
  private skipTask(key: string, reason: string): void {
    this.skippedTasks.set(key, reason);
    this.tally.note(`${reason}-tasks`);
    this.skipQuietly(reason);
  }

  /** Counts `n` rows skipped under `reason` without reporting each: the model, not the row, left them out. */
  private skipQuietly(reason: string, n = 1): void {
    if (n === 0) return;
    this.tally.skipped.set(reason, (this.tally.skipped.get(reason) ?? 0) + n);
  }
}

/** A capacity of one normalised unit: a request is at most 1 unit, so the unit is at most MAX_AMOUNT. */
function positive(option: string, x: unknown): number {
  if (typeof x !== 'number' || !(x > 0 && x <= MAX_AMOUNT)) throw new RangeError(`google-2011 ${option} must be a number in (0, ${MAX_AMOUNT}]`);
  return x;
}

/** Rounds to thousandths, the precision Mesos keeps for scalar resources. */
function milli(x: number): number {
  return Math.round(x * 1000) / 1000;
}
