/**
 * Random small valid scenarios for the metamorphic laws (scenarios/metamorphic.test.ts): a
 * fast-check arbitrary of raw scenario data (what a YAML file holds, before validation), small
 * enough that one run takes milliseconds. Test-only (excluded from the build).
 *
 * Amounts are kept where the scaling law must hold: cpus are whole cores and mem and disk whole
 * multiples of 32 MB, so every free remainder is either 0 or at least one core or 32 MB, on
 * either side of the default minAllocatable (cpus 0.01, mem 32) at any integer scale.
 */
import fc from 'fast-check';

/** Resource amounts as a scenario writes them: cores and MB. */
export interface DraftAmounts {
  cpus?: number;
  mem?: number;
  disk?: number;
}

/** An agent group. */
export interface DraftGroup {
  count: number;
  prefix: string;
  racks: number;
  rackPrefix: string;
  cpus: number;
  mem: number;
  disk?: number;
  addAt?: number;
  reserved?: Record<string, DraftAmounts>;
}

/** A task of an inline job. */
export interface DraftTask {
  cpus: number;
  mem: number;
  disk?: number;
  duration: number;
  count?: number;
  preferredAgents?: string[];
  preferredRacks?: string[];
}

/** A number drawn per job or task (a constant, uniform or exponential). */
export type DraftDistribution = number | { uniform: [number, number] } | { exponential: number };

/** A framework's workload: inline jobs or Poisson arrivals. */
export type DraftWorkload =
  | { kind: 'inline'; jobs: { submit: number; tasks: DraftTask[] }[] }
  | {
      kind: 'poisson';
      rate: number;
      jobs?: number;
      start?: number;
      until?: number;
      tasksPerJob: DraftDistribution;
      task: { cpus: number; mem: number; disk?: number; duration: DraftDistribution };
      locality?: { blocksPerTask: number; replication: number };
    };

/** A framework's behaviour object. */
export type DraftBehaviour =
  | {
      kind: 'batch';
      refuseSeconds?: number;
      maxTasksPerOffer?: number;
      nodeLocalWait?: number;
      rackLocalWait?: number;
      preferLocal?: boolean;
    }
  | { kind: 'gang'; hoard?: boolean; maxHoldSeconds?: number; refuseSeconds?: number }
  | { kind: 'service'; instances: number; task: DraftAmounts; maxPerAgent?: number; spreadRacks?: boolean };

/** A framework. */
export interface DraftFramework {
  name: string;
  role: string;
  /** an object, or a behaviour's name (as a resolved scenario may hold it) */
  behaviour: DraftBehaviour | 'batch' | 'gang';
  addAt?: number;
  workload?: DraftWorkload;
  failover?: { disconnectAt: number; reconnectAfter?: number };
  failoverTimeout?: number;
  capabilities?: string[];
  minAllocatable?: DraftAmounts[];
}

/** The allocator field as an object. */
export interface DraftAllocator {
  name: string;
  params?: Record<string, unknown>;
  excludedResources?: string[];
}

/** Failures to inject. */
export interface DraftFailures {
  agents?: { agent: string; at: number; downFor?: number }[];
  random?: { mtbf: number; mttr?: number; agents?: 'all' | number | string[]; until?: number };
}

/** A whole scenario as raw data (field names as in scenario files; docs/scenarios.md). */
export interface Draft {
  seed: number;
  duration?: number;
  horizon?: number;
  allocator: string | DraftAllocator;
  master: {
    allocationInterval?: number;
    offerTimeout?: number;
    minAllocatable?: DraftAmounts[];
    offerGranularity?: string;
  };
  roles: Record<string, { weight: number }>;
  cluster: { agents: DraftGroup[] };
  frameworks: DraftFramework[];
  output: { sampleInterval: number };
  failures?: DraftFailures;
}

/** Options of {@link draftArb}. */
export interface DraftOptions {
  /** offer granularities other than the default 'agent' to pick from (a quarter of the time); default all three */
  readonly granularities?: readonly ('task' | 'fair-share' | 'cluster')[];
}

