// The /24 and /64 networks detection groups sources by, against ipaddr.js (the library the /64 was once
// computed with) on generated addresses.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { formatIpv6 } from '../net/ip.js';
import { sourcePrefix, V6RangeIndex } from './addresses.js';

/** The /64 of an IPv6 address as ipaddr.js writes it. */
function byIpaddr(ip: string): string {
  const parts = ipaddr.IPv6.parse(ip).parts.slice(0, 4);
  return `${ipaddr.fromByteArray([...parts.flatMap((p) => [p >> 8, p & 255]), ...new Array(8).fill(0)]).toString()}/64`;
}

describe('sourcePrefix', () => {
  it('gives the /24 of an IPv4 address and the /64 of an IPv6 address as ipaddr.js writes it', () => {
    expect(sourcePrefix('203.0.113.7')).toBe('203.0.113.0/24');
    expect(sourcePrefix('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(sourcePrefix('2001:db8::1')).toBe('2001:db8::/64');
    expect(sourcePrefix('::1')).toBe('::/64');
    expect(sourcePrefix('not an address')).toBe('not an address');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (g) => {
        // Zero groups are common in real addresses and decide where `::` goes: make them likely.
        const groups = g.map((x) => (x % 3 === 0 ? 0 : x));
        const ip = formatIpv6(groups);
        expect(sourcePrefix(ip)).toBe(byIpaddr(ip));
      }),
      { seed: 20261205, numRuns: 5_000 },
    );
  });
});

describe('V6RangeIndex', () => {
  // Texts of hex groups, colons and the odd other character: the one-pass reader handles the plain ones, and
  // must read every text as ipaddr.js does (the lists matched through ipaddr.js before the index).
  const token = fc.oneof(
    fc.stringMatching(/^[0-9a-fA-F]{0,5}$/),
    fc.constantFrom(':', '::', ':::', '.', '%eth0', '1.2.3.4', 'g'),
  );
  it('reads an address text as ipaddr.js does, or refuses it as ipaddr.js does', () => {
    const everything = new V6RangeIndex([
      { block: ipaddr.parseCIDR('::/0') as [ipaddr.IPv6, number], rank: 0, value: true },
    ]);
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 12 }), (tokens) => {
        const text = tokens.join('');
        if (!ipaddr.IPv6.isValid(text)) {
          expect(everything.find(text)).toBeUndefined();
          return;
        }
        const exact = new V6RangeIndex([{ block: [ipaddr.IPv6.parse(text), 128], rank: 0, value: true }]);
        expect(exact.find(text)).toBe(true);
        expect(everything.find(text)).toBe(true);
      }),
      { seed: 20261207, numRuns: 20_000 },
    );
  });
});
