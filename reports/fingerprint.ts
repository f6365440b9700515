/**
 * A fast deterministic 64-bit fingerprint of the event stream (the manifest's `fingerprint`): two
 * independent 32-bit lanes fed every field of every record, in order. Not cryptographic.
 * Imports only the event log types.
 */
import { assertNever } from '../sim/kernel/assert.js';
import type { LogBlock, LogRecord, LogSink, ResTuple } from '../sim/model/log.js';
import { ROW_FIELDS, ROW_LOCALITIES, ROW_TASK_STATES, RowKind } from '../sim/model/record-block.js';

/** Index of a double's low and high 32-bit words in a Uint32Array view, by platform byte order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
/** Words queued before they are hashed: a record's fixed fields fit; long strings flush midway. */
const BUF_WORDS = 64;

/**
 * The kind code fed first for each record, one per kind (a test checks they are distinct). Never
 * renumber a kind: that changes every fingerprint with it. `decision` moved from 15 (which
 * `agent_removed` has) to 18.
 */
export const KIND_CODE: Readonly<Record<LogRecord['kind'], number>> = {
  agent_added: 1,
  agent_removed: 15,
  framework_added: 2,
  job_submitted: 3,
  job_finished: 4,
  offer_sent: 5,
  offer_accepted: 6,
  offer_declined: 7,
  offer_rescinded: 8,
  task_state: 9,
  task_locality: 14,
  suppress: 10,
  revive: 11,
  allocation_run: 12,
  decision: 18,
  job_abandoned: 16,
  commit: 17,
  run_ended: 13,
  job_restarted: 19,
  framework_disconnected: 20,
  framework_reconnected: 21,
  framework_reconnect_refused: 22,
  framework_removed: 23,
  job_dropped: 24,
  task_error: 25,
  app_submitted: 26,
  am_registered: 27,
  asks_sent: 28,
  container_allocated: 29,
  container_completed: 30,
  reserved: 31,
  queue_guarantee: 32,
  reservation: 33,
  operation_error: 34,
  agent_reconnected: 35,
};

/**
 * Folds every record into two 32-bit lanes with different mixing functions (a MurmurHash3 block
 * step and an xxHash32 round), so an accidental collision must hit both at once.
 *
 * Encoding, fixed so that the digest is the same on every machine: per record a kind code, then
 * its fields in the order the log types declare them. A number is fed as the two 32-bit words of
 * its IEEE-754 double (low word first, whatever the platform's byte order), so integers and
 * fractions alike are hashed exactly; -0 is fed as 0 and every NaN as one NaN, as a JSON line
 * would show them. A string is fed as its length and then its UTF-16 code units, two per word.
 */
