// The SQL key that orders IPv6 texts in DuckDB agrees with the comparison the rankings make in JS.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { formatIpv6 } from '../net/ip.js';
import { compareIpv6Text, ipv6SortKey } from './address-order.js';

describe('ipv6SortKey', () => {
  it('orders canonical IPv6 texts as compareIpv6Text does (zero runs at either end, in the middle, none)', async () => {
    // Seeded: groups drawn so that runs of zeros (compressed as ::) fall everywhere.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const texts = new Set([
      '::',
      '::1',
      '1::',
      '2001:db8::',
      '2001:db8::30',
      '2001:db8:0:1::1',
      'fe80::1:0:0:1',
    ]);
    while (texts.size < 400)
      texts.add(formatIpv6(Array.from({ length: 8 }, () => (rand() < 0.5 ? 0 : Math.floor(rand() * 65536)))));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const list = [...texts];
      // The texts are hex digits and colons: safe to write as literals.
      const values = list.map((t) => `('${t}')`).join(', ');
      const rows = (
        await c.runAndReadAll(`SELECT t FROM (VALUES ${values}) v(t) ORDER BY ${ipv6SortKey('t')}`)
      ).getRows();
      expect(rows.map((r) => r[0])).toEqual([...list].sort(compareIpv6Text));
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
