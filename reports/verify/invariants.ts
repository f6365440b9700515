/**
 * The invariants `offersim verify` checks, the violations it reports, and the reporter the
 * checkers of this folder share. A leaf: imports only the log's types and reports' formats.
 */
import type { LogRecord } from '../../sim/model/log.js';
import { fmtSeconds } from '../format.js';

/** The invariants, by name, each with what it asserts (docs/verify.md says the same at length). */
export const INVARIANTS = {
  order: "records in time order: each t a non-negative integer, never less than the previous record's",
  ids: "every id known: agents, frameworks, jobs and offers numbered densely in order of first appearance, a task within its job's range, a job's records naming its framework",
  'agent-resources': "per agent, offered + allocated <= total for every resource and nothing negative; an accept's launches come out of its offer",
  'agent-lifecycle':
    'offers and launches only on a registered agent; agent_removed only of a registered agent, with its total, after at least 75 s without an offer, launch or finished task on it, with its tasks lost at that instant',
  offers:
    'each offer answered exactly once (accepted, declined or rescinded) by its framework, on its agent; an accept uses at most the offer and is the launches just before it; a reservation within an outstanding offer of its framework, on its agent, and an operation error on one unless its reason is invalid_offer; each allocation run counts the offers just before it; offers outstanding at the end only when the run ended by duration',
  tasks:
    "each task pending -> staging -> running -> one terminal state, staging and running at one instant, on one agent with one resource vector; no record after the terminal one; a lost task's agent removed at that instant; task_error only as the accept validation refuses",
  jobs: "job_finished exactly once per finished job, at its last task's end, every task terminal; abandoned and dropped counts equal the tasks never launched; a completed run leaves no job unfinished",
  frameworks:
    'offers only to a registered, connected, unsuppressed framework; no launch after a disconnect or removal; disconnect, reregistration and removal in order, removal at disconnect + failover timeout killing its tasks and dropping its jobs',
  'run-end': 'exactly one run_ended record, the last',
  summary: "summary.json's counts equal those of the events",
  manifest: "manifest.json's record count, fingerprint, end and job counts equal those of the events",
} as const;

/** One of {@link INVARIANTS}' names. */
export type InvariantName = keyof typeof INVARIANTS;

/** A broken invariant: where (file, line, time, record kind) and what. */
export interface Violation {
  readonly invariant: InvariantName;
  /** the file it is about */
  readonly file: 'events.jsonl' | 'summary.json' | 'manifest.json';
  /** the offending record's line in events.jsonl, from 1; 0 when it is about no one record */
  readonly line: number;
  /** the offending record's time, us; NaN when it is about no one record */
  readonly t: number;
  /** the offending record's kind; '' when it is about no one record */
  readonly kind: string;
  readonly message: string;
}

/**
 * A violation as one line: `events.jsonl:12: t=1.500000 s offer_sent: [offers] ...`.
 * @example formatViolation({ invariant: 'summary', file: 'summary.json', line: 0, t: NaN, kind: '', message: 'jobs is 3, the events have 4' })
 * // 'summary.json: [summary] jobs is 3, the events have 4'
 */
export function formatViolation(v: Violation): string {
  const where = v.line > 0 ? `${v.file}:${v.line}` : v.file;
  const what = v.kind === '' ? '' : ` ${Number.isNaN(v.t) ? '' : `t=${fmtSeconds(v.t)} s `}${v.kind}`;
  return `${where}:${what} [${v.invariant}] ${v.message}`;
}

/** Where a violation is: a record's line, time and kind. */
export interface Site {
  readonly line: number;
  readonly t: number;
  readonly kind: string;
}

/** Counts the violations of events.jsonl by invariant and passes each on as it is found. */
export class Reporter {
  /** violations found, by invariant */
  readonly counts = new Map<InvariantName, number>();

  constructor(private readonly onViolation: (v: Violation) => void) {}

  /** A violation shown by record `r`, line `line`. */
  fail(invariant: InvariantName, r: LogRecord, line: number, message: string): void {
    this.failAt(invariant, { line, t: r.t, kind: r.kind }, message);
  }

  /** A violation at `at`. */
  failAt(invariant: InvariantName, at: Site, message: string): void {
    this.counts.set(invariant, (this.counts.get(invariant) ?? 0) + 1);
    this.onViolation({ invariant, file: 'events.jsonl', line: at.line, t: at.t, kind: at.kind, message });
  }
}
