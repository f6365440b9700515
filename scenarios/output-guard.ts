/**
 * What offersim may replace or write into: no command deletes or overwrites a file it did not
 * write. A run directory, a sweep directory, a report's charts/ and page, and an import's output
 * are recognised by what offersim puts in them; anything else is refused (InputError, exit 2),
 * naming the path and why, before anything is written. Composition root: reads the file system.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from './errors.js';

/** The files offersim writes into a run directory (DESIGN.md section 6), besides charts/. */
export const RUN_FILES: readonly string[] = [
  'manifest.json',
  'scenario.yaml',
  'summary.json',
  'jobs.csv',
  'frameworks.csv',
  'timeseries.csv',
  'timeseries-long.csv',
  'timing.json',
  'events.jsonl',
  'report.html',
];

/** Leftovers of a report killed half-way (scenarios/report.ts writes these, then renames them). */
const REPORT_LEFTOVER = /^(charts|report\.html)\.(partial|old)-\d+$/;

/** A chart file of charts/: its spec, SVG or PNG. */
const CHART_FILE = /^(.+)\.(vl\.json|svg|png)$/;

/** The marker of the report page's title (reports/page-html.ts `reportHtml`). */
const REPORT_TITLE = ' - offersim report</title>';

/** A refusal: exit 2, one line naming the path and why. */
export function refuse(path: string, why: string): InputError {
  return new InputError([{ file: path, path: '', message: why }]);
}

/** A JSON object read from `file`, or undefined when it is missing or not one. */
function jsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * Why `dir/charts` is not offersim's charts directory (files `<name>.vl.json`, `.svg`, `.png`,
 * every name with its `.vl.json` spec, which offersim always writes), or undefined when it is
 * (or is absent).
 */
export function chartsDirProblem(dir: string): string | undefined {
  const charts = join(dir, 'charts');
  if (!existsSync(charts)) return undefined;
  if (!lstatSync(charts).isDirectory()) return 'charts is not a directory offersim wrote';
  const names = readdirSync(charts);
  const stranger = names.find((f) => !CHART_FILE.test(f) || !lstatSync(join(charts, f)).isFile());
  if (stranger !== undefined) return `charts/${stranger} is not a chart offersim writes`;
  const orphan = names.find((f) => !names.includes(`${CHART_FILE.exec(f)![1]!}.vl.json`));
  if (orphan !== undefined) return `charts/${orphan} has no Vega-Lite spec beside it (offersim writes one for each chart)`;
  return undefined;
}

/** Why `dir/report.html` is not offersim's report page, or undefined when it is (or is absent). */
export function reportPageProblem(dir: string): string | undefined {
  const page = join(dir, 'report.html');
  if (!existsSync(page)) return undefined;
  if (!lstatSync(page).isFile()) return 'report.html is not a file offersim wrote';
  // The title comes before the inlined bundles: the first 64 KB hold it.
  const head = readFileSync(page)
    .subarray(0, 1 << 16)
    .toString('utf8');
  return head.includes(REPORT_TITLE) ? undefined : 'report.html is not an offersim report page';
}

/**
 * Why `dir` holds no offersim run manifest (manifest.json, an object with a string `offersim`
 * and a string `fingerprint`), or undefined when it does.
 */
export function runManifestProblem(dir: string): string | undefined {
  if (!isDirectory(dir)) return 'not a directory';
  const m = jsonObject(join(dir, 'manifest.json'));
  if (m === undefined) return 'no offersim manifest.json';
  if (typeof m['offersim'] !== 'string' || typeof m['fingerprint'] !== 'string')
    return 'manifest.json is not an offersim run manifest (no offersim version and fingerprint)';
  return undefined;
}

/**
 * Why `dir` is not an offersim run directory, or undefined when it is. A run directory holds a
 * manifest.json that parses as an object with a string `offersim` (the version) and a string
 * `fingerprint`, and nothing but what offersim writes there: the files of {@link RUN_FILES},
 * charts/ with chart files only, and the leftovers of an interrupted report.
 */
export function runDirProblem(dir: string): string | undefined {
  const manifest = runManifestProblem(dir);
  if (manifest !== undefined) return manifest;
  for (const f of readdirSync(dir)) {
    if (f === 'charts' || REPORT_LEFTOVER.test(f)) continue;
    if (!RUN_FILES.includes(f)) return `it holds ${f}, which offersim does not write`;
  }
  return chartsDirProblem(dir) ?? reportPageProblem(dir);
}

/**
 * Refuses `dir` as the directory a report writes into (charts/ and report.html) unless it is an
 * offersim run directory (its manifest) or sweep directory (its sweep.json), and its charts/ and
 * report.html, if present, are offersim's.
 */
