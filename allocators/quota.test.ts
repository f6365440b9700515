/**
 * Quota in the hierarchical allocator: the `params.quota` checks, Mesos quota scenarios ported
 * from `hierarchical_allocator_tests.cpp` with the numbers worked out by hand in comments, and
 * properties over random clusters (limits are hard caps, headroom is held back, offers never
 * exceed what is free, quota that cannot bind changes nothing).
 */
import fc from 'fast-check';
import { RandomStream } from '../sim/kernel/rng.js';
import { NUM_RESOURCES, addInto, contains, format, isEmpty, resources, subInto, type ResourceVector } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { parseQuota, topLevelRole, validateQuota } from './quota.js';
import { getAllocator } from './registry.js';
import type { SorterKind } from './sorter/registry.js';
import { checkOffers, playSteps } from './test-support/contract-checks.js';
import { MiniMaster, type RecordedOffer } from './test-support/fake-context.js';
import type { OfferGranularity } from '../sim/model/allocation-port.js';
import { checkParams } from './types.js';

const agent = (cpus: number, mem: number) => resources({ cpus, mem, disk: 0 });
const rng = (name: string) => new RandomStream(1, name);
const arr = (v: Float64Array) => Array.from(v);

function allocator(quota: unknown, kind: SorterKind = 'drf', granularity: OfferGranularity = 'agent'): HierarchicalAllocator {
  return new HierarchicalAllocator({
    name: kind,
    roleSorter: kind,
    frameworkSorter: kind,
    granularity,
    params: quota === undefined ? {} : { quota },
  });
}

/** The framework keeps `keep` of a held offer and gives the rest back (an accept of part of it). */
function keepPart(m: MiniMaster, o: RecordedOffer, keep: ResourceVector): RecordedOffer {
  const back = o.res.slice();
  subInto(back, 0, keep);
  const i = m.held.indexOf(o);
  if (i < 0) throw new Error('keepPart: offer not held');
  m.held.splice(i, 1);
  addInto(m.ctx.free, o.agent * NUM_RESOURCES, back);
  m.allocator.recover(o.fw, o.agent, back);
  const kept = { fw: o.fw, agent: o.agent, res: keep.slice() };
  m.held.push(kept);
  return kept;
}

/** Sum of the free resources of every agent. */
function totalFree(m: MiniMaster): ResourceVector {
  const out = new Float64Array(NUM_RESOURCES);
  for (let a = 0; a * NUM_RESOURCES < m.ctx.free.length; a++) addInto(out, 0, m.ctx.free, a * NUM_RESOURCES);
  return out;
}

