/**
 * Mesos's own allocator tests, end to end: each scenario of scenarios/mesos/ runs through
 * simulateScenario (the path `offersim run` takes, minus the files) and its event log and outputs
 * are checked against the Mesos test it reproduces. Mesos references are to apache/mesos at
 * c1b42f79, src/tests/hierarchical_allocator_tests.cpp (HAT below) and
 * src/master/allocator/mesos/hierarchical.cpp; the expected values are worked out beside each
 * assertion. scenarios/mesos/README.md says how each scenario differs from its Mesos test.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { loadScenario } from './loader.js';
import { simulateScenario, type SimulationOutcome } from './run.js';

const S = 1_000_000;
const DIR = fileURLToPath(new URL('./mesos/', import.meta.url));

/** One run of a scenario of scenarios/mesos/, with its log and names for its ids. */
interface MesosRun {
  readonly sink: RecordingSink;
  readonly outcome: SimulationOutcome;
  /** every offer as [time in seconds, framework name, agent name], in log order */
  readonly offers: readonly (readonly [number, string, string])[];
  /** whether every offer carried its agent's whole resources */
  readonly wholeAgents: boolean;
}

function run(file: string, overrides: readonly string[] = [], seed?: number): MesosRun {
  const sink = new RecordingSink();
  const outcome = simulateScenario(loadScenario(join(DIR, file), overrides), { seed, sinks: [sink] });
  const fw = new Map(sink.of('framework_added').map((r) => [r.framework, r.name]));
  const agents = new Map(sink.of('agent_added').map((r) => [r.agent, r]));
  const sent = sink.of('offer_sent');
  return {
    sink,
    outcome,
    offers: sent.map((o) => [o.t / S, fw.get(o.framework)!, agents.get(o.agent)!.name] as const),
    wholeAgents: sent.every((o) => o.res.every((x, i) => x === agents.get(o.agent)!.res[i])),
  };
}

/** The allocation runs at `t` seconds, as [agents considered, offers made]. */
function runsAt(r: MesosRun, t: number): [number, number][] {
  return r.sink
    .of('allocation_run')
    .filter((x) => x.t === Math.round(t * S))
    .map((x) => [x.candidates, x.offers]);
}

/** How many offers each framework got at `t` seconds. */
function offersPerFramework(r: MesosRun, t: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [at, fw] of r.offers) if (at === t) out[fw] = (out[fw] ?? 0) + 1;
  return out;
}

/** Declines as [time in seconds, framework index, refuse seconds]. */
function declines(r: MesosRun): [number, number, number][] {
  return r.sink.of('offer_declined').map((d) => [d.t / S, d.framework, d.refuse / S]);
}

/** The offers of unreserved-drf.yaml, worked out under 'UnreservedDRF' below. */
const UNRESERVED_DRF_OFFERS = [
  [0, 'fw1', 's1-0'],
  [10.5, 'fw2', 's2-0'],
  [20.5, 'fw2', 's3-0'],
  [30.5, 'fw3', 's4-0'],
  [40.5, 'fw2', 's5-0'],
];

describe('UnreservedDRF (HAT:293-441)', () => {
  // Shares are max(cpus share, mem share) of the cluster total at the time, role by role.
  // t=0     s1 (2, 1024) and fw1 (role1): the only framework gets s1 (HAT:317-321). role1 = 1.
  // t=5.5   fw2 (role2) subscribes: a run over every agent (addFramework, hierarchical.cpp:792);
  //         nothing is free.
  // t=10.5  s2 (1, 512), total (3, 1536): role1 = max(2/3, 1024/1536) = .67 > role2 = 0: fw2
  //         (HAT:345-349). role2 = .33.
  // t=20.5  s3 (3, 2048), total (6, 3584): role1 = max(2/6, 1024/3584) = .33 > role2 =
  //         max(1/6, 512/3584) = .17: fw2 (HAT:372-376). role2 = max(4/6, 2560/3584) = .71.
  // t=25.5  fw3 (role1) subscribes: nothing free.
  // t=30.5  s4 (4, 4096), total (10, 7680): role1 = max(2/10, 1024/7680) = .2 < role2 =
  //         max(4/10, 2560/7680) = .4; in role1 fw3 (0) < fw1 (.2), and fw1 also wants s4: fw3
  //         (HAT:404-408). role1 = max(6/10, 5120/7680) = .67.
  // t=35.5  fw4 (role1) subscribes: nothing free.
  // t=40.5  s5 (1, 512), total (11, 8192): role1 = max(6/11, 5120/8192) = .63 > role2 =
  //         max(4/11, 2560/8192) = .36: fw2, although fw4 holds nothing and wants s5 (HAT:437-441).
  // Every agent is filled exactly by the task it is offered for, so no tick offers anything.
  test('each new agent goes whole to the lowest-share role, then its lowest-share framework: fw1, fw2, fw2, fw3, fw2', () => {
    const r = run('unreserved-drf.yaml');
    expect(r.offers).toEqual(UNRESERVED_DRF_OFFERS);
    expect(r.wholeAgents).toBe(true);
    // Each registration's run considers that agent alone (addSlave, hierarchical.cpp:1064), with
    // 1, 2, 3 and 4 agents registered before it; each subscription's run considers every agent
    // (1, 3 and 4 of them) and finds nothing free.
    expect([10.5, 20.5, 30.5, 40.5].map((t) => runsAt(r, t))).toEqual([[[1, 1]], [[1, 1]], [[1, 1]], [[1, 1]]]);
    expect([5.5, 25.5, 35.5].map((t) => runsAt(r, t))).toEqual([[[1, 0]], [[3, 0]], [[4, 0]]]);
  });
});

