/**
 * The life of a launched task on the master: staging and running at its launch, its end
 * (finished, lost or killed) with its resources back to the agent and to the policy, its
 * scheduler told, and its job counted. Imports the kernel and model modules.
 */
import { Phase } from '../kernel/phases.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import type { AgentTable } from './agents.js';
import type { Allocator } from './allocation-port.js';
import type { FrameworkBehaviour, SchedulerDriver } from './framework.js';
import { Locality, TaskCode, type TaskTable } from './job.js';
import type { RecordLog } from './record-log.js';
import { NUM_RESOURCES } from './resources.js';
import { agentIx, frameworkIx, taskIx, type AgentIx, type FrameworkIx, type TaskIx } from './ids.js';

/** What a task's life needs of the master. */
export interface TaskLifeHost {
  /** framework `fw`'s scheduler, and whether it was removed (then it is told nothing) */
  client(fw: number): { readonly behaviour: FrameworkBehaviour; readonly driver: SchedulerDriver; readonly removed: boolean };
  /** whether an agent failed, a framework disconnected or a task was killed in this run */
  failuresSeen(): boolean;
  /** whether job `job` ends with no job_finished record (abandoned, restarted or dropped) */
  endsQuietly(job: number): boolean;
  /** running `task` on `agent` ended and its resources came back (the architecture may place at once) */
  changed(task: number, agent: number): void;
  /** every task of job `job` has reached a terminal state */
  jobFinished(job: number): void;
}

/** Launches and ends the run's tasks. */
export class TaskLife {
  private readonly hFinish: HandlerId;

  constructor(
    private readonly sim: Simulator,
    private readonly tasks: TaskTable,
    private readonly agents: AgentTable,
    private readonly allocator: Allocator,
    private readonly log: RecordLog,
    private readonly host: TaskLifeHost,
  ) {
    this.hFinish = sim.register('task-finish', (task) => this.finish(task));
  }

  /** multi-role frameworks' running tasks: the role each is allocated to */
  private readonly roles = new Map<number, string>();

  /**
   * Task `task` of `fw` starts on `agent` (its resources already accounted as allocated): staging
   * and running at this instant, as executors start at once; its end is due after its duration,
   * slowed by the framework's remote slowdown when it did not run node-local. `role`: the role of
   * a multi-role framework its offer was allocated to, which its resources go back to (undefined
   * for one role).
   */
  launch(task: TaskIx, fw: FrameworkIx, agent: AgentIx, role?: string): void {
    if (role !== undefined) this.roles.set(task, role);
    const t = this.tasks;
    const s = t.slotOf(task);
    t.agent[s] = agent;
    this.agents.started(agent, task);
    t.state[s] = TaskCode.STAGING;
    this.logTask(task, fw);
    // Executors start at once: staging and running fall on the launch instant.
    t.state[s] = TaskCode.RUNNING;
    this.logTask(task, fw);
    let duration = t.duration[s]!;
    if (t.prefs[s] !== undefined) {
      // Only tasks with preferences have a locality: runs without any log no extra record.
      const loc = t.localityOf(task, agent);
      this.log.taskLocality(this.sim.now, task, t.job[s]!, fw, agent, loc);
      const slow = this.host.client(fw).behaviour.remoteSlowdown ?? 1;
      if (loc !== Locality.NODE && slow !== 1) duration = Math.max(1, Math.round(duration * slow));
    }
    this.sim.after(duration, Phase.RELEASE, this.hFinish, task);
  }

  /**
   * Task `task` reaches terminal state `code` (FINISHED, or LOST with its agent, or KILLED):
   * resources back, scheduler told unless `notify` is false, its job counted.
   */
  end(task: number, code: number, notify = true): void {
    const t = this.tasks;
    if (!t.isLive(task) || t.state[t.slotOf(task)] !== TaskCode.RUNNING) throw this.sim.invariant(`task ${task} ended while not running`);
    const s = t.slotOf(task);
    const j = t.job[s]!;
    const fw = frameworkIx(t.jobFramework[j]!);
    const agent = agentIx(t.agent[s]!);
    t.state[s] = code;
    t.ended(task);
    // A view, used before the scheduler is told (a job it submits then may move the slots).
    const res = t.res.subarray(s * NUM_RESOURCES, s * NUM_RESOURCES + NUM_RESOURCES);
    const reserved = this.agents.ended(agent, task, res);
    this.logTask(task, fw);
    // Terminal tasks recover with no filter; they wait for the next periodic run (MESOS-3078). A
    // multi-role framework's task goes back to the role its offer was allocated to.
    const role = this.roles.size === 0 ? undefined : this.roles.get(task);
    if (role !== undefined) {
      this.roles.delete(task);
      this.allocator.recover(fw, agent, res, reserved, role);
    } else if (reserved !== undefined) this.allocator.recover(fw, agent, res, reserved);
    else this.allocator.recover(fw, agent, res);
    // A scheduler that places tasks itself does so as soon as resources free up: no tick to wait for.
    this.host.changed(task, agent);
    const f = this.host.client(fw);
    if (notify && !f.removed) f.behaviour.onTaskEnded(taskIx(task), code, f.driver);
    const done = ++t.doneCount[j]!;
    if (done === t.taskCount[j]) {
      if (!this.host.endsQuietly(j)) this.log.record({ kind: 'job_finished', t: this.sim.now, job: j, framework: fw });
      this.host.jobFinished(j);
    }
  }

  /** A task's end event (its duration is over). */
  private finish(task: number): void {
    if (this.agents.anyDown || this.host.failuresSeen()) {
      // A task on a failed agent ends unseen: the master hears nothing until it declares it lost.
      // A lost task's own end event still fires later: it has nothing left to do (task ids are
      // never relaunched; schedulers rerun lost work as copies, see SchedulerDriver.resubmit).
      // The same holds for a task killed when its framework's failover timeout ran out, or by its
      // scheduler (SchedulerDriver.kill).
      // A task whose job is over and reclaimed was killed or lost (a finished one has no end event left).
      const t = this.tasks;
      if (!t.isLive(task)) return;
      const s = t.slotOf(task);
      const st = t.state[s];
      if (st === TaskCode.LOST || st === TaskCode.KILLED || this.agents.isDown(t.agent[s]!)) return;
    }
    this.end(task, TaskCode.FINISHED);
  }

  private logTask(task: number, fw: number): void {
    const t = this.tasks;
    const s = t.slotOf(task);
    this.log.taskState(this.sim.now, task, t.job[s]!, fw, t.agent[s]!, t.state[s]!, t.res, s * NUM_RESOURCES);
  }
}
