/**
 * The inputs of `offersim compare`: run directories and sweep directories read into the runs the
 * comparison (reports/compare.ts) takes, each labelled by its policy (what differs between the
 * runs among the compared fields), after checking that every run ran the same workload.
 * Composition root: reads files.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPARE_CSV_COLUMNS, compareCsv, compareMarkdown, compareText, seedCount } from '../reports/compare-table.js';
import { DEFAULT_COMPARE_METRICS, compareRuns, summaryMetricInfo, type CompareRun, type Comparison } from '../reports/compare.js';
import { SUMMARY_METRICS } from '../reports/catalogue.js';
import { reportHtml } from '../reports/page-html.js';
import { compareSections } from '../reports/pages.js';
import { compareCharts } from '../reports/sweep-charts.js';
import { closest, didYouMean } from './did-you-mean.js';
import { InputError } from './errors.js';
import { readBundles } from './page-bundles.js';
import { readCsvRows, readJsonObject } from './json-file.js';
import { writeAtomic } from './output-files.js';
import { readFlagValue } from './overrides.js';
import { realPath, refuse, runManifestProblem, sweepDirProblem, within } from './output-guard.js';

/**
 * The fields whose values make a run's policy by default: the allocator (name or module, and
 * parameters), the architecture, and the yarn architecture's settings (its scheduler and theirs).
 */
export const DEFAULT_COMPARED_FIELDS: readonly string[] = ['allocator', 'architecture', 'yarn'];

/** One run directory, read. */
export interface RunInput {
  /** the run directory */
  readonly dir: string;
  readonly seed: number;
  /** manifest.json's resolved scenario */
  readonly resolved: Readonly<Record<string, unknown>>;
  readonly summary: CompareRun['summary'];
  readonly frameworks: CompareRun['frameworks'];
}

/** The run directories named by `dirs`: each a run directory, or a sweep directory's points (in point order). */
export function runDirectories(dirs: readonly string[]): string[] {
  if (dirs.length === 0) throw refuse('compare', 'name at least one run or sweep directory');
  const out: string[] = [];
  for (const d of dirs) {
    if (existsSync(join(d, 'sweep.json'))) {
      const why = sweepDirProblem(d);
      if (why !== undefined) throw refuse(d, `not an offersim sweep directory (${why})`);
      const sweep = readJsonObject(join(d, 'sweep.json'), '') as { points: unknown[] };
      for (const p of sweep.points) {
        const hash = typeof p === 'object' && p !== null ? (p as { hash?: unknown }).hash : undefined;
        if (typeof hash !== 'string' || !/^[0-9a-f]+$/.test(hash)) throw refuse(join(d, 'sweep.json'), 'a point without a hash');
        const dir = join(d, 'points', hash);
        // A point not run (failed, or another shard's) is no run to compare.
        if (existsSync(join(dir, 'manifest.json'))) out.push(dir);
      }
      continue;
    }
    const why = runManifestProblem(d);
    if (why !== undefined) throw refuse(d, `not an offersim run or sweep directory (${why})`);
    out.push(d);
  }
  if (out.length === 0) throw refuse(dirs[0]!, 'no finished runs to compare');
  return out;
}

/** A number of a JSON file or CSV cell: a finite number, else null. */
function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Reads run directory `dir`: manifest.json, summary.json and frameworks.csv. */
export function readRun(dir: string): RunInput {
  const manifest = readJsonObject(join(dir, 'manifest.json'), 'not a run directory (no manifest.json)');
  const resolved = manifest['resolved'];
  const seed = manifest['seed'];
  if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved) || typeof seed !== 'number')
    throw refuse(join(dir, 'manifest.json'), 'not an offersim run manifest (no resolved scenario and seed)');
  const raw = readJsonObject(join(dir, 'summary.json'), 'not a run directory (no summary.json)');
  const summary: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(raw)) summary[k] = numberOf(v);
  const frameworks = new Map<string, Record<string, number | null>>();
  const file = join(dir, 'frameworks.csv');
  const [head, ...rows] = readCsvRows(file, 'not a run directory (no frameworks.csv)');
  const at = head?.indexOf('framework') ?? -1;
  if (head === undefined || at < 0) throw refuse(file, 'no framework column');
  for (const cells of rows) {
    const values: Record<string, number | null> = {};
    head.forEach((k, i) => (values[k] = numberOf(cells[i])));
    // Frameworks may share a name: a later one is `name#2`, `name#3`, ... (rows are in registration order).
    const name = cells[at] ?? '';
    let label = name;
    for (let k = 2; frameworks.has(label); k++) label = `${name}#${k}`;
    frameworks.set(label, values);
  }
  return { dir, seed, resolved: resolved as Record<string, unknown>, summary, frameworks };
}

