/**
 * Validation (a): the delay-scheduling locality bound (Zaharia et al., EuroSys 2010, section 3.5;
 * notes section 3.2), swept over parameter sets x offers x skip-count reset rule x D, in the
 * simulation and in the analysis' own setting (a Monte Carlo of one uniformly drawn node per
 * offer). Makes the tables of docs/validation.md, reads them back, and reruns a few cells against
 * them. Composition root (reads scenario files); the numbers depend only on the sets and seeds.
 */
import { RandomStream } from '../../sim/kernel/rng.js';
import { SKIP_RESETS, type SkipReset } from '../../sim/model/frameworks/index.js';
import { ci95, meanSe, pct, perSeed, type MeanSe } from './stats.js';

/** The scenario of part (a): the paper's set; the other sets are overrides of it. */
export const DELAY_BOUND_SCENARIO = 'scenarios/validation/delay-bound.yaml';

/** One parameter set of the sweep. */
export interface DelaySet {
  readonly id: string;
  /** what sets it apart, for the table heading */
  readonly title: string;
  /** nodes */
  readonly M: number;
  /** slots (cpus) per node */
  readonly L: number;
  /** replicas of each task's input block */
  readonly R: number;
  /** tasks of the job */
  readonly N: number;
  /** the skip counts D swept */
  readonly skips: readonly number[];
  /** run length, s: the job arrives at 15 s and must have launched every task by then */
  readonly duration: number;
}

/**
 * The sets: the paper's example, the same with one slot per node, and four times the nodes (with
 * two slots each: the same 800 slots), where a node holds the job's data four times less often.
 * The last set's D are four times the others', so that RD/M, hence the bound, is the same per row.
 */
export const DELAY_SETS: readonly DelaySet[] = [
  { id: 'paper', title: "the paper's example", M: 100, L: 8, R: 3, N: 20, skips: [1, 5, 10, 23], duration: 40 },
  { id: 'one-slot', title: 'one slot per node', M: 100, L: 1, R: 3, N: 20, skips: [1, 5, 10, 23], duration: 80 },
  { id: 'large', title: 'four times the nodes, two slots each', M: 400, L: 2, R: 3, N: 20, skips: [4, 20, 40, 92], duration: 50 },
];

/**
 * How offers reach the job: the simulation with `master.offerGranularity` agent (an agent's free
 * slots in one offer) or task (one slot per offer), and `model`, the analysis' setting.
 */
export const DELAY_OFFERS = ['agent', 'task', 'model'] as const;
/** One of {@link DELAY_OFFERS}. */
export type DelayOffers = (typeof DELAY_OFFERS)[number];

/** Trials of the analysis-setting Monte Carlo per cell. */
export const MODEL_TRIALS = 2000;

/**
 * The lower bound on the expected locality after D skips (Zaharia et al. 2010, section 3.5):
 * l(D) >= 1 - (1/N) sum_{K=1..N} e^(-RDK/M). With K tasks left a node holds none of their data
 * with probability about e^(-RK/M), so D skipped nodes all miss with about e^(-RDK/M); each of
 * the N tasks is launched with K = N..1 left. The paper's closed form
 * 1 - e^(-RD/M) / (N (1 - e^(-RD/M))) sums K to infinity and is a little lower.
 */
export function localityBound(D: number, M: number, R: number, N: number): number {
  let miss = 0;
  for (let K = 1; K <= N; K++) miss += Math.exp((-R * D * K) / M);
  return 1 - miss / N;
}

/** One cell: how offers reach the job and the reset rule; the node-local fraction over seeds or trials. */
export interface DelayCell {
  readonly offers: DelayOffers;
  readonly rule: SkipReset;
  /** mean node-local fraction of the job's tasks */
  readonly mean: number;
  /** half-width of its 95% confidence interval (Student's t over the seeds or trials) */
  readonly ci: number;
  /** the whole interval is under the bound: mean + ci < bound */
  readonly below: boolean;
  /** as printed in the table */
  readonly text: string;
}

/** One row: a D, the bound and every cell. */
export interface DelayRow<C = DelayCell> {
  readonly D: number;
  readonly bound: number;
  readonly cells: readonly C[];
}

/** One set's table (of part (a)'s cells, or another part's over the same sets). */
export interface DelaySetResult<C = DelayCell> {
  readonly set: DelaySet;
  /** seeds of each simulated cell */
  readonly seeds: number;
  readonly rows: readonly DelayRow<C>[];
}

