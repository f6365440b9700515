/**
 * The offersim command line (yargs): run, report, sweep, merge, check, compare, verify, validate,
 * import and list. `main` returns the exit code instead of exiting, so tests can drive it; cli.ts is the
 * executable wrapper. Exit codes: 0 success, 1 a check found a regression, 2 bad input or usage,
 * 3 an internal invariant broke; a sweep with failed points exits 2 when bad input made every one
 * fail, else 3.
 */
import yargs from 'yargs';
import { listAllocators } from '../allocators/registry.js';
import { InvariantError } from '../sim/kernel/errors.js';
import { BEHAVIOURS } from './behaviours/index.js';
import { WORKLOAD_FORMATS } from '../workloads/registry.js';
import { ExitCode, InputError, UserAllocatorError, inputErrorOf, excerpt, type Problem } from './errors.js';
import { MAX_WORKERS } from './limits.js';
import { openScenario, readFlagValue } from './loader.js';
import { RESERVED_KEYS } from './yaml-input.js';
import { runScenario } from './run.js';
import { parseShard, pointOpener, shardFromEnv, sweepPoints, sweepSize } from './sweep-points.js';
import { mergeSweeps } from './sweep-results.js';
import { runSweep } from './sweep.js';
import { checkRun, updateBaseline } from './check.js';
import { compareCommand } from './compare.js';
import type { Comparison } from '../reports/compare.js';
import { SHOWN_VIOLATIONS, verifyRun, verifyVerdict } from './verify.js';
import { availableParallelism } from 'node:os';
import { importTrace } from './trace-import.js';
import { TRACE_FORMATS } from '../workloads/trace/registry.js';
import { basename, join } from 'node:path';
import { VERSION } from './version.js';
import { environmentLine, writeOutputFile } from './output-files.js';
import { headlineText } from '../reports/run-table.js';
import { closest, didYouMean } from './did-you-mean.js';
import type { RunOutcome } from './run.js';

/** Where the CLI writes, and what it may read of its environment. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** the environment (shard variables of Slurm and Kubernetes); default none */
  readonly env?: NodeJS.ProcessEnv;
  /** stderr is a terminal (progress as one updating line); default false */
  readonly tty?: boolean;
}

const LISTS = ['allocators', 'frameworks', 'formats'] as const;

function listText(what: string | undefined): string {
  const section = (title: string, rows: readonly { name: string; description: string }[]): string => {
    const w = Math.max(...rows.map((r) => r.name.length));
    return `${title}:\n${rows.map((r) => `  ${r.name.padEnd(w)}  ${r.description}`).join('\n')}\n`;
  };
  const parts: string[] = [];
  if (what === undefined || what === 'allocators') parts.push(section('allocators', listAllocators()));
  if (what === undefined || what === 'frameworks') parts.push(section('frameworks', BEHAVIOURS));
  if (what === undefined || what === 'formats') {
    parts.push(
      section('formats', [
        ...WORKLOAD_FORMATS,
        ...TRACE_FORMATS.map((f) => ({ name: f.name, description: `${f.kind === 'jobs' ? 'trace' : 'cluster trace'}: ${f.description}` })),
      ]),
    );
  }
  return parts.join('\n');
}

/**
 * The text given to flag `--name` on the command line (its last use), '' when it is given no
 * value, undefined when absent. yargs reads number flags as numbers, letting `1e3`, `0x10` and a
 * missing value through: the integer flags are checked on their text.
 */
function flagText(argv: readonly string[], name: string): string | undefined {
  let text: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith(`--${name}=`)) text = a.slice(name.length + 3);
    else if (a === `--${name}`) text = argv[i + 1] === undefined || argv[i + 1]!.startsWith('--') ? '' : argv[i + 1];
  }
  return text;
}

