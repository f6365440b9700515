/** fmt, fmtInt, fmtSeconds: fixed decimals, no -0, no exponent, empty for undefined. */
import { describe, expect, test } from '@jest/globals';
import { fmt, fmtInt, fmtSeconds } from './format.js';

describe('fmt', () => {
  test('fixed decimals, default 6', () => {
    expect(fmt(1.5)).toBe('1.500000');
    expect(fmt(2 / 3)).toBe('0.666667');
    expect(fmt(0.1234565, 6)).toBe('0.123456'); // the double is 0.12345649999..., below the half
    expect(fmt(12, 2)).toBe('12.00');
  });
  test('never -0', () => {
    expect(fmt(-0)).toBe('0.000000');
    expect(fmt(-1e-9)).toBe('0.000000');
    expect(fmt(-0.4, 0)).toBe('0');
    expect(fmt(-0.6, 0)).toBe('-1');
    expect(fmt(-1e-7, 6)).toBe('0.000000');
  });
  test('never exponent notation', () => {
    expect(fmt(1e-7)).toBe('0.000000');
    expect(fmt(1e21, 2)).toBe('1000000000000000000000.00');
    expect(fmt(-1e22, 0)).toBe('-10000000000000000000000');
    expect(fmt(1e20, 1)).toBe('100000000000000000000.0');
  });
  test('undefined values are empty cells', () => {
    expect(fmt(NaN)).toBe('');
    expect(fmt(Infinity)).toBe('');
    expect(fmt(undefined)).toBe('');
    expect(fmt(null)).toBe('');
    expect(fmtInt(NaN)).toBe('');
  });
  test('fmtInt', () => {
    expect(fmtInt(3)).toBe('3');
    expect(fmtInt(-0)).toBe('0');
  });
});

describe('fmtSeconds', () => {
  test('integer microseconds are exact at any magnitude', () => {
    expect(fmtSeconds(0)).toBe('0.000000');
    expect(fmtSeconds(1)).toBe('0.000001');
    expect(fmtSeconds(1_500_000)).toBe('1.500000');
    expect(fmtSeconds(-1_500_000)).toBe('-1.500000');
    expect(fmtSeconds(2 ** 53 - 1)).toBe('9007199254.740991');
  });
  test('fractional microseconds (means) round to the microsecond', () => {
    expect(fmtSeconds(2_500_000.25)).toBe('2.500000');
    expect(fmtSeconds(2_500_000.75)).toBe('2.500001');
  });
  test('undefined is empty', () => {
    expect(fmtSeconds(NaN)).toBe('');
    expect(fmtSeconds(undefined)).toBe('');
  });
});
