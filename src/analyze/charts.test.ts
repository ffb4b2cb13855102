// Tests of the chart counters: bounded adaptive timeline, source x port pairs, source networks.
import { describe, expect, it } from 'vitest';
import {
  BUCKET_WIDTHS_MS,
  MAX_TIME_BUCKETS,
  NetworkCounter,
  sourceNetworks,
  TimelineCounter,
} from './charts.js';

const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('TimelineCounter', () => {
  it('keeps 1-second buckets for a short burst, counting each action apart', () => {
    const tl = new TimelineCounter();
    for (let i = 0; i < 30; i++) tl.add(T0 + i * 1000, i % 3 === 0 ? 'allow' : 'deny');
    const r = tl.result();
    expect(r.bucketMs).toBe(1000);
    expect(r.start).toBe(T0);
    expect(r.series.deny).toHaveLength(30);
    expect(sum(r.series.deny!)).toBe(20);
    expect(sum(r.series.allow!)).toBe(10);
  });

  it('stays under MAX_TIME_BUCKETS over a year, out of order, and loses no event', () => {
    const tl = new TimelineCounter();
    const year = 365 * 86_400_000;
    let n = 0;
    // Interleave early and late times so coarsening happens with buckets on both sides.
    for (let i = 0; i < 20_000; i++) {
      const t = T0 + ((i * 7919) % 20_000) * (year / 20_000);
      tl.add(t, 'deny');
      n++;
    }
    const r = tl.result();
    expect(r.series.deny!.length).toBeLessThanOrEqual(MAX_TIME_BUCKETS);
    expect(sum(r.series.deny!)).toBe(n);
    expect(BUCKET_WIDTHS_MS).toContain(r.bucketMs);
    expect(r.start! % r.bucketMs).toBe(0);
  });

  it('widths merge exactly: each is a whole multiple of the one before', () => {
    for (let i = 1; i < BUCKET_WIDTHS_MS.length; i++)
      expect(BUCKET_WIDTHS_MS[i]! % BUCKET_WIDTHS_MS[i - 1]!).toBe(0);
  });

  it('says nothing when no event had a time', () => {
    expect(new TimelineCounter().result()).toEqual({ bucketMs: 1000, series: {} });
  });
});

describe('source networks', () => {
  it('derives /24 and /16 for IPv4 and compressed /48 and /32 for IPv6', () => {
    expect(sourceNetworks('203.0.113.77')).toEqual(['203.0.113.0/24', '203.0.0.0/16']);
    expect(sourceNetworks('2001:db8:3c6a:1::5')).toEqual(['2001:db8:3c6a::/48', '2001:db8::/32']);
    expect(sourceNetworks('not-an-ip')).toBeUndefined();
  });

  it('ranks the busiest networks', () => {
    const nc = new NetworkCounter();
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.2', '203.0.113.5', '198.51.7.1'])
      nc.add(ip);
    const r = nc.result(2);
    expect(r.narrow).toEqual([
      { network: '198.51.100.0/24', events: 3 },
      { network: '198.51.7.0/24', events: 1 },
    ]);
    expect(r.wide[0]).toEqual({ network: '198.51.0.0/16', events: 4 });
  });
});
