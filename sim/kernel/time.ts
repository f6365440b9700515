/**
 * Simulated time: an integer number of microseconds since the start of the run.
 * Imports nothing.
 */

declare const simTimeBrand: unique symbol;
/** Integer microseconds since the start of the run; exact up to 2^53 us (about 285 years). */
export type SimTime = number & { readonly [simTimeBrand]: true };

/** Microseconds in one second. */
export const MICROS_PER_SECOND = 1_000_000;

/**
 * Times are exact integers of microseconds below 2^53 us (about 285 years), the integers a double
 * holds exactly. Every time limit derives from it: the event list's (sim/kernel/event-queue.ts
 * MAX_EVENT_TIME, smaller because a key packs the phase too), a trace's clock and time origin
 * (workloads/trace/), a scenario's trace window (scenarios/limits.ts MAX_TRACE_TIME_SECONDS).
 */
export const EXACT_TIME_LIMIT_MICROS = 2 ** 53;

/** {@link EXACT_TIME_LIMIT_MICROS} in seconds: 9,007,199,254.740992 s. */
export const EXACT_TIME_LIMIT_SECONDS = EXACT_TIME_LIMIT_MICROS / MICROS_PER_SECOND;

/** Time zero. */
export const ZERO = 0 as SimTime;

/**
 * Converts seconds (decimals allowed) to SimTime. Rounding rule: to the nearest microsecond,
 * halves away from zero, applied to the decimal as written (the shortest decimal that reads back
 * as `s`), so that 4.0000005 gives 4000001 although 4.0000005 * 1e6 is 4000000.4999999995 in
 * binary. Throws on a non-finite or negative input, or beyond 2^53 microseconds.
 * @example seconds(1.5) // 1500000
 */
export function seconds(s: number): SimTime {
  if (!Number.isFinite(s) || s < 0) throw new RangeError(`time must be a finite number of seconds >= 0, got ${s}`);
  const us = decimalToMicros(String(s));
  if (us === undefined) throw new RangeError(`time ${s} s is beyond 2^53 microseconds`);
  return us as SimTime;
}

/** `text` is a non-negative number as String() writes it: digits, optional fraction, optional exponent. */
function decimalToMicros(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (m === null) throw new RangeError(`cannot read ${text} as seconds`);
  const frac = m[2] ?? '';
  const digits = m[1]! + frac;
  // value = digits * 10^(exp - frac.length) seconds; microseconds shift that by 6
  const shift = Number(m[3] ?? '0') - frac.length + 6;
  let whole: bigint;
  if (shift >= 0) {
    whole = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const keep = digits.length + shift;
    if (keep < 0) return 0;
    whole = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
    // the first dropped digit decides: >= 5 is a half or more, and s >= 0, so round up
    if (digits[keep]! >= '5') whole += 1n;
  }
  return whole < BigInt(EXACT_TIME_LIMIT_MICROS) ? Number(whole) : undefined;
}

/** Wraps an integer microsecond count; throws on a fraction or a negative value. */
export function micros(us: number): SimTime {
  if (!Number.isSafeInteger(us) || us < 0) throw new RangeError(`time must be a non-negative integer of microseconds, got ${us}`);
  return us as SimTime;
}

/** SimTime in seconds, for output. */
export function toSeconds(t: number): number {
  return t / MICROS_PER_SECOND;
}
