/**
 * The verifier's frameworks: registration, suppress and revive, disconnect, reregistration and
 * removal at disconnect + failover timeout, with its tasks killed and jobs dropped at that
 * instant. Imports only the log's types, reports' formats and this folder's leaves.
 */
import type { LogRecord } from '../../sim/model/log.js';
import { fmtSeconds } from '../format.js';
import type { Due, Instant } from './instant.js';
import type { Reporter, Site } from './invariants.js';

/** What the verifier knows of a framework; the offer and task checkers keep its live counts. */
export interface FrameworkState {
  /** whether it is suppressed (a multi-role framework: every role of it) */
  suppressed: boolean;
  /** a multi-role framework's roles (framework_added `roles`); undefined for one role */
  readonly roles: readonly string[] | undefined;
  /** of those, the roles suppressed now */
  readonly suppressedRoles: Set<string>;
  connected: boolean;
  removed: boolean;
  disconnectedAt: number;
  failoverTimeout: number;
  removedAt: number;
  liveTasks: number;
  liveOffers: number;
}

/** Frameworks by dense id. */
export class FrameworkChecks {
  private readonly fws: FrameworkState[] = [];
  /** per framework removed in this instant: its kills and drops seen so far */
  private readonly removalKills = new Map<number, number>();
  private readonly removalDrops = new Map<number, number>();

  constructor(
    private readonly report: Reporter,
    private readonly instant: Instant,
  ) {}

  /** Frameworks added. */
  get count(): number {
    return this.fws.length;
  }

  /** The framework, or undefined (an `ids` violation) when `id` names none. */
  framework(r: LogRecord, line: number, id: number): FrameworkState | undefined {
    const f = Number.isInteger(id) && id >= 0 ? this.fws[id] : undefined;
    if (f === undefined) this.report.fail('ids', r, line, `unknown framework ${id}`);
    return f;
  }

  /** A known framework's state. */
  get(id: number): FrameworkState {
    return this.fws[id]!;
  }

  added(r: Extract<LogRecord, { kind: 'framework_added' }>, line: number): void {
    const n = this.fws.length;
    if (r.framework !== n) {
      if (Number.isInteger(r.framework) && r.framework >= 0 && r.framework < n) this.report.fail('frameworks', r, line, `framework ${r.framework} added twice`);
      else this.report.fail('ids', r, line, `framework ids are dense: expected ${n}, got ${r.framework}`);
      return;
    }
    if (!(r.weight > 0) || !Number.isFinite(r.weight)) this.report.fail('frameworks', r, line, `weight ${r.weight} is not a positive number`);
    const roles = r.roles;
    if (roles !== undefined && (roles.length < 2 || roles[0] !== r.role || new Set(roles).size !== roles.length))
      this.report.fail('frameworks', r, line, `roles [${roles.join(', ')}] are not two or more distinct roles starting with role ${r.role}`);
    this.fws.push({
      suppressed: false,
      roles,
      suppressedRoles: new Set(),
      connected: true,
      removed: false,
      disconnectedAt: NaN,
      failoverTimeout: NaN,
      removedAt: NaN,
      liveTasks: 0,
      liveOffers: 0,
    });
  }

