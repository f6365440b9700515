/**
 * The comparison of policies over seeds (`offersim compare`): per policy and metric, overall and
 * per framework, the mean across seeds and, against a reference policy, the paired difference
 * (same seed, same workload) with its 95% confidence interval. Units, descriptions and good
 * directions are the metric catalogue's. Pure: the caller reads the run directories.
 */
import { FRAMEWORK_COLUMNS, SUMMARY_METRICS, type Direction, type Unit } from './catalogue.js';
import { meanCi95 } from './stats.js';

/** One run to compare: its policy label, its seed and its metrics. */
export interface CompareRun {
  /** the policy label: what differs between the compared runs */
  readonly policy: string;
  readonly seed: number;
  /** summary.json: metric key -> number (null or absent: undefined for this run) */
  readonly summary: Readonly<Record<string, number | null | undefined>>;
  /** frameworks.csv's rows: framework name -> column key -> number (null: an empty cell) */
  readonly frameworks: ReadonlyMap<string, Readonly<Record<string, number | null | undefined>>>;
}

/** What a compared metric is, from the catalogue. */
export interface MetricInfo {
  readonly key: string;
  readonly description: string;
  readonly unit: Unit;
  /** which way it should move; per framework, that of the summary metric of the same key, else none */
  readonly better: Direction;
}

/** What a difference means: beyond its CI and in the good direction, the bad one, or a metric with none. */
export type CompareVerdict = 'better' | 'worse' | 'changed' | 'none';

/** One policy x metric (x framework) of a comparison. */
export interface CompareRow {
  readonly policy: string;
  /** the framework, or null for the whole run (summary.json) */
  readonly framework: string | null;
  readonly metric: MetricInfo;
  /** seeds with a number for this metric */
  readonly n: number;
  /** their mean; NaN when n = 0 */
  readonly mean: number;
  /** half-width of the mean's 95% confidence interval across seeds (Student's t, n - 1 df); NaN below 2 seeds */
  readonly meanCi95: number;
  /** seeds with a number for this metric in both this policy's run and the reference's; 0 for the reference */
  readonly pairs: number;
  /** mean over those seeds of (this policy - reference); NaN without pairs (so for the reference) */
  readonly diff: number;
  /** half-width of its 95% confidence interval (Student's t, pairs - 1 df); NaN below 2 pairs */
  readonly diffCi95: number;
  /** the interval excludes zero */
  readonly significant: boolean;
  readonly verdict: CompareVerdict;
}

/** Seeds that one of a policy and the reference has and the other lacks: those seeds are not paired. */
export interface Unpaired {
  readonly policy: string;
  /** seeds the reference ran and this policy did not */
  readonly missing: readonly number[];
  /** seeds this policy ran and the reference did not */
  readonly extra: readonly number[];
}

/** A comparison: its rows, policy by policy (the reference first), metric by metric. */
export interface Comparison {
  readonly reference: string;
  /** the policies in order: the reference, then the others in label order */
  readonly policies: readonly string[];
  readonly metrics: readonly MetricInfo[];
  /** the frameworks compared, in name order (empty unless asked) */
  readonly frameworks: readonly string[];
  /** overall rows (framework null), then per framework, each policy x metric */
  readonly rows: readonly CompareRow[];
  readonly unpaired: readonly Unpaired[];
}

/** The headline metrics compared by default: utilisation, fairness, completion and queueing, locality, declines. */
export const DEFAULT_COMPARE_METRICS: readonly string[] = [
  'utilisation_cpus',
  'utilisation_mem',
  'jain_arrival_mean',
  'completion_p50_s',
  'completion_p95_s',
  'queueing_delay_p50_s',
  'queueing_delay_p95_s',
  'node_local',
  'offers_declined_share',
];

/** The catalogue's numeric summary metrics, by key. */
const SUMMARY_INFO: ReadonlyMap<string, MetricInfo> = new Map(
  SUMMARY_METRICS.filter((m) => m.format !== 'text').map((m) => [m.key, { key: m.key, description: m.description, unit: m.unit, better: m.better }]),
);

/** The catalogue's numeric frameworks.csv columns, by key, each with the direction of its summary namesake. */
const FRAMEWORK_INFO: ReadonlyMap<string, MetricInfo> = new Map(
  FRAMEWORK_COLUMNS.filter((c) => c.format !== 'text').map((c) => [
    c.key,
    { key: c.key, description: c.description, unit: c.unit, better: SUMMARY_INFO.get(c.key)?.better ?? 'none' },
  ]),
);

/** The catalogue's row of summary metric `key`, or undefined when there is no numeric one. */
export function summaryMetricInfo(key: string): MetricInfo | undefined {
  return SUMMARY_INFO.get(key);
}

