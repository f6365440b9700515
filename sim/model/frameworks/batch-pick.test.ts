/**
 * Delay scheduling's indexed pick (pickIndexed, LocalityIndex) against the straightforward scan it
 * replaces (pickTask below, kept as the reference): on random jobs, preferences, registrations,
 * offers, resources and picked sets, with the job's tasks launched and its `next` moving on
 * between picks, both must name the same task every time.
 */
import fc from 'fast-check';
import type { SimTime } from '../../kernel/time.js';
import { Locality, PENDING_CODE, TaskCode, TaskTable, type TaskSpec } from '../job.js';
import { contains, NUM_RESOURCES, resources } from '../resources.js';
import { type IndexedJob, type LocalityIndex, pickIndexed } from './locality-index.js';

/** Preference rank of a locality for picking: node-local, no preference, rack-local, remote. */
const RANK = [1, 0, 2, 3] as const; // by Locality code: NONE 1, NODE 0, RACK 2, REMOTE 3

/**
 * The reference (the batch framework's pick before the index): the pending task of `job` to
 * launch on `agent`, the best-ranked that fits in `rem` and whose locality is at most `allowed`
 * (NONE always is), lowest index first; -1 if none. O(pending) per call.
 */
function pickTask(tasks: TaskTable, job: IndexedJob, agent: number, allowed: number, rem: Float64Array, picked: Uint8Array): number {
  let best = -1;
  let bestRank = 4;
  for (let i = job.next; i < job.end; i++) {
    if (tasks.state[i] !== PENDING_CODE || picked[i] === 1) continue;
    const loc = tasks.localityOf(i, agent);
    if (loc > allowed) continue;
    const rank = RANK[loc as 0 | 1 | 2 | 3];
    if (rank >= bestRank) continue;
    if (!contains(rem, 0, tasks.res, i * NUM_RESOURCES)) continue;
    best = i;
    bestRank = rank;
    if (rank === 0) break;
  }
  return best;
}

/** Agent names preferences and registrations draw from: a* register at the start (maybe), x* never do unless an op says so. */
const NAMES = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'x0', 'x1'];
const RACKS = ['r0', 'r1', 'r2', 'q9'];
/** agent indices offers may come from (some never registered) */
const AGENT_SLOTS = 9;

const shape = fc.record({ cpus: fc.integer({ min: 1, max: 3 }), mem: fc.integer({ min: 1, max: 2 }) });
const task = fc.record({
  res: shape,
  prefs: fc.option(
    fc.record({
      agents: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 }),
      racks: fc.uniqueArray(fc.constantFrom(...RACKS), { maxLength: 2 }),
    }),
    { freq: 3 },
  ),
});
const job = fc.array(task, { minLength: 1, maxLength: 30 });

const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('pick' as const),
      agent: fc.integer({ min: 0, max: AGENT_SLOTS - 1 }),
      allowed: fc.integer({ min: Locality.NONE, max: Locality.REMOTE }),
      cpus: fc.integer({ min: 0, max: 7 }),
      mem: fc.integer({ min: 0, max: 5 }),
      picked: fc.array(fc.nat(), { maxLength: 6 }),
      /** repeat the pick like answerDelay does within one offer: take it, mark it picked, pick again */
      repeat: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('launch' as const), task: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('register' as const),
      agent: fc.integer({ min: 0, max: AGENT_SLOTS - 1 }),
      name: fc.constantFrom(...NAMES, 'new'),
      rack: fc.constantFrom(...RACKS),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addJob' as const), tasks: job }) },
);

type Task = { res: { cpus: number; mem: number }; prefs: { agents: string[]; racks: string[] } | null };

function spec(tasks: readonly Task[], id: string): { id: string; submit: SimTime; framework: string; tasks: TaskSpec[] } {
  return {
    id,
    submit: 0 as SimTime,
    framework: 'f',
    tasks: tasks.map((t) => ({
      res: resources(t.res),
      duration: 1 as SimTime,
      ...(t.prefs === null ? {} : { preferredAgents: t.prefs.agents, preferredRacks: t.prefs.racks }),
    })),
  };
}

