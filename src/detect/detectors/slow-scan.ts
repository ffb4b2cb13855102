// Slow scan: a vertical or horizontal scan spread over hours, one probe every few minutes.
import { tBoth } from '../../i18n.js';
import { confidenceFor, duration, join, worded } from '../finding.js';
import { isProbe, targetKey } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, rawProbeTtlNote, secondsPerValue, windowTunables } from './common.js';
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
    const details = tBoth('detect.slowScan.details', {
      src: src!,
      probes: n,
      ports: b.ports.size,
      hosts: targets,
      span,
      every,
    });
    return {
      ...worded(ctx.kb, { signature: 'slow-scan' }, join(details, rawProbeTtlNote(b))),
      severity: 3,
      confidence: confidenceFor(n, t['minProbes']!, 0.55),
      technique: scanTechnique(b),
    };
  },
};
