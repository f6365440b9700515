/**
 * Proportional preemption against Hadoop's TestProportionalCapacityPreemptionPolicy (resourcemanager's
 * src/test/java/.../monitor/capacity/), whose setup takes back the whole imbalance in one run
 * (total_preemption_per_round and natural_termination_factor 1.0, max wait 10 s): the queues are
 * filled through heartbeats with 1 GB containers on a 100 GB cluster, so one Hadoop unit is 1 GB.
 */
import { describe, expect, test } from '@jest/globals';
import { ANY, type ContainerGrant, type ResourceAsk } from '../../sim/model/yarn-port.js';
import { R, resources, type ResourceVector } from '../../sim/model/resources.js';
import { CapacityScheduler } from './capacity.js';
import { DEFAULT_CAPACITY_OPTIONS, type CapacityOptions, type CapacityQueueOptions } from './capacity-options.js';

const GB = 1024;
const SECOND = 1_000_000;

function ask(n: number): ResourceAsk {
  return { priority: 1, resourceName: ANY, capability: resources({ mem: GB, cpus: 1 }), numContainers: n, relaxLocality: true };
}

/** Hadoop's test setup: preemption on, the whole imbalance per run, 10 s before a kill. */
function scheduler(queues: CapacityQueueOptions[], nodes: number): CapacityScheduler {
  const o: CapacityOptions = {
    ...DEFAULT_CAPACITY_OPTIONS,
    queues,
    maxOffswitchAssignments: 100,
    preemption: {
      ...DEFAULT_CAPACITY_OPTIONS.preemption,
      enabled: true,
      maxWaitBeforeKill: 10 * SECOND,
      totalPreemptionPerRound: 1,
      naturalTerminationFactor: 1,
    },
  };
  const cs = new CapacityScheduler(o);
  for (let i = 0; i < nodes; i++) cs.addNode({ index: i, host: `h${i}`, rack: 'r0', total: resources({ mem: 10 * GB, cpus: 16 }) });
  return cs;
}

/** Queues a, b, c at 40 / 40 / 20 % (Hadoop's "abs" row), maximum 100 %, no user-limit cap (so one app may hold 60 %). */
const ABC: CapacityQueueOptions[] = [
  { path: 'root.a', capacity: 40, userLimitFactor: -1 },
  { path: 'root.b', capacity: 40, userLimitFactor: -1 },
  { path: 'root.c', capacity: 20, userLimitFactor: -1 },
];

/** Apps 0, 1, 2 in a, b, c holding `used` GB each (through heartbeats of every node), then app 0 asking `pending` more. */
function filled(used: [number, number, number], pending: number): CapacityScheduler {
  const cs = scheduler(ABC, 10);
  ['root.a', 'root.b', 'root.c'].forEach((queue, id) => {
    cs.addApp({ id, name: `app${id}`, queue, user: `u${id}`, priority: 0, submitted: id }, null, 0);
    if (used[id]! > 0) cs.updateAsks(id, [ask(used[id]!)], 0);
  });
  for (let i = 0; i < 10; i++) cs.nodeUpdate(i, 0, []);
  const u = new Float64Array(4);
  expect(['root.a', 'root.b', 'root.c'].map((q) => (cs.queueUsage(q, u, new Float64Array(4)), u[R.mem]! / 1000 / GB))).toEqual(used);
  cs.updateAsks(0, [ask(pending)], 0);
  return cs;
}

const appOf = (cs: CapacityScheduler, ids: readonly number[]): number[] => ids.map((id) => cs.liveContainers().find((c) => c.id === id)!.app);