/** The value at dotted `path` of `obj`, or undefined. */
function valueAt(obj: unknown, path: string): unknown {
  let v = obj;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A deep copy of `obj` without dotted `paths`. */
function without(obj: Readonly<Record<string, unknown>>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let v: unknown = copy;
    for (const part of parts.slice(0, -1)) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
    if (typeof v === 'object' && v !== null) delete (v as Record<string, unknown>)[parts[parts.length - 1]!];
  }
  return copy;
}

/** The first path (in key order, then array index) where `a` and `b` differ, or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b))
    return JSON.stringify(a) === JSON.stringify(b) ? undefined : path === '' ? '(the whole scenario)' : path;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** A field's value as a label part: a string as it is, anything else as compact JSON. */
function labelPart(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined ? '(default)' : JSON.stringify(v);
}

/** Whether the runs' values of dotted `field` are not all the same. */
function differs(runs: readonly { resolved: unknown }[], field: string): boolean {
  return new Set(runs.map((r) => JSON.stringify(valueAt(r.resolved, field)) ?? '')).size > 1;
}

/**
 * The fields a varying compared `field` is labelled by: itself, or, when its values are mappings
 * (a settings block such as yarn, whose defaults fill many fields), the fields inside it that
 * differ between the runs that have it, so that a label names only what differs
 * (`yarn.scheduler=fair`, not the whole block). `inside`: a field of a mapping some runs lack.
 */
function labelFields(runs: readonly { resolved: unknown }[], field: string): { field: string; inside: boolean }[] {
  const having = runs.filter((r) => valueAt(r.resolved, field) !== undefined);
  const values = having.map((r) => valueAt(r.resolved, field));
  if (having.length === 0 || !values.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) return [{ field, inside: false }];
  const keys = [...new Set(values.flatMap((v) => Object.keys(v as object)))];
  const inner = keys.map((k) => `${field}.${k}`).filter((f) => differs(having, f));
  // Only its presence differs (the same block wherever it is given): the field itself.
  if (inner.length === 0) return [{ field, inside: false }];
  return inner.flatMap((f) => labelFields(having, f)).map((x) => ({ field: x.field, inside: true }));
}

/** Options of {@link compareInputs}. */
export interface CompareInputOptions {
  /** compared fields besides the defaults (dotted paths of the resolved scenario) */
  readonly by?: readonly string[];
  /** compare runs whose workloads differ; default false (refused) */
  readonly allowDifferentWorkloads?: boolean;
  /**
   * `FIELD=VALUE` conditions (a dotted path of the resolved scenario, a YAML value): only the runs
   * meeting all of them are compared (a sweep's points at one value of a swept workload parameter)
   */
  readonly where?: readonly string[];
}

/** The runs meeting every `--where FIELD=VALUE`; refused: a malformed condition, an unknown field, or no run left. */
function selectWhere(runs: readonly RunInput[], where: readonly string[]): RunInput[] {
  let left = [...runs];
  for (const w of where) {
    const eq = w.indexOf('=');
    const field = eq < 0 ? '' : w.slice(0, eq).trim();
    if (field === '' || field.split('.').some((p) => p.trim() === ''))
      throw new InputError([{ file: '--where', path: '', message: `"${w}" is no condition: give FIELD=VALUE, like frameworks.0.workload.rate=1` }]);
    checkField('--where', runs, field);
    // The value read as `--set` reads its values (YAML, within the input limits).
    const value = readFlagValue(w.slice(eq + 1), '--where', field);
    if (!value.ok) throw new InputError(value.problems);
    const want = JSON.stringify(value.value);
    const kept = left.filter((r) => JSON.stringify(valueAt(r.resolved, field)) === want);
    if (kept.length === 0) {
      const values = [...new Set(left.map((r) => labelPart(valueAt(r.resolved, field))))].sort();
      throw new InputError([{ file: '--where', path: '', message: `no run has ${field}=${want} (the runs' values: ${values.join(', ')})` }]);
    }
    left = kept;
  }
  return left;
}

/** Refuses (InputError naming the flag) a field no run's resolved scenario has, suggesting a near one. */
function checkField(flag: string, runs: readonly RunInput[], field: string): void {
  if (runs.some((r) => valueAt(r.resolved, field) !== undefined)) return;
  // The near field names: those beside where the path ends, in the first run's scenario.
  const parts = field.split('.');
  const parent = parts.length === 1 ? runs[0]!.resolved : valueAt(runs[0]!.resolved, parts.slice(0, -1).join('.'));
  const near = closest(parts.at(-1)!, parent !== null && typeof parent === 'object' ? Object.keys(parent) : []);
  const fix = near === undefined ? '' : `; did you mean "${[...parts.slice(0, -1), near].join('.')}"?`;
  throw new InputError([{ file: flag, path: '', message: `no run's resolved scenario has a field ${field}${fix}` }]);
}

