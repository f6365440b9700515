/**
 * The yarn fold (yarn.ts) and the YARN records it reads: one-node, one-job yarn runs whose
 * figures follow by hand from the protocol's timing (the node's seeded heartbeat phase, the
 * ApplicationMaster's calls one interval apart from its registration), synthetic logs for the
 * rules that a run rarely shows (asks withdrawn, a new attempt, reservations, a guarantee that
 * moves), and an offers run, where every YARN metric is undefined and shows as '-'.
 */
import { describe, expect, test } from '@jest/globals';
import { getAllocator } from '../../allocators/registry.js';
import { CapacityScheduler } from '../../allocators/yarn/capacity.js';
import { DEFAULT_CAPACITY_OPTIONS } from '../../allocators/yarn/capacity-options.js';
import { FIFO_QUEUE, FifoScheduler } from '../../allocators/yarn/fifo.js';
import type { YarnScheduler } from '../../sim/model/yarn-port.js';
import { seconds } from '../../sim/kernel/time.js';
import { BatchFramework } from '../../sim/model/frameworks/batch.js';
import type { JobSpec } from '../../sim/model/job.js';
import type { LogRecord, ResTuple } from '../../sim/model/log.js';
import { resources, type ResourceVector } from '../../sim/model/resources.js';
import { simulate } from '../../sim/model/simulation.js';
import { RecordingSink } from '../../sim/model/test-support/scripted.js';
import { heartbeatPhases, MEMORY_DEFAULTS, rmOptions } from '../../sim/model/test-support/yarn.js';
import { SUMMARY_METRICS } from '../catalogue.js';
import { compareRuns, type CompareRun } from '../compare.js';
import { compareText, short } from '../compare-table.js';
import { MetricsFold } from '../metrics-fold.js';
import type { MetricsResult } from '../metrics.js';

const S = 1_000_000;
const SEED = 1;
/** The heartbeat phase of the first node, us (YarnResourceManager.trigger's rule, stream yarn/heartbeat). */
const P = heartbeatPhases(1, SEED)[0]!;

const common = MEMORY_DEFAULTS;
/** One job of one 10 s task of 1 cpu and 1024 MB, submitted at 0. */
const JOB: JobSpec = { id: 'j', framework: 'f', submit: seconds(0), tasks: [{ res: resources({ cpus: 1, mem: 1024 }), duration: seconds(10) }] };

/** One node of 8 cpus and `mb` MB, one framework, `jobs`, under `mode` (yarn: `scheduler`, AM `am`). */
function run(
  mode: 'yarn' | 'offers',
  am: ResourceVector | null = null,
  jobs: JobSpec[] = [JOB],
  scheduler: YarnScheduler = new FifoScheduler(common),
  mb = 8192,
): { result: MetricsResult; log: RecordingSink } {
  const fold = new MetricsFold();
  const log = new RecordingSink();
  simulate({
    seed: SEED,
    mode,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: [{ name: 'n1', rack: 'r1', res: resources({ cpus: 8, mem: mb }) }],
    frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework() }],
    weights: new Map(),
    jobs,
    sinks: [fold, log],
    yarn: { scheduler, options: rmOptions({ am }) },
  });
  return { result: fold.finish(), log };
}

const MB = 1000; // a MB in a record's fixed point

