/**
 * Trace files as a run meets them: where a scenario's relative paths lead, whether a file is one
 * offersim can read (missing, a directory, unreadable, corrupt gzip, of another format than its
 * entry says: each an InputError naming the file and field, exit 2), gzip files decompressed once,
 * as a stream, into a temporary plain copy by {@link prepareTraces} (removed when the process, with
 * its worker threads, exits or is stopped by a signal, and by the next process when it was
 * killed), and plain files read synchronously in chunks, a line at a time (a line over the cap of
 * workloads/trace/lines.ts is a problem row, never held). Composition root: trace files are
 * touched here.
 */
import { closeSync, createReadStream, createWriteStream, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isMainThread } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { LineSplitter, MAX_LINE_BYTES, type LineItem } from '../workloads/trace/lines.js';
import { traceFormat } from '../workloads/trace/registry.js';
import { looksLike, SNIFF_LINES, sniffTrace } from '../workloads/trace/sniff.js';
import { InputError } from './errors.js';
import type { Scenario } from './schema.js';

/** Scenario objects to the directory their relative paths are resolved against (set by the loader). */
const bases = new WeakMap<object, string>();

/** Records that `scenario`'s relative paths (traces, modules) are relative to `dir`. */
export function setScenarioBase(scenario: object, dir: string): void {
  bases.set(scenario, dir);
}

/** The directory relative trace paths of `scenario` resolve against: its file's, else the working directory. */
export function scenarioBase(scenario: object): string {
  return bases.get(scenario) ?? process.cwd();
}

/**
 * An error met reading trace `file` as bad input (InputError, exit 2) naming the file and, when
 * given, the scenario field that names it: gzip data that is truncated or corrupt, or the system
 * refusing to read (a directory, no permission, an I/O error). Anything else (a bug) is returned
 * unchanged.
 */
export function traceReadError(file: string, err: unknown, field = ''): unknown {
  if (err instanceof InputError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  // Errors of Node's streams may come from another realm (a test sandbox): read the field.
  const m = (err as { message?: unknown }).message;
  const message = typeof m === 'string' ? m : String(err);
  return new InputError([
    {
      file,
      path: field,
      message: code.startsWith('Z_') ? `is not a whole gzip file (${message}): truncated or corrupt` : `cannot be read (${message})`,
    },
  ]);
}

/**
 * Checks that `path` is a trace file offersim can read: it exists, is a regular file (not a
 * directory, device or pipe, which cannot be read twice) and opens. Otherwise an InputError naming
 * `file` (the scenario, or the path itself) and `field`.
 */
export function checkTraceFile(path: string, field = '', file = path): void {
  const where = file === path ? '' : `: ${path}`;
  if (!existsSync(path)) throw new InputError([{ file, path: field, message: `no such file${where}` }]);
  const st = statSync(path);
  if (st.isDirectory()) throw new InputError([{ file, path: field, message: `is a directory, not a trace file${where}` }]);
  if (!st.isFile()) throw new InputError([{ file, path: field, message: `is not a regular file${where}` }]);
  try {
    closeSync(openSync(path, 'r'));
  } catch (err) {
    throw traceReadError(path, err, field);
  }
}

/** Plain copies of gzip traces, by absolute path. */
const plainCopies = new Map<string, string>();
let tmpDir: string | undefined;

/** Temporary folders of plain trace copies: `offersim-traces-<pid>-<random>` in the system temp folder. */
const TMP_PREFIX = 'offersim-traces-';
const TMP_NAME = /^offersim-traces-(\d+)-[A-Za-z0-9]{6}$/;

/** Whether process `pid` is alive (or exists under another user, which the signal test cannot tell apart). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code !== 'ESRCH';
  }
}

/**
 * Removes the temporary trace folders of processes that are gone (killed before they could clean
 * up): a folder is named by its process id, and one of a live process is never touched.
 */
export function removeStaleTraceCopies(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TMP_NAME.exec(name);
    if (m === null || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another user's folder, or removed meanwhile: not ours to insist on.
    }
  }
  return removed;
}

/** Removes this process's folders of plain copies: its own and its worker threads' (a sweep's), which share its id. */
function removeOwnTraceCopies(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    if (TMP_NAME.exec(name)?.[1] === String(process.pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

let cleanupArmed = false;

/**
 * Arms the removal of this process's copies when it exits, and on SIGINT, SIGTERM and SIGHUP
 * before the signal is raised again (so the process still ends by it). Only the main thread
 * arms it: a worker thread sees no signal, and one ended by its pool runs no exit handler, so
 * the main thread removes its workers' copies with its own.
 */
function armTraceCopyRemoval(): void {
  if (cleanupArmed || !isMainThread) return;
  cleanupArmed = true;
  process.once('exit', removeOwnTraceCopies);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeOwnTraceCopies();
      process.kill(process.pid, signal);
    });
  }
}

/** This thread's folder for plain copies of gzip traces, made on first use after removing the stale folders of dead processes. */
function traceTempDir(): string {
  if (tmpDir !== undefined) return tmpDir;
  removeStaleTraceCopies();
  armTraceCopyRemoval();
  tmpDir = mkdtempSync(join(tmpdir(), `${TMP_PREFIX}${process.pid}-`));
  return tmpDir;
}

/** Whether the file at `path` starts as gzip data does (an InputError naming it when it cannot be read). */
export function isGzip(path: string, field = ''): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (err) {
    throw traceReadError(path, err, field);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The first lines of a plain file (at most 64 KB of it, whole lines only), to sniff its format. */
function headLines(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, n);
    const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    // A cut last line is not sniffed (its fields would be short), unless the file ends there.
    if (n === buf.length) lines.pop();
    return lines.filter((l) => l.trim() !== '').slice(0, SNIFF_LINES);
  } finally {
    closeSync(fd);
  }
}

