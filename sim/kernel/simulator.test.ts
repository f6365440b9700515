/**
 * Simulator: run(until), the no-going-back rule, errors stamped with time and event, stop, after,
 * cancel, and a property check that handlers always see a non-decreasing (time, phase).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { InvariantError } from './errors.js';
import { Phase } from './phases.js';
import { Simulator } from './simulator.js';

/** Fixed seed so that CI is reproducible; set FC_SEED to explore other runs. */
const FC = { seed: Number(process.env['FC_SEED'] ?? 20_250_601), numRuns: 200 } as const;

/** A simulator with one handler that records `time:phase:arg` of every event it runs. */
function recording(): { sim: Simulator; log: string[]; rec: number } {
  const sim = new Simulator();
  const log: string[] = [];
  const rec = sim.register('rec', (arg) => log.push(`${sim.now}:${sim.phase}:${arg}`));
  return { sim, log, rec };
}

/** Runs `fn`, expecting it to throw an InvariantError, and returns it. */
function invariantFrom(fn: () => unknown): InvariantError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvariantError);
    return err as InvariantError;
  }
  throw new Error('expected an InvariantError, nothing was thrown');
}

describe('Simulator', () => {
  test('starts at time zero with nothing pending', () => {
    const sim = new Simulator();
    expect(sim.now).toBe(0);
    expect(sim.pending).toBe(0);
    expect(sim.eventsRun).toBe(0);
    expect(sim.peek()).toBe(Infinity);
    expect(sim.step()).toBe(false);
    expect(sim.currentEvent).toBe('');
  });

  test('runs events in (time, phase, seq) order, the phases as documented', () => {
    const { sim, log, rec } = recording();
    sim.at(5, Phase.ALLOCATE, rec, 1);
    sim.at(5, Phase.RELEASE, rec, 2);
    sim.at(3, Phase.END, rec, 3);
    sim.at(5, Phase.ALLOCATE, rec, 4);
    sim.at(5, Phase.MESSAGE, rec, 5);
    sim.run();
    expect(log).toEqual(['3:5:3', '5:0:2', '5:2:5', '5:3:1', '5:3:4']);
    expect(sim.eventsRun).toBe(5);
    expect(sim.now).toBe(5);
  });

  test('registering a name twice throws', () => {
    const sim = new Simulator();
    sim.register('x', () => {});
    expect(() => sim.register('x', () => {})).toThrow(/'x' registered twice/);
  });

  describe('run(until)', () => {
    test('does not run events at until, and leaves the clock at until', () => {
      const { sim, log, rec } = recording();
      sim.at(10, Phase.RELEASE, rec, 1);
      sim.at(20, Phase.RELEASE, rec, 2);
      sim.at(20, Phase.END, rec, 3);
      sim.at(21, Phase.RELEASE, rec, 4);
      sim.run(20);
      expect(log).toEqual(['10:0:1']);
      expect(sim.now).toBe(20);
      expect(sim.pending).toBe(3);
      // the events at until run in the next call, in order
      sim.run(21);
      expect(log).toEqual(['10:0:1', '20:0:2', '20:5:3']);
      expect(sim.now).toBe(21);
    });

    test('after run(until) any phase may still be scheduled at until', () => {
      const { sim, log, rec } = recording();
      sim.at(1, Phase.END, rec, 1);
      sim.run(7);
      expect(sim.now).toBe(7);
      sim.at(7, Phase.RELEASE, rec, 2);
      sim.run();
      expect(log).toEqual(['1:5:1', '7:0:2']);
    });

    test('with an empty queue the clock still moves to until', () => {
      const sim = new Simulator();
      sim.run(1_000);
      expect(sim.now).toBe(1_000);
    });

    test('an until in the past runs nothing and leaves the clock alone', () => {
      const { sim, log, rec } = recording();
      sim.at(50, Phase.MESSAGE, rec, 1);
      sim.run(100);
      sim.at(150, Phase.MESSAGE, rec, 2);
      sim.run(40);
      expect(sim.now).toBe(100);
      expect(log).toEqual(['50:2:1']);
    });

    test('run() with no bound drains the queue and leaves the clock at the last event', () => {
      const { sim, rec } = recording();
      sim.at(30, Phase.OFFER, rec);
      sim.run();
      expect(sim.now).toBe(30);
      expect(sim.pending).toBe(0);
    });

    test('a fractional or NaN bound is refused', () => {
      const sim = new Simulator();
      expect(invariantFrom(() => sim.run(1.5)).message).toMatch(/run until 1\.5/);
      expect(invariantFrom(() => sim.run(Number.NaN)).message).toMatch(/run until NaN/);
    });
  });

  describe('no going back', () => {
    test('scheduling at an earlier time throws an InvariantError naming the time and event', () => {
      const sim = new Simulator();
      const late = sim.register('late', () => {});
      let err: unknown;
      const tick = sim.register('tick', () => {
        try {
          sim.at(99, Phase.MESSAGE, late, 4);
        } catch (e) {
          err = e;
        }
      });
      sim.at(100, Phase.ALLOCATE, tick, 7);
      sim.run();
      expect(err).toBeInstanceOf(InvariantError);
      const e = err as InvariantError;
      expect(e.time).toBe(100);
      expect(e.event).toBe('tick(7)@allocate');
      expect(e.message).toContain('t=100');
      expect(e.message).toContain('in event tick(7)@allocate');
      expect(e.message).toContain('cannot schedule late at t=99 phase message');
    });

    test('scheduling at the same time in an earlier phase throws; same or later phase is fine', () => {
      const { sim, log, rec } = recording();
      const errors: InvariantError[] = [];
      const h = sim.register('h', () => {
        sim.at(10, Phase.ALLOCATE, rec, 1);
        sim.at(10, Phase.OFFER, rec, 2);
        try {
          sim.at(10, Phase.MESSAGE, rec, 3);
        } catch (e) {
          errors.push(e as InvariantError);
        }
      });
      sim.at(10, Phase.ALLOCATE, h);
      sim.run();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(InvariantError);
      expect(errors[0]!.message).toMatch(/cannot schedule rec at t=10 phase message: before now \(t=10, phase allocate\)/);
      expect(errors[0]!.event).toBe('h(0)@allocate');
      expect(log).toEqual(['10:3:1', '10:4:2']);
    });

    test('the same rule holds between runs: not before the clock', () => {
      const { sim, rec } = recording();
      sim.run(50);
      const e = invariantFrom(() => sim.at(49, Phase.RELEASE, rec));
      expect(e.time).toBe(50);
      expect(e.event).toBe('');
      expect(e.message).toContain('cannot schedule rec at t=49');
    });

    test('non-integer times, unknown phases and unknown handlers are refused', () => {
      const { sim, rec } = recording();
      expect(invariantFrom(() => sim.at(1.5, Phase.RELEASE, rec)).message).toMatch(/1\.5 is not an integer/);
      expect(invariantFrom(() => sim.at(Infinity, Phase.RELEASE, rec)).message).toMatch(/Infinity is not an integer/);
      expect(invariantFrom(() => sim.at(1, 6 as Phase, rec)).message).toMatch(/unknown phase 6/);
      expect(invariantFrom(() => sim.at(1, 256 as Phase, rec)).message).toMatch(/unknown phase 256/);
      expect(invariantFrom(() => sim.at(1, Phase.RELEASE, 5)).message).toMatch(/unknown handler 5/);
      expect(invariantFrom(() => sim.at(1, Phase.RELEASE, rec + 0.5)).message).toMatch(/unknown handler 0\.5/);
      expect(sim.pending).toBe(0);
    });
  });

  describe('errors in handlers', () => {
    test('an Error thrown in a handler comes out as an InvariantError with time, event and cause', () => {
      const sim = new Simulator();
      const boom = new TypeError('agent 3 has negative cpus');
      const h = sim.register('finishTask', () => {
        throw boom;
      });
      sim.at(1_500_000, Phase.RELEASE, h, 42);
      const e = invariantFrom(() => sim.run());
      expect(e.time).toBe(1_500_000);
      expect(e.event).toBe('finishTask(42)@release');
      expect(e.message).toBe('invariant broken at t=1500000 us in event finishTask(42)@release: agent 3 has negative cpus');
      expect((e as { cause?: unknown }).cause).toBe(boom);
      // outside the event, nothing is current any more
      expect(sim.currentEvent).toBe('');
    });

    test('a thrown non-Error is stringified', () => {
      const sim = new Simulator();
      const h = sim.register('odd', () => {
        throw 'plain string';
      });
      sim.at(3, Phase.MESSAGE, h);
      expect(invariantFrom(() => sim.run()).message).toMatch(/in event odd\(0\)@message: plain string$/);
    });

    test('an InvariantError from sim.invariant() passes through unchanged', () => {
      const sim = new Simulator();
      const mine = { err: undefined as InvariantError | undefined };
      const h = sim.register('check', () => {
        mine.err = sim.invariant('offered more than free');
        throw mine.err;
      });
      sim.at(8, Phase.ALLOCATE, h, 2);
      const e = invariantFrom(() => sim.run());
      expect(e).toBe(mine.err);
      expect(e.message).toBe('invariant broken at t=8 us in event check(2)@allocate: offered more than free');
    });

    test('currentEvent names the running event during the handler, and is empty after step()', () => {
      const sim = new Simulator();
      const seen: string[] = [];
      const h = sim.register('look', () => seen.push(sim.currentEvent));
      sim.at(4, Phase.OFFER, h, 9);
      expect(sim.step()).toBe(true);
      expect(seen).toEqual(['look(9)@offer']);
      expect(sim.currentEvent).toBe('');
      expect(sim.invariant('x').event).toBe('');
    });
  });

  describe('stop, after, cancel', () => {
    test('stop() returns after the current event; the next run resumes', () => {
      const { sim, log, rec } = recording();
      const halt = sim.register('halt', () => sim.stop());
      sim.at(1, Phase.RELEASE, rec, 1);
      sim.at(2, Phase.MESSAGE, halt);
      sim.at(2, Phase.OFFER, rec, 2);
      sim.at(3, Phase.RELEASE, rec, 3);
      sim.run(100);
      expect(log).toEqual(['1:0:1']);
      // the clock stays at the stopping event, not at until
      expect(sim.now).toBe(2);
      expect(sim.pending).toBe(2);
      sim.run(100);
      expect(log).toEqual(['1:0:1', '2:4:2', '3:0:3']);
      expect(sim.now).toBe(100);
    });

    test('stop() called between runs does not stop the next run', () => {
      const { sim, log, rec } = recording();
      sim.at(1, Phase.RELEASE, rec, 1);
      sim.stop();
      sim.run();
      expect(log).toEqual(['1:0:1']);
    });

    test('after(delay) schedules relative to now; zero delay runs later in the same instant', () => {
      const { sim, log, rec } = recording();
      const chain = sim.register('chain', (arg) => {
        if (arg < 3) sim.after(10, Phase.MESSAGE, chain, arg + 1);
        sim.after(0, Phase.OFFER, rec, arg);
      });
      sim.after(5, Phase.MESSAGE, chain, 0);
      sim.run();
      expect(log).toEqual(['5:4:0', '15:4:1', '25:4:2', '35:4:3']);
    });

    test('after() refuses a negative or fractional delay', () => {
      const { sim, rec } = recording();
      expect(invariantFrom(() => sim.after(-1, Phase.MESSAGE, rec)).message).toMatch(/negative delay -1/);
      expect(invariantFrom(() => sim.after(0.5, Phase.MESSAGE, rec)).message).toMatch(/0\.5 is not an integer/);
    });

    test('cancel removes a pending event; cancelling twice or after it ran returns false', () => {
      const { sim, log, rec } = recording();
      const a = sim.at(1, Phase.RELEASE, rec, 1, true);
      const b = sim.at(2, Phase.RELEASE, rec, 2, true);
      expect(sim.isPending(b)).toBe(true);
      expect(sim.cancel(b)).toBe(true);
      expect(sim.isPending(b)).toBe(false);
      expect(sim.cancel(b)).toBe(false);
      expect(sim.pending).toBe(1);
      sim.run();
      expect(sim.cancel(a)).toBe(false);
      expect(log).toEqual(['1:0:1']);
      // a cancelled last event does not move the clock
      expect(sim.now).toBe(1);
    });

    test('a handler can cancel a later event of the same instant (an offer timeout rescinded by accept)', () => {
      const { sim, log, rec } = recording();
      let timeout = -1;
      const accept = sim.register('accept', () => {
        expect(sim.cancel(timeout)).toBe(true);
      });
      sim.at(10, Phase.MESSAGE, accept);
      timeout = sim.at(10, Phase.ALLOCATE, rec, 99, true);
      sim.at(10, Phase.OFFER, rec, 1);
      sim.run();
      expect(log).toEqual(['10:4:1']);
    });
  });

  test('handlers see (time, phase) never decrease, whatever they schedule (property)', () => {
    // each event schedules up to two more at now + delay in a random phase, where allowed
    const plan = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 })), {
      minLength: 1,
      maxLength: 200,
    });
    fc.assert(
      fc.property(plan, (steps) => {
        const sim = new Simulator(16);
        const seen: Array<[number, number]> = [];
        let k = 0;
        const h = sim.register('h', () => {
          seen.push([sim.now, sim.phase]);
          for (let j = 0; j < 2 && k < steps.length; j++, k++) {
            const [delay, p] = steps[k]!;
            const phase = (delay === 0 ? Math.max(p, sim.phase) : p) as Phase;
            sim.after(delay, phase, h);
          }
        });
        sim.at(0, Phase.RELEASE, h);
        sim.run();
        for (let i = 1; i < seen.length; i++) {
          const [t0, p0] = seen[i - 1]!;
          const [t1, p1] = seen[i]!;
          expect(t1 > t0 || (t1 === t0 && p1 >= p0)).toBe(true);
        }
        expect(seen.length).toBe(sim.eventsRun);
      }),
      FC,
    );
  });
});
