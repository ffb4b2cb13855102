// `query top --by country`: events and sources per country, from the store's per-source counts and the
// country data the context already reads (src/context/geo.ts), with the context's rule for which addresses
// have a country (src/net/address-class.ts: public ones only).
import type { CountryReader } from '../context/geo.js';
import { classifyAddress, classifyV4, PUBLIC_V6_TOP32, v4ClassRunEnd } from '../net/address-class.js';
import { formatIpv6, intToIpv4 } from '../net/ip.js';
import { readCountryCache, writeCountryCache } from './country-cache.js';
import type { CountryRanges, Ranked, SourceCounts, Store, TimeWindow } from './types.js';

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
  sources: AsyncIterable<SourceCounts>,
  countries: CountryReader,
  limit: number,
  /** Totals already counted (the store's own join of its IPv4 sources); `country` undefined: none. */
  counted: readonly { country?: string; events: number; sources: number }[] = [],
  /**
   * The public IPv6 ranges (publicV6CountryRanges) for IPv6 sources given as numbers, asked for when the first
   * of them comes; without: a look-up per address.
   */
  v6Ranges?: () => V6CountryRanges | undefined,
): Promise<CountryRow[]> {
  const rows = new Map<string, CountryRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, count: 0, sources: 0 };
      rows.set(key, r);
    }
    return r;
  };
  const none = row(NO_COUNTRY);
  for (const c of counted) {
    const r = c.country === undefined ? none : row(c.country);
    r.count += c.events;
    r.sources += c.sources;
  }
  // The run of addresses with the same class as the last one (public or not), and the database network
  // of the last look-up [lo, hi] with its row: most addresses need neither a look-up nor a map access.
  let classStart = 1;
  let classEnd = 0;
  let isPublic = false;
  let lo = 1;
  let hi = 0;
  let inNetwork = none;
  for await (const batch of sources) {
    const { count } = batch;
    if ('v4' in batch) {
      const { v4 } = batch;
      for (let i = 0; i < v4.length; i++) {
        const a = v4[i]!;
        if (a < classStart || a > classEnd) {
          isPublic = classifyV4(a) === 'public';
          classStart = a;
          classEnd = v4ClassRunEnd(a);
        }
        let r = none;
        if (isPublic) {
          if (a < lo || a > hi) {
            const net = countries.network(intToIpv4(a));
            const size = 2 ** (32 - Math.min(32, Math.max(0, net.prefixLength)));
            lo = Math.floor(a / size) * size;
            hi = lo + size - 1;
            inNetwork = net.country === undefined ? none : row(net.country);
          }
          r = inNetwork;
        }
        r.count += count[i]!;
        r.sources++;
      }
    } else if ('v6' in batch) {
      const ranges6 = v6Ranges?.();
      const { v6 } = batch;
      let at = -1;
      for (let i = 0; i < count.length; i++) {
        let r = none;
        if (ranges6) {
          // Sorted input stays in the range found last; anything else is found by a binary search.
          if (at < 0 || compareWords(v6, i, ranges6.lo, at) < 0 || compareWords(v6, i, ranges6.hi, at) > 0)
            at = rangeAt(ranges6, v6, i);
          if (at >= 0) r = row(ranges6.country[at]!);
        } else {
          const ip = wordsText(v6, i);
          r = row((classifyAddress(ip) === 'public' ? countries.country(ip) : undefined) ?? NO_COUNTRY);
        }
        r.count += count[i]!;
        r.sources++;
      }
    } else
      batch.ip.forEach((ip, i) => {
        const r = row((classifyAddress(ip) === 'public' ? countries.country(ip) : undefined) ?? NO_COUNTRY);
        r.count += count[i]!;
        r.sources++;
      });
  }
  return [...rows.values()]
    .filter((r) => r.sources > 0)
    .sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .slice(0, limit);
}

