/**
 * Random (MTBF/MTTR-drawn) agent failures: the draws, their distribution, and their injection
 * through simulate() with the machinery of scheduled failures. Times in comments are seconds.
 */
import { getAllocator } from '../../allocators/registry.js';
import { RandomStream } from '../kernel/rng.js';
import { seconds, type SimTime } from '../kernel/time.js';
import { AGENT_PING_TIMEOUT, MAX_AGENT_PING_TIMEOUTS } from './master.js';
import { AgentFailureClock, type RandomFailureSpec } from './random-failures.js';
import { resources } from './resources.js';
import { simulate, type AgentSpec, type AgentFailureSpec } from './simulation.js';
import { RecordingSink } from './test-support/scripted.js';
import { BatchFramework } from './frameworks/batch.js';
import type { JobSpec } from './job.js';

const S = 1_000_000;
const ONE_CPU = resources({ cpus: 1 });

function agents(n: number): AgentSpec[] {
  return Array.from({ length: n }, (_, i) => ({ name: `a${String(i).padStart(3, '0')}`, rack: 'r', res: ONE_CPU }));
}

function run(opts: { seed?: number; agents: AgentSpec[]; random: RandomFailureSpec; scheduled?: AgentFailureSpec[]; duration?: number; jobs?: JobSpec[] }) {
  const sink = new RecordingSink();
  const result = simulate({
    seed: opts.seed ?? 1,
    master: { allocationInterval: seconds(1) },
    allocator: getAllocator('drf')!.create({}),
    agents: opts.agents,
    frameworks: [{ name: 'f', role: '*', behaviour: new BatchFramework() }],
    weights: new Map(),
    jobs: opts.jobs ?? [],
    duration: opts.duration === undefined ? undefined : seconds(opts.duration),
    sinks: [sink],
    failures: { agents: opts.scheduled ?? [], random: opts.random },
  });
  return { sink, result };
}

/** Removals (-agent) and returns (+agent) in log order, with their times in seconds. */
function cycles(sink: RecordingSink): [string, number][] {
  const out: [string, number][] = [];
  for (const r of sink.records) {
    if (r.kind === 'agent_removed') out.push([`-${r.agent}`, r.t / S]);
    else if (r.kind === 'agent_added' && r.t > 0) out.push([`+${r.agent}`, r.t / S]);
  }
  return out;
}

