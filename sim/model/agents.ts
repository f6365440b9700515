/**
 * The master's agents: who registered, who is up, and every agent's resources, packed, with
 * their accounting (free + offered + allocated = total, checked on every change), the static
 * and dynamic reservation pools, and which task runs where. The packed arrays stay in here: the master moves
 * resources through the methods below. Imports the kernel and model modules.
 */
import { IntMap } from '../kernel/int-map.js';
import { grown, resized } from '../kernel/packed.js';
import type { Simulator } from '../kernel/simulator.js';
import type { Reservation } from './allocation-port.js';
import { agentIx, type AgentIx } from './ids.js';
import type { TaskTable } from './job.js';
import { addInto, contains, copyInto, format, hasNegative, isEmpty, NUM_RESOURCES, R, subInto, type ResourceVector } from './resources.js';
import { allocatableTo } from './roles.js';

/** Stride of the per-agent accounting, and the offsets of its three vectors. */
const ACCT = 3 * NUM_RESOURCES;
const OFFERED = 0;
const ALLOCATED = NUM_RESOURCES;
const TOTAL = 2 * NUM_RESOURCES;

/** An agent's state: up, failed (not answering pings, not yet removed), removed. */
const UP = 0;
const FAILED = 1;
const REMOVED = 2;

/** Every agent of the run, by dense index in order of registration. */
export class AgentTable {
  private cap = 64;
  private n = 0;
  /** free unreserved resources per agent (stride NUM_RESOURCES), read by the allocation context through {@link freeInto} */
  private available = new Float64Array(this.cap * NUM_RESOURCES);
  /**
   * Per agent (stride ACCT), side by side so that an offer's accounting and check touch two cache
   * lines instead of three: at OFFERED the unreserved resources in outstanding offers, at
   * ALLOCATED those held by staging or running tasks, at TOTAL its total, reservations included.
   */
  private acct = new Float64Array(this.cap * ACCT);
  /** sum of every registered (not removed) agent's total */
  readonly clusterTotal = new Float64Array(NUM_RESOURCES);

  // Static reservations: one pool per (agent, reserving role), packed like the agent arrays. The
  // unreserved pool stays in the arrays above, so runs without reservations touch none of these.
  private poolCap = 0;
  private poolCount = 0;
  /** reserved total of each pool (stride NUM_RESOURCES) */
  private poolTotal = new Float64Array(0);
  /** free part of each pool (stride NUM_RESOURCES) */
  private poolFree = new Float64Array(0);
  /** part of each pool in outstanding offers (stride NUM_RESOURCES) */
  private poolOffered = new Float64Array(0);
  /** part of each pool held by staging or running tasks (stride NUM_RESOURCES) */
  private poolAllocated = new Float64Array(0);
  /** the dynamically reserved part of each pool's total (stride NUM_RESOURCES): only it may be unreserved */
  private poolDynamic = new Float64Array(0);
  private readonly poolRole: string[] = [];
  /** agents whose pools a RESERVE or UNRESERVE changed: {@link reservations} reads their pools */
  private readonly dynamicAgents = new Set<number>();
  /** pools of each agent, by agent index; undefined for an agent without reservations */
  private readonly agentPools: (number[] | undefined)[] = [];
  /** running task id -> its entry below, for tasks that took part of their resources from a pool */
  private readonly taskEntry = new IntMap();
  /** per entry: the pool its task's reserved part came from */
  private entryPool = new Int32Array(0);
  /** per entry: the part of its task's resources taken from that pool (stride NUM_RESOURCES) */
  private entryReserved = new Float64Array(0);
  /** entries free for reuse */
  private readonly freeEntries: number[] = [];
  private entries = 0;
  /** the reserved part of what an accept uses, and of what it leaves (see {@link useOffer}) */
  readonly usedReserved = new Float64Array(NUM_RESOURCES);
  readonly unusedReserved = new Float64Array(NUM_RESOURCES);

