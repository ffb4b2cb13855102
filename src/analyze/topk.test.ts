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

  it('keeps, drops and ranks exactly as a stable sort of all its items would (the reference it replaced)', () => {
    // The reference: a full stable sort by count drops the smaller half; `top` sorts every item by count, then
    // by key text as `localeCompare` orders it.
    class Reference {
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
          const drop = Math.max(1, Math.floor(items.length / 2));
          for (let i = 0; i < drop; i++) {
            if (items[i]!.count > this.floor) this.floor = items[i]!.count;
            this.counts.delete(items[i]!.key);
          }
        }
        this.counts.set(key, { key, count: this.floor + 1, error: this.floor });
      }
      top(n: number) {
        return [...this.counts.values()]
          .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
          .slice(0, n);
      }
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 12 }),
        // Keys that collate differently from their code points (case, accents, digits of several lengths).
        fc.array(
          fc.constantFrom('a', 'B', 'b', 'é', 'e', 'E', '10', '9', '2.0.0.1', '10.0.0.1', 'z', 'Z', 'ä'),
          {
            maxLength: 600,
          },
        ),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 600 }),
        (capacity, n, words, picks) => {
          const t = new TopK<string>(capacity);
          const ref = new Reference(capacity);
          for (let i = 0; i < picks.length; i++) {
            const key = `${words[i % Math.max(1, words.length)] ?? ''}${picks[i]! % 7}`;
            t.add(key);
            ref.add(key);
          }
          expect([...t.items()].map((i) => [i.key, i.count, i.error])).toEqual(
            [...ref.counts.values()].map((i) => [i.key, i.count, i.error]),
          );
          expect(t.top(n).map((i) => [i.key, i.count])).toEqual(ref.top(n).map((i) => [i.key, i.count]));
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });

  it('ranks ties by the text a caller gives for an item', () => {
    const t = new TopK<number>(10);
    for (const k of [3, 1, 2, 2, 1, 3]) t.add(k);
    const names = ['', 'zulu', 'alpha', 'mike'];
    expect(t.top(2, (i) => names[i.key]!).map((i) => i.key)).toEqual([2, 3]);
    expect(t.top(5).map((i) => i.key)).toEqual([1, 2, 3]);
  });
});
