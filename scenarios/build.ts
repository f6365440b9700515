/**
 * Turns a validated scenario into the simulation's resolved inputs: seconds to microseconds,
 * agent groups to agents, behaviours and allocators from their registries, workloads to job streams.
 */
import { getAllocator } from '../allocators/registry.js';
import type { AllocatorEntry } from '../allocators/types.js';
import { RandomStreams } from '../sim/kernel/rng.js';
import { seconds, type SimTime } from '../sim/kernel/time.js';
import { ALLOCATION_COST_PRESETS, allocationCostFromSeconds, type AllocationCost } from '../sim/model/allocation-cost.js';
import type { JobSpec, TaskSpec } from '../sim/model/job.js';
import type { LogSink } from '../sim/model/log.js';
import type { FrameworkOptions } from '../sim/model/master.js';
import { resources, type ResourceAmounts } from '../sim/model/resources.js';
import type { RandomFailureSpec } from '../sim/model/random-failures.js';
import type { AgentSpec, FrameworkSpec, SimulationInput } from '../sim/model/simulation.js';
import { withRoles } from '../workloads/job-roles.js';
import { withPlacedBlocks } from '../workloads/placement.js';
import { type Distribution, mergeBySubmit, poissonJobs } from '../workloads/poisson.js';
import { behaviourKind, createBehaviour, ownTasksOf } from './behaviours/index.js';
import { allocatorSpec, runArchitecture, type Scenario } from './schema.js';
import { buildYarn, type YarnScenario } from './yarn-settings.js';
import { traceAgents, traceFrameworks, traceJobStream, type TraceCounts } from './trace-source.js';
import {
  EXPONENTIAL_TAIL,
  MAX_AGENTS,
  MAX_ALLOCATION_RUNS,
  MAX_BLOCK_REPLICAS,
  MAX_FRAMEWORKS,
  MAX_RANDOM_FAILURES,
  MAX_TASKS,
  MAX_TIMESERIES_CELLS,
} from './limits.js';

type DistributionInput = number | { uniform: [number, number] } | { exponential: number };

function distribution(d: DistributionInput): Distribution {
  if (typeof d === 'number') return { kind: 'constant', value: d };
  if ('uniform' in d) return { kind: 'uniform', min: d.uniform[0], max: d.uniform[1] };
  return { kind: 'exponential', mean: d.exponential };
}

/** Agents of each scenario, built once (cluster traces are read from their files). */
const agentCache = new WeakMap<Scenario, AgentSpec[]>();

/**
 * Agents of the cluster definition: the groups' agents in group order (names are prefix +
 * zero-padded index), then the cluster traces' agents in file order.
 */
export function buildAgents(s: Scenario): AgentSpec[] {
  const cached = agentCache.get(s);
  if (cached !== undefined) return cached;
  const agents: AgentSpec[] = [];
  for (const g of s.cluster.agents) {
    const width = String(g.count - 1).length;
    const perRack = Math.ceil(g.count / g.racks);
    const res = resources({ cpus: g.cpus, mem: g.mem, disk: g.disk, gpus: g.gpus });
    const reserved = Object.entries(g.reserved ?? {})
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([role, amounts]) => ({ role, res: resources(amounts) }));
    for (let i = 0; i < g.count; i++) {
      agents.push({
        name: `${g.prefix}${String(i).padStart(width, '0')}`,
        rack: `${g.rackPrefix}${Math.floor(i / perRack)}`,
        res,
        addAt: seconds(g.addAt),
        ...(reserved.length > 0 ? { reserved } : {}),
      });
    }
  }
  (s.cluster.traces ?? []).forEach((_, i) => agents.push(...traceAgents(s, i)));
  agentCache.set(s, agents);
  return agents;
}

/** What the YARN settings are built from: the scenario's frameworks and those its traces create (each a queue's user, its role the queue). */
export function yarnScenario(s: Scenario): YarnScenario {
  return { yarn: s.yarn, roles: s.roles, frameworks: [...s.frameworks, ...buildTraceFrameworks(s)], declared: s.frameworks.length };
}

