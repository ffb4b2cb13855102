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
  for (const k of [
    'sourcePackets',
    'sourceBytes',
    'destinationPackets',
    'destinationBytes',
    'networkBytes',
  ] as const)
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
    expect(trafficCount('40.0')).toBe(40);
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

  it('Juniper SRX SESSION_CLOSE: from the client (the source) and from the server, structured and text', async () => {
    const sd = await byLine(corpus('juniper-srx/integrations-srx-flow-rfc5424.log'));
    expect(counts(sd.get(8)!)).toEqual({
      sourcePackets: 6,
      sourceBytes: 337,
      destinationPackets: 4,
      destinationBytes: 535,
    });
    // APPTRACK_SESSION_CLOSE too.
    expect(counts(sd.get(15)!)).toEqual({
      sourcePackets: 3,
      sourceBytes: 144,
      destinationPackets: 2,
      destinationBytes: 104,
    });
    const text = eventOf(lineOf(corpus('juniper-srx/logstash-patterns-junos-rtflow.log'), 1));
    expect(counts(text)).toEqual({
      sourcePackets: 78,
      sourceBytes: 6657,
      destinationPackets: 122,
      destinationBytes: 13305,
    });
  });

  it('PAN-OS TRAFFIC: bytes and packets sent (client to server) and received, CSV, CEF and JSON', async () => {
    const events = await byLine(corpus('panos/sekoia-paloalto-ngfw.log'));
    // CSV, TRAFFIC end: bytes 2346 = 1974 + 372, packets 9 = 6 + 3.
    expect(counts(events.get(7)!)).toEqual({
      sourcePackets: 6,
      sourceBytes: 1974,
      destinationPackets: 3,
      destinationBytes: 372,
    });
    expect(counts(events.get(79)!)).toEqual({
      sourcePackets: 7,
      sourceBytes: 758,
      destinationPackets: 7,
      destinationBytes: 5015,
    });
    // Logging Service JSON.
    expect(counts(events.get(71)!)).toEqual({
      sourcePackets: 3,
      sourceBytes: 723,
      destinationPackets: 1,
      destinationBytes: 74,
    });
    // Logging Service CEF: out=2755 in=10688 (PanOSBytes=13443), PanOSPacketsSent=13 PanOSPacketsReceived=19.
    expect(counts(events.get(77)!)).toEqual({
      sourcePackets: 13,
      sourceBytes: 2755,
      destinationPackets: 19,
      destinationBytes: 10688,
    });
  });

  it('FortiGate traffic: sentbyte / sentpkt from the source, rcvdbyte / rcvdpkt back, key=value and CEF', async () => {
    const events = await byLine(corpus('fortigate/sekoia-fortigate.log'));
    // A session 19 days long: 12.6 GB out, 24.4 GB back (beyond 32 bits: kept whole).
    expect(counts(events.get(63)!)).toEqual({
      sourcePackets: 133755826,
      sourceBytes: 12604185928,
      destinationPackets: 115991007,
      destinationBytes: 24366746607,
    });
    // CEF: out=3652 in=146668 FTNTFGTsentpkt=58 FTNTFGTrcvdpkt=105.
    expect(counts(events.get(72)!)).toEqual({
      sourcePackets: 58,
      sourceBytes: 3652,
      destinationPackets: 105,
      destinationBytes: 146668,
    });
  });

  it('Cisco ASA / PIX Teardown: the bytes of both ways together; FTD connection events each side', async () => {
    const asa = await byLine(corpus('cisco-asa/sekoia-cisco-secure-firewall.log'));
    // %ASA-6-302014 ... duration 0:10:06 bytes 4666: no side's share, so network.bytes alone.
    expect(counts(asa.get(21)!)).toEqual({ networkBytes: 4666 });
    const pix = eventOf(lineOf(corpus('cisco-asa/ossec-docs-cisco-pix.log'), 103));
    expect(counts(pix)).toEqual({ networkBytes: 185 });
    const ftd = await byLine(corpus('cisco-ftd/integrations-ftd-security-connection.log'));
    // 430003: InitiatorPackets 1, InitiatorBytes 98 (SrcIP, the initiator), ResponderPackets 1, ResponderBytes 98.
    expect(counts(ftd.get(2)!)).toEqual({
      sourcePackets: 1,
      sourceBytes: 98,
      destinationPackets: 1,
      destinationBytes: 98,
    });
  });

  it('Sophos, Stormshield, NetScreen, Clavister, WatchGuard: each way as the record names it', async () => {
    // Sophos XG: packets_sent=2 bytes_sent=168 packets_received=2 bytes_received=168.
    const xg = await byLine(corpus('sophos/integrations-sophos-xg-firewall.log'));
    expect(counts(xg.get(4)!)).toEqual({
      sourcePackets: 2,
      sourceBytes: 168,
      destinationPackets: 2,
      destinationBytes: 168,
    });
    // Stormshield connection records: sent=2827291 rcvd=2728401 (bytes only).
    const sns = await byLine(corpus('other-stormshield/sekoia-stormshield-sns.log'));
    expect(counts(sns.get(9)!)).toEqual({ sourceBytes: 2827291, destinationBytes: 2728401 });
    expect(counts(sns.get(10)!)).toEqual({ sourceBytes: 98, destinationBytes: 766 });
    // ScreenOS traffic log: sent=0 rcvd=60.
    const ns = await byLine(corpus('netscreen/ossec-docs-netscreen.log'));
    expect(counts(ns.get(4)!)).toEqual({ sourceBytes: 0, destinationBytes: 60 });
    // Clavister: origsent=144 termsent=40.0 (a whole number with a zero fraction).
    const cl = await byLine(corpus('other-clavister/sekoia-clavister-ngfw.log'));
    expect(counts(cl.get(55)!)).toEqual({ sourceBytes: 144, destinationBytes: 40 });
    // WatchGuard LEEF: sent_bytes=69 rcvd_bytes=185.
    const wg = await byLine(corpus('other-watchguard/sekoia-watchguard-firebox.log'));
    expect(counts(wg.get(3)!)).toEqual({ sourceBytes: 69, destinationBytes: 185 });
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

  it('Juniper SRX, structured and text', () => {
    each(
      (v) =>
        `<14>1 2019-04-12T14:29:06.576Z fw RT_FLOW - RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.40 reason="TCP FIN" source-address="198.51.100.3" source-port="47776" destination-address="192.0.2.15" destination-port="80" service-name="junos-http" protocol-id="6" policy-name="p" source-zone-name="trust" destination-zone-name="untrust" session-id-32="5" packets-from-client="${v}" bytes-from-client="${v}" packets-from-server="${v}" bytes-from-server="${v}" elapsed-time="1"]`,
      (ev) => expect(ev).toMatchObject({ connectionPhase: 'end', sessionId: '5' }),
    );
    each(
      (v) =>
        `Dec 17 08:05:30 RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed TCP FIN: 198.51.100.2/53836->192.0.2.1/22 junos-ssh 198.51.100.2/53836->192.0.2.1/22 None None 6 log-host-traffic untrust junos-host 5 ${v}(${v}) ${v}(${v}) 45 UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0 No`,
      (ev) => expect(ev).toMatchObject({ connectionPhase: 'end', destinationPort: 22 }),
    );
  });

  it('PAN-OS TRAFFIC: a count out of range, or a pair that does not sum to its total', () => {
    const line = (sent: string, received: string, total: string) =>
      `1,2026/11/25 16:46:39,013201001234,TRAFFIC,end,2561,2026/11/25 16:46:39,203.0.113.7,192.0.2.10,0.0.0.0,0.0.0.0,allow-web,,,web-browsing,vsys1,untrust,trust,ethernet1/1,ethernet1/2,default,2026/11/25 16:46:39,4242,1,40112,443,0,0,0x0,tcp,allow,${total},${sent},${received},9,2026/11/25 16:46:39,0,any,0,7290001,0x0,Reserved,192.0.2.0-192.0.2.255,0,6,3,tcp-fin,0,0,0,0,,PA-440,from-policy,,,0,,0,,N/A,0,0,0,0`;
    expect(counts(eventOf(line('1974', '372', '2346')))).toEqual({
      sourcePackets: 6,
      sourceBytes: 1974,
      destinationPackets: 3,
      destinationBytes: 372,
    });
    for (const v of HOSTILE) {
      const ev = eventOf(line(v, '372', '2346'));
      expect(counts(ev), v).toEqual({ sourcePackets: 6, destinationPackets: 3 });
      expect(ev).toMatchObject({ connectionPhase: 'end', sessionId: '4242' });
    }
    // Columns moved by one (a sum that does not hold): no bytes rather than wrong ones.
    expect(counts(eventOf(line('2346', '1974', '372')))).toEqual({ sourcePackets: 6, destinationPackets: 3 });
  });

  it('FortiGate', () => {
    each(
      (v) =>
        `date=2026-11-25 time=16:46:39 devname="FGT60E" devid="FGT60E0000000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=198.51.100.5 srcport=40112 srcintf="port1" dstip=192.0.2.10 dstport=443 dstintf="port2" proto=6 action="close" policyid=1 sentbyte="${v}" rcvdbyte="${v}" sentpkt="${v}" rcvdpkt="${v}"`,
      (ev) => expect(ev).toMatchObject({ action: 'allow', connectionPhase: 'end' }),
    );
  });

  it('Cisco ASA Teardown: its layout takes digits only, so a count too large for 2^53 - 1', () => {
    for (const v of ['18446744073709551616', '9007199254740992', '9'.repeat(300)]) {
      const ev = eventOf(
        `%ASA-6-302014: Teardown TCP connection 3642851852 for outside:198.51.100.1/63677 to dmz:192.0.2.2/443 duration 0:10:06 bytes ${v} TCP FINs`,
      );
      expect(counts(ev), v).toEqual({});
      expect(ev).toMatchObject({ connectionPhase: 'end', sessionId: '3642851852' });
    }
  });

  it('Sophos, Stormshield, NetScreen', () => {
    each(
      (v) =>
        `device_name="XGS136" timestamp="2026-11-25T16:46:39+0100" log_id="010101600001" log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" status="Allow" fw_rule_id="5" src_ip="203.0.113.7" dst_ip="192.0.2.10" protocol="TCP" src_port=40112 dst_port=443 sent_pkts=${v} recv_pkts=${v} sent_bytes=${v} recv_bytes=${v}`,
      (ev) => expect(ev).toMatchObject({ action: 'allow', destinationPort: 443 }),
    );
    each(
      (v) =>
        `id=firewall time="2026-11-25 16:46:39" fw="SN310A00000001" tz=+0100 ruleid=7 srcif="Ethernet0" ipproto=tcp dstif="Ethernet1" proto=ssh src=203.0.113.7 srcport=40112 dst=192.0.2.10 dstport=22 action=pass logtype="connection" sent=${v} rcvd=${v}`,
      (ev) => expect(ev).toMatchObject({ action: 'allow', destinationPort: 22 }),
    );
    each(
      (v) =>
        `NetScreen device_id=ssg-edge [Root]system-notification-00257(traffic): start_time="2026-03-14 09:10:00" duration=0 policy_id=320001 service=tcp/port:22 proto=6 src zone=Untrust dst zone=Trust action=Permit sent=${v} rcvd=${v} src=203.0.113.7 dst=192.0.2.10 src_port=40112 dst_port=22`,
      (ev) => expect(ev).toMatchObject({ action: 'allow', destinationPort: 22 }),
    );
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
