/**
 * Delay scheduling end to end on scenarios/examples/locality.yaml (40 agents of 4 cpus in 4
 * racks, one-block tasks with 3 replicas).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getAllocator } from '../allocators/registry.js';
import type { LogRecord } from '../sim/model/log.js';
import { parseScenarioText } from './loader.js';
import { simulateScenario } from './run.js';

const FILE = fileURLToPath(new URL('./examples/locality.yaml', import.meta.url));
const TEXT = readFileSync(FILE, 'utf8');
const BEHAVIOUR = '{ kind: batch, refuseSeconds: 1, nodeLocalWait: 3, rackLocalWait: 1, remoteSlowdown: 1.5 }';

function run(text: string) {
  const { scenario } = parseScenarioText(text, FILE);
  const launches: string[] = [];
  const sink = {
    record: (r: LogRecord) => {
      if (r.kind === 'task_state') launches.push(`${r.t} ${r.task} ${r.agent} ${r.state}`);
    },
  };
  const allocator = { entry: getAllocator('drf')!, module: undefined };
  const out = simulateScenario({ scenario, file: FILE, sha256: '', text: '', overrides: [], allocator }, { sinks: [sink], keepSamples: false });
  return { ...out, launches };
}

describe('delay scheduling on the locality example', () => {
  test('without delay about R/M = 3/40 of the tasks run node-local; with delay nearly all', () => {
    // Without delay a task runs on whichever agent's offer comes first: P(node-local) ~ 3/40 = 0.075.
    const plain = run(TEXT.replace(BEHAVIOUR, '{ kind: batch, refuseSeconds: 1 }'));
    const delayed = run(TEXT);
    expect(plain.metrics.summary.locality.tasks).toBe(delayed.metrics.summary.locality.tasks);
    expect(plain.metrics.summary.locality.node).toBeGreaterThan(0.03);
    expect(plain.metrics.summary.locality.node).toBeLessThan(0.15);
    expect(delayed.metrics.summary.locality.node).toBeGreaterThan(0.9);
    // remote slowdown off in `plain`; on in `delayed` but nearly nothing is slowed: faster jobs
    expect(delayed.metrics.summary.completion.mean).toBeLessThanOrEqual(plain.metrics.summary.completion.mean);
  });

  test('zero waits and no slowdown: the same launches as without any locality', () => {
    const noWaits = run(TEXT.replace(BEHAVIOUR, '{ kind: batch, refuseSeconds: 1 }'));
    const noLocality = run(TEXT.replace(BEHAVIOUR, '{ kind: batch, refuseSeconds: 1 }').replace('locality: { blocksPerTask: 1, replication: 3 }', ''));
    expect(noWaits.launches).toEqual(noLocality.launches);
    expect(noLocality.metrics.summary.locality.tasks).toBe(0);
    // only the task_locality records differ
    expect(noWaits.records - noLocality.records).toBe(noWaits.metrics.summary.locality.tasks);
  });
});
