// Slow scan: a vertical or horizontal scan spread over hours, one probe every few minutes.
import { countEn as en } from '../../i18n.js';
import { confidenceFor, duration, L, worded } from '../finding.js';
import { isProbe, targetKey } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, secondsPerValue, windowTunables } from './common.js';
import { observeTcpShape, scanTechnique } from './vertical-scan.js';

export const slowScan: DetectorSpec = {
  id: 'slow-scan',
  name: 'slow-scan',
  keyedBySource: true,
  tunables: {
    ...windowTunables(6 * 3600, 24 * 3600),
    minProbes: { default: 10, doc: 'Distinct target:port pairs one source must touch.' },
    minSecondsPerProbe: {
      default: 10,
      doc: 'A scan slower than this many seconds per new port or target is slow (faster ones are vertical or horizontal scans).',
    },
  },
  needsTime: true,
  filter: (p) => isProbe(p) && p.technique !== 'icmp' && p.technique !== 'icmp-echo',
  groupBy: (p) => p.src,
  distinct: targetKey,
  observe: observeTcpShape,
  qualifies: (b, t) => distinctCount(b) >= t['minProbes']! && secondsPerValue(b) >= t['minSecondsPerProbe']!,
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const n = distinctCount(b);
    const span = duration(b.last - b.first);
    const every = duration(secondsPerValue(b) * 1000);
    const targets = b.targets.size;
    const details = L(
      `${src} probed ${n} port/host pairs (${en(b.ports.size, 'port')} on ${en(targets, 'host')}) over ${span.en}, about one new probe every ${every.en}: a scan slowed down on purpose to stay under rate-based alarms.`,
      `${src} 在 ${span.zh} 内探测了 ${n} 个端口/主机组合(${targets} 台主机上的 ${b.ports.size} 个端口),大约每 ${every.zh} 一个新探测:这是故意放慢速度以躲过基于速率的告警的扫描。`,
    );
    return {
      ...worded(
        ctx.kb,
        ['slow-scan'],
        {
          title: L('Slow scan', '慢速扫描'),
          advice: L(
            'Slow scans are deliberate and patient. Block the source, and review longer time ranges of your logs for the same address or its network.',
            '慢速扫描是有意为之且很有耐心的。封禁该来源,并在更长时间范围的日志里查找同一地址或其所在网段。',
          ),
        },
        details,
      ),
      severity: 3,
      confidence: confidenceFor(n, t['minProbes']!, 0.55),
      technique: scanTechnique(b),
    };
  },
};
