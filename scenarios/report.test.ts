/**
 * `offersim report DIR` and `offersim run --report`: every chart file and report.html of a run
 * directory, the same bytes when rendered again in a fresh process, the run's own files left as
 * they were, and exit 2 for a directory that is not a run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeScript } from '../reports/page-html.js';
import { readBundles } from './page-bundles.js';
import { cli } from './test-support/cli.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');
const SMALL = join(HERE, 'golden', 'small.yaml');
const EXPECTED = join(HERE, 'golden', 'small.expected');
// locality is left out: no task of the small run prefers a location
const CHARTS = ['completion-cdf', 'completion-cdf-log', 'jain', 'offers', 'pending', 'shares', 'utilisation'];
const CHART_FILES = CHARTS.flatMap((c) => [`${c}.png`, `${c}.svg`, `${c}.vl.json`]).sort();

let tmp: string;
let run: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-report-'));
  run = join(tmp, 'small');
  const r = await cli('run', SMALL, '--out', run, '--report');
  if (r.code !== 0) throw new Error(`run --report failed: ${r.err}`);
}, 120_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Every file under dir (one level of subdirectories), by relative path, as bytes. */
function files(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory()) for (const f of readdirSync(join(dir, e.name)).sort()) out[`${e.name}/${f}`] = readFileSync(join(dir, e.name, f));
    else out[e.name] = readFileSync(join(dir, e.name));
  }
  return out;
}

describe('offersim run --report', () => {
  test('writes every chart as .vl.json, .svg and .png, and report.html, next to the unchanged run files', () => {
    expect(readdirSync(join(run, 'charts')).sort()).toEqual(CHART_FILES);
    expect(existsSync(join(run, 'report.html'))).toBe(true);
    expect(readdirSync(run).sort()).toEqual([
      'charts',
      'frameworks.csv',
      'jobs.csv',
      'manifest.json',
      'report.html',
      'scenario.yaml',
      'summary.json',
      'timeseries-long.csv',
      'timeseries.csv',
      'timing.json',
    ]);
    for (const f of readdirSync(EXPECTED)) expect(readFileSync(join(run, f), 'utf8')).toBe(readFileSync(join(EXPECTED, f), 'utf8'));
    // scenario.yaml is the scenario file's bytes, hashing to the manifest's sha256; the page shows it as written.
    const source = readFileSync(join(run, 'scenario.yaml'));
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as { scenario: { sha256: string } };
    expect(createHash('sha256').update(source).digest('hex')).toBe(manifest.scenario.sha256);
    const page = readFileSync(join(run, 'report.html'), 'utf8');
    const shown = /<pre id="scenario-source">([\s\S]*?)<\/pre>/.exec(page)?.[1];
    expect(shown?.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')).toBe(
      source.toString('utf8'),
    );
    expect(page).toContain('its sha256 is the manifest&#39;s');
    const spec = JSON.parse(readFileSync(join(run, 'charts', 'shares.vl.json'), 'utf8')) as { data: { values: { framework: string }[] } };
    expect([...new Set(spec.data.values.map((v) => v.framework))]).toEqual(['cpu', 'mem', 'fixed']);
    const svg = readFileSync(join(run, 'charts', 'shares.svg'), 'utf8');
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(3);
  });
});

