/**
 * `npm run validation`: runs the validation scenarios of scenarios/validation/ over their sweeps
 * and seeds, compares offersim's numbers with the published ones (notes: Zaharia et al. 2010,
 * Hindman et al. 2011, Schwarzkopf et al. 2013), and writes the side-by-side tables into
 * docs/validation.md between markers; `--check` only compares, `--json` prints the numbers,
 * `--sample` reruns only a few cells of parts (a) and (e) against their committed tables.
 * Composition root: reads scenario files and writes the doc; the numbers depend only on the
 * scenarios and seeds.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogRecord } from '../../sim/model/log.js';
import { ExitCode, InputError } from '../errors.js';
import { currentSection, repositoryRoot, replaceSection, type Markers } from '../policies-table.js';
import { checkSample, delayBound, delayBoundTable, parseDelayBound, type DelaySetResult } from './delay-bound.js';
import { meanSe, pct, perSeed, type MeanSe } from './stats.js';
import { checkYarnSample, parseYarnDelay, yarnDelay, yarnDelayTable } from './yarn-delay.js';

export type { MeanSe } from './stats.js';

/** The validation document, relative to the repository root. */
export const VALIDATION_DOC = 'docs/validation.md';

// ---- (b) the Mesos paper's locality experiment

/** The scenario of part (b). */
export const MESOS_LOCALITY_SCENARIO = 'scenarios/validation/mesos-locality.yaml';
/** Frameworks in the scenario. */
const HADOOPS = 16;

/** One configuration of part (b), with the published figure beside it. */
export interface MesosLocalityRow {
  readonly config: string;
  /** the paper's locality, as text (only some are published) */
  readonly paper: string;
  readonly locality: MeanSe;
  /** mean job completion time over the 16 frameworks, seconds */
  readonly completion: MeanSe;
}

/** The four configurations: a label, the paper's figure and the overrides. */
export const MESOS_LOCALITY_CONFIGS: readonly { config: string; paper: string; overrides: readonly string[] }[] = [
  { config: 'static partitioning (6 nodes each, 5 s delay inside)', paper: '18%', overrides: ['allocator=static'] },
  { config: 'Mesos, no delay scheduling (local first)', paper: 'between (bar chart only)', overrides: waits(0) },
  { config: 'Mesos, 1 s delay scheduling', paper: 'over 90%', overrides: waits(1) },
  { config: 'Mesos, 5 s delay scheduling', paper: '95%', overrides: waits(5) },
];

function waits(sec: number): string[] {
  return Array.from({ length: HADOOPS }, (_, i) => `frameworks.${i}.behaviour.nodeLocalWait=${sec}`);
}

/** Part (b): node-local fraction and mean job completion per configuration over `seeds` seeds. */
export function mesosLocality(root: string, seeds: number): MesosLocalityRow[] {
  return MESOS_LOCALITY_CONFIGS.map(({ config, paper, overrides }) => {
    const runs = perSeed(root, MESOS_LOCALITY_SCENARIO, overrides, seeds, (o) => {
      const s = o.metrics.summary;
      if (s.jobsFinished !== HADOOPS) throw new Error(`${MESOS_LOCALITY_SCENARIO}: ${config}: ${s.jobsFinished} of ${HADOOPS} jobs finished`);
      return { locality: s.locality.node, completion: s.completion.mean / 1e6 };
    });
    return { config, paper, locality: meanSe(runs.map((r) => r.locality)), completion: meanSe(runs.map((r) => r.completion)) };
  });
}

/** Markdown table of part (b). */
export function mesosLocalityTable(rows: readonly MesosLocalityRow[]): string {
  const staticJob = rows[0]?.completion.mean ?? NaN;
  const out = rows.map(
    (r) =>
      `| ${r.config} | ${r.paper} | ${pct(r.locality.mean)} ± ${pct(r.locality.se)} | ${r.completion.mean.toFixed(1)} | ${(staticJob / r.completion.mean).toFixed(2)}x |`,
  );
  return [
    `| configuration | paper: locality | offersim: node-local (mean ± SE, ${rows[0]?.locality.n ?? 0} seeds) | offersim: mean job time, s | speed-up over static (paper: 1.7x at 5 s) |`,
    '|---|---:|---:|---:|---:|',
    ...out,
  ].join('\n');
}

