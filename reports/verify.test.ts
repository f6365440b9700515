/**
 * The log verifier on logs the model writes with scripted schedulers (task errors, which no
 * built-in behaviour produces), on record shapes, and the summary and manifest comparisons.
 * End-to-end checks of every invariant on real run directories are in scenarios/verify.test.ts.
 */
import { getAllocator } from '../allocators/registry.js';
import { seconds, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec } from '../sim/model/job.js';
import type { LogRecord } from '../sim/model/log.js';
import { AGENT_PING_TIMEOUT, MAX_AGENT_PING_TIMEOUTS } from '../sim/model/master.js';
import { resources } from '../sim/model/resources.js';
import { simulate } from '../sim/model/simulation.js';
import { BatchFramework } from '../sim/model/frameworks/batch.js';
import { RecordingSink, ScriptedFramework } from '../sim/model/test-support/scripted.js';
import {
  AGENT_SILENCE_BEFORE_REMOVAL,
  LogVerifier,
  formatViolation,
  manifestViolations,
  recordProblem,
  summaryViolations,
  type EventCounts,
} from './verify.js';
import { taskIx } from '../sim/model/ids.js';
import { agent, allocationRun, framework, offer, res, runEnded, us } from './test-support/log.js';

const cpus = (n: number) => resources({ cpus: n });

/** Runs scripted frameworks on agents of `agents` cpus; returns every record. */
function run(frameworks: { name: string; behaviour: ScriptedFramework; role?: string }[], jobs: JobSpec[], agents: number[]): LogRecord[] {
  const sink = new RecordingSink();
  simulate({
    seed: 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: agents.map((n, i) => ({ name: `a${i}`, rack: 'r', res: cpus(n) })),
    frameworks: frameworks.map((f) => ({ name: f.name, role: f.role ?? '*', behaviour: f.behaviour })),
    weights: new Map(),
    jobs,
    sinks: [sink],
    horizon: seconds(1000),
  });
  return sink.records;
}

function job(id: string, framework: string, sizes: number[]): JobSpec {
  return { id, framework, submit: 0 as SimTime, tasks: sizes.map((n) => ({ res: cpus(n), duration: seconds(10) })) };
}

/** The violations of a log, formatted; and what it counts. */
function verify(records: readonly LogRecord[]): { violations: string[]; counts: EventCounts } {
  const violations: string[] = [];
  const v = new LogVerifier({ onViolation: (x) => violations.push(formatViolation(x)) });
  records.forEach((r, i) => v.record(r, i + 1));
  return { violations, counts: v.finish() };
}

/**
 * The accept-validation runs of sim/model/accept-validation.test.ts. One 4-cpu agent; job j of
 * tasks 0..3 needing 2, 3, 1, 1 cpus. At 0 f accepts offer 0 with [0, 1, 2, 3]: task 1 (3 > the 2
 * left) gets insufficient_resources, 0, 2 and 3 launch; at 10 it launches task 1.
 */
function insufficient(): LogRecord[] {
  const f = new ScriptedFramework((o, d, self) => {
    if (self.seen.length === 1) {
      d.accept(o.id, [0, 1, 2, 3].map(taskIx));
      return { kind: 'hold' };
    }
    const pending = self.pendingList();
    return pending.length > 0 ? { kind: 'accept', tasks: pending } : { kind: 'decline' };
  });
  return run([{ name: 'f', behaviour: f }], [job('j', 'f', [2, 3, 1, 1])], [4]);
}

/**
 * Two 4-cpu agents; f's job has tasks 0 and 1, g's task 2. f answers its first offer F with
 * accept(F, [2, 0, 0, 99]) (task 2 is g's, task 0 launches, task 0 again is a duplicate, 99 does
 * not exist), accept(F, [1]) (F is gone: invalid_offer), accept(G, [1]) (G is g's: invalid_offer).
 */
function invalid(): LogRecord[] {
  const f = new ScriptedFramework((o, d, self) => {
    if (self.seen.length > 1) return self.pendingTasks() > 0 ? { kind: 'accept', tasks: self.pendingList() } : { kind: 'decline' };
    d.accept(o.id, [2, 0, 0, 99].map(taskIx));
    d.accept(o.id, [taskIx(1)]);
    d.accept(1 - o.id, [taskIx(1)]);
    d.decline(1 - o.id);
    d.decline(o.id);
    return { kind: 'hold' };
  });
  const g = new ScriptedFramework((_o, _d, self) => (self.seen.length === 1 ? { kind: 'accept', tasks: [2] } : { kind: 'decline' }));
  return run(
    [
      { name: 'f', behaviour: f },
      { name: 'g', behaviour: g },
    ],
    [job('jf', 'f', [1, 1]), job('jg', 'g', [1])],
    [4, 4],
  );
}

