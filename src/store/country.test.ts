// The country ranking's walk (one look-up per database network and class run) against the context's answer
// address by address: random public addresses, the edges of every special block, IPv6 (as text and as numbers).
import { describe, expect, it } from 'vitest';
import { ContextEnricher } from '../context/enrich.js';
import { openCountryReader } from '../context/geo.js';
import { knowledgeBase } from '../knowledge/index.js';
import { classifyAddress } from '../net/address-class.js';
import { canonicalIp, intToIpv4, ipv4ToInt, ipv6Groups } from '../net/ip.js';
import { NO_COUNTRY, publicV6CountryRanges, rankCountries, wordsText } from './country.js';
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

describe('IPv6 sources as numbers', () => {
  /** Four 32-bit words of an IPv6 text (most significant first). */
  const words = (ip: string): number[] => {
    const g = ipv6Groups(ip)!;
    return [0, 2, 4, 6].map((k) => g[k]! * 65_536 + g[k + 1]!);
  };
  const hex = (w: number) => w.toString(16).padStart(8, '0');
  const text = (w: readonly number[]) => w.map(hex).join('').match(/.{4}/g)!.join(':');

  it('rank as the context gives each address, in order or not, whatever the database network sizes', async () => {
    const reader = openCountryReader().reader!;
    const enricher = new ContextEnricher(knowledgeBase());
    let seed = 61;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const word = () => Math.floor(rnd() * 2 ** 32);
    // The edges of global unicast, of benchmarking's 2001:2::/32 and documentation's 2001:db8::/32 and 3fff::/20,
    // 6to4, and random addresses: most over the whole of 2000::/3, some inside networks the database holds
    // (their first and last addresses).
    const edges = [
      '2000::',
      '2001::1',
      '2001:1:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:2::1',
      '2001:2:1::1',
      '2001:3::',
      '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db8::',
      '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db9::',
      '2002:808:808::1',
      '2a00:1450:4001:81c::200e',
      '3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      '3fff::1',
      '3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff',
      '3fff:1000::',
      '3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ].map(words);
    const nets = reader.ipv6Networks()!;
    expect(nets.country.length).toBeGreaterThan(100_000);
    const inNets: number[][] = [];
    for (let i = 0; i < 3_000; i++) {
      const n = Math.floor(rnd() * nets.country.length);
      inNets.push(
        Array.from(nets.lo.subarray(4 * n, 4 * n + 4)),
        Array.from(nets.hi.subarray(4 * n, 4 * n + 4)),
      );
    }
    const random = Array.from({ length: 20_000 }, () => [
      0x20000000 + Math.floor(rnd() * 0x20000000),
      word(),
      word(),
      word(),
    ]);
    const all = [...edges, ...inNets, ...random];
    const keyed = new Map(all.map((w) => [text(w), w]));
    const addresses = [...keyed.values()].sort((a, b) => {
      for (let k = 0; k < 4; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
      return 0;
    });
    const counts = addresses.map(() => 1 + Math.floor(rnd() * 5));
    const expected = new Map<string, { key: string; count: number; sources: number }>();
    addresses.forEach((w, i) => {
      const key = enricher.of(text(w)).country ?? NO_COUNTRY;
      const e = expected.get(key) ?? { key, count: 0, sources: 0 };
      e.count += counts[i]!;
      e.sources++;
      expected.set(key, e);
    });
    const want = [...expected.values()].sort(
      (x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
    );
    // Documentation addresses and some unlisted ones have none; many countries are there.
    expect(expected.get(NO_COUNTRY)!.sources).toBeGreaterThanOrEqual(2);
    expect(want.length).toBeGreaterThan(50);
    const batches = async function* (order: number[]): AsyncIterable<SourceCounts> {
      for (let i = 0; i < order.length; i += 999)
        yield {
          v6: Uint32Array.from(order.slice(i, i + 999).flatMap((j) => addresses[j]!)),
          count: Float64Array.from(order.slice(i, i + 999), (j) => counts[j]!),
        };
    };
    const sorted = addresses.map((_, i) => i);
    const ranges6 = () => publicV6CountryRanges(reader);
    expect(await rankCountries(batches(sorted), reader, 1000, [], ranges6)).toEqual(want);
    const shuffled = [...sorted].sort(() => rnd() - 0.5);
    expect(await rankCountries(batches(shuffled), reader, 1000, [], ranges6)).toEqual(want);
    // Without the ranges: a look-up per address.
    expect(await rankCountries(batches(shuffled), reader, 1000)).toEqual(want);
    // The same addresses as text (the per-address path) agree too, and wordsText is canonical text.
    const asText: SourceCounts = {
      ip: addresses.map((_, i) => wordsText(Uint32Array.from(addresses[i]!), 0)),
      count: Float64Array.from(counts),
    };
    expect(asText.ip.slice(0, 3)).toEqual(asText.ip.slice(0, 3).map((ip) => canonicalIp(ip)));
    expect(
      await rankCountries(
        (async function* () {
          yield asText;
        })(),
        reader,
        1000,
      ),
    ).toEqual(want);
  });

  it('the public IPv6 ranges give each address what the context gives it', () => {
    const reader = openCountryReader().reader!;
    const ranges = publicV6CountryRanges(reader)!;
    const n = ranges.country.length;
    expect(n).toBeGreaterThan(100_000);
    const at = (w: Uint32Array, i: number) => text(Array.from(w.subarray(4 * i, 4 * i + 4)));
    // Sorted, disjoint, each range's ends with its country; nothing of the benchmarking and documentation
    // prefixes or outside 2000::/3.
    for (let i = 0; i < n; i += 101) {
      for (const ip of [at(ranges.lo, i), at(ranges.hi, i)]) {
        expect(reader.country(ip), ip).toBe(ranges.country[i]);
        expect(classifyAddress(ip), ip).toBe('public');
      }
      if (i > 0) expect(at(ranges.hi, i - 1) < at(ranges.lo, i), `${i}`).toBe(true);
    }
  });
});
