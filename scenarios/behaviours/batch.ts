/**
 * The batch behaviour's entry: elastic jobs of independent tasks, with delay scheduling for data
 * locality and decision time (sim/model/frameworks/batch.ts).
 */
import { z } from 'zod';
import { BATCH_DEFAULTS as D, BatchFramework, SKIP_RESETS } from '../../sim/model/frameworks/index.js';
import { MAX_REMOTE_SLOWDOWN } from '../limits.js';
import { n, span } from '../schema-fields.js';
import { defineBehaviour } from './entry.js';
import { decisionJobOption, decisionTaskOption, maxAttemptsOption, refuseSecondsOption } from './fields.js';

const skips = () => z.number().int().nonnegative().optional();

/** Options left out when not given stay out of the resolved scenario (and the manifest). */
const options = z
  .strictObject({
    kind: z.literal('batch'),
    refuseSeconds: refuseSecondsOption(D.refuseSeconds),
    maxTasksPerOffer: z.number().int().nonnegative().default(D.maxTasksPerOffer).describe('most tasks launched from one offer; 0 means no limit'),
    nodeLocalWait: span.optional().describe('delay scheduling: seconds a job waits, since its last node-local launch, before it may launch rack-local tasks'),
    rackLocalWait: span.optional().describe('further seconds before it may launch tasks anywhere (remote)'),
    nodeLocalSkips: skips().describe(
      "delay scheduling counted in skipped offers instead of seconds (the paper's D): offers a job passes over for locality, since its skip count was last reset (`resetSkipsOn`), before it may launch rack-local; not together with the waits",
    ),
    rackLocalSkips: skips().describe('further skips before it may launch anywhere'),
    resetSkipsOn: z
      .enum(SKIP_RESETS)
      .optional()
      .describe(
        "which launches restart the skip count: `node-local` (only a node-local launch: the paper's Algorithm 1) or `every-launch` (any launch: what the paper's locality analysis assumes, every task gets D skips of its own); with skips only, not with the waits",
      ),
    preferLocal: z
      .boolean()
      .optional()
      .describe("pick node-local tasks first even when nothing is waited for (Hadoop without delay scheduling; the paper's D = 0)"),
    remoteSlowdown: z
      .number()
      .finite()
      .positive()
      .max(MAX_REMOTE_SLOWDOWN, { message: `at most ${n(MAX_REMOTE_SLOWDOWN)}` })
      .optional()
      .describe('run-time factor of tasks with preferences launched not node-local'),
    decisionJob: decisionJobOption("decision time per scheduling decision (one job), seconds (Omega's t_job, 0.1 in the paper)"),
    decisionTask: decisionTaskOption("further decision time per task the decision considers (all the job's pending tasks), seconds (Omega's t_task, 0.005)"),
    maxAttempts: maxAttemptsOption(
      'scheduling attempts after which a job not fully placed is abandoned (its pending tasks dropped); 0 means never (Omega: 1000)',
    ),
  })
  .superRefine((b, ctx) => {
    // Delay scheduling counts seconds or skips: the two together have no meaning.
    const waits = (b.nodeLocalWait ?? 0) > 0 || (b.rackLocalWait ?? 0) > 0;
    if (waits && ((b.nodeLocalSkips ?? 0) > 0 || (b.rackLocalSkips ?? 0) > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: [(b.nodeLocalSkips ?? 0) > 0 ? 'nodeLocalSkips' : 'rackLocalSkips'],
        message: 'delay scheduling takes waits in seconds (nodeLocalWait, rackLocalWait) or in skips (nodeLocalSkips, rackLocalSkips), not both',
      });
    }
    if (waits && b.resetSkipsOn !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['resetSkipsOn'],
        message: 'resetSkipsOn applies to delay scheduling in skips (nodeLocalSkips, rackLocalSkips), not to waits in seconds',
      });
    }
  });

/** The batch behaviour. */
export const BATCH = defineBehaviour({
  name: 'batch',
  description:
    'elastic Hadoop/Spark-like jobs of independent tasks, FIFO among its jobs, as many tasks per offer as fit; optional delay scheduling for data locality',
  options,
  defaults: D,
  example: { kind: 'batch', maxTasksPerOffer: 2 },
  create: (o) => new BatchFramework(o),
});
