/**
 * The FairScheduler driven through the YARN port (addNode, addApp, updateAsks, update,
 * nodeUpdate, completeContainer), against Hadoop's TestFairScheduler
 * (hadoop-yarn-server-resourcemanager/src/test/java/.../scheduler/fair/TestFairScheduler.java),
 * each case naming its test method, and a few hand-worked cases with their arithmetic beside them.
 * Hadoop's tests submit applications without an AM container (am = null here).
 */
import { describe, expect, test } from '@jest/globals';
import { ANY, type ContainerGrant, type YarnAppInfo, type YarnNodeInfo } from '../../sim/model/yarn-port.js';
import { R, resources, type ResourceVector } from '../../sim/model/resources.js';
import { FairScheduler, validateFairOptions, DEFAULT_FAIR_OPTIONS, type FairOptions } from './fair.js';

const MB = (v: ResourceVector): number => v[R.mem]! / 1000;

function node(index: number, mem: number, cpus: number, rack = 'rack1'): YarnNodeInfo {
  return { index, host: `host${index}`, rack, total: resources({ mem, cpus }) };
}

function appInfo(id: number, queue: string): YarnAppInfo {
  return { id, name: `app${id}`, queue, user: 'user1', priority: 0, submitted: 0 };
}

/** Hadoop createSchedulingRequest: application `id` in `queue` asking `n` containers of (mem, cpus) at priority 1 on ANY. */
function submit(s: FairScheduler, id: number, queue: string, mem: number, n: number, cpus = 1, now = 0): void {
  s.addApp(appInfo(id, queue), null, now);
  s.updateAsks(id, [{ priority: 1, resourceName: ANY, capability: resources({ mem, cpus }), numContainers: n, relaxLocality: true }], now);
}

function heartbeat(s: FairScheduler, index: number, now = 0): ContainerGrant[] {
  const out: ContainerGrant[] = [];
  s.nodeUpdate(index, now, out);
  return out;
}

describe('FairScheduler fair shares (Hadoop TestFairScheduler)', () => {
  test('testSimpleFairShareCalculation: three active queues on 10240 MB get 3414 MB each, fair and steady', () => {
    const s = new FairScheduler({ queues: [{ path: 'root.queue1' }, { path: 'root.queue2' }, { path: 'root.default' }] });
    s.addNode(node(0, 10 * 1024, 10));
    for (const [i, q] of ['root.queue1', 'root.queue2', 'root.default'].entries()) submit(s, i, q, 8192, 1);
    s.update(0);
    for (const q of s.leafQueues) {
      expect(MB(s.queue(q).fairShare)).toBe(3414);
      expect(MB(s.queue(q).steadyFairShare)).toBe(3414);
    }
  });

  test('testSimpleHierarchicalFairShareCalculation: 240 MB over root.default and root.parent.{queue2,queue3} gives 120, 60, 60', () => {
    const s = new FairScheduler({ queues: [{ path: 'root.parent.queue2' }, { path: 'root.parent.queue3' }, { path: 'root.default' }] });
    s.addNode(node(0, 240, 1));
    submit(s, 0, 'root.parent.queue2', 1024, 1);
    submit(s, 1, 'root.parent.queue3', 1024, 1);
    submit(s, 2, 'root.default', 1024, 1);
    s.update(0);
    expect([MB(s.queue('root.default').fairShare), MB(s.queue('root.parent.queue2').fairShare), MB(s.queue('root.parent.queue3').fairShare)]).toEqual([
      120, 60, 60,
    ]);
    expect([MB(s.queue('root.default').steadyFairShare), MB(s.queue('root.parent.queue2').steadyFairShare)]).toEqual([120, 60]);
  });

  test('testFairShareWithHighMaxResources: weights 0.25 / 0.75 on 8 GB give 2 GB / 6 GB although A wants 1 GB', () => {
    const high = resources({ mem: 1073741824, cpus: 1000 });
    const s = new FairScheduler({
      queues: [
        { path: 'root.queueA', weight: 0.25, maxResources: high },
        { path: 'root.queueB', weight: 0.75, maxResources: high },
      ],
    });
    s.addNode(node(0, 8 * 1024, 8));
    submit(s, 0, 'root.queueA', 1024, 1);
    submit(s, 1, 'root.queueB', 6 * 1024, 1, 4);
    s.update(0);
    expect(MB(s.queue('root.queueA').fairShare)).toBe(2048);
    expect(MB(s.queue('root.queueB').fairShare)).toBe(6144);
  });

  test('testFairShareWithLowMaxResources: maxResources cap the shares (1 GB, 3 GB) and the containers (1 and 3 after 6 heartbeats)', () => {
    const s = new FairScheduler({
      queues: [
        { path: 'root.queueA', weight: 0.75, maxResources: resources({ mem: 1024, cpus: 1 }) },
        { path: 'root.queueB', weight: 0.25, maxResources: resources({ mem: 3072, cpus: 3 }) },
      ],
    });
    s.addNode(node(0, 8 * 1024, 8));
    submit(s, 0, 'root.queueA', 1024, 2);
    submit(s, 1, 'root.queueB', 1024, 4);
    s.update(0);
    expect(MB(s.queue('root.queueA').fairShare)).toBe(1024);
    expect(MB(s.queue('root.queueB').fairShare)).toBe(3072);
    for (let i = 0; i < 6; i++) heartbeat(s, 0);
    expect(s.app(0).containers.size).toBe(1);
    expect(s.app(1).containers.size).toBe(3);
  });
});