  private readonly names: string[] = [];
  private readonly racks: string[] = [];
  /** agents up, in registration-index order */
  private readonly up: AgentIx[] = [];
  /** per agent: when it (last) registered, us; its ping schedule starts there */
  private readonly registered: number[] = [];
  /** per agent: its static reservations, kept for a re-registration */
  private readonly reservedOf: (readonly Reservation[])[] = [];
  /** per agent: UP, FAILED or REMOVED */
  private state = new Uint8Array(this.cap);
  /** agents failed or removed */
  private down = 0;
  /** Running tasks of each agent (any order), so that losing an agent does not scan every task. */
  private readonly runningOn: number[][] = [];
  /** Each running task's index in its agent's {@link runningOn} list, by task id. */
  private readonly runningPos = new IntMap(1024);

  constructor(private readonly sim: Simulator) {}

  /** Agents registered so far. */
  get count(): number {
    return this.n;
  }
  /** Agents up, in registration order (read-only). */
  get list(): readonly AgentIx[] {
    return this.up;
  }
  /** Whether some agent is failed or removed. */
  get anyDown(): boolean {
    return this.down > 0;
  }
  /** Whether agent `a` is failed or removed. */
  isDown(a: number): boolean {
    return this.state[a] !== UP;
  }
  /** Name of agent `a`. */
  name(a: number): string {
    return this.names[a]!;
  }
  /** Rack of agent `a`. */
  rack(a: number): string {
    return this.racks[a]!;
  }
  /** When agent `a` (last) registered, us. */
  registeredAt(a: number): number {
    return this.registered[a]!;
  }
  /**
   * Agent `a`'s reservations (none: empty): its static ones or, once a framework reserved or
   * unreserved there, every non-empty pool as it is now (dynamic reservations are checkpointed on
   * the agent and survive its re-registration, as Mesos's ResourcesCheckpointing test shows:
   * src/tests/reservation_tests.cpp:692).
   */
  reservations(a: number): readonly Reservation[] {
    if (!this.dynamicAgents.has(a)) return this.reservedOf[a]!;
    const out: Reservation[] = [];
    for (const p of this.agentPools[a] ?? []) {
      const res = this.poolTotal.slice(p * NUM_RESOURCES, (p + 1) * NUM_RESOURCES);
      if (!isEmpty(res)) out.push({ role: this.poolRole[p]!, res });
    }
    return out;
  }

  /** The role pool `pool` is reserved for. */
  poolRoleOf(pool: number): string {
    return this.poolRole[pool]!;
  }

  /** The dynamically reserved part of pool `pool` (a view: do not keep). */
  dynamicPart(pool: number): Float64Array {
    return this.poolDynamic.subarray(pool * NUM_RESOURCES, (pool + 1) * NUM_RESOURCES);
  }

  /**
   * Whether `role` may hold a reservation on `agent` beside those there: no reserving role there
   * is its strict ancestor or descendant (the rule static reservations keep, so that a framework
   * draws on at most one pool per agent).
   */
  canReserve(agent: number, role: string): boolean {
    for (const p of this.agentPools[agent] ?? []) {
      const other = this.poolRole[p]!;
      if (other !== role && (allocatableTo(other, role) || allocatableTo(role, other))) return false;
    }
    return true;
  }

  /**
   * RESERVE: `res` of an outstanding offer's unreserved part on `agent` becomes reserved for
   * `role` (the caller checked it is offered and {@link canReserve}): it moves from the agent's
   * unreserved offered resources to the offered part of the (agent, role) pool, created empty if
   * there was none, and the pool's total grows by it. Returns the pool.
   */
  reserveOffered(agent: number, role: string, res: ResourceVector): number {
    let pools = this.agentPools[agent];
    let p = -1;
    if (pools !== undefined) for (const q of pools) if (this.poolRole[q] === role) p = q;
    if (p < 0) {
      if (this.poolCount === this.poolCap) this.growPools();
      p = this.poolCount++;
      this.poolRole.push(role);
      if (pools === undefined) pools = this.agentPools[agent] = [];
      pools.push(p);
    }
    this.dynamicAgents.add(agent);
    const off = p * NUM_RESOURCES;
    subInto(this.acct, agent * ACCT + OFFERED, res);
    addInto(this.poolTotal, off, res);
    addInto(this.poolOffered, off, res);
    addInto(this.poolDynamic, off, res);
    this.checkPool(agent, p);
    this.check(agent);
    return p;
  }