/** A framework a trace's frameworkBy creates (not declared in the scenario). */
export interface TraceFramework {
  readonly name: string;
  readonly role: string;
  readonly behaviour: NonNullable<Scenario['traces']>[number]['behaviour'];
  /** the trace entry's capabilities (see {@link frameworkOptions}) */
  readonly capabilities?: readonly string[] | undefined;
  /** the trace entry's minAllocatable */
  readonly minAllocatable?: readonly ResourceAmounts[] | undefined;
}

/**
 * What a framework declares besides its name, role and behaviour (a `frameworks[]` entry, or a
 * trace entry for the frameworks it creates): undefined when it declares nothing, so that such runs
 * pass the master no options.
 */
export function frameworkOptions(f: {
  readonly capabilities?: readonly string[] | undefined;
  readonly minAllocatable?: readonly ResourceAmounts[] | undefined;
}): FrameworkOptions | undefined {
  const gpu = f.capabilities?.includes('GPU_RESOURCES') === true;
  const partitionAware = f.capabilities?.includes('PARTITION_AWARE') === true;
  if (!gpu && !partitionAware && f.minAllocatable === undefined) return undefined;
  return {
    ...(gpu ? { gpuResources: true } : {}),
    ...(partitionAware ? { partitionAware: true } : {}),
    ...(f.minAllocatable === undefined ? {} : { minAllocatable: f.minAllocatable.map((m) => resources(m)) }),
  };
}

const traceFrameworkCache = new WeakMap<Scenario, TraceFramework[]>();

/**
 * The frameworks the traces' frameworkBy mappings create, in trace order then order of first
 * appearance; names declared in `frameworks` (or created by an earlier trace) are not repeated.
 * Reads each such trace once (within its window).
 */
export function buildTraceFrameworks(s: Scenario): TraceFramework[] {
  const cached = traceFrameworkCache.get(s);
  if (cached !== undefined) return cached;
  const names = new Set(s.frameworks.map((f) => f.name));
  const out: TraceFramework[] = [];
  (s.traces ?? []).forEach((t, i) => {
    for (const f of traceFrameworks(s, i)) {
      if (names.has(f.name)) continue;
      names.add(f.name);
      out.push({ ...f, behaviour: t.behaviour, capabilities: t.capabilities, minAllocatable: t.minAllocatable });
    }
  });
  traceFrameworkCache.set(s, out);
  return out;
}

/**
 * Reads each job trace as a run starts it: up to its first job the run would submit. A trace that
 * gives the run no job (no usable row, every job before the window, fitting no agent, routed to
 * no framework, ...) or a strict trace's bad row before that job throws the run's own
 * InputError, so that validate refuses what the run would. The run reads the same again (only
 * the frameworks created from a trace are kept, for the build). Random draws (`sample`) use the
 * scenario's seed.
 */
export function checkTraceStarts(s: Scenario): void {
  const traces = s.traces ?? [];
  if (traces.length === 0) return;
  const agents = buildAgents(s);
  const declared = new Set(s.frameworks.map((f) => f.name));
  // The frameworks a trace creates (frameworkBy) are found by reading it whole; a job of the
  // window routed by frameworkBy is one of them by construction, so only a job naming its own
  // framework (a canonical trace without framework or frameworkBy) needs the exact list.
  const byJob = traces.some((t) => t.framework === undefined && t.frameworkBy === undefined);
  const creating = traces.filter((t) => t.frameworkBy !== undefined);
  const frameworks: Pick<ReadonlySet<string>, 'has'> = byJob && creating.length > 0
    ? new Set([...declared, ...buildTraceFrameworks(s).map((f) => f.name)])
    : { has: (name) => declared.has(name) || creating.some((t) => name.startsWith(t.frameworkPrefix)) };
  const streams = new RandomStreams(s.seed);
  traces.forEach((_, i) => {
    const jobs = traceJobStream(s, i, { agents, frameworks, streams }, () => undefined)[Symbol.iterator]();
    try {
      jobs.next();
    } finally {
      jobs.return?.();
    }
  });
}

