/**
 * Writing outputs. Every file-system failure on a path offersim writes (no space, a quota, no
 * permission, a read-only or special file system such as /proc, a path through a regular file)
 * becomes an OutputError (exit 2, one line naming the path and the OS reason), never a stack
 * trace or an "internal error". Directories are made one level at a time (Node's recursive
 * mkdir never returns under /proc), and large files are written in chunks as they are produced,
 * never built as one string (a JavaScript string holds at most 2^29 - 24 characters).
 * Composition root: files.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutputError } from './errors.js';
import { claimPartial, releaseTemp } from './temp-files.js';

/** What the common system error codes mean, in words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file size limit (ulimit -f)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOENT: 'no such file or directory',
  ENOTEMPTY: 'directory not empty',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'device or resource busy',
  EXDEV: 'on another device',
  EINVAL: 'invalid argument (the file system does not allow it)',
  ETXTBSY: 'text file busy',
};

/** The code of a Node.js system error (a failed system call), else undefined. */
export function systemErrorCode(err: unknown): string | undefined {
  // Not `instanceof Error`: an error from another realm (a vm context, a test sandbox) is one too.
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as NodeJS.ErrnoException;
  return typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string' ? e.code : undefined;
}

/** The OS reason of a system error, in words, with its code: `no space left on the device (ENOSPC)`. */
export function systemReason(err: NodeJS.ErrnoException & { code: string }): string {
  // libuv's own text otherwise: "ECODE: the reason, syscall 'path'".
  const words = REASONS[err.code] ?? /^[A-Z0-9]+: (.*?)(?:, [a-z]+(?: '.*)?)?$/.exec(err.message)?.[1] ?? err.message;
  return `${words} (${err.code})`;
}

/**
 * The line to print for an error that nothing turned into a message of its own, when the
 * environment or the size of the input caused it (a last resort, exit 2): a failed system call,
 * or text longer than a JavaScript string holds (a line or a file of more than 512 MiB; offersim
 * writes its own outputs in chunks). Undefined for anything else.
 */
export function environmentLine(err: unknown): string | undefined {
  if (systemErrorCode(err) !== undefined) {
    const e = err as NodeJS.ErrnoException & { code: string };
    return `offersim: ${e.path ?? e.syscall}: ${systemReason(e)}`;
  }
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  if (e.code === 'ERR_STRING_TOO_LONG' || e.code === 'ERR_FS_FILE_TOO_LARGE' || (e.name === 'RangeError' && e.message === 'Invalid string length')) {
    return `offersim: a line or a file too large to hold as one string (at most 512 MiB): ${String(e.message)}`;
  }
  return undefined;
}

/**
 * `err` as an OutputError naming `path` (what the user knows: the output, not its temporary
 * name) and what could not be done, when it is a system error; else `err` itself.
 */
export function outputError(path: string, action: string, err: unknown): unknown {
  if (err instanceof OutputError) return err;
  const code = systemErrorCode(err);
  if (code === undefined) return err;
  return new OutputError(path, `cannot ${action}: ${systemReason(err as NodeJS.ErrnoException & { code: string })}`, code, err);
}

/** Runs `fn`, turning a system error into an OutputError (see {@link outputError}). */
export function onOutput<T>(path: string, action: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw outputError(path, action, err);
  }
}

/**
 * Makes directory `dir` and its missing parents, one level at a time (a directory that exists is
 * fine). A failure is an OutputError naming `shown`, saying `what` for `dir` itself.
 */
export function makeDirs(dir: string, shown: string = dir, what = 'create the directory'): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let d = target; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      if (systemErrorCode(err) === 'EEXIST' && statSync(d, { throwIfNoEntry: false })?.isDirectory() === true) continue;
      const action = d === target ? what : `create its parent directory ${d}`;
      // A special file system (/proc, /sys) answers "no such file" for a directory it will not hold.
      if (systemErrorCode(err) === 'ENOENT' && existsSync(dirname(d))) {
        throw new OutputError(shown, `cannot ${action}: the file system of ${dirname(d)} does not allow a new directory there (ENOENT)`, 'ENOENT', err);
      }
      throw outputError(shown, action, err);
    }
  }
}

