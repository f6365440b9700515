/**
 * Hostile trace files for the fuzz suite: small real-shaped files of every format (the hand-written
 * fixtures of workloads/trace/fixtures and the first lines of the shared real traces) with rows
 * mutated: a field set to an absurd, non-finite, huge or malformed value, fields dropped or added,
 * rows duplicated, dropped, swapped or replaced by garbage or a long line, and the file truncated,
 * given CRLF ends or a BOM, emptied, cut to its header, gzipped, or gzipped and cut. Also the oracle
 * for what an import wrote. Test-only (excluded from the build).
 */
import fc from 'fast-check';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CanonicalJobSchema } from '../../workloads/trace/canonical.js';
import { CanonicalAgentSchema } from '../../workloads/trace/cluster.js';
import { MAX_EVENT_TIME } from '../../sim/kernel/event-queue.js';
import { toFixed } from '../../sim/model/resources.js';
import { ROOT } from './child.js';
import { SHARED_TRACES, cutTrace } from './fuzz-scenario.js';
import type { Violation } from './fuzz-oracle.js';

/** How a format separates the fields of a row. */
type Split = 'spaces' | 'comma' | 'tab' | 'json';

/** A small trace file to mutate. */
export interface TraceBase {
  /** a short name: fixture or real file */
  readonly name: string;
  /** the trace format (offersim list formats), or 'canonical' / 'canonical-cluster' (scenario traces only) */
  readonly format: string;
  readonly kind: 'jobs' | 'cluster';
  readonly split: Split;
  /** the file's lines */
  readonly lines: readonly string[];
  /** rows that are not data: comments and a header */
  readonly isData: (line: string, index: number) => boolean;
  /** importer options, path values absolute (Google's jobEvents) */
  readonly options: Readonly<Record<string, string>>;
}

const FIXTURES = join(ROOT, 'workloads', 'trace', 'fixtures');

/** Lines kept of a real trace in a base. */
const REAL_LINES = 60;

const linesOf = (file: string): string[] => readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');

/**
 * The trace bases: every fixture, and the first lines of each shared real trace when they are
 * there (cut copies go to `dir`: Google's job events must be a file).
 */
