/**
 * Network partitions of agents and partition-aware frameworks' unreachable tasks (docs/model.md,
 * "Partitions and partition-aware frameworks"): a partitioned agent and its tasks keep running,
 * only the master cannot reach it. Imports the kernel and model modules.
 */
import { Phase } from '../kernel/phases.js';
import type { EventHandle } from '../kernel/event-queue.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND } from '../kernel/time.js';
import type { AgentFailures } from './agent-failures.js';
import type { AgentTable } from './agents.js';
import { agentIx, type AgentIx } from './ids.js';
import { TaskCode, type TaskTable } from './job.js';
import type { LogSink } from './log.js';

/** `--registry_gc_interval`: how often the master prunes the registry's unreachable agents, us (15 min). */
export const REGISTRY_GC_INTERVAL = 15 * 60 * MICROS_PER_SECOND;
/** `--registry_max_agent_age`: an unreachable agent older than this is pruned at a registry GC, us (2 weeks). */
export const REGISTRY_MAX_AGENT_AGE = 14 * 86_400 * MICROS_PER_SECOND;

/** What partitions need of the master. */
export interface PartitionHost {
  /** unreachable or running `task` ends in `code` (TaskLife.end), its scheduler told unless `notify` is false */
  endTask(task: number, code: number, notify: boolean): void;
  /** unreachable `task` runs again on its agent (TaskLife.resume) */
  resume(task: number): void;
}

/** The partitioned agents, their unreachable tasks and the tasks that ended unseen. */
export class AgentPartitions {
  private readonly hUnreachable: HandlerId;
  private readonly hGc: HandlerId;
  /** per partitioned agent: its pending unreachable event (absent once it ran) */
  private readonly pending = new Map<AgentIx, EventHandle>();
  /** per partitioned agent: running or unreachable tasks whose end event fired during the partition */
  private readonly unseen = new Map<AgentIx, number[]>();
  /** per agent marked unreachable: its partition-aware tasks that went unreachable */
  private readonly unreachable = new Map<AgentIx, number[]>();
  /** per agent marked unreachable with unreachable tasks: its pending registry GC event */
  private readonly gc = new Map<AgentIx, EventHandle>();

  constructor(
    private readonly sim: Simulator,
    private readonly agents: AgentTable,
    private readonly tasks: TaskTable,
    private readonly failures: AgentFailures,
    private readonly log: LogSink,
    private readonly host: PartitionHost,
  ) {
    this.hUnreachable = sim.register('agent-unreachable', (a) => {
      this.pending.delete(agentIx(a));
      this.failures.lost(agentIx(a));
    });
    this.hGc = sim.register('registry-gc', (a) => this.pruned(agentIx(a)));
  }

  /**
   * Agent `a` is cut off from the master (a partition): it stops answering pings, its offers are
   * rescinded and it leaves allocation runs (as a failure: AgentFailures.stopAnswering), and it
   * is marked unreachable at the same ping timeout as a failed agent is declared lost (unless the
   * partition heals first, see {@link heal}). Returns that time, us.
   */
  partition(a: AgentIx): number {
    this.failures.stopAnswering(a);
    const at = this.failures.lostAt(a, this.sim.now);
    this.pending.set(a, this.sim.at(at, Phase.MESSAGE, this.hUnreachable, a, true));
    this.unseen.set(a, []);
    return at;
  }

  /** Whether agent `a` is cut off by a partition (healed: no). */
  isPartitioned(a: number): boolean {
    return this.unseen.has(agentIx(a));
  }

  /** `task`'s end event fired while its agent `a` was down: a partitioned agent reports it when it heals. */
  endedUnseen(task: number, a: number): void {
    this.unseen.get(agentIx(a))?.push(task);
  }

  /** Agent `a` was marked unreachable: its partition-aware `task` went unreachable. */
  wentUnreachable(task: number, a: AgentIx): void {
    const list = this.unreachable.get(a);
    if (list === undefined) this.unreachable.set(a, [task]);
    else list.push(task);
  }

