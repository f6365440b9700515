/**
 * A sweep worker thread: opens each point it is sent as the main thread does (its own allocator;
 * a user module imported once in this thread), checks that the point hashes as the main thread
 * computed, runs it into its run directory, and answers with its error, if any. The outputs are
 * those of the main thread's runs: a point's files depend only on its scenario and seed.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { OutputError, inputErrorOf } from './errors.js';
import { runScenario } from './run.js';
import { pointHash, pointOpener, pointOverrides } from './sweep-points.js';
import type { PointAnswer, PointMessage } from './sweep.js';

interface Data {
  readonly file: string;
  readonly overrides: readonly string[];
  readonly dir: string;
}

const data = workerData as Data;
const open = pointOpener(data.file);

async function runPoint(m: PointMessage): Promise<void> {
  const point = await open(pointOverrides(data.overrides, m.params));
  const hash = pointHash(point, m.seed);
  if (hash !== m.hash)
    throw new Error(`the point opens as ${hash} in a worker thread, not ${m.hash}: did ${data.file} or a file it names change during the sweep?`);
  runScenario(point, { out: join(data.dir, 'points', m.hash), seed: m.seed });
}

// The main thread sends the next point only after this one's answer: one point at a time.
parentPort!.on('message', (m: PointMessage) => {
  runPoint(m).then(
    () => parentPort!.postMessage({} satisfies PointAnswer),
    (err: unknown) => {
      const input = inputErrorOf(err);
      parentPort!.postMessage(
        (err instanceof OutputError
          ? { output: { path: err.problems[0]?.file ?? '', message: err.problems[0]?.message ?? err.message, code: err.code } }
          : input !== undefined
            ? { error: input.message, input: true }
            : { error: err instanceof Error ? err.message : String(err) }) satisfies PointAnswer,
      );
    },
  );
});
