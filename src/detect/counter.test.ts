import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../util/prng.js';
import { Counter, SMALL_COUNTER_KEYS } from './counter.js';

/** The plain Map the counter must behave like: insertion order, and no new key once `cap` are stored. */
function reference<K>(ops: K[], cap: number): { map: Map<K, number>; refused: number } {
  const map = new Map<K, number>();
  let refused = 0;
  for (const k of ops) {
    const n = map.get(k);
    if (n !== undefined) map.set(k, n + 1);
    // A second key is always taken (as before the cap existed); later ones while under the cap.
    else if (map.size < Math.max(cap, 2)) map.set(k, 1);
    else refused++;
  }
  return { map, refused };
}

describe('Counter', () => {
  it('counts like a Map through the inline, array and Map stages, in insertion order', () => {
    const rand = mulberry32(7);
    for (const distinct of [1, 2, SMALL_COUNTER_KEYS, SMALL_COUNTER_KEYS + 1, 50]) {
      const ops = Array.from({ length: 400 }, () => `198.51.100.${Math.floor(rand() * distinct)}`);
      const c = new Counter<string>();
      let refused = 0;
      for (const k of ops) if (!c.add(k, 8192)) refused++;
      const want = reference(ops, 8192);
      expect([...c.entries()]).toEqual([...want.map.entries()]);
      expect([...c.keys()]).toEqual([...want.map.keys()]);
      expect([...c.values()]).toEqual([...want.map.values()]);
      expect(c.size).toBe(want.map.size);
      expect(refused).toBe(0);
      for (const k of want.map.keys()) expect(c.get(k)).toBe(want.map.get(k));
      expect(c.has('203.0.113.1')).toBe(false);
    }
  });

  it('refuses new keys past the cap in every stage and keeps counting the stored ones', () => {
    for (const cap of [3, SMALL_COUNTER_KEYS, 20]) {
      const ops = Array.from({ length: 300 }, (_, i) => (i * 7) % 40);
      const c = new Counter<number>();
      let refused = 0;
      for (const k of ops) if (!c.add(k, cap)) refused++;
      const want = reference(ops, cap);
      expect([...c.entries()]).toEqual([...want.map.entries()]);
      expect(refused).toBe(want.refused);
      expect(refused).toBeGreaterThan(0);
    }
  });
});
