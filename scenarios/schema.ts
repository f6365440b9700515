/**
 * The scenario file schema (YAML or JSON), with every default stated. Validation reports every
 * problem at once with its field path. Times in scenario files are seconds (decimals allowed).
 * Its parts: field types (schema-fields.ts), workloads and traces (schema-workloads.ts), behaviours
 * (behaviours/). This is the composition root's edge: it may import anything.
 */
import { z } from 'zod';
import { allocatorNames, getAllocator } from '../allocators/registry.js';
import { OFFER_GRANULARITIES, checkParams, type AllocatorOptions } from '../allocators/types.js';
import { ALLOCATION_COST_PRESETS, type AllocationCostPreset } from '../sim/model/allocation-cost.js';
import { ARCHITECTURES, type ArchitectureName } from '../sim/model/architectures/architecture.js';
import { fromFixed, RESOURCE_NAMES, toFixed } from '../sim/model/resources.js';
import { allocatableTo } from '../sim/model/roles.js';
import { BehaviourSchema } from './behaviours/index.js';
import { didYouMean } from './did-you-mean.js';
import { EXPONENTIAL_TAIL, MAX_AGENTS, MAX_SPAN_SECONDS, MAX_SWEEP_POINTS, MAX_WEIGHT, MIN_INTERVAL_SECONDS, MIN_WEIGHT } from './limits.js';
import {
  FRAMEWORK_OFFER_FIELDS,
  INTERVAL_MESSAGE,
  ROLE_MESSAGE,
  ResourceAmountsSchema,
  RESOURCE_FIELDS,
  interval,
  isPlainObject,
  isRole,
  n,
  name,
  positiveSeconds,
  role,
  runSeconds,
  seconds,
  span,
} from './schema-fields.js';
import { YarnSettingsSchema } from './yarn-settings.js';
import { ClusterTraceSchema, InlineWorkloadSchema, PoissonWorkloadSchema, TraceWorkloadSchema } from './schema-workloads.js';

/** A coefficient of the allocator cost model: seconds per unit of work, at least 0 and at most an hour. */
const costCoefficient = z.number().finite().min(0, { message: 'at least 0 (seconds)' }).max(3600, { message: 'at most 3600 (seconds)' }).optional();

/**
 * The allocator cost model (master.allocationCost; sim/model/allocation-cost.ts): a preset's name,
 * or coefficients in seconds per unit of work (absent = 0).
 */
export const AllocationCostSchema = z.union([
  z.enum(Object.keys(ALLOCATION_COST_PRESETS) as [AllocationCostPreset, ...AllocationCostPreset[]]),
  z.strictObject({
    /** seconds per run */
    perRun: costCoefficient,
    /** seconds per agent visited */
    perAgent: costCoefficient,
    /** seconds per (agent visited, active framework) */
    perAgentFramework: costCoefficient,
    /** seconds per (agent visited, role with a quota guarantee) */
    perAgentQuotaRole: costCoefficient,
    /** seconds per offer made */
    perOffer: costCoefficient,
  }),
]);

