/**
 * The CapacityScheduler against Hadoop's own unit tests (TestLeafQueue in resourcemanager's
 * src/test/java/.../scheduler/capacity/), driven as they drive a LeafQueue: nodes, applications and
 * requests, then one heartbeat per Hadoop assignContainers call (multiple assignments off, so a
 * heartbeat is one walk), plus hand-worked tests of what those leave out.
 */
import { describe, expect, test } from '@jest/globals';
import { ANY, type ContainerGrant, type ResourceAsk, type YarnAppInfo } from '../../sim/model/yarn-port.js';
import { R, resources, type ResourceVector } from '../../sim/model/resources.js';
import { CapacityScheduler } from './capacity.js';
import { DEFAULT_CAPACITY_OPTIONS, validateCapacityOptions, type CapacityOptions, type CapacityQueueOptions } from './capacity-options.js';

const GB = 1024;
const PRIORITY = 1;

/** TestLeafQueue.setupQueueConfiguration, without its extra level: a 8.5/20, b 80/99, c 1.5/10 (c1), d 9/11, e 1/1. */
const HADOOP_TEST_QUEUES: CapacityQueueOptions[] = [
  { path: 'root.a', capacity: 8.5, maximumCapacity: 20 },
  { path: 'root.b', capacity: 80, maximumCapacity: 99 },
  { path: 'root.c', capacity: 1.5, maximumCapacity: 10 },
  { path: 'root.c.c1', capacity: 100 },
  { path: 'root.d', capacity: 9, maximumCapacity: 11 },
  { path: 'root.e', capacity: 1, maximumCapacity: 1 },
];

function scheduler(over: Partial<CapacityOptions> = {}): CapacityScheduler {
  return new CapacityScheduler({ ...DEFAULT_CAPACITY_OPTIONS, ...over });
}
function node(cs: CapacityScheduler, index: number, host: string, rack: string, memGB: number): void {
  cs.addNode({ index, host, rack, total: resources({ mem: memGB * GB, cpus: 16 }) });
}
function app(id: number, queue: string, user: string): YarnAppInfo {
  return { id, name: `app_${id}`, queue, user, priority: 0, submitted: id };
}
function ask(resourceName: string, memGB: number, n: number, priority = PRIORITY): ResourceAsk {
  return { priority, resourceName, capability: resources({ mem: memGB * GB, cpus: 1 }), numContainers: n, relaxLocality: true };
}
const v = (): ResourceVector => new Float64Array(4);
function usedGB(cs: CapacityScheduler, id: number): number {
  const out = v();
  cs.appUsed(id, out);
  return out[R.mem]! / 1000 / GB;
}
function queueGB(cs: CapacityScheduler, queue: string): number {
  const used = v();
  cs.queueUsage(queue, used, v());
  return used[R.mem]! / 1000 / GB;
}
/** One heartbeat of `index`: the grants it made. */
function beat(cs: CapacityScheduler, index: number, now = 0): ContainerGrant[] {
  const out: ContainerGrant[] = [];
  cs.nodeUpdate(index, now, out);
  return out;
}

