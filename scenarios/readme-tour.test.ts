/**
 * README's tour compares three policies over five seeds and pastes an excerpt of the table it
 * prints. This test runs the tour's commands as written (from the README, so they cannot drift)
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

/** The fenced blocks of the tour's "Compare policies" step: its commands and its pasted output. */
function tourBlocks(): { commands: string[][]; excerpt: string[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('**4. Compare policies.**');
  const end = readme.indexOf('**5. ', start);
  expect([start, end].every((i) => i > 0)).toBe(true);
  const blocks = [...readme.slice(start, end).matchAll(/```(\w*)\n([\s\S]*?)```/g)];
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const [sh, out] = [blocks[0]!, blocks[1]!];
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

test("README's compare tour: the commands run and the pasted table is what compare prints", () => {
  const { commands, excerpt } = tourBlocks();
  expect(commands.map((c) => c.slice(0, 3).join(' '))).toEqual(['npx offersim sweep', 'npx offersim compare']);
  let printed = '';
  for (const c of commands) {
    const r = spawnSync(process.execPath, [CLI, ...c.slice(2)], { cwd: tmp, encoding: 'utf8', timeout: 240_000 });
    expect([c.join(' '), r.status, r.stderr.split('\n').slice(-3).join('\n')]).toEqual([c.join(' '), 0, expect.any(String)]);
    printed = r.stdout;
  }
  const lines = new Set(printed.split('\n').map((l) => l.trimEnd()));
  // Every pasted line (header, column heads, the metric rows shown) is one compare printed.
  for (const l of excerpt) expect([l, lines.has(l.trimEnd())]).toEqual([l, true]);
  expect(excerpt.length).toBeGreaterThanOrEqual(6);
  for (const f of ['compare.html', 'compare.md', 'compare.csv', 'runs/policies/summary.csv', 'runs/policies/sweep-frameworks.csv']) {
    expect([f, existsSync(join(tmp, f))]).toEqual([f, true]);
  }
});
