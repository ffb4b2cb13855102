// Inherited-address retries: one source returning to the same port at a steady interval for a long time.
import { tBoth } from '../../i18n.js';
import { duration } from '../../util/duration.js';
import { gapVariation, portEntriesFor, serviceName, worded } from '../finding.js';
import { blockedSession, isProbe, pairKey } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { windowTunables } from './common.js';

export const inheritedRetry: DetectorSpec = {
  id: 'inherited-retry',
  name: 'inherited-retry',
  keyedBySource: true,
  tunables: {
    ...windowTunables(4 * 3600, 24 * 3600),
    minAttempts: { default: 5, doc: 'Separate attempts (retransmissions folded together) needed.' },
    minSpanSeconds: { default: 300, doc: 'The retries must go on for at least this long.' },
    maxPacketsPerAttempt: {
      default: 4,
      doc: 'At most this many packets per attempt (a retrying client sends one SYN and a few retransmissions; a brute-forcer sends bursts).',
    },
    maxVariation: {
      default: 0.35,
      doc: 'Largest standard deviation / mean of the gaps between attempts still counted as steady.',
    },
  },
  // SYN retransmissions (after 1, 3, 7 s) fold into one attempt.
  clusterSeconds: 15,
  needsTime: true,
  filter: (p) =>
    isProbe(p) &&
    p.dport !== undefined &&
    (p.technique === 'syn' || p.technique === 'udp' || blockedSession(p)),
  groupBy: (p) => `${pairKey(p)}|${p.proto}/${p.dport}`,
  keyFixes: 'pair',
  qualifies: (b, t) =>
    b.attempts >= t['minAttempts']! &&
    b.events / b.attempts <= t['maxPacketsPerAttempt']! &&
    b.last - b.first >= t['minSpanSeconds']! * 1000 &&
    gapVariation(b) <= t['maxVariation']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const [dst] = b.targets.keys();
    const [port] = b.ports.keys();
    const [proto] = b.transports.keys();
    const service = serviceName(ctx.kb, port!, proto!);
    const kinds = portEntriesFor(ctx.kb, port!, proto!).map((e) => e.kind);
    const every = duration(b.gapMean);
    const span = duration(b.last - b.first);
    const details = tBoth('detect.inheritedRetry.details', {
      src: src!,
      service,
      dst: dst!,
      times: b.attempts,
      every,
      span,
    });
    const signature = port === 13223 ? 'powwow-heartbeat' : 'dialup-inherited-ip';
    return {
      ...worded(ctx.kb, { signature }, details, service),
      severity: kinds.includes('trojan') || kinds.includes('backdoor') ? 2 : 1,
      confidence: Math.min(0.95, 0.6 + b.attempts / 50),
      technique: 'steady-retry',
    };
  },
};
