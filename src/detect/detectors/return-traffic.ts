// Return traffic: replies to our own clients dropped late (RealAudio UDP 6970-7170, DNS, NTP, FTP data, late TCP).
import { tBoth } from '../../i18n.js';
import { join, recordCount, worded } from '../finding.js';
import type { ReplyKind } from '../reply.js';
import type { DetectorSpec } from '../types.js';
import { windowTunables } from './common.js';

export const returnTraffic: DetectorSpec = {
  id: 'return-traffic',
  name: 'return-traffic',
  singleEvent: true,
  tunables: {
    ...windowTunables(24 * 3600, 7 * 24 * 3600),
    minPackets: { default: 1, doc: 'Reply packets of one kind needed for the roll-up finding.' },
  },
  filter: (p) => p.reply !== undefined,
  groupBy: (p) => (p.proto === 'tcp' ? 'tcp' : 'udp'),
  distinctIsSource: true,
  observe(b, p) {
    const k = p.reply!;
    b.extra.set(k, (b.extra.get(k) ?? 0) + 1);
  },
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const kinds = [...b.extra.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const parts = kinds.map(([k, n]) =>
      tBoth('detect.return.part', { n, what: tBoth(`detect.return.kind.${k as ReplyKind}`) }),
    );
    const details = tBoth('detect.return.details', {
      records: recordCount(b, 'dropped'),
      servers: b.sources.size,
      parts: join(...parts),
    });
    const top = kinds[0]![0];
    return {
      ...worded(
        ctx.kb,
        top === 'late-tcp'
          ? { signature: 'out-of-state-tcp' }
          : { title: tBoth('detect.return.title'), advice: tBoth('detect.return.advice') },
        details,
      ),
      severity: 1,
      confidence: 0.8,
      technique: top,
    };
  },
};
