// The compiled country table of the bundled database: the same answers as the database itself at every kind
// of address (range edges, random IPv4 and public IPv6, addresses it leaves to the database), read a few pages
// at a time, and never used when it was made from another file or is damaged.
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { intToIpv4 } from '../net/ip.js';
import { CountryTable, compileCountryTable } from './country-table.js';
import { bundledCountryDb, bundledReader, type CountryReader, openMmdbReader } from './geo.js';

const db = bundledCountryDb()!;
const mmdb = openMmdbReader(db, true).reader!;
const v4 = mmdb.ipv4Networks()!;
const v6 = mmdb.ipv6Networks()!;
const { size, mtimeMs } = statSync(db);
const bytes = compileCountryTable(v4, v6, {
  source: { size, mtimeMs },
  identity: mmdb.identity,
  built: mmdb.built,
});
const dir = mkdtempSync(join(tmpdir(), 'fwlens-country-'));
const tablePath = join(dir, 'country.bin');
writeFileSync(tablePath, bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IPv6 address from four 32-bit words. */
function v6Text(w: ArrayLike<number>, i = 0): string {
  const groups: string[] = [];
  for (let k = 0; k < 4; k++) groups.push((w[i + k]! >>> 16).toString(16), (w[i + k]! & 0xffff).toString(16));
  return groups.join(':');
}

describe('the compiled table of the bundled country database', () => {
  const table = CountryTable.open(tablePath)!;

  it('is a whole table, made from the database as it is, and much shorter than its networks', () => {
    expect(table).toBeDefined();
    expect(table.matches(db)).toBe(true);
    expect(table.header.identity).toBe(mmdb.identity);
    expect(v4.lo.length).toBeGreaterThan(100_000);
    // Neighbouring networks of one country are one range: fewer ranges than networks, gaps included.
    expect(table.header.v4).toBeLessThan(v4.lo.length);
  });

  it('answers as the database at the first, last and middle address of every 53rd network and next to it', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (let i = 0; i < v4.lo.length; i += 53) {
      for (const n of [
        v4.lo[i]! - 1,
        v4.lo[i]!,
        Math.floor((v4.lo[i]! + v4.hi[i]!) / 2),
        v4.hi[i]!,
        v4.hi[i]! + 1,
      ]) {
        if (n < 0 || n > 0xffffffff) continue;
        const ip = intToIpv4(n);
        checked++;
        if (table.lookup(ip)?.country !== mmdb.country(ip)) wrong.push(ip);
      }
    }
    for (let i = 0; i < v6.country.length; i += 53) {
      for (const ip of [v6Text(v6.lo, 4 * i), v6Text(v6.hi, 4 * i)]) {
        checked++;
        if (table.lookup(ip)?.country !== mmdb.country(ip)) wrong.push(ip);
      }
    }
    expect(checked).toBeGreaterThan(40_000);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('answers as the database at random IPv4 and public IPv6 addresses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const ip = intToIpv4(n);
        expect(table.lookup(ip)?.country).toBe(mmdb.country(ip));
      }),
      { numRuns: 3000 },
    );
    const words = fc.tuple(
      fc.integer({ min: 0x20000000, max: 0x3fffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
    );
    fc.assert(
      fc.property(words, (w) => {
        const ip = v6Text(w);
        expect(table.lookup(ip)).toBeDefined();
        expect(table.lookup(ip)?.country).toBe(mmdb.country(ip));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves what it does not hold to the database, and the reader then asks it', () => {
    const reader: CountryReader = bundledReader(db, tablePath).reader!;
    for (const ip of [
      '::ffff:8.8.8.8',
      'fe80::1',
      '64:ff9b::808:808',
      '008.008.008.008',
      'fe80::1%eth0',
      'x',
    ]) {
      expect(table.lookup(ip), ip).toBeUndefined();
      expect(reader.country(ip), ip).toBe(mmdb.country(ip));
    }
    for (const ip of ['8.8.8.8', '2001:4860:4860::8888', '1.1.1.1', '192.0.2.1', '2001:db8::1'])
      expect(reader.country(ip), ip).toBe(mmdb.country(ip));
    expect(reader.identity).toBe(mmdb.identity);
    expect(reader.built).toBe(mmdb.built);
    expect(reader.network('8.8.8.8')).toEqual(mmdb.network('8.8.8.8'));
  });

  it('is opened once per process however many readers ask (a library calling analyze() again and again)', () => {
    const open = () => readdirSync('/proc/self/fd').length;
    bundledReader(db, tablePath);
    const before = open();
    for (let i = 0; i < 50; i++) expect(bundledReader(db, tablePath).reader!.country('8.8.8.8')).toBe('US');
    expect(open()).toBe(before);
  });

  it('reads a few pages of its file for a look-up, not the file', () => {
    const fresh = CountryTable.open(tablePath)!;
    fresh.lookup('8.8.8.8');
    fresh.lookup('2001:4860:4860::8888');
    expect(fresh.pagesRead).toBeGreaterThan(2);
    expect(fresh.pagesRead).toBeLessThan(60);
    expect(bytes.length / 4096).toBeGreaterThan(1000);
  });
});

describe('a compiled table that does not fit', () => {
  it('is not used once the database file changed (its time or size)', () => {
    const copy = join(dir, 'copy.mmdb');
    writeFileSync(copy, Buffer.alloc(16));
    // The table names the bundled file's size and time: another file is read itself (and this one is no database).
    const other = bundledReader(copy, tablePath);
    expect(other.reader).toBeUndefined();
    expect(other.problem?.en).toMatch(/copy\.mmdb/);
    // The same size and another time is another file too.
    const table = CountryTable.open(tablePath)!;
    expect(table.matches(db)).toBe(true);
    const touched = join(dir, 'touched.mmdb');
    writeFileSync(touched, Buffer.alloc(size));
    utimesSync(touched, new Date(), new Date(mtimeMs + 5000));
    expect(table.matches(touched)).toBe(false);
  });

  it('is not used when it is damaged or cut short', () => {
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 4));
    expect(CountryTable.open(cut)).toBeUndefined();
    writeFileSync(cut, Buffer.from('not a table at all'));
    expect(CountryTable.open(cut)).toBeUndefined();
    expect(CountryTable.open(join(dir, 'missing.bin'))).toBeUndefined();
    // The reader then reads the database itself, with the same answers.
    const reader = bundledReader(db, cut).reader!;
    expect(reader.country('8.8.8.8')).toBe(mmdb.country('8.8.8.8'));
  });
});
