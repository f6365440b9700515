/**
 * Trace import: streams a trace file (plain or gzip, detected by its first bytes) line by line
 * through a format's importer (workloads/trace/) into a canonical JSON Lines file, written
 * beside its target and renamed into place only when complete, with a manifest of counts and a
 * CSV of every row that could not be used, written row by row as they are met. Memory stays
 * bounded by the importer's own buffers, never by the file's size, its number of bad rows or the
 * length of a line (a line over the cap of workloads/trace/lines.ts is a problem row, never
 * held). An import that could use no row of the file, or whose file looks like another format,
 * writes nothing and names the likely cause and the format the file looks like; the output never
 * replaces its input nor a file offersim did not write. Composition root: this is where the
 * files are touched.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { open, type FileHandle } from 'node:fs/promises';
import { formatCanonicalJob, type CanonicalJob } from '../workloads/trace/canonical.js';
import type { CanonicalAgent, ClusterImporter } from '../workloads/trace/cluster.js';
import type { ImportCounts, RowProblem, TraceImporter } from '../workloads/trace/importer.js';
import { LineSplitter, LongLine, MAX_LINE_BYTES, type LineItem } from '../workloads/trace/lines.js';
import { TRACE_FORMATS, traceFormat } from '../workloads/trace/registry.js';
import { SNIFF_LINES, unusableTrace } from '../workloads/trace/sniff.js';
import { didYouMean } from './did-you-mean.js';
import { InputError } from './errors.js';
import { realPath, refuse } from './output-guard.js';
import { claimPartial, releaseTemp } from './temp-files.js';
import { checkTraceFile, traceReadError } from './trace-files.js';
import { VERSION } from './version.js';

/**
 * The bytes of a file, decompressed when it is gzip (by its magic bytes), chunk by chunk. A read
 * error or truncated or corrupt gzip data is an InputError naming the file.
 */
