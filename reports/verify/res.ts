/**
 * Resource vectors as the verifier keeps them (plain arrays in RESOURCE_NAMES order): the text of
 * one, equality, adding one into another. A leaf but for reports' vocabulary.
 */
import { NR, RESOURCE_NAMES } from '../vocabulary.js';

/** A resource vector in whole units: `cpus 8, mem 16384, disk 0, gpus 0`. */
export function fmtRes(v: readonly number[]): string {
  return RESOURCE_NAMES.map((n, i) => `${n} ${(v[i] ?? NaN) / 1000}`).join(', ');
}

/** Whether two vectors are equal in every resource. */
export function sameRes(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < NR; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds `sign` times `v` into `into`. */
export function addTo(into: number[], v: readonly number[], sign: 1 | -1): void {
  for (let i = 0; i < NR; i++) into[i] = into[i]! + sign * v[i]!;
}
