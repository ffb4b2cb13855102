// The offline IP -> ASN + organisation table: a compact binary range table (sorted range starts, an entry
// index per range, organisation names stored once) built from the @ip-location-db/asn CSV, searched by bisection.
// Names sit in one UTF-8 block behind an offset array and are decoded only when looked up: reading 81,000 names
// as JSON took 17 ms of every `fwlens explain` (layout 1), for the one or two names it shows.
import { ipv4Value, ipv6Groups } from '../net/ip.js';
import { BufferBytes, FileBytes, lastStartV4, lastStartV6, type TableBytes } from './table-bytes.js';

/** Scratch groups of the IPv6 reader (one look-up at a time: no array per address). */
const GROUPS = new Uint16Array(8);

/**
 * The 8 groups of an IPv6 address read in one pass into `out` (hex groups, one `::`, a dotted IPv4 tail,
 * a `%zone` suffix ignored); null when it is not one. Falls back to the careful reader for dotted tails.
 */
export function parseV6Groups(s: string, out: Uint16Array): Uint16Array | null {
  const n = s.length;
  if (n < 2 || n > 45) return null;
  let count = 0;
  let gap = -1;
  let value = 0;
  let digits = 0;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return null;
    gap = 0;
    i = 2;
  }
  for (; i <= n; i++) {
    const c = i === n ? 58 : s.charCodeAt(i);
    if (c === 37) {
      // zone index: the address ends here
      return parseV6Groups(s.slice(0, i), out);
    }
    if (c === 58) {
      if (digits === 0) {
        if (i === n && gap === count && count > 0) break; // trailing ::
        if (i === n && gap === 0 && count === 0) break; // ::
        if (gap >= 0 || i === n || s.charCodeAt(i - 1) !== 58) return null;
        gap = count;
        continue;
      }
      if (count === 8) return null;
      out[count++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (c === 46) {
      const g = ipv6Groups(s);
      if (!g) return null;
      for (let k = 0; k < 8; k++) out[k] = g[k]!;
      return out;
    }
    const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (h < 0 || ++digits > 4) return null;
    value = value * 16 + h;
  }
  if (gap < 0) return count === 8 ? out : null;
  if (count > 7) return null;
  const tail = count - gap;
  for (let k = 0; k < tail; k++) out[7 - k] = out[count - 1 - k]!;
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  return out;
}

/** Who announces an address: autonomous system number and the organisation holding it. */
export interface AsnInfo {
  number: number;
  organization: string;
}

/** What the compiled table records about the data it came from. */
export interface AsnTableMeta {
  /** Table layout version (MAGIC carries it too). */
  format: 2;
  /** Package the data came from and its version. */
  dataset: string;
  version: string;
  /** Day the data set was made (YYYY-MM-DD), read from the package version or the files' date. */
  dataDate: string;
  /** When the table was compiled (ISO time). */
  builtAt: string;
  counts: { v4Ranges: number; v6Ranges: number; entries: number; organizations: number };
}

/** First bytes of a compiled table; the last byte is the layout version. */
export const MAGIC = Buffer.from('FWLASN\0\x02', 'latin1');

/** Longest header read (the JSON header is a few hundred bytes). */
const MAX_HEADER_BYTES = 64 * 1024;

/** Entry index of a gap between published ranges (no AS announces it). */
const NONE = 0xffffffff;

type Header = AsnTableMeta;

/** Reads the last CSV field, which may be quoted ("Cloudflare, Inc.") with doubled quotes inside. */
function lastField(line: string, from: number): string {
  if (line.charCodeAt(from) !== 34) return line.slice(from).trim();
  let end = line.lastIndexOf('"');
  if (end <= from) end = line.length;
  return line.slice(from + 1, end).replace(/""/g, '"');
}

/** One parsed CSV row: start and end as numbers (IPv4) or 128-bit BigInts (IPv6), ASN, organisation. */
interface Row<N> {
  start: N;
  end: N;
  asn: number;
  org: string;
}

/** Rows of a `-num.csv` file (start,end,asn,organisation); malformed rows are counted and skipped. */
function* csvRows<N>(text: string, num: (s: string) => N): Generator<Row<N> | null> {
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.charCodeAt(nl - 1) === 13 ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    pos = nl + 1;
    if (line === '') continue;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0 || c3 < 0) {
      yield null;
      continue;
    }
    const asn = Number(line.slice(c2 + 1, c3));
    try {
      const start = num(line.slice(0, c1));
      const end = num(line.slice(c1 + 1, c2));
      if (!Number.isInteger(asn) || asn < 0 || asn > 0xffffffff) yield null;
      else yield { start, end, asn, org: lastField(line, c3 + 1) };
    } catch {
      yield null;
    }
  }
}

