// Each detector on realistic hand-built netfilter logs: the right finding, and none of the wrong ones.
import { describe, expect, it } from 'vitest';
import { defaultDetectionConfig } from '../src/detect/config.js';
import type { Finding } from '../src/detect/index.js';
import { mulberry32 } from '../src/util/prng.js';
import { detect, ids, nfLine, type Pkt } from './detect-helpers.js';

const ME = '203.0.113.10';
const ATTACKER = '198.51.100.23';

/** Deterministic pseudo-random numbers (mulberry32), so scenario logs are the same every run. */

function shuffle<T>(items: T[], seed: number): T[] {
  const r = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** nmap-style raw probes: one source port, no DF, 44-byte SYN, random TTL-ish. */
function rawScan(ports: number[], flags: string, proto: 'TCP' | 'UDP' = 'TCP', start = 0): Pkt[] {
  return ports.map((dpt, i) => ({
    t: start + i * 0.002,
    src: ATTACKER,
    dst: ME,
    proto,
    spt: 51234,
    dpt,
    flags,
    len: proto === 'TCP' ? 44 : 28,
    df: false,
    window: 1024,
    ttl: 40 + (i % 20),
  }));
}

function find(findings: Finding[], detector: string): Finding | undefined {
  return findings.find((f) => f.detector === detector);
}

function run(pkts: Pkt[]): Finding[] {
  return detect(pkts.sort((a, b) => a.t - b.t).map(nfLine));
}

const TOP_PORTS = shuffle(range(1, 1024), 7).slice(0, 200);

describe('vertical-scan', () => {
  const cases: [string, string, Pkt[]][] = [
    ['syn', 'syn', rawScan(TOP_PORTS, 'SYN')],
    ['fin', 'fin', rawScan(TOP_PORTS, 'FIN')],
    ['null', 'null', rawScan(TOP_PORTS, '')],
    ['xmas', 'xmas', rawScan(TOP_PORTS, 'URG PSH FIN')],
    ['ack', 'ack', rawScan(TOP_PORTS, 'ACK')],
    ['maimon', 'maimon', rawScan(TOP_PORTS, 'ACK FIN')],
    ['udp', 'udp', rawScan(TOP_PORTS.slice(0, 40), '', 'UDP')],
  ];
  for (const [name, technique, pkts] of cases)
    it(`names a ${name} scan and nothing else`, () => {
      const f = run(pkts);
      expect(ids(f)).toEqual(['vertical-scan']);
      expect(find(f, 'vertical-scan')!.technique).toBe(technique);
      expect(find(f, 'vertical-scan')!.explanation.en).toContain('shuffled');
    });

  it('names a connect() scan from fresh source ports, full SYNs and kernel retransmissions', () => {
    const pkts: Pkt[] = [];
    TOP_PORTS.slice(0, 50).forEach((dpt, i) => {
      for (const retry of [0, 1])
        pkts.push({
          t: i * 0.01 + retry,
          src: ATTACKER,
          dst: ME,
          proto: 'TCP',
          spt: 40000 + i,
          dpt,
          flags: 'SYN',
          len: 60,
        });
    });
    const f = run(pkts);
    expect(ids(f)).toEqual(['vertical-scan']);
    expect(find(f, 'vertical-scan')!.technique).toBe('connect');
  });

  it('says when ports were probed in order', () => {
    const f = run(rawScan(range(20, 60), 'SYN'));
    expect(find(f, 'vertical-scan')!.explanation.en).toContain('ascending order');
  });

  it('evidence points at real lines of the input', () => {
    const lines = rawScan(TOP_PORTS.slice(0, 30), 'SYN').map(nfLine);
    const f = detect(lines);
    for (const e of find(f, 'vertical-scan')!.evidence) expect(lines[e.line! - 1]).toBe(e.text);
  });
});

describe('repeated-attempts', () => {
  it('hammering SSH is password guessing, never a port scan', () => {
    const pkts: Pkt[] = range(0, 599).map((i) => ({
      t: i * 0.5,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP',
      spt: 30000 + i,
      dpt: 22,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['repeated-attempts']);
    expect(find(f, 'repeated-attempts')!.ports).toEqual([22]);
    expect(find(f, 'repeated-attempts')!.technique).toBe('password-guessing');
  });
  it('thousands of SYNs to 1433 and 3389 stay a two-port finding', () => {
    const pkts: Pkt[] = range(0, 1999).map((i) => ({
      t: i * 0.1,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP',
      spt: 20000 + i,
      dpt: i % 2 ? 1433 : 3389,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['repeated-attempts']);
    expect(find(f, 'repeated-attempts')!.ports).toEqual([1433, 3389]);
  });
});

describe('horizontal-sweep', () => {
  it('names RDP as the service hunted across hosts', () => {
    const pkts: Pkt[] = range(1, 40).map((h) => ({
      t: h * 0.05,
      src: ATTACKER,
      dst: `203.0.113.${h}`,
      proto: 'TCP',
      spt: 50000 + h,
      dpt: 3389,
      len: 44,
      df: false,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['horizontal-sweep']);
    expect(find(f, 'horizontal-sweep')!.ports).toEqual([3389]);
    expect(find(f, 'horizontal-sweep')!.title.en).toMatch(/RDP|Remote Desktop|ms-wbt/i);
  });
  it('a proxy hunt names SOCKS among the services', () => {
    const pkts: Pkt[] = range(1, 20).flatMap((h) =>
      [1080, 3128, 8080].map((dpt, k) => ({
        t: h + k * 0.01,
        src: ATTACKER,
        dst: `203.0.113.${h}`,
        proto: 'TCP' as const,
        spt: 41000 + h,
        dpt,
      })),
    );
    const f = run(pkts);
    expect(ids(f)).toEqual(['horizontal-sweep']);
    expect(find(f, 'horizontal-sweep')!.explanation.en).toMatch(/SOCKS/i);
  });
});

describe('ping-sweep', () => {
  it('echo requests across hosts', () => {
    const pkts: Pkt[] = range(1, 30).map((h) => ({
      t: h * 0.01,
      src: ATTACKER,
      dst: `203.0.113.${h}`,
      proto: 'ICMP',
      type: 8,
      icmpId: 7,
      seq: 1,
      len: 28,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['ping-sweep']);
    expect(find(f, 'ping-sweep')!.technique).toBe('icmp-echo');
  });
  it('timestamp requests are reconnaissance even against one host', () => {
    const pkts: Pkt[] = [0, 1, 2].map((t) => ({
      t,
      src: ATTACKER,
      dst: ME,
      proto: 'ICMP',
      type: 13,
      icmpId: 9,
      seq: t,
      len: 40,
    }));
    expect(find(run(pkts), 'ping-sweep')!.technique).toBe('icmp-timestamp');
  });
  it('a host that pinged twice is not reported', () => {
    const pkts: Pkt[] = [0, 1].map((t) => ({
      t,
      src: ATTACKER,
      dst: ME,
      proto: 'ICMP',
      type: 8,
      icmpId: 3,
      seq: t + 1,
    }));
    expect(run(pkts)).toEqual([]);
  });
});

describe('slow-scan', () => {
  it('one port a minute for 40 minutes is a slow scan, not a vertical scan', () => {
    const pkts = shuffle(range(1, 1000), 3)
      .slice(0, 40)
      .map((dpt, i) => ({
        t: i * 60,
        src: ATTACKER,
        dst: ME,
        proto: 'TCP' as const,
        spt: 60000,
        dpt,
        len: 44,
        df: false,
      }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['slow-scan']);
    expect(find(f, 'slow-scan')!.technique).toBe('syn');
  });

  /** Probes from ATTACKER: one per entry of `ports`, `gap` seconds apart. */
  const paced = (ports: number[], gap: number, sport = (i: number) => 60000 + i): Pkt[] =>
    ports.map((dpt, i) => ({
      t: i * gap,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP' as const,
      spt: sport(i),
      dpt,
      len: 44,
      df: false,
    }));

  it('five ports 15 s apart, each once, is a slow scan of a few ports, with ports, spacing and duration', () => {
    const f = run(paced([3389, 22, 5900, 443, 23], 15));
    expect(ids(f)).toEqual(['slow-scan']);
    const slow = find(f, 'slow-scan')!;
    expect(slow.title.en).toBe('Slow scan of a few ports');
    expect(slow.ports).toEqual([22, 23, 443, 3389, 5900]);
    expect(slow.explanation.en).toContain(
      '5 ports of 203.0.113.10 (22, 23, 443, 3389, 5900) one at a time, about 15 s apart, over 60 s',
    );
    expect(slow.explanation.zh).toContain('间隔约 15 秒,历时 60 秒');
  });

  it("one host's retries to one port, or to two, are no scan", () => {
    expect(run(paced(Array(8).fill(3389), 15))).toEqual([]);
    expect(ids(run(paced([25, 587, 25, 587, 25, 587, 25, 587], 15)))).not.toContain('slow-scan');
  });

  it('a few ports retried again and again are a client, not a scan', () => {
    const ports = [22, 80, 443, 8080];
    const f = run(paced([...ports, ...ports, ...ports], 15, (i) => 60000 + (i % 4)));
    expect(ids(f)).not.toContain('slow-scan');
  });

  it("a server's late replies to a client's ephemeral ports are no scan, even seconds apart", () => {
    const replies = paced([9921, 9922, 9920, 9939, 9955, 9960], 14, () => 80);
    expect(ids(run(replies))).not.toContain('slow-scan');
  });

  it('a burst of several ports at once, then a few more, is not a port-by-port slow scan', () => {
    const pkts = paced([22, 23, 25, 443, 3389], 15).map((p, i) => (i < 3 ? { ...p, t: i * 0.01 } : p));
    expect(ids(run(pkts))).not.toContain('slow-scan');
  });

  it('a few ports probed within seconds, or an hour apart, are not this slow scan', () => {
    expect(ids(run(paced([22, 23, 443, 3389, 5900], 1)))).not.toContain('slow-scan');
    expect(ids(run(paced([22, 23, 443, 3389, 5900], 3600)))).not.toContain('slow-scan');
  });
});

describe('distributed-scan', () => {
  it('a /24 splitting a scan among its addresses is one finding', () => {
    const ports = shuffle(range(1, 1024), 11).slice(0, 60);
    const pkts: Pkt[] = ports.map((dpt, i) => ({
      t: i * 0.2,
      src: `198.51.100.${10 + (i % 12)}`,
      dst: ME,
      proto: 'TCP',
      spt: 45000 + i,
      dpt,
      len: 44,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['distributed-scan']);
    expect(find(f, 'distributed-scan')!.counts.distinctSources).toBe(12);
  });
  it('IPv6 addresses of one /64 are grouped', () => {
    const ports = shuffle(range(1, 1024), 12).slice(0, 30);
    const pkts: Pkt[] = ports.map((dpt, i) => ({
      t: i,
      src: `2001:db8:5:7::${(i % 6) + 1}`,
      dst: '2001:db8:1::10',
      proto: 'TCP',
      spt: 45000 + i,
      dpt,
      len: 64,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['distributed-scan']);
  });
  it('unrelated addresses covering many ports of one host with no overlap', () => {
    const ports = shuffle(range(1, 1024), 13).slice(0, 80);
    const pkts: Pkt[] = ports.map((dpt, i) => ({
      t: i * 2,
      src: `${[45, 91, 185, 193][i % 4]}.${i}.${i * 3}.7`,
      dst: ME,
      proto: 'TCP',
      spt: 45000 + i,
      dpt,
      len: 44,
    }));
    expect(ids(run(pkts))).toEqual(['distributed-scan']);
  });
});

describe('traceroute', () => {
  it('UDP traceroute three routers away: hop count guessed, no port scan', () => {
    // Probes 0-8 (TTL 1-3) die on the way; probe n leaves with TTL floor(n/3)+1 and crosses 3 routers.
    const pkts: Pkt[] = range(9, 20).map((n) => ({
      t: n * 0.01,
      src: ATTACKER,
      dst: ME,
      proto: 'UDP',
      spt: 44000 + n,
      dpt: 33434 + n,
      ttl: Math.floor(n / 3) + 1 - 3,
      len: 60,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['traceroute']);
    expect(find(f, 'traceroute')!.technique).toBe('udp');
    expect(find(f, 'traceroute')!.explanation.en).toContain('about 4 hops');
  });
  it('ICMP echo traceroute (tracert) with rising TTLs', () => {
    const pkts: Pkt[] = range(6, 17).map((n) => ({
      t: n * 0.3,
      src: ATTACKER,
      dst: ME,
      proto: 'ICMP',
      type: 8,
      icmpId: 1,
      seq: n + 1,
      ttl: Math.floor(n / 3) + 1 - 2,
      len: 92,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['traceroute']);
    expect(find(f, 'traceroute')!.technique).toBe('icmp-echo');
    expect(find(f, 'traceroute')!.explanation.en).toContain('about 3 hops');
  });

  /** Windows tracert to a host `hops` routers-and-one away: 3 echoes per TTL, sequence numbers from `firstSeq`. */
  function tracert(firstSeq: number, hops: number, lastTtl: number): Pkt[] {
    return range(hops, lastTtl).flatMap((ttl) =>
      [0, 1, 2].map((probe) => ({
        t: ttl * 12 + probe * 4,
        src: ATTACKER,
        dst: ME,
        proto: 'ICMP' as const,
        type: 8,
        icmpId: 1,
        seq: firstSeq + (ttl - 1) * 3 + probe,
        ttl: ttl - hops + 1,
        len: 92,
      })),
    );
  }

  it('tracert whose sequence numbers carry on from earlier pings: no hop count made up', () => {
    // The reviewer's log: arrival TTL 1,1,1,2,2,2 ... 6 with SEQ 101-118 (tracert never resets SEQ).
    const f = find(run(tracert(101, 1, 6)), 'traceroute')!;
    expect(f.technique).toBe('icmp-echo');
    expect(f.explanation.en).not.toMatch(/about \d+ hops?/);
    expect(f.explanation.en).toContain('hop count cannot be read');
    expect(f.explanation.zh).toContain('无法');
  });

  it('tracert whose sequence numbers happen to fall in step with TTLs still gets no impossible hop count', () => {
    // SEQ 58 + 3 per TTL lines up with "3 per TTL from 1", but would put the sender 34 routers away.
    const f = find(run(tracert(58, 15, 30)), 'traceroute')!;
    expect(f.explanation.en).not.toMatch(/about \d+ hops?/);
  });

  it('ICMP traceroute is described as pings, not as the UDP port run', () => {
    const f = find(run(tracert(1, 3, 10)), 'traceroute')!;
    expect(f.explanation.en).toContain('about 3 hops');
    for (const text of [f.explanation.en, f.explanation.zh]) {
      expect(text).not.toContain('33434');
      expect(text).not.toContain('UDP');
    }
  });
});

describe('scanner-fingerprint', () => {
  it('sscan: TCP from source ports 1-5', () => {
    const pkts: Pkt[] = [1, 2, 3, 4, 5].map((spt, i) => ({
      t: i,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP',
      spt,
      dpt: [21, 23, 1114, 111, 53][i]!,
    }));
    const f = run(pkts);
    expect(f.map((x) => x.technique)).toContain('sscan');
  });
  it('nmap OS detection probes', () => {
    const base = { src: ATTACKER, dst: ME, proto: 'TCP' as const, spt: 61000 };
    const pkts: Pkt[] = [
      { ...base, t: 0, dpt: 22, flags: 'CWR ECE SYN', len: 52, window: 3 },
      { ...base, t: 0.1, dpt: 22, flags: '', df: true, len: 60, window: 128 },
      { ...base, t: 0.2, dpt: 22, flags: 'URG PSH SYN FIN', df: false, len: 60, window: 256 },
      { ...base, t: 0.3, dpt: 41000, flags: 'URG PSH FIN', df: false, len: 60, window: 65535 },
      { t: 0.4, src: ATTACKER, dst: ME, proto: 'UDP', spt: 61001, dpt: 41000, len: 328 },
      { t: 0.5, src: ATTACKER, dst: ME, proto: 'ICMP', type: 8, code: 9, icmpId: 5, seq: 295, len: 148 },
    ];
    const f = run(pkts);
    expect(ids(f)).toEqual(['scanner-fingerprint']);
    expect(find(f, 'scanner-fingerprint')!.technique).toBe('nmap-os-detection');
  });
  it('probes from source port 53 to evade filters (and the scan they belong to)', () => {
    const pkts: Pkt[] = TOP_PORTS.slice(0, 20).map((dpt, i) => ({
      t: i * 0.01,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP',
      spt: 53,
      dpt,
      len: 44,
      df: false,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['scanner-fingerprint', 'vertical-scan']);
    expect(find(f, 'scanner-fingerprint')!.technique).toBe('source-port-evasion');
  });
});

describe('trojan-probe', () => {
  it('names the trojans a source looks for', () => {
    const pkts: Pkt[] = [
      { t: 0, src: ATTACKER, dst: ME, proto: 'UDP', spt: 1025, dpt: 31337 },
      { t: 5, src: ATTACKER, dst: ME, proto: 'TCP', spt: 1026, dpt: 12345 },
      { t: 9, src: ATTACKER, dst: ME, proto: 'TCP', spt: 1027, dpt: 27374 },
    ];
    const f = run(pkts);
    expect(ids(f)).toEqual(['trojan-probe']);
    expect(find(f, 'trojan-probe')!.explanation.en).toMatch(/Back Orifice/);
    expect(find(f, 'trojan-probe')!.explanation.en).toMatch(/Sub-?7|SubSeven/i);
    expect(find(f, 'trojan-probe')!.ports).toEqual([12345, 27374, 31337]);
  });
  it('a wide scan that happens to touch 31337 is reported as a scan only', () => {
    const f = run(rawScan([...TOP_PORTS.slice(0, 100), 31337, 12345], 'SYN'));
    expect(ids(f)).toEqual(['vertical-scan']);
  });
});

describe('inherited-retry', () => {
  it('a client returning to PowWow 13223 every 10 minutes for hours', () => {
    const pkts: Pkt[] = range(0, 17).flatMap((k) =>
      [0, 3, 9].map((r) => ({
        t: k * 600 + r,
        src: ATTACKER,
        dst: ME,
        proto: 'TCP' as const,
        spt: 2000 + k,
        dpt: 13223,
      })),
    );
    const f = run(pkts);
    expect(ids(f)).toEqual(['inherited-retry']);
    expect(find(f, 'inherited-retry')!.explanation.en).toMatch(/10 min/);
  });
});

describe('return-traffic', () => {
  it('RealAudio UDP after an outbound TCP 7070, DNS answers, late TCP from 443', () => {
    const client = '203.0.113.10';
    const server = '198.51.100.70';
    const pkts: Pkt[] = [
      {
        t: 0,
        src: client,
        dst: server,
        proto: 'TCP',
        spt: 41000,
        dpt: 7070,
        outIf: 'eth0',
        inIf: '',
        prefix: 'ACCEPT ',
      },
      ...range(1, 20).map((i) => ({
        t: 1 + i * 0.1,
        src: server,
        dst: client,
        proto: 'UDP' as const,
        spt: 31000,
        dpt: 6970 + (i % 3),
      })),
      ...range(1, 5).map((i) => ({
        t: 10 + i,
        src: '192.0.2.53',
        dst: client,
        proto: 'UDP' as const,
        spt: 53,
        dpt: 30000 + i * 7,
      })),
      ...range(1, 5).map((i) => ({
        t: 20 + i,
        src: '198.51.100.80',
        dst: client,
        proto: 'TCP' as const,
        spt: 443,
        dpt: 50000 + i,
        flags: 'ACK FIN',
      })),
    ];
    const f = run(pkts);
    expect(ids(f)).toEqual(['return-traffic']);
    expect(f.every((x) => x.severity === 1)).toBe(true);
    expect(f.map((x) => x.explanation.en).join(' ')).toMatch(/RealAudio/);
  });
});

describe('outbound-beacon', () => {
  it('an inside host retrying 17027 outside every 5 minutes: the problem is inside', () => {
    const pkts: Pkt[] = range(0, 11).map((k) => ({
      t: k * 300,
      src: '192.168.1.20',
      dst: '198.51.100.99',
      proto: 'TCP',
      spt: 3000 + k,
      dpt: 17027,
      inIf: '',
      outIf: 'eth0',
      prefix: 'REJECT ',
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['outbound-beacon']);
    expect(find(f, 'outbound-beacon')!.explanation.en).toMatch(/INSIDE/);
  });

  it("SMB to the LAN's file servers is not a call home; to the Internet it is, and with own networks by them", () => {
    // A Windows host firewall's log of its own connections (windows-pfirewall/ossec-docs-windows-firewall.log:
    // 192.168.72.12 opening 445 on two file servers of 10.20.72.0/24), as netfilter OUTPUT lines.
    const smb = (dst: (k: number) => string): Pkt[] =>
      range(0, 5).map((k) => ({
        t: k * 900,
        src: '192.168.72.12',
        dst: dst(k),
        proto: 'TCP',
        spt: 3599 + k,
        dpt: 445,
        inIf: '',
        outIf: 'eth0',
        prefix: 'REJECT ',
      }));
    const lan = smb((k) => `10.20.72.${k % 2 ? 186 : 204}`);
    expect(ids(run(lan))).toEqual([]);
    expect(ids(run(smb((k) => `198.51.100.${k % 2 ? 186 : 204}`)))).toEqual(['outbound-beacon']);
    // Own networks say which side an address is on: 10.20.72.0/24 as a site of ours is not outside either,
    // and a private address outside them is.
    const lines = (pkts: Pkt[]) => pkts.map(nfLine);
    expect(
      ids(
        detect(lines(lan), { ...defaultDetectionConfig(), ownNetworks: ['192.168.72.0/24', '10.20.0.0/16'] }),
      ),
    ).toEqual([]);
    expect(
      ids(detect(lines(lan), { ...defaultDetectionConfig(), ownNetworks: ['192.168.72.0/24'] })),
    ).toEqual(['outbound-beacon']);
  });
});

describe('a session log without TCP flags (FortiGate)', () => {
  /** FortiGate traffic records from 203.0.113.50 to 192.0.2.10, one per port, at the given seconds. */
  const forti = (ports: number[], action: 'deny' | 'accept', at = (k: number) => k) =>
    ports.map(
      (port, k) =>
        `date=2026-11-20 time=10:${String(Math.floor(at(k) / 60)).padStart(2, '0')}:${String(at(k) % 60).padStart(2, '0')} devname="fw1" devid="FGT60F" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=203.0.113.50 srcport=${40000 + k} srcintf="wan1" srcintfrole="wan" dstip=192.0.2.10 dstport=${port} dstintf="internal" dstintfrole="lan" proto=6 action="${action}" policyid=0 service="tcp/${port}" duration=0 sentbyte=0 rcvdbyte=0`,
    );

  it('a scan of 40 ports is a TCP port scan with its flags unknown, not a NULL scan', () => {
    const f = detect(forti(range(20, 59), 'deny'));
    expect(ids(f)).toEqual(['vertical-scan']);
    const scan = find(f, 'vertical-scan')!;
    expect(scan.technique).toBe('tcp');
    expect(scan.title.en).toBe('Vertical port scan: TCP port scan (the log does not record TCP flags)');
    expect(scan.severity).toBe(3);
    expect(`${scan.title.en} ${scan.explanation.en}`).not.toMatch(/NULL/);
  });

  it('denied connections to SSH again and again are repeated attempts; allowed sessions are not', () => {
    // Uneven gaps (a person or a guessing tool), not the steady rhythm of a program retrying.
    const ssh = Array.from({ length: 30 }, () => 22);
    const at = (k: number) => k * 7 + ((k * k) % 11);
    expect(ids(detect(forti(ssh, 'deny', at)))).toContain('repeated-attempts');
    expect(ids(detect(forti(ssh, 'accept', at)))).not.toContain('repeated-attempts');
  });
});

describe('lan-noise', () => {
  it('thousands of NetBIOS, SSDP and mDNS packets become one low finding', () => {
    const pkts: Pkt[] = range(0, 2999).map((i) => {
      const host = `192.168.1.${(i % 40) + 2}`;
      if (i % 3 === 0) return { t: i, src: host, dst: '192.168.1.255', proto: 'UDP', spt: 137, dpt: 137 };
      if (i % 3 === 1)
        return { t: i, src: host, dst: '239.255.255.250', proto: 'UDP', spt: 50000, dpt: 1900 };
      return { t: i, src: host, dst: '224.0.0.251', proto: 'UDP', spt: 5353, dpt: 5353 };
    });
    const f = run(pkts);
    expect(f).toHaveLength(1);
    expect(f[0]!.detector).toBe('lan-noise');
    expect(f[0]!.severity).toBe(1);
    expect(f[0]!.counts.events).toBe(3000);
  });
});

describe('backscatter', () => {
  it('SYN-ACKs and RSTs to random ports with no outbound traffic', () => {
    const victim = '198.51.100.80';
    const pkts: Pkt[] = range(1, 30).map((i) => ({
      t: i * 0.3,
      src: victim,
      dst: ME,
      proto: 'TCP',
      spt: 80,
      dpt: 1024 + ((i * 7919) % 60000),
      flags: i % 4 ? 'ACK SYN' : 'ACK RST',
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['backscatter']);
    expect(find(f, 'backscatter')!.technique).toBe('syn-ack');
  });
});

describe('flood', () => {
  it('a SYN flood on port 80 is a flood, not repeated attempts or a scan', () => {
    const pkts: Pkt[] = range(0, 1999).map((i) => ({
      t: i * 0.001,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP',
      spt: 1024 + i,
      dpt: 80,
      len: 40,
      df: false,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['flood']);
    expect(find(f, 'flood')!.technique).toBe('syn-flood');
  });
  it('smurf: echo replies from many reflectors', () => {
    const pkts: Pkt[] = range(0, 119).map((i) => ({
      t: i * 0.01,
      src: `192.0.2.${(i % 40) + 1}`,
      dst: ME,
      proto: 'ICMP',
      type: 0,
      icmpId: 77,
      seq: i,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['flood']);
    expect(find(f, 'flood')!.technique).toBe('smurf');
  });
  it('fraggle: chargen replies from many reflectors', () => {
    const pkts: Pkt[] = range(0, 99).map((i) => ({
      t: i * 0.01,
      src: `192.0.2.${(i % 25) + 1}`,
      dst: ME,
      proto: 'UDP',
      spt: 19,
      dpt: 7,
    }));
    expect(find(run(pkts), 'flood')?.technique).toBe('fraggle');
  });
});

describe('spoofing', () => {
  it('private and loopback sources arriving at a public address', () => {
    const pkts: Pkt[] = [
      { t: 0, src: '10.9.8.7', dst: ME, proto: 'TCP', spt: 1111, dpt: 80 },
      { t: 1, src: '127.0.0.1', dst: ME, proto: 'TCP', spt: 1112, dpt: 80 },
    ];
    const f = run(pkts);
    expect(ids(f)).toEqual(['spoofing']);
    expect(f.map((x) => x.technique).sort()).toEqual(['loopback', 'private']);
    // A private source may be a LAN host logged on an inside interface: the finding says how to tell fwlens.
    const privateOne = f.find((x) => x.technique === 'private')!;
    expect(privateOne.explanation.en).toContain('If 10.9.8.7 is a host of your own network');
    expect(privateOne.explanation.en).toContain('ownNetworks');
    expect(privateOne.explanation.zh).toContain('ownNetworks');
    expect(f.find((x) => x.technique === 'loopback')!.explanation.en).not.toContain('ownNetworks');
    // Told, it is not judged from outside (the loopback source still is).
    const told = detect(pkts.map(nfLine), {
      ...defaultDetectionConfig(),
      ownNetworks: ['10.0.0.0/8', `${ME}/32`],
    });
    expect(told.map((x) => x.technique)).toEqual(['loopback']);
  });
  it("the machine's own loopback traffic (BSD lo0, Linux lo) is no forgery; the same packets on an outside interface are", () => {
    const pf = (iface: string, s: number) =>
      `Mar 30 15:48:0${s}.810188 rule 2/(match) pass in on ${iface}: 127.0.0.1 > 127.0.0.1: icmp: echo request`;
    // The corpus's OpenBSD pflog sample: a local ping on lo0 was "Spoofed source address: 127.0.0.1 (LAND)".
    expect(
      ids(
        detect(
          [0, 1, 2, 3].map((s) => pf('lo0', s)),
          defaultDetectionConfig(),
        ),
      ),
    ).not.toContain('spoofing');
    expect(
      ids(
        detect(
          [0, 1, 2, 3].map((s) => pf('em0', s)),
          defaultDetectionConfig(),
        ),
      ),
    ).toContain('spoofing');
  });
  it("Check Point's conn_direction decides the sides: an internal connection logged inbound on an inside interface is no forgery", () => {
    const cp = (dir: string, s: number) =>
      `CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|Log|TCP_8000|Unknown|act=Accept deviceDirection=0 rt=${1757320608000 + s * 1000} spt=${33100 + s} dpt=8000 conn_direction=${dir} ifname=bond2.100 proto=6 dst=198.51.100.8 src=10.20.30.40`;
    // The corpus's Check Point sample: "Spoofed source address: 10.20.30.40" for conn_direction=Internal.
    expect(
      ids(
        detect(
          [0, 1, 2].map((s) => cp('Internal', s)),
          defaultDetectionConfig(),
        ),
      ),
    ).not.toContain('spoofing');
    expect(
      ids(
        detect(
          [0, 1, 2].map((s) => cp('Incoming', s)),
          defaultDetectionConfig(),
        ),
      ),
    ).toContain('spoofing');
  });
  it('one source arriving from two steady distances', () => {
    const pkts: Pkt[] = range(0, 7).map((i) => ({
      t: i * 30,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP',
      spt: 5000 + i,
      dpt: 443,
      ttl: i % 2 ? 50 : 60,
    }));
    const f = run(pkts);
    expect(ids(f)).toEqual(['spoofing']);
    expect(find(f, 'spoofing')!.technique).toBe('ttl-inconsistent');
  });
  /** Raw SYN probes from ATTACKER to `ports`, 2 s apart (below a vertical scan), with the given TTLs. */
  const probes = (ports: number[], ttl: (i: number) => number): Pkt[] =>
    ports.map((dpt, i) => ({
      t: i * 2,
      src: ATTACKER,
      dst: ME,
      proto: 'TCP' as const,
      spt: 51234,
      dpt,
      len: 44,
      df: false,
      ttl: ttl(i),
    }));
  /** The TTLs of nmap's 16 raw probes in the lab capture nmap-random-ttl, in order. */
  const NMAP_TTLS = [57, 50, 52, 50, 43, 51, 53, 46, 37, 52, 49, 56, 42, 49, 54, 54];

  it("a scanner's random TTLs over several ports are not forgery", () => {
    const ports = [23, 22, 21, 25, 3389, 143, 443, 110];
    const f = run(probes([...ports, ...ports], (i) => NMAP_TTLS[i]!));
    expect(ids(f)).not.toContain('spoofing');
  });

  it('two steady distances stay a spoofing hint even when the packets are probes to several ports', () => {
    const f = run(
      probes([21, 22, 23, 25, 110, 143, 443, 3389], (i) => (i % 2 ? 50 + (i % 3) : 60 + (i % 3))),
    );
    expect(find(f, 'spoofing')?.technique).toBe('ttl-inconsistent');
  });

  it('private sources inside one LAN are not spoofing', () => {
    const pkts: Pkt[] = range(0, 5).map((i) => ({
      t: i,
      src: '192.168.10.55',
      dst: '192.168.10.1',
      proto: 'TCP',
      spt: 5000 + i,
      dpt: 80,
    }));
    expect(run(pkts)).toEqual([]);
  });
});
