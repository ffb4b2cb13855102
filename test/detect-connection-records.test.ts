// One connection is one attempt: session logs that record a connection's opening and its closing (Cisco ASA/FTD,
// Juniper SRX) and ufw's AUDIT copy of a packet its ALLOW rule logs again must not count it twice.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/detect/index.js';
import { detect, nfLine } from './detect-helpers.js';

const SERVER = '192.0.2.10';
const GUESSER = '203.0.113.66';

/** `hh:mm:ss` of second `s` after 09:00:00. */
function clock(s: number): string {
  const h = 9 + Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return [h, m, sec].map((n) => String(n).padStart(2, '0')).join(':');
}

function repeated(findings: Finding[]): Finding | undefined {
  return findings.find((f) => f.detector === 'repeated-attempts');
}

/** Records in time order (each line starts with its second). */
function inTimeOrder(records: [number, string][]): string[] {
  return records.sort((a, b) => a[0] - b[0]).map(([, line]) => line);
}

/** A SIP password guesser's UDP connections through an ASA: one every 20 s, each torn down after 2 minutes. */
function asaSipGuessing(connections: number, opts: { builtFrom?: number } = {}): string[] {
  const out: [number, string][] = [];
  for (let i = 0; i < connections; i++) {
    const id = 734_100 + i;
    const sport = 40_100 + i * 7;
    const at = i * 20;
    // Connections before `builtFrom` were built before the log begins: only their teardown is in it.
    if (i >= (opts.builtFrom ?? 0))
      out.push([
        at,
        `Mar 14 2026 ${clock(at)} asa-edge1 : %ASA-6-302015: Built inbound UDP connection ${id} for outside:${GUESSER}/${sport} (${GUESSER}/${sport}) to inside:${SERVER}/5060 (198.51.100.10/5060)`,
      ]);
    out.push([
      at + 120,
      `Mar 14 2026 ${clock(at + 120)} asa-edge1 : %ASA-6-302016: Teardown UDP connection ${id} for outside:${GUESSER}/${sport} to inside:${SERVER}/5060 duration 0:02:00 bytes 1184`,
    ]);
  }
  return inTimeOrder(out);
}

describe('Cisco ASA Built / Teardown', () => {
  it('counts each connection once, not once per record', () => {
    const f = repeated(detect(asaSipGuessing(12)));
    expect(f?.counts.events).toBe(12);
    expect(f?.explanation.en).toContain('12');
    expect(f?.explanation.en).not.toContain('24');
  });

  it('does not turn six connections into ten attempts', () => {
    // 6 connections are 12 records: above the 10 attempts needed if each record counted.
    expect(repeated(detect(asaSipGuessing(6)))).toBeUndefined();
  });

  it('counts a teardown whose Built message came before the log began', () => {
    // The first 5 connections were built before the log starts: their teardowns are the only trace of them.
    const f = repeated(detect(asaSipGuessing(12, { builtFrom: 5 })));
    expect(f?.counts.events).toBe(12);
  });

  it('pairs an outbound connection whose teardown names the outside end first', () => {
    // Built outbound names the responder first (swapped to initiator first); the Teardown keeps the Built order.
    const lines: [number, string][] = [];
    for (let i = 0; i < 12; i++) {
      const sport = 50_200 + i;
      lines.push([
        i * 30,
        `Mar 14 2026 ${clock(i * 30)} asa-edge1 : %ASA-6-302015: Built outbound UDP connection ${800 + i} for outside:198.51.100.77/5060 (198.51.100.77/5060) to inside:192.0.2.44/${sport} (203.0.113.2/${sport})`,
      ]);
      lines.push([
        i * 30 + 5,
        `Mar 14 2026 ${clock(i * 30 + 5)} asa-edge1 : %ASA-6-302016: Teardown UDP connection ${800 + i} for outside:198.51.100.77/5060 to inside:192.0.2.44/${sport} duration 0:00:05 bytes 880`,
      ]);
    }
    const findings = detect(inTimeOrder(lines));
    // Each teardown, read as a packet from 198.51.100.77:5060 to the client's port, is not a new connection.
    const events = findings
      .filter((f) => f.sources.includes('198.51.100.77'))
      .reduce((n, f) => n + f.counts.events, 0);
    expect(events).toBe(0);
  });
});

