/**
 * Seeded random streams. One generator per (seed, stream name), so that adding a component does
 * not change any other component's draws. Imports only seedrandom.
 */
import seedrandom from 'seedrandom';

/** A stream of uniform draws; every shuffle and sample in offersim takes one as an argument. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** A named seeded stream (Alea generator) with a few helpers. */
export class RandomStream implements Rng {
  private readonly gen: () => number;
  /** The stream's name, for diagnostics. */
  readonly name: string;
  constructor(seed: number | string, name: string) {
    this.name = name;
    // JSON keeps (seed, name) pairs apart: seed "a|b" with name "c" and seed "a" with "b|c" differ.
    this.gen = seedrandom.alea(JSON.stringify(['offersim', String(seed), name]));
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.gen();
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }
  /** Exponential draw with the given mean (inverse transform; never returns Infinity). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.gen());
  }
}

/** Uniform integer in [0, n) from any stream. */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/**
 * The run's random streams: `stream(name)` is a pure function of (seed, name). Asking twice for
 * one name gives the same object; give each consumer its own name.
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();
  /** The run seed. */
  readonly seed: number | string;
  constructor(seed: number | string) {
    this.seed = seed;
  }
  /** The stream for `name`, created on first use. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}
