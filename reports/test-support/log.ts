/**
 * Test-only builders for event log records, in seconds and whole units (cpus, MB) so that the
 * hand-worked streams read like their timelines. Imports only the event log types.
 */
import type { LogRecord, ResTuple, TaskState } from '../../sim/model/log.js';

/** Seconds to SimTime microseconds (rounded to the microsecond). */
export const us = (sec: number): number => Math.round(sec * 1_000_000);

/** A resource tuple from cpus and MB (and optional disk MB, gpus), in fixed-point thousandths. */
export function res(cpus: number, memMb: number, diskMb = 0, gpus = 0): ResTuple {
  return [Math.round(cpus * 1000), Math.round(memMb * 1000), Math.round(diskMb * 1000), Math.round(gpus * 1000)];
}

export const agent = (sec: number, id: number, r: ResTuple, rack = 'r1'): LogRecord => ({
  kind: 'agent_added',
  t: us(sec),
  agent: id,
  name: `a${id}`,
  rack,
  res: r,
});
export const framework = (sec: number, id: number, name: string, role: string, weight = 1, behaviour = 'batch'): LogRecord => ({
  kind: 'framework_added',
  t: us(sec),
  framework: id,
  name,
  role,
  weight,
  behaviour,
});
export const job = (sec: number, id: number, fw: number, tasks: number, maxTaskSec: number, name = `j${id}`): LogRecord => ({
  kind: 'job_submitted',
  t: us(sec),
  job: id,
  name,
  framework: fw,
  tasks,
  maxTaskDuration: us(maxTaskSec),
});
export const jobFinished = (sec: number, id: number, fw: number): LogRecord => ({
  kind: 'job_finished',
  t: us(sec),
  job: id,
  framework: fw,
});
export const offer = (sec: number, id: number, fw: number, ag: number, r: ResTuple): LogRecord => ({
  kind: 'offer_sent',
  t: us(sec),
  offer: id,
  framework: fw,
  agent: ag,
  res: r,
});
export const accept = (sec: number, id: number, fw: number, ag: number, tasks: number, used: ResTuple, refuseSec = 5): LogRecord => ({
  kind: 'offer_accepted',
  t: us(sec),
  offer: id,
  framework: fw,
  agent: ag,
  tasks,
  used,
  refuse: us(refuseSec),
});
export const decline = (sec: number, id: number, fw: number, ag: number, refuseSec = 5): LogRecord => ({
  kind: 'offer_declined',
  t: us(sec),
  offer: id,
  framework: fw,
  agent: ag,
  refuse: us(refuseSec),
});
export const rescind = (sec: number, id: number, fw: number, ag: number): LogRecord => ({
  kind: 'offer_rescinded',
  t: us(sec),
  offer: id,
  framework: fw,
  agent: ag,
});
export const task = (sec: number, id: number, jobId: number, fw: number, ag: number, state: TaskState, r: ResTuple): LogRecord => ({
  kind: 'task_state',
  t: us(sec),
  task: id,
  job: jobId,
  framework: fw,
  agent: ag,
  state,
  res: r,
});
export const suppress = (sec: number, fw: number): LogRecord => ({ kind: 'suppress', t: us(sec), framework: fw });
export const revive = (sec: number, fw: number): LogRecord => ({ kind: 'revive', t: us(sec), framework: fw });
export const allocationRun = (sec: number, candidates: number, offers: number): LogRecord => ({
  kind: 'allocation_run',
  t: us(sec),
  candidates,
  offers,
});
export const runEnded = (sec: number, reason: 'completed' | 'duration' = 'completed'): LogRecord => ({
  kind: 'run_ended',
  t: us(sec),
  reason,
});

