/**
 * The allocator cost model (sim/model/allocation-cost.ts, architectures/offers.ts): the preset's
 * fit to the Mesos benchmark anchors, and a tiny cluster whose run times, offer deliveries,
 * periodic re-arming and trigger coalescing are worked out by hand.
 */
import { getAllocator } from '../../allocators/registry.js';
import { MetricsFold } from '../../reports/metrics-fold.js';
import { seconds, type SimTime } from '../kernel/time.js';
import { ALLOCATION_COST_PRESETS, allocationCostFromSeconds, allocationRunCost, type AllocationCost } from './allocation-cost.js';
import { BatchFramework } from './frameworks/batch.js';
import { resources } from './resources.js';
import { simulate, type AgentSpec } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';

const MESOS = ALLOCATION_COST_PRESETS['mesos-2019'];

describe('the mesos-2019 preset reproduces the benchmark anchors it was fitted to (notes/mesos-semantics.md section 2, G15)', () => {
  // HierarchicalAllocator_BENCHMARK_Test.DeclineOffers/21, 10,000 agents x 1,000 frameworks in
  // role '*', one offer per agent: 1.06 s per run (commit 86653356). By hand:
  // 147 us + 10,000 x (35.5 us + 1,000 x 0.0705 us) = 147 + 355,000 + 705,000 = 1,060,147 us.
  test('DeclineOffers 10,000 agents x 1,000 frameworks: 1.06 s', () => {
    const us = allocationRunCost(MESOS, { agents: 10_000, frameworks: 1_000, quotaRoles: 0, offers: 10_000 });
    expect(us).toBe(1_060_147);
    expect(us / 1e6).toBeCloseTo(1.06, 2);
  });

  // DeclineOffers/22, 10,000 agents x 3,000 frameworks: median 2.47 s per run (commit 6abe32f0).
  // 147 + 10,000 x (35.5 + 3,000 x 0.0705) = 147 + 355,000 + 2,115,000 = 2,470,147 us.
  test('DeclineOffers 10,000 agents x 3,000 frameworks: 2.47 s', () => {
    const us = allocationRunCost(MESOS, { agents: 10_000, frameworks: 3_000, quotaRoles: 0, offers: 10_000 });
    expect(us).toBe(2_470_147);
    expect(us / 1e6).toBeCloseTo(2.47, 2);
  });

  // LargeAndSmallQuota/2, 3,000 agents, 3,000 frameworks each in its own role with quota, a cycle
  // making 0 allocations: 13.72 s (commit 73033130). 147 + 3,000 x (35.5 + 3,000 x 0.0705
  // + 3,000 x 1.44) = 147 + 3,000 x 4,567 = 13,701,147 us: 13.70 s.
  test('LargeAndSmallQuota 3,000 agents x 3,000 quota roles, no allocation: 13.7 s', () => {
    const us = allocationRunCost(MESOS, { agents: 3_000, frameworks: 3_000, quotaRoles: 3_000, offers: 0 });
    expect(us).toBe(13_701_147);
  });

  test('coefficients in seconds convert to microseconds, absent ones to 0', () => {
    expect(allocationCostFromSeconds({ perAgent: 0.2, perOffer: 0.001 })).toEqual({
      perRun: 0,
      perAgent: 200_000,
      perAgentFramework: 0,
      perAgentQuotaRole: 0,
      perOffer: 1_000,
    });
    // 2 agents x (1 + 3 x 0.5) us + 4 offers x 0.25 us + 10 us = 5 + 1 + 10 = 16 us
    const c: AllocationCost = { perRun: 10, perAgent: 1, perAgentFramework: 0.5, perAgentQuotaRole: 0, perOffer: 0.25 };
    expect(allocationRunCost(c, { agents: 2, frameworks: 3, quotaRoles: 0, offers: 4 })).toBe(16);
  });
});

const S = 1_000_000;

function agent(name: string, addAt: number): AgentSpec {
  return { name, rack: 'r0', res: resources({ cpus: 4, mem: 4096 }), addAt: seconds(addAt) };
}

/**
 * Agents a, b, c at t=0; d at 1.2 s and e at 1.3 s; one framework added at 0 that declines every
 * offer with refuse_seconds 0 (no filter, so every run offers every free agent again); interval
 * 1 s; a run costs 0.2 s per agent visited (nothing else); 4 s long.
 */
