/**
 * Random (MTBF/MTTR-drawn) agent failures: each agent's up times and down times are exponential
 * draws from its own seeded stream. The draws are pure functions of the stream; the injection
 * (simulation.ts) reuses the machinery of scheduled failures. Imports kernel types only.
 */
import type { Rng } from '../kernel/rng.js';
import type { SimTime } from '../kernel/time.js';

/** Agent failures drawn at random over the run (an alternative or addition to scheduled ones). */
export interface RandomFailureSpec {
  /** mean time between failures, us (> 0): the mean of the exponential time to failure of an agent that is up */
  readonly mtbf: SimTime;
  /** mean time to repair, us (> 0): the mean of the exponential down time; absent: a failed agent never returns */
  readonly mttr?: SimTime | undefined;
  /** names of the agents that may fail; absent: every agent */
  readonly agents?: readonly string[] | undefined;
  /** take part with only this fraction (0, 1] of those agents, round(fraction x n) of them picked from the stream `failures`; default 1 (all) */
  readonly fraction?: number | undefined;
  /** failures happen at or after this time, us; default 0 */
  readonly from?: SimTime | undefined;
  /** no failure starts at or after this time, us (agents down then still return); absent: none */
  readonly until?: SimTime | undefined;
  /** what kind of failures: 'crash' or 'partition' (a partition heals after its down time exactly; needs mttr); default 'crash' */
  readonly kind?: 'crash' | 'partition' | undefined;
}

/**
 * An exponential draw with mean `mean` us, rounded to the nearest microsecond: inverse transform,
 * `-mean * ln(1 - u)` with u uniform in [0, 1) from `rng` (one draw per call). Never negative.
 * @example exponentialMicros(stream, 3_600_000_000) // an up time with a one-hour mean
 */
export function exponentialMicros(rng: Rng, mean: number): number {
  return Math.round(-mean * Math.log(1 - rng.next()));
}

/**
 * The alternating up and down times of one agent, from its own stream (`failures/<agent>`), so an
 * agent's failure times do not depend on how many other agents there are. Draws alternate strictly:
 * up, down, up, down... (a chain without repair draws only the first up time).
 */
export class AgentFailureClock {
  constructor(
    private readonly rng: Rng,
    private readonly mtbf: number,
    private readonly mttr: number | undefined,
  ) {
    if (!(mtbf > 0)) throw new RangeError(`mtbf must be > 0 us, got ${mtbf}`);
    if (mttr !== undefined && !(mttr > 0)) throw new RangeError(`mttr must be > 0 us, got ${mttr}`);
  }
  /** Time from an agent being up to its next failure, us: Exp(mean mtbf). */
  upTime(): number {
    return exponentialMicros(this.rng, this.mtbf);
  }
  /** How long a failure keeps the agent down, us: Exp(mean mttr); undefined without repair (no draw). */
  downTime(): number | undefined {
    return this.mttr === undefined ? undefined : exponentialMicros(this.rng, this.mttr);
  }
}
