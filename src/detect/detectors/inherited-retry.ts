// Inherited-address retries: one source returning to the same port at a steady interval for a long time.
import { countEn as en } from '../../i18n.js';
import { duration, gapVariation, L, portEntriesFor, serviceName, worded } from '../finding.js';
import { isProbe } from '../packet.js';
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
  filter: (p) => isProbe(p) && p.dport !== undefined && (p.technique === 'syn' || p.technique === 'udp'),
  groupBy: (p) => `${p.pair}|${p.proto}/${p.dport}`,
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
    const details = L(
      `${src} came back to ${service.en} on ${dst} ${en(b.attempts, 'time')}, steadily every ${every.en}, for ${span.en}. Attackers do not knock this patiently on one door; this is a program that still thinks your address belongs to someone it used to talk to, most likely because your address was given to someone else before you (dial-up, DHCP, cloud).`,
      `${src} 在 ${span.zh} 内 ${b.attempts} 次回到 ${dst} 的 ${service.zh},间隔稳定在约 ${every.zh}。攻击者不会这样耐心地敲同一扇门;这是某个程序仍以为你的地址属于它以前联系过的主机,很可能因为这个地址在你之前分配给过别人(拨号、DHCP、云主机)。`,
    );
    const sig =
      port === 13223
        ? ['powwow-heartbeat', 'dialup-inherited-ip']
        : ['dialup-inherited-ip', 'inherited-retry'];
    return {
      ...worded(
        ctx.kb,
        sig,
        {
          title: L(`Inherited-address retries to ${service.en}`, `继承地址导致的重试:${service.zh}`),
          advice: L(
            'Harmless to you; the sender is misconfigured or remembers a previous owner of your address. Drop it silently; it fades out when the sender gives up.',
            '对你无害;发送方配置有误,或记着你这个地址的前任主人。静默丢弃即可,发送方放弃后就会消失。',
          ),
        },
        details,
        service,
      ),
      severity: kinds.includes('trojan') || kinds.includes('backdoor') ? 2 : 1,
      confidence: Math.min(0.95, 0.6 + b.attempts / 50),
      technique: 'steady-retry',
    };
  },
};
