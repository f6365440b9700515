/**
 * The verifier's offers and accepts: each offer sent from an allocation run to a framework that
 * may have it, answered exactly once by its framework on its agent, an accept being exactly the
 * launches just before it and refusing exactly the tasks its task errors name. Imports only the
 * log's types and this folder's modules.
 */
import type { LogRecord, ResTuple, TaskErrorReason } from '../../sim/model/log.js';
import type { AgentChecks } from './agents.js';
import type { FrameworkChecks } from './frameworks.js';
import type { Reporter, Site } from './invariants.js';
import { ABANDONED, DROPPED, PENDING, type JobChecks } from './jobs.js';
import { addTo, fmtRes, sameRes } from './res.js';

interface LiveOffer {
  readonly fw: number;
  readonly agent: number;
  readonly res: ResTuple;
  readonly line: number;
  readonly t: number;
}

/** The launches of one accept so far: they must be followed by its offer_accepted. */
interface LaunchGroup {
  readonly fw: number;
  readonly agent: number;
  readonly t: number;
  readonly line: number;
  count: number;
  readonly sum: number[];
  /** the tasks launched */
  readonly tasks: number[];
}

/**
 * A task_error of an accept: the accept of `offer` must not launch `task`, unless `duplicate`
 * (refused as not pending while it was: named again after its launch in the same accept), when it
 * must.
 */
interface Refusal {
  readonly task: number;
  readonly offer: number;
  readonly duplicate: boolean;
  readonly line: number;
  readonly t: number;
}

/** Live offers, the accept under way and the allocation runs' offer counts. */
export class OfferChecks {
  private readonly offers = new Map<number, LiveOffer>();
  private offersSent = 0;
  private offersAccepted = 0;
  private offersDeclined = 0;
  private offersRescinded = 0;
  private allocationRuns = 0;
  /** consecutive offer_sent records not yet counted by an allocation_run: their count and first line */
  private runOffers = 0;
  private runOffersLine = 0;
  private group: LaunchGroup | undefined;
  /** the task errors of the accepts under way, checked against the launches at their offer_accepted */
  private refused: Refusal[] = [];

  /** @param direct the run places tasks without offers: an offer or a task error is a violation, and launches form no accept */
  constructor(
    private readonly report: Reporter,
    private readonly agents: AgentChecks,
    private readonly frameworks: FrameworkChecks,
    private readonly jobs: JobChecks,
    private readonly direct: boolean,
  ) {}

  /**
   * The checks a record makes before its own: launches that `r` does not continue are an accept
   * without its offer_accepted; offers that `r` does not follow are outside an allocation run; a
   * record outside an accept ends its task errors.
   */
  before(r: LogRecord, line: number): void {
    if (this.group !== undefined && r.kind !== 'offer_accepted' && !continuesGroup(r)) this.openGroupViolation(r, line);
    if (this.runOffers > 0 && r.kind !== 'offer_sent' && r.kind !== 'allocation_run') this.strayOffers();
    if (r.kind !== 'task_error' && r.kind !== 'task_state' && r.kind !== 'task_locality' && r.kind !== 'offer_accepted') this.refused = [];
  }

  /** The checks due at the end of the log (`line` its last): an accept or offers left open. */
  atEnd(line: number): void {
    if (this.group !== undefined) this.openGroupViolation(undefined, line);
    if (this.runOffers > 0) this.strayOffers();
  }

  /**
   * At the end (`end`, us) of a run that did not end by its duration: no offer is outstanding, but
   * those of an allocation run still under way then (the allocator cost model: its offers reach
   * their frameworks at t + busy, after the end).
   */
  checkAnswered(reason: 'completed' | null, end: number): void {
    for (const [id, o] of this.offers) {
      if (o.t === this.lastRunStart && this.lastRunEnd > end) continue;
      this.report.failAt(
        'offers',
        { line: o.line, t: o.t, kind: 'offer_sent' },
        `offer ${id} is still outstanding at the end of a run that ${reason === null ? 'has no run_ended' : 'completed'} (only a run ended by its duration may leave offers unanswered)`,
      );
    }
  }

