/**
 * One run of raw scenario data in this process, with what the laws compare: the texts of
 * summary.json, jobs.csv, frameworks.csv and timeseries.csv, every log record and the fingerprint.
 * Test-only (excluded from the build); goes through the loader's validation and the runner.
 */
import { getAllocator } from '../../allocators/registry.js';
import type { LogRecord } from '../../sim/model/log.js';
import { frameworksCsv, jobsCsv, summaryJson, timeseriesCsv } from '../../reports/index.js';
import { parseScenarioText, type LoadedScenario } from '../loader.js';
import { simulateScenario } from '../run.js';
import { allocatorSpec } from '../schema.js';

/** The outputs of one run that the laws compare. */
export interface RunTexts {
  readonly summary: string;
  readonly jobs: string;
  readonly frameworks: string;
  readonly timeseries: string;
  readonly fingerprint: string;
  readonly records: readonly LogRecord[];
}

/** Validates raw scenario data (as a YAML file would hold it) into a loaded scenario of a registered policy. */
export function loadDraft(draft: object, file = 'generated.yaml'): LoadedScenario {
  const text = JSON.stringify(draft);
  const { scenario } = parseScenarioText(text, file);
  const name = allocatorSpec(scenario.allocator).name;
  const entry = name === undefined ? undefined : getAllocator(name);
  if (entry === undefined) throw new Error(`${file}: not a registered allocator`);
  return { scenario, file, sha256: '', text, overrides: [], allocator: { entry, module: undefined } };
}

/** Runs a loaded scenario (with an optional seed override) and returns its outputs. */
export function runLoaded(loaded: LoadedScenario, seed?: number): RunTexts {
  const records: LogRecord[] = [];
  const sim = simulateScenario(loaded, {
    seed,
    sinks: [
      {
        record: (r) => {
          records.push(r);
        },
      },
    ],
  });
  const m = sim.metrics;
  return {
    summary: summaryJson(m.summary),
    jobs: jobsCsv(m.jobs),
    frameworks: frameworksCsv(m.frameworks),
    timeseries: timeseriesCsv(m.samples, m.frameworks),
    fingerprint: sim.fingerprint,
    records,
  };
}

/** Validates and runs raw scenario data. */
export function runDraft(draft: object, seed?: number): RunTexts {
  return runLoaded(loadDraft(draft), seed);
}
