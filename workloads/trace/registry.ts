/**
 * The trace formats offersim imports, by name: job formats (a workload) and cluster formats (a
 * cluster definition), each with its importer factory and its options documented for
 * `offersim list formats` and docs/traces.md. Pure: no I/O.
 */
import type { ClusterImporter } from './cluster.js';
import { GOOGLE_2011_DEFAULTS, GOOGLE_AT_ZERO_MODES, Google2011Importer, type Google2011Options } from './google-2011.js';
import type { TraceImporter } from './importer.js';
import { SWF_MEMORY_UNITS, SWF_TASK_MODES, SwfImporter, type SwfOptions } from './swf.js';
import {
  ALIBABA_2018_RACKS,
  Alibaba2018MachineImporter,
  OPENB_GPU_SHARES,
  OpenbNodeImporter,
  OpenbPodImporter,
  type Alibaba2018MachineOptions,
  type OpenbPodOptions,
} from './alibaba.js';
import { SWIM_DEFAULTS as SWIM, SWIM_OPTION_NAMES, SwimImporter, type SwimOptions } from './swim.js';

/** A format of job traces. */
export interface JobTraceFormat {
  readonly name: string;
  readonly kind: 'jobs';
  readonly description: string;
  /** option name -> what it means and its default */
  readonly options: Readonly<Record<string, string>>;
  /** options that hold the paths of further input files (the importer's auxInputs); default none */
  readonly auxInputs?: readonly string[];
  /** A new importer; throws RangeError naming the option for bad options. */
  create(options: Readonly<Record<string, unknown>>): TraceImporter;
}

/** A format of cluster definitions. */
export interface ClusterTraceFormat {
  readonly name: string;
  readonly kind: 'cluster';
  readonly description: string;
  readonly options: Readonly<Record<string, string>>;
  create(options: Readonly<Record<string, unknown>>): ClusterImporter;
}

/** A trace format of either kind. */
export type TraceFormat = JobTraceFormat | ClusterTraceFormat;

/** The timeOrigin option of the formats with submit times in seconds (importer.ts TimeOrigin). */
const TIME_ORIGIN =
  'seconds subtracted from every submit time, or "first" (the first row\'s), for a trace in Unix time; default 0 (times as given, at most 1e9 s)';

