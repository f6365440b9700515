/**
 * Reads a scenario file (YAML or JSON), applies `--set key=value` overrides, validates it, and
 * reports every problem at once with file, line, column and field path. {@link openScenario} also
 * imports and checks a user-written allocator module (async); {@link loadScenario} does not.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { z } from 'zod';
import { getAllocator } from '../allocators/registry.js';
import type { AllocatorEntry, AllocatorOptions } from '../allocators/types.js';
import { InputError, excerpt, formatPath, type Problem } from './errors.js';
import { buildAgents, checkTraceStarts, largestDraw, sizeProblems } from './build.js';
import { NUM_RESOURCES, R, fromFixed, resources } from '../sim/model/resources.js';
import { MICROS_PER_SECOND, seconds } from '../sim/kernel/time.js';
import type { AgentSpec } from '../sim/model/simulation.js';
import { prepareTraces, setScenarioBase } from './trace-source.js';
import { TRACE_FORMATS } from '../workloads/trace/registry.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ALLOCATOR_MODULE_EXTENSIONS, ScenarioSchema, allocatorSpec, type Scenario } from './schema.js';
import { checkCreate, checkModuleParams, importAllocatorModule, resolveModulePath, type ImportOutcome, type UserModuleSource } from './user-allocator.js';
import { MAX_AGENTS, MAX_RESOURCE_AMOUNT, MAX_SCENARIO_BYTES, MAX_SPAN_SECONDS } from './limits.js';
import { RESERVED_KEYS, readYaml } from './yaml-input.js';

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

export { formatPath } from './errors.js';

/** The options the scenario passes to its allocator's factory. */
export function allocatorOptions(s: Scenario): AllocatorOptions {
  const spec = allocatorSpec(s.allocator);
  return { params: spec.params, excludedResources: spec.excludedResources, granularity: s.master.offerGranularity };
}

/**
 * The scenario file's text and sha256. Only a regular file of at most MAX_SCENARIO_BYTES is read
 * (a device such as /dev/zero never ends, and the text is held whole).
 */
