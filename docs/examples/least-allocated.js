/**
 * least-allocated: an offersim allocation policy written from scratch as a user module (plain
 * JavaScript, ESM), the worked example of docs/allocators.md.
 *
 * A ranking-only policy: it says only how much a client holds, as a share, and offersim's
 * hierarchical allocator does the rest (whole agents by default, refuse filters, suppress and
 * revive, the offer granularities), ranking roles, then each role's frameworks, lowest share
 * first. Its share is the sum, over the counted resources (default cpus and mem), of the fraction
 * of the cluster a client holds (offered or in use); offersim divides it by the client's weight
 * and breaks ties by the number of offers received (so that equal clients take turns), then by
 * name. Unlike DRF it adds the fractions up instead of taking the largest.
 *
 * Run it:  npx offersim run docs/examples/custom-allocator.yaml --out runs/custom
 */

/** offersim's resource vectors: 4 entries in this order, in fixed point (thousandths). */
const RESOURCE_INDEX = { cpus: 0, mem: 1, disk: 2, gpus: 3 };
const RESOURCE_NAMES = Object.keys(RESOURCE_INDEX);

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
        if (!RESOURCE_NAMES.includes(name))
          problems.push({ path: ['resources', i], message: `unknown resource "${String(name)}"; one of ${RESOURCE_NAMES.join(', ')}` });
        else if (res.indexOf(name) !== i) problems.push({ path: ['resources', i], message: `"${name}" is listed twice` });
      });
    }
  }
  return problems;
}

/** The entry offersim imports: the default export. `share` instead of `create` makes it ranking-only. */
export default {
  name: 'least-allocated',
  description: 'roles, then frameworks, holding the least first (sum of cluster fractions over cpus and mem, per weight)',
  params: [{ name: 'resources', description: 'resources that count toward a holding (cpus, mem, disk, gpus)', default: '[cpus, mem]' }],
  validate,
  /** The share function for one run: held / cluster total, summed over the counted resources. */
  share(options) {
    const counted = (options.params?.resources ?? ['cpus', 'mem']).map((n) => RESOURCE_INDEX[n]);
    return (allocation, total) => {
      let s = 0;
      for (const r of counted) if (total[r] > 0) s += allocation[r] / total[r];
      return s;
    };
  },
};