export function checkReportDir(dir: string): void {
  if (dir.trim() === '') throw refuse("''", 'an empty path names no directory');
  if (!isDirectory(dir)) throw refuse(dir, 'not a run or sweep directory (no such directory)');
  const isSweep = existsSync(join(dir, 'sweep.json'));
  const why = isSweep ? sweepDirProblem(dir) : runManifestProblem(dir);
  if (why !== undefined) throw refuse(dir, `not an offersim ${isSweep ? 'sweep' : 'run'} directory (${why}): a report is written only into one`);
  const mine = chartsDirProblem(dir) ?? reportPageProblem(dir);
  if (mine !== undefined) throw refuse(dir, `${mine}: a report would replace it; move it away first`);
}

/**
 * Why `dir` is not an offersim sweep directory, or undefined when it is: it holds a sweep.json
 * that parses as an object with a string `offersim` and a list `points`.
 */
export function sweepDirProblem(dir: string): string | undefined {
  if (!isDirectory(dir)) return 'not a directory';
  const m = jsonObject(join(dir, 'sweep.json'));
  if (m === undefined) return 'no offersim sweep.json';
  if (typeof m['offersim'] !== 'string' || !Array.isArray(m['points'])) return 'sweep.json is not an offersim sweep manifest (no offersim version and points)';
  return undefined;
}

/** `path` with symbolic links resolved as far as it exists (the rest appended). */
export function realPath(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realPath(parent), basename(abs));
}

/** `inner` is `outer` or lies inside it (both absolute, symbolic links resolved). */
export function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** Refuses an empty path and a path that exists and is not a directory. */
export function checkDirPath(dir: string, flag: string): void {
  if (dir.trim() === '') throw refuse(`${flag} ''`, 'an empty path names no directory');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw refuse(dir, `${flag} names an existing file, not a directory`);
}

/** Options of {@link checkRunOut}. */
export interface RunOutOptions {
  /** replace a directory that is not an offersim run directory (its files are deleted); default false */
  readonly force?: boolean | undefined;
  /** files the run reads (scenario, traces, allocator module): never inside the directory replaced */
  readonly inputs: readonly string[];
}

/**
 * Refuses `dir` as a run directory to replace (InputError, exit 2) unless it is absent, empty or
 * an offersim run directory ({@link runDirProblem}); `force` lets a directory of other files be
 * replaced. Never, even with `force`: an empty path, an existing file, the current directory or
 * one of its ancestors, a directory holding one of the run's inputs.
 */
export function checkRunOut(dir: string, o: RunOutOptions): void {
  checkDirPath(dir, '--out');
  const real = realPath(dir);
  if (within(realPath(process.cwd()), real)) throw refuse(dir, 'is the current directory or one of its ancestors: a run directory is replaced whole');
  const input = o.inputs.find((f) => within(realPath(f), real));
  if (input !== undefined) throw refuse(dir, `holds ${input}, an input of this run: a run directory is replaced whole`);
  if (!existsSync(dir) || readdirSync(dir).length === 0 || o.force === true) return;
  const why = runDirProblem(dir);
  if (why !== undefined) throw refuse(dir, `is not an offersim run directory (${why}); choose another --out, or --force to replace it with everything in it`);
}

/**
 * The default output directory `runs/<name>` under the working directory, asserted to be a
 * direct child of `runs/` (a name such as `..` could otherwise reach out of it).
 */
export function defaultOutDir(name: string): string {
  const root = resolve('runs');
  const dir = resolve(root, name);
  if (dirname(dir) !== root || basename(dir) !== name)
    throw refuse(name, `does not name a directory inside ${root}: give the scenario a name (letters, digits, ".", "_", "-") or --out`);
  return dir;
}

/**
 * Refuses `dir` as a sweep directory to write into unless it is absent, empty, or an offersim
 * sweep directory ({@link sweepDirProblem}).
 */
export function checkSweepOut(dir: string): void {
  checkDirPath(dir, '--out');
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  const why = sweepDirProblem(dir);
  if (why !== undefined) throw refuse(dir, `is not an offersim sweep directory (${why}); choose another --out`);
}

/**
 * Refuses `out` as the directory a merge writes unless it is absent, empty or an offersim sweep
 * directory, and it is none of the merged directories, lies in none and holds none.
 */
export function checkMergeOut(out: string, inputs: readonly string[]): void {
  checkDirPath(out, '--out');
  const real = realPath(out);
  const input = inputs.find((d) => within(realPath(d), real) || within(real, realPath(d)));
  if (input !== undefined) throw refuse(out, `overlaps ${input}, one of the directories merged: merge into a directory of its own`);
  checkSweepOut(out);
}
