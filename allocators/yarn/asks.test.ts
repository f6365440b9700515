/**
 * An application's requests and the calculators, hand-worked against the rules of Hadoop's
 * LocalityAppPlacementAllocator and its resource calculators (see asks.ts and calculator.ts for
 * the sources).
 */
import { describe, expect, test } from '@jest/globals';
import { ANY, type ResourceAsk } from '../../sim/model/yarn-port.js';
import { amounts, resources, type ResourceVector } from '../../sim/model/resources.js';
import { AppAsks } from './asks.js';
import { ResourceCalculator } from './calculator.js';

const cap = resources({ mem: 1024, cpus: 1 });
const same = (v: ResourceVector): ResourceVector => v.slice();
function ask(priority: number, resourceName: string, numContainers: number, relaxLocality = true): ResourceAsk {
  return { priority, resourceName, capability: cap, numContainers, relaxLocality };
}

describe('AppAsks', () => {
  test('a node-local container takes one from its host, its rack and ANY; ANY at 0 drops the priority', () => {
    // Two containers wanted at priority 20, both preferring h1 on r1: h1 2, r1 2, ANY 2.
    const a = new AppAsks();
    a.update([ask(20, 'h1', 2), ask(20, 'r1', 2), ask(20, ANY, 2)], same);
    expect(a.priorities()).toEqual([20]);
    expect(a.uniqueLocationAsks(20)).toBe(3);
    a.allocate(20, 'node-local', 'h1', 'r1');
    // h1 1, r1 1, ANY 1.
    expect([a.get(20, 'h1')!.numContainers, a.get(20, 'r1')!.numContainers, a.outstanding(20)]).toEqual([1, 1, 1]);
    // Off-switch on h9 of r9 takes only ANY's: ANY 0, so the priority has nothing outstanding;
    // h1 and r1 stay (stale) until the AM asks again.
    a.allocate(20, 'off-switch', 'h9', 'r9');
    expect(a.priorities()).toEqual([]);
    expect(a.outstanding(20)).toBe(0);
    expect(a.get(20, 'h1')!.numContainers).toBe(1);
    expect(a.uniqueLocationAsks(20)).toBe(2);
  });

  test('a request replaces its (priority, name), and one asking 0 still counts as a location ask', () => {
    const a = new AppAsks();
    a.update([ask(5, 'h1', 3), ask(5, 'r1', 3), ask(5, ANY, 3)], same);
    a.update([ask(5, 'h1', 0), ask(5, ANY, 1)], same);
    expect(a.get(5, 'h1')!.numContainers).toBe(0);
    expect(a.outstanding(5)).toBe(1);
    expect(a.uniqueLocationAsks(5)).toBe(3);
    // h1 asks 0: not node-local there; r1 still asks 3, so rack-local is allowed.
    expect(a.canAllocate(5, 'node-local', 'h1', 'r1')).toBe(false);
    expect(a.canAllocate(5, 'rack-local', 'h1', 'r1')).toBe(true);
    expect(() => a.allocate(5, 'node-local', 'h1', 'r1')).toThrow(/no request asks/);
  });

  test('priorities are visited lowest number first; relaxLocality false forbids going past that name', () => {
    const a = new AppAsks();
    a.update([ask(20, ANY, 1), ask(10, 'r2', 1, false), ask(10, ANY, 1)], same);
    expect(a.priorities()).toEqual([10, 20]);
    expect(a.canDelayTo(10, 'r2')).toBe(false);
    expect(a.canDelayTo(10, 'r7')).toBe(true);
    expect(a.totalOutstanding()).toBe(2);
  });
});

describe('ResourceCalculator', () => {
  const min = resources({ mem: 1024, cpus: 1 });
  const max = resources({ mem: 8192, cpus: 4 });
  test('memory (Hadoop default): 1500 MB rounds up to 2048 MB, and the container gets 1 vcore whatever it asked', () => {
    const c = new ResourceCalculator('memory');
    expect(amounts(c.normalise(resources({ mem: 1500, cpus: 3 }), min, max, min))).toEqual({ cpus: 1, mem: 2048, disk: 0, gpus: 0 });
    // 9000 MB is capped at the maximum, 8192.
    expect(amounts(c.normalise(resources({ mem: 9000 }), min, max, min)).mem).toBe(8192);
    // Fits by memory alone: 2 GB and 64 cpus fit in 4 GB and 1 cpu.
    expect(c.fitsIn(resources({ mem: 2048, cpus: 64 }), resources({ mem: 4096, cpus: 1 }))).toBe(true);
  });
  test('dominant: every resource counts; compares the largest share of the cluster first', () => {
    const c = new ResourceCalculator('dominant');
    expect(amounts(c.normalise(resources({ mem: 1500, cpus: 3 }), min, max, min))).toEqual({ cpus: 3, mem: 2048, disk: 0, gpus: 0 });
    expect(c.fitsIn(resources({ mem: 2048, cpus: 2 }), resources({ mem: 4096, cpus: 1 }))).toBe(false);
    // Cluster 100 cpus, 1000 GB: a = (10 cpus, 10 GB) has shares 0.1 and 0.01; b = (5 cpus, 80 GB)
    // has 0.05 and 0.08. Largest first: 0.1 > 0.08, so a is larger; ratio a / b = 0.1 / 0.08 = 1.25.
    const cluster = resources({ cpus: 100, mem: 1024000 });
    const a = resources({ cpus: 10, mem: 10240 });
    const b = resources({ cpus: 5, mem: 81920 });
    expect(c.compare(cluster, a, b)).toBeGreaterThan(0);
    expect(c.ratio(cluster, a, b)).toBeCloseTo(1.25, 12);
    expect(c.containersIn(resources({ cpus: 8, mem: 8192 }), resources({ cpus: 3, mem: 1024 }))).toBe(2);
  });
});
