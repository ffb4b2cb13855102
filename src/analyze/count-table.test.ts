// CountTable, the bounded top-K table (a batched Space-Saving): counts never understate, the error bound
// holds, it is exact while the keys fit, a full table drops its smaller half (equal counts oldest first),
// and on random streams of integer and text keys it keeps, ranks and merges exactly as the plain model
// below: a Map of items, dropping the first half of a stable sort by count (the table the summary used
// before, kept here as the reference).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CountItem, CountTable } from './count-table.js';

/** The reference: a Map of items in arrival order; a full table drops the first half of a stable sort by count. */
class Reference {
  readonly items = new Map<number | string, CountItem<string>>();
  floor = 0;
  total = 0;
  constructor(readonly capacity: number) {}

  add(key: number | string): CountItem<string> {
    this.total++;
    const hit = this.items.get(key);
    if (hit) {
      hit.count++;
      return hit;
    }
    if (this.items.size >= this.capacity) this.evictHalf();
    const item = { key, count: this.floor + 1, error: this.floor, data: undefined };
    this.items.set(key, item);
    return item;
  }

  absorb(
    other: Reference,
    merge: (a: string | undefined, b: string | undefined) => string | undefined,
  ): void {
    this.total += other.total;
    if (other.floor > this.floor) this.floor = other.floor;
    for (const item of other.items.values()) {
      const mine = this.items.get(item.key);
      if (mine) {
        mine.count += item.count;
        mine.error += item.error;
        mine.data = merge(mine.data, item.data);
        continue;
      }
      if (this.items.size >= this.capacity) this.evictHalf();
      this.items.set(item.key, { ...item });
    }
  }

  top(n: number, text: (i: CountItem<string>) => string = (i) => String(i.key)): CountItem<string>[] {
    return [...this.items.values()]
      .sort((a, b) => b.count - a.count || text(a).localeCompare(text(b)))
      .slice(0, n);
  }

  private evictHalf(): void {
    const sorted = [...this.items.values()].sort((a, b) => a.count - b.count);
    const drop = Math.max(1, Math.floor(sorted.length / 2));
    for (let i = 0; i < drop; i++) {
      if (sorted[i]!.count > this.floor) this.floor = sorted[i]!.count;
      this.items.delete(sorted[i]!.key);
    }
  }
}

/** A key of the stream: a signed 32-bit integer (spread over the whole range) or a text that collates unusually. */
const keyArb = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((n) => (n * 0x9e3779b1) | 0),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('2001:db8::1', '2001:db8::a', 'B', 'b', 'é', 'e', 'E', '10', '9', '10.0.0.1', 'ä'),
);

function add(t: CountTable<string>, k: number | string): number {
  return typeof k === 'number' ? t.addInt(k) : t.addText(k);
}

function feed(t: CountTable<string>, ref: Reference, keys: (number | string)[]): void {
  for (const k of keys) {
    const slot = add(t, k);
    const item = ref.add(k);
    // The per-key state rides along with the key: set on first sight, kept until the key is dropped.
    t.data[slot] ??= `state of ${k}`;
    item.data ??= `state of ${k}`;
  }
}

function view(items: Iterable<CountItem<string>>) {
  return [...items].map((i) => [i.key, i.count, i.error, i.data]);
}