/** `--seed N`: decimal digits, 0 to 2^32 - 1 (no sign, exponent, hex or blank). */
function parseSeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!(n <= 2 ** 32 - 1))
    throw new InputError([{ file: '--seed', path: '', message: `expected an integer from 0 to 4294967295, got "${excerpt(String(v))}"` }]);
  return n;
}

/** `--workers N`: decimal digits, 1 to MAX_WORKERS. */
function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= MAX_WORKERS))
    throw new InputError([{ file: '--workers', path: '', message: `expected an integer from 1 to ${MAX_WORKERS}, got "${excerpt(String(v))}"` }]);
  return n;
}

/** Flags that take one value: yargs makes a list of a repeated one, which is refused. */
const SINGLE_FLAGS = ['seed', 'out', 'workers', 'shard', 'baseline', 'markdown', 'reference', 'metrics', 'csv', 'html'] as const;

function checkSingleFlags(argv: Record<string, unknown>): void {
  const problems = SINGLE_FLAGS.filter((f) => Array.isArray(argv[f])).map((f) => ({
    file: `--${f}`,
    path: '',
    message: `given ${(argv[f] as unknown[]).length} times (${(argv[f] as unknown[]).map((x) => `"${excerpt(String(x))}"`).join(', ')}): give it once`,
  }));
  if (problems.length > 0) throw new InputError(problems);
}

