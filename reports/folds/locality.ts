/**
 * The locality fold: where launched tasks with preferred locations ran (one task_locality record
 * each), per job and per framework, and at the run's end overall and by job size. Imports only
 * the log's types and reports' vocabulary.
 */
import type { TaskLocality } from '../../sim/model/log.js';
import { JOB_SIZE_BUCKETS, LOCALITY_LEVELS, type LocalityFractions } from '../vocabulary.js';
import { assertNever } from '../../sim/kernel/assert.js';
import { grown } from '../../sim/kernel/packed.js';

/** The locality fold's part of the summary. */
export interface LocalitySummary {
  /** locality of the launched tasks with preferred locations (task_locality records) */
  readonly locality: LocalityFractions;
  /** the same by job size, one entry per {@link JOB_SIZE_BUCKETS} bucket, in that order */
  readonly localityByJobSize: readonly LocalityFractions[];
}

/** The locality fold's part of a job's row. */
export interface LocalityJobRow {
  /** its launched tasks with preferences that ran node-local */
  readonly localNode: number;
  /** ... rack-local */
  readonly localRack: number;
  /** ... remote */
  readonly localRemote: number;
}

/** Counters per level (node, rack, remote: LOCALITY_LEVELS' order), per job and per framework. */
const LEVELS = LOCALITY_LEVELS.length;

/** Each level's slot in the counters: its index in LOCALITY_LEVELS. */
const SLOTS = Object.fromEntries(LOCALITY_LEVELS.map((l, k) => [l.level, k])) as Readonly<Record<TaskLocality, number>>;

/** A level's slot in the counters; a value the log does not have is a bug. */
function slotOf(l: TaskLocality): number {
  switch (l) {
    case 'node':
    case 'rack':
    case 'remote':
      return SLOTS[l];
    default:
      return assertNever(l);
  }
}

/** What the fold needs to know of the jobs at the end: which ids were submitted, and their sizes. */
export interface JobSizes {
  readonly count: number;
  submitted(j: number): boolean;
  tasksOf(j: number): number;
}

/** Locality counts of (checked) jobs and their frameworks. */
export class LocalityFold {
  private jobLoc = new Float64Array(0);
  private fwLoc = new Float64Array(0);

  /** task_locality of a task of job `j` of framework `f`. */
  recorded(j: number, f: number, locality: TaskLocality): void {
    const k = slotOf(locality);
    this.jobLoc = grown(this.jobLoc, (j + 1) * LEVELS);
    this.fwLoc = grown(this.fwLoc, (f + 1) * LEVELS);
    this.jobLoc[j * LEVELS + k]!++;
    this.fwLoc[f * LEVELS + k]!++;
  }

  /** The locality fold's part of job `j`'s row. */
  jobRow(j: number): LocalityJobRow {
    return { localNode: this.jobCount(j, 0), localRack: this.jobCount(j, 1), localRemote: this.jobCount(j, 2) };
  }

  /** Framework f's locality fractions. */
  frameworkRow(f: number): LocalityFractions {
    const o = f * LEVELS;
    return fractions(this.fwLoc[o] ?? 0, this.fwLoc[o + 1] ?? 0, this.fwLoc[o + 2] ?? 0);
  }

  /** The locality fold's part of the summary: over the submitted jobs of `jobs`, and by their size. */
  summary(jobs: JobSizes): LocalitySummary {
    const allLoc = [0, 0, 0];
    const bucketLoc = JOB_SIZE_BUCKETS.map(() => [0, 0, 0]);
    for (let j = 0; j < jobs.count; j++) {
      if (!jobs.submitted(j)) continue;
      const size = jobs.tasksOf(j);
      const b = JOB_SIZE_BUCKETS.findIndex(([, lo, hi]) => size >= lo && size <= hi);
      for (let k = 0; k < LEVELS; k++) {
        const x = this.jobCount(j, k);
        allLoc[k]! += x;
        if (b >= 0) bucketLoc[b]![k]! += x;
      }
    }
    return {
      locality: fractions(allLoc[0]!, allLoc[1]!, allLoc[2]!),
      localityByJobSize: bucketLoc.map((l) => fractions(l[0]!, l[1]!, l[2]!)),
    };
  }

  /** Job j's launches at level slot k (0 when it had none). */
  private jobCount(j: number, k: number): number {
    return this.jobLoc[j * LEVELS + k] ?? 0;
  }
}

/** Locality fractions from node-local, rack-local and remote launch counts. */
function fractions(node: number, rack: number, remote: number): LocalityFractions {
  const n = node + rack + remote;
  return n > 0 ? { tasks: n, node: node / n, rack: rack / n, remote: remote / n } : { tasks: 0, node: NaN, rack: NaN, remote: NaN };
}