async function* fileChunks(file: string, onBytes?: (chunk: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  const head = Buffer.alloc(2);
  let n: number;
  try {
    const fd = openSync(file, 'r');
    try {
      n = readSync(fd, head, 0, 2, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw traceReadError(file, err);
  }
  if (!(n === 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield* plainChunks(file, onBytes);
    return;
  }
  const raw = createReadStream(file);
  // pipeline passes an error of either stream on to the last one, which the loop below reads.
  const input: Readable = pipeline(raw, createGunzip(), () => undefined);
  try {
    for await (const chunk of input) {
      onBytes?.(chunk as Uint8Array);
      yield chunk as Uint8Array;
    }
  } catch (err) {
    throw traceReadError(file, err);
  } finally {
    input.destroy();
    raw.destroy();
  }
}

/**
 * The bytes of a plain file in chunks of one reused 1 MiB buffer (the consumer copies what it
 * keeps): memory stays flat however the file is shaped, where a stream's fresh buffer per read
 * waits for the garbage collector (a 50 MB line once took 276 MB resident on a busy machine).
 */
async function* plainChunks(file: string, onBytes?: (chunk: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  const buf = Buffer.alloc(1 << 20);
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw traceReadError(file, err);
  }
  try {
    for (;;) {
      let n: number;
      try {
        n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
      } catch (err) {
        throw traceReadError(file, err);
      }
      if (n === 0) return;
      const chunk = buf.subarray(0, n);
      onBytes?.(chunk);
      yield chunk;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Lines of a file, plain or gzip, without line endings: each a string, or a {@link LongLine} for
 * one longer than {@link MAX_LINE_BYTES}. `onBytes` sees the (decompressed) bytes as read.
 */
export async function* fileLines(file: string, onBytes?: (chunk: Uint8Array) => void): AsyncGenerator<LineItem> {
  const splitter = new LineSplitter(MAX_LINE_BYTES);
  for await (const chunk of fileChunks(file, onBytes)) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** What an import produced. */
export interface ImportResult {
  readonly format: string;
  readonly file: string;
  readonly out: string;
  readonly counts: ImportCounts;
  /** the first row problems, in line order: at most {@link PROBLEMS_KEPT} (every one is in the problems file) */
  readonly problems: readonly RowProblem[];
  /** row problems in all (the rows of the problems file) */
  readonly problemCount: number;
  /** what the user should know about the result (an assumption that may not hold), one sentence each */
  readonly warnings: readonly string[];
  /** sha256 of the input bytes as read (decompressed for gzip) */
  readonly sha256: string;
}

/** Row problems an import keeps in memory to report (the problems file has every one). */
export const PROBLEMS_KEPT = 10;

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

/** The first line of `file`, from its first bytes only (a problems file may be large). */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(PROBLEMS_HEADER.length + 2);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).split(/\r?\n/, 1)[0]!;
  } finally {
    closeSync(fd);
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
  if (existsSync(file) && !mine)
    throw refuse(file, `exists and offersim did not write it (no import manifest ${manifest} beside it); choose another --out, or --force to overwrite it`);
  if (existsSync(manifest) && !mine) throw refuse(manifest, 'exists and is not an offersim import manifest; choose another --out, or --force to overwrite it');
  if (existsSync(problems) && firstLine(problems) !== PROBLEMS_HEADER) {
    throw refuse(problems, 'exists and is not an offersim problems file; choose another --out, or --force to overwrite it');
  }
}

/**
 * A file written a piece at a time into a temporary sibling and renamed into place when complete
 * (or removed). Write errors (a full disk, no permission) are InputErrors naming the file.
 */
class PartialFile {
  private readonly tmp: string;
  private fd: number | undefined;
  private buf: string[] = [];
  private size = 0;

  constructor(private readonly path: string) {
    try {
      this.tmp = claimPartial(path);
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      throw writeError(path, err);
    }
  }

  write(text: string): void {
    this.buf.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }

  /** Writes what is buffered, closes the file and renames it into place. */
  commit(): void {
    this.flush();
    this.close();
    try {
      renameSync(this.tmp, this.path);
    } catch (err) {
      throw writeError(this.path, err);
    }
    releaseTemp(this.tmp);
  }

  /** Closes and removes the temporary file (nothing is left behind). */
  discard(): void {
    this.close();
    rmSync(this.tmp, { force: true });
    releaseTemp(this.tmp);
  }

  private flush(): void {
    if (this.buf.length === 0 || this.fd === undefined) return;
    const text = this.buf.join('');
    this.buf = [];
    this.size = 0;
    try {
      writeSync(this.fd, text);
    } catch (err) {
      throw writeError(this.path, err);
    }
  }

  private close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (err) {
      throw writeError(this.path, err);
    }
  }
}

/** An error writing output `path` as bad input (the environment, not offersim, failed), or a bug unchanged. */
function writeError(path: string, err: unknown): unknown {
  if (err instanceof InputError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string'
    ? new InputError([{ file: path, path: '', message: `cannot be written (${String((err as { message?: unknown }).message)})` }])
    : err;
}

/**
 * Imports `file` in `format` into the canonical file `out` (plus `out`.manifest.json and, when a
 * row was skipped, `out`.problems.csv). Throws InputError naming the file (and line in strict
 * mode) for a missing, unreadable or corrupt file, an unknown format or bad options, a bad row in
 * strict mode, a file of which no row could be used or that looks like another format (naming
 * the likely cause and that format), or an output it may not or cannot write (see
 * checkImportOut); no output is left behind then.
 */
export async function importTrace(format: string, file: string, out: string, o: ImportOptions = {}): Promise<ImportResult> {
  const fmt = traceFormat(format);
  if (fmt === undefined) {
    throw new InputError([
      {
        file: '<format>',
        path: '',
        message: `unknown trace format "${format}"; known: ${TRACE_FORMATS.map((f) => f.name).join(', ')}${didYouMean(
          format,
          TRACE_FORMATS.map((f) => f.name),
        )}`,
      },
    ]);
  }
  checkTraceFile(file);
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
      if (typeof path !== 'string') throw new InputError([{ file: '<options>', path: name, message: 'expected a file path' }]);
      checkTraceFile(path, name);
      aux.push({ name, path });
    }
  }
  checkImportOut(out, [file, ...aux.map((a) => a.path)], o.force === true);
  const problemsFile = `${out}.problems.csv`;
  const output = new PartialFile(out);
  let problemsOut: PartialFile | undefined;
  const hash = createHash('sha256');
  const kept: RowProblem[] = [];
  let problemCount = 0;
  // The first lines, to say what the file looks like when it is not `format`, and the first
  // problem of each reason, to name the likely cause when no row is usable.
  const sample: string[] = [];
  const first = new Map<string, RowProblem>();
  const problem = (p: RowProblem): void => {
    const where = p.input === undefined ? file : String(options[p.input]);
    if (o.strict === true) throw new InputError([{ file: where, line: p.line, path: '', message: `${p.message} (${p.reason})` }]);
    problemCount++;
    if (kept.length < PROBLEMS_KEPT) kept.push(p);
    if (p.input === undefined && !first.has(p.reason)) first.set(p.reason, p);
    if (problemsOut === undefined) {
      problemsOut = new PartialFile(problemsFile);
      problemsOut.write(`${PROBLEMS_HEADER}\n`);
    }
    problemsOut.write(`${p.input ?? 'main'},${p.line},${p.reason},${csvField(p.message)}\n`);
  };
  const sink = {
    job: (j: CanonicalJob): void => output.write(`${formatCanonicalJob(j)}\n`),
    agent: (a: CanonicalAgent): void => output.write(`${JSON.stringify(a)}\n`),
    problem,
  };
  try {
    for (const a of aux) {
      let no = 0;
      for await (const line of fileLines(a.path)) {
        if (line instanceof LongLine) (importer as TraceImporter).tooLong(++no, line.bytes, sink, a.name);
        else (importer as TraceImporter).auxLine!(a.name, line, ++no, sink);
      }
    }
    let no = 0;
    for await (const line of fileLines(file, (chunk) => hash.update(chunk))) {
      if (line instanceof LongLine) {
        importer.tooLong(++no, line.bytes, sink);
        continue;
      }
      if (sample.length < SNIFF_LINES && line.length <= 4096 && line.trim() !== '') sample.push(line);
      importer.line(line, ++no, sink);
    }
    importer.end(sink);
    const why = unusableTrace(format, importer.counts(), sample, first, 'import');
    if (why !== undefined) throw new InputError([{ file, path: '', message: `${why}; nothing written` }]);
    const counts = importer.counts();
    const warnings = fmt.kind === 'jobs' ? [...((importer as TraceImporter).warnings?.() ?? [])] : [];
    const sha256 = hash.digest('hex');
    // What a problems file of an earlier import of this output said no longer holds.
    if (problemsOut === undefined) rmSync(problemsFile, { force: true });
    else problemsOut.commit();
    const manifest = {
      offersim: VERSION,
      format,
      kind: fmt.kind,
      options,
      source: { file, sha256 },
      counts,
      problemsFile: problemCount > 0 ? problemsFile : null,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    writeFileAtomic(`${out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    output.commit();
    return { format, file, out, counts, problems: kept, problemCount, warnings, sha256 };
  } catch (err) {
    output.discard();
    problemsOut?.discard();
    throw err;
  }
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeFileAtomic(path: string, text: string): void {
  const f = new PartialFile(path);
  try {
    f.write(text);
    f.commit();
  } catch (err) {
    f.discard();
    throw err;
  }
}