describe('CapacityScheduler preemption (Hadoop TestProportionalCapacityPreemptionPolicy)', () => {
  test('Y10 testPreemptCycle: guarantees 40/40/20, used 0/60/40, A pending 10: 10 containers from C, none from B', () => {
    // ideal: A 10 (its pending), then B and C share the remaining 90 by guarantee, 60 / 30:
    // B keeps its 60, C gives back 40 - 30 = 10
    const cs = filled([0, 60, 40], 10);
    expect(cs.update(0)).toEqual([]);
    const marked = cs.markedContainers();
    expect(marked.length).toBe(10);
    expect(new Set(appOf(cs, marked))).toEqual(new Set([2]));
  });

  test('Y10 testExpireKill: marked at 0, still only marked at 5 s, killed after the 10 s wait', () => {
    const cs = filled([0, 60, 40], 10);
    expect(cs.update(0)).toEqual([]);
    const marked = [...cs.markedContainers()];
    expect(cs.update(5 * SECOND)).toEqual([]);
    expect(cs.markedContainers()).toEqual(marked);
    const killed = cs.update(10 * SECOND + 1);
    expect(killed).toEqual(marked);
    expect(new Set(appOf(cs, killed))).toEqual(new Set([2]));
    expect(cs.markedContainers()).toEqual([]);
  });

  test('Y10 testDeadzone: B at 43 and C at 21 are within guarantee x 1.1 (44, 22): nothing is taken', () => {
    // Hadoop's mock holds 39 / 43 / 21 on a cluster of 100; here A holds 36 so that the total is
    // the cluster's 100. Without the dead zone B would give back 3 and C 1 (ideal 40 / 40 / 20).
    const cs = filled([36, 43, 21], 10);
    expect(cs.update(0)).toEqual([]);
    expect(cs.markedContainers()).toEqual([]);
  });
});

describe('CapacityScheduler preemption: which containers', () => {
  test("the newest application's containers first, lower priorities and newer containers first, AM containers last", () => {
    // 10 GB node; a 90 %, b 10 % (1 GB). a holds 5 GB; in b, app 1 holds its AM and one task, app 2
    // its AM and two tasks (5 GB). a asks 4 more: ideal a 9, b 1, so b gives back 4: app 2's newer
    // task, its older one, app 1's task, then an AM container, app 2's (the newest application's).
    const cs = scheduler(
      [
        { path: 'root.a', capacity: 90 },
        { path: 'root.b', capacity: 10, userLimitFactor: -1, maximumAmResourcePercent: 1 },
      ],
      1,
    );
    const am = resources({ mem: GB, cpus: 1 });
    cs.addApp({ id: 0, name: 'a0', queue: 'root.a', user: 'u0', priority: 0, submitted: 0 }, null, 0);
    cs.updateAsks(0, [ask(5)], 0);
    cs.addApp({ id: 1, name: 'b1', queue: 'root.b', user: 'u1', priority: 0, submitted: 1 }, am, 0);
    cs.addApp({ id: 2, name: 'b2', queue: 'root.b', user: 'u2', priority: 0, submitted: 2 }, am, 0);
    const out: ContainerGrant[] = [];
    cs.nodeUpdate(0, 0, out);
    cs.updateAsks(1, [ask(1)], 0);
    cs.updateAsks(2, [ask(2)], 0);
    cs.nodeUpdate(0, 0, out);
    const used: ResourceVector = new Float64Array(4);
    cs.nodeAllocated(0, used);
    expect(used[R.mem]).toBe(10 * GB * 1000);
    cs.updateAsks(0, [ask(4)], 0);
    cs.update(0);
    const ids = (app: number, isAm: boolean): number[] => out.filter((g) => g.app === app && g.am === isAm).map((g) => g.id);
    const [older, newer] = ids(2, false);
    expect(cs.markedContainers()).toEqual([newer, older, ...ids(1, false), ...ids(2, true)]);
  });

  test('off by default: no monitor interval, nothing marked', () => {
    const cs = new CapacityScheduler(DEFAULT_CAPACITY_OPTIONS);
    expect(cs.updateInterval).toBe(0);
    expect(scheduler(ABC, 1).updateInterval).toBe(3 * SECOND);
  });
});