/**
 * The merged job stream of every framework's workload. Each Poisson stream draws from its own
 * random stream `workload/<framework>`, so adding a framework does not change the others' jobs.
 * Equal submit times keep framework order.
 */
export function buildJobs(s: Scenario, seed: number, traceCounts?: (get: () => TraceCounts) => void): Iterable<JobSpec> {
  const streams = new RandomStreams(seed);
  const sources: Iterable<JobSpec>[] = [];
  const agents = buildAgents(s);
  const agentNames = new Set(agents.map((a) => a.name));
  const rackNames = new Set(agents.map((a) => a.rack));
  for (const f of s.frameworks) {
    const own = ownJob(s, f);
    if (own !== undefined) sources.push([own]);
    const w = f.workload;
    if (w === undefined) continue;
    if (w.kind === 'poisson') {
      const taskRes = resources(w.task);
      const plain: Iterable<JobSpec> = {
        [Symbol.iterator]: () =>
          poissonJobs(
            {
              framework: f.name,
              rate: w.rate,
              // The schema fills in start (default: the framework's addAt).
              start: seconds(w.start ?? f.addAt),
              until: w.until === undefined ? undefined : seconds(w.until),
              count: w.jobs,
              tasksPerJob: distribution(w.tasksPerJob),
              taskRes,
              duration: distribution(w.task.duration),
            },
            streams.stream(`workload/${f.name}`),
          ),
      };
      // Job roles draw from their own stream too, so the jobs are the same with or without them.
      const weights = w.roles;
      const poisson: Iterable<JobSpec> =
        weights === undefined ? plain : { [Symbol.iterator]: () => withRoles(plain, weights, streams.stream(`workload-roles/${f.name}`)) };
      const loc = w.locality;
      // Placement draws from its own stream, so the workload's draws are the same with or without it.
      sources.push(
        loc === undefined
          ? poisson
          : {
              [Symbol.iterator]: () => withPlacedBlocks(poisson, agents, loc, streams.stream(`placement/${f.name}`)),
            },
      );
    } else {
      const jobs: JobSpec[] = w.jobs.map((j, k) => {
        const tasks: TaskSpec[] = [];
        for (const t of j.tasks) {
          const res = resources(t);
          const duration = Math.max(1, seconds(t.duration)) as SimTime;
          const prefs = {
            ...(t.preferredAgents !== undefined && t.preferredAgents.length > 0 ? { preferredAgents: known(t.preferredAgents, agentNames, 'agent') } : {}),
            ...(t.preferredRacks !== undefined && t.preferredRacks.length > 0 ? { preferredRacks: known(t.preferredRacks, rackNames, 'rack') } : {}),
          };
          for (let c = 0; c < t.count; c++) tasks.push({ res, duration, ...prefs });
        }
        return { id: j.id ?? `${f.name}/${k}`, submit: seconds(j.submit), framework: f.name, ...(j.role === undefined ? {} : { role: j.role }), tasks };
      });
      // Stable sort by submit time: listed order breaks ties.
      jobs.sort((a, b) => a.submit - b.submit);
      sources.push(jobs);
    }
  }
  // Job traces after the frameworks' own workloads (ties in submit time go to those first).
  if ((s.traces ?? []).length > 0) {
    const frameworks = new Set([...s.frameworks.map((f) => f.name), ...buildTraceFrameworks(s).map((f) => f.name)]);
    (s.traces ?? []).forEach((_, i) => sources.push(traceJobStream(s, i, { agents, frameworks, streams }, traceCounts ?? (() => undefined))));
  }
  return { [Symbol.iterator]: () => mergeBySubmit(sources) };
}

type FrameworkEntry = Scenario['frameworks'][number];

/**
 * The tasks a framework's behaviour brings itself (a service's instances), as one job
 * `<framework>/<behaviour>` submitted when it subscribes. They never end: each lasts the run's
 * duration (required for such a scenario), so its end falls at or after the end of the run, whose
 * events are not run.
 */
