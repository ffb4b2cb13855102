// Broadcast and LAN noise: NetBIOS, DHCP, SSDP, mDNS, LLMNR, Inoculan, IPv6 neighbour chatter, rolled into one low finding.
import { tBoth } from '../../i18n.js';
import { recordCount, worded } from '../finding.js';
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
    const details = tBoth('detect.lanNoise.details', {
      records: recordCount(b, 'chatter'),
      hosts: b.sources.size,
      list,
    });
    const top = cats[0]?.[0];
    return {
      ...worded(ctx.kb, { signature: top === 'inoculan' ? 'inoculan-chatter' : 'lan-noise' }, details),
      severity: 1,
      confidence: 0.9,
      technique: top,
    };
  },
};