/** Interns (ASN, organisation) pairs and organisation names while a table is being built. */
class EntryIndex {
  readonly asns: number[] = [];
  readonly orgOf: number[] = [];
  readonly organizations: string[] = [];
  private readonly byPair = new Map<string, number>();
  private readonly byOrg = new Map<string, number>();

  id(asn: number, org: string): number {
    const key = `${asn}\t${org}`;
    let id = this.byPair.get(key);
    if (id === undefined) {
      let o = this.byOrg.get(org);
      if (o === undefined) {
        o = this.organizations.length;
        this.organizations.push(org);
        this.byOrg.set(org, o);
      }
      id = this.asns.length;
      this.asns.push(asn);
      this.orgOf.push(o);
      this.byPair.set(key, id);
    }
    return id;
  }
}

const V4_END = 0xffffffff;
const V6_END = (1n << 128n) - 1n;

/**
 * Turn rows sorted by start into range starts + entry index, with gaps marked NONE and neighbours of one
 * entry merged. Overlapping rows (rare) keep the earlier row's claim until it ends.
 */
function cut<N extends number | bigint>(
  rows: Iterable<Row<N> | null>,
  entries: EntryIndex,
  one: N,
  zero: N,
  max: N,
): { starts: N[]; ids: number[]; skipped: number } {
  const sorted: Row<N>[] = [];
  let skipped = 0;
  for (const r of rows) {
    if (r === null || r.end < r.start) skipped++;
    else sorted.push(r);
  }
  sorted.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const starts: N[] = [];
  const ids: number[] = [];
  const push = (start: N, id: number) => {
    if (ids.length > 0 && ids[ids.length - 1] === id) return;
    if (starts.length > 0 && starts[starts.length - 1] === start) {
      ids[ids.length - 1] = id;
      return;
    }
    starts.push(start);
    ids.push(id);
  };
  // `next` is the first address not yet covered; `done` once a range reached the last address.
  let next: N = zero;
  let done = false;
  for (const r of sorted) {
    if (done) break;
    if (r.end < next) continue;
    const from = r.start > next ? r.start : next;
    if (from > next) push(next, NONE);
    push(from, entries.id(r.asn, r.org));
    if (r.end === max) done = true;
    else next = ((r.end as unknown as number) + (one as unknown as number)) as unknown as N;
  }
  if (!done) push(next, NONE);
  return { starts, ids, skipped };
}

/** Pad a byte count to a multiple of 4 (typed arrays need aligned offsets). */
const align4 = (n: number) => (n + 3) & ~3;

/**
 * Compile the two `-num.csv` files of @ip-location-db/asn into the binary table. `meta` names the data
 * set, its version and date. Returns the bytes and how many malformed rows were skipped.
 */
