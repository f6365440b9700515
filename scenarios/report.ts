/**
 * `offersim report DIR` (and `offersim run --report`): renders the charts of an existing run
 * directory from its CSV and JSON files: charts/<name>.vl.json, .svg and .png, and report.html.
 * The files are written into temporary siblings and renamed into place, so a failed render
 * leaves the previous charts and page as they were. Only into an offersim run or sweep directory,
 * and only replacing offersim's own charts/ and page (scenarios/output-guard.ts). A file-system
 * failure is an OutputError (exit 2) naming the file (scenarios/output-files.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specJson, type Chart } from '../reports/chart-style.js';
import { runTablesFromCsv } from '../reports/charts.js';
import { reportHtml, type PageSection } from '../reports/page-html.js';
import { compareSections, runSections, summaryLiterals } from '../reports/pages.js';
import { renderPng, renderSvg } from '../reports/render.js';
import { runCharts } from '../reports/run-charts.js';
import { sweepCharts } from '../reports/sweep-charts.js';
import { compareRuns } from '../reports/compare.js';
import { compareInputs, parseMetrics } from './compare.js';
import { InputError } from './errors.js';
import { asInputError } from './json-file.js';
import { readBundles } from './page-bundles.js';
import { allocatorSpec, runArchitecture, type Scenario } from './schema.js';
import { checkReportDir } from './output-guard.js';
import { makeDirs, onOutput, writeOutputFile } from './output-files.js';
import { claimPartial, releaseTemp } from './temp-files.js';

/** DejaVu Sans and DejaVu Sans Bold from the dejavu-fonts-ttf package. */
export function fontFiles(): string[] {
  const dir = join(dirname(fileURLToPath(import.meta.resolve('dejavu-fonts-ttf/package.json'))), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}

/** What a report wrote, with the wall time of each phase (seconds). */
export interface ReportOutcome {
  readonly dir: string;
  /** files written, relative to dir */
  readonly files: readonly string[];
  readonly svgSeconds: number;
  readonly pngSeconds: number;
  readonly totalSeconds: number;
}

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** also write PNGs; default true */
  readonly png?: boolean;
}

const REQUIRED = ['manifest.json', 'summary.json', 'jobs.csv', 'frameworks.csv', 'timeseries.csv'] as const;

/**
 * The largest file a report reads (it reads each whole, and charts every row): 256 MiB, far
 * below the 512 MiB of text a JavaScript string holds. Charting one takes about ten times its
 * size in memory.
 */
export const REPORT_MAX_BYTES = 256 * 1024 * 1024;

function bad(dir: string, message: string): InputError {
  return new InputError([{ file: dir, path: '', message }]);
}

/** Reads the run directory's files; bad input (missing files, wrong columns) is an InputError (exit 2). */
function readRun(dir: string): {
  manifest: Record<string, unknown>;
  summary: Record<string, unknown>;
  csv: { timeseries: string; jobs: string; frameworks: string };
} {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw bad(dir, 'not a run directory (no such directory)');
  const missing = REQUIRED.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw bad(dir, `not a run directory: missing ${missing.join(', ')}`);
  for (const f of REQUIRED) checkSize(join(dir, f));
  const text = (f: string): string => readFileSync(join(dir, f), 'utf8');
  const json = (f: string): Record<string, unknown> => {
    try {
      const v = JSON.parse(text(f)) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
      return v as Record<string, unknown>;
    } catch (err) {
      throw new InputError([{ file: join(dir, f), path: '', message: err instanceof Error ? err.message : String(err) }]);
    }
  };
  return {
    manifest: json('manifest.json'),
    summary: json('summary.json'),
    csv: { timeseries: text('timeseries.csv'), jobs: text('jobs.csv'), frameworks: text('frameworks.csv') },
  };
}