function tiny(cost: AllocationCost | undefined, duration = 4) {
  const sink = new RecordingSink();
  const fold = new MetricsFold();
  const fw = new ScriptedFramework(() => ({ kind: 'decline', refuseSeconds: 0 }));
  simulate({
    seed: 1,
    master: { allocationInterval: seconds(1), allocationCost: cost },
    allocator: getAllocator('drf')!.create({}),
    agents: [agent('a', 0), agent('b', 0), agent('c', 0), agent('d', 1.2), agent('e', 1.3)],
    frameworks: [{ name: 'f', role: '*', behaviour: fw, addAt: 0 as SimTime }],
    weights: new Map(),
    jobs: [],
    duration: seconds(duration),
    sinks: [sink, fold],
  });
  const runs = sink.of('allocation_run').map((r) => [r.t / S, r.candidates, r.busy === undefined ? undefined : r.busy / S]);
  // offers seen by the framework: [delivery time s, agent index]
  const seen = fw.seen.map((o) => [o.t / S, o.agent]);
  const sent = sink.of('offer_sent').map((r) => [r.t / S, r.agent]);
  return { runs, seen, sent, busy: fold.finish().summary.allocatorBusy };
}

describe('a tiny cluster with 0.2 s per agent visited, worked by hand', () => {
  // t=0: the framework's and agents' triggers coalesce into one run over a, b, c: 3 x 0.2 = 0.6 s,
  //      its offers made (held) at 0 and delivered at 0.6; declined there with no filter.
  // t=1: the first periodic run (armed at the start, one interval later) over a, b, c: 0.6 s, to 1.6.
  // t=1.2, 1.3: agents d and e register while it runs: their triggers wait and coalesce into ONE run.
  // t=1.6: the tick's run ends (offers a, b, c delivered); the next tick is armed at 1.6 + 1 = 2.6
  //      (interval + run time, not 2); the queued run over d, e starts: 2 x 0.2 = 0.4 s, to 2.0.
  // t=2.6: the periodic run over all 5 agents: 1.0 s, to 3.6 (next tick 4.6, after the end at 4).
  const { runs, seen, sent, busy } = tiny(allocationCostFromSeconds({ perAgent: 0.2 }));

  test('runs start at 0, 1, 1.6 (the coalesced triggers) and 2.6 (interval after the end), each 0.2 s per agent', () => {
    expect(runs).toEqual([
      [0, 3, 0.6],
      [1, 3, 0.6],
      [1.6, 2, 0.4],
      [2.6, 5, 1.0],
    ]);
  });

  test('offers are made when the run starts and reach the framework when it ends', () => {
    // agents are indexed a=0 ... e=4; the order within a run is the allocator's shuffle: sort per run
    const byTime = (xs: number[][]) => xs.slice().sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
    expect(byTime(sent)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
      [1.6, 3],
      [1.6, 4],
      [2.6, 0],
      [2.6, 1],
      [2.6, 2],
      [2.6, 3],
      [2.6, 4],
    ]);
    expect(byTime(seen)).toEqual([
      [0.6, 0],
      [0.6, 1],
      [0.6, 2],
      [1.6, 0],
      [1.6, 1],
      [1.6, 2],
      [2, 3],
      [2, 4],
      [3.6, 0],
      [3.6, 1],
      [3.6, 2],
      [3.6, 3],
      [3.6, 4],
    ]);
  });

  // allocator_busy: the runs' lengths over the run's span [0, 4 s]: (0.6 + 0.6 + 0.4 + 1.0) / 4 = 0.65.
  // Cut at 3 s, the last run (2.6 to 3.6) counts only to the end: (0.6 + 0.6 + 0.4 + 0.4) / 3 = 2/3.
  test('allocator_busy is the summed run time over the run, the last run cut at the end', () => {
    expect(busy).toBeCloseTo(0.65, 12);
    expect(tiny(allocationCostFromSeconds({ perAgent: 0.2 }), 3).busy).toBeCloseTo(2 / 3, 12);
    expect(tiny(undefined).busy).toBeNaN();
  });

  // Without the model: runs at 0 (a, b, c), 1, 1.2 (d), 1.3 (e), 2 and 3 (all 5 agents; the run
  // ends at 4 s, before a tick there), offers delivered at once, and no busy field on the records.
  test('without the model runs are instantaneous and log no busy field', () => {
    const off = tiny(undefined);
    expect(off.runs).toEqual([
      [0, 3, undefined],
      [1, 3, undefined],
      [1.2, 1, undefined],
      [1.3, 1, undefined],
      [2, 5, undefined],
      [3, 5, undefined],
    ]);
    expect(off.seen.every(([t], i) => t === off.sent[i]![0])).toBe(true);
  });
});

