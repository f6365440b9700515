/**
 * The CapacityScheduler's settings with Hadoop's defaults, and their validation (problems with a
 * path, never thrown). Sources are CapacitySchedulerConfiguration (CS/ in
 * ../shared/notes/yarn-semantics.md §3) unless named. Imports the port and model types only.
 */
import type { YarnCommonOptions } from '../../sim/model/yarn-port.js';
import { resources, R } from '../../sim/model/resources.js';
import type { ParamProblem } from '../types.js';

/** The application ordering policies of a leaf queue (ordering-policy). */
export const CAPACITY_ORDERING_POLICIES = ['fifo', 'fair'] as const;
/** One of {@link CAPACITY_ORDERING_POLICIES}. */
export type CapacityOrderingPolicy = (typeof CAPACITY_ORDERING_POLICIES)[number];

/** One queue of the tree (yarn.scheduler.capacity.<path>.*). The root is implied: 100 %, maximum 100 %. */
export interface CapacityQueueOptions {
  /** its path from the root, e.g. 'root.a' or 'root.a.x'; its parent must be listed too (root excepted) */
  readonly path: string;
  /** capacity: guaranteed share of the parent, in % (the children of a parent sum to 100) */
  readonly capacity: number;
  /** maximum-capacity: hard cap, % of the parent; default 100 */
  readonly maximumCapacity?: number;
  /** user-limit-factor: one user may hold up to this times the queue's guarantee; -1 none; default 1 */
  readonly userLimitFactor?: number;
  /** minimum-user-limit-percent: the floor of a user's share when several users are active, %; default 100 */
  readonly minimumUserLimitPercent?: number;
  /** ordering-policy of a leaf's applications: 'fifo' (default) or 'fair' */
  readonly orderingPolicy?: CapacityOrderingPolicy;
  /** maximum-am-resource-percent: the share of the queue its ApplicationMasters may hold, a fraction; default 0.1 */
  readonly maximumAmResourcePercent?: number;
}

/** ProportionalCapacityPreemptionPolicy's settings (yarn-semantics.md §3.7). */
export interface CapacityPreemptionOptions {
  /** yarn.resourcemanager.scheduler.monitor.enable: default false (no preemption) */
  readonly enabled: boolean;
  /** monitoring_interval: between two runs of the policy, us; default 3 s */
  readonly monitoringInterval: number;
  /** max_wait_before_kill: a marked container still wanted after this long is killed, us; default 15 s */
  readonly maxWaitBeforeKill: number;
  /** total_preemption_per_round: at most this share of the cluster is taken per run; default 0.1 */
  readonly totalPreemptionPerRound: number;
  /** max_ignored_over_capacity: a queue within guarantee x (1 + this) gives nothing back; default 0.1 */
  readonly maxIgnoredOverCapacity: number;
  /** natural_termination_factor: the share of a queue's excess taken back per run; default 0.2 */
  readonly naturalTerminationFactor: number;
}

/** Everything the CapacityScheduler takes. */
export interface CapacityOptions extends YarnCommonOptions {
  /** the queues below the root; default one leaf 'root.default' at 100 % (the shipped capacity-scheduler.xml) */
  readonly queues: readonly CapacityQueueOptions[];
  /** node-locality-delay: missed opportunities before rack-local, capped at the node count; default 40 */
  readonly nodeLocalityDelay: number;
  /** rack-locality-additional-delay: more missed opportunities before off-switch; -1 (default) uses Hadoop's formula */
  readonly rackLocalityAdditionalDelay: number;
  /** rack-locality-full-reset: a rack-local container resets the missed opportunities; default true */
  readonly rackLocalityFullReset: boolean;
  /** per-node-heartbeat.multiple-assignments-enabled: default true */
  readonly multipleAssignments: boolean;
  /** per-node-heartbeat.maximum-container-assignments: default 100; -1 none */
  readonly maxAssignments: number;
  /** per-node-heartbeat.maximum-offswitch-assignments: default 1 (Hadoop reads a value below 1 as 1) */
  readonly maxOffswitchAssignments: number;
  /** proportional preemption, off by default */
  readonly preemption: CapacityPreemptionOptions;
}

/** Hadoop's defaults (yarn-default.xml, CapacitySchedulerConfiguration, capacity-scheduler.xml). */
export const DEFAULT_CAPACITY_OPTIONS: CapacityOptions = {
  calculator: 'memory',
  minAllocation: resources({ mem: 1024, cpus: 1 }),
  maxAllocation: resources({ mem: 8192, cpus: 4 }),
  queues: [{ path: 'root.default', capacity: 100 }],
  nodeLocalityDelay: 40,
  rackLocalityAdditionalDelay: -1,
  rackLocalityFullReset: true,
  multipleAssignments: true,
  maxAssignments: 100,
  maxOffswitchAssignments: 1,
  preemption: {
    enabled: false,
    monitoringInterval: 3_000_000,
    maxWaitBeforeKill: 15_000_000,
    totalPreemptionPerRound: 0.1,
    maxIgnoredOverCapacity: 0.1,
    naturalTerminationFactor: 0.2,
  },
};

/** Per-queue defaults (CapacitySchedulerConfiguration: maximum-capacity 100, user-limit-factor 1, minimum-user-limit-percent 100, fifo, 0.1). */
export const DEFAULT_QUEUE_SETTINGS = {
  maximumCapacity: 100,
  userLimitFactor: 1,
  minimumUserLimitPercent: 100,
  orderingPolicy: 'fifo' as CapacityOrderingPolicy,
  maximumAmResourcePercent: 0.1,
};