/** The columns, in table order. */
export const DELAY_COLUMNS: readonly { offers: DelayOffers; rule: SkipReset }[] = DELAY_OFFERS.flatMap((offers) =>
  SKIP_RESETS.map((rule) => ({ offers, rule })),
);

/** The scenario overrides that make `set` out of the scenario file (the paper's set). */
export function setOverrides(set: DelaySet): string[] {
  return [
    `cluster.agents.0.count=${set.M}`,
    `cluster.agents.0.cpus=${set.L}`,
    // Memory for exactly L tasks, so that an agent without a free slot has nothing to offer.
    `cluster.agents.0.mem=${1024 * set.L}`,
    // Twice the slots that free per second (M L / 10 s): the cluster is full within about 7 s
    // and the background keeps a backlog, so every freed slot is offered at once.
    `frameworks.0.workload.tasksPerJob=${Math.ceil((set.M * set.L) / 5)}`,
    `duration=${set.duration}`,
    `frameworks.0.workload.until=${set.duration}`,
    `frameworks.1.workload.tasksPerJob=${set.N}`,
    `frameworks.1.workload.locality.replication=${set.R}`,
  ];
}

/** The overrides of one simulated cell (`granularity` a master.offerGranularity). */
export function cellOverrides(set: DelaySet, granularity: string, rule: SkipReset, D: number): string[] {
  return [
    ...setOverrides(set),
    `master.offerGranularity=${granularity}`,
    `frameworks.1.behaviour.resetSkipsOn=${rule}`,
    `frameworks.1.behaviour.nodeLocalSkips=${D}`,
  ];
}

/** The job's node-local fraction in the simulation over seeds 1..`seeds`. */
export function simulatedLocality(root: string, set: DelaySet, granularity: string, rule: SkipReset, D: number, seeds: number): MeanSe {
  const xs = perSeed(root, DELAY_BOUND_SCENARIO, cellOverrides(set, granularity, rule, D), seeds, (o) => {
    const job = o.metrics.jobs.find((j) => j.frameworkName === 'job');
    if (job === undefined) throw new Error(`${DELAY_BOUND_SCENARIO} (${set.id}): the job never arrived`);
    const launched = job.localNode + job.localRack + job.localRemote;
    if (launched !== set.N)
      throw new Error(`${DELAY_BOUND_SCENARIO} (${set.id}, ${granularity}, ${rule}, D=${D}): ${launched} of ${set.N} tasks launched by the end of the run`);
    return job.localNode / set.N;
  });
  return meanSe(xs);
}

/**
 * The analysis' own setting as a Monte Carlo: one job of N tasks, each reading one block with R
 * replicas on distinct uniformly drawn nodes of M; every offer is one slot on a node drawn
 * uniformly and independently of the others. The job launches a pending task with data on the
 * node if it has one (node-local: the count goes back to 0); else, with at least D skips, the
 * lowest pending task (remote; the count goes back to 0 only under `every-launch`); else it skips.
 * Seeded by the cell, so the same cell always gives the same numbers.
 */
export function modelLocality(M: number, R: number, N: number, D: number, rule: SkipReset, trials: number): MeanSe {
  const rng = new RandomStream(1, `delay-bound-model/M=${M}/R=${R}/N=${N}/D=${D}/${rule}`);
  const replicas = new Int32Array(N * R);
  /** per node: the pending tasks with a replica there */
  const holding = new Int32Array(M);
  const pending = new Uint8Array(N);
  const xs: number[] = [];
  for (let t = 0; t < trials; t++) {
    holding.fill(0);
    for (let i = 0; i < N; i++) {
      pending[i] = 1;
      for (let r = 0; r < R; r++) {
        let node: number;
        do node = rng.int(M);
        while (replicas.subarray(i * R, i * R + r).includes(node));
        replicas[i * R + r] = node;
        holding[node]!++;
      }
    }
    let left = N;
    let local = 0;
    let skips = 0;
    while (left > 0) {
      const node = rng.int(M);
      let task = -1;
      if (holding[node]! > 0) {
        for (let i = 0; i < N && task < 0; i++) if (pending[i] === 1 && replicas.subarray(i * R, i * R + R).includes(node)) task = i;
        local++;
        skips = 0;
      } else if (skips >= D) {
        task = pending.indexOf(1);
        if (rule === 'every-launch') skips = 0;
      } else {
        skips++;
        continue;
      }
      pending[task] = 0;
      left--;
      for (let r = 0; r < R; r++) holding[replicas[task * R + r]!]!--;
    }
    xs.push(local / N);
  }
  return meanSe(xs);
}

