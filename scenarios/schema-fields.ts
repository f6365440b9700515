/**
 * The field types scenario files are made of (instants, spans, amounts, names, roles, distributions),
 * each with its bounds and the message naming them; the scenario schema, the workloads' and the
 * behaviours' options are built from them. Imports zod and scenarios/limits.ts only.
 */
import { z } from 'zod';
import {
  EXPONENTIAL_TAIL,
  MAX_DECISION_TASK_SECONDS,
  MAX_NAME_LENGTH,
  MAX_RESOURCE_AMOUNT,
  MAX_SPAN_SECONDS,
  MAX_TASKS,
  MAX_TIME_SECONDS,
  MIN_INTERVAL_SECONDS,
} from './limits.js';

// Every bound below comes from scenarios/limits.ts, which says why it is what it is.
/** A number with grouped digits, as messages print bounds. */
export const n = (x: number): string => x.toLocaleString('en-US');
/** A finite number in [0, max] (`> 0` with `positive`), one message per bound broken. */
export function bounded(max: number, message: string, positive = false) {
  const low = z.number().finite();
  return (positive ? low.positive() : low.nonnegative()).max(max, { message });
}
/** The messages of the two bounds of time. */
export const TIME_MESSAGE = `at most ${n(MAX_TIME_SECONDS)} s (about 202 days): the latest instant a scenario may name`;
export const SPAN_MESSAGE = `at most ${n(MAX_SPAN_SECONDS)} s (about 202 days): the longest span a scenario may give`;
/** An instant of the run, seconds: at most MAX_TIME_SECONDS. */
export const seconds = bounded(MAX_TIME_SECONDS, TIME_MESSAGE);
/** An instant after 0, seconds. */
export const positiveSeconds = bounded(MAX_TIME_SECONDS, TIME_MESSAGE, true);
/** A span of time, seconds: at most MAX_SPAN_SECONDS. */
export const span = bounded(MAX_SPAN_SECONDS, SPAN_MESSAGE);
/** A span longer than 0, seconds. */
export const positiveSpan = bounded(MAX_SPAN_SECONDS, SPAN_MESSAGE, true);
/** An interval that becomes a whole, positive number of microseconds. */
export const INTERVAL_MESSAGE = "at least 0.000001 s (1 us, the clock's unit)";
/** A period (allocation interval, sample interval, offer timeout), seconds. */
export const interval = z.number().finite().min(MIN_INTERVAL_SECONDS, { message: INTERVAL_MESSAGE }).max(MAX_SPAN_SECONDS, { message: SPAN_MESSAGE });
/** A run's duration or horizon, seconds. */
export const runSeconds = positiveSeconds;
/** A resource amount in scenario units (cores, MB, devices). */
export const amount = bounded(MAX_RESOURCE_AMOUNT, `at most ${n(MAX_RESOURCE_AMOUNT)}: amounts are exact in thousandths below 2^53`);
/** A count of tasks (of a job, a service, a task entry). */
export const taskCount = z
  .number()
  .int()
  .positive()
  .max(MAX_TASKS, { message: `at most ${n(MAX_TASKS)} tasks (the most a run may hold)` });

/**
 * A name: 1 to 100 letters, digits, ".", "_" and "-", neither "." nor ".." and not starting with
 * "-": Mesos's rule for each component of a role name (src/common/roles.cpp, validate), within
 * the characters that are safe in file names, CSV cells and command lines.
 */
/** What a name may be, and the message of one that is not. */
export const NAME_RULE = `1 to ${MAX_NAME_LENGTH} letters, digits, ".", "_" and "-", not "." or ".." and not starting with "-"`;
export const NAME_MESSAGE = `a name is ${NAME_RULE}`;
/** Whether `s` is a name (see NAME_RULE). */
export function isName(s: string): boolean {
  return s.length >= 1 && s.length <= MAX_NAME_LENGTH && /^[A-Za-z0-9._-]+$/.test(s) && s !== '.' && s !== '..' && !s.startsWith('-');
}
/** A name field ({@link isName}). */
export const name = z.string().refine(isName, { message: NAME_MESSAGE });

/** Resource amounts in scenario units: cpus (cores), mem and disk (MB), gpus (devices); each default 0. */
export const ResourceAmountsSchema = z.strictObject({
  cpus: amount.optional(),
  mem: amount.optional(),
  disk: amount.optional(),
  gpus: amount.optional(),
});

