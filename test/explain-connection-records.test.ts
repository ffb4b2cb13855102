// A connection or flow record explained as what it is, not as one packet: `fwlens explain`, the report's explanation
// of each event and the HTML report read the same explanation (src/explain/explain-event.ts), so these check it on
// real record layouts of each kind (cloud flow records, Azure denied tuples, SRX denied sessions, Zeek conn records,
// an ASA's opening record) in English and Chinese, and that a packet log's line reads word for word as
// it did. The ECS documents of the same records carry event.type connection.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toEcs } from '../src/event.js';
import { explainEvent } from '../src/explain/index.js';
import { allText, eventOf, expectWellFormed } from '../src/explain/test-support.js';
import type { Explanation } from '../src/explain/types.js';
import { zeekConn } from '../src/formats/zeek-conn.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { detect } from './detect-helpers.js';
import { ROOT, runCli } from './helpers.js';

const kb = knowledgeBase();

/** Line `n` (1-based) of a fixture file of test/fixtures. */
function fixtureLine(rel: string, n: number): string {
  return readFileSync(join(ROOT, 'test', 'fixtures', rel), 'utf8').split('\n')[n - 1]!;
}

function explain(line: string): Explanation {
  const x = explainEvent(eventOf(line), kb);
  expectWellFormed(x);
  return x;
}

/** The first section (what the line is), its title and lines, in one language. */
function recordSection(x: Explanation, lang: 'en' | 'zh'): { title: string; text: string } {
  const s = x.sections[0]!;
  expect(s.topic).toBe('packet');
  return { title: s.title[lang], text: s.lines.map((l) => l[lang]).join('\n') };
}

/** An AWS VPC flow log record (default v2 layout): REJECT of one 40-byte packet to 3389. */
const AWS_REJECT = fixtureLine('aws-vpc-flow/default-v2.log', 2);
/** An Azure VNet flow log tuple of a denied flow (state D): one 60-byte packet to 22, none back. */
const AZURE_DENIED = fixtureLine('azure-nsg-flow/vnet-v4-per-line.log', 3);
/** A Google Cloud VPC flow log entry: 24 packets to 22, no firewall decision. */
const GCP_FLOW = fixtureLine('gcp-vpc-flow/vpc-flows.log', 1);
/** A Juniper SRX RT_FLOW_SESSION_DENY in text form (logstash-patterns-core junos_spec.rb). */
const SRX_DENY = fixtureLine('juniper-srx/logstash-patterns-junos-rtflow.log', 3);
/** A Zeek conn record of an attempt nobody answered (S0): one 44-byte SYN. */
const ZEEK_S0 = fixtureLine('zeek-conn/json-and-ipv6.log', 4);
/** An ASA's Built record of an inbound TCP connection. */
const ASA_BUILT = fixtureLine('cisco-asa/asa-traffic.log', 1);
/** A ufw block of telnet (ufw/lab-ufw-rsyslog.log of the shared corpus). */
const UFW_TELNET =
  'Nov 25 16:47:13 vm kernel: [ 5950.659152] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=198.51.100.60 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=58600 DF PROTO=TCP SPT=57626 DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0 ';

