/**
 * FifoSorter tests: first added, first served, whatever the shares, weights and names; a client
 * keeps its place through deactivation; broken invariants throw.
 */
import { resources } from '../../sim/model/resources.js';
import { createSorter } from './registry.js';
import { FifoSorter } from './fifo-sorter.js';

const r = (cpus: number, mem: number) => resources({ cpus, mem });

function addActive(s: FifoSorter, client: string): void {
  s.add(client);
  s.activate(client);
}

describe('FifoSorter', () => {
  test('orders by when clients were added, not by name, share or weight', () => {
    const s = new FifoSorter();
    s.addTotal(r(10, 100));
    for (const c of ['zeta', 'alpha', 'eng/batch', 'mid']) addActive(s, c);
    s.allocated('zeta', r(9, 90));
    s.updateWeight('alpha', 100);
    expect(s.sort()).toEqual(['zeta', 'alpha', 'eng/batch', 'mid']);
  });

  test('added clients are inactive until activated; deactivation keeps the place', () => {
    const s = new FifoSorter();
    s.add('a');
    s.add('b');
    expect(s.sort()).toEqual([]);
    s.activate('b');
    s.activate('a');
    expect(s.sort()).toEqual(['a', 'b']);
    s.deactivate('a');
    expect(s.sort()).toEqual(['b']);
    s.activate('a');
    expect(s.sort()).toEqual(['a', 'b']);
  });

  test('removed and added again: to the back of the queue', () => {
    const s = new FifoSorter();
    for (const c of ['a', 'b', 'c']) addActive(s, c);
    s.remove('a');
    expect(s.contains('a')).toBe(false);
    addActive(s, 'a');
    expect(s.sort()).toEqual(['b', 'c', 'a']);
    expect(s.count()).toBe(3);
  });

  test('sort returns the same array until the order changes; allocations never change it', () => {
    const s = new FifoSorter();
    addActive(s, 'a');
    addActive(s, 'b');
    const first = s.sort();
    s.allocated('a', r(1, 1));
    s.unallocated('a', r(1, 1));
    expect(s.sort()).toBe(first);
    s.deactivate('b');
    const second = s.sort();
    expect(second).not.toBe(first);
    expect(first).toEqual(['a', 'b']); // an earlier order stays valid
  });

  test('tracks allocations; broken invariants throw', () => {
    const s = new FifoSorter();
    s.addTotal(r(4, 4));
    addActive(s, 'a');
    s.allocated('a', r(2, 1));
    expect(Array.from(s.allocation('a'))).toEqual(Array.from(r(2, 1)));
    expect(() => s.unallocated('a', r(3, 0))).toThrow(/more than it holds/);
    expect(() => s.add('a')).toThrow(/already/);
    expect(() => s.activate('nope')).toThrow(/unknown/);
    expect(() => s.add('')).toThrow(/invalid/);
    expect(() => s.removeTotal(r(5, 0))).toThrow(/negative/);
    expect(() => s.updateWeight('a', 0)).toThrow(/> 0/);
  });

  test('createSorter builds it by kind', () => {
    expect(createSorter('fifo')).toBeInstanceOf(FifoSorter);
  });
});
