import { closest, didYouMean, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['seed', 'seed', 0],
    // one swap of neighbours
    ['sede', 'seed', 1],
    // one deletion
    ['drff', 'drf', 1],
    // one substitution
    ['mam', 'mem', 1],
    // 3: a swap may not be edited again (the unrestricted distance, ca -> ac -> abc, is 2)
    ['ca', 'abc', 3],
    // two substitutions and an insertion
    ['kitten', 'sitting', 3],
    ['ca', 'ac', 1],
  ])('%s ~ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const flags = ['seed', 'out', 'force', 'set', 'events', 'report', 'quiet', 'json'];
  test('a near name, letter case ignored', () => {
    expect(closest('sede', flags)).toBe('seed');
    expect(closest('reprot', flags)).toBe('report');
    expect(closest('JSON', flags)).toBe('json');
    expect(closest('allocationIntervall', ['allocationInterval', 'offerTimeout'])).toBe('allocationInterval');
  });
  test('nothing when far, when short words differ much, or when two are as close', () => {
    expect(closest('colour', flags)).toBeUndefined();
    // "ab": 2 edits from "out", more than half of its 2 letters; "x": 1 edit from "y", more than half of 1
    expect(closest('ab', ['out'])).toBeUndefined();
    expect(closest('x', ['y'])).toBeUndefined();
    // "rn": 1 edit from "run", half of its letters
    expect(closest('rn', ['run', 'list'])).toBe('run');
    // "sat" is 1 edit from both "set" and "seat": a tie
    expect(closest('sat', ['set', 'seat'])).toBeUndefined();
    // a known name itself: nothing (not "set", 2 edits away)
    expect(closest('seed', flags)).toBeUndefined();
    expect(closest('x'.repeat(100), ['x'.repeat(99)])).toBeUndefined();
  });
  test('the message ending', () => {
    expect(didYouMean('drff', ['drf', 'random'])).toBe('; did you mean "drf"?');
    expect(didYouMean('qqqq', ['drf', 'random'])).toBe('');
  });
});
