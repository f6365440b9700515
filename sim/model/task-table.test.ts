/**
 * The task table's storage reuse: a job's slots go back to the table when it is over, so that
 * storage follows the live tasks, while task and job ids (and everything a scheduler can ask of an
 * old task) answer as without reuse. Unit cases worked out by hand, a run of many short jobs whose
 * storage stays bounded, and random runs compared record for record with reuse on and off.
 */
import fc from 'fast-check';
import { getAllocator } from '../../allocators/registry.js';
import { seconds, type SimTime } from '../kernel/time.js';
import type { ArchitectureName } from './architectures/index.js';
import type { FrameworkBehaviour, OfferView, SchedulerDriver } from './framework.js';
import { BatchFramework } from './frameworks/batch.js';
import { GangFramework } from './frameworks/gang.js';
import { ServiceFramework } from './frameworks/service.js';
import { taskIx, type JobIx, type TaskIx } from './ids.js';
import { PENDING_CODE, RELEASED_CODE, TaskCode, TaskTable, type JobSpec, type TaskSpec } from './job.js';
import type { LogRecord, LogSink } from './log.js';
import { resources } from './resources.js';
import { simulate, type AgentSpec, type FrameworkSpec, type SimulationInput } from './simulation.js';

const ONE_CPU = resources({ cpus: 1 });

function job(id: string, n: number, cpus = 1, duration = 10): JobSpec {
  return {
    id,
    submit: 0 as SimTime,
    framework: 'f',
    tasks: Array.from({ length: n }, (_, k) => ({ res: resources({ cpus: cpus + k }), duration: seconds(duration), preferredAgents: [`a${k}`] })),
  };
}

describe('TaskTable storage reuse', () => {
  // Capacity 16. Jobs A (ids 0-5, slots 0-5), B (ids 6-10, slots 6-10), C (ids 11-14, slots
  // 11-14): top 15. A and C are over. D (ids 15-20, 6 tasks) first reclaims A and C, then does not
  // fit after slot 14 (15 + 6 > 16): compaction slides B down to slots 0-4 (top 5), and 2 x (5 + 6)
  // = 22 > 16 doubles the columns to 32; D takes slots 5-10.
  test('jobs over give their slots back; the live ones slide down, ids stay', () => {
    const t = new TaskTable(16, 16);
    const a = t.addJob(job('A', 6), 0);
    const b = t.addJob(job('B', 5, 2), 1);
    const c = t.addJob(job('C', 4, 3), 0);
    t.setState(11, TaskCode.RUNNING);
    t.setState(11, TaskCode.FINISHED);
    t.release(a); // A over with its tasks still pending (as a dropped job's)
    t.release(c);
    expect([t.isLive(0), t.isLive(11), t.heldSlots]).toEqual([true, true, 15]); // reclaimed only by the next addJob
    const d = t.addJob(job('D', 6, 4), 1);
    expect([t.capacity, t.heldSlots, t.peakHeld, t.size, t.jobs]).toEqual([32, 11, 15, 21, 4]);
    expect([t.slotOf(6), t.slotOf(10), t.slotOf(15), t.slotOf(20)]).toEqual([0, 4, 5, 10]);
    // B's tasks moved with their resources, job, preferences; D's are D's.
    const out = new Float64Array(4);
    t.resInto(taskIx(7), out);
    expect([out[0], t.jobOf(taskIx(7)), t.prefsOf(7)?.agents[0]]).toEqual([3000, b, t.agentId('a1')]);
    t.resInto(taskIx(20), out);
    expect([out[0], t.jobOf(taskIx(20))]).toEqual([9000, d]);
    // Reclaimed ids still name their job; a task that never launched answers pending, one that did
    // RELEASED_CODE (terminal).
    expect([t.isLive(0), t.isLive(14), t.jobOf(taskIx(0)), t.jobOf(taskIx(5)), t.jobOf(taskIx(11)), t.jobOf(taskIx(14))]).toEqual([false, false, a, a, c, c]);
    expect([t.stateOf(0), t.stateOf(11), t.stateOf(12), t.stateOf(7)]).toEqual([PENDING_CODE, RELEASED_CODE, PENDING_CODE, PENDING_CODE]);
  });

  // Without reuse a release does nothing: slot = task id throughout, the table keeps every task.
  test('without reuse every task keeps its slot', () => {
    const t = new TaskTable(16, 16, { reuse: false });
    const a = t.addJob(job('A', 10), 0);
    t.release(a);
    t.addJob(job('B', 10), 0);
    expect([t.capacity, t.heldSlots, t.isLive(0), t.slotOf(0), t.slotOf(19)]).toEqual([32, 20, true, 0, 19]);
  });
});

/** Records every record as a JSON line. */
class Lines implements LogSink {
  readonly lines: string[] = [];
  record(r: LogRecord): void {
    this.lines.push(JSON.stringify(r));
  }
}

