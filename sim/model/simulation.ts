/**
 * One simulation: the kernel, the master, the frameworks and the workload wired together, run to
 * completion or for a duration. Inputs arrive already resolved (scenarios/ turns files into them).
 * Imports the kernel and model modules (the allocation port included).
 */
import { Phase } from '../kernel/phases.js';
import { RandomStreams } from '../kernel/rng.js';
import { shuffleInPlace } from '../kernel/shuffle.js';
import { Simulator } from '../kernel/simulator.js';
import type { SimTime } from '../kernel/time.js';
import type { Allocator, Reservation } from './allocation-port.js';
import { createArchitecture, type ArchitectureName } from './architectures/index.js';
import { NoAllocator } from './architectures/yarn.js';
import type { FrameworkBehaviour } from './framework.js';
import { agentIx, type AgentIx, type FrameworkIx } from './ids.js';
import { type JobSpec, TaskTable } from './job.js';
import type { LogSink } from './log.js';
import { RecordLog } from './record-log.js';
import { Master, type FrameworkOptions, type MasterOptions } from './master.js';
import type { ResourceVector } from './resources.js';
import type { YarnDeps } from './yarn-port.js';
import { AgentFailureClock, type RandomFailureSpec } from './random-failures.js';

/** An agent of the cluster definition. */
export interface AgentSpec {
  /** unique name */
  readonly name: string;
  /** rack attribute; default '' */
  readonly rack: string;
  readonly res: ResourceVector;
  /** when it registers, us; default 0 */
  readonly addAt?: SimTime;
  /** static reservations, each part of `res`, sorted by role; default none */
  readonly reserved?: readonly Reservation[];
}

/** A framework of the run. */
export interface FrameworkSpec {
  /** unique name */
  readonly name: string;
  /** role path; default '*' (a multi-role framework's first role) */
  readonly role: string;
  /** a multi-role framework's roles, `role` first (two or more); default just `role` */
  readonly roles?: readonly string[] | undefined;
  /** its scheduler model */
  readonly behaviour: FrameworkBehaviour;
  /** when it subscribes, us; default 0 */
  readonly addAt?: SimTime;
  /** a scheduler failover: disconnect at `disconnectAt` us, reregister `reconnectAfter` us later (absent: never); default none */
  readonly failover?: { readonly disconnectAt: SimTime; readonly reconnectAfter?: SimTime | undefined } | undefined;
  /** Mesos `failover_timeout`, us: how long after a disconnect its tasks survive; default 0 (killed at once) */
  readonly failoverTimeout?: SimTime | undefined;
  /** its capabilities and offer filters (Master.addFramework); default none */
  readonly options?: FrameworkOptions | undefined;
  /** declares the PARTITION_AWARE capability: its tasks on an unreachable agent go unreachable, not lost; default false */
  readonly partitionAware?: boolean | undefined;
}

/**
 * What an agent failure is: 'crash', the agent's host or process died (its tasks die with it; it
 * comes back empty), or 'partition', the network between it and the master broke (it and its tasks
 * keep running; it comes back with them). Default 'crash'.
 */
export type FailureKind = 'crash' | 'partition';

/** A scheduled agent failure. */
export interface AgentFailureSpec {
  /** the agent's name */
  readonly agent: string;
  /** when it stops answering pings, us */
  readonly at: SimTime;
  /**
   * how long it stays down, us; absent: for good. It registers again at `at + downFor`, or when
   * it is declared lost if that is later (an agent back before that is still treated as lost).
   * A failure that falls while the agent is already down (an overlapping failure) is skipped,
   * with its return. A partition heals at `at + downFor` exactly (required for a partition).
   */
  readonly downFor?: SimTime | undefined;
  /** what kind of failure (see {@link FailureKind}); default 'crash' */
  readonly kind?: FailureKind | undefined;
}

/** Failures injected into the run. */
export interface FailureSpec {
  /** scheduled agent failures */
  readonly agents?: readonly AgentFailureSpec[];
  /**
   * failures drawn from MTBF and MTTR (see {@link RandomFailureSpec}); default none. A failure,
   * scheduled or random, that falls while its agent is already down is skipped.
   */
  readonly random?: RandomFailureSpec | undefined;
}