/** Part (a): every set, D, offers and rule; `seeds` seeds per simulated cell. */
export function delayBound(root: string, seeds: number): DelaySetResult[] {
  return DELAY_SETS.map((set) => ({ set, seeds, rows: set.skips.map((D) => delayRow(root, set, D, seeds)) }));
}

function delayRow(root: string, set: DelaySet, D: number, seeds: number): DelayRow {
  const bound = localityBound(D, set.M, set.R, set.N);
  const cells = DELAY_COLUMNS.map(({ offers, rule }) => {
    const m = offers === 'model' ? modelLocality(set.M, set.R, set.N, D, rule, MODEL_TRIALS) : simulatedLocality(root, set, offers, rule, D, seeds);
    const ci = ci95(m);
    return { offers, rule, mean: m.mean, ci, below: m.mean + ci < bound, text: cellText(m.mean, ci, bound) };
  });
  return { D, bound, cells };
}

// ---- the tables and reading them back

/** A cell's text: mean ± 95% CI half-width, in points; "below" when the whole interval is under the bound. */
export function cellText(mean: number, ci: number, bound: number): string {
  return `${pct(mean)} ± ${(100 * ci).toFixed(1)}${mean + ci < bound ? ' **below**' : ''}`;
}

/** The line above a set's table. */
export function setHeading(set: DelaySet): string {
  return `**M = ${set.M} nodes of L = ${set.L} slot${set.L === 1 ? '' : 's'}, R = ${set.R}, N = ${set.N}** (${set.title})`;
}

const COLUMN_NAMES: Record<DelayOffers, string> = { agent: 'agent offers', task: 'task offers', model: 'analysis setting' };

/** Markdown tables of part (a), one per set. */
export function delayBoundTable(results: readonly DelaySetResult[]): string {
  return results
    .map(({ set, seeds, rows }) =>
      [
        setHeading(set),
        '',
        `| D | bound l(D) | ${DELAY_COLUMNS.map((c) => `${COLUMN_NAMES[c.offers]}, ${c.rule} reset`).join(' | ')} |`,
        `|---:|---:|${DELAY_COLUMNS.map(() => '---:').join('|')}|`,
        ...rows.map((r) => `| ${r.D} | ${pct(r.bound)} | ${r.cells.map((c) => c.text).join(' | ')} |`),
        '',
        `(${seeds} seeds per simulated cell, ${MODEL_TRIALS} trials per analysis-setting cell.)`,
      ].join('\n'),
    )
    .join('\n\n');
}

/** A committed cell read back: its numbers as printed, and its text. */
export interface ReadCell {
  readonly mean: number;
  readonly ci: number;
  readonly below: boolean;
  readonly text: string;
}

/**
 * Reads tables of one part back, one per set of {@link DELAY_SETS} (as {@link delayBoundTable}
 * and part (e)'s writer write them): under the set's `heading`, a line `(<seeds> <seedsWord>...`
 * and a row per D of `width` cells `mean% ± ci[ **below**]`, with the bound recomputed. Throws
 * naming `part` when a set, row or cell is missing or malformed (a stale or hand-edited table).
 */