describe('FairScheduler assign-multiple (Hadoop TestFairScheduler)', () => {
  test('testDynamicMaxAssign: 8 GB / 8 vcores, 12 x 1 GB asks: 5, then 2, then 1 containers', () => {
    // Half the node's unallocated at the start: 4 GB / 4 vcores; assigned 4 GB still fits, so a
    // 5th slips through. Then 3 GB left: half is 1536 MB / 1 vcore: 2. Then 1 GB: 512 MB / 0: 1.
    const s = new FairScheduler({ queues: [{ path: 'root.default' }], assignMultiple: true });
    s.addNode(node(0, 8192, 8));
    submit(s, 0, 'root.default', 1024, 12);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      s.update(0);
      counts.push(heartbeat(s, 0).length);
    }
    expect(counts).toEqual([5, 2, 1]);
  });

  test('testFixedMaxAssign: 16 GB, 8 x 1 GB asks: maxAssign 2 gives 2 containers; -1 gives all 8', () => {
    // Hadoop's test changes maxAssign between two heartbeats of one scheduler; here two schedulers.
    for (const [maxAssign, expected] of [
      [2, 2],
      [-1, 8],
    ] as const) {
      const s = new FairScheduler({ queues: [{ path: 'root.default' }], assignMultiple: true, dynamicMaxAssign: false, maxAssign });
      s.addNode(node(0, 16384, 16));
      submit(s, 0, 'root.default', 1024, 8);
      s.update(0);
      expect(heartbeat(s, 0).length).toBe(expected);
    }
  });

  test('assignMultiple false (the default): one container per heartbeat', () => {
    const s = new FairScheduler({ queues: [{ path: 'root.default' }] });
    s.addNode(node(0, 8192, 8));
    submit(s, 0, 'root.default', 1024, 4);
    s.update(0);
    expect(heartbeat(s, 0).length).toBe(1);
  });
});

describe('FairScheduler walk (Hadoop TestFairScheduler)', () => {
  test('testAssignContainer: a fifo queue beside a fair parent of two children, two 8 GB nodes, four apps of 4 x 1 GB', () => {
    // After each pair of heartbeats (node 1, node 2): the fifo queue has had 2 containers per 4
    // heartbeats, all to app 1 until its 4 are met, then app 4's; each fair child 1 per 4.
    const s = new FairScheduler({
      queues: [{ path: 'root.fifo', schedulingPolicy: 'fifo' }, { path: 'root.fairParent.fairChild1' }, { path: 'root.fairParent.fairChild2' }],
    });
    s.addNode(node(0, 8192, 8));
    s.addNode(node(1, 8192, 8));
    submit(s, 1, 'root.fifo', 1024, 4);
    submit(s, 2, 'root.fairParent.fairChild1', 1024, 4);
    submit(s, 3, 'root.fairParent.fairChild2', 1024, 4);
    submit(s, 4, 'root.fifo', 1024, 4);
    s.update(0);
    const held = (id: number): number => s.app(id).containers.size;
    for (let i = 0; i < 8; i++) {
      heartbeat(s, 0);
      heartbeat(s, 1);
      if ((i + 1) % 2 === 0) {
        if (i < 4) expect([held(1), held(4)]).toEqual([i + 1, 0]);
        else expect([held(1), held(4)]).toEqual([4, i - 3]);
        expect([held(2), held(3)]).toEqual([(i + 1) / 2, (i + 1) / 2]);
      }
    }
  });
});