function ownJob(s: Scenario, f: FrameworkEntry): JobSpec | undefined {
  const own = ownTasksOf(f.behaviour);
  if (own === undefined) return undefined;
  const res = resources(own.task);
  const duration = Math.max(1, seconds(s.duration ?? s.horizon)) as SimTime;
  const tasks: TaskSpec[] = Array.from({ length: own.count }, () => ({ res, duration }));
  return { id: `${f.name}/${behaviourKind(f.behaviour)}`, submit: seconds(f.addAt), framework: f.name, tasks };
}

/** `names`, after checking each is in `known` (a preferred agent or rack must exist in the cluster). */
function known(names: readonly string[], all: ReadonlySet<string>, what: string): readonly string[] {
  for (const n of names) if (!all.has(n)) throw new Error(`preferred ${what} "${n}" is not in the cluster`);
  return names;
}

type RandomFailuresEntry = NonNullable<NonNullable<Scenario['failures']>['random']>;

/**
 * The `failures.random` block in microseconds; `agents` 'all' leaves the list out, a number is a
 * fraction. Without `until`, failures end with the run (`end`, us): one drawn later would never
 * run, and not scheduling it keeps every event time within the event list's range however long
 * `mtbf` is (scenarios/limits.ts). The run is the same either way.
 */
function randomFailures(r: RandomFailuresEntry, end: SimTime): RandomFailureSpec {
  return {
    mtbf: seconds(r.mtbf),
    mttr: r.mttr === undefined ? undefined : seconds(r.mttr),
    agents: Array.isArray(r.agents) ? r.agents : undefined,
    fraction: typeof r.agents === 'number' ? r.agents : undefined,
    from: seconds(r.from),
    until: r.until === undefined ? end : seconds(r.until),
    ...(r.kind === undefined ? {} : { kind: r.kind }),
  };
}

/** The master's allocator cost model from the scenario's `master.allocationCost` (a preset, or coefficients in seconds); undefined when off. */
function allocationCost(c: Scenario['master']['allocationCost']): AllocationCost | undefined {
  if (c === undefined) return undefined;
  return typeof c === 'string' ? ALLOCATION_COST_PRESETS[c] : allocationCostFromSeconds(c);
}

/**
 * The resolved simulation input for a scenario (seed override applied by the caller).
 * @param allocator the allocator's factory; default the registered policy the scenario names
 *   (a scenario naming a user module must pass the entry that loader.ts `openScenario` imported)
 */
export function buildSimulation(
  s: Scenario,
  seed: number,
  sinks: readonly LogSink[],
  allocator?: AllocatorEntry,
  traceCounts?: (get: () => TraceCounts) => void,
): SimulationInput {
  const spec = allocatorSpec(s.allocator);
  const entry = allocator ?? (spec.name === undefined ? undefined : getAllocator(spec.name));
  if (entry === undefined) {
    throw new Error(
      spec.module !== undefined
        ? `the scenario's allocator is the module ${spec.module}: load the scenario with openScenario() and pass its allocator`
        : `unknown allocator ${String(spec.name)}`,
    );
  }
  const frameworks: FrameworkSpec[] = s.frameworks.map((f) => ({
    name: f.name,
    role: f.role,
    ...(f.roles === undefined ? {} : { roles: f.roles }),
    behaviour: createBehaviour(f.behaviour),
    addAt: seconds(f.addAt),
    options: frameworkOptions(f),
    ...(f.failover === undefined
      ? {}
      : {
          failover: {
            disconnectAt: seconds(f.failover.disconnectAt),
            reconnectAfter: f.failover.reconnectAfter === undefined ? undefined : seconds(f.failover.reconnectAfter),
          },
          failoverTimeout: seconds(f.failoverTimeout ?? 0),
        }),
  }));
  for (const f of buildTraceFrameworks(s)) {
    frameworks.push({ name: f.name, role: f.role, behaviour: createBehaviour(f.behaviour), addAt: 0 as SimTime, options: frameworkOptions(f) });
  }
  const weights = new Map<string, number>();
  for (const [role, r] of Object.entries(s.roles)) weights.set(role, r.weight);
  return {
    seed,
    master: {
      allocationInterval: seconds(s.master.allocationInterval),
      offerTimeout: s.master.offerTimeout === undefined ? undefined : seconds(s.master.offerTimeout),
      minAllocatable: s.master.minAllocatable.map((m) => resources(m)),
      filterGpuResources: s.master.filterGpuResources,
      allocationCost: allocationCost(s.master.allocationCost),
    },
    allocator: entry.create({ params: spec.params, excludedResources: spec.excludedResources, granularity: s.master.offerGranularity }),
    mode: runArchitecture(s),
    yarn: runArchitecture(s) === 'yarn' ? buildYarn(yarnScenario(s)) : undefined,
    agents: buildAgents(s),
    frameworks,
    weights,
    jobs: buildJobs(s, seed, traceCounts),
    duration: s.duration === undefined ? undefined : seconds(s.duration),
    horizon: seconds(s.horizon),
    sinks,
    failures:
      s.failures === undefined
        ? undefined
        : {
            agents: s.failures.agents.map((f) => ({
              agent: f.agent,
              at: seconds(f.at),
              downFor: f.downFor === undefined ? undefined : seconds(f.downFor),
              ...(f.kind === undefined ? {} : { kind: f.kind }),
            })),
            ...(s.failures.random === undefined ? {} : { random: randomFailures(s.failures.random, seconds(s.duration ?? s.horizon)) }),
          },
  };
}

