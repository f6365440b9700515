/**
 * Small helpers the reports modules share: typed arrays that grow, and the exhaustiveness check.
 * A leaf: imports nothing (reports may import nothing of the model's but the log's types).
 */

/** `a` when it holds `n`, else a copy at least twice as long (16 at least), new slots `fill`. */
export function growF64(a: Float64Array<ArrayBuffer>, n: number, fill = 0): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Float64Array(Math.max(n, a.length * 2, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** `a` when it holds `n`, else a copy at least twice as long (16 at least), new slots 0. */
export function growI32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, a.length * 2, 16));
  b.set(a);
  return b;
}

/** `a` when it holds `n`, else a copy at least twice as long (16 at least), new slots 0. */
export function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2, 16));
  b.set(a);
  return b;
}

/** The exhaustive switch's default: a value no case took is a bug. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}

/** Sum of a sparse per-framework counter array (holes count 0), in index order. */
export function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) if (x !== undefined) s += x;
  return s;
}
