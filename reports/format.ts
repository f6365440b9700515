/**
 * Fixed-precision number formatting for every CSV and JSON file a run writes, so that output
 * is byte-identical across runs and machines. Imports nothing.
 */

/** Digits after the point for seconds and ratios (6: seconds are then exact to the microsecond). */
export const DIGITS = 6;

/**
 * `x` with exactly `digits` decimals: never exponent notation, never `-0`; '' for NaN,
 * ±Infinity, null or undefined (an empty CSV cell). Rounding is `Number.prototype.toFixed`'s,
 * which the language fixes exactly (on the binary value), so it is the same on every machine.
 * @example fmt(1.5, 6) // '1.500000'
 * @example fmt(-0.0000001, 6) // '0.000000'
 */
export function fmt(x: number | null | undefined, digits: number = DIGITS): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  let s: string;
  if (Math.abs(x) < 1e21) {
    s = x.toFixed(digits);
  } else {
    // toFixed switches to exponent notation from 1e21; such a double is an integer, so BigInt is exact.
    s = BigInt(x).toString();
    if (digits > 0) s += '.' + '0'.repeat(digits);
  }
  return isNegativeZero(s) ? s.slice(1) : s;
}

/** An integer count, as `fmt(x, 0)`: '' for NaN. */
export function fmtInt(x: number | null | undefined): string {
  return fmt(x, 0);
}

/**
 * Microseconds as seconds with {@link DIGITS} decimals; '' for NaN. Integer microseconds are
 * formatted by integer arithmetic, so they are exact at any magnitude; fractions (means) round.
 * @example fmtSeconds(1_500_000) // '1.500000'
 */
export function fmtSeconds(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '';
  if (!Number.isSafeInteger(us)) return fmt(us / 1_000_000, DIGITS);
  const a = Math.abs(us);
  const whole = Math.floor(a / 1_000_000);
  const frac = a - whole * 1_000_000;
  return (us < 0 ? '-' : '') + String(whole) + '.' + String(frac).padStart(6, '0');
}

function isNegativeZero(s: string): boolean {
  if (s.charCodeAt(0) !== 45 /* '-' */) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 48 /* '0' */ && c !== 46 /* '.' */) return false;
  }
  return true;
}
