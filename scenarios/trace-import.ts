/**
 * Trace import: streams a trace file (plain or gzip, detected by its first bytes) line by line
 * through a format's importer (workloads/trace/) into a canonical JSON Lines file, written
 * beside its target and renamed into place only when complete, with a manifest of counts and a
 * CSV of every row that could not be used. Memory stays bounded by the importer's own buffers,
 * never by the file's size. An import that could use no row of the file, or whose file looks
 * like another format, writes nothing and names the format the file looks like; the output never
 * replaces its input nor a file offersim did not write. Composition root: this is where the
 * files are touched.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { formatCanonicalJob, type CanonicalJob } from '../workloads/trace/canonical.js';
import type { CanonicalAgent, ClusterImporter } from '../workloads/trace/cluster.js';
import type { ImportCounts, RowProblem, TraceImporter } from '../workloads/trace/importer.js';
import { TRACE_FORMATS, traceFormat } from '../workloads/trace/registry.js';
import { SNIFF_LINES, sniffTrace } from '../workloads/trace/sniff.js';
import { InputError } from './errors.js';
import { realPath, refuse } from './output-guard.js';
import { claimPartial, releaseTemp } from './temp-files.js';
import { VERSION } from './version.js';

/** Lines of a file, plain or gzip (by its magic bytes), without line endings. */
export function fileLines(file: string): AsyncIterable<string> {
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  const raw: Readable = createReadStream(file);
  const input = n === 2 && head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  return createInterface({ input, crlfDelay: Infinity });
}

/** What an import produced. */
export interface ImportResult {
  readonly format: string;
  readonly file: string;
  readonly out: string;
  readonly counts: ImportCounts;
  /** every row problem, in line order */
  readonly problems: readonly RowProblem[];
  /** sha256 of the input bytes as read (decompressed for gzip) */
  readonly sha256: string;
}

/** Options of {@link importTrace}. */
export interface ImportOptions {
  /** importer options of the format */
  readonly options?: Readonly<Record<string, unknown>>;
  /** stop at the first bad row (InputError, exit 2) instead of skipping and counting it */
  readonly strict?: boolean | undefined;
  /** overwrite `out` and its companions even when offersim did not write them; default false */
  readonly force?: boolean | undefined;
}

/** The first line of a problems file (what {@link importTrace} writes). */
const PROBLEMS_HEADER = 'input,line,reason,message';

/** Whether `file` is an import manifest offersim wrote (an object with string `offersim` and `format`). */
function isImportManifest(file: string): boolean {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    return typeof m?.['offersim'] === 'string' && typeof m['format'] === 'string';
  } catch {
    return false;
  }
}

/**
 * Refuses (InputError, exit 2) an output that is an input of the import (never, even with
 * `force`), a directory, or, without `force`, an existing file offersim did not write: an output
 * with no offersim manifest beside it, a manifest or problems file that is not offersim's.
 */
function checkImportOut(out: string, inputs: readonly string[], force: boolean): void {
  if (out.trim() === '') throw refuse("--out ''", 'an empty path names no file');
  const targets = [out, `${out}.manifest.json`, `${out}.problems.csv`];
  const reals = new Set(inputs.map(realPath));
  for (const t of targets) {
    if (reals.has(realPath(t))) throw refuse(t, 'is an input of this import: the output would overwrite it; choose another --out');
    if (existsSync(t) && !statSync(t).isFile()) throw refuse(t, 'exists and is not a file');
  }
  if (force) return;
  const [file, manifest, problems] = targets as [string, string, string];
  const mine = isImportManifest(manifest);
  if (existsSync(file) && !mine) throw refuse(file, `exists and offersim did not write it (no import manifest ${manifest} beside it); choose another --out, or --force to overwrite it`);
  if (existsSync(manifest) && !mine) throw refuse(manifest, 'exists and is not an offersim import manifest; choose another --out, or --force to overwrite it');
  if (existsSync(problems) && readFileSync(problems, 'utf8').split('\n', 1)[0] !== PROBLEMS_HEADER) {
    throw refuse(problems, 'exists and is not an offersim problems file; choose another --out, or --force to overwrite it');
  }
}

/**
 * Imports `file` in `format` into the canonical file `out` (plus `out`.manifest.json and, when a
 * row was skipped, `out`.problems.csv). Throws InputError naming the file (and line in strict
 * mode) for a missing file, an unknown format or bad options, a bad row in strict mode, or a
 * file of which no row could be used or that looks like another format (naming that format), or
 * an output it may not write (see checkImportOut); no output is left behind then.
 */
