// The event loop's stalls as `watch --status` shows them: the longest since start, in the last minute, and how many.
import { describe, expect, it } from 'vitest';
import { LoopStalls } from './loop-stalls.js';

describe('LoopStalls', () => {
  it('counts how much later than due each tick came: the longest since start, in the last minute, and those of 0.5 s', () => {
    let now = 0;
    const stalls = new LoopStalls(50, () => now);
    const ticks = (n: number, late = 0) => {
      for (let i = 0; i < n; i++) {
        now += 50 + late;
        stalls.tick();
      }
    };
    ticks(20);
    expect(stalls.status()).toEqual({ longestStallMs: 0, longestStallLastMinuteMs: 0, stallsOver500ms: 0 });
    ticks(1, 700);
    ticks(1, 300);
    ticks(20);
    expect(stalls.status()).toEqual({
      longestStallMs: 700,
      longestStallLastMinuteMs: 700,
      stallsOver500ms: 1,
    });
    // A minute and more later: the recent figure forgets it, the one since start does not.
    ticks(1_400);
    expect(stalls.status()).toEqual({ longestStallMs: 700, longestStallLastMinuteMs: 0, stallsOver500ms: 1 });
    ticks(1, 120);
    expect(stalls.status().longestStallLastMinuteMs).toBe(120);
  });

  it('sees this thread held by synchronous work', async () => {
    const stalls = new LoopStalls();
    stalls.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    const until = performance.now() + 300;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 120));
    stalls.stop();
    expect(stalls.status().longestStallMs).toBeGreaterThanOrEqual(240);
  });
});