describe('offersim report DIR', () => {
  test('rerendered in a fresh process (the built CLI): every file byte for byte the same', () => {
    const before = files(run);
    const stdout = execFileSync(process.execPath, [CLI, 'report', run], { encoding: 'utf8' });
    expect(stdout).toMatch(/22 files in /);
    const after = files(run);
    const { ['timing.json']: _t1, ...a } = before;
    const { ['timing.json']: _t2, ...b } = after;
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect([k, Buffer.compare(b[k]!, a[k]!)]).toEqual([k, 0]);
    expect(readdirSync(tmp)).toEqual(['small']);
    expect(readdirSync(run).filter((f) => f.includes('partial') || f.includes('.old-'))).toEqual([]);
  }, 120_000);

  test('report.html: the three bundles inlined, one embed call per chart, no script from the network', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    const bundles = readBundles();
    for (const b of [bundles.vega, bundles.vegaLite, bundles.vegaEmbed]) expect(html.includes(escapeScript(b))).toBe(true);
    expect(html.match(/vegaEmbed\('#c\d+'/g)).toHaveLength(CHARTS.length);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<(link|img|iframe)[^>]*(src|href)=["']?https?:/i);
    expect(html).toMatch(/<td title="[^"]*">jain_mean<\/td><td class="num" data-value="[0-9.]+">/);
    // the resolved scenario, as YAML
    expect(html).toMatch(/<pre id="scenario">[^<]*\nallocator: drf\n/);
  });

  test("a scenario.yaml changed after the run is shown with a note saying its hash is not the manifest's", async () => {
    const dir = join(tmp, 'edited');
    cpSync(run, dir, { recursive: true });
    writeFileSync(join(dir, 'scenario.yaml'), `${readFileSync(join(dir, 'scenario.yaml'), 'utf8')}# edited\n`);
    const r = await cli('report', dir, '--no-png');
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toContain('its sha256 is NOT the manifest&#39;s');
    expect(page).toMatch(/<pre id="scenario-source">[\s\S]*# edited\n<\/pre>/);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('--no-png writes the specs and SVGs only', async () => {
    const dir = join(tmp, 'nopng');
    cpSync(run, dir, { recursive: true });
    const r = await cli('report', dir, '--no-png');
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'charts')).sort()).toEqual(CHART_FILES.filter((f) => !f.endsWith('.png')));
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('not a run directory: exit 2, naming what is missing, and nothing written', async () => {
    const none = await cli('report', join(tmp, 'no-such-dir'));
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no-such-dir: not a run or sweep directory \(no such directory\)/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const e = await cli('report', empty);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/empty: not an offersim run directory \(no offersim manifest\.json\)/);
    expect(readdirSync(empty)).toEqual([]);
    // an offersim manifest, but the other files missing
    writeFileSync(join(empty, 'manifest.json'), readFileSync(join(run, 'manifest.json')));
    const m = await cli('report', empty);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/missing summary\.json, jobs\.csv, frameworks\.csv, timeseries\.csv/);
    expect(readdirSync(empty)).toEqual(['manifest.json']);
    rmSync(empty, { recursive: true, force: true });
  });

  test('a CSV too large to chart (over 256 MiB): exit 2 naming it and its size, before reading it', async () => {
    const dir = join(tmp, 'huge');
    cpSync(run, dir, { recursive: true });
    // 600 MiB, sparse (no disk used): more text than a JavaScript string holds (512 MiB).
    truncateSync(join(dir, 'timeseries.csv'), 600 * 1024 * 1024);
    const before = readdirSync(dir).sort();
    const r = await cli('report', dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `${join(dir, 'timeseries.csv')}: 600 MiB: too large to chart (a report reads at most 256 MiB a file); for a long run, choose a coarser output.sampleInterval\n`,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a broken CSV file: exit 2 naming it, and the previous charts stay', async () => {
    const dir = join(tmp, 'broken');
    cpSync(run, dir, { recursive: true });
    writeFileSync(join(dir, 'timeseries.csv'), 't_s,util_cpus\r\n0.000000,0.000000\r\n');
    const before = files(dir);
    const r = await cli('report', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/timeseries\.csv: missing column jain/);
    expect(files(dir)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('sweep report: parameter values with commas', () => {
  test('a quoted summary.csv field (an allocator object) keeps its label and its own values', async () => {
    // Two allocators x two seeds of a 4-task job on 4 agents of 4 cpus: each run keeps 4 of the 16
    // cpus busy for all of its 5 s, so utilisation_cpus is 0.25 in every point (CI 0). Before, the
    // report split summary.csv at every comma: the object's row was labelled `allocator="{""name"":""drf""`
    // and its cells were read from the wrong columns.
    const dir = mkdtempSync(join(tmpdir(), 'offersim-report-csv-'));
    try {
      const scenario = join(dir, 's.yaml');
      writeFileSync(
        scenario,
        [
          'cluster:',
          '  agents:',
          '    - { count: 4, cpus: 4, mem: 4096 }',
          'frameworks:',
          '  - name: a',
          '    workload: { kind: inline, jobs: [{ submit: 0, tasks: [{ cpus: 1, mem: 64, duration: 5, count: 4 }] }] }',
          'sweep:',
          '  matrix:',
          '    allocator: [drf, { name: drf, excludedResources: [mem, disk] }]',
          '  seeds: [1, 2]',
          '',
        ].join('\n'),
      );
      const out = join(dir, 'sw');
      expect((await cli('sweep', scenario, '--out', out, '--workers', '1')).code).toBe(0);
      expect((await cli('report', out, '--no-png')).code).toBe(0);
      const page = readFileSync(join(out, 'report.html'), 'utf8').replace(/&quot;/g, '"');
      // the table of policies x metrics names both policies, the object by its JSON
      expect(page).toContain('<th class="num">drf mean</th><th class="num">{"name":"drf","params":{},"excludedResources":["mem","disk"]} mean</th>');
      const spec = JSON.parse(readFileSync(join(out, 'charts', 'sweep-utilisation-cpus.vl.json'), 'utf8')) as {
        data: { values: { x: string; mean: number }[] };
      };
      expect(spec.data.values.map((v) => [v.x, v.mean])).toEqual([
        ['drf', 0.25],
        ['{"name":"drf","excludedResources":["mem","disk"]}', 0.25],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
