// Return traffic: replies to our own clients dropped late (RealAudio UDP 6970-7170, DNS, NTP, FTP data, late TCP).
import { L, worded } from '../finding.js';
import type { DetectorSpec, EngineContext, Localized, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** Kind of reply a packet is, or undefined. */
export function replyKind(p: Packet, ctx: EngineContext): string | undefined {
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

const KINDS: Record<string, Localized> = {
  realaudio: L(
    'UDP to ports 6970-7170 after one of your hosts opened TCP 7070/554: RealAudio/RTSP streaming data coming back to your media player.',
    '在你的主机连接了 TCP 7070/554 之后,出现发往 6970-7170 的 UDP:这是 RealAudio/RTSP 流媒体数据回传给你的播放器。',
  ),
  dns: L(
    'DNS answers (source port 53) arriving after the resolver stopped waiting.',
    'DNS 应答(源端口 53)在解析器不再等待之后才到达。',
  ),
  ntp: L('NTP time replies (source port 123).', 'NTP 时间同步应答(源端口 123)。'),
  'ftp-data': L(
    'Active-mode FTP data connections from port 20 back to a client of yours.',
    '主动模式 FTP 从 20 端口回连到你的客户端的数据连接。',
  ),
  'late-tcp': L(
    'ACK/FIN/PSH segments from web and other servers to your ephemeral ports after the firewall forgot the connection.',
    '防火墙已忘记连接之后,网站等服务器发往你的临时端口的 ACK/FIN/PSH 报文。',
  ),
  'late-quic': L(
    'QUIC (UDP 443) packets from web servers after the flow timed out.',
    '流超时之后来自网站服务器的 QUIC(UDP 443)数据包。',
  ),
};

export const returnTraffic: DetectorSpec = {
  id: 'return-traffic',
  name: 'return-traffic',
  singleEvent: true,
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
    const parts = kinds.map(([k, c]) => L(`${c} × ${KINDS[k]!.en}`, `${c} 个:${KINDS[k]!.zh}`));
    const details = L(
      `${b.events} dropped packets from ${b.sources.size} servers are answers to connections your own hosts started, not attacks: ${parts.map((p) => p.en).join(' ')}`,
      `${b.sources.size} 台服务器的 ${b.events} 个被丢弃的包是对你自己主机发起连接的应答,而不是攻击:${parts.map((p) => p.zh).join('')}`,
    );
    const top = kinds[0]![0];
    return {
      ...worded(
        ctx.kb,
        top === 'late-tcp' ? ['out-of-state-tcp'] : ['return-traffic'],
        {
          title: L('Replies to your own clients', '对你自己客户端的应答'),
          advice: L(
            'Nothing to do. If there are many, your connection-tracking timeouts may be short for these protocols.',
            '无需处理。如果数量很多,说明这些协议的连接跟踪超时可能设置得偏短。',
          ),
        },
        details,
      ),
      severity: 1,
      confidence: 0.8,
      technique: top,
    };
  },
};
