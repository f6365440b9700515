/**
 * [workflow] docs/examples/github-actions.yml, the GitHub Actions example of docs/check.md: its
 * shape (the trigger, the permissions a pull-request comment needs, offersim installed from the
 * repository and never by name) and its shell steps run here, in order, as a runner would run them
 * (bash -eo pipefail, $GITHUB_STEP_SUMMARY and the like pointing at temporary files), in a
 * directory laid out as the checkout after `npm ci`. Not run here: the `uses:` steps (checkout,
 * setup-node, upload-artifact: GitHub's actions), `npm ci` (the checkout's install stands in for
 * it) and the comment step (GitHub's API and a token). `npx offersim` is the checkout's bin, as
 * npx resolves it inside the checkout (checked below); a shim on PATH stands in for npx, which
 * cannot resolve it in a directory of symbolic links.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI, ENV, ROOT } from './test-support/child.js';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly with?: Readonly<Record<string, unknown>>;
}

const WORKFLOW_FILE = join(ROOT, 'docs', 'examples', 'github-actions.yml');
const workflow = parse(readFileSync(WORKFLOW_FILE, 'utf8')) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
};
const jobs = Object.values(workflow.jobs);
const steps = jobs[0]!.steps;

/** The shell steps not run here, by name, and why. */
const SKIPPED: Readonly<Record<string, string>> = {
  'Install offersim from the repository': 'npm ci: the checkout is installed and built already',
  'Comment on the pull request': "GitHub's API and a token",
};

let dir = '';
let summary = '';
/** each shell step run: its name, exit code and output */
const ran: { name: string; code: number | null; out: string }[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offersim-workflow-'));
  const checkout = join(dir, 'checkout');
  mkdirSync(checkout);
  for (const f of ['scenarios', 'dist', 'node_modules', 'package.json']) symlinkSync(join(ROOT, f), join(checkout, f));
  const shims = join(dir, 'bin');
  mkdirSync(shims);
  writeFileSync(
    join(shims, 'npx'),
    `#!/bin/sh\nif [ "$1" = offersim ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi\necho "npx $1: only offersim here" >&2\nexit 127\n`,
  );
  chmodSync(join(shims, 'npx'), 0o755);
  summary = join(dir, 'step-summary.md');
  writeFileSync(summary, '');
  const env = {
    ...ENV,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: checkout,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_ENV: join(dir, 'env'),
    PATH: `${shims}:${process.env['PATH'] ?? ''}`,
  };
  for (const s of steps) {
    if (s.run === undefined || SKIPPED[s.name ?? ''] !== undefined) continue;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run], { cwd: checkout, encoding: 'utf8', env: { ...env, ...s.env } });
    ran.push({ name: s.name ?? s.run, code: r.status, out: r.stdout + r.stderr });
    if (r.status !== 0) break;
  }
}, 180_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('[workflow] the GitHub Actions example', () => {
  test('runs on pull requests with the permissions a comment needs, and installs offersim from the repository', () => {
    expect(jobs).toHaveLength(1);
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@/);
    const install = steps.find((s) => s.name === 'Install offersim from the repository');
    expect(install?.run?.trim()).toBe('npm ci');
    const shell = steps.flatMap((s) => (s.run === undefined ? [] : [s.run])).join('\n');
    // Never a package fetched by name: npx only ever runs the checkout's offersim, npm only installs the lockfile.
    expect(shell.match(/\bnpx\s+\S+/g)?.every((m) => /^npx\s+offersim$/.test(m))).toBe(true);
    expect(shell).not.toMatch(/npm\s+(install|i|exec|add)\b/);
    // The summary, comment and upload steps run after a failed check too; the comment not on a fork's pull request (its token is read-only).
    const after = steps.filter((x) => x.name === 'Write the tables to the job summary' || x.uses?.startsWith('actions/upload-artifact@'));
    expect(after.map((s) => s.if)).toEqual(['${{ !cancelled() }}', '${{ !cancelled() }}']);
    expect(steps.find((x) => x.name === 'Comment on the pull request')?.if).toBe(
      '${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository }}',
    );
    // Every skipped step exists: a renamed step is not skipped silently.
    for (const name of Object.keys(SKIPPED)) expect(steps.some((s) => s.name === name)).toBe(true);
  });

  test('inside the checkout, npx offersim is the checkout own bin (what the shim stands in for)', () => {
    const r = spawnSync('npx', ['--offline', 'offersim', '--version'], { cwd: ROOT, encoding: 'utf8', env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  test('its shell steps pass locally and write the compare and check tables to the job summary', () => {
    // Every shell step but the skipped ones ran, each with exit 0.
    const runnable = steps.filter((s) => s.run !== undefined && SKIPPED[s.name ?? ''] === undefined).map((s) => s.name);
    expect(ran.map((r) => [r.name, r.code, r.code === 0 ? '' : r.out])).toEqual(runnable.map((n) => [n, 0, '']));
    const checkout = join(dir, 'checkout');
    const compareMd = readFileSync(join(checkout, 'compare.md'), 'utf8');
    const checkMd = readFileSync(join(checkout, 'check.md'), 'utf8');
    // The summary is the two tables, one after the other, as the step concatenates them.
    expect(readFileSync(summary, 'utf8')).toBe(compareMd + checkMd);
    expect(compareMd.startsWith('### offersim compare')).toBe(true);
    // A table naming both policies (drf the reference, fifo compared with it).
    const table = compareMd.split('\n').filter((l) => l.startsWith('|'));
    expect(table.length).toBeGreaterThan(2);
    expect(table[0]).toMatch(/\bdrf\b.*\bfifo\b/);
    // The scenario's own run, against its baseline: nothing regressed (the table lists only what moved).
    expect(checkMd.startsWith('### offersim check runs/baseline: no regression')).toBe(true);
  });

  test('what it uploads exists: the runs and the report page', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const paths = String(upload?.with?.['path'] ?? '')
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    expect(paths).toContain('runs/baseline/report.html');
    for (const p of paths) expect([p, existsSync(join(dir, 'checkout', p))]).toEqual([p, true]);
  });
});
