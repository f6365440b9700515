/**
 * Alibaba cluster traces: the cluster-trace-gpu-v2023 ("openb") pod list as jobs and its node
 * list as a cluster, and cluster-trace-v2018's machine_meta.csv as a cluster. All three are
 * comma-separated without quoting. Pure: no I/O.
 *
 * Memory: openb gives MiB and offersim's MB is the binary megabyte Mesos uses (2^20 bytes, as the
 * SWF importer's KB / 1024 also assumes), so a MiB figure is taken as MB unchanged.
 */
import { assertNever } from '../../sim/kernel/assert.js';
import { EXACT_TIME_LIMIT_SECONDS } from '../../sim/kernel/time.js';
import { MAX_AMOUNT, MAX_TASK_SECONDS, MAX_TRACE_SECONDS, type CanonicalJob, type CanonicalTask } from './canonical.js';
import type { CanonicalAgent, ClusterImporter, ClusterSink } from './cluster.js';
import { RowPerJobImporter, Tally, TimeOrigin, clip, quote, type ImportSink } from './importer.js';

/** The shortest duration kept, s: a pod deleted in the second it was scheduled ran, briefly. */
const MIN_DURATION = 1e-6;

/** A line split into trimmed comma-separated fields (CR of a CRLF file dropped). */
function csvFields(text: string): string[] {
  return text.split(',').map((f) => f.trim());
}

/** The number in `s`, or undefined for an empty or non-numeric field (Number('') is 0, not missing). */
function num(s: string): number | undefined {
  if (s === '') return undefined;
  const x = Number(s);
  return Number.isFinite(x) ? x : undefined;
}

/** A row's first problem: its reason code and a message naming the field. */
type Check = { readonly reason: string; readonly message: string } | undefined;

/**
 * Numbers of the named fields of `parts` (0-based `index`, printed 1-based), or the first problem:
 * 'number' (empty or not a number), 'negative', or 'range' (above the field's bound `max`).
 */
function numbers(parts: readonly string[], fields: readonly (readonly [number, string, number])[]): number[] | Check {
  const out: number[] = [];
  for (const [i, label, max] of fields) {
    const x = num(parts[i]!);
    if (x === undefined) return { reason: 'number', message: `field ${i + 1} (${label}) is not a number: ${quote(parts[i]!)}` };
    if (x < 0) return { reason: 'negative', message: `field ${i + 1} (${label}) is negative: ${clip(parts[i]!)}` };
    if (x > max) return { reason: 'range', message: `field ${i + 1} (${label}) ${clip(parts[i]!)} is beyond ${max}` };
    out.push(x);
  }
  return out;
}

/** Bounds of the fields, in the trace's units: milli-cores and MiB of at most MAX_AMOUNT cores or MB, times within 2^53 us. */
const MILLI = MAX_AMOUNT * 1000;
const TIME = EXACT_TIME_LIMIT_SECONDS;

// ---------------------------------------------------------------------------------------------
// gpu-v2023 openb pods (jobs)

/** The header row of the openb pod list. */
export const POD_HEADER = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
const POD_FIELDS = POD_HEADER.split(',');

/** How a pod's GPU request becomes the task's `gpus`. */
export const OPENB_GPU_SHARES = ['fraction', 'whole'] as const;
/** One of {@link OPENB_GPU_SHARES}. */
export type OpenbGpuShare = (typeof OPENB_GPU_SHARES)[number];

/** Options of the openb pod importer. */
export interface OpenbPodOptions {
  /**
   * 'fraction' (default): gpus = num_gpu x gpu_milli / 1000, so a pod sharing one GPU at 460
   * milli asks for 0.46 devices (the simulator keeps thousandths, so this is exact);
   * 'whole': gpus = num_gpu, whole devices as Mesos allocates them.
   */
  readonly gpuShare?: OpenbGpuShare;
  /** seconds subtracted from creation times, or 'first' (the first row's); default 0 (see TimeOrigin) */
  readonly timeOrigin?: number | 'first';
}

