/**
 * offersim check through the CLI: the bundled examples match their committed baselines, a
 * deliberately unfair allocator (every agent to the first framework that can take it) is caught
 * as a fairness regression (exit 1), and bad baselines are bad input (exit 2). Runs go through
 * child processes of the built CLI (jest's sandbox slows simulations tenfold).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-check-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** An allocator module that offers every agent, whole, to the lowest-numbered active framework not filtered there. */
const UNFAIR = `export default {
  name: 'first-come',
  description: 'every agent to the first framework that can take it (deliberately unfair)',
  params: [],
  validate: () => [],
  create() {
    const active = [];
    return {
      name: 'first-come',
      setWeight() {},
      addFramework(f) { active[f.index] = true; },
      removeFramework(fw) { active[fw] = false; },
      activateFramework(fw) { active[fw] = true; },
      deactivateFramework(fw) { active[fw] = false; },
      addAgent() {}, removeAgent() {}, recover() {},
      allocate(ctx, agents) {
        const free = new Float64Array(4);
        for (const a of agents) {
          ctx.available(a, free);
          if (!ctx.isAllocatable(free)) continue;
          for (let fw = 0; fw < active.length; fw++) {
            if (active[fw] !== true || ctx.isFiltered(fw, a, free)) continue;
            ctx.offer(fw, a, free);
            break;
          }
        }
      },
    };
  },
};
`;

describe('offersim check', () => {
  test.each(['quickstart', 'locality', 'reservations', 'gang-service', 'failures'])('scenarios/examples/%s.yaml matches its committed baseline', (name) => {
    const out = join(tmp, name);
    expect(cli('run', join(ROOT, 'scenarios', 'examples', `${name}.yaml`), '--out', out).code).toBe(0);
    const r = cli('check', out, '--baseline', join(ROOT, 'scenarios', 'baselines', `${name}.json`));
    expect(r.out).toMatch(/no regression against/);
    expect(r.code).toBe(0);
  });

  test('a deliberately unfair allocator is a fairness regression: exit 1, with the table as Markdown', () => {
    const module = join(tmp, 'first-come.js');
    writeFileSync(module, UNFAIR);
    const out = join(tmp, 'unfair');
    const run = cli('run', join(ROOT, 'scenarios', 'examples', 'quickstart.yaml'), '--out', out, '--set', `allocator={module: ${module}}`);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const md = join(tmp, 'check.md');
    const r = cli('check', out, '--baseline', join(ROOT, 'scenarios', 'baselines', 'quickstart.json'), '--markdown', md);
    expect(r.code).toBe(1);
    // fairness is gated over the arrival window; the whole run's index is shown, not gated
    expect(r.out).toMatch(/^jain_arrival_mean .* REGRESSION$/m);
    expect(r.out).toMatch(/^jain_mean .* changed$/m);
    expect(readFileSync(md, 'utf8')).toMatch(/\| `jain_arrival_mean` \|.*\*\*REGRESSION\*\*/);
  });

  test('--update-baseline writes a baseline the same run then passes', () => {
    const out = join(tmp, 'quickstart');
    const file = join(tmp, 'new-baseline.json');
    expect(cli('check', out, '--baseline', file, '--update-baseline').code).toBe(0);
    expect(cli('check', out, '--baseline', file).code).toBe(0);
  });

  test('a bad baseline or a directory without a run is bad input (exit 2), naming the field', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ source: 's', metrics: { jain_mean: { value: 1, better: 'up', tolerance: {} } } }));
    const r = cli('check', join(tmp, 'quickstart'), '--baseline', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/metrics\.jain_mean\.better/);
    expect(cli('check', tmp, '--baseline', bad).code).toBe(2);
  });
});
