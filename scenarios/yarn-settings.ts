/**
 * A scenario's `yarn` settings (used with `architecture: yarn`): the schema of the block, with
 * Hadoop's defaults (../shared/notes/yarn-semantics.md §8), the queues derived from the
 * scenario's roles when none are listed, and the scheduler and ResourceManager settings a run
 * is built from. docs/yarn.md describes every field.
 */
import { z } from 'zod';
import { CapacityScheduler } from '../allocators/yarn/capacity.js';
import { DEFAULT_CAPACITY_OPTIONS, validateCapacityOptions, type CapacityOptions, type CapacityQueueOptions } from '../allocators/yarn/capacity-options.js';
import { FairScheduler } from '../allocators/yarn/fair.js';
import { DEFAULT_FAIR_OPTIONS, FAIR_POLICIES, validateFairOptions, type FairOptions, type FairQueueOptions } from '../allocators/yarn/fair-options.js';
import { FIFO_QUEUE, FifoScheduler } from '../allocators/yarn/fifo.js';
import { resources } from '../sim/model/resources.js';
import type { YarnDeps, YarnScheduler } from '../sim/model/yarn-port.js';
import { seconds } from '../sim/kernel/time.js';
import { interval, ResourceAmountsSchema, span } from './schema-fields.js';

/** The YARN schedulers a scenario may name. */
export const YARN_SCHEDULERS = ['capacity', 'fair', 'fifo'] as const;

const percent = z.number().finite().min(0).max(100);
const QUEUE_PATH = /^root(\.[A-Za-z0-9_-]+)+$/;
const queuePath = z.string().regex(QUEUE_PATH, { message: 'a queue path: "root." then names of letters, digits, "_" or "-", separated by "."' });

const CapacityQueueSchema = z.strictObject({
  /** the queue's path, e.g. root.analytics; its parent must be listed too (root excepted) */
  path: queuePath,
  /** guaranteed share of the parent, %; siblings sum to 100 */
  capacity: percent,
  /** hard cap, % of the parent; default 100 */
  maximumCapacity: percent.optional(),
  /** one user may hold up to this times the queue's guarantee; -1 none; default 1 */
  userLimitFactor: z.number().finite().optional(),
  /** the floor of a user's share when several users are active, %; default 100 */
  minimumUserLimitPercent: percent.optional(),
  /** the order of the leaf's applications: fifo (default) or fair */
  orderingPolicy: z.enum(['fifo', 'fair']).optional(),
  /** the share of the queue its ApplicationMasters may hold, a fraction; default 0.1 */
  maximumAmResourcePercent: z.number().finite().min(0).max(1).optional(),
});

const FairQueueSchema = z.strictObject({
  /** the queue's path, e.g. root.analytics; missing parents are made with defaults */
  path: queuePath,
  /** weight; default 1 */
  weight: z.number().finite().min(0).optional(),
  /** minResources; default none */
  minResources: ResourceAmountsSchema.optional(),
  /** maxResources; default unlimited */
  maxResources: ResourceAmountsSchema.optional(),
  /** fair (default), drf or fifo */
  schedulingPolicy: z.enum(FAIR_POLICIES).optional(),
  /** the share of the queue's fair share its ApplicationMasters may hold; -1 off; default 0.5 */
  maxAMShare: z.number().finite().optional(),
});

