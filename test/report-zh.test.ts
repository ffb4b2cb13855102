// The Chinese report says everything in Chinese: non-traffic kinds, damaged-line reasons, scan names, the
// data footer and the HTML technique field, with measure words and table headers that line up.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reasonText } from '../src/formats/damaged.js';
import { flowEvent, parseJsonObject } from '../src/formats/flow-record.js';
import type { ParseError } from '../src/formats/types.js';
import { hasMessage, type Message, nonTrafficKindText, nonTrafficKindZh } from '../src/i18n.js';
import { analyze } from '../src/index.js';
import { renderHtml } from '../src/report/html/index.js';
import type { Report } from '../src/report/model.js';
import { displayWidth, renderText } from '../src/report/text.js';
import { CORPUS, HAVE_CORPUS, ingestFiles, ingestText } from './helpers.js';

const SAMPLE = 'examples/sample.log';
/** Fixtures holding non-traffic records of several vendors and damaged netfilter lines. */
const MIXED = [
  'test/fixtures/fortigate/utm-anomaly-events.log',
  'test/fixtures/aws-vpc-flow/custom-header.log',
  'test/fixtures/aws-vpc-flow/v5-all-fields.log',
  'test/fixtures/checkpoint/log-exporter-catalog.log',
  'test/fixtures/netfilter/reject.log',
  'test/fixtures/panos/reject.log',
];

/** English phrases the reviewer found in `--lang zh` output, and Chinese that lacked its measure word or spacing. */
const NOT_IN_ZH = [
  /\bscan \(-s[A-Z]\)/,
  /ASN data:/,
  /Country data:/,
  /modified \(compiled/,
  /, approximate\b/,
  /\d 损坏的防火墙日志行/,
  /\d 无法识别格式的行/,
  /(分钟|小时|秒|天) (一次|一个新探测|内)/,
  /。\)。/,
];

/** Damaged-line reasons the parsers give in English (every format's, worded again in Chinese). */
const REASONS_IN_ENGLISH = [
  /\bout of range\b/,
  /\bis missing\b/,
  /\bis not\b/,
  /\bis neither\b/,
  /\bare not\b/,
  /truncated netfilter line/,
  /no known firewall log format/,
  /\bdoes not have the documented\b/,
  /\b(?:record|line|event|alert|part) without\b/,
  /\bnames no\b/,
  /\bhas \d+ (?:columns|fields)\b/,
  /\bheader (?:is incomplete|has fewer)\b/,
  /\bcut short\b/,
  /\bthe capture (?:is|has)\b/,
  /\bpacket block\b/,
];

/** Kind names of non-traffic records that must not be left in English. */
const KINDS_IN_ENGLISH = [
  /\bconfiguration \d/,
  /\bauthentication \d/,
  /\bsystem event \d/,
  /\bVPN \d/,
  /\bheader \d/,
  /no data \(no traffic/,
  /VPN key exchange/,
  /not understood:/,
];

/** The first match of each pattern in a text (empty when none matches), so a failure shows the phrase, not the page. */
const found = (text: string, patterns: RegExp[]) =>
  patterns.flatMap((re) => {
    const m = re.exec(text);
    return m ? [`${re}: …${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20)}…`] : [];
  });

let sample: Report;
let mixed: Report;

beforeAll(async () => {
  sample = await analyze([SAMPLE], { context: true });
  mixed = await analyze(MIXED, { year: 2026 });
}, 120_000);

describe('zh terminal report', () => {
  it('of the sample leaves no English phrase or stray Chinese spacing', () => {
    const text = renderText(sample, 'zh', { color: false });
    expect(found(text, NOT_IN_ZH)).toEqual([]);
  });

  it('of vendor samples leaves no English phrase or stray Chinese spacing', () => {
    expect(found(renderText(mixed, 'zh', { color: false }), NOT_IN_ZH)).toEqual([]);
  });

  it('names non-traffic kinds in Chinese', () => {
    const text = renderText(mixed, 'zh', { color: false });
    expect(text).toContain('非流量记录');
    expect(found(text, KINDS_IN_ENGLISH)).toEqual([]);
  });

  it('gives damaged-line reasons in Chinese', () => {
    expect(found(renderText(sample, 'zh', { color: false }), REASONS_IN_ENGLISH)).toEqual([]);
  });

  it('keeps the English report in English', () => {
    const text = renderText(mixed, 'en', { color: false });
    expect(text).toMatch(/configuration \d/);
    expect(text).toMatch(/is out of range|is not a/);
  });

  it.each(['en', 'zh'] as const)('separates and aligns the table headers with their rows (%s)', (lang) => {
    const lines = renderText(sample, lang, { color: false }).split('\n');
    const headers = lines.filter((l) => /^(sev|级别)\s/.test(l));
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const header of headers) {
      const row = lines[lines.indexOf(header) + 1]!;
      expect(row).toMatch(/^\[\d\] /);
      // The key column (port, address) starts at the same display column in the header and in the row.
      const headerKey = displayWidth(header.match(/^\S+\s+/)![0]);
      const rowKey = displayWidth(row.match(/^\[\d\]\s+/)![0]);
      expect(headerKey).toBe(rowKey);
    }
  });
});

