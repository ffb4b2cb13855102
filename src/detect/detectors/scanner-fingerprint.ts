// Known scanner fingerprints: sscan (source ports 1-5), nmap OS detection probes, evasion source ports, Mirai, ZMap.

import { listBoth, tBoth } from '../../i18n.js';
import { ipv4ToInt, isIPv4 } from '../../net/ip.js';
import { wordTable } from '../../util/word-table.js';
import { type RecordTally, recordsWorded, type Wording, worded } from '../finding.js';
import { recordSort } from '../packet.js';
import type { Bucket, DetectorSpec, FindingDraft, Localized, Packet } from '../types.js';
import { tcpHeaderBytes, windowTunables } from './common.js';

/**
 * Each fingerprint: how one packet counts towards it. Only sscan, port 0 and the evasion source ports can be a
 * session log's connections; the others need TCP flags, a sequence number, an IP ID or a length, which a session
 * log never has, so what they count are packets.
 */
const MARKS: Record<string, (p: Packet) => boolean> = wordTable({
  sscan: (p) => p.proto === 'tcp' && p.sport !== undefined && p.sport >= 1 && p.sport <= 5,
  // nmap -O probes: ECN SYN, SYN+FIN+PSH+URG (T3), NULL with DF (T2), FIN+PSH+URG to a closed port (T7),
  // the 300-byte UDP probe (U1) and echo requests with code 9 (IE1).
  'os-ecn': (p) => p.flags === 'CWR ECE SYN' && (tcpHeaderBytes(p.ev.length, p.ev.ipVersion) ?? 0) >= 32,
  'os-t3': (p) => p.flags === 'URG PSH SYN FIN',
  'os-t2': (p) => p.flags === '' && p.ev.dontFragment === true,
  'os-t7': (p) => p.flags === 'URG PSH FIN' && p.ev.tcpWindow !== undefined && p.ev.tcpWindow >= 65535,
  'os-u1': (p) =>
    p.proto === 'udp' && p.ev.length !== undefined && p.ev.length - (p.ev.ipVersion === 6 ? 40 : 20) === 308,
  'os-ie': (p) =>
    (p.proto === 'icmp' || p.proto === 'ipv6-icmp') && p.technique === 'icmp-echo' && p.ev.icmpCode === 9,
  // Source port 53 or 20 on a packet that is not a reply: chosen to slip past naive filters.
  evasion: (p) =>
    (p.sport === 53 || p.sport === 20 || p.sport === 88 || p.sport === 67) &&
    ((p.proto === 'tcp' && p.technique === 'syn') || (p.proto === 'udp' && (p.dport ?? 0) < 1024)),
  // A new TCP connection from 53/88/67 (or from 20 to a service port) is no reply: nothing legitimate opens one.
  'evasion-syn': (p) =>
    p.proto === 'tcp' &&
    p.technique === 'syn' &&
    (p.sport === 53 || p.sport === 88 || p.sport === 67 || (p.sport === 20 && (p.dport ?? 65535) < 1024)),
  // Port 0 and the address 0.0.0.0 carry no service: packets to them test how a stack answers (OS fingerprinting).
  'port-zero': (p) => ((p.proto === 'tcp' || p.proto === 'udp') && p.dport === 0) || p.dst === '0.0.0.0',
  'mirai-23': (p) => p.proto === 'tcp' && p.technique === 'syn' && p.dport === 23,
  'mirai-2323': (p) => p.proto === 'tcp' && p.technique === 'syn' && p.dport === 2323,
  'mirai-seq': (p) =>
    p.proto === 'tcp' && p.ev.tcpSeq !== undefined && isIPv4(p.dst) && p.ev.tcpSeq === ipv4ToInt(p.dst),
  zmap: (p) => p.proto === 'tcp' && p.technique === 'syn' && p.ev.ipId === 54321,
});

const n = (b: Bucket, k: string) => b.extra.get(k) ?? 0;

/** The records carrying mark `k`, with the session log's connections and those of them not known opened. */
const marked = (b: Bucket, k: string): RecordTally => ({
  records: n(b, k),
  connections: n(b, `${k}:connections`),
  unopened: n(b, `${k}:unopened`),
});

interface Fingerprint {
  technique: string;
  matched(b: Bucket, min: number): boolean;
  details(src: string, b: Bucket): Localized;
  /** Who words the finding: a knowledge-base signature, or this fingerprint's own catalog title and advice. */
  wording(b: Bucket): Wording;
  severity: 2 | 3 | 4;
}

/** The marks as a list and as pairs, made once (the filter and observe run for every inbound packet). */
const MARK_TESTS = Object.values(MARKS);
const MARK_ENTRIES = Object.entries(MARKS);

