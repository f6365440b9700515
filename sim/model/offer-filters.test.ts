/**
 * What a framework declares that changes what it may be offered, end to end through simulate():
 * the GPU_RESOURCES capability under the master's GPU filter (Mesos `--filter_gpu_resources`,
 * `isCapableOfReceivingAgent`, src/master/allocator/mesos/hierarchical.cpp:3095-3113), under
 * offers and the baselines, and a framework's own min-allocatable check (Mesos
 * `FrameworkInfo.offer_filters`, `allocatable`, hierarchical.cpp:2812-2846). Expected numbers are
 * worked out by hand in the comments.
 */
import { getAllocator } from '../../allocators/registry.js';
import { seconds } from '../kernel/time.js';
import { BatchFramework } from './frameworks/batch.js';
import type { JobSpec } from './job.js';
import type { FrameworkOptions, MasterOptions } from './master.js';
import { resources, type ResourceAmounts } from './resources.js';
import { simulate, type AgentSpec, type FrameworkSpec } from './simulation.js';
import { RecordingSink } from './test-support/scripted.js';

const S = 1_000_000;

/** A job of `framework` submitted at `submit` s: one task per entry of `tasks` ([amounts, duration s]). */
function job(id: string, framework: string, submit: number, tasks: readonly (readonly [ResourceAmounts, number])[]): JobSpec {
  return { id, framework, submit: seconds(submit), tasks: tasks.map(([r, d]) => ({ res: resources(r), duration: seconds(d) })) };
}

function fw(name: string, addAt = 0, options?: FrameworkOptions): FrameworkSpec {
  return { name, role: '*', behaviour: new BatchFramework(), addAt: seconds(addAt), ...(options === undefined ? {} : { options }) };
}

function run(
  agents: AgentSpec[],
  frameworks: FrameworkSpec[],
  jobs: JobSpec[],
  master: MasterOptions = {},
  mode?: 'monolithic' | 'shared-state',
  policy = 'drf',
) {
  const sink = new RecordingSink();
  const allocator = getAllocator(mode ?? policy)!.create({});
  simulate({
    seed: 1,
    ...(mode === undefined ? {} : { mode }),
    master: { allocationInterval: seconds(1), ...master },
    allocator,
    agents,
    frameworks,
    weights: new Map(),
    jobs,
    sinks: [sink],
  });
  const running = sink.of('task_state').filter((r) => r.state === 'running');
  /** [start s, agent index] of framework `f`'s tasks, in start order */
  const starts = (f: number) => running.filter((r) => r.framework === f).map((r): [number, number] => [r.t / S, r.agent]);
  const declines = (f: number) => sink.of('offer_declined').filter((r) => r.framework === f).length;
  return { sink, starts, declines };
}

// Agents 0 and 1 hold a gpu each; agents 2 and 3 none. Each has 4 cpus and 4096 MB.
const MIXED: AgentSpec[] = ['g0', 'g1', 'c0', 'c1'].map((name) => ({
  name,
  rack: 'r',
  res: resources({ cpus: 4, mem: 4096, gpus: name.startsWith('g') ? 1 : 0 }),
}));
const WHOLE = { cpus: 4, mem: 4096 };
const GPU_TASK = { cpus: 1, mem: 1024, gpus: 1 };

