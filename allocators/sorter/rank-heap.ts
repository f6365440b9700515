/**
 * The best-first walk of a flat share sorter: the root's active children held as a binary
 * min-heap by the sorter's order, and a frontier (itself a heap) that visits them in order
 * without sorting them all. Imports only the shared leaf that grows typed arrays; no clock, no queue, no I/O, no randomness.
 */
import { resized } from '../../sim/kernel/packed.js';

/**
 * A heap over `kids[0..len)` (the root's children; `pos[n]` is n's index there, kept exact) and a
 * walk over it, for a sorter that extends it and says how two nodes compare (a method, so that
 * the hot comparisons are direct calls). An allocation costs O(log n) sift steps instead of a
 * shift across a sorted run; a walk that stops after k clients costs O(k log k).
 */
export abstract class RankHeap {
  /** Active children of the root in the heap. */
  protected heapLen = 0;
  /** The walk's frontier: positions in `kids`, itself a min-heap by the same order. */
  private cand = new Int32Array(16);
  private candLen = 0;
  /** Heap position of the walk's last client, whose children are not yet on the frontier; -1 when none. */
  private last = -1;

  /** Three-way comparison of two nodes: a total order (share, allocation count, path). */
  protected abstract compare(a: number, b: number): number;

  /** Starts a walk; returns the first node (the heap's root), or -1 when the heap is empty. */
  protected heapFirst(kids: readonly number[]): number {
    this.candLen = 0;
    if (this.heapLen === 0) {
      this.last = -1;
      return -1;
    }
    this.last = 0;
    return kids[0]!;
  }

  /** The next node of the walk in order; -1 at the end. */
  protected heapNext(kids: readonly number[]): number {
    // The last node returned is followed by its two heap children: pushed only now, so that a
    // walk stopped at its first node never compares them.
    const last = this.last;
    if (last >= 0) {
      const l = 2 * last + 1;
      if (l < this.heapLen) {
        this.candPush(l, kids);
        if (l + 1 < this.heapLen) this.candPush(l + 1, kids);
      }
    }
    const n = this.candLen;
    if (n === 0) {
      this.last = -1;
      return -1;
    }
    const cand = this.cand;
    const top = cand[0]!;
    this.candLen = n - 1;
    if (n > 1) this.candDown(cand[n - 1]!, kids);
    this.last = top;
    return kids[top]!;
  }

  /**
   * Restores the heap after node `n`'s key changed; true if it moved. Downwards it descends
   * bottom-up (Floyd): the path of smaller children to a leaf at one comparison a level, then back
   * up to where `n` belongs. The order is total, so `n` lands where a plain sift-down would put it
   * (the path's nodes below `n` are exactly those that precede it), at about half the comparisons
   * when it sinks far, as a client that was just served does.
   */
  protected sift(kids: number[], pos: Int32Array, n: number): boolean {
    const len = this.heapLen;
    const start = pos[n]!;
    let i = start;
    while (i > 0) {
      const up = (i - 1) >> 1;
      const m = kids[up]!;
      if (this.compare(m, n) <= 0) break;
      kids[i] = m;
      pos[m] = i;
      i = up;
    }
    if (i !== start) {
      kids[i] = n;
      pos[n] = i;
      return true;
    }
    let j = i;
    for (;;) {
      let c = 2 * j + 1;
      if (c >= len) break;
      if (c + 1 < len && this.compare(kids[c + 1]!, kids[c]!) < 0) c++;
      j = c;
    }
    while (j > i && this.compare(kids[j]!, n) > 0) j = (j - 1) >> 1;
    if (j === i) return false;
    // n goes to j; each node on the path from below i down to j moves up one level.
    let carry = n;
    for (let p = j; ; p = (p - 1) >> 1) {
      const m = kids[p]!;
      kids[p] = carry;
      pos[carry] = p;
      if (p === i) break;
      carry = m;
    }
    return true;
  }

  private candPush(p: number, kids: readonly number[]): void {
    if (this.candLen === this.cand.length) {
      this.cand = resized(this.cand, this.cand.length * 2);
    }
    const cand = this.cand;
    let i = this.candLen++;
    const node = kids[p]!;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.compare(kids[cand[up]!]!, node) <= 0) break;
      cand[i] = cand[up]!;
      i = up;
    }
    cand[i] = p;
  }

  /** Puts position `p` at the frontier's root and sifts it down (the frontier has candLen entries). */
  private candDown(p: number, kids: readonly number[]): void {
    const cand = this.cand;
    const n = this.candLen;
    const node = kids[p]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.compare(kids[cand[c + 1]!]!, kids[cand[c]!]!) < 0) c++;
      if (this.compare(kids[cand[c]!]!, node) >= 0) break;
      cand[i] = cand[c]!;
      i = c;
    }
    cand[i] = p;
  }
}
