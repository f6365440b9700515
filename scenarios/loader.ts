/**
 * Reads a scenario file (YAML or JSON), applies `--set key=value` overrides, validates it, and
 * reports every problem at once with file, line, column and field path. {@link openScenario} also
 * imports and checks a user-written allocator module (async); {@link loadScenario} does not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, parse as parseYaml, isMap, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { getAllocator } from '../allocators/registry.js';
import type { AllocatorEntry, AllocatorOptions } from '../allocators/types.js';
import { InputError, type Problem } from './errors.js';
import { buildAgents } from './build.js';
import { R, fromFixed, resources } from '../sim/model/resources.js';
import { prepareTraces, setScenarioBase } from './trace-source.js';
import { TRACE_FORMATS } from '../workloads/trace/registry.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ALLOCATOR_MODULE_EXTENSIONS, ScenarioSchema, allocatorSpec, type Scenario } from './schema.js';
import { checkCreate, checkModuleParams, importAllocatorModule, resolveModulePath, type ImportOutcome, type UserModuleSource } from './user-allocator.js';

/** The allocator factory a run uses, and where it came from. */
export interface ResolvedAllocator {
  /** the registered entry, or the user module's (wrapped so that its exceptions name it) */
  readonly entry: AllocatorEntry;
  /** the user module; undefined for a registered policy */
  readonly module: UserModuleSource | undefined;
}

/** A validated scenario and where it came from. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** the file as given */
  readonly file: string;
  /** sha256 of the file's bytes */
  readonly sha256: string;
  /** the overrides applied, in order */
  readonly overrides: readonly string[];
  /**
   * the allocator to run: always set for a registered policy; for a user module (`allocator.module`)
   * set by {@link openScenario} and undefined after {@link loadScenario}, which does not import it
   */
  readonly allocator: ResolvedAllocator | undefined;
}

/** Path segments to a printable field path: `frameworks[0].workload.rate`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? String(seg) : `.${String(seg)}`;
  }
  return s;
}

/** The options the scenario passes to its allocator's factory. */
export function allocatorOptions(s: Scenario): AllocatorOptions {
  const spec = allocatorSpec(s.allocator);
  return { params: spec.params, excludedResources: spec.excludedResources, granularity: s.master.offerGranularity };
}

function readScenarioFile(file: string): { text: string; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError([{ file, path: '', message: `cannot read scenario: ${(err as Error).message}` }]);
  }
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

function registered(s: Scenario): ResolvedAllocator | undefined {
  const name = allocatorSpec(s.allocator).name;
  const entry = name === undefined ? undefined : getAllocator(name);
  return entry === undefined ? undefined : { entry, module: undefined };
}

/**
 * Loads and validates a scenario file; throws {@link InputError} listing every problem. A user
 * allocator module is not imported (`allocator` is then undefined): use {@link openScenario} to run one.
 * @param overrides `key=value` strings; keys are dotted paths (`frameworks.0.workload.rate`), values YAML scalars
 */
export function loadScenario(file: string, overrides: readonly string[] = []): LoadedScenario {
  const { text, sha256 } = readScenarioFile(file);
  const { scenario } = parseScenarioText(text, file, overrides);
  return { scenario, file, sha256, overrides, allocator: registered(scenario) };
}

/**
 * Loads and validates a scenario file, and imports and checks its user allocator module if it
 * names one (`allocator.module`, relative to the scenario file): the module loads, exports an
 * entry with the interface, its parameters pass the entry's check and `create(options)` returns
 * an object with every Allocator method. Throws {@link InputError} listing every problem, the
 * module's among the scenario's, each at the `allocator` field's line.
 * @param modules modules imported before (a sweep's points share one map, so that each distinct
 *   module is imported once); default none
 */
