// Findings built from a session log's connection records say connections (or records, when a group mixes them
// with packets), in English and Chinese: floods, ping sweeps, slow scans, distributed scans, LAN chatter, late
// replies, trojan probes, impossible sources and the sentence of merged episodes; cloud flow logs' records of one
// 5-tuple over an aggregation interval count as connections, once however many intervals a flow spans; SRX denied
// sessions and Zeek conn records are connections. A packet log's text is the goldens' (test/golden.test.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/detect/index.js';
import { detect, nfLine } from './detect-helpers.js';
import { runCli } from './helpers.js';
import { schemaValidator } from './support/schemas.js';

/** `hh:mm:ss` of second `s` after 09:00:00. */
function clock(s: number): string {
  const h = 9 + Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return [h, m, sec].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Records in time order (each line starts with its second). */
function inTimeOrder(records: [number, string][]): string[] {
  return records.sort((a, b) => a[0] - b[0]).map(([, line]) => line);
}

function one(findings: Finding[], detector: string): Finding {
  const f = findings.find((x) => x.detector === detector);
  expect(f, `a ${detector} finding among ${findings.map((x) => x.detector).join(', ')}`).toBeDefined();
  return f!;
}

/** An ASA's Built record of an inbound TCP or UDP connection, at second `at` of 14 March 2026. */
function asaBuilt(
  at: number,
  id: number,
  proto: 'TCP' | 'UDP',
  from: string,
  sport: number,
  to: string,
  dport: number,
) {
  const msg = proto === 'TCP' ? '302013' : '302015';
  return `Mar 14 2026 ${clock(at)} asa-edge1 : %ASA-6-${msg}: Built inbound ${proto} connection ${id} for outside:${from}/${sport} (${from}/${sport}) to dmz:${to}/${dport} (${to}/${dport})`;
}

/** Its Teardown: a TCP connection nobody answered, torn down by SYN Timeout. */
function asaTeardown(
  at: number,
  id: number,
  proto: 'TCP' | 'UDP',
  from: string,
  sport: number,
  to: string,
  dport: number,
) {
  const msg = proto === 'TCP' ? '302014' : '302016';
  const reason = proto === 'TCP' ? ' SYN Timeout' : '';
  return `Mar 14 2026 ${clock(at)} asa-edge1 : %ASA-6-${msg}: Teardown ${proto} connection ${id} for outside:${from}/${sport} to dmz:${to}/${dport} duration 0:00:30 bytes 0${reason}`;
}

/** TCP connections through an ASA, each Built at its second and torn down by SYN Timeout 30 s later. */
function asaProbes(
  probes: { at: number; from: string; to: string; port: number }[],
  firstId: number,
): string[] {
  const out: [number, string][] = [];
  probes.forEach(({ at, from, to, port }, i) => {
    const sport = 41_000 + i;
    out.push([at, asaBuilt(at, firstId + i, 'TCP', from, sport, to, port)]);
    out.push([at + 30, asaTeardown(at + 30, firstId + i, 'TCP', from, sport, to, port)]);
  });
  return inTimeOrder(out);
}

describe('floods seen as a session log’s connections', () => {
  it('one source: connections opened, not packets sent', () => {
    // A UDP flood at 250 connections in one second: the ASA builds a connection for each new source port.
    const lines = Array.from({ length: 250 }, (_, i) =>
      asaBuilt(0, 600_000 + i, 'UDP', '203.0.113.66', 10_000 + i, '192.0.2.10', 53),
    );
    const f = one(detect(lines), 'flood');
    expect(f.explanation.en).toContain('203.0.113.66 opened 250 connections, peaking at 250 in one second');
    expect(f.explanation.en).not.toContain('packet');
    expect(f.explanation.zh).toContain('203.0.113.66 建立了 250 个连接,峰值达到每秒 250 个');
  });

  it('many sources against one target: connections opened', () => {
    // 60 forged sources, 10 connections each, all within one second.
    const flood = Array.from({ length: 600 }, (_, i) =>
      asaBuilt(0, 700_000 + i, 'UDP', `198.51.100.${(i % 60) + 1}`, 20_000 + i, '192.0.2.20', 123),
    );
    const f = detect(flood).find(
      (x) => x.detector === 'flood' && x.targets.includes('192.0.2.20') && x.sources.length > 1,
    );
    expect(f?.explanation.en).toContain(
      '60 different sources opened 600 connections to 192.0.2.20, peaking at 600 per second',
    );
    expect(f?.explanation.zh).toContain('60 个不同来源向 192.0.2.20 建立了 600 个连接,峰值每秒 600 个');
  });
});

describe('ICMP reconnaissance seen as an ASA’s ICMP connections (302020)', () => {
  /** Built and Teardown of an inbound ICMP connection of `type` from 203.0.113.9 to `host`. */
  function asaIcmp(at: number, host: string, type: number): [number, string][] {
    const ends = `faddr outside:203.0.113.9/${at + 1} gaddr dmz:${host}/0 laddr dmz:${host}/0 type ${type} code 0`;
    return [
      [at, `Mar 14 2026 ${clock(at)} asa-edge1 : %ASA-6-302020: Built inbound ICMP connection for ${ends}`],
      [
        at + 2,
        `Mar 14 2026 ${clock(at + 2)} asa-edge1 : %ASA-6-302021: Teardown ICMP connection for ${ends}`,
      ],
    ];
  }

  it('a ping sweep counts connections', () => {
    const lines = inTimeOrder(
      Array.from({ length: 12 }, (_, i) => asaIcmp(i * 3, `192.0.2.${20 + i}`, 8)).flat(),
    );
    const f = one(detect(lines), 'ping-sweep');
    expect(f.explanation.en).toContain('sent ICMP echo requests to 12 different hosts (12 connections)');
    expect(f.explanation.zh).toContain('发送了 ICMP echo 请求(共 12 个连接)');
  });

  it('timestamp queries count connections', () => {
    const lines = inTimeOrder(Array.from({ length: 3 }, (_, i) => asaIcmp(i * 40, '192.0.2.20', 13)).flat());
    const f = one(detect(lines), 'ping-sweep');
    expect(f.explanation.en).toContain('203.0.113.9 sent ICMP timestamp requests (3 connections)');
    expect(f.explanation.zh).toContain('203.0.113.9 发送了 3 个 ICMP timestamp 请求');
  });
});

describe('scans seen as an ASA’s connections', () => {
  it('a slow scan of a few ports counts connections', () => {
    const ports = [21, 23, 1433, 3389, 5900, 8080];
    const lines = asaProbes(
      ports.map((port, i) => ({ at: i * 30, from: '203.0.113.77', to: '192.0.2.30', port })),
      800_000,
    );
    const f = one(detect(lines), 'slow-scan');
    expect(f.explanation.en).toContain('each once (6 connections)');
    expect(f.explanation.zh).toContain('每个端口只探测一次(共 6 个连接)');
  });

  it('a scan split across a network range counts connections', () => {
    // Three addresses of one /24 taking turns, every 3 s, each on new ports of one host.
    const probes = Array.from({ length: 15 }, (_, i) => ({
      at: i * 3,
      from: `198.51.100.${10 + (i % 3)}`,
      to: '192.0.2.40',
      port: 1000 + i * 7,
    }));
    const f = one(detect(asaProbes(probes, 850_000)), 'distributed-scan');
    expect(f.explanation.en).toContain('(15 distinct ports on 1 host, 15 connections)');
    expect(f.explanation.zh).toContain('1 台主机上的 15 个不同端口,共 15 个连接)');
  });

  it('trojan probes count connections', () => {
    const lines = asaProbes(
      [12345, 27374].map((port, i) => ({ at: i * 20, from: '203.0.113.99', to: '192.0.2.10', port })),
      860_000,
    );
    const f = one(detect(lines), 'trojan-probe');
    expect(f.explanation.en).toContain('where backdoors listen (2 connections)');
    expect(f.explanation.zh).toContain('个后门程序监听的端口(共 2 个连接)');
  });
});

describe('other roll-ups of a session log’s connections', () => {
  it('LAN chatter Windows Firewall logged as connections (OPEN) says connections', () => {
    const lines = Array.from(
      { length: 5 },
      (_, i) =>
        `2024-03-14 ${clock(i * 60)} OPEN UDP 192.168.1.${23 + (i % 2)} 239.255.255.250 ${55_000 + i} 1900 - - - - - - - - -`,
    );
    const f = one(detect(lines), 'lan-noise');
    expect(f.explanation.en).toContain('5 connections of local-network chatter from 2 hosts (ssdp 5)');
    expect(f.explanation.zh).toContain('来自 2 台主机的 5 个本地网络闲聊连接(ssdp 5)');
  });

  it('connections from an impossible source say connections', () => {
    // A LAND attack through an ASA: source and destination the same address and port.
    const lines = asaProbes(
      Array.from({ length: 3 }, (_, i) => ({
        at: i * 10,
        from: '203.0.113.5',
        to: '203.0.113.5',
        port: 139,
      })),
      870_000,
    ).map((l) => l.replace(/outside:203\.0\.113\.5\/4100\d/g, (m) => m.replace(/\/\d+$/, '/139')));
    const f = one(detect(lines), 'spoofing');
    expect(f.explanation.en).toContain('3 connections arrived from 203.0.113.5 towards 203.0.113.5');
    expect(f.explanation.zh).toContain('有 3 个来自 203.0.113.5 的连接发往 203.0.113.5');
  });
});

describe('the sentence of merged episodes', () => {
  /** A SIP guesser's 12 records on day `day` of March 2026: ASA Built/Teardown connections, or 106023 denies. */
  function sipEpisode(day: number, kind: 'connections' | 'denies', firstId: number): string[] {
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++) {
      const at = i * 20;
      const sport = 40_100 + i * 7;
      const stamp = (s: number) => `Mar ${day} 2026 ${clock(s)}`;
      if (kind === 'denies') {
        out.push([
          at,
          `${stamp(at)} asa-edge1 : %ASA-4-106023: Deny udp src outside:203.0.113.66/${sport} dst inside:192.0.2.10/5060 by access-group "outside_in" [0x0, 0x0]`,
        ]);
        continue;
      }
      const ends = `outside:203.0.113.66/${sport}`;
      out.push([
        at,
        `${stamp(at)} asa-edge1 : %ASA-6-302015: Built inbound UDP connection ${firstId + i} for ${ends} (203.0.113.66/${sport}) to inside:192.0.2.10/5060 (198.51.100.10/5060)`,
      ]);
      out.push([
        at + 120,
        `${stamp(at + 120)} asa-edge1 : %ASA-6-302016: Teardown UDP connection ${firstId + i} for ${ends} to inside:192.0.2.10/5060 duration 0:02:00 bytes 1184`,
      ]);
    }
    return inTimeOrder(out);
  }

  const repeated = (findings: Finding[]) => one(findings, 'repeated-attempts');

  it('episodes of connections count connections in all', () => {
    const f = repeated(
      detect([...sipEpisode(14, 'connections', 734_100), ...sipEpisode(16, 'connections', 734_200)]),
    );
    expect(f.counts.episodes).toBe(2);
    expect(f.counts.connections).toBe(24);
    expect(f.explanation.en).toContain('UTC, 24 connections in all. Strongest episode:');
    expect(f.explanation.zh).toContain('UTC 之间,合计 24 个连接。');
  });

  it('an episode of packets and one of connections count records in all', () => {
    const f = repeated(detect([...sipEpisode(14, 'denies', 0), ...sipEpisode(16, 'connections', 734_300)]));
    expect(f.counts.episodes).toBe(2);
    expect(f.counts.connections).toBe(12);
    expect(f.explanation.en).toContain('UTC, 24 records in all. Strongest episode:');
    expect(f.explanation.zh).toContain('UTC 之间,合计 24 条记录。');
  });

  it('episodes of packets keep their packets, and the finding no connection count', () => {
    const f = repeated(detect([...sipEpisode(14, 'denies', 0), ...sipEpisode(16, 'denies', 0)]));
    expect(f.counts.episodes).toBe(2);
    expect(f.counts).not.toHaveProperty('connections');
    expect(f.explanation.en).toContain('UTC, 24 packets in all. Strongest episode:');
    expect(f.explanation.zh).toContain('UTC 之间,合计 24 个包。');
  });
});

