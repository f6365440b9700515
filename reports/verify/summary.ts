/**
 * What the events count, and where a run's summary.json and manifest.json disagree with it: the
 * verifier's summary recomputation. It counts independently of the metric fold (a differential
 * check of it), taking from the catalogue only the keys and how each is written. Imports only
 * reports' catalogue, formats and result types, and this folder's leaves.
 */
import { SUMMARY_METRICS, known } from '../catalogue.js';
import { fmtSeconds } from '../format.js';
import type { Summary } from '../metrics.js';
import type { Violation } from './invariants.js';

/**
 * What the events count, for summary.json and manifest.json (see {@link summaryViolations}): the
 * summary's counts (same definitions: reports/metrics.ts), counted here independently of the
 * metric fold, and a few more.
 */
export type EventCounts = Pick<
  Summary,
  | 'firstEvent'
  | 'runEnd'
  | 'endReason'
  | 'agents'
  | 'frameworks'
  | 'jobs'
  | 'tasks'
  | 'tasksLaunched'
  | 'tasksFinished'
  | 'tasksFailed'
  | 'tasksKilled'
  | 'tasksLost'
  | 'jobsFinished'
  | 'jobsUnscheduled'
  | 'jobsUnfinished'
  | 'jobsAbandoned'
  | 'makespan'
  | 'offersSent'
  | 'offersAccepted'
  | 'offersDeclined'
  | 'offersRescinded'
  | 'offersOutstanding'
  | 'allocationRuns'
  | 'conflicts'
> & {
  /** log records (the summary's `events`) */
  readonly records: number;
  /** the records' fingerprint (reports/fingerprint.ts) */
  readonly fingerprint: string;
  /** jobs over: every task ended or dropped (finished, abandoned, dropped or restarted jobs) */
  readonly jobsOver: number;
  /** task_locality records (the summary's `locality.tasks`) */
  readonly localityTasks: number;
};

/** summary.json's keys checked against the events, each with its count; a key's catalogue row says whether it is written in seconds. */
const COUNTED: readonly (readonly [key: string, get: (c: EventCounts) => number])[] = [
  ['first_event_s', (c) => c.firstEvent],
  ['run_end_s', (c) => c.runEnd],
  ['events', (c) => c.records],
  ['agents', (c) => c.agents],
  ['frameworks', (c) => c.frameworks],
  ['jobs', (c) => c.jobs],
  ['tasks', (c) => c.tasks],
  ['tasks_launched', (c) => c.tasksLaunched],
  ['tasks_finished', (c) => c.tasksFinished],
  ['tasks_failed', (c) => c.tasksFailed],
  ['tasks_killed', (c) => c.tasksKilled],
  ['tasks_lost', (c) => c.tasksLost],
  ['jobs_finished', (c) => c.jobsFinished],
  ['jobs_unscheduled', (c) => c.jobsUnscheduled],
  ['jobs_unfinished', (c) => c.jobsUnfinished],
  ['jobs_abandoned', (c) => c.jobsAbandoned],
  ['makespan_s', (c) => c.makespan],
  ['offers_sent', (c) => c.offersSent],
  ['offers_accepted', (c) => c.offersAccepted],
  ['offers_declined', (c) => c.offersDeclined],
  ['offers_rescinded', (c) => c.offersRescinded],
  ['offers_outstanding', (c) => c.offersOutstanding],
  ['allocation_runs', (c) => c.allocationRuns],
  ['locality_tasks', (c) => c.localityTasks],
  ['conflicts', (c) => c.conflicts],
];

/** {@link COUNTED} with, from the catalogue, whether each is a time in us written in seconds (checked as this module loads). */
const SUMMARY_CHECKS: readonly (readonly [key: string, get: (c: EventCounts) => number, seconds: boolean])[] = COUNTED.map(([key, get]) => {
  const seconds = SUMMARY_METRICS.find((m) => m.key === known(SUMMARY_METRICS, key))!.format === 'seconds';
  return [key, get, seconds];
});

/** The summary.json keys {@link summaryViolations} checks. */
export const SUMMARY_CHECKED_KEYS: readonly string[] = ['end_reason', ...SUMMARY_CHECKS.map(([k]) => k)];

/**
 * Where summary.json (parsed) disagrees with the events' counts: one violation per key (a missing
 * key, or another value; times compare to the microsecond, null stands for an undefined value).
 */
export function summaryViolations(summary: Readonly<Record<string, unknown>>, c: EventCounts): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string): void => {
    out.push({ invariant: 'summary', file: 'summary.json', line: 0, t: NaN, kind: '', message });
  };
  if (summary['end_reason'] !== c.endReason) bad(`end_reason is ${JSON.stringify(summary['end_reason'])}, the events say ${JSON.stringify(c.endReason)}`);
  for (const [key, get, seconds] of SUMMARY_CHECKS) {
    const want = get(c);
    const v = summary[key];
    const shown = seconds ? (Number.isNaN(want) ? 'null' : fmtSeconds(want)) : String(want);
    if (!(key in summary)) bad(`${key} is missing; the events give ${shown}`);
    else if (!sameValue(v, want, seconds)) bad(`${key} is ${JSON.stringify(v)}, the events give ${shown}`);
  }
  return out;
}

/**
 * Where manifest.json (parsed) disagrees with the events: its `records`, `fingerprint`,
 * `endReason`, `endTime` (seconds), `jobsSubmitted` and `jobsFinished` (jobs over, however they
 * ended), one violation each.
 */
export function manifestViolations(manifest: Readonly<Record<string, unknown>>, c: EventCounts): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string): void => {
    out.push({ invariant: 'manifest', file: 'manifest.json', line: 0, t: NaN, kind: '', message });
  };
  const count = (key: string, want: number): void => {
    if (manifest[key] !== want) bad(`${key} is ${JSON.stringify(manifest[key])}, the events give ${want}`);
  };
  count('records', c.records);
  if (manifest['fingerprint'] !== c.fingerprint) bad(`fingerprint is ${JSON.stringify(manifest['fingerprint'])}, the events hash to ${c.fingerprint}`);
  if (manifest['endReason'] !== c.endReason) bad(`endReason is ${JSON.stringify(manifest['endReason'])}, the events say ${JSON.stringify(c.endReason)}`);
  if (!sameValue(manifest['endTime'], c.runEnd, true)) bad(`endTime is ${JSON.stringify(manifest['endTime'])}, the events end at ${fmtSeconds(c.runEnd)}`);
  count('jobsSubmitted', c.jobs);
  count('jobsFinished', c.jobsOver);
  return out;
}

/** Whether a JSON value equals a count, or a time in us written in seconds (null for NaN). */
function sameValue(v: unknown, want: number, seconds: boolean): boolean {
  if (Number.isNaN(want)) return v === null;
  if (typeof v !== 'number') return false;
  return seconds ? Math.round(v * 1_000_000) === want : v === want;
}
