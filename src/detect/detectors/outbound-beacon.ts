// Outbound beacons: an inside host repeatedly trying one outside port/address (adware, malware, stale config).
import { tBoth } from '../../i18n.js';
import { isPublicLike } from '../../net/address-class.js';
import { duration } from '../../util/duration.js';
import { portEntriesFor, serviceName, type Wording, worded } from '../finding.js';
import type { DetectorSpec, EngineContext, Packet } from '../types.js';
import { windowTunables } from './common.js';

const SUSPECT_KINDS = new Set(['adware', 'trojan', 'backdoor', 'iot-botnet', 'worm']);

/** True when the port or address is one the knowledge base marks as a known calling-home target. */
function knownBad(p: Packet, ctx: EngineContext): boolean {
  if (
    p.dport !== undefined &&
    portEntriesFor(ctx.kb, p.dport, p.proto).some((e) => SUSPECT_KINDS.has(e.kind))
  )
    return true;
  return ctx.kb.addressEntries(p.dst).some((e) => 'kind' in e && e.kind === 'known-host');
}

export const outboundBeacon: DetectorSpec = {
  id: 'outbound-beacon',
  name: 'outbound-beacon',
  keyedBySource: true,
  tunables: {
    ...windowTunables(2 * 3600, 24 * 3600),
    minAttempts: { default: 5, doc: 'Separate blocked attempts (retransmissions folded together) needed.' },
    minAttemptsKnown: {
      default: 2,
      doc: 'Attempts needed when the port or address is a known call-home target (or outside addresses tried in one burst).',
    },
    maxTargets: {
      default: 3,
      doc: 'Unless the target is a known call-home one, at most this many outside addresses (more is blocked browsing, not a beacon).',
    },
  },
  clusterSeconds: 30,
  // Calling out means to the Internet: with own networks configured `outbound` already says the target is not
  // ours; without them a private target is a host of the LAN (a host firewall's log of its own SMB to the file
  // server, ZoneAlarm's FWOUT), not a call home.
  filter: (p, ctx) =>
    p.outbound &&
    (ctx.isOwn(p.src) || isPublicLike(p.dst)) &&
    p.lanNoise === undefined &&
    p.dport !== undefined &&
    !p.replyLike &&
    (p.ev.action === 'deny' || p.ev.action === 'reject' || knownBad(p, ctx)),
  // Per inside host and port: adware rotates over several ad servers; one program, one finding.
  groupBy: (p) => `${p.src}|${p.proto}/${p.dport}`,
  keyFixes: 'source',
  distinct: (p) => p.dst,
  observe(b, p, ctx) {
    if (knownBad(p, ctx)) b.extra.set('known', 1);
  },
  qualifies(b, t) {
    // A browser blocked on 443 across many sites is policy, not a beacon: many targets need a known call-home port.
    if (!b.extra.has('known')) return b.attempts >= t['minAttempts']! && b.distinct.size <= t['maxTargets']!;
    return b.attempts >= t['minAttemptsKnown']! || b.distinct.size >= t['minAttemptsKnown']!;
  },
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const [port] = b.ports.keys();
    const [proto] = b.transports.keys();
    const service = serviceName(ctx.kb, port!, proto!);
    const entry = portEntriesFor(ctx.kb, port!, proto!).find((e) => SUSPECT_KINDS.has(e.kind));
    const steady = b.gapCount >= 2 ? tBoth('detect.beacon.steady', { every: duration(b.gapMean) }) : '';
    const details = tBoth('detect.beacon.details', {
      src: src!,
      times: b.attempts,
      service,
      targets: b.targets.size,
      steady,
      // The knowledge sentence ends in its own full stop; inside the brackets it would be doubled (。)。).
      purpose: entry?.outbound
        ? tBoth('detect.beacon.purpose', {
            what: { en: withoutFullStop(entry.outbound.en), zh: withoutFullStop(entry.outbound.zh) },
          })
        : '',
    });
    const owner: Wording =
      port === 17027
        ? { signature: 'conducent-adbot' }
        : {
            title: tBoth('detect.beacon.title', { src: src!, service }),
            advice: tBoth('detect.beacon.advice', { src: src! }),
          };
    return {
      ...worded(ctx.kb, owner, details, tBoth('detect.beacon.specific', { src: src!, service })),
      severity: entry ? 4 : 3,
      confidence: entry ? 0.85 : 0.65,
      technique: entry?.kind ?? 'call-home',
    };
  },
};

/** A sentence without its closing full stop, to sit inside brackets of another sentence. */
function withoutFullStop(s: string): string {
  return s.replace(/[.。]$/, '');
}
