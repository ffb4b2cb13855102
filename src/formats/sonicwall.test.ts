// Tests of the SonicWall module's message-id catalogue: traffic, the appliance's alarms, non-traffic by kind.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { makeContext } from './envelope/time.js';
import { firewallAlarm } from './skip-kinds.js';
import { sonicwall } from './sonicwall.js';
import { SONICWALL_MESSAGES } from './sonicwall-catalog.js';

const CTX = makeContext(Date.UTC(2026, 11, 31), { year: 2026 });
const parse = (message: string) => sonicwall.createParser(CTX)({ envelope: 'bare', message });
const line = (m: number, msg: string, rest: string) =>
  `id=firewall sn=0040100C0FFE time="2026-11-26 10:00:00 UTC" fw=198.51.100.2 pri=1 c=32 m=${m} msg="${msg}" n=1 ${rest}`;

describe('sonicwall message catalogue', () => {
  it('marks a probable port scan (m=83) as a screen alarm of its source, with the message as its name', () => {
    const ev = parse(
      line(
        83,
        'Probable port scan detected',
        'src=203.0.113.23:40007:X1 dst=192.0.2.10:3389:X0 proto=tcp/3389 fw_action="drop"',
      ),
    ) as FwEvent;
    expect(ev).toMatchObject({ action: 'deny', sourceIp: '203.0.113.23', destinationPort: 3389 });
    expect(firewallAlarm(ev)).toMatchObject({ kind: 'screen', name: 'Probable port scan detected' });
  });

  it('takes a blacklisted flooding machine named only in the text as the source of a DoS alarm', () => {
    const ev = parse(line(864, 'SYN-Flooding machine 203.0.113.41 blacklisted', '')) as FwEvent;
    expect(ev.sourceIp).toBe('203.0.113.41');
    expect(firewallAlarm(ev)?.kind).toBe('dos');
  });

  it('counts logins, rule changes and flood ends by kind, and an unknown id as not understood with its id', () => {
    expect(
      parse(
        line(
          30,
          'Administrator login denied due to bad credentials',
          'src=203.0.113.9:1:X1 dst=198.51.100.2:443:X1',
        ),
      ),
    ).toEqual({ skip: 'authentication' });
    expect(parse(line(440, 'Access rule added', ''))).toEqual({ skip: 'configuration' });
    expect(parse(line(867, 'Possible SYN Flood on IF X1 has ceased', ''))).toEqual({
      skip: 'flood protection status',
    });
    expect(
      parse(line(4711, 'Packet marked for inspection', 'src=192.0.2.54:1:X0 dst=198.51.100.94:443:X1')),
    ).toEqual({ skip: 'not understood: m=4711' });
    // An id outside the catalogue whose wording states a drop is still read as traffic.
    expect(
      (parse(line(4712, 'TCP packet dropped', 'src=192.0.2.54:1:X0 dst=198.51.100.94:443:X1')) as FwEvent)
        .action,
    ).toBe('deny');
  });

  it('reads the CEF signature id as the message id and the alarm text from msg', () => {
    const ev = parse(
      'CEF:0|SonicWall|NSa 2700|7.1.1-7047|608|IPS Detection Alert|9|src=203.0.113.52 spt=44122 dst=192.0.2.31 dpt=445 proto=tcp/445 msg="IPS Detection Alert: NETBIOS SMB EternalBlue Exploit Attempt" fw_action="NA"',
    ) as FwEvent;
    expect(firewallAlarm(ev)).toMatchObject({
      kind: 'ids',
      name: 'IPS Detection Alert: NETBIOS SMB EternalBlue Exploit Attempt',
    });
  });

  it('lists the documented port scan, flood, spoof and land-attack ids as alarms', () => {
    for (const id of [22, 23, 25, 27, 82, 83, 608, 809])
      expect(SONICWALL_MESSAGES.get(id)?.kind, `m=${id}`).toBe('alarm');
    for (const id of [36, 37, 38, 98, 537, 1197])
      expect(SONICWALL_MESSAGES.get(id)?.kind, `m=${id}`).toBe('traffic');
  });
});