export function traceBases(dir: string): TraceBase[] {
  const swf = (l: string): boolean => !l.startsWith(';') && l.trim() !== '';
  const any = (l: string): boolean => l.trim() !== '';
  const afterHeader = (_: string, i: number): boolean => i > 0;
  mkdirSync(dir, { recursive: true });
  const bases: TraceBase[] = [];
  const add = (
    name: string,
    format: string,
    kind: 'jobs' | 'cluster',
    split: Split,
    file: string,
    isData: TraceBase['isData'],
    options: Record<string, string> = {},
  ): void => {
    bases.push({ name, format, kind, split, lines: linesOf(file), isData, options });
  };
  const fx = (f: string): string => join(FIXTURES, f);
  const jobEvents = join(dir, 'small-google-job-events.csv');
  copyFileSync(fx('small-google-job-events.csv'), jobEvents);
  add('fixture small.swf', 'swf', 'jobs', 'spaces', fx('small.swf'), swf);
  add('fixture google task events', 'google-2011', 'jobs', 'comma', fx('small-google-task-events.csv'), any, { jobEvents });
  add('fixture swim 2009', 'swim', 'jobs', 'tab', fx('swim-fb2009.tsv'), any);
  add('fixture swim 2010', 'swim', 'jobs', 'tab', fx('swim-fb2010-paths.tsv'), any);
  add('fixture openb pods', 'alibaba-openb-pods', 'jobs', 'comma', fx('openb-pods.csv'), afterHeader);
  add('fixture openb nodes', 'alibaba-openb-nodes', 'cluster', 'comma', fx('openb-nodes.csv'), afterHeader);
  add('fixture machine meta', 'alibaba-2018-machines', 'cluster', 'comma', fx('machine-meta.csv'), any);
  add('fixture small.jsonl', 'canonical', 'jobs', 'json', fx('small.jsonl'), any);
  add('fixture cluster.jsonl', 'canonical-cluster', 'cluster', 'json', fx('cluster.jsonl'), any);
  if (!existsSync(SHARED_TRACES)) return bases;
  const real = (
    name: string,
    format: string,
    kind: 'jobs' | 'cluster',
    split: Split,
    rel: string,
    isData: TraceBase['isData'],
    options: Record<string, string> = {},
  ): void => {
    const to = join(dir, rel.replace(/\//g, '_'));
    cutTrace(join(SHARED_TRACES, rel), to, REAL_LINES, false);
    add(name, format, kind, split, to, isData, options);
  };
  const realJobEvents = join(dir, 'google-job-events-head.csv');
  cutTrace(join(SHARED_TRACES, 'google-2011', 'job_events_part-00000_first50-jobs-after-t0.csv'), realJobEvents, REAL_LINES, false);
  real('NASA iPSC head', 'swf', 'jobs', 'spaces', 'swf/NASA-iPSC-1993-3.1-cln.swf', swf);
  real('HPC2N head', 'swf', 'jobs', 'spaces', 'swf/HPC2N-2002-2.2_head-alea.swf', swf);
  real('Google 2011 task events head', 'google-2011', 'jobs', 'comma', 'google-2011/task_events_part-00000_first50-jobs-after-t0.csv', any, {
    jobEvents: realJobEvents,
  });
  real('SWIM FB-2009 head', 'swim', 'jobs', 'tab', 'swim/FB-2009_samples_24_times_1hr_0.tsv', any);
  real('SWIM FB-2010 head', 'swim', 'jobs', 'tab', 'swim/FB-2010_samples_24_times_1hr_withInputPaths_0.tsv', any);
  real('openb pods head', 'alibaba-openb-pods', 'jobs', 'comma', 'alibaba-gpu-2023/openb_pod_list_default.csv', afterHeader);
  real('openb nodes head', 'alibaba-openb-nodes', 'cluster', 'comma', 'alibaba-gpu-2023/openb_node_list_all_node.csv', afterHeader);
  real('Alibaba 2018 machine_meta head', 'alibaba-2018-machines', 'cluster', 'comma', 'alibaba-2018/machine_meta.csv', any);
  return bases;
}

/** Field values a trace row should never carry, and some it may: huge, non-finite, negative, malformed, long. */
export const FIELD_VALUES: readonly string[] = [
  '1e29',
  '-1',
  '9'.repeat(400),
  'NaN',
  'Infinity',
  '-Infinity',
  '',
  'abc',
  '-0',
  '1e308',
  '0',
  '4.5',
  '0x10',
  '1e-300',
  '9007199254740993',
  '18446744073709551615',
  '9223372036854775807',
  '-1e21',
  '2e-5',
  '"q"',
  ' ',
  'é',
  'null',
  'true',
  '[]',
  '{}',
  '1,2',
  '\t',
  'x'.repeat(100_000),
];

/** A change of a trace file; `row` and `at` pick a data row or a byte (modulo their count). */
export type RowOp =
  | { readonly op: 'field'; readonly row: number; readonly field: number; readonly value: string }
  | { readonly op: 'drop-field'; readonly row: number; readonly field: number }
  | { readonly op: 'add-fields'; readonly row: number; readonly n: number }
  | { readonly op: 'duplicate-row'; readonly row: number; readonly times: number }
  | { readonly op: 'drop-row'; readonly row: number }
  | { readonly op: 'swap-rows'; readonly row: number; readonly with: number }
  | { readonly op: 'row'; readonly row: number; readonly value: string }
  | { readonly op: 'garbage'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly op: 'truncate'; readonly at: number };

/** A change of the whole file after the row changes. */
export type FileOp = 'crlf' | 'bom' | 'empty' | 'header-only' | 'gzip' | 'corrupt-gzip' | 'no-final-newline';

/** Whole-row replacements: empty, blank, a comment, a long line, binary-looking text. */
const ROW_VALUES: readonly string[] = ['', '   ', ';', '#', 'x'.repeat(2_000_000), '\u0000\u0001\u0002', '\ufffd\ufffd', '{"id":', '1 2 3', ',,,,,,,,,,,,,,'];

/** One row mutation. */
export const rowOpArb: fc.Arbitrary<RowOp> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('field' as const), row: fc.nat(), field: fc.nat(), value: fc.constantFrom(...FIELD_VALUES) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop-field' as const), row: fc.nat(), field: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add-fields' as const), row: fc.nat(), n: fc.constantFrom(1, 3, 1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate-row' as const), row: fc.nat(), times: fc.constantFrom(1, 100) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop-row' as const), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap-rows' as const), row: fc.nat(), with: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('row' as const), row: fc.nat(), value: fc.constantFrom(...ROW_VALUES) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('garbage' as const),
      at: fc.nat(),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
);

/** A trace fuzz case: a base, row mutations, maybe a file mutation, maybe --strict. */
export interface TraceCase {
  readonly base: number;
  readonly rows: readonly RowOp[];
  readonly file: FileOp | null;
  readonly strict: boolean;
}