/** A group of identical agents. */
export const AgentGroupSchema = z
  .strictObject({
    /** how many agents; default 1 */
    count: z
      .number()
      .int()
      .positive()
      .max(MAX_AGENTS, { message: `at most ${n(MAX_AGENTS)} agents (the most a cluster may have)` })
      .default(1),
    /** name prefix (a name, {@link isName}); agents are named prefix + zero-padded index; default 'agent-' */
    prefix: name.default('agent-'),
    /** racks the group is spread over, contiguously (rack-0 gets the first agents); default 1 */
    racks: z
      .number()
      .int()
      .positive()
      .max(MAX_AGENTS, { message: `at most ${n(MAX_AGENTS)} racks` })
      .default(1),
    /** rack name prefix (a name); default 'rack-' */
    rackPrefix: name.default('rack-'),
    ...RESOURCE_FIELDS,
    /** registration time, seconds; default 0 */
    addAt: seconds.default(0),
    /**
     * static reservations of each agent, by role: `{ ads: { cpus: 8, mem: 4096 } }` (Mesos
     * `cpus(ads):8;mem(ads):4096`), part of the agent's resources above; default none
     */
    reserved: z.record(z.string(), ResourceAmountsSchema).optional(),
  })
  .superRefine((g, ctx) => {
    if (g.reserved === undefined) return;
    const roles = Object.keys(g.reserved).sort();
    for (const r of roles) {
      if (r === '*') ctx.addIssue({ code: 'custom', path: ['reserved', r], message: 'resources cannot be reserved for role *' });
      else if (!isRole(r)) ctx.addIssue({ code: 'custom', path: ['reserved', r], message: ROLE_MESSAGE });
    }
    for (const res of RESOURCE_NAMES) {
      // Compared in the model's fixed point, so 0.1 + 0.2 fits in 0.3 as it does in the master.
      let sum = 0;
      for (const r of roles) sum += toFixed(g.reserved[r]![res] ?? 0);
      if (sum > toFixed(g[res]))
        ctx.addIssue({ code: 'custom', path: ['reserved'], message: `reservations of ${res} sum to ${fromFixed(sum)}, more than the agent's ${g[res]}` });
    }
    // One reservation per role chain on an agent: the master finds a role's reservation uniquely.
    for (const a of roles) {
      for (const b of roles) {
        if (a !== b && allocatableTo(a, b)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reserved', b],
            message: `role "${b}" is under "${a}", also reserved on these agents; reserve for one of them only`,
          });
        }
      }
    }
  });

/** File extensions of a user-written allocator module (ECMAScript modules). */
export const ALLOCATOR_MODULE_EXTENSIONS = ['.js', '.mjs'] as const;

/**
 * The allocator as an object: a registered policy by name, or a user-written module by path
 * (exactly one of the two), with its parameters.
 */
export const AllocatorObjectSchema = z
  .strictObject({
    /** registered policy name; default none (then `module` is required) */
    name: z.string().min(1).optional(),
    /**
     * path of a user-written allocator module (.js or .mjs, ESM), relative to the scenario file;
     * default none (then `name` is required). See docs/allocators.md.
     */
    module: z.string().min(1).optional(),
    /** the policy's parameters (see docs/allocators.md); default {} */
    params: z.record(z.string(), z.unknown()).default({}),
    /** resources left out of fair shares (Mesos --fair_sharing_excluded_resource_names); default none */
    excludedResources: z.array(z.enum(RESOURCE_NAMES)).default([]),
  })
  .superRefine((a, ctx) => {
    if (a.name === undefined && a.module === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'name a registered policy (name: drf) or a module file (module: ./my-allocator.js)' });
    } else if (a.name !== undefined && a.module !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['module'], message: 'give either name (a registered policy) or module (a file), not both' });
    } else if (a.module !== undefined && !ALLOCATOR_MODULE_EXTENSIONS.some((e) => a.module!.toLowerCase().endsWith(e))) {
      ctx.addIssue({
        code: 'custom',
        path: ['module'],
        message: `an allocator module is an ECMAScript module file ending in ${ALLOCATOR_MODULE_EXTENSIONS.join(' or ')} (compile TypeScript first), got "${a.module}"`,
      });
    }
  });

/** The allocator field, normalised. */
export interface AllocatorSpec {
  /** registered policy name; undefined for a module */
  readonly name: string | undefined;
  /** user module path as written in the scenario (relative to it); undefined for a registered policy */
  readonly module: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  readonly excludedResources: readonly string[];
}

/** Normalises the scenario's `allocator` field (a name or an object). */
export function allocatorSpec(a: string | z.infer<typeof AllocatorObjectSchema>): AllocatorSpec {
  if (typeof a === 'string') return { name: a, module: undefined, params: {}, excludedResources: [] };
  return { name: a.name, module: a.module, params: a.params, excludedResources: a.excludedResources };
}

