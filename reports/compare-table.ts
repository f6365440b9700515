/**
 * A comparison of policies (reports/compare.ts) written out: an aligned text table for the
 * terminal (a metric per row, a policy per column group, at most 100 columns wide), a Markdown
 * table for a pull-request comment, and a tidy CSV file (a row per policy x metric x framework).
 * Pure; imports the catalogue's vocabulary and the writers' CSV helper only.
 */
import type { CompareRow, CompareVerdict, Comparison } from './compare.js';
import { fmt, fmtInt } from './format.js';
import { csv } from './writers.js';

/** The widest a terminal table's line may be. */
export const TABLE_WIDTH = 100;

/** The terminal mark of a verdict: a difference whose 95% CI excludes zero. */
const MARK: Readonly<Record<CompareVerdict, string>> = { better: '[+]', worse: '[-]', changed: '[*]', none: '' };

/** What the marks mean, printed under a terminal table. */
export const MARK_LEGEND = '[+] better, [-] worse, [*] changed (no good direction): the 95% CI of the difference excludes 0';

/**
 * `x` to about four significant digits, never in exponent notation, at most 6 decimals; '-' when
 * undefined.
 * @example short(0.123456) // '0.1235'
 * @example short(1234.5) // '1235'
 */
export function short(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const digits = x === 0 ? 0 : Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x)))));
  return fmt(x, digits);
}

/** A signed difference and its CI: `+0.1000 ± 0.2484`; '-' without pairs. */
function diffText(r: CompareRow): string {
  if (!Number.isFinite(r.diff)) return '-';
  const d = short(r.diff);
  return `${r.diff > 0 && d !== short(0) ? '+' : ''}${d}${Number.isFinite(r.diffCi95) ? ` ± ${short(r.diffCi95)}` : ''}`;
}

/** The rows of one framework (null: the whole run), by policy then metric key. */
function rowIndex(c: Comparison, framework: string | null): Map<string, CompareRow> {
  return new Map(c.rows.filter((r) => r.framework === framework).map((r) => [`${r.policy}\u0000${r.metric.key}`, r]));
}

