/**
 * The metamorphic transformations of scenarios/metamorphic.test.ts, on raw scenario data
 * (test-support/random-scenario.ts): renaming, permuting what carries no order, scaling
 * resources; and the matching change of a run's labels. Test-only (excluded from the build).
 * Every transformation returns a new draft and leaves its input alone.
 */
import { RandomStreams, type Rng } from '../../sim/kernel/rng.js';
import { shuffleInPlace } from '../../sim/kernel/shuffle.js';
import type { LogRecord } from '../../sim/model/log.js';
import { RESOURCE_NAMES } from '../../sim/model/resources.js';
import { parseCsv } from '../../reports/index.js';
import type { Draft, DraftAmounts } from './random-scenario.js';
import type { RunTexts } from './law-runs.js';

/** A deep copy of JSON data. */
export function copy<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

// ---------------------------------------------------------------- renaming

/** Old name to new name, per kind of name; a name not in its map keeps its name. */
export interface Renames {
  /** framework names */
  readonly frameworks: ReadonlyMap<string, string>;
  /** role path segments ('eng/ml' is renamed segment by segment; '*' never) */
  readonly roles: ReadonlyMap<string, string>;
  /** agent group name prefixes (an agent's name is its group's prefix + an index) */
  readonly agentPrefixes: ReadonlyMap<string, string>;
  /** rack name prefixes */
  readonly rackPrefixes: ReadonlyMap<string, string>;
}

/** The names a draft uses, per kind of {@link Renames}, each sorted in code-unit order. */
export function namesOf(d: Draft): { frameworks: string[]; roles: string[]; agentPrefixes: string[]; rackPrefixes: string[] } {
  const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
  const paths = [...d.frameworks.map((f) => f.role), ...Object.keys(d.roles), ...d.cluster.agents.flatMap((g) => Object.keys(g.reserved ?? {}))];
  return {
    frameworks: sorted(d.frameworks.map((f) => f.name)),
    roles: sorted(paths.filter((p) => p !== '*').flatMap((p) => p.split('/'))),
    agentPrefixes: sorted(d.cluster.agents.map((g) => g.prefix)),
    rackPrefixes: sorted(d.cluster.agents.map((g) => g.rackPrefix)),
  };
}

/**
 * A monotone map: the i-th smallest of `old` (sorted, distinct) to the i-th smallest of `fresh`
 * (distinct, at least as many), so that the renamed names compare as the old ones did.
 */
export function monotone(old: readonly string[], fresh: readonly string[]): Map<string, string> {
  const to = [...fresh].sort();
  return new Map(old.map((n, i) => [n, to[i]!]));
}

const renamed = (m: ReadonlyMap<string, string>, n: string): string => m.get(n) ?? n;
const renameRole = (r: Renames, path: string): string =>
  path === '*'
    ? path
    : path
        .split('/')
        .map((s) => renamed(r.roles, s))
        .join('/');
const renameKeys = <V>(r: Renames, o: Record<string, V>): Record<string, V> => Object.fromEntries(Object.entries(o).map(([k, v]) => [renameRole(r, k), v]));

/** An agent or rack name made of a prefix and an index, with the prefix renamed. */
function renamePrefixed(m: ReadonlyMap<string, string>, prefixes: readonly string[], name: string): string {
  const p = prefixes.find((x) => name.startsWith(x) && /^\d+$/.test(name.slice(x.length)));
  return p === undefined ? name : renamed(m, p) + name.slice(p.length);
}

/**
 * The draft with frameworks, roles, agents and racks renamed everywhere they are named: names,
 * roles, role weights, reservations, allocator parameters (priorities, quota), preferred agents
 * and racks, failures.
 */
export function renameDraft(d: Draft, r: Renames): Draft {
  const out = copy(d);
  const agentPrefixes = d.cluster.agents.map((g) => g.prefix);
  const rackPrefixes = d.cluster.agents.map((g) => g.rackPrefix);
  const agent = (n: string): string => renamePrefixed(r.agentPrefixes, agentPrefixes, n);
  const rack = (n: string): string => renamePrefixed(r.rackPrefixes, rackPrefixes, n);
  out.roles = renameKeys(r, out.roles);
  for (const g of out.cluster.agents) {
    g.prefix = renamed(r.agentPrefixes, g.prefix);
    g.rackPrefix = renamed(r.rackPrefixes, g.rackPrefix);
    if (g.reserved !== undefined) g.reserved = renameKeys(r, g.reserved);
  }
  for (const f of out.frameworks) {
    f.name = renamed(r.frameworks, f.name);
    f.role = renameRole(r, f.role);
    // A multi-role framework's roles, and the roles its workload ties jobs to.
    const m = f as typeof f & { roles?: string[]; workload?: { roles?: Record<string, unknown> } };
    if (m.roles !== undefined) m.roles = m.roles.map((x) => renameRole(r, x));
    if (m.workload?.roles !== undefined) m.workload.roles = renameKeys(r, m.workload.roles);
    if (f.workload?.kind === 'inline') for (const j of f.workload.jobs as { role?: string }[]) if (j.role !== undefined) j.role = renameRole(r, j.role);
    if (f.workload?.kind !== 'inline') continue;
    for (const t of f.workload.jobs.flatMap((j) => j.tasks)) {
      if (t.preferredAgents !== undefined) t.preferredAgents = t.preferredAgents.map(agent);
      if (t.preferredRacks !== undefined) t.preferredRacks = t.preferredRacks.map(rack);
    }
  }
  if (typeof out.allocator === 'object' && out.allocator.params !== undefined) {
    const p = out.allocator.params;
    for (const key of ['priorities', 'quota']) {
      if (p[key] !== undefined) p[key] = renameKeys(r, p[key] as Record<string, unknown>);
    }
  }
  for (const f of out.failures?.agents ?? []) f.agent = agent(f.agent);
  const random = out.failures?.random;
  if (random !== undefined && Array.isArray(random.agents)) random.agents = random.agents.map(agent);
  return out;
}

