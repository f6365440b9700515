/**
 * `npm run metrics-table`: rewrites docs/metrics.md between the metrics-catalogue markers with the
 * tables of every metric, made from the catalogue (reports/catalogue-doc.ts); `--check` only
 * compares. Composition root: reads and writes the one file.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogueMarkdown } from '../reports/catalogue-doc.js';
import { ExitCode, InputError } from './errors.js';
import { replaceSection, repositoryRoot, type Markers } from './policies-table.js';

/** The metric reference, relative to the repository root. */
export const METRICS_DOC = 'docs/metrics.md';
/** The lines around its generated tables. */
export const CATALOGUE_MARKERS: Markers = { start: '<!-- metrics-catalogue:start -->', end: '<!-- metrics-catalogue:end -->' };

/** `text` (docs/metrics.md) with its generated tables made again from the catalogue. */
export function withCatalogue(text: string, file = METRICS_DOC): string {
  return replaceSection(text, catalogueMarkdown(), file, CATALOGUE_MARKERS);
}

/**
 * The script: `metrics-table [--check] [--doc FILE]`. Rewrites the tables (exit 0), or with
 * `--check` compares them and exits 1 when they are stale. Bad flags, a missing file or missing
 * markers: exit 2. Default file: {@link METRICS_DOC}.
 */
export function metricsTableMain(argv: readonly string[], io: { out(t: string): void; err(t: string): void }): number {
  let check = false;
  let doc = join(repositoryRoot(), METRICS_DOC);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--check') check = true;
    else if (a === '--doc' && argv[i + 1] !== undefined) doc = argv[++i]!;
    else {
      io.err(`metrics-table: unknown argument ${a}\nusage: metrics-table [--check] [--doc FILE]\n`);
      return ExitCode.BAD_INPUT;
    }
  }
  try {
    const text = readFileSync(doc, 'utf8');
    const updated = withCatalogue(text, doc);
    if (updated === text) {
      io.out(`${doc}: the metric tables are up to date\n`);
      return ExitCode.OK;
    }
    if (check) {
      io.err(`${doc}: the metric tables are stale; run npm run metrics-table\n`);
      return ExitCode.REGRESSION;
    }
    writeFileSync(doc, updated);
    io.out(`${doc}: the metric tables rewritten\n`);
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`${err.message}\n`);
      return ExitCode.BAD_INPUT;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`metrics-table: ${(err as Error).message}\n`);
      return ExitCode.BAD_INPUT;
    }
    throw err;
  }
}

const invoked = process.argv[1];
if (invoked !== undefined && existsSync(invoked) && import.meta.url === pathToFileURL(realpathSync(invoked)).href) {
  process.exitCode = metricsTableMain(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
