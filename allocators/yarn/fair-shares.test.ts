/**
 * The fair-share computation alone, against Hadoop's TestComputeFairShares
 * (hadoop-yarn-server-resourcemanager/src/test/java/.../scheduler/fair/TestComputeFairShares.java):
 * each case is that test's method, with its schedulables (FakeSchedulable(minShare, maxShare,
 * weight)) and its expected shares.
 */
import { describe, expect, test } from '@jest/globals';
import { computeFairShares, type ShareClient } from './fair-shares.js';

function client(minShare = 0, maxShare = Infinity, weight = 1, active = true): ShareClient {
  return { weight, minShare, maxShare, active };
}

function shares(clients: readonly ShareClient[], total: number, steady = false): number[] {
  const out = clients.map(() => -1);
  computeFairShares(clients, total, steady, out);
  return out;
}

describe('computeFairShares (Hadoop TestComputeFairShares)', () => {
  test('testEqualSharing: 40 over four equal clients is 10 each', () => {
    expect(shares([client(), client(), client(), client()], 40)).toEqual([10, 10, 10, 10]);
  });

  test('testLowMaxShares: max shares 100, 50, 11, 3 of 40 give 13, 13, 11, 3', () => {
    expect(shares([client(0, 100), client(0, 50), client(0, 11), client(0, 3)], 40)).toEqual([13, 13, 11, 3]);
  });

  test('testMinShares: min shares 20, 18, 0, 2 of 40 give 20, 18, 0, 2', () => {
    expect(shares([client(20), client(18), client(0), client(2)], 40)).toEqual([20, 18, 0, 2]);
  });

  test('testWeightedSharing: weights 2, 1, 1, 0.5 of 45 give 20, 10, 10, 5', () => {
    expect(shares([client(0, Infinity, 2), client(0, Infinity, 1), client(0, Infinity, 1), client(0, Infinity, 0.5)], 45)).toEqual([20, 10, 10, 5]);
  });

  test('testWeightedSharingWithMaxShares: max 10, 11, 30, 20 and weights 2, 1, 1, 0.5 of 45 give 10, 11, 16, 8', () => {
    expect(shares([client(0, 10, 2), client(0, 11, 1), client(0, 30, 1), client(0, 20, 0.5)], 45)).toEqual([10, 11, 16, 8]);
  });

  test('testWeightedSharingWithMinShares: min 20, 0, 5, 15 and weights 2, 1, 1, 0.5 of 45 give 20, 5, 5, 15', () => {
    expect(shares([client(20, Infinity, 2), client(0, Infinity, 1), client(5, Infinity, 1), client(15, Infinity, 0.5)], 45)).toEqual([20, 5, 5, 15]);
  });

  test('testLargeShares: 40 million over four is 10 million each', () => {
    const m = 1000 * 1000;
    expect(shares([client(), client(), client(), client()], 40 * m)).toEqual([10 * m, 10 * m, 10 * m, 10 * m]);
  });

  test('testEmptyList: nothing to share, nothing written', () => {
    expect(shares([], 40)).toEqual([]);
  });

  test('the share is truncated at the upper end of the search: 10240 over three is 3414 each, not 3413', () => {
    // TestFairScheduler.testSimpleFairShareCalculation's 3414: 3 x 3413 = 10239 < 10240 and
    // 3 x 3414 = 10242 > 10240, so the search never hits the total and ends at the upper bound.
    expect(shares([client(), client(), client()], 10240)).toEqual([3414, 3414, 3414]);
  });

  test('inactive clients get 0 and drop out of the instantaneous share, not of the steady share', () => {
    // Hadoop getFairShareIfFixed: an inactive queue is fixed at 0 for the instantaneous share only.
    const cs = [client(), client(0, Infinity, 1, false), client(0, Infinity, 2)];
    // Active: weights 1 and 2 over 90 give 30 and 60 (hit exactly at R = 30). Steady: weights 1, 1, 2
    // over 90: for R in [22.5, 23) the truncated sum is 22 + 22 + 45 = 89 and at 23 it is 92, never
    // 90, so the search ends at the upper end, R = 23: 23, 23, 46.
    expect(shares(cs, 90)).toEqual([30, 0, 60]);
    expect(shares(cs, 90, true)).toEqual([23, 23, 46]);
  });

  test('a weight of 0 gets its min share and a max share of 0 gets nothing, both taken off the total first', () => {
    // Hadoop getFairShareIfFixed: weight 0 -> min share 6; max 0 -> 0; the two others split 30 - 6.
    expect(shares([client(6, Infinity, 0), client(5, 0), client(), client()], 30)).toEqual([6, 0, 12, 12]);
  });
});