  /** What the launches of the accept under way on agent `a` hold, if any (they come out of its offer). */
  launching(a: number): readonly number[] | undefined {
    return this.group !== undefined && this.group.agent === a ? this.group.sum : undefined;
  }

  sent(r: Extract<LogRecord, { kind: 'offer_sent' }>, line: number): void {
    if (this.runOffers === 0) this.runOffersLine = line;
    this.runOffers++;
    if (r.offer !== this.offersSent) {
      this.report.fail('ids', r, line, `offer ids are dense: expected ${this.offersSent}, got ${r.offer}`);
      if (this.offers.has(r.offer)) return;
    }
    this.offersSent++;
    const f = this.frameworks.framework(r, line, r.framework);
    if (f === undefined || !this.agents.known(r, line, r.agent)) return;
    if (this.direct) this.report.fail('offers', r, line, 'an offer in a run without offers (a non-offer baseline)');
    const roleSuppressed = f.roles !== undefined && r.role !== undefined && f.suppressedRoles.has(r.role);
    if (f.removed || !f.connected || f.suppressed || roleSuppressed) {
      this.report.fail(
        'frameworks',
        r,
        line,
        `an offer to framework ${r.framework}${r.role === undefined ? '' : ` in role ${r.role}`} while it is ${f.removed ? 'removed' : !f.connected ? 'disconnected' : 'suppressed'}`,
      );
    }
    if (f.roles === undefined ? r.role !== undefined : r.role === undefined || !f.roles.includes(r.role)) {
      this.report.fail('frameworks', r, line, `an offer to framework ${r.framework} in role ${r.role ?? '(none)'}, not one of its roles`);
    }
    if (!this.agents.isUp(r.agent)) this.report.fail('agent-lifecycle', r, line, `an offer of agent ${r.agent}, which is not registered`);
    if (r.res.some((x) => x < 0)) this.report.fail('agent-resources', r, line, `an offer of negative resources ${fmtRes(r.res)}`);
    else if (r.res.every((x) => x === 0)) this.report.fail('offers', r, line, 'an empty offer');
    this.offers.set(r.offer, { fw: r.framework, agent: r.agent, res: r.res, line, t: r.t });
    this.agents.offered(r.agent, r.res, r.t);
    f.liveOffers++;
    this.agents.conserve(r, line, r.agent, this.launching(r.agent));
  }

  answered(r: Extract<LogRecord, { kind: 'offer_accepted' | 'offer_declined' | 'offer_rescinded' }>, line: number): void {
    const o = this.offers.get(r.offer);
    if (o === undefined) {
      if (!(Number.isInteger(r.offer) && r.offer >= 0 && r.offer < this.offersSent)) this.report.fail('ids', r, line, `offer ${r.offer} was never sent`);
      else this.report.fail('offers', r, line, `offer ${r.offer} is not outstanding: it was answered before`);
      if (r.kind === 'offer_accepted') this.group = undefined;
      return;
    }
    if (o.fw !== r.framework || o.agent !== r.agent) {
      this.report.fail(
        'offers',
        r,
        line,
        `offer ${r.offer} was sent to framework ${o.fw} on agent ${o.agent}, not framework ${r.framework} on agent ${r.agent}`,
      );
    }
    this.offers.delete(r.offer);
    this.agents.answered(o.agent, o.res);
    this.frameworks.get(o.fw).liveOffers--;
    if (r.kind === 'offer_accepted') {
      this.offersAccepted++;
      const g = this.group;
      this.group = undefined;
      this.checkRefusals(r, line, g?.tasks ?? []);
      if (r.used.some((x, i) => x < 0 || x > o.res[i]!))
        this.report.fail('offers', r, line, `the accept uses ${fmtRes(r.used)}, not within the offer's ${fmtRes(o.res)}`);
      if (r.tasks > 0 && g === undefined) {
        this.report.fail('offers', r, line, `the accept launched ${r.tasks} tasks, but no launch on agent ${o.agent} precedes it`);
      } else if (g !== undefined && (g.fw !== o.fw || g.agent !== o.agent || g.t !== r.t)) {
        this.report.fail('offers', r, line, `the launches before it (from line ${g.line}) are framework ${g.fw}'s on agent ${g.agent}, not this offer's`);
      } else {
        const count = g?.count ?? 0;
        const sum = g?.sum ?? [0, 0, 0, 0];
        if (count !== r.tasks || !sameRes(r.used, sum)) {
          this.report.fail(
            'offers',
            r,
            line,
            `the accept says ${r.tasks} tasks using ${fmtRes(r.used)}; the launches before it are ${count} using ${fmtRes(sum)}`,
          );
        }
      }
    } else if (r.kind === 'offer_declined') {
      this.offersDeclined++;
    } else {
      this.offersRescinded++;
    }
    this.agents.conserve(r, line, o.agent, this.launching(o.agent));
  }

