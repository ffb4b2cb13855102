// Flow and connection records keep their packet and byte counts (FwEvent.sourcePackets ... destinationBytes, ECS
// source.packets / source.bytes / destination.packets / destination.bytes): real records of every format that
// gives them, read as the source wrote them, and hostile counts (negative, fractional, hex, beyond 2^53 - 1, 2^64)
// giving no count and no crash, the rest of the record read as before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../src/event.js';
import { eventOf } from '../src/explain/test-support.js';
import { trafficCount } from '../src/formats/flow-record.js';
import { CORPUS, HAVE_CORPUS, ingestFiles, ingestText, ROOT } from './helpers.js';

/** The four counts of an event, absent ones left out. */
function counts(ev: FwEvent): Partial<FwEvent> {
  const out: Partial<FwEvent> = {};
  for (const k of ['sourcePackets', 'sourceBytes', 'destinationPackets', 'destinationBytes'] as const)
    if (ev[k] !== undefined) out[k] = ev[k];
  return out;
}

/** The events of a file (of the shared corpus or the fixtures) by line number. */
async function byLine(path: string): Promise<Map<number, FwEvent>> {
  const { events } = await ingestFiles([path], { year: 2026 });
  return new Map(events.map((e) => [e.line!, e]));
}

/** Line `n` (1-based) of a file. */
function lineOf(path: string, n: number): string {
  return readFileSync(path, 'utf8').split('\n')[n - 1]!;
}

const corpus = (rel: string) => join(CORPUS, rel);
const fixture = (rel: string) => join(ROOT, 'test', 'fixtures', rel);

/** Values an attacker may write where a count goes: none of them is a count. */
const HOSTILE = ['-5', '1e3', '0x10', '12.5', '18446744073709551616', '9007199254740992', '１２', ''];

describe('trafficCount', () => {
  it('takes plain decimal counts up to 2^53 - 1, JSON integers included', () => {
    expect(trafficCount('0')).toBe(0);
    expect(trafficCount('4249')).toBe(4249);
    expect(trafficCount(146668)).toBe(146668);
    expect(trafficCount('9007199254740991')).toBe(2 ** 53 - 1);
  });

  it('gives nothing for a negative, fractional, exponent, hex, unsafe or non-ASCII value', () => {
    for (const v of [...HOSTILE, -1, 1.5, 2 ** 53, 2 ** 64, Number.NaN, Infinity, null, undefined, {}, []])
      expect(trafficCount(v), String(v)).toBeUndefined();
  });
});

describe.skipIf(!HAVE_CORPUS)('counts of real records (shared corpus)', () => {
  it('AWS VPC flow: packets and bytes are what the source sent in the interval', async () => {
    const header = await byLine(corpus('aws-vpc-flow/integrations-vpcflow-custom-header-tcp-flags.log'));
    // `... protocol bytes packets ...`: 568 bytes in 8 packets, the custom order kept.
    expect(counts(header.get(2)!)).toEqual({ sourcePackets: 8, sourceBytes: 568 });
    const sekoia = await byLine(corpus('aws-vpc-flow/sekoia-aws-flow-logs.log'));
    // v2 default and v5 layouts.
    expect(counts(sekoia.get(1)!)).toEqual({ sourcePackets: 2, sourceBytes: 152 });
    expect(counts(sekoia.get(3)!)).toEqual({ sourcePackets: 1, sourceBytes: 73 });
  });

  it('Azure VNet flow tuples: both ways since the last tuple; a begin tuple counts zero', async () => {
    const events = await byLine(corpus('other-azure-nsg-flow/sekoia-azure-nsg-flow.log'));
    expect(counts(events.get(2)!)).toEqual({
      sourcePackets: 3,
      sourceBytes: 767,
      destinationPackets: 2,
      destinationBytes: 1580,
    });
    expect(counts(events.get(1)!)).toEqual({
      sourcePackets: 0,
      sourceBytes: 0,
      destinationPackets: 0,
      destinationBytes: 0,
    });
  });

  it('Zeek conn: IP-level packets and bytes each way (orig_ip_bytes, not the payload orig_bytes)', async () => {
    const json = eventOf(lineOf(corpus('zeek-conn/integrations-zeek-conn-json.log'), 1));
    expect(counts(json)).toEqual({
      sourcePackets: 1,
      sourceBytes: 103,
      destinationPackets: 1,
      destinationBytes: 206,
    });
    const tsv = await byLine(corpus('zeek-conn/brimdata-zed-conn.log'));
    // A rejected attempt (REJ, history Sr): orig_bytes 0, but two packets of 104 IP bytes were sent.
    expect(counts(tsv.get(10)!)).toEqual({
      sourcePackets: 2,
      sourceBytes: 104,
      destinationPackets: 2,
      destinationBytes: 80,
    });
  });

  it('Suricata flow: to the server from the source, to the client from the destination; alerts none', async () => {
    const events = await byLine(corpus('suricata-eve/sekoia-suricata.log'));
    expect(counts(events.get(9)!)).toEqual({
      sourcePackets: 12,
      sourceBytes: 1842,
      destinationPackets: 12,
      destinationBytes: 11086,
    });
    const alerts = [...events.values()].filter((e) => e.alarmName !== undefined);
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(counts(a)).toEqual({});
  });
});

