/**
 * The non-offer baselines, on cases worked out by hand.
 */
import { getAllocator } from '../../allocators/registry.js';
import { seconds } from '../kernel/time.js';
import { BatchFramework } from './frameworks/batch.js';
import type { JobSpec } from './job.js';
import { resources } from './resources.js';
import { simulate, type AgentSpec, type FrameworkSpec, type SimulationInput } from './simulation.js';
import { RecordingSink, ScriptedFramework } from './test-support/scripted.js';

const S = 1_000_000;

function job(id: string, framework: string, submit: number, n: number, cpus: number, mem: number, duration: number): JobSpec {
  const res = resources({ cpus, mem });
  return { id, framework, submit: seconds(submit), tasks: Array.from({ length: n }, () => ({ res, duration: seconds(duration) })) };
}

function run(mode: SimulationInput['mode'], agents: AgentSpec[], frameworks: FrameworkSpec[], jobs: JobSpec[], duration?: number) {
  const sink = new RecordingSink();
  const result = simulate({
    seed: 1, mode, master: { allocationInterval: seconds(1) }, allocator: getAllocator('drf')!.create({}),
    agents, frameworks, weights: new Map(), jobs, duration: duration === undefined ? undefined : seconds(duration), sinks: [sink],
  });
  const running = sink.of('task_state').filter((r) => r.state === 'running');
  return { sink, result, running };
}

const drfAgent: AgentSpec = { name: 's1', rack: 'r', res: resources({ cpus: 9, mem: 18 * 1024 }) };
const drfFrameworks = (): FrameworkSpec[] => [
  { name: 'A', role: '*', behaviour: new BatchFramework() },
  { name: 'B', role: '*', behaviour: new BatchFramework() },
];
const drfJobs = [job('a', 'A', 0, 10, 1, 4 * 1024, 1000), job('b', 'B', 0, 10, 3, 1024, 1000)];

describe('monolithic', () => {
  // Progressive filling in DRF order on <9 cpus, 18 GB>, all at t=0 (no offers, no ticks):
  // A (tie at 0, name order) -> A .22; B (0 < .22) -> B .33; A (.22) -> A .44; B (.33) -> B .67;
  // A (.44) -> A .67; A (tie, name) has no cpu left, nor has B: A = 3 tasks, B = 2 (DRF paper).
  test('the DRF paper example is filled at once, task by task', () => {
    const { running } = run('monolithic', [drfAgent], drfFrameworks(), drfJobs, 30);
    expect(running.map((r) => [r.framework, r.t])).toEqual([[0, 0], [1, 0], [0, 0], [1, 0], [0, 0]]);
  });

  // One agent of 2 cpus, one job of 4 one-cpu tasks lasting 1.5 s. Monolithic: two start at 0,
  // end at 1.5 and the other two start at once, so the job ends at 3.0. With offers the freed
  // cpus wait for the next periodic run at t=2, so the job ends at 3.5: the offer mechanism's
  // cost here is 0.5 s.
  test('freed resources are used at once, where offers wait for the tick', () => {
    const agents: AgentSpec[] = [{ name: 's1', rack: 'r', res: resources({ cpus: 2, mem: 4096 }) }];
    const fw = (): FrameworkSpec[] => [{ name: 'f', role: '*', behaviour: new BatchFramework() }];
    const jobs = [job('j', 'f', 0, 4, 1, 512, 1.5)];
    const mono = run('monolithic', agents, fw(), jobs);
    expect(mono.running.map((r) => r.t / S)).toEqual([0, 0, 1.5, 1.5]);
    expect(mono.result.endTime / S).toBe(3);
    const offers = run('offers', agents, fw(), jobs);
    expect(offers.running.map((r) => r.t / S)).toEqual([0, 0, 2, 2]);
    expect(offers.result.endTime / S).toBe(3.5);
    expect(mono.sink.of('offer_sent')).toHaveLength(0);
  });
});

describe('shared-state', () => {
  // Each framework fills the free cluster with its own tasks, in registration order, with no
  // arbitration: A places 4 tasks (4 cpus, 16 GB; a fifth needs 4 GB, 2 GB are left), then B one
  // (3 cpus, 1 GB; a second needs 3 cpus, 2 are left). A = 4, B = 1: no fairness.
  test('frameworks take what they see, first come first served', () => {
    const { running } = run('shared-state', [drfAgent], drfFrameworks(), drfJobs, 30);
    expect(running.map((r) => r.framework)).toEqual([0, 0, 0, 0, 1]);
  });
});

test('a behaviour that does not expose its next task cannot run without offers', () => {
  const f = new ScriptedFramework(() => ({ kind: 'hold' }));
  expect(() => run('monolithic', [drfAgent], [{ name: 'x', role: '*', behaviour: f }], [], 1))
    .toThrow(/framework x \(scripted\) cannot run without offers/);
});
