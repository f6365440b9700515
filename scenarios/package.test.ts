/**
 * [package] The installable package, end to end: `npm pack` of this checkout (built first: npm
 * test's pretest builds dist/), its file list, and the tarball installed into an empty project,
 * where the `offersim` bin runs a bundled example exactly as the checkout's build does, the
 * library example of docs/library.md (read from the doc, so the two cannot drift) prints what
 * the doc says, and its TypeScript policy type-checks against the installed declarations and
 * runs. The install uses npm's cache (`npm ci` filled it) with --offline; when the cache lacks a
 * package's metadata it falls back to the registry (--prefer-offline) and says so on stderr.
 * About 20 s offline.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV, ROOT, spawnCli } from './test-support/child.js';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const LIBRARY_DOC = readFileSync(join(ROOT, 'docs', 'library.md'), 'utf8');

/**
 * The fenced block that follows `<!-- library-example: NAME -->` in docs/library.md. Throws when
 * the marker is missing, so that a renamed block fails here instead of testing nothing.
 */
function docBlock(name: string): string {
  const marker = `<!-- library-example: ${name} -->\n`;
  const at = LIBRARY_DOC.indexOf(marker);
  if (at < 0) throw new Error(`docs/library.md has no block marked ${name}`);
  const m = /^```[a-z]*\n([\s\S]*?)^```$/m.exec(LIBRARY_DOC.slice(at + marker.length));
  if (m === null || m.index !== 0) throw new Error(`docs/library.md: the marker ${name} is not followed by a fenced block`);
  return m[1]!;
}

function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...ENV, npm_config_update_notifier: 'false' } });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let work = '';
/** the empty project the tarball is installed into */
let proj = '';
/** the tarball's paths, as npm pack lists them */
let files: string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'offersim-package-'));
  // --ignore-scripts: dist/ is built already (pretest); prepare would compile it again.
  const packed = ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, '--loglevel=error'], ROOT), 'npm pack');
  const [info] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path);
  proj = join(work, 'project');
  mkdirSync(proj);
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'uses-offersim', private: true, type: 'module' }, null, 2));
  const install = (mode: string): SpawnSyncReturns<string> =>
    run('npm', ['install', mode, '--no-audit', '--no-fund', '--loglevel=error', join(work, info!.filename)], proj);
  let r = install('--offline');
  if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) {
    process.stderr.write('package.test: npm cache lacks some metadata; installing the tarball with --prefer-offline (the registry)\n');
    r = install('--prefer-offline');
  }
  ok(r, 'npm install of the tarball');
}, 180_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('[package] the tarball', () => {
  test('holds the built code with its declarations, the examples, their schema and the docs; no tests, maps, bench, node_modules or ../shared', () => {
    for (const need of [
      'package.json',
      'README.md',
      'dist/scenarios/cli.js',
      'dist/scenarios/index.js',
      'dist/scenarios/index.d.ts',
      // started by URL as a worker thread (scenarios/sweep.ts)
      'dist/scenarios/sweep-worker.js',
      'scenarios/examples/quickstart.yaml',
      'scenarios/baselines/quickstart.json',
      'docs/library.md',
      'docs/examples/least-allocated.js',
    ])
      expect(files).toContain(need);
    // Each example's `$schema` line names a file that is in the package too.
    for (const f of files.filter((p) => p.startsWith('scenarios/examples/'))) {
      const schema = /\$schema=(\S+)/.exec(readFileSync(join(ROOT, f), 'utf8'))?.[1];
      if (schema !== undefined) expect(files).toContain(join('scenarios/examples', schema));
    }
    const allowed = /^(dist\/|docs\/|scenarios\/(examples|baselines)\/|README\.md$|LICENSE$|package\.json$)/;
    expect(files.filter((p) => !allowed.test(p))).toEqual([]);
    expect(files.filter((p) => /\.test\.|test-support\/|node_modules\/|\.map$|^dist\/bench\/|(^|\/)\.\.\//.test(p))).toEqual([]);
    // Nothing of ../shared (the traces and notes beside the checkout): no packed path names a file there.
    const shared = join(ROOT, '..', 'shared');
    const top = existsSync(shared) ? readdirSync(shared) : [];
    expect(files.filter((p) => top.includes(p.split('/')[0]!))).toEqual([]);
  });

  test('installs without building (no compiler in the project) and links an executable offersim bin that prints its version', () => {
    expect(existsSync(join(proj, 'node_modules', 'typescript'))).toBe(false);
    const bin = join(proj, 'node_modules', '.bin', 'offersim');
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    accessSync(bin, constants.X_OK);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const r = run(bin, ['--version'], proj);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  test('npx offersim runs a bundled example from the installed package, byte for byte as the checkout does', () => {
    const example = 'node_modules/offersim/scenarios/examples/gang-service.yaml';
    ok(run('npx', ['--offline', 'offersim', 'run', example, '--out', 'runs/g'], proj), 'npx offersim run');
    const mine = join(work, 'checkout-g');
    expect(spawnCli(['run', join(ROOT, 'scenarios/examples/gang-service.yaml'), '--out', mine]).code).toBe(0);
    const installed = JSON.parse(readFileSync(join(proj, 'runs/g/manifest.json'), 'utf8')) as { fingerprint: string; offersim: string };
    const checkout = JSON.parse(readFileSync(join(mine, 'manifest.json'), 'utf8')) as { fingerprint: string };
    expect(installed.offersim).toBe(PKG.version);
    expect(installed.fingerprint).toBe(checkout.fingerprint);
    expect(readFileSync(join(proj, 'runs/g/summary.json'), 'utf8')).toBe(readFileSync(join(mine, 'summary.json'), 'utf8'));
  });

  test('exports only the library entry: a deep import of an internal module is refused', () => {
    const r = run(process.execPath, ['--input-type=module', '-e', "await import('offersim/dist/scenarios/run.js')"], proj);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});

describe('[package] docs/library.md, from the installed package', () => {
  test('the API example runs and prints what the doc says', () => {
    writeFileSync(join(proj, 'example.mjs'), docBlock('example.mjs'));
    const out = ok(run(process.execPath, ['example.mjs'], proj), 'the example of docs/library.md');
    expect(out).toBe(docBlock('example.mjs output'));
    // It ran the six runs it says it ran, where it says.
    expect(readdirSync(join(proj, 'runs')).filter((d) => /^(drf|fifo)-[123]$/.test(d))).toHaveLength(6);
  }, 60_000);

  test('the TypeScript policy type-checks against the installed declarations, compiles, and runs as the doc shows', () => {
    writeFileSync(join(proj, 'least-allocated.ts'), docBlock('least-allocated.ts'));
    const tsconfig = {
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        // The checkout's @types/node: the project installs no dev dependency of its own.
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        types: ['node'],
      },
      files: ['least-allocated.ts'],
    };
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    ok(run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], proj), 'tsc on the policy');
    const commands = docBlock('least-allocated commands')
      .split('\n')
      .filter((l) => l.startsWith('npx offersim '));
    expect(commands).toHaveLength(1);
    ok(run('sh', ['-c', commands[0]!.replace('npx offersim', 'npx --offline offersim')], proj), commands[0]!);
    const manifest = JSON.parse(readFileSync(join(proj, 'runs/custom/manifest.json'), 'utf8')) as { allocator: { name: string; module: string } };
    expect(manifest.allocator).toEqual({ name: 'least-allocated', module: join(proj, 'least-allocated.js') });
  }, 60_000);
});