/** The `yarn` block of a scenario. */
export const YarnSettingsSchema = z.strictObject({
  /** yarn.resourcemanager.scheduler.class: capacity (Hadoop's default), fair or fifo */
  scheduler: z.enum(YARN_SCHEDULERS).default('capacity'),
  /** NodeManager heartbeat interval, seconds; default 1 */
  nodeHeartbeat: interval.default(1),
  /** a container's end makes its node heartbeat at once (the NodeManager's out-of-band heartbeat); false: at its next periodic heartbeat (Hadoop's simulator); default true */
  outOfBandHeartbeat: z.boolean().default(true),
  /** ApplicationMaster allocate interval, seconds; default 1 */
  amHeartbeat: interval.default(1),
  /** the ApplicationMaster container's resources (MapReduce: 1536 MB, 1 vcore); null: no AM container (the AM runs outside the cluster) */
  am: ResourceAmountsSchema.nullable().default({ mem: 1536, cpus: 1 }),
  /** memory (Hadoop's DefaultResourceCalculator: memory alone) or dominant (every resource); the capacity and fifo schedulers; default memory */
  calculator: z.enum(['memory', 'dominant']).default('memory'),
  /** yarn.scheduler.minimum-allocation: default 1024 MB, 1 vcore */
  minAllocation: ResourceAmountsSchema.default({ mem: 1024, cpus: 1 }),
  /** yarn.scheduler.maximum-allocation: default 8192 MB, 4 vcores; a larger task is an error */
  maxAllocation: ResourceAmountsSchema.default({ mem: 8192, cpus: 4 }),
  /** the priority of a job's tasks of its first size (MapReduce maps: 20); later sizes take the next numbers; default 20 */
  taskPriority: z.number().int().min(1).max(1_000_000).default(20),
  /** yarn.nm.liveness-monitor.expiry-interval-ms, seconds: a node silent this long is lost at the monitor's next check (every third of it); default 600 */
  nmExpiry: interval.default(600),
  /** yarn.am.liveness-monitor.expiry-interval-ms, seconds: an ApplicationMaster silent this long fails its attempt (counted), checked likewise; default 600 */
  amExpiry: interval.default(600),
  /** yarn.resourcemanager.am.max-attempts: counted attempt failures before the application fails (lost-node and preemption exits do not count); default 2 */
  amMaxAttempts: z.number().int().min(1).max(1000).default(2),
  /** CapacityScheduler settings */
  capacity: z
    .strictObject({
      /** the queue tree; default one leaf queue per role, capacities from the roles' weights */
      queues: z.array(CapacityQueueSchema).min(1).optional(),
      /** node-locality-delay: missed scheduling opportunities before rack-local (capped at the node count); default 40 */
      nodeLocalityDelay: z.number().int().min(-1).default(40),
      /** rack-locality-additional-delay; -1 (default): Hadoop's formula */
      rackLocalityAdditionalDelay: z.number().int().min(-1).default(-1),
      /** rack-locality-full-reset; default true */
      rackLocalityFullReset: z.boolean().default(true),
      /** per-node-heartbeat.multiple-assignments-enabled; default true */
      multipleAssignments: z.boolean().default(true),
      /** per-node-heartbeat.maximum-container-assignments; -1 none; default 100 */
      maxAssignments: z.number().int().min(-1).default(100),
      /** per-node-heartbeat.maximum-offswitch-assignments; default 1 */
      maxOffswitchAssignments: z.number().int().min(1).default(1),
      /** ProportionalCapacityPreemptionPolicy; off by default */
      preemption: z
        .strictObject({
          /** yarn.resourcemanager.scheduler.monitor.enable; default false */
          enabled: z.boolean().default(false),
          /** monitoring_interval, seconds; default 3 */
          monitoringInterval: interval.default(3),
          /** max_wait_before_kill, seconds; default 15 */
          maxWaitBeforeKill: span.default(15),
          /** total_preemption_per_round, a fraction of the cluster; default 0.1 */
          totalPreemptionPerRound: z.number().finite().min(0).max(1).default(0.1),
          /** max_ignored_over_capacity (the dead zone), a fraction of the guarantee; default 0.1 */
          maxIgnoredOverCapacity: z.number().finite().min(0).max(100).default(0.1),
          /** natural_termination_factor, a fraction of the excess per run; default 0.2 */
          naturalTerminationFactor: z.number().finite().min(0).max(1).default(0.2),
        })
        .prefault({}),
    })
    .prefault({}),
  /** FairScheduler settings */
  fair: z
    .strictObject({
      /** the queue tree; default one leaf queue per role, weighted as the role */
      queues: z.array(FairQueueSchema).min(1).optional(),
      /** yarn.resource-types.*.increment-allocation: default 1024 MB, 1 vcore */
      increment: ResourceAmountsSchema.default({ mem: 1024, cpus: 1 }),
      /** locality.threshold.node, a fraction of the cluster; -1 (default) off */
      localityThresholdNode: z.number().finite().min(-1).max(1).default(-1),
      /** locality.threshold.rack, a fraction of the cluster; -1 (default) off */
      localityThresholdRack: z.number().finite().min(-1).max(1).default(-1),
      /** assignmultiple; default false */
      assignMultiple: z.boolean().default(false),
      /** dynamic.max.assign; default true */
      dynamicMaxAssign: z.boolean().default(true),
      /** max.assign; -1 (default) none */
      maxAssign: z.number().int().min(-1).default(-1),
      /** update-interval, seconds; default 0.5 */
      updateInterval: interval.default(0.5),
      /** fair-share and min-share preemption; off by default */
      preemption: z
        .strictObject({
          /** yarn.scheduler.fair.preemption; default false */
          enabled: z.boolean().default(false),
          /** preemption.cluster-utilization-threshold, a fraction; default 0.8 */
          utilizationThreshold: z.number().finite().min(0).max(1).default(0.8),
          /** fairSharePreemptionTimeout, seconds; absent (default): never */
          fairShareTimeout: span.optional(),
          /** minSharePreemptionTimeout, seconds; absent (default): never */
          minShareTimeout: span.optional(),
          /** fairSharePreemptionThreshold, a fraction of the fair share; default 0.5 */
          fairShareThreshold: z.number().finite().min(0).max(1).default(0.5),
          /** waitTimeBeforeKill, seconds; default 15 */
          waitBeforeKill: span.default(15),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** A scenario's `yarn` block after validation. */
export type YarnSettings = z.infer<typeof YarnSettingsSchema>;

/** What building the YARN settings needs of the scenario. */
export interface YarnScenario {
  readonly yarn?: YarnSettings | undefined;
  readonly roles: Readonly<Record<string, { readonly weight: number }>>;
  /** the scenario's frameworks, then those its traces create (frameworkBy; their role from roleBy) */
  readonly frameworks: readonly { readonly name: string; readonly role: string }[];
  /** how many of `frameworks` the scenario declares (the rest come from traces); default all */
  readonly declared?: number | undefined;
}

/** A problem of the settings, at a path inside the scenario. */
export interface YarnProblem {
  readonly path: PropertyKey[];
  readonly message: string;
}

/** The leaf queue a role's frameworks go to: root.<role path, '/' as '.'>; the default role '*' is root.default. */
export function queueOfRole(role: string): string {
  return role === '*' ? 'root.default' : `root.${role.split('/').join('.')}`;
}

/** The settings with defaults for a scenario that names `architecture: yarn` and no `yarn` block. */
export function yarnSettings(s: YarnScenario): YarnSettings {
  return s.yarn ?? YarnSettingsSchema.parse({});
}

/**
 * The queue tree derived from the roles of the scenario's frameworks (each role path a leaf, its
 * ancestors parents): Capacity gives siblings capacities in proportion to their weights (which
 * sum to 100), Fair gives each queue its role's weight. A role's weight is from `roles`, else 1.
 */
function derivedQueues(s: YarnScenario): { path: string; weight: number; share: number }[] {
  const paths = new Set<string>();
  for (const f of s.frameworks) {
    const segs = queueOfRole(f.role).split('.');
    for (let k = 2; k <= segs.length; k++) paths.add(segs.slice(0, k).join('.'));
  }
  const roleOf = new Map<string, string>();
  for (const f of s.frameworks) roleOf.set(queueOfRole(f.role), f.role);
  const weightOf = (path: string): number => {
    const role = roleOf.get(path) ?? path.split('.').slice(1).join('/');
    return s.roles[role]?.weight ?? 1;
  };
  const sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parentOf = (p: string): string => p.slice(0, p.lastIndexOf('.'));
  return sorted.map((path) => {
    const siblings = sorted.filter((q) => parentOf(q) === parentOf(path));
    const total = siblings.reduce((sum, q) => sum + weightOf(q), 0);
    return { path, weight: weightOf(path), share: (100 * weightOf(path)) / total };
  });
}

function capacityOptions(y: YarnSettings, s: YarnScenario): CapacityOptions {
  const queues: CapacityQueueOptions[] = y.capacity.queues ?? derivedQueues(s).map((q) => ({ path: q.path, capacity: q.share }));
  const { queues: _q, preemption: p, ...rest } = y.capacity;
  return {
    ...DEFAULT_CAPACITY_OPTIONS,
    ...rest,
    preemption: {
      enabled: p.enabled,
      monitoringInterval: seconds(p.monitoringInterval),
      maxWaitBeforeKill: seconds(p.maxWaitBeforeKill),
      totalPreemptionPerRound: p.totalPreemptionPerRound,
      maxIgnoredOverCapacity: p.maxIgnoredOverCapacity,
      naturalTerminationFactor: p.naturalTerminationFactor,
    },
    calculator: y.calculator,
    minAllocation: resources(y.minAllocation),
    maxAllocation: resources(y.maxAllocation),
    queues,
  };
}

function fairOptions(y: YarnSettings, s: YarnScenario): FairOptions {
  const queues: FairQueueOptions[] =
    y.fair.queues?.map((q) => ({
      path: q.path,
      ...(q.weight === undefined ? {} : { weight: q.weight }),
      ...(q.minResources === undefined ? {} : { minResources: resources(q.minResources) }),
      ...(q.maxResources === undefined ? {} : { maxResources: resources(q.maxResources) }),
      ...(q.schedulingPolicy === undefined ? {} : { schedulingPolicy: q.schedulingPolicy }),
      ...(q.maxAMShare === undefined ? {} : { maxAMShare: q.maxAMShare }),
    })) ?? derivedQueues(s).map((q) => ({ path: q.path, weight: q.weight }));
  const f = y.fair;
  return {
    ...DEFAULT_FAIR_OPTIONS,
    minAllocation: resources(y.minAllocation),
    maxAllocation: resources(y.maxAllocation),
    increment: resources(f.increment),
    queues,
    localityThresholdNode: f.localityThresholdNode,
    localityThresholdRack: f.localityThresholdRack,
    assignMultiple: f.assignMultiple,
    dynamicMaxAssign: f.dynamicMaxAssign,
    maxAssign: f.maxAssign,
    updateInterval: seconds(f.updateInterval),
    preemption: {
      ...DEFAULT_FAIR_OPTIONS.preemption,
      enabled: f.preemption.enabled,
      utilizationThreshold: f.preemption.utilizationThreshold,
      fairShareTimeout: f.preemption.fairShareTimeout === undefined ? Infinity : seconds(f.preemption.fairShareTimeout),
      minShareTimeout: f.preemption.minShareTimeout === undefined ? Infinity : seconds(f.preemption.minShareTimeout),
      fairShareThreshold: f.preemption.fairShareThreshold,
      waitBeforeKill: seconds(f.preemption.waitBeforeKill),
      nodeHeartbeatInterval: seconds(y.nodeHeartbeat),
    },
  };
}

/** Settings of the `yarn` block itself (not of its capacity or fair part). */
const COMMON = new Set(['calculator', 'minAllocation', 'maxAllocation']);

/**
 * The problems of a scenario's YARN settings: the scheduler's own checks of its options (at
 * yarn.capacity / yarn.fair), and every framework's queue a leaf of the tree (at the
 * framework's role).
 */
export function yarnProblems(s: YarnScenario): YarnProblem[] {
  const y = yarnSettings(s);
  const out: YarnProblem[] = [];
  let leaves: readonly string[] = [FIFO_QUEUE];
  if (y.scheduler === 'capacity') {
    const o = capacityOptions(y, s);
    // Derived queues come from the roles: their problems are the roles'.
    const at = (path: readonly PropertyKey[]): PropertyKey[] =>
      path[0] === 'queues' && y.capacity.queues === undefined ? ['roles'] : COMMON.has(String(path[0])) ? ['yarn', ...path] : ['yarn', 'capacity', ...path];
    for (const p of validateCapacityOptions(o)) out.push({ path: at(p.path), message: p.message });
    if (out.length === 0) leaves = new CapacityScheduler(o).leafQueues;
  } else if (y.scheduler === 'fair') {
    const o = fairOptions(y, s);
    const at = (path: readonly PropertyKey[]): PropertyKey[] =>
      path[0] === 'queues' && y.fair.queues === undefined ? ['roles'] : COMMON.has(String(path[0])) ? ['yarn', ...path] : ['yarn', 'fair', ...path];
    for (const p of validateFairOptions(o)) out.push({ path: at(p.path), message: p.message });
    if (out.length === 0) leaves = new FairScheduler(o).leafQueues;
  }
  if (out.length > 0) return out;
  s.frameworks.forEach((f, i) => {
    const q = y.scheduler === 'fifo' ? FIFO_QUEUE : queueOfRole(f.role);
    if (!leaves.includes(q)) {
      out.push({
        path: i < (s.declared ?? s.frameworks.length) ? ['frameworks', i, 'role'] : ['traces'],
        message: `framework ${f.name}'s jobs go to queue ${q} (its role), which is not a leaf queue of the ${y.scheduler} scheduler (${leaves.join(', ')})`,
      });
    }
  });
  return out;
}

/** The YARN scheduler and ResourceManager settings of a run of `s` (whose problems were reported already). */
export function buildYarn(s: YarnScenario): YarnDeps {
  const y = yarnSettings(s);
  const scheduler: YarnScheduler =
    y.scheduler === 'capacity'
      ? new CapacityScheduler(capacityOptions(y, s))
      : y.scheduler === 'fair'
        ? new FairScheduler(fairOptions(y, s))
        : new FifoScheduler({ calculator: y.calculator, minAllocation: resources(y.minAllocation), maxAllocation: resources(y.maxAllocation) });
  return {
    scheduler,
    options: {
      nodeHeartbeat: seconds(y.nodeHeartbeat),
      outOfBandHeartbeat: y.outOfBandHeartbeat,
      amHeartbeat: seconds(y.amHeartbeat),
      am: y.am === null ? null : resources(y.am),
      taskPriority: y.taskPriority,
      maxAllocation: resources(y.maxAllocation),
      nmExpiry: seconds(y.nmExpiry),
      amExpiry: seconds(y.amExpiry),
      amMaxAttempts: y.amMaxAttempts,
      // The FairScheduler normalises with the dominant calculator whatever the setting.
      calculator: y.scheduler === 'fair' ? 'dominant' : y.calculator,
      queueOf: (() => {
        const roleOf = new Map(s.frameworks.map((f) => [f.name, f.role]));
        return (fw: string) => (y.scheduler === 'fifo' ? FIFO_QUEUE : queueOfRole(roleOf.get(fw) ?? '*'));
      })(),
    },
  };
}