describe('DRFWithFairnessExclusion (HAT:544-698)', () => {
  // UnreservedDRF with one gpu on s1, taken by fw1's first task, and gpus excluded from fair
  // sharing (--fair_sharing_excluded_resource_names=gpus). fw1 has the GPU_RESOURCES capability
  // (HAT:569-570): the master's GPU filter, on by default, would keep s1 from it otherwise.
  const gpu = ['cluster.agents.0.gpus=1', 'frameworks.0.workload.jobs.0.tasks.0.gpus=1', 'frameworks.0.capabilities=[GPU_RESOURCES]'];

  test("with gpus excluded, the recipients are UnreservedDRF's: fw1, fw2, fw2, fw3, fw2", () => {
    // role1's shares leave its gpu out, so they are UnreservedDRF's (HAT:580-682), and so are the
    // recipients (HAT:574-578, 602-606, 629-633, 661-665, 694-698).
    const r = run('unreserved-drf.yaml', [...gpu, 'allocator={ name: drf, excludedResources: [gpus] }']);
    expect(r.offers).toEqual(UNRESERVED_DRF_OFFERS);
    expect(r.wholeAgents).toBe(true);
  });

  // The reported shares leave fairness-excluded resources out, as Mesos's dominant-share metric
  // does (it is the sorter's calculateShare, which skips them:
  // src/master/allocator/mesos/sorter/drf/sorter.cpp:567-594, metrics.cpp:57-77). fw1's task
  // holds the cluster's only gpu; with gpus excluded it is ranked, and reported, by cpus and mem.
  // At the end (total (11, 8192), gpus excluded): fw1 (2, 1024) = max(2/11, 1024/8192) = .181818;
  // fw2 (5, 3072) = max(5/11, 3072/8192) = .454545; fw3 (4, 4096) = max(4/11, 4096/8192) = .5;
  // fw4 0. (Counting gpus, fw1 would read 1.)
  test("the reported shares leave the excluded gpus out, as Mesos's share metric does", () => {
    const { metrics } = run('unreserved-drf.yaml', [...gpu, 'allocator={ name: drf, excludedResources: [gpus] }']).outcome;
    const last = metrics.samples.at(-1)!;
    expect(Array.from(last.shares, (x) => x.toFixed(6))).toEqual(['0.181818', '0.454545', '0.500000', '0.000000']);
  });

  test('with gpus counted, role1 holds the only gpu (share 1) and s4 goes to role2', () => {
    // t=30.5: role1 = max(2/10, 1024/7680, 1/1) = 1 > role2 = max(4/10, 2560/7680) = .4: fw2.
    const r = run('unreserved-drf.yaml', gpu);
    expect(r.offers.find(([, , agent]) => agent === 's4-0')).toEqual([30.5, 'fw2', 's4-0']);
  });
});