describe('FairScheduler policies (hand-worked)', () => {
  test('queues of weights 1 and 3 on one node converge to 1:3 of memory as containers end and are reassigned', () => {
    // Node 8 GB / 8 vcores, containers 1 GB. a starts alone and takes all 8; then b (weight 3)
    // arrives. Each time one of a's containers ends, the heartbeat gives the slot to the queue
    // with the lower usage / weight (fair policy, memory): (a, b) GB = (7,0) -> b: (7,1); (6,1) ->
    // b, 1/3 < 6; (5,2) -> b; (4,3) -> b; (3,4) -> b, 4/3 < 3; (2,5) -> b, 5/3 < 2; (1,6) -> a,
    // 1 < 6/3. From then on it stays at 2 : 6, 1 : 3.
    const s = new FairScheduler({
      queues: [
        { path: 'root.a', weight: 1 },
        { path: 'root.b', weight: 3 },
      ],
    });
    s.addNode(node(0, 8192, 8));
    submit(s, 0, 'root.a', 1024, 100);
    s.update(0);
    const aContainers: number[] = [];
    for (let i = 0; i < 8; i++) aContainers.push(...heartbeat(s, 0).map((g) => g.id));
    expect(aContainers.length).toBe(8);
    submit(s, 1, 'root.b', 1024, 100);
    const aHeld = (): number => MB(s.app(0).usage) / 1024;
    const bHeld = (): number => MB(s.app(1).usage) / 1024;
    const trace: string[] = [];
    for (let t = 1; t <= 10; t++) {
      // The oldest of a's containers ends, then the node heartbeats (after an update, as every 0.5 s).
      const ended = [...s.app(0).containers].sort((x, y) => x - y)[0]!;
      s.completeContainer(ended, t);
      s.update(t);
      heartbeat(s, 0, t);
      trace.push(`${aHeld()}:${bHeld()}`);
    }
    expect(trace).toEqual(['7:1', '6:2', '5:3', '4:4', '3:5', '2:6', '2:6', '2:6', '2:6', '2:6']);
    expect(MB(s.queue('root.a').usage) * 3).toBe(MB(s.queue('root.b').usage));
  });

  test('drf orders queues by dominant share; fair by memory alone', () => {
    // Node 10 GB / 10 vcores; x asks (1 GB, 3 vcores), y asks (2 GB, 1 vcore), one per heartbeat.
    // drf: hb1 tie -> x (path order): x dominant 0.3 (cpu). hb2 y (0): 0.2 (mem). hb3 y (0.2 < 0.3):
    // 0.4. hb4 x (0.3 < 0.4): 0.6. hb5 y (0.4): 0.6. hb6 tie 0.6 / 0.6, second shares x mem 0.2 <
    // y cpu 0.3: x first, but (1 GB, 3 vcores) does not fit the 2 GB / 1 vcore left, so y: x y y x y y.
    // fair (memory): hb1 x (tie), hb2 y (0 < 1 GB), hb3 x (1 < 2 GB), hb4 x (2 = 2, path order), ...
    const order = (policy: 'drf' | 'fair'): string => {
      const s = new FairScheduler({
        queues: [
          { path: 'root', schedulingPolicy: policy },
          { path: 'root.x', schedulingPolicy: policy },
          { path: 'root.y', schedulingPolicy: policy },
        ],
      });
      s.addNode(node(0, 10240, 10));
      submit(s, 0, 'root.x', 1024, 10, 3);
      submit(s, 1, 'root.y', 2048, 10, 1);
      s.update(0);
      let seq = '';
      for (let i = 0; i < 6; i++)
        seq += heartbeat(s, 0)
          .map((g) => (g.app === 0 ? 'x' : 'y'))
          .join('');
      return seq;
    };
    expect(order('drf')).toBe('xyyxyy');
    expect(order('fair').slice(0, 4)).toBe('xyxx');
  });
});