describe('counts of the fixtures', () => {
  it('Google Cloud VPC flow: packets_sent / bytes_sent of the source, whichever VM reported', async () => {
    const events = await byLine(fixture('gcp-vpc-flow/vpc-flows.log'));
    // Line 1 reported by the receiver (DEST), line 2 by the sender (SRC): the same side sent both.
    expect(counts(events.get(1)!)).toEqual({ sourcePackets: 24, sourceBytes: 3848 });
    expect(counts(events.get(2)!)).toEqual({ sourcePackets: 1, sourceBytes: 76 });
  });

  it('a packet line has no counts', () => {
    const ufw = eventOf(
      'Nov 25 16:47:13 vm kernel: [ 5950.659152] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=198.51.100.60 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=58600 DF PROTO=TCP SPT=57626 DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0 ',
    );
    expect(ufw.length).toBe(60);
    expect(counts(ufw)).toEqual({});
  });
});

describe('hostile counts give no count, and the record is read as before', () => {
  /** Parse one line with each hostile value put in by `make`: an event without counts each time. */
  function each(make: (v: string) => string, also?: (ev: FwEvent) => void): void {
    for (const v of HOSTILE) {
      const ev = eventOf(make(v));
      expect(counts(ev), `${v} in ${make(v)}`).toEqual({});
      also?.(ev);
    }
  }

  it('AWS VPC flow', () => {
    each(
      (v) =>
        `2 123456789010 eni-1235b8ca123456789 203.0.113.12 192.0.2.16 49761 3389 6 ${v || '-'} ${v || '-'} 1418530010 1418530070 REJECT OK`,
      (ev) => expect(ev).toMatchObject({ action: 'reject', destinationPort: 3389 }),
    );
  });

  it('Azure flow tuple', () => {
    each(
      (v) =>
        `{"time":"2025-04-30T09:07:40Z","flowLogVersion":4,"rule":"r","flow.0":"1663146003606,192.0.2.4,198.51.100.180,23956,443,6,O,E,NX,${v},${v},${v},${v}"}`,
      (ev) => expect(ev).toMatchObject({ destinationPort: 443, connectionPhase: 'end' }),
    );
  });

  it('Google Cloud VPC flow', () => {
    each(
      (v) =>
        `{"jsonPayload":{"connection":{"src_ip":"198.51.100.23","src_port":51514,"dest_ip":"192.0.2.10","dest_port":22,"protocol":6},"reporter":"DEST","packets_sent":"${v}","bytes_sent":"${v}","start_time":"2024-03-05T10:15:02Z"},"timestamp":"2024-03-05T10:15:02Z"}`,
    );
    // A JSON number beyond 2^53 - 1 (2^64 read as a double) is no count either.
    const big = eventOf(
      '{"jsonPayload":{"connection":{"src_ip":"198.51.100.23","src_port":51514,"dest_ip":"192.0.2.10","dest_port":22,"protocol":6},"packets_sent":18446744073709551616,"bytes_sent":-1,"start_time":"2024-03-05T10:15:02Z"}}',
    );
    expect(counts(big)).toEqual({});
  });

  it('Zeek conn', () => {
    each(
      (v) =>
        `{"ts":1547188415.857497,"uid":"CAcJw21BbVedgFnYH3","id.orig_h":"198.51.100.167","id.orig_p":38339,"id.resp_h":"192.0.2.1","id.resp_p":53,"proto":"udp","conn_state":"SF","orig_pkts":"${v}","orig_ip_bytes":"${v}","resp_pkts":"${v}","resp_ip_bytes":"${v}"}`,
      (ev) => expect(ev).toMatchObject({ connectionPhase: 'whole', destinationPort: 53 }),
    );
  });

  it('Suricata flow', () => {
    each(
      (v) =>
        `{"timestamp":"2024-01-09T15:07:44.740950+0000","flow_id":1,"event_type":"flow","src_ip":"198.51.100.4","src_port":5353,"dest_ip":"192.0.2.4","dest_port":53,"proto":"UDP","flow":{"pkts_toserver":"${v}","pkts_toclient":"${v}","bytes_toserver":"${v}","bytes_toclient":"${v}"}}`,
      (ev) => expect(ev).toMatchObject({ destinationPort: 53 }),
    );
  });
});

describe('a long text of digits is no count', () => {
  it('a 1,000-digit count is refused, the record kept', async () => {
    const digits = '9'.repeat(1_000);
    const { events } = await ingestText(
      `2 123456789010 eni-1235b8ca123456789 203.0.113.12 192.0.2.16 49761 3389 6 ${digits} ${digits} 1418530010 1418530070 REJECT OK\n`,
      { format: 'aws-vpc-flow' },
    );
    expect(events.length).toBe(1);
    expect(counts(events[0]!)).toEqual({});
  });
});
