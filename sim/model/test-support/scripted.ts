/**
 * Test doubles: a scheduler whose answers a test scripts, and a sink that keeps every record.
 * Used by tests only (excluded from the build).
 */
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from '../framework.js';
import type { LogRecord, LogSink } from '../log.js';

/** What a scripted scheduler does with one offer. */
export type OfferAnswer =
  | { readonly kind: 'decline'; readonly refuseSeconds?: number }
  | { readonly kind: 'accept'; readonly tasks: readonly number[]; readonly refuseSeconds?: number }
  | { readonly kind: 'hold' };

/** A scheduler that asks `answer` what to do with each offer and remembers what it saw. */
export class ScriptedFramework implements FrameworkBehaviour {
  readonly kind = 'scripted';
  /** offers received: time (us), agent, cpus (fixed point) */
  readonly seen: { t: number; agent: number; offer: number; cpus: number }[] = [];
  readonly rescinded: number[] = [];
  pending = 0;
  constructor(private readonly answer: (o: OfferView, d: SchedulerDriver, self: ScriptedFramework) => OfferAnswer) {}
  onJobSubmitted(job: number, d: SchedulerDriver): void {
    this.pending += d.tasks.taskCount[job]!;
  }
  onOffers(offers: readonly OfferView[], d: SchedulerDriver): void {
    for (const o of offers) {
      this.seen.push({ t: d.now, agent: o.agent, offer: o.id, cpus: o.res[0]! });
      const a = this.answer(o, d, this);
      if (a.kind === 'decline') d.decline(o.id, a.refuseSeconds);
      else if (a.kind === 'accept') {
        this.pending -= a.tasks.length;
        d.accept(o.id, a.tasks, a.refuseSeconds);
      }
    }
  }
  onOfferRescinded(offer: number): void {
    this.rescinded.push(offer);
  }
  onTaskEnded(): void {}
  pendingTasks(): number {
    return this.pending;
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
