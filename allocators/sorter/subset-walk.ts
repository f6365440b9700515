/**
 * A best-first walk over some of a keyed sorter's clients, in the sorter's order (see
 * Sorter.keyed): the chosen clients in a heap of their own, so that a loop that wants only them
 * does not walk past the others. Imports the sorter seam and the rank heap; no clock, no queue,
 * no I/O, no randomness.
 */
import { resized } from '../../sim/kernel/packed.js';
import type { Rng } from '../../sim/kernel/rng.js';
import { RankHeap } from './rank-heap.js';
import type { ClientHandle, Sorter, Walk } from './sorter.js';

/**
 * Clients of one keyed sorter, chosen by handle, walked in that sorter's order. Whoever changes a
 * chosen client's key (an allocation in the sorter) says so ({@link changed}) before the next
 * walk; as with a sorter, any change ends a walk under way.
 */
export class SubsetWalk extends RankHeap implements Walk {
  private sorter: Sorter | null = null;
  /** The chosen handles as a heap (`heapLen` of them). */
  private readonly kids: number[] = [];
  /** Position of each handle in {@link kids}, -1 when not chosen. */
  private pos = new Int32Array(16).fill(-1);

  /** Empties the walk and sets the sorter, which must be keyed now. */
  reset(sorter: Sorter): void {
    this.sorter = sorter;
    for (const h of this.kids) this.pos[h] = -1;
    this.kids.length = 0;
    this.heapLen = 0;
  }

  /** How many clients are chosen. */
  get size(): number {
    return this.heapLen;
  }

  /** Whether `h` is chosen. */
  has(h: ClientHandle): boolean {
    return h < this.pos.length && this.pos[h]! >= 0;
  }

  /** Chooses `h` (once). */
  add(h: ClientHandle): void {
    if (h >= this.pos.length) {
      const old = this.pos.length;
      this.pos = resized(this.pos, Math.max(h + 1, old * 2));
      this.pos.fill(-1, old);
    }
    if (this.pos[h]! >= 0) return;
    this.pos[h] = this.kids.length;
    this.kids.push(h);
    this.heapLen++;
    this.sift(this.kids, this.pos, h);
  }

  /** `h`'s key changed in the sorter; no-op when it is not chosen. */
  changed(h: ClientHandle): void {
    if (this.has(h)) this.sift(this.kids, this.pos, h);
  }

  /** Leaves `h` out from now on; no-op when it is not chosen. */
  remove(h: ClientHandle): void {
    if (!this.has(h)) return;
    const i = this.pos[h]!;
    this.pos[h] = -1;
    const last = this.kids.pop()!;
    this.heapLen--;
    if (last !== h) {
      this.kids[i] = last;
      this.pos[last] = i;
      this.sift(this.kids, this.pos, last);
    }
  }

  first(_rng?: Rng): ClientHandle {
    return this.heapFirst(this.kids) as ClientHandle;
  }

  next(): ClientHandle {
    return this.heapNext(this.kids) as ClientHandle;
  }

  protected compare(a: number, b: number): number {
    return this.sorter!.compareClients!(a as ClientHandle, b as ClientHandle);
  }
}
