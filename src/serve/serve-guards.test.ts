// The console's answers stay bounded whatever range a request names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleStore } from '../../test/support/serve-store.js';
import { TIMELINE_BUCKETS } from './app.js';
import { timelineWidth } from './duckdb-queries.js';
import type { Timeline } from './queries.js';
import { type RunningConsole, startConsole } from './server.js';

let app: RunningConsole;

beforeAll(async () => {
  app = await startConsole({ storePath: await consoleStore(), host: '127.0.0.1', port: 0, lang: 'en' });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const timeline = async (query: string) => {
  const r = await fetch(new URL(`/api/timeline${query}`, app.url));
  expect(r.status).toBe(200);
  return (await r.json()) as Timeline;
};
const total = (t: Timeline) => Object.values(t.series).reduce((n, s) => n + s.reduce((a, b) => a + b, 0), 0);

describe('the timeline of any range', () => {
  it(`has at most ${TIMELINE_BUCKETS} bars, and the same events, from 1970 to now or across millennia`, async () => {
    const all = await timeline('');
    for (const query of [
      `?from=0&to=${Date.now()}`,
      '?from=-999999999999999&to=999999999999999',
      `?from=0&to=${Date.now() + 86_400_000 * 365 * 300}`,
    ]) {
      const t = await timeline(query);
      for (const s of Object.values(t.series)) expect(s.length, query).toBeLessThanOrEqual(TIMELINE_BUCKETS);
      expect(total(t), query).toBe(total(all));
      expect(JSON.stringify(t).length, query).toBeLessThan(50_000);
    }
  });

  it('picks the narrowest width that fits, counting from the start floored to it', () => {
    expect(timelineWidth(0, 3_600_000, 240)).toBe(60_000);
    // 240 minutes from a start in the middle of a minute need 241 one-minute buckets.
    expect(timelineWidth(30_000, 30_000 + 240 * 60_000, 240)).toBe(300_000);
    for (const [lo, hi] of [
      [0, 1.7e12],
      [-1e15, 1e15],
      [123_456_789, 9.99e14],
    ] as const) {
      const w = timelineWidth(lo, hi, 240);
      expect(Math.ceil((hi - Math.floor(lo / w) * w) / w)).toBeLessThanOrEqual(240);
    }
  });
});