describe('the yarn fold on one node and one job, by hand', () => {
  test('no AM container: first container at 1 s + p, asked at 1 s, so p from ask to allocation; no AM share', () => {
    // The node heartbeats at p, 1 + p, ... (0 < p < 1 s). The AM takes no container: it registers
    // at submission (0) and calls allocate at 1 s, sending ANY = 1 at priority 20. The heartbeat
    // at 1 + p allocates the container: first container 1 + p after submission, p after the call
    // that asked for it. The task runs from 2 s (the call that takes it) to 12 s.
    expect(P).toBeGreaterThan(0);
    const { result, log } = run('yarn');
    expect(log.of('app_submitted')).toEqual([{ kind: 'app_submitted', t: 0, job: 0, framework: 0, queue: FIFO_QUEUE }]);
    expect(log.of('am_registered')).toEqual([{ kind: 'am_registered', t: 0, job: 0, framework: 0, container: -1, agent: -1 }]);
    expect(log.of('asks_sent').map((r) => [r.t, r.priority, r.containers])).toEqual([
      [S, 20, 1], // the first call asks for the task
      [3 * S, 20, 0], // the call at 2 s bound it (the total fell to 0), sent at the next call
    ]);
    expect(log.of('container_allocated')).toEqual([
      {
        kind: 'container_allocated',
        t: S + P,
        container: 0,
        job: 0,
        framework: 0,
        agent: 0,
        priority: 20,
        locality: 'off-switch',
        am: false,
        res: [1000, 1024 * MB, 0, 0],
      },
    ]);
    const s = result.summary;
    expect(s.firstContainer).toEqual({ n: 1, mean: S + P, p50: S + P, p95: S + P, p99: S + P });
    expect(s.askToAllocation).toEqual({ n: 1, mean: P, p50: P, p95: P, p99: P });
    expect(result.jobs[0]!.firstContainer).toBe(S + P);
    expect(s.amShare).toBe(0);
    expect(s.reservedShare).toBe(0); // the FIFO scheduler reserves nothing
  });

  test('an AM container of 1536 MB (2048 normalised): AM share 2048 / 8192 over its 12 s of a run of 12 s + p; queue usage', () => {
    // The AM is asked at submission and allocated at the heartbeat at p; it registers there and
    // calls allocate at 1 + p (ANY = 1), and the heartbeat at 1 + p, after the call, allocates the
    // task's container: first container 1 + p, 0 from ask to allocation. The task runs from 2 + p
    // to 12 + p; the job is then over, the AM unregisters and the run ends (12 + p). The cluster
    // has 8192 MB from 0: the AM holds 2048 MB over [p, 12 + p), so
    //   am_share = (2048 / 8192) x 12 / (12 + p).
    // The FIFO queue's guarantee is the cluster (8192 MB, memory only under the memory
    // calculator); it holds 0 over [0, p), 2048 over [p, 1 + p), 3072 over [1 + p, 12 + p):
    //   queue_usage_mean = (0.25 x 1 + 0.375 x 11) / (12 + p).
    const { result, log } = run('yarn', resources({ mem: 1536, cpus: 1 }));
    const amRecord = log.of('container_allocated')[0]!;
    expect(amRecord).toEqual({
      kind: 'container_allocated',
      t: P,
      container: 0,
      job: 0,
      framework: 0,
      agent: 0,
      priority: 0,
      locality: 'off-switch',
      am: true,
      res: [1000, 2048 * MB, 0, 0],
    });
    expect(log.of('am_registered')).toEqual([{ kind: 'am_registered', t: P, job: 0, framework: 0, container: 0, agent: 0 }]);
    expect(log.of('container_completed').map((r) => [r.container, r.t, r.reason])).toEqual([[0, 12 * S + P, 'app_finished']]);
    const s = result.summary;
    const span = (12 * S + P) / S;
    expect(s.runEnd).toBe(12 * S + P);
    expect(s.firstContainer.p50).toBe(S + P);
    expect(s.askToAllocation).toEqual({ n: 1, mean: 0, p50: 0, p95: 0, p99: 0 });
    expect(s.amShare).toBeCloseTo((0.25 * 12) / span, 12);
    expect(result.frameworks[0]!.queue).toBe(FIFO_QUEUE);
    expect(result.frameworks[0]!.queueUsage).toBeCloseTo((0.25 * 1 + 0.375 * 11) / span, 12);
  });

  test('the CapacityScheduler, one off-switch container per heartbeat: an over-allocated container asked again, released; ask latencies; queue usage', () => {
    // One node of 4096 MB (phase p), no AM container, the one queue root.default (100%). Job a
    // of 3 tasks of 1024 MB and 10 s at 0. Its AM's first call (1 s) asks ANY = 3, stamped 1 s.
    // The CapacityScheduler gives at most one off-switch container per heartbeat, so containers
    // come at 1 + p, 2 + p, 3 + p. The AM binds one per call (2, 3, 4 s) and sends its total as it
    // stood before binding: 2 at 3 s, when the scheduler still had 1 outstanding, so one more ask,
    // stamped 3 s; 1 at 4 s (1 outstanding: no change); 0 at 5 s. The heartbeat at 4 + p serves
    // the 3 s ask: a fourth container, which no task wants: taken at 5 s, released at 6 s.
    //   ask to allocation: p, 1 + p, 2 + p (the 1 s asks), 1 + p (the 3 s ask): n 4, p50 (rank 2
    //   of p, 1 + p, 1 + p, 2 + p) 1 + p, p95 (rank 4) 2 + p;
    //   tasks run 2-12, 3-13, 4-14 s: the run ends at 14 s;
    //   queue usage (guarantee 4096 MB from 0): held 1, 2, 3, 4 containers over [1 + p, 2 + p),
    //   [2 + p, 3 + p), [3 + p, 4 + p), [4 + p, 6), then 3, 2, 1 over [6, 12), [12, 13), [13, 14):
    //   (0.25 + 0.5 + 0.75 + (2 - p) + 0.75 x 6 + 0.5 + 0.25) / 14 = (8.75 - p) / 14.
    const task = { res: resources({ cpus: 1, mem: 1024 }), duration: seconds(10) };
    const jobs: JobSpec[] = [{ id: 'a', framework: 'f', submit: seconds(0), tasks: [task, task, task] }];
    const { result, log } = run('yarn', null, jobs, new CapacityScheduler(DEFAULT_CAPACITY_OPTIONS), 4096);
    expect(log.of('asks_sent').map((r) => [r.t / S, r.containers])).toEqual([
      [1, 3],
      [3, 2],
      [4, 1],
      [5, 0],
    ]);
    expect(log.of('container_allocated').map((r) => r.t)).toEqual([S + P, 2 * S + P, 3 * S + P, 4 * S + P]);
    expect(log.of('container_completed').map((r) => [r.container, r.t / S, r.reason])).toEqual([
      [3, 6, 'released'],
      [0, 12, 'task_ended'],
      [1, 13, 'task_ended'],
    ]);
    const s = result.summary;
    expect(s.runEnd).toBe(14 * S);
    expect(s.askToAllocation).toEqual({ n: 4, mean: (4 * P + 4 * S) / 4, p50: S + P, p95: 2 * S + P, p99: 2 * S + P });
    expect(s.reservedShare).toBe(0);
    expect(result.frameworks[0]!.queueUsage).toBeCloseTo((8.75 - P / S) / 14, 12);
  });

  test('an offers run logs no YARN record: every YARN metric is undefined, and shows as - beside a yarn run in offersim compare', () => {
    const offers = run('offers');
    expect(offers.log.records.filter((r) => YARN_KINDS.has(r.kind))).toEqual([]);
    const s = offers.result.summary;
    expect([s.amShare, s.reservedShare, s.firstContainer.p50, s.askToAllocation.p95]).toEqual([NaN, NaN, NaN, NaN]);
    expect([offers.result.frameworks[0]!.queue, offers.result.frameworks[0]!.queueUsage]).toEqual([null, NaN]);
    expect(offers.result.jobs[0]!.firstContainer).toBeNaN();
    const yarn = run('yarn', resources({ mem: 1536, cpus: 1 }));
    const c = compareRuns([asCompared('offers', offers.result), asCompared('yarn', yarn.result)], {
      reference: 'offers',
      metrics: ['am_share', 'first_container_p50_s'],
    });
    const lines = compareText(c).split('\n');
    // the offers column has no number ('-'), the yarn column its mean (as worked out in the test
    // above: 0.25 x 12 / (12 + p), and 1 + p s); no difference without a pair
    const span = (12 * S + P) / S;
    expect(lines.find((l) => l.startsWith('am_share'))!.split(/\s+/)).toEqual(['am_share', 'fraction', 'lower', '-', short((0.25 * 12) / span), '-']);
    expect(lines.find((l) => l.startsWith('first_container_p50_s'))!.split(/\s+/)).toEqual([
      'first_container_p50_s',
      's',
      'lower',
      '-',
      short((S + P) / S),
      '-',
    ]);
  });
});

