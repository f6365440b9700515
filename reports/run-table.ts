/**
 * The headline metrics of one run as a short aligned table (what `offersim run` prints at its
 * end): the metrics `compare` shows by default, with the catalogue's unit and good direction, laid
 * out and formatted as compare's terminal table (metric, unit, better, then the number). Pure.
 */
import { DEFAULT_COMPARE_METRICS, summaryMetricInfo } from './compare.js';
import { align, short } from './compare-table.js';

/** The table of `summary`'s (summary.json's) headline metrics, a line each; '-' for a metric the run has no value of. */
export function headlineText(summary: Readonly<Record<string, number | string | null | undefined>>): string {
  const rows = [['metric', 'unit', 'better', 'value']];
  for (const key of DEFAULT_COMPARE_METRICS) {
    const info = summaryMetricInfo(key)!;
    const v = summary[key];
    rows.push([key, info.unit, info.better === 'none' ? '-' : info.better, typeof v === 'number' ? short(v) : '-']);
  }
  return `${align(rows, 3).join('\n')}\n`;
}
