// Backscatter: unsolicited SYN-ACK, RST or ICMP errors with no matching outbound traffic; your address was spoofed.
import { L, worded } from '../finding.js';
import type { DetectorSpec, EngineContext, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** What kind of unsolicited answer a packet is, or undefined. */
function answerKind(p: Packet): string | undefined {
  if (p.proto === 'tcp' && p.flags !== undefined) {
    if (p.flags.includes('SYN') && p.flags.includes('ACK')) return 'syn-ack';
    if (p.flags.includes('RST')) return 'rst';
    return undefined;
  }
  const t = p.ev.icmpType;
  if (p.proto === 'icmp' && (t === 3 || t === 11)) return t === 3 ? 'icmp-unreachable' : 'icmp-time-exceeded';
  if (p.proto === 'ipv6-icmp' && (t === 1 || t === 3))
    return t === 1 ? 'icmp-unreachable' : 'icmp-time-exceeded';
  return undefined;
}

/** True when we never sent anything the answer could belong to. */
function unsolicited(p: Packet, ctx: EngineContext): boolean {
  const inner = p.ev.inner;
  if (inner?.sourceIp && inner.destinationIp)
    return ctx.outboundSeen(inner.sourceIp, inner.destinationIp) === undefined;
  return ctx.outboundSeen(p.dst, p.src) === undefined;
}

export const backscatter: DetectorSpec = {
  id: 'backscatter',
  name: 'backscatter',
  keyedBySource: true,
  tunables: {
    ...windowTunables(1800, 6 * 3600),
    minDistinctPorts: {
      default: 3,
      doc: 'Distinct local ports the unsolicited answers must reach (spoofed probes use random ports).',
    },
    minPackets: { default: 10, doc: 'Or at least this many unsolicited answers from one source.' },
  },
  filter: (p, ctx) =>
    p.inbound && p.lanNoise === undefined && answerKind(p) !== undefined && unsolicited(p, ctx),
  groupBy: (p) => p.src,
  distinct: (p) => String(p.dport ?? p.ev.inner?.sourcePort ?? ''),
  observe(b, p) {
    const k = answerKind(p)!;
    b.extra.set(k, (b.extra.get(k) ?? 0) + 1);
  },
  qualifies: (b, t) => b.distinct.size >= t['minDistinctPorts']! || b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const kinds = [...b.extra.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const list = kinds.map(([k, n]) => `${k} ${n}`).join(', ');
    const caveat = ctx.anyOutbound()
      ? L('', '')
      : L(
          ' (This log shows no outbound traffic at all, so a reply to your own traffic cannot be ruled out completely.)',
          '(此日志中完全没有出站流量记录,因此不能完全排除这是对你自己流量的应答。)',
        );
    const details = L(
      `${src} sent ${b.events} answers (${list}) to ${b.distinct.size} different ports of yours, but nothing of yours asked: someone forged your address as the source of an attack on ${src}, and its replies come back to you.${caveat.en}`,
      `${src} 向你的 ${b.distinct.size} 个不同端口发来了 ${b.events} 个应答(${list}),但你这边并没有发起请求:有人伪造你的地址作为源地址去攻击 ${src},对方的应答于是回到了你这里。${caveat.zh}`,
    );
    return {
      ...worded(
        ctx.kb,
        ['backscatter'],
        {
          title: L(`Backscatter from ${src}`, `来自 ${src} 的反向散射(backscatter)`),
          advice: L(
            'Not an attack on you; nothing to block beyond the usual. It shows a third party is under a spoofed-source attack.',
            '这不是针对你的攻击,除常规拦截外无需处理。它说明第三方正在遭受伪造源地址的攻击。',
          ),
        },
        details,
        L(`from ${src}`, `来自 ${src}`),
      ),
      severity: 2,
      confidence: ctx.anyOutbound() ? 0.8 : 0.6,
      technique: kinds[0]![0],
    };
  },
};