describe('flow records (one 5-tuple over an interval)', () => {
  it('an AWS flow record is a flow record, in English and Chinese', () => {
    const x = explain(AWS_REJECT);
    const en = recordSection(x, 'en');
    expect(en.title).toBe('The flow record');
    expect(en.text).toContain(
      'Flow record of TCP traffic from 203.0.113.12 port 49761 to 192.0.2.16 port 3389: what one 5-tuple sent over one logging interval',
    );
    expect(en.text).toContain('It counted one packet, of 40 bytes.');
    const zh = recordSection(x, 'zh');
    expect(zh.title).toBe('流记录');
    expect(zh.text).toContain(
      '一条流记录:同一五元组在一个统计周期内从 203.0.113.12 端口 49761 发往 192.0.2.16 端口 3389 的 TCP 流量',
    );
    expect(zh.text).toContain('这一周期只统计到一个数据包,长 40 字节。');
    expect(x.headline.zh).toContain('发往 192.0.2.16 端口 3389 的 TCP 流量');
    expect(allText(x, 'en')).not.toMatch(/\bthe packet\b|TCP packet from/i);
    expect(allText(x, 'zh')).not.toContain('的 TCP 数据包');
  });

  it('an Azure denied tuple is a flow record', () => {
    const x = explain(AZURE_DENIED);
    expect(recordSection(x, 'en').title).toBe('The flow record');
    expect(recordSection(x, 'en').text).toContain('Flow record of TCP traffic from 198.51.100.5 port 55188');
    expect(recordSection(x, 'en').text).toContain('It counted one packet, of 60 bytes.');
    expect(recordSection(x, 'zh').title).toBe('流记录');
    expect(x.headline.zh).toContain('的 TCP 流量');
  });

  it('a Google Cloud flow entry without a decision: the record tells traffic, no verdict', () => {
    const x = explain(GCP_FLOW);
    const en = recordSection(x, 'en');
    expect(en.title).toBe('The flow record');
    expect(en.text).toContain(
      'The record only describes the traffic; it does not say whether it was allowed or dropped.',
    );
    // 24 packets: no one packet's length to tell.
    expect(en.text).not.toContain('counted one packet');
    expect(recordSection(x, 'zh').text).toContain('这条记录只说明了流量,没有说明它被放行还是被丢弃。');
    expect(allText(x, 'en')).not.toContain('only records the packet');
  });
});

describe('connection records (all the log says of one connection)', () => {
  it('an SRX denied session is a connection record, with its direction worded as traffic', () => {
    const x = explain(SRX_DENY);
    const en = recordSection(x, 'en');
    expect(en.title).toBe('The connection record');
    expect(en.text).toContain(
      'Connection record of UDP from 10.0.0.1 port 54924 to 192.168.1.1 port 53: the log’s one record of the whole connection, or of an attempt at one; not a single packet.',
    );
    const zh = recordSection(x, 'zh');
    expect(zh.title).toBe('连接记录');
    expect(zh.text).toContain('一条连接记录:从 10.0.0.1 端口 54924 到 192.168.1.1 端口 53 的 UDP 连接');
    expect(x.headline.zh).toContain('发往 192.168.1.1 端口 53 的 UDP 连接');
    expect(allText(x, 'en')).not.toMatch(/\bpacket travelled\b|\bthe packet was\b/);
    expect(allText(x, 'zh')).not.toContain('数据包的方向');
  });

  it('a Zeek conn record: a connection record a sensor wrote, with what its originator sent', () => {
    const x = explain(ZEEK_S0);
    const en = recordSection(x, 'en');
    expect(en.title).toBe('The connection record');
    expect(en.text).toContain('Connection record of TCP from 198.51.100.9 port 61011 to 192.0.2.20 port 23');
    expect(en.text).toContain('The side that opened it sent one packet, of 44 bytes.');
    expect(en.text).toContain('The record only describes the traffic');
    const zh = recordSection(x, 'zh');
    expect(zh.title).toBe('连接记录');
    expect(zh.text).toContain('发起方只发出了一个数据包,长 44 字节。');
    expect(x.headline.zh).toContain('发往 192.0.2.20 端口 23 的 TCP 连接');
    expect(allText(x, 'en')).not.toContain('only records the packet');
  });

  it('a denied SRX session from SIP port to SIP port is crafted traffic, not a crafted packet', () => {
    const x = explain(fixtureLine('juniper-srx/srx-structured-and-text.log', 10));
    const sport = x.sections.find((s) => s.topic === 'source-port')!.lines;
    expect(sport.map((l) => l.en)).toContain(
      'Source and destination port are both 5060: some services talk this way (NTP, NetBIOS, IKE, DNS between servers); otherwise the traffic was crafted.',
    );
    expect(sport.map((l) => l.zh).join('\n')).toContain('否则就是人为构造的流量。');
    expect(allText(x, 'en')).not.toContain('crafted packet');
  });

  it('an ASA’s Built record is the opening record of a connection', () => {
    const x = explain(ASA_BUILT);
    expect(recordSection(x, 'en').title).toBe('The opening record of a connection');
    expect(recordSection(x, 'en').text).toContain(
      'Opening record of a TCP connection from 203.0.113.45 port 51522 to 192.0.2.80 port 443',
    );
    expect(recordSection(x, 'zh').title).toBe('连接建立记录');
  });
});

