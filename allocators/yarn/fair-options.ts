/**
 * The FairScheduler's settings with Hadoop's defaults (yarn-semantics.md §4; FairSchedulerConfiguration,
 * AllocationFileParser), and their validation: every problem with the path of its field, never
 * thrown. Imports model types and resources.ts only.
 */
import { NUM_RESOURCES, R, resources, type ResourceVector } from '../../sim/model/resources.js';
import type { YarnCommonOptions } from '../../sim/model/yarn-port.js';
import type { ParamProblem } from '../types.js';

/** A queue's ordering and sharing policy (Hadoop SchedulingPolicy: fair, drf, fifo). */
export const FAIR_POLICIES = ['fair', 'drf', 'fifo'] as const;
/** One of {@link FAIR_POLICIES}. */
export type FairPolicy = (typeof FAIR_POLICIES)[number];

/** One queue of the allocation file (Hadoop AllocationFileParser; site/FairScheduler.md). */
export interface FairQueueOptions {
  /** its path from the root, e.g. 'root.analytics' or 'root.a.x'; missing parents are made with defaults */
  readonly path: string;
  /** weight; default 1 */
  readonly weight?: number;
  /** minResources, fixed point; default none (0) */
  readonly minResources?: ResourceVector;
  /** maxResources, fixed point; default unlimited */
  readonly maxResources?: ResourceVector;
  /** schedulingPolicy; default 'fair' (fifo only on leaf queues; a 'fair' parent takes no 'drf' child) */
  readonly schedulingPolicy?: FairPolicy;
  /** maxAMShare: fraction of the queue's fair share its AM containers may hold; -1 off; default 0.5 */
  readonly maxAMShare?: number;
}

/** Fair-share and min-share preemption (off by default; yarn-semantics.md §4.4). */
export interface FairPreemptionOptions {
  /** yarn.scheduler.fair.preemption; default false */
  readonly enabled: boolean;
  /** yarn.scheduler.fair.preemption.cluster-utilization-threshold; default 0.8 */
  readonly utilizationThreshold: number;
  /** fairSharePreemptionTimeout, us; default Infinity (never) */
  readonly fairShareTimeout: number;
  /** minSharePreemptionTimeout, us; default Infinity (never) */
  readonly minShareTimeout: number;
  /** fairSharePreemptionThreshold; default 0.5 */
  readonly fairShareThreshold: number;
  /** yarn.scheduler.fair.waitTimeBeforeKill, us; default 15 s */
  readonly waitBeforeKill: number;
  /** yarn.scheduler.fair.waitTimeBeforeNextStarvationCheck, us; default 10 s */
  readonly waitBeforeNextStarvationCheck: number;
  /** the NodeManager heartbeat interval, us (4 of them are added before an app is checked again); default 1 s */
  readonly nodeHeartbeatInterval: number;
}

/** Everything the FairScheduler takes. */
export interface FairOptions extends YarnCommonOptions {
  /** the queues; default one leaf, 'root.default' */
  readonly queues: readonly FairQueueOptions[];
  /** yarn.resource-types.memory-mb.increment-allocation and vcores: 1024 MB, 1 vcore */
  readonly increment: ResourceVector;
  /** yarn.scheduler.fair.locality.threshold.node: fraction of cluster size; default -1 (off) */
  readonly localityThresholdNode: number;
  /** yarn.scheduler.fair.locality.threshold.rack; default -1 (off) */
  readonly localityThresholdRack: number;
  /** yarn.scheduler.fair.assignmultiple; default false */
  readonly assignMultiple: boolean;
  /** yarn.scheduler.fair.dynamic.max.assign; default true */
  readonly dynamicMaxAssign: boolean;
  /** yarn.scheduler.fair.max.assign; default -1 (no limit) */
  readonly maxAssign: number;
  /** yarn.scheduler.fair.reservable-nodes: the fraction of a rack's or the cluster's nodes one application may reserve for non-node-local containers; default 0.05 */
  readonly reservableNodes: number;
  /** yarn.scheduler.reservation-threshold.increment-multiple: only containers at least this many increments are reserved; default 2 */
  readonly reservationThresholdIncrementMultiple: number;
  /** yarn.scheduler.fair.update-interval-ms, in us; default 500000 */
  readonly updateInterval: number;
  /** preemption; default off */
  readonly preemption: FairPreemptionOptions;
}