/**
 * Stream A: two frameworks on a 10-cpu / 100 000 MB cluster (two agents of 5 cpus, 50 000 MB),
 * 14 s long. Every record kind appears. Timeline (s):
 *  0  agents 0 and 1; alpha (fw 0, role a, weight 1); beta (fw 1, role b, weight 2);
 *     job 0 (alpha, 2 tasks, longest 4 s); job 1 (beta, 1 task, longest 6 s)
 *  1  allocation run; offer 0 to alpha on agent 0 (5 cpus, 30 000 MB); offer 1 to beta on agent 1 (5, 50 000)
 *  2  alpha accepts offer 0 using (4, 10 000); tasks 0 and 1 of job 0 staging, (2, 5 000) each
 *  3  beta declines offer 1; tasks 0 and 1 running
 *  4  allocation run; offer 2 to beta on agent 1 (5, 50 000)
 *  5  beta accepts offer 2 using (1, 40 000); task 2 of job 1 staging (1, 40 000)
 *  6  task 2 running
 *  7  task 0 finished
 *  8  task 1 finished; job 0 finished
 *  9  job 2 (alpha, 1 task, longest 2 s) submitted, never started; beta suppresses
 * 10  allocation run; offer 3 to alpha on agent 0 (5, 50 000)
 * 11  offer 3 rescinded; beta revives
 * 12  task 2 finished; job 1 finished
 * 14  run ended (duration)
 */
export function streamA(): LogRecord[] {
  return [
    agent(0, 0, res(5, 50_000), 'r1'),
    agent(0, 1, res(5, 50_000), 'r2'),
    framework(0, 0, 'alpha', 'a', 1),
    framework(0, 1, 'beta', 'b', 2),
    job(0, 0, 0, 2, 4),
    job(0, 1, 1, 1, 6),
    allocationRun(1, 2, 2),
    offer(1, 0, 0, 0, res(5, 30_000)),
    offer(1, 1, 1, 1, res(5, 50_000)),
    accept(2, 0, 0, 0, 2, res(4, 10_000)),
    task(2, 0, 0, 0, 0, 'staging', res(2, 5_000)),
    task(2, 1, 0, 0, 0, 'staging', res(2, 5_000)),
    decline(3, 1, 1, 1),
    task(3, 0, 0, 0, 0, 'running', res(2, 5_000)),
    task(3, 1, 0, 0, 0, 'running', res(2, 5_000)),
    allocationRun(4, 1, 1),
    offer(4, 2, 1, 1, res(5, 50_000)),
    accept(5, 2, 1, 1, 1, res(1, 40_000)),
    task(5, 2, 1, 1, 1, 'staging', res(1, 40_000)),
    task(6, 2, 1, 1, 1, 'running', res(1, 40_000)),
    task(7, 0, 0, 0, 0, 'finished', res(2, 5_000)),
    task(8, 1, 0, 0, 0, 'finished', res(2, 5_000)),
    jobFinished(8, 0, 0),
    job(9, 2, 0, 1, 2),
    suppress(9, 1),
    allocationRun(10, 1, 1),
    offer(10, 3, 0, 0, res(5, 50_000)),
    rescind(11, 3, 0, 0),
    revive(11, 1),
    task(12, 2, 1, 1, 1, 'finished', res(1, 40_000)),
    jobFinished(12, 1, 1),
    runEnded(14, 'duration'),
  ];
}

/**
 * Stream B, the smallest complete run: one agent (1 cpu, 1 000 MB), framework 'fw' (role r,
 * weight 1), one job of one task (longest 1 s), 2 s long. Timeline (s):
 *  0     agent, framework, job j0; allocation run; offer 0 (1 cpu, 1 000 MB)
 *  0.5   accepted using (0.5 cpu, 250 MB); task 0 staging (0.5, 250)
 *  0.75  task 0 running
 *  1.75  task 0 finished; job j0 finished
 *  2     run ended (completed)
 */
export function streamB(): LogRecord[] {
  return [
    agent(0, 0, res(1, 1_000)),
    framework(0, 0, 'fw', 'r', 1),
    job(0, 0, 0, 1, 1),
    allocationRun(0, 1, 1),
    offer(0, 0, 0, 0, res(1, 1_000)),
    accept(0.5, 0, 0, 0, 1, res(0.5, 250)),
    task(0.5, 0, 0, 0, 0, 'staging', res(0.5, 250)),
    task(0.75, 0, 0, 0, 0, 'running', res(0.5, 250)),
    task(1.75, 0, 0, 0, 0, 'finished', res(0.5, 250)),
    jobFinished(1.75, 0, 0),
    runEnded(2, 'completed'),
  ];
}
