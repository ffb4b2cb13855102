// The bounded top-K table: eviction drops exactly what a stable sort by count would, so counts, errors and
// the top list stay what they were with the sort.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from './topk.js';

/** The table as it was built first: evict by sorting the items (stable) and dropping the first half. */
class SortedTopK {
  readonly counts = new Map<string, { key: string; count: number; error: number }>();
  floor = 0;
  constructor(readonly capacity: number) {}
  add(key: string): void {
    const item = this.counts.get(key);
    if (item) {
      item.count++;
      return;
    }
    if (this.counts.size >= this.capacity) {
      const items = [...this.counts.values()].sort((a, b) => a.count - b.count);
      const drop = Math.floor(items.length / 2);
      for (let i = 0; i < drop; i++) {
        if (items[i]!.count > this.floor) this.floor = items[i]!.count;
        this.counts.delete(items[i]!.key);
      }
    }
    this.counts.set(key, { key, count: this.floor + 1, error: this.floor });
  }
}

describe('TopK', () => {
  it('evicts the same items as a stable sort by count, on skewed random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 400 })), {
          maxLength: 3000,
        }),
        (capacity, stream) => {
          const t = new TopK<string>(capacity);
          const ref = new SortedTopK(capacity);
          for (const n of stream) {
            t.add(`k${n}`);
            ref.add(`k${n}`);
          }
          const got = [...t.items()].map((i) => [i.key, i.count, i.error]);
          const want = [...ref.counts.values()].map((i) => [i.key, i.count, i.error]);
          expect(got).toEqual(want);
          expect(t.exact).toBe(ref.floor === 0);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps a heavy hitter through evictions and never understates it', () => {
    const t = new TopK<string>(64);
    for (let i = 0; i < 20_000; i++) {
      t.add('heavy');
      t.add(`one-shot-${i}`);
    }
    const [top] = t.top(1);
    expect(top!.key).toBe('heavy');
    expect(top!.count).toBeGreaterThanOrEqual(20_000);
    expect(t.size).toBeLessThanOrEqual(64);
    expect(t.exact).toBe(false);
  });
});
