/**
 * The Alibaba importers through the files, on the real traces in ../shared/traces (skipped,
 * saying so, where that folder is absent): cluster-trace-gpu-v2023 (openb) pods and nodes and
 * cluster-trace-v2018 machine_meta.csv.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CanonicalAgentSchema } from '../workloads/trace/cluster.js';
import { parseCanonicalLine } from '../workloads/trace/canonical.js';
import { importTrace } from './trace-import.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TRACES = join(ROOT, '..', 'shared', 'traces');
const GPU = join(TRACES, 'alibaba-gpu-2023');
const V2018 = join(TRACES, 'alibaba-2018');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'offersim-import-alibaba-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);
const outLines = (file: string): string[] => readFileSync(file, 'utf8').trimEnd().split('\n');

const haveGpu = existsSync(GPU);
const have2018 = existsSync(V2018);
if (!haveGpu) test.skip(`real Alibaba openb files: ${GPU} is absent (a clone without ../shared); CI has it`, () => undefined);
if (!have2018) test.skip(`real Alibaba v2018 machine_meta: ${V2018} is absent (a clone without ../shared); CI has it`, () => undefined);

(haveGpu ? describe : describe.skip)('the real openb files in ../shared/traces/alibaba-gpu-2023', () => {
  test('pods: 8,152 rows, the 897 Pending ones skipped and counted, the other 7,255 jobs in submit order', async () => {
    const out = join(tmp, 'pods.jsonl');
    const r = await importTrace('alibaba-openb-pods', join(GPU, 'openb_pod_list_default.csv'), out);
    expect([r.counts.lines, r.counts.ignored, r.counts.rows]).toEqual([8153, 1, 8152]);
    expect(r.counts.skipped).toEqual({ pending: 897 });
    expect([r.counts.rowsUsed, r.counts.jobs, r.counts.tasks]).toEqual([7255, 7255, 7255]);
    expect(r.counts.rowsUsed + sum(r.counts.skipped)).toBe(r.counts.rows);
    const jobs = outLines(out).map((l) => {
      const p = parseCanonicalLine(l);
      if (!('job' in p)) throw new Error(p.problem);
      return p.job;
    });
    expect(jobs).toHaveLength(7255);
    expect(jobs.every((j, i) => i === 0 || j.submit >= jobs[i - 1]!.submit)).toBe(true);
    // the first pod: 12000 milli, 16384 MiB, one whole GPU, scheduled 0, deleted 12537496
    expect(jobs[0]).toEqual({
      id: 'openb-pod-0000',
      submit: 0,
      attrs: { pod_phase: 'Running', qos: 'LS' },
      tasks: [{ cpus: 12, mem: 16384, gpus: 1, duration: 12537496 }],
    });
  });

  test('nodes: 1,523 agents, 310 of them CPU-only, none skipped', async () => {
    const out = join(tmp, 'nodes.jsonl');
    const r = await importTrace('alibaba-openb-nodes', join(GPU, 'openb_node_list_all_node.csv'), out);
    expect([r.counts.rows, r.counts.rowsUsed, r.counts.jobs, r.counts.skipped]).toEqual([1523, 1523, 1523, {}]);
    expect(r.counts.notes).toEqual({ 'cpu-only': 310 });
    const agents = outLines(out).map((l) => CanonicalAgentSchema.parse(JSON.parse(l)));
    expect(agents).toHaveLength(1523);
    expect(agents.reduce((n, a) => n + (a.gpus ?? 0), 0)).toBeGreaterThan(0);
  });
});

(have2018 ? describe : describe.skip)('the real v2018 machine_meta.csv in ../shared/traces/alibaba-2018', () => {
  test('17,592 event rows make 4,034 agents, every row accounted for', async () => {
    const out = join(tmp, 'machines.jsonl');
    const r = await importTrace('alibaba-2018-machines', join(V2018, 'machine_meta.csv'), out);
    expect([r.counts.lines, r.counts.rows, r.counts.rowsUsed, r.counts.skipped]).toEqual([17592, 17592, 17592, {}]);
    expect(r.counts.jobs).toBe(4034);
    // rows used = agents + the machines' later rows; no machine's rows disagree on capacity, 34
    // rows leave failure domain 2 empty, 147 machines first appear after time 0
    expect(r.counts.notes).toEqual({ 'joined-late': 147, 'merged-rows': 17592 - 4034, 'no-domain2-rows': 34 });
    const agents = outLines(out).map((l) => CanonicalAgentSchema.parse(JSON.parse(l)));
    expect(new Set(agents.map((a) => a.name)).size).toBe(4034);
    expect(agents.every((a) => a.cpus === 96 && a.mem === 524288 && a.rack !== undefined)).toBe(true);
    expect(new Set(agents.map((a) => a.rack)).size).toBe(292);
  });
});
