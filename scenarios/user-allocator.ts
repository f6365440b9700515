/**
 * User-written allocators: a scenario's `allocator: { module: ./my-allocator.js }` is imported
 * (dynamic import), checked against the Allocator interface of the allocation port, and wrapped
 * so that an exception it throws names the module. Composition root: reads files, may spawn
 * `node --check` to locate a syntax error; never the wall clock or the environment.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSharePolicy, sharePolicy, type SharePolicyEntry } from '../allocators/share-policy.js';
import { checkParams, type Allocator, type AllocatorEntry, type AllocatorOptions, type ParamProblem } from '../allocators/types.js';
import { InvariantError } from '../sim/kernel/errors.js';
import { UserAllocatorError } from './errors.js';

/** The methods every allocator must have (the allocation port's `Allocator`, sim/model/allocation-port.ts), in the interface's order. */
export const ALLOCATOR_METHODS = [
  'setWeight',
  'addFramework',
  'removeFramework',
  'activateFramework',
  'deactivateFramework',
  'addAgent',
  'removeAgent',
  'recover',
  'allocate',
] as const;

/** Where a user allocator came from: recorded in manifest.json `inputs`. */
export interface UserModuleSource {
  /** the path as the scenario writes it (relative to the scenario file, or absolute) */
  readonly spec: string;
  /** the resolved absolute path */
  readonly path: string;
  /** sha256 of the module file's bytes (the file itself, not what it imports) */
  readonly sha256: string;
}

/** A user module, imported and checked: its entry (wrapped, see {@link guardEntry}) and its source. */
export interface UserAllocatorModule {
  /** the entry the run uses: exceptions from the module's code name the module */
  readonly entry: AllocatorEntry;
  /** the entry as the module exports it (a ranking-only policy's made whole: see allocators/share-policy.ts) */
  readonly exported: AllocatorEntry;
  readonly source: UserModuleSource;
}

/** The outcome of {@link importAllocatorModule}: the module, or every problem found with it. */
export type ImportOutcome = { readonly ok: true; readonly module: UserAllocatorModule } | { readonly ok: false; readonly problems: readonly string[] };

/** The absolute path of a module named `spec` by the scenario file `scenarioFile`. */
export function resolveModulePath(spec: string, scenarioFile: string): string {
  return resolve(dirname(resolve(scenarioFile)), spec);
}

/**
 * Imports the allocator module `spec` (relative to `scenarioFile`) and checks its export: a
 * default export (or one named `allocator`) that is an entry `{ name, description, create }`,
 * or a ranking-only policy `{ name, description, share }`, with optional `params` and
 * `validate`. Does not call `create` (see {@link checkCreate}).
 * Every message names the module as the scenario writes it.
 */
