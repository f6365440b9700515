/**
 * Rendering of the run charts: SVG with one series per framework or resource, byte-identical on
 * rerender; PNG with the bundled font, byte-identical too; the report page self-contained.
 */
import { describe, expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Chart } from './chart-style.js';
import { runTablesFromCsv } from './charts.js';
import { escapeScript, reportHtml, type PageSection } from './page-html.js';
import { renderPng, renderSvg } from './render.js';
import { runCharts } from './run-charts.js';
import { SMALL_RUN } from './test-support/run-csv.js';

const { charts } = runCharts(runTablesFromCsv(SMALL_RUN));
const chart = (name: string): Chart => charts.find((c) => c.name === name)!;
const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;
const LINE = /aria-roledescription="line mark"/g;
const BAR = /aria-roledescription="bar"/g;

const FONT_DIR = join(dirname(fileURLToPath(import.meta.resolve('dejavu-fonts-ttf/package.json'))), 'ttf');
const FONTS = { files: [join(FONT_DIR, 'DejaVuSans.ttf'), join(FONT_DIR, 'DejaVuSans-Bold.ttf')] };

describe('renderSvg', () => {
  test('a line per framework, per resource, one for Jain; a bar per framework and level or outcome', async () => {
    expect(count(await renderSvg(chart('shares').spec), LINE)).toBe(2);
    expect(count(await renderSvg(chart('utilisation').spec), LINE)).toBe(2);
    expect(count(await renderSvg(chart('jain').spec), LINE)).toBe(1);
    expect(count(await renderSvg(chart('completion-cdf').spec), LINE)).toBe(2);
    expect(count(await renderSvg(chart('locality').spec), BAR)).toBe(3);
    expect(count(await renderSvg(chart('offers').spec), BAR)).toBe(6);
  }, 60_000);

  test('rerendering gives the same bytes; the legend names the frameworks', async () => {
    const a = await renderSvg(chart('shares').spec);
    const b = await renderSvg(chart('shares').spec);
    expect(a).toBe(b);
    expect(a.startsWith('<svg')).toBe(true);
    expect(a).toMatch(/>a<\/text>/);
    expect(a).toMatch(/>b<\/text>/);
  }, 60_000);
});

describe('renderPng', () => {
  test('a PNG at twice the SVG size, byte-identical on rerender, and text is drawn with the given font', async () => {
    const svg = await renderSvg(chart('offers').spec);
    const a = renderPng(svg, FONTS);
    const b = renderPng(svg, FONTS);
    expect(a.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(Buffer.compare(a, b)).toBe(0);
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    expect(a.readUInt32BE(16)).toBe(2 * width);
    // Without a font resvg silently draws no text: the picture (and its size) differs.
    const noText = renderPng(svg, { files: [] });
    expect(Buffer.compare(a, noText)).not.toBe(0);
  }, 60_000);
});

describe('reportHtml', () => {
  const bundles = { vega: 'var vega = 1; // </script> inside', vegaLite: 'var vegaLite = 2;', vegaEmbed: 'var vegaEmbed = 3;' };
  const sections: PageSection[] = [
    {
      kind: 'table',
      id: 'headline',
      heading: 'Headline metrics',
      head: ['metric', 'value'],
      rows: [[{ text: 'jain_mean' }, { text: '90%', value: '0.900000', className: 'num' }]],
    },
    { kind: 'pre', id: 'scenario', heading: 'Scenario', text: '{ "name": "small" }' },
    { kind: 'charts', heading: 'Charts', charts, omitted: [{ name: 'gone', title: 'Gone', why: 'nothing to draw' }] },
  ];
  const html = reportHtml({ title: 'small <run>', facts: [['seed', '7']], sections, bundles });

  test('inlines the three bundles, one embed call per chart, no script src, no stray </script', () => {
    expect(html).toContain('var vega = 1; // <\\/script> inside');
    expect(html).toContain('var vegaLite = 2;');
    expect(html).toContain('var vegaEmbed = 3;');
    expect(count(html, /vegaEmbed\('#c\d+'/g)).toBe(charts.length);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    // every </script closes one of the 5 script blocks (the error counter, 3 bundles, the embeds)
    expect(count(html, /<\/script/gi)).toBe(5);
    expect(count(html, /<script>/g)).toBe(5);
  });

  test('the facts, the tables with raw values, the scenario, a line per chart left out, an escaped title', () => {
    expect(html).toContain('<title>small &lt;run&gt; - offersim report</title>');
    expect(html).toContain('<table class="facts" id="facts">\n<tr><th>seed</th><td>7</td></tr>');
    expect(html).toContain('<table class="data" id="headline">');
    expect(html).toContain('<td>jain_mean</td><td class="num" data-value="0.900000">90%</td>');
    expect(html).toContain('<pre id="scenario">{ &quot;name&quot;: &quot;small&quot; }</pre>');
    expect(html).toContain('<p class="omitted" data-chart="gone">Gone: not drawn, nothing to draw.</p>');
    // sections in the given order
    expect(html.indexOf('id="headline"')).toBeLessThan(html.indexOf('id="scenario"'));
    expect(html.indexOf('id="scenario"')).toBeLessThan(html.indexOf('id="c0"'));
    expect(reportHtml({ title: 't', facts: [], sections, bundles })).toBe(reportHtml({ title: 't', facts: [], sections, bundles }));
  });

  test('escapeScript leaves no closing tag', () => {
    expect(escapeScript('a</SCRIPT>b"</script>"')).toBe('a<\\/SCRIPT>b"<\\/script>"');
  });
});
