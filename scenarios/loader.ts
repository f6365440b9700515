/**
 * Reads a scenario file (YAML or JSON), applies `--set key=value` overrides, validates it, and
 * reports every problem at once with file, line, column and field path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, parse as parseYaml, isMap, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError, type Problem } from './errors.js';
import { ScenarioSchema, type Scenario } from './schema.js';

/** A validated scenario and where it came from. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** the file as given */
  readonly file: string;
  /** sha256 of the file's bytes */
  readonly sha256: string;
  /** the overrides applied, in order */
  readonly overrides: readonly string[];
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

/**
 * Loads and validates a scenario file; throws {@link InputError} listing every problem.
 * @param overrides `key=value` strings; keys are dotted paths (`frameworks.0.workload.rate`), values YAML scalars
 */
export function loadScenario(file: string, overrides: readonly string[] = []): LoadedScenario {
  let text: string;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
    text = bytes.toString('utf8');
  } catch (err) {
    throw new InputError([{ file, path: '', message: `cannot read scenario: ${(err as Error).message}` }]);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ...parseScenarioText(text, file, overrides), sha256, overrides };
}

/** Validates scenario text (YAML is a superset of JSON); `file` is used in messages only. */
export function parseScenarioText(text: string, file: string, overrides: readonly string[] = []): { scenario: Scenario; file: string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, col: pos.col, path: '', message: `syntax: ${e.message.split('\n')[0]}` });
  }
  if (problems.length > 0) throw new InputError(problems);
  let data: unknown = doc.toJS({ maxAliasCount: 1000 });
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
    throw new InputError(problems.sort(byPosition));
  }
  const s = result.data;
  semanticChecks(s, (path, message) => problems.push({ file, ...where(path), path: formatPath(path), message }));
  if (problems.length > 0) throw new InputError(problems.sort(byPosition));
  return { scenario: s, file };
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

function semanticChecks(s: Scenario, report: (path: PropertyKey[], message: string) => void): void {
  // Roles named in `roles` without a framework are allowed (weights may be set ahead of time).
  const prefixes = new Map<string, number>();
  s.cluster.agents.forEach((g, i) => {
    const prev = prefixes.get(g.prefix);
    if (prev !== undefined) report(['cluster', 'agents', i, 'prefix'], `agent name prefix "${g.prefix}" is used by cluster.agents[${prev}] too: names would clash`);
    else prefixes.set(g.prefix, i);
    if (g.cpus === 0 && g.mem === 0) report(['cluster', 'agents', i], 'an agent without cpus and mem is never offered (Mesos)');
  });
  // Every task must fit on some agent, or the run could never finish.
  const fits = (c: number, m: number, d: number, g: number): boolean =>
    s.cluster.agents.some((a) => a.cpus >= c && a.mem >= m && a.disk >= d && a.gpus >= g);
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
