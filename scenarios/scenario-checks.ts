/**
 * What a scenario must be beyond its schema, one function per rule: the trace entries, then the
 * scenario as a whole (agents, cluster totals, what the allocator and each behaviour need, order
 * in time, spans, names the scenario refers to, every task). Each rule reports every problem it
 * finds at its field path; the loader sorts them into file order. Composition root: it reads the
 * file system (trace files exist) and builds the agents.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { getAllocator, listAllocators } from '../allocators/registry.js';
import { MICROS_PER_SECOND, seconds } from '../sim/kernel/time.js';
import { NUM_RESOURCES, R, RESOURCE_NAMES, fromFixed, resources } from '../sim/model/resources.js';
import type { AgentSpec } from '../sim/model/simulation.js';
import { TRACE_FORMATS } from '../workloads/trace/registry.js';
import { behaviourKind, createBehaviour, resolveBehaviour, type TaskAmounts } from './behaviours/index.js';
import { buildAgents, largestDraw } from './build.js';
import { didYouMean } from './did-you-mean.js';
import { excerpt } from './errors.js';
import { MAX_AGENTS, MAX_RESOURCE_AMOUNT, MAX_SPAN_SECONDS } from './limits.js';
import { multiRoleRules } from './multi-role-checks.js';
import { allocatorOptions, allocatorSpec, runArchitecture, type Scenario } from './schema.js';
import { yarnProblems } from './yarn-settings.js';

/** Reports a problem at a field path of the scenario. */
export type Report = (path: PropertyKey[], message: string) => void;

/** Trace entries: known formats of the right kind, existing files, declared target frameworks. */
export function traceChecks(s: Scenario, base: string, report: Report): void {
  const known = (kind: string): string[] => ['canonical', ...TRACE_FORMATS.filter((f) => f.kind === kind).map((f) => f.name)];
  const names = (kind: string): string => known(kind).join(', ');
  const suggest = (format: string, kind: string): string => didYouMean(format, known(kind));
  const declared = new Set(s.frameworks.map((f) => f.name));
  (s.traces ?? []).forEach((t, i) => {
    if (t.format !== 'canonical' && TRACE_FORMATS.find((f) => f.name === t.format && f.kind === 'jobs') === undefined) {
      report(['traces', i, 'format'], `unknown job trace format "${t.format}"; known: ${names('jobs')}${suggest(t.format, 'jobs')}`);
    }
    if (!existsSync(resolve(base, t.file))) report(['traces', i, 'file'], `no such file: ${resolve(base, t.file)}`);
    if (t.framework !== undefined && !declared.has(t.framework)) report(['traces', i, 'framework'], `framework "${t.framework}" is not declared in frameworks`);
  });
  (s.cluster.traces ?? []).forEach((t, i) => {
    if (t.format !== 'canonical' && TRACE_FORMATS.find((f) => f.name === t.format && f.kind === 'cluster') === undefined) {
      report(['cluster', 'traces', i, 'format'], `unknown cluster trace format "${t.format}"; known: ${names('cluster')}${suggest(t.format, 'cluster')}`);
    }
    if (!existsSync(resolve(base, t.file))) report(['cluster', 'traces', i, 'file'], `no such file: ${resolve(base, t.file)}`);
  });
  if (s.frameworks.length === 0 && !(s.traces ?? []).some((t) => t.frameworkBy !== undefined)) {
    report(['frameworks'], 'declare at least one framework (or let traces[].frameworkBy create them from a job attribute)');
  }
}

/** What the rules over a whole scenario share: its agents, built once, and what follows from them. */
interface Checked {
  readonly s: Scenario;
  /** the groups' agents, then the cluster traces' */
  readonly agents: readonly AgentSpec[];
  /** the cluster's total of each resource, fixed point */
  readonly total: Float64Array;
  readonly agentNames: ReadonlySet<string>;
  readonly rackNames: ReadonlySet<string>;
  /** whether a task of these resources fits on some agent (compared in fixed point) */
  fits(task: TaskAmounts): boolean;
  readonly report: Report;
}

/**
 * The scenario as a whole. Roles named in `roles` without a framework are allowed (weights may be
 * set ahead of time). Throws the InputError of a cluster trace that cannot be read.
 */
export function semanticChecks(s: Scenario, report: Report): void {
  agentGroups(s, report);
  const c = checked(s, report);
  for (const rule of RULES) rule(c);
}

