/** A sweep for the tests of `offersim compare`: small enough to run in a second or so. */

/** Three policies x three seeds of two small batch frameworks on 8 agents: a second or so. */
export const TINY_SWEEP = `name: tiny
seed: 1
cluster:
  agents:
    - { count: 8, prefix: a-, racks: 2, cpus: 8, mem: 16384 }
frameworks:
  - name: analytics
    behaviour: { kind: batch, refuseSeconds: 1 }
    workload: { kind: poisson, rate: 0.5, until: 60, tasksPerJob: { uniform: [1, 10] }, task: { cpus: 1, mem: 2048, duration: { exponential: 10 } } }
  - name: etl
    behaviour: { kind: batch, refuseSeconds: 1 }
    workload: { kind: poisson, rate: 0.2, until: 60, tasksPerJob: { uniform: [5, 20] }, task: { cpus: 2, mem: 4096, duration: { exponential: 10 } } }
sweep:
  matrix:
    allocator: [drf, random, fifo]
  seeds: 3
`;
