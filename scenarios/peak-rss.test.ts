/**
 * The peak resident set a run reports (timing.json, the memory tests, the benchmark) is the
 * process's own, not its parent's: a child of a large process reports what it used itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './test-support/child.js';

const MODULE = pathToFileURL(join(ROOT, 'dist', 'scenarios', 'peak-rss.js')).href;

(existsSync('/proc/self/status') ? test : test.skip)("a child started by a process holding 400 MB reports its own peak, not the parent's", () => {
  // The parent (this test) touches 400 MB; Linux carries its resident set at the fork into the
  // child's maxrss, so resourceUsage().maxRSS says at least that; the child itself needs about
  // 40 MB (a bare Node.js).
  const held = Buffer.alloc(400 << 20, 1);
  const script = `import { peakRssBytes } from ${JSON.stringify(MODULE)}; console.log(JSON.stringify({ own: peakRssBytes(), maxRss: process.resourceUsage().maxRSS * 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const { own, maxRss } = JSON.parse(r.stdout) as { own: number; maxRss: number };
  expect(held.length).toBe(400 << 20);
  expect(maxRss).toBeGreaterThan(400 * 2 ** 20);
  expect(own).toBeLessThan(150 * 2 ** 20);
  expect(own).toBeGreaterThan(10 * 2 ** 20);
});
