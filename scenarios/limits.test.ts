/**
 * The input limits hold together: each stays within the simulator limit it is derived from, so
 * that a change to one that breaks another fails here rather than in a run.
 */
import { MAX_EVENT_TIME } from '../sim/kernel/event-queue.js';
import { MICROS_PER_SECOND } from '../sim/kernel/time.js';
import { FIXED_POINT } from '../sim/model/resources.js';
import {
  EVENT_TIME_SLACK,
  EXPONENTIAL_TAIL,
  MAX_DECISION_TASK_SECONDS,
  MAX_RESOURCE_AMOUNT,
  MAX_SPAN_SECONDS,
  MAX_TASKS,
  MAX_TIME_SECONDS,
  MAX_TRACE_TIME_SECONDS,
  MIN_POISSON_RATE,
} from './limits.js';
import { MAX_AMOUNT, MAX_TASK_SECONDS, MAX_TRACE_SECONDS as MAX_CANONICAL_TRACE_SECONDS } from '../workloads/trace/canonical.js';

test('an event at the latest instant plus the longest span, plus a ping timeout, is still in the event list', () => {
  // A failed agent is lost 75 to 90 s after its failure (docs/scenarios.md): the largest fixed
  // delay the model adds after a span.
  const lastEvent = (MAX_TIME_SECONDS + MAX_SPAN_SECONDS + 90) * MICROS_PER_SECOND;
  expect(lastEvent).toBeLessThan(MAX_EVENT_TIME);
  expect(EVENT_TIME_SLACK).toBeGreaterThan(90 * MICROS_PER_SECOND);
});

test('the largest exponential draw is EXPONENTIAL_TAIL means: -ln(1 - u) for u the largest double below 1', () => {
  // 1 - u >= 2^-53, so -ln(1 - u) <= 53 ln 2 = 36.74
  expect(-Math.log(2 ** -53)).toBeLessThanOrEqual(EXPONENTIAL_TAIL);
  // and the lowest rate keeps a gap of EXPONENTIAL_TAIL means within a span
  expect(EXPONENTIAL_TAIL / MIN_POISSON_RATE).toBeLessThanOrEqual(MAX_SPAN_SECONDS);
});

test('a cluster total at the resource limit is an exact integer of thousandths', () => {
  expect(MAX_RESOURCE_AMOUNT * FIXED_POINT).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
  expect(Number.isSafeInteger(MAX_RESOURCE_AMOUNT * FIXED_POINT)).toBe(true);
});

test('a decision over the most tasks a job may have fits in a span', () => {
  expect(MAX_SPAN_SECONDS / 2 + MAX_DECISION_TASK_SECONDS * MAX_TASKS).toBeLessThanOrEqual(MAX_SPAN_SECONDS);
});

test('trace times convert to whole microseconds below 2^53', () => {
  expect(MAX_TRACE_TIME_SECONDS * MICROS_PER_SECOND).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
});

test('a canonical workload holds no task longer than a scenario span, nor an amount beyond the resource limit', () => {
  // workloads/ may not import scenarios/: the canonical schema keeps its own copies of the bounds.
  expect(MAX_TASK_SECONDS).toBe(MAX_SPAN_SECONDS);
  expect(MAX_AMOUNT).toBeLessThanOrEqual(MAX_RESOURCE_AMOUNT);
  expect(MAX_CANONICAL_TRACE_SECONDS).toBeLessThanOrEqual(MAX_TRACE_TIME_SECONDS);
});
