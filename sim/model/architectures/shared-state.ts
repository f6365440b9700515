/**
 * The shared-state architecture (Omega): every framework sees the whole free cluster and places
 * its own pending tasks, first fit in its own seeded shuffle, committing optimistically; a
 * framework with decision time decides job by job, in parallel with the others, and its
 * placements that no longer fit when it commits are conflicts. Imports the kernel and model
 * modules.
 */
import { Phase } from '../../kernel/phases.js';
import { shuffleInPlace } from '../../kernel/shuffle.js';
import type { HandlerId } from '../../kernel/simulator.js';
import { MICROS_PER_SECOND, type SimTime } from '../../kernel/time.js';
import { hasDecisionTime, type DecisionTime, type FrameworkBehaviour } from '../framework.js';
import { frameworkIx, type AgentIx, type FrameworkIx, type JobIx, type TaskIx } from '../ids.js';
import { DirectScheduler, type ArchitectureDeps } from './direct.js';

/** Why framework `name` cannot decide job by job under shared state, though it has decision time. */
export function headJobProblem(name: string, b: FrameworkBehaviour): string | undefined {
  return hasDecisionTime(b) && (b.headJob === undefined || b.takeTask === undefined || b.dropHeadJob === undefined)
    ? `framework ${name} (${b.kind}) has decision time but cannot decide job by job under shared-state: its behaviour does not expose its head job`
    : undefined;
}

/** A shared-state framework with decision time: its decision under way, if any, and its attempts. */
interface Decider {
  /** a decision is under way (its commit event is pending) */
  busy: boolean;
  /** the job it decides for */
  job: JobIx;
  /** when it began, us */
  start: SimTime;
  /** the job's pending tasks it considers (all of them) */
  considered: number;
  /** its placements on the snapshot, in task index order: task ids, and their agents */
  readonly tasks: TaskIx[];
  readonly agents: AgentIx[];
  /** {@link DirectScheduler.requests} when it began: a later count means the cluster may have changed */
  requests: number;
  /** the job {@link attempts} counts for (-1: none yet) */
  attemptsJob: number;
  /** decisions for that job so far */
  attempts: number;
}

/**
 * At each round the frameworks with pending work take their turn in the allocator's order (the
 * first not yet served, re-ranked after each turn). A framework without decision time places all
 * it can at once, so it never conflicts. A framework with decision time
 * (FrameworkBehaviour.decisionTime) decides job by job, in parallel with the others: a decision
 * places the head job's pending tasks on a snapshot of the free cluster taken when it starts and
 * commits t_job + t_task x tasks later; placements that no longer fit then are conflicts (not
 * launched), the rest launch (Omega's incremental transactions). See docs/model.md for why.
 *
 * Shared-state decision time: a framework with decision time has one scheduler, working on one
 * job at a time, independently of the others. When idle with pending work it starts a decision
 * in the next scheduling round (a round is requested whenever work arrives or resources free up).
 * A decision for the head job J (FrameworkBehaviour.headJob) places J's pending tasks, in index
 * order, each on the first agent of a fresh seeded shuffle (stream `shared-state/<framework>`)
 * where it fits in the free resources of that instant less the decision's earlier placements
 * (its snapshot; a task that fits nowhere is skipped). It commits `max(1 us, t_job + t_task x
 * considered)` later, in the MESSAGE phase (after that instant's releases and arrivals, before
 * its round): each placement that still fits (Master.fitsDirect, agent not failed) launches,
 * each that does not is a conflict and stays pending; a `commit` record counts both. Commits at
 * one instant run in the order their decisions began (for decisions begun in one round, the order
 * the frameworks took their turns in). Then, if J still has pending tasks, the decision counts as
 * one attempt: after `maxAttempts` (> 0) attempts J is abandoned (driver `abandon` path);
 * otherwise J stays the head and is decided again at once if the decision had a conflict or a
 * scheduling round was requested while it ran (something may have freed), else the framework
 * waits, idle, for the next round: a retry on an unchanged cluster could place nothing more. Without J pending left, the next job's
 * decision starts at once. Every decision without a launch needs a conflict (another framework
 * launched) or a request (a release or an arrival), so a run whose jobs can never fit ends.
 * A decision that ends while its framework is disconnected (or removed) is lost: nothing
 * launches, no attempt is counted, no `commit` record is written; a disconnected framework takes
 * no turn in a round (the allocator does not rank it) until it reregisters.
 */
