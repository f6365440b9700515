import { describe, expect, it } from '@jest/globals';
import { compareRuns, type CompareRun } from './compare.js';
import { compareCsv, compareMarkdown, compareText, short, TABLE_WIDTH } from './compare-table.js';
import { RUNS } from './test-support/compare-runs.js';

// The hand-worked comparison of reports/compare.test.ts: completion_p50_s, drf 10, 12, 14 (mean 12);
// random 7, 9, 10 (mean 8.667; diff -3.333 ± 4.303 / 3 = 1.434, better); fifo 12 on seed 2 and 30 on
// seed 4 (mean 21; one pair, diff 0, no interval). jain_arrival_mean: drf 0.9, random 0.8 (diff -0.1
// on every seed, no spread: worse), fifo 0.9 (diff 0 ± 0 over two pairs).
const c = compareRuns(RUNS, { reference: 'drf', metrics: ['completion_p50_s', 'jain_arrival_mean'] });

describe('the comparison as text, Markdown and CSV', () => {
  it('writes the terminal table aligned, with marks where the CI excludes zero', () => {
    expect(compareText(c)).toBe(
      [
        '3 policies, 3 seeds, reference drf; diff: policy minus reference, paired by seed, ± 95% CI',
        '',
        'metric             unit      better     drf    fifo                 random',
        '                                       mean    mean  diff ± 95% CI    mean       diff ± 95% CI',
        'completion_p50_s   s         lower    12.00   21.00          0       8.667  -3.333 ± 1.434 [+]',
        'jain_arrival_mean  fraction  higher  0.9000  0.9000      0 ± 0      0.8000     -0.1000 ± 0 [-]',
        '',
        '[+] better, [-] worse, [*] changed (no good direction): the 95% CI of the difference excludes 0',
        'fifo: no run of seed 3 (drf has); seed 4 unpaired (drf has no run)',
        '',
      ].join('\n'),
    );
  });

  it('names policies whose labels are too long for a column by letters, listed above the table', () => {
    // Labels of two compared fields (`field=value ...`), 45 characters: a column each would not fit in 100.
    const label = (p: string): string => `allocator=${p} frameworks.0.workload.rate=0.5`;
    const long = RUNS.map((r) => ({ ...r, policy: label(r.policy) }));
    const text = compareText(compareRuns(long, { reference: label('drf'), metrics: ['completion_p50_s', 'jain_arrival_mean'] }));
    const lines = text.split('\n');
    // Policy order: the reference, then the others by label (fifo, random): A, B, C.
    expect(lines.slice(2, 7)).toEqual(['policies:', `  A  ${label('drf')} (reference)`, `  B  ${label('fifo')}`, `  C  ${label('random')}`, '']);
    expect(lines.filter((l) => l.startsWith('metric ')).every((l) => /^metric +unit +better +A +[BC]/.test(l))).toBe(true);
    expect(lines).toContain('B: no run of seed 3 (A has); seed 4 unpaired (A has no run)');
    expect(lines[0]).toMatch(/^3 policies, 3 seeds, reference A;/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(TABLE_WIDTH);
    // Short labels keep their names and no legend (the hand-worked table above).
    expect(compareText(c)).not.toContain('policies:');
  });

  it('keeps every line within 100 columns: more policies go to further blocks, each with the reference', () => {
    const many: CompareRun[] = RUNS.filter((r) => r.policy !== 'fifo').flatMap((r) =>
      r.policy === 'drf' ? [r] : ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => ({ ...r, policy: `random-${p}` })),
    );
    const text = compareText(compareRuns(many, { reference: 'drf', metrics: ['completion_p50_s', 'jain_arrival_mean'] }));
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(TABLE_WIDTH);
    const heads = lines.filter((l) => l.startsWith('metric '));
    expect(heads.length).toBeGreaterThan(1);
    expect(heads.every((l) => /^metric +unit +better +drf /.test(l))).toBe(true);
    // Every policy is in exactly one block.
    for (const p of ['a', 'b', 'c', 'd', 'e', 'f']) expect(heads.filter((l) => l.includes(`random-${p}`))).toHaveLength(1);
  });

  it('writes Markdown with the verdicts in words', () => {
    const md = compareMarkdown(c, 'offersim compare');
    expect(md.startsWith('### offersim compare\n')).toBe(true);
    expect(md).toContain(
      [
        '| metric | unit | better | drf mean | fifo mean | fifo - drf (95% CI) | random mean | random - drf (95% CI) |',
        '|---|---|---|---:|---:|---:|---:|---:|',
        '| `completion_p50_s` | s | lower | 12.00 | 21.00 | 0 | 8.667 | -3.333 ± 1.434 **better** |',
        '| `jain_arrival_mean` | fraction | higher | 0.9000 | 0.9000 | 0 ± 0 | 0.8000 | -0.1000 ± 0 **worse** |',
      ].join('\n'),
    );
    expect(md).toContain('- fifo: no run of seed 3 (drf has); seed 4 unpaired (drf has no run)');
  });

  it('writes tidy CSV with LF line ends, a row per policy x metric', () => {
    expect(compareCsv(c)).toBe(
      [
        'policy,framework,metric,unit,better,n,mean,pairs,diff,diff_ci95,significant,verdict',
        'drf,,completion_p50_s,s,lower,3,12.000000,0,,,false,',
        'drf,,jain_arrival_mean,fraction,higher,3,0.900000,0,,,false,',
        'fifo,,completion_p50_s,s,lower,2,21.000000,1,0.000000,,false,',
        'fifo,,jain_arrival_mean,fraction,higher,3,0.900000,2,0.000000,0.000000,false,',
        'random,,completion_p50_s,s,lower,3,8.666667,3,-3.333333,1.434333,true,better',
        'random,,jain_arrival_mean,fraction,higher,3,0.800000,3,-0.100000,0.000000,true,worse',
        '',
      ].join('\n'),
    );
  });

  it('writes numbers to about four significant digits, never in exponent notation', () => {
    expect([short(0.123456), short(1234.5), short(12), short(-0.0000001), short(1e-9), short(NaN), short(2.5e21)]).toEqual([
      '0.1235',
      '1235',
      '12.00',
      '0.000000',
      '0.000000',
      '-',
      '2500000000000000000000',
    ]);
  });
});