export async function importAllocatorModule(spec: string, scenarioFile: string): Promise<ImportOutcome> {
  const path = resolveModulePath(spec, scenarioFile);
  const label = `"${spec}"`;
  const fail = (...problems: string[]): ImportOutcome => ({ ok: false, problems });
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) return fail(`${label} is a directory (${path}); name the .js or .mjs file`);
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail(`cannot find the allocator module ${label}: no file ${path}`);
    return fail(`cannot read the allocator module ${label} (${path}): ${(err as Error).message}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    return fail(`${label} does not load: ${describeLoadError(err, path)}`);
  }
  const hasDefault = 'default' in ns && ns['default'] !== undefined;
  const exported = hasDefault ? ns['default'] : ns['allocator'];
  const which = hasDefault ? 'its default export' : 'its export "allocator"';
  if (exported === undefined) {
    const names = Object.keys(ns).sort();
    return fail(
      `${label} exports no allocator: expected a default export (or an export named "allocator") ` +
        `{ name, description, create(options) }; it exports ${names.length === 0 ? 'nothing' : names.join(', ')}`,
    );
  }
  if (typeof exported === 'function') {
    return fail(`${label}: ${which} is a function; export the entry object { name, description, create(options) } ` + '(a class or factory goes in create)');
  }
  if (exported === null || typeof exported !== 'object') {
    return fail(`${label}: ${which} is ${describeValue(exported)}, not an entry { name, description, create(options) }`);
  }
  const e = exported as Record<string, unknown>;
  const missing: string[] = [];
  if (typeof e['name'] !== 'string' || e['name'] === '' || /[\r\n]/.test(e['name'])) missing.push('name (a non-empty one-line string)');
  if (typeof e['description'] !== 'string' || /[\r\n]/.test(e['description'])) missing.push('description (a one-line string)');
  const ranking = isSharePolicy(e);
  if (typeof e['create'] !== 'function' && !ranking) missing.push('create(options) (a function returning the allocator)');
  if (e['validate'] !== undefined && typeof e['validate'] !== 'function') missing.push('validate(params) (optional, but a function when given)');
  if (e['params'] !== undefined && !isParamDocs(e['params'])) {
    missing.push('params (optional, but a list of { name, description, default } strings when given)');
  }
  if (missing.length > 0) return fail(`${label}: ${which} lacks ${missing.join(', ')}`);
  const source: UserModuleSource = { spec, path, sha256 };
  const entry = ranking ? sharePolicy(e as unknown as SharePolicyEntry) : (e as unknown as AllocatorEntry);
  return { ok: true, module: { entry: guardEntry(entry, source), exported: entry, source } };
}

/**
 * The problems of `params` for a module's entry: its `validate` (or, without one, a problem for
 * each name its `params` does not document). A `validate` that throws or answers something else
 * than a list of `{ path, message }` is itself a problem, at the path [].
 */
export function checkModuleParams(mod: UserAllocatorModule, params: Readonly<Record<string, unknown>>): ParamProblem[] {
  const label = `"${mod.source.spec}"`;
  let answer: unknown;
  try {
    answer = checkParams(mod.exported, params);
  } catch (err) {
    return [{ path: [], message: `${label}: validate(params) threw ${describeError(err, mod.source.path)}` }];
  }
  const ok =
    Array.isArray(answer) &&
    answer.every((p: unknown) => {
      const r = p as { path?: unknown; message?: unknown } | null;
      return (
        r !== null &&
        typeof r === 'object' &&
        typeof r.message === 'string' &&
        Array.isArray(r.path) &&
        r.path.every((k: unknown) => typeof k === 'string' || typeof k === 'number')
      );
    });
  if (!ok) return [{ path: [], message: `${label}: validate(params) returned ${describeValue(answer)}, not a list of { path, message } problems` }];
  return answer as ParamProblem[];
}

/**
 * Calls the entry's `create(options)` once, as the run will, and checks the object it returns:
 * every method of {@link ALLOCATOR_METHODS} and a string `name`. Returns the problems (none: []).
 * The allocator made here is thrown away; the run makes its own.
 */
export function checkCreate(mod: UserAllocatorModule, options: AllocatorOptions): string[] {
  const label = `"${mod.source.spec}"`;
  let made: unknown;
  try {
    made = mod.exported.create(options);
  } catch (err) {
    return [`${label}: create(options) threw ${describeError(err, mod.source.path)}`];
  }
  if (made === null || typeof made !== 'object') return [`${label}: create(options) returned ${describeValue(made)}, not an allocator object`];
  const a = made as Record<string, unknown>;
  const missing: string[] = [];
  if (typeof a['name'] !== 'string') missing.push('name (a string)');
  for (const m of ALLOCATOR_METHODS) if (typeof a[m] !== 'function') missing.push(`${m}()`);
  return missing.length === 0 ? [] : [`${label}: the object create(options) returned lacks ${missing.join(', ')}`];
}

/**
 * The entry with `create` and `validate` wrapped: an exception thrown by the module's code
 * becomes a {@link UserAllocatorError} naming the module and the method (an {@link InvariantError}
 * raised by the master while the module runs passes through unchanged).
 */
export function guardEntry(entry: AllocatorEntry, source: UserModuleSource): AllocatorEntry {
  return {
    name: entry.name,
    description: entry.description,
    ...(entry.params === undefined ? {} : { params: entry.params }),
    ...(entry.validate === undefined
      ? {}
      : { validate: (params: Readonly<Record<string, unknown>>) => call(source, 'validate', () => entry.validate!(params)) }),
    create: (options: AllocatorOptions) =>
      guardAllocator(
        call(source, 'create', () => entry.create(options)),
        source,
      ),
  };
}

/**
 * An allocator whose every method reports an exception as a {@link UserAllocatorError}; the
 * ranking port (frameworkOrder and allocated), and reserve and unreserve (dynamic reservations),
 * are there when the module's allocator has them.
 */
export function guardAllocator(a: Allocator, source: UserModuleSource): Allocator {
  const { frameworkOrder, allocated, reserve, unreserve } = a;
  const reservations: Pick<Allocator, 'reserve' | 'unreserve'> =
    reserve === undefined || unreserve === undefined
      ? {}
      : {
          reserve: (fw, agent, role, res) => call(source, 'reserve', () => reserve.call(a, fw, agent, role, res)),
          unreserve: (fw, agent, role, res) => call(source, 'unreserve', () => unreserve.call(a, fw, agent, role, res)),
        };
  const port: Pick<Allocator, 'frameworkOrder' | 'allocated'> =
    frameworkOrder === undefined || allocated === undefined
      ? {}
      : {
          frameworkOrder: (rng) => call(source, 'frameworkOrder', () => frameworkOrder.call(a, rng)),
          allocated: (fw, agent, res, reserved) =>
            call(source, 'allocated', () => (reserved === undefined ? allocated.call(a, fw, agent, res) : allocated.call(a, fw, agent, res, reserved))),
        };
  return {
    ...port,
    ...reservations,
    get name(): string {
      return a.name;
    },
    setWeight: (role, weight) => call(source, 'setWeight', () => a.setWeight(role, weight)),
    addFramework: (fw) => call(source, 'addFramework', () => a.addFramework(fw)),
    removeFramework: (fw) => call(source, 'removeFramework', () => a.removeFramework(fw)),
    activateFramework: (fw) => call(source, 'activateFramework', () => a.activateFramework(fw)),
    deactivateFramework: (fw) => call(source, 'deactivateFramework', () => a.deactivateFramework(fw)),
    addAgent: (agent, total, reserved) =>
      call(source, 'addAgent', () => (reserved === undefined ? a.addAgent(agent, total) : a.addAgent(agent, total, reserved))),
    removeAgent: (agent, total) => call(source, 'removeAgent', () => a.removeAgent(agent, total)),
    recover: (fw, agent, res, reserved) =>
      call(source, 'recover', () => (reserved === undefined ? a.recover(fw, agent, res) : a.recover(fw, agent, res, reserved))),
    allocate: (ctx, agents, rng) => call(source, 'allocate', () => a.allocate(ctx, agents, rng)),
  };
}

function call<T>(source: UserModuleSource, method: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof InvariantError || err instanceof UserAllocatorError) throw err;
    throw new UserAllocatorError(source.spec, method, describeError(err, source.path), err);
  }
}

function isParamDocs(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.every((p) => {
      if (p === null || typeof p !== 'object') return false;
      const r = p as Record<string, unknown>;
      return typeof r['name'] === 'string' && typeof r['description'] === 'string' && typeof r['default'] === 'string';
    })
  );
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`;
}

