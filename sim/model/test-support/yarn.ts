/**
 * Small yarn runs for tests: the ResourceManager's settings at Hadoop's defaults (no AM
 * container, 1 s heartbeats, the FIFO queue), the heartbeat phases a seed gives, and one run of a
 * batch workload under a YARN scheduler with its task states at hand. Test-only; imports the model,
 * the allocator registry and the FIFO scheduler.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { FIFO_QUEUE, FifoScheduler } from '../../../allocators/yarn/fifo.js';
import { RandomStream } from '../../kernel/rng.js';
import { seconds } from '../../kernel/time.js';
import { BatchFramework } from '../frameworks/batch.js';
import type { JobSpec, TaskSpec } from '../job.js';
import type { LogSink } from '../log.js';
import { resources } from '../resources.js';
import { simulate, type AgentSpec, type FailureSpec, type SimulationResult } from '../simulation.js';
import type { YarnCommonOptions, YarnRmOptions, YarnScheduler } from '../yarn-port.js';
import { RecordingSink } from './scripted.js';

const S = 1_000_000;

/** The seeded heartbeat phases of the first `n` nodes to register, in us (the rule of YarnResourceManager.trigger). */
export function heartbeatPhases(n: number, seed = 1): number[] {
  const r = new RandomStream(seed, 'yarn/heartbeat');
  return Array.from({ length: n }, () => Math.floor(r.next() * S));
}

/** A task of 1 cpu and 1024 MB lasting `duration` s, preferring agents `prefer`. */
export function yarnTask(duration: number, prefer?: string[]): TaskSpec {
  return { res: resources({ cpus: 1, mem: 1024 }), duration: seconds(duration), ...(prefer === undefined ? {} : { preferredAgents: prefer }) };
}

/** Hadoop's allocation defaults with the memory-only calculator. */
export const MEMORY_DEFAULTS: YarnCommonOptions = {
  calculator: 'memory',
  minAllocation: resources({ mem: 1024, cpus: 1 }),
  maxAllocation: resources({ mem: 8192, cpus: 4 }),
};

/** The ResourceManager's settings: 1 s heartbeats out of band, no AM container, tasks at priority 20, the FIFO queue; `rm` overrides. */
export function rmOptions(rm: Partial<YarnRmOptions> = {}): YarnRmOptions {
  return {
    nodeHeartbeat: seconds(1),
    outOfBandHeartbeat: true,
    amHeartbeat: seconds(1),
    am: null,
    taskPriority: 20,
    calculator: 'memory',
    queueOf: () => FIFO_QUEUE,
    ...rm,
  };
}

/** One run: batch frameworks of role * (default one, `f`), seed 1 (default), yarn (default) with the FIFO scheduler (default). */
export interface YarnRunSpec {
  readonly agents: readonly AgentSpec[];
  readonly jobs: readonly JobSpec[];
  readonly rm?: Partial<YarnRmOptions>;
  readonly scheduler?: YarnScheduler;
  readonly frameworks?: readonly string[];
  readonly failures?: FailureSpec;
  readonly mode?: 'yarn' | 'offers';
  readonly seed?: number;
  /** sinks besides the recording one */
  readonly sinks?: readonly LogSink[];
}

/** What a run logged, with its task states as [task, agent, t] rows. */
export interface YarnRunResult {
  readonly sink: RecordingSink;
  readonly result: SimulationResult;
  readonly running: [number, number, number][];
  readonly finished: [number, number, number][];
  readonly lost: [number, number, number][];
  readonly killed: [number, number, number][];
  /** tasks running at `t` (us), by framework index */
  runningAt(t: number): number[];
}

export function runYarn(spec: YarnRunSpec): YarnRunResult {
  const sink = new RecordingSink();
  const frameworks = spec.frameworks ?? ['f'];
  const mode = spec.mode ?? 'yarn';
  const result = simulate({
    seed: spec.seed ?? 1,
    mode,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: spec.agents,
    frameworks: frameworks.map((name) => ({ name, role: '*', behaviour: new BatchFramework() })),
    weights: new Map(),
    jobs: spec.jobs,
    ...(spec.failures === undefined ? {} : { failures: spec.failures }),
    sinks: [...(spec.sinks ?? []), sink],
    ...(mode === 'yarn' ? { yarn: { scheduler: spec.scheduler ?? new FifoScheduler(MEMORY_DEFAULTS), options: rmOptions(spec.rm) } } : {}),
  });
  const states = (state: string): [number, number, number][] =>
    sink
      .of('task_state')
      .filter((r) => r.state === state)
      .map((r) => [r.task, r.agent, r.t]);
  const runningAt = (t: number): number[] => {
    const n = frameworks.map(() => 0);
    const ends = new Map(
      sink
        .of('task_state')
        .filter((r) => r.state === 'finished')
        .map((r) => [r.task, r.t]),
    );
    for (const r of sink.of('task_state')) if (r.state === 'running' && r.t <= t && (ends.get(r.task) ?? Infinity) > t) n[r.framework]!++;
    return n;
  };
  return { sink, result, running: states('running'), finished: states('finished'), lost: states('lost'), killed: states('killed'), runningAt };
}