/**
 * What a run of the renamed draft must output, from the original run's outputs: the same text
 * with only the labels changed (job names start with their framework's name, `<framework>/...`).
 */
export function renameOutputs(
  o: RunTexts,
  d: Draft,
  r: Renames,
): { jobs: string[][]; frameworks: string[][]; timeseries: string[][]; summary: string; records: LogRecord[] } {
  const agentPrefixes = d.cluster.agents.map((g) => g.prefix);
  const rackPrefixes = d.cluster.agents.map((g) => g.rackPrefix);
  const fw = (n: string): string => renamed(r.frameworks, n);
  const job = (n: string): string => {
    const i = n.indexOf('/');
    return i < 0 ? n : fw(n.slice(0, i)) + n.slice(i);
  };
  const jobs = parseCsv(o.jobs).map((row, i) => (i === 0 ? row : [job(row[0]!), fw(row[1]!), ...row.slice(2)]));
  const frameworks = parseCsv(o.frameworks).map((row, i) => (i === 0 ? row : [fw(row[0]!), renameRole(r, row[1]!), ...row.slice(2)]));
  const timeseries = parseCsv(o.timeseries).map((row, i) =>
    i > 0
      ? row
      : row.map((h) => {
          const m = /^(share|pending)_(.+)$/.exec(h);
          return m === null ? h : `${m[1]!}_${fw(m[2]!)}`;
        }),
  );
  // By field, so that a record kind added later is covered: a `name` is an agent's, a
  // framework's or else a job's; `role` and `rack` are what they say.
  const records = o.records.map((x): LogRecord => {
    const y: Record<string, unknown> = { ...x };
    if (typeof y['name'] === 'string') {
      const n = y['name'];
      y['name'] = x.kind === 'agent_added' ? renamePrefixed(r.agentPrefixes, agentPrefixes, n) : x.kind === 'framework_added' ? fw(n) : job(n);
    }
    if (typeof y['role'] === 'string') y['role'] = renameRole(r, y['role']);
    // A multi-role framework's role lists (framework_added, suppress, revive, framework_reconnected).
    for (const k of ['roles', 'suppressedRoles']) if (Array.isArray(y[k])) y[k] = (y[k] as string[]).map((x) => renameRole(r, x));
    if (typeof y['rack'] === 'string') y['rack'] = renamePrefixed(r.rackPrefixes, rackPrefixes, y['rack']);
    return y as unknown as LogRecord;
  });
  return { jobs, frameworks, timeseries, summary: o.summary, records };
}

/** A run's outputs parsed for comparison with {@link renameOutputs}. */
export function parsedOutputs(o: RunTexts): {
  jobs: string[][];
  frameworks: string[][];
  timeseries: string[][];
  summary: string;
  records: readonly LogRecord[];
} {
  return { jobs: parseCsv(o.jobs), frameworks: parseCsv(o.frameworks), timeseries: parseCsv(o.timeseries), summary: o.summary, records: o.records };
}

// ---------------------------------------------------------------- permuting

/** A seeded shuffle for permutations drawn from a property's integer. */
export function shuffler(seed: number): Rng {
  return new RandomStreams(seed).stream('permute');
}

/** A copy of `o` with its own keys in shuffled order (values untouched). */
function shuffleKeys<T extends object>(o: T, rng: Rng): T {
  const entries = shuffleInPlace(Object.entries(o), rng);
  return Object.fromEntries(entries) as T;
}

/** Every object of the data, at any depth, with its keys shuffled; lists keep their order. */
export function shuffleAllKeys<T>(x: T, rng: Rng): T {
  if (Array.isArray(x)) return x.map((v: unknown) => shuffleAllKeys(v, rng)) as T;
  if (x === null || typeof x !== 'object') return x;
  const o = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shuffleAllKeys(v, rng)]));
  return shuffleKeys(o, rng) as T;
}

/** Which lists of a draft {@link permuteLists} shuffles. */
export interface UnorderedLists {
  /** allocator.excludedResources */
  readonly excludedResources: boolean;
  /** master.minAllocatable and the frameworks' own (alternatives) */
  readonly minAllocatable: boolean;
  /** tasks' preferredAgents and preferredRacks */
  readonly preferences: boolean;
  /** failures.random.agents, when a list */
  readonly randomFailureAgents: boolean;
  /** failures.agents (scheduled failures), keeping the relative order of those at one instant */
  readonly scheduledFailures: boolean;
}