  /**
   * UNRESERVE: `res` of pool `pool` on `agent`, in an outstanding offer and within the pool's
   * dynamic part (the caller checked both), becomes unreserved offered resources again; the pool's
   * total shrinks by it (an emptied pool stays, empty).
   */
  unreserveOffered(agent: number, pool: number, res: ResourceVector): void {
    const off = pool * NUM_RESOURCES;
    subInto(this.poolTotal, off, res);
    subInto(this.poolOffered, off, res);
    subInto(this.poolDynamic, off, res);
    addInto(this.acct, agent * ACCT + OFFERED, res);
    if (hasNegative(this.poolDynamic, off))
      throw this.sim.invariant(`agent ${this.names[agent]}: unreserved ${format(res)} of static reservation for ${this.poolRole[pool]}`);
    this.checkPool(agent, pool);
    this.check(agent);
  }
  /** Agent `a`'s total, reservations included (a view: do not keep). */
  total(a: number): Float64Array {
    return this.acct.subarray(a * ACCT + TOTAL, a * ACCT + TOTAL + NUM_RESOURCES);
  }
  /** Whether agent `a`'s total holds gpus (Mesos `Slave::hasGpu`: the total, not what is free). */
  hasGpus(a: number): boolean {
    return this.acct[a * ACCT + TOTAL + R.gpus]! > 0;
  }

  /**
   * Registers an agent with `total` resources, of which `reserved` are static reservations (each
   * part of `total`; no reserving role may be another's ancestor on one agent, so a role can draw
   * on at most one reservation per agent); returns its index.
   */
  add(name: string, rack: string, total: ResourceVector, reserved: readonly Reservation[]): AgentIx {
    if (hasNegative(total)) throw this.sim.invariant(`agent ${name} has negative resources ${format(total)}`);
    if (this.n === this.cap) this.grow();
    const a = agentIx(this.n++);
    copyInto(this.acct, a * ACCT + TOTAL, total);
    copyInto(this.available, a * NUM_RESOURCES, total);
    addInto(this.clusterTotal, 0, total);
    this.names.push(name);
    this.racks.push(rack);
    this.up.push(a);
    this.registered.push(this.sim.now);
    this.reservedOf.push(reserved);
    this.agentPools[a] = undefined;
    if (reserved.length > 0) this.addPools(a, name, reserved);
    return a;
  }

  /** Agent `a` fails: it leaves the agents up (its state is FAILED until {@link removed}). */
  fail(a: AgentIx): void {
    if (a < 0 || a >= this.n) throw this.sim.invariant(`unknown agent ${a} failed`);
    if (this.state[a] !== UP) throw this.sim.invariant(`agent ${this.names[a]} failed while down`);
    this.state[a] = FAILED;
    this.down++;
    const i = this.up.indexOf(a);
    if (i >= 0) this.up.splice(i, 1);
  }

  /** Failed agent `a` is declared lost and leaves the cluster; returns its total (a view). */
  removed(a: number): Float64Array {
    const total = this.total(a);
    subInto(this.clusterTotal, 0, total);
    this.state[a] = REMOVED;
    return total;
  }

  /**
   * Failed (not removed) agent `a` answers the master again: it is up with what it had, its
   * registration time (and so its ping schedule) unchanged.
   */
  reconnect(a: AgentIx): void {
    if (this.state[a] !== FAILED) throw this.sim.invariant(`agent ${this.names[a]} reconnected while not failed`);
    this.state[a] = UP;
    this.down--;
    this.insertUp(a);
  }

  /** Removed agent `a` registers again, with nothing on it; returns its total (a view). */
  back(a: AgentIx): Float64Array {
    if (this.state[a] !== REMOVED) throw this.sim.invariant(`agent ${this.names[a]} reregistered while not removed`);
    this.state[a] = UP;
    this.down--;
    const total = this.total(a);
    this.check(a);
    addInto(this.clusterTotal, 0, total);
    this.registered[a] = this.sim.now;
    this.insertUp(a);
    return total;
  }

