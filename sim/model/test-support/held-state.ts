/**
 * Cluster states for the baselines' framework order: frameworks that hold running tasks, then one
 * probe task each, and the order in which a baseline places the probes. Test-only (excluded from
 * the build); imports the model, the allocator registry and the batch behaviour.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { seconds, type SimTime } from '../../kernel/time.js';
import { BatchFramework } from '../frameworks/batch.js';
import type { JobSpec } from '../job.js';
import { resources, type ResourceAmounts } from '../resources.js';
import { simulate, type AgentSpec, type FrameworkSpec } from '../simulation.js';
import { RecordingSink } from './scripted.js';

/** A framework of a {@link HeldState}. */
export interface HeldFramework {
  readonly name: string;
  readonly role: string;
  /** its running tasks, as jobs of tasks: each job arrives alone and is placed at once, whole */
  readonly held: readonly (readonly ResourceAmounts[])[];
}

/** Frameworks holding running tasks on a cluster, with the allocator's options. */
export interface HeldState {
  readonly agents: readonly ResourceAmounts[];
  readonly frameworks: readonly HeldFramework[];
  /** role weights; default none (every role 1) */
  readonly weights?: ReadonlyMap<string, number>;
  /** the allocator's excludedResources; default none */
  readonly excludedResources?: readonly string[];
}

/** The jobs of a state's running tasks, in arrival order: framework by framework, 1 s apart from 1 s. */
export function heldJobs(s: HeldState): { readonly fw: number; readonly tasks: readonly ResourceAmounts[] }[] {
  return s.frameworks.flatMap((f, fw) => f.held.map((tasks) => ({ fw, tasks })));
}

/** A probe task: too small to move a share past another unless they tie. */
export const PROBE: ResourceAmounts = { cpus: 0.001 };

/**
 * Runs `s` under a baseline (`mode`, the registered allocator of that name): the held jobs arrive
 * 1 s apart, each alone, and run past the end; then, 1 s after the last, each framework of
 * `probed` submits one {@link PROBE} task. Returns the indices of the frameworks in the order their
 * probes were placed at that instant. Throws if a held task was not placed on arrival.
 */
export function probeOrder(mode: 'monolithic' | 'shared-state', s: HeldState, probed: readonly number[]): number[] {
  const held = heldJobs(s);
  const jobs: JobSpec[] = held.map((h, i) => ({
    id: `held-${i}`,
    framework: s.frameworks[h.fw]!.name,
    submit: seconds(i + 1),
    tasks: h.tasks.map((t) => ({ res: resources(t), duration: seconds(1000) })),
  }));
  const at = seconds(held.length + 1);
  for (const fw of probed) {
    jobs.push({ id: `probe-${fw}`, framework: s.frameworks[fw]!.name, submit: at, tasks: [{ res: resources(PROBE), duration: seconds(1000) }] });
  }
  const agents: AgentSpec[] = s.agents.map((a, i) => ({ name: `a${i}`, rack: 'r', res: resources(a) }));
  // Every framework may use the gpu agents (GPU_RESOURCES), as in Mesos's DRFWithFairnessExclusion
  // (src/tests/hierarchical_allocator_tests.cpp:569-570): the states are about order, not the GPU filter.
  const frameworks: FrameworkSpec[] = s.frameworks.map((f) => ({
    name: f.name,
    role: f.role,
    behaviour: new BatchFramework(),
    options: { gpuResources: true },
  }));
  const options = s.excludedResources === undefined ? {} : { excludedResources: s.excludedResources };
  const sink = new RecordingSink();
  simulate({
    seed: 1,
    mode,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator(mode)!.create(options),
    agents,
    frameworks,
    weights: s.weights ?? new Map(),
    jobs,
    duration: (at + 1) as SimTime,
    sinks: [sink],
  });
  const running = sink.of('task_state').filter((r) => r.state === 'running');
  const heldTasks = held.reduce((n, h) => n + h.tasks.length, 0);
  const early = running.filter((r) => r.t < at);
  if (early.length !== heldTasks || early.some((r) => r.t !== jobs[r.job]!.submit)) {
    throw new Error(`held tasks not all placed on arrival: ${JSON.stringify(early.map((r) => [r.job, r.t]))}`);
  }
  return running.filter((r) => r.t === at).map((r) => r.framework);
}
