/**
 * `offersim verify DIR`: re-checks a run directory's events.jsonl, read line by line, against the
 * model's invariants (reports/verify.ts), and its summary.json and manifest.json against the
 * events. Composition root: reads the files; the checks are reports/verify.ts's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getAllocator } from '../allocators/registry.js';
import { EventLineError, parseEventLine } from '../reports/replay.js';
import {
  INVARIANTS,
  LogVerifier,
  formatViolation,
  manifestViolations,
  recordProblem,
  summaryViolations,
  type InvariantName,
  type Violation,
} from '../reports/verify.js';
import { InputError } from './errors.js';
import { readJsonObject } from './json-file.js';
import { runManifestProblem } from './output-guard.js';
import { syncLines } from './trace-files.js';
import { LongLine, MAX_LINE_BYTES } from '../workloads/trace/lines.js';

/** Violations printed without `--all`. */
export const SHOWN_VIOLATIONS = 20;

/** Options of {@link verifyRun}. */
export interface VerifyOptions {
  /** print every violation, not only the first {@link SHOWN_VIOLATIONS}; default false */
  readonly all?: boolean;
  /** where each violation's line goes (without its newline) */
  readonly print: (line: string) => void;
}

/** What a verification found. */
export interface VerifyOutcome {
  /** records in events.jsonl */
  readonly records: number;
  /** their fingerprint */
  readonly fingerprint: string;
  /** violations found, in all */
  readonly violations: number;
  /** violations by invariant, in {@link INVARIANTS} order; only those with any */
  readonly byInvariant: readonly (readonly [InvariantName, number])[];
  /** whether the run placed tasks without offers (a non-offer baseline) */
  readonly direct: boolean;
}

/**
 * Whether the run in `manifest` placed tasks without offers: its resolved scenario names an
 * architecture other than offers, or its allocator (manifest `allocator.name`, offersim 0.2 on) is
 * a registered name that stands for one. Else (a user module, an older manifest): offers.
 */
function placesDirectly(manifest: Readonly<Record<string, unknown>>): boolean {
  const resolved = manifest['resolved'];
  const arch = typeof resolved === 'object' && resolved !== null ? (resolved as { architecture?: unknown }).architecture : undefined;
  if (typeof arch === 'string') return arch !== 'offers';
  const a = manifest['allocator'];
  const name = typeof a === 'object' && a !== null ? (a as { name?: unknown }).name : undefined;
  const module = typeof a === 'object' && a !== null ? (a as { module?: unknown }).module : undefined;
  if (typeof name !== 'string' || (module !== null && module !== undefined)) return false;
  return (getAllocator(name)?.architecture ?? 'offers') !== 'offers';
}

/**
 * Verifies run directory `dir`: streams its events.jsonl through the checks, then compares its
 * summary.json and manifest.json with the events. Prints each violation (the first
 * {@link SHOWN_VIOLATIONS} unless `all`). Throws InputError (exit 2) when `dir` is not a run
 * directory, has no events.jsonl (a run without --events) or a line is not a log record.
 */
export function verifyRun(dir: string, options: VerifyOptions): VerifyOutcome {
  const problem = runManifestProblem(dir);
  if (problem !== undefined) throw new InputError([{ file: dir, path: '', message: `not a run directory: ${problem}` }]);
  const manifest = readJsonObject(join(dir, 'manifest.json'), 'no such file: not a run directory (a run writes its manifest.json)');
  const summary = readJsonObject(join(dir, 'summary.json'), 'no such file: not a run directory (a run writes its summary.json)');
  const events = join(dir, 'events.jsonl');
  if (!existsSync(events)) {
    throw new InputError([
      {
        file: events,
        path: '',
        message:
          'no such file: the run was made without --events; rerun it with offersim run SCENARIO --events --out DIR (same seed and --set) and verify that',
      },
    ]);
  }
  let shown = 0;
  const show = (v: Violation): void => {
    if (options.all === true || shown < SHOWN_VIOLATIONS) options.print(formatViolation(v));
    shown++;
  };
  const direct = placesDirectly(manifest);
  const verifier = new LogVerifier({ direct, onViolation: show });
  let n = 0;
  for (const text of syncLines(events, MAX_LINE_BYTES)) {
    n++;
    if (text instanceof LongLine)
      throw new InputError([{ file: events, line: n, path: '', message: `not a log record: a line of ${text.bytes} bytes (a record is one short line)` }]);
    if (text === '') continue;
    let r;
    try {
      r = parseEventLine(text, n);
    } catch (err) {
      if (err instanceof EventLineError) throw new InputError([{ file: events, line: n, path: '', message: err.message.replace(/^events\.jsonl:\d+: /, '') }]);
      throw err;
    }
    const bad = recordProblem(r);
    if (bad !== undefined) throw new InputError([{ file: events, line: n, path: '', message: `not a log record: ${bad}` }]);
    verifier.record(r, n);
  }
  const counts = verifier.finish();
  const byFile = [...summaryViolations(summary, counts), ...manifestViolations(manifest, counts)];
  for (const v of byFile) show(v);
  const total = new Map(verifier.counts);
  for (const v of byFile) total.set(v.invariant, (total.get(v.invariant) ?? 0) + 1);
  const byInvariant = (Object.keys(INVARIANTS) as InvariantName[]).flatMap((k): (readonly [InvariantName, number])[] => {
    const c = total.get(k) ?? 0;
    return c > 0 ? [[k, c]] : [];
  });
  return { records: counts.records, fingerprint: counts.fingerprint, violations: shown, byInvariant, direct };
}

/** The closing line of `offersim verify` for run directory `dir`. */
export function verifyVerdict(dir: string, r: VerifyOutcome, all: boolean): string {
  const what = `${dir}: ${r.records} records, fingerprint ${r.fingerprint}${r.direct ? ' (a run without offers)' : ''}`;
  if (r.violations === 0) return `${what}: every invariant holds; summary.json and manifest.json agree with the events\n`;
  const by = r.byInvariant.map(([k, c]) => `${k} ${c}`).join(', ');
  const cut = !all && r.violations > SHOWN_VIOLATIONS ? `; the first ${SHOWN_VIOLATIONS} shown (--all shows every one)` : '';
  return `${what}: ${r.violations} violation${r.violations === 1 ? '' : 's'} (${by})${cut}\n`;
}
