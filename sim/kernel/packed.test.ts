/**
 * The shared leaves of the kernel: typed arrays that grow, and the exhaustive switch's default.
 */
import { describe, expect, test } from '@jest/globals';
import { assertNever } from './assert.js';
import { grown, resized } from './packed.js';

describe('resized', () => {
  test('keeps the entries that fit, of the same kind, the rest filled', () => {
    const a = Int32Array.of(5, 6, 7);
    const longer = resized(a, 5, -1);
    expect(longer).toBeInstanceOf(Int32Array);
    expect(Array.from(longer)).toEqual([5, 6, 7, -1, -1]);
    expect(Array.from(resized(a, 5))).toEqual([5, 6, 7, 0, 0]);
    expect(Array.from(resized(a, 2))).toEqual([5, 6]);
    expect(resized(Float64Array.of(0.5), 2)).toBeInstanceOf(Float64Array);
    expect(resized(Uint8Array.of(255), 1)[0]).toBe(255);
    // a copy, never the same array
    const copy = resized(a, 3);
    copy[0] = 99;
    expect(a[0]).toBe(5);
  });
});

describe('grown', () => {
  test('is the array itself while it holds n entries', () => {
    const a = new Float64Array(8);
    expect(grown(a, 8)).toBe(a);
    expect(grown(a, 0)).toBe(a);
  });

  test('else at least n, twice the length and 16, whichever is most, new entries filled', () => {
    // 3 entries asked of 8: 16 (the floor); 17 of 8: 17 (n); 40 of 32: 64 (doubling)
    expect(grown(new Int32Array(0), 3).length).toBe(16);
    expect(grown(new Int32Array(8), 17).length).toBe(17);
    expect(grown(new Int32Array(32), 40).length).toBe(64);
    const g = grown(Float64Array.of(1, 2), 3, -1);
    expect(Array.from(g.subarray(0, 3))).toEqual([1, 2, -1]);
    expect(g.every((x, i) => i < 2 || x === -1)).toBe(true);
  });
});

describe('assertNever', () => {
  test('throws, naming the kind of value and showing it', () => {
    expect(() => assertNever('x' as never)).toThrow('unexpected value: "x"');
    expect(() => assertNever({ kind: 'y' } as never, 'record')).toThrow('unexpected record: {"kind":"y"}');
    expect(() => assertNever(undefined as never)).toThrow('unexpected value: undefined');
  });
});
