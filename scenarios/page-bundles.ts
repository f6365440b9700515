/**
 * The vega, vega-lite and vega-embed UMD bundles a report page inlines, read from node_modules.
 * Apart from scenarios/report.ts so that `offersim compare --html` reads them without loading the
 * renderers.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundles } from '../reports/page-html.js';

/** The directory of a package's entry module (the packages' `exports` block deep imports). */
export function packageBuildDir(pkg: string): string {
  return dirname(fileURLToPath(import.meta.resolve(pkg)));
}

/** The vega, vega-lite and vega-embed UMD bundles, read from node_modules. */
export function readBundles(): Bundles {
  const read = (pkg: string, file: string): string => readFileSync(join(packageBuildDir(pkg), file), 'utf8');
  return { vega: read('vega', 'vega.min.js'), vegaLite: read('vega-lite', 'vega-lite.min.js'), vegaEmbed: read('vega-embed', 'vega-embed.min.js') };
}