describe('what a record summed (its packet and byte counts)', () => {
  /** The record section's lines in both languages. */
  const lines = (line: string) => ({
    en: recordSection(explain(line), 'en').text,
    zh: recordSection(explain(line), 'zh').text,
  });

  it('an AWS flow record of 20 packets: what its source sent, numbers grouped', () => {
    const { en, zh } = lines(fixtureLine('aws-vpc-flow/default-v2.log', 1));
    expect(en).toContain('The source sent 20 packets (4,249 bytes) in this record.');
    expect(zh).toContain('这条记录中,源端发出了 20 个数据包(共 4,249 字节)。');
  });

  it('a Google Cloud flow entry reported by its receiver: what the source sent all the same', () => {
    const { en, zh } = lines(GCP_FLOW);
    expect(en).toContain('The source sent 24 packets (3,848 bytes) in this record.');
    expect(zh).toContain('这条记录中,源端发出了 24 个数据包(共 3,848 字节)。');
  });

  it('an SRX closed session: both ways', () => {
    const { en, zh } = lines(fixtureLine('juniper-srx/logstash-patterns-junos-rtflow.log', 1));
    expect(en).toContain(
      'The source sent 78 packets (6,657 bytes) and the destination 122 packets (13,305 bytes) in this record.',
    );
    expect(zh).toContain(
      '这条记录中,源端发出了 78 个数据包(共 6,657 字节),目的端发回了 122 个数据包(共 13,305 字节)。',
    );
  });

  it('one packet each way: the singular', () => {
    const { en, zh } = lines(zeekConn.example);
    expect(en).toContain(
      'The source sent 1 packet (103 bytes) and the destination 1 packet (206 bytes) in this record.',
    );
    expect(zh).toContain(
      '这条记录中,源端发出了 1 个数据包(共 103 字节),目的端发回了 1 个数据包(共 206 字节)。',
    );
  });

  it('an ASA Teardown gives the bytes of both ways together, and says so', () => {
    const { en, zh } = lines(
      '%ASA-6-302014: Teardown TCP connection 3642851852 for outside:198.51.100.1/63677 to dmz:192.0.2.2/443 duration 0:10:06 bytes 4666 TCP FINs',
    );
    expect(en).toContain('The connection carried 4,666 bytes in this record, both ways together.');
    expect(zh).toContain('这条记录中,连接双向共传输了 4,666 字节。');
  });

  it('no second line for a record whose one packet was told, nor for counts that are all 0', () => {
    for (const line of [AWS_REJECT, AZURE_DENIED, ZEEK_S0])
      expect(lines(line).en).not.toContain('in this record');
    const begin = eventOf(
      '{"time":"2025-04-30T09:07:40Z","flowLogVersion":4,"rule":"r","flow.0":"1663146003599,192.0.2.4,198.51.100.180,23956,443,6,O,B,NX,0,0,0,0"}',
    );
    expect(begin.sourcePackets).toBe(0);
    expect(allText(explainEvent(begin, kb), 'en')).not.toContain('in this record');
  });
});