/** Pads the cells of `lines` into aligned columns: the first `left` columns to the left, the rest to the right. */
export function align(lines: readonly (readonly string[])[], left: number): string[] {
  const w = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) =>
    l
      .map((x, i) => (i < left ? x.padEnd(w[i]!) : x.padStart(w[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** One text table of `framework`'s rows (null: the whole run), in blocks of policies at most {@link TABLE_WIDTH} wide. */
function textBlock(c: Comparison, framework: string | null, shown: ReadonlyMap<string, string>): string[] {
  const index = rowIndex(c, framework);
  const metrics = c.metrics.filter((m) => index.has(`${c.reference}\u0000${m.key}`));
  if (metrics.length === 0) return [];
  const head = (policies: readonly string[]): string[][] => {
    const names = ['metric', 'unit', 'better'];
    const sub = ['', '', ''];
    for (const p of policies) {
      names.push(shown.get(p) ?? p);
      sub.push('mean');
      if (p !== c.reference) {
        names.push('');
        sub.push('diff ± 95% CI');
      }
    }
    // A mark ends its difference's cell, blanks keeping the numbers aligned in a block that has one.
    const marked = metrics.some((m) => policies.some((p) => index.get(`${p}\u0000${m.key}`)!.verdict !== 'none'));
    const body = metrics.map((m) => {
      const cells = [m.key, m.unit, m.better === 'none' ? '-' : m.better];
      for (const p of policies) {
        const r = index.get(`${p}\u0000${m.key}`)!;
        cells.push(short(r.mean));
        if (p !== c.reference) cells.push(marked ? `${diffText(r)} ${MARK[r.verdict] || '   '}` : diffText(r));
      }
      return cells;
    });
    return [names, sub, ...body];
  };
  // Greedy blocks: as many policies as fit, the reference in each so that its means stand beside the others.
  const out: string[] = [];
  const others = c.policies.filter((p) => p !== c.reference);
  let block: string[] = [];
  const flush = (): void => {
    out.push(...align(head([c.reference, ...block]), 3), '');
    block = [];
  };
  for (const p of others) {
    const tried = align(head([c.reference, ...block, p]), 3);
    if (block.length > 0 && Math.max(...tried.map((l) => l.length)) > TABLE_WIDTH) flush();
    block.push(p);
  }
  if (block.length > 0 || others.length === 0) flush();
  return out;
}

/** The longest policy label a terminal table's column shows as it is; longer ones make every policy a letter. */
const LABEL_WIDTH = 24;

/**
 * Short names for the terminal table when a policy label is too long for a column within
 * {@link TABLE_WIDTH} (several compared fields give `field=value ...` labels): A, B, ... Z, AA, AB,
 * ... in policy order, listed above the table; empty when every label fits.
 */
function shortNames(c: Comparison): Map<string, string> {
  if (c.policies.every((p) => p.length <= LABEL_WIDTH)) return new Map();
  const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + letters(i % 26));
  return new Map(c.policies.map((p, i) => [p, letters(i)]));
}

/** Lines naming the seeds a policy and the reference do not share (those are left unpaired). */
export function unpairedLines(c: Comparison, shown: ReadonlyMap<string, string> = new Map()): string[] {
  const name = (p: string): string => shown.get(p) ?? p;
  return c.unpaired.map(
    (u) =>
      `${name(u.policy)}: ${[
        u.missing.length > 0 ? `no run of seed${u.missing.length === 1 ? '' : 's'} ${u.missing.join(', ')} (${name(c.reference)} has)` : '',
        u.extra.length > 0 ? `seed${u.extra.length === 1 ? '' : 's'} ${u.extra.join(', ')} unpaired (${name(c.reference)} has no run)` : '',
      ]
        .filter((x) => x !== '')
        .join('; ')}`,
  );
}

/** The title line: what was compared against what. */
export function compareTitle(c: Comparison, seeds: number): string {
  return `${c.policies.length} ${c.policies.length === 1 ? 'policy' : 'policies'}, ${seeds} ${seeds === 1 ? 'seed' : 'seeds'}, reference ${c.reference}; diff: policy minus reference, paired by seed, ± 95% CI`;
}

/** The number of distinct seeds of the reference's runs (its largest n). */
export function seedCount(c: Comparison): number {
  return Math.max(0, ...c.rows.filter((r) => r.policy === c.reference && r.framework === null).map((r) => r.n));
}

/** The comparison as text for the terminal: the whole run, then each framework. */
export function compareText(c: Comparison): string {
  const shown = shortNames(c);
  const legend = [...shown].map(([p, s]) => `  ${s}  ${p}${p === c.reference ? ' (reference)' : ''}`);
  const title = compareTitle({ ...c, reference: shown.get(c.reference) ?? c.reference }, seedCount(c));
  const lines = [title, '', ...(legend.length > 0 ? ['policies:', ...legend, ''] : []), ...textBlock(c, null, shown)];
  for (const f of c.frameworks) lines.push(`framework ${f}`, ...textBlock(c, f, shown));
  lines.push(MARK_LEGEND, ...unpairedLines(c, shown));
  return `${lines.join('\n')}\n`;
}

/** Markdown's escape of a table cell. */
function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

const VERDICT_WORD: Readonly<Record<CompareVerdict, string>> = { better: ' **better**', worse: ' **worse**', changed: ' **changed**', none: '' };

/** A verdict cell of a grid: the difference's verdict, or none. */
export interface GridCell {
  readonly text: string;
  /** the verdict of a difference cell whose interval excludes zero */
  readonly verdict: CompareVerdict;
}

/**
 * The table of `framework`'s rows (null: the whole run) as cells, shared by the Markdown and HTML
 * tables: a head (metric, unit, better, the reference's mean, then each other policy's mean and
 * its difference), and a row per metric with rows. Empty when no metric has rows.
 */
export function compareGrid(c: Comparison, framework: string | null): { head: string[]; rows: { key: string; cells: GridCell[] }[] } {
  const index = rowIndex(c, framework);
  const metrics = c.metrics.filter((m) => index.has(`${c.reference}\u0000${m.key}`));
  if (metrics.length === 0) return { head: [], rows: [] };
  const head = ['metric', 'unit', 'better', `${c.reference} mean`];
  const others = c.policies.filter((p) => p !== c.reference);
  for (const p of others) head.push(`${p} mean`, `${p} - ${c.reference} (95% CI)`);
  const plain = (text: string): GridCell => ({ text, verdict: 'none' });
  const rows = metrics.map((m) => {
    const cells = [m.key, m.unit, m.better === 'none' ? '-' : m.better, short(index.get(`${c.reference}\u0000${m.key}`)!.mean)].map(plain);
    for (const p of others) {
      const r = index.get(`${p}\u0000${m.key}`)!;
      cells.push(plain(short(r.mean)), { text: diffText(r), verdict: r.verdict });
    }
    return { key: m.key, cells };
  });
  return { head, rows };
}

/** One Markdown table of `framework`'s rows (null: the whole run). */
function markdownTable(c: Comparison, framework: string | null): string[] {
  const { head, rows } = compareGrid(c, framework);
  if (rows.length === 0) return [];
  const lines = [
    `| ${head.map(mdCell).join(' | ')} |`,
    `|---|---|---|${head
      .slice(3)
      .map(() => '---:|')
      .join('')}`,
  ];
  for (const r of rows) {
    const cells = r.cells.map((x, i) => (i === 0 ? `\`${x.text}\`` : `${x.text}${VERDICT_WORD[x.verdict]}`));
    lines.push(`| ${cells.map(mdCell).join(' | ')} |`);
  }
  return lines;
}

/** The comparison as Markdown (for a pull-request comment), titled `heading`. */
export function compareMarkdown(c: Comparison, heading: string): string {
  const parts = [`### ${heading}`, '', compareTitle(c, seedCount(c)), '', ...markdownTable(c, null)];
  for (const f of c.frameworks) parts.push('', `#### framework ${f}`, '', ...markdownTable(c, f));
  parts.push('', `A mark means the 95% CI of the paired difference excludes 0.`);
  const unpaired = unpairedLines(c);
  if (unpaired.length > 0) parts.push('', ...unpaired.map((l) => `- ${l}`));
  return `${parts.join('\n')}\n`;
}

/** The tidy CSV file's columns. */
export const COMPARE_CSV_COLUMNS: readonly string[] = [
  'policy',
  'framework',
  'metric',
  'unit',
  'better',
  'n',
  'mean',
  'pairs',
  'diff',
  'diff_ci95',
  'significant',
  'verdict',
];

/**
 * The comparison as tidy CSV (LF line ends): a row per policy x metric, the whole run's (framework
 * empty) then each framework's; numbers with 6 decimals, empty where undefined; verdict empty
 * unless significant.
 */
export function compareCsv(c: Comparison): string {
  const rows: string[][] = [[...COMPARE_CSV_COLUMNS]];
  for (const r of c.rows) {
    rows.push([
      r.policy,
      r.framework ?? '',
      r.metric.key,
      r.metric.unit,
      r.metric.better,
      fmtInt(r.n),
      fmt(r.mean),
      fmtInt(r.pairs),
      fmt(r.diff),
      fmt(r.diffCi95),
      r.significant ? 'true' : 'false',
      r.verdict === 'none' ? '' : r.verdict,
    ]);
  }
  return csv(rows);
}
