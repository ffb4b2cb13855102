// Explanations of real and realistic log lines against the real knowledge base in data/.
import { describe, expect, it } from 'vitest';
import { knowledgeBase } from '../knowledge/index.js';
import { explainEvent, explainPort, renderExplanation } from './index.js';
import { allText, eventOf, expectWellFormed, reasonSum, sectionText } from './test-support.js';

const kb = knowledgeBase();
const explain = (line: string) => {
  const x = explainEvent(eventOf(line), kb);
  expectWellFormed(x);
  return x;
};

/** Inbound netfilter line from 203.0.113.5 to 192.0.2.10 with the given tail. */
const inbound = (tail: string, src = '203.0.113.5', ttl = 49) =>
  `Mar  3 10:00:00 fw kernel: [100.1] DROP IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=${src} DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=${ttl} ID=4242 ${tail}`;
const tcpIn = (sport: number, dport: number, flags = 'SYN', src?: string) =>
  inbound(`DF PROTO=TCP SPT=${sport} DPT=${dport} WINDOW=1024 RES=0x00 ${flags} URGP=0`, src);
const udpIn = (sport: number, dport: number, src?: string) =>
  inbound(`PROTO=UDP SPT=${sport} DPT=${dport} LEN=40`, src);
/** Outbound line from the inside host 192.168.1.20. */
const tcpOut = (dst: string, dport: number) =>
  `Mar  3 10:00:00 fw kernel: [100.1] [UFW BLOCK] IN= OUT=eth0 SRC=192.168.1.20 DST=${dst} LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40312 DPT=${dport} WINDOW=64240 RES=0x00 SYN URGP=0`;

describe('real corpus lines', () => {
  it('reads the packet quoted in an ICMP port unreachable (iptables/beats-icmp-embedded-header.log)', () => {
    const x = explain(
      'Jan  8 03:37:09 DENY: IN=eth0 OUT= MAC=90:10:28:5f:62:24:90:10:18:5a:89:2a:08:00 SRC=192.0.2.71 DST=192.0.2.83 LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21684 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.83 DST=192.168.173.191 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=21458 DPT=62936 LEN=40 ]',
    );
    expect(sectionText(x, 'inner-packet')).toContain(
      'Your host 192.0.2.83 had sent UDP from port 21458 to 192.168.173.191 port 62936',
    );
    expect(sectionText(x, 'inner-packet', 'zh')).toContain('你的主机 192.0.2.83');
    expect(sectionText(x, 'icmp')).toMatch(/port unreachable/i);
    expect(sectionText(x, 'ttl')).toMatch(/128.*10 hops/);
    expect(x.severity.score).toBeLessThanOrEqual(2);
  });

  it('explains a ufw block of telnet (ufw/lab-ufw-rsyslog.log)', () => {
    const x = explain(
      'Nov 25 16:47:13 vm kernel: [ 5950.659152] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=198.51.100.60 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=58600 DF PROTO=TCP SPT=57626 DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0 ',
    );
    expect(x.headline.en).toMatch(/^Dropped TCP from 198\.51\.100\.60 to 192\.0\.2\.10 port 23/);
    expect(x.portLabel?.en).toMatch(/telnet/i);
    expect(sectionText(x, 'packet')).toContain('UFW BLOCK');
    expect(x.severity.score).toBeGreaterThanOrEqual(3);
  });

  it('explains an IPv6 ping on loopback (iptables/beats-ipv6.log)', () => {
    const x = explain(
      'Jan 22 09:05:05 ubuntu-bionic kernel: [16571.459614] IN= OUT=lo SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=868225 PROTO=ICMPv6 TYPE=128 CODE=0 ID=3427 SEQ=1 ',
    );
    expect(x.headline.en).toContain('ICMPv6 from 2001:db8::1 to 2001:db8::2');
    expect(sectionText(x, 'icmp')).toMatch(/ICMPv6 type 128 code 0: echo request/i);
    expect(sectionText(x, 'ttl')).toMatch(/hop limit 64/);
  });
});

