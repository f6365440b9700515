/**
 * The architectures' registry: every name of ARCHITECTURES builds its architecture, and each
 * says what it needs of a framework's behaviour. One small workload runs under every one of
 * them, so that an architecture added tomorrow is run here without a line changed. Their
 * behaviour on cases worked out by hand is in sim/model/central.test.ts (the direct ones) and the
 * offer tests (golden.test.ts, failures.test.ts, ...).
 */
import { getAllocator } from '../../../allocators/registry.js';
import { FifoScheduler } from '../../../allocators/yarn/fifo.js';
import { seconds } from '../../kernel/time.js';
import type { FrameworkBehaviour } from '../framework.js';
import { BatchFramework } from '../frameworks/batch.js';
import type { JobSpec } from '../job.js';
import { resources } from '../resources.js';
import { simulate, type SimulationInput } from '../simulation.js';
import { RecordingSink, ScriptedFramework } from '../test-support/scripted.js';
import { rmOptions } from '../test-support/yarn.js';
import { ARCHITECTURES, type ArchitectureName } from './index.js';

/** One agent of 2 cpus; one job of two 1-cpu tasks of 1 s at t=0. */
function input(mode: ArchitectureName, behaviour: FrameworkBehaviour = new BatchFramework()): SimulationInput & { sink: RecordingSink } {
  const sink = new RecordingSink();
  const res = resources({ cpus: 1, mem: 512 });
  const jobs: JobSpec[] = [
    {
      id: 'j',
      framework: 'f',
      submit: seconds(0),
      tasks: [
        { res, duration: seconds(1) },
        { res, duration: seconds(1) },
      ],
    },
  ];
  return {
    sink,
    seed: 1,
    mode,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [{ name: 'a', rack: 'r', res: resources({ cpus: 2, mem: 4096 }) }],
    frameworks: [{ name: 'f', role: '*', behaviour }],
    weights: new Map(),
    jobs,
    sinks: [sink],
    // yarn: the FIFO scheduler (no locality delay), no AM container, 1 s heartbeats.
    yarn: {
      scheduler: new FifoScheduler({
        calculator: 'dominant',
        minAllocation: resources({ cpus: 1, mem: 512 }),
        maxAllocation: resources({ cpus: 2, mem: 4096 }),
      }),
      options: rmOptions({ calculator: 'dominant' }),
    },
  };
}

describe.each(ARCHITECTURES)('architecture %s', (mode) => {
  test('runs a job to completion: both tasks at once (one agent fits both), done 1 s later', () => {
    const run = input(mode);
    const result = simulate(run);
    expect(result.reason).toBe('completed');
    expect(result.jobsFinished).toBe(1);
    const running = run.sink.of('task_state').filter((r) => r.state === 'running');
    // offers: the framework subscribes with its job at t=0 and is offered the agent at once;
    // the direct ones place at their round at t=0; yarn: the AM asks at its first call (1 s),
    // the node heartbeats before 2 s and the AM takes both containers at its call at 2 s.
    const start = mode === 'yarn' ? seconds(2) : 0;
    expect(running.map((r) => r.t)).toEqual([start, start]);
    expect(result.endTime).toBe(start + seconds(1));
    // offers are made only under offers
    expect(run.sink.of('offer_sent').length > 0).toBe(mode === 'offers');
  });
});

test('a behaviour that does not say its next task runs only under offers; the message names the framework', () => {
  for (const mode of ARCHITECTURES) {
    const run = input(mode, new ScriptedFramework(() => ({ kind: 'hold' })));
    if (mode === 'offers') expect(() => simulate({ ...run, jobs: [] })).not.toThrow();
    else if (mode === 'yarn')
      expect(() => simulate(run)).toThrow(/^framework f \(scripted\) cannot run under yarn: its behaviour does not let an ApplicationMaster launch its tasks$/);
    else expect(() => simulate(run)).toThrow(/^framework f \(scripted\) cannot run without offers: its behaviour does not expose its next task$/);
  }
});
