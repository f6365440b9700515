/**
 * Validation (e): part (a)'s delay-scheduling experiment rerun under YARN, where the
 * ResourceManager does the delay scheduling: the Capacity scheduler with node-locality-delay D
 * (capped at the node count, as Hadoop caps it) and the Fair scheduler with locality thresholds
 * D / M, beside Mesos's delay scheduling in the framework (part (a)'s committed agent-offer
 * columns) and the bound of Zaharia et al. Makes the tables of docs/validation.md, reads them back
 * and reruns a few cells against them. Composition root (reads scenario files and the document).
 */
import { SKIP_RESETS } from '../../sim/model/frameworks/index.js';
import {
  DELAY_BOUND_SCENARIO,
  DELAY_COLUMNS,
  DELAY_SETS,
  cellText,
  localityBound,
  readSetTables,
  setOverrides,
  type DelaySet,
  type DelaySetResult,
} from './delay-bound.js';
import { ci95, meanSe, perSeed, pct, type MeanSe } from './stats.js';

/**
 * The YARN settings compared: the Capacity scheduler with node-locality-delay D and Hadoop's
 * default rack-locality-additional-delay (-1: off-switch after min(N, C (L - 1) / N) missed
 * opportunities, C the outstanding containers, L the distinct locations asked, which here is
 * often fewer than D), the same with rack-locality-additional-delay 0 (off-switch after D too),
 * and the Fair scheduler with thresholds D / M.
 */
export const YARN_DELAY_SCHEDULERS = ['capacity', 'capacity-additional-0', 'fair'] as const;
/** One of {@link YARN_DELAY_SCHEDULERS}. */
export type YarnDelayScheduler = (typeof YARN_DELAY_SCHEDULERS)[number];

/**
 * The overrides that run part (a)'s scenario under YARN: each framework in a queue of its own
 * (the background's and the job's), so that the job's queue, far below its share, is offered
 * every node first, as the job's framework has the lowest DRF share under Mesos; no
 * ApplicationMaster container (the job's AM would take a slot of the full cluster); the memory
 * calculator (Hadoop's default; a slot is 1024 MB of an agent with memory for exactly L tasks).
 * Capacity: guarantees of 50% each, both queues free to take the whole cluster (maximum capacity
 * 100%, user-limit factor 2). Fair: equal weights.
 */
export function yarnOverrides(set: DelaySet, scheduler: YarnDelayScheduler, D: number): string[] {
  const common = [
    ...setOverrides(set),
    'architecture=yarn',
    'frameworks.0.role=background',
    'frameworks.1.role=job',
    `yarn.scheduler=${scheduler === 'fair' ? 'fair' : 'capacity'}`,
    'yarn.am=null',
  ];
  if (scheduler !== 'fair')
    return [
      ...common,
      ...(scheduler === 'capacity-additional-0' ? ['yarn.capacity.rackLocalityAdditionalDelay=0'] : []),
      'yarn.capacity.queues=[{path: root.background, capacity: 50, maximumCapacity: 100, userLimitFactor: 2}, {path: root.job, capacity: 50, maximumCapacity: 100, userLimitFactor: 2}]',
      // Hadoop caps the delay at the node count itself; capped here too, so the setting says what runs.
      `yarn.capacity.nodeLocalityDelay=${Math.min(D, set.M)}`,
    ];
  // One rack: once rack-local is allowed every node is; the rack threshold is the node's, so
  // that no level is off (a negative threshold would allow off-switch at once).
  return [...common, `yarn.fair.localityThresholdNode=${D / set.M}`, `yarn.fair.localityThresholdRack=${D / set.M}`];
}

/** The job's node-local fraction under `scheduler` over seeds 1..`seeds`. */
export function yarnLocality(root: string, set: DelaySet, scheduler: YarnDelayScheduler, D: number, seeds: number): MeanSe {
  const xs = perSeed(root, DELAY_BOUND_SCENARIO, yarnOverrides(set, scheduler, D), seeds, (o) => {
    const job = o.metrics.jobs.find((j) => j.frameworkName === 'job');
    if (job === undefined) throw new Error(`${DELAY_BOUND_SCENARIO} (${set.id}, yarn ${scheduler}): the job never arrived`);
    const launched = job.localNode + job.localRack + job.localRemote;
    if (launched !== set.N)
      throw new Error(`${DELAY_BOUND_SCENARIO} (${set.id}, yarn ${scheduler}, D=${D}): ${launched} of ${set.N} tasks launched by the end of the run`);
    return job.localNode / set.N;
  });
  return meanSe(xs);
}

/** One cell of part (e): a text as part (a) writes it, with the numbers behind it. */
export interface YarnDelayCell {
  /** `mesos/<rule>` (from part (a)) or `yarn/<scheduler>` */
  readonly column: string;
  readonly mean: number;
  readonly ci: number;
  readonly below: boolean;
  readonly text: string;
}

/** One set's table of part (e). */
export type YarnDelaySetResult = DelaySetResult<YarnDelayCell>;

/** The columns, in table order: Mesos's two rules (agent offers, from part (a)), then the YARN schedulers. */
export const YARN_DELAY_COLUMNS: readonly string[] = [...SKIP_RESETS.map((r) => `mesos/${r}`), ...YARN_DELAY_SCHEDULERS.map((s) => `yarn/${s}`)];

const COLUMN_TITLES: Record<string, string> = {
  'mesos/node-local': 'Mesos, framework skips D offers, node-local reset (part (a))',
  'mesos/every-launch': 'Mesos, every-launch reset (part (a))',
  'yarn/capacity': 'YARN Capacity, node-locality-delay D (additional delay -1, the default)',
  'yarn/capacity-additional-0': 'YARN Capacity, node-locality-delay D, rack-locality-additional-delay 0',
  'yarn/fair': 'YARN Fair, locality thresholds D / M',
};

