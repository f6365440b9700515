/**
 * `offersim report DIR` (and `offersim run --report`): renders the charts of an existing run
 * directory from its CSV and JSON files: charts/<name>.vl.json, .svg and .png, and report.html.
 * The files are written into temporary siblings and renamed into place, so a failed render
 * leaves the previous charts and page as they were. Only into an offersim run or sweep directory,
 * and only replacing offersim's own charts/ and page (scenarios/output-guard.ts). A file-system
 * failure is an OutputError (exit 2) naming the file (scenarios/output-files.ts).
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCharts, runTablesFromCsv, specJson, sweepCharts, type Chart } from '../reports/charts.js';
import { CsvFormatError, parseCsv } from '../reports/csv-read.js';
import { renderPng, renderSvg, reportHtml, type Bundles } from '../reports/render.js';
import { InputError } from './errors.js';
import { checkReportDir } from './output-guard.js';
import { makeDirs, onOutput, writeOutputFile } from './output-files.js';
import { claimPartial, releaseTemp } from './temp-files.js';

/** The directory of a package's entry module (the packages' `exports` block deep imports). */
function packageBuildDir(pkg: string): string {
  return dirname(fileURLToPath(import.meta.resolve(pkg)));
}

/** The vega, vega-lite and vega-embed UMD bundles, read from node_modules. */
export function readBundles(): Bundles {
  const read = (pkg: string, file: string): string => readFileSync(join(packageBuildDir(pkg), file), 'utf8');
  return { vega: read('vega', 'vega.min.js'), vegaLite: read('vega-lite', 'vega-lite.min.js'), vegaEmbed: read('vega-embed', 'vega-embed.min.js') };
}

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
  let tables;
  try {
    tables = runTablesFromCsv(run.csv);
  } catch (err) {
    if (err instanceof CsvFormatError) throw new InputError([{ file: join(dir, err.file), path: '', message: err.message.slice(err.file.length + 2) }]);
    throw err;
  }
  const charts = runCharts(tables);
  const summaryText = readFileSync(join(dir, 'summary.json'), 'utf8');
  const summaryValues = summaryText.split('\n').flatMap((line) => {
    // summary.json keeps the writers' fixed-precision literals; show them as written.
    const m = /^\s*"([^"]+)":\s*(.*?),?$/.exec(line);
    return m === null ? [] : [[m[1]!, m[2]! === 'null' ? '' : m[2]!.replace(/^"(.*)"$/, '$1')] as const];
  });
  const summary = summaryValues.length > 0 ? summaryValues : Object.entries(run.summary).map(([k, v]) => [k, cell(v)] as const);
  const scenario = run.manifest['scenario'] as { name?: unknown; file?: unknown } | undefined;
  const name = typeof scenario?.name === 'string' ? scenario.name : 'run';
  const facts: [string, string][] = [
    ['scenario', name],
    ['file', cell(scenario?.file ?? '')],
    ['seed', cell(run.manifest['seed'] ?? '')],
    ['offersim', cell(run.manifest['offersim'] ?? '')],
    ['end', `${cell(run.manifest['endReason'] ?? '')} at t=${cell(run.manifest['endTime'] ?? '')} s`],
    ['fingerprint', cell(run.manifest['fingerprint'] ?? '')],
  ];
  return writeFiles(dir, charts, options, t0, { title: name, facts, summary, scenario: JSON.stringify(run.manifest['resolved'] ?? {}, null, 2) });
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
  let charts;
  try {
    charts = sweepCharts(summaryCsv, params);
  } catch (err) {
    if (err instanceof CsvFormatError) throw new InputError([{ file: join(dir, err.file), path: '', message: err.message.slice(err.file.length + 2) }]);
    throw err;
  }
  const name = sweep.scenario?.name ?? 'sweep';
  const seeds = new Set(points.map((p) => p.seed)).size;
  const facts: [string, string][] = [
    ['sweep of', name],
    ['file', sweep.scenario?.file ?? ''],
    ['points', `${points.length} (${points.length / Math.max(1, seeds)} parameter combinations x ${seeds} seeds)`],
    ['swept', params.join(', ')],
    ['offersim', sweep.offersim ?? ''],
  ];
  // RFC 4180: a parameter value with a comma (an allocator object, a list) is a quoted field.
  const rows = parseCsv(summaryCsv);
  const header = rows[0] ?? [];
  // The summary table: each parameter combination's means, one row per combination and metric charted.
  const summary: [string, string][] = [];
  for (const r of rows.slice(1)) {
    const combo = params.map((p) => `${p}=${r[header.indexOf(p)] ?? ''}`).join(', ');
    for (const c of charts) {
      const metric = c.metric ?? c.name;
      const k = header.indexOf(`${metric}_mean`);
      if (k >= 0) summary.push([`${combo}: ${metric}`, `${r[k] ?? ''} ± ${r[k + 1] ?? ''}`]);
    }
  }
  return writeFiles(dir, charts, options, t0, { title: `sweep ${name}`, facts, summary, scenario: JSON.stringify(sweep.points ?? [], null, 2) });
}

/** Renders `charts` (spec, SVG, PNG) and the page into `dir`, replacing charts/ and report.html. */
async function writeFiles(
  dir: string,
  charts: readonly Chart[],
  options: ReportOptions,
  t0: number,
  page: { title: string; facts: [string, string][]; summary: readonly (readonly [string, string])[]; scenario: string },
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
    const html = reportHtml({ ...page, charts, bundles: readBundles() });
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