describe('params.quota checks', () => {
  test('a valid quota has no problem; "*" is a top-level role', () => {
    expect(
      validateQuota({
        '*': { limit: { cpus: 4 } },
        analytics: { guarantee: { cpus: 2, mem: 1024 }, limit: { cpus: 8, mem: 4096, disk: 0, gpus: 1 } },
        empty: {},
      }),
    ).toEqual([]);
  });

  test('every problem is reported at once, with its path, in key order', () => {
    expect(
      validateQuota({
        'eng/dev': { limit: { cpus: 1 } },
        a: { guarantee: { cpus: 4, mem: -1, gpu: 1 }, limit: { cpus: 2, mem: Number.NaN }, burst: true },
        b: { guarantee: { cpus: '2' }, limit: [] },
        c: 3,
        '': {},
      }),
    ).toEqual([
      { path: ['quota', ''], message: 'role name must not be empty' },
      { path: ['quota', 'a', 'burst'], message: 'unknown field "burst" (expected guarantee or limit)' },
      { path: ['quota', 'a', 'guarantee', 'gpu'], message: 'unknown resource "gpu" (expected one of cpus, mem, disk, gpus)' },
      { path: ['quota', 'a', 'guarantee', 'mem'], message: 'must be a finite number >= 0, got -1' },
      { path: ['quota', 'a', 'limit', 'mem'], message: 'must be a finite number >= 0, got null' },
      { path: ['quota', 'a', 'guarantee', 'cpus'], message: 'guarantee 4 exceeds limit 2' },
      { path: ['quota', 'b', 'guarantee', 'cpus'], message: 'must be a finite number >= 0, got "2"' },
      { path: ['quota', 'b', 'limit'], message: 'must be an object of amounts (cpus, mem, disk, gpus)' },
      { path: ['quota', 'c'], message: 'must be an object with guarantee and/or limit' },
      {
        path: ['quota', 'eng/dev'],
        message: "quota is not supported on nested roles ('eng/dev'); set it on the top-level role 'eng'",
      },
    ]);
    expect(validateQuota({ '..': {}, 'a b': {} })).toEqual([
      { path: ['quota', '..'], message: "'..' is not a valid role name (no '.', '..' or whitespace)" },
      { path: ['quota', 'a b'], message: "'a b' is not a valid role name (no '.', '..' or whitespace)" },
    ]);
    expect(validateQuota([])).toEqual([{ path: ['quota'], message: 'quota must be a map from top-level role to { guarantee, limit }' }]);
  });

  test('guarantee <= limit is compared in fixed point (Mesos rounds to 3 decimals)', () => {
    // 1.0004 and 1.0001 both round to 1.000 cores: equal, so no problem.
    expect(validateQuota({ r: { guarantee: { cpus: 1.0004 }, limit: { cpus: 1.0001 } } })).toEqual([]);
    expect(validateQuota({ r: { guarantee: { cpus: 1.002 }, limit: { cpus: 1.001 } } })).toHaveLength(1);
  });

  test.each(['drf', 'random'])('%s: the registry entry documents and checks quota, and rejects unknown params', (name) => {
    const entry = getAllocator(name)!;
    expect(entry.params?.map((p) => p.name)).toEqual(['quota']);
    expect(checkParams(entry, { quota: { a: { limit: { cpus: 1 } } } })).toEqual([]);
    expect(checkParams(entry, { quota: { 'a/b': {} }, weights: {} })).toEqual([
      { path: ['weights'], message: `unknown parameter "weights" of allocator ${name}; known: quota` },
      { path: ['quota', 'a/b'], message: "quota is not supported on nested roles ('a/b'); set it on the top-level role 'a'" },
    ]);
    // the entry builds an allocator from valid params
    expect(entry.create({ params: { quota: { a: { guarantee: { cpus: 1 } } } } }).name).toBe(name);
  });

  test('parse: scenario units to fixed point; absent limits are infinite; invalid input throws', () => {
    const q = parseQuota({ a: { guarantee: { cpus: 0.5, mem: 200 }, limit: { cpus: 2, gpus: 0 } }, b: {} });
    const a = q.get('a')!;
    expect(arr(a.guarantee)).toEqual([500, 200_000, 0, 0]);
    expect(arr(a.limit)).toEqual([2000, Infinity, Infinity, 0]);
    expect([a.hasGuarantee, a.hasLimit]).toEqual([true, true]);
    const b = q.get('b')!;
    expect([b.hasGuarantee, b.hasLimit]).toEqual([false, false]);
    expect(parseQuota(undefined).size).toBe(0);
    expect(() => parseQuota({ 'a/b': {} })).toThrow(/quota\.a\/b: quota is not supported on nested roles/);
    expect(() => allocator({ a: { limit: { cpus: -1 } } })).toThrow(RangeError);
    expect(topLevelRole('eng/dev/x')).toBe('eng');
    expect(topLevelRole('*')).toBe('*');
  });
});