describe('Firepower Threat Defense 430002 / 430003', () => {
  it('counts a connection logged at its beginning and its end once', () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const fields = (extra: string) =>
        `EventPriority: Low, DeviceUUID: 0f1e2d3c-4b5a-11ee-8899-aabbccddeeff, InstanceID: 1, FirstPacketSecond: 2026-03-14T${clock(i * 20)}Z, ConnectionID: ${2200 + i}, AccessControlRuleAction: Allow, SrcIP: ${GUESSER}, DstIP: ${SERVER}, SrcPort: ${41_000 + i}, DstPort: 5060, Protocol: udp, IngressInterface: outside, EgressInterface: inside, ACPolicy: Default, AccessControlRuleName: Allow-SIP${extra}`;
      lines.push(`2026-03-14T${clock(i * 20)}Z ftd-01  %FTD-1-430002: ${fields('')}`);
      lines.push(
        `2026-03-14T${clock(i * 20 + 1)}Z ftd-01  %FTD-1-430003: ${fields(', ConnectionDuration: 1, InitiatorPackets: 2, ResponderPackets: 2, InitiatorBytes: 980, ResponderBytes: 620')}`,
      );
    }
    expect(repeated(detect(lines))?.counts.events).toBe(12);
  });
});

describe('Juniper SRX RT_FLOW_SESSION_CREATE / _CLOSE', () => {
  /** A SIP guesser's sessions through an SRX, structured (RFC 5424) records. */
  function srxSessions(sessions: number, withCreate: boolean): string[] {
    const out: [number, string][] = [];
    for (let i = 0; i < sessions; i++) {
      const id = 90_400 + i;
      const sport = 42_000 + i * 3;
      const at = i * 15;
      const common = `source-address="${GUESSER}" source-port="${sport}" destination-address="${SERVER}" destination-port="5060" service-name="junos-sip" protocol-id="17" policy-name="sip-in" source-zone-name="untrust" destination-zone-name="trust" session-id-32="${id}"`;
      if (withCreate)
        out.push([
          at,
          `<14>1 2026-03-14T${clock(at)}.120Z srx-edge RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 ${common} packet-incoming-interface="ge-0/0/0.0" application="UNKNOWN"]`,
        ]);
      out.push([
        at + 60,
        `<14>1 2026-03-14T${clock(at + 60)}.480Z srx-edge RT_FLOW - RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.129 reason="idle Timeout" ${common} packets-from-client="1" bytes-from-client="512" packets-from-server="1" bytes-from-server="404" elapsed-time="60" packet-incoming-interface="ge-0/0/0.0"]`,
      ]);
    }
    return inTimeOrder(out);
  }

  it('counts a session logged at create and close once', () => {
    expect(repeated(detect(srxSessions(12, true)))?.counts.events).toBe(12);
    expect(repeated(detect(srxSessions(6, true)))).toBeUndefined();
  });

  it('counts sessions logged only at close (the log has no create records)', () => {
    expect(repeated(detect(srxSessions(12, false)))?.counts.events).toBe(12);
  });

  it('pairs the plain-text form by its session number', () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const tuple = `${GUESSER}/${43_000 + i}->${SERVER}/5060 junos-sip ${GUESSER}/${43_000 + i}->${SERVER}/5060 None None 17 sip-in untrust trust ${91_000 + i}`;
      lines.push(
        `Mar 14 ${clock(i * 20)} srx-edge RT_FLOW: RT_FLOW_SESSION_CREATE: session created ${tuple} N/A(N/A) ge-0/0/0.0`,
      );
      lines.push(
        `Mar 14 ${clock(i * 20 + 2)} srx-edge RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed idle Timeout: ${tuple} 1(512) 1(404) 2 UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 No`,
      );
    }
    expect(repeated(detect(lines))?.counts.events).toBe(12);
  });
});

