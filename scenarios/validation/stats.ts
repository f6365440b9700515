/**
 * What the validation parts share: running a scenario over seeds 1..n, and the mean, standard
 * error and 95% confidence interval of a sample. Composition root (reads scenario files); the
 * numbers depend only on the scenarios and seeds.
 */
import { join } from 'node:path';
import type { LogRecord, LogSink } from '../../sim/model/log.js';
import { loadScenario } from '../loader.js';
import { simulateScenario } from '../run.js';

/** Mean and standard error of the mean of a sample (SE NaN for fewer than two values). */
export interface MeanSe {
  readonly mean: number;
  readonly se: number;
  readonly n: number;
}

/** Mean and standard error of `xs`, summed in order (deterministic). */
export function meanSe(xs: readonly number[]): MeanSe {
  const n = xs.length;
  if (n === 0) return { mean: NaN, se: NaN, n };
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / n;
  if (n < 2) return { mean, se: NaN, n };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1) / n), n };
}

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom, from the Cornish-Fisher
 * expansion around the normal quantile 1.959964 (Abramowitz and Stegun 26.7.5): 2.093 at df 19
 * and 2.023 at df 39, as the tables give; within 0.001 of them from df = 10 on (0.003 low at df 5).
 */
export function t975(df: number): number {
  const z = 1.959964;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/** Half-width of the 95% confidence interval of the mean (Student's t over the n seeds); NaN below 2. */
export function ci95(m: MeanSe): number {
  return m.n < 2 ? NaN : t975(m.n - 1) * m.se;
}

/** Runs seeds 1..`seeds` of `file` (relative to `root`) with `overrides`, returning one value per seed. */
export function perSeed<T>(
  root: string,
  file: string,
  overrides: readonly string[],
  seeds: number,
  measure: (o: ReturnType<typeof simulateScenario>, records: readonly LogRecord[] | undefined) => T,
  keepRecords = false,
): T[] {
  const loaded = loadScenario(join(root, file), overrides);
  const out: T[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const records: LogRecord[] = [];
    const sink: LogSink = {
      record: (r) => {
        records.push(r);
      },
    };
    const o = simulateScenario(loaded, { seed, keepSamples: false, sinks: keepRecords ? [sink] : [] });
    out.push(measure(o, keepRecords ? records : undefined));
  }
  return out;
}

/** A fraction as a percentage with `digits` decimals; '-' for NaN. */
export const pct = (x: number, digits = 1): string => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(digits)}%`);