/**
 * Trace cases over `bases` (picked by index): half of them general (up to three row mutations,
 * maybe a file mutation, maybe --strict), half one field of one row changed and nothing else, the
 * cases where one bad row must cost that row only.
 */
export function traceCaseArb(bases: number): fc.Arbitrary<TraceCase> {
  const base = fc.nat({ max: bases - 1 });
  return fc.oneof(
    fc.record({
      base,
      rows: fc.array(rowOpArb, { minLength: 1, maxLength: 3 }),
      file: fc.option(fc.constantFrom<FileOp>('crlf', 'bom', 'empty', 'header-only', 'gzip', 'corrupt-gzip', 'no-final-newline'), { freq: 5 }),
      strict: fc.boolean(),
    }),
    fc.record({
      base,
      rows: fc.record({ op: fc.constant('field' as const), row: fc.nat(), field: fc.nat(), value: fc.constantFrom(...FIELD_VALUES) }).map((m): RowOp[] => [m]),
      file: fc.constant(null),
      strict: fc.constant(false),
    }),
  );
}

const SEP: Readonly<Record<Exclude<Split, 'json'>, string>> = { spaces: ' ', comma: ',', tab: '\t' };

/** The fields of a row: split on its separator (runs of spaces for SWF); a JSON row's leaf values as text. */
function fieldsOf(line: string, split: Split): string[] {
  if (split === 'spaces') return line.trim().split(/\s+/);
  if (split === 'json') return [line];
  return line.split(SEP[split]);
}

/** A JSON row with its `field`-th leaf value (in document order) written as the raw text `value`. */
function setJsonLeaf(line: string, field: number, value: string | undefined): string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return line;
  }
  const leaves: (string | number)[][] = [];
  const walk = (x: unknown, p: (string | number)[]): void => {
    if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...p, i]));
    else if (typeof x === 'object' && x !== null) for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], [...p, k]);
    else leaves.push(p);
  };
  walk(data, []);
  const p = leaves[field % Math.max(1, leaves.length)];
  if (p === undefined || p.length === 0) return line;
  const MARK = '\u0001fuzz\u0001';
  let parent = data as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = p[p.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
    return JSON.stringify(data);
  }
  parent[last] = MARK;
  return JSON.stringify(data).replace(JSON.stringify(MARK), value);
}

