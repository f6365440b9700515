/**
 * The metric fold, the fingerprint and the record count of a run in a worker thread, fed by the
 * log's blocks, so that the run uses a second core. The fold is a pure function of the records in
 * order, so its result is the same as in the run's own thread (scenarios/fold-thread.test.ts runs
 * both and compares every output byte). The rows travel through a ring of {@link SLOTS} slots of
 * {@link THREAD_ROWS} rows in shared memory: the run copies each block's rows into the slot it is
 * filling and publishes the slot when it is full; the worker folds published slots in order and
 * frees them. Records kept as objects go with their slot as a message, sent before the slot is
 * published. The run waits only when every slot waits for the worker. Time-series samples come
 * back as messages and reach `onSample` in order during the run; the result comes at {@link finish}.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { MetricsFoldOptions } from '../reports/metrics-fold.js';
import { Fingerprint } from '../reports/fingerprint.js';
import { LogInvariantError, MetricsFold } from '../reports/metrics-fold.js';
import type { MetricsResult, Sample } from '../reports/metrics.js';
import type { LogBlock, LogRecord, LogSink } from '../sim/model/log.js';
import { RecordBlock, ROW_FIELDS, RowKind } from '../sim/model/record-block.js';

/** Rows per slot of the ring: 16,384 rows are about 1.3 MB. */
export const THREAD_ROWS = 16_384;
/** Slots in the ring: how many full slots may wait for the worker before the run waits. */
export const SLOTS = 4;

/** How long one wait for the other side lasts before looking again, ms. */
const WAIT_MS = 1000;
/** A worker that folds nothing for this long has stopped, ms (it folds a slot in milliseconds). */
const STALLED_MS = 120_000;

/** Words of the control array: slots published by the run, slots folded by the worker, the worker's state. */
export const PUBLISHED = 0;
export const FOLDED = 1;
export const STATE = 2;
/** Then, per slot: its rows, and 1 when it is the last (the run's end). */
export const SLOT_ROWS = 3;
export const SLOT_LAST = SLOT_ROWS + SLOTS;
/** Per slot: 1 when records kept as objects go with it (an {@link ObjectsMessage} sent before it was published). */
export const SLOT_OBJECTS = SLOT_LAST + SLOTS;
const CONTROL_WORDS = SLOT_OBJECTS + SLOTS;
/** STATE: 0 until the worker has started (its modules loaded), then STARTED, then ENDED (its result or error sent). */
export const STARTED = 2;
export const ENDED = 1;
/** A worker not started after this long never will (it failed to load; it cannot tell the run while the run waits), ms. */
const START_MS = 30_000;

/** The shared memory of a fold thread: the ring's columns and the control words. */
export interface FoldRing {
  readonly control: SharedArrayBuffer;
  readonly kind: SharedArrayBuffer;
  readonly t: SharedArrayBuffer;
  readonly f: SharedArrayBuffer;
}

/** The records kept as objects of slot `slot`, sent before it is published (only for slots that have some). */
export interface ObjectsMessage {
  readonly slot: number;
  readonly objects: readonly LogRecord[];
}

/** What the worker sends back. */
export type FoldAnswer =
  | { readonly samples: readonly Sample[] }
  | { readonly result: { readonly metrics: MetricsResult; readonly digest: string; readonly records: number } }
  | { readonly error: { readonly name: string; readonly message: string; readonly time?: number; readonly event?: string } };

/** What the worker starts with. */
export interface FoldWorkerData {
  readonly options: Omit<MetricsFoldOptions, 'onSample'>;
  /** whether samples go back to the run as they are final */
  readonly streamSamples: boolean;
  /** the worker's end of the channel: objects come in, answers go out */
  readonly port: MessagePort;
  readonly ring: FoldRing;
}

/** What the fold thread gives at the end of the run. */
export interface FoldThreadResult {
  readonly metrics: MetricsResult;
  readonly digest: string;
  readonly records: number;
}

/**
 * The worker's Node options: the process's (the default), except under `node --input-type=... --eval`,
 * whose --input-type would stop the worker from loading a module file at all: then the process's
 * options without it and without the V8 ones a worker refuses (heap and stack sizes, --expose-gc).
 */