/**
 * openb pod list importer: one pod a row, one single-task job a pod, id = name. cpus =
 * cpu_milli / 1000, mem = memory_mib, gpus per {@link OpenbPodOptions.gpuShare}, submit =
 * creation_time, duration = deletion_time - scheduled_time (0 kept as one microsecond, note
 * 'zero-duration'); attrs qos, pod_phase and gpu_spec (when not empty).
 *
 * The published file is sorted by creation_time, so rows stream: a row created before the
 * previous job is skipped ('out-of-order') rather than buffering the file. Skip reasons:
 * 'fields' (not 11), 'name' (empty), 'number', 'negative', 'gpu' (num_gpu not a whole number,
 * gpu_milli over 1000, or GPU share without GPUs), 'no-resources' (asks for nothing),
 * 'pending' (no scheduled_time: never ran), 'negative-duration' (deleted before scheduled),
 * 'range' (cpu or memory beyond MAX_AMOUNT, a time beyond 2^53 us, a run beyond
 * MAX_TASK_SECONDS, a creation time beyond MAX_TRACE_SECONDS from the time origin), 'submit'
 * (created before the time origin), 'duplicate' (a name seen before), 'out-of-order' (a skipped
 * row never moves its watermark).
 */
export class OpenbPodImporter extends RowPerJobImporter {
  readonly format = 'alibaba-openb-pods';
  private readonly gpuShare: OpenbGpuShare;
  private readonly names = new Set<string>();
  private readonly origin: TimeOrigin;
  private lastSubmit = -Infinity;

  constructor(options: OpenbPodOptions = {}) {
    super();
    this.gpuShare = options.gpuShare ?? 'fraction';
    if (!(OPENB_GPU_SHARES as readonly string[]).includes(this.gpuShare)) {
      throw new RangeError(`alibaba-openb-pods gpuShare must be one of ${OPENB_GPU_SHARES.join(', ')}`);
    }
    this.origin = new TimeOrigin('alibaba-openb-pods', options.timeOrigin, this.tally);
  }

  line(text: string, lineNo: number, sink: ImportSink): void {
    const t = this.tally;
    const s = t.row(text, (r) => r === POD_HEADER);
    if (s === undefined) return;
    const p = csvFields(s);
    if (p.length !== POD_FIELDS.length) {
      t.skip(sink, lineNo, 'fields', `expected ${POD_FIELDS.length} fields, found ${p.length}`);
      return;
    }
    const name = p[0]!;
    if (name === '') {
      t.skip(sink, lineNo, 'name', 'field 1 (name) is empty');
      return;
    }
    const v = numbers(p, [
      [1, 'cpu_milli', MILLI],
      [2, 'memory_mib', MAX_AMOUNT],
      [3, 'num_gpu', MAX_AMOUNT],
      [4, 'gpu_milli', MILLI],
      [8, 'creation_time', TIME],
      [9, 'deletion_time', TIME],
    ]);
    if (!Array.isArray(v)) {
      t.skip(sink, lineNo, v!.reason, v!.message);
      return;
    }
    const [cpuMilli, memMib, numGpu, gpuMilli, rawCreated, deleted] = v as [number, number, number, number, number, number];
    if (!Number.isInteger(numGpu) || gpuMilli > 1000 || (numGpu === 0 && gpuMilli > 0)) {
      t.skip(sink, lineNo, 'gpu', `fields 4, 5 (num_gpu, gpu_milli) are not a GPU request: ${clip(p[3]!)}, ${clip(p[4]!)}`);
      return;
    }
    const gpus = this.gpuShare === 'whole' ? numGpu : (numGpu * gpuMilli) / 1000;
    if (cpuMilli === 0 && memMib === 0 && gpus === 0) {
      t.skip(sink, lineNo, 'no-resources', 'fields 2-5 ask for no cpu, memory or GPU');
      return;
    }
    if (p[10] === '') {
      t.skip(sink, lineNo, 'pending', `field 11 (scheduled_time) is empty: never scheduled (pod_phase ${clip(p[7]!)})`);
      return;
    }
    const scheduled = numbers(p, [[10, 'scheduled_time', TIME]]);
    if (!Array.isArray(scheduled)) {
      t.skip(sink, lineNo, scheduled!.reason, scheduled!.message);
      return;
    }
    const run = deleted - scheduled[0]!;
    if (run < 0) {
      t.skip(sink, lineNo, 'negative-duration', `field 10 (deletion_time) ${clip(p[9]!)} is before field 11 (scheduled_time) ${clip(p[10]!)}`);
      return;
    }
    // Bounds before order: an absurd row is a problem of its own and moves no watermark.
    if (run > MAX_TASK_SECONDS) {
      t.skip(
        sink,
        lineNo,
        'range',
        `fields 10, 11 (deletion_time ${clip(p[9]!)} - scheduled_time ${clip(p[10]!)}) make a run of ${run} s, longer than ${MAX_TASK_SECONDS} s`,
      );
      return;
    }
    const created = this.origin.relative(rawCreated, 'field 9 (creation_time)', p[8]!);
    if (typeof created !== 'number') {
      t.skip(sink, lineNo, created.reason, created.message);
      return;
    }
    if (this.names.has(name)) {
      t.skip(sink, lineNo, 'duplicate', `field 1 (name) ${quote(name)} was seen before`);
      return;
    }
    if (created < this.lastSubmit) {
      t.skip(sink, lineNo, 'out-of-order', `field 9 (creation_time) ${p[8]} is earlier than the previous job's ${this.lastSubmit}`);
      return;
    }
    this.lastSubmit = created;
    this.names.add(name);
    if (run === 0) t.note('zero-duration');
    const task: CanonicalTask = {
      cpus: cpuMilli / 1000,
      mem: memMib,
      ...(gpus > 0 ? { gpus } : {}),
      duration: Math.max(run, MIN_DURATION),
    };
    const attrs: Record<string, string> = { qos: p[6]!, pod_phase: p[7]! };
    if (p[5] !== '') attrs['gpu_spec'] = p[5]!;
    const job: CanonicalJob = { id: name, submit: created, attrs, tasks: [task] };
    t.rowsUsed++;
    t.jobs++;
    t.tasks++;
    sink.job(job);
  }

