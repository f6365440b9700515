/**
 * How the model's log records reach their sinks: the model writes each record to a
 * {@link RecordLog}, the hot kinds as column rows of a {@link RecordBlock} (no object built), the
 * rest as objects in their place; the log hands its block to every sink at the end of each kernel
 * event (and when the block is full), so a sink sees an event's records before the next event
 * runs. Sinks that read blocks (`LogSink.block`) fold the columns directly; the others get each
 * record as the object the model used to build. Imports the log's types and the block leaf.
 */
import type { LogRecord, LogSink } from './log.js';
import { BLOCK_ROWS, RecordBlock, ROW_FIELDS, RowKind } from './record-block.js';

/** Hands a block to a sink that reads records one at a time. */
function recordEach(sink: LogSink, b: RecordBlock): void {
  for (let i = 0; i < b.length; i++) sink.record(b.record(i));
}

/**
 * The model's side of the log: the run's records, in order, in blocks handed to every sink (in the
 * order given) at each {@link flush}. The simulation flushes at the end of every kernel event and
 * at the run's end; a full block is flushed at once.
 */
export class RecordLog {
  private readonly b: RecordBlock;
  private readonly sinks: readonly LogSink[];
  private readonly blockSinks: ((b: RecordBlock) => void)[];

  constructor(sinks: readonly LogSink[], capacity = BLOCK_ROWS) {
    this.sinks = sinks.slice();
    this.b = new RecordBlock(capacity);
    this.blockSinks = this.sinks.map((s) => (s.block !== undefined ? (b: RecordBlock) => s.block!(b) : (b: RecordBlock) => recordEach(s, b)));
  }

  /** Records not yet handed to the sinks. */
  get buffered(): number {
    return this.b.length;
  }

  /** Any record, as an object (kept in the block in its place). */
  record(r: LogRecord): void {
    const b = this.b;
    const i = b.length;
    b.kind[i] = RowKind.OBJECT;
    b.t[i] = r.t;
    b.f[i * ROW_FIELDS] = b.objects.length;
    b.objects.push(r);
    this.added();
  }

  /** offer_sent of `offer` to `framework` on `agent`, offering res[0..4). */
  offerSent(t: number, offer: number, framework: number, agent: number, res: Float64Array): void {
    const o = this.row(RowKind.OFFER_SENT, t);
    const f = this.b.f;
    f[o] = offer;
    f[o + 1] = framework;
    f[o + 2] = agent;
    f[o + 3] = res[0]!;
    f[o + 4] = res[1]!;
    f[o + 5] = res[2]!;
    f[o + 6] = res[3]!;
    this.added();
  }

  /** offer_accepted of `offer` by `framework` on `agent`: `tasks` tasks launched using used[0..4); the rest refused for `refuse` us. */
  offerAccepted(t: number, offer: number, framework: number, agent: number, tasks: number, used: Float64Array, refuse: number): void {
    const o = this.row(RowKind.OFFER_ACCEPTED, t);
    const f = this.b.f;
    f[o] = offer;
    f[o + 1] = framework;
    f[o + 2] = agent;
    f[o + 3] = tasks;
    f[o + 4] = used[0]!;
    f[o + 5] = used[1]!;
    f[o + 6] = used[2]!;
    f[o + 7] = used[3]!;
    f[o + 8] = refuse;
    this.added();
  }

  /** offer_declined of `offer` by `framework` on `agent`, refused for `refuse` us. */
  offerDeclined(t: number, offer: number, framework: number, agent: number, refuse: number): void {
    const o = this.row(RowKind.OFFER_DECLINED, t);
    const f = this.b.f;
    f[o] = offer;
    f[o + 1] = framework;
    f[o + 2] = agent;
    f[o + 3] = refuse;
    this.added();
  }

  /** task_state of `task` (state code `state`, see {@link ROW_TASK_STATES}) holding res[off..off+4). */
  taskState(t: number, task: number, job: number, framework: number, agent: number, state: number, res: Float64Array, off: number): void {
    const o = this.row(RowKind.TASK_STATE, t);
    const f = this.b.f;
    f[o] = task;
    f[o + 1] = job;
    f[o + 2] = framework;
    f[o + 3] = agent;
    f[o + 4] = state;
    f[o + 5] = res[off]!;
    f[o + 6] = res[off + 1]!;
    f[o + 7] = res[off + 2]!;
    f[o + 8] = res[off + 3]!;
    this.added();
  }

  /** task_locality of `task` (locality code `locality`, see {@link ROW_LOCALITIES}). */
  taskLocality(t: number, task: number, job: number, framework: number, agent: number, locality: number): void {
    const o = this.row(RowKind.TASK_LOCALITY, t);
    const f = this.b.f;
    f[o] = task;
    f[o + 1] = job;
    f[o + 2] = framework;
    f[o + 3] = agent;
    f[o + 4] = locality;
    this.added();
  }

  /** Hands the buffered records to every sink, in order, and empties the block. */
  flush(): void {
    const b = this.b;
    if (b.length === 0) return;
    const sinks = this.blockSinks;
    for (let s = 0; s < sinks.length; s++) sinks[s]!(b);
    b.length = 0;
    b.objects.length = 0;
  }

  private row(kind: number, t: number): number {
    const b = this.b;
    const i = b.length;
    b.kind[i] = kind;
    b.t[i] = t;
    return i * ROW_FIELDS;
  }

  private added(): void {
    if (++this.b.length === this.b.capacity) this.flush();
  }
}
