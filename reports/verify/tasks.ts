/**
 * The verifier's tasks: each task pending, then staging, then running at that instant, then one
 * terminal state, on one agent with one resource vector, its locality recorded once as it
 * launches; a lost task's agent removed at that instant. Imports only the log's types, reports'
 * formats and this folder's modules.
 */
import type { LogRecord, ResTuple, TaskLocality } from '../../sim/model/log.js';
import { fmtSeconds } from '../format.js';
import type { AgentChecks } from './agents.js';
import type { FrameworkChecks, FrameworkState } from './frameworks.js';
import type { Due, Instant } from './instant.js';
import type { Reporter } from './invariants.js';
import { ABANDONED, DROPPED, ENDED, LIVE, PENDING, RESTARTED, type JobChecks, type OpenJob } from './jobs.js';
import type { OfferChecks } from './offers.js';
import { fmtRes, sameRes } from './res.js';

interface LiveTask {
  readonly job: number;
  readonly fw: number;
  readonly agent: number;
  readonly res: ResTuple;
  running: boolean;
  /** when it launched, us */
  readonly launchedAt: number;
  readonly line: number;
  /** its task_locality record's level, if any */
  locality: TaskLocality | undefined;
  /** unreachable now (holding nothing on its removed agent) */
  unreachable: boolean;
  /** it was unreachable at some time: its end may be reported late, when its agent came back */
  wasUnreachable: boolean;
}

/** Live tasks by id, and the counts of launches and terminal states. */
export class TaskChecks {
  private readonly tasks = new Map<number, LiveTask>();
  private tasksLaunched = 0;
  private tasksFinished = 0;
  private tasksFailed = 0;
  private tasksKilled = 0;
  private tasksLost = 0;
  private localityTasks = 0;

  constructor(
    private readonly report: Reporter,
    private readonly instant: Instant,
    private readonly agents: AgentChecks,
    private readonly frameworks: FrameworkChecks,
    private readonly jobs: JobChecks,
    private readonly offers: OfferChecks,
  ) {}

  state(r: Extract<LogRecord, { kind: 'task_state' }>, line: number): void {
    const f = this.frameworks.framework(r, line, r.framework);
    if (f === undefined) return;
    const j = this.jobs.job(r, line, r.job, r.framework);
    if (j < 0 || !this.agents.known(r, line, r.agent)) return;
    const first = this.jobs.firstTask(j);
    if (!(Number.isInteger(r.task) && r.task >= first && r.task < first + this.jobs.tasksOf(j))) {
      this.report.fail('ids', r, line, `task ${r.task} is not one of job ${j}'s (${first} to ${first + this.jobs.tasksOf(j) - 1})`);
      return;
    }
    const o = this.jobs.openJob(j);
    if (o === undefined) {
      this.report.fail('tasks', r, line, `task ${r.task} changed state after its job ${j} was over`);
      return;
    }
    const k = r.task - first;
    const state = r.state;
    if (state === 'staging') {
      this.launch(r, line, f, j, o, k);
      return;
    }
    const live = this.tasks.get(r.task);
    if (live === undefined) {
      this.report.fail(
        'tasks',
        r,
        line,
        o.task[k] === PENDING ? `task ${r.task} ${state} without being launched (staging)` : `task ${r.task} ${state} after it had ended`,
      );
      return;
    }
    if (live.agent !== r.agent || !sameRes(live.res, r.res)) {
      this.report.fail(
        'tasks',
        r,
        line,
        `task ${r.task} launched on agent ${live.agent} with ${fmtRes(live.res)} (line ${live.line}), now says agent ${r.agent} with ${fmtRes(r.res)}`,
      );
    }
    if (state === 'running' && live.unreachable) {
      this.resumed(r, line, live);
      return;
    }
    if (state === 'unreachable') {
      this.wentUnreachable(r, line, live);
      return;
    }
    if (state === 'running') {
      if (live.running) this.report.fail('tasks', r, line, `task ${r.task} running twice`);
      else if (r.t !== live.launchedAt)
        this.report.fail('tasks', r, line, `task ${r.task} running at another instant than its staging (line ${live.line}): executors start at once`);
      live.running = true;
      this.jobs.started(j);
      return;
    }
    this.ended(r, line, f, j, o, k, live);
  }

  locality(r: Extract<LogRecord, { kind: 'task_locality' }>, line: number): void {
    const live = this.tasks.get(r.task);
    if (live === undefined || !live.running || live.launchedAt !== r.t || live.locality !== undefined) {
      this.report.fail('tasks', r, line, `a locality for task ${r.task}, which did not just launch (its record follows its running one, once)`);
      return;
    }
    if (live.job !== r.job || live.fw !== r.framework || live.agent !== r.agent) {
      this.report.fail('ids', r, line, `task ${r.task} is job ${live.job}'s of framework ${live.fw} on agent ${live.agent}`);
    }
    live.locality = r.locality;
    this.localityTasks++;
  }

  /** The end of the instant a task went lost or unreachable in: its agent was removed then. */
  settleLost(d: Extract<Due, { what: 'lost' }>): void {
    if (this.agents.removedAt(d.agent) !== d.t) {
      this.report.failAt(
        'tasks',
        { line: d.line, t: d.t, kind: 'task_state' },
        `task ${d.task} went lost or unreachable, but its agent ${d.agent} was not removed at that instant`,
      );
    }
  }

