/**
 * What format a trace file looks like, from its first lines: each known shape (the import
 * formats of registry.ts, the canonical JSON Lines, Google's job_events) recognises its own rows
 * by separator, field count and numeric fields, and the shape most of the sample lines have is
 * the answer. Used to name the right format when an import could use no row. Pure: no I/O.
 */
import { NODE_HEADER, POD_HEADER } from './alibaba.js';

/** A shape a trace file can have. */
export interface TraceShape {
  /** the import format (`offersim import <format>`), or undefined for a file that is not imported on its own */
  readonly format: string | undefined;
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
    description: 'Standard Workload Format (";" comments, 18 numeric fields separated by blanks)',
    line: (t) => t.trimStart().startsWith(';') || (() => {
      const p = t.trim().split(/\s+/);
      return p.length === 18 && numeric(p, p.map((_, i) => i));
    })(),
  },
  {
    format: 'google-2011',
    description: 'Google cluster-data 2011 task_events (13 comma-separated fields, time first)',
    line: (t) => {
      const p = t.split(',');
      return p.length === 13 && INTEGER.test(p[0]!) && INTEGER.test(p[2]!);
    },
  },
  {
    format: undefined,
    description: 'Google cluster-data 2011 job_events (8 comma-separated fields): give it to google-2011 as --option jobEvents=FILE',
    line: (t) => {
      const p = t.split(',');
      return p.length === 8 && INTEGER.test(p[0]!) && INTEGER.test(p[2]!);
    },
  },
  {
    format: 'swim',
    description: 'SWIM MapReduce workload (6 tab-separated fields, or 7 with the input path)',
    line: (t) => {
      const p = t.replace(/\r$/, '').split('\t');
      while (p.length > 0 && p[p.length - 1]!.trim() === '') p.pop();
      return (p.length === 6 || p.length === 7) && numeric(p, [1, 2, 3, 4, 5]);
    },
  },
  {
    format: 'alibaba-openb-pods',
    description: 'Alibaba openb pod list (CSV with the header name,cpu_milli,memory_mib,...)',
    line: (t) => {
      if (t.trim() === POD_HEADER) return true;
      const p = t.split(',');
      return p.length === 11 && numeric(p, [1, 2, 3, 4]);
    },
  },
  {
    format: 'alibaba-openb-nodes',
    description: 'Alibaba openb node list (CSV with the header sn,cpu_milli,memory_mib,gpu,model)',
    line: (t) => {
      if (t.trim() === NODE_HEADER) return true;
      const p = t.split(',');
      return p.length === 5 && numeric(p, [1, 2, 3]);
    },
  },
  {
    format: 'alibaba-2018-machines',
    description: 'Alibaba cluster-trace-v2018 machine_meta.csv (7 comma-separated fields, no header)',
    line: (t) => {
      const p = t.split(',');
      return p.length === 7 && numeric(p, [1]) && !numeric(p, [6]);
    },
  },
  {
    format: undefined,
    description: 'offersim canonical workload (JSON Lines of jobs): use it as a trace with format canonical, no import needed',
    line: (t) => Array.isArray(jsonObject(t)?.['tasks']),
  },
  {
    format: undefined,
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
  return best !== undefined && bestCount * 2 > sample.length ? { format: best.format, description: best.description } : undefined;
}