function workerArgv(): { execArgv?: string[] } {
  const own = process.execArgv;
  if (!own.some((a) => a.startsWith('--input-type'))) return {};
  return {
    execArgv: own.filter((a) => !a.startsWith('--input-type') && !/^--(max-old-space-size|max-semi-space-size|stack-size|expose-gc|expose_gc)/.test(a)),
  };
}

/** The worker's module beside this one, when it exists (it does in the built package, not when the sources run under a test runner). */
export function foldWorkerUrl(): URL | undefined {
  const url = new URL('./fold-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** The log sink that hands a run's records to the fold thread. */
export class FoldThread implements LogSink {
  private readonly url: URL;
  private readonly options: Omit<MetricsFoldOptions, 'onSample'>;
  private readonly ring: FoldRing;
  private readonly control: Int32Array;
  private readonly kind: Uint8Array;
  private readonly t: Float64Array;
  private readonly f: Float64Array;
  private readonly onSample: ((s: Sample) => void) | undefined;
  /** the worker and the run's end of its channel, once started (at the first full slot) */
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  /** the folds in this thread instead: a run that ends before its first slot is full, or a worker the platform refuses */
  private local: { readonly fold: MetricsFold; readonly fingerprint: Fingerprint; records: number } | undefined;
  /** slots published so far; the one being filled is published % SLOTS */
  private published = 0;
  /** rows in the slot being filled, and where its first row sits in the ring */
  private n = 0;
  private base = 0;
  private objects: LogRecord[] = [];
  private result: FoldThreadResult | undefined;

  /**
   * A sink that folds in a worker at `url` (see {@link foldWorkerUrl}) with the fold's options. The
   * worker starts when the first slot is full, so a run of fewer records never starts one.
   */
  constructor(url: URL, options: MetricsFoldOptions) {
    const { onSample, ...rest } = options;
    this.url = url;
    this.options = rest;
    this.onSample = onSample;
    this.ring = {
      control: new SharedArrayBuffer(CONTROL_WORDS * 4),
      kind: new SharedArrayBuffer(SLOTS * THREAD_ROWS),
      t: new SharedArrayBuffer(SLOTS * THREAD_ROWS * 8),
      f: new SharedArrayBuffer(SLOTS * THREAD_ROWS * ROW_FIELDS * 8),
    };
    this.control = new Int32Array(this.ring.control);
    this.kind = new Uint8Array(this.ring.kind);
    this.t = new Float64Array(this.ring.t);
    this.f = new Float64Array(this.ring.f);
  }

  /** Whether the records went to a worker thread (false: the run ended, or the worker failed to start, before the first slot was full). */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  record(r: LogRecord): void {
    const row = this.base + this.n;
    this.kind[row] = RowKind.OBJECT;
    this.t[row] = r.t;
    this.f[row * ROW_FIELDS] = this.objects.length;
    this.objects.push(r);
    if (++this.n === THREAD_ROWS) this.publish(false);
  }

  block(b: LogBlock): void {
    let i = 0;
    while (i < b.length) {
      const take = Math.min(b.length - i, THREAD_ROWS - this.n);
      const row = this.base + this.n;
      this.kind.set(b.kind.subarray(i, i + take), row);
      this.t.set(b.t.subarray(i, i + take), row);
      this.f.set(b.f.subarray(i * ROW_FIELDS, (i + take) * ROW_FIELDS), row * ROW_FIELDS);
      if (b.objects.length > 0) {
        // OBJECT rows point into the block's own list: renumber them into the slot's.
        for (let k = 0; k < take; k++) {
          if (b.kind[i + k] === RowKind.OBJECT) {
            this.f[(row + k) * ROW_FIELDS] = this.objects.length;
            this.objects.push(b.objects[b.f[(i + k) * ROW_FIELDS]!]!);
          }
        }
      }
      this.n += take;
      i += take;
      if (this.n === THREAD_ROWS) this.publish(false);
    }
  }

  /** Publishes the last rows and waits for the worker's result. */
  finish(): FoldThreadResult {
    if (this.result === undefined) {
      this.publish(true);
      this.await(() => this.result !== undefined, STATE);
    }
    return this.result!;
  }

  /** Stops the worker, if any (after {@link finish}, or when the run failed). */
  close(): void {
    this.port?.close();
    void this.worker?.terminate();
  }

  /** Starts the worker; where the platform refuses, folds in this thread instead. */
  private start(last: boolean): void {
    if (!last) {
      const channel = new MessageChannel();
      const data: FoldWorkerData = { options: this.options, streamSamples: this.onSample !== undefined, port: channel.port2, ring: this.ring };
      try {
        this.worker = new Worker(this.url, { workerData: data, transferList: [channel.port2], ...workerArgv() });
        // The run never waits on the worker's events: it reads the channel itself (receiveMessageOnPort).
        this.worker.unref();
        this.port = channel.port1;
        return;
      } catch {
        channel.port1.close();
      }
    }
    const fold = new MetricsFold({ ...this.options, ...(this.onSample === undefined ? {} : { onSample: this.onSample }) });
    this.local = { fold, fingerprint: new Fingerprint(), records: 0 };
  }

  /** Folds the slot being filled in this thread (slot 0, used again). */
  private foldHere(last: boolean): void {
    const l = this.local!;
    const b = new RecordBlock(THREAD_ROWS, { length: this.n, kind: this.kind, t: this.t, f: this.f, objects: this.objects });
    l.fold.block(b);
    l.fingerprint.block(b);
    l.records += this.n;
    this.objects = [];
    this.n = 0;
    if (last) this.result = { metrics: l.fold.finish(), digest: l.fingerprint.digest(), records: l.records };
  }

  /** Publishes the slot being filled (its objects first) and takes the next one, once the worker has freed it. */
  private publish(last: boolean): void {
    if (this.worker === undefined && this.local === undefined) this.start(last);
    if (this.local !== undefined) {
      this.foldHere(last);
      return;
    }
    const slot = this.published % SLOTS;
    const hasObjects = this.objects.length > 0;
    if (hasObjects) this.port!.postMessage({ slot, objects: this.objects } satisfies ObjectsMessage);
    this.objects = [];
    const c = this.control;
    c[SLOT_ROWS + slot] = this.n;
    c[SLOT_LAST + slot] = last ? 1 : 0;
    c[SLOT_OBJECTS + slot] = hasObjects ? 1 : 0;
    Atomics.store(c, PUBLISHED, ++this.published);
    Atomics.notify(c, PUBLISHED);
    this.drain();
    if (last) return;
    // The next slot is free once the worker has folded the slot that used it last.
    this.await(() => this.published - Atomics.load(c, FOLDED) < SLOTS, FOLDED);
    this.n = 0;
    this.base = (this.published % SLOTS) * THREAD_ROWS;
  }

  /**
   * Waits until `done()`, woken by the worker's notices on control word `word` and reading what
   * it sent. A worker that stopped without a word (it cannot tell the run while the run waits
   * here) is given up after {@link STALLED_MS} without progress.
   */
  private await(done: () => boolean, word: number): void {
    const c = this.control;
    let last = Atomics.load(c, FOLDED);
    let since = 0;
    while (!done()) {
      const at = Atomics.load(c, word);
      if (Atomics.wait(c, word, at, WAIT_MS) === 'timed-out') {
        const folded = Atomics.load(c, FOLDED);
        since = folded === last ? since + WAIT_MS : 0;
        last = folded;
        const started = Atomics.load(c, STATE) !== 0;
        if (since >= (started ? STALLED_MS : START_MS)) {
          this.close();
          throw new Error(
            started
              ? `the fold thread has folded nothing for ${STALLED_MS / 1000} s: it stopped (run again with --no-fold-thread)`
              : `the fold thread did not start within ${START_MS / 1000} s (run again with --no-fold-thread)`,
          );
        }
      }
      this.drain();
    }
  }

  /** Reads what the worker sent: samples (to onSample, in order), the result or its error. */
  private drain(): void {
    if (this.port === undefined) return;
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const a = m.message as FoldAnswer;
      if ('samples' in a) for (const s of a.samples) this.onSample!(s);
      else if ('result' in a) this.result = a.result;
      else {
        const e = a.error;
        this.close();
        throw e.name === 'LogInvariantError' ? Object.assign(new LogInvariantError('', e.time!, e.event!), { message: e.message }) : new Error(e.message);
      }
    }
  }
}