/** The rules that need the agents, in no particular order (the loader sorts what they report). */
const RULES: readonly ((c: Checked) => void)[] = [
  clusterSize,
  architectureChoice,
  offersNeeded,
  behaviourRules,
  subscriptionOrder,
  registrationOrder,
  remoteSpans,
  agentNamesUnique,
  failureAgents,
  workloadTasks,
  gpuTasks,
  yarnRules,
  ({ s, report }) => multiRoleRules(s, report),
];

/**
 * The `yarn` block goes with `architecture: yarn`; under yarn, every framework's behaviour must
 * let an ApplicationMaster launch its tasks (the batch behaviour does), its queue must be a leaf
 * of the scheduler's tree, and what YARN has no counterpart for (static reservations) is
 * refused rather than ignored. Agent failures run with YARN's own timing (node expiry,
 * ApplicationMaster attempts).
 */
function yarnRules({ s, report }: Checked): void {
  if (runArchitecture(s) !== 'yarn') {
    if (s.yarn !== undefined) report(['yarn'], 'the yarn settings apply only with architecture: yarn');
    return;
  }
  const behaviourUnderYarn = (path: PropertyKey[], b: Parameters<typeof createBehaviour>[0]): void => {
    if (createBehaviour(b).takeJobTask !== undefined) return;
    report(path, `the ${behaviourKind(b)} behaviour cannot run under yarn: only the batch behaviour lets an ApplicationMaster launch its tasks`);
  };
  s.frameworks.forEach((f, i) => {
    behaviourUnderYarn(['frameworks', i, 'behaviour'], f.behaviour);
    if (f.role !== '*' && f.role.includes('.'))
      report(['frameworks', i, 'role'], `role ${f.role} names a YARN queue (root.<role>): a role with "." in a name cannot`);
  });
  (s.traces ?? []).forEach((t, i) => {
    if (t.frameworkBy !== undefined) behaviourUnderYarn(['traces', i, 'behaviour'], t.behaviour);
  });
  s.cluster.agents.forEach((g, i) => {
    if ('reserved' in g && g.reserved !== undefined)
      report(['cluster', 'agents', i, 'reserved'], 'static reservations are a Mesos feature: YARN has none (use queues)');
  });
  if (s.frameworks.some((f) => f.role.includes('.'))) return;
  // With frameworks that traces create, the queues are checked once the traces are opened
  // (loader.openScenario): the queue tree derived from the roles needs them.
  if ((s.traces ?? []).some((t) => t.frameworkBy !== undefined)) return;
  for (const p of yarnProblems({ yarn: s.yarn, roles: s.roles, frameworks: s.frameworks })) report(p.path, p.message);
}

function checked(s: Scenario, report: Report): Checked {
  const agents = buildAgents(s);
  const total = new Float64Array(NUM_RESOURCES);
  for (const a of agents) for (let k = 0; k < NUM_RESOURCES; k++) total[k]! += a.res[k]!;
  // Agents differ in few shapes (a group is one): a task is compared with each distinct shape once.
  const shapes = new Map<string, Float64Array>();
  for (const a of agents) shapes.set(a.res.join(','), a.res);
  const fitsShape = new Map<string, boolean>();
  const fits = (t: TaskAmounts): boolean => {
    const need = resources({ cpus: t.cpus, mem: t.mem, disk: t.disk, gpus: t.gpus });
    const key = need.join(',');
    let ok = fitsShape.get(key);
    if (ok === undefined) {
      ok = false;
      for (const res of shapes.values())
        if (need.every((v, k) => res[k]! >= v)) {
          ok = true;
          break;
        }
      fitsShape.set(key, ok);
    }
    return ok;
  };
  return { s, agents, total, agentNames: new Set(agents.map((a) => a.name)), rackNames: new Set(agents.map((a) => a.rack)), fits, report };
}

/** Agent groups: distinct name prefixes (names would clash), and cpus or mem (Mesos offers no agent without both). */
function agentGroups(s: Scenario, report: Report): void {
  const prefixes = new Map<string, number>();
  s.cluster.agents.forEach((g, i) => {
    const prev = prefixes.get(g.prefix);
    if (prev !== undefined)
      report(['cluster', 'agents', i, 'prefix'], `agent name prefix "${g.prefix}" is used by cluster.agents[${prev}] too: names would clash`);
    else prefixes.set(g.prefix, i);
    if (g.cpus === 0 && g.mem === 0) report(['cluster', 'agents', i], 'an agent without cpus and mem is never offered (Mesos)');
  });
}