const errorsOf = (records: readonly LogRecord[]) => records.flatMap((r, i) => (r.kind === 'task_error' ? [{ i, r }] : []));

describe('task errors', () => {
  test("the model's accept validation verifies clean", () => {
    for (const records of [insufficient(), invalid()]) {
      expect(errorsOf(records).length).toBeGreaterThan(0);
      expect(verify(records).violations).toEqual([]);
    }
    // Every reason appears in these two runs.
    expect(new Set([...insufficient(), ...invalid()].flatMap((r) => (r.kind === 'task_error' ? [r.reason] : [])))).toEqual(
      new Set(['insufficient_resources', 'other_framework_task', 'task_not_pending', 'unknown_task', 'invalid_offer']),
    );
  });

  test('a reason the log contradicts', () => {
    const records = invalid();
    // The first error refuses g's task 2 as another framework's; call it unknown instead.
    const { i, r } = errorsOf(records)[0]!;
    expect([r.task, r.reason]).toEqual([2, 'other_framework_task']);
    records[i] = { ...r, reason: 'unknown_task' };
    expect(verify(records).violations).toEqual([
      `events.jsonl:${i + 1}: t=0.000000 s task_error [tasks] task 2 refused as unknown_task, but the log shows other_framework_task`,
    ]);
  });

  test('a refused task the accept launched anyway', () => {
    const records = insufficient();
    // Say task 2 (which the accept launched) was refused instead of task 1 (which it did not).
    const { i, r } = errorsOf(records)[0]!;
    expect([r.task, r.reason]).toEqual([1, 'insufficient_resources']);
    records[i] = { ...r, task: 2 };
    const accept = records.findIndex((x) => x.kind === 'offer_accepted');
    expect(verify(records).violations).toEqual([
      `events.jsonl:${i + 1}: t=0.000000 s task_error [tasks] task 2 refused, yet its accept (line ${accept + 1}) launched it`,
    ]);
  });

  test('a duplicate refused as not pending that the accept never launched', () => {
    const records = invalid();
    // The accept of F launches task 0 and refuses its second mention; drop that launch and its records.
    const { r } = errorsOf(records).find((e) => e.r.reason === 'task_not_pending')!;
    expect(r.task).toBe(0);
    const kept = records.filter((x) => !((x.kind === 'task_state' || x.kind === 'task_locality') && x.task === 0 && x.t === 0));
    const accept = kept.findIndex((x) => x.kind === 'offer_accepted' && x.offer === r.offer);
    kept[accept] = { ...kept[accept]!, tasks: 0, used: [0, 0, 0, 0] } as LogRecord;
    const line = kept.findIndex((x) => x.kind === 'task_error' && x.reason === 'task_not_pending') + 1;
    expect(verify(kept).violations).toContain(
      `events.jsonl:${line}: t=0.000000 s task_error [tasks] task 0 refused as task_not_pending while pending, and its accept (line ${accept + 1}) did not launch it`,
    );
  });
});

/**
 * One 4-cpu agent; f (role web) has one task of 1 cpu. Its first offer (0, cpus 4) is accepted
 * with the task and RESERVE cpus 1 (applied), RESERVE cpus 9 (dropped: insufficient_resources),
 * UNRESERVE cpus 0.5 (applied); the task ends at 10 and the run completes.
 */
function reserving(): LogRecord[] {
  const f = new ScriptedFramework((o, _d, self) =>
    self.seen.length === 1
      ? {
          kind: 'accept',
          tasks: self.pendingList(),
          operations: [
            { type: 'reserve', res: cpus(1) },
            { type: 'reserve', res: cpus(9) },
            { type: 'unreserve', res: cpus(0.5) },
          ],
        }
      : { kind: 'decline' },
  );
  return run([{ name: 'f', behaviour: f, role: 'web' }], [job('j', 'f', [1])], [4]);
}

