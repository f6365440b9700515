/**
 * `offersim check DIR --baseline FILE`: reads a run directory's summary.json and a baseline file,
 * compares them (reports/check.ts) and writes the table as text and Markdown; or, with
 * `--update-baseline`, writes the baseline from the run. Composition root: the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readJsonObject } from './json-file.js';
import { join } from 'node:path';
import { z } from 'zod';
import { baselineOf, check, checkMarkdown, checkTable, type Baseline, type CheckRow } from '../reports/check.js';
import { InputError } from './errors.js';
import { formatPath } from './loader.js';
import { writeAtomic } from './output-files.js';

const ToleranceSchema = z.strictObject({ abs: z.number().finite().nonnegative().optional(), rel: z.number().finite().nonnegative().optional() });
const BaselineSchema = z.strictObject({
  source: z.string(),
  metrics: z.record(
    z.string(),
    z.strictObject({
      value: z.number().finite().nullable(),
      better: z.enum(['higher', 'lower', 'none']),
      tolerance: ToleranceSchema,
    }),
  ),
});

/** Reads a run directory's summary.json. */
export function readRunSummary(dir: string): Record<string, unknown> {
  return readJsonObject(join(dir, 'summary.json'), 'not a run directory (no summary.json)');
}

/** Reads and checks a baseline file; every problem names its field. */
export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new InputError([{ file, path: '', message: 'no such baseline file (write one with --update-baseline)' }]);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError([{ file, path: '', message: `not JSON: ${(err as Error).message}` }]);
  }
  const r = BaselineSchema.safeParse(data);
  if (!r.success) throw new InputError(r.error.issues.map((i) => ({ file, path: formatPath(i.path), message: i.message })));
  // Validated: the shape is Baseline's (zod types absent optionals as undefined).
  return r.data as Baseline;
}

/** What a check found. */
export interface CheckOutcome {
  readonly rows: readonly CheckRow[];
  readonly regressions: number;
  readonly text: string;
  readonly markdown: string;
}

/** Checks run directory `dir` against `baselineFile`. */
export function checkRun(dir: string, baselineFile: string, all = false): CheckOutcome {
  const { rows, regressions } = check(readRunSummary(dir), readBaseline(baselineFile));
  return { rows, regressions, text: checkTable(rows, all), markdown: checkMarkdown(rows, regressions, `offersim check ${dir}`) };
}

/**
 * Writes the baseline of run directory `dir` to `file` (atomically), keeping the tolerances and
 * directions of an existing one; its source names the scenario, seed and fingerprint of the run.
 */
export function updateBaseline(dir: string, file: string, version: string): Baseline {
  const mf = join(dir, 'manifest.json');
  const m = existsSync(mf) ? (readJsonObject(mf, '') as { scenario?: { file?: string }; seed?: number; fingerprint?: string }) : {};
  const source = `offersim ${version}: ${m.scenario?.file ?? '?'} seed ${m.seed ?? '?'}, fingerprint ${m.fingerprint ?? '?'}`;
  const fresh = baselineOf(readRunSummary(dir), source);
  const old = existsSync(file) ? readBaseline(file) : undefined;
  const metrics = Object.fromEntries(
    Object.entries(fresh.metrics).map(([k, m]) => {
      const kept = old?.metrics[k];
      return [k, kept === undefined ? m : { ...m, better: kept.better, tolerance: kept.tolerance }];
    }),
  );
  const baseline: Baseline = { source, metrics };
  writeAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}
