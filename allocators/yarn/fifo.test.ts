/**
 * The FIFO scheduler on cases worked out by hand from Hadoop's FifoScheduler.assignContainers
 * (see fifo.ts): node-local, then rack-local, then off-switch, as many as fit, applications in
 * submission order, a priority that gets nothing ending the application's turn.
 */
import { describe, expect, test } from '@jest/globals';
import { ANY, type ContainerGrant, type ResourceAsk } from '../../sim/model/yarn-port.js';
import { resources } from '../../sim/model/resources.js';
import { FIFO_QUEUE, FifoScheduler } from './fifo.js';

const GB = (n: number) => resources({ mem: 1024 * n, cpus: 1 });
function scheduler(): FifoScheduler {
  const s = new FifoScheduler({ calculator: 'memory', minAllocation: GB(1), maxAllocation: GB(8) });
  s.addNode({ index: 0, host: 'h1', rack: 'r1', total: resources({ mem: 8192, cpus: 8 }) });
  return s;
}
function app(s: FifoScheduler, id: number): void {
  s.addApp({ id, name: `app${id}`, queue: FIFO_QUEUE, user: 'u', priority: 0, submitted: 0 }, null, 0);
}
const ask = (priority: number, resourceName: string, numContainers: number, gb: number): ResourceAsk => ({
  priority,
  resourceName,
  capability: GB(gb),
  numContainers,
  relaxLocality: true,
});
const heartbeat = (s: FifoScheduler): ContainerGrant[] => {
  const out: ContainerGrant[] = [];
  s.nodeUpdate(0, 0, out);
  return out;
};

describe('FifoScheduler', () => {
  test('node-local first, then rack-local, then off-switch; applications in submission order', () => {
    // app 0 asks 3 containers of 2 GB at priority 20: h1 2, r1 2, ANY 3. On h1's heartbeat (8 GB):
    // node-local 2 (h1's count; each also takes r1's and ANY's), rack-local none (r1 at 0),
    // off-switch 1 (ANY's last): 6 GB. app 1 asks ANY 2 of 2 GB: 1 fits in the 2 GB left.
    const s = scheduler();
    app(s, 0);
    app(s, 1);
    s.updateAsks(0, [ask(20, 'h1', 2, 2), ask(20, 'r1', 2, 2), ask(20, ANY, 3, 2)], 0);
    s.updateAsks(1, [ask(20, ANY, 2, 2)], 0);
    const got = heartbeat(s);
    expect(got.map((g) => [g.app, g.locality])).toEqual([
      [0, 'node-local'],
      [0, 'node-local'],
      [0, 'off-switch'],
      [1, 'off-switch'],
    ]);
    expect(got.map((g) => g.id)).toEqual([0, 1, 2, 3]);
    // The node is full: nothing more until a container completes; then app 1's second.
    expect(heartbeat(s)).toEqual([]);
    s.completeContainer(0, 0);
    expect(heartbeat(s).map((g) => [g.app, g.id])).toEqual([[1, 4]]);
  });

  test('a priority that gets nothing ends the application turn: lower priorities wait', () => {
    // An 8 GB node. App 1 (submitted first) takes 4 GB. App 2's priority 10 asks one 8 GB
    // container, which does not fit in the 4 GB left, so its priority 20 (1 GB, which would fit)
    // is not tried either.
    const s = scheduler();
    app(s, 1);
    app(s, 2);
    s.updateAsks(1, [ask(20, ANY, 1, 4)], 0);
    s.updateAsks(2, [ask(10, ANY, 1, 8), ask(20, ANY, 1, 1)], 0);
    expect(heartbeat(s).map((g) => [g.app, g.priority])).toEqual([[1, 20]]);
    // Once app 2 withdraws its 8 GB ask, its 1 GB container comes.
    s.updateAsks(2, [ask(10, ANY, 0, 8)], 0);
    expect(heartbeat(s).map((g) => [g.app, g.priority])).toEqual([[2, 20]]);
  });

  test('the AM container is asked at submission, priority 0, normalised up to the minimum', () => {
    const s = scheduler();
    s.addApp({ id: 0, name: 'a', queue: FIFO_QUEUE, user: 'u', priority: 0, submitted: 0 }, resources({ mem: 1536, cpus: 1 }), 0);
    const [am] = heartbeat(s);
    // 1536 MB rounds up to 2048 MB (a multiple of the 1024 MB minimum); 1 vcore (memory calculator).
    expect([am!.am, am!.priority, am!.res[1]! / 1000, am!.res[0]! / 1000]).toEqual([true, 0, 2048, 1]);
    expect(() => s.addApp({ id: 1, name: 'b', queue: 'root.other', user: 'u', priority: 0, submitted: 0 }, null, 0)).toThrow(/one queue/);
  });
});
