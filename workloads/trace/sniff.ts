/**
 * What format a trace file looks like, from its first lines: each known shape (the import
 * formats of registry.ts, the canonical JSON Lines, Google's job_events) recognises its own rows
 * by separator, field count and numeric fields, and the shape most of the sample lines have is
 * the answer. Used to name the right format when an import could use no row. Pure: no I/O.
 */
import { NODE_HEADER, POD_HEADER } from './alibaba.js';
import type { ImportCounts, RowProblem } from './importer.js';
import { TRACE_FORMATS } from './registry.js';

/** A shape a trace file can have. */
export interface TraceShape {
  /** the import format (`offersim import <format>`), or undefined for a file that is not imported on its own */
  readonly format: string | undefined;
  /** the `format` of a scenario's trace entry that reads it ('canonical' for offersim's own files), or undefined for none */
  readonly scenarioFormat: string | undefined;
  /** what the file holds: jobs (a `traces` entry) or agents (a `cluster.traces` entry); undefined for neither on its own */
  readonly kind: 'jobs' | 'cluster' | undefined;
  /** what it is, for a message */
  readonly description: string;
}

/** Lines the sniffer looks at: the first this many that are not blank. */
export const SNIFF_LINES = 50;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^\d+$/;

function numeric(fields: readonly string[], at: readonly number[]): boolean {
  return at.every((i) => NUMBER.test((fields[i] ?? '').trim()));
}

function jsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A shape and the test a line of it passes (a header or comment line counts). */
interface Recogniser extends TraceShape {
  readonly line: (text: string) => boolean;
}

const SHAPES: readonly Recogniser[] = [
  {
    format: 'swf',
    scenarioFormat: 'swf',
    kind: 'jobs',
    description: 'Standard Workload Format (";" comments, 18 numeric fields separated by blanks)',
    line: (t) =>
      t.trimStart().startsWith(';') ||
      (() => {
        const p = t.trim().split(/\s+/);
        return (
          p.length === 18 &&
          numeric(
            p,
            p.map((_, i) => i),
          )
        );
      })(),
  },
  {
    format: 'google-2011',
    scenarioFormat: 'google-2011',
    kind: 'jobs',
    description: 'Google cluster-data 2011 task_events (13 comma-separated fields, time first)',
    line: (t) => {
      const p = t.split(',');
      return p.length === 13 && INTEGER.test(p[0]!) && INTEGER.test(p[2]!);
    },
  },
  {
    format: undefined,
    scenarioFormat: undefined,
    kind: undefined,
    description: 'Google cluster-data 2011 job_events (8 comma-separated fields): give it to google-2011 as --option jobEvents=FILE',
    line: (t) => {
      const p = t.split(',');
      return p.length === 8 && INTEGER.test(p[0]!) && INTEGER.test(p[2]!);
    },
  },
  {
    format: 'swim',
    scenarioFormat: 'swim',
    kind: 'jobs',
    description: 'SWIM MapReduce workload (6 tab-separated fields, or 7 with the input path)',
    line: (t) => {
      const p = t.replace(/\r$/, '').split('\t');
      while (p.length > 0 && p[p.length - 1]!.trim() === '') p.pop();
      return (p.length === 6 || p.length === 7) && numeric(p, [1, 2, 3, 4, 5]);
    },
  },
  {
    format: 'alibaba-openb-pods',
    scenarioFormat: 'alibaba-openb-pods',
    kind: 'jobs',
    description: 'Alibaba openb pod list (CSV with the header name,cpu_milli,memory_mib,...)',
    line: (t) => {
      if (t.trim() === POD_HEADER) return true;
      const p = t.split(',');
      return p.length === 11 && numeric(p, [1, 2, 3, 4]);
    },
  },
  {
    format: 'alibaba-openb-nodes',
    scenarioFormat: 'alibaba-openb-nodes',
    kind: 'cluster',
    description: 'Alibaba openb node list (CSV with the header sn,cpu_milli,memory_mib,gpu,model)',
    line: (t) => {
      if (t.trim() === NODE_HEADER) return true;
      const p = t.split(',');
      return p.length === 5 && numeric(p, [1, 2, 3]);
    },
  },
  {
    format: 'alibaba-2018-machines',
    scenarioFormat: 'alibaba-2018-machines',
    kind: 'cluster',
    description: 'Alibaba cluster-trace-v2018 machine_meta.csv (7 comma-separated fields, no header)',
    line: (t) => {
      const p = t.split(',');
      return p.length === 7 && numeric(p, [1]) && !numeric(p, [6]);
    },
  },
  {
    format: undefined,
    scenarioFormat: 'canonical',
    kind: 'jobs',
    description: 'offersim canonical workload (JSON Lines of jobs): use it as a trace with format canonical, no import needed',
    line: (t) => Array.isArray(jsonObject(t)?.['tasks']),
  },
  {
    format: undefined,
    scenarioFormat: 'canonical',
    kind: 'cluster',
    description: 'offersim canonical cluster (JSON Lines of agents): use it as a cluster trace with format canonical, no import needed',
    line: (t) => {
      const o = jsonObject(t);
      return o !== undefined && typeof o['name'] === 'string' && o['tasks'] === undefined && ('cpus' in o || 'mem' in o);
    },
  },
];

