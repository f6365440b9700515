/**
 * Offers in batches: the batch behaviour answering a delivery as columns (onOfferBatch) makes the
 * same run, record for record, as answering it as views (onOffers): differential, on runs with
 * delay scheduling, with decision time (offers held across events), with failures, and with
 * several frameworks; and the column path is the one taken when it exists.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { loadScenario } from '../../../scenarios/loader.js';
import { simulateScenario } from '../../../scenarios/run.js';
import type { OfferBatch, SchedulerDriver } from '../framework.js';
import { BatchFramework } from './batch.js';

const proto = BatchFramework.prototype as { onOfferBatch?: ((o: OfferBatch, d: SchedulerDriver) => void) | undefined };
const columns = proto.onOfferBatch!;
afterEach(() => {
  proto.onOfferBatch = columns;
});

/** Fingerprint and offer count of a run of `file`, and how many deliveries went to onOfferBatch. */
function run(file: string, overrides: readonly string[]): { fingerprint: string; offers: number; batches: number } {
  let batches = 0;
  if (proto.onOfferBatch !== undefined) {
    proto.onOfferBatch = function (this: BatchFramework, o: OfferBatch, d: SchedulerDriver) {
      batches++;
      columns.call(this, o, d);
    };
  }
  const o = simulateScenario(loadScenario(file, overrides));
  return { fingerprint: o.fingerprint, offers: o.metrics.summary.offersSent, batches };
}

describe('batch behaviour: offers as columns or as views', () => {
  test.each([
    ['scenarios/examples/locality.yaml', []],
    ['scenarios/golden/small.yaml', []],
    // decision time: the batch behaviour holds offers (views) across events and answers them later
    ['scenarios/golden/small.yaml', ['frameworks.0.behaviour={kind: batch, refuseSeconds: 2, decisionJob: 0.5, decisionTask: 0.05}']],
    // ten thousand agents, delay scheduling, four frameworks (20 s of the benchmark's day)
    ['bench/day.yaml', ['duration=20']],
  ] as const)('%s %j: the same fingerprint', (file, overrides) => {
    const batch = run(file, overrides);
    proto.onOfferBatch = undefined;
    const views = run(file, overrides);
    expect(batch.offers).toBeGreaterThan(0);
    // The column path ran (every delivery to a batch framework), the view path did not.
    expect(batch.batches).toBeGreaterThan(0);
    expect(views.batches).toBe(0);
    expect(batch.fingerprint).toBe(views.fingerprint);
  });
});