describe('NestedRoleDRF (HAT:704-815)', () => {
  // t=0     s1 (2, 1024), fw1 (a/b): the only framework (HAT:729-733).
  // t=5.5   fw2 (a/c) and fw3 (d/e) subscribe: nothing free.
  // t=10.5  s2 (1, 512), total (3, 1536): subtree a = max(2/3, 1024/1536) = .67 > d = 0: d/e,
  //         fw3 (HAT:763-767), although a/c (fw2) also holds nothing and 'a/c' < 'd/e' would win
  //         were the roles flat.
  // t=15.5  fw4 (d/f) subscribes: nothing free.
  // t=20.5  s3 (2, 1024), total (5, 2560): a = 2/5 = .4 > d = 1/5 = .2; in d, d/f (0) < d/e (.2):
  //         fw4 (HAT:798-802).
  test('a new agent goes to the subtree with the lower aggregate share: fw1, fw3, fw4', () => {
    const r = run('nested-role-drf.yaml');
    expect(r.offers).toEqual([
      [0, 'fw1', 's1-0'],
      [10.5, 'fw3', 's2-0'],
      [20.5, 'fw4', 's3-0'],
    ]);
    expect(r.wholeAgents).toBe(true);
  });

  test('final shares: a = 0.4 and d = 0.6 (HAT:805-814), read from the last time-series sample', () => {
    // Of the total (5, 2560): fw1 (2, 1024) = .4; fw2 nothing; fw3 (1, 512) = .2; fw4 (2, 1024) =
    // .4. Every agent has 512 MB per cpu, so a role's share is the sum of its frameworks':
    // a = .4 + 0, d = .2 + .4.
    const { metrics } = run('nested-role-drf.yaml').outcome;
    const last = metrics.samples.at(-1)!;
    const share = (name: string) => last.shares[metrics.frameworks.find((f) => f.name === name)!.id]!;
    expect(['fw1', 'fw2', 'fw3', 'fw4'].map(share).map((x) => x.toFixed(6))).toEqual(['0.400000', '0.000000', '0.200000', '0.400000']);
    expect((share('fw1') + share('fw2')).toFixed(6)).toBe('0.400000');
    expect((share('fw3') + share('fw4')).toFixed(6)).toBe('0.600000');
  });
});

describe('OfferFilter (HAT:820-904)', () => {
  // fw fills big at t=0 and keeps a task as large pending. a registers at t=10, a tick: offered
  // to fw, declined with refuse 2 s = 2 x interval; the filter lasts max(2, 1) = 2 s
  // (hierarchical.cpp:1740), until 12, its expiry ordered before the tick at 12 (armed at 11).
  // Tick 11: filtered, no offer (HAT:879-882). Tick 12: expired, a offered again (HAT:884-894);
  // declined again: 14.
  test('refuse 2 x interval: no offer at the next tick, an offer at 2 x interval', () => {
    const r = run('offer-filter.yaml');
    expect(r.offers.filter(([, , agent]) => agent === 'a-0').map(([t]) => t)).toEqual([10, 12, 14]);
    expect(declines(r)).toEqual([
      [10, 0, 2],
      [12, 0, 2],
      [14, 0, 2],
    ]);
    // the ticks in between ran over both agents and offered nothing
    expect([11, 13].map((t) => runsAt(r, t))).toEqual([[[2, 0]], [[2, 0]]]);
  });

  test('a filter that ends between ticks is seen expired by the next tick', () => {
    // a at 10.5 (a triggered run, that agent only): declined, filtered until 12.5. Ticks 11 and 12
    // see it; tick 13 offers a again (filtered until 15, the end of the run).
    const r = run('offer-filter.yaml', ['cluster.agents.1.addAt=10.5']);
    expect(r.offers.filter(([, , agent]) => agent === 'a-0').map(([t]) => t)).toEqual([10.5, 13]);
    expect([11, 12].map((t) => runsAt(r, t))).toEqual([[[2, 0]], [[2, 0]]]);
  });
});

describe('SmallOfferFilterTimeout (HAT:909-1057)', () => {
  // Interval 60 s. t=0: agent1 (2, 1024); fw1 and fw2 at share 0, count 0: 'fw1' first, fills it.
  // t=60, a tick: agent2 (1, 512) registers; total (3, 1536): fw1 = 2/3 > fw2 = 0: fw2 (HAT:967-972),
  //   which declines with refuse 1 s: the filter lasts max(1, 60) = 60 s, to 120 (MESOS-4302,
  //   hierarchical.cpp:1729-1740), ordered after the tick at 120, armed at 60 before the decline.
  // t=120: fw2 still filtered: fw1 (.67) gets agent2 (HAT:1013-1018) and declines with no filter.
  // t=180: fw2 (0) gets it again (HAT:1045-1050); 240: fw1, as at 120.
  test('a 1 s filter outlives the 60 s interval: the next tick offers agent2 to fw1, the one after to fw2', () => {
    const r = run('small-offer-filter-timeout.yaml');
    expect(r.offers.filter(([, , agent]) => agent === 'agent2-0').map(([t, fw]) => [t, fw])).toEqual([
      [60, 'fw2'],
      [120, 'fw1'],
      [180, 'fw2'],
      [240, 'fw1'],
    ]);
    expect(declines(r)).toEqual([
      [60, 1, 1],
      [120, 0, 0],
      [180, 1, 1],
      [240, 0, 0],
    ]);
  });
});