  /** Running `live` goes unreachable: it leaves its agent (removed at this instant), not its job. */
  private wentUnreachable(r: Extract<LogRecord, { kind: 'task_state' }>, line: number, live: LiveTask): void {
    if (!live.running || live.unreachable) this.report.fail('tasks', r, line, `task ${r.task} unreachable while not running`);
    live.unreachable = true;
    live.wasUnreachable = true;
    this.instant.push({ what: 'lost', agent: r.agent, line, t: r.t, task: r.task });
    this.agents.ended(live.agent, live.res);
    this.agents.conserve(r, line, live.agent, this.offers.launching(live.agent));
  }

  /** Unreachable `live` runs again: its agent registered again at this instant, and holds it again. */
  private resumed(r: Extract<LogRecord, { kind: 'task_state' }>, line: number, live: LiveTask): void {
    if (!this.agents.isUp(r.agent)) this.report.fail('agent-lifecycle', r, line, `task ${r.task} running again on agent ${r.agent}, which is not registered`);
    live.unreachable = false;
    this.agents.launched(r.agent, r.res, r.t);
    this.agents.conserve(r, line, r.agent, this.offers.launching(r.agent));
  }

  /** What the tasks count, for the summary. */
  counts(): { tasksLaunched: number; tasksFinished: number; tasksFailed: number; tasksKilled: number; tasksLost: number; localityTasks: number } {
    return {
      tasksLaunched: this.tasksLaunched,
      tasksFinished: this.tasksFinished,
      tasksFailed: this.tasksFailed,
      tasksKilled: this.tasksKilled,
      tasksLost: this.tasksLost,
      localityTasks: this.localityTasks,
    };
  }

  private launch(r: Extract<LogRecord, { kind: 'task_state' }>, line: number, f: FrameworkState, j: number, o: OpenJob, k: number): void {
    if (o.task[k] !== PENDING) {
      this.report.fail('tasks', r, line, `task ${r.task} launched again (task ids are never relaunched)`);
      return;
    }
    const status = this.jobs.status(j);
    if ((status & (ABANDONED | DROPPED)) !== 0)
      this.report.fail('tasks', r, line, `task ${r.task} of ${(status & ABANDONED) !== 0 ? 'abandoned' : 'dropped'} job ${j} launched`);
    if (f.removed || !f.connected)
      this.report.fail('frameworks', r, line, `framework ${r.framework} launched a task while ${f.removed ? 'removed' : 'disconnected'}`);
    if (!this.agents.isUp(r.agent)) this.report.fail('agent-lifecycle', r, line, `task ${r.task} launched on agent ${r.agent}, which is not registered`);
    if (r.res.some((x) => x < 0)) this.report.fail('agent-resources', r, line, `task ${r.task} holds negative resources ${fmtRes(r.res)}`);
    this.offers.launched(r, line);
    o.task[k] = LIVE;
    o.launched++;
    o.live++;
    f.liveTasks++;
    this.agents.launched(r.agent, r.res, r.t);
    this.tasks.set(r.task, {
      job: j,
      fw: r.framework,
      agent: r.agent,
      res: r.res,
      running: false,
      launchedAt: r.t,
      line,
      locality: undefined,
      unreachable: false,
      wasUnreachable: false,
    });
    this.tasksLaunched++;
    this.agents.conserve(r, line, r.agent, this.offers.launching(r.agent));
  }

  private ended(r: Extract<LogRecord, { kind: 'task_state' }>, line: number, f: FrameworkState, j: number, o: OpenJob, k: number, live: LiveTask): void {
    if (!live.running) this.report.fail('tasks', r, line, `task ${r.task} ${r.state} while staging (a task ends from running)`);
    switch (r.state) {
      case 'finished': {
        this.tasksFinished++;
        this.agents.touched(r.agent, r.t);
        const ran = r.t - live.launchedAt;
        // Only a task with preferences launched off its node may run slower (remoteSlowdown).
        // A task on a partitioned agent reports its end when the agent is heard again (late).
        const late = live.wasUnreachable || this.agents.reconnectedAt(r.agent) === r.t;
        const longest = !late && (live.locality === undefined || live.locality === 'node') ? this.jobs.maxDuration(j) : Infinity;
        if (ran < 1 || ran > longest)
          this.report.fail(
            'tasks',
            r,
            line,
            `task ${r.task} finished ${fmtSeconds(ran)} s after its launch, not within 1 us to its job's longest task ${fmtSeconds(longest)} s`,
          );
        break;
      }
      case 'failed':
        this.tasksFailed++;
        break;
      case 'killed':
        this.tasksKilled++;
        this.frameworks.killed(r.framework, r.t);
        break;
      case 'lost':
        this.tasksLost++;
        this.instant.push({ what: 'lost', agent: r.agent, line, t: r.t, task: r.task });
        break;
      case 'gone':
        this.tasksLost++;
        if (!live.unreachable) this.report.fail('tasks', r, line, `task ${r.task} gone while not unreachable`);
        break;
      default:
        break;
    }
    this.tasks.delete(r.task);
    o.task[k] = ENDED;
    o.ended++;
    o.live--;
    f.liveTasks--;
    // An unreachable task's resources left with its agent.
    if (!live.unreachable) {
      this.agents.ended(live.agent, live.res);
      this.agents.conserve(r, line, live.agent, this.offers.launching(live.agent));
    }
    if (this.jobs.closeIfOver(j, o) && (this.jobs.status(j) & (ABANDONED | DROPPED | RESTARTED)) === 0) {
      this.instant.push({ what: 'finish', job: j, line, t: r.t });
    }
  }
}