describe('a packet log keeps its packets', () => {
  it('a ufw flood still sends packets', () => {
    const lines = Array.from({ length: 250 }, (_, i) =>
      nfLine({
        t: 0.001 * i,
        src: '203.0.113.66',
        dst: '192.0.2.10',
        proto: 'UDP',
        spt: 10_000 + i,
        dpt: 53,
      }),
    );
    const f = one(detect(lines), 'flood');
    expect(f.explanation.en).toContain('203.0.113.66 sent 250 packets, peaking at 250 in one second');
    expect(f.explanation.zh).toContain('203.0.113.66 发送了 250 个包,峰值达到每秒 250 个');
    expect(f.counts).not.toHaveProperty('connections');
  });
});

describe('session logs whose records have no opening or closing: one record per session', () => {
  const SCANNER = '203.0.113.45';
  const HOST = '192.0.2.10';

  /** A PAN-OS TRAFFIC record (syslog CSV) of a session of `subtype` with PAN-OS action `action`. */
  function panosTraffic(
    at: number,
    subtype: string,
    action: string,
    src: string,
    sport: number,
    dport: number,
  ) {
    const t = `2026/03/14 ${clock(at)}`;
    return `<14>Mar 14 ${clock(at)} PA-440 1,${t},013201001234,TRAFFIC,${subtype},2561,${t},${src},${HOST},0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,default,${t},0,1,${sport},${dport},0,0,0x0,tcp,${action},60,60,0,1,${t},0,any,0,${7_290_000 + at},0x0,Reserved,192.0.2.0-192.0.2.255,0,1,0,policy-deny,0,0,0,0,,PA-440,from-policy,,,0,,0,,N/A,0,0,0,0`;
  }

  /** A FortiGate traffic log record (key=value) of a forward session, `action` as FortiOS writes it. */
  function fortigateTraffic(
    at: number,
    action: string,
    src: string,
    sport: number,
    dport: number,
    proto = 6,
  ) {
    return `date=2026-03-14 time=${clock(at)} devname="FGT60E" devid="FGT60ETK19000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=${src} srcport=${sport} srcintf="wan1" srcintfrole="wan" dstip=${HOST} dstport=${dport} dstintf="internal" dstintfrole="lan" sessionid=${18_000 + sport} proto=${proto} action="${action}" policyid=0 policytype="policy" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 rcvdpkt=0`;
  }

  const ports = Array.from({ length: 40 }, (_, i) => 1000 + i * 7);

  it('a port scan PAN-OS dropped is probed with connections', () => {
    const lines = ports.map((port, i) => panosTraffic(i, 'drop', 'deny', SCANNER, 41_000 + i, port));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('SSH guessing PAN-OS denied is 12 attempts, not 12 connections opened', () => {
    const lines = Array.from({ length: 12 }, (_, i) =>
      panosTraffic(i * 20, 'deny', 'reset-both', SCANNER, 44_000 + i, 22),
    );
    const f = one(detect(lines), 'repeated-attempts');
    expect(f.explanation.en).toContain(`${SCANNER} made 12 attempts to`);
    expect(f.explanation.zh).toContain('发起了 12 次尝试');
  });

  it('a port scan a FortiGate denied is probed with connections', () => {
    const lines = ports.map((port, i) => fortigateTraffic(i, 'deny', SCANNER, 41_000 + i, port));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('a FortiGate session logged at its start and its end counts once, as a connection opened', () => {
    // "Log at session start" on the policy: action start when the session opens, accept when it ends.
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++) {
      out.push([i * 20, fortigateTraffic(i * 20, 'start', SCANNER, 45_000 + i, 5060, 17)]);
      out.push([i * 20 + 30, fortigateTraffic(i * 20 + 30, 'accept', SCANNER, 45_000 + i, 5060, 17)]);
    }
    const f = one(detect(inTimeOrder(out)), 'repeated-attempts');
    expect(f.counts.events).toBe(12);
    expect(f.explanation.en).toContain(`${SCANNER} opened 12 connections to`);
    expect(f.explanation.zh).toContain('建立了 12 个连接');
  });

  it('late DNS answers PAN-OS dropped are dropped connections', () => {
    const lines = Array.from({ length: 4 }, (_, i) =>
      panosTraffic(i * 30, 'drop', 'deny', '198.51.100.53', 53, 53_001 + i).replace(',tcp,', ',udp,'),
    );
    const f = one(detect(lines), 'return-traffic');
    expect(f.explanation.en).toContain('4 dropped connections from 1 server');
    expect(f.explanation.zh).toContain('1 台服务器的 4 个被丢弃的连接是对');
  });

  it('an ASA access list logs each denied packet (106023): packets they stay', () => {
    const lines = Array.from(
      { length: 12 },
      (_, i) =>
        `Mar 14 2026 ${clock(i * 20)} asa-edge1 : %ASA-4-106023: Deny tcp src outside:${SCANNER}/${44_000 + i} dst inside:${HOST}/22 by access-group "outside_in" [0x0, 0x0]`,
    );
    const f = one(detect(lines), 'repeated-attempts');
    expect(f.explanation.en).toContain(`${SCANNER} sent 12 packets to`);
    expect(f.explanation.zh).toContain('发送了 12 个包');
  });
});

describe('scanner fingerprints a session log can show', () => {
  it('sscan’s source ports 1-5 through an ASA are TCP connections opened', () => {
    const lines = Array.from({ length: 4 }, (_, i) =>
      asaBuilt(i * 5, 880_000 + i, 'TCP', '203.0.113.61', i + 1, '192.0.2.10', 80),
    );
    const f = one(detect(lines), 'scanner-fingerprint');
    expect(f.explanation.en).toContain('203.0.113.61 opened 4 TCP connections from source ports 1-5');
    expect(f.explanation.zh).toContain('203.0.113.61 从源端口 1-5 建立了 4 个 TCP 连接');
  });

  it('port 0 probes PAN-OS dropped are attempts, not packets', () => {
    const t = (at: number) => `2026/03/14 ${clock(at)}`;
    const lines = Array.from(
      { length: 2 },
      (_, i) =>
        `<14>Mar 14 ${clock(i * 10)} PA-440 1,${t(i * 10)},013201001234,TRAFFIC,drop,2561,${t(i * 10)},203.0.113.62,192.0.2.10,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,default,${t(i * 10)},0,1,${40_000 + i},0,0,0,0x0,tcp,deny,60,60,0,1,${t(i * 10)},0,any,0,${7_291_000 + i},0x0,Reserved,192.0.2.0-192.0.2.255,0,1,0,policy-deny,0,0,0,0,,PA-440,from-policy,,,0,,0,,N/A,0,0,0,0`,
    );
    const f = one(detect(lines), 'scanner-fingerprint');
    expect(f.explanation.en).toContain('203.0.113.62 made 2 attempts to port 0');
    expect(f.explanation.zh).toContain('203.0.113.62 向 0 端口或 0.0.0.0 地址发起了 2 次尝试');
  });
});

describe('findings left out over the per-detector bound', () => {
  it('say how many connections they covered, in every output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-omitted-connections-'));
    const log = join(dir, 'asa-sip.log');
    const config = join(dir, 'cap.yaml');
    // 12 SIP guessers, 12 ASA connections each: 12 repeated-attempts findings, 10 listed, 2 (24 connections) not.
    const out: [number, string][] = [];
    for (let s = 0; s < 12; s++)
      for (let i = 0; i < 12; i++) {
        const at = s * 600 + i * 20;
        const src = `198.51.100.${20 + s}`;
        out.push([at, asaBuilt(at, 900_000 + s * 100 + i, 'UDP', src, 40_000 + i * 7, '192.0.2.10', 5060)]);
      }
    writeFileSync(log, `${inTimeOrder(out).join('\n')}\n`);
    writeFileSync(config, 'maxFindingsPerDetector: 10\n');
    const analyze = async (...extra: string[]) => {
      const r = await runCli(['analyze', log, '--config', config, ...extra]);
      expect(r.code).toBe(0);
      return r.out;
    };
    const report = JSON.parse(await analyze('--json'));
    const omitted = report.findingsOmitted.find(
      (o: { detector: string }) => o.detector === 'repeated-attempts',
    );
    expect(omitted).toMatchObject({ findings: 2, events: 24, connections: 24 });
    const schemas = schemaValidator();
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
    expect((await analyze()).replace(/\s+/g, ' ')).toContain(
      'repeated-attempts: 2 weaker findings not listed anywhere (24 connections, severity up to',
    );
    expect((await analyze('--lang', 'zh')).replace(/\s+/g, '')).toContain(
      'repeated-attempts:另有2项较弱的发现未列出(24个连接,严重程度最高',
    );
    const roll = (await analyze('--ndjson'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((d) => d.event?.dataset === 'fwlens.findings_omitted');
    expect(roll.message).toContain('(24 connections, severity up to');
    expect(schemas.validate('findings-omitted.schema.json', roll), schemas.errors()).toBe(true);
    const html = join(dir, 'r.html');
    await analyze('--html', html);
    expect(readFileSync(html, 'utf8')).toMatch(/not listed \(24 connections, severity up to/);
  }, 60_000);
});

describe('cloud flow logs: a record is one flow over an aggregation interval', () => {
  const SCANNER = '203.0.113.45';
  const HOST = '172.31.16.139';
  /** 14 March 2024 09:00:00 UTC in epoch seconds (before the tests' reference time, as a flow log must be). */
  const T0 = Date.UTC(2024, 2, 14, 9) / 1000;
  const ports = Array.from({ length: 40 }, (_, i) => 1000 + i * 7);

  /** An AWS VPC flow log record (default v2 layout) of one 5-tuple over [at, at + 60) seconds after T0. */
  function awsFlow(
    at: number,
    action: 'ACCEPT' | 'REJECT',
    src: string,
    sport: number,
    dport: number,
    packets = 1,
    proto = 6,
  ) {
    const start = T0 + at;
    return `2 123456789010 eni-0a1b2c3d4e5f60718 ${src} ${HOST} ${sport} ${dport} ${proto} ${packets} ${packets * 44} ${start} ${start + 60} ${action} OK`;
  }

  /** A Google Cloud firewall rules log entry (Cloud Logging JSON) for a connection to HOST, at second `at`. */
  function gcpFirewall(
    at: number,
    disposition: 'ALLOWED' | 'DENIED',
    src: string,
    sport: number,
    dport: number,
  ) {
    const stamp = new Date((T0 + at) * 1000).toISOString();
    const rule =
      disposition === 'DENIED' ? 'network:default/firewall:deny-all' : 'network:default/firewall:allow-ssh';
    return JSON.stringify({
      insertId: `gcp${at}x${sport}`,
      jsonPayload: {
        connection: { src_ip: src, src_port: sport, dest_ip: HOST, dest_port: dport, protocol: 6 },
        disposition,
        rule_details: {
          reference: rule,
          priority: 1000,
          action: disposition === 'DENIED' ? 'DENY' : 'ALLOW',
          direction: 'INGRESS',
        },
        instance: {
          project_id: 'example-project',
          vm_name: 'web-1',
          region: 'us-central1',
          zone: 'us-central1-a',
        },
      },
      logName: 'projects/example-project/logs/compute.googleapis.com%2Ffirewall',
      timestamp: stamp,
    });
  }

  it('a port scan AWS rejected is probed with connections, however many packets each record counts', () => {
    // Each REJECT record aggregates the SYN and its retransmission: 2 packets, still one connection attempt.
    const lines = ports.map((port, i) => awsFlow(i, 'REJECT', SCANNER, 41_000 + i, port, 2));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.en).not.toContain('packet');
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('SSH guessing AWS rejected is 12 attempts', () => {
    const lines = Array.from({ length: 12 }, (_, i) => awsFlow(i * 20, 'REJECT', SCANNER, 44_000 + i, 22));
    const f = one(detect(lines), 'repeated-attempts');
    expect(f.counts.events).toBe(12);
    expect(f.explanation.en).toContain(`${SCANNER} made 12 attempts to`);
    expect(f.explanation.zh).toContain('发起了 12 次尝试');
  });

  it('a flow that spans three aggregation intervals counts once', () => {
    // 12 SIP sessions, each written in three one-minute records of the same 5-tuple.
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++)
      for (let k = 0; k < 3; k++)
        out.push([i * 20 + k * 60, awsFlow(i * 20 + k * 60, 'ACCEPT', SCANNER, 45_000 + i, 5060, 4, 17)]);
    const f = one(detect(inTimeOrder(out)), 'repeated-attempts');
    expect(f.counts.events).toBe(12);
    expect(f.explanation.en).toContain(`${SCANNER} opened 12 connections to`);
    expect(f.explanation.zh).toContain('建立了 12 个连接');
  });

  /** An Azure NSG flow log tuple (version 2, one per line as shippers write them) of a flow the NSG denied. */
  function nsgDenied(at: number, src: string, sport: number, dport: number) {
    const tuple = `${T0 + at},${src},${HOST},${sport},${dport},T,I,D,B,,,,`;
    return JSON.stringify({
      time: new Date((T0 + at + 60) * 1000).toISOString(),
      macAddress: '000D3AF87856',
      rule: 'DefaultRule_DenyAllInBound',
      'flow.0': tuple,
    });
  }

  it('a port scan an Azure NSG denied is probed with connections', () => {
    const lines = ports.map((port, i) => nsgDenied(i, SCANNER, 41_000 + i, port));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('a denied tuple Azure writes again 10 s later is one attempt', () => {
    // 12 SSH attempts, each tuple written twice 10 s apart (the client retrying its SYN).
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++)
      for (let k = 0; k < 2; k++)
        out.push([i * 20 + k * 10, nsgDenied(i * 20 + k * 10, SCANNER, 47_000 + i, 22)]);
    const f = one(detect(inTimeOrder(out)), 'repeated-attempts');
    expect(f.counts.events).toBe(12);
    expect(f.explanation.en).toContain(`${SCANNER} made 12 attempts to`);
    expect(f.explanation.zh).toContain('发起了 12 次尝试');
  });

  it('a port scan a Google Cloud firewall rule denied is probed with connections', () => {
    const lines = ports.map((port, i) => gcpFirewall(i, 'DENIED', SCANNER, 41_000 + i, port));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('a denied connection Google Cloud logs again every 5 seconds is one attempt', () => {
    // A deny rule's entry repeats every 5 s while the client retransmits its SYN: 12 attempts, 3 entries each.
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++)
      for (let k = 0; k < 3; k++)
        out.push([i * 20 + k * 5, gcpFirewall(i * 20 + k * 5, 'DENIED', SCANNER, 46_000 + i, 22)]);
    const f = one(detect(inTimeOrder(out)), 'repeated-attempts');
    expect(f.counts.events).toBe(12);
    expect(f.explanation.en).toContain(`${SCANNER} made 12 attempts to`);
    expect(f.explanation.zh).toContain('发起了 12 次尝试');
  });
});

describe('one record per session or connection: SRX denied sessions, Zeek connections', () => {
  const SCANNER = '203.0.113.45';
  const HOST = '192.0.2.10';
  const ports = Array.from({ length: 40 }, (_, i) => 1000 + i * 7);

  /** An SRX RT_FLOW_SESSION_DENY record (structured-less syslog text) of a TCP session a policy denied. */
  function srxDeny(at: number, src: string, sport: number, dport: number) {
    return `Mar 14 ${clock(at)} srx-edge RT_FLOW: RT_FLOW_SESSION_DENY: session denied ${src}/${sport}->${HOST}/${dport} None 6(0) deny-all untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny`;
  }

  /** A Zeek conn.log record (JSON) of a TCP connection attempt nobody answered (S0, one SYN). */
  function zeekS0(at: number, src: string, sport: number, dport: number) {
    return JSON.stringify({
      ts: Date.UTC(2024, 2, 14, 9) / 1000 + at + 0.123456,
      uid: `CzS0${at}x${sport}`,
      'id.orig_h': src,
      'id.orig_p': sport,
      'id.resp_h': HOST,
      'id.resp_p': dport,
      proto: 'tcp',
      conn_state: 'S0',
      local_orig: false,
      local_resp: true,
      missed_bytes: 0,
      history: 'S',
      orig_pkts: 1,
      orig_ip_bytes: 44,
      resp_pkts: 0,
      resp_ip_bytes: 0,
    });
  }

  it('a port scan an SRX denied is probed with connections', () => {
    const lines = ports.map((port, i) => srxDeny(i, SCANNER, 41_000 + i, port));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('SSH guessing an SRX denied is 12 attempts', () => {
    const lines = Array.from({ length: 12 }, (_, i) => srxDeny(i * 20, SCANNER, 44_000 + i, 22));
    const f = one(detect(lines), 'repeated-attempts');
    expect(f.explanation.en).toContain(`${SCANNER} made 12 attempts to`);
    expect(f.explanation.zh).toContain('发起了 12 次尝试');
  });

  it('SSH guessing Zeek saw is 12 attempts: a sensor does not say the connections opened', () => {
    const lines = Array.from({ length: 12 }, (_, i) => zeekS0(i * 20, SCANNER, 44_000 + i, 22));
    const f = one(detect(lines), 'repeated-attempts');
    expect(f.explanation.en).toContain(`${SCANNER} made 12 attempts to`);
    expect(f.explanation.zh).toContain('发起了 12 次尝试');
  });

  it('a port scan Zeek saw as unanswered connections (S0) is probed with connections', () => {
    const lines = ports.map((port, i) => zeekS0(i, SCANNER, 41_000 + i, port));
    const f = one(detect(lines), 'vertical-scan');
    expect(f.explanation.en).toContain(`probed 40 distinct ports on ${HOST} with 40 connections`);
    expect(f.explanation.zh).toContain('用 40 个连接探测了');
  });
});