/**
 * The runs of `dirs` labelled by policy. A run's label is its values of the compared fields that
 * differ between the runs (a single such field: its value; several: `field=value` joined by
 * spaces). Refused (InputError): two runs whose resolved scenarios differ outside the compared
 * fields and the seed (unless allowed), and two runs of one policy and seed.
 */
export function compareInputs(dirs: readonly string[], options: CompareInputOptions = {}): CompareRun[] {
  const fields = [...DEFAULT_COMPARED_FIELDS, ...(options.by ?? []).filter((f) => !DEFAULT_COMPARED_FIELDS.includes(f))];
  const bad = fields.find((f) => f.split('.').some((p) => p.trim() === ''));
  if (bad !== undefined)
    throw new InputError([{ file: '--by', path: '', message: `"${bad}" is no field: give a dotted path of the scenario, like master.offerGranularity` }]);
  const all = runDirectories(dirs).map(readRun);
  for (const f of options.by ?? []) checkField('--by', all, f);
  const runs = selectWhere(all, options.where ?? []);
  if (options.allowDifferentWorkloads !== true) {
    const first = without(runs[0]!.resolved, [...fields, 'seed']);
    for (const r of runs.slice(1)) {
      const diff = firstDifference(first, without(r.resolved, [...fields, 'seed']));
      if (diff !== undefined)
        throw refuse(
          r.dir,
          `ran a different workload from ${runs[0]!.dir} (their scenarios differ at ${diff}, which is not a compared field: name it with --by, or pass --allow-different-workloads)`,
        );
    }
  }
  const varying = fields.filter((f) => differs(runs, f));
  const shown = varying.length > 0 ? varying.flatMap((f) => labelFields(runs, f)) : [{ field: 'allocator', inside: false }];
  const labelled = runs.map((r) => {
    // A field inside a mapping that this run does not have (yarn.scheduler of an offers run) says nothing of it.
    const own = shown.filter(({ field, inside }) => !inside || valueAt(r.resolved, field.slice(0, field.lastIndexOf('.'))) !== undefined);
    const policy =
      shown.length === 1
        ? labelPart(valueAt(r.resolved, shown[0]!.field))
        : own.length === 0
          ? `${shown[0]!.field.split('.')[0]!}=(default)`
          : own.map(({ field }) => `${field}=${labelPart(valueAt(r.resolved, field))}`).join(' ');
    return { r, policy };
  });
  const seen = new Map<string, string>();
  for (const { r, policy } of labelled) {
    const key = `${policy}\u0000${r.seed}`;
    const other = seen.get(key);
    if (other !== undefined) throw refuse(r.dir, `the same policy (${policy}) and seed (${r.seed}) as ${other}: give each run once`);
    seen.set(key, r.dir);
  }
  return labelled.map(({ r, policy }) => ({ policy, seed: r.seed, summary: r.summary, frameworks: r.frameworks }));
}

/** Options of {@link compareCommand}: the flags of `offersim compare`. */
export interface CompareCommandOptions extends CompareInputOptions {
  /** the reference policy's label; default the policy of the first run */
  readonly reference?: string | undefined;
  /** `--metrics a,b`: summary metric keys; default {@link DEFAULT_COMPARE_METRICS} */
  readonly metrics?: string | undefined;
  /** also compare per framework; default false */
  readonly frameworks?: boolean;
  /** write the Markdown table here; default none */
  readonly markdown?: string | undefined;
  /** write the tidy CSV here; default none */
  readonly csv?: string | undefined;
  /** write the HTML page (tables and charts) here; default none */
  readonly html?: string | undefined;
}

/** The metric keys of `--metrics`, each a numeric summary metric of the catalogue. */
export function parseMetrics(flag: string | undefined): string[] {
  if (flag === undefined) return [...DEFAULT_COMPARE_METRICS];
  const keys = flag.split(',').map((k) => k.trim());
  const bad = keys.find((k) => summaryMetricInfo(k) === undefined);
  if (bad !== undefined)
    throw new InputError([
      {
        file: '--metrics',
        path: '',
        message:
          bad === ''
            ? 'an empty metric name: give keys of summary.json separated by commas'
            : `"${bad}" is no numeric metric of summary.json (docs/metrics.md)${didYouMean(
                bad,
                SUMMARY_METRICS.filter((m) => m.format !== 'text').map((m) => m.key),
              )}`,
      },
    ]);
  return keys.filter((k, i) => keys.indexOf(k) === i);
}

