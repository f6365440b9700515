/**
 * Exit code 3: a broken invariant inside the simulation is reported as a bug, naming the
 * simulated time and event, and no run directory is left behind.
 */
import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { InvariantError } from '../sim/kernel/errors.js';

jest.unstable_mockModule('../sim/model/simulation.js', () => ({
  simulate: () => {
    throw new InvariantError('agent a-01 has more free than total', 12_500_000, 'task-finish(3)@release');
  },
}));
const { main } = await import('./main.js');
const { existsSync, mkdtempSync, readdirSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');

test('an InvariantError exits 3 with the time and event, and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'offersim-internal-'));
  const out = join(dir, 'run');
  let err = '';
  const code = await main(['run', fileURLToPath(new URL('./golden/small.yaml', import.meta.url)), '--out', out], {
    out: () => {},
    err: (t) => {
      err += t;
    },
  });
  expect(code).toBe(3);
  expect(err).toBe(
    'offersim: internal error (a bug): invariant broken at t=12500000 us in event task-finish(3)@release: agent a-01 has more free than total\n',
  );
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir)).toEqual([]);
});
