// Floods: per-source packet-rate floods, spoofed-source floods on one target, smurf, fraggle, directed broadcasts.
import { countEn as en } from '../../i18n.js';
import { isIPv4 } from '../../net/ip.js';
import { L, topKeys, worded } from '../finding.js';
import type { Bucket, DetectorSpec, Localized, Tunables } from '../types.js';
import { windowTunables } from './common.js';

const tunables = {
  ...windowTunables(300, 3600),
  packetsPerSecond: {
    default: 200,
    doc: 'Peak packets in one second from one source (to at most a few ports) that make a flood.',
  },
  targetPacketsPerSecond: {
    default: 500,
    doc: 'Peak packets in one second to one target from many sources.',
  },
  minReplySources: { default: 10, doc: 'Smurf/fraggle: distinct reflectors whose replies reach one target.' },
  minReplies: { default: 50, doc: 'Smurf/fraggle: replies needed within the window.' },
  minBroadcastPings: {
    default: 3,
    doc: 'Echo requests to a broadcast address from outside that count as smurf set-up.',
  },
};

const advice = L(
  'Rate-limit or filter upstream; a host-level firewall cannot absorb a real flood. Your provider can filter spoofed floods closer to the source.',
  '在上游做限速或过滤;主机防火墙扛不住真正的洪水攻击。运营商可以在更靠近源头的地方过滤伪造源的洪水流量。',
);

function draft(
  ctx: import('../types.js').EngineContext,
  sig: string[],
  title: Localized,
  details: Localized,
  technique: string,
  severity: 3 | 4,
) {
  return { ...worded(ctx.kb, sig, { title, advice }, details), severity, confidence: 0.8, technique };
}

function floodKind(b: Bucket): string {
  const [proto] = topKeys(b.transports, 1);
  if (proto === 'tcp') return (b.techniques.get('syn') ?? 0) > b.events / 2 ? 'syn-flood' : 'tcp-flood';
  if (proto === 'udp') return 'udp-flood';
  if (proto === 'icmp' || proto === 'ipv6-icmp') return 'icmp-flood';
  return 'packet-flood';
}

/** One source sending at a high rate to a few ports. */
export const sourceFlood: DetectorSpec = {
  id: 'flood',
  name: 'flood-source',
  keyedBySource: true,
  tunables,
  needsTime: true,
  filter: (p) => p.inbound && p.lanNoise === undefined,
  groupBy: (p) => p.src,
  distinct: (p) => String(p.dport ?? p.proto),
  qualifies: (b: Bucket, t: Tunables) => b.peakBin >= t['packetsPerSecond']! && b.distinct.size <= 5,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const kind = floodKind(b);
    return draft(
      ctx,
      [kind, 'flood'],
      L(`Flood from ${src} (${kind})`, `来自 ${src} 的洪水攻击(${kind})`),
      L(
        `${src} sent ${en(b.events, 'packet')}, peaking at ${b.peakBin} in one second, to ${en(b.distinct.size, 'port')} of ${en(b.targets.size, 'host')}: a denial-of-service flood, not a scan.`,
        `${src} 发送了 ${b.events} 个包,峰值达到每秒 ${b.peakBin} 个,目标是 ${b.targets.size} 台主机的 ${b.distinct.size} 个端口:这是拒绝服务洪水攻击,而不是扫描。`,
      ),
      kind,
      4,
    );
  },
};

/** Many (often spoofed) sources at a high rate against one target. */
export const targetFlood: DetectorSpec = {
  id: 'flood',
  name: 'flood-target',
  tunables,
  needsTime: true,
  filter: (p) => p.inbound && p.lanNoise === undefined && !p.replyLike,
  groupBy: (p) => p.dst,
  distinctIsSource: true,
  qualifies: (b, t) => b.peakBin >= t['targetPacketsPerSecond']! && b.sources.size >= 50,
  build(b, _t, ctx) {
    const [dst] = b.targets.keys();
    const kind = floodKind(b);
    return draft(
      ctx,
      [kind, 'flood'],
      L(`Flood against ${dst} from many sources (${kind})`, `来自大量来源针对 ${dst} 的洪水攻击(${kind})`),
      L(
        `${b.sources.size} different sources sent ${en(b.events, 'packet')} to ${dst}, peaking at ${b.peakBin} per second: a distributed or spoofed-source flood.`,
        `${b.sources.size} 个不同来源向 ${dst} 发送了 ${b.events} 个包,峰值每秒 ${b.peakBin} 个:这是分布式或伪造源地址的洪水攻击。`,
      ),
      kind,
      4,
    );
  },
};