/** Hadoop's defaults (sources in yarn-semantics.md §3.5, §4). */
export const DEFAULT_FAIR_OPTIONS: FairOptions = {
  calculator: 'dominant',
  minAllocation: resources({ mem: 1024, cpus: 1 }),
  maxAllocation: resources({ mem: 8192, cpus: 4 }),
  queues: [{ path: 'root.default' }],
  increment: resources({ mem: 1024, cpus: 1 }),
  localityThresholdNode: -1,
  localityThresholdRack: -1,
  assignMultiple: false,
  dynamicMaxAssign: true,
  maxAssign: -1,
  reservableNodes: 0.05,
  reservationThresholdIncrementMultiple: 2,
  updateInterval: 500_000,
  preemption: {
    enabled: false,
    utilizationThreshold: 0.8,
    fairShareTimeout: Infinity,
    minShareTimeout: Infinity,
    fairShareThreshold: 0.5,
    waitBeforeKill: 15_000_000,
    waitBeforeNextStarvationCheck: 10_000_000,
    nodeHeartbeatInterval: 1_000_000,
  },
};

/** A problem with one field of the options (the allocators' parameter problem). */
export type FairOptionsProblem = ParamProblem;

function vectorProblem(v: unknown, path: string[], out: FairOptionsProblem[], allowInfinity: boolean): void {
  if (!(v instanceof Float64Array) || v.length !== NUM_RESOURCES) {
    out.push({ path, message: `must be a resource vector of ${NUM_RESOURCES} entries` });
    return;
  }
  for (let i = 0; i < NUM_RESOURCES; i++) {
    const x = v[i]!;
    if (Number.isNaN(x) || x < 0 || (!allowInfinity && !Number.isFinite(x))) {
      out.push({ path, message: `entry ${i} is ${x}: must be a non-negative${allowInfinity ? '' : ' finite'} amount` });
      return;
    }
  }
}

function numberProblem(v: unknown, path: string[], out: FairOptionsProblem[], ok: (x: number) => boolean, what: string): void {
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) out.push({ path, message: `is ${String(v)}: must be ${what}` });
}

/** The parent path of `path` ('root.a.x' -> 'root.a'), or undefined for 'root'. */
export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf('.');
  return i < 0 ? undefined : path.slice(0, i);
}

function queueProblems(queues: readonly FairQueueOptions[], out: FairOptionsProblem[]): void {
  const seen = new Set<string>();
  const byPath = new Map<string, FairQueueOptions>();
  queues.forEach((q, i) => {
    const at = ['queues', String(i)];
    if (typeof q.path !== 'string' || !/^root(\.[^.\s]+)*$/.test(q.path)) {
      out.push({ path: [...at, 'path'], message: `"${String(q.path)}" must be "root" or "root." followed by non-empty names joined by "."` });
      return;
    }
    if (seen.has(q.path)) out.push({ path: [...at, 'path'], message: `queue "${q.path}" is listed twice` });
    seen.add(q.path);
    byPath.set(q.path, q);
    if (q.weight !== undefined) numberProblem(q.weight, [...at, 'weight'], out, (x) => x >= 0 && Number.isFinite(x), 'a finite weight >= 0');
    if (q.minResources !== undefined) vectorProblem(q.minResources, [...at, 'minResources'], out, false);
    if (q.maxResources !== undefined) vectorProblem(q.maxResources, [...at, 'maxResources'], out, true);
    if (q.minResources instanceof Float64Array && q.maxResources instanceof Float64Array) {
      for (let r = 0; r < NUM_RESOURCES; r++) {
        if (q.minResources[r]! > q.maxResources[r]!) {
          out.push({ path: [...at, 'minResources'], message: `exceeds maxResources in entry ${r}` });
          break;
        }
      }
    }
    if (q.schedulingPolicy !== undefined && !FAIR_POLICIES.includes(q.schedulingPolicy)) {
      out.push({ path: [...at, 'schedulingPolicy'], message: `"${String(q.schedulingPolicy)}" is not one of ${FAIR_POLICIES.join(', ')}` });
    }
    if (q.maxAMShare !== undefined)
      numberProblem(q.maxAMShare, [...at, 'maxAMShare'], out, (x) => x === -1 || (x >= 0 && x <= 1), '-1 (off) or a fraction in [0, 1]');
  });
  // Policies against the tree (Hadoop SchedulingPolicy.isChildPolicyAllowed, FifoPolicy leaf-only).
  const parents = new Set<string>();
  for (const p of seen) for (let a = parentPath(p); a !== undefined; a = parentPath(a)) parents.add(a);
  queues.forEach((q, i) => {
    if (typeof q.path !== 'string') return;
    const policy = q.schedulingPolicy ?? 'fair';
    if (policy === 'fifo' && parents.has(q.path)) {
      out.push({ path: ['queues', String(i), 'schedulingPolicy'], message: `fifo is for leaf queues only; "${q.path}" has children` });
    }
    const parent = parentPath(q.path);
    if (policy === 'drf' && parent !== undefined && (byPath.get(parent)?.schedulingPolicy ?? 'fair') === 'fair') {
      out.push({ path: ['queues', String(i), 'schedulingPolicy'], message: `drf under the fair policy of "${parent}" is not allowed` });
    }
  });
  if (queues.length > 0 && !queues.some((q) => typeof q.path === 'string' && q.path !== 'root')) {
    out.push({ path: ['queues'], message: 'no leaf queue below root' });
  }
}