  /**
   * The partition of agent `a` heals. Before it was marked unreachable it answers pings again (a
   * pong cancels the pending transition, Mesos SlaveObserver::pong, src/master/master.cpp:213-223):
   * an `agent_reconnected` record, it is back in allocation runs, and its tasks whose end fell
   * during the partition report it now (finished). Afterwards it reregisters (see
   * {@link reregister}).
   */
  heal(a: AgentIx): void {
    const unseen = this.unseen.get(a) ?? [];
    this.unseen.delete(a);
    const ev = this.pending.get(a);
    if (ev !== undefined) {
      this.pending.delete(a);
      this.sim.cancel(ev);
      this.agents.reconnect(a);
      this.log.record({ kind: 'agent_reconnected', t: this.sim.now, agent: a });
      for (const task of unseen.sort((x, y) => x - y)) if (this.stateOf(task) === TaskCode.RUNNING) this.host.endTask(task, TaskCode.FINISHED, true);
      return;
    }
    this.reregister(a, new Set(unseen));
  }

  /**
   * Agent `a`, marked unreachable, registers again (Mesos __reregisterSlave re-adds the tasks it
   * reports, src/master/master.cpp:7022-7088), then, in task order, its unreachable tasks (those
   * of a framework removed meanwhile were killed then): those whose end fell during the partition
   * (`ended`) finish now; the others run again and end at their original end time. Its non-partition-aware tasks were
   * lost: offersim kills them here (no record: they ended already). After a crash (`ended`
   * absent) the agent comes back empty and its unreachable tasks are gone.
   */
  reregister(a: AgentIx, ended?: ReadonlySet<number>): void {
    const tasks = (this.unreachable.get(a) ?? []).sort((x, y) => x - y);
    this.unreachable.delete(a);
    const gc = this.gc.get(a);
    if (gc !== undefined) this.sim.cancel(gc);
    this.gc.delete(a);
    this.failures.reregister(a, () => {
      for (const task of tasks) {
        if (this.stateOf(task) !== TaskCode.UNREACHABLE) continue;
        if (ended === undefined) this.host.endTask(task, TaskCode.GONE, true);
        else if (ended.has(task)) this.host.endTask(task, TaskCode.FINISHED, true);
        else this.host.resume(task);
      }
    });
  }

  /**
   * Agent `a` was just marked unreachable (failed or partitioned). With unreachable tasks, arms the
   * registry GC that would prune it: the first GC tick (every REGISTRY_GC_INTERVAL from the
   * master's start) at which it has been unreachable more than REGISTRY_MAX_AGENT_AGE
   * (Master::doRegistryGc, src/master/master.cpp:1840-1890).
   */
  markedUnreachable(a: AgentIx): void {
    if (!this.unreachable.has(a)) return;
    const due = this.sim.now + REGISTRY_MAX_AGENT_AGE;
    const at = (Math.floor(due / REGISTRY_GC_INTERVAL) + 1) * REGISTRY_GC_INTERVAL;
    this.gc.set(a, this.sim.at(at, Phase.MESSAGE, this.hGc, a, true));
  }

  /**
   * The registry forgot unreachable agent `a` (pruned): its unreachable tasks are gone. Mesos sends
   * no update then (a reconciliation would answer TASK_UNKNOWN, master.cpp:1950-1965); offersim's
   * schedulers are told `gone`, as if they reconciled at once.
   */
  private pruned(a: AgentIx): void {
    this.gc.delete(a);
    const tasks = (this.unreachable.get(a) ?? []).sort((x, y) => x - y);
    this.unreachable.delete(a);
    for (const task of tasks) if (this.stateOf(task) === TaskCode.UNREACHABLE) this.host.endTask(task, TaskCode.GONE, true);
  }

  private stateOf(task: number): number {
    return this.tasks.stateOf(task);
  }
}
