/**
 * `npm run policies-table`: runs scenarios/examples/policies.yaml once under every registered
 * allocator (so a new policy appears by itself) and rewrites README.md between the
 * policies-table markers with a Markdown table of headline metrics, and docs/allocators.md between
 * the allocator-params markers with every policy's parameters; `--check` only compares.
 * Composition root: reads and writes files; the text depends on nothing but the scenario and the registry.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listAllocators } from '../allocators/registry.js';
import { checkParams, type AllocatorEntry } from '../allocators/types.js';
import type { Summary } from '../reports/index.js';
import { ExitCode, InputError } from './errors.js';
import { loadScenario } from './loader.js';
import { simulateScenario } from './run.js';

/** The lines around a generated section. */
export interface Markers {
  readonly start: string;
  readonly end: string;
}
/** The line before the generated table in README.md. */
export const START_MARKER = '<!-- policies-table:start -->';
/** The line after the generated table in README.md. */
export const END_MARKER = '<!-- policies-table:end -->';
/** README.md's policies table. */
export const TABLE_MARKERS: Markers = { start: START_MARKER, end: END_MARKER };
/** docs/allocators.md's reference of the registered policies and their parameters. */
export const PARAMS_MARKERS: Markers = { start: '<!-- allocator-params:start -->', end: '<!-- allocator-params:end -->' };
/** The policy reference, relative to the repository root. */
export const ALLOCATORS_DOC = 'docs/allocators.md';
/** The workload every policy runs, relative to the repository root. */
export const POLICIES_SCENARIO = 'scenarios/examples/policies.yaml';

/** One policy's run of the workload. */
export interface PolicyRun {
  readonly policy: string;
  readonly summary: Summary;
  /** the event stream's fingerprint, to spot policies that behave identically */
  readonly fingerprint: string;
}

/** A policy left out of the table, and why. */
export interface PolicySkip {
  readonly policy: string;
  readonly reason: string;
}

/** Every policy's run (in the given order) and the ones skipped. */
export interface PolicyRuns {
  readonly seed: number;
  readonly runs: readonly PolicyRun[];
  readonly skipped: readonly PolicySkip[];
}

/**
 * Runs `scenarioFile` once per entry, each with its default parameters. An entry whose parameters
 * cannot all default (its check of `{}` reports problems) is skipped with those problems as the reason.
 * @param entries default every registered allocator, sorted by name
 */