  warnings(): string[] {
    return this.origin.warnings();
  }
}

// ---------------------------------------------------------------------------------------------
// gpu-v2023 openb nodes (cluster)

/** The header row of the openb node list. */
export const NODE_HEADER = 'sn,cpu_milli,memory_mib,gpu,model';
const NODE_FIELDS = NODE_HEADER.split(',');

/**
 * openb node list importer: one node a row, one agent a node: name = sn, cpus = cpu_milli /
 * 1000, mem = memory_mib, gpus = gpu, attrs.model when not empty. The data names no racks, so
 * agents have none. Skip reasons: 'fields' (not 5), 'name' (empty), 'number', 'negative', 'range'
 * (beyond MAX_AMOUNT), 'gpu' (not a whole number), 'duplicate' (an sn seen before). Notes: 'cpu-only' (no GPUs),
 * 'gpu-without-model' (GPUs but no model named).
 */
export class OpenbNodeImporter implements ClusterImporter {
  readonly format = 'alibaba-openb-nodes';
  private readonly tally = new Tally();
  private readonly names = new Set<string>();

  line(text: string, lineNo: number, sink: ClusterSink): void {
    const t = this.tally;
    const s = t.row(text, (r) => r === NODE_HEADER);
    if (s === undefined) return;
    const p = csvFields(s);
    if (p.length !== NODE_FIELDS.length) {
      t.skip(problemsOf(sink), lineNo, 'fields', `expected ${NODE_FIELDS.length} fields, found ${p.length}`);
      return;
    }
    const name = p[0]!;
    if (name === '') {
      t.skip(problemsOf(sink), lineNo, 'name', 'field 1 (sn) is empty');
      return;
    }
    const v = numbers(p, [
      [1, 'cpu_milli', MILLI],
      [2, 'memory_mib', MAX_AMOUNT],
      [3, 'gpu', MAX_AMOUNT],
    ]);
    if (!Array.isArray(v)) {
      t.skip(problemsOf(sink), lineNo, v!.reason, v!.message);
      return;
    }
    const [cpuMilli, memMib, gpus] = v as [number, number, number];
    if (!Number.isInteger(gpus)) {
      t.skip(problemsOf(sink), lineNo, 'gpu', `field 4 (gpu) is not a whole number of devices: ${clip(p[3]!)}`);
      return;
    }
    if (this.names.has(name)) {
      t.skip(problemsOf(sink), lineNo, 'duplicate', `field 1 (sn) ${quote(name)} was seen before`);
      return;
    }
    this.names.add(name);
    const model = p[4]!;
    if (gpus === 0) t.note('cpu-only');
    else if (model === '') t.note('gpu-without-model');
    const agent: CanonicalAgent = { name, cpus: cpuMilli / 1000, mem: memMib, gpus, ...(model !== '' ? { attrs: { model } } : {}) };
    t.rowsUsed++;
    t.jobs++;
    sink.agent(agent);
  }

  tooLong(lineNo: number, bytes: number, sink: ClusterSink): void {
    this.tally.tooLong(sink, lineNo, bytes);
  }

