/**
 * The offers of one allocation run that wait for its end: a stage-2 offer joins the same
 * framework's stage-1 offer on the agent (Mesos merges `offerable[framework][role][agent]`), so
 * offers are made only when both stages are done. Imports the pure resource helpers and the
 * port's types; no clock, no queue, no I/O.
 */
import { resized } from '../sim/kernel/packed.js';
import type { AllocationContext } from '../sim/model/allocation-port.js';
import { NUM_RESOURCES, addInto, copyInto, isEmpty, subInto } from '../sim/model/resources.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** A run's booked offers, in booking order; every array is reused from run to run. */
export class PendingOffers {
  private fw = new Int32Array(16);
  /** a multi-role framework's role of each offer (undefined for one role) */
  private readonly role: (string | undefined)[] = [];
  private agent = new Int32Array(16);
  /** each offer's sum, reserved part included (stride NUM_RESOURCES) */
  private res = new Float64Array(16 * NUM_RESOURCES);
  /** each offer's reserved part (stride NUM_RESOURCES) */
  private rsv = new Float64Array(16 * NUM_RESOURCES);
  private count = 0;
  /**
   * Stage-1 offers by agent, for merging stage-2 offers into them: a linked list per agent
   * (head slot, -1 when none; next slot, -1 at the end), reset through `stage1Agents`.
   */
  private stage1Head = new Int32Array(64).fill(-1);
  private stage1Next = new Int32Array(16);
  private readonly stage1Agents: number[] = [];
  private readonly outRes = new Float64Array(NUM_RESOURCES);
  private readonly outRsv = new Float64Array(NUM_RESOURCES);

  /** Empties the book for a run over up to `agents` agents. */
  reset(agents: number): void {
    this.count = 0;
    for (const a of this.stage1Agents) this.stage1Head[a] = -1;
    this.stage1Agents.length = 0;
    if (this.stage1Head.length < agents) this.stage1Head = new Int32Array(agents).fill(-1);
  }

  /** The slot of `fw`'s stage-1 offer on `agent` this run (in `role`, for a multi-role framework), or -1. */
  stage1Slot(fw: FrameworkIx, agent: AgentIx, role?: string): number {
    if (agent >= this.stage1Head.length) return -1;
    for (let s = this.stage1Head[agent]!; s >= 0; s = this.stage1Next[s]!) if (this.fw[s] === fw && this.role[s] === role) return s;
    return -1;
  }

  /**
   * Books an offer of `sum` (of which `reserved`, or none) on `agent` to `fw` in `stage`; a
   * stage-2 offer joins the framework's stage-1 offer there, if any (in the same `role`, for a
   * multi-role framework: Mesos merges `offerable[framework][role][agent]`).
   */
  book(fw: FrameworkIx, agent: AgentIx, sum: Float64Array, reserved: Float64Array | null, stage: 1 | 2, role?: string): void {
    if (stage === 2) {
      const merge = this.stage1Slot(fw, agent, role);
      if (merge >= 0) {
        addInto(this.res, merge * NUM_RESOURCES, sum);
        if (reserved !== null) addInto(this.rsv, merge * NUM_RESOURCES, reserved);
        return;
      }
    }
    const s = this.count++;
    if (s === this.fw.length) this.grow();
    this.fw[s] = fw;
    this.role[s] = role;
    this.agent[s] = agent;
    copyInto(this.res, s * NUM_RESOURCES, sum);
    if (reserved !== null) copyInto(this.rsv, s * NUM_RESOURCES, reserved);
    else this.rsv.fill(0, s * NUM_RESOURCES, s * NUM_RESOURCES + NUM_RESOURCES);
    if (stage === 1) {
      if (this.stage1Head[agent] === -1) this.stage1Agents.push(agent);
      this.stage1Next[s] = this.stage1Head[agent]!;
      this.stage1Head[agent] = s;
    }
  }

  /** Makes the booked offers through the context, in the order they were first booked. */
  flush(ctx: AllocationContext): void {
    const res = this.outRes;
    const rsv = this.outRsv;
    for (let s = 0; s < this.count; s++) {
      copyInto(res, 0, this.res, s * NUM_RESOURCES);
      const role = this.role[s];
      if (role !== undefined) {
        const reserved = !isEmpty(this.rsv, s * NUM_RESOURCES);
        if (reserved) {
          copyInto(rsv, 0, this.rsv, s * NUM_RESOURCES);
          subInto(res, 0, rsv);
        }
        ctx.offer(this.fw[s]! as FrameworkIx, this.agent[s]! as AgentIx, res, reserved ? rsv : undefined, role);
      } else if (isEmpty(this.rsv, s * NUM_RESOURCES)) {
        ctx.offer(this.fw[s]! as FrameworkIx, this.agent[s]! as AgentIx, res);
      } else {
        copyInto(rsv, 0, this.rsv, s * NUM_RESOURCES);
        subInto(res, 0, rsv);
        ctx.offer(this.fw[s]! as FrameworkIx, this.agent[s]! as AgentIx, res, rsv);
      }
    }
    this.count = 0;
  }

  private grow(): void {
    const cap = this.fw.length * 2;
    this.fw = resized(this.fw, cap);
    this.agent = resized(this.agent, cap);
    this.res = resized(this.res, cap * NUM_RESOURCES);
    this.rsv = resized(this.rsv, cap * NUM_RESOURCES);
    this.stage1Next = resized(this.stage1Next, cap);
  }
}