export function compileAsnTable(
  v4Csv: string,
  v6Csv: string,
  meta: Pick<AsnTableMeta, 'dataset' | 'version' | 'dataDate'>,
  builtAt = new Date(),
): { bytes: Buffer; skipped: number } {
  const entries = new EntryIndex();
  const v4 = cut(csvRows(v4Csv, Number), entries, 1, 0, V4_END);
  const v6 = cut(csvRows(v6Csv, BigInt), entries, 1n, 0n, V6_END);
  const header: Header = {
    format: 2,
    ...meta,
    builtAt: builtAt.toISOString(),
    counts: {
      v4Ranges: v4.starts.length,
      v6Ranges: v6.starts.length,
      entries: entries.asns.length,
      organizations: entries.organizations.length,
    },
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = align4(MAGIC.length + 4 + headerBytes.length);
  const names = entries.organizations.map((o) => Buffer.from(o, 'utf8'));
  const namesBytes = names.reduce((n, b) => n + b.length, 0);
  // see the read order in fromBytes
  const words = v4.starts.length * 2 + v6.starts.length * 5 + entries.asns.length * 2 + (names.length + 1);
  const out = Buffer.alloc(headerEnd + words * 4 + namesBytes);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, MAGIC.length + 4);
  const body = new Uint32Array(out.buffer, out.byteOffset + headerEnd, words);
  let w = 0;
  for (const s of v4.starts) body[w++] = s;
  for (const id of v4.ids) body[w++] = id;
  for (const s of v6.starts) {
    body[w++] = Number((s >> 96n) & 0xffffffffn);
    body[w++] = Number((s >> 64n) & 0xffffffffn);
    body[w++] = Number((s >> 32n) & 0xffffffffn);
    body[w++] = Number(s & 0xffffffffn);
  }
  for (const id of v6.ids) body[w++] = id;
  for (const a of entries.asns) body[w++] = a;
  for (const o of entries.orgOf) body[w++] = o;
  let at = 0;
  for (const b of names) {
    body[w++] = at;
    b.copy(out, headerEnd + words * 4 + at);
    at += b.length;
  }
  body[w++] = at;
  return { bytes: out, skipped: v4.skipped + v6.skipped };
}

/** A table that cannot be read: wrong magic, cut short, or inconsistent counts. */
export class CorruptTableError extends Error {}

/** Byte offsets of a table's sections (after its header), from its counts. */
interface Sections {
  v4Starts: number;
  v4Ids: number;
  v6Starts: number;
  v6Ids: number;
  entryAsn: number;
  entryOrg: number;
  nameAt: number;
  /** Where the names' UTF-8 block starts. */
  names: number;
}

/**
 * The compiled table, searched where its bytes are: in memory (`fromBytes`, nothing copied) or in its file,
 * read a page at a time as look-ups need them (`openFile`).
 */
export class AsnTable {
  private constructor(
    readonly meta: AsnTableMeta,
    private readonly b: TableBytes,
    private readonly at: Sections,
    /** Bytes of the names' block. */
    private readonly namesLength: number,
  ) {}

  /** Read a compiled table; throws CorruptTableError when the bytes are not one. */
  static fromBytes(input: Buffer): AsnTable {
    const bytes = new BufferBytes(input);
    const table = AsnTable.over(bytes, bytes.head(MAX_HEADER_BYTES));
    // Every name's offsets in order (a file-backed table checks each one when it reads it).
    const { nameAt } = table.at;
    const n = table.meta.counts.organizations;
    for (let i = 0; i < n; i++)
      if (bytes.word(nameAt + 4 * i) > bytes.word(nameAt + 4 * (i + 1)))
        throw new CorruptTableError('the table header is inconsistent');
    return table;
  }

  /**
   * Open a compiled table's file for look-ups that read only the pages they need; throws CorruptTableError when
   * it is not a whole table, and as `openSync` does when it cannot be read.
   */
  static openFile(path: string): AsnTable {
    const bytes = FileBytes.open(path);
    return AsnTable.over(bytes, bytes.read(0, MAX_HEADER_BYTES));
  }