  /** Puts `a` back in the agent list, in registration-index order as before its failure. */
  private insertUp(a: AgentIx): void {
    let i = this.up.length;
    while (i > 0 && this.up[i - 1]! > a) i--;
    this.up.splice(i, 0, a);
  }

  /** Copies the free unreserved resources of `agent` into `out[offset..]`. */
  freeInto(agent: number, out: Float64Array, offset: number): void {
    copyInto(out, offset, this.available, agent * NUM_RESOURCES);
  }

  /** The pool on `agent` that a framework of `role` may draw on, or -1. */
  poolFor(agent: number, role: string): number {
    const pools = this.agentPools[agent];
    if (pools === undefined) return -1;
    for (const p of pools) if (allocatableTo(this.poolRole[p]!, role)) return p;
    return -1;
  }

  /** Writes into `out` the free part of the pool on `agent` a framework of `role` may draw on; false (and zeros) when none or empty. */
  reservedFree(agent: number, role: string, out: Float64Array): boolean {
    out.fill(0);
    const p = this.poolFor(agent, role);
    if (p < 0) return false;
    copyInto(out, 0, this.poolFree, p * NUM_RESOURCES);
    return !isEmpty(out);
  }

  /** Whether `demand` fits on `agent` in its unreserved free resources plus the free part of the pool `role` may draw on there. */
  fits(agent: number, role: string, demand: Float64Array): boolean {
    const off = agent * NUM_RESOURCES;
    if (this.agentPools[agent] === undefined) return contains(this.available, off, demand);
    const p = this.poolFor(agent, role);
    if (p < 0) return contains(this.available, off, demand);
    for (let r = 0; r < NUM_RESOURCES; r++) {
      if (this.available[off + r]! + this.poolFree[p * NUM_RESOURCES + r]! < demand[r]!) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- resource moves

  /**
   * `res` (unreserved) and `reserved` (or none) of `agent` go into an offer to `who` (a framework
   * of `role`): checked within what is free (an invariant, naming `who`), moved from free to
   * offered. Returns the reservation pool, -1 for none.
   */
  offerOut(agent: number, res: ResourceVector, reserved: ResourceVector | undefined, role: string, who: string): number {
    if (agent < 0 || agent >= this.n) throw this.sim.invariant(`allocator offered unknown agent ${agent}`);
    const off = agent * NUM_RESOURCES;
    const withReserved = reserved !== undefined && !isEmpty(reserved);
    // One pass for: not empty (unless reserved), no negative amount, all of it free.
    const available = this.available;
    let empty = true;
    let bad = false;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const x = res[r]!;
      if (x !== 0) empty = false;
      if (x < 0 || available[off + r]! < x) bad = true;
    }
    if ((empty && !withReserved) || bad) {
      throw this.sim.invariant(`allocator offered ${format(res)} on agent ${this.names[agent]} to ${who}, but only ${format(this.available, off)} is free`);
    }
    let pool = -1;
    if (withReserved) {
      pool = this.poolFor(agent, role);
      if (pool < 0 || hasNegative(reserved) || !contains(this.poolFree, pool * NUM_RESOURCES, reserved)) {
        throw this.sim.invariant(
          `allocator offered reserved ${format(reserved)} on agent ${this.names[agent]} to ${who} (role ${role}), but ` +
            (pool < 0 ? 'no reservation there is allocatable to that role' : `only ${format(this.poolFree, pool * NUM_RESOURCES)} of it is free`),
        );
      }
      subInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      addInto(this.poolOffered, pool * NUM_RESOURCES, reserved);
    }
    subInto(available, off, res);
    addInto(this.acct, agent * ACCT + OFFERED, res);
    this.check(agent);
    return pool;
  }

  /**
   * An accept of an offer on `agent` (of which `offeredReserved` came from `pool`, -1 for none)
   * launches `tasks`, using `used` of it in all: each task, in launch order, takes what it can
   * from the offer's reserved part, per resource, and the rest unreserved (Mesos lets the
   * framework choose; offersim's schedulers ask for amounts only, so reserved first keeps
   * unreserved resources for everyone else). What each task took is remembered so its end returns
   * it to the pool. `used` becomes its unreserved part; {@link usedReserved} and
   * {@link unusedReserved} the reserved part used and left. Moves what is used from offered to allocated.
   */
  useOffer(agent: number, table: TaskTable, tasks: readonly number[], used: Float64Array, pool: number, offeredReserved: Float64Array): void {
    if (pool >= 0) {
      const left = this.unusedReserved;
      copyInto(left, 0, offeredReserved);
      const usedRsv = this.usedReserved;
      usedRsv.fill(0);
      for (const task of tasks) {
        const off = table.resOffset(task);
        const e = this.newEntry();
        const eOff = e * NUM_RESOURCES;
        for (let r = 0; r < NUM_RESOURCES; r++) {
          const take = Math.min(table.res[off + r]!, left[r]!);
          this.entryReserved[eOff + r] = take;
          left[r] = left[r]! - take;
          usedRsv[r] = usedRsv[r]! + take;
        }
        this.keepEntry(task, e, pool);
      }
      subInto(this.poolOffered, pool * NUM_RESOURCES, usedRsv);
      addInto(this.poolAllocated, pool * NUM_RESOURCES, usedRsv);
      subInto(used, 0, usedRsv);
      copyInto(this.unusedReserved, 0, offeredReserved);
      subInto(this.unusedReserved, 0, usedRsv);
    }
    subInto(this.acct, agent * ACCT + OFFERED, used);
    addInto(this.acct, agent * ACCT + ALLOCATED, used);
    if (pool >= 0) this.checkPool(agent, pool);
  }

  /** Offered `res` of `agent` comes back (the part `reserved` to `pool`, when pool >= 0): moved from offered to free. */
  giveBack(agent: number, res: ResourceVector, pool: number, reserved: ResourceVector): void {
    addInto(this.available, agent * NUM_RESOURCES, res);
    subInto(this.acct, agent * ACCT + OFFERED, res);
    if (pool >= 0) {
      subInto(this.available, agent * NUM_RESOURCES, reserved);
      addInto(this.acct, agent * ACCT + OFFERED, reserved);
      addInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      subInto(this.poolOffered, pool * NUM_RESOURCES, reserved);
      this.checkPool(agent, pool);
    }
    this.check(agent);
  }

  /**
   * Pending `task` of a framework of `role` is placed on `agent` without an offer: reserved
   * resources first (from the pool `role` may draw on), then unreserved ones, moved from free to
   * allocated. It must fit (an invariant). Returns the reserved part (a view), or undefined.
   */
  placeDirect(agent: number, table: TaskTable, task: number, role: string): Float64Array | undefined {
    const off = agent * NUM_RESOURCES;
    const tOff = table.resOffset(task);
    const pool = this.agentPools[agent] === undefined ? -1 : this.poolFor(agent, role);
    if (pool >= 0) {
      const pOff = pool * NUM_RESOURCES;
      const e = this.newEntry();
      const eOff = e * NUM_RESOURCES;
      for (let r = 0; r < NUM_RESOURCES; r++) {
        const need = table.res[tOff + r]!;
        const take = Math.min(need, this.poolFree[pOff + r]!);
        if (need - take > this.available[off + r]!) {
          throw this.sim.invariant(
            `task ${task} (${format(table.res, tOff)}) placed on agent ${this.names[agent]} with ` +
              `${format(this.available, off)} free and ${format(this.poolFree, pOff)} reserved for ${this.poolRole[pool]}`,
          );
        }
        this.entryReserved[eOff + r] = take;
      }
      const reserved = this.entryReserved.subarray(eOff, eOff + NUM_RESOURCES);
      subInto(this.available, off, table.res, tOff);
      addInto(this.acct, agent * ACCT + ALLOCATED, table.res, tOff);
      addInto(this.available, off, reserved);
      subInto(this.acct, agent * ACCT + ALLOCATED, reserved);
      subInto(this.poolFree, pOff, reserved);
      addInto(this.poolAllocated, pOff, reserved);
      const kept = this.keepEntry(task, e, pool);
      this.checkPool(agent, pool);
      this.check(agent);
      return kept ? reserved : undefined;
    }
    if (!contains(this.available, off, table.res, tOff)) {
      throw this.sim.invariant(`task ${task} (${format(table.res, tOff)}) placed on agent ${this.names[agent]} with ${format(this.available, off)} free`);
    }
    subInto(this.available, off, table.res, tOff);
    addInto(this.acct, agent * ACCT + ALLOCATED, table.res, tOff);
    this.check(agent);
    return undefined;
  }

  /** `task` starts running on `agent`. */
  started(agent: number, task: number): void {
    const on = this.runningOn[agent] ?? (this.runningOn[agent] = []);
    this.runningPos.set(task, on.length);
    on.push(task);
  }

  /** The tasks running on `agent`, in task order (a copy). */
  runningTasks(agent: number): number[] {
    return (this.runningOn[agent] ?? []).slice().sort((x, y) => x - y);
  }

  /**
   * Running `task` of `res` on `agent` ends: off the agent's running list, its resources from
   * allocated back to free (the part it took from a reservation to that pool). Returns that
   * reserved part (a view, valid until the next launch), or undefined.
   */
  ended(agent: number, task: number, res: Float64Array): Float64Array | undefined {
    // Off its agent's running list (swap with the last).
    const on = this.runningOn[agent]!;
    const at = this.runningPos.take(task);
    const last = on.pop()!;
    if (last !== task) {
      on[at] = last;
      this.runningPos.set(last, at);
    }
    const e = this.taskEntry.size > 0 ? this.taskEntry.take(task) : -1;
    const pool = e < 0 ? -1 : this.entryPool[e]!;
    let reserved: Float64Array | undefined;
    addInto(this.available, agent * NUM_RESOURCES, res);
    subInto(this.acct, agent * ACCT + ALLOCATED, res);
    if (pool >= 0) {
      // The part the task took from its reservation goes back there (see useOffer).
      reserved = this.entryReserved.subarray(e * NUM_RESOURCES, e * NUM_RESOURCES + NUM_RESOURCES);
      subInto(this.available, agent * NUM_RESOURCES, reserved);
      addInto(this.acct, agent * ACCT + ALLOCATED, reserved);
      addInto(this.poolFree, pool * NUM_RESOURCES, reserved);
      subInto(this.poolAllocated, pool * NUM_RESOURCES, reserved);
      this.freeEntries.push(e);
      this.checkPool(agent, pool);
    }
    this.check(agent);
    return reserved;
  }

  // ---------------------------------------------------------------- invariants and growth

  /** Sets up agent `a`'s reservation pools, taking them out of its unreserved free pool. */
  private addPools(a: number, name: string, reserved: readonly Reservation[]): void {
    const pools: number[] = [];
    for (const r of reserved) {
      if (r.role === '*' || r.role === '' || hasNegative(r.res)) throw this.sim.invariant(`agent ${name}: invalid reservation for role '${r.role}'`);
      for (const p of pools) {
        const other = this.poolRole[p]!;
        if (allocatableTo(other, r.role) || allocatableTo(r.role, other)) {
          throw this.sim.invariant(`agent ${name}: reservations for '${other}' and '${r.role}' overlap (one role is the other's ancestor)`);
        }
      }
      if (this.poolCount === this.poolCap) this.growPools();
      const p = this.poolCount++;
      this.poolRole.push(r.role);
      copyInto(this.poolTotal, p * NUM_RESOURCES, r.res);
      copyInto(this.poolFree, p * NUM_RESOURCES, r.res);
      subInto(this.available, a * NUM_RESOURCES, r.res);
      pools.push(p);
    }
    this.agentPools[a] = pools;
    if (hasNegative(this.available, a * NUM_RESOURCES)) {
      throw this.sim.invariant(`agent ${name}: reservations exceed its total ${format(this.acct, a * ACCT + TOTAL)}`);
    }
  }

  /**
   * Free + offered + allocated of the unreserved pool must equal the agent's total less its
   * reservations, with nothing negative (each reservation pool is checked by {@link checkPool}).
   */
  private check(agent: number): void {
    const off = agent * NUM_RESOURCES;
    const pools = this.agentPools[agent];
    const available = this.available;
    const acct = this.acct;
    const o = agent * ACCT;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const free = available[off + r]!;
      const offered = acct[o + OFFERED + r]!;
      const allocated = acct[o + ALLOCATED + r]!;
      let total = acct[o + TOTAL + r]!;
      if (pools !== undefined) for (const p of pools) total -= this.poolTotal[p * NUM_RESOURCES + r]!;
      if (free < 0 || offered < 0 || allocated < 0 || free + offered + allocated !== total) this.broken(agent);
    }
  }

