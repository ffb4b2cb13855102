// Tests of the Cisco IOS module where it meets the ASA module: numbered IOS messages are IOS's, not ASA short ids.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { ciscoAsa } from './cisco-asa/index.js';
import { ciscoIos } from './cisco-ios.js';
import { makeContext } from './envelope/time.js';

const CTX = makeContext(Date.UTC(2026, 11, 31), { year: 2026 });
const NUMBERED =
  '012345: Dec 23 03:25:30.899 CET: %AUTHMGR-5-START: Starting mab for client on Interface Gi1/0/3';

describe('cisco-ios next to cisco-asa', () => {
  it('leaves a numbered IOS message to IOS, and ASA short-id messages to ASA', () => {
    expect(ciscoAsa.createParser(CTX)({ envelope: 'bare', message: NUMBERED })).toBeNull();
    expect(ciscoAsa.detect(NUMBERED, { envelope: 'bare', message: NUMBERED })).toBe(0);
    expect(ciscoIos.createParser(CTX)({ envelope: 'bare', message: NUMBERED })).toEqual({
      skip: 'authentication',
    });
    const asa =
      '302020: Built inbound ICMP connection for faddr 192.0.2.1/1 gaddr 198.51.100.2/0 laddr 198.51.100.2/0';
    expect(ciscoIos.createParser(CTX)({ envelope: 'bare', message: asa })).toBeNull();
    expect((ciscoAsa.createParser(CTX)({ envelope: 'bare', message: asa }) as FwEvent).sourceIp).toBe(
      '192.0.2.1',
    );
  });

  it('reads the log-input interface and MAC of an ACL record and the device host before the stamp', () => {
    const line =
      'rtr9: *Jun  3 10:15:20.101 UTC: %SEC-6-IPACCESSLOGP: list 7 denied tcp 203.0.113.8(40001) (Gi0/0 0050.56ab.cdef) -> 192.0.2.11(445), 1 packet';
    const ev = ciscoIos.createParser(CTX)({ envelope: 'bare', message: line }) as FwEvent;
    expect(ev).toMatchObject({
      action: 'deny',
      sourceIp: '203.0.113.8',
      sourcePort: 40001,
      destinationPort: 445,
      inInterface: 'Gi0/0',
      sourceMac: '00:50:56:ab:cd:ef',
      ruleName: '7',
      observerHost: 'rtr9',
      timestamp: Date.UTC(2026, 5, 3, 10, 15, 20, 101),
    });
  });
});
