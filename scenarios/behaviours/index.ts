/**
 * The framework behaviours (scheduler models) a scenario can name, keyed by name, as
 * workloads/trace/registry.ts keys the trace formats: one entry file each (batch.ts, gang.ts,
 * service.ts; entry.ts says what an entry holds). The scenario schema's `behaviour` fields, the
 * builder, the loader's checks, `offersim list frameworks` and the option tables of
 * docs/scenarios.md all derive from {@link BEHAVIOURS}: a new behaviour is its model file, its entry
 * file and one line here.
 */
import { z } from 'zod';
import type { FrameworkBehaviour } from '../../sim/model/framework.js';
import { BATCH } from './batch.js';
import type { BehaviourEntry, BehaviourOptions, OwnTasks } from './entry.js';
import { GANG } from './gang.js';
import { SERVICE } from './service.js';

export type { BehaviourCheckContext, BehaviourEntry, BehaviourOptions, OwnTasks, TaskAmounts } from './entry.js';

/** Every behaviour, sorted by name. */
export const BEHAVIOURS = [BATCH, GANG, SERVICE] as const;

/** The behaviour of a framework whose scenario entry names none. */
export const DEFAULT_BEHAVIOUR = 'batch';

type Entries = typeof BEHAVIOURS;
/** The options objects of the entries, as the tuple zod's discriminated union takes. */
type OptionsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { readonly options: infer S } ? S : never };
/** A behaviour's validated options object. */
export type BehaviourObject = z.output<Entries[number]['options']>;
/** A registered behaviour's name. */
export type BehaviourName = BehaviourObject['kind'];
/** A behaviour as a validated scenario holds it: a name (options all defaulted) or an options object. */
export type Behaviour = BehaviourName | BehaviourObject;

/** The entry named `name`, or undefined. */
export function behaviourEntry(name: string): BehaviourEntry | undefined {
  return BEHAVIOURS.find((e) => e.name === name);
}

/** Each behaviour's options when it is named alone; only those whose every option has a default may be. */
const NAMED = new Map<string, BehaviourOptions>();
for (const e of BEHAVIOURS) {
  const named = e.options.safeParse({ kind: e.name });
  if (named.success) NAMED.set(e.name, named.data);
}

/** The names a scenario may give alone (`behaviour: gang`), in registry order. */
export function namedAlone(): string[] {
  return BEHAVIOURS.filter((e) => NAMED.has(e.name)).map((e) => e.name);
}

/** Whether a behaviour takes its jobs from a workload or a trace (it brings no tasks of its own). */
export function takesJobs(e: BehaviourEntry): boolean {
  return e.ownTasks === undefined;
}

/**
 * A `behaviour` field: a name of `entries` that may stand alone, or an options object with `kind`,
 * defaulting to {@link DEFAULT_BEHAVIOUR}. Its type is every behaviour's, `entries` only narrowing
 * what it accepts.
 */
function behaviourField(entries: readonly BehaviourEntry[]) {
  const names = entries.filter((e) => NAMED.has(e.name)).map((e) => e.name) as [BehaviourName, ...BehaviourName[]];
  const objects = entries.map((e) => e.options) as unknown as OptionsOf<Entries>;
  return z.union([z.enum(names), z.discriminatedUnion('kind', objects)]).default(DEFAULT_BEHAVIOUR);
}

/** frameworks[].behaviour: any behaviour; default batch with its defaults. */
export const BehaviourSchema = behaviourField(BEHAVIOURS);

/** traces[].behaviour, of the frameworks a trace creates: the behaviours that take jobs; default batch. */
export const JobBehaviourSchema = behaviourField(BEHAVIOURS.filter(takesJobs));

/** The entry and the options object of a validated behaviour field. */
export function resolveBehaviour(b: Behaviour): { readonly entry: BehaviourEntry; readonly options: BehaviourOptions } {
  const options = typeof b === 'string' ? NAMED.get(b) : b;
  const entry = options === undefined ? undefined : behaviourEntry(options.kind);
  if (options === undefined || entry === undefined) throw new Error(`unknown behaviour ${JSON.stringify(b)}`);
  return { entry, options };
}

/** The registered name of a validated behaviour field. */
export function behaviourKind(b: Behaviour): string {
  return typeof b === 'string' ? b : b.kind;
}

/** A new behaviour from a validated behaviour field (a name alone: its defaults). */
export function createBehaviour(b: Behaviour): FrameworkBehaviour {
  const { entry, options } = resolveBehaviour(b);
  return entry.create(options);
}

/** The tasks a validated behaviour brings itself (a service's instances), or undefined. */
export function ownTasksOf(b: Behaviour): OwnTasks | undefined {
  const { entry, options } = resolveBehaviour(b);
  return entry.ownTasks?.(options);
}
