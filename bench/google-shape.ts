/**
 * Derives the month case's workload shape (bench/month.ts, docs/workloads.md) from the Google
 * cluster-data 2011-2 sample in ../shared/traces/google-2011: part 0 of task_events and job_events
 * (about 83 minutes of the trace). Run once by hand after a build; it prints what it measured and
 * the knots written into bench/month.ts:
 *   node dist/bench/google-shape.js [TRACES_DIR]
 * bench/ may read files; nothing imports this module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoFile } from './cases.js';

const dir = process.argv[2] ?? join(repoFile('../shared/traces'), 'google-2011');
const US = 1e6;

/** Nearest-rank quantile of sorted values. */
function q(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
const PS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1];
function quantiles(label: string, values: number[]): void {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  console.log(`${label}: n=${s.length} mean=${mean.toPrecision(5)}`);
  console.log('  ' + PS.map((p) => `p${p}=${q(s, p).toPrecision(4)}`).join(' '));
}
function tally(label: string, values: readonly (string | number)[]): void {
  const m = new Map<string, number>();
  for (const v of values) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
  const rows = [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  console.log(`${label}: ` + rows.map(([k, c]) => `${k}:${c} (${((100 * c) / values.length).toFixed(1)}%)`).join(' '));
}

/** Priority, scheduling class and the cpu and memory requests of some task rows. */
function describeTasks(label: string, rows: readonly { prio: number; cls: number; cpu: number; mem: number }[]): void {
  tally(
    `${label} priority`,
    rows.map((r) => r.prio),
  );
  tally(
    `${label} scheduling class`,
    rows.map((r) => r.cls),
  );
  quantiles(
    `${label} cpu request (normalised)`,
    rows.map((r) => r.cpu),
  );
  quantiles(
    `${label} mem request (normalised)`,
    rows.map((r) => r.mem),
  );
}

/** Mid-ranks of values (ties share the mean of their ranks). */
function midRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((x, y) => values[x]! - values[y]!);
  const r = new Float64Array(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && values[order[j]!] === values[order[i]!]) j++;
    for (let k = i; k < j; k++) r[order[k]!] = (i + j - 1) / 2;
    i = j;
  }
  return r;
}

