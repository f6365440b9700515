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
  /** running `task`'s end event fired while its agent `agent` was down (see AgentPartitions.endedUnseen) */
  endedUnseen(task: number, agent: number): void;
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
   * Task `task` reaches terminal state `code` (FINISHED, or LOST with its agent, or KILLED, or
   * GONE): resources back (an unreachable task's went with its agent), scheduler told unless
   * `notify` is false, its job counted.
   */
  end(task: number, code: number, notify = true): void {
    const t = this.tasks;
    const was = t.isLive(task) ? t.state[t.slotOf(task)] : undefined;
    if (was !== TaskCode.RUNNING && was !== TaskCode.UNREACHABLE) throw this.sim.invariant(`task ${task} ended while not running`);
    const s = t.slotOf(task);
    const j = t.job[s]!;
    const fw = frameworkIx(t.jobFramework[j]!);
    const agent = agentIx(t.agent[s]!);
    t.state[s] = code;
    t.ended(task);
    if (was === TaskCode.RUNNING) this.release(task, fw, agent);
    else this.logTask(task, fw);
    const f = this.host.client(fw);
    if (notify && !f.removed) f.behaviour.onTaskEnded(taskIx(task), code, f.driver);
    const done = ++t.doneCount[j]!;
    if (done === t.taskCount[j]) {
      if (!this.host.endsQuietly(j)) this.log.record({ kind: 'job_finished', t: this.sim.now, job: j, framework: fw });
      this.host.jobFinished(j);
    }
  }

  /** Running `task` of `fw` leaves `agent`: its resources back to the agent and the policy; logged. */
  private release(task: number, fw: FrameworkIx, agent: AgentIx): void {
    const t = this.tasks;
    const s = t.slotOf(task);
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
  }

  /**
   * Running `task` of a partition-aware framework, on an agent being marked unreachable, goes
   * TASK_UNREACHABLE: its resources leave with the agent (the agent and the policy forget them, as
   * Mesos __removeSlave does), but it is not terminal: its job waits for it, and its scheduler is
   * not told (it waits for the task, see docs/model.md). Its end event still comes.
   */
  unreachable(task: number): void {
    const t = this.tasks;
    if (!t.isLive(task) || t.state[t.slotOf(task)] !== TaskCode.RUNNING) throw this.sim.invariant(`task ${task} unreachable while not running`);
    const s = t.slotOf(task);
    t.state[s] = TaskCode.UNREACHABLE;
    this.release(task, frameworkIx(t.jobFramework[t.job[s]!]!), agentIx(t.agent[s]!));
  }

  /**
   * Unreachable `task` is running again on its agent, which reregistered with it: its resources are
   * allocated again to its framework (of role `role`) and it ends at its original end time.
   */
  resume(task: number, role: string): void {
    const t = this.tasks;
    if (!t.isLive(task) || t.state[t.slotOf(task)] !== TaskCode.UNREACHABLE) throw this.sim.invariant(`task ${task} resumed while not unreachable`);
    const s = t.slotOf(task);
    const fw = frameworkIx(t.jobFramework[t.job[s]!]!);
    const agent = agentIx(t.agent[s]!);
    const reserved = this.agents.placeDirect(agent, t, task, role);
    this.agents.started(agent, task);
    const off = t.resOffset(task);
    const res = t.res.subarray(off, off + NUM_RESOURCES);
    if (this.allocator.allocated === undefined) throw this.sim.invariant(`the allocator cannot take back task ${task}'s resources (no allocated())`);
    if (reserved === undefined) this.allocator.allocated(fw, agent, res);
    else this.allocator.allocated(fw, agent, res, reserved);
    t.state[s] = TaskCode.RUNNING;
    this.logTask(task, fw);
  }

  /** A task's end event (its duration is over). */
  private finish(task: number): void {
    if (this.agents.anyDown || this.host.failuresSeen()) {
      // A task on a failed agent ends unseen: the master hears nothing until it declares it lost.
      // A lost task's own end event still fires later: it has nothing left to do (task ids are
      // never relaunched; schedulers rerun lost work as copies, see SchedulerDriver.resubmit).
      // The same holds for a task killed when its framework's failover timeout ran out, or by its
      // scheduler (SchedulerDriver.kill).
      // A task on a partitioned agent did end: the agent reports it when the partition heals.
      // A task whose job is over and reclaimed was killed, lost or gone (a finished one has no end event left).
      const t = this.tasks;
      if (!t.isLive(task)) return;
      const s = t.slotOf(task);
      const st = t.state[s];
      if (st !== TaskCode.RUNNING && st !== TaskCode.UNREACHABLE) return;
      if (this.agents.isDown(t.agent[s]!)) {
        this.host.endedUnseen(task, t.agent[s]!);
        return;
      }
    }
    this.end(task, TaskCode.FINISHED);
  }

  private logTask(task: number, fw: number): void {
    const t = this.tasks;
    const s = t.slotOf(task);
    this.log.taskState(this.sim.now, task, t.job[s]!, fw, t.agent[s]!, t.state[s]!, t.res, s * NUM_RESOURCES);
  }
}
