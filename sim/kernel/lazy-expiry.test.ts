/**
 * LazyExpiry: a deadline stamped now for now + delay in a phase "has passed" exactly when the
 * event scheduled now at that time and phase would have run: a worked example, and a property
 * against really scheduled events.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { STAMP_SIZE, type LazyExpiry } from './lazy-expiry.js';
import { Phase } from './phases.js';
import { Simulator } from './simulator.js';

/** Fixed seed so that CI is reproducible; set FC_SEED to explore other runs. */
const FC = { seed: Number(process.env['FC_SEED'] ?? 20_250_601), numRuns: 200 } as const;

describe('LazyExpiry', () => {
  test('a deadline at (10 us, ALLOCATE) passes as the event scheduled in its place would run', () => {
    // At t=0: an ALLOCATE event at 10 us scheduled before the stamp (it runs before the imagined
    // one), the stamp for 10 us in ALLOCATE, then events scheduled after it at 10 us in ARRIVAL
    // (an earlier phase), ALLOCATE (same phase, later seq: after the imagined event) and OFFER
    // (a later phase), and one at 9 us. Each records whether the deadline has passed.
    const sim = new Simulator();
    const deadlines = sim.lazyExpiry(Phase.ALLOCATE);
    const stamp = new Float64Array(STAMP_SIZE);
    const seen: string[] = [];
    const h = sim.register('look', (i) => seen.push(`${i}:${deadlines.passed(stamp, 0)}`));
    sim.at(10, Phase.ALLOCATE, h, 1);
    deadlines.stamp(10, stamp, 0);
    sim.at(10, Phase.ARRIVAL, h, 2);
    sim.at(10, Phase.ALLOCATE, h, 3);
    sim.at(10, Phase.OFFER, h, 4);
    sim.at(9, Phase.OFFER, h, 5);
    sim.run();
    expect(seen).toEqual(['5:false', '2:false', '1:false', '3:true', '4:true']);
  });

  test('a deadline of Infinity never passes and takes no seq', () => {
    const sim = new Simulator();
    const deadlines = sim.lazyExpiry(Phase.RELEASE);
    const stamp = new Float64Array(STAMP_SIZE);
    const seen: boolean[] = [];
    const h = sim.register('look', () => seen.push(deadlines.passed(stamp, 0)));
    deadlines.stamp(Infinity, stamp, 0);
    // The next event is scheduled with seq 0: the stamp took none.
    sim.at(2 ** 44, Phase.END, h, 0);
    sim.step();
    expect([seen, sim.seq]).toEqual([[false], 0]);
  });

  test('an imagined event orders exactly as the same event scheduled', () => {
    // Property: schedule random events; at random points also "imagine" one (stamp a deadline).
    // Run it twice: once with every imagined event really scheduled (recording where each ran
    // relative to the others), once imagined only (asking whether its deadline has passed from
    // every real event). Each real event must see an imagined one as passed exactly when it ran
    // after it. The stamps are taken at time 0, so a deadline's delay is its time.
    const ev = fc.record({
      delay: fc.integer({ min: 0, max: 5 }),
      phase: fc.constantFrom(Phase.ARRIVAL, Phase.ALLOCATE, Phase.MESSAGE),
      imagined: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 30 }), (evs) => {
        const real = (scheduleImagined: boolean): boolean[][] => {
          const sim = new Simulator();
          const byPhase = new Map<Phase, LazyExpiry>();
          const deadlinesIn = (p: Phase): LazyExpiry => {
            let d = byPhase.get(p);
            if (d === undefined) byPhase.set(p, (d = sim.lazyExpiry(p)));
            return d;
          };
          const stamps = new Float64Array(evs.length * STAMP_SIZE);
          const seen: boolean[][] = [];
          const ran = new Set<number>();
          const imagined: number[] = [];
          const h = sim.register('e', (i) => {
            if (evs[i]!.imagined) ran.add(i);
            else seen.push(imagined.map((m) => (scheduleImagined ? ran.has(m) : deadlinesIn(evs[m]!.phase).passed(stamps, m * STAMP_SIZE))));
          });
          evs.forEach((e, i) => {
            if (e.imagined) imagined.push(i);
            if (e.imagined && !scheduleImagined) deadlinesIn(e.phase).stamp(e.delay, stamps, i * STAMP_SIZE);
            else sim.at(e.delay, e.phase, h, i);
          });
          sim.run();
          return seen;
        };
        expect(real(false)).toEqual(real(true));
      }),
      FC,
    );
  });
});