describe('UpdateWeight (HAT:5919-6132)', () => {
  // Six agents of (2, 1024), each 1/6 of the cluster; a role's weighted share is n/6/w. The split
  // does not depend on the agent shuffle: a role takes its (k+1)-th agent only when its share k/6w
  // is the lowest. At 1:2, role1's 3rd agent needs 2/6 <= n2/12, so n2 >= 4 and 2 + 1 + 4 > 6;
  // role2's 5th needs 4/12 <= n1/6, so n1 >= 2 and 2 + 4 + 1 > 6: exactly 2 and 4. At 1:2:3 the
  // same argument caps role1 at 1, role2 at 2, role3 at 3, which sum to 6; at 1:1, 3 and 3.
  test.each([1, 2, 3])('seed %i: 2/4 at weights 1:2 at t=0, then 1/2/3 at 1:2:3 when fw3 subscribes', (seed) => {
    const r = run('update-weight.yaml', [], seed);
    expect(offersPerFramework(r, 0)).toEqual({ fw1: 2, fw2: 4 }); // HAT:6069-6072
    // The tasks end at 10.2; recovering resources triggers no run (MESOS-3078) and the tick at 10
    // came before, so the agents wait for the run fw3's subscription triggers at 10.5 over every
    // agent (hierarchical.cpp:792), which offers all six (HAT:6121-6126).
    expect(runsAt(r, 10.2)).toEqual([]);
    expect(runsAt(r, 10.5)).toEqual([[6, 6]]);
    expect(offersPerFramework(r, 10.5)).toEqual({ fw1: 1, fw2: 2, fw3: 3 });
    expect(r.wholeAgents).toBe(true);
  });

  test('3/3 at weights 1:1', () => {
    const r = run('update-weight.yaml', ['roles={}']);
    expect(offersPerFramework(r, 0)).toEqual({ fw1: 3, fw2: 3 }); // HAT:6029-6032
  });
});

describe('QuotaProvidesGuarantee (HAT:3606-3730)', () => {
  // Guarantee (and limit) of quota-role (3, 1536) = agent1 (2, 1024) + agent2 (1, 512).
  // t=0: stage 1 serves quota-role's unmet guarantee first, although 'no-quota-role' sorts first
  //   at share 0: fw1 gets agent1 whole (HAT:3645-3649) and fills it.
  // t=10, a tick: agent2; unmet (1, 512): stage 1, fw1 (HAT:3669-3674), which declines with 2 s.
  // t=11: required headroom = (3, 1536) - (2, 1024) = (1, 512); available = total (3, 1536) -
  //   allocated (2, 1024) = (1, 512). Stage 1: fw1 filtered. Stage 2: fw2 (share 0) wants agent2,
  //   but its offer is shrunk to available - required = 0: no offer (HAT:3707-3712).
  // t=12: the filter has expired: stage 1 offers agent2 to fw1 again (HAT:3716-3723); same at 14.
  test('a declined agent is held back for the quota role and offered to it again when its filter expires', () => {
    const r = run('quota-provides-guarantee.yaml');
    expect(r.offers).toEqual([
      [0, 'fw1', 'agent1-0'],
      [10, 'fw1', 'agent2-0'],
      [12, 'fw1', 'agent2-0'],
      [14, 'fw1', 'agent2-0'],
    ]);
    expect([11, 13].map((t) => runsAt(r, t))).toEqual([[[2, 0]], [[2, 0]]]);
    expect(r.outcome.metrics.frameworks.find((f) => f.name === 'fw2')!.offersSent).toBe(0);
  });

  test('with a guarantee agent1 alone meets, nothing is held back: agent2 goes to fw2', () => {
    // Guarantee (2, 1024): met at t=0. t=10: stage 1 has no unmet guarantee; stage 2:
    // no-quota-role (0) < quota-role (2/3): fw2, at once.
    const r = run('quota-provides-guarantee.yaml', ['allocator.params.quota.quota-role.guarantee={ cpus: 2, mem: 1024 }']);
    expect(r.offers).toEqual([
      [0, 'fw1', 'agent1-0'],
      [10, 'fw2', 'agent2-0'],
    ]);
  });
});
