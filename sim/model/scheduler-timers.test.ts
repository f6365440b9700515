/**
 * A scheduler's timers (SchedulerDriver.after): a delay of 0 runs later in the same instant, in the
 * message phase, or in the phase it was set from when that comes later (an offer's answer is
 * given in the offer phase); a positive delay runs in the message phase of its instant.
 */
import { describe, expect, test } from '@jest/globals';
import { getAllocator } from '../../allocators/registry.js';
import { seconds } from '../kernel/time.js';
import type { OfferView, SchedulerDriver } from './framework.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';

/** One agent of 2 cpus, one framework with one 1-cpu job at 0; each offer is declined through a timer of `delay` s. */
function run(delay: number) {
  const sink = new RecordingSink();
  const order: string[] = [];
  const f = new ScriptedFramework((o: OfferView, d: SchedulerDriver) => {
    order.push(`offer ${o.id} at ${d.now}`);
    d.after(delay, () => {
      order.push(`timer at ${d.now}`);
      d.decline(o.id, 1000);
    });
    order.push(`answered ${o.id}`);
    return { kind: 'hold' };
  });
  simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [{ name: 'a1', rack: 'r', res: resources({ cpus: 2 }) }],
    frameworks: [{ name: 'f', role: '*', behaviour: f }],
    weights: new Map(),
    jobs: [{ id: 'j', framework: 'f', submit: seconds(0), tasks: [{ res: resources({ cpus: 1 }), duration: seconds(1) }] }],
    sinks: [sink],
    horizon: seconds(5),
    duration: seconds(5),
  });
  return { order, records: sink.records };
}

describe('SchedulerDriver.after', () => {
  test('0 from onOffers: later in the same instant, after onOffers returned', () => {
    const { order, records } = run(0);
    // The first offer goes out at t=0 (the framework's registration triggers a run); the timer
    // declines it in the same instant, after the answer returned.
    expect(order.slice(0, 3)).toEqual(['offer 0 at 0', 'answered 0', 'timer at 0']);
    const declined = records.find((r) => r.kind === 'offer_declined');
    expect(declined?.t).toBe(0);
  });

  test('a positive delay: that much later, in the message phase', () => {
    const { order, records } = run(0.5);
    expect(order.slice(0, 3)).toEqual(['offer 0 at 0', 'answered 0', 'timer at 500000']);
    expect(records.find((r) => r.kind === 'offer_declined')?.t).toBe(500_000);
  });
});
