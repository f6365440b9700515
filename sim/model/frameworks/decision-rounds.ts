/**
 * Decision time, the Omega paper's slow scheduler, for the behaviours that model it (batch, gang,
 * service): its options and their defaults, one decision at a time taking t_job + t_task x the
 * tasks it considers, rounds that tell the offers a round began with from those that came during
 * it, and the attempts after which a job is abandoned. What a decision considers and does is the
 * behaviour's. Imports model types only.
 */
import { MICROS_PER_SECOND, type SimTime } from '../../kernel/time.js';
import type { DecisionTime, OptionDefaults, SchedulerDriver } from '../framework.js';
import type { JobIx } from '../ids.js';

/** The shortest decision time other than 0, seconds: the clock's unit. */
const MIN_DECISION_SECONDS = 1 / MICROS_PER_SECOND;

/** The decision-time options of a behaviour; each default is in {@link DECISION_DEFAULTS}. */
export interface DecisionOptions {
  /** decision time (Omega's t_job): seconds per scheduling decision (one job); default 0 */
  readonly decisionJob?: number | undefined;
  /** decision time per task the decision considers (Omega's t_task), seconds; default 0 */
  readonly decisionTask?: number | undefined;
  /** scheduling attempts after which a job not placed is abandoned; default 0 = never */
  readonly maxAttempts?: number | undefined;
}

/** The default of every decision-time option: decisions take no time, jobs are never abandoned. */
export const DECISION_DEFAULTS: OptionDefaults<DecisionOptions> = {
  decisionJob: 0,
  decisionTask: 0,
  maxAttempts: 0,
};

/**
 * One behaviour's decisions. A round is numbered; an offer that arrives is stamped with the round
 * it first takes part in ({@link next}: a round under way used the offers it began with), so that
 * at the end of a round the behaviour can tell the offers that round is done with
 * ({@link isDoneWith}) from those that came during it. Without decision time ({@link slow} false)
 * a behaviour answers offers at once, as if this did not exist.
 */
export class DecisionRounds {
  /** t_job, t_task and maxAttempts as given */
  readonly time: DecisionTime;
  /** decision time on: t_job or t_task > 0 */
  readonly slow: boolean;
  /** a decision is under way */
  busy = false;
  /** the current round's number (0 before the first) */
  round = 0;

  /** Throws RangeError for a time below 0 or between 0 and 1 us, or a maxAttempts that is not a non-negative integer. */
  constructor(options: DecisionOptions) {
    const job = options.decisionJob ?? DECISION_DEFAULTS.decisionJob;
    const task = options.decisionTask ?? DECISION_DEFAULTS.decisionTask;
    if (!(job >= 0) || !(task >= 0)) throw new RangeError('decisionJob and decisionTask must be >= 0');
    // A decision shorter than the clock's unit would be rounded to none and end in the instant,
    // phase and all, of the offers it answers: before them.
    if ((job > 0 && job < MIN_DECISION_SECONDS) || (task > 0 && task < MIN_DECISION_SECONDS)) {
      throw new RangeError('decisionJob and decisionTask must be 0 or at least 0.000001 s (1 us)');
    }
    const maxAttempts = options.maxAttempts ?? DECISION_DEFAULTS.maxAttempts;
    if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 0) throw new RangeError('maxAttempts must be a non-negative integer');
    this.time = { job, task, maxAttempts };
    this.slow = job > 0 || task > 0;
  }

  /** The round an offer arriving now first takes part in. */
  get next(): number {
    return this.round + 1;
  }

  /** Starts the next round. */
  begin(): void {
    this.round++;
  }

  /** Whether an offer stamped `first` ({@link next} when it came) took part in the current round or an earlier one. */
  isDoneWith(first: number): boolean {
    return first <= this.round;
  }

  /**
   * Decides for `job`, considering `considered` tasks: busy from now, and after t_job + t_task x
   * considered of simulated time the decision is reported (SchedulerDriver.decided) and `then`
   * runs with the time it began. The behaviour clears {@link busy} when it has no next decision.
   */
  decide(driver: SchedulerDriver, job: JobIx, considered: number, then: (start: SimTime) => void): void {
    const start = driver.now;
    this.busy = true;
    driver.after(this.time.job + this.time.task * considered, () => {
      driver.decided(job, start, considered);
      then(start);
    });
  }

  /** Counts a failed attempt at `job`; true when it has now failed maxAttempts times (abandon it). Never true with maxAttempts 0. */
  failed(job: { attempts: number }): boolean {
    return this.time.maxAttempts > 0 && ++job.attempts >= this.time.maxAttempts;
  }
}