const YARN_KINDS = new Set<string>([
  'app_submitted',
  'am_registered',
  'asks_sent',
  'container_allocated',
  'container_completed',
  'reserved',
  'queue_guarantee',
]);

/** A folded run as `offersim compare` reads it: summary.json's numbers (times in seconds), null where undefined. */
function asCompared(policy: string, r: MetricsResult): CompareRun {
  const summary: Record<string, number | null> = {};
  for (const m of SUMMARY_METRICS) {
    if (m.format === 'text') continue;
    const v = m.value(r.summary);
    summary[m.key] = Number.isFinite(v) ? (m.format === 'seconds' ? v / S : v) : null;
  }
  return { policy, seed: 1, summary, frameworks: new Map() };
}

/** Folds `records` (a run_ended at `end` appended) with the agent, framework and job they need. */
function fold(records: LogRecord[], end: number): MetricsResult {
  const m = new MetricsFold();
  const head: LogRecord[] = [
    { kind: 'agent_added', t: 0, agent: 0, name: 'n', rack: 'r', res: [8000, 10_000 * MB, 0, 0] },
    { kind: 'framework_added', t: 0, framework: 0, name: 'f', role: '*', weight: 1, behaviour: 'batch' },
    { kind: 'job_submitted', t: 0, job: 0, name: 'j', framework: 0, tasks: 4, maxTaskDuration: S },
    { kind: 'app_submitted', t: 0, job: 0, framework: 0, queue: 'root.q' },
  ];
  for (const r of [...head, ...records, { kind: 'run_ended', t: end, reason: 'duration' } as const]) m.record(r);
  return m.finish();
}