describe('a packet log’s line reads as it did', () => {
  it('a ufw block is a packet, word for word', () => {
    const x = explain(UFW_TELNET);
    expect(recordSection(x, 'en')).toEqual({
      title: 'The packet',
      text: [
        'TCP packet from 198.51.100.60 port 57626 to 192.0.2.10 port 23.',
        'The firewall dropped it silently: the sender got no answer.',
        'Logged by rule "UFW BLOCK".',
        'It arrived on interface eth0.',
      ].join('\n'),
    });
    expect(recordSection(x, 'zh').title).toBe('数据包');
    expect(recordSection(x, 'zh').text).toContain(
      '一个从 198.51.100.60 端口 57626 发往 192.0.2.10 端口 23 的 TCP 数据包。',
    );
    expect(x.headline.zh).toMatch(/^已丢弃:198\.51\.100\.60 发往 192\.0\.2\.10 端口 23 的 TCP 数据包:/);
  });
});

describe('ECS categorization of records', () => {
  const types = (line: string) => (toEcs(eventOf(line)).event as { type: string[] }).type;

  it('a whole connection’s one record is a connection event (SRX denied session, Zeek conn)', () => {
    expect(types(SRX_DENY)).toEqual(['connection', 'denied']);
    expect(types(ZEEK_S0)).toEqual(['connection', 'info']);
  });

  it('flow records are connection events, opening and closing records too', () => {
    expect(types(AWS_REJECT)).toEqual(['connection', 'denied']);
    expect(types(AZURE_DENIED)).toEqual(['connection', 'denied']);
    expect(types(ASA_BUILT)).toEqual(['connection', 'start', 'allowed']);
  });

  it('analyze --ndjson writes them so: every Zeek conn record, and an SRX log’s denied session', async () => {
    /** event.type of each event document `analyze --ndjson` writes for a fixture, by its original line. */
    const written = async (rel: string) => {
      const r = await runCli(['analyze', '--ndjson', join(ROOT, 'test', 'fixtures', rel)]);
      expect(r.code).toBe(0);
      const docs = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: { kind: string; type: string[]; original?: string } })
        .filter((d) => d.event.kind === 'event');
      expect(docs.length).toBeGreaterThan(0);
      return docs.map((d) => ({ line: d.event.original ?? '', type: d.event.type }));
    };
    for (const d of await written('zeek-conn/json-and-ipv6.log'))
      expect(d.type).toEqual(['connection', 'info']);
    const srx = await written('juniper-srx/logstash-patterns-junos-rtflow.log');
    expect(srx.find((d) => d.line.includes('RT_FLOW_SESSION_DENY'))?.type).toEqual(['connection', 'denied']);
    expect(srx.find((d) => d.line.includes('RT_FLOW_SESSION_CREATE'))?.type).toEqual([
      'connection',
      'start',
      'allowed',
    ]);
  });

  it('a packet is no connection event', () => {
    expect(types(UFW_TELNET)).toEqual(['denied']);
    const doc = toEcs(eventOf(SRX_DENY));
    expect(doc.event).toMatchObject({ kind: 'event', category: ['network'], outcome: 'failure' });
  });
});

describe('a LAND-shaped source in flow records', () => {
  it('says the records have the shape of a LAND attack, not that they are LAND packets', () => {
    // The Azure denied tuple with its source set to its destination, three minutes running.
    const lines = [0, 1, 2].map((i) =>
      AZURE_DENIED.replace('1663145998065,198.51.100.5,', `${1663145998065 + i * 60_000},192.0.2.4,`),
    );
    const f = detect(lines).find((x) => x.detector === 'spoofing');
    expect(f?.explanation.en).toContain(
      'but source equals destination (the shape of a "LAND" attack, whose packets can hang old stacks)',
    );
    expect(f?.explanation.en).not.toContain('a "LAND" packet');
    expect(f?.explanation.zh).toContain('源地址等于目的地址(即“LAND”攻击的形态,这种包可使老旧协议栈挂起)');
  });
});