describe('FairScheduler AM containers', () => {
  test('maxAMShare 0.5: a second AM waits while the queue AM usage would pass half its fair share', () => {
    // One queue, node 4 GB / 4 vcores: fair share 4096 MB; AM limit ceil(4096 x 0.5) = 2048 MB.
    // AM 1: 1536 <= 2048, runs. AM 2: 1536 + 1536 = 3072 > 2048, waits although 2560 MB are free.
    // Vcores: the fair policy leaves the share's vcores 0, so the limit uses the free vcores, 3 x 0.5 -> 2.
    const run = (maxAMShare: number): number[] => {
      const s = new FairScheduler({ queues: [{ path: 'root.q', maxAMShare }] });
      s.addNode(node(0, 4096, 4));
      s.addApp(appInfo(0, 'root.q'), resources({ mem: 1536, cpus: 1 }), 0);
      s.addApp(appInfo(1, 'root.q'), resources({ mem: 1536, cpus: 1 }), 0);
      s.update(0);
      const granted: number[] = [];
      for (let i = 0; i < 3; i++) for (const g of heartbeat(s, 0)) if (g.am) granted.push(g.app);
      return granted;
    };
    expect(run(0.5)).toEqual([0]);
    expect(run(-1)).toEqual([0, 1]);
  });

  test('the AM container is the first, asked at priority 0 and normalised up to the increment', () => {
    const s = new FairScheduler({ queues: [{ path: 'root.q' }] });
    s.addNode(node(0, 8192, 8));
    s.addApp(appInfo(0, 'root.q'), resources({ mem: 1500, cpus: 1 }), 0);
    s.updateAsks(0, [{ priority: 20, resourceName: ANY, capability: resources({ mem: 1024, cpus: 1 }), numContainers: 1, relaxLocality: true }], 0);
    s.update(0);
    const [first] = heartbeat(s, 0);
    expect(first).toMatchObject({ am: true, priority: 0 });
    expect(MB(first!.res)).toBe(2048);
    s.update(0);
    expect(heartbeat(s, 0)[0]).toMatchObject({ am: false, priority: 20 });
  });
});

describe('FairScheduler locality in the walk', () => {
  test('thresholds 0.5 / 0.5 on 2 nodes: a host ask waits 1 opportunity on the other node, then goes rack-local', () => {
    // Hadoop getAllowedLocalityLevel with N = 2: rack-local once opportunities > 2 x 0.5 = 1.
    const s = new FairScheduler({ queues: [{ path: 'root.q' }], localityThresholdNode: 0.5, localityThresholdRack: 0.5 });
    s.addNode(node(0, 4096, 4));
    s.addNode(node(1, 4096, 4));
    s.addApp(appInfo(0, 'root.q'), null, 0);
    const cap = resources({ mem: 1024, cpus: 1 });
    s.updateAsks(
      0,
      [
        { priority: 1, resourceName: 'host0', capability: cap, numContainers: 1, relaxLocality: true },
        { priority: 1, resourceName: 'rack1', capability: cap, numContainers: 1, relaxLocality: true },
        { priority: 1, resourceName: ANY, capability: cap, numContainers: 1, relaxLocality: true },
      ],
      0,
    );
    s.update(0);
    // Opportunity 1 on host1: node-local only; opportunity 2: 2 > 1, rack-local.
    expect(heartbeat(s, 1)).toEqual([]);
    expect(heartbeat(s, 1).map((g) => g.locality)).toEqual(['rack-local']);
  });
});

