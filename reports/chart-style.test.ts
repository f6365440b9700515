/**
 * The charts' shared look: the time unit a run's length calls for, the palette for many series,
 * and how a page shows a value by its unit.
 */
import { describe, expect, test } from '@jest/globals';
import { colourScale, dashScale, timeUnitFor } from './chart-style.js';
import { axisTitle, displayValue } from './metric-labels.js';

describe('timeUnitFor', () => {
  test('seconds up to 10 min, minutes up to 3 h, hours up to 3 days, days beyond', () => {
    expect([8, 600, 601, 10_800, 10_801, 259_200, 259_201, 2_592_000].map((s) => timeUnitFor(s).label)).toEqual([
      's',
      's',
      'min',
      'min',
      'h',
      'h',
      'days',
      'days',
    ]);
    expect(timeUnitFor(1374)).toEqual({ label: 'min', seconds: 60 });
  });
});

describe('palette', () => {
  const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `f${i}`);
  test('Tableau 10 up to ten series, Tableau 20 beyond, in the given order', () => {
    expect(colourScale(names(10))).toEqual({ domain: names(10), scheme: 'tableau10' });
    expect(colourScale(names(11))['scheme']).toBe('tableau20');
  });
  test('beyond 20 series each round of 20 colours gets its own dash, so no two of 80 look alike', () => {
    expect(dashScale(names(20))).toBeUndefined();
    const range = dashScale(names(45))!['range'] as number[][];
    // series 0-19 solid, 20-39 dashed, 40-44 dotted
    expect(range[0]).toEqual([1, 0]);
    expect(range[19]).toEqual([1, 0]);
    expect(range[20]).toEqual([6, 3]);
    expect(range[40]).toEqual([2, 2]);
    // series i and i + 20 share a colour (Tableau 20 repeats) but not a dash
    expect(range[1]).not.toEqual(range[21]);
  });
});

describe('displayValue', () => {
  test('a fraction as a percentage, seconds with s, a count as an integer, - when undefined', () => {
    expect(displayValue(0.498434, 'fraction')).toBe('49.84%');
    expect(displayValue(81.432444, 's')).toBe('81.43 s');
    expect(displayValue(997, 'jobs')).toBe('997');
    expect(displayValue(1.083296, 'ratio')).toBe('1.083');
    expect(displayValue(null, 'fraction')).toBe('-');
    expect(axisTitle('utilisation_cpus', 'fraction')).toBe('CPU utilisation (%)');
    expect(axisTitle('completion_mean_s', 's')).toBe('mean job completion time (s)');
  });
});