describe('delay scheduling: the indexed pick', () => {
  test('names the same task as the straightforward scan, through launches, registrations and growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom(...RACKS), { freq: 2 }), { minLength: 6, maxLength: 6 }),
        fc.array(task, { maxLength: 5 }),
        job,
        fc.array(op, { maxLength: 40 }),
        (initial, before, mine, ops) => {
          // a small table, so later jobs make it grow (its arrays are replaced)
          const t = new TaskTable(16, 16);
          initial.forEach((rack, k) => {
            if (rack !== null) t.registerAgent(k, NAMES[k]!, rack);
          });
          if (before.length > 0) t.addJob(spec(before, 'before'), 0);
          const j = t.addJob(spec(mine, 'mine'), 0);
          const first = t.firstTask[j]!;
          const job: { next: number; readonly end: number; index?: LocalityIndex } = { next: first, end: first + t.taskCount[j]! };
          let fresh = 0;
          for (const o of ops) {
            if (o.kind === 'launch') {
              const i = first + (o.task % (job.end - first));
              if (t.state[i] === PENDING_CODE) t.state[i] = TaskCode.RUNNING;
            } else if (o.kind === 'advance') {
              job.next = Math.min(job.end, job.next + o.by);
            } else if (o.kind === 'register') {
              t.registerAgent(o.agent, o.name === 'new' ? `new${fresh++}` : o.name, o.rack);
            } else if (o.kind === 'addJob') {
              t.addJob(spec(o.tasks, `more${t.jobs}`), 0);
            } else {
              const picked = new Uint8Array(t.size);
              for (const p of o.picked) picked[first + (p % (job.end - first))] = 1;
              const rem = resources({ cpus: o.cpus, mem: o.mem });
              for (let r = 0; r < o.repeat; r++) {
                const want = pickTask(t, job, o.agent, o.allowed, rem, picked);
                const got = pickIndexed(t, job, o.agent, o.allowed, rem, picked);
                expect(got).toBe(want);
                if (want < 0) break;
                for (let k = 0; k < NUM_RESOURCES; k++) rem[k] = rem[k]! - t.res[want * NUM_RESOURCES + k]!;
                picked[want] = 1;
              }
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('follows agents registering (or moving racks) between picks: rack-local sets are rebuilt', () => {
    // Tasks prefer agents a0, a1, x0 (and maybe racks); offers come mostly from o0 and o1, which
    // no task prefers, so picks there are rack-local or remote; preferred agents register after
    // the job, or again on another rack, changing which tasks are rack-local where. (Every task
    // has a preferred agent: a task without preferences would be picked first everywhere.)
    const AGENT = { a0: 0, o0: 1, o1: 2, a1: 3, x0: 4 } as const;
    const few = fc.record({
      res: shape,
      prefs: fc.record({
        agents: fc.uniqueArray(fc.constantFrom('a0', 'a1', 'x0'), { minLength: 1, maxLength: 2 }),
        racks: fc.uniqueArray(fc.constantFrom('r0', 'r1', 'r2'), { maxLength: 1 }),
      }),
    });
    const step = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('pick' as const),
          agent: fc.constantFrom(AGENT.o0, AGENT.o1, AGENT.o0, AGENT.o1, AGENT.a0),
          allowed: fc.constantFrom(Locality.RACK, Locality.RACK, Locality.REMOTE),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('register' as const),
          name: fc.constantFrom(...(Object.keys(AGENT) as (keyof typeof AGENT)[])),
          rack: fc.constantFrom('r0', 'r1', 'r2'),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('launch' as const), task: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(few, { minLength: 1, maxLength: 12 }), fc.array(step, { maxLength: 30 }), (tasks, steps) => {
        const t = new TaskTable();
        t.registerAgent(AGENT.a0, 'a0', 'r0');
        t.registerAgent(AGENT.o0, 'o0', 'r0');
        t.registerAgent(AGENT.o1, 'o1', 'r1');
        const j = t.addJob(spec(tasks, 'j'), 0);
        const job: { next: number; readonly end: number; index?: LocalityIndex } = { next: t.firstTask[j]!, end: t.firstTask[j]! + t.taskCount[j]! };
        const none = new Uint8Array(t.size);
        const rem = resources({ cpus: 3, mem: 2 });
        for (const s of steps) {
          if (s.kind === 'register') t.registerAgent(AGENT[s.name], s.name, s.rack);
          else if (s.kind === 'launch') t.state[job.next + (s.task % (job.end - job.next))] = TaskCode.RUNNING;
          else expect(pickIndexed(t, job, s.agent, s.allowed, rem, none)).toBe(pickTask(t, job, s.agent, s.allowed, rem, none));
        }
      }),
      { numRuns: 500 },
    );
  });
});
