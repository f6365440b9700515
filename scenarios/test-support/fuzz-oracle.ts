/**
 * What every fuzz case must satisfy, and the survey of what broke. A case ends in time with exit
 * code 0 or 2 (1 only for check), prints no JavaScript stack and no "internal error", says why when
 * it fails, leaves no prototype changed, and leaves no output that looks complete after a failure.
 * Violations are grouped into failure classes by kind and by the first stderr line with paths,
 * numbers and quoted names blanked, and each class keeps its smallest case. Test-only.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Outcome } from './fuzz-exec.js';

/** The kinds of violation, most serious first. */
export const VIOLATIONS = [
  'hang',
  'oom',
  'crash',
  'prototype-pollution',
  'stack-trace',
  'exit-code',
  'no-message',
  'validate-run-mismatch',
  'one-bad-row',
  'output-after-failure',
  'missing-output',
  'leftover-partial',
  'leftover-temp',
  'absurd-output',
] as const;
/** One kind of {@link VIOLATIONS}. */
export type ViolationKind = (typeof VIOLATIONS)[number];

/** A property a case broke. */
export interface Violation {
  readonly kind: ViolationKind;
  /** what exactly, for the class's description (paths relative to the case directory) */
  readonly detail: string;
}

/** A JavaScript stack frame line, as V8 prints it. */
const STACK_LINE = /^\s+at \S.*(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/** Violations read from the outcome alone; `codes` are the exit codes the case may end with. */
export function judgeOutcome(o: Outcome, codes: readonly number[] = [0, 2]): Violation[] {
  const v: Violation[] = [];
  if (o.end === 'timeout') v.push({ kind: 'hang', detail: `still running after ${Math.round(o.ms)} ms` });
  if (o.end === 'oom') v.push({ kind: 'oom', detail: 'out of heap' });
  if (o.end === 'crash') v.push({ kind: 'crash', detail: `died${o.code === undefined ? '' : ` with status ${o.code}`}` });
  if (o.polluted.length > 0) v.push({ kind: 'prototype-pollution', detail: o.polluted.join(', ') });
  if (STACK_LINE.test(o.err)) v.push({ kind: 'stack-trace', detail: 'a JavaScript stack on stderr' });
  else if (/internal error/i.test(o.err)) v.push({ kind: 'stack-trace', detail: '"internal error" on stderr' });
  if (o.end === 'exit' && o.code !== undefined && !codes.includes(o.code)) v.push({ kind: 'exit-code', detail: `exit ${o.code}` });
  if (o.end === 'exit' && o.code !== 0 && o.err.trim() === '') v.push({ kind: 'no-message', detail: `exit ${String(o.code)} with nothing on stderr` });
  return v;
}

/** Every path under `dir`, relative to it, directories included (a directory's entries after it). */
export function listTree(dir: string, rel = ''): string[] {
  const here = join(dir, rel);
  if (!existsSync(here)) return [];
  const out: string[] = [];
  for (const f of readdirSync(here).sort()) {
    const p = rel === '' ? f : join(rel, f);
    out.push(p);
    if (statSync(join(dir, p), { throwIfNoEntry: false })?.isDirectory() === true) out.push(...listTree(dir, p));
  }
  return out;
}

/** An interrupted write: offersim's `<name>.partial-<pid>` directories and files. */
const PARTIAL = /\.partial-\d+$/;

/**
 * Violations of the output rules in a case directory, from its listings before and after the
 * command: after a nonzero exit no new file that looks like a finished output (a run's
 * manifest.json, a sweep's sweep.json, an import's .jsonl or .manifest.json, a report page);
 * after any finished command no `.partial-` leftover.
 */
export function judgeOutputs(before: readonly string[], after: readonly string[], o: Outcome): Violation[] {
  const v: Violation[] = [];
  const fresh = after.filter((p) => !before.includes(p));
  if (o.end === 'exit') {
    const partial = fresh.filter((p) => PARTIAL.test(p));
    if (partial.length > 0) v.push({ kind: 'leftover-partial', detail: partial.slice(0, 3).join(', ') });
  }
  if (o.end === 'exit' && o.code !== 0 && o.code !== 1) {
    const done = fresh.filter(
      (p) =>
        !PARTIAL.test(p) &&
        !p.split('/').some((s) => PARTIAL.test(s)) &&
        /(^|\/)(manifest\.json|sweep\.json|report\.html|[^/]*\.jsonl|[^/]*\.manifest\.json)$/.test(p),
    );
    if (done.length > 0) v.push({ kind: 'output-after-failure', detail: done.slice(0, 3).join(', ') });
  }
  return v;
}

/** Files left in a command's TMPDIR after it exited (a decompressed trace copy, say). */
export function judgeTemp(tmp: string, o: Outcome): Violation[] {
  if (o.end !== 'exit') return [];
  const left = listTree(tmp);
  return left.length === 0 ? [] : [{ kind: 'leftover-temp', detail: left.slice(0, 2).join(', ') }];
}

/** One case as the survey keeps it: enough to reproduce it by hand. */
export interface CaseRecord {
  /** which generator made it (scenario, run, flags, trace, trace-run) */
  readonly family: string;
  /** the case's index in its family's sample (replay with the same FC_SEED) */
  readonly index: number;
  /** one line saying what the case changed */
  readonly title: string;
  /** the command, paths relative to the case directory */
  readonly argv: readonly string[];
  /** the input files the generator wrote, by name (text, clipped) */
  readonly files: Readonly<Record<string, string>>;
}

/** A group of cases that broke the same rule with the same first stderr line. */
export interface FailureClass {
  readonly key: string;
  readonly family: string;
  readonly kind: ViolationKind;
  /** the normalised first line that identifies the class */
  readonly line: string;
  /** cases in the class */
  count: number;
  /** its smallest case (fewest characters of input) */
  example: CaseRecord;
  /** the titles of its first few cases */
  readonly titles: string[];
  /** the smallest case's exit code, end and first stderr line as printed */
  outcome: { code: number | undefined; end: string; first: string; detail: string };
}

/** The line of stderr that says most about a failure: the error line of a stack, else the first line. */
export function firstLine(err: string): string {
  const lines = err
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const stackAt = lines.findIndex((l) => STACK_LINE.test(l));
  const pick = stackAt > 0 ? lines[stackAt - 1]! : (lines.find((l) => /internal error|Error|error:/i.test(l)) ?? lines[0] ?? '');
  return pick.length > 240 ? `${pick.slice(0, 240)}...` : pick;
}

/** A line with what varies from case to case blanked: paths, quoted text, numbers. */
export function normalise(line: string, dirs: readonly string[] = []): string {
  let s = line;
  for (const d of dirs) s = s.split(d).join('<dir>');
  return s
    .replace(/(?:<dir>|\/)[^\s:'"(),]*/g, '<path>')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/-?\b\d[\d.e+_-]*\b/gi, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

/** Kinds whose class is named by the violation's detail rather than by stderr. */
const BY_DETAIL: readonly ViolationKind[] = ['hang', 'oom', 'prototype-pollution', 'validate-run-mismatch', 'one-bad-row', 'leftover-temp', 'absurd-output'];

const size = (c: CaseRecord): number => c.argv.join(' ').length + Object.values(c.files).reduce((n, t) => n + t.length, 0);

/** The violations of many cases, grouped into failure classes. */
export class Survey {
  private readonly byKey = new Map<string, FailureClass>();
  /** cases recorded */
  cases = 0;
  /** cases by how they ended and with which code, e.g. 'exit 2' */
  readonly ends = new Map<string, number>();

  constructor(private readonly dirs: readonly string[] = []) {}

  /**
   * Records one case and what it broke. A case joins one class, that of its most serious
   * violation (an exit 3 with a stack is a stack-trace case); the others are listed with it.
   */
  add(c: CaseRecord, o: Outcome, violations: readonly Violation[]): void {
    this.cases++;
    const end = o.end === 'exit' ? `exit ${String(o.code)}` : o.end;
    this.ends.set(end, (this.ends.get(end) ?? 0) + 1);
    if (violations.length === 0) return;
    const [v, ...rest] = [...violations].sort((a, b) => VIOLATIONS.indexOf(a.kind) - VIOLATIONS.indexOf(b.kind));
    const first = firstLine(o.err);
    // Some kinds are known by what was found; the others by what stderr said.
    const line = BY_DETAIL.includes(v!.kind) ? `${c.argv[0] ?? ''}: ${normalise(v!.detail, this.dirs)}` : normalise(first, this.dirs);
    const key = `${c.family} | ${v!.kind} | ${line}`;
    const also = [...new Set(rest.map((r) => r.kind))].join(', ');
    const outcome = { code: o.code, end: o.end, first, detail: v!.detail + (also === '' ? '' : ` (also ${also})`) };
    const seen = this.byKey.get(key);
    if (seen === undefined) this.byKey.set(key, { key, family: c.family, kind: v!.kind, line, count: 1, example: c, outcome, titles: [c.title] });
    else {
      seen.count++;
      if (seen.titles.length < 5) seen.titles.push(c.title);
      if (size(c) < size(seen.example)) {
        seen.example = c;
        seen.outcome = outcome;
      }
    }
  }

  /** The failure classes, most serious kind first, then by key. */
  classes(): FailureClass[] {
    const rank = (k: ViolationKind): number => VIOLATIONS.indexOf(k);
    return [...this.byKey.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** A readable report: the ends of all cases, then every class with its smallest case. */
  text(): string {
    const ends = [...this.ends]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    const lines = [`${this.cases} cases (${ends}); ${this.byKey.size} failure classes`];
    for (const c of this.classes()) {
      lines.push('', `[${c.kind}] ${c.family}: ${c.line}  (${c.count} case${c.count === 1 ? '' : 's'})`);
      lines.push(`  case ${c.example.family}#${c.example.index}: ${c.example.title}`);
      lines.push(
        `  offersim ${c.example.argv.map((a) => (/^[\w./=:-]+$/.test(a) ? a : JSON.stringify(a.length > 80 ? `${a.slice(0, 80)}...` : a))).join(' ')}`,
      );
      lines.push(`  -> ${c.outcome.end}${c.outcome.code === undefined ? '' : ` ${c.outcome.code}`}: ${c.outcome.detail}; stderr: ${c.outcome.first}`);
      for (const t of c.titles.filter((x) => x !== c.example.title).slice(0, 4)) lines.push(`  also: ${t.length > 200 ? `${t.slice(0, 200)}...` : t}`);
      for (const [name, text] of Object.entries(c.example.files)) {
        const shown = text.length > 600 ? `${text.slice(0, 600)}\n... (${text.length} characters)` : text;
        lines.push(`  --- ${name}`, ...shown.split('\n').map((l) => `  | ${l.length > 160 ? `${l.slice(0, 160)}...` : l}`));
      }
    }
    return lines.join('\n');
  }
}

/** `path` relative to `dir` when inside it, else as given. */
export function shown(path: string, dir: string): string {
  const r = relative(dir, path);
  return r.startsWith('..') ? path : r === '' ? '.' : r;
}