// ---- (c) ramp-up: elastic and rigid, constant and exponential

/** The scenarios of part (c). */
export const RAMP_UP_SCENARIOS = { elastic: 'scenarios/validation/ramp-up-elastic.yaml', rigid: 'scenarios/validation/ramp-up-rigid.yaml' } as const;
/** Their constants: slots k, mean task length T of the holder (s), beta (the newcomer's work per slot, in T). */
export const RAMP_UP = { k: 32, T: 10, beta: 10 } as const;

/** One case of part (c). */
export interface RampUpRow {
  readonly kind: 'elastic' | 'rigid';
  readonly durations: 'constant' | 'exponential';
  /** the paper's table (Hindman et al. 2011, Table 2; unverified in the notes), seconds or a fraction */
  readonly paper: { readonly rampUp: number; readonly completion: number; readonly utilisation: number };
  /** order statistics of this setup (see docs/validation.md) */
  readonly expected: { readonly rampUp: number; readonly completion: number; readonly utilisation: number };
  /** from its submit until it has been offered every slot, s */
  readonly rampUp: MeanSe;
  /** its job's completion time, s */
  readonly completion: MeanSe;
  /** task run time over the time it held its slots (first offer of each slot to its job's end) */
  readonly utilisation: MeanSe;
}

/** H_k, the k-th harmonic number. */
function harmonic(k: number): number {
  let h = 0;
  for (let i = 1; i <= k; i++) h += 1 / i;
  return h;
}

/** Part (c): the four cases over `seeds` seeds. */
export function rampUp(root: string, seeds: number): RampUpRow[] {
  const { k, T, beta } = RAMP_UP;
  const hk = harmonic(k);
  const lnk = Math.log(k);
  // Remaining times of the holder's tasks: uniform on [0, T] (constant durations, staggered) has
  // E[max] = kT/(k+1) and E[sum] = kT/2; exponential has E[max] = T H_k and E[sum] = kT.
  const maxU = (k * T) / (k + 1);
  const rows: RampUpRow[] = [];
  for (const kind of ['elastic', 'rigid'] as const) {
    for (const durations of ['constant', 'exponential'] as const) {
      const constant = durations === 'constant';
      const paper =
        kind === 'elastic'
          ? { rampUp: constant ? T : T * lnk, completion: constant ? (0.5 + beta) * T : (1 + beta) * T, utilisation: 1 }
          : {
              rampUp: constant ? T : T * lnk,
              completion: constant ? (1 + beta) * T : (lnk + beta) * T,
              utilisation: constant ? beta / (0.5 + beta) : beta / (lnk - 1 + beta),
            };
      const ramp = constant ? maxU : T * hk;
      // Elastic: divisible work beta k T fills the slots as they come, so it ends when
      // k t - sum(remaining) = beta k T. Rigid: it starts when the last slot comes and runs beta T;
      // it holds slot i from its arrival, so utilisation = beta T / (E[max] + beta T - E[mean]).
      const meanRemaining = constant ? T / 2 : T;
      const expected =
        kind === 'elastic'
          ? { rampUp: ramp, completion: meanRemaining + beta * T, utilisation: 1 }
          : { rampUp: ramp, completion: ramp + beta * T, utilisation: (beta * T) / (ramp + beta * T - meanRemaining) };
      const overrides = constant ? [] : [`frameworks.0.workload.task.duration={exponential: ${T}}`];
      const runs = perSeed(root, RAMP_UP_SCENARIOS[kind], overrides, seeds, (o, records) => measureRampUp(records!, kind), true);
      rows.push({
        kind,
        durations,
        paper,
        expected,
        rampUp: meanSe(runs.map((r) => r.rampUp)),
        completion: meanSe(runs.map((r) => r.completion)),
        utilisation: meanSe(runs.map((r) => r.utilisation)),
      });
    }
  }
  return rows;
}

