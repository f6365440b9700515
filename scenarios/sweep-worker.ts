/**
 * A sweep worker thread: opens the sweep's scenario once (a user allocator module is imported in
 * this thread), then runs the points it is sent, one at a time, each into its run directory, and
 * answers each with its error, if any. The outputs are those of the main thread's runs: a point's
 * files depend only on its scenario and seed.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openScenario } from './loader.js';
import { runScenario } from './run.js';
import { loadPoint } from './sweep.js';

interface Data {
  readonly file: string;
  readonly overrides: readonly string[];
  readonly dir: string;
}

const data = workerData as Data;
const base = await openScenario(data.file, data.overrides);

parentPort!.on('message', (m: { params: Record<string, unknown>; seed: number; hash: string }) => {
  try {
    const point = loadPoint(base, [...data.overrides, ...Object.entries(m.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`)]);
    runScenario(point, { out: join(data.dir, 'points', m.hash), seed: m.seed });
    parentPort!.postMessage({});
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