/** The index of part (a)'s agent-offer column of `rule`. */
function agentColumn(rule: string): number {
  return DELAY_COLUMNS.findIndex((c) => c.offers === 'agent' && c.rule === rule);
}

function cell(column: string, m: { mean: number; ci: number }, bound: number): YarnDelayCell {
  return { column, mean: m.mean, ci: m.ci, below: m.mean + m.ci < bound, text: cellText(m.mean, m.ci, bound) };
}

/**
 * Part (e): every set and D of part (a), under both YARN schedulers over `seeds` seeds, beside part
 * (a)'s committed agent-offer cells (`committed`, read from the document).
 */
export function yarnDelay(root: string, seeds: number, committed: readonly DelaySetResult[]): YarnDelaySetResult[] {
  return DELAY_SETS.map((set) => {
    const a = committed.find((r) => r.set.id === set.id)!;
    const rows = set.skips.map((D) => {
      const bound = localityBound(D, set.M, set.R, set.N);
      const fromA = a.rows.find((r) => r.D === D)!;
      // As part (a) printed them (their numbers rounded as printed).
      const mesos = SKIP_RESETS.map((rule) => {
        const c = fromA.cells[agentColumn(rule)]!;
        return { column: `mesos/${rule}`, mean: c.mean, ci: c.ci, below: c.below, text: c.text };
      });
      const yarn = YARN_DELAY_SCHEDULERS.map((s) => {
        const m = yarnLocality(root, set, s, D, seeds);
        return cell(`yarn/${s}`, { mean: m.mean, ci: ci95(m) }, bound);
      });
      return { D, bound, cells: [...mesos, ...yarn] };
    });
    return { set, seeds, rows };
  });
}

/** The line above a set's table. */
function heading(set: DelaySet): string {
  return `**M = ${set.M} nodes of L = ${set.L} slot${set.L === 1 ? '' : 's'}, R = ${set.R}, N = ${set.N}** (${set.title}; under YARN)`;
}

/** Markdown tables of part (e), one per set. */
export function yarnDelayTable(results: readonly YarnDelaySetResult[]): string {
  return results
    .map(({ set, seeds, rows }) =>
      [
        heading(set),
        '',
        `| D | bound l(D) | ${YARN_DELAY_COLUMNS.map((c) => COLUMN_TITLES[c]!).join(' | ')} |`,
        `|---:|---:|${YARN_DELAY_COLUMNS.map(() => '---:').join('|')}|`,
        ...rows.map((r) => `| ${r.D} | ${pct(r.bound)} | ${r.cells.map((c) => c.text).join(' | ')} |`),
        '',
        `(${seeds} seeds per YARN cell; the Mesos cells are part (a)'s.)`,
      ].join('\n'),
    )
    .join('\n\n');
}

/** Reads part (e)'s tables back (as {@link yarnDelayTable} writes them); throws when one is missing or malformed. */
export function parseYarnDelay(text: string): YarnDelaySetResult[] {
  return readSetTables(text, 'e', heading, 'seeds per YARN cell', YARN_DELAY_COLUMNS.length).map(({ set, seeds, rows }) => ({
    set,
    seeds,
    rows: rows.map(({ D, bound, cells }) => ({ D, bound, cells: cells.map((c, k) => ({ column: YARN_DELAY_COLUMNS[k]!, ...c })) })),
  }));
}

/** The cells the test reruns: the paper's set at D = 5 and the large set at D = 20, under each setting. */
export const YARN_SAMPLE_CELLS: readonly { set: string; D: number; scheduler: YarnDelayScheduler }[] = ['paper', 'large'].flatMap((set) =>
  YARN_DELAY_SCHEDULERS.map((scheduler) => ({ set, D: set === 'paper' ? 5 : 20, scheduler })),
);

/**
 * Reruns {@link YARN_SAMPLE_CELLS} and the Mesos cells against part (a)'s committed tables;
 * returns one line per cell that differs from the committed part (e).
 */
export function checkYarnSample(root: string, committed: readonly YarnDelaySetResult[], a: readonly DelaySetResult[]): string[] {
  const stale: string[] = [];
  for (const c of YARN_SAMPLE_CELLS) {
    const result = committed.find((r) => r.set.id === c.set)!;
    const row = result.rows.find((r) => r.D === c.D)!;
    const old = row.cells.find((x) => x.column === `yarn/${c.scheduler}`)!;
    const m = yarnLocality(root, result.set, c.scheduler, c.D, result.seeds);
    const now = cellText(m.mean, ci95(m), row.bound);
    if (now !== old.text) stale.push(`part (e), ${c.set}, D = ${c.D}, yarn ${c.scheduler}: the table says ${old.text}, a rerun gives ${now}`);
  }
  // The Mesos cells must be part (a)'s as committed.
  for (const r of committed) {
    const fromA = a.find((x) => x.set.id === r.set.id)!;
    for (const row of r.rows) {
      for (const rule of SKIP_RESETS) {
        const want = fromA.rows.find((x) => x.D === row.D)!.cells[agentColumn(rule)]!.text;
        const have = row.cells.find((x) => x.column === `mesos/${rule}`)!.text;
        if (want !== have) stale.push(`part (e), ${r.set.id}, D = ${row.D}, Mesos ${rule}: the table says ${have}, part (a) says ${want}`);
      }
    }
  }
  return stale;
}