describe('the monolithic central scheduler takes decision time under the cost model, worked by hand', () => {
  // One agent of 4 cpus; one batch framework with t_job = 0.1 s, t_task = 0.05 s; at t=0 job J1 of
  // 2 tasks and J2 of 3 tasks, 1 cpu each, 10 s long. The central scheduler decides one job at a time:
  // t=0     decision for J1 (2 tasks): 0.1 + 2 x 0.05 = 0.2 s: J1's tasks start at 0.2.
  // t=0.2   its end asks for a round: decision for J2 (3 tasks): 0.1 + 3 x 0.05 = 0.25 s; on the
  //         2 cpus free at 0.2 it places 2 tasks, the 3rd fits nowhere: 2 start at 0.45.
  // t=0.45  a round (busy 0): J2's last task waits, nothing changed during its decision.
  // t=10.2  J1's tasks end: a round decides J2's last task: 0.1 + 1 x 0.05 = 0.15 s: starts at 10.35.
  // Without the model every task that fits starts at 0 (4 of them) and J2's last at 10.
  function mono(cost: AllocationCost | undefined) {
    const sink = new RecordingSink();
    const fold = new MetricsFold();
    const res = resources({ cpus: 1, mem: 1024 });
    const task = { res, duration: seconds(10) };
    simulate({
      seed: 1,
      mode: 'monolithic',
      master: { allocationInterval: seconds(1), allocationCost: cost },
      allocator: getAllocator('drf')!.create({}),
      agents: [{ name: 'a', rack: 'r0', res: resources({ cpus: 4, mem: 8192 }) }],
      frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework({ decisionJob: 0.1, decisionTask: 0.05 }) }],
      weights: new Map(),
      jobs: [
        { id: 'J1', framework: 'f', submit: 0 as SimTime, tasks: [task, task] },
        { id: 'J2', framework: 'f', submit: 0 as SimTime, tasks: [task, task, task] },
      ],
      sinks: [sink, fold],
    });
    const starts = sink
      .of('task_state')
      .filter((r) => r.state === 'running')
      .map((r) => [r.job, r.t / S]);
    const runs = sink.of('allocation_run').map((r) => [r.t / S, r.busy === undefined ? undefined : r.busy / S]);
    const summary = fold.finish().summary;
    return { starts, runs, busy: summary.allocatorBusy, end: summary.runEnd / S };
  }

  test('jobs are decided one at a time, each t_job + t_task x its pending tasks', () => {
    const { starts, runs, busy, end } = mono(allocationCostFromSeconds({}));
    expect(starts).toEqual([
      [0, 0.2],
      [0, 0.2],
      [1, 0.45],
      [1, 0.45],
      [1, 10.35],
    ]);
    // the rounds' busy: the decisions begun in them (0.2, 0.25, 0.15), 0 for rounds without one
    expect(runs.slice(0, 4)).toEqual([
      [0, 0.2],
      [0.2, 0.25],
      [0.45, 0],
      [10.2, 0.15],
    ]);
    expect(runs.slice(4).every(([, b]) => b === 0)).toBe(true);
    // The run ends when J2's last task does, at 10.35 + 10 = 20.35 s; allocator_busy = the central
    // scheduler's decisions over it: (0.2 + 0.25 + 0.15) / 20.35.
    expect(end).toBe(20.35);
    expect(busy).toBeCloseTo(0.6 / 20.35, 12);
  });

  test('without the model the central scheduler decides at once', () => {
    const { starts, runs } = mono(undefined);
    expect(starts).toEqual([
      [0, 0],
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 10],
    ]);
    expect(runs.every(([, busy]) => busy === undefined)).toBe(true);
  });
});
