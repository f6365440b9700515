/**
 * least-allocated: an offersim allocation policy written from scratch as a user module (plain
 * JavaScript, ESM), the worked example of docs/allocators.md.
 *
 * In each allocation run it visits the agents in a seeded random order and offers each agent's
 * free resources, whole, to the active framework that holds the least: the sum, over the counted
 * resources (default cpus and mem), of the fraction of the cluster it holds (offered or in use),
 * divided by its role's weight. Ties go to the framework that has received the fewest offers (as
Mesos's DRF sorter does, so that equal frameworks take turns), then to the one registered first.
Unlike DRF it adds the
 * resources up instead of taking the largest, and it has no role hierarchy.
 *
 * Run it:  npx offersim run docs/examples/custom-allocator.yaml --out runs/custom
 */

/** offersim's resource vectors: 4 entries in this order, in fixed point (thousandths). */
const NUM_RESOURCES = 4;
const RESOURCE_INDEX = { cpus: 0, mem: 1, disk: 2, gpus: 3 };
const RESOURCE_NAMES = Object.keys(RESOURCE_INDEX);

/** The allocator: one per run, made by `create` below. */
class LeastAllocated {
  /** @param {number[]} counted indices of the resources that count toward a framework's holding */
  constructor(counted) {
    /** Allocator.name: shown in messages. */
    this.name = 'least-allocated';
    this.counted = counted;
    /** role -> weight; a role never set weighs 1 */
    this.weights = new Map();
    /** framework index -> { index, role, active, offers, held } (undefined once removed) */
    this.frameworks = [];
    /** sum of every agent's total, fixed point */
    this.total = new Float64Array(NUM_RESOURCES);
    /** scratch: the resources of the offer being made (offersim copies them) */
    this.offered = new Float64Array(NUM_RESOURCES);
    /** scratch: the agents of a run, shuffled */
    this.order = [];
  }

  setWeight(role, weight) {
    this.weights.set(role, weight);
  }

  addFramework(fw) {
    this.frameworks[fw.index] = { index: fw.index, role: fw.role, active: true, offers: 0, held: new Float64Array(NUM_RESOURCES) };
  }

  removeFramework(fw) {
    this.frameworks[fw] = undefined;
  }

  activateFramework(fw) {
    this.framework(fw).active = true;
  }

  deactivateFramework(fw) {
    this.framework(fw).active = false;
  }

  addAgent(_agent, total) {
    for (let r = 0; r < NUM_RESOURCES; r++) this.total[r] += total[r];
  }

  removeAgent(_agent, total) {
    for (let r = 0; r < NUM_RESOURCES; r++) this.total[r] -= total[r];
  }

  recover(fw, _agent, res) {
    const held = this.framework(fw).held;
    for (let r = 0; r < NUM_RESOURCES; r++) held[r] -= res[r];
  }

  allocate(ctx, agents, rng) {
    // A seeded Fisher-Yates shuffle with the run's stream: the only randomness a policy may use.
    const order = this.order;
    order.length = 0;
    for (const a of agents) order.push(a);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    const available = ctx.available;
    for (const agent of order) {
      const offset = agent * NUM_RESOURCES;
      if (!ctx.isAllocatable(available, offset)) continue;
      // The least-holding framework that is active and not filtered on this agent. Scanning in
      // registration order and replacing only on a strictly smaller (score, offers received)
      // makes the choice a total order: (score, offers received, registration index). Without
      // the offer count, equal frameworks would never take turns: the first would win every tie.
      let best;
      let bestScore = Infinity;
      for (const f of this.frameworks) {
        if (f === undefined || !f.active) continue;
        if (ctx.isFiltered(f.index, agent, available, offset)) continue;
        const score = this.score(f);
        if (score < bestScore || (score === bestScore && best !== undefined && f.offers < best.offers)) {
          best = f;
          bestScore = score;
        }
      }
      if (best === undefined) continue;
      for (let r = 0; r < NUM_RESOURCES; r++) this.offered[r] = available[offset + r];
      ctx.offer(best.index, agent, this.offered);
      best.offers++;
      // What is offered counts as held at once, so the next agent may go to someone else.
      for (let r = 0; r < NUM_RESOURCES; r++) best.held[r] += this.offered[r];
    }
  }

  /** Sum over the counted resources of held / cluster total, divided by the role's weight. */
  score(f) {
    let s = 0;
    for (const r of this.counted) if (this.total[r] > 0) s += f.held[r] / this.total[r];
    return s / (this.weights.get(f.role) ?? 1);
  }

  framework(fw) {
    const f = this.frameworks[fw];
    if (f === undefined) throw new Error(`least-allocated: unknown framework ${fw}`);
    return f;
  }
}

/** Problems with `params` (offersim reports them at allocator.params.<path> with the line). */
function validate(params) {
  const problems = [];
  for (const key of Object.keys(params).sort()) {
    if (key !== 'resources') problems.push({ path: [key], message: `unknown parameter "${key}" of allocator least-allocated` });
  }
  const res = params.resources;
  if (res !== undefined) {
    if (!Array.isArray(res) || res.length === 0) {
      problems.push({ path: ['resources'], message: `a non-empty list of resource names (${RESOURCE_NAMES.join(', ')})` });
    } else {
      res.forEach((name, i) => {
        if (!RESOURCE_NAMES.includes(name)) problems.push({ path: ['resources', i], message: `unknown resource "${String(name)}"; one of ${RESOURCE_NAMES.join(', ')}` });
        else if (res.indexOf(name) !== i) problems.push({ path: ['resources', i], message: `"${name}" is listed twice` });
      });
    }
  }
  return problems;
}

/** The entry offersim imports: the default export. */
export default {
  name: 'least-allocated',
  description: 'whole agents to the framework holding the least (sum of cluster fractions over cpus and mem, per role weight)',
  params: [
    { name: 'resources', description: 'resources that count toward a holding (cpus, mem, disk, gpus)', default: '[cpus, mem]' },
  ],
  validate,
  create(options) {
    const granularity = options.granularity ?? 'agent';
    if (granularity !== 'agent') {
      throw new Error(`least-allocated offers whole agents only; master.offerGranularity ${granularity} is not supported`);
    }
    const names = options.params?.resources ?? ['cpus', 'mem'];
    const excluded = new Set(options.excludedResources ?? []);
    return new LeastAllocated(names.filter((n) => !excluded.has(n)).map((n) => RESOURCE_INDEX[n]));
  },
};
