/**
 * A quantity of the wrong type names its unit: resource amounts by their resource, times by
 * their field type, wherever they sit in a scenario.
 */
import { z } from 'zod';
import { fieldUnitAt } from './field-units.js';
import { parseScenarioText } from './loader.js';
import { InputError } from './errors.js';
import { ScenarioSchema } from './schema.js';

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'u.yaml');
  } catch (err) {
    if (err instanceof InputError) return err.message.split('\n');
    throw err;
  }
  return [];
}

describe('units in type errors', () => {
  test('every quantity given with a unit of its own is refused naming the unit offersim reads', () => {
    const text = [
      'seed: 1',
      'duration: 10min', //                                                     line 2
      'cluster: { agents: [ { count: 1, cpus: 2cores, mem: 4GB } ] }', //        line 3
      'master: { allocationInterval: "1s" }', //                                 line 4
      'frameworks:',
      '  - name: a',
      '    role: r',
      '    addAt: true', //                                                      line 8
      '    behaviour: { kind: batch, refuseSeconds: x }', //                     line 9
      '    workload: { kind: inline, jobs: [ { submit: 1h, tasks: [ { cpus: 1, mem: 1GB, duration: 1, count: 1 } ] } ] }', // line 10
    ].join('\n');
    expect(problems(text)).toEqual([
      'u.yaml:2:11: duration: expected a number of seconds, got "10min"',
      'u.yaml:3:40: cluster.agents[0].cpus: expected a number of cores, got "2cores"',
      'u.yaml:3:53: cluster.agents[0].mem: expected a number of MB, got "4GB"',
      'u.yaml:4:31: master.allocationInterval: expected a number of seconds, got "1s"',
      'u.yaml:8:12: frameworks[0].addAt: expected a number of seconds, got true',
      'u.yaml:9:46: frameworks[0].behaviour.refuseSeconds: expected a number of seconds, got "x"',
      'u.yaml:10:49: frameworks[0].workload.jobs[0].submit: expected a number of seconds, got "1h"',
      'u.yaml:10:78: frameworks[0].workload.jobs[0].tasks[0].mem: expected a number of MB, got "1GB"',
    ]);
  });
  test("a number without a unit keeps zod's message", () => {
    // seed is a count, not a quantity
    expect(problems('seed: x\n')).toContain('u.yaml:1:7: seed: Invalid input: expected number, received string');
  });
  test('the table: by field type and, for amounts, by resource', () => {
    expect(fieldUnitAt(ScenarioSchema, ['horizon'])).toBe('seconds');
    expect(fieldUnitAt(ScenarioSchema, ['cluster', 'agents', 0, 'disk'])).toBe('MB');
    expect(fieldUnitAt(ScenarioSchema, ['cluster', 'agents', 0, 'gpus'])).toBe('devices');
    expect(fieldUnitAt(ScenarioSchema, ['seed'])).toBeUndefined();
    expect(fieldUnitAt(z.object({ a: z.number() }), ['a'])).toBeUndefined();
  });
});
