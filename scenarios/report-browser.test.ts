/**
 * The report pages (a run's, a sweep's, compare's) in a real headless Chromium (Debian's
 * chromium, installed by scripts/ensure-chromium.sh when missing): every chart draws an SVG, the
 * page marks itself rendered, no script or console error happened, and the rendered DOM holds the
 * header and the tables with the run's values. A page with a broken chart, and one without its
 * header, show that the checks can fail. Skipped, saying why, only where no browser can be installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'scenarios', 'cli.js');

const ensure = spawnSync('bash', [join(ROOT, 'scripts', 'ensure-chromium.sh')], { encoding: 'utf8', timeout: 900_000 });
const browser = ensure.status === 0 ? ensure.stdout.trim() : undefined;
if (ensure.status !== 0 && ensure.status !== 77) throw new Error(`scripts/ensure-chromium.sh failed (${String(ensure.status)}): ${ensure.stderr}`);
if (browser === undefined) process.stderr.write(`report-browser.test: skipped: ${ensure.stderr.trim()}\n`);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-browser-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The page's DOM after its scripts ran (virtual time: no waiting on the wall clock). */
function dumpDom(file: string): string {
  const profile = mkdtempSync(join(tmp, 'profile-'));
  const r = spawnSync(
    browser!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--virtual-time-budget=20000',
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`chromium exited ${String(r.status)}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** What the dumped page shows: rendered flag, error count, failed charts, charts that drew an SVG. */
function inspect(dom: string, charts: number) {
  // Each chart's own part of the page: from its wrapper to the next one (the last to the next heading).
  const parts = dom
    .split('<div class="chart">')
    .slice(1)
    .map((p) => p.split(/<h2>|<p class="omitted"/)[0]!);
  if (parts.length !== charts) throw new Error(`expected ${charts} chart blocks in the page, found ${parts.length}`);
  const drew = parts.map((p) => /<svg/.test(p));
  return {
    rendered: /<body[^>]*data-rendered="1"/.test(dom),
    errors: Number(/<html[^>]*data-errors="(\d+)"/.exec(dom)?.[1] ?? '0'),
    failed: (dom.match(/class="error"/g) ?? []).length,
    drew: drew.filter(Boolean).length,
  };
}

/** The header's facts in the dumped page: label to value. */
function header(dom: string): Record<string, string> {
  const table = /<table class="facts" id="facts">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? '';
  return Object.fromEntries([...table.matchAll(/<tr><th>([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!]));
}

/** What the header must say of the run in `dir`: from its manifest.json. */
function expectedHeader(dir: string): Record<string, string> {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    seed: number;
    fingerprint: string;
    offersim: string;
    allocator: { name: string };
  };
  return expect.objectContaining({ seed: String(m.seed), fingerprint: m.fingerprint, offersim: m.offersim, allocator: m.allocator.name }) as unknown as Record<
    string,
    string
  >;
}

(browser === undefined ? describe.skip : describe)('report.html in headless Chromium', () => {
  test('every chart draws and the page logs no error', () => {
    const out = join(tmp, 'run');
    const r = spawnSync(process.execPath, [CLI, 'run', join(ROOT, 'scenarios', 'examples', 'locality.yaml'), '--out', out, '--report'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const charts = (readFileSync(join(out, 'report.html'), 'utf8').match(/vegaEmbed\('#c\d+'/g) ?? []).length;
    // shares, utilisation, pending, completion CDF (linear and log), locality, offers; Jain's
    // index is left out with a line (never two frameworks with pending tasks at once)
    expect(charts).toBe(7);
    const dom = dumpDom(join(out, 'report.html'));
    expect(inspect(dom, charts)).toEqual({ rendered: true, errors: 0, failed: 0, drew: 7 });
    expect(header(dom)).toEqual(expectedHeader(out));
  }, 300_000);

  test("the run page's DOM: the header and the tables hold the run's values", () => {
    const out = join(tmp, 'run');
    const dom = dumpDom(join(out, 'report.html'));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, number | null>;
    // the headline table's CPU utilisation is summary.json's, as a percentage
    const cpu = /<td[^>]*>CPU utilisation<\/td><td class="num" data-value="([^"]*)">([^<]*)<\/td>/.exec(dom);
    expect(cpu).not.toBeNull();
    expect(Number(cpu![1])).toBe(summary['utilisation_cpus']);
    expect(cpu![2]).toBe(`${(summary['utilisation_cpus']! * 100).toPrecision(4)}%`);
    // a row per framework of frameworks.csv, in its order
    const names = readFileSync(join(out, 'frameworks.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    const table = /<table class="data" id="frameworks">([\s\S]*?)<\/table>/.exec(dom)![1]!;
    expect([...table.matchAll(/<tr><td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(names);
    expect(dom).toMatch(/<pre id="scenario">/);
  }, 300_000);

  test("a sweep's report: each metric against the swept parameter draws, no error", () => {
    const out = join(tmp, 'sweep');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_ARRAY_')));
    expect(
      spawnSync(process.execPath, [CLI, 'sweep', join(ROOT, 'scenarios', 'examples', 'sweep.yaml'), '--out', out, '--workers', '1'], { encoding: 'utf8', env })
        .status,
    ).toBe(0);
    const r = spawnSync(process.execPath, [CLI, 'report', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const charts = (readFileSync(join(out, 'report.html'), 'utf8').match(/vegaEmbed\('#c\d+'/g) ?? []).length;
    // jain, utilisation, completion, queueing delay, slowdown (no locality in this sweep; none
    // abandoned and no scheduler busy: those two are 0 everywhere, left out with a line each)
    expect(charts).toBe(5);
    const dom = dumpDom(join(out, 'report.html'));
    expect(inspect(dom, charts)).toEqual({ rendered: true, errors: 0, failed: 0, drew: charts });
    expect(dom.match(/<p class="omitted"/g)).toHaveLength(3);
    // the table of policies x metrics comes first
    expect(dom.indexOf('<table class="data" id="compare">')).toBeGreaterThan(0);
    expect(dom.indexOf('<table class="data" id="compare">')).toBeLessThan(dom.indexOf('<div class="chart">'));
  }, 300_000);

  test("compare's page: the table and a chart per metric and difference draw, no error", () => {
    const page = join(tmp, 'compare.html');
    const r = spawnSync(process.execPath, [CLI, 'compare', join(tmp, 'sweep'), '--by', 'frameworks.0.workload.rate', '--html', page], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const charts = (readFileSync(page, 'utf8').match(/vegaEmbed\('#c\d+'/g) ?? []).length;
    expect(charts).toBeGreaterThan(0);
    const dom = dumpDom(page);
    expect(inspect(dom, charts)).toEqual({ rendered: true, errors: 0, failed: 0, drew: charts });
    expect(dom).toMatch(/<table class="data" id="compare">/);
    expect(dom).toMatch(/<th>reference<\/th><td>[^<]+<\/td>/);
  }, 300_000);

  test('a broken chart is caught: the check can fail', () => {
    const good = readFileSync(join(tmp, 'run', 'report.html'), 'utf8');
    // Replace the first chart's spec with one Vega-Lite rejects (an unknown mark).
    const broken = good.replace(
      /vegaEmbed\('#c0', \{[\s\S]*?\}, \{actions/,
      'vegaEmbed(\'#c0\', {"data": {"values": [{"x": 1}]}, "mark": "no-such-mark"}, {actions',
    );
    expect(broken).not.toBe(good);
    const file = join(tmp, 'broken.html');
    writeFileSync(file, broken);
    const seen = inspect(dumpDom(file), 7);
    expect(seen.failed).toBe(1);
    expect(seen.errors).toBeGreaterThan(0);
    expect(seen.drew).toBe(6);
  }, 300_000);

  test('a page without its header is caught: the DOM check can fail', () => {
    const good = readFileSync(join(tmp, 'run', 'report.html'), 'utf8');
    const file = join(tmp, 'headless.html');
    writeFileSync(file, good.replace(/<table class="facts" id="facts">[\s\S]*?<\/table>/, ''));
    expect(header(dumpDom(file))).not.toEqual(expectedHeader(join(tmp, 'run')));
  }, 300_000);
});
