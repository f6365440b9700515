/**
 * Progressive filling through offers, for allocator tests: every framework runs one kind of task
 * that never ends and accepts one task per offer, so each allocation run launches one task for
 * the framework the policy ranks first (DRF paper §3.3's procedure, with whole tasks).
 * Test-only (excluded from the build); imports the fake master and the pure resource helpers.
 */
import { NUM_RESOURCES, addInto, contains, isEmpty, subInto, type ResourceVector } from '../../sim/model/resources.js';
import type { Rng } from '../../sim/kernel/rng.js';
import type { Allocator } from '../../sim/model/allocation-port.js';
import { MiniMaster } from './fake-context.js';

/** What a progressive filling did. */
export interface FillingResult {
  /** Names of the frameworks that launched a task, in launch order. */
  readonly launches: string[];
  /** Tasks launched per framework name. */
  readonly tasks: Record<string, number>;
}

/**
 * Runs allocation until no offer is made. Each offer: if the receiver's task fits, it launches
 * one (those resources stay held) and declines the rest with no filter; otherwise it declines
 * the whole offer with a filter that never expires (its task can never fit there again, since
 * tasks never end). `task` gives each framework's task by framework index.
 */
export function fillOneTaskPerOffer(m: MiniMaster, task: (fw: number) => ResourceVector, rng: Rng, maxRuns = 1000): FillingResult {
  const launches: string[] = [];
  const tasks: Record<string, number> = {};
  for (const f of m.frameworks) tasks[f.name] = 0;
  for (let run = 0; run < maxRuns; run++) {
    const made = m.run(rng);
    if (made.length === 0) return { launches, tasks };
    for (const o of made) {
      const t = task(o.fw);
      if (!contains(o.res, 0, t)) {
        m.recover(o);
        m.ctx.filter(o.fw, o.agent);
        continue;
      }
      const name = m.frameworks[o.fw]!.name;
      launches.push(name);
      tasks[name]! += 1;
      // The offer is settled here: the task keeps its part, the rest goes back.
      m.held.splice(m.held.indexOf(o), 1);
      const rest = o.res.slice();
      subInto(rest, 0, t);
      if (!isEmpty(rest)) {
        addInto(m.ctx.free, o.agent * NUM_RESOURCES, rest);
        m.allocator.recover(o.fw, o.agent, rest);
      }
    }
  }
  throw new Error(`progressive filling did not stop within ${maxRuns} runs`);
}

/**
 * The DRF paper's two-user setting: users A (framework 0, role 'a') and B (framework 1, role 'b')
 * on one agent, each running one kind of task; returns the progressive filling under `allocator`.
 */
export function fillTwoUsers(allocator: Allocator, agent: ResourceVector, taskA: ResourceVector, taskB: ResourceVector, rng: Rng): FillingResult {
  const m = new MiniMaster(allocator, 1);
  m.addFramework('A', 'a');
  m.addFramework('B', 'b');
  m.addAgent(agent);
  return fillOneTaskPerOffer(m, (fw) => (fw === 0 ? taskA : taskB), rng);
}
