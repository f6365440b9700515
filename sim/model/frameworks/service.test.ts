/**
 * The service behaviour: placement through simulate() on small clusters (expected numbers worked
 * out by hand in the comments), and replacement of ended tasks by a direct unit test.
 */
import { getAllocator } from '../../../allocators/registry.js';
import { seconds } from '../../kernel/time.js';
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from '../framework.js';
import { type JobSpec, TaskCode, TaskTable } from '../job.js';
import { resources } from '../resources.js';
import { simulate, type AgentSpec } from '../simulation.js';
import { RecordingSink } from '../test-support/scripted.js';
import { BatchFramework } from './batch.js';
import { ServiceFramework, type ServiceOptions } from './service.js';
import { agentIx, taskIx } from '../ids.js';

const S = 1_000_000;

function agent(name: string, rack: string): AgentSpec {
  return { name, rack, res: resources({ cpus: 4, mem: 4096 }) };
}

/** `n` instances of <1 cpu, 512 MB> that outlast the 20 s runs. */
function instances(n: number): JobSpec {
  const res = resources({ cpus: 1, mem: 512 });
  return { id: 's/service', framework: 's', submit: seconds(0), tasks: Array.from({ length: n }, () => ({ res, duration: seconds(1000) })) };
}

function run(agents: AgentSpec[], n: number, options: ServiceOptions = {}) {
  const sink = new RecordingSink();
  const service = new ServiceFramework(options);
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents,
    frameworks: [{ name: 's', role: '*', behaviour: service }],
    weights: new Map(),
    jobs: [instances(n)],
    duration: seconds(20),
    sinks: [sink],
  });
  const running = sink.of('task_state').filter((r) => r.state === 'running');
  return { sink, result, service, running };
}

describe('service placement', () => {
  // Four agents of <4 cpus, 4 GB>, a0 and a1 on rack r0, a2 and a3 on r1; 3 instances of <1, 512>,
  // maxPerAgent 1, spreadRacks. The service is alone, so the run at t=0 offers it all four agents
  // in one delivery (shuffled order). Instance 1 goes to the first offer (racks tie at 0), say on
  // rack X; instance 2 to the first offer on the other rack (0 < 1); instance 3 (racks tie at 1)
  // to the first offer whose agent has none yet. So 3 instances on 3 agents at t=0, 2 on one rack
  // and 1 on the other. Then nothing is pending: it suppresses, and no task ever ends: the run
  // stops at its duration (20 s) with the job unfinished and 3 instances running.
  test('at most one per agent, spread over racks, kept running, never finishing', () => {
    const { result, service, running, sink } = run([agent('a0', 'r0'), agent('a1', 'r0'), agent('a2', 'r1'), agent('a3', 'r1')], 3);
    expect(running.map((r) => r.t / S)).toEqual([0, 0, 0]);
    const agents = running.map((r) => r.agent);
    expect(new Set(agents).size).toBe(3);
    const perRack = [0, 0];
    for (const a of agents) perRack[a < 2 ? 0 : 1]!++;
    expect(perRack.sort()).toEqual([1, 2]);
    expect(sink.of('suppress').map((r) => r.t / S)).toEqual([0]);
    expect(sink.of('task_state').filter((r) => r.state === 'finished')).toEqual([]);
    expect(result.reason).toBe('duration');
    expect(result.endTime / S).toBe(20);
    expect(result.jobsFinished).toBe(0);
    expect(service.running()).toBe(3);
    expect(service.pendingTasks()).toBe(0);
  });

  // Two agents on one rack, 3 instances, maxPerAgent 1: two start at t=0 on the two agents; the
  // third never fits the constraint: each later offer (the agents' unused rest, every 5 s once the
  // accept filters lapse: t=5, 10, 15) is declined, and the service stays unsuppressed.
  test('declines offers that would break maxPerAgent', () => {
    const { service, running, sink } = run([agent('a0', 'r0'), agent('a1', 'r0')], 3);
    expect(running.map((r) => [r.t / S, r.agent]).sort()).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(service.pendingTasks()).toBe(1);
    expect(sink.of('offer_declined').map((r) => r.t / S)).toEqual([5, 5, 10, 10, 15, 15]);
    expect(sink.of('suppress')).toEqual([]);
  });

  // With maxPerAgent 2 and no spreading, the same 3 instances fit two agents: the first offered
  // agent takes 2 (its limit), the second 1.
  test('maxPerAgent 2 packs two per agent', () => {
    const { running } = run([agent('a0', 'r0'), agent('a1', 'r1')], 3, { maxPerAgent: 2, spreadRacks: false });
    const counts = [0, 0];
    for (const r of running) counts[r.agent]!++;
    expect(counts.sort()).toEqual([1, 2]);
  });
});

/** A driver over a task table, recording what the scheduler does. */
function fakeDriver(tasks: TaskTable, service: ServiceFramework) {
  const calls: string[] = [];
  const driver: SchedulerDriver = {
    now: 0 as never,
    tasks,
    rackOf: (a) => `r${a}`,
    accept: (offer, ids) => {
      calls.push(`accept ${offer} [${ids.join(',')}]`);
      for (const t of ids) {
        tasks.agent[t] = offer; // offer k is on agent k in these tests
        tasks.state[t] = TaskCode.RUNNING;
      }
    },
    decline: (offer) => calls.push(`decline ${offer}`),
    suppress: () => calls.push('suppress'),
    revive: () => calls.push('revive'),
    after: () => calls.push('after'),
    decided: () => calls.push('decided'),
    abandon: () => calls.push('abandon'),
    kill: (task) => calls.push(`kill ${task}`),
    restartJob: (job) => {
      calls.push(`restart ${job}`);
      return job;
    },
    resubmit: (task) => {
      calls.push(`resubmit ${task}`);
      const j = tasks.addJob(
        {
          id: `s/replace-${task}`,
          framework: 's',
          submit: 0 as never,
          tasks: [{ res: tasks.res.slice(task * 4, task * 4 + 4), duration: tasks.duration[task]! as never }],
        },
        0,
      );
      service.onJobSubmitted(j, driver);
    },
  };
  return { driver, calls };
}

