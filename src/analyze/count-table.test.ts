// CountTable against TopK, the Map-based table it stands in for: on random streams of integer and text keys
// (small capacities, so tables fill and drop halves many times) both keep the same keys in the same order
// with the same counts and errors, rank the same top items, and merge the same way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountTable } from './count-table.js';
import { TopK } from './topk.js';

/** A key of the stream: a signed 32-bit integer (spread over the whole range) or a text. */
const keyArb = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((n) => (n * 0x9e3779b1) | 0),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('2001:db8::1', '2001:db8::a', 'B', 'b', 'é', '10', '9'),
);

function feed(t: CountTable<string>, ref: TopK<number | string, string>, keys: (number | string)[]): void {
  for (const k of keys) {
    const slot = typeof k === 'number' ? t.addInt(k) : t.addText(k);
    const item = ref.add(k);
    // The per-key state rides along with the key: set on first sight, kept until the key is dropped.
    t.data[slot] ??= `state of ${k}`;
    item.data ??= `state of ${k}`;
  }
}

function view(items: { key: number | string; count: number; error: number; data: unknown }[]) {
  return items.map((i) => [i.key, i.count, i.error, i.data]);
}

describe('CountTable', () => {
  it('keeps, drops, counts and ranks exactly as TopK on random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(keyArb, { maxLength: 800 }),
        (capacity, n, keys) => {
          const t = new CountTable<string>(capacity);
          const ref = new TopK<number | string, string>(capacity);
          feed(t, ref, keys);
          expect(view(t.items())).toEqual(view([...ref.items()]));
          expect(t.size).toBe(ref.size);
          expect(t.total).toBe(ref.total);
          expect(t.exact).toBe(ref.exact);
          const text = (i: { key: number | string }) =>
            typeof i.key === 'number' ? String(i.key >>> 0) : i.key;
          expect(view(t.top(n, text))).toEqual(view(ref.top(n, text)));
          expect(view(t.top(n))).toEqual(view(ref.top(n)));
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });

  it('merges another table as TopK does: same keys summed, new ones in their order, full tables halved', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(keyArb, { maxLength: 300 }),
        fc.array(keyArb, { maxLength: 300 }),
        (capacity, a, b) => {
          const [t1, t2] = [new CountTable<string>(capacity), new CountTable<string>(capacity)];
          const [r1, r2] = [
            new TopK<number | string, string>(capacity),
            new TopK<number | string, string>(capacity),
          ];
          feed(t1, r1, a);
          feed(t2, r2, b);
          const merge = (x: string | undefined, y: string | undefined) => (x && y ? `${x}+${y}` : (x ?? y));
          t1.absorb(t2, merge);
          r1.absorb(r2, merge);
          expect(view(t1.items())).toEqual(view([...r1.items()]));
          expect(t1.exact).toBe(r1.exact);
          expect(view(t1.top(5))).toEqual(view(r1.top(5)));
          // And it keeps counting afterwards as the reference does.
          feed(t1, r1, a.slice(0, 50));
          expect(view(t1.items())).toEqual(view([...r1.items()]));
        },
      ),
      { seed: 12, numRuns: 300 },
    );
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
