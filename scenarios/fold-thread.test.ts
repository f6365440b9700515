/**
 * The fold thread: a run whose metrics, fingerprint and record count are folded in a worker thread
 * writes the same files, byte for byte, as a run folded in its own thread (differential, through
 * the built command line, which is where the worker's module exists); the worker really ran
 * (timing.json says so); and a broken log reaches the caller from the worker as it would from the
 * fold in the run's thread.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogInvariantError, MetricsFold } from '../reports/metrics-fold.js';
import type { Sample } from '../reports/metrics.js';
import type { LogRecord } from '../sim/model/log.js';
import { RecordLog } from '../sim/model/record-log.js';
import { replay } from '../sim/model/test-support/replay.js';
import { FoldThread, SLOTS, THREAD_ROWS } from './fold-thread.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');
const WORKER = new URL('../dist/scenarios/fold-worker.js', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'offersim-fold-thread-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(file: string, out: string, flags: readonly string[]): void {
  const r = spawnSync(process.execPath, [CLI, 'run', join(ROOT, file), '--out', out, '--quiet', '--events', ...flags], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** A log whose last record is broken (an offer declined twice), after more than a slot of good ones. Written and flushed. */
function brokenLog(log: RecordLog): void {
  replay(log, [
    { kind: 'agent_added', t: 0, agent: 0, name: 'a', rack: '', res: [1000, 1000, 0, 0] },
    { kind: 'framework_added', t: 0, framework: 0, name: 'f', role: '*', weight: 1, behaviour: 'batch' },
    // More records than a slot holds, so that the worker starts before the broken one.
    ...Array.from({ length: THREAD_ROWS + 10 }, (_, i): LogRecord => ({ kind: 'revive', t: 1_000 + i, framework: 0 })),
    { kind: 'offer_sent', t: 3_000_000, offer: 0, framework: 0, agent: 0, res: [1000, 1000, 0, 0] },
    { kind: 'offer_declined', t: 3_500_000, offer: 0, framework: 0, agent: 0, refuse: 0 },
    { kind: 'offer_declined', t: 4_000_000, offer: 0, framework: 0, agent: 0, refuse: 0 },
  ]);
}

describe('fold thread', () => {
  // A run with locality (task_locality rows, about 19k records: one slot and a part), one with
  // failures (rescinds, lost tasks, framework removal; about 118k records: the ring wraps around),
  // the quickstart (about 670k records), and the golden run (2,753 records: it ends before the
  // first slot is full, so no worker starts and the folds run in the run's thread).
  test.each([
    ['scenarios/examples/locality.yaml', true],
    ['scenarios/examples/failures.yaml', true],
    ['scenarios/examples/quickstart.yaml', true],
    ['scenarios/golden/small.yaml', false],
  ] as const)('%s: every file but timing.json is the same byte for byte with and without the thread (worker started: %s)', (file, threaded) => {
    const name = file.replace(/\W/g, '_');
    const a = join(tmp, `${name}-thread`);
    const b = join(tmp, `${name}-plain`);
    run(file, a, ['--fold-thread']);
    run(file, b, ['--no-fold-thread']);
    expect(JSON.parse(readFileSync(join(a, 'timing.json'), 'utf8')).foldThread).toBe(threaded);
    expect(JSON.parse(readFileSync(join(b, 'timing.json'), 'utf8')).foldThread).toBe(false);
    const files = readdirSync(a).filter((f) => f !== 'timing.json');
    expect(files.sort()).toEqual(
      readdirSync(b)
        .filter((f) => f !== 'timing.json')
        .sort(),
    );
    expect(files).toContain('timeseries.csv');
    for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
  });

  test('the failures run fills more slots than the ring has, so the ring wraps around and slots are reused', () => {
    const manifest = JSON.parse(readFileSync(join(tmp, 'scenarios_examples_failures_yaml-thread', 'manifest.json'), 'utf8')) as { records: number };
    expect(manifest.records).toBeGreaterThan(SLOTS * THREAD_ROWS);
  });

  test('a broken log throws the fold’s LogInvariantError from the worker, and samples arrive in order', () => {
    const samples: number[] = [];
    const thread = new FoldThread(WORKER, { sampleInterval: 1_000_000, onSample: (s: Sample) => void samples.push(s.t) });
    brokenLog(new RecordLog([thread]));
    const inThread = new MetricsFold();
    let want: unknown;
    try {
      brokenLog(new RecordLog([inThread]));
    } catch (err) {
      want = err;
    }
    expect(want).toBeInstanceOf(LogInvariantError);
    let got: unknown;
    try {
      thread.finish();
    } catch (err) {
      got = err;
    } finally {
      thread.close();
    }
    expect(thread.threaded).toBe(true);
    expect(got).toBeInstanceOf(LogInvariantError);
    expect((got as Error).message).toBe((want as Error).message);
    // The rows up to the broken one were folded in order: reaching 4 s made the rows ending at 1, 2,
    // 3 and 4 s final before the record at 4 s was found broken.
    expect(samples).toEqual([1_000_000, 2_000_000, 3_000_000, 4_000_000]);
  });
});
