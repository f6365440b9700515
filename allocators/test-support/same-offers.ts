/**
 * A property for policies that differ from DRF only in how they weigh resources: on a cluster
 * whose agents have cpus and nothing else, every such share is the cpus share, so the policy
 * must offer exactly what its reference offers. Test-only (excluded from the build); imports the
 * fake master, allocator types, the pure resource helpers and the seeded stream.
 */
import fc from 'fast-check';
import { RandomStream } from '../../sim/kernel/rng.js';
import { resources } from '../../sim/model/resources.js';
import type { Allocator } from '../../sim/model/allocation-port.js';
import { MiniMaster } from './fake-context.js';

/**
 * Over random cpus-only clusters (agents, frameworks in roles 'a', 'b', 'a/x') and recoveries
 * between runs, `policy()` and `reference()` make the same offers, run after run, from the same
 * seeded stream. `seed` is fast-check's; `numRuns` default 150.
 */
export function expectSameOffersOnCpusOnlyClusters(policy: () => Allocator, reference: () => Allocator, seed: number, numRuns = 150): void {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.constantFrom('a', 'b', 'a/x'), { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(40), { maxLength: 8 }),
      fc.integer(),
      (cpus, roles, recoveries, streamSeed) => {
        const play = (allocator: Allocator) => {
          const m = new MiniMaster(allocator, cpus.length);
          roles.forEach((role, i) => m.addFramework(`f${i}`, role));
          for (const c of cpus) m.addAgent(resources({ cpus: c }));
          const rng = new RandomStream(streamSeed, 'p');
          const log = [m.run(rng).map((o) => [o.fw, o.agent])];
          for (const pick of recoveries) {
            if (m.held.length > 0) m.recover(m.held[pick % m.held.length]!);
            log.push(m.run(rng).map((o) => [o.fw, o.agent]));
          }
          return log;
        };
        expect(play(policy())).toEqual(play(reference()));
      },
    ),
    { seed, numRuns },
  );
}
