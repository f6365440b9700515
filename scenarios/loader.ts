/**
 * Reads a scenario file (YAML or JSON), applies `--set key=value` overrides, validates it, and
 * reports every problem at once with file, line, column and field path. {@link openScenario} also
 * imports and checks a user-written allocator module (async); {@link loadScenario} does not.
 * Its parts: the text and where paths lie in it (yaml-input.ts), overrides (overrides.ts), the
 * schema's issues as problems (schema-issues.ts), the rules beyond the schema (scenario-checks.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getAllocator } from '../allocators/registry.js';
import type { AllocatorEntry } from '../allocators/types.js';
import { checkTraceStarts, sizeProblems, yarnScenario } from './build.js';
import { yarnProblems } from './yarn-settings.js';
import { InputError, excerpt, formatPath, type Problem } from './errors.js';
import { MAX_SCENARIO_BYTES } from './limits.js';
import { applyOverride } from './overrides.js';
import { rankingPortProblem, semanticChecks, traceChecks } from './scenario-checks.js';
import { byPosition, flattenIssues } from './schema-issues.js';
import { fieldUnitAt } from './field-units.js';
import { ALLOCATOR_MODULE_EXTENSIONS, ScenarioSchema, allocatorOptions, allocatorSpec, runArchitecture, type Scenario } from './schema.js';
import { prepareTraces, setScenarioBase } from './trace-files.js';
import { checkCreate, checkModuleParams, importAllocatorModule, resolveModulePath, type ImportOutcome, type UserModuleSource } from './user-allocator.js';
import { readYaml } from './yaml-input.js';

export { applyOverride, readFlagValue } from './overrides.js';

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
  /** the file's text as read (a run directory keeps it as scenario.yaml) */
  readonly text: string;
  /** the overrides applied, in order */
  readonly overrides: readonly string[];
  /**
   * the allocator to run: always set for a registered policy; for a user module (`allocator.module`)
   * set by {@link openScenario} and undefined after {@link loadScenario}, which does not import it
   */
  readonly allocator: ResolvedAllocator | undefined;
}

export { formatPath } from './errors.js';

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
      refuse(
        `the scenario file has ${st.size} bytes, more than the ${MAX_SCENARIO_BYTES} (16 MiB) a scenario may have: put large job lists in a trace file (docs/traces.md)`,
      );
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
  return { scenario, file, sha256, text, overrides, allocator: registered(scenario) };
}

/**
 * Loads and validates a scenario file, and imports and checks its user allocator module if it
 * names one (`allocator.module`, relative to the scenario file): the module loads, exports an
 * entry with the interface, its parameters pass the entry's check and `create(options)` returns
 * an object with every Allocator method. Throws {@link InputError} listing every problem, the
 * module's among the scenario's, each at the `allocator` field's line.
 * @param modules modules imported before (a sweep's points share one map, so that each distinct
 *   module is imported once); default none
 * @param setFlags the overrides are `--set` flags, and a problem one causes names it; false for a
 *   sweep point's parameters (sweep-points.ts reports those at the sweep block); default true
 */
export async function openScenario(file: string, overrides: readonly string[] = [], modules?: ModuleCache, setFlags = true): Promise<LoadedScenario> {
  const { text, sha256 } = readScenarioFile(file);
  const a = analyse(text, file, overrides, setFlags);
  const problems = [...a.problems];
  const report = (path: PropertyKey[], message: string): void => {
    problems.push(a.problemAt(path, message));
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
      const createProblems = paramProblems.length === 0 ? checkCreate(mod, options) : [];
      for (const m of createProblems) report(['allocator', 'module'], m);
      const arch = runArchitecture(a.scenario);
      if (paramProblems.length === 0 && createProblems.length === 0 && arch !== 'offers') {
        const why = rankingPortProblem(mod.entry.create(options), `the module "${mod.source.spec}"`, arch);
        if (why !== undefined) report(['architecture'], why);
      }
      // The module's guard (guardAllocator) passes no multi-role calls: such frameworks need a registered policy.
      a.scenario.frameworks.forEach((f, i) => {
        if (f.roles !== undefined)
          report(
            ['frameworks', i, 'roles'],
            `the module "${mod.source.spec}" is given no multi-role frameworks: choose a registered policy that takes them (drf, random, asset, cpu-share)`,
          );
      });
      allocator = { entry: mod.entry, module: mod.source };
    }
  }
  if (problems.length > 0 || a.scenario === undefined) throw new InputError(problems.sort(byPosition));
  await prepareTraces(a.scenario, file);
  checkTraceStarts(a.scenario);
  if (runArchitecture(a.scenario) === 'yarn') {
    // Queues of the frameworks the traces create (read only now that the traces are opened).
    const yp = yarnProblems(yarnScenario(a.scenario)).map((p) => a.problemAt(p.path, p.message));
    if (yp.length > 0) throw new InputError(yp.sort(byPosition));
  }
  return { scenario: a.scenario, file, sha256, text, overrides, allocator };
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
  /** the problem at a field path: at its line in the file, or naming the `--set` that gave the field its value */
  readonly problemAt: (path: readonly PropertyKey[], message: string, atKey?: boolean) => Problem;
}

/**
 * Where a problem at a field path is reported: at the `--set` that last wrote the field or a
 * mapping above it (`--set master.allocationInterval=abc: ...`; the field's path only when it
 * lies below the one set), else at the field's line in `file`. The file's line would be wrong:
 * the value is not the file's.
 */
function problemLocator(
  file: string,
  overrides: readonly string[],
  where: Analysis['where'],
): (path: readonly PropertyKey[], message: string, atKey?: boolean) => Problem {
  const set = overrides.map((text) => ({ text, keys: text.slice(0, Math.max(0, text.indexOf('='))).split('.') }));
  return (path, message, atKey) => {
    const o = set.findLast((s) => s.keys.length <= path.length && s.keys.every((k, i) => k === String(path[i])));
    if (o === undefined) return { file, ...where(path, atKey), path: formatPath(path), message };
    return { file: `--set ${excerpt(o.text)}`, path: path.length === o.keys.length ? '' : formatPath(path), message };
  };
}

/**
 * Parses and validates scenario text. Throws {@link InputError} for problems that stop the reading
 * (YAML syntax, not a mapping, bad overrides); returns schema and semantic problems.
 */
function analyse(text: string, file: string, overrides: readonly string[], setFlags = true): Analysis {
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
  const problemAt = problemLocator(file, setFlags ? overrides : [], where);
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
    for (const issue of flattenIssues(result.error.issues, data, [], ScenarioSchema, (path) => fieldUnitAt(ScenarioSchema, path))) {
      if (underBad(issue.path)) continue;
      problems.push(problemAt(issue.path, issue.message, issue.atKey));
    }
    return { data, scenario: undefined, problems: problems.sort(byPosition), where, problemAt };
  }
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where, problemAt };
  const s = result.data;
  setScenarioBase(s, dirname(resolve(file)));
  const report = (path: PropertyKey[], message: string): void => {
    problems.push(problemAt(path, message));
  };
  traceChecks(s, dirname(resolve(file)), report);
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where, problemAt };
  // What the run would need, estimated before anything is built (35 million agents would exhaust
  // memory here, before the run).
  for (const p of sizeProblems(s)) report(p.path, p.message);
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where, problemAt };
  try {
    semanticChecks(s, report);
  } catch (err) {
    // A cluster trace that cannot be read: its problems join the others.
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0) return { data, scenario: undefined, problems: problems.sort(byPosition), where, problemAt };
  return { data, scenario: s, problems, where, problemAt };
}
