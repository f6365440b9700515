/**
 * Rendering of the run charts (DESIGN.md section 6): Vega-Lite spec to SVG through vega's
 * headless view (no canvas: `canvas` must stay out of the dependency tree, it changes text
 * metrics) and SVG to PNG with resvg and fonts passed in by path (the report page is
 * page-html.ts's). No I/O of its own: the caller supplies the font paths.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VlSpec } from './chart-style.js';

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