function readScenarioFile(file: string): { text: string; sha256: string } {
  const refuse = (message: string): never => {
    throw new InputError([{ file, path: '', message }]);
  };
  let fd: number;
  try {
    // Non-blocking, so that a FIFO with no writer is refused below instead of waited on.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return refuse(`cannot read scenario: ${(err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) refuse('cannot read scenario: not a regular file');
    if (st.size > MAX_SCENARIO_BYTES) {
      refuse(`the scenario file has ${st.size} bytes, more than the ${MAX_SCENARIO_BYTES} (16 MiB) a scenario may have: put large job lists in a trace file (docs/traces.md)`);
    }
    // Read in chunks up to one past the limit: the size reported is not trusted (a file may grow).
    const chunks: Buffer[] = [];
    let got = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const k = readSync(fd, chunk, 0, chunk.length, null);
      if (k === 0) break;
      chunks.push(chunk.subarray(0, k));
      got += k;
      if (got > MAX_SCENARIO_BYTES) refuse(`the scenario file has more than the ${MAX_SCENARIO_BYTES} bytes (16 MiB) a scenario may have`);
    }
    const used = Buffer.concat(chunks, got);
    return { text: used.toString('utf8'), sha256: createHash('sha256').update(used).digest('hex') };
  } catch (err) {
    if (err instanceof InputError) throw err;
    return refuse(`cannot read scenario: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
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
  checkTraceStarts(a.scenario);
  return { scenario: a.scenario, file, sha256, overrides, allocator };
}

/**
 * Where field paths lie in a scenario file: line and column of the deepest node on the path (of
 * its key, with `atKey`); nothing when the file cannot be read or parsed.
 */
export function scenarioLocator(file: string): (path: readonly PropertyKey[], atKey?: boolean) => { line?: number; col?: number } {
  try {
    return readYaml(readScenarioFile(file).text, file).locate;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return () => ({});
  }
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
  const y = readYaml(text, file);
  if (y.data === undefined) throw new InputError(y.problems);
  const data = y.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError([...y.problems, { file, line: 1, col: 1, path: '', message: 'a scenario is a mapping (YAML or JSON object)' }]);
  }
  const problems: Problem[] = [...y.problems];
  // The walk made fresh objects for every use of an anchor, so `--set` on one use
  // (frameworks.3.behaviour.x) leaves the others alone.
  const flagProblems: Problem[] = [];
  for (const o of overrides) flagProblems.push(...applyOverride(data as Record<string, unknown>, o, '--set'));
  if (flagProblems.length > 0) throw new InputError([...problems, ...flagProblems]);

  const where = y.locate;
  // The text's own problems (a non-finite number, a duplicate key) are reported once: the
  // schema's complaints about the same values are left out.
  const bad = new Set(y.badPaths.map((p) => formatPath(p)));
  const underBad = (path: readonly PropertyKey[]): boolean => {
    if (bad.size === 0) return false;
    for (let i = 0; i <= path.length; i++) if (bad.has(formatPath(path.slice(0, i)))) return true;
    return false;
  };
  const result = ScenarioSchema.safeParse(data);
  if (!result.success) {
    for (const issue of flattenIssues(result.error.issues, data)) {
      if (underBad(issue.path)) continue;
      problems.push({ file, ...where(issue.path, issue.atKey), path: formatPath(issue.path), message: issue.message });
    }
    return { data, scenario: undefined, problems: problems.sort(byPosition), where };
  }
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where };
  const s = result.data;
  setScenarioBase(s, dirname(resolve(file)));
  const report = (path: PropertyKey[], message: string): void => { problems.push({ file, ...where(path), path: formatPath(path), message }); };
  traceChecks(s, dirname(resolve(file)), report);
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where };
  // What the run would need, estimated before anything is built (35 million agents would exhaust
  // memory here, before the run).
  for (const p of sizeProblems(s)) report(p.path, p.message);
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

/**
 * Applies one `key=value` flag (`--set`, a sweep point) to `root`: the key a dotted path, the
 * value read as YAML. Returns its problems (none when applied), named by `flag`.
 */
export function applyOverride(root: Record<string, unknown>, text: string, flag: string): Problem[] {
  const eq = text.indexOf('=');
  if (eq <= 0) return [{ file: flag, path: excerpt(text), message: 'expected key=value' }];
  const key = text.slice(0, eq);
  const keys = key.split('.');
  for (const k of keys) {
    if (k === '') return [{ file: flag, path: key, message: 'a field path has no empty parts (a.b.c)' }];
    if (RESERVED_KEYS.has(k)) return [{ file: flag, path: key, message: `"${k}" is not allowed in a field path` }];
  }
  const value = readFlagValue(text.slice(eq + 1), flag, key);
  if (!value.ok) return value.problems;
  const err = setPath(root, keys, value.value);
  return err === undefined ? [] : [{ file: flag, path: key, message: err }];
}

/**
 * A flag's value (`--set k=VALUE`, `--option k=VALUE`) read as YAML: plain data, or the problems
 * of the text (syntax, an undefined alias, a non-finite number...), each naming the flag and key.
 */
export function readFlagValue(text: string, flag: string, key: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  const y = readYaml(text, flag);
  if (y.problems.length === 0) return { ok: true, value: y.data };
  return { ok: false, problems: y.problems.map((p) => ({ file: flag, path: key, message: p.path === '' ? p.message : `${p.path}: ${p.message}` })) };
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

/**
 * Zod's issues as problems. Unions report the branch that matched the input's shape, or one line
 * naming the alternatives; a value that is absent "is missing" (zod says "received undefined").
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], data: unknown, prefix: readonly PropertyKey[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch whose errors lie deepest got furthest: the input had that branch's shape.
      const scored = issue.errors.map((errs) => ({ errs, depth: Math.max(0, ...errs.map((e) => e.path.length)) }));
      scored.sort((a, b) => b.depth - a.depth);
      const best = scored[0]!;
      if (best.depth > 0 && (scored.length === 1 || scored[1]!.depth < best.depth)) {
        out.push(...flattenIssues(best.errs, data, path));
        continue;
      }
      const expected = issue.errors.map((errs) => errs[0]?.message ?? '').filter((m) => m !== '');
      out.push({ path, message: `none of the accepted forms matched (${[...new Set(expected)].join('; ')})` });
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ path: [...path, k], message: `unknown field "${excerpt(k)}"`, atKey: true });
      continue;
    }
    const absent = valueAt(data, path) === undefined;
    if (issue.code === 'invalid_type' && absent) {
      out.push({ path, message: `is missing (expected ${issue.expected})` });
      continue;
    }
    if (issue.code === 'invalid_union' && absent && 'discriminator' in issue) {
      const options = (issue as { options?: readonly unknown[] }).options ?? [];
      out.push({ path, message: `is missing (one of ${options.map((o) => JSON.stringify(o)).join(', ')})` });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}

/** The value at a field path of parsed data (own fields only); undefined when the path leads nowhere. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
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
  if (agents.length > MAX_AGENTS) report(['cluster'], `the cluster has ${agents.length.toLocaleString('en-US')} agents (groups and traces), more than the ${MAX_AGENTS.toLocaleString('en-US')} a cluster may have`);
  // Cluster totals in fixed point: every sum the master and the sorters make stays below them.
  const total = new Float64Array(NUM_RESOURCES);
  for (const a of agents) for (let k = 0; k < NUM_RESOURCES; k++) total[k]! += a.res[k]!;
  for (const r of ['cpus', 'mem', 'disk', 'gpus'] as const) {
    if (fromFixed(total[R[r]]!) > MAX_RESOURCE_AMOUNT) {
      report(['cluster'], `the cluster's agents hold ${fromFixed(total[R[r]]!).toLocaleString('en-US')} ${r} in all, more than ${MAX_RESOURCE_AMOUNT.toLocaleString('en-US')} (amounts are exact in thousandths below 2^53)`);
    }
  }
  // Agents differ in few shapes (a group is one): a task is compared with each distinct shape once.
  const shapes = new Map<string, Float64Array>();
  for (const a of agents) shapes.set(a.res.join(','), a.res);
  const fitsShape = new Map<string, boolean>();
  const fits = (cpus: number, mem: number, disk: number, gpus: number): boolean => {
    const need = resources({ cpus, mem, disk, gpus });
    const key = need.join(',');
    let ok = fitsShape.get(key);
    if (ok === undefined) {
      ok = false;
      for (const res of shapes.values()) if (need.every((v, k) => res[k]! >= v)) { ok = true; break; }
      fitsShape.set(key, ok);
    }
    return ok;
  };
  // The non-offer baselines place task by task: a gang could not start at once there.
  const spec = allocatorSpec(s.allocator);
  const mode = spec.name === undefined ? undefined : getAllocator(spec.name)?.architecture;
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
        const have = fromFixed(total[R[r]]!);
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
  orderChecks(s, agents, report);
  spanChecks(s, report);
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

