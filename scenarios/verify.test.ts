/**
 * `offersim verify` end to end: every bundled scenario run with --events verifies clean (exit 0),
 * and so do random small scenarios; a targeted corruption of a real run directory breaks the
 * invariant it should, named on the offending line and in the verdict (exit 1); bad input exits 2.
 */
import fc from 'fast-check';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAllocator } from '../allocators/registry.js';
import { summaryJson } from '../reports/index.js';
import { LogVerifier, formatViolation, summaryViolations } from '../reports/verify.js';
import type { LogRecord } from '../sim/model/log.js';
import { simulateScenario } from './run.js';
import { cli } from './test-support/cli.js';
import { loadDraft } from './test-support/law-runs.js';
import { allocatorName, draftArb, type Draft } from './test-support/random-scenario.js';
import { SHOWN_VIOLATIONS } from './verify.js';
import { VERSION } from './version.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const yamls = (dir: string): string[] =>
  readdirSync(join(HERE, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`);

/** Cuts that keep the long examples' runs short (a run ended by its duration verifies as well). */
const CUTS: Readonly<Record<string, readonly string[]>> = {
  'examples/quickstart.yaml': ['duration=20'],
  'examples/policies.yaml': ['duration=60'],
  // Its first agent removal falls at 210 s, so agent_removed is checked.
  'examples/failures.yaml': ['duration=300'],
  'examples/reservations.yaml': ['duration=200'],
  // Its first agent losses (and reservations kept across re-registration) fall before 600 s.
  'examples/dynamic-reservations.yaml': ['duration=600'],
  'examples/sweep.yaml': ['duration=120'],
  'examples/gang-service.yaml': ['duration=120'],
  'examples/locality.yaml': ['duration=100'],
  'examples/mesos-vs-yarn.yaml': ['duration=120'],
  // 1,000 of its 10,000 agents for 20 s, under offers with the allocator cost model (its base point is monolithic without it)
  'examples/allocation-time.yaml': ['duration=20', 'cluster.agents.0.count=1000', 'architecture=offers', 'master.allocationCost=mesos-2019'],
  // Its first tasks go unreachable at 705 s (etl is partition-aware); their agent is back at 741.7 s.
  'examples/partition.yaml': ['duration=900'],
};

/** Every bundled scenario (whatever the folders hold now), then the examples under the two non-offer baselines. */
const BUNDLED: readonly (readonly [name: string, file: string, sets: readonly string[]])[] = [
  ...[...yamls('examples'), 'golden/small.yaml', ...yamls('mesos')].map((f) => [f, f, CUTS[f] ?? []] as const),
  ['policies.yaml under monolithic', 'examples/policies.yaml', ['duration=60', 'allocator=monolithic']],
  ['policies.yaml under shared-state', 'examples/policies.yaml', ['duration=60', 'allocator=shared-state']],
  [
    'allocation-time.yaml, monolithic with the cost model',
    'examples/allocation-time.yaml',
    ['duration=20', 'cluster.agents.0.count=1000', 'architecture=monolithic', 'master.allocationCost=mesos-2019'],
  ],
];

/**
 * A run with every lifecycle record in 84 lines. Agents agent-0..2 (4 cpus each). keeper's six
 * 120 s tasks go to agents 1 and 2; leaver's three to agent 0. leaver disconnects at 5 and is
 * removed at 5 + 10 = 15 (its 3 tasks killed, its job dropped), its job arriving at 20 is dropped
 * at once, its reregistration at 35 refused. agent-1 fails at 10: first unanswered ping at 15, lost
 * at 15 + 75 = 90 (its 4 tasks lost, rerun as copies), back at 110. The run completes at 210.
 */
const LIFECYCLE = `name: lifecycle
seed: 5
cluster:
  agents:
    - { count: 3, cpus: 4, mem: 4096 }
failures:
  agents:
    - { agent: agent-1, at: 10, downFor: 100 }
frameworks:
  - name: keeper
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [ { cpus: 1, mem: 512, duration: 120, count: 6 } ] }
  - name: leaver
    failover: { disconnectAt: 5, reconnectAfter: 30 }
    failoverTimeout: 10
    workload:
      kind: inline
      jobs:
        - { submit: 0, tasks: [ { cpus: 1, mem: 512, duration: 60, count: 3 } ] }
        - { submit: 20, tasks: [ { cpus: 1, mem: 512, duration: 5 } ] }
`;

let tmp: string;
/** Run directories the corruptions start from: small.yaml, the lifecycle run, policies under monolithic. */
let small: string;
let lifecycle: string;
let direct: string;

/** offersim run FILE --events --out OUT --set ... in this process; it must succeed. */
async function run(out: string, file: string, sets: readonly string[]): Promise<void> {
  const r = await cli('run', file, '--events', '--quiet', '--out', out, ...sets.flatMap((s) => ['--set', s]));
  expect([r.code, r.err]).toEqual([
    0,
    /^sweep:/m.test(readFileSync(file, 'utf8')) ? expect.stringMatching(/has a sweep block: this runs only its base point/) : '',
  ]);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-verify-'));
  small = join(tmp, 'base-small');
  await run(small, join(HERE, 'golden', 'small.yaml'), []);
  writeFileSync(join(tmp, 'lifecycle.yaml'), LIFECYCLE);
  lifecycle = join(tmp, 'base-lifecycle');
  await run(lifecycle, join(tmp, 'lifecycle.yaml'), []);
  direct = join(tmp, 'base-direct');
  await run(direct, join(HERE, 'examples', 'policies.yaml'), ['duration=30', 'allocator=monolithic']);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const records = (dir: string): LogRecord[] =>
  readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as LogRecord);
const manifestRecords = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { records: number }).records;

describe('every bundled scenario verifies clean', () => {
  test.each(BUNDLED)('%s', async (name, file, sets) => {
    const out = join(tmp, name.replace(/[^a-z0-9]+/gi, '-'));
    await run(out, join(HERE, file), sets);
    const r = await cli('verify', out);
    expect(r.err).toBe('');
    // The verdict counts what it read (every record the manifest says the run logged) and the
    // fingerprint it recomputed (the run's own).
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { records: number; fingerprint: string };
    const baseline = sets.some((s) => /(allocator|architecture)=(monolithic|shared-state)/.test(s));
    expect(r.out).toBe(
      `offersim ${VERSION}: ${out}: ${m.records} records, fingerprint ${m.fingerprint}${baseline ? ' (a run without offers)' : ''}: ` +
        'every invariant holds; summary.json and manifest.json agree with the events\n',
    );
    expect(r.code).toBe(0);
    if (file === 'examples/failures.yaml') expect(records(out).some((x) => x.kind === 'agent_removed')).toBe(true);
  });

  test('the list holds every bundled scenario folder', () => {
    expect(BUNDLED.filter(([n]) => n.startsWith('examples/')).length).toBeGreaterThanOrEqual(7);
    expect(BUNDLED.filter(([n]) => n.startsWith('mesos/')).length).toBeGreaterThanOrEqual(6);
  });
});

/** A random scenario, with decision time and abandonment on some of its batch and gang frameworks. */
function withDecisions(d: Draft, k: number): Draft {
  const frameworks = d.frameworks.map((f, i) => {
    const b = typeof f.behaviour === 'string' ? { kind: f.behaviour } : f.behaviour;
    if (b.kind === 'service' || (i + k) % 2 === 0) return f;
    return { ...f, behaviour: { ...b, decisionJob: 0.5, decisionTask: 0.1, maxAttempts: (k % 3) + 1 } };
  });
  return { ...d, frameworks } as Draft;
}

describe('random small scenarios verify clean', () => {
  // Failures, failovers, gang restarts, reservations, quota, both baselines, decision time and
  // abandonment: every log the model writes satisfies every invariant, and its summary agrees.
  test('property', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(draftArb(), fc.integer({ min: 0, max: 5 }), (d0, k) => {
        const d = k < 3 ? withDecisions(d0, k) : d0;
        const loaded = loadDraft(d);
        const violations: string[] = [];
        const verifier = new LogVerifier({
          direct: (getAllocator(allocatorName(d))?.architecture ?? 'offers') !== 'offers',
          onViolation: (v) => violations.push(formatViolation(v)),
        });
        let line = 0;
        const sim = simulateScenario(loaded, {
          sinks: [
            {
              record: (r) => {
                seen.add(r.kind);
                verifier.record(r, ++line);
              },
            },
          ],
        });
        const counts = verifier.finish();
        for (const v of summaryViolations(JSON.parse(summaryJson(sim.metrics.summary)) as Record<string, unknown>, counts)) violations.push(formatViolation(v));
        expect(violations).toEqual([]);
        expect(counts.records).toBe(sim.records);
        expect(counts.fingerprint).toBe(sim.fingerprint);
      }),
      { seed: 20_250_601, numRuns: 60 },
    );
    // The draws reached the lifecycle records (each of these kinds was checked at least once).
    for (const k of ['agent_removed', 'framework_removed', 'job_dropped', 'job_abandoned', 'job_restarted', 'decision', 'offer_rescinded'])
      expect([k, seen.has(k)]).toEqual([k, true]);
  });
});

/**
 * Copies run directory `base` to a new directory and applies `edit` to its events.jsonl lines (and
 * `files` to its other files); returns the copy and its edited lines.
 */
let copies = 0;
function corrupt(
  base: string,
  edit: (lines: string[]) => void,
  files: Readonly<Record<string, (text: string) => string>> = {},
): { dir: string; lines: string[] } {
  const dir = join(tmp, `corrupt-${++copies}`);
  cpSync(base, dir, { recursive: true });
  const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  edit(lines);
  writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  for (const [f, change] of Object.entries(files)) writeFileSync(join(dir, f), change(readFileSync(join(dir, f), 'utf8')));
  return { dir, lines };
}

/** Index (from 0) of the first line whose record satisfies `pred`. */
function find(lines: readonly string[], pred: (r: LogRecord) => boolean): number {
  const i = lines.findIndex((l) => pred(JSON.parse(l) as LogRecord));
  if (i < 0) throw new Error('no such record in the base run');
  return i;
}
const rec = (line: string): LogRecord => JSON.parse(line) as LogRecord;
const setField = (line: string, change: (r: Record<string, unknown>) => void): string => {
  const r = JSON.parse(line) as Record<string, unknown>;
  change(r);
  return JSON.stringify(r);
};
/** `events.jsonl:N: t=<s> s <kind> [<invariant>] ` for the record at index i of `lines`, as verify prints it. */
const at = (lines: readonly string[], i: number, invariant: string): string => {
  const r = rec(lines[i]!);
  return `events.jsonl:${i + 1}: t=${(r.t / 1e6).toFixed(6)} s ${r.kind} [${invariant}] `;
};

/** verify --all on `dir`: exit 1, and the verdict counts `invariant`. */
async function violated(dir: string, invariant: string): Promise<string> {
  const r = await cli('verify', dir, '--all');
  expect(r.err).toBe('');
  expect(r.code).toBe(1);
  expect(r.out).toMatch(new RegExp(`violations? \\((.*, )?${invariant} \\d+`));
  return r.out;
}

describe('a corrupted run breaks the invariant it should (exit 1)', () => {
  test('a clean copy verifies (the corruptions below are the only change)', async () => {
    for (const base of [small, lifecycle, direct]) {
      const r = await cli('verify', corrupt(base, () => {}).dir);
      expect([r.code, r.out]).toEqual([0, expect.stringMatching(/every invariant holds/)]);
    }
  });

  test("offers: an offer_declined dropped leaves its offer outstanding at a completed run's end", async () => {
    let offer = -1;
    let sent = -1;
    const { dir, lines } = corrupt(small, (lines) => {
      const i = find(lines, (r) => r.kind === 'offer_declined');
      offer = (rec(lines[i]!) as { offer: number }).offer;
      sent = find(lines, (r) => r.kind === 'offer_sent' && r.offer === offer);
      lines.splice(i, 1);
    });
    const out = await violated(dir, 'offers');
    expect(out).toContain(`${at(lines, sent, 'offers')}offer ${offer} is still outstanding at the end of a run that completed`);
    // The counts no longer agree either: one decline fewer, one offer outstanding.
    expect(out).toContain('summary.json: [summary] offers_declined is ');
    expect(out).toContain('summary.json: [summary] offers_outstanding is 0, the events give 1');
  });

  test('tasks: a task_state duplicated is a second running', async () => {
    let i = -1;
    const { dir, lines } = corrupt(small, (lines) => {
      i = find(lines, (r) => r.kind === 'task_state' && r.state === 'running');
      lines.splice(i + 1, 0, lines[i]!);
    });
    expect(await violated(dir, 'tasks')).toContain(`${at(lines, i + 1, 'tasks')}task ${(rec(lines[i]!) as { task: number }).task} running twice`);
  });

  test('agent-resources: an offer of more than its agent has', async () => {
    // The first offer is a whole agent (8 cpus free); one cpu more than its total.
    let i = -1;
    const { dir, lines } = corrupt(small, (lines) => {
      i = find(lines, (r) => r.kind === 'offer_sent');
      lines[i] = setField(lines[i]!, (r) => {
        (r['res'] as number[])[0]! += 1000;
      });
    });
    const r = rec(lines[i]!) as { agent: number };
    expect(await violated(dir, 'agent-resources')).toContain(`${at(lines, i, 'agent-resources')}agent ${r.agent}: offered cpus 9, mem 16384`);
  });

  test("agent-resources: a launch past its agent's capacity (a non-offer baseline places directly)", async () => {
    // The first task placed (nothing else placed yet) takes 1000 cpus more: more than its agent's total.
    let i = -1;
    let task = -1;
    const { dir, lines } = corrupt(direct, (lines) => {
      i = find(lines, (r) => r.kind === 'task_state' && r.state === 'staging');
      task = (rec(lines[i]!) as { task: number }).task;
      lines.forEach((l, k) => {
        if (rec(l).kind === 'task_state' && (rec(l) as { task: number }).task === task)
          lines[k] = setField(l, (r) => {
            (r['res'] as number[])[0]! += 1_000_000;
          });
      });
    });
    const r = rec(lines[i]!) as Extract<LogRecord, { kind: 'task_state' }>;
    expect(await violated(dir, 'agent-resources')).toContain(
      `${at(lines, i, 'agent-resources')}agent ${r.agent}: offered cpus 0, mem 0, disk 0, gpus 0 + allocated cpus ${r.res[0]! / 1000}, mem ${r.res[1]! / 1000},`,
    );
  });

  test('summary: a count edited', async () => {
    // small.yaml's 344 tasks all finish.
    const { dir } = corrupt(small, () => {}, { 'summary.json': (t) => t.replace('"tasks_finished": 344,', '"tasks_finished": 343,') });
    const out = await violated(dir, 'summary');
    expect(out.split('\n').filter((l) => l.includes('['))).toEqual(['summary.json: [summary] tasks_finished is 343, the events give 344']);
  });

  test("order: two lines' times swapped", async () => {
    // The first record after t=0 and the next record of a later time trade times: the first now
    // holds the later time, so the record after it goes back.
    let i = -1;
    const { dir, lines } = corrupt(small, (lines) => {
      i = find(lines, (r) => r.t > 0);
      let j = i + 1;
      while (rec(lines[j]!).t === rec(lines[i]!).t) j++;
      const ti = rec(lines[i]!).t;
      const tj = rec(lines[j]!).t;
      lines[i] = setField(lines[i]!, (r) => {
        r['t'] = tj;
      });
      lines[j] = setField(lines[j]!, (r) => {
        r['t'] = ti;
      });
    });
    expect(await violated(dir, 'order')).toContain(`${at(lines, i + 1, 'order')}time goes back from ${(rec(lines[i]!).t / 1e6).toFixed(6)} s`);
  });

  test('ids: a task_state naming a job that does not exist', async () => {
    let i = -1;
    const { dir, lines } = corrupt(small, (lines) => {
      i = find(lines, (r) => r.kind === 'task_state');
      lines[i] = setField(lines[i]!, (r) => {
        r['job'] = 99_999;
      });
    });
    expect(await violated(dir, 'ids')).toContain(`${at(lines, i, 'ids')}unknown job 99999`);
  });

  test('jobs: a job_finished dropped', async () => {
    // Its job's last task ended on the line just before it.
    let i = -1;
    let job = -1;
    const { dir, lines } = corrupt(small, (lines) => {
      i = find(lines, (r) => r.kind === 'job_finished');
      job = (rec(lines[i]!) as { job: number }).job;
      lines.splice(i, 1);
    });
    expect(rec(lines[i - 1]!).kind).toBe('task_state');
    expect(await violated(dir, 'jobs')).toContain(
      `${at(lines, i - 1, 'jobs')}the last task of job ${job} ended here, but no job_finished followed at that instant`,
    );
  });

  test('frameworks: a framework_disconnected dropped (removal needs a disconnect first)', async () => {
    let i = -1;
    const { dir, lines } = corrupt(lifecycle, (lines) => {
      lines.splice(
        find(lines, (r) => r.kind === 'framework_disconnected'),
        1,
      );
      i = find(lines, (r) => r.kind === 'framework_removed');
    });
    expect(await violated(dir, 'frameworks')).toContain(`${at(lines, i, 'frameworks')}framework 1 removed while connected (removal follows a disconnect)`);
  });

  test('frameworks: a task of a removed framework not killed at its removal', async () => {
    // leaver (framework 1) is removed at 15 with its 3 tasks; one kill is dropped.
    let i = -1;
    const { dir, lines } = corrupt(lifecycle, (lines) => {
      lines.splice(
        find(lines, (r) => r.kind === 'task_state' && r.state === 'killed'),
        1,
      );
      i = find(lines, (r) => r.kind === 'framework_removed');
    });
    const out = await violated(dir, 'frameworks');
    expect(out).toContain(`${at(lines, i, 'frameworks')}framework 1 was removed, but 1 of its tasks were not killed at that instant`);
    expect(out).toContain(`${at(lines, i, 'frameworks')}the record says 3 tasks killed, the instant killed 2`);
  });

  test('agent-lifecycle: a lost task dropped leaves it on its removed agent', async () => {
    // agent 1 is removed at 90 with the four tasks that went lost just before.
    let i = -1;
    const { dir, lines } = corrupt(lifecycle, (lines) => {
      lines.splice(
        find(lines, (r) => r.kind === 'task_state' && r.state === 'lost'),
        1,
      );
      i = find(lines, (r) => r.kind === 'agent_removed');
    });
    expect(await violated(dir, 'agent-lifecycle')).toContain(`${at(lines, i, 'agent-lifecycle')}agent 1 removed with 1 tasks still on it (they go lost first)`);
  });

  test('agent-lifecycle: an agent removed without its silence (the failure moved later)', async () => {
    // agent 1 failed at 10 and was removed at 90; a finished task on it at 89 means it was not failed 75 s before.
    let i = -1;
    const { dir, lines } = corrupt(lifecycle, (lines) => {
      const lost = find(lines, (r) => r.kind === 'task_state' && r.state === 'lost');
      const finished = setField(lines[lost]!, (r) => {
        r['state'] = 'finished';
        r['t'] = 89_000_000;
      });
      lines.splice(lost, 1);
      lines.splice(
        find(lines, (r) => r.t > 35_000_000),
        0,
        finished,
      );
      i = find(lines, (r) => r.kind === 'agent_removed');
    });
    expect(await violated(dir, 'agent-lifecycle')).toContain(
      `${at(lines, i, 'agent-lifecycle')}agent 1 removed 1.000000 s after its last offer, launch, finished task or registration`,
    );
  });

  test('run-end: the run_ended line dropped', async () => {
    const { dir } = corrupt(small, (lines) => {
      lines.pop();
    });
    expect(await violated(dir, 'run-end')).toMatch(/^events\.jsonl:\d+: t=[\d.]+ s end of log \[run-end\] the log has no run_ended record$/m);
  });

  test('manifest: the fingerprint and record count edited', async () => {
    const { dir } = corrupt(small, () => {}, {
      'manifest.json': (t) =>
        t
          .replace(/"fingerprint": "[0-9a-f]+"/, '"fingerprint": "0000000000000000"')
          .replace(/"records": (\d+)/, (_m, n: string) => `"records": ${Number(n) + 1}`),
    });
    const out = await violated(dir, 'manifest');
    const n = manifestRecords(small);
    expect(out).toContain(`manifest.json: [manifest] records is ${n + 1}, the events give ${n}`);
    expect(out).toMatch(/^manifest\.json: \[manifest\] fingerprint is "0000000000000000", the events hash to [0-9a-f]{16}$/m);
  });

  test(`at most ${SHOWN_VIOLATIONS} violations are printed without --all; the verdict counts them all`, async () => {
    // Every offer_sent's cpus negative: at least one violation per offer.
    const { dir } = corrupt(small, (lines) => {
      lines.forEach((l, k) => {
        if (rec(l).kind === 'offer_sent')
          lines[k] = setField(l, (r) => {
            (r['res'] as number[])[0] = -1;
          });
      });
    });
    const printed = (out: string): string[] => out.split('\n').filter((l) => /^(events\.jsonl|summary\.json|manifest\.json)[:]/.test(l));
    const all = await cli('verify', dir, '--all');
    const n = printed(all.out).length;
    expect(n).toBeGreaterThanOrEqual(records(small).filter((r) => r.kind === 'offer_sent').length);
    expect(all.out).toMatch(new RegExp(`: ${n} violations \\([^)]*\\)\\n$`));
    const cut = await cli('verify', dir);
    expect(cut.code).toBe(1);
    expect(printed(cut.out)).toEqual(printed(all.out).slice(0, SHOWN_VIOLATIONS));
    expect(cut.out).toMatch(new RegExp(`: ${n} violations \\([^)]*\\); the first ${SHOWN_VIOLATIONS} shown \\(--all shows every one\\)\\n$`));
  });
});

describe('bad input exits 2', () => {
  test('not a run directory', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = await cli('verify', empty);
    expect(r).toEqual({ code: 2, out: '', err: `${empty}: not a run directory: no offersim manifest.json\n` });
  });

  test('a run without --events says to rerun with --events', async () => {
    const { dir } = corrupt(small, () => {});
    rmSync(join(dir, 'events.jsonl'));
    const r = await cli('verify', dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `${join(dir, 'events.jsonl')}: no such file: the run was made without --events; rerun it with offersim run SCENARIO --events --out DIR (same seed and --set) and verify that\n`,
    );
  });

  test('a line that is not JSON, or not a log record, is named by its line', async () => {
    const cases: [(lines: string[]) => void, RegExp][] = [
      [
        (lines) => {
          lines[4] = lines[4]!.slice(0, -2);
        },
        /events\.jsonl:5:1: not JSON: /,
      ],
      [
        (lines) => {
          lines[4] = setField(lines[4]!, (r) => {
            r['kind'] = 'agent_exploded';
          });
        },
        /events\.jsonl:5:1: not a log record: unknown record kind "agent_exploded"\n$/,
      ],
      [
        (lines) => {
          lines[6] = setField(lines[6]!, (r) => {
            r['res'] = [1, 2];
          });
        },
        /events\.jsonl:7:1: not a log record: agent_added needs "res" as \[cpus, mem, disk, gpus\] numbers\n$/,
      ],
      [
        (lines) => {
          lines[6] = setField(lines[6]!, (r) => {
            r['colour'] = 'red';
          });
        },
        /events\.jsonl:7:1: not a log record: agent_added has no field "colour"\n$/,
      ],
    ];
    for (const [edit, message] of cases) {
      const r = await cli('verify', corrupt(small, edit).dir);
      expect([r.code, r.out, r.err]).toEqual([2, '', expect.stringMatching(message)]);
    }
  });

  test('a summary.json that is not JSON', async () => {
    const r = await cli('verify', corrupt(small, () => {}, { 'summary.json': (t) => t.slice(0, 40) }).dir);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/summary\.json: not JSON: /)]);
  });
});