describe('FairScheduler reservations (hand-worked)', () => {
  /**
   * Node 4 GB / 4 vcores, queues a and b. A (in a) holds 3 x 1 GB; then B (in b) asks one 2 GB
   * container and A one more 1 GB. b (usage 0) is offered the node first; 2 GB do not fit the
   * 1 GB free. B is starved (0 below its 2 GB fair share) and 2 GB >= 2 x the 1 GB increment, and
   * it holds no reservation yet (ceil(1 node x 0.05) = 1 allowed off-switch): the node is reserved.
   * While it is, nobody else gets the node (A's 1 GB waits); when one of A's containers ends, the
   * reservation turns into B's container. With a threshold of 3 increments (3 GB > 2 GB) there is
   * no reservation and the walk goes on to a: A gets its 1 GB at once, the node is full, and when
   * one of A's containers ends the 1 GB freed is still too small for B.
   */
  function scenario(multiple: number): { first: number[]; reserved: number; second: number[]; third: number[] } {
    const s = new FairScheduler({ queues: [{ path: 'root.a' }, { path: 'root.b' }], reservationThresholdIncrementMultiple: multiple });
    s.addNode(node(0, 4096, 4));
    submit(s, 0, 'root.a', 1024, 3);
    s.update(0);
    for (let i = 0; i < 3; i++) heartbeat(s, 0);
    submit(s, 1, 'root.b', 2048, 1);
    s.updateAsks(0, [{ priority: 1, resourceName: ANY, capability: resources({ mem: 1024, cpus: 1 }), numContainers: 1, relaxLocality: true }], 0);
    s.update(0);
    const out: ContainerGrant[] = [];
    const report = s.nodeUpdate(0, 0, out);
    const reserved = resources({});
    s.reservedInto(reserved);
    expect(report.reserved).toBe(MB(reserved) > 0);
    const second = heartbeat(s, 0).map((g) => g.app);
    s.completeContainer(0, 1);
    s.update(1);
    return { first: out.map((g) => g.app), reserved: MB(reserved), second, third: heartbeat(s, 0, 1).map((g) => g.app) };
  }

  test('a starved app reserves the node for a container that does not fit; the node serves only it until it fits', () => {
    expect(scenario(2)).toEqual({ first: [], reserved: 2048, second: [], third: [1] });
  });

  test('an application reserves at most ceil(reservableNodes x nodes) nodes off-switch', () => {
    // Two 4 GB nodes, A holds 3 x 1 GB on each; B (starved) asks 2 x 2 GB. Node 0 is reserved for
    // B; node 1 is not, as ceil(2 x 0.05) = 1 reservation is all B may hold; with a ratio of 1,
    // ceil(2 x 1) = 2, it is.
    const reservedNodes = (reservableNodes: number): boolean[] => {
      const s = new FairScheduler({ queues: [{ path: 'root.a' }, { path: 'root.b' }], reservableNodes });
      s.addNode(node(0, 4096, 4));
      s.addNode(node(1, 4096, 4));
      submit(s, 0, 'root.a', 1024, 6);
      s.update(0);
      for (let i = 0; i < 6; i++) heartbeat(s, i % 2);
      submit(s, 1, 'root.b', 2048, 2);
      s.update(0);
      return [0, 1].map((n) => s.nodeUpdate(n, 0, []).reserved);
    };
    expect(reservedNodes(0.05)).toEqual([true, false]);
    expect(reservedNodes(1)).toEqual([true, true]);
  });

  test('below the reservation threshold nothing is reserved, the next queue gets the node and B keeps waiting', () => {
    expect(scenario(3)).toEqual({ first: [0], reserved: 0, second: [], third: [] });
  });
});

