/**
 * The decisions fold: how long each framework's scheduler spent deciding (decision records, the
 * Omega paper's busyness), how many of its shared-state placements conflicted at commit, and how
 * long the allocator was busy (allocation_run records with a busy field: the allocator cost model).
 * Imports only reports' helpers.
 */
import { sumOf } from '../util.js';
import { LogInvariantError } from './log-invariant.js';

/** The decisions fold's part of the summary. */
export interface DecisionsSummary {
  /** mean over frameworks of their busyness (fraction of the run spent deciding); NaN without frameworks or for a zero-length run */
  readonly busynessMean: number;
  /** task placements of shared-state decisions that conflicted at commit (commit records); 0 without */
  readonly conflicts: number;
  /** conflicts over the task placements those decisions attempted; NaN when none were attempted */
  readonly conflictFraction: number;
  /**
   * fraction of [first event, run end] the allocator (or the monolithic central scheduler) spent
   * in runs: summed `busy` of allocation_run records, the part of the last run past the end left
   * out; NaN when no record has `busy` (the allocator cost model is off) or for a zero-length run
   */
  readonly allocatorBusy: number;
}

/** The decisions fold's part of a framework's row. */
export interface DecisionsFrameworkRow {
  /**
   * fraction of [first event, run end] its scheduler spent deciding (sum of its decision records'
   * t - start over the span); 0 without decision time, NaN for a zero-length run
   */
  readonly busyness: number;
  /** its shared-state task placements that conflicted at commit (commit records); 0 without decision time there */
  readonly conflicts: number;
  /** its conflicts over the placements its shared-state decisions attempted; NaN when it attempted none */
  readonly conflictFraction: number;
}

/** Per framework (sparse: frameworks without decisions have holes): time deciding, placements and conflicts. */
export class DecisionsFold {
  private readonly fwDeciding: number[] = [];
  /** shared-state commits: task placements attempted and conflicted, per framework */
  private readonly fwPlaced: number[] = [];
  private readonly fwConflicts: number[] = [];
  /** allocation runs with a busy field: their summed length, us, and the latest end; -1 before the first */
  private allocatorBusy = 0;
  private allocatorEnd = -1;

  /** A decision of (checked) framework `f` that began at `start` and ended at `t`; `first` is the run's first record's time. */
  decision(f: number, start: number, t: number, first: number, kind: string): void {
    if (!Number.isSafeInteger(start) || start > t || start < first) throw new LogInvariantError(`bad decision start ${start}`, t, kind);
    this.fwDeciding[f] = (this.fwDeciding[f] ?? 0) + (t - start);
  }

  /** An allocation run at `t` that took `busy` us (the allocator cost model). */
  allocationRun(t: number, busy: number, kind: string): void {
    if (!Number.isSafeInteger(busy) || busy < 0) throw new LogInvariantError(`bad allocation run length ${busy}`, t, kind);
    this.allocatorBusy += busy;
    this.allocatorEnd = Math.max(this.allocatorEnd, t + busy);
  }

  /** A commit of (checked) framework `f`: `conflicts` of its `placed` placements conflicted. */
  commit(f: number, placed: number, conflicts: number, t: number, kind: string): void {
    if (!Number.isSafeInteger(placed) || !Number.isSafeInteger(conflicts) || conflicts < 0 || conflicts > placed) {
      throw new LogInvariantError(`bad commit counts: ${conflicts} conflicts of ${placed} placements`, t, kind);
    }
    this.fwPlaced[f] = (this.fwPlaced[f] ?? 0) + placed;
    this.fwConflicts[f] = (this.fwConflicts[f] ?? 0) + conflicts;
  }

  /** The decisions fold's part of framework f's row; `span` is the run's length, us. */
  frameworkRow(f: number, span: number): DecisionsFrameworkRow {
    return {
      busyness: span > 0 ? (this.fwDeciding[f] ?? 0) / span : NaN,
      conflicts: this.fwConflicts[f] ?? 0,
      conflictFraction: (this.fwPlaced[f] ?? 0) > 0 ? this.fwConflicts[f]! / this.fwPlaced[f]! : NaN,
    };
  }

  /** The decisions fold's part of the summary, from the framework rows (registered frameworks, in id order); the run ends at `end`. */
  summary(frameworks: readonly DecisionsFrameworkRow[], span: number, end: number): DecisionsSummary {
    // Runs do not overlap: only the last may reach past the end.
    const busy = this.allocatorBusy - Math.max(0, this.allocatorEnd - end);
    return {
      busynessMean: frameworks.length > 0 && span > 0 ? frameworks.reduce((a, f) => a + f.busyness, 0) / frameworks.length : NaN,
      conflicts: sumOf(this.fwConflicts),
      conflictFraction: sumOf(this.fwPlaced) > 0 ? sumOf(this.fwConflicts) / sumOf(this.fwPlaced) : NaN,
      allocatorBusy: this.allocatorEnd >= 0 && span > 0 ? busy / span : NaN,
    };
  }
}