/** Everything one run needs, resolved. */
export interface SimulationInput {
  /** run seed: every random stream derives from it */
  readonly seed: number;
  readonly master: MasterOptions;
  /** the scheduling architecture, how tasks reach agents: 'offers' (Mesos, the allocator offers) or one that places them without offers; default 'offers' */
  readonly mode?: ArchitectureName | undefined;
  readonly allocator: Allocator;
  readonly agents: readonly AgentSpec[];
  readonly frameworks: readonly FrameworkSpec[];
  /** role weights (default 1 for roles not listed) */
  readonly weights: ReadonlyMap<string, number>;
  /** jobs in non-decreasing submit time; consumed lazily, one arrival pending at a time */
  readonly jobs: Iterable<JobSpec>;
  /** stop at this time (us); absent: run until every job has finished */
  readonly duration?: SimTime | undefined;
  /** safety horizon for run-to-completion, us; default 30 days */
  readonly horizon?: SimTime | undefined;
  /** where the log goes */
  readonly sinks: readonly LogSink[];
  /** failures to inject; default none (a run without failures registers no extra events) */
  readonly failures?: FailureSpec | undefined;
  /** the YARN scheduler and the ResourceManager's settings: required with mode 'yarn', ignored otherwise */
  readonly yarn?: YarnDeps | undefined;
  /** the empty task table to fill; default a new TaskTable() (storage of jobs that are over reused) */
  readonly taskTable?: TaskTable | undefined;
}

/** What a finished run reports besides its log. */
export interface SimulationResult {
  /** simulated end time, us */
  readonly endTime: number;
  readonly reason: 'completed' | 'duration';
  /** events the kernel ran */
  readonly events: number;
  readonly jobsSubmitted: number;
  readonly jobsFinished: number;
}

const DEFAULT_HORIZON = 30 * 86_400 * 1_000_000;