describe('PAN-OS TRAFFIC start / end', () => {
  it('counts a session logged at its start (log at session start) and its end once', () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const record = (subtype: string, at: number, tail: string) =>
        `<14>Mar 14 ${clock(at)} PA-440 1,2026/03/14 ${clock(at)},013201001234,TRAFFIC,${subtype},2561,2026/03/14 ${clock(at)},${GUESSER},${SERVER},0.0.0.0,0.0.0.0,allow-sip,,,sip,vsys1,untrust,trust,ethernet1/1,ethernet1/2,default,2026/03/14 ${clock(at)},${71_000 + i},1,${45_000 + i},5060,0,0,0x19,udp,allow,${tail}`;
      lines.push(
        record(
          'start',
          i * 20,
          '512,512,0,1,2026/03/14 09:00:00,0,any,0,7290001,0x0,United States,192.0.2.0-192.0.2.255,0,1,0,n/a',
        ),
      );
      lines.push(
        record(
          'end',
          i * 20 + 30,
          '916,512,404,2,2026/03/14 09:00:00,30,any,0,7290002,0x0,United States,192.0.2.0-192.0.2.255,0,1,1,aged-out',
        ),
      );
    }
    expect(repeated(detect(lines))?.counts.events).toBe(12);
  });
});

describe('PAN-OS TRAFFIC start / end in the Strata Logging Service CEF and JSON forms', () => {
  /** 12 SIP sessions, each logged at its start and at its end 30 s later, in time order. */
  function sessions(record: (subtype: 'start' | 'end', at: number, i: number) => string): string[] {
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++) {
      out.push([i * 20, record('start', i * 20, i)]);
      out.push([i * 20 + 30, record('end', i * 20 + 30, i)]);
    }
    return inTimeOrder(out);
  }

  it('counts a CEF session logged at its start and its end once', () => {
    const lines = sessions(
      (subtype, at, i) =>
        `CEF:0|Palo Alto Networks|LF|2.0|TRAFFIC|${subtype}|3|dtz=UTC rt=Mar 14 2026 ${clock(at)} deviceExternalId=013201001234 src=${GUESSER} dst=${SERVER} cs1=allow-sip cs1Label=Rule app=sip cs3=vsys1 cs3Label=VirtualLocation deviceInboundInterface=ethernet1/1 deviceOutboundInterface=ethernet1/2 cn1=${71_000 + i} cn1Label=SessionID spt=${45_000 + i} dpt=5060 proto=udp act=allow`,
    );
    expect(repeated(detect(lines))?.counts.events).toBe(12);
  });

  it('counts a JSON session logged at its start and its end once', () => {
    const lines = sessions(
      (subtype, at, i) =>
        `{"TimeReceived": "2026-03-14T${clock(at)}.000000Z", "DeviceSN": "013201001234", "LogType": "TRAFFIC", "Subtype": "${subtype}", "ConfigVersion": "11.1", "TimeGenerated": "2026-03-14T${clock(at)}.000000Z", "SourceAddress": "${GUESSER}", "DestinationAddress": "${SERVER}", "Rule": "allow-sip", "InboundInterface": "ethernet1/1", "OutboundInterface": "ethernet1/2", "SessionID": ${71_000 + i}, "SourcePort": ${45_000 + i}, "DestinationPort": 5060, "Protocol": "udp", "Action": "allow", "DeviceName": "PA-440"}`,
    );
    expect(repeated(detect(lines))?.counts.events).toBe(12);
  });
});

describe('Azure NSG flow log v2 flow states B / C / E', () => {
  it('counts a flow logged at its beginning, each minute it lasts and its end once', () => {
    const out: [number, string][] = [];
    // Before the helpers' reference time (the file's time): a flow time later than it is damaged.
    const base = Date.UTC(2024, 2, 14, 9, 0, 0) / 1000;
    for (let i = 0; i < 12; i++) {
      const tuple = (at: number, state: string, counts: string) =>
        `{"time":"2024-03-14T${clock(at)}.0000000Z","macAddress":"000D3AF87856","rule":"UserRule_allow-sip","flow.0":"${base + at},${GUESSER},${SERVER},${45_000 + i},5060,U,I,A,${state},${counts}"}`;
      const at = i * 20;
      out.push([at, tuple(at, 'B', ',,,')]);
      out.push([at + 60, tuple(at + 60, 'C', '3,1200,3,900')]);
      out.push([at + 120, tuple(at + 120, 'C', '2,800,2,600')]);
      out.push([at + 150, tuple(at + 150, 'E', '1,400,1,300')]);
    }
    expect(repeated(detect(inTimeOrder(out)))?.counts.events).toBe(12);
  });
});