// ---- failures: a self-contained block
/** A scheduled agent failure. */
/** What an agent failure is: its host or process died ('crash'), or the network cut it off from the master ('partition'). */
const FailureKindSchema = z.enum(['crash', 'partition']);
const AgentFailureSchema = z
  .strictObject({
    /** the agent's name (as generated from its group: prefix + zero-padded index) */
    agent: z.string().min(1),
    /** when it stops answering pings, seconds */
    at: seconds,
    /** how long it stays down, seconds; absent: for good. A crashed agent registers again then (empty), or when declared lost if later; a partition heals then */
    downFor: span.optional(),
    /** 'crash' (its tasks die with it) or 'partition' (it and its tasks keep running; downFor required); default 'crash' */
    kind: FailureKindSchema.optional(),
  })
  .refine((f) => f.kind !== 'partition' || f.downFor !== undefined, {
    message: 'a partition must heal: give downFor (an agent cut off for good is a crash)',
    path: ['downFor'],
  });
/**
 * Agent failures drawn at random: each agent's time to failure is exponential with mean `mtbf`,
 * its down time exponential with mean `mttr`, again and again over the run, from its own seeded
 * stream `failures/<agent>` (docs/model.md).
 */
const RandomFailuresSchema = z
  .strictObject({
    /** mean time between failures (mean up time of an agent), seconds (at least 1 us) */
    mtbf: interval,
    /** mean time to repair (mean down time), seconds (at least 1 us); absent: a failed agent never returns */
    mttr: z
      .number()
      .finite()
      .min(MIN_INTERVAL_SECONDS, { message: INTERVAL_MESSAGE })
      .max(MAX_SPAN_SECONDS / EXPONENTIAL_TAIL, {
        message: `at most ${n(Math.floor(MAX_SPAN_SECONDS / EXPONENTIAL_TAIL))} s: a down time can reach ${EXPONENTIAL_TAIL} times the mean, and may be at most ${n(MAX_SPAN_SECONDS)} s`,
      })
      .optional(),
    /** which agents may fail: 'all', a fraction in (0, 1] of them (picked from the stream `failures`), or a list of agent names; default 'all' */
    agents: z.union([z.literal('all'), z.number().finite().positive().max(1), z.array(z.string().min(1)).min(1)]).default('all'),
    /** no failure before this time, seconds; default 0 */
    from: seconds.default(0),
    /** no failure starts at or after this time, seconds (> from); default none (agents down then still return) */
    until: positiveSeconds.optional(),
    /** 'crash' or 'partition' (a partition heals after its down time; mttr required); default 'crash' */
    kind: FailureKindSchema.optional(),
  })
  .refine((r) => r.until === undefined || r.until > r.from, { message: 'until must be after from', path: ['until'] })
  .refine((r) => r.kind !== 'partition' || r.mttr !== undefined, { message: 'random partitions must heal: give mttr', path: ['mttr'] });
/** Failures injected into the run; default none. */
const FailuresSchema = z.strictObject({
  /** scheduled agent failures */
  agents: z.array(AgentFailureSchema).default([]),
  /** failures drawn from MTBF and MTTR (see RandomFailuresSchema); default none */
  random: RandomFailuresSchema.optional(),
});
/** A framework's scheduler failover (Mesos failover_timeout semantics, notes §1.5). */
const FailoverSchema = z.strictObject({
  /** when its scheduler disconnects, seconds */
  disconnectAt: seconds,
  /** how long after that it reregisters, seconds; absent: never */
  reconnectAfter: span.optional(),
});
// ---- end failures

/**
 * A Poisson workload's `start` defaults to its framework's `addAt`: jobs arrive once the framework
 * has subscribed (one arriving before would reach no scheduler). Filled in on the input, so that
 * the resolved scenario lists `start` in its place. A framework given `roles` and no `role` takes
 * its first role as `role`.
 */