/** The registered allocators the generator picks from (all but static partitioning, whose partitions need parameters per scenario). */
const ALLOCATORS = ['drf', 'random', 'asset', 'cpu-share', 'fifo', 'priority', 'monolithic', 'shared-state'] as const;

/** Role paths to pick from: nested ones, and a parent beside its child. */
const ROLE_PATHS = ['*', 'ads', 'eng', 'eng/ml', 'eng/web', 'ops'] as const;
const FRAMEWORK_NAMES = ['alpha', 'beta', 'delta', 'gamma', 'omega'] as const;
const AGENT_PREFIXES = ['a-', 'b-', 'node-'] as const;
const RACK_PREFIXES = ['r-', 'rack-'] as const;

/** `arb` with probability `present` (in quarters), else undefined; shrinks toward undefined. */
function maybe<T>(arb: fc.Arbitrary<T>, present: 0.25 | 0.5 | 0.75): fc.Arbitrary<T | undefined> {
  const w = present * 4;
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 - w }, { arbitrary: arb, weight: w });
}
/** A whole number of seconds or a half second, in [min, max]. */
const halves = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min: min * 2, max: max * 2 }).map((x) => x / 2);
/** A multiple of 32 MB in [32 min, 32 max]. */
const mb32 = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max }).map((x) => x * 32);

/** The kind of a framework's behaviour. */
export function behaviourKind(b: DraftFramework['behaviour']): DraftBehaviour['kind'] {
  return typeof b === 'string' ? b : b.kind;
}

/** The name of a draft's allocator. */
export function allocatorName(d: Draft): string {
  return typeof d.allocator === 'string' ? d.allocator : d.allocator.name;
}

/** The names of a group's agents, as scenarios/build.ts makes them (prefix + zero-padded index). */
export function agentNames(g: DraftGroup): string[] {
  const width = String(g.count - 1).length;
  return Array.from({ length: g.count }, (_, i) => `${g.prefix}${String(i).padStart(width, '0')}`);
}

/** The names of a group's racks, as scenarios/build.ts makes them. */
export function rackNames(g: DraftGroup): string[] {
  const perRack = Math.ceil(g.count / g.racks);
  return [...new Set(Array.from({ length: g.count }, (_, i) => `${g.rackPrefix}${Math.floor(i / perRack)}`))];
}

function groupArb(prefix: string, roles: readonly string[]): fc.Arbitrary<DraftGroup> {
  const reservable = roles.filter((r) => r !== '*');
  return fc
    .record({
      count: fc.integer({ min: 1, max: 3 }),
      racks: fc.integer({ min: 1, max: 2 }),
      rackPrefix: fc.constantFrom(...RACK_PREFIXES),
      cpus: fc.integer({ min: 2, max: 8 }),
      mem: mb32(32, 256),
      disk: maybe(mb32(8, 64), 0.5),
      addAt: maybe(fc.integer({ min: 0, max: 4 }), 0.25),
      reserveFor: reservable.length === 0 ? fc.constant(undefined) : maybe(fc.constantFrom(...reservable), 0.25),
    })
    .chain(({ reserveFor, ...g }) => {
      const base: DraftGroup = clean({ prefix, ...g });
      if (reserveFor === undefined) return fc.constant(base);
      return fc
        .record({ cpus: fc.integer({ min: 1, max: g.cpus - 1 }), mem: fc.integer({ min: 0, max: Math.floor(g.mem / 64) }).map((x) => x * 32) })
        .map((r) => ({ ...base, reserved: { [reserveFor]: r } }));
    });
}

/** Task amounts that fit on an agent of one of the groups (cores and MB). */
function taskAmounts(groups: readonly DraftGroup[]): fc.Arbitrary<{ cpus: number; mem: number }> {
  return fc.constantFrom(...groups).chain((g) =>
    fc.record({
      cpus: fc.integer({ min: 1, max: Math.min(4, g.cpus) }),
      mem: mb32(1, Math.min(64, g.mem / 32)),
    }),
  );
}