describe('Clavister conn_open / conn_close', () => {
  it('counts a connection logged when it opened and when it closed once', () => {
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++) {
      const conn = (at: number, id: string, event: string, tail: string) =>
        `<134>[2026-03-14 ${clock(at)}] EFW: CONN: prio=1 id=${id} rev=1 event=${event} action=${event === 'conn_open' ? 'open' : 'close'} rule=sip_in conn=${event === 'conn_open' ? 'open' : 'close'} connipproto=UDP connrecvif=wan connsrcip=${GUESSER} connsrcport=${45_000 + i} conndestif=lan conndestip=${SERVER} conndestport=5060${tail}`;
      out.push([i * 20, conn(i * 20, '00600001', 'conn_open', '')]);
      out.push([i * 20 + 30, conn(i * 20 + 30, '00600002', 'conn_close', ' origsent=1200 termsent=900')]);
    }
    expect(repeated(detect(inTimeOrder(out)))?.counts.events).toBe(12);
  });
});

describe('Forcepoint Connection_Allowed / Connection_Closed', () => {
  it('counts a connection logged when it was allowed and when it closed once', () => {
    const out: [number, string][] = [];
    for (let i = 0; i < 12; i++) {
      const leef = (at: number, name: string, tail: string) =>
        `LEEF:1.0|Forcepoint|Firewall|7.1.5|${name}|devTimeFormat=MMM dd yyyy HH:mm:ss\tsrc=${GUESSER}\tdst=${SERVER}\tsrcPort=${45_000 + i}\tdstPort=5060\tproto=17\tdevTime=Mar 14 2026 ${clock(at)}\tsender=ngfw-01 node 1${tail}`;
      out.push([i * 20, leef(i * 20, 'Connection_Allowed', '\taction=Allow')]);
      out.push([i * 20 + 30, leef(i * 20 + 30, 'Connection_Closed', '')]);
    }
    expect(repeated(detect(inTimeOrder(out)))?.counts.events).toBe(12);
  });
});

describe('ufw [UFW AUDIT] then [UFW ALLOW] of one packet', () => {
  /** An SSH password guesser against a host with `ufw logging full`: each SYN is logged by AUDIT, then ALLOW. */
  function ufwSsh(attempts: number, prefixes: string[]): string[] {
    const lines: string[] = [];
    for (let i = 0; i < attempts; i++) {
      const t = i * 9;
      const kernel = (9000 + t + i * 0.000013).toFixed(6);
      for (const [k, prefix] of prefixes.entries())
        lines.push(
          `Mar 14 ${clock(t)} web1 kernel: [${(Number(kernel) + k * 0.000011).toFixed(6).padStart(11)}] [${prefix}] IN=eth0 OUT= MAC=52:54:00:8a:1e:10:00:1b:21:3c:9d:01:08:00 SRC=${GUESSER} DST=${SERVER} LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=${30_000 + i * 17} DF PROTO=TCP SPT=${44_000 + i} DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 `,
        );
    }
    return lines;
  }

  it('counts the packet once', () => {
    const f = repeated(detect(ufwSsh(12, ['UFW AUDIT', 'UFW ALLOW'])));
    expect(f?.counts.events).toBe(12);
    // The deciding record is the one kept as evidence.
    expect(f?.evidence.every((e) => e.text.includes('[UFW ALLOW]'))).toBe(true);
  });

  it('still counts AUDIT records that no decision follows, the last one included', () => {
    expect(repeated(detect(ufwSsh(12, ['UFW AUDIT'])))?.counts.events).toBe(12);
  });

  it('keeps two different packets apart', () => {
    // AUDIT of one SYN, ALLOW of its retransmission (another IP id): two packets.
    const lines = ufwSsh(6, ['UFW AUDIT']).flatMap((l) => [
      l,
      l.replace('UFW AUDIT', 'UFW ALLOW').replace(/ID=(\d+)/, (_, id) => `ID=${Number(id) + 1}`),
    ]);
    expect(repeated(detect(lines))?.counts.events).toBe(12);
  });
});

describe('repeated attempts the firewall let through', () => {
  /** A client opening a new connection to port 8080 every few seconds, unevenly, logged by ufw with `prefix`. */
  const retries = (prefix: string) =>
    Array.from({ length: 15 }, (_, i) =>
      nfLine({
        t: i * 7 + ((i * 13) % 5),
        src: GUESSER,
        dst: SERVER,
        proto: 'TCP',
        spt: 41_000 + i,
        dpt: 8080,
        prefix,
      }),
    );

  it('are not said to be refused, nor to be dropped on', () => {
    const f = repeated(detect(retries('[UFW ALLOW] ')));
    expect(f?.counts.events).toBe(15);
    expect(f!.explanation.en).toContain('let the connections through');
    expect(f!.explanation.en).not.toContain('refusing');
    expect(f!.advice.en).not.toContain('dropping');
    expect(f!.explanation.zh).toContain('放行');
  });

  it('refused ones keep their wording', () => {
    const f = repeated(detect(retries('[UFW BLOCK] ')));
    expect(f!.explanation.en).toContain('your firewall keeps refusing');
    expect(f!.advice.en).toContain('keep dropping it');
  });
});

