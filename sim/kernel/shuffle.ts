/**
 * The uniform shuffle every random order in a run uses. A shared leaf: loads nothing at run time
 * (the stream is a type), and every folder may import it.
 */
import type { Rng } from './rng.js';

/**
 * Fisher–Yates shuffle in place of `arr[0..length)` (default all of it), from the last element
 * down: one draw per element but the first, so a run's streams advance the same way whatever
 * the elements are. Returns the array.
 */
export function shuffleInPlace<T extends { [i: number]: unknown; length: number }>(arr: T, rng: Rng, length = arr.length): T {
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = arr[i];
    arr[i] = arr[j];
    arr[j] = tmp;
  }
  return arr;
}
