// A file cache of one country database's public country ranges (src/store/country.ts): a `query top --by
// country` on a large store reads them (~20 MB, a few ms) instead of walking the database's search trees
// (~0.4 s of CPU) on every run. A file that does not match (another database, another rule, damaged) is
// never used: the ranges are made again and the file rewritten.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { endianness, homedir } from 'node:os';
import { join } from 'node:path';
import { countryCodes, MAX_COUNTRY_CHARS } from '../context/country-codes.js';
import { classifyV4, PUBLIC_V6_TOP32, v4ClassRunEnd } from '../net/address-class.js';

/** Bumped when the file's layout or what the ranges mean changes; files of another version are ignored. */
export const COUNTRY_CACHE_VERSION = 1;

const MAGIC = Buffer.from('fwlens country ranges\n', 'latin1');

/** Longest country code taken from a file: the longest the database reader keeps (anything longer is damage). */
const MAX_CODE_CHARS = MAX_COUNTRY_CHARS;

/** The ranges the cache holds: IPv4 (numbers) and IPv6 (four 32-bit words per address), countries by code. */
export interface CachedCountryRanges {
  v4: { lo: Uint32Array; hi: Uint32Array; country: string[] };
  v6: { lo: Uint32Array; hi: Uint32Array; country: string[] };
}

/** The cache folder: $XDG_CACHE_HOME/fwlens, else ~/.cache/fwlens. */
export function countryCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME?.startsWith('/')
    ? env.XDG_CACHE_HOME
    : join(env.HOME || homedir(), '.cache');
  return join(base, 'fwlens');
}

/**
 * What the ranges depend on besides the database: the version, the IPv4 class runs and the public IPv6 runs
 * (src/net/address-class.ts), so a changed rule never reads an older file.
 */
function ruleKey(): string {
  if (rule !== undefined) return rule;
  const runs: string[] = [];
  for (let a = 0; a <= 0xffffffff; ) {
    const end = v4ClassRunEnd(a);
    runs.push(`${a}:${classifyV4(a) === 'public' ? 1 : 0}`);
    a = end + 1;
  }
  rule = JSON.stringify([COUNTRY_CACHE_VERSION, runs, PUBLIC_V6_TOP32]);
  return rule;
}
let rule: string | undefined;

/** The cache file of a database (by CountryReader.identity). */
export function countryCacheFile(dir: string, identity: string): string {
  const hash = createHash('sha256').update(identity).update(ruleKey()).digest('hex').slice(0, 24);
  return join(dir, `country-ranges-${hash}.bin`);
}

/** The file's bytes: magic, header length, JSON header, the word arrays, then the country indexes. */
export function encodeCountryRanges(identity: string, r: CachedCountryRanges): Buffer {
  const { codes, code } = countryCodes();
  const indexes = (country: readonly string[]) => Uint16Array.from(country, code);
  const cc4 = indexes(r.v4.country);
  const cc6 = indexes(r.v6.country);
  const header = Buffer.from(
    JSON.stringify({
      version: COUNTRY_CACHE_VERSION,
      identity,
      rule: ruleKey(),
      codes,
      v4: r.v4.country.length,
      v6: r.v6.country.length,
    }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const pad = Buffer.alloc((4 - ((MAGIC.length + 4 + header.length) % 4)) % 4);
  const bytes = (a: Uint32Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([
    MAGIC,
    length,
    header,
    pad,
    bytes(r.v4.lo),
    bytes(r.v4.hi),
    bytes(r.v6.lo),
    bytes(r.v6.hi),
    bytes(cc4),
    bytes(cc6),
  ]);
}

/** Order of 128-bit numbers a[4i..] and b[4j..]. */
function compare6(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  for (let k = 0; k < 4; k++) {
    const d = a[4 * i + k]! - b[4 * j + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The ranges in `bytes`, or undefined unless they are whole, for this database and rule, and well formed:
 * each range's first address not after its last, the ranges sorted and disjoint, every country index known.
 */
export function decodeCountryRanges(bytes: Buffer, identity: string): CachedCountryRanges | undefined {
  if (endianness() !== 'LE') return undefined;
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + headerLength > bytes.length) return undefined;
  let header: {
    version?: unknown;
    identity?: unknown;
    rule?: unknown;
    codes?: unknown;
    v4?: unknown;
    v6?: unknown;
  };
  try {
    header = JSON.parse(bytes.toString('utf8', start, start + headerLength));
  } catch {
    return undefined;
  }
  const { codes, v4: n4, v6: n6 } = header;
  if (header.version !== COUNTRY_CACHE_VERSION || header.identity !== identity || header.rule !== ruleKey())
    return undefined;
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string' && c.length <= MAX_CODE_CHARS))
    return undefined;
  if (!Number.isSafeInteger(n4) || !Number.isSafeInteger(n6) || (n4 as number) < 0 || (n6 as number) < 0)
    return undefined;
  const a = n4 as number;
  const b = n6 as number;
  let at = start + headerLength;
  at += (4 - (at % 4)) % 4;
  if (bytes.length !== at + 8 * a + 32 * b + 2 * a + 2 * b) return undefined;
  // Copies: the file's bytes need not sit at an offset a Uint32Array can start at.
  const take = <T extends Uint32Array | Uint16Array>(make: (b: ArrayBuffer) => T, n: number): T => {
    const out = make(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n) as ArrayBuffer);
    at += n;
    return out;
  };
  const lo4 = take((x) => new Uint32Array(x), 4 * a);
  const hi4 = take((x) => new Uint32Array(x), 4 * a);
  const lo6 = take((x) => new Uint32Array(x), 16 * b);
  const hi6 = take((x) => new Uint32Array(x), 16 * b);
  const cc4 = take((x) => new Uint16Array(x), 2 * a);
  const cc6 = take((x) => new Uint16Array(x), 2 * b);
  const known = (codes as string[]).length;
  for (let i = 0; i < a; i++)
    if (lo4[i]! > hi4[i]! || (i > 0 && lo4[i]! <= hi4[i - 1]!) || cc4[i]! >= known) return undefined;
  for (let i = 0; i < b; i++)
    if (compare6(lo6, i, hi6, i) > 0 || (i > 0 && compare6(lo6, i, hi6, i - 1) <= 0) || cc6[i]! >= known)
      return undefined;
  const names = codes as string[];
  return {
    v4: { lo: lo4, hi: hi4, country: Array.from(cc4, (i) => names[i]!) },
    v6: { lo: lo6, hi: hi6, country: Array.from(cc6, (i) => names[i]!) },
  };
}

/** The cached ranges of a database, or undefined (no file, or one that is not to be used). */
export function readCountryCache(dir: string, identity: string): CachedCountryRanges | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(countryCacheFile(dir, identity));
  } catch {
    return undefined;
  }
  return decodeCountryRanges(bytes, identity);
}

/** Keep the ranges for the next run (written whole, then renamed into place); a failure only loses the cache. */
export function writeCountryCache(dir: string, identity: string, ranges: CachedCountryRanges): void {
  const file = countryCacheFile(dir, identity);
  const part = `${file}.${process.pid}.part`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(part, encodeCountryRanges(identity, ranges), { mode: 0o644 });
    renameSync(part, file);
  } catch {
    rmSync(part, { force: true });
  }
}