export async function openScenario(file: string, overrides: readonly string[] = [], modules?: ModuleCache): Promise<LoadedScenario> {
  const { text, sha256 } = readScenarioFile(file);
  const a = analyse(text, file, overrides);
  const problems = [...a.problems];
  const report = (path: PropertyKey[], message: string): void => {
    problems.push({ file, ...a.where(path), path: formatPath(path), message });
  };
  let allocator: ResolvedAllocator | undefined = a.scenario === undefined ? undefined : registered(a.scenario);
  const spec = a.scenario === undefined ? rawModuleSpec(a.data) : allocatorSpec(a.scenario.allocator).module;
  if (spec !== undefined && !problems.some((p) => p.path === 'allocator.module')) {
    const imported = await importOnce(spec, file, modules);
    if (!imported.ok) {
      for (const m of imported.problems) report(['allocator', 'module'], m);
    } else if (a.scenario !== undefined) {
      const mod = imported.module;
      const options = allocatorOptions(a.scenario);
      const paramProblems = checkModuleParams(mod, options.params ?? {});
      for (const p of paramProblems) report(['allocator', 'params', ...p.path], p.message);
      if (paramProblems.length === 0) for (const m of checkCreate(mod, options)) report(['allocator', 'module'], m);
      allocator = { entry: mod.entry, module: mod.source };
    }
  }
  if (problems.length > 0 || a.scenario === undefined) throw new InputError(problems.sort(byPosition));
  await prepareTraces(a.scenario, file);
  return { scenario: a.scenario, file, sha256, overrides, allocator };
}

/** Allocator modules imported, by resolved path and the spec as written (the manifest records the spec). */
export type ModuleCache = Map<string, Promise<ImportOutcome>>;

function importOnce(spec: string, file: string, modules: ModuleCache | undefined): Promise<ImportOutcome> {
  if (modules === undefined) return importAllocatorModule(spec, file);
  const key = `${resolveModulePath(spec, file)}\n${spec}`;
  let p = modules.get(key);
  if (p === undefined) {
    p = importAllocatorModule(spec, file);
    modules.set(key, p);
  }
  return p;
}

/** The module path of raw (invalid) scenario data, when it names a plausible one. */
function rawModuleSpec(data: unknown): string | undefined {
  const alloc = (data as { allocator?: unknown }).allocator;
  if (alloc === null || typeof alloc !== 'object') return undefined;
  const { module, name } = alloc as { module?: unknown; name?: unknown };
  if (typeof module !== 'string' || name !== undefined) return undefined;
  return ALLOCATOR_MODULE_EXTENSIONS.some((e) => module.toLowerCase().endsWith(e)) ? module : undefined;
}

/** Validates scenario text (YAML is a superset of JSON); `file` is used in messages only. */
export function parseScenarioText(text: string, file: string, overrides: readonly string[] = []): { scenario: Scenario; file: string } {
  const a = analyse(text, file, overrides);
  if (a.problems.length > 0 || a.scenario === undefined) throw new InputError(a.problems);
  return { scenario: a.scenario, file };
}

/** What {@link analyse} found: the scenario when valid, else its problems (sorted), and a locator. */
interface Analysis {
  /** the data after overrides, before validation */
  readonly data: unknown;
  readonly scenario: Scenario | undefined;
  readonly problems: readonly Problem[];
  /** line and column of a field path in the file */
  readonly where: (path: readonly PropertyKey[], atKey?: boolean) => { line?: number; col?: number };
}

/**
 * Parses and validates scenario text. Throws {@link InputError} for problems that stop the reading
 * (YAML syntax, not a mapping, bad overrides); returns schema and semantic problems.
 */