/**
 * Nothing happens to a framework or an agent before it exists: a job is not submitted, nor a
 * Poisson workload started, before its framework's `addAt` (its subscription); a scheduler does
 * not fail over before it subscribes; an agent does not fail before it registers. At the same
 * instant the subscription or registration comes first. (Random failures start at the later of
 * `from` and each agent's registration: docs/scenarios.md.)
 */
function orderChecks(s: Scenario, agents: readonly AgentSpec[], report: (path: PropertyKey[], message: string) => void): void {
  s.frameworks.forEach((f, i) => {
    const subscribes = seconds(f.addAt);
    const w = f.workload;
    if (w?.kind === 'poisson' && w.start !== undefined && seconds(w.start) < subscribes) {
      report(['frameworks', i, 'workload', 'start'], `arrivals would start at ${w.start} s, before framework "${f.name}" subscribes (addAt ${f.addAt} s): start at or after addAt`);
    }
    if (w?.kind === 'inline') {
      w.jobs.forEach((j, k) => {
        if (seconds(j.submit) < subscribes) {
          report(['frameworks', i, 'workload', 'jobs', k, 'submit'], `job ${excerpt(j.id ?? `${f.name}/${k}`)} would arrive at ${j.submit} s, before framework "${f.name}" subscribes (addAt ${f.addAt} s)`);
        }
      });
    }
    if (f.failover !== undefined && seconds(f.failover.disconnectAt) < subscribes) {
      report(['frameworks', i, 'failover', 'disconnectAt'], `framework "${f.name}" would disconnect at ${f.failover.disconnectAt} s, before it subscribes (addAt ${f.addAt} s)`);
    }
  });
  const registers = new Map(agents.map((a) => [a.name, a.addAt ?? 0]));
  s.failures?.agents.forEach((f, i) => {
    const at = registers.get(f.agent);
    if (at !== undefined && seconds(f.at) < at) {
      report(['failures', 'agents', i, 'at'], `agent ${excerpt(f.agent)} would fail at ${f.at} s, before it registers (addAt ${at / MICROS_PER_SECOND} s)`);
    }
  });
}

