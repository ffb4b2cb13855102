// The netfilter token scanner (src/formats/netfilter/index.ts): keys found by their hash are checked character
// by character, protocol names and hex fields read as the kernel writes them, FRAG: offsets.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../event.js';
import { parseNetfilter } from './index.js';

const HEAD = '[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00';

function parse(body: string): FwEvent {
  const r = parseNetfilter({ envelope: 'bare', message: `${HEAD} ${body}` });
  if (r === null || 'error' in r) throw new Error(`not parsed: ${JSON.stringify(r)}`);
  return r as FwEvent;
}

/** The scanner's hash (31-multiplier, 32-bit) of a text. */
function hash(s: string): number {
  let h = 0;
  for (let j = 0; j < s.length; j++) h = (Math.imul(h, 31) + s.charCodeAt(j)) | 0;
  return h;
}

describe('netfilter token scanner', () => {
  it('a token sharing a key or flag word hash is neither (checked character by character)', () => {
    // One more in the second character, 31 less in the third: the same hash, another text.
    expect(hash('SS$')).toBe(hash('SRC'));
    expect(hash('SZ/')).toBe(hash('SYN'));
    expect(hash('DQ5')).toBe(hash('DPT'));
    const ev = parse(
      'SS$=198.51.100.99 SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TTL=51 ID=1 PROTO=TCP SPT=40404 DQ5=9 DPT=22 WINDOW=1024 SZ/ ACK',
    );
    expect(ev.sourceIp).toBe('203.0.113.7');
    expect(ev.destinationPort).toBe(22);
    expect(ev.tcpFlags).toEqual(['ACK']);
  });

  it('reads protocol names, numbers and unknown names as before', () => {
    const base = 'SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TTL=51 ID=1';
    expect(parse(`${base} PROTO=UDP SPT=1 DPT=53`).transport).toBe('udp');
    expect(parse(`${base} PROTO=ICMPv6 TYPE=128 CODE=0`).transport).toBe('ipv6-icmp');
    expect(parse(`${base} PROTO=47`)).toMatchObject({ transport: 'gre', ianaNumber: 47 });
    expect(parse(`${base} PROTO=253`)).toMatchObject({ transport: 'proto-253', ianaNumber: 253 });
    expect(parse(`${base} PROTO=Weird`).transport).toBe('weird');
    // A protocol name cut short or grown is not the name.
    expect(parse(`${base} PROTO=TC`).transport).toBe('tc');
    expect(parse(`${base} PROTO=TCPX`).transport).toBe('tcpx');
  });

  it('reads TOS and MARK in every hex form parseInt accepts, and refuses what it refuses', () => {
    const base = 'SRC=203.0.113.7 DST=192.0.2.10 LEN=60 PROTO=ICMP TYPE=8 CODE=0';
    expect(parse(`${base} TOS=0x10`).tos).toBe(16);
    expect(parse(`${base} TOS=0XfF`).tos).toBe(255);
    expect(parse(`${base} TOS=1f`).tos).toBe(31);
    expect(parse(`${base} MARK=0x1a2b3c4d5`).mark).toBe(0x1a2b3c4d5);
    expect(parse(`${base} MARK=0xAbC`).mark).toBe(0xabc);
    const r = parseNetfilter({ envelope: 'bare', message: `${HEAD} ${base} TOS=0x` });
    expect(r).toMatchObject({ error: expect.anything() });
  });

  it('FRAG: alone is a damaged number, FRAG:n an offset, on the outer packet only', () => {
    const base = 'SRC=203.0.113.7 DST=192.0.2.10 LEN=60 PROTO=UDP';
    expect(parse(`${base} FRAG:185`).fragmentOffset).toBe(185);
    expect(parseNetfilter({ envelope: 'bare', message: `${HEAD} ${base} FRAG:` })).toMatchObject({
      error: expect.anything(),
    });
  });
});
