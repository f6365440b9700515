/**
 * Multi-role frameworks at the allocator level (Mesos MULTI_ROLE): each role of a framework is a
 * client of its own in that role's framework sorter, with its own holding, suppression and filters;
 * an offer goes to one role. Driven by the fake master; values worked out by hand or taken from
 * the cited Mesos test.
 */
import { RandomStream } from '../sim/kernel/rng.js';
import { resources } from '../sim/model/resources.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { MiniMaster, type RecordedOffer } from './test-support/fake-context.js';
import { agentIx } from '../sim/model/ids.js';

const drf = (params?: Record<string, unknown>) =>
  new HierarchicalAllocator({ name: 'drf', roleSorter: 'drf', frameworkSorter: 'drf', ...(params === undefined ? {} : { params }) });
const agent = (cpus: number, mem: number) => resources({ cpus, mem, disk: 0 });
const rng = (name: string) => new RandomStream(1, name);
/** Each offer as `framework@role:agent`. */
const shown = (m: MiniMaster, offers: readonly RecordedOffer[]) => offers.map((o) => `${m.frameworks[o.fw]!.name}@${o.role ?? '-'}:${o.agent}`);

describe('SuppressAndReviveOffersWithMultiRole (src/tests/hierarchical_allocator_tests.cpp:6196-6271)', () => {
  test('a suppressed role gets nothing; the other role gets the agent; filters and revive are per role', () => {
    const m = new MiniMaster(drf(), 1);
    const r = rng('suppress-revive');
    // A framework of role1 and role2 suppresses role1, then an agent of cpus:2;mem:1024 joins.
    const fw = m.addFramework('framework', 'role1', ['role1', 'role2']);
    m.allocator.deactivateFramework(fw, ['role1']);
    const a = m.addAgent(agent(2, 1024));
    // Only role2 is active: it is offered the whole agent (Mesos: Allocation {role2: agent}).
    const first = m.run(r);
    expect(shown(m, first)).toEqual(['framework@role2:0']);
    expect(Array.from(first[0]!.res)).toEqual(Array.from(agent(2, 1024)));
    // role2 declines with a one-day filter: the next run offers nothing (role1 is suppressed).
    m.recover(first[0]!);
    m.ctx.filter(fw, a, 'role2');
    expect(m.run(r)).toEqual([]);
    // Reviving role1 does not touch role2's filter: role1 gets the agent.
    m.allocator.activateFramework(fw, ['role1']);
    const second = m.run(r);
    expect(shown(m, second)).toEqual(['framework@role1:0']);
    // role1 declines with a filter too: both roles are filtered, nothing is offered.
    m.recover(second[0]!);
    m.ctx.filter(fw, a, 'role1');
    expect(m.run(r)).toEqual([]);
  });
});

describe('a framework ranks in each of its roles with what it holds in that role only', () => {
  test('three agents of (2, 1024): alpha@a, alpha@b, alpha@a', () => {
    const m = new MiniMaster(drf(), 3);
    const r = rng('per-role-share');
    // alpha is in roles a and b; beta in role b only. Names order DRF ties (alpha < beta, a < b).
    m.addFramework('alpha', 'a', ['a', 'b']);
    m.addFramework('beta', 'b');
    const s = [m.addAgent(agent(2, 1024)), m.addAgent(agent(2, 1024)), m.addAgent(agent(2, 1024))];
    // Total (6, 3072). Agent 0: roles a and b both hold 0, a first (name): alpha@a. a = max(2/6, 1024/3072) = 1/3.
    expect(shown(m, m.run(r, [s[0]!]))).toEqual(['alpha@a:0']);
    // Agent 1: role b (0) before a (1/3). In b's sorter alpha holds 0 in b (its 1/3 is role a's),
    // beta 0: a tie, alpha by name. Were alpha's share in b its whole holding (1/3), beta would win.
    expect(shown(m, m.run(r, [s[1]!]))).toEqual(['alpha@b:1']);
    // Agent 2: a = b = 1/3, one allocation each: a by name, alpha@a.
    expect(shown(m, m.run(r, [s[2]!]))).toEqual(['alpha@a:2']);
  });

  test('recovering returns resources to the role they were allocated to', () => {
    const m = new MiniMaster(drf(), 2);
    const r = rng('recover-role');
    m.addFramework('alpha', 'a', ['a', 'b']);
    m.addFramework('beta', 'b');
    const s0 = m.addAgent(agent(2, 1024));
    const s1 = m.addAgent(agent(2, 1024));
    const [o0] = m.run(r, [s0]); // alpha@a (as above): a = 1/2
    const [o1] = m.run(r, [s1]); // role b (0): alpha@b by name; b = 1/2
    expect(shown(m, [o0!, o1!])).toEqual(['alpha@a:0', 'alpha@b:1']);
    // alpha@b gives agent 1 back: b holds 0 again, and alpha holds 0 in b. Agent 1 goes to role b
    // (0 < a's 1/2), where alpha (0 in b, but one allocation made) and beta (0, none) tie on share:
    // beta, fewer allocations (Mesos DRF's second key). Had the recovery left role a instead, a
    // would hold 0 and b 1/2: alpha@a would get it.
    m.recover(o1!);
    expect(shown(m, m.run(r, [s1]))).toEqual(['beta@-:1']);
  });
});