export async function importTrace(format: string, file: string, out: string, o: ImportOptions = {}): Promise<ImportResult> {
  const fmt = traceFormat(format);
  if (fmt === undefined) {
    throw new InputError([{ file: '<format>', path: '', message: `unknown trace format "${format}"; known: ${TRACE_FORMATS.map((f) => f.name).join(', ')}` }]);
  }
  if (!existsSync(file)) throw new InputError([{ file, path: '', message: 'no such file' }]);
  if (statSync(file).isDirectory()) throw new InputError([{ file, path: '', message: 'is a directory, not a trace file' }]);
  const options = o.options ?? {};
  let importer: TraceImporter | ClusterImporter;
  try {
    importer = fmt.create(options);
  } catch (err) {
    throw new InputError([{ file: '<options>', path: '', message: `${format}: ${(err as Error).message}` }]);
  }
  const aux: { name: string; path: string }[] = [];
  if (fmt.kind === 'jobs') {
    for (const name of (importer as TraceImporter).auxInputs ?? []) {
      const path = options[name];
      if (path === undefined) continue;
      if (typeof path !== 'string' || !existsSync(path)) {
        throw new InputError([{ file: typeof path === 'string' ? path : '<options>', path: name, message: typeof path === 'string' ? 'no such file' : 'expected a file path' }]);
      }
      aux.push({ name, path });
    }
  }
  checkImportOut(out, [file, ...aux.map((a) => a.path)], o.force === true);
  const tmp = claimPartial(out);
  const fd = openSync(tmp, 'w');
  const hash = createHash('sha256');
  const problems: RowProblem[] = [];
  // The first lines, to say what the file looks like when it is not `format`.
  const sample: string[] = [];
  let buf: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (buf.length === 0) return;
    writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  const write = (line: string): void => {
    buf.push(line);
    size += line.length;
    if (size > 1 << 20) flush();
  };
  const problem = (p: RowProblem): void => {
    const where = p.input === undefined ? file : String(options[p.input]);
    if (o.strict === true) throw new InputError([{ file: where, line: p.line, path: '', message: `${p.message} (${p.reason})` }]);
    problems.push(p);
  };
  const sink = {
    job: (j: CanonicalJob): void => write(`${formatCanonicalJob(j)}\n`),
    agent: (a: CanonicalAgent): void => write(`${JSON.stringify(a)}\n`),
    problem,
  };
  try {
    for (const a of aux) {
      let no = 0;
      for await (const line of fileLines(a.path)) (importer as TraceImporter).auxLine!(a.name, line, ++no, sink);
    }
    let no = 0;
    for await (const line of fileLines(file)) {
      hash.update(line);
      hash.update('\n');
      if (sample.length < SNIFF_LINES && line.trim() !== '') sample.push(line);
      importer.line(line, ++no, sink);
    }
    importer.end(sink);
    flush();
    closeSync(fd);
    const why = unusable(format, importer.counts(), sample);
    if (why !== undefined) throw new InputError([{ file, path: '', message: why }]);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw err;
  }
  const counts = importer.counts();
  const sha256 = hash.digest('hex');
  const problemsFile = `${out}.problems.csv`;
  rmSync(problemsFile, { force: true });
  if (problems.length > 0) {
    const lines = [PROBLEMS_HEADER, ...problems.map((p) => `${p.input ?? 'main'},${p.line},${p.reason},${csvField(p.message)}`)];
    writeFileAtomic(problemsFile, `${lines.join('\n')}\n`);
  }
  const manifest = {
    offersim: VERSION,
    format,
    kind: fmt.kind,
    options,
    source: { file, sha256 },
    counts,
    problemsFile: problems.length > 0 ? problemsFile : null,
  };
  writeFileAtomic(`${out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, out);
  releaseTemp(tmp);
  return { format, file, out, counts, problems, sha256 };
}

/**
 * Why an import's output would mislead, or undefined when it is fine: no row of the file could be
 * used, or the file looks like another format than `format` (then most rows were skipped, and
 * the few used are accidents of shape). The message names the format the file looks like.
 */
function unusable(format: string, c: ImportCounts, sample: readonly string[]): string | undefined {
  const looks = sniffTrace(sample);
  const other = looks !== undefined && looks.format !== format;
  if (c.rowsUsed > 0 && !other) return undefined;
  const skipped = Object.entries(c.skipped).map(([k, n]) => `${k} ${n}`).join(', ');
  const what = c.rows === 0 ? 'has no data rows' : c.rowsUsed === 0
    ? `has no row ${format} could use (${c.rows} data rows skipped: ${skipped})`
    : `is not ${format}: ${c.rowsUsed} of its ${c.rows} data rows fit ${format} by accident`;
  const like = looks === undefined
    ? `it looks like none of the known formats (${TRACE_FORMATS.map((f) => f.name).join(', ')})`
    : looks.format === undefined ? `it looks like ${looks.description}`
      : looks.format === format ? `the file is ${format} but no row was usable`
        : `it looks like ${looks.format}, ${looks.description}: offersim import ${looks.format} FILE`;
  return `${what}; ${like}; nothing written`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeFileAtomic(path: string, text: string): void {
  const tmp = claimPartial(path);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  releaseTemp(tmp);
}
