/**
 * report.html in a real headless Chromium (Debian's chromium, installed by
 * scripts/ensure-chromium.sh when missing): every chart draws an SVG, the page marks itself
 * rendered, and no script or console error happened. A page with a broken chart shows that the
 * check can fail. Skipped, saying why, only where no browser can be installed.
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
    .map((p) => p.split('<h2>')[0]!);
  if (parts.length !== charts) throw new Error(`expected ${charts} chart blocks in the page, found ${parts.length}`);
  const drew = parts.map((p) => /<svg/.test(p));
  return {
    rendered: /<body[^>]*data-rendered="1"/.test(dom),
    errors: Number(/<html[^>]*data-errors="(\d+)"/.exec(dom)?.[1] ?? '0'),
    failed: (dom.match(/class="error"/g) ?? []).length,
    drew: drew.filter(Boolean).length,
  };
}

(browser === undefined ? describe.skip : describe)('report.html in headless Chromium', () => {
  test('every chart draws and the page logs no error', () => {
    const out = join(tmp, 'run');
    const r = spawnSync(process.execPath, [CLI, 'run', join(ROOT, 'scenarios', 'examples', 'locality.yaml'), '--out', out, '--report'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const charts = (readFileSync(join(out, 'report.html'), 'utf8').match(/vegaEmbed\('#c\d+'/g) ?? []).length;
    expect(charts).toBe(6);
    expect(inspect(dumpDom(join(out, 'report.html')), charts)).toEqual({ rendered: true, errors: 0, failed: 0, drew: 6 });
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
    // jain, utilisation, completion, queueing delay, slowdown, abandoned, busyness (no locality in this sweep)
    expect(charts).toBe(7);
    expect(inspect(dumpDom(join(out, 'report.html')), charts)).toEqual({ rendered: true, errors: 0, failed: 0, drew: charts });
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
    const seen = inspect(dumpDom(file), 6);
    expect(seen.failed).toBe(1);
    expect(seen.errors).toBeGreaterThan(0);
    expect(seen.drew).toBe(5);
  }, 300_000);
});