describe('Mesos quota scenarios (hierarchical_allocator_tests.cpp)', () => {
  test('QuotaProvidesGuarantee: a guarantee is served before fair share, and held back while its framework declines', () => {
    const q = { 'quota-role': { guarantee: { cpus: 2, mem: 1024 } } };
    const m = new MiniMaster(allocator(q), 2);
    const fw1 = m.addFramework('fw1', 'quota-role');
    const fw2 = m.addFramework('fw2', 'no-quota-role');
    const r = rng('qpg');

    // agent1 (1, 512). required headroom = guarantee − consumed = (2, 1024); available (1, 512).
    // Stage 1: both roles at share 0, count 0, and 'no-quota-role' < 'quota-role', but only
    // quota-role has a guarantee: fw1 gets min(free, unmet) = (1, 512), all of agent1. Without
    // quota fw2 would have got it (it sorts first).
    const a1 = m.addAgent(agent(1, 512));
    expect(m.run(r, [a1]).map((o) => [o.fw, arr(o.res)])).toEqual([[fw1, arr(agent(1, 512))]]);

    // agent2 (1, 512): consumed (1, 512), unmet (1, 512): fw1 again, the whole agent.
    const a2 = m.addAgent(agent(1, 512));
    const [o2] = m.run(r, [a2]);
    expect([o2!.fw, arr(o2!.res)]).toEqual([fw1, arr(agent(1, 512))]);

    // fw1 declines agent2 with a filter. required = (2,1024) − (1,512) = (1, 512); available
    // = (2,1024) − (1,512) = (1, 512). Stage 1: fw1 is filtered. Stage 2: no-quota-role (0) <
    // quota-role (.5): fw2's offer is shrunk to the surplus headroom (1,512) − (1,512) = 0, so
    // nothing: agent2 is held back for quota-role; fw1 is filtered too.
    m.recover(o2!);
    m.ctx.filter(fw1, a2);
    expect(m.run(r)).toEqual([]);
    expect(m.ctx.filterQueries).toBeGreaterThan(0);

    // The filter expires: agent2 goes back to fw1 in stage 1.
    m.ctx.unfilter(fw1, a2);
    expect(m.run(r).map((o) => [o.fw, o.agent])).toEqual([[fw1, a2]]);
    expect(fw2).toBe(1);
  });

  test('QuotaAbsentFramework: quota of a role with no framework holds headroom', () => {
    const q = { 'quota-role': { guarantee: { cpus: 2, mem: 1024 } } };
    const m = new MiniMaster(allocator(q), 2);
    const fw = m.addFramework('fw', 'no-quota-role');
    const r = rng('qaf');
    // agent1 (2, 1024): required (2, 1024) (the role has no framework, its guarantee still
    // counts), available (2, 1024): surplus 0. Stage 1 has no role to serve; stage 2 shrinks
    // fw's offer to 0: nothing.
    const a1 = m.addAgent(agent(2, 1024));
    expect(m.run(r, [a1])).toEqual([]);
    // agent2 (1, 512): available (3, 1536), surplus (1, 512): fw gets all of agent2.
    const a2 = m.addAgent(agent(1, 512));
    expect(m.run(r, [a2]).map((o) => [o.fw, o.agent, arr(o.res)])).toEqual([[fw, a2, arr(agent(1, 512))]]);
    // Later runs over both agents: surplus (0, 0), nothing more.
    expect(m.run(r)).toEqual([]);
  });

  test('QuotaAbsentFramework in one run: the surplus is chopped out of whichever agent comes first', () => {
    const q = { 'quota-role': { guarantee: { cpus: 2, mem: 1024 } } };
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const m = new MiniMaster(allocator(q), 2);
      m.addFramework('fw', 'no-quota-role');
      m.addAgent(agent(2, 1024));
      m.addAgent(agent(1, 512));
      // available (3, 1536) − required (2, 1024) = surplus (1, 512): exactly that is offered,
      // from the first agent of the shuffled order (all of agent 1, or half of agent 0), and the
      // guarantee's (2, 1024) stays free.
      const made = m.run(new RandomStream(seed, 'chop'));
      expect(made).toHaveLength(1);
      expect(arr(made[0]!.res)).toEqual(arr(agent(1, 512)));
      expect(arr(totalFree(m))).toEqual(arr(agent(2, 1024)));
    }
  });

  test('QuotaAllocationGranularity: a guarantee smaller than the agent bursts to the whole agent (no limit)', () => {
    // guarantee (0.5, 200), agent (1, 512). Stage 1: guarantee part (0.5, 200); the rest
    // (0.5, 312) has no limit and fits the surplus headroom (1, 512) − (0.5, 200): all offered.
    const m = new MiniMaster(allocator({ 'quota-role': { guarantee: { cpus: 0.5, mem: 200 } } }), 1);
    const fw1 = m.addFramework('fw1', 'quota-role');
    m.addFramework('fw2', 'no-quota-role');
    const a = m.addAgent(agent(1, 512));
    expect(m.run(rng('qag'), [a]).map((o) => [o.fw, arr(o.res)])).toEqual([[fw1, arr(agent(1, 512))]]);
  });

  test('DRFWithQuota (guarantee = limit, as the v1 quota API sets them): the limit chops, the rest is shared by DRF', () => {
    const q = { 'quota-role': { guarantee: { cpus: 0.25, mem: 128 }, limit: { cpus: 0.25, mem: 128 } } };
    const m = new MiniMaster(allocator(q), 2);
    const fw1 = m.addFramework('fw1', 'quota-role');
    const r = rng('drfq');
    // agent1 (1, 512), fw1 alone. Stage 1: guarantee part (0.25, 128); the rest (0.75, 384) is
    // shrunk to limit − consumed − guarantee part = 0: fw1 gets exactly (0.25, 128). Stage 2:
    // limit − consumed = 0 again: nothing. The agent is chopped.
    const a1 = m.addAgent(agent(1, 512));
    expect(m.run(r, [a1]).map((o) => [o.fw, arr(o.res)])).toEqual([[fw1, arr(agent(0.25, 128))]]);
    // fw2 (no quota) subscribes: guarantee met, required headroom 0. Stage 2: no-quota-role (0)
    // < quota-role (.25): fw2 gets the rest of agent1, (0.75, 384).
    const fw2 = m.addFramework('fw2', 'no-quota-role');
    expect(m.run(r).map((o) => [o.fw, arr(o.res)])).toEqual([[fw2, arr(agent(0.75, 384))]]);
    // agent2 (1, 512): total (2, 1024). quota-role = max(.25/2, 128/1024) = .125 < no-quota-role
    // = max(.75/2, 384/1024) = .375, but fw1 is at its limit (offer shrunk to 0): fw2 gets it.
    const a2 = m.addAgent(agent(1, 512));
    expect(m.run(r, [a2]).map((o) => [o.fw, arr(o.res)])).toEqual([[fw2, arr(agent(1, 512))]]);
  });

  test('DRFWithQuota with a guarantee and no limit: the quota role takes part in fair share (Mesos >= 1.9)', () => {
    const q = { 'quota-role': { guarantee: { cpus: 0.25, mem: 128 } } };
    const m = new MiniMaster(allocator(q), 2);
    const fw1 = m.addFramework('fw1', 'quota-role');
    const r = rng('drfq2');
    const a1 = m.addAgent(agent(1, 512));
    // fw1 alone bursts to the whole agent (see QuotaAllocationGranularity), then keeps only its
    // guarantee (accepts (0.25, 128), the rest comes back).
    const [o1] = m.run(r, [a1]);
    keepPart(m, o1!, agent(0.25, 128));
    const fw2 = m.addFramework('fw2', 'no-quota-role');
    expect(m.run(r).map((o) => [o.fw, arr(o.res)])).toEqual([[fw2, arr(agent(0.75, 384))]]);
    // agent2: quota-role (.125) < no-quota-role (.375) and no limit: fw1 gets it. (Before Mesos
    // 1.9 stage 2 skipped quota roles and the test expected fw2.)
    const a2 = m.addAgent(agent(1, 512));
    expect(m.run(r, [a2]).map((o) => [o.fw, arr(o.res)])).toEqual([[fw1, arr(agent(1, 512))]]);
  });

  test('QuotaAgainstStarvation: a guarantee gives the circulating agent to the starving role', () => {
    // fw1 (quota-role) holds all of agent1 (1, 512); agent2 (1, 512) joins. Mesos sets the
    // quota mid-test; quota is fixed at construction here, so the two histories are compared.
    const history = (quota: unknown) => {
      const m = new MiniMaster(allocator(quota), 2);
      m.addFramework('fw1', 'quota-role');
      const a1 = m.addAgent(agent(1, 512));
      // fw1 alone: it gets agent1 (stage 1 with quota, stage 2 without).
      expect(m.run(rng('qas'), [a1]).map((o) => o.fw)).toEqual([0]);
      m.addFramework('fw2', 'no-quota-role');
      const a2 = m.addAgent(agent(1, 512));
      const names: string[] = [];
      for (let i = 0; i < 3; i++) {
        const made = m.run(rng('qas'), [a2]);
        names.push(...made.map((o) => m.frameworks[o.fw]!.name));
        for (const o of made) m.recover(o); // declined with no filter
      }
      return names;
    };
    // Without quota: quota-role = max(1/2, 512/1024) = .5 > no-quota-role = 0, every run:
    // agent2 circulates through fw2, which keeps declining it.
    expect(history(undefined)).toEqual(['fw2', 'fw2', 'fw2']);
    // With a guarantee (2, 1024): consumed (1, 512), unmet (1, 512): stage 1 offers agent2 to
    // fw1 before fair share is looked at.
    expect(history({ 'quota-role': { guarantee: { cpus: 2, mem: 1024 } } })).toEqual(['fw1', 'fw1', 'fw1']);
  });

  test('MultiQuotaAbsentFrameworks: a quota role without frameworks does not starve another quota role', () => {
    // agent (2, 2048); quota1 (1, 1024) with no framework, quota2 (2, 2048) with fw.
    // required = (1,1024) + (2,2048) = (3, 3072) > available (2, 2048). Stage 1: quota-role-2's
    // guarantee part is min((2,2048), (2,2048)) = the whole agent: offered despite the deficit.
    const q = { 'quota-role-1': { guarantee: { cpus: 1, mem: 1024 } }, 'quota-role-2': { guarantee: { cpus: 2, mem: 2048 } } };
    const m = new MiniMaster(allocator(q), 1);
    const fw = m.addFramework('fw', 'quota-role-2');
    m.addAgent(agent(2, 2048));
    expect(m.run(rng('mqaf')).map((o) => [o.fw, arr(o.res)])).toEqual([[fw, arr(agent(2, 2048))]]);
  });

  test('MultiQuotaWithFrameworks: the role with an unmet guarantee gets the new agent', () => {
    // fw1 (quota1: cpus 1, mem 200) holds agent1 (1, 1024), fw2 (quota2: cpus 2, mem 2000)
    // holds agent2 (1, 1024). quota1 met; quota2 unmet by (1, 976). Stage 1 on agent3 (2, 2048):
    // quota-role-1 (share .5, count 1) vs quota-role-2 (.5, 1): role 1 first by name but its
    // guarantee is met; role 2: guarantee part (1, 976), the rest (1, 1072) fits the surplus
    // (2, 2048) − (1, 976) = (1, 1072): fw2 gets all of agent3.
    const q = { 'quota-role-1': { guarantee: { cpus: 1, mem: 200 } }, 'quota-role-2': { guarantee: { cpus: 2, mem: 2000 } } };
    const m = new MiniMaster(allocator(q), 3);
    const fw1 = m.addFramework('fw1', 'quota-role-1');
    const fw2 = m.addFramework('fw2', 'quota-role-2');
    const a1 = m.addAgent(agent(1, 1024));
    const a2 = m.addAgent(agent(1, 1024));
    m.ctx.filter(fw2, a1);
    m.ctx.filter(fw1, a2);
    const first = m.run(rng('mqwf'), [a1, a2]).map((o) => [o.fw, o.agent]);
    expect(first).toEqual(
      expect.arrayContaining([
        [fw1, a1],
        [fw2, a2],
      ]),
    );
    const a3 = m.addAgent(agent(2, 2048));
    expect(m.run(rng('mqwf'), [a3]).map((o) => [o.fw, arr(o.res)])).toEqual([[fw2, arr(agent(2, 2048))]]);
  });
});

