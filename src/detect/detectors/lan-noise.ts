// Broadcast and LAN noise: NetBIOS, DHCP, SSDP, mDNS, LLMNR, Inoculan, IPv6 neighbour chatter, rolled into one low finding.
import { countEn as en } from '../../i18n.js';
import { L, worded } from '../finding.js';
import type { DetectorSpec } from '../types.js';
import { windowTunables } from './common.js';

export const lanNoise: DetectorSpec = {
  id: 'lan-noise',
  name: 'lan-noise',
  singleEvent: true,
  tunables: {
    ...windowTunables(24 * 3600, 30 * 24 * 3600),
    minPackets: { default: 1, doc: 'Noise packets needed before the roll-up finding appears.' },
  },
  filter: (p) => p.lanNoise !== undefined,
  // One group for everything: thousands of broadcasts become one line in the report.
  groupBy: () => 'lan',
  distinct: (p) => p.lanNoise,
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const cats = [...b.distinct.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const list = cats.map(([c, n]) => `${c} ${n}`).join(', ');
    const details = L(
      `${en(b.events, 'packet')} of local-network chatter from ${en(b.sources.size, 'host')} (${list}): broadcasts and multicasts that Windows name lookups, DHCP, device discovery and IPv6 neighbour discovery send all the time. Not an attack.`,
      `来自 ${b.sources.size} 台主机的 ${b.events} 个本地网络闲聊包(${list}):Windows 名称查询、DHCP、设备发现和 IPv6 邻居发现一直在发送的广播和组播。不是攻击。`,
    );
    const top = cats[0]?.[0];
    return {
      ...worded(
        ctx.kb,
        top === 'inoculan' ? ['inoculan-chatter', 'lan-noise'] : ['lan-noise', 'netbios-broadcast'],
        {
          title: L('Local network chatter (broadcast / multicast)', '本地网络闲聊(广播/组播)'),
          advice: L(
            'Nothing to fix. To keep logs readable, stop logging broadcast and multicast drops (for example a rule that drops them without LOG before your logging rule).',
            '无需处理。为了让日志更易读,可以不再记录广播和组播的丢弃(例如在记录规则之前加一条不带 LOG 的丢弃规则)。',
          ),
        },
        details,
      ),
      severity: 1,
      confidence: 0.9,
      technique: top,
    };
  },
};
