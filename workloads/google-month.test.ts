/**
 * The Google-shaped job stream: the same seed gives the same jobs, bands go to their frameworks,
 * and over many jobs the arrival rate, job sizes, durations and the cpu/memory rank correlation
 * match the shape's tables (docs/workloads.md) within stated tolerances.
 */
import { RandomStream } from '../sim/kernel/rng.js';
import { MICROS_PER_SECOND, type SimTime } from '../sim/kernel/time.js';
import type { JobSpec } from '../sim/model/job.js';
import { R } from '../sim/model/resources.js';
import { EmpiricalQuantiles } from './empirical.js';
import { GOOGLE_2011_SHAPE, expectedTaskRate, googleJobs, type GoogleJobsOptions } from './google-month.js';

const FRAMEWORKS = { free: 'g-free', batch: 'g-batch', production: 'g-prod' };
const options = (until: number, extra: Partial<GoogleJobsOptions> = {}): GoogleJobsOptions => ({
  frameworks: FRAMEWORKS,
  cpusPerUnit: 32,
  memPerUnit: 131_072,
  until: (until * MICROS_PER_SECOND) as SimTime,
  ...extra,
});
const jobs = (o: GoogleJobsOptions, seed: number): JobSpec[] => [...googleJobs(o, new RandomStream(seed, 'workload/google'))];
const summary = (js: readonly JobSpec[]) =>
  js.map((j) => `${j.id}@${j.submit}:${j.tasks.length}:${j.tasks[0]!.res.join('/')}:${j.tasks.map((t) => t.duration).join(',')}`);

