/**
 * The fold thread's worker (see scenarios/fold-thread.ts): folds the ring's slots, in order, into
 * the metric fold, the fingerprint and the record count, frees each slot, sends the time-series
 * samples back as they become final, and the result at the end. It waits on the ring's control
 * words, not on its event loop: it reads the objects of a slot from its channel as it reaches it.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Fingerprint } from '../reports/fingerprint.js';
import { MetricsFold } from '../reports/metrics-fold.js';
import type { Sample } from '../reports/metrics.js';
import type { LogRecord } from '../sim/model/log.js';
import { RecordBlock, ROW_FIELDS } from '../sim/model/record-block.js';
import {
  ENDED,
  STARTED,
  FOLDED,
  PUBLISHED,
  SLOT_LAST,
  SLOT_OBJECTS,
  SLOT_ROWS,
  SLOTS,
  STATE,
  THREAD_ROWS,
  type FoldAnswer,
  type FoldWorkerData,
  type ObjectsMessage,
} from './fold-thread.js';

const data = workerData as FoldWorkerData;
const port = data.port;
const control = new Int32Array(data.ring.control);
const kind = new Uint8Array(data.ring.kind);
const t = new Float64Array(data.ring.t);
const f = new Float64Array(data.ring.f);
/** samples not yet sent back */
let samples: Sample[] = [];
const fold = new MetricsFold({ ...data.options, ...(data.streamSamples ? { onSample: (s: Sample) => void samples.push(s) } : {}) });
const fingerprint = new Fingerprint();
let records = 0;

function answer(a: FoldAnswer): void {
  port.postMessage(a);
}

function sendSamples(): void {
  if (samples.length > 0) {
    answer({ samples });
    samples = [];
  }
}

/** Slot `slot` of the ring as a block of `rows` rows, with its objects. */
function slotBlock(slot: number, rows: number): RecordBlock {
  let objects: LogRecord[] = [];
  if (control[SLOT_OBJECTS + slot] === 1) {
    // They were sent before the slot was published, so they are in the channel.
    const m = receiveMessageOnPort(port)!.message as ObjectsMessage;
    if (m.slot !== slot) throw new Error(`fold thread: objects of slot ${m.slot} while folding slot ${slot}`);
    objects = m.objects as LogRecord[];
  }
  const o = slot * THREAD_ROWS;
  return new RecordBlock(THREAD_ROWS, {
    length: rows,
    kind: kind.subarray(o, o + THREAD_ROWS),
    t: t.subarray(o, o + THREAD_ROWS),
    f: f.subarray(o * ROW_FIELDS, (o + THREAD_ROWS) * ROW_FIELDS),
    objects,
  });
}

function run(): void {
  Atomics.store(control, STATE, STARTED);
  for (let folded = 0; ;) {
    while (Atomics.load(control, PUBLISHED) === folded) Atomics.wait(control, PUBLISHED, folded);
    const slot = folded % SLOTS;
    const rows = control[SLOT_ROWS + slot]!;
    const last = control[SLOT_LAST + slot] === 1;
    const b = slotBlock(slot, rows);
    fold.block(b);
    fingerprint.block(b);
    records += rows;
    sendSamples();
    Atomics.store(control, FOLDED, ++folded);
    Atomics.notify(control, FOLDED);
    if (last) {
      const metrics = fold.finish();
      sendSamples();
      answer({ result: { metrics, digest: fingerprint.digest(), records } });
      return;
    }
  }
}

try {
  run();
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const { time, event } = e as { time?: number; event?: string };
  // The samples made final before the broken record still reach the run, in order.
  sendSamples();
  answer({ error: { name: e.name, message: e.message, ...(time === undefined ? {} : { time }), ...(event === undefined ? {} : { event }) } });
} finally {
  Atomics.store(control, STATE, ENDED);
  Atomics.notify(control, STATE);
  Atomics.notify(control, FOLDED);
  port.close();
}
