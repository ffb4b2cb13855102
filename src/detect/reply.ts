// Whether an inbound packet answers one of our own clients, decided once per packet when it is pushed (the
// outbound memory then holds exactly what was sent before it), so the specs that ask need not run packet by
// packet.
import type { EngineContext, Packet } from './types.js';

/** The kinds of reply to our own clients, each worded by `detect.return.kind.<kind>` in the catalog. */
export type ReplyKind = 'realaudio' | 'dns' | 'ntp' | 'ftp-data' | 'late-tcp' | 'late-quic';

/** Kind of reply a packet is, or undefined, as of the moment it is pushed (reads the outbound memory). */
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
