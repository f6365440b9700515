/**
 * A small hand-made run directory's CSV text for the chart and report tests.
 */
import type { RunCsvText } from '../charts.js';

const CRLF = (lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');

/**
 * Two frameworks (b registers in the second interval), cpus and mem only, four rows of 2 s; Jain
 * is undefined in the first and third (fewer than two frameworks with demand).
 */
export const SMALL_RUN: RunCsvText = {
  timeseries: CRLF([
    't_s,util_cpus,util_mem,util_disk,util_gpus,share_a,share_b,pending,pending_a,pending_b,jain,jain_time_s',
    '2.000000,0.000000,0.000000,,,0.000000,,0.000000,0.000000,,,0.000000',
    '4.000000,0.500000,0.250000,,,0.500000,0.250000,3.000000,1.000000,2.000000,0.900000,2.000000',
    '6.000000,1.000000,0.500000,,,0.400000,0.600000,0.000000,0.000000,0.000000,,0.000000',
    '8.000000,1.000000,0.500000,,,0.400000,0.600000,2.000000,1.000000,1.000000,0.961538,1.500000',
  ]),
  jobs: CRLF([
    'job,framework,submit_s,first_staging_s,first_start_s,finish_s,tasks,queueing_delay_s,completion_s,slowdown,local_node,local_rack,local_remote',
    'a/0,a,0.000000,0.000000,0.000000,3.000000,2,0.000000,3.000000,1.000000,1,0,0',
    'b/0,b,1.000000,1.000000,1.000000,2.000000,1,0.000000,1.000000,1.000000,0,1,0',
    'a/1,a,0.500000,0.500000,0.500000,1.500000,1,0.000000,1.000000,1.000000,0,0,1',
    'b/1,b,2.000000,,,,1,,,,0,0,0',
  ]),
  frameworks: CRLF([
    'framework,role,weight,behaviour,jobs,tasks,share_mean,share_max,queueing_delay_mean_s,queueing_delay_p50_s,queueing_delay_p95_s,queueing_delay_p99_s,completion_mean_s,completion_p50_s,completion_p95_s,completion_p99_s,slowdown_mean,slowdown_p50,slowdown_p95,slowdown_p99,offers_sent,offers_accepted,offers_declined,offers_rescinded,locality_tasks,node_local,rack_local,remote,jobs_abandoned,busyness,conflicts,conflict_fraction',
    'a,r,1.000000,batch,2,3,0.3,0.5,0,0,0,0,2,2,3,3,1,1,1,1,10,4,5,1,3,0.333333,0.000000,0.666667,0,0.000000,0,',
    'b,r,1.000000,batch,2,2,0.3,0.6,0,0,0,0,1,1,1,1,1,1,1,1,6,2,4,0,0,,,,0,0.000000,0,',
  ]),
};
