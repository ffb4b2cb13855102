// Tests of the ASA endpoint readers and the id-less message lookup.
import { describe, expect, it } from 'vitest';
import { ifcEndpoint, layoutByText, plainEndpoint } from './messages.js';

describe('ASA endpoints', () => {
  it('splits interface, address and port, IPv6 included, and drops user tags', () => {
    expect(ifcEndpoint('outside:203.0.113.7/443')).toEqual({
      ifc: 'outside',
      ip: '203.0.113.7',
      port: '443',
    });
    expect(ifcEndpoint('outside:2001:db8::1/53')).toEqual({ ifc: 'outside', ip: '2001:db8::1', port: '53' });
    expect(ifcEndpoint('NP Identity Ifc: 192.0.2.2/22')).toEqual({
      ifc: 'NP Identity Ifc',
      ip: '192.0.2.2',
      port: '22',
    });
    expect(ifcEndpoint('inside:192.0.2.9(LOCAL\\jdoe)')).toEqual({ ifc: 'inside', ip: '192.0.2.9' });
    expect(ifcEndpoint('2001:db8::7')).toEqual({ ip: '2001:db8::7' });
  });

  it('turns ASA port names into numbers and keeps unknown names as text', () => {
    expect(plainEndpoint('192.0.2.1/ssh')).toEqual({ ip: '192.0.2.1', port: 22 });
    expect(plainEndpoint('192.0.2.1/netbios-ns')).toEqual({ ip: '192.0.2.1', port: 137 });
    expect(plainEndpoint('192.0.2.1/no-such-service').port).toBe('no-such-service');
  });
});

describe('id-less messages', () => {
  it('recognises a traffic sentence without its %ASA id and ignores other text', () => {
    expect(
      layoutByText(
        'Deny TCP (no connection) from 192.0.2.1/80 to 198.51.100.2/1234 flags RST  on interface outside',
      )?.id,
    ).toBe('106015');
    expect(layoutByText('Denying everything is not an ASA message')).toBeNull();
  });
});