  /** Throws the broken-accounting invariant of {@link check} (kept out of its hot loop). */
  private broken(agent: number): never {
    const off = agent * NUM_RESOURCES;
    const o = agent * ACCT;
    throw this.sim.invariant(
      `agent ${this.names[agent]}: free ${format(this.available, off)} + offered ${format(this.acct, o + OFFERED)} + ` +
        `allocated ${format(this.acct, o + ALLOCATED)} is not its total ${format(this.acct, o + TOTAL)}`,
    );
  }

  /** Free + offered + allocated of reservation pool `pool` must equal its total, with nothing negative. */
  private checkPool(agent: number, pool: number): void {
    const off = pool * NUM_RESOURCES;
    for (let r = 0; r < NUM_RESOURCES; r++) {
      const free = this.poolFree[off + r]!;
      const offered = this.poolOffered[off + r]!;
      const allocated = this.poolAllocated[off + r]!;
      if (free < 0 || offered < 0 || allocated < 0 || free + offered + allocated !== this.poolTotal[off + r]) {
        throw this.sim.invariant(
          `agent ${this.names[agent]}, reservation for ${this.poolRole[pool]}: free ${format(this.poolFree, off)} + ` +
            `offered ${format(this.poolOffered, off)} + allocated ${format(this.poolAllocated, off)} is not its total ${format(this.poolTotal, off)}`,
        );
      }
    }
  }