describe('FairScheduler preemption (hand-worked)', () => {
  const SECOND = 1_000_000;
  /**
   * One node 8 GB / 8 vcores, queues a and b of weight 1. At 0 app A (in a, with a 1 GB AM) takes
   * the node: its AM (container 0) and 7 x 1 GB. At 1 s app B (in b) asks 8 x 1 GB. From then on
   * the shares are 4 GB each; B's fair-share threshold is min(0.5 x 4096, 8192) = 2048 MB and it
   * holds 0, so it is starved, but only counts once more than the 5 s timeout has passed since
   * its start: at the update of 6 s its starvation is 2048 MB, 2 containers of 1 GB. The victims
   * are A's first two non-AM containers (1 and 2: A keeps 6 GB >= its 4 GB fair share; the AM
   * goes last), killed at 6 + 15 = 21 s. Then the node's freed space goes to B first.
   */
  function run(enabled: boolean): { at: number; kill: readonly number[] } | null {
    const s = new FairScheduler({
      queues: [{ path: 'root.a' }, { path: 'root.b' }],
      preemption: { ...DEFAULT_FAIR_OPTIONS.preemption, enabled, fairShareTimeout: 5 * SECOND },
    });
    s.addNode(node(0, 8192, 8));
    s.addApp(appInfo(0, 'root.a'), resources({ mem: 1024, cpus: 1 }), 0);
    s.updateAsks(0, [{ priority: 1, resourceName: ANY, capability: resources({ mem: 1024, cpus: 1 }), numContainers: 7, relaxLocality: true }], 0);
    s.update(0);
    for (let i = 0; i < 8; i++) heartbeat(s, 0);
    expect(MB(s.app(0).usage)).toBe(8192);
    submit(s, 1, 'root.b', 1024, 8, 1, SECOND);
    for (let t = SECOND; t <= 30 * SECOND; t += SECOND / 2) {
      const kill = s.update(t);
      if (kill.length > 0) {
        for (const id of kill) s.completeContainer(id, t);
        // assignMultiple is off, but the space freed for B is served before the walk until it is
        // taken (Hadoop assignPreemptedContainers): both containers in one heartbeat.
        expect(heartbeat(s, 0, t).map((g) => g.app)).toEqual([1, 1]);
        expect(MB(s.app(1).usage)).toBe(2048);
        return { at: t, kill };
      }
    }
    return null;
  }

  test('a starved app gets 2 containers of a queue above its fair share, AM last, 15 s after the timeout', () => {
    expect(run(true)).toEqual({ at: 21 * SECOND, kill: [1, 2] });
  });

  test('preemption is off by default: nothing is killed', () => {
    expect(run(false)).toBeNull();
  });
});

describe('validateFairOptions', () => {
  test('defaults are valid and Hadoop-equal', () => {
    expect(validateFairOptions(DEFAULT_FAIR_OPTIONS)).toEqual([]);
    expect(new FairScheduler().updateInterval).toBe(500_000);
    expect(new FairScheduler().leafQueues).toEqual(['root.default']);
    expect(new FairScheduler({ queues: [] }).leafQueues).toEqual(['root.default']);
  });

  test('bad queues are reported with their field paths, and the constructor throws', () => {
    const bad: FairOptions = {
      ...DEFAULT_FAIR_OPTIONS,
      queues: [
        { path: 'root.a', weight: -1 },
        { path: 'root.a.x', schedulingPolicy: 'drf' },
        { path: 'root.b', schedulingPolicy: 'lottery' as 'fair' },
        { path: 'root.b' },
        { path: 'root.c', maxAMShare: 2 },
        { path: 'root.d', schedulingPolicy: 'fifo' },
        { path: 'root.d.y' },
      ],
    };
    const paths = validateFairOptions(bad).map((p) => p.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'queues.0.weight',
        'queues.1.schedulingPolicy',
        'queues.2.schedulingPolicy',
        'queues.3.path',
        'queues.5.schedulingPolicy',
        'queues.4.maxAMShare',
      ]),
    );
    expect(() => new FairScheduler(bad)).toThrow(/queues\.0\.weight/);
    expect(validateFairOptions({ ...DEFAULT_FAIR_OPTIONS, updateInterval: 0 }).map((p) => p.path)).toEqual([['updateInterval']]);
  });

  test('an application in a parent or unknown queue is refused', () => {
    const s = new FairScheduler({ queues: [{ path: 'root.p.leaf' }] });
    expect(() => s.addApp(appInfo(0, 'root.p'), null, 0)).toThrow(/not a leaf queue/);
  });
});
