/**
 * The verifier's agents: registration and removal (with the master's silence before a removal),
 * and each agent's accounting, offered + allocated within its total. Imports only the log's types,
 * reports' formats and vocabulary, and this folder's leaves.
 */
import type { LogRecord } from '../../sim/model/log.js';
import { fmtSeconds } from '../format.js';
import { NR, RESOURCE_NAMES } from '../vocabulary.js';
import type { Reporter } from './invariants.js';
import { addTo, fmtRes, sameRes } from './res.js';

/**
 * How long an agent is silent before the master removes it: it is declared lost at the 5th missed
 * ping, 75 s after its first unanswered one (sim/model/master.ts AGENT_PING_TIMEOUT x
 * MAX_AGENT_PING_TIMEOUTS, after Mesos's --agent_ping_timeout and --max_agent_ping_timeouts), us.
 */
export const AGENT_SILENCE_BEFORE_REMOVAL = 75_000_000;

// Per-agent registration (a slot exists only once registered, so there is no "never").
const UP = 1;
const REMOVED = 2;

/** Agents by dense id: their registration, totals, and what is offered and allocated on them. */
export class AgentChecks {
  private readonly agentState: number[] = [];
  private readonly agentName: string[] = [];
  private readonly agentRack: string[] = [];
  private readonly agentTotal: number[][] = [];
  private readonly agentOffered: number[][] = [];
  private readonly agentAllocated: number[][] = [];
  private readonly agentLiveTasks: number[] = [];
  private readonly agentLiveOffers: number[] = [];
  /** last offer, launch or finished task on the agent, or its registration, us */
  private readonly agentActive: number[] = [];
  /** when the agent was last removed, us (NaN: never) */
  private readonly agentRemovedAt: number[] = [];
  /** when the agent last answered the master again after a partition (agent_reconnected), us */
  private readonly agentReconnectedAt = new Map<number, number>();
  /** 1 while the agent's accounting is broken (reported once per episode) */
  private readonly agentBroken: number[] = [];
  /** agents registered now */
  private agentsUp = 0;
  /** agents registered, less those removed: the summary's `agents` */
  private agentsNet = 0;

  constructor(private readonly report: Reporter) {}

  /** Agents registered now. */
  get up(): number {
    return this.agentsUp;
  }

  /** Registrations less removals. */
  get net(): number {
    return this.agentsNet;
  }

  /** Whether agent `id` was ever registered (else an `ids` violation). */
  known(r: LogRecord, line: number, id: number): boolean {
    const ok = Number.isInteger(id) && id >= 0 && id < this.agentState.length;
    if (!ok) this.report.fail('ids', r, line, `unknown agent ${id}`);
    return ok;
  }

  /** Whether (known) agent `a` is registered now. */
  isUp(a: number): boolean {
    return this.agentState[a] === UP;
  }

  /** When (known) agent `a` was last removed, us; NaN if never. */
  removedAt(a: number): number {
    return this.agentRemovedAt[a]!;
  }

  /** When (known) agent `a` last reconnected after a partition, us; NaN if never. */
  reconnectedAt(a: number): number {
    return this.agentReconnectedAt.get(a) ?? NaN;
  }

  /** A partitioned agent answers again: it must be registered (it never left the cluster). */
  reconnected(r: Extract<LogRecord, { kind: 'agent_reconnected' }>, line: number): void {
    const a = r.agent;
    if (!this.known(r, line, a)) return;
    if (this.agentState[a] !== UP) this.report.fail('agent-lifecycle', r, line, `agent ${a} reconnected while not registered`);
    this.agentReconnectedAt.set(a, r.t);
    this.agentActive[a] = r.t;
  }

  added(r: Extract<LogRecord, { kind: 'agent_added' }>, line: number): void {
    const a = r.agent;
    const n = this.agentState.length;
    if (a === n) {
      this.agentState.push(UP);
      this.agentName.push(r.name);
      this.agentRack.push(r.rack);
      this.agentTotal.push([...r.res]);
      this.agentOffered.push(new Array<number>(NR).fill(0));
      this.agentAllocated.push(new Array<number>(NR).fill(0));
      this.agentLiveTasks.push(0);
      this.agentLiveOffers.push(0);
      this.agentActive.push(r.t);
      this.agentRemovedAt.push(NaN);
      this.agentBroken.push(0);
      if (r.res.some((x) => x < 0)) this.report.fail('agent-resources', r, line, `agent ${a} registered with negative resources ${fmtRes(r.res)}`);
    } else if (Number.isInteger(a) && a >= 0 && a < n) {
      if (this.agentState[a] !== REMOVED) {
        this.report.fail('agent-lifecycle', r, line, `agent ${a} registered while registered`);
        return;
      }
      // A removed agent may come back: the same agent, with nothing on it.
      if (r.name !== this.agentName[a] || r.rack !== this.agentRack[a] || !sameRes(r.res, this.agentTotal[a]!)) {
        this.report.fail(
          'agent-lifecycle',
          r,
          line,
          `agent ${a} reregistered as ${r.name} (${r.rack}, ${fmtRes(r.res)}), not as the ${this.agentName[a]} (${this.agentRack[a]}, ${fmtRes(this.agentTotal[a]!)}) it was`,
        );
      }
      this.agentState[a] = UP;
      this.agentActive[a] = r.t;
    } else {
      this.report.fail('ids', r, line, `agent ids are dense: expected ${n}, got ${a}`);
      return;
    }
    this.agentsUp++;
    this.agentsNet++;
  }

