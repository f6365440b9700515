/**
 * Writers: exact output for stream B (every number worked out by hand below), key and column
 * order, RFC 4180 quoting, empty cells and nulls for undefined metrics.
 */
import { describe, expect, test } from '@jest/globals';
import { MetricsFold } from './metrics-fold.js';
import type { FrameworkRow, JobRow, MetricsResult, Sample } from './metrics.js';
import { stats } from './stats.js';
import { streamB } from './test-support/log.js';
import {
  FRAMEWORKS_COLUMNS,
  JOBS_COLUMNS,
  SUMMARY_KEYS,
  TimeseriesLayout,
  frameworkLabels,
  frameworksCsv,
  jobsCsv,
  summaryJson,
  timeseriesCsv,
  timeseriesDraft,
  timeseriesLongCsv,
  writeJobsCsv,
} from './writers.js';
import { parseCsv } from './csv-read.js';

function foldB(): MetricsResult {
  const m = new MetricsFold({ sampleInterval: 1_000_000 });
  for (const r of streamB()) m.record(r);
  return m.finish();
}

/*
 * Stream B by hand (timeline in test-support/log.ts). Cluster 1 cpu, 1 000 MB; run [0, 2] s.
 * The task holds (0.5 cpu, 250 MB) over [0.5, 1.75) = 1.25 s:
 *   share max(0.5, 0.25) = 0.5 -> mean 0.5 * 1.25 / 2 = 0.3125, max 0.5
 *   utilisation cpus 0.3125, mem 0.25 * 1.25 / 2 = 0.15625; disk and gpus total 0 -> null / empty
 * one framework: Jain's index is never defined (it needs two with pending tasks): null, 0 s;
 *   the one job arrives at 0: the arrival window has no length (null, 0 s)
 * job: submit 0, staging 0.5, running 0.75, finish 1.75 -> queueing 0.75, completion 1.75,
 *   slowdown 1.75 / 1 = 1.75
 * offer 0: sent 0, accepted 0.5 -> held 0.5 s; declined cpus 0.5/1 = 0.5, mem 750/1000 = 0.75,
 *   scalar (0.5 + 0.75) / 2 = 0.625
 * events: 11 records; makespan 1.75 s
 * rows [0,1) and [1,2), labelled 1 and 2: the task holds over 0.5 s and 0.75 s of them
 *   -> cpus 0.25, 0.375; mem 0.125, 0.1875; share 0.25, 0.375; pending 1 over [0,0.5) -> 0.5, then 0;
 *   weighted by their 1 s, the rows give the summary: cpus (0.25 + 0.375)/2 = 0.3125
 */