/** Refuses (InputError, exit 2) a file too large for a report to read: see {@link REPORT_MAX_BYTES}. */
function checkSize(file: string): void {
  const size = statSync(file).size;
  if (size <= REPORT_MAX_BYTES) return;
  const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(0)} MiB`;
  throw bad(
    file,
    `${mib(size)}: too large to chart (a report reads at most ${mib(REPORT_MAX_BYTES)} a file); for a long run, choose a coarser output.sampleInterval`,
  );
}

/** A JSON value as the summary table shows it. */
function cell(v: unknown): string {
  return v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Renders the charts and report page of the run (or sweep) directory `dir` from its files.
 * Throws InputError (exit 2), writing nothing, when `dir` is not one, or when its charts/ or
 * report.html is not offersim's.
 */
export async function writeReport(dirArg: string, options: ReportOptions = {}): Promise<ReportOutcome> {
  checkReportDir(dirArg);
  const dir = resolve(dirArg);
  if (existsSync(join(dir, 'sweep.json'))) return writeSweepReport(dir, options);
  const t0 = performance.now();
  const run = readRun(dir);
  const tables = asInputError(
    () => runTablesFromCsv(run.csv),
    (f) => join(dir, f),
  );
  const charts = runCharts(tables);
  const summary = summaryLiterals(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const manifest = run.manifest;
  const scenario = manifest['scenario'] as { name?: unknown; file?: unknown; sha256?: unknown; overrides?: unknown } | undefined;
  const name = typeof scenario?.name === 'string' ? scenario.name : 'run';
  const resolved = (manifest['resolved'] ?? {}) as Partial<Scenario>;
  const overrides = Array.isArray(scenario?.overrides) ? (scenario.overrides as unknown[]).map(cell) : [];
  const sha = typeof scenario?.sha256 === 'string' ? ` (sha256 ${scenario.sha256.slice(0, 12)})` : '';
  const facts: [string, string][] = [
    ['scenario', name],
    ['file', `${cell(scenario?.file ?? '')}${sha}`],
    ['allocator', allocatorText(resolved)],
    ['architecture', architectureText(resolved)],
    ['overrides (--set)', overrides.length === 0 ? 'none' : overrides.join('; ')],
    ['seed', cell(manifest['seed'] ?? '')],
    ['offersim', cell(manifest['offersim'] ?? '')],
    ['end', `${cell(manifest['endReason'] ?? '')} at t=${cell(manifest['endTime'] ?? '')} s`],
    ['fingerprint', cell(manifest['fingerprint'] ?? '')],
  ];
  const description = typeof resolved.description === 'string' && resolved.description.trim() !== '' ? resolved.description.trim() : undefined;
  const source = scenarioSource(dir, scenario?.sha256);
  const sections = runSections({ summary, frameworksCsv: run.csv.frameworks, resolved, charts, ...(source === undefined ? {} : { source }) });
  return writeFiles(dir, charts.charts, options, t0, { title: name, ...(description === undefined ? {} : { subtitle: description }), facts, sections });
}

/** The run directory's scenario.yaml (the file as written) and whether it hashes to the manifest's sha256; undefined when absent. */
function scenarioSource(dir: string, sha256: unknown): { text: string; matches: boolean } | undefined {
  const file = join(dir, 'scenario.yaml');
  if (!existsSync(file)) return undefined;
  checkSize(file);
  const bytes = readFileSync(file);
  return { text: bytes.toString('utf8'), matches: createHash('sha256').update(bytes).digest('hex') === sha256 };
}

/** The allocator of a resolved scenario as the page shows it: its name or module, then its parameters as JSON. */
function allocatorText(s: Partial<Scenario>): string {
  if (s.allocator === undefined) return 'drf (the default)';
  const spec = allocatorSpec(s.allocator);
  const params = typeof s.allocator === 'object' && s.allocator.params !== undefined ? s.allocator.params : {};
  const what = spec.name ?? (typeof s.allocator === 'object' ? `module ${s.allocator.module ?? ''}` : '');
  return Object.keys(params).length === 0 ? what : `${what} ${JSON.stringify(params)}`;
}

/** The run's scheduling architecture, saying whether the scenario chose it. */
function architectureText(s: Partial<Scenario>): string {
  try {
    const a = runArchitecture({ allocator: s.allocator ?? 'drf', architecture: s.architecture });
    return s.architecture === undefined ? `${a} (the allocator's default)` : a;
  } catch {
    return s.architecture ?? '';
  }
}

/**
 * The report of a sweep directory: each metric against the swept parameter with its confidence
 * band (from summary.csv), the sweep's facts and its summary table.
 */