/** Order of 128-bit numbers a[4i..] and b[4j..] (four 32-bit words each, most significant first). */
function compareWords(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  for (let k = 0; k < 4; k++) {
    const d = a[4 * i + k]! - b[4 * j + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Index of the range holding address `i` of `words`, or -1. */
function rangeAt(ranges: { lo: Uint32Array; hi: Uint32Array }, words: Uint32Array, i: number): number {
  let lo = 0;
  let hi = ranges.lo.length / 4 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareWords(ranges.lo, mid, words, i) > 0) hi = mid - 1;
    else if (compareWords(ranges.hi, mid, words, i) < 0) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Canonical text of IPv6 address `i` of `words` (SourceCounts `v6`). */
export function wordsText(words: Uint32Array, i: number): string {
  const groups: number[] = [];
  for (let k = 0; k < 4; k++) {
    const w = words[4 * i + k]!;
    groups.push(w >>> 16, w & 0xffff);
  }
  return formatIpv6(groups);
}

/** The public country ranges of each reader, made once. */
const publicRanges = new WeakMap<CountryReader, CountryRanges | undefined>();

/**
 * The IPv4 ranges that have a country by the context's rule: the database's networks (CountryReader
 * .ipv4Networks) cut to the public address runs (src/net/address-class.ts), neighbours of the same country
 * joined. An address in no range has none. Undefined when the reader cannot list its networks.
 */
export function publicCountryRanges(countries: CountryReader): CountryRanges | undefined {
  if (publicRanges.has(countries)) return publicRanges.get(countries);
  const nets = countries.ipv4Networks();
  let out: CountryRanges | undefined;
  if (nets) {
    const lo: number[] = [];
    const hi: number[] = [];
    const country: string[] = [];
    for (let i = 0; i < nets.lo.length; i++) {
      const last = nets.hi[i]!;
      const code = nets.country[i]!;
      for (let a = nets.lo[i]!; a <= last; ) {
        const end = Math.min(last, v4ClassRunEnd(a));
        if (classifyV4(a) === 'public') {
          const n = lo.length - 1;
          if (n >= 0 && country[n] === code && hi[n] === a - 1) hi[n] = end;
          else {
            lo.push(a);
            hi.push(end);
            country.push(code);
          }
        }
        a = end + 1;
      }
    }
    out = { lo, hi, country, blocks: blocksOf(lo, hi, country) };
  }
  publicRanges.set(countries, out);
  return out;
}

/** IPv6 global unicast addresses with a country: sorted, disjoint ranges, four 32-bit words per address. */
export interface V6CountryRanges {
  lo: Uint32Array;
  hi: Uint32Array;
  country: readonly string[];
}

const publicRanges6 = new WeakMap<CountryReader, V6CountryRanges | undefined>();

/**
 * The IPv6 ranges that have a country by the context's rule: the database's networks in global unicast
 * (CountryReader.ipv6Networks) cut to the runs the context calls public (PUBLIC_V6_TOP32: without the
 * benchmarking and documentation prefixes). IPv6 addresses outside them (IPv4 inside IPv6 among them) are looked
 * up one by one.
 * Undefined when the reader cannot list its networks. Made once per reader.
 */
export function publicV6CountryRanges(countries: CountryReader): V6CountryRanges | undefined {
  if (publicRanges6.has(countries)) return publicRanges6.get(countries);
  const nets = countries.ipv6Networks();
  let out: V6CountryRanges | undefined;
  if (nets) {
    const n = nets.country.length;
    // Each network gives at most one range per public run.
    const lo = new Uint32Array(4 * PUBLIC_V6_TOP32.length * n);
    const hi = new Uint32Array(4 * PUBLIC_V6_TOP32.length * n);
    const country: string[] = [];
    let m = 0;
    for (let i = 0; i < n; i++) {
      const first = nets.lo[4 * i]!;
      const last = nets.hi[4 * i]!;
      for (const [from, to] of PUBLIC_V6_TOP32) {
        if (last < from || first > to) continue;
        if (first < from) lo.set([from, 0, 0, 0], 4 * m);
        else lo.set(nets.lo.subarray(4 * i, 4 * i + 4), 4 * m);
        if (last > to) hi.set([to, 0xffffffff, 0xffffffff, 0xffffffff], 4 * m);
        else hi.set(nets.hi.subarray(4 * i, 4 * i + 4), 4 * m);
        country.push(nets.country[i]!);
        m++;
      }
    }
    out = { lo: lo.slice(0, 4 * m), hi: hi.slice(0, 4 * m), country };
  }
  publicRanges6.set(countries, out);
  return out;
}

/**
 * Make the ranges of `countries` (IPv4 and IPv6) known to this module from the cache in `dir` when it holds
 * them for this database, else make them here and keep them there for the next run.
 */
function rangesFromCache(countries: CountryReader, dir: string): void {
  if (publicRanges.has(countries) && publicRanges6.has(countries)) return;
  const hit = readCountryCache(dir, countries.identity);
  if (hit) {
    const { lo, hi, country } = hit.v4;
    publicRanges.set(countries, { lo, hi, country, blocks: blocksOf(lo, hi, country) });
    publicRanges6.set(countries, hit.v6);
    return;
  }
  const v4 = publicCountryRanges(countries);
  const v6 = publicV6CountryRanges(countries);
  if (v4 && v6)
    writeCountryCache(dir, countries.identity, {
      v4: { lo: Uint32Array.from(v4.lo), hi: Uint32Array.from(v4.hi), country: [...v4.country] },
      v6: { lo: v6.lo, hi: v6.hi, country: [...v6.country] },
    });
}

/** Bits of the blocks of CountryRanges.blocks: 65,536 blocks, ~14 % of the address space in mixed ones. */
const BLOCK_BITS = 16;

/** The whole and the mixed /16 blocks of sorted, disjoint ranges (CountryRanges.blocks). */
function blocksOf(
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  country: readonly string[],
): CountryRanges['blocks'] {
  const size = 2 ** (32 - BLOCK_BITS);
  // Per block: -1 no range touches it, a range index when that range covers it whole, -2 mixed.
  const state = new Int32Array(2 ** BLOCK_BITS).fill(-1);
  for (let i = 0; i < lo.length; i++) {
    const first = Math.floor(lo[i]! / size);
    const last = Math.floor(hi[i]! / size);
    for (let b = first; b <= last; b++) {
      const whole = lo[i]! <= b * size && hi[i]! >= b * size + size - 1;
      state[b] = whole && state[b] === -1 ? i : -2;
    }
  }
  const whole: number[] = [];
  const wholeCountry: string[] = [];
  const mixed: number[] = [];
  state.forEach((s, b) => {
    if (s >= 0) {
      whole.push(b);
      wholeCountry.push(country[s]!);
    } else if (s === -2) mixed.push(b);
  });
  return { whole, wholeCountry, mixed };
}

/**
 * Below this many IPv4 sources a store's country ranking walks them in JS (`sourceCounts`, one look-up per
 * database network met): cheaper than building the ranges (~0.3 s) for the join inside the store.
 */
export const V4_RANGES_FROM = 50_000;

/**
 * From this many IPv6 sources in global unicast on, they are ranked against the IPv6 ranges (one walk of the
 * database's IPv6 tree, ~0.2-0.3 s) instead of a look-up each (~5 µs).
 */
export const V6_RANGES_FROM = 30_000;

/**
 * `query top --by country` on a store: inside the store when it can join the country ranges itself
 * (`Store.countryCounts`, DuckDB) and holds enough IPv4 sources to pay for them, else from every source's
 * count (`sourceCounts`); many IPv6 sources against the IPv6 ranges. Every way gives the same rows (tested
 * against each other and against the look-up of each address).
 */
export async function rankStoreCountries(
  store: Store,
  countries: CountryReader,
  limit: number,
  window?: TimeWindow,
  opts: {
    /** The two thresholds (tests hold every way against the others). */
    from?: { v4: number; v6: number };
    /** Folder of the ranges' cache file (src/store/country-cache.ts); without: made in every run. */
    cacheDir?: string;
  } = {},
): Promise<CountryRow[]> {
  const from = opts.from ?? { v4: V4_RANGES_FROM, v6: V6_RANGES_FROM };
  const joins = store.countryCounts && store.v6SourceCounts ? store : undefined;
  const total = joins ? await store.sourceTotal?.() : undefined;
  const inStore = joins && (total === undefined || total.v4 >= from.v4) ? joins : undefined;
  if (inStore && opts.cacheDir !== undefined) rangesFromCache(countries, opts.cacheDir);
  let counted: { country?: string; events: number; sources: number }[] = [];
  let sources: AsyncIterable<SourceCounts> | SourceCounts[];
  let ranges6: V6CountryRanges | undefined;
  // The store works on its IPv6 sources (in its own threads) while the IPv4 ranges are made here...
  const v6Pending = inStore?.v6SourceCounts?.(window);
  const ranges = inStore ? publicCountryRanges(countries) : undefined;
  const v6 = await v6Pending;
  if (inStore && ranges && v6) {
    const n = v6.reduce((sum, b) => sum + ('v6' in b ? b.count.length : 0), 0);
    // ...and joins its IPv4 sources while the IPv6 ranges are made.
    const v4Pending = inStore.countryCounts!(ranges, window);
    if (n >= from.v6) ranges6 = publicV6CountryRanges(countries);
    counted = await v4Pending;
    sources = v6;
  } else sources = store.sourceCounts(window);
  // IPv6 sources as numbers come last: held until their number says whether the IPv6 ranges pay.
  async function* decided(): AsyncIterable<SourceCounts> {
    const v6: SourceCounts[] = [];
    let n = 0;
    for await (const b of sources)
      if ('v6' in b) {
        v6.push(b);
        n += b.count.length;
      } else yield b;
    if (ranges6 === undefined && n >= from.v6) ranges6 = publicV6CountryRanges(countries);
    yield* v6;
  }
  return rankCountries(decided(), countries, limit, counted, () => ranges6);
}