/** How far a parent's children's capacities may sum from 100 (Hadoop allows float rounding). */
const SUM_TOLERANCE = 1e-6;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Every problem with `o`, each with its path (e.g. ['queues', '2', 'capacity']) and a message;
 * empty when the scheduler can be built from it.
 */
export function validateCapacityOptions(o: CapacityOptions): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const bad = (path: string[], message: string): void => void problems.push({ path, message });

  if (!(o.calculator === 'memory' || o.calculator === 'dominant'))
    bad(['calculator'], `unknown resource calculator "${String(o.calculator)}"; known: memory, dominant`);
  for (const [name, v] of [['minAllocation', o.minAllocation] as const, ['maxAllocation', o.maxAllocation] as const]) {
    if (!(v[R.mem]! > 0) || !(v[R.cpus]! > 0)) bad([name], 'memory and vcores must both be positive');
  }
  if (o.minAllocation[R.mem]! > o.maxAllocation[R.mem]! || o.minAllocation[R.cpus]! > o.maxAllocation[R.cpus]!) {
    bad(['minAllocation'], 'the minimum allocation exceeds the maximum allocation');
  }
  if (!Number.isInteger(o.nodeLocalityDelay) || o.nodeLocalityDelay < -1) bad(['nodeLocalityDelay'], 'must be an integer, -1 or more');
  if (!Number.isInteger(o.rackLocalityAdditionalDelay) || o.rackLocalityAdditionalDelay < -1)
    bad(['rackLocalityAdditionalDelay'], 'must be an integer, -1 or more');
  if (!Number.isInteger(o.maxAssignments) || (o.maxAssignments < 1 && o.maxAssignments !== -1))
    bad(['maxAssignments'], 'must be a positive integer or -1 (none)');
  if (!Number.isInteger(o.maxOffswitchAssignments)) bad(['maxOffswitchAssignments'], 'must be an integer');

  const p = o.preemption;
  if (!finite(p.monitoringInterval) || p.monitoringInterval <= 0) bad(['preemption', 'monitoringInterval'], 'must be a positive time');
  if (!finite(p.maxWaitBeforeKill) || p.maxWaitBeforeKill < 0) bad(['preemption', 'maxWaitBeforeKill'], 'must be a time, 0 or more');
  for (const k of ['totalPreemptionPerRound', 'maxIgnoredOverCapacity', 'naturalTerminationFactor'] as const) {
    if (!finite(p[k]) || p[k] < 0) bad(['preemption', k], 'must be a number, 0 or more');
  }

  const paths = new Set<string>(['root']);
  const childSums = new Map<string, number>();
  o.queues.forEach((q, i) => {
    const at = (field: string): string[] => ['queues', String(i), field];
    if (typeof q.path !== 'string' || !/^root(\.[A-Za-z0-9_-]+)+$/.test(q.path)) {
      bad(at('path'), `queue path "${String(q.path)}" must be "root." followed by dot-separated names`);
      return;
    }
    if (paths.has(q.path)) bad(at('path'), `queue "${q.path}" is listed twice`);
    paths.add(q.path);
    const parent = q.path.slice(0, q.path.lastIndexOf('.'));
    if (!finite(q.capacity) || q.capacity < 0 || q.capacity > 100) bad(at('capacity'), 'must be a percentage in [0, 100]');
    else childSums.set(parent, (childSums.get(parent) ?? 0) + q.capacity);
    const max = q.maximumCapacity ?? DEFAULT_QUEUE_SETTINGS.maximumCapacity;
    if (!finite(max) || max <= 0 || max > 100) bad(at('maximumCapacity'), 'must be a percentage in (0, 100]');
    else if (finite(q.capacity) && max < q.capacity) bad(at('maximumCapacity'), `is below the queue's capacity (${q.capacity})`);
    const f = q.userLimitFactor ?? DEFAULT_QUEUE_SETTINGS.userLimitFactor;
    if (!finite(f) || (f <= 0 && f !== -1)) bad(at('userLimitFactor'), 'must be positive, or -1 (none)');
    const ul = q.minimumUserLimitPercent ?? DEFAULT_QUEUE_SETTINGS.minimumUserLimitPercent;
    if (!finite(ul) || ul <= 0 || ul > 100) bad(at('minimumUserLimitPercent'), 'must be a percentage in (0, 100]');
    const pol = q.orderingPolicy ?? DEFAULT_QUEUE_SETTINGS.orderingPolicy;
    if (!(CAPACITY_ORDERING_POLICIES as readonly string[]).includes(pol))
      bad(at('orderingPolicy'), `unknown ordering policy "${String(pol)}"; known: fifo, fair`);
    const am = q.maximumAmResourcePercent ?? DEFAULT_QUEUE_SETTINGS.maximumAmResourcePercent;
    if (!finite(am) || am < 0 || am > 1) bad(at('maximumAmResourcePercent'), 'must be a fraction in [0, 1]');
  });
  o.queues.forEach((q, i) => {
    if (typeof q.path !== 'string' || !q.path.includes('.')) return;
    const parent = q.path.slice(0, q.path.lastIndexOf('.'));
    if (!paths.has(parent)) bad(['queues', String(i), 'path'], `the parent "${parent}" of queue "${q.path}" is not listed`);
  });
  if (o.queues.length === 0) bad(['queues'], 'at least one leaf queue is needed');
  for (const [parent, sum] of childSums) {
    if (Math.abs(sum - 100) > SUM_TOLERANCE) bad(['queues'], `the capacities of the children of "${parent}" sum to ${sum}, not 100`);
  }
  return problems;
}
