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

  it('replaces a value in place in either generation, without promoting it or changing what is evicted next', () => {
    const c = new BoundedCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // a and b are now the old generation
    expect(c.replace('a', 9, 10)).toBe(false); // not the value held: left alone
    expect(c.replace('a', 1, 10)).toBe(true);
    expect(c.replace('c', 3, 30)).toBe(true);
    expect([...c.values()].sort((x, y) => x - y)).toEqual([2, 10, 30]);
    c.set('d', 4);
    c.set('e', 5); // young (c, d) full: it becomes old and a, b are dropped, as without the replacements
    expect(c.get('a')).toBeUndefined();
    expect(c.get('c')).toBe(30);
  });
});
