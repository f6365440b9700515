/**
 * The scenario's `architecture` field: offers, monolithic or shared-state, with any policy that
 * ranks frameworks ordering them. Differential (the old allocator names are their architecture
 * with drf), hand-worked (a policy's order decides who gets a contended agent under each
 * non-offer architecture) and the rejections, each naming the field.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from '../sim/model/log.js';
import { simulate } from '../sim/model/simulation.js';
import { RecordingSink } from '../sim/model/test-support/scripted.js';
import { buildSimulation } from './build.js';
import { parseScenarioText } from './loader.js';
import { cli } from './test-support/cli.js';
import { ALLOCATOR_METHODS } from './user-allocator.js';
import { problems as problemsOf } from './test-support/problems.js';

function records(text: string, overrides: readonly string[] = []): LogRecord[] {
  const { scenario } = parseScenarioText(text, 'arch.yaml', overrides);
  const sink = new RecordingSink();
  simulate(buildSimulation(scenario, scenario.seed, [sink]));
  return sink.records;
}

const problems = (text: string, overrides: readonly string[] = []): string[] => problemsOf(text, overrides, 'arch.yaml');

/** Who launched a task at `t` seconds: the frameworks of the task_state running records then. */
function launchedAt(rs: readonly LogRecord[], t: number): string[] {
  const names = new Map<number, string>();
  for (const r of rs) if (r.kind === 'framework_added') names.set(r.framework, r.name);
  return rs.flatMap((r) => (r.kind === 'task_state' && r.state === 'running' && r.t === t * 1e6 ? [names.get(r.framework)!] : []));
}

// Two agents of 4 cpus and 4096 MB (8 cpus, 8192 MB in all). At t=0 aaa launches a task of
// 1 cpu and 4096 MB (it fills one agent's memory) and bbb one of 2 cpus and 512 MB, which fits
// only on the other agent; that agent keeps 2 cpus and 3584 MB. At t=10 both submit a task of
// 2 cpus and 512 MB: only one fits, and the policy's order decides whose.
//   drf (dominant share):  aaa max(1/8, 4096/8192) = 0.5,  bbb max(2/8, 512/8192) = 0.25 -> bbb first
//   cpu-share (cpus only): aaa 1/8 = 0.125,                bbb 2/8 = 0.25              -> aaa first
// The loser's task waits for the winner's 5 s task to end, and launches at t=15.
const CONTENDED = `
seed: 3
cluster:
  agents:
    - { count: 2, cpus: 4, mem: 4096 }
frameworks:
  - name: aaa
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 1, mem: 4096, duration: 100 }] }, { submit: 10, tasks: [{ cpus: 2, mem: 512, duration: 5 }] }] }
  - name: bbb
    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 2, mem: 512, duration: 100 }] }, { submit: 10, tasks: [{ cpus: 2, mem: 512, duration: 5 }] }] }
`;

describe('architecture: the policy orders the frameworks inside any architecture', () => {
  test.each(['monolithic', 'shared-state'])('%s: drf gives the contended room to bbb, cpu-share to aaa', (arch) => {
    const drf = records(CONTENDED, [`architecture=${arch}`, 'allocator=drf']);
    expect(launchedAt(drf, 0).sort()).toEqual(['aaa', 'bbb']);
    expect(launchedAt(drf, 10)).toEqual(['bbb']);
    expect(launchedAt(drf, 15)).toEqual(['aaa']);
    const cpu = records(CONTENDED, [`architecture=${arch}`, 'allocator=cpu-share']);
    expect(launchedAt(cpu, 10)).toEqual(['aaa']);
    expect(launchedAt(cpu, 15)).toEqual(['bbb']);
  });

  test('under offers the same scenario makes offers; without the field it runs under offers', () => {
    const offers = records(CONTENDED, ['architecture=offers']);
    expect(offers.some((r) => r.kind === 'offer_sent')).toBe(true);
    expect(records(CONTENDED)).toEqual(offers);
    expect(records(CONTENDED, ['architecture=monolithic']).some((r) => r.kind === 'offer_sent')).toBe(false);
  });

  test.each(['monolithic', 'shared-state'])('allocator: %s is that architecture with drf, record for record (quickstart)', (arch) => {
    const text = readFileSync(join('scenarios', 'examples', 'quickstart.yaml'), 'utf8');
    // Compared as text: a diff of two long record arrays would take jest minutes to print.
    const byName = records(text, [`allocator=${arch}`, 'duration=120']);
    const byField = records(text, [`architecture=${arch}`, 'allocator=drf', 'duration=120']);
    expect(byName.length).toBeGreaterThan(1000);
    expect(JSON.stringify(byField) === JSON.stringify(byName)).toBe(true);
    // and it is not the offer run
    expect(JSON.stringify(records(text, ['duration=120'])) === JSON.stringify(byName)).toBe(false);
  });
});