/**
 * Every problem of `options`, each with its field's path (e.g. ['queues', '1', 'weight']); empty
 * when the options are valid.
 */
export function validateFairOptions(options: FairOptions): FairOptionsProblem[] {
  const out: FairOptionsProblem[] = [];
  if (options.calculator !== 'memory' && options.calculator !== 'dominant') {
    out.push({ path: ['calculator'], message: `"${String(options.calculator)}" is not memory or dominant` });
  }
  vectorProblem(options.minAllocation, ['minAllocation'], out, false);
  vectorProblem(options.maxAllocation, ['maxAllocation'], out, false);
  vectorProblem(options.increment, ['increment'], out, false);
  if (options.increment instanceof Float64Array && (options.increment[R.mem]! <= 0 || options.increment[R.cpus]! <= 0)) {
    out.push({ path: ['increment'], message: 'memory and vcores increments must be positive' });
  }
  if (options.minAllocation instanceof Float64Array && options.maxAllocation instanceof Float64Array) {
    if (options.minAllocation[R.mem]! > options.maxAllocation[R.mem]! || options.minAllocation[R.cpus]! > options.maxAllocation[R.cpus]!) {
      out.push({ path: ['minAllocation'], message: 'exceeds maxAllocation' });
    }
  }
  if (!Array.isArray(options.queues)) out.push({ path: ['queues'], message: 'must be a list of queues' });
  else queueProblems(options.queues, out);
  numberProblem(options.localityThresholdNode, ['localityThresholdNode'], out, Number.isFinite, 'a finite number (negative: off)');
  numberProblem(options.localityThresholdRack, ['localityThresholdRack'], out, Number.isFinite, 'a finite number (negative: off)');
  if (typeof options.assignMultiple !== 'boolean') out.push({ path: ['assignMultiple'], message: 'must be true or false' });
  if (typeof options.dynamicMaxAssign !== 'boolean') out.push({ path: ['dynamicMaxAssign'], message: 'must be true or false' });
  numberProblem(options.maxAssign, ['maxAssign'], out, Number.isInteger, 'an integer (<= 0: no limit)');
  numberProblem(options.reservableNodes, ['reservableNodes'], out, (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]');
  numberProblem(
    options.reservationThresholdIncrementMultiple,
    ['reservationThresholdIncrementMultiple'],
    out,
    (x) => x >= 0 && Number.isFinite(x),
    'a finite number >= 0',
  );
  numberProblem(options.updateInterval, ['updateInterval'], out, (x) => Number.isInteger(x) && x > 0, 'a positive integer number of us');
  const p = options.preemption as FairPreemptionOptions | undefined;
  if (p === undefined || typeof p !== 'object') out.push({ path: ['preemption'], message: 'must be an object' });
  else {
    if (typeof p.enabled !== 'boolean') out.push({ path: ['preemption', 'enabled'], message: 'must be true or false' });
    numberProblem(p.utilizationThreshold, ['preemption', 'utilizationThreshold'], out, (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]');
    numberProblem(p.fairShareTimeout, ['preemption', 'fairShareTimeout'], out, (x) => x >= 0, 'a time >= 0 in us (Infinity: never)');
    numberProblem(p.minShareTimeout, ['preemption', 'minShareTimeout'], out, (x) => x >= 0, 'a time >= 0 in us (Infinity: never)');
    numberProblem(p.fairShareThreshold, ['preemption', 'fairShareThreshold'], out, (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]');
    for (const k of ['waitBeforeKill', 'waitBeforeNextStarvationCheck', 'nodeHeartbeatInterval'] as const) {
      numberProblem(p[k], ['preemption', k], out, (x) => Number.isFinite(x) && x >= 0, 'a finite time >= 0 in us');
    }
  }
  return out;
}
