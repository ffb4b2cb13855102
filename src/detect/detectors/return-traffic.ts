// Return traffic: replies to our own clients dropped late (RealAudio UDP 6970-7170, DNS, NTP, FTP data, late TCP).
import { tBoth } from '../../i18n.js';
import { join, worded } from '../finding.js';
import type { DetectorSpec, EngineContext, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** The kinds of reply to our own clients, each worded by `detect.return.kind.<kind>` in the catalog. */
export type ReplyKind = 'realaudio' | 'dns' | 'ntp' | 'ftp-data' | 'late-tcp' | 'late-quic';

/** Kind of reply a packet is, or undefined. */
export function replyKind(p: Packet, ctx: EngineContext): ReplyKind | undefined {
  if (!p.inbound || p.lanNoise !== undefined) return undefined;
  const { sport, dport } = p;
  if (p.proto === 'udp' && dport !== undefined && dport >= 6970 && dport <= 7170)
    // Behind NAT the stream comes to the WAN address while the LAN player opened the control connection.
    return ctx.outboundToSeen(p.src, 7070) !== undefined || ctx.outboundToSeen(p.src, 554) !== undefined
      ? 'realaudio'
      : undefined;
  if (sport === undefined || dport === undefined) return undefined;
  if (p.proto === 'udp' && sport === 53 && dport >= 1024) return 'dns';
  if (p.proto === 'udp' && sport === 123 && (dport >= 1024 || dport === 123)) return 'ntp';
  if (p.proto === 'tcp' && sport === 20 && dport >= 1024 && p.technique === 'syn') return 'ftp-data';
  if (
    p.proto === 'tcp' &&
    p.flags !== undefined &&
    p.flags.includes('ACK') &&
    !p.flags.includes('SYN') &&
    !p.flags.includes('RST') &&
    sport < 1024 &&
    dport >= 1024
  )
    return 'late-tcp';
  if (p.proto === 'udp' && sport === 443 && dport >= 1024) return 'late-quic';
  return undefined;
}

export const returnTraffic: DetectorSpec = {
  id: 'return-traffic',
  name: 'return-traffic',
  singleEvent: true,
  readsOutbound: true,
  tunables: {
    ...windowTunables(24 * 3600, 7 * 24 * 3600),
    minPackets: { default: 1, doc: 'Reply packets of one kind needed for the roll-up finding.' },
  },
  filter: (p, ctx) => replyKind(p, ctx) !== undefined,
  groupBy: (p) => (p.proto === 'tcp' ? 'tcp' : 'udp'),
  distinctIsSource: true,
  observe(b, p, ctx) {
    const k = replyKind(p, ctx)!;
    b.extra.set(k, (b.extra.get(k) ?? 0) + 1);
  },
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const kinds = [...b.extra.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const parts = kinds.map(([k, n]) =>
      tBoth('detect.return.part', { n, what: tBoth(`detect.return.kind.${k as ReplyKind}`) }),
    );
    const details = tBoth('detect.return.details', {
      packets: b.events,
      servers: b.sources.size,
      parts: join(...parts),
    });
    const top = kinds[0]![0];
    return {
      ...worded(
        ctx.kb,
        top === 'late-tcp'
          ? { signature: 'out-of-state-tcp' }
          : { title: tBoth('detect.return.title'), advice: tBoth('detect.return.advice') },
        details,
      ),
      severity: 1,
      confidence: 0.8,
      technique: top,
    };
  },
};