/** `Name: message`, and where in the module it was thrown when the stack says (`at file.js:12:5`). */
export function describeError(err: unknown, path: string): string {
  if (!(err instanceof Error)) return `a non-error value: ${String(err)}`;
  const where = frameIn(err.stack ?? '', path);
  return `${err.name}: ${err.message}${where === undefined ? '' : ` (at ${where})`}`;
}

/** The first stack frame inside `path`, as `file.js:line:col`, or undefined. */
function frameIn(stack: string, path: string): string | undefined {
  const url = pathToFileURL(path).href;
  for (const line of stack.split('\n')) {
    for (const prefix of [url, path]) {
      const at = line.indexOf(`${prefix}:`);
      if (at < 0) continue;
      const m = /^:(\d+):(\d+)/.exec(line.slice(at + prefix.length));
      if (m !== null) return `${basename(path)}:${m[1]}:${m[2]}`;
    }
  }
  return undefined;
}

/**
 * Why an import failed. Node's SyntaxError from a dynamic import says neither file nor line, so
 * for one in the module itself `node --check` is asked where it is.
 */
function describeLoadError(err: unknown, path: string): string {
  const base = describeError(err, path);
  if (!(err instanceof SyntaxError) || / \(at [^)]*:\d+:\d+\)$/.test(base)) return base;
  const line = syntaxErrorLine(path);
  return line === undefined ? base : `${base} (at ${basename(path)}:${line})`;
}

function syntaxErrorLine(path: string): number | undefined {
  try {
    execFileSync(process.execPath, ['--check', path], { stdio: 'pipe', timeout: 10_000 });
    return undefined; // the module itself parses: the error is in something it imports
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    const first = stderr.split('\n')[0] ?? '';
    const m = /^(.*):(\d+)$/.exec(first);
    return m !== null && resolve(m[1]!) === path ? Number(m[2]) : undefined;
  }
}