describe('reservations and quota are per role', () => {
  test("a reservation for role b goes to the framework's role-b client only", () => {
    const m = new MiniMaster(drf(), 1);
    const r = rng('reserved');
    m.addFramework('alpha', 'a', ['a', 'b']);
    // Agent (4, 2048) of which (2, 1024) is reserved for b.
    m.addAgent(agent(4, 2048), [{ role: 'b', res: agent(2, 1024) }]);
    const made = m.run(r);
    // Roles a and b hold 0: a first (name), offered the unreserved (2, 1024) only; then role b,
    // offered its reservation (2, 1024), which is all that is left.
    expect(shown(m, made)).toEqual(['alpha@a:0', 'alpha@b:0']);
    expect(made[0]!.reserved).toBeUndefined();
    expect(Array.from(made[0]!.res)).toEqual(Array.from(agent(2, 1024)));
    expect(Array.from(made[1]!.reserved!)).toEqual(Array.from(agent(2, 1024)));
  });

  test("a role's quota limit counts what the framework holds in that role only", () => {
    // Role a may hold at most cpus 2. alpha holds (2, 1024) in role b: role a is still empty.
    const m = new MiniMaster(drf({ quota: { a: { limit: { cpus: 2 } } } }), 2);
    const r = rng('quota');
    const fw = m.addFramework('alpha', 'a', ['a', 'b']);
    const s0 = m.addAgent(agent(2, 1024));
    const s1 = m.addAgent(agent(4, 1024));
    m.allocator.deactivateFramework(fw, ['a']);
    expect(shown(m, m.run(r, [s0]))).toEqual(['alpha@b:0']);
    m.allocator.activateFramework(fw, ['a']);
    m.allocator.deactivateFramework(fw, ['b']);
    // Role a consumes 0 of its limit 2: it is offered agent 1 shrunk to cpus 2 (the limit), all its
    // mem. Had alpha's role-b holding counted against a, a would be at its limit and get nothing.
    const made = m.run(r, [s1]);
    expect(shown(m, made)).toEqual(['alpha@a:1']);
    expect(Array.from(made[0]!.res)).toEqual(Array.from(agent(2, 1024)));
  });

  test("a RESERVE in role b moves quota between role b's terms, not role a's", () => {
    // As above, but alpha reserves for b the (2, 1024) it holds there (a RESERVE in its accept):
    // the resources go from b's offered-or-allocated to b's reservations. Role a still consumes
    // 0 of its limit 2, so it is offered agent 1 shrunk to cpus 2. (Had the RESERVE been taken
    // out of role a's holding, a would consume -2 cpus and be offered all 4.)
    const m = new MiniMaster(drf({ quota: { a: { limit: { cpus: 2 } }, b: { limit: { cpus: 8 } } } }), 2);
    const r = rng('quota');
    const fw = m.addFramework('alpha', 'a', ['a', 'b']);
    const s0 = m.addAgent(agent(2, 1024));
    const s1 = m.addAgent(agent(4, 1024));
    m.allocator.deactivateFramework(fw, ['a']);
    expect(shown(m, m.run(r, [s0]))).toEqual(['alpha@b:0']);
    m.allocator.reserve!(fw, s0, 'b', agent(2, 1024));
    m.allocator.activateFramework(fw, ['a']);
    m.allocator.deactivateFramework(fw, ['b']);
    const made = m.run(r, [s1]);
    expect(shown(m, made)).toEqual(['alpha@a:1']);
    expect(Array.from(made[0]!.res)).toEqual(Array.from(agent(2, 1024)));
  });
});

test('a framework of one role makes the same calls as before: no role in offers or filters', () => {
  const m = new MiniMaster(drf(), 1);
  m.addFramework('solo', 'a');
  m.addAgent(agent(2, 1024));
  const made = m.run(rng('solo'));
  expect(made).toHaveLength(1);
  expect('role' in made[0]!).toBe(false);
  expect(agentIx(made[0]!.agent)).toBe(0);
});