/** The draft with the chosen lists' entries shuffled. */
export function permuteLists(d: Draft, rng: Rng, which: UnorderedLists): Draft {
  const out = copy(d);
  const a = out.allocator;
  if (which.excludedResources && typeof a === 'object' && a.excludedResources !== undefined) shuffleInPlace(a.excludedResources, rng);
  if (which.minAllocatable) {
    if (out.master.minAllocatable !== undefined) shuffleInPlace(out.master.minAllocatable, rng);
    for (const f of out.frameworks) if (f.minAllocatable !== undefined) shuffleInPlace(f.minAllocatable, rng);
  }
  if (which.preferences) {
    for (const f of out.frameworks) {
      if (f.workload?.kind !== 'inline') continue;
      for (const t of f.workload.jobs.flatMap((j) => j.tasks)) {
        if (t.preferredAgents !== undefined) shuffleInPlace(t.preferredAgents, rng);
        if (t.preferredRacks !== undefined) shuffleInPlace(t.preferredRacks, rng);
      }
    }
  }
  const random = out.failures?.random;
  if (which.randomFailureAgents && random !== undefined && Array.isArray(random.agents)) shuffleInPlace(random.agents, rng);
  const scheduled = out.failures?.agents;
  if (which.scheduledFailures && scheduled !== undefined) {
    // Failures at one instant apply in list order: those keep their relative order.
    const slots = shuffleInPlace(
      scheduled.map((_, i) => i),
      rng,
    );
    const byTime = new Map<number, number[]>();
    for (const f of scheduled) byTime.set(f.at, []);
    for (const i of slots) byTime.get(scheduled[i]!.at)!.push(i);
    for (const list of byTime.values()) list.sort((x, y) => x - y);
    const next = new Map([...byTime.keys()].map((t) => [t, 0]));
    const order = slots.map((i) => {
      const t = scheduled[i]!.at;
      const k = next.get(t)!;
      next.set(t, k + 1);
      return byTime.get(t)![k]!;
    });
    out.failures!.agents = order.map((i) => scheduled[i]!);
  }
  return out;
}

// ---------------------------------------------------------------- scaling

/** A copy of `o` with each resource amount in it (cpus, mem, disk, gpus) multiplied by `k`; other fields as they are. */
function times<T extends DraftAmounts & { gpus?: number }>(o: T, k: number): T {
  const out = { ...o };
  for (const r of RESOURCE_NAMES) if (typeof out[r] === 'number') out[r] = out[r] * k;
  return out;
}

/** What {@link scaleDraft} scales. */
export interface ScaleParts {
  /** agents' resources and reservations */
  readonly agents: boolean;
  /** tasks' demands (inline, Poisson and service tasks) */
  readonly tasks: boolean;
  /** master.minAllocatable, the frameworks' own and quota amounts */
  readonly thresholds: boolean;
}

/** The draft with every resource amount of the chosen parts multiplied by `k`. */
export function scaleDraft(d: Draft, k: number, parts: ScaleParts = { agents: true, tasks: true, thresholds: true }): Draft {
  const out = copy(d);
  if (parts.agents) {
    out.cluster.agents = out.cluster.agents.map((g) => {
      const s = times(g, k);
      if (g.reserved !== undefined) s.reserved = Object.fromEntries(Object.entries(g.reserved).map(([role, a]) => [role, times(a, k)]));
      return s;
    });
  }
  if (parts.tasks) {
    for (const f of out.frameworks) {
      const b = f.behaviour;
      if (typeof b === 'object' && b.kind === 'service') b.task = times(b.task, k);
      const w = f.workload;
      if (w?.kind === 'inline') for (const j of w.jobs) j.tasks = j.tasks.map((t) => times(t, k));
      else if (w?.kind === 'poisson') w.task = times(w.task, k);
    }
  }
  if (parts.thresholds) {
    if (out.master.minAllocatable !== undefined) out.master.minAllocatable = out.master.minAllocatable.map((a) => times(a, k));
    for (const f of out.frameworks) if (f.minAllocatable !== undefined) f.minAllocatable = f.minAllocatable.map((a) => times(a, k));
    const quota = typeof out.allocator === 'object' ? (out.allocator.params?.['quota'] as Record<string, Record<string, DraftAmounts>> | undefined) : undefined;
    for (const q of Object.values(quota ?? {})) for (const key of Object.keys(q)) q[key] = times(q[key]!, k);
  }
  return out;
}

/**
 * A log record with every resource vector in it (any field holding four numbers: `res`, `used`)
 * divided by `k`: the inverse of scaling a run by k.
 */
export function unscaleRecord(x: LogRecord, k: number): LogRecord {
  const y: Record<string, unknown> = { ...x };
  for (const [key, v] of Object.entries(y)) {
    if (Array.isArray(v) && v.length === 4 && v.every((e) => typeof e === 'number')) y[key] = v.map((e: number) => e / k);
  }
  return y as unknown as LogRecord;
}
