/**
 * The SWIM Facebook workloads (SWIM project, UC Berkeley): tab-separated rows of MapReduce jobs
 * with data sizes only, turned into map and reduce tasks by a stated, deterministic data model
 * (no randomness). Pure: no I/O; imports only the canonical format and the importer interface.
 *
 * Fields (1-based): 1 job name (the id), 2 submit time (s), 3 gap to the previous job (s, checked
 * to be a number, otherwise unused), 4 map input bytes, 5 shuffle bytes, 6 reduce output bytes;
 * the `withInputPaths` files add 7 the (anonymised) input path and two empty fields.
 */
import { MAX_AMOUNT, MAX_JOB_TASKS, MAX_TASK_SECONDS, type CanonicalJob, type CanonicalTask } from './canonical.js';
import { RowPerJobImporter, TimeOrigin, clip, quote, type ImportSink } from './importer.js';

/** Options of the SWIM importer; sizes in MB are binary (1 MB = 2^20 bytes). */
export interface SwimOptions {
  /** bytes of input per map (an HDFS block), MB (> 0); default 64 */
  readonly blockSizeMB?: number;
  /** shuffle plus output bytes per reduce, MB (> 0); default 1024 */
  readonly reduceInputMB?: number;
  /** input a map reads per second, MB/s (> 0); default 8 */
  readonly mapRateMBps?: number;
  /** shuffle plus output bytes a reduce handles per second, MB/s (> 0); default 4 */
  readonly reduceRateMBps?: number;
  /** fixed start-up and commit time added to every task, s (>= 0); default 2 */
  readonly taskOverhead?: number;
  /** cores per map (> 0); default 1 */
  readonly cpusPerMap?: number;
  /** cores per reduce (> 0); default 1 */
  readonly cpusPerReduce?: number;
  /** memory per map, MB (>= 0); default 1024 */
  readonly memPerMap?: number;
  /** memory per reduce, MB (>= 0); default 1024 */
  readonly memPerReduce?: number;
  /** at most this many maps per job, merging blocks into fewer, longer maps (integer >= 0; 0 = no cap); default 0 */
  readonly maxMapsPerJob?: number;
  /** at most this many reduces per job, each taking a larger share (integer >= 0; 0 = no cap); default 0 */
  readonly maxReducesPerJob?: number;
  /** rows without an input path read per-job blocks `<job>#<k>` (shared with no other job); default false: no blocks */
  readonly jobBlocks?: boolean;
  /** seconds subtracted from submit times, or 'first' (the first row's); default 0 (see TimeOrigin) */
  readonly timeOrigin?: number | 'first';
}

/** The defaults of {@link SwimOptions}, as documented in docs/traces.md. */
export const SWIM_DEFAULTS = {
  blockSizeMB: 64,
  reduceInputMB: 1024,
  mapRateMBps: 8,
  reduceRateMBps: 4,
  taskOverhead: 2,
  cpusPerMap: 1,
  cpusPerReduce: 1,
  memPerMap: 1024,
  memPerReduce: 1024,
  maxMapsPerJob: 1000,
  maxReducesPerJob: 0,
  jobBlocks: false,
} as const satisfies Required<Omit<SwimOptions, 'timeOrigin'>>;

/** Every option name, for the registry's unknown-option check. */
export const SWIM_OPTION_NAMES = [...Object.keys(SWIM_DEFAULTS), 'timeOrigin'] as readonly (keyof SwimOptions)[];

/** The largest byte count of a row: 2^53 (8 PiB), the largest exact integer. */
const MAX_BYTES = 2 ** 53;

const MB = 1024 * 1024;
/** The shortest duration kept, s (a 0 s task is not valid canonically; the simulator's unit). */
const MIN_DURATION = 1e-6;
const FIELDS = ['job name', 'submit time', 'gap', 'map input bytes', 'shuffle bytes', 'reduce output bytes'] as const;
/** A plain decimal number; rejects the empty string, which Number() would read as 0. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Seconds rounded to the microsecond (the simulator's unit), at least one microsecond. */
function seconds(s: number): number {
  return Math.max(MIN_DURATION, Math.round(s * 1e6) / 1e6);
}