function behaviourArb(groups: readonly DraftGroup[]): fc.Arbitrary<DraftBehaviour> {
  return fc.oneof(
    fc
      .record({
        kind: fc.constant('batch' as const),
        refuseSeconds: fc.constantFrom(0, 1, 5),
        maxTasksPerOffer: fc.constantFrom(0, 0, 1, 2),
        delay: fc.constantFrom('none', 'none', 'waits', 'prefer'),
      })
      .map(({ delay, ...b }): DraftBehaviour => ({
        ...b,
        ...(delay === 'waits' ? { nodeLocalWait: 2, rackLocalWait: 1 } : delay === 'prefer' ? { preferLocal: true } : {}),
      })),
    fc.record({ kind: fc.constant('gang' as const), hoard: fc.boolean(), maxHoldSeconds: fc.constantFrom(0, 3), refuseSeconds: fc.constantFrom(1, 5) }),
    fc.record({
      kind: fc.constant('service' as const),
      instances: fc.integer({ min: 1, max: 3 }),
      task: taskAmounts(groups),
      maxPerAgent: fc.constantFrom(1, 2),
      spreadRacks: fc.boolean(),
    }),
  );
}

function inlineArb(groups: readonly DraftGroup[], agents: readonly string[], racks: readonly string[]): fc.Arbitrary<DraftWorkload> {
  const task: fc.Arbitrary<DraftTask> = fc
    .record({
      amounts: taskAmounts(groups),
      duration: halves(0.5, 15),
      count: fc.integer({ min: 1, max: 3 }),
      preferredAgents: maybe(fc.subarray([...agents], { minLength: 1, maxLength: Math.min(2, agents.length) }), 0.25),
      preferredRacks: maybe(fc.subarray([...racks], { minLength: 1, maxLength: Math.min(2, racks.length) }), 0.25),
    })
    .map(({ amounts, ...t }) => clean({ ...amounts, ...t }));
  return fc
    .array(fc.record({ submit: halves(0, 12), tasks: fc.array(task, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 4 })
    .map((jobs) => ({ kind: 'inline' as const, jobs }));
}

function poissonArb(groups: readonly DraftGroup[]): fc.Arbitrary<DraftWorkload> {
  const dist: fc.Arbitrary<DraftDistribution> = fc.oneof(
    halves(0.5, 10),
    fc.integer({ min: 1, max: 8 }).map((m) => ({ exponential: m })),
    fc.integer({ min: 1, max: 5 }).map((a) => ({ uniform: [a, a + 4] as [number, number] })),
  );
  return fc
    .record({
      rate: fc.constantFrom(0.25, 0.5, 1),
      jobs: fc.integer({ min: 1, max: 6 }),
      until: maybe(fc.integer({ min: 5, max: 20 }), 0.5),
      tasksPerJob: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant({ uniform: [1, 4] as [number, number] })),
      amounts: taskAmounts(groups),
      duration: dist,
      locality: maybe(fc.record({ blocksPerTask: fc.constantFrom(1, 2), replication: fc.constantFrom(1, 2, 3) }), 0.25),
    })
    .map(({ amounts, duration, ...w }) => clean({ kind: 'poisson' as const, ...w, task: { ...amounts, duration } }));
}

function frameworkArb(
  name: string,
  roles: readonly string[],
  groups: readonly DraftGroup[],
  agents: readonly string[],
  racks: readonly string[],
): fc.Arbitrary<DraftFramework> {
  return fc
    .record({
      role: fc.constantFrom(...roles),
      behaviour: behaviourArb(groups),
      addAt: maybe(fc.integer({ min: 0, max: 4 }), 0.5),
      inline: inlineArb(groups, agents, racks),
      poisson: maybe(poissonArb(groups), 0.5),
      failover: maybe(
        fc.record({
          disconnectAt: fc.integer({ min: 2, max: 12 }),
          reconnectAfter: maybe(fc.integer({ min: 0, max: 6 }), 0.75),
          timeout: fc.integer({ min: 0, max: 8 }),
        }),
        0.25,
      ),
    })
    .map(({ inline, poisson, failover, ...f }) => {
      const at = f.addAt ?? 0;
      return clean({
        name,
        ...f,
        workload: f.behaviour.kind === 'service' ? undefined : fitWorkload(poisson ?? inline, at, f.behaviour.kind === 'gang', groups),
        ...(failover === undefined
          ? {}
          : {
              failover: clean({ disconnectAt: at + failover.disconnectAt, reconnectAfter: failover.reconnectAfter }),
              failoverTimeout: failover.timeout,
            }),
      });
    });
}

/**
 * A workload the loader accepts and the run can take: no job before the framework subscribes at
 * `addAt` (the simulation treats that as a broken invariant), and no gang job larger than the
 * cluster (the loader rejects it): such a job loses task entries from the end.
 */
function fitWorkload(w: DraftWorkload, addAt: number, gang: boolean, groups: readonly DraftGroup[]): DraftWorkload {
  if (w.kind === 'poisson') return addAt > 0 ? { ...w, start: addAt } : w;
  const have = { cpus: 0, mem: 0 };
  for (const g of groups) {
    have.cpus += g.count * g.cpus;
    have.mem += g.count * g.mem;
  }
  const jobs = w.jobs.map((j) => {
    const tasks = j.tasks.slice();
    const need = (r: 'cpus' | 'mem'): number => tasks.reduce((sum, t) => sum + t[r] * (t.count ?? 1), 0);
    while (gang && (need('cpus') > have.cpus || need('mem') > have.mem)) {
      if (tasks.length > 1) tasks.pop();
      else tasks[0] = { ...tasks[0]!, count: 1 };
    }
    return { submit: j.submit + addAt, tasks };
  });
  return { kind: 'inline', jobs };
}

/** Failures of the groups' agents; a scheduled one falls after its agent registers (else the run stops on a broken invariant). */
function failuresArb(groups: readonly DraftGroup[]): fc.Arbitrary<DraftFailures | undefined> {
  const agents = groups.flatMap(agentNames);
  const registered = new Map(groups.flatMap((g) => agentNames(g).map((n) => [n, g.addAt ?? 0] as const)));
  const scheduled = fc.array(
    fc
      .record({
        agent: fc.constantFrom(...agents),
        at: fc.integer({ min: 1, max: 20 }),
        downFor: maybe(fc.integer({ min: 5, max: 90 }), 0.75),
      })
      .map((f) => clean({ ...f, at: f.at + registered.get(f.agent)! })),
    { maxLength: 3 },
  );
  const random = maybe(
    fc
      .record({
        mtbf: fc.integer({ min: 20, max: 120 }),
        mttr: maybe(fc.integer({ min: 5, max: 60 }), 0.75),
        agents: fc.oneof(fc.constant('all' as const), fc.constantFrom(0.5, 1), fc.subarray([...agents], { minLength: 1 })),
        until: maybe(fc.integer({ min: 10, max: 60 }), 0.5),
      })
      .map(clean),
    0.25,
  );
  return maybe(fc.record({ agents: scheduled, random }).map(clean), 0.5);
}

function allocatorArb(names: readonly string[], roles: readonly string[], allBatch: boolean): fc.Arbitrary<string | DraftAllocator> {
  const usable = names.filter((n) => allBatch || (n !== 'monolithic' && n !== 'shared-state'));
  const topRoles = [...new Set(roles.filter((r) => r !== '*').map((r) => r.split('/')[0]!))];
  return fc.constantFrom(...(usable.length > 0 ? usable : ['drf'])).chain((name): fc.Arbitrary<string | DraftAllocator> => {
    if (name === 'priority') {
      return fc
        .record({ levels: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: roles.length, maxLength: roles.length }) })
        .map(({ levels }) => ({ name, params: { priorities: Object.fromEntries(roles.filter((r) => r !== '*').map((r, i) => [r, levels[i]!])) } }));
    }
    if (name === 'drf' || name === 'random') {
      return fc
        .record({
          excluded: maybe(
            fc.constantFrom('disk', 'gpus+disk').map((x) => x.split('+')),
            0.25,
          ),
          quota:
            topRoles.length === 0
              ? fc.constant(undefined)
              : maybe(
                  fc.record({
                    role: fc.constantFrom(...topRoles),
                    guarantee: fc.integer({ min: 0, max: 3 }),
                    extra: maybe(fc.integer({ min: 0, max: 4 }), 0.5),
                  }),
                  0.25,
                ),
        })
        .map(({ excluded, quota }) => {
          if (excluded === undefined && quota === undefined) return name;
          const q =
            quota === undefined
              ? undefined
              : {
                  [quota.role]: clean({
                    guarantee: { cpus: quota.guarantee },
                    limit: quota.extra === undefined ? undefined : { cpus: quota.guarantee + quota.extra },
                  }),
                };
          return clean({ name, params: q === undefined ? undefined : { quota: q }, excludedResources: excluded });
        });
    }
    return fc.constant(name);
  });
}