describe('quota limits (Mesos >= 1.9)', () => {
  test('a limit chops an agent: the rest goes to the next role in the same run', () => {
    // One agent (8, 8192); role 'capped' limited to 3 cpus (mem unlimited), role 'other' free.
    // Both at share 0, count 0, 'capped' < 'other': capped gets (8, 8192) shrunk to cpus 3 =
    // (3, 8192); the rest (5, 0) is allocatable (cpus 5 >= 0.01): 'other' gets it.
    const m = new MiniMaster(allocator({ capped: { limit: { cpus: 3 } } }), 2);
    const c = m.addFramework('c', 'capped');
    const o = m.addFramework('o', 'other');
    m.addAgent(agent(8, 8192));
    expect(m.run(rng('lim')).map((x) => [x.fw, x.agent, arr(x.res)])).toEqual([
      [c, 0, arr(agent(3, 8192))],
      [o, 0, arr(agent(5, 0))],
    ]);
    // agent (4, 4096) joins: total (12, 12288). capped = max(3/12, 8192/12288) = .67 > other =
    // max(5/12, 0) = .42: other first, the whole agent.
    const a1 = m.addAgent(agent(4, 4096));
    expect(m.run(rng('lim'), [a1]).map((x) => [x.fw, arr(x.res)])).toEqual([[o, arr(agent(4, 4096))]]);
    // other declines it with a filter: capped may still take its memory (cpus limit reached):
    // (4, 4096) shrunk to cpus 3 − 3 = 0: (0, 4096), allocatable by mem >= 32.
    m.recover(m.held[m.held.length - 1]!);
    m.ctx.filter(o, a1);
    expect(m.run(rng('lim'), [a1]).map((x) => [x.fw, arr(x.res)])).toEqual([[c, arr(agent(0, 4096))]]);
  });

  test('a limit of 0 on a resource keeps it out of the role offers; a recovered offer frees the quota', () => {
    const m = new MiniMaster(allocator({ r: { limit: { cpus: 2, mem: 0 } } }), 1);
    const f = m.addFramework('f', 'r');
    m.addAgent(agent(4, 4096));
    // (4, 4096) shrunk to (2, 0): cpus only.
    const [o] = m.run(rng('l0'));
    expect(arr(o!.res)).toEqual(arr(agent(2, 0)));
    // consumed (2, 0) = limit: the rest (2, 4096) shrinks to (0, 0): nothing.
    expect(m.run(rng('l0'))).toEqual([]);
    m.recover(o!);
    expect(m.run(rng('l0')).map((x) => [x.fw, arr(x.res)])).toEqual([[f, arr(agent(2, 0))]]);
  });

  test('a limit on a top-level role caps frameworks in its nested roles too (the subtree consumes it)', () => {
    const m = new MiniMaster(allocator({ eng: { limit: { cpus: 3 } } }), 2);
    const dev = m.addFramework('dev', 'eng/dev');
    const ci = m.addFramework('ci', 'eng/ci');
    m.addAgent(agent(2, 2048));
    m.addAgent(agent(2, 2048));
    // Whatever the order, eng's subtree gets 3 cpus in all: one whole agent (2 cpus) and 1 cpu
    // chopped out of the other.
    const made = m.run(rng('nested'));
    const cpus = made.reduce((s, o) => s + o.res[0]!, 0);
    expect(cpus).toBe(3000);
    expect(made.every((o) => o.fw === dev || o.fw === ci)).toBe(true);
  });

  test('a guarantee with a limit: stage 1 bursts above the guarantee up to the limit', () => {
    // guarantee cpus 1, limit cpus 3; agent (8, 8192). Stage 1: guarantee part (1, 0); the rest
    // (7, 8192) is shrunk to limit − consumed − part = (2, ∞) and to the surplus headroom
    // (8, 8192) − (1, 0) = (7, 8192): (2, 8192). Offer (3, 8192). Stage 2: the 'free' role gets
    // what is left, (5, 0).
    const m = new MiniMaster(allocator({ q: { guarantee: { cpus: 1 }, limit: { cpus: 3 } } }), 1);
    const fq = m.addFramework('fq', 'q');
    const ff = m.addFramework('ff', 'free');
    m.addAgent(agent(8, 8192));
    expect(m.run(rng('burst')).map((x) => [x.fw, arr(x.res)])).toEqual([
      [fq, arr(agent(3, 8192))],
      [ff, arr(agent(5, 0))],
    ]);
  });

  test("headroom is held back for another role's unmet guarantee, and stage 1 serves it first", () => {
    // Roles a (guarantee cpus 4, mem 4096) and b (no quota); agents (4, 4096) x 2.
    // Stage 1 serves a first on the first agent of the shuffle: a gets it whole (guarantee part
    // (4, 4096), nothing beyond: surplus (8,8192) − (4,4096) = (4, 4096) but the agent is empty).
    // Required headroom then 0: stage 2 gives the other agent to b (share 0 < a's .5).
    const m = new MiniMaster(allocator({ a: { guarantee: { cpus: 4, mem: 4096 } } }), 2);
    const fa = m.addFramework('fa', 'a');
    const fb = m.addFramework('fb', 'b');
    m.addAgent(agent(4, 4096));
    m.addAgent(agent(4, 4096));
    const made = m.run(rng('hb'));
    expect(made.map((o) => o.fw).sort()).toEqual([fa, fb]);
    // Now a declines with a filter on its agent: that agent is held back (b's offer is shrunk to
    // surplus (4,4096) − (4,4096) = 0), and b's own agent stays with b.
    const oa = m.held.find((o) => o.fw === fa)!;
    m.recover(oa);
    m.ctx.filter(fa, oa.agent);
    expect(m.run(rng('hb'))).toEqual([]);
    expect(arr(m.ctx.free.subarray(oa.agent * NUM_RESOURCES, (oa.agent + 1) * NUM_RESOURCES))).toEqual(arr(agent(4, 4096)));
  });

  test('a role served in stage 1 gets nothing more of that agent in stage 2 (limit and surplus bind alike)', () => {
    // guarantee cpus 1 and a limit mem 1024 on role g; agent (4, 4096); g's framework alone.
    // Stage 1: guarantee part (1, 0); the rest (3, 4096) is shrunk to limit − consumed − part =
    // (∞, 1024) and to the surplus (4,4096) − (1,0) = (3, 4096): offer (4, 1024). Stage 2: the
    // rest (0, 3072) is shrunk to limit − consumed = (∞, 0): nothing. One offer, chopped.
    // (Stage 1 and 2 offers to one framework on one agent would be merged into one offer, as
    // Mesos merges offerable[framework][role][agent]; with unreserved resources only, stage 2
    // never has more for the same role, so the merge is a seam for reservations.)
    const m = new MiniMaster(allocator({ g: { guarantee: { cpus: 1 }, limit: { mem: 1024 } } }), 1);
    m.addFramework('f', 'g');
    m.addAgent(agent(4, 4096));
    const made = m.run(rng('merge'));
    expect(made.map((o) => arr(o.res))).toEqual([arr(agent(4, 1024))]);
  });
});