  /** The table over its bytes, its header read from `head` (the first bytes) and its size checked. */
  private static over(bytes: TableBytes, head: Buffer): AsnTable {
    if (head.length < MAGIC.length + 4 || !head.subarray(0, MAGIC.length).equals(MAGIC))
      throw new CorruptTableError('not an fwlens ASN table (wrong first bytes)');
    const headerLen = head.readUInt32LE(MAGIC.length);
    const headerEnd = align4(MAGIC.length + 4 + headerLen);
    if (headerEnd > bytes.length || MAGIC.length + 4 + headerLen > head.length)
      throw new CorruptTableError('the table is cut short (header)');
    let header: Header;
    try {
      header = JSON.parse(head.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLen)) as Header;
    } catch {
      throw new CorruptTableError('the table header is not readable');
    }
    const c = header.counts;
    if (!c || header.format !== 2 || !(c.organizations >= 0))
      throw new CorruptTableError('the table header is inconsistent');
    let at = headerEnd;
    const take = (words: number) => {
      const from = at;
      at += words * 4;
      return from;
    };
    const sections: Sections = {
      v4Starts: take(c.v4Ranges),
      v4Ids: take(c.v4Ranges),
      v6Starts: take(c.v6Ranges * 4),
      v6Ids: take(c.v6Ranges),
      entryAsn: take(c.entries),
      entryOrg: take(c.entries),
      nameAt: take(c.organizations + 1),
      names: at,
    };
    if (at > bytes.length) throw new CorruptTableError('the table is cut short (ranges)');
    const namesLength = bytes.word(sections.nameAt + 4 * c.organizations);
    // The names' offsets must end at the names' block: one byte more or less is a damaged table.
    if (at + namesLength !== bytes.length) throw new CorruptTableError('the table is cut short (names)');
    return new AsnTable(header, bytes, sections, namesLength);
  }

  /** Pages of the table's file read so far (undefined for a table in memory): a look-up reads a few. */
  get pagesRead(): number | undefined {
    return this.b instanceof FileBytes ? this.b.pagesRead : undefined;
  }

  /** Organisation name number `i` ('' when out of range or its offsets are not in order). */
  private organization(i: number): string {
    if (!(i >= 0 && i < this.meta.counts.organizations)) return '';
    const from = this.b.word(this.at.nameAt + 4 * i);
    const to = this.b.word(this.at.nameAt + 4 * (i + 1));
    if (from > to || to > this.namesLength) return '';
    return this.b.text(this.at.names + from, this.at.names + to);
  }

  private entry(id: number): AsnInfo | undefined {
    if (id < 0 || id === NONE || id >= this.meta.counts.entries) return undefined;
    return {
      number: this.b.word(this.at.entryAsn + 4 * id),
      organization: this.organization(this.b.word(this.at.entryOrg + 4 * id)),
    };
  }

  /** ASN of an IPv4 address given as its unsigned 32-bit number. */
  lookupV4(n: number): AsnInfo | undefined {
    return this.entry(this.entryIdV4(n));
  }

  /** ASN of an IPv6 address given as four 32-bit words, most significant first. */
  lookupV6(w0: number, w1: number, w2: number, w3: number): AsnInfo | undefined {
    return this.entry(this.entryIdV6(w0, w1, w2, w3));
  }

  /** ASN and organisation of an address (IPv4, IPv6, IPv4-mapped IPv6), or undefined when none announces it. */
  lookup(ip: string): AsnInfo | undefined {
    return this.entry(this.entryId(ip));
  }

  /**
   * Number of the entry (AS number and organisation) announcing an address, -1 when none does: a look-up that
   * makes no text, for callers that decide per entry (`entryInfo`) and remember what they decided.
   */
  entryId(ip: string): number {
    const v4 = ipv4Value(ip);
    if (v4 >= 0) return this.entryIdV4(v4);
    const g = parseV6Groups(ip, GROUPS);
    if (!g) return -1;
    if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff)
      return this.entryIdV4(g[6]! * 65536 + g[7]!);
    return this.entryIdV6(
      g[0]! * 65536 + g[1]!,
      g[2]! * 65536 + g[3]!,
      g[4]! * 65536 + g[5]!,
      g[6]! * 65536 + g[7]!,
    );
  }

  /** Entries in the table: `entryId` gives numbers below this. */
  get entryCount(): number {
    return this.meta.counts.entries;
  }

  /** AS number and organisation of entry `id` (undefined for -1 or out of range). */
  entryInfo(id: number): AsnInfo | undefined {
    return this.entry(id);
  }

  private entryIdV4(n: number): number {
    const i = this.rangeIndexV4(n);
    return i < 0 ? -1 : this.validId(this.b.word(this.at.v4Ids + 4 * i));
  }

  /** IPv4 look-ups so far, until the index by first 16 bits is built. */
  private v4LookUps = 0;
  /**
   * Per value of an address's first 16 bits, the last range starting at or before the block's first address
   * (-1: none), and one more entry for the end: a look-up then searches only the ranges starting inside its
   * block (a few) instead of all 470,000 (~19 reads, most of them cache misses). Built after the first 1,024
   * look-ups (an analysis scoring many sources), not for `explain` of one line.
   */
  private v4Blocks?: Int32Array;

  private rangeIndexV4(n: number): number {
    const count = this.meta.counts.v4Ranges;
    if (!this.v4Blocks) {
      if (++this.v4LookUps <= 1024) return lastStartV4(this.b, this.at.v4Starts, count, n);
      this.v4Blocks = this.buildV4Blocks();
    }
    const top = n >>> 16;
    // Ranges that can hold n: from the last one starting at or before its block to the last before the next block.
    let lo = this.v4Blocks[top]!;
    let hi = this.v4Blocks[top + 1]!;
    const at = this.at.v4Starts;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.b.word(at + 4 * mid) <= n) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private buildV4Blocks(): Int32Array {
    const count = this.meta.counts.v4Ranges;
    const at = this.at.v4Starts;
    // Every start is read now, and the look-ups that follow read starts and ids all over: both sections in one
    // read instead of ~900 pages one at a time.
    this.b.prefetch?.(at, this.at.v6Starts);
    const blocks = new Int32Array(65_537);
    let i = -1;
    for (let top = 0; top <= 65_536; top++) {
      const first = top * 65_536;
      while (i + 1 < count && this.b.word(at + 4 * (i + 1)) <= first) i++;
      blocks[top] = i;
    }
    // The end entry bounds the last block's search: the last range of all.
    blocks[65_536] = count - 1;
    return blocks;
  }

  private entryIdV6(w0: number, w1: number, w2: number, w3: number): number {
    const i = lastStartV6(this.b, this.at.v6Starts, this.meta.counts.v6Ranges, w0, w1, w2, w3);
    return i < 0 ? -1 : this.validId(this.b.word(this.at.v6Ids + 4 * i));
  }

  private validId(id: number): number {
    return id === NONE || id >= this.meta.counts.entries ? -1 : id;
  }

  /** Every organisation name the table holds for an ASN (for tests and the scanner list's checks). */
  organizationsOf(asn: number): string[] {
    const out = new Set<string>();
    for (let i = 0; i < this.meta.counts.entries; i++)
      if (this.b.word(this.at.entryAsn + 4 * i) === asn)
        out.add(this.organization(this.b.word(this.at.entryOrg + 4 * i)));
    return [...out];
  }

  /** First IPv4 address (as a number) of a range announced by the ASN, for tests that need a real address. */
  firstV4Of(asn: number): number | undefined {
    for (let i = 0; i < this.meta.counts.v4Ranges; i++) {
      const id = this.b.word(this.at.v4Ids + 4 * i);
      if (id !== NONE && id < this.meta.counts.entries && this.b.word(this.at.entryAsn + 4 * id) === asn)
        return this.b.word(this.at.v4Starts + 4 * i);
    }
    return undefined;
  }
}
