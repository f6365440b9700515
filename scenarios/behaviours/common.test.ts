/**
 * One suite for every registered behaviour, as Mesos runs one typed test suite over every sorter
 * (CommonSorterTest, src/tests/sorter_tests.cpp): each behaviour, with its example options and
 * with each shared option it has set (refuse filter, decision time), runs a small scenario through
 * the registry, the builder and the simulation, and keeps the rules every scheduler keeps: every
 * offer answered once, no task refused by the master, the refuse filter it was given, decisions
 * that take t_job + t_task x tasks, all its work placed, idle means suppressed, and the same run
 * twice gives the same records. Nothing here names a behaviour: a new one is tested as registered.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { FrameworkBehaviour } from '../../sim/model/framework.js';
import type { OfferAcceptedRecord, OfferDeclinedRecord, OfferRescindedRecord, OfferSentRecord } from '../../sim/model/log.js';
import { RecordingSink } from '../../sim/model/test-support/scripted.js';
import { simulate } from '../../sim/model/simulation.js';
import { buildSimulation } from '../build.js';
import { parseScenarioText } from '../loader.js';
import { BEHAVIOURS, takesJobs } from './index.js';
import type { BehaviourEntry } from './entry.js';

const S = 1_000_000;

/**
 * Three agents of <4 cpus, 4 GB>: 12 cpus, more than the work needs at any instant, so some offers
 * are declined. A behaviour that takes jobs gets j0 (2 tasks of <1 cpu> x 10 s) and j1 (3 tasks of
 * <2 cpus> x 5 s) at 0, and j2 (1 task of <1 cpu> x 3 s) at 20: 6 tasks, done by 23 s. One that
 * brings its own tasks runs for 60 s.
 */
function scenario(e: BehaviourEntry, options: Record<string, unknown>): string {
  const jobs = takesJobs(e)
    ? `    workload:
      kind: inline
      jobs:
        - { id: j0, submit: 0, tasks: [{ cpus: 1, mem: 256, duration: 10, count: 2 }] }
        - { id: j1, submit: 0, tasks: [{ cpus: 2, mem: 256, duration: 5, count: 3 }] }
        - { id: j2, submit: 20, tasks: [{ cpus: 1, mem: 256, duration: 3 }] }
`
    : '';
  return `${takesJobs(e) ? '' : 'duration: 60\n'}cluster:
  agents:
    - { count: 3, cpus: 4, mem: 4096 }
frameworks:
  - name: f
    behaviour: ${JSON.stringify(options)}
${jobs}`;
}

/** The variants a behaviour runs in: its example, then each shared option it has, set on the example. */
function variants(e: BehaviourEntry): [string, Record<string, unknown>][] {
  const shape = e.options.shape;
  const out: [string, Record<string, unknown>][] = [['example', { ...e.example }]];
  if ('refuseSeconds' in shape) out.push(['refuseSeconds 2', { ...e.example, refuseSeconds: 2 }]);
  if ('decisionJob' in shape) out.push(['decisionJob 1', { ...e.example, decisionJob: 1 }]);
  if ('decisionTask' in shape) out.push(['decisionTask 0.5', { ...e.example, decisionTask: 0.5 }]);
  return out;
}

function run(text: string) {
  const { scenario: s } = parseScenarioText(text, 'common.yaml');
  const sink = new RecordingSink();
  const input = buildSimulation(s, 1, [sink]);
  const result = simulate(input);
  return { s, sink, result, behaviour: input.frameworks[0]!.behaviour };
}

const CASES = BEHAVIOURS.flatMap((e) => variants(e).map(([what, options]) => [e.name, what, e, options] as const));

