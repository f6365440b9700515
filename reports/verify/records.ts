/**
 * The shape of every log record kind, and why a parsed line is not a well-formed record: what
 * `offersim verify` checks before the invariants. Imports only the log's types and
 * reports' vocabulary.
 */
import type {
  ContainerEnd,
  ContainerLocality,
  LogKind,
  OperationErrorReason,
  ReservationRecord,
  TaskErrorReason,
  TaskLocality,
  TaskState,
} from '../../sim/model/log.js';
import { NR } from '../vocabulary.js';

type Field = 'number' | 'string' | 'boolean' | 'res' | Readonly<Record<string, true>>;

const TASK_STATES: Readonly<Record<TaskState, true>> = {
  staging: true,
  running: true,
  finished: true,
  failed: true,
  killed: true,
  lost: true,
  unreachable: true,
  gone: true,
};
const LOCALITIES: Readonly<Record<TaskLocality, true>> = { node: true, rack: true, remote: true };
const ERROR_REASONS: Readonly<Record<TaskErrorReason, true>> = {
  insufficient_resources: true,
  task_not_pending: true,
  other_framework_task: true,
  unknown_task: true,
  invalid_offer: true,
};
const CONTAINER_LOCALITIES: Readonly<Record<ContainerLocality, true>> = { 'node-local': true, 'rack-local': true, 'off-switch': true };
const CONTAINER_ENDS: Readonly<Record<ContainerEnd, true>> = {
  task_ended: true,
  released: true,
  app_finished: true,
  aborted: true,
  preempted: true,
  attempt_failed: true,
};
const OPERATIONS: Readonly<Record<ReservationRecord['op'], true>> = { reserve: true, unreserve: true };
const OPERATION_ERRORS: Readonly<Record<OperationErrorReason, true>> = {
  invalid_offer: true,
  invalid_resources: true,
  role_not_allowed: true,
  insufficient_resources: true,
  static_reservation: true,
  overlapping_reservation: true,
  not_supported: true,
};
const END_REASONS: Readonly<Record<'completed' | 'duration', true>> = { completed: true, duration: true };

/** Every record kind's fields besides `kind` and `t`, with their types (sim/model/log.ts). */
const FIELDS: Readonly<Record<LogKind, Readonly<Record<string, Field>>>> = {
  agent_added: { agent: 'number', name: 'string', rack: 'string', res: 'res' },
  agent_removed: { agent: 'number', res: 'res' },
  framework_added: { framework: 'number', name: 'string', role: 'string', weight: 'number', behaviour: 'string' },
  job_submitted: { job: 'number', name: 'string', framework: 'number', tasks: 'number', maxTaskDuration: 'number' },
  job_finished: { job: 'number', framework: 'number' },
  offer_sent: { offer: 'number', framework: 'number', agent: 'number', res: 'res' },
  offer_accepted: { offer: 'number', framework: 'number', agent: 'number', tasks: 'number', used: 'res', refuse: 'number' },
  offer_declined: { offer: 'number', framework: 'number', agent: 'number', refuse: 'number' },
  offer_rescinded: { offer: 'number', framework: 'number', agent: 'number' },
  task_state: { task: 'number', job: 'number', framework: 'number', agent: 'number', state: TASK_STATES, res: 'res' },
  task_locality: { task: 'number', job: 'number', framework: 'number', agent: 'number', locality: LOCALITIES },
  suppress: { framework: 'number' },
  revive: { framework: 'number' },
  allocation_run: { candidates: 'number', offers: 'number' },
  decision: { framework: 'number', job: 'number', start: 'number', tasks: 'number' },
  job_abandoned: { job: 'number', framework: 'number', dropped: 'number', attempts: 'number' },
  commit: { framework: 'number', job: 'number', placed: 'number', conflicts: 'number' },
  job_restarted: { job: 'number', framework: 'number', copy: 'number' },
  framework_disconnected: { framework: 'number', failoverTimeout: 'number' },
  agent_reconnected: { agent: 'number' },
  framework_reconnected: { framework: 'number' },
  framework_reconnect_refused: { framework: 'number' },
  framework_removed: { framework: 'number', tasksKilled: 'number', jobsDropped: 'number' },
  job_dropped: { job: 'number', framework: 'number', dropped: 'number' },
  task_error: { task: 'number', framework: 'number', offer: 'number', reason: ERROR_REASONS },
  app_submitted: { job: 'number', framework: 'number', queue: 'string' },
  am_registered: { job: 'number', framework: 'number', container: 'number', agent: 'number' },
  asks_sent: { job: 'number', framework: 'number', priority: 'number', containers: 'number' },
  container_allocated: {
    container: 'number',
    job: 'number',
    framework: 'number',
    agent: 'number',
    priority: 'number',
    locality: CONTAINER_LOCALITIES,
    am: 'boolean',
    res: 'res',
  },
  container_completed: { container: 'number', job: 'number', framework: 'number', agent: 'number', reason: CONTAINER_ENDS },
  reserved: { res: 'res' },
  queue_guarantee: { queue: 'string', guarantee: 'res' },
  reservation: { framework: 'number', offer: 'number', agent: 'number', role: 'string', op: OPERATIONS, res: 'res' },
  operation_error: { framework: 'number', offer: 'number', index: 'number', op: OPERATIONS, reason: OPERATION_ERRORS },
  run_ended: { reason: END_REASONS },
};

