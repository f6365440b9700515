/**
 * The metric fold, the fingerprint and the record count of a run in a worker thread, fed by the
 * log's blocks, so that the run uses a second core. The fold is a pure function of the records in
 * order, so its result is the same as in the run's own thread (scenarios/fold-thread.test.ts runs
 * both and compares every output byte). The main thread copies each block's rows into a larger
 * buffer and hands it over (transferred, not copied) when full; at most {@link IN_FLIGHT} buffers
 * wait for the worker, beyond which the run waits for it. Time-series samples come back in
 * batches and reach `onSample` in order, during the run; the result comes back at {@link finish}.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { MetricsFoldOptions } from '../reports/metrics-fold.js';
import { LogInvariantError } from '../reports/metrics-fold.js';
import type { MetricsResult, Sample } from '../reports/metrics.js';
import type { LogBlock, LogRecord, LogSink } from '../sim/model/log.js';
import { ROW_FIELDS } from '../sim/model/record-block.js';

/** Rows per buffer handed to the worker: about 1.3 MB, a few hundred hand-overs a second at full speed. */
export const THREAD_ROWS = 16_384;
/** Buffers handed over and not yet folded before the run waits for the worker. */
export const IN_FLIGHT = 4;

/** How long one wait for the worker lasts before the run looks again, ms. */
const WAIT_MS = 1000;
/** A worker that folds nothing for this long has stopped, ms (it folds a buffer in milliseconds). */
const STALLED_MS = 120_000;
/** Shared words: [0] buffers folded by the worker, [1] its state. */
const FOLDED = 0;
const STATE = 1;
const ENDED = 1;

/** What the main thread sends: rows to fold (the last message has `end`). */
export interface RowsMessage {
  readonly length: number;
  readonly kind: Uint8Array;
  readonly t: Float64Array;
  readonly f: Float64Array;
  readonly objects: readonly LogRecord[];
  readonly end: boolean;
}

/** What the worker sends back. */
export type FoldAnswer =
  | { readonly samples: readonly Sample[] }
  | { readonly spare: readonly [Uint8Array, Float64Array, Float64Array] }
  | { readonly result: { readonly metrics: MetricsResult; readonly digest: string; readonly records: number } }
  | { readonly error: { readonly name: string; readonly message: string; readonly time?: number; readonly event?: string } };

/** What the worker starts with. */
export interface FoldWorkerData {
  readonly options: Omit<MetricsFoldOptions, 'onSample'>;
  /** whether samples go back to the main thread as they are final */
  readonly streamSamples: boolean;
  readonly port: MessagePort;
  readonly shared: SharedArrayBuffer;
}

/** What the fold thread gives at the end of the run. */
export interface FoldThreadResult {
  readonly metrics: MetricsResult;
  readonly digest: string;
  readonly records: number;
}