  end(_sink: ClusterSink): void {
    // One row an agent: nothing is buffered.
  }

  counts() {
    return this.tally.counts();
  }
}

// ---------------------------------------------------------------------------------------------
// cluster-trace-v2018 machine_meta (cluster)

const MACHINE_FIELDS = ['machine id', 'time', 'failure domain 1', 'failure domain 2', 'cpu cores', 'memory', 'status'] as const;

/** Which failure domain becomes the agent's rack. */
export const ALIBABA_2018_RACKS = ['domain1', 'domain2', 'both'] as const;
/** One of {@link ALIBABA_2018_RACKS}. */
export type Alibaba2018Rack = (typeof ALIBABA_2018_RACKS)[number];

/** Options of the machine_meta importer. */
export interface Alibaba2018MachineOptions {
  /**
   * MB of memory of a machine whose normalised memory is 100. The trace does not say; the default
   * 524288 (512 GiB) is an assumption, to be set to the cluster being modelled.
   */
  readonly memoryMbAt100?: number;
  /**
   * 'domain1' (default): rack = failure domain 1 (292 values in the real file, about 14 machines
   * each); 'domain2': rack = failure domain 2 (20 values); 'both': rack = "<domain 1>/<domain 2>".
   */
  readonly rack?: Alibaba2018Rack;
}

/** What is kept of a machine's rows while they stream past. */
interface MachineGroup {
  readonly id: string;
  /** the earliest row: time, line, cpus, normalised memory, status */
  time: number;
  line: number;
  cpus: number;
  mem: number;
  status: string;
  /** each failure domain from the earliest row that gives it ('' when none does) */
  d1: string;
  d1Time: number;
  d2: string;
  d2Time: number;
  /** every distinct non-empty value seen, to note a machine whose rows disagree */
  readonly d1s: Set<string>;
  readonly d2s: Set<string>;
  readonly capacities: Set<string>;
  rows: number;
}

/**
 * machine_meta.csv importer (no header): machine id, time (s), failure domain 1, failure domain
 * 2, cpu cores, memory (normalised 0-100), status. A machine has several rows (events), and the
 * file is sorted by machine id, so a machine's rows are contiguous and its agent is emitted when
 * the next machine starts: memory holds one machine, not the file. The agent takes capacity and
 * status from the machine's earliest row (the cluster as the trace opens, or as the machine
 * joins) and each failure domain from the earliest row that gives one (some rows leave domain 2
 * empty). cpus = cpu cores, mem = memory / 100 x memoryMbAt100, rack per `rack`, attrs: the
 * domain(s) not used as the rack (failureDomain1, failureDomain2) and status.
 *
 * Every data row is used (went into an agent) or skipped: rowsUsed = agents + note
 * 'merged-rows' (the machines' later rows). Skip reasons: 'fields' (not 7), 'name' (empty
 * machine id), 'number', 'negative', 'range' (time beyond MAX_TRACE_SECONDS, cores beyond
 * MAX_AMOUNT), 'memory' (above 100), 'not-contiguous' (a row of a machine
 * already emitted). Notes: 'capacity-changed' and 'domain-changed' (machines whose rows
 * disagree; the earliest wins), 'no-domain2-rows' (rows with an empty domain 2), 'joined-late'
 * (machines whose earliest row is after time 0).
 */
export class Alibaba2018MachineImporter implements ClusterImporter {
  readonly format = 'alibaba-2018-machines';
  private readonly memAt100: number;
  private readonly rack: Alibaba2018Rack;
  private readonly tally = new Tally();
  private readonly done = new Set<string>();
  private group: MachineGroup | undefined;

  constructor(options: Alibaba2018MachineOptions = {}) {
    this.memAt100 = options.memoryMbAt100 ?? 524288;
    if (typeof this.memAt100 !== 'number' || !(this.memAt100 > 0 && this.memAt100 <= MAX_AMOUNT)) {
      throw new RangeError(`alibaba-2018-machines memoryMbAt100 must be a number in (0, ${MAX_AMOUNT}]`);
    }
    this.rack = options.rack ?? 'domain1';
    if (!(ALIBABA_2018_RACKS as readonly string[]).includes(this.rack)) {
      throw new RangeError(`alibaba-2018-machines rack must be one of ${ALIBABA_2018_RACKS.join(', ')}`);
    }
  }

