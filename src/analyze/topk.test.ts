// The bounded top-K table (a batched Space-Saving): counts never understate, the error bound holds, it is
// exact while the keys fit, and a full table drops its smaller half, equal counts oldest first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from './topk.js';

describe('TopK', () => {
  it('keeps every count between its true count and the true count plus its error, on skewed random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 400 })), {
          maxLength: 3000,
        }),
        (capacity, stream) => {
          const t = new TopK<string>(capacity);
          const truth = new Map<string, number>();
          for (const n of stream) {
            t.add(`k${n}`);
            truth.set(`k${n}`, (truth.get(`k${n}`) ?? 0) + 1);
          }
          expect(t.size).toBeLessThanOrEqual(capacity);
          expect(t.total).toBe(stream.length);
          for (const item of t.items()) {
            const real = truth.get(item.key)!;
            expect(item.count).toBeGreaterThanOrEqual(real);
            expect(item.count - item.error).toBeLessThanOrEqual(real);
          }
          // Exact (no eviction, no error) exactly while the distinct keys fit in the table.
          expect(t.exact).toBe(truth.size <= capacity);
          if (t.exact) expect(new Map([...t.items()].map((i) => [i.key, i.count]))).toEqual(truth);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('drops the smaller half when full, equal counts in the order they came, and starts a new key at the floor', () => {
    const t = new TopK<string>(4);
    for (const k of ['a', 'b', 'b', 'c', 'd']) t.add(k);
    t.add('e'); // full: a, c, d have 1 (b has 2); the two oldest of the lowest go: a and c
    expect([...t.items()].map((i) => [i.key, i.count, i.error])).toEqual([
      ['b', 2, 0],
      ['d', 1, 0],
      ['e', 2, 1],
    ]);
    expect(t.exact).toBe(false);
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