describe('architecture: verify', () => {
  test('a run under architecture: monolithic verifies clean (its tasks were placed without offers)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offersim-arch-'));
    try {
      writeFileSync(join(dir, 's.yaml'), `architecture: monolithic\nallocator: cpu-share\n${CONTENDED}`);
      expect((await cli('run', join(dir, 's.yaml'), '--events', '--out', join(dir, 'run'))).code).toBe(0);
      const v = await cli('verify', join(dir, 'run'));
      expect(v.err).toBe('');
      expect(v.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('architecture: a user module', () => {
  test('a ranking-only module (docs/examples/least-allocated.js) orders the frameworks under monolithic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offersim-arch-'));
    try {
      const out = join(dir, 'run');
      const r = await cli('run', 'docs/examples/custom-allocator.yaml', '--set', 'architecture=monolithic', '--set', 'duration=60', '--out', out);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, number>;
      expect(summary['offers_sent']).toBe(0);
      expect(summary['tasks_launched']).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('architecture: what is refused, naming the field', () => {
  test('a policy without a ranking port under a non-offer architecture', () => {
    expect(problems(CONTENDED, ['architecture=monolithic', 'allocator=fifo'])).toEqual([
      expect.stringMatching(
        // the value came from --set, not from a line of the file
        /^--set architecture=monolithic: the monolithic architecture places tasks without offers, .* allocator "fifo" has no ranking port .*\(asset, cpu-share, drf, random; docs\/allocators\.md\)$/,
      ),
    ]);
  });

  test('an allocator name that is an architecture, with another architecture', () => {
    expect(problems(CONTENDED, ['architecture=offers', 'allocator=shared-state'])).toEqual([
      expect.stringMatching(
        /^--set architecture=offers: allocator "shared-state" is the shared-state architecture with drf's order; for the offers architecture name a policy \(allocator: drf\), or leave architecture out$/,
      ),
    ]);
    // the same architecture twice is allowed
    expect(() => parseScenarioText(CONTENDED, 'arch.yaml', ['architecture=shared-state', 'allocator=shared-state'])).not.toThrow();
  });

  test('a behaviour that needs offers', () => {
    const text = `${CONTENDED}  - name: mpi\n    behaviour: gang\n    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 1, mem: 64, duration: 1, count: 2 }] }] }\n`;
    expect(problems(text, ['architecture=shared-state'])).toEqual([
      expect.stringMatching(
        /frameworks\[2\]\.behaviour: the gang behaviour needs offers; architecture "shared-state" places tasks without them \(shared-state\)$/,
      ),
    ]);
  });

  test('an unknown architecture', () => {
    expect(problems(CONTENDED, ['architecture=central'])).toEqual([
      expect.stringMatching(/^--set architecture=central: .*"offers".*"monolithic".*"shared-state"/),
    ]);
  });

  test('a user module without a ranking port, when the scenario is opened (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offersim-arch-'));
    try {
      writeFileSync(
        join(dir, 'plain.mjs'),
        `export default { name: 'plain', description: 'no ranking port', create: () => ({ name: 'plain', ${ALLOCATOR_METHODS.map((m) => `${m}() {}`).join(', ')} }) };\n`,
      );
      writeFileSync(join(dir, 's.yaml'), `allocator: { module: ./plain.mjs }\narchitecture: monolithic\n${CONTENDED}`);
      const r = await cli('validate', join(dir, 's.yaml'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /s\.yaml:2:15: architecture: the monolithic architecture places tasks without offers, .* the module "\.\/plain\.mjs" has no ranking port/,
      );
      // under offers the same module is fine
      writeFileSync(join(dir, 'o.yaml'), `allocator: { module: ./plain.mjs }\n${CONTENDED}`);
      expect((await cli('validate', join(dir, 'o.yaml'))).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