/**
 * The problem of a trace whose first lines look like another format or kind than its entry says
 * (a SWIM file given as swf, a cluster file as a job trace), naming what it looks like; undefined
 * when it looks like its format, or like nothing known (its rows then say what is wrong).
 */
function formatMismatch(lines: readonly string[], format: string, kind: 'jobs' | 'cluster'): string | undefined {
  const looks = sniffTrace(lines);
  if (looks === undefined || (looks.scenarioFormat === format && looks.kind === kind)) return undefined;
  if (looks.kind !== undefined && looks.kind !== kind) {
    const [it, entry] = looks.kind === 'jobs' ? ['jobs', 'traces'] : ['agents', 'cluster.traces'];
    return `holds ${it}, not ${kind === 'jobs' ? 'jobs' : 'agents'}: it looks like ${looks.description}; name it in ${entry}${looks.scenarioFormat === undefined ? '' : ` with format ${looks.scenarioFormat}`}`;
  }
  return `is not ${format}: ${looksLike(looks, format, 'scenario')}`;
}

/**
 * Decompresses every gzip job trace the scenario names into a temporary plain file, as a stream;
 * the synchronous readers then use it. Checks every trace file (job and cluster) first: missing,
 * a directory, unreadable, truncated or corrupt gzip, or of another format than its entry says
 * (from its first lines), each reported with the field that names it.
 */
export async function prepareTraces(s: Scenario, scenarioFile: string): Promise<void> {
  const base = dirname(resolve(scenarioFile));
  setScenarioBase(s, base);
  const files: { path: string; field: string; format?: string; kind?: 'jobs' | 'cluster' }[] = [];
  (s.traces ?? []).forEach((t, i) => {
    files.push({ path: resolve(base, t.file), field: `traces[${i}].file`, format: t.format, kind: 'jobs' });
    // Auxiliary inputs are options holding paths (Google 2011's jobEvents).
    const fmt = traceFormat(t.format);
    for (const name of fmt?.kind === 'jobs' ? (fmt.auxInputs ?? []) : []) {
      const aux = t.options[name];
      if (typeof aux === 'string') files.push({ path: resolve(base, aux), field: `traces[${i}].options.${name}` });
    }
  });
  (s.cluster.traces ?? []).forEach((t, i) =>
    files.push({ path: resolve(base, t.file), field: `cluster.traces[${i}].file`, format: t.format, kind: 'cluster' }),
  );
  // Armed here too, not only with a copy: a sweep's points (each its own --set) may decompress
  // in worker threads what the main thread did not.
  if ((s.traces ?? []).length > 0) armTraceCopyRemoval();
  // Importer options are checked now, as validate does, not when the run first reads the trace.
  const entries: { format: string; options: Readonly<Record<string, unknown>>; field: string }[] = [
    ...(s.traces ?? []).map((t, i) => ({ format: t.format, options: t.options, field: `traces[${i}]` })),
    ...(s.cluster.traces ?? []).map((t, i) => ({ format: t.format, options: t.options, field: `cluster.traces[${i}]` })),
  ];
  for (const e of entries) {
    try {
      traceFormat(e.format)?.create(e.options);
    } catch (err) {
      throw new InputError([{ file: scenarioFile, path: `${e.field}.options`, message: (err as Error).message }]);
    }
  }
  for (const f of files) {
    checkTraceFile(f.path, f.field, scenarioFile);
    let plain = plainCopies.get(f.path);
    if (plain === undefined && isGzip(f.path, f.field) && f.kind !== 'cluster') {
      const copy = join(traceTempDir(), `${plainCopies.size}-${basename(f.path).replace(/\.gz$/i, '')}`);
      try {
        await pipeline(createReadStream(f.path), createGunzip(), createWriteStream(copy));
      } catch (err) {
        rmSync(copy, { force: true });
        throw traceReadError(f.path, err, f.field);
      }
      plainCopies.set(f.path, copy);
      plain = copy;
    }
    if (f.format === undefined || f.kind === undefined) continue;
    // A gzip cluster trace is read whole when the cluster is built (traceAgents checks it there).
    const lines = plain !== undefined ? headLines(plain) : isGzip(f.path, f.field) ? [] : headLines(f.path);
    const why = formatMismatch(lines, f.format, f.kind);
    if (why !== undefined) throw new InputError([{ file: f.path, path: f.field.replace(/\.file$/, '.format'), message: why }]);
  }
}

/** The plain file to read for `path` (its decompressed copy for a prepared gzip file). */
export function readablePath(path: string, field: string): string {
  const copy = plainCopies.get(path);
  if (copy !== undefined) return copy;
  checkTraceFile(path, field);
  if (isGzip(path, field)) {
    throw new InputError([
      { file: path, path: field, message: 'a gzip trace is decompressed when the scenario is opened: load the scenario with openScenario() (the CLI does)' },
    ]);
  }
  return path;
}

/**
 * Lines of a plain file, read in 1 MB chunks, without line endings (a final empty line is not
 * yielded); a line longer than `maxBytes` comes as a {@link LongLine}, never held whole. A read
 * error is an InputError naming the file (and `field`).
 */
export function* syncLines(path: string, maxBytes = MAX_LINE_BYTES, field = ''): Generator<LineItem> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw traceReadError(path, err, field);
  }
  const chunk = Buffer.alloc(1 << 20);
  const splitter = new LineSplitter(maxBytes);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw traceReadError(path, err, field);
      }
      if (n === 0) break;
      yield* splitter.push(chunk.subarray(0, n));
    }
    yield* splitter.end();
  } finally {
    closeSync(fd);
  }
}