/** Ramp-up, completion and utilisation of the framework named `newcomer` from a run's log. */
function measureRampUp(records: readonly LogRecord[], kind: string): { rampUp: number; completion: number; utilisation: number } {
  let fw = -1;
  let submit = NaN;
  let finish = NaN;
  const firstOffer = new Map<number, number>();
  let busy = 0;
  const started = new Map<number, number>();
  for (const r of records) {
    if (r.kind === 'framework_added' && r.name === 'newcomer') fw = r.framework;
    else if (!('framework' in r) || r.framework !== fw) continue;
    else if (r.kind === 'job_submitted') submit = r.t;
    else if (r.kind === 'job_finished') finish = r.t;
    else if (r.kind === 'offer_sent' && r.res[0] > 0 && !firstOffer.has(r.agent)) firstOffer.set(r.agent, r.t);
    else if (r.kind === 'task_state' && r.state === 'running') started.set(r.task, r.t);
    else if (r.kind === 'task_state' && r.state === 'finished') busy += r.t - started.get(r.task)!;
  }
  if (Number.isNaN(finish)) throw new Error(`ramp-up (${kind}): the newcomer's job did not finish`);
  if (firstOffer.size !== RAMP_UP.k) throw new Error(`ramp-up (${kind}): the newcomer was offered ${firstOffer.size} of ${RAMP_UP.k} slots`);
  let last = 0;
  let held = 0;
  for (const t of firstOffer.values()) {
    last = Math.max(last, t);
    held += finish - t;
  }
  return { rampUp: (last - submit) / 1e6, completion: (finish - submit) / 1e6, utilisation: busy / held };
}