describe('the GPU filter (master filterGpuResources, framework GPU_RESOURCES)', () => {
  // 'plain' (no capability) alone, one job of 4 tasks of 4 cpus, 4096 MB, 9.5 s, at t=0.
  // Filter on: it is offered c0 and c1 only; 2 tasks start at 0 on agents 2 and 3, end at 9.5; the
  //   next periodic run, t=10, offers c0 and c1 again: the other 2 start at 10 there.
  // Filter off: it is offered all four agents at 0: the 4 tasks start at 0, one per agent.
  const plainAlone = [
    job(
      'p',
      'plain',
      0,
      Array.from({ length: 4 }, () => [WHOLE, 9.5] as const),
    ),
  ];

  test('an agent with gpus is never offered to a framework without GPU_RESOURCES', () => {
    const { starts } = run(MIXED, [fw('plain')], plainAlone);
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 10, 10]);
    expect(new Set(starts(0).map(([, a]) => a))).toEqual(new Set([2, 3]));
  });

  // The rule is the master's: every registered offer policy asks it of every offer ('static' needs
  // partitions, and confines frameworks by its own rule besides).
  test.each(['random', 'asset', 'cpu-share', 'fifo', 'priority'])('so under %s', (policy) => {
    const { starts } = run(MIXED, [fw('plain')], plainAlone, {}, undefined, policy);
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 10, 10]);
    expect(new Set(starts(0).map(([, a]) => a))).toEqual(new Set([2, 3]));
  });

  test('with filterGpuResources false it is offered every agent', () => {
    const { starts } = run(MIXED, [fw('plain')], plainAlone, { filterGpuResources: false });
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 0, 0]);
    expect(new Set(starts(0).map(([, a]) => a))).toEqual(new Set([0, 1, 2, 3]));
  });

  // 'plain' (no capability) subscribes at 0 with 4 tasks of 4 cpus, 4096 MB, 99.5 s; 'gpu'
  // (GPU_RESOURCES) at 1 with 2 tasks of 1 cpu, 1024 MB, 1 gpu, 10 s.
  // Filter on: t=0 plain gets c0 and c1 (2 tasks start there); t=1 gpu subscribes, g0 and g1 are
  //   free and plain may not have them: gpu gets both, its 2 tasks start at 1 on agents 0 and 1.
  //   plain's last 2 start when its first 2 end (99.5), at the periodic run at 100. From t=1 on,
  //   g0 and g1 have 3 cpus, 3072 MB and no gpu free: plain is still never offered them, as
  //   Mesos asks whether the agent's total has gpus (Slave::hasGpu, hierarchical.hpp:360, 385).
  // Filter off: t=0 plain gets all four agents (4 tasks start); at 1 nothing is free, so gpu's
  //   tasks wait for plain's to end at 99.5 and start at the run at 100, on the gpu agents.
  const mixedJobs = [
    job(
      'p',
      'plain',
      0,
      Array.from({ length: 4 }, () => [WHOLE, 99.5] as const),
    ),
    job('g', 'gpu', 1, [
      [GPU_TASK, 10],
      [GPU_TASK, 10],
    ]),
  ];
  const mixedFws = () => [fw('plain'), fw('gpu', 1, { gpuResources: true })];

  test('a mixed cluster: the gpu agents wait for the framework that can use them', () => {
    const { starts, sink } = run(MIXED, mixedFws(), mixedJobs);
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 100, 100]);
    expect(sink.of('offer_sent').filter((o) => o.framework === 0 && o.agent < 2)).toEqual([]);
    expect(new Set(starts(0).map(([, a]) => a))).toEqual(new Set([2, 3]));
    expect(starts(1).map(([t]) => t)).toEqual([1, 1]);
    expect(new Set(starts(1).map(([, a]) => a))).toEqual(new Set([0, 1]));
  });

  test('a mixed cluster without the filter: the plain framework takes the gpu agents', () => {
    const { starts } = run(MIXED, mixedFws(), mixedJobs, { filterGpuResources: false });
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 0, 0]);
    expect(starts(1).map(([t]) => t)).toEqual([100, 100]);
    expect(new Set(starts(1).map(([, a]) => a))).toEqual(new Set([0, 1]));
  });

  // The baselines place tasks under the same rule: plain alone, as in the first test, places 2
  // tasks at 0 on c0 and c1, and the other 2 only once those end (9.5), never on g0 or g1.
  test.each(['monolithic', 'shared-state'] as const)('%s places no task of a framework without GPU_RESOURCES on a gpu agent', (mode) => {
    const on = run(MIXED, [fw('plain')], plainAlone, {}, mode).starts(0);
    expect(on.filter(([t]) => t === 0).length).toBe(2);
    expect(on.every(([t]) => t === 0 || t >= 9.5)).toBe(true);
    expect(new Set(on.map(([, a]) => a))).toEqual(new Set([2, 3]));
    const off = run(MIXED, [fw('plain')], plainAlone, { filterGpuResources: false }, mode).starts(0);
    expect(off.map(([t]) => t)).toEqual([0, 0, 0, 0]);
  });
});