/**
 * Spans the schema cannot see whole: a batch framework's tasks run `remoteSlowdown` times longer
 * when not node-local, and that run time must still fit in a span (scenarios/limits.ts).
 */
function spanChecks(s: Scenario, report: (path: PropertyKey[], message: string) => void): void {
  s.frameworks.forEach((f, i) => {
    const slow = typeof f.behaviour === 'object' && f.behaviour.kind === 'batch' ? f.behaviour.remoteSlowdown ?? 1 : 1;
    if (slow <= 1) return;
    const w = f.workload;
    let longest = 0;
    if (w?.kind === 'poisson') longest = largestDraw(w.task.duration);
    else if (w?.kind === 'inline') for (const j of w.jobs) for (const t of j.tasks) longest = Math.max(longest, t.duration);
    if (longest * slow > MAX_SPAN_SECONDS) {
      report(['frameworks', i, 'behaviour', 'remoteSlowdown'], `a task of up to ${longest} s run ${slow} times slower would last ${longest * slow} s, more than the ${MAX_SPAN_SECONDS} s a span may be`);
    }
  });
}

/**
 * Sets a dotted path inside parsed data (own fields only: a path never reaches a prototype);
 * returns an error message or undefined. Missing mappings and lists on the way are created.
 */
function setPath(root: Record<string, unknown>, keys: readonly string[], value: unknown): string | undefined {
  let cur: unknown = root;
  const fresh = (nextKey: string): unknown => (/^\d+$/.test(nextKey) ? [] : {});
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    let next: unknown;
    if (Array.isArray(cur)) {
      const idx = listIndex(k);
      if (idx === undefined || idx >= cur.length) return `index ${excerpt(k)} is not in the list (length ${cur.length})`;
      next = cur[idx];
      if (next === undefined || next === null) cur[idx] = next = fresh(keys[i + 1]!);
    } else {
      const obj = cur as Record<string, unknown>;
      next = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
      if (next === undefined || next === null) obj[k] = next = fresh(keys[i + 1]!);
    }
    if (typeof next !== 'object') return `${keys.slice(0, i + 1).join('.')} is not a mapping or list`;
    cur = next;
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(cur)) {
    // One past the end appends.
    const idx = listIndex(last);
    if (idx === undefined || idx > cur.length) return `index ${excerpt(last)} is not in the list (length ${cur.length})`;
    cur[idx] = value;
  } else (cur as Record<string, unknown>)[last] = value;
  return undefined;
}

/** A list index written as decimal digits. */
function listIndex(k: string): number | undefined {
  return /^\d{1,9}$/.test(k) ? Number(k) : undefined;
}
