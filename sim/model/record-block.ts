/**
 * A block of log records as rows of typed columns: the form in which the model hands its log to
 * sinks (sim/model/record-log.ts writes it; a sink with a `block` method reads it). The kinds that
 * make up nearly every record of a run (offer sent, accepted, declined; task state; task
 * locality) are column rows, without an object each; every other record is kept as its object,
 * in its place, so a block is consecutive records of the log in order. A shared leaf: it loads
 * nothing at run time (the log's types only), so reports may read blocks.
 */
import type { LogBlock, LogRecord, ResTuple, TaskLocality, TaskState } from './log.js';

/** What a row of a {@link RecordBlock} holds, by its kind code (`RecordBlock.kind[i]`). */
export const RowKind = {
  /** any record kind, as an object: field 0 is its index in {@link RecordBlock.objects} */
  OBJECT: 0,
  /** offer_sent: offer, framework, agent, res[4] */
  OFFER_SENT: 1,
  /** offer_accepted: offer, framework, agent, tasks, used[4], refuse */
  OFFER_ACCEPTED: 2,
  /** offer_declined: offer, framework, agent, refuse */
  OFFER_DECLINED: 3,
  /** task_state: task, job, framework, agent, state (the model's task code, see {@link ROW_TASK_STATES}), res[4] */
  TASK_STATE: 4,
  /** task_locality: task, job, framework, agent, locality (the model's locality code, see {@link ROW_LOCALITIES}) */
  TASK_LOCALITY: 5,
} as const;

/** Numbers per row ({@link RecordBlock.f}'s stride): the widest row kind's fields. */
export const ROW_FIELDS = 9;

/**
 * Task states by their code in a TASK_STATE row, which is the model's task code (TaskCode of
 * job.ts: pending, staging, running, finished, failed, killed, lost, unreachable, gone); a pending
 * task logs as staging.
 */
export const ROW_TASK_STATES: readonly TaskState[] = ['staging', 'staging', 'running', 'finished', 'failed', 'killed', 'lost', 'unreachable', 'gone'];
/** Localities by their code in a TASK_LOCALITY row, the model's Locality code of job.ts (none is never logged). */
export const ROW_LOCALITIES: readonly TaskLocality[] = ['node', 'node', 'rack', 'remote'];

/** Rows per block: 2,048 rows of 9 numbers are 147 KB, which stays in a core's cache while every sink reads it. */
export const BLOCK_ROWS = 2048;

/**
 * Consecutive records of the log as rows: row i has kind `kind[i]`, time `t[i]` and fields
 * `f[i * ROW_FIELDS ...]` (their meaning by kind, see {@link RowKind}). A sink reads a block
 * during its `block` call only: the block is reused afterwards.
 */
export class RecordBlock implements LogBlock {
  /** rows in use */
  length = 0;
  readonly capacity: number;
  readonly kind: Uint8Array;
  readonly t: Float64Array;
  readonly f: Float64Array;
  /** the records of OBJECT rows, by the index in their field 0 */
  readonly objects: LogRecord[];

  /** An empty block of `capacity` rows; or, given `columns`, a block over them holding `length` rows. */
  constructor(
    capacity: number = BLOCK_ROWS,
    columns?: { readonly length: number; readonly kind: Uint8Array; readonly t: Float64Array; readonly f: Float64Array; readonly objects: LogRecord[] },
  ) {
    this.capacity = capacity;
    this.kind = columns?.kind ?? new Uint8Array(capacity);
    this.t = columns?.t ?? new Float64Array(capacity);
    this.f = columns?.f ?? new Float64Array(capacity * ROW_FIELDS);
    this.objects = columns?.objects ?? [];
    this.length = columns?.length ?? 0;
  }

  /** Row i as the record object it stands for (a new object for column rows; the object itself for OBJECT rows). */
  record(i: number): LogRecord {
    const t = this.t[i]!;
    const f = this.f;
    const o = i * ROW_FIELDS;
    switch (this.kind[i]) {
      case RowKind.OFFER_SENT:
        return { kind: 'offer_sent', t, offer: f[o]!, framework: f[o + 1]!, agent: f[o + 2]!, res: resAt(f, o + 3) };
      case RowKind.OFFER_ACCEPTED:
        return {
          kind: 'offer_accepted',
          t,
          offer: f[o]!,
          framework: f[o + 1]!,
          agent: f[o + 2]!,
          tasks: f[o + 3]!,
          used: resAt(f, o + 4),
          refuse: f[o + 8]!,
        };
      case RowKind.OFFER_DECLINED:
        return { kind: 'offer_declined', t, offer: f[o]!, framework: f[o + 1]!, agent: f[o + 2]!, refuse: f[o + 3]! };
      case RowKind.TASK_STATE:
        return {
          kind: 'task_state',
          t,
          task: f[o]!,
          job: f[o + 1]!,
          framework: f[o + 2]!,
          agent: f[o + 3]!,
          state: ROW_TASK_STATES[f[o + 4]!]!,
          res: resAt(f, o + 5),
        };
      case RowKind.TASK_LOCALITY:
        return { kind: 'task_locality', t, task: f[o]!, job: f[o + 1]!, framework: f[o + 2]!, agent: f[o + 3]!, locality: ROW_LOCALITIES[f[o + 4]!]! };
      default:
        return this.objects[f[o]!]!;
    }
  }
}

function resAt(f: Float64Array, o: number): ResTuple {
  return [f[o]!, f[o + 1]!, f[o + 2]!, f[o + 3]!];
}
