/**
 * offersim's library API: what `import ... from 'offersim'` gives (package.json `exports`), and
 * the whole of what the package promises to keep (docs/library.md). A scenario loaded and run into
 * a run directory, or simulated in memory; the model's `simulate` for a hand-built input; the
 * comparison of runs over seeds; the allocator and behaviour interfaces, so that a policy or a
 * scheduler model can be written in TypeScript; the metric catalogue. Every other module of the
 * package is internal and may change in any release.
 */

// Scenarios: load, run into a run directory, or simulate in memory.
export { loadScenario, openScenario, type LoadedScenario, type ResolvedAllocator } from './loader.js';
export { runScenario, simulateScenario, type AllocatorRecord, type RunOptions, type RunOutcome, type SimulateOptions, type SimulationOutcome } from './run.js';
export { buildSimulation } from './build.js';
export { ScenarioSchema, type Scenario } from './schema.js';
export { ExitCode, InputError, OutputError, UserAllocatorError, formatProblems, type Problem } from './errors.js';
export { VERSION } from './version.js';

// The model's simulation, for an input built by hand (or by buildSimulation).
export {
  simulate,
  type AgentFailureSpec,
  type AgentSpec,
  type FailureSpec,
  type FrameworkSpec,
  type SimulationInput,
  type SimulationResult,
} from '../sim/model/simulation.js';

// Comparing policies over seeds: from run or sweep directories (`offersim compare`), or from runs in memory.
export {
  compareCommand as compare,
  compareInputs,
  readRun,
  type CompareCommandOptions,
  type CompareInputOptions,
  type CompareOutcome,
  type RunInput,
} from './compare.js';
export {
  DEFAULT_COMPARE_METRICS,
  compareRuns,
  type CompareOptions,
  type CompareRow,
  type CompareRun,
  type CompareVerdict,
  type Comparison,
  type MetricInfo,
  type Unpaired,
} from '../reports/compare.js';
export { compareCsv, compareMarkdown, compareText } from '../reports/compare-table.js';

// Allocation policies: the port a policy implements, the entry a module exports, the registry.
export type {
  AllocationContext,
  Allocator,
  AllocatorEntry,
  AllocatorOptions,
  FrameworkInfo,
  OfferGranularity,
  ParamDoc,
  ParamProblem,
  Reservation,
} from '../allocators/types.js';
export type { SharePolicyEntry } from '../allocators/share-policy.js';
export type { ShareOf } from '../allocators/sorter/share-sorter.js';
export { allocatorNames, getAllocator, listAllocators } from '../allocators/registry.js';
export type { AgentIx, FrameworkIx, JobIx, TaskIx } from '../sim/model/ids.js';
export { RESOURCE_NAMES, FIXED_POINT, type ResourceName, type ResourceVector } from '../sim/model/resources.js';

// Framework behaviours (scheduler models): the interface the master calls, and the driver it answers through.
export type { FrameworkBehaviour, OfferView, SchedulerDriver } from '../sim/model/framework.js';
export type { BehaviourEntry } from './behaviours/entry.js';

// Metrics: what a run measured, and the catalogue that names, units and orders them.
export type { FrameworkRow, JobRow, MetricsResult, Sample, Summary } from '../reports/metrics.js';
export { FRAMEWORK_COLUMNS, SUMMARY_METRICS, type Direction, type Metric, type Unit } from '../reports/catalogue.js';