// ---- size: what a run of a scenario needs, estimated before anything is built

/** A limit the scenario's run would pass, at the field to change. */
export interface SizeProblem {
  readonly path: PropertyKey[];
  readonly message: string;
}

/** A count for a message: grouped digits, or an exponent when huge (a rate of 1e308). */
const count = (x: number): string => (x < 1e15 ? Math.round(x).toLocaleString('en-US') : x.toExponential(2));

/** The mean of a tasks-per-job distribution, as drawn (rounded, at least 1). */
function meanTasks(d: DistributionInput): number {
  if (typeof d === 'number') return Math.max(1, Math.round(d));
  if ('uniform' in d) return Math.max(1, (d.uniform[0] + d.uniform[1]) / 2);
  return Math.max(1, d.exponential);
}

/** The largest value a distribution can draw (an exponential: EXPONENTIAL_TAIL means). */
export function largestDraw(d: DistributionInput): number {
  if (typeof d === 'number') return d;
  if ('uniform' in d) return d.uniform[1];
  return d.exponential * EXPONENTIAL_TAIL;
}

/**
 * Expected tasks of a framework's own workload: Poisson arrivals over the part of [start, until)
 * the run can reach (at most `jobs`) times the mean tasks per job; an inline list's tasks; the
 * tasks its behaviour brings (a service's instances).
 */
function expectedTasks(f: FrameworkEntry, end: number): number {
  const own = ownTasksOf(f.behaviour);
  if (own !== undefined) return own.count;
  const w = f.workload;
  if (w === undefined) return 0;
  if (w.kind === 'inline') {
    let n = 0;
    for (const j of w.jobs) for (const t of j.tasks) n += t.count;
    return n;
  }
  const window = Math.max(0, Math.min(w.until ?? Infinity, end) - (w.start ?? f.addAt));
  const jobs = Math.min(w.jobs ?? Infinity, w.rate * window);
  return jobs * meanTasks(w.tasksPerJob);
}

/**
 * The limits (scenarios/limits.ts) a run of `s` would pass, each at the field to change:
 * agents, frameworks, tasks (expected, and of any one job), periodic allocation runs,
 * time-series cells, random failures and block replicas. Cheap: nothing is built or read, so a
 * scenario of 35 million agents is refused at once. The length of the run is its `duration`, or
 * else its `horizon`, the longest a run to completion may go.
 */
