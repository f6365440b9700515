/**
 * The next-task hints of one allocation run ('task' offer granularity): each framework's is read
 * once per run, as no scheduler callback runs inside a run and it cannot change. Imports the pure
 * resource helpers and the port's types; no clock, no queue, no I/O.
 */
import { resized } from '../sim/kernel/packed.js';
import type { AllocationContext } from '../sim/model/allocation-port.js';
import { NUM_RESOURCES, copyInto } from '../sim/model/resources.js';
import type { FrameworkIx } from '../sim/model/ids.js';

/** Per-framework cache of the next-task hint, valid for the run numbered in `run`. */
export class TaskDemands {
  private runId = 0;
  private run = new Float64Array(16);
  private has = new Uint8Array(16);
  /** The hints, by framework (stride NUM_RESOURCES): read `fw`'s at fw * NUM_RESOURCES after {@link read}. */
  demands = new Float64Array(16 * NUM_RESOURCES);
  private readonly out = new Float64Array(NUM_RESOURCES);

  /** A new run: every hint must be read again. */
  nextRun(): void {
    this.runId++;
  }

  /** Whether `fw` has a next-task hint this run; it is left in {@link demands} at fw's slot. */
  read(ctx: AllocationContext, fw: FrameworkIx): boolean {
    if (fw >= this.run.length) {
      const cap = Math.max(fw + 1, this.run.length * 2);
      this.run = resized(this.run, cap);
      this.has = resized(this.has, cap);
      this.demands = resized(this.demands, cap * NUM_RESOURCES);
    }
    if (this.run[fw] !== this.runId) {
      this.run[fw] = this.runId;
      const out = this.out;
      out.fill(0);
      this.has[fw] = ctx.nextTaskDemand(fw, out) ? 1 : 0;
      copyInto(this.demands, fw * NUM_RESOURCES, out);
    }
    return this.has[fw] === 1;
  }
}