describe('reservations and operation errors', () => {
  test("the model's operations verify clean", () => {
    const records = reserving();
    expect(records.filter((r) => r.kind === 'reservation').map((r) => r.kind === 'reservation' && [r.op, r.res[0]])).toEqual([
      ['reserve', 1000],
      ['unreserve', 500],
    ]);
    expect(records.filter((r) => r.kind === 'operation_error').map((r) => r.kind === 'operation_error' && [r.index, r.reason])).toEqual([
      [1, 'insufficient_resources'],
    ]);
    expect(verify(records).violations).toEqual([]);
    for (const r of records) expect(recordProblem(r)).toBeUndefined();
  });

  test('a reservation on an offer not outstanding, and an operation error the log contradicts', () => {
    const records = reserving();
    const i = records.findIndex((r) => r.kind === 'reservation');
    const j = records.findIndex((r) => r.kind === 'operation_error');
    records[i] = { ...(records[i] as Extract<LogRecord, { kind: 'reservation' }>), offer: 7 };
    records[j] = { ...(records[j] as Extract<LogRecord, { kind: 'operation_error' }>), reason: 'invalid_offer' };
    expect(verify(records).violations).toEqual([
      `events.jsonl:${i + 1}: t=0.000000 s reservation [offers] a reserve on offer 7, which is not an outstanding offer of framework 0 on agent 0`,
      `events.jsonl:${j + 1}: t=0.000000 s operation_error [offers] operation 1 dropped as invalid_offer, but offer 0 is an outstanding offer of framework 0`,
    ]);
  });
});

describe('record shapes', () => {
  test('a well-formed record of each kind the runs above wrote', () => {
    for (const r of [...insufficient(), ...invalid()]) expect(recordProblem(r)).toBeUndefined();
  });
  test.each([
    [{ kind: 'agent_exploded', t: 0 }, 'unknown record kind "agent_exploded"'],
    [{ kind: 'toString', t: 0 }, 'unknown record kind "toString"'],
    [{ kind: 'suppress', t: 0 }, 'suppress needs a number "framework"'],
    [{ kind: 'suppress', t: 0, framework: '1' }, 'suppress needs a number "framework"'],
    [{ kind: 'suppress', t: 0, framework: 1, extra: 2 }, 'suppress has no field "extra"'],
    [{ kind: 'run_ended', t: 0, reason: 'bored' }, 'run_ended needs "reason" to be one of completed, duration'],
    [{ kind: 'offer_rescinded', t: Infinity, offer: 0, framework: 0, agent: 0 }, 'offer_rescinded needs a finite number "t"'],
    [{ kind: 'agent_removed', t: 0, agent: 0, res: [1, 2, 3] }, 'agent_removed needs "res" as [cpus, mem, disk, gpus] numbers'],
  ])('%j', (r, problem) => {
    expect(recordProblem(r as { kind: string; t: number })).toBe(problem);
  });
});

describe('summary.json and manifest.json against the events', () => {
  const counts = verify(insufficient()).counts;
  test('what the events count', () => {
    // Tasks 0, 2, 3 run 0..10 and task 1 10..20: 4 launches and 4 finishes; one job, finished at 20.
    expect([
      counts.jobs,
      counts.tasks,
      counts.tasksLaunched,
      counts.tasksFinished,
      counts.jobsFinished,
      counts.jobsOver,
      counts.makespan,
      counts.endReason,
    ]).toEqual([1, 4, 4, 4, 1, 1, 20_000_000, 'completed']);
  });
  test('a missing key, a wrong count and a null where the events have a value', () => {
    const summary: Record<string, unknown> = { end_reason: 'completed', first_event_s: 0, run_end_s: 20, makespan_s: null, tasks_launched: 5 };
    const lines = summaryViolations(summary, counts).map(formatViolation);
    expect(lines).toContain('summary.json: [summary] makespan_s is null, the events give 20.000000');
    expect(lines).toContain('summary.json: [summary] tasks_launched is 5, the events give 4');
    expect(lines).toContain('summary.json: [summary] tasks_finished is missing; the events give 4');
    expect(lines).not.toContainEqual(expect.stringMatching(/run_end_s|first_event_s|end_reason/));
  });
  test("the manifest's counts and fingerprint", () => {
    const good = { records: counts.records, fingerprint: counts.fingerprint, endReason: 'completed', endTime: 20, jobsSubmitted: 1, jobsFinished: 1 };
    expect(manifestViolations(good, counts)).toEqual([]);
    expect(manifestViolations({ ...good, endTime: 20.000001, jobsFinished: 0 }, counts).map(formatViolation)).toEqual([
      'manifest.json: [manifest] endTime is 20.000001, the events end at 20.000000',
      'manifest.json: [manifest] jobsFinished is 0, the events give 1',
    ]);
  });
});

test("the silence before a removal is the master's ping timeout times its allowed misses", () => {
  expect(AGENT_SILENCE_BEFORE_REMOVAL).toBe(AGENT_PING_TIMEOUT * MAX_AGENT_PING_TIMEOUTS);
});

