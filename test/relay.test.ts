// Relayed syslog through the whole pipeline: a netfilter line behind one or two relay headers (BSD, RFC 5424, ISO,
// with or without <PRI>) reads the same as the device's own line (device host, prefix, time).
import { describe, expect, it } from 'vitest';
import { ingestText } from './helpers.js';

const PACKET =
  'kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=1 DF PROTO=TCP SPT=40000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0';

describe('relayed netfilter lines', () => {
  it('read like the device wrote them, whichever relay header is in front', async () => {
    const lines = [
      `Nov 25 16:47:51 fw1 ${PACKET}`,
      `Nov 25 16:47:52 relay1 Nov 25 16:47:51 fw1 ${PACKET}`,
      `<134>1 2026-11-25T16:47:53Z relay2 - - - - Nov 25 16:47:51 fw1 ${PACKET}`,
      `2026-11-25T16:47:52Z relay1 <4>2026-11-25T16:47:51Z fw1 ${PACKET}`,
    ];
    const { events, stats } = await ingestText(`${lines.join('\n')}\n`);
    expect(stats.inputs[0]!.malformed + stats.inputs[0]!.unrecognized).toBe(0);
    expect(events).toHaveLength(4);
    for (const ev of events) {
      expect(ev).toMatchObject({
        observerHost: 'fw1',
        ruleName: 'UFW BLOCK',
        sourceIp: '203.0.113.7',
        destinationPort: 22,
      });
      expect(new Date(ev.timestamp!).toISOString()).toBe('2026-11-25T16:47:51.000Z');
    }
  });
});
