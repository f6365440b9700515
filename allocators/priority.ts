/**
 * Strict priority between roles, DRF inside a priority level: for each agent, the levels are
 * tried from the highest down, and inside a level the roles (and the frameworks in a role) are
 * ranked by DRF as in the `drf` allocator. Imports only allocator modules; no clock, no queue,
 * no I/O, no ambient randomness.
 */
import type { ResourceVector } from '../sim/model/resources.js';
import { parentRole } from '../sim/model/roles.js';
import { HierarchicalAllocator } from './hierarchical.js';
import { isRecord, parsedOrThrow, rolePathProblem, show, unknownParams } from './param-checks.js';
import type { Rng } from '../sim/kernel/rng.js';
import type { AllocationContext, Allocator, FrameworkInfo, Reservation } from '../sim/model/allocation-port.js';
import type { AllocatorOptions, ParamDoc, ParamProblem } from './types.js';
import type { AgentIx, FrameworkIx } from '../sim/model/ids.js';

/** Registry name of {@link PriorityAllocator}. */
export const PRIORITY = 'priority';

/** The level of a role that neither it nor any ancestor is listed for. */
export const DEFAULT_LEVEL = 0;

/** The parameters of `priority`, for docs and `offersim list`. */
export const PRIORITY_PARAMS: readonly ParamDoc[] = [
  {
    name: 'priorities',
    description:
      'map of role path to priority level (an integer, unitless; higher levels are served first). ' +
      'A role not listed takes the level of its nearest listed ancestor (eng for eng/batch), else 0',
    default: '{} (every role at level 0: the same offers as drf)',
  },
];

/** The parsed parameters of `priority`. */
export interface PriorityParams {
  /** Listed role paths and their levels; default empty. */
  readonly priorities: ReadonlyMap<string, number>;
}

/** Every problem with `priority`'s parameters, each with its path inside `params`. */
export function validatePriorityParams(params: Readonly<Record<string, unknown>>): ParamProblem[] {
  return parse(params).problems;
}

/** The parameters of `priority`, checked; throws a RangeError listing every problem. */
export function parsePriorityParams(params: Readonly<Record<string, unknown>> = {}): PriorityParams {
  return parsedOrThrow(PRIORITY, parse(params));
}

function parse(params: Readonly<Record<string, unknown>>): { value: PriorityParams; problems: ParamProblem[] } {
  const problems = unknownParams(
    params,
    PRIORITY_PARAMS.map((p) => p.name),
    PRIORITY,
  );
  const priorities = new Map<string, number>();
  const raw = params['priorities'];
  if (raw !== undefined) {
    if (!isRecord(raw)) {
      problems.push({ path: ['priorities'], message: `expected a map of role path to integer level, got ${show(raw)}` });
    } else {
      for (const role of Object.keys(raw).sort()) {
        const level = raw[role];
        const bad = rolePathProblem(role);
        if (bad !== undefined) problems.push({ path: ['priorities', role], message: bad });
        if (typeof level !== 'number' || !Number.isSafeInteger(level)) {
          problems.push({ path: ['priorities', role], message: `expected an integer level, got ${show(level)}` });
        } else if (bad === undefined) {
          priorities.set(role, level);
        }
      }
    }
  }
  return { value: { priorities }, problems };
}

/** One priority level: a `drf` allocator over the roles of that level only. */
interface Level {
  readonly level: number;
  readonly allocator: HierarchicalAllocator;
  /** Active (not suppressed) frameworks in the level; a level with none is skipped. */
  active: number;
}

interface FrameworkState {
  readonly name: string;
  readonly level: Level;
  active: boolean;
}

/**
 * Strict priority with DRF inside each level.
 *
 * Each level is a hierarchical `drf` allocator that holds only the roles of that level, so DRF
 * shares, weights and tie-breaks apply among those roles alone, and frameworks inside a role are
 * ranked by DRF as usual. Every level sees every agent, so shares are fractions of the whole
 * cluster. A run is one `drf` run per level that has an active framework, from the highest level
 * down, each over the same candidate agents (with its own two agent shuffles); a level's run
 * sees only what the levels above left free. With whole-agent offers an agent therefore goes to
 * a framework of the highest level that has an active framework not filtered there, chosen by
 * DRF within that level; a lower level gets it only when every framework above is suppressed or
 * filtered on it. With the 'task' or 'fair-share' granularity a lower level gets what the levels
 * above left of an agent.
 *
 * Levels are fixed by the parameters, so all are built up front. With every role at one level
 * the run, its draws and its offers are exactly those of `drf`. Quota is not supported (the
 * level allocators take no `params`).
 */
export class PriorityAllocator implements Allocator {
  readonly name = PRIORITY;
  private readonly priorities: ReadonlyMap<string, number>;
  /** Every level, highest first. */
  private readonly levels: Level[];
  private readonly byLevel = new Map<number, Level>();
  private readonly roleLevels = new Map<string, Level>();
  private readonly frameworks: (FrameworkState | undefined)[] = [];
  private readonly names = new Set<string>();