describe('multi-role frameworks', () => {
  /**
   * f, a batch framework of roles a and b, on one 4-cpu agent: ja (role a) at 1, jb (role b) at 13
   * while f is disconnected (12 to 15); the model's log of it (sim/model/multi-role.test.ts works
   * the same run out by hand).
   */
  function multiRole(): LogRecord[] {
    const sink = new RecordingSink();
    const one = (id: string, at: number, role: string): JobSpec => ({
      id,
      framework: 'f',
      role,
      submit: seconds(at),
      tasks: [{ res: cpus(1), duration: seconds(100) }],
    });
    simulate({
      seed: 1,
      master: { allocationInterval: seconds(1) },
      allocator: getAllocator('drf')!.create({}),
      agents: [{ name: 'a0', rack: 'r', res: cpus(4) }],
      frameworks: [
        {
          name: 'f',
          role: 'a',
          roles: ['a', 'b'],
          behaviour: new BatchFramework(),
          failover: { disconnectAt: seconds(12), reconnectAfter: seconds(3) },
          failoverTimeout: seconds(60),
        },
      ],
      weights: new Map(),
      jobs: [one('ja', 1, 'a'), one('jb', 13, 'b')],
      sinks: [sink],
      horizon: seconds(1000),
    });
    return sink.records;
  }

  test('the model log verifies clean, its records well formed', () => {
    const records = multiRole();
    for (const r of records) expect(recordProblem(r)).toBeUndefined();
    expect(records.some((r) => r.kind === 'offer_sent' && r.role === 'b')).toBe(true);
    expect(verify(records).violations).toEqual([]);
  });

  test('an offer to a suppressed role, to no role, or a reregistration with other suppressed roles is a violation', () => {
    const records = multiRole();
    // The offer to role b at 15: b was revived at 13, so make it go to role a, suppressed since 1.
    const i = records.findIndex((r) => r.kind === 'offer_sent' && r.role === 'b');
    const toA = records.map((r, k) => (k === i ? { ...r, role: 'a' } : r));
    expect(verify(toA).violations.filter((v) => v.includes('[frameworks]'))[0]).toMatch(/an offer to framework 0 in role a while it is suppressed/);
    const noRole = records.map((r, k) => {
      if (k !== i || r.kind !== 'offer_sent') return r;
      const { role: _, ...rest } = r;
      return rest;
    });
    expect(verify(noRole).violations.some((v) => v.includes('in role (none), not one of its roles'))).toBe(true);
    const j = records.findIndex((r) => r.kind === 'framework_reconnected');
    const said = records.map((r, k) => (k === j ? { ...r, suppressedRoles: [] } : r));
    expect(verify(said).violations.some((v) => v.includes('resubscribed with suppressed roles []; its suppressed roles are [a]'))).toBe(true);
  });
});

describe('offers of an allocation run under way at the end (the allocator cost model)', () => {
  // One agent and framework; a run at 0 makes offer 0 and lasts 0.5 s (busy), so the offer reaches
  // its framework at 0.5; the run completes at 0.1 (no job), before that. The offer is the run's,
  // still under way: not a violation. With busy 0.05 (run over at 0.05) it was delivered and never
  // answered: a violation, as without busy.
  const log = (busy: number | undefined): LogRecord[] => [
    agent(0, 0, res(4, 1024)),
    framework(0, 0, 'f', '*'),
    offer(0, 0, 0, 0, res(4, 1024)),
    busy === undefined ? allocationRun(0, 1, 1) : { kind: 'allocation_run', t: 0, candidates: 1, offers: 1, busy: us(busy) },
    runEnded(0.1),
  ];
  const outstanding = (v: readonly string[]) => v.filter((x) => x.includes('still outstanding'));

  test('an offer whose run ends after the run is not outstanding; one delivered before it is', () => {
    expect(outstanding(verify(log(0.5)).violations)).toEqual([]);
    expect(outstanding(verify(log(0.05)).violations)).toHaveLength(1);
    expect(outstanding(verify(log(undefined)).violations)).toHaveLength(1);
  });

  test('busy is optional on allocation_run, and a number when present', () => {
    expect(recordProblem({ kind: 'allocation_run', t: 0, candidates: 1, offers: 0, busy: 5 } as LogRecord)).toBeUndefined();
    expect(recordProblem({ kind: 'allocation_run', t: 0, candidates: 1, offers: 0, busy: 'x' } as unknown as LogRecord)).toBe(
      'allocation_run needs a number "busy" when it has one',
    );
    expect(recordProblem({ kind: 'allocation_run', t: 0, candidates: 1, offers: 0, other: 1 } as unknown as LogRecord)).toBe(
      'allocation_run has no field "other"',
    );
  });
});