const mem = (mb: number): ResTuple => [0, mb * MB, 0, 0];
const alloc = (t: number, container: number, priority: number, am = false, mb = 1000): LogRecord => ({
  kind: 'container_allocated',
  t,
  container,
  job: 0,
  framework: 0,
  agent: 0,
  priority,
  locality: 'off-switch',
  am,
  res: mem(mb),
});
const asks = (t: number, priority: number, containers: number): LogRecord => ({ kind: 'asks_sent', t, job: 0, framework: 0, priority, containers });

describe('the yarn fold on synthetic records', () => {
  test('ask to allocation: asks stamped per call, the newest withdrawn first, the oldest served first, per priority; a new attempt starts afresh', () => {
    // priority 20: 2 asked at 1 s, raised to 3 at 2 s (one more stamped 2 s), lowered to 2 at 3 s
    // (the 2 s one withdrawn); allocations at 4 s and 5 s take the two asks of 1 s: 3 s and 4 s.
    // priority 21: 1 asked at 2 s, allocated at 2.5 s: 0.5 s. A container at 6 s finds no ask
    // outstanding: left out. A new attempt registers at 7 s: the 1 ask of 6.5 s is dropped; it asks
    // 1 at 8 s, allocated at 10 s: 2 s. Latencies 3, 4, 0.5, 2 s: n 4, mean 2.375 s, p50 2 s
    // (rank ceil(0.5 x 4) = 2 of 0.5, 2, 3, 4), p95 4 s.
    const r = fold(
      [
        asks(1 * S, 20, 2),
        asks(2 * S, 20, 3),
        asks(2 * S, 21, 1),
        alloc(2.5 * S, 0, 21),
        asks(3 * S, 20, 2),
        alloc(4 * S, 1, 20),
        alloc(5 * S, 2, 20),
        alloc(6 * S, 3, 20),
        asks(6.5 * S, 20, 1),
        { kind: 'am_registered', t: 7 * S, job: 0, framework: 0, container: -1, agent: -1 },
        asks(8 * S, 20, 1),
        alloc(10 * S, 4, 20),
      ],
      10 * S,
    );
    expect(r.summary.askToAllocation).toEqual({ n: 4, mean: 2.375 * S, p50: 2 * S, p95: 4 * S, p99: 4 * S });
    // the first task container was the one of 2.5 s
    expect(r.summary.firstContainer.p50).toBe(2.5 * S);
    expect(r.jobs[0]!.firstContainer).toBe(2.5 * S);
  });

  test('am_share and reserved_share: time-weighted over the time the cluster has memory', () => {
    // Cluster 10,000 MB from 0 to 10 s. An AM container of 2000 MB from 2 s to 6 s: 0.2 x 4 / 10
    // = 0.08. A task container (not an AM's) never counts. Reserved 500 MB over [1 s, 3 s) and
    // 1000 MB over [3 s, 5 s): (0.05 x 2 + 0.1 x 2) / 10 = 0.03.
    const r = fold(
      [
        { kind: 'reserved', t: 1 * S, res: mem(500) },
        alloc(2 * S, 0, 0, true, 2000),
        alloc(2 * S, 1, 20, false, 3000),
        { kind: 'reserved', t: 3 * S, res: mem(1000) },
        { kind: 'reserved', t: 5 * S, res: mem(0) },
        { kind: 'container_completed', t: 6 * S, container: 0, job: 0, framework: 0, agent: 0, reason: 'app_finished' },
      ],
      10 * S,
    );
    expect(r.summary.amShare).toBeCloseTo(0.08, 12);
    expect(r.summary.reservedShare).toBeCloseTo(0.03, 12);
  });

  test('queue usage against guarantee: the largest ratio over resources with a guarantee, over the time the guarantee is above 0', () => {
    // Queue root.q: no guarantee over [0, 2 s) (left out), 4000 MB and 4 cpus over [2 s, 6 s),
    // 2000 MB (no cpus: memory alone counts) over [6 s, 10 s). A container of 3 cpus and 2000 MB
    // from 1 s to 8 s: ratios max(0.75, 0.5) = 0.75 over [2, 6), 1.0 over [6, 8), 0 over [8, 10):
    // (0.75 x 4 + 1 x 2 + 0) / 8 = 0.625 (memory alone would give 0.5).
    const r = fold(
      [
        { kind: 'queue_guarantee', t: 0, queue: 'root.q', guarantee: mem(0) },
        { ...(alloc(1 * S, 0, 20, false, 2000) as Extract<LogRecord, { kind: 'container_allocated' }>), res: [3000, 2000 * MB, 0, 0] },
        { kind: 'queue_guarantee', t: 2 * S, queue: 'root.q', guarantee: [4000, 4000 * MB, 0, 0] },
        { kind: 'queue_guarantee', t: 6 * S, queue: 'root.q', guarantee: mem(2000) },
        { kind: 'container_completed', t: 8 * S, container: 0, job: 0, framework: 0, agent: 0, reason: 'task_ended' },
      ],
      10 * S,
    );
    expect(r.frameworks[0]!.queue).toBe('root.q');
    expect(r.frameworks[0]!.queueUsage).toBeCloseTo(0.625, 12);
  });

  test('a broken log: a container completed that was never allocated, or allocated to a job in no queue', () => {
    expect(() => fold([{ kind: 'container_completed', t: S, container: 9, job: 0, framework: 0, agent: 0, reason: 'released' }], 2 * S)).toThrow(
      /container 9 completed while not allocated/,
    );
    const m = new MetricsFold();
    m.record({ kind: 'framework_added', t: 0, framework: 0, name: 'f', role: '*', weight: 1, behaviour: 'batch' });
    m.record({ kind: 'job_submitted', t: 0, job: 0, name: 'j', framework: 0, tasks: 1, maxTaskDuration: S });
    expect(() => m.record(alloc(S, 0, 20))).toThrow(/submitted to no queue/);
  });
});