  line(text: string, lineNo: number, sink: ClusterSink): void {
    const t = this.tally;
    const s = t.row(text);
    if (s === undefined) return;
    const p = csvFields(s);
    if (p.length !== MACHINE_FIELDS.length) {
      t.skip(problemsOf(sink), lineNo, 'fields', `expected ${MACHINE_FIELDS.length} fields, found ${p.length}`);
      return;
    }
    const id = p[0]!;
    if (id === '') {
      t.skip(problemsOf(sink), lineNo, 'name', 'field 1 (machine id) is empty');
      return;
    }
    const v = numbers(p, [
      [1, 'time', MAX_TRACE_SECONDS],
      [4, 'cpu cores', MAX_AMOUNT],
      [5, 'memory', Infinity],
    ]);
    if (!Array.isArray(v)) {
      t.skip(problemsOf(sink), lineNo, v!.reason, v!.message);
      return;
    }
    const [time, cpus, mem] = v as [number, number, number];
    if (mem > 100) {
      t.skip(problemsOf(sink), lineNo, 'memory', `field 6 (memory) is above the normalised 100: ${clip(p[5]!)}`);
      return;
    }
    if (this.group !== undefined && this.group.id !== id) this.flush(sink);
    if (this.done.has(id)) {
      t.skip(
        problemsOf(sink),
        lineNo,
        'not-contiguous',
        `machine ${clip(id)} was emitted already: its rows must be contiguous (the file sorted by machine id)`,
      );
      return;
    }
    const [d1, d2, status] = [p[2]!, p[3]!, p[6]!];
    if (d2 === '') t.note('no-domain2-rows');
    let g = this.group;
    if (g === undefined) {
      g = {
        id,
        time,
        line: lineNo,
        cpus,
        mem,
        status,
        d1: '',
        d1Time: Infinity,
        d2: '',
        d2Time: Infinity,
        d1s: new Set(),
        d2s: new Set(),
        capacities: new Set(),
        rows: 0,
      };
      this.group = g;
    } else if (time < g.time) {
      Object.assign(g, { time, line: lineNo, cpus, mem, status });
    }
    if (d1 !== '' && time < g.d1Time) Object.assign(g, { d1, d1Time: time });
    if (d2 !== '' && time < g.d2Time) Object.assign(g, { d2, d2Time: time });
    if (d1 !== '') g.d1s.add(d1);
    if (d2 !== '') g.d2s.add(d2);
    g.capacities.add(`${cpus},${mem}`);
    g.rows++;
  }

  tooLong(lineNo: number, bytes: number, sink: ClusterSink): void {
    this.tally.tooLong(sink, lineNo, bytes);
  }

  end(sink: ClusterSink): void {
    this.flush(sink);
  }

  counts() {
    return this.tally.counts();
  }

  /** Emits the agent of the machine whose rows just ended. */
  private flush(sink: ClusterSink): void {
    const g = this.group;
    if (g === undefined) return;
    this.group = undefined;
    this.done.add(g.id);
    const t = this.tally;
    if (g.capacities.size > 1) t.note('capacity-changed');
    if (g.d1s.size > 1 || g.d2s.size > 1) t.note('domain-changed');
    if (g.time > 0) t.note('joined-late');
    if (g.rows > 1) t.note('merged-rows', g.rows - 1);
    const attrs: Record<string, string> = {};
    let rack: string | undefined;
    switch (this.rack) {
      case 'domain1':
        rack = g.d1;
        if (g.d2 !== '') attrs['failureDomain2'] = g.d2;
        break;
      case 'domain2':
        rack = g.d2;
        if (g.d1 !== '') attrs['failureDomain1'] = g.d1;
        break;
      case 'both':
        rack = g.d1 === '' && g.d2 === '' ? '' : `${g.d1}/${g.d2}`;
        break;
      default:
        return assertNever(this.rack);
    }
    attrs['status'] = g.status;
    const agent: CanonicalAgent = {
      name: g.id,
      ...(rack !== '' ? { rack } : {}),
      cpus: g.cpus,
      mem: (g.mem / 100) * this.memAt100,
      attrs,
    };
    t.rowsUsed += g.rows;
    t.jobs++;
    sink.agent(agent);
  }
}

/** A cluster sink seen as the problem half of an import sink, for {@link Tally.skip}. */
function problemsOf(sink: ClusterSink): ImportSink {
  return {
    job: () => {
      throw new Error('a cluster importer emits no jobs');
    },
    problem: (p) => sink.problem(p),
  };
}
