/**
 * `npm start`: the quickstart with its report, the path of report.html on the last line, and
 * re-runnable (the second run replaces the first's directory, which offersim wrote).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');

test('npm start runs the quickstart with its report, says where report.html is last, and runs again', () => {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start']!;
  // The build, then one command: run it as npm would (from the repository), into a directory of the test's.
  const [build, command] = script.split(' && ');
  expect(build).toBe('npm run build');
  expect(command).toMatch(/^node dist\/scenarios\/cli\.js run scenarios\/examples\/quickstart\.yaml --out runs\/quickstart --report$/);
  const tmp = mkdtempSync(join(tmpdir(), 'offersim-start-'));
  try {
    const out = join(tmp, 'quickstart');
    const argv = command!
      .split(' ')
      .slice(1)
      .map((a) => (a === 'runs/quickstart' ? out : a));
    for (const time of ['first', 'second']) {
      const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8' });
      expect([time, r.status]).toEqual([time, 0]);
      const lines = r.stdout.trimEnd().split('\n');
      expect([time, lines.at(-1)]).toEqual([time, `report ${join(out, 'report.html')}`]);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