export class Fingerprint implements LogSink {
  private a = 0x9747b28c;
  private b = 0x165667b1;
  private words = 0;
  private records = 0;
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);
  /** words of the current record not yet hashed: buf[0..n) (see {@link flush}) */
  private readonly buf = new Int32Array(BUF_WORDS);
  private n = 0;

  /** Folds one record. */
  record(r: LogRecord): void {
    this.records++;
    switch (r.kind) {
      case 'agent_added':
        this.word(KIND_CODE.agent_added);
        this.num(r.t);
        this.num(r.agent);
        this.str(r.name);
        this.str(r.rack);
        this.res(r.res);
        break;
      case 'agent_removed':
        this.word(KIND_CODE.agent_removed);
        this.num(r.t);
        this.num(r.agent);
        this.res(r.res);
        break;
      case 'framework_added':
        this.word(KIND_CODE.framework_added);
        this.num(r.t);
        this.num(r.framework);
        this.str(r.name);
        this.str(r.role);
        this.num(r.weight);
        this.str(r.behaviour);
        this.strs(r.roles);
        break;
      case 'job_submitted':
        this.word(KIND_CODE.job_submitted);
        this.num(r.t);
        this.num(r.job);
        this.str(r.name);
        this.num(r.framework);
        this.num(r.tasks);
        this.num(r.maxTaskDuration);
        break;
      case 'job_finished':
        this.word(KIND_CODE.job_finished);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        break;
      case 'offer_sent':
        this.word(KIND_CODE.offer_sent);
        this.num(r.t);
        this.num(r.offer);
        this.num(r.framework);
        this.num(r.agent);
        this.res(r.res);
        if (r.role !== undefined) this.str(r.role);
        break;
      case 'offer_accepted':
        this.word(KIND_CODE.offer_accepted);
        this.num(r.t);
        this.num(r.offer);
        this.num(r.framework);
        this.num(r.agent);
        this.num(r.tasks);
        this.res(r.used);
        this.num(r.refuse);
        break;
      case 'offer_declined':
        this.word(KIND_CODE.offer_declined);
        this.num(r.t);
        this.num(r.offer);
        this.num(r.framework);
        this.num(r.agent);
        this.num(r.refuse);
        break;
      case 'offer_rescinded':
        this.word(KIND_CODE.offer_rescinded);
        this.num(r.t);
        this.num(r.offer);
        this.num(r.framework);
        this.num(r.agent);
        break;
      case 'task_state':
        this.word(KIND_CODE.task_state);
        this.num(r.t);
        this.num(r.task);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.agent);
        this.str(r.state);
        this.res(r.res);
        break;
      case 'task_locality':
        this.word(KIND_CODE.task_locality);
        this.num(r.t);
        this.num(r.task);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.agent);
        this.str(r.locality);
        break;
      case 'suppress':
        this.word(KIND_CODE.suppress);
        this.num(r.t);
        this.num(r.framework);
        this.strs(r.roles);
        break;
      case 'revive':
        this.word(KIND_CODE.revive);
        this.num(r.t);
        this.num(r.framework);
        this.strs(r.roles);
        break;
      case 'allocation_run':
        this.word(KIND_CODE.allocation_run);
        this.num(r.t);
        this.num(r.candidates);
        this.num(r.offers);
        if (r.busy !== undefined) this.num(r.busy); // the allocator cost model only
        break;
      case 'decision':
        this.word(KIND_CODE.decision);
        this.num(r.t);
        this.num(r.framework);
        this.num(r.job);
        this.num(r.start);
        this.num(r.tasks);
        break;
      case 'job_abandoned':
        this.word(KIND_CODE.job_abandoned);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.dropped);
        this.num(r.attempts);
        break;
      case 'commit':
        this.word(KIND_CODE.commit);
        this.num(r.t);
        this.num(r.framework);
        this.num(r.job);
        this.num(r.placed);
        this.num(r.conflicts);
        break;
      case 'job_restarted':
        this.word(KIND_CODE.job_restarted);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.copy);
        break;
      case 'framework_disconnected':
        this.word(KIND_CODE.framework_disconnected);
        this.num(r.t);
        this.num(r.framework);
        this.num(r.failoverTimeout);
        break;
      case 'agent_reconnected':
        this.word(KIND_CODE.agent_reconnected);
        this.num(r.t);
        this.num(r.agent);
        break;
      case 'framework_reconnected':
        this.word(KIND_CODE.framework_reconnected);
        this.num(r.t);
        this.num(r.framework);
        this.strs(r.suppressedRoles);
        break;
      case 'framework_reconnect_refused':
        this.word(KIND_CODE.framework_reconnect_refused);
        this.num(r.t);
        this.num(r.framework);
        break;
      case 'framework_removed':
        this.word(KIND_CODE.framework_removed);
        this.num(r.t);
        this.num(r.framework);
        this.num(r.tasksKilled);
        this.num(r.jobsDropped);
        break;
      case 'job_dropped':
        this.word(KIND_CODE.job_dropped);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.dropped);
        break;
      case 'task_error':
        this.word(KIND_CODE.task_error);
        this.num(r.t);
        this.num(r.task);
        this.num(r.framework);
        this.num(r.offer);
        this.str(r.reason);
        break;
      case 'reservation':
        this.word(KIND_CODE.reservation);
        this.num(r.t);
        this.num(r.framework);
        this.num(r.offer);
        this.num(r.agent);
        this.str(r.role);
        this.str(r.op);
        this.res(r.res);
        break;
      case 'operation_error':
        this.word(KIND_CODE.operation_error);
        this.num(r.t);
        this.num(r.framework);
        this.num(r.offer);
        this.num(r.index);
        this.str(r.op);
        this.str(r.reason);
        break;
      case 'app_submitted':
        this.word(KIND_CODE.app_submitted);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        this.str(r.queue);
        break;
      case 'am_registered':
        this.word(KIND_CODE.am_registered);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.container);
        this.num(r.agent);
        break;
      case 'asks_sent':
        this.word(KIND_CODE.asks_sent);
        this.num(r.t);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.priority);
        this.num(r.containers);
        break;
      case 'container_allocated':
        this.word(KIND_CODE.container_allocated);
        this.num(r.t);
        this.num(r.container);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.agent);
        this.num(r.priority);
        this.str(r.locality);
        this.num(r.am ? 1 : 0);
        this.res(r.res);
        break;
      case 'container_completed':
        this.word(KIND_CODE.container_completed);
        this.num(r.t);
        this.num(r.container);
        this.num(r.job);
        this.num(r.framework);
        this.num(r.agent);
        this.str(r.reason);
        break;
      case 'reserved':
        this.word(KIND_CODE.reserved);
        this.num(r.t);
        this.res(r.res);
        break;
      case 'queue_guarantee':
        this.word(KIND_CODE.queue_guarantee);
        this.num(r.t);
        this.str(r.queue);
        this.res(r.guarantee);
        break;
      case 'run_ended':
        this.word(KIND_CODE.run_ended);
        this.num(r.t);
        this.str(r.reason);
        break;
      default:
        assertNever(r, 'record');
    }
    this.flush();
  }

  /**
   * Folds a block of records: the same words, in the same order, as {@link record} would feed for
   * each of them, so the digest does not depend on how the log arrived.
   */
  block(b: LogBlock): void {
    const f = b.f;
    const kinds = b.kind;
    const ts = b.t;
    for (let i = 0; i < b.length; i++) {
      const o = i * ROW_FIELDS;
      switch (kinds[i]) {
        case RowKind.OFFER_SENT:
          this.records++;
          this.word(KIND_CODE.offer_sent);
          this.num(ts[i]!);
          this.nums(f, o, 7);
          break;
        case RowKind.OFFER_ACCEPTED:
          this.records++;
          this.word(KIND_CODE.offer_accepted);
          this.num(ts[i]!);
          this.nums(f, o, 9);
          break;
        case RowKind.OFFER_DECLINED:
          this.records++;
          this.word(KIND_CODE.offer_declined);
          this.num(ts[i]!);
          this.nums(f, o, 4);
          break;
        case RowKind.TASK_STATE:
          this.records++;
          this.word(KIND_CODE.task_state);
          this.num(ts[i]!);
          this.nums(f, o, 4);
          this.str(ROW_TASK_STATES[f[o + 4]!]!);
          this.nums(f, o + 5, 4);
          break;
        case RowKind.TASK_LOCALITY:
          this.records++;
          this.word(KIND_CODE.task_locality);
          this.num(ts[i]!);
          this.nums(f, o, 4);
          this.str(ROW_LOCALITIES[f[o + 4]!]!);
          break;
        default:
          this.record(b.objects[f[o]!]!);
      }
    }
    this.flush();
  }

  /** Number of records folded so far. */
  get count(): number {
    return this.records;
  }

  /** The digest of the records so far: 16 lowercase hex digits. Does not end the fold. */
  digest(): string {
    // Finalise copies of the lanes, each salted with the stream's lengths, then cross them so
    // that every output bit depends on both lanes.
    const a = fmix32((this.a ^ this.words) >>> 0);
    const b = fmix32((this.b ^ Math.imul(this.records, 0x27d4eb2f)) >>> 0);
    const hi = fmix32((a ^ Math.imul(b, 0x9e3779b1)) >>> 0);
    const lo = fmix32((b ^ Math.imul(hi, 0x85ebca77)) >>> 0);
    return hex8(hi) + hex8(lo);
  }

  /** Queues one 32-bit word (hashed at the record's end, or when the buffer is full). */
  private word(w: number): void {
    if (this.n === BUF_WORDS) this.flush();
    this.buf[this.n++] = w;
  }

  /**
   * Hashes the queued words into the lanes, in order: per word, lane a takes a MurmurHash3 x86_32
   * block step and lane b an xxHash32 round. The lanes stay in locals for the whole batch.
   */
  private flush(): void {
    const buf = this.buf;
    const n = this.n;
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < n; i++) {
      const w = buf[i]!;
      // lane a: MurmurHash3 x86_32 block step
      let k = Math.imul(w, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      let h = a ^ k;
      h = (h << 13) | (h >>> 19);
      a = (Math.imul(h, 5) + 0xe6546b64) | 0;
      // lane b: xxHash32 round
      let x = (b + Math.imul(w, 0x85ebca77)) | 0;
      x = (x << 13) | (x >>> 19);
      b = Math.imul(x, 0x9e3779b1);
    }
    this.a = a;
    this.b = b;
    this.words += n;
    this.n = 0;
  }

  private num(x: number): void {
    if (this.n > BUF_WORDS - 2) this.flush();
    const buf = this.buf;
    const n = this.n;
    if (x === 0) {
      buf[n] = 0;
      buf[n + 1] = 0;
    } else if (x !== x) {
      buf[n] = 0;
      buf[n + 1] = 0x7ff80000;
    } else {
      this.f64[0] = x;
      buf[n] = this.u32[LO]!;
      buf[n + 1] = this.u32[HI]!;
    }
    this.n = n + 2;
  }

  /** Feeds f[o], f[o + 1], ..., f[o + n - 1] as numbers. */
  private nums(f: Float64Array, o: number, n: number): void {
    for (let k = o; k < o + n; k++) this.num(f[k]!);
  }

  private str(s: string): void {
    const n = s.length;
    this.word(n);
    let i = 0;
    for (; i + 1 < n; i += 2) this.word(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < n) this.word(s.charCodeAt(i));
  }

  /** A multi-role framework's list of roles, when the record has one (else nothing: other runs' digests are unchanged). */
  private strs(list: readonly string[] | undefined): void {
    if (list === undefined) return;
    this.word(list.length);
    for (const x of list) this.str(x);
  }

  private res(v: ResTuple): void {
    this.num(v[0]);
    this.num(v[1]);
    this.num(v[2]);
    this.num(v[3]);
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}