function analyse(text: string, file: string, overrides: readonly string[]): Analysis {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, col: pos.col, path: '', message: `syntax: ${e.message.split('\n')[0]}` });
  }
  if (problems.length > 0) throw new InputError(problems);
  // An alias resolves to the anchored object itself: copy, so that `--set` on one use of an
  // anchor (frameworks.3.behaviour.x) does not change every other use. Scenario values are plain
  // JSON (the YAML core schema has no dates or binary), so a JSON round trip copies them exactly.
  let data: unknown = JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: 1000 }) ?? null));
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError([{ file, line: 1, col: 1, path: '', message: 'a scenario is a mapping (YAML or JSON object)' }]);
  }
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) {
      problems.push({ file: '--set', path: o, message: 'expected key=value' });
      continue;
    }
    const key = o.slice(0, eq);
    const value: unknown = parseYaml(o.slice(eq + 1));
    const err = setPath(data as Record<string, unknown>, key.split('.'), value);
    if (err !== undefined) problems.push({ file: '--set', path: key, message: err });
  }
  if (problems.length > 0) throw new InputError(problems);

  const where = (path: readonly PropertyKey[], atKey = false): { line?: number; col?: number } => locate(doc, lineCounter, path, atKey);
  const result = ScenarioSchema.safeParse(data);
  if (!result.success) {
    for (const issue of flattenIssues(result.error.issues)) {
      problems.push({ file, ...where(issue.path, issue.atKey), path: formatPath(issue.path), message: issue.message });
    }
    return { data, scenario: undefined, problems: problems.sort(byPosition), where };
  }
  const s = result.data;
  setScenarioBase(s, dirname(resolve(file)));
  const report = (path: PropertyKey[], message: string): void => { problems.push({ file, ...where(path), path: formatPath(path), message }); };
  traceChecks(s, dirname(resolve(file)), report);
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where };
  try {
    semanticChecks(s, report);
  } catch (err) {
    // A cluster trace that cannot be read: its problems join the others.
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where };
  return { data, scenario: s, problems, where };
}

/** Problems in file order: line, column, then path and message (a total order). */
function byPosition(a: Problem, b: Problem): number {
  const la = a.line ?? 0;
  const lb = b.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.col ?? 0;
  const cb = b.col ?? 0;
  if (ca !== cb) return ca - cb;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

interface FlatIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** point at the key itself (an unknown field), not at its value */
  readonly atKey?: boolean;
}

/** Unions report the branch that matched the input's shape, or one line naming the alternatives. */
function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch whose errors lie deepest got furthest: the input had that branch's shape.
      const scored = issue.errors.map((errs) => ({ errs, depth: Math.max(0, ...errs.map((e) => e.path.length)) }));
      scored.sort((a, b) => b.depth - a.depth);
      const best = scored[0]!;
      if (best.depth > 0 && (scored.length === 1 || scored[1]!.depth < best.depth)) {
        out.push(...flattenIssues(best.errs, path));
        continue;
      }
      const expected = issue.errors.map((errs) => errs[0]?.message ?? '').filter((m) => m !== '');
      out.push({ path, message: `none of the accepted forms matched (${[...new Set(expected)].join('; ')})` });
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ path: [...path, k], message: `unknown field "${k}"`, atKey: true });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}

/** Trace entries: known formats of the right kind, existing files, declared target frameworks. */
function traceChecks(s: Scenario, base: string, report: (path: PropertyKey[], message: string) => void): void {
  const names = (kind: string): string => ['canonical', ...TRACE_FORMATS.filter((f) => f.kind === kind).map((f) => f.name)].join(', ');
  const declared = new Set(s.frameworks.map((f) => f.name));
  (s.traces ?? []).forEach((t, i) => {
    if (t.format !== 'canonical' && TRACE_FORMATS.find((f) => f.name === t.format && f.kind === 'jobs') === undefined) {
      report(['traces', i, 'format'], `unknown job trace format "${t.format}"; known: ${names('jobs')}`);
    }
    if (!existsSync(resolve(base, t.file))) report(['traces', i, 'file'], `no such file: ${resolve(base, t.file)}`);
    if (t.framework !== undefined && !declared.has(t.framework)) report(['traces', i, 'framework'], `framework "${t.framework}" is not declared in frameworks`);
  });
  (s.cluster.traces ?? []).forEach((t, i) => {
    if (t.format !== 'canonical' && TRACE_FORMATS.find((f) => f.name === t.format && f.kind === 'cluster') === undefined) {
      report(['cluster', 'traces', i, 'format'], `unknown cluster trace format "${t.format}"; known: ${names('cluster')}`);
    }
    if (!existsSync(resolve(base, t.file))) report(['cluster', 'traces', i, 'file'], `no such file: ${resolve(base, t.file)}`);
  });
  if (s.frameworks.length === 0 && !(s.traces ?? []).some((t) => t.frameworkBy !== undefined)) {
    report(['frameworks'], 'declare at least one framework (or let traces[].frameworkBy create them from a job attribute)');
  }
}