/** Markdown table of part (c). */
export function rampUpTable(rows: readonly RampUpRow[]): string {
  const s = (x: number): string => x.toFixed(1);
  const f = (x: number): string => x.toFixed(2);
  const out = rows.map(
    (r) =>
      `| ${r.kind} | ${r.durations} | ${s(r.paper.rampUp)} | ${s(r.expected.rampUp)} | ${s(r.rampUp.mean)} ± ${s(r.rampUp.se)} ` +
      `| ${s(r.paper.completion)} | ${s(r.expected.completion)} | ${s(r.completion.mean)} ± ${s(r.completion.se)} ` +
      `| ${f(r.paper.utilisation)} | ${f(r.expected.utilisation)} | ${f(r.utilisation.mean)} ± ${f(r.utilisation.se)} |`,
  );
  return [
    `| framework | durations | ramp-up: paper | expected | offersim (${rows[0]?.rampUp.n ?? 0} seeds) | job time: paper | expected | offersim | utilisation: paper | expected | offersim |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...out,
  ].join('\n');
}

// ---- (d) the Omega paper's two-level pathology

/** The scenario of part (d). */
export const OMEGA_SCENARIO = 'scenarios/validation/omega-pathology.yaml';
/** The service scheduler's t_job values swept, seconds (the Omega simulator's released configuration). */
export const OMEGA_SERVICE_TJOB = [0.1, 1, 10] as const;
/** How tasks reach agents in each compared mode. */
export const OMEGA_MODES: readonly { mode: string; overrides: readonly string[] }[] = [
  { mode: 'offers, whole free cluster (Mesos 0.9, as in Omega)', overrides: [] },
  { mode: 'offers, per agent (current Mesos)', overrides: ['master.offerGranularity=agent'] },
  { mode: 'shared state (Omega)', overrides: ['allocator=shared-state'] },
];

/** One (mode, t_job) point of part (d): the batch scheduler's numbers. */
export interface OmegaPoint {
  readonly mode: string;
  readonly serviceTJob: number;
  /** the batch scheduler's busyness (fraction of time deciding) */
  readonly busyness: MeanSe;
  /** batch jobs' mean queueing delay (submit to first task running), s */
  readonly wait: MeanSe;
  /** fraction of batch jobs abandoned */
  readonly abandoned: MeanSe;
  /** the service scheduler's busyness */
  readonly serviceBusyness: MeanSe;
  /** the batch scheduler's conflicted placements over attempted ones (shared state; NaN under offers) */
  readonly conflicts: MeanSe;
}

/** Part (d): every mode and service t_job over `seeds` seeds. */
export function omegaPathology(root: string, seeds: number): OmegaPoint[] {
  const out: OmegaPoint[] = [];
  for (const { mode, overrides } of OMEGA_MODES) {
    for (const tJob of OMEGA_SERVICE_TJOB) {
      const runs = perSeed(root, OMEGA_SCENARIO, [...overrides, `frameworks.2.behaviour.decisionJob=${tJob}`], seeds, (o) => {
        const batch = o.metrics.frameworks.find((f) => f.name === 'batch');
        const service = o.metrics.frameworks.find((f) => f.name === 'service');
        if (batch === undefined || service === undefined) throw new Error(`${OMEGA_SCENARIO}: the batch or service framework is missing`);
        return {
          busyness: batch.busyness,
          wait: batch.queueingDelay.mean / 1e6,
          abandoned: batch.jobsAbandoned / batch.jobs,
          serviceBusyness: service.busyness,
          conflicts: batch.conflictFraction,
        };
      });
      out.push({
        mode,
        serviceTJob: tJob,
        busyness: meanSe(runs.map((r) => r.busyness)),
        wait: meanSe(runs.map((r) => r.wait)),
        abandoned: meanSe(runs.map((r) => r.abandoned)),
        serviceBusyness: meanSe(runs.map((r) => r.serviceBusyness)),
        conflicts: meanSe(runs.map((r) => r.conflicts)),
      });
    }
  }
  return out;
}

/** Markdown table of part (d). */
export function omegaTable(points: readonly OmegaPoint[]): string {
  const out = points.map(
    (p) =>
      `| ${p.mode} | ${p.serviceTJob} | ${p.busyness.mean.toFixed(3)} ± ${p.busyness.se.toFixed(3)} | ${p.wait.mean.toFixed(1)} ± ${p.wait.se.toFixed(1)} ` +
      `| ${pct(p.abandoned.mean, 2)} ± ${pct(p.abandoned.se, 2)} | ${p.serviceBusyness.mean.toFixed(3)} | ${pct(p.conflicts.mean, 2)} |`,
  );
  return [
    `| mode | service t_job, s | batch busyness (${points[0]?.busyness.n ?? 0} seeds) | batch job wait, s | batch jobs abandoned | service busyness | batch conflict fraction |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...out,
  ].join('\n');
}

// ---- the document and the script

/** A generated section of the document. */
interface Part {
  readonly id: string;
  /** `doc`: the document as it stands when the part runs (part (e) reads part (a)'s tables from it) */
  readonly run: (root: string, seeds: number, doc: string, docPath: string) => unknown;
  readonly table: (result: never) => string;
  readonly seeds: number;
}

/** Seeds per simulated cell of part (a). */
const DELAY_SEEDS = 20;

/** Every part, with the seeds the document uses. */
export const PARTS: readonly Part[] = [
  { id: 'a', run: delayBound, table: delayBoundTable as (r: never) => string, seeds: DELAY_SEEDS },
  { id: 'b', run: mesosLocality, table: mesosLocalityTable as (r: never) => string, seeds: 5 },
  { id: 'c', run: rampUp, table: rampUpTable as (r: never) => string, seeds: 50 },
  { id: 'd', run: omegaPathology, table: omegaTable as (r: never) => string, seeds: 5 },
  {
    id: 'e',
    run: (root, seeds, doc, docPath) => yarnDelay(root, seeds, committedA(doc, docPath)),
    table: yarnDelayTable as (r: never) => string,
    seeds: DELAY_SEEDS,
  },
];

