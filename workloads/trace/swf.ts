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
import type { CanonicalJob, CanonicalTask } from './canonical.js';
import { Tally, type ImportSink, type TraceImporter } from './importer.js';

/** How a job on P processors becomes tasks. */
export const SWF_TASK_MODES = ['gang', 'single'] as const;
/** One of {@link SWF_TASK_MODES}. */
export type SwfTaskMode = (typeof SWF_TASK_MODES)[number];

/** Options of the SWF importer. */
export interface SwfOptions {
  /**
   * 'gang' (default): P one-processor tasks that start together (a rigid MPI job, `gang: true`);
   * 'single': one task of P processors.
   */
  readonly tasks?: SwfTaskMode;
  /** cores per processor; default 1 */
  readonly cpusPerProcessor?: number;
}

const FIELDS = ['job number', 'submit time', 'wait time', 'run time', 'allocated processors', 'average CPU time', 'used memory',
  'requested processors', 'requested time', 'requested memory', 'status', 'user', 'group', 'executable', 'queue', 'partition',
  'preceding job', 'think time'] as const;

/** The shortest run time kept, s: a 0 s job (it ran, briefly) becomes one microsecond. */
const MIN_DURATION = 1e-6;

/**
 * SWF importer. Each data row is one job or one skipped row: reasons 'fields' (not 18 fields),
 * 'number' (a field is not a number), 'submit' (negative submit time), 'unknown-runtime' (run
 * time -1), 'unknown-processors' (neither allocated nor requested processors known),
 * 'out-of-order' (submit time earlier than the previous job's: SWF files are sorted by submit
 * time). Jobs with run time 0 are kept with one microsecond (note 'zero-runtime').
 * Memory per task: requested memory if known, else used memory, else 0 (note 'no-memory').
 */
export class SwfImporter implements TraceImporter {
  readonly format = 'swf';
  private readonly mode: SwfTaskMode;
  private readonly cpusPerProc: number;
  private readonly tally = new Tally();
  private lastSubmit = -Infinity;

  constructor(options: SwfOptions = {}) {
    this.mode = options.tasks ?? 'gang';
    if (!(SWF_TASK_MODES as readonly string[]).includes(this.mode)) throw new RangeError(`swf tasks must be one of ${SWF_TASK_MODES.join(', ')}`);
    this.cpusPerProc = options.cpusPerProcessor ?? 1;
    if (!(this.cpusPerProc > 0) || !Number.isFinite(this.cpusPerProc)) throw new RangeError('swf cpusPerProcessor must be > 0');
  }

  line(text: string, lineNo: number, sink: ImportSink): void {
    const t = this.tally;
    const s = t.row(text, (r) => r.startsWith(';'));
    if (s === undefined) return;
    const parts = s.split(/\s+/);
    if (parts.length !== FIELDS.length) {
      t.skip(sink, lineNo, 'fields', `expected ${FIELDS.length} fields, found ${parts.length}`);
      return;
    }
    const v: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const x = Number(parts[i]);
      if (!Number.isFinite(x)) {
        t.skip(sink, lineNo, 'number', `field ${i + 1} (${FIELDS[i]}) is not a number: "${parts[i]}"`);
        return;
      }
      v.push(x);
    }
    const submit = v[1]!;
    if (submit < 0) {
      t.skip(sink, lineNo, 'submit', `field 2 (submit time) is negative: ${parts[1]}`);
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
    if (submit < this.lastSubmit) {
      t.skip(sink, lineNo, 'out-of-order', `submit time ${parts[1]} is earlier than the previous job's ${this.lastSubmit}`);
      return;
    }
    this.lastSubmit = submit;
    if (run === 0) t.note('zero-runtime');
    const memKb = v[9]! >= 0 ? v[9]! : v[6]! >= 0 ? v[6]! : -1;
    if (memKb < 0) t.note('no-memory');
    const memPerProc = memKb < 0 ? 0 : memKb / 1024;
    const duration = Math.max(run, MIN_DURATION);
    const task: CanonicalTask = this.mode === 'gang'
      ? { cpus: this.cpusPerProc, ...(memPerProc > 0 ? { mem: memPerProc } : {}), duration, count: procs }
      : { cpus: this.cpusPerProc * procs, ...(memPerProc > 0 ? { mem: memPerProc * procs } : {}), duration };
    const attrs: Record<string, string> = {};
    for (const [k, i] of [['status', 10], ['user', 11], ['group', 12], ['executable', 13], ['queue', 14], ['partition', 15]] as const) {
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

  end(_sink: ImportSink): void {
    // One row a job: nothing is buffered.
  }

  counts() {
    return this.tally.counts();
  }
}
