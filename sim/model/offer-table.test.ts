/**
 * OfferTable: offers are found by id until removed; a slot, its vector and its view are reused by
 * a later offer; growth keeps every outstanding offer.
 */
import { describe, expect, test } from '@jest/globals';
import { OfferTable } from './offer-table.js';
import { resources } from './resources.js';

describe('OfferTable', () => {
  test('stores an offer by id with a copy of its resources', () => {
    const t = new OfferTable();
    const res = resources({ cpus: 2, mem: 512 });
    const s = t.add(41, 3, 7, res, 0, 1_000);
    res[0] = 0; // the table copied it
    expect(t.size).toBe(1);
    expect(t.slotOf(41)).toBe(s);
    expect(t.slotOf(40)).toBe(-1);
    expect([t.fw[s], t.agent[s], t.sentAt[s], t.timeout[s]]).toEqual([3, 7, 1_000, -1]);
    expect([...t.res[s]!]).toEqual([2000, 512000, 0, 0]);
    const view = t.view(s);
    expect(view.id).toBe(41);
    expect(view.agent).toBe(7);
    expect(view.res).toBe(t.res[s]);
  });

  test('reads the offered set at an offset of a packed array', () => {
    const t = new OfferTable();
    const packed = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const s = t.add(0, 0, 1, packed, 4, 0);
    expect([...t.res[s]!]).toEqual([5, 6, 7, 8]);
  });

  test('a removed offer is gone; its slot, vector and view serve the next offer', () => {
    const t = new OfferTable();
    const s = t.add(1, 0, 0, resources({ cpus: 1 }), 0, 0);
    const view = t.view(s);
    t.remove(s);
    expect(t.size).toBe(0);
    expect(t.slotOf(1)).toBe(-1);
    const s2 = t.add(2, 1, 5, resources({ cpus: 3 }), 0, 10);
    expect(s2).toBe(s);
    expect(t.view(s2)).toBe(view);
    expect(view.id).toBe(2);
    expect(view.agent).toBe(5);
    expect(view.res[0]).toBe(3000);
  });

  test('grows past its first slots and keeps every outstanding offer', () => {
    const t = new OfferTable();
    for (let id = 0; id < 1000; id++) t.add(id, id % 4, id, resources({ cpus: id }), 0, id);
    for (let id = 0; id < 1000; id += 2) t.remove(t.slotOf(id));
    expect(t.size).toBe(500);
    for (let id = 1; id < 1000; id += 2) {
      const s = t.slotOf(id);
      expect(s).toBeGreaterThanOrEqual(0);
      expect([t.fw[s], t.agent[s], t.sentAt[s], t.res[s]![0], t.view(s).id]).toEqual([id % 4, id, id, id * 1000, id]);
    }
  });

  test('new offers take free slots in order, skipping offers still held (next fit), and keep half the slots free', () => {
    const t = new OfferTable();
    let id = 0;
    const held = t.add(id++, 0, 0, resources({ cpus: 1 }), 0, 0);
    for (let round = 0; round < 50; round++) {
      const slots: number[] = [];
      for (let i = 0; i < 40; i++) slots.push(t.add(id++, i % 4, i, resources({ cpus: 1 }), 0, round));
      // within a round, slots increase with the offer id (wrapping at most once) and never hit the held one
      let wraps = 0;
      for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[i - 1]!) wraps++;
      expect(wraps).toBeLessThanOrEqual(1);
      expect(slots).not.toContain(held);
      expect(new Set(slots).size).toBe(slots.length);
      for (const s of slots) t.remove(s);
      expect(t.size).toBe(1);
      expect(t.slotOf(0)).toBe(held);
    }
    t.remove(held);
    expect(t.size).toBe(0);
    // empty again: slots start over from 0
    expect(t.add(id, 0, 0, resources({ cpus: 1 }), 0, 0)).toBe(0);
  });
});