function semanticChecks(s: Scenario, report: (path: PropertyKey[], message: string) => void): void {
  // Roles named in `roles` without a framework are allowed (weights may be set ahead of time).
  const prefixes = new Map<string, number>();
  s.cluster.agents.forEach((g, i) => {
    const prev = prefixes.get(g.prefix);
    if (prev !== undefined) report(['cluster', 'agents', i, 'prefix'], `agent name prefix "${g.prefix}" is used by cluster.agents[${prev}] too: names would clash`);
    else prefixes.set(g.prefix, i);
    if (g.cpus === 0 && g.mem === 0) report(['cluster', 'agents', i], 'an agent without cpus and mem is never offered (Mesos)');
  });
  // Every task must fit on some agent, or the run could never finish (compared in fixed point,
  // over the groups' agents and the cluster traces').
  const agents = buildAgents(s);
  const fits = (cpus: number, mem: number, disk: number, gpus: number): boolean => {
    const need = resources({ cpus, mem, disk, gpus });
    return agents.some((a) => need.every((v, k) => a.res[k]! >= v));
  };
  // The non-offer baselines place task by task: a gang could not start at once there.
  const spec = allocatorSpec(s.allocator);
  const mode = spec.name === undefined ? undefined : getAllocator(spec.name)?.scheduling;
  s.frameworks.forEach((f, i) => {
    const kind = typeof f.behaviour === 'string' ? f.behaviour : f.behaviour.kind;
    if (mode !== undefined && mode !== 'offers' && kind !== 'batch') {
      report(['frameworks', i, 'behaviour'], `the ${kind} behaviour needs offers; allocator "${spec.name}" places tasks without them (${mode})`);
    }
  });
  // A gang job starts all its tasks at once: one larger than the whole cluster never starts.
  s.frameworks.forEach((f, i) => {
    const kind = typeof f.behaviour === 'string' ? f.behaviour : f.behaviour.kind;
    if (kind !== 'gang' || f.workload?.kind !== 'inline') return;
    f.workload.jobs.forEach((j, k) => {
      for (const r of ['cpus', 'mem', 'disk', 'gpus'] as const) {
        let need = 0;
        for (const t of j.tasks) need += t[r] * t.count;
        let have = 0;
        for (const a of agents) have += fromFixed(a.res[R[r]]!);
        if (need > have) {
          report(['frameworks', i, 'workload', 'jobs', k], `this gang job needs ${need} ${r} at once, more than the cluster's ${have}: it could never start`);
          break;
        }
      }
    });
  });
  // A service's tasks never end: a run to completion would never complete.
  s.frameworks.forEach((f, i) => {
    const b = f.behaviour;
    if (typeof b === 'string' || b.kind !== 'service') return;
    if (s.duration === undefined) report(['duration'], `framework "${f.name}" is a service, whose tasks never end: give the run a duration`);
    if (f.workload !== undefined) report(['frameworks', i, 'workload'], 'a service takes its tasks from behaviour.instances and behaviour.task; remove the workload');
    if (!fits(b.task.cpus, b.task.mem, b.task.disk, b.task.gpus)) report(['frameworks', i, 'behaviour', 'task'], 'this task fits on no agent of the cluster');
    if (b.task.cpus === 0 && b.task.mem === 0 && b.task.disk === 0 && b.task.gpus === 0) report(['frameworks', i, 'behaviour', 'task'], 'a task must need some resource');
  });
  const agentNames = new Set<string>();
  for (const a of agents) {
    if (agentNames.has(a.name) && (s.cluster.traces ?? []).length > 0) report(['cluster', 'traces'], `agent name "${a.name}" appears twice in the cluster (groups and traces)`);
    agentNames.add(a.name);
  }
  const rackNames = new Set(agents.map((a) => a.rack));
  // Failures name agents as generated from their groups (prefix + zero-padded index).
  s.failures?.agents.forEach((f, i) => {
    if (!agentNames.has(f.agent)) report(['failures', 'agents', i, 'agent'], `agent "${f.agent}" is not in the cluster`);
  });
  const random = s.failures?.random;
  if (random !== undefined && Array.isArray(random.agents)) {
    const seen = new Set<string>();
    random.agents.forEach((name, k) => {
      if (!agentNames.has(name)) report(['failures', 'random', 'agents', k], `agent "${name}" is not in the cluster`);
      else if (seen.has(name)) report(['failures', 'random', 'agents', k], `agent "${name}" is listed twice`);
      seen.add(name);
    });
  }
  s.frameworks.forEach((f, i) => {
    const w = f.workload;
    if (w === undefined) return;
    if (w.kind === 'poisson') {
      if (!fits(w.task.cpus, w.task.mem, w.task.disk, w.task.gpus)) report(['frameworks', i, 'workload', 'task'], 'this task fits on no agent of the cluster');
      if (w.task.cpus === 0 && w.task.mem === 0 && w.task.disk === 0 && w.task.gpus === 0) report(['frameworks', i, 'workload', 'task'], 'a task must need some resource');
    } else {
      const ids = new Set<string>();
      w.jobs.forEach((j, k) => {
        if (j.id !== undefined) {
          if (ids.has(j.id)) report(['frameworks', i, 'workload', 'jobs', k, 'id'], `duplicate job id "${j.id}"`);
          ids.add(j.id);
        }
        j.tasks.forEach((t, m) => {
          if (!fits(t.cpus, t.mem, t.disk, t.gpus)) report(['frameworks', i, 'workload', 'jobs', k, 'tasks', m], 'this task fits on no agent of the cluster');
          for (const name of t.preferredAgents ?? []) {
            if (!agentNames.has(name)) report(['frameworks', i, 'workload', 'jobs', k, 'tasks', m, 'preferredAgents'], `preferred agent "${name}" is not in the cluster`);
          }
          for (const name of t.preferredRacks ?? []) {
            if (!rackNames.has(name)) report(['frameworks', i, 'workload', 'jobs', k, 'tasks', m, 'preferredRacks'], `preferred rack "${name}" is not in the cluster`);
          }
          if (t.cpus === 0 && t.mem === 0 && t.disk === 0 && t.gpus === 0) report(['frameworks', i, 'workload', 'jobs', k, 'tasks', m], 'a task must need some resource');
        });
      });
    }
  });
}