export function sizeProblems(s: Scenario): SizeProblem[] {
  const out: SizeProblem[] = [];
  const end = s.duration ?? s.horizon;
  let agents = 0;
  for (const g of s.cluster.agents) agents += g.count;
  if (agents > MAX_AGENTS) {
    out.push({ path: ['cluster', 'agents'], message: `the groups hold ${count(agents)} agents, more than the ${count(MAX_AGENTS)} a cluster may have` });
  }
  const fws = s.frameworks.length;
  if (fws > MAX_FRAMEWORKS)
    out.push({ path: ['frameworks'], message: `${count(fws)} frameworks, more than the ${count(MAX_FRAMEWORKS)} a scenario may declare` });

  let tasks = 0;
  let biggest = { tasks: -1, index: 0 };
  s.frameworks.forEach((f, i) => {
    const t = expectedTasks(f, end);
    tasks += t;
    if (t > biggest.tasks) biggest = { tasks: t, index: i };
    const w = f.workload;
    if (w?.kind === 'poisson' && largestDraw(w.tasksPerJob) > MAX_TASKS) {
      out.push({
        path: ['frameworks', i, 'workload', 'tasksPerJob'],
        message: `a job could draw ${count(largestDraw(w.tasksPerJob))} tasks, more than the ${count(MAX_TASKS)} a run may hold`,
      });
    }
    if (w?.kind === 'poisson' && w.locality !== undefined) {
      const replicas = t * w.locality.blocksPerTask * Math.min(w.locality.replication, Math.max(1, agents));
      if (replicas > MAX_BLOCK_REPLICAS) {
        out.push({
          path: ['frameworks', i, 'workload', 'locality'],
          message: `about ${count(replicas)} block replicas (tasks x blocksPerTask x replication), more than the ${count(MAX_BLOCK_REPLICAS)} a run may hold`,
        });
      }
    }
  });
  if (tasks > MAX_TASKS) {
    const f = s.frameworks[biggest.index]!;
    const where = ownTasksOf(f.behaviour) !== undefined ? 'behaviour' : 'workload';
    out.push({
      path: ['frameworks', biggest.index, where],
      message:
        `the workloads would submit about ${count(tasks)} tasks (this one about ${count(biggest.tasks)}) in a run of up to ${count(end)} s, ` +
        `more than the ${count(MAX_TASKS)} a run may hold: lower rate, jobs, until or the run's duration`,
    });
  }

  const runs = end / s.master.allocationInterval;
  if (runs > MAX_ALLOCATION_RUNS) {
    out.push({
      path: ['master', 'allocationInterval'],
      message: `a run of up to ${count(end)} s would make ${count(runs)} periodic allocation runs, more than ${count(MAX_ALLOCATION_RUNS)}: raise allocationInterval or lower duration (or horizon)`,
    });
  }
  // Only for a run of a fixed duration: the rows stop with the run, and a run to completion
  // usually ends long before its horizon (the bundled mesos-locality.yaml, 16 frameworks and the
  // 30-day default horizon, ends within minutes).
  const cells = s.duration === undefined ? 0 : Math.ceil(s.duration / s.output.sampleInterval) * (8 + 2 * fws);
  if (cells > MAX_TIMESERIES_CELLS) {
    out.push({
      path: ['output', 'sampleInterval'],
      message:
        `a run of ${count(end)} s would write ${count(cells)} time-series cells (a row per interval, ${8 + 2 * fws} columns), more than ${count(MAX_TIMESERIES_CELLS)}: ` +
        'raise sampleInterval or lower duration',
    });
  }
  const r = s.failures?.random;
  if (r !== undefined) {
    const subject = r.agents === 'all' ? agents : typeof r.agents === 'number' ? Math.round(r.agents * agents) : r.agents.length;
    const window = Math.max(0, Math.min(r.until ?? Infinity, end) - r.from);
    const failures = r.mttr === undefined ? Math.min(subject, (subject * window) / r.mtbf) : (subject * window) / (r.mtbf + r.mttr);
    if (failures > MAX_RANDOM_FAILURES) {
      out.push({
        path: ['failures', 'random', 'mtbf'],
        message: `about ${count(failures)} random failures in a run of up to ${count(end)} s, more than ${count(MAX_RANDOM_FAILURES)}: raise mtbf or narrow from/until`,
      });
    }
  }
  return out;
}
