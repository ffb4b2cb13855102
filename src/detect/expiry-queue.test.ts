// The expiry queue against a plain array on random runs of pushes and shifts (the ring wraps and grows).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from './expiry-queue.js';

describe('ExpiryQueue', () => {
  it('gives back tokens in push order with their times, through wraps and growth', () => {
    const q = new ExpiryQueue();
    expect(q.shift()).toBeUndefined();
    expect(q.peekTime()).toBeUndefined();
    for (let i = 0; i < 40; i++) q.push(`k${i}`, 1_700_000_000_000 + i);
    expect(q.length).toBe(40);
    expect(q.peekTime()).toBe(1_700_000_000_000);
    for (let i = 0; i < 40; i++) expect(q.shift()).toBe(`k${i}`);
    expect(q.length).toBe(0);
  });

  it('agrees with an array model on 2,000 random runs (fixed seed)', () => {
    const op = fc.oneof(
      fc.record({ push: fc.string({ maxLength: 3 }), time: fc.double({ noNaN: true }) }),
      fc.constant({ shift: true as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new ExpiryQueue();
        const model: [string, number][] = [];
        for (const o of ops) {
          if ('push' in o) {
            q.push(o.push, o.time);
            model.push([o.push, o.time]);
          } else expect(q.shift()).toBe(model.shift()?.[0]);
          expect(q.length).toBe(model.length);
          expect(q.peekTime()).toBe(model[0]?.[1]);
          for (const [now, window] of [
            [0, 0],
            [1e6, 10],
            [-1e6, 1e6],
          ] as const)
            expect(q.headExpired(now, window)).toBe(model.length > 0 && now - model[0]![1] > window);
        }
      }),
      { seed: 20261205, numRuns: 2_000 },
    );
  });
});
