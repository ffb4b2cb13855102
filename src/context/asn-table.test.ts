// The ASN range table: building from CSV (gaps, quotes, overlaps, malformed rows), reading back, the real data
// set's answers for big providers, the fast IPv6 reader against the careful one, and corrupt tables.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv6Groups } from '../net/ip.js';
import {
  ASN_TABLE_PATH,
  ageInDays,
  asnPackageDir,
  dateFromVersion,
  loadAsnTable,
  staleNotice,
} from './asn-data.js';
import { AsnTable, CorruptTableError, compileAsnTable, MAGIC, parseV6Groups } from './asn-table.js';

const META = { dataset: 'test', version: '1.0.2026010112', dataDate: '2026-01-01' };

/** A table read from its file a page at a time: the bytes written to a file of their own first. */
function viaFile(bytes: Buffer): AsnTable {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-asn-file-'));
  const path = join(dir, 'asn.bin');
  writeFileSync(path, bytes);
  try {
    return AsnTable.openFile(path);
  } finally {
    // The table keeps its file open: removing the name leaves its pages readable.
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each([
  ['in memory', (b: Buffer) => AsnTable.fromBytes(b)],
  ['from its file', viaFile],
])('compileAsnTable, the table %s', (_how, open) => {
  // Documentation addresses only: 192.0.2.0/24 and 198.51.100.0/24 as numbers, 2001:db8::/32 as a decimal.
  const v4 = [
    '3221225984,3221226111,64500,"Example, Inc."', // 192.0.2.0 - 192.0.2.127
    '3221226112,3221226239,64501,Other Org', // 192.0.2.128 - 192.0.2.255
    'garbage line',
    '3325256704,3325256959,64500,"Example, Inc."', // 198.51.100.0/24
    '3325256800,3325256810,64999,Overlap', // inside the previous row: the earlier claim stands
  ].join('\n');
  const v6Start = BigInt('0x20010db8') << 96n;
  const v6 = `${v6Start},${v6Start + (1n << 96n) - 1n},64502,"Quote ""Q"" Ltd"\n`;
  const { bytes, skipped } = compileAsnTable(v4, v6, META, new Date('2026-02-01T00:00:00Z'));
  const table = open(bytes);

  it('answers inside ranges, nothing in gaps, and keeps organisations whole', () => {
    expect(table.lookup('192.0.2.1')).toEqual({ number: 64500, organization: 'Example, Inc.' });
    expect(table.lookup('192.0.2.200')).toEqual({ number: 64501, organization: 'Other Org' });
    expect(table.lookup('198.51.100.5')).toEqual({ number: 64500, organization: 'Example, Inc.' });
    expect(table.lookup('198.51.100.100')?.number).toBe(64500);
    expect(table.lookup('198.51.101.0')).toBeUndefined();
    expect(table.lookup('203.0.113.1')).toBeUndefined();
    expect(table.lookup('0.0.0.0')).toBeUndefined();
    expect(table.lookup('255.255.255.255')).toBeUndefined();
    expect(table.lookup('2001:db8::1')).toEqual({ number: 64502, organization: 'Quote "Q" Ltd' });
    expect(table.lookup('2001:db9::1')).toBeUndefined();
    expect(table.lookup('::ffff:192.0.2.1')?.number).toBe(64500);
    expect(table.lookup('not an address')).toBeUndefined();
  });
  it('counts malformed rows and stores each organisation once', () => {
    expect(skipped).toBe(1);
    expect(table.meta.counts.organizations).toBe(3); // the overlapped row never shows
    expect(table.meta).toMatchObject({ dataDate: '2026-01-01', builtAt: '2026-02-01T00:00:00.000Z' });
    expect(table.organizationsOf(64500)).toEqual(['Example, Inc.']);
  });
  it('refuses bytes that are not a whole table, with a reason', () => {
    expect(() => open(Buffer.from('hello world, not a table'))).toThrow(CorruptTableError);
    expect(() => open(bytes.subarray(0, bytes.length - 4))).toThrow(/cut short/);
    expect(() => open(bytes.subarray(0, 40))).toThrow(/cut short/);
    const bad = Buffer.from(bytes);
    bad.write('{', MAGIC.length + 4);
    bad.write('x', MAGIC.length + 5);
    expect(() => open(bad)).toThrow(CorruptTableError);
    // The names' offsets must end at the names' block: one byte more or less is a damaged table.
    expect(() => open(Buffer.concat([bytes, Buffer.alloc(1)]))).toThrow(/cut short/);
  });
  it('keeps long names whole, also where they cross a page of the file', () => {
    // Three names of 3,000 bytes: at least one of them crosses a 4 KB page boundary.
    const names = ['a', 'b', 'c'].map((x) => `${x}${'é'.repeat(1500)}${x}`);
    const rows = names.map((n, i) => `${3221225984 + 16 * i},${3221225999 + 16 * i},${64510 + i},"${n}"`);
    const t = open(compileAsnTable(rows.join('\n'), '', META).bytes);
    for (const [i, n] of names.entries())
      expect(t.lookup(`192.0.2.${16 * i + 3}`)).toEqual({ number: 64510 + i, organization: n });
  });
  it('keeps names that are not ASCII whole (decoded only when looked up)', () => {
    const t = open(compileAsnTable('3221225984,3221226239,64510,"中国电信 Ümlaut ""x"""\n', '', META).bytes);
    expect(t.lookup('192.0.2.9')).toEqual({ number: 64510, organization: '中国电信 Ümlaut "x"' });
  });
});

describe('IPv4 look-ups after the index by first 16 bits is built', () => {
  // Ranges that start at a block's first address, end at a block's last, span many blocks, leave gaps, and
  // several that start inside one block: the index must give what a search of every range gives.
  const B = 65_536;
  const rows: [number, number, number][] = [
    [0, 0, 64500],
    [5 * B, 5 * B + 9, 64501],
    [5 * B + 10, 5 * B + 10, 64502],
    [5 * B + 200, 6 * B - 1, 64503],
    [6 * B, 6 * B, 64504],
    [7 * B + 1, 300 * B + 77, 64505],
    [300 * B + 78, 300 * B + 78, 64506],
    [40_000 * B - 1, 40_000 * B, 64507],
    [65_535 * B, 2 ** 32 - 2, 64508],
  ];
  const { bytes } = compileAsnTable(rows.map(([a, b, n]) => `${a},${b},${n},AS${n}`).join('\n'), '', META);
  const expected = (n: number) => rows.find(([a, b]) => n >= a && n <= b)?.[2];
  const probes = new Set<number>([2 ** 32 - 1]);
  for (const [a, b] of rows)
    for (const n of [a - 1, a, a + 1, b - 1, b, b + 1, Math.floor((a + b) / 2)])
      if (n >= 0 && n < 2 ** 32) probes.add(n);
  for (let top = 0; top < 65_536; top += 97) for (const low of [0, 1, 65_535]) probes.add(top * B + low);

  it.each([
    ['in memory', (b: Buffer) => AsnTable.fromBytes(b)],
    ['from its file', viaFile],
  ])('%s: every probe before and after the index agrees with the ranges', (_how, open) => {
    const table = open(bytes);
    const before = [...probes].slice(0, 1000).map((n) => table.lookupV4(n)?.number);
    expect(before).toEqual([...probes].slice(0, 1000).map(expected));
    // Past 1,024 look-ups the index is built; every probe again, and the first thousand once more.
    const after = [...probes].map((n) => table.lookupV4(n)?.number);
    expect(after).toEqual([...probes].map(expected));
    expect(probes.size).toBeGreaterThan(2000);
  });
});

describe('name offsets out of order (a damaged table)', () => {
  const { bytes } = compileAsnTable(
    '3221225984,3221226111,64500,Alpha\n3221226112,3221226239,64501,Beta\n',
    '',
    META,
  );
  // The offsets of the two names sit just before the names' block ("AlphaBeta"): 0, 5, 9.
  const names = bytes.indexOf('AlphaBeta');
  const damaged = Buffer.from(bytes);
  damaged.writeUInt32LE(6, names - 12); // Alpha's start after its end
  it('refuses the table in memory at once, and gives no name for that entry from its file', () => {
    expect([0, 1, 2].map((i) => bytes.readUInt32LE(names - 12 + 4 * i))).toEqual([0, 5, 9]);
    expect(() => AsnTable.fromBytes(damaged)).toThrow(/inconsistent/);
    const t = viaFile(damaged);
    expect(t.lookup('192.0.2.1')).toEqual({ number: 64500, organization: '' });
    expect(t.lookup('192.0.2.200')).toEqual({ number: 64501, organization: 'Beta' });
  });
});

describe('a table at a path of its own', () => {
  it('is opened once per process however many enrichers ask (each open keeps a descriptor)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-asn-once-'));
    const path = join(dir, 'asn.bin');
    writeFileSync(path, compileAsnTable('3221225984,3221226111,64500,Alpha\n', '', META).bytes);
    const open = () => readdirSync('/proc/self/fd').length;
    expect(loadAsnTable(path, null).table?.lookup('192.0.2.1')?.number).toBe(64500);
    const before = open();
    for (let i = 0; i < 30; i++)
      expect(loadAsnTable(path, null).table?.lookup('192.0.2.1')?.number).toBe(64500);
    expect(open()).toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a table left by an earlier build', () => {
  it('is compiled again from the data package, not called corrupt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-asn-'));
    const path = join(dir, 'asn.bin');
    const old = Buffer.from(MAGIC);
    old[MAGIC.length - 1] = 1; // layout 1: names in the JSON header
    writeFileSync(path, Buffer.concat([old, Buffer.alloc(64)]));
    const load = loadAsnTable(path, asnPackageDir());
    expect(load.problem).toBeUndefined();
    expect(load.table?.lookup('1.1.1.1')?.number).toBe(13335);
    expect(readFileSync(path).subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the data set (offline look-ups in the installed @ip-location-db/asn)', () => {
  const load = loadAsnTable();
  const table = load.table!;
  it('loads', () => {
    expect(load.problem).toBeUndefined();
    expect(table.meta.counts.v4Ranges).toBeGreaterThan(100_000);
    expect(table.meta.dataDate).toMatch(/^20\d\d-\d\d-\d\d$/);
  });
  // Public addresses of the providers' own services, inside ranges the data set gives their ASNs.
  it.each([
    ['8.8.8.8', 15169, /Google/],
    ['2001:4860:4860::8888', 15169, /Google/],
    ['52.94.236.248', 16509, /Amazon/],
    ['54.239.28.85', 16509, /Amazon/],
    ['20.70.246.20', 8075, /Microsoft/],
    ['2603:1030::1', 8075, /Microsoft/],
    ['1.1.1.1', 13335, /Cloudflare/],
    ['2606:4700:4700::1111', 13335, /Cloudflare/],
  ])('%s is AS%i', (ip, asn, org) => {
    const hit = table.lookup(ip);
    expect(hit?.number).toBe(asn);
    expect(hit?.organization).toMatch(org);
  });
  it.each(['192.0.2.1', '198.51.100.7', '203.0.113.9', '2001:db8::1', '10.0.0.1', '127.0.0.1'])(
    'documentation and private address %s has no owner',
    (ip) => expect(table.lookup(ip)).toBeUndefined(),
  );
  it('agrees with the CSV rows it was compiled from (every 97th IPv4 row, every 31st IPv6 row: first, middle, last address)', () => {
    const dir = asnPackageDir()!;
    const mismatches: string[] = [];
    let checked = 0;
    const v4 = readFileSync(join(dir, 'asn-ipv4-num.csv'), 'utf8').split('\n');
    for (let i = 0; i < v4.length; i += 97) {
      const [a, b, asn] = v4[i]!.split(',');
      if (!a || !b) continue;
      for (const n of [Number(a), Math.floor((Number(a) + Number(b)) / 2), Number(b)]) {
        checked++;
        if (table.lookupV4(n)?.number !== Number(asn)) mismatches.push(`${v4[i]} at ${n}`);
      }
    }
    const v6 = readFileSync(join(dir, 'asn-ipv6-num.csv'), 'utf8').split('\n');
    const words = (x: bigint) =>
      [96n, 64n, 32n, 0n].map((s) => Number((x >> s) & 0xffffffffn)) as [number, number, number, number];
    for (let i = 0; i < v6.length; i += 31) {
      const [a, b, asn] = v6[i]!.split(',');
      if (!a || !b) continue;
      for (const n of [BigInt(a), (BigInt(a) + BigInt(b)) / 2n, BigInt(b)]) {
        checked++;
        if (table.lookupV6(...words(n))?.number !== Number(asn)) mismatches.push(`${v6[i]} at ${n}`);
      }
    }
    expect(checked).toBeGreaterThan(20_000);
    // Overlapping rows are resolved in favour of the earlier one; the data set has (almost) none.
    expect(mismatches.length, mismatches.slice(0, 5).join('\n')).toBeLessThanOrEqual(checked / 1000);
  });
  it('is read from its file a few pages at a time, not whole', () => {
    const t = AsnTable.openFile(ASN_TABLE_PATH);
    expect(t.lookup('1.1.1.1')?.number).toBe(13335);
    expect(t.lookup('2606:4700:4700::1111')?.number).toBe(13335);
    // Two bisections over ~500,000 and ~100,000 ranges, their entries and names: about 20 pages each.
    expect(t.pagesRead).toBeGreaterThan(5);
    expect(t.pagesRead).toBeLessThan(80);
    expect(readFileSync(ASN_TABLE_PATH).length / 4096).toBeGreaterThan(1000);
  });
  it('is kept compiled for the next run', () => {
    expect(readFileSync(ASN_TABLE_PATH).subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
  });
});

describe('freshness', () => {
  it('reads the date from the package version', () => {
    expect(dateFromVersion('2.3.2026061719')).toBe('2026-06-17');
    expect(dateFromVersion('1.0.0')).toBeUndefined();
  });
  it('says when the data is older than 90 days, with how to update', () => {
    const now = Date.parse('2026-12-05T00:00:00Z');
    expect(ageInDays('2026-06-17', now)).toBe(171);
    expect(staleNotice('2026-06-17', now)?.en).toMatch(
      /more than 90 days ago.*npm update @ip-location-db\/asn/,
    );
    expect(staleNotice('2026-11-01', now)).toBeUndefined();
  });
});

describe('parseV6Groups', () => {
  const groupsArb = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
  it('reads every spelling as the careful reader does', () => {
    fc.assert(
      fc.property(groupsArb, fc.nat(8), fc.nat(8), (g, a, b) => {
        const full = g.map((x) => x.toString(16)).join(':');
        // Compress a run of groups into `::` (any run, even of non-zero groups: then both must refuse or agree).
        const from = Math.min(a, b);
        const to = Math.max(a, b);
        const text = `${g
          .slice(0, from)
          .map((x) => x.toString(16))
          .join(':')}::${g
          .slice(to)
          .map((x) => x.toString(16))
          .join(':')}`;
        for (const s of [full, text, full.toUpperCase()]) {
          const mine = parseV6Groups(s, new Uint16Array(8));
          const theirs = ipv6Groups(s);
          expect(mine ? [...mine] : null).toEqual(theirs);
        }
      }),
    );
  });
});
