// The cache of a country database's ranges: read back exactly as written, and never used when it is for
// another database or rule, cut short, or damaged (then the ranges are made again and the file rewritten).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCountryReader } from '../context/geo.js';
import { publicCountryRanges, publicV6CountryRanges } from './country.js';
import {
  type CachedCountryRanges,
  countryCacheDir,
  countryCacheFile,
  decodeCountryRanges,
  encodeCountryRanges,
  readCountryCache,
  writeCountryCache,
} from './country-cache.js';

describe('country ranges cache', () => {
  const reader = openCountryReader().reader!;
  const v4 = publicCountryRanges(reader)!;
  const v6 = publicV6CountryRanges(reader)!;
  const ranges: CachedCountryRanges = {
    v4: { lo: Uint32Array.from(v4.lo), hi: Uint32Array.from(v4.hi), country: [...v4.country] },
    v6: { lo: v6.lo, hi: v6.hi, country: [...v6.country] },
  };

  it('reads back what was written, for the same database only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-country-cache-'));
    expect(readCountryCache(dir, reader.identity)).toBeUndefined();
    writeCountryCache(dir, reader.identity, ranges);
    const back = readCountryCache(dir, reader.identity)!;
    expect(back.v4.country.length).toBeGreaterThan(100_000);
    expect(back.v6.country.length).toBeGreaterThan(100_000);
    expect(Array.from(back.v4.lo)).toEqual(Array.from(ranges.v4.lo));
    expect(Array.from(back.v4.hi)).toEqual(Array.from(ranges.v4.hi));
    expect(back.v4.country).toEqual(ranges.v4.country);
    expect(Array.from(back.v6.lo)).toEqual(Array.from(ranges.v6.lo));
    expect(Array.from(back.v6.hi)).toEqual(Array.from(ranges.v6.hi));
    expect(back.v6.country).toEqual(ranges.v6.country);
    // Another database (here: another identity) has another file, and this file's header names its own.
    const other = JSON.stringify(['other']);
    expect(countryCacheFile(dir, other)).not.toBe(countryCacheFile(dir, reader.identity));
    expect(decodeCountryRanges(readFileSync(countryCacheFile(dir, reader.identity)), other)).toBeUndefined();
  });

  it('refuses a file cut short, grown, or damaged in its header, ranges or countries', () => {
    const good = encodeCountryRanges(reader.identity, ranges);
    expect(decodeCountryRanges(good, reader.identity)).toBeDefined();
    const headerLength = good.readUInt32LE(22);
    const body = 26 + headerLength + ((4 - ((26 + headerLength) % 4)) % 4);
    const damaged = (change: (b: Buffer) => Buffer) =>
      decodeCountryRanges(change(Buffer.from(good)), reader.identity);
    const n4 = ranges.v4.country.length;
    const n6 = ranges.v6.country.length;
    const cases: [string, (b: Buffer) => Buffer][] = [
      ['empty', () => Buffer.alloc(0)],
      [
        'another magic',
        (b) => {
          b.write('X', 0);
          return b;
        },
      ],
      ['cut short', (b) => b.subarray(0, b.length - 1)],
      ['one byte more', (b) => Buffer.concat([b, Buffer.alloc(1)])],
      [
        'header length past the end',
        (b) => {
          b.writeUInt32LE(0x7fffffff, 22);
          return b;
        },
      ],
      [
        'header not JSON',
        (b) => {
          b.write('!', 26);
          return b;
        },
      ],
      // The first IPv4 range's first address after its last; the second range starting inside the first.
      [
        'IPv4 range reversed',
        (b) => {
          b.writeUInt32LE(0xfffffff0, body);
          return b;
        },
      ],
      [
        'IPv4 ranges overlapping',
        (b) => {
          b.writeUInt32LE(ranges.v4.hi[0]!, body + 4);
          return b;
        },
      ],
      // An IPv6 range whose first address is after its last.
      [
        'IPv6 range reversed',
        (b) => {
          b.writeUInt32LE(0xffffffff, body + 8 * n4 + 16 * 5);
          return b;
        },
      ],
      // A country index past the list.
      [
        'unknown country',
        (b) => {
          b.writeUInt16LE(0xffff, body + 8 * n4 + 32 * n6);
          return b;
        },
      ],
    ];
    for (const [what, change] of cases) expect(damaged(change), what).toBeUndefined();
    // A damaged file on disk is not used, and the next write replaces it.
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-country-cache-'));
    const file = countryCacheFile(dir, reader.identity);
    writeCountryCache(dir, reader.identity, ranges);
    const bytes = readFileSync(file);
    bytes.writeUInt16LE(0xffff, bytes.length - 2);
    writeFileSync(file, bytes);
    expect(readCountryCache(dir, reader.identity)).toBeUndefined();
    writeCountryCache(dir, reader.identity, ranges);
    expect(readCountryCache(dir, reader.identity)).toBeDefined();
  });

  it('lives in $XDG_CACHE_HOME/fwlens, else ~/.cache/fwlens', () => {
    expect(countryCacheDir({ XDG_CACHE_HOME: '/var/cache/u', HOME: '/home/u' })).toBe('/var/cache/u/fwlens');
    expect(countryCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/fwlens');
    expect(countryCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/fwlens');
  });
});