// ------------------------------------------------------------------ properties

const ROLES = ['*', 'a', 'b', 'a/x', 'b/y/z'] as const;
const amountsArb = fc.record(
  { cpus: fc.integer({ min: 0, max: 40 }).map((x) => x / 4), mem: fc.integer({ min: 0, max: 16 }).map((x) => x * 512) },
  { requiredKeys: [] },
);
const quotaArb = fc.dictionary(fc.constantFrom('*', 'a', 'b', 'c'), fc.record({ guarantee: amountsArb, limit: amountsArb }, { requiredKeys: [] })).map((q) => {
  // make guarantee <= limit where both are set
  for (const e of Object.values(q) as { guarantee?: Record<string, number>; limit?: Record<string, number> }[]) {
    if (e.guarantee === undefined || e.limit === undefined) continue;
    for (const k of Object.keys(e.guarantee)) {
      const l = e.limit[k];
      if (l !== undefined && e.guarantee[k]! > l) e.guarantee[k] = l;
    }
  }
  return q;
});
const clusterArb = fc.record({
  agents: fc.array(fc.record({ cpus: fc.nat(16), mem: fc.nat(8192), gpus: fc.nat(1) }), { minLength: 1, maxLength: 8 }),
  frameworks: fc.array(fc.constantFrom(...ROLES), { maxLength: 6 }),
  weights: fc.array(
    fc.tuple(
      fc.constantFrom(...ROLES),
      fc.integer({ min: 1, max: 12 }).map((w) => w / 4),
    ),
  ),
  quota: quotaArb,
  kind: fc.constantFrom<SorterKind>('drf', 'random'),
  granularity: fc.constantFrom<OfferGranularity>('agent', 'task', 'fair-share'),
  demands: fc.array(fc.record({ cpus: fc.integer({ min: 0, max: 12 }).map((x) => x / 2), mem: fc.nat(4096) }), { maxLength: 6 }),
  seed: fc.integer(),
});
type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;
const stepArb = fc.oneof(
  fc.constant({ kind: 'run' as const }),
  fc.constant({ kind: 'run' as const }),
  fc.record({ kind: fc.constant('recover' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('toggle' as const), fw: fc.nat(5) }),
  fc.record({ kind: fc.constant('filter' as const), fw: fc.nat(5), agent: fc.nat(7) }),
  fc.record({ kind: fc.constant('unfilter' as const), fw: fc.nat(5), agent: fc.nat(7) }),
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

interface Observer {
  /** after each run: the master, the run's offers, the free resources before it */
  run(m: MiniMaster, made: readonly RecordedOffer[], freeBefore: Float64Array, c: Cluster, active: readonly boolean[]): void;
}

/** Builds the cluster and plays the steps; returns every run's offers as plain data. */
function play(c: Cluster, steps: readonly Step[], observer?: Observer, quota: unknown = c.quota): number[][][] {
  const a = allocator(quota, c.kind, c.granularity);
  for (const [role, w] of c.weights) a.setWeight(role, w);
  const m = new MiniMaster(a, c.agents.length);
  for (const ag of c.agents) m.addAgent(resources(ag));
  const active = c.frameworks.map(() => true);
  c.frameworks.forEach((role, i) => {
    m.addFramework(`fw${i}`, role);
    const d = c.demands[i];
    if (d !== undefined) m.ctx.demands.set(i, resources(d));
  });
  return playSteps(m, active, steps, new RandomStream(c.seed, 'prop'), (made, free) => observer?.run(m, made, free, c, active));
}

/** What the frameworks of each top-level role hold now (held offers), fixed point. */
function consumption(m: MiniMaster): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const o of m.held) {
    const top = topLevelRole(m.frameworks[o.fw]!.role);
    let v = out.get(top);
    if (v === undefined) out.set(top, (v = new Float64Array(NUM_RESOURCES)));
    addInto(v, 0, o.res);
  }
  return out;
}