export function readSetTables(
  text: string,
  part: string,
  heading: (set: DelaySet) => string,
  seedsWord: string,
  width: number,
): { set: DelaySet; seeds: number; rows: { D: number; bound: number; cells: ReadCell[] }[] }[] {
  const lines = text.split('\n');
  return DELAY_SETS.map((set) => {
    const at = lines.indexOf(heading(set));
    if (at < 0) throw new Error(`part (${part}) has no table for ${heading(set)}; run npm run validation`);
    const next = lines.findIndex((l, i) => i > at && l.startsWith('**M = '));
    const own = lines.slice(at, next < 0 ? lines.length : next);
    const seeds = Number(new RegExp(`^\\((\\d+) ${seedsWord}`).exec(own.find((l) => l.startsWith('(')) ?? '')?.[1] ?? NaN);
    if (!(seeds > 0)) throw new Error(`part (${part}), ${set.id}: no line saying the seeds per cell; run npm run validation`);
    const rows = set.skips.map((D) => {
      const parts = own
        .find((l) => l.startsWith(`| ${D} |`))
        ?.split('|')
        .slice(1, -1)
        .map((p) => p.trim());
      if (parts === undefined || parts.length !== width + 2) throw new Error(`part (${part}), ${set.id}: no complete row for D = ${D}; run npm run validation`);
      const cells = parts.slice(2).map((cellText) => {
        const m = /^(\d+\.\d)% ± (\d+\.\d)( \*\*below\*\*)?$/.exec(cellText);
        if (m === null) throw new Error(`part (${part}), ${set.id}, D = ${D}: cannot read "${cellText}"`);
        return { mean: Number(m[1]) / 100, ci: Number(m[2]) / 100, below: m[3] !== undefined, text: cellText };
      });
      return { D, bound: localityBound(D, set.M, set.R, set.N), cells };
    });
    return { set, seeds, rows };
  });
}

/**
 * Reads part (a)'s tables back from their text (as {@link delayBoundTable} writes them): the
 * committed numbers, rounded as printed, with the bound recomputed. Throws when a set, row or
 * cell is missing or malformed (a stale or hand-edited table).
 */
export function parseDelayBound(text: string): DelaySetResult[] {
  return readSetTables(text, 'a', setHeading, 'seeds per simulated cell', DELAY_COLUMNS.length).map(({ set, seeds, rows }) => ({
    set,
    seeds,
    rows: rows.map(({ D, bound, cells }) => ({ D, bound, cells: cells.map((c, k) => ({ ...DELAY_COLUMNS[k]!, ...c })) })),
  }));
}

/** A cell rerun against the committed tables. */
export interface SampleCell {
  readonly set: string;
  readonly D: number;
  /** a master.offerGranularity, or 'model' */
  readonly offers: string;
  readonly rule: SkipReset;
  /** the committed column it must reproduce (fair-share: the agent column, see below) */
  readonly column: DelayOffers;
}

/**
 * The cells the test reruns (docs/validation.md): the paper's set near the bound, the large set
 * below it, one every-launch cell, and fair-share offers, which must give exactly the agent
 * column here (its cap, the role's fair share minus what the role holds, is never below what one
 * agent has free when one role holds the whole cluster). Every analysis-setting cell is rerun too
 * (they are cheap).
 */
export const SAMPLE_CELLS: readonly SampleCell[] = [
  { set: 'paper', D: 5, offers: 'agent', rule: 'node-local', column: 'agent' },
  { set: 'paper', D: 5, offers: 'fair-share', rule: 'node-local', column: 'agent' },
  { set: 'large', D: 20, offers: 'task', rule: 'node-local', column: 'task' },
  { set: 'one-slot', D: 10, offers: 'agent', rule: 'every-launch', column: 'agent' },
  ...DELAY_SETS.flatMap((s) => s.skips.flatMap((D) => SKIP_RESETS.map((rule) => ({ set: s.id, D, offers: 'model', rule, column: 'model' as const })))),
];

/**
 * Reruns {@link SAMPLE_CELLS} (the committed seeds) and returns one line per cell whose text
 * differs from the committed table's; none when the tables are current.
 */
export function checkSample(root: string, committed: readonly DelaySetResult[]): string[] {
  const stale: string[] = [];
  for (const c of SAMPLE_CELLS) {
    const result = committed.find((r) => r.set.id === c.set)!;
    const row = result.rows.find((r) => r.D === c.D)!;
    const k = DELAY_COLUMNS.findIndex((col) => col.offers === c.column && col.rule === c.rule);
    const old = row.cells[k]!;
    const m =
      c.offers === 'model'
        ? modelLocality(result.set.M, result.set.R, result.set.N, c.D, c.rule, MODEL_TRIALS)
        : simulatedLocality(root, result.set, c.offers, c.rule, c.D, result.seeds);
    const now = cellText(m.mean, ci95(m), row.bound);
    if (now !== old.text) stale.push(`part (a), ${c.set}, D = ${c.D}, ${c.offers} offers, ${c.rule} reset: the table says ${old.text}, a rerun gives ${now}`);
  }
  return stale;
}