/**
 * The cluster, groups and traces together: at most MAX_AGENTS agents, and totals below
 * MAX_RESOURCE_AMOUNT, so that every sum the master and the sorters make stays exact.
 */
function clusterSize({ agents, total, report }: Checked): void {
  if (agents.length > MAX_AGENTS)
    report(
      ['cluster'],
      `the cluster has ${agents.length.toLocaleString('en-US')} agents (groups and traces), more than the ${MAX_AGENTS.toLocaleString('en-US')} a cluster may have`,
    );
  for (const r of RESOURCE_NAMES) {
    if (fromFixed(total[R[r]]!) > MAX_RESOURCE_AMOUNT) {
      report(
        ['cluster'],
        `the cluster's agents hold ${fromFixed(total[R[r]]!).toLocaleString('en-US')} ${r} in all, more than ${MAX_RESOURCE_AMOUNT.toLocaleString('en-US')} (amounts are exact in thousandths below 2^53)`,
      );
    }
  }
}

/**
 * Why an allocator (`made` by its factory, named by `label`) cannot order the frameworks under
 * architecture `arch`, which places tasks without offers: it lacks the ranking port
 * (Allocator.frameworkOrder and allocated); undefined when it has it.
 */
export function rankingPortProblem(made: unknown, label: string, arch: string): string | undefined {
  if (ranks(made)) return undefined;
  return (
    `the ${arch} architecture places tasks without offers, in the frameworks' order its allocator gives, and ${label} has no ranking port ` +
    `(frameworkOrder and allocated): run it under offers, or choose a policy that ranks (${rankingPolicies().join(', ')}; docs/allocators.md)`
  );
}

/** Whether an allocator object has the ranking port. */
function ranks(made: unknown): boolean {
  const a = made as { frameworkOrder?: unknown; allocated?: unknown } | null;
  return a !== null && typeof a === 'object' && typeof a.frameworkOrder === 'function' && typeof a.allocated === 'function';
}