async function writeSweepReport(dir: string, options: ReportOptions): Promise<ReportOutcome> {
  const t0 = performance.now();
  let sweep: { offersim?: string; scenario?: { name?: string; file?: string }; points?: { params: Record<string, unknown>; seed: number }[] };
  try {
    sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as typeof sweep;
  } catch (err) {
    throw new InputError([{ file: join(dir, 'sweep.json'), path: '', message: (err as Error).message }]);
  }
  if (!existsSync(join(dir, 'summary.csv'))) throw bad(dir, 'not a complete sweep directory: missing summary.csv');
  checkSize(join(dir, 'summary.csv'));
  const points = sweep.points ?? [];
  const params = Object.keys(points[0]?.params ?? {});
  const summaryCsv = readFileSync(join(dir, 'summary.csv'), 'utf8');
  const charts = asInputError(
    () => sweepCharts(summaryCsv, params),
    (f) => join(dir, f),
  );
  const name = sweep.scenario?.name ?? 'sweep';
  const seeds = new Set(points.map((p) => p.seed)).size;
  const facts: [string, string][] = [
    ['sweep of', name],
    ['file', sweep.scenario?.file ?? ''],
    ['points', `${points.length} (${points.length / Math.max(1, seeds)} parameter combinations x ${seeds} seeds)`],
    ['swept', params.join(', ')],
    ['offersim', sweep.offersim ?? ''],
  ];
  const sections: PageSection[] = [...sweepComparison(dir, params), { kind: 'charts', heading: 'Charts', charts: charts.charts, omitted: charts.omitted }];
  return writeFiles(dir, charts.charts, options, t0, { title: `sweep ${name}`, facts, sections });
}

/**
 * A sweep's table of policies x metrics: `offersim compare` over its finished points, each swept
 * parameter a compared field, the first combination the reference. A sweep compare refuses (its
 * points ran different workloads in another way) gets a line saying why instead.
 */
function sweepComparison(dir: string, params: readonly string[]): PageSection[] {
  try {
    const runs = compareInputs([dir], { by: params.filter((p) => p !== 'seed') });
    const c = compareRuns(runs, { reference: runs[0]!.policy, metrics: parseMetrics(undefined) });
    return compareSections(c, 'compare', 'Policies x metrics');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return [{ kind: 'lines', id: 'compare', heading: 'Policies x metrics', lines: [`no comparison: ${err.message}`] }];
  }
}

/** Renders `charts` (spec, SVG, PNG) and the page into `dir`, replacing charts/ and report.html. */
async function writeFiles(
  dir: string,
  charts: readonly Chart[],
  options: ReportOptions,
  t0: number,
  page: { title: string; subtitle?: string; facts: [string, string][]; sections: readonly PageSection[] },
): Promise<ReportOutcome> {
  const png = options.png ?? true;
  const fonts = png ? { files: fontFiles() } : undefined;

  const charts0 = join(dir, 'charts');
  const pageFile = join(dir, 'report.html');
  // Leftovers of reports killed half-way by processes that no longer exist go first.
  const chartsTmp = onOutput(charts0, 'write the charts', () => claimPartial(charts0));
  const htmlTmp = onOutput(pageFile, 'write the report page', () => claimPartial(pageFile));
  const files: string[] = [];
  let svgSeconds = 0;
  let pngSeconds = 0;
  try {
    makeDirs(chartsTmp, charts0, 'create the charts directory');
    const write = (name: string, data: string | Uint8Array): void => {
      writeOutputFile(join(chartsTmp, name), data, join(charts0, name));
      files.push(`charts/${name}`);
    };
    for (const c of charts) {
      write(`${c.name}.vl.json`, specJson(c.spec));
      const s0 = performance.now();
      const svg = await renderSvg(c.spec);
      svgSeconds += (performance.now() - s0) / 1000;
      write(`${c.name}.svg`, svg);
      if (fonts !== undefined) {
        const p0 = performance.now();
        const bytes = renderPng(svg, fonts);
        pngSeconds += (performance.now() - p0) / 1000;
        write(`${c.name}.png`, bytes);
      }
    }
    const html = reportHtml({ ...page, bundles: readBundles() });
    writeOutputFile(htmlTmp, html, pageFile);
    files.push('report.html');
    // Swap the new charts directory in, then the page. A kill between the two renames leaves
    // charts.old-<pid> (the previous charts), which the next report into the directory removes.
    onOutput(dir, 'put the report in place', () => {
      const old = `${charts0}.old-${process.pid}`;
      if (existsSync(charts0)) renameSync(charts0, old);
      renameSync(chartsTmp, charts0);
      rmSync(old, { recursive: true, force: true });
      renameSync(htmlTmp, pageFile);
    });
    releaseTemp(chartsTmp);
    releaseTemp(htmlTmp);
  } catch (err) {
    try {
      rmSync(chartsTmp, { recursive: true, force: true });
      rmSync(htmlTmp, { force: true });
      releaseTemp(chartsTmp);
      releaseTemp(htmlTmp);
    } catch {
      // left for the exit hook, or the next report into the directory
    }
    throw err;
  }
  return { dir, files, svgSeconds, pngSeconds, totalSeconds: (performance.now() - t0) / 1000 };
}
