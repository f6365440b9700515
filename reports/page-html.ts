/**
 * The self-contained report page: the vega, vega-lite and vega-embed bundles inlined (no network),
 * a header, the page's sections (tables, text, charts) and one `vegaEmbed` call per chart. Pure
 * text: imports neither vega nor any I/O, so `offersim compare --html` writes a page without
 * loading the renderers.
 */
import { assertNever } from '../sim/kernel/assert.js';
import type { Chart, OmittedChart } from './chart-style.js';

/** The text of the three UMD bundles the report page inlines. */
export interface Bundles {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** A table cell: its text, and optionally the raw value (written as `data-value`) and a class. */
export interface HtmlCell {
  readonly text: string;
  /** the value as its file wrote it, for a reader (or a test) of the page */
  readonly value?: string;
  /** a CSS class: `num` (right-aligned), `better`, `worse`, `changed` */
  readonly className?: string;
  /** a tooltip, e.g. the metric's description */
  readonly hint?: string;
}

/** One section of a report page, in page order. */
export type PageSection =
  | {
      readonly kind: 'table';
      /** the table's id attribute */
      readonly id: string;
      readonly heading: string;
      /** a line under the heading */
      readonly note?: string;
      readonly head: readonly string[];
      readonly rows: readonly (readonly HtmlCell[])[];
    }
  | { readonly kind: 'pre'; readonly id: string; readonly heading: string; readonly note?: string; readonly text: string }
  | { readonly kind: 'lines'; readonly id: string; readonly heading: string; readonly lines: readonly string[] }
  | { readonly kind: 'charts'; readonly heading: string; readonly charts: readonly Chart[]; readonly omitted: readonly OmittedChart[] };

/** What a report page shows. */
export interface ReportPage {
  /** page title, e.g. the scenario name */
  readonly title: string;
  /** a paragraph under the title (the scenario's description); default none */
  readonly subtitle?: string;
  /** header lines as label/value pairs (scenario, allocator, seed, fingerprint, ...) */
  readonly facts: readonly (readonly [string, string])[];
  readonly sections: readonly PageSection[];
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
table.data { display: block; overflow-x: auto; max-width: 100%; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.better { color: #1a7f37; font-weight: bold; } td.worse { color: #b00; font-weight: bold; } td.changed { font-weight: bold; }
table.facts th { width: 11em; } p.subtitle { color: #444; } p.note, p.omitted { color: #555; font-size: 0.9em; }
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
  if (page.subtitle !== undefined) out.push(`<p class="subtitle">${escapeHtml(page.subtitle)}</p>`);
  out.push('<table class="facts" id="facts">');
  for (const [k, v] of page.facts) out.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  out.push('</table>');
  const charts: Chart[] = [];
  for (const s of page.sections) out.push(...sectionHtml(s, charts));
  const calls = charts.map((c, k) => `  vegaEmbed('#c${k}', ${scriptJson(c.spec)}, {actions: false, renderer: 'svg'}).catch(fail('#c${k}'))`);
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

/** A section's HTML; its charts are appended to `charts` (their element ids count on from its length). */
function sectionHtml(s: PageSection, charts: Chart[]): string[] {
  const out = [`<h2>${escapeHtml(s.heading)}</h2>`];
  switch (s.kind) {
    case 'table': {
      if (s.note !== undefined) out.push(`<p class="note">${escapeHtml(s.note)}</p>`);
      const numeric = s.head.map((_, i) => s.rows.length > 0 && s.rows.every((r) => r[i]?.className?.split(' ').includes('num') ?? false));
      out.push(`<table class="data" id="${escapeHtml(s.id)}">`);
      out.push(`<tr>${s.head.map((h, i) => `<th${numeric[i] === true ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr>`);
      for (const r of s.rows) out.push(`<tr>${r.map(cellHtml).join('')}</tr>`);
      out.push('</table>');
      return out;
    }
    case 'pre':
      if (s.note !== undefined) out.push(`<p class="note">${escapeHtml(s.note)}</p>`);
      out.push(`<pre id="${escapeHtml(s.id)}">${escapeHtml(s.text)}</pre>`);
      return out;
    case 'lines':
      out.push(`<ul id="${escapeHtml(s.id)}">`, ...s.lines.map((l) => `<li>${escapeHtml(l)}</li>`), '</ul>');
      return out;
    case 'charts':
      for (const c of s.charts) {
        out.push(`<div class="chart"><div id="c${charts.length}" aria-label="${escapeHtml(c.title)}"></div></div>`);
        charts.push(c);
      }
      for (const o of s.omitted) out.push(`<p class="omitted" data-chart="${escapeHtml(o.name)}">${escapeHtml(`${o.title}: not drawn, ${o.why}.`)}</p>`);
      return out;
    default:
      return assertNever(s);
  }
}

/** A table cell's HTML. */
function cellHtml(c: HtmlCell): string {
  const attrs = [
    c.className === undefined ? '' : ` class="${escapeHtml(c.className)}"`,
    c.value === undefined ? '' : ` data-value="${escapeHtml(c.value)}"`,
    c.hint === undefined ? '' : ` title="${escapeHtml(c.hint)}"`,
  ].join('');
  return `<td${attrs}>${escapeHtml(c.text)}</td>`;
}