describe('trojans, proxies and traceroute', () => {
  // Trojans of 1998-2001: a dropped probe only shows someone looking for infected PCs (the trojan-probe
  // signature's word), so it is low; the explanation dates the trojan and keeps the advice for a host that answers.
  it.each([1243, 27374])('Sub-7 on %i', (port) => {
    const x = explain(tcpIn(3312, port));
    expect(x.portLabel?.en).toMatch(/sub-?7|subseven/i);
    expect(x.severity.score).toBe(2);
    expect(sectionText(x, 'destination-port')).toMatch(/1999-2001.*old trojan port lists/);
    expect(sectionText(x, 'destination-port', 'zh')).toContain('1999-2001 年间');
    expect(x.advice.map((a) => a.en).join(' ')).toMatch(/listening on 1243 or 27374/);
  });
  it.each([
    ['TCP', tcpIn(4000, 31337)],
    ['UDP', udpIn(4000, 31337)],
  ])('Back Orifice over %s', (_p, line) => {
    const x = explain(line);
    expect(x.portLabel?.en).toMatch(/Back Orifice/);
    expect(x.severity.score).toBe(2);
    expect(sectionText(x, 'destination-port')).toMatch(/1998.*old trojan port lists/);
  });
  it('an ingreslock probe (1524) is no longer critical: act now only when a host of yours answers', () => {
    const x = explain(tcpIn(3312, 1524));
    expect(x.severity.score).toBe(3);
    expect(x.advice.map((a) => a.en).join(' ')).toMatch(
      /probe alone proves nothing.*If a host of yours answers/,
    );
  });
  it('SOCKS 1080 and Squid 3128 are proxy hunts', () => {
    expect(explain(tcpIn(4100, 1080)).portLabel?.en).toMatch(/SOCKS/i);
    const squid = explain(tcpIn(4100, 3128));
    expect(allText(squid, 'en')).toMatch(/squid/i);
    expect(allText(squid, 'en')).toMatch(/proxy/i);
  });
  it('traceroute probes to UDP 33434+ are harmless', () => {
    const x = explain(udpIn(44123, 33441));
    expect(allText(x, 'en')).toMatch(/traceroute/i);
    expect(x.severity.score).toBeLessThanOrEqual(2);
  });
});