describe('CountTable', () => {
  it('keeps every count between its true count and the true count plus its error, on skewed random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 400 })), {
          maxLength: 3000,
        }),
        (capacity, stream) => {
          const t = new CountTable(capacity);
          const truth = new Map<string, number>();
          for (const n of stream) {
            t.addText(`k${n}`);
            truth.set(`k${n}`, (truth.get(`k${n}`) ?? 0) + 1);
          }
          expect(t.size).toBeLessThanOrEqual(capacity);
          expect(t.total).toBe(stream.length);
          for (const item of t.items()) {
            const real = truth.get(String(item.key))!;
            expect(item.count).toBeGreaterThanOrEqual(real);
            expect(item.count - item.error).toBeLessThanOrEqual(real);
          }
          // Exact (no eviction, no error) exactly while the distinct keys fit in the table.
          expect(t.exact).toBe(truth.size <= capacity);
          if (t.exact) expect(new Map(t.items().map((i) => [i.key, i.count]))).toEqual(truth);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('drops the smaller half when full, equal counts in the order they came, and starts a new key at the floor', () => {
    const t = new CountTable(4);
    for (const k of ['a', 'b', 'b', 'c', 'd']) t.addText(k);
    t.addText('e'); // full: a, c, d have 1 (b has 2); the two oldest of the lowest go: a and c
    expect(t.items().map((i) => [i.key, i.count, i.error])).toEqual([
      ['b', 2, 0],
      ['d', 1, 0],
      ['e', 2, 1],
    ]);
    expect(t.exact).toBe(false);
  });

  it('keeps a heavy hitter through evictions and never understates it', () => {
    const t = new CountTable(64);
    for (let i = 0; i < 20_000; i++) {
      t.addInt(7);
      t.addInt(1000 + i);
    }
    const [top] = t.top(1);
    expect(top!.key).toBe(7);
    expect(top!.count).toBeGreaterThanOrEqual(20_000);
    expect(t.size).toBeLessThanOrEqual(64);
    expect(t.exact).toBe(false);
  });

  it('keeps, drops, counts and ranks exactly as the reference on random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(keyArb, { maxLength: 800 }),
        (capacity, n, keys) => {
          const t = new CountTable<string>(capacity);
          const ref = new Reference(capacity);
          feed(t, ref, keys);
          expect(view(t.items())).toEqual(view(ref.items.values()));
          expect(t.total).toBe(ref.total);
          expect(t.exact).toBe(ref.floor === 0);
          const text = (i: { key: number | string }) =>
            typeof i.key === 'number' ? String(i.key >>> 0) : i.key;
          expect(view(t.top(n, text))).toEqual(view(ref.top(n, text)));
          expect(view(t.top(n))).toEqual(view(ref.top(n)));
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });

  it('merges another table as the reference does: same keys summed, new ones in their order, full tables halved', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(keyArb, { maxLength: 300 }),
        fc.array(keyArb, { maxLength: 300 }),
        (capacity, a, b) => {
          const [t1, t2] = [new CountTable<string>(capacity), new CountTable<string>(capacity)];
          const [r1, r2] = [new Reference(capacity), new Reference(capacity)];
          feed(t1, r1, a);
          feed(t2, r2, b);
          const merge = (x: string | undefined, y: string | undefined) => (x && y ? `${x}+${y}` : (x ?? y));
          t1.absorb(t2, merge);
          r1.absorb(r2, merge);
          expect(view(t1.items())).toEqual(view(r1.items.values()));
          expect(t1.exact).toBe(r1.floor === 0);
          expect(view(t1.top(5))).toEqual(view(r1.top(5)));
          // And it keeps counting afterwards as the reference does.
          feed(t1, r1, a.slice(0, 50));
          expect(view(t1.items())).toEqual(view(r1.items.values()));
        },
      ),
      { seed: 12, numRuns: 300 },
    );
  });

  it('ranks ties by the text a caller gives for an item', () => {
    const t = new CountTable(10);
    for (const k of [3, 1, 2, 2, 1, 3]) t.addInt(k);
    const names = ['', 'zulu', 'alpha', 'mike'];
    expect(t.top(2, (i) => names[Number(i.key)]!).map((i) => i.key)).toEqual([2, 3]);
    expect(t.top(5).map((i) => i.key)).toEqual([1, 2, 3]);
  });

  it('survives a structured clone (a worker thread posting it) and keeps working', () => {
    const t = new CountTable<string>(4);
    for (const k of [1, 2, 2, -7, 1 << 30]) t.addInt(k);
    // Full: 1 and -7 (one hit each, the oldest of the lowest) make room; the new key starts at the floor, 1.
    t.addText('2001:db8::1');
    const copy = CountTable.revive(structuredClone(t));
    copy.addInt(2);
    copy.addInt(-7);
    expect(copy.top(3).map((i) => [i.key, i.count, i.error])).toEqual([
      [2, 3, 0],
      [-7, 2, 1], // ties by collated text: '-7' before '2001:db8::1'
      ['2001:db8::1', 2, 1],
    ]);
  });
});