describe.each(CASES)('behaviour %s (%s)', (name, _what, e, options) => {
  const text = scenario(e, options);
  let sink: RecordingSink;
  let result: ReturnType<typeof simulate>;
  let behaviour: FrameworkBehaviour;
  let parsed: Record<string, unknown>;
  let sent: Map<number, OfferSentRecord>;
  let answers: (OfferAcceptedRecord | OfferDeclinedRecord | OfferRescindedRecord)[];
  beforeAll(() => {
    const r = run(text);
    ({ sink, result, behaviour } = r);
    parsed = r.s.frameworks[0]!.behaviour as Record<string, unknown>;
    sent = new Map(sink.of('offer_sent').map((o) => [o.offer, o]));
    answers = [...sink.of('offer_accepted'), ...sink.of('offer_declined'), ...sink.of('offer_rescinded')];
  });

  test('is built as its registered kind', () => {
    expect(behaviour.kind).toBe(name);
  });

  test('does all its work: every job finishes, or its own tasks all run to the end', () => {
    if (takesJobs(e)) {
      expect(result.reason).toBe('completed');
      // j0, j1, j2: 2 + 3 + 1 tasks.
      expect(
        sink
          .of('job_finished')
          .map((r) => r.job)
          .sort(),
      ).toEqual([0, 1, 2]);
      expect(sink.of('task_state').filter((r) => r.state === 'finished')).toHaveLength(6);
    } else {
      expect(result.reason).toBe('duration');
      const own = e.ownTasks!(parsed as never);
      expect(sink.of('task_state').filter((r) => r.state === 'running')).toHaveLength(own.count);
      expect(sink.of('task_state').filter((r) => r.state !== 'running' && r.state !== 'staging')).toEqual([]);
    }
    expect(behaviour.pendingTasks()).toBe(0);
  });

  test('answers every offer once (by the end of a run that completes), and only offers it got', () => {
    const count = new Map<number, number>();
    for (const a of answers) {
      expect(sent.has(a.offer)).toBe(true);
      count.set(a.offer, (count.get(a.offer) ?? 0) + 1);
    }
    expect([...count.values()].filter((c) => c > 1)).toEqual([]);
    if (result.reason === 'completed') expect(count.size).toBe(sent.size);
  });

  test('launches only what the master takes: no task is refused', () => {
    expect(sink.of('task_error')).toEqual([]);
  });

  test('installs the refuse filter it was given (or none)', () => {
    const refuse = parsed['refuseSeconds'];
    if (typeof refuse !== 'number') return;
    const filters = [...sink.of('offer_accepted'), ...sink.of('offer_declined')].map((r) => r.refuse);
    expect(filters.filter((f) => f !== 0 && f !== refuse * S)).toEqual([]);
    // The cluster has more than the work needs: some offer, or the unused rest of one, is declined with the filter.
    expect(filters.some((f) => f === refuse * S)).toBe(true);
  });

  test('takes t_job + t_task x tasks per decision, and launches nothing before a decision ends', () => {
    const tJob = typeof parsed['decisionJob'] === 'number' ? parsed['decisionJob'] : 0;
    const tTask = typeof parsed['decisionTask'] === 'number' ? parsed['decisionTask'] : 0;
    const decisions = sink.of('decision');
    if (tJob === 0 && tTask === 0) {
      expect(decisions).toEqual([]);
      return;
    }
    expect(decisions.length).toBeGreaterThan(0);
    for (const d of decisions) expect((d.t - d.start) / S).toBeCloseTo(tJob + tTask * d.tasks, 6);
    // A launch follows a decision that considered at least one task: at least t_job + t_task after
    // the offer came (an offer may be declined at once when there is nothing to decide).
    const least = (tJob + tTask) * S;
    for (const a of sink.of('offer_accepted')) expect(a.t - sent.get(a.offer)!.t).toBeGreaterThanOrEqual(least);
  });

  test('suppresses once it has nothing to launch', () => {
    const last = sink.records.filter((r) => (r.kind === 'suppress' || r.kind === 'revive') && r.framework === 0).at(-1);
    expect(last?.kind).toBe('suppress');
  });

  test('runs the same twice', () => {
    expect(run(text).sink.records).toEqual(sink.records);
  });
});