/**
 * The shape most of `lines` (the first {@link SNIFF_LINES} non-blank lines of a file) have, when
 * more than half of them have it; undefined when none does or there are no lines.
 */
export function sniffTrace(lines: readonly string[]): TraceShape | undefined {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, SNIFF_LINES);
  if (sample.length === 0) return undefined;
  let best: Recogniser | undefined;
  let bestCount = 0;
  for (const shape of SHAPES) {
    let n = 0;
    for (const l of sample) if (shape.line(l)) n++;
    // Shapes are tried in a fixed order; a later one must do strictly better (a total order).
    if (n > bestCount) {
      best = shape;
      bestCount = n;
    }
  }
  return best !== undefined && bestCount * 2 > sample.length
    ? { format: best.format, scenarioFormat: best.scenarioFormat, kind: best.kind, description: best.description }
    : undefined;
}

/** Where a trace's lines are read: by `offersim import` (the format is an import format) or by a scenario's trace entry. */
export type TraceUse = 'import' | 'scenario';

/**
 * Why what a trace gave would mislead, or undefined when it is fine: no row of the file could be
 * used, or (for an import) the file looks like another format than `format` (then most rows were
 * skipped, and the few used are accidents of shape). The message names the likely cause: the
 * first problem of the commonest skip reason (extra fields, a Unix time, ...), and the format the
 * file looks like. `sample`: the file's first {@link SNIFF_LINES} non-blank lines; `first`: the
 * first problem of each skip reason.
 */
export function unusableTrace(
  format: string,
  c: ImportCounts,
  sample: readonly string[],
  first: ReadonlyMap<string, RowProblem>,
  use: TraceUse,
): string | undefined {
  const looks = sniffTrace(sample);
  const other = use === 'import' && looks !== undefined && looks.format !== format;
  if (c.rowsUsed > 0 && !other) return undefined;
  const reasons = Object.entries(c.skipped);
  const skipped = reasons.map(([k, n]) => `${k} ${n}`).join(', ');
  // The commonest reason (the first listed of equals: the list is sorted by name) and its first row.
  let top: string | undefined;
  for (const [k, n] of reasons) if (top === undefined || n > c.skipped[top]!) top = k;
  const p = top === undefined ? undefined : first.get(top);
  const example = p === undefined ? '' : `; the first, line ${p.line}: ${p.message}`;
  const what =
    c.rows === 0
      ? 'has no data rows'
      : c.rowsUsed === 0
        ? `has no row ${format} could use (${c.rows} data rows skipped: ${skipped})${example}`
        : `is not ${format}: ${c.rowsUsed} of its ${c.rows} data rows fit ${format} by accident`;
  return `${what}; ${looksLike(looks, format, use)}`;
}

/** What a file of shape `looks` is, said to someone who named it `format`. */
export function looksLike(looks: TraceShape | undefined, format: string, use: TraceUse): string {
  if (looks === undefined) return `it looks like none of the known formats (${TRACE_FORMATS.map((f) => f.name).join(', ')})`;
  const name = use === 'import' ? looks.format : looks.scenarioFormat;
  if (name === format) return `the file is ${format} but no row was usable`;
  if (name === undefined) return `it looks like ${looks.description}`;
  return use === 'import'
    ? `it looks like ${name}, ${looks.description}: offersim import ${name} FILE`
    : `it looks like ${looks.description}: its trace entry needs format ${name}`;
}