const OS_MARKS = ['os-ecn', 'os-t3', 'os-t2', 'os-t7', 'os-u1', 'os-ie'];

const FINGERPRINTS: Fingerprint[] = [
  {
    technique: 'nmap-os-detection',
    matched: (b) => OS_MARKS.filter((k) => n(b, k) > 0).length >= 2,
    details: (src, b) =>
      tBoth('detect.fingerprint.nmapOs', { src, marks: listBoth(OS_MARKS.filter((k) => n(b, k) > 0)) }),
    wording: () => ({ signature: 'nmap-os-detection' }),
    severity: 3,
  },
  {
    technique: 'sscan',
    matched: (b, min) => n(b, 'sscan') >= min,
    details: (src, b) =>
      tBoth('detect.fingerprint.sscan', { src, sent: recordsWorded(marked(b, 'sscan'), 'sentTcp') }),
    wording: () => ({ signature: 'sscan' }),
    severity: 3,
  },
  {
    technique: 'source-port-evasion',
    matched: (b, min) => n(b, 'evasion') >= min || n(b, 'evasion-syn') >= 1,
    details: (src, b) =>
      tBoth('detect.fingerprint.evasion', {
        src,
        probes: n(b, 'evasion'),
        sport: [...b.extra.keys()].find((k) => k.startsWith('sport:'))?.slice(6) ?? '53/20',
      }),
    wording: () => ({
      title: tBoth('detect.fingerprint.evasion.title'),
      advice: tBoth('detect.fingerprint.evasion.advice'),
    }),
    severity: 3,
  },
  {
    technique: 'port-zero',
    // Two, so a sequential scan that starts at port 0 is not called a fingerprint.
    matched: (b) => n(b, 'port-zero') >= 2,
    details: (src, b) =>
      tBoth('detect.fingerprint.portZero', { src, sent: recordsWorded(marked(b, 'port-zero'), 'sent') }),
    wording: () => ({
      title: tBoth('detect.fingerprint.portZero.title'),
      advice: tBoth('detect.fingerprint.portZero.advice'),
    }),
    severity: 2,
  },
  {
    technique: 'mirai',
    matched: (b) => (n(b, 'mirai-23') > 0 && n(b, 'mirai-2323') > 0) || n(b, 'mirai-seq') >= 2,
    details: (src, b) =>
      tBoth('detect.fingerprint.mirai', {
        src,
        seq: n(b, 'mirai-seq') > 0 ? tBoth('detect.fingerprint.mirai.seq') : '',
      }),
    wording: (b) =>
      n(b, 'mirai-seq') > 0
        ? { signature: 'mirai-seq' }
        : {
            title: tBoth('detect.fingerprint.mirai.title'),
            advice: tBoth('detect.fingerprint.mirai.advice'),
          },
    severity: 3,
  },
  {
    technique: 'zmap',
    matched: (b, min) => n(b, 'zmap') >= min,
    details: (src, b) => tBoth('detect.fingerprint.zmap', { src, packets: n(b, 'zmap') }),
    wording: () => ({ signature: 'zmap-fingerprint' }),
    severity: 2,
  },
];

export const scannerFingerprint: DetectorSpec = {
  id: 'scanner-fingerprint',
  name: 'scanner-fingerprint',
  keyedBySource: true,
  tunables: {
    ...windowTunables(1800, 3600),
    minPackets: {
      default: 3,
      doc: 'Packets carrying a single-packet mark (sscan, source port 53/20, ZMap) needed.',
    },
  },
  filter: (p) => p.inbound && p.lanNoise === undefined && MARK_TESTS.some((m) => m(p)),
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
  observe(b, p) {
    for (const [k, mark] of MARK_ENTRIES) {
      if (!mark(p)) continue;
      b.extra.set(k, n(b, k) + 1);
      // sscan and port 0 need no TCP flags: a session log's connections carry them too, and are worded so.
      const sort = recordSort(p.ev);
      if (sort !== 'packet') b.extra.set(`${k}:connections`, n(b, `${k}:connections`) + 1);
      if (sort === 'unopened') b.extra.set(`${k}:unopened`, n(b, `${k}:unopened`) + 1);
    }
    if (MARKS['evasion']!(p)) b.extra.set(`sport:${p.sport}`, 1);
  },
  qualifies: (b, t) => FINGERPRINTS.some((f) => f.matched(b, t['minPackets']!)),
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const out: FindingDraft[] = [];
    for (const f of FINGERPRINTS) {
      if (!f.matched(b, t['minPackets']!)) continue;
      out.push({
        ...worded(ctx.kb, f.wording(b), f.details(src!, b)),
        severity: f.severity,
        confidence: 0.85,
        technique: f.technique,
        variant: f.technique,
      });
    }
    return out;
  },
};
