/**
 * The FairScheduler's delay scheduling, against Hadoop's TestFSAppAttempt
 * (hadoop-yarn-server-resourcemanager/src/test/java/.../scheduler/fair/TestFSAppAttempt.java),
 * driving one application's state directly as those tests drive FSAppAttempt.
 */
import { describe, expect, test } from '@jest/globals';
import { FairLocality } from './fair-locality.js';

const SECOND = 1_000_000;

describe('FairLocality', () => {
  test('testDelayScheduling: N = 10, thresholds 0.5 / 0.6: rack-local at the 6th opportunity, off-switch 7 after', () => {
    const s = new FairLocality();
    const p = 1;
    const level = (): string => s.allowedLevel(p, 10, 0.5, 0.6);
    // `n` more opportunities, each followed by a look at the level.
    const steps = (n: number, expected: string): void => {
      for (let i = 0; i < n; i++) {
        s.addOpportunity(p);
        expect(level()).toBe(expected);
      }
    };
    // Default: node-local. Opportunities 1-5: 5 is not more than 10 x 0.5; the 6th: rack-local
    // (and the counter reset).
    expect(level()).toBe('node-local');
    steps(5, 'node-local');
    steps(1, 'rack-local');
    // Set back to node-local by hand, counter reset; again rack-local at the 6th.
    s.resetAllowed(p, 'node-local');
    s.resetOpportunities(p);
    expect(level()).toBe('node-local');
    steps(5, 'node-local');
    steps(1, 'rack-local');
    // Rack-local through 6 more (6 is not more than 10 x 0.6), off-switch at the 7th.
    steps(6, 'rack-local');
    steps(1, 'off-switch');
  });

  test('testDelaySchedulingForContinuousScheduling: delays 5 s / 6 s: node-local at +4 s, rack at +6 s; after a reset rack at +6 s, off-switch 7 s later', () => {
    const s = new FairLocality();
    const p = 1;
    let now = 0;
    const level = (): string => s.allowedLevelByTime(p, 5 * SECOND, 6 * SECOND, now);
    expect(level()).toBe('node-local');
    now += 4 * SECOND;
    expect(level()).toBe('node-local');
    now += 2 * SECOND;
    expect(level()).toBe('rack-local');
    s.resetAllowed(p, 'node-local');
    s.resetOpportunities(p, now);
    expect(level()).toBe('node-local');
    now += 6 * SECOND;
    expect(level()).toBe('rack-local');
    now += 7 * SECOND;
    expect(level()).toBe('off-switch');
  });

  test('testLocalityLevelWithoutDelays: a negative threshold allows off-switch at once', () => {
    const s = new FairLocality();
    expect(s.allowedLevel(1, 10, -1, -1)).toBe('off-switch');
  });

  test('a more local allocation raises the allowed level without resetting the counter', () => {
    // Hadoop FSAppAttempt.allocate calls resetAllowedLocalityLevel only (yarn-semantics.md 4.3).
    const s = new FairLocality();
    s.allowedLevel(1, 2, 0.5, 0.5);
    s.addOpportunity(1);
    s.addOpportunity(1);
    // 2 > 2 x 0.5: rack-local, counter 0.
    expect(s.allowedLevel(1, 2, 0.5, 0.5)).toBe('rack-local');
    s.addOpportunity(1);
    s.allocated(1, 'node-local');
    expect(s.opportunitiesOf(1)).toBe(1);
    // Node-local again; one more opportunity (2 > 1) relaxes it at once.
    s.addOpportunity(1);
    expect(s.allowedLevel(1, 2, 0.5, 0.5)).toBe('rack-local');
  });
});