describe('non-traffic kinds', () => {
  /** Every kind the format fixtures' expected outputs and the shared corpus give. */
  const kinds = new Set<string>();
  beforeAll(async () => {
    for (const dir of readdirSync('test/fixtures'))
      for (const f of readdirSync(`test/fixtures/${dir}`).filter((n) => n.endsWith('.expected.json')))
        for (const r of JSON.parse(readFileSync(`test/fixtures/${dir}/${f}`, 'utf8')) as { skip?: string }[])
          if (r.skip !== undefined) kinds.add(r.skip);
    if (HAVE_CORPUS) {
      const files = readdirSync(CORPUS, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) =>
          readdirSync(join(CORPUS, d.name))
            .filter((f) => !f.endsWith('.expected.json'))
            .map((f) => join(CORPUS, d.name, f)),
        );
      for (const path of files)
        for (const input of (await ingestFiles([path], { year: 2026 })).stats.inputs)
          for (const kind of Object.keys(input.nonTraffic)) kinds.add(kind);
    }
  }, 120_000);

  it('each have a Chinese wording', () => {
    expect(kinds.size).toBeGreaterThan(HAVE_CORPUS ? 100 : 60);
    expect([...kinds].filter((k) => nonTrafficKindZh(k) === undefined)).toEqual([]);
  });

  it("keep the vendor's word of a templated kind and stay English in English", () => {
    expect(nonTrafficKindText('not understood: ASA-6-999001', 'zh')).toBe('未识别:ASA-6-999001');
    expect(nonTrafficKindText('zeek dns record', 'zh')).toBe('zeek dns 记录');
    expect(nonTrafficKindText('possible SYN flood on port 443: SYN cookies sent', 'zh')).toContain('443');
    expect(nonTrafficKindText('$& record', 'zh')).toBe('$& 记录');
    expect(nonTrafficKindText('configuration', 'en')).toBe('configuration');
    expect(nonTrafficKindText('toString', 'zh')).toBe('toString');
  });

  it('stay English keys in the JSON report', () => {
    const kindsOf = mixed.inputs.flatMap((i) => Object.values(i.nonTraffic ?? {}).flatMap(Object.keys));
    expect(kindsOf).toContain('configuration');
    expect(kindsOf.some((k) => /[\u4e00-\u9fff]/.test(k))).toBe(false);
  });
});