/** Spearman's rank correlation (Pearson's on mid-ranks). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = midRanks(a);
  const rb = midRanks(b);
  const m = (a.length - 1) / 2;
  let c = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i++) {
    c += (ra[i]! - m) * (rb[i]! - m);
    va += (ra[i]! - m) ** 2;
    vb += (rb[i]! - m) ** 2;
  }
  return c / Math.sqrt(va * vb);
}

// ---- job_events: arrivals in the window (time 0 means "before the trace")
const jobSubmit = new Map<string, number>();
const jobClass = new Map<string, number>();
for (const line of readFileSync(join(dir, 'job_events_part-00000-of-00500.csv'), 'utf8').split('\n')) {
  if (line === '') continue;
  const f = line.split(',');
  const t = Number(f[0]);
  if (f[3] === '0' && t > 0 && !jobSubmit.has(f[2]!)) {
    jobSubmit.set(f[2]!, t);
    jobClass.set(f[2]!, Number(f[5]));
  }
}
const arrivals = [...jobSubmit.values()].sort((a, b) => a - b);
const gaps = arrivals.slice(1).map((t, i) => (t - arrivals[i]!) / US);
const span = (arrivals[arrivals.length - 1]! - arrivals[0]!) / US;
console.log(`jobs submitted after time 0: ${arrivals.length} over ${span.toFixed(0)} s: ${(arrivals.length / span).toFixed(4)} jobs/s`);
quantiles('job inter-arrival gap (s)', gaps);
const gm = gaps.reduce((a, b) => a + b, 0) / gaps.length;
const gsd = Math.sqrt(gaps.reduce((a, b) => a + (b - gm) ** 2, 0) / gaps.length);
console.log(`  coefficient of variation ${(gsd / gm).toFixed(3)} (1 for Poisson arrivals)`);
tally('scheduling class of arriving jobs', [...jobClass.values()]);

// ---- task_events
interface Task {
  submit: number;
  cpu: number;
  mem: number;
  prio: number;
  cls: number;
  sched: number;
  end: number;
  endType: number;
}
const tasks = new Map<string, Task>();
const runningAtStart: { cpu: number; mem: number; prio: number; cls: number }[] = [];
const machines = new Set<string>();
let lastTime = 0;
const text = gunzipSync(readFileSync(join(dir, 'task_events_part-00000-of-00500.csv.gz'))).toString('utf8');
for (const line of text.split('\n')) {
  if (line === '') continue;
  const f = line.split(',');
  const t = Number(f[0]);
  if (t > lastTime && t < 2 ** 62) lastTime = t;
  const type = Number(f[5]);
  if (f[4] !== '') machines.add(f[4]!);
  const key = `${f[2]},${f[3]}`;
  if (t === 0) {
    // work already running when the trace starts: scheduled at time 0
    if (type === 1) runningAtStart.push({ cpu: Number(f[9]), mem: Number(f[10]), prio: Number(f[8]), cls: Number(f[7]) });
    continue;
  }
  let task = tasks.get(key);
  if (type === 0) {
    if (task === undefined && jobSubmit.has(f[2]!)) {
      task = { submit: t, cpu: Number(f[9]), mem: Number(f[10]), prio: Number(f[8]), cls: Number(f[7]), sched: -1, end: -1, endType: -1 };
      tasks.set(key, task);
    }
  } else if (task !== undefined) {
    if (type === 1 && task.sched < 0) task.sched = t;
    else if (type >= 2 && type <= 6 && task.sched >= 0 && task.end < 0) {
      task.end = t;
      task.endType = type;
    }
  }
}
const windowEnd = lastTime;
console.log(`\ntrace window: 600 s to ${(windowEnd / US).toFixed(0)} s; machines seen in task rows: ${machines.size}`);
console.log(`tasks running at time 0 (scheduled before the window): ${runningAtStart.length}`);
describeTasks('  their', runningAtStart);
console.log(
  `  sum of cpu requests ${runningAtStart.reduce((a, r) => a + r.cpu, 0).toFixed(1)}, mem ${runningAtStart.reduce((a, r) => a + r.mem, 0).toFixed(1)}`,
);

// tasks per job, of jobs submitted in the window
const perJob = new Map<string, number>();
for (const key of tasks.keys()) {
  const job = key.slice(0, key.indexOf(','));
  perJob.set(job, (perJob.get(job) ?? 0) + 1);
}
const all = [...tasks.values()];
console.log(`\ntasks of jobs submitted in the window: ${all.length} in ${perJob.size} jobs`);
quantiles('tasks per job', [...perJob.values()]);
const sizes = [...perJob.values()];
for (const k of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]) {
  console.log(`  P(tasks <= ${k}) = ${(sizes.filter((x) => x <= k).length / sizes.length).toFixed(4)}`);
}
describeTasks('task', all);
const pairs = new Map<string, number>();
for (const r of all) pairs.set(`${r.cpu}/${r.mem}`, (pairs.get(`${r.cpu}/${r.mem}`) ?? 0) + 1);
console.log(`distinct (cpu, mem) pairs: ${pairs.size}; most common:`);
for (const [p, c] of [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${p}: ${c} (${((100 * c) / all.length).toFixed(1)}%)`);
console.log(
  `rank correlation of cpu and mem requests (Spearman): ${spearman(
    all.map((r) => r.cpu),
    all.map((r) => r.mem),
  ).toFixed(3)}`,
);
// within a job, do tasks share their request?
let sameShape = 0;
const firstShape = new Map<string, string>();
for (const [key, r] of tasks) {
  const job = key.slice(0, key.indexOf(','));
  const s = `${r.cpu}/${r.mem}`;
  const f = firstShape.get(job);
  if (f === undefined) firstShape.set(job, s);
  if (f === undefined || f === s) sameShape++;
}
console.log(`tasks with the same request as their job's first task: ${((100 * sameShape) / all.length).toFixed(1)}%`);

// ---- task durations: schedule to first end (finish, fail, kill, evict, lost); Kaplan-Meier,
// censored at the window's end for tasks still running then
const obs: { d: number; ended: boolean }[] = [];
for (const r of all) {
  if (r.sched < 0) continue;
  if (r.end >= 0) obs.push({ d: (r.end - r.sched) / US, ended: true });
  else obs.push({ d: (windowEnd - r.sched) / US, ended: false });
}
const ended = obs.filter((o) => o.ended);
console.log(`\ntasks scheduled in the window: ${obs.length}; ended in it: ${ended.length}; still running at its end: ${obs.length - ended.length}`);
tally(
  '  how they ended (2 evict, 3 fail, 4 finish, 5 kill, 6 lost)',
  all.filter((r) => r.end >= 0).map((r) => r.endType),
);
quantiles(
  '  duration of those that ended (s)',
  ended.map((o) => o.d),
);
obs.sort((a, b) => a.d - b.d || Number(b.ended) - Number(a.ended));
let atRisk = obs.length;
let surv = 1;
const km: [number, number][] = [];
for (let i = 0; i < obs.length;) {
  const d = obs[i]!.d;
  let deaths = 0;
  let n = 0;
  while (i < obs.length && obs[i]!.d === d) {
    if (obs[i]!.ended) deaths++;
    n++;
    i++;
  }
  surv *= 1 - deaths / atRisk;
  atRisk -= n;
  km.push([d, surv]);
}
console.log('Kaplan-Meier duration CDF (censored at the window end):');
for (const t of [1, 5, 10, 30, 60, 120, 300, 600, 900, 1200, 1800, 2400, 3000, 3600, 4200, 4800]) {
  let s = 1;
  for (const [d, v] of km) {
    if (d > t) break;
    s = v;
  }
  console.log(`  F(${t} s) = ${(1 - s).toFixed(4)}`);
}
console.log(`  longest observation: ${obs[obs.length - 1]!.d.toFixed(0)} s`);

// ---- what the month case takes from the above (bench/month.ts)
console.log('\n== parameters for bench/month.ts ==');
const cdfKnots = (label: string, values: number[], ps: readonly number[]): void => {
  const s = [...values].sort((a, b) => a - b);
  console.log(`${label}: ` + ps.map((p) => `[${p}, ${q(s, p)}]`).join(', '));
};
cdfKnots('job inter-arrival gap knots (s)', gaps, [0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]);
console.log(`  mean gap ${gm.toFixed(4)} s, rate ${(1 / gm).toFixed(5)} jobs/s`);
cdfKnots(
  'tasks per job knots (all bands together; bench/month.ts draws them per band, below)',
  sizes,
  [0, 0.815, 0.84, 0.85, 0.87, 0.9, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 1],
);
// each job's priority band and (cpu, mem) request, from its first task
const band = (p: number): string => (p <= 1 ? 'free' : p <= 8 ? 'batch' : 'production');
const jobFirst = new Map<string, Task>();
for (const [key, r] of tasks) {
  const job = key.slice(0, key.indexOf(','));
  if (!jobFirst.has(job)) jobFirst.set(job, r);
}
const jobsList = [...jobFirst.values()];
tally(
  'job priority band',
  jobsList.map((r) => band(r.prio)),
);
for (const b of ['free', 'batch', 'production']) {
  const js = [...jobFirst].filter(([, r]) => band(r.prio) === b).map(([j]) => perJob.get(j)!);
  const m = js.reduce((a, x) => a + x, 0) / Math.max(1, js.length);
  console.log(`  ${b}: ${js.length} jobs, mean ${m.toFixed(2)} tasks per job`);
}
const shapes = new Map<string, number>();
for (const r of jobsList) shapes.set(`${r.cpu}/${r.mem}`, (shapes.get(`${r.cpu}/${r.mem}`) ?? 0) + 1);
const top = [...shapes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
console.log(
  `job (cpu, mem) requests: ${shapes.size} distinct over ${jobsList.length} jobs; the 16 most common cover ${((100 * top.slice(0, 16).reduce((a, x) => a + x[1], 0)) / jobsList.length).toFixed(1)}%:`,
);
console.log(
  '  ' +
    top
      .slice(0, 16)
      .map(([p, c]) => `[${p.replace('/', ', ')}, ${c}]`)
      .join(', '),
);
const jc = jobsList.map((r) => r.cpu);
const jm = jobsList.map((r) => r.mem);
console.log(
  `  per job: mean cpu ${(jc.reduce((a, b) => a + b, 0) / jc.length).toFixed(5)}, mean mem ${(jm.reduce((a, b) => a + b, 0) / jm.length).toFixed(5)}`,
);
// Work running at time 0, by band: the production part is the services; the rest tells the
// duration tail by Little's law (live = arrival rate x mean duration).
for (const b of ['free', 'batch', 'production']) {
  const rs = runningAtStart.filter((r) => band(r.prio) === b);
  const sc = [...rs.map((r) => r.cpu)].sort((x, y) => x - y);
  const sm = [...rs.map((r) => r.mem)].sort((x, y) => x - y);
  console.log(
    `running at time 0, ${b}: ${rs.length} tasks, cpu sum ${sc.reduce((a, x) => a + x, 0).toFixed(1)} (median ${q(sc, 0.5)}), mem sum ${sm.reduce((a, x) => a + x, 0).toFixed(1)} (median ${q(sm, 0.5)})`,
  );
}
const taskRate = all.length / span;
const liveNonProd = runningAtStart.filter((r) => band(r.prio) !== 'production').length;
console.log(`task arrival rate ${taskRate.toFixed(3)} tasks/s; non-production tasks live at time 0: ${liveNonProd}`);
console.log(`  Little's law: mean task duration = ${liveNonProd} / ${taskRate.toFixed(3)} = ${(liveNonProd / taskRate).toFixed(0)} s`);
let s1 = 1;
for (const [d, v] of km) {
  if (d > 4800) break;
  s1 = v;
}
// mean of the KM body (F up to 4,800 s), by the trapezoid on survival
let bodyMean = 0;
let prevD = 0;
let prevS = 1;
for (const [d, v] of km) {
  if (d > 4800) break;
  bodyMean += (d - prevD) * prevS;
  prevD = d;
  prevS = v;
}
bodyMean += (4800 - prevD) * prevS;
console.log(`  Kaplan-Meier: survival at 4,800 s ${s1.toFixed(4)}; integral of survival over [0, 4800] s ${bodyMean.toFixed(0)} s`);
console.log(
  `  so the tail beyond 4,800 s must add ${(liveNonProd / taskRate - bodyMean).toFixed(0)} s to the mean: a tail mass of ${s1.toFixed(4)} with mean excess ${((liveNonProd / taskRate - bodyMean) / s1).toFixed(0)} s`,
);

// ---- the knots, as bench/month.ts writes them
/** Quantile knots [p, x] of sorted values at the given probabilities, repeated knots dropped. */
function knots(values: readonly number[], ps: readonly number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return ps.map((p) => `[${p}, ${p === 0 ? s[0] : q(s, p)}]`).join(', ');
}
console.log('\n== knots ==');
const PK = [0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.98, 0.99, 1];
for (const b of ['free', 'batch', 'production']) {
  const js = [...jobFirst].filter(([, r]) => band(r.prio) === b).map(([j]) => perJob.get(j)!);
  const one = js.filter((x) => x === 1).length / js.length;
  const ps = [0, Number(one.toFixed(3)), ...PK.filter((p) => p > one + 0.01)];
  console.log(
    `tasks per job, ${b} (${js.length} jobs, P(1 task) = ${one.toFixed(3)}, mean ${(js.reduce((a, x) => a + x, 0) / js.length).toFixed(2)}): ${knots(js, ps).replace(`[${ps[1]}, 2]`, `[${ps[1]}, 1]`)}`,
  );
}
const PR = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
console.log(`job cpu request: ${knots(jc, PR)}`);
console.log(`job mem request: ${knots(jm, PR)}`);
console.log(`job-level Spearman rank correlation of cpu and mem requests: ${spearman(jc, jm).toFixed(3)}`);
const PD = [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97];
const kmQ = (p: number): number => {
  for (const [d, v] of km) if (1 - v >= p) return d;
  return NaN;
};
console.log(
  `task duration (Kaplan-Meier quantiles, s): ${PD.map((p) => `[${p}, ${p === 0 ? obs[0]!.d : kmQ(p)}]`).join(', ')}, [${(1 - s1).toFixed(4)}, 4800]`,
);
// the tail: geometric (log-uniform) from 4,800 s to B with the mean Little's law asks for
const tailMean = 4800 + (liveNonProd / taskRate - bodyMean) / s1;
let lo = 4801;
let hi = 1e9;
for (let i = 0; i < 200; i++) {
  const mid = Math.sqrt(lo * hi);
  if ((mid - 4800) / Math.log(mid / 4800) < tailMean) lo = mid;
  else hi = mid;
}
console.log(`  tail: log-uniform over [4800, ${lo.toFixed(0)}] s has mean ${tailMean.toFixed(0)} s (Little's law)`);
