/**
 * The decision-time helper alone, on a driver that only keeps time: a decision's length, what it
 * reports, rounds and attempts. The behaviours' use of it is tested end to end in decision.test.ts,
 * decision-gang-service.test.ts and scenarios/behaviours/common.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import type { SimTime } from '../../kernel/time.js';
import type { SchedulerDriver } from '../framework.js';
import { DecisionRounds } from './decision-rounds.js';
import { jobIx } from '../ids.js';

/** A driver with a clock (seconds) that runs `after` callbacks when `advance` passes them. */
function clockDriver() {
  const pending: { at: number; fn: () => void }[] = [];
  const decided: [number, number, number, number][] = [];
  const d = {
    now: 0 as SimTime,
    after(delaySeconds: number, fn: () => void) {
      pending.push({ at: d.now + delaySeconds * 1e6, fn });
    },
    decided(job: number, start: SimTime, tasks: number) {
      decided.push([job, start / 1e6, d.now / 1e6, tasks]);
    },
  };
  const advance = (to: number): void => {
    d.now = (to * 1e6) as SimTime;
    for (const p of pending.splice(0).sort((a, b) => a.at - b.at))
      if (p.at <= d.now) p.fn();
      else pending.push(p);
  };
  return { driver: d as unknown as SchedulerDriver, decided, advance };
}

describe('DecisionRounds', () => {
  test('a decision takes t_job + t_task x considered, then reports itself and hands over its start', () => {
    // t_job 1 s, t_task 0.5 s, 4 tasks considered: 1 + 0.5 x 4 = 3 s, from 2 to 5.
    const r = new DecisionRounds({ decisionJob: 1, decisionTask: 0.5 });
    const { driver, decided, advance } = clockDriver();
    advance(2);
    const starts: number[] = [];
    r.decide(driver, jobIx(7), 4, (start) => starts.push(start / 1e6));
    expect(r.busy).toBe(true);
    advance(4.999);
    expect(decided).toEqual([]);
    advance(5);
    expect(decided).toEqual([[7, 2, 5, 4]]);
    expect(starts).toEqual([2]);
  });

  test('slow only with some decision time; the options as given, defaults 0', () => {
    expect(new DecisionRounds({}).slow).toBe(false);
    expect(new DecisionRounds({}).time).toEqual({ job: 0, task: 0, maxAttempts: 0 });
    expect(new DecisionRounds({ decisionTask: 0.001 }).slow).toBe(true);
    expect(new DecisionRounds({ decisionJob: 2, maxAttempts: 3 }).time).toEqual({ job: 2, task: 0, maxAttempts: 3 });
    expect(() => new DecisionRounds({ decisionJob: -1 })).toThrow('decisionJob and decisionTask must be >= 0');
    expect(() => new DecisionRounds({ maxAttempts: 1.5 })).toThrow('maxAttempts must be a non-negative integer');
    // Below the clock's unit a decision would end before the offers it answers (0.0000001 s rounds to 0 us).
    expect(() => new DecisionRounds({ decisionJob: 1e-7 })).toThrow('decisionJob and decisionTask must be 0 or at least 0.000001 s (1 us)');
    expect(() => new DecisionRounds({ decisionTask: 5e-7 })).toThrow('must be 0 or at least 0.000001 s');
    expect(new DecisionRounds({ decisionJob: 1e-6 }).slow).toBe(true);
  });

  test('an offer stamped while round 1 runs is not done with until round 2 has run', () => {
    const r = new DecisionRounds({ decisionJob: 1 });
    const before = r.next; // 1: it takes part in the first round
    r.begin();
    const during = r.next; // 2: round 1 is under way
    expect([before, during]).toEqual([1, 2]);
    expect([r.isDoneWith(before), r.isDoneWith(during)]).toEqual([true, false]);
    r.begin();
    expect(r.isDoneWith(during)).toBe(true);
  });

  test('maxAttempts 2: the second failure abandons; with 0 nothing is ever abandoned or counted', () => {
    const r = new DecisionRounds({ maxAttempts: 2 });
    const job = { attempts: 0 };
    expect([r.failed(job), r.failed(job)]).toEqual([false, true]);
    expect(job.attempts).toBe(2);
    const never = new DecisionRounds({});
    const other = { attempts: 0 };
    for (let i = 0; i < 5; i++) expect(never.failed(other)).toBe(false);
    expect(other.attempts).toBe(0);
  });
});