function poissonStartsAtAddAt(f: unknown): unknown {
  if (!isPlainObject(f)) return f;
  if (Array.isArray(f['roles']) && f['role'] === undefined && typeof f['roles'][0] === 'string') f = { ...f, role: f['roles'][0] };
  if (!isPlainObject(f)) return f;
  const w = f['workload'];
  const addAt = f['addAt'] ?? 0;
  if (!isPlainObject(w) || w['kind'] !== 'poisson' || w['start'] !== undefined || typeof addAt !== 'number') return f;
  return { ...f, workload: { ...w, start: addAt } };
}

/** A framework of the scenario. */
export const FrameworkSchema = z.preprocess(
  poissonStartsAtAddAt,
  z.strictObject({
    /** unique name (a name, {@link isName}) */
    name,
    /** role path: '*' or names joined by '/' ({@link isRole}); default '*' (with `roles`: the first of them) */
    role: role.default('*'),
    /**
     * a multi-role framework (Mesos MULTI_ROLE): two or more distinct roles, each a client of its
     * own in that role's sorter; give it instead of `role`; default none (one role, `role`)
     */
    roles: z
      .array(role)
      .min(2, { message: 'a multi-role framework has two roles or more (give role for one)' })
      .refine((rs) => new Set(rs).size === rs.length, { message: 'roles must be distinct' })
      .optional(),
    /** scheduler model (scenarios/behaviours/): a name whose options all default (batch, gang) or an object with `kind` and options; default batch with its defaults */
    behaviour: BehaviourSchema,
    /** subscription time, seconds; default 0 */
    addAt: seconds.default(0),
    /** the jobs it receives; default none */
    workload: z.discriminatedUnion('kind', [PoissonWorkloadSchema, InlineWorkloadSchema]).optional(),
    /** a scheduler failover (see FailoverSchema); default none */
    failover: FailoverSchema.optional(),
    /** Mesos failover_timeout, seconds: tasks survive a disconnect this long; default 0 (killed at once) */
    failoverTimeout: span.optional(),
    ...FRAMEWORK_OFFER_FIELDS,
  }),
);

/** What a scenario's `name` may be: it names the default run directory runs/<name>. */
export const SCENARIO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SCENARIO_NAME_MESSAGE =
  'a scenario name (it names the directory runs/<name>) is 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** A whole scenario. */