/** What offersim's compare outputs start with, to know one it may overwrite. */
const OUTPUT_MARKS = { markdown: '### offersim compare', csv: `${COMPARE_CSV_COLUMNS.join(',')}\n`, html: '<!DOCTYPE html>' } as const;

/** The title of compare's HTML page, which marks a page it may overwrite (with {@link OUTPUT_MARKS}' html). */
const HTML_TITLE = 'offersim compare';
const OUTPUT_NAMES = { markdown: 'a Markdown file', csv: 'a CSV file', html: 'an HTML page' } as const;

/**
 * Refuses `file` as an output of `flag` unless it is absent or a compare output offersim wrote,
 * and lies in none of the compared directories (a file there would make them no run directory).
 */
function checkOutputFile(file: string, flag: string, kind: keyof typeof OUTPUT_MARKS, inputs: readonly string[]): void {
  if (file.trim() === '') throw refuse(`${flag} ''`, 'an empty path names no file');
  const real = realPath(file);
  const input = inputs.find((d) => within(real, realPath(d)));
  if (input !== undefined) throw refuse(file, `${flag} names a path inside ${input}, a compared directory: write it elsewhere`);
  if (!existsSync(file)) return;
  if (!lstatSync(file).isFile()) throw refuse(file, `${flag} names an existing ${lstatSync(file).isDirectory() ? 'directory' : 'non-file'}, not a file`);
  const head = readFileSync(file, 'utf8').slice(0, 2000);
  if (!head.startsWith(OUTPUT_MARKS[kind]) || (kind === 'html' && !head.includes(`<title>${HTML_TITLE} - offersim report</title>`)))
    throw refuse(file, `exists and is not ${OUTPUT_NAMES[kind]} offersim compare wrote: move it away or name another ${flag}`);
}

/** What `offersim compare` computed and wrote. */
export interface CompareOutcome {
  readonly comparison: Comparison;
  /** the terminal table */
  readonly text: string;
  /** the files written */
  readonly written: readonly string[];
}

/**
 * `offersim compare DIR...`: reads the runs, compares them and writes the Markdown and CSV files
 * asked for (atomically, after every check). Bad input is an InputError naming the file or flag,
 * before anything is written.
 */
export function compareCommand(dirs: readonly string[], o: CompareCommandOptions = {}): CompareOutcome {
  const metrics = parseMetrics(o.metrics);
  const runs = compareInputs(dirs, o);
  const reference = o.reference ?? runs[0]!.policy;
  if (!runs.some((r) => r.policy === reference)) {
    const labels = [...new Set(runs.map((r) => r.policy))].join(', ');
    throw new InputError([{ file: '--reference', path: '', message: `no runs of a policy "${reference}" (the policies: ${labels})` }]);
  }
  const outputs = (['markdown', 'csv', 'html'] as const).flatMap((k) => (o[k] === undefined ? [] : [[k, o[k]] as const]));
  outputs.forEach(([k, file], i) => {
    const same = outputs.slice(0, i).find(([, other]) => realPath(other) === realPath(file));
    if (same !== undefined) throw refuse(file, `--${same[0]} and --${k} name the same file`);
  });
  for (const [k, file] of outputs) checkOutputFile(file, `--${k}`, k, dirs);
  const comparison = compareRuns(runs, { reference, metrics, frameworks: o.frameworks === true });
  const render = {
    markdown: () => compareMarkdown(comparison, 'offersim compare'),
    csv: () => compareCsv(comparison),
    html: () => comparePageHtml(comparison, dirs),
  };
  for (const [k, file] of outputs) writeAtomic(file, render[k]());
  return { comparison, text: compareText(comparison), written: outputs.map(([, file]) => file) };
}

/**
 * compare's HTML page: the table of policies x metrics (and per framework), then per metric each
 * policy's mean with its 95% CI and the paired difference from the reference with its CI and a
 * rule at zero; the same self-contained embedding as a run's report.html. Deterministic bytes.
 */
export function comparePageHtml(c: Comparison, dirs: readonly string[]): string {
  const charts = compareCharts(c);
  return reportHtml({
    title: HTML_TITLE,
    facts: [
      ['compared', dirs.join(', ')],
      ['policies', c.policies.join(', ')],
      ['reference', c.reference],
      ['seeds', String(seedCount(c))],
    ],
    sections: [
      ...compareSections(c, 'compare', 'Policies x metrics'),
      { kind: 'charts', heading: 'Charts: each policy, then its difference from the reference', charts: charts.charts, omitted: charts.omitted },
    ],
    bundles: readBundles(),
  });
}