/**
 * Random small valid scenarios: one to three roles (nested ones among them), one or two agent
 * groups of one to three agents (sometimes a static reservation), one to three frameworks with
 * inline or Poisson workloads, and optional failures, failovers, quota, offer timeout and
 * granularity. Every run is bounded: a `duration`, or else a short `horizon` (so a task that
 * can never run cannot make the run long).
 */
export function draftArb(options: DraftOptions = {}): fc.Arbitrary<Draft> {
  const granularities = options.granularities ?? ['task', 'fair-share', 'cluster'];
  const roles = fc.uniqueArray(fc.constantFrom(...ROLE_PATHS), { minLength: 1, maxLength: 3 });
  return roles
    .chain((roleList) =>
      fc.record({
        roles: fc.constant(roleList),
        groups: fc
          .uniqueArray(fc.constantFrom(...AGENT_PREFIXES), { minLength: 1, maxLength: 2 })
          .chain((prefixes) => fc.tuple(...prefixes.map((p) => groupArb(p, roleList)))),
        names: fc.uniqueArray(fc.constantFrom(...FRAMEWORK_NAMES), { minLength: 1, maxLength: 3 }),
      }),
    )
    .chain(({ roles: roleList, groups, names }) => {
      const agents = groups.flatMap(agentNames);
      const racks = [...new Set(groups.flatMap(rackNames))];
      return fc.tuple(...names.map((n) => frameworkArb(n, roleList, groups, agents, racks))).chain((frameworks) => {
        const service = frameworks.some((f) => behaviourKind(f.behaviour) === 'service');
        return fc
          .record({
            seed: fc.integer({ min: 0, max: 10_000 }),
            duration: service ? fc.integer({ min: 20, max: 120 }) : maybe(fc.integer({ min: 20, max: 120 }), 0.5),
            allocator: allocatorArb(
              ALLOCATORS,
              roleList,
              frameworks.every((f) => behaviourKind(f.behaviour) === 'batch'),
            ),
            master: fc
              .record({
                allocationInterval: fc.constantFrom(1, 1, 0.5, 2),
                offerTimeout: maybe(fc.constantFrom(2, 5), 0.25),
                minAllocatable: maybe(
                  fc.constant(0).map((): DraftAmounts[] => [{ cpus: 1 }, { mem: 64 }]),
                  0.25,
                ),
                offerGranularity: granularities.length === 0 ? fc.constant(undefined) : maybe(fc.constantFrom(...granularities), 0.25),
              })
              .map(clean),
            weights: fc.array(fc.constantFrom(1, 1, 2, 3), { minLength: roleList.length, maxLength: roleList.length }),
            failures: failuresArb(groups),
            sampleInterval: fc.constantFrom(0.5, 1, 2),
          })
          .map((d): Draft =>
            clean({
              seed: d.seed,
              duration: d.duration,
              horizon: d.duration === undefined ? 150 : undefined,
              allocator: d.allocator,
              master: d.master,
              roles: Object.fromEntries(roleList.filter((r) => r !== '*').map((r, i) => [r, { weight: d.weights[i]! }])),
              cluster: { agents: groups },
              frameworks,
              output: { sampleInterval: d.sampleInterval },
              failures: d.failures,
            }),
          );
      });
    });
}

/** `T` with the fields that may be undefined made optional instead. */
export type Cleaned<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** `o` without its undefined fields (a scenario file leaves optional fields out; exactOptionalPropertyTypes). */
export function clean<T extends object>(o: T): Cleaned<T> {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o as Cleaned<T>;
}