/** Every trace format, by name. */
export const TRACE_FORMATS: readonly TraceFormat[] = [
  {
    name: 'swf',
    kind: 'jobs',
    description: 'Standard Workload Format (Parallel Workloads Archive): one job a line, 18 fields, ";" comments',
    options: {
      tasks: `${SWF_TASK_MODES.join(' | ')}: a job on P processors as a gang of P one-processor tasks (default) or one task of P processors`,
      cpusPerProcessor: 'cores per processor; default 1',
      memoryUnit: `${SWF_MEMORY_UNITS.join(' | ')}: the unit of the memory fields 7 and 10, per processor; default KB (the standard's), B for a log that gives bytes`,
      timeOrigin: TIME_ORIGIN,
    },
    create: (o) => new SwfImporter(checkedOptions(o, ['tasks', 'cpusPerProcessor', 'memoryUnit', 'timeOrigin']) as SwfOptions),
  },
  {
    name: 'alibaba-openb-pods',
    kind: 'jobs',
    description: 'Alibaba cluster-trace-gpu-v2023 (openb) pod list: one single-task job a pod, header row, CSV',
    options: {
      gpuShare: `${OPENB_GPU_SHARES.join(' | ')}: gpus = num_gpu x gpu_milli / 1000 (default) or num_gpu whole devices`,
      timeOrigin: TIME_ORIGIN,
    },
    create: (o) => new OpenbPodImporter(checkedOptions(o, ['gpuShare', 'timeOrigin']) as OpenbPodOptions),
  },
  {
    name: 'alibaba-openb-nodes',
    kind: 'cluster',
    description: 'Alibaba cluster-trace-gpu-v2023 (openb) node list: one agent a node (cpus, mem, gpus, GPU model), header row, CSV',
    options: {},
    create: (o) => {
      checkedOptions(o, []);
      return new OpenbNodeImporter();
    },
  },
  {
    name: 'alibaba-2018-machines',
    kind: 'cluster',
    description: 'Alibaba cluster-trace-v2018 machine_meta.csv: one agent a machine, from its earliest row; failure domains as racks',
    options: {
      memoryMbAt100: 'MB of a machine at normalised memory 100 (the trace does not say); default 524288, an assumption',
      rack: `${ALIBABA_2018_RACKS.join(' | ')}: the rack is failure domain 1 (default), failure domain 2, or "<1>/<2>"`,
    },
    create: (o) => new Alibaba2018MachineImporter(checkedOptions(o, ['memoryMbAt100', 'rack']) as Alibaba2018MachineOptions),
  },
  {
    name: 'swim',
    kind: 'jobs',
    description:
      'SWIM Facebook 2009/2010 MapReduce workloads (TSV: job, submit, gap, input, shuffle, output bytes[, input path]); tasks derived from data sizes',
    options: {
      blockSizeMB: `input per map, MB (2^20 bytes): maps = max(1, ceil(input / block)); default ${SWIM.blockSizeMB}`,
      reduceInputMB: `shuffle + output per reduce, MB: reduces = ceil((shuffle + output) / this), 0 when both are 0; default ${SWIM.reduceInputMB}`,
      mapRateMBps: `MB a map reads per second: map duration = overhead + its input / rate; default ${SWIM.mapRateMBps}`,
      reduceRateMBps: `MB of shuffle + output a reduce handles per second; default ${SWIM.reduceRateMBps}`,
      taskOverhead: `seconds added to every task; default ${SWIM.taskOverhead}`,
      cpusPerMap: `cores per map; default ${SWIM.cpusPerMap}`,
      cpusPerReduce: `cores per reduce; default ${SWIM.cpusPerReduce}`,
      memPerMap: `MB per map; default ${SWIM.memPerMap}`,
      memPerReduce: `MB per reduce; default ${SWIM.memPerReduce}`,
      maxMapsPerJob: `cap on maps per job, merging blocks into longer maps (0 = none); default ${SWIM.maxMapsPerJob}`,
      maxReducesPerJob: 'cap on reduces per job, each taking a larger share (0 = none); default 0',
      jobBlocks: 'rows without an input path read per-job blocks <job>#<k>; default false (no blocks)',
      timeOrigin: TIME_ORIGIN,
    },
    create: (o) => new SwimImporter(checkedOptions(o, SWIM_OPTION_NAMES) as SwimOptions),
  },
  {
    name: 'google-2011',
    kind: 'jobs',
    auxInputs: ['jobEvents'],
    description: 'Google cluster-data 2011-2 task_events (CSV, plain or gzip; job_events as option jobEvents): one job per job id, tasks from their last run',
    options: {
      jobEvents: 'the job_events file, read first for job names (attrs name, logicalName); default none',
      atZero: `${GOOGLE_AT_ZERO_MODES.join(' | ')}: tasks first seen at time 0 (before the window) are left out and counted (default ${GOOGLE_2011_DEFAULTS.atZero}) or submitted at 0`,
      cpusPerUnit: `cores of one normalised CPU unit (the largest machine); default ${GOOGLE_2011_DEFAULTS.cpusPerUnit}`,
      memPerUnit: `MB of one normalised memory unit; default ${GOOGLE_2011_DEFAULTS.memPerUnit} (128 GiB)`,
      diskPerUnit: `MB of one normalised disk unit; default ${GOOGLE_2011_DEFAULTS.diskPerUnit} (1 TiB)`,
      closeAfter: `seconds a job with no live task waits for a resubmission before it is closed; default ${GOOGLE_2011_DEFAULTS.closeAfter}`,
      locality: `the machine id a task ran on as its preferred agent (true | false); default ${String(GOOGLE_2011_DEFAULTS.locality)}`,
    },
    create: (o) =>
      new Google2011Importer(
        checkedOptions(o, ['jobEvents', 'atZero', 'cpusPerUnit', 'memPerUnit', 'diskPerUnit', 'closeAfter', 'locality']) as Google2011Options,
      ),
  },
];

/** The format named `name`, or undefined. */
export function traceFormat(name: string): TraceFormat | undefined {
  return TRACE_FORMATS.find((f) => f.name === name);
}

/** `o` if it has only `known` keys; else a RangeError naming the first unknown one. */
export function checkedOptions(o: Readonly<Record<string, unknown>>, known: readonly string[]): Readonly<Record<string, unknown>> {
  for (const k of Object.keys(o).sort()) {
    if (!known.includes(k)) throw new RangeError(`unknown option "${k}"; known: ${known.join(', ')}`);
  }
  return o;
}
