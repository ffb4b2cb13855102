// Backscatter: unsolicited SYN-ACK, RST or ICMP errors with no matching outbound traffic; your address was spoofed.
import { tBoth } from '../../i18n.js';
import { worded } from '../finding.js';
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
  readsOutbound: true,
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
  groupKey: 'source',
  keyFixes: 'source',
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
    const caveat = ctx.anyOutbound() ? '' : tBoth('detect.backscatter.caveat');
    const details = tBoth('detect.backscatter.details', {
      src: src!,
      answers: b.events,
      list,
      ports: b.distinct.size,
      caveat,
    });
    return {
      ...worded(
        ctx.kb,
        { signature: 'backscatter' },
        details,
        tBoth('detect.backscatter.specific', { src: src! }),
      ),
      severity: 2,
      confidence: ctx.anyOutbound() ? 0.8 : 0.6,
      technique: kinds[0]![0],
    };
  },
};
