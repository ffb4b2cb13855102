// Horizontal sweep: one source, many targets, the same few ports; names the service being hunted.
import { tBoth } from '../../i18n.js';
import {
  confidenceFor,
  distinctServices,
  join,
  listOf,
  portEntriesFor,
  recordCount,
  topKeys,
  worded,
} from '../finding.js';
import { isProbe } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, rawProbeTtlNote, windowTunables } from './common.js';
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
  groupKey: 'source',
  keyFixes: 'source',
  distinct: (p) => p.dst,
  observe: observeTcpShape,
  qualifies: (b, t, ctx) => distinctCount(b) >= t['minTargets']! && !isSlow(b, ctx),
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const proto = topKeys(b.transports, 1)[0] ?? 'tcp';
    const ports = topKeys(b.ports, 5).sort((x, y) => x - y);
    const services = distinctServices(ctx.kb, ports, proto);
    const n = distinctCount(b);
    const block = b.ports.size > t['maxPorts']!;
    const hunted = listOf(services.slice(0, 3));
    const details = tBoth(block ? 'detect.horizontal.block' : 'detect.horizontal.sweep', {
      src: src!,
      hosts: n,
      ports: b.ports.size,
      records: recordCount(b, 'inAll'),
      hunted,
    });
    const kinds = ports.flatMap((p) => portEntriesFor(ctx.kb, p, proto).map((e) => e.kind));
    const signature = ports.some((p) => [1080, 3128, 8080, 8000, 8001, 8888].includes(p))
      ? 'proxy-scanner'
      : ports.includes(5632)
        ? 'pcanywhere-discovery'
        : 'horizontal-sweep';
    const severity = kinds.some((k) => k === 'trojan' || k === 'backdoor' || k === 'worm') ? 4 : 3;
    return {
      ...worded(ctx.kb, { signature }, join(details, rawProbeTtlNote(b)), hunted),
      severity,
      confidence: confidenceFor(n, t['minTargets']!),
      technique: scanTechnique(b),
      ports,
    };
  },
};