describe('damaged-line reasons', () => {
  const K = 'Jan  8 03:37:09 host kernel: [ 12.345678] ';
  const PACKET = 'SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 PROTO=TCP SPT=1 DPT=7 SYN';
  /** One damaged line for each reason the netfilter parser gives. */
  const NETFILTER = [
    `${K}IN=eth0 OUT= ${PACKET.replace('DPT=7', 'DPT=70000')}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('LEN=60', 'LEN=6x0')}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('TTL=64', 'TOS=0xZZ TTL=64')}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('192.0.2.1', '192.0.2.999')}`,
    `${K}IN=eth0 OUT= ${PACKET} IN=eth0 OUT= ${PACKET}`,
    `${K}DROP: ${PACKET}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('SRC=192.0.2.1 ', '')}`,
    `${K}IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64`,
    `${K}IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 PROTO=UDP`,
    `${K}IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 PROTO=300`,
  ];
  /** Reasons of the shared flow-record helpers, as the JSON and column formats get them. */
  const shared = () => [
    flowEvent('x', 'deny', 'inbound', { sourceIp: 'example.com' }),
    flowEvent('x', 'deny', 'inbound', { destinationPort: '77777' }),
    flowEvent('x', 'deny', 'inbound', { protocol: '300' }),
    parseJsonObject('{"srcaddr": '),
    // Deep enough, and long enough, for the depth scan to refuse it before JSON.parse.
    parseJsonObject(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`),
  ];

  /** Header lines some layouts need before a record. */
  const ISA_FIREWALL =
    '#Fields: computer\tdate\ttime\tIP protocol\tsource\tdestination\toriginal client IP\tsource network\tdestination network\taction\tstatus\trule\tapplication protocol';
  const ISA_PACKET_FILTER =
    '#Fields: date\ttime\tsource-ip\tdestination-ip\tprotocol\tparam#1\tparam#2\ttcp-flags\tfilter-rule\tinterface\tip-header\tpayload';
  const ZEEK_HEADER =
    '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state';
  const CSV_HEADER = 'time,src_ip,src_port,dst_ip,dst_port,proto,verdict,dir,policy,bytes';
  /**
   * One damaged line (after the header lines its layout needs) for each reason the other text formats give,
   * with that reason in English: read through the pipeline, each line must give that reason in both languages.
   * Not here: reasons no line can reach today (an AWS Network Firewall event that is no flow or alert, an
   * unknown Windows Firewall action: both are filtered out before), and the shared ones checked above.
   */
  const FORMAT_DAMAGE: Record<string, [text: string, reason: string][]> = {
    'cisco-asa': [
      [
        'Mar 14 08:14:14 asa-edge1 %ASA-4-106023: Deny tcp src outside:203.0.113.77/40114 dst ins',
        'message 106023 does not have the documented layout',
      ],
      [
        'Jun 02 2026 09:01:00 ftd-02 : %FTD-1-430001: EventPriority: High, Priority: 1, GID: 1, SID: 31978, Revision: 5, Message: SERVER-WEBAPP directory traversal attempt',
        'FTD event 430001 names no SrcIP or DstIP',
      ],
    ],
    fortigate: [
      ['CEF:0|Fortinet|Fortigate|v7.2.8|00013', 'CEF header has fewer than seven |-separated fields'],
    ],
    cef: [['CEF:0|Acme Networks|EdgeWall', 'CEF header has fewer than seven |-separated fields']],
    sonicwall: [['CEF:0|SonicWall|NSa 2700', 'CEF header has fewer than seven |-separated fields']],
    leef: [
      [
        'LEEF:2.0|Acme Networks|EdgeWall|4.2|traffic-deny|zz|src=203.0.113.7^dst=192.0.2.10',
        'LEEF header is incomplete or names an unreadable delimiter',
      ],
    ],
    'pf-filterlog': [
      [
        'Nov 24 08:01:12 fw1.example.net filterlog[41033]: 5,,,1000000103,igb0,match,scrub,in,4,0x0,,51,33516,0,DF,6,tcp,60,203.0.113.7,192.0.2.10,51234,22,0,S,2840219431,,29200,,mss',
        'filterlog action "scrub" is not pass, block or reject',
      ],
      [
        'Nov 24 08:01:12 fw1.example.net filterlog[41033]: 5,,,1000000103,igb0,match,block,in,4,0x0,,51',
        'filterlog line ends inside the IPv4 header columns',
      ],
      [
        'Nov 24 08:01:12 fw1.example.net filterlog[41033]: 5,,,1000000103,igb0,match,block,in,6,0x00,0x3a1f2,57,tcp,6,40,203.0.113.7,192.0.2.10,40022,22,0,S,123456789,,64800,,mss',
        'addresses are not IPv6 as the version column says',
      ],
    ],
    'pf-tcpdump': [
      [
        'Nov 24 11:20:01.104233 rule 2/0(match): block in on em0: truncated-by-snaplen',
        'pflog record without a "source > destination:" part',
      ],
    ],
    'suricata-eve': [
      [
        '{"timestamp":"2025-02-11T08:30:01.100200+0000","flow_id":1180240582373922,"event_type":"alert","src_ip":"198.51.100.66","src_port":41522,"dest_ip":"192.0.2.10","dest_port":23,"proto":"TCP","alert":{"action":"perhaps"}}',
        'alert action "perhaps" is not allowed or blocked',
      ],
      [
        '{"timestamp":"2025-02-11T08:30:01.100200+0000","flow_id":1180240582373922,"event_type":"flow","src_port":41522,"dest_port":23,"proto":"TCP"}',
        'flow record without src_ip or dest_ip',
      ],
      [
        '{"timestamp":"sometime","flow_id":1180240582373922,"event_type":"flow","src_ip":"198.51.100.66","src_port":41522,"dest_ip":"192.0.2.10","dest_port":23,"proto":"TCP"}',
        'timestamp "sometime" is not an ISO 8601 stamp',
      ],
    ],
    'aws-network-firewall': [
      [
        '{"firewall_name":"edge-nfw","availability_zone":"us-east-1a","event_timestamp":"1780481703","event":"netflow"}',
        'firewall log record whose "event" is not an object',
      ],
      [
        '{"firewall_name":"edge-nfw","availability_zone":"us-east-1a","event_timestamp":"1780481703","event":{"timestamp":"2026-06-03T10:15:03.006481+0000","src_ip":"203.0.113.61","dest_ip":"192.0.2.156"}}',
        'firewall log event without an event_type',
      ],
    ],
    ipfw: [
      [
        'Mar 14 10:02:03 gw1 kernel: ipfw: 100 Deny TCP 198.51.100.5:4711',
        'ipfw record without "<rule> <action> <protocol> <source> <destination> in|out via"',
      ],
      [
        'Mar 14 10:02:04 gw1 kernel: ipfw: 500 Deny ICMP:8.0 203.0.113.9:1234 192.0.2.10 in via em0',
        'ipfw ICMP record with ports on its addresses',
      ],
      [
        'Mar 14 10:02:04 gw1 kernel: ipfw: 500 Deny ICMP:300.0 203.0.113.9 192.0.2.10 in via em0',
        'ICMP type/code ICMP:300.0 out of range',
      ],
      [
        'Mar 14 10:02:05 gw1 kernel: ipfw: 100 Deny UDP 203.0.113.9:53 192.0.2.10:53 in via em0 (frag 12ab)',
        'ipfw fragment note "(frag 12ab)" is not (frag id:offset@length)',
      ],
      [
        'Mar 14 10:02:05 gw1 kernel: ipfw: 100 Deny UDP 203.0.113.9:53 192.0.2.10:53 in via em0 (frag 70000:0@1480+)',
        'IP id 70000 out of range',
      ],
      [
        'Mar 14 10:02:05 gw1 kernel: ipfw: 100 Deny UDP 203.0.113.9:53 192.0.2.10:53 in via em0 (frag 4660:80000@1480)',
        'fragment offset 80000 out of range',
      ],
    ],
    'windows-pfirewall': [
      [
        '2022-04-20 17:33:55 DROP TCP 192.0.2.1 192.0.2.10 1137 445 78 SX - - - - - - RECEIVE',
        'tcpflags "SX" are not TCP flag letters',
      ],
    ],
    'aws-vpc-flow': [
      [
        '2 123456789010 eni-1235b8ca123456789 198.51.100.7 192.0.2.16 20641 22 6 20 4249 1418530010 1418530070 MAYBE OK',
        'action "MAYBE" is neither ACCEPT nor REJECT',
      ],
      [
        '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1418530010 1418530070 REJECT OK',
        'flow record without source or destination address',
      ],
      [
        '2 123456789010 eni-1235b8ca123456789 198.51.100.7 192.0.2.16 20641 22 6 20 4249 yesterday 1418530070 REJECT OK',
        'start time "yesterday" is not epoch seconds',
      ],
      [
        '2 123456789010 eni-1235b8ca123456789 198.51.100.7 192.0.2.16 20641 22 6 20 4249',
        'AWS VPC flow record with 10 fields: a custom format needs its header line',
      ],
      [
        'dstport version interface-id srcaddr dstaddr srcport protocol packets bytes start end action log-status\n22 v2 eni-1235b8ca123456789 198.51.100.7 192.0.2.16 20641 6 20 4249 1418530010 1418530070 REJECT OK',
        'version "v2" is not a number',
      ],
    ],
    'gcp-vpc-flow': [
      [
        '{"jsonPayload":{"connection":{"src_ip":"198.51.100.23","src_port":51514,"dest_ip":"192.0.2.10","dest_port":3389,"protocol":6},"disposition":"MAYBE"},"timestamp":"2024-03-05T10:15:02Z"}',
        'disposition "MAYBE" is not ALLOWED or DENIED',
      ],
      [
        '{"jsonPayload":{"connection":{"src_ip":"198.51.100.23","src_port":51514,"dest_ip":"192.0.2.10","dest_port":3389,"protocol":6},"disposition":"DENIED"},"timestamp":"yesterday"}',
        'time "yesterday" is not an RFC 3339 stamp',
      ],
    ],
    'azure-nsg-flow': [
      [
        '{"time":"2018-11-13T12:00:35.3899262Z","rule":"DefaultRule_DenyAllInBound","flow.0":"1542110402,198.51.100.94,192.0.2.4"}',
        'flow tuple has 3 fields; NSG and VNet tuples have 8 or 13',
      ],
      [
        '{"time":"2025-04-30T09:07:40.986182+00:00","flowLogVersion":4,"rule":"BlockHighRiskTCPPortsFromInternet","flow.0":"1663145998065,203.0.113.6,192.0.2.4,55188,22,6,I,Q,NX,0,0,0,0"}',
        'flow state "Q" is not B, C, E or D',
      ],
      [
        '{"time":"2018-11-13T12:00:35.3899262Z","rule":"DefaultRule_DenyAllInBound","flowTuple":"1542110402,198.51.100.94,192.0.2.4,50571,3389,T,I,Q"}',
        'decision "Q" is neither A nor D',
      ],
      [
        '{"time":"2018-11-13T12:00:35.3899262Z","rule":"DefaultRule_DenyAllInBound","flowTuple":"1542110402,198.51.100.94,192.0.2.4,50571,3389,T,I,D,Z,,,,"}',
        'flow state "Z" is not B, C or E',
      ],
      [
        '{"time":"2018-11-13T12:00:35.3899262Z","rule":"DefaultRule_DenyAllInBound","flowTuple":"1542110402,198.51.100.94,192.0.2.4,50571,3389,T,X,D"}',
        'direction "X" is neither I nor O',
      ],
      [
        '{"time":"2018-11-13T12:00:35.3899262Z","rule":"DefaultRule_DenyAllInBound","flowTuple":"yesterday,198.51.100.94,192.0.2.4,50571,3389,T,I,D"}',
        'tuple time "yesterday" is not epoch time',
      ],
      [
        '{"records":[{"properties":{"Version":2,"flows":[{"rule":"R","flows":[{"mac":"000D3AF87856","flowTuples":["1542110402,198.51.100.94,192.0.2.4,50571,3389,T,I,D,B,,,,","1542110403,198.51.100.94,192.0.2.4,50572,3389,T,I,Z,B,,,,"]}]}]}}]}',
        'flow tuple 2 of 2: decision "Z" is neither A nor D',
      ],
    ],
    'windows-wfp': [
      [
        '{"EventTime":"2026-06-03 10:20:00","Hostname":"WS01.example.test","EventID":5152,"SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","Application":"-","Direction":"%%14599","SourceAddress":"192.0.2.10","SourcePort":"137","DestAddress":"203.0.113.7","DestPort":"137","Protocol":"17"}',
        'direction "%%14599" is not %%14592 or %%14593',
      ],
      [
        '<13>Jun  3 12:10:00 WS03.example.test MSWinEventLog\t1\tSecurity\t201\tWed Jun 03 12:10:00 2026\t5157\tMicrosoft-Windows-Security-Auditing\tN/A',
        'Snare record with 8 fields (14 or more expected)',
      ],
      [
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/><Channel>Security</Channel></System></Event>",
        'XML event without its Provider Name or EventID',
      ],
    ],
    'zeek-conn': [
      [
        '{"ts":"last tuesday","uid":"CAcJw21BbVedgFnYH3","id.orig_h":"192.0.2.167","id.orig_p":38339,"id.resp_h":"192.0.2.1","id.resp_p":53,"proto":"udp","conn_state":"SF"}',
        'ts "last tuesday" is not a Zeek time',
      ],
      [
        '1767323047.000001\tCcccccccccccccccc\t198.51.100.9\t61011\t192.0.2.20\t22\ttcp\t-\t-\t-',
        'conn record with 10 fields and no #fields header to name them',
      ],
      [
        `${ZEEK_HEADER}\n1767323047.000001\tCcccccccccccccccc\t198.51.100.9\t61011\t192.0.2.20\t22\ttcp`,
        'conn record has 7 fields where the header declares 8',
      ],
    ],
    'ms-isa': [
      [
        `${ISA_FIREWALL}\nISA-FW1\t2024-03-14\t00:00:07\tTCP\t203.0.113.7:41522\t198.51.100.2:3389\t203.0.113.7\tExternal\tLocal Host\tVaporized\t0xc004000d\tDefault rule\tRDP`,
        'ISA Firewall action "Vaporized" is not known',
      ],
      [
        '192.0.2.201, -, -, N, 3/14/2024, 0:00:05, fwsrv, ISA-FW1, -, -, 198.51.100.22, 1169, 12515, 814, 22813, 25, TCP, Frobnicate, -, -, -, 20000, 0, Publish Internal SMTP Email Server, -, -, -',
        'ISA Firewall service operation "Frobnicate" is not known',
      ],
      [`${ISA_PACKET_FILTER}\n2024-03-14\t00:04:45\t192.0.2.1\t192.0.2.4`, 'ISA record with 4 of 12 columns'],
      [
        `${ISA_PACKET_FILTER}\n2024-03-14\t00:04:45\t192.0.2.1\t192.0.2.4\tUdp\t1675\t137\t-\tSHRUGGED\t192.0.2.1\t45 00\t06 8b`,
        'ISA packet filter disposition "SHRUGGED" is not known',
      ],
      [
        `${ISA_PACKET_FILTER}\n2024-03-14\t00:04:45\t203.0.113.7\t192.0.2.4\tTcp\t4711\t445\tSYN WAT\tBLOCKED\t192.0.2.4\t45 00\t06 8b`,
        'tcp-flags "SYN WAT" are not TCP flag words',
      ],
      [
        `${ISA_PACKET_FILTER}\n2024-03-14\t00:04:45\t203.0.113.7\t192.0.2.4\tIcmp\t300\t0\t-\tBLOCKED\t192.0.2.4\t45 00\t08 00`,
        'ICMP type/code "300/0" out of range',
      ],
    ],
    'cisco-ios': [
      [
        'Jun  3 10:15:01 rtr-edge1 1663301: Jun  3 10:15:00.272: %SEC-6-IPACCESSLOGP: list OUTSIDE_IN',
        'ACL log record without `list <acl> <verdict>`',
      ],
      [
        'Jun  3 10:15:01 rtr-edge1 1663301: Jun  3 10:15:00.272: %SEC-6-IPACCESSLOGP: list OUTSIDE_IN dropped tcp 203.0.113.7(51515) -> 192.0.2.10(22), 1 packet',
        'ACL verdict "dropped" is neither permitted nor denied',
      ],
      [
        'Jun  3 10:15:01 rtr-edge1 1663301: Jun  3 10:15:00.272: %SEC-6-IPACCESSLOGP: list OUTSIDE_IN denied tcp 203.0.113.700(51515) -> 192.0.2.10(22), 1 packet',
        'ACL log record names no source address',
      ],
      [
        'Jun  3 10:15:01 rtr-edge1 1663301: Jun  3 10:15:00.272: %SEC-6-IPACCESSLOGP: list OUTSIDE_IN denied tcp 203.0.113.7(51515) 192.0.2.10(22)',
        'ACL log record has no `->` before its destination',
      ],
      [
        'Jun  3 10:15:01 rtr-edge1 1663301: Jun  3 10:15:00.272: %SEC-6-IPACCESSLOGP: list OUTSIDE_IN denied tcp 203.0.113.7(51515) ->',
        'ACL log record ends before its destination',
      ],
      [
        'Jun  3 10:15:23 nxos-agg1 2026 Jun  3 10:15:22 UTC: %ACLLOG-6-ACLLOG_NEW_FLOW: Src Port: 40000, Dst Port: 3389, Src Intf: Ethernet1/1, Protocol: "TCP"(6)',
        'ACLLOG flow record names no Src IP or Dst IP',
      ],
      [
        'Jun  3 10:15:21 rtr-edge1 1663321: Jun  3 10:15:20.540: %FW-6-DROP_PKT: Dropping tcp session',
        'FW-6-DROP_PKT record does not have the documented layout',
      ],
      [
        'Jun  3 10:15:01 rtr-edge1 1663301: Jun  3 10:15:00.272: %SEC-6-IPACCESSLOGDP: R0/0: fman_fp_image: denied icmp 203.0.113.9 -> 192.0.2.10 (8/0), 3 packets',
        'SEC-6-IPACCESSLOGDP record without `list <acl>`',
      ],
    ],
    mikrotik: [
      [
        'Nov 24 10:15:01 gw.example.net firewall,info WAN-DROP input: in:ether1 out:(unknown 0), proto TCP (SYN), 203.0.113.5:44444->192.0.2.1:22',
        'RouterOS firewall line without the chain, proto, address and len parts',
      ],
    ],
    netscreen: [
      [
        'NetScreen device_id=ssg-edge  system notification without its code',
        'NetScreen record without a [vsys]system-<level>-<id> message code',
      ],
      [
        'NetScreen device_id=ssg-edge [Root]system-notification-00257(traffic): start_time="2026-03-14 09:10:00" duration=0 policy_id=320001 service=tcp/port:22 proto=6 src zone=Untrust dst zone=Trust action=Deny sent=0 rcvd=0 src_port=40112 dst_port=22',
        'NetScreen traffic record without src= or dst=',
      ],
    ],
    zonealarm: [
      [
        'FWIN,2024/03/14,09:43:48 -5:00 GMT,203.0.113.14:1043',
        'ZoneAlarm FWIN record without source, destination and transport',
      ],
      [
        'FWIN,2024/03/14,09:43:48 -5:00 GMT,203.0.113.14:1043,192.0.2.60:38293,U D P',
        'ZoneAlarm transport "U D P" is not a protocol',
      ],
      [
        'FWOUT,2024/03/14,09:45:22 -5:00 GMT,192.0.2.60:1134,198.51.100.195:445,TCP (flags:SX)',
        'ZoneAlarm transport detail "(flags:SX)" is not TCP flags or ICMP type/subtype',
      ],
      [
        'ACCESS,2024/03/14,09:50:42 -5:00 GMT,Mail Client was temporarily blocked from something (198.51.100.25:POP3).,N/A,N/A',
        'ZoneAlarm ACCESS sentence not understood: "Mail Client was temporarily blocked from something (198.51.100.25:POP3)."',
      ],
      [
        'FWIN,2024/13/14,09:43:48 -5:00 GMT,203.0.113.14:1043,192.0.2.60:38293,UDP',
        'ZoneAlarm FWIN record with an impossible date or time',
      ],
    ],
    'snort-syslog': [
      [
        'Jun  3 10:15:00 ids-1 snort[1234]: [1:2000537:8] ET SCAN NMAP -sS window 2048 [Classification: Attempted Information Leak] [Priority: 2] {TCP}',
        'alert without its `{PROTO} A:p -> B:p` packet part',
      ],
      [
        'Jun  3 10:15:00 ids-1 snort[1234]: ET SCAN NMAP -sS window 2048 {TCP} 203.0.113.7:51515 -> 192.0.2.10:22',
        'packet part without a [gid:sid:rev] signature or a connection event',
      ],
    ],
    'linux-kernel-net': [
      [
        'Nov 21 07:07:07 edge kernel: martian source 198.51.100.20 from 192.168.0.2',
        'martian record without `D from S, on dev X`',
      ],
      [
        'Nov 21 07:10:01 edge kernel: UDP: short packet: From 203.0.113.44:3800 to 192.0.2.10:20969',
        'UDP short-packet record without `From A:p len/len to B:p`',
      ],
    ],
    'macos-socketfilterfw': [
      [
        'Jun  3 10:15:02 mbp-office socketfilterfw[123] <Info>: Stealth Mode connection attempt to TCP 192.0.2.5:22',
        'stealth-mode record without `to PROTO B:p from A:p`',
      ],
      [
        'Jun  3 10:15:05 mbp-office socketfilterfw[123] <Info>: Allow cupsd connecting from 192.0.2.44:52034 to port',
        'connecting record without `from A:p to port N proto=P`',
      ],
    ],
    'cisco-meraki': [
      [
        '1795625199.512345678 MX68_branch firewall src=203.0.113.7 dst=192.0.2.10 protocol=tcp sport=40112 dport=22',
        'firewall record states no allow/deny decision',
      ],
    ],
    barracuda: [
      [
        'Security fw01 Block: FWD|TCP|eth0||40112|00:00:5e:00:53:01||22|ssh||BLOCKALL|Block by Rule|0.0.0.0|0.0.0.0|0|1|0|0|0|0||||||',
        'Block activity record names no address',
      ],
    ],
    'nftables-trace': [
      [
        'trace id 5c1e0a7b ip filter input packet: iif "eth0" ip protocol tcp ip length 44 tcp sport 41234 tcp dport 23',
        'trace packet line without addresses',
      ],
    ],
    watchguard: [
      [
        'Nov 25 16:46:39 fw01 FVE1000000001 firewall: msg_id="3000-0148" Allow 1-Trusted 0-External garbled',
        'WatchGuard traffic message does not have the Allow/Deny field layout',
      ],
      ['Nov 25 16:46:39 fw01 LEEF:1.0|WatchGuard|XTM|11.10', 'WatchGuard LEEF header is incomplete'],
    ],
    'juniper-srx': [
      [
        'Mar 14 10:00:24 srx-edge fpc0 PFE_FW_SYSLOG_IP: FW: ge-0/0/0.0   D tcp 203.0.113.34 192.0.2.10 40118',
        'Junos firewall-filter log without the documented FW: layout',
      ],
      [
        'Mar 14 09:01:09 srx-edge RT_FLOW: RT_FLOW_SESSION_DENY: session denied 203.0.113.70/5060->192.0.2.10',
        'RT_FLOW_SESSION_DENY text does not have the documented layout',
      ],
    ],
    panos: [
      [
        '1,2026/11/25 16:46:41,"013201001234,TRAFFIC,drop,2561,2026/11/25 16:46:41,203.0.113.7,192.0.2.10',
        'record has 3 columns; the log type is column 4',
      ],
      [
        '1,2026/11/25 16:46:41,013201001234,TRAFFIC,drop,2561,2026/11/25 16:46:41,203.0.113.7,192.0.2.10',
        'TRAFFIC record has 9 columns; the action is column 31',
      ],
    ],
  };

  /** Damaged records of a CSV export read with examples/mapping-csv.yaml. */
  const MAPPED_DAMAGE: [text: string, reason: string][] = [
    [
      'time,src_ip,src_port,dst_ip,dst_port,proto,verdict,bytes',
      'header line lacks the mapped column(s) dir, policy',
    ],
    [
      `${CSV_HEADER}\n05/Jan/2026:10:00:01,198.51.100.7`,
      'record has 2 columns; destinationIp is mapped to column 4',
    ],
    [
      `${CSV_HEADER}\n05/Jan/2026:10:00:06,198.51.100.9,51002,192.0.2.10,23,tcp,MAYBE,in,odd-verdict,60`,
      `action "MAYBE" is not in the mapping's actions`,
    ],
    [
      `${CSV_HEADER}\n05/Jan/2026:10:00:06,198.51.100.9,51002,192.0.2.10,23,tcp,BLOCK,sideways,odd-dir,60`,
      `direction "sideways" is not in the mapping's directions`,
    ],
    [
      `${CSV_HEADER}\n05/Jan/2026:10:00:06,,51002,,23,tcp,BLOCK,in,no-addresses,60`,
      'record has neither a source nor a destination address',
    ],
    [
      `${CSV_HEADER}\nyesterday,198.51.100.9,51002,192.0.2.10,23,tcp,BLOCK,in,bad-time,60`,
      'time "yesterday" does not match the format "DD/MMM/YYYY:HH:mm:ss"',
    ],
  ];

  /** A classic pcap (microseconds, little-endian) of `linkType` holding `frames`. */
  const capture = (linkType: number, frames: number[][]): Buffer => {
    const head = Buffer.alloc(24);
    head.writeUInt32LE(0xa1b2c3d4, 0);
    head.writeUInt32LE(65535, 16);
    head.writeUInt32LE(linkType, 20);
    const parts = [head];
    for (const f of frames) {
      const rec = Buffer.alloc(16);
      rec.writeUInt32LE(1767323045, 0);
      rec.writeUInt32LE(f.length, 8);
      rec.writeUInt32LE(f.length, 12);
      parts.push(rec, Buffer.from(f));
    }
    return Buffer.concat(parts);
  };
  /** A pcapng block: type, total length (or a damaged one), the body padded to 4 bytes, the length again. */
  const block = (type: number, body: number[], total?: number): Buffer => {
    const padded = Buffer.concat([Buffer.from(body), Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const b = Buffer.alloc(padded.length + 12);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(total ?? b.length, 4);
    padded.copy(b, 8);
    b.writeUInt32LE(total ?? b.length, b.length - 4);
    return b;
  };
  const zeros = (n: number) => new Array<number>(n).fill(0);
  /** pcapng section header (little-endian) and a raw-IP interface description. */
  const SHB = block(0x0a0d0d0a, [0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, ...new Array<number>(8).fill(255)]);
  const IDB = block(1, [101, 0, 0, 0, 0, 0, 0, 0]);
  /** A whole classic capture of one 20-byte IPv4 header, cut at various places. */
  const WHOLE = capture(101, [[0x45, ...zeros(19)]]);
  /**
   * Damaged packet captures: link and IP headers, then the pcap and pcapng files themselves (a file shorter than
   * the magic number is not read as a capture at all, so its reason is not here).
   */
  const CAPTURE_DAMAGE: [bytes: Buffer, reason: string][] = [
    [capture(1, [zeros(6)]), 'Ethernet header cut short (6 of 14 bytes)'],
    [capture(113, [zeros(10)]), 'Linux cooked header cut short (10 of 16 bytes)'],
    [capture(276, [zeros(10)]), 'Linux cooked v2 header cut short (10 of 20 bytes)'],
    [capture(0, [zeros(2)]), 'loopback header cut short'],
    [capture(239, [[2, 0]]), 'NFLOG header cut short'],
    [capture(239, [[2, 0, 0, 5, 0x40, 0, 9, 0]]), 'NFLOG attribute at byte 4 overruns the frame'],
    [
      capture(147, [[0x45, ...zeros(19)]]),
      'link type 147 is not one fwlens reads (Ethernet, raw IP, Linux cooked, loopback, NFLOG)',
    ],
    [capture(101, [[]]), 'empty packet'],
    [capture(101, [[0x50, ...zeros(19)]]), 'IP version 5 is neither 4 nor 6'],
    [capture(101, [[0x45, ...zeros(5)]]), 'IPv4 header cut short (6 of 20 bytes)'],
    [capture(101, [[0x43, ...zeros(19)]]), 'IPv4 header length 12 is below 20'],
    [capture(101, [[0x60, ...zeros(20)]]), 'IPv6 header cut short (21 of 40 bytes)'],
    [WHOLE.subarray(0, 14), 'the capture file header is cut short'],
    [WHOLE.subarray(0, 30), 'the capture is truncated in the header of packet 1'],
    [
      Buffer.concat([WHOLE.subarray(0, 32), Buffer.from([0, 0, 0, 2, 0, 0, 0, 2])]),
      'the capture is damaged at packet 1: its record header is not valid',
    ],
    [WHOLE.subarray(0, 50), 'the capture is truncated inside packet 1'],
    [Buffer.concat([SHB, Buffer.from([1, 0])]), 'the capture is truncated after packet 0'],
    [SHB.subarray(0, 8), 'the capture is truncated in a section header'],
    [
      Buffer.concat([SHB.subarray(0, 8), Buffer.from([1, 2, 3, 4]), SHB.subarray(12)]),
      'the pcapng section header has no valid byte-order magic',
    ],
    [block(0x0a0d0d0a, [0x4d, 0x3c, 0x2b, 0x1a], 16), 'the pcapng section header has an invalid length'],
    [
      Buffer.concat([SHB, block(6, zeros(8), 10)]),
      'the capture is damaged after packet 0: a block has an invalid length',
    ],
    [Buffer.concat([SHB, block(1, [101, 0])]), 'the capture has a damaged interface description block'],
    [
      Buffer.concat([SHB, block(6, zeros(24))]),
      'packet 1: a packet of interface 0, which the capture never described',
    ],
    [Buffer.concat([SHB, IDB, block(6, zeros(12))]), 'packet 1: a packet block shorter than its header'],
    [Buffer.concat([SHB, block(3, zeros(8))]), 'packet 1: a simple packet block without an interface'],
    [
      Buffer.concat([SHB, IDB, block(6, [...zeros(12), 200, 0, 0, 0, 200, 0, 0, 0])]),
      'packet 1: a packet block whose data overruns the block',
    ],
  ];

  const inChinese = (text: Message | undefined) => {
    expect(text?.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(found(text!.zh, REASONS_IN_ENGLISH)).toEqual([]);
  };

  it('of netfilter lines are worded in both languages, the English kept as the reason', async () => {
    const { stats } = await ingestText(`${NETFILTER.join('\n')}\n`, { year: 2026 });
    expect(stats.inputs[0]).toMatchObject({ malformed: NETFILTER.length, unrecognized: 0 });
    expect(new Set(stats.malformedSamples.map((p) => p.reason)).size).toBe(NETFILTER.length);
    for (const p of stats.malformedSamples) {
      expect(p.reasonText?.en).toBe(p.reason);
      inChinese(p.reasonText);
    }
    expect(stats.malformedSamples[0]!.reasonText).toEqual({
      en: 'DPT=70000 is out of range (0-65535)',
      zh: 'DPT=70000 超出范围(0-65535)',
    });
  });

  it('of the shared flow-record helpers are worded in both languages', () => {
    for (const r of shared()) {
      expect(r && 'error' in r).toBe(true);
      const e = r as ParseError;
      expect(reasonText(e)?.en).toBe(e.error);
      inChinese(reasonText(e));
    }
    expect((shared()[0] as ParseError).error).toBe('source address "example.com" is not an IP address');
  });

  it.each(Object.entries(FORMAT_DAMAGE))(
    'of %s lines are worded in both languages, the English kept as the reason',
    async (format, samples) => {
      // As auto-detection reads the line, and with the format named: the same reason either way.
      for (const [text, reason] of samples)
        for (const opts of [{ year: 2026 }, { year: 2026, format }]) {
          const { stats } = await ingestText(`${text}\n`, opts);
          expect(stats.inputs[0], text).toMatchObject({ malformed: 1, unrecognized: 0 });
          const p = stats.malformedSamples[0]!;
          expect(p.reason).toBe(reason);
          expect(p.reasonText?.en).toBe(p.reason);
          inChinese(p.reasonText);
        }
    },
  );

  it('of a mapped CSV export are worded in both languages', async () => {
    // A mapping without a header line that names a column anyway: the one reason the example mapping cannot give.
    const noHeader = join(mkdtempSync(join(tmpdir(), 'fwlens-zh-mapping-')), 'no-header.yaml');
    writeFileSync(noHeader, 'input: csv\nheader: false\nfields:\n  sourceIp: src_ip\n  destinationIp: 2\n');
    const samples: [string, string, string][] = [
      ...MAPPED_DAMAGE.map(([text, reason]): [string, string, string] => [
        'examples/mapping-csv.yaml',
        text,
        reason,
      ]),
      [noHeader, '198.51.100.7,192.0.2.10', 'column "src_ip" is not in the header'],
    ];
    for (const [mapping, text, reason] of samples) {
      const { stats } = await ingestText(`${text}\n`, { format: 'mapped', mapping });
      expect(stats.inputs[0], text).toMatchObject({ malformed: 1 });
      const p = stats.malformedSamples[0]!;
      expect(p.reason).toBe(reason);
      expect(p.reasonText?.en).toBe(p.reason);
      inChinese(p.reasonText);
      // A list of the mapping's column names is written as a Chinese list.
      if (reason.includes('dir, policy')) expect(p.reasonText?.zh).toBe('表头行缺少映射的列 dir、policy');
    }
  });

  it('of damaged packet captures are worded in both languages', async () => {
    for (const [bytes, reason] of CAPTURE_DAMAGE) {
      const { stats } = await ingestText(bytes, {}, 'damaged.pcap');
      expect(stats.inputs[0], reason).toMatchObject({ malformed: 1, events: 0 });
      const p = stats.malformedSamples[0]!;
      expect(p.reason).toBe(reason);
      expect(p.reasonText?.en).toBe(p.reason);
      inChinese(p.reasonText);
    }
  });

  it('keep log values as values and quote a nested reason in its language', async () => {
    const read = async (text: string) =>
      (await ingestText(`${text}\n`, { year: 2026 })).stats.malformedSamples[0]!;
    expect((await read(FORMAT_DAMAGE['cisco-asa']![0]![0])).reasonText).toEqual({
      en: 'message 106023 does not have the documented layout',
      zh: '消息 106023 不符合文档记载的格式',
    });
    expect((await read(FORMAT_DAMAGE['azure-nsg-flow']!.at(-1)![0])).reasonText).toEqual({
      en: 'flow tuple 2 of 2: decision "Z" is neither A nor D',
      zh: '第 2 个流元组(共 2 个):决定 "Z" 既不是 A 也不是 D',
    });
  });
});

describe('zh HTML report', () => {
  /** The Chinese side of the page: every English-only span removed. */
  const zhSide = (html: string) => html.replace(/<span lang="en">.*?<\/span>/g, '');

  it('translates the unparsed reasons and non-traffic kinds', () => {
    const html = zhSide(renderHtml(mixed, { lang: 'zh' }));
    const unparsed = html.slice(html.indexOf('class="unparsed"'));
    expect(
      found(unparsed.slice(0, unparsed.indexOf('</section>')), [...REASONS_IN_ENGLISH, ...KINDS_IN_ENGLISH]),
    ).toEqual([]);
  });

  it('has a catalog name for every technique the detectors gave in the golden reports', () => {
    const ids = new Set<string>();
    for (const f of readdirSync('test/golden').filter((n) => n.endsWith('.json') && n !== 'corpus.json')) {
      const report = JSON.parse(readFileSync(`test/golden/${f}`, 'utf8')) as Report;
      for (const finding of report.findings ?? [])
        if (finding.technique && finding.detector !== 'firewall-alarm') ids.add(finding.technique);
    }
    expect(ids.size).toBeGreaterThan(10);
    expect([...ids].filter((id) => !hasMessage(`detect.technique.${id}`))).toEqual([]);
  });

  it('shows worded technique names, not ids', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    const shown = [...html.matchAll(/<dt>.*?手法.*?<\/dt><dd>(.*?)<\/dd>/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(0);
    for (const dd of shown) expect(dd).not.toMatch(/^(?:[a-z0-9]+-)*[a-z0-9]+$|>(?:[a-z0-9]+-)*[a-z0-9]+</);
  });
});

describe('zh punctuation in the catalog and data', () => {
  it('writes half-width brackets, commas and colons as the rest of the catalog does', () => {
    const files = ['src/i18n.ts', ...readdirData()];
    const fullWidth = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
        .filter(({ line }) => /[（），：；]/.test(line))
        .map(({ where }) => where),
    );
    expect(fullWidth).toEqual([]);
  });
});

function readdirData(): string[] {
  return readdirSync('data')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `data/${f}`);
}
