/**
 * SchedulerDriver.kill through simulate(): a scheduler kills its own running task. Times in
 * comments are seconds, worked out by hand.
 */
import { getAllocator } from '../../allocators/registry.js';
import { InvariantError } from '../kernel/errors.js';
import { seconds, type SimTime } from '../kernel/time.js';
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from './framework.js';
import { TaskCode } from './job.js';
import { resources } from './resources.js';
import { simulate } from './simulation.js';
import { RecordingSink } from './test-support/scripted.js';
import { taskIx, type TaskIx } from './ids.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

/** Launches its job's two tasks on the first offer, then at 5 s kills task `victim` twice. */
class Killer implements FrameworkBehaviour {
  readonly kind = 'killer';
  readonly ended: [number, number, number][] = [];
  private launched = false;
  constructor(private readonly victim: TaskIx) {}
  onJobSubmitted(): void {}
  onOffers(offers: readonly OfferView[], driver: SchedulerDriver): void {
    for (const o of offers) {
      if (this.launched) {
        driver.decline(o.id);
        continue;
      }
      this.launched = true;
      driver.accept(o.id, [taskIx(0), taskIx(1)]);
      driver.after(5, () => {
        driver.kill(this.victim);
        driver.kill(this.victim); // already terminal: nothing happens
      });
    }
  }
  onOfferRescinded(): void {}
  onTaskEnded(task: number, code: number, driver: SchedulerDriver): void {
    this.ended.push([driver.now / S, task, code]);
  }
  pendingTasks(): number {
    return this.launched ? 0 : 2;
  }
}

function run(behaviour: FrameworkBehaviour, tasks = 2) {
  const sink = new RecordingSink();
  const result = simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [{ name: 'a1', rack: 'r', res: resources({ cpus: 2 }) }],
    frameworks: [{ name: 'k', role: '*', behaviour }],
    weights: new Map(),
    sinks: [sink],
    jobs: [{ id: 'j', submit: 0 as SimTime, framework: 'k', tasks: Array.from({ length: tasks }, () => ({ res: ONE_CPU, duration: seconds(20) })) }],
  });
  return { sink, result };
}

describe('SchedulerDriver.kill', () => {
  // 0: both tasks start on the 2-cpu agent (20 s each). 5: task 0 is killed: 'killed' at 5, its
  // scheduler told (code KILLED); the second kill does nothing. 20: task 1 finishes; the job's
  // last task has ended: job_finished at 20 (a kill is an ordinary end for its job).
  test('a running task goes killed at once, the scheduler is told, the job ends with its last task', () => {
    const k = new Killer(taskIx(0));
    const { sink, result } = run(k);
    expect(
      sink
        .of('task_state')
        .filter((r) => r.t > 0)
        .map((r) => [r.t / S, r.task, r.state]),
    ).toEqual([
      [5, 0, 'killed'],
      [20, 1, 'finished'],
    ]);
    expect(k.ended).toEqual([
      [5, 0, TaskCode.KILLED],
      [20, 1, TaskCode.FINISHED],
    ]);
    expect(sink.of('job_finished').map((r) => r.t / S)).toEqual([20]);
    expect(result.endTime / S).toBe(20);
  });

  // Task 2 of a 3-task job was never launched (Killer launches 0 and 1 only): killing it is a bug
  // in the scheduler, reported with the simulated time (5 s) and the event.
  test('killing a task that was never launched is a broken invariant', () => {
    expect(() => run(new Killer(taskIx(2)), 3)).toThrow(InvariantError);
    expect(() => run(new Killer(taskIx(2)), 3)).toThrow(/t=5000000 us .*killed task 2, which has not been launched/);
  });
});
