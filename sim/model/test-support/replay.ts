/** Writing records to a RecordLog as the model does: the hot kinds through their column methods, the rest as objects. */
import type { LogRecord } from '../log.js';
import type { RecordLog } from '../record-log.js';

/** The model's task codes (TaskCode of job.ts) of the logged task states. */
const STATE_CODE = { staging: 1, running: 2, finished: 3, failed: 4, killed: 5, lost: 6, unreachable: 7, gone: 8 } as const;
/** The model's locality codes (Locality of job.ts) of the logged localities. */
const LOCALITY_CODE = { node: 1, rack: 2, remote: 3 } as const;

/** Writes `r` to `log` as the model would; a task state's resources sit at an offset in a larger array, as in the task table. */
export function writeRecord(log: RecordLog, r: LogRecord): void {
  switch (r.kind) {
    case 'offer_sent':
      log.offerSent(r.t, r.offer, r.framework, r.agent, Float64Array.from(r.res));
      break;
    case 'offer_accepted':
      log.offerAccepted(r.t, r.offer, r.framework, r.agent, r.tasks, Float64Array.from(r.used), r.refuse);
      break;
    case 'offer_declined':
      log.offerDeclined(r.t, r.offer, r.framework, r.agent, r.refuse);
      break;
    case 'task_state':
      log.taskState(r.t, r.task, r.job, r.framework, r.agent, STATE_CODE[r.state], Float64Array.from([9, 9, ...r.res]), 2);
      break;
    case 'task_locality':
      log.taskLocality(r.t, r.task, r.job, r.framework, r.agent, LOCALITY_CODE[r.locality]);
      break;
    default:
      log.record(r);
  }
}

/** Writes every record of `records` to `log`, in order, and flushes it. */
export function replay(log: RecordLog, records: readonly LogRecord[]): void {
  for (const r of records) writeRecord(log, r);
  log.flush();
}
