/**
 * A hash map from non-negative integer keys (ids) to non-negative int32 values (slots), in typed arrays: no
 * allocation per insert or delete, unlike a Map whose table is rebuilt as entries churn.
 * Knows nothing of Mesos; imports nothing: a shared leaf that every folder may use (a plain data structure).
 */

const EMPTY = -1;

/** Smallest table; tables are powers of two. */
const MIN_CAPACITY = 16;

/**
 * Open addressing with linear probing and backward-shift deletion (no tombstones), Fibonacci
 * hashing of the key, load factor at most 1/2; the table doubles when full and never shrinks, so
 * memory follows the most entries ever held at once. No iteration: callers that need an order keep
 * their own, so nothing can depend on table order.
 */
export class IntMap {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;

  /** @param initialCapacity entries held before the first growth; default 8 */
  constructor(initialCapacity = 8) {
    let cap = MIN_CAPACITY;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Number of keys held. */
  get size(): number {
    return this.count;
  }

  /** The value of `key`, or -1 when absent (any number may be asked for). */
  get(key: number): number {
    const keys = this.keys;
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === EMPTY) return -1;
      if (k === key) return this.vals[i]!;
    }
  }

  /** Whether `key` is held. */
  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  /** Sets `key` (a safe integer >= 0) to `value` (an int32 >= 0, so -1 can mean absent), replacing any value it had. */
  set(key: number, value: number): void {
    if (!(key >= 0) || !Number.isSafeInteger(key)) throw new RangeError(`IntMap key must be a safe integer >= 0, got ${key}`);
    if (!(value >= 0) || (value | 0) !== value) throw new RangeError(`IntMap value must be an int32 >= 0, got ${value}`);
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    let i = this.home(key);
    for (; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) break;
      if (k === EMPTY) {
        keys[i] = key;
        this.count++;
        break;
      }
    }
    this.vals[i] = value;
  }

  /**
   * Sets `key` to `value` only when `key` is not held (same checks as {@link set}); returns false,
   * changing nothing, when it is. One probe instead of {@link has} then {@link set}.
   */
  add(key: number, value: number): boolean {
    if (!(key >= 0) || !Number.isSafeInteger(key)) throw new RangeError(`IntMap key must be a safe integer >= 0, got ${key}`);
    if (!(value >= 0) || (value | 0) !== value) throw new RangeError(`IntMap value must be an int32 >= 0, got ${value}`);
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return false;
      if (k === EMPTY) {
        keys[i] = key;
        this.vals[i] = value;
        this.count++;
        return true;
      }
    }
  }

  /** Removes `key` and returns its value, or -1 when it was not held. One probe instead of {@link get} then {@link delete}. */
  take(key: number): number {
    const i = this.find(key);
    if (i < 0) return -1;
    const value = this.vals[i]!;
    this.removeAt(i);
    return value;
  }

  /** Removes `key`; returns whether it was held. */
  delete(key: number): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Empties table index `hole` (which holds a key) by backward shift. */
  private removeAt(hole: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    // Backward shift: pull later entries of the probe run into the hole unless that would put one
    // before its home slot, so that every lookup still stops at the first empty slot.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const k = keys[j]!;
      if (k === EMPTY) break;
      const h = this.home(k);
      const stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (!stays) {
        keys[hole] = k;
        vals[hole] = vals[j]!;
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    this.count--;
  }

  /** Removes every key; keeps the table. */
  clear(): void {
    this.keys.fill(EMPTY);
    this.count = 0;
  }

  /** Table index of `key`, or -1. */
  private find(key: number): number {
    const keys = this.keys;
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === EMPTY) return -1;
      if (k === key) return i;
    }
  }

  /**
   * Fibonacci hashing of the key's two 32-bit halves, by blocks of 8 sequential ids: each block
   * lands on its own group of 8 slots (one cache line of keys), and blocks spread over the table.
   * Ids used in order (offers answered as sent) then share cache lines instead of each missing.
   * Not the identity: a window of live sequential ids would then be one long probe run, which
   * every delete scans to its end (measured: quadratic with 10,000 offers outstanding).
   */
  private home(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    const h = Math.imul((lo >>> 3) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    return (h & ~7) | (lo & 7);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k !== EMPTY) this.set(k, oldVals[i]!);
    }
  }
}
