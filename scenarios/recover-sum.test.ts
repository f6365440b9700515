/**
 * A delivery's recovers told to the allocator summed (Allocator.recoverSum, OfferBook.settle):
 * differential against one recover per offer, the path every allocator without `recoverSum`
 * takes. Both runs must log the same records, and the allocator must see the same state at every
 * call other than a recover: at each such call a spy writes down how much each framework has
 * recovered in total so far, and the two runs must write the same lines. A run that told the
 * allocator late (a settle missing before suppress, revive or kill, or at a delivery's end) would
 * write a smaller total at that call, or put it at another call.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAllocator } from '../allocators/registry.js';
import type { AllocatorEntry } from '../allocators/types.js';
import type { Allocator } from '../sim/model/allocation-port.js';
import { NUM_RESOURCES, type ResourceVector } from '../sim/model/resources.js';
import { simulate } from '../sim/model/simulation.js';
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { buildSimulation } from './build.js';
import { parseScenarioText } from './loader.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What the spy saw of one run. */
interface Seen {
  /** one line per allocator call other than a recover: its name and each framework's total recovered so far */
  readonly lines: string[];
  recovers: number;
  sums: number;
}

/**
 * `entry`, its allocators wrapped in a spy; with `sums` false the spy hides `recoverSum`, so the
 * master recovers per offer.
 */
function spied(entry: AllocatorEntry, sums: boolean, seen: Seen): AllocatorEntry {
  const recovered = new Map<number, number[]>();
  const add = (fw: number, res: ResourceVector): void => {
    const total = recovered.get(fw) ?? new Array<number>(NUM_RESOURCES).fill(0);
    for (let r = 0; r < NUM_RESOURCES; r++) total[r]! += res[r]!;
    recovered.set(fw, total);
  };
  const state = (): string =>
    [...recovered.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([fw, t]) => `${fw}:${t.join(',')}`)
      .join(' ');
  return {
    ...entry,
    create: (options) => {
      const inner = entry.create(options);
      return new Proxy(inner, {
        get(target, prop, receiver): unknown {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (typeof value !== 'function') return value;
          if (prop === 'recoverSum') {
            if (!sums) return undefined;
            return (fw: number, res: ResourceVector, reserved?: ResourceVector) => {
              seen.sums++;
              add(fw, res);
              (value as Allocator['recoverSum'])!.call(target, fw as never, res, reserved);
            };
          }
          if (prop === 'recover') {
            return (fw: number, agent: number, res: ResourceVector, reserved?: ResourceVector) => {
              seen.recovers++;
              add(fw, res);
              (value as Allocator['recover']).call(target, fw as never, agent as never, res, reserved);
            };
          }
          return (...args: unknown[]) => {
            seen.lines.push(`${String(prop)} ${state()}`);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
  };
}

function run(file: string, allocator: string, sums: boolean): { records: string; seen: Seen } {
  const { scenario } = parseScenarioText(readFileSync(join(ROOT, file), 'utf8'), file, [`allocator=${allocator}`]);
  const seen: Seen = { lines: [], recovers: 0, sums: 0 };
  const sink = new RecordingSink();
  simulate(buildSimulation(scenario, scenario.seed, [sink], spied(getAllocator(allocator)!, sums, seen)));
  return { records: JSON.stringify(sink.records), seen };
}

describe('a delivery recovered in one call equals one recover per offer', () => {
  // quickstart: batch and delay scheduling; policies: four frameworks under contention;
  // reservations: reserved parts recovered; failures: kills, rescinds, lost agents, decision time;
  // gang-service: hoarded offers and services; quota: stage 1 and the quota's consumed sums (one
  // offer per delivery there, so no call is saved).
  const cases: [string, string][] = [
    ['scenarios/examples/quickstart.yaml', 'drf'],
    ['scenarios/examples/quickstart.yaml', 'priority'],
    ['scenarios/examples/policies.yaml', 'drf'],
    ['scenarios/examples/policies.yaml', 'fifo'],
    ['scenarios/examples/reservations.yaml', 'drf'],
    ['scenarios/examples/failures.yaml', 'drf'],
    ['scenarios/examples/gang-service.yaml', 'drf'],
    ['scenarios/examples/locality.yaml', 'random'],
    ['scenarios/mesos/quota-provides-guarantee.yaml', 'drf'],
  ];
  test.each(cases)('%s under %s: the same records, and the allocator sees the same totals at every other call', (file, allocator) => {
    const plain = run(file, allocator, false);
    const summed = run(file, allocator, true);
    expect(summed.records).toBe(plain.records);
    expect(summed.seen.lines.length).toBe(plain.seen.lines.length);
    expect(summed.seen.lines).toEqual(plain.seen.lines);
    // The feature did something: the per-offer path never sums, the summed path makes fewer calls.
    expect(plain.seen.sums).toBe(0);
    expect(summed.seen.sums).toBeGreaterThan(0);
    if (file.includes('quota')) expect(summed.seen.recovers + summed.seen.sums).toBe(plain.seen.recovers);
    else expect(summed.seen.recovers + summed.seen.sums).toBeLessThan(plain.seen.recovers);
  });
});
