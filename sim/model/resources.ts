/**
 * Scalar resource vectors in fixed point: the compact type the hot path works on.
 * Imports nothing: a shared leaf that every folder may use.
 */

/** The scalar resources offersim models, in vector order. */
export const RESOURCE_NAMES = ['cpus', 'mem', 'disk', 'gpus'] as const;
/** One of {@link RESOURCE_NAMES}. */
export type ResourceName = (typeof RESOURCE_NAMES)[number];
/** Index of each resource in a vector. */
export const R = { cpus: 0, mem: 1, disk: 2, gpus: 3 } as const;
/** Number of entries in a resource vector (the stride of packed per-agent arrays). */
export const NUM_RESOURCES = 4;

/**
 * Every resource is held as an integer count of thousandths (cpus in milli-cores, mem and disk
 * in thousandths of a MB), because Mesos rounds scalar resources to three decimals.
 */
export const FIXED_POINT = 1000;

/**
 * A resource vector: {@link NUM_RESOURCES} integers in fixed point ({@link FIXED_POINT}).
 * Float64Array so that cluster-wide sums stay exact up to 2^53 thousandths.
 */
export type ResourceVector = Float64Array;

/** Plain resource amounts in scenario units: cpus, mem (MB), disk (MB), gpus. Absent means 0. */
export interface ResourceAmounts {
  /** cores; default 0 */
  readonly cpus?: number | undefined;
  /** megabytes; default 0 */
  readonly mem?: number | undefined;
  /** megabytes; default 0 */
  readonly disk?: number | undefined;
  /** devices; default 0 */
  readonly gpus?: number | undefined;
}

/** Converts a scenario amount to fixed point, rounding half away from zero to three decimals (as Mesos does). */
export function toFixed(amount: number): number {
  const scaled = amount * FIXED_POINT;
  return scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
}

/** Converts a fixed-point amount back to scenario units. */
export function fromFixed(fixed: number): number {
  return fixed / FIXED_POINT;
}

/**
 * Builds a vector from scenario amounts.
 * @example resources({ cpus: 1.5, mem: 512 }) // Float64Array [1500, 512000, 0, 0]
 */
export function resources(amounts: ResourceAmounts): ResourceVector {
  const v = new Float64Array(NUM_RESOURCES);
  v[R.cpus] = toFixed(amounts.cpus ?? 0);
  v[R.mem] = toFixed(amounts.mem ?? 0);
  v[R.disk] = toFixed(amounts.disk ?? 0);
  v[R.gpus] = toFixed(amounts.gpus ?? 0);
  return v;
}

/** Scenario amounts of a vector (or of the vector at `offset` of a packed array). */
export function amounts(v: Float64Array, offset = 0): Required<ResourceAmounts> {
  return {
    cpus: fromFixed(v[offset + R.cpus]!),
    mem: fromFixed(v[offset + R.mem]!),
    disk: fromFixed(v[offset + R.disk]!),
    gpus: fromFixed(v[offset + R.gpus]!),
  };
}

/** A new zero vector. */
export function zero(): ResourceVector {
  return new Float64Array(NUM_RESOURCES);
}

/** True when every entry is 0. */
export function isEmpty(v: Float64Array, offset = 0): boolean {
  for (let i = 0; i < NUM_RESOURCES; i++) if (v[offset + i] !== 0) return false;
  return true;
}

/** `dst[dOff..] += src[sOff..]`, in place. */
export function addInto(dst: Float64Array, dOff: number, src: Float64Array, sOff = 0): void {
  for (let i = 0; i < NUM_RESOURCES; i++) dst[dOff + i]! += src[sOff + i]!;
}

/** `dst[dOff..] -= src[sOff..]`, in place. */
export function subInto(dst: Float64Array, dOff: number, src: Float64Array, sOff = 0): void {
  for (let i = 0; i < NUM_RESOURCES; i++) dst[dOff + i]! -= src[sOff + i]!;
}

/** Copies the vector at `src[sOff..]` into `dst[dOff..]`. */
export function copyInto(dst: Float64Array, dOff: number, src: Float64Array, sOff = 0): void {
  for (let i = 0; i < NUM_RESOURCES; i++) dst[dOff + i] = src[sOff + i]!;
}

/** True when `a[aOff..]` holds at least `b[bOff..]` of every resource (Mesos `contains`). */
export function contains(a: Float64Array, aOff: number, b: Float64Array, bOff = 0): boolean {
  for (let i = 0; i < NUM_RESOURCES; i++) if (a[aOff + i]! < b[bOff + i]!) return false;
  return true;
}

/** True when some entry is negative (a broken invariant wherever it appears). */
export function hasNegative(v: Float64Array, offset = 0): boolean {
  for (let i = 0; i < NUM_RESOURCES; i++) if (v[offset + i]! < 0) return true;
  return false;
}

/** True when both vectors hold the same amounts. */
export function equals(a: Float64Array, aOff: number, b: Float64Array, bOff = 0): boolean {
  for (let i = 0; i < NUM_RESOURCES; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

/**
 * Mesos `--min_allocatable_resources`: a list of alternatives (OR); a set of resources is
 * allocatable when it holds at least all the amounts of one alternative (AND within it).
 * Default `cpus:0.01|mem:32`. An empty list means anything non-empty is allocatable.
 */
export type MinAllocatable = readonly ResourceVector[];

/** The Mesos default `cpus:0.01|mem:32` (MIN_CPUS, MIN_MEM). */
export const DEFAULT_MIN_ALLOCATABLE: MinAllocatable = [resources({ cpus: 0.01 }), resources({ mem: 32 })];

/** Whether `v[offset..]` passes the min-allocatable check. */
export function isAllocatable(min: MinAllocatable, v: Float64Array, offset = 0): boolean {
  if (min.length === 0) return !isEmpty(v, offset);
  for (const alt of min) {
    if (contains(v, offset, alt, 0)) return true;
  }
  return false;
}

/** A short human form, e.g. `cpus:1.5;mem:512;disk:0;gpus:0`, for messages. */
export function format(v: Float64Array, offset = 0): string {
  return RESOURCE_NAMES.map((n, i) => `${n}:${fromFixed(v[offset + i]!)}`).join(';');
}
