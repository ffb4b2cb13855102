// Country of an address, offline: the @ip-location-db/geo-whois-asn-country-mmdb database (registry
// data: approximate) read with `maxmind`, or a .mmdb the user brings (`--geoip-db`, e.g. GeoLite2-Country).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tBoth } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import { packageRoot } from '../util/package-root.js';
import { cutText } from '../util/strings.js';
import { MAX_COUNTRY_CHARS } from './country-codes.js';
import { COUNTRY_TABLE_PATH, CountryTable } from './country-table.js';

/** The npm package holding the country database. */
export const COUNTRY_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';

/** Attribution of the bundled country data (registry data via NRO, CC BY 4.0 per the package's licence file). */
export const COUNTRY_ATTRIBUTION_TEXT: Localized = tBoth('context.attribution.country', {
  source: '@ip-location-db/geo-whois-asn-country-mmdb (RIR whois and ASN data via NRO, CC BY 4.0)',
});

/** The country attribution in English, as the JSON metadata carries it. */
export const COUNTRY_ATTRIBUTION = COUNTRY_ATTRIBUTION_TEXT.en;

/** A country look-up over one .mmdb file. */
export interface CountryReader {
  /** ISO 3166-1 alpha-2 code, or undefined. */
  country(ip: string): string | undefined;
  /**
   * The country of an address with the length of the database network holding it (bits of the address):
   * every address of that network has the same answer, so a caller walking addresses in order looks up
   * once per network. Not cached.
   */
  network(ip: string): { country?: string; prefixLength: number };
  /**
   * Every IPv4 network of the database that has a country, in address order, as flat triples in three
   * arrays (first address, last address, country), read by walking the database's search tree once
   * (~1 M nodes, no address parsing); the same answers as `network` address by address. Undefined when the
   * reader's tree cannot be walked. Computed once per reader.
   */
  ipv4Networks(): { lo: number[]; hi: number[]; country: string[] } | undefined;
  /**
   * The same for IPv6 global unicast (2000::/3, the only IPv6 addresses besides IPv4 inside IPv6 that the
   * context calls public): the database's networks there that have a country, cut to 2000::/3, in address
   * order, as 128-bit numbers. Found by the same tree walk from the tree's root, so an address there gets
   * the answer `country` gives it (also on an IPv4-only database, whose tree `country` walks with an IPv6
   * address's first bits). Undefined when the tree cannot be walked. Computed once per reader.
   */
  ipv6Networks(): Ipv6Networks | undefined;
  /** Path of the database and the day it was built (YYYY-MM-DD). */
  path: string;
  built: string;
  /** True for the bundled registry data, false for a database the user supplied. */
  bundled: boolean;
  /**
   * What tells this database from another without reading it whole: its build time, type, tree size, record
   * size and IP version, and the file's size (keys the cache of its country ranges, src/store/country-cache.ts).
   */
  identity: string;
}

/** Either field layout: ip-location-db's `country_code`, MaxMind's `country.iso_code`. */
type CountryRecord = { country_code?: unknown; country?: { iso_code?: unknown } };

/**
 * The country a database record names: text only (a crafted database may put a number, a list or a map
 * there, which no output can show), cut to MAX_COUNTRY_CHARS. What the text holds is shown visibly by each
 * output (src/util/visible.ts), as log text is.
 */
function recordCountry(r: CountryRecord | null | undefined): string | undefined {
  if (r === null || typeof r !== 'object') return undefined;
  const inner = r.country;
  const code = r.country_code ?? (inner !== null && typeof inner === 'object' ? inner.iso_code : undefined);
  return typeof code === 'string' && code !== '' ? cutText(code, MAX_COUNTRY_CHARS) : undefined;
}

/** The part of maxmind's Reader fwlens uses. */
interface MmdbReader {
  get(ip: string): CountryRecord | null;
  getWithPrefixLength(ip: string): [CountryRecord | null, number];
  metadata: {
    buildEpoch: Date;
    nodeCount?: number;
    nodeByteSize?: number;
    recordSize?: number;
    ipVersion?: number;
    databaseType?: string;
  };
  /** mmdb-lib's tree access (not in its types): the two records of a node, the IPv4 subtree, a record's data. */
  walker?: { left(offset: number): number; right(offset: number): number };
  /** The database's bytes (mmdb-lib, not in its types). */
  db?: Buffer;
  ipv4StartNodeNumber?: number;
  resolveDataPointer?(pointer: number): CountryRecord | null;
}