/** Smurf: echo replies from many reflectors; fraggle: UDP echo (7) / chargen (19) replies. */
export const reflectionFlood: DetectorSpec = {
  id: 'flood',
  name: 'flood-reflection',
  tunables,
  filter: (p) =>
    p.inbound &&
    ((p.proto === 'icmp' && p.ev.icmpType === 0) ||
      (p.proto === 'ipv6-icmp' && p.ev.icmpType === 129) ||
      (p.proto === 'udp' && (p.sport === 7 || p.sport === 19))),
  groupBy: (p) => `${p.dst}|${p.proto === 'udp' ? 'fraggle' : 'smurf'}`,
  distinctIsSource: true,
  qualifies: (b, t) => b.sources.size >= t['minReplySources']! && b.events >= t['minReplies']!,
  build(b, _t, ctx) {
    const [dst] = b.targets.keys();
    const kind = b.key.endsWith('fraggle') ? 'fraggle' : 'smurf';
    const what =
      kind === 'smurf'
        ? L('ICMP echo replies', 'ICMP 回显应答')
        : L('UDP echo/chargen replies', 'UDP echo/chargen 应答');
    return draft(
      ctx,
      [kind],
      kind === 'smurf'
        ? L('Smurf attack (echo-reply flood)', 'Smurf 攻击(回显应答洪水)')
        : L('Fraggle attack (UDP echo/chargen flood)', 'Fraggle 攻击(UDP echo/chargen 洪水)'),
      L(
        `${dst} received ${b.events} ${what.en} from ${b.sources.size} different hosts without asking: someone sent requests to broadcast addresses with ${dst} forged as the sender, and every host answered it.`,
        `${dst} 在没有发出请求的情况下收到来自 ${b.sources.size} 台不同主机的 ${b.events} 个${what.zh}:有人伪造 ${dst} 为发送方向广播地址发请求,所有主机都回应了它。`,
      ),
      kind,
      4,
    );
  },
};

/** Echo requests to a broadcast address from outside: someone trying to use your network as a smurf amplifier. */
export const directedBroadcast: DetectorSpec = {
  id: 'flood',
  name: 'flood-directed-broadcast',
  keyedBySource: true,
  tunables,
  filter: (p) =>
    p.inbound &&
    isIPv4(p.dst) &&
    (p.dst.endsWith('.255') || p.dst === '255.255.255.255') &&
    ((p.proto === 'icmp' && p.ev.icmpType === 8) || (p.proto === 'udp' && (p.dport === 7 || p.dport === 19))),
  groupBy: (p) => p.src,
  qualifies: (b, t) => b.events >= t['minBroadcastPings']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    return draft(
      ctx,
      ['directed-broadcast-probe'],
      L('Directed-broadcast requests (smurf/fraggle amplifier)', '定向广播请求(被用作 smurf/fraggle 放大器)'),
      L(
        `${src} sent ${b.events} echo requests to broadcast addresses (${[...b.targets.keys()].slice(0, 3).join(', ')}). If your routers forwarded them, every host would answer the (probably forged) sender: your network would be the amplifier of a smurf or fraggle attack.`,
        `${src} 向广播地址(${[...b.targets.keys()].slice(0, 3).join('、')})发送了 ${b.events} 个回显请求。如果路由器转发了它们,所有主机都会回应那个(很可能是伪造的)发送方:你的网络就成了 smurf 或 fraggle 攻击的放大器。`,
      ),
      'directed-broadcast',
      3,
    );
  },
};
