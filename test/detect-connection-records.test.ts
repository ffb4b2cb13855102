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