/**
 * Fields some records of a kind have and others not (sim/model/log.ts): a multi-role framework's
 * roles, each a list of role names, or one role name; allocation_run's `busy` (only under the
 * allocator cost model).
 */
const OPTIONAL: Readonly<Partial<Record<LogKind, Readonly<Record<string, 'string' | 'strings' | 'number'>>>>> = {
  framework_added: { roles: 'strings' },
  offer_sent: { role: 'string' },
  suppress: { roles: 'strings' },
  revive: { roles: 'strings' },
  framework_reconnected: { suppressedRoles: 'strings' },
  allocation_run: { busy: 'number' },
};

/** {@link FIELDS} as lists, so that checking a record allocates nothing. */
const FIELD_LISTS: Readonly<Record<string, readonly (readonly [string, Field])[]>> = Object.fromEntries(
  Object.entries(FIELDS).map(([k, v]) => [k, Object.entries(v)]),
);

/**
 * Why a parsed line (an object with a string `kind` and a number `t`, reports/replay.ts
 * parseEventLine) is not a well-formed log record: an unknown kind, a field missing, extra or of
 * the wrong type; undefined when it is one. Numbers must be finite.
 * @example recordProblem({ kind: 'suppress', t: 0 }) // 'suppress needs a number "framework"'
 */
export function recordProblem(record: { readonly kind: string; readonly t: number }): string | undefined {
  // Parsed JSON: any field may be anything.
  const r = record as unknown as Readonly<Record<string, unknown>> & { readonly kind: string };
  const fields = Object.hasOwn(FIELD_LISTS, r.kind) ? FIELD_LISTS[r.kind] : undefined;
  if (fields === undefined) return `unknown record kind ${JSON.stringify(r.kind)}`;
  if (!Number.isFinite(r['t'])) return `${r.kind} needs a finite number "t"`;
  for (const [name, type] of fields) {
    const v = r[name];
    if (type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${r.kind} needs a number "${name}"`;
    } else if (type === 'string') {
      if (typeof v !== 'string') return `${r.kind} needs a string "${name}"`;
    } else if (type === 'boolean') {
      if (typeof v !== 'boolean') return `${r.kind} needs true or false as "${name}"`;
    } else if (type === 'res') {
      if (!Array.isArray(v) || v.length !== NR || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return `${r.kind} needs "${name}" as [cpus, mem, disk, gpus] numbers`;
      }
    } else if (typeof v !== 'string' || !Object.hasOwn(type, v)) {
      return `${r.kind} needs "${name}" to be one of ${Object.keys(type).join(', ')}`;
    }
  }
  let keys = 0;
  for (const _ in r) keys++;
  const optional = OPTIONAL[r.kind as LogKind];
  if (optional !== undefined) {
    for (const [name, type] of Object.entries(optional)) {
      if (!Object.hasOwn(r, name)) continue;
      const v = r[name];
      const ok =
        type === 'number'
          ? typeof v === 'number' && Number.isFinite(v)
          : type === 'string'
            ? typeof v === 'string'
            : Array.isArray(v) && v.every((x) => typeof x === 'string');
      if (!ok)
        return type === 'number'
          ? `${r.kind} needs a number "${name}" when it has one`
          : `${r.kind} needs "${name}" as ${type === 'string' ? 'a string' : 'a list of strings'}`;
      keys--;
    }
  }
  if (keys !== fields.length + 2) {
    const extra = Object.keys(r).find((k) => k !== 'kind' && k !== 't' && !Object.hasOwn(FIELDS[r.kind as LogKind], k));
    return `${r.kind} has no field "${extra}"`;
  }
  return undefined;
}
