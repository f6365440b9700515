/**
 * The walk of a sorter that lists its order (random, fifo, a nested share tree): it visits the
 * handles of the list in turn. Imports the sorter seam; no clock, no queue, no I/O, no randomness.
 */
import { NO_CLIENT, type ClientHandle } from './sorter.js';

const NONE: readonly number[] = Object.freeze([]);

/** A cursor over a list of client handles, for Sorter.first and Sorter.next. */
export class ListWalk {
  private handles: ArrayLike<number> = NONE;
  private i = 0;

  /** Starts over `handles` (kept, not copied: the sorter must not change it during the walk); the first, or -1. */
  start(handles: ArrayLike<number>): ClientHandle {
    this.handles = handles;
    this.i = 0;
    return this.next();
  }

  /** The next handle, or -1 at the end. */
  next(): ClientHandle {
    const i = this.i;
    if (i >= this.handles.length) return NO_CLIENT;
    this.i = i + 1;
    return this.handles[i]! as ClientHandle;
  }
}
