/**
 * Client handles are branded: a framework index, an agent index or a plain number passed where a
 * sorter expects one of its handles does not compile (the `@ts-expect-error` lines are the test;
 * `npm run typecheck` fails when one of them compiles), and the handles a walk gives are the
 * sorter's own, which it takes back.
 */
import { describe, expect, test } from '@jest/globals';
import { RandomStream } from '../../sim/kernel/rng.js';
import { agentIx, frameworkIx } from '../../sim/model/ids.js';
import { resources } from '../../sim/model/resources.js';
import { createSorter } from './registry.js';
import { NO_CLIENT, type ClientHandle, type Sorter } from './sorter.js';

/** Type-checked, never called: each misuse below must be a compile error. */
function misuses(sorter: Sorter): void {
  const res = resources({ cpus: 1 });
  // @ts-expect-error a framework index is not a client handle
  sorter.allocatedAt(frameworkIx(0), res);
  // @ts-expect-error an agent index is not a client handle
  sorter.clientOf(agentIx(0));
  // @ts-expect-error a plain number is not a client handle
  sorter.allocatedAt(0, res);
  // @ts-expect-error a walk gives client handles, not framework indices
  const fw: ReturnType<typeof frameworkIx> = sorter.first(new RandomStream(1, 'x'));
  void fw;
}

describe('client handles', () => {
  test("a walk gives the sorter's own handles, which name its clients", () => {
    // drf over a and b, with a holding 1 cpu of 10: b (share 0) first, then a (0.1).
    const sorter = createSorter('drf', {});
    sorter.addTotal(resources({ cpus: 10 }));
    for (const c of ['a', 'b']) {
      sorter.add(c);
      sorter.activate(c);
    }
    sorter.allocated('a', resources({ cpus: 1 }));
    const walked: string[] = [];
    for (let h: ClientHandle = sorter.first(new RandomStream(1, 'x')); h !== NO_CLIENT; h = sorter.next()) walked.push(sorter.clientOf(h));
    expect(walked).toEqual(['b', 'a']);
    expect(sorter.clientOf(sorter.handleOf('a'))).toBe('a');
    expect(typeof misuses).toBe('function');
  });
});
