/**
 * The Standard Workload Format of the Parallel Workloads Archive (Feitelson et al.): one job a
 * line, 18 whitespace-separated numeric fields, -1 for unknown, header and comment lines starting
 * with ';'. Pure: no I/O.
 *
 * Fields used (1-based): 1 job number (the id), 2 submit time (s), 4 run time (s), 5 allocated
 * processors (else 8, requested processors), 7 used memory and 10 requested memory (KB per
 * processor), 11 status, 12 user, 13 group, 14 executable, 15 queue, 16 partition; the others are
 * checked to be numbers and otherwise ignored.
 */
import { MAX_AMOUNT, MAX_JOB_TASKS, MAX_TASK_SECONDS, type CanonicalJob, type CanonicalTask } from './canonical.js';
import { RowPerJobImporter, TimeOrigin, clip, quote, type ImportSink } from './importer.js';

/** How a job on P processors becomes tasks. */
export const SWF_TASK_MODES = ['gang', 'single'] as const;
/** One of {@link SWF_TASK_MODES}. */
export type SwfTaskMode = (typeof SWF_TASK_MODES)[number];

/** The unit of the memory fields (7 and 10). */
export const SWF_MEMORY_UNITS = ['KB', 'B'] as const;
/** One of {@link SWF_MEMORY_UNITS}. */
export type SwfMemoryUnit = (typeof SWF_MEMORY_UNITS)[number];

/** Options of the SWF importer. */
export interface SwfOptions {
  /**
   * 'gang' (default): P one-processor tasks that start together (a rigid MPI job, `gang: true`);
   * 'single': one task of P processors.
   */
  readonly tasks?: SwfTaskMode;
  /** cores per processor; default 1 */
  readonly cpusPerProcessor?: number;
  /** 'KB' (default, the standard's unit) or 'B', for logs that give bytes */
  readonly memoryUnit?: SwfMemoryUnit;
  /** seconds subtracted from submit times, or 'first' (the first row's); default 0 (see TimeOrigin) */
  readonly timeOrigin?: number | 'first';
}

/** Memory per processor above which a row is noted as looking like bytes, KB: 2^30 KB = 1 TiB per processor, far beyond the machines of the archive's logs. */
const BYTES_LIKE_KB = 2 ** 30;

const FIELDS = [
  'job number',
  'submit time',
  'wait time',
  'run time',
  'allocated processors',
  'average CPU time',
  'used memory',
  'requested processors',
  'requested time',
  'requested memory',
  'status',
  'user',
  'group',
  'executable',
  'queue',
  'partition',
  'preceding job',
  'think time',
] as const;

/** The shortest run time kept, s: a 0 s job (it ran, briefly) becomes one microsecond. */
const MIN_DURATION = 1e-6;

/**
 * SWF importer. Each data row is one job or one skipped row: reasons 'fields' (not 18 fields),
 * 'number' (a field is not a finite number), 'submit' (negative submit time, or before the time
 * origin), 'unknown-runtime' (run time -1), 'unknown-processors' (neither allocated nor requested
 * processors known), 'range' (a value beyond the canonical bounds: a submit time beyond
 * MAX_TRACE_SECONDS, a run time beyond MAX_TASK_SECONDS, more processors than MAX_JOB_TASKS,
 * memory or cores beyond MAX_AMOUNT), 'out-of-order' (submit time earlier than the previous
 * job's: SWF files are sorted by submit time; a skipped row never moves that watermark). Jobs
 * with run time 0 are kept with one microsecond (note 'zero-runtime').
 * Memory per task: requested memory if known, else used memory, else 0 (note 'no-memory'); rows
 * asking for more than 1 TiB per processor are noted ('memory-over-1TiB') and warned of: the
 * file may give bytes (option memoryUnit).
 */
export class SwfImporter extends RowPerJobImporter {
  readonly format = 'swf';
  private readonly mode: SwfTaskMode;
  private readonly cpusPerProc: number;
  private readonly kbPerUnit: number;
  private readonly origin: TimeOrigin;
  private lastSubmit = -Infinity;

  constructor(options: SwfOptions = {}) {
    super();
    this.mode = options.tasks ?? 'gang';
    if (!(SWF_TASK_MODES as readonly string[]).includes(this.mode)) throw new RangeError(`swf tasks must be one of ${SWF_TASK_MODES.join(', ')}`);
    this.cpusPerProc = options.cpusPerProcessor ?? 1;
    if (typeof this.cpusPerProc !== 'number' || !(this.cpusPerProc > 0 && this.cpusPerProc <= MAX_AMOUNT))
      throw new RangeError(`swf cpusPerProcessor must be a number in (0, ${MAX_AMOUNT}]`);
    const unit = options.memoryUnit ?? 'KB';
    if (!(SWF_MEMORY_UNITS as readonly string[]).includes(unit)) throw new RangeError(`swf memoryUnit must be one of ${SWF_MEMORY_UNITS.join(', ')}`);
    this.kbPerUnit = unit === 'B' ? 1 / 1024 : 1;
    this.origin = new TimeOrigin('swf', options.timeOrigin, this.tally);
  }

