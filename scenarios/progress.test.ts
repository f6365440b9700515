/**
 * Progress of `offersim run` on stderr: one line redrawn in place on a terminal, plain lines
 * otherwise, none with --quiet; and nothing of it in the run directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogRecord } from '../sim/model/log.js';
import { main } from './main.js';
import { RunProgress, humanSeconds } from './progress.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');
// duration 600 s, 17,155 log records: four looks at the clock (every 4,096 records).
const GANG = join(HERE, 'examples', 'gang-service.yaml');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-progress-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Clear to the end of the line (ANSI), as a regular expression. */
const CLEAR = '\\x1b\\[K';

/** A record at `seconds` of simulated time (the sink reads only `t`). */
const at = (seconds: number): LogRecord => ({ kind: 'run_ended', t: seconds * 1_000_000, reason: 'duration' });

describe('RunProgress', () => {
  test('not a terminal, known end: a plain line each time another tenth is simulated, never a carriage return', () => {
    const lines: string[] = [];
    const p = new RunProgress({ write: (t) => lines.push(t), tty: false, endSeconds: 100 });
    // 40,960 records, the i-th at i / 409.6 s: the clock is looked at every 4,096 records, at
    // 10, 20, ..., 100 s, so each look crosses one more tenth: 10 lines (10% to 100%).
    for (let i = 1; i <= 40_960; i++) p.record(at(i / 409.6));
    p.finish();
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines[0]).toMatch(/^run: simulated 10 s of 100 s \(10%\), [\d,]+ records\/s/);
    expect(lines[9]).toMatch(/^run: simulated 100 s of 100 s \(100%\)/);
  });
  test('a terminal: one line redrawn in place (\\r and clear to the end), cleared when the run is over', () => {
    const out: string[] = [];
    const p = new RunProgress({ write: (t) => out.push(t), tty: true, endSeconds: undefined });
    for (let i = 1; i <= 4096; i++) p.record(at(i));
    p.finish();
    // The first look (at 4,096 records) draws; finish clears the line.
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(new RegExp(String.raw`^\rrun: simulated 68\.3 min, [\d,]+ records/s${CLEAR}$`));
    expect(out[1]).toBe('\r\x1b[K');
  });
  test('time left only when the end is known, from the share of it simulated', () => {
    const known = new RunProgress({ write: () => undefined, tty: false, endSeconds: 1000 });
    // 250 of 1000 s simulated in 10 s wall: 3 times as much to go, about 30 s.
    expect(known.line(250, 10)).toBe('run: simulated 4.2 min of 16.7 min (25%), 0 records/s, about 30 s left');
    const open = new RunProgress({ write: () => undefined, tty: false, endSeconds: undefined });
    expect(open.line(250, 10)).toBe('run: simulated 4.2 min, 0 records/s');
  });
  test('spans in the unit that suits them', () => {
    expect([0.25, 9.94, 90, 600, 9000, 2 * 86_400].map(humanSeconds)).toEqual(['0.3 s', '9.9 s', '90 s', '10.0 min', '2.5 h', '2.0 days']);
  });
});

describe('offersim run progress', () => {
  test('on a terminal: progress lines on stderr, and the run directory the same byte for byte as a --quiet run', async () => {
    const shown = join(tmp, 'shown');
    const quiet = join(tmp, 'quiet');
    let err = '';
    let out = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), tty: true };
    expect(await main(['run', GANG, '--out', shown], io)).toBe(0);
    // drawn at least once (the first look at the clock draws), and cleared at the end
    expect(err).toMatch(new RegExp(String.raw`^\rrun: simulated [^\n]*, [\d,]+ records/s[^\n]*${CLEAR}`));
    expect(err.endsWith('\r\x1b[K')).toBe(true);
    expect(out).not.toContain('\r');
    err = '';
    expect(await main(['run', GANG, '--out', quiet, '--quiet'], io)).toBe(0);
    expect(err).toBe('');
    // timing.json is the one file of wall-clock measures, with or without progress.
    const files = readdirSync(shown)
      .filter((f) => f !== 'timing.json')
      .sort();
    expect(files).toEqual(['frameworks.csv', 'jobs.csv', 'manifest.json', 'scenario.yaml', 'summary.json', 'timeseries-long.csv', 'timeseries.csv']);
    for (const f of files) expect([f, readFileSync(join(shown, f), 'utf8')]).toEqual([f, readFileSync(join(quiet, f), 'utf8')]);
  });
  test('the executable: plain lines when stderr is a pipe, a redrawn line under a terminal (script)', () => {
    const plain = spawnSync(process.execPath, [CLI, 'run', GANG, '--out', join(tmp, 'plain')], { encoding: 'utf8' });
    expect(plain.status).toBe(0);
    // 17,155 records looked at after 4,096, 8,192, 12,288 and 16,384, each in a later tenth of the 600 s.
    const lines = plain.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(/^run: simulated [\d.]+ (s|min) of 10\.0 min \(\d+%\), [\d,]+ records\/s, about [\d.]+ s left$/);
    expect(plain.stderr).not.toContain('\r');
    if (!existsSync('/usr/bin/script')) return;
    const tty = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${CLI} run ${GANG} --out ${join(tmp, 'tty')}`, '/dev/null'], { encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(new RegExp(String.raw`\rrun: simulated [^\r\n]*${CLEAR}`));
  });
});