export const ScenarioSchema = z.strictObject({
  /**
   * scenario name, used in reports and for the default output directory runs/<name>: letters,
   * digits, ".", "_", "-", starting with a letter or digit, at most 100 characters (it names a
   * directory: never "..", a path or a flag); default the file name without its extension
   */
  name: z.string().regex(SCENARIO_NAME, SCENARIO_NAME_MESSAGE).optional(),
  /** free text */
  description: z.string().optional(),
  /** run seed; default 1 */
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 32 - 1)
    .default(1),
  /** seconds to simulate; default none: run until every job has finished */
  duration: runSeconds.optional(),
  /** run-to-completion safety limit, seconds; default 2592000 (30 days) */
  horizon: runSeconds.default(2_592_000),
  /**
   * the allocation policy: a registered name (see `offersim list allocators`), or
   * `{ name, params, excludedResources }`, or a user module `{ module, params, excludedResources }`
   * (checked when the module is loaded: scenarios/user-allocator.ts); default 'drf'
   */
  allocator: z
    .union([z.string().min(1), AllocatorObjectSchema])
    .default('drf')
    .superRefine((a, ctx) => {
      const spec = allocatorSpec(a);
      if (spec.name === undefined) return;
      const entry = getAllocator(spec.name);
      if (entry === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: typeof a === 'string' ? [] : ['name'],
          message: `unknown allocator "${spec.name}"; registered: ${allocatorNames().join(', ')}${didYouMean(spec.name, allocatorNames())}`,
        });
        return;
      }
      for (const p of checkParams(entry, spec.params)) {
        ctx.addIssue({ code: 'custom', path: typeof a === 'string' ? [] : ['params', ...p.path], message: p.message });
      }
    }),
  /**
   * the scheduling architecture: 'offers' (Mesos: the allocator offers agents, frameworks accept
   * or decline), 'monolithic' (one central scheduler places every task) or 'shared-state' (every
   * framework places its own tasks, as in Omega), or 'yarn' (Hadoop YARN: the scheduler of the
   * `yarn` settings places containers that each job's ApplicationMaster asks for; the allocator
   * plays no part); under monolithic and shared-state the allocator orders the frameworks
   * through its ranking port. Default: the one the allocator names ('monolithic' and
   * 'shared-state' are also allocator names, with drf's order), else 'offers' (left out of the
   * manifest when not given)
   */
  architecture: z.enum(ARCHITECTURES).optional(),
  /** the YARN model's settings (with architecture: yarn; docs/yarn.md); default Hadoop's */
  yarn: YarnSettingsSchema.optional(),
  master: z
    .strictObject({
      /** --allocation_interval, seconds; default 1 */
      allocationInterval: interval.default(1),
      /** --offer_timeout, seconds; default none (offers never time out) */
      offerTimeout: interval.optional(),
      /** --min_allocatable_resources: alternatives (OR) of amounts (AND); default [{cpus: 0.01}, {mem: 32}] */
      minAllocatable: z.array(ResourceAmountsSchema).default([{ cpus: 0.01 }, { mem: 32 }]),
      /**
       * --filter_gpu_resources: agents with gpus go only to frameworks with the GPU_RESOURCES
       * capability (offers, and placement under monolithic and shared-state); default true
       * (left out of the manifest when not given)
       */
      filterGpuResources: z.boolean().optional(),
      /**
       * how much of an agent one offer carries: 'agent' (all it has free, Mesos), 'cluster' (whole
       * agents ranked once per run: the whole free cluster to one framework), 'fair-share'
       * (up to the receiving role's weighted fair share) or 'task' (the receiver's next task);
       * passed to the allocator as AllocatorOptions.granularity; default 'agent'
       */
      offerGranularity: z.enum(OFFER_GRANULARITIES).default('agent'),
      /**
       * the allocator cost model: a preset ('mesos-2019') or coefficients in seconds per unit of
       * work ({perRun, perAgent, perAgentFramework, perAgentQuotaRole, perOffer}, absent = 0); an
       * allocation run then takes simulated time and its offers go out when it ends. Default none
       * (runs take no time; left out of the manifest when not given)
       */
      allocationCost: AllocationCostSchema.optional(),
    })
    .prefault({}),
  /** role weights, e.g. {analytics: 2}; default 1 each */
  roles: z
    .record(
      role,
      z.strictObject({
        weight: z
          .number()
          .finite()
          .min(MIN_WEIGHT, { message: `at least ${MIN_WEIGHT}` })
          .max(MAX_WEIGHT, { message: `at most ${n(MAX_WEIGHT)}` })
          .default(1),
      }),
    )
    .default({}),
  cluster: z
    .strictObject({
      /** agent groups; default none (then traces must give agents) */
      agents: z.array(AgentGroupSchema).default([]),
      /** agents read from cluster-definition traces, after the groups' agents; default none (left out of the manifest when not given) */
      traces: z.array(ClusterTraceSchema).optional(),
    })
    .refine((c) => c.agents.length > 0 || (c.traces?.length ?? 0) > 0, { message: 'a cluster needs agents (groups) or traces', path: ['agents'] }),
  /** traces of jobs the run replays, besides the frameworks' own workloads (docs/traces.md); default none (left out of the manifest when not given) */
  traces: z.array(TraceWorkloadSchema).optional(),
  frameworks: z
    .array(FrameworkSchema)
    .default([])
    .superRefine((fws, ctx) => {
      const seen = new Map<string, number>();
      fws.forEach((f, i) => {
        const prev = seen.get(f.name);
        if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate framework name "${f.name}" (also frameworks[${prev}])` });
        else seen.set(f.name, i);
      });
    }),
  output: z
    .strictObject({
      /** timeseries.csv sample interval, seconds; default 1 */
      sampleInterval: interval.default(1),
    })
    .prefault({}),
  /**
   * a sweep over this scenario (offersim sweep; docs/sweeps.md): `matrix` (dotted field path ->
   * values, the cross product) or `points` (a list of path -> value maps), times `seeds` (a list,
   * or a count n for seeds 1..n); default none. `offersim run` ignores it.
   */
  sweep: z
    .strictObject({
      matrix: z.record(z.string().min(1), z.array(z.unknown()).min(1)).optional(),
      points: z
        .array(z.record(z.string().min(1), z.unknown()))
        .min(1)
        .optional(),
      seeds: z
        .union([
          z
            .number()
            .int()
            .positive()
            .max(MAX_SWEEP_POINTS, { message: `at most ${n(MAX_SWEEP_POINTS)} seeds (a sweep has at most ${n(MAX_SWEEP_POINTS)} points)` }),
          z
            .array(
              z
                .number()
                .int()
                .nonnegative()
                .max(2 ** 32 - 1),
            )
            .min(1),
        ])
        .optional(),
    })
    .superRefine((w, ctx) => {
      if (w.matrix !== undefined && w.points !== undefined)
        ctx.addIssue({ code: 'custom', path: ['points'], message: 'give matrix (a cross product) or points (a list), not both' });
      // Counted before any point is made: a matrix of 20 keys of 10 values has 10^20 points.
      let combos = w.points?.length ?? 1;
      for (const values of Object.values(w.matrix ?? {})) combos *= values.length;
      const seeds = typeof w.seeds === 'number' ? w.seeds : (w.seeds?.length ?? 1);
      if (combos * seeds > MAX_SWEEP_POINTS) {
        ctx.addIssue({
          code: 'custom',
          path: [w.points !== undefined ? 'points' : 'matrix'],
          message: `${n(combos)} combinations x ${n(seeds)} seeds make more than the ${n(MAX_SWEEP_POINTS)} points a sweep may have`,
        });
      }
      for (const k of [...Object.keys(w.matrix ?? {}), ...(w.points ?? []).flatMap((p) => Object.keys(p))]) {
        if (k === 'seed' || k === 'sweep' || k.startsWith('sweep.'))
          ctx.addIssue({ code: 'custom', path: [w.matrix !== undefined ? 'matrix' : 'points'], message: `"${k}" cannot be swept (seeds go in sweep.seeds)` });
      }
    })
    .optional(),
  /** failures to inject (see FailuresSchema); default none */
  failures: FailuresSchema.optional(),
});

/** A scenario after validation, defaults filled in. */
export type Scenario = z.infer<typeof ScenarioSchema>;

/**
 * The run's scheduling architecture: the scenario's `architecture`, else the one its allocator
 * name stands for ('monolithic', 'shared-state'), else 'offers'.
 */
export function runArchitecture(s: Pick<Scenario, 'allocator' | 'architecture'>): ArchitectureName {
  if (s.architecture !== undefined) return s.architecture;
  const name = allocatorSpec(s.allocator).name;
  return (name === undefined ? undefined : getAllocator(name)?.architecture) ?? 'offers';
}

/** The options the scenario passes to its allocator's factory. */
export function allocatorOptions(s: Scenario): AllocatorOptions {
  const spec = allocatorSpec(s.allocator);
  return { params: spec.params, excludedResources: spec.excludedResources, granularity: s.master.offerGranularity };
}