/** The worker's module beside this one, when it exists (it does in the built package, not when the sources run under a test runner). */
export function foldWorkerUrl(): URL | undefined {
  const url = new URL('./fold-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** The log sink that hands a run's records to the fold thread. */
export class FoldThread implements LogSink {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly shared: Int32Array;
  private readonly onSample: ((s: Sample) => void) | undefined;
  private kind = new Uint8Array(THREAD_ROWS);
  private t = new Float64Array(THREAD_ROWS);
  private f = new Float64Array(THREAD_ROWS * ROW_FIELDS);
  private objects: LogRecord[] = [];
  private n = 0;
  private posted = 0;
  private readonly spares: [Uint8Array<ArrayBuffer>, Float64Array<ArrayBuffer>, Float64Array<ArrayBuffer>][] = [];
  private result: FoldThreadResult | undefined;

  /** Starts the worker at `url` (see {@link foldWorkerUrl}) with the fold's options. */
  constructor(url: URL, options: MetricsFoldOptions) {
    const { onSample, ...rest } = options;
    this.onSample = onSample;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const shared = new SharedArrayBuffer(8);
    this.shared = new Int32Array(shared);
    const data: FoldWorkerData = { options: rest, streamSamples: onSample !== undefined, port: channel.port2, shared };
    this.worker = new Worker(url, { workerData: data, transferList: [channel.port2] });
    // The run never waits on the worker's events: it reads the channel itself (receiveMessageOnPort).
    this.worker.unref();
  }

  record(r: LogRecord): void {
    this.objects.push(r);
    this.kind[this.n] = 0;
    this.t[this.n] = r.t;
    this.f[this.n * ROW_FIELDS] = this.objects.length - 1;
    if (++this.n === THREAD_ROWS) this.send(false);
  }

  block(b: LogBlock): void {
    let i = 0;
    while (i < b.length) {
      const take = Math.min(b.length - i, THREAD_ROWS - this.n);
      this.kind.set(b.kind.subarray(i, i + take), this.n);
      this.t.set(b.t.subarray(i, i + take), this.n);
      this.f.set(b.f.subarray(i * ROW_FIELDS, (i + take) * ROW_FIELDS), this.n * ROW_FIELDS);
      for (let k = 0; k < take; k++) {
        // OBJECT rows point into the block's own list: renumber them into this buffer's.
        if (b.kind[i + k] === 0) {
          this.f[(this.n + k) * ROW_FIELDS] = this.objects.length;
          this.objects.push(b.objects[b.f[(i + k) * ROW_FIELDS]!]!);
        }
      }
      this.n += take;
      i += take;
      if (this.n === THREAD_ROWS) this.send(false);
    }
  }

  /** Hands over the last rows and waits for the worker's result. */
  finish(): FoldThreadResult {
    if (this.result === undefined) {
      this.send(true);
      this.await(() => this.result !== undefined, STATE);
    }
    return this.result!;
  }

  /**
   * Waits until `done()`, woken by the worker's notices on shared word `word` and reading what it
   * sent. A worker that stopped without a word (it cannot tell the run while the run waits here)
   * is given up after {@link STALLED_MS} without progress.
   */
  private await(done: () => boolean, word: number): void {
    let last = Atomics.load(this.shared, FOLDED);
    let since = 0;
    while (!done()) {
      const at = Atomics.load(this.shared, word);
      if (Atomics.wait(this.shared, word, at, WAIT_MS) === 'timed-out') {
        const folded = Atomics.load(this.shared, FOLDED);
        since = folded === last ? since + WAIT_MS : 0;
        last = folded;
        if (since >= STALLED_MS) {
          this.close();
          throw new Error(`the fold thread has folded nothing for ${STALLED_MS / 1000} s: it stopped (run again with --no-fold-thread)`);
        }
      }
      this.drain();
    }
  }

  /** Stops the worker (after {@link finish}, or when the run failed). */
  close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private send(end: boolean): void {
    const m: RowsMessage = { length: this.n, kind: this.kind, t: this.t, f: this.f, objects: this.objects, end };
    this.port.postMessage(m, [this.kind.buffer, this.t.buffer, this.f.buffer]);
    this.posted++;
    this.drain();
    if (!end) this.await(() => this.posted - Atomics.load(this.shared, FOLDED) <= IN_FLIGHT, FOLDED);
    const spare = this.spares.pop();
    if (spare !== undefined) [this.kind, this.t, this.f] = spare;
    else {
      this.kind = new Uint8Array(THREAD_ROWS);
      this.t = new Float64Array(THREAD_ROWS);
      this.f = new Float64Array(THREAD_ROWS * ROW_FIELDS);
    }
    this.objects = [];
    this.n = 0;
  }

  /** Reads what the worker sent: samples (to onSample, in order), spare buffers, the result or its error. */
  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const a = m.message as FoldAnswer;
      if ('samples' in a) for (const s of a.samples) this.onSample!(s);
      else if ('spare' in a)
        this.spares.push([a.spare[0] as Uint8Array<ArrayBuffer>, a.spare[1] as Float64Array<ArrayBuffer>, a.spare[2] as Float64Array<ArrayBuffer>]);
      else if ('result' in a) this.result = a.result;
      else {
        const e = a.error;
        this.close();
        throw e.name === 'LogInvariantError' ? Object.assign(new LogInvariantError('', e.time!, e.event!), { message: e.message }) : new Error(e.message);
      }
    }
  }
}

export { ENDED as FOLD_ENDED, FOLDED as FOLD_FOLDED, STATE as FOLD_STATE };
