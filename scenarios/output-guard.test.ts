/**
 * No command deletes or overwrites what offersim did not write: run --out, the default
 * runs/<name>, sweep --out, merge --out, report DIR and import --out each refuse (exit 2, one
 * line naming the path and why) a place holding someone else's files, and leave those files as
 * they were; what offersim wrote itself is replaced as before. Refusals run in this process
 * (nothing is simulated); runs, sweeps and the cases that depend on the working directory run
 * in child processes of the built CLI.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, spawnCli as spawnIn } from './test-support/child.js';
import { cli } from './test-support/cli.js';

const SMALL = join(ROOT, 'scenarios', 'golden', 'small.yaml');
/** A run directory offersim wrote (all but timing.json), committed. */
const GOLDEN_RUN = join(ROOT, 'scenarios', 'golden', 'small.expected');
const SWF = join(ROOT, 'workloads', 'trace', 'fixtures', 'small.swf');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-guard-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The built CLI in a child process, in directory `cwd`. */
const spawnCli = (cwd: string, ...args: string[]): ReturnType<typeof spawnIn> => spawnIn(args, cwd);

/** Every file under `dir`, by relative path, with its text: what must be left as it was. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(join(dir, rel)).sort()) {
    const p = join(rel, f);
    if (statSync(join(dir, p)).isDirectory()) {
      out[`${p}/`] = '';
      Object.assign(out, tree(dir, p));
    } else out[p] = readFileSync(join(dir, p), 'utf8');
  }
  return out;
}

/** A directory of someone's own files. */
function userDir(name: string): string {
  const d = join(tmp, name);
  mkdirSync(join(d, 'sub'), { recursive: true });
  writeFileSync(join(d, 'notes.txt'), 'my notes\n');
  writeFileSync(join(d, 'sub', 'data.csv'), 'a,b\n1,2\n');
  return d;
}

/** Expects a refusal: exit 2, one line on stderr naming `path` and matching `why`. */
function expectRefused(r: { code: number; out: string; err: string }, path: string, why: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(why);
}