/** Line and column of the deepest node on `path` that exists in the document. */
function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[], atKey: boolean): { line?: number; col?: number } {
  let node: unknown = doc.contents;
  let best: { line?: number; col?: number } = {};
  const mark = (n: unknown): void => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    if (range !== undefined) {
      const p = lc.linePos(range[0]);
      best = { line: p.line, col: p.col };
    }
  };
  mark(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === seg);
      if (pair === undefined) break;
      mark(pair.key);
      node = pair.value;
      if (atKey && i === path.length - 1) break;
      if (node !== null && node !== undefined) mark(node);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) break;
      mark(node);
    } else break;
  }
  return best;
}

/** Sets a dotted path inside parsed data; returns an error message or undefined. */
function setPath(root: Record<string, unknown>, keys: string[], value: unknown): string | undefined {
  let cur: unknown = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const container = cur as Record<string, unknown> | unknown[];
    const idx = Array.isArray(container) ? Number(k) : k;
    if (Array.isArray(container) && !(Number.isInteger(idx) && (idx as number) >= 0 && (idx as number) < container.length)) {
      return `index ${k} is not in the list (length ${container.length})`;
    }
    let next = (container as Record<string | number, unknown>)[idx];
    if (next === undefined || next === null) {
      next = /^\d+$/.test(keys[i + 1]!) ? [] : {};
      (container as Record<string | number, unknown>)[idx] = next;
    }
    if (typeof next !== 'object') return `${keys.slice(0, i + 1).join('.')} is not a mapping or list`;
    cur = next;
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(cur)) {
    const idx = Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx > cur.length) return `index ${last} is not in the list`;
    cur[idx] = value;
  } else (cur as Record<string, unknown>)[last] = value;
  return undefined;
}
