/**
 * docs/metrics.md's tables of every metric are generated, never typed: the committed ones must
 * equal what `npm run metrics-table` makes from the catalogue of today, and the script must say so
 * (exit 0), or find them stale (exit 1), or refuse a file without its markers (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUMMARY_METRICS } from '../reports/catalogue.js';
import { CATALOGUE_MARKERS, METRICS_DOC, metricsTableMain, withCatalogue } from './metrics-table.js';
import { currentSection, replaceSection } from './policies-table.js';

const DOC = join(fileURLToPath(new URL('..', import.meta.url)), METRICS_DOC);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-metrics-table-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function main(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = metricsTableMain(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

describe('docs/metrics.md', () => {
  test('its tables equal what the catalogue generates (run npm run metrics-table when this fails)', () => {
    const text = readFileSync(DOC, 'utf8');
    expect(withCatalogue(text)).toBe(text);
    // One table row per summary metric, each naming its key.
    const section = currentSection(text, DOC, CATALOGUE_MARKERS);
    for (const m of SUMMARY_METRICS) expect(section).toContain(`| \`${m.key}\` | ${m.description} |`);
  });

  test('the script finds a stale copy (exit 1), rewrites it (exit 0), and then finds it up to date', () => {
    const copy = join(tmp, 'metrics.md');
    const text = readFileSync(DOC, 'utf8');
    writeFileSync(copy, replaceSection(text, '| `stale` | an old row |', copy, CATALOGUE_MARKERS));
    const stale = main('--check', '--doc', copy);
    expect([stale.code, stale.err]).toEqual([1, `${copy}: the metric tables are stale; run npm run metrics-table\n`]);
    expect(main('--doc', copy).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(text);
    expect(main('--check', '--doc', copy)).toEqual({ code: 0, out: `${copy}: the metric tables are up to date\n`, err: '' });
  });

  test('a file without the markers, a missing file or an unknown flag is bad input (exit 2)', () => {
    const bare = join(tmp, 'bare.md');
    writeFileSync(bare, '# Metrics\n');
    const r = main('--check', '--doc', bare);
    expect(r.code).toBe(2);
    expect(r.err).toContain(CATALOGUE_MARKERS.start);
    expect(main('--doc', join(tmp, 'absent.md')).code).toBe(2);
    expect(main('--chek').code).toBe(2);
  });
});
