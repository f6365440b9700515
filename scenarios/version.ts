/**
 * offersim's version, read once from the package.json that ships with the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findVersion(): string {
  // From scenarios/ (sources) or dist/scenarios/ (build), walk up to offersim's package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'offersim' && pkg.version !== undefined) return pkg.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0-unknown';
}

/** offersim's version (package.json). */
export const VERSION = findVersion();
