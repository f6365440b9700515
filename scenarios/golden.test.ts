/**
 * Golden run directories and the determinism contract (DESIGN.md section 9): the same scenario and
 * seed give byte-identical output files (all but timing.json) in one process and in a fresh
 * process; another seed changes the fingerprint. The committed golden directory is updated only
 * on purpose, with UPDATE_GOLDEN=1.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadScenario } from './loader.js';
import { runScenario } from './run.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');
const OUTPUT_FILES = ['frameworks.csv', 'jobs.csv', 'manifest.json', 'scenario.yaml', 'summary.json', 'timeseries-long.csv', 'timeseries.csv'];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-golden-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Every output file of a run directory except timing.json, by name. */
function outputs(dir: string): Record<string, string> {
  const files = readdirSync(dir)
    .filter((f) => f !== 'timing.json')
    .sort();
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('the committed golden run directory', () => {
  const scenario = join(HERE, 'golden', 'small.yaml');
  const expectedDir = join(HERE, 'golden', 'small.expected');

  test('scenarios/golden/small.yaml reproduces small.expected/ byte for byte', () => {
    const out = join(tmp, 'small');
    runScenario(loadScenario(scenario), { out });
    const got = outputs(out);
    expect(Object.keys(got)).toEqual(OUTPUT_FILES);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      rmSync(expectedDir, { recursive: true, force: true });
      mkdirSync(expectedDir, { recursive: true });
      for (const [f, text] of Object.entries(got)) writeFileSync(join(expectedDir, f), text);
    }
    expect(existsSync(expectedDir)).toBe(true);
    expect(got).toEqual(outputs(expectedDir));
  });
});

describe('determinism', () => {
  const quickstart = join(HERE, 'examples', 'quickstart.yaml');

  // The quickstart runs in child processes of the built CLI: jest's module sandbox slows this
  // simulation tenfold. One child runs it twice in one process; a second, fresh process once more.
  test('same scenario and seed: identical files in one process and in a fresh process', () => {
    const a = join(tmp, 'qa');
    const b = join(tmp, 'qb');
    const c = join(tmp, 'qc');
    const dist = (f: string): string => pathToFileURL(join(ROOT, 'dist', 'scenarios', f)).href;
    const twice = [
      `import { loadScenario } from ${JSON.stringify(dist('loader.js'))};`,
      `import { runScenario } from ${JSON.stringify(dist('run.js'))};`,
      'const [file, ...outs] = process.argv.slice(1);',
      'for (const out of outs) runScenario(loadScenario(file), { out });',
    ].join('\n');
    execFileSync(process.execPath, ['--input-type=module', '-e', twice, quickstart, a, b], { stdio: 'pipe' });
    execFileSync(process.execPath, [CLI, 'run', quickstart, '--out', c], { stdio: 'pipe' });
    const first = outputs(a);
    expect(Object.keys(first)).toEqual(OUTPUT_FILES);
    expect(outputs(b)).toEqual(first);
    expect(outputs(c)).toEqual(first);
    expect(readdirSync(c)).toContain('timing.json');
  });

  test('another seed gives another event stream', () => {
    const small = loadScenario(join(HERE, 'golden', 'small.yaml'));
    const r7 = runScenario(small, { out: join(tmp, 's7') });
    const r8 = runScenario(small, { out: join(tmp, 's8'), seed: 8 });
    expect(r7.seed).toBe(7);
    expect(r8.seed).toBe(8);
    expect(r8.fingerprint).not.toBe(r7.fingerprint);
    const m8 = JSON.parse(readFileSync(join(tmp, 's8', 'manifest.json'), 'utf8')) as { seed: number; fingerprint: string };
    expect(m8.seed).toBe(8);
    expect(m8.fingerprint).toBe(r8.fingerprint);
  });

  test('--events writes one JSON record a line, and the same files otherwise', () => {
    const small = loadScenario(join(HERE, 'golden', 'small.yaml'));
    const plain = runScenario(small, { out: join(tmp, 'plain') });
    const withEvents = runScenario(small, { out: join(tmp, 'ev'), events: true });
    expect(withEvents.fingerprint).toBe(plain.fingerprint);
    const lines = readFileSync(join(tmp, 'ev', 'events.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(plain.records);
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: expect.any(String), t: 0 });
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ kind: 'run_ended', reason: 'completed' });
    const { ['events.jsonl']: _events, ...rest } = outputs(join(tmp, 'ev'));
    expect(rest).toEqual(outputs(join(tmp, 'plain')));
  });
});