describe('run --out', () => {
  test('a directory of other files is refused and left as it was; no partial sibling is left', async () => {
    const d = userDir('mine');
    const before = tree(d);
    expectRefused(await cli('run', SMALL, '--out', d), d, /is not an offersim run directory \(no offersim manifest\.json\)/);
    expect(tree(d)).toEqual(before);
    expect(readdirSync(tmp).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  test("an offersim run directory with a file offersim does not write, or a manifest that is not a run's, is refused", async () => {
    const run = join(tmp, 'run-plus');
    cpSync(GOLDEN_RUN, run, { recursive: true });
    writeFileSync(join(run, 'notes.txt'), 'mine\n');
    const before = tree(run);
    expectRefused(await cli('run', SMALL, '--out', run), run, /it holds notes\.txt, which offersim does not write/);
    expect(tree(run)).toEqual(before);
    const other = join(tmp, 'other-manifest');
    mkdirSync(other);
    writeFileSync(join(other, 'manifest.json'), '{"name": "my project"}\n');
    expectRefused(await cli('run', SMALL, '--out', other), other, /not an offersim run manifest/);
    expect(readFileSync(join(other, 'manifest.json'), 'utf8')).toBe('{"name": "my project"}\n');
  });

  test('an empty path and an existing file are refused', async () => {
    expectRefused(await cli('run', SMALL, '--out', ''), "--out ''", /an empty path/);
    const f = join(tmp, 'a-file');
    writeFileSync(f, 'keep\n');
    expectRefused(await cli('run', SMALL, '--out', f), f, /names an existing file/);
    expect(readFileSync(f, 'utf8')).toBe('keep\n');
  });

  test('the directory of the scenario, one of its ancestors, or the current directory is refused even with --force', () => {
    const project = join(tmp, 'project');
    mkdirSync(join(project, 'work'), { recursive: true });
    cpSync(SMALL, join(project, 's.yaml'));
    const before = tree(project);
    for (const [cwd, out, why] of [
      [tmp, project, /holds .*s\.yaml, an input of this run/],
      [join(project, 'work'), tmp, /is the current directory or one of its ancestors/],
      [join(project, 'work'), '.', /is the current directory or one of its ancestors/],
    ] as const) {
      expectRefused(spawnCli(cwd, 'run', join(project, 's.yaml'), '--out', out, '--force'), out, why);
    }
    expectRefused(spawnCli(tmp, 'run', join(project, 's.yaml'), '--out', project), project, /an input of this run/);
    expect(tree(project)).toEqual(before);
  });

  test('an offersim run directory and an empty directory are replaced; --force replaces a directory of other files', () => {
    const run = join(tmp, 'replace-run');
    cpSync(GOLDEN_RUN, run, { recursive: true });
    writeFileSync(join(run, 'summary.json'), '{}\n');
    const empty = join(tmp, 'replace-empty');
    mkdirSync(empty);
    const forced = userDir('replace-forced');
    for (const [d, extra] of [
      [run, []],
      [empty, []],
      [forced, ['--force']],
    ] as const) {
      const r = spawnCli(tmp, 'run', SMALL, '--out', d, ...extra);
      expect([d, r.code, r.err]).toEqual([d, 0, '']);
      // the run's own files, no others: the committed golden run plus timing.json
      expect(readdirSync(d).sort()).toEqual([...readdirSync(GOLDEN_RUN), 'timing.json'].sort());
      expect(readFileSync(join(d, 'summary.json'), 'utf8')).toBe(readFileSync(join(GOLDEN_RUN, 'summary.json'), 'utf8'));
    }
  });
});

describe('the scenario name and the default output directory runs/<name>', () => {
  test('a name outside letters, digits, ".", "_", "-" (or starting with ".") is bad input at its line', async () => {
    const bad = join(tmp, 'bad-name.yaml');
    writeFileSync(bad, `name: ../..\n${readFileSync(SMALL, 'utf8').replace(/^name: .*$/m, '')}`);
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:1:7: name: a scenario name .* letters, digits`));
    for (const name of ['..', '.hidden', 'a/b', 'x'.repeat(101), '']) {
      const v = await cli('validate', SMALL, '--set', `name=${JSON.stringify(name)}`);
      expect([name, v.code]).toEqual([name, 2]);
    }
    for (const name of ['a', 'run-1.v2_x', 'x'.repeat(100)]) expect((await cli('validate', SMALL, '--set', `name=${name}`)).code).toBe(0);
  });

  test('a name taken from a file name that would leave runs/ is refused, and runs/ is left as it was', () => {
    const work = join(tmp, 'dot-name');
    mkdirSync(join(work, 'runs', 'earlier'), { recursive: true });
    writeFileSync(join(work, 'runs', 'earlier', 'keep.txt'), 'keep\n');
    // "..yaml" without a name: the name would be "." (the file name without its extension)
    writeFileSync(join(work, '..yaml'), readFileSync(SMALL, 'utf8').replace(/^name: .*$/m, ''));
    const before = tree(work);
    expectRefused(spawnCli(work, 'run', '..yaml'), '.', /does not name a directory inside .*runs/);
    expect(tree(work)).toEqual(before);
  });
});

describe('sweep --out and merge --out', () => {
  /** A one-point sweep of the golden scenario: a real sweep directory. */
  function sweep(out: string): void {
    const r = spawnCli(tmp, 'sweep', SMALL, '--out', out, '--workers', '1', '--set', 'sweep.matrix.allocator=[drf]', '--set', 'sweep.seeds=[7]');
    expect([r.code, r.err]).toEqual([0, expect.any(String)]);
  }

  test('sweep into a directory of other files is refused, leftovers that look like ours included', () => {
    const d = userDir('sweep-mine');
    mkdirSync(join(d, 'points', 'x.partial-1'), { recursive: true });
    writeFileSync(join(d, 'points', 'x.partial-1', 'mine.txt'), 'mine\n');
    const before = tree(d);
    expectRefused(spawnCli(tmp, 'sweep', SMALL, '--out', d, '--set', 'sweep.seeds=[7]'), d, /is not an offersim sweep directory \(no offersim sweep\.json\)/);
    expect(tree(d)).toEqual(before);
  });

  test('merge refuses a directory of other files and any of its own inputs; it merges into a new one', () => {
    const shard = join(tmp, 'shard');
    sweep(shard);
    const before = tree(shard);
    const d = userDir('merge-mine');
    const mine = tree(d);
    expectRefused(spawnCli(tmp, 'merge', shard, '--out', d), d, /is not an offersim sweep directory/);
    expect(tree(d)).toEqual(mine);
    for (const out of [shard, join(shard, 'points'), tmp])
      expectRefused(spawnCli(tmp, 'merge', shard, '--out', out), out, /overlaps .*shard, one of the directories merged/);
    expect(tree(shard)).toEqual(before);
    const merged = join(tmp, 'merged');
    expect(spawnCli(tmp, 'merge', shard, '--out', merged).code).toBe(0);
    expect(readFileSync(join(merged, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(shard, 'sweep.csv'), 'utf8'));
  });
});

describe('report DIR', () => {
  test('only into an offersim run or sweep directory, never over a charts/ folder or report.html of someone else', async () => {
    // the files of a run, but a manifest that is not offersim's
    const fake = join(tmp, 'fake-run');
    cpSync(GOLDEN_RUN, fake, { recursive: true });
    writeFileSync(join(fake, 'manifest.json'), '{"offersim": "yes"}\n');
    const fakeBefore = tree(fake);
    expectRefused(await cli('report', fake), fake, /not an offersim run directory \(manifest\.json is not an offersim run manifest/);
    expect(tree(fake)).toEqual(fakeBefore);
    const charts = join(tmp, 'run-charts');
    cpSync(GOLDEN_RUN, charts, { recursive: true });
    mkdirSync(join(charts, 'charts'));
    writeFileSync(join(charts, 'charts', 'my-plot.pdf'), 'mine\n');
    const chartsBefore = tree(charts);
    expectRefused(await cli('report', charts), charts, /charts\/my-plot\.pdf is not a chart offersim writes/);
    expect(tree(charts)).toEqual(chartsBefore);
    const page = join(tmp, 'run-page');
    cpSync(GOLDEN_RUN, page, { recursive: true });
    writeFileSync(join(page, 'report.html'), '<html><title>my report</title></html>\n');
    const pageBefore = tree(page);
    expectRefused(await cli('report', page), page, /report\.html is not an offersim report page/);
    expect(tree(page)).toEqual(pageBefore);
  });
});

describe('import --out', () => {
  test('the input itself is refused, even with --force, and left as it was', async () => {
    const input = join(tmp, 'trace.swf');
    cpSync(SWF, input);
    for (const force of [[], ['--force']]) expectRefused(await cli('import', 'swf', input, '--out', input, ...force), input, /is an input of this import/);
    expect(readFileSync(input, 'utf8')).toBe(readFileSync(SWF, 'utf8'));
  });

  test("an existing file offersim did not write is refused; --force overwrites it; offersim's own output is replaced", async () => {
    const out = join(tmp, 'jobs.jsonl');
    writeFileSync(out, 'my jobs\n');
    expectRefused(await cli('import', 'swf', SWF, '--out', out), out, /offersim did not write it \(no import manifest/);
    expect(readFileSync(out, 'utf8')).toBe('my jobs\n');
    expect(existsSync(`${out}.manifest.json`)).toBe(false);
    expect((await cli('import', 'swf', SWF, '--out', out, '--force')).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(first).not.toBe('my jobs\n');
    // now offersim's: a second import replaces it without --force
    expect((await cli('import', 'swf', SWF, '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    // a manifest or problems file beside it that is not offersim's is refused too
    const other = join(tmp, 'other.jsonl');
    writeFileSync(`${other}.problems.csv`, 'my problems\n');
    expectRefused(await cli('import', 'swf', SWF, '--out', other), `${other}.problems.csv`, /not an offersim problems file/);
    expect(readFileSync(`${other}.problems.csv`, 'utf8')).toBe('my problems\n');
    expectRefused(await cli('import', 'swf', SWF, '--out', ''), "--out ''", /an empty path/);
  });
});