  /** An entry for a task's reserved part, free or new (written by the caller, then {@link keepEntry}). */
  private newEntry(): number {
    const free = this.freeEntries.pop();
    if (free !== undefined) return free;
    const e = this.entries++;
    this.entryPool = grown(this.entryPool, this.entries);
    this.entryReserved = grown(this.entryReserved, this.entries * NUM_RESOURCES);
    return e;
  }

  /** Keeps entry `e` for `task` (its part from `pool`) if that part is not empty, else frees it; returns whether kept. */
  private keepEntry(task: number, e: number, pool: number): boolean {
    if (isEmpty(this.entryReserved, e * NUM_RESOURCES)) {
      this.freeEntries.push(e);
      return false;
    }
    this.entryPool[e] = pool;
    this.taskEntry.set(task, e);
    return true;
  }

  private growPools(): void {
    const cap = Math.max(16, this.poolCap * 2);
    this.poolTotal = resized(this.poolTotal, cap * NUM_RESOURCES);
    this.poolFree = resized(this.poolFree, cap * NUM_RESOURCES);
    this.poolOffered = resized(this.poolOffered, cap * NUM_RESOURCES);
    this.poolAllocated = resized(this.poolAllocated, cap * NUM_RESOURCES);
    this.poolDynamic = resized(this.poolDynamic, cap * NUM_RESOURCES);
    this.poolCap = cap;
  }

  private grow(): void {
    const cap = this.cap * 2;
    this.available = resized(this.available, cap * NUM_RESOURCES);
    this.acct = resized(this.acct, cap * ACCT);
    this.state = resized(this.state, cap);
    this.cap = cap;
  }
}
