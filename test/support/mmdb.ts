// A small MaxMind DB (.mmdb) writer for tests: crafted country databases (hostile names, odd records, damage),
// following the MaxMind DB File Format Specification 2.0: a binary search tree of 24-bit records, 16 zero
// bytes, the data section, then "\xAB\xCD\xEFMaxMind.com" and the metadata map. IPv6 tree; IPv4 networks
// are written in ::/96, where readers look for them.
import { writeFileSync } from 'node:fs';

/** A value of the data section: UTF-8 string, unsigned 32-bit integer, boolean, array or map. */
export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue };

/** What the metadata says besides the tree's size; `buildEpoch: null` leaves the build time out. */
export interface MmdbMeta {
  /** Seconds since 1970; default 2026-06-01. */
  buildEpoch?: number | null;
  databaseType?: string;
}

const TYPE = { string: 2, map: 7, uint32: 6, array: 11, boolean: 14 } as const;

/** Control byte(s) of a value of `type` and `size` (extended types take a second byte, sizes may take 1-3 more). */
function control(type: number, size: number): Buffer {
  const head = [(type <= 7 ? type : 0) << 5];
  if (type > 7) head.push(type - 7);
  let tail: number[] = [];
  if (size < 29) head[0]! |= size;
  else if (size < 285) {
    head[0]! |= 29;
    tail = [size - 29];
  } else if (size < 65_821) {
    head[0]! |= 30;
    tail = [(size - 285) >> 8, (size - 285) & 0xff];
  } else {
    head[0]! |= 31;
    const n = size - 65_821;
    tail = [n >> 16, (n >> 8) & 0xff, n & 0xff];
  }
  return Buffer.from([...head, ...tail]);
}

/** One value encoded for the data section (no pointers: each value written whole). */
export function encodeValue(v: MmdbValue): Buffer {
  if (typeof v === 'string') {
    const bytes = Buffer.from(v, 'utf8');
    return Buffer.concat([control(TYPE.string, bytes.length), bytes]);
  }
  if (typeof v === 'boolean') return control(TYPE.boolean, v ? 1 : 0);
  if (typeof v === 'number') {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(v >>> 0);
    const start = bytes.findIndex((b) => b !== 0);
    const used = start < 0 ? Buffer.alloc(0) : bytes.subarray(start);
    return Buffer.concat([control(TYPE.uint32, used.length), used]);
  }
  if (Array.isArray(v)) return Buffer.concat([control(TYPE.array, v.length), ...v.map(encodeValue)]);
  const entries = Object.entries(v);
  return Buffer.concat([
    control(TYPE.map, entries.length),
    ...entries.flatMap(([k, x]) => [encodeValue(k), encodeValue(x)]),
  ]);
}

/** The 128 bits of an address in ::/96 (IPv4) or of an IPv6 address, as 0/1 numbers, first bit first. */
function addressBits(ip: string): number[] {
  let words: number[];
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const h = head === '' ? [] : head.split(':');
    const t = tail === undefined || tail === '' ? [] : tail.split(':');
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    words = groups.map((g) => Number.parseInt(g, 16));
  } else {
    const o = ip.split('.').map(Number);
    words = [0, 0, 0, 0, 0, 0, (o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
  }
  return words.flatMap((w) => Array.from({ length: 16 }, (_, i) => (w >> (15 - i)) & 1));
}

/**
 * A database answering `data` for each network (`192.0.2.0/24`, `2001:db8::/32`; IPv4 prefixes count from
 * the IPv4 address's first bit). Networks must not overlap.
 */
export function writeMmdb(networks: { cidr: string; data: MmdbValue }[], meta: MmdbMeta = {}): Buffer {
  type Child = number | { leaf: number } | undefined; // node index, data offset, nothing
  const nodes: [Child, Child][] = [[undefined, undefined]];
  const dataParts: Buffer[] = [];
  const offsets = new Map<string, number>();
  let dataLength = 0;
  for (const { cidr, data } of networks) {
    const [ip, len] = cidr.split('/') as [string, string];
    const bits = addressBits(ip).slice(0, Number(len) + (ip.includes(':') ? 0 : 96));
    const key = JSON.stringify(data);
    let offset = offsets.get(key);
    if (offset === undefined) {
      offset = dataLength;
      const bytes = encodeValue(data);
      dataParts.push(bytes);
      dataLength += bytes.length;
      offsets.set(key, offset);
    }
    let node = 0;
    bits.forEach((bit, depth) => {
      if (depth === bits.length - 1) nodes[node]![bit] = { leaf: offset };
      else {
        let next = nodes[node]![bit];
        if (typeof next !== 'number') {
          next = nodes.length;
          nodes.push([undefined, undefined]);
          nodes[node]![bit] = next;
        }
        node = next;
      }
    });
  }
  const count = nodes.length;
  const record = (c: Child) => (c === undefined ? count : typeof c === 'number' ? c : count + 16 + c.leaf);
  return mmdbFromTree(
    nodes.map(([l, r]) => [record(l), record(r)]),
    Buffer.concat(dataParts),
    meta,
  );
}

/**
 * A database of the given search tree records as they are ([left, right] per node: a node number, the node
 * count for "nothing", or node count + 16 + an offset into `data`) and data section: a tree shaped as no
 * writer would make it (shared subtrees, loops) is written as given.
 */
export function mmdbFromTree(records: [number, number][], data: Buffer, meta: MmdbMeta = {}): Buffer {
  const count = records.length;
  const tree = Buffer.alloc(count * 6);
  records.forEach(([l, r], i) => {
    tree.writeUIntBE(l, i * 6, 3);
    tree.writeUIntBE(r, i * 6 + 3, 3);
  });
  const metadata: Record<string, MmdbValue> = {
    node_count: count,
    record_size: 24,
    ip_version: 6,
    database_type: meta.databaseType ?? 'fwlens-test-country',
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    description: { en: 'fwlens test database' },
  };
  const epoch = meta.buildEpoch === undefined ? Date.UTC(2026, 5, 1) / 1000 : meta.buildEpoch;
  if (epoch !== null) metadata['build_epoch'] = epoch;
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    data,
    Buffer.from([0xab, 0xcd, 0xef]),
    Buffer.from('MaxMind.com', 'ascii'),
    encodeValue(metadata),
  ]);
}

/**
 * A country name a crafted database may carry (under 64 characters, so no reader cuts it): a screen clear, an
 * OSC 8 hyperlink, BEL, the 8-bit CSI (U+009B), a right-to-left override, NUL, a line feed and an element whose
 * handler would set `window.__pwn`.
 */
export const HOSTILE_COUNTRY =
  '\u001b[2J\u001b]8;;http:x\u0007\u009b1m\u202eR\u0000\n<img src=x onerror=window.__pwn=1>';

/** HOSTILE_COUNTRY as every terminal and page output shows it (src/util/visible.ts). */
export const HOSTILE_COUNTRY_SHOWN =
  '␛[2J␛]8;;http:x␇<U+009B>1m<U+202E>R␀␊<img src=x onerror=window.__pwn=1>';

/** Write a country database at `path` answering each network with its value as MaxMind's `country.iso_code`. */
export function hostileCountryDb(path: string, countries: Record<string, MmdbValue>): string {
  writeFileSync(
    path,
    writeMmdb(
      Object.entries(countries).map(([cidr, iso_code]) => ({ cidr, data: { country: { iso_code } } })),
    ),
  );
  return path;
}