/** Writes `data` to `path` (created or truncated), errors naming `shown`. */
export function writeOutputFile(path: string, data: string | Uint8Array, shown: string = path): void {
  onOutput(shown, 'write the file', () => writeFileSync(path, data));
}

/**
 * Writes `text` to `path` under a temporary name renamed into place when complete, so that a
 * failed or killed write never leaves a file that looks finished.
 */
export function writeAtomic(path: string, text: string, shown: string = path): void {
  onOutput(shown, 'write the file', () => {
    const tmp = claimPartial(path);
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    } finally {
      releaseTemp(tmp);
    }
  });
}

/** Characters buffered before a write: 1 MiB or so. */
const CHUNK = 1 << 20;

/**
 * A file written in chunks as text is produced: the pieces are buffered and written about every
 * megabyte, so memory stays bounded whatever the file's size. A failure is an OutputError naming
 * `shown`; after one, every further write throws it again.
 */
export class OutputStream {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  private failure: unknown;

  constructor(
    path: string,
    readonly shown: string = path,
  ) {
    this.fd = onOutput(shown, 'create the file', () => openSync(path, 'w'));
  }

  /** Appends `text`. */
  write(text: string): void {
    if (this.failure !== undefined) throw this.failure;
    this.buf.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  /** Appends the bytes of file `path` (read in chunks). */
  copyFrom(path: string): void {
    this.flush();
    const fd = onOutput(this.shown, 'read back its temporary part', () => openSync(path, 'r'));
    try {
      const buf = Buffer.alloc(CHUNK);
      for (;;) {
        const n = onOutput(this.shown, 'read back its temporary part', () => readSync(fd, buf, 0, buf.length, null));
        if (n === 0) break;
        this.writeBytes(buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Writes out what is buffered. */
  flush(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.size === 0 && this.buf.length === 0) return;
    const bytes = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    this.size = 0;
    this.writeBytes(bytes);
  }

  /** Flushes and closes the file. */
  close(): void {
    if (this.fd < 0) return;
    this.flush();
    const fd = this.fd;
    this.fd = -1;
    onOutput(this.shown, 'write the file', () => closeSync(fd));
  }

  /** Closes the file without writing what is buffered (after a failure); never throws. */
  abandon(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // it is being given up
    }
    this.fd = -1;
    this.buf = [];
  }

  private writeBytes(bytes: Uint8Array): void {
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (err) {
      this.failure = outputError(this.shown, 'write the file', err);
      throw this.failure;
    }
  }
}

/** The lines of file `path` (ends LF or CRLF, without them), read in chunks; errors name `shown`. */
export function* fileLines(path: string, shown: string = path): Generator<string> {
  const fd = onOutput(shown, 'read back its temporary part', () => openSync(path, 'r'));
  try {
    const chunk = Buffer.alloc(CHUNK);
    // Bytes after the last line end: decoded only with their line, so that a multi-byte
    // character split between chunks stays whole.
    let rest = Buffer.alloc(0);
    for (;;) {
      const n = onOutput(shown, 'read back its temporary part', () => readSync(fd, chunk, 0, chunk.length, null));
      if (n === 0) break;
      const cut = chunk.lastIndexOf(10, n - 1);
      if (cut < 0) {
        rest = Buffer.concat([rest, chunk.subarray(0, n)]);
        continue;
      }
      const lines = Buffer.concat([rest, chunk.subarray(0, cut)])
        .toString('utf8')
        .split('\n');
      rest = Buffer.from(chunk.subarray(cut + 1, n));
      for (const l of lines) yield l.endsWith('\r') ? l.slice(0, -1) : l;
    }
    if (rest.length > 0) {
      const l = rest.toString('utf8');
      yield l.endsWith('\r') ? l.slice(0, -1) : l;
    }
  } finally {
    closeSync(fd);
  }
}
