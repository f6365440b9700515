/**
 * The README's policies table is generated, never typed: the committed table must equal what
 * `npm run policies-table` makes from scenarios/examples/policies.yaml and the registry of today.
 * The full table runs in a child process of the build (jest's module sandbox slows simulations
 * tenfold); the section handling and the skip rule are tested here on small inputs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAllocator, listAllocators } from '../allocators/registry.js';
import type { AllocatorEntry } from '../allocators/types.js';
import { InputError } from './errors.js';
import { loadScenario } from './loader.js';
import {
  ALLOCATORS_DOC,
  END_MARKER,
  PARAMS_MARKERS,
  allocatorParamsSection,
  POLICIES_SCENARIO,
  START_MARKER,
  currentSection,
  policiesSection,
  policiesTableMain,
  replaceSection,
  runPolicies,
} from './policies-table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(ROOT, 'dist', 'scenarios', 'policies-table.js');
const README = join(ROOT, 'README.md');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-policies-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The README with its generated section emptied. */
function blanked(): string {
  return replaceSection(readFileSync(README, 'utf8'), '');
}

function script(...args: string[]): { code: number; out: string; err: string } {
  try {
    const out = execFileSync(process.execPath, [SCRIPT, ...args], { stdio: 'pipe', encoding: 'utf8' });
    return { code: 0, out, err: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: e.stdout, err: e.stderr };
  }
}

describe('the committed README table', () => {
  test('equals what the script generates (run npm run policies-table when this fails)', () => {
    const copy = join(tmp, 'README.md');
    writeFileSync(copy, blanked());
    const doc = join(tmp, 'allocators.md');
    writeFileSync(doc, readFileSync(join(ROOT, ALLOCATORS_DOC), 'utf8'));
    const r = script('--readme', copy, '--doc', doc);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${doc}: policy reference unchanged\n${copy}: policies table rewritten\n`);
    const committed = readFileSync(README, 'utf8');
    expect(currentSection(readFileSync(copy, 'utf8'))).toBe(currentSection(committed));
    expect(readFileSync(copy, 'utf8')).toBe(committed);
  });

  test('has a row for every registered policy, or a note saying why it is left out', () => {
    const section = currentSection(readFileSync(README, 'utf8'));
    for (const e of listAllocators()) {
      expect([e.name, section.includes(`| \`${e.name}\` |`) || section.includes(`- \`${e.name}\` is not in the table`)]).toEqual([e.name, true]);
    }
  });

  test('--check exits 1 on a stale table and 2 on a README without markers; bad arguments exit 2', () => {
    const stale = join(tmp, 'stale.md');
    writeFileSync(stale, blanked());
    // the small golden scenario instead of policies.yaml, to keep the test quick
    const doc = join(tmp, 'stale-allocators.md');
    writeFileSync(doc, replaceSection(readFileSync(join(ROOT, ALLOCATORS_DOC), 'utf8'), '', ALLOCATORS_DOC, PARAMS_MARKERS));
    const r = script('--check', '--readme', stale, '--doc', doc, '--scenario', join(ROOT, 'scenarios', 'golden', 'small.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `${doc}: the policy reference is stale; run npm run policies-table\n${stale}: the policies table is stale; run npm run policies-table\n`,
    );
    expect(readFileSync(stale, 'utf8')).toBe(blanked());
    const none = join(tmp, 'none.md');
    writeFileSync(none, '# no markers\n');
    expect(script('--readme', none, '--doc', doc)).toEqual({
      code: 2,
      out: '',
      err: `${none}: expected one line ${START_MARKER} followed by one line ${END_MARKER}\n`,
    });
    expect(script('--bogus').code).toBe(2);
  });
});

describe('the policy reference in docs/allocators.md', () => {
  test('equals what the script generates from the registry (run npm run policies-table when this fails)', () => {
    const doc = readFileSync(join(ROOT, ALLOCATORS_DOC), 'utf8');
    expect(currentSection(doc, ALLOCATORS_DOC, PARAMS_MARKERS)).toBe(allocatorParamsSection());
  });

  test('gives each policy its description and a table of its documented parameters', () => {
    const entries: AllocatorEntry[] = [
      {
        name: 'plain',
        description: 'no parameters here',
        create: () => {
          throw new Error('unused');
        },
      },
      {
        name: 'tuned',
        description: 'two | parameters',
        params: [
          { name: 'a', description: 'the a\nof it', default: '1' },
          { name: 'b', description: 'the b', default: 'none' },
        ],
        create: () => {
          throw new Error('unused');
        },
      },
    ];
    expect(allocatorParamsSection(entries)).toBe(
      [
        '### `plain`',
        '',
        'no parameters here',
        '',
        'No parameters.',
        '',
        '### `tuned`',
        '',
        'two \\| parameters',
        '',
        '| parameter | meaning | default |',
        '|---|---|---|',
        '| `a` | the a of it | 1 |',
        '| `b` | the b | none |',
        '',
      ].join('\n'),
    );
  });
});

