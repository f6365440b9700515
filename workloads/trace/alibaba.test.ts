/**
 * The Alibaba importers (openb pods and nodes, v2018 machine_meta) on hand-written fixtures with
 * every kind of bad row, worked out line by line in the comments below.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Alibaba2018MachineImporter, OpenbNodeImporter, OpenbPodImporter, type Alibaba2018MachineOptions, type OpenbPodOptions } from './alibaba.js';
import type { ClusterImporter } from './cluster.js';
import { traceFormat } from './registry.js';
import { driveCluster, driveJobs } from './test-support/drive.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function importPods(text: string, options: OpenbPodOptions = {}) {
  return driveJobs(new OpenbPodImporter(options), text);
}

function importCluster(imp: ClusterImporter, text: string) {
  return driveCluster(imp, text);
}

const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);

describe('alibaba-openb-pods on fixtures/openb-pods.csv', () => {
  // Line 1 header, 5 blank: 2 ignored, 14 data rows (2-4, 6-16).
  // 2: p-0, 4000 milli, 8192 MiB, 1 GPU at 1000 milli, created 0, scheduled 0, deleted 100
  //    -> cpus 4, mem 8192, gpus 1, duration 100 - 0 = 100
  // 3: p-1, 6000 milli, 1 GPU at 460 milli, gpu_spec given, created 10, scheduled 15, deleted 70
  //    -> cpus 6, mem 12288, gpus 1 x 460 / 1000 = 0.46, duration 70 - 15 = 55
  // 4: p-2, scheduled_time empty                           -> skipped: pending
  // 6: p-3, no GPU, scheduled 30, deleted 30               -> duration 0, kept as 1 us (zero-duration)
  // 7: 7 fields                                            -> skipped: fields
  // 8: cpu_milli "1x00"                                    -> skipped: number
  // 9: memory_mib -5                                       -> skipped: negative
  // 10: scheduled 60, deleted 50                           -> skipped: negative-duration
  // 11: gpu_milli 1500 (over one whole GPU)                -> skipped: gpu
  // 12: cpu, memory and GPU all 0                          -> skipped: no-resources
  // 13: name p-0 again                                     -> skipped: duplicate
  // 14: p-10 created 25, before p-3's 30 (the last kept)  -> skipped: out-of-order
  // 15: empty name                                         -> skipped: name
  // 16: p-11, 8 GPUs at 1000 milli, created 60, scheduled 62, deleted 160
  //    -> cpus 8, mem 16384, gpus 8 x 1000 / 1000 = 8, duration 98
  const text = fixture('openb-pods.csv');

  test('jobs, tasks and attributes as worked out by hand', () => {
    const { jobs } = importPods(text);
    expect(jobs).toEqual([
      { id: 'p-0', submit: 0, attrs: { qos: 'LS', pod_phase: 'Running' }, tasks: [{ cpus: 4, mem: 8192, gpus: 1, duration: 100 }] },
      {
        id: 'p-1',
        submit: 10,
        attrs: { qos: 'BE', pod_phase: 'Succeeded', gpu_spec: 'V100M16|V100M32' },
        tasks: [{ cpus: 6, mem: 12288, gpus: 0.46, duration: 55 }],
      },
      { id: 'p-3', submit: 30, attrs: { qos: 'LS', pod_phase: 'Failed' }, tasks: [{ cpus: 1, mem: 2048, duration: 1e-6 }] },
      { id: 'p-11', submit: 60, attrs: { qos: 'Guaranteed', pod_phase: 'Running' }, tasks: [{ cpus: 8, mem: 16384, gpus: 8, duration: 98 }] },
    ]);
  });

  test('every bad row is reported with its line and reason, and the counts add up', () => {
    const { problems, counts } = importPods(text);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [4, 'pending'],
      [7, 'fields'],
      [8, 'number'],
      [9, 'negative'],
      [10, 'negative-duration'],
      [11, 'gpu'],
      [12, 'no-resources'],
      [13, 'duplicate'],
      [14, 'out-of-order'],
      [15, 'name'],
    ]);
    expect(problems[2]!.message).toBe('field 2 (cpu_milli) is not a number: "1x00"');
    expect(counts).toEqual({
      lines: 16,
      ignored: 2,
      rows: 14,
      rowsUsed: 4,
      skipped: {
        duplicate: 1,
        fields: 1,
        gpu: 1,
        name: 1,
        negative: 1,
        'negative-duration': 1,
        'no-resources': 1,
        number: 1,
        'out-of-order': 1,
        pending: 1,
      },
      jobs: 4,
      tasks: 4,
      notes: { 'zero-duration': 1 },
    });
    // 4 used + 10 skipped = 14 rows
    expect(counts.rowsUsed + sum(counts.skipped)).toBe(counts.rows);
  });

  test("gpuShare: 'whole' asks for num_gpu whole devices", () => {
    const { jobs } = importPods(text, { gpuShare: 'whole' });
    // p-1: num_gpu 1 (its 460 milli share ignored); the others are unchanged
    expect(jobs.map((j) => j.tasks[0]!.gpus)).toEqual([1, 1, undefined, 8]);
  });

  test('CRLF line endings give the same jobs', () => {
    expect(importPods(text.replace(/\n/g, '\r\n')).jobs).toEqual(importPods(text).jobs);
  });

  test('bad options are refused, naming the option', () => {
    expect(() => new OpenbPodImporter({ gpuShare: 'half' as 'whole' })).toThrow(RangeError);
    expect(() => new OpenbPodImporter({ gpuShare: 'half' as 'whole' })).toThrow(/gpuShare.*fraction, whole/);
    expect(() => traceFormat('alibaba-openb-pods')!.create({ gpus: 1 })).toThrow(/unknown option "gpus"; known: gpuShare/);
  });
});

describe('alibaba-openb-nodes on fixtures/openb-nodes.csv', () => {
  // Line 1 header, 9 blank: 2 ignored, 10 data rows (2-8, 10-12).
  // 2: n-0, 32000 milli, 262144 MiB, no GPU, no model  -> cpus 32, mem 262144, gpus 0 (cpu-only)
  // 3: n-1, 96000 milli, 8 GPUs, model G2              -> cpus 96, gpus 8, attrs.model G2
  // 4: n-2, 2 GPUs but no model                        -> kept, no attrs (gpu-without-model)
  // 5: 4 fields                                        -> skipped: fields
  // 6: cpu_milli "8k"                                  -> skipped: number
  // 7: 1.5 GPUs                                        -> skipped: gpu
  // 8: sn n-1 again                                    -> skipped: duplicate
  // 10: empty sn                                       -> skipped: name
  // 11: n-6, 104000 milli, 524288 MiB, 2 T4            -> cpus 104, gpus 2, attrs.model T4
  // 12: memory_mib -1                                  -> skipped: negative
  const text = fixture('openb-nodes.csv');

  test('agents as worked out by hand (no racks: the data names none)', () => {
    const { agents } = importCluster(new OpenbNodeImporter(), text);
    expect(agents).toEqual([
      { name: 'n-0', cpus: 32, mem: 262144, gpus: 0 },
      { name: 'n-1', cpus: 96, mem: 393216, gpus: 8, attrs: { model: 'G2' } },
      { name: 'n-2', cpus: 16, mem: 122880, gpus: 2 },
      { name: 'n-6', cpus: 104, mem: 524288, gpus: 2, attrs: { model: 'T4' } },
    ]);
    expect(agents.every((a) => a.rack === undefined)).toBe(true);
  });

  test('every bad row is reported with its line and reason, and the counts add up', () => {
    const { problems, counts } = importCluster(new OpenbNodeImporter(), text);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [5, 'fields'],
      [6, 'number'],
      [7, 'gpu'],
      [8, 'duplicate'],
      [10, 'name'],
      [12, 'negative'],
    ]);
    expect(counts).toEqual({
      lines: 12,
      ignored: 2,
      rows: 10,
      rowsUsed: 4,
      skipped: { duplicate: 1, fields: 1, gpu: 1, name: 1, negative: 1, number: 1 },
      jobs: 4,
      tasks: 0,
      notes: { 'cpu-only': 1, 'gpu-without-model': 1 },
    });
    // 4 used + 6 skipped = 10 rows
    expect(counts.rowsUsed + sum(counts.skipped)).toBe(counts.rows);
  });

  test('the format takes no options', () => {
    expect(() => traceFormat('alibaba-openb-nodes')!.create({ rack: 'x' })).toThrow(/unknown option "rack"/);
  });
});

describe('alibaba-2018-machines on fixtures/machine-meta.csv', () => {
  // No header; line 11 blank: 1 ignored, 13 data rows.
  // m_1, lines 1-3: earliest row line 1 (t 0): 96 cores, memory 100, domains 12 and 3, USING.
  //   Line 2 leaves domain 2 empty (no-domain2-rows); line 3 says memory 50 (capacity-changed).
  //   -> rack 12, cpus 96, mem 100/100 x 524288 = 524288, attrs failureDomain2 3; 3 rows used.
  // m_2, lines 4-6, not in time order: the earliest row is line 5 (t 100 > 0: joined-late):
  //   64 cores, memory 50, IMPORT_INSTALLING; lines 4 and 5 leave domain 2 empty (no-domain2-rows
  //   twice), so domain 2 comes from line 6 (t 400), the earliest row giving one: 4. Domain 1 is
  //   7 at t 100 and 8 at t 400 (domain-changed): the earliest, 7, wins.
  //   -> rack 7, cpus 64, mem 50/100 x 524288 = 262144, attrs failureDomain2 4; 3 rows used.
  // 7: 5 fields -> fields; 8: time "abc" -> number; 9: memory 120 -> memory; 10: cores -96 ->
  //   negative. These rows are skipped before they are grouped, so m_2 stays open past them.
  // m_3, line 12: -> rack 9, cpus 96, mem 524288, attrs failureDomain2 5; 1 row used.
  // 13: m_1 again after m_3 (m_1 was emitted at line 4) -> not-contiguous; 14: empty id -> name.
  // Rows used 3 + 3 + 1 = 7 = 3 agents + 4 merged rows; skipped 6; 7 + 6 = 13.
  const text = fixture('machine-meta.csv');

  test('one agent per machine from its earliest row, as worked out by hand', () => {
    const { agents } = importCluster(new Alibaba2018MachineImporter(), text);
    expect(agents).toEqual([
      { name: 'm_1', rack: '12', cpus: 96, mem: 524288, attrs: { failureDomain2: '3', status: 'USING' } },
      { name: 'm_2', rack: '7', cpus: 64, mem: 262144, attrs: { failureDomain2: '4', status: 'IMPORT_INSTALLING' } },
      { name: 'm_3', rack: '9', cpus: 96, mem: 524288, attrs: { failureDomain2: '5', status: 'USING' } },
    ]);
  });

  test('every bad row is reported with its line and reason; rows used + skipped = rows exactly', () => {
    const { problems, counts } = importCluster(new Alibaba2018MachineImporter(), text);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [7, 'fields'],
      [8, 'number'],
      [9, 'memory'],
      [10, 'negative'],
      [13, 'not-contiguous'],
      [14, 'name'],
    ]);
    expect(counts).toEqual({
      lines: 14,
      ignored: 1,
      rows: 13,
      rowsUsed: 7,
      skipped: { fields: 1, memory: 1, name: 1, negative: 1, 'not-contiguous': 1, number: 1 },
      jobs: 3,
      tasks: 0,
      notes: { 'capacity-changed': 1, 'domain-changed': 1, 'joined-late': 1, 'merged-rows': 4, 'no-domain2-rows': 3 },
    });
    expect(counts.rowsUsed + sum(counts.skipped)).toBe(counts.rows);
    expect(counts.rowsUsed).toBe(counts.jobs + counts.notes['merged-rows']!);
  });

  test('memoryMbAt100 scales memory; rack picks domain 2 or both domains', () => {
    const run = (o: Alibaba2018MachineOptions) => importCluster(new Alibaba2018MachineImporter(o), text).agents;
    // memory 100 -> 1000 MB, 50 -> 500 MB
    expect(run({ memoryMbAt100: 1000 }).map((a) => a.mem)).toEqual([1000, 500, 1000]);
    expect(run({ rack: 'domain2' }).map((a) => [a.rack, a.attrs])).toEqual([
      ['3', { failureDomain1: '12', status: 'USING' }],
      ['4', { failureDomain1: '7', status: 'IMPORT_INSTALLING' }],
      ['5', { failureDomain1: '9', status: 'USING' }],
    ]);
    expect(run({ rack: 'both' }).map((a) => [a.rack, a.attrs])).toEqual([
      ['12/3', { status: 'USING' }],
      ['7/4', { status: 'IMPORT_INSTALLING' }],
      ['9/5', { status: 'USING' }],
    ]);
  });

  test('bad options are refused, naming the option', () => {
    expect(() => new Alibaba2018MachineImporter({ memoryMbAt100: 0 })).toThrow(/memoryMbAt100/);
    expect(() => new Alibaba2018MachineImporter({ memoryMbAt100: '512' as unknown as number })).toThrow(RangeError);
    expect(() => new Alibaba2018MachineImporter({ rack: 'row' as 'both' })).toThrow(/rack.*domain1, domain2, both/);
    expect(() => traceFormat('alibaba-2018-machines')!.create({ memory: 1 })).toThrow(/unknown option "memory"; known: memoryMbAt100, rack/);
  });
});
