/**
 * The branded indices: one kind of index passed where another is expected does not compile. The
 * `@ts-expect-error` lines are the test (`npm run typecheck` fails when one of them compiles, e.g.
 * with a brand removed); the calls sit in a function that never runs, and the runtime checks only
 * that a brand costs nothing.
 */
import { describe, expect, test } from '@jest/globals';
import type { AllocationContext, Allocator } from './allocation-port.js';
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from './framework.js';
import { agentIx, frameworkIx, jobIx, taskIx, type AgentIx, type FrameworkIx } from './ids.js';
import { resources } from './resources.js';

/** Type-checked, never called: each misuse below must be a compile error. */
function misuses(allocator: Allocator, ctx: AllocationContext, driver: SchedulerDriver, behaviour: FrameworkBehaviour, offer: OfferView): void {
  const agent = agentIx(0);
  const fw = frameworkIx(1);
  const res = resources({ cpus: 1 });
  // @ts-expect-error an agent index where a framework index is expected (and the reverse)
  allocator.recover(agent, fw, res);
  // @ts-expect-error a plain number is not an agent index
  allocator.addAgent(0, res);
  // @ts-expect-error a framework index is not an agent index
  ctx.offer(fw, fw, res);
  // @ts-expect-error the offer's agent is not a framework index
  ctx.isFiltered(offer.agent, agent, res);
  // @ts-expect-error an agent index is not a task index
  driver.accept(offer.id, [agent]);
  // @ts-expect-error a job index is not a task index
  driver.kill(jobIx(0));
  // @ts-expect-error a task index is not a job index
  driver.restartJob(taskIx(0));
  // @ts-expect-error a framework index is not a job index
  behaviour.onJobSubmitted(fw, driver);
  // @ts-expect-error the policy's order is of framework indices, not agent indices
  const order: readonly AgentIx[] = allocator.frameworkOrder!({ next: () => 0 });
  // Each index where it belongs compiles.
  allocator.recover(fw, agent, res);
  ctx.offer(fw, offer.agent, res);
  const ranked: readonly FrameworkIx[] = allocator.frameworkOrder!({ next: () => 0 });
  void order;
  void ranked;
}

describe('branded indices', () => {
  test('cost nothing at run time: each constructor returns the number it was given', () => {
    expect([agentIx(3), frameworkIx(4), taskIx(5), jobIx(6)]).toEqual([3, 4, 5, 6]);
    expect(typeof misuses).toBe('function');
  });
});
