/**
 * What a registered framework behaviour is: its name, a one-line description, its options as a zod
 * object (each option described, defaults taken from the model's defaults), and how to build it,
 * with the optional hooks that make it special (its own tasks, its own checks).
 * Imports zod and model types only.
 */
import type { z } from 'zod';
import type { FrameworkBehaviour } from '../../sim/model/framework.js';

/** A behaviour's validated options object: `kind` (its name) and its options, defaults filled in. */
export type BehaviourOptions = { readonly kind: string } & Readonly<Record<string, unknown>>;

/** A task's resources in scenario units (cores, MB, devices). */
export interface TaskAmounts {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
}

/** Tasks a behaviour brings itself instead of taking jobs from a workload (a service's instances). */
export interface OwnTasks {
  /** how many; they are submitted as one job `<framework>/<behaviour>` when the framework subscribes */
  readonly count: number;
  /** the resources of each; they never end (each lasts the run) */
  readonly task: TaskAmounts;
}

/** What a behaviour's own checks (BehaviourEntry.check) see of a validated scenario. */
export interface BehaviourCheckContext {
  /** the framework's name */
  readonly framework: string;
  /** the framework's workload, as validated; undefined when it has none */
  readonly workload:
    | { readonly kind: 'poisson' }
    | { readonly kind: 'inline'; readonly jobs: readonly { readonly tasks: readonly (TaskAmounts & { readonly count: number })[] }[] }
    | undefined;
  /** whether the run has a fixed duration (else it runs until every job has finished) */
  readonly hasDuration: boolean;
  /** the cluster's total of each resource, scenario units */
  readonly total: TaskAmounts;
  /** whether a task of these resources fits on some agent of the cluster */
  fits(task: TaskAmounts): boolean;
  /** reports a problem at `path` below the framework's entry (`['behaviour', 'task']`) */
  report(path: readonly PropertyKey[], message: string): void;
  /** reports a problem at `path` of the whole scenario (`['duration']`) */
  reportScenario(path: readonly PropertyKey[], message: string): void;
}

/** A behaviour as its entry file declares it, typed by its options schema. */
export interface BehaviourSpec<S extends z.ZodObject> {
  /** the name a scenario gives (`kind`); the behaviour's FrameworkBehaviour.kind */
  readonly name: string;
  /** one line for `offersim list frameworks` and the docs */
  readonly description: string;
  /** its options: `kind` (a literal, the name), then every option with `.describe()` text */
  readonly options: S;
  /** every option's default: what the behaviour applies when the option is not given */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** a small options object as a scenario gives it (the required options and a typical one), for the docs and the common tests */
  readonly example: z.input<S>;
  /** a new behaviour from validated options */
  create(options: z.output<S>): FrameworkBehaviour;
  /** the tasks it brings itself, if it takes none from a workload; default none */
  ownTasks?(options: z.output<S>): OwnTasks;
  /** checks of a validated scenario that only this behaviour needs, reported through the context; default none */
  check?(options: z.output<S>, context: BehaviourCheckContext): void;
}

/** A registered behaviour, its options type erased (see {@link defineBehaviour}). */
export interface BehaviourEntry {
  readonly name: string;
  readonly description: string;
  readonly options: z.ZodObject;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly example: BehaviourOptions;
  create(options: BehaviourOptions): FrameworkBehaviour;
  ownTasks?(options: BehaviourOptions): OwnTasks;
  check?(options: BehaviourOptions, context: BehaviourCheckContext): void;
}

/**
 * A behaviour's entry, checked against its own options schema here and erased for the registry,
 * which passes each hook only options that `spec.options` validated (see behaviours/index.ts).
 */
export function defineBehaviour<S extends z.ZodObject>(spec: BehaviourSpec<S>): TypedEntry<S> {
  return spec as unknown as TypedEntry<S>;
}

/** A registered behaviour that still knows its options schema (for the scenario's types). */
export type TypedEntry<S extends z.ZodObject> = Omit<BehaviourEntry, 'options'> & { readonly options: S };
