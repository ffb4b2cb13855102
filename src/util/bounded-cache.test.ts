// BoundedCache keeps hot keys, stays bounded and stays fast where FIFO Map eviction does not.
import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('never holds more than two generations', () => {
    const c = new BoundedCache<number, number>(100);
    for (let i = 0; i < 10_000; i++) c.set(i, i);
    expect(c.size).toBeLessThanOrEqual(200);
    expect(c.get(9_999)).toBe(9_999);
    expect(c.get(0)).toBeUndefined();
  });

  it('keeps a key that is used in every generation', () => {
    const c = new BoundedCache<string, number>(10);
    c.set('hot', 1);
    for (let i = 0; i < 1_000; i++) {
      c.set(`k${i}`, i);
      expect(c.get('hot')).toBe(1);
    }
  });

  it('stays bounded over a million distinct keys and keeps the newest (eviction is O(1), see bench)', () => {
    const c = new BoundedCache<string, number>(65_536);
    for (let i = 0; i < 1_000_000; i++) c.set(`k${i}`, i);
    expect(c.size).toBeLessThanOrEqual(2 * 65_536);
    expect(c.get('k999999')).toBe(999_999);
    expect(c.get('k0')).toBeUndefined();
  });
});
