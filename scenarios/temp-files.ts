/**
 * Temporary files of this process, removed on every exit path. An output is written beside its
 * target under a name ending in `.partial-<pid>` (a swapped-out predecessor: `.old-<pid>`) and
 * renamed into place when complete; scratch files (a decompressed trace) live in a private
 * directory `offersim-<pid>-XXXXXX` of the system temp folder. They are removed:
 * - when the process exits (normally, by process.exit, on an uncaught exception): an 'exit' hook;
 * - when it is killed (SIGINT, SIGTERM, SIGKILL, the OOM killer): by a reaper, a small shell
 *   process started with the first temporary path, which waits for the end of a pipe from this
 *   process and then removes what the registry in the private directory lists. JavaScript signal
 *   handlers would not do: they run only when the event loop turns, which a simulation (one
 *   synchronous call) does not let happen until it ends, so Ctrl-C would wait for the whole run,
 *   and a signal that arrives then is lost when the process ends normally;
 * - when the reaper died too (a whole process group or cgroup killed): by the next offersim that
 *   writes to the same place ({@link claimPartial}, {@link removeStalePartialsIn}) or starts
 *   ({@link removeStaleTemps}), for processes that no longer exist. The temporary files of a live
 *   process are never touched; liveness is that of a process id on this host (process.kill(pid, 0)).
 * Each thread (a sweep's workers) keeps its own registry and reaper. Composition root: files and
 * processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The end of a temporary name: `.partial-<pid>` or `.old-<pid>`. */
const TEMP_SUFFIX = /\.(?:partial|old)-(\d+)$/;

/** A process's private directory in the system temp folder (mkdtemp's six characters). */
const PROCESS_DIR = /^offersim-(\d+)-[A-Za-z0-9]{6}$/;

/** The registry file in the private directory: the temporary paths, NUL-separated. */
const REGISTRY = 'partials';

/**
 * The reaper: waits until this process's end of the pipe closes (at its death, whatever killed
 * it), then removes the registered paths and the private directory ($1).
 */
const REAPER = 'cat >/dev/null; if [ -s "$1/partials" ]; then xargs -0 rm -rf -- < "$1/partials"; fi; rm -rf -- "$1"';

/** Whether process `pid` exists on this host (a process of another user counts: EPERM). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The temporary name this process writes `path` under. */
export function partialPath(path: string): string {
  return `${path}.partial-${process.pid}`;
}

/**
 * Prepares to write `path` under its temporary name: removes the temporary names of `path`
 * left by processes that no longer exist (and this process's own), registers this process's
 * for removal on every exit path, and returns it. File-system errors are thrown as they are.
 */
export function claimPartial(path: string): string {
  removeStalePartials(path);
  const tmp = partialPath(path);
  rmSync(tmp, { recursive: true, force: true });
  registerTemp(tmp);
  return tmp;
}

/** Removes the `<path>.partial-<pid>` and `<path>.old-<pid>` siblings of processes that no longer exist. */
export function removeStalePartials(path: string): void {
  const name = basename(path);
  removeStale(dirname(path), (stem) => stem === name);
}

/** Removes every `*.partial-<pid>` and `*.old-<pid>` entry of `dir` whose process no longer exists. */
export function removeStalePartialsIn(dir: string): void {
  removeStale(dir, () => true);
}

function removeStale(dir: string, match: (stem: string) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no directory yet: nothing left in it
  }
  for (const name of names) {
    const m = TEMP_SUFFIX.exec(name);
    if (m === null || !match(name.slice(0, m.index)) || isAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** This thread's registry: its private directory (when it could be made), paths and reaper. */
interface Registry {
  dir: string | undefined;
  readonly paths: Set<string>;
  reaper: ChildProcess | undefined;
}

let registry: Registry | undefined;

function theRegistry(): Registry {
  if (registry !== undefined) return registry;
  const r: Registry = { dir: undefined, paths: new Set(), reaper: undefined };
  registry = r;
  process.once('exit', () => removeAll(r));
  privateDir(r);
  return r;
}

/** The private directory, made (with its reaper) on first use; undefined when the temp folder refuses it. */
function privateDir(r: Registry): string | undefined {
  if (r.dir !== undefined) return r.dir;
  try {
    r.dir = mkdtempSync(join(tmpdir(), `offersim-${process.pid}-`));
  } catch {
    return undefined; // the exit hook still removes what is registered
  }
  r.reaper = startReaper(r.dir);
  return r.dir;
}

function startReaper(dir: string): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    // Its own session (detached), so that a terminal's Ctrl-C reaches only offersim; stderr
    // inherited, so that whoever waits for offersim's output also waits for the clean-up.
    const child = spawn('/bin/sh', ['-c', REAPER, 'offersim-reaper', dir], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    return child;
  } catch {
    return undefined;
  }
}

/** Writes the registry file (replaced whole, so the reaper never reads half of it); best effort. */
function saveRegistry(r: Registry): void {
  if (r.dir === undefined) return;
  try {
    const next = join(r.dir, `${REGISTRY}.new`);
    writeFileSync(next, [...r.paths].join('\0'));
    renameSync(next, join(r.dir, REGISTRY));
  } catch {
    // The exit hook still removes what is registered; a stale leftover goes at the next start.
  }
}

function removeAll(r: Registry): void {
  for (const p of [r.dir, ...r.paths]) {
    if (p === undefined) continue;
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // nothing more can be done at exit
    }
  }
  r.paths.clear();
}

/** Registers `path` (a `.partial-<pid>` or `.old-<pid>` name) for removal on every exit path. */
export function registerTemp(path: string): void {
  const r = theRegistry();
  r.paths.add(path);
  saveRegistry(r);
}

/** Forgets `path`: it was renamed into place or removed. */
export function releaseTemp(path: string): void {
  const r = registry;
  if (r === undefined || !r.paths.delete(path)) return;
  saveRegistry(r);
}

/**
 * A new directory for scratch files, `<label>-XXXXXX` inside this process's private directory in
 * the system temp folder, removed with it on every exit path. Throws when the temp folder refuses it.
 */
export function makeTempDir(label: string): string {
  const dir = privateDir(theRegistry()) ?? mkdtempSync(join(tmpdir(), `offersim-${process.pid}-`));
  return mkdtempSync(join(dir, `${label}-`));
}

/**
 * Removes, from the system temp folder, the private directories of offersim processes of this
 * user that no longer exist, with the temporary paths their registries list (only names of that
 * process: `*.partial-<pid>` or `*.old-<pid>`). Best effort: never throws.
 */
export function removeStaleTemps(): void {
  const root = tmpdir();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = PROCESS_DIR.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    const dir = join(root, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || isAlive(pid)) continue;
      let listed: string[] = [];
      try {
        listed = readFileSync(join(dir, REGISTRY), 'utf8').split('\0');
      } catch {
        // no registry: nothing outside the directory
      }
      for (const p of listed) {
        if (TEMP_SUFFIX.exec(p)?.[1] === String(pid)) rmSync(p, { recursive: true, force: true });
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // another offersim may be removing it at the same time
    }
  }
}
