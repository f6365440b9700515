/**
 * A scenario in which almost nothing happens but the passing of time, for tests of long runs:
 * one agent (1 cpu, 1 GB), one framework with one task (1 cpu, 512 MB, 10 s) submitted at 1 s,
 * an allocation every 100,000 s and a time-series row every second. Its time-series rows are
 * nearly all it writes (72 MB per million seconds). Test-only (excluded from the build).
 */

/** The scenario's text (YAML), named `name`, running `duration` seconds. */
export function quietScenario(name: string, duration: number): string {
  return [
    `name: ${name}`,
    `duration: ${duration}`,
    'master: { allocationInterval: 100000 }',
    'cluster: { agents: [ { count: 1, cpus: 1, mem: 1024 } ] }',
    'frameworks: [ { name: f, workload: { kind: inline, jobs: [ { submit: 1, tasks: [ { cpus: 1, mem: 512, duration: 10 } ] } ] } } ]',
    'output: { sampleInterval: 1 }',
    '',
  ].join('\n');
}