/** The catalogue's row of frameworks.csv column `key`, or undefined when there is no numeric one. */
export function frameworkMetricInfo(key: string): MetricInfo | undefined {
  return FRAMEWORK_INFO.get(key);
}

/** The verdict on a difference `diff` of a metric whose good direction is `better`. */
function verdictOf(diff: number, significant: boolean, better: Direction): CompareVerdict {
  if (!significant) return 'none';
  if (better === 'none') return 'changed';
  return diff > 0 === (better === 'higher') ? 'better' : 'worse';
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  /** the reference policy's label */
  readonly reference: string;
  /** summary metric keys (each a numeric row of the catalogue), in the table's order */
  readonly metrics: readonly string[];
  /** also compare per framework, on the metrics that frameworks.csv has; default false */
  readonly frameworks?: boolean;
}

/**
 * Compares `runs` policy by policy against `options.reference`, pairing runs by seed. Throws a
 * RangeError on what the caller must have refused: an unknown reference or metric, or two runs of
 * one policy and seed.
 */
export function compareRuns(runs: readonly CompareRun[], options: CompareOptions): Comparison {
  const bySeed = new Map<string, Map<number, CompareRun>>();
  for (const r of runs) {
    let m = bySeed.get(r.policy);
    if (m === undefined) bySeed.set(r.policy, (m = new Map()));
    if (m.has(r.seed)) throw new RangeError(`two runs of policy ${r.policy} with seed ${r.seed}`);
    m.set(r.seed, r);
  }
  const ref = bySeed.get(options.reference);
  if (ref === undefined) throw new RangeError(`no runs of the reference policy ${options.reference}`);
  const policies = [options.reference, ...[...bySeed.keys()].filter((p) => p !== options.reference).sort(byCodeUnits)];
  const metrics = options.metrics.map((k) => {
    const info = SUMMARY_INFO.get(k);
    if (info === undefined) throw new RangeError(`the metric catalogue has no numeric summary metric ${k}`);
    return info;
  });
  const rows: CompareRow[] = [];
  const rowsOf = (framework: string | null, infos: readonly MetricInfo[], value: (r: CompareRun, key: string) => number | null | undefined): void => {
    for (const policy of policies) {
      const mine = bySeed.get(policy)!;
      for (const metric of infos) {
        const xs: number[] = [];
        const ds: number[] = [];
        // Seeds in ascending order, so that the sums (and so the bits) do not depend on the input's order.
        for (const seed of [...mine.keys()].sort((a, b) => a - b)) {
          const x = value(mine.get(seed)!, metric.key);
          if (!finite(x)) continue;
          xs.push(x);
          const r = ref.get(seed);
          const y = r === undefined ? undefined : value(r, metric.key);
          if (finite(y)) ds.push(x - y);
        }
        const { mean, half } = meanCi95(xs);
        if (policy === options.reference) {
          rows.push({ policy, framework, metric, n: xs.length, mean, meanCi95: half, pairs: 0, diff: NaN, diffCi95: NaN, significant: false, verdict: 'none' });
          continue;
        }
        const d = meanCi95(ds);
        const significant = Number.isFinite(d.half) && Math.abs(d.mean) > d.half;
        rows.push({
          policy,
          framework,
          metric,
          n: xs.length,
          mean,
          meanCi95: half,
          pairs: ds.length,
          diff: d.mean,
          diffCi95: d.half,
          significant,
          verdict: verdictOf(d.mean, significant, metric.better),
        });
      }
    }
  };
  rowsOf(null, metrics, (r, k) => r.summary[k]);
  const frameworks = options.frameworks === true ? [...new Set(runs.flatMap((r) => [...r.frameworks.keys()]))].sort(byCodeUnits) : ([] as string[]);
  const frameworkMetrics = metrics.flatMap((m) => FRAMEWORK_INFO.get(m.key) ?? []);
  for (const f of frameworks) rowsOf(f, frameworkMetrics, (r, k) => r.frameworks.get(f)?.[k]);
  const unpaired: Unpaired[] = [];
  for (const policy of policies.slice(1)) {
    const mine = bySeed.get(policy)!;
    const missing = [...ref.keys()].filter((s) => !mine.has(s)).sort((a, b) => a - b);
    const extra = [...mine.keys()].filter((s) => !ref.has(s)).sort((a, b) => a - b);
    if (missing.length > 0 || extra.length > 0) unpaired.push({ policy, missing, extra });
  }
  return { reference: options.reference, policies, metrics, frameworks, rows, unpaired };
}

/** A total order on strings by UTF-16 code units, whatever the locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