describe('findings count a session log’s connections as connections, not packets', () => {
  /** A scanner's TCP connections through an ASA, each Built and torn down by SYN Timeout 30 s later. */
  function asaConnections(from: string, targets: [string, number][], firstId: number, start = 0): string[] {
    const out: [number, string][] = [];
    targets.forEach(([host, port], i) => {
      const id = firstId + i;
      const sport = 41_000 + i;
      const at = start + i;
      out.push([
        at,
        `Mar 14 2026 ${clock(at)} asa-edge1 : %ASA-6-302013: Built inbound TCP connection ${id} for outside:${from}/${sport} (${from}/${sport}) to dmz:${host}/${port} (${host}/${port})`,
      ]);
      out.push([
        at + 30,
        `Mar 14 2026 ${clock(at + 30)} asa-edge1 : %ASA-6-302014: Teardown TCP connection ${id} for outside:${from}/${sport} to dmz:${host}/${port} duration 0:00:30 bytes 0 SYN Timeout`,
      ]);
    });
    return inTimeOrder(out);
  }

  it('repeated attempts through an ASA are connections opened', () => {
    const f = repeated(detect(asaSipGuessing(12)));
    expect(f?.explanation.en).toContain(`${GUESSER} opened 12 connections to`);
    expect(f?.explanation.en).not.toContain('packet');
    expect(f?.explanation.zh).toContain('建立了 12 个连接');
    expect(f?.explanation.zh).not.toContain('个包');
  });

  it('a port scan seen as connections says so', () => {
    const ports = Array.from({ length: 40 }, (_, i): [string, number] => [SERVER, 1000 + i * 7]);
    const f = detect(asaConnections(GUESSER, ports, 900_000)).find((x) => x.detector === 'vertical-scan');
    expect(f?.explanation.en).toContain(`probed 40 distinct ports on ${SERVER} with 40 connections`);
    expect(f?.explanation.zh).toContain('用 40 个连接探测了');
  });

  it('a sweep seen as connections says so', () => {
    const hosts = Array.from({ length: 40 }, (_, i): [string, number] => [`192.0.2.${100 + i}`, 445]);
    const f = detect(asaConnections('198.51.100.9', hosts, 950_000)).find(
      (x) => x.detector === 'horizontal-sweep',
    );
    expect(f?.explanation.en).toContain('(40 connections)');
    expect(f?.explanation.zh).toContain('(共 40 个连接)');
  });

  it('a group of denied packets and connections counts attempts', () => {
    // The ASA's access list denied the first six (106023, one record per packet); the rest were let through.
    const lines = asaSipGuessing(12).filter((l) => !/ 73410[0-5] /.test(l));
    for (let i = 0; i < 6; i++)
      lines.unshift(
        `Mar 14 2026 08:59:${String(i * 5).padStart(2, '0')} asa-edge1 : %ASA-4-106023: Deny udp src outside:${GUESSER}/${39_000 + i} dst inside:${SERVER}/5060 by access-group "outside_in" [0x0, 0x0]`,
      );
    const f = repeated(detect(lines));
    expect(f?.counts.events).toBe(12);
    expect(f?.explanation.en).toContain(`${GUESSER} made 12 attempts to`);
    expect(f?.explanation.zh).toContain('发起了 12 次尝试');
  });

  it('a packet log keeps its packets', () => {
    const f = repeated(
      detect(
        Array.from({ length: 12 }, (_, i) =>
          nfLine({
            t: i * 9,
            src: GUESSER,
            dst: SERVER,
            proto: 'TCP',
            spt: 44_000 + i,
            dpt: 22,
            prefix: '[UFW BLOCK] ',
          }),
        ),
      ),
    );
    expect(f?.explanation.en).toContain(`${GUESSER} sent 12 packets to`);
    expect(f?.explanation.zh).toContain('发送了 12 个包');
  });
});
