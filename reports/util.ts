/**
 * Small helpers the reports modules share. A leaf: imports nothing (typed arrays that grow and the
 * exhaustiveness check are the shared leaves sim/kernel/packed.ts and sim/kernel/assert.ts).
 */

/** Sum of a sparse per-framework counter array (holes count 0), in index order. */
export function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) if (x !== undefined) s += x;
  return s;
}
