/**
 * Test doubles: a scheduler whose answers a test scripts, and a sink that keeps every record.
 * Used by tests only (excluded from the build).
 */
import type { FrameworkBehaviour, OfferOperation, OfferView, SchedulerDriver } from '../framework.js';
import { TaskCode, type TaskTable } from '../job.js';
import type { LogRecord, LogSink, TaskErrorReason } from '../log.js';
import { taskIx } from '../ids.js';

/** What a scripted scheduler does with one offer. */
export type OfferAnswer =
  | { readonly kind: 'decline'; readonly refuseSeconds?: number }
  | { readonly kind: 'accept'; readonly tasks: readonly number[]; readonly refuseSeconds?: number; readonly operations?: readonly OfferOperation[] }
  | { readonly kind: 'hold' };

/**
 * A scheduler that asks `answer` what to do with each offer and remembers what it saw. Its pending
 * tasks are those of its jobs still pending in the task table (a task the master refused stays
 * pending, so it counts again).
 */
export class ScriptedFramework implements FrameworkBehaviour {
  readonly kind = 'scripted';
  /** offers received: time (us), agent, cpus (fixed point) */
  readonly seen: { t: number; agent: number; offer: number; cpus: number }[] = [];
  readonly rescinded: number[] = [];
  /** task errors it was told of: time (us), task, reason */
  readonly errors: { t: number; task: number; reason: TaskErrorReason }[] = [];
  /** its jobs, in submission order */
  readonly jobs: number[] = [];
  private table: TaskTable | undefined;
  constructor(private readonly answer: (o: OfferView, d: SchedulerDriver, self: ScriptedFramework) => OfferAnswer) {}
  onJobSubmitted(job: number, d: SchedulerDriver): void {
    this.table = d.tasks;
    this.jobs.push(job);
  }
  onOffers(offers: readonly OfferView[], d: SchedulerDriver): void {
    for (const o of offers) {
      this.seen.push({ t: d.now, agent: o.agent, offer: o.id, cpus: o.res[0]! });
      const a = this.answer(o, d, this);
      if (a.kind === 'decline') d.decline(o.id, a.refuseSeconds);
      else if (a.kind === 'accept') d.accept(o.id, a.tasks.map(taskIx), a.refuseSeconds, a.operations);
    }
  }
  onOfferRescinded(offer: number): void {
    this.rescinded.push(offer);
  }
  onTaskEnded(): void {}
  onTaskError(task: number, reason: TaskErrorReason, d: SchedulerDriver): void {
    this.errors.push({ t: d.now, task, reason });
  }
  /** Its tasks still pending in the task table, in index order. */
  pendingList(): number[] {
    const t = this.table;
    const out: number[] = [];
    if (t === undefined) return out;
    for (const j of this.jobs) {
      for (let i = t.firstTask[j]!; i < t.firstTask[j]! + t.taskCount[j]!; i++) if (t.stateOf(i) === TaskCode.PENDING) out.push(i);
    }
    return out;
  }
  pendingTasks(): number {
    return this.pendingList().length;
  }
}

/** Keeps every record, for assertions. */
export class RecordingSink implements LogSink {
  readonly records: LogRecord[] = [];
  record(r: LogRecord): void {
    this.records.push(r);
  }
  /** Records of one kind. */
  of<K extends LogRecord['kind']>(kind: K): Extract<LogRecord, { kind: K }>[] {
    return this.records.filter((r): r is Extract<LogRecord, { kind: K }> => r.kind === kind);
  }
}