  allocationRun(r: Extract<LogRecord, { kind: 'allocation_run' }>, line: number): void {
    // The non-offer baselines log their scheduling rounds as allocation runs of no offers.
    this.allocationRuns++;
    if (r.offers !== this.runOffers) this.report.fail('offers', r, line, `the run says ${r.offers} offers; ${this.runOffers} offer_sent records precede it`);
    if (!Number.isSafeInteger(r.candidates) || r.candidates < 0 || r.candidates > this.agents.up) {
      this.report.fail('offers', r, line, `the run considered ${r.candidates} agents, with ${this.agents.up} registered`);
    }
    this.runOffers = 0;
    this.lastRunStart = r.t;
    this.lastRunEnd = r.t + (r.busy ?? 0);
  }
  /** the last allocation run's start and end (its start + busy), us */
  private lastRunStart = -1;
  private lastRunEnd = -1;

  /** A launch `r` (staging): part of the accept under way, which it may begin (not in a run without offers). */
  launched(r: Extract<LogRecord, { kind: 'task_state' }>, line: number): void {
    if (this.direct) return;
    const g = this.group;
    if (g !== undefined && (g.fw !== r.framework || g.agent !== r.agent || g.t !== r.t)) this.openGroupViolation(r, line);
    if (this.group === undefined) this.group = { fw: r.framework, agent: r.agent, t: r.t, line, count: 0, sum: [0, 0, 0, 0], tasks: [] };
    this.group.count++;
    this.group.tasks.push(r.task);
    addTo(this.group.sum, r.res, 1);
  }

  /** A RESERVE or UNRESERVE of an accept under way: on an outstanding offer of its framework, on its agent, within the offer. */
  reservation(r: Extract<LogRecord, { kind: 'reservation' }>, line: number): void {
    if (this.frameworks.framework(r, line, r.framework) === undefined || !this.agents.known(r, line, r.agent)) return;
    if (this.direct) this.report.fail('offers', r, line, 'a reservation in a run without offers (operations come from accepts)');
    const o = this.offers.get(r.offer);
    if (o === undefined || o.fw !== r.framework || o.agent !== r.agent) {
      this.report.fail('offers', r, line, `a ${r.op} on offer ${r.offer}, which is not an outstanding offer of framework ${r.framework} on agent ${r.agent}`);
    } else if (r.res.some((x) => x < 0) || r.res.every((x) => x === 0) || r.res.some((x, i) => x > o.res[i]!)) {
      this.report.fail('offers', r, line, `a ${r.op} of ${fmtRes(r.res)}: empty, negative or beyond its offer's ${fmtRes(o.res)}`);
    }
  }

  /** A dropped operation: on an outstanding offer of its framework, unless the offer was the problem. */
  operationError(r: Extract<LogRecord, { kind: 'operation_error' }>, line: number): void {
    if (this.frameworks.framework(r, line, r.framework) === undefined) return;
    if (this.direct) this.report.fail('offers', r, line, 'an operation error in a run without offers (operations come from accepts)');
    const o = this.offers.get(r.offer);
    const valid = o !== undefined && o.fw === r.framework;
    if (valid === (r.reason === 'invalid_offer')) {
      this.report.fail(
        'offers',
        r,
        line,
        `operation ${r.index} dropped as ${r.reason}, but offer ${r.offer} is ${valid ? '' : 'not '}an outstanding offer of framework ${r.framework}`,
      );
    }
  }

