// The country ranking's walk (one look-up per database network and class run) against the context's answer
// address by address: random public addresses, the edges of every special block, IPv6.
import { describe, expect, it } from 'vitest';
import { ContextEnricher } from '../context/enrich.js';
import { openCountryReader } from '../context/geo.js';
import { knowledgeBase } from '../knowledge/index.js';
import { intToIpv4, ipv4ToInt } from '../net/ip.js';
import { NO_COUNTRY, rankCountries } from './country.js';
import type { SourceCounts } from './types.js';

describe('rankCountries', () => {
  it('gives what the context gives address by address, in batches, whatever the order', async () => {
    const reader = openCountryReader().reader!;
    const enricher = new ContextEnricher(knowledgeBase());
    let seed = 16;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const edges = [
      '0.0.0.0',
      '9.255.255.255',
      '10.0.0.0',
      '10.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '100.128.0.0',
      '192.0.1.255',
      '192.0.2.0',
      '192.0.2.255',
      '192.0.3.0',
      '198.51.99.255',
      '198.51.100.0',
      '198.51.101.0',
      '203.0.112.255',
      '203.0.113.0',
      '203.0.114.0',
      '223.255.255.255',
      '224.0.0.0',
      '255.255.255.255',
    ].map(ipv4ToInt);
    const addresses = [
      ...new Set([...edges, ...Array.from({ length: 20_000 }, () => Math.floor(rnd() * 2 ** 32))]),
    ].sort((a, b) => a - b);
    const counts = addresses.map(() => 1 + Math.floor(rnd() * 5));
    const v6 = ['2a00:1450::1', '2001:db8::7', 'fe80::1', '2a03:2880::1'];
    const expected = new Map<string, { key: string; count: number; sources: number }>();
    const add = (ip: string, n: number) => {
      const key = enricher.of(ip).country ?? NO_COUNTRY;
      const e = expected.get(key) ?? { key, count: 0, sources: 0 };
      e.count += n;
      e.sources++;
      expected.set(key, e);
    };
    for (const [i, a] of addresses.entries()) add(intToIpv4(a), counts[i]!);
    for (const ip of v6) add(ip, 2);
    const batches = async function* (order: number[]): AsyncIterable<SourceCounts> {
      for (let i = 0; i < order.length; i += 777) {
        const part = order.slice(i, i + 777);
        yield {
          v4: Float64Array.from(part, (j) => addresses[j]!),
          count: Float64Array.from(part, (j) => counts[j]!),
        };
      }
      yield { ip: v6, count: Float64Array.from(v6, () => 2) };
    };
    const want = [...expected.values()].sort(
      (x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
    );
    const sorted = addresses.map((_, i) => i);
    expect(await rankCountries(batches(sorted), reader, 1000)).toEqual(want);
    // Out of order (another store's order): the same answer, with more look-ups.
    const shuffled = [...sorted].sort(() => rnd() - 0.5);
    expect(await rankCountries(batches(shuffled), reader, 1000)).toEqual(want);
    expect(await rankCountries(batches(sorted), reader, 3)).toEqual(want.slice(0, 3));
  });
});