  line(text: string, lineNo: number, sink: ImportSink): void {
    const t = this.tally;
    const s = t.row(text, (r) => r.startsWith(';'));
    if (s === undefined) return;
    const parts = s.split(/\s+/);
    if (parts.length !== FIELDS.length) {
      const extra = parts.length > FIELDS.length ? ` (more than the standard's ${FIELDS.length}: a non-standard SWF with extra fields?)` : '';
      t.skip(sink, lineNo, 'fields', `expected ${FIELDS.length} fields, found ${parts.length}${extra}`);
      return;
    }
    const v: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const x = Number(parts[i]);
      if (!Number.isFinite(x)) {
        t.skip(sink, lineNo, 'number', `field ${i + 1} (${FIELDS[i]}) is not a number: ${quote(parts[i]!)}`);
        return;
      }
      v.push(x);
    }
    // Bounds before order: an absurd row is a problem of its own and moves no watermark.
    const submit = this.origin.relative(v[1]!, 'field 2 (submit time)', parts[1]!);
    if (typeof submit !== 'number') {
      t.skip(sink, lineNo, submit.reason, submit.message);
      return;
    }
    const run = v[3]!;
    if (run < 0) {
      t.skip(sink, lineNo, 'unknown-runtime', `field 4 (run time) is unknown (${parts[3]})`);
      return;
    }
    const procs = v[4]! > 0 ? v[4]! : v[7]! > 0 ? v[7]! : -1;
    if (procs <= 0 || !Number.isInteger(procs)) {
      t.skip(sink, lineNo, 'unknown-processors', `fields 5 and 8 (allocated, requested processors) give no processor count (${parts[4]}, ${parts[7]})`);
      return;
    }
    if (run > MAX_TASK_SECONDS) {
      t.skip(sink, lineNo, 'range', `field 4 (run time) ${clip(parts[3]!)} s is beyond ${MAX_TASK_SECONDS} s`);
      return;
    }
    const single = this.mode === 'single';
    if (single ? this.cpusPerProc * procs > MAX_AMOUNT : procs > MAX_JOB_TASKS) {
      t.skip(
        sink,
        lineNo,
        'range',
        `${v[4]! > 0 ? 'field 5 (allocated processors)' : 'field 8 (requested processors)'} ${procs} is more than ${single ? `${MAX_AMOUNT} cores in one task` : `${MAX_JOB_TASKS} tasks a job`}`,
      );
      return;
    }
    const memField = v[9]! >= 0 ? 9 : v[6]! >= 0 ? 6 : -1;
    const memKb = memField < 0 ? -1 : v[memField]! * this.kbPerUnit;
    const memPerProc = memKb < 0 ? 0 : memKb / 1024;
    if ((single ? memPerProc * procs : memPerProc) > MAX_AMOUNT) {
      t.skip(
        sink,
        lineNo,
        'range',
        `field ${memField + 1} (${(FIELDS as readonly string[])[memField]}) ${clip(parts[memField]!)} per processor is more than ${MAX_AMOUNT} MB${this.kbPerUnit === 1 ? " (the standard's unit is KB; if this log gives bytes, use the option memoryUnit=B)" : ''}`,
      );
      return;
    }
    if (submit < this.lastSubmit) {
      t.skip(sink, lineNo, 'out-of-order', `submit time ${parts[1]} is earlier than the previous job's ${this.lastSubmit}`);
      return;
    }
    this.lastSubmit = submit;
    if (run === 0) t.note('zero-runtime');
    if (memKb < 0) t.note('no-memory');
    if (memKb > BYTES_LIKE_KB) t.note('memory-over-1TiB');
    const duration = Math.max(run, MIN_DURATION);
    const task: CanonicalTask = !single
      ? { cpus: this.cpusPerProc, ...(memPerProc > 0 ? { mem: memPerProc } : {}), duration, count: procs }
      : { cpus: this.cpusPerProc * procs, ...(memPerProc > 0 ? { mem: memPerProc * procs } : {}), duration };
    const attrs: Record<string, string> = {};
    for (const [k, i] of [
      ['status', 10],
      ['user', 11],
      ['group', 12],
      ['executable', 13],
      ['queue', 14],
      ['partition', 15],
    ] as const) {
      if (v[i]! >= 0) attrs[k] = parts[i]!;
    }
    const job: CanonicalJob = {
      id: parts[0]!,
      submit,
      attrs,
      tasks: [task],
      ...(this.mode === 'gang' && procs > 1 ? { gang: true } : {}),
    };
    t.rowsUsed++;
    t.jobs++;
    t.tasks += this.mode === 'gang' ? procs : 1;
    sink.job(job);
  }

  warnings(): string[] {
    const big = this.tally.notes.get('memory-over-1TiB') ?? 0;
    return [
      ...this.origin.warnings(),
      ...(big > 0 && this.kbPerUnit === 1
        ? [`${big} jobs ask for more than 1 TiB of memory per processor: SWF gives KB per processor; if this log gives bytes, use the option memoryUnit=B`]
        : []),
    ];
  }
}
