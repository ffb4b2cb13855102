// Records of a whole flow (Zeek conn.log, AWS VPC flow logs, Suricata flow records) list the TCP flags of all
// its packets together: never read as one packet's flags (a crafted combination, an answer, backscatter).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../src/event.js';
import { explainEvent } from '../src/explain/index.js';
import { parseOneLine } from '../src/ingest/parse-line.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { CORPUS, HAVE_CORPUS, runCli } from './helpers.js';

const kb = knowledgeBase();
const ZEEK_HEADER =
  'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents';
const zeek = (history: string, pkts: number) =>
  `${ZEEK_HEADER}\n1329843175.736107\tCHUSyo3gjtvVLqrHGk\t198.51.100.235\t37604\t192.0.2.249\t56666\ttcp\tftp-data\t0.112432\t0\t342\tSF\t-\t0\t${history}\t${pkts}\t216\t4\t562\t(empty)`;
const aws = (flags: number, packets: number) =>
  `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags\n5 123456789010 eni-1235b8ca123456789 198.51.100.12 192.0.2.139 49761 443 6 ${packets} ${packets * 60} 1418530010 1418530070 ACCEPT OK ${flags}`;
const suricata = (toServer: number, toClient: number, flags: string) =>
  JSON.stringify({
    timestamp: '2026-11-20T10:00:00.000000+0000',
    flow_id: 883709815679084,
    in_iface: 'eth0',
    event_type: 'flow',
    src_ip: '198.51.100.9',
    src_port: 40000,
    dest_ip: '192.0.2.10',
    dest_port: 443,
    proto: 'TCP',
    flow: { pkts_toserver: toServer, pkts_toclient: toClient, state: 'closed', reason: 'timeout' },
    tcp: { tcp_flags: flags },
  });

function event(line: string): FwEvent {
  const ev = parseOneLine(line);
  if (ev === null || 'error' in ev || 'skip' in ev) throw new Error(`not an event: ${JSON.stringify(ev)}`);
  return ev;
}

function text(ev: FwEvent): string {
  const x = explainEvent(ev, kb);
  return JSON.stringify([x.severity, x.sections]);
}

describe('flags of a whole flow', () => {
  for (const [name, many, one] of [
    ['zeek conn.log history', zeek('ShAdfFa', 4), zeek('S', 1)],
    ['AWS VPC tcp-flags', aws(3, 20), aws(2, 1)],
    ['Suricata flow tcp_flags', suricata(3, 2, '13'), suricata(1, 0, '02')],
  ] as const)
    it(`${name}: several packets' flags are the flow's, one packet's are that packet's`, () => {
      const flow = event(many);
      expect(flow.tcpFlags).toBeUndefined();
      expect(flow.flowTcpFlags).toEqual(expect.arrayContaining(['SYN', 'FIN']));
      const said = text(flow);
      expect(said).toContain('TCP flags seen over the whole flow, not in one packet');
      // Never judged as one packet's shape: no "impossible combination", no crafted packet, no backscatter.
      expect(said).not.toMatch(/impossible|crafted packet:|backscatter/i);
      const single = event(one);
      expect(single.flowTcpFlags).toBeUndefined();
      expect(single.tcpFlags).toEqual(['SYN']);
    });

  it.skipIf(!HAVE_CORPUS)('real Zeek conn.log: completed connections are no backscatter', async () => {
    for (const file of ['zeek-cut-logs-conn-tsv.log', 'brimdata-zed-conn.log']) {
      const r = await runCli(['analyze', '--json', join(CORPUS, 'zeek-conn', file)]);
      const doc = JSON.parse(r.out) as { findings: { detector: string }[] };
      expect(
        doc.findings.map((f) => f.detector),
        file,
      ).not.toContain('backscatter');
    }
  });
});
