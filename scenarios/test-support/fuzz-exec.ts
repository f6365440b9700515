/**
 * Running fuzz cases of the command line, each under a wall-time budget and a heap cap, so that a
 * hang or a memory explosion is a finding rather than a stuck test: cheap cases in a reused worker
 * thread (the built CLI's `main`, no process start-up), cases that run simulations or write into
 * the working directory in a child process. Test-only (excluded from the build); needs dist/.
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { CLI, ENV, ROOT } from './child.js';

/** How a case ended. */
export const ENDS = ['exit', 'timeout', 'oom', 'crash'] as const;
/** 'exit': the command returned a code; 'timeout': stopped at the budget; 'oom': out of heap; 'crash': died otherwise. */
export type End = (typeof ENDS)[number];

/** What one command did. */
export interface Outcome {
  /** the exit code; undefined unless `end` is 'exit' (or a child that died of a signal: then its status) */
  readonly code: number | undefined;
  readonly out: string;
  readonly err: string;
  readonly end: End;
  /** wall milliseconds */
  readonly ms: number;
  /** names the command added to Object.prototype, Array.prototype or Function.prototype (worker only); default none */
  readonly polluted: readonly string[];
}

/** Limits of a case. */
export interface Limits {
  /** wall milliseconds before the case is stopped and counted as a hang */
  readonly budgetMs: number;
  /** heap cap, MB: a case above it is counted as out of memory */
  readonly heapMb: number;
}

/** Keeps at most this many characters of a stream: a command printing without end must not exhaust the test. */
const KEEP = 1 << 16;

const clip = (s: string): string => (s.length > KEEP ? `${s.slice(0, KEEP)}\n[... ${s.length - KEEP} more characters]` : s);

/**
 * The worker's script: imports the built CLI once, then runs one argv per message (never two at
 * once: the parent waits for each answer) and reports what it printed and any prototype it changed.
 */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const protos = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype };
const before = Object.fromEntries(Object.entries(protos).map(([k, p]) => [k, new Set(Reflect.ownKeys(p).map(String))]));
const ready = import(workerData.main);
parentPort.on('message', async ({ id, argv }) => {
  const { main } = await ready;
  let out = '';
  let err = '';
  let code;
  try {
    code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  } catch (e) {
    err += 'main threw: ' + (e && e.stack ? e.stack : String(e));
    code = -1;
  }
  const polluted = [];
  for (const [k, p] of Object.entries(protos)) for (const n of Reflect.ownKeys(p)) if (!before[k].has(String(n))) polluted.push(k + '.prototype.' + String(n));
  parentPort.postMessage({ id, code, out, err, polluted });
});
`;

interface WorkerAnswer {
  readonly id: number;
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly polluted: string[];
}

/**
 * The built CLI's `main` in a worker thread, reused from case to case. A case over its budget or
 * its heap cap ends the worker; so does one that changed a shared prototype (the next case would
 * inherit it). The next case starts a fresh worker. The worker's environment is `env` (a case
 * that decompresses a trace writes under its TMPDIR). Never changes the working directory:
 * cases must name every output path absolutely.
 */
export class WorkerCli {
  private worker: Worker | undefined;
  private stray = '';
  /** the last case asked, to answer one case at a time */
  private queue: Promise<unknown> = Promise.resolve();
  private id = 0;

  constructor(
    private readonly limits: Limits,
    private readonly env: NodeJS.ProcessEnv = ENV,
  ) {}

  private start(): Worker {
    const w = new Worker(WORKER_SCRIPT, {
      eval: true,
      workerData: { main: pathToFileURL(join(ROOT, 'dist', 'scenarios', 'main.js')).href },
      env: this.env,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb },
      // What the command writes around its io (process.stderr, console) is kept, not shown.
      stdout: true,
      stderr: true,
    });
    w.stdout.on('data', (b: Buffer) => {
      this.stray = clip(this.stray + b.toString('utf8'));
    });
    w.stderr.on('data', (b: Buffer) => {
      this.stray = clip(this.stray + b.toString('utf8'));
    });
    // An error after a case has answered (a stream failing late) ends the worker; it must not
    // reach the test as an unhandled 'error' event. The next case starts a fresh worker.
    w.on('error', (e: Error) => {
      this.stray = clip(`${this.stray}${e.stack ?? e.message}\n`);
      if (this.worker === w) this.worker = undefined;
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
    });
    return w;
  }

  /** Runs `offersim ...argv` in the worker, after the cases asked before it. */
  run(argv: readonly string[]): Promise<Outcome> {
    const next = this.queue.then(() => this.runNow(argv));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(argv: readonly string[]): Promise<Outcome> {
    const w = (this.worker ??= this.start());
    const id = ++this.id;
    this.stray = '';
    const t0 = performance.now();
    const answer = await new Promise<{ end: End; a?: WorkerAnswer; error?: string }>((done) => {
      const timer = setTimeout(() => {
        finish({ end: 'timeout' });
      }, this.limits.budgetMs);
      const onMessage = (a: WorkerAnswer): void => {
        if (a.id === id) finish({ end: 'exit', a });
      };
      const onError = (e: Error & { code?: string }): void =>
        finish({ end: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'crash', error: e.stack ?? e.message });
      const onExit = (): void => finish({ end: 'crash', error: 'the worker exited' });
      function finish(r: { end: End; a?: WorkerAnswer; error?: string }): void {
        clearTimeout(timer);
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
        done(r);
      }
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      w.postMessage({ id, argv: [...argv] });
    });
    const ms = performance.now() - t0;
    const polluted = answer.a?.polluted ?? [];
    if (answer.end !== 'exit' || polluted.length > 0) {
      this.worker = undefined;
      await w.terminate();
    }
    const err = clip((answer.a?.err ?? '') + (answer.error ?? '') + this.stray);
    return { code: answer.a?.code, out: clip(answer.a?.out ?? ''), err, end: answer.end, ms, polluted };
  }

  /** Ends the worker. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}

/** V8's messages when a heap cap is reached (`--max-old-space-size`). */
const HEAP_OUT = /heap out of memory|Reached heap limit/;

/**
 * Runs `node dist/scenarios/cli.js ...argv` in a child process in `cwd` with the heap cap, killed
 * (SIGKILL) at the budget. `env` replaces the test's environment (shard variables removed).
 */
export function childCli(argv: readonly string[], o: Limits & { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((done) => {
    const p = spawn(process.execPath, [`--max-old-space-size=${o.heapMb}`, CLI, ...argv], { cwd: o.cwd, env: o.env ?? ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    p.stdout.on('data', (b: Buffer) => {
      out = clip(out + b.toString('utf8'));
    });
    p.stderr.on('data', (b: Buffer) => {
      err = clip(err + b.toString('utf8'));
    });
    const timer = setTimeout(() => {
      killed = true;
      p.kill('SIGKILL');
    }, o.budgetMs);
    p.on('error', (e) => {
      err = clip(`${err}${e.message}\n`);
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      const end: End = killed ? 'timeout' : HEAP_OUT.test(err) ? 'oom' : signal !== null ? 'crash' : 'exit';
      done({ code: code ?? undefined, out, err: signal !== null && !killed ? `${err}\n[killed by ${signal}]` : err, end, ms, polluted: [] });
    });
  });
}