describe('CapacityScheduler: delay scheduling (Hadoop TestLeafQueue)', () => {
  test('Y1 testLocalityScheduling: off-switch at the 4th opportunity of 3 nodes, node-local resets, rack delay and full reset, the cap at N', () => {
    const cs = scheduler({ queues: HADOOP_TEST_QUEUES, multipleAssignments: false });
    node(cs, 0, '127.0.0.1', 'rack_0', 8);
    node(cs, 1, '127.0.0.2', 'rack_1', 8);
    node(cs, 2, '127.0.0.3', 'rack_2', 8);
    cs.addApp(app(0, 'root.b', 'user_0'), null, 0);
    cs.updateAsks(0, [ask('127.0.0.1', 1, 1), ask('rack_0', 1, 1), ask('127.0.0.2', 1, 1), ask('rack_1', 1, 1), ask(ANY, 1, 3)], 0);
    // L = 5 location asks, C = 3, N = 3: off-switch once missed > min(3, 3 x min(4/3, 1)) = 3
    for (let i = 1; i <= 3; i++) {
      expect(beat(cs, 2)).toEqual([]);
      expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(i);
      expect(cs.outstanding(0, PRIORITY)).toBe(3);
    }
    let g = beat(cs, 2);
    expect(g.map((x) => x.locality)).toEqual(['off-switch']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(4); // off-switch does not reset
    expect(cs.outstanding(0, PRIORITY)).toBe(2);
    g = beat(cs, 0);
    expect(g.map((x) => x.locality)).toEqual(['node-local']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(0);
    expect(cs.outstanding(0, PRIORITY)).toBe(1);
    g = beat(cs, 1);
    expect(g.map((x) => x.locality)).toEqual(['node-local']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(0);
    expect(cs.outstanding(0, PRIORITY)).toBe(0);

    // "Add 1 more request to check for RACK_LOCAL", on node_3 (rack_1), node-locality-delay 1
    node(cs, 3, '127.0.0.4', 'rack_1', 8);
    cs.updateAsks(0, [ask('127.0.0.2', 1, 1), ask('rack_1', 1, 3), ask(ANY, 1, 4)], 0);
    expect(cs.outstanding(0, PRIORITY)).toBe(4);
    cs.reconfigure({ nodeLocalityDelay: 1, rackLocalityFullReset: true });
    expect(beat(cs, 3)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(1);
    expect(cs.outstanding(0, PRIORITY)).toBe(4);
    g = beat(cs, 3);
    expect(g.map((x) => x.locality)).toEqual(['rack-local']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(0); // full reset
    expect(cs.outstanding(0, PRIORITY)).toBe(3);
    expect(beat(cs, 3)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(1);
    cs.reconfigure({ rackLocalityFullReset: false });
    g = beat(cs, 3);
    expect(g.map((x) => x.locality)).toEqual(['rack-local']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(2); // no reset
    expect(cs.outstanding(0, PRIORITY)).toBe(2);
    g = beat(cs, 3);
    expect(g.map((x) => x.locality)).toEqual(['rack-local']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(3);
    expect(cs.outstanding(0, PRIORITY)).toBe(1);

    // "OFF_SWITCH delay is capped by cluster size": back to Hadoop's 3 nodes (node_3 leaves;
    // Hadoop's test never counts it), 100 containers asked, still the 4th opportunity
    for (const c of cs.liveContainers()) if (c.node === 3) cs.completeContainer(c.id, 0);
    cs.removeNode(3);
    cs.resetSchedulingOpportunities(0, PRIORITY);
    cs.updateAsks(0, [ask('127.0.0.1', 1, 100), ask('rack_0', 1, 100), ask(ANY, 1, 100)], 0);
    for (let i = 1; i <= 3; i++) {
      expect(beat(cs, 2)).toEqual([]);
      expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(i);
    }
    g = beat(cs, 2);
    expect(g.map((x) => x.locality)).toEqual(['off-switch']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(4);
  });

  test('Y2 testRackLocalityDelayScheduling: delay 2 + additional 1 on 5 nodes, then additional 10 capped at 5', () => {
    const cs = scheduler({ queues: HADOOP_TEST_QUEUES, multipleAssignments: false, nodeLocalityDelay: 2, rackLocalityAdditionalDelay: 1 });
    node(cs, 0, '127.0.0.3', 'rack_2', 8); // Hadoop's node2
    node(cs, 1, '127.0.0.4', 'rack_3', 8); // Hadoop's node3
    // three more nodes that never heartbeat: Hadoop's test reports 5 cluster nodes
    for (let i = 2; i < 5; i++) node(cs, i, `10.0.0.${i}`, 'rack_9', 8);
    cs.addApp(app(0, 'root.b', 'user_1'), null, 0);
    cs.updateAsks(0, [ask('127.0.0.1', 1, 1), ask('rack_1', 1, 1), ask('127.0.0.2', 1, 1), ask('rack_2', 1, 1), ask(ANY, 1, 3)], 0);
    expect(cs.outstanding(0, PRIORITY)).toBe(3);
    expect(beat(cs, 0)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(1);
    expect(beat(cs, 0)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(2);
    // rack-local once missed > min(5, 2)
    expect(beat(cs, 0).map((x) => x.locality)).toEqual(['rack-local']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(0);
    expect(cs.outstanding(0, PRIORITY)).toBe(2);
    // off-switch once missed > min(5, 2 + 1)
    for (let i = 1; i <= 3; i++) expect(beat(cs, 1)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(3);
    expect(cs.outstanding(0, PRIORITY)).toBe(2);
    expect(beat(cs, 1).map((x) => x.locality)).toEqual(['off-switch']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(4);
    expect(cs.outstanding(0, PRIORITY)).toBe(1);
    // additional 10: min(5, 12) = 5, so the 6th
    cs.reconfigure({ rackLocalityAdditionalDelay: 10 });
    expect(beat(cs, 1)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(5);
    expect(beat(cs, 1).map((x) => x.locality)).toEqual(['off-switch']);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(6);
    expect(cs.outstanding(0, PRIORITY)).toBe(0);
  });
});

describe('CapacityScheduler: user limits (Hadoop TestLeafQueue)', () => {
  test('Y3 testUserLimits: min-user-limit 50 %, factor 2: user_0 3 GB, user_1 1 GB, user_0 3 GB more (limit 3 GB, used not above it)', () => {
    const queues = HADOOP_TEST_QUEUES.map((q) => (q.path === 'root.a' ? { ...q, maximumCapacity: 100, minimumUserLimitPercent: 50, userLimitFactor: 2 } : q));
    const cs = scheduler({ queues, multipleAssignments: false });
    node(cs, 0, '127.0.0.1', 'default-rack', 8);
    node(cs, 1, '127.0.0.2', 'default-rack', 8);
    cs.addApp(app(0, 'root.a', 'user_0'), null, 0);
    cs.addApp(app(1, 'root.a', 'user_1'), null, 0);
    cs.updateAsks(0, [ask(ANY, 3, 2)], 0);
    cs.updateAsks(1, [ask(ANY, 1, 2)], 0);
    expect(cs.activeUsers('root.a')).toBe(2);
    beat(cs, 0);
    expect([queueGB(cs, 'root.a'), usedGB(cs, 0), usedGB(cs, 1)]).toEqual([3, 3, 0]);
    // user limit = max(ceil((3 + 1) / 2), (3 + 1) x 50 %) = 2 GB: user_0 holds more
    beat(cs, 0);
    expect([queueGB(cs, 'root.a'), usedGB(cs, 0), usedGB(cs, 1)]).toEqual([4, 3, 1]);
    // user limit = roundUp(max(ceil((4 + 1) / 2), 5 x 50 %), 1 GB) = 3 GB: user_0's 3 GB is not above it
    beat(cs, 1);
    expect([queueGB(cs, 'root.a'), usedGB(cs, 0), usedGB(cs, 1)]).toEqual([7, 6, 1]);
    expect(cs.activeUsers('root.a')).toBe(1);
  });

  test('Y4 testSingleQueueWithMultipleUsers: per-app usage through limit 25 %, factor 10, max-capacity 50 % and back', () => {
    const queues = HADOOP_TEST_QUEUES.map((q) => (q.path === 'root.a' ? { ...q, maximumCapacity: 100 } : q));
    const cs = scheduler({ queues, multipleAssignments: false });
    node(cs, 0, '127.0.0.1', 'default-rack', 8);
    cs.addApp(app(0, 'root.a', 'user_0'), null, 0);
    cs.addApp(app(1, 'root.a', 'user_0'), null, 0);
    cs.addApp(app(2, 'root.a', 'user_1'), null, 0);
    cs.addApp(app(3, 'root.a', 'user_2'), null, 0);
    cs.updateAsks(0, [ask(ANY, 1, 10)], 0);
    cs.updateAsks(1, [ask(ANY, 1, 10)], 0);
    const state = (): number[] => [queueGB(cs, 'root.a'), usedGB(cs, 0), usedGB(cs, 1), usedGB(cs, 2), usedGB(cs, 3)];
    beat(cs, 0);
    expect(state()).toEqual([1, 1, 0, 0, 0]);
    // one container above the limit (1 GB): used is not above it
    beat(cs, 0);
    expect(state()).toEqual([2, 2, 0, 0, 0]);
    cs.reconfigureQueue('root.a', { maximumCapacity: 100, minimumUserLimitPercent: 25 });
    beat(cs, 0);
    expect(state()).toEqual([2, 2, 0, 0, 0]);
    cs.updateAsks(2, [ask(ANY, 3, 1)], 0);
    cs.updateAsks(3, [ask(ANY, 1, 2)], 0);
    cs.reconfigureQueue('root.a', { maximumCapacity: 100, minimumUserLimitPercent: 25, userLimitFactor: 10 });
    beat(cs, 0);
    expect(state()).toEqual([5, 2, 0, 3, 0]);
    beat(cs, 0);
    expect(state()).toEqual([6, 3, 0, 3, 0]);
    cs.reconfigureQueue('root.a', { maximumCapacity: 50, minimumUserLimitPercent: 25, userLimitFactor: 10 });
    beat(cs, 0);
    expect(state()).toEqual([6, 3, 0, 3, 0]);
    cs.reconfigureQueue('root.a', { maximumCapacity: 100, minimumUserLimitPercent: 25, userLimitFactor: 1 });
    beat(cs, 0);
    expect(state()).toEqual([7, 3, 0, 3, 1]);
    beat(cs, 0);
    expect(state()).toEqual([8, 3, 0, 3, 2]);
    const release = (id: number): void => {
      for (const c of cs.liveContainers()) if (c.app === id) cs.completeContainer(c.id, 0);
    };
    release(0);
    expect(state()).toEqual([5, 0, 0, 3, 2]);
    release(2);
    expect(state()).toEqual([2, 0, 0, 0, 2]);
    release(3);
    expect(state()).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('CapacityScheduler: AM resource limit (Hadoop TestLeafQueue)', () => {
  test('testInitializeQueue: on 50 GB, queue a (8.5 %, maximum 20 %) may hold 1 GB of AMs, queue b (80 %, maximum 99 %) 5 GB', () => {
    // a: 10 % of its current limit min(50 GB, 20 % = 10 GB) = 1 GB; b: 10 % of 99 % of 50 GB rounded
    // down to 1 GB steps (49 GB) = 4.9 GB, rounded up to 5 GB
    const cs = scheduler({ queues: HADOOP_TEST_QUEUES });
    node(cs, 0, 'h0', 'r0', 50);
    const out = v();
    cs.amResourceLimit('root.a', out);
    expect(out[R.mem]).toBe(1 * GB * 1000);
    cs.amResourceLimit('root.b', out);
    expect(out[R.mem]).toBe(5 * GB * 1000);
  });
});

describe('CapacityScheduler: hand-worked', () => {
  const oneQueue = [{ path: 'root.default', capacity: 100 }];

  test('the AM limit keeps a second application pending until the first leaves', () => {
    // 1 node of 8 GB, root.default 100 %: AM limit = roundUp(0.1 x 8192 MB, 1024) = 1024 MB. The
    // first app's 1 GB AM starts (a queue's first app always does); the second would make 2 GB.
    const cs = scheduler({ queues: oneQueue });
    node(cs, 0, 'h0', 'r0', 8);
    const am = resources({ mem: 1024, cpus: 1 });
    cs.addApp(app(0, 'root.default', 'u0'), am, 0);
    cs.addApp(app(1, 'root.default', 'u1'), am, 0);
    expect([cs.isActive(0), cs.isActive(1)]).toEqual([true, false]);
    const g = beat(cs, 0);
    expect(g.map((x) => [x.app, x.am, x.priority, x.res[R.mem]])).toEqual([[0, true, 0, 1024_000]]);
    expect(beat(cs, 0)).toEqual([]); // the pending app's AM ask is not served
    cs.completeContainer(g[0]!.id, 0);
    cs.removeApp(0, 0);
    expect(cs.isActive(1)).toBe(true);
    expect(beat(cs, 0).map((x) => [x.app, x.am])).toEqual([[1, true]]);
  });

  test('two queues share a node by used / guarantee, ties to the larger capacity', () => {
    // 1 node of 10 GB; a 30 % (3 GB), b 70 % (7 GB); both want 10 node-local 1 GB containers.
    // Per walk the lower used/guarantee goes first (a/3 against b/7), equal ratios to b:
    // (0,0) b, (0,1) a, (1,1) b, (1,2) b, (1,3) a, (2,3) b, (2,4) b, (2,5) a, (3,5) b, (3,6) b.
    const cs = scheduler({
      queues: [
        { path: 'root.a', capacity: 30 },
        { path: 'root.b', capacity: 70 },
      ],
    });
    node(cs, 0, 'h0', 'r0', 10);
    cs.addApp(app(0, 'root.a', 'ua'), null, 0);
    cs.addApp(app(1, 'root.b', 'ub'), null, 0);
    for (const id of [0, 1]) cs.updateAsks(id, [ask('h0', 1, 10), ask('r0', 1, 10), ask(ANY, 1, 10)], 0);
    const g = beat(cs, 0);
    expect(g.map((x) => (x.app === 0 ? 'a' : 'b')).join('')).toBe('babbabbabb');
    expect(g.every((x) => x.locality === 'node-local')).toBe(true);
    const used = v();
    const guarantee = v();
    cs.queueUsage('root.a', used, guarantee);
    expect([used[R.mem], guarantee[R.mem]]).toEqual([3072_000, 3072_000]);
    cs.queueUsage('root.b', used, guarantee);
    expect([used[R.mem], guarantee[R.mem]]).toEqual([7168_000, 7168_000]);
  });

  test('a container that fits the node but not its free space reserves it; the reservation is served when the node frees', () => {
    // Two 8 GB nodes, only node 0 heartbeats (the second keeps the queue's headroom, 16 GB - used,
    // above 4 GB: Hadoop reserves only within the headroom). App 0 holds 5 GB of node 0; app 1
    // wants 4 GB (3 GB free): node 0 is reserved for it and serves nothing else (app 2's 1 GB
    // waits); once app 0's container ends the next heartbeat turns the reservation into app 1's
    // container, then the walk gives app 2 its 1 GB.
    const cs = scheduler({ queues: oneQueue });
    node(cs, 0, 'h0', 'r0', 8);
    node(cs, 1, 'h1', 'r0', 8);
    for (const id of [0, 1, 2]) cs.addApp(app(id, 'root.default', `u${id}`), null, 0);
    cs.updateAsks(0, [ask(ANY, 5, 1)], 0);
    const first = beat(cs, 0);
    expect(first.map((x) => [x.app, x.res[R.mem]])).toEqual([[0, 5120_000]]);
    cs.updateAsks(1, [ask(ANY, 4, 1)], 0);
    const out: ContainerGrant[] = [];
    expect(cs.nodeUpdate(0, 0, out)).toEqual({ reserved: true });
    expect(out).toEqual([]);
    expect(cs.nodeReservedBy(0)).toBe(1);
    const reserved = v();
    cs.reservedInto(reserved);
    expect(reserved[R.mem]).toBe(4096_000);
    cs.updateAsks(2, [ask(ANY, 1, 1)], 0);
    expect(beat(cs, 0)).toEqual([]);
    cs.completeContainer(first[0]!.id, 0);
    const g = beat(cs, 0);
    expect(g.map((x) => [x.app, x.res[R.mem]])).toEqual([
      [1, 4096_000],
      [2, 1024_000],
    ]);
    expect(cs.nodeReservedBy(0)).toBe(-1);
    cs.reservedInto(reserved);
    expect(reserved[R.mem]).toBe(0);
    expect(queueGB(cs, 'root.default')).toBe(5);
  });

  test('asks are normalised by the calculator: memory-only gives 1 vcore, dominant counts vcores', () => {
    // 8 GB / 8 vcore node; 4 containers of 1500 MB and 3 vcores asked. Normalised memory:
    // roundUp(1500, 1024) = 2048 MB. 'memory': 1 vcore each, all 4 fit (8 GB). 'dominant': 3 vcores
    // each, 2 fit (6 of 8 vcores); the third does not fit the free 2 vcores (it reserves the node).
    const grants = (calculator: 'memory' | 'dominant'): number[][] => {
      const cs = scheduler({ queues: oneQueue, calculator });
      cs.addNode({ index: 0, host: 'h0', rack: 'r0', total: resources({ mem: 8 * GB, cpus: 8 }) });
      cs.addNode({ index: 1, host: 'h1', rack: 'r0', total: resources({ mem: 8 * GB, cpus: 8 }) });
      cs.addApp(app(0, 'root.default', 'u0'), null, 0);
      const capability = resources({ mem: 1500, cpus: 3 });
      cs.updateAsks(0, [{ priority: 1, resourceName: 'h0', capability, numContainers: 4, relaxLocality: true }], 0);
      cs.updateAsks(0, [{ priority: 1, resourceName: 'r0', capability, numContainers: 4, relaxLocality: true }], 0);
      cs.updateAsks(0, [{ priority: 1, resourceName: ANY, capability, numContainers: 4, relaxLocality: true }], 0);
      return beat(cs, 0).map((g) => [g.res[R.mem]! / 1000, g.res[R.cpus]! / 1000]);
    };
    expect(grants('memory')).toEqual([
      [2048, 1],
      [2048, 1],
      [2048, 1],
      [2048, 1],
    ]);
    expect(grants('dominant')).toEqual([
      [2048, 3],
      [2048, 3],
    ]);
  });

  test("a leaf's applications in fifo order, or fair (less memory held first, then submission)", () => {
    // 8 GB node; apps 0 and 1 (different users) each want 4 node-local 1 GB containers; one heartbeat.
    const order = (policy: 'fifo' | 'fair'): string => {
      const cs = scheduler({ queues: [{ path: 'root.default', capacity: 100, orderingPolicy: policy }] });
      node(cs, 0, 'h0', 'r0', 8);
      for (const id of [0, 1]) {
        cs.addApp(app(id, 'root.default', `u${id}`), null, 0);
        cs.updateAsks(id, [ask('h0', 1, 4), ask('r0', 1, 4), ask(ANY, 1, 4)], 0);
      }
      return beat(cs, 0)
        .map((g) => g.app)
        .join('');
    };
    expect(order('fifo')).toBe('00001111');
    expect(order('fair')).toBe('01010101');
  });

  test('a priority that may not go off-switch (relaxLocality false on ANY) is skipped without counting an opportunity', () => {
    // RegularContainerAllocator: PRIORITY_SKIPPED undoes the opportunity tryAllocateOnNode added;
    // the node-local container still goes to h1 when h1 heartbeats.
    const cs = scheduler({ queues: oneQueue });
    node(cs, 0, 'h1', 'r1', 8);
    node(cs, 1, 'h2', 'r2', 8);
    cs.addApp(app(0, 'root.default', 'u0'), null, 0);
    cs.updateAsks(0, [ask('h1', 1, 1), ask('r1', 1, 1), { ...ask(ANY, 1, 1), relaxLocality: false }], 0);
    expect(beat(cs, 1)).toEqual([]);
    expect(cs.schedulingOpportunities(0, PRIORITY)).toBe(0);
    expect(beat(cs, 0).map((x) => x.locality)).toEqual(['node-local']);
  });

  test.each([1, 0.3])(
    'a queue at its limit lets an app with a reservation take free space elsewhere and drop the reservation (user-limit-factor %s)',
    (userLimitFactor) => {
      // Two 4 GB nodes; queue a 75 % with maximum 75 % (6 GB). App 1 holds 3 GB on node 0, app 0
      // holds 1 GB on node 1 and reserves node 0 (1 GB free) for 2 GB: a uses 6 GB (reservations
      // count), its limit. Node 1 (3 GB free) heartbeats: a is at its limit, but app 0, first in
      // order, holds a 2 GB reservation and 6 - 2 < 6 (canAssignToThisQueue with
      // reservations-continue-looking); the headroom 0 plus that reservation holds 2 GB, so app 0
      // gets 2 GB on node 1 and node 0's reservation goes. With factor 0.3 the user limit is
      // roundUp(0.3 x 6 GB, 1 GB) = 2 GB: u0 holds 3 GB, above it, but 3 - 2 reserved is within it
      // (canAssignToUser with continue-looking), so the same happens.
      const cs = scheduler({
        queues: [
          { path: 'root.a', capacity: 75, maximumCapacity: 75, userLimitFactor },
          { path: 'root.b', capacity: 25 },
        ],
      });
      node(cs, 0, 'h0', 'r0', 4);
      node(cs, 1, 'h1', 'r0', 4);
      cs.addApp(app(0, 'root.a', 'u0'), null, 0);
      cs.addApp(app(1, 'root.a', 'u1'), null, 0);
      cs.updateAsks(1, [ask('h0', 1, 3), ask('r0', 1, 3), ask(ANY, 1, 3)], 0);
      expect(beat(cs, 0).map((g) => g.app)).toEqual([1, 1, 1]);
      cs.updateAsks(0, [ask(ANY, 1, 1)], 0);
      expect(beat(cs, 1).map((g) => g.app)).toEqual([0]);
      cs.updateAsks(0, [ask(ANY, 2, 1, 2)], 0);
      expect(cs.nodeUpdate(0, 0, [])).toEqual({ reserved: true });
      expect(queueGB(cs, 'root.a')).toBe(6);
      expect(beat(cs, 1).map((g) => [g.app, g.node, g.res[R.mem]])).toEqual([[0, 1, 2048_000]]);
      expect(cs.nodeReservedBy(0)).toBe(-1);
      expect(queueGB(cs, 'root.a')).toBe(6);
    },
  );

  test('at most one off-switch container per heartbeat (maximum-offswitch-assignments), node-local ones up to the cap', () => {
    const cs = scheduler({ queues: oneQueue });
    node(cs, 0, 'h0', 'r0', 8);
    cs.addApp(app(0, 'root.default', 'u0'), null, 0);
    // requests for ANY alone are off-switch, never delayed
    cs.updateAsks(0, [ask(ANY, 1, 4)], 0);
    expect(beat(cs, 0).map((x) => x.locality)).toEqual(['off-switch']);
    expect(beat(cs, 0).length).toBe(1);
    // node-local ones go on within one heartbeat
    cs.updateAsks(0, [ask('h0', 1, 2), ask('r0', 1, 2), ask(ANY, 1, 2)], 0);
    expect(beat(cs, 0).map((x) => x.locality)).toEqual(['node-local', 'node-local']);
    const two = scheduler({ queues: oneQueue, maxOffswitchAssignments: 2 });
    node(two, 0, 'h0', 'r0', 8);
    two.addApp(app(0, 'root.default', 'u0'), null, 0);
    two.updateAsks(0, [ask(ANY, 1, 4)], 0);
    expect(beat(two, 0).length).toBe(2);
  });
});

describe('validateCapacityOptions', () => {
  test('names each bad field', () => {
    const problems = validateCapacityOptions({
      ...DEFAULT_CAPACITY_OPTIONS,
      queues: [
        { path: 'root.a', capacity: 60 },
        { path: 'root.b', capacity: 30, userLimitFactor: -2 },
        { path: 'root.x.y', capacity: 100, orderingPolicy: 'lifo' as 'fifo' },
      ],
    });
    expect(problems.map((p) => p.path.join('.'))).toEqual(['queues.1.userLimitFactor', 'queues.2.orderingPolicy', 'queues.2.path', 'queues']);
    expect(problems[3]!.message).toMatch(/children of "root" sum to 90/);
    expect(() => scheduler({ queues: [{ path: 'root.a', capacity: 50 }] })).toThrow(/sum to 50/);
    expect(validateCapacityOptions(DEFAULT_CAPACITY_OPTIONS)).toEqual([]);
  });
});
