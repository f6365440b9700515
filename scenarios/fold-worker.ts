/**
 * The fold thread's worker (see scenarios/fold-thread.ts): folds the rows it is handed into the
 * metric fold, the fingerprint and the record count, in order, sends the time-series samples back
 * as they become final, and the result at the end; the buffers go back for reuse.
 */
import { workerData } from 'node:worker_threads';
import { Fingerprint } from '../reports/fingerprint.js';
import { MetricsFold } from '../reports/metrics-fold.js';
import type { Sample } from '../reports/metrics.js';
import type { LogRecord } from '../sim/model/log.js';
import { RecordBlock } from '../sim/model/record-block.js';
import { FOLD_ENDED, FOLD_FOLDED, FOLD_STATE, type FoldAnswer, type FoldWorkerData, type RowsMessage } from './fold-thread.js';

const data = workerData as FoldWorkerData;
const port = data.port;
const shared = new Int32Array(data.shared);
/** samples not yet sent back */
let samples: Sample[] = [];
const fold = new MetricsFold({ ...data.options, ...(data.streamSamples ? { onSample: (s: Sample) => void samples.push(s) } : {}) });
const fingerprint = new Fingerprint();
let records = 0;

function answer(a: FoldAnswer, transfer: ArrayBuffer[] = []): void {
  port.postMessage(a, transfer);
}

function end(): void {
  Atomics.store(shared, FOLD_STATE, FOLD_ENDED);
  Atomics.notify(shared, FOLD_STATE);
  Atomics.notify(shared, FOLD_FOLDED);
  port.close();
}

port.on('message', (m: RowsMessage) => {
  try {
    const b = new RecordBlock(m.kind.length, { length: m.length, kind: m.kind, t: m.t, f: m.f, objects: m.objects as LogRecord[] });
    fold.block(b);
    fingerprint.block(b);
    records += m.length;
    if (samples.length > 0) {
      answer({ samples });
      samples = [];
    }
    if (m.end) {
      const metrics = fold.finish();
      if (samples.length > 0) answer({ samples });
      answer({ result: { metrics, digest: fingerprint.digest(), records } });
      end();
      return;
    }
    answer({ spare: [m.kind, m.t, m.f] }, [m.kind.buffer as ArrayBuffer, m.t.buffer as ArrayBuffer, m.f.buffer as ArrayBuffer]);
    Atomics.add(shared, FOLD_FOLDED, 1);
    Atomics.notify(shared, FOLD_FOLDED);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const { time, event } = e as { time?: number; event?: string };
    // The samples made final before the broken record still reach the run, in order.
    if (samples.length > 0) answer({ samples });
    answer({ error: { name: e.name, message: e.message, ...(time === undefined ? {} : { time }), ...(event === undefined ? {} : { event }) } });
    end();
  }
});
