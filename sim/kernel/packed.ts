/**
 * Packed (typed) arrays that change length: the one way the hot path's columns grow. A shared leaf:
 * imports nothing, and every folder may import it.
 */

/** A typed array of numbers, as the packed columns use. */
export type PackedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/**
 * A new array of `a`'s kind, `length` long, starting with `a`'s entries (as many as fit); the
 * entries past them are `fill` (default 0).
 */
export function resized<T extends PackedArray>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  const kept = Math.min(a.length, length);
  b.set(kept === a.length ? a : a.subarray(0, kept));
  if (fill !== 0 && kept < length) b.fill(fill, kept);
  return b;
}

/**
 * `a` itself when it holds `n` entries; else {@link resized} to at least `n`, twice its length and
 * 16, whichever is most (so that growing one entry at a time costs amortised constant time).
 */
export function grown<T extends PackedArray>(a: T, n: number, fill = 0): T {
  return n <= a.length ? a : resized(a, Math.max(n, a.length * 2, 16), fill);
}