/** The country of a leaf record (`node` past the tree's nodes), decoded once per record into `codes`. */
function leafCountry(
  reader: MmdbReader,
  codes: Map<number, string | undefined>,
  node: number,
): string | undefined {
  if (codes.has(node)) return codes.get(node);
  const code = recordCountry(reader.resolveDataPointer!(node));
  codes.set(node, code);
  return code;
}

/** The two records of a search tree node (its byte offset): the left (bit 0) and the right (bit 1) child. */
type TreeRecords = { left(offset: number): number; right(offset: number): number };

/**
 * The tree's records read straight from the database's bytes for the three record sizes of the format
 * (mmdb-lib's walker reads each with a general `readUIntBE`, which made the walks below twice as slow);
 * mmdb-lib's own walker for anything else.
 */
function treeRecords(reader: MmdbReader): TreeRecords | undefined {
  const db = reader.db;
  const size = reader.metadata.recordSize;
  if (db && size === 24)
    return {
      left: (o) => (db[o]! << 16) | (db[o + 1]! << 8) | db[o + 2]!,
      right: (o) => (db[o + 3]! << 16) | (db[o + 4]! << 8) | db[o + 5]!,
    };
  if (db && size === 28)
    return {
      left: (o) => ((db[o + 3]! & 0xf0) << 20) | (db[o]! << 16) | (db[o + 1]! << 8) | db[o + 2]!,
      right: (o) => ((db[o + 3]! & 0x0f) << 24) | (db[o + 4]! << 16) | (db[o + 5]! << 8) | db[o + 6]!,
    };
  if (db && size === 32) return { left: (o) => db.readUInt32BE(o), right: (o) => db.readUInt32BE(o + 4) };
  return reader.walker;
}

/**
 * Most search tree nodes a walk below may enter, for a tree of `nodeCount` nodes. A tree as writers make it is
 * entered once per node, its IPv4 subtree up to three times more where IPv6 prefixes alias it (::ffff:0:0/96,
 * 2001::/32, 2002::/16). A crafted database whose nodes share children (1 KB whose 32 levels each lead both
 * ways to the same node) would otherwise list 2^32 networks: the process died of a fatal allocation error.
 */
function walkBudget(nodeCount: number): number {
  return 4 * nodeCount + 256;
}

/**
 * The IPv4 networks of an .mmdb that have a country, in address order (see CountryReader.ipv4Networks):
 * a depth-first walk of the search tree from the IPv4 subtree, left (0) before right (1), the data of each
 * leaf decoded once per distinct record.
 */
function walkIpv4Networks(reader: MmdbReader): { lo: number[]; hi: number[]; country: string[] } | undefined {
  const { nodeCount, nodeByteSize } = reader.metadata;
  const { ipv4StartNodeNumber: start } = reader;
  const walker = treeRecords(reader);
  if (nodeCount === undefined || nodeByteSize === undefined || !walker || start === undefined)
    return undefined;
  if (typeof reader.resolveDataPointer !== 'function') return undefined;
  const out = { lo: [] as number[], hi: [] as number[], country: [] as string[] };
  const codes = new Map<number, string | undefined>();
  // Triples (node, depth, first address); the right child is pushed first so the left one is taken first.
  const stack: number[] = [start, 0, 0];
  let budget = walkBudget(nodeCount);
  while (stack.length > 0) {
    const base = stack.pop()!;
    const depth = stack.pop()!;
    const node = stack.pop()!;
    if (node === nodeCount) continue; // no data below
    if (node > nodeCount) {
      const code = leafCountry(reader, codes, node);
      if (code !== undefined) {
        out.lo.push(base);
        out.hi.push(base + 2 ** (32 - depth) - 1);
        out.country.push(code);
      }
      continue;
    }
    if (depth >= 32) continue;
    if (--budget < 0) return undefined; // not a tree: nodes shared (see walkBudget)
    const offset = node * nodeByteSize;
    stack.push(walker.right(offset), depth + 1, base + 2 ** (31 - depth));
    stack.push(walker.left(offset), depth + 1, base);
  }
  return out;
}

/**
 * IPv6 networks as 128-bit numbers in four 32-bit words each, most significant first: network i is
 * lo[4i..4i+3] to hi[4i..4i+3] (inclusive), with its country.
 */
export interface Ipv6Networks {
  lo: Uint32Array;
  hi: Uint32Array;
  country: string[];
}

/** First 32 bits of IPv6 global unicast, 2000::/3: from, to (inclusive). */
const GLOBAL_UNICAST_TOP32 = [0x20000000, 0x3fffffff] as const;