describe('a run of many short jobs', () => {
  // One 4-cpu agent; 2,000 jobs of 3 one-cpu tasks of 10 s, one every 20 s. Each job starts at
  // its arrival (the revive's allocation run) and is over 10 s later, before the next arrives, so
  // at most 3 tasks are live at once. With reuse, each arrival reclaims the job before it; when
  // the 16 slots are used up (after 5 jobs: 15 + 3 > 16) the compaction finds nothing live, and
  // 2 x 3 <= 16 needs no growth: the table never grows past its 16 slots. Without reuse it holds
  // all 6,000 tasks: 16 doubled to 8,192.
  test('keeps its task storage bounded by the live tasks', () => {
    const run = (table: TaskTable): string[] => {
      const sink = new Lines();
      const jobs = (function* (): Iterable<JobSpec> {
        for (let i = 0; i < 2000; i++) {
          yield { id: `j${i}`, submit: seconds(20 * i), framework: 'f', tasks: [0, 1, 2].map(() => ({ res: ONE_CPU, duration: seconds(10) })) };
        }
      })();
      simulate({
        seed: 1,
        master: { allocationInterval: seconds(1) },
        allocator: getAllocator('drf')!.create({}),
        agents: [{ name: 'a', rack: 'r', res: resources({ cpus: 4 }) }],
        frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework() }],
        weights: new Map(),
        sinks: [sink],
        jobs,
        taskTable: table,
      });
      return sink.lines;
    };
    const reused = new TaskTable(16, 16);
    const kept = new TaskTable(16, 16, { reuse: false });
    const a = run(reused);
    const b = run(kept);
    expect([reused.size, reused.peakHeld, reused.capacity]).toEqual([6000, 3, 16]);
    expect([kept.size, kept.peakHeld, kept.capacity]).toEqual([6000, 6000, 8192]);
    expect(a.length).toBeGreaterThan(6000 * 2);
    expect(a).toEqual(b);
  });
});

// ---- random runs, reuse on and off

/**
 * A scheduler that names old task ids: it accepts each offer with a few task ids, half drawn from
 * its own (pending, running, ended, reclaimed or not), half from every id handed out so far and
 * two past them (its own pending ones launch; the others are refused as unknown, another
 * framework's or not pending); a second later it kills a few of its own tasks that the table says
 * are not pending (running ones end, ended ones are left alone, whether reclaimed or not).
 */
class OldIds implements FrameworkBehaviour {
  readonly kind = 'old-ids';
  private readonly own: TaskIx[] = [];
  private pending = 0;
  private draw: number;
  constructor(seed: number) {
    this.draw = seed;
  }
  private next(n: number): number {
    // A small LCG: the same draws in both runs, whatever the table does.
    this.draw = (this.draw * 1103515245 + 12345) % 2147483648;
    return Math.floor(this.draw / 65536) % n;
  }
  private pick(d: SchedulerDriver): TaskIx {
    return this.own.length > 0 && this.next(2) === 0 ? this.own[this.next(this.own.length)]! : taskIx(this.next(d.tasks.size + 2));
  }
  onJobSubmitted(job: JobIx, d: SchedulerDriver): void {
    const first = d.tasks.firstTask[job]!;
    for (let i = first; i < first + d.tasks.taskCount[job]!; i++) this.own.push(taskIx(i));
    this.pending += d.tasks.taskCount[job]!;
  }
  onOffers(offers: readonly OfferView[], d: SchedulerDriver): void {
    for (const o of offers) {
      const ids: TaskIx[] = [];
      for (let k = this.next(4); k > 0; k--) ids.push(this.pick(d));
      if (ids.length === 0) {
        d.decline(o.id, 1);
        continue;
      }
      d.accept(o.id, ids, 1);
      d.after(1, () => {
        for (let k = this.next(4); k > 0 && this.own.length > 0; k--) {
          const i = this.own[this.next(this.own.length)]!;
          if (d.tasks.stateOf(i) !== PENDING_CODE) d.kill(i);
        }
      });
    }
  }
  onOfferRescinded(): void {}
  onTaskEnded(): void {
    this.pending = Math.max(0, this.pending - 1);
  }
  pendingTasks(): number {
    return this.pending;
  }
}

const taskArb = fc.record({
  cpus: fc.integer({ min: 1, max: 2 }),
  duration: fc.integer({ min: 1, max: 40 }),
  pref: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 2 }),
});
const jobArb = fc.record({ at: fc.integer({ min: 0, max: 200 }), fw: fc.nat(), tasks: fc.array(taskArb, { minLength: 1, maxLength: 6 }) });

interface RunCase {
  readonly mode: ArchitectureName;
  readonly agents: readonly AgentSpec[];
  readonly frameworks: () => FrameworkSpec[];
  readonly jobs: readonly { at: number; fw: number; tasks: readonly { cpus: number; duration: number; pref: number | null }[] }[];
  readonly failures: readonly { agent: number; at: number; downFor: number }[];
}

