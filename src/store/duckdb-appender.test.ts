// The IPv6 words the appender writes into the UHUGEINT columns: the hand reader of canonical texts against
// the general parser (src/net/ip.ts) on random, edge and hostile texts.
import { describe, expect, it } from 'vitest';
import { formatIpv6, ipv6Groups } from '../net/ip.js';
import { ipv6Words } from './duckdb-appender.js';

/** What ipv6Groups makes of a text, as the four words, or null. */
function reference(text: string): number[] | null {
  const g = ipv6Groups(text);
  return g ? [0, 2, 4, 6].map((k) => g[k]! * 65_536 + g[k + 1]!) : null;
}

function words(text: string): number[] | null {
  const out = new Uint32Array(6).fill(7);
  if (!ipv6Words(text, out, 1)) return null;
  // Only its four words are written.
  expect(out[0]).toBe(7);
  expect(out[5]).toBe(7);
  return Array.from(out.subarray(1, 5));
}

describe('ipv6Words', () => {
  it('reads every address as ipv6Groups does, canonical or not', () => {
    let seed = 9;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Groups with runs of zeros (so `::` falls anywhere), in canonical, expanded and upper-case forms.
      const g = Array.from({ length: 8 }, () => (rnd(3) === 0 ? 0 : rnd(65_536)));
      texts.push(
        formatIpv6(g),
        g.map((x) => x.toString(16).padStart(4, '0')).join(':'),
        formatIpv6(g).toUpperCase(),
      );
    }
    for (const t of texts) expect(words(t), t).toEqual(reference(t));
    expect(texts.filter((t) => t.includes('::')).length).toBeGreaterThan(5_000);
  });

  it('takes the edge forms and refuses what is no address, as ipv6Groups does', () => {
    const edge = [
      '::',
      '::1',
      '1::',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8',
      '2001:db8::7',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      '0000:0000:0000:0000:0000:0000:0000:0001',
      '::ffff:192.0.2.1',
      '64:ff9b::192.0.2.33',
      'fe80::1%eth0',
      // No address:
      '',
      ':',
      ':::',
      '1:::2',
      '1::2::3',
      ':1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2:3:4:5:6:7:8',
      '12345::1',
      'g::1',
      '1:2:3:4:5:6:7:8 ',
      ' ::1',
      '192.0.2.1',
      `${'1:'.repeat(30)}1`,
      '::1\0',
    ];
    for (const t of edge) expect(words(t), JSON.stringify(t)).toEqual(reference(t));
    expect(words('::ffff:192.0.2.1')).toEqual([0, 0, 0xffff, 0xc0000201]);
    expect(words('1:2:3:4:5:6:7::')).toEqual([0x10002, 0x30004, 0x50006, 0x70000]);
  });
});