function positive(o: SwimOptions, k: 'blockSizeMB' | 'reduceInputMB' | 'mapRateMBps' | 'reduceRateMBps' | 'cpusPerMap' | 'cpusPerReduce'): number {
  const v: unknown = o[k] ?? SWIM_DEFAULTS[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new RangeError(`swim ${k} must be a number > 0`);
  if ((k === 'cpusPerMap' || k === 'cpusPerReduce') && v > MAX_AMOUNT) throw new RangeError(`swim ${k} must be at most ${MAX_AMOUNT}`);
  return v;
}

function nonNegative(o: SwimOptions, k: 'taskOverhead' | 'memPerMap' | 'memPerReduce'): number {
  const v: unknown = o[k] ?? SWIM_DEFAULTS[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`swim ${k} must be a number >= 0`);
  if (k !== 'taskOverhead' && v > MAX_AMOUNT) throw new RangeError(`swim ${k} must be at most ${MAX_AMOUNT}`);
  return v;
}

function cap(o: SwimOptions, k: 'maxMapsPerJob' | 'maxReducesPerJob'): number {
  const v: unknown = o[k] ?? SWIM_DEFAULTS[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RangeError(`swim ${k} must be an integer >= 0 (0 = no cap)`);
  return v;
}

/**
 * SWIM importer: one row, one job, id and `attrs.name` the row's job name. The model, for a job
 * with input I, shuffle S and output O bytes (block size b, reduce share r, rates m and q,
 * overhead h, all from the options):
 * - blocks B = ceil(I / b); maps M = max(1, B), capped at maxMapsPerJob; each map reads I / M
 *   bytes and runs h + (I / M) / m seconds (a job without input still has one map of h s);
 * - reduces R = ceil((S + O) / r) (0 when S + O = 0), capped at maxReducesPerJob; each runs
 *   h + ((S + O) / R) / q seconds;
 * - maps and reduces are independent tasks of the one job (no map-before-reduce dependency);
 * - with an input path p, map k reads block `p#floor(k * B / M)` (block k without a cap; with a
 *   cap, the first block of its merged range), so jobs reading one path share block ids.
 * Durations are rounded to the microsecond. Skipped rows: 'fields' (not 6 fields, or 7 with the
 * path, after dropping trailing empty ones), 'number' (fields 2-6 not numbers), 'submit'
 * (negative submit time, or before the time origin), 'size' (a negative byte count), 'range' (a
 * submit time beyond MAX_TRACE_SECONDS, a byte count beyond 2^53, or a job the model makes out
 * of the canonical range: more than MAX_JOB_TASKS tasks, a task longer than MAX_TASK_SECONDS),
 * 'out-of-order' (submitted before the previous job; a skipped row never moves that watermark).
 */
export class SwimImporter extends RowPerJobImporter {
  readonly format = 'swim';
  private readonly blockBytes: number;
  private readonly reduceBytes: number;
  private readonly mapRate: number;
  private readonly reduceRate: number;
  private readonly overhead: number;
  private readonly cpusPerMap: number;
  private readonly cpusPerReduce: number;
  private readonly memPerMap: number;
  private readonly memPerReduce: number;
  private readonly maxMaps: number;
  private readonly maxReduces: number;
  private readonly jobBlocks: boolean;
  private readonly origin: TimeOrigin;
  private lastSubmit = -Infinity;

  constructor(options: SwimOptions = {}) {
    super();
    this.blockBytes = positive(options, 'blockSizeMB') * MB;
    this.reduceBytes = positive(options, 'reduceInputMB') * MB;
    this.mapRate = positive(options, 'mapRateMBps') * MB;
    this.reduceRate = positive(options, 'reduceRateMBps') * MB;
    this.overhead = nonNegative(options, 'taskOverhead');
    this.cpusPerMap = positive(options, 'cpusPerMap');
    this.cpusPerReduce = positive(options, 'cpusPerReduce');
    this.memPerMap = nonNegative(options, 'memPerMap');
    this.memPerReduce = nonNegative(options, 'memPerReduce');
    this.maxMaps = cap(options, 'maxMapsPerJob');
    this.maxReduces = cap(options, 'maxReducesPerJob');
    const jb: unknown = options.jobBlocks ?? SWIM_DEFAULTS.jobBlocks;
    if (typeof jb !== 'boolean') throw new RangeError('swim jobBlocks must be true or false');
    this.jobBlocks = jb;
    this.origin = new TimeOrigin('swim', options.timeOrigin, this.tally);
  }

  line(text: string, lineNo: number, sink: ImportSink): void {
    const t = this.tally;
    if (t.row(text) === undefined) return;
    const parts = text.replace(/\r$/, '').split('\t');
    // The withInputPaths files end each row with two empty fields.
    while (parts.length > 0 && parts[parts.length - 1]!.trim() === '') parts.pop();
    if (parts.length !== 6 && parts.length !== 7) {
      t.skip(sink, lineNo, 'fields', `expected 6 tab-separated fields, or 7 with the input path, found ${parts.length}`);
      return;
    }
    const id = parts[0]!.trim();
    if (id === '') {
      t.skip(sink, lineNo, 'fields', 'field 1 (job name) is empty');
      return;
    }
    const v: number[] = [];
    for (let i = 1; i < 6; i++) {
      const s = parts[i]!.trim();
      if (!NUMBER.test(s)) {
        t.skip(sink, lineNo, 'number', `field ${i + 1} (${FIELDS[i]}) is not a number: ${quote(parts[i]!)}`);
        return;
      }
      v.push(Number(s));
    }
    const [rawSubmit, , input, shuffle, output] = v as [number, number, number, number, number];
    // Bounds before order: an absurd row is a problem of its own and moves no watermark.
    const submit = this.origin.relative(rawSubmit, 'field 2 (submit time)', parts[1]!.trim());
    if (typeof submit !== 'number') {
      t.skip(sink, lineNo, submit.reason, submit.message);
      return;
    }
    for (let i = 2; i < 5; i++) {
      if (v[i]! < 0) {
        t.skip(sink, lineNo, 'size', `field ${i + 2} (${FIELDS[i + 1]}) is negative: ${clip(parts[i + 1]!.trim())}`);
        return;
      }
      if (!(v[i]! <= MAX_BYTES)) {
        t.skip(sink, lineNo, 'range', `field ${i + 2} (${FIELDS[i + 1]}) ${clip(parts[i + 1]!.trim())} is more than 2^53 bytes`);
        return;
      }
    }
    const blocks = Math.ceil(input / this.blockBytes);
    let maps = Math.max(1, blocks);
    const capMaps = this.maxMaps > 0 && maps > this.maxMaps;
    if (capMaps) maps = this.maxMaps;
    const reduceInput = shuffle + output;
    let reduces = Math.ceil(reduceInput / this.reduceBytes);
    const capReduces = this.maxReduces > 0 && reduces > this.maxReduces;
    if (capReduces) reduces = this.maxReduces;
    if (maps + reduces > MAX_JOB_TASKS) {
      t.skip(
        sink,
        lineNo,
        'range',
        `fields 4-6 (bytes) make ${maps} maps and ${reduces} reduces, more than ${MAX_JOB_TASKS} tasks a job (cap them with maxMapsPerJob, maxReducesPerJob)`,
      );
      return;
    }
    const mapDuration = seconds(this.overhead + input / maps / this.mapRate);
    const reduceDuration = reduces > 0 ? seconds(this.overhead + reduceInput / reduces / this.reduceRate) : 0;
    if (Math.max(mapDuration, reduceDuration) > MAX_TASK_SECONDS) {
      const which =
        mapDuration > MAX_TASK_SECONDS
          ? `a map of field 4 (map input bytes) ${clip(parts[3]!.trim())} runs ${mapDuration} s`
          : `a reduce of fields 5-6 (shuffle, output bytes) runs ${reduceDuration} s`;
      t.skip(sink, lineNo, 'range', `${which}, longer than ${MAX_TASK_SECONDS} s`);
      return;
    }
    if (submit < this.lastSubmit) {
      t.skip(sink, lineNo, 'out-of-order', `submit time ${parts[1]!.trim()} is earlier than the previous job's ${this.lastSubmit}`);
      return;
    }
    this.lastSubmit = submit;
    const path = parts.length === 7 ? parts[6]!.trim() : '';
    const blockKey = path !== '' ? path : this.jobBlocks ? id : undefined;
    if (path === '') t.note('no-path');

    const tasks: CanonicalTask[] = [];
    if (capMaps) t.note('maps-capped');
    if (input === 0) t.note('zero-input');
    const map = { cpus: this.cpusPerMap, mem: this.memPerMap, duration: mapDuration };
    if (blockKey !== undefined && blocks > 0) {
      for (let k = 0; k < maps; k++) tasks.push({ ...map, blocks: [`${blockKey}#${Math.floor((k * blocks) / maps)}`] });
    } else {
      tasks.push(maps > 1 ? { ...map, count: maps } : map);
    }
    if (capReduces) t.note('reduces-capped');
    if (reduces > 0) {
      const reduce = { cpus: this.cpusPerReduce, mem: this.memPerReduce, duration: reduceDuration };
      tasks.push(reduces > 1 ? { ...reduce, count: reduces } : reduce);
    } else {
      t.note('no-reduces');
    }
    t.note('map-tasks', maps);
    t.note('reduce-tasks', reduces);
    t.rowsUsed++;
    t.jobs++;
    t.tasks += maps + reduces;
    sink.job({ id, submit, attrs: { name: id }, tasks } satisfies CanonicalJob);
  }

  warnings(): string[] {
    return this.origin.warnings();
  }
}