  /** A priority allocator; `options.params.priorities` default {} (see {@link PRIORITY_PARAMS}). */
  constructor(options: AllocatorOptions = {}) {
    const { params, ...rest } = options;
    this.priorities = parsePriorityParams(params).priorities;
    const values = new Set<number>([DEFAULT_LEVEL, ...this.priorities.values()]);
    this.levels = [...values]
      .sort((a, b) => b - a)
      .map((level) => ({
        level,
        allocator: new HierarchicalAllocator({ ...rest, name: PRIORITY, roleSorter: 'drf', frameworkSorter: 'drf' }),
        active: 0,
      }));
    for (const l of this.levels) this.byLevel.set(l.level, l);
  }

  /** The priority level of `role`: its own, else its nearest listed ancestor's, else {@link DEFAULT_LEVEL}. */
  levelOf(role: string): number {
    return this.roleLevel(role).level;
  }

  setWeight(role: string, weight: number): void {
    // Weights act on role paths, and an ancestor path ('eng') can sit in several levels' trees
    // ('eng/batch' at 5, 'eng/web' at 0): every level gets every weight.
    for (let i = 0; i < this.levels.length; i++) this.levels[i]!.allocator.setWeight(role, weight);
  }

  addFramework(fw: FrameworkInfo): void {
    if (this.frameworks[fw.index] !== undefined) {
      throw new Error(`allocator: framework ${fw.index} ('${fw.name}') added twice`);
    }
    if (this.names.has(fw.name)) throw new Error(`allocator: framework name '${fw.name}' is taken`);
    const level = this.roleLevel(fw.role);
    level.allocator.addFramework(fw);
    level.active++;
    this.frameworks[fw.index] = { name: fw.name, level, active: true };
    this.names.add(fw.name);
  }

  removeFramework(fw: FrameworkIx): void {
    const f = this.framework(fw);
    f.level.allocator.removeFramework(fw);
    if (f.active) f.level.active--;
    this.frameworks[fw] = undefined;
    this.names.delete(f.name);
  }

  activateFramework(fw: FrameworkIx): void {
    const f = this.framework(fw);
    if (f.active) return;
    f.active = true;
    f.level.active++;
    f.level.allocator.activateFramework(fw);
  }

  deactivateFramework(fw: FrameworkIx): void {
    const f = this.framework(fw);
    if (!f.active) return;
    f.active = false;
    f.level.active--;
    f.level.allocator.deactivateFramework(fw);
  }

  addAgent(agent: AgentIx, total: ResourceVector, reserved?: readonly Reservation[]): void {
    for (let i = 0; i < this.levels.length; i++) this.levels[i]!.allocator.addAgent(agent, total, reserved);
  }

  removeAgent(agent: AgentIx, total: ResourceVector): void {
    for (let i = 0; i < this.levels.length; i++) this.levels[i]!.allocator.removeAgent(agent, total);
  }

  recover(fw: FrameworkIx, agent: AgentIx, res: ResourceVector, reserved?: ResourceVector): void {
    this.framework(fw).level.allocator.recover(fw, agent, res, reserved);
  }

  recoverSum(fw: FrameworkIx, res: ResourceVector, reserved?: ResourceVector): void {
    this.framework(fw).level.allocator.recoverSum(fw, res, reserved);
  }

  /**
   * See Allocator.reserve. Every level keeps every agent's reservations (as addAgent gives them
   * all): the framework's level as held by it, the other levels as reservations someone else holds.
   */
  reserve(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void {
    this.changeReservation(fw, agent, role, res, 1);
  }

  /** See Allocator.unreserve and {@link reserve}. */
  unreserve(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector): void {
    this.changeReservation(fw, agent, role, res, -1);
  }

  private changeReservation(fw: FrameworkIx, agent: AgentIx, role: string, res: ResourceVector, sign: 1 | -1): void {
    const own = this.framework(fw).level;
    for (const level of this.levels) level.allocator.changeReservation(level === own ? fw : undefined, agent, role, res, sign);
  }

  allocate(ctx: AllocationContext, agents: readonly AgentIx[], rng: Rng): void {
    // One full run per level, highest first: a level's run sees only what the levels above left.
    const levels = this.levels;
    for (let k = 0; k < levels.length; k++) {
      const level = levels[k]!;
      if (level.active > 0) level.allocator.allocate(ctx, agents, rng);
    }
  }

  private roleLevel(role: string): Level {
    let l = this.roleLevels.get(role);
    if (l === undefined) {
      let value = DEFAULT_LEVEL;
      for (let p: string | undefined = role; p !== undefined; p = parentRole(p)) {
        const v = this.priorities.get(p);
        if (v !== undefined) {
          value = v;
          break;
        }
      }
      l = this.byLevel.get(value)!;
      this.roleLevels.set(role, l);
    }
    return l;
  }

  private framework(fw: FrameworkIx): FrameworkState {
    const f = this.frameworks[fw];
    if (f === undefined) throw new Error(`allocator: unknown framework ${fw}`);
    return f;
  }
}