describe('quota properties (drf and random sorters, every granularity)', () => {
  test('offers stay within free resources, go to active unfiltered frameworks, and are allocatable', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 20 }), (c, steps) => {
        play(c, steps, {
          run(m, made, free, _c, active) {
            checkOffers(m, made, active);
            // Chopping may split an agent between frameworks, so the contract's one offer per
            // agent becomes: offers are never merged across calls, and one (framework, agent)
            // pair gets one offer a run, all of an agent's offers within what it had free.
            const taken = new Float64Array(free.length);
            const pairs = new Set<string>();
            for (const o of made) {
              const key = `${o.fw}:${o.agent}`;
              expect(pairs.has(key)).toBe(false);
              pairs.add(key);
              addInto(taken, o.agent * NUM_RESOURCES, o.res);
            }
            for (let a = 0; a < c.agents.length; a++) expect(contains(free, a * NUM_RESOURCES, taken, a * NUM_RESOURCES)).toBe(true);
          },
        });
      }),
      { seed: 90210, numRuns: 300 },
    );
  });

  test('limits are hard caps: no top-level role ever consumes more than its limit', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 20 }), (c, steps) => {
        const limits = parseQuota(c.quota);
        play(c, steps, {
          run(m) {
            for (const [role, used] of consumption(m)) {
              const q = limits.get(role);
              if (q === undefined) continue;
              for (let r = 0; r < NUM_RESOURCES; r++) {
                if (used[r]! > q.limit[r]!) throw new Error(`role ${role} consumes ${format(used)} over its limit`);
              }
            }
          },
        });
      }),
      { seed: 31337, numRuns: 300 },
    );
  });

  test('headroom: a run never lets free resources fall further below the unmet guarantees', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 20 }), (c, steps) => {
        const quotas = parseQuota(c.quota);
        // required = Σ max(0, guarantee − consumed); deficit = max(0, required − total free)
        const deficit = (m: MiniMaster, free: Float64Array, held: Map<string, Float64Array>) => {
          const required = new Float64Array(NUM_RESOURCES);
          for (const [role, q] of quotas) {
            const used = held.get(role);
            for (let r = 0; r < NUM_RESOURCES; r++) required[r]! += Math.max(0, q.guarantee[r]! - (used?.[r] ?? 0));
          }
          const f = new Float64Array(NUM_RESOURCES);
          for (let a = 0; a < m.ctx.free.length / NUM_RESOURCES; a++) addInto(f, 0, free, a * NUM_RESOURCES);
          return Array.from(required, (x, r) => Math.max(0, x - f[r]!));
        };
        let before: number[] = [];
        play(c, steps, {
          run(m, made, free) {
            // consumption before the run = held minus this run's offers
            const heldBefore = consumption(m);
            for (const o of made) subInto(heldBefore.get(topLevelRole(m.frameworks[o.fw]!.role))!, 0, o.res);
            before = deficit(m, free, heldBefore);
            const after = deficit(m, m.ctx.free, consumption(m));
            for (let r = 0; r < NUM_RESOURCES; r++) expect(after[r]!).toBeLessThanOrEqual(before[r]!);
          },
        });
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  test('quota that can never bind changes nothing: same offers and draws as without quota', () => {
    // A huge limit on a role no framework uses sends every run through the quota path.
    const unused = { zzz: { limit: { cpus: 1e6, mem: 1e9 } } };
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 20 }), (c0, steps) => {
        const c = { ...c0, granularity: 'agent' as const };
        expect(play(c, steps, undefined, unused)).toEqual(play(c, steps, undefined, {}));
      }),
      { seed: 777, numRuns: 200 },
    );
  });

  test('runs are deterministic for a seeded stream', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(stepArb, { maxLength: 15 }), (c, steps) => {
        expect(play(c, steps)).toEqual(play(c, steps));
      }),
      { seed: 2024, numRuns: 100 },
    );
  });

  test('an empty quota entry (Mesos DEFAULT_QUOTA) is no quota', () => {
    const m = new MiniMaster(allocator({ a: {} }), 1);
    m.addFramework('f', 'a');
    m.addAgent(agent(2, 2048));
    expect(m.run(rng('dq')).map((o) => arr(o.res))).toEqual([arr(agent(2, 2048))]);
    expect(isEmpty(m.ctx.free)).toBe(true);
  });
});
