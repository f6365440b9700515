/**
 * The service behaviour's entry: long-running tasks it brings itself (instances x task), kept at
 * their count under placement constraints (sim/model/frameworks/service.ts).
 */
import { z } from 'zod';
import { SERVICE_DEFAULTS as D, SERVICE_UNRESERVE, ServiceFramework } from '../../sim/model/frameworks/index.js';
import { RESOURCE_FIELDS, taskCount } from '../schema-fields.js';
import { defineBehaviour, type BehaviourCheckContext, type TaskAmounts } from './entry.js';
import { decisionJobOption, decisionTaskOption, refuseSecondsOption } from './fields.js';

const options = z.strictObject({
  kind: z.literal('service'),
  instances: taskCount.describe('number of tasks to keep running'),
  task: z.strictObject(RESOURCE_FIELDS).describe('resources of each task: `cpus`, `mem`, `disk`, `gpus` (each default 0); some resource, fitting on an agent'),
  maxPerAgent: z.number().int().positive().default(D.maxPerAgent).describe('most instances on one agent'),
  spreadRacks: z.boolean().default(D.spreadRacks).describe('place each instance on the offered rack with the fewest instances'),
  refuseSeconds: refuseSecondsOption(D.refuseSeconds),
  // Optional rather than defaulted, so that the resolved scenario (manifest.json) of a run that
  // does not use them is what it was before they existed.
  reserve: z
    .boolean()
    .optional()
    .describe("reserve, for the framework's role, what each instance launches on (Mesos RESERVE in the accept), so that its replacement finds it kept"),
  unreserve: z
    .enum(SERVICE_UNRESERVE)
    .optional()
    .describe(
      "`never` keeps reservations (as Mesos does); `unused` unreserves the reserved part of an offer the service's launches leave unused, within what it reserved there",
    ),
  decisionJob: decisionJobOption("decision time per scheduling decision, seconds (Omega's t_job)"),
  decisionTask: decisionTaskOption("further decision time per instance the decision considers (those still to place), seconds (Omega's t_task)"),
});

/** A service's tasks never end and come from the behaviour: a run needs a duration, the framework no workload, the task some resource that fits. */
function serviceChecks(task: TaskAmounts, ctx: BehaviourCheckContext, reserve: boolean | undefined, unreserve: string | undefined): void {
  if (unreserve !== undefined && unreserve !== 'never' && reserve !== true)
    ctx.report(['behaviour', 'unreserve'], `unreserve: ${unreserve} gives back what the service reserved: it needs reserve: true`);
  if (!ctx.hasDuration) ctx.reportScenario(['duration'], `framework "${ctx.framework}" is a service, whose tasks never end: give the run a duration`);
  if (ctx.workload !== undefined) ctx.report(['workload'], 'a service takes its tasks from behaviour.instances and behaviour.task; remove the workload');
  if (!ctx.fits(task)) ctx.report(['behaviour', 'task'], 'this task fits on no agent of the cluster');
  if (task.cpus === 0 && task.mem === 0 && task.disk === 0 && task.gpus === 0) ctx.report(['behaviour', 'task'], 'a task must need some resource');
}

/** The service behaviour. */
export const SERVICE = defineBehaviour({
  name: 'service',
  description: 'long-running tasks that never end, kept at their instance count, at most maxPerAgent per agent, spread over racks; optional decision time',
  options,
  defaults: D,
  example: { kind: 'service', instances: 3, task: { cpus: 1, mem: 512 } },
  create: (o) => new ServiceFramework(o),
  ownTasks: (o) => ({ count: o.instances, task: o.task }),
  check: (o, ctx) => serviceChecks(o.task, ctx, o.reserve, o.unreserve),
});