/** Builds and runs one simulation. */
export function simulate(input: SimulationInput): SimulationResult {
  const sim = new Simulator(4096);
  const streams = new RandomStreams(input.seed);
  const log = new RecordLog(input.sinks);
  // Sinks see each event's records when the event ends (an error a sink throws is stamped with it).
  sim.onEventEnd(() => log.flush());
  const tasks = input.taskTable ?? new TaskTable();
  const mode = input.mode ?? 'offers';
  // Under yarn the YARN scheduler decides: the master's Mesos allocator is none.
  const allocator = mode === 'yarn' ? new NoAllocator() : input.allocator;
  const master = new Master(sim, allocator, tasks, log, input.master, (m) =>
    createArchitecture(mode, { sim, master: m, allocator, streams: (name) => streams.stream(name), log, yarn: input.yarn }, input.frameworks),
  );

  for (const [role, w] of [...input.weights.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    input.allocator.setWeight(role, w);
  }

  const fwIndex = new Map<string, FrameworkIx>();
  const agentIndex = new Map<string, AgentIx>();
  const hAgent = sim.register('agent-add', (i) => {
    const a = input.agents[i]!;
    agentIndex.set(a.name, master.addAgent(a.name, a.rack, a.res, a.reserved));
  });
  const hFramework = sim.register('framework-add', (i) => {
    const f = input.frameworks[i]!;
    const roles = f.roles !== undefined && f.roles.length > 1 ? f.roles : undefined;
    let options = roles === undefined ? f.options : { ...f.options, roles };
    if (f.partitionAware !== undefined) options = { ...options, partitionAware: f.partitionAware };
    fwIndex.set(f.name, master.addFramework(f.name, f.role, input.weights.get(f.role) ?? 1, f.behaviour, options));
  });
  input.agents.forEach((a, i) => sim.at(a.addAt ?? 0, Phase.ARRIVAL, hAgent, i));
  input.frameworks.forEach((f, i) => sim.at(f.addAt ?? 0, Phase.ARRIVAL, hFramework, i));
  armFailures(sim, master, input, agentIndex);
  armRandomFailures(sim, master, input, agentIndex, streams);
  armFailovers(sim, master, input, fwIndex);

  // Jobs arrive one at a time from the iterator, so a workload larger than memory still runs.
  const jobs = input.jobs[Symbol.iterator]();
  let nextJob: JobSpec | undefined;
  let finished = 0;
  let lastSubmit = 0;
  const hJob = sim.register('job-arrival', () => {
    const spec = nextJob!;
    const fw = fwIndex.get(spec.framework);
    if (fw === undefined) throw sim.invariant(`job ${spec.id} arrived before framework ${spec.framework} subscribed`);
    master.submitJob(spec, fw);
    armNextJob();
    // A job dropped at its arrival (its framework was removed) is over before the next is armed.
    completeIfDone();
  });
  const armNextJob = (): void => {
    const it = jobs.next();
    nextJob = it.done === true ? undefined : it.value;
    if (nextJob === undefined) return;
    if (nextJob.submit < lastSubmit) throw sim.invariant(`job ${nextJob.id} submitted at ${nextJob.submit} us, before the previous job (${lastSubmit} us)`);
    lastSubmit = nextJob.submit;
    sim.at(nextJob.submit, Phase.ARRIVAL, hJob, 0);
  };
  armNextJob();

  const untilTime = input.duration ?? input.horizon ?? DEFAULT_HORIZON;
  let completed = false;
  function completeIfDone(): void {
    // tasks.jobs counts the workload's jobs and the copies schedulers resubmit (SchedulerDriver.resubmit).
    if (input.duration === undefined && nextJob === undefined && finished === tasks.jobs) {
      completed = true;
      sim.stop();
    }
  }
  master.onJobFinished = () => {
    finished++;
    completeIfDone();
  };
  if (input.duration === undefined && nextJob === undefined) {
    // An empty workload run to completion ends at once, after the registrations at t=0.
    completed = true;
    sim.run(1);
  } else {
    master.start();
    sim.run(untilTime);
  }
  const endTime = sim.now;
  const reason = completed ? 'completed' : 'duration';
  log.record({ kind: 'run_ended', t: endTime, reason });
  log.flush();
  return { endTime, reason, events: sim.eventsRun, jobsSubmitted: tasks.jobs, jobsFinished: finished };
}

/**
 * Schedules the scenario's agent failures (ARRIVAL phase, after registrations at the same instant).
 * Registers no handler when there are none, so runs without failures are unchanged.
 */
function armFailures(sim: Simulator, master: Master, input: SimulationInput, agentIndex: ReadonlyMap<string, AgentIx>): void {
  const list = input.failures?.agents ?? [];
  if (list.length === 0) return;
  const names = new Set(input.agents.map((a) => a.name));
  for (const f of list) {
    if (!names.has(f.agent)) throw new Error(`failure of unknown agent ${f.agent}`);
    if (f.kind === 'partition' && f.downFor === undefined) throw new Error(`the partition of agent ${f.agent} at ${f.at} us never heals (downFor is required)`);
  }
  const hBack = sim.register('agent-back', (a) => master.reregisterAgent(agentIx(a)));
  // Registered only when some failure is a partition, so other runs are unchanged.
  const hHeal = list.some((f) => f.kind === 'partition') ? sim.register('agent-heal', (a) => master.healAgent(agentIx(a))) : -1;
  const hFail = sim.register('agent-fail', (i) => {
    const f = list[i]!;
    const a = agentIndex.get(f.agent);
    if (a === undefined) throw sim.invariant(`agent ${f.agent} failed before it registered`);
    // Already down (an overlapping failure): this one is skipped, and so is its return.
    if (master.isAgentDown(a)) return;
    if (f.kind === 'partition') {
      master.partitionAgent(a);
      sim.at(sim.now + f.downFor!, Phase.MESSAGE, hHeal, a);
      return;
    }
    const lost = master.failAgent(a);
    if (f.downFor !== undefined) sim.at(Math.max(sim.now + f.downFor, lost), Phase.MESSAGE, hBack, a);
  });
  list.forEach((f, i) => sim.at(f.at, Phase.ARRIVAL, hFail, i));
}

/**
 * Arms the random failures (see {@link RandomFailureSpec}): one chain per agent subject to them,
 * each drawing from its own stream `failures/<agent>`, with at most one pending event per chain,
 * so a run to completion still stops when its last job ends (pending failures do not keep it
 * alive: see simulate). A chain starts at max(from, the agent's registration): it fails after an
 * Exp(mtbf) up time, goes through the master's failure machinery (offers rescinded, lost at the
 * ping timeout, tasks lost), registers again after an Exp(mttr) down time (or when declared lost,
 * if later; never without mttr), and draws its next up time from that return. A failure drawn at
 * or after `until` ends the chain. A failure that falls while the agent is down (a scheduled
 * failure) is skipped, and the next up time is drawn from that instant.
 * With `fraction`, exactly round(fraction x n) of the n eligible agents take part, picked by a
 * shuffle from the stream `failures`. Registers no handler when there are no random failures.
 */
function armRandomFailures(sim: Simulator, master: Master, input: SimulationInput, agentIndex: ReadonlyMap<string, AgentIx>, streams: RandomStreams): void {
  const spec = input.failures?.random;
  if (spec === undefined) return;
  const byName = new Map(input.agents.map((a) => [a.name, a]));
  let names = spec.agents ?? input.agents.map((a) => a.name);
  for (const n of names) if (!byName.has(n)) throw new Error(`random failure of unknown agent ${n}`);
  if (new Set(names).size !== names.length) throw new Error('an agent is listed twice in random failures');
  if (spec.fraction !== undefined) {
    if (!(spec.fraction > 0 && spec.fraction <= 1)) throw new RangeError(`random failure fraction must be in (0, 1], got ${spec.fraction}`);
    const pick = shuffleInPlace([...names], streams.stream('failures')).slice(0, Math.round(spec.fraction * names.length));
    const chosen = new Set(pick);
    names = names.filter((n) => chosen.has(n));
  }
  const from = spec.from ?? 0;
  const until = spec.until ?? Infinity;
  const clocks = names.map((n) => new AgentFailureClock(streams.stream(`failures/${n}`), spec.mtbf, spec.mttr));
  const index = (i: number): AgentIx => {
    const a = agentIndex.get(names[i]!);
    if (a === undefined) throw sim.invariant(`agent ${names[i]} failed before it registered`);
    return a;
  };
  const armNext = (i: number, upSince: number): void => {
    // At least 1 us up: a return runs in the message phase, and a failure drawn for that very
    // instant would fall in its arrival phase, which has passed (a draw rounds to 0 us with
    // probability about 0.5 / mtbf in us).
    const at = upSince + Math.max(1, clocks[i]!.upTime());
    if (at < until) sim.at(at, Phase.ARRIVAL, hFail, i);
  };
  const partition = spec.kind === 'partition';
  if (partition && spec.mttr === undefined) throw new Error('random partitions must heal: mttr is required');
  const hBack = sim.register('agent-back-random', (i) => {
    if (partition) master.healAgent(index(i));
    else master.reregisterAgent(index(i));
    armNext(i, sim.now);
  });
  const hFail = sim.register('agent-fail-random', (i) => {
    const a = index(i);
    if (master.isAgentDown(a)) {
      armNext(i, sim.now);
      return;
    }
    if (partition) {
      master.partitionAgent(a);
      // At least 1 us down, so the heal falls after this failure's instant.
      sim.at(sim.now + Math.max(1, clocks[i]!.downTime()!), Phase.MESSAGE, hBack, i);
      return;
    }
    const lost = master.failAgent(a);
    const down = clocks[i]!.downTime();
    if (down !== undefined) sim.at(Math.max(sim.now + down, lost), Phase.MESSAGE, hBack, i);
  });
  names.forEach((n, i) => armNext(i, Math.max(from, byName.get(n)!.addAt ?? 0)));
}

/** Schedules the frameworks' scheduler failovers (ARRIVAL phase); no handler when there are none. */
function armFailovers(sim: Simulator, master: Master, input: SimulationInput, fwIndex: ReadonlyMap<string, FrameworkIx>): void {
  const list = input.frameworks.filter((f) => f.failover !== undefined);
  if (list.length === 0) return;
  const index = (i: number): FrameworkIx => {
    const fw = fwIndex.get(list[i]!.name);
    if (fw === undefined) throw sim.invariant(`framework ${list[i]!.name} failed over before it subscribed`);
    return fw;
  };
  const hBack = sim.register('framework-reregister', (i) => master.reconnectFramework(index(i)));
  const hDown = sim.register('framework-disconnect', (i) => {
    const f = list[i]!;
    master.disconnectFramework(index(i), f.failoverTimeout ?? 0);
    const after = f.failover!.reconnectAfter;
    if (after !== undefined) sim.at(sim.now + after, Phase.ARRIVAL, hBack, i);
  });
  list.forEach((f, i) => sim.at(f.failover!.disconnectAt, Phase.ARRIVAL, hDown, i));
}
