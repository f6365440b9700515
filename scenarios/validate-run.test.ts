/**
 * Whatever `validate` accepts, `run` can run: a number of a bundled scenario changed to an
 * extreme value either fails validation (exit 2, every line naming the file, no stack) or runs
 * to completion (exit 0, nothing on stderr). A fast-check property with a fixed seed; the runs go
 * through the built CLI in child processes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isScalar, parseDocument, visit } from 'yaml';
import { CLI, ENV, ROOT } from './test-support/child.js';
import { cli } from './test-support/cli.js';

const FC = { seed: Number(process.env['FC_SEED'] ?? 14), numRuns: Number(process.env['FC_RUNS'] ?? 40) } as const;

/** Small bundled scenarios: a run to completion, a fixed-length run with a service and a gang, one with arrivals after addAt. */
const SCENARIOS = ['scenarios/golden/small.yaml', 'scenarios/examples/gang-service.yaml', 'scenarios/mesos/unreserved-drf.yaml'];

/**
 * Values at and past the limits (scenarios/limits.ts): negative, zero, below the clock's 1 us,
 * past the latest instant and the longest span, past 2^53 thousandths, past a double, not finite.
 */
const EXTREMES = ['-1', '0', '0.001', '0.0000004', '17500001', '35000000', '9000000000001', '9007199254740992', '1e21', '1.8e308', '.inf', '-.inf', '.nan'];

/** The source ranges [start, end) of every number written in `text`. */
function numberRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  visit(parseDocument(text), {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'number' && node.range !== undefined && node.range !== null) out.push([node.range[0], node.range[1]]);
    },
  });
  return out;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-validate-run-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

test('a number changed to an extreme value fails validation (exit 2) or runs (exit 0)', async () => {
  const texts = SCENARIOS.map((f) => readFileSync(join(ROOT, f), 'utf8'));
  const ranges = texts.map(numberRanges);
  let n = 0;
  const outcomes = { rejected: 0, ran: 0 };
  const mutation = fc.integer({ min: 0, max: SCENARIOS.length - 1 }).chain((s) =>
    fc.record({
      s: fc.constant(s),
      at: fc.integer({ min: 0, max: ranges[s]!.length - 1 }),
      value: fc.constantFrom(...EXTREMES),
    }),
  );
  await fc.assert(
    fc.asyncProperty(mutation, async ({ s, at, value }) => {
      const [start, end] = ranges[s]![at]!;
      const text = `${texts[s]!.slice(0, start)}${value}${texts[s]!.slice(end)}`;
      const file = join(tmp, `m${n++}.yaml`);
      writeFileSync(file, text);
      const v = await cli('validate', file);
      expect(v.err).not.toMatch(/internal error|\n\s+at /);
      if (v.code === 2) {
        outcomes.rejected++;
        for (const line of v.err.trimEnd().split('\n')) expect(line.startsWith(`${file}:`)).toBe(true);
        return;
      }
      expect(v.code).toBe(0);
      outcomes.ran++;
      // A generous guard against a run that never ends; these runs take a second or two.
      const r = spawnSync(process.execPath, [CLI, 'run', file, '--quiet', '--out', join(tmp, `run-${n}`)], { encoding: 'utf8', env: ENV, timeout: 120_000 });
      expect({ code: r.status, err: r.stderr }).toEqual({ code: 0, err: '' });
    }),
    FC,
  );
  // Both outcomes occur: the property is not vacuous.
  expect(outcomes.rejected).toBeGreaterThan(0);
  expect(outcomes.ran).toBeGreaterThan(0);
}, 600_000);
