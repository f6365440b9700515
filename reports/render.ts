/**
 * Rendering of the run charts (DESIGN.md section 6): Vega-Lite spec to SVG through vega's
 * headless view (no canvas: `canvas` must stay out of the dependency tree, it changes text
 * metrics), SVG to PNG with resvg and fonts passed in by path, and the self-contained report
 * page. No I/O of its own: the caller supplies the bundles' text and the font paths.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart, VlSpec } from './charts.js';

/** A Vega-Lite spec compiled and rendered to SVG text by vega's headless view. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.endsWith('\n') ? svg : `${svg}\n`;
  } finally {
    view.finalize();
  }
}

/** The fonts resvg is given; system fonts are never loaded, so PNGs do not depend on the host. */
export interface PngFonts {
  /** TrueType files: DejaVu Sans and DejaVu Sans Bold */
  readonly files: readonly string[];
  /** family used for unknown and generic sans-serif names; default 'DejaVu Sans' */
  readonly family?: string;
}

/** SVG text rendered to a PNG at `zoom` times its size (default 2). */
export function renderPng(svg: string, fonts: PngFonts, zoom = 2): Buffer {
  const family = fonts.family ?? 'DejaVu Sans';
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [...fonts.files], defaultFontFamily: family, sansSerifFamily: family },
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

/** The text of the three UMD bundles the report page inlines. */
export interface Bundles {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** What the report page shows. */
export interface ReportPage {
  /** page title, e.g. the scenario name */
  readonly title: string;
  /** header lines as label/value pairs (scenario file, seed, fingerprint, ...) */
  readonly facts: readonly (readonly [string, string])[];
  /** summary.json as ordered key/value pairs (values as written there) */
  readonly summary: readonly (readonly [string, string])[];
  /** the resolved scenario, as text (pretty JSON) */
  readonly scenario: string;
  readonly charts: readonly Chart[];
  readonly bundles: Bundles;
}

/** Text escaped for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Script text made safe inside `<script>`: `</script` becomes `<\/script`, so it cannot close the
 * element. In valid JavaScript that text occurs only inside strings, templates, regular
 * expressions or comments, where `\/` means `/`.
 */
export function escapeScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON for a script block: `<`, U+2028 and U+2029 escaped, so no text in it can end the script. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body { font-family: 'DejaVu Sans', Verdana, sans-serif; margin: 1.5em auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f6f6; padding: 0.8em; overflow: auto; font-size: 0.8em; max-height: 30em; }
.chart { margin: 1em 0; }
.error { color: #b00; white-space: pre-wrap; }
`;

/**
 * The report page: one HTML file with the vega, vega-lite and vega-embed bundles inlined (no
 * network), one `vegaEmbed` call per chart, the summary table and the scenario. Deterministic:
 * the same inputs give the same bytes. When every chart has settled, the body gets
 * `data-rendered="1"`; a failed chart shows its error in place (class "error"), and every script
 * or console error is counted in the root element's `data-errors`.
 */
export function reportHtml(page: ReportPage): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  // Before anything else: count script errors and console errors on the root element
  // (data-errors), so that a headless browser's dump of the page shows whether any happened.
  out.push(
    '<script>(function () { var n = 0; function bump() { n++; document.documentElement.setAttribute("data-errors", String(n)); }' +
      ' window.addEventListener("error", bump); var e = console.error;' +
      ' console.error = function () { bump(); return e.apply(console, arguments); }; })();</script>',
  );
  out.push(`<title>${escapeHtml(page.title)} - offersim report</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(`<script>${escapeScript(page.bundles.vega)}</script>`);
  out.push(`<script>${escapeScript(page.bundles.vegaLite)}</script>`);
  out.push(`<script>${escapeScript(page.bundles.vegaEmbed)}</script>`);
  out.push('</head>', '<body>');
  out.push(`<h1>${escapeHtml(page.title)}</h1>`);
  out.push('<table class="facts">');
  for (const [k, v] of page.facts) out.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  out.push('</table>');
  out.push('<h2>Charts</h2>');
  page.charts.forEach((c, k) => {
    out.push(`<div class="chart"><div id="c${k}" aria-label="${escapeHtml(c.title)}"></div></div>`);
  });
  out.push('<h2>Summary</h2>', '<table class="summary">', '<tr><th>metric</th><th>value</th></tr>');
  for (const [k, v] of page.summary) out.push(`<tr><td>${escapeHtml(k)}</td><td class="num">${escapeHtml(v)}</td></tr>`);
  out.push('</table>');
  out.push('<h2>Scenario</h2>', `<pre>${escapeHtml(page.scenario)}</pre>`);
  const calls = page.charts.map((c, k) => `  vegaEmbed('#c${k}', ${scriptJson(c.spec)}, {actions: false, renderer: 'svg'}).catch(fail('#c${k}'))`);
  out.push('<script>');
  out.push(
    'function fail(sel) { return function (e) { var d = document.querySelector(sel); d.className = "error"; d.textContent = String(e); console.error(String(e)); }; }',
  );
  out.push('Promise.all([');
  out.push(calls.join(',\n'));
  out.push(']).then(function () { document.body.setAttribute("data-rendered", "1"); });');
  out.push('</script>');
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
