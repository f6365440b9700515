/**
 * README's tour compares three policies over five seeds, and the same workload under Mesos and
 * YARN's two schedulers, pasting an excerpt of each table compare prints. This test runs the tour's commands as written (from the README, so they cannot drift)
 * in a fresh directory and checks that every pasted line is a line compare really prints, and that
 * the files the tour names are written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');

/**
 * The fenced blocks of the tour's "Compare policies" step: pair `k` of its commands and their
 * pasted output (0: three policies; 1: Mesos against YARN).
 */
function tourBlocks(k = 0): { commands: string[][]; excerpt: string[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('**4. Compare policies.**');
  const end = readme.indexOf('**5. ', start);
  expect([start, end].every((i) => i > 0)).toBe(true);
  const blocks = [...readme.slice(start, end).matchAll(/```(\w*)\n([\s\S]*?)```/g)];
  expect(blocks.length).toBeGreaterThanOrEqual(2 * k + 2);
  const [sh, out] = [blocks[2 * k]!, blocks[2 * k + 1]!];
  expect(sh[1]).toBe('sh');
  const lines = sh[2]!
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return { commands: lines.map(words), excerpt: out[2]!.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '...') };
}

/** A command line split into words as sh would for these lines: spaces, and '...' quoting. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-tour-'));
  symlinkSync(join(ROOT, 'scenarios'), join(tmp, 'scenarios'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the tour's commands `commands` in the scratch directory; what the last printed on stdout. */
function runTour(commands: readonly string[][]): string {
  expect(commands.map((c) => c.slice(0, 3).join(' '))).toEqual(['npx offersim sweep', 'npx offersim compare']);
  let printed = '';
  for (const c of commands) {
    const r = spawnSync(process.execPath, [CLI, ...c.slice(2)], { cwd: tmp, encoding: 'utf8', timeout: 240_000 });
    expect([c.join(' '), r.status, r.stderr.split('\n').slice(-3).join('\n')]).toEqual([c.join(' '), 0, expect.any(String)]);
    printed = r.stdout;
  }
  return printed;
}

/** Every pasted line (header, column heads, the metric rows shown) is one compare printed. */
function expectPasted(excerpt: readonly string[], printed: string): void {
  const lines = new Set(printed.split('\n').map((l) => l.trimEnd()));
  for (const l of excerpt) expect([l, lines.has(l.trimEnd())]).toEqual([l, true]);
  expect(excerpt.length).toBeGreaterThanOrEqual(6);
}

test("README's compare tour: the commands run and the pasted table is what compare prints", () => {
  const { commands, excerpt } = tourBlocks();
  expectPasted(excerpt, runTour(commands));
  for (const f of ['compare.html', 'compare.md', 'compare.csv', 'runs/policies/summary.csv', 'runs/policies/sweep-frameworks.csv']) {
    expect([f, existsSync(join(tmp, f))]).toEqual([f, true]);
  }
});

test("README's Mesos-against-YARN comparison: the example sweep runs and the pasted table is what compare prints", () => {
  const { commands, excerpt } = tourBlocks(1);
  expect(commands[0]).toContain('scenarios/examples/mesos-vs-yarn.yaml');
  const printed = runTour(commands);
  expectPasted(excerpt, printed);
  // the three policies are the ones the example's points name
  for (const label of ['A  architecture=offers (reference)', 'B  architecture=yarn yarn.scheduler=capacity', 'C  architecture=yarn yarn.scheduler=fair'])
    expect(excerpt.map((l) => l.trim())).toContain(label);
}, 240_000);