export class SharedStateScheduler extends DirectScheduler {
  readonly name = 'shared-state';
  private readonly hCommit: HandlerId;
  /** shared-state frameworks with decision time, by index; undefined for the others */
  private readonly deciders: (Decider | undefined)[] = [];
  /** scratch: the head job's pending tasks */
  private readonly headTasks: TaskIx[] = [];

  constructor(deps: ArchitectureDeps) {
    super(deps, 'shared-state');
    this.hCommit = deps.sim.register('shared-state-commit', (fw) => this.commit(frameworkIx(fw)));
  }

  protected round(): void {
    const m = this.master;
    for (;;) {
      const fw = this.nextFramework();
      if (fw < 0) break;
      this.blocked[fw] = 1;
      const b = m.frameworkAt(fw).behaviour;
      if (hasDecisionTime(b)) {
        const d = this.decider(fw);
        if (!d.busy) this.startDecision(fw, d, b);
        continue;
      }
      shuffleInPlace(this.agents, this.streams(`shared-state/${m.frameworkAt(fw).name}`));
      while (this.placeOne(fw)) {
        /* place all that fit */
      }
    }
  }

  private decider(fw: FrameworkIx): Decider {
    let d = this.deciders[fw];
    if (d === undefined) {
      d = { busy: false, job: -1 as JobIx, start: 0 as SimTime, considered: 0, tasks: [], agents: [], requests: 0, attemptsJob: -1, attempts: 0 };
      this.deciders[fw] = d;
    }
    return d;
  }

  /** Starts a decision of `fw` (idle, with decision time) for its head job, if it has one. */
  private startDecision(fw: FrameworkIx, d: Decider, b: FrameworkBehaviour): void {
    const m = this.master;
    const tasks = this.headTasks;
    const job = b.headJob!(tasks);
    if (job < 0) return;
    if (d.attemptsJob !== job) {
      d.attemptsJob = job;
      d.attempts = 0;
    }
    d.busy = true;
    d.job = job;
    d.start = this.sim.now;
    d.considered = tasks.length;
    d.requests = this.requests;
    d.tasks.length = 0;
    d.agents.length = 0;
    // Placing now, on the cluster of this instant, gives what placing on a snapshot taken now would:
    // the result is held back until the commit.
    const agents = m.agentList.slice();
    shuffleInPlace(agents, this.streams(`shared-state/${m.frameworkAt(fw).name}`));
    this.placeOnSnapshot(fw, tasks, agents, d.tasks, d.agents);
    const dt: DecisionTime = b.decisionTime!;
    const delay = Math.max(1, Math.round((dt.job + dt.task * d.considered) * MICROS_PER_SECOND));
    this.sim.after(delay, Phase.MESSAGE, this.hCommit, fw);
  }

  /** The decision of `fw` under way ends: commit its placements, then retry, abandon, go on or wait. */
  private commit(fw: FrameworkIx): void {
    const d = this.deciders[fw];
    if (d === undefined || !d.busy) throw this.sim.invariant(`framework ${fw} committed without a decision under way`);
    const m = this.master;
    const b = m.frameworkAt(fw).behaviour;
    m.decided(fw, d.job, d.start, d.considered);
    if (!m.isConnected(fw)) {
      // Its scheduler disconnected (or was removed) while deciding: the decision is lost (launches
      // nothing, no attempt), as a disconnected framework's offers are rescinded. It is ranked
      // again, and decides again, once it reregisters; a removed one never does.
      d.busy = false;
      return;
    }
    const conflicts = this.launchDecided(fw, b, d.tasks, d.agents);
    this.log.record({ kind: 'commit', t: this.sim.now, framework: fw, job: d.job, placed: d.tasks.length, conflicts });
    d.busy = false;
    if (b.headJob!(this.headTasks) === d.job) {
      d.attempts++;
      const max = b.decisionTime!.maxAttempts;
      if (max > 0 && d.attempts >= max) m.abandon(fw, d.job, b.dropHeadJob!(), d.attempts);
      else if (conflicts === 0 && this.requests === d.requests) return; // unchanged: wait for the next round
    }
    this.startDecision(fw, d, b);
  }
}
