// Distinct counting: exact while small, within HyperLogLog's error bound when large.
import { describe, expect, it } from 'vitest';
import { hash32 } from '../util/hash.js';
import { DistinctCounter, HyperLogLog } from './distinct.js';

describe('DistinctCounter', () => {
  it('is exact below its limit, duplicates ignored', () => {
    const d = new DistinctCounter(100);
    for (let i = 0; i < 1000; i++) d.add(`10.0.0.${i % 50}`);
    expect(d.size).toBe(50);
    expect(d.exact).toBe(true);
  });

  it('estimates a million distinct addresses within 3 % using 16 KiB', () => {
    const d = new DistinctCounter(10_000, 14);
    for (let i = 0; i < 1_000_000; i++)
      d.add(`${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}.${(i * 7) & 255}`);
    expect(d.exact).toBe(false);
    expect(Math.abs(d.size - 1_000_000) / 1_000_000).toBeLessThan(0.03);
  });

  it('HyperLogLog handles small counts through linear counting', () => {
    const h = new HyperLogLog(12);
    for (let i = 0; i < 300; i++) h.addHash(hash32(`k${i}`));
    expect(Math.abs(h.estimate() - 300)).toBeLessThan(15);
  });
});

describe('DistinctCounter as plain JSON', () => {
  it('comes back with the same count, exact or sketched, and merges as the counter did', () => {
    const small = new DistinctCounter(100);
    const big = new DistinctCounter(100);
    for (let i = 0; i < 50; i++) small.add(i);
    for (let i = 0; i < 5000; i++) big.add(i);
    const smallBack = DistinctCounter.fromPlain(JSON.parse(JSON.stringify(small.toPlain())), 100);
    const bigBack = DistinctCounter.fromPlain(JSON.parse(JSON.stringify(big.toPlain())), 100);
    expect(smallBack.exact).toBe(true);
    expect(smallBack.size).toBe(50);
    expect(bigBack.exact).toBe(false);
    expect(bigBack.size).toBe(big.size);
    bigBack.absorb(smallBack);
    expect(bigBack.size).toBe(big.size);
  });
});