/** Part (a)'s tables as the document holds them. */
function committedA(doc: string, docPath: string): DelaySetResult[] {
  return parseDelayBound(currentSection(doc, docPath, partMarkers('a')));
}

const USAGE = `usage: validate [--check [--sample]] [--json] [--doc FILE] [${PARTS.map((p) => p.id).join('|')}...]`;

/** The markers of part `id` in the document. */
export function partMarkers(id: string): Markers {
  return { start: `<!-- validation-${id}:start -->`, end: `<!-- validation-${id}:end -->` };
}

/**
 * The script: `validate [--check [--sample]] [--json] [--doc FILE] [PART...]` (parts a to e;
 * default all). Rewrites the parts' tables in docs/validation.md, or with `--check` compares them
 * and exits 1 when one is stale; `--sample` checks parts (a) and (e) by rerunning only their sample cells
 * against the committed tables, whose numbers `--json` then prints; `--json` prints every number.
 * Bad flags: exit 2.
 */
export function validateMain(argv: readonly string[], io: { out(t: string): void; err(t: string): void }): number {
  const root = repositoryRoot();
  let check = false;
  let json = false;
  let sample = false;
  let docPath = join(root, VALIDATION_DOC);
  const ids: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--check') check = true;
    else if (a === '--json') json = true;
    else if (a === '--sample') sample = true;
    else if (a === '--doc' && argv[i + 1] !== undefined) docPath = argv[++i]!;
    else if (PARTS.some((p) => p.id === a)) ids.push(a);
    else {
      io.err(`validate: unknown argument ${a}\n${USAGE}\n`);
      return ExitCode.BAD_INPUT;
    }
  }
  if (sample && !check) {
    io.err(`validate: --sample only checks parts (a) and (e) against their tables; give --check too\n${USAGE}\n`);
    return ExitCode.BAD_INPUT;
  }
  const parts = PARTS.filter((p) => ids.length === 0 || ids.includes(p.id));
  try {
    const original = readFileSync(docPath, 'utf8');
    let doc = original;
    const results: Record<string, unknown> = {};
    const stale: string[] = [];
    for (const p of parts) {
      if (sample && p.id === 'a') {
        try {
          const committed = parseDelayBound(currentSection(doc, docPath, partMarkers('a')));
          results.a = committed;
          stale.push(...checkSample(root, committed));
        } catch (err) {
          if (err instanceof InputError) throw err;
          stale.push(err instanceof Error ? err.message : String(err));
        }
        continue;
      }
      if (sample && p.id === 'e') {
        try {
          const committed = parseYarnDelay(currentSection(doc, docPath, partMarkers('e')));
          results.e = committed;
          stale.push(...checkYarnSample(root, committed, committedA(doc, docPath)));
        } catch (err) {
          if (err instanceof InputError) throw err;
          stale.push(err instanceof Error ? err.message : String(err));
        }
        continue;
      }
      const result = p.run(root, p.seeds, doc, docPath);
      results[p.id] = result;
      doc = replaceSection(doc, p.table(result as never), docPath, partMarkers(p.id));
    }
    if (json) io.out(`${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
    if (check) {
      if (doc === original && stale.length === 0) {
        io.err(`${docPath}: the validation tables are up to date\n`);
        return ExitCode.OK;
      }
      for (const line of stale) io.err(`${docPath}: ${line}\n`);
      io.err(`${docPath}: the validation tables are stale; run npm run validation\n`);
      return ExitCode.REGRESSION;
    }
    if (doc !== original) writeFileSync(docPath, doc);
    io.err(`${docPath}: validation tables ${doc === original ? 'unchanged' : 'rewritten'}\n`);
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`${err.message}\n`);
      return ExitCode.BAD_INPUT;
    }
    io.err(`validate: internal error (a bug): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.INTERNAL;
  }
}

const invoked = process.argv[1];
if (invoked !== undefined && existsSync(invoked) && import.meta.url === pathToFileURL(realpathSync(invoked)).href) {
  process.exitCode = validateMain(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
