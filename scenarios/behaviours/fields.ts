/**
 * Options several behaviours share: the refuse filter and the decision time (Omega's slow
 * scheduler), each a zod field whose text each behaviour may word for itself. Imports zod and
 * the scenario field types only.
 */
import { z } from 'zod';
import { decisionJob, decisionTask, span } from '../schema-fields.js';

/** `refuseSeconds`, defaulting to `value`. */
export function refuseSecondsOption(value: number) {
  return span.default(value).describe('refuse filter on declines and on the unused part of accepts, seconds (Mesos `refuse_seconds`); 0 means none');
}

/** `decisionJob`: decision time per scheduling decision, seconds (Omega's t_job); absent means 0. */
export function decisionJobOption(text: string) {
  return decisionJob.optional().describe(text);
}

/** `decisionTask`: further decision time per task the decision considers, seconds (Omega's t_task); absent means 0. */
export function decisionTaskOption(text: string) {
  return decisionTask.optional().describe(text);
}

/** `maxAttempts`: scheduling attempts after which a job is abandoned; absent means 0 (never). */
export function maxAttemptsOption(text: string) {
  return z.number().int().nonnegative().optional().describe(text);
}
