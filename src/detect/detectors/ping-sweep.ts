// Ping sweep and ICMP reconnaissance: echo, timestamp, address-mask and information requests across hosts.
import { tBoth } from '../../i18n.js';
import { wordTable } from '../../util/word-table.js';
import { confidenceFor, recordCount, worded } from '../finding.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, windowTunables } from './common.js';

/** ICMP query types used for reconnaissance, by family and type. */
const RECON: Record<string, string> = wordTable({
  'icmp/8': 'icmp-echo',
  'ipv6-icmp/128': 'icmp-echo',
  'icmp/13': 'icmp-timestamp',
  'icmp/15': 'icmp-information',
  'icmp/17': 'icmp-address-mask',
  'ipv6-icmp/139': 'icmp-node-information',
});

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
  groupKey: 'source',
  keyFixes: 'source',
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
        ? tBoth('detect.pingSweep.sweep', { src: src!, what, hosts: n, records: recordCount(b, 'inAll') })
        : tBoth('detect.pingSweep.recon', { src: src!, requests: recordCount(b, 'requests'), what });
    return {
      ...worded(ctx.kb, { signature: 'ping-sweep' }, details),
      severity: 2,
      confidence: confidenceFor(Math.max(n, b.events), t['minTargets']!),
      technique,
    };
  },
};
