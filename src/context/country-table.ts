// The bundled country database compiled into a range table (dist/context/country.bin, written by the build):
// sorted range starts with a country each, searched by bisection a page at a time (src/context/table-bytes.ts).
// Opening the bundled .mmdb read its 7.8 MB and loaded its reader's code for every `fwlens explain` of a line,
// which looks up one or two addresses. The table answers what the database answers for IPv4 addresses and
// for IPv6 global unicast (2000::/3: the public IPv6 space); anything else goes to the database itself.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ipv4TextLength, ipv4Value } from '../net/ip.js';
import { packageRoot } from '../util/package-root.js';
import { parseV6Groups } from './asn-table.js';
import { countryCodes } from './country-codes.js';
import { FileBytes, lastStartV4, lastStartV6, type TableBytes } from './table-bytes.js';

/** Where the build writes the compiled table of the bundled database. */
export const COUNTRY_TABLE_PATH = join(packageRoot(), 'dist', 'context', 'country.bin');

/** First bytes of a compiled country table; the last byte is the layout version. */
export const COUNTRY_MAGIC = Buffer.from('FWLCC\0\0\x01', 'latin1');

/** Country index of a range no network of the database covers. */
const NONE = 0xffffffff;

/** What a compiled table says about the database it came from. */
export interface CountryTableHeader {
  /** Size and modification time of the .mmdb it was compiled from: a changed file is read itself instead. */
  source: { size: number; mtimeMs: number };
  /** CountryReader.identity and .built of that database. */
  identity: string;
  built: string;
  /** Country codes by index. */
  codes: string[];
  /** Ranges: IPv4 (one word per start) and IPv6 inside 2000::/3 (four words per start). */
  v4: number;
  v6: number;
}

/** Networks in address order: IPv4 as numbers, or IPv6 as four words per address (CountryReader's walks). */
interface Networks {
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  country: readonly string[];
}

/**
 * Compile the networks of a database (CountryReader.ipv4Networks and .ipv6Networks) into the table's bytes:
 * neighbouring networks of one country become one range, and every gap a range of no country.
 */
export function compileCountryTable(
  v4: Networks,
  v6: Networks,
  about: Omit<CountryTableHeader, 'codes' | 'v4' | 'v6'>,
): Buffer {
  const { codes, code: indexOf } = countryCodes();
  // IPv4: starts as numbers; a range runs to the next start.
  const s4: number[] = [];
  const c4: number[] = [];
  let next = 0; // first address not covered yet
  for (let i = 0; i < v4.country.length; i++) {
    const lo = v4.lo[i]!;
    const cc = indexOf(v4.country[i]!);
    if (lo > next) {
      s4.push(next);
      c4.push(NONE);
    }
    // A network right after one of the same country (no gap between them) joins its range.
    if (!(lo === next && c4.length > 0 && c4[c4.length - 1] === cc)) {
      s4.push(lo);
      c4.push(cc);
    }
    next = v4.hi[i]! + 1;
  }
  if (next <= 0xffffffff) {
    s4.push(next);
    c4.push(NONE);
  }
  // IPv6 inside 2000::/3: four words per start, compared as 128-bit numbers; outside it no range is looked up.
  const s6: number[] = [];
  const c6: number[] = [];
  let n0 = 0x20000000;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let open = true; // `n` is a real address (false once the last network ended at 3fff:ffff:...)
  const before = (a: ArrayLike<number>, i: number) =>
    a[i]! !== n0
      ? a[i]! > n0
      : a[i + 1]! !== n1
        ? a[i + 1]! > n1
        : a[i + 2]! !== n2
          ? a[i + 2]! > n2
          : a[i + 3]! > n3;
  for (let i = 0; i < v6.country.length; i++) {
    const cc = indexOf(v6.country[i]!);
    const gap = open && before(v6.lo, 4 * i);
    if (gap) {
      s6.push(n0, n1, n2, n3);
      c6.push(NONE);
    }
    if (gap || c6.length === 0 || c6[c6.length - 1] !== cc) {
      s6.push(v6.lo[4 * i]!, v6.lo[4 * i + 1]!, v6.lo[4 * i + 2]!, v6.lo[4 * i + 3]!);
      c6.push(cc);
    }
    // The address after this network's last one (carrying through the words).
    let [h0, h1, h2, h3] = [v6.hi[4 * i]!, v6.hi[4 * i + 1]!, v6.hi[4 * i + 2]!, v6.hi[4 * i + 3]!];
    h3 = (h3 + 1) >>> 0;
    if (h3 === 0) {
      h2 = (h2 + 1) >>> 0;
      if (h2 === 0) {
        h1 = (h1 + 1) >>> 0;
        if (h1 === 0) h0 = (h0 + 1) >>> 0;
      }
    }
    [n0, n1, n2, n3] = [h0, h1, h2, h3];
    open = n0 <= 0x3fffffff && !(n0 === 0 && n1 === 0 && n2 === 0 && n3 === 0);
  }
  if (open) {
    s6.push(n0, n1, n2, n3);
    c6.push(NONE);
  }
  const header: CountryTableHeader = { ...about, codes, v4: c4.length, v6: c6.length };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = (COUNTRY_MAGIC.length + 4 + headerBytes.length + 3) & ~3;
  const words = new Uint32Array(s4.length + c4.length + s6.length + c6.length);
  let w = 0;
  for (const x of s4) words[w++] = x;
  for (const x of c4) words[w++] = x;
  for (const x of s6) words[w++] = x;
  for (const x of c6) words[w++] = x;
  const out = Buffer.alloc(headerEnd + words.byteLength);
  COUNTRY_MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, COUNTRY_MAGIC.length);
  headerBytes.copy(out, COUNTRY_MAGIC.length + 4);
  Buffer.from(words.buffer, words.byteOffset, words.byteLength).copy(out, headerEnd);
  return out;
}

