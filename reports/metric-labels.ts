/**
 * Readable names of the summary metrics that pages chart and tabulate, for titles and axis labels
 * (the catalogue's descriptions define a metric; these name it in a few words), and the axis text
 * of a unit, and a value as a page shows it. Pure; imports the catalogue and the number formats.
 */
import { SUMMARY_METRICS, known, type Unit } from './catalogue.js';
import { short } from './compare-table.js';
import { fmtInt } from './format.js';

/** A few words naming a metric, by summary.json key; each key checked against the catalogue as this module loads. */
const LABELS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['utilisation_cpus', 'CPU utilisation'],
      ['utilisation_mem', 'memory utilisation'],
      ['jain_mean', "Jain's fairness index"],
      ['jain_arrival_mean', "Jain's fairness index (arrival window)"],
      ['completion_mean_s', 'mean job completion time'],
      ['completion_p50_s', 'median job completion time'],
      ['completion_p95_s', '95th percentile job completion time'],
      ['completion_p99_s', '99th percentile job completion time'],
      ['queueing_delay_mean_s', 'mean queueing delay'],
      ['queueing_delay_p50_s', 'median queueing delay'],
      ['queueing_delay_p95_s', '95th percentile queueing delay'],
      ['queueing_delay_p99_s', '99th percentile queueing delay'],
      ['slowdown_mean', 'mean job slowdown'],
      ['node_local', 'node-local tasks (of those with preferences)'],
      ['offers_declined_share', 'share of offered resources declined'],
      ['jobs_abandoned', 'jobs abandoned'],
      ['jobs_finished', 'jobs finished'],
      ['busyness_mean', 'mean scheduler busyness'],
      ['makespan_s', 'makespan'],
      ['am_share', 'memory share of ApplicationMasters'],
      ['first_container_p50_s', 'median time to the first task container'],
      ['first_container_p95_s', '95th percentile time to the first task container'],
      ['ask_to_allocation_p50_s', 'median ask-to-allocation time'],
      ['ask_to_allocation_p95_s', '95th percentile ask-to-allocation time'],
      ['reserved_share', 'memory share reserved'],
    ] as const
  ).map(([key, label]) => [known(SUMMARY_METRICS, key), label]),
);

/** A metric's readable name: its label, else its key. */
export function metricLabel(key: string): string {
  return LABELS.get(key) ?? key;
}

/** What an axis of a unit says after the metric's name: `(%)` for a fraction (shown as a percentage), `(s)`, `(jobs)`, ... */
export function unitSuffix(unit: Unit): string {
  return unit === 'fraction' ? '(%)' : unit === 'text' ? '' : `(${unit})`;
}

/** A metric's axis title: its readable name and unit, e.g. `CPU utilisation (%)`. */
export function axisTitle(key: string, unit: Unit): string {
  const suffix = unitSuffix(unit);
  return suffix === '' ? metricLabel(key) : `${metricLabel(key)} ${suffix}`;
}

/** Vega-Lite axis properties of a unit: a fraction's axis labelled in percent. */
export function unitAxis(unit: Unit): Record<string, unknown> {
  return unit === 'fraction' ? { format: '.0%' } : {};
}

/** Units counted in whole numbers. */
const COUNTS: readonly Unit[] = ['records', 'agents', 'frameworks', 'jobs', 'tasks', 'offers', 'runs', 'placements', 'containers'];

/**
 * A value as a page shows it, by its unit: a fraction as a percentage, seconds with `s`, a count
 * as an integer, anything else to about four significant digits; '-' when undefined.
 * @example displayValue(0.498434, 'fraction') // '49.84%'
 * @example displayValue(81.432444, 's') // '81.43 s'
 */
export function displayValue(x: number | null, unit: Unit): string {
  if (x === null || !Number.isFinite(x)) return '-';
  if (unit === 'fraction') return `${short(x * 100)}%`;
  if (unit === 's') return `${short(x)} s`;
  if (COUNTS.includes(unit)) return fmtInt(x);
  return short(x);
}