describe("a framework's own minAllocatable (Mesos offer_filters)", () => {
  // One agent of 6 cpus, 6144 MB. t=0: 'small' subscribes and its job S0 (3 tasks of 2 cpus,
  // 2048 MB: two of 100 s, one of 9.5 s) takes the whole agent. t=0.5: 'big' subscribes with job B
  // (1 task of 4 cpus, 4096 MB, 10 s): nothing is free. t=5: small's job S1 (1 task of 2 cpus,
  // 2048 MB, 10 s) arrives: nothing free. t=9.5: S0's short task ends; the run at 10 finds
  // 2 cpus, 2048 MB free. DRF order: big (share 0) before small (4/6).
  // Without an override: big is offered the 2 cpus, cannot use them and declines (a 5 s refuse
  //   filter); small gets them at the next run, t=11 (big filtered): S1 starts at 11. S1 ends at
  //   21 and the crumbs come back: big declines them at 21, and again each time its 5 s filter
  //   has run out (26, 31, ..., 96), until the long tasks end at 100: 1 + (96 - 21) / 5 + 1 = 17
  //   declines.
  // With big's minAllocatable [{cpus: 4, mem: 4096}]: 2 cpus are not allocatable to big, which is
  //   skipped; small is offered them in the same run: S1 starts at 10, and big is never offered
  //   the crumbs: 0 declines.
  // B starts once S0's long tasks end at 100 (4 cpus free), in both cases.
  const agents: AgentSpec[] = [{ name: 'a', rack: 'r', res: resources({ cpus: 6, mem: 6144 }) }];
  const TWO = { cpus: 2, mem: 2048 };
  const jobs = [
    job('s0', 'small', 0, [
      [TWO, 100],
      [TWO, 100],
      [TWO, 9.5],
    ]),
    job('b', 'big', 0.5, [[WHOLE, 10]]),
    job('s1', 'small', 5, [[TWO, 10]]),
  ];

  test('without an override the big framework is offered the crumbs and declines them', () => {
    const { starts, declines } = run(agents, [fw('small'), fw('big', 0.5)], jobs);
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 0, 11]);
    expect(declines(1)).toBe(17);
    expect(starts(1).map(([t]) => t)).toEqual([100]);
  });

  test('with minAllocatable {cpus: 4, mem: 4096} it is skipped and the next framework is offered them at once', () => {
    const { starts, declines } = run(agents, [fw('small'), fw('big', 0.5, { minAllocatable: [resources(WHOLE)] })], jobs);
    expect(starts(0).map(([t]) => t)).toEqual([0, 0, 0, 10]);
    expect(declines(1)).toBe(0);
    expect(starts(1).map(([t]) => t)).toEqual([100]);
  });

  // master.minAllocatable [{cpus: 1}]; one agent of 1.5 cpus, 4096 MB. t=0: 'a' takes the agent for
  // 1 task of 1 cpu, 1024 MB, 99.5 s; the rest, 0.5 cpus, 3072 MB, fails the master's check. t=0.5:
  // 'b' subscribes with 1 task of 0.5 cpus, 1024 MB, 10 s.
  // With b's minAllocatable [] (anything non-empty is allocatable, Mesos mesos.proto OfferFilters):
  //   the run at 0.5 offers b the 0.5 cpus: its task starts at 0.5.
  // Without: nothing is ever offered until a's task ends (99.5): b's task starts at the run at 100.
  test('an empty override makes anything allocatable to that framework, below the master minimum', () => {
    const one: AgentSpec[] = [{ name: 'a', rack: 'r', res: resources({ cpus: 1.5, mem: 4096 }) }];
    const js = [job('a', 'a', 0, [[{ cpus: 1, mem: 1024 }, 99.5]]), job('b', 'b', 0.5, [[{ cpus: 0.5, mem: 1024 }, 10]])];
    const master = { minAllocatable: [resources({ cpus: 1 })] };
    expect(run(one, [fw('a'), fw('b', 0.5, { minAllocatable: [] })], js, master).starts(1)).toEqual([[0.5, 0]]);
    expect(run(one, [fw('a'), fw('b', 0.5)], js, master).starts(1)).toEqual([[100, 0]]);
  });
});