describe('stream B, exact text', () => {
  const r = foldB();

  test('summary.json', () => {
    expect(summaryJson(r.summary)).toBe(
      [
        '{',
        '  "first_event_s": 0.000000,',
        '  "run_end_s": 2.000000,',
        '  "end_reason": "completed",',
        '  "events": 11,',
        '  "agents": 1,',
        '  "frameworks": 1,',
        '  "jobs": 1,',
        '  "tasks": 1,',
        '  "tasks_launched": 1,',
        '  "tasks_finished": 1,',
        '  "tasks_failed": 0,',
        '  "tasks_killed": 0,',
        '  "tasks_lost": 0,',
        '  "jobs_finished": 1,',
        '  "jobs_unscheduled": 0,',
        '  "jobs_unfinished": 0,',
        '  "makespan_s": 1.750000,',
        '  "utilisation_cpus": 0.312500,',
        '  "utilisation_mem": 0.156250,',
        '  "utilisation_disk": null,',
        '  "utilisation_gpus": null,',
        '  "jain_mean": null,',
        '  "jain_min": null,',
        '  "jain_time_s": 0.000000,',
        '  "jain_arrival_mean": null,',
        '  "jain_arrival_min": null,',
        '  "jain_arrival_time_s": 0.000000,',
        '  "queueing_delay_n": 1,',
        '  "queueing_delay_mean_s": 0.750000,',
        '  "queueing_delay_p50_s": 0.750000,',
        '  "queueing_delay_p95_s": 0.750000,',
        '  "queueing_delay_p99_s": 0.750000,',
        '  "completion_n": 1,',
        '  "completion_mean_s": 1.750000,',
        '  "completion_p50_s": 1.750000,',
        '  "completion_p95_s": 1.750000,',
        '  "completion_p99_s": 1.750000,',
        '  "slowdown_n": 1,',
        '  "slowdown_mean": 1.750000,',
        '  "slowdown_p50": 1.750000,',
        '  "slowdown_p95": 1.750000,',
        '  "slowdown_p99": 1.750000,',
        '  "offers_sent": 1,',
        '  "offers_accepted": 1,',
        '  "offers_declined": 0,',
        '  "offers_rescinded": 0,',
        '  "offers_outstanding": 0,',
        '  "offer_held_mean_s": 0.500000,',
        '  "offers_declined_share": 0.625000,',
        '  "offers_declined_share_cpus": 0.500000,',
        '  "offers_declined_share_mem": 0.750000,',
        '  "offers_declined_share_disk": null,',
        '  "offers_declined_share_gpus": null,',
        '  "allocation_runs": 1,',
        // no task had preferred locations: no locality, fractions undefined
        '  "locality_tasks": 0,',
        '  "node_local": null,',
        '  "rack_local": null,',
        '  "remote": null,',
        '  "locality_tasks_1_10": 0,',
        '  "node_local_1_10": null,',
        '  "rack_local_1_10": null,',
        '  "remote_1_10": null,',
        '  "locality_tasks_11_50": 0,',
        '  "node_local_11_50": null,',
        '  "rack_local_11_50": null,',
        '  "remote_11_50": null,',
        '  "locality_tasks_51_plus": 0,',
        '  "node_local_51_plus": null,',
        '  "rack_local_51_plus": null,',
        '  "remote_51_plus": null,',
        '  "jobs_abandoned": 0,',
        '  "busyness_mean": 0.000000,',
        // no allocation_run record has a busy field (the allocator cost model is off): undefined
        '  "allocator_busy": null,',
        '  "conflicts": 0,',
        '  "conflict_fraction": null,',
        // an offers run has no YARN records: every YARN metric is undefined (null), counts 0
        '  "am_share": null,',
        '  "first_container_n": 0,',
        '  "first_container_mean_s": null,',
        '  "first_container_p50_s": null,',
        '  "first_container_p95_s": null,',
        '  "first_container_p99_s": null,',
        '  "ask_to_allocation_n": 0,',
        '  "ask_to_allocation_mean_s": null,',
        '  "ask_to_allocation_p50_s": null,',
        '  "ask_to_allocation_p95_s": null,',
        '  "ask_to_allocation_p99_s": null,',
        '  "reserved_share": null',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('summary.json parses, with keys in SUMMARY_KEYS order', () => {
    const parsed = JSON.parse(summaryJson(r.summary)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(SUMMARY_KEYS);
    expect(parsed['utilisation_cpus']).toBe(0.3125);
  });

  test('jobs.csv', () => {
    expect(jobsCsv(r.jobs)).toBe(
      'job,framework,submit_s,first_staging_s,first_start_s,finish_s,tasks,queueing_delay_s,completion_s,slowdown,' +
        'local_node,local_rack,local_remote,first_container_s\n' +
        'j0,fw,0.000000,0.500000,0.750000,1.750000,1,0.750000,1.750000,1.750000,0,0,0,\n',
    );
  });

  test('frameworks.csv', () => {
    expect(frameworksCsv(r.frameworks)).toBe(
      'framework,role,weight,behaviour,jobs,tasks,share_mean,share_max,' +
        'queueing_delay_mean_s,queueing_delay_p50_s,queueing_delay_p95_s,queueing_delay_p99_s,' +
        'completion_mean_s,completion_p50_s,completion_p95_s,completion_p99_s,' +
        'slowdown_mean,slowdown_p50,slowdown_p95,slowdown_p99,' +
        'offers_sent,offers_accepted,offers_declined,offers_rescinded,locality_tasks,node_local,rack_local,remote,jobs_abandoned,busyness,conflicts,conflict_fraction,queue,queue_usage_mean\n' +
        'fw,r,1.000000,batch,1,1,0.312500,0.500000,' +
        '0.750000,0.750000,0.750000,0.750000,' +
        '1.750000,1.750000,1.750000,1.750000,' +
        '1.750000,1.750000,1.750000,1.750000,' +
        '1,1,0,0,0,,,,0,0.000000,0,,,\n',
    );
  });

  test('timeseries.csv', () => {
    expect(timeseriesCsv(r.samples, r.frameworks)).toBe(
      't_s,util_cpus,util_mem,util_disk,util_gpus,share_fw,pending,pending_fw,jain,jain_time_s\n' +
        '1.000000,0.250000,0.125000,,,0.250000,0.500000,0.500000,,0.000000\n' +
        '2.000000,0.375000,0.187500,,,0.375000,0.000000,0.000000,,0.000000\n',
    );
  });

  test('header rows match the exported column lists', () => {
    expect(jobsCsv([]).split('\n')[0]).toBe(JOBS_COLUMNS.join(','));
    expect(frameworksCsv([]).split('\n')[0]).toBe(FRAMEWORKS_COLUMNS.join(','));
  });
});

const EMPTY_STATS = stats([]);

function fwRow(id: number, name: string): FrameworkRow {
  return {
    id,
    name,
    role: 'r',
    weight: 2.5,
    behaviour: 'batch',
    jobs: 0,
    tasks: 0,
    shareMean: NaN,
    shareMax: 0,
    queueingDelay: EMPTY_STATS,
    completion: EMPTY_STATS,
    slowdown: EMPTY_STATS,
    offersSent: 0,
    offersAccepted: 0,
    offersDeclined: 0,
    offersRescinded: 0,
    locality: { tasks: 0, node: NaN, rack: NaN, remote: NaN },
    jobsAbandoned: 0,
    busyness: NaN,
    conflicts: 0,
    conflictFraction: NaN,
    queue: null,
    queueUsage: NaN,
  };
}

describe('quoting and undefined values', () => {
  test('RFC 4180: commas, quotes, CR and LF are quoted; NaN is an empty cell', () => {
    const j: JobRow = {
      id: 0,
      name: 'a\nb',
      framework: 0,
      frameworkName: 'x,"y"',
      submit: 1,
      firstStaging: NaN,
      firstStart: NaN,
      finish: NaN,
      tasks: 3,
      maxTaskDuration: 0,
      queueingDelay: NaN,
      completion: NaN,
      slowdown: NaN,
      localNode: 2,
      localRack: 1,
      localRemote: 0,
      firstContainer: NaN,
    };
    // the header line, then the row: its quoted first cell holds the LF
    expect(jobsCsv([j]).slice(JOBS_COLUMNS.join(',').length + 1)).toBe('"a\nb","x,""y""",0.000001,,,,3,,,,2,1,0,\n');
  });

  test('frameworks with no jobs: empty statistics, weight to 6 decimals', () => {
    expect(frameworksCsv([fwRow(0, 'f')]).split('\n')[1]).toBe('f,r,2.500000,batch,0,0,,0.000000,,,,,,,,,,,,,0,0,0,0,0,,,,0,,0,,,');
  });

  test('timeseries: duplicate framework names get #id; unregistered ids give empty cells', () => {
    const sample: Sample = {
      t: 1_500_000,
      utilisation: [0.25, NaN, NaN, NaN],
      shares: Float64Array.of(0.125), // framework 2 not yet registered (array shorter)
      pending: Float64Array.of(4),
      pendingTotal: 4,
      jain: 1,
      jainTime: 250_000,
    };
    expect(timeseriesCsv([sample], [fwRow(0, 'f'), fwRow(2, 'f')])).toBe(
      't_s,util_cpus,util_mem,util_disk,util_gpus,share_f#0,share_f#2,pending,pending_f#0,pending_f#2,jain,jain_time_s\n' +
        '1.500000,0.250000,,,,0.125000,,4.000000,4.000000,,1.000000,0.250000\n',
    );
  });

  test('summary of an empty log: nulls for undefined metrics, zeros for counts', () => {
    const json = JSON.parse(summaryJson(new MetricsFold().finish().summary)) as Record<string, unknown>;
    expect(json['run_end_s']).toBeNull();
    expect(json['end_reason']).toBeNull();
    expect(json['events']).toBe(0);
    expect(json['jain_mean']).toBeNull();
    expect(json['queueing_delay_n']).toBe(0);
    expect(json['queueing_delay_mean_s']).toBeNull();
  });
});

/*
 * Streaming: a run writes each time-series row as its interval ends, before it knows every
 * framework (one that subscribes later gets a column from the first row on), then lays the rows
 * out once the frameworks are known; jobs.csv goes out in pieces. The text must be the same.
 */
describe('streamed rows', () => {
  const sample = (t: number, shares: number[], pending: number[]): Sample => ({
    t,
    utilisation: [0.5, 0.25, NaN, NaN],
    shares: Float64Array.from(shares),
    pending: Float64Array.from(pending),
    pendingTotal: 3,
    jain: NaN,
    jainTime: 0,
  });

  test('a draft row holds a share and a pending cell per framework id the sample has', () => {
    // t 1 s; cpus 0.5, mem 0.25, no disk or gpus; ids 0 and 1; pending 3; no Jain: empty, 0 s
    expect(timeseriesDraft(sample(1_000_000, [0.125, NaN], [1, 2]))).toBe('1.000000,0.500000,0.250000,,,0.125000,,3.000000,1.000000,2.000000,,0.000000');
  });

  test('laid out by the frameworks known at the end: a later id gets empty cells, an id never registered none', () => {
    // Row 1 was drafted when only id 0 existed, row 2 when ids 0 to 2 did; id 1 never
    // registered (no FrameworkRow), id 2 registered late under the same name as id 0 (#id labels).
    const rows = [sample(1_000_000, [0.25], [4]), sample(2_000_000, [0.5, NaN, 0.75], [1, NaN, 2])];
    const layout = new TimeseriesLayout([fwRow(0, 'f'), fwRow(2, 'f')]);
    expect(layout.verbatim(1)).toBe(false);
    expect(layout.verbatim(3)).toBe(false);
    const streamed = layout.header + rows.map((r) => layout.row(timeseriesDraft(r))).join('');
    expect(streamed).toBe(
      't_s,util_cpus,util_mem,util_disk,util_gpus,share_f#0,share_f#2,pending,pending_f#0,pending_f#2,jain,jain_time_s\n' +
        '1.000000,0.500000,0.250000,,,0.250000,,3.000000,4.000000,,,0.000000\n' +
        '2.000000,0.500000,0.250000,,,0.500000,0.750000,3.000000,1.000000,2.000000,,0.000000\n',
    );
    expect(streamed).toBe(timeseriesCsv(rows, [fwRow(0, 'f'), fwRow(2, 'f')]));
  });

  test('frameworks 0 to n - 1 all registered: a draft of n ids is the row as it is', () => {
    const layout = new TimeseriesLayout([fwRow(0, 'a'), fwRow(1, 'b')]);
    expect(layout.verbatim(2)).toBe(true);
    expect(layout.verbatim(1)).toBe(false);
    const draft = timeseriesDraft(sample(3_000_000, [0.1, 0.2], [0, 5]));
    expect(layout.row(draft)).toBe(`${draft}\n`);
  });

  test('stream B folded with onSample and no kept samples gives the same timeseries.csv', () => {
    const drafts: string[] = [];
    const m = new MetricsFold({ sampleInterval: 1_000_000, keepSamples: false, onSample: (x) => drafts.push(timeseriesDraft(x)) });
    for (const rec of streamB()) m.record(rec);
    const r = m.finish();
    expect(r.samples).toEqual([]);
    const layout = new TimeseriesLayout(r.frameworks);
    expect(layout.header + drafts.map((d) => layout.row(d)).join('')).toBe(timeseriesCsv(foldB().samples, r.frameworks));
  });

  test('jobs.csv in pieces of at most so many rows, together the whole text', () => {
    const one = foldB().jobs[0]!;
    const jobs: JobRow[] = Array.from({ length: 5 }, (_, i) => ({ ...one, id: i, name: i === 3 ? 'j,3' : `j${i}` }));
    const pieces: string[] = [];
    writeJobsCsv(jobs, (t) => pieces.push(t), 2);
    // the header, then rows 0-1, 2-3 (j,3 quoted), 4
    expect(pieces.map((p) => p.split('\n').length - 1)).toEqual([1, 2, 2, 1]);
    expect(pieces[2]).toBe(
      'j2,fw,0.000000,0.500000,0.750000,1.750000,1,0.750000,1.750000,1.750000,0,0,0,\n' +
        '"j,3",fw,0.000000,0.500000,0.750000,1.750000,1,0.750000,1.750000,1.750000,0,0,0,\n',
    );
    expect(pieces.join('')).toBe(jobsCsv(jobs));
  });
});

describe('timeseries-long.csv and column names frameworks cannot collide with', () => {
  const sample = (t: number, shares: number[], pending: number[], total: number): Sample => ({
    t,
    utilisation: [0.5, 0.25, NaN, NaN],
    shares: Float64Array.from(shares),
    pending: Float64Array.from(pending),
    pendingTotal: total,
    jain: 0.75,
    jainTime: 500_000,
  });

  test('one row per number: the cluster first (framework empty), then each framework; a name with a comma and a quote quoted', () => {
    // framework 0 "a,""b""" and framework 1 total; one sample at 2 s: util cpus 0.5, mem 0.25,
    // no disk or gpus (empty values), pending 3 of which 1 and 2, Jain 0.75 over 0.5 s
    const text = timeseriesLongCsv([sample(2_000_000, [0.125, 0.375], [1, 2], 3)], [fwRow(0, 'a,"b"'), fwRow(1, 'total')]);
    expect(text).toBe(
      'time_s,framework,metric,value\n' +
        '2.000000,,util_cpus,0.500000\n' +
        '2.000000,,util_mem,0.250000\n' +
        '2.000000,,util_disk,\n' +
        '2.000000,,util_gpus,\n' +
        '2.000000,,pending,3.000000\n' +
        '2.000000,,jain,0.750000\n' +
        '2.000000,,jain_time_s,0.500000\n' +
        '2.000000,"a,""b""",share,0.125000\n' +
        '2.000000,"a,""b""",pending,1.000000\n' +
        '2.000000,total,share,0.375000\n' +
        '2.000000,total,pending,2.000000\n',
    );
    // read back by a CSV parser, the quoted name is one cell
    expect(parseCsv(text)[8]).toEqual(['2.000000', 'a,"b"', 'share', '0.125000']);
  });

  test('streamed from drafts, framework by id, as the wide file: a framework that registered late has empty values', () => {
    const rows = [sample(1_000_000, [0.25], [4], 4), sample(2_000_000, [0.5, NaN, 0.75], [1, NaN, 2], 3)];
    const layout = new TimeseriesLayout([fwRow(0, 'f'), fwRow(2, 'g')]);
    const streamed = layout.longHeader + rows.map((r) => layout.longRows(timeseriesDraft(r))).join('');
    expect(streamed).toBe(timeseriesLongCsv(rows, [fwRow(0, 'f'), fwRow(2, 'g')]));
    // row 1 was drafted before g (id 2) existed: g's share and pending are empty
    expect(streamed.split('\n').slice(10, 12)).toEqual(['1.000000,g,share,', '1.000000,g,pending,']);
  });

  test('frameworks named total, all, t_s, cpus, a name with a comma and a quote: no duplicate header, every column found by name', () => {
    const names = ['total', 'all', 't_s', 'cpus', 'x,"y"'];
    const fws = names.map((n, i) => fwRow(i, n));
    // shares 0.1 to 0.5 and pending 1 to 5 by framework; the total pending 15
    const [head = [], row = []] = parseCsv(timeseriesCsv([sample(1_000_000, [0.1, 0.2, 0.3, 0.4, 0.5], [1, 2, 3, 4, 5], 15)], fws));
    expect(new Set(head).size).toBe(head.length);
    const at = (name: string): string => row[head.indexOf(name)]!;
    expect(names.map((n) => at(`share_${n}`))).toEqual(['0.100000', '0.200000', '0.300000', '0.400000', '0.500000']);
    expect(names.map((n) => at(`pending_${n}`))).toEqual(['1.000000', '2.000000', '3.000000', '4.000000', '5.000000']);
    expect([at('pending'), at('t_s'), at('util_cpus'), at('jain')]).toEqual(['15.000000', '1.000000', '0.500000', '0.750000']);
  });

  test('labels stay unique however names repeat: a, a and a#1 give a#0, a#1#1 and a#1#2', () => {
    // round 1: a, a -> a#0, a#1; a#1 clashes with the third's name; round 2: both a#1 get #id
    expect(frameworkLabels([fwRow(0, 'a'), fwRow(1, 'a'), fwRow(2, 'a#1')])).toEqual(['a#0', 'a#1#1', 'a#1#2']);
    expect(frameworkLabels([fwRow(0, 'a'), fwRow(3, 'b')])).toEqual(['a', 'b']);
  });
});
