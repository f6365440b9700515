/**
 * The gang behaviour's entry: rigid jobs whose tasks all start at one instant, declining or
 * hoarding offers (sim/model/frameworks/gang.ts).
 */
import { z } from 'zod';
import { GANG_DEFAULTS as D, GangFramework } from '../../sim/model/frameworks/index.js';
import { RESOURCE_NAMES } from '../../sim/model/resources.js';
import { span } from '../schema-fields.js';
import { defineBehaviour, type BehaviourCheckContext } from './entry.js';
import { decisionJobOption, decisionTaskOption, maxAttemptsOption, refuseSecondsOption } from './fields.js';

const options = z.strictObject({
  kind: z.literal('gang'),
  hoard: z
    .boolean()
    .default(D.hoard)
    .describe(
      "hold offers (do not answer them) while gathering enough for the head job; held offers count toward the framework's share. `false`: decline offers that cannot start the whole job",
    ),
  maxHoldSeconds: span
    .default(D.maxHoldSeconds)
    .describe(
      'with `hoard`: decline every held offer once the oldest has been held this long, seconds, checked when offers arrive; 0 means no limit (`master.offerTimeout` is the hard bound)',
    ),
  refuseSeconds: refuseSecondsOption(D.refuseSeconds),
  decisionJob: decisionJobOption("decision time per scheduling decision (one job), seconds (Omega's t_job)"),
  decisionTask: decisionTaskOption("further decision time per task the decision considers (the whole gang), seconds (Omega's t_task)"),
  maxAttempts: maxAttemptsOption('scheduling attempts after which a job none of whose tasks started is abandoned (all its tasks dropped); 0 means never'),
});

/** A gang job starts all its tasks at once: an inline one larger than the whole cluster never starts. */
function wholeJobsFit(ctx: BehaviourCheckContext): void {
  const w = ctx.workload;
  if (w?.kind !== 'inline') return;
  w.jobs.forEach((j, k) => {
    for (const r of RESOURCE_NAMES) {
      let need = 0;
      for (const t of j.tasks) need += t[r] * t.count;
      const have = ctx.total[r];
      if (need > have) {
        ctx.report(['workload', 'jobs', k], `this gang job needs ${need} ${r} at once, more than the cluster's ${have}: it could never start`);
        break;
      }
    }
  });
}

/** The gang behaviour. */
export const GANG = defineBehaviour({
  name: 'gang',
  description:
    'rigid MPI-like jobs that start all their tasks at one instant, FIFO; declines partial offers or hoards them (hoard: true); restarts a gang that loses a task; optional decision time',
  options,
  defaults: D,
  example: { kind: 'gang', hoard: true },
  create: (o) => new GangFramework(o),
  check: (_o, ctx) => wholeJobsFit(ctx),
});
