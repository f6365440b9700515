/**
 * Agent failures on the master (notes §1.5): an agent that stops answering pings loses its offers
 * at once, is declared lost after the ping timeouts (its running tasks lost, its filters cleared,
 * the cluster smaller), and may register again later. Imports the kernel and model modules.
 */
import { Phase } from '../kernel/phases.js';
import type { HandlerId, Simulator } from '../kernel/simulator.js';
import { MICROS_PER_SECOND } from '../kernel/time.js';
import type { AgentTable } from './agents.js';
import type { Allocator } from './allocation-port.js';
import { TaskCode } from './job.js';
import type { LogSink, ResTuple } from './log.js';
import type { OfferBook } from './offer-book.js';
import { agentIx, type AgentIx } from './ids.js';

/** `--agent_ping_timeout`: the master pings each agent this often, us (15 s). */
export const AGENT_PING_TIMEOUT = 15 * MICROS_PER_SECOND;
/** `--max_agent_ping_timeouts`: missed pings after which an agent is declared lost (5). */
export const MAX_AGENT_PING_TIMEOUTS = 5;

/** What failures need of the master. */
export interface FailureHost {
  /** running `task` ends in `code` (TASK_LOST here) */
  endTask(task: number, code: number): void;
  /** whether running `task`'s framework is partition-aware (its tasks go unreachable, not lost) */
  partitionAware(task: number): boolean;
  /** running `task` goes TASK_UNREACHABLE (TaskLife.unreachable) */
  unreachable(task: number): void;
  /** an allocation run for agent `agent`, as for any registration */
  trigger(agent: AgentIx): void;
  /** failed agent `agent` was declared lost, its tasks ended, just before it leaves the cluster */
  lost(agent: AgentIx): void;
}

/** The failing, losing and returning of agents. */
export class AgentFailures {
  private readonly hLost: HandlerId;

  constructor(
    private readonly sim: Simulator,
    private readonly agents: AgentTable,
    private readonly book: OfferBook,
    private readonly allocator: Allocator,
    private readonly log: LogSink,
    private readonly host: FailureHost,
  ) {
    this.hLost = sim.register('agent-lost', (a) => this.lost(agentIx(a)));
  }

  /**
   * Agent `a` fails: it stops answering the master's pings. Its outstanding offers are rescinded at
   * once (offersim's master notices the broken connection; Mesos rescinds at deactivation, which
   * an agent that exits or whose socket breaks reaches at once) and it takes no further part in
   * allocation runs. Tasks on it whose end would fall before it is removed never report it. It is
   * declared lost after MAX_AGENT_PING_TIMEOUTS missed pings (see {@link lostAt}); then
   * {@link lost} runs. Returns that time, us. `lostAt`, when given, is that time instead (an
   * architecture's own liveness rule).
   */
  fail(a: AgentIx, lostAt?: number): number {
    this.stopAnswering(a);
    const at = lostAt ?? this.lostAt(a, this.sim.now);
    this.sim.at(at, Phase.MESSAGE, this.hLost, a);
    return at;
  }

  /** Agent `a` stops answering: out of the agents up (and so of allocation runs), its offers rescinded. */
  stopAnswering(a: AgentIx): void {
    this.agents.fail(a);
    this.book.rescindOnAgent(a);
  }

  /**
   * When an agent that failed at `failedAt` is declared lost. Pings go out every AGENT_PING_TIMEOUT
   * from its registration, and a ping at or after the failure goes unanswered. Each ping's timeout,
   * AGENT_PING_TIMEOUT later (when the next ping goes out), counts a miss if it went unanswered, and
   * the MAX_AGENT_PING_TIMEOUTS-th miss declares the agent lost (Mesos SlaveObserver::ping and
   * ::timeout, src/master/master.cpp:204-245). That is MAX_AGENT_PING_TIMEOUTS x 15 s = 75 s after
   * the first unanswered ping: between 75 s (inclusive) and 90 s (exclusive) after the failure.
   */
  lostAt(a: AgentIx, failedAt: number): number {
    const r = this.agents.registeredAt(a);
    const p = AGENT_PING_TIMEOUT;
    const firstUnanswered = r + Math.ceil((failedAt - r) / p) * p;
    return firstUnanswered + MAX_AGENT_PING_TIMEOUTS * p;
  }

  /**
   * Failed agent `a` is declared lost (Mesos marks it unreachable): its running tasks go TASK_LOST
   * (resources recovered, their schedulers told), or TASK_UNREACHABLE for partition-aware
   * frameworks (Mesos __removeSlave, src/master/master.cpp:10992-11013), filters on it are
   * cleared, and it leaves the cluster (the allocator removes it; the cluster total shrinks; an
   * `agent_removed` record).
   */
  lost(a: AgentIx): void {
    // Its running tasks in task order, as a scan of every task would find them.
    for (const task of this.agents.runningTasks(a)) {
      if (this.host.partitionAware(task)) this.host.unreachable(task);
      else this.host.endTask(task, TaskCode.LOST);
    }
    this.host.lost(a);
    this.book.clearAgentFilters(a);
    const total = this.agents.removed(a);
    this.allocator.removeAgent(a, total);
    this.log.record({ kind: 'agent_removed', t: this.sim.now, agent: a, res: tuple(total) });
  }

  /**
   * Removed agent `a` comes back: a new registration of the same agent (same id, name, rack and
   * resources, nothing running on it), with an allocation run for it at once (Mesos addSlave).
   * `withTasks`, when given, runs once it is registered, before that run: what the agent brought
   * back (AgentPartitions).
   */
  reregister(a: AgentIx, withTasks?: () => void): void {
    const total = this.agents.back(a);
    const reserved = this.agents.reservations(a);
    if (reserved.length > 0) this.allocator.addAgent(a, total, reserved);
    else this.allocator.addAgent(a, total);
    this.log.record({
      kind: 'agent_added',
      t: this.sim.now,
      agent: a,
      name: this.agents.name(a),
      rack: this.agents.rack(a),
      res: tuple(total),
    });
    withTasks?.();
    this.host.trigger(a);
  }
}

function tuple(v: Float64Array): ResTuple {
  return [v[0]!, v[1]!, v[2]!, v[3]!];
}