/** Growable word arrays for Ipv6Networks. */
class WordList {
  words = new Uint32Array(1 << 16);
  length = 0;
  push(a: number, b: number, c: number, d: number): void {
    if (this.length + 4 > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    const w = this.words;
    w[this.length] = a;
    w[this.length + 1] = b;
    w[this.length + 2] = c;
    w[this.length + 3] = d;
    this.length += 4;
  }
  done(): Uint32Array {
    return this.words.slice(0, this.length);
  }
}

/** Word `k` (0..3) of the last address of the network `word` starts at `depth` bits: the bits below set. */
function lastWord(word: number, k: number, depth: number): number {
  const fixed = depth - 32 * k;
  if (fixed >= 32) return word;
  if (fixed <= 0) return 0xffffffff;
  return (word | (2 ** (32 - fixed) - 1)) >>> 0;
}

/**
 * The networks with a country inside 2000::/3 (CountryReader.ipv6Networks): a depth-first walk from the
 * root of the search tree over 128-bit addresses (four 32-bit words on the stack, no BigInt), left before
 * right, entering only subtrees that meet 2000::/3, each leaf cut to it.
 */
function walkIpv6Networks(reader: MmdbReader): Ipv6Networks | undefined {
  const { nodeCount, nodeByteSize } = reader.metadata;
  const walker = treeRecords(reader);
  if (nodeCount === undefined || nodeByteSize === undefined || !walker) return undefined;
  if (typeof reader.resolveDataPointer !== 'function') return undefined;
  const [from, to] = GLOBAL_UNICAST_TOP32;
  const lo = new WordList();
  const hi = new WordList();
  const country: string[] = [];
  const codes = new Map<number, string | undefined>();
  // Six numbers per entry: node, depth, the four words of its first address. A depth-first walk holds at
  // most one entry per level plus one.
  const stack = new Float64Array(6 * 130);
  let sp = 6;
  let budget = walkBudget(nodeCount);
  while (sp > 0) {
    sp -= 6;
    const node = stack[sp]!;
    const depth = stack[sp + 1]!;
    const w0 = stack[sp + 2]!;
    const w1 = stack[sp + 3]!;
    const w2 = stack[sp + 4]!;
    const w3 = stack[sp + 5]!;
    const top = depth >= 32 ? w0 : w0 + (2 ** (32 - depth) - 1);
    if (top < from || w0 > to || node === nodeCount) continue;
    if (node > nodeCount) {
      const code = leafCountry(reader, codes, node);
      if (code === undefined) continue;
      // A leaf above 2000::/3 (an IPv4-only database's short prefixes) is cut to it.
      if (w0 < from) lo.push(from, 0, 0, 0);
      else lo.push(w0, w1, w2, w3);
      if (top > to) hi.push(to, 0xffffffff, 0xffffffff, 0xffffffff);
      else hi.push(top, lastWord(w1, 1, depth), lastWord(w2, 2, depth), lastWord(w3, 3, depth));
      country.push(code);
      continue;
    }
    if (depth >= 128) continue;
    if (--budget < 0) return undefined; // not a tree: nodes shared (see walkBudget)
    const offset = node * nodeByteSize;
    // The right child (the bit after the prefix set) below the left one, so the left one is taken first.
    const k = depth >>> 5;
    const bit = 2 ** (31 - (depth & 31));
    stack[sp] = walker.right(offset);
    stack[sp + 1] = depth + 1;
    stack[sp + 2] = k === 0 ? w0 + bit : w0;
    stack[sp + 3] = k === 1 ? w1 + bit : w1;
    stack[sp + 4] = k === 2 ? w2 + bit : w2;
    stack[sp + 5] = k === 3 ? w3 + bit : w3;
    stack[sp + 6] = walker.left(offset);
    stack[sp + 7] = depth + 1;
    stack[sp + 8] = w0;
    stack[sp + 9] = w1;
    stack[sp + 10] = w2;
    stack[sp + 11] = w3;
    sp += 12;
  }
  return { lo: lo.done(), hi: hi.done(), country };
}

/** Path of the bundled database, or undefined when the package is not installed. */
export function bundledCountryDb(): string | undefined {
  try {
    const pkg = createRequire(join(packageRoot(), 'package.json')).resolve(`${COUNTRY_PACKAGE}/package.json`);
    return join(dirname(pkg), 'geo-whois-asn-country.mmdb');
  } catch {
    return undefined;
  }
}

/**
 * Open a country database: `path` when given (`--geoip-db`), else the bundled one (through its compiled table
 * when the build made one from the database as it is). A missing or unreadable file gives one sentence and no
 * reader (the run goes on without countries).
 */
export function openCountryReader(path?: string): { reader?: CountryReader; problem?: Localized } {
  if (path !== undefined) return openMmdbReader(path, false);
  const file = bundledCountryDb();
  if (!file) return {};
  return bundledReader(file, COUNTRY_TABLE_PATH);
}

/** Compiled tables opened so far, by path (undefined: none there, or not a whole table). */
const compiledTables = new Map<string, CountryTable | undefined>();

/**
 * The bundled database `file` read through the compiled table at `tablePath` when that table was made from the
 * file as it is now, else read itself. The table answers IPv4 and public IPv6 addresses; the database is opened
 * (once) for any other address and for its networks.
 */
export function bundledReader(
  file: string,
  tablePath: string,
): { reader?: CountryReader; problem?: Localized } {
  // One open table per path for the process: every ContextEnricher (one per `analyze()` call of the library)
  // asks, and each open keeps a descriptor.
  let table = compiledTables.get(tablePath);
  if (table === undefined && !compiledTables.has(tablePath)) {
    table = CountryTable.open(tablePath);
    compiledTables.set(tablePath, table);
  }
  if (!table?.matches(file)) return openMmdbReader(file, true);
  let db: CountryReader | undefined;
  let opened = false;
  const mmdb = () => {
    if (!opened) {
      opened = true;
      db = openMmdbReader(file, true).reader;
    }
    return db;
  };
  return {
    reader: {
      path: file,
      built: table.header.built,
      bundled: true,
      identity: table.header.identity,
      country(ip) {
        const hit = table.lookup(ip);
        return hit ? hit.country : mmdb()?.country(ip);
      },
      network: (ip) => mmdb()?.network(ip) ?? { prefixLength: ip.includes(':') ? 128 : 32 },
      ipv4Networks: () => mmdb()?.ipv4Networks(),
      ipv6Networks: () => mmdb()?.ipv6Networks(),
    },
  };
}

/** The .mmdb reader's code, loaded when a database is first opened (not by every command that might need one). */
function mmdbReaderClass(): typeof import('maxmind').Reader {
  return (createRequire(import.meta.url)('maxmind') as typeof import('maxmind')).Reader;
}

/** Read a .mmdb country database whole. */
export function openMmdbReader(
  file: string,
  bundled: boolean,
): { reader?: CountryReader; problem?: Localized } {
  let reader: MmdbReader;
  let size = 0;
  try {
    // The reader's types know MaxMind's layouts only; ip-location-db's `country_code` is read as a plain record.
    const bytes = readFileSync(file);
    size = bytes.length;
    const Reader = mmdbReaderClass();
    reader = new Reader(bytes) as unknown as MmdbReader;
    // The build time names the data's day in every report: a database without one (a crafted or damaged file)
    // failed later as "unexpected failure: Invalid time value".
    if (Number.isNaN(reader.metadata.buildEpoch.getTime()))
      throw new Error('its metadata holds no build time');
  } catch (e) {
    return { problem: tBoth('context.geo.unreadable', { path: file, error: firstLine(e) }) };
  }
  const cache = new Map<string, string | undefined>();
  const networks = onceOrUndefined(() => walkIpv4Networks(reader));
  const networks6 = onceOrUndefined(() => walkIpv6Networks(reader));
  return {
    reader: {
      path: file,
      built: reader.metadata.buildEpoch.toISOString().slice(0, 10),
      bundled,
      identity: JSON.stringify([
        reader.metadata.buildEpoch.getTime(),
        reader.metadata.databaseType ?? '',
        reader.metadata.nodeCount ?? 0,
        reader.metadata.recordSize ?? 0,
        reader.metadata.ipVersion ?? 0,
        size,
      ]),
      country(ip) {
        if (cache.has(ip)) return cache.get(ip);
        let code: string | undefined;
        try {
          code = recordCountry(reader.get(ip));
        } catch {
          code = undefined; // an address the database cannot take (zone index, garbage)
        }
        if (cache.size >= 65_536) cache.clear();
        cache.set(ip, code);
        return code;
      },
      ipv4Networks: networks,
      ipv6Networks: networks6,
      network(ip) {
        try {
          const [r, prefixLength] = reader.getWithPrefixLength(ip);
          const code = recordCountry(r);
          return code === undefined ? { prefixLength } : { country: code, prefixLength };
        } catch {
          return { prefixLength: ip.includes(':') ? 128 : 32 };
        }
      },
    },
  };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

/** `make()` on the first call and its answer ever after; undefined when it throws (a database it cannot walk). */
function onceOrUndefined<T>(make: () => T): () => T | undefined {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      done = true;
      try {
        value = make();
      } catch {
        value = undefined;
      }
    }
    return value;
  };
}