function offer(id: number): OfferView {
  return { id, agent: agentIx(id), res: resources({ cpus: 4, mem: 4096 }) };
}

describe('service replacement (onTaskEnded)', () => {
  // Two instances on agents 0 and 1 (racks r0, r1). Task 0 is lost: the service submits a copy
  // (task 2), revives, and places it on the next offer of agent 0 (now free of instances); task 1
  // finishing is not replaced; a failed (task 2) or killed (task 3, 2's copy) one is.
  test('a lost, failed or killed task is replaced; a finished one is not', () => {
    const tasks = new TaskTable();
    const service = new ServiceFramework();
    const { driver, calls } = fakeDriver(tasks, service);
    const res = resources({ cpus: 1, mem: 512 });
    const j = tasks.addJob(
      {
        id: 's/service',
        framework: 's',
        submit: 0 as never,
        tasks: [
          { res, duration: 1 as never },
          { res, duration: 1 as never },
        ],
      },
      0,
    );
    service.onJobSubmitted(j, driver);
    service.onOffers([offer(0), offer(1)], driver);
    expect(calls).toEqual(['accept 0 [0]', 'accept 1 [1]', 'suppress']);
    expect(service.running()).toBe(2);

    calls.length = 0;
    tasks.state[0] = TaskCode.LOST;
    service.onTaskEnded(taskIx(0), TaskCode.LOST, driver);
    expect(calls).toEqual(['resubmit 0', 'revive']);
    expect(service.pendingTasks()).toBe(1);
    expect(service.running()).toBe(1);
    calls.length = 0;
    // Agent 1 still has an instance (maxPerAgent 1): the copy goes to agent 0.
    service.onOffers([offer(1), offer(0)], driver);
    expect(calls).toEqual(['decline 1', 'accept 0 [2]', 'suppress']);
    expect(service.running()).toBe(2);

    calls.length = 0;
    tasks.state[1] = TaskCode.FINISHED;
    service.onTaskEnded(taskIx(1), TaskCode.FINISHED, driver);
    expect(calls).toEqual([]);
    expect(service.running()).toBe(1);
    calls.length = 0;
    tasks.state[2] = TaskCode.FAILED;
    service.onTaskEnded(taskIx(2), TaskCode.FAILED, driver);
    expect(calls).toEqual(['resubmit 2', 'revive']);
    service.onOffers([offer(0)], driver);
    calls.length = 0;
    tasks.state[3] = TaskCode.KILLED;
    service.onTaskEnded(taskIx(3), TaskCode.KILLED, driver);
    expect(calls).toEqual(['resubmit 3', 'revive']);
    expect(service.running()).toBe(0);
    expect(service.pendingTasks()).toBe(1);
    expect(service.replaced).toBe(3);
  });
});

describe('SchedulerDriver.resubmit through the master', () => {
  /** A batch scheduler that resubmits its first ended task once. */
  function resubmitting(): FrameworkBehaviour {
    const inner = new BatchFramework();
    let done = false;
    return {
      kind: 'batch',
      onJobSubmitted: (j, d) => inner.onJobSubmitted(j, d),
      onOffers: (o, d) => inner.onOffers(o, d),
      onOfferRescinded: () => {},
      onTaskEnded: (task, _code, d) => {
        if (done) return;
        done = true;
        d.resubmit(task);
      },
      pendingTasks: () => inner.pendingTasks(),
    };
  }

  // One agent of <4 cpus, 4 GB>; a job of one whole-agent task lasting 2 s at t=0, run to
  // completion. t=0: it launches, the framework suppresses. t=2: the task ends (release phase)
  // and the scheduler resubmits it: job 'f/replace-0' (job 1, task 1) is logged at t=2 and the
  // batch scheduler revives, whose run (t=2, allocate phase, after the release) offers the whole
  // agent: the copy starts at t=2 and ends at t=4. The run completes at t=4 with 2 jobs submitted
  // and finished (it does not stop at t=2, when the one job of the workload finished).
  test('the copy is a new one-task job, and the run waits for it', () => {
    const sink = new RecordingSink();
    const res = resources({ cpus: 4, mem: 4096 });
    const result = simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({}),
      agents: [agent('a0', 'r0')],
      frameworks: [{ name: 'f', role: '*', behaviour: resubmitting() }],
      weights: new Map(),
      jobs: [{ id: 'f/0', framework: 'f', submit: seconds(0), tasks: [{ res, duration: seconds(2) }] }],
      sinks: [sink],
    });
    expect(sink.of('job_submitted').map((r) => [r.t / S, r.name, r.job, r.tasks])).toEqual([
      [0, 'f/0', 0, 1],
      [2, 'f/replace-0', 1, 1],
    ]);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.state === 'running')
        .map((r) => [r.t / S, r.task]),
    ).toEqual([
      [0, 0],
      [2, 1],
    ]);
    expect(result).toMatchObject({ reason: 'completed', endTime: 4 * S, jobsSubmitted: 2, jobsFinished: 2 });
  });
});
