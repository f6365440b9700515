/**
 * Trace workloads in scenarios: a canonical fixture mapped to frameworks by a job attribute, with
 * a window, time compression, resource scale, sampling and block placement; a cluster from a
 * trace; bad input named by file and line; the counts in the manifest. Every expected value is
 * worked out by hand below from workloads/trace/fixtures/small.jsonl and cluster.jsonl.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobSpec } from '../sim/model/job.js';
import { buildAgents, buildSimulation } from './build.js';
import { InputError } from './errors.js';
import { loadScenario, openScenario } from './loader.js';
import { runScenario, simulateScenario } from './run.js';
import type { TraceCounts } from './trace-source.js';

const FIXTURES = fileURLToPath(new URL('../workloads/trace/fixtures/', import.meta.url));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-traces-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Writes a scenario into the fixtures' folder's sibling temp dir, pointing at the fixtures by absolute path. */
function scenario(trace: string, extra = ''): string {
  const file = join(tmp, `s${Math.abs(hash(trace + extra))}.yaml`);
  writeFileSync(
    file,
    `
seed: 3
cluster:
  traces:
    - { file: ${join(FIXTURES, 'cluster.jsonl')}, format: canonical }
traces:
  - ${trace}
${extra}`,
  );
  return file;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

function jobsOf(file: string, collect?: (get: () => TraceCounts) => void): JobSpec[] {
  const s = loadScenario(file).scenario;
  return [...buildSimulation(s, s.seed, [], undefined, collect).jobs];
}

const MAPPED = `{ file: ${join(FIXTURES, 'small.jsonl')}, frameworkBy: user, frameworkPrefix: user-, window: { from: 5, until: 100 }, timeScale: 0.5 }`;

describe('a canonical trace mapped to frameworks', () => {
  // small.jsonl, window [5, 100), submit times (t - 5) x 0.5:
  //   a  t=0    before the window                      -> skipped: before-window
  //   b  t=5    u2, 2 tasks of 2 cpus, 4 s              -> user-u2 at 0 s
  //   c  t=10   u1, 64 cpus: no agent has more than 4   -> skipped: fits-nowhere
  //   (line 4 is not JSON                               -> read: bad-line)
  //   d  t=20   no user attribute                       -> skipped: no-user
  //   e  t=30   u3, block f#1 (+ an unknown agent)      -> user-u3 at 12.5 s
  //   f  t=40   u1, block f#1                           -> user-u1 at 17.5 s, same agents as e
  //   g  t=100  at the window's end                     -> skipped: after-window; reading stops
  test('jobs, their frameworks, times and preferences', () => {
    const jobs = jobsOf(scenario(MAPPED));
    expect(jobs.map((j) => [j.id, j.framework, j.submit / 1e6, j.tasks.length])).toEqual([
      ['trace-0/b', 'user-u2', 0, 2],
      ['trace-0/e', 'user-u3', 12.5, 1],
      ['trace-0/f', 'user-u1', 17.5, 1],
    ]);
    // 3 replicas capped at the 2 agents: the block is on both, the same for e and f
    expect([...jobs[1]!.tasks[0]!.preferredAgents!].sort()).toEqual(['m1', 'm2']);
    expect(jobs[2]!.tasks[0]!.preferredAgents).toEqual(jobs[1]!.tasks[0]!.preferredAgents);
    expect(jobs[0]!.tasks[0]!.preferredAgents).toBeUndefined();
  });

  test('frameworks are created from the attribute, in order of first appearance in the window', () => {
    const s = loadScenario(scenario(MAPPED)).scenario;
    const input = buildSimulation(s, 1, []);
    // b (u2), then c (u1: it fits nowhere, but its framework exists), then e (u3)
    expect(input.frameworks.map((f) => [f.name, f.role, f.behaviour.kind])).toEqual([
      ['user-u2', '*', 'batch'],
      ['user-u1', '*', 'batch'],
      ['user-u3', '*', 'batch'],
    ]);
  });

  test('the counts say what became of every line and job', () => {
    let get: (() => TraceCounts) | undefined;
    jobsOf(scenario(MAPPED), (g) => {
      get = g;
    });
    expect(get!()).toEqual({
      name: 'trace-0',
      file: join(FIXTURES, 'small.jsonl'),
      format: 'canonical',
      // 8 lines read (g's too), one not JSON
      read: { lines: 8, ignored: 0, rows: 8, rowsUsed: 7, skipped: { 'bad-line': 1 }, jobs: 7, tasks: 1 + 2 + 1 + 1 + 1 + 1 + 1, notes: {} },
      complete: false,
      jobs: 7,
      submitted: 3,
      tasksSubmitted: 4,
      skipped: { 'after-window': 1, 'before-window': 1, 'fits-nowhere': 1, 'no-user': 1 },
      // e's preferred agent "elsewhere"
      unknownPreferences: 1,
    });
  });

  test('resource scale, roles from an attribute and a gang behaviour for created frameworks', () => {
    const file = scenario(
      `{ file: ${join(FIXTURES, 'small.jsonl')}, frameworkBy: user, roleBy: queue, rolePrefix: q-, behaviour: gang, window: { from: 5, until: 100 }, scale: { cpus: 0.5 } }`,
    );
    const s = loadScenario(file).scenario;
    const input = buildSimulation(s, 1, []);
    // roles from the first job seen of each framework: b q2, c q1, e none (*)
    expect(input.frameworks.map((f) => [f.name, f.role, f.behaviour.kind])).toEqual([
      ['u2', 'q-q2', 'gang'],
      ['u1', 'q-q1', 'gang'],
      ['u3', '*', 'gang'],
    ]);
    // b's tasks: 2 cpus x 0.5 = 1 cpu = 1000 in fixed point; c: 64 x 0.5 = 32 still fits nowhere
    const jobs = [...input.jobs];
    expect(jobs[0]!.tasks[0]!.res[0]).toBe(1000);
    expect(jobs.map((j) => j.id)).toEqual(['trace-0/b', 'trace-0/e', 'trace-0/f']);
  });

  test('a sample keeps a seeded fraction: the same seed the same jobs, the counts add up', () => {
    const file = scenario(`{ file: ${join(FIXTURES, 'small.jsonl')}, framework: one, sample: 0.5 }`, 'frameworks:\n  - { name: one, behaviour: batch }');
    const runs = [1, 1, 2, 3, 4, 5].map((seed) => {
      const s = loadScenario(file).scenario;
      let get: (() => TraceCounts) | undefined;
      const jobs = [
        ...buildSimulation(s, seed, [], undefined, (g) => {
          get = g;
        }).jobs,
      ].map((j) => j.id);
      const c = get!();
      // all 7 jobs: submitted + sampled out + fits-nowhere (c, when drawn)
      expect(c.submitted + Object.values(c.skipped).reduce((a, b) => a + b, 0)).toBe(7);
      return jobs.join(' ');
    });
    expect(runs[1]).toBe(runs[0]);
    expect(new Set(runs).size).toBeGreaterThan(1);
  });
});

describe('a cluster from a trace', () => {
  test('agents in file order with their racks and resources', () => {
    const agents = buildAgents(loadScenario(scenario(MAPPED)).scenario);
    expect(agents.map((a) => [a.name, a.rack, Array.from(a.res)])).toEqual([
      ['m1', 'r1', [4000, 1000000, 0, 0]],
      ['m2', 'r2', [4000, 1000000, 0, 1000]],
    ]);
  });
});

describe('bad trace input', () => {
  test('unknown formats, missing files and undeclared frameworks are named with their fields', () => {
    const bad = scenario(`{ file: ${join(tmp, 'missing.jsonl')}, format: xml, framework: nobody }`);
    let message = '';
    try {
      loadScenario(bad);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      message = err.message;
    }
    expect(message).toMatch(/traces\[0\]\.format: unknown job trace format "xml"; known: canonical, swf/);
    expect(message).toMatch(/traces\[0\]\.file: no such file/);
    expect(message).toMatch(/traces\[0\]\.framework: framework "nobody" is not declared/);
  });

  test('strict: the first bad line stops the run with its file and line (exit 2 from the CLI), and no run directory is left', async () => {
    const file = scenario(`{ file: ${join(FIXTURES, 'small.jsonl')}, framework: one, strict: true }`, 'frameworks:\n  - { name: one }');
    const loaded = await openScenario(file);
    const out = join(tmp, 'strict-run');
    // c (line 3) fits nowhere; in strict mode that stops the run
    expect(() => runScenario(loaded, { out })).toThrow(/small\.jsonl:3:.*fits on no agent/);
    expect(() => readFileSync(join(out, 'manifest.json'))).toThrow();
  });

  test('the run manifest reports each trace with the hash of its file', async () => {
    const file = scenario(MAPPED);
    const out = join(tmp, 'mapped-run');
    runScenario(await openScenario(file), { out });
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { inputs: { file: string }[]; traces: TraceCounts[] };
    expect(m.inputs.map((i) => i.file)).toEqual([join(FIXTURES, 'cluster.jsonl'), join(FIXTURES, 'small.jsonl')]);
    expect(m.traces[0]!.submitted).toBe(3);
    expect(simulateScenario(await openScenario(file)).traces[0]!.complete).toBe(false);
  });
});