describe('direction-aware meaning', () => {
  it('inbound UDP 6970 is not called a RealAudio stream your own player asked for (that streaming is long gone)', () => {
    const x = explain(udpIn(2381, 6970));
    expect(x.severity.score).toBeLessThanOrEqual(2);
    expect(allText(x, 'en')).not.toMatch(/return half|not an attack/);
    expect(allText(x, 'zh')).not.toContain('回程流量');
    expect(sectionText(x, 'destination-port')).toMatch(/In the FAQ's day/);
  });
  it('outbound 17027 to Conducent means adware on the inside and outranks a random outbound port', () => {
    const adbot = explain(tcpOut('216.33.210.40', 17027));
    const random = explain(tcpOut('198.51.100.7', 40123));
    expect(sectionText(adbot, 'direction')).toMatch(/internal host|inside/i);
    expect(allText(adbot, 'en')).toMatch(/adware|adbot/i);
    expect(sectionText(adbot, 'addresses')).toMatch(/conducent/i);
    expect(adbot.severity.reasons.some((r) => r.delta > 0 && /inside/.test(r.text.en))).toBe(true);
    expect(adbot.severity.score).toBeGreaterThan(random.severity.score);
    expect(random.severity.reasons.some((r) => r.delta < 0 && /your own machine/.test(r.text.en))).toBe(true);
  });
  it('a DNS answer from source port 53 to a high port is a reply to your own client', () => {
    const reply = explain(udpIn(53, 40999, '198.51.100.53'));
    const other = explain(udpIn(4444, 40999, '198.51.100.53'));
    expect(sectionText(reply, 'source-port')).toMatch(/answer to a request one of your own programs made/);
    expect(reply.severity.reasons.some((r) => r.delta < 0 && /source port 53/.test(r.text.en))).toBe(true);
    expect(reply.severity.score).toBeLessThan(other.severity.score);
  });
  it('a new connection (SYN) from source port 53 is evasion whatever the port, not a DNS reply (sample: dns-source-port)', () => {
    const x = explain(tcpIn(53, 8080, 'SYN', '203.0.113.153'));
    expect(
      x.severity.reasons.some(
        (r) => r.delta > 0 && /new connection \(SYN\) from source port 53/.test(r.text.en),
      ),
    ).toBe(true);
    expect(x.severity.reasons.some((r) => r.delta < 0)).toBe(false);
    // Its answer (SYN/ACK from 53) would be a reply, and FTP's active data connection opens from port 20.
    expect(
      explain(tcpIn(53, 8080, 'ACK SYN')).severity.reasons.some((r) => /slip past/.test(r.text.en)),
    ).toBe(false);
    const ftp = explain(tcpIn(20, 40000, 'SYN'));
    expect(ftp.severity.reasons.some((r) => r.delta < 0 && /source port 20/.test(r.text.en))).toBe(true);
  });
  it('source port 53 aimed at a backdoor is evasion, not a reply', () => {
    const x = explain(tcpIn(53, 31337, 'SYN', '198.51.100.53'));
    expect(x.severity.reasons.some((r) => r.delta > 0 && /slip past/.test(r.text.en))).toBe(true);
    expect(x.severity.score).toBe(explain(tcpIn(40000, 31337, 'SYN', '198.51.100.53')).severity.score + 1);
  });
});

describe('what an event is not', () => {
  const tcpOutFrom = (dport: number) => explain(tcpOut('198.51.100.7', dport));
  const findProgram = /find out which program did it|Find the program behind it/;

  it('an unsolicited SYN to 1025 is an ordinary probe, not the return half of your own session', () => {
    const x = explain(tcpIn(40000, 1025, 'SYN'));
    expect(allText(x, 'en')).not.toMatch(/return half|return traffic|not an attack/);
    expect(allText(x, 'zh')).not.toMatch(/回程流量|不是攻击/);
    expect(x.severity.score).toBeGreaterThan(1);
    expect(sectionText(x, 'destination-port')).toMatch(/unsolicited SYN there is an ordinary probe/);
    // The port alone (fwlens explain 1025) says no more than that either.
    const port = explainPort(1025, undefined, {}, kb);
    expect(allText(port, 'en')).not.toMatch(/return half/);
    expect(port.severity.score).toBe(2);
  });

  it('a QUIC reply from UDP 443 to a high port is a server answering, as one from TCP 443 is', () => {
    const udp = explain(udpIn(443, 51000, '198.51.100.80'));
    const tcp = explain(tcpIn(443, 51000, 'ACK', '198.51.100.80'));
    expect(udp.severity.reasons.some((r) => /Reserved low port/.test(r.text.en))).toBe(false);
    expect(udp.severity.reasons.some((r) => r.delta < 0 && /source port 443/.test(r.text.en))).toBe(true);
    expect(udp.severity.score).toBe(tcp.severity.score);
    expect(sectionText(udp, 'source-port')).toMatch(/QUIC.*RFC 9000/);
    expect(sectionText(udp, 'source-port', 'zh')).toContain('QUIC');
    // UDP from port 80 is no web reply: HTTP/3 has no plain-port counterpart.
    const udp80 = explain(udpIn(80, 51000, '198.51.100.80'));
    expect(udp80.severity.reasons.some((r) => /Reserved low port/.test(r.text.en))).toBe(true);
  });

  it('outbound HTTPS to 8443 or RTSP to 554 is ordinary traffic, not a machine calling a botnet port', () => {
    for (const port of [8443, 8080, 554]) {
      const x = tcpOutFrom(port);
      expect(allText(x, 'en'), String(port)).not.toMatch(findProgram);
      expect(x.severity.reasons.some((r) => r.delta < 0 && /your own machine/.test(r.text.en))).toBe(true);
    }
    // A recorder port of the IoT botnets still is one.
    expect(allText(tcpOutFrom(37777), 'en')).toMatch(findProgram);
    // Inbound probes to these ports still tell the botnet story.
    expect(sectionText(explain(tcpIn(40000, 8443)), 'destination-port')).toMatch(/Mirai/);
    expect(explain(tcpIn(40000, 554)).severity.score).toBe(3);
  });
});

describe('source ports', () => {
  it('61000 and above points at Linux NAT', () => {
    const x = explain(tcpIn(61444, 80));
    expect(sectionText(x, 'source-port')).toMatch(/NAT|masquerad/i);
  });
  it('source port equal to destination port is called out', () => {
    const x = explain(udpIn(500, 500));
    expect(sectionText(x, 'source-port')).toMatch(/both 500/);
  });
  it('source port 0 raises the severity', () => {
    const zero = explain(tcpIn(0, 80));
    const normal = explain(tcpIn(40000, 80));
    expect(zero.severity.score).toBeGreaterThan(normal.severity.score);
  });
});

describe('TCP flags', () => {
  const syn = explain(tcpIn(43347, 1025, 'SYN'));
  it.each([
    ['URG PSH FIN', /Xmas/],
    ['', /NULL/],
    ['FIN', /FIN scan/],
  ])('flags "%s" name the technique and raise the severity over a SYN', (flags, name) => {
    const x = explain(tcpIn(43347, 1025, flags));
    expect(x.headline.en).toMatch(name);
    expect(x.severity.reasons.some((r) => r.delta > 0 && name.test(r.text.en))).toBe(true);
    expect(x.severity.score).toBeGreaterThan(syn.severity.score);
  });
  it('psad xmas scan line (iptables/psad-xmas-scan.log) is a LAN scan, not spoofing', () => {
    const x = explain(
      'Mar 15 20:57:55 linux kernel: [810454.796629] DROP INVALID IN=eth0 OUT= MAC=23:87:fc:c6:24:58:00:21:3f:98:99:78:09:00 SRC=192.168.10.55 DST=192.168.10.1 LEN=40 TOS=0x00 PREC=0x00 TTL=44 ID=9043 PROTO=TCP SPT=43347 DPT=1025 WINDOW=1024 RES=0x00 URG PSH FIN URGP=0 ',
    );
    expect(x.headline.en).toMatch(/Xmas/);
    expect(x.severity.reasons.some((r) => /cannot come from the Internet/.test(r.text.en))).toBe(false);
  });
  it('an unrequested SYN-ACK is backscatter and lowers the severity', () => {
    const x = explain(tcpIn(80, 51000, 'ACK SYN', '203.0.113.9'));
    expect(sectionText(x, 'tcp-flags')).toMatch(/spoofed you/);
    expect(x.severity.reasons.some((r) => r.delta < 0 && /backscatter/.test(r.text.en))).toBe(true);
    expect(x.severity.score).toBeLessThanOrEqual(1);
  });
});

describe('ICMP', () => {
  it('type 3 code 4 quotes your own packet and says MTU discovery needs it', () => {
    const x = explain(
      inbound(
        'PROTO=ICMP TYPE=3 CODE=4 MTU=1400 [SRC=192.0.2.10 DST=203.0.113.80 LEN=1500 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=443 DPT=50000 WINDOW=500 RES=0x00 ACK URGP=0 ]',
        '198.51.100.1',
        250,
      ),
    );
    expect(sectionText(x, 'icmp')).toMatch(/fragmentation needed/i);
    expect(allText(x, 'en')).toMatch(/MTU/);
    expect(sectionText(x, 'inner-packet')).toContain(
      'Your host 192.0.2.10 had sent TCP from port 443 to 203.0.113.80 port 50000',
    );
    expect(sectionText(x, 'inner-packet')).toContain('a router or firewall on the way');
    expect(x.severity.score).toBe(1);
  });
  it('an error quoting a packet you never sent is decoy backscatter', () => {
    const x = explain(
      inbound(
        'PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.99 DST=203.0.113.80 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=0 PROTO=UDP SPT=53 DPT=4444 LEN=40 ]',
        '203.0.113.80',
      ),
    );
    expect(sectionText(x, 'inner-packet')).toMatch(/you never sent it/);
    expect(x.severity.reasons.some((r) => r.delta < 0 && /decoy/.test(r.text.en))).toBe(true);
  });
});

describe('addresses', () => {
  it('NetBIOS 137 to the subnet broadcast is local noise', () => {
    const x = explain(
      'Mar  3 10:00:00 fw kernel: [1.0] DROP IN=eth0 OUT= MAC=ff:ff:ff:ff:ff:ff:00:11:22:33:44:55:08:00 SRC=192.168.1.50 DST=192.168.1.255 LEN=78 TOS=0x00 PREC=0x00 TTL=128 ID=1 PROTO=UDP SPT=137 DPT=137 LEN=58',
    );
    expect(x.portLabel?.en).toMatch(/NetBIOS/);
    expect(sectionText(x, 'addresses')).toMatch(/subnet broadcast/);
    expect(x.severity.reasons.some((r) => r.delta < 0 && /broadcast/.test(r.text.en))).toBe(true);
    expect(x.severity.score).toBe(1);
  });
  it('UDP echo from outside to x.x.x.255 is an amplifier search', () => {
    const x = explain(
      inbound('PROTO=UDP SPT=4000 DPT=7 LEN=40', '203.0.113.5').replace('DST=192.0.2.10', 'DST=192.0.2.255'),
    );
    expect(x.severity.reasons.some((r) => r.delta > 0 && /amplifier/.test(r.text.en))).toBe(true);
  });
  it('a private source arriving at a public address is a spoofing hint', () => {
    const spoofed = explain(tcpIn(1234, 22, 'SYN', '10.1.2.3'));
    const real = explain(tcpIn(1234, 22, 'SYN', '203.0.113.7'));
    expect(sectionText(spoofed, 'addresses')).toMatch(/spoofing hint/);
    expect(spoofed.severity.score).toBeGreaterThan(real.severity.score);
    expect(allText(spoofed, 'en')).toMatch(/rp_filter/);
  });
  it('a private host going out through the firewall (forwarded, or a session log without a side) is not a spoofing hint', () => {
    // The sample's adware beacon: IN=eth1 OUT=eth0, forwarded from the inside out.
    const beacon =
      'Nov 21 09:02:04 edge kernel: [127560.626106] [UFW BLOCK] IN=eth1 OUT=eth0 MAC=52:54:00:8a:1e:11:00:0c:29:4b:17:23:08:00 SRC=10.0.0.23 DST=216.33.210.40 LEN=48 TOS=0x00 PREC=0x00 TTL=127 ID=34934 DF PROTO=TCP SPT=1461 DPT=17027 WINDOW=65535 RES=0x00 SYN URGP=0';
    // A SonicWall record (sonicwall/wazuh-sonicwall.log, line 8): no side said.
    const session =
      'id=NSA2650GG sn=18B169D79980 time="2019-03-19 06:44:01 UTC" fw=83.211.91.146 pri=3 c=4 m=14 msg="Web site access denied" app=49177 appName="General HTTPS" n=856789 src=192.168.0.46:59668:X0:nb020.example.com dst=34.194.213.204:443:X1:example.com srcMac=a0:ce:c8:13:99:c5 dstMac=1a:b1:69:d7:99:80 proto=tcp/https dstname=example.com arg=/ code=49 Category="Freeware/Software Downloads"';
    expect(eventOf(beacon).direction).toBe('forward');
    expect(eventOf(session).direction).toBe('unknown');
    for (const line of [beacon, session]) {
      const x = explain(line);
      expect(sectionText(x, 'addresses')).not.toMatch(/spoofing hint/);
      expect(x.severity.reasons.some((r) => /cannot come from the Internet/.test(r.text.en))).toBe(false);
    }
    // The beacon is judged as a host of yours calling out to adware, as an outbound packet would be.
    const calling = explain(beacon).severity.reasons.map((r) => r.text.en);
    expect(calling).toContain(
      '10.0.0.23, a host inside your network, is calling out to Conducent adbot (adware, c. 2000): the problem is on the inside.',
    );
    // An inside host's session let out (FortiGate, lan to dmz, a public address): not "a risky packet reached the host".
    const letOut = explain(
      'date=2026-11-20 time=10:00:00 devname="fw1" devid="FGT60F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.0.0.5 srcport=40000 srcintf="internal" srcintfrole="lan" dstip=198.51.100.7 dstport=3389 dstintf="dmz" dstintfrole="dmz" proto=6 action="accept" policyid=1 service="RDP" duration=10 sentbyte=100 rcvdbyte=100',
    );
    expect(letOut.severity.reasons.some((r) => /reached the host/.test(r.text.en))).toBe(false);
    // Coming in on the outside interface, the same private source still is one.
    const arriving = explain(beacon.replace('IN=eth1 OUT=eth0', 'IN=eth0 OUT='));
    expect(eventOf(beacon.replace('IN=eth1 OUT=eth0', 'IN=eth0 OUT=')).direction).toBe('inbound');
    expect(sectionText(arriving, 'addresses')).toMatch(/spoofing hint/);
  });
  it('an IPv6 link-local router advertisement is local chatter, not spoofing', () => {
    const x = explain(
      'Mar  3 10:00:00 fw kernel: [1.0] DROP IN=eth0 OUT= MAC=33:33:00:00:00:01:00:11:22:33:44:55:86:dd SRC=fe80:0000:0000:0000:0211:22ff:fe33:4455 DST=ff02:0000:0000:0000:0000:0000:0000:0001 LEN=72 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 TYPE=134 CODE=0',
    );
    expect(sectionText(x, 'addresses')).toMatch(/link-local/i);
    expect(sectionText(x, 'icmp')).toMatch(/router advertisement/i);
    expect(x.severity.reasons.some((r) => /cannot come from the Internet/.test(r.text.en))).toBe(false);
    expect(x.severity.score).toBe(1);
  });
});

describe('renderExplanation', () => {
  it('prints headline, every reason with its delta, sections, advice and sources by title', () => {
    const x = explain(tcpIn(53, 31337, 'SYN', '198.51.100.53'));
    for (const lang of ['en', 'zh'] as const) {
      const text = renderExplanation(x, lang);
      expect(text.startsWith(x.headline[lang])).toBe(true);
      for (const r of x.severity.reasons) expect(text).toContain(r.text[lang]);
      for (const s of x.sections) expect(text).toContain(s.title[lang]);
      expect(text).toContain(x.sourceTitles.faq!);
    }
    expect(renderExplanation(x, 'en')).toContain('+1  Source port 53 aimed at a backdoor');
    expect(renderExplanation(x, 'zh')).toContain('严重度 3/5');
  });
  it('shows the clamping when the sum leaves 1-5', () => {
    const x = explain(
      'Mar  3 10:00:00 fw kernel: [1.0] DROP IN=eth0 OUT= SRC=192.168.1.50 DST=192.168.1.255 LEN=78 TOS=0x00 PREC=0x00 TTL=128 ID=1 PROTO=UDP SPT=137 DPT=137 LEN=58',
    );
    expect(reasonSum(x)).toBeLessThan(1);
    expect(renderExplanation(x, 'en')).toContain(`(sum ${reasonSum(x)}, kept within 1-5: 1)`);
  });
});

describe('every section says something', () => {
  it('no line of a port explanation ends in a lead-in with nothing after it (ports 0-65535, en and zh)', () => {
    const kb = knowledgeBase();
    const dangling: string[] = [];
    for (let port = 0; port <= 65535; port++) {
      // Ports the knowledge base knows: the others get only generic lines.
      if (kb.portEntries(port, 'tcp').length === 0 && kb.portEntries(port, 'udp').length === 0) continue;
      const x = explainPort(port, undefined, {}, kb);
      for (const lang of ['en', 'zh'] as const)
        for (const line of renderExplanation(x, lang).split('\n'))
          if (/[:：]\s*$/.test(line) && !/^\S/.test(line)) dangling.push(`${port} ${lang}: ${line}`);
    }
    expect(dangling).toEqual([]);
  });
});
