/**
 * The dense indices the model hands across its public interfaces (the allocation port, the
 * behaviours' driver), branded so that an agent index passed where a framework index is expected
 * does not compile. The brands exist at compile time only: at run time each is a plain number, so
 * packed arrays inside their owners index with them at no cost. Imports nothing: every layer may
 * import its types.
 */

/** An agent's index in the master, dense, in order of registration, never reused. */
export type AgentIx = number & { readonly __brand: 'AgentIx' };
/** A framework's index in the master, dense, in order of registration, never reused. */
export type FrameworkIx = number & { readonly __brand: 'FrameworkIx' };
/** A task's index in the run's task table, dense, in order of submission. */
export type TaskIx = number & { readonly __brand: 'TaskIx' };
/** A job's index in the run's task table, dense, in order of submission. */
export type JobIx = number & { readonly __brand: 'JobIx' };

/**
 * The agent index `n`: for the owner that mints it (the master's agent table) and for tests that
 * name agents by literal. Elsewhere an `AgentIx` comes from the interface that handed it out.
 * @example agentIx(0) // the first agent registered
 */
export function agentIx(n: number): AgentIx {
  return n as AgentIx;
}

/** The framework index `n`, for the owner that mints it (the master) and for tests. */
export function frameworkIx(n: number): FrameworkIx {
  return n as FrameworkIx;
}

/** The task index `n`, for the owner that mints it (the task table) and for tests. */
export function taskIx(n: number): TaskIx {
  return n as TaskIx;
}

/** The job index `n`, for the owner that mints it (the task table) and for tests. */
export function jobIx(n: number): JobIx {
  return n as JobIx;
}
