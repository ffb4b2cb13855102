// Ping sweep and ICMP reconnaissance: echo, timestamp, address-mask and information requests across hosts.
import { countEn as en } from '../../i18n.js';
import { confidenceFor, L, worded } from '../finding.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, windowTunables } from './common.js';

/** ICMP query types used for reconnaissance, by family and type. */
const RECON: Record<string, string> = {
  'icmp/8': 'icmp-echo',
  'ipv6-icmp/128': 'icmp-echo',
  'icmp/13': 'icmp-timestamp',
  'icmp/15': 'icmp-information',
  'icmp/17': 'icmp-address-mask',
  'ipv6-icmp/139': 'icmp-node-information',
};

function reconKind(proto: string, type: number | undefined): string | undefined {
  return type === undefined ? undefined : RECON[`${proto}/${type}`];
}

export const pingSweep: DetectorSpec = {
  id: 'ping-sweep',
  name: 'ping-sweep',
  keyedBySource: true,
  tunables: {
    ...windowTunables(900, 3600),
    minTargets: { default: 5, doc: 'Distinct hosts one source must ping to count as a sweep.' },
    minRareQueries: {
      default: 2,
      doc: 'Timestamp / address-mask / information requests from one source that count as reconnaissance even on one host.',
    },
  },
  filter: (p) => p.inbound && p.lanNoise === undefined && reconKind(p.proto, p.ev.icmpType) !== undefined,
  groupBy: (p) => p.src,
  distinct: (p) => p.dst,
  observe(b, p) {
    const kind = reconKind(p.proto, p.ev.icmpType)!;
    b.extra.set(kind, (b.extra.get(kind) ?? 0) + 1);
  },
  qualifies(b, t) {
    const rare = b.events - (b.extra.get('icmp-echo') ?? 0);
    return distinctCount(b) >= t['minTargets']! || rare >= t['minRareQueries']!;
  },
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const n = distinctCount(b);
    const kinds = [...b.extra.keys()].sort();
    const rare = kinds.filter((k) => k !== 'icmp-echo');
    const technique =
      rare.length > 0 && n < t['minTargets']!
        ? rare[0]!
        : kinds.includes('icmp-echo')
          ? 'icmp-echo'
          : rare[0]!;
    const what = kinds.map((k) => k.replace('icmp-', '')).join(', ');
    const details =
      n >= t['minTargets']!
        ? L(
            `${src} sent ICMP ${what} requests to ${n} different hosts (${en(b.events, 'packet')}): it is finding out which addresses are alive.`,
            `${src} 向 ${n} 台不同主机发送了 ICMP ${what} 请求(共 ${b.events} 个包):它在探测哪些地址上有活着的主机。`,
          )
        : L(
            `${src} sent ${b.events} ICMP ${what} requests: these queries reveal the clock or netmask of a host and are used for reconnaissance, not by normal software.`,
            `${src} 发送了 ${b.events} 个 ICMP ${what} 请求:这类查询会暴露主机的时钟或子网掩码,多用于侦察,正常软件很少使用。`,
          );
    return {
      ...worded(
        ctx.kb,
        ['ping-sweep', 'icmp-recon'],
        {
          title:
            n >= t['minTargets']!
              ? L('Ping sweep', 'Ping 扫描(存活主机探测)')
              : L('ICMP reconnaissance', 'ICMP 侦察'),
          advice: L(
            'Usually the first step before port scans. Drop timestamp and address-mask requests at the border; expect port probes from the same source next.',
            '这通常是端口扫描前的第一步。在边界丢弃时间戳和地址掩码请求;接下来很可能会看到同一来源的端口探测。',
          ),
        },
        details,
      ),
      severity: 2,
      confidence: confidenceFor(Math.max(n, b.events), t['minTargets']!),
      technique,
    };
  },
};
