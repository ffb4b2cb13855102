// The Bloom filter of the store's texts: never a false "absent", few false "present", sized by the table.
import { describe, expect, it } from 'vitest';
import {
  FILTER_BITS_PER_TEXT,
  FILTER_MAX_BITS,
  FILTER_MIN_BITS,
  filterBitsFor,
  TextFilter,
} from './text-filter.js';

/** IPv6 source texts as a watcher meets them: 2001:db8:: addresses differing in their last groups. */
const v6 = (i: number) => `2001:db8:${((i >>> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}::1`;

describe('the string filter', () => {
  it('says "maybe" for every text it holds and "no" for nearly every other one', () => {
    const n = 200_000;
    const f = new TextFilter(filterBitsFor(n));
    for (let i = 0; i < n; i++) f.add(v6(i));
    for (let i = 0; i < n; i++) if (!f.mayHave(v6(i))) throw new Error(`lost ${v6(i)}`);
    let present = 0;
    for (let i = n; i < 2 * n; i++) if (f.mayHave(v6(i))) present++;
    // 20 bits per text and 14 probes: ~7 in 100,000 in theory; more than 1 in 10,000 means the hashes are poor.
    expect(present / n).toBeLessThan(1e-4);
    expect(f.count).toBe(n);
  });

  it('tells apart texts that differ in one character anywhere, and the empty text', () => {
    const f = new TextFilter(FILTER_MIN_BITS);
    const base = 'fe80::1%eth0 prefix [UFW BLOCK] 52:54:00:f3:0b:10';
    f.add(base);
    f.add('');
    expect(f.mayHave('')).toBe(true);
    let present = 0;
    for (let i = 0; i < base.length; i++)
      for (const c of ['0', 'x', ' ', '\u00e9'])
        if (base[i] !== c && f.mayHave(base.slice(0, i) + c + base.slice(i + 1))) present++;
    expect(present).toBe(0);
  });

  it('is sized in powers of two for its texts, within its bounds', () => {
    expect(filterBitsFor(0)).toBe(FILTER_MIN_BITS);
    expect(filterBitsFor(1_000_000)).toBe(2 ** 25);
    expect(filterBitsFor(1_000_000)).toBeGreaterThanOrEqual(1_000_000 * FILTER_BITS_PER_TEXT);
    expect(filterBitsFor(1e12)).toBe(FILTER_MAX_BITS);
    expect(new TextFilter(filterBitsFor(1_000_000)).bytes).toBe(4 * 1024 * 1024);
    expect(() => new TextFilter(1000)).toThrow(/power of two/);
  });
});