/** The bytes of a case's trace file and a one-line title of what it changed. */
export function renderTrace(bases: readonly TraceBase[], c: TraceCase): { bytes: Buffer; title: string } {
  const b = bases[c.base]!;
  let lines = [...b.lines];
  const titles: string[] = [];
  const data = (): number[] => lines.map((l, i) => (b.isData(l, i) ? i : -1)).filter((i) => i >= 0);
  const pickRow = (r: number): number | undefined => {
    const d = data();
    return d.length === 0 ? undefined : d[r % d.length];
  };
  const shown = (v: string): string => (v.length > 30 ? `<${v.length} x "${v[0]}">` : JSON.stringify(v));
  let bytes: Buffer | undefined;
  for (const m of c.rows) {
    if (m.op === 'garbage' || m.op === 'truncate') {
      const buf = bytes ?? Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      const at = m.at % (buf.length + 1);
      bytes = m.op === 'garbage' ? Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]) : buf.subarray(0, at);
      titles.push(m.op === 'garbage' ? `bytes [${m.bytes.join(' ')}] at byte ${at}` : `cut at byte ${at}`);
      lines = bytes.toString('utf8').replace(/\n$/, '').split('\n');
      continue;
    }
    bytes = undefined;
    const i = pickRow(m.row);
    if (i === undefined) {
      titles.push(`${m.op}: no data row`);
      continue;
    }
    const row = lines[i]!;
    switch (m.op) {
      case 'field':
      case 'drop-field': {
        const value = m.op === 'field' ? m.value : undefined;
        if (b.split === 'json') lines[i] = setJsonLeaf(row, m.field, value);
        else {
          const f = fieldsOf(row, b.split);
          const k = m.field % f.length;
          if (value === undefined) f.splice(k, 1);
          else f[k] = value;
          lines[i] = f.join(b.split === 'spaces' ? ' ' : SEP[b.split]);
        }
        titles.push(value === undefined ? `line ${i + 1}: field ${m.field} dropped` : `line ${i + 1}: field ${m.field} := ${shown(value)}`);
        break;
      }
      case 'add-fields': {
        const sep = b.split === 'json' ? ',' : b.split === 'spaces' ? ' ' : SEP[b.split];
        lines[i] =
          b.split === 'json'
            ? row.replace(/}$/, `${Array.from({ length: m.n }, (_, k) => `,"extra${k}":${k}`).join('')}}`)
            : row + sep + Array.from({ length: m.n }, (_, k) => String(k)).join(sep);
        titles.push(`line ${i + 1}: ${m.n} fields added`);
        break;
      }
      case 'duplicate-row':
        lines.splice(i, 0, ...Array.from({ length: m.times }, () => row));
        titles.push(`line ${i + 1} repeated ${m.times} more times`);
        break;
      case 'drop-row':
        lines.splice(i, 1);
        titles.push(`line ${i + 1} dropped`);
        break;
      case 'swap-rows': {
        const j = pickRow(m.with)!;
        lines[i] = lines[j]!;
        lines[j] = row;
        titles.push(`lines ${i + 1} and ${j + 1} swapped`);
        break;
      }
      case 'row':
        lines[i] = m.value;
        titles.push(`line ${i + 1} := ${shown(m.value)}`);
        break;
    }
  }
  let out = bytes ?? Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  switch (c.file) {
    case null:
      break;
    case 'crlf':
      out = Buffer.from(out.toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
      titles.push('CRLF line ends');
      break;
    case 'bom':
      out = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), out]);
      titles.push('a byte order mark first');
      break;
    case 'empty':
      out = Buffer.alloc(0);
      titles.push('an empty file');
      break;
    case 'header-only': {
      const firstData = lines.findIndex((l, i) => b.isData(l, i));
      out = Buffer.from(firstData <= 0 ? '' : `${lines.slice(0, firstData).join('\n')}\n`, 'utf8');
      titles.push('only the lines before the first data row');
      break;
    }
    case 'gzip':
      out = gzipSync(out);
      titles.push('gzipped');
      break;
    case 'corrupt-gzip': {
      const z = gzipSync(out);
      out = z.subarray(0, Math.max(10, Math.floor(z.length / 2)));
      titles.push('gzipped and cut in half');
      break;
    }
    case 'no-final-newline':
      out = Buffer.from(out.toString('utf8').replace(/\n+$/, ''), 'utf8');
      titles.push('no final newline');
      break;
  }
  return { bytes: out, title: `${b.name} (${b.format}): ${titles.join('; ')}${c.strict ? ' [--strict]' : ''}` };
}

/**
 * Most tasks a job may plausibly have: far above any real trace (Google 2011's largest jobs have
 * tens of thousands of tasks), far below what would exhaust a run's memory.
 */
const MAX_TASKS = 2 ** 32;

/**
 * What a finished import wrote must be usable: every line a canonical job (or agent) whose times
 * are inside the event list's range, whose amounts are exact in the model's fixed point, and whose
 * task count is below {@link MAX_TASKS}.
 */
export function judgeCanonical(text: string, kind: 'jobs' | 'cluster'): Violation[] {
  const lines = text.split('\n').filter((l) => l !== '');
  const time = (s: number): boolean => s * 1e6 < MAX_EVENT_TIME;
  const amount = (x: number | undefined): boolean => x === undefined || Number.isSafeInteger(toFixed(x));
  for (const [n, l] of lines.entries()) {
    let bad: string | undefined;
    try {
      const v = JSON.parse(l) as unknown;
      if (kind === 'cluster') {
        const a = CanonicalAgentSchema.safeParse(v);
        if (!a.success) bad = a.error.issues[0]?.message;
        else if (![a.data.cpus, a.data.mem, a.data.disk, a.data.gpus].every(amount)) bad = 'an amount beyond the fixed-point range';
      } else {
        const j = CanonicalJobSchema.safeParse(v);
        if (!j.success) bad = `${j.error.issues[0]?.path.join('.')}: ${j.error.issues[0]?.message}`;
        else if (!time(j.data.submit)) bad = `submit ${j.data.submit} s is beyond 2^45 us`;
        else {
          const t = j.data.tasks.find((x) => !time(x.duration) || ![x.cpus, x.mem, x.disk, x.gpus].every(amount));
          if (t !== undefined) bad = `a task beyond the time or fixed-point range (duration ${t.duration})`;
          const n = j.data.tasks.reduce((k, x) => k + (x.count ?? 1), 0);
          if (bad === undefined && !(n < MAX_TASKS)) bad = `${n} tasks in one job`;
        }
      }
    } catch (err) {
      bad = `not JSON: ${(err as Error).message}`;
    }
    if (bad !== undefined) return [{ kind: 'absurd-output', detail: `output line ${n + 1}: ${bad}` }];
  }
  return [];
}
