/**
 * Fast checks of the benchmark's own machinery (the cases themselves run in child processes of
 * dist/, never here): the hold variants agree, the allocation case's context and setup make the
 * offers worked out below by hand, the day scenario's overrides load, and the argument handling.
 */
import { describe, expect, test } from '@jest/globals';
import { loadScenario } from '../scenarios/loader.js';
import { NUM_RESOURCES, R } from '../sim/model/resources.js';
import { declineAll, setupAllocation, timeRound } from './allocation.js';
import { formatTable, parseArgs, selectCases, type CaseResult } from './bench.js';
import { CASES, dayOverrides, repoFile } from './cases.js';
import { holdBench, holdEventQueue, holdRawHeap, holdSimulator, holdTables } from './kernel.js';

describe('kernel hold model', () => {
  test('raw heap, EventQueue and Simulator pop the same times', () => {
    const t = holdTables();
    const sums = [holdRawHeap, holdEventQueue, holdSimulator].map((v) => v(20_000, 300, t).checksum);
    expect(new Set(sums).size).toBe(1);
    // and holdBench agrees with itself (it throws when they differ)
    expect(holdBench([holdRawHeap, holdEventQueue], 5_000, 100, 1).ns).toHaveLength(2);
  });
});

describe('allocation case at 100 agents x 10 frameworks', () => {
  // Setup: each framework holds the running tasks of 10 agents: 160 cpus, 20,140 MB, 10,240 MB
  // disk, out of 2,400 cpus, 409,600 MB, 409,600 MB: dominant share cpus, 160/2400, the same for
  // all. Each agent has cpus 8, mem 2,082, disk 3,072 free. A whole-agent offer moves its receiver's
  // cpus share up by 8/2400 (its disk share, 13,312/409,600 after one, stays below its cpus share),
  // so DRF hands the agents round: every framework gets 10 offers of 8 cpus in round 0, each agent
  // is offered once. Round 1, after every offer was declined for good and recovered: the shares are
  // back where they were, every agent is offered once again, never to the framework that declined it.
  test('round 0 offers every agent once, 10 per framework; round 1 avoids the declined pairs', () => {
    const s = setupAllocation({ agents: 100, frameworks: 10 });
    for (let a = 0; a < 100; a++) {
      expect(Array.from(s.ctx.free.subarray(a * NUM_RESOURCES, (a + 1) * NUM_RESOURCES))).toEqual([8000, 2_082_000, 3_072_000, 0]);
    }
    const r0 = timeRound(s, 0);
    expect(r0.offers).toBe(100);
    expect(r0.cpus).toBe(100 * 8000);
    expect(Array.from(s.ctx.fwOffers)).toEqual(Array(10).fill(10));
    const receiver0 = new Int32Array(100).fill(-1);
    for (let i = 0; i < r0.offers; i++) {
      const a = s.ctx.offerAgent[i]!;
      expect(receiver0[a]).toBe(-1);
      receiver0[a] = s.ctx.offerFw[i]!;
      expect(s.ctx.offerRes[i * NUM_RESOURCES + R.mem]).toBe(2_082_000);
    }
    declineAll(s);
    const r1 = timeRound(s, 1);
    expect(r1.offers).toBe(100);
    const seen = new Set<number>();
    for (let i = 0; i < r1.offers; i++) {
      const a = s.ctx.offerAgent[i]!;
      expect(seen.has(a)).toBe(false);
      seen.add(a);
      expect(s.ctx.offerFw[i]).not.toBe(receiver0[a]);
    }
    // the same build makes the same offers (the checksum is what optimisations are compared by)
    const again = setupAllocation({ agents: 100, frameworks: 10 });
    expect(timeRound(again, 0).checksum).toBe(r0.checksum);
  });

  test('the quota variant runs stage 1 and still offers every agent once', () => {
    const s = setupAllocation({ agents: 100, frameworks: 10, quota: true });
    const r0 = timeRound(s, 0);
    expect(r0.offers).toBe(100);
    declineAll(s);
    expect(timeRound(s, 1).offers).toBe(100);
  });
});

describe('bench/day.yaml', () => {
  test('loads, and the overrides scale agents, racks and rates', () => {
    const full = loadScenario(repoFile('bench/day.yaml')).scenario;
    expect(full.cluster.agents[0]!.count).toBe(10_000);
    expect(full.duration).toBe(86_400);
    const small = loadScenario(repoFile('bench/day.yaml'), dayOverrides(1_000, 600)).scenario;
    expect(small.cluster.agents[0]!.count).toBe(1_000);
    expect(small.cluster.agents[0]!.racks).toBe(25);
    expect(small.duration).toBe(600);
    for (const f of small.frameworks) {
      expect(f.workload?.kind).toBe('poisson');
      if (f.workload?.kind === 'poisson') {
        expect(f.workload.rate).toBeCloseTo(0.0028935, 9);
        expect(f.workload.until).toBe(600);
      }
    }
  });
});

describe('arguments and table', () => {
  test('--quick selects the quick cases; --case takes names and prefixes; --skip removes', () => {
    const quick = selectCases(parseArgs(['--quick']));
    expect(quick.map((c) => c.name)).toEqual(CASES.filter((c) => c.quick).map((c) => c.name));
    expect(selectCases(parseArgs(['--case', 'trace'])).map((c) => c.name)).toEqual(['trace-google-2011', 'trace-nasa-swf', 'trace-hpc2n-swf']);
    expect(selectCases(parseArgs(['--skip=day,import'])).some((c) => c.name === 'day' || c.name.startsWith('import-'))).toBe(false);
    expect(() => selectCases(parseArgs(['--case', 'nope']))).toThrow(/no bench case/);
    expect(() => parseArgs(['--out'])).toThrow(/needs a value/);
    expect(parseArgs(['--quick', '--out', 'x.json']).out).toBe('x.json');
  });

  test('one aligned line per row, skipped and failed cases included', () => {
    const row = {
      name: 'kernel: x',
      events: 1000,
      wall_s: 0.001,
      events_per_s: 1e6,
      ns_per_event: 1000,
      peak_rss_bytes: 2 ** 20,
      raw_heap_ns: 100,
      ratio: 10,
      note: 'n',
      extra: {},
    };
    const base = { process_wall_s: 1, measured_at: '', quick: true };
    // A whole run's row: 3 M offers in 1.5 s of wall time are 2.00M offers/s and 1.5e9 / 3e6 = 500 ns per offer.
    const run = { ...row, name: 'day', wall_s: 1.5, extra: { offers: 3e6, offers_per_s: 2e6, ns_per_offer: 500 } };
    const results: CaseResult[] = [
      { case: 'kernel', status: 'ok', rows: [row], ...base },
      { case: 'day', status: 'ok', rows: [run], ...base },
      { case: 'trace-x', status: 'skipped', note: 'absent', rows: [], ...base },
    ];
    const lines = formatTable(results).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/ns\/record +rec ratio +offers\/s +ns\/offer +peak RSS MB +note$/);
    expect(lines[1]).toMatch(/^kernel: x +1\.0k +0\.001 +- +1\.00M +1000\.0 +100\.0 +10\.00 +- +- +- +- +1 +n$/);
    expect(lines[2]).toMatch(/^day +1\.0k +1\.500 +- +1\.00M +1000\.0 +100\.0 +10\.00 +- +- +2\.00M +500 +1 +n$/);
    expect(lines[3]).toMatch(/skipped: absent$/);
  });
});
