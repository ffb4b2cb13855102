// Addresses as the store and the console match them: single addresses, IPv4 networks, IPv6 text; anything else refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressMatch, formatIpv6, ipv6Groups, ipv6GroupsGeneral } from './ip.js';

describe('addressMatch', () => {
  it('reads an IPv4 address, an IPv4 network (aligned down to its boundary) and an IPv6 address', () => {
    expect(addressMatch('203.0.113.7')).toEqual({ kind: 'v4', lo: 3405803783, hi: 3405803783 });
    expect(addressMatch('203.0.113.7/24')).toEqual({ kind: 'v4', lo: 3405803776, hi: 3405804031 });
    expect(addressMatch('0.0.0.0/0')).toEqual({ kind: 'v4', lo: 0, hi: 2 ** 32 - 1 });
    expect(addressMatch('198.51.100.9/32')).toEqual({ kind: 'v4', lo: 3325256713, hi: 3325256713 });
    expect(addressMatch('2001:DB8:0:0::1')).toEqual({ kind: 'v6', text: '2001:db8::1' });
  });

  it('reads an IPv6 network as the range of its 128-bit values, its host bits cleared in its text', () => {
    expect(addressMatch('2001:db8:3c6a::/48')).toEqual({
      kind: 'v6net',
      lo: 0x20010db83c6a00000000000000000000n,
      hi: 0x20010db83c6affffffffffffffffffffn,
      text: '2001:db8:3c6a::/48',
    });
    expect(addressMatch('2001:DB8::7/64')).toMatchObject({
      text: '2001:db8::/64',
      lo: 0x20010db8000000000000000000000000n,
    });
    expect(addressMatch('2001:db8:0:1::9/125')).toMatchObject({
      lo: 0x20010db8000000010000000000000008n,
      hi: 0x20010db800000001000000000000000fn,
      text: '2001:db8:0:1::8/125',
    });
    expect(addressMatch('::/0')).toMatchObject({ lo: 0n, hi: (1n << 128n) - 1n, text: '::/0' });
    expect(addressMatch('::ffff:198.51.100.0/120')).toMatchObject({ text: '::ffff:c633:6400/120' });
    // /128 is the one address.
    expect(addressMatch('2001:db8::1/128')).toEqual({ kind: 'v6', text: '2001:db8::1' });
    for (const bad of ['2001:db8::/129', '2001:db8::/', 'fe80::1%eth0/64', '2001:db8::1::2/64', 'g::/16'])
      expect(addressMatch(bad), bad).toBeNull();
  });

  it('refuses what is no address, long and hostile text included (the pattern is checked linear by test/redos.test.ts)', () => {
    for (const bad of [
      '',
      'example.org',
      '203.0.113.256',
      '203.0.113.0/33',
      '203.0.113.0/',
      '1.2.3.4/8/8',
      "1.2.3.4' OR 1=1",
      '2001:db8::1::2',
    ])
      expect(addressMatch(bad), bad).toBeNull();
    expect(addressMatch(`${'1.'.repeat(30_000)}1/24`)).toBeNull();
    expect(addressMatch(`${':'.repeat(60_000)}`)).toBeNull();
    // The IPv6 network form too: 60 KB before the slash is refused in linear time.
    const started = performance.now();
    for (const long of [
      `${':'.repeat(60_000)}/64`,
      `${'a'.repeat(60_000)}::/48`,
      `${'1:'.repeat(30_000)}/64`,
    ])
      expect(addressMatch(long)).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('ipv6Groups', () => {
  it('reads hex-and-colon addresses in one pass exactly as the general path (node:net validation) does', () => {
    const cases = [
      '::',
      '::1',
      '1::',
      '2001:db8::1',
      '2001:DB8:0000:0000:0000:0000:0000:0001',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '1::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '1:::2',
      '1::2::3',
      ':1',
      '1:',
      ':::',
      '12345::',
      'fe80::1%eth0',
      '::ffff:192.0.2.1',
      '0:0:0:0:0:ffff:192.0.2.1',
      'g::1',
      ' ::1',
      '::1 ',
      '',
      '1',
    ];
    for (const c of cases) expect(ipv6Groups(c), c).toEqual(ipv6GroupsGeneral(c));
    expect(ipv6Groups('2001:DB8:0000:0000:0000:0000:0000:0001')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1:2:3:4:5:6:7::')).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
    expect(ipv6Groups('1::2::3')).toBeNull();
  });

  it('agrees with the general path on 20,000 generated near-addresses (fixed seed)', () => {
    const group = fc.stringMatching(/^[0-9a-fA-F]{0,5}$/);
    const sep = fc.constantFrom(':', ':', ':', '::', ':::', '.', '%', 'g', '');
    const near = fc
      .array(fc.tuple(group, sep), { minLength: 0, maxLength: 10 })
      .map((parts) => parts.map(([g, s]) => g + s).join(''));
    // Real addresses too, written every way (expanded, compressed, upper case), so the valid side is well covered.
    const real = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
      .chain((g) =>
        fc.constantFrom(
          formatIpv6(g),
          formatIpv6(g).toUpperCase(),
          g.map((x) => x.toString(16).padStart(4, '0')).join(':'),
          g.map((x) => x.toString(16)).join(':'),
        ),
      );
    fc.assert(
      fc.property(fc.oneof(near, real), (s) => {
        expect(ipv6Groups(s)).toEqual(ipv6GroupsGeneral(s));
      }),
      { seed: 20261205, numRuns: 20_000 },
    );
  });

  it('writes the RFC 5952 text, as the URL standard serialises an IPv6 host (zero runs of every length and place)', () => {
    // Groups drawn mostly from 0 and a few widths, so runs of zeros (ties, at either end, all eight) are common.
    const g = fc.oneof(
      fc.constant(0),
      fc.constant(0),
      fc.integer({ min: 1, max: 0xf }),
      fc.integer({ min: 0x10, max: 0xfff }),
      fc.integer({ min: 0x1000, max: 0xffff }),
    );
    fc.assert(
      fc.property(fc.array(g, { minLength: 8, maxLength: 8 }), (groups) => {
        const expanded = groups.map((x) => x.toString(16)).join(':');
        expect(formatIpv6(groups)).toBe(new URL(`http://[${expanded}]/`).hostname.slice(1, -1));
      }),
      { seed: 20261206, numRuns: 5_000 },
    );
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
  });
});