function specs(c: RunCase, names: readonly string[]): JobSpec[] {
  return [...c.jobs]
    .sort((x, y) => x.at - y.at)
    .map((j, i) => ({
      id: `j${i}`,
      submit: seconds(j.at),
      framework: names[j.fw % names.length]!,
      tasks: j.tasks.map((t): TaskSpec => ({
        res: resources({ cpus: t.cpus, mem: 1 }),
        duration: seconds(t.duration),
        ...(t.pref === null ? {} : { preferredAgents: [`a${t.pref}`] }),
      })),
    }));
}

/** The run's records (or its error) with the given table. */
function runWith(c: RunCase, table: TaskTable): { lines: string[]; error?: string } {
  const sink = new Lines();
  const frameworks = c.frameworks();
  const input: SimulationInput = {
    seed: 7,
    mode: c.mode,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: c.agents,
    frameworks,
    weights: new Map(),
    sinks: [sink],
    jobs: specs(
      c,
      frameworks.map((f) => f.name),
    ),
    duration: seconds(400),
    failures: { agents: c.failures.map((f) => ({ agent: `a${f.agent % c.agents.length}`, at: seconds(f.at), downFor: seconds(f.downFor) })) },
    taskTable: table,
  };
  try {
    simulate(input);
    return { lines: sink.lines };
  } catch (e) {
    return { lines: sink.lines, error: String(e) };
  }
}

const agentsArb = fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 2, maxLength: 4 }).map((cpus) =>
  cpus.map((n, k): AgentSpec => ({
    name: `a${k}`,
    rack: `r${k % 2}`,
    res: resources({ cpus: n, mem: 64 }),
    ...(k === 0 ? { reserved: [{ role: 'r1', res: resources({ cpus: 1, mem: 1 }) }] } : {}),
  })),
);
const failuresArb = fc.array(fc.record({ agent: fc.nat(), at: fc.integer({ min: 1, max: 300 }), downFor: fc.integer({ min: 1, max: 150 }) }), { maxLength: 2 });

/** Runs `c` with reuse on and off: the same records; returns whether the reusing table reclaimed any job. */
function compare(c: RunCase): boolean {
  const reused = new TaskTable(16, 16);
  const a = runWith(c, reused);
  const b = runWith(c, new TaskTable(16, 16, { reuse: false }));
  expect(a.error).toEqual(b.error);
  expect(a.lines).toEqual(b.lines);
  for (let i = 0; i < reused.size; i++) if (!reused.isLive(i)) return true;
  return false;
}

describe('storage reuse changes no record', () => {
  test('offers: batch (delay scheduling, abandoning), service, gang and a scheduler naming old ids; agent failures, a framework removed', () => {
    let reclaimed = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        agentsArb,
        fc.array(jobArb, { minLength: 1, maxLength: 40 }),
        failuresArb,
        fc.integer({ min: 1, max: 1000 }),
        (agents, jobs, failures, seed) => {
          const frameworks = (): FrameworkSpec[] => [
            { name: 'b', role: 'r1', behaviour: new BatchFramework({ nodeLocalWait: 2, rackLocalWait: 1, maxAttempts: 30 }) },
            { name: 'p', role: '*', behaviour: new BatchFramework({ preferLocal: true }) },
            { name: 's', role: '*', behaviour: new ServiceFramework() },
            { name: 'g', role: 'r1', behaviour: new GangFramework() },
            { name: 'x', role: '*', behaviour: new OldIds(seed) },
            // disconnects at 50 s and is removed 30 s later: its jobs are dropped, later ones on arrival
            { name: 'gone', role: '*', behaviour: new BatchFramework(), failover: { disconnectAt: seconds(50) }, failoverTimeout: seconds(30) },
          ];
          runs++;
          if (compare({ mode: 'offers', agents, frameworks, jobs, failures })) reclaimed++;
        },
      ),
      { numRuns: 80 },
    );
    // Reuse did happen (else the comparison says nothing): most runs reclaim some job.
    expect(reclaimed).toBeGreaterThan(runs / 2);
  });

  test('monolithic and shared-state: batch frameworks placing directly, with decision time and abandoning', () => {
    let reclaimed = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<ArchitectureName>('monolithic', 'shared-state'),
        agentsArb,
        fc.array(jobArb, { minLength: 1, maxLength: 40 }),
        failuresArb,
        (mode, agents, jobs, failures) => {
          const frameworks = (): FrameworkSpec[] => [
            { name: 'b', role: 'r1', behaviour: new BatchFramework({ decisionJob: 0.5, decisionTask: 0.1, maxAttempts: 3 }) },
            { name: 'c', role: '*', behaviour: new BatchFramework({ decisionJob: 0.2 }) },
          ];
          runs++;
          if (compare({ mode, agents, frameworks, jobs, failures })) reclaimed++;
        },
      ),
      { numRuns: 60 },
    );
    expect(reclaimed).toBeGreaterThan(runs / 2);
  });
});