/** Framework capabilities offersim models (Mesos FrameworkInfo.Capability). */
export const CAPABILITIES = ['GPU_RESOURCES', 'PARTITION_AWARE'] as const;

/**
 * A framework's options that change what it may be offered: its capabilities and its own
 * min-allocatable check (Mesos FrameworkInfo `capabilities` and `offer_filters`).
 */
export const FRAMEWORK_OFFER_FIELDS = {
  /**
   * Mesos framework capabilities: GPU_RESOURCES lets it be offered agents with gpus while
   * master.filterGpuResources is on; PARTITION_AWARE makes its tasks on an agent marked
   * unreachable go unreachable, not lost (offers only); default none
   */
  capabilities: z.array(z.enum(CAPABILITIES, { message: `a capability offersim models: ${CAPABILITIES.join(', ')}` })).optional(),
  /**
   * its own minimum offer (Mesos offer_filters min_allocatable_resources), replacing
   * master.minAllocatable for its offers: alternatives (OR) of amounts (AND); [] lets any
   * non-empty offer through; default none (the master's)
   */
  minAllocatable: z.array(ResourceAmountsSchema).optional(),
};

/**
 * A number per job or task: a constant, or `{uniform: [min, max]}`, or `{exponential: mean}`;
 * every draw at most `max` (an exponential's largest draw is EXPONENTIAL_TAIL means).
 */
export function distribution(max: number, what: string) {
  const value = z
    .number()
    .finite()
    .nonnegative()
    .max(max, { message: `at most ${n(max)} ${what}` });
  const mean = max / EXPONENTIAL_TAIL;
  return z.union([
    value,
    z.strictObject({ uniform: z.tuple([value, value]).refine(([a, b]) => a <= b, 'uniform needs [min, max] with min <= max') }),
    z.strictObject({
      exponential: z
        .number()
        .finite()
        .positive()
        .max(mean, {
          message: `a mean of at most ${n(Math.floor(mean))} ${what}: an exponential draw can reach ${EXPONENTIAL_TAIL} times its mean, and a draw may be at most ${n(max)}`,
        }),
    }),
  ]);
}
/** Tasks per job: a distribution (rounded, at least 1). */
export const TasksPerJobSchema = distribution(MAX_TASKS, 'tasks');
/** Task run times, seconds: a distribution. */
export const DurationSchema = distribution(MAX_SPAN_SECONDS, 's');

/** A role: '*' or names ({@link isName}) joined by '/' (Mesos: src/common/roles.cpp, validate). */
export function isRole(s: string): boolean {
  return s === '*' || (s.length <= 10 * MAX_NAME_LENGTH && s.split('/').every(isName));
}
/** A role field ({@link isRole}) and its message. */
export const ROLE_MESSAGE = `a role is * or names joined by / (each ${NAME_RULE})`;
export const role = z.string().refine(isRole, { message: ROLE_MESSAGE });

/**
 * Decision times (Omega's t_job and t_task): tJob + tTask x the tasks of a job fits in a span, and
 * each is 0 or at least the clock's unit, so that a decision that takes time takes at least 1 us
 * (one shorter would be rounded to none and end before the offers it answers arrive).
 */
const CLOCK_UNIT = { message: `0, or ${INTERVAL_MESSAGE}` };
const zeroOrTick = (v: number): boolean => !(v > 0 && v < MIN_INTERVAL_SECONDS);
export const decisionJob = bounded(
  MAX_SPAN_SECONDS / 2,
  `at most ${n(MAX_SPAN_SECONDS / 2)} s (half the longest span; t_task times a job's tasks takes the rest)`,
).refine(zeroOrTick, CLOCK_UNIT);
export const decisionTask = bounded(
  MAX_DECISION_TASK_SECONDS,
  `at most ${MAX_DECISION_TASK_SECONDS} s: a decision may consider ${n(MAX_TASKS)} tasks, and t_task times those must fit in half the longest span (${n(MAX_SPAN_SECONDS / 2)} s)`,
).refine(zeroOrTick, CLOCK_UNIT);

/** Whether `x` is a mapping (not null, not a list). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** cpus, mem, disk and gpus in scenario units, each default 0: spread into an agent's or a task's object. */
export const RESOURCE_FIELDS = {
  cpus: amount.default(0),
  mem: amount.default(0),
  disk: amount.default(0),
  gpus: amount.default(0),
};