  suppress(r: Extract<LogRecord, { kind: 'suppress' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (f.removed) this.report.fail('frameworks', r, line, `framework ${r.framework} suppressed after its removal`);
    else if (this.rolesProblem(f, r, line)) return;
    else if (f.roles !== undefined) {
      // A multi-role framework's suppress names the roles it changed, each active until then.
      for (const role of r.roles ?? f.roles) {
        if (f.suppressedRoles.has(role)) this.report.fail('frameworks', r, line, `framework ${r.framework} suppressed role ${role} while it is suppressed`);
        f.suppressedRoles.add(role);
      }
      f.suppressed = f.suppressedRoles.size === f.roles.length;
      return;
    } else if (f.suppressed)
      this.report.fail(
        'frameworks',
        r,
        line,
        `framework ${r.framework} suppressed while suppressed (the master logs a suppress only when it changes something)`,
      );
    f.suppressed = true;
  }

  revive(r: Extract<LogRecord, { kind: 'revive' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (f.removed) this.report.fail('frameworks', r, line, `framework ${r.framework} revived after its removal`);
    if (this.rolesProblem(f, r, line)) return;
    if (f.roles !== undefined) for (const role of r.roles ?? f.roles) f.suppressedRoles.delete(role);
    f.suppressed = false;
  }

  /** Whether a suppress or revive names roles wrongly: roles of a framework of one role, or roles not its own (reported). */
  private rolesProblem(f: FrameworkState, r: Extract<LogRecord, { kind: 'suppress' | 'revive' }>, line: number): boolean {
    if (r.roles === undefined) return false;
    const bad = f.roles === undefined ? r.roles : r.roles.filter((x) => !f.roles!.includes(x));
    if (bad.length === 0) return false;
    this.report.fail('frameworks', r, line, `framework ${r.framework} ${r.kind} names roles [${bad.join(', ')}] it does not have`);
    return true;
  }

  disconnected(r: Extract<LogRecord, { kind: 'framework_disconnected' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (f.removed || !f.connected)
      this.report.fail('frameworks', r, line, `framework ${r.framework} disconnected while ${f.removed ? 'removed' : 'disconnected'}`);
    if (!Number.isSafeInteger(r.failoverTimeout) || r.failoverTimeout < 0)
      this.report.fail('frameworks', r, line, `failover timeout ${r.failoverTimeout} is not a non-negative integer of us`);
    f.connected = false;
    f.disconnectedAt = r.t;
    f.failoverTimeout = r.failoverTimeout;
    this.instant.push({ what: 'disconnect', fw: r.framework, line, t: r.t });
  }

  reconnected(r: Extract<LogRecord, { kind: 'framework_reconnected' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (f.removed || f.connected)
      this.report.fail('frameworks', r, line, `framework ${r.framework} reregistered while ${f.removed ? 'removed (it must be refused)' : 'connected'}`);
    if (f.roles !== undefined) {
      // It resubscribes with the roles its driver holds suppressed: those the log has suppressed.
      const held = f.roles.filter((x) => f.suppressedRoles.has(x)).join(', ');
      const said = (r.suppressedRoles ?? []).join(', ');
      if (r.suppressedRoles === undefined || said !== held)
        this.report.fail('frameworks', r, line, `framework ${r.framework} resubscribed with suppressed roles [${said}]; its suppressed roles are [${held}]`);
    } else if (r.suppressedRoles !== undefined) this.report.fail('frameworks', r, line, `framework ${r.framework} has one role: no suppressedRoles`);
    f.connected = true;
  }

  reconnectRefused(r: Extract<LogRecord, { kind: 'framework_reconnect_refused' }>, line: number): void {
    const f = this.framework(r, line, r.framework);
    if (f !== undefined && !f.removed) this.report.fail('frameworks', r, line, `framework ${r.framework} refused reregistration, but it has not been removed`);
  }

  /** framework_removed; `unfinished(fw)` counts the framework's jobs not over and neither abandoned nor restarted. */
  removed(r: Extract<LogRecord, { kind: 'framework_removed' }>, line: number, unfinished: (fw: number) => number): void {
    const f = this.framework(r, line, r.framework);
    if (f === undefined) return;
    if (f.removed || f.connected) {
      this.report.fail('frameworks', r, line, `framework ${r.framework} removed while ${f.removed ? 'removed' : 'connected (removal follows a disconnect)'}`);
      return;
    }
    if (r.t !== f.disconnectedAt + f.failoverTimeout) {
      this.report.fail(
        'frameworks',
        r,
        line,
        `framework ${r.framework} removed at another time than its disconnect (${fmtSeconds(f.disconnectedAt)} s) + failover timeout (${fmtSeconds(f.failoverTimeout)} s)`,
      );
    }
    const jobs = unfinished(r.framework);
    if (r.tasksKilled !== f.liveTasks)
      this.report.fail('frameworks', r, line, `the record says ${r.tasksKilled} tasks to kill; framework ${r.framework} has ${f.liveTasks} live`);
    if (r.jobsDropped !== jobs)
      this.report.fail('frameworks', r, line, `the record says ${r.jobsDropped} jobs to drop; framework ${r.framework} has ${jobs} unfinished`);
    f.removed = true;
    f.removedAt = r.t;
    this.instant.push({ what: 'remove', fw: r.framework, line, t: r.t, kills: r.tasksKilled, drops: r.jobsDropped });
  }

  /** A task of framework `fw` was killed at `t`: counted when it is its removal's instant. */
  killed(fw: number, t: number): void {
    const f = this.fws[fw]!;
    if (f.removed && f.removedAt === t) this.removalKills.set(fw, (this.removalKills.get(fw) ?? 0) + 1);
  }

  /** A job of framework `fw` was dropped at its removal's instant. */
  dropped(fw: number): void {
    this.removalDrops.set(fw, (this.removalDrops.get(fw) ?? 0) + 1);
  }

  /** The end of a disconnect's instant: its offers were rescinded, unless it came back. */
  settleDisconnect(d: Extract<Due, { what: 'disconnect' }>): void {
    const n = this.fws[d.fw]!.liveOffers;
    if (n > 0 && !this.fws[d.fw]!.connected) {
      this.report.failAt(
        'frameworks',
        { line: d.line, t: d.t, kind: 'framework_disconnected' },
        `framework ${d.fw} disconnected, but ${n} of its offers were not rescinded at that instant`,
      );
    }
  }

  /** The end of a removal's instant: its tasks killed and jobs dropped, as many as the record said. */
  settleRemove(d: Extract<Due, { what: 'remove' }>): void {
    const f = this.fws[d.fw]!;
    const site: Site = { line: d.line, t: d.t, kind: 'framework_removed' };
    const kills = this.removalKills.get(d.fw) ?? 0;
    const drops = this.removalDrops.get(d.fw) ?? 0;
    this.removalKills.delete(d.fw);
    this.removalDrops.delete(d.fw);
    if (f.liveTasks > 0)
      this.report.failAt('frameworks', site, `framework ${d.fw} was removed, but ${f.liveTasks} of its tasks were not killed at that instant`);
    if (kills !== d.kills) this.report.failAt('frameworks', site, `the record says ${d.kills} tasks killed, the instant killed ${kills}`);
    if (drops !== d.drops) this.report.failAt('frameworks', site, `the record says ${d.drops} jobs dropped, the instant dropped ${drops}`);
  }
}
