// `query top --by country`: events and sources per country, from the store's per-source counts and the
// country data the context already reads (src/context/geo.ts), with the context's rule for which addresses
// have a country (src/net/address-class.ts: public ones only).
import type { CountryReader } from '../context/geo.js';
import { classifyAddress, classifyV4 } from '../net/address-class.js';
import { intToIpv4 } from '../net/ip.js';
import type { Ranked, SourceCount } from './types.js';

/** The key of sources without a country: private, documentation, reserved or unlisted addresses. */
export const NO_COUNTRY = '-';

/** One row of the country ranking: events, and how many distinct sources sent them. */
export interface CountryRow extends Ranked {
  sources: number;
}

/**
 * Rank countries by the events of their sources. `sources` yields each source once with its count; IPv4
 * sources in ascending order are looked up once per database network (~500,000 IPv4 networks in the
 * bundled data), any other order still gives the right answer with more look-ups. Memory: one entry per
 * country.
 */
export async function rankCountries(
  sources: AsyncIterable<SourceCount>,
  countries: CountryReader,
  limit: number,
): Promise<CountryRow[]> {
  const rows = new Map<string, CountryRow>();
  const add = (key: string, count: number) => {
    const row = rows.get(key);
    if (row) {
      row.count += count;
      row.sources++;
    } else rows.set(key, { key, count, sources: 1 });
  };
  // The database network of the last IPv4 look-up: [lo, hi] and its country.
  let lo = 1;
  let hi = 0;
  let inNetwork: string | undefined;
  for await (const s of sources) {
    if (s.v4 !== undefined) {
      if (classifyV4(s.v4) !== 'public') {
        add(NO_COUNTRY, s.count);
        continue;
      }
      if (s.v4 < lo || s.v4 > hi) {
        const net = countries.network(intToIpv4(s.v4));
        const size = 2 ** (32 - Math.min(32, Math.max(0, net.prefixLength)));
        lo = Math.floor(s.v4 / size) * size;
        hi = lo + size - 1;
        inNetwork = net.country;
      }
      add(inNetwork ?? NO_COUNTRY, s.count);
    } else if (s.ip !== undefined) {
      add((classifyAddress(s.ip) === 'public' ? countries.country(s.ip) : undefined) ?? NO_COUNTRY, s.count);
    }
  }
  return [...rows.values()]
    .sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .slice(0, limit);
}