describe('googleJobs', () => {
  test('the same seed gives the same jobs, another seed others', () => {
    const a = jobs(options(3600), 7);
    expect(a.length).toBeGreaterThan(400);
    expect(summary(jobs(options(3600), 7))).toEqual(summary(a));
    expect(summary(jobs(options(3600), 8))).not.toEqual(summary(a));
  });

  test('submit times rise, stay before until, ids count every job, bands go to their frameworks', () => {
    const a = jobs(options(3600), 1);
    for (let i = 1; i < a.length; i++) expect(a[i]!.submit).toBeGreaterThanOrEqual(a[i - 1]!.submit);
    expect(a[a.length - 1]!.submit).toBeLessThan(3600 * MICROS_PER_SECOND);
    expect(a.map((j) => Number(j.id.split('/')[1]))).toEqual(a.map((_, i) => i));
    for (const j of a) expect(j.id.startsWith(`${j.framework}/`)).toBe(true);
    expect(new Set(a.map((j) => j.framework))).toEqual(new Set(Object.values(FRAMEWORKS)));
    // every task of a job asks the same resources, and some memory
    expect(a.every((j) => j.tasks.every((t) => t.res === j.tasks[0]!.res))).toBe(true);
    expect(a.every((j) => j.tasks[0]!.res[R.mem]! > 0)).toBe(true);
  });

  test('a band without a framework is left out, and the other bands keep their jobs', () => {
    const all = jobs(options(3600), 3);
    const noFree = jobs(options(3600, { frameworks: { batch: 'g-batch', production: 'g-prod' } }), 3);
    expect(summary(noFree)).toEqual(summary(all.filter((j) => j.framework !== 'g-free')));
  });

  test('arrivalScale 2: the same jobs at half the gaps', () => {
    const one = jobs(options(3600), 4).slice(0, 100);
    const two = jobs(options(3600, { arrivalScale: 2 }), 4).slice(0, 100);
    const strip = (js: readonly JobSpec[]) => summary(js).map((x) => x.replace(/@\d+/, ''));
    expect(strip(two)).toEqual(strip(one));
    // each gap is rounded to the microsecond on its own: after n gaps, 2 x (scaled time) is within n us of the time
    two.forEach((j, n) => expect(Math.abs(2 * j.submit - one[n]!.submit)).toBeLessThanOrEqual(n + 1));
    expect(two[99]!.submit).toBeLessThan(0.51 * one[99]!.submit);
  });

  test('over a simulated day the rates, sizes and durations match the tables', () => {
    const day = jobs(options(86_400), 11);
    const tasks = day.reduce((s, j) => s + j.tasks.length, 0);
    // expected: 0.17822 jobs/s (mean gap 5.6111 s) x 48.38 tasks per job = 8.6205 tasks/s, about
    // 745,000 tasks in the day; the batch band's heavy tail (1,050 to 2,100 tasks) makes one day's
    // count vary by about 3%, so the tolerance is 10%
    expect(expectedTaskRate()).toBeCloseTo(8.6205, 3);
    expect(Math.abs(tasks / 86_400 / expectedTaskRate() - 1)).toBeLessThan(0.1);
    // arrivals: the mean gap within 3% of the knots' mean (about 15,400 gaps, CV 1.6: SE 1.3%)
    expect(Math.abs(86_400 / day.length / GOOGLE_2011_SHAPE.gap.mean() - 1)).toBeLessThan(0.03);
    // bands: shares of jobs 369/914, 455/914, 90/914 = 0.404, 0.498, 0.098, within 0.015 each
    const share = (f: string) => day.filter((j) => j.framework === f).length / day.length;
    expect(Math.abs(share('g-free') - 0.404)).toBeLessThan(0.015);
    expect(Math.abs(share('g-batch') - 0.498)).toBeLessThan(0.015);
    expect(Math.abs(share('g-prod') - 0.098)).toBeLessThan(0.015);
    // single-task batch jobs: the atom's 0.719 of the sample, within 0.02
    const batch = day.filter((j) => j.framework === 'g-batch');
    expect(Math.abs(batch.filter((j) => j.tasks.length === 1).length / batch.length - 0.719)).toBeLessThan(0.02);
    // durations: the median task within 2% of the Kaplan-Meier median, 401.39 s; the share of tasks
    // longer than 4,800 s (the sample's horizon) within 0.005 of 1 - 0.9762 = 0.0238
    const d = Float64Array.from(day.flatMap((j) => j.tasks.map((t) => t.duration / MICROS_PER_SECOND))).sort();
    expect(Math.abs(d[Math.floor(d.length / 2)]! / 401.388141 - 1)).toBeLessThan(0.02);
    expect(Math.abs(d.filter((x) => x > 4800).length / d.length - 0.0238)).toBeLessThan(0.005);
    // cpus: a tenth of the jobs ask no cpu (the sample's 10%), within 0.015
    expect(Math.abs(day.filter((j) => j.tasks[0]!.res[R.cpus] === 0).length / day.length - 0.1)).toBeLessThan(0.015);
  });

  test('memory follows cpu with the stated rank correlation', () => {
    // continuous cpu and memory (uniform on [0, 1] and [1, 2]), so that ranks have no ties:
    // Spearman's rho of the mixture copula is its weight, 0.5; over 20,000 jobs its standard error is 0.007
    const u = new EmpiricalQuantiles([
      [0, 0.001],
      [1, 1],
    ]);
    const shape = { ...GOOGLE_2011_SHAPE, cpu: u, mem: u, cpuMemRankCorrelation: 0.5 };
    const o = options(86_400 * 30, { shape, cpusPerUnit: 1000, memPerUnit: 1000 });
    const it = googleJobs(o, new RandomStream(5, 'copula'));
    const cpu: number[] = [];
    const mem: number[] = [];
    for (const j of it) {
      cpu.push(j.tasks[0]!.res[R.cpus]!);
      mem.push(j.tasks[0]!.res[R.mem]!);
      if (cpu.length === 20_000) break;
    }
    const rank = (xs: number[]) => {
      const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const r = new Float64Array(xs.length);
      order.forEach(([, i], k) => (r[i] = k));
      return r;
    };
    const rc = rank(cpu);
    const rm = rank(mem);
    const n = cpu.length;
    const m = (n - 1) / 2;
    let c = 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      c += (rc[i]! - m) * (rm[i]! - m);
      v += (rc[i]! - m) ** 2;
    }
    expect(Math.abs(c / v - 0.5)).toBeLessThan(0.03);
  });
});