  removed(r: Extract<LogRecord, { kind: 'agent_removed' }>, line: number): void {
    const a = r.agent;
    if (!this.known(r, line, a)) return;
    if (this.agentState[a] !== UP) {
      this.report.fail('agent-lifecycle', r, line, `agent ${a} removed while not registered`);
      return;
    }
    if (!sameRes(r.res, this.agentTotal[a]!))
      this.report.fail('agent-lifecycle', r, line, `agent ${a} removed with ${fmtRes(r.res)}, not its total ${fmtRes(this.agentTotal[a]!)}`);
    const quiet = r.t - this.agentActive[a]!;
    if (quiet < AGENT_SILENCE_BEFORE_REMOVAL) {
      this.report.fail(
        'agent-lifecycle',
        r,
        line,
        `agent ${a} removed ${fmtSeconds(quiet)} s after its last offer, launch, finished task or registration: a failed agent is silent for at least 75 s first`,
      );
    }
    if (this.agentLiveTasks[a]! > 0)
      this.report.fail('agent-lifecycle', r, line, `agent ${a} removed with ${this.agentLiveTasks[a]} tasks still on it (they go lost first)`);
    if (this.agentLiveOffers[a]! > 0)
      this.report.fail('agent-lifecycle', r, line, `agent ${a} removed with ${this.agentLiveOffers[a]} offers of it outstanding (rescinded at its failure)`);
    this.agentState[a] = REMOVED;
    this.agentRemovedAt[a] = r.t;
    this.agentsUp--;
    this.agentsNet--;
  }

  /** `res` offered on agent `a` at `t`. */
  offered(a: number, res: readonly number[], t: number): void {
    addTo(this.agentOffered[a]!, res, 1);
    this.agentLiveOffers[a]!++;
    this.agentActive[a] = t;
  }

  /** An offer of `res` on agent `a` answered or rescinded. */
  answered(a: number, res: readonly number[]): void {
    addTo(this.agentOffered[a]!, res, -1);
    this.agentLiveOffers[a]!--;
  }

  /** A task holding `res` launched on agent `a` at `t`. */
  launched(a: number, res: readonly number[], t: number): void {
    this.agentLiveTasks[a]!++;
    this.agentActive[a] = t;
    addTo(this.agentAllocated[a]!, res, 1);
  }

  /** A task holding `res` on agent `a` ended. */
  ended(a: number, res: readonly number[]): void {
    this.agentLiveTasks[a]!--;
    addTo(this.agentAllocated[a]!, res, -1);
  }

  /** Something happened on agent `a` at `t` (a task finished there): it was not silent. */
  touched(a: number, t: number): void {
    this.agentActive[a] = t;
  }

  /**
   * Checks agent `a`'s accounting after a change; `launching` is what the accept under way has
   * launched on it so far (those launches come out of its offer).
   */
  conserve(r: LogRecord, line: number, a: number, launching: readonly number[] | undefined): void {
    const total = this.agentTotal[a]!;
    const offered = this.agentOffered[a]!;
    const allocated = this.agentAllocated[a]!;
    const g = launching;
    let broken = -1;
    for (let i = 0; i < NR && broken < 0; i++) {
      const o = offered[i]!;
      const al = allocated[i]!;
      if (o < 0 || al < 0 || o + al - (g?.[i] ?? 0) > total[i]!) broken = i;
    }
    // One violation per episode: an agent stays broken until its accounting is whole again.
    if (broken >= 0 && this.agentBroken[a] === 0) {
      this.report.fail(
        'agent-resources',
        r,
        line,
        `agent ${a}: offered ${fmtRes(offered)} + allocated ${fmtRes(allocated)}${g === undefined ? '' : ` (less ${fmtRes(g)} launching from an offer)`} ` +
          `exceeds its total ${fmtRes(total)} or is negative (${RESOURCE_NAMES[broken]}); the agent's later changes are not reported until it is whole again`,
      );
    }
    this.agentBroken[a] = broken >= 0 ? 1 : 0;
  }
}
