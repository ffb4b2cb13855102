// A country database the user brings (`--geoip-db`) is input like a log: crafted records, a tree that is no
// tree, damaged and truncated files give countries as text or none, in bounded time, or one sentence.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeValue, mmdbFromTree, writeMmdb } from '../../test/support/mmdb.js';
import { MAX_COUNTRY_CHARS } from './country-codes.js';
import { openMmdbReader } from './geo.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-geo-'));
const db = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('a crafted country database', () => {
  it('gives text countries only, cut to MAX_COUNTRY_CHARS, in every way it is read', () => {
    const long = 'Y'.repeat(100_000);
    const path = db(
      'odd.mmdb',
      writeMmdb([
        { cidr: '198.18.0.0/24', data: { country_code: long } },
        { cidr: '198.18.1.0/24', data: { country_code: 42 } },
        { cidr: '198.18.2.0/24', data: { country: { iso_code: ['a', 'b'] } } },
        // A map whose toString is no function: String() of it threw ("Cannot convert object to primitive value").
        { cidr: '198.18.3.0/24', data: { country_code: { toString: 'x', valueOf: 'y' } } },
        { cidr: '198.18.4.0/24', data: { country: 'DE' } },
        { cidr: '198.18.5.0/24', data: { country: { iso_code: 'FR' } } },
        { cidr: '2001:db8::/32', data: { country_code: long } },
      ]),
    );
    const reader = openMmdbReader(path, false).reader!;
    const cut = `${'Y'.repeat(MAX_COUNTRY_CHARS - 1)}…`;
    expect(
      ['198.18.0.1', '198.18.1.1', '198.18.2.1', '198.18.3.1', '198.18.4.1', '198.18.5.1'].map((ip) =>
        reader.country(ip),
      ),
    ).toEqual([cut, undefined, undefined, undefined, undefined, 'FR']);
    expect(reader.network('198.18.0.1')).toEqual({ country: cut, prefixLength: 24 });
    expect(reader.network('198.18.3.1')).toEqual({ prefixLength: 24 });
    expect(reader.ipv4Networks()!.country).toEqual([cut, 'FR']);
    expect(reader.ipv6Networks()!.country).toEqual([cut]);
  });

  it('whose nodes share children lists no networks (a bounded walk), and still answers each address', () => {
    // 96 nodes down to the IPv4 subtree, and 3 down to 2000::/3, each followed by 20 levels whose two children
    // are the same node: 2^20 networks each were listed (2^32 with 32 such levels, in a 1 KB file, killed the
    // process with a fatal allocation error).
    const shared = 20;
    const records: [number, number][] = [];
    const NOTHING = -1;
    const LEAF = -2;
    /** Append a chain of nodes following `bits`, then `shared` levels that lead both ways to one node. */
    const chain = (bits: number[]): number => {
      const first = records.length;
      for (const bit of bits) {
        const next = records.length + 1;
        records.push(bit === 0 ? [next, NOTHING] : [NOTHING, next]);
      }
      for (let i = 0; i < shared; i++) records.push([records.length + 1, records.length + 1]);
      records.push([LEAF, LEAF]);
      return first;
    };
    // The root and its left child take bits 0 and 0; the third node parts ::/96's path (0) from 2000::/3's (1).
    records.push([1, NOTHING], [2, NOTHING], [NOTHING, NOTHING]);
    records[2] = [chain(Array(93).fill(0)), chain([])];
    const count = records.length;
    const fixed = records.map(
      ([l, r]) =>
        [
          l === NOTHING ? count : l === LEAF ? count + 16 : l,
          r === NOTHING ? count : r === LEAF ? count + 16 : r,
        ] as [number, number],
    );
    const reader = openMmdbReader(
      db('shared.mmdb', mmdbFromTree(fixed, encodeValue({ country_code: 'US' }))),
      false,
    ).reader!;
    expect([reader.country('192.0.2.1'), reader.country('2400:cb00::1')]).toEqual(['US', 'US']);
    const started = performance.now();
    expect(reader.ipv4Networks()).toBeUndefined();
    expect(reader.ipv6Networks()).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('damaged, truncated or without a build time: one sentence, no reader', () => {
    const good = writeMmdb([{ cidr: '198.18.0.0/24', data: { country_code: 'US' } }]);
    expect(openMmdbReader(db('good.mmdb', good), false).reader?.country('198.18.0.9')).toBe('US');
    for (const [name, bytes, why] of [
      // "unexpected failure: Invalid time value", exit 1, before
      ['no-epoch.mmdb', writeMmdb([], { buildEpoch: null }), /its metadata holds no build time/],
      ['half.mmdb', good.subarray(0, good.length >> 1), /.+/],
      ['cut-metadata.mmdb', good.subarray(0, good.length - 8), /.+/],
      ['empty.mmdb', Buffer.alloc(0), /.+/],
    ] as const) {
      const path = db(name, bytes);
      const opened = openMmdbReader(path, false);
      expect(opened.reader, name).toBeUndefined();
      expect(opened.problem!.en).toMatch(
        new RegExp(
          `^The country database ${path} cannot be read \\(${why.source}\\), so the report goes on without countries\\.$`,
        ),
      );
      expect(opened.problem!.en).not.toContain('\n');
    }
  });
});
