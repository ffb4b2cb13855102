// Addresses as the store and the console match them: single addresses, IPv4 networks, IPv6 text; anything else refused.
import { describe, expect, it } from 'vitest';
import { addressMatch } from './ip.js';

describe('addressMatch', () => {
  it('reads an IPv4 address, an IPv4 network (aligned down to its boundary) and an IPv6 address', () => {
    expect(addressMatch('203.0.113.7')).toEqual({ kind: 'v4', lo: 3405803783, hi: 3405803783 });
    expect(addressMatch('203.0.113.7/24')).toEqual({ kind: 'v4', lo: 3405803776, hi: 3405804031 });
    expect(addressMatch('0.0.0.0/0')).toEqual({ kind: 'v4', lo: 0, hi: 2 ** 32 - 1 });
    expect(addressMatch('198.51.100.9/32')).toEqual({ kind: 'v4', lo: 3325256713, hi: 3325256713 });
    expect(addressMatch('2001:DB8:0:0::1')).toEqual({ kind: 'v6', text: '2001:db8::1' });
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
  });
});