/** Scratch groups of the IPv6 reader. */
const GROUPS = new Uint16Array(8);

/** A compiled table, searched where its bytes are. */
export class CountryTable {
  private readonly v4Starts: number;
  private readonly v4Codes: number;
  private readonly v6Starts: number;
  private readonly v6Codes: number;

  private constructor(
    readonly header: CountryTableHeader,
    private readonly b: TableBytes,
    headerEnd: number,
  ) {
    this.v4Starts = headerEnd;
    this.v4Codes = this.v4Starts + 4 * header.v4;
    this.v6Starts = this.v4Codes + 4 * header.v4;
    this.v6Codes = this.v6Starts + 16 * header.v6;
  }

  /**
   * The table in `path`, or undefined when there is none or it is not a whole table of this layout (the
   * database is then read itself).
   */
  static open(path: string): CountryTable | undefined {
    let bytes: FileBytes;
    try {
      bytes = FileBytes.open(path);
    } catch {
      return undefined;
    }
    return CountryTable.over(bytes, bytes.read(0, 64 * 1024));
  }

  /** The table over `bytes` (its first bytes in `head`), or undefined when it is not a whole one. */
  static over(bytes: TableBytes, head: Buffer): CountryTable | undefined {
    const m = COUNTRY_MAGIC.length;
    if (head.length < m + 4 || !head.subarray(0, m).equals(COUNTRY_MAGIC)) return undefined;
    const len = head.readUInt32LE(m);
    if (m + 4 + len > head.length) return undefined;
    let h: CountryTableHeader;
    try {
      h = JSON.parse(head.toString('utf8', m + 4, m + 4 + len)) as CountryTableHeader;
    } catch {
      return undefined;
    }
    if (
      !Number.isSafeInteger(h.v4) ||
      !Number.isSafeInteger(h.v6) ||
      h.v4 < 1 ||
      h.v6 < 0 ||
      !Array.isArray(h.codes) ||
      typeof h.identity !== 'string' ||
      typeof h.built !== 'string'
    )
      return undefined;
    const headerEnd = (m + 4 + len + 3) & ~3;
    if (bytes.length !== headerEnd + 8 * h.v4 + 20 * h.v6) return undefined;
    return new CountryTable(h, bytes, headerEnd);
  }

  /** Whether the table was compiled from the database file at `path` as it is now (its size and time). */
  matches(path: string): boolean {
    try {
      const st = statSync(path);
      return st.size === this.header.source.size && st.mtimeMs === this.header.source.mtimeMs;
    } catch {
      return false;
    }
  }

  private code(index: number): string | undefined {
    return index === NONE ? undefined : this.header.codes[index];
  }

  /** Country of an IPv4 address given as its number. */
  countryV4(n: number): string | undefined {
    const i = lastStartV4(this.b, this.v4Starts, this.header.v4, n);
    return i < 0 ? undefined : this.code(this.b.word(this.v4Codes + 4 * i));
  }

  /** Country of an IPv6 address inside 2000::/3, given as four words, most significant first. */
  countryV6(w0: number, w1: number, w2: number, w3: number): string | undefined {
    const i = lastStartV6(this.b, this.v6Starts, this.header.v6, w0, w1, w2, w3);
    return i < 0 ? undefined : this.code(this.b.word(this.v6Codes + 4 * i));
  }

  /**
   * The country of an address the table can answer for (canonical IPv4 text, IPv6 in 2000::/3 without a zone):
   * `{ country }` (undefined when the database has none); undefined for any other address.
   */
  lookup(ip: string): { country: string | undefined } | undefined {
    const v4 = ipv4Value(ip);
    if (v4 >= 0) return ip.length === ipv4TextLength(v4) ? { country: this.countryV4(v4) } : undefined;
    if (ip.includes('%') || !ip.includes(':')) return undefined;
    const g = parseV6Groups(ip, GROUPS);
    if (!g) return undefined;
    const w0 = g[0]! * 65536 + g[1]!;
    if (w0 < 0x20000000 || w0 > 0x3fffffff) return undefined;
    return {
      country: this.countryV6(w0, g[2]! * 65536 + g[3]!, g[4]! * 65536 + g[5]!, g[6]! * 65536 + g[7]!),
    };
  }

  /** Pages of its file read so far (undefined in memory). */
  get pagesRead(): number | undefined {
    return this.b instanceof FileBytes ? this.b.pagesRead : undefined;
  }
}