describe('random failure draws', () => {
  // Up times are Exp(mean m): P(up < m) = 1 - e^-1 = 0.63212. Over n = 4000 draws the count below m
  // is Binomial(4000, 0.63212): mean 2528.5, sd sqrt(4000 x 0.63212 x 0.36788) = 30.5; allow 4 sd.
  // Down times are Exp(mean r): their mean over 4000 draws has sd r / sqrt(4000) = 0.0158 r;
  // allow 4 sd (0.063 r). A uniform draw on [0, 2m] (same mean) would put 50 % below m: 2000,
  // 17 sd away; mean and rate swapped (Exp(1/m)) would put every draw below m.
  test('up times are exponential with mean MTBF, down times with mean MTTR', () => {
    const m = 1000 * S;
    const r = 50 * S;
    const clock = new AgentFailureClock(new RandomStream(7, 'failures/a000'), m, r);
    const n = 4000;
    let below = 0;
    let downSum = 0;
    for (let i = 0; i < n; i++) {
      if (clock.upTime() < m) below++;
      downSum += clock.downTime()!;
    }
    const p = 1 - Math.exp(-1);
    expect(Math.abs(below - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    expect(Math.abs(downSum / n - r)).toBeLessThan((4 * r) / Math.sqrt(n));
  });

  test('without MTTR a failure has no down time and draws nothing', () => {
    const clock = new AgentFailureClock(new RandomStream(1, 'x'), S, undefined);
    expect(clock.downTime()).toBeUndefined();
    expect(() => new AgentFailureClock(new RandomStream(1, 'x'), 0, undefined)).toThrow(/mtbf/);
    expect(() => new AgentFailureClock(new RandomStream(1, 'x'), S, 0)).toThrow(/mttr/);
  });
});

describe('random failures in a run', () => {
  // N = 400 agents, MTBF m = 1000 s, no repair, failures only before until = H = 1000 s. Each agent
  // fails in [0, H) independently with p = 1 - e^(-H/m) = 0.63212, so the agents removed are
  // Binomial(400, p): mean 252.85, sd sqrt(400 p (1 - p)) = 9.64. A failure before 1000 is declared
  // lost before 1000 + 75 = 1075, the run's duration, so every one of them is in the log. Allow 4 sd
  // (214.3 .. 291.4). Were the mean used as a rate (Exp(mean 1/m s)), all 400 would fail.
  test('the number of agents failed by H is Binomial(N, 1 - e^(-H/MTBF))', () => {
    const { sink } = run({ agents: agents(400), random: { mtbf: seconds(1000), until: seconds(1000) }, duration: 1075 });
    const removed = sink.of('agent_removed').length;
    const p = 1 - Math.exp(-1);
    expect(Math.abs(removed - 400 * p)).toBeLessThan(4 * Math.sqrt(400 * p * (1 - p)));
    expect(sink.of('agent_added').filter((r) => r.t > 0)).toEqual([]); // no MTTR: nobody returns
  });

  test('same seed, same failure times; another seed, other times', () => {
    const spec: RandomFailureSpec = { mtbf: seconds(300), mttr: seconds(100) };
    const a = run({ seed: 5, agents: agents(5), random: spec, duration: 3000 });
    const b = run({ seed: 5, agents: agents(5), random: spec, duration: 3000 });
    const c = run({ seed: 6, agents: agents(5), random: spec, duration: 3000 });
    expect(cycles(a.sink).length).toBeGreaterThan(5);
    expect(cycles(b.sink)).toEqual(cycles(a.sink));
    expect(cycles(c.sink)).not.toEqual(cycles(a.sink));
  });

  test("an agent's failure times do not depend on the other agents", () => {
    const spec = (names: string[]): RandomFailureSpec => ({ mtbf: seconds(300), mttr: seconds(100), agents: names });
    const alone = run({ agents: agents(1), random: spec(['a000']), duration: 3000 });
    const withOthers = run({ agents: agents(4), random: spec(['a000', 'a001', 'a002', 'a003']), duration: 3000 });
    const of0 = (sink: RecordingSink) => cycles(sink).filter(([k]) => k.slice(1) === '0');
    expect(of0(withOthers.sink)).toEqual(of0(alone.sink));
  });

  // One agent registered at 0, MTBF 200, MTTR 50, 5000 s. The run must follow this replay of its
  // stream `failures/a000` (draws alternate up, down, up, down...): fail at upStart + up; lost 75 s
  // after the first ping (every 15 s from its last registration) at or after the failure; back at
  // max(fail + down, lost), which is also its new registration and the start of the next up time.
  test('an agent fails, returns and fails again, as the replay of its stream says', () => {
    const { sink } = run({ seed: 3, agents: agents(1), random: { mtbf: seconds(200), mttr: seconds(50) }, duration: 5000 });
    const clock = new AgentFailureClock(new RandomStream(3, 'failures/a000'), 200 * S, 50 * S);
    const expected: [string, number][] = [];
    let reg = 0;
    for (;;) {
      const fail = reg + clock.upTime();
      const p = AGENT_PING_TIMEOUT;
      const lost = reg + Math.ceil((fail - reg) / p) * p + MAX_AGENT_PING_TIMEOUTS * p;
      if (lost >= 5000 * S) break;
      expected.push(['-0', lost / S]);
      const back = Math.max(fail + clock.downTime()!, lost);
      if (back >= 5000 * S) break;
      expected.push(['+0', back / S]);
      reg = back;
    }
    expect(expected.length).toBeGreaterThan(10);
    expect(cycles(sink)).toEqual(expected);
  });

  // Run to completion: one agent, one 10 s job at 0; MTBF 10^6 s with repair. The run completes
  // at 10 when the job ends; the agent's first failure (drawn at 10^6 s on average, and here after
  // 10 s: checked from the same stream) is still pending and does not keep the run going.
  test('pending failures do not keep a run to completion alive', () => {
    const job: JobSpec = { id: 'j', submit: 0 as SimTime, framework: 'f', tasks: [{ res: ONE_CPU, duration: seconds(10) }] };
    const { result, sink } = run({ agents: agents(1), random: { mtbf: seconds(1e6), mttr: seconds(10) }, jobs: [job] });
    expect(new AgentFailureClock(new RandomStream(1, 'failures/a000'), 1e6 * S, 10 * S).upTime()).toBeGreaterThan(10 * S);
    expect(result.reason).toBe('completed');
    expect(result.endTime).toBe(10 * S);
    expect(sink.of('agent_removed')).toEqual([]);
  });

  // A fraction 0.3 of 10 agents: exactly round(3) agents take part. MTBF 1 s, no repair: each of
  // them fails within seconds; the others never do.
  test('a fraction of the agents takes part', () => {
    const { sink } = run({ agents: agents(10), random: { mtbf: seconds(1), fraction: 0.3 }, duration: 500 });
    expect(sink.of('agent_removed').length).toBe(3);
  });

  // a000 fails for good at 0 (scheduled); its random failures (MTBF 1 s) then fall while it is down
  // and are skipped: one removal (at 75: the ping at 0 is its first unanswered one), no error.
  // until 100 ends the chain; from 50 keeps a001's first failure at or after 50: removed at >= 125
  // (at least 75 s after it).
  test('random failures while the agent is down are skipped; from and until bound them', () => {
    const { sink } = run({
      agents: agents(2),
      scheduled: [{ agent: 'a000', at: 0 as SimTime }],
      random: { mtbf: seconds(1), mttr: seconds(1), from: seconds(50), until: seconds(100) },
      duration: 400,
    });
    const removed = sink.of('agent_removed');
    expect(removed.filter((r) => r.agent === 0).map((r) => r.t / S)).toEqual([75]);
    const a1 = removed.filter((r) => r.agent === 1).map((r) => r.t / S);
    expect(a1.length).toBeGreaterThan(0);
    expect(a1[0]).toBeGreaterThanOrEqual(125);
    // failures start before 100, so each is lost before 100 + 90
    expect(Math.max(...a1)).toBeLessThan(190);
  });

  test('an unknown agent in random failures is an error', () => {
    expect(() => run({ agents: agents(1), random: { mtbf: S as SimTime, agents: ['zz'] }, duration: 10 })).toThrow(/unknown agent zz/);
  });
});

describe('an up time drawn as 0 us after a return', () => {
  // mtbf 1 ms, mttr 1 s over 50 agents and 2000 s: some 100,000 up times are drawn, each rounding
  // to 0 us with probability 1 - e^(-0.5/1000) = 0.0005, so about 50 of them do. Before, such a
  // draw after a return (a message-phase event) scheduled a failure in that instant's arrival
  // phase, already past: the run stopped on a broken invariant ("cannot schedule ... before now").
  test('is taken as 1 us: the run goes on', () => {
    const { result, sink } = run({ agents: agents(50), random: { mtbf: 1000 as SimTime, mttr: S as SimTime }, duration: 2000 });
    expect(result.reason).toBe('duration');
    expect(sink.of('agent_removed').length).toBeGreaterThan(1000);
  });
});
