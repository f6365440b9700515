/**
 * What every chart of a report shares: the spec's frame (schema, size, fonts, embedded data), the
 * palette that keeps many series apart, and the time unit a run's length calls for. Pure data
 * and small functions; imports nothing.
 */

/** The Vega-Lite schema every spec names. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A Vega-Lite spec as plain JSON data. */
export type VlSpec = { readonly [key: string]: unknown };

/** One chart of a report: its file stem under charts/, its title and its spec. */
export interface Chart {
  /** file stem: charts/<name>.vl.json, .svg, .png */
  readonly name: string;
  readonly title: string;
  readonly spec: VlSpec;
  /** a sweep's or a comparison's chart: the summary metric it charts (a key of the catalogue's SUMMARY_METRICS) */
  readonly metric?: string;
}

/** A chart left out of a report because it would show nothing, with the one line saying why. */
export interface OmittedChart {
  readonly name: string;
  readonly title: string;
  /** why, e.g. 'no launched task had preferred locations' */
  readonly why: string;
}

/** The charts of a page, and those left out. */
export interface ChartSet {
  readonly charts: readonly Chart[];
  readonly omitted: readonly OmittedChart[];
}

/** Chart size in pixels (the plotting area). */
export const WIDTH = 600;
export const HEIGHT = 240;

/** Shared look: fixed fonts (the PNG renderer is given DejaVu Sans), white background, readable titles. */
const CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  view: { stroke: null },
  title: { fontSize: 14, anchor: 'start', subtitleColor: '#555' },
  axis: { titleFontSize: 12, labelFontSize: 11 },
  legend: { titleFontSize: 12, labelFontSize: 11, labelLimit: 240 },
} as const;

/** The frame of a spec: schema, description, title, size, config and the embedded data, in this key order. */
export function base(title: string | { text: string; subtitle: string }, description: string, values: readonly unknown[]): Record<string, unknown> {
  return {
    $schema: VEGA_LITE_SCHEMA,
    description,
    title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
  };
}

/** A spec's file text: two-space JSON with a final newline (keys in the order the builders set them). */
export function specJson(spec: VlSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

/** x rounded to 6 decimals, as the CSV files write ratios. */
export function round6(x: number): number {
  return Number(x.toFixed(6));
}

/**
 * Colours for the series (frameworks, policies) `domain`, in its order: Tableau 10 up to ten,
 * Tableau 20 beyond (its pairs of a dark and a light shade stay apart side by side). Beyond 20 the
 * colours repeat, and {@link dashScale} tells the repeats apart.
 */
export function colourScale(domain: readonly string[]): Record<string, unknown> {
  return { domain: [...domain], scheme: domain.length <= 10 ? 'tableau10' : 'tableau20' };
}

/** Stroke dashes of the 1st, 2nd, 3rd, ... round of 20 colours: solid, dashed, dotted, dash-dot. */
const DASHES: readonly (readonly number[])[] = [
  [1, 0],
  [6, 3],
  [2, 2],
  [6, 2, 2, 2],
];

/**
 * A strokeDash scale for more than 20 series: the n-th series gets the dash of round floor(n / 20),
 * so that no two series share both colour and dash below 80 series; undefined for 20 or fewer
 * (every line solid).
 */
export function dashScale(domain: readonly string[]): Record<string, unknown> | undefined {
  if (domain.length <= 20) return undefined;
  return { domain: [...domain], range: domain.map((_, i) => [...DASHES[Math.floor(i / 20) % DASHES.length]!]) };
}

/** A unit of simulated time for an axis. */
export interface TimeUnit {
  /** the label: s, min, h or days */
  readonly label: string;
  /** seconds in one unit */
  readonly seconds: number;
}

/** The units of a time axis, each used up to a run length (seconds) of `upTo`. */
const TIME_UNITS: readonly (TimeUnit & { readonly upTo: number })[] = [
  { label: 's', seconds: 1, upTo: 600 },
  { label: 'min', seconds: 60, upTo: 3 * 3600 },
  { label: 'h', seconds: 3600, upTo: 3 * 86_400 },
  { label: 'days', seconds: 86_400, upTo: Infinity },
];

/**
 * The unit of a time axis for a run of `endSeconds`: seconds up to 10 minutes, minutes up to 3
 * hours, hours up to 3 days, days beyond, so that the axis reads in small whole numbers.
 * @example timeUnitFor(1374).label // 'min'
 */
export function timeUnitFor(endSeconds: number): TimeUnit {
  const u = TIME_UNITS.find((x) => endSeconds <= x.upTo) ?? TIME_UNITS[TIME_UNITS.length - 1]!;
  return { label: u.label, seconds: u.seconds };
}