describe('the section between the markers', () => {
  const doc = `# t\n\nbefore\n\n${START_MARKER}\nold\n${END_MARKER}\n\nafter\n`;

  test('is replaced whole, the markers and the rest kept, and read back as written', () => {
    const out = replaceSection(doc, '| a |\n');
    expect(out).toBe(`# t\n\nbefore\n\n${START_MARKER}\n\n| a |\n\n${END_MARKER}\n\nafter\n`);
    expect(currentSection(out)).toBe('| a |\n');
    expect(replaceSection(out, '| a |\n')).toBe(out);
    const empty = replaceSection(doc, '');
    expect(empty).toBe(`# t\n\nbefore\n\n${START_MARKER}\n${END_MARKER}\n\nafter\n`);
    expect(currentSection(empty)).toBe('');
  });

  test('missing, repeated or reversed markers are bad input', () => {
    for (const bad of ['no markers', `${START_MARKER}\n${START_MARKER}\n${END_MARKER}\n`, `${END_MARKER}\n${START_MARKER}\n`]) {
      expect(() => replaceSection(bad, 'x')).toThrow(InputError);
    }
  });

  test('policiesTableMain reports bad arguments without running anything', () => {
    let err = '';
    expect(
      policiesTableMain(['--nope'], {
        out: () => {},
        err: (t) => {
          err += t;
        },
      }),
    ).toBe(2);
    expect(err).toMatch(/^policies-table: unknown argument --nope\nusage: /);
  });
});

describe('runPolicies and the table text', () => {
  const small = join(ROOT, 'scenarios', 'golden', 'small.yaml');
  const drf = getAllocator('drf')!;
  const twin: AllocatorEntry = { ...drf, name: 'drf-twin' };
  const needy: AllocatorEntry = {
    name: 'needy',
    description: 'needs a parameter',
    validate: (p) => (p['level'] === undefined ? [{ path: ['level'], message: 'required' }] : []),
    create: () => {
      throw new Error('never created');
    },
  };

  test('one row per runnable policy in the given order; identical runs and skipped policies get a note', () => {
    const result = runPolicies(small, [drf, needy, twin]);
    expect(result.seed).toBe(7);
    expect(result.runs.map((r) => r.policy)).toEqual(['drf', 'drf-twin']);
    expect(result.skipped).toEqual([{ policy: 'needy', reason: 'needs parameters: params.level: required' }]);
    // drf on small.yaml is the committed golden run: its summary.json gives the row's numbers.
    const golden = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'golden', 'small.expected', 'summary.json'), 'utf8')) as Record<string, number>;
    expect(result.runs[0]!.summary.jainArrivalMean).toBeCloseTo(golden['jain_arrival_mean']!, 6);
    const pct = (k: string): string => `${(golden[k]! * 100).toFixed(1)}%`;
    const f = (k: string, d: number): string => golden[k]!.toFixed(d);
    // the Jain column is the arrival window's (the whole run's adds the drain)
    const row =
      `| ${pct('utilisation_cpus')} / ${pct('utilisation_mem')} | ${f('jain_arrival_mean', 3)} / ${f('jain_arrival_min', 3)} | ` +
      `${f('completion_mean_s', 1)} / ${f('completion_p95_s', 1)} | ${f('queueing_delay_mean_s', 1)} | ${pct('offers_declined_share')} |`;
    const text = policiesSection(result, 'scenarios/golden/small.yaml');
    expect(text.split('\n').slice(0, 4)).toEqual([
      '| policy | utilisation cpus / mem | Jain while arriving: mean / min | completion mean / p95 (s) | queueing delay mean (s) | offers declined |',
      '|---|---:|---:|---:|---:|---:|',
      `| \`drf\` ${row}`,
      `| \`drf-twin\` ${row}`,
    ]);
    expect(text).toContain('from [scenarios/golden/small.yaml](scenarios/golden/small.yaml) (seed 7)');
    expect(text).toContain('- `drf-twin` made exactly the same event stream as `drf` here (with its default parameters).\n');
    expect(text).toContain('- `needy` is not in the table: it needs parameters: params.level: required.\n');
  });

  test('a policy that breaks on the workload is named', () => {
    const broken: AllocatorEntry = {
      name: 'broken',
      description: 'throws in every run',
      create: () => ({
        name: 'broken',
        setWeight: () => {},
        addFramework: () => {},
        removeFramework: () => {},
        activateFramework: () => {},
        deactivateFramework: () => {},
        addAgent: () => {},
        removeAgent: () => {},
        recover: () => {},
        allocate: () => {
          throw new Error('no runs today');
        },
      }),
    };
    expect(() => runPolicies(small, [broken])).toThrow(
      /^policy broken on .*small\.yaml: invariant broken at t=\d+ us in event allocate\(0\)@allocate: no runs today$/,
    );
  });

  test('the workload is a valid scenario with frameworks in roles of different weights', () => {
    const { scenario } = loadScenario(join(ROOT, POLICIES_SCENARIO));
    const weights = new Set(scenario.frameworks.map((f) => scenario.roles[f.role]?.weight ?? 1));
    expect(weights.size).toBeGreaterThanOrEqual(3);
  });
});
