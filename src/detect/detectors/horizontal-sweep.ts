// Horizontal sweep: one source, many targets, the same few ports; names the service being hunted.
import { countEn as en } from '../../i18n.js';
import { confidenceFor, L, listOf, portEntriesFor, serviceName, topKeys, worded } from '../finding.js';
import { isProbe } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, windowTunables } from './common.js';
import { isSlow, observeTcpShape, scanTechnique } from './vertical-scan.js';

export const horizontalSweep: DetectorSpec = {
  id: 'horizontal-sweep',
  name: 'horizontal-sweep',
  keyedBySource: true,
  tunables: {
    ...windowTunables(900, 3600),
    minTargets: { default: 8, doc: 'Distinct targets one source must touch on the same few ports.' },
    maxPorts: {
      default: 5,
      doc: 'At most this many distinct ports, or it is a block scan (still reported, worded so).',
    },
  },
  filter: (p) => isProbe(p) && p.dport !== undefined,
  groupBy: (p) => p.src,
  distinct: (p) => p.dst,
  observe: observeTcpShape,
  qualifies: (b, t, ctx) => distinctCount(b) >= t['minTargets']! && !isSlow(b, ctx),
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const proto = topKeys(b.transports, 1)[0] ?? 'tcp';
    const ports = topKeys(b.ports, 5).sort((x, y) => x - y);
    const services = ports.map((p) => serviceName(ctx.kb, p, proto));
    const n = distinctCount(b);
    const block = b.ports.size > t['maxPorts']!;
    const hunted = listOf(services.slice(0, 3));
    const details = block
      ? L(
          `${src} probed ${en(n, 'host')} on ${b.ports.size} different ports (${en(b.events, 'packet')}): a block scan across your network, most often ${hunted.en}.`,
          `${src} 对 ${n} 台主机的 ${b.ports.size} 个端口进行了探测(共 ${b.events} 个包):这是覆盖整个网络的区块扫描,最常见的是 ${hunted.zh}。`,
        )
      : L(
          `${src} swept ${en(n, 'host')} looking for ${hunted.en} (${en(b.events, 'packet')}): a horizontal sweep for one kind of service.`,
          `${src} 扫过 ${n} 台主机寻找 ${hunted.zh}(共 ${b.events} 个包):这是针对某一种服务的横向扫描。`,
        );
    const kinds = ports.flatMap((p) => portEntriesFor(ctx.kb, p, proto).map((e) => e.kind));
    const sigIds = ports.some((p) => [1080, 3128, 8080, 8000, 8001, 8888].includes(p))
      ? ['proxy-scanner', 'horizontal-sweep']
      : ports.includes(5632)
        ? ['pcanywhere-discovery', 'horizontal-sweep']
        : ['horizontal-sweep'];
    const severity = kinds.some((k) => k === 'trojan' || k === 'backdoor' || k === 'worm') ? 4 : 3;
    return {
      ...worded(
        ctx.kb,
        sigIds,
        {
          title: L(`Sweep for ${hunted.en}`, `针对 ${hunted.zh} 的横向扫描`),
          advice: L(
            `Check which of your hosts actually offer ${hunted.en}; those are the ones this source wants. Close or restrict them and watch for follow-up connections from the same range.`,
            `检查你有哪些主机真的提供 ${hunted.zh},那正是该来源想找的目标。关闭或限制这些服务,并留意同一网段后续的连接。`,
          ),
        },
        details,
        hunted,
      ),
      severity,
      confidence: confidenceFor(n, t['minTargets']!),
      technique: scanTechnique(b),
      ports,
    };
  },
};