/** `--option key=value` flags of `import`: keys once each, values read as YAML (loader.ts readFlagValue). */
function parseOptions(flags: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const kv of flags) {
    const eq = kv.indexOf('=');
    const key = kv.slice(0, eq);
    if (eq <= 0) problems.push({ file: '--option', path: excerpt(kv), message: 'expected key=value' });
    else if (RESERVED_KEYS.has(key)) problems.push({ file: '--option', path: key, message: `"${key}" is not allowed as an option name` });
    else if (Object.prototype.hasOwnProperty.call(options, key)) problems.push({ file: '--option', path: key, message: 'given twice' });
    else {
      const v = readFlagValue(kv.slice(eq + 1), '--option', key);
      if (v.ok) options[key] = v.value;
      else problems.push(...v.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return options;
}

/**
 * `compare --json`'s object: the comparison as computed, each row naming its metric by key (the
 * metrics' units and directions are listed once); a number that is not defined (a mean without
 * seeds, a difference without pairs) is null.
 */
function compareJson(c: Comparison): object {
  return { offersim: VERSION, ...c, rows: c.rows.map((r) => ({ ...r, metric: r.metric.key })) };
}

/** `run --json`'s object: where the run went, what identifies it, how it ended and its summary metrics. */
function runJson(file: string, r: RunOutcome, report: string | undefined): Record<string, unknown> {
  return {
    offersim: VERSION,
    scenario: file,
    dir: r.dir,
    seed: r.seed,
    fingerprint: r.fingerprint,
    endTime: r.endSeconds,
    endReason: r.reason,
    events: r.events,
    ...(report === undefined ? {} : { report }),
    summary: r.summary,
  };
}

/** The commands, in the order `offersim --help` lists them. */
const COMMANDS = ['run', 'report', 'validate', 'sweep', 'merge', 'check', 'compare', 'verify', 'import', 'list'] as const;

/**
 * yargs' "Unknown argument(s): a, b" with a did-you-mean: a mistyped command (the first word)
 * among the commands, else the first mistyped flag among the command's flags (`flags`).
 */
function withSuggestion(msg: string, argv: readonly string[], flags: readonly string[]): string {
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (m === null) return msg;
  const unknown = m[1]!.split(', ');
  if (argv[0] !== undefined && unknown[0] === argv[0] && !(COMMANDS as readonly string[]).includes(argv[0])) return `${msg}${didYouMean(argv[0], COMMANDS)}`;
  // yargs also knows each dashed flag in camel case: the dashed spelling is the one users type.
  const dashed = flags.filter((f) => !/[A-Z]/.test(f) || !flags.includes(f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
  for (const u of unknown) {
    const near = closest(u, dashed);
    if (near !== undefined) return `${msg}; did you mean "--${near}"?`;
  }
  return msg;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let usageError: string | undefined;
  // Handlers only record what to do: yargs validates flags after calling them, and a command
  // must not run (nor write anything) when its flags are bad.
  let action: (() => Promise<void>) | undefined;
  // The user allocator module of the scenario being run, to blame it (not offersim) for its failures.
  let userModule: string | undefined;
  // Some sweep points failed (each named on stderr): the others' results stand; exit 2 when bad
  // input made every one fail, else 3.
  let sweepFailed: 'input' | 'internal' | undefined;
  // A check found a regression: exit 1.
  let regression = false;
  const parser = yargs([...argv])
    .scriptName('offersim')
    .version(VERSION)
    .strict()
    .exitProcess(false)
    .wrap(100)
    .fail((msg, err) => {
      // Errors thrown by a command handler propagate; yargs' own messages are usage errors.
      if (err !== undefined && err !== null && (err instanceof InputError || err instanceof InvariantError || !msg)) throw err;
      usageError =
        msg === null || msg === undefined
          ? 'bad usage'
          : withSuggestion(msg, argv, Object.keys((parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key));
    })
    .command(
      'run <scenario>',
      'run one simulation and write its run directory',
      (y) =>
        y
          .example('$0 run scenarios/examples/quickstart.yaml', 'into runs/quickstart, with a progress line')
          .example('$0 run my.yaml --set allocator=fifo --seed 3', 'another policy and seed')
          .example('$0 run my.yaml --json', 'one JSON object on stdout, for scripts')
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
          .option('seed', { type: 'number', describe: "seed override (integer 0..2^32-1); default the scenario's seed" })
          .option('out', {
            type: 'string',
            describe: 'run directory; default runs/<scenario name>. Replaced only when absent, empty or an offersim run directory',
          })
          .option('force', {
            type: 'boolean',
            default: false,
            describe:
              'replace the --out directory even when it holds other files (they are deleted); never the current directory, its ancestors or a directory holding an input',
          })
          .option('set', { type: 'string', array: true, describe: 'override a scenario field: key=value (dotted path), repeatable' })
          .option('events', { type: 'boolean', default: false, describe: 'also write events.jsonl (every log record)' })
          .option('report', {
            type: 'boolean',
            default: false,
            describe: 'also render charts/ (Vega-Lite, SVG, PNG) and report.html, as offersim report does',
          })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress while the run goes (stderr)' })
          .option('fold-thread', {
            type: 'boolean',
            describe:
              'fold the metrics and the fingerprint in a second thread, on another core (default: when the machine has two or more); the files are the same either way',
          })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'print one JSON object on stdout (run directory, seed, fingerprint, end, summary metrics) and nothing else there',
          }),
      (a) => {
        action = async () => {
          const loaded = await openScenario(a.scenario, a.set ?? []);
          userModule = loaded.allocator?.module?.spec;
          const seed = parseSeed(flagText(argv, 'seed'));
          if (loaded.scenario.sweep !== undefined) {
            io.err(
              `offersim: ${loaded.file} has a sweep block: this runs only its base point (the scenario without the sweep, seed ${seed ?? loaded.scenario.seed}); offersim sweep ${loaded.file} runs its ${sweepSize(loaded.file, loaded.scenario)} points\n`,
            );
          }
          const progress = a.quiet === true ? undefined : { write: (t: string) => io.err(t), tty: io.tty === true };
          const foldThread = a['fold-thread'] ?? availableParallelism() > 1;
          const r = runScenario(loaded, { out: a.out, seed, events: a.events, force: a.force, progress, foldThread });
          // With --json, stdout holds the JSON object alone: the rest goes to stderr.
          const say = a.json === true ? io.err : io.out;
          say(
            `offersim ${VERSION}: ${loaded.file} seed ${r.seed}: ${r.reason} at t=${r.endSeconds} s, ` +
              `${r.events} events in ${r.wallSeconds.toFixed(2)} s wall\n` +
              `fingerprint ${r.fingerprint}\nresults in ${r.dir}\n`,
          );
          if (a.json !== true) io.out(`\n${headlineText(r.summary)}`);
          let report: string | undefined;
          if (a.report === true) {
            // Loaded on demand: vega and vega-lite take a while to import, and a plain run needs neither.
            const { writeReport } = await import('./report.js');
            const rep = await writeReport(r.dir);
            report = join(rep.dir, 'report.html');
            say(`${rep.files.length - 1} chart files in ${rep.totalSeconds.toFixed(2)} s\nreport ${report}\n`);
          }
          if (a.json === true) io.out(`${JSON.stringify(runJson(loaded.file, r, report))}\n`);
        };
      },
    )
    .command(
      'report <dir>',
      'render the charts (Vega-Lite, SVG, PNG) and report.html of an existing run directory',
      (y) =>
        y
          .example('$0 report runs/quickstart', 'charts/ and report.html in runs/quickstart')
          .example('$0 report runs/quickstart --no-png', 'only the Vega-Lite and SVG charts')
          .positional('dir', { type: 'string', demandOption: true, describe: 'run directory (with manifest.json, summary.json and the CSV files)' })
          .option('png', { type: 'boolean', default: true, describe: 'also write PNGs (--no-png: only .vl.json and .svg)' }),
      (a) => {
        action = async () => {
          const { writeReport } = await import('./report.js');
          const rep = await writeReport(a.dir, { png: a.png });
          io.out(`offersim ${VERSION}: ${rep.files.length} files in ${rep.dir} (${rep.totalSeconds.toFixed(2)} s)\nreport ${join(rep.dir, 'report.html')}\n`);
        };
      },
    )
    .command(
      'validate <scenario>',
      'check a scenario and print every problem at once',
      (y) =>
        y
          .example('$0 validate my.yaml', 'every problem at once, each sweep point too')
          .example('$0 validate my.yaml --set seed=3', 'with an override, as run applies it')
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
          .option('set', { type: 'string', array: true, describe: 'override a scenario field: key=value, repeatable' }),
      (a) => {
        action = async () => {
          const loaded = await openScenario(a.scenario, a.set ?? []);
          // Every point of a sweep block validates as `offersim sweep` opens it.
          if (loaded.scenario.sweep !== undefined) await sweepPoints(loaded.file, a.set ?? [], loaded, pointOpener(loaded.file));
          io.out(`${loaded.file}: ok\n`);
        };
      },
    )
    .command(
      'sweep <scenario>',
      "run the scenario's sweep (matrix x seeds), resumable, on worker threads or as one shard",
      (y) =>
        y
          .example('$0 sweep my.yaml --workers 2', 'on two worker threads')
          .example('$0 sweep my.yaml --shard 0/4 --out runs/s0', 'the first of four slices')
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file with a sweep block' })
          .option('out', { type: 'string', describe: 'sweep directory; default runs/<scenario name>-sweep' })
          .option('workers', { type: 'number', describe: 'worker threads, 1 to 256; default the number of cores' })
          .option('shard', {
            type: 'string',
            describe:
              'run slice I/N (0 <= I < N) of the points; default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/OFFERSIM_SHARD_COUNT, else all',
          })
          .option('set', { type: 'string', array: true, describe: 'override a scenario field: key=value, repeatable' })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'print one JSON object on stdout (the sweep directory and point counts); the rest to stderr',
          }),
      (a) => {
        action = async () => {
          const workers = parseWorkers(flagText(argv, 'workers')) ?? availableParallelism();
          const shard = a.shard !== undefined ? parseShard(a.shard) : shardFromEnv(io.env ?? {});
          const r = await runSweep(a.scenario, a.set ?? [], { out: a.out, shard, workers, progress: (t) => io.err(t), tty: io.tty === true });
          (a.json === true ? io.err : io.out)(
            `offersim ${VERSION}: sweep of ${a.scenario}${shard === undefined ? '' : ` (shard ${shard.index}/${shard.count})`}: ` +
              `${r.mine} of ${r.total} points, ${r.ran} run, ${r.skipped} already done, ${r.failed.length} failed\nresults in ${r.dir}\n`,
          );
          if (a.json === true) {
            const failed = r.failed.map((f) => ({ point: f.point.index, hash: f.point.hash, seed: f.point.seed, error: f.error }));
            const counts = { total: r.total, mine: r.mine, ran: r.ran, skipped: r.skipped, failed };
            io.out(`${JSON.stringify({ offersim: VERSION, scenario: a.scenario, dir: r.dir, shard: shard ?? null, points: counts })}\n`);
          }
          for (const f of r.failed)
            io.err(`point ${f.point.index} (${f.point.hash}, seed ${f.point.seed}, ${JSON.stringify(f.point.params)}) failed: ${f.error}\n`);
          if (r.failed.length > 0) sweepFailed = r.failed.every((f) => f.input) ? 'input' : 'internal';
        };
      },
    )
    .command(
      'merge <dirs..>',
      'join sweep shard directories into one sweep result',
      (y) =>
        y
          .example('$0 merge runs/shard-* --out runs/sweep', 'the shards as one sweep directory')
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'shard directories of one sweep' })
          .option('out', { type: 'string', demandOption: true, describe: 'the merged sweep directory' }),
      (a) => {
        action = async () => {
          const r = mergeSweeps(a.dirs as string[], a.out);
          io.out(`offersim ${VERSION}: merged ${(a.dirs as string[]).length} directories: ${r.points - r.missing} of ${r.points} points in ${a.out}\n`);
          if (r.missing > 0)
            throw new InputError([{ file: 'merge', path: '', message: `${r.missing} points are in none of the directories (see sweep.csv: status missing)` }]);
        };
      },
    )
    .command(
      'check <dir>',
      "compare a run's metrics with a baseline; exit 1 on a regression",
      (y) =>
        y
          .example('$0 check runs/q --baseline base.json', 'exit 1 on a regression')
          .example('$0 check runs/q --baseline b.json --update-baseline', 'write it from this run')
          .positional('dir', { type: 'string', demandOption: true, describe: 'run directory (with summary.json)' })
          .option('baseline', { type: 'string', demandOption: true, describe: 'baseline file (JSON: per metric value, good direction, tolerance)' })
          .option('update-baseline', { type: 'boolean', default: false, describe: 'write the baseline from this run instead (keeping existing tolerances)' })
          .option('markdown', { type: 'string', describe: 'also write the table as Markdown to this file (for a pull-request comment)' })
          .option('all', { type: 'boolean', default: false, describe: 'show every metric, not only those outside tolerance' }),
      (a) => {
        action = async () => {
          if (a['update-baseline'] === true) {
            const b = updateBaseline(a.dir, a.baseline, VERSION);
            io.out(`baseline ${a.baseline}: ${Object.keys(b.metrics).length} metrics written from ${a.dir}\n`);
            return;
          }
          const r = checkRun(a.dir, a.baseline, a.all);
          io.out(
            `${r.text}\n${r.regressions === 0 ? 'no regression' : `${r.regressions} regression${r.regressions === 1 ? '' : 's'}`} against ${a.baseline} (${r.rows.length} metrics)\n`,
          );
          if (a.markdown !== undefined) writeOutputFile(a.markdown, r.markdown);
          if (r.regressions > 0) regression = true;
        };
      },
    )
    .command(
      'compare <dirs..>',
      'compare policies over seeds: per metric, the mean and the paired difference against a reference with its 95% CI',
      (y) =>
        y
          .example('$0 compare runs/policies-sweep', "a sweep's policies against the first")
          .example('$0 compare runs/a runs/b --reference drf', 'against the runs of drf')
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'run directories and sweep directories (their points)' })
          .option('reference', { type: 'string', describe: "the policy the others are compared with; default the first run's" })
          .option('by', {
            type: 'string',
            array: true,
            describe: 'a scenario field (dotted path) whose value is part of the policy, besides allocator and architecture; repeatable',
          })
          .option('where', {
            type: 'string',
            array: true,
            describe: 'compare only the runs whose scenario field has this value: FIELD=VALUE (dotted path, YAML value); repeatable',
          })
          .option('metrics', { type: 'string', describe: 'summary.json metrics, comma-separated; default a headline set (docs/compare.md)' })
          .option('frameworks', { type: 'boolean', default: false, describe: 'also compare per framework (the metrics frameworks.csv has)' })
          .option('markdown', { type: 'string', describe: 'also write the table as Markdown to this file (for a pull-request comment)' })
          .option('csv', { type: 'string', describe: 'also write the comparison as tidy CSV to this file (a row per policy x metric x framework)' })
          .option('html', { type: 'string', describe: 'also write one self-contained HTML page with the tables and charts to this file' })
          .option('allow-different-workloads', {
            type: 'boolean',
            default: false,
            describe: 'compare runs whose scenarios differ outside the compared fields and the seed',
          })
          .option('json', { type: 'boolean', default: false, describe: 'print the comparison as one JSON object on stdout instead of the table' }),
      (a) => {
        action = async () => {
          const r = compareCommand(a.dirs as string[], {
            reference: a.reference,
            by: a.by ?? [],
            where: a.where ?? [],
            metrics: a.metrics,
            frameworks: a.frameworks,
            markdown: a.markdown,
            csv: a.csv,
            html: a.html,
            allowDifferentWorkloads: a['allow-different-workloads'],
          });
          io.out(a.json === true ? `${JSON.stringify(compareJson(r.comparison))}\n` : r.text);
        };
      },
    )
    .command(
      'verify <dir>',
      "re-check a run's events.jsonl against the model's invariants, and its summary.json and manifest.json against the events; exit 1 on a violation",
      (y) =>
        y
          .example('$0 verify runs/quickstart', 'a run written with --events')
          .positional('dir', { type: 'string', demandOption: true, describe: 'run directory written with --events' })
          .option('all', { type: 'boolean', default: false, describe: `print every violation, not only the first ${SHOWN_VIOLATIONS}` }),
      (a) => {
        action = async () => {
          const r = verifyRun(a.dir, { all: a.all, print: (line) => io.out(`${line}\n`) });
          io.out(`offersim ${VERSION}: ${verifyVerdict(a.dir, r, a.all)}`);
          // A violation exits 1, as a regression does.
          if (r.violations > 0) regression = true;
        };
      },
    )
    .command(
      'import <format> <file>',
      'import a trace into a canonical workload (JSON Lines) or cluster file, with a manifest of counts',
      (y) =>
        y
          .example('$0 import swf trace.swf --out jobs.jsonl', 'a Standard Workload Format trace')
          .example('$0 import swim FB-2009.tsv --strict', 'stop at the first bad row')
          .positional('format', { type: 'string', demandOption: true, describe: `trace format: ${TRACE_FORMATS.map((f) => f.name).join(', ')}` })
          .positional('file', { type: 'string', demandOption: true, describe: 'the trace file (plain or gzip)' })
          .option('out', {
            type: 'string',
            describe:
              'output file; default <file name without extensions>.jsonl here. Never the input; an existing file only when offersim wrote it (its .manifest.json beside it)',
          })
          .option('force', {
            type: 'boolean',
            default: false,
            describe: 'overwrite an existing --out file (and its .manifest.json and .problems.csv) that offersim did not write',
          })
          .option('option', { type: 'string', array: true, describe: 'a format option: key=value (YAML value), repeatable (see offersim list formats)' })
          .option('strict', { type: 'boolean', default: false, describe: 'stop at the first bad row (exit 2) instead of skipping and counting it' }),
      (a) => {
        action = async () => {
          const options = parseOptions(a.option ?? []);
          const out = a.out ?? `${basename(a.file).replace(/(\.[A-Za-z0-9]+)+$/, '')}.jsonl`;
          const r = await importTrace(a.format, a.file, out, { options, strict: a.strict, force: a.force });
          const c = r.counts;
          const skipped = Object.entries(c.skipped)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ');
          io.out(
            `offersim ${VERSION}: ${r.file} (${r.format}): ${c.lines} lines, ${c.rows} data rows, ` +
              `${TRACE_FORMATS.find((f) => f.name === r.format)?.kind === 'cluster' ? `${c.jobs} agents` : `${c.jobs} jobs and ${c.tasks} tasks`} written to ${r.out}\n` +
              `skipped rows: ${skipped === '' ? 'none' : skipped}; manifest ${r.out}.manifest.json\n`,
          );
          for (const w of r.warnings) io.err(`offersim: warning: ${r.file}: ${w}\n`);
          for (const p of r.problems) {
            io.err(`${p.input === undefined ? r.file : String(options[p.input])}:${p.line}: ${p.message} (${p.reason})\n`);
          }
          if (r.problemCount > r.problems.length) io.err(`... and ${r.problemCount - r.problems.length} more: every one is in ${r.out}.problems.csv\n`);
        };
      },
    )
    .command(
      'list [what]',
      'what is registered (allocators, frameworks, formats), with a line each',
      (y) =>
        y
          .example('$0 list allocators', 'the allocation policies a scenario may name')
          .positional('what', { type: 'string', choices: LISTS, describe: 'one list; default all' }),
      (a) => {
        action = async () => io.out(listText(a.what));
      },
    )
    .middleware((argv) => checkSingleFlags(argv))
    .demandCommand(1, `name a command: ${COMMANDS.slice(0, -1).join(', ')} or ${COMMANDS.at(-1)!}`)
    .help();
  try {
    await parser.parseAsync();
    if (usageError === undefined) await action?.();
  } catch (err) {
    // Bad input met while the run goes (a trace row read by a job arrival): the simulation wraps
    // it as a broken invariant, but it is the input's fault.
    const input = inputErrorOf(err);
    if (input !== undefined) {
      io.err(`${input.message}\n`);
      return ExitCode.BAD_INPUT;
    }
    // A failed system call (or an input too large for a string) no command turned into a message of its own.
    const system = environmentLine(err);
    if (system !== undefined) {
      io.err(`${system}\n`);
      return ExitCode.BAD_INPUT;
    }
    // A user allocator's failure is a bug in that module: say so rather than blame offersim.
    if (err instanceof UserAllocatorError || (err instanceof InvariantError && err.cause instanceof UserAllocatorError)) {
      io.err(`offersim: a bug in the allocator module (see docs/allocators.md): ${err.message}\n`);
      return ExitCode.INTERNAL;
    }
    if (err instanceof InvariantError && userModule !== undefined) {
      io.err(
        `offersim: internal error while running the allocator module "${userModule}" (most likely a bug in it: check it against docs/allocators.md): ${err.message}\n`,
      );
      return ExitCode.INTERNAL;
    }
    if (err instanceof InvariantError) {
      io.err(`offersim: internal error (a bug): ${err.message}\n`);
      return ExitCode.INTERNAL;
    }
    if (usageError === undefined) {
      io.err(`offersim: internal error (a bug): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      return ExitCode.INTERNAL;
    }
  }
  if (usageError !== undefined) {
    io.err(`offersim: ${usageError}\nRun offersim --help for usage.\n`);
    return ExitCode.BAD_INPUT;
  }
  if (sweepFailed !== undefined) return sweepFailed === 'input' ? ExitCode.BAD_INPUT : ExitCode.INTERNAL;
  return regression ? ExitCode.REGRESSION : ExitCode.OK;
}