/** The registered policies that rank frameworks with their default parameters (those that need parameters are left out). */
function rankingPolicies(): string[] {
  return listAllocators().flatMap((e) => {
    if (e.architecture !== undefined) return [];
    try {
      return ranks(e.create({ params: {}, excludedResources: [], granularity: 'agent' })) ? [e.name] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The architecture a scenario names must agree with its allocator: 'monolithic' and 'shared-state'
 * as allocator names are their architecture already, and a registered policy run without offers
 * must rank the frameworks (a user module is checked when it is imported).
 */
function architectureChoice({ s, report }: Checked): void {
  const spec = allocatorSpec(s.allocator);
  if (spec.name === undefined) return;
  const entry = getAllocator(spec.name);
  if (entry === undefined) return;
  if (s.architecture !== undefined && entry.architecture !== undefined && s.architecture !== entry.architecture) {
    report(
      ['architecture'],
      `allocator "${spec.name}" is the ${entry.architecture} architecture with drf's order; for the ${s.architecture} architecture name a policy (allocator: drf), or leave architecture out`,
    );
    return;
  }
  const arch = runArchitecture(s);
  // Under yarn the YARN scheduler decides; the allocator plays no part (yarnRules).
  if (arch === 'offers' || arch === 'yarn' || entry.architecture !== undefined) return;
  let made: unknown;
  try {
    made = entry.create(allocatorOptions(s));
  } catch {
    return; // its parameters' problems are reported at allocator.params
  }
  const why = rankingPortProblem(made, `allocator "${spec.name}"`, arch);
  if (why !== undefined) report(['architecture'], why);
}

/**
 * The non-offer baselines place task by task, taking each framework's next task from its
 * behaviour: one that does not expose it (FrameworkBehaviour.takeNextTask) needs offers.
 */
function offersNeeded({ s, report }: Checked): void {
  const mode = runArchitecture(s);
  if (mode === 'offers' || mode === 'yarn') return;
  const by = s.architecture !== undefined ? `architecture "${mode}"` : `allocator "${allocatorSpec(s.allocator).name}"`;
  s.frameworks.forEach((f, i) => {
    const b = createBehaviour(f.behaviour);
    if (b.nextTaskDemand === undefined || b.takeNextTask === undefined) {
      report(['frameworks', i, 'behaviour'], `the ${behaviourKind(f.behaviour)} behaviour needs offers; ${by} places tasks without them (${mode})`);
    }
  });
}

/** What each behaviour checks for itself (BehaviourEntry.check: a gang's whole jobs, a service's own tasks). */
function behaviourRules({ s, total, fits, report }: Checked): void {
  const amounts = { cpus: fromFixed(total[R.cpus]!), mem: fromFixed(total[R.mem]!), disk: fromFixed(total[R.disk]!), gpus: fromFixed(total[R.gpus]!) };
  s.frameworks.forEach((f, i) => {
    const { entry, options } = resolveBehaviour(f.behaviour);
    entry.check?.(options, {
      framework: f.name,
      workload: f.workload,
      hasDuration: s.duration !== undefined,
      total: amounts,
      fits,
      report: (path, message) => report(['frameworks', i, ...path], message),
      reportScenario: (path, message) => report([...path], message),
    });
  });
}

/*
 * Nothing happens to a framework or an agent before it exists. At the same instant the
 * subscription or registration comes first. (Random failures start at the later of `from` and each
 * agent's registration: docs/scenarios.md.)
 */

/** A job is not submitted, nor a Poisson workload started, before its framework's `addAt` (its subscription); a scheduler does not fail over before it. */
function subscriptionOrder({ s, report }: Checked): void {
  s.frameworks.forEach((f, i) => {
    const subscribes = seconds(f.addAt);
    const w = f.workload;
    if (w?.kind === 'poisson' && w.start !== undefined && seconds(w.start) < subscribes) {
      report(
        ['frameworks', i, 'workload', 'start'],
        `arrivals would start at ${w.start} s, before framework "${f.name}" subscribes (addAt ${f.addAt} s): start at or after addAt`,
      );
    }
    if (w?.kind === 'inline') {
      w.jobs.forEach((j, k) => {
        if (seconds(j.submit) < subscribes) {
          report(
            ['frameworks', i, 'workload', 'jobs', k, 'submit'],
            `job ${excerpt(j.id ?? `${f.name}/${k}`)} would arrive at ${j.submit} s, before framework "${f.name}" subscribes (addAt ${f.addAt} s)`,
          );
        }
      });
    }
    if (f.failover !== undefined && seconds(f.failover.disconnectAt) < subscribes) {
      report(
        ['frameworks', i, 'failover', 'disconnectAt'],
        `framework "${f.name}" would disconnect at ${f.failover.disconnectAt} s, before it subscribes (addAt ${f.addAt} s)`,
      );
    }
  });
}

/** An agent does not fail before it registers (its group's `addAt`). */
function registrationOrder({ s, agents, report }: Checked): void {
  const registers = new Map(agents.map((a) => [a.name, a.addAt ?? 0]));
  s.failures?.agents.forEach((f, i) => {
    const at = registers.get(f.agent);
    if (at !== undefined && seconds(f.at) < at) {
      report(['failures', 'agents', i, 'at'], `agent ${excerpt(f.agent)} would fail at ${f.at} s, before it registers (addAt ${at / MICROS_PER_SECOND} s)`);
    }
  });
}

/**
 * Spans the schema cannot see whole: a framework's tasks run its behaviour's `remoteSlowdown` times
 * longer when not node-local (batch), and that run time must still fit in a span (scenarios/limits.ts).
 */
function remoteSpans({ s, report }: Checked): void {
  s.frameworks.forEach((f, i) => {
    const slow = createBehaviour(f.behaviour).remoteSlowdown ?? 1;
    if (slow <= 1) return;
    const w = f.workload;
    let longest = 0;
    if (w?.kind === 'poisson') longest = largestDraw(w.task.duration);
    else if (w?.kind === 'inline') for (const j of w.jobs) for (const t of j.tasks) longest = Math.max(longest, t.duration);
    if (longest * slow > MAX_SPAN_SECONDS) {
      report(
        ['frameworks', i, 'behaviour', 'remoteSlowdown'],
        `a task of up to ${longest} s run ${slow} times slower would last ${longest * slow} s, more than the ${MAX_SPAN_SECONDS} s a span may be`,
      );
    }
  });
}

/** An agent name appears once in the cluster, groups and traces together. */
function agentNamesUnique({ s, agents, report }: Checked): void {
  if ((s.cluster.traces ?? []).length === 0) return;
  const seen = new Set<string>();
  for (const a of agents) {
    if (seen.has(a.name)) report(['cluster', 'traces'], `agent name "${a.name}" appears twice in the cluster (groups and traces)`);
    seen.add(a.name);
  }
}

/** Failures name agents of the cluster (as generated from their groups: prefix + zero-padded index), each once in `random.agents`. */
function failureAgents({ s, agentNames, report }: Checked): void {
  const offers = runArchitecture(s) === 'offers';
  s.frameworks.forEach((f, i) => {
    if (f.capabilities?.includes('PARTITION_AWARE') === true && !offers)
      report(['frameworks', i, 'capabilities'], `partition-aware frameworks are modelled for the offers architecture only, not ${runArchitecture(s)}`);
  });
  (s.traces ?? []).forEach((t, i) => {
    if (t.capabilities?.includes('PARTITION_AWARE') === true && !offers)
      report(['traces', i, 'capabilities'], `partition-aware frameworks are modelled for the offers architecture only, not ${runArchitecture(s)}`);
  });
  s.failures?.agents.forEach((f, i) => {
    if (!agentNames.has(f.agent)) report(['failures', 'agents', i, 'agent'], `agent "${f.agent}" is not in the cluster`);
    if (f.kind === 'partition' && !offers)
      report(['failures', 'agents', i, 'kind'], `partitions are modelled for the offers architecture only, not ${runArchitecture(s)}`);
  });
  const random = s.failures?.random;
  if (random?.kind === 'partition' && !offers)
    report(['failures', 'random', 'kind'], `partitions are modelled for the offers architecture only, not ${runArchitecture(s)}`);
  if (random === undefined || !Array.isArray(random.agents)) return;
  const seen = new Set<string>();
  random.agents.forEach((name, k) => {
    if (!agentNames.has(name)) report(['failures', 'random', 'agents', k], `agent "${name}" is not in the cluster`);
    else if (seen.has(name)) report(['failures', 'random', 'agents', k], `agent "${name}" is listed twice`);
    seen.add(name);
  });
}

/**
 * Every task of a workload fits on some agent (or the run could never finish) and needs some
 * resource; inline job ids are distinct; preferred agents and racks are in the cluster.
 */
/**
 * With the GPU filter on (Mesos's default), a task that needs gpus fits only on agents with gpus,
 * and those are never offered to a framework without GPU_RESOURCES (nor do the baselines place
 * its tasks there): the task would wait forever. YARN has no such filter.
 */
function gpuTasks({ s, report }: Checked): void {
  if (s.master.filterGpuResources === false || runArchitecture(s) === 'yarn') return;
  const message =
    'this task needs gpus and its framework lacks the GPU_RESOURCES capability: with master.filterGpuResources on (the default) it is never offered an agent with gpus (give the framework capabilities: [GPU_RESOURCES])';
  s.frameworks.forEach((f, i) => {
    if (f.capabilities?.includes('GPU_RESOURCES') === true) return;
    const w = f.workload;
    if (w?.kind === 'poisson' && w.task.gpus > 0) report(['frameworks', i, 'workload', 'task', 'gpus'], message);
    if (w?.kind !== 'inline') return;
    w.jobs.forEach((j, k) =>
      j.tasks.forEach((t, m) => {
        if (t.gpus > 0) report(['frameworks', i, 'workload', 'jobs', k, 'tasks', m, 'gpus'], message);
      }),
    );
  });
}

function workloadTasks({ s, agentNames, rackNames, fits, report }: Checked): void {
  const none = (t: TaskAmounts): boolean => t.cpus === 0 && t.mem === 0 && t.disk === 0 && t.gpus === 0;
  s.frameworks.forEach((f, i) => {
    const w = f.workload;
    if (w === undefined) return;
    if (w.kind === 'poisson') {
      if (!fits(w.task)) report(['frameworks', i, 'workload', 'task'], 'this task fits on no agent of the cluster');
      if (none(w.task)) report(['frameworks', i, 'workload', 'task'], 'a task must need some resource');
      return;
    }
    const ids = new Set<string>();
    w.jobs.forEach((j, k) => {
      if (j.id !== undefined) {
        if (ids.has(j.id)) report(['frameworks', i, 'workload', 'jobs', k, 'id'], `duplicate job id "${j.id}"`);
        ids.add(j.id);
      }
      j.tasks.forEach((t, m) => {
        const at = ['frameworks', i, 'workload', 'jobs', k, 'tasks', m];
        if (!fits(t)) report(at, 'this task fits on no agent of the cluster');
        for (const name of t.preferredAgents ?? []) {
          if (!agentNames.has(name)) report([...at, 'preferredAgents'], `preferred agent "${name}" is not in the cluster`);
        }
        for (const name of t.preferredRacks ?? []) {
          if (!rackNames.has(name)) report([...at, 'preferredRacks'], `preferred rack "${name}" is not in the cluster`);
        }
        if (none(t)) report(at, 'a task must need some resource');
      });
    });
  });
}
