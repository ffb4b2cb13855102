// Outbound beacons: an inside host repeatedly trying one outside port/address (adware, malware, stale config).
import { countEn as en } from '../../i18n.js';
import { duration, L, portEntriesFor, serviceName, worded } from '../finding.js';
import type { DetectorSpec, EngineContext, Packet } from '../types.js';
import { windowTunables } from './common.js';

const SUSPECT_KINDS = new Set(['adware', 'trojan', 'backdoor', 'iot-botnet', 'worm']);

/** True when the port or address is one the knowledge base marks as a known calling-home target. */
function knownBad(p: Packet, ctx: EngineContext): boolean {
  if (
    p.dport !== undefined &&
    portEntriesFor(ctx.kb, p.dport, p.proto).some((e) => SUSPECT_KINDS.has(e.kind))
  )
    return true;
  return ctx.kb.addressEntries(p.dst).some((e) => 'kind' in e && e.kind === 'known-host');
}

export const outboundBeacon: DetectorSpec = {
  id: 'outbound-beacon',
  name: 'outbound-beacon',
  keyedBySource: true,
  tunables: {
    ...windowTunables(2 * 3600, 24 * 3600),
    minAttempts: { default: 5, doc: 'Separate blocked attempts (retransmissions folded together) needed.' },
    minAttemptsKnown: {
      default: 2,
      doc: 'Attempts needed when the port or address is a known call-home target (or outside addresses tried in one burst).',
    },
    maxTargets: {
      default: 3,
      doc: 'Unless the target is a known call-home one, at most this many outside addresses (more is blocked browsing, not a beacon).',
    },
  },
  clusterSeconds: 30,
  filter: (p, ctx) =>
    p.outbound &&
    p.lanNoise === undefined &&
    p.dport !== undefined &&
    !p.replyLike &&
    (p.ev.action === 'deny' || p.ev.action === 'reject' || knownBad(p, ctx)),
  // Per inside host and port: adware rotates over several ad servers; one program, one finding.
  groupBy: (p) => `${p.src}|${p.proto}/${p.dport}`,
  distinct: (p) => p.dst,
  observe(b, p, ctx) {
    if (knownBad(p, ctx)) b.extra.set('known', 1);
  },
  qualifies(b, t) {
    // A browser blocked on 443 across many sites is policy, not a beacon: many targets need a known call-home port.
    if (!b.extra.has('known')) return b.attempts >= t['minAttempts']! && b.distinct.size <= t['maxTargets']!;
    return b.attempts >= t['minAttemptsKnown']! || b.distinct.size >= t['minAttemptsKnown']!;
  },
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const [port] = b.ports.keys();
    const [proto] = b.transports.keys();
    const service = serviceName(ctx.kb, port!, proto!);
    const entry = portEntriesFor(ctx.kb, port!, proto!).find((e) => SUSPECT_KINDS.has(e.kind));
    const steady =
      b.gapCount >= 2
        ? L(` roughly every ${duration(b.gapMean).en}`, `,大约每 ${duration(b.gapMean).zh} 一次`)
        : L('', '');
    const details = L(
      `Your host ${src} tried ${en(b.attempts, 'time')} to reach ${service.en} on ${b.targets.size} outside ${b.targets.size === 1 ? 'address' : 'addresses'}${steady.en}. The problem is INSIDE your network: a program on ${src} keeps calling out${entry?.outbound ? ` (${entry.outbound.en})` : ''}.`,
      `你的主机 ${src} 尝试连接外部 ${b.targets.size} 个地址上的 ${service.zh} 共 ${b.attempts} 次${steady.zh}。问题出在你的网络内部:${src} 上有程序在不断向外连接${entry?.outbound ? `(${entry.outbound.zh})` : ''}。`,
    );
    const sig = port === 17027 ? ['conducent-adbot', 'outbound-beacon'] : ['outbound-beacon'];
    return {
      ...worded(
        ctx.kb,
        sig,
        {
          title: L(
            `Inside host ${src} calling out to ${service.en}`,
            `内部主机 ${src} 向外连接 ${service.zh}`,
          ),
          advice: L(
            `Find the program on ${src} that makes these connections (netstat/ss, process list) and remove or reconfigure it; blocking alone hides the symptom.`,
            `在 ${src} 上找出发起这些连接的程序(netstat/ss、进程列表),将其删除或重新配置;仅仅拦截只是掩盖了症状。`,
          ),
        },
        details,
        L(`${src} → ${service.en}`, `${src} → ${service.zh}`),
      ),
      severity: entry ? 4 : 3,
      confidence: entry ? 0.85 : 0.65,
      technique: entry?.kind ?? 'call-home',
    };
  },
};