  taskError(r: Extract<LogRecord, { kind: 'task_error' }>, line: number): void {
    const f = this.frameworks.framework(r, line, r.framework);
    if (f === undefined) return;
    if (this.direct) this.report.fail('offers', r, line, 'a task error in a run without offers (errors come from accepts)');
    const o = this.offers.get(r.offer);
    const validOffer = o !== undefined && o.fw === r.framework;
    const j = this.jobs.jobOfTask(r.task);
    const own = j >= 0 && this.jobs.frameworkOf(j) === r.framework;
    const oj = own ? this.jobs.openJob(j) : undefined;
    const pending = oj !== undefined && oj.task[r.task - this.jobs.firstTask(j)] === PENDING && (this.jobs.status(j) & (ABANDONED | DROPPED)) === 0;
    // Refused as not pending while pending: named again after its launch earlier in the same
    // accept, whose launches are logged after its errors; the accept must launch it.
    const duplicate = r.reason === 'task_not_pending' && pending;
    this.refused.push({ task: r.task, offer: r.offer, duplicate, line, t: r.t });
    // The reason the master's validation gives (sim/model/master.ts accept, launchProblem), in its order.
    const expected: TaskErrorReason | 'none' = !validOffer
      ? 'invalid_offer'
      : j < 0
        ? 'unknown_task'
        : !own
          ? 'other_framework_task'
          : !pending || duplicate
            ? 'task_not_pending'
            : r.reason === 'insufficient_resources'
              ? 'insufficient_resources'
              : 'none';
    if (expected !== r.reason) {
      this.report.fail(
        'tasks',
        r,
        line,
        `task ${r.task} refused as ${r.reason}, but ${expected === 'none' ? 'it is pending and its offer outstanding: only insufficient_resources could refuse it' : `the log shows ${expected}`}`,
      );
    }
  }

  /** What the offers count, for the summary. */
  counts(): { offersSent: number; offersAccepted: number; offersDeclined: number; offersRescinded: number; offersOutstanding: number; allocationRuns: number } {
    return {
      offersSent: this.offersSent,
      offersAccepted: this.offersAccepted,
      offersDeclined: this.offersDeclined,
      offersRescinded: this.offersRescinded,
      offersOutstanding: this.offers.size,
      allocationRuns: this.allocationRuns,
    };
  }

  /** Checks accept `r` (line `line`)'s launches against its task errors. */
  private checkRefusals(r: Extract<LogRecord, { kind: 'offer_accepted' }>, line: number, launched: readonly number[]): void {
    for (const e of this.refused) {
      if (e.offer !== r.offer) continue;
      const here = launched.includes(e.task);
      const site: Site = { line: e.line, t: e.t, kind: 'task_error' };
      if (e.duplicate && !here)
        this.report.failAt('tasks', site, `task ${e.task} refused as task_not_pending while pending, and its accept (line ${line}) did not launch it`);
      if (!e.duplicate && here) this.report.failAt('tasks', site, `task ${e.task} refused, yet its accept (line ${line}) launched it`);
    }
    this.refused = [];
  }

  /** Offers logged outside an allocation run (every offer comes from one, which logs itself after them). */
  private strayOffers(): void {
    this.report.failAt(
      'offers',
      { line: this.runOffersLine, t: NaN, kind: 'offer_sent' },
      `${this.runOffers} offers from here on are followed by no allocation_run`,
    );
    this.runOffers = 0;
  }

  /** Launches that no offer_accepted closed (the record `r`, when given, came in between). */
  private openGroupViolation(r: LogRecord | undefined, line: number): void {
    const g = this.group!;
    this.group = undefined;
    this.report.failAt(
      'offers',
      { line: g.line, t: g.t, kind: 'task_state' },
      `${g.count} launches of framework ${g.fw} on agent ${g.agent} from here on are followed by ${r === undefined ? 'no' : `a ${r.kind} (line ${line}), not their`} offer_accepted`,
    );
  }
}

/** Whether record `r` belongs to the accept under way (its launches' own records). */
function continuesGroup(r: LogRecord): boolean {
  if (r.kind === 'task_locality') return true;
  return r.kind === 'task_state' && (r.state === 'staging' || r.state === 'running');
}