export function runPolicies(scenarioFile: string, entries: readonly AllocatorEntry[] = listAllocators()): PolicyRuns {
  const base = loadScenario(scenarioFile);
  const runs: PolicyRun[] = [];
  const skipped: PolicySkip[] = [];
  for (const entry of entries) {
    const problems = checkParams(entry, {});
    if (problems.length > 0) {
      skipped.push({
        policy: entry.name,
        reason: `needs parameters: ${problems.map((p) => `${['params', ...p.path].join('.')}: ${p.message}`).join('; ')}`,
      });
      continue;
    }
    // The scenario as written, with only its allocator replaced by this policy (no parameters).
    const loaded = { ...base, allocator: { entry, module: undefined }, scenario: { ...base.scenario, allocator: entry.name } };
    let r;
    try {
      r = simulateScenario(loaded, { keepSamples: false });
    } catch (err) {
      throw new Error(`policy ${entry.name} on ${scenarioFile}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    runs.push({ policy: entry.name, summary: r.metrics.summary, fingerprint: r.fingerprint });
  }
  return { seed: base.scenario.seed, runs, skipped };
}

const DASH = '–';

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : DASH;
}
function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : DASH;
}
function secondsOf(us: number): string {
  return fixed(us / 1_000_000, 1);
}

/**
 * The Markdown between the markers: the table (one row per policy, in the given order), then
 * how it was made, the policies that behaved exactly as an earlier row, and the skipped ones.
 * Only `toFixed` formatting, so the text is the same on every machine.
 */
export function policiesSection(result: PolicyRuns, scenarioPath: string = POLICIES_SCENARIO): string {
  const lines = [
    '| policy | utilisation cpus / mem | Jain while arriving: mean / min | completion mean / p95 (s) | queueing delay mean (s) | offers declined |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.runs) {
    const s = r.summary;
    lines.push(
      `| \`${r.policy}\` | ${percent(s.utilisation[0])} / ${percent(s.utilisation[1])} | ${fixed(s.jainArrivalMean, 3)} / ${fixed(s.jainArrivalMin, 3)} | ` +
        `${secondsOf(s.completion.mean)} / ${secondsOf(s.completion.p95)} | ${secondsOf(s.queueingDelay.mean)} | ${percent(s.offersDeclinedShare)} |`,
    );
  }
  lines.push(
    '',
    `Generated by \`npm run policies-table\` from [${scenarioPath}](${scenarioPath}) (seed ${result.seed}), ` +
      'one run per registered policy with its default parameters; a test fails when this table is stale. ' +
      "Metrics as defined in [docs/metrics.md](docs/metrics.md): Jain's index among the frameworks with pending tasks, " +
      'from the first to the last job submission (`jain_arrival_mean`, `jain_arrival_min`); ' +
      '"offers declined" is the share of offered resources declined.',
  );
  const notes: string[] = [];
  const seen = new Map<string, string>();
  for (const r of result.runs) {
    const first = seen.get(r.fingerprint);
    if (first !== undefined) notes.push(`- \`${r.policy}\` made exactly the same event stream as \`${first}\` here (with its default parameters).`);
    else seen.set(r.fingerprint, r.policy);
  }
  for (const s of result.skipped) notes.push(`- \`${s.policy}\` is not in the table: it ${s.reason}.`);
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n') + '\n';
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/**
 * The Markdown between docs/allocators.md's allocator-params markers: every entry (in the given
 * order) with its description and a table of its parameters from its `params` documentation.
 * @param entries default every registered allocator, sorted by name
 */
export function allocatorParamsSection(entries: readonly AllocatorEntry[] = listAllocators()): string {
  const out: string[] = [];
  for (const e of entries) {
    out.push(`### \`${e.name}\``, '', cell(e.description), '');
    const params = e.params ?? [];
    if (params.length === 0) {
      out.push('No parameters.', '');
      continue;
    }
    out.push('| parameter | meaning | default |', '|---|---|---|');
    for (const p of params) out.push(`| \`${p.name}\` | ${cell(p.description)} | ${cell(p.default)} |`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * `text` with the lines between the markers replaced by `section` (the markers stay, each
 * followed and preceded by a blank line). Throws an InputError when the markers are missing,
 * repeated or out of order.
 */
export function replaceSection(text: string, section: string, file = 'README.md', m: Markers = TABLE_MARKERS): string {
  const { start, end } = markers(text, file, m);
  const from = text.indexOf('\n', start) + 1;
  const body = section === '' ? '' : `\n${section}${section.endsWith('\n') ? '' : '\n'}\n`;
  return text.slice(0, from) + body + text.slice(end);
}

/** The text between the markers, as {@link replaceSection} writes it (without the blank lines around it). */
export function currentSection(text: string, file = 'README.md', m: Markers = TABLE_MARKERS): string {
  const { start, end } = markers(text, file, m);
  const from = text.indexOf('\n', start) + 1;
  return text.slice(from, end).replace(/^\n/, '').replace(/\n\n$/, '\n');
}

function markers(text: string, file: string, m: Markers): { start: number; end: number } {
  const count = (marker: string): number => text.split(marker).length - 1;
  const start = text.indexOf(m.start);
  const end = text.indexOf(m.end);
  if (count(m.start) !== 1 || count(m.end) !== 1 || end < start) {
    throw new InputError([{ file, path: '', message: `expected one line ${m.start} followed by one line ${m.end}` }]);
  }
  return { start, end };
}

/** The repository root: the nearest folder above this module with offersim's package.json. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'offersim') return dir;
    dir = dirname(dir);
  }
  throw new Error('policies-table: cannot find the offersim repository root');
}

/**
 * The script: `policies-table [--check] [--readme FILE] [--doc FILE] [--scenario FILE]`. Rewrites
 * the README table and the policy reference of docs/allocators.md (exit 0), or with `--check`
 * compares them and exits 1 when one is stale. Bad flags or markers: exit 2. Defaults: README.md,
 * {@link ALLOCATORS_DOC}, {@link POLICIES_SCENARIO}.
 */
export function policiesTableMain(argv: readonly string[], io: { out(t: string): void; err(t: string): void }): number {
  const root = repositoryRoot();
  let check = false;
  let readmePath = join(root, 'README.md');
  let docPath = join(root, ALLOCATORS_DOC);
  let scenario = join(root, POLICIES_SCENARIO);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a === '--check') check = true;
    else if (a === '--readme' && next !== undefined) readmePath = argv[++i]!;
    else if (a === '--doc' && next !== undefined) docPath = argv[++i]!;
    else if (a === '--scenario' && next !== undefined) scenario = resolve(argv[++i]!);
    else {
      io.err(`policies-table: unknown argument ${a}\nusage: policies-table [--check] [--readme FILE] [--doc FILE] [--scenario FILE]\n`);
      return ExitCode.BAD_INPUT;
    }
  }
  try {
    const readme = readFileSync(readmePath, 'utf8');
    const doc = readFileSync(docPath, 'utf8');
    // Before the runs: a file without its markers fails at once.
    markers(readme, readmePath, TABLE_MARKERS);
    markers(doc, docPath, PARAMS_MARKERS);
    const files = [
      { path: docPath, text: doc, updated: replaceSection(doc, allocatorParamsSection(), docPath, PARAMS_MARKERS), what: 'policy reference' },
      {
        path: readmePath,
        text: readme,
        updated: replaceSection(readme, policiesSection(runPolicies(scenario), relative(root, scenario).split(sep).join('/')), readmePath, TABLE_MARKERS),
        what: 'policies table',
      },
    ];
    let stale = false;
    for (const f of files) {
      const same = f.updated === f.text;
      if (check) {
        if (same) io.out(`${f.path}: the ${f.what} is up to date\n`);
        else {
          io.err(`${f.path}: the ${f.what} is stale; run npm run policies-table\n`);
          stale = true;
        }
      } else {
        if (!same) writeFileSync(f.path, f.updated);
        io.out(`${f.path}: ${f.what} ${same ? 'unchanged' : 'rewritten'}\n`);
      }
    }
    return stale ? ExitCode.REGRESSION : ExitCode.OK;
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`${err.message}\n`);
      return ExitCode.BAD_INPUT;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`policies-table: ${(err as Error).message}\n`);
      return ExitCode.BAD_INPUT;
    }
    // A policy that breaks on the workload is a bug: name it, as the CLI would (exit 3).
    io.err(`policies-table: internal error (a bug): ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.INTERNAL;
  }
}

const invoked = process.argv[1];
if (invoked !== undefined && existsSync(invoked) && import.meta.url === pathToFileURL(realpathSync(invoked)).href) {
  process.exitCode = policiesTableMain(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
